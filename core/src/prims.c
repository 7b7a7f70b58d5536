/* The instrumented primitives: Python threading semantics, in both modes. Live, on a futex
 * lock word and pthreads, each operation stamps and emits its events around the real
 * operation: a wait records its request before it may block, the acquire only after it got
 * through. Controlled (the ctl_ functions), the state is logical and a thread that cannot go
 * on blocks at a scheduling point (controlled.c) at the virtual time. A scenario's misuse
 * (releasing a lock it does not hold, over-releasing a BoundedSemaphore) is recorded as the
 * event it is and otherwise ignored, as Python would raise; analysis reports it. */
#include <stdlib.h>
#include <string.h>
#include "internal.h"

/* ---- the lock word shared by Lock and RLock ---- */

static void core_init(lv__lockcore *c) {
    atomic_init(&c->state, 0);
    atomic_init(&c->owner, LV_NONE);
    atomic_init(&c->acquired, 0);
}

static inline int core_try(lv__lockcore *c) {
    int expected = 0;
    return atomic_compare_exchange_strong(&c->state, &expected, 1);
}

/* A waiter spins before it sleeps: a holder on the other core is usually about to let go, and
 * a sleep costs the waker a system call and the sleeper microseconds. It spins with exponential
 * backoff: BACKOFF_MIN pauses, then a read of the lock word (taking it if free), the gap
 * doubling up to BACKOFF_MAX, for SPIN_BUDGET pauses in all (a pause is about 30 ns on the
 * benchmark machine's CPU: a first look after about 2 us, then the kernel after about 120 us).
 * It does not touch the lock word between looks: each read pulls the word's cache line away
 * from the holder, and a lock that is free most of the time (the traced path reads its clock
 * outside the critical section) would otherwise change hands at nearly every acquire, each
 * hand-off moving the line between cores. With these gaps a thread that takes a lock again at
 * once keeps it for tens of acquires (measured with bench/run's contended rows: 2 threads on 1
 * lock, a hand-off every 25-45 acquires; a first look after 32 pauses gave 14, after 256 pauses
 * 130 but left the waiter idle when the lock it failed on was one of several). A timed wait
 * stops spinning once its deadline has passed. */
#define BACKOFF_MIN 64
#define BACKOFF_MAX 1024
#define SPIN_BUDGET 4000

/* Blocks until the lock is taken (1) or the timeout passes (0); gives up when the run aborts.
 * Sleeps in the kernel on the lock word in slices, so an abort is seen within a slice. */
static int core_wait(lv_thread *self, lv__obj *o, lv__lockcore *c, int64_t timeout) {
    if (timeout == 0) return 0;
    int64_t deadline = lv__deadline(timeout);
    unsigned gap = BACKOFF_MIN;
    for (unsigned spent = 0; spent + gap <= SPIN_BUDGET; spent += gap) {
        for (unsigned k = 0; k < gap; k++)
            lv__cpu_relax();
        if (atomic_load_explicit(&c->state, memory_order_relaxed) == 0 && core_try(c)) return 1;
        if (timeout > 0 && lv__mono_ns() >= deadline) break; /* a short timeout: no more spin */
        if (gap < BACKOFF_MAX) gap *= 2;
    }
    int got = 0, aborted = 0;
    lv__wait_begin(self, o, LV_NONE, timeout >= 0);
    for (;;) {
        /* 2: held and waited for, so the release wakes someone */
        if (atomic_exchange(&c->state, 2) == 0) {
            got = 1;
            break;
        }
        if (atomic_load(&self->run->aborting)) {
            aborted = 1;
            break;
        }
        int64_t left = deadline - lv__mono_ns();
        if (left <= 0) break;
        if (left > 50000000LL) left = 50000000LL;
        lv__word_wait(&c->state, 2, left);
    }
    lv__wait_end(self);
    if (aborted) lv__give_up(self);
    return got;
}

static __attribute__((noinline)) void core_wake(lv__lockcore *c) {
    lv__word_wake(&c->state, 1);
}

