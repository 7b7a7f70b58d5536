/* The trace: what one run recorded (threads, objects, events, findings), plus its JSON forms.
 * Plain data with small stable ids, never pointers, so two runs of one schedule compare equal.
 * A trace owns every string and array it points to; lv_trace_free releases all of it. */
#ifndef LOCKVIZ_TRACE_H
#define LOCKVIZ_TRACE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "err.h"

#define LV_NONE (-1) /* "no object" / "no thread" in id fields */

/* The most the reader accepts (docs/trace-format.md, "Limits"), checked before anything of
 * that size is allocated, so a trace too large for memory is refused with its reason. */
#define LV_TRACE_MAX_BYTES ((size_t)1 << 30) /* a file of 1 GiB or more is refused */
#define LV_TRACE_MAX_THREADS 65536
#define LV_TRACE_MAX_OBJECTS 1048576
#define LV_TRACE_MAX_SCHEDULE 134217728 /* 2^27 choice points: 512 MiB of ids */
#define LV_TRACE_MAX_VALUES 8388608     /* JSON values outside "events" and "schedule" */
/* The largest whole number a trace holds (2^53 - 1): every JSON reader, JavaScript's too,
 * keeps it exact. Seeds and every other integer of the file stay within it. */
#define LV_TRACE_INT_MAX 9007199254740991LL

#define LV_EVENT_KINDS(X)                                                                          \
    X(START, "start")                                                                              \
    X(END, "end")                                                                                  \
    X(SPAWN, "spawn")                                                                              \
    X(JOIN, "join")                                                                                \
    X(REQUEST, "request")                                                                          \
    X(ACQUIRE, "acquire")                                                                          \
    X(RELEASE, "release")                                                                          \
    X(TIMEOUT, "timeout")                                                                          \
    X(SET, "set")                                                                                  \
    X(CLEAR, "clear")                                                                              \
    X(NOTIFY, "notify")                                                                            \
    X(READ, "read")                                                                                \
    X(WRITE, "write")                                                                              \
    X(SLEEP, "sleep")                                                                              \
    X(NOTE, "note")                                                                                \
    X(DESTROY, "destroy")

typedef enum lv_event_kind {
#define LV__EK(name, str) LV_EV_##name,
    LV_EVENT_KINDS(LV__EK)
#undef LV__EK
        LV_EV__COUNT
} lv_event_kind;

#define LV_OBJECT_KINDS(X)                                                                         \
    X(MUTEX, "mutex")                                                                              \
    X(RLOCK, "rlock")                                                                              \
    X(SEMAPHORE, "semaphore")                                                                      \
    X(BOUNDED_SEMAPHORE, "bounded_semaphore")                                                      \
    X(EVENT, "event")                                                                              \
    X(CONDITION, "condition")                                                                      \
    X(VAR, "var")                                                                                  \
    X(QUEUE, "queue")                                                                              \
    X(GAUGE, "gauge")                                                                              \
    X(RWLOCK, "rwlock")                                                                            \
    X(BARRIER, "barrier")

typedef enum lv_obj_kind {
#define LV__OK(name, str) LV_OBJ_##name,
    LV_OBJECT_KINDS(LV__OK)
#undef LV__OK
        LV_OBJ__COUNT
} lv_obj_kind;

#define LV_FINDING_KINDS(X)                                                                        \
    X(RACE, "race")                                                                                \
    X(DEADLOCK, "deadlock")                                                                        \
    X(LOCK_ORDER, "lock_order")                                                                    \
    X(INVARIANT, "invariant")                                                                      \
    X(MISUSE, "misuse")

typedef enum lv_finding_kind {
#define LV__FK(name, str) LV_FIND_##name,
    LV_FINDING_KINDS(LV__FK)
#undef LV__FK
        LV_FIND__COUNT
} lv_finding_kind;

typedef enum lv_mode { LV_MODE_LIVE, LV_MODE_CONTROLLED } lv_mode;

typedef enum lv_outcome { LV_OUT_COMPLETED, LV_OUT_DEADLOCKED, LV_OUT_ABORTED } lv_outcome;

/* event flags */
#define LV_EVF_VALUE 0x01    /* value is meaningful */
#define LV_EVF_TEXT 0x02     /* a note: text is in the trace's text table (see lv_trace_text) */
#define LV_EVF_CHECK 0x04    /* a note that states a check of the scenario ("what must hold") */
#define LV_EVF_CHECK_OK 0x08 /* with LV_EVF_CHECK: the check held */
#define LV_EVF_READ 0x10     /* an rwlock event of a read (shared) hold; without it, a write hold */
/* a recorded mutex call that failed at once and changed nothing: on a release, the unlock was
 * refused (EPERM: not the owner of an error-checking or recursive mutex); on a timeout, the
 * lock was refused (EDEADLK: an error-checking mutex asked again by its owner) */
