/* The live watchdog calls a run deadlocked only when its threads really are stuck. Each case
 * below opens the window a loaded machine opens by chance: a thread whose wait can already end
 * (its lock was released, its joined thread ended, its permit, event or notify came) has not
 * run yet. Here a signal handler keeps it off the CPU for PAUSE_MS, several watchdog scans,
 * while it is still inside its wait; the run must complete. Real deadlocks must still be found
 * while something else runs beside them. */
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <time.h>
#include "internal.h" /* a thread's waiting_for and waiting_thread: when to send the signal */
#include "support.h"

#define PAUSE_MS 700 /* seven scans of the watchdog */

static atomic_int paused;
static pthread_t target_pt;

static void nap_ms(long ms) {
    struct timespec ts = {ms / 1000, ms % 1000 * 1000000L};
    while (nanosleep(&ts, &ts) != 0) {
    }
}

static void pause_handler(int sig) {
    (void)sig;
    atomic_store(&paused, 1);
    nap_ms(PAUSE_MS); /* the thread is not scheduled: as if the machine were busy */
}

static void setup(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = pause_handler;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGUSR1, &sa, NULL);
    atomic_store(&paused, 0);
}

/* Waits until t is inside a blocking wait, then stops it for PAUSE_MS (the handler runs on
 * its thread, inside the wait). Returns when the pause has begun, or after 5 s when the
 * signal is not delivered inside the wait (a sanitizer may defer it): then the case is only
 * an ordinary run. */
static void pause_inside_wait(lv_thread *t) {
    for (int i = 0; i < 5000; i++) {
        if (atomic_load(&t->waiting_for) || atomic_load(&t->waiting_thread) != LV_NONE) break;
        nap_ms(1);
    }
    nap_ms(5); /* past the spin, asleep in the kernel */
    pthread_kill(target_pt, SIGUSR1);
    for (int i = 0; i < 5000 && !atomic_load(&paused); i++)
        nap_ms(1);
}

static void check_completed(void (*main_fn)(const lv_args *), const char *name) {
    setup();
    lv_trace *tr = run_fn(name, main_fn);
    if (tr->outcome != LV_OUT_COMPLETED || count_findings(tr, LV_FIND_DEADLOCK))
        TEST_FAIL_AT("%s: %s, %zu findings, first: %s", name, lv_outcome_name(tr->outcome),
                     tr->nfindings, tr->nfindings ? tr->findings[0].message : "-");
    if (!atomic_load(&paused)) printf("  %s: the pause did not happen inside the wait\n", name);
    lv_trace_free(tr);
}

/* ---- a Lock released while its waiter is off the CPU ---- */

static lv_mutex *lock;
static lv_rlock *rlock;
static _Atomic(lv_thread *) waiter;
static atomic_int held;

static void lock_waiter(void *arg) {
    (void)arg;
    target_pt = pthread_self();
    if (lock) {
        lv_mutex_lock(lock);
        lv_mutex_unlock(lock);
    } else {
        lv_rlock_lock(rlock);
        lv_rlock_unlock(rlock);
    }
}

static void lock_holder(void *arg) {
    (void)arg;
    if (lock) {
        lv_mutex_lock(lock);
    } else {
        lv_rlock_lock(rlock);
        lv_rlock_lock(rlock); /* held twice: released whole below */
    }
    atomic_store(&held, 1);
    while (!atomic_load(&waiter))
        nap_ms(1);
    pause_inside_wait(atomic_load(&waiter));
    /* and ends: nobody holds the lock, the waiter just has not run yet */
    if (lock) {
        lv_mutex_unlock(lock);
    } else {
        lv_rlock_unlock(rlock);
        lv_rlock_unlock(rlock);
    }
}