static inline void core_release(lv__lockcore *c) {
    atomic_store_explicit(&c->owner, LV_NONE, memory_order_relaxed);
    if (__builtin_expect(atomic_exchange(&c->state, 0) == 2, 0)) core_wake(c);
}

/* Controlled mode: the state is logical (no thread ever sleeps in core_wait); a thread that
 * finds the lock taken blocks at a scheduling point until it is free or the deadline passes. */
static bool ctl_lk_acquire(lv_thread *self, lv__obj *o, lv__lockcore *c, int64_t *count,
                           int64_t timeout, int64_t restore) {
    lv__ctl_point(self);
    lv__emit(self, self->run->vnow, LV_EV_REQUEST, o->id, timeout >= 0, timeout);
    if (count && atomic_load_explicit(&c->owner, memory_order_relaxed) == self->id) {
        (*count)++;
        lv__emit(self, self->run->vnow, LV_EV_ACQUIRE, o->id, 1, *count);
        return true;
    }
    if (atomic_load_explicit(&c->state, memory_order_relaxed) != 0) {
        if (timeout != 0) lv__ctl_block(self, LV__OP_LOCK, o, timeout);
        if (atomic_load_explicit(&c->state, memory_order_relaxed) != 0) {
            lv__emit(self, self->run->vnow, LV_EV_TIMEOUT, o->id, 0, 0);
            return false;
        }
    }
    atomic_store_explicit(&c->state, 1, memory_order_relaxed);
    atomic_store_explicit(&c->owner, self->id, memory_order_relaxed);
    if (count) *count = restore;
    lv__emit(self, self->run->vnow, LV_EV_ACQUIRE, o->id, count != NULL, restore);
    return true;
}

/* Lets go of a held lock in a traced live run and returns the acquisition it ends. The
 * release is stamped after this, outside the critical section: the next acquire is stamped
 * strictly after what this thread recorded before (o->last_t), and the merge puts this release
 * just before that acquire when its own time reads later (see lv__tracer_merge). */
static inline uint32_t lk_let_go(lv_thread *self, lv__obj *o, lv__lockcore *c) {
    uint32_t seq = atomic_load_explicit(&c->acquired, memory_order_relaxed) - 1;
    int64_t mine = self->last_t;
    if (mine > atomic_load_explicit(&o->last_t, memory_order_relaxed))
        atomic_store_explicit(&o->last_t, mine, memory_order_relaxed);
    core_release(c);
    return seq;
}

/* Controlled mode: one thread at a time, the release recorded at the virtual time. */
static int64_t ctl_lk_release(lv_thread *self, lv__obj *o, lv__lockcore *c, int64_t *count,
                              int whole) {
    if (!whole) lv__ctl_point(self); /* a Condition's wait has had its own */
    int64_t t = self->run->vnow;
    if (count) {
        if (atomic_load_explicit(&c->owner, memory_order_relaxed) != self->id) {
            lv__put(self, t, LV_EV_RELEASE, o->id, 0, 0, 0, 1); /* misuse: not the owner */
            return 0;
        }
        int64_t held = *count;
        *count = whole ? 0 : held - 1;
        if (*count == 0) core_release(c);
        lv__put(self, t, LV_EV_RELEASE, o->id, 1, *count, 0, 1);
        return held;
    }
    if (atomic_load(&c->state) == 0) {
        lv__put(self, t, LV_EV_RELEASE, o->id, 0, 0, 0, 1); /* misuse: not locked */
        return 0;
    }
    core_release(c);
    lv__put(self, t, LV_EV_RELEASE, o->id, 0, 0, 0, 1);
    return 1;
}

/* Tracing off, past a free Lock's fast path: just the lock, to measure what tracing costs. */
static __attribute__((noinline)) bool off_acquire(lv_thread *self, lv__obj *o, lv__lockcore *c,
                                                  int64_t *count, int64_t timeout,
                                                  int64_t restore) {
    if (count && atomic_load_explicit(&c->owner, memory_order_relaxed) == self->id) {
        (*count)++;
        return true;
    }
    if (!core_try(c) && !core_wait(self, o, c, timeout)) return false;
    atomic_store_explicit(&c->owner, self->id, memory_order_relaxed);
    if (count) *count = restore;
    return true;
}

