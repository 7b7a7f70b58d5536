/* The classroom session (see session.h): re-runs a scenario from a list of choices through
 * lv_run's chooser, records the run's choice points, and cuts the run at the frontier with
 * lv_trace_prefix. It decides nothing about drawing or input, and knows no scenario by name. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "args.h"
#include "grow.h"
#include "session.h"
#include "search.h"

typedef struct point_rec {
    int64_t vnow;
    size_t nbefore;
    size_t off, n; /* the enabled threads: pool[off .. off + n) */
    int32_t current;
} point_rec;

/* What one run records; filled by the chooser from the scenario's threads, one at a time. */
typedef struct run_rec {
    const int32_t *choices;
    size_t nchoices;
    point_rec *pts;
    size_t npts, cappts;
    int32_t *pool;
    size_t npool, cappool;
    long frontier, diverged;
    int oom;
} run_rec;

struct lv_session {
    lv_run_desc d;
    int64_t params[LV_MAX_PARAMS];
    lv_trace *full;
    run_rec rec; /* of full */
};

static void rec_free(run_rec *r) {
    free(r->pts);
    free(r->pool);
    memset(r, 0, sizeof *r);
}

lv_err lv_session_set_desc(lv_session *s, const lv_run_desc *d) {
    const lv_scenario *sc = d->scenario;
    if (!sc || d->mode != LV_MODE_CONTROLLED || d->variant < 0 || d->variant >= sc->nvariants ||
        sc->nparams > LV_MAX_PARAMS)
        return LV_EUSAGE;
    s->d = *d;
    for (int i = 0; i < sc->nparams; i++)
        s->params[i] = d->params ? d->params[i] : sc->params[i].def;
    s->d.params = s->params;
    s->d.schedule = NULL;
    s->d.nschedule = 0;
    s->d.chooser = NULL;
    s->d.chooser_ctx = NULL;
    return LV_OK;
}

lv_err lv_session_new(const lv_run_desc *d, lv_session **out) {
    *out = NULL;
    lv_session *s = calloc(1, sizeof *s);
    if (!s) return LV_ENOMEM;
    lv_err err = lv_session_set_desc(s, d);
    if (err != LV_OK) {
        free(s);
        return err;
    }
    *out = s;
    return LV_OK;
}

void lv_session_free(lv_session *s) {
    if (!s) return;
    lv_trace_free(s->full);
    rec_free(&s->rec);
    free(s);
}

/* The chooser: the choices first, then the policy; every point recorded on the way. */
static int32_t choose(void *ctx, const lv_choice *c) {
    run_rec *r = ctx;
    if (!r->oom &&
        (lv_grow((void **)&r->pts, &r->cappts, sizeof *r->pts, r->npts + 1) ||
         lv_grow((void **)&r->pool, &r->cappool, sizeof *r->pool, r->npool + c->nenabled)))
        r->oom = 1;
    if (!r->oom) {
        memcpy(r->pool + r->npool, c->enabled, c->nenabled * sizeof *c->enabled);
        r->pts[r->npts++] = (point_rec){c->vnow, c->nrecorded, r->npool, c->nenabled, c->current};
        r->npool += c->nenabled;
    }
    if (c->index == r->nchoices) r->frontier = (long)c->index;
    if (c->index >= r->nchoices) return -1; /* the policy's */
    int32_t want = r->choices[c->index];
    for (size_t i = 0; i < c->nenabled; i++)
        if (c->enabled[i] == want) return want;
    if (r->diverged < 0) r->diverged = (long)c->index;
    return -1;
}

lv_err lv_session_run(lv_session *s, const int32_t *choices, size_t n) {
    run_rec r = {.choices = choices, .nchoices = n, .frontier = -1, .diverged = -1};
    lv_run_desc d = s->d;
    d.chooser = choose;
    d.chooser_ctx = &r;
    lv_trace *tr = NULL;
    lv_err err = lv_run(&d, &tr);
    if (err == LV_OK && (r.oom || tr->nschedule != r.npts)) /* a point the chooser missed */
        err = r.oom ? LV_ENOMEM : LV_EUSAGE;
    if (err != LV_OK) {
        lv_trace_free(tr);
        rec_free(&r);
        return err;
    }
    r.choices = NULL; /* borrowed for the run only */
    lv_trace_free(s->full);
    rec_free(&s->rec);
    s->full = tr;
    s->rec = r;
    return LV_OK;
}

const lv_trace *lv_session_full(const lv_session *s) {
    return s->full;
}

size_t lv_session_npoints(const lv_session *s) {
    return s->rec.npts;
}

int lv_session_point_at(const lv_session *s, size_t i, lv_session_point *out) {
    if (!s->full || i >= s->rec.npts) return -1;
    const point_rec *p = &s->rec.pts[i];
    *out = (lv_session_point){.index = i,
                              .vnow = p->vnow,
                              .nbefore = p->nbefore,
                              .current = p->current,
                              .picked = s->full->schedule[i],
                              .enabled = s->rec.pool + p->off,
                              .nenabled = p->n};
    return 0;
}