#define LV_EVF_REFUSED 0x20

typedef struct lv_event {
    int64_t t;     /* ns since the run started (virtual in controlled mode) */
    int64_t value; /* kind-specific, see docs/trace-format.md; for notes, the text index */
    uint32_t seq;  /* position in the trace: 0, 1, 2 ... */
    int32_t thread;
    int32_t obj;  /* LV_NONE when the event names no object */
    uint8_t kind; /* lv_event_kind */
    uint8_t flags;
    uint16_t reserved_;
} lv_event;

typedef struct lv_trace_thread {
    int32_t id;
    char *name;
} lv_trace_thread;

typedef struct lv_trace_object {
    int32_t id;
    lv_obj_kind kind;
    char *name;
    int64_t param;  /* semaphores, gauge, barrier: capacity; var: initial; condition: its lock */
    uint32_t site1; /* recorded programs: 1 + the site where it was first seen; 0: none */
} lv_trace_object;

/* A place in a recorded program's code (docs/trace-format.md "Sites"): file and line from its
 * debug information, else the function and the offset in it, else the module and offset. */
typedef struct lv_site {
    char *file;      /* NULL when unknown */
    int64_t line;    /* with file */
    char *function;  /* NULL when unknown */
    char *module;    /* NULL when unknown */
    uint64_t offset; /* without file: from function's start, else from the module's */
} lv_site;

/* How a recorded program ended. */
#define LV_PROGRAM_ENDS(X)                                                                         \
    X(EXITED, "exited")   /* it exited by itself: status is its exit status */                     \
    X(SIGNALED, "signal") /* a signal ended it: status is the signal's number */                   \
    X(STOPPED, "stopped") /* lockviz stopped it (a deadlock): status is the signal sent */

typedef enum lv_program_end {
#define LV__PE(name, str) LV_PROG_##name,
    LV_PROGRAM_ENDS(LV__PE)
#undef LV__PE
        LV_PROG__COUNT
} lv_program_end;

/* A recorded program (lockviz record): what ran and how it ended. */
typedef struct lv_program {
    char *path;  /* the file that ran, as given or found on PATH */
    char **args; /* its arguments after the program's name */
    size_t nargs;
    lv_program_end end;
    int status;
    char *policy; /* a controlled recording: its policy ("random", "pct", "rr"); else NULL */
} lv_program;

typedef struct lv_param_value {
    char *name;
    int64_t value;
} lv_param_value;

/* ---- what a finding says, as data (docs/trace-format.md "Findings"; docs/findings.md) ----
 * message and detail are renderings of this payload (lv_finding_message in analysis.h); code
 * that needs to know what a finding is about reads these fields, never the sentence. */

/* One access to a var. */
typedef struct lv_access {
    int32_t thread;
    uint32_t seq;
    uint8_t kind; /* LV_EV_READ or LV_EV_WRITE */
} lv_access;

/* race: two accesses to var, at least one a write, that nothing orders; first is earlier. */
typedef struct lv_race_info {
    int32_t var;
    lv_access first, second;
} lv_race_info;

/* A lost update (kind race): read saw a value, lost was written by another thread, then
 * overwrite (by read's thread) wiped lost out; more: further lost updates on var. */
typedef struct lv_lost_info {
    int32_t var;
    lv_access read, lost, overwrite;
    uint64_t more;
} lv_lost_info;

#define LV_DEADLOCK_SHAPES(X)                                                                      \
    X(CYCLE, "cycle")         /* two or more threads, each waiting for the next */                 \
    X(SELF_LOCK, "self_lock") /* one thread waits for a plain Lock it holds */                     \
    X(SELF_JOIN, "self_join") /* one thread waits to join itself */                                \
    X(STUCK, "stuck")         /* no cycle of owners: the list of stuck waits */

typedef enum lv_deadlock_shape {
#define LV__DS(name, str) LV_DL_##name,
    LV_DEADLOCK_SHAPES(LV__DS)
#undef LV__DS
        LV_DL__COUNT
} lv_deadlock_shape;

/* One stuck thread: what it holds (in a cycle: what the previous step waits for) and what it
 * waits for. */
typedef struct lv_wait_step {
    int32_t thread;
    int32_t holds;     /* cycle: the lock the previous step waits for; else LV_NONE */
    uint32_t acquired; /* with holds: the seq of the acquire that took it */
    int32_t obj;       /* the object waited for; LV_NONE when it waits to join */
    int32_t joins;     /* the thread it waits to join; LV_NONE when it waits for obj */
    uint32_t seq;      /* the blocked request or join */
    int32_t *held_by; /* who holds obj: a lock's owner, the threads holding a semaphore's permits */
    size_t nheld_by;
} lv_wait_step;

