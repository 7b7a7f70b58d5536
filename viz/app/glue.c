/* The viewer's rerun, lesson, scheduler, picker and explore callbacks on lv_run, lv_explore,
 * the session and the registry (see glue.h). Nothing here draws or handles input. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "glue.h"
#include "textf.h"
#include "lockviz/explore.h"
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
        d.seed = (d.seed + 1) & LV_SEED_MAX; /* after the largest seed comes 0 */
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
        lv_textf(err, errlen, "%s: %s", d.scenario->name, lv_strerror(e));
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
    lv_run_desc d = r->d;
    d.mode = LV_MODE_CONTROLLED;
    return lv_session_new(&d, &g->session) == LV_OK ? 0 : -1;
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
        lv_textf(err, errlen, "%s: %s", g->rerun->d.scenario->name, lv_strerror(e));
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

/* The parameters tr was recorded with, over sc's defaults. */
static void params_of(const lv_scenario *sc, const lv_trace *tr, int64_t *params) {
    for (int i = 0; i < LV_MAX_PARAMS; i++)
        params[i] = i < sc->nparams ? sc->params[i].def : 0;
    for (size_t i = 0; i < tr->nparams; i++) {
        int pi = lv_scenario_param_index(sc, tr->params[i].name);
        if (pi >= 0) params[pi] = tr->params[i].value;
    }
}

/* The registered scenario tr names (NULL when lockviz has none of that name), and in *vi its
 * variant's index (-1 when the trace names none of its variants). */
static const lv_scenario *scenario_of(const lv_trace *tr, int *vi) {
    const lv_scenario *sc = lv_registry_of_trace(tr);
    *vi = sc && tr->variant ? lv_scenario_variant_index(sc, tr->variant) : -1;
    return sc;
}

/* base's settings (the policy and its own) for a controlled run of sc's variant vi with tr's
 * parameters (written into params, which must outlive the run) and seed. */
static lv_run_desc desc_from(const lv_run_desc *base, const lv_scenario *sc, int vi,
                             const lv_trace *tr, int64_t *params) {
    params_of(sc, tr, params);
    lv_run_desc d = *base;
    d.scenario = sc;
    d.variant = vi;
    d.params = params;
    d.mode = LV_MODE_CONTROLLED;
    d.seed = tr->seed;
    return d;
}

int lv_lesson_of(void *ctx, const lv_trace *tr, lv_lesson *out) {
    (void)ctx;
    int vi;
    const lv_scenario *sc = scenario_of(tr, &vi);
    if (vi < 0) return -1;
    const lv_variant_desc *v = &sc->variants[vi];
    *out = (lv_lesson){.title = {sc->title, sc->title_zh},
                       .variant = v->name,
                       .text = {v->lesson_en, v->lesson_zh},
                       .role = v->broken ? LV_ROLE_BROKEN : LV_ROLE_FIXED};
    return 0;
}

/* ---- the host: the picker, explore and adopting what they return ---- */

lv_err lv_host_init(lv_host *h, const lv_run_desc *d) {
    memset(h, 0, sizeof *h);
    lv_rerun_init(&h->rerun, d);
    if (lv_sched_glue_init(&h->sched, &h->rerun) != 0) return LV_ENOMEM;
    h->explore_runs = LV_EXPLORE_RUNS;
    h->explore_preemptions = LV_EXPLORE_PREEMPTIONS;
    size_t nv = 0, nsc = lv_registry_count();
    for (size_t i = 0; i < nsc; i++)
        nv += (size_t)lv_registry_at(i)->nvariants;
    h->cat_sc = calloc(nsc, sizeof *h->cat_sc);
    h->cat_v = calloc(nv ? nv : 1, sizeof *h->cat_v);
    if (!h->cat_sc || !h->cat_v) {
        lv_host_free(h);
        return LV_ENOMEM;
    }
    lv_pick_variant *pv = h->cat_v;
    for (size_t i = 0; i < nsc; i++) {
        const lv_scenario *sc = lv_registry_at(i);
        h->cat_sc[i] = (lv_pick_scenario){.name = sc->name,
                                          .title = {sc->title, sc->title_zh},
                                          .source = sc->source,
                                          .variants = pv,
                                          .nvariants = sc->nvariants};
        for (int k = 0; k < sc->nvariants; k++, pv++) {
            const lv_variant_desc *v = &sc->variants[k];
            *pv = (lv_pick_variant){.name = v->name,
                                    .summary = {v->summary, v->summary_zh},
                                    .lesson = {v->lesson_en, v->lesson_zh},
                                    .broken = v->broken};
        }
    }
    h->catalog = (lv_catalog){h->cat_sc, (int)nsc};
    return LV_OK;
}

void lv_host_free(lv_host *h) {
    if (!h) return;
    lv_sched_glue_free(&h->sched);
    free(h->schedule);
    free(h->cat_sc);
    free(h->cat_v);
    h->schedule = NULL;
    h->cat_sc = NULL;
    h->cat_v = NULL;
    h->catalog = (lv_catalog){NULL, 0};
}

