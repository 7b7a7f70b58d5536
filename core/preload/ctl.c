/* The controlled scheduler of `lockviz record --mode controlled`, inside the recorded program:
 * one thread runs at a time (it holds the baton); at every wrapped call it stops at a
 * scheduling point, works out which threads can run from a model of the objects (who holds
 * each mutex and rwlock, which waiter a signal woke, a barrier's arrivals; semaphores by their
 * value), lets the policy or the replayed schedule pick one and hands it the baton through a
 * futex. A thread never blocks in a real primitive: it waits here until the model says its
 * call can succeed, then makes the real call, which then does not block (condition variables
 * and barriers are wholly the model's). Time is virtual: each point costs LV_CTL_STEP_NS, a
 * sleep or a timeout is a deadline on that clock, and when nothing can run the clock jumps to
 * the earliest deadline; when nothing can run and no deadline is left the run is deadlocked:
 * the shared page says so and lockviz stops the program. Only the baton holder touches this
 * state, so it has no lock. */
#include "ctl.h"
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>
#include "ctlshm.h"
#include "lockviz/run.h"
#include "lockviz/trace.h"
#include "recshm.h"

#define EXPORT __attribute__((visibility("default")))
#define LV_CTL_STEP_NS 1000
#define LV_CTL_MAX_THREADS 1024
#define LV_CTL_MAX_OBJS 16384 /* a power of two */
#define NEVER INT64_MAX
/* the virtual clocks' origins: CLOCK_REALTIME starts at 2023-11-14 22:13:20 UTC */
#define REAL_BASE_NS (1700000000LL * 1000000000LL)
#define MONO_BASE_NS (1000LL * 1000000000LL)

int lv__ctl_on;

enum { T_FREE, T_LIVE, T_ENDED };
enum { OP_RUN, OP_LOCK, OP_RD, OP_WR, OP_COND, OP_SEM, OP_BARRIER, OP_JOIN, OP_SLEEP };

typedef struct cobj {
    const void *addr; /* NULL: a free slot */
    int32_t owner;    /* lock: the holder, or -1; rwlock: the writer */
    int32_t count;    /* lock: recursion depth; rwlock: readers */
    uint32_t bcount, barrived;
    uint64_t bgen;
} cobj;

typedef struct cthr {
    _Atomic int go;
    int state;
    int op;
    cobj *obj;        /* what the op waits on (the mutex, for a condition wait) */
    const void *what; /* the condition, semaphore, or joined thread's slot */
    int64_t deadline;
    uint64_t arg; /* barrier: the generation waited out; cond: the wait's order */
    int notified;
    int yielded; /* a failed try or a yield: others go first at the next pick */
    uint64_t prio;
    pthread_t pth;
    int has_pth;
} cthr;

static lv_cshm *cs;
static int32_t *sched_in, *sched_out, *points;
static cthr th[LV_CTL_MAX_THREADS];
static cobj objs[LV_CTL_MAX_OBJS];
static int32_t cur; /* the baton holder */
static int64_t vnow;
static uint64_t rng, waits;
static int pct_nchange;
static uint32_t pct_change[16];
static __thread int32_t me = -1;

/* the real functions ctl.c calls */
static int (*r_mutex_trylock)(pthread_mutex_t *), (*r_mutex_lock)(pthread_mutex_t *),
    (*r_mutex_unlock)(pthread_mutex_t *);
static int (*r_spin_trylock)(pthread_spinlock_t *), (*r_spin_lock)(pthread_spinlock_t *),
    (*r_spin_unlock)(pthread_spinlock_t *);
static int (*r_rw_tryrd)(pthread_rwlock_t *), (*r_rw_trywr)(pthread_rwlock_t *),
    (*r_rw_unlock)(pthread_rwlock_t *);
static int (*r_sem_trywait)(sem_t *), (*r_sem_post)(sem_t *);
static int (*r_join)(pthread_t, void **);
static int (*r_clock_gettime)(clockid_t, struct timespec *);

