/* Scenarios and runs: the descriptor a scenario file fills in, and the call that runs one and
 * returns its trace. A run owns its threads and objects; the trace it returns owns itself. */
#ifndef LOCKVIZ_RUN_H
#define LOCKVIZ_RUN_H

#include <stdint.h>
#include "err.h"
#include "trace.h"

#define LV_MAX_PARAMS 8

typedef struct lv_param_desc {
    const char *name;
    const char *help;
    int64_t def, min, max;
} lv_param_desc;

typedef struct lv_variant_desc {
    const char *name;
    const char *summary;   /* a few words, English */
    const char *lesson_en; /* what to watch, why it breaks or why the fix works */
    const char *lesson_zh;
    int broken; /* 1: this variant is meant to fail */
} lv_variant_desc;

typedef struct lv_args {
    int variant;                   /* index into the scenario's variants */
    int64_t params[LV_MAX_PARAMS]; /* in the order of the scenario's params */
} lv_args;

typedef struct lv_scenario {
    const char *name;
    const char *title;
    const char *title_zh;
    const char *source;              /* where the seed note shows it */
    const lv_variant_desc *variants; /* the first is the default */
    int nvariants;
    const lv_param_desc *params;
    int nparams;
    /* Runs as the thread "main". Spawns, joins and checks, like the seed's __main__. */
    void (*main)(const lv_args *args);
} lv_scenario;

typedef struct lv_run_desc {
    const lv_scenario *scenario;
    int variant;
    const int64_t *params; /* NULL: the defaults */
    lv_mode mode;
    uint64_t seed;
    double time_scale; /* live mode: real sleeps are multiplied by this; 0 means 1 */
} lv_run_desc;

/* Runs a scenario to the end and returns its trace with findings computed (lv_analyze).
 * LV_ENOMEM / LV_ETHREAD / LV_EUNSUPPORTED on failure; a scenario that deadlocks or fails its
 * checks still returns LV_OK: that is in the trace. */
lv_err lv_run(const lv_run_desc *desc, lv_trace **out);

/* Helpers for names given on a command line. -1 when unknown. */
int lv_scenario_variant_index(const lv_scenario *sc, const char *name);
int lv_scenario_param_index(const lv_scenario *sc, const char *name);

#endif
