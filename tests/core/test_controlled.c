/* Controlled runs: determinism (seed and schedule give the same bytes), every kind of deadlock
 * ends the run "deadlocked" naming the right threads and objects, virtual time, policies,
 * the chooser, explore's dfs (no schedule twice; a bug that needs one preemption), and a live
 * deadlock that the watchdog ends. */
#include "registry.h"
#include "support.h"

static char *to_bytes(const lv_trace *tr, size_t *len) {
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    ASSERT(f);
    ASSERT_EQ(lv_trace_write_json(tr, f), LV_OK);
    fclose(f);
    return buf;
}

static lv_trace *run_sc(const char *name, const char *variant, uint64_t seed, lv_policy policy,
                        const int32_t *sched, size_t nsched) {
    const lv_scenario *sc = lv_scenario_find(name);
    ASSERT(sc);
    lv_run_desc d = {.scenario = sc,
                     .variant = lv_scenario_variant_index(sc, variant),
                     .mode = LV_MODE_CONTROLLED,
                     .seed = seed,
                     .policy = policy,
                     .schedule = sched,
                     .nschedule = nsched};
    ASSERT_GE(d.variant, 0);
    lv_trace *tr = NULL;
    ASSERT_EQ(lv_run(&d, &tr), LV_OK);
    return tr;
}

TEST(same_seed_same_bytes_and_replay) {
    const char *cases[][2] = {{"ticket", "unlocked"},    {"ticket", "locked"},
                              {"deadlock", "two-locks"}, {"deadlock", "timeout"},
                              {"rlock", "lock"},         {"rlock", "rlock"}};
    lv_policy pols[] = {LV_POLICY_RANDOM, LV_POLICY_PCT, LV_POLICY_RR};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        for (size_t p = 0; p < 3; p++) {
            lv_trace *a = run_sc(cases[c][0], cases[c][1], 7, pols[p], NULL, 0);
            lv_trace *b = run_sc(cases[c][0], cases[c][1], 7, pols[p], NULL, 0);
            size_t la, lb, lr;
            char *ba = to_bytes(a, &la), *bb = to_bytes(b, &lb);
            ASSERT_EQ(la, lb);
            ASSERT(memcmp(ba, bb, la) == 0);
            /* the recorded schedule alone replays it: under another policy, byte for byte */
            lv_trace *r =
                run_sc(cases[c][0], cases[c][1], 7, LV_POLICY_RR, a->schedule, a->nschedule);
            r->seed = a->seed;
            char *br = to_bytes(r, &lr);
            ASSERT_EQ(la, lr);
            ASSERT(memcmp(ba, br, la) == 0);
            free(ba);
            free(bb);
            free(br);
            lv_trace_free(a);
            lv_trace_free(b);
            lv_trace_free(r);
        }
    }
}

static int same_schedule(const lv_trace *a, const lv_trace *b) {
    return a->nschedule == b->nschedule &&
           memcmp(a->schedule, b->schedule, a->nschedule * sizeof *a->schedule) == 0;
}

TEST(different_seeds_reach_different_interleavings) {
    lv_policy pols[] = {LV_POLICY_RANDOM, LV_POLICY_PCT};
    for (size_t p = 0; p < 2; p++) {
        lv_trace *first = run_sc("deadlock", "ordered", 1, pols[p], NULL, 0);
        int differs = 0;
        for (uint64_t seed = 2; seed < 12 && !differs; seed++) {
            lv_trace *t = run_sc("deadlock", "ordered", seed, pols[p], NULL, 0);
            differs = !same_schedule(first, t);
            lv_trace_free(t);
        }
        ASSERT(differs);
        lv_trace_free(first);
    }
}

/* ---- every kind of deadlock ends the run, recorded ---- */

static const char *finding_text(const lv_trace *tr) {
    for (size_t i = 0; i < tr->nfindings; i++)
        if (tr->findings[i].kind == LV_FIND_DEADLOCK) return tr->findings[i].message;
    TEST_FAIL_AT("no deadlock finding (outcome %s)", lv_outcome_name(tr->outcome));
}

static int names_thread(const lv_trace *tr, const char *thread) {
    int32_t id = thread_id(tr, thread);
    for (size_t i = 0; i < tr->nfindings; i++)
        if (tr->findings[i].kind == LV_FIND_DEADLOCK)
            for (size_t k = 0; k < tr->findings[i].nthreads; k++)
                if (tr->findings[i].threads[k] == id) return 1;
    return 0;
}

