/* The viewer's state and input handling, pure: play/pause, stepping, speed, zoom, pan, clicks
 * on the timeline, findings and buttons, as functions on a struct that tests drive without a
 * window. The window reaches them through the mode machine (viz/modes/modes.h), which passes an
 * input on here when it has its usual meaning. */
#ifndef LV_VIZ_VSTATE_H
#define LV_VIZ_VSTATE_H

#include "geom.h"

typedef enum lv_key {
    LV_KEY_NONE,
    LV_KEY_SPACE, /* play / pause */
    LV_KEY_RIGHT, /* one event forward; with shift, the next finding */
    LV_KEY_LEFT,  /* one event back; with shift, the previous finding */
    LV_KEY_PLUS,  /* faster */
    LV_KEY_MINUS, /* slower */
    LV_KEY_HOME,
    LV_KEY_END,
    LV_KEY_UP, /* scroll the lanes */
    LV_KEY_DOWN,
    LV_KEY_HELP,
    LV_KEY_ESCAPE,   /* closes the help, else quits */
    LV_KEY_RERUN,    /* R: a new run with the next seed (the viewer's rerun callback) */
    LV_KEY_VARIANT,  /* V: a new run of the next variant */
    LV_KEY_EXPORT,   /* E: trace, Chrome JSON and PNG into the current folder */
    LV_KEY_LANG,     /* L: English / Chinese */
    LV_KEY_LESSON,   /* I: show / hide the lesson */
    LV_KEY_COMPARE,  /* C: broken and fixed side by side, on / off */
    LV_KEY_PICKER,   /* O: the scenario picker */
    LV_KEY_EXPLORE,  /* X: search for a failing schedule */
    LV_KEY_TIMEVIEW, /* T: long gaps shortened, linear time, one column per event */
    LV_KEY_AHEAD,    /* G: what lies after the playhead: hidden, faint, shown */
    LV_KEY_QUIT,
    LV_KEY_SCHED,      /* S: scheduler mode on / off (modes.h) */
    LV_KEY_PREDICT,    /* P: predict mode on / off */
    LV_KEY_AUTO,       /* A: scheduler mode: the policy runs on */
    LV_KEY_DIGIT,      /* 0 to 9: a thread's number, a value, a scenario in the picker */
    LV_KEY_FULLSCREEN, /* F */
    LV_KEY_TAB,        /* the picker: the next variant */
    LV_KEY_ENTER       /* the picker: run the selection */
} lv_key;

/* What a key asked of the viewer beyond the state (a new run, files): vstate only records it;
 * viewer.c does it and clears it. */
typedef enum lv_request {
    LV_REQ_NONE,
    LV_REQ_RERUN_SEED,
    LV_REQ_RERUN_VARIANT,
    LV_REQ_EXPORT,
    LV_REQ_COMPARE, /* side by side on or off */
    LV_REQ_PICKER,
    LV_REQ_EXPLORE,
    LV_REQ_TIME_VIEW /* the next time view: time_view is already the one asked for */
} lv_request;

typedef struct lv_vstate {
    const lv_scene *s; /* borrowed */
    long seq;          /* the playhead's event */
    double play_d;     /* the playhead's display position (moves smoothly while playing) */
    int playing;
    int speed_level; /* speed is 2^level steps per second times four */
    double d0, d1;   /* the visible display range */
    int help, highlight, lane_scroll, finding_scroll;
    int mouse_x, mouse_y;
    int pressed, dragging, press_x, press_y;
    double press_d0, press_d1;
    int quit;
    int lanes_below; /* lanes below the view in the last frame: only then does ↓ scroll */
    int lang;        /* lv_lang */
    int lesson;      /* 1: the lesson panel is open (when there is a lesson) */
    lv_request request;
    int future;     /* LV_FUTURE_*: what lies after the playhead */
    int time_view;  /* LV_TIME_*: the view asked for (the viewer builds its scene) */
    int cycle_seen; /* the deadlock's cycle was shown, and its lanes scrolled into view */
} lv_vstate;

void lv_vs_init(lv_vstate *v, const lv_scene *s);
/* Moves to a new scene (a new run): the playhead to the start, playing, the view reset;
 * language, lesson panel, help and speed kept. */
void lv_vs_retarget(lv_vstate *v, const lv_scene *s);
/* Notes what the frame just laid out shows (the lanes below it, for ↓). */
void lv_vs_frame(lv_vstate *v, const lv_frame *f);
/* Copies what the layout needs (range, playhead, highlight, hover...) into vp. */
void lv_vs_viewport(const lv_vstate *v, lv_viewport *vp);
/* Moves the playhead to event seq (clamped), keeping it on screen. */
void lv_vs_set_seq(lv_vstate *v, long seq);
void lv_vs_key(lv_vstate *v, lv_key k, int shift);
/* Advances a playing playhead by dt seconds of wall time. */
void lv_vs_tick(lv_vstate *v, double dt);
/* f: the frame last drawn (for hit tests and time <-> x). dy > 0: wheel up (zoom in). */
void lv_vs_wheel(lv_vstate *v, const lv_frame *f, int x, int y, int dy, int shift);
void lv_vs_button(lv_vstate *v, lv_button b);
void lv_vs_mouse_down(lv_vstate *v, const lv_frame *f, int x, int y);
void lv_vs_mouse_move(lv_vstate *v, const lv_frame *f, int x, int y);
void lv_vs_mouse_up(lv_vstate *v, const lv_frame *f, int x, int y);
/* Moves to a scene of the same run in another time view: the playhead on its event, the view
 * the whole run, everything else kept. */
void lv_vs_rescene(lv_vstate *v, const lv_scene *s);
/* After f was laid out: when the deadlock's cycle shows for the first time (since the
 * playhead was last before it), scrolls the lanes so its threads are in view, as many as fit,
 * the first of them at least. Returns 1 when the lanes scrolled (lay out again). */
int lv_vs_show_cycle(lv_vstate *v, const lv_frame *f);
/* Display units per second of wall time while playing. */
double lv_vs_speed(const lv_vstate *v);

#endif
