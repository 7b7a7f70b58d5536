/* liblockviz_preload.so: loaded into an unmodified pthread program by `lockviz record`
 * (LD_PRELOAD), it wraps the program's calls to mutexes, rwlocks, condition variables,
 * semaphores, barriers, spinlocks, threads and sleeps, and appends one record per step to the
 * buffer shared with lockviz (recshm.h): no lock of its own, no system call per record, so the
 * program's locks keep their behaviour and a crash loses nothing recorded. It does not
 * interpret anything (ids, names, call sites are lockviz's work) and records nothing of a
 * forked child or of a program another one starts. */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "platform.h"
#include "recshm.h"
#include "ctl.h"

#define EXPORT __attribute__((visibility("default")))
#define TLS __thread __attribute__((tls_model("initial-exec")))
#define PC() ((uint64_t)(uintptr_t)__builtin_return_address(0))
#define LIKELY(x) __builtin_expect(!!(x), 1)
/* controlled mode (ctl.c): the wrapper's body is the scheduler's */
#define CTL() __builtin_expect(lv__ctl_on, 0)

/* ---- the real functions ---- */
#define REALS(X)                                                                                   \
    X(pthread_mutex_lock, int, (pthread_mutex_t *), NULL)                                          \
    X(pthread_mutex_trylock, int, (pthread_mutex_t *), NULL)                                       \
    X(pthread_mutex_timedlock, int, (pthread_mutex_t *, const struct timespec *), NULL)            \
    X(pthread_mutex_clocklock, int, (pthread_mutex_t *, clockid_t, const struct timespec *), NULL) \
    X(pthread_mutex_unlock, int, (pthread_mutex_t *), NULL)                                        \
    X(pthread_mutex_init, int, (pthread_mutex_t *, const pthread_mutexattr_t *), NULL)             \
    X(pthread_mutex_destroy, int, (pthread_mutex_t *), NULL)                                       \
    X(pthread_rwlock_rdlock, int, (pthread_rwlock_t *), NULL)                                      \
    X(pthread_rwlock_wrlock, int, (pthread_rwlock_t *), NULL)                                      \
    X(pthread_rwlock_tryrdlock, int, (pthread_rwlock_t *), NULL)                                   \
    X(pthread_rwlock_trywrlock, int, (pthread_rwlock_t *), NULL)                                   \
    X(pthread_rwlock_timedrdlock, int, (pthread_rwlock_t *, const struct timespec *), NULL)        \
    X(pthread_rwlock_timedwrlock, int, (pthread_rwlock_t *, const struct timespec *), NULL)        \
    X(pthread_rwlock_unlock, int, (pthread_rwlock_t *), NULL)                                      \
    X(pthread_rwlock_init, int, (pthread_rwlock_t *, const pthread_rwlockattr_t *), NULL)          \
    X(pthread_rwlock_destroy, int, (pthread_rwlock_t *), NULL)                                     \
    X(pthread_cond_init, int, (pthread_cond_t *, const pthread_condattr_t *), "GLIBC_2.3.2")       \
    X(pthread_cond_destroy, int, (pthread_cond_t *), "GLIBC_2.3.2")                                \
    X(pthread_cond_wait, int, (pthread_cond_t *, pthread_mutex_t *), "GLIBC_2.3.2")                \
    X(pthread_cond_timedwait, int, (pthread_cond_t *, pthread_mutex_t *, const struct timespec *), \
      "GLIBC_2.3.2")                                                                               \
    X(pthread_cond_clockwait, int,                                                                 \
      (pthread_cond_t *, pthread_mutex_t *, clockid_t, const struct timespec *), NULL)             \
    X(pthread_cond_signal, int, (pthread_cond_t *), "GLIBC_2.3.2")                                 \
    X(pthread_cond_broadcast, int, (pthread_cond_t *), "GLIBC_2.3.2")                              \
    X(sem_init, int, (sem_t *, int, unsigned), NULL)                                               \
    X(sem_destroy, int, (sem_t *), NULL)                                                           \
    X(sem_wait, int, (sem_t *), NULL)                                                              \
    X(sem_trywait, int, (sem_t *), NULL)                                                           \
    X(sem_timedwait, int, (sem_t *, const struct timespec *), NULL)                                \
    X(sem_clockwait, int, (sem_t *, clockid_t, const struct timespec *), NULL)                     \
    X(sem_post, int, (sem_t *), NULL)                                                              \
    X(sem_open, sem_t *, (const char *, int, ...), NULL)                                           \
    X(sem_close, int, (sem_t *), NULL)                                                             \
    X(pthread_barrier_init, int, (pthread_barrier_t *, const pthread_barrierattr_t *, unsigned),   \
      NULL)                                                                                        \
    X(pthread_barrier_destroy, int, (pthread_barrier_t *), NULL)                                   \
    X(pthread_barrier_wait, int, (pthread_barrier_t *), NULL)                                      \
    X(pthread_spin_init, int, (pthread_spinlock_t *, int), NULL)                                   \
    X(pthread_spin_destroy, int, (pthread_spinlock_t *), NULL)                                     \
    X(pthread_spin_lock, int, (pthread_spinlock_t *), NULL)                                        \
    X(pthread_spin_trylock, int, (pthread_spinlock_t *), NULL)                                     \
    X(pthread_spin_unlock, int, (pthread_spinlock_t *), NULL)                                      \
    X(pthread_create, int, (pthread_t *, const pthread_attr_t *, void *(*)(void *), void *), NULL) \
    X(pthread_join, int, (pthread_t, void **), NULL)                                               \
    X(pthread_detach, int, (pthread_t), NULL)                                                      \
    X(pthread_exit, void, (void *), NULL)                                                          \
    X(pthread_setname_np, int, (pthread_t, const char *), NULL)                                    \
    X(sleep, unsigned, (unsigned), NULL)                                                           \
    X(usleep, int, (useconds_t), NULL)                                                             \
    X(nanosleep, int, (const struct timespec *, struct timespec *), NULL)                          \
    X(clock_nanosleep, int, (clockid_t, int, const struct timespec *, struct timespec *), NULL)    \
    X(fork, pid_t, (void), NULL)                                                                   \
    X(exit, void, (int), NULL)

#define DECL(name, ret, args, ver) static ret(*real_##name) args;
REALS(DECL)
#undef DECL

