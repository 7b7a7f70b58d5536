/* Semantics of each primitive, checked on the trace it records: Lock, RLock, Semaphore,
 * BoundedSemaphore, Event, Condition, threads, vars and checks, with the misuses each one must
 * record rather than crash on. Live by default; test_prims_controlled runs the same cases
 * under the controlled scheduler (LV_TEST_MODE=controlled). */
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>
#include "support.h"

/* ---- who am I ---- */

static int self_ids[4];        /* [0]: main's; [1..3]: each worker's, as lv_self_id said it */
static char self_names[4][16]; /* copies: the names live as long as the run */

static void say_self(void *arg) {
    int i = (int)(intptr_t)arg;
    self_ids[i] = lv_self_id();
    snprintf(self_names[i], sizeof self_names[i], "%s", lv_self_name());
}

static void main_self(const lv_args *a) {
    (void)a;
    self_ids[0] = lv_self_id();
    snprintf(self_names[0], sizeof self_names[0], "%s", lv_self_name());
    static const char *const names[] = {NULL, "w-1", "w-2", "w-3"};
    lv_thread *t[4];
    for (int i = 1; i < 4; i++)
        t[i] = lv_spawn(names[i], say_self, (void *)(intptr_t)i);
    for (int i = 1; i < 4; i++)
        lv_join(t[i]);
}

/* lv_self_id is the id the trace gives the calling thread: main is 0, each worker its own. */
TEST(self_id_is_the_trace_id) {
    lv_trace *tr = run_fn("self", main_self);
    ASSERT_EQ(self_ids[0], 0);
    ASSERT_STR_EQ(self_names[0], "main");
    ASSERT_STR_EQ(lv_trace_thread_name(tr, 0), "main");
    for (int i = 1; i < 4; i++) {
        char want[16];
        snprintf(want, sizeof want, "w-%d", i);
        ASSERT_GT(self_ids[i], 0);
        ASSERT_STR_EQ(self_names[i], want);
        ASSERT_STR_EQ(lv_trace_thread_name(tr, self_ids[i]), want);
        for (int k = 0; k < i; k++)
            ASSERT_NE(self_ids[i], self_ids[k]);
    }
    lv_trace_free(tr);
}

/* ---- Lock ---- */

static int counter;

static void add_many(void *arg) {
    lv_mutex *m = arg;
    for (int i = 0; i < 2000; i++) {
        lv_mutex_lock(m);
        counter++; /* plain: the lock is what makes this correct (and TSan-clean) */
        lv_mutex_unlock(m);
    }
}

static void main_mutual_exclusion(const lv_args *a) {
    (void)a;
    lv_mutex *m = lv_mutex_new("m");
    lv_thread *t[4];
    for (int i = 0; i < 4; i++)
        t[i] = lv_spawn("adder", add_many, m);
    for (int i = 0; i < 4; i++)
        lv_join(t[i]);
    lv_check(counter == 8000, "counter=%d", counter);
}

TEST(lock_mutual_exclusion) {
    lv_trace *tr = run_fn("mx", main_mutual_exclusion);
    ASSERT_EQ(counter, 8000);
    int32_t m = obj_id(tr, "m");
    ASSERT_EQ(count_events(tr, LV_EV_ACQUIRE, m, LV_NONE), 8000);
    ASSERT_EQ(count_events(tr, LV_EV_RELEASE, m, LV_NONE), 8000);
    ASSERT_EQ(count_events(tr, LV_EV_REQUEST, m, LV_NONE), 8000);
    ASSERT_EQ(tr->nfindings, 0);
    lv_trace_free(tr);
}

static void main_release_unlocked(const lv_args *a) {
    (void)a;
    lv_mutex *m = lv_mutex_new("A");
    lv_mutex_unlock(m); /* misuse: not locked */
    lv_mutex_lock(m);   /* the run goes on and the lock still works */
    ASSERT(lv_mutex_locked(m));
    lv_mutex_unlock(m);
    ASSERT(!lv_mutex_locked(m));
}

