/* The viewer's geometry and state, pure: from a trace, a viewport and a playhead, where every
 * lane, state span, lock hold, hand-off arrow, note label and finding row goes, and what each
 * object looks like at the playhead; the palette, the sizes of type and text fitting. No SDL
 * here: text is measured through a callback, so all of it runs (and is tested) without a
 * window. Drawing is viz/gfx's job (render.c). */
#ifndef LV_VIZ_GEOM_H
#define LV_VIZ_GEOM_H

#include <stddef.h>
#include <stdint.h>
#include "lockviz/trace.h"
#include "i18n.h"

/* ---- the scene: what a trace looks like over time, computed once per trace ---- */

typedef enum lv_tstate {
    LV_TS_NOT_STARTED,
    LV_TS_RUNNING,
    LV_TS_BLOCKED,  /* from a request until its acquire/timeout; from a join until the end */
    LV_TS_SLEEPING, /* from a sleep for its value, or until the thread's next event */
    LV_TS_FINISHED, /* after end */
    LV_TS__COUNT
} lv_tstate;

typedef struct lv_span {
    int64_t t0, t1;
    uint32_t seq;      /* the event that began it */
    uint8_t state;     /* lv_tstate */
    int32_t on_obj;    /* blocked: the object waited for, or LV_NONE */
    int32_t on_thread; /* blocked in a join: the joined thread, or LV_NONE */
} lv_span;

#define LV_HOLD_ROWS 2
#define LV_SAMPLE 16 /* see lv_thread_geo's and lv_scene's sampled times */
#define LV_SEQ_NONE UINT32_MAX

typedef struct lv_hold {
    int64_t t0, t1;    /* t1 = the scene's end when never released */
    uint32_t acq, rel; /* seqs; rel is LV_SEQ_NONE when never released */
    int32_t obj;
    uint8_t row; /* which of the LV_HOLD_ROWS strips under the lane (nested holds stack) */
} lv_hold;

/* A release and the acquire of the same lock by another thread that it let in. */
typedef struct lv_handoff {
    uint32_t rel, acq;
    int32_t obj;
} lv_handoff;

typedef struct lv_thread_geo {
    lv_span *spans; /* in time order, not overlapping, zero-width spans left out */
    size_t nspans;
    lv_hold *holds; /* in acquire order */
    size_t nholds;
    uint32_t *notes; /* seqs of the thread's notes */
    size_t nnotes;
    uint32_t *events; /* seqs of all the thread's events */
    size_t nevents;
    /* for layout in time bounded by pixels, not events: */
    uint8_t *span_max;  /* max segment tree of lv_state_prio over the spans: 2 * nspans */
    uint32_t *accesses; /* seqs of the thread's reads and writes of shared vars */
    size_t naccesses;
    uint32_t *row_holds[LV_HOLD_ROWS]; /* per hold row: indices into holds, in acquire order */
    size_t nrow_holds[LV_HOLD_ROWS];
    /* per hold row: a max segment tree of t1 (leaves from row_t1_leaves), or NULL when the
     * row's t1 never goes down (its holds do not overlap) */
    int64_t *row_t1max[LV_HOLD_ROWS];
    size_t row_t1_leaves[LV_HOLD_ROWS];
    /* every LV_SAMPLE-th start time of spans, row holds, notes and accesses: a small array a
     * search goes through first, so it touches few of the big ones' cache lines */
    int64_t *span_t0s, *row_t0s[LV_HOLD_ROWS], *note_ts, *access_ts;
} lv_thread_geo;

/* Which state shows when several share a pixel column: blocked, then sleeping, running,
 * finished (0 for not started: never drawn). */
uint8_t lv_state_prio(uint8_t st);

/* Lost updates (from the payload of analysis' lost-update findings): the stale read, the write
 * that was overwritten, and the write that overwrote it from the stale value. */
typedef struct lv_lost {
    uint32_t stale_read, lost_write, bad_write;
    int32_t obj;
} lv_lost;

/* ---- the overview: a long trace summed up on a fixed grid, for views zoomed far out ---- */

#ifndef LV_OVERVIEW_MIN
#define LV_OVERVIEW_MIN 65536 /* a scene of this many events or more keeps an overview */
#endif
#define LV_OVERVIEW_CELLS 16384 /* cells across the whole trace, in (warped) display position */
#define LV_OVERVIEW_BYTES (32u << 20) /* at most: fewer cells for hundreds of threads */
#define LV_OVERVIEW_FEWEST 4096       /* and none below this many cells */
#define LV_OVERVIEW_PER_PX 2 /* a view uses it when each pixel column spans this many cells */

/* What each cell of the grid holds, per thread, so a frame of a view zoomed far out reads a
 * fixed number of cells per pixel column instead of searching the trace: its cost is the same
 * for 100k events and for 100M. A cell goes to the pixel column its centre falls in, so what
 * the overview draws can differ from the exact layout by less than half a pixel at a column's
 * edge (tests check it against the exact layout). Warped time only: linear mode lays out exactly.
 */
