/* The registry table: every scenario's descriptor, in the order `lockviz list` shows them. */
#include <string.h>
#include "registry.h"

extern const lv_scenario lv_scenario_ticket;
extern const lv_scenario lv_scenario_deadlock;
extern const lv_scenario lv_scenario_rlock;
extern const lv_scenario lv_scenario_traffic_light;
extern const lv_scenario lv_scenario_toilets;
extern const lv_scenario lv_scenario_counter;

const lv_scenario *const lv_scenarios[] = {
    &lv_scenario_ticket,        &lv_scenario_deadlock, &lv_scenario_rlock,
    &lv_scenario_traffic_light, &lv_scenario_toilets,  &lv_scenario_counter,
};
const size_t lv_nscenarios = sizeof lv_scenarios / sizeof lv_scenarios[0];

const lv_scenario *lv_scenario_find(const char *name) {
    for (size_t i = 0; i < lv_nscenarios; i++)
        if (strcmp(lv_scenarios[i]->name, name) == 0) return lv_scenarios[i];
    return NULL;
}
