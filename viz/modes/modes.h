/* The window's modes, pure: which exist (normal, side by side, scheduler, predict, the picker,
 * each with an explore job running or not), which exclude which, and what each key, click,
 * view request and tick means in each. The window fills an lv_mode_ctx from what it shows,
 * passes an input, and carries out the requests that come back, in order. No SDL, no runs:
 * tests drive it directly. */
#ifndef LV_VIZ_MODES_H
#define LV_VIZ_MODES_H

#include "picker.h"
#include "predict.h"
#include "vstate.h"

/* what a rerun asks for */
#define LV_RERUN_SEED 1    /* the same settings with the next seed */
#define LV_RERUN_VARIANT 2 /* the next variant (cycling), the other settings kept */

typedef enum lv_vmode {
    LV_VM_NORMAL,
    LV_VM_COMPARE, /* side by side: excludes scheduler and predict mode */
    LV_VM_SCHED,   /* scheduler mode: excludes predict mode and side by side */
    LV_VM_PREDICT, /* predict mode: excludes scheduler mode and side by side */
    LV_VM_PICKER   /* the picker, open over one run (never side by side) */
} lv_vmode;

/* What the window can do: the callbacks it was given. */
enum {
    LV_CAN_RERUN = 1,       /* R, V */
    LV_CAN_COUNTERPART = 2, /* C */
    LV_CAN_SCHED = 4,       /* S, P (on a controlled run) */
    LV_CAN_PICK = 8,        /* O */
    LV_CAN_EXPLORE = 16     /* X */
};

/* What the window shows, as the machine reads it (filled before each input). */
typedef struct lv_mode_ctx {
    int compare, picker, help;
    int exploring;  /* an explore job runs: nothing may replace the trace it reads */
    int controlled; /* the run shown was run controlled */
    int has_lesson;
    int unsaved;           /* scheduler picks neither copied nor exported: Q asks first */
    int asking;            /* that question shows now: a second Q quits */
    int pressed, dragging; /* the view's mouse press */
    size_t nthreads;       /* of the run shown */
    unsigned can;          /* LV_CAN_* */
    lv_schedview *sv;      /* sv->on: scheduler mode; its number being typed */
    lv_predict *pr;        /* pr->on: predict mode; the question; its value being typed */
} lv_mode_ctx;

lv_vmode lv_mode_of(const lv_mode_ctx *c);

typedef enum lv_min_kind {
    LV_MI_KEY,
    LV_MI_DOWN, /* the left button pressed */
    LV_MI_UP,
    LV_MI_WHEEL,
    LV_MI_MOVE,
    LV_MI_REQUEST,      /* the view state recorded a request (lv_request in req) */
    LV_MI_PICKER_RUN,   /* the picker asked to run its selection */
    LV_MI_EXPLORE_DONE, /* the explore job ended; found: it has a failing run */
    LV_MI_TICK          /* time passes (dt): a number that waited is taken */
} lv_min_kind;

enum { LV_KMOD_SHIFT = 1, LV_KMOD_CTRL = 2, LV_KMOD_ALT = 4, LV_KMOD_GUI = 8 };

/* What a click hit, from lv_mode_hits. */
typedef struct lv_mode_hit {
    int button;        /* lv_hit_button, or -1 */
    int option;        /* lv_pr_hit: a predict option, 1 ..., or 0 */
    lv_sv_target sv;   /* lv_sv_hit */
    int32_t sv_thread; /* its thread when LV_SV_THREAD */
    int32_t lane;      /* lv_hit_lane, or -1 */
} lv_mode_hit;

typedef struct lv_mode_in {
    lv_min_kind kind;
    lv_key key;      /* KEY */
    int digit;       /* KEY LV_KEY_DIGIT: 0 to 9 */
    int letter;      /* KEY: 'a' to 'z' when the key is a letter, else 0 */
    unsigned mods;   /* KEY: LV_KMOD_* */
    lv_mode_hit hit; /* DOWN, UP */
    lv_request req;  /* REQUEST */
    int found;       /* EXPLORE_DONE */
    double dt;       /* TICK */
} lv_mode_in;

