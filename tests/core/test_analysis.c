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

/* 0 none (sleep only), 1 event wait, 2 semaphore, 3 join, 4 two locks, 5 one lock, 6 is_set() */
static int fix;

static void writer(void *arg) {
    (void)arg;
    if (fix == 4 || fix == 5) lv_mutex_lock(fix == 4 ? A : B);
    lv_var_write(X, 42);
    if (fix == 4 || fix == 5) lv_mutex_unlock(fix == 4 ? A : B);
    if (fix == 1 || fix == 6) lv_event_set(E);
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
    if (fix == 6) ASSERT(lv_event_is_set(E)); /* saw the set: ordered after it */
    if (fix == 4 || fix == 5) lv_mutex_lock(B);
    lv_var_read(X);
    if (fix == 4 || fix == 5) lv_mutex_unlock(B);
    if (fix != 3) lv_join(t);
}
TEST(a_race_and_the_fixes_that_order_it) {
    /* fix: races expected */
    int want[] = {1, 0, 0, 0, 1, 0, 0};
    for (fix = 0; fix < 7; fix++) {
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

/* ---- lock order, on traces built event by event ----
 * Each trace is written as JSON and read back before it is analysed, as `lockviz check` does,
 * so every pattern is also a valid trace. */

static lv_trace *tb_new(void) {
    lv_trace *tr = calloc(1, sizeof *tr);
    ASSERT(tr);
    tr->scenario = strdup("pattern");
    tr->variant = strdup("built");
    tr->mode = LV_MODE_CONTROLLED;
    tr->outcome = LV_OUT_COMPLETED;
    return tr;
}

static void *grow(void *a, size_t n, size_t sz) { /* room for element n: doubling */
    if (n & (n - 1) && n >= 8) return a;
    a = realloc(a, (n < 8 ? 8 : n * 2) * sz);
    ASSERT(a);
    return a;
}

static int32_t tb_thread(lv_trace *tr, const char *name) {
    tr->threads = grow(tr->threads, tr->nthreads, sizeof *tr->threads);
    int32_t id = (int32_t)tr->nthreads++;
    tr->threads[id] = (lv_trace_thread){id, strdup(name)};
    return id;
}

static int32_t tb_obj(lv_trace *tr, lv_obj_kind kind, const char *name, int64_t param) {
    tr->objects = grow(tr->objects, tr->nobjects, sizeof *tr->objects);
    int32_t id = (int32_t)tr->nobjects++;
    tr->objects[id] = (lv_trace_object){id, kind, strdup(name), param, 0};
    return id;
}

static int32_t tb_lockobj(lv_trace *tr, const char *name) {
    return tb_obj(tr, LV_OBJ_MUTEX, name, 0);
}

/* value < -1: none */
static void tb_ev(lv_trace *tr, int32_t t, lv_event_kind kind, int32_t obj, int64_t value) {
    tr->events = grow(tr->events, tr->nevents, sizeof *tr->events);
    lv_event *e = &tr->events[tr->nevents];
    memset(e, 0, sizeof *e);
    e->seq = (uint32_t)tr->nevents++;
    e->t = (int64_t)e->seq;
    e->thread = t;
    e->obj = obj;
    e->kind = (uint8_t)kind;
    if (value >= -1) {
        e->flags = LV_EVF_VALUE;
        e->value = value;
    }
}

#define NOVAL (-2)
static void tb_lock(lv_trace *tr, int32_t t, int32_t o) {
    tb_ev(tr, t, LV_EV_REQUEST, o, NOVAL);
    tb_ev(tr, t, LV_EV_ACQUIRE, o, NOVAL);
}
static void tb_unlock(lv_trace *tr, int32_t t, int32_t o) {
    tb_ev(tr, t, LV_EV_RELEASE, o, NOVAL);
}
/* a try (timeout 0) or a timed acquire that got the lock */
static void tb_lock_timed(lv_trace *tr, int32_t t, int32_t o, int64_t timeout_ns) {
    tb_ev(tr, t, LV_EV_REQUEST, o, timeout_ns);
    tb_ev(tr, t, LV_EV_ACQUIRE, o, NOVAL);
}
/* t takes a then b, and lets both go */
static void tb_pair(lv_trace *tr, int32_t t, int32_t a, int32_t b) {
    tb_lock(tr, t, a);
    tb_lock(tr, t, b);
    tb_unlock(tr, t, b);
    tb_unlock(tr, t, a);
}
static void tb_pair_in(lv_trace *tr, int32_t t, int32_t gate, int32_t a, int32_t b) {
    tb_lock(tr, t, gate);
    tb_pair(tr, t, a, b);
    tb_unlock(tr, t, gate);
}
/* a semaphore's acquire and release, with the permits left or after */
static void tb_sem_down(lv_trace *tr, int32_t t, int32_t s, int64_t left) {
    tb_ev(tr, t, LV_EV_REQUEST, s, NOVAL);
    tb_ev(tr, t, LV_EV_ACQUIRE, s, left);
}
static void tb_sem_up(lv_trace *tr, int32_t t, int32_t s, int64_t after) {
    tb_ev(tr, t, LV_EV_RELEASE, s, after);
}

/* Writes tr, reads it back and analyses the copy, as check does; frees tr. */
static lv_trace *tb_check(lv_trace *tr) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ASSERT_EQ(lv_trace_write_json(tr, f), LV_OK);
    fclose(f);
    lv_trace *back = NULL;
    char err[256];
    lv_err rc = lv_trace_read_json(buf, len, "built", &back, err, sizeof err);
    if (rc != LV_OK) TEST_FAIL_AT("the built trace does not read back: %s", err);
    free(buf);
    lv_trace_free(tr);
    lv_finding *fs;
    size_t n;
    ASSERT_EQ(lv_analyze(back, &fs, &n), LV_OK);
    lv_trace_set_findings(back, fs, n);
    return back;
}

static size_t orders_of(lv_trace *tr) {
    lv_trace *back = tb_check(tr);
    size_t n = count_findings(back, LV_FIND_LOCK_ORDER);
    lv_trace_free(back);
    return n;
}

/* AA: a plain Lock asked for again by its holder is misuse (and, blocking, a deadlock), never a
 * lock-order cycle; an RLock re-entered is nothing at all. */
TEST(lock_order_aa_is_misuse_not_an_inversion) {
    lv_trace *tr = tb_new();
    int32_t t = tb_thread(tr, "t"), a = tb_lockobj(tr, "A");
    int32_t b = tb_lockobj(tr, "B"), r = tb_obj(tr, LV_OBJ_RLOCK, "R", 0);
    tb_lock(tr, t, r);
    tb_ev(tr, t, LV_EV_REQUEST, r, NOVAL);
    tb_ev(tr, t, LV_EV_ACQUIRE, r, 2);
    tb_lock(tr, t, b); /* R -> B */
    tb_unlock(tr, t, b);
    tb_ev(tr, t, LV_EV_RELEASE, r, 1);
    tb_ev(tr, t, LV_EV_RELEASE, r, 0);
    tb_lock(tr, t, a);
    tb_ev(tr, t, LV_EV_REQUEST, a, NOVAL); /* A again, while holding it: waits forever */
    tr->outcome = LV_OUT_DEADLOCKED;
    lv_trace *back = tb_check(tr);
    expect(back, 0, 1, 0, 1);
    ASSERT(find_finding(back, LV_FIND_MISUSE, "t asks for lock A, which it already holds"));
    lv_trace_free(back);
}

/* ABBA: two threads, two orders. The same two threads in one order: nothing. */
TEST(lock_order_abba_and_one_order) {
    for (int inverted = 0; inverted < 2; inverted++) {
        lv_trace *tr = tb_new();
        int32_t t1 = tb_thread(tr, "t1"), t2 = tb_thread(tr, "t2");
        int32_t a = tb_lockobj(tr, "A"), b = tb_lockobj(tr, "B");
        tb_pair(tr, t1, a, b);
        tb_pair(tr, t2, inverted ? b : a, inverted ? a : b);
        lv_trace *back = tb_check(tr);
        expect(back, 0, 0, (size_t)inverted, 0);
        if (inverted) {
            const lv_finding *f = find_finding(back, LV_FIND_LOCK_ORDER,
                                               "Lock-order inversion: t1 takes A then B (events 2, "
                                               "3); t2 takes B then A (events 8, 9). If they run");
            ASSERT(f); /* a message counts events from 1; the payload keeps the seqs */
            ASSERT_EQ(f->data.order.edges[0].acquire, 1);
            ASSERT_EQ(f->nthreads, 2);
            ASSERT_EQ(f->nobjects, 2);
            ASSERT_EQ(f->nevents, 4);
            /* each side's acquire of its first lock and request of its second, in trace order */
            uint32_t want[] = {1, 2, 7, 8};
            for (size_t k = 0; k < 4; k++)
                ASSERT_EQ(f->events[k], want[k]);
        }
        lv_trace_free(back);
    }
}

/* rwlocks: write holds taken in both orders are an inversion; a read hold makes no edge */
TEST(lock_order_rwlock_write_holds_only) {
    for (int read = 0; read < 2; read++) {
        lv_trace *tr = tb_new();
        int32_t t1 = tb_thread(tr, "t1"), t2 = tb_thread(tr, "t2");
        int32_t a = tb_obj(tr, LV_OBJ_RWLOCK, "A", 0), b = tb_obj(tr, LV_OBJ_RWLOCK, "B", 0);
        tb_pair(tr, t1, a, b);
        size_t first = tr->nevents;
        tb_pair(tr, t2, b, a);
        if (read) /* t2 holds B for reading while it asks for A */
            for (size_t i = first; i < tr->nevents; i++)
                if (tr->events[i].obj == b) tr->events[i].flags |= LV_EVF_READ;
        lv_trace *back = tb_check(tr);
        expect(back, 0, 0, read ? 0 : 1, 0);
        lv_trace_free(back);
    }
}

/* rwlock_upgrade: a write hold asked by a thread that holds a read hold of the same rwlock
 * (case 0: untimed, 1: a try, 2: timed) is misuse; a write asked after the read hold is let go,
 * or while another thread reads, is not (cases 3 and 4). */
static void tb_read(lv_trace *tr, int32_t t, int32_t o, lv_event_kind k) {
    tb_ev(tr, t, k, o, NOVAL);
    tr->events[tr->nevents - 1].flags |= LV_EVF_READ;
}
TEST(a_write_lock_asked_under_a_read_lock_of_the_same_rwlock_is_misuse) {
    for (int c = 0; c < 5; c++) {
        lv_trace *tr = tb_new();
        int32_t t1 = tb_thread(tr, "t1"), t2 = tb_thread(tr, "t2");
        int32_t l = tb_obj(tr, LV_OBJ_RWLOCK, "cache_lock", 0);
        tb_read(tr, t1, l, LV_EV_REQUEST);
        tb_read(tr, t1, l, LV_EV_ACQUIRE);
        if (c == 3) tb_read(tr, t1, l, LV_EV_RELEASE);
        int32_t writer = c == 4 ? t2 : t1;
        tb_ev(tr, writer, LV_EV_REQUEST, l, c == 1 ? 0 : c == 2 ? 50000000 : NOVAL);
        if (c == 1 || c == 2) {
            tb_ev(tr, t1, LV_EV_TIMEOUT, l, NOVAL);
            tb_read(tr, t1, l, LV_EV_RELEASE);
        } else if (c >= 3) {
            if (c == 4) tb_read(tr, t1, l, LV_EV_RELEASE);
            tb_ev(tr, writer, LV_EV_ACQUIRE, l, NOVAL);
            tb_ev(tr, writer, LV_EV_RELEASE, l, NOVAL);
        }
        lv_trace *back = tb_check(tr);
        ASSERT_EQ(count_findings(back, LV_FIND_MISUSE), c < 3 ? 1 : 0);
        if (c < 3) {
            const lv_finding *f = find_finding(
                back, LV_FIND_MISUSE,
                "t1 asks for a write lock of rwlock cache_lock while it holds a read lock of it");
            ASSERT(f);
            ASSERT_EQ(f->data.misuse.rule, LV_MU_RWLOCK_UPGRADE);
            ASSERT_EQ(f->data.misuse.obj, l);
            ASSERT_EQ(f->data.misuse.seq, 2);
            ASSERT_CONTAINS(f->message, c == 0   ? "so it waits for itself forever"
                                        : c == 1 ? "so the try (which does not wait) fails"
                                                 : "so the call can only time out after 50 ms");
            ASSERT_CONTAINS(f->message, "Unlock the read lock first");
            char *zh = lv_finding_message(back, f, LV_TEXT_ZH);
            ASSERT_CONTAINS(zh, "t1 请求读写锁 cache_lock 的写锁，但它还持有这把锁的读锁");
            ASSERT_CONTAINS(zh, "读锁不能升级为写锁");
            free(zh);
            /* the payload's rule is written and read back by name */
            char *buf = NULL;
            size_t len = 0;
            FILE *fp = open_memstream(&buf, &len);
            ASSERT_EQ(lv_trace_write_json(back, fp), LV_OK);
            fclose(fp);
            ASSERT(strstr(buf, "\"rule\": \"rwlock_upgrade\""));
            lv_trace *again = NULL;
            char err[256];
            ASSERT_EQ(lv_trace_read_json(buf, len, "built", &again, err, sizeof err), LV_OK);
            free(buf);
            const lv_finding *g = find_finding(again, LV_FIND_MISUSE, "read lock");
            ASSERT(g);
            ASSERT_EQ(g->data.misuse.rule, LV_MU_RWLOCK_UPGRADE);
            lv_trace_free(again);
        }
        lv_trace_free(back);
    }
}

/* ABBCCA: a cycle of three is one finding; A->B, B->C, A->C is an order. */
TEST(lock_order_abbcca_and_a_consistent_three) {
    for (int cycle = 0; cycle < 2; cycle++) {
        lv_trace *tr = tb_new();
        int32_t t1 = tb_thread(tr, "t1"), t2 = tb_thread(tr, "t2"), t3 = tb_thread(tr, "t3");
        int32_t a = tb_lockobj(tr, "A"), b = tb_lockobj(tr, "B"), c = tb_lockobj(tr, "C");
        tb_pair(tr, t1, a, b);
        tb_pair(tr, t2, b, c);
        tb_pair(tr, t3, cycle ? c : a, cycle ? a : c);
        lv_trace *back = tb_check(tr);
        expect(back, 0, 0, (size_t)cycle, 0);
        if (cycle) {
            const lv_finding *f = find_finding(back, LV_FIND_LOCK_ORDER, "t1 takes A then B");
            ASSERT(f);
            ASSERT_CONTAINS(f->message, "t2 takes B then C");
            ASSERT_CONTAINS(f->message, "t3 takes C then A");
        }
        lv_trace_free(back);
    }
}

/* A common gate lock G around both sides: the circle cannot close. G around one side only: it
 * can (t1 holds G and A and waits for B, t2 holds B and waits for A). */
TEST(lock_order_gate_on_both_sides_and_on_one_side) {
    for (int gated = 0; gated < 3; gated++) { /* 0: no gate, 1: both sides, 2: t1's side */
        lv_trace *tr = tb_new();
        int32_t t1 = tb_thread(tr, "t1"), t2 = tb_thread(tr, "t2");
        int32_t a = tb_lockobj(tr, "A"), b = tb_lockobj(tr, "B"), g = tb_lockobj(tr, "G");
        if (gated) {
            tb_pair_in(tr, t1, g, a, b);
        } else {
            tb_pair(tr, t1, a, b);
        }
        if (gated == 1) {
            tb_pair_in(tr, t2, g, b, a);
        } else {
            tb_pair(tr, t2, b, a);
        }
        ASSERT_EQ(orders_of(tr), gated == 1 ? 0 : 1);
    }
}

/* A gate must be held at every instance of an edge: once t1 takes A then B without G, the
 * inversion is real again. */
TEST(lock_order_a_gate_must_hold_at_every_instance) {
    for (int once_bare = 0; once_bare < 2; once_bare++) {
        lv_trace *tr = tb_new();
        int32_t t1 = tb_thread(tr, "t1"), t2 = tb_thread(tr, "t2");
        int32_t a = tb_lockobj(tr, "A"), b = tb_lockobj(tr, "B"), g = tb_lockobj(tr, "G");
        tb_pair_in(tr, t1, g, a, b);
        tb_pair_in(tr, t2, g, b, a);
        if (once_bare) tb_pair(tr, t1, a, b);
        tb_pair_in(tr, t1, g, a, b);
        ASSERT_EQ(orders_of(tr), (size_t)once_bare);
    }
}

/* ABBCCA with two of its three edges under G: those two cannot be in progress at once, so the
 * cycle cannot close. With G on one edge, or with a different gate on each, it can. */
TEST(lock_order_two_of_three_edges_gated) {
    /* gates of the edges A->B, B->C, C->A: 0 none, 1 G, 2 H */
    static const int cases[][3] = {{1, 1, 0}, {0, 1, 1}, {1, 0, 1}, {1, 1, 1},
                                   {0, 0, 0}, {1, 0, 0}, {1, 2, 0}, {1, 2, 2}};
    static const size_t want[] = {0, 0, 0, 0, 1, 1, 1, 0};
    for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) {
        lv_trace *tr = tb_new();
        int32_t t[3] = {tb_thread(tr, "t1"), tb_thread(tr, "t2"), tb_thread(tr, "t3")};
        int32_t l[3] = {tb_lockobj(tr, "A"), tb_lockobj(tr, "B"), tb_lockobj(tr, "C")};
        int32_t gates[3] = {LV_NONE, tb_lockobj(tr, "G"), tb_lockobj(tr, "H")};
        for (int i = 0; i < 3; i++) {
            if (cases[k][i])
                tb_pair_in(tr, t[i], gates[cases[k][i]], l[i], l[(i + 1) % 3]);
            else
                tb_pair(tr, t[i], l[i], l[(i + 1) % 3]);
        }
        size_t got = orders_of(tr);
        if (got != want[k])
            TEST_FAIL_AT("gates %d %d %d: %zu lock_order findings, want %zu", cases[k][0],
                         cases[k][1], cases[k][2], got, want[k]);
    }
}

