/* Engine internals shared by the core's own files: the run, its threads, the per-thread event
 * buffers, the common object header, the trace clock and the controlled scheduler's hooks.
 * Outside core/src only two white-box tests include it (test_tracer, test_watchdog). */
#ifndef LV_INTERNAL_H
#define LV_INTERNAL_H

#include <assert.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include "lockviz/lockviz.h"
#include "platform.h"

/* ---- per-thread event buffer: chunks that only their thread appends to ---- */
/* A thread records compact 16-byte records; the merge expands them into lv_events (32 bytes).
 * The thread is implied by the buffer and the seq is given by the merge, so a record keeps the
 * time, the kind, the flags, the object and a 32-bit value. A time of 2^48 ns or more, or a
 * value that does not fit, takes a second record; a request and acquire that share one time
 * (a lock that was free) take one record between them: an uncontended lock and unlock is 32
 * bytes instead of 96. A Lock's or RLock's acquire and final release carry the lock's
 * acquisition number instead of a value, which the merge uses to put each release before the
 * acquire it enabled (see lv__tracer_merge). */
typedef struct lv__rec {
    uint64_t tkf; /* t << 16 | flags << 8 | kind, for t < 2^48 */
    int32_t obj;
    int32_t aux; /* the value (LV_EVF_VALUE, or a note's text), or the acquisition number */
} lv__rec;
#define LV__RF_SEQ 0x20  /* aux is the lock's acquisition number this acquire or release is of */
#define LV__RF_WIDE 0x40 /* the next record holds the full t and value, as two int64s */
#define LV__RF_REQ 0x80  /* an acquire with a request before it at the same t (no value) */
#define LV__RF_MASK (LV__RF_SEQ | LV__RF_WIDE | LV__RF_REQ)
#define LV__T_BITS 48

/* Chunks grow: a thread that records little keeps little, a busy one gets 2 MiB chunks that
 * the kernel can back with huge pages (one page fault per 2 MiB instead of 512). */
#define LV__CHUNK_MIN 256
#define LV__CHUNK_MAX 131071 /* 16 + 131071 * 16 bytes: 2 MiB */
#define LV__HUGE (2u << 20)

typedef struct lv__chunk {
    struct lv__chunk *next;
    uint32_t n, cap; /* records */
    lv__rec ev[];
} lv__chunk;

typedef struct lv__buf {
    lv__chunk *head, *tail;
    lv__chunk *spare; /* the next chunk, made ahead by lv__reserve (its pages already touched) */
    uint32_t mark;    /* lv__reserve acts once the tail holds this many records */
    uint64_t count;   /* events (a record may stand for two) */
    uint64_t dropped;
    char **texts; /* note texts of this thread; a note's value indexes this until the merge */
    uint32_t ntexts, captexts;
} lv__buf;

/* ---- objects ---- */
typedef struct lv__obj {
    int32_t id;
    lv_obj_kind kind;
    struct lv__run *run;
    /* trace time of the last event that another thread's next step must come after (the
     * release of a semaphore that lets a waiter in, the set that lets a waiter through; on a
     * lock, the latest time its holder recorded before it let go): keeps the merged order
     * consistent with what the object orders */
    _Atomic int64_t last_t;
} lv__obj;

/* A futex lock word (0 free, 1 held, 2 held and maybe waited for); Lock and RLock are both
 * built on it. */
typedef struct lv__lockcore {
    _Atomic int state;
    _Atomic int32_t owner; /* thread id of the holder, LV_NONE when free */
    /* acquisitions so far (traced live runs): the holder's is acquired - 1. Written by the
     * holder only; atomic because a Lock may be released by another thread (a misuse). */
    _Atomic uint32_t acquired;
} lv__lockcore;

struct lv_mutex {
    lv__obj hdr;
    lv__lockcore core;
};

struct lv_rlock {
    lv__obj hdr;
    lv__lockcore core;
    int64_t count; /* recursion count: written only by the owner */
};

struct lv_sem {
    lv__obj hdr;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int64_t count;
    int64_t capacity;
    int bounded;
    int waiters;
};

struct lv_event_obj {
    lv__obj hdr;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int flag;
};

typedef struct lv__cwaiter {
    struct lv__cwaiter *next;
    int notified;
    int64_t notify_t;
} lv__cwaiter;

struct lv_cond {
    lv__obj hdr;
    lv__obj *lock; /* an lv_mutex or lv_rlock */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    lv__cwaiter *head, *tail;
};