static void main_lock(void) {
    atomic_store(&held, 0);
    atomic_store(&waiter, NULL);
    lv_thread *h = lv_spawn("holder", lock_holder, NULL);
    while (!atomic_load(&held))
        nap_ms(1);
    atomic_store(&waiter, lv_spawn("waiter", lock_waiter, NULL));
    lv_join(h);
    lv_join(atomic_load(&waiter)); /* "main waits to join waiter, waiter waits for lock" */
}

static void main_mutex(const lv_args *a) {
    (void)a;
    rlock = NULL;
    lock = lv_mutex_new("lock");
    main_lock();
}

static void main_rlock(const lv_args *a) {
    (void)a;
    lock = NULL;
    rlock = lv_rlock_new("rlock");
    main_lock();
}

TEST(a_released_lock_whose_waiter_has_not_run_is_no_deadlock) {
    check_completed(main_mutex, "released-lock");
}

TEST(a_released_rlock_whose_waiter_has_not_run_is_no_deadlock) {
    check_completed(main_rlock, "released-rlock");
}

/* ---- a join of a thread that ended while the joiner is off the CPU ---- */

static lv_thread *joiner;

static void ends_soon(void *arg) {
    (void)arg;
    pause_inside_wait(joiner); /* main is in its join; it is stopped, then this thread ends */
}

static void main_join(const lv_args *a) {
    (void)a;
    target_pt = pthread_self();
    joiner = lv__self();
    lv_thread *t = lv_spawn("child", ends_soon, NULL);
    lv_join(t); /* "main waits to join child", child ended: the only thread left is blocked */
}

TEST(a_join_of_an_ended_thread_is_no_deadlock) {
    check_completed(main_join, "ended-join");
}

/* ---- a permit, an event, a notify that came while the waiter is off the CPU ---- */

static lv_sem *sem;
static lv_event_obj *event;
static lv_cond *cond;
static atomic_int notified;

static void sem_waiter(void *arg) {
    (void)arg;
    target_pt = pthread_self();
    lv_sem_acquire(sem, LV_FOREVER);
}

static void sem_poster(void *arg) {
    (void)arg;
    pause_inside_wait(atomic_load(&waiter));
    lv_sem_release(sem);
}

static void event_waiter(void *arg) {
    (void)arg;
    target_pt = pthread_self();
    lv_event_wait(event, LV_FOREVER);
}

static void event_setter(void *arg) {
    (void)arg;
    pause_inside_wait(atomic_load(&waiter));
    lv_event_set(event);
}

static void cond_waiter(void *arg) {
    (void)arg;
    target_pt = pthread_self();
    lv_cond_lock(cond);
    while (!atomic_load(&notified))
        lv_cond_wait(cond, LV_FOREVER);
    lv_cond_unlock(cond);
}

static void cond_notifier(void *arg) {
    (void)arg;
    pause_inside_wait(atomic_load(&waiter));
    lv_cond_lock(cond);
    atomic_store(&notified, 1);
    lv_cond_notify(cond, 1);
    lv_cond_unlock(cond);
}

static void main_signal(void (*wait_fn)(void *), void (*signal_fn)(void *)) {
    atomic_store(&waiter, lv_spawn("waiter", wait_fn, NULL));
    lv_thread *s = lv_spawn("signaller", signal_fn, NULL);
    lv_join(s);
    lv_join(
        atomic_load(&waiter)); /* everyone left blocked, and what the waiter waits for is there */
}

static void main_sem(const lv_args *a) {
    (void)a;
    sem = lv_sem_new("S", 0);
    main_signal(sem_waiter, sem_poster);
}

static void main_event(const lv_args *a) {
    (void)a;
    event = lv_event_new("E");
    main_signal(event_waiter, event_setter);
}

static void main_cond(const lv_args *a) {
    (void)a;
    atomic_store(&notified, 0);
    cond = lv_cond_new("C", NULL);
    main_signal(cond_waiter, cond_notifier);
}

TEST(a_permit_that_came_is_no_deadlock) {
    check_completed(main_sem, "sem-released");
}

TEST(an_event_that_was_set_is_no_deadlock) {
    check_completed(main_event, "event-set");
}