/* A lock of the cycle itself can be the common gate: t1 holds A and B while it asks for C, t2
 * holds A while it asks for B, so A->B and B->C cannot both be in progress; the real cycle here
 * is A->C->A, reported once. */
TEST(lock_order_a_cycle_lock_held_around_two_edges_gates_them) {
    lv_trace *tr = tb_new();
    int32_t t1 = tb_thread(tr, "t1"), t2 = tb_thread(tr, "t2"), t3 = tb_thread(tr, "t3");
    int32_t a = tb_lockobj(tr, "A"), b = tb_lockobj(tr, "B"), c = tb_lockobj(tr, "C");
    tb_lock(tr, t1, a);
    tb_pair(tr, t1, b, c); /* A->B, A->C, B->C, all holding A */
    tb_unlock(tr, t1, a);
    tb_pair(tr, t2, a, b);
    tb_pair(tr, t3, c, a);
    lv_trace *back = tb_check(tr);
    expect(back, 0, 0, 1, 0);
    const lv_finding *f = find_finding(back, LV_FIND_LOCK_ORDER, "t1 takes A then C");
    ASSERT(f);
    ASSERT_CONTAINS(f->message, "t3 takes C then A");
    ASSERT(!strstr(f->message, "then B"));
    lv_trace_free(back);
}

