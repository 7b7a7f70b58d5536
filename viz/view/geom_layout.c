/* The frame: where the header, lanes, state bands, lock holds, arrows, note labels and finding
 * rows go for one viewport, plus hit testing. Output is bounded by pixels: spans narrower than a
 * pixel are merged per pixel column, so a million events never become a million rectangles.
 * Pure: text is measured through the viewport's callback; nothing here draws. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "grow.h"
#include "geom.h"
#include "search.h"
#include "textf.h"

#define PUSH(f, arr, n, cap)                                                                       \
    (lv_grow((void **)&(f)->arr, &(f)->cap, sizeof *(f)->arr, (f)->n + 1) ? NULL                   \
                                                                          : &(f)->arr[(f)->n++])

static int iround(double v) {
    return (int)lround(v);
}

/* ---- palette and sizes ---- */

lv_rgb lv_color_rgb(lv_color c) {
    static const lv_rgb pal[LV_C__COUNT] = {
        [LV_C_BG] = {255, 255, 255},       [LV_C_PANEL] = {244, 244, 240},
        [LV_C_LANE_ALT] = {247, 247, 247}, [LV_C_TEXT] = {20, 20, 20},
        [LV_C_DIM] = {100, 100, 100},      [LV_C_RUNNING] = {0, 158, 115}, /* bluish green */
        [LV_C_BLOCKED] = {213, 94, 0},                                     /* vermillion */
        [LV_C_SLEEPING] = {86, 180, 233},                                  /* sky blue */
        [LV_C_FINISHED] = {190, 190, 190}, [LV_C_HOLD] = {0, 114, 178},    /* blue */
        [LV_C_HOLD1] = {204, 121, 167},                                    /* reddish purple */
        [LV_C_HOLD2] = {230, 159, 0},                                      /* orange */
        [LV_C_HOLD3] = {0, 0, 0},          [LV_C_PLAYHEAD] = {0, 0, 0},
        [LV_C_HIGHLIGHT] = {240, 228, 66}, /* yellow */
        [LV_C_STALE] = {230, 159, 0},      [LV_C_GRID] = {215, 215, 215},
    };
    return (unsigned)c < LV_C__COUNT ? pal[c] : pal[LV_C_TEXT];
}

lv_color lv_state_color(lv_tstate s) {
    switch (s) {
    case LV_TS_RUNNING:
        return LV_C_RUNNING;
    case LV_TS_BLOCKED:
        return LV_C_BLOCKED;
    case LV_TS_SLEEPING:
        return LV_C_SLEEPING;
    case LV_TS_FINISHED:
        return LV_C_FINISHED;
    default:
        return LV_C_BG;
    }
}

lv_color lv_hold_color(int32_t obj) {
    return (lv_color)(LV_C_HOLD + (obj < 0 ? 0 : obj % LV_NHOLD_COLORS));
}

int lv_font_px(lv_font_id f, double scale) {
    static const int base[LV_FONT__COUNT] = {22, 22, 17, 16, 16};
    int px = iround(base[f] * scale);
    return px < 8 ? 8 : px;
}

double lv_ui_scale(int w, int h, double dpi_scale) {
    if (!(dpi_scale > 0)) dpi_scale = 1;
    /* sized by the window in screen units, then by the pixels per unit */
    double s = fmin(w / dpi_scale / 1280.0, h / dpi_scale / 720.0);
    /* a larger window shows more, not the same bigger: above 1280x720 the type grows with the
     * square root of the size (1.22 at 1920x1080), so more lanes, rows and notes fit */
    if (s > 1) s = sqrt(s);
    return fmax(0.6, fmin(s, 2.5)) * dpi_scale;
}

void lv_format_ns(int64_t ns, char *buf, size_t len) {
    double a = fabs((double)ns);
    if (a < 1e3) {
        snprintf(buf, len, "%" PRId64 " ns", ns);
        return;
    }
    static const char *const unit[] = {"µs", "ms", "s"};
    double v = (double)ns / 1e3;
    int u = 0;
    while (u < 2 && fabs(v) >= 1000) {
        v /= 1000;
        u++;
    }
    /* four significant digits, never in exponent form */
    int digits = fabs(v) < 10 ? 1 : fabs(v) < 100 ? 2 : fabs(v) < 1000 ? 3 : 4;
    snprintf(buf, len, "%.*f %s", digits >= 4 ? 0 : 4 - digits, v, unit[u]);
}

/* ---- text fitting ---- */

