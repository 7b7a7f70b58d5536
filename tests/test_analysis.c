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

/* ---- item by item: what must and must not be reported ---- */

static lv_trace *from_json(const char *threads, const char *objects, const char *events,
                           const char *outcome) {
    char doc[8192];
    snprintf(doc, sizeof doc,
             "{\"format\": \"lockviz-trace\", \"version\": 1, \"scenario\": {\"name\": \"p\", "
             "\"variant\": \"v\", \"params\": {}}, \"mode\": \"live\", \"seed\": 0, \"schedule\": "
             "[], \"threads\": [%s], \"objects\": [%s], \"events\": [%s], \"findings\": [], "
             "\"outcome\": \"%s\"}",
             threads, objects, events, outcome);
    lv_trace *tr = NULL;
    char err[256];
    lv_err rc = lv_trace_read_json(doc, strlen(doc), "p.json", &tr, err, sizeof err);
    if (rc != LV_OK) TEST_FAIL_AT("%s", err);
    lv_finding *f;
    size_t n;
    ASSERT_EQ(lv_analyze(tr, &f, &n), LV_OK);
    lv_trace_set_findings(tr, f, n);
    return tr;
}

static lv_sem *BS;
static void take_permit(void *arg) {
    (void)arg;
    lv_sem_acquire(BS, LV_FOREVER);
}
static void give_permit(void *arg) {
    (void)arg;
    lv_sem_release(BS);
}
static int extra_release;
static void main_hand_off(const lv_args *a) {
    (void)a;
    BS = lv_bsem_new("room", 1);
    lv_join(lv_spawn("taker", take_permit, NULL)); /* takes the one permit and ends */
    lv_join(lv_spawn("giver", give_permit, NULL)); /* another thread gives it back */
    if (extra_release) lv_join(lv_spawn("extra", give_permit, NULL)); /* past the bound */
}
TEST(a_bounded_semaphore_handed_off_is_no_misuse_and_a_release_past_its_bound_is) {
    extra_release = 0;
    lv_trace *tr = pattern(main_hand_off);
    expect(tr, 0, 0, 0, 0);
    lv_trace_free(tr);
    extra_release = 1;
    tr = pattern(main_hand_off);
    expect(tr, 0, 0, 0, 1);
    const lv_finding *f = find_finding(tr, LV_FIND_MISUSE, "extra releases BoundedSemaphore room");
    ASSERT(f);
    ASSERT_EQ(f->payload, LV_PAY_MISUSE);
    ASSERT_EQ(f->data.misuse.rule, LV_MU_OVER_RELEASE);
    ASSERT_EQ(f->data.misuse.obj, obj_id(tr, "room"));
    lv_trace_free(tr);
}

static const char *const two_writers = "{\"id\": 0, \"name\": \"main\"}, {\"id\": 1, \"name\": "
                                       "\"alice\"}, {\"id\": 2, \"name\": \"bob\"}";
TEST(two_writes_around_another_threads_write_are_one_race) {
    /* alice writes, bob writes, alice writes: nothing orders them */
    lv_trace *tr = from_json(
        two_writers, "{\"id\": 0, \"kind\": \"var\", \"name\": \"x\", \"initial\": 0}",
        "{\"seq\": 0, \"t\": 0, \"thread\": 1, \"kind\": \"write\", \"obj\": 0, \"value\": 1},"
        "{\"seq\": 1, \"t\": 1, \"thread\": 2, \"kind\": \"write\", \"obj\": 0, \"value\": 2},"
        "{\"seq\": 2, \"t\": 2, \"thread\": 1, \"kind\": \"write\", \"obj\": 0, \"value\": 3}",
        "completed");
    expect(tr, 1, 0, 0, 0);
    const lv_finding *f = find_finding(tr, LV_FIND_RACE, "Data race on x");
    ASSERT(f);
    ASSERT_EQ(f->payload, LV_PAY_RACE);
    ASSERT_EQ(f->data.race.first.seq, 0);
    ASSERT_EQ(f->data.race.second.seq, 1);
    ASSERT_EQ(f->data.race.second.kind, LV_EV_WRITE);
    lv_trace_free(tr);
    /* but a read and a write by those two places are another race, reported too */
    tr = from_json(
        two_writers, "{\"id\": 0, \"kind\": \"var\", \"name\": \"x\", \"initial\": 0}",
        "{\"seq\": 0, \"t\": 0, \"thread\": 1, \"kind\": \"write\", \"obj\": 0, \"value\": 1},"
        "{\"seq\": 1, \"t\": 1, \"thread\": 2, \"kind\": \"write\", \"obj\": 0, \"value\": 2},"
        "{\"seq\": 2, \"t\": 2, \"thread\": 1, \"kind\": \"read\", \"obj\": 0, \"value\": 2}",
        "completed");
    expect(tr, 2, 0, 0, 0);
    lv_trace_free(tr);
}