/* Semaphore(1) or BoundedSemaphore(1) held around both sides serialises them as a lock does;
 * Semaphore(2) lets two in at once, and a Semaphore(1) released once too often holds two
 * permits from then on: neither gates. */
TEST(lock_order_semaphore_gates_only_with_capacity_one) {
    enum { SEM1, BOUNDED1, SEM2, SEM1_EXTRA, NCASES };
    static const size_t want[NCASES] = {0, 0, 1, 1};
    for (int k = 0; k < NCASES; k++) {
        lv_trace *tr = tb_new();
        int32_t t1 = tb_thread(tr, "t1"), t2 = tb_thread(tr, "t2");
        int32_t a = tb_lockobj(tr, "A"), b = tb_lockobj(tr, "B");
        int64_t cap = k == SEM2 ? 2 : 1;
        int32_t s =
            tb_obj(tr, k == BOUNDED1 ? LV_OBJ_BOUNDED_SEMAPHORE : LV_OBJ_SEMAPHORE, "S", cap);
        int64_t permits = cap;
        if (k == SEM1_EXTRA) tb_sem_up(tr, t2, s, ++permits); /* now 2 permits */
        tb_sem_down(tr, t1, s, --permits);
        tb_pair(tr, t1, a, b);
        tb_sem_up(tr, t1, s, ++permits);
        tb_sem_down(tr, t2, s, --permits);
        tb_pair(tr, t2, b, a);
        tb_sem_up(tr, t2, s, ++permits);
        size_t got = orders_of(tr);
        if (got != want[k])
            TEST_FAIL_AT("case %d: %zu lock_order findings, want %zu", k, got, want[k]);
    }
}