static lv_sem *g_sem;
static lv_event_obj *g_ev;
static lv_cond *g_cv;
static lv_mutex *g_a, *g_b;

static void sem_twice(void *arg) {
    (void)arg;
    lv_sem_acquire(g_sem, LV_FOREVER);
    lv_sem_acquire(g_sem, LV_FOREVER); /* no permit left, and nobody will release one */
}
static void main_sem_deadlock(const lv_args *a) {
    (void)a;
    g_sem = lv_sem_new("stall", 1);
    lv_join(lv_spawn("person", sem_twice, NULL));
}

static void wait_event(void *arg) {
    (void)arg;
    lv_event_wait(g_ev, LV_FOREVER);
}
static void main_event_deadlock(const lv_args *a) {
    (void)a;
    g_ev = lv_event_new("light");
    lv_join(lv_spawn("car", wait_event, NULL));
}

static void wait_cond(void *arg) {
    (void)arg;
    lv_cond_lock(g_cv);
    lv_cond_wait(g_cv, LV_FOREVER);
    lv_cond_unlock(g_cv);
}
static void main_cond_deadlock(const lv_args *a) {
    (void)a;
    g_cv = lv_cond_new("ready", NULL);
    lv_join(lv_spawn("consumer", wait_cond, NULL));
}

static void ab(void *arg) {
    lv_mutex_lock(arg ? g_a : g_b);
    lv_sleep(LV_MS(1));
    lv_mutex_lock(arg ? g_b : g_a);
}
static void main_abba(const lv_args *a) {
    (void)a;
    g_a = lv_mutex_new("A");
    g_b = lv_mutex_new("B");
    lv_thread *t1 = lv_spawn("t1", ab, (void *)1);
    lv_thread *t2 = lv_spawn("t2", ab, NULL);
    lv_join(t1);
    lv_join(t2);
}

static void relock(void *arg) {
    (void)arg;
    lv_mutex_lock(g_a);
    lv_mutex_lock(g_a);
}
static void main_relock(const lv_args *a) {
    (void)a;
    g_a = lv_mutex_new("A");
    lv_join(lv_spawn("t", relock, NULL));
}

static void main_join_self_chain(const lv_args *a) {
    (void)a;
    g_ev = lv_event_new("never");
    lv_thread *w = lv_spawn("waiter", wait_event, NULL);
    lv_join(w); /* main joins a thread that is blocked forever */
}

TEST(every_kind_of_deadlock_is_recorded) {
    setenv("LV_TEST_MODE", "controlled", 1);
    struct {
        void (*fn)(const lv_args *);
        const char *needle;
        const char *threads[2];
    } cases[] = {
        {main_abba, "in a circle", {"t1", "t2"}},
        {main_relock, "which it holds itself", {"t", NULL}},
        {main_sem_deadlock,
         "person waits for a permit of stall (0 of 1 left; held by person)",
         {"person", "main"}},
        {main_event_deadlock,
         "car waits for event light, which nobody left will set",
         {"car", "main"}},
        {main_cond_deadlock,
         "consumer waits on condition ready for a notify that never comes",
         {"consumer", "main"}},
        {main_join_self_chain, "main waits to join waiter", {"waiter", "main"}},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        lv_trace *tr = run_fn("dl", cases[c].fn);
        ASSERT_EQ(tr->outcome, LV_OUT_DEADLOCKED);
        ASSERT_CONTAINS(finding_text(tr), cases[c].needle);
        for (int k = 0; k < 2; k++)
            if (cases[c].threads[k]) ASSERT(names_thread(tr, cases[c].threads[k]));
        lv_trace_free(tr);
    }
}

TEST(deadlock_scenario_names_its_cycle) {
    lv_trace *tr = run_sc("deadlock", "two-locks", 1, LV_POLICY_RANDOM, NULL, 0);
    ASSERT_EQ(tr->outcome, LV_OUT_DEADLOCKED);
    const lv_finding *f = find_finding(tr, LV_FIND_DEADLOCK, "in a circle");
    ASSERT(f);
    ASSERT_EQ(f->nthreads, 2);
    ASSERT_EQ(f->nobjects, 2);
    ASSERT(f->detail);
    ASSERT_CONTAINS(f->detail, "*** DEADLOCK ***");
    ASSERT_CONTAINS(f->detail, "lock(A) blocks");
    ASSERT_CONTAINS(f->detail, "lock(B) blocks");
    lv_trace_free(tr);
}

