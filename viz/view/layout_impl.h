/* Inside the frame's layout (layout.c, lanes.c, findings.c, raster.c, hit.c, palette.c, the
 * overview's layout in geom_overview.c): what those files share and nothing else includes: a
 * growable array's next element, rounding, measuring, the searches in time order, the pixel
 * raster, the lanes' and the findings' parts, and the frame's proportions. No SDL. */
#ifndef LV_VIZ_LAYOUT_IMPL_H
#define LV_VIZ_LAYOUT_IMPL_H

#include <math.h>
#include <stdint.h>
#include <string.h>
#include "geom.h"
#include "grow.h"

/* A new element at the end of frame f's growable array arr, or NULL without memory. */
#define PUSH(f, arr, n, cap)                                                                       \
    (lv_grow((void **)&(f)->arr, &(f)->cap, sizeof *(f)->arr, (f)->n + 1) ? NULL                   \
                                                                          : &(f)->arr[(f)->n++])

static inline int iround(double v) {
    return (int)lround(v);
}

static inline int measure_str(const lv_viewport *vp, lv_font_id font, const char *s) {
    return vp->measure(vp->measure_ctx, font, s, strlen(s));
}

/* ---- searches in time order, so a frame visits pixels, not events ---- */

typedef int (*pred_fn)(void *ctx, size_t k);

/* The first k in [a, b) where pred holds, b when none; pred must be false then true over
 * [a, b). Galloping from a: cheap when the answer is near, O(log n) when it is far. */
static inline size_t lv__first_true(size_t a, size_t b, pred_fn pred, void *ctx) {
    size_t step = 1, lo = a;
    while (lo < b && !pred(ctx, lo)) {
        size_t probe = b - lo > step ? lo + step : b;
        if (probe >= b || pred(ctx, probe)) {
            size_t l = lo + 1, h = probe; /* pred false at lo, true at h (or h == b) */
            while (l < h) {
                size_t mid = l + (h - l) / 2;
                if (pred(ctx, mid))
                    h = mid;
                else
                    l = mid + 1;
            }
            return l;
        }
        lo = probe;
        step *= 2;
    }
    return lo;
}

/* The first k in [a, b) whose key is >= t (pred tells), where smp holds every LV_SAMPLE-th
 * key (or is NULL): the samples narrow it to one block first. */
static inline size_t lv__first_ge(size_t a, size_t b, const int64_t *smp, int64_t t, pred_fn pred,
                                  void *ctx) {
    if (a >= b || !smp) return lv__first_true(a, b, pred, ctx);
    size_t j0 = a / LV_SAMPLE + 1, nb = (b - 1) / LV_SAMPLE + 1, step = 1, lo = j0, hi = nb;
    /* the first block j in [j0, nb) whose first key is >= t, galloping from j0 */
    while (lo < nb && smp[lo] < t) {
        size_t probe = nb - lo > step ? lo + step : nb;
        if (probe >= nb || smp[probe] >= t) {
            hi = probe;
            lo++;
            while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (smp[mid] >= t)
                    hi = mid;
                else
                    lo = mid + 1;
            }
            break;
        }
        lo = probe;
        step *= 2;
    }
    size_t j = lo; /* keys before block j - 1 are < t; block j's first is >= t (when j < nb) */
    size_t from = (j - 1) * LV_SAMPLE > a ? (j - 1) * LV_SAMPLE : a;
    size_t to = j * LV_SAMPLE < b ? j * LV_SAMPLE : b;
    return lv__first_true(from, to, pred, ctx);
}

/* ---- the pixel-column raster (raster.c) ---- */

typedef struct raster {
    uint8_t *col, *prio;
    int w;
    /* per column edge c = 0 .. w: the first time whose x (from x0) is >= c, and > c */
    int64_t *tge, *tgt;
    /* per pixel P = px0 .. px0 + npx - 1: the first time whose rounded x is >= P */
    int64_t *tpx;
    int px0, npx;
} raster;

enum { EDGE_GE, EDGE_GT, EDGE_PX };

/* The least time t whose x - x0 is >= c (EDGE_GT: > c; EDGE_PX: whose pixel, the rounded x,
 * is >= c), from a guess; x grows with t. */
int64_t lv__time_of_edge(const lv_frame *f, const lv_scene *s, int c, int how, int64_t guess,
                         size_t *hint);
/* Fills r's column edges in time for frame f. */
void lv__column_edges(const lv_frame *f, const lv_scene *s, raster *r);
/* Turns r's coloured columns into fills of height h at (x, y) and clears them; -1 without
 * memory. */
int lv__raster_emit(lv_frame *f, raster *r, int x, int y, int h);
/* The colour of the state whose lv_state_prio is p. */
uint8_t lv__prio_color(uint8_t p);

/* ---- the lanes' time part (lanes.c) ---- */

#define LV_ARROWS_PER_PX 8 /* hand-offs looked at per pixel of release; the rest are skipped */

/* The lane of thread, or NULL when it is not shown. */
const lv_lane *lv__lane_of(const lv_frame *f, int32_t thread);
/* Per lane: the x of the last arrow into it (none yet), or NULL without memory. */
int *lv__arrow_lanes(const lv_frame *f);
/* The arrow of a hand-off from lane lr at x0 to lane la at x1, unless la has one within a
 * pixel of x1 already (one arrow per pixel per lane); -1 without memory. */
