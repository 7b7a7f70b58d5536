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
    X(NOTE, "note")

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
    X(QUEUE, "queue")

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
    int64_t param; /* semaphores: capacity; var: initial; condition: its lock's id; else 0 */
} lv_trace_object;

typedef struct lv_param_value {
    char *name;
    int64_t value;
} lv_param_value;

typedef struct lv_finding {
    lv_finding_kind kind;
    char *message; /* one plain sentence */
    char *detail;  /* optional longer explanation (may be NULL), e.g. a side-by-side table */
    int32_t *threads;
    size_t nthreads;
    int32_t *objects;
    size_t nobjects;
    uint32_t *events;
    size_t nevents;
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
