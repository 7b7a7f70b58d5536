/* What each scheduling policy of a controlled run picks, at every choice point, seen through a
 * chooser that only watches (it returns -1, so the policy decides): round robin takes the next
 * enabled thread after the current one, random is seeded and reproducible, PCT keeps a thread
 * running until a change point lowers it, and a replayed schedule is followed. */
#include "support.h"

#define WORKERS 3
#define STEPS 6
#define MAX_CHOICES 256

static lv_var *g_vars[WORKERS];

static void worker(void *arg) {
    lv_var *v = arg;
    for (int i = 0; i < STEPS; i++) /* each write is a scheduling point; nothing ever blocks */
        lv_var_write(v, i);
}

static void main_workers(const lv_args *a) {
    (void)a;
    lv_thread *t[WORKERS];
    for (int i = 0; i < WORKERS; i++)
        g_vars[i] = lv_var_new("v", 0);
    for (int i = 0; i < WORKERS; i++)
        t[i] = lv_spawn("w", worker, g_vars[i]);
    for (int i = 0; i < WORKERS; i++)
        lv_join(t[i]);
}

static const lv_scenario workers_sc = {.name = "workers",
                                       .title = "workers",
                                       .variants = support_variant_,
                                       .nvariants = 1,
                                       .main = main_workers};

/* What the chooser was shown at each choice point it was asked at (by index). */
typedef struct seen {
    size_t n; /* asked this many times */
    int asked[MAX_CHOICES];
    int32_t current[MAX_CHOICES];
    int32_t enabled[MAX_CHOICES][WORKERS + 1];
    size_t nenabled[MAX_CHOICES];
} seen;

static int32_t watch(void *ctx, const lv_choice *c) {
    seen *s = ctx;
    size_t i = c->index;
    ASSERT_LE(c->nenabled, WORKERS + 1);
    ASSERT_LT(i, MAX_CHOICES);
    s->asked[i] = 1;
    s->current[i] = c->current;
    memcpy(s->enabled[i], c->enabled, c->nenabled * sizeof *c->enabled);
    s->nenabled[i] = c->nenabled;
    s->n++;
    return -1;
}

typedef struct pol {
    lv_policy policy;
    uint64_t seed;
    int depth;
    size_t steps;
    const int32_t *sched;
    size_t nsched;
} pol;

static lv_trace *run_pol(pol p, seen *s, long *diverged) {
    memset(s, 0, sizeof *s);
    lv_run_desc d = {.scenario = &workers_sc,
                     .mode = LV_MODE_CONTROLLED,
                     .seed = p.seed,
                     .policy = p.policy,
                     .pct_depth = p.depth,
                     .pct_steps = p.steps,
                     .schedule = p.sched,
                     .nschedule = p.nsched,
                     .chooser = watch,
                     .chooser_ctx = s};
    lv_trace *tr = NULL;
    long div = 0;
    ASSERT_EQ(lv_run_ex(&d, &tr, &div), LV_OK);
    ASSERT_EQ(tr->outcome, LV_OUT_COMPLETED);
    if (diverged) *diverged = div;
    if (!p.nsched) ASSERT_EQ(s->n, tr->nschedule); /* asked at every point, after no schedule */
    for (size_t i = 0; i < tr->nschedule && i < MAX_CHOICES; i++) { /* every pick could run */
        if (!s->asked[i]) continue;
        int ok = 0;
        for (size_t k = 0; k < s->nenabled[i]; k++)
            ok |= s->enabled[i][k] == tr->schedule[i];
        ASSERT(ok);
    }
    return tr;
}

static int in_enabled(const seen *s, size_t i, int32_t t) {
    for (size_t k = 0; k < s->nenabled[i]; k++)
        if (s->enabled[i][k] == t) return 1;
    return 0;
}

/* round robin's pick at choice i: the first enabled id above the current one, else the lowest */
static int32_t rr_next(const seen *s, size_t i) {
    for (size_t k = 0; k < s->nenabled[i]; k++)
        if (s->enabled[i][k] > s->current[i]) return s->enabled[i][k];
    return s->enabled[i][0];
}

static int same_schedule(const lv_trace *a, const lv_trace *b) {
    return a->nschedule == b->nschedule &&
           memcmp(a->schedule, b->schedule, a->nschedule * sizeof *a->schedule) == 0;
}

TEST(round_robin_rotates_in_order) {
    seen s;
    lv_trace *tr = run_pol((pol){LV_POLICY_RR, 1, 0, 0, NULL, 0}, &s, NULL);
    ASSERT_GT(tr->nschedule, WORKERS * STEPS / 2);
    size_t moved_on = 0; /* picks that are neither the current thread nor the lowest enabled */
    for (size_t i = 0; i < tr->nschedule; i++) {
        ASSERT_EQ(tr->schedule[i], rr_next(&s, i));
        ASSERT_NE(tr->schedule[i], s.current[i]); /* it always passes the turn on */
        moved_on += tr->schedule[i] != s.enabled[i][0];
    }
    ASSERT_GT(moved_on, 0);
    lv_trace_free(tr);
}

