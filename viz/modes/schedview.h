/* Scheduler mode in the viewer, pure: which threads can run at the choice the playhead stands
 * before, and in plain words why the others cannot; what a typed number or a click picks; where
 * the column beside the lanes and the bar under them go. No SDL and no runs: viewer.c asks the
 * scheduler callbacks (lv_viewer_desc) for choice points and new runs, and render_sched.c
 * draws what is laid out here. */
#ifndef LV_VIZ_SCHEDVIEW_H
#define LV_VIZ_SCHEDVIEW_H

#include "geom.h"

/* A choice point of the run shown, as the viewer's scheduler callbacks describe it. */
typedef struct lv_sched_point {
    size_t index;           /* among the run's choice points */
    size_t nbefore;         /* events of the run shown before it */
    const int32_t *enabled; /* the threads that can run there, ascending; borrowed */
    size_t nenabled;
} lv_sched_point;

#define LV_SV_WHY 160

/* One lane's cell in the column: its number, and "can run" or why not. */
typedef struct lv_sv_cell {
    int32_t thread;
    lv_rect r, badge, text;
    int can_run;
} lv_sv_cell;

typedef struct lv_schedview {
    int on;      /* scheduler mode */
    int whole;   /* the run is shown whole (Auto), not cut at the frontier */
    int playing; /* copied from the view state, for the bar's message */
    /* the choice after the playhead, as of the last lv_sv_update */
    int have_point;
    lv_sched_point point; /* its enabled threads copied into enabled */
    int32_t *enabled;
    size_t capen;
    long seq; /* the playhead it was computed for */
    const lv_trace *tr;
    int lang;
    int valid;
    uint8_t *can;           /* per thread: 1 when it can run at the choice */
    char (*why)[LV_SV_WHY]; /* per thread: why it cannot ("" when it can, or is running) */
    /* per thread that can run while its lane's state says otherwise (asleep, not started,
     * waiting), why it can all the same: "woken: earliest sleep"; else "" */
    char (*note)[LV_SV_WHY];
    size_t nthreads, capthreads;
    lv_state st; /* the state at the choice, for the reasons */
    const lv_scene *st_scene;
    /* a number being typed: ids of 10 and more take two keys */
    int typed;
    double typed_left; /* seconds until a typed prefix is taken as it is */
    /* the layout (lv_sv_layout) */
    lv_sv_cell *cells;
    size_t ncells, capcells;
    lv_rect title, msg, auto_btn, sched_r, hint_r;
    char title_text[64];
    char msg_text[256];
    char sched_text[512]; /* "--schedule 0,1,1,2", its front cut with "…" to fit */
} lv_schedview;

void lv_sv_init(lv_schedview *sv);
void lv_sv_free(lv_schedview *sv);
/* The scene shown was replaced: forget what was computed on the old one (mode kept). */
void lv_sv_forget(lv_schedview *sv);

/* Recomputes who can run and why not, for the playhead at seq of scene s with the choice p
 * after it (NULL: nothing to choose). Cheap when nothing changed. LV_ENOMEM on failure. */
lv_err lv_sv_update(lv_schedview *sv, const lv_scene *s, long seq, const lv_sched_point *p,
                    int lang);
/* 1 when the run shown is cut at the frontier (not whole): the header says it is the
 * person's pick rather than "aborted". */
int lv_sv_cut_shown(const lv_schedview *sv, const lv_trace *tr);
/* Where a pick made now applies, as the event to ask lv_sched_ops.point about: the playhead's
 * seq, but while the run cut at its frontier (not whole) still plays the step of the last pick,
 * its last event: the pick is queued after that step, never a branch from the old playhead. */
long lv_sv_pick_seq(const lv_schedview *sv, const lv_trace *shown, long seq, int playing);
/* How many events thread th recorded in tr from event nbefore on: 0 after a pick means the
 * pick's step shows nothing (the viewer says so). */
size_t lv_sv_step_events(const lv_trace *tr, size_t nbefore, int32_t th);
/* 1 when thread th can be picked at the choice after the playhead. */
int lv_sv_can_run(const lv_schedview *sv, int32_t th);
/* Why thread th cannot run next, given the state st (after the events before the choice):
 * "waits for Lock A, held by buyer-1", "sleeps until t = 100.0 ms", "has finished"... */
void lv_sv_why(const lv_scene *s, const lv_state *st, int32_t th, int lang, char *buf, size_t len);

/* The choices that pick thread at choice point index of the run shown (its schedule before
 * index, then thread) into *out (malloc'd; the caller frees it), *n = index + 1. */
lv_err lv_sv_choices(const lv_trace *shown, size_t index, int32_t thread, int32_t **out, size_t *n);

/* A digit key: the thread id typed so far once it is complete (ids of 10 and more take two
 * digits; a lone digit that could start one waits for the next key or lv_sv_tick), else -1.
 * The id returned may name no thread: the caller says so. */
int32_t lv_sv_digit(lv_schedview *sv, int digit, size_t nthreads);
/* Time passes: a waiting prefix is taken as it is when its time is up (the id, else -1). */
int32_t lv_sv_tick(lv_schedview *sv, double dt);

/* The height of the bar under the lanes (scheduler and predict mode share it). */
int lv_sv_bar_height(const lv_viewport *vp);
/* Sets the room scheduler mode needs in vp (none when off), before lv_frame_layout. */
void lv_sv_reserve(const lv_schedview *sv, lv_viewport *vp);
/* Lays out the column's cells beside f's lanes and the bar's parts, texts fitted with vp's
 * measure. trace: the run shown (its schedule is the string). LV_ENOMEM on failure. */
lv_err lv_sv_layout(lv_schedview *sv, const lv_frame *f, const lv_viewport *vp,
                    const lv_trace *trace);

typedef enum lv_sv_target {
    LV_SV_NOTHING,
    LV_SV_THREAD,  /* a lane or its cell: *thread is set */
    LV_SV_AUTO,    /* the Auto button */
    LV_SV_SCHEDULE /* the schedule string: copy it */
} lv_sv_target;

/* What a click at (x, y) means in scheduler mode (lanes included). */
lv_sv_target lv_sv_hit(const lv_schedview *sv, const lv_frame *f, int x, int y, int32_t *thread);

#endif
