/* The native trace reader: parses with cJSON and checks every field before anything is built,
 * so a trace that gets past it is consistent (ids exist, seqs are 0, 1, 2 ..., times never go
 * back). Errors are one line: "NAME: PLACE: PROBLEM". It does not judge what the scenario did:
 * a release by a thread that holds nothing is a valid trace, and analysis reports it. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lockviz/lockviz.h"

#define MAX_TRACE_BYTES (1u << 30) /* 1 GiB: larger inputs are refused before parsing */
#define MAX_NUM 9007199254740991.0 /* 2^53 - 1: the largest integer a JSON double holds exactly */
#define TOP ""                     /* where: the top level, named by the key alone */

typedef struct rd {
    const char *name;
    char *err;
    size_t errlen;
    int failed;
} rd;

static void fail(rd *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(rd *r, const char *fmt, ...) {
    if (r->failed) return;
    r->failed = 1;
    int n = snprintf(r->err, r->errlen, "%s: ", r->name);
    if (n < 0 || (size_t)n >= r->errlen) return;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    /* the message quotes the file's own strings: keep it one printable line */
    size_t k = (size_t)n;
    for (const unsigned char *p = (const unsigned char *)msg; *p && k + 7 < r->errlen; p++) {
        if (*p >= 0x20 && *p != 0x7f)
            r->err[k++] = (char)*p;
        else
            k += (size_t)snprintf(r->err + k, r->errlen - k, "\\x%02x", *p);
    }
    r->err[k] = 0;
}

/* Only the listed member names are allowed in obj. */
static int only_members(rd *r, const cJSON *obj, const char *where, const char *const *allowed) {
    for (const cJSON *m = obj->child; m; m = m->next) {
        int ok = 0;
        for (const char *const *a = allowed; *a; a++)
            if (m->string && strcmp(m->string, *a) == 0) ok = 1;
        if (!ok) {
            fail(r, "%s%sunknown field \"%s\"", where, *where ? ": " : "",
                 m->string ? m->string : "");
            return -1;
        }
    }
    return 0;
}

static const cJSON *member(rd *r, const cJSON *obj, const char *where, const char *key,
                           int required) {
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!m && required) fail(r, "%s%smissing \"%s\"", where, *where ? ": " : "", key);
    return m;
}

static int get_int(rd *r, const cJSON *obj, const char *where, const char *key, int required,
                   int64_t lo, int64_t hi, int64_t *out) {
    const cJSON *m = member(r, obj, where, key, required);
    if (!m) return required ? -1 : 0;
    if (!cJSON_IsNumber(m)) {
        fail(r, "%s%s%s: must be a number", where, *where ? "." : "", key);
        return -1;
    }
    double d = m->valuedouble;
    if (!isfinite(d) || d != floor(d) || fabs(d) > MAX_NUM) {
        fail(r, "%s%s%s: must be a whole number of at most 2^53", where, *where ? "." : "", key);
        return -1;
    }
    int64_t v = (int64_t)d;
    if (v < lo || v > hi) {
        fail(r, "%s%s%s: %lld is out of range [%lld, %lld]", where, *where ? "." : "", key,
             (long long)v, (long long)lo, (long long)hi);
        return -1;
    }
    *out = v;
    return 1;
}

static const char *get_str(rd *r, const cJSON *obj, const char *where, const char *key,
                           int required) {
    const cJSON *m = member(r, obj, where, key, required);
    if (!m) return NULL;
    if (!cJSON_IsString(m) || !m->valuestring) {
        fail(r, "%s%s%s: must be a string", where, *where ? "." : "", key);
        return NULL;
    }
    return m->valuestring;
}

static char *dupstr(rd *r, const char *s) {
    char *d = strdup(s);
    if (!d) fail(r, "out of memory");
    return d;
}

