/* The story as it plays: what lies after the playhead (hidden, faint or shown), findings that
 * appear when their last event is reached, the deadlock's cycle (its lanes, its locks, the
 * wait-for arrows between its lanes, the bystanders waiting for its locks), and the step view,
 * a scene whose events stand one column each. Pure, like the rest of the frame's layout. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "grow.h"
#include "geom.h"
#include "search.h"

const lv_trace *lv_scene_real(const lv_scene *s) {
    return s->real ? s->real : s->tr;
}

int lv_finding_reached(const lv_scene *s, size_t i, long seq) {
    if (i >= s->tr->nfindings) return 0;
    uint32_t last = s->finding_seq[i];
    if (last == LV_SEQ_NONE) return seq >= (long)s->tr->nevents - 1;
    return (long)last <= seq;
}

/* ---- the step view ---- */

lv_err lv__scene_build(const lv_trace *tr, const lv_trace *other, const lv_trace *real,
                       lv_scene **out);

lv_err lv_scene_new_view(const lv_trace *tr, int mode, lv_scene **out) {
    if (mode != LV_TIME_STEPS) {
        lv_err e = lv_scene_new(tr, out);
        if (e == LV_OK) (*out)->linear = mode == LV_TIME_LINEAR ? LV_TIME_LINEAR : LV_TIME_WARPED;
        return e;
    }
    *out = NULL;
    lv_trace *c = malloc(sizeof *c);
    if (!c) return LV_ENOMEM;
    *c = *tr; /* borrows every string and table of tr: only the events are its own */
    c->events = malloc((tr->nevents ? tr->nevents : 1) * sizeof *c->events);
    if (!c->events) {
        free(c);
        return LV_ENOMEM;
    }
    for (size_t i = 0; i < tr->nevents; i++) {
        c->events[i] = tr->events[i];
        c->events[i].t = (int64_t)i * LV_STEP_NS;
    }
    lv_err e = lv__scene_build(c, NULL, tr, out);
    if (e != LV_OK) {
        free(c->events);
        free(c);
        return e;
    }
    (*out)->steps_tr = c;
    (*out)->linear = LV_TIME_STEPS;
    return LV_OK;
}

/* Where a sleep (event e of s->tr) ends: after its value, or in the step view at the first
 * event at or after its real end (the scene's end when none is). */
int64_t lv__sleep_end(const lv_scene *s, const lv_event *e) {
    int64_t d = e->value > 0 ? e->value : 0;
    if (!s->real) return e->t + d;
    const lv_trace *r = s->real;
    int64_t end = r->events[e->seq].t + d;
    size_t j;
    LV_FIRST_FALSE(e->seq, r->nevents, i, r->events[i].t < end, j);
    return j < r->nevents ? (int64_t)j * LV_STEP_NS : s->t_end;
}

/* ---- the deadlock's cycle ---- */

int lv__cycle_build(lv_scene *s) {
    const lv_trace *tr = s->tr;
    s->cycle_finding = -1;
    s->th_role = calloc(tr->nthreads ? tr->nthreads : 1, 1);
    s->obj_cycle = calloc(tr->nobjects ? tr->nobjects : 1, 1);
    if (!s->th_role || !s->obj_cycle) return -1;
    for (size_t i = 0; i < tr->nfindings && s->cycle_finding < 0; i++) {
        const lv_finding *f = &tr->findings[i];
        if (f->kind != LV_FIND_DEADLOCK || f->payload != LV_PAY_DEADLOCK) continue;
        const lv_deadlock_info *d = &f->data.deadlock;
        if (d->shape != LV_DL_CYCLE && d->shape != LV_DL_SELF_LOCK) continue;
        s->cycle_finding = (int)i;
        for (size_t k = 0; k < d->nsteps; k++) {
            const lv_wait_step *st = &d->steps[k];
            if (st->thread >= 0 && (size_t)st->thread < tr->nthreads)
                s->th_role[st->thread] = LV_ROLE_CYCLE;
            if (st->obj >= 0 && (size_t)st->obj < tr->nobjects) s->obj_cycle[st->obj] = 1;
            if (st->holds >= 0 && (size_t)st->holds < tr->nobjects) s->obj_cycle[st->holds] = 1;
        }
    }
    if (s->cycle_finding < 0) return 0;
    /* bystanders: stuck to the end waiting for one of the cycle's locks */
    for (size_t k = 0; k < s->nthreads; k++) {
        const lv_thread_geo *g = &s->th[k];
        if (s->th_role[k] == LV_ROLE_CYCLE || !g->nspans) continue;
        const lv_span *sp = &g->spans[g->nspans - 1];
        if (sp->state == LV_TS_BLOCKED && sp->on_obj >= 0 && (size_t)sp->on_obj < tr->nobjects &&
            s->obj_cycle[sp->on_obj])
            s->th_role[k] = LV_ROLE_BYSTANDER;
    }
    return 0;
}

