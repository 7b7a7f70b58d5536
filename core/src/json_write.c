/* The native trace writer: streams the JSON with one event per line through a small buffer,
 * so memory does not grow with the trace, and writes every field in one fixed order, so the
 * bytes are a function of the trace alone. It does not validate: lv_trace_read_json is the
 * gatekeeper. */
#include <stdlib.h>
#include <string.h>
#include "lockviz/io.h"
#include "lockviz/lockviz.h"
#include "outbuf.h"

static void put_ids32(cw *w, const int32_t *a, size_t n) {
    W_LIT(w, "[");
    for (size_t i = 0; i < n; i++) {
        if (i) W_LIT(w, ", ");
        w_i64(w, a[i]);
    }
    W_LIT(w, "]");
}

/* ---- a finding's payload: one field named after it (docs/trace-format.md "Findings") ---- */

static void put_key_i64(cw *w, const char *key, int64_t v) {
    W_LIT(w, ", \"");
    w_puts(w, key);
    W_LIT(w, "\": ");
    w_i64(w, v);
}

static void put_access(cw *w, const char *key, const lv_access *a) {
    W_LIT(w, ", \"");
    w_puts(w, key);
    W_LIT(w, "\": {\"thread\": ");
    w_i64(w, a->thread);
    W_LIT(w, ", \"seq\": ");
    w_u64(w, a->seq);
    W_LIT(w, ", \"kind\": ");
    put_str(w, lv_event_kind_name((lv_event_kind)a->kind));
    W_LIT(w, "}");
}

static void put_payload(cw *w, const lv_finding *f) {
    switch (f->payload) {
    case LV_PAY_RACE:
        W_LIT(w, ", \"race\": {\"var\": ");
        w_i64(w, f->data.race.var);
        put_access(w, "first", &f->data.race.first);
        put_access(w, "second", &f->data.race.second);
        W_LIT(w, "}");
        break;
    case LV_PAY_LOST_UPDATE:
        W_LIT(w, ", \"lost_update\": {\"var\": ");
        w_i64(w, f->data.lost.var);
        put_access(w, "read", &f->data.lost.read);
        put_access(w, "lost", &f->data.lost.lost);
        put_access(w, "overwrite", &f->data.lost.overwrite);
        W_LIT(w, ", \"more\": ");
        w_u64(w, f->data.lost.more);
        W_LIT(w, "}");
        break;
    case LV_PAY_DEADLOCK: {
        const lv_deadlock_info *d = &f->data.deadlock;
        W_LIT(w, ", \"deadlock\": {\"shape\": ");
        put_str(w, lv_deadlock_shape_name(d->shape));
        W_LIT(w, ", \"steps\": [");
        for (size_t k = 0; k < d->nsteps; k++) {
            const lv_wait_step *s = &d->steps[k];
            w_puts(w, k ? ", {\"thread\": " : "{\"thread\": ");
            w_i64(w, s->thread);
            if (s->holds != LV_NONE) {
                put_key_i64(w, "holds", s->holds);
                put_key_i64(w, "acquired", s->acquired);
            }
            if (s->obj != LV_NONE) put_key_i64(w, "waits_for", s->obj);
            if (s->joins != LV_NONE) put_key_i64(w, "joins", s->joins);
            put_key_i64(w, "at", s->seq);
            W_LIT(w, ", \"held_by\": ");
            put_ids32(w, s->held_by, s->nheld_by);
            W_LIT(w, "}");
        }
        W_LIT(w, "]}");
        break;
    }
    case LV_PAY_LOCK_ORDER:
        W_LIT(w, ", \"lock_order\": {\"edges\": [");
        for (size_t k = 0; k < f->data.order.nedges; k++) {
            const lv_order_edge *x = &f->data.order.edges[k];
            w_puts(w, k ? ", {\"thread\": " : "{\"thread\": ");
            w_i64(w, x->thread);
            put_key_i64(w, "from", x->from);
            put_key_i64(w, "to", x->to);
            put_key_i64(w, "acquire", x->acquire);
            put_key_i64(w, "request", x->request);
            W_LIT(w, "}");
        }
        W_LIT(w, "]");
        if (!f->data.order.nedges) { /* the summary of the cycles not listed */
            put_key_i64(w, "more", (int64_t)f->data.order.more);
            put_key_i64(w, "listed", f->data.order.listed);
            put_key_i64(w, "bound", f->data.order.bound);
        }
        W_LIT(w, "}");
        break;
    case LV_PAY_MISUSE: {
        const lv_misuse_info *m = &f->data.misuse;
        W_LIT(w, ", \"misuse\": {\"rule\": ");
        put_str(w, lv_misuse_rule_name(m->rule));
        put_key_i64(w, "thread", m->thread);
        if (m->obj != LV_NONE) put_key_i64(w, "obj", m->obj);
        put_key_i64(w, "seq", m->seq);
        if (m->other != LV_NONE) put_key_i64(w, "holder", m->other);
        W_LIT(w, "}");
        break;
    }
    case LV_PAY_INVARIANT:
        W_LIT(w, ", \"invariant\": {\"thread\": ");
        w_i64(w, f->data.invariant.thread);
        put_key_i64(w, "seq", f->data.invariant.seq);
        W_LIT(w, ", \"text\": ");
        put_str(w, f->data.invariant.text);
        W_LIT(w, "}");
        break;
    default:
        break;
    }
}