struct lv_var {
    lv__obj hdr;
    int64_t value; /* plain on purpose: see prims.h */
};

struct lv_gauge {
    lv__obj hdr;
    _Atomic int64_t value; /* an observer's tally: atomic, never a race of the lesson */
};

/* ---- threads and the run ---- */

/* controlled mode: what a thread waits for at its scheduling point */
typedef enum lv__opkind {
    LV__OP_RUN,   /* nothing: it can run */
    LV__OP_LOCK,  /* a Lock or RLock to be free */
    LV__OP_SEM,   /* a permit */
    LV__OP_EVENT, /* the flag to be set */
    LV__OP_COND,  /* a notify */
    LV__OP_JOIN,  /* a thread to end */
    LV__OP_SLEEP  /* the virtual clock to reach the deadline */
} lv__opkind;

typedef struct lv__op {
    lv__opkind kind;
    lv__obj *obj;
    struct lv_thread *target;
    struct lv__cwaiter *waiter;
    int64_t deadline; /* virtual ns; INT64_MAX: none */
} lv__op;

struct lv_thread {
    int32_t id;
    char *name;
    struct lv__run *run;
    pthread_t pt;
    int pt_started;
    void (*fn)(void *);
    void *arg;
    lv__buf buf;
    int64_t last_t;  /* trace time of this thread's last event: its events never go back */
    int64_t start_t; /* the spawn's time: the start comes after it */
    uint64_t rng;
    _Atomic(lv__obj *) waiting_for; /* live: the object this thread blocks on, for the watchdog */
    _Atomic int32_t waiting_thread; /* live: the thread it joins, or LV_NONE */
    _Atomic int waiting_timed;      /* live: the wait has a timeout (it cannot hang) */
    _Atomic unsigned wait_gen;      /* live: bumped at each blocking wait: tells waits apart */
    struct lv__cwaiter *cwait;      /* live: its place in a Condition's queue while it waits there
                                     * (guarded by that Condition's mu) */
    /* guarded by run->mu */
    int ended; /* 1 ended normally, 2 gave up (the run was aborted) */
    int64_t end_t;
    /* controlled mode: touched only by the running thread (handoffs order them) */
    sem_t go;
    int go_init;
    lv__op op;
    int ctl_ended;
    uint64_t prio; /* PCT */
};

typedef struct lv__objmeta {
    lv__obj *obj;
    char *name;
    int64_t param;
} lv__objmeta;

typedef struct lv__run {
    lv_run_desc desc;
    int64_t params[LV_MAX_PARAMS];
    lv_args args;
    int64_t clock0;
    double time_scale;
    pthread_mutex_t mu; /* guards the tables below and thread ends */
    pthread_cond_t cv;
    lv_thread **threads;
    size_t nthreads, capthreads;
    size_t live_threads; /* started and not yet ended */
    lv__objmeta *objs;
    size_t nobjs, capobjs;
    _Atomic int aborting; /* the blocked waits give up: the run is deadlocked or failed */
    lv_outcome outcome;
    lv_err error;
    int trace_off; /* record nothing (benchmarks) */
    /* controlled mode: touched only by the running thread */
    int ctl;
    int64_t vnow;
    uint64_t rng; /* the policy's */
    lv_thread **en;
    int32_t *en_ids;
    size_t capen;
    int32_t *sched;
    size_t nsched, capsched;
    long diverged_at;
    size_t pct_change[16]; /* choice points where PCT lowers the running thread's priority */
    int pct_nchange;
} lv__run;

/* the calling thread's record; asserts when called outside a lockviz thread */
extern _Thread_local lv_thread *lv__tls_self;
static inline lv_thread *lv__self(void) {
    /* Using a primitive outside a lockviz thread is a bug in the caller, not a scenario bug. */
    assert(lv__tls_self && "lockviz primitives are for threads started by lv_run or lv_spawn");
    return lv__tls_self;
}

void lv__clock_init(void); /* calibrates the trace clock once per process */
/* takes another process's calibration instead (a run's child: one clock for both) */
void lv__clock_adopt(int use_tsc, uint64_t tsc0, int64_t mono0, uint64_t tsc_mult);
/* isolate.c: a run of a scenario loaded from a file, in a child process (see lv_run) */
lv_err lv__run_isolated(const lv_run_desc *desc, lv_trace **out, long *diverged_at);
/* the child's side: the whole of lockviz-isolate (core/isolate_main.c) */
int lv__isolate_main(void);
extern int lv__in_isolated_child; /* 1 in that child: its runs run here */
extern int lv__use_tsc;           /* the calibration (clock.c) */
extern uint64_t lv__tsc0, lv__tsc_mult;
extern int64_t lv__mono0;

