/* The native trace writer: streams the JSON with one event per line, so memory does not grow
 * with the trace, and writes every field in one fixed order, so the bytes are a function of the
 * trace alone. It does not validate: lv_trace_read_json is the gatekeeper. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lockviz/io.h"
#include "lockviz/lockviz.h"

static void put_str(FILE *out, const char *s) {
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        switch (*p) {
        case '"':
            fputs("\\\"", out);
            break;
        case '\\':
            fputs("\\\\", out);
            break;
        case '\n':
            fputs("\\n", out);
            break;
        case '\t':
            fputs("\\t", out);
            break;
        case '\r':
            fputs("\\r", out);
            break;
        default:
            if (*p < 0x20)
                fprintf(out, "\\u%04x", *p);
            else
                fputc(*p, out);
        }
    }
    fputc('"', out);
}

static void put_ids32(FILE *out, const int32_t *a, size_t n) {
    fputc('[', out);
    for (size_t i = 0; i < n; i++)
        fprintf(out, "%s%" PRId32, i ? ", " : "", a[i]);
    fputc(']', out);
}

static void put_finding(FILE *out, const lv_finding *f) {
    fputs("{\"kind\": ", out);
    put_str(out, lv_finding_kind_name(f->kind));
    fputs(", \"message\": ", out);
    put_str(out, f->message);
    if (f->detail) {
        fputs(", \"detail\": ", out);
        put_str(out, f->detail);
    }
    fputs(", \"threads\": ", out);
    put_ids32(out, f->threads, f->nthreads);
    fputs(", \"objects\": ", out);
    put_ids32(out, f->objects, f->nobjects);
    fputs(", \"events\": [", out);
    for (size_t i = 0; i < f->nevents; i++)
        fprintf(out, "%s%" PRIu32, i ? ", " : "", f->events[i]);
    fputs("]}", out);
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

lv_err lv_trace_write_json(const lv_trace *tr, FILE *out) {
    fputs("{\n  \"format\": \"lockviz-trace\",\n  \"version\": 1,\n  \"scenario\": {\"name\": ",
          out);
    put_str(out, tr->scenario);
    fputs(", \"variant\": ", out);
    put_str(out, tr->variant);
    fputs(", \"params\": {", out);
    for (size_t i = 0; i < tr->nparams; i++) {
        fputs(i ? ", " : "", out);
        put_str(out, tr->params[i].name);
        fprintf(out, ": %" PRId64, tr->params[i].value);
    }
    fprintf(out, "}},\n  \"mode\": \"%s\",\n  \"seed\": %" PRIu64 ",\n  \"schedule\": ",
            lv_mode_name(tr->mode), tr->seed);
    put_ids32(out, tr->schedule, tr->nschedule);
    fputs(",\n  \"threads\": [", out);
    for (size_t i = 0; i < tr->nthreads; i++) {
        fprintf(out, "%s\n    {\"id\": %" PRId32 ", \"name\": ", i ? "," : "", tr->threads[i].id);
        put_str(out, tr->threads[i].name);
        fputc('}', out);
    }
    fputs(tr->nthreads ? "\n  ],\n  \"objects\": [" : "],\n  \"objects\": [", out);
    for (size_t i = 0; i < tr->nobjects; i++) {
        const lv_trace_object *o = &tr->objects[i];
        fprintf(out, "%s\n    {\"id\": %" PRId32 ", \"kind\": \"%s\", \"name\": ", i ? "," : "",
                o->id, lv_obj_kind_name(o->kind));
        put_str(out, o->name);
        const char *pn = obj_param_name(o->kind);
        if (pn) fprintf(out, ", \"%s\": %" PRId64, pn, o->param);
        fputc('}', out);
    }
    fputs(tr->nobjects ? "\n  ],\n  \"events\": [" : "],\n  \"events\": [", out);
    for (size_t i = 0; i < tr->nevents; i++) {
        const lv_event *e = &tr->events[i];
        fprintf(out,
                "%s\n    {\"seq\": %" PRIu32 ", \"t\": %" PRId64 ", \"thread\": %" PRId32
                ", \"kind\": \"%s\"",
                i ? "," : "", e->seq, e->t, e->thread, lv_event_kind_name(e->kind));
        if (e->obj != LV_NONE) fprintf(out, ", \"obj\": %" PRId32, e->obj);
        if (e->flags & LV_EVF_TEXT) {
            fputs(", \"text\": ", out);
            put_str(out, lv_trace_text(tr, e));
        } else if (e->flags & LV_EVF_VALUE) {
            fprintf(out, ", \"value\": %" PRId64, e->value);
        }
        if (e->flags & LV_EVF_CHECK)
            fputs((e->flags & LV_EVF_CHECK_OK) ? ", \"check\": true" : ", \"check\": false", out);
        fputc('}', out);
    }
    fputs(tr->nevents ? "\n  ],\n  \"findings\": [" : "],\n  \"findings\": [", out);
    for (size_t i = 0; i < tr->nfindings; i++) {
        fputs(i ? ",\n    " : "\n    ", out);
        put_finding(out, &tr->findings[i]);
    }
    fprintf(out, "%s,\n  \"outcome\": \"%s\",\n  \"dropped\": %" PRIu64 "\n}\n",
            tr->nfindings ? "\n  ]" : "]", lv_outcome_name(tr->outcome), tr->dropped);
    return ferror(out) ? LV_EIO : LV_OK;
}

lv_err lv_findings_write_json(const lv_trace *tr, const lv_finding *f, size_t n, FILE *out) {
    (void)tr;
    fputc('[', out);
    for (size_t i = 0; i < n; i++) {
        fputs(i ? ",\n  " : "\n  ", out);
        put_finding(out, &f[i]);
    }
    fputs(n ? "\n]\n" : "]\n", out);
    return ferror(out) ? LV_EIO : LV_OK;
}

static lv_err write_native(void *ctx, FILE *f) {
    return lv_trace_write_json(ctx, f);
}

lv_err lv_trace_save(const lv_trace *tr, const char *path, char *errbuf, size_t errlen) {
    return lv_write_atomic(path, write_native, (void *)tr, errbuf, errlen);
}