static void put_finding(cw *w, const lv_finding *f) {
    W_LIT(w, "{\"kind\": ");
    put_str(w, lv_finding_kind_name(f->kind));
    W_LIT(w, ", \"message\": ");
    put_str(w, f->message);
    if (f->detail) {
        W_LIT(w, ", \"detail\": ");
        put_str(w, f->detail);
    }
    W_LIT(w, ", \"threads\": ");
    put_ids32(w, f->threads, f->nthreads);
    W_LIT(w, ", \"objects\": ");
    put_ids32(w, f->objects, f->nobjects);
    W_LIT(w, ", \"events\": [");
    for (size_t i = 0; i < f->nevents; i++) {
        if (i) W_LIT(w, ", ");
        w_u64(w, f->events[i]);
    }
    W_LIT(w, "]");
    put_payload(w, f);
    W_LIT(w, "}");
}

static const char *obj_param_name(lv_obj_kind k) {
    switch (k) {
    case LV_OBJ_SEMAPHORE:
    case LV_OBJ_BOUNDED_SEMAPHORE:
    case LV_OBJ_QUEUE:
    case LV_OBJ_GAUGE:
    case LV_OBJ_BARRIER:
        return "capacity";
    case LV_OBJ_VAR:
        return "initial";
    case LV_OBJ_CONDITION:
        return "lock";
    default:
        return NULL;
    }
}

