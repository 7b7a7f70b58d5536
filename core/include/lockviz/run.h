/* Scenarios and runs: the descriptor a scenario file fills in, and the call that runs one and
 * returns its trace. A run owns its threads and objects; the trace it returns owns itself. */
#ifndef LOCKVIZ_RUN_H
#define LOCKVIZ_RUN_H

#include <stdint.h>
#include "err.h"
#include "trace.h"

#define LV_MAX_PARAMS 8
/* The largest seed (2^53 - 1): the trace records it, so it stays a number JSON holds exactly.
 * lv_run refuses a larger one (LV_ERANGE). */
#define LV_SEED_MAX ((uint64_t)LV_TRACE_INT_MAX)

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
    int broken;             /* 1: this variant is meant to fail */
    const char *summary_zh; /* the summary in Chinese (the scenario picker shows it) */
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
    /* Set by lockviz (leave it out): the absolute path of the file a scenario was loaded from,
     * NULL for a built-in one. lv_run runs such a scenario in a child process (see lv_run). */
    const char *path;
} lv_scenario;

/* A scenario file of a user's (docs/writing-scenarios.md) names its descriptor with
 *     LV_SCENARIO(.name = "bank", .title = "...", .variants = variants,
 *                 .nvariants = LV_COUNTOF(variants), .main = bank_main);
 * at file scope, and is built with
 *     cc -shared -fPIC bank.c $(pkg-config --cflags --libs lockviz) -o bank.so
 * lockviz reads the two symbols it defines; LV_SCENARIO_ABI changes when lv_scenario does. */
#define LV_SCENARIO_ABI 1
#define LV_COUNTOF(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define LV_SCENARIO(...)                                                                           \
    extern const int lv_scenario_abi;                                                              \
    extern const lv_scenario lv_scenario_entry;                                                    \
    const int lv_scenario_abi = LV_SCENARIO_ABI;                                                   \
    const lv_scenario lv_scenario_entry = {__VA_ARGS__}

typedef enum lv_policy {
    LV_POLICY_RANDOM, /* seeded random: each enabled thread equally likely */
    LV_POLICY_RR,     /* round robin: the next enabled thread after the current one */
    LV_POLICY_PCT     /* probabilistic concurrency testing: random priorities, d-1 changes */
} lv_policy;

/* A choice point of a controlled run: more than one thread could run next. */
typedef struct lv_choice {
    size_t index;           /* 0, 1, 2 ... over the run's choice points */
    const int32_t *enabled; /* ids of the threads that can run, ascending */
    size_t nenabled;
    int32_t current; /* the thread that reached this point */
    int64_t vnow;    /* virtual time, ns */
    /* events recorded so far by all threads; in the run's trace they are exactly its first
     * nrecorded events, the ones with t < vnow (every point advances the clock first) */
    size_t nrecorded;
} lv_choice;

/* Returns the id of one of c->enabled, or -1 to let the policy choose. Called from the
 * scenario thread that reached the point; it may block (a person choosing). */
typedef int32_t (*lv_chooser)(void *ctx, const lv_choice *c);

typedef struct lv_run_desc {
    const lv_scenario *scenario;
    int variant;
    const int64_t *params; /* NULL: the defaults */
    lv_mode mode;
    uint64_t seed;
    double time_scale; /* live mode: real sleeps are multiplied by this; 0 means 1 */
    /* controlled mode */
    lv_policy policy;
    int pct_depth;           /* PCT's d: 0 means 3 */
    size_t pct_steps;        /* PCT's estimate of the choice points in a run: 0 means 50 */
    const int32_t *schedule; /* replayed first: the thread to pick at each choice point */
    size_t nschedule;        /* when it runs out (or names a thread that cannot run), the
                                chooser and then the policy continue */
    lv_chooser chooser;      /* optional: asked at every choice point after the schedule */
    int trace_off;           /* live mode: record nothing (the primitives still work); for
                                measuring what tracing costs */
    void *chooser_ctx;
} lv_run_desc;

/* Runs a scenario to the end and returns its trace with findings computed (lv_analyze).
 * A scenario loaded from a file (sc->path set) runs in a child process that sends the trace
 * back (the chooser is still called here, in this process): if it crashes, exits, or goes
 * LOCKVIZ_TIME_LIMIT seconds (default 30; 0: no limit) without finishing or reaching a choice
 * point, the child is killed, one line on stderr says what happened, and lv_run returns
 * LV_ECRASHED or LV_ETIMEDOUT; this process and its windows are untouched.
 * Controlled mode records in the trace's schedule the thread picked at each choice point
 * (a scheduling point where more than one thread could run); replaying it with the same
 * scenario, variant, parameters and seed gives the same trace, byte for byte.
 * LV_ENOMEM / LV_ETHREAD / LV_EUNSUPPORTED on failure, LV_ERANGE for a seed above LV_SEED_MAX
 * or a parameter outside its range; a scenario that deadlocks or fails its checks still
 * returns LV_OK: that is in the trace. */
lv_err lv_run(const lv_run_desc *desc, lv_trace **out);

/* Helpers for names given on a command line. -1 when unknown. */
int lv_scenario_variant_index(const lv_scenario *sc, const char *name);
int lv_scenario_param_index(const lv_scenario *sc, const char *name);

/* After a replay: the first choice point where the schedule named a thread that could not
 * run (so the policy chose instead), or -1 when the schedule was followed. Set in *out by
 * lv_run_ex; lv_run ignores it. */
lv_err lv_run_ex(const lv_run_desc *desc, lv_trace **out, long *diverged_at);

#endif