/* A hand-off as an arrow needs it: one cache line or so read per pixel column. */
typedef struct lv_ov_handoff {
    double rel_d, acq_d; /* display positions of the release and the acquire */
    uint32_t rel, acq;   /* their seqs */
    int32_t obj, rel_thread, acq_thread;
} lv_ov_handoff;

typedef struct lv_overview {
    double d0, cell; /* cell c covers display positions [d0 + c * cell, d0 + (c + 1) * cell) */
    size_t ncells;
    /* per thread, ncells each (thread-major): */
    uint8_t *prio;                /* the highest lv_state_prio of the spans touching the cell */
    uint32_t *hold[LV_HOLD_ROWS]; /* 0, or 1 + k: row_holds[row][k], the row's last hold there */
    uint8_t *hold_color[LV_HOLD_ROWS]; /* and that hold's colour */
    uint32_t *access;       /* the seq of the first read or write of a var in it, or NONE */
    uint8_t *access_write;  /* 1 when that first access is a write */
    uint32_t *handoff_from; /* ncells + 1: the first hand-off released in cell c or later */
    lv_ov_handoff *hand;    /* per hand-off, in release order, all an arrow needs */
} lv_overview;

typedef struct lv_scene {
    const lv_trace *tr; /* borrowed: must outlive the scene */
    int64_t t_first;    /* the first event's time */
    int64_t t_last;     /* the last event's time */
    int64_t t_end;      /* t_last plus a short tail, so a final wait has some width */
    int linear;         /* 1: time maps linearly to x; 0 (default): long gaps are compressed */
    /* the time warp: distinct event times and their display positions */
    int64_t *wt;
    double *wd;
    size_t nw;
    int64_t *wt_s; /* every LV_SAMPLE-th of wt and wd, for searches that miss the cache less */
    double *wd_s;
    int64_t step; /* the typical gap between events, ns (the median) */
    lv_thread_geo *th;
    size_t nthreads;
    lv_handoff *handoffs; /* in release order */
    int64_t handoff_gap;  /* the longest time from a hand-off's release to its acquire */
    size_t nhandoffs;
    lv_lost *lost;
    size_t nlost;
    uint32_t *finding_seq; /* per finding: its last event (where it shows), or LV_SEQ_NONE */
    char **wait_graph;     /* per finding: a deadlock's wait-for graph when it has no detail */
    char **msg_zh;         /* per finding: its message in Chinese, or NULL (shown as stored) */
    uint64_t serial; /* unique per scene in this process (a frame's memo tells scenes apart) */
    lv_overview *ov; /* NULL below LV_OVERVIEW_MIN events (or without the memory for it) */
    /* the deadlock cycle (geom_story.c): the finding it comes from (-1: none), each thread's
     * part in it (LV_ROLE_*) and whether each object is one of its locks */
    int cycle_finding;
    uint8_t *th_role, *obj_cycle;
    /* the step view (linear == LV_TIME_STEPS): tr is a copy of real's events one column each,
     * owned by the scene; real is the trace as recorded (NULL in the other views) */
    const lv_trace *real;
    lv_trace *steps_tr;
    struct lv_lesson_marks *marks; /* geom_lesson.c: lost updates by seq, gauges */
} lv_scene;

/* How x follows time (lv_scene.linear): long gaps compressed, linear time, or one column per
 * event in the order the scheduler saw them. */
enum { LV_TIME_WARPED, LV_TIME_LINEAR, LV_TIME_STEPS, LV_TIME__COUNT };
#define LV_STEP_NS 1000 /* the step view's time per event */
/* A lane's part in a deadlock: one of the cycle, or a bystander waiting for one of its locks. */
enum { LV_ROLE_NONE, LV_ROLE_CYCLE, LV_ROLE_BYSTANDER };
/* What lies after the playhead (lv_viewport.future): shown, drawn faint, or hidden. */
enum { LV_FUTURE_SHOW, LV_FUTURE_FAINT, LV_FUTURE_HIDE, LV_FUTURE__COUNT };

/* The scene of tr in time view `mode` (LV_TIME_*): lv_scene_new, then for LV_TIME_LINEAR
 * linear time, for LV_TIME_STEPS a scene over a copy of tr whose events are LV_STEP_NS apart
 * (sleeps end at the first event at or after their real end). LV_ENOMEM on failure. */
lv_err lv_scene_new_view(const lv_trace *tr, int mode, lv_scene **out);
/* The trace as recorded (real times): s->real in the step view, else s->tr. */
const lv_trace *lv_scene_real(const lv_scene *s);
/* Builds s's deadlock cycle (cycle_finding, th_role, obj_cycle); -1 without memory. */
int lv__cycle_build(lv_scene *s);
/* Whether finding i is reached with the playhead at seq: its last event is at or before seq
 * (a finding without events shows at the last event). */
int lv_finding_reached(const lv_scene *s, size_t i, long seq);