TEST(a_notify_that_came_is_no_deadlock) {
    check_completed(main_cond, "cond-notified");
}

/* ---- real deadlocks, with another thread running beside them ---- */

static lv_mutex *la, *lb;
static lv_event_obj *stop;

/* Beside the deadlock, a thread that polls with timed waits: never stuck, so the run is not
 * "every thread waits"; it gives up in its wait when the run is found deadlocked. */
static void poller(void *arg) {
    (void)arg;
    while (!lv_event_wait(stop, LV_MS(10))) {
    }
}

static void ab(void *arg) {
    lv_mutex *first = arg ? la : lb, *second = arg ? lb : la;
    lv_mutex_lock(first);
    lv_sleep(LV_MS(50));
    lv_mutex_lock(second);
}

static void main_cycle(const lv_args *a) {
    (void)a;
    la = lv_mutex_new("A");
    lb = lv_mutex_new("B");
    stop = lv_event_new("stop");
    lv_thread *b = lv_spawn("poller", poller, NULL);
    lv_thread *t1 = lv_spawn("t1", ab, (void *)1);
    lv_thread *t2 = lv_spawn("t2", ab, NULL);
    lv_join(t1);
    lv_join(t2);
    lv_event_set(stop);
    lv_join(b);
}

TEST(a_lock_cycle_is_found_while_another_thread_runs) {
    lv_trace *tr = run_fn("cycle", main_cycle);
    ASSERT_EQ(tr->outcome, LV_OUT_DEADLOCKED);
    ASSERT(find_finding(tr, LV_FIND_DEADLOCK, "in a circle"));
    lv_trace_free(tr);
}

static void takes_and_ends(void *arg) {
    (void)arg;
    lv_rlock_lock(rlock); /* and never lets go */
}

static void rlock_wants(void *arg) {
    (void)arg;
    lv_rlock_lock(rlock);
}

static void main_orphan_rlock(const lv_args *a) {
    (void)a;
    rlock = lv_rlock_new("R");
    stop = lv_event_new("stop");
    lv_join(lv_spawn("taker", takes_and_ends, NULL));
    lv_thread *b = lv_spawn("poller", poller, NULL);
    lv_thread *w = lv_spawn("waiter", rlock_wants, NULL);
    lv_join(w); /* only the RLock's owner could release it, and it ended */
    lv_event_set(stop);
    lv_join(b);
}

TEST(an_rlock_whose_owner_ended_is_a_deadlock_while_another_thread_runs) {
    lv_trace *tr = run_fn("orphan-rlock", main_orphan_rlock);
    ASSERT_EQ(tr->outcome, LV_OUT_DEADLOCKED);
    const lv_finding *f =
        find_finding(tr, LV_FIND_DEADLOCK, "waiter waits for RLock R, held by taker");
    ASSERT(f);
    /* the poller was stopped in a wait with a timeout: it could have gone on */
    ASSERT_CONTAINS(f->message, "these threads can never go on");
    ASSERT(!strstr(f->message, "poller"));
    lv_trace_free(tr);
}

static void takes_lock_and_ends(void *arg) {
    (void)arg;
    lv_mutex_lock(la); /* a plain Lock: any thread could still release it */
}

static void lock_wants(void *arg) {
    (void)arg;
    lv_mutex_lock(la);
}

static void lock_wants_box(void *arg) {
    lv_mutex_lock(*(lv_mutex *const *)arg); /* the box's first field */
}

static void main_orphan_lock(const lv_args *a) {
    (void)a;
    la = lv_mutex_new("A");
    lv_join(lv_spawn("taker", takes_lock_and_ends, NULL));
    lv_thread *w = lv_spawn("waiter", lock_wants, NULL);
    lv_join(w);
}