/* ---- virtual time ---- */

static void nap(void *arg) {
    lv_sleep(LV_MS((intptr_t)arg));
    lv_note("%d", (int)(intptr_t)arg);
}
static void main_naps(const lv_args *a) {
    (void)a;
    lv_thread *t[3];
    t[0] = lv_spawn("thirty", nap, (void *)30);
    t[1] = lv_spawn("ten", nap, (void *)10);
    t[2] = lv_spawn("twenty", nap, (void *)20);
    for (int i = 0; i < 3; i++)
        lv_join(t[i]);
}

TEST(sleepers_wake_in_virtual_time_order) {
    setenv("LV_TEST_MODE", "controlled", 1);
    for (int rep = 0; rep < 20; rep++) {
        lv_scenario sc = {
            .name = "naps", .variants = support_variant_, .nvariants = 1, .main = main_naps};
        lv_run_desc d = {.scenario = &sc,
                         .mode = LV_MODE_CONTROLLED,
                         .seed = (uint64_t)rep,
                         .policy = rep % 2 ? LV_POLICY_PCT : LV_POLICY_RANDOM};
        lv_trace *tr = NULL;
        ASSERT_EQ(lv_run(&d, &tr), LV_OK);
        int order[3], n = 0;
        for (size_t i = 0; i < tr->nevents; i++) {
            const char *s = lv_trace_text(tr, &tr->events[i]);
            if (s && n < 3) {
                order[n++] = atoi(s);
                /* the note comes right after the sleep: at its virtual length, not later */
                ASSERT_GE(tr->events[i].t, LV_MS(order[n - 1]));
                ASSERT_LT(tr->events[i].t, LV_MS(order[n - 1]) + LV_MS(1));
            }
        }
        ASSERT_EQ(n, 3);
        ASSERT_EQ(order[0], 10);
        ASSERT_EQ(order[1], 20);
        ASSERT_EQ(order[2], 30);
        lv_trace_free(tr);
    }
}

static lv_var *g_flag;
static void set_later(void *arg) {
    (void)arg;
    lv_sleep(LV_MS(5));
    lv_var_write(g_flag, 1);
}
static void main_poll(const lv_args *a) {
    (void)a;
    g_flag = lv_var_new("flag", 0);
    lv_thread *t = lv_spawn("setter", set_later, NULL);
    while (lv_var_read(g_flag) == 0) {
        /* spins: never blocks; only the cost of each step moves the clock on */
    }
    lv_join(t);
}

TEST(a_polling_loop_terminates) {
    setenv("LV_TEST_MODE", "controlled", 1);
    lv_trace *tr = run_fn("poll", main_poll);
    ASSERT_EQ(tr->outcome, LV_OUT_COMPLETED);
    /* about 5 ms of 1 us steps: thousands of reads, not millions */
    size_t reads = count_events(tr, LV_EV_READ, obj_id(tr, "flag"), thread_id(tr, "main"));
    ASSERT_GT(reads, 1000);
    ASSERT_LT(reads, 20000);
    lv_trace_free(tr);
}

/* ---- policies and the chooser ---- */

static int32_t pick_highest(void *ctx, const lv_choice *c) {
    size_t *calls = ctx;
    (*calls)++;
    ASSERT_GE(c->nenabled, 2);
    for (size_t i = 1; i < c->nenabled; i++)
        ASSERT_LT(c->enabled[i - 1], c->enabled[i]);
    return c->enabled[c->nenabled - 1];
}

TEST(an_external_chooser_drives_the_run) {
    const lv_scenario *sc = lv_scenario_find("ticket");
    size_t calls = 0;
    int64_t params[] = {3, 1};
    lv_run_desc d = {.scenario = sc,
                     .params = params,
                     .mode = LV_MODE_CONTROLLED,
                     .seed = 1,
                     .chooser = pick_highest,
                     .chooser_ctx = &calls};
    lv_trace *tr = NULL;
    ASSERT_EQ(lv_run(&d, &tr), LV_OK);
    ASSERT_EQ(calls, tr->nschedule);
    ASSERT_GT(calls, 0);
    /* the trace's schedule is what the chooser said: replaying it gives the same run */
    lv_run_desc r = {.scenario = sc,
                     .params = params,
                     .mode = LV_MODE_CONTROLLED,
                     .seed = 1,
                     .schedule = tr->schedule,
                     .nschedule = tr->nschedule};
    lv_trace *tr2 = NULL;
    ASSERT_EQ(lv_run(&r, &tr2), LV_OK);
    ASSERT(same_schedule(tr, tr2));
    ASSERT_EQ(tr->nevents, tr2->nevents);
    lv_trace_free(tr);
    lv_trace_free(tr2);
}

