/* Every scenario and variant: over 200 controlled seeds the broken variant fails the way its
 * lesson says (on every seed where the seed example always fails), the fixed variants never
 * fail; a few live runs end (never hang) with the same verdicts; and the edges of the
 * parameter ranges run cleanly. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include "registry.h"
#include "support.h"

#define SEEDS 200

typedef struct expectation {
    const char *scenario, *variant;
    lv_finding_kind kind; /* what the failure must include */
    int always;           /* fails on every seed (the seed example always fails) */
} expectation;

static const expectation broken[] = {
    {"ticket", "unlocked", LV_FIND_INVARIANT, 1},
    {"ticket", "unlocked", LV_FIND_RACE, 1},
    {"deadlock", "two-locks", LV_FIND_LOCK_ORDER, 1},
    {"deadlock", "two-locks", LV_FIND_DEADLOCK, 1},
    {"rlock", "lock", LV_FIND_DEADLOCK, 1},
    {"traffic-light", "polling", LV_FIND_RACE, 1},
    {"toilets", "none", LV_FIND_INVARIANT, 1},
    {"toilets", "bounded", LV_FIND_MISUSE, 1},
    {"counter", "unlocked", LV_FIND_INVARIANT, 1},
    {"counter", "unlocked", LV_FIND_RACE, 1},
};

static lv_trace *run_v(const lv_scenario *sc, int v, const int64_t *params, lv_mode mode,
                       uint64_t seed, double scale) {
    lv_run_desc d = {.scenario = sc,
                     .variant = v,
                     .params = params,
                     .mode = mode,
                     .seed = seed,
                     .time_scale = scale,
                     .policy = seed % 3 == 2 ? LV_POLICY_PCT : LV_POLICY_RANDOM};
    lv_trace *tr = NULL;
    lv_err err = lv_run(&d, &tr);
    if (err != LV_OK) TEST_FAIL_AT("%s/%s: %s", sc->name, sc->variants[v].name, lv_strerror(err));
    return tr;
}

/* Variants with a real data race: ThreadSanitizer stops their live runs (rightly), so the TSan
 * build leaves those to tsan_ticket_race. */
static int races_for_real(const char *scenario, const char *variant) {
    for (size_t k = 0; k < sizeof broken / sizeof broken[0]; k++)
        if (broken[k].kind == LV_FIND_RACE && strcmp(broken[k].scenario, scenario) == 0 &&
            strcmp(broken[k].variant, variant) == 0)
            return 1;
    return 0;
}

static int failed(const lv_trace *tr) {
    return tr->nfindings > 0 || tr->outcome != LV_OUT_COMPLETED;
}

TEST(every_variant_is_listed_with_a_lesson) {
    ASSERT_GE(lv_nscenarios, 6);
    for (size_t i = 0; i < lv_nscenarios; i++) {
        const lv_scenario *sc = lv_scenarios[i];
        ASSERT_GE(sc->nvariants, 2);
        int nbroken = 0, nfixed = 0;
        for (int v = 0; v < sc->nvariants; v++) {
            const lv_variant_desc *vd = &sc->variants[v];
            ASSERT_GT(strlen(vd->lesson_en), 100);
            ASSERT_GT(strlen(vd->lesson_zh), 50);
            ASSERT(vd->summary && *vd->summary);
            ASSERT(vd->summary_zh);
            int cjk = 0; /* the picker's Chinese summary is in Chinese */
            for (const char *c = vd->summary_zh; *c; c++)
                cjk += (unsigned char)*c >= 0x80;
            ASSERT_GT(cjk, 3);
            if (vd->broken)
                nbroken++;
            else
                nfixed++;
        }
        ASSERT_GE(nbroken, 1);
        ASSERT_GE(nfixed, 1);
        ASSERT(sc->variants[0].broken); /* the default shows the problem with no flags */
        for (int p = 0; p < sc->nparams; p++) {
            ASSERT_LE(sc->params[p].min, sc->params[p].def);
            ASSERT_LE(sc->params[p].def, sc->params[p].max);
        }
    }
}