/* An array of ids, each in [0, limit). */
static int get_ids(rd *r, const cJSON *obj, const char *where, const char *key, int64_t limit,
                   const char *what, int32_t **out, size_t *n) {
    const cJSON *a = member(r, obj, where, key, 1);
    if (!a) return -1;
    if (!cJSON_IsArray(a)) {
        fail(r, "%s%s%s: must be an array", where, *where ? "." : "", key);
        return -1;
    }
    size_t cnt = (size_t)cJSON_GetArraySize(a);
    int32_t *ids = malloc((cnt ? cnt : 1) * sizeof *ids);
    if (!ids) {
        fail(r, "out of memory");
        return -1;
    }
    size_t i = 0;
    for (const cJSON *x = a->child; x; x = x->next, i++) {
        double d = cJSON_IsNumber(x) ? x->valuedouble : -1.0;
        if (!cJSON_IsNumber(x) || d != floor(d) || d < 0 || d >= (double)limit) {
            if (cJSON_IsNumber(x))
                fail(r, "%s%s%s[%zu]: no %s %.0f", where, *where ? "." : "", key, i, what, d);
            else
                fail(r, "%s%s%s[%zu]: must be a %s id", where, *where ? "." : "", key, i, what);
            free(ids);
            return -1;
        }
        ids[i] = (int32_t)d;
    }
    *out = ids;
    *n = cnt;
    return 0;
}

static const char *const top_fields[] = {"format",   "version", "scenario", "mode",   "seed",
                                         "schedule", "threads", "objects",  "events", "findings",
                                         "outcome",  "dropped", NULL};
static const char *const scen_fields[] = {"name", "variant", "params", NULL};
static const char *const thread_fields[] = {"id", "name", NULL};
static const char *const obj_fields[] = {"id", "kind", "name", "capacity", "initial", "lock", NULL};
static const char *const ev_fields[] = {"seq",   "t",    "thread", "kind", "obj",
                                        "value", "text", "check",  NULL};
static const char *const finding_fields[] = {"kind",    "message", "detail", "threads",
                                             "objects", "events",  NULL};

/* which kinds of event must, may or must not name an object */
static int event_obj_rule(lv_event_kind k) { /* 1 must, 0 must not, 2 may */
    switch (k) {
    case LV_EV_REQUEST:
    case LV_EV_ACQUIRE:
    case LV_EV_RELEASE:
    case LV_EV_SET:
    case LV_EV_CLEAR:
    case LV_EV_NOTIFY:
    case LV_EV_READ:
    case LV_EV_WRITE:
        return 1;
    case LV_EV_TIMEOUT:
        return 2; /* a join that timed out names no object */
    default:
        return 0;
    }
}

static int kind_fits_object(lv_event_kind k, lv_obj_kind o) {
    int lock = o == LV_OBJ_MUTEX || o == LV_OBJ_RLOCK;
    int sem = o == LV_OBJ_SEMAPHORE || o == LV_OBJ_BOUNDED_SEMAPHORE;
    switch (k) {
    case LV_EV_REQUEST:
    case LV_EV_ACQUIRE:
    case LV_EV_TIMEOUT:
        return lock || sem || o == LV_OBJ_EVENT || o == LV_OBJ_CONDITION || o == LV_OBJ_QUEUE;
    case LV_EV_RELEASE:
        return lock || sem || o == LV_OBJ_QUEUE;
    case LV_EV_SET:
    case LV_EV_CLEAR:
        return o == LV_OBJ_EVENT;
    case LV_EV_NOTIFY:
        return o == LV_OBJ_CONDITION;
    case LV_EV_READ:
        return o == LV_OBJ_VAR || o == LV_OBJ_EVENT;
    case LV_EV_WRITE:
        return o == LV_OBJ_VAR;
    default:
        return 0;
    }
}

static int value_rule(lv_event_kind k) { /* 1 must, 0 must not, 2 may */
    switch (k) {
    case LV_EV_SPAWN:
    case LV_EV_JOIN:
    case LV_EV_READ:
    case LV_EV_WRITE:
    case LV_EV_SLEEP:
    case LV_EV_NOTIFY:
        return 1;
    case LV_EV_REQUEST:
    case LV_EV_ACQUIRE:
    case LV_EV_RELEASE:
    case LV_EV_TIMEOUT:
        return 2;
    default:
        return 0;
    }
}