/* Builds the scene of tr (which must outlive it). LV_ENOMEM on failure. */
lv_err lv_scene_new(const lv_trace *tr, lv_scene **out);
/* The same, on a time warp made of both tr's and other's event times (other NULL: tr's
 * alone): two scenes built over each other's traces map every time to the same display
 * position, which is what lines up two runs side by side. other need not outlive the scene. */
lv_err lv_scene_new_shared(const lv_trace *tr, const lv_trace *other, lv_scene **out);
void lv_scene_free(lv_scene *s); /* accepts NULL */

/* The overview of s, built by lv_scene_new for a long trace (geom_overview.c); s->ov stays
 * NULL when the trace is short or the memory is not there. */
void lv__overview_build(lv_scene *s);
void lv__overview_free(lv_overview *o);
/* What the lessons point at (geom_lesson.c): every lost update of the trace, replayed from its
 * events into s->lost (sorted by stale read), and each gauge's count over time. */
typedef struct lv_lesson_marks lv_lesson_marks;
int lv__lesson_build(lv_scene *s); /* -1: out of memory */
void lv__lesson_free(lv_lesson_marks *m);
/* LV_MARK_STALE_READ, LV_MARK_LOST_WRITE or LV_MARK_BAD_WRITE when seq is part of a lost
 * update, else LV_MARK_NONE (the lv_hist marks below). */
uint8_t lv_scene_lost_mark(const lv_scene *s, uint32_t seq);
/* A note's text in the window's language: a seed's line "抢到了A锁 (got lock A)" shows as
 * "got lock A (抢到了A锁)" in English, as written in Chinese; any other text as written.
 * Owned by the scene or the trace. lv_note_swap writes the English-first form of text into
 * buf and returns its length, or returns 0 when text is not of that form. */
const char *lv_scene_note_text(const lv_scene *s, const lv_event *e, int lang);
size_t lv_note_swap(const char *text, char *buf, size_t len);
/* The length of a two-language note's first language, the part before " (" of "got lock A
 * (抢到了A锁)" or "抢到了A锁 (got lock A)" (one part with Chinese in it, the other none), or 0
 * for any other text (n bytes). A label short of room shows this part whole before it cuts. */
size_t lv_note_head(const char *text, size_t n);
/* The finding shown at position at of the findings panel: the verdicts (deadlock, broken
 * invariant) first, then the others, each in the trace's order. */
size_t lv_scene_finding_at(const lv_scene *s, size_t at);
/* The trace's gauges (objects of kind gauge), in object order. */
size_t lv_scene_gauges(const lv_scene *s);
int32_t lv_scene_gauge_obj(const lv_scene *s, size_t i);

/* Display position of time t (ns) and back. Monotonic; in linear mode d = t. */
double lv_scene_d(const lv_scene *s, int64_t t);
int64_t lv_scene_t(const lv_scene *s, double d);
/* lv_scene_d, exactly, searching the warp from *hint (updated): cheap for times close to the
 * last one asked about. */
double lv_scene_d_near(const lv_scene *s, int64_t t, size_t *hint);
int64_t lv_scene_t_near(const lv_scene *s, double d, size_t *hint);

/* The state of thread at time t, and the span that holds it (NULL when not started). */
const lv_span *lv_scene_span_at(const lv_scene *s, int32_t thread, int64_t t);
/* The last event with time <= t, or -1 when t is before every event. */
long lv_scene_seq_at(const lv_scene *s, int64_t t);
/* The table to show beside finding i: its detail, or for a deadlock without one the wait-for
 * graph the scene drew up; NULL when there is none. Owned by the trace or the scene. */
const char *lv_scene_detail(const lv_scene *s, size_t i);
/* Finding i's message in lang (LV_LANG_*), rendered from its payload; a finding without one
 * (read from an older trace) shows its stored message. Owned by the scene. */
const char *lv_scene_message(const lv_scene *s, size_t i, int lang);
/* A one-line description of event seq for a tooltip ("seq 12, buyer-2: read tickets = 1"), in
 * lang (lv_lang). */
void lv_event_describe(const lv_scene *s, uint32_t seq, int lang, char *buf, size_t len);

/* ---- the state of every object and thread at the playhead ---- */

#define LV_HIST_MAX 8

enum { LV_MARK_NONE, LV_MARK_STALE_READ, LV_MARK_LOST_WRITE, LV_MARK_BAD_WRITE };

typedef struct lv_hist {
    uint32_t seq;
    int32_t thread;
    int64_t value;
    uint8_t write; /* 0: read */
    uint8_t mark;  /* LV_MARK_* */
} lv_hist;

typedef struct lv_ids {
    int32_t *v;
    size_t n, cap;
} lv_ids;

