/* Explore: runs a scenario, or a recorded program, under many schedules and stops at the
 * first that fails. A program's run is a fresh process (lv_record, controlled) given its
 * schedule prefix; under dfs it logs its choice points past the prefix, which go onto the
 * stack as a scenario's do when its chooser is asked.
 * dfs is stateless model checking by re-execution: a run follows a prefix of choices, then
 * takes the non-preemptive choice (keep the current thread when it can run) at every new
 * choice point and records what else could have run there. After the run, the deepest choice
 * point with an untried alternative (within the preemption bound) gives the next prefix. Runs
 * are deterministic, so every prefix is a different schedule: none runs twice.
 * It does not prune equivalent interleavings (no partial-order reduction). */
#include <stdlib.h>
#include <string.h>
#include "lockviz/lockviz.h"
#include "lockviz/record.h"

typedef struct node {
    int32_t *enabled;
    size_t n;
    int32_t current; /* the thread that reached the point */
    int cur_enabled; /* could it have gone on (choosing another is a preemption)? */
    uint8_t *tried;
    size_t chosen;
    int pre_before; /* preemptions on the path before this point */
} node;

typedef struct dfs {
    node *stack;
    size_t depth, cap;
    int32_t *prefix;
    size_t nprefix;
    int bound;
    int oom;
} dfs;

static int is_preemption(const node *nd, size_t j) {
    return nd->cur_enabled && nd->enabled[j] != nd->current;
}

/* A new choice point below the stack: the n threads that could run (ascending), the one that
 * reached it, and the one taken: the non-preemptive choice (current if it can go on, else
 * the first), or for a program the one its run took. The thread taken, or -1 (out of memory). */
static int32_t dfs_push(dfs *d, const int32_t *en, size_t n, int32_t current, int32_t taken) {
    if (d->oom) return -1;
    if (d->depth == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 64;
        node *ns = realloc(d->stack, cap * sizeof *ns);
        if (!ns) {
            d->oom = 1;
            return -1;
        }
        d->stack = ns;
        d->cap = cap;
    }
    node *nd = &d->stack[d->depth];
    memset(nd, 0, sizeof *nd);
    nd->enabled = malloc(n * sizeof *nd->enabled);
    nd->tried = calloc(n, 1);
    if (!nd->enabled || !nd->tried) {
        free(nd->enabled);
        free(nd->tried);
        d->oom = 1;
        return -1;
    }
    memcpy(nd->enabled, en, n * sizeof *nd->enabled);
    nd->n = n;
    nd->current = current;
    nd->chosen = 0;
    for (size_t i = 0; i < nd->n; i++)
        if (nd->enabled[i] == current) {
            nd->cur_enabled = 1;
            nd->chosen = i;
        }
    for (size_t i = 0; taken >= 0 && i < nd->n; i++)
        if (nd->enabled[i] == taken) nd->chosen = i;
    nd->pre_before = d->depth
                         ? d->stack[d->depth - 1].pre_before +
                               is_preemption(&d->stack[d->depth - 1], d->stack[d->depth - 1].chosen)
                         : 0;
    nd->tried[nd->chosen] = 1;
    d->depth++;
    return nd->enabled[nd->chosen];
}

static int32_t dfs_choose(void *ctx, const lv_choice *c) {
    dfs *d = ctx;
    if (c->index < d->nprefix) return d->prefix[c->index];
    return dfs_push(d, c->enabled, c->nenabled, c->current, -1);
}

/* A program's run past its prefix: its logged choice points onto the stack, each with the
 * thread the run took there. -1 when the log does not follow the stack (the run left its
 * prefix, or the log was cut): the search below that point is then incomplete. */
static int dfs_take_log(dfs *d, const lv_choice_log *pl, const lv_trace *tr) {
    size_t i = 0;
    while (i + 3 <= pl->n) {
        int32_t k = pl->data[i], current = pl->data[i + 1], n = pl->data[i + 2];
        if (n < 2 || i + 3 + (size_t)n > pl->n || k < 0 || (size_t)k != d->depth ||
            (size_t)k >= tr->nschedule)
            return -1;
        if (dfs_push(d, pl->data + i + 3, (size_t)n, current, tr->schedule[k]) < 0) return 0;
        i += 3 + (size_t)n;
    }
    return pl->full ? -1 : 0;
}

/* Sets the prefix of the next schedule. 0 when there is none left. */
static int dfs_next(dfs *d) {
    while (d->depth) {
        node *nd = &d->stack[d->depth - 1];
        for (size_t j = 0; j < nd->n; j++) {
            if (nd->tried[j]) continue;
            if (d->bound >= 0 && nd->pre_before + is_preemption(nd, j) > d->bound) continue;
            nd->tried[j] = 1;
            nd->chosen = j;
            int32_t *p = realloc(d->prefix, d->depth * sizeof *p);
            if (!p) {
                d->oom = 1;
                return 0;
            }
            d->prefix = p;
            for (size_t k = 0; k < d->depth; k++)
                p[k] = d->stack[k].enabled[d->stack[k].chosen];
            d->nprefix = d->depth;
            return 1;
        }
        free(nd->enabled);
        free(nd->tried);
        d->depth--;
    }
    return 0;
}