static void read_events(rd *r, const cJSON *arr, lv_trace *tr) {
    size_t n = (size_t)cJSON_GetArraySize(arr);
    tr->events = calloc(n ? n : 1, sizeof *tr->events);
    size_t ntext = 0;
    for (const cJSON *e = arr->child; e; e = e->next) {
        const cJSON *tx = cJSON_GetObjectItemCaseSensitive(e, "text");
        if (tx) ntext++;
    }
    tr->texts = calloc(ntext ? ntext : 1, sizeof *tr->texts);
    if (!tr->events || !tr->texts) {
        fail(r, "out of memory");
        return;
    }
    char where[64];
    size_t i = 0;
    int64_t last_t = 0;
    for (const cJSON *e = arr->child; e && !r->failed; e = e->next, i++) {
        snprintf(where, sizeof where, "events[%zu]", i);
        if (!cJSON_IsObject(e)) {
            fail(r, "%s: must be an object", where);
            return;
        }
        if (only_members(r, e, where, ev_fields)) return;
        lv_event *ev = &tr->events[i];
        int64_t v;
        if (get_int(r, e, where, "seq", 1, 0, UINT32_MAX, &v) < 0) return;
        if ((size_t)v != i) {
            fail(r, "%s.seq: is %lld, expected %zu (seqs run 0, 1, 2 ...)", where, (long long)v, i);
            return;
        }
        ev->seq = (uint32_t)v;
        if (get_int(r, e, where, "t", 1, 0, (int64_t)MAX_NUM, &ev->t) < 0) return;
        if (ev->t < last_t) {
            fail(r, "%s.t: %lld goes back in time (the event before is at %lld)", where,
                 (long long)ev->t, (long long)last_t);
            return;
        }
        last_t = ev->t;
        const cJSON *th = member(r, e, where, "thread", 1);
        if (!th) return;
        if (!cJSON_IsNumber(th) || th->valuedouble != floor(th->valuedouble)) {
            fail(r, "%s.thread: must be a thread id", where);
            return;
        }
        if (th->valuedouble < 0 || th->valuedouble >= (double)tr->nthreads) {
            fail(r, "%s.thread: no thread %.0f", where, th->valuedouble);
            return;
        }
        ev->thread = (int32_t)th->valuedouble;
        const char *ks = get_str(r, e, where, "kind", 1);
        if (!ks) return;
        lv_event_kind k;
        if (lv_event_kind_parse(ks, &k) < 0) {
            fail(r, "%s.kind: unknown event kind \"%s\"", where, ks);
            return;
        }
        ev->kind = (uint8_t)k;
        ev->obj = LV_NONE;
        const cJSON *ob = cJSON_GetObjectItemCaseSensitive(e, "obj");
        int orule = event_obj_rule(k);
        if (ob) {
            if (orule == 0) {
                fail(r, "%s.obj: a \"%s\" event names no object", where, ks);
                return;
            }
            if (!cJSON_IsNumber(ob) || ob->valuedouble != floor(ob->valuedouble)) {
                fail(r, "%s.obj: must be an object id", where);
                return;
            }
            if (ob->valuedouble < 0 || ob->valuedouble >= (double)tr->nobjects) {
                fail(r, "%s.obj: no object %.0f", where, ob->valuedouble);
                return;
            }
            ev->obj = (int32_t)ob->valuedouble;
            lv_obj_kind okind = tr->objects[ev->obj].kind;
            if (!kind_fits_object(k, okind)) {
                fail(r, "%s: a \"%s\" event cannot be on a %s (object %d)", where, ks,
                     lv_obj_kind_name(okind), ev->obj);
                return;
            }
        } else if (orule == 1) {
            fail(r, "%s: missing \"obj\" (a \"%s\" event names its object)", where, ks);
            return;
        }
        int vrule = value_rule(k);
        int got = get_int(r, e, where, "value", vrule == 1, -(int64_t)MAX_NUM, (int64_t)MAX_NUM,
                          &ev->value);
        if (got < 0) return;
        if (got == 1) {
            if (vrule == 0) {
                fail(r, "%s.value: a \"%s\" event has no value", where, ks);
                return;
            }
            ev->flags |= LV_EVF_VALUE;
            if ((k == LV_EV_SPAWN || k == LV_EV_JOIN) &&
                (ev->value < 0 || ev->value >= (int64_t)tr->nthreads)) {
                fail(r, "%s.value: no thread %lld", where, (long long)ev->value);
                return;
            }
            if (k == LV_EV_TIMEOUT && ev->obj == LV_NONE &&
                (ev->value < 0 || ev->value >= (int64_t)tr->nthreads)) {
                fail(r, "%s.value: no thread %lld", where, (long long)ev->value);
                return;
            }
        } else if (k == LV_EV_TIMEOUT && ev->obj == LV_NONE) {
            fail(r, "%s: a timeout names its object, or the joined thread as its value", where);
            return;
        }
        const cJSON *tx = cJSON_GetObjectItemCaseSensitive(e, "text");
        if (k == LV_EV_NOTE) {
            const char *s = get_str(r, e, where, "text", 1);
            if (!s) return;
            ev->flags |= LV_EVF_TEXT;
            ev->value = (int64_t)tr->ntexts;
            tr->texts[tr->ntexts] = dupstr(r, s);
            if (!tr->texts[tr->ntexts]) return;
            tr->ntexts++;
        } else if (tx) {
            fail(r, "%s.text: only a note has text", where);
            return;
        }
        const cJSON *ck = cJSON_GetObjectItemCaseSensitive(e, "check");
        if (ck) {
            if (k != LV_EV_NOTE) {
                fail(r, "%s.check: only a note states a check", where);
                return;
            }
            if (!cJSON_IsBool(ck)) {
                fail(r, "%s.check: must be true or false", where);
                return;
            }
            ev->flags |= LV_EVF_CHECK | (cJSON_IsTrue(ck) ? LV_EVF_CHECK_OK : 0);
        }
        tr->nevents++;
    }
}

