/* What lockviz and a program recorded in controlled mode (core/preload/ctl.c) share besides
 * the event buffer (recshm.h): one more memfd with the policy, the seed and the schedule to
 * replay, written by lockviz before the start, and the schedule taken and whether the run
 * deadlocked, written by the program. */
#ifndef LV_CTLSHM_H
#define LV_CTLSHM_H

#include <stdatomic.h>
#include <stdint.h>

#define LV_CS_MAGIC 0x316c7463726576ULL
#define LV_CS_ENV_FD "LOCKVIZ_CONTROL_FD"
#define LV_CS_CAP (1u << 22) /* schedule entries each way */

enum { LV_CS_RUNNING, LV_CS_DEADLOCK, LV_CS_TOO_MANY_THREADS };

typedef struct lv_cshm {
    uint64_t magic;
    uint64_t seed;
    int32_t policy;    /* lv_policy */
    int32_t pct_depth; /* PCT's d (> 0) */
    uint32_t pct_steps;
    uint32_t nin;             /* entries of the schedule to replay, at in_off */
    _Atomic uint32_t nout;    /* entries of the schedule taken, at out_off */
    _Atomic int32_t state;    /* LV_CS_* */
    _Atomic int64_t diverged; /* the first choice where the replayed schedule named a thread that
                                 could not run, or -1 */
    _Atomic int64_t vnow;     /* the virtual clock, ns */
    _Atomic uint32_t cut;     /* choices past LV_CS_CAP, not kept */
    /* explore's dfs: past the replayed schedule the program keeps the running thread where it
     * can go on (else the lowest id), and logs each such choice point at log_off as its index,
     * the thread that reached it, the count of threads that could run and their ids */
    int32_t dfs;
    _Atomic uint32_t nlog;     /* int32 entries written */
    _Atomic uint32_t log_full; /* a point did not fit: the log stops there */
    uint32_t pad;
    uint64_t in_off, out_off, log_off; /* byte offsets in the mapping */
} lv_cshm;

#define LV_CS_HEADER_BYTES 4096
#define LV_CS_LOG_CAP (1u << 24) /* int32 entries of the choice-point log */
#define LV_CS_BYTES (LV_CS_HEADER_BYTES + 2 * (uint64_t)LV_CS_CAP * 4 + (uint64_t)LV_CS_LOG_CAP * 4)

#endif
