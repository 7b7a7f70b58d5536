/* Input on the viewer state: each call is a pure change of lv_vstate, computed from the scene
 * and the last frame's geometry. No SDL, no clock: the caller passes elapsed time. */
#include <math.h>
#include <stdlib.h>
#include "vstate.h"

static int64_t ev_t(const lv_scene *s, long seq) {
    const lv_trace *tr = s->tr;
    if (seq < 0 || tr->nevents == 0) return s->t_first;
    if ((size_t)seq >= tr->nevents) seq = (long)tr->nevents - 1;
    return tr->events[seq].t;
}

void lv_vs_init(lv_vstate *v, const lv_scene *s) {
    *v = (lv_vstate){.s = s, .seq = -1, .highlight = -1, .mouse_x = -1, .mouse_y = -1};
    v->d0 = lv_scene_d(s, s->t_first);
    v->d1 = lv_scene_d(s, s->t_end);
    v->play_d = v->d0;
    if (s->tr->nevents) lv_vs_set_seq(v, 0);
}

void lv_vs_frame(lv_vstate *v, const lv_frame *f) {
    long below = (long)v->s->nthreads - f->first_lane - (long)f->nlanes;
    v->lanes_below = below > 0 ? (int)below : 0;
}

void lv_vs_retarget(lv_vstate *v, const lv_scene *s) {
    lv_vstate keep = *v;
    lv_vs_init(v, s);
    v->lang = keep.lang;
    v->lesson = keep.lesson;
    v->help = keep.help;
    v->speed_level = keep.speed_level;
    v->mouse_x = keep.mouse_x;
    v->mouse_y = keep.mouse_y;
    v->future = keep.future;
    v->time_view = keep.time_view;
    v->playing = 1;
}

void lv_vs_rescene(lv_vstate *v, const lv_scene *s) {
    lv_vstate keep = *v;
    lv_vs_init(v, s);
    lv_vs_set_seq(v, keep.seq);
    v->playing = keep.playing;
    v->speed_level = keep.speed_level;
    v->help = keep.help;
    v->highlight = keep.highlight;
    v->lane_scroll = keep.lane_scroll;
    v->finding_scroll = keep.finding_scroll;
    v->mouse_x = keep.mouse_x;
    v->mouse_y = keep.mouse_y;
    v->lang = keep.lang;
    v->lesson = keep.lesson;
    v->future = keep.future;
    v->time_view = keep.time_view;
}

void lv_vs_viewport(const lv_vstate *v, lv_viewport *vp) {
    vp->t0 = lv_scene_t(v->s, v->d0);
    vp->t1 = lv_scene_t(v->s, v->d1);
    if (vp->t1 <= vp->t0) vp->t1 = vp->t0 + 1;
    vp->play_t = lv_scene_t(v->s, v->play_d);
    vp->seq = v->seq;
    vp->highlight = v->highlight;
    vp->lane_scroll = v->lane_scroll;
    vp->finding_scroll = v->finding_scroll;
    vp->hover_x = v->dragging ? -1 : v->mouse_x;
    vp->hover_y = v->dragging ? -1 : v->mouse_y;
    vp->playing = v->playing;
    vp->lang = v->lang;
    vp->help = v->help;
    vp->future = v->future;
}

/* Keeps the view over the trace: a margin of 2% either side, no more. */
static void clamp_view(lv_vstate *v) {
    double lo = lv_scene_d(v->s, v->s->t_first), hi = lv_scene_d(v->s, v->s->t_end);
    double w = v->d1 - v->d0, m = 0.02 * w;
    if (w >= hi - lo + 2 * m) return;
    if (v->d0 < lo - m) {
        v->d0 = lo - m;
        v->d1 = v->d0 + w;
    }
    if (v->d1 > hi + m) {
        v->d1 = hi + m;
        v->d0 = v->d1 - w;
    }
}

static void keep_visible(lv_vstate *v) {
    double w = v->d1 - v->d0;
    if (v->play_d < v->d0 || v->play_d > v->d1) {
        v->d0 = v->play_d - w / 3;
        v->d1 = v->d0 + w;
        clamp_view(v);
    }
}

void lv_vs_set_seq(lv_vstate *v, long seq) {
    long n = (long)v->s->tr->nevents;
    if (seq >= n) seq = n - 1;
    if (seq < 0) seq = n ? 0 : -1;
    v->seq = seq;
    v->play_d = lv_scene_d(v->s, ev_t(v->s, seq));
    keep_visible(v);
}

static void goto_finding(lv_vstate *v, int dir) {
    const lv_scene *s = v->s;
    int best = -1;
    for (size_t i = 0; i < s->tr->nfindings; i++) {
        uint32_t fs = s->finding_seq[i];
        if (fs == LV_SEQ_NONE) continue;
        int after = dir > 0 ? (long)fs > v->seq || ((long)fs == v->seq && (int)i > v->highlight)
                            : (long)fs < v->seq || ((long)fs == v->seq && (int)i < v->highlight);
        if (!after) continue;
        if (best < 0 || (dir > 0 ? fs < s->finding_seq[best] : fs > s->finding_seq[best]))
            best = (int)i;
    }
    if (best < 0) return;
    v->highlight = best;
    lv_vs_set_seq(v, (long)s->finding_seq[best]);
}