static void *lookup(const char *name, const char *ver) {
    void *p = ver ? dlvsym(RTLD_NEXT, name, ver) : NULL;
    return p ? p : dlsym(RTLD_NEXT, name);
}

static TLS int resolving;
/* Looks every real function up once; a call made while dlsym runs finds NULL for the ones not
 * yet known (the wrappers then use glibc's own entry points, or fail with EAGAIN). */
static void resolve(void) {
    if (resolving) return;
    resolving = 1;
#define LOOK(name, ret, args, ver)                                                                 \
    if (!real_##name) {                                                                            \
        void *p = lookup(#name, ver);                                                              \
        memcpy(&real_##name, &p, sizeof p);                                                        \
    }
    REALS(LOOK)
#undef LOOK
    resolving = 0;
}
#define REAL(name) (LIKELY(real_##name) ? 0 : (resolve(), 0), real_##name)

/* ---- recording ---- */
static lv_rshm *shm;
static char *shm_base;
static int enabled; /* recording into shm (never in a forked child) */
static int pid;
static int use_tsc; /* shm->use_tsc, kept here: the header's lines are written by every thread */

typedef struct tstate {
    int32_t id1; /* the thread's id + 1; 0 until it has one */
    int32_t tid; /* kernel thread id */
    lv_rchunk *c;
    uint32_t n; /* slots of c used (c->n as this thread last published it) */
    uint32_t nchunks;
    int full;  /* no fresh chunk left: a record with no chunk handed back is counted as dropped */
    int ended; /* its end is recorded (pthread_exit, or cancelled) */
} tstate;
static TLS tstate ts;

/* One clock read per record: the cycle counter (platform.h) where lockviz scales it to ns. */
static inline uint64_t now(void) {
    if (CTL()) return (uint64_t)lv__ctl_vnow();
#if LV__HAVE_TICKS
    if (LIKELY(use_tsc)) return lv__cpu_ticks();
#endif
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

/* Bytes of the mapping from its start whose pages are mapped in this process. */
static _Atomic uint64_t mapped;
#define MAP_STEP (2u << 20)

/* Maps the pages up to end (and a step beyond) before a record lands in them: one call per
 * 2 MiB, by the thread that first needs them, not one fault per page (lockviz makes them ahead,
 * zero-filled, so this only maps them). */
static void map_ahead(uint64_t end) {
    uint64_t m = atomic_load_explicit(&mapped, memory_order_relaxed);
    uint64_t total = shm->chunk_off + (uint64_t)shm->nchunks * LV_RS_CHUNK_BYTES;
    while (end > m) {
        uint64_t to = end + MAP_STEP < total ? end + MAP_STEP : total;
        if (atomic_compare_exchange_weak_explicit(&mapped, &m, to, memory_order_relaxed,
                                                  memory_order_relaxed)) {
#ifdef MADV_POPULATE_WRITE
            madvise(shm_base + m, to - m, MADV_POPULATE_WRITE);
#endif
            return;
        }
    }
}

/* A chunk lockviz has handed back, or NULL when there is none. */
static lv_rchunk *reused_chunk(void) {
    uint64_t h = atomic_load_explicit(&shm->free_head, memory_order_relaxed);
    for (;;) {
        uint64_t t = atomic_load_explicit(&shm->free_tail, memory_order_acquire);
        if (h >= t) return NULL;
        /* read before the slot can be pushed again, which needs the head past h */
        uint32_t i =
            atomic_load_explicit(&shm->free_ring[h % LV_RS_FREE_CAP], memory_order_relaxed);
        if (atomic_compare_exchange_weak_explicit(&shm->free_head, &h, h + 1, memory_order_acquire,
                                                  memory_order_relaxed))
            return (lv_rchunk *)(shm_base + shm->chunk_off + (uint64_t)i * LV_RS_CHUNK_BYTES);
    }
}

/* The thread's next chunk, linked from its last one, or NULL when the buffer is full: one
 * handed back by lockviz (mapped already), else a fresh one (its pages mapped ahead, 2 MiB at
 * a time). A thread's first chunk is always fresh: lockviz finds it by scanning. Off the hot
 * path: once per chunk. */
static __attribute__((noinline, cold)) lv_rchunk *new_chunk(tstate *s) {
    lv_rchunk *old = s->c;
    if (old && s->n < LV_RS_CHUNK_RECS) { /* the chunk's last slot, too small for two */
        old->r[s->n].pkf = LV_RK_PAD << 8;
        atomic_store_explicit(&old->n, s->n + 1, memory_order_release);
    }
    lv_rchunk *c = old ? reused_chunk() : NULL;
    if (!c) {
        if (s->full) return NULL; /* until lockviz hands a chunk back */
        uint32_t i = atomic_fetch_add_explicit(&shm->next_chunk, 1, memory_order_relaxed);
        if (i >= shm->nchunks) {
            s->full = 1;
            return NULL;
        }
        c = (lv_rchunk *)(shm_base + shm->chunk_off + (uint64_t)i * LV_RS_CHUNK_BYTES);
        map_ahead((uint64_t)((char *)c - shm_base) + LV_RS_CHUNK_BYTES);
    }
    c->index = s->nchunks++;
    atomic_store_explicit(&c->thread1, s->id1, memory_order_release);
    if (old) {
        uint32_t num = (uint32_t)(((char *)c - shm_base - shm->chunk_off) / LV_RS_CHUNK_BYTES);
        atomic_store_explicit(&old->next, num + 1, memory_order_release);
    }
    s->c = c;
    s->n = 0;
    return c;
}

/* Appends one record (two slots with a value beside an object). The trace's total order is one
 * counter for all threads, taken by an atomic add after the call a record follows (an acquire)
 * or before the call it precedes (a release), so an acquire's seq is above the release it
 * came after. Ordering by the cycle counter instead would save the add (about 2.5 ns here) but
 * needs a fence before every acquire's clock read (rdtsc may run ahead of the lock taken
 * before it; lfence costs about 17 ns here). */
static inline void rec_raw(tstate *s, uint8_t kind, uint64_t obj, uint64_t pc, int64_t value,
                           uint8_t flags, uint32_t aux) {
    int has_obj = lv_rs_has_obj(kind);
    int two = has_obj && value != 0;
    lv_rchunk *c = s->c;
    uint32_t n = s->n;
    if (__builtin_expect(!c || n + 1 + two > LV_RS_CHUNK_RECS, 0)) {
        if (!(c = new_chunk(s))) {
            atomic_fetch_add_explicit(&shm->dropped, 1, memory_order_relaxed);
            return;
        }
        n = 0;
    }
    uint64_t seq = atomic_fetch_add_explicit(&shm->seq, 1, memory_order_relaxed);
    lv_rslot *r = &c->r[n];
    r->seq = seq;
    r->t = now();
    r->obj = has_obj ? obj : (uint64_t)value;
    r->pkf =
        pc << 16 | (uint64_t)(kind | (aux ? LV_RK_AUX : 0) | (two ? LV_RK_HASVAL : 0)) << 8 | flags;
    if (two) r[1].seq = (uint64_t)value;
    s->n = n + 1 + two;
    atomic_store_explicit(&c->n, s->n, memory_order_release);
}

static int32_t my_tid(void) {
    return (int32_t)syscall(SYS_gettid);
}

/* A thread the program did not start through pthread_create (or main before the constructor
 * gave it id 0) gets an id and a start at its first record. */
static void adopt(tstate *s) {
    s->id1 = atomic_fetch_add_explicit(&shm->next_thread, 1, memory_order_relaxed) + 1;
    s->tid = my_tid();
    rec_raw(s, 0 /* LV_EV_START */, (uint64_t)pthread_self(), 0, s->tid, 0, 0);
}

static inline void rec_aux(uint8_t kind, const void *obj, uint64_t pc, int64_t value, uint8_t flags,
                           uint32_t aux) {
    tstate *s = &ts;
    if (!s->id1) adopt(s);
    rec_raw(s, kind, (uint64_t)(uintptr_t)obj, pc, value, flags, aux);
}
static inline void rec(uint8_t kind, const void *obj, uint64_t pc, int64_t value, uint8_t flags) {
    rec_aux(kind, obj, pc, value, flags, 0);
}

/* Copies text into the shared text area; its offset, or -1 when the area is full. */
static int64_t put_text(const char *t) {
    size_t len = strlen(t);
    if (len > 4000) len = 4000;
    uint64_t need = (len + 1 + 7) & ~(uint64_t)7;
    uint64_t off = atomic_fetch_add_explicit(&shm->text_used, need, memory_order_relaxed);
    if (off + need > shm->text_cap) return -1;
    memcpy(shm_base + shm->text_off + off, t, len);
    shm_base[shm->text_off + off + len] = 0;
    return (int64_t)off;
}

#define ON() LIKELY(enabled)

void lv__prec(uint8_t kind, const void *obj, uint64_t pc, int64_t value, uint8_t flags,
              uint32_t aux) {
    rec_aux(kind, obj, pc, value, flags, aux);
}

/* ---- the modules the program's code lives in, for lockviz to find file:line ---- */
static int add_module(struct dl_phdr_info *info, size_t size, void *ctx) {
    (void)size;
    (void)ctx;
    uint32_t n = atomic_load_explicit(&shm->nmods, memory_order_relaxed);
    if (n >= LV_RS_MAX_MODS) return 1;
    uint64_t lo = UINT64_MAX, hi = 0;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *p = &info->dlpi_phdr[i];
        if (p->p_type != PT_LOAD) continue;
        uint64_t a = info->dlpi_addr + p->p_vaddr;
        if (a < lo) lo = a;
        if (a + p->p_memsz > hi) hi = a + p->p_memsz;
    }
    if (hi <= lo) return 0;
    lv_rmod *m = &shm->mods[n];
    m->lo = lo;
    m->hi = hi;
    m->bias = info->dlpi_addr;
    const char *name = info->dlpi_name;
    if (!name || !*name) { /* the program itself */
        ssize_t k = readlink("/proc/self/exe", m->path, sizeof m->path - 1);
        m->path[k > 0 ? k : 0] = 0;
    } else {
        snprintf(m->path, sizeof m->path, "%s", name);
    }
    atomic_store_explicit(&shm->nmods, n + 1, memory_order_release);
    return 0;
}

__attribute__((constructor(101))) static void preload_init(void) {
    resolve();
    const char *fdv = getenv(LV_RS_ENV_FD);
    if (!fdv) return;
    int fd = atoi(fdv);
    lv_rshm h;
    if (pread(fd, &h, sizeof h, 0) != (ssize_t)sizeof h || h.magic != LV_RS_MAGIC) return;
    pid = getpid();
    if (h.pid != pid) return; /* a program the recorded one started: not recorded */
    size_t len = h.chunk_off + (size_t)h.nchunks * LV_RS_CHUNK_BYTES;
    void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) return;
    close(fd);
    unsetenv(LV_RS_ENV_FD);
    shm = p;
    shm_base = p;
    use_tsc = h.use_tsc;
#ifdef MADV_POPULATE_WRITE
    /* the pages lockviz made: mapped now, in one call, not one fault each while recording */
    if (h.made) madvise(p, h.made < len ? h.made : len, MADV_POPULATE_WRITE);
#endif
    atomic_store_explicit(&mapped, h.made < len ? h.made : len, memory_order_relaxed);
    dl_iterate_phdr(add_module, NULL);
    lv__ctl_init(); /* before main's first record, whose time is then virtual */
    /* main is thread 0 */
    ts.id1 = atomic_fetch_add_explicit(&shm->next_thread, 1, memory_order_relaxed) + 1;
    ts.tid = my_tid();
    rec_raw(&ts, 0 /* LV_EV_START */, (uint64_t)pthread_self(), 0, ts.tid, 0, 0);
    atomic_store_explicit(&shm->ready, 1, memory_order_release);
    enabled = 1;
}

/* main's end when it returns from main (exit runs in the main thread) */
__attribute__((destructor)) static void preload_fini(void) {
    if (ON() && my_tid() == pid && ts.id1 == 1) rec(1 /* LV_EV_END */, NULL, 0, 0, 0);
}

/* event kinds of the trace (lv_event_kind), as the preload writes them */
enum {
    K_START,
    K_END,
    K_SPAWN,
    K_JOIN,
    K_REQUEST,
    K_ACQUIRE,
    K_RELEASE,
    K_TIMEOUT,
    K_SET,
    K_CLEAR,
    K_NOTIFY,
    K_READ,
    K_WRITE,
    K_SLEEP,
    K_NOTE
};

static int64_t ts_ns(const struct timespec *t) {
    return (int64_t)t->tv_sec * 1000000000 + t->tv_nsec;
}
/* The ns from now until the absolute time abs on clock ck (0 if past). */
static int64_t until(clockid_t ck, const struct timespec *abs) {
    if (!abs) return 0;
    struct timespec n;
    clock_gettime(ck, &n);
    int64_t d = ts_ns(abs) - ts_ns(&n);
    return d > 0 ? d : 0;
}

/* ---- mutexes ---- */
static inline uint8_t mkind(const pthread_mutex_t *m) {
    switch (m->__data.__kind & 3) {
    case PTHREAD_MUTEX_RECURSIVE_NP:
        return LV_RO_RECURSIVE;
    case PTHREAD_MUTEX_ERRORCHECK_NP:
        return LV_RO_ERRORCHECK;
    default:
        return LV_RO_MUTEX;
    }
}
uint8_t lv__pmkind(const pthread_mutex_t *m) {
    return mkind(m);
}
/* The flags of an unlock's release record by this thread: an error-checking or recursive mutex
 * refuses (EPERM) an unlock by a thread that is not its owner, and glibc keeps that owner's
 * kernel thread id in it, so the refusal is known before the call (only this thread can make
 * itself the owner). */
static uint8_t unlock_flags(tstate *s, const pthread_mutex_t *m) {
    if (!s->id1) adopt(s);
    uint8_t k = mkind(m);
    if (k != LV_RO_MUTEX && m->__data.__owner != s->tid) k |= LV_RF_REFUSED;
    return k;
}
uint8_t lv__punlock_flags(const pthread_mutex_t *m) {
    return unlock_flags(&ts, m);
}

/* A mutex call made while dlsym itself runs (from a malloc of the program's that locks, before
 * main: one thread) finds no real function yet; it succeeds without locking. */
static int m_trylock(pthread_mutex_t *m) {
    return REAL(pthread_mutex_trylock) ? real_pthread_mutex_trylock(m) : 0;
}
static int m_lock(pthread_mutex_t *m) {
    return REAL(pthread_mutex_lock) ? real_pthread_mutex_lock(m) : 0;
}
static int m_unlock(pthread_mutex_t *m) {
    return REAL(pthread_mutex_unlock) ? real_pthread_mutex_unlock(m) : 0;
}
static int got(int r) {
    return r == 0 || r == EOWNERDEAD;
}
/* An error-checking mutex's relock fails at once with EDEADLK: the thread did not wait. */
static uint8_t refused(int r) {
    return r == EDEADLK ? LV_RF_REFUSED : 0;
}

EXPORT int pthread_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *a) {
    int r = REAL(pthread_mutex_init) ? real_pthread_mutex_init(m, a) : 0;
    if (ON() && r == 0) rec(LV_RK_INIT, m, PC(), 0, mkind(m));
    if (ON() && CTL() && r == 0) lv__ctl_forget(m);
    return r;
}

