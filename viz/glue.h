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

/* 0, or -1 when out of memory or r is not a controlled run. */
int lv_sched_glue_init(lv_sched_glue *g, lv_rerun *r);
void lv_sched_glue_free(lv_sched_glue *g);
/* The callbacks; their ctx is an lv_sched_glue. */
extern const lv_sched_ops lv_sched_glue_ops;

/* lv_viewer_desc.lesson (ctx unused): the registered scenario and variant named by the trace,
 * or -1 when there is none of those names. */
int lv_lesson_of(void *ctx, const lv_trace *tr, lv_lesson *out);

#endif