int lv_vs_show_cycle(lv_vstate *v, const lv_frame *f) {
    const lv_scene *s = v->s;
    if (!f->cycle_shown) {
        v->cycle_seen = 0;
        return 0;
    }
    if (v->cycle_seen) return 0;
    v->cycle_seen = 1;
    long lo = -1, hi = -1;
    for (size_t k = 0; k < s->nthreads; k++)
        if (s->th_role[k] == LV_ROLE_CYCLE) {
            if (lo < 0) lo = (long)k;
            hi = (long)k;
        }
    long first = f->first_lane, n = (long)f->nlanes;
    if (lo < 0 || n <= 0 || (lo >= first && hi < first + n)) return 0;
    long to = hi - n + 1 > 0 ? hi - n + 1 : 0; /* the last in view, or the first when both cannot */
    if (to > lo) to = lo;
    v->lane_scroll = (int)to;
    return 1;
}

double lv_vs_speed(const lv_vstate *v) {
    return 4.0 * (double)v->s->step * pow(2.0, v->speed_level);
}

void lv_vs_key(lv_vstate *v, lv_key k, int shift) {
    long n = (long)v->s->tr->nevents;
    switch (k) {
    case LV_KEY_SPACE:
        lv_vs_button(v, LV_BTN_PLAY);
        break;
    case LV_KEY_RIGHT:
        v->playing = 0;
        if (shift)
            goto_finding(v, 1);
        else
            lv_vs_set_seq(v, v->seq + 1);
        break;
    case LV_KEY_LEFT:
        v->playing = 0;
        if (shift)
            goto_finding(v, -1);
        else
            lv_vs_set_seq(v, v->seq - 1);
        break;
    case LV_KEY_PLUS:
        if (v->speed_level < 8) v->speed_level++;
        break;
    case LV_KEY_MINUS:
        if (v->speed_level > -4) v->speed_level--;
        break;
    case LV_KEY_HOME:
        lv_vs_set_seq(v, 0);
        break;
    case LV_KEY_END:
        v->playing = 0;
        lv_vs_set_seq(v, n - 1);
        break;
    case LV_KEY_UP:
        if (v->lane_scroll > 0) v->lane_scroll--;
        break;
    case LV_KEY_DOWN: /* never when the lanes all fit */
        if (v->lanes_below > 0 && (size_t)v->lane_scroll + 1 < v->s->nthreads) {
            v->lane_scroll++;
            v->lanes_below--; /* until the next frame says */
        }
        break;
    case LV_KEY_HELP:
        v->help = !v->help;
        break;
    case LV_KEY_ESCAPE: /* the innermost thing open closes; Q quits, Esc never does */
        if (v->help)
            v->help = 0;
        else if (v->lesson)
            v->lesson = 0;
        else if (v->highlight >= 0)
            v->highlight = -1;
        break;
    case LV_KEY_QUIT:
        v->quit = 1;
        break;
    case LV_KEY_RERUN:
        v->request = LV_REQ_RERUN_SEED;
        break;
    case LV_KEY_VARIANT:
        v->request = LV_REQ_RERUN_VARIANT;
        break;
    case LV_KEY_EXPORT:
        v->request = LV_REQ_EXPORT;
        break;
    case LV_KEY_LANG:
        lv_vs_button(v, LV_BTN_LANG);
        break;
    case LV_KEY_LESSON:
        lv_vs_button(v, LV_BTN_LESSON);
        break;
    case LV_KEY_COMPARE:
        lv_vs_button(v, LV_BTN_COMPARE);
        break;
    case LV_KEY_PICKER:
        lv_vs_button(v, LV_BTN_PICKER);
        break;
    case LV_KEY_EXPLORE:
        lv_vs_button(v, LV_BTN_EXPLORE);
        break;
    case LV_KEY_TIMEVIEW:
        lv_vs_button(v, LV_BTN_TIME);
        break;
    case LV_KEY_AHEAD: /* hidden, faint, shown, and round again */
        v->future = v->future == LV_FUTURE_HIDE    ? LV_FUTURE_FAINT
                    : v->future == LV_FUTURE_FAINT ? LV_FUTURE_SHOW
                                                   : LV_FUTURE_HIDE;
        break;
    default:
        break;
    }
}