EXPORT int pthread_mutex_destroy(pthread_mutex_t *m) {
    if (ON()) rec(LV_RK_DESTROY, m, PC(), 0, mkind(m));
    return REAL(pthread_mutex_destroy) ? real_pthread_mutex_destroy(m) : 0;
}

EXPORT int pthread_mutex_lock(pthread_mutex_t *m) {
    if (!ON()) return m_lock(m);
    uint64_t pc = PC();
    if (CTL()) return lv__ctl_mutex_lock(m, 0, 0, NULL, pc);
    uint8_t k = mkind(m);
    int r = m_trylock(m);
    if (got(r)) {
        rec(K_ACQUIRE, m, pc, 0, k | LV_RF_REQ);
        return r;
    }
    rec(K_REQUEST, m, pc, 0, k);
    r = m_lock(m);
    rec(got(r) ? K_ACQUIRE : K_TIMEOUT, m, pc, 0, k | refused(r));
    return r;
}

EXPORT int pthread_mutex_trylock(pthread_mutex_t *m) {
    if (ON() && CTL()) return lv__ctl_mutex_lock(m, 1, 0, NULL, PC());
    int r = m_trylock(m);
    if (!ON()) return r;
    uint64_t pc = PC();
    uint8_t k = mkind(m);
    if (got(r)) {
        rec(K_ACQUIRE, m, pc, 0, k | LV_RF_REQ | LV_RF_TIMED);
    } else {
        rec(K_REQUEST, m, pc, 0, k | LV_RF_TIMED);
        rec(K_TIMEOUT, m, pc, 0, k);
    }
    return r;
}

