/* The scenario registry: the one table through which the program reaches scenarios. */
#ifndef LV_SCENARIOS_REGISTRY_H
#define LV_SCENARIOS_REGISTRY_H

#include <stddef.h>
#include "lockviz/run.h"

extern const lv_scenario *const lv_scenarios[];
extern const size_t lv_nscenarios;

/* NULL when there is no scenario of that name. */
const lv_scenario *lv_scenario_find(const char *name);

#endif
