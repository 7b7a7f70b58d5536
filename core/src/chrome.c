/* The Chrome Trace Event Format exporter (what Perfetto, catapult's trace viewer and speedscope
 * open), streamed in one pass over the events with state per thread and object, after a first
 * pass that only sets bits per event. It draws what the window draws: each thread's states as
 * slices, each hold on a track of its own, an arrow from a release to the acquire it let in,
 * and counters for vars, permits and events. docs/chrome-format.md has the mapping. It does not
 * write findings as data: they become global instant events a person reads. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "lockviz/io.h"
#include "outbuf.h"
#include "strbuf.h"
#include "lockviz/lockviz.h"

#define SEQ_NONE UINT32_MAX

/* per event, set by the first pass */
#define B_WAITED 0x01  /* a request or join that lasted (its end came later, or never) */
#define B_TIMEOUT 0x02 /* ... and ended by a timeout */
#define B_NEVER 0x04   /* ... and was still open at the end of the trace */
#define B_LETIN 0x08   /* a release that let a later acquire in: the start of an arrow */

enum { ST_NONE, ST_RUNNING, ST_WAIT, ST_JOIN, ST_SLEEP, ST_DONE };

typedef struct hold_slot {
    int32_t obj;
    int32_t count; /* open holds (permits of one semaphore may be several) */
} hold_slot;

typedef struct thread_state {
    int state;
    int32_t on;        /* the object waited for, or the thread joined */
    uint8_t how;       /* the wait's bits (B_TIMEOUT, B_NEVER) */
    int64_t sleep_end; /* while sleeping: when the sleep is over */
    uint32_t req_seq;  /* the open request (for the arrows of semaphores), or SEQ_NONE */
    hold_slot *holds;  /* every object this thread ever held: its hold track */
    size_t nholds, cap;
} thread_state;

typedef struct obj_state {
    uint32_t last_rel; /* the last release that freed it, until the next first acquire */
    int32_t rel_thread;
    int64_t value; /* permits, a var's value, an event's state */
} obj_state;

typedef struct exporter {
    cw *w;
    const lv_trace *tr;
    thread_state *th;
    obj_state *ob;
    int64_t stride; /* tids: thread i is 1 + i * stride, its hold track for object o 2 + i * stride
                       + o */
    lv__sb name;    /* the name being written: names of any length go out whole */
} exporter;

static int is_lock(lv_obj_kind k) {
    return k == LV_OBJ_MUTEX || k == LV_OBJ_RLOCK;
}
static int is_sem(lv_obj_kind k) {
    return k == LV_OBJ_SEMAPHORE || k == LV_OBJ_BOUNDED_SEMAPHORE;
}
static lv_obj_kind kind_of(const lv_trace *tr, int32_t obj) {
    return obj >= 0 && (size_t)obj < tr->nobjects ? tr->objects[obj].kind : LV_OBJ__COUNT;
}

/* An acquire that starts a hold (not an RLock's re-entry), and a release that ends one (not an
 * RLock's inner release): the window's rule, so both draw the same holds. */
static int first_acquire(const lv_event *e, lv_obj_kind k) {
    return k != LV_OBJ_RLOCK || !(e->flags & LV_EVF_VALUE) || e->value == 1;
}
static int freeing_release(const lv_event *e, lv_obj_kind k) {
    return k != LV_OBJ_RLOCK || ((e->flags & LV_EVF_VALUE) && e->value == 0);
}

static int64_t thread_tid(const exporter *x, int32_t t) {
    return 1 + (int64_t)t * x->stride;
}
static int64_t hold_tid(const exporter *x, int32_t t, int32_t obj) {
    return 2 + (int64_t)t * x->stride + obj;
}

/* Starts one event object: {"ph": .., "pid": 1, "tid": .., "ts": .., */
static void ev_begin(cw *w, const char *ph, int64_t tid, int64_t ts_ns) {
    if (w->first)
        W_LIT(w, "\n  {\"ph\": \"");
    else
        W_LIT(w, ",\n  {\"ph\": \"");
    w->first = 0;
    w_puts(w, ph);
    W_LIT(w, "\", \"pid\": 1, \"tid\": ");
    w_i64(w, tid);
    W_LIT(w, ", \"ts\": ");
    w_us(w, ts_ns);
}

static const char *obj_name(const lv_trace *tr, int32_t obj) {
    return lv_trace_object_name(tr, obj);
}

