/* The shared buffer between a recorded program (core/preload/preload.c, loaded with
 * LD_PRELOAD) and the lockviz process that records it (core/src/record.c): one memfd that both
 * map. The program's threads append fixed-size records to chunks of their own, with no lock and
 * no system call; lockviz reads them while the program runs (its watchdog) and after it ends,
 * however it ended. It holds raw facts (addresses, return addresses, ticks), not trace ids. */
#ifndef LV_RECSHM_H
#define LV_RECSHM_H

#include <stdatomic.h>
#include <stdint.h>

#define LV_RS_MAGIC 0x3176617263657231ULL /* "1recrav1" */
#define LV_RS_ENV_FD "LOCKVIZ_RECORD_FD"

/* Record kinds: the trace's own event kinds (lv_event_kind, below 32) and these. */
enum {
    LV_RK_INIT = 32,    /* an object was initialised; value: semaphore value, barrier count */
    LV_RK_DESTROY = 33, /* an object was destroyed */
    LV_RK_NAME = 34,    /* pthread_setname_np: obj = pthread_t named, value = text offset */
    LV_RK_SPAWNED = 35, /* pthread_create returned: obj = pthread_t, value = the child's id */
    LV_RK_FORK = 36,    /* fork() returned in the parent: value = the child's pid */
    LV_RK_DETACH = 37,  /* pthread_detach: obj = pthread_t */
    LV_RK_NOSPAWN = 38, /* pthread_create failed: value = the id it would have had */
    LV_RK_EXIT = 39,    /* exit() began in this thread */
    LV_RK_NOTE = 40     /* value = text offset */
};

/* Object kinds, in a record's flags (bits 0-3) */
enum {
    LV_RO_NONE = 0,
    LV_RO_MUTEX = 1,      /* normal (or default) mutex */
    LV_RO_RECURSIVE = 2,  /* recursive mutex: the trace's rlock */
    LV_RO_ERRORCHECK = 3, /* error-checking mutex */
    LV_RO_RWLOCK = 4,
    LV_RO_COND = 5,
    LV_RO_SEM = 6,
    LV_RO_BARRIER = 7,
    LV_RO_SPIN = 8
};
#define LV_RF_KIND 0x0f
#define LV_RF_REQ 0x10    /* an acquire with its request at the same time (it did not wait) */
#define LV_RF_SHARED 0x20 /* rwlock: a read hold */
#define LV_RF_TIMED 0x40  /* a request with a timeout: value = ns (0: a try) */
#define LV_RF_ALL 0x80    /* notify: a broadcast */
#define LV_RF_REFUSED                                                                              \
    0x80 /* a mutex's release or timeout: the call failed at once (EPERM,                          \
          * EDEADLK) and changed nothing */

/* One slot of the buffer, 32 bytes: seq, time, the object's address (for a kind without one,
 * the value) and pc << 16 | kind << 8 | flags. A value beside an object takes the next slot
 * (LV_RK_HASVAL), written and committed with it; a slot of kind LV_RK_PAD fills a chunk's end
 * and has no seq. Addresses of user space fit in 48 bits. */
typedef struct lv_rslot {
    uint64_t seq; /* global order: one counter for all threads */
    uint64_t t;   /* ticks (header.use_tsc) or CLOCK_MONOTONIC ns */
    uint64_t obj;
    uint64_t pkf;
} lv_rslot;
#define LV_RK_MASK 0x3f
#define LV_RK_AUX 0x40    /* cond wait: the mutex record the wait made */
#define LV_RK_HASVAL 0x80 /* the next slot's seq field is the value */
#define LV_RK_PAD 63

/* Whether a record kind names an object (else obj carries its value). */
static inline int lv_rs_has_obj(unsigned kind) {
    switch (kind) {
    case 1:  /* end */
    case 2:  /* spawn */
    case 13: /* sleep */
    case 36: /* fork */
    case 38: /* nospawn */
    case 39: /* exit */
    case 40: /* note */
        return 0;
    default:
        return 1;
    }
}

/* A record as lockviz reads it */
typedef struct lv_rrec {
    uint64_t seq, t, obj, pc;
    int64_t value;
    uint8_t kind, flags, aux;
} lv_rrec;

#define LV_RS_CHUNK_BYTES 65536
#define LV_RS_CHUNK_RECS ((LV_RS_CHUNK_BYTES - 64) / sizeof(lv_rslot))

/* A thread's chunks: its first is a fresh one (found by lockviz scanning the fresh chunks in
 * order); each later one is linked from the one before (next), and may be a chunk lockviz has
 * read, copied out and handed back through the free ring (so a thread that records a lot
 * writes into pages it has mapped already, with no page fault and no system call). */
typedef struct lv_rchunk {
    _Atomic uint32_t n;      /* records committed (written by the owning thread only) */
    _Atomic int32_t thread1; /* the preload's id of the owning thread + 1; 0 until it is set */
    uint32_t index;          /* this chunk's position among that thread's chunks */
    _Atomic uint32_t next;   /* 1 + the number of the thread's next chunk; 0 until it has one */
    uint8_t pad[48];
    lv_rslot r[LV_RS_CHUNK_RECS];
} lv_rchunk;

/* Chunks lockviz hands back for reuse: it alone pushes (free_tail), the program's threads pop
 * (free_head, with a compare-and-swap, once per chunk). */
#define LV_RS_FREE_CAP 4096

#define LV_RS_MAX_MODS 512
typedef struct lv_rmod {
    uint64_t lo, hi, bias; /* the loaded range and its load bias */
    char path[232];
} lv_rmod;

typedef struct lv_rshm {
    uint64_t magic;
    int32_t pid;     /* the recorded process; any other process (a fork, an exec'd child) */
    int32_t use_tsc; /* records nothing */
    /* the global order, taken by every record of every thread: on a cache line of its own */
    _Alignas(64) _Atomic uint64_t seq;
    _Alignas(64) _Atomic int32_t next_thread;
    _Atomic uint32_t next_chunk;
    uint32_t nchunks;
    _Atomic int32_t ready; /* the preload has started recording */
    _Atomic uint64_t dropped;
    _Atomic uint64_t text_used;
    uint64_t text_cap;
    uint64_t text_off, chunk_off; /* byte offsets in the mapping */
    uint64_t made;                /* bytes from the start that lockviz made before the start */
    _Atomic uint32_t nmods;
    uint32_t pad;
    _Alignas(64) _Atomic uint64_t free_head;
    _Alignas(64) _Atomic uint64_t free_tail;
    _Atomic uint32_t free_ring[LV_RS_FREE_CAP]; /* chunk numbers */
    lv_rmod mods[LV_RS_MAX_MODS];
} lv_rshm;

#define LV_RS_TEXT_BYTES (4u << 20)
#define LV_RS_HEADER_BYTES ((sizeof(lv_rshm) + 4095) & ~(size_t)4095)

#endif