static int blind; /* 1: alice writes her read back, then overwrites blindly after bob's write */
static void alice(void *arg) {
    (void)arg;
    lv_mutex_lock(A);
    int64_t v = lv_var_read(X);
    if (blind) lv_var_write(X, v + 1); /* the read-modify-write, whole */
    lv_mutex_unlock(A);
    lv_sleep(LV_MS(20)); /* bob writes now */
    lv_mutex_lock(A);
    lv_var_write(X, blind ? 100 : v + 1);
    lv_mutex_unlock(A);
}
static void bob(void *arg) {
    (void)arg;
    lv_sleep(LV_MS(10));
    lv_mutex_lock(A);
    lv_var_write(X, 50);
    lv_mutex_unlock(A);
}
static void main_overwrite(const lv_args *a) {
    (void)a;
    A = lv_mutex_new("A");
    X = lv_var_new("x", 0);
    lv_thread *t1 = lv_spawn("alice", alice, NULL), *t2 = lv_spawn("bob", bob, NULL);
    lv_join(t1);
    lv_join(t2);
}
TEST(a_blind_overwrite_after_a_whole_read_modify_write_is_no_lost_update) {
    blind = 1;
    lv_trace *tr = pattern(main_overwrite);
    expect(tr, 0, 0, 0, 0);
    lv_trace_free(tr);
    blind = 0; /* read in one critical section, write in another: bob's write is lost */
    tr = pattern(main_overwrite);
    expect(tr, 1, 0, 0, 0);
    const lv_finding *f = find_finding(tr, LV_FIND_RACE, "Lost update on x");
    ASSERT(f);
    ASSERT_EQ(f->payload, LV_PAY_LOST_UPDATE);
    ASSERT_EQ(f->data.lost.lost.thread, 1 + 1); /* bob */
    ASSERT_EQ(f->data.lost.more, 0);
    lv_trace_free(tr);
}

TEST(a_thread_joining_itself_is_not_a_reentrant_lock) {
    lv_trace *tr =
        from_json("{\"id\": 0, \"name\": \"main\"}", "",
                  "{\"seq\": 0, \"t\": 0, \"thread\": 0, \"kind\": \"start\"},"
                  "{\"seq\": 1, \"t\": 1, \"thread\": 0, \"kind\": \"join\", \"value\": 0}",
                  "deadlocked");
    expect(tr, 0, 1, 0, 1);
    const lv_finding *d = find_finding(tr, LV_FIND_DEADLOCK, "main waits to join itself");
    ASSERT(d);
    ASSERT(!strstr(d->message, "Lock"));
    ASSERT_EQ(d->data.deadlock.shape, LV_DL_SELF_JOIN);
    const lv_finding *m = find_finding(tr, LV_FIND_MISUSE, "main joins itself");
    ASSERT(m);
    ASSERT_EQ(m->data.misuse.rule, LV_MU_JOIN_SELF);
    lv_trace_free(tr);
}

static void relock_timed(void *arg) {
    (void)arg;
    lv_mutex_lock(A);
    ASSERT(!lv_mutex_acquire(A, LV_MS(50)));
    ASSERT(!lv_mutex_trylock(A));
    lv_mutex_unlock(A);
}
static void main_relock_timed(const lv_args *a) {
    (void)a;
    A = lv_mutex_new("A");
    lv_join(lv_spawn("t", relock_timed, NULL));
}
TEST(a_timed_relock_times_out_and_does_not_wait_forever) {
    lv_trace *tr = pattern(main_relock_timed);
    ASSERT_EQ(tr->outcome, LV_OUT_COMPLETED);
    expect(tr, 0, 0, 0, 1); /* one mistake in one place */
    const lv_finding *f = find_finding(tr, LV_FIND_MISUSE, "already holds");
    ASSERT(f);
    ASSERT_CONTAINS(f->message, "so the call can only time out after 50 ms");
    ASSERT(!strstr(f->message, "forever"));
    char *zh = lv_finding_message(tr, f, LV_TEXT_ZH);
    ASSERT_CONTAINS(zh, "超时");
    free(zh);
    lv_trace_free(tr);
}