/* Inlined into each caller: a Lock's lock and unlock then test nothing they know already
 * (no count, no timeout), and the traced path reads the clock and writes records directly. */
#define LV__HOT static inline __attribute__((always_inline))

/* Lock and RLock share one implementation: count is NULL for a plain Lock. restore is the
 * recursion count to set on a fresh acquire (a Condition's wait gives its RLock back whole). */
LV__HOT bool lk_acquire(lv_thread *self, lv__obj *o, lv__lockcore *c, int64_t *count,
                        int64_t timeout, int64_t restore) {
    if (__builtin_expect(self->run->trace_off, 0)) { /* live, so never controlled */
        if (!count && core_try(c)) {
            atomic_store_explicit(&c->owner, self->id, memory_order_relaxed);
            return true;
        }
        return off_acquire(self, o, c, count, timeout, restore);
    }
    if (self->run->ctl) return ctl_lk_acquire(self, o, c, count, timeout, restore);
    /* room for the records below, made now: nothing inside the critical section allocates */
    lv__reserve(self);
    if (count && atomic_load_explicit(&c->owner, memory_order_relaxed) == self->id) {
        int64_t t = lv__stamp_live(self);
        (*count)++; /* re-entry: only the owner touches count */
        if (timeout >= 0) {
            lv__put(self, t, LV_EV_REQUEST, o->id, 1, timeout, 0, 1);
            lv__put(self, t, LV_EV_ACQUIRE, o->id, 1, *count, 0, 1);
        } else {
            lv__put(self, t, LV_EV_ACQUIRE, o->id, 1, *count, LV__RF_REQ, 2);
        }
        return true;
    }
    /* The fast path reads the clock before the lock: no clock read inside the critical section
     * (the release reads it after the unlock), so the lock is held as briefly as a pthread
     * mutex's and the other threads' clock reads overlap it. */
    int64_t t = lv__stamp_live(self);
    int fast = timeout < 0 && core_try(c);
    if (!fast) {
        lv__put(self, t, LV_EV_REQUEST, o->id, timeout >= 0, timeout, 0, 1);
        if (!core_try(c)) {
            if (!core_wait(self, o, c, timeout)) {
                lv__put(self, lv__stamp_live(self), LV_EV_TIMEOUT, o->id, 0, 0, 0, 1);
                return false;
            }
            t = lv__stamp_live(self);
        }
    }
    atomic_store_explicit(&c->owner, self->id, memory_order_relaxed);
    uint32_t seq = atomic_load_explicit(&c->acquired, memory_order_relaxed);
    atomic_store_explicit(&c->acquired, seq + 1, memory_order_relaxed);
    /* strictly after whatever the last holder recorded before it let go, whatever the clocks
     * of two cores say; the release itself is put before this acquire by the merge */
    int64_t after = atomic_load_explicit(&o->last_t, memory_order_relaxed);
    if (t <= after) t = after + 1;
    if (t > self->last_t) self->last_t = t;
    atomic_store_explicit(&o->last_t, t, memory_order_relaxed); /* for a release by another */
    if (count) *count = restore;
    lv__put_seq(self, t, LV_EV_ACQUIRE, o->id, count != NULL, restore, fast ? LV__RF_REQ : 0,
                fast ? 2 : 1, seq);
    return true;
}