TEST(a_short_typed_schedule_is_continued_by_the_policy) {
    int32_t sched[] = {0, 0};
    lv_trace *tr = run_sc("ticket", "unlocked", 3, LV_POLICY_RR, sched, 2);
    ASSERT_GT(tr->nschedule, 2);
    ASSERT_EQ(tr->schedule[0], 0);
    ASSERT_EQ(tr->schedule[1], 0);
    ASSERT_EQ(tr->outcome, LV_OUT_COMPLETED);
    lv_trace_free(tr);
}

/* ---- explore ---- */

typedef struct seen_scheds {
    int32_t **s;
    size_t *n;
    size_t count, cap;
} seen_scheds;

static void remember(void *ctx, const lv_trace *tr) {
    seen_scheds *ss = ctx;
    for (size_t i = 0; i < ss->count; i++)
        if (ss->n[i] == tr->nschedule &&
            memcmp(ss->s[i], tr->schedule, tr->nschedule * sizeof(int32_t)) == 0)
            TEST_FAIL_AT("dfs ran schedule %zu twice", i);
    if (ss->count == ss->cap) {
        ss->cap = ss->cap ? ss->cap * 2 : 64;
        ss->s = realloc(ss->s, ss->cap * sizeof *ss->s);
        ss->n = realloc(ss->n, ss->cap * sizeof *ss->n);
        ASSERT(ss->s && ss->n);
    }
    ss->s[ss->count] = malloc((tr->nschedule + 1) * sizeof(int32_t));
    ASSERT(ss->s[ss->count]);
    memcpy(ss->s[ss->count], tr->schedule, tr->nschedule * sizeof(int32_t));
    ss->n[ss->count++] = tr->nschedule;
}

TEST(dfs_never_runs_a_schedule_twice) {
    const lv_scenario *sc = lv_scenario_find("ticket");
    int64_t params[] = {2, 1}; /* 249 schedules within 2 preemptions */
    seen_scheds ss = {0};
    lv_explore_desc x = {.scenario = sc,
                         .variant = lv_scenario_variant_index(sc, "locked"),
                         .params = params,
                         .strategy = LV_STRATEGY_DFS,
                         .runs = 3000,
                         .preemptions = 2,
                         .seed = 1,
                         .on_run = remember,
                         .on_run_ctx = &ss};
    lv_explore_result r;
    ASSERT_EQ(lv_explore(&x, &r), LV_OK);
    ASSERT(!r.failing);
    ASSERT(r.exhausted);
    ASSERT_EQ(ss.count, r.runs);
    ASSERT_GT(r.runs, 10);
    for (size_t i = 0; i < ss.count; i++)
        free(ss.s[i]);
    free(ss.s);
    free(ss.n);
}

/* An atomicity violation: every access is locked (so there is no data race), but the read and
 * the write are two critical sections. An update is lost only if a thread is preempted between
 * them, which the non-preemptive first schedule never does. */
static lv_var *g_n;
static lv_mutex *g_nl;
static void bump(void *arg) {
    (void)arg;
    lv_mutex_lock(g_nl);
    int64_t v = lv_var_read(g_n);
    lv_mutex_unlock(g_nl);
    lv_mutex_lock(g_nl);
    lv_var_write(g_n, v + 1);
    lv_mutex_unlock(g_nl);
}
static void main_bump(const lv_args *a) {
    (void)a;
    g_n = lv_var_new("n", 0);
    g_nl = lv_mutex_new("L");
    lv_thread *t1 = lv_spawn("t1", bump, NULL), *t2 = lv_spawn("t2", bump, NULL);
    lv_join(t1);
    lv_join(t2);
    lv_check(lv_var_read(g_n) == 2, "n = %lld after two increments", (long long)lv_var_read(g_n));
}

