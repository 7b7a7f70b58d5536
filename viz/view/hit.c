/* Hit testing on a laid-out frame: which lane, event, finding row or button is under a point. */
#include <math.h>
#include "geom.h"
#include "layout_impl.h"
#include "search.h"

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
    size_t r = lv__first_true(lo, g->nevents, ev_x_above, &q); /* the first right of x */
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
            size_t last = lv__first_true(r + 1, g->nevents, ev_x_above, &q) - 1;
            best = g->events[last];
        }
    }
    return best;
}

long lv_hit_note(const lv_frame *f, int x, int y) {
    for (size_t i = 0; i < f->nlabels; i++) {
        const lv_label *lb = &f->labels[i];
        if (lv_rect_has((lv_rect){lb->x, lb->y, lb->w, f->line_h[LV_FONT_NOTE]}, x, y))
            return lb->seq;
    }
    return -1;
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