/* Returns the recursion count the owner held (for a Condition to restore), 0 on misuse. */
LV__HOT int64_t lk_release(lv_thread *self, lv__obj *o, lv__lockcore *c, int64_t *count,
                           int whole) {
    if (__builtin_expect(self->run->trace_off, 0)) { /* live, so never controlled */
        if (count) {
            if (atomic_load_explicit(&c->owner, memory_order_relaxed) != self->id) return 0;
            int64_t held = *count;
            *count = whole ? 0 : held - 1;
            if (*count == 0) core_release(c);
            return held;
        }
        core_release(c); /* on a free lock this changes nothing: the release is ignored */
        return 1;
    }
    if (__builtin_expect(self->run->ctl, 0)) return ctl_lk_release(self, o, c, count, whole);
    if (count) {
        if (atomic_load_explicit(&c->owner, memory_order_relaxed) != self->id) {
            /* misuse: not the owner */
            lv__put(self, lv__stamp_live(self), LV_EV_RELEASE, o->id, 0, 0, 0, 1);
            return 0;
        }
        int64_t held = *count;
        *count = whole ? 0 : held - 1;
        if (*count > 0) {
            lv__put(self, lv__stamp_live(self), LV_EV_RELEASE, o->id, 1, *count, 0, 1);
            return held;
        }
        uint32_t seq = lk_let_go(self, o, c);
        lv__put_seq(self, lv__stamp_live(self), LV_EV_RELEASE, o->id, 1, 0, 0, 1, seq);
        return held;
    }
    if (atomic_load(&c->state) == 0) {
        /* misuse: not locked */
        lv__put(self, lv__stamp_live(self), LV_EV_RELEASE, o->id, 0, 0, 0, 1);
        return 0;
    }
    /* A Lock has no owner in Python: another thread may release it (a misuse analysis names) */
    uint32_t seq = lk_let_go(self, o, c);
    lv__put_seq(self, lv__stamp_live(self), LV_EV_RELEASE, o->id, 0, 0, 0, 1, seq);
    return 1;
}

lv_mutex *lv_mutex_new(const char *name) {
    lv_mutex *m = lv__obj_new(sizeof *m, LV_OBJ_MUTEX, name, 0);
    core_init(&m->core);
    return m;
}

bool lv_mutex_acquire(lv_mutex *m, int64_t timeout_ns) {
    return lk_acquire(lv__self(), &m->hdr, &m->core, NULL, timeout_ns, 1);
}

/* Everything but a free lock with tracing off: lk_acquire made for a Lock with no timeout. */
static __attribute__((noinline)) void mutex_lock_full(lv_thread *self, lv_mutex *m) {
    lk_acquire(self, &m->hdr, &m->core, NULL, LV_FOREVER, 1);
}

void lv_mutex_lock(lv_mutex *m) {
    lv_thread *self = lv__self();
    /* tracing off and the lock free: nothing else to do, so no frame to set up either */
    if (self->run->trace_off && core_try(&m->core)) {
        atomic_store_explicit(&m->core.owner, self->id, memory_order_relaxed);
        return;
    }
    mutex_lock_full(self, m);
}

bool lv_mutex_trylock(lv_mutex *m) {
    return lv_mutex_acquire(m, 0);
}

static __attribute__((noinline)) void mutex_unlock_full(lv_thread *self, lv_mutex *m) {
    lk_release(self, &m->hdr, &m->core, NULL, 0);
}

void lv_mutex_unlock(lv_mutex *m) {
    lv_thread *self = lv__self();
    if (self->run->trace_off) { /* as lk_release does with tracing off */
        core_release(&m->core);
        return;
    }
    mutex_unlock_full(self, m);
}

bool lv_mutex_locked(lv_mutex *m) {
    return atomic_load(&m->core.state) != 0;
}

lv_rlock *lv_rlock_new(const char *name) {
    lv_rlock *r = lv__obj_new(sizeof *r, LV_OBJ_RLOCK, name, 0);
    core_init(&r->core);
    return r;
}

bool lv_rlock_acquire(lv_rlock *r, int64_t timeout_ns) {
    return lk_acquire(lv__self(), &r->hdr, &r->core, &r->count, timeout_ns, 1);
}

void lv_rlock_lock(lv_rlock *r) {
    lv_rlock_acquire(r, LV_FOREVER);
}

void lv_rlock_unlock(lv_rlock *r) {
    lk_release(lv__self(), &r->hdr, &r->core, &r->count, 0);
}

/* ---- semaphores ---- */

