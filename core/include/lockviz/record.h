/* Recording an unmodified pthread program (`lockviz record -- ./prog`): the program runs with
 * liblockviz_preload.so in LD_PRELOAD, its synchronization calls stream into a buffer shared
 * with this process, and its run becomes a live trace of the native format (with call sites and
 * how the program ended). A watchdog stops a program whose threads can never go on. */
#ifndef LOCKVIZ_RECORD_H
#define LOCKVIZ_RECORD_H

#include <stddef.h>
#include "err.h"
#include "run.h"
#include "trace.h"

/* The choice points of a controlled run past its replayed schedule (explore's dfs): for each,
 * its index in the schedule, the thread that reached it, the count of threads that could run
 * and their ids (ascending), one after the other in data. */
typedef struct lv_choice_log {
    int32_t *data; /* the caller's: free() */
    size_t n;      /* int32 entries */
    int full;      /* the log (or the schedule) was cut: points after it are missing */
} lv_choice_log;

typedef struct lv_record_desc {
    char *const *argv;   /* the program and its arguments, NULL-terminated */
    const char *name;    /* the trace's scenario name; NULL: the program's file name */
    const char *preload; /* the preload library; NULL: lv_record_preload_path finds it */
    int watch_ms;        /* the watchdog's period in ms; 0: 100 */
    /* LV_MODE_CONTROLLED: one thread of the program runs at a time, the policy (or the
     * schedule, replayed first) picks at every wrapped call, time is virtual, and a run where
     * nothing can go on is stopped as deadlocked; the trace has the seed, the policy and the
     * schedule taken, and the same program, arguments, seed and schedule give the same trace */
    lv_mode mode;
    lv_policy policy;
    uint64_t seed;
    int pct_depth; /* PCT's d: 0 means 3 */
    const int32_t *schedule;
    size_t nschedule;
    long *diverged_at;  /* optional, set at the end: the first choice where the schedule named a
                           thread that could not go on (the policy chose there), or -1 */
    unsigned pct_steps; /* PCT's k, the steps its change points fall in: 0 means 50 */
    /* explore's dfs instead of the policy: past the schedule the running thread goes on where
     * it can (else the lowest id); the trace names the policy "dfs", and points (optional)
     * gets each choice point past the schedule */
    int dfs;
    lv_choice_log *points;
    int quiet; /* the program's stdin, stdout and stderr are /dev/null (explore's runs) */
    /* > 0: KiB of the event buffer made before the start and ahead of the program while it
     * runs (explore's many short runs: little); 0: the default, 32 MiB */
    int prefault_kib;
} lv_record_desc;

/* Finds prog (on PATH when it has no '/') and checks that LD_PRELOAD can reach it: an ELF
 * program with a dynamic loader (PT_INTERP), not set-uid or set-gid. On success path holds
 * the file. Else errbuf gets one line naming the program and why: LV_ENOTFOUND when there is
 * no such program, LV_EUSAGE when it cannot be recorded. */
lv_err lv_record_check(const char *prog, char *path, size_t plen, char *errbuf, size_t errlen);

/* The preload library: $LOCKVIZ_PRELOAD, else liblockviz_preload.so next to the running
 * program, in ../lib/lockviz from it, in the build tree, or in the install prefix. */
lv_err lv_record_preload_path(char *buf, size_t len, char *errbuf, size_t errlen);

/* Runs d->argv to its end (its stdin, stdout and stderr are this process's) and returns its
 * trace, findings computed, in *out (the caller's: lv_trace_free). While it runs, SIGINT and
 * SIGQUIT reach only the program (as with system()), and SIGTERM to this process is passed
 * on. LV_EUSAGE/LV_ENOTFOUND: the program cannot be recorded (errbuf says why); LV_ENOMEM,
 * LV_EIO: lockviz's own failure. */
lv_err lv_record(const lv_record_desc *d, lv_trace **out, char *errbuf, size_t errlen);

#endif
