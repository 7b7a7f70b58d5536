/* The detectors on tiny patterns, in the spirit of lockdep's self-tests: each pattern checks
 * what must be reported and what must not. Runs are controlled, so each pattern runs the same
 * way every time. */
#include "support.h"

static lv_mutex *A, *B, *C, *G;
static lv_rlock *R;
static lv_sem *S1, *S2;
static lv_event_obj *E;
static lv_var *X;

static lv_trace *pattern(void (*fn)(const lv_args *)) {
    setenv("LV_TEST_MODE", "controlled", 1);
    return run_fn("pattern", fn);
}

static void expect(const lv_trace *tr, size_t races, size_t deadlocks, size_t orders,
                   size_t misuses) {
    ASSERT_EQ(count_findings(tr, LV_FIND_RACE), races);
    ASSERT_EQ(count_findings(tr, LV_FIND_DEADLOCK), deadlocks);
    ASSERT_EQ(count_findings(tr, LV_FIND_LOCK_ORDER), orders);
    ASSERT_EQ(count_findings(tr, LV_FIND_MISUSE), misuses);
}

static void two_orders(void *arg) { /* arg: 1 takes A then B; 0 takes B then A */
    lv_mutex_lock(arg ? A : B);
    lv_mutex_lock(arg ? B : A);
    lv_mutex_unlock(arg ? B : A);
    lv_mutex_unlock(arg ? A : B);
}

/* ---- AA ---- */

static void aa_plain(void *arg) {
    (void)arg;
    lv_mutex_lock(A);
    lv_mutex_lock(A);
}
static void main_aa_plain(const lv_args *a) {
    (void)a;
    A = lv_mutex_new("A");
    lv_join(lv_spawn("t", aa_plain, NULL));
}
TEST(aa_on_a_plain_lock_deadlocks) {
    lv_trace *tr = pattern(main_aa_plain);
    ASSERT_EQ(tr->outcome, LV_OUT_DEADLOCKED);
    expect(tr, 0, 1, 0, 1);
    ASSERT(find_finding(tr, LV_FIND_DEADLOCK, "t waits for lock A, which it holds itself"));
    ASSERT(find_finding(tr, LV_FIND_MISUSE, "already holds"));
    lv_trace_free(tr);
}

static void aa_rlock(void *arg) {
    (void)arg;
    lv_rlock_lock(R);
    lv_rlock_lock(R);
    lv_rlock_unlock(R);
    lv_rlock_unlock(R);
}
static void main_aa_rlock(const lv_args *a) {
    (void)a;
    R = lv_rlock_new("R");
    lv_join(lv_spawn("t", aa_rlock, NULL));
}
TEST(aa_on_an_rlock_is_fine) {
    lv_trace *tr = pattern(main_aa_rlock);
    ASSERT_EQ(tr->outcome, LV_OUT_COMPLETED);
    expect(tr, 0, 0, 0, 0);
    lv_trace_free(tr);
}

/* ---- ABBA, ABBCCA, gates ---- */

static void main_abba_no_hang(const lv_args *a) {
    (void)a;
    A = lv_mutex_new("A");
    B = lv_mutex_new("B");
    lv_join(lv_spawn("t1", two_orders, (void *)1)); /* one after the other: cannot hang */
    lv_join(lv_spawn("t2", two_orders, NULL));
}
TEST(abba_reported_even_without_a_hang) {
    lv_trace *tr = pattern(main_abba_no_hang);
    ASSERT_EQ(tr->outcome, LV_OUT_COMPLETED);
    expect(tr, 0, 0, 1, 0);
    const lv_finding *f = find_finding(tr, LV_FIND_LOCK_ORDER, "t1 takes A then B");
    ASSERT(f);
    ASSERT_CONTAINS(f->message, "t2 takes B then A");
    ASSERT_EQ(f->nthreads, 2);
    lv_trace_free(tr);
}