static lv_sem *sem_new(const char *name, int64_t value, int bounded) {
    if (value < 0) value = 0;
    lv_sem *s =
        lv__obj_new(sizeof *s, bounded ? LV_OBJ_BOUNDED_SEMAPHORE : LV_OBJ_SEMAPHORE, name, value);
    pthread_mutex_init(&s->mu, NULL);
    lv__condvar_init(&s->cv);
    s->count = value;
    s->capacity = value;
    s->bounded = bounded;
    return s;
}

lv_sem *lv_sem_new(const char *name, int64_t value) {
    return sem_new(name, value, 0);
}

lv_sem *lv_bsem_new(const char *name, int64_t value) {
    return sem_new(name, value, 1);
}

static bool ctl_sem_acquire(lv_thread *self, lv_sem *s, int64_t timeout_ns) {
    lv__ctl_point(self);
    lv__emit(self, self->run->vnow, LV_EV_REQUEST, s->hdr.id, timeout_ns >= 0, timeout_ns);
    if (s->count == 0 && timeout_ns != 0) lv__ctl_block(self, LV__OP_SEM, &s->hdr, timeout_ns);
    if (s->count == 0) {
        lv__emit(self, self->run->vnow, LV_EV_TIMEOUT, s->hdr.id, 0, 0);
        return false;
    }
    s->count--;
    lv__emit(self, self->run->vnow, LV_EV_ACQUIRE, s->hdr.id, 1, s->count);
    return true;
}

bool lv_sem_acquire(lv_sem *s, int64_t timeout_ns) {
    lv_thread *self = lv__self();
    if (self->run->ctl) return ctl_sem_acquire(self, s, timeout_ns);
    lv__emit(self, lv__stamp(self), LV_EV_REQUEST, s->hdr.id, timeout_ns >= 0, timeout_ns);
    int64_t deadline = lv__deadline(timeout_ns);
    int aborted = 0;
    pthread_mutex_lock(&s->mu);
    if (s->count == 0 && timeout_ns != 0) {
        lv__wait_begin(self, &s->hdr, LV_NONE, timeout_ns >= 0);
        s->waiters++;
        while (s->count == 0) {
            if (atomic_load(&self->run->aborting)) {
                aborted = 1;
                break;
            }
            if (lv__cond_wait_slice(&s->cv, &s->mu, deadline)) break;
        }
        s->waiters--;
        lv__wait_end(self);
    }
    if (s->count > 0 && !aborted) {
        int64_t left = --s->count;
        int64_t t =
            lv__stamp_after(self, atomic_load_explicit(&s->hdr.last_t, memory_order_relaxed));
        lv__emit(self, t, LV_EV_ACQUIRE, s->hdr.id, 1, left);
        pthread_mutex_unlock(&s->mu);
        return true;
    }
    pthread_mutex_unlock(&s->mu);
    if (aborted) lv__give_up(self);
    lv__emit(self, lv__stamp(self), LV_EV_TIMEOUT, s->hdr.id, 0, 0);
    return false;
}

void lv_sem_release(lv_sem *s) {
    lv_thread *self = lv__self();
    if (self->run->ctl) lv__ctl_point(self);
    pthread_mutex_lock(&s->mu);
    int64_t t = lv__stamp(self);
    if (s->bounded && s->count >= s->capacity) {
        /* Python raises ValueError and leaves the value alone; the trace keeps the attempt */
        lv__emit(self, t, LV_EV_RELEASE, s->hdr.id, 1, s->count);
        pthread_mutex_unlock(&s->mu);
        return;
    }
    s->count++;
    atomic_store_explicit(&s->hdr.last_t, t, memory_order_relaxed);
    lv__emit(self, t, LV_EV_RELEASE, s->hdr.id, 1, s->count);
    if (s->waiters) pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
}

/* ---- events ---- */

lv_event_obj *lv_event_new(const char *name) {
    lv_event_obj *e = lv__obj_new(sizeof *e, LV_OBJ_EVENT, name, 0);
    pthread_mutex_init(&e->mu, NULL);
    lv__condvar_init(&e->cv);
    return e;
}

