/* A controlled run for window tests of scheduler and predict mode, with the rerun and
 * scheduler glue the window uses. */
#ifndef LV_TEST_SCHED_SUPPORT_H
#define LV_TEST_SCHED_SUPPORT_H

#include "glue.h"
#include "registry.h"
#include "test.h"

/* A controlled run (seed 1) of a scenario, and the rerun and scheduler glue the window uses
 * for scheduler and predict mode; params NULL: the scenario's defaults. */
typedef struct sched_run {
    lv_trace *tr;
    lv_rerun again;
    lv_sched_glue sg;
} sched_run;

static inline lv_trace *sched_run_open(sched_run *x, const char *scenario, const int64_t *params) {
    lv_run_desc d = {.scenario = lv_scenario_find(scenario),
                     .params = params,
                     .mode = LV_MODE_CONTROLLED,
                     .seed = 1};
    ASSERT(d.scenario);
    x->tr = NULL;
    ASSERT_EQ(lv_run(&d, &x->tr), LV_OK);
    lv_rerun_init(&x->again, &d);
    x->again.quiet = 1;
    ASSERT_EQ(lv_sched_glue_init(&x->sg, &x->again), 0);
    return x->tr;
}

static inline void sched_run_close(sched_run *x) {
    lv_sched_glue_free(&x->sg);
    lv_trace_free(x->tr);
}

#endif