static void ab_slow(void *arg) {
    lv_mutex_lock(arg ? A : B);
    lv_sleep(LV_MS(10));
    lv_mutex_lock(arg ? B : A);
}
static void main_abba_hang(const lv_args *a) {
    (void)a;
    A = lv_mutex_new("A");
    B = lv_mutex_new("B");
    lv_thread *t1 = lv_spawn("t1", ab_slow, (void *)1), *t2 = lv_spawn("t2", ab_slow, NULL);
    lv_join(t1);
    lv_join(t2);
}
TEST(abba_that_hangs_is_a_deadlock_and_an_inversion) {
    lv_trace *tr = pattern(main_abba_hang);
    ASSERT_EQ(tr->outcome, LV_OUT_DEADLOCKED);
    expect(tr, 0, 1, 1, 0);
    const lv_finding *f = find_finding(tr, LV_FIND_DEADLOCK, "in a circle");
    ASSERT(f);
    ASSERT_CONTAINS(f->message, "t1 holds A and waits for lock B, held by t2");
    ASSERT_CONTAINS(f->message, "t2 holds B and waits for lock A, held by t1");
    ASSERT(f->detail);
    ASSERT_CONTAINS(f->detail, "*** DEADLOCK ***");
    lv_trace_free(tr);
}

static void take_pair(void *arg) {
    lv_mutex **p = arg;
    lv_mutex_lock(p[0]);
    lv_mutex_lock(p[1]);
    lv_mutex_unlock(p[1]);
    lv_mutex_unlock(p[0]);
}
static lv_mutex *pairs[3][2];
static void main_abbcca(const lv_args *a) {
    A = lv_mutex_new("A");
    B = lv_mutex_new("B");
    C = lv_mutex_new("C");
    int consistent = a->variant; /* reused as a flag: 1 takes A->B, B->C, A->C */
    lv_mutex *p[3][2] = {{A, B}, {B, C}, {consistent ? A : C, consistent ? C : A}};
    memcpy(pairs, p, sizeof p);
    for (int i = 0; i < 3; i++) {
        char nm[16];
        snprintf(nm, sizeof nm, "t%d", i + 1);
        lv_join(lv_spawn(nm, take_pair, pairs[i]));
    }
}
static lv_trace *run_abbcca(int consistent) {
    static const lv_variant_desc v[] = {{"cycle", "", "", "", 1, ""}, {"order", "", "", "", 0, ""}};
    lv_scenario sc = {.name = "abbcca", .variants = v, .nvariants = 2, .main = main_abbcca};
    lv_run_desc d = {.scenario = &sc, .variant = consistent, .mode = LV_MODE_CONTROLLED, .seed = 1};
    lv_trace *tr = NULL;
    ASSERT_EQ(lv_run(&d, &tr), LV_OK);
    return tr;
}
TEST(abbcca_is_one_cycle_of_three_and_a_consistent_order_is_none) {
    lv_trace *tr = run_abbcca(0);
    expect(tr, 0, 0, 1, 0);
    const lv_finding *f = find_finding(tr, LV_FIND_LOCK_ORDER, "t1 takes A then B");
    ASSERT(f);
    ASSERT_CONTAINS(f->message, "t2 takes B then C");
    ASSERT_CONTAINS(f->message, "t3 takes C then A");
    ASSERT_EQ(f->nthreads, 3);
    lv_trace_free(tr);
    tr = run_abbcca(1);
    expect(tr, 0, 0, 0, 0);
    lv_trace_free(tr);
}

static void gated(void *arg) {
    lv_mutex_lock(G);
    two_orders(arg);
    lv_mutex_unlock(G);
}
static void main_gate(const lv_args *a) {
    A = lv_mutex_new("A");
    B = lv_mutex_new("B");
    G = lv_mutex_new("G");
    void (*fn)(void *) = a->variant ? gated : two_orders;
    lv_thread *t1 = lv_spawn("t1", fn, (void *)1), *t2 = lv_spawn("t2", fn, NULL);
    lv_join(t1);
    lv_join(t2);
}
TEST(a_gate_lock_makes_an_inversion_harmless) {
    static const lv_variant_desc v[] = {{"bare", "", "", "", 1, ""}, {"gated", "", "", "", 0, ""}};
    lv_scenario sc = {.name = "gate", .variants = v, .nvariants = 2, .main = main_gate};
    for (int gatev = 0; gatev < 2; gatev++) {
        for (uint64_t seed = 1; seed <= 20; seed++) {
            lv_run_desc d = {
                .scenario = &sc, .variant = gatev, .mode = LV_MODE_CONTROLLED, .seed = seed};
            lv_trace *tr = NULL;
            ASSERT_EQ(lv_run(&d, &tr), LV_OK);
            if (gatev) { /* both orders only ever under G: the circle cannot close */
                ASSERT_EQ(tr->outcome, LV_OUT_COMPLETED);
                expect(tr, 0, 0, 0, 0);
            } else {
                ASSERT_EQ(count_findings(tr, LV_FIND_LOCK_ORDER), 1);
            }
            lv_trace_free(tr);
        }
    }
}