static void dfs_free(dfs *d) {
    for (size_t i = 0; i < d->depth; i++) {
        free(d->stack[i].enabled);
        free(d->stack[i].tried);
    }
    free(d->stack);
    free(d->prefix);
}

/* A run fails with any finding or a deadlock; a program's also when it does not exit with
 * status 0 (its own check failed, it crashed, it was stopped). A lock-order inversion alone
 * does not fail a program's run: a program that takes two locks in both orders shows it on
 * every run, and the search is for the run where the inversion deadlocks. */
static int failed(const lv_trace *tr) {
    if (tr->outcome != LV_OUT_COMPLETED) return 1;
    if (!tr->program) return tr->nfindings > 0;
    if (tr->program->end != LV_PROG_EXITED || tr->program->status != 0) return 1;
    for (size_t i = 0; i < tr->nfindings; i++)
        if (tr->findings[i].kind != LV_FIND_LOCK_ORDER) return 1;
    return 0;
}

/* One run of the program of x, with the prefix of d (dfs) or the policy and seed of rd. */
static lv_err program_run(const lv_explore_desc *x, const lv_run_desc *rd, dfs *d,
                          lv_choice_log *pl, long *diverged, lv_trace **tr) {
    lv_record_desc r = *x->program;
    r.mode = LV_MODE_CONTROLLED;
    r.seed = rd->seed;
    r.policy = rd->policy;
    r.pct_depth = x->pct_depth;
    r.pct_steps = (unsigned)rd->pct_steps;
    r.quiet = 1;
    r.prefault_kib = 512;
    r.diverged_at = diverged;
    r.dfs = x->strategy == LV_STRATEGY_DFS;
    r.points = r.dfs ? pl : NULL;
    r.schedule = r.dfs ? d->prefix : NULL;
    r.nschedule = r.dfs ? d->nprefix : 0;
    char eb[512];
    lv_err err = lv_record(&r, tr, x->errbuf ? x->errbuf : eb, x->errbuf ? x->errlen : sizeof eb);
    return err;
}

lv_err lv_explore(const lv_explore_desc *x, lv_explore_result *res) {
    memset(res, 0, sizeof *res);
    if (x->seed > LV_SEED_MAX) return LV_ERANGE;
    size_t budget = x->runs ? x->runs : LV_EXPLORE_RUNS;
    dfs d = {.bound = x->preemptions};
    lv_choice_log pl = {0};
    size_t pct_steps = 0;
    lv_err err = LV_OK;
    for (size_t i = 0; i < budget; i++) {
        lv_run_desc rd = {.scenario = x->scenario,
                          .variant = x->variant,
                          .params = x->params,
                          .mode = LV_MODE_CONTROLLED,
                          .seed = x->seed,
                          .pct_depth = x->pct_depth,
                          .pct_steps = pct_steps};
        if (x->strategy == LV_STRATEGY_DFS) {
            rd.chooser = dfs_choose;
            rd.chooser_ctx = &d;
            rd.policy = LV_POLICY_RR; /* never asked: the chooser always answers */
        } else {
            /* each run gets its own seed (the policy's and the scenario's random choices),
             * derived from the given one; the failing trace records it for the replay */
            rd.policy = x->strategy == LV_STRATEGY_PCT ? LV_POLICY_PCT : LV_POLICY_RANDOM;
            rd.seed = (x->seed + i * 0x9E3779B97F4A7C15ULL) & LV_SEED_MAX; /* 2^53 - 1: a mask */
        }
        lv_trace *tr = NULL;
        long diverged = -1;
        err = x->program ? program_run(x, &rd, &d, &pl, &diverged, &tr) : lv_run(&rd, &tr);
        if (err != LV_OK) break;
        if (x->program && diverged >= 0) res->diverged++;
        if (x->program && rd.chooser && dfs_take_log(&d, &pl, tr) < 0) res->incomplete = 1;
        if (d.oom) {
            lv_trace_free(tr);
            err = LV_ENOMEM;
            break;
        }
        res->runs++;
        if (x->on_run) x->on_run(x->on_run_ctx, tr);
        if (tr->nschedule > pct_steps) pct_steps = tr->nschedule;
        if (failed(tr)) {
            res->failing = tr;
            res->failing_run = i;
            break;
        }
        lv_trace_free(tr);
        if (x->progress && x->progress(x->progress_ctx, res->runs, budget)) break;
        if (x->strategy == LV_STRATEGY_DFS && !dfs_next(&d)) {
            if (d.oom)
                err = LV_ENOMEM;
            else
                res->exhausted = !res->incomplete;
            break;
        }
    }
    dfs_free(&d);
    free(pl.data);
    return err;
}