/* The trace clock: monotonic ns, cheap (see clock.c). Inline: the lock path reads it twice
 * a pair. */
static inline int64_t lv__clock_ns(void) {
#if LV__HAVE_TICKS
    if (__builtin_expect(lv__use_tsc, 1))
        return lv__mono0 +
               (int64_t)(((unsigned __int128)(lv__cpu_ticks() - lv__tsc0) * lv__tsc_mult) >> 32);
#endif
    return lv__mono_ns();
}

/* Trace time for the calling thread's next event: now, but never before its last event and,
 * when after >= 0, strictly after that time. */
static inline int64_t lv__stamp_after(lv_thread *self, int64_t after) {
    if (self->run->ctl) return self->run->vnow; /* one thread at a time: already ordered */
    if (self->run->trace_off) return 0;
    int64_t t = lv__clock_ns() - self->run->clock0;
    if (t < self->last_t) t = self->last_t;
    if (after >= 0 && t <= after) t = after + 1;
    self->last_t = t;
    return t;
}
static inline int64_t lv__stamp(lv_thread *self) {
    return lv__stamp_after(self, -1);
}
/* lv__stamp for a caller that knows the run is live and traced (the lock path). */
static inline int64_t lv__stamp_live(lv_thread *self) {
    int64_t t = lv__clock_ns() - self->run->clock0;
    if (t < self->last_t) t = self->last_t;
    self->last_t = t;
    return t;
}

/* Live mode: a thread announces a blocking wait (on an object, or joining a thread) so the
 * watchdog can see the wait-for graph. The stores are ordered (timed, generation, what) and
 * the watchdog reads them back the other way round between two reads of the generation, so
 * what it sees is one wait's, whole (see live_wait_of in runtime.c). */
static inline void lv__wait_begin(lv_thread *self, lv__obj *o, int32_t thread, int timed) {
    atomic_store(&self->waiting_timed, timed);
    atomic_fetch_add(&self->wait_gen, 1);
    if (o)
        atomic_store(&self->waiting_for, o);
    else
        atomic_store(&self->waiting_thread, thread);
}
static inline void lv__wait_end(lv_thread *self) {
    atomic_store(&self->waiting_for, NULL);
    atomic_store(&self->waiting_thread, LV_NONE);
}

/* tracer */
/* The slow path: a new tail chunk with room for need records (the spare if there is one);
 * 0 when made, -1 when out of memory. Chunks' pages are touched when they are made, so
 * writing records into them never faults. */
int lv__buf_grow(lv__buf *b, uint32_t need);
/* lv__reserve's slow path: makes the spare once the tail is half full, and moves to a new tail
 * when the tail is nearly full. */
void lv__buf_prepare(lv__buf *b);

/* The lock path calls this before it takes a lock: the records of the critical section then
 * fit in the tail (or in the spare, made ahead), so no allocation or page fault happens
 * while a lock is held and another thread may be waiting for it. */
#define LV__SLACK 16 /* records a critical section can write before it needs the spare */
static inline void lv__reserve(lv_thread *self) {
    lv__chunk *c = self->buf.tail;
    if (__builtin_expect(c && c->n < self->buf.mark, 1) || self->run->trace_off) return;
    lv__buf_prepare(&self->buf);
}

/* Appends one record to the calling thread's own buffer, for a caller that knows the run is
 * traced (the lock path; lv__emit_rec checks first): inline, because every primitive call
 * records one to three events and the lock path is the hottest there is. seq is a lock's
 * acquisition number, or -1. */