TEST(lock_release_unlocked_is_misuse) {
    lv_trace *tr = run_fn("ru", main_release_unlocked);
    ASSERT_EQ(count_findings(tr, LV_FIND_MISUSE), 1);
    const lv_finding *f = find_finding(tr, LV_FIND_MISUSE, "nobody holds");
    ASSERT(f);
    ASSERT_EQ(f->nevents, 1);
    ASSERT_EQ(tr->events[f->events[0]].kind, LV_EV_RELEASE);
    ASSERT_EQ(tr->outcome, LV_OUT_COMPLETED);
    lv_trace_free(tr);
}

static void unlock_other(void *arg) {
    lv_mutex_unlock(arg);
}

static void main_release_other(const lv_args *a) {
    (void)a;
    lv_mutex *m = lv_mutex_new("A");
    lv_mutex_lock(m);
    lv_join(lv_spawn("intruder", unlock_other, m));
    ASSERT(!lv_mutex_locked(m)); /* Python's Lock is not owned: the release took effect */
}

TEST(lock_release_by_other_thread_is_misuse) {
    lv_trace *tr = run_fn("ro", main_release_other);
    const lv_finding *f =
        find_finding(tr, LV_FIND_MISUSE, "intruder releases lock A, which main holds");
    ASSERT(f);
    ASSERT_EQ(f->nthreads, 2);
    lv_trace_free(tr);
}

static lv_event_obj *held_ev;

static void hold_for(void *arg) {
    lv_mutex *m = arg;
    lv_mutex_lock(m);
    lv_event_set(held_ev);
    lv_sleep(LV_MS(150));
    lv_mutex_unlock(m);
}

static void main_timeouts(const lv_args *a) {
    (void)a;
    lv_mutex *m = lv_mutex_new("A");
    held_ev = lv_event_new("held");
    lv_thread *t = lv_spawn("holder", hold_for, m);
    lv_event_wait(held_ev, LV_FOREVER);
    ASSERT(!lv_mutex_trylock(m));            /* held: a try fails at once */
    ASSERT(!lv_mutex_acquire(m, LV_MS(10))); /* expires while still held */
    ASSERT(lv_mutex_acquire(m, LV_SEC(30))); /* released long before this expires */
    lv_mutex_unlock(m);
    lv_join(t);
}

TEST(lock_timeouts) {
    lv_trace *tr = run_fn("to", main_timeouts);
    int32_t m = obj_id(tr, "A"), main_t = thread_id(tr, "main");
    ASSERT_EQ(count_events(tr, LV_EV_TIMEOUT, m, main_t), 2);
    ASSERT_EQ(count_events(tr, LV_EV_ACQUIRE, m, main_t), 1);
    /* the requests carry their timeouts: 0 (a try), 10 ms, 30 s */
    int64_t want[] = {0, LV_MS(10), LV_SEC(30)};
    size_t k = 0;
    for (size_t i = 0; i < tr->nevents; i++) {
        const lv_event *e = &tr->events[i];
        if (e->kind == LV_EV_REQUEST && e->obj == m && e->thread == main_t) {
            ASSERT_LT(k, 3);
            ASSERT(e->flags & LV_EVF_VALUE);
            ASSERT_EQ(e->value, want[k]);
            k++;
        }
    }
    ASSERT_EQ(k, 3);
    ASSERT_EQ(tr->nfindings, 0);
    lv_trace_free(tr);
}

/* ---- RLock ---- */

static void try_rlock(void *arg) {
    lv_rlock *r = arg;
    ASSERT(!lv_rlock_acquire(r, 0)); /* main still owns it (count 1) */
}

static void take_rlock(void *arg) {
    lv_rlock *r = arg;
    ASSERT(lv_rlock_acquire(r, 0)); /* free now */
    lv_rlock_unlock(r);
}

static void main_rlock(const lv_args *a) {
    (void)a;
    lv_rlock *r = lv_rlock_new("R");
    lv_rlock_lock(r);
    lv_rlock_lock(r);
    lv_rlock_unlock(r);
    lv_join(lv_spawn("other", try_rlock, r));
    lv_rlock_unlock(r);
    lv_join(lv_spawn("later", take_rlock, r));
}