static void rlock_two_names(void *arg) {
    lv_rlock *a = R, *b = R; /* mutexA = mutexB = RLock() */
    lv_rlock_lock(arg ? a : b);
    lv_rlock_lock(arg ? b : a);
    lv_rlock_unlock(arg ? b : a);
    lv_rlock_unlock(arg ? a : b);
}
static void main_rlock_names(const lv_args *a) {
    (void)a;
    R = lv_rlock_new("A=B");
    lv_thread *t1 = lv_spawn("t1", rlock_two_names, (void *)1);
    lv_thread *t2 = lv_spawn("t2", rlock_two_names, NULL);
    lv_join(t1);
    lv_join(t2);
}
TEST(one_rlock_under_two_names_is_no_inversion) {
    lv_trace *tr = pattern(main_rlock_names);
    ASSERT_EQ(tr->outcome, LV_OUT_COMPLETED);
    expect(tr, 0, 0, 0, 0);
    lv_trace_free(tr);
}

/* ---- a cycle through semaphores: no owner, yet a deadlock ---- */

static void two_sems(void *arg) {
    lv_sem_acquire(arg ? S1 : S2, LV_FOREVER);
    lv_sleep(LV_MS(10));
    lv_sem_acquire(arg ? S2 : S1, LV_FOREVER);
}
static void main_sem_cycle(const lv_args *a) {
    (void)a;
    S1 = lv_sem_new("S1", 1);
    S2 = lv_sem_new("S2", 1);
    lv_thread *t1 = lv_spawn("t1", two_sems, (void *)1), *t2 = lv_spawn("t2", two_sems, NULL);
    lv_join(t1);
    lv_join(t2);
}
TEST(a_semaphore_cycle_deadlocks_and_says_who_holds_the_permits) {
    lv_trace *tr = pattern(main_sem_cycle);
    ASSERT_EQ(tr->outcome, LV_OUT_DEADLOCKED);
    expect(tr, 0, 1, 0, 0);
    const lv_finding *f = find_finding(tr, LV_FIND_DEADLOCK, "no thread can go on");
    ASSERT(f);
    ASSERT_CONTAINS(f->message, "t1 waits for a permit of S2 (0 of 1 left; held by t2)");
    ASSERT_CONTAINS(f->message, "t2 waits for a permit of S1 (0 of 1 left; held by t1)");
    lv_trace_free(tr);
}

/* ---- races, and what fixes them ---- */

static int fix; /* 0 none (sleep only), 1 event, 2 semaphore, 3 join, 4 two locks, 5 one lock */