void lv_event_set(lv_event_obj *e) {
    lv_thread *self = lv__self();
    if (self->run->ctl) lv__ctl_point(self);
    pthread_mutex_lock(&e->mu);
    int64_t t = lv__stamp(self);
    e->flag = 1;
    atomic_store_explicit(&e->hdr.last_t, t, memory_order_relaxed);
    lv__emit(self, t, LV_EV_SET, e->hdr.id, 0, 0);
    pthread_cond_broadcast(&e->cv);
    pthread_mutex_unlock(&e->mu);
}

void lv_event_clear(lv_event_obj *e) {
    lv_thread *self = lv__self();
    if (self->run->ctl) lv__ctl_point(self);
    pthread_mutex_lock(&e->mu);
    e->flag = 0;
    lv__emit(self, lv__stamp(self), LV_EV_CLEAR, e->hdr.id, 0, 0);
    pthread_mutex_unlock(&e->mu);
}

bool lv_event_is_set(lv_event_obj *e) {
    lv_thread *self = lv__self();
    if (self->run->ctl) lv__ctl_point(self);
    pthread_mutex_lock(&e->mu);
    int f = e->flag;
    int64_t t = lv__stamp_after(self, f ? atomic_load(&e->hdr.last_t) : -1);
    lv__emit(self, t, LV_EV_READ, e->hdr.id, 1, f);
    pthread_mutex_unlock(&e->mu);
    return f != 0;
}

static bool ctl_event_wait(lv_thread *self, lv_event_obj *e, int64_t timeout_ns) {
    lv__ctl_point(self);
    lv__emit(self, self->run->vnow, LV_EV_REQUEST, e->hdr.id, timeout_ns >= 0, timeout_ns);
    if (!e->flag && timeout_ns != 0) lv__ctl_block(self, LV__OP_EVENT, &e->hdr, timeout_ns);
    if (e->flag)
        lv__emit(self, self->run->vnow, LV_EV_ACQUIRE, e->hdr.id, 1, 1);
    else
        lv__emit(self, self->run->vnow, LV_EV_TIMEOUT, e->hdr.id, 0, 0);
    return e->flag != 0;
}

bool lv_event_wait(lv_event_obj *e, int64_t timeout_ns) {
    lv_thread *self = lv__self();
    if (self->run->ctl) return ctl_event_wait(self, e, timeout_ns);
    lv__emit(self, lv__stamp(self), LV_EV_REQUEST, e->hdr.id, timeout_ns >= 0, timeout_ns);
    int64_t deadline = lv__deadline(timeout_ns);
    int aborted = 0;
    pthread_mutex_lock(&e->mu);
    if (!e->flag && timeout_ns != 0) {
        lv__wait_begin(self, &e->hdr, LV_NONE, timeout_ns >= 0);
        while (!e->flag) {
            if (atomic_load(&self->run->aborting)) {
                aborted = 1;
                break;
            }
            if (lv__cond_wait_slice(&e->cv, &e->mu, deadline)) break;
        }
        lv__wait_end(self);
    }
    int f = e->flag && !aborted;
    if (f)
        lv__emit(self, lv__stamp_after(self, atomic_load(&e->hdr.last_t)), LV_EV_ACQUIRE, e->hdr.id,
                 1, 1);
    pthread_mutex_unlock(&e->mu);
    if (aborted) lv__give_up(self);
    if (!f) lv__emit(self, lv__stamp(self), LV_EV_TIMEOUT, e->hdr.id, 0, 0);
    return f != 0;
}

/* ---- conditions ---- */

static lv__lockcore *cond_core(lv_cond *c, int64_t **count) {
    if (c->lock->kind == LV_OBJ_RLOCK) {
        lv_rlock *r = (lv_rlock *)c->lock;
        *count = &r->count;
        return &r->core;
    }
    *count = NULL;
    return &((lv_mutex *)c->lock)->core;
}