/* A try or a timed acquire cannot wait forever, so it adds no edge; a lock taken by a try is
 * still held, so a blocking request after it adds one. */
TEST(lock_order_trylock_and_timeout_add_no_edge) {
    enum { BLOCKING, TRY, TIMED, TRY_FIRST, NCASES };
    static const size_t want[NCASES] = {1, 0, 0, 1};
    for (int k = 0; k < NCASES; k++) {
        lv_trace *tr = tb_new();
        int32_t t1 = tb_thread(tr, "t1"), t2 = tb_thread(tr, "t2");
        int32_t a = tb_lockobj(tr, "A"), b = tb_lockobj(tr, "B");
        if (k == TRY_FIRST)
            tb_lock_timed(tr, t1, a, 0);
        else
            tb_lock(tr, t1, a);
        if (k == TRY || k == TIMED)
            tb_lock_timed(tr, t1, b, k == TRY ? 0 : 100000000);
        else
            tb_lock(tr, t1, b);
        tb_unlock(tr, t1, b);
        tb_unlock(tr, t1, a);
        tb_pair(tr, t2, b, a);
        size_t got = orders_of(tr);
        if (got != want[k])
            TEST_FAIL_AT("case %d: %zu lock_order findings, want %zu", k, got, want[k]);
    }
}