typedef struct lv_ostate {
    int32_t owner;  /* locks: the thread holding it, or LV_NONE */
    int64_t count;  /* rlock: recursion count; semaphores: permits left; var: current value */
    int flag;       /* event: 1 set, 0 clear */
    lv_ids waiters; /* threads waiting for it, in request order */
    lv_ids inside;  /* semaphores: threads holding a permit (once per permit) */
    lv_hist hist[LV_HIST_MAX]; /* var: the latest reads and writes, oldest first */
    size_t nhist;
    size_t total_hist; /* reads and writes so far */
} lv_ostate;

typedef struct lv_state {
    long seq; /* the state after events 0..seq; -1: before the first */
    lv_ostate *objs;
    size_t nobjs;
    uint8_t *tstate;      /* per thread, lv_tstate */
    int32_t *wait_obj;    /* per thread: what it waits for, or LV_NONE */
    int32_t *wait_thread; /* per thread: whom it joins, or LV_NONE */
    uint32_t *last_note;  /* per thread: its latest note, or LV_SEQ_NONE */
    /* checkpoints, so a step back replays at most `every` events: ckpt[k] is the state after
     * event (k + 1) * every - 1, saved the first time a seek passes it */
    struct lv_state *ckpt;
    size_t nckpt, capckpt;
    long every; /* 0 until lv_state_init sets LV_STATE_EVERY; tests may lower it */
} lv_state;

#define LV_STATE_EVERY 4096

lv_err lv_state_init(lv_state *st, const lv_scene *s);
/* Moves to the state after event seq (-1: before the first). It replays the events from the
 * current state or from the nearest checkpoint before seq, whichever is closer, so a move costs
 * at most `every` events once the events before it were visited. LV_ENOMEM on failure. */
lv_err lv_state_seek(lv_state *st, const lv_scene *s, long seq);
void lv_state_free(lv_state *st);
/* What the objects panel says of a lock at st ("held by thread-1, count 2", "free") and of a
 * semaphore ("BoundedSemaphore stalls: 0 of 3 free"); the panel wraps them, never cuts. */
void lv_lock_status(const lv_scene *s, const lv_state *st, int32_t obj, int lang, char *buf,
                    size_t len);
void lv_sem_words(const lv_scene *s, const lv_state *st, int32_t obj, int lang, char *buf,
                  size_t len);
/* A gauge's words at st ("inside: 4, past its capacity 3"); 1 when it is past its capacity. */
int lv_gauge_words(const lv_scene *s, const lv_state *st, int32_t obj, int lang, char *buf,
                   size_t len);

/* ---- the frame: where everything goes for one viewport ---- */

typedef enum lv_font_id {
    LV_FONT_TITLE, /* header */
    LV_FONT_LABEL, /* lane labels */
    LV_FONT_BODY,  /* findings, objects */
    LV_FONT_NOTE,  /* notes in the lanes, axis */
    LV_FONT_MONO,  /* a deadlock's table */
    LV_FONT__COUNT
} lv_font_id;

/* The size a window opens at and a picture is drawn at unless told otherwise, and the size
 * whose UI scale is 1. */
#define LV_VIEW_W 1280
#define LV_VIEW_H 720

/* Font sizes in pixels at UI scale `scale` (1 at 1280x720). */
int lv_font_px(lv_font_id f, double scale);
/* UI scale for a view of w x h pixels on a screen with dpi_scale pixels per window unit
 * (1 at 1280x720 and dpi_scale 1). */
double lv_ui_scale(int w, int h, double dpi_scale);

/* Width in pixels of the first n bytes of the UTF-8 string s in font f. */
typedef int (*lv_measure_fn)(void *ctx, lv_font_id f, const char *s, size_t n);

typedef enum lv_color {
    LV_C_BG,
    LV_C_PANEL,
    LV_C_LANE_ALT,
    LV_C_TEXT,
    LV_C_DIM,
    LV_C_RUNNING,
    LV_C_BLOCKED,
    LV_C_SLEEPING,
    LV_C_FINISHED,
    LV_C_HOLD, /* the first lock colour; lock k uses LV_C_HOLD + k % LV_NHOLD_COLORS */
    LV_C_HOLD1,
    LV_C_HOLD2,
    LV_C_HOLD3,
    LV_C_HOLD4,
    LV_C_HOLD5,
    LV_C_HOLD6,
    LV_C_HOLD7,
    LV_C_PLAYHEAD,
    LV_C_HIGHLIGHT,
    LV_C_STALE,
    LV_C_GRID,
    LV_C__COUNT
} lv_color;
#define LV_NHOLD_COLORS 8 /* LV_C_HOLD to LV_C_HOLD7: eight locks in eight colours */

typedef struct lv_rgb {
    uint8_t r, g, b;
} lv_rgb;
/* The palette: Okabe–Ito colours for everything that carries meaning. */
lv_rgb lv_color_rgb(lv_color c);
lv_color lv_state_color(lv_tstate s);
lv_color lv_hold_color(int32_t obj);

typedef struct lv_rect {
    int x, y, w, h;
} lv_rect;

static inline int lv_rect_has(lv_rect r, int x, int y) {
    return x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h;
}