static void *sym(const char *name) {
    return dlsym(RTLD_NEXT, name);
}
#define LOOK(var, name)                                                                            \
    do {                                                                                           \
        void *p_ = sym(name);                                                                      \
        memcpy(&(var), &p_, sizeof p_);                                                            \
    } while (0)

static uint64_t next_rand(void) {
    uint64_t z = (rng += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* ---- the baton ---- */
static void futex(_Atomic int *w, int op, int v) {
    syscall(SYS_futex, w, op, v, NULL, NULL, 0);
}
static void wait_turn(cthr *t) {
    while (!atomic_exchange(&t->go, 0))
        futex(&t->go, FUTEX_WAIT_PRIVATE, 0);
}
static void give(int32_t to) {
    cur = to;
    atomic_store(&th[to].go, 1);
    futex(&th[to].go, FUTEX_WAKE_PRIVATE, 1);
}

/* ---- the model ---- */
static cobj *obj_at(const void *addr) {
    uint64_t h = (uint64_t)(uintptr_t)addr * 0x9E3779B97F4A7C15ULL;
    for (uint32_t i = 0; i < LV_CTL_MAX_OBJS; i++) {
        cobj *o = &objs[((h >> 40) + i) & (LV_CTL_MAX_OBJS - 1)];
        if (o->addr == addr) return o;
        if (!o->addr) {
            o->addr = addr;
            o->owner = -1;
            return o;
        }
    }
    atomic_store(&cs->state, LV_CS_TOO_MANY_THREADS); /* the table is full: the run ends */
    for (;;)
        pause();
}

static int sem_value(const void *s) {
    int v = 0;
    sem_getvalue((sem_t *)s, &v);
    return v;
}

static int ready(const cthr *t) {
    switch (t->op) {
    case OP_RUN:
        return 1;
    case OP_LOCK:
        return t->obj->owner < 0;
    case OP_RD:
        return t->obj->owner < 0;
    case OP_WR:
        return t->obj->owner < 0 && t->obj->count == 0;
    case OP_COND:
        return t->notified && t->obj->owner < 0;
    case OP_SEM:
        return sem_value(t->what) > 0;
    case OP_BARRIER:
        return t->obj->bgen != t->arg;
    case OP_JOIN:
        return ((const cthr *)t->what)->state == T_ENDED;
    default:
        return 0;
    }
}

static int timed_out(const cthr *t) {
    if (vnow < t->deadline) return 0;
    return t->op != OP_COND || t->obj->owner < 0; /* a wait's end takes its mutex again */
}

static int enabled(const cthr *t) {
    return t->state == T_LIVE && (ready(t) || timed_out(t));
}

static void deadlocked(void) {
    atomic_store(&cs->vnow, vnow);
    atomic_store(&cs->state, LV_CS_DEADLOCK);
    for (;;)
        pause(); /* lockviz stops the program */
}

static int32_t policy_pick(const int32_t *en, size_t n) {
    switch (cs->policy) {
    case LV_POLICY_RR:
        for (size_t i = 0; i < n; i++)
            if (en[i] > cur) return en[i];
        return en[0];
    case LV_POLICY_PCT: {
        uint32_t k = atomic_load(&cs->nout);
        for (int i = 0; i < pct_nchange; i++)
            if (pct_change[i] == k && th[cur].state == T_LIVE) th[cur].prio = (uint64_t)i;
        int32_t best = en[0];
        for (size_t i = 1; i < n; i++)
            if (th[en[i]].prio > th[best].prio) best = en[i];
        return best;
    }
    default:
        return en[next_rand() % n];
    }
}

/* explore's dfs: the choice point k (past the replayed schedule) into the log, for lockviz to
 * try the others in later runs */
static void log_point(uint32_t k, const int32_t *en, size_t n) {
    uint32_t at = atomic_load(&cs->nlog);
    if (atomic_load(&cs->log_full) || at + 3 + n > LV_CS_LOG_CAP) {
        atomic_store(&cs->log_full, 1);
        return;
    }
    points[at] = (int32_t)k;
    points[at + 1] = cur;
    points[at + 2] = (int32_t)n;
    memcpy(points + at + 3, en, n * sizeof *en);
    atomic_store(&cs->nlog, at + 3 + (uint32_t)n);
}

/* explore's dfs past its prefix: no preemption (the running thread if it can go on), else the
 * lowest id */
static int32_t dfs_pick(const int32_t *en, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (en[i] == cur) return cur;
    return en[0];
}

/* The next thread to run; the clock moves on first. */
static int32_t pick(void) {
    static int32_t en[LV_CTL_MAX_THREADS];
    vnow += LV_CTL_STEP_NS;
    size_t n;
    for (;;) {
        n = 0;
        for (int32_t i = 0; i < LV_CTL_MAX_THREADS; i++)
            if (th[i].state != T_FREE && enabled(&th[i])) en[n++] = i;
        if (n) break;
        int64_t next = NEVER;
        for (int32_t i = 0; i < LV_CTL_MAX_THREADS; i++)
            if (th[i].state == T_LIVE && th[i].deadline < next) next = th[i].deadline;
        if (next == NEVER) deadlocked();
        vnow = next;
    }
    /* threads that yielded go after the others, once */
    size_t keep = 0;
    for (size_t i = 0; i < n; i++)
        if (!th[en[i]].yielded) en[keep++] = en[i];
    for (size_t i = 0; i < n; i++)
        th[en[i]].yielded = 0;
    if (keep) n = keep;
    if (n == 1) return en[0];
    /* a choice: the replayed schedule's, else the policy's */
    uint32_t k = atomic_load(&cs->nout);
    int32_t p = -1;
    if (k < cs->nin) {
        int32_t want = sched_in[k];
        for (size_t i = 0; i < n && p < 0; i++)
            if (en[i] == want) p = want;
        if (p < 0 && atomic_load(&cs->diverged) < 0) atomic_store(&cs->diverged, (int64_t)k);
    }
    if (p < 0 && cs->dfs) {
        if (k < LV_CS_CAP) log_point(k, en, n);
        p = dfs_pick(en, n);
    }
    if (p < 0) p = policy_pick(en, n);
    if (k < LV_CS_CAP) {
        sched_out[k] = p;
        atomic_store(&cs->nout, k + 1);
    } else {
        atomic_fetch_add(&cs->cut, 1);
    }
    return p;
}

/* Waits (as op on o / what, until deadline) until this thread can go on; 0, or ETIMEDOUT. */
static int block(int op, cobj *o, const void *what, int64_t deadline) {
    cthr *t = &th[me];
    t->op = op;
    t->obj = o;
    t->what = what;
    t->deadline = deadline;
    for (;;) {
        int32_t p = pick();
        if (p != me) {
            give(p);
            wait_turn(t);
        }
        atomic_store(&cs->vnow, vnow);
        int r = ready(t) ? 0 : timed_out(t) ? ETIMEDOUT : -1;
        if (r >= 0) {
            t->op = OP_RUN;
            t->deadline = NEVER;
            return r;
        }
    }
}

void lv__ctl_point(void) {
    if (me >= 0 && th[me].state == T_LIVE) block(OP_RUN, NULL, NULL, NEVER);
}

/* ---- setup, threads ---- */
static void new_thread(int32_t id) {
    th[id].state = T_LIVE;
    th[id].op = OP_RUN;
    th[id].deadline = NEVER;
    th[id].prio = (uint64_t)pct_nchange + 1 + (next_rand() >> 8);
}

void lv__ctl_init(void) {
    const char *fdv = getenv(LV_CS_ENV_FD);
    if (!fdv) return;
    int fd = atoi(fdv);
    unsetenv(LV_CS_ENV_FD);
    void *p = mmap(NULL, LV_CS_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    if (p == MAP_FAILED || ((lv_cshm *)p)->magic != LV_CS_MAGIC) return;
    cs = p;
    sched_in = (int32_t *)((char *)p + cs->in_off);
    sched_out = (int32_t *)((char *)p + cs->out_off);
    points = (int32_t *)((char *)p + cs->log_off);
    LOOK(r_mutex_trylock, "pthread_mutex_trylock");
    LOOK(r_mutex_lock, "pthread_mutex_lock");
    LOOK(r_mutex_unlock, "pthread_mutex_unlock");
    LOOK(r_spin_trylock, "pthread_spin_trylock");
    LOOK(r_spin_lock, "pthread_spin_lock");
    LOOK(r_spin_unlock, "pthread_spin_unlock");
    LOOK(r_rw_tryrd, "pthread_rwlock_tryrdlock");
    LOOK(r_rw_trywr, "pthread_rwlock_trywrlock");
    LOOK(r_rw_unlock, "pthread_rwlock_unlock");
    LOOK(r_sem_trywait, "sem_trywait");
    LOOK(r_sem_post, "sem_post");
    LOOK(r_join, "pthread_join");
    rng = cs->seed ^ 0xC0FFEE1234567ULL;
    next_rand();
    if (cs->policy == LV_POLICY_PCT) {
        int d = cs->pct_depth > 0 ? cs->pct_depth : 3;
        if (d > 17) d = 17;
        pct_nchange = d - 1;
        uint32_t k = cs->pct_steps ? cs->pct_steps : 50;
        for (int i = 0; i < pct_nchange; i++)
            pct_change[i] = (uint32_t)(next_rand() % k);
    }
    me = 0;
    cur = 0;
    new_thread(0);
    th[0].pth = pthread_self();
    th[0].has_pth = 1;
    lv__ctl_on = 1;
}

int64_t lv__ctl_vnow(void) {
    return vnow;
}

void lv__ctl_spawn(int32_t id) {
    if (id < 0 || id >= LV_CTL_MAX_THREADS) {
        atomic_store(&cs->state, LV_CS_TOO_MANY_THREADS);
        for (;;)
            pause();
    }
    new_thread(id);
}

void lv__ctl_spawned(int32_t id, pthread_t t, int ok) {
    if (!ok) {
        th[id].state = T_ENDED;
        return;
    }
    th[id].pth = t;
    th[id].has_pth = 1;
}

void lv__ctl_enter(int32_t id) {
    me = id;
    wait_turn(&th[id]);
}

void lv__ctl_end(void) {
    if (me < 0 || th[me].state != T_LIVE) return;
    th[me].state = T_ENDED;
    int32_t p = pick();
    atomic_store(&cs->vnow, vnow);
    give(p); /* and this thread leaves uncontrolled */
}

void lv__ctl_forked(void) {
    lv__ctl_on = 0;
}

/* a thread whose end is recorded (or a thread not started by pthread_create) runs free */
#define FREE_RUNNING() (me < 0 || th[me].state != T_LIVE)

/* ---- time ---- */
static int64_t ts_ns(const struct timespec *t) {
    return (int64_t)t->tv_sec * 1000000000 + t->tv_nsec;
}
static int virtual_clock(clockid_t ck) {
    return ck == CLOCK_REALTIME || ck == CLOCK_REALTIME_COARSE || ck == CLOCK_MONOTONIC ||
           ck == CLOCK_MONOTONIC_RAW || ck == CLOCK_MONOTONIC_COARSE || ck == CLOCK_BOOTTIME;
}
static int64_t base_of(clockid_t ck) {
    return ck == CLOCK_REALTIME || ck == CLOCK_REALTIME_COARSE ? REAL_BASE_NS : MONO_BASE_NS;
}
/* the virtual deadline of the absolute time abs on ck (NEVER for none) */
static int64_t deadline_of(clockid_t ck, const struct timespec *abs) {
    if (!abs) return NEVER;
    int64_t d = ts_ns(abs) - base_of(ck);
    return d < vnow ? vnow : d;
}

EXPORT int clock_gettime(clockid_t ck, struct timespec *tp) {
    if (lv__ctl_on && virtual_clock(ck)) {
        int64_t t = vnow + base_of(ck);
        tp->tv_sec = t / 1000000000;
        tp->tv_nsec = t % 1000000000;
        return 0;
    }
    if (!r_clock_gettime) LOOK(r_clock_gettime, "clock_gettime");
    if (r_clock_gettime) return r_clock_gettime(ck, tp);
    return (int)syscall(SYS_clock_gettime, ck, tp);
}

/* declared non-null, yet NULL is allowed */
#if defined(__clang__)
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wpointer-bool-conversion"
#else
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnonnull-compare"
#endif
EXPORT int gettimeofday(struct timeval *restrict tv, void *restrict tz) {
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    if (tv) {
        tv->tv_sec = t.tv_sec;
        tv->tv_usec = t.tv_nsec / 1000;
    }
    if (tz) memset(tz, 0, sizeof(struct timezone));
    return 0;
}
#if defined(__clang__)
#pragma clang diagnostic pop
#else
#pragma GCC diagnostic pop
#endif

EXPORT time_t time(time_t *out) {
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    if (out) *out = t.tv_sec;
    return t.tv_sec;
}

EXPORT int sched_yield(void) {
    if (lv__ctl_on && !FREE_RUNNING()) {
        th[me].yielded = 1;
        lv__ctl_point();
        return 0;
    }
    return (int)syscall(SYS_sched_yield);
}

int lv__ctl_sleep(int64_t ns, clockid_t ck, const struct timespec *abs, uint64_t pc) {
    if (FREE_RUNNING()) return 0;
    lv__ctl_point();
    int64_t dl = abs ? deadline_of(ck, abs) : vnow + (ns > 0 ? ns : 0);
    lv__prec(LV_EV_SLEEP, NULL, pc, dl - vnow, 0, 0);
    if (dl <= vnow) { /* usleep(0) and the like: a yield */
        th[me].yielded = 1;
        lv__ctl_point();
        return 0;
    }
    block(OP_SLEEP, NULL, NULL, dl);
    return 0;
}

/* ---- locks ---- */
/* The timeout value a timed request records: ns from now to the deadline (0 for a try). */
static int64_t tmo_of(int how, int64_t dl) {
    return how == 2 && dl != NEVER ? dl - vnow : 0;
}

/* One lock path for mutexes and spinlocks: kind, real try and unlock by the caller. */
static int lock_common(const void *l, uint8_t k, int reentrant, int how, int64_t dl, uint64_t pc,
                       int (*tryf)(void *), int (*lockf)(void *)) {
    cobj *o = obj_at(l);
    uint8_t tf = how ? LV_RF_TIMED : 0;
    int64_t tmo = tmo_of(how, dl);
    if (o->owner == me && reentrant) {
        /* glibc's answer, at once: recursive, one level deeper (or EAGAIN past its count);
         * error-checking, EBUSY for a try and EDEADLK for a lock or a timed lock, recorded as
         * refused as the live recorder does (the thread did not wait) */
        int r = how == 1 ? tryf((void *)l) : lockf((void *)l);
        if (r == 0) {
            o->count++;
            lv__prec(LV_EV_ACQUIRE, l, pc, tmo, k | LV_RF_REQ | tf, 0);
        } else {
            lv__prec(LV_EV_REQUEST, l, pc, tmo, k | tf, 0);
            lv__prec(LV_EV_TIMEOUT, l, pc, 0, k | (r == EDEADLK ? LV_RF_REFUSED : 0), 0);
        }
        return r;
    }
    if (o->owner < 0) {
        int r = tryf((void *)l);
        if (r == 0 || r == EOWNERDEAD) {
            o->owner = me;
            o->count = 1;
            lv__prec(LV_EV_ACQUIRE, l, pc, tmo, k | LV_RF_REQ | tf, 0);
            return r;
        }
    }
    lv__prec(LV_EV_REQUEST, l, pc, tmo, k | tf, 0);
    if (how == 1) {
        lv__prec(LV_EV_TIMEOUT, l, pc, 0, k, 0);
        th[me].yielded = 1;
        return EBUSY;
    }
    if (block(OP_LOCK, o, l, dl) != 0) {
        lv__prec(LV_EV_TIMEOUT, l, pc, 0, k, 0);
        return ETIMEDOUT;
    }
    int r = tryf((void *)l);
    if (r != 0 && r != EOWNERDEAD) r = lockf((void *)l); /* held outside the model's sight */
    o->owner = me;
    o->count = 1;
    lv__prec(LV_EV_ACQUIRE, l, pc, 0, k, 0);
    return r;
}

static void unlocked(const void *l, int r, int recursive) {
    cobj *o = obj_at(l);
    if (r != 0) return;
    if (recursive && o->owner == me && o->count > 1) {
        o->count--;
    } else {
        o->owner = -1;
        o->count = 0;
    }
}

static int m_try(void *m) {
    return r_mutex_trylock(m);
}
static int m_lock(void *m) {
    return r_mutex_lock(m);
}
static int s_try(void *l) {
    return r_spin_trylock(l);
}
static int s_lock(void *l) {
    return r_spin_lock(l);
}

int lv__ctl_mutex_lock(pthread_mutex_t *m, int how, clockid_t ck, const struct timespec *abs,
                       uint64_t pc) {
    if (FREE_RUNNING()) return how == 1 ? r_mutex_trylock(m) : r_mutex_lock(m);
    lv__ctl_point();
    uint8_t k = lv__pmkind(m);
    return lock_common(m, k, k != LV_RO_MUTEX, how, how == 2 ? deadline_of(ck, abs) : NEVER, pc,
                       m_try, m_lock);
}

/* An error-checking or recursive mutex refuses (EPERM) an unlock by a thread that does not
 * own it: recorded as refused, as the live recorder does, and its owner keeps it (glibc's own
 * answer, so the model changes only when the real unlock succeeds). A normal mutex lets any
 * thread unlock it. */
int lv__ctl_mutex_unlock(pthread_mutex_t *m, uint64_t pc) {
    if (FREE_RUNNING()) return r_mutex_unlock(m);
    lv__ctl_point();
    uint8_t f = lv__punlock_flags(m);
    lv__prec(LV_EV_RELEASE, m, pc, 0, f, 0);
    int r = r_mutex_unlock(m);
    unlocked(m, r, (f & LV_RF_KIND) == LV_RO_RECURSIVE);
    return r;
}

int lv__ctl_spin_lock(pthread_spinlock_t *l, int how, uint64_t pc) {
    if (FREE_RUNNING()) return how == 1 ? r_spin_trylock(l) : r_spin_lock(l);
    lv__ctl_point();
    return lock_common((const void *)l, LV_RO_SPIN, 0, how, NEVER, pc, s_try, s_lock);
}

int lv__ctl_spin_unlock(pthread_spinlock_t *l, uint64_t pc) {
    if (FREE_RUNNING()) return r_spin_unlock(l);
    lv__ctl_point();
    lv__prec(LV_EV_RELEASE, (const void *)l, pc, 0, LV_RO_SPIN, 0);
    int r = r_spin_unlock(l);
    unlocked((const void *)l, r, 0);
    return r;
}

int lv__ctl_rw_lock(pthread_rwlock_t *l, int shared, int how, const struct timespec *abs,
                    uint64_t pc) {
    int (*tryf)(pthread_rwlock_t *) = shared ? r_rw_tryrd : r_rw_trywr;
    if (FREE_RUNNING()) return tryf(l);
    lv__ctl_point();
    cobj *o = obj_at(l);
    uint8_t f = LV_RO_RWLOCK | (shared ? LV_RF_SHARED : 0), tf = how ? LV_RF_TIMED : 0;
    int64_t dl = how == 2 ? deadline_of(CLOCK_REALTIME, abs) : NEVER, tmo = tmo_of(how, dl);
    int free_now = shared ? o->owner < 0 : o->owner < 0 && o->count == 0;
    if (!shared && o->owner == me) free_now = 0; /* relocking for writing: EDEADLK below */
    if (free_now || (!shared && o->owner == me)) {
        int r = tryf(l);
        if (r == 0) {
            if (shared)
                o->count++;
            else
                o->owner = me;
            lv__prec(LV_EV_ACQUIRE, l, pc, tmo, f | LV_RF_REQ | tf, 0);
            return 0;
        }
        if (!free_now) { /* the real lock's answer to a writer relocking */
            lv__prec(LV_EV_REQUEST, l, pc, tmo, f | tf, 0);
            lv__prec(LV_EV_TIMEOUT, l, pc, 0, f, 0);
            return how == 1 ? r : EDEADLK;
        }
    }
    lv__prec(LV_EV_REQUEST, l, pc, tmo, f | tf, 0);
    if (how == 1) {
        lv__prec(LV_EV_TIMEOUT, l, pc, 0, f, 0);
        th[me].yielded = 1;
        return EBUSY;
    }
    if (block(shared ? OP_RD : OP_WR, o, l, dl) != 0) {
        lv__prec(LV_EV_TIMEOUT, l, pc, 0, f, 0);
        return ETIMEDOUT;
    }
    tryf(l);
    if (shared)
        o->count++;
    else
        o->owner = me;
    lv__prec(LV_EV_ACQUIRE, l, pc, 0, f, 0);
    return 0;
}

int lv__ctl_rw_unlock(pthread_rwlock_t *l, uint64_t pc) {
    if (FREE_RUNNING()) return r_rw_unlock(l);
    lv__ctl_point();
    lv__prec(LV_EV_RELEASE, l, pc, 0, LV_RO_RWLOCK, 0);
    int r = r_rw_unlock(l);
    cobj *o = obj_at(l);
    if (r == 0) {
        if (o->owner >= 0)
            o->owner = -1;
        else if (o->count > 0)
            o->count--;
    }
    return r;
}

/* ---- condition variables: wholly the model's (a wait may wake spuriously, so waiting here
 * instead of in the real condition is allowed) ---- */
int lv__ctl_cond_wait(pthread_cond_t *c, pthread_mutex_t *m, clockid_t ck,
                      const struct timespec *abs, uint64_t pc) {
    if (FREE_RUNNING()) { /* a wake-up at once, as POSIX allows */
        r_mutex_unlock(m);
        return r_mutex_lock(m);
    }
    lv__ctl_point();
    int64_t dl = deadline_of(ck, abs);
    uint8_t k = lv__pmkind(m), f = lv__punlock_flags(m);
    lv__prec(LV_EV_REQUEST, c, pc, abs ? dl - vnow : 0, LV_RO_COND | (abs ? LV_RF_TIMED : 0), 0);
    lv__prec(LV_EV_RELEASE, m, pc, 0, f, 1);
    if (f & LV_RF_REFUSED) { /* not the owner of an error-checking or recursive mutex */
        lv__prec(LV_EV_TIMEOUT, c, pc, 0, LV_RO_COND, 0);
        return EPERM; /* glibc's wait, at once: the mutex untouched */
    }
    cobj *o = obj_at(m);
    if (r_mutex_unlock(m) == 0) {
        o->owner = -1;
        o->count = 0;
    }
    th[me].notified = 0;
    th[me].arg = ++waits;
    int r = block(OP_COND, o, c, dl);
    r_mutex_trylock(m);
    o->owner = me;
    o->count = 1;
    lv__prec(r == 0 ? LV_EV_ACQUIRE : LV_EV_TIMEOUT, c, pc, 0, LV_RO_COND, 0);
    lv__prec(LV_EV_ACQUIRE, m, pc, 0, k | LV_RF_REQ, 1);
    return r;
}

int lv__ctl_cond_notify(pthread_cond_t *c, int all, uint64_t pc) {
    if (FREE_RUNNING()) return 0;
    lv__ctl_point();
    lv__prec(LV_EV_NOTIFY, c, pc, 0, LV_RO_COND | (all ? LV_RF_ALL : 0), 0);
    for (;;) { /* the waiters in the order they began to wait: the first, or all */
        cthr *first = NULL;
        for (int32_t i = 0; i < LV_CTL_MAX_THREADS; i++) {
            cthr *t = &th[i];
            if (t->state == T_LIVE && t->op == OP_COND && t->what == c && !t->notified &&
                (!first || t->arg < first->arg))
                first = t;
        }
        if (!first) break;
        first->notified = 1;
        if (!all) break;
    }
    return 0;
}

/* ---- semaphores: their own value says whether a wait can go on ---- */
int lv__ctl_sem_wait(sem_t *s, int how, clockid_t ck, const struct timespec *abs, uint64_t pc) {
    if (FREE_RUNNING()) return r_sem_trywait(s);
    lv__ctl_point();
    int64_t dl = how == 2 ? deadline_of(ck, abs) : NEVER, tmo = tmo_of(how, dl);
    uint8_t tf = how ? LV_RF_TIMED : 0;
    if (sem_value(s) > 0 && r_sem_trywait(s) == 0) {
        lv__prec(LV_EV_ACQUIRE, s, pc, tmo, LV_RO_SEM | LV_RF_REQ | tf, 0);
        return 0;
    }
    lv__prec(LV_EV_REQUEST, s, pc, tmo, LV_RO_SEM | tf, 0);
    if (how == 1 || block(OP_SEM, NULL, s, dl) != 0) {
        lv__prec(LV_EV_TIMEOUT, s, pc, 0, LV_RO_SEM, 0);
        if (how == 1) th[me].yielded = 1;
        errno = how == 1 ? EAGAIN : ETIMEDOUT;
        return -1;
    }
    r_sem_trywait(s);
    lv__prec(LV_EV_ACQUIRE, s, pc, 0, LV_RO_SEM, 0);
    return 0;
}

int lv__ctl_sem_post(sem_t *s, uint64_t pc) {
    if (!FREE_RUNNING()) {
        lv__ctl_point();
        lv__prec(LV_EV_RELEASE, s, pc, 0, LV_RO_SEM, 0);
    }
    return r_sem_post(s);
}

void lv__ctl_forget(const void *obj) {
    cobj *o = obj_at(obj);
    o->owner = -1;
    o->count = 0;
}

/* ---- barriers: wholly the model's ---- */
void lv__ctl_barrier_init(pthread_barrier_t *b, unsigned count) {
    cobj *o = obj_at(b);
    o->bcount = count;
    o->barrived = 0;
}

int lv__ctl_barrier_wait(pthread_barrier_t *b, uint64_t pc) {
    if (FREE_RUNNING()) return EINVAL;
    lv__ctl_point();
    lv__prec(LV_EV_REQUEST, b, pc, 0, LV_RO_BARRIER, 0);
    cobj *o = obj_at(b);
    if (++o->barrived >= o->bcount) {
        o->barrived = 0;
        o->bgen++;
        lv__prec(LV_EV_ACQUIRE, b, pc, 0, LV_RO_BARRIER, 0);
        return PTHREAD_BARRIER_SERIAL_THREAD;
    }
    th[me].arg = o->bgen;
    block(OP_BARRIER, o, b, NEVER);
    lv__prec(LV_EV_ACQUIRE, b, pc, 0, LV_RO_BARRIER, 0);
    return 0;
}

/* ---- joins ---- */
int lv__ctl_join(pthread_t t, void **ret, uint64_t pc) {
    if (FREE_RUNNING()) return r_join(t, ret);
    lv__ctl_point();
    lv__prec(LV_EV_JOIN, (const void *)t, pc, 0, 0, 0);
    /* the newest thread with that handle: glibc hands a joined thread's handle to a new one */
    int32_t target = -1;
    for (int32_t i = LV_CTL_MAX_THREADS - 1; i >= 0 && target < 0; i--)
        if (th[i].state != T_FREE && th[i].has_pth && pthread_equal(th[i].pth, t)) target = i;
    if (target >= 0 && target != me) block(OP_JOIN, NULL, &th[target], NEVER);
    int r = r_join(t, ret); /* the thread has ended its controlled part: this returns soon */
    if (r == 0 && target >= 0) th[target].has_pth = 0;
    return r;
}