void lv_vs_button(lv_vstate *v, lv_button b) {
    switch (b) {
    case LV_BTN_PLAY:
        v->playing = !v->playing;
        if (v->playing && v->seq >= (long)v->s->tr->nevents - 1) lv_vs_set_seq(v, 0);
        break;
    case LV_BTN_BACK:
        lv_vs_key(v, LV_KEY_LEFT, 0);
        break;
    case LV_BTN_FWD:
        lv_vs_key(v, LV_KEY_RIGHT, 0);
        break;
    case LV_BTN_HELP:
        v->help = !v->help;
        break;
    case LV_BTN_LANG:
        v->lang = v->lang == LV_LANG_EN ? LV_LANG_ZH : LV_LANG_EN;
        break;
    case LV_BTN_LESSON:
        v->lesson = !v->lesson;
        break;
    case LV_BTN_COMPARE:
        v->request = LV_REQ_COMPARE;
        break;
    case LV_BTN_PICKER:
        v->request = LV_REQ_PICKER;
        break;
    case LV_BTN_EXPLORE:
        v->request = LV_REQ_EXPLORE;
        break;
    case LV_BTN_TIME:
        v->time_view = (v->time_view + 1) % LV_TIME__COUNT;
        v->request = LV_REQ_TIME_VIEW;
        break;
    default:
        break;
    }
}

void lv_vs_tick(lv_vstate *v, double dt) {
    if (!v->playing || dt <= 0) return;
    const lv_scene *s = v->s;
    double end = lv_scene_d(s, s->t_last);
    v->play_d += lv_vs_speed(v) * dt;
    if (v->play_d >= end) {
        v->play_d = end;
        v->playing = 0;
    }
    v->seq = lv_scene_seq_at(s, lv_scene_t(s, v->play_d));
    if (v->play_d > v->d1) { /* page forward, as a teacher would scroll */
        double w = v->d1 - v->d0;
        v->d0 = v->play_d - w * 0.1;
        v->d1 = v->d0 + w;
        clamp_view(v);
    }
}

void lv_vs_wheel(lv_vstate *v, const lv_frame *f, int x, int y, int dy, int shift) {
    if (lv_rect_has(f->findings, x, y)) {
        v->finding_scroll -= dy;
        if (v->finding_scroll < 0) v->finding_scroll = 0;
        if ((size_t)v->finding_scroll >= v->s->tr->nfindings)
            v->finding_scroll = v->s->tr->nfindings ? (int)v->s->tr->nfindings - 1 : 0;
        return;
    }
    if (!lv_rect_has(f->timeline, x, y)) return;
    if (shift) {
        for (int i = 0; i < abs(dy); i++)
            lv_vs_key(v, dy > 0 ? LV_KEY_UP : LV_KEY_DOWN, 0);
        return;
    }
    const lv_scene *s = v->s;
    double factor = pow(0.8, dy);
    double w = f->x1 - f->x0 > 0 ? f->x1 - f->x0 : 1;
    double fx = (x - f->x0) / w;
    if (fx < 0) fx = 0;
    if (fx > 1) fx = 1;
    double at = v->d0 + fx * (v->d1 - v->d0);
    double nw = (v->d1 - v->d0) * factor;
    double full = lv_scene_d(s, s->t_end) - lv_scene_d(s, s->t_first);
    double min_w = 2.0 * (double)s->step;
    if (nw < min_w) nw = min_w;
    if (nw > full * 1.05) nw = full * 1.05;
    v->d0 = at - fx * nw;
    v->d1 = v->d0 + nw;
    clamp_view(v);
}

void lv_vs_mouse_down(lv_vstate *v, const lv_frame *f, int x, int y) {
    v->mouse_x = x;
    v->mouse_y = y;
    if (v->help) { /* any click closes the help */
        v->help = 0;
        return;
    }
    int b = lv_hit_button(f, x, y);
    if (b >= 0) {
        lv_vs_button(v, (lv_button)b);
        return;
    }
    int fi = lv_hit_finding(f, x, y);
    if (fi >= 0) {
        v->playing = 0;
        v->highlight = fi;
        if (v->s->finding_seq[fi] != LV_SEQ_NONE) lv_vs_set_seq(v, (long)v->s->finding_seq[fi]);
        return;
    }
    if (lv_rect_has(f->timeline, x, y)) {
        v->pressed = 1;
        v->dragging = 0;
        v->press_x = x;
        v->press_y = y;
        v->press_d0 = v->d0;
        v->press_d1 = v->d1;
    }
}

void lv_vs_mouse_move(lv_vstate *v, const lv_frame *f, int x, int y) {
    v->mouse_x = x;
    v->mouse_y = y;
    if (!v->pressed) return;
    if (!v->dragging && abs(x - v->press_x) + abs(y - v->press_y) > 4) v->dragging = 1;
    if (v->dragging) {
        double w = f->x1 - f->x0 > 0 ? f->x1 - f->x0 : 1;
        double dd = (x - v->press_x) / w * (v->press_d1 - v->press_d0);
        v->d0 = v->press_d0 - dd;
        v->d1 = v->press_d1 - dd;
        clamp_view(v);
    }
}

void lv_vs_mouse_up(lv_vstate *v, const lv_frame *f, int x, int y) {
    v->mouse_x = x;
    v->mouse_y = y;
    if (v->pressed && !v->dragging && x >= f->x0 && x <= f->x1) {
        v->playing = 0;
        int64_t t = lv_frame_t(f, v->s, x);
        long seq = lv_scene_seq_at(v->s, t);
        lv_vs_set_seq(v, seq < 0 ? 0 : seq);
    }
    v->pressed = 0;
    v->dragging = 0;
}