typedef struct lv_fill {
    lv_rect r;
    uint8_t color; /* lv_color */
} lv_fill;

typedef struct lv_lane {
    int32_t thread;
    lv_rect r;     /* the whole lane, label column included */
    lv_rect label; /* the thread's name */
    lv_rect marks; /* predict mode's row of answer marks above the notes (h 0: none) */
    lv_rect notes; /* the row of note labels (h 0 when the lane is too low for it) */
    lv_rect band;  /* the state band */
    lv_rect holds; /* LV_HOLD_ROWS strips of lock holds */
    uint8_t role;  /* LV_ROLE_*: its part in the deadlock, once the deadlock is reached */
} lv_lane;

typedef struct lv_label {
    uint32_t seq;
    int x, y, w;
    int tick_x;     /* the note's tick, at its event: left of the text, or right of it when the
                       text had room only before its tick */
    size_t nbytes;  /* how much of the note's text is shown */
    uint8_t elided; /* 1: draw "…" after the nbytes */
} lv_label;

/* A wait-for arrow of a deadlock: at x, from the waiting thread's lane (y0) to the lane of the
 * thread holding what it waits for (y1); member 1 for the cycle's own waits. label: the chip
 * naming the object waited for, beside the arrow, inside the area and apart from the other
 * arrows' chips (w 0: no room; the objects panel and the hover still name it). */
typedef struct lv_wait_arrow {
    int x, y0, y1;
    int32_t from, to, obj;
    uint32_t seq; /* the blocked request */
    uint8_t member;
    lv_rect label;
} lv_wait_arrow;

typedef struct lv_arrow {
    int x0, y0, x1, y1;
    uint32_t rel, acq;
    int32_t obj;
} lv_arrow;

enum {
    LV_MARK_PLAYHEAD, /* the playhead's event */
    LV_MARK_FINDING,  /* an event of the highlighted finding */
    LV_MARK_STALE,    /* the stale read of a lost update */
    LV_MARK_READ,     /* a read of a shared var */
    LV_MARK_WRITE,    /* a write of a shared var */
    LV_MARK_TIMEOUT   /* a wait that timed out */
};
typedef struct lv_marker {
    int x, y;
    uint32_t seq;
    uint8_t kind;
} lv_marker;

typedef struct lv_tline {
    const char *s; /* points into the trace or the frame's text; not owned */
    size_t n;
    int x, y;
    uint8_t font, color;
} lv_tline;

typedef struct lv_frow {
    int finding;
    lv_rect r;
} lv_frow;

typedef struct lv_tick {
    int x;
    int64_t t;
    int label_x;    /* where that label begins */
    char label[24]; /* what the axis says there (geom_axis.c) */
} lv_tick;

typedef enum lv_button {
    LV_BTN_BACK,
    LV_BTN_PLAY,
    LV_BTN_FWD,
    LV_BTN_COMPARE, /* broken and fixed side by side, on / off */
    LV_BTN_EXPLORE, /* search for a failing schedule (the viewer's explore callback) */
    LV_BTN_PICKER,  /* the scenario picker: the header's title is this button */
    LV_BTN_LESSON,  /* show / hide the lesson panel */
    LV_BTN_LANG,    /* English / Chinese */
    LV_BTN_HELP,
    LV_BTN_SCHED, /* scheduler mode on / off */
    LV_BTN_TIME,  /* the axis's name: compressed time, linear time, steps (not in the header) */
    LV_BTN__COUNT
} lv_button;

typedef struct lv_viewport {
    int w, h;             /* pixels */
    double scale;         /* UI scale; 0: lv_ui_scale(w, h, 1) */
    int64_t t0, t1;       /* visible time; t1 <= t0: the whole trace */
    int64_t play_t;       /* the playhead's time */
    long seq;             /* the playhead's event (-1: before the first) */
    int lane_scroll;      /* first lane shown */
    int finding_scroll;   /* first finding shown */
    int highlight;        /* a finding whose events are marked, or -1 */
    int hover_x, hover_y; /* the mouse, or -1 */
    int playing;
    int lang; /* lv_lang of every word the viewer draws */
    /* the lesson panel under the header: NULL text when closed or when there is none */
    const char *lesson_title, *lesson_text;
    const char *toast; /* a short message for the bar under the lanes ('\n' between lines) */
    int help;          /* 1: the help overlay is shown */
    /* scheduler mode: pixels kept for its column right of the lanes and its bar under them
     * (0: none), and what goes there (schedview.h; drawn by render_sched.c), or NULL */
    int sched_col_w, sched_bar_h;
    const struct lv_schedview *sched;
    const struct lv_predict *predict; /* predict mode's bar and marks (predict.h), or NULL */
    lv_measure_fn measure;
    void *measure_ctx;
    int line_h[LV_FONT__COUNT]; /* line heights; 0: from the font size */
    int label_w;       /* the lanes' label column, pixels; 0: as wide as the names need (side by
                          side, both panes get the wider one, so their time axes line up) */
    int findings_h;    /* the findings panel's height, pixels (at most half of h); 0: what the
                          findings need, within 22% to 45% of h */
    int finding_lines; /* at most this many lines per finding, the last cut with "…"; 0: all */
    int future;        /* LV_FUTURE_*: what lies after the playhead (0: shown) */
} lv_viewport;

