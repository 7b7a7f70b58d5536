/* Loading a scenario file (load.c); only the registry calls it. */
#ifndef LV_SCENARIOS_LOAD_H
#define LV_SCENARIOS_LOAD_H

#include <stddef.h>
#include "lockviz/run.h"

#define LV_MAX_VARIANTS 8 /* what the picker shows */

/* A copy of path's descriptor, with sc->path its absolute path, that lives as long as the
 * process; NULL with one line in err (what is wrong, without the path). */
lv_scenario *lv__scenario_load(const char *path, char *err, size_t len);

#endif