TEST(rlock_recursion_and_ownership) {
    lv_trace *tr = run_fn("rl", main_rlock);
    int32_t r = obj_id(tr, "R"), main_t = thread_id(tr, "main");
    int64_t seen[8];
    size_t n = 0;
    for (size_t i = 0; i < tr->nevents && n < 8; i++) {
        const lv_event *e = &tr->events[i];
        if (e->obj == r && e->thread == main_t &&
            (e->kind == LV_EV_ACQUIRE || e->kind == LV_EV_RELEASE)) {
            ASSERT(e->flags & LV_EVF_VALUE);
            seen[n++] = e->value;
        }
    }
    /* the recursion count: 1, 2 (acquires), 1, 0 (releases) */
    ASSERT_EQ(n, 4);
    ASSERT_EQ(seen[0], 1);
    ASSERT_EQ(seen[1], 2);
    ASSERT_EQ(seen[2], 1);
    ASSERT_EQ(seen[3], 0);
    ASSERT_EQ(count_events(tr, LV_EV_TIMEOUT, r, thread_id(tr, "other")), 1);
    ASSERT_EQ(count_events(tr, LV_EV_ACQUIRE, r, thread_id(tr, "later")), 1);
    ASSERT_EQ(tr->nfindings, 0);
    lv_trace_free(tr);
}

static void release_foreign(void *arg) {
    lv_rlock_unlock(arg);
}

static void main_rlock_misuse(const lv_args *a) {
    (void)a;
    lv_rlock *r = lv_rlock_new("R");
    lv_rlock_lock(r);
    lv_join(lv_spawn("stranger", release_foreign, r));
    lv_rlock_unlock(r); /* still main's: this one is fine */
}

TEST(rlock_release_by_non_owner_is_misuse) {
    lv_trace *tr = run_fn("rm", main_rlock_misuse);
    ASSERT_EQ(count_findings(tr, LV_FIND_MISUSE), 1);
    ASSERT(find_finding(tr, LV_FIND_MISUSE, "stranger releases RLock R, which it does not own"));
    lv_trace_free(tr);
}

/* ---- Semaphore ---- */

static atomic_int inside, max_inside;

static void use_stall(void *arg) {
    lv_sem *s = arg;
    lv_sem_acquire(s, LV_FOREVER);
    int now = atomic_fetch_add(&inside, 1) + 1;
    int m = atomic_load(&max_inside);
    while (now > m && !atomic_compare_exchange_weak(&max_inside, &m, now)) {
    }
    lv_sleep(LV_MS(10));
    atomic_fetch_sub(&inside, 1);
    lv_sem_release(s);
}

static void main_sem(const lv_args *a) {
    (void)a;
    lv_sem *s = lv_sem_new("stalls", 2);
    lv_thread *t[6];
    for (int i = 0; i < 6; i++)
        t[i] = lv_spawn("person", use_stall, s);
    for (int i = 0; i < 6; i++)
        lv_join(t[i]);
}

TEST(semaphore_counts) {
    lv_trace *tr = run_fn("sem", main_sem);
    ASSERT_LE(atomic_load(&max_inside), 2);
    ASSERT_GE(atomic_load(&max_inside), 1);
    int32_t s = obj_id(tr, "stalls");
    ASSERT_EQ(tr->objects[s].param, 2);
    /* replay the permits from the trace: never below 0, never above 2, values agree */
    int64_t permits = 2;
    for (size_t i = 0; i < tr->nevents; i++) {
        const lv_event *e = &tr->events[i];
        if (e->obj != s) continue;
        if (e->kind == LV_EV_ACQUIRE) permits--;
        if (e->kind == LV_EV_RELEASE) permits++;
        if (e->kind == LV_EV_ACQUIRE || e->kind == LV_EV_RELEASE) ASSERT_EQ(e->value, permits);
        ASSERT_GE(permits, 0);
        ASSERT_LE(permits, 2);
    }
    ASSERT_EQ(permits, 2);
    ASSERT_EQ(tr->nfindings, 0);
    lv_trace_free(tr);
}