static void writer(void *arg) {
    (void)arg;
    if (fix >= 4) lv_mutex_lock(fix == 4 ? A : B);
    lv_var_write(X, 42);
    if (fix >= 4) lv_mutex_unlock(fix == 4 ? A : B);
    if (fix == 1) lv_event_set(E);
    if (fix == 2) lv_sem_release(S1);
}
static void main_publish(const lv_args *a) {
    (void)a;
    X = lv_var_new("x", 0);
    E = lv_event_new("E");
    S1 = lv_sem_new("S", 0);
    A = lv_mutex_new("A");
    B = lv_mutex_new("B");
    lv_thread *t = lv_spawn("writer", writer, NULL);
    lv_sleep(LV_MS(50)); /* the write surely happened first: but only time says so */
    if (fix == 1) lv_event_wait(E, LV_FOREVER);
    if (fix == 2) lv_sem_acquire(S1, LV_FOREVER);
    if (fix == 3) lv_join(t);
    if (fix >= 4) lv_mutex_lock(B);
    lv_var_read(X);
    if (fix >= 4) lv_mutex_unlock(B);
    if (fix != 3) lv_join(t);
}
TEST(a_race_and_the_fixes_that_order_it) {
    /* fix: races expected */
    int want[] = {1, 0, 0, 0, 1, 0};
    for (fix = 0; fix < 6; fix++) {
        lv_trace *tr = pattern(main_publish);
        ASSERT_EQ(tr->outcome, LV_OUT_COMPLETED);
        if (count_findings(tr, LV_FIND_RACE) != (size_t)want[fix])
            TEST_FAIL_AT("fix %d: %zu races, want %d", fix, count_findings(tr, LV_FIND_RACE),
                         want[fix]);
        if (want[fix]) {
            const lv_finding *f = find_finding(tr, LV_FIND_RACE, "Data race on x");
            ASSERT(f);
            ASSERT_CONTAINS(f->message, "writer writes it");
            ASSERT_CONTAINS(f->message, "main reads it");
            ASSERT_EQ(f->nevents, 2);
        }
        expect(tr, (size_t)want[fix], 0, 0, 0);
        lv_trace_free(tr);
    }
}

/* ---- the wrong thread releases ---- */

static void intruder(void *arg) {
    (void)arg;
    lv_mutex_unlock(A);
}
static void main_wrong_release(const lv_args *a) {
    (void)a;
    A = lv_mutex_new("A");
    lv_mutex_lock(A);
    lv_join(lv_spawn("intruder", intruder, NULL));
}
TEST(a_lock_released_by_the_wrong_thread_is_misuse) {
    lv_trace *tr = pattern(main_wrong_release);
    expect(tr, 0, 0, 0, 1);
    ASSERT(find_finding(tr, LV_FIND_MISUSE, "intruder releases lock A, which main holds"));
    lv_trace_free(tr);
}

/* ---- a pure function: the same findings from a trace read back from JSON ---- */

TEST(findings_from_a_file_equal_findings_from_the_run) {
    lv_trace *tr = pattern(main_abba_hang);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ASSERT_EQ(lv_trace_write_json(tr, f), LV_OK);
    fclose(f);
    lv_trace *back = NULL;
    char err[256];
    ASSERT_EQ(lv_trace_read_json(buf, len, "mem", &back, err, sizeof err), LV_OK);
    lv_finding *fs;
    size_t n;
    ASSERT_EQ(lv_analyze(back, &fs, &n), LV_OK);
    ASSERT_EQ(n, tr->nfindings);
    for (size_t i = 0; i < n; i++) {
        ASSERT_EQ(fs[i].kind, tr->findings[i].kind);
        ASSERT_STR_EQ(fs[i].message, tr->findings[i].message);
    }
    lv_findings_free(fs, n);
    lv_trace_free(back);
    lv_trace_free(tr);
    free(buf);
}

TEST_MAIN(TEST_ENTRY(aa_on_a_plain_lock_deadlocks, 30), TEST_ENTRY(aa_on_an_rlock_is_fine, 30),
          TEST_ENTRY(abba_reported_even_without_a_hang, 30),
          TEST_ENTRY(abba_that_hangs_is_a_deadlock_and_an_inversion, 30),
          TEST_ENTRY(abbcca_is_one_cycle_of_three_and_a_consistent_order_is_none, 30),
          TEST_ENTRY(a_gate_lock_makes_an_inversion_harmless, 60),
          TEST_ENTRY(one_rlock_under_two_names_is_no_inversion, 30),
          TEST_ENTRY(a_semaphore_cycle_deadlocks_and_says_who_holds_the_permits, 30),
          TEST_ENTRY(a_race_and_the_fixes_that_order_it, 60),
          TEST_ENTRY(a_lock_released_by_the_wrong_thread_is_misuse, 30),
          TEST_ENTRY(findings_from_a_file_equal_findings_from_the_run, 30))
