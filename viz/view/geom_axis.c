/* The time axis: its name (the time view, a button that switches it), a break ("//") over
 * every stretch where the warp runs time faster than it is drawn, and ticks at round times
 * between the breaks, each where its time is. Labels never repeat, never go below zero and
 * never overlap; in the step view they count events. Pure, laid out every frame: a time
 * lookup per pixel column and a few per tick. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "geom.h"

const char *lv_time_view_name(int mode, int lang) {
    return lv_tr(lang, mode == LV_TIME_LINEAR  ? LV_T_TIME_LINEAR
                       : mode == LV_TIME_STEPS ? LV_T_TIME_STEPS
                                               : LV_T_TIME_WARPED);
}

/* 1, 2 or 5 times a power of ten, at least raw (and at least 1). */
static double nice_step(double raw) {
    if (!(raw > 1)) return 1;
    double p = pow(10, floor(log10(raw))), m = raw / p;
    return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

/* r ns since the first event, a multiple of step: in the unit of the larger of the two, with
 * the decimals that step needs, so two multiples never print alike. */
static void time_label(double r, double step, char *buf, size_t len) {
    static const double unit[] = {1, 1e3, 1e6, 1e9};
    static const char *const name[] = {"ns", "µs", "ms", "s"};
    double mag = r > step ? r : step;
    int u = 0;
    while (u < 3 && mag >= unit[u + 1])
        u++;
    int dec = 0;
    while (dec < 6 && step / unit[u] * pow(10, dec) < 1 - 1e-9)
        dec++;
    snprintf(buf, len, "%.*f %s", dec, r / unit[u], name[u]);
}

typedef struct axis {
    lv_frame *f;
    const lv_viewport *vp;
    int gap, right; /* labels keep gap apart, begin after the name's button, end by right */
    int prev_end;
    int64_t prev_t;
    double prev_v; /* what the last label says, in ns or events */
    char prev[24];
} axis;

/* Adds a tick at time t (x its exact place) labelled label, unless its label would overlap
 * the last one or the name, or repeat it. */
static void add_tick(axis *a, int x, int64_t t, double v, const char *label) {
    lv_frame *f = a->f;
    if (f->nticks >= sizeof f->ticks / sizeof f->ticks[0]) return;
    if (x < f->x0 || x > f->x1 || t <= a->prev_t || v <= a->prev_v || strcmp(label, a->prev) == 0)
        return;
    int tw = a->vp->measure(a->vp->measure_ctx, LV_FONT_NOTE, label, strlen(label));
    int lx = x - tw / 2;
    if (lx + tw > a->right) lx = a->right - tw; /* inside the axis, as near its tick as fits */
    if (lx < f->axis.x) lx = f->axis.x;
    if (lx < a->prev_end + a->gap || lx + tw > a->right) return;
    lv_tick *k = &f->ticks[f->nticks++];
    k->x = x;
    k->t = t;
    k->label_x = lx;
    snprintf(k->label, sizeof k->label, "%s", label);
    snprintf(a->prev, sizeof a->prev, "%s", label);
    a->prev_end = lx + tw;
    a->prev_t = t;
    a->prev_v = v;
}

/* Breaks: each pixel column whose time runs over 1.5 times faster than the display's is
 * compressed; a run of them gets a mark in its middle, or the last mark's when it is closer
 * than a mark's width (or the frame has no room for more). One time lookup per column. */
static void lay_breaks(lv_frame *f, const lv_scene *s) {
    f->nbreaks = 0;
    if (s->linear != LV_TIME_WARPED || f->x1 <= f->x0) return;
    double px = (f->d1 - f->d0) / (f->x1 - f->x0); /* display units (ns at full pace) a column */
    int spacing = (int)lround(24 * f->scale), last = INT32_MIN / 2;
    size_t cap = sizeof f->breaks / sizeof f->breaks[0], hint = 0;
    int64_t ta = lv_frame_t_near(f, s, f->x0, &hint);
    for (int x = f->x0; x < f->x1;) {
        int64_t tb = lv_frame_t_near(f, s, x + 1, &hint);
        int hot = (double)(tb - ta) > 1.5 * px;
        ta = tb;
        if (!hot) {
            x++;
            continue;
        }
        int xa = x; /* the run of compressed columns from x */
        for (x++; x < f->x1; x++) {
            tb = lv_frame_t_near(f, s, x + 1, &hint);
            int more = (double)(tb - ta) > 1.5 * px;
            ta = tb;
            if (!more) break;
        }
        int xb = x, mid = (xa + xb) / 2;
        size_t n = f->nbreaks;
        if (n && (mid - last < spacing || n >= cap)) {
            f->break_x1[n - 1] = xb;
            continue;
        }
        f->breaks[n] = mid;
        f->break_x0[n] = xa;
        f->break_x1[n] = xb;
        f->nbreaks++;
        last = mid;
    }
}

/* The largest 1, 2 or 5 times a power of ten at most v (v >= 1). */
static double nice_floor(double v) {
    double p = pow(10, floor(log10(v))), m = v / p;
    return (m >= 5 ? 5 : m >= 2 ? 2 : 1) * p;
}

/* Round times in the stretch of columns [xa, xb], where time runs without a break, each at
 * its x: about every 110 pixels, and at least one when the stretch is wide enough for a label
 * (the step then the largest round one that fits its time). A time label has at most four
 * significant digits in a stretch too narrow for two ticks: one too short in time for a round time
 * of that kind (after a break, late in a long run: 300.055 to 300.065 ms) gets one tick in its
 * middle saying the time there to four digits, marked as rounded ("≈300.1 ms"), never "300.06 ms".
 */
static void stretch(axis *a, const lv_scene *s, int xa, int xb) {
    lv_frame *f = a->f;
    if (xb <= xa) return;
    int steps = s->linear == LV_TIME_STEPS;
    double unit = steps ? LV_STEP_NS : 1, want = 110 * f->scale;
    int64_t ta = lv_frame_t(f, s, xa), tb = lv_frame_t(f, s, xb);
    if (tb < s->t_first) return;
    if (ta < s->t_first) ta = s->t_first;
    double one = steps ? 1 : 0; /* events count from 1 */
    double ra = (double)(ta - s->t_first) / unit + one, rb = (double)(tb - s->t_first) / unit + one;
    double step = nice_step((rb - ra) * want / (xb - xa));
    if (step > rb - ra && rb - ra >= 1 && xb - xa >= want / 2) step = nice_floor(rb - ra);
    /* in a stretch too short for two ticks; a wide one (zoomed in) keeps its fine ticks */
    double digits = steps || rb < 1e4 || xb - xa >= 2 * want ? 1 : pow(10, floor(log10(rb)) - 3);
    if (step < digits) step = digits;
    char b[24];
    size_t had = f->nticks;
    for (double r = ceil(ra / step) * step; r <= rb; r += step) {
        if (r < one) continue;
        int64_t t = s->t_first + (int64_t)llround((r - one) * unit);
        if (steps)
            snprintf(b, sizeof b, "%.0f", r);
        else
            time_label(r, step, b, sizeof b);
        add_tick(a, (int)lround(lv_frame_x(f, s, t)), t, r, b);
    }
    if (digits == 1 || f->nticks > had || xb - xa < want / 4) return;
    int xm = (xa + xb) / 2;
    int64_t t = lv_frame_t(f, s, xm);
    if (t < s->t_first) return;
    double r = round((double)(t - s->t_first) / digits) * digits;
    memcpy(b, "≈", 3); /* 3 bytes of UTF-8 */
    time_label(r, digits, b + 3, sizeof b - 3);
    add_tick(a, (int)lround(lv_frame_x(f, s, t)), t, r, b);
}

void lv__lay_axis(lv_frame *f, const lv_scene *s, const lv_viewport *vp) {
    f->nticks = 0;
    const char *name = lv_time_view_name(s->linear, vp->lang);
    snprintf(f->axis_name, sizeof f->axis_name, "%s", name);
    int pad = (int)lround(6 * f->scale);
    int nw = vp->measure(vp->measure_ctx, LV_FONT_NOTE, name, strlen(name)) + 2 * pad;
    int below = (int)lround(7 * f->scale); /* under the breaks' marks on the axis's line */
    /* at the axis's start, where the first label would only say 0 */
    f->buttons[LV_BTN_TIME] = (lv_rect){f->axis.x, f->axis.y + below, nw, f->axis.h - below};
    axis a = {f,  vp, (int)lround(10 * f->scale), f->axis.x + f->axis.w, f->axis.x + nw, INT64_MIN,
              -1, ""};
    lay_breaks(f, s);
    f->axis_in_gap = 0;
    int from = f->x0;
    for (size_t i = 0; i < f->nbreaks; i++) { /* the stretches between the breaks */
        stretch(&a, s, from, f->break_x0[i] - 1);
        if (f->break_x1[i] > from) from = f->break_x1[i];
    }
    stretch(&a, s, from, f->x1);
    if (!f->nticks) { /* zoomed into a gap: time runs evenly inside one, at its own pace */
        f->axis_in_gap = 1;
        stretch(&a, s, f->x0, f->x1);
    }
}
