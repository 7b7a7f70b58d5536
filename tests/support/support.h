/* Helpers shared by the engine tests: run a function as a one-off scenario, and look things
 * up in the trace it returns. */
#ifndef LV_TEST_SUPPORT_H
#define LV_TEST_SUPPORT_H

#include "lockviz/lockviz.h"
#include "registry.h"
#include "test.h"

static const lv_variant_desc support_variant_[] = {{"only", "test", "", "", 0, "测试"}};

/* The mode run_fn uses: live, or controlled when LV_TEST_MODE=controlled (ctest runs the
 * primitive tests both ways). */
static inline lv_mode test_mode(void) {
    const char *m = getenv("LV_TEST_MODE");
    return m && strcmp(m, "controlled") == 0 ? LV_MODE_CONTROLLED : LV_MODE_LIVE;
}

/* Runs main_fn as the main thread of a scenario with no parameters. */
static inline lv_trace *run_fn(const char *name, void (*main_fn)(const lv_args *)) {
    lv_scenario sc = {.name = name,
                      .title = name,
                      .title_zh = name,
                      .source = "test",
                      .variants = support_variant_,
                      .nvariants = 1,
                      .main = main_fn};
    lv_run_desc d = {.scenario = &sc, .mode = test_mode(), .seed = 1};
    lv_trace *tr = NULL;
    lv_err err = lv_run(&d, &tr);
    if (err != LV_OK) TEST_FAIL_AT("lv_run: %s", lv_strerror(err));
    return tr;
}

/* A controlled run of one of lockviz's scenarios: variant (by name) with seed; the parameter
 * set (a name, or NULL) takes value, the others their defaults. */
static inline lv_trace *run_variant(const char *name, const char *variant, uint64_t seed,
                                    const char *set, int64_t value) {
    const lv_scenario *sc = lv_scenario_find(name);
    ASSERT(sc);
    int64_t params[LV_MAX_PARAMS];
    for (int i = 0; i < sc->nparams; i++)
        params[i] = sc->params[i].def;
    if (set) {
        int p = lv_scenario_param_index(sc, set);
        ASSERT_GE(p, 0);
        params[p] = value;
    }
    lv_run_desc d = {.scenario = sc,
                     .variant = lv_scenario_variant_index(sc, variant),
                     .params = params,
                     .mode = LV_MODE_CONTROLLED,
                     .seed = seed};
    ASSERT_GE(d.variant, 0);
    lv_trace *tr = NULL;
    ASSERT_EQ(lv_run(&d, &tr), LV_OK);
    return tr;
}

static inline int32_t obj_id(const lv_trace *tr, const char *name) {
    for (size_t i = 0; i < tr->nobjects; i++)
        if (strcmp(tr->objects[i].name, name) == 0) return tr->objects[i].id;
    TEST_FAIL_AT("no object named %s", name);
}

static inline int32_t thread_id(const lv_trace *tr, const char *name) {
    for (size_t i = 0; i < tr->nthreads; i++)
        if (strcmp(tr->threads[i].name, name) == 0) return tr->threads[i].id;
    TEST_FAIL_AT("no thread named %s", name);
}

/* Number of events of kind on obj (LV_NONE: any object) by thread (LV_NONE: any thread). */
static inline size_t count_events(const lv_trace *tr, lv_event_kind kind, int32_t obj,
                                  int32_t thread) {
    size_t n = 0;
    for (size_t i = 0; i < tr->nevents; i++) {
        const lv_event *e = &tr->events[i];
        if (e->kind == kind && (obj == LV_NONE || e->obj == obj) &&
            (thread == LV_NONE || e->thread == thread))
            n++;
    }
    return n;
}

static inline size_t count_findings(const lv_trace *tr, lv_finding_kind kind) {
    size_t n = 0;
    for (size_t i = 0; i < tr->nfindings; i++)
        if (tr->findings[i].kind == kind) n++;
    return n;
}

/* A controlled run of the built-in scenario name, its default variant, seed 1, with the
 * parameter param (NULL: none) set to value and the others at their defaults. */
static inline lv_trace *run_named(const char *name, const char *param, int64_t value) {
    const lv_scenario *sc = lv_scenario_find(name);
    ASSERT(sc);
    int64_t params[LV_MAX_PARAMS];
    for (int p = 0; p < sc->nparams; p++)
        params[p] = param && strcmp(sc->params[p].name, param) == 0 ? value : sc->params[p].def;
    lv_run_desc d = {.scenario = sc, .mode = LV_MODE_CONTROLLED, .seed = 1, .params = params};
    lv_trace *tr = NULL;
    ASSERT_EQ(lv_run(&d, &tr), LV_OK);
    return tr;
}

/* The first finding of kind whose message contains needle, or NULL. */
static inline const lv_finding *find_finding(const lv_trace *tr, lv_finding_kind kind,
                                             const char *needle) {
    for (size_t i = 0; i < tr->nfindings; i++)
        if (tr->findings[i].kind == kind && strstr(tr->findings[i].message, needle))
            return &tr->findings[i];
    return NULL;
}

#endif