static void main_sem_grow(const lv_args *a) {
    (void)a;
    lv_sem *s = lv_sem_new("plain", 1);
    lv_sem_release(s); /* a plain Semaphore just grows to 2 */
    ASSERT(lv_sem_acquire(s, 0));
    ASSERT(lv_sem_acquire(s, 0));
    ASSERT(!lv_sem_acquire(s, 0));
    lv_sem *b = lv_bsem_new("bounded", 1);
    lv_sem_release(b); /* misuse: past its value; the value stays 1 */
    ASSERT(lv_sem_acquire(b, 0));
    ASSERT(!lv_sem_acquire(b, LV_MS(5)));
}

TEST(bounded_semaphore_over_release_is_misuse) {
    lv_trace *tr = run_fn("bs", main_sem_grow);
    ASSERT_EQ(count_findings(tr, LV_FIND_MISUSE), 1);
    const lv_finding *f =
        find_finding(tr, LV_FIND_MISUSE, "BoundedSemaphore bounded past its value 1");
    ASSERT(f);
    ASSERT_EQ(f->nobjects, 1);
    ASSERT_EQ(f->objects[0], obj_id(tr, "bounded"));
    ASSERT_EQ(count_events(tr, LV_EV_TIMEOUT, obj_id(tr, "plain"), LV_NONE), 1);
    ASSERT_EQ(count_events(tr, LV_EV_TIMEOUT, obj_id(tr, "bounded"), LV_NONE), 1);
    lv_trace_free(tr);
}

/* ---- Event ---- */

static void wait_green(void *arg) {
    ASSERT(lv_event_wait(arg, LV_FOREVER));
}

static void main_event(const lv_args *a) {
    (void)a;
    lv_event_obj *e = lv_event_new("light");
    ASSERT(!lv_event_is_set(e));
    ASSERT(!lv_event_wait(e, LV_MS(5))); /* nobody sets it: times out */
    lv_thread *t[3];
    for (int i = 0; i < 3; i++)
        t[i] = lv_spawn("car", wait_green, e);
    lv_sleep(LV_MS(30));
    lv_event_set(e);
    for (int i = 0; i < 3; i++)
        lv_join(t[i]);
    ASSERT(lv_event_is_set(e));
    ASSERT(lv_event_wait(e, 0)); /* set: passes at once */
    lv_event_clear(e);
    ASSERT(!lv_event_is_set(e));
}

TEST(event_wakes_every_waiter) {
    lv_trace *tr = run_fn("ev", main_event);
    int32_t e = obj_id(tr, "light");
    ASSERT_EQ(count_events(tr, LV_EV_SET, e, LV_NONE), 1);
    ASSERT_EQ(count_events(tr, LV_EV_CLEAR, e, LV_NONE), 1);
    ASSERT_EQ(count_events(tr, LV_EV_TIMEOUT, e, LV_NONE), 1);
    ASSERT_EQ(count_events(tr, LV_EV_ACQUIRE, e, LV_NONE), 4);
    /* every wait that passed comes after the set in trace order */
    size_t set_seq = 0;
    for (size_t i = 0; i < tr->nevents; i++)
        if (tr->events[i].kind == LV_EV_SET) set_seq = i;
    for (size_t i = 0; i < tr->nevents; i++)
        if (tr->events[i].kind == LV_EV_ACQUIRE && tr->events[i].obj == e) ASSERT_GT(i, set_seq);
    ASSERT_EQ(tr->nfindings, 0);
    lv_trace_free(tr);
}

/* ---- Condition ---- */

typedef struct cstate {
    lv_cond *c;
    int waiting, woke, go; /* guarded by the condition's lock */
} cstate;

static void cond_waiter(void *arg) {
    cstate *s = arg;
    lv_cond_lock(s->c);
    s->waiting++;
    while (s->go == 0) {
        lv_cond_wait(s->c, LV_FOREVER);
        if (s->go > 0) break;
    }
    s->go--; /* each notify hands out one "go" in notify(1); notify_all hands out many */
    s->woke++;
    lv_cond_unlock(s->c);
}

static int cond_read(cstate *s, int *field) {
    lv_cond_lock(s->c);
    int v = *field;
    lv_cond_unlock(s->c);
    return v;
}

