/* The instrumented primitives scenario code is written with, modelled on Python's threading
 * module. Every call records events in the run's trace. They may be called only from a thread
 * lockviz started (a scenario's main or a thread it spawned); the same code runs in every mode.
 *
 * Ownership: every object returned here belongs to the current run and lives until the run
 * ends, like a Python object referenced by the program; scenario code never frees it.
 * Timeouts are in nanoseconds: LV_FOREVER waits as long as it takes, 0 only tries. */
#ifndef LOCKVIZ_PRIMS_H
#define LOCKVIZ_PRIMS_H

#include <stdbool.h>
#include <stdint.h>

#define LV_FOREVER (-1)
#define LV_MS(x) ((int64_t)(x)*1000000LL)
#define LV_SEC(x) ((int64_t)(x)*1000000000LL)

typedef struct lv_thread lv_thread;
typedef struct lv_mutex lv_mutex;         /* threading.Lock: not reentrant, not owned */
typedef struct lv_rlock lv_rlock;         /* threading.RLock: owner and recursion count */
typedef struct lv_sem lv_sem;             /* threading.Semaphore and BoundedSemaphore */
typedef struct lv_event_obj lv_event_obj; /* threading.Event */
typedef struct lv_cond lv_cond;           /* threading.Condition */
typedef struct lv_var lv_var;             /* a shared integer whose reads and writes are recorded */
typedef struct lv_gauge lv_gauge;         /* a count the scenario shows the class (no lock) */

/* Threads. lv_spawn starts fn(arg) on a new named thread; lv_join waits for it to end. */
lv_thread *lv_spawn(const char *name, void (*fn)(void *arg), void *arg);
void lv_join(lv_thread *t);
bool lv_join_timeout(lv_thread *t, int64_t timeout_ns); /* false: timed out */
/* The calling thread's id in the trace (0 is the scenario's main). */
int lv_self_id(void);
const char *lv_self_name(void);

/* Sleep: real time in live mode (scaled by the run's time scale), virtual time when controlled. */
void lv_sleep(int64_t ns);
/* Busy work: the thread computes for ns without blocking, as a polling loop does between two
 * looks at its flag. Live mode spins on the clock (scaled like sleeps); controlled mode moves
 * the thread's virtual time on while others may run. No event: the lane just stays running. */
void lv_busy(int64_t ns);
/* A line of text on the calling thread's timeline: the seeds' print() lines. */
void lv_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A scenario's "what must hold": recorded as a note; a failed check becomes an invariant
 * finding. Returns ok. */
bool lv_check(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A deterministic random integer in [lo, hi] from the run's seed and this thread's stream. */
int64_t lv_random(int64_t lo, int64_t hi);

/* Lock */
lv_mutex *lv_mutex_new(const char *name);
bool lv_mutex_acquire(lv_mutex *m, int64_t timeout_ns); /* false: timed out / not taken */
void lv_mutex_lock(lv_mutex *m);                        /* acquire(LV_FOREVER) */
bool lv_mutex_trylock(lv_mutex *m);                     /* acquire(0) */
void lv_mutex_unlock(lv_mutex *m);                      /* release */
bool lv_mutex_locked(lv_mutex *m);                      /* Lock.locked(), not recorded */

/* RLock */
lv_rlock *lv_rlock_new(const char *name);
bool lv_rlock_acquire(lv_rlock *r, int64_t timeout_ns);
void lv_rlock_lock(lv_rlock *r);
void lv_rlock_unlock(lv_rlock *r);

/* Semaphore(value) and BoundedSemaphore(value) */
lv_sem *lv_sem_new(const char *name, int64_t value);
lv_sem *lv_bsem_new(const char *name, int64_t value);
bool lv_sem_acquire(lv_sem *s, int64_t timeout_ns);
void lv_sem_release(lv_sem *s);

/* Event */
lv_event_obj *lv_event_new(const char *name);
void lv_event_set(lv_event_obj *e);
void lv_event_clear(lv_event_obj *e);
bool lv_event_is_set(lv_event_obj *e);                   /* recorded as a read of the flag */
bool lv_event_wait(lv_event_obj *e, int64_t timeout_ns); /* returns the flag */

/* Condition(lock): lock NULL gives the condition its own RLock, as Python does. */
lv_cond *lv_cond_new(const char *name, lv_mutex *lock);
lv_cond *lv_cond_new_rlock(const char *name, lv_rlock *lock);
void lv_cond_lock(lv_cond *c);                     /* acquire the condition's lock */
void lv_cond_unlock(lv_cond *c);                   /* release it */
bool lv_cond_wait(lv_cond *c, int64_t timeout_ns); /* false: timed out */
void lv_cond_notify(lv_cond *c, int n);
void lv_cond_notify_all(lv_cond *c);

/* Shared integer. Accesses are deliberately plain (not atomic): an unguarded var is a real data
 * race that ThreadSanitizer sees, which is what the race scenarios teach. */
lv_var *lv_var_new(const char *name, int64_t initial);
int64_t lv_var_read(lv_var *v);
void lv_var_write(lv_var *v, int64_t value);

/* A gauge: a count the scenario keeps for the class to watch (people inside a room), with
 * the capacity it should not pass (0: none). It is an observer's tally, not shared state the
 * program synchronizes: an add is atomic, records its new value like a note records its text,
 * and is not a scheduling point, so adding a gauge to a scenario changes none of its
 * schedules. lv_gauge_add returns the new count. */
lv_gauge *lv_gauge_new(const char *name, int64_t capacity);
int64_t lv_gauge_add(lv_gauge *g, int64_t delta);

#endif