static void read_findings(rd *r, const cJSON *arr, lv_trace *tr) {
    size_t n = (size_t)cJSON_GetArraySize(arr);
    tr->findings = calloc(n ? n : 1, sizeof *tr->findings);
    if (!tr->findings) {
        fail(r, "out of memory");
        return;
    }
    char where[64];
    size_t i = 0;
    for (const cJSON *f = arr->child; f && !r->failed; f = f->next, i++) {
        snprintf(where, sizeof where, "findings[%zu]", i);
        if (!cJSON_IsObject(f)) {
            fail(r, "%s: must be an object", where);
            return;
        }
        if (only_members(r, f, where, finding_fields)) return;
        lv_finding *out = &tr->findings[tr->nfindings++];
        const char *ks = get_str(r, f, where, "kind", 1);
        if (!ks) return;
        if (lv_finding_kind_parse(ks, &out->kind) < 0) {
            fail(r, "%s.kind: unknown finding kind \"%s\"", where, ks);
            return;
        }
        const char *msg = get_str(r, f, where, "message", 1);
        if (!msg || !(out->message = dupstr(r, msg))) return;
        if (cJSON_GetObjectItemCaseSensitive(f, "detail")) {
            const char *d = get_str(r, f, where, "detail", 1);
            if (!d || !(out->detail = dupstr(r, d))) return;
        }
        if (get_ids(r, f, where, "threads", (int64_t)tr->nthreads, "thread", &out->threads,
                    &out->nthreads) ||
            get_ids(r, f, where, "objects", (int64_t)tr->nobjects, "object", &out->objects,
                    &out->nobjects))
            return;
        int32_t *evs = NULL;
        size_t nev = 0;
        if (get_ids(r, f, where, "events", (int64_t)tr->nevents, "event", &evs, &nev)) return;
        out->events = (uint32_t *)evs; /* same size; every id checked >= 0 */
        out->nevents = nev;
    }
}