static void meta_name(cw *w, const char *what, int64_t tid, const char *name) {
    ev_begin(w, "M", tid, 0);
    W_LIT(w, ", \"name\": ");
    put_str(w, what);
    W_LIT(w, ", \"args\": {\"name\": ");
    put_str(w, name);
    W_LIT(w, "}}");
    if (strcmp(what, "thread_name") == 0) { /* catapult reads it; Perfetto orders by tid */
        ev_begin(w, "M", tid, 0);
        W_LIT(w, ", \"name\": \"thread_sort_index\", \"args\": {\"sort_index\": ");
        w_i64(w, tid);
        W_LIT(w, "}}");
    }
}

/* x->name emptied, then a, b and c put in it (NULL: nothing): the one string. */
static const char *name3(exporter *x, const char *a, const char *b, const char *c) {
    x->name.n = 0;
    if (x->name.s) x->name.s[0] = 0;
    lv__sb_puts(&x->name, a);
    lv__sb_puts(&x->name, b);
    lv__sb_puts(&x->name, c);
    return x->name.oom ? "" : x->name.s;
}

/* The name of a thread's state slice; B and E carry the same one (speedscope pairs by name). */
static const char *state_name(exporter *x, const thread_state *s) {
    const lv_trace *tr = x->tr;
    const char *how = (s->how & B_NEVER)     ? " (never granted)"
                      : (s->how & B_TIMEOUT) ? " (timed out)"
                                             : "";
    switch (s->state) {
    case ST_RUNNING:
        return "running";
    case ST_SLEEP:
        return "sleeping";
    case ST_WAIT:
        name3(x, "wait ", lv_obj_kind_name(kind_of(tr, s->on)), " ");
        lv__sb_puts(&x->name, obj_name(tr, s->on));
        lv__sb_puts(&x->name, how);
        return x->name.oom ? "" : x->name.s;
    case ST_JOIN:
        return name3(x, "join ", lv_trace_thread_name(tr, s->on), how);
    default:
        return "";
    }
}

static void slice(exporter *x, const char *ph, int64_t tid, int64_t t, const char *cat,
                  const char *name) {
    ev_begin(x->w, ph, tid, t);
    W_LIT(x->w, ", \"cat\": ");
    put_str(x->w, cat);
    W_LIT(x->w, ", \"name\": ");
    put_str(x->w, name);
    W_LIT(x->w, "}");
}

/* Ends thread t's current state at time `at` and begins `next` (ST_NONE: none). */
static void enter(exporter *x, int32_t t, int64_t at, int next, int32_t on, uint8_t how) {
    thread_state *s = &x->th[t];
    if (s->state == next && (next == ST_RUNNING || next == ST_DONE)) return;
    if (s->state != ST_NONE && s->state != ST_DONE)
        slice(x, "E", thread_tid(x, t), at, "state", state_name(x, s));
    s->state = next;
    s->on = on;
    s->how = how;
    if (next != ST_NONE && next != ST_DONE)
        slice(x, "B", thread_tid(x, t), at,
              next == ST_RUNNING ? "state"
              : next == ST_SLEEP ? "sleep"
                                 : "wait",
              state_name(x, s));
}

static hold_slot *hold_slot_of(exporter *x, int32_t t, int32_t obj, int create) {
    thread_state *s = &x->th[t];
    for (size_t i = 0; i < s->nholds; i++)
        if (s->holds[i].obj == obj) return &s->holds[i];
    if (!create) return NULL;
    if (s->nholds == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 4;
        hold_slot *n = realloc(s->holds, cap * sizeof *n);
        if (!n) return NULL;
        s->holds = n;
        s->cap = cap;
    }
    meta_name(x->w, "thread_name", hold_tid(x, t, obj),
              name3(x, lv_trace_thread_name(x->tr, t), " holds ", obj_name(x->tr, obj)));
    s->holds[s->nholds] = (hold_slot){obj, 0};
    return &s->holds[s->nholds++];
}

static void hold_slice(exporter *x, const char *ph, int32_t t, int32_t obj, int64_t at) {
    slice(x, ph, hold_tid(x, t, obj), at, "hold", name3(x, "holds ", obj_name(x->tr, obj), NULL));
}