TEST(random_is_seeded_and_reproducible) {
    seen s;
    lv_trace *first[5];
    size_t distinct = 0, not_rr = 0;
    for (uint64_t seed = 1; seed <= 5; seed++) {
        lv_trace *a = run_pol((pol){LV_POLICY_RANDOM, seed, 0, 0, NULL, 0}, &s, NULL);
        for (size_t i = 0; i < a->nschedule; i++)
            not_rr += a->schedule[i] != rr_next(&s, i);
        lv_trace *b = run_pol((pol){LV_POLICY_RANDOM, seed, 0, 0, NULL, 0}, &s, NULL);
        ASSERT(same_schedule(a, b)); /* the seed alone decides */
        lv_trace_free(b);
        int fresh = 1;
        for (uint64_t k = 1; k < seed; k++)
            fresh &= !same_schedule(first[k - 1], a);
        distinct += fresh;
        first[seed - 1] = a;
    }
    ASSERT_GE(distinct, 4); /* other seeds, other interleavings */
    ASSERT_GT(not_rr, 0);
    for (int i = 0; i < 5; i++)
        lv_trace_free(first[i]);
}

/* Switches away from a worker that could have gone on: PCT makes one only at a change point,
 * where it lowers the running thread's priority (workers only ever lose threads to pick from,
 * so a worker that was the highest stays the highest until then). */
static size_t preemptions(const lv_trace *tr, const seen *s) {
    size_t n = 0;
    for (size_t i = 0; i < tr->nschedule; i++)
        n += s->current[i] != 0 && in_enabled(s, i, s->current[i]) &&
             tr->schedule[i] != s->current[i];
    return n;
}

TEST(pct_keeps_priorities_and_changes_them_at_change_points) {
    seen s;
    size_t changed = 0;
    for (uint64_t seed = 1; seed <= 8; seed++) {
        lv_trace *one = run_pol((pol){LV_POLICY_PCT, seed, 1, 0, NULL, 0}, &s, NULL);
        ASSERT_EQ(preemptions(one, &s),
                  0); /* d = 1: no change point, each worker runs to its end */
        size_t steps = one->nschedule;
        lv_trace_free(one);
        lv_trace *a = run_pol((pol){LV_POLICY_PCT, seed, 3, steps, NULL, 0}, &s, NULL);
        size_t p = preemptions(a, &s);
        ASSERT_LE(p, 2); /* d = 3: at most d - 1 changes */
        changed += p > 0;
        lv_trace *b = run_pol((pol){LV_POLICY_PCT, seed, 3, steps, NULL, 0}, &s, NULL);
        ASSERT(same_schedule(a, b));
        lv_trace_free(a);
        lv_trace_free(b);
    }
    ASSERT_GT(changed, 0); /* the change points do lower a running thread */
}

TEST(replay_follows_the_schedule) {
    seen s;
    lv_trace *a = run_pol((pol){LV_POLICY_RANDOM, 5, 0, 0, NULL, 0}, &s, NULL);
    ASSERT_GT(a->nschedule, 4);
    long div = 0;
    /* under another policy and seed, the schedule alone gives the same run */
    lv_trace *b = run_pol((pol){LV_POLICY_RR, 9, 0, 0, a->schedule, a->nschedule}, &s, &div);
    ASSERT_EQ(div, -1);
    ASSERT(same_schedule(a, b));
    ASSERT_EQ(a->nevents, b->nevents);
    for (size_t i = 0; i < a->nevents; i++) {
        ASSERT_EQ(a->events[i].thread, b->events[i].thread);
        ASSERT_EQ(a->events[i].kind, b->events[i].kind);
    }
    lv_trace_free(b);
    /* a schedule naming a thread that cannot run there: the policy takes over at that point */
    size_t k = a->nschedule / 2;
    int32_t *bad = malloc(a->nschedule * sizeof *bad);
    ASSERT(bad);
    memcpy(bad, a->schedule, a->nschedule * sizeof *bad);
    bad[k] = 99;
    lv_trace *c = run_pol((pol){LV_POLICY_RR, 9, 0, 0, bad, a->nschedule}, &s, &div);
    ASSERT_EQ(div, (long)k);
    ASSERT_EQ(memcmp(c->schedule, a->schedule, k * sizeof *bad), 0);
    ASSERT(s.asked[k] && !s.asked[k - 1]);     /* the schedule was followed up to k */
    ASSERT_EQ(c->schedule[k], rr_next(&s, k)); /* and the policy chose there */
    free(bad);
    lv_trace_free(c);
    lv_trace_free(a);
}

TEST_MAIN(TEST_ENTRY(round_robin_rotates_in_order, 30),
          TEST_ENTRY(random_is_seeded_and_reproducible, 30),
          TEST_ENTRY(pct_keeps_priorities_and_changes_them_at_change_points, 30),
          TEST_ENTRY(replay_follows_the_schedule, 30))