static void read_trace(rd *r, const cJSON *root, lv_trace *tr) {
    if (!cJSON_IsObject(root)) {
        fail(r, "top level: must be a JSON object");
        return;
    }
    const char *fmt = get_str(r, root, TOP, "format", 0);
    if (!fmt || strcmp(fmt, "lockviz-trace") != 0) {
        r->failed = 0;
        fail(r, "format: not a lockviz trace (\"format\" must be \"lockviz-trace\")");
        return;
    }
    int64_t ver;
    if (get_int(r, root, TOP, "version", 1, 0, (int64_t)MAX_NUM, &ver) < 0) return;
    if (ver != 1) {
        fail(r, "version: this lockviz reads version 1; the file is version %lld%s", (long long)ver,
             ver > 1 ? " (made by a newer lockviz)" : "");
        return;
    }
    if (only_members(r, root, TOP, top_fields)) return;

    const cJSON *sc = member(r, root, TOP, "scenario", 1);
    if (!sc) return;
    if (!cJSON_IsObject(sc)) {
        fail(r, "scenario: must be an object");
        return;
    }
    if (only_members(r, sc, "scenario", scen_fields)) return;
    const char *s = get_str(r, sc, "scenario", "name", 1);
    if (!s || !(tr->scenario = dupstr(r, s))) return;
    s = get_str(r, sc, "scenario", "variant", 1);
    if (!s || !(tr->variant = dupstr(r, s))) return;
    const cJSON *params = member(r, sc, "scenario", "params", 1);
    if (!params) return;
    if (!cJSON_IsObject(params)) {
        fail(r, "scenario.params: must be an object");
        return;
    }
    size_t np = (size_t)cJSON_GetArraySize(params);
    tr->params = calloc(np ? np : 1, sizeof *tr->params);
    if (!tr->params) {
        fail(r, "out of memory");
        return;
    }
    for (const cJSON *p = params->child; p; p = p->next) {
        lv_param_value *pv = &tr->params[tr->nparams];
        if (!(pv->name = dupstr(r, p->string ? p->string : ""))) return;
        tr->nparams++;
        if (get_int(r, params, "scenario.params", p->string, 1, -(int64_t)MAX_NUM, (int64_t)MAX_NUM,
                    &pv->value) < 0)
            return;
    }

    const char *mode = get_str(r, root, TOP, "mode", 1);
    if (!mode) return;
    if (strcmp(mode, "live") == 0)
        tr->mode = LV_MODE_LIVE;
    else if (strcmp(mode, "controlled") == 0)
        tr->mode = LV_MODE_CONTROLLED;
    else {
        fail(r, "mode: must be \"live\" or \"controlled\", not \"%s\"", mode);
        return;
    }
    int64_t seed;
    if (get_int(r, root, TOP, "seed", 1, 0, (int64_t)MAX_NUM, &seed) < 0) return;
    tr->seed = (uint64_t)seed;

    const cJSON *threads = member(r, root, TOP, "threads", 1);
    if (!threads) return;
    if (!cJSON_IsArray(threads)) {
        fail(r, "threads: must be an array");
        return;
    }
    size_t nt = (size_t)cJSON_GetArraySize(threads);
    tr->threads = calloc(nt ? nt : 1, sizeof *tr->threads);
    if (!tr->threads) {
        fail(r, "out of memory");
        return;
    }
    char where[64];
    size_t i = 0;
    for (const cJSON *t = threads->child; t; t = t->next, i++) {
        snprintf(where, sizeof where, "threads[%zu]", i);
        if (!cJSON_IsObject(t)) {
            fail(r, "%s: must be an object", where);
            return;
        }
        if (only_members(r, t, where, thread_fields)) return;
        int64_t id;
        if (get_int(r, t, where, "id", 1, 0, INT32_MAX, &id) < 0) return;
        if ((size_t)id != i) {
            fail(r, "%s.id: is %lld, expected %zu (thread ids run 0, 1, 2 ...)", where,
                 (long long)id, i);
            return;
        }
        const char *nm = get_str(r, t, where, "name", 1);
        if (!nm) return;
        tr->threads[i].id = (int32_t)id;
        if (!(tr->threads[i].name = dupstr(r, nm))) return;
        tr->nthreads++;
    }

    const cJSON *objects = member(r, root, TOP, "objects", 1);
    if (!objects) return;
    if (!cJSON_IsArray(objects)) {
        fail(r, "objects: must be an array");
        return;
    }
    size_t no = (size_t)cJSON_GetArraySize(objects);
    tr->objects = calloc(no ? no : 1, sizeof *tr->objects);
    if (!tr->objects) {
        fail(r, "out of memory");
        return;
    }
    i = 0;
    for (const cJSON *o = objects->child; o; o = o->next, i++) {
        snprintf(where, sizeof where, "objects[%zu]", i);
        if (!cJSON_IsObject(o)) {
            fail(r, "%s: must be an object", where);
            return;
        }
        if (only_members(r, o, where, obj_fields)) return;
        lv_trace_object *to = &tr->objects[i];
        int64_t id;
        if (get_int(r, o, where, "id", 1, 0, INT32_MAX, &id) < 0) return;
        if ((size_t)id != i) {
            fail(r, "%s.id: is %lld, expected %zu (object ids run 0, 1, 2 ...)", where,
                 (long long)id, i);
            return;
        }
        to->id = (int32_t)id;
        const char *ks = get_str(r, o, where, "kind", 1);
        if (!ks) return;
        if (lv_obj_kind_parse(ks, &to->kind) < 0) {
            fail(r, "%s.kind: unknown object kind \"%s\"", where, ks);
            return;
        }
        const char *nm = get_str(r, o, where, "name", 1);
        if (!nm || !(to->name = dupstr(r, nm))) return;
        tr->nobjects++;
        const char *want = NULL;
        int64_t lo = 0, hi = (int64_t)MAX_NUM;
        switch (to->kind) {
        case LV_OBJ_SEMAPHORE:
        case LV_OBJ_BOUNDED_SEMAPHORE:
        case LV_OBJ_QUEUE:
            want = "capacity";
            break;
        case LV_OBJ_VAR:
            want = "initial";
            lo = -(int64_t)MAX_NUM;
            break;
        case LV_OBJ_CONDITION:
            want = "lock";
            hi = (int64_t)no - 1;
            break;
        default:
            break;
        }
        static const char *const params_k[] = {"capacity", "initial", "lock"};
        for (int k = 0; k < 3; k++)
            if ((!want || strcmp(want, params_k[k]) != 0) &&
                cJSON_GetObjectItemCaseSensitive(o, params_k[k])) {
                fail(r, "%s.%s: a %s has no \"%s\"", where, params_k[k], ks, params_k[k]);
                return;
            }
        if (want && get_int(r, o, where, want, 1, lo, hi, &to->param) < 0) return;
    }
    /* a condition's lock is checked once every object is known */
    for (i = 0; i < tr->nobjects; i++) {
        if (tr->objects[i].kind != LV_OBJ_CONDITION) continue;
        lv_obj_kind lk = tr->objects[tr->objects[i].param].kind;
        if (lk != LV_OBJ_MUTEX && lk != LV_OBJ_RLOCK) {
            fail(r, "objects[%zu].lock: object %lld is a %s, not a mutex or rlock", i,
                 (long long)tr->objects[i].param, lv_obj_kind_name(lk));
            return;
        }
    }

    const cJSON *sched = member(r, root, TOP, "schedule", 1);
    if (!sched) return;
    if (get_ids(r, root, TOP, "schedule", (int64_t)tr->nthreads, "thread", &tr->schedule,
                &tr->nschedule))
        return;

    const cJSON *events = member(r, root, TOP, "events", 1);
    if (!events) return;
    if (!cJSON_IsArray(events)) {
        fail(r, "events: must be an array");
        return;
    }
    read_events(r, events, tr);
    if (r->failed) return;

    const cJSON *findings = member(r, root, TOP, "findings", 1);
    if (!findings) return;
    if (!cJSON_IsArray(findings)) {
        fail(r, "findings: must be an array");
        return;
    }
    read_findings(r, findings, tr);
    if (r->failed) return;

    const char *oc = get_str(r, root, TOP, "outcome", 1);
    if (!oc) return;
    if (strcmp(oc, "completed") == 0)
        tr->outcome = LV_OUT_COMPLETED;
    else if (strcmp(oc, "deadlocked") == 0)
        tr->outcome = LV_OUT_DEADLOCKED;
    else if (strcmp(oc, "aborted") == 0)
        tr->outcome = LV_OUT_ABORTED;
    else {
        fail(r, "outcome: must be \"completed\", \"deadlocked\" or \"aborted\", not \"%s\"", oc);
        return;
    }
    int64_t dropped = 0;
    if (get_int(r, root, TOP, "dropped", 0, 0, (int64_t)MAX_NUM, &dropped) < 0) return;
    tr->dropped = (uint64_t)dropped;
}