long lv_session_frontier(const lv_session *s) {
    return s->full ? s->rec.frontier : -1;
}

long lv_session_diverged(const lv_session *s) {
    return s->full ? s->rec.diverged : -1;
}

lv_err lv_session_shown(const lv_session *s, int whole, lv_trace **out) {
    *out = NULL;
    if (!s->full) return LV_EUSAGE;
    const lv_trace *tr = s->full;
    if (whole || s->rec.frontier < 0) return lv_trace_prefix(tr, tr->nevents, tr->nschedule, out);
    size_t f = (size_t)s->rec.frontier;
    return lv_trace_prefix(tr, s->rec.pts[f].nbefore, f, out);
}

long lv_session_branch_point(const lv_session *s, int whole, long seq) {
    if (!s->full || s->rec.npts == 0) return -1;
    size_t limit = !whole && s->rec.frontier >= 0 ? (size_t)s->rec.frontier : s->rec.npts - 1;
    const point_rec *p = s->rec.pts;
    /* the first point after event seq: the first with seq among the events before it (points
     * are in time order, so nbefore never goes down) */
    size_t after = seq < 0 ? 0 : (size_t)seq + 1, lo;
    LV_FIRST_FALSE(0, limit + 1, i, p[i].nbefore < after, lo);
    if (lo > limit) return -1;
    size_t i = lo; /* on past the points that recorded nothing before the next one */
    while (i < limit && p[i + 1].nbefore == p[lo].nbefore)
        i++;
    return (long)i;
}

lv_err lv_session_pick(lv_session *s, size_t i, int32_t thread) {
    lv_session_point pt;
    if (lv_session_point_at(s, i, &pt) != 0) return LV_EUSAGE;
    int ok = 0;
    for (size_t k = 0; k < pt.nenabled; k++)
        ok |= pt.enabled[k] == thread;
    if (!ok) return LV_EUSAGE;
    int32_t *c = malloc((i + 1) * sizeof *c);
    if (!c) return LV_ENOMEM;
    if (i) memcpy(c, s->full->schedule, i * sizeof *c);
    c[i] = thread;
    lv_err err = lv_session_run(s, c, i + 1);
    free(c);
    return err;
}

/* ---- schedule strings ---- */

size_t lv_schedule_format(const int32_t *ids, size_t n, char *buf, size_t len) {
    size_t need = 0;
    if (len) buf[0] = 0;
    for (size_t i = 0; i < n; i++) {
        char one[16];
        int k = snprintf(one, sizeof one, "%s%" PRId32, i ? "," : "", ids[i]);
        if (need + (size_t)k < len)
            memcpy(buf + need, one, (size_t)k + 1);
        else if (need < len)
            buf[need] = 0; /* the entries that fit, whole */
        need += (size_t)k;
    }
    return need;
}

int lv_schedule_parse(const char *s, int32_t **out, size_t *n) {
    size_t cap = 16, k = 0;
    int32_t *a = malloc(cap * sizeof *a);
    if (!a) return -1;
    const char *p = s;
    for (;;) { /* an entry before every comma and after the last: "1,,2" and "0,1," fail */
        size_t len = strcspn(p, ",");
        char one[16];
        int64_t v;
        if (len == 0 || len >= sizeof one) goto bad;
        memcpy(one, p, len);
        one[len] = 0;
        if (lv_arg_int(one, 0, INT32_MAX, &v)) goto bad;
        if (k == cap) {
            int32_t *na = realloc(a, 2 * cap * sizeof *na);
            if (!na) goto bad;
            a = na;
            cap *= 2;
        }
        a[k++] = (int32_t)v;
        if (!p[len]) break;
        p += len + 1;
    }
    *out = a;
    *n = k;
    return 0;
bad:
    free(a);
    return -1;
}

/* appends like snprintf at buf + *used, counting what it needs even when it does not fit */
static void put(char *buf, size_t len, size_t *used, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void put(char *buf, size_t len, size_t *used, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *at = *used < len ? buf + *used : NULL;
    int k = vsnprintf(at, at ? len - *used : 0, fmt, ap);
    va_end(ap);
    if (k > 0) *used += (size_t)k;
}

size_t lv_schedule_command(const lv_trace *tr, char *buf, size_t len) {
    size_t used = 0;
    if (len) buf[0] = 0;
    put(buf, len, &used, "lockviz run %s --variant %s --seed %" PRIu64, tr->scenario, tr->variant,
        tr->seed);
    for (size_t i = 0; i < tr->nparams; i++)
        put(buf, len, &used, " --set %s=%" PRId64, tr->params[i].name, tr->params[i].value);
    if (tr->nschedule) {
        put(buf, len, &used, " --schedule ");
        size_t k = lv_schedule_format(tr->schedule, tr->nschedule, used < len ? buf + used : NULL,
                                      used < len ? len - used : 0);
        used += k;
    }
    if (len && used >= len) buf[len - 1] = 0;
    return used;
}
