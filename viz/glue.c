/* The viewer's rerun, scheduler and lesson callbacks on lv_run, the session and the registry
 * (see glue.h). Nothing here draws or handles input. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "glue.h"
#include "registry.h"
#include "session.h"

void lv_rerun_init(lv_rerun *r, const lv_run_desc *d) {
    memset(r, 0, sizeof *r);
    r->d = *d;
    for (int i = 0; i < LV_MAX_PARAMS; i++)
        r->params[i] = d->params                                 ? d->params[i]
                       : d->scenario && i < d->scenario->nparams ? d->scenario->params[i].def
                                                                 : 0;
    r->d.params = r->params;
}

lv_trace *lv_rerun_next(void *ctx, int what, char *err, size_t errlen) {
    lv_rerun *r = ctx;
    lv_run_desc d = r->d;
    if (what == LV_RERUN_SEED) {
        d.seed = (d.seed + 1) & 9007199254740991ULL; /* 2^53 - 1: exact in JSON */
        d.schedule = NULL;
        d.nschedule = 0;
    } else if (what == LV_RERUN_VARIANT) {
        d.variant = (d.variant + 1) % d.scenario->nvariants;
    } else {
        snprintf(err, errlen, "unknown rerun %d", what);
        return NULL;
    }
    lv_trace *tr = NULL;
    lv_err e = lv_run(&d, &tr);
    if (e != LV_OK) {
        snprintf(err, errlen, "%s: %s", d.scenario->name, lv_strerror(e));
        return NULL;
    }
    r->d = d;
    if (!r->quiet)
        printf("new run: %s/%s, seed %" PRIu64 ": %s; %zu finding%s\n", tr->scenario, tr->variant,
               tr->seed, lv_outcome_name(tr->outcome), tr->nfindings,
               tr->nfindings == 1 ? "" : "s");
    return tr;
}

int lv_sched_glue_init(lv_sched_glue *g, lv_rerun *r) {
    memset(g, 0, sizeof *g);
    g->rerun = r;
    return lv_session_new(&r->d, &g->session) == LV_OK ? 0 : -1;
}

void lv_sched_glue_free(lv_sched_glue *g) {
    lv_session_free(g->session);
    g->session = NULL;
}

static lv_trace *sched_run(void *ctx, const int32_t *choices, size_t n, int whole, long *diverged,
                           char *err, size_t errlen) {
    lv_sched_glue *g = ctx;
    *diverged = -1;
    lv_err e = lv_session_set_desc(g->session, &g->rerun->d);
    if (e == LV_OK) e = lv_session_run(g->session, choices, n);
    lv_trace *tr = NULL;
    if (e == LV_OK) e = lv_session_shown(g->session, whole, &tr);
    if (e != LV_OK) {
        snprintf(err, errlen, "%s: %s", g->rerun->d.scenario->name, lv_strerror(e));
        return NULL;
    }
    g->whole = whole;
    *diverged = lv_session_diverged(g->session);
    return tr;
}

static int sched_point(void *ctx, long seq, lv_sched_point *out) {
    lv_sched_glue *g = ctx;
    long i = lv_session_branch_point(g->session, g->whole, seq);
    lv_session_point p;
    if (i < 0 || lv_session_point_at(g->session, (size_t)i, &p) != 0) return -1;
    *out = (lv_sched_point){p.index, p.nbefore, p.enabled, p.nenabled};
    return 0;
}

const lv_sched_ops lv_sched_glue_ops = {sched_run, sched_point};

int lv_lesson_of(void *ctx, const lv_trace *tr, lv_lesson *out) {
    (void)ctx;
    const lv_scenario *sc = tr->scenario ? lv_scenario_find(tr->scenario) : NULL;
    int vi = sc && tr->variant ? lv_scenario_variant_index(sc, tr->variant) : -1;
    if (vi < 0) return -1;
    const lv_variant_desc *v = &sc->variants[vi];
    *out = (lv_lesson){.title = {sc->title, sc->title_zh},
                       .variant = v->name,
                       .text = {v->lesson_en, v->lesson_zh}};
    return 0;
}