static void flow(exporter *x, const char *ph, int64_t tid, int64_t t, uint32_t id, int32_t obj) {
    ev_begin(x->w, ph, tid, t);
    if (ph[0] == 'f') W_LIT(x->w, ", \"bp\": \"e\"");
    W_LIT(x->w, ", \"cat\": \"handoff\", \"id\": ");
    w_u64(x->w, id);
    W_LIT(x->w, ", \"name\": ");
    put_str(x->w, obj_name(x->tr, obj));
    W_LIT(x->w, "}");
}

static void instant(exporter *x, const lv_event *e, const char *name, const char *cat) {
    cw *w = x->w;
    ev_begin(w, "i", thread_tid(x, e->thread), e->t);
    W_LIT(w, ", \"s\": \"t\", \"cat\": ");
    put_str(w, cat);
    W_LIT(w, ", \"name\": ");
    put_str(w, name);
    W_LIT(w, ", \"args\": {\"seq\": ");
    w_u64(w, e->seq);
    if (e->obj != LV_NONE) {
        W_LIT(w, ", \"object\": ");
        put_str(w, obj_name(x->tr, e->obj));
    }
    if ((e->flags & LV_EVF_VALUE) && !(e->flags & LV_EVF_TEXT)) {
        W_LIT(w, ", \"value\": ");
        w_i64(w, e->value);
    }
    W_LIT(w, "}}");
}

/* A counter named once: Perfetto names the track "NAME KEY", so the name is the kind ("var",
 * "permits", "event") and the key is the object. */
static void counter(exporter *x, int64_t tid, int32_t obj, int64_t t, const char *what,
                    int64_t value) {
    cw *w = x->w;
    ev_begin(w, "C", tid, t);
    W_LIT(w, ", \"name\": ");
    put_str(w, what);
    W_LIT(w, ", \"args\": {");
    put_str(w, obj_name(x->tr, obj));
    W_LIT(w, ": ");
    w_i64(w, value);
    W_LIT(w, "}}");
}

static void finding(exporter *x, const lv_finding *f, int64_t t) {
    cw *w = x->w;
    ev_begin(w, "i", 1, t);
    W_LIT(w, ", \"s\": \"g\", \"cat\": \"finding\", \"name\": ");
    put_str(w, lv_finding_kind_name(f->kind));
    W_LIT(w, ", \"args\": {\"message\": ");
    put_str(w, f->message);
    W_LIT(w, "}}");
}