/* ---- what lies after the playhead ---- */

int lv_frame_future_seq(const lv_frame *f, uint32_t seq) {
    return f->future != LV_FUTURE_SHOW && (long)seq > f->reveal_seq;
}

lv_tr_key lv_frame_outcome_word(const lv_frame *f, const lv_trace *tr, int cut, int guess) {
    if (tr->outcome == LV_OUT_COMPLETED || tr->outcome == LV_OUT_DEADLOCKED) {
        if (f->future == LV_FUTURE_HIDE && tr->nevents && f->reveal_seq < (long)tr->nevents - 1)
            return LV_T_IN_PROGRESS;
        return tr->outcome == LV_OUT_COMPLETED ? LV_T_COMPLETED : LV_T_DEADLOCKED;
    }
    return cut ? LV_T_SCHED_CUT : guess ? LV_T_PRED_CUT : LV_T_ABORTED;
}

lv_tr_key lv_frame_no_findings_words(const lv_frame *f, const lv_trace *tr) {
    if (tr->nfindings || lv_frame_outcome_word(f, tr, 0, 0) == LV_T_IN_PROGRESS)
        return LV_T_NO_FINDINGS_YET;
    return lv_no_findings_words(tr);
}

int lv_frame_future_mark(const lv_frame *f, const lv_scene *s, const lv_marker *m) {
    if (m->kind == LV_MARK_PLAYHEAD) return 0;
    uint32_t last = m->seq;
    if (m->kind == LV_MARK_STALE) /* stale once the write from it overwrote another */
        for (size_t i = 0; i < s->nlost; i++) {
            const lv_lost *l = &s->lost[i];
            if (l->stale_read != m->seq) continue;
            uint32_t e = l->bad_write > l->lost_write ? l->bad_write : l->lost_write;
            if (e > last) last = e;
        }
    return lv_frame_future_seq(f, last);
}

int lv_frame_future_lost(const lv_frame *f, const lv_scene *s, uint32_t seq) {
    if (f->future == LV_FUTURE_SHOW) return 0;
    uint32_t done = 0; /* the last event of the lost updates seq takes part in */
    for (size_t i = 0; i < s->nlost; i++) {
        const lv_lost *l = &s->lost[i];
        if (l->stale_read != seq && l->lost_write != seq && l->bad_write != seq) continue;
        uint32_t e = l->bad_write > l->lost_write ? l->bad_write : l->lost_write;
        if (l->stale_read > e) e = l->stale_read;
        if (e > done) done = e;
    }
    return (long)done > f->reveal_seq;
}

int lv_frame_future_arrow(const lv_frame *f, const lv_arrow *a) {
    return lv_frame_future_seq(f, a->acq > a->rel ? a->acq : a->rel);
}

lv_rect lv_frame_past_part(const lv_frame *f, lv_rect r) {
    if (f->future == LV_FUTURE_SHOW) return r;
    if (r.x >= f->cut_x)
        r.w = 0;
    else if (r.x + r.w > f->cut_x)
        r.w = f->cut_x - r.x;
    return r;
}

static const lv_lane *story_lane(const lv_frame *f, int32_t thread) {
    long i = (long)thread - f->first_lane;
    return i >= 0 && (size_t)i < f->nlanes ? &f->lanes[i] : NULL;
}