lv_err lv_trace_read_json(const char *data, size_t len, const char *name, lv_trace **out,
                          char *errbuf, size_t errlen) {
    *out = NULL;
    rd r = {name ? name : "trace", errbuf, errlen, 0};
    if (errlen) errbuf[0] = 0;
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(data, len, &end, 0);
    if (!root) {
        size_t off = end && end >= data ? (size_t)(end - data) : 0;
        size_t line = 1, col = 1;
        for (size_t k = 0; k < off && k < len; k++) {
            if (data[k] == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        /* Truncated means something is still open at the end: a string, an object or an
         * array. cJSON reports both that and a bad last byte at the last byte. */
        long depth = 0, depth_at_error = 0;
        int in_str = 0;
        for (size_t k = 0; k < len; k++) {
            char ch = data[k];
            if (k == off) depth_at_error = depth;
            if (in_str) {
                if (ch == '\\')
                    k++;
                else if (ch == '"')
                    in_str = 0;
            } else if (ch == '"') {
                in_str = 1;
            } else if (ch == '{' || ch == '[') {
                depth++;
            } else if (ch == '}' || ch == ']') {
                depth--;
            }
        }
        if (depth_at_error >= CJSON_NESTING_LIMIT)
            fail(&r, "line %zu, column %zu: nested more than %d levels deep", line, col,
                 CJSON_NESTING_LIMIT);
        else if (len == 0 || in_str || depth > 0)
            fail(&r, "line %zu: the JSON ends too early (truncated?)", line);
        else
            fail(&r, "line %zu, column %zu: not valid JSON", line, col);
        return LV_EPARSE;
    }
    /* trailing bytes after the document (other than white space) are an error too */
    if (end) {
        while ((size_t)(end - data) < len &&
               (*end == ' ' || *end == '\n' || *end == '\r' || *end == '\t'))
            end++;
        if ((size_t)(end - data) < len) {
            fail(&r, "byte %zu: unexpected data after the JSON document", (size_t)(end - data));
            cJSON_Delete(root);
            return LV_EPARSE;
        }
    }
    lv_trace *tr = calloc(1, sizeof *tr);
    if (!tr) {
        cJSON_Delete(root);
        fail(&r, "out of memory");
        return LV_ENOMEM;
    }
    read_trace(&r, root, tr);
    cJSON_Delete(root);
    if (r.failed) {
        lv_trace_free(tr);
        return LV_EPARSE;
    }
    *out = tr;
    return LV_OK;
}

lv_err lv_trace_load(const char *path, lv_trace **out, char *errbuf, size_t errlen) {
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(errbuf, errlen, "%s: cannot open: %s", path, strerror(errno));
        return LV_EIO;
    }
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    while (buf) {
        if (len == cap) {
            if (cap >= MAX_TRACE_BYTES) {
                snprintf(errbuf, errlen, "%s: larger than 1 GiB, refused", path);
                free(buf);
                fclose(f);
                return LV_ERANGE;
            }
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0) break;
    }
    if (!buf) {
        snprintf(errbuf, errlen, "%s: out of memory reading the file", path);
        fclose(f);
        return LV_ENOMEM;
    }
    if (ferror(f)) {
        snprintf(errbuf, errlen, "%s: read error: %s", path, strerror(errno));
        free(buf);
        fclose(f);
        return LV_EIO;
    }
    fclose(f);
    lv_err err = lv_trace_read_json(buf, len, path, out, errbuf, errlen);
    free(buf);
    return err;
}