#define LV_DROPPED_MAX 1024
#define LV_GAUGES_SHOWN 2 /* gauge strips under the lanes, at most */

/* An RLock's count on its hold bar: where it changes, the counts one after the other ("1 2 1
 * 0" when the changes come too close together for a label each). */
typedef struct lv_count_label {
    int x, y, w;  /* y: the middle of the hold rows */
    uint32_t seq; /* the first change shown */
    int32_t obj;
    char text[32];
} lv_count_label;

/* How many fills, note labels, arrows, markers, dropped notes, ticks and breaks a frame holds
 * (a frame names them one by one too: f->nfills is f->laid_out.nfills). */
#define LV_FRAME_COUNTS                                                                            \
    size_t nfills, nlabels, narrows, nmarks, ndropped, total_dropped, nticks, nbreaks
typedef struct lv_frame_counts {
    LV_FRAME_COUNTS;
} lv_frame_counts;

/* What the time part of a frame (fills, note labels, arrows, markers but the playhead's, the
 * axis's ticks and breaks) was laid out for. The playhead does not change it, so a frame whose view
 * is the same as the last one (playing at a fixed zoom) reuses that part instead of searching the
 * trace again. */
typedef struct lv_frame_memo {
    int valid;
    uint64_t serial; /* the scene's */
    int linear, highlight, x0, x1, line_note;
    int lang;         /* notes show the window's language first */
    long notes_shown; /* while the future is hidden: how many notes it shows (they take the
                         room), else -1 */
    double d0, d1, scale;
    int64_t tv0, tv1;
    lv_measure_fn measure;
    void *measure_ctx;
    lv_lane *lanes; /* a copy of the lanes it was laid out in */
    size_t nlanes, caplanes;
    lv_frame_counts laid_out; /* the counts of what it laid out */
} lv_frame_memo;

typedef struct lv_frame {
    double scale;
    int font_px[LV_FONT__COUNT], line_h[LV_FONT__COUNT];
    lv_rect header, timeline, area, axis, objects, findings; /* area: the lanes' time part */
    lv_rect sched_col, sched_bar; /* scheduler mode's column and bar (w 0 / h 0: none) */
    lv_rect message;              /* the bar vp->toast is shown in, over the findings (h 0: none) */
    lv_rect lesson;   /* the lesson panel (h 0 when closed); its title and wrapped lines: */
    lv_tline *llines; /* lines of lesson_title / lesson_text, the first is the title */
    size_t nllines, capllines;
    int lesson_cut; /* 1: the text did not fit; the last line is drawn with "…" */
    lv_rect buttons[LV_BTN__COUNT];
    lv_rect legend[5]; /* swatches: running, blocked, sleeping, holding, finished */
    int legend_text_x[5];
    double d0, d1;  /* the visible display range */
    int x0, x1;     /* its pixels: area.x .. area.x + area.w */
    int playhead_x; /* -1 when off screen */
    int overview;   /* 1: the time part was laid out from the scene's overview */
    lv_lane *lanes;
    size_t nlanes, caplanes, hidden_lanes;
    union { /* the counts of fills, labels, dropped, arrows, marks, ticks, breaks below */
        struct {
            LV_FRAME_COUNTS;
        };
        lv_frame_counts laid_out; /* the same, all at once (the memo copies them so) */
    };
    lv_fill *fills;
    size_t capfills;
    lv_label *labels;
    size_t caplabels;
    uint32_t dropped[LV_DROPPED_MAX]; /* notes with no room for a label (the first ones) */
    lv_arrow *arrows;
    size_t caparrows;
    lv_marker *marks;
    size_t capmarks;
    lv_tick ticks[32];
    lv_tline *flines; /* the findings panel */
    size_t nflines, capflines;
    lv_frow *frows;
    size_t nfrows, capfrows, hidden_findings;
    int detail_finding; /* whose detail table is shown, or -1 */
    lv_rect detail;     /* where */
    long hover_seq;     /* the note or event under the mouse, or -1 */
    int first_lane;     /* thread id of lanes[0] */
    uint8_t *scratch;   /* per-pixel colours and priorities while rasterizing */
    size_t capscratch;
    int breaks[64]; /* x of gaps the time warp shortened (drawn as breaks in the axis) */
    int break_x0[64], break_x1[64]; /* the columns each break spans (no tick goes there) */
    char title[256];                /* scenario / variant */
    char subtitle[128];             /* mode and seed */
    char status[128];               /* the playhead's event and time */
    /* gauge strips under the lanes (geom_lesson.c): the count over time, red past capacity */
    lv_rect gauges[LV_GAUGES_SHOWN];
    int32_t gauge_obj[LV_GAUGES_SHOWN];
    size_t ngauges;
    lv_count_label *counts; /* RLock counts on the hold bars (geom_lesson.c) */
    size_t ncounts, capcounts;
    lv_frame_memo memo;
    /* what lies after the playhead (geom_story.c): the viewport's future, the last event
     * reached and the x where the future begins */
    int future;
    long reveal_seq;
    int cut_x;
    size_t future_findings; /* findings not reached yet, left out of the panel */
    int cycle_shown;        /* 1: the deadlock is reached: its lanes, locks and arrows show */
    lv_wait_arrow *waits;   /* the deadlock's wait-for arrows, once it is reached */
    size_t nwaits, capwaits;
    char axis_name[64]; /* the time view, named on the axis */
    int axis_in_gap;    /* 1: the view is inside compressed gaps, and so are its ticks */
} lv_frame;

