/* The overview of a long trace: each thread's state, lock holds and var accesses, and the
 * hand-offs, summed up once per trace on a fixed grid of display positions (O(n + cells) to
 * build, with the warp looked up in time order); and the lanes' time part laid out from it. A
 * view zoomed far out reads a few cells per pixel column instead of searching arrays of
 * millions of items, so its frame costs the same whatever the trace's length. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "geom.h"
#include "layout_impl.h"

/* The cell display position d falls in, clamped to the grid. */
static size_t cell_at(const lv_overview *o, double d) {
    double c = floor((d - o->d0) / o->cell);
    if (!(c > 0)) return 0;
    if (c >= (double)o->ncells) return o->ncells - 1;
    return (size_t)c;
}

/* The last cell an interval ending at d (exclusive) reaches, never before first. */
static size_t cell_before(const lv_overview *o, double d, size_t first) {
    double c = ceil((d - o->d0) / o->cell) - 1;
    if (!(c > (double)first)) return first;
    if (c >= (double)o->ncells) return o->ncells - 1;
    return (size_t)c;
}

/* The next cell at or after c not yet given a hold (next[c] == c when free), halving the path. */
static size_t next_free(uint32_t *next, size_t c) {
    while (next[c] != c) {
        next[c] = next[next[c]];
        c = next[c];
    }
    return c;
}

/* Each cell gets the last hold in the row that covers it: holds are laid from the last to the
 * first, each on the cells no later hold took, skipping taken cells in one jump, so a row of
 * holds that all last to the end of the trace costs O(holds + cells), not their product. */
static void lay_hold_row(const lv_scene *s, const lv_overview *o, const lv_thread_geo *g, int row,
                         uint32_t *out, uint8_t *color, uint32_t *next) {
    size_t nc = o->ncells;
    for (size_t c = 0; c <= nc; c++)
        next[c] = (uint32_t)c;
    size_t hint = 0;
    for (size_t k = g->nrow_holds[row]; k-- > 0;) {
        const lv_hold *h = &g->holds[g->row_holds[row][k]];
        if (h->t1 < h->t0) continue; /* one released at the time it was taken still shows */
        size_t a = cell_at(o, lv_scene_d_near(s, h->t0, &hint));
        size_t b = cell_before(o, lv_scene_d_near(s, h->t1, &hint), a);
        uint8_t col = (uint8_t)lv_hold_color(h->obj);
        for (size_t c = next_free(next, a); c <= b; c = next_free(next, c)) {
            out[c] = (uint32_t)(k + 1);
            color[c] = col;
            next[c] = (uint32_t)(c + 1);
        }
    }
}

static int build_thread(const lv_scene *s, lv_overview *o, size_t k, uint32_t *next) {
    const lv_thread_geo *g = &s->th[k];
    const lv_trace *tr = s->tr;
    size_t nc = o->ncells, hint = 0;
    uint8_t *prio = o->prio + k * nc;
    for (size_t i = 0; i < g->nspans; i++) {
        const lv_span *sp = &g->spans[i];
        uint8_t p = lv_state_prio(sp->state);
        if (!p) continue;
        size_t a = cell_at(o, lv_scene_d_near(s, sp->t0, &hint));
        size_t b = cell_before(o, lv_scene_d_near(s, sp->t1, &hint), a);
        for (size_t c = a; c <= b; c++)
            if (prio[c] < p) prio[c] = p;
    }
    for (int row = 0; row < LV_HOLD_ROWS; row++)
        lay_hold_row(s, o, g, row, o->hold[row] + k * nc, o->hold_color[row] + k * nc, next);
    uint32_t *acc = o->access + k * nc;
    uint8_t *wr = o->access_write + k * nc;
    hint = 0;
    for (size_t i = 0; i < g->naccesses; i++) {
        const lv_event *e = &tr->events[g->accesses[i]];
        size_t c = cell_at(o, lv_scene_d_near(s, e->t, &hint));
        if (acc[c] != LV_SEQ_NONE) continue;
        acc[c] = g->accesses[i];
        wr[c] = e->kind == LV_EV_WRITE;
    }
    return 0;
}

static int build_handoffs(const lv_scene *s, lv_overview *o) {
    const lv_trace *tr = s->tr;
    size_t nh = s->nhandoffs, nc = o->ncells;
    o->handoff_from = malloc((nc + 1) * sizeof *o->handoff_from);
    o->hand = malloc((nh ? nh : 1) * sizeof *o->hand);
    if (!o->handoff_from || !o->hand) return -1;
    size_t hr = 0, ha = 0, c = 0;
    for (size_t i = 0; i < nh; i++) {
        const lv_handoff *h = &s->handoffs[i];
        const lv_event *er = &tr->events[h->rel], *ea = &tr->events[h->acq];
        lv_ov_handoff *oh = &o->hand[i];
        *oh = (lv_ov_handoff){lv_scene_d_near(s, er->t, &hr),
                              lv_scene_d_near(s, ea->t, &ha),
                              h->rel,
                              h->acq,
                              h->obj,
                              er->thread,
                              ea->thread};
        for (size_t ci = cell_at(o, oh->rel_d); c <= ci;) /* releases come in time order */
            o->handoff_from[c++] = (uint32_t)i;
    }
    while (c <= nc)
        o->handoff_from[c++] = (uint32_t)nh;
    return 0;
}