typedef struct lv_deadlock_info {
    lv_deadlock_shape shape;
    lv_wait_step *steps; /* cycle: in cycle order; stuck: by thread id */
    size_t nsteps;
} lv_deadlock_info;

/* One edge of a lock-order cycle: thread took from (acquire) and, holding it, asked for to
 * (request). */
typedef struct lv_order_edge {
    int32_t thread, from, to;
    uint32_t acquire, request;
} lv_order_edge;

/* A cycle (edges), or, with no edges, the summary of the cycles not listed: more of them
 * beyond the listed shortest; bound: nonzero when the search stopped at that many steps. */
typedef struct lv_order_info {
    lv_order_edge *edges; /* in cycle order: each edge's to is the next one's from */
    size_t nedges;
    uint64_t more;
    uint32_t listed, bound;
} lv_order_info;

#define LV_MISUSE_RULES(X)                                                                         \
    X(RELEASE_UNHELD, "release_unheld")   /* a Lock released while nobody holds it */              \
    X(RELEASE_OTHER, "release_other")     /* a Lock released by a thread that does not hold it */  \
    X(RELOCK, "relock")                   /* a plain Lock requested by its holder */               \
    X(RLOCK_NOT_OWNER, "rlock_not_owner") /* an RLock released by a thread that does not own it */ \
    X(OVER_RELEASE, "over_release")       /* a BoundedSemaphore released past its value */         \
    X(COND_WAIT_UNLOCKED, "cond_wait_unlocked")     /* Condition wait without its lock */          \
    X(COND_NOTIFY_UNLOCKED, "cond_notify_unlocked") /* Condition notify without its lock */        \
    X(JOIN_SELF, "join_self")                       /* a thread joins itself */                    \
    X(DESTROY_LOCKED, "destroy_locked")             /* a mutex destroyed while held */             \
    X(RWLOCK_UPGRADE, "rwlock_upgrade") /* a write hold asked by a thread with a read hold */

typedef enum lv_misuse_rule {
#define LV__MR(name, str) LV_MU_##name,
    LV_MISUSE_RULES(LV__MR)
#undef LV__MR
        LV_MU__COUNT
} lv_misuse_rule;

typedef struct lv_misuse_info {
    lv_misuse_rule rule;
    int32_t thread;
    int32_t obj;   /* LV_NONE for join_self */
    uint32_t seq;  /* the event that broke the rule */
    int32_t other; /* release_other, destroy_locked: the thread that held the lock;
                    * cond_wait_unlocked: the thread whose hold the wait's unlock ended; else
                    * LV_NONE */
} lv_misuse_info;

typedef struct lv_invariant_info {
    int32_t thread;
    uint32_t seq; /* the failed check's note */
    char *text;   /* the check's text */
} lv_invariant_info;

typedef enum lv_payload_kind {
    LV_PAY_NONE, /* a finding read from a trace written before payloads: message only */
    LV_PAY_RACE,
    LV_PAY_LOST_UPDATE,
    LV_PAY_DEADLOCK,
    LV_PAY_LOCK_ORDER,
    LV_PAY_MISUSE,
    LV_PAY_INVARIANT
} lv_payload_kind;

typedef struct lv_finding {
    lv_finding_kind kind;
    char *message; /* one plain sentence: the English rendering of the payload */
    char *detail;  /* optional longer explanation (may be NULL), e.g. a side-by-side table */
    int32_t *threads;
    size_t nthreads;
    int32_t *objects;
    size_t nobjects;
    uint32_t *events;
    size_t nevents;
    lv_payload_kind payload; /* which member of data holds (kind race: race or lost update) */
    union {
        lv_race_info race;
        lv_lost_info lost;
        lv_deadlock_info deadlock;
        lv_order_info order;
        lv_misuse_info misuse;
        lv_invariant_info invariant;
    } data; /* owned by the finding, freed by lv_findings_free */
} lv_finding;

typedef struct lv_trace {
    char *scenario;
    char *variant;
    lv_param_value *params;
    size_t nparams;
    lv_mode mode;
    uint64_t seed;
    int32_t *schedule; /* controlled runs: the thread picked at each scheduling point */
    size_t nschedule;
    lv_trace_thread *threads;
    size_t nthreads;
    lv_trace_object *objects;
    size_t nobjects;
    lv_event *events;
    size_t nevents;
    char **texts; /* note texts, indexed by a note event's value */
    size_t ntexts;
    lv_finding *findings;
    size_t nfindings;
    lv_outcome outcome;
    uint64_t dropped;    /* events the tracer could not store (out of memory); normally 0 */
    char *scenario_path; /* a scenario loaded from a file: its absolute path; else NULL */
    /* recorded programs only (all NULL/0 otherwise): */
    lv_program *program; /* what ran and how it ended */
    lv_site *sites;      /* call sites, by id */
    size_t nsites;
    uint32_t *event_site; /* nevents entries: 1 + the site of each event, 0 for none; or NULL */
} lv_trace;