TEST(dfs_finds_a_bug_that_needs_one_preemption) {
    lv_scenario sc = {
        .name = "bump", .variants = support_variant_, .nvariants = 1, .main = main_bump};
    lv_explore_desc x = {
        .scenario = &sc, .strategy = LV_STRATEGY_DFS, .runs = 1000, .preemptions = 0, .seed = 1};
    lv_explore_result r;
    ASSERT_EQ(lv_explore(&x, &r), LV_OK);
    ASSERT(!r.failing); /* without preemptions every increment is whole */
    ASSERT(r.exhausted);
    x.preemptions = 1;
    ASSERT_EQ(lv_explore(&x, &r), LV_OK);
    ASSERT(r.failing);
    ASSERT(find_finding(r.failing, LV_FIND_INVARIANT, "n = 1 after two increments"));
    /* every access is ordered by the lock: no race, and no lost update either (that needs the
     * read and the write unordered with the other's write); the check shows the bug */
    ASSERT_EQ(count_findings(r.failing, LV_FIND_RACE), 0);
    ASSERT_LE(r.runs, 100);
    lv_trace_free(r.failing);
}

TEST(dfs_finds_the_ticket_race_and_the_deadlock_within_100_runs) {
    const char *cases[][3] = {{"ticket", "unlocked", "buyers"},
                              {"deadlock", "two-locks", "threads"}};
    for (int c = 0; c < 2; c++) {
        const lv_scenario *sc = lv_scenario_find(cases[c][0]);
        int64_t params[LV_MAX_PARAMS];
        for (int i = 0; i < sc->nparams; i++)
            params[i] = sc->params[i].def;
        params[lv_scenario_param_index(sc, cases[c][2])] = 2;
        lv_explore_desc x = {.scenario = sc,
                             .variant = lv_scenario_variant_index(sc, cases[c][1]),
                             .params = params,
                             .strategy = LV_STRATEGY_DFS,
                             .runs = 100,
                             .preemptions = 2,
                             .seed = 1};
        lv_explore_result r;
        ASSERT_EQ(lv_explore(&x, &r), LV_OK);
        ASSERT(r.failing);
        ASSERT_LE(r.runs, 100);
        lv_trace_free(r.failing);
    }
}

/* ---- live mode never hangs ---- */

TEST(a_live_two_lock_deadlock_ends) {
    const lv_scenario *sc = lv_scenario_find("deadlock");
    for (int rep = 0; rep < 3; rep++) {
        lv_run_desc d = {.scenario = sc, .mode = LV_MODE_LIVE, .seed = (uint64_t)rep};
        lv_trace *tr = NULL;
        ASSERT_EQ(lv_run(&d, &tr), LV_OK); /* returns: the test's alarm would catch a hang */
        ASSERT_EQ(tr->outcome, LV_OUT_DEADLOCKED);
        ASSERT(find_finding(tr, LV_FIND_DEADLOCK, "in a circle"));
        lv_trace_free(tr);
    }
    sc = lv_scenario_find("rlock");
    lv_run_desc d = {.scenario = sc, .mode = LV_MODE_LIVE, .seed = 1};
    lv_trace *tr = NULL;
    ASSERT_EQ(lv_run(&d, &tr), LV_OK);
    ASSERT_EQ(tr->outcome, LV_OUT_DEADLOCKED);
    lv_trace_free(tr);
}

TEST_MAIN(TEST_ENTRY(same_seed_same_bytes_and_replay, 120),
          TEST_ENTRY(different_seeds_reach_different_interleavings, 60),
          TEST_ENTRY(every_kind_of_deadlock_is_recorded, 60),
          TEST_ENTRY(deadlock_scenario_names_its_cycle, 30),
          TEST_ENTRY(sleepers_wake_in_virtual_time_order, 60),
          TEST_ENTRY(a_polling_loop_terminates, 60),
          TEST_ENTRY(an_external_chooser_drives_the_run, 30),
          TEST_ENTRY(a_short_typed_schedule_is_continued_by_the_policy, 30),
          TEST_ENTRY(dfs_never_runs_a_schedule_twice, 120),
          TEST_ENTRY(dfs_finds_a_bug_that_needs_one_preemption, 60),
          TEST_ENTRY(dfs_finds_the_ticket_race_and_the_deadlock_within_100_runs, 60),
          TEST_ENTRY(a_live_two_lock_deadlock_ends, 60))
