/* The lanes' time part at full detail: each lane's state band and lock-hold rows through the
 * pixel-column raster, its note labels, the hand-off arrows between lanes, access ticks and
 * markers, and (lv__lay_time_part) the whole time part, from the overview when the view is
 * zoomed out far (geom_overview.c). Bounded by pixels: searches skip what shares a pixel. */
#include <stdlib.h>
#include <string.h>
#include "geom.h"
#include "layout_impl.h"

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

static int lay_bands(lv_frame *f, const lv_scene *s, raster *r, const lv_lane *ln, int64_t tv0,
                     int64_t tv1) {
    const lv_thread_geo *g = &s->th[ln->thread];
    ivals v = {.f = f, .s = s, .spans = g->spans, .r = r, .smp = g->span_t0s};
    /* the spans in view: end after tv0, begin before tv1 */
    v.tv0 = tv0;
    size_t k0 = lv__first_true(0, g->nspans, t1_after, &v);
    v.tv0 = tv1;
    size_t k1 = lv__first_true(k0, g->nspans, t0_ge, &v);
    size_t lo = k0, hi = k0, n = g->nspans;
    for (int i = 0; i < r->w && lo < k1; i++) {
        v.c = i + 1;
        hi = lv__first_ge(hi, k1, v.smp, r->tge[i + 1], x0_ge, &v);
        v.c = i;
        lo = lv__first_true(lo, hi, covers_or_after, &v);
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
        r->col[i] = lv__prio_color(p);
        r->prio[i] = p;
    }
    if (lv__raster_emit(f, r, f->x0, ln->band.y, ln->band.h)) return -1;
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
        size_t m1 = lv__first_true(0, g->nrow_holds[row], t0_ge, &h);
        h.tv0 = tv0;
        size_t hi2 = 0, mid = 0;
        for (int i = 0; i < r->w && m1 > 0; i++) {
            h.c = i + 1;
            hi2 = lv__first_ge(hi2, m1, h.smp, r->tge[i + 1], x0_ge, &h);
            long best;
            if (i == 0) {
                h.c = 0;
                best = last_end_ok(&h, g, row, 0, hi2, 1);
            } else {
                h.c = i;
                mid = lv__first_ge(mid, hi2, h.smp, r->tge[i], x0_ge,
                                   &h); /* [mid, hi2) begin in this column */
                best = last_end_ok(&h, g, row, mid, hi2, 0);
                if (best < 0) best = last_end_ok(&h, g, row, 0, mid, 1);
            }
            if (best < 0) continue;
            r->col[i] = (uint8_t)lv_hold_color(g->holds[h.idx[best]].obj);
            r->prio[i] = 1;
        }
        if (lv__raster_emit(f, r, f->x0, ln->holds.y + row * rowh, rowh - (rowh > 3))) return -1;
    }
    return 0;
}

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
        q->t =
            lv__time_of_edge(q->f, q->s, px - q->off, EDGE_PX,
                             lv_frame_t_near(q->f, q->s, px - q->off - 0.5, &q->thint), &q->hint);
    if (q->t <= t0) return a;
    return lv__first_ge(a, b, q->smp, q->t, t_ge, q);
}

typedef struct after_seq {
    const uint32_t *seq;
    long last; /* the last seq shown */
} after_seq;
static int seq_after(void *ctx, size_t k) {
    const after_seq *a = ctx;
    return (long)a->seq[k] > a->last;
}

size_t lv__notes_upto(const lv_scene *s, long seq) {
    size_t n = 0;
    for (size_t t = 0; t < s->tr->nthreads; t++) {
        after_seq a = {s->th[t].notes, seq};
        n += lv__first_true(0, s->th[t].nnotes, seq_after, &a);
    }
    return n;
}

static void drop_notes(lv_frame *f, const uint32_t *notes, size_t a, size_t b) {
    for (size_t i = a; i < b && f->ndropped < LV_DROPPED_MAX; i++)
        f->dropped[f->ndropped++] = notes[i];
    f->total_dropped += b - a;
}

/* Labels left to right, each where its note is, within the room between the last label and
 * the next note (lv_fit_note: whole after its tick, whole before it, its first language, cut);
 * while what lies after the playhead is hidden, only the notes up to it.
 * Notes that find no room are dropped; those in a row are counted, not visited: a note left
 * of the last label's end, or sharing its pixel with the next note, never gets a label. */