TEST(broken_variants_fail_as_their_lessons_say) {
    for (size_t k = 0; k < sizeof broken / sizeof broken[0]; k++) {
        const lv_scenario *sc = lv_scenario_find(broken[k].scenario);
        ASSERT(sc);
        int v = lv_scenario_variant_index(sc, broken[k].variant);
        ASSERT_GE(v, 0);
        ASSERT(sc->variants[v].broken);
        int hits = 0;
        for (uint64_t seed = 1; seed <= SEEDS; seed++) {
            lv_trace *tr = run_v(sc, v, NULL, LV_MODE_CONTROLLED, seed, 0);
            int hit = count_findings(tr, broken[k].kind) > 0;
            if (broken[k].always && !hit)
                TEST_FAIL_AT("%s/%s seed %llu: no %s finding", broken[k].scenario,
                             broken[k].variant, (unsigned long long)seed,
                             lv_finding_kind_name(broken[k].kind));
            hits += hit;
            lv_trace_free(tr);
        }
        if (hits == 0)
            TEST_FAIL_AT("%s/%s: no %s finding in %d seeds", broken[k].scenario, broken[k].variant,
                         lv_finding_kind_name(broken[k].kind), SEEDS);
        printf("  %s/%s: %s on %d of %d seeds\n", broken[k].scenario, broken[k].variant,
               lv_finding_kind_name(broken[k].kind), hits, SEEDS);
    }
}

TEST(fixed_variants_never_fail) {
    for (size_t i = 0; i < lv_nscenarios; i++) {
        const lv_scenario *sc = lv_scenarios[i];
        for (int v = 0; v < sc->nvariants; v++) {
            if (sc->variants[v].broken) continue;
            for (uint64_t seed = 1; seed <= SEEDS; seed++) {
                lv_trace *tr = run_v(sc, v, NULL, LV_MODE_CONTROLLED, seed, 0);
                if (failed(tr))
                    TEST_FAIL_AT("%s/%s seed %llu: %s, %zu findings, first: %s", sc->name,
                                 sc->variants[v].name, (unsigned long long)seed,
                                 lv_outcome_name(tr->outcome), tr->nfindings,
                                 tr->nfindings ? tr->findings[0].message : "-");
                lv_trace_free(tr);
            }
        }
    }
}

TEST(live_runs_end_with_the_same_verdicts) {
    for (size_t i = 0; i < lv_nscenarios; i++) {
        const lv_scenario *sc = lv_scenarios[i];
        for (int v = 0; v < sc->nvariants; v++) {
#ifdef LV_UNDER_TSAN
            if (races_for_real(sc->name, sc->variants[v].name)) continue;
#else
            (void)races_for_real;
#endif
            int fails = 0;
            for (uint64_t seed = 1; seed <= 3; seed++) {
                lv_trace *tr = run_v(sc, v, NULL, LV_MODE_LIVE, seed, 0.02);
                if (!sc->variants[v].broken && failed(tr))
                    TEST_FAIL_AT("live %s/%s: %s, first finding: %s", sc->name,
                                 sc->variants[v].name, lv_outcome_name(tr->outcome),
                                 tr->nfindings ? tr->findings[0].message : "-");
                fails += failed(tr);
                lv_trace_free(tr);
            }
            if (sc->variants[v].broken && fails == 0)
                TEST_FAIL_AT("live %s/%s: never failed in 3 runs", sc->name, sc->variants[v].name);
        }
    }
}

static void run_params(const char *name, const char *variant, const char *const *names,
                       const int64_t *values, size_t n, int want_fail) {
    const lv_scenario *sc = lv_scenario_find(name);
    ASSERT(sc);
    int64_t params[LV_MAX_PARAMS];
    for (int p = 0; p < sc->nparams; p++)
        params[p] = sc->params[p].def;
    for (size_t k = 0; k < n; k++) {
        int p = lv_scenario_param_index(sc, names[k]);
        ASSERT_GE(p, 0);
        params[p] = values[k];
    }
    int v = lv_scenario_variant_index(sc, variant);
    ASSERT_GE(v, 0);
    lv_trace *tr = run_v(sc, v, params, LV_MODE_CONTROLLED, 1, 0);
    if (want_fail >= 0 && failed(tr) != want_fail)
        TEST_FAIL_AT("%s/%s: %s with %zu findings (first: %s), want %s", name, variant,
                     lv_outcome_name(tr->outcome), tr->nfindings,
                     tr->nfindings ? tr->findings[0].message : "-",
                     want_fail ? "a failure" : "none");
    ASSERT_EQ(tr->dropped, 0);
    lv_trace_free(tr);
}