static int rects_meet(lv_rect a, lv_rect b) {
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/* Whether r is inside the area and meets none of the chips of waits [0, n); when strict, nor
 * the shaft of another wait's arrow. */
static int chip_free(const lv_frame *f, size_t n, lv_rect r, int strict) {
    if (r.x < f->area.x || r.x + r.w > f->area.x + f->area.w || r.y < f->area.y ||
        r.y + r.h > f->area.y + f->area.h)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (f->waits[i].label.w > 0 && rects_meet(r, f->waits[i].label)) return 0;
    for (size_t i = 0; strict && i < f->nwaits; i++) {
        const lv_wait_arrow *o = &f->waits[i];
        int lo = o->y0 < o->y1 ? o->y0 : o->y1, hi = o->y0 < o->y1 ? o->y1 : o->y0;
        int hw = (int)lround(4 * f->scale); /* the shaft with its white edge */
        if (i != n && rects_meet(r, (lv_rect){o->x - hw, lo, 2 * hw + 1, hi - lo + 1})) return 0;
    }
    return 1;
}

/* The chip of wait n naming its object: right of the arrow at mid-height, else left of it,
 * each side first at mid-height, then moved along the arrow (up and down, a line at a time)
 * until it meets no earlier chip and stays in the area, first also clear of the other arrows;
 * none (w 0) when nothing fits. */
static lv_rect wait_chip(const lv_frame *f, const lv_scene *s, const lv_viewport *vp, size_t n) {
    const lv_wait_arrow *w = &f->waits[n];
    const char *on = lv_trace_object_name(s->tr, w->obj);
    int pad = (int)lround(3 * f->scale), gap = (int)lround(6 * f->scale),
        h = f->line_h[LV_FONT_NOTE];
    int cw = (on ? vp->measure(vp->measure_ctx, LV_FONT_NOTE, on, strlen(on)) : 0) + 2 * pad;
    if (cw > f->area.w / 4) cw = f->area.w / 4; /* a long name is cut, not left out */
    int ylo = w->y0 < w->y1 ? w->y0 : w->y1, yhi = w->y0 < w->y1 ? w->y1 : w->y0;
    int mid = (ylo + yhi) / 2 - h / 2, step = h > 0 ? h : 1;
    if (yhi - ylo < h) { /* a short arrow: the chip may go a line past either end */
        ylo -= h;
        yhi += h;
    }
    int xs[2] = {w->x + gap, w->x - gap - cw};
    for (int strict = 1; strict >= 0; strict--) /* clear of the other arrows if it can be */
        for (int side = 0; side < 2; side++)
            for (int k = 0; k <= (yhi - ylo) / step + 1; k++) {
                int dy = (k + 1) / 2 * step * (k % 2 ? 1 : -1); /* 0, +1, -1, +2, -2 lines... */
                lv_rect r = {xs[side], mid + dy, cw, h};
                if (r.y < ylo || r.y + r.h > yhi) continue;
                if (chip_free(f, n, r, strict)) return r;
            }
    return (lv_rect){0, 0, 0, 0};
}

/* The cycle's waits as arrows: each at its blocked request, or where the view begins when the
 * request is left of it (the wait lasts to the end of the run). */
static int lay_waits(lv_frame *f, const lv_scene *s, const lv_viewport *vp) {
    const lv_finding *fd = &s->tr->findings[s->cycle_finding];
    const lv_deadlock_info *d = &fd->data.deadlock;
    int margin = (int)lround(8 * f->scale);
    double xend = lv_frame_x(f, s, s->t_end);
    for (size_t k = 0; k < d->nsteps; k++) {
        const lv_wait_step *st = &d->steps[k];
        if (st->obj < 0 || st->seq >= s->tr->nevents) continue;
        double xr = lv_frame_x(f, s, s->tr->events[st->seq].t);
        if (xr > f->x1 || xend < f->x0) continue;
        int x = (int)lround(xr) + 2 * margin; /* just after the request: off its playhead */
        if (x < f->x0 + margin) x = f->x0 + margin;
        if (x > f->x1 - margin) x = f->x1 - margin;
        const lv_lane *from = story_lane(f, st->thread);
        for (size_t h = 0; h < st->nheld_by; h++) {
            const lv_lane *to = story_lane(f, st->held_by[h]);
            if (!from || !to) continue;
            lv_wait_arrow *w =
                lv_grow((void **)&f->waits, &f->capwaits, sizeof *f->waits, f->nwaits + 1)
                    ? NULL
                    : &f->waits[f->nwaits++];
            if (!w) return -1;
            int y0 = from->band.y + from->band.h / 2;
            int y1 = to == from                  ? to->band.y
                     : to->band.y > from->band.y ? to->band.y
                                                 : to->band.y + to->band.h;
            *w = (lv_wait_arrow){x,       y0,      y1, st->thread,  st->held_by[h],
                                 st->obj, st->seq, 1,  {0, 0, 0, 0}};
        }
    }
    for (size_t i = 0; i < f->nwaits; i++) /* the chips once every arrow is known */
        f->waits[i].label = wait_chip(f, s, vp, i);
    return 0;
}

int lv__lay_story(lv_frame *f, const lv_scene *s, const lv_viewport *vp) {
    f->nwaits = 0;
    double px = lv_frame_x(f, s, vp->play_t);
    f->cut_x = px < f->x0 - 1 ? f->x0 - 1 : px > f->x1 + 1 ? f->x1 + 1 : (int)lround(px);
    if (vp->seq >= (long)s->tr->nevents - 1) f->cut_x = f->x1 + 1; /* the end: all of it */
    int cf = s->cycle_finding;
    int shown = cf >= 0 &&
                (f->future == LV_FUTURE_SHOW || lv_finding_reached(s, (size_t)cf, f->reveal_seq));
    f->cycle_shown = shown;
    for (size_t i = 0; i < f->nlanes; i++)
        f->lanes[i].role = shown ? s->th_role[f->lanes[i].thread] : LV_ROLE_NONE;
    if (shown && lay_waits(f, s, vp)) return -1;
    if (f->hover_seq >= 0 && f->future == LV_FUTURE_HIDE &&
        lv_frame_future_seq(f, (uint32_t)f->hover_seq))
        f->hover_seq = -1;
    return 0;
}