static int timed_lock(pthread_mutex_t *m, clockid_t ck, const struct timespec *abs, int clock,
                      uint64_t pc) {
    int r;
    if (!ON()) goto plain;
    if (CTL()) return lv__ctl_mutex_lock(m, 2, ck, abs, pc);
    uint8_t k = mkind(m);
    r = m_trylock(m);
    if (got(r)) {
        rec(K_ACQUIRE, m, pc, until(ck, abs), k | LV_RF_REQ | LV_RF_TIMED);
        return r;
    }
    rec(K_REQUEST, m, pc, until(ck, abs), k | LV_RF_TIMED);
    r = clock ? REAL(pthread_mutex_clocklock)(m, ck, abs) : REAL(pthread_mutex_timedlock)(m, abs);
    rec(got(r) ? K_ACQUIRE : K_TIMEOUT, m, pc, 0, k | refused(r));
    return r;
plain:
    return clock ? REAL(pthread_mutex_clocklock)(m, ck, abs)
                 : REAL(pthread_mutex_timedlock)(m, abs);
}

EXPORT int pthread_mutex_timedlock(pthread_mutex_t *m, const struct timespec *abs) {
    return timed_lock(m, CLOCK_REALTIME, abs, 0, PC());
}

EXPORT int pthread_mutex_clocklock(pthread_mutex_t *m, clockid_t ck, const struct timespec *abs) {
    return timed_lock(m, ck, abs, 1, PC());
}

EXPORT int pthread_mutex_unlock(pthread_mutex_t *m) {
    if (ON() && CTL()) return lv__ctl_mutex_unlock(m, PC());
    /* recorded before the unlock, so the next holder's acquire comes after it */
    if (ON()) rec_raw(&ts, K_RELEASE, (uint64_t)(uintptr_t)m, PC(), 0, unlock_flags(&ts, m), 0);
    return m_unlock(m);
}

