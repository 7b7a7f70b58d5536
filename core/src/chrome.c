/* The Chrome Trace Event Format exporter (what Perfetto and chrome://tracing open), streamed in
 * one pass over the events with state per thread and object only. The mapping is documented
 * in docs/chrome-format.md. It does not write the native format's findings as data: they
 * become global instant events a person reads. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "lockviz/io.h"
#include "outbuf.h"
#include "lockviz/lockviz.h"

#define MARK_NS 1 /* release/acquire marks are 1 ns slices that flow arrows bind to */

/* Starts one event object: {"ph": .., "pid": 1, "tid": .., "ts": .., */
static void ev_begin(cw *w, const char *ph, int32_t tid, int64_t ts_ns) {
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

typedef struct open_wait {
    int ended; /* the thread's end has been written */
    int open;
    int shown;      /* a B was written (the wait lasted) */
    int32_t obj;    /* LV_NONE for a join */
    int32_t joined; /* the thread a join waits for */
    int64_t t;
    uint32_t seq;
} open_wait;

typedef struct lock_state {
    int held;
    int32_t holder;
    uint32_t hold_id; /* the acquire's seq */
    int released;     /* a release happened and no acquire since: the next acquire gets an arrow */
    int32_t rel_thread;
    int64_t rel_t;
    uint32_t rel_seq;
    int64_t permits;
} lock_state;

static void wait_begin(cw *w, const lv_trace *tr, int32_t tid, const open_wait *ow) {
    ev_begin(w, "B", tid, ow->t);
    W_LIT(w, ", \"cat\": \"wait\", \"name\": ");
    if (ow->obj == LV_NONE) {
        put_str2(w, "join", lv_trace_thread_name(tr, ow->joined));
    } else {
        W_LIT(w, "\"wait ");
        w_puts(w, lv_obj_kind_name(tr->objects[ow->obj].kind));
        W_LIT(w, " ");
        put_esc(w, obj_name(tr, ow->obj));
        W_LIT(w, "\"");
    }
    W_LIT(w, ", \"args\": {\"request_seq\": ");
    w_u64(w, ow->seq);
    W_LIT(w, "}}");
}

static void wait_end(cw *w, int32_t tid, open_wait *ow, int64_t t, const char *how) {
    if (!ow->open) return;
    ow->open = 0;
    if (!ow->shown) return;
    ev_begin(w, "E", tid, t);
    if (how) {
        W_LIT(w, ", \"args\": {\"outcome\": ");
        put_str(w, how);
        W_LIT(w, "}");
    }
    W_LIT(w, "}");
}

static void instant(cw *w, const lv_trace *tr, const lv_event *e, const char *name,
                    const char *cat) {
    ev_begin(w, "i", e->thread, e->t);
    W_LIT(w, ", \"s\": \"t\", \"cat\": ");
    put_str(w, cat);
    W_LIT(w, ", \"name\": ");
    put_str(w, name);
    W_LIT(w, ", \"args\": {\"seq\": ");
    w_u64(w, e->seq);
    if (e->obj != LV_NONE) {
        W_LIT(w, ", \"object\": ");
        put_str(w, obj_name(tr, e->obj));
    }
    if ((e->flags & LV_EVF_VALUE) && !(e->flags & LV_EVF_TEXT)) {
        W_LIT(w, ", \"value\": ");
        w_i64(w, e->value);
    }
    W_LIT(w, "}}");
}

static void counter(cw *w, const lv_trace *tr, int32_t obj, int64_t t, const char *what,
                    int64_t value) {
    ev_begin(w, "C", 0, t);
    W_LIT(w, ", \"name\": ");
    put_str2(w, what, obj_name(tr, obj));
    W_LIT(w, ", \"args\": {");
    put_str(w, obj_name(tr, obj));
    W_LIT(w, ": ");
    w_i64(w, value);
    W_LIT(w, "}}");
}

static void mark(cw *w, const lv_trace *tr, int32_t tid, int64_t t, const char *what, int32_t obj,
                 uint32_t seq) {
    ev_begin(w, "X", tid, t);
    W_LIT(w, ", \"dur\": ");
    w_us(w, MARK_NS);
    W_LIT(w, ", \"cat\": \"lock\", \"name\": ");
    put_str2(w, what, obj_name(tr, obj));
    W_LIT(w, ", \"args\": {\"seq\": ");
    w_u64(w, seq);
    W_LIT(w, "}}");
}

static void hold(cw *w, const lv_trace *tr, const char *ph, int32_t tid, int64_t t, int32_t obj,
                 uint32_t id) {
    ev_begin(w, ph, tid, t);
    W_LIT(w, ", \"cat\": \"hold\", \"id\": ");
    w_u64(w, id);
    W_LIT(w, ", \"name\": ");
    put_str2(w, "holds", obj_name(tr, obj));
    W_LIT(w, "}");
}

static int bit(const uint8_t *b, size_t i) {
    return (b[i >> 3] >> (i & 7)) & 1;
}
static void set_bit(uint8_t *b, size_t i) {
    b[i >> 3] |= (uint8_t)(1u << (i & 7));
}

/* The one look ahead the stream needs, as two bits per event: which requests really waited
 * (their acquire or timeout came later), and which lock releases let a later acquire in. */
static void prepass(const lv_trace *tr, uint8_t *waited, uint8_t *has_next, uint32_t *req,
                    uint32_t *rel) {
    for (size_t t = 0; t < tr->nthreads; t++)
        req[t] = UINT32_MAX;
    for (size_t o = 0; o < tr->nobjects; o++)
        rel[o] = UINT32_MAX;
    for (size_t i = 0; i < tr->nevents; i++) {
        const lv_event *e = &tr->events[i];
        if (e->kind == LV_EV_REQUEST) req[e->thread] = e->seq;
        if ((e->kind == LV_EV_ACQUIRE || e->kind == LV_EV_TIMEOUT) &&
            req[e->thread] != UINT32_MAX) {
            if (tr->events[req[e->thread]].t < e->t) set_bit(waited, req[e->thread]);
            req[e->thread] = UINT32_MAX;
        }
        if (e->obj == LV_NONE) continue;
        lv_obj_kind k = tr->objects[e->obj].kind;
        if (k != LV_OBJ_MUTEX && k != LV_OBJ_RLOCK) continue;
        if (e->kind == LV_EV_RELEASE) rel[e->obj] = e->seq;
        if (e->kind == LV_EV_ACQUIRE && rel[e->obj] != UINT32_MAX) {
            set_bit(has_next, rel[e->obj]);
            rel[e->obj] = UINT32_MAX;
        }
    }
    /* a request still open at the end never got through: it waited to the end */
    for (size_t t = 0; t < tr->nthreads; t++)
        if (req[t] != UINT32_MAX) set_bit(waited, req[t]);
}

static void finding(cw *w, const lv_finding *f, int64_t t) {
    ev_begin(w, "i", 0, t);
    W_LIT(w, ", \"s\": \"g\", \"cat\": \"finding\", \"name\": ");
    put_str(w, lv_finding_kind_name(f->kind));
    W_LIT(w, ", \"args\": {\"message\": ");
    put_str(w, f->message);
    W_LIT(w, "}}");
}

lv_err lv_trace_write_chrome(const lv_trace *tr, FILE *out) {
    open_wait *ow = calloc(tr->nthreads ? tr->nthreads : 1, sizeof *ow);
    lock_state *ls = calloc(tr->nobjects ? tr->nobjects : 1, sizeof *ls);
    size_t nb = tr->nevents / 8 + 1;
    uint8_t *waited = calloc(nb, 1), *has_next = calloc(nb, 1);
    uint32_t *req = malloc((tr->nthreads ? tr->nthreads : 1) * sizeof *req);
    uint32_t *rel = malloc((tr->nobjects ? tr->nobjects : 1) * sizeof *rel);
    /* findings are written when the stream reaches their first event */
    size_t *fnext = calloc(tr->nfindings ? tr->nfindings : 1, sizeof *fnext);
    cw *wp = NULL;
    lv_err rc = LV_ENOMEM;
    if (!ow || !ls || !waited || !has_next || !req || !rel || !fnext) goto done;
    prepass(tr, waited, has_next, req, rel);
    if (!(wp = cw_new(out))) goto done;
    W_LIT(wp, "{\"displayTimeUnit\": \"ms\", \"traceEvents\": [");
    ev_begin(wp, "M", 0, 0);
    W_LIT(wp, ", \"name\": \"process_name\", \"args\": {\"name\": \"lockviz: ");
    put_esc(wp, tr->scenario); /* the title whole, however long the names */
    W_LIT(wp, "/");
    put_esc(wp, tr->variant);
    W_LIT(wp, " (");
    w_puts(wp, lv_mode_name(tr->mode));
    W_LIT(wp, ", seed ");
    w_u64(wp, tr->seed);
    W_LIT(wp, ", ");
    w_puts(wp, lv_outcome_name(tr->outcome));
    W_LIT(wp, ")\"");
    W_LIT(wp, "}}");
    for (size_t i = 0; i < tr->nthreads; i++) {
        ev_begin(wp, "M", (int32_t)i, 0);
        W_LIT(wp, ", \"name\": \"thread_name\", \"args\": {\"name\": ");
        put_str(wp, tr->threads[i].name);
        W_LIT(wp, "}}");
        ev_begin(wp, "M", (int32_t)i, 0);
        W_LIT(wp, ", \"name\": \"thread_sort_index\", \"args\": {\"sort_index\": ");
        w_u64(wp, i);
        W_LIT(wp, "}}");
    }
    int64_t t_end = tr->nevents ? tr->events[tr->nevents - 1].t : 0;
    for (size_t i = 0; i < tr->nobjects; i++) {
        const lv_trace_object *o = &tr->objects[i];
        if (o->kind == LV_OBJ_SEMAPHORE || o->kind == LV_OBJ_BOUNDED_SEMAPHORE) {
            ls[i].permits = o->param;
            counter(wp, tr, o->id, 0, "permits", o->param);
        } else if (o->kind == LV_OBJ_VAR) {
            counter(wp, tr, o->id, 0, "var", o->param);
        }
    }
    for (size_t i = 0; i < tr->nevents; i++) {
        const lv_event *e = &tr->events[i];
        int32_t tid = e->thread;
        lv_obj_kind ok = e->obj != LV_NONE ? tr->objects[e->obj].kind : LV_OBJ__COUNT;
        int is_lock = ok == LV_OBJ_MUTEX || ok == LV_OBJ_RLOCK;
        lock_state *L = e->obj != LV_NONE ? &ls[e->obj] : NULL;
        /* any event of a joining thread ends its join */
        if (ow[tid].open && ow[tid].obj == LV_NONE && e->kind != LV_EV_TIMEOUT)
            wait_end(wp, tid, &ow[tid], e->t, NULL);
        switch (e->kind) {
        case LV_EV_REQUEST:
            ow[tid] = (open_wait){0, 1, bit(waited, e->seq), e->obj, LV_NONE, e->t, e->seq};
            if (ow[tid].shown) wait_begin(wp, tr, tid, &ow[tid]);
            break;
        case LV_EV_JOIN: {
            /* a join waits unless the joined thread had already ended */
            int32_t j = (int32_t)e->value;
            ow[tid] = (open_wait){0, 1, !ow[j].ended, LV_NONE, j, e->t, e->seq};
            if (ow[tid].shown) wait_begin(wp, tr, tid, &ow[tid]);
            break;
        }
        case LV_EV_ACQUIRE:
            if (ow[tid].open && ow[tid].obj == e->obj) wait_end(wp, tid, &ow[tid], e->t, NULL);
            if (is_lock) {
                int fresh = !L->held || L->holder != tid; /* not an RLock re-entry */
                if (fresh) {
                    mark(wp, tr, tid, e->t, "acquire", e->obj, e->seq);
                    if (L->released) { /* the arrow from the release that let this one in */
                        ev_begin(wp, "f", tid, e->t);
                        W_LIT(wp, ", \"bp\": \"e\", \"cat\": \"lock\", \"id\": ");
                        w_u64(wp, L->rel_seq);
                        W_LIT(wp, ", \"name\": ");
                        put_str(wp, obj_name(tr, e->obj));
                        W_LIT(wp, "}");
                        L->released = 0;
                    }
                    if (L->held) hold(wp, tr, "e", L->holder, e->t, e->obj, L->hold_id);
                    L->held = 1;
                    L->holder = tid;
                    L->hold_id = e->seq;
                    hold(wp, tr, "b", tid, e->t, e->obj, e->seq);
                }
            } else if (ok == LV_OBJ_SEMAPHORE || ok == LV_OBJ_BOUNDED_SEMAPHORE) {
                L->permits = (e->flags & LV_EVF_VALUE) ? e->value : L->permits - 1;
                counter(wp, tr, e->obj, e->t, "permits", L->permits);
            }
            break;
        case LV_EV_TIMEOUT:
            if (ow[tid].open) wait_end(wp, tid, &ow[tid], e->t, "timeout");
            instant(wp, tr, e, "timeout", "wait");
            break;
        case LV_EV_RELEASE:
            if (is_lock) {
                int whole = ok == LV_OBJ_MUTEX || !(e->flags & LV_EVF_VALUE) || e->value <= 0;
                if (whole && L->held && (L->holder == tid || ok == LV_OBJ_MUTEX)) {
                    mark(wp, tr, tid, e->t, "release", e->obj, e->seq);
                    if (bit(has_next, e->seq)) { /* the arrow starts here; its end comes later */
                        ev_begin(wp, "s", tid, e->t);
                        W_LIT(wp, ", \"cat\": \"lock\", \"id\": ");
                        w_u64(wp, e->seq);
                        W_LIT(wp, ", \"name\": ");
                        put_str(wp, obj_name(tr, e->obj));
                        W_LIT(wp, "}");
                    }
                    hold(wp, tr, "e", L->holder, e->t, e->obj, L->hold_id);
                    L->held = 0;
                    L->released = 1;
                    L->rel_thread = tid;
                    L->rel_t = e->t;
                    L->rel_seq = e->seq;
                } else if (!L->held || (L->holder != tid && ok == LV_OBJ_RLOCK)) {
                    instant(wp, tr, e, "release (misuse)", "lock");
                }
            } else if (ok == LV_OBJ_SEMAPHORE || ok == LV_OBJ_BOUNDED_SEMAPHORE) {
                L->permits = (e->flags & LV_EVF_VALUE) ? e->value : L->permits + 1;
                counter(wp, tr, e->obj, e->t, "permits", L->permits);
            }
            break;
        case LV_EV_WRITE:
            counter(wp, tr, e->obj, e->t, "var", e->value);
            instant(wp, tr, e, "write", "var");
            break;
        case LV_EV_READ:
            instant(wp, tr, e, "read", ok == LV_OBJ_VAR ? "var" : "event");
            break;
        case LV_EV_NOTE: {
            const char *text = lv_trace_text(tr, e);
            instant(wp, tr, e, text ? text : "", (e->flags & LV_EVF_CHECK) ? "check" : "note");
            break;
        }
        case LV_EV_END:
            ow[tid].ended = 1;
            instant(wp, tr, e, "end", "thread");
            break;
        case LV_EV_START:
        case LV_EV_SPAWN:
        case LV_EV_SET:
        case LV_EV_CLEAR:
        case LV_EV_NOTIFY:
        case LV_EV_SLEEP:
            instant(wp, tr, e, lv_event_kind_name((lv_event_kind)e->kind), "thread");
            break;
        default:
            break;
        }
        for (size_t k = 0; k < tr->nfindings; k++) {
            const lv_finding *f = &tr->findings[k];
            if (fnext[k] || !(f->nevents ? f->events[0] == e->seq : i + 1 == tr->nevents)) continue;
            fnext[k] = 1;
            finding(wp, f, e->t);
        }
    }
    /* what never finished: waits of a deadlocked run, holds never released */
    for (size_t t = 0; t < tr->nthreads; t++)
        if (ow[t].open) wait_end(wp, (int32_t)t, &ow[t], t_end, "never granted");
    for (size_t o = 0; o < tr->nobjects; o++)
        if (ls[o].held) hold(wp, tr, "e", ls[o].holder, t_end, (int32_t)o, ls[o].hold_id);
    for (size_t k = 0; k < tr->nfindings; k++)
        if (!fnext[k]) finding(wp, &tr->findings[k], t_end);
    W_LIT(wp, "\n]}\n");
    w_flush(wp);
    rc = ferror(out) ? LV_EIO : LV_OK;
done:
    free(ow);
    free(ls);
    free(waited);
    free(has_next);
    free(req);
    free(rel);
    free(fnext);
    free(wp);
    return rc;
}

static lv_err write_chrome(void *ctx, FILE *f) {
    return lv_trace_write_chrome(ctx, f);
}

lv_err lv_trace_save_chrome(const lv_trace *tr, const char *path, char *errbuf, size_t errlen) {
    return lv_write_atomic(path, write_chrome, (void *)tr, errbuf, errlen);
}
