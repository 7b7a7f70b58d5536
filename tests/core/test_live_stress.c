/* Live runs on a loaded machine: every fixed variant of every scenario, many times, while
 * one spinning thread per core keeps every core busy and the run's own threads (the
 * watchdog's too) have the lowest priority there is (SCHED_IDLE), so a thread that could go on
 * often waits a long time to be scheduled. No fixed run may end deadlocked; a run of a variant
 * that deadlocks must end (never hang) deadlocked with its cycle in its finding: the watchdog
 * finds what is there and nothing else.
 *
 * LV_STRESS_RUNS (environment) overrides the number of runs per variant. */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <time.h>
#include <unistd.h>
#include "registry.h"
#include "support.h"

/* per variant; the sanitizer builds run several times slower */
#if defined(LV_UNDER_TSAN) || defined(LV_UNDER_ASAN)
#define RUNS 2
#else
#define RUNS 5
#endif
#define SPINNERS 1 /* per core */
#define SCALE 0.05 /* every sleep x 0.05: a run is short, and still long next to a scan */

static atomic_int spinning;

static void *spin(void *arg) {
    (void)arg;
    while (atomic_load_explicit(&spinning, memory_order_relaxed)) {
    }
    return NULL;
}

typedef struct load {
    pthread_t t[64];
    int n;
} load;

/* One spinner per core at normal priority; then the calling thread (and every thread it
 * starts from now on: the run's) drops to SCHED_IDLE. */
static void load_start(load *l) {
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    if (cores < 1) cores = 1;
    if (cores > 16) cores = 16;
    atomic_store(&spinning, 1);
    l->n = 0;
    for (long i = 0; i < cores * SPINNERS; i++)
        if (pthread_create(&l->t[l->n], NULL, spin, NULL) == 0) l->n++;
    struct sched_param p = {0};
    if (sched_setscheduler(0, SCHED_IDLE, &p) != 0)
        printf("  SCHED_IDLE refused: the run's threads keep normal priority\n");
}

static void load_stop(load *l) {
    struct sched_param p = {0};
    sched_setscheduler(0, SCHED_OTHER, &p);
    atomic_store(&spinning, 0);
    for (int i = 0; i < l->n; i++)
        pthread_join(l->t[i], NULL);
}

static int runs(void) {
    const char *e = getenv("LV_STRESS_RUNS");
    return e && atoi(e) > 0 ? atoi(e) : RUNS;
}

/* Parameters other than the defaults. Fewer threads where a run has many: each hand-off waits
 * long to be scheduled here, and more runs of fewer threads open as many windows in less time.
 * The A/B deadlock with 16 threads: some thread takes A while another sleeps holding B, so the
 * cycle forms however the threads are scheduled. */
static const struct {
    const char *scenario, *variant, *param; /* variant NULL: every variant */
    int64_t value;
} sized[] = {{"ticket", NULL, "buyers", 5},        {"counter", NULL, "threads", 10},
             {"toilets", NULL, "people", 6},       {"traffic-light", NULL, "cars", 3},
             {"traffic-light", NULL, "cycles", 1}, {"deadlock", "two-locks", "threads", 16}};

static lv_trace *run_live(const lv_scenario *sc, int v, uint64_t seed, double scale) {
    int64_t params[LV_MAX_PARAMS];
    for (int p = 0; p < sc->nparams; p++)
        params[p] = sc->params[p].def;
    for (size_t k = 0; k < sizeof sized / sizeof sized[0]; k++) {
        if (strcmp(sc->name, sized[k].scenario) != 0) continue;
        if (sized[k].variant && strcmp(sc->variants[v].name, sized[k].variant) != 0) continue;
        int p = lv_scenario_param_index(sc, sized[k].param);
        if (p >= 0) params[p] = sized[k].value;
    }
    lv_run_desc d = {.scenario = sc,
                     .variant = v,
                     .params = params,
                     .mode = LV_MODE_LIVE,
                     .seed = seed,
                     .time_scale = scale};
    lv_trace *tr = NULL;
    lv_err err = lv_run(&d, &tr);
    if (err != LV_OK) TEST_FAIL_AT("%s/%s: %s", sc->name, sc->variants[v].name, lv_strerror(err));
    return tr;
}

