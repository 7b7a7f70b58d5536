/* Explore from the window: a job that runs the viewer's explore callback on a thread of its own
 * while the window keeps drawing, the progress panel's layout and the message at the end.
 * Progress crosses to the window's thread through atomics only; the result is handed over
 * after the thread is joined. No SDL and no scenarios here: glue.c explores, render_picker.c
 * draws the panel. */
#ifndef LV_VIZ_EXPLORE_UI_H
#define LV_VIZ_EXPLORE_UI_H

#include <stddef.h>
#include "lockviz/trace.h"
#include "picker.h"

typedef struct lv_xresult {
    lv_trace *failing;  /* the first failing run, or NULL; owned by whoever took the result */
    size_t runs;        /* runs done */
    size_t budget;      /* the most it would have run */
    size_t failing_run; /* the failing run's index among them, from 0 */
    int exhausted;      /* dfs ran every schedule within the bound */
    int bound;          /* dfs: the preemption bound */
    int cancelled;      /* stopped because the job was cancelled */
    char err[256];      /* not empty: the exploration could not be carried out */
} lv_xresult;

/* Called on the job's thread: at the start (done 0) and after every run; nonzero: stop. */
typedef int (*lv_xprogress_fn)(void *pctx, size_t done, size_t budget);
/* Explores the scenario, variant, parameters and seed tr was recorded with. Runs on the job's
 * thread; tr is borrowed and stays alive and unchanged until the job is finished. Fills out
 * (zeroed before the call). */
typedef void (*lv_explore_fn)(void *ctx, const lv_trace *tr, lv_xprogress_fn progress, void *pctx,
                              lv_xresult *out);

typedef struct lv_xjob lv_xjob;

/* Starts fn on a new thread. NULL when the thread or memory could not be had. */
lv_xjob *lv_xjob_start(lv_explore_fn fn, void *ctx, const lv_trace *tr);
/* 1 once fn has returned (lv_xjob_finish will not wait). */
int lv_xjob_done(const lv_xjob *j);
/* The latest progress fn reported (0, 0 before the first). */
void lv_xjob_progress(const lv_xjob *j, size_t *done, size_t *budget);
/* Asks fn to stop: its progress callback returns nonzero from now on. */
void lv_xjob_cancel(lv_xjob *j);
/* Waits for the thread, hands over the result (out->cancelled set when it was cancelled) and
 * frees the job. To end a job early, cancel it first. Accepts NULL (out zeroed). */
void lv_xjob_finish(lv_xjob *j, lv_xresult *out);

/* What a finished exploration says, in lang: when it found a failing run, two lines joined by
 * '\n' (which run failed; its first finding, or its outcome when it has none). */
void lv_xresult_message(const lv_xresult *r, int lang, char *buf, size_t len);

/* The progress panel, over area (the lanes): a title, a bar filled done / budget, the count and
 * how to cancel. */
typedef struct lv_xpanel {
    lv_rect box, bar, fill;
    lv_ptext lines[4]; /* title, what it does, the count, the hint */
    int nlines;
    char title[256], count[96];
} lv_xpanel;

/* vp gives the scale, fonts (measure, line_h) and language, as for the frame. */
void lv_xpanel_layout(lv_xpanel *p, lv_rect area, const lv_viewport *vp, const char *scenario,
                      const char *variant, size_t done, size_t budget);

#endif
