/* Time and x on a frame, and the pixel-column raster that bounds a frame's drawing cost: each
 * column's edges in time, and the runs of one colour it turns into fills. Pure. */
#include <math.h>
#include <string.h>
#include "geom.h"
#include "layout_impl.h"

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

/* ---- pixel-column rasterizing: the bound on drawing cost ---- */

static double rel_x(const lv_frame *f, const lv_scene *s, int64_t t, size_t *hint) {
    return lv_frame_x_near(f, s, t, hint) - f->x0;
}

static int edge_ok(const lv_frame *f, const lv_scene *s, int c, int how, int64_t t, size_t *hint) {
    if (how == EDGE_PX) return iround(lv_frame_x_near(f, s, t, hint)) >= c;
    double x = rel_x(f, s, t, hint);
    return how == EDGE_GT ? x > c : x >= c;
}

/* The least time t whose x - x0 is >= c (EDGE_GT: > c; EDGE_PX: whose pixel, the rounded x,
 * is >= c), from a guess; x grows with t. */
int64_t lv__time_of_edge(const lv_frame *f, const lv_scene *s, int c, int how, int64_t guess,
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

void lv__column_edges(const lv_frame *f, const lv_scene *s, raster *r) {
    size_t hint = 0, thint = 0;
    for (int k = 0; k < r->npx; k++) {
        int px = r->px0 + k, c = px - f->x0;
        r->tpx[k] =
            lv__time_of_edge(f, s, px, EDGE_PX, lv_frame_t_near(f, s, px - 0.5, &thint), &hint);
        if (c < 0 || c > r->w) continue;
        int64_t t =
            lv__time_of_edge(f, s, c, EDGE_GE, lv_frame_t_near(f, s, f->x0 + c, &thint), &hint);
        r->tge[c] = t;
        r->tgt[c] = rel_x(f, s, t, &hint) > c ? t : lv__time_of_edge(f, s, c, EDGE_GT, t, &hint);
    }
}

int lv__raster_emit(lv_frame *f, raster *r, int x, int y, int h) {
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

/* The colour of the state whose lv_state_prio is p. */
uint8_t lv__prio_color(uint8_t p) {
    static const uint8_t state_of_prio[5] = {LV_TS_NOT_STARTED, LV_TS_FINISHED, LV_TS_RUNNING,
                                             LV_TS_SLEEPING, LV_TS_BLOCKED};
    return (uint8_t)lv_state_color((lv_tstate)state_of_prio[p < 5 ? p : 0]);
}