/* Variants with a real data race stop under ThreadSanitizer (tsan_ticket_race runs those);
 * none of them is fixed. Every run is made; the counts are printed, then the case fails if
 * any run deadlocked. */
TEST(fixed_variants_never_deadlock_live_under_load) {
    load l;
    load_start(&l);
    int n = runs(), total = 0, bad = 0;
    for (size_t i = 0; i < lv_nscenarios; i++) {
        const lv_scenario *sc = lv_scenarios[i];
        for (int v = 0; v < sc->nvariants; v++) {
            if (sc->variants[v].broken) continue;
            int here = 0;
            struct timespec t0, t1;
            clock_gettime(CLOCK_MONOTONIC, &t0);
            for (int r = 0; r < n; r++) {
                lv_trace *tr = run_live(sc, v, (uint64_t)r + 1, SCALE);
                if (tr->outcome != LV_OUT_COMPLETED || count_findings(tr, LV_FIND_DEADLOCK)) {
                    if (!here)
                        printf("  live %s/%s run %d: %s, %zu findings, first: %s\n", sc->name,
                               sc->variants[v].name, r + 1, lv_outcome_name(tr->outcome),
                               tr->nfindings, tr->nfindings ? tr->findings[0].message : "-");
                    here++;
                }
                lv_trace_free(tr);
            }
            clock_gettime(CLOCK_MONOTONIC, &t1);
            printf("  live %s/%s: %d of %d runs deadlocked (%.1f s)\n", sc->name,
                   sc->variants[v].name, here, n,
                   (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
            total += n;
            bad += here;
        }
    }
    load_stop(&l);
    printf("  %d of %d live runs of fixed variants deadlocked\n", bad, total);
    ASSERT_EQ(bad, 0);
}

/* The variants that deadlock: a plain Lock taken twice, on every run; the A/B cycle whenever
 * the threads overlap (at full time scale, with 16 threads: nearly always). A run that
 * deadlocks must end with its cycle found; none may hang (the case's time limit). */
static const struct {
    const char *scenario, *variant, *needle;
    int always;
} deadlocking[] = {
    {"rlock", "lock", "which it holds itself", 1},
    {"deadlock", "two-locks", "in a circle", 0},
};

TEST(deadlocking_variants_deadlock_live_under_load_and_are_found) {
    load l;
    load_start(&l);
    int n = runs();
    for (size_t k = 0; k < sizeof deadlocking / sizeof deadlocking[0]; k++) {
        const lv_scenario *sc = lv_scenario_find(deadlocking[k].scenario);
        ASSERT(sc);
        int v = lv_scenario_variant_index(sc, deadlocking[k].variant);
        ASSERT_GE(v, 0);
        int found = 0;
        for (int r = 0; r < n; r++) {
            lv_trace *tr = run_live(sc, v, (uint64_t)r + 1, 1.0);
            int dl = tr->outcome == LV_OUT_DEADLOCKED;
            if ((dl || deadlocking[k].always) &&
                (!dl || !find_finding(tr, LV_FIND_DEADLOCK, deadlocking[k].needle)))
                TEST_FAIL_AT("live %s/%s run %d: %s, %zu findings, first: %s", sc->name,
                             sc->variants[v].name, r + 1, lv_outcome_name(tr->outcome),
                             tr->nfindings, tr->nfindings ? tr->findings[0].message : "-");
            if (!dl && tr->outcome != LV_OUT_COMPLETED)
                TEST_FAIL_AT("live %s/%s run %d: %s", sc->name, sc->variants[v].name, r + 1,
                             lv_outcome_name(tr->outcome));
            found += dl;
            lv_trace_free(tr);
        }
        printf("  live %s/%s: deadlocked and found on %d of %d runs\n", sc->name,
               sc->variants[v].name, found, n);
        ASSERT_GT(found, 0);
    }
    load_stop(&l);
}

TEST_MAIN(TEST_ENTRY(fixed_variants_never_deadlock_live_under_load, 110),
          TEST_ENTRY(deadlocking_variants_deadlock_live_under_load_and_are_found, 60))