static int cmp_i64(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* The first pass: how each wait ends, and which releases let an acquire in (by the window's
 * rule: a lock's next acquire by another thread; a semaphore's by a thread that was already
 * waiting). Returns whether some thread never ended (its last state lasts to the end). */
static int prepass(const lv_trace *tr, uint8_t *bits, uint32_t *open, uint32_t *req,
                   uint32_t *last_rel, int32_t *rel_thread, uint8_t *ended) {
    for (size_t t = 0; t < tr->nthreads; t++)
        open[t] = req[t] = SEQ_NONE;
    for (size_t o = 0; o < tr->nobjects; o++)
        last_rel[o] = SEQ_NONE;
    for (size_t i = 0; i < tr->nevents; i++) {
        const lv_event *e = &tr->events[i];
        int32_t th = e->thread;
        lv_obj_kind k = kind_of(tr, e->obj);
        uint32_t w = open[th];
        switch ((lv_event_kind)e->kind) {
        case LV_EV_REQUEST:
            open[th] = req[th] = e->seq;
            break;
        case LV_EV_JOIN:
            if (e->value >= 0 && (size_t)e->value < tr->nthreads && !ended[e->value])
                open[th] = e->seq;
            break;
        case LV_EV_ACQUIRE:
        case LV_EV_TIMEOUT:
            if (w != SEQ_NONE && (tr->events[w].kind == LV_EV_REQUEST) == (e->obj != LV_NONE)) {
                if (tr->events[w].t < e->t) bits[w] |= B_WAITED;
                if (e->kind == LV_EV_TIMEOUT) bits[w] |= B_TIMEOUT;
                open[th] = SEQ_NONE;
            }
            if (e->kind == LV_EV_ACQUIRE && (is_lock(k) || is_sem(k)) && first_acquire(e, k) &&
                last_rel[e->obj] != SEQ_NONE) {
                if (rel_thread[e->obj] != th &&
                    (is_lock(k) || (req[th] != SEQ_NONE && req[th] < last_rel[e->obj])))
                    bits[last_rel[e->obj]] |= B_LETIN;
                last_rel[e->obj] = SEQ_NONE;
            }
            if (e->kind == LV_EV_ACQUIRE) req[th] = SEQ_NONE;
            break;
        case LV_EV_RELEASE:
            if ((is_lock(k) || is_sem(k)) && freeing_release(e, k) &&
                !(e->flags & LV_EVF_REFUSED)) {
                last_rel[e->obj] = e->seq;
                rel_thread[e->obj] = th;
            }
            break;
        case LV_EV_END:
            ended[th] = 1;
            for (size_t t = 0; t < tr->nthreads; t++) /* whoever joins it goes on */
                if (open[t] != SEQ_NONE && tr->events[open[t]].kind == LV_EV_JOIN &&
                    tr->events[open[t]].value == th) {
                    if (tr->events[open[t]].t < e->t) bits[open[t]] |= B_WAITED;
                    open[t] = SEQ_NONE;
                }
            break;
        default:
            break;
        }
    }
    int unfinished = 0;
    for (size_t t = 0; t < tr->nthreads; t++) {
        if (open[t] != SEQ_NONE) bits[open[t]] |= B_WAITED | B_NEVER;
        unfinished |= !ended[t];
    }
    return unfinished;
}

/* The end of the run as the window draws it: the last event, plus (when some thread never
 * ended) four typical steps, so a final wait has a width. */
static lv_err run_end(const lv_trace *tr, int unfinished, int64_t *t_end) {
    int64_t t_last = tr->nevents ? tr->events[tr->nevents - 1].t : 0;
    *t_end = t_last;
    if (!unfinished || tr->nevents < 2) {
        if (unfinished) *t_end = t_last + 1000;
        return LV_OK;
    }
    int64_t *gaps = malloc(tr->nevents * sizeof *gaps);
    if (!gaps) return LV_ENOMEM;
    size_t n = 0;
    for (size_t i = 1; i < tr->nevents; i++)
        if (tr->events[i].t > tr->events[i - 1].t)
            gaps[n++] = tr->events[i].t - tr->events[i - 1].t;
    int64_t step = 1000;
    if (n) {
        qsort(gaps, n, sizeof *gaps, cmp_i64);
        step = gaps[n / 2];
    }
    free(gaps);
    *t_end = t_last + 4 * step;
    return LV_OK;
}

static void on_acquire(exporter *x, const lv_event *e, lv_obj_kind k, const uint8_t *bits) {
    int32_t th = e->thread;
    obj_state *o = &x->ob[e->obj];
    if (!first_acquire(e, k)) return;
    hold_slot *h = hold_slot_of(x, th, e->obj, 1);
    if (!h) return; /* out of memory: the hold is not drawn, and nothing is left open */
    h->count++;
    hold_slice(x, "B", th, e->obj, e->t);
    if (o->last_rel != SEQ_NONE) {
        if (bits[o->last_rel] & B_LETIN) /* the arrow ends on this hold */
            flow(x, "f", hold_tid(x, th, e->obj), e->t, o->last_rel, e->obj);
        o->last_rel = SEQ_NONE;
    }
}

static void on_release(exporter *x, const lv_event *e, lv_obj_kind k, const uint8_t *bits) {
    int32_t th = e->thread;
    if (!freeing_release(e, k)) return;
    hold_slot *h = hold_slot_of(x, th, e->obj, 0);
    int held = h && h->count > 0;
    if (bits[e->seq] & B_LETIN) /* the arrow starts on the hold it ends (or the thread's state) */
        flow(x, "s", held ? hold_tid(x, th, e->obj) : thread_tid(x, th), e->t, e->seq, e->obj);
    if (held) {
        h->count--;
        hold_slice(x, "E", th, e->obj, e->t);
    } else if (is_lock(k)) {
        instant(x, e, "release (misuse)", "lock");
    }
    x->ob[e->obj].last_rel = e->seq;
    x->ob[e->obj].rel_thread = th;
}

lv_err lv_trace_write_chrome(const lv_trace *tr, FILE *out) {
    size_t nt = tr->nthreads ? tr->nthreads : 1, no = tr->nobjects ? tr->nobjects : 1;
    exporter x = {.tr = tr, .stride = (int64_t)tr->nobjects + 1};
    x.th = calloc(nt, sizeof *x.th);
    x.ob = calloc(no, sizeof *x.ob);
    uint8_t *bits = calloc(tr->nevents ? tr->nevents : 1, 1), *ended = calloc(nt, 1);
    uint32_t *open = malloc(nt * sizeof *open), *req = malloc(nt * sizeof *req);
    uint32_t *last_rel = malloc(no * sizeof *last_rel);
    int32_t *rel_thread = calloc(no, sizeof *rel_thread);
    /* findings are written when the stream reaches their first event */
    uint8_t *fdone = calloc(tr->nfindings ? tr->nfindings : 1, 1);
    lv_err rc = LV_ENOMEM;
    int64_t t_end = 0;
    if (!x.th || !x.ob || !bits || !ended || !open || !req || !last_rel || !rel_thread || !fdone)
        goto done;
    int unfinished = prepass(tr, bits, open, req, last_rel, rel_thread, ended);
    if ((rc = run_end(tr, unfinished, &t_end)) != LV_OK) goto done;
    rc = LV_ENOMEM;
    if (!(x.w = cw_new(out))) goto done;
    cw *w = x.w;
    W_LIT(w, "{\"displayTimeUnit\": \"ms\", \"traceEvents\": [");
    x.name.n = 0;
    lv__sb_printf(&x.name, "lockviz: %s/%s (%s, seed %" PRIu64 ", %s)", tr->scenario, tr->variant,
                  lv_mode_name(tr->mode), tr->seed, lv_outcome_name(tr->outcome));
    meta_name(w, "process_name", 1, x.name.oom ? "" : x.name.s);
    for (size_t i = 0; i < tr->nthreads; i++) {
        meta_name(w, "thread_name", thread_tid(&x, (int32_t)i), tr->threads[i].name);
        x.th[i] = (thread_state){.state = ST_NONE, .on = LV_NONE, .req_seq = SEQ_NONE};
    }
    for (size_t i = 0; i < tr->nobjects; i++) {
        const lv_trace_object *o = &tr->objects[i];
        x.ob[i] = (obj_state){SEQ_NONE, LV_NONE, o->param};
        if (is_sem(o->kind))
            counter(&x, 1, o->id, 0, "permits", o->param);
        else if (o->kind == LV_OBJ_VAR)
            counter(&x, 1, o->id, 0, "var", o->param);
        else if (o->kind == LV_OBJ_GAUGE)
            counter(&x, 1, o->id, 0, "gauge", 0);
        else if (o->kind == LV_OBJ_EVENT)
            counter(&x, 1, o->id, 0, "event", x.ob[i].value = 0);
    }
    for (size_t i = 0; i < tr->nevents; i++) {
        const lv_event *e = &tr->events[i];
        int32_t th = e->thread;
        int64_t tid = thread_tid(&x, th);
        thread_state *s = &x.th[th];
        lv_obj_kind ok = kind_of(tr, e->obj);
        if (s->state == ST_SLEEP) { /* a sleep ends at its end or at the thread's next event */
            int64_t wake = s->sleep_end < e->t ? s->sleep_end : e->t;
            enter(&x, th, wake, ST_RUNNING, LV_NONE, 0);
        }
        if (s->state == ST_NONE && e->kind != LV_EV_END)
            enter(&x, th, e->t, ST_RUNNING, LV_NONE, 0);
        switch ((lv_event_kind)e->kind) {
        case LV_EV_REQUEST:
            s->req_seq = e->seq;
            if (bits[e->seq] & B_WAITED) enter(&x, th, e->t, ST_WAIT, e->obj, bits[e->seq]);
            break;
        case LV_EV_JOIN:
            instant(&x, e, "join", "thread");
            if (bits[e->seq] & B_WAITED)
                enter(&x, th, e->t, ST_JOIN, (int32_t)e->value, bits[e->seq]);
            break;
        case LV_EV_ACQUIRE:
            if (s->state == ST_WAIT && s->on == e->obj) enter(&x, th, e->t, ST_RUNNING, LV_NONE, 0);
            if (is_lock(ok) || is_sem(ok)) on_acquire(&x, e, ok, bits);
            if (is_sem(ok)) {
                x.ob[e->obj].value = (e->flags & LV_EVF_VALUE) ? e->value : x.ob[e->obj].value - 1;
                counter(&x, tid, e->obj, e->t, "permits", x.ob[e->obj].value);
            }
            s->req_seq = SEQ_NONE;
            break;
        case LV_EV_TIMEOUT:
            if (s->state == ST_WAIT || s->state == ST_JOIN)
                enter(&x, th, e->t, ST_RUNNING, LV_NONE, 0);
            instant(&x, e, "timeout", "wait");
            break;
        case LV_EV_RELEASE:
            if ((is_lock(ok) || is_sem(ok)) && !(e->flags & LV_EVF_REFUSED))
                on_release(&x, e, ok, bits);
            if (is_sem(ok)) {
                x.ob[e->obj].value = (e->flags & LV_EVF_VALUE) ? e->value : x.ob[e->obj].value + 1;
                counter(&x, tid, e->obj, e->t, "permits", x.ob[e->obj].value);
            }
            break;
        case LV_EV_SET:
        case LV_EV_CLEAR:
            instant(&x, e, lv_event_kind_name((lv_event_kind)e->kind), "event");
            if (ok == LV_OBJ_EVENT) counter(&x, tid, e->obj, e->t, "event", e->kind == LV_EV_SET);
            break;
        case LV_EV_WRITE:
            if (ok == LV_OBJ_GAUGE) {
                counter(&x, tid, e->obj, e->t, "gauge", e->value);
                break;
            }
            instant(&x, e, "write", "var");
            if (ok == LV_OBJ_VAR) counter(&x, tid, e->obj, e->t, "var", e->value);
            break;
        case LV_EV_READ:
            instant(&x, e, "read", ok == LV_OBJ_VAR ? "var" : "event");
            break;
        case LV_EV_NOTE: {
            const char *text = lv_trace_text(tr, e);
            instant(&x, e, text ? text : "", (e->flags & LV_EVF_CHECK) ? "check" : "note");
            break;
        }
        case LV_EV_SLEEP:
            instant(&x, e, "sleep", "thread");
            enter(&x, th, e->t, ST_SLEEP, LV_NONE, 0);
            s->sleep_end = e->t + (e->value > 0 ? e->value : 0);
            break;
        case LV_EV_END:
            instant(&x, e, "end", "thread");
            enter(&x, th, e->t, ST_DONE, LV_NONE, 0);
            for (size_t k = 0; k < tr->nthreads; k++) /* whoever joins it goes on */
                if (x.th[k].state == ST_JOIN && x.th[k].on == th)
                    enter(&x, (int32_t)k, e->t, ST_RUNNING, LV_NONE, 0);
            break;
        case LV_EV_START:
        case LV_EV_SPAWN:
        case LV_EV_NOTIFY:
            instant(&x, e, lv_event_kind_name((lv_event_kind)e->kind), "thread");
            break;
        default:
            break;
        }
        for (size_t k = 0; k < tr->nfindings; k++) {
            const lv_finding *f = &tr->findings[k];
            if (fdone[k] || !(f->nevents ? f->events[0] == e->seq : i + 1 == tr->nevents)) continue;
            fdone[k] = 1;
            finding(&x, f, e->t);
        }
    }
    /* what never finished: the states of threads that never ended (a deadlocked run's waits),
     * holds never released */
    for (size_t t = 0; t < tr->nthreads; t++) {
        thread_state *s = &x.th[t];
        if (s->state == ST_SLEEP && s->sleep_end < t_end)
            enter(&x, (int32_t)t, s->sleep_end, ST_RUNNING, LV_NONE, 0);
        enter(&x, (int32_t)t, t_end, ST_DONE, LV_NONE, 0);
        for (size_t h = 0; h < s->nholds; h++)
            while (s->holds[h].count > 0) {
                s->holds[h].count--;
                hold_slice(&x, "E", (int32_t)t, s->holds[h].obj, t_end);
            }
    }
    for (size_t k = 0; k < tr->nfindings; k++)
        if (!fdone[k]) finding(&x, &tr->findings[k], t_end);
    W_LIT(w, "\n]}\n");
    w_flush(w);
    rc = x.name.oom ? LV_ENOMEM : ferror(out) ? LV_EIO : LV_OK;
done:
    if (x.th)
        for (size_t t = 0; t < tr->nthreads; t++)
            free(x.th[t].holds);
    free(x.th);
    free(x.ob);
    free(bits);
    free(ended);
    free(open);
    free(req);
    free(last_rel);
    free(rel_thread);
    free(fdone);
    free(x.w);
    free(x.name.s);
    return rc;
}

static lv_err write_chrome(void *ctx, FILE *f) {
    return lv_trace_write_chrome(ctx, f);
}

lv_err lv_trace_save_chrome(const lv_trace *tr, const char *path, char *errbuf, size_t errlen) {
    return lv_write_atomic(path, write_chrome, (void *)tr, errbuf, errlen);
}