/* One thread that takes A then B and later B then A cannot deadlock with itself, but the code
 * it ran does if two threads run it: reported, as lockdep and TSan report lock classes, and as
 * the deadlock lesson needs (its run often shows both orders from one thread). Under a gate
 * held around both, it is not. */
TEST(lock_order_one_thread_both_orders) {
    for (int gated = 0; gated < 2; gated++) {
        lv_trace *tr = tb_new();
        int32_t t = tb_thread(tr, "worker");
        int32_t a = tb_lockobj(tr, "A"), b = tb_lockobj(tr, "B"), g = tb_lockobj(tr, "G");
        if (gated) {
            tb_pair_in(tr, t, g, a, b);
            tb_pair_in(tr, t, g, b, a);
        } else {
            tb_pair(tr, t, a, b);
            tb_pair(tr, t, b, a);
        }
        lv_trace *back = tb_check(tr);
        expect(back, 0, 0, gated ? 0 : 1, 0);
        if (!gated) {
            const lv_finding *f =
                find_finding(back, LV_FIND_LOCK_ORDER, "worker takes A then B (events 2, 3)");
            ASSERT(f);
            ASSERT_CONTAINS(f->message, "worker takes B then A");
            ASSERT_CONTAINS(f->message, "If two threads ran this code at the same time");
            ASSERT_EQ(f->nthreads, 1);
        }
        lv_trace_free(back);
    }
}

/* Each cycle once: many threads repeating ABBA is one finding. Three locks taken in both
 * orders pairwise are three findings, one per pair: the search lists the shortest cycle
 * through each edge, and each edge here is on a cycle of two, so the two cycles of three
 * (A->B->C->A, A->C->B->A) are not listed besides (the exponential search listed all five). */
TEST(lock_order_each_cycle_once_the_shortest_per_edge) {
    lv_trace *tr = tb_new();
    int32_t a = tb_lockobj(tr, "A"), b = tb_lockobj(tr, "B");
    for (int i = 0; i < 6; i++) {
        char nm[16];
        snprintf(nm, sizeof nm, "t%d", i + 1);
        int32_t t = tb_thread(tr, nm);
        for (int r = 0; r < 5; r++)
            tb_pair(tr, t, i % 2 ? a : b, i % 2 ? b : a);
    }
    ASSERT_EQ(orders_of(tr), 1);

    tr = tb_new();
    int32_t t1 = tb_thread(tr, "t1"), t2 = tb_thread(tr, "t2");
    int32_t l[3] = {tb_lockobj(tr, "A"), tb_lockobj(tr, "B"), tb_lockobj(tr, "C")};
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            if (i != j) tb_pair(tr, i < j ? t1 : t2, l[i], l[j]);
    lv_trace *back = tb_check(tr);
    expect(back, 0, 0, 3, 0);
    ASSERT(find_finding(back, LV_FIND_LOCK_ORDER, "t1 takes A then B"));
    ASSERT(find_finding(back, LV_FIND_LOCK_ORDER, "t1 takes A then C"));
    ASSERT(find_finding(back, LV_FIND_LOCK_ORDER, "t1 takes B then C"));
    lv_trace_free(back);
}

/* n separate ABBA pairs: 2n locks, n cycles */
static lv_trace *abba_pairs(int n) {
    lv_trace *tr = tb_new();
    int32_t t1 = tb_thread(tr, "t1"), t2 = tb_thread(tr, "t2");
    for (int i = 0; i < n; i++) {
        char nm[16];
        snprintf(nm, sizeof nm, "A%d", i);
        int32_t a = tb_lockobj(tr, nm);
        snprintf(nm, sizeof nm, "B%d", i);
        int32_t b = tb_lockobj(tr, nm);
        tb_pair(tr, t1, a, b);
        tb_pair(tr, t2, b, a);
    }
    return tb_check(tr);
}