static inline void lv__put_seq(lv_thread *self, int64_t t, lv_event_kind kind, int32_t obj,
                               int has_value, int64_t value, uint8_t flags, uint32_t events,
                               int64_t seq) {
    lv__buf *b = &self->buf;
    /* a note keeps its text's index in value without LV_EVF_VALUE */
    int keep = has_value || (flags & LV_EVF_TEXT);
    int wide =
        (uint64_t)t >> LV__T_BITS || (keep && (seq >= 0 || value < INT32_MIN || value > INT32_MAX));
    uint32_t need = wide ? 2 : 1;
    lv__chunk *c = b->tail;
    if (__builtin_expect(!c || c->cap - c->n < need, 0)) {
        if (lv__buf_grow(b, need) != 0) {
            b->dropped += events; /* said in the trace ("dropped") and by every command */
            return;
        }
        c = b->tail;
    }
    lv__rec *r = &c->ev[c->n];
    c->n += need;
    b->count += events;
    uint64_t f = flags | (has_value ? LV_EVF_VALUE : 0) | (wide ? LV__RF_WIDE : 0) |
                 (seq >= 0 ? LV__RF_SEQ : 0);
    r->tkf = (wide ? 0 : (uint64_t)t << 16) | f << 8 | (uint64_t)kind;
    r->obj = obj;
    r->aux = seq >= 0 ? (int32_t)(uint32_t)seq : wide || !keep ? 0 : (int32_t)value;
    if (wide) {
        int64_t full[2] = {t, keep ? value : 0};
        memcpy(&r[1], full, sizeof full);
    }
}

static inline void lv__put(lv_thread *self, int64_t t, lv_event_kind kind, int32_t obj,
                           int has_value, int64_t value, uint8_t flags, uint32_t events) {
    lv__put_seq(self, t, kind, obj, has_value, value, flags, events, -1);
}

static inline void lv__emit_rec(lv_thread *self, int64_t t, lv_event_kind kind, int32_t obj,
                                int has_value, int64_t value, uint8_t flags, uint32_t events) {
    if (__builtin_expect(self->run->trace_off, 0)) return;
    lv__put(self, t, kind, obj, has_value, value, flags, events);
}

static inline void lv__emit(lv_thread *self, int64_t t, lv_event_kind kind, int32_t obj,
                            int has_value, int64_t value) {
    lv__emit_rec(self, t, kind, obj, has_value, value, 0, 1);
}

void lv__emit_text(lv_thread *self, int64_t t, const char *text, uint8_t flags);
/* Frees a thread's buffer; its large chunks are kept for the next run (up to a bound). */
void lv__buf_free(lv__buf *b);
unsigned lv__pool_kept(void); /* large chunks kept for the next run, now */
/* Merges every thread's buffer into tr (events in time order, seqs assigned). */
lv_err lv__tracer_merge(lv__run *run, lv_trace *tr);

/* objects */
void *lv__obj_new(size_t size, lv_obj_kind kind, const char *name, int64_t param);
void lv__obj_destroy(lv__obj *o);

/* waiting: absolute monotonic deadline from a timeout (LV_FOREVER gives INT64_MAX) */
int64_t lv__deadline(int64_t timeout_ns);
/* Waits on cv for at most a slice or until deadline. Returns 1 when the deadline passed. */
int lv__cond_wait_slice(pthread_cond_t *cv, pthread_mutex_t *mu, int64_t deadline);
void lv__condvar_init(pthread_cond_t *cv);
/* Called by a blocked wait when the run is aborting: the thread gives up and exits. */
_Noreturn void lv__give_up(lv_thread *self);

/* The lock word of a mutex or rlock object; *count is NULL for a mutex. */
static inline lv__lockcore *lv__lock_core(lv__obj *o, int64_t **count) {
    if (o->kind == LV_OBJ_RLOCK) {
        *count = &((struct lv_rlock *)o)->count;
        return &((struct lv_rlock *)o)->core;
    }
    *count = NULL;
    return &((struct lv_mutex *)o)->core;
}

/* ---- controlled mode (controlled.c) ---- */
#define LV__STEP_NS 1000 /* virtual time one scheduling point costs */
/* A scheduling point: the policy picks who runs next; returns when self runs again. */
void lv__ctl_point(lv_thread *self);
/* Blocks self until what kind/obj describes happens or timeout_ns (virtual) passes. */
void lv__ctl_block(lv_thread *self, lv__opkind kind, lv__obj *obj, int64_t timeout_ns);
void lv__ctl_wait_turn(lv_thread *self); /* a new thread waits for its first turn */
void lv__ctl_exit(lv_thread *self);      /* self ended: hand the run to the next thread */
void lv__ctl_setup(lv__run *run);
void lv__ctl_teardown(lv__run *run);

/* SplitMix64: the next number of the stream whose state is *s. The engine's one generator: the
 * scenarios' lv_random, the policies' choices and PCT's change points all draw from it. */
static inline uint64_t lv__splitmix64(uint64_t *s) {
    uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

#endif