static void wait_until(cstate *s, int *field, int want) {
    for (int i = 0; i < 5000 && cond_read(s, field) < want; i++)
        lv_sleep(LV_MS(2));
    ASSERT_GE(cond_read(s, field), want);
}

static void main_cond(const lv_args *a) {
    (void)a;
    static cstate s;
    s.c = lv_cond_new("cv", NULL);
    lv_thread *t[3];
    for (int i = 0; i < 3; i++)
        t[i] = lv_spawn("waiter", cond_waiter, &s);
    wait_until(&s, &s.waiting, 3);
    lv_cond_lock(s.c);
    s.go = 1;
    lv_cond_notify(s.c, 1);
    lv_cond_unlock(s.c);
    wait_until(&s, &s.woke, 1);
    lv_sleep(LV_MS(30));
    ASSERT_EQ(cond_read(&s, &s.woke), 1); /* notify(1) woke exactly one */
    lv_cond_lock(s.c);
    s.go = 2;
    lv_cond_notify_all(s.c);
    lv_cond_unlock(s.c);
    for (int i = 0; i < 3; i++)
        lv_join(t[i]);
    ASSERT_EQ(s.woke, 3);
    /* a wait nobody notifies times out, and gives the lock back to its caller */
    lv_cond_lock(s.c);
    ASSERT(!lv_cond_wait(s.c, LV_MS(10)));
    lv_cond_unlock(s.c);
}

TEST(condition_notify_and_notify_all) {
    lv_trace *tr = run_fn("cv", main_cond);
    int32_t c = obj_id(tr, "cv");
    ASSERT_EQ(tr->objects[c].param, obj_id(tr, "cv.lock"));
    /* notify events record how many they woke: 1, then the 2 still waiting */
    int64_t woken[2];
    size_t n = 0;
    for (size_t i = 0; i < tr->nevents; i++)
        if (tr->events[i].kind == LV_EV_NOTIFY && n < 2) woken[n++] = tr->events[i].value;
    ASSERT_EQ(n, 2);
    ASSERT_EQ(woken[0], 1);
    ASSERT_EQ(woken[1], 2);
    ASSERT_EQ(count_events(tr, LV_EV_ACQUIRE, c, LV_NONE), 3);
    ASSERT_EQ(count_events(tr, LV_EV_TIMEOUT, c, LV_NONE), 1);
    ASSERT_EQ(tr->nfindings, 0);
    lv_trace_free(tr);
}

static void main_cond_misuse(const lv_args *a) {
    (void)a;
    lv_mutex *m = lv_mutex_new("m");
    lv_cond *c = lv_cond_new("cv", m);
    lv_cond_notify(c, 1);               /* misuse: the lock is not held */
    ASSERT(!lv_cond_wait(c, LV_MS(5))); /* misuse: returns at once */
}

/* Condition(RLock) over a lock the scenario already has: a wait by a thread that holds it
 * twice gives it back whole (or nobody could notify) and takes it back at the same depth. */
typedef struct rcstate {
    lv_rlock *r;
    lv_cond *c;
    int waiting, go;
} rcstate;

static void deep_waiter(void *arg) {
    rcstate *s = arg;
    lv_rlock_lock(s->r);
    lv_rlock_lock(s->r);
    s->waiting = 1;
    while (!s->go)
        ASSERT(lv_cond_wait(s->c, -1));
    lv_rlock_unlock(s->r);
    lv_rlock_unlock(s->r);
}

static void main_cond_rlock(const lv_args *a) {
    (void)a;
    static rcstate s;
    s.r = lv_rlock_new("R");
    s.c = lv_cond_new_rlock("cv", s.r);
    lv_thread *t = lv_spawn("waiter", deep_waiter, &s);
    for (int i = 0; i < 5000 && !s.go; i++) {
        lv_cond_lock(s.c); /* the same lock as R */
        if (s.waiting) {
            s.go = 1;
            lv_cond_notify(s.c, 1);
        }
        lv_cond_unlock(s.c);
        if (!s.go) lv_sleep(LV_MS(2));
    }
    ASSERT(s.go);
    lv_join(t);
}