lv_viewer_desc lv_host_window(lv_host *h, int picker_open) {
    return (lv_viewer_desc){.w = LV_VIEW_W,
                            .h = LV_VIEW_H,
                            .lang = lv_lang_default(),
                            .play = 1,
                            .future = LV_FUTURE_HIDE, /* the run unfolds as it plays */
                            .lesson_open = 1,
                            .rerun = lv_rerun_next,
                            .rerun_ctx = &h->rerun,
                            .lesson = lv_lesson_of,
                            .catalog = &h->catalog,
                            .pick = lv_host_pick,
                            .pick_ctx = h,
                            .picker_open = picker_open,
                            .explore = lv_host_explore,
                            .explore_ctx = h,
                            .adopt = lv_host_adopt,
                            .adopt_ctx = h,
                            .counterpart = lv_counterpart_next,
                            .counterpart_ctx = &h->rerun,
                            .sched = &lv_sched_glue_ops,
                            .sched_ctx = &h->sched};
}

lv_err lv_host_for_trace(lv_host *h, const lv_trace *tr, char *why, size_t whylen) {
    int vi;
    const lv_scenario *sc = scenario_of(tr, &vi);
    if (!sc || vi < 0) {
        snprintf(why, whylen, "lockviz has no scenario %s/%s", tr->scenario ? tr->scenario : "?",
                 tr->variant ? tr->variant : "?");
        return LV_EUNSUPPORTED;
    }
    if (tr->mode != LV_MODE_CONTROLLED) {
        snprintf(why, whylen, "a live run has no schedule to run again");
        return LV_EUNSUPPORTED;
    }
    for (size_t i = 0; i < tr->nparams; i++) { /* what `run --schedule TRACE` would refuse */
        int pi = lv_scenario_param_index(sc, tr->params[i].name);
        if (pi < 0 || tr->params[i].value < sc->params[pi].min ||
            tr->params[i].value > sc->params[pi].max) {
            snprintf(why, whylen, "its parameter %s is not one %s takes", tr->params[i].name,
                     sc->name);
            return LV_EUNSUPPORTED;
        }
    }
    int64_t params[LV_MAX_PARAMS];
    lv_run_desc d = desc_from(&(lv_run_desc){.policy = LV_POLICY_RANDOM}, sc, vi, tr, params);
    lv_err e = lv_host_init(h, &d);
    if (e != LV_OK) {
        snprintf(why, whylen, "%s", lv_strerror(e));
        return e;
    }
    lv_host_adopt(h, tr); /* its schedule too: S, P and C start from the run shown */
    return LV_OK;
}

/* Reruns go on from d; its schedule, when it has one, is taken over (sched: malloc'd). */
static void host_set(lv_host *h, const lv_run_desc *d, int32_t *sched) {
    int quiet = h->rerun.quiet;
    lv_rerun_init(&h->rerun, d);
    h->rerun.quiet = quiet;
    free(h->schedule);
    h->schedule = sched;
    h->rerun.d.schedule = sched;
}

lv_trace *lv_host_pick(void *ctx, int scenario, int variant, char *err, size_t errlen) {
    lv_host *h = ctx;
    if (scenario < 0 || (size_t)scenario >= lv_registry_count() || variant < 0 ||
        variant >= lv_registry_at((size_t)scenario)->nvariants) {
        snprintf(err, errlen, "no scenario %d, variant %d", scenario, variant);
        return NULL;
    }
    const lv_scenario *sc = lv_registry_at((size_t)scenario);
    lv_run_desc d = {.scenario = sc,
                     .variant = variant,
                     .mode = LV_MODE_CONTROLLED,
                     .seed = 1,
                     .policy = LV_POLICY_RANDOM};
    lv_trace *tr = NULL;
    lv_err e = lv_run(&d, &tr);
    if (e != LV_OK) {
        lv_textf(err, errlen, "%s: %s", sc->name, lv_strerror(e));
        return NULL;
    }
    host_set(h, &d, NULL);
    if (!h->rerun.quiet)
        printf("new run: %s/%s, seed %" PRIu64 ": %s; %zu finding%s\n", tr->scenario, tr->variant,
               tr->seed, lv_outcome_name(tr->outcome), tr->nfindings,
               tr->nfindings == 1 ? "" : "s");
    return tr;
}

int lv_counterpart_variant(const lv_scenario *sc, int vi) {
    if (vi < 0 || vi >= sc->nvariants) return -1;
    for (int i = 0; i < sc->nvariants; i++)
        if (!sc->variants[i].broken != !sc->variants[vi].broken) return i;
    return -1;
}

