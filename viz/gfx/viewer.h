/* The window: a resizable, high-DPI-aware SDL window that animates a trace (playhead, stepping,
 * zoom, pan, findings, the lesson, English or Chinese). Input goes to the mode machine (modes.h)
 * and the view state (vstate.h); drawing is render.c's. It knows no scenario: new runs and lessons
 * come through the descriptor's callbacks. The step-by-step calls exist so a test can push events
 * and read the pixels back. */
#ifndef LV_VIZ_VIEWER_H
#define LV_VIZ_VIEWER_H

#include <stddef.h>
#include "schedview.h"
#include "compare.h"
#include "explore_ui.h"
#include "modes.h"
#include "picker.h"
#include "vstate.h"

/* Scheduler mode's runs (keys S, A, a lane's number; clicks on lanes). The viewer knows no
 * scenario: glue.c implements these on a session (session.h). */
typedef struct lv_sched_ops {
    /* A run in which choice point i gets choices[i] for i < n and the policy picks from point n
     * on, shown cut at point n (the frontier), or whole when whole is 1. Returns the trace to
     * show (the viewer owns it, as with rerun) and in *diverged the first choice that named a
     * thread that could not run (-1: none); NULL with a one-line reason in err. */
    lv_trace *(*run)(void *ctx, const int32_t *choices, size_t n, int whole, long *diverged,
                     char *err, size_t errlen);
    /* The choice a pick makes with the playhead at event seq of the trace run returned last:
     * 0 with *out filled (borrowed until the next run), -1 when nothing is left to choose. */
    int (*point)(void *ctx, long seq, lv_sched_point *out);
} lv_sched_ops;

typedef struct lv_viewer_desc {
    int w, h;        /* window size in screen units; 0: 1280x720 */
    long at_seq;     /* where the playhead starts; -1 or 0: the first event */
    int play;        /* start playing */
    int future;      /* LV_FUTURE_*: what lies after the playhead at the start (0: shown) */
    int lesson_open; /* show the lesson panel at the start (when there is a lesson) */
    int lang;        /* lv_lang to start in */
    /* Optional: a new run (keys R and V). Returns a new trace, or NULL with a one-line reason
     * in err. The viewer owns every trace rerun returns: it frees it (lv_trace_free) when a
     * newer run replaces it and when the viewer closes. NULL: R and V only say so. */
    lv_trace *(*rerun)(void *ctx, int what, char *err, size_t errlen);
    void *rerun_ctx;
    /* Optional: the lesson of a trace. 0 with *out filled, -1 when it has none. */
    lv_lesson_fn lesson;
    void *lesson_ctx;
    /* Optional: scheduler mode. NULL: S only says it is for runs started here. */
    const lv_sched_ops *sched;
    void *sched_ctx;
    /* Open in scheduler mode, cut after these choices (borrowed during lv_viewer_open). */
    int sched_start;
    const int32_t *sched_choices;
    size_t sched_nchoices;
    /* Optional: the run to show beside tr (key C and the compare button; R and V while side by
     * side): the variant named `variant` of tr's scenario, or when NULL the first fixed variant
     * of a broken one and the first broken variant of a fixed one, run with tr's seed and
     * parameters and tr's schedule replayed where it applies. Returns a new trace the viewer
     * owns, or NULL with a one-line reason in err. NULL: C only says so. */
    lv_trace *(*counterpart)(void *ctx, const lv_trace *tr, const char *variant, char *err,
                             size_t errlen);
    void *counterpart_ctx;
    /* Optional: open side by side, tr above and this run below (borrowed like tr). */
    lv_trace *compare_tr;
    /* Optional: the scenario picker (key O, or a click on the header's title). The scenarios
     * to choose from (borrowed: must outlive the viewer), and the run of a choice: a new trace
     * the viewer owns, as with rerun, or NULL with a one-line reason in err. NULL: O only says
     * so. */
    const lv_catalog *catalog;
    lv_trace *(*pick)(void *ctx, int scenario, int variant, char *err, size_t errlen);
    void *pick_ctx;
    int picker_open; /* open the picker at the start (plain `lockviz`) */
    /* Optional: explore from the window (key X and a header button), called on a thread of its
     * own while the window keeps drawing (explore_ui.h); Esc cancels. A failing run it finds
     * becomes the trace shown (the viewer owns it), and adopt is told on the window's thread,
     * so reruns go on from it. NULL explore: X only says so. */
    lv_explore_fn explore;
    void *explore_ctx;
    void (*adopt)(void *ctx, const lv_trace *tr);
    void *adopt_ctx;
} lv_viewer_desc;

typedef struct lv_viewer lv_viewer;

/* Opens the window on tr. The viewer never frees tr (the caller does, after closing the
 * viewer); tr must outlive it. SDL video must be available.
 * NULL on failure with a one-line reason in err. */
lv_viewer *lv_viewer_open(lv_trace *tr, const lv_viewer_desc *d, char *err, size_t errlen);
void lv_viewer_close(lv_viewer *v); /* accepts NULL; frees the traces reruns returned */
/* Handles pending events, advances time by dt seconds and draws a frame (not yet shown).
 * Returns 0 when the user asked to quit, 1 otherwise. */
int lv_viewer_frame(lv_viewer *v, double dt);
void lv_viewer_present(lv_viewer *v);
/* The drawn frame's pixels as RGB (w*h*3 bytes, malloc'd) before it is presented. */
int lv_viewer_read_rgb(lv_viewer *v, unsigned char **rgb, int *w, int *h);
const lv_vstate *lv_viewer_state(const lv_viewer *v);
const lv_frame *lv_viewer_layout(const lv_viewer *v);
/* The trace shown now (the one given to open, or the latest rerun's); owned as above. */
const lv_trace *lv_viewer_trace(const lv_viewer *v);
/* The status message shown now ("" when none). */
const char *lv_viewer_status(const lv_viewer *v);
/* Scheduler mode's state: on, whole, who can run at the playhead and why not. */
const lv_schedview *lv_viewer_sched(const lv_viewer *v);
/* Predict mode's state: on, the question asked, the score, the answers' marks. */
const struct lv_predict *lv_viewer_predict(const lv_viewer *v);
/* The command line that replays the trace shown (what Ctrl+C copies), into buf like snprintf. */
size_t lv_viewer_schedule_command(const lv_viewer *v, char *buf, size_t len);
/* The comparison shown now, or NULL when one run is shown. Its lower pane's trace is owned
 * by the viewer when it came from the counterpart callback, else by the caller. */
const lv_compare *lv_viewer_compare(const lv_viewer *v);
/* The picker's state and its frame as last laid out (open: the picker is shown). */
const lv_picker *lv_viewer_picker(const lv_viewer *v);
const lv_pframe *lv_viewer_picker_layout(const lv_viewer *v);
/* 1 while an exploration runs; its progress so far (runs done, budget). */
int lv_viewer_exploring(const lv_viewer *v, size_t *done, size_t *budget);
/* The progress panel as last laid out (meaningful while exploring). */
const lv_xpanel *lv_viewer_xpanel(const lv_viewer *v);
/* Window units -> drawing pixels (they differ on high-DPI screens). */
double lv_viewer_dpi(const lv_viewer *v);

/* Runs the window until it is closed. 0 on success, -1 with err when it cannot open. */
int lv_viewer_run(lv_trace *tr, const lv_viewer_desc *d, char *err, size_t errlen);

#endif
