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
    W_LIT(w, "]}");
}

static const char *obj_param_name(lv_obj_kind k) {
    switch (k) {
    case LV_OBJ_SEMAPHORE:
    case LV_OBJ_BOUNDED_SEMAPHORE:
    case LV_OBJ_QUEUE:
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
    W_LIT(w, "}},\n  \"mode\": \"");
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
        W_LIT(w, "}");
    }
    if (tr->nobjects)
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