/* A cycle's message names every thread whole, however long the names (no fixed buffer). */
TEST(a_deadlock_of_long_names_is_worded_whole_in_both_languages) {
    static char names[2][12000];
    memset(names[0], 'a', 9000);
    memset(names[1], 'b', 9000);
    char threads[20000 + 200];
    snprintf(threads, sizeof threads,
             "{\"id\": 0, \"name\": \"%.9000s\"}, {\"id\": 1, \"name\": \"%.9000s\"}", names[0],
             names[1]);
    char *doc = malloc(40000);
    snprintf(
        doc, 40000,
        "{\"format\": \"lockviz-trace\", \"version\": 1, \"scenario\": {\"name\": \"p\", "
        "\"variant\": \"v\", \"params\": {}}, \"mode\": \"live\", \"seed\": 0, \"schedule\": "
        "[], \"threads\": [%s], \"objects\": [{\"id\": 0, \"kind\": \"mutex\", \"name\": \"A\"}, "
        "{\"id\": 1, \"kind\": \"mutex\", \"name\": \"B\"}], \"events\": ["
        "{\"seq\": 0, \"t\": 0, \"thread\": 0, \"kind\": \"acquire\", \"obj\": 0},"
        "{\"seq\": 1, \"t\": 1, \"thread\": 1, \"kind\": \"acquire\", \"obj\": 1},"
        "{\"seq\": 2, \"t\": 2, \"thread\": 0, \"kind\": \"request\", \"obj\": 1},"
        "{\"seq\": 3, \"t\": 3, \"thread\": 1, \"kind\": \"request\", \"obj\": 0}], "
        "\"findings\": [], \"outcome\": \"deadlocked\"}",
        threads);
    lv_trace *tr = NULL;
    char err[256];
    ASSERT_EQ(lv_trace_read_json(doc, strlen(doc), "p.json", &tr, err, sizeof err), LV_OK);
    free(doc);
    lv_finding *fs;
    size_t n;
    ASSERT_EQ(lv_analyze(tr, &fs, &n), LV_OK);
    lv_trace_set_findings(tr, fs, n);
    const lv_finding *f = find_finding(tr, LV_FIND_DEADLOCK, "in a circle");
    ASSERT(f);
    ASSERT_GT(strlen(f->message), 36000); /* each name twice */
    ASSERT_CONTAINS(f->message, ", held by a");
    ASSERT_CONTAINS(f->message, ": each waits for the next, in a circle, forever.");
    char *zh = lv_finding_message(tr, f, LV_TEXT_ZH);
    ASSERT_GT(strlen(zh), 36000);
    ASSERT_CONTAINS(zh, "围成一圈");
    free(zh);
    lv_trace_free(tr);
}

TEST_MAIN(TEST_ENTRY(a_bounded_semaphore_handed_off_is_no_misuse_and_a_release_past_its_bound_is,
                     30),
          TEST_ENTRY(two_writes_around_another_threads_write_are_one_race, 30),
          TEST_ENTRY(a_blind_overwrite_after_a_whole_read_modify_write_is_no_lost_update, 30),
          TEST_ENTRY(a_thread_joining_itself_is_not_a_reentrant_lock, 30),
          TEST_ENTRY(a_timed_relock_times_out_and_does_not_wait_forever, 30),
          TEST_ENTRY(a_deadlock_of_long_names_is_worded_whole_in_both_languages, 30),
          TEST_ENTRY(aa_on_a_plain_lock_deadlocks, 30), TEST_ENTRY(aa_on_an_rlock_is_fine, 30),
          TEST_ENTRY(abba_reported_even_without_a_hang, 30),
          TEST_ENTRY(abba_that_hangs_is_a_deadlock_and_an_inversion, 30),
          TEST_ENTRY(abbcca_is_one_cycle_of_three_and_a_consistent_order_is_none, 30),
          TEST_ENTRY(a_gate_lock_makes_an_inversion_harmless, 60),
          TEST_ENTRY(one_rlock_under_two_names_is_no_inversion, 30),
          TEST_ENTRY(a_semaphore_cycle_deadlocks_and_says_who_holds_the_permits, 30),
          TEST_ENTRY(a_race_and_the_fixes_that_order_it, 60),
          TEST_ENTRY(a_lock_released_by_the_wrong_thread_is_misuse, 30),
          TEST_ENTRY(findings_from_a_file_equal_findings_from_the_run, 30))