/* At most 16 cycles are listed, shortest first; one more finding counts the others. */
TEST(lock_order_findings_are_capped_with_a_count) {
    lv_trace *back = abba_pairs(16); /* exactly 16: all listed, no count */
    ASSERT_EQ(count_findings(back, LV_FIND_LOCK_ORDER), 16);
    ASSERT(!find_finding(back, LV_FIND_LOCK_ORDER, "not listed"));
    lv_trace_free(back);
    back = abba_pairs(17);
    ASSERT_EQ(count_findings(back, LV_FIND_LOCK_ORDER), 17);
    const lv_finding *f = find_finding(back, LV_FIND_LOCK_ORDER, "1 more cycle");
    ASSERT(f);
    ASSERT_CONTAINS(f->message, "1 more cycle of the lock-order graph was found and not listed "
                                "(lockviz lists at most 16, shortest first); it goes through 2 "
                                "locks and 2 threads.");
    ASSERT_EQ(f->nobjects, 2);
    ASSERT_EQ(f->nevents, 0);
    lv_trace_free(back);

    /* shortest first: a cycle of three met first in the trace is listed after the pairs */
    lv_trace *tr = tb_new();
    int32_t t1 = tb_thread(tr, "t1"), t2 = tb_thread(tr, "t2"), t3 = tb_thread(tr, "t3");
    int32_t x = tb_lockobj(tr, "X"), y = tb_lockobj(tr, "Y"), z = tb_lockobj(tr, "Z");
    int32_t a = tb_lockobj(tr, "A"), b = tb_lockobj(tr, "B");
    tb_pair(tr, t1, x, y);
    tb_pair(tr, t2, y, z);
    tb_pair(tr, t3, z, x);
    tb_pair(tr, t1, a, b);
    tb_pair(tr, t2, b, a);
    back = tb_check(tr);
    ASSERT_EQ(back->nfindings, 2);
    ASSERT_CONTAINS(back->findings[0].message, "takes A then B");
    ASSERT_CONTAINS(back->findings[1].message, "takes X then Y");
    lv_trace_free(back);
}

/* Every pair of 13 locks in both orders (the exponential search never ended on it): 78 cycles
 * of two, 16 listed (L0 with each other lock, then L1 with L2 to L5) and 62 counted, through
 * the 12 locks other than L0. Under one gate around every order, none. */
TEST(lock_order_all_pairs_of_thirteen_locks) {
    for (int gated = 0; gated < 2; gated++) {
        lv_trace *tr = tb_new();
        int32_t t1 = tb_thread(tr, "t1"), t2 = tb_thread(tr, "t2");
        int32_t l[13], g = tb_lockobj(tr, "G");
        for (int i = 0; i < 13; i++) {
            char nm[16];
            snprintf(nm, sizeof nm, "L%d", i);
            l[i] = tb_lockobj(tr, nm);
        }
        for (int i = 0; i < 13; i++)
            for (int j = 0; j < 13; j++) {
                if (i == j) continue;
                if (gated) /* every order under one gate: cycles everywhere, none can close */
                    tb_pair_in(tr, i < j ? t1 : t2, g, l[i], l[j]);
                else
                    tb_pair(tr, i < j ? t1 : t2, l[i], l[j]);
            }
        lv_trace *back = tb_check(tr);
        if (gated) {
            expect(back, 0, 0, 0, 0);
        } else {
            ASSERT_EQ(count_findings(back, LV_FIND_LOCK_ORDER), 17);
            const lv_finding *f = find_finding(back, LV_FIND_LOCK_ORDER, "62 more cycles");
            ASSERT(f);
            ASSERT_CONTAINS(f->message, "through 12 locks and 2 threads");
        }
        lv_trace_free(back);
    }
}

/* One thread nesting 30 locks in one order, ten times: no cycle (the exponential search took
 * more than a minute on it). */
TEST(lock_order_thirty_nested_locks_in_one_order) {
    lv_trace *tr = tb_new();
    int32_t t = tb_thread(tr, "t");
    int32_t l[30];
    for (int i = 0; i < 30; i++) {
        char nm[16];
        snprintf(nm, sizeof nm, "L%d", i);
        l[i] = tb_lockobj(tr, nm);
    }
    for (int r = 0; r < 10; r++) {
        for (int i = 0; i < 30; i++)
            tb_lock(tr, t, l[i]);
        for (int i = 29; i >= 0; i--)
            tb_unlock(tr, t, l[i]);
    }
    lv_trace *back = tb_check(tr);
    expect(back, 0, 0, 0, 0);
    lv_trace_free(back);
}

/* The bank lesson: two tellers, 400 random transfers between 14 accounts, each taking the two
 * account locks (the exponential search never finished on it). From-account first: many
 * inversions, 16 listed and one finding that counts the rest. In account-id order, the fix a
 * teacher shows: none. */
TEST(lock_order_two_tellers_fourteen_accounts) {
    for (int ordered = 0; ordered < 2; ordered++) {
        lv_trace *tr = tb_new();
        int32_t tellers[2] = {tb_thread(tr, "teller-1"), tb_thread(tr, "teller-2")};
        int32_t acct[14];
        for (int i = 0; i < 14; i++) {
            char nm[32];
            snprintf(nm, sizeof nm, "account-%d", i);
            acct[i] = tb_lockobj(tr, nm);
        }
        uint64_t s = 7;
        for (int k = 0; k < 400; k++) {
            s = s * 6364136223846793005ULL + 1442695040888963407ULL;
            int from = (int)(s >> 33) % 14, to = (int)(s >> 45) % 13;
            if (to >= from) to++;
            int first = ordered && to < from ? to : from, second = first == from ? to : from;
            tb_pair(tr, tellers[(s >> 60) & 1], acct[first], acct[second]);
        }
        lv_trace *back = tb_check(tr);
        if (ordered) {
            expect(back, 0, 0, 0, 0);
        } else {
            ASSERT_EQ(count_findings(back, LV_FIND_LOCK_ORDER), 17);
            ASSERT(find_finding(back, LV_FIND_LOCK_ORDER, "more cycles of the lock-order graph"));
        }
        lv_trace_free(back);
    }
}