/* What lies after the playhead in f (all 0 when f->future is LV_FUTURE_SHOW): whether event
 * seq is still to come; a mark (a stale read shows once its lost update is complete); an
 * arrow (once its acquire is reached); and the part of a fill before the playhead (w 0 when
 * none), the rest being the future. */
int lv_frame_future_seq(const lv_frame *f, uint32_t seq);
/* The header's outcome chip for trace tr shown in f: the outcome (completed, deadlocked), or,
 * while what lies after the playhead is hidden and the playhead is not at the last event,
 * LV_T_IN_PROGRESS ("so far"): the class sees how the run ends when it gets there. A cut run
 * (aborted) says why it is cut: cut (scheduler mode's frontier), guess (predict mode's
 * question), else LV_T_ABORTED. */
lv_tr_key lv_frame_outcome_word(const lv_frame *f, const lv_trace *tr, int cut, int guess);
/* The findings panel's words when it shows no finding: "No findings yet" while findings are
 * still to come, or while the future is hidden before the last event of a whole run (a fix
 * is not said to be fine before the class has seen it); else lv_no_findings_words. */
lv_tr_key lv_frame_no_findings_words(const lv_frame *f, const lv_trace *tr);
int lv_frame_future_mark(const lv_frame *f, const lv_scene *s, const lv_marker *m);
int lv_frame_future_arrow(const lv_frame *f, const lv_arrow *a);
/* Whether the lost updates event seq is part of are complete only after the playhead (the
 * objects panel's marks on reads and writes wait for it). */
int lv_frame_future_lost(const lv_frame *f, const lv_scene *s, uint32_t seq);
lv_rect lv_frame_past_part(const lv_frame *f, lv_rect r);
/* Lays out what follows the playhead's rule and the deadlock's cycle: f->future, reveal_seq,
 * cut_x, the lanes' roles and the wait-for arrows (geom_story.c). -1 without memory. */
int lv__lay_story(lv_frame *f, const lv_scene *s, const lv_viewport *vp);
/* The axis: a break over every run of pixel columns where time runs faster than 1.5 ns per
 * display unit (the compressed gaps, at the pixels' resolution; runs closer than a mark's
 * width share one), and ticks at round times (steps: event numbers) outside them, each where
 * its time is, labels never repeated, never negative, never overlapping (geom_axis.c). */
void lv__lay_axis(lv_frame *f, const lv_scene *s, const lv_viewport *vp);
/* The words of a time view (LV_TIME_*) on the axis, in lang. */
const char *lv_time_view_name(int mode, int lang);
/* geom_lesson.c's part of the layout: the gauge strips taken from the bottom of f->area, their
 * fills, and a ring on every stale read in view. -1: out of memory. */
int lv__lesson_reserve(lv_frame *f, const lv_scene *s, int lane_min);
/* The message bar (vp->toast, at most LV_MESSAGE_LINES lines) ending at y: sets f->message and
 * returns its height (0 without a message). */
#define LV_MESSAGE_LINES 6
int lv__message_bar(lv_frame *f, const lv_viewport *vp, int y);
int lv__lesson_lay(lv_frame *f, const lv_scene *s);
int lv__lesson_stale_marks(lv_frame *f, const lv_scene *s, int64_t tv0, int64_t tv1);
int lv__lesson_counts(lv_frame *f, const lv_scene *s, const lv_viewport *vp, int64_t tv0,
                      int64_t tv1);

/* The legend of every mark the lanes carry (the help overlay draws it), both languages through
 * its keys; LV_GLYPH__COUNT ends it. */
