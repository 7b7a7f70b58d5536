/* The overview of a long trace: each thread's state, lock holds and var accesses, and the
 * hand-offs, summed up once per trace on a fixed grid of display positions. A view zoomed far
 * out reads a few cells per pixel column from it (geom_layout.c) instead of searching arrays of
 * millions of items, so its frame costs the same whatever the trace's length. O(n + cells) to
 * build, with the warp looked up in time order. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "geom.h"

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

int lv__gap_compressed(const lv_scene *s, size_t i) {
    double dt = (double)(s->wt[i + 1] - s->wt[i]);
    return dt > (s->wd[i + 1] - s->wd[i]) * 1.5;
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
