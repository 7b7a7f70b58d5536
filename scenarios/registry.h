/* The scenario registry: the one place through which the program reaches scenarios, the
 * built-in ones (one table) and those of scenario files (a user's .so, see
 * docs/writing-scenarios.md), given by path or found in the scenario folders. */
#ifndef LV_SCENARIOS_REGISTRY_H
#define LV_SCENARIOS_REGISTRY_H

#include <stddef.h>
#include "lockviz/run.h"

/* The built-in scenarios. */
extern const lv_scenario *const lv_scenarios[];
extern const size_t lv_nscenarios;

/* Every scenario lockviz knows, in the order `lockviz list` shows them: the built-in ones,
 * then those of the scenario folders, each folder's files (*.so) by name: the folders of
 * LOCKVIZ_SCENARIO_PATH (separated by ':'), then $XDG_DATA_HOME/lockviz/scenarios
 * (~/.local/share/lockviz/scenarios), and last the scenario files this process was given
 * (lv_registry_lookup, lv_registry_of_trace) whose names are not taken, so the picker offers
 * the file a run came from. The folders are read once, on the first call. A scenario
 * returned here lives as long as the process. */
size_t lv_registry_count(void);
const lv_scenario *lv_registry_at(size_t i); /* NULL past the end */

/* Problems met reading the folders (a file that is not a scenario, a name already taken),
 * one line each ("FILE: what is wrong (skipped)"); *n is set to how many. */
const char *const *lv_registry_problems(size_t *n);

/* A scenario by name (built-in or from a folder), NULL when there is none of that name. */
const lv_scenario *lv_scenario_find(const char *name);

/* What a command line names: a scenario's name, or a scenario file (a name with a '/' or
 * ending in ".so", loaded once per process). NULL with one line in err: "no scenario NAME"
 * or "FILE: what is wrong". */
const lv_scenario *lv_registry_lookup(const char *name, char *err, size_t errlen);

/* The scenario a trace was recorded from: its file when the trace names one (it is loaded
 * again), else the scenario of its name; NULL when lockviz has neither. */
struct lv_trace;
const lv_scenario *lv_registry_of_trace(const struct lv_trace *tr);

#endif