typedef enum lv_glyph {
    LV_GLYPH_HOLD,      /* a hold bar, in its lock's colour */
    LV_GLYPH_COUNT,     /* an RLock's count on its bar */
    LV_GLYPH_READ,      /* hollow dot */
    LV_GLYPH_WRITE,     /* square */
    LV_GLYPH_STALE,     /* ring */
    LV_GLYPH_ARROW,     /* hand-off */
    LV_GLYPH_TIMEOUT,   /* hourglass */
    LV_GLYPH_BREAK,     /* // on the axis */
    LV_GLYPH_GAUGE,     /* a count's strip, red past its capacity */
    LV_GLYPH_FINDING,   /* yellow dot: an event of the finding picked */
    LV_GLYPH_PLAYHEAD,  /* the playhead */
    LV_GLYPH_ANSWER,    /* ✓ ✗ */
    LV_GLYPH_WAIT,      /* a deadlock's wait-for arrow, from the waiting lane to the holder's */
    LV_GLYPH_BYSTANDER, /* a thin blocked bar: waiting, not part of the deadlock's cycle */
    LV_GLYPH__COUNT
} lv_glyph;
typedef struct lv_legend_row {
    lv_glyph glyph;
    lv_tr_key words;
} lv_legend_row;
extern const lv_legend_row lv_legend_rows[];
/* The glyph that explains a lane marker's kind (LV_MARK_PLAYHEAD ...). */
lv_glyph lv_legend_glyph_of_mark(uint8_t kind);

/* Lays out the frame for vp. Reuses f's buffers (zero f before the first call).
 * Output size is bounded by the pixels, whatever the trace's size. */
lv_err lv_frame_layout(lv_frame *f, const lv_scene *s, const lv_viewport *vp);
void lv_frame_free(lv_frame *f);

/* time <-> x on the frame's timeline (x may fall outside the lanes) */
double lv_frame_x(const lv_frame *f, const lv_scene *s, int64_t t);
/* lv_frame_x and lv_frame_t through lv_scene_d_near and lv_scene_t_near */
double lv_frame_x_near(const lv_frame *f, const lv_scene *s, int64_t t, size_t *hint);
int64_t lv_frame_t_near(const lv_frame *f, const lv_scene *s, double x, size_t *hint);
int64_t lv_frame_t(const lv_frame *f, const lv_scene *s, double x);

/* Hit tests: the thread of the lane at (x, y), or -1; the event of that lane nearest to x
 * within radius pixels, or -1; the note whose label (cut or whole) is at (x, y), or -1; the
 * finding row at (x, y), or -1; the button, or -1. */
int32_t lv_hit_lane(const lv_frame *f, int x, int y);
long lv_hit_event(const lv_frame *f, const lv_scene *s, int x, int y, int radius);
long lv_hit_note(const lv_frame *f, int x, int y);
int lv_hit_finding(const lv_frame *f, int x, int y);
int lv_hit_button(const lv_frame *f, int x, int y);

/* What the findings panel says when tr has none: a cut run (outcome aborted: scheduler
 * mode's frontier, predict mode's next question, a run stopped short) says nothing went wrong
 * so far, never that nothing went wrong in the run. */
lv_tr_key lv_no_findings_words(const lv_trace *tr);
/* The width of the widest finding-kind chip's word in lang (the chips line up). */
int lv_chip_width(lv_measure_fn m, void *ctx, int lang);

/* A duration for people: "12 µs", "100.02 ms", "1.5 s". */
void lv_format_ns(int64_t ns, char *buf, size_t len);

/* The UTF-8 prefix of s (n bytes) that fits maxw pixels, by whole characters; with ellipsis,
 * leaving room for "…". Used for elision and wrapping. */
size_t lv_fit_prefix(lv_measure_fn m, void *ctx, lv_font_id f, const char *s, size_t n, int maxw);
/* The bytes of s (n) that go on one line of maxw pixels: up to a newline, the last space that
 * fits, or between two Chinese characters (never before closing punctuation); at least one
 * character. Used to wrap paragraphs. */
size_t lv_wrap_line(lv_measure_fn m, void *ctx, lv_font_id f, const char *s, size_t n, int maxw);
/* Where a note's label goes in its lane's row of notes (LV_FONT_NOTE): its tick is at tick,
 * its text keeps off from the tick, and it may use the pixels lo .. hi (from the last label's
 * end plus a gap, or the lanes' left edge, to the next note's text less a gap, or the lanes'
 * right edge). The first that fits, in this order: the whole text after the tick; the whole
 * text before it, ending off left of it (a late note at the lanes' end, a note close before
 * the next); the note's first language alone (lv_note_head) after, then before; the text cut
 * with "…" after the tick, keeping at least five characters' width. Sets lb's x, w, tick_x,
 * nbytes and elided and returns 1, or returns 0 when none fits (the note is dropped). */
int lv_fit_note(lv_measure_fn m, void *ctx, const char *txt, int tick, int off, int lo, int hi,
                lv_label *lb);
/* A lane's state words ("waits for A=B (not in cycle)") under its name, w pixels wide
 * (LV_FONT_NOTE): on one line when they fit or when lines is 1, else wrapped onto two (the
 * second cut with "…" when still too long). Returns how many lines, with the first line's
 * bytes in *first and the second's start in *second. */
int lv_lane_words(lv_measure_fn m, void *ctx, const char *s, int w, int lines, size_t *first,
                  size_t *second);

#endif