/* ---- rwlocks ---- */
static int rw_none(pthread_rwlock_t *l) {
    (void)l;
    return EAGAIN;
}
static int rw_none2(pthread_rwlock_t *l, const pthread_rwlockattr_t *a) {
    (void)l;
    (void)a;
    return EAGAIN;
}
#define RW_NONE(name)                                                                              \
    _Generic(real_pthread_rwlock_##name, int (*)(pthread_rwlock_t *, const pthread_rwlockattr_t *) \
             : rw_none2, default                                                                   \
             : rw_none)
#define RW(name) (REAL(pthread_rwlock_##name) ? real_pthread_rwlock_##name : RW_NONE(name))

EXPORT int pthread_rwlock_init(pthread_rwlock_t *l, const pthread_rwlockattr_t *a) {
    int r = RW(init)(l, a);
    if (ON() && r == 0) rec(LV_RK_INIT, l, PC(), 0, LV_RO_RWLOCK);
    if (ON() && CTL() && r == 0) lv__ctl_forget(l);
    return r;
}

EXPORT int pthread_rwlock_destroy(pthread_rwlock_t *l) {
    if (ON()) rec(LV_RK_DESTROY, l, PC(), 0, LV_RO_RWLOCK);
    return RW(destroy)(l);
}

static int rw_lock(pthread_rwlock_t *l, int shared, uint64_t pc) {
    int (*tryf)(pthread_rwlock_t *) = shared ? RW(tryrdlock) : RW(trywrlock);
    int (*lockf)(pthread_rwlock_t *) = shared ? RW(rdlock) : RW(wrlock);
    if (!ON()) return lockf(l);
    if (CTL()) return lv__ctl_rw_lock(l, shared, 0, NULL, pc);
    uint8_t f = LV_RO_RWLOCK | (shared ? LV_RF_SHARED : 0);
    int r = tryf(l);
    if (r == 0) {
        rec(K_ACQUIRE, l, pc, 0, f | LV_RF_REQ);
        return 0;
    }
    rec(K_REQUEST, l, pc, 0, f);
    r = lockf(l);
    rec(r == 0 ? K_ACQUIRE : K_TIMEOUT, l, pc, 0, f);
    return r;
}

static int rw_try(pthread_rwlock_t *l, int shared, uint64_t pc) {
    if (ON() && CTL()) return lv__ctl_rw_lock(l, shared, 1, NULL, pc);
    int r = shared ? RW(tryrdlock)(l) : RW(trywrlock)(l);
    if (!ON()) return r;
    uint8_t f = LV_RO_RWLOCK | (shared ? LV_RF_SHARED : 0);
    if (r == 0) {
        rec(K_ACQUIRE, l, pc, 0, f | LV_RF_REQ | LV_RF_TIMED);
    } else {
        rec(K_REQUEST, l, pc, 0, f | LV_RF_TIMED);
        rec(K_TIMEOUT, l, pc, 0, f);
    }
    return r;
}

static int rw_timed(pthread_rwlock_t *l, int shared, const struct timespec *abs, uint64_t pc) {
    int r;
    if (!ON())
        return shared ? REAL(pthread_rwlock_timedrdlock)(l, abs)
                      : REAL(pthread_rwlock_timedwrlock)(l, abs);
    if (CTL()) return lv__ctl_rw_lock(l, shared, 2, abs, pc);
    uint8_t f = LV_RO_RWLOCK | (shared ? LV_RF_SHARED : 0);
    r = shared ? RW(tryrdlock)(l) : RW(trywrlock)(l);
    if (r == 0) {
        rec(K_ACQUIRE, l, pc, until(CLOCK_REALTIME, abs), f | LV_RF_REQ | LV_RF_TIMED);
        return 0;
    }
    rec(K_REQUEST, l, pc, until(CLOCK_REALTIME, abs), f | LV_RF_TIMED);
    r = shared ? REAL(pthread_rwlock_timedrdlock)(l, abs)
               : REAL(pthread_rwlock_timedwrlock)(l, abs);
    rec(r == 0 ? K_ACQUIRE : K_TIMEOUT, l, pc, 0, f);
    return r;
}

EXPORT int pthread_rwlock_rdlock(pthread_rwlock_t *l) {
    return rw_lock(l, 1, PC());
}
EXPORT int pthread_rwlock_wrlock(pthread_rwlock_t *l) {
    return rw_lock(l, 0, PC());
}
EXPORT int pthread_rwlock_tryrdlock(pthread_rwlock_t *l) {
    return rw_try(l, 1, PC());
}
EXPORT int pthread_rwlock_trywrlock(pthread_rwlock_t *l) {
    return rw_try(l, 0, PC());
}
EXPORT int pthread_rwlock_timedrdlock(pthread_rwlock_t *l, const struct timespec *abs) {
    return rw_timed(l, 1, abs, PC());
}
EXPORT int pthread_rwlock_timedwrlock(pthread_rwlock_t *l, const struct timespec *abs) {
    return rw_timed(l, 0, abs, PC());
}
EXPORT int pthread_rwlock_unlock(pthread_rwlock_t *l) {
    if (ON() && CTL()) return lv__ctl_rw_unlock(l, PC());
    if (ON()) rec(K_RELEASE, l, PC(), 0, LV_RO_RWLOCK);
    return RW(unlock)(l);
}

/* ---- condition variables (glibc's GLIBC_2.3.2 versions) ---- */
EXPORT int pthread_cond_init(pthread_cond_t *c, const pthread_condattr_t *a) {
    if (!REAL(pthread_cond_init)) return EAGAIN;
    int r = real_pthread_cond_init(c, a);
    if (ON() && r == 0) rec(LV_RK_INIT, c, PC(), 0, LV_RO_COND);
    return r;
}

EXPORT int pthread_cond_destroy(pthread_cond_t *c) {
    if (!REAL(pthread_cond_destroy)) return EAGAIN;
    if (ON()) rec(LV_RK_DESTROY, c, PC(), 0, LV_RO_COND);
    return real_pthread_cond_destroy(c);
}

/* request(cond), then release(mutex) marked as the wait's (aux 1: lockviz learns the
 * condition's mutex from it); after: acquire(cond) or timeout(cond), then the mutex again.
 * An error-checking or recursive mutex the thread does not own refuses the wait's unlock:
 * glibc's wait then returns EPERM at once, the mutex untouched (cw_before says so, and
 * cw_after records only the wait's end). */
