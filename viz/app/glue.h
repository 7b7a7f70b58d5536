/* What joins the viewer to scenarios, kept out of both: a rerun callback that repeats a run
 * with the next seed or variant (lv_run), scheduler mode's runs on a session, and a lesson
 * lookup through the registry. The viewer sees only the callbacks in lv_viewer_desc. */
#ifndef LV_VIZ_GLUE_H
#define LV_VIZ_GLUE_H

#include "lockviz/run.h"
#include "viewer.h"

typedef struct lv_rerun {
    lv_run_desc d;                 /* the last run's settings; d.params points at params */
    int64_t params[LV_MAX_PARAMS]; /* a copy, so the caller's array may go */
    int quiet;                     /* 1: print nothing on stdout */
} lv_rerun;

/* Copies d (its params; its schedule stays borrowed and must outlive the reruns). */
void lv_rerun_init(lv_rerun *r, const lv_run_desc *d);
/* lv_viewer_desc.rerun (ctx: an lv_rerun). LV_RERUN_SEED runs with seed + 1 and no schedule
 * (a new seed means a new schedule); LV_RERUN_VARIANT runs the next variant, cycling, with the
 * same seed and schedule (the fixed program against the same choices). Prints a one-line
 * summary of the new run. The trace returned belongs to the caller. */
lv_trace *lv_rerun_next(void *ctx, int what, char *err, size_t errlen);

/* Scheduler mode (lv_viewer_desc.sched) on a session (session.h), its settings those of a
 * rerun's: after R or V the scheduler runs the new seed or variant. */
typedef struct lv_sched_glue {
    lv_rerun *rerun; /* borrowed */
    struct lv_session *session;
    int whole; /* the last run was shown whole */
} lv_sched_glue;

/* 0, or -1 when out of memory. A live r is run controlled (scheduler mode needs choices). */
int lv_sched_glue_init(lv_sched_glue *g, lv_rerun *r);
void lv_sched_glue_free(lv_sched_glue *g);
/* The callbacks; their ctx is an lv_sched_glue. */
extern const lv_sched_ops lv_sched_glue_ops;
/* The variant to show beside variant vi of sc: the first fixed variant when vi is broken, the
 * first broken one when vi is a fix; -1 when sc has none of the other kind. */
int lv_counterpart_variant(const lv_scenario *sc, int vi);

/* lv_viewer_desc.counterpart (ctx: an lv_rerun, for its policy and printing): runs `variant`
 * (NULL: lv_counterpart_variant) of tr's scenario with tr's seed, parameters and schedule
 * replayed. Refuses a live trace (it has no schedule), an unknown scenario or variant, and
 * tr's own variant. Prints a one-line summary. The trace returned belongs to the caller. */
lv_trace *lv_counterpart_next(void *ctx, const lv_trace *tr, const char *variant, char *err,
                              size_t errlen);

/* lv_viewer_desc.lesson (ctx unused): the registered scenario and variant named by the trace,
 * or -1 when there is none of those names. */
int lv_lesson_of(void *ctx, const lv_trace *tr, lv_lesson *out);

/* What the window of a run started here is handed: reruns (R, V), the lesson, the scenario
 * picker (O) and explore (X), all on one set of settings, so that a run picked or found by
 * explore is the one R and V go on from. */
typedef struct lv_host {
    lv_rerun rerun;
    lv_sched_glue sched; /* scheduler and predict mode, on rerun's settings */
    int32_t *schedule;   /* an adopted run's schedule (owned); rerun.d.schedule may point here */
    lv_catalog catalog;  /* the registry's scenarios, for the picker */
    size_t explore_runs; /* explore's budget (LV_EXPLORE_RUNS after init) */
    int explore_preemptions; /* dfs's preemption bound (LV_EXPLORE_PREEMPTIONS after init) */
    /* private */
    lv_pick_scenario *cat_sc;
    lv_pick_variant *cat_v;
} lv_host;

/* d as for lv_rerun_init. LV_ENOMEM on failure (nothing to free then). */
lv_err lv_host_init(lv_host *h, const lv_run_desc *d);
void lv_host_free(lv_host *h); /* what h owns; accepts NULL */
/* A host whose reruns go on from tr, a trace read from a file: its scenario, variant,
 * parameters, seed and schedule, as `lockviz run SCENARIO --schedule TRACE` replays it, so R,
 * V, S, P, C and X work on it. LV_EUNSUPPORTED with why (one line) when tr cannot be run again (a
 * scenario or variant lockviz does not have, a live run, a parameter out of range): h is then
 * untouched and needs no free. */
lv_err lv_host_for_trace(lv_host *h, const lv_trace *tr, char *why, size_t whylen);
/* The window's descriptor with every callback on h (1280x720, playing, the lesson open). */
lv_viewer_desc lv_host_window(lv_host *h, int picker_open);
/* lv_viewer_desc.pick (ctx: an lv_host): runs scenario (an index into the registry) and variant
 * as `lockviz run` does (controlled, seed 1, default parameters); reruns go on from it. */
lv_trace *lv_host_pick(void *ctx, int scenario, int variant, char *err, size_t errlen);
/* lv_viewer_desc.adopt (ctx: an lv_host): reruns go on from tr's scenario, variant, parameters,
 * seed and schedule (V: the next variant under the same choices). */
void lv_host_adopt(void *ctx, const lv_trace *tr);
/* lv_viewer_desc.explore (ctx: an lv_host, only read): dfs over tr's scenario, variant,
 * parameters and seed within the budget and bound; prints what it found and how to replay it
 * unless rerun.quiet. */
void lv_host_explore(void *ctx, const lv_trace *tr, lv_xprogress_fn progress, void *pctx,
                     lv_xresult *out);

#endif