typedef enum lv_mreq_kind {
    LV_MR_NONE,
    LV_MR_VIEW,           /* the input's usual meaning: to the view state (or side by side) */
    LV_MR_SAY,            /* a refusal or a note: text, word (its %s), secs */
    LV_MR_NOTE_AHEAD,     /* say what lies after the playhead now */
    LV_MR_QUIT,           /* quit now */
    LV_MR_QUIT_ASK,       /* picks would be lost: ask, and quit at a second Q */
    LV_MR_FULLSCREEN,     /* fullscreen on / off */
    LV_MR_EXPLORE,        /* start exploring the run shown */
    LV_MR_EXPLORE_CANCEL, /* ask the running job to stop */
    LV_MR_EXPLORE_SHOW,   /* the job's result: its failing run shown, its message said */
    LV_MR_COMPARE_ON,
    LV_MR_COMPARE_OFF,
    LV_MR_SCHED_ON,   /* the run shown, cut at the choice after the playhead */
    LV_MR_SCHED_OFF,  /* the run shown whole; said */
    LV_MR_SCHED_END,  /* the same, quietly, even when the run fails */
    LV_MR_SCHED_DROP, /* scheduler mode off without a run: the next request runs the whole */
    LV_MR_PREDICT_ON,
    LV_MR_PREDICT_OFF,   /* the whole run back in place */
    LV_MR_AUTO,          /* the policy runs on from the choices made */
    LV_MR_PICK,          /* arg: the thread to run at the choice after the playhead */
    LV_MR_ANSWER,        /* arg: the guess for the open question */
    LV_MR_RELEASE,       /* the press ends here: the button's going up was a pick */
    LV_MR_COPY,          /* the replaying command to the clipboard */
    LV_MR_RERUN,         /* arg: LV_RERUN_*; then: LV_THEN_* */
    LV_MR_RERUN_COMPARE, /* arg: LV_RERUN_*: both panes */
    LV_MR_TIME_VIEW,
    LV_MR_EXPORT,
    LV_MR_PICKER_OPEN,
    LV_MR_PICKER_KEY,   /* arg: lv_pick_key */
    LV_MR_PICKER_DIGIT, /* arg: 1 to 9 */
    LV_MR_PICKER_CLICK,
    LV_MR_PICKER_CLOSE,
    LV_MR_PICKER_RUN, /* the picker's selection runs */
    LV_MR_POINT,      /* only the mouse's position changes */
    LV_MR_LANG,
    LV_MR_AGAIN /* lay out, then the same input again (the requests before it changed mode) */
} lv_mreq_kind;

/* After a rerun: what scheduler or predict mode does with the new run. */
enum {
    LV_THEN_NONE,
    LV_THEN_SCHED_FRESH, /* picking starts over from the first choice (a new seed) */
    LV_THEN_SCHED_SAME,  /* the choices made, on the new run */
    LV_THEN_PREDICT      /* a new game */
};

typedef struct lv_mreq {
    lv_mreq_kind kind;
    int arg, then;
    int text;      /* SAY: lv_tr_key */
    char word[24]; /* SAY: the text's %s ("" when the text has none) */
    int secs;      /* SAY: how long it shows */
} lv_mreq;

#define LV_MODE_MAXREQ 4
typedef struct lv_mout {
    lv_mreq r[LV_MODE_MAXREQ];
    int n;
} lv_mout;

/* What input means in the mode c describes: the requests, in order, into out. */
void lv_mode_input(const lv_mode_ctx *c, const lv_mode_in *in, lv_mout *out);
/* What a click at (x, y) hits on frame f with sv and pr laid out on it. */
lv_mode_hit lv_mode_hits(const lv_frame *f, const lv_schedview *sv, const lv_predict *pr, int x,
                         int y);
/* After a tick of the view: in predict mode, the question opens when the playhead has reached
 * the end of what is shown (nshown events); while it is open the run waits. */
void lv_mode_arrive(lv_predict *pr, lv_vstate *vs, size_t nshown);

#endif