static int cw_before(pthread_cond_t *c, pthread_mutex_t *m, uint64_t pc, int64_t tmo, int timed) {
    rec(K_REQUEST, c, pc, tmo, LV_RO_COND | (timed ? LV_RF_TIMED : 0));
    uint8_t k = unlock_flags(&ts, m);
    rec_aux(K_RELEASE, m, pc, 0, k, 1);
    return (k & LV_RF_REFUSED) != 0;
}
static void cw_after(pthread_cond_t *c, pthread_mutex_t *m, uint64_t pc, int r, int eperm) {
    rec(r == 0 ? K_ACQUIRE : K_TIMEOUT, c, pc, 0, LV_RO_COND);
    if (!eperm) rec_aux(K_ACQUIRE, m, pc, 0, mkind(m) | LV_RF_REQ, 1);
}

/* A wait cancelled: glibc takes the mutex again before the cleanup handlers run, ours first */
typedef struct cw_ctx {
    pthread_cond_t *c;
    pthread_mutex_t *m;
    uint64_t pc;
} cw_ctx;
static void cw_cancelled(void *p) {
    cw_ctx *x = p;
    if (ON()) cw_after(x->c, x->m, x->pc, ECANCELED, 0);
}

EXPORT int pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m) {
    if (!REAL(pthread_cond_wait)) return EAGAIN;
    if (!ON()) return real_pthread_cond_wait(c, m);
    uint64_t pc = PC();
    if (CTL()) return lv__ctl_cond_wait(c, m, CLOCK_REALTIME, NULL, pc);
    int eperm = cw_before(c, m, pc, 0, 0);
    int r;
    cw_ctx x = {c, m, pc};
    pthread_cleanup_push(cw_cancelled, &x);
    r = real_pthread_cond_wait(c, m);
    pthread_cleanup_pop(0);
    cw_after(c, m, pc, r, eperm);
    return r;
}

EXPORT int pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m,
                                  const struct timespec *abs) {
    if (!REAL(pthread_cond_timedwait)) return EAGAIN;
    if (!ON()) return real_pthread_cond_timedwait(c, m, abs);
    uint64_t pc = PC();
    if (CTL()) return lv__ctl_cond_wait(c, m, CLOCK_REALTIME, abs, pc);
    int eperm = cw_before(c, m, pc, until(CLOCK_REALTIME, abs), 1);
    int r;
    cw_ctx x = {c, m, pc};
    pthread_cleanup_push(cw_cancelled, &x);
    r = real_pthread_cond_timedwait(c, m, abs);
    pthread_cleanup_pop(0);
    cw_after(c, m, pc, r, eperm);
    return r;
}

EXPORT int pthread_cond_clockwait(pthread_cond_t *c, pthread_mutex_t *m, clockid_t ck,
                                  const struct timespec *abs) {
    if (!REAL(pthread_cond_clockwait)) return EAGAIN;
    if (!ON()) return real_pthread_cond_clockwait(c, m, ck, abs);
    uint64_t pc = PC();
    if (CTL()) return lv__ctl_cond_wait(c, m, ck, abs, pc);
    int eperm = cw_before(c, m, pc, until(ck, abs), 1);
    int r;
    cw_ctx x = {c, m, pc};
    pthread_cleanup_push(cw_cancelled, &x);
    r = real_pthread_cond_clockwait(c, m, ck, abs);
    pthread_cleanup_pop(0);
    cw_after(c, m, pc, r, eperm);
    return r;
}

EXPORT int pthread_cond_signal(pthread_cond_t *c) {
    if (!REAL(pthread_cond_signal)) return EAGAIN;
    if (ON() && CTL()) return lv__ctl_cond_notify(c, 0, PC());
    if (ON()) rec(K_NOTIFY, c, PC(), 0, LV_RO_COND);
    return real_pthread_cond_signal(c);
}

EXPORT int pthread_cond_broadcast(pthread_cond_t *c) {
    if (!REAL(pthread_cond_broadcast)) return EAGAIN;
    if (ON() && CTL()) return lv__ctl_cond_notify(c, 1, PC());
    if (ON()) rec(K_NOTIFY, c, PC(), 0, LV_RO_COND | LV_RF_ALL);
    return real_pthread_cond_broadcast(c);
}

/* ---- semaphores ---- */
EXPORT int sem_init(sem_t *s, int pshared, unsigned value) {
    if (!REAL(sem_init)) return errno = EAGAIN, -1;
    int r = real_sem_init(s, pshared, value);
    if (ON() && r == 0) rec(LV_RK_INIT, s, PC(), value, LV_RO_SEM);
    return r;
}

EXPORT int sem_destroy(sem_t *s) {
    if (!REAL(sem_destroy)) return errno = EAGAIN, -1;
    if (ON()) rec(LV_RK_DESTROY, s, PC(), 0, LV_RO_SEM);
    return real_sem_destroy(s);
}

EXPORT sem_t *sem_open(const char *name, int oflag, ...) {
    unsigned value = 0;
    mode_t mode = 0;
    if (oflag & O_CREAT) {
        va_list ap;
        va_start(ap, oflag);
        mode = (mode_t)va_arg(ap, int);
        value = va_arg(ap, unsigned);
        va_end(ap);
    }
    if (!REAL(sem_open)) return errno = EAGAIN, SEM_FAILED;
    sem_t *s = real_sem_open(name, oflag, mode, value);
    if (ON() && s != SEM_FAILED) {
        int v = 0;
        sem_getvalue(s, &v);
        uint64_t pc = PC();
        rec(LV_RK_INIT, s, pc, v, LV_RO_SEM);
        int64_t off = put_text(name);
        if (off >= 0) rec(LV_RK_NAME, s, pc, off, LV_RO_SEM);
    }
    return s;
}

EXPORT int sem_close(sem_t *s) {
    if (!REAL(sem_close)) return errno = EAGAIN, -1;
    if (ON()) rec(LV_RK_DESTROY, s, PC(), 0, LV_RO_SEM);
    return real_sem_close(s);
}

EXPORT int sem_wait(sem_t *s) {
    if (!REAL(sem_wait) || !REAL(sem_trywait)) return errno = EAGAIN, -1;
    if (!ON()) return real_sem_wait(s);
    uint64_t pc = PC();
    if (CTL()) return lv__ctl_sem_wait(s, 0, 0, NULL, pc);
    int e = errno;
    if (real_sem_trywait(s) == 0) {
        rec(K_ACQUIRE, s, pc, 0, LV_RO_SEM | LV_RF_REQ);
        return 0;
    }
    errno = e;
    rec(K_REQUEST, s, pc, 0, LV_RO_SEM);
    int r = real_sem_wait(s);
    e = errno;
    rec(r == 0 ? K_ACQUIRE : K_TIMEOUT, s, pc, 0, LV_RO_SEM);
    errno = e;
    return r;
}