size_t lv_fit_prefix(lv_measure_fn m, void *ctx, lv_font_id f, const char *s, size_t n, int maxw) {
    if (maxw <= 0 || n == 0) return 0;
    if (m(ctx, f, s, n) <= maxw) return n;
    size_t lo = 0, hi = n; /* lo fits; hi does not */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        while (mid > lo && ((unsigned char)s[mid] & 0xC0) == 0x80)
            mid--;
        if (mid == lo) { /* one character between: try its far edge */
            mid = lo + 1;
            while (mid < hi && ((unsigned char)s[mid] & 0xC0) == 0x80)
                mid++;
            if (mid >= hi) break;
        }
        if (m(ctx, f, s, mid) <= maxw)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* The bytes of s that go on one line of maxw pixels: up to the last space that fits, or as
 * many characters as fit when a word is longer than the line (at least one character). */
static size_t wrap_line(lv_measure_fn m, void *ctx, lv_font_id f, const char *s, size_t n,
                        int maxw) {
    const char *nl = memchr(s, '\n', n);
    if (nl) n = (size_t)(nl - s);
    size_t fit = lv_fit_prefix(m, ctx, f, s, n, maxw);
    if (fit == n) return n;
    /* Chinese has no spaces: it breaks between any two characters, but a line never starts
     * with closing punctuation (，。：；！？）、) */
    if (fit > 0 && ((unsigned char)s[fit] >= 0x80 || (unsigned char)s[fit - 1] >= 0x80)) {
        static const char *const no_start[] = {"，", "。", "：", "；", "！", "？", "）", "、"};
        for (size_t k = 0; k < sizeof no_start / sizeof no_start[0]; k++)
            if (n - fit >= 3 && memcmp(s + fit, no_start[k], 3) == 0 && fit > 1) {
                do
                    fit--;
                while (fit > 1 && ((unsigned char)s[fit] & 0xC0) == 0x80);
                break;
            }
        return fit;
    }
    for (size_t i = fit; i > 0; i--)
        if (s[i] == ' ') return i;
    if (fit == 0) {
        fit = 1;
        while (fit < n && ((unsigned char)s[fit] & 0xC0) == 0x80)
            fit++;
    }
    return fit;
}

size_t lv_wrap_line(lv_measure_fn m, void *ctx, lv_font_id f, const char *s, size_t n, int maxw) {
    return wrap_line(m, ctx, f, s, n, maxw);
}

lv_tr_key lv_no_findings_words(const lv_trace *tr) {
    return tr->outcome == LV_OUT_ABORTED ? LV_T_NO_FINDINGS_CUT : LV_T_NO_FINDINGS;
}

int lv_chip_width(lv_measure_fn m, void *ctx, int lang) {
    int w = 0;
    for (int i = 0; i < 5; i++) {
        const char *t = lv_tr(lang, lv_finding_words[i]);
        int tw = m(ctx, LV_FONT_BODY, t, strlen(t));
        if (tw > w) w = tw;
    }
    return w;
}

/* ---- time and x ---- */

double lv_frame_x(const lv_frame *f, const lv_scene *s, int64_t t) {
    double span = f->d1 - f->d0;
    if (span <= 0) span = 1;
    return f->x0 + (lv_scene_d(s, t) - f->d0) / span * (f->x1 - f->x0);
}

double lv_frame_x_near(const lv_frame *f, const lv_scene *s, int64_t t, size_t *hint) {
    double span = f->d1 - f->d0;
    if (span <= 0) span = 1;
    return f->x0 + (lv_scene_d_near(s, t, hint) - f->d0) / span * (f->x1 - f->x0);
}

int64_t lv_frame_t(const lv_frame *f, const lv_scene *s, double x) {
    double w = f->x1 - f->x0 > 0 ? f->x1 - f->x0 : 1;
    return lv_scene_t(s, f->d0 + (x - f->x0) / w * (f->d1 - f->d0));
}

int64_t lv_frame_t_near(const lv_frame *f, const lv_scene *s, double x, size_t *hint) {
    double w = f->x1 - f->x0 > 0 ? f->x1 - f->x0 : 1;
    return lv_scene_t_near(s, f->d0 + (x - f->x0) / w * (f->d1 - f->d0), hint);
}

/* ---- searches in time order, so a frame visits pixels, not events ---- */

typedef int (*pred_fn)(void *ctx, size_t k);

/* The first k in [a, b) where pred holds, b when none; pred must be false then true over
 * [a, b). Galloping from a: cheap when the answer is near, O(log n) when it is far. */
static size_t first_true(size_t a, size_t b, pred_fn pred, void *ctx) {
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
static size_t first_ge(size_t a, size_t b, const int64_t *smp, int64_t t, pred_fn pred, void *ctx) {
    if (a >= b || !smp) return first_true(a, b, pred, ctx);
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
    return first_true(from, to, pred, ctx);
}

/* ---- pixel-column rasterizing: the bound on drawing cost ---- */

typedef struct raster {
    uint8_t *col, *prio;
    int w;
    /* per column edge c = 0 .. w: the first time whose x (from x0) is >= c, and > c */
    int64_t *tge, *tgt;
    /* per pixel P = px0 .. px0 + npx - 1: the first time whose rounded x is >= P */
    int64_t *tpx;
    int px0, npx;
} raster;

static double rel_x(const lv_frame *f, const lv_scene *s, int64_t t, size_t *hint) {
    return lv_frame_x_near(f, s, t, hint) - f->x0;
}

enum { EDGE_GE, EDGE_GT, EDGE_PX };

static int edge_ok(const lv_frame *f, const lv_scene *s, int c, int how, int64_t t, size_t *hint) {
    if (how == EDGE_PX) return iround(lv_frame_x_near(f, s, t, hint)) >= c;
    double x = rel_x(f, s, t, hint);
    return how == EDGE_GT ? x > c : x >= c;
}

/* The least time t whose x - x0 is >= c (EDGE_GT: > c; EDGE_PX: whose pixel, the rounded x,
 * is >= c), from a guess; x grows with t. */
static int64_t time_of_edge(const lv_frame *f, const lv_scene *s, int c, int how, int64_t guess,
                            size_t *hint) {
#define EDGE_OK(tt) edge_ok(f, s, c, how, (tt), hint)
    int64_t lo, hi, step = 1; /* not ok at lo, ok at hi */
    if (EDGE_OK(guess)) {
        hi = guess;
        while (step < ((int64_t)1 << 61) && EDGE_OK(hi - step)) {
            hi -= step;
            step *= 2;
        }
        lo = hi - step;
    } else {
        lo = guess;
        while (step < ((int64_t)1 << 61) && !EDGE_OK(lo + step)) {
            lo += step;
            step *= 2;
        }
        hi = lo + step;
    }
    while (hi - lo > 1) {
        int64_t mid = lo + (hi - lo) / 2;
        if (EDGE_OK(mid))
            hi = mid;
        else
            lo = mid;
    }
#undef EDGE_OK
    return hi;
}

static void column_edges(const lv_frame *f, const lv_scene *s, raster *r) {
    size_t hint = 0, thint = 0;
    for (int k = 0; k < r->npx; k++) {
        int px = r->px0 + k, c = px - f->x0;
        r->tpx[k] = time_of_edge(f, s, px, EDGE_PX, lv_frame_t_near(f, s, px - 0.5, &thint), &hint);
        if (c < 0 || c > r->w) continue;
        int64_t t = time_of_edge(f, s, c, EDGE_GE, lv_frame_t_near(f, s, f->x0 + c, &thint), &hint);
        r->tge[c] = t;
        r->tgt[c] = rel_x(f, s, t, &hint) > c ? t : time_of_edge(f, s, c, EDGE_GT, t, &hint);
    }
}

static int raster_emit(lv_frame *f, raster *r, int x, int y, int h) {
    for (int i = 0; i < r->w;) {
        if (!r->prio[i]) {
            i++;
            continue;
        }
        int j = i;
        while (j < r->w && r->prio[j] && r->col[j] == r->col[i])
            j++;
        lv_fill *fl = PUSH(f, fills, nfills, capfills);
        if (!fl) return -1;
        *fl = (lv_fill){{x + i, y, j - i, h}, r->col[i]};
        i = j;
    }
    memset(r->col, 0, (size_t)r->w);
    memset(r->prio, 0, (size_t)r->w);
    return 0;
}

/* An interval [t0, t1) covers the pixel columns floor(x0) .. max(ceil(x1) - 1, floor(x0))
 * (x relative to the area, clipped to it), so column i >= 1 holds the intervals with
 * x0 < i + 1 and (x1 > i or x0 >= i), and column 0 those with x0 < 1 and x1 > 0. Over
 * intervals in time order that do not overlap both are runs of consecutive indices. */
typedef struct ivals {
    const lv_frame *f;
    const lv_scene *s;
    const lv_span *spans; /* or holds through idx: */
    const lv_hold *holds;
    const uint32_t *idx;
    double c; /* the column the predicate asks about */
    int64_t tv0;
    const raster *r;    /* its column edges in time */
    const int64_t *smp; /* sampled t0 */
} ivals;

static int64_t iv_t0(const ivals *v, size_t k) {
    return v->spans ? v->spans[k].t0 : v->holds[v->idx[k]].t0;
}
static int64_t iv_t1(const ivals *v, size_t k) {
    return v->spans ? v->spans[k].t1 : v->holds[v->idx[k]].t1;
}
static int x0_ge(void *ctx, size_t k) { /* x0 >= c */
    ivals *v = ctx;
    return iv_t0(v, k) >= v->r->tge[(int)v->c];
}
static int covers_or_after(void *ctx, size_t k) { /* x1 > c, or x0 >= c when c >= 1 */
    ivals *v = ctx;
    int c = (int)v->c;
    return iv_t1(v, k) >= v->r->tgt[c] || (c >= 1 && iv_t0(v, k) >= v->r->tge[c]);
}
static int t0_ge(void *ctx, size_t k) { /* t0 >= tv0 (used with tv1 in tv0) */
    ivals *v = ctx;
    return iv_t0(v, k) >= v->tv0;
}
static int t1_after(void *ctx, size_t k) {
    ivals *v = ctx;
    return iv_t1(v, k) > v->tv0;
}

/* A hold's end t1 counts for column c when t1 > tv0 and (when ends) its x1 > c. */
static int end_ok(ivals *v, int64_t t1, int ends) {
    return t1 > v->tv0 && (!ends || t1 >= v->r->tgt[(int)v->c]);
}

/* The last k in [a, b) of a hold row whose end is ok, or -1; the test is monotone in t1, so a
 * row whose ends ascend needs only its last, and others descend the row's max tree. */
static long last_end_ok(ivals *v, const lv_thread_geo *g, int row, size_t a, size_t b, int ends) {
    if (a >= b) return -1;
    const int64_t *t = g->row_t1max[row];
    if (!t) return end_ok(v, iv_t1(v, b - 1), ends) ? (long)(b - 1) : -1;
    size_t leaves = g->row_t1_leaves[row];
    /* walk up from the right end, collecting the canonical nodes right to left */
    size_t l = a + leaves, r = b + leaves;
    size_t right[64], nr = 0, left[64], nl = 0;
    while (l < r) {
        if (l & 1) left[nl++] = l++;
        if (r & 1) right[nr++] = --r;
        l >>= 1;
        r >>= 1;
    }
    /* nodes in index order: left[0..nl) then right reversed; search from the right */
    for (size_t q = nr + nl; q-- > 0;) {
        size_t node = q < nl ? left[q] : right[nr - 1 - (q - nl)];
        if (!end_ok(v, t[node], ends)) continue;
        while (node < leaves)
            node = end_ok(v, t[2 * node + 1], ends) ? 2 * node + 1 : 2 * node;
        return (long)(node - leaves);
    }
    return -1;
}

/* The colour of the state whose lv_state_prio is p. */
static uint8_t prio_color(uint8_t p) {
    static const uint8_t state_of_prio[5] = {LV_TS_NOT_STARTED, LV_TS_FINISHED, LV_TS_RUNNING,
                                             LV_TS_SLEEPING, LV_TS_BLOCKED};
    return (uint8_t)lv_state_color((lv_tstate)state_of_prio[p < 5 ? p : 0]);
}

static int lay_bands(lv_frame *f, const lv_scene *s, raster *r, const lv_lane *ln, int64_t tv0,
                     int64_t tv1) {
    const lv_thread_geo *g = &s->th[ln->thread];
    ivals v = {.f = f, .s = s, .spans = g->spans, .r = r, .smp = g->span_t0s};
    /* the spans in view: end after tv0, begin before tv1 */
    v.tv0 = tv0;
    size_t k0 = first_true(0, g->nspans, t1_after, &v);
    v.tv0 = tv1;
    size_t k1 = first_true(k0, g->nspans, t0_ge, &v);
    size_t lo = k0, hi = k0, n = g->nspans;
    for (int i = 0; i < r->w && lo < k1; i++) {
        v.c = i + 1;
        hi = first_ge(hi, k1, v.smp, r->tge[i + 1], x0_ge, &v);
        v.c = i;
        lo = first_true(lo, hi, covers_or_after, &v);
        if (lo >= hi) continue;
        uint8_t p = 0; /* the max priority over spans [lo, hi) */
        for (size_t a = lo + n, b = hi + n; a < b; a >>= 1, b >>= 1) {
            if (a & 1) {
                if (g->span_max[a] > p) p = g->span_max[a];
                a++;
            }
            if (b & 1) {
                b--;
                if (g->span_max[b] > p) p = g->span_max[b];
            }
        }
        r->col[i] = prio_color(p);
        r->prio[i] = p;
    }
    if (raster_emit(f, r, f->x0, ln->band.y, ln->band.h)) return -1;
    int rowh = ln->holds.h / LV_HOLD_ROWS;
    for (int row = 0; row < LV_HOLD_ROWS && rowh > 0; row++) {
        /* the later hold wins a column: the last one in the row that covers it */
        ivals h = {.f = f,
                   .s = s,
                   .holds = g->holds,
                   .idx = g->row_holds[row],
                   .tv0 = tv1,
                   .r = r,
                   .smp = g->row_t0s[row]};
        size_t m1 = first_true(0, g->nrow_holds[row], t0_ge, &h);
        h.tv0 = tv0;
        size_t hi2 = 0, mid = 0;
        for (int i = 0; i < r->w && m1 > 0; i++) {
            h.c = i + 1;
            hi2 = first_ge(hi2, m1, h.smp, r->tge[i + 1], x0_ge, &h);
            long best;
            if (i == 0) {
                h.c = 0;
                best = last_end_ok(&h, g, row, 0, hi2, 1);
            } else {
                h.c = i;
                mid = first_ge(mid, hi2, h.smp, r->tge[i], x0_ge,
                               &h); /* [mid, hi2) begin in this column */
                best = last_end_ok(&h, g, row, mid, hi2, 0);
                if (best < 0) best = last_end_ok(&h, g, row, 0, mid, 1);
            }
            if (best < 0) continue;
            r->col[i] = (uint8_t)lv_hold_color(g->holds[h.idx[best]].obj);
            r->prio[i] = 1;
        }
        if (raster_emit(f, r, f->x0, ln->holds.y + row * rowh, rowh - (rowh > 3))) return -1;
    }
    return 0;
}

static int measure_str(const lv_viewport *vp, lv_font_id font, const char *s) {
    return vp->measure(vp->measure_ctx, font, s, strlen(s));
}

/* Events of one thread (notes or accesses, as seqs) in time order, searched by time or pixel. */
typedef struct seqs {
    const lv_frame *f;
    const lv_scene *s;
    const uint32_t *seq;
    int64_t t;
    int off;
    size_t hint, thint; /* where in the warp the last x and t were */
    const int64_t *smp; /* sampled times */
    const raster *r;    /* its pixels' edges in time */
} seqs;

static int64_t seq_t(const seqs *q, size_t k) {
    return q->s->tr->events[q->seq[k]].t;
}
static int seq_px(seqs *q, size_t k) {
    int64_t t = seq_t(q, k);
    const raster *r = q->r;
    if (r->npx > 0 && t >= r->tpx[0] &&
        t < r->tpx[r->npx - 1]) { /* the last pixel edge at or before t */
        int lo = 0, hi = r->npx - 1;
        while (hi - lo > 1) {
            int mid = lo + (hi - lo) / 2;
            if (r->tpx[mid] <= t)
                lo = mid;
            else
                hi = mid;
        }
        return r->px0 + lo + q->off;
    }
    return iround(lv_frame_x_near(q->f, q->s, t, &q->hint)) + q->off;
}
static int t_ge(void *ctx, size_t k) {
    seqs *q = ctx;
    return seq_t(q, k) >= q->t;
}
static int t_gt(void *ctx, size_t k) {
    seqs *q = ctx;
    return seq_t(q, k) > q->t;
}
/* The first of [a, b) whose pixel (seq_px) is >= px: found in time, then by time. */
static size_t first_at_px(seqs *q, size_t a, size_t b, int px) {
    if (a >= b) return b;
    int64_t t0 = seq_t(q, a);
    int k = px - q->off - q->r->px0;
    if (k >= 0 && k < q->r->npx)
        q->t = q->r->tpx[k];
    else
        q->t = time_of_edge(q->f, q->s, px - q->off, EDGE_PX,
                            lv_frame_t_near(q->f, q->s, px - q->off - 0.5, &q->thint), &q->hint);
    if (q->t <= t0) return a;
    return first_ge(a, b, q->smp, q->t, t_ge, q);
}

static void drop_notes(lv_frame *f, const uint32_t *notes, size_t a, size_t b) {
    for (size_t i = a; i < b && f->ndropped < LV_DROPPED_MAX; i++)
        f->dropped[f->ndropped++] = notes[i];
    f->total_dropped += b - a;
}

/* Labels left to right, each where its note is, as wide as the room before the next note.
 * Notes that find no room are dropped; those in a row are counted, not visited: a note left
 * of the last label's end, or sharing its pixel with the next note, never gets a label. */
static int lay_notes(lv_frame *f, const lv_scene *s, const raster *r, const lv_viewport *vp,
                     const lv_lane *ln, int64_t tv0, int64_t tv1) {
    const lv_thread_geo *g = &s->th[ln->thread];
    const lv_trace *tr = s->tr;
    int gap = iround(6 * f->scale), off = iround(4 * f->scale);
    int right = f->x1;
    int min_w = measure_str(vp, LV_FONT_NOTE, "ab…");
    int ell = measure_str(vp, LV_FONT_NOTE, "…");
    int prev_end = INT32_MIN / 2;
    seqs q = {f, s, g->notes, tv0, off, 0, 0, g->note_ts, r};
    size_t i = first_true(0, g->nnotes, t_ge, &q);
    q.t = tv1;
    size_t end = first_true(i, g->nnotes, t_gt, &q);
    while (i < end) {
        const lv_event *e = &tr->events[g->notes[i]];
        int x = seq_px(&q, i);
        if (x < prev_end + gap) { /* under the last label: skip to the first note past it */
            size_t j = first_at_px(&q, i + 1, end, prev_end + gap);
            drop_notes(f, g->notes, i, j);
            i = j;
            continue;
        }
        if (min_w > -gap) { /* notes on one pixel: only the last of them can have room */
            size_t j = first_at_px(&q, i + 1, end, x + 1);
            if (j - 1 > i) {
                drop_notes(f, g->notes, i, j - 1);
                i = j - 1;
                e = &tr->events[g->notes[i]];
            }
        }
        const char *txt = lv_scene_note_text(s, e, vp->lang); /* the window's language first */
        int next = right;
        if (i + 1 < end) next = seq_px(&q, i + 1) - gap;
        if (next > right) next = right;
        int avail = next - x;
        int placed = 0;
        if (txt && ln->notes.h > 0 && avail >= min_w) {
            size_t n = strlen(txt);
            int tw = vp->measure(vp->measure_ctx, LV_FONT_NOTE, txt, n);
            lv_label lb = {g->notes[i], x, ln->notes.y, tw, n, 0};
            if (tw > avail) {
                lb.nbytes =
                    lv_fit_prefix(vp->measure, vp->measure_ctx, LV_FONT_NOTE, txt, n, avail - ell);
                lb.elided = 1;
                lb.w = vp->measure(vp->measure_ctx, LV_FONT_NOTE, txt, lb.nbytes) + ell;
            }
            if (lb.nbytes > 0) {
                lv_label *p = PUSH(f, labels, nlabels, caplabels);
                if (!p) return -1;
                *p = lb;
                prev_end = x + lb.w;
                placed = 1;
            }
        }
        if (!placed) drop_notes(f, g->notes, i, i + 1);
        i++;
    }
    return 0;
}

static const lv_lane *lane_of(const lv_frame *f, int32_t thread) {
    long i = (long)thread - f->first_lane;
    return i >= 0 && (size_t)i < f->nlanes ? &f->lanes[i] : NULL;
}

/* Hand-offs in release order, searched by the release's time. */
typedef struct hsearch {
    const lv_scene *s;
    int64_t t;
} hsearch;
static int rel_ge(void *ctx, size_t k) {
    hsearch *q = ctx;
    return q->s->tr->events[q->s->handoffs[k].rel].t >= q->t;
}

/* Per lane: the x of the last arrow into it (none yet), or NULL without memory. */
static int *arrow_lanes(const lv_frame *f) {
    int *last_x = malloc((f->nlanes ? f->nlanes : 1) * sizeof *last_x);
    for (size_t i = 0; last_x && i < f->nlanes; i++)
        last_x[i] = INT32_MIN / 2;
    return last_x;
}

/* The arrow of a hand-off from lane lr at x0 to lane la at x1, unless la has one within a
 * pixel of x1 already (one arrow per pixel per lane); -1 without memory. */
static int put_arrow(lv_frame *f, int *last_x, const lv_lane *lr, const lv_lane *la, int x0, int x1,
                     uint32_t rel, uint32_t acq, int32_t obj) {
    size_t li = (size_t)(la - f->lanes);
    if (abs(x1 - last_x[li]) < 2) return 0;
    last_x[li] = x1;
    lv_arrow *a = PUSH(f, arrows, narrows, caparrows);
    if (!a) return -1;
    int y0 = lr->holds.y + lr->holds.h / 2;
    int y1 = la->band.y > lr->band.y ? la->band.y : la->band.y + la->band.h;
    *a = (lv_arrow){x0, y0, x1, y1, rel, acq, obj};
    return 0;
}

#define LV_ARROWS_PER_PX 8 /* hand-offs looked at per pixel of release; the rest are skipped */

/* One arrow per pixel per lane, from a release to the acquire it let in. Bounded by pixels:
 * the search starts at the first release that can reach the window, and after a few hand-offs
 * released in one pixel column it jumps to the next column. */
static int lay_arrows(lv_frame *f, const lv_scene *s, int64_t tv0, int64_t tv1) {
    const lv_trace *tr = s->tr;
    int *last_x = arrow_lanes(f);
    if (!last_x) return -1;
    int rc = 0, px = INT32_MIN, in_px = 0;
    size_t hr = 0, ha = 0; /* warp hints: releases come in time order, acquires soon after */
    hsearch q = {s, tv0 - s->handoff_gap};
    size_t i = first_true(0, s->nhandoffs, rel_ge, &q);
    while (i < s->nhandoffs) {
        const lv_handoff *h = &s->handoffs[i];
        const lv_event *er = &tr->events[h->rel], *ea = &tr->events[h->acq];
        if (er->t > tv1) break; /* handoffs are in release order, so time order */
        int x0 = iround(lv_frame_x_near(f, s, er->t, &hr));
        if (x0 != px) {
            px = x0;
            in_px = 0;
        } else if (++in_px >= LV_ARROWS_PER_PX && x0 >= f->x0) {
            q.t = lv_frame_t(f, s, x0 + 0.5); /* past this column */
            size_t next = first_true(i + 1, s->nhandoffs, rel_ge, &q);
            i = next > i + 1 ? next : i + 1;
            continue;
        }
        i++;
        if (ea->t < tv0) continue;
        const lv_lane *lr = lane_of(f, er->thread), *la = lane_of(f, ea->thread);
        if (!lr || !la) continue;
        int x1 = iround(lv_frame_x_near(f, s, ea->t, &ha));
        if (put_arrow(f, last_x, lr, la, x0, x1, h->rel, h->acq, h->obj)) {
            rc = -1;
            break;
        }
    }
    free(last_x);
    return rc;
}

static int add_mark(lv_frame *f, const lv_scene *s, uint32_t seq, uint8_t kind) {
    if (seq >= s->tr->nevents) return 0;
    const lv_event *e = &s->tr->events[seq];
    const lv_lane *ln = lane_of(f, e->thread);
    if (!ln) return 0;
    int x = iround(lv_frame_x(f, s, e->t));
    if (x < f->x0 || x > f->x1) return 0;
    lv_marker *m = PUSH(f, marks, nmarks, capmarks);
    if (!m) return -1;
    *m = (lv_marker){x, ln->band.y + ln->band.h / 2, seq, kind};
    return 0;
}

/* Ticks for the reads and writes of shared vars on the band: at most one per pixel, the first
 * access of each; the others on that pixel are skipped by a search, not visited. */
static int lay_access(lv_frame *f, const lv_scene *s, const raster *r, const lv_lane *ln,
                      int64_t tv0, int64_t tv1) {
    const lv_thread_geo *g = &s->th[ln->thread];
    const lv_trace *tr = s->tr;
    seqs q = {f, s, g->accesses, tv0, 0, 0, 0, g->access_ts, r};
    size_t i = first_true(0, g->naccesses, t_ge, &q);
    q.t = tv1;
    size_t end = first_true(i, g->naccesses, t_gt, &q);
    while (i < end) {
        const lv_event *e = &tr->events[g->accesses[i]];
        int x = seq_px(&q, i);
        lv_marker *m = PUSH(f, marks, nmarks, capmarks);
        if (!m) return -1;
        *m = (lv_marker){x, ln->band.y + ln->band.h / 2, e->seq,
                         e->kind == LV_EV_READ ? LV_MARK_READ : LV_MARK_WRITE};
        i = first_at_px(&q, i + 1, end, x + 1);
    }
    return 0;
}

/* ---- findings panel ---- */

static const char *detail_of(const lv_scene *s, int i) {
    return i >= 0 ? lv_scene_detail(s, (size_t)i) : NULL;
}

/* Finding i is after the playhead, and what lies there is not shown in full. */
static int finding_ahead(const lv_frame *f, const lv_scene *s, int i) {
    return f->future != LV_FUTURE_SHOW && !lv_finding_reached(s, (size_t)i, f->reveal_seq);
}

/* Lays out the findings from y = 0 in a panel of width w; returns the height it needs. */
static int lay_findings(lv_frame *f, const lv_scene *s, const lv_viewport *vp, int w) {
    const lv_trace *tr = s->tr;
    double sc = f->scale;
    int pad = iround(10 * sc), lh = f->line_h[LV_FONT_BODY], mlh = f->line_h[LV_FONT_MONO];
    f->nflines = f->nfrows = 0;
    f->hidden_findings = 0;
    f->detail_finding = -1;
    f->future_findings = 0;
    for (size_t i = 0; i < tr->nfindings; i++)
        f->future_findings += (size_t)finding_ahead(f, s, (int)i);
    int dsel =
        detail_of(s, vp->highlight) && !finding_ahead(f, s, vp->highlight) ? vp->highlight : -1;
    for (size_t i = 0; dsel < 0 && i < tr->nfindings; i++)
        if (detail_of(s, (int)i) && !finding_ahead(f, s, (int)i)) dsel = (int)i;
    int dw = 0, dlines = 0;
    if (dsel >= 0) {
        const char *d = detail_of(s, dsel);
        while (*d) {
            const char *e = strchr(d, '\n');
            size_t n = e ? (size_t)(e - d) : strlen(d);
            int lw = vp->measure(vp->measure_ctx, LV_FONT_MONO, d, n);
            if (lw > dw) dw = lw;
            dlines++;
            d += n + (e ? 1 : 0);
        }
        dw += 2 * pad;
        if (dw > w / 2) dw = w / 2;
        f->detail_finding = dsel;
    }
    int chip = lv_chip_width(vp->measure, vp->measure_ctx, vp->lang) + iround(16 * sc);
    int msg_x = pad + chip + pad;
    int msg_w = w - msg_x - pad - (dw ? dw + pad : 0);
    if (msg_w < 100) msg_w = 100;
    int y = pad / 2;
    for (size_t at = (size_t)(vp->finding_scroll > 0 ? vp->finding_scroll : 0); at < tr->nfindings;
         at++) {
        size_t i = lv_scene_finding_at(s, at);     /* verdicts first: never behind "+N more" */
        if (finding_ahead(f, s, (int)i)) continue; /* it shows when the playhead reaches it */
        const char *m = lv_scene_message(s, i, vp->lang);
        size_t n = strlen(m);
        int y0 = y, nl = 0;
        do {
            size_t k = wrap_line(vp->measure, vp->measure_ctx, LV_FONT_BODY, m, n, msg_w);
            lv_tline *t = PUSH(f, flines, nflines, capflines);
            if (!t) return -1;
            if (vp->finding_lines > 0 && ++nl == vp->finding_lines && k < n) {
                /* the last line allowed: cut where "…" still fits after it */
                int ell = measure_str(vp, LV_FONT_BODY, "…");
                k = lv_fit_prefix(vp->measure, vp->measure_ctx, LV_FONT_BODY, m, n, msg_w - ell);
                int tw = vp->measure(vp->measure_ctx, LV_FONT_BODY, m, k);
                *t = (lv_tline){m, k, msg_x, y, LV_FONT_BODY, LV_C_TEXT};
                t = PUSH(f, flines, nflines, capflines);
                if (!t) return -1;
                *t = (lv_tline){"…", strlen("…"), msg_x + tw, y, LV_FONT_BODY, LV_C_TEXT};
                y += lh;
                break;
            }
            *t = (lv_tline){m, k, msg_x, y, LV_FONT_BODY, LV_C_TEXT};
            y += lh;
            while (k < n && (m[k] == ' ' || m[k] == '\n'))
                k++;
            m += k;
            n -= k;
        } while (n > 0);
        lv_frow *r = PUSH(f, frows, nfrows, capfrows);
        if (!r) return -1;
        *r = (lv_frow){(int)i, {pad / 2, y0, w - pad - (dw ? dw + pad : 0), y - y0}};
        y += iround(4 * sc);
    }
    if (tr->nfindings == 0) y += lh;
    f->detail = (lv_rect){w - pad - dw, pad / 2, dw, dlines * mlh + pad};
    int need = y + pad / 2;
    if (dw && f->detail.h + pad > need) need = f->detail.h + pad;
    return need;
}

/* What the findings panel needs for all the findings, the playhead's rule aside. */
static int whole_findings_h(lv_frame *f, const lv_scene *s, const lv_viewport *vp, int w) {
    int keep = f->future;
    f->future = LV_FUTURE_SHOW;
    int h = lay_findings(f, s, vp, w);
    f->future = keep;
    return h;
}

static size_t rows_fitting(const lv_frame *f, int top, int bottom) {
    size_t n = 0;
    while (n < f->nfrows && top + f->frows[n].r.y + f->frows[n].r.h <= bottom)
        n++;
    return n;
}

static int place_findings(lv_frame *f, const lv_trace *tr, int top, int bottom) {
    /* move the lines to the panel and drop what does not fit: whole findings only (the first
     * is kept even when cut), and when some are left out, the last line stays free for the
     * "+N more" hint drawn there */
    size_t keep_rows = rows_fitting(f, top, bottom);
    if (keep_rows < f->nfrows) keep_rows = rows_fitting(f, top, bottom - f->line_h[LV_FONT_NOTE]);
    if (keep_rows == 0 && f->nfrows) keep_rows = 1;
    int end = bottom; /* the kept rows' lines end here */
    if (keep_rows < f->nfrows) end = top + f->frows[keep_rows].r.y;
    if (keep_rows == 1 && f->nfrows > 1 && top + f->frows[0].r.y + f->frows[0].r.h > bottom)
        end = bottom - f->line_h[LV_FONT_NOTE];
    size_t keep_lines = 0;
    for (size_t i = 0; i < keep_rows; i++)
        f->frows[i].r.y += top;
    for (size_t i = 0; i < f->nflines; i++) {
        lv_tline *t = &f->flines[i];
        if (top + t->y + f->line_h[t->font] > (end < bottom ? end : bottom)) break;
        t->y += top;
        keep_lines++;
    }
    f->hidden_findings = f->nfrows - keep_rows;
    f->nfrows = keep_rows;
    f->nflines = keep_lines;
    f->detail.y += top;
    if (f->detail.y + f->detail.h > bottom) f->detail.h = bottom - f->detail.y;
    (void)tr;
    return 0;
}

/* ---- the whole frame ---- */

static void lay_header(lv_frame *f, const lv_scene *s, const lv_viewport *vp) {
    const lv_trace *tr = s->tr;
    double sc = f->scale;
    int pad = iround(10 * sc);
    int bs = f->header.h - iround(10 * sc), bstep = bs + iround(4 * sc);
    /* a row of square buttons; the picker's is the title (below), which costs no room */
    int bx = f->header.w - pad - (LV_BTN__COUNT - 2) * bstep; /* all but the picker and time */
    for (int i = 0, k = 0; i < LV_BTN__COUNT; i++)
        if (i != LV_BTN_PICKER && i != LV_BTN_TIME)
            f->buttons[i] = (lv_rect){bx + k++ * bstep, iround(5 * sc), bs, bs};
    /* the legend in two rows (three swatches over two), packed close, so the title's chips
     * (outcome, seed, findings) keep their room beside the buttons */
    int sw = f->font_px[LV_FONT_NOTE], tw[5], sgap = iround(4 * sc), igap = iround(7 * sc);
    int rowh = f->line_h[LV_FONT_NOTE], rows_h = 2 * rowh, row_w[2] = {0, 0};
    for (int i = 0; i < 5; i++) {
        tw[i] = measure_str(vp, LV_FONT_NOTE, lv_tr(vp->lang, lv_legend_words[i]));
        row_w[i >= 3] += sw + sgap + tw[i] + igap;
    }
    int lw = row_w[0] > row_w[1] ? row_w[0] : row_w[1];
    int x0 = bx - iround(12 * sc) - lw, x = x0, y0 = (f->header.h - rows_h) / 2;
    for (int i = 0; i < 5; i++) {
        if (i == 3) x = x0;
        int y = y0 + (i >= 3) * rowh + (rowh - sw) / 2;
        f->legend[i] = (lv_rect){x, y, sw, sw};
        f->legend_text_x[i] = x + sw + sgap;
        x += sw + sgap + tw[i] + igap;
    }
    if (tr->program && (!tr->variant || !*tr->variant)) /* a program run without arguments */
        lv_textf(f->title, sizeof f->title, "%s", tr->scenario ? tr->scenario : "?");
    else
        lv_textf(f->title, sizeof f->title, "%s / %s", tr->scenario ? tr->scenario : "?",
                 tr->variant ? tr->variant : "?");
    /* the title names the run shown, and a click on it chooses another (the picker) */
    int ttw = measure_str(vp, LV_FONT_TITLE, f->title), room = f->legend[0].x - 2 * pad;
    if (ttw > room) ttw = room;
    f->buttons[LV_BTN_PICKER] =
        (lv_rect){pad - iround(5 * sc), iround(5 * sc), ttw + iround(10 * sc), bs};
    char a[32], b[32], tb[48];
    snprintf(a, sizeof a, "%" PRIu64, tr->seed);
    if (tr->program) /* a recorded program has no seed: the header says it was recorded */
        snprintf(f->subtitle, sizeof f->subtitle, "%s", lv_tr(vp->lang, LV_T_RECORDED));
    else if (tr->mode == LV_MODE_LIVE) /* the header is crowded: the mode when not the default */
        snprintf(f->subtitle, sizeof f->subtitle, lv_tr(vp->lang, LV_T_SUBTITLE),
                 lv_tr(vp->lang, LV_T_LIVE), a);
    else
        snprintf(f->subtitle, sizeof f->subtitle, lv_tr(vp->lang, LV_T_SEED), a);
    if (s->real && vp->seq >= 0 && (size_t)vp->seq < s->real->nevents) /* the step view */
        lv_format_ns(s->real->events[vp->seq].t - s->real->events[0].t, tb, sizeof tb);
    else
        lv_format_ns(vp->play_t - s->t_first, tb, sizeof tb);
    snprintf(a, sizeof a, "%ld", vp->seq + 1); /* numbered from 1: "event 113 of 113" */
    snprintf(b, sizeof b, "%zu", tr->nevents);
    if (vp->seq >= 0)
        lv_textf(f->status, sizeof f->status, lv_tr(vp->lang, LV_T_STATUS), a, b, tb);
    else
        snprintf(f->status, sizeof f->status, "%s", lv_tr(vp->lang, LV_T_BEFORE_FIRST));
}

/* The lesson panel: the title on one line, the text wrapped to the width, at most about a
 * third of the window; what does not fit ends in "…" (the panel is for reading, not scrolling:
 * lessons are a paragraph). */
static int lay_lesson(lv_frame *f, const lv_viewport *vp) {
    f->nllines = 0;
    f->lesson_cut = 0;
    f->lesson = (lv_rect){0, f->header.h, vp->w, 0};
    if (!vp->lesson_text || !vp->lesson_title) return 0;
    double sc = f->scale;
    int pad = iround(12 * sc), lh = f->line_h[LV_FONT_BODY], th = f->line_h[LV_FONT_LABEL];
    int maxw = vp->w - 2 * pad, y = f->header.h + pad / 2;
    int bottom = f->header.h + iround(0.34 * vp->h);
    lv_tline *t = PUSH(f, llines, nllines, capllines);
    if (!t) return -1;
    *t = (lv_tline){vp->lesson_title, strlen(vp->lesson_title), pad, y, LV_FONT_LABEL, LV_C_TEXT};
    y += th + iround(2 * sc);
    const char *m = vp->lesson_text;
    size_t n = strlen(m);
    while (n > 0) {
        if (y + lh > bottom) {
            f->lesson_cut = 1;
            break;
        }
        size_t k = wrap_line(vp->measure, vp->measure_ctx, LV_FONT_BODY, m, n, maxw);
        t = PUSH(f, llines, nllines, capllines);
        if (!t) return -1;
        *t = (lv_tline){m, k, pad, y, LV_FONT_BODY, LV_C_TEXT};
        y += lh;
        while (k < n && (m[k] == ' ' || m[k] == '\n'))
            k++;
        m += k;
        n -= k;
    }
    f->lesson.h = y + pad / 2 - f->header.h;
    return 0;
}

static int default_measure(void *ctx, lv_font_id font, const char *s, size_t n) {
    (void)ctx;
    (void)font;
    (void)s;
    return (int)n * 9;
}

/* ---- the overview's layout: a fixed number of cells per pixel column ---- */

/* Whether the view is zoomed out far enough for the scene's overview: warped time, and every
 * pixel column spans at least LV_OVERVIEW_PER_PX cells. */
static int use_overview(const lv_frame *f, const lv_scene *s) {
    const lv_overview *o = s->ov;
    int w = f->x1 - f->x0;
    return o && !s->linear && w > 0 && (f->d1 - f->d0) / w >= LV_OVERVIEW_PER_PX * o->cell;
}

/* The cell a display position's column edge starts at: the first cell whose centre is at or
 * after d, in [0, ncells]. */
static size_t ov_cell_from(const lv_overview *o, double d) {
    double c = ceil((d - o->d0) / o->cell - 0.5);
    if (!(c > 0)) return 0;
    return c >= (double)o->ncells ? o->ncells : (size_t)c;
}

/* cut[i], i = 0 .. w: column i of the area holds cells [cut[i], cut[i + 1]); the first and
 * the last column also hold the cells the area's edges cut through. */
static void ov_columns(const lv_frame *f, const lv_overview *o, int w, int64_t *cut) {
    double px = (f->d1 - f->d0) / w;
    for (int i = 1; i < w; i++)
        cut[i] = (int64_t)ov_cell_from(o, f->d0 + i * px);
    double a = floor((f->d0 - o->d0) / o->cell), b = ceil((f->d1 - o->d0) / o->cell);
    double n = (double)o->ncells;
    cut[0] = a > 0 ? (int64_t)(a < n ? a : n) : 0;
    cut[w] = b > 0 ? (int64_t)(b < n ? b : n) : 0;
}

static int lay_bands_ov(lv_frame *f, const lv_scene *s, raster *r, const int64_t *cut,
                        const lv_lane *ln) {
    const lv_overview *o = s->ov;
    size_t base = (size_t)ln->thread * o->ncells;
    const uint8_t *prio = o->prio + base;
    for (int i = 0; i < r->w; i++) {
        uint8_t p = 0;
        for (int64_t c = cut[i]; c < cut[i + 1]; c++)
            if (prio[c] > p) p = prio[c];
        if (!p) continue;
        r->col[i] = prio_color(p);
        r->prio[i] = p;
    }
    if (raster_emit(f, r, f->x0, ln->band.y, ln->band.h)) return -1;
    int rowh = ln->holds.h / LV_HOLD_ROWS;
    for (int row = 0; row < LV_HOLD_ROWS && rowh > 0; row++) {
        const uint32_t *hold = o->hold[row] + base;
        const uint8_t *color = o->hold_color[row] + base;
        for (int i = 0; i < r->w; i++) { /* the later hold wins a column */
            uint32_t k = 0;
            int64_t at = 0;
            for (int64_t c = cut[i]; c < cut[i + 1]; c++)
                if (hold[c] > k) {
                    k = hold[c];
                    at = c;
                }
            if (!k) continue;
            r->col[i] = color[at];
            r->prio[i] = 1;
        }
        if (raster_emit(f, r, f->x0, ln->holds.y + row * rowh, rowh - (rowh > 3))) return -1;
    }
    return 0;
}

/* The pixel a cell's centre rounds to. */
static int ov_px(const lv_frame *f, const lv_overview *o, size_t c) {
    double d = o->d0 + ((double)c + 0.5) * o->cell;
    return iround(f->x0 + (d - f->d0) / (f->d1 - f->d0) * (f->x1 - f->x0));
}

/* At most one tick per pixel: the first access of the first cell that has one; from a pixel
 * before the area to one after it, as the exact layout. */
static int lay_access_ov(lv_frame *f, const lv_scene *s, const lv_lane *ln) {
    const lv_overview *o = s->ov;
    size_t base = (size_t)ln->thread * o->ncells;
    const uint32_t *acc = o->access + base;
    const uint8_t *wr = o->access_write + base;
    double px = (f->d1 - f->d0) / (f->x1 - f->x0);
    size_t end = ov_cell_from(o, f->d1 + px);
    int last = INT32_MIN;
    for (size_t c = ov_cell_from(o, f->d0 - px); c < end; c++) {
        if (acc[c] == LV_SEQ_NONE) continue;
        int x = ov_px(f, o, c);
        if (x == last) continue;
        last = x;
        lv_marker *m = PUSH(f, marks, nmarks, capmarks);
        if (!m) return -1;
        *m = (lv_marker){x, ln->band.y + ln->band.h / 2, acc[c],
                         wr[c] ? LV_MARK_WRITE : LV_MARK_READ};
    }
    return 0;
}

/* lay_arrows through the overview: the hand-offs released in each cell, at most
 * LV_ARROWS_PER_PX a pixel column, placed from their display positions without a search. */
static int lay_arrows_ov(lv_frame *f, const lv_scene *s, int64_t tv0, int64_t tv1) {
    const lv_overview *o = s->ov;
    int *last_x = arrow_lanes(f);
    if (!last_x) return -1;
    double span = f->d1 - f->d0, w = f->x1 - f->x0, dv0 = lv_scene_d(s, tv0);
    size_t c = ov_cell_from(o, lv_scene_d(s, tv0 - s->handoff_gap)), end = o->ncells;
    c = c > 0 ? c - 1 : 0;
    double dv1 = lv_scene_d(s, tv1);
    int rc = 0, px = INT32_MIN, in_px = 0;
    for (; c < end && rc == 0; c++) {
        int col = (int)floor(f->x0 + (o->d0 + ((double)c + 0.5) * o->cell - f->d0) / span * w);
        if (col != px) {
            px = col;
            in_px = 0;
        }
        /* a full column's other cells are passed over without touching their hand-offs */
        for (uint32_t i = o->handoff_from[c]; i < o->handoff_from[c + 1]; i++) {
            if (in_px++ >= LV_ARROWS_PER_PX) break;
            const lv_ov_handoff *h = &o->hand[i];
            if (h->rel_d > dv1) {
                c = end;
                break;
            }
            if (h->acq_d < dv0) continue;
            const lv_lane *lr = lane_of(f, h->rel_thread), *la = lane_of(f, h->acq_thread);
            if (!lr || !la) continue;
            int x0 = iround(f->x0 + (h->rel_d - f->d0) / span * w);
            int x1 = iround(f->x0 + (h->acq_d - f->d0) / span * w);
            if (put_arrow(f, last_x, lr, la, x0, x1, h->rel, h->acq, h->obj)) {
                rc = -1;
                break;
            }
        }
    }
    free(last_x);
    return rc;
}

/* ---- the lanes' time part, and its memo ---- */

/* Bands, holds, notes, hand-off arrows, access ticks, the finding and stale-read markers:
 * everything that depends on the view but not on the playhead (the axis is geom_axis.c's). */
static int lay_time_part(lv_frame *f, const lv_scene *s, const lv_viewport *vp, raster *r,
                         int64_t tv0, int64_t tv1) {
    const lv_trace *tr = s->tr;
    int ov = f->overview = use_overview(f, s);
    if (ov) {
        r->npx = 0; /* no pixel edges: the few notes placed find their x in the warp */
        ov_columns(f, s->ov, r->w, r->tge);
    } else {
        column_edges(f, s, r);
    }
    for (size_t i = 0; i < f->nlanes; i++) {
        if (ov ? lay_bands_ov(f, s, r, r->tge, &f->lanes[i])
               : lay_bands(f, s, r, &f->lanes[i], tv0, tv1))
            return -1;
        if (lay_notes(f, s, r, vp, &f->lanes[i], tv0, tv1)) return -1;
    }
    if (ov ? lay_arrows_ov(f, s, tv0, tv1) : lay_arrows(f, s, tv0, tv1)) return -1;
    if (vp->highlight >= 0 && (size_t)vp->highlight < tr->nfindings) {
        const lv_finding *fd = &tr->findings[vp->highlight];
        for (size_t k = 0; k < fd->nevents; k++)
            if (add_mark(f, s, fd->events[k], LV_MARK_FINDING)) return -1;
    }
    for (size_t i = 0; i < f->nlanes; i++)
        if (ov ? lay_access_ov(f, s, &f->lanes[i]) : lay_access(f, s, r, &f->lanes[i], tv0, tv1))
            return -1;
    if (lv__lesson_stale_marks(f, s, tv0, tv1) || lv__lesson_lay(f, s)) return -1;
    return 0;
}

static int rect_eq(lv_rect a, lv_rect b) {
    return a.x == b.x && a.y == b.y && a.w == b.w && a.h == b.h;
}

/* Compared field by field (not with memcmp: padding), lanes and all. */
static int memo_same(const lv_frame_memo *m, const lv_frame_memo *k, const lv_lane *lanes,
                     size_t nlanes) {
    if (!m->valid || m->serial != k->serial || m->linear != k->linear || m->lang != k->lang ||
        m->highlight != k->highlight || m->x0 != k->x0 || m->x1 != k->x1 ||
        m->line_note != k->line_note || m->d0 != k->d0 || m->d1 != k->d1 || m->scale != k->scale ||
        m->tv0 != k->tv0 || m->tv1 != k->tv1 || m->measure != k->measure ||
        m->measure_ctx != k->measure_ctx || m->nlanes != nlanes)
        return 0;
    for (size_t i = 0; i < nlanes; i++) {
        const lv_lane *a = &m->lanes[i], *b = &lanes[i];
        if (a->thread != b->thread || !rect_eq(a->r, b->r) || !rect_eq(a->notes, b->notes) ||
            !rect_eq(a->band, b->band) || !rect_eq(a->holds, b->holds) ||
            !rect_eq(a->marks, b->marks) || !rect_eq(a->label, b->label))
            return 0;
    }
    return 1;
}

/* Remembers what f's time part was laid out for (or nothing, when the copy fails). */
static void memo_save(lv_frame_memo *m, const lv_frame_memo *k, const lv_frame *f) {
    lv_lane *lanes = m->lanes;
    size_t cap = m->caplanes;
    if (lv_grow((void **)&lanes, &cap, sizeof *lanes, f->nlanes + 1)) return;
    *m = *k;
    m->lanes = lanes;
    m->caplanes = cap;
    memcpy(lanes, f->lanes, f->nlanes * sizeof *lanes);
    m->nlanes = f->nlanes;
    m->nfills = f->nfills;
    m->nlabels = f->nlabels;
    m->narrows = f->narrows;
    m->nmarks = f->nmarks;
    m->ndropped = f->ndropped;
    m->total_dropped = f->total_dropped;
    m->nticks = f->nticks;
    m->nbreaks = f->nbreaks;
    m->valid = 1;
}

lv_err lv_frame_layout(lv_frame *f, const lv_scene *s, const lv_viewport *vp_in) {
    lv_viewport vpc = *vp_in;
    const lv_viewport *vp = &vpc;
    if (!vpc.measure) vpc.measure = default_measure;
    const lv_trace *tr = s->tr;
    double sc = vp->scale > 0 ? vp->scale : lv_ui_scale(vp->w, vp->h, 1);
    f->scale = sc;
    for (int i = 0; i < LV_FONT__COUNT; i++) {
        f->font_px[i] = lv_font_px((lv_font_id)i, sc);
        f->line_h[i] = vp->line_h[i] > 0 ? vp->line_h[i] : iround(f->font_px[i] * 1.2);
    }
    f->nlanes = f->nfills = f->nlabels = f->narrows = f->nmarks = f->nticks = 0;
    f->ndropped = f->total_dropped = 0;
    f->hidden_lanes = 0;
    f->hover_seq = -1;
    f->future = vp->future > 0 && vp->future < LV_FUTURE__COUNT ? vp->future : LV_FUTURE_SHOW;
    f->reveal_seq = vp->seq;
    int W = vp->w, H = vp->h, pad = iround(10 * sc);

    f->header = (lv_rect){0, 0, W, f->line_h[LV_FONT_TITLE] + iround(18 * sc)};
    lay_header(f, s, vp);

    if (lay_lesson(f, vp) != 0) return LV_ENOMEM;
    int top_h = f->header.h + f->lesson.h; /* where the timeline and objects begin */

    int axis_h = f->line_h[LV_FONT_NOTE] + iround(8 * sc);
    /* lanes: never lower than a label; comfortable with a row of notes above the band */
    int lane_min = f->line_h[LV_FONT_LABEL] + iround(6 * sc);
    int lane_ok =
        f->line_h[LV_FONT_NOTE] + iround(14 * sc) + LV_HOLD_ROWS * iround(4 * sc) + iround(6 * sc);
    /* the findings panel: what it needs, within what the lanes leave */
    /* as high as the whole run's findings need, so the lanes keep still as they appear */
    int need = f->future != LV_FUTURE_SHOW ? whole_findings_h(f, s, vp, W) : 0;
    int now = need < 0 ? -1 : lay_findings(f, s, vp, W);
    if (now < 0) return LV_ENOMEM;
    if (now > need) need = now;
    int lanes_need = (int)tr->nthreads * lane_ok + axis_h + iround(8 * sc);
    int maxh = H - top_h - lanes_need;
    if (maxh < iround(0.22 * H)) maxh = iround(0.22 * H);
    if (maxh > iround(0.45 * H)) maxh = iround(0.45 * H);
    int fh = need < maxh ? need : maxh;
    /* a deadlock's table is never cut at the bottom: the panel grows for it, up to half */
    int table_h = f->detail_finding >= 0 ? f->detail.h + iround(10 * sc) : 0;
    if (fh < table_h) fh = table_h < H / 2 ? table_h : H / 2;
    if (vp->findings_h > 0) fh = vp->findings_h < H / 2 ? vp->findings_h : H / 2;
    f->findings = (lv_rect){0, H - fh, W, fh};
    place_findings(f, tr, f->findings.y, H);

    int obj_w = iround(0.25 * W);
    if (obj_w < iround(220 * sc)) obj_w = iround(220 * sc);
    if (obj_w > iround(420 * sc)) obj_w = iround(420 * sc);
    int bar_h = vp->sched_bar_h > 0 ? vp->sched_bar_h : 0;
    int msg_h = lv__message_bar(f, vp, f->findings.y - bar_h); /* messages: a bar, not on lanes */
    f->objects = (lv_rect){W - obj_w, top_h, obj_w, f->findings.y - top_h - bar_h - msg_h};
    f->timeline = (lv_rect){0, top_h, W - obj_w, f->findings.y - top_h - bar_h - msg_h};
    f->sched_bar = (lv_rect){0, f->findings.y - bar_h, W, bar_h};

    /* the label column fits each name, and under it what the thread waits for */
    int label_w = iround(110 * sc), longest = 0;
    for (size_t i = 0; i < tr->nthreads; i++) {
        int lw = measure_str(vp, LV_FONT_LABEL, tr->threads[i].name) + 2 * pad;
        int nw = measure_str(vp, LV_FONT_NOTE, tr->threads[i].name);
        if (lw > label_w) label_w = lw;
        if (nw > longest) longest = nw;
    }
    for (size_t i = 0; i < tr->nobjects; i++) {
        int nw = measure_str(vp, LV_FONT_NOTE, tr->objects[i].name);
        if (nw > longest) longest = nw;
    }
    char wf[64];
    /* with a deadlock's cycle, the longer words of its bystanders */
    snprintf(wf, sizeof wf,
             lv_tr(vp->lang, s->cycle_finding >= 0 ? LV_T_BYSTANDER : LV_T_WAITS_FOR), "");
    int sw =
        measure_str(vp, LV_FONT_NOTE, "● ") + measure_str(vp, LV_FONT_NOTE, wf) + longest + 2 * pad;
    if (sw > label_w) label_w = sw;
    if (label_w > f->timeline.w / 4) label_w = f->timeline.w / 4;
    if (vp->label_w > 0) label_w = vp->label_w;
    int col_w = vp->sched_col_w > 0 ? vp->sched_col_w : 0;
    if (col_w > f->timeline.w / 2) col_w = f->timeline.w / 2;
    f->axis = (lv_rect){label_w, f->timeline.y + f->timeline.h - axis_h,
                        f->timeline.w - label_w - pad - col_w, axis_h};
    f->sched_col = (lv_rect){f->timeline.w - col_w, f->timeline.y, col_w, f->timeline.h};
    int top = f->timeline.y + iround(4 * sc);
    f->area = (lv_rect){label_w, top, f->axis.w, f->axis.y - top};
    lv__lesson_reserve(f, s, lane_min);
    f->x0 = f->area.x;
    f->x1 = f->area.x + f->area.w;

    /* the visible time range in display units */
    int64_t t0 = vp->t0, t1 = vp->t1;
    if (t1 <= t0) {
        t0 = s->t_first;
        t1 = s->t_end;
    }
    f->d0 = lv_scene_d(s, t0);
    f->d1 = lv_scene_d(s, t1);
    if (f->d1 <= f->d0) f->d1 = f->d0 + 1;
    int64_t tv0 = lv_frame_t(f, s, f->x0 - 1), tv1 = lv_frame_t(f, s, f->x1 + 1);

    /* lanes: as tall as fits, between lane_min and lane_max; the rest scroll */
    size_t nt = tr->nthreads;
    int first = vp->lane_scroll;
    if (first < 0 || (size_t)first >= (nt ? nt : 1)) first = 0;
    f->first_lane = first;
    int lane_max = iround(130 * sc);
    int lh = nt > (size_t)first ? f->area.h / (int)(nt - (size_t)first) : lane_max;
    if (lh > lane_max) lh = lane_max;
    if (lh < lane_min) lh = lane_min;
    size_t fit = (size_t)(f->area.h / lh);
    size_t shown = nt - (size_t)first < fit ? nt - (size_t)first : fit;
    f->hidden_lanes = nt - shown;
    if (lv_grow((void **)&f->lanes, &f->caplanes, sizeof *f->lanes, shown + 1)) return LV_ENOMEM;
    int any_holds = 0;
    for (size_t i = 0; i < s->nthreads && !any_holds; i++)
        any_holds = s->th[i].nholds > 0;
    int gap = iround(2 * sc), holds_h = any_holds ? LV_HOLD_ROWS * iround(4 * sc) : 0;
    for (size_t i = 0; i < shown; i++) {
        lv_lane *ln = &f->lanes[f->nlanes++];
        int y = f->area.y + (int)i * lh;
        ln->thread = (int32_t)(first + (int)i);
        ln->r = (lv_rect){0, y, f->x1, lh};
        int notes_h = f->line_h[LV_FONT_NOTE];
        /* predict mode: the answers' marks get a row of their own, so they cover no note */
        int marks_h = vp->predict ? f->line_h[LV_FONT_NOTE] : 0;
        int band_h = lh - marks_h - notes_h - holds_h - (marks_h ? 4 : 3) * gap;
        if (band_h < iround(10 * sc)) { /* too low for a row of notes: hover shows them */
            notes_h = 0;
            band_h = lh - marks_h - holds_h - (marks_h ? 3 : 2) * gap;
        }
        if (band_h < iround(10 * sc)) { /* nor for marks: they go on the band, noteless */
            marks_h = 0;
            band_h = lh - holds_h - 2 * gap;
        }
        if (band_h > iround(36 * sc)) band_h = iround(36 * sc);
        int used =
            marks_h + notes_h + band_h + holds_h + (notes_h ? 2 : 1) * gap + (marks_h ? gap : 0);
        int y0 = y + (lh - used) / 2;
        ln->marks = (lv_rect){f->x0, y0, f->area.w, marks_h};
        if (marks_h) y0 += marks_h + gap;
        ln->notes = (lv_rect){f->x0, y0, f->area.w, notes_h};
        ln->band = (lv_rect){f->x0, y0 + notes_h + (notes_h ? gap : 0), f->area.w, band_h};
        ln->holds = (lv_rect){f->x0, ln->band.y + band_h + gap, f->area.w, holds_h};
        ln->label = (lv_rect){pad, y, label_w - 2 * pad, lh};
    }

    /* bands, holds, notes: bounded by pixels through the column raster */
    int rw = f->area.w > 0 ? f->area.w : 1;
    size_t edges = (2 * ((size_t)rw + 1) + (size_t)rw + 5) * sizeof(int64_t);
    if (lv_grow((void **)&f->scratch, &f->capscratch, 1, edges + 2 * (size_t)rw)) return LV_ENOMEM;
    memset(f->scratch + edges, 0, 2 * (size_t)rw);
    int64_t *e64 = (int64_t *)(void *)f->scratch;
    raster r = {f->scratch + edges, f->scratch + edges + rw, rw,        e64,
                e64 + rw + 1,       e64 + 2 * (rw + 1),      f->x0 - 2, rw + 5};
    f->nfills = f->nlabels = f->narrows = f->nmarks = f->ndropped = f->total_dropped = 0;
    f->nticks = f->nbreaks = 0;
    lv_frame_memo key = {.valid = 1,
                         .serial = s->serial,
                         .linear = s->linear,
                         .lang = vp->lang,
                         .highlight = vp->highlight,
                         .x0 = f->x0,
                         .x1 = f->x1,
                         .line_note = f->line_h[LV_FONT_NOTE],
                         .d0 = f->d0,
                         .d1 = f->d1,
                         .scale = sc,
                         .tv0 = tv0,
                         .tv1 = tv1,
                         .measure = vp->measure,
                         .measure_ctx = vp->measure_ctx};
    lv_frame_memo *m = &f->memo;
    if (memo_same(m, &key, f->lanes, f->nlanes)) {
        f->nfills = m->nfills;
        f->nlabels = m->nlabels;
        f->narrows = m->narrows;
        f->nmarks = m->nmarks;
        f->ndropped = m->ndropped;
        f->total_dropped = m->total_dropped;
        f->nticks = m->nticks;
        f->nbreaks = m->nbreaks;
    } else {
        m->valid = 0;
        if (lay_time_part(f, s, vp, &r, tv0, tv1)) return LV_ENOMEM;
        memo_save(m, &key, f);
    }
    if (lv__lesson_counts(f, s, vp, tv0, tv1)) return LV_ENOMEM;
    if (vp->seq >= 0 && add_mark(f, s, (uint32_t)vp->seq, LV_MARK_PLAYHEAD)) return LV_ENOMEM;

    double px = lv_frame_x(f, s, vp->play_t);
    f->playhead_x = px >= f->x0 && px <= f->x1 ? iround(px) : -1;

    if (vp->hover_x >= 0 && vp->hover_y >= 0)
        f->hover_seq = lv_hit_event(f, s, vp->hover_x, vp->hover_y, iround(8 * sc));
    lv__lay_axis(f, s, vp);
    if (lv__lay_story(f, s, vp)) return LV_ENOMEM;
    return LV_OK;
}

void lv_frame_free(lv_frame *f) {
    if (!f) return;
    free(f->lanes);
    free(f->fills);
    free(f->labels);
    free(f->arrows);
    free(f->marks);
    free(f->flines);
    free(f->frows);
    free(f->llines);
    free(f->counts);
    free(f->scratch);
    free(f->memo.lanes);
    free(f->waits);
    memset(f, 0, sizeof *f);
}

/* ---- hit testing ---- */

int32_t lv_hit_lane(const lv_frame *f, int x, int y) {
    for (size_t i = 0; i < f->nlanes; i++)
        if (lv_rect_has(f->lanes[i].r, x, y)) return f->lanes[i].thread;
    return -1;
}

/* A thread's events, searched by their x on the frame. */
typedef struct evx {
    const lv_frame *f;
    const lv_scene *s;
    const lv_thread_geo *g;
    double above; /* the predicate: x > above */
    size_t hint;
} evx;

static double ev_x(evx *q, size_t k) {
    return lv_frame_x_near(q->f, q->s, q->s->tr->events[q->g->events[k]].t, &q->hint);
}
static int ev_x_above(void *ctx, size_t k) {
    evx *q = ctx;
    return ev_x(q, k) > q->above;
}

/* The event nearest to x, ties to the later one. x grows with the events, so the nearest is
 * the last one at or left of x, or the first right of it (the last of those sharing its x). */
long lv_hit_event(const lv_frame *f, const lv_scene *s, int x, int y, int radius) {
    int32_t th = lv_hit_lane(f, x, y);
    if (th < 0 || x < f->x0 - radius || x > f->x1 + radius) return -1;
    const lv_thread_geo *g = &s->th[th];
    const lv_trace *tr = s->tr;
    int64_t lo_t = lv_frame_t(f, s, x - radius);
    size_t lo;
    LV_FIRST_FALSE(0, g->nevents, i, tr->events[g->events[i]].t < lo_t, lo);
    evx q = {f, s, g, x, 0};
    size_t r = first_true(lo, g->nevents, ev_x_above, &q); /* the first right of x */
    long best = -1;
    double bd = radius + 0.5;
    if (r > lo) {
        double d = fabs(ev_x(&q, r - 1) - x);
        if (d <= bd) {
            bd = d;
            best = g->events[r - 1];
        }
    }
    if (r < g->nevents) {
        double ex = ev_x(&q, r);
        if (ex <= x + radius && fabs(ex - x) <= bd) {
            q.above = ex;
            size_t last = first_true(r + 1, g->nevents, ev_x_above, &q) - 1;
            best = g->events[last];
        }
    }
    return best;
}

int lv_hit_finding(const lv_frame *f, int x, int y) {
    for (size_t i = 0; i < f->nfrows; i++)
        if (lv_rect_has(f->frows[i].r, x, y)) return f->frows[i].finding;
    return -1;
}

int lv_hit_button(const lv_frame *f, int x, int y) {
    for (int i = 0; i < LV_BTN__COUNT; i++)
        if (lv_rect_has(f->buttons[i], x, y)) return i;
    return -1;
}
