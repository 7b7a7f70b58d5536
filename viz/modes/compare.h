/* Broken and fixed side by side, pure: two runs in two panes, one above the other, on one time
 * warp, so a moment of virtual time is at the same x in both. One playhead (a time) and one
 * zoom drive both panes; stepping walks both runs' events in one merged order. Input arrives in
 * window pixels and goes to the pane under the mouse; what the panes share is copied to the
 * other. No SDL: render_compare.c draws it, viewer.c feeds it, tests drive it directly. It does
 * not run anything: the two traces come from the caller (glue.c makes them). */
#ifndef LV_VIZ_COMPARE_H
#define LV_VIZ_COMPARE_H

#include "vstate.h"

/* What a variant is meant to show (the scenario's lv_variant_desc.broken). */
typedef enum lv_role { LV_ROLE_UNKNOWN, LV_ROLE_BROKEN, LV_ROLE_FIXED } lv_role;

/* A scenario's lesson, per language (lv_lang). Strings are borrowed and must outlive the
 * viewer and the comparison (the registry's static strings). */
typedef struct lv_lesson {
    const char *title[LV_LANG__COUNT]; /* the scenario's title */
    const char *variant;               /* the variant's name */
    const char *text[LV_LANG__COUNT];  /* what to watch, why it breaks or why the fix works */
    int role;                          /* lv_role: broken, fixed, or unknown (0) */
} lv_lesson;

/* The lesson of a trace: 0 with *out filled, -1 when it has none (glue.c's lv_lesson_of). */
typedef int (*lv_lesson_fn)(void *ctx, const lv_trace *tr, lv_lesson *out);

/* One run to show: its trace (borrowed: it must outlive the comparison), its role, and its
 * lesson per language (borrowed static strings; NULL when there is none). */
typedef struct lv_cmp_side {
    const lv_trace *tr;
    int role; /* lv_role */
    const char *title[LV_LANG__COUNT];
    const char *text[LV_LANG__COUNT];
} lv_cmp_side;

typedef struct lv_cmp_pane {
    lv_cmp_side side;
    lv_scene *s; /* on the warp both panes share */
    lv_state st;
    lv_frame f;     /* in the pane's own pixels: (0, 0) is the pane's top left */
    lv_viewport vp; /* the same */
    lv_vstate vs;   /* pane 0's holds what the panes share (language, speed, requests...) */
    lv_rect r;      /* where the pane is in the window */
    char lesson_title[512];
} lv_cmp_pane;

typedef struct lv_compare {
    lv_cmp_pane p[2];
    /* the merged order of both runs' events, by time (pane 0 first at equal times) */
    int64_t *t;   /* per step: its event's time */
    uint32_t *na; /* per step: how many of steps 0..m are pane 0's events */
    size_t nsteps;
    long m;      /* the playhead's step */
    size_t same; /* leading choice points where both runs picked the same thread */
    int press;   /* the pane a mouse press began in, or -1 */
    int lanes;   /* the first lane shown, in both panes (each stops at its last thread) */
} lv_compare;

/* tr as a pane: its role, title and lesson text from lesson (NULL, or none: unknown, none). */
lv_cmp_side lv_cmp_side_of(const lv_trace *tr, lv_lesson_fn lesson, void *ctx);

/* Builds the comparison of sides[0] (the upper pane) and sides[1]. The playhead starts at the
 * first step, paused. LV_ENOMEM on failure. */
lv_err lv_cmp_new(const lv_cmp_side sides[2], lv_compare **out);
void lv_cmp_free(lv_compare *c); /* accepts NULL */

/* Takes a person's settings from a single view's state (language, speed, help; NULL: the
 * defaults) and puts the playhead on the last step at or before time t, playing or not. The
 * view shows everything; the lesson panels start closed (two would crowd the lanes). */
void lv_cmp_start(lv_compare *c, const lv_vstate *from, int64_t t, int playing);
/* Gives the settings back to a single view's state (language, speed, help, playing). */
void lv_cmp_settings_to(const lv_compare *c, lv_vstate *to);

/* The shared state: language, help, speed, playing, quit, a key's request. */
static inline lv_vstate *lv_cmp_vs(lv_compare *c) {
    return &c->p[0].vs;
}
/* The playhead: its step, its time, and each pane's event at it (-1: none yet). */
void lv_cmp_set_step(lv_compare *c, long m);
int64_t lv_cmp_time(const lv_compare *c);
long lv_cmp_seq(const lv_compare *c, int pane);
/* The step of pane's event seq. */
long lv_cmp_step_of(const lv_compare *c, int pane, long seq);

/* Input, in window pixels; each is the counterpart of the lv_vs_ call of the same name. */
void lv_cmp_key(lv_compare *c, lv_key k, int shift);
void lv_cmp_tick(lv_compare *c, double dt);
void lv_cmp_wheel(lv_compare *c, int x, int y, int dy, int shift);
void lv_cmp_mouse_down(lv_compare *c, int x, int y);
void lv_cmp_mouse_move(lv_compare *c, int x, int y);
void lv_cmp_mouse_up(lv_compare *c, int x, int y);
void lv_cmp_mouse_leave(lv_compare *c);

/* Lays out both panes for a window described by win (size, scale, fonts' measure, language,
 * the status message): the upper pane's header keeps the buttons, the lower one's the legend;
 * each title says its variant and role, the lower subtitle how far the choices agree; both
 * label columns get one width so the time axes line up. LV_ENOMEM on failure. */
lv_err lv_cmp_layout(lv_compare *c, const lv_viewport *win);

/* How many leading choice points the two traces' schedules share (the same thread picked). */
size_t lv_schedule_same(const lv_trace *a, const lv_trace *b);
/* The lower pane's words about that, in lang: "first 9 choices as above". */
void lv_cmp_same_words(const lv_compare *c, int lang, char *buf, size_t len);

#endif