EXPORT int sem_trywait(sem_t *s) {
    if (!REAL(sem_trywait)) return errno = EAGAIN, -1;
    if (ON() && CTL()) return lv__ctl_sem_wait(s, 1, 0, NULL, PC());
    int r = real_sem_trywait(s);
    if (!ON()) return r;
    int e = errno;
    uint64_t pc = PC();
    if (r == 0) {
        rec(K_ACQUIRE, s, pc, 0, LV_RO_SEM | LV_RF_REQ | LV_RF_TIMED);
    } else {
        rec(K_REQUEST, s, pc, 0, LV_RO_SEM | LV_RF_TIMED);
        rec(K_TIMEOUT, s, pc, 0, LV_RO_SEM);
    }
    errno = e;
    return r;
}

static int sem_timed(sem_t *s, clockid_t ck, const struct timespec *abs, int clock, uint64_t pc) {
    if (!REAL(sem_timedwait) || !REAL(sem_clockwait) || !REAL(sem_trywait))
        return errno = EAGAIN, -1;
    if (!ON()) return clock ? real_sem_clockwait(s, ck, abs) : real_sem_timedwait(s, abs);
    if (CTL()) return lv__ctl_sem_wait(s, 2, ck, abs, pc);
    int e = errno;
    if (real_sem_trywait(s) == 0) {
        rec(K_ACQUIRE, s, pc, until(ck, abs), LV_RO_SEM | LV_RF_REQ | LV_RF_TIMED);
        return 0;
    }
    errno = e;
    rec(K_REQUEST, s, pc, until(ck, abs), LV_RO_SEM | LV_RF_TIMED);
    int r = clock ? real_sem_clockwait(s, ck, abs) : real_sem_timedwait(s, abs);
    e = errno;
    rec(r == 0 ? K_ACQUIRE : K_TIMEOUT, s, pc, 0, LV_RO_SEM);
    errno = e;
    return r;
}

EXPORT int sem_timedwait(sem_t *s, const struct timespec *abs) {
    return sem_timed(s, CLOCK_REALTIME, abs, 0, PC());
}

EXPORT int sem_clockwait(sem_t *s, clockid_t ck, const struct timespec *abs) {
    return sem_timed(s, ck, abs, 1, PC());
}

EXPORT int sem_post(sem_t *s) {
    if (!REAL(sem_post)) return errno = EAGAIN, -1;
    if (ON() && CTL()) return lv__ctl_sem_post(s, PC());
    if (ON()) rec(K_RELEASE, s, PC(), 0, LV_RO_SEM);
    return real_sem_post(s);
}

/* ---- barriers ---- */
EXPORT int pthread_barrier_init(pthread_barrier_t *b, const pthread_barrierattr_t *a,
                                unsigned count) {
    if (!REAL(pthread_barrier_init)) return EAGAIN;
    int r = real_pthread_barrier_init(b, a, count);
    if (ON() && r == 0) rec(LV_RK_INIT, b, PC(), count, LV_RO_BARRIER);
    if (ON() && CTL() && r == 0) lv__ctl_barrier_init(b, count);
    return r;
}

EXPORT int pthread_barrier_destroy(pthread_barrier_t *b) {
    if (!REAL(pthread_barrier_destroy)) return EAGAIN;
    if (ON()) rec(LV_RK_DESTROY, b, PC(), 0, LV_RO_BARRIER);
    return real_pthread_barrier_destroy(b);
}

EXPORT int pthread_barrier_wait(pthread_barrier_t *b) {
    if (!REAL(pthread_barrier_wait)) return EAGAIN;
    if (!ON()) return real_pthread_barrier_wait(b);
    if (CTL()) return lv__ctl_barrier_wait(b, PC());
    uint64_t pc = PC();
    rec(K_REQUEST, b, pc, 0, LV_RO_BARRIER);
    int r = real_pthread_barrier_wait(b);
    rec(r == 0 || r == PTHREAD_BARRIER_SERIAL_THREAD ? K_ACQUIRE : K_TIMEOUT, b, pc, 0,
        LV_RO_BARRIER);
    return r;
}

/* ---- spinlocks (the trace's mutex) ---- */
EXPORT int pthread_spin_init(pthread_spinlock_t *l, int pshared) {
    if (!REAL(pthread_spin_init)) return EAGAIN;
    int r = real_pthread_spin_init(l, pshared);
    if (ON() && r == 0) rec(LV_RK_INIT, (const void *)l, PC(), 0, LV_RO_SPIN);
    if (ON() && CTL() && r == 0) lv__ctl_forget((const void *)l);
    return r;
}

EXPORT int pthread_spin_destroy(pthread_spinlock_t *l) {
    if (!REAL(pthread_spin_destroy)) return EAGAIN;
    if (ON()) rec(LV_RK_DESTROY, (const void *)l, PC(), 0, LV_RO_SPIN);
    return real_pthread_spin_destroy(l);
}

EXPORT int pthread_spin_lock(pthread_spinlock_t *l) {
    if (!REAL(pthread_spin_lock) || !REAL(pthread_spin_trylock)) return EAGAIN;
    if (!ON()) return real_pthread_spin_lock(l);
    uint64_t pc = PC();
    if (CTL()) return lv__ctl_spin_lock(l, 0, pc);
    if (real_pthread_spin_trylock(l) == 0) {
        rec(K_ACQUIRE, (const void *)l, pc, 0, LV_RO_SPIN | LV_RF_REQ);
        return 0;
    }
    rec(K_REQUEST, (const void *)l, pc, 0, LV_RO_SPIN);
    int r = real_pthread_spin_lock(l);
    rec(r == 0 ? K_ACQUIRE : K_TIMEOUT, (const void *)l, pc, 0, LV_RO_SPIN);
    return r;
}

EXPORT int pthread_spin_trylock(pthread_spinlock_t *l) {
    if (!REAL(pthread_spin_trylock)) return EAGAIN;
    if (ON() && CTL()) return lv__ctl_spin_lock(l, 1, PC());
    int r = real_pthread_spin_trylock(l);
    if (!ON()) return r;
    uint64_t pc = PC();
    if (r == 0) {
        rec(K_ACQUIRE, (const void *)l, pc, 0, LV_RO_SPIN | LV_RF_REQ | LV_RF_TIMED);
    } else {
        rec(K_REQUEST, (const void *)l, pc, 0, LV_RO_SPIN | LV_RF_TIMED);
        rec(K_TIMEOUT, (const void *)l, pc, 0, LV_RO_SPIN);
    }
    return r;
}