/* lv_analyze_ex without lock order: the same findings but the lock_order ones. */
TEST(lock_order_can_be_left_out) {
    lv_trace *tr = pattern(main_abba_hang);
    lv_finding *fs;
    size_t n;
    ASSERT_EQ(lv_analyze_ex(tr, &(lv_analyze_opts){.no_lock_order = 1}, &fs, &n), LV_OK);
    ASSERT_EQ(n, tr->nfindings - 1);
    for (size_t i = 0; i < n; i++)
        ASSERT_NE(fs[i].kind, LV_FIND_LOCK_ORDER);
    lv_findings_free(fs, n);
    ASSERT_EQ(lv_analyze_ex(tr, &(lv_analyze_opts){0}, &fs, &n), LV_OK);
    ASSERT_EQ(n, tr->nfindings);
    lv_findings_free(fs, n);
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

/* Alice reads x, bob writes it, alice writes it: which of the three the lock A surrounds. */
enum {
    LU_UNLOCKED,     /* none: the read and the overwrite race with bob's write */
    LU_BLIND_LOCKED, /* all: alice's whole read-modify-write, then a blind overwrite */
    LU_TWO_SECTIONS, /* all: the read in one critical section, the write in another */
    LU_READ_BARE,    /* bob's write and alice's write, not her read */
    LU_WRITE_BARE,   /* alice's read and bob's write, not her write */
    LU_BLIND_BARE    /* none, and alice writes her read back before bob's write */
};
static int lu_shape;
static void lu_lock(int locked) {
    if (locked) lv_mutex_lock(A);
}
static void lu_unlock(int locked) {
    if (locked) lv_mutex_unlock(A);
}
static void alice(void *arg) {
    (void)arg;
    int lock_read =
        lu_shape == LU_BLIND_LOCKED || lu_shape == LU_TWO_SECTIONS || lu_shape == LU_WRITE_BARE;
    int lock_write =
        lu_shape == LU_BLIND_LOCKED || lu_shape == LU_TWO_SECTIONS || lu_shape == LU_READ_BARE;
    int blind = lu_shape == LU_BLIND_LOCKED || lu_shape == LU_BLIND_BARE;
    lu_lock(lock_read);
    int64_t v = lv_var_read(X);
    if (blind) lv_var_write(X, v + 1); /* the read-modify-write, whole */
    lu_unlock(lock_read);
    lv_sleep(LV_MS(20)); /* bob writes now */
    lu_lock(lock_write);
    lv_var_write(X, blind ? 100 : v + 1);
    lu_unlock(lock_write);
}
static void bob(void *arg) {
    (void)arg;
    int locked = lu_shape != LU_UNLOCKED && lu_shape != LU_BLIND_BARE;
    lv_sleep(LV_MS(10));
    lu_lock(locked);
    lv_var_write(X, 50);
    lu_unlock(locked);
}
static void main_overwrite(const lv_args *a) {
    (void)a;
    A = lv_mutex_new("A");
    X = lv_var_new("x", 0);
    lv_thread *t1 = lv_spawn("alice", alice, NULL), *t2 = lv_spawn("bob", bob, NULL);
    lv_join(t1);
    lv_join(t2);
}
static lv_trace *lost_update_shape(int shape, size_t races, int lost) {
    lu_shape = shape;
    lv_trace *tr = pattern(main_overwrite);
    const lv_finding *f = find_finding(tr, LV_FIND_RACE, "Lost update on x");
    if (count_findings(tr, LV_FIND_RACE) != races || (f != NULL) != lost)
        TEST_FAIL_AT("shape %d: %zu races (want %zu), %s lost update", shape,
                     count_findings(tr, LV_FIND_RACE), races, f ? "a" : "no");
    expect(tr, races, 0, 0, 0);
    if (lost) {
        ASSERT_EQ(f->payload, LV_PAY_LOST_UPDATE);
        ASSERT_EQ(f->data.lost.read.thread, 1);     /* alice */
        ASSERT_EQ(f->data.lost.lost.thread, 1 + 1); /* bob */
        ASSERT_EQ(f->data.lost.more, 0);
    }
    return tr;
}
/* A lost update needs alice's read and her overwrite both unordered with bob's write: then
 * bob's write could have come between them in any run, and hers rests on a value it never saw.
 * When the lock orders any of the three, there is no lost update: under one lock everything is
 * ordered, and a read in one critical section with its write in another (an atomicity
 * violation) is no race either; the scenario's check shows that bug. A read or write left
 * outside the lock is reported as the data race it is. */
TEST(a_lost_update_needs_the_read_and_the_overwrite_unordered_with_the_lost_write) {
    /* reported: the read races with bob's write, and so does the overwrite */
    lv_trace_free(lost_update_shape(LU_UNLOCKED, 3, 1));
    lv_trace_free(lost_update_shape(LU_BLIND_BARE, 3, 1));
    /* not reported: the lock orders all of it */
    lv_trace_free(lost_update_shape(LU_BLIND_LOCKED, 0, 0));
    lv_trace_free(lost_update_shape(LU_TWO_SECTIONS, 0, 0));
    /* the race that is there, and no lost update */
    lv_trace_free(lost_update_shape(LU_READ_BARE, 1, 0));  /* alice's read, bob's write */
    lv_trace_free(lost_update_shape(LU_WRITE_BARE, 1, 0)); /* bob's write, alice's write */
}

/* No cycle: every stuck wait is worded with what it waits for. */
static lv_cond *READY;
static void car(void *arg) {
    (void)arg;
    lv_event_wait(E, LV_FOREVER); /* nobody sets it */
}
static void consumer(void *arg) {
    (void)arg;
    lv_cond_lock(READY);
    lv_cond_wait(READY, LV_FOREVER); /* nobody notifies */
    lv_cond_unlock(READY);
}
static void main_stuck(const lv_args *a) {
    (void)a;
    E = lv_event_new("light");
    READY = lv_cond_new("ready", NULL);
    lv_thread *t1 = lv_spawn("car", car, NULL), *t2 = lv_spawn("consumer", consumer, NULL);
    lv_join(t1);
    lv_join(t2);
}
TEST(a_stuck_list_says_what_each_thread_waits_for) {
    lv_trace *tr = pattern(main_stuck);
    ASSERT_EQ(tr->outcome, LV_OUT_DEADLOCKED);
    expect(tr, 0, 1, 0, 0);
    const lv_finding *f = find_finding(tr, LV_FIND_DEADLOCK, "Deadlock: no thread can go on.");
    ASSERT(f);
    ASSERT_EQ(f->data.deadlock.shape, LV_DL_STUCK);
    ASSERT_CONTAINS(f->message, "main waits to join car.");
    ASSERT_CONTAINS(f->message, "car waits for event light, which nobody left will set.");
    ASSERT_CONTAINS(f->message, "consumer waits on condition ready for a notify that never comes.");
    lv_trace_free(tr);
}

/* A live run stopped by its watchdog may leave a wait with a timeout open (a thread polling
 * beside the deadlock): that wait is not stuck, it would have ended by itself, so it is not
 * listed, and the message does not say that no thread could go on. */
TEST(a_timed_wait_left_open_is_not_a_stuck_one) {
    for (int poller = 0; poller < 2; poller++) {
        char events[1024];
        snprintf(events, sizeof events, "%s%s",
                 "{\"seq\": 0, \"t\": 0, \"thread\": 0, \"kind\": \"start\"},"
                 "{\"seq\": 1, \"t\": 1, \"thread\": 0, \"kind\": \"request\", \"obj\": 0}",
                 poller ? ",{\"seq\": 2, \"t\": 2, \"thread\": 1, \"kind\": \"start\"},"
                          "{\"seq\": 3, \"t\": 3, \"thread\": 1, \"kind\": \"request\", "
                          "\"obj\": 1, \"value\": 10000000}"
                        : "");
        lv_trace *tr = from_json(poller ? "{\"id\": 0, \"name\": \"waiter\"},"
                                          "{\"id\": 1, \"name\": \"poller\"}"
                                        : "{\"id\": 0, \"name\": \"waiter\"}",
                                 "{\"id\": 0, \"kind\": \"semaphore\", \"name\": \"S\", "
                                 "\"capacity\": 0},"
                                 "{\"id\": 1, \"kind\": \"event\", \"name\": \"E\"}",
                                 events, "deadlocked");
        expect(tr, 0, 1, 0, 0);
        const lv_finding *f = find_finding(tr, LV_FIND_DEADLOCK, "waiter waits for a permit of S");
        ASSERT(f);
        ASSERT_EQ(f->data.deadlock.nsteps, 1);
        ASSERT(!strstr(f->message, "poller"));
        ASSERT_CONTAINS(f->message, poller ? "Deadlock: these threads can never go on."
                                           : "Deadlock: no thread can go on.");
        lv_trace_free(tr);
    }
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
          TEST_ENTRY(lock_order_rwlock_write_holds_only, 30),
          TEST_ENTRY(a_write_lock_asked_under_a_read_lock_of_the_same_rwlock_is_misuse, 30),
          TEST_ENTRY(two_writes_around_another_threads_write_are_one_race, 30),
          TEST_ENTRY(a_lost_update_needs_the_read_and_the_overwrite_unordered_with_the_lost_write,
                     30),
          TEST_ENTRY(a_stuck_list_says_what_each_thread_waits_for, 30),
          TEST_ENTRY(a_timed_wait_left_open_is_not_a_stuck_one, 30),
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
          TEST_ENTRY(findings_from_a_file_equal_findings_from_the_run, 30),
          TEST_ENTRY(lock_order_aa_is_misuse_not_an_inversion, 30),
          TEST_ENTRY(lock_order_abba_and_one_order, 30),
          TEST_ENTRY(lock_order_abbcca_and_a_consistent_three, 30),
          TEST_ENTRY(lock_order_gate_on_both_sides_and_on_one_side, 30),
          TEST_ENTRY(lock_order_a_gate_must_hold_at_every_instance, 30),
          TEST_ENTRY(lock_order_two_of_three_edges_gated, 30),
          TEST_ENTRY(lock_order_a_cycle_lock_held_around_two_edges_gates_them, 30),
          TEST_ENTRY(lock_order_semaphore_gates_only_with_capacity_one, 30),
          TEST_ENTRY(lock_order_trylock_and_timeout_add_no_edge, 30),
          TEST_ENTRY(lock_order_one_thread_both_orders, 30),
          TEST_ENTRY(lock_order_each_cycle_once_the_shortest_per_edge, 30),
          TEST_ENTRY(lock_order_findings_are_capped_with_a_count, 30),
          TEST_ENTRY(lock_order_all_pairs_of_thirteen_locks, 30),
          TEST_ENTRY(lock_order_thirty_nested_locks_in_one_order, 30),
          TEST_ENTRY(lock_order_two_tellers_fourteen_accounts, 30),
          TEST_ENTRY(lock_order_can_be_left_out, 30))