const char *lv_event_kind_name(lv_event_kind k);
const char *lv_obj_kind_name(lv_obj_kind k);
const char *lv_finding_kind_name(lv_finding_kind k);
const char *lv_outcome_name(lv_outcome o);
const char *lv_mode_name(lv_mode m);
/* Reverse lookups: return 0 and set *out, or -1 for an unknown name. */
int lv_event_kind_parse(const char *s, lv_event_kind *out);
int lv_obj_kind_parse(const char *s, lv_obj_kind *out);
int lv_finding_kind_parse(const char *s, lv_finding_kind *out);
const char *lv_deadlock_shape_name(lv_deadlock_shape s);
const char *lv_program_end_name(lv_program_end e);
int lv_program_end_parse(const char *s, lv_program_end *out);
/* The site of event seq (NULL when it has none) and a site as one short string: "philo.c:21"
 * (the file's last component), "philosopher+0x1c" or "libfoo.so+0x1234", into buf. */
const lv_site *lv_trace_event_site(const lv_trace *tr, uint32_t seq);
const char *lv_site_format(const lv_site *s, char *buf, size_t len);
const char *lv_misuse_rule_name(lv_misuse_rule r);
int lv_deadlock_shape_parse(const char *s, lv_deadlock_shape *out);
int lv_misuse_rule_parse(const char *s, lv_misuse_rule *out);

/* The text of a note event, or NULL if ev is not a note. Owned by the trace. */
const char *lv_trace_text(const lv_trace *tr, const lv_event *ev);
/* Name of thread/object id, or "?" when the id is unknown. Owned by the trace. */
const char *lv_trace_thread_name(const lv_trace *tr, int32_t id);
const char *lv_trace_object_name(const lv_trace *tr, int32_t id);

void lv_trace_free(lv_trace *tr);               /* accepts NULL */
void lv_findings_free(lv_finding *f, size_t n); /* accepts NULL */
/* Replace tr's findings with f (tr takes ownership). */
void lv_trace_set_findings(lv_trace *tr, lv_finding *f, size_t n);

/* A new trace holding the start of tr: its metadata, threads, objects and note texts, its
 * first nevents events and its first nschedule schedule entries (each clamped to what tr has),
 * with findings recomputed from those events (lv_analyze). When events were cut, the outcome
 * is "aborted": the run was cut at a scheduling point (the viewer's scheduler mode does this),
 * and replaying the kept schedule gives those events again; otherwise tr's outcome is kept.
 * *out belongs to the caller (lv_trace_free); tr is not changed. LV_ENOMEM on failure. */
lv_err lv_trace_prefix(const lv_trace *tr, size_t nevents, size_t nschedule, lv_trace **out);

/* Native JSON (docs/trace-format.md). The writer streams: memory does not grow with the trace.
 * Writing is deterministic: a trace read back and written again gives the same bytes. */
lv_err lv_trace_write_json(const lv_trace *tr, FILE *out);
/* Writes to path atomically (a temporary file renamed into place). On error, errbuf gets one
 * line naming the file and the problem, and an existing file at path is left untouched. */
lv_err lv_trace_save(const lv_trace *tr, const char *path, char *errbuf, size_t errlen);
/* Reads and validates a native trace. On error, *out is NULL and errbuf gets one line of the
 * form "NAME: PLACE: PROBLEM" (NAME is the name given, usually the path). */
lv_err lv_trace_read_json(const char *data, size_t len, const char *name, lv_trace **out,
                          char *errbuf, size_t errlen);
lv_err lv_trace_load(const char *path, lv_trace **out, char *errbuf, size_t errlen);

/* The Chrome Trace Event Format (Perfetto UI, catapult, speedscope), streamed; see
 * docs/chrome-format.md. _save writes atomically like lv_trace_save. */
lv_err lv_trace_write_chrome(const lv_trace *tr, FILE *out);
lv_err lv_trace_save_chrome(const lv_trace *tr, const char *path, char *errbuf, size_t errlen);

/* Findings as a JSON array in the trace's finding format. */
lv_err lv_findings_write_json(const lv_trace *tr, const lv_finding *f, size_t n, FILE *out);

#endif