TEST(edges_of_the_ranges) {
    /* every parameter at its minimum and its maximum, every variant: runs end cleanly, and the
     * fixed variants stay clean */
    for (size_t i = 0; i < lv_nscenarios; i++) {
        const lv_scenario *sc = lv_scenarios[i];
        for (int p = 0; p < sc->nparams; p++) {
            for (int end = 0; end < 2; end++) {
                int64_t value = end ? sc->params[p].max : sc->params[p].min;
                const char *names[] = {sc->params[p].name};
                for (int v = 0; v < sc->nvariants; v++)
                    run_params(sc->name, sc->variants[v].name, names, &value, 1,
                               sc->variants[v].broken ? -1 : 0);
            }
        }
    }
    const char *tk[] = {"tickets"};
    int64_t zero = 0;
    run_params("ticket", "unlocked", tk, &zero, 1, 0); /* nothing to sell: nothing goes wrong */
    run_params("ticket", "locked", tk, &zero, 1, 0);
    const char *sp[] = {"stalls", "people"};
    int64_t roomy[] = {10, 5};
    run_params("toilets", "none", sp, roomy, 2, 0); /* stalls >= people: the door does not matter */
    run_params("toilets", "semaphore", sp, roomy, 2, 0);
    const char *th[] = {"threads"};
    int64_t one = 1;
    run_params("counter", "unlocked", th, &one, 1, 0); /* one thread cannot race itself */
    run_params("rlock", "lock", th, &one, 1, 1);       /* one thread is enough to hang */
}

/* A run owns its objects: two runs at once in one process (explore beside a new run, a library
 * user with threads of their own) leave each other alone. Every variant, run in two threads at
 * the same time with two seeds, gives byte for byte the traces it gives alone. */
typedef struct twin {
    const lv_scenario *sc;
    int v;
    uint64_t seed;
    char *json;
    size_t len;
} twin;

static char *as_json(const lv_trace *tr, size_t *len) {
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    ASSERT(f);
    ASSERT_EQ(lv_trace_write_json(tr, f), LV_OK);
    ASSERT_EQ(fclose(f), 0);
    return buf;
}

static void *run_twin(void *arg) {
    twin *w = arg;
    lv_trace *tr = run_v(w->sc, w->v, NULL, LV_MODE_CONTROLLED, w->seed, 0);
    w->json = as_json(tr, &w->len);
    lv_trace_free(tr);
    return NULL;
}

TEST(two_runs_at_once_leave_each_other_alone) {
    for (size_t i = 0; i < lv_nscenarios; i++) {
        const lv_scenario *sc = lv_scenarios[i];
        for (int v = 0; v < sc->nvariants; v++) {
            twin w[2] = {{sc, v, 5, NULL, 0}, {sc, v, 6, NULL, 0}};
            pthread_t t[2];
            for (int k = 0; k < 2; k++)
                ASSERT_EQ(pthread_create(&t[k], NULL, run_twin, &w[k]), 0);
            for (int k = 0; k < 2; k++)
                ASSERT_EQ(pthread_join(t[k], NULL), 0);
            for (int k = 0; k < 2; k++) {
                twin alone = w[k];
                run_twin(&alone);
                ASSERT_EQ(alone.len, w[k].len);
                ASSERT(memcmp(alone.json, w[k].json, w[k].len) == 0);
                free(alone.json);
                free(w[k].json);
            }
        }
    }
}

TEST_MAIN(TEST_ENTRY(every_variant_is_listed_with_a_lesson, 30),
          TEST_ENTRY(broken_variants_fail_as_their_lessons_say, 500),
          TEST_ENTRY(fixed_variants_never_fail, 500),
          TEST_ENTRY(live_runs_end_with_the_same_verdicts, 300),
          TEST_ENTRY(edges_of_the_ranges, 300),
          TEST_ENTRY(two_runs_at_once_leave_each_other_alone, 300))