TEST(a_lock_left_held_by_an_ended_thread_is_a_deadlock_once_all_wait) {
    lv_trace *tr = run_fn("orphan-lock", main_orphan_lock);
    ASSERT_EQ(tr->outcome, LV_OUT_DEADLOCKED);
    ASSERT(find_finding(tr, LV_FIND_DEADLOCK, "waiter waits for lock A"));
    lv_trace_free(tr);
}

static void main_lone_sem(const lv_args *a) {
    (void)a;
    sem = lv_sem_new("S", 0);
    lv_join(lv_spawn("waiter", sem_waiter, NULL));
}

TEST(a_permit_nobody_can_give_is_a_deadlock) {
    lv_trace *tr = run_fn("lone-sem", main_lone_sem);
    ASSERT_EQ(tr->outcome, LV_OUT_DEADLOCKED);
    ASSERT(find_finding(tr, LV_FIND_DEADLOCK, "waiter waits for a permit of S"));
    lv_trace_free(tr);
}

/* ---- a thread still running when the run is found deadlocked ---- */

/* What main hands to the thread it spawns lives on main's stack, as in the scenarios (the
 * rlock scenario's one lock under two names). When a deadlock ends the run, main gives up
 * its join; a thread that was not waiting (it runs, or has not started yet) must still find
 * main's locals as they were: a thread that gives up may not leave before every thread has
 * stopped (the pages of an exited thread's stack are handed back by the C library). */
typedef struct late_box {
    lv_mutex *lock;
    long canary;
} late_box;

#define LATE_CANARY 0x5eed1234L

static atomic_long late_seen;

static void late_reader(void *arg) {
    const late_box *box = arg;
    lv_thread *self = lv__self();
    /* running, in no wait of lockviz's, until the watchdog has ended the run */
    for (int i = 0; i < 10000 && !atomic_load(&self->run->aborting); i++)
        nap_ms(1);
    nap_ms(200); /* main has given up meanwhile */
    atomic_store(&late_seen, box->canary);
    lv_mutex_lock(box->lock); /* gives up: the run is aborting */
}

static void main_late(const lv_args *a) {
    (void)a;
    late_box box = {lv_mutex_new("A"), LATE_CANARY};
    lv_mutex_lock(box.lock);
    lv_thread *w = lv_spawn("waiter", lock_wants_box, &box);
    lv_spawn("late", late_reader, &box);
    lv_join(w); /* the waiter waits for A, which main holds: neither can go on */
}

TEST(a_thread_running_when_the_run_deadlocks_still_sees_mains_locals) {
    atomic_store(&late_seen, 0);
    lv_trace *tr = run_fn("late-reader", main_late);
    ASSERT_EQ(tr->outcome, LV_OUT_DEADLOCKED);
    ASSERT(find_finding(tr, LV_FIND_DEADLOCK, "waiter waits for lock A"));
    ASSERT_EQ(atomic_load(&late_seen), LATE_CANARY);
    lv_trace_free(tr);
}

TEST_MAIN(TEST_ENTRY(a_released_lock_whose_waiter_has_not_run_is_no_deadlock, 60),
          TEST_ENTRY(a_released_rlock_whose_waiter_has_not_run_is_no_deadlock, 60),
          TEST_ENTRY(a_join_of_an_ended_thread_is_no_deadlock, 60),
          TEST_ENTRY(a_permit_that_came_is_no_deadlock, 60),
          TEST_ENTRY(an_event_that_was_set_is_no_deadlock, 60),
          TEST_ENTRY(a_notify_that_came_is_no_deadlock, 60),
          TEST_ENTRY(a_lock_cycle_is_found_while_another_thread_runs, 60),
          TEST_ENTRY(an_rlock_whose_owner_ended_is_a_deadlock_while_another_thread_runs, 60),
          TEST_ENTRY(a_lock_left_held_by_an_ended_thread_is_a_deadlock_once_all_wait, 60),
          TEST_ENTRY(a_permit_nobody_can_give_is_a_deadlock, 60),
          TEST_ENTRY(a_thread_running_when_the_run_deadlocks_still_sees_mains_locals, 60))