static int lay_notes(lv_frame *f, const lv_scene *s, const raster *r, const lv_viewport *vp,
                     const lv_lane *ln, int64_t tv0, int64_t tv1) {
    const lv_thread_geo *g = &s->th[ln->thread];
    const lv_trace *tr = s->tr;
    int gap = iround(6 * f->scale), off = iround(4 * f->scale);
    int right = f->x1;
    int min_w = measure_str(vp, LV_FONT_NOTE, "ab…");
    int prev_end = INT32_MIN / 2;
    seqs q = {f, s, g->notes, tv0, off, 0, 0, g->note_ts, r};
    size_t i = lv__first_true(0, g->nnotes, t_ge, &q);
    q.t = tv1;
    size_t end = lv__first_true(i, g->nnotes, t_gt, &q);
    if (f->future == LV_FUTURE_HIDE) { /* notes not reached yet take no room from those shown */
        after_seq a = {g->notes, f->reveal_seq};
        end = lv__first_true(i, end, seq_after, &a);
    }
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
        int lo = prev_end + gap > f->x0 ? prev_end + gap : f->x0;
        lv_label lb = {g->notes[i], 0, ln->notes.y, 0, 0, 0, 0};
        if (txt && ln->notes.h > 0 &&
            lv_fit_note(vp->measure, vp->measure_ctx, txt, x - off, off, lo, next, &lb)) {
            lv_label *p = PUSH(f, labels, nlabels, caplabels);
            if (!p) return -1;
            *p = lb;
            prev_end = lb.x + lb.w > lb.tick_x ? lb.x + lb.w : lb.tick_x;
        } else {
            drop_notes(f, g->notes, i, i + 1);
        }
        i++;
    }
    return 0;
}

const lv_lane *lv__lane_of(const lv_frame *f, int32_t thread) {
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
int *lv__arrow_lanes(const lv_frame *f) {
    int *last_x = malloc((f->nlanes ? f->nlanes : 1) * sizeof *last_x);
    for (size_t i = 0; last_x && i < f->nlanes; i++)
        last_x[i] = INT32_MIN / 2;
    return last_x;
}

/* The arrow of a hand-off from lane lr at x0 to lane la at x1, unless la has one within a
 * pixel of x1 already (one arrow per pixel per lane); -1 without memory. */
int lv__put_arrow(lv_frame *f, int *last_x, const lv_lane *lr, const lv_lane *la, int x0, int x1,
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
    int *last_x = lv__arrow_lanes(f);
    if (!last_x) return -1;
    int rc = 0, px = INT32_MIN, in_px = 0;
    size_t hr = 0, ha = 0; /* warp hints: releases come in time order, acquires soon after */
    hsearch q = {s, tv0 - s->handoff_gap};
    size_t i = lv__first_true(0, s->nhandoffs, rel_ge, &q);
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
            size_t next = lv__first_true(i + 1, s->nhandoffs, rel_ge, &q);
            i = next > i + 1 ? next : i + 1;
            continue;
        }
        i++;
        if (ea->t < tv0) continue;
        const lv_lane *lr = lv__lane_of(f, er->thread), *la = lv__lane_of(f, ea->thread);
        if (!lr || !la) continue;
        int x1 = iround(lv_frame_x_near(f, s, ea->t, &ha));
        if (lv__put_arrow(f, last_x, lr, la, x0, x1, h->rel, h->acq, h->obj)) {
            rc = -1;
            break;
        }
    }
    free(last_x);
    return rc;
}

int lv__add_mark(lv_frame *f, const lv_scene *s, uint32_t seq, uint8_t kind) {
    if (seq >= s->tr->nevents) return 0;
    const lv_event *e = &s->tr->events[seq];
    const lv_lane *ln = lv__lane_of(f, e->thread);
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
    size_t i = lv__first_true(0, g->naccesses, t_ge, &q);
    q.t = tv1;
    size_t end = lv__first_true(i, g->naccesses, t_gt, &q);
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

/* ---- the whole time part ---- */

/* Bands, holds, notes, hand-off arrows, access ticks, the finding and stale-read markers:
 * everything that depends on the view but not on the playhead (the axis is geom_axis.c's). */
int lv__lay_time_part(lv_frame *f, const lv_scene *s, const lv_viewport *vp, raster *r, int64_t tv0,
                      int64_t tv1) {
    const lv_trace *tr = s->tr;
    int ov = f->overview = lv__use_overview(f, s);
    if (ov) {
        r->npx = 0; /* no pixel edges: the few notes placed find their x in the warp */
        lv__ov_columns(f, s->ov, r->w, r->tge);
    } else {
        lv__column_edges(f, s, r);
    }
    for (size_t i = 0; i < f->nlanes; i++) {
        if (ov ? lv__lay_bands_ov(f, s, r, r->tge, &f->lanes[i])
               : lay_bands(f, s, r, &f->lanes[i], tv0, tv1))
            return -1;
        if (lay_notes(f, s, r, vp, &f->lanes[i], tv0, tv1)) return -1;
    }
    if (ov ? lv__lay_arrows_ov(f, s, tv0, tv1) : lay_arrows(f, s, tv0, tv1)) return -1;
    if (vp->highlight >= 0 && (size_t)vp->highlight < tr->nfindings) {
        const lv_finding *fd = &tr->findings[vp->highlight];
        for (size_t k = 0; k < fd->nevents; k++)
            if (lv__add_mark(f, s, fd->events[k], LV_MARK_FINDING)) return -1;
    }
    for (size_t i = 0; i < f->nlanes; i++)
        if (ov ? lv__lay_access_ov(f, s, &f->lanes[i])
               : lay_access(f, s, r, &f->lanes[i], tv0, tv1))
            return -1;
    if (lv__lesson_stale_marks(f, s, tv0, tv1) || lv__lesson_lay(f, s)) return -1;
    return 0;
}