TEST(condition_over_a_shared_rlock) {
    lv_trace *tr = run_fn("cr", main_cond_rlock);
    int32_t r = obj_id(tr, "R"), c = obj_id(tr, "cv"), w = thread_id(tr, "waiter");
    ASSERT_EQ(tr->objects[c].param, r); /* no lock of its own: R is the condition's lock */
    /* the waiter's recursion counts on R: 1, 2, then the wait gives it all back (0), takes it
     * back at 2, and the two unlocks leave 1 and 0 */
    int64_t seen[8];
    size_t n = 0;
    for (size_t i = 0; i < tr->nevents && n < 8; i++) {
        const lv_event *e = &tr->events[i];
        if (e->obj == r && e->thread == w &&
            (e->kind == LV_EV_ACQUIRE || e->kind == LV_EV_RELEASE)) {
            ASSERT(e->flags & LV_EVF_VALUE);
            seen[n++] = e->value;
        }
    }
    ASSERT_EQ(n, 6);
    const int64_t want[6] = {1, 2, 0, 2, 1, 0};
    for (size_t i = 0; i < 6; i++)
        ASSERT_EQ(seen[i], want[i]);
    ASSERT_EQ(count_events(tr, LV_EV_NOTIFY, c, thread_id(tr, "main")), 1);
    ASSERT_EQ(tr->outcome, LV_OUT_COMPLETED);
    ASSERT_EQ(tr->nfindings, 0);
    lv_trace_free(tr);
}

TEST(condition_without_lock_is_misuse) {
    lv_trace *tr = run_fn("cm", main_cond_misuse);
    ASSERT(find_finding(tr, LV_FIND_MISUSE, "notifies condition cv without holding its lock m"));
    ASSERT(find_finding(tr, LV_FIND_MISUSE, "waits on condition cv without holding its lock m"));
    lv_trace_free(tr);
}

/* ---- threads, vars, notes, checks ---- */

static int child_id = -1;

static void slow_child(void *arg) {
    (void)arg;
    child_id = lv_self_id();
    ASSERT_STR_EQ(lv_self_name(), "child");
    lv_sleep(LV_MS(100));
    lv_note("child done");
}

static void main_threads(const lv_args *a) {
    (void)a;
    ASSERT_EQ(lv_self_id(), 0); /* the scenario's main */
    lv_var *v = lv_var_new("x", 5);
    ASSERT_EQ(lv_var_read(v), 5);
    lv_var_write(v, 7);
    ASSERT_EQ(lv_var_read(v), 7);
    lv_thread *t = lv_spawn("child", slow_child, NULL);
    ASSERT(!lv_join_timeout(t, LV_MS(5)));
    lv_join(t);
    lv_check(true, "fine");
    lv_check(false, "broken: %d", 42);
}

TEST(threads_vars_and_checks) {
    lv_trace *tr = run_fn("th", main_threads);
    int32_t child = thread_id(tr, "child"), main_t = thread_id(tr, "main");
    size_t spawn = 0, start = 0, end = 0, after_join = 0;
    for (size_t i = 0; i < tr->nevents; i++) {
        const lv_event *e = &tr->events[i];
        if (e->kind == LV_EV_SPAWN) {
            ASSERT_EQ(e->value, child);
            spawn = i;
        }
        if (e->kind == LV_EV_START && e->thread == child) start = i;
        if (e->kind == LV_EV_END && e->thread == child) end = i;
        if (e->kind == LV_EV_NOTE && e->thread == main_t && !after_join) after_join = i;
    }
    ASSERT_EQ(child_id, child); /* lv_self_id is the id the trace gives the thread */
    ASSERT_LT(spawn, start);
    ASSERT_LT(end, after_join); /* what main does after the join comes after the child's end */
    ASSERT_EQ(count_events(tr, LV_EV_JOIN, LV_NONE, main_t), 2);
    ASSERT_EQ(count_events(tr, LV_EV_TIMEOUT, LV_NONE, main_t), 1);
    int32_t x = obj_id(tr, "x");
    ASSERT_EQ(tr->objects[x].param, 5);
    ASSERT_EQ(count_events(tr, LV_EV_READ, x, LV_NONE), 2);
    ASSERT_EQ(count_events(tr, LV_EV_WRITE, x, LV_NONE), 1);
    ASSERT_EQ(count_findings(tr, LV_FIND_INVARIANT), 1);
    ASSERT(find_finding(tr, LV_FIND_INVARIANT, "broken: 42"));
    ASSERT_EQ(tr->nfindings, 1);
    lv_trace_free(tr);
}