int lv__put_arrow(lv_frame *f, int *last_x, const lv_lane *lr, const lv_lane *la, int x0, int x1,
                  uint32_t rel, uint32_t acq, int32_t obj);
/* A marker of kind on event seq's lane, when it is shown; -1 without memory. */
int lv__add_mark(lv_frame *f, const lv_scene *s, uint32_t seq, uint8_t kind);
/* Bands, holds, notes, hand-off arrows, access ticks, the finding and stale-read markers of
 * the view [tv0, tv1]; -1 without memory. */
/* How many notes, of every thread, have a seq of at most seq. */
size_t lv__notes_upto(const lv_scene *s, long seq);
int lv__lay_time_part(lv_frame *f, const lv_scene *s, const lv_viewport *vp, raster *r, int64_t tv0,
                      int64_t tv1);

/* ---- the same from the overview (geom_overview.c) ---- */

int lv__use_overview(const lv_frame *f, const lv_scene *s);
void lv__ov_columns(const lv_frame *f, const lv_overview *o, int w, int64_t *cut);
int lv__lay_bands_ov(lv_frame *f, const lv_scene *s, raster *r, const int64_t *cut,
                     const lv_lane *ln);
int lv__lay_access_ov(lv_frame *f, const lv_scene *s, const lv_lane *ln);
int lv__lay_arrows_ov(lv_frame *f, const lv_scene *s, int64_t tv0, int64_t tv1);

/* ---- the frame's proportions (defined in layout.c) ---- */

/* How the frame is cut up. Lengths are pixels at scale 1 (a 1280x720 window), times the
 * frame's scale; parts of the window are fractions of its width or height, or divisors where
 * the layout divides whole pixels (H / 2). */
typedef struct lv_layout_metrics {
    double line_spacing;  /* 1.2: a line's height for a font's pixels, when the viewport has none */
    double pad;           /* 10: the margin of the header, the label column and the findings */
    double header_extra;  /* 18: the header's height beyond the title's line */
    double button_inset;  /* 10: the header's height less a button's side */
    double button_gap;    /* 4: between two buttons */
    double button_top;    /* 5: the buttons' distance from the top */
    double title_left;    /* 5: how far the title's button reaches left of the title */
    double title_extra_w; /* 10: the title's button's width beyond the title's */
    double swatch_gap;    /* 4: a legend swatch to its word */
    double legend_gap;    /* 7: a legend word to the next swatch */
    double legend_right;  /* 12: the legend to the first button */
    double lesson_pad;    /* 12: the lesson panel's margin */
    double lesson_title_gap; /* 2: under the lesson's title */
    double lesson_max;       /* 0.34: the lesson panel's most, of the window's height */
    double axis_extra;       /* 8: the time axis's height beyond a note's line */
    double lane_min_extra;   /* 6: a lane's least height beyond a label's line */
    /* a comfortable lane, the height per thread the findings panel leaves room for: a note's
     * line, lane_ok_band for the band, the hold rows and lane_ok_extra for the gaps */
    double lane_ok_band;  /* 14 */
    double lane_ok_extra; /* 6 */
    double hold_row;      /* 4: one row of lock holds under the band */
    double lanes_extra;   /* 8: what the lanes need beyond theirs and the axis's */
    double findings_min;  /* 0.22: the findings panel's least, of the window's height */
    double findings_max;  /* 0.45: its most, unless a table or the viewport asks for more */
    int panel_most;       /* 2: the findings panel is never above H / 2 */
    double table_extra;   /* 10: a deadlock's table's margin in the findings panel */
    double objects_part;  /* 0.25: the objects panel's width, of the window's */
    double objects_min;   /* 220: its least width */
    double objects_max;   /* 420: its most */
    double label_min;     /* 110: the label column's least width */
    int label_most;       /* 4: the label column is never above a timeline's width / 4 */
    int sched_col_most;   /* 2: nor the scheduler's column above its width / 2 */
    double area_top;      /* 4: above the first lane */
    double lane_max;      /* 130: a lane's most height (more threads than fit scroll) */
    double lane_gap;      /* 2: between a lane's rows (marks, notes, band, holds) */
    double band_min;      /* 10: the least state band that keeps a row of notes (or of marks) */
    double band_max;      /* 36: the most */
    double hover_radius;  /* 8: how near the pointer an event is hovered */
    double chip_extra;    /* 16: a finding's kind chip beyond its longest word */
    double finding_gap;   /* 4: between two findings */
    int message_min_w;    /* 100: a finding's message's least width, in pixels */
    int detail_most;      /* 2: a deadlock's table is never above the panel's width / 2 */
} lv_layout_metrics;

extern const lv_layout_metrics lv__metrics;

/* ---- the findings panel (findings.c) ---- */

/* Lays out the findings from y = 0 in a panel of width w; returns the height it needs. */
int lv__lay_findings(lv_frame *f, const lv_scene *s, const lv_viewport *vp, int w);
/* What the findings panel needs for all the findings, the playhead's rule aside. */
int lv__whole_findings_h(lv_frame *f, const lv_scene *s, const lv_viewport *vp, int w);
/* Moves the laid-out findings to the panel between top and bottom, keeping what fits. */
int lv__place_findings(lv_frame *f, const lv_trace *tr, int top, int bottom);

#endif