static lv_cond *cond_new(const char *name, lv__obj *lock) {
    if (!lock) {
        const char *base = name ? name : "condition";
        char *nm = malloc(strlen(base) + sizeof ".lock"); /* whole, however long the name */
        if (nm) {
            strcpy(nm, base);
            strcat(nm, ".lock");
        }
        lock = &lv_rlock_new(nm ? nm : "condition.lock")->hdr;
        free(nm);
    }
    lv_cond *c = lv__obj_new(sizeof *c, LV_OBJ_CONDITION, name, lock->id);
    c->lock = lock;
    pthread_mutex_init(&c->mu, NULL);
    lv__condvar_init(&c->cv);
    return c;
}

lv_cond *lv_cond_new(const char *name, lv_mutex *lock) {
    return cond_new(name, lock ? &lock->hdr : NULL);
}

lv_cond *lv_cond_new_rlock(const char *name, lv_rlock *lock) {
    return cond_new(name, lock ? &lock->hdr : NULL);
}

void lv_cond_lock(lv_cond *c) {
    int64_t *count;
    lv__lockcore *core = cond_core(c, &count);
    lk_acquire(lv__self(), c->lock, core, count, LV_FOREVER, 1);
}

void lv_cond_unlock(lv_cond *c) {
    int64_t *count;
    lv__lockcore *core = cond_core(c, &count);
    lk_release(lv__self(), c->lock, core, count, 0);
}

static void cond_unlink(lv_cond *c, lv__cwaiter *w) {
    lv__cwaiter **p = &c->head, *prev = NULL;
    while (*p && *p != w) {
        prev = *p;
        p = &(*p)->next;
    }
    if (!*p) return;
    *p = w->next;
    if (c->tail == w) c->tail = prev;
}

bool lv_cond_wait(lv_cond *c, int64_t timeout_ns) {
    lv_thread *self = lv__self();
    int64_t *count;
    lv__lockcore *core = cond_core(c, &count);
    if (self->run->ctl) lv__ctl_point(self);
    lv__emit(self, lv__stamp(self), LV_EV_REQUEST, c->hdr.id, timeout_ns >= 0, timeout_ns);
    if (atomic_load_explicit(&core->owner, memory_order_relaxed) != self->id) {
        /* misuse: Python raises "cannot wait on un-acquired lock" */
        lv__emit(self, lv__stamp(self), LV_EV_TIMEOUT, c->hdr.id, 0, 0);
        return false;
    }
    lv__cwaiter w = {0};
    pthread_mutex_lock(&c->mu);
    if (c->tail)
        c->tail->next = &w;
    else
        c->head = &w;
    c->tail = &w;
    pthread_mutex_unlock(&c->mu);

    int64_t held = lk_release(self, c->lock, core, count, 1);
    if (self->run->ctl) {
        self->op.waiter = &w;
        lv__ctl_block(self, LV__OP_COND, &c->hdr, timeout_ns);
        if (!w.notified) cond_unlink(c, &w);
        if (w.notified)
            lv__emit(self, self->run->vnow, LV_EV_ACQUIRE, c->hdr.id, 0, 0);
        else
            lv__emit(self, self->run->vnow, LV_EV_TIMEOUT, c->hdr.id, 0, 0);
        lk_acquire(self, c->lock, core, count, LV_FOREVER, held > 0 ? held : 1);
        return w.notified != 0;
    }
    int64_t deadline = lv__deadline(timeout_ns);
    int aborted = 0;
    pthread_mutex_lock(&c->mu);
    self->cwait = &w; /* the watchdog sees whether w was notified */
    lv__wait_begin(self, &c->hdr, LV_NONE, timeout_ns >= 0);
    while (!w.notified) {
        if (atomic_load(&self->run->aborting)) {
            aborted = 1;
            break;
        }
        if (timeout_ns == 0 || lv__cond_wait_slice(&c->cv, &c->mu, deadline)) break;
    }
    if (!w.notified) cond_unlink(c, &w); /* w lives on this stack: never leave it queued */
    lv__wait_end(self);
    self->cwait = NULL;
    pthread_mutex_unlock(&c->mu);
    if (aborted) lv__give_up(self);
    if (w.notified)
        lv__emit(self, lv__stamp_after(self, w.notify_t), LV_EV_ACQUIRE, c->hdr.id, 0, 0);
    else
        lv__emit(self, lv__stamp(self), LV_EV_TIMEOUT, c->hdr.id, 0, 0);
    lk_acquire(self, c->lock, core, count, LV_FOREVER, held > 0 ? held : 1);
    return w.notified != 0;
}