/* ---- gauges ---- */

static lv_gauge *g_room;

static void walk_in_and_out(void *arg) {
    (void)arg;
    for (int i = 0; i < 50; i++) {
        lv_gauge_add(g_room, 1);
        lv_gauge_add(g_room, -1);
    }
}

static void main_gauge(const lv_args *a) {
    (void)a;
    g_room = lv_gauge_new("room", 2);
    lv_thread *t[3];
    for (int i = 0; i < 3; i++)
        t[i] = lv_spawn("walker", walk_in_and_out, NULL);
    for (int i = 0; i < 3; i++)
        lv_join(t[i]);
    lv_check(lv_gauge_add(g_room, 0) == 0, "everyone left");
}

/* A gauge is a tally: each add is one write with the new count, from threads that nothing
 * orders, and no race is reported on it; it round-trips through the JSON format. */
TEST(gauge_counts_without_races) {
    lv_trace *tr = run_fn("gauge", main_gauge);
    int32_t room = obj_id(tr, "room");
    ASSERT_EQ(tr->objects[room].kind, LV_OBJ_GAUGE);
    ASSERT_EQ(tr->objects[room].param, 2);
    ASSERT_EQ(count_events(tr, LV_EV_WRITE, room, LV_NONE), 3 * 100 + 1);
    int64_t lo = 0, hi = 0;
    for (size_t i = 0; i < tr->nevents; i++) {
        const lv_event *e = &tr->events[i];
        if (e->obj != room) continue;
        ASSERT(e->flags & LV_EVF_VALUE);
        if (e->value < lo) lo = e->value;
        if (e->value > hi) hi = e->value;
    }
    ASSERT_GE(lo, -3); /* live: the merged order may show an exit before its entry */
    ASSERT_LE(hi, 3);
    ASSERT_EQ(tr->nfindings, 0);
    char path[] = "/tmp/lv_gauge_XXXXXX", err[256];
    int fd = mkstemp(path);
    ASSERT_GE(fd, 0);
    close(fd);
    ASSERT_EQ(lv_trace_save(tr, path, err, sizeof err), LV_OK);
    lv_trace *back = NULL;
    ASSERT_EQ(lv_trace_load(path, &back, err, sizeof err), LV_OK);
    unlink(path);
    ASSERT_EQ(back->objects[room].kind, LV_OBJ_GAUGE);
    ASSERT_EQ(back->objects[room].param, 2);
    ASSERT_EQ(back->nevents, tr->nevents);
    lv_trace_free(back);
    lv_trace_free(tr);
}

TEST_MAIN(TEST_ENTRY(gauge_counts_without_races, 60), TEST_ENTRY(self_id_is_the_trace_id, 30),
          TEST_ENTRY(lock_mutual_exclusion, 120), TEST_ENTRY(lock_release_unlocked_is_misuse, 30),
          TEST_ENTRY(lock_release_by_other_thread_is_misuse, 30), TEST_ENTRY(lock_timeouts, 60),
          TEST_ENTRY(rlock_recursion_and_ownership, 30),
          TEST_ENTRY(rlock_release_by_non_owner_is_misuse, 30), TEST_ENTRY(semaphore_counts, 60),
          TEST_ENTRY(bounded_semaphore_over_release_is_misuse, 30),
          TEST_ENTRY(event_wakes_every_waiter, 60), TEST_ENTRY(condition_notify_and_notify_all, 60),
          TEST_ENTRY(condition_over_a_shared_rlock, 30),
          TEST_ENTRY(condition_without_lock_is_misuse, 30), TEST_ENTRY(threads_vars_and_checks, 60))
