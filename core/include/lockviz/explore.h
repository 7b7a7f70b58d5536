/* Explore: controlled runs over many schedules until one fails (any finding, or a deadlock).
 * dfs enumerates the schedules systematically under a preemption bound and never runs one
 * twice; pct and random sample them. The failing run's trace replays it exactly. */
#ifndef LOCKVIZ_EXPLORE_H
#define LOCKVIZ_EXPLORE_H

#include <stddef.h>
#include <stdint.h>
#include "record.h"
#include "run.h"

typedef enum lv_strategy { LV_STRATEGY_DFS, LV_STRATEGY_PCT, LV_STRATEGY_RANDOM } lv_strategy;

/* The defaults of `lockviz explore` and of explore from the window: the budget in runs and
 * dfs's preemption bound. */
#define LV_EXPLORE_RUNS 1000
#define LV_EXPLORE_PREEMPTIONS 2

typedef struct lv_explore_desc {
    const lv_scenario *scenario;
    /* or a recorded program (lockviz explore -- PROGRAM): each run is a fresh process recorded
     * controlled; only argv, name and preload of it are read. A program's run also fails when
     * the program does not exit with status 0, and a lock-order finding alone does not fail
     * it (it shows on every run; the search is for the one that deadlocks). */
    const lv_record_desc *program;
    char *errbuf; /* program: lv_record's one-line message when a run cannot be made */
    size_t errlen;
    int variant;
    const int64_t *params; /* NULL: the defaults */
    lv_strategy strategy;
    size_t runs;     /* the budget: 0 means LV_EXPLORE_RUNS */
    int preemptions; /* dfs: at most this many preemptions per schedule (-1: no bound) */
    uint64_t seed;   /* the scenario's seed (at most LV_SEED_MAX, else LV_ERANGE); pct and
                        random also derive their policies' seeds */
    int pct_depth;   /* 0 means 3 */
    /* optional: called after every run; a nonzero return stops the exploration */
    int (*progress)(void *ctx, size_t done, size_t budget);
    void *progress_ctx;
    /* optional: sees every run's trace (borrowed: valid only during the call) */
    void (*on_run)(void *ctx, const lv_trace *tr);
    void *on_run_ctx;
} lv_explore_desc;

typedef struct lv_explore_result {
    size_t runs;        /* schedules run */
    int exhausted;      /* dfs: every schedule within the bound was run */
    lv_trace *failing;  /* the first failing run (owned by the caller), or NULL */
    size_t failing_run; /* its index among the runs */
    /* programs: runs that named a thread that could not go on in their prefix (the program
     * is not deterministic under control), and whether dfs lost track of a run's choice
     * points (then it is never exhausted) */
    size_t diverged;
    int incomplete;
} lv_explore_result;

lv_err lv_explore(const lv_explore_desc *d, lv_explore_result *res);

#endif