static void write_all(cw *w, const lv_trace *tr) {
    W_LIT(w, "{\n  \"format\": \"lockviz-trace\",\n  \"version\": 1,\n  \"scenario\": {\"name\": ");
    put_str(w, tr->scenario);
    W_LIT(w, ", \"variant\": ");
    put_str(w, tr->variant);
    if (tr->scenario_path) {
        W_LIT(w, ", \"path\": ");
        put_str(w, tr->scenario_path);
    }
    W_LIT(w, ", \"params\": {");
    for (size_t i = 0; i < tr->nparams; i++) {
        if (i) W_LIT(w, ", ");
        put_str(w, tr->params[i].name);
        W_LIT(w, ": ");
        w_i64(w, tr->params[i].value);
    }
    W_LIT(w, "}},\n");
    if (tr->program) {
        const lv_program *pg = tr->program;
        W_LIT(w, "  \"program\": {\"path\": ");
        put_str(w, pg->path);
        W_LIT(w, ", \"args\": [");
        for (size_t i = 0; i < pg->nargs; i++) {
            if (i) W_LIT(w, ", ");
            put_str(w, pg->args[i]);
        }
        W_LIT(w, "], \"end\": \"");
        w_puts(w, lv_program_end_name(pg->end));
        W_LIT(w, "\"");
        put_key_i64(w, "status", pg->status);
        if (pg->policy) {
            W_LIT(w, ", \"policy\": ");
            put_str(w, pg->policy);
        }
        W_LIT(w, "},\n");
    }
    W_LIT(w, "  \"mode\": \"");
    w_puts(w, lv_mode_name(tr->mode));
    W_LIT(w, "\",\n  \"seed\": ");
    w_u64(w, tr->seed);
    W_LIT(w, ",\n  \"schedule\": ");
    put_ids32(w, tr->schedule, tr->nschedule);
    W_LIT(w, ",\n  \"threads\": [");
    for (size_t i = 0; i < tr->nthreads; i++) {
        if (i) W_LIT(w, ",");
        W_LIT(w, "\n    {\"id\": ");
        w_i64(w, tr->threads[i].id);
        W_LIT(w, ", \"name\": ");
        put_str(w, tr->threads[i].name);
        W_LIT(w, "}");
    }
    if (tr->nthreads)
        W_LIT(w, "\n  ],\n  \"objects\": [");
    else
        W_LIT(w, "],\n  \"objects\": [");
    for (size_t i = 0; i < tr->nobjects; i++) {
        const lv_trace_object *o = &tr->objects[i];
        if (i) W_LIT(w, ",");
        W_LIT(w, "\n    {\"id\": ");
        w_i64(w, o->id);
        W_LIT(w, ", \"kind\": \"");
        w_puts(w, lv_obj_kind_name(o->kind));
        W_LIT(w, "\", \"name\": ");
        put_str(w, o->name);
        const char *pn = obj_param_name(o->kind);
        if (pn) {
            W_LIT(w, ", \"");
            w_puts(w, pn);
            W_LIT(w, "\": ");
            w_i64(w, o->param);
        }
        if (o->site1) put_key_i64(w, "site", (int64_t)o->site1 - 1);
        W_LIT(w, "}");
    }
    if (tr->nsites) {
        w_puts(w, tr->nobjects ? "\n  ],\n  \"sites\": [" : "],\n  \"sites\": [");
        for (size_t i = 0; i < tr->nsites; i++) {
            const lv_site *st = &tr->sites[i];
            if (i) W_LIT(w, ",");
            W_LIT(w, "\n    {\"id\": ");
            w_u64(w, i);
            if (st->file) {
                W_LIT(w, ", \"file\": ");
                put_str(w, st->file);
                put_key_i64(w, "line", st->line);
            }
            if (st->function) {
                W_LIT(w, ", \"function\": ");
                put_str(w, st->function);
            }
            if (st->module) {
                W_LIT(w, ", \"module\": ");
                put_str(w, st->module);
            }
            if (!st->file) put_key_i64(w, "offset", (int64_t)st->offset);
            W_LIT(w, "}");
        }
    }
    if (tr->nobjects || tr->nsites)
        W_LIT(w, "\n  ],\n  \"events\": [");
    else
        W_LIT(w, "],\n  \"events\": [");
    for (size_t i = 0; i < tr->nevents; i++) {
        const lv_event *e = &tr->events[i];
        if (i) W_LIT(w, ",");
        W_LIT(w, "\n    {\"seq\": ");
        w_u64(w, e->seq);
        W_LIT(w, ", \"t\": ");
        w_i64(w, e->t);
        W_LIT(w, ", \"thread\": ");
        w_i64(w, e->thread);
        W_LIT(w, ", \"kind\": \"");
        w_puts(w, lv_event_kind_name((lv_event_kind)e->kind));
        W_LIT(w, "\"");
        if (e->obj != LV_NONE) {
            W_LIT(w, ", \"obj\": ");
            w_i64(w, e->obj);
        }
        if (e->flags & LV_EVF_TEXT) {
            W_LIT(w, ", \"text\": ");
            put_str(w, lv_trace_text(tr, e));
        } else if (e->flags & LV_EVF_VALUE) {
            W_LIT(w, ", \"value\": ");
            w_i64(w, e->value);
        }
        if (e->flags & LV_EVF_CHECK) {
            if (e->flags & LV_EVF_CHECK_OK)
                W_LIT(w, ", \"check\": true");
            else
                W_LIT(w, ", \"check\": false");
        }
        if (e->obj != LV_NONE && (size_t)e->obj < tr->nobjects &&
            tr->objects[e->obj].kind == LV_OBJ_RWLOCK && e->kind != LV_EV_DESTROY) {
            if (e->flags & LV_EVF_READ)
                W_LIT(w, ", \"hold\": \"read\"");
            else
                W_LIT(w, ", \"hold\": \"write\"");
        }
        if (e->flags & LV_EVF_REFUSED) {
            if (e->kind == LV_EV_RELEASE)
                W_LIT(w, ", \"error\": \"EPERM\"");
            else
                W_LIT(w, ", \"error\": \"EDEADLK\"");
        }
        if (tr->event_site && tr->event_site[i])
            put_key_i64(w, "site", (int64_t)tr->event_site[i] - 1);
        W_LIT(w, "}");
    }
    if (tr->nevents)
        W_LIT(w, "\n  ],\n  \"findings\": [");
    else
        W_LIT(w, "],\n  \"findings\": [");
    for (size_t i = 0; i < tr->nfindings; i++) {
        if (i)
            W_LIT(w, ",\n    ");
        else
            W_LIT(w, "\n    ");
        put_finding(w, &tr->findings[i]);
    }
    if (tr->nfindings)
        W_LIT(w, "\n  ]");
    else
        W_LIT(w, "]");
    W_LIT(w, ",\n  \"outcome\": \"");
    w_puts(w, lv_outcome_name(tr->outcome));
    W_LIT(w, "\",\n  \"dropped\": ");
    w_u64(w, tr->dropped);
    W_LIT(w, "\n}\n");
}

lv_err lv_trace_write_json(const lv_trace *tr, FILE *out) {
    cw *w = cw_new(out);
    if (!w) return LV_ENOMEM;
    write_all(w, tr);
    w_flush(w);
    free(w);
    return ferror(out) ? LV_EIO : LV_OK;
}

lv_err lv_findings_write_json(const lv_trace *tr, const lv_finding *f, size_t n, FILE *out) {
    (void)tr;
    cw *w = cw_new(out);
    if (!w) return LV_ENOMEM;
    W_LIT(w, "[");
    for (size_t i = 0; i < n; i++) {
        if (i)
            W_LIT(w, ",\n  ");
        else
            W_LIT(w, "\n  ");
        put_finding(w, &f[i]);
    }
    if (n)
        W_LIT(w, "\n]\n");
    else
        W_LIT(w, "]\n");
    w_flush(w);
    free(w);
    return ferror(out) ? LV_EIO : LV_OK;
}

static lv_err write_native(void *ctx, FILE *f) {
    return lv_trace_write_json(ctx, f);
}

lv_err lv_trace_save(const lv_trace *tr, const char *path, char *errbuf, size_t errlen) {
    return lv_write_atomic(path, write_native, (void *)tr, errbuf, errlen);
}