EXPORT int pthread_spin_unlock(pthread_spinlock_t *l) {
    if (!REAL(pthread_spin_unlock)) return EAGAIN;
    if (ON() && CTL()) return lv__ctl_spin_unlock(l, PC());
    if (ON()) rec(K_RELEASE, (const void *)l, PC(), 0, LV_RO_SPIN);
    return real_pthread_spin_unlock(l);
}

/* ---- threads ---- */
typedef struct boot {
    void *(*fn)(void *);
    void *arg;
    int32_t id;
} boot;

/* A thread cancelled (or leaving by pthread_exit) ends here: its end is recorded once. */
static void thread_gone(void *unused) {
    (void)unused;
    if (ON() && !ts.ended) {
        ts.ended = 1;
        rec(K_END, NULL, 0, 0, 0);
        if (CTL()) lv__ctl_end();
    }
}

static void *boot_main(void *p) {
    boot b = *(boot *)p;
    free(p);
    if (ON() && CTL()) lv__ctl_enter(b.id);
    if (ON()) {
        ts.id1 = b.id + 1;
        ts.tid = my_tid();
        rec(K_START, (const void *)pthread_self(), 0, ts.tid, 0);
    }
    void *ret;
    pthread_cleanup_push(thread_gone, NULL);
    ret = b.fn(b.arg);
    pthread_cleanup_pop(0);
    thread_gone(NULL);
    return ret;
}

EXPORT int pthread_create(pthread_t *t, const pthread_attr_t *a, void *(*fn)(void *), void *arg) {
    if (!REAL(pthread_create)) return EAGAIN;
    if (!ON()) return real_pthread_create(t, a, fn, arg);
    uint64_t pc = PC();
    if (CTL()) lv__ctl_point();
    boot *b = malloc(sizeof *b);
    if (!b) return EAGAIN;
    b->fn = fn;
    b->arg = arg;
    if (!ts.id1) adopt(&ts);
    b->id = atomic_fetch_add_explicit(&shm->next_thread, 1, memory_order_relaxed);
    rec(K_SPAWN, NULL, pc, b->id, 0);
    if (CTL()) lv__ctl_spawn(b->id);
    int r = real_pthread_create(t, a, boot_main, b);
    if (CTL()) lv__ctl_spawned(b->id, r == 0 ? *t : 0, r == 0);
    if (r != 0) {
        rec(LV_RK_NOSPAWN, NULL, pc, b->id, 0);
        free(b);
    } else {
        rec(LV_RK_SPAWNED, (const void *)*t, pc, b->id, 0);
    }
    return r;
}

EXPORT int pthread_join(pthread_t t, void **ret) {
    if (!REAL(pthread_join)) return EAGAIN;
    if (ON() && CTL()) return lv__ctl_join(t, ret, PC());
    if (ON()) rec(K_JOIN, (const void *)t, PC(), 0, 0);
    return real_pthread_join(t, ret);
}

EXPORT int pthread_detach(pthread_t t) {
    if (!REAL(pthread_detach)) return EAGAIN;
    if (ON()) rec(LV_RK_DETACH, (const void *)t, PC(), 0, 0);
    return real_pthread_detach(t);
}

EXPORT void pthread_exit(void *ret) {
    if (ON() && !ts.ended) {
        ts.ended = 1;
        rec(K_END, NULL, PC(), 0, 0);
        if (CTL()) lv__ctl_end();
    }
    REAL(pthread_exit)(ret);
    __builtin_unreachable();
}

EXPORT int pthread_setname_np(pthread_t t, const char *name) {
    if (!REAL(pthread_setname_np)) return EAGAIN;
    int r = real_pthread_setname_np(t, name);
    if (ON() && r == 0) {
        int64_t off = put_text(name);
        if (off >= 0) rec(LV_RK_NAME, (const void *)t, PC(), off, 0);
    }
    return r;
}

/* ---- sleeps ---- */
EXPORT unsigned sleep(unsigned s) {
    if (ON() && CTL()) return (unsigned)lv__ctl_sleep((int64_t)s * 1000000000, 0, NULL, PC());
    if (ON()) rec(K_SLEEP, NULL, PC(), (int64_t)s * 1000000000, 0);
    return REAL(sleep)(s);
}

EXPORT int usleep(useconds_t us) {
    if (ON() && CTL()) return lv__ctl_sleep((int64_t)us * 1000, 0, NULL, PC());
    if (ON()) rec(K_SLEEP, NULL, PC(), (int64_t)us * 1000, 0);
    return REAL(usleep)(us);
}

EXPORT int nanosleep(const struct timespec *req, struct timespec *rem) {
    if (ON() && CTL() && req) return lv__ctl_sleep(ts_ns(req), 0, NULL, PC());
    if (ON() && req) rec(K_SLEEP, NULL, PC(), ts_ns(req) > 0 ? ts_ns(req) : 0, 0);
    return REAL(nanosleep)(req, rem);
}

EXPORT int clock_nanosleep(clockid_t ck, int flags, const struct timespec *req,
                           struct timespec *rem) {
    if (ON() && CTL() && req)
        return lv__ctl_sleep(ts_ns(req), ck, flags & TIMER_ABSTIME ? req : NULL, PC());
    if (ON() && req)
        rec(K_SLEEP, NULL, PC(), flags & TIMER_ABSTIME ? until(ck, req) : ts_ns(req), 0);
    return REAL(clock_nanosleep)(ck, flags, req, rem);
}

/* ---- processes ---- */
EXPORT pid_t fork(void) {
    if (!REAL(fork)) return errno = EAGAIN, -1;
    if (ON() && CTL()) lv__ctl_point();
    pid_t p = real_fork();
    if (p == 0) {
        enabled = 0; /* the child records nothing */
        lv__ctl_forked();
    } else if (p > 0 && ON()) {
        rec(LV_RK_FORK, NULL, PC(), p, 0);
    }
    return p;
}

EXPORT void exit(int status) {
    if (ON()) rec(LV_RK_EXIT, NULL, PC(), status, 0);
    REAL(exit)(status);
    __builtin_unreachable();
}