void lv_cond_notify(lv_cond *c, int n) {
    lv_thread *self = lv__self();
    int64_t *count;
    lv__lockcore *core = cond_core(c, &count);
    if (self->run->ctl) lv__ctl_point(self);
    int64_t t = lv__stamp(self);
    if (atomic_load_explicit(&core->owner, memory_order_relaxed) != self->id) {
        /* misuse: Python raises "cannot notify on un-acquired lock"; nobody is woken */
        lv__emit(self, t, LV_EV_NOTIFY, c->hdr.id, 1, 0);
        return;
    }
    int woken = 0;
    pthread_mutex_lock(&c->mu);
    while (woken < n && c->head) {
        lv__cwaiter *w = c->head;
        c->head = w->next;
        if (!c->head) c->tail = NULL;
        w->next = NULL;
        w->notify_t = t;
        w->notified = 1;
        woken++;
    }
    if (woken) pthread_cond_broadcast(&c->cv);
    pthread_mutex_unlock(&c->mu);
    lv__emit(self, t, LV_EV_NOTIFY, c->hdr.id, 1, woken);
}

void lv_cond_notify_all(lv_cond *c) {
    lv_cond_notify(c, 1 << 30);
}

/* ---- vars ---- */

lv_var *lv_var_new(const char *name, int64_t initial) {
    lv_var *v = lv__obj_new(sizeof *v, LV_OBJ_VAR, name, initial);
    v->value = initial;
    return v;
}

int64_t lv_var_read(lv_var *v) {
    lv_thread *self = lv__self();
    if (self->run->ctl) lv__ctl_point(self);
    int64_t x = v->value;
    lv__emit(self, lv__stamp(self), LV_EV_READ, v->hdr.id, 1, x);
    return x;
}

void lv_var_write(lv_var *v, int64_t value) {
    lv_thread *self = lv__self();
    if (self->run->ctl) lv__ctl_point(self);
    v->value = value;
    lv__emit(self, lv__stamp(self), LV_EV_WRITE, v->hdr.id, 1, value);
}

/* ---- gauges ---- */

lv_gauge *lv_gauge_new(const char *name, int64_t capacity) {
    lv_gauge *g = lv__obj_new(sizeof *g, LV_OBJ_GAUGE, name, capacity > 0 ? capacity : 0);
    atomic_init(&g->value, 0);
    return g;
}

int64_t lv_gauge_add(lv_gauge *g, int64_t delta) {
    lv_thread *self = lv__self();
    int64_t now = atomic_fetch_add(&g->value, delta) + delta;
    lv__emit(self, lv__stamp(self), LV_EV_WRITE, g->hdr.id, 1, now);
    return now;
}

/* ---- teardown ---- */

void lv__obj_destroy(lv__obj *o) {
    if (!o) return;
    switch (o->kind) {
    case LV_OBJ_MUTEX:
    case LV_OBJ_RLOCK:
        break; /* a lock word owns no kernel object */
    case LV_OBJ_SEMAPHORE:
    case LV_OBJ_BOUNDED_SEMAPHORE:
        pthread_mutex_destroy(&((lv_sem *)o)->mu);
        pthread_cond_destroy(&((lv_sem *)o)->cv);
        break;
    case LV_OBJ_EVENT:
        pthread_mutex_destroy(&((lv_event_obj *)o)->mu);
        pthread_cond_destroy(&((lv_event_obj *)o)->cv);
        break;
    case LV_OBJ_CONDITION:
        pthread_mutex_destroy(&((lv_cond *)o)->mu);
        pthread_cond_destroy(&((lv_cond *)o)->cv);
        break;
    default:
        break;
    }
    free(o);
}