lv_trace *lv_counterpart_next(void *ctx, const lv_trace *tr, const char *variant, char *err,
                              size_t errlen) {
    lv_rerun *r = ctx;
    int vi;
    const lv_scenario *sc = scenario_of(tr, &vi);
    if (vi < 0) {
        snprintf(err, errlen, "this run is not of one of lockviz's scenarios");
        return NULL;
    }
    if (tr->mode != LV_MODE_CONTROLLED) {
        lv_textf(err, errlen,
                 "a live run has no schedule to replay; side by side needs a "
                 "controlled run");
        return NULL;
    }
    int wi = variant ? lv_scenario_variant_index(sc, variant) : lv_counterpart_variant(sc, vi);
    if (wi < 0 || wi == vi) {
        if (variant && wi < 0)
            lv_textf(err, errlen, "%s has no variant '%s'", sc->name, variant);
        else if (wi == vi)
            lv_textf(err, errlen, "%s is the variant shown", sc->variants[vi].name);
        else
            lv_textf(err, errlen, "%s has no %s variant to set beside %s", sc->name,
                     sc->variants[vi].broken ? "fixed" : "broken", sc->variants[vi].name);
        return NULL;
    }
    int64_t params[LV_MAX_PARAMS];
    lv_run_desc d = desc_from(&r->d, sc, wi, tr, params);
    d.schedule = tr->schedule;
    d.nschedule = tr->nschedule;
    d.chooser = NULL;
    lv_trace *out = NULL;
    lv_err e = lv_run(&d, &out);
    if (e != LV_OK) {
        lv_textf(err, errlen, "%s: %s", sc->name, lv_strerror(e));
        return NULL;
    }
    if (!r->quiet)
        printf("side by side: %s/%s, seed %" PRIu64 ", %s's %zu choices replayed: %s; %zu "
               "finding%s\n",
               out->scenario, out->variant, out->seed, tr->variant, tr->nschedule,
               lv_outcome_name(out->outcome), out->nfindings, out->nfindings == 1 ? "" : "s");
    return out;
}

void lv_host_adopt(void *ctx, const lv_trace *tr) {
    lv_host *h = ctx;
    int vi;
    const lv_scenario *sc = scenario_of(tr, &vi);
    if (vi < 0) return; /* not one of ours: reruns stay as they were */
    int32_t *sched = NULL;
    if (tr->nschedule) {
        sched = malloc(tr->nschedule * sizeof *sched);
        if (!sched) return; /* reruns stay as they were */
        memcpy(sched, tr->schedule, tr->nschedule * sizeof *sched);
    }
    int64_t params[LV_MAX_PARAMS];                              /* host_set copies them */
    lv_run_desc d = desc_from(&h->rerun.d, sc, vi, tr, params); /* the policy stays */
    d.nschedule = tr->nschedule;
    host_set(h, &d, sched);
}

void lv_host_explore(void *ctx, const lv_trace *tr, lv_xprogress_fn progress, void *pctx,
                     lv_xresult *out) {
    const lv_host *h = ctx;
    out->budget = h->explore_runs ? h->explore_runs : LV_EXPLORE_RUNS;
    out->bound = h->explore_preemptions;
    int vi;
    const lv_scenario *sc = scenario_of(tr, &vi);
    if (!sc) {
        lv_textf(out->err, sizeof out->err, "lockviz has no scenario '%s' to explore",
                 tr->scenario ? tr->scenario : "");
        return;
    }
    if (vi < 0) {
        lv_textf(out->err, sizeof out->err, "%s has no variant '%s'", sc->name,
                 tr->variant ? tr->variant : "");
        return;
    }
    int64_t params[LV_MAX_PARAMS];
    params_of(sc, tr, params);
    lv_explore_desc x = {.scenario = sc,
                         .variant = vi,
                         .params = params,
                         .strategy = LV_STRATEGY_DFS,
                         .runs = out->budget,
                         .preemptions = out->bound,
                         .seed = tr->seed,
                         .progress = progress,
                         .progress_ctx = pctx};
    if (progress(pctx, 0, out->budget)) return; /* cancelled before it began */
    lv_explore_result r;
    lv_err e = lv_explore(&x, &r);
    if (e != LV_OK) {
        lv_trace_free(r.failing);
        lv_textf(out->err, sizeof out->err, "%s: %s", sc->name, lv_strerror(e));
        return;
    }
    out->runs = r.runs;
    out->exhausted = r.exhausted;
    out->failing = r.failing;
    out->failing_run = r.failing_run;
    if (h->rerun.quiet) return;
    /* the terminal gets what a class can paste to replay it */
    const char *vn = sc->variants[vi].name;
    if (!r.failing && !r.exhausted && progress(pctx, r.runs, out->budget)) { /* Esc */
        printf("explore: %s/%s: cancelled after %zu run%s\n", sc->name, vn, r.runs,
               r.runs == 1 ? "" : "s");
        fflush(stdout);
        return;
    }
    if (!r.failing) {
        printf("explore: %s/%s: no failing schedule in %zu run%s%s\n", sc->name, vn, r.runs,
               r.runs == 1 ? "" : "s",
               r.exhausted ? "; dfs ran every schedule within the preemption bound" : "");
        return;
    }
    size_t need = lv_schedule_command(r.failing, NULL, 0) + 1;
    char *cmd = malloc(need);
    if (cmd) lv_schedule_command(r.failing, cmd, need);
    printf("explore: %s/%s: failing schedule found at run %zu (dfs, at most %d preemption%s)\n"
           "  replay: %s\n",
           sc->name, vn, r.failing_run + 1, out->bound, out->bound == 1 ? "" : "s",
           cmd ? cmd : "(out of memory)");
    free(cmd);
    fflush(stdout);
}