void lv__overview_build(lv_scene *s) {
    const lv_trace *tr = s->tr;
    /* seqs with a write flag beside them, and hand-off indices, fit in 32 bits */
    if (tr->nevents < LV_OVERVIEW_MIN || tr->nevents >= UINT32_MAX || s->nw < 2) return;
    double d1 = s->wd[s->nw - 1];
    if (!(d1 > s->wd[0])) return;
    /* per thread and cell: a priority, a hold per row, an access and its kind */
    size_t per_cell = 1 + LV_HOLD_ROWS * (sizeof(uint32_t) + 1) + sizeof(uint32_t) + 1;
    size_t nc = LV_OVERVIEW_CELLS, nt = s->nthreads ? s->nthreads : 1;
    while (nc >= LV_OVERVIEW_FEWEST && nt * nc * per_cell > LV_OVERVIEW_BYTES)
        nc /= 2;
    if (nc < LV_OVERVIEW_FEWEST) return; /* hundreds of threads: every view is laid out exactly */
    lv_overview *o = calloc(1, sizeof *o);
    if (!o) return;
    o->ncells = nc;
    o->d0 = s->wd[0];
    o->cell = (d1 - o->d0) / (double)nc;
    o->prio = calloc(nt * nc, 1);
    o->access = malloc(nt * nc * sizeof *o->access);
    o->access_write = calloc(nt * nc, 1);
    for (int r = 0; r < LV_HOLD_ROWS; r++) {
        o->hold[r] = calloc(nt * nc, sizeof(uint32_t));
        o->hold_color[r] = malloc(nt * nc);
    }
    uint32_t *next = malloc((nc + 1) * sizeof *next);
    int ok = o->prio && o->access && o->access_write && next;
    for (int r = 0; r < LV_HOLD_ROWS; r++)
        ok = ok && o->hold[r] && o->hold_color[r];
    if (ok) {
        memset(o->access, 0xff, nt * nc * sizeof *o->access); /* LV_SEQ_NONE */
        for (size_t k = 0; k < s->nthreads && ok; k++)
            ok = build_thread(s, o, k, next) == 0;
        ok = ok && build_handoffs(s, o) == 0;
    }
    free(next);
    if (!ok) { /* without the memory, every view is laid out exactly: slower, still right */
        lv__overview_free(o);
        return;
    }
    s->ov = o;
}

void lv__overview_free(lv_overview *o) {
    if (!o) return;
    free(o->prio);
    for (int r = 0; r < LV_HOLD_ROWS; r++) {
        free(o->hold[r]);
        free(o->hold_color[r]);
    }
    free(o->access);
    free(o->access_write);
    free(o->handoff_from);
    free(o->hand);
    free(o);
}

/* ---- the overview's layout: a fixed number of cells per pixel column ---- */

/* Whether the view is zoomed out far enough for the scene's overview: warped time, and every
 * pixel column spans at least LV_OVERVIEW_PER_PX cells. */
int lv__use_overview(const lv_frame *f, const lv_scene *s) {
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
void lv__ov_columns(const lv_frame *f, const lv_overview *o, int w, int64_t *cut) {
    double px = (f->d1 - f->d0) / w;
    for (int i = 1; i < w; i++)
        cut[i] = (int64_t)ov_cell_from(o, f->d0 + i * px);
    double a = floor((f->d0 - o->d0) / o->cell), b = ceil((f->d1 - o->d0) / o->cell);
    double n = (double)o->ncells;
    cut[0] = a > 0 ? (int64_t)(a < n ? a : n) : 0;
    cut[w] = b > 0 ? (int64_t)(b < n ? b : n) : 0;
}

int lv__lay_bands_ov(lv_frame *f, const lv_scene *s, raster *r, const int64_t *cut,
                     const lv_lane *ln) {
    const lv_overview *o = s->ov;
    size_t base = (size_t)ln->thread * o->ncells;
    const uint8_t *prio = o->prio + base;
    for (int i = 0; i < r->w; i++) {
        uint8_t p = 0;
        for (int64_t c = cut[i]; c < cut[i + 1]; c++)
            if (prio[c] > p) p = prio[c];
        if (!p) continue;
        r->col[i] = lv__prio_color(p);
        r->prio[i] = p;
    }
    if (lv__raster_emit(f, r, f->x0, ln->band.y, ln->band.h)) return -1;
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
        if (lv__raster_emit(f, r, f->x0, ln->holds.y + row * rowh, rowh - (rowh > 3))) return -1;
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
int lv__lay_access_ov(lv_frame *f, const lv_scene *s, const lv_lane *ln) {
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
int lv__lay_arrows_ov(lv_frame *f, const lv_scene *s, int64_t tv0, int64_t tv1) {
    const lv_overview *o = s->ov;
    int *last_x = lv__arrow_lanes(f);
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
            const lv_lane *lr = lv__lane_of(f, h->rel_thread), *la = lv__lane_of(f, h->acq_thread);
            if (!lr || !la) continue;
            int x0 = iround(f->x0 + (h->rel_d - f->d0) / span * w);
            int x1 = iround(f->x0 + (h->acq_d - f->d0) / span * w);
            if (lv__put_arrow(f, last_x, lr, la, x0, x1, h->rel, h->acq, h->obj)) {
                rc = -1;
                break;
            }
        }
    }
    free(last_x);
    return rc;
}
