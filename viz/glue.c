/* The viewer's rerun and lesson callbacks on lv_run and the registry (see glue.h). Nothing
 * here draws or handles input. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "glue.h"
#include "registry.h"

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

int lv_lesson_of(void *ctx, const lv_trace *tr, lv_lesson *out) {
    (void)ctx;
    const lv_scenario *sc = tr->scenario ? lv_scenario_find(tr->scenario) : NULL;
    int vi = sc && tr->variant ? lv_scenario_variant_index(sc, tr->variant) : -1;
    if (vi < 0) return -1;
    const lv_variant_desc *v = &sc->variants[vi];
    *out = (lv_lesson){.title = {sc->title, sc->title_zh},
                       .variant = v->name,
                       .text = {v->lesson_en, v->lesson_zh},
                       .role = v->broken ? LV_ROLE_BROKEN : LV_ROLE_FIXED};
    return 0;
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
    const lv_scenario *sc = tr->scenario ? lv_scenario_find(tr->scenario) : NULL;
    int vi = sc && tr->variant ? lv_scenario_variant_index(sc, tr->variant) : -1;
    if (vi < 0) {
        snprintf(err, errlen, "this run is not of one of lockviz's scenarios");
        return NULL;
    }
    if (tr->mode != LV_MODE_CONTROLLED) {
        snprintf(err, errlen,
                 "a live run has no schedule to replay; side by side needs a "
                 "controlled run");
        return NULL;
    }
    int wi = variant ? lv_scenario_variant_index(sc, variant) : lv_counterpart_variant(sc, vi);
    if (wi < 0 || wi == vi) {
        if (variant && wi < 0)
            snprintf(err, errlen, "%s has no variant '%s'", sc->name, variant);
        else if (wi == vi)
            snprintf(err, errlen, "%s is the variant shown", sc->variants[vi].name);
        else
            snprintf(err, errlen, "%s has no %s variant to set beside %s", sc->name,
                     sc->variants[vi].broken ? "fixed" : "broken", sc->variants[vi].name);
        return NULL;
    }
    int64_t params[LV_MAX_PARAMS];
    for (int i = 0; i < LV_MAX_PARAMS; i++)
        params[i] = i < sc->nparams ? sc->params[i].def : 0;
    for (size_t i = 0; i < tr->nparams; i++) {
        int pi = lv_scenario_param_index(sc, tr->params[i].name);
        if (pi >= 0) params[pi] = tr->params[i].value;
    }
    lv_run_desc d = r->d;
    d.scenario = sc;
    d.variant = wi;
    d.params = params;
    d.mode = LV_MODE_CONTROLLED;
    d.seed = tr->seed;
    d.schedule = tr->schedule;
    d.nschedule = tr->nschedule;
    d.chooser = NULL;
    lv_trace *out = NULL;
    lv_err e = lv_run(&d, &out);
    if (e != LV_OK) {
        snprintf(err, errlen, "%s: %s", sc->name, lv_strerror(e));
        return NULL;
    }
    if (!r->quiet)
        printf("side by side: %s/%s, seed %" PRIu64 ", %s's %zu choices replayed: %s; %zu "
               "finding%s\n",
               out->scenario, out->variant, out->seed, tr->variant, tr->nschedule,
               lv_outcome_name(out->outcome), out->nfindings, out->nfindings == 1 ? "" : "s");
    return out;
}
