/* Draws a laid-out frame: the header with legend and buttons, the lanes with state bands, lock
 * holds, hand-off arrows, notes and marks, a deadlock's cycle and wait-for arrows, the playhead
 * and the axis, the findings panel with a deadlock's table, the lesson panel, the message bar,
 * and the hover and help overlays; the objects panel (render_objects.c), scheduler and predict
 * mode's parts (render_sched.c) and the legend (render_legend.c) are called from here. Every
 * position comes from the layout (viz/view); this file only paints, with draw.c's helpers. */
#include <stdlib.h>
#include <string.h>
#include "render_impl.h"
#include "predict.h"
#include "schedview.h"
#include "textf.h"

/* ---- the parts ---- */

static lv_rgb C(lv_color c) {
    return lv_color_rgb(c);
}

static const lv_color legend_colors[5] = {LV_C_RUNNING, LV_C_BLOCKED, LV_C_SLEEPING, LV_C_HOLD,
                                          LV_C_FINISHED};

static void draw_button(lv_render *R, const lv_frame *f, int b, int playing, int lang) {
    lv_rect r = f->buttons[b];
    if (r.w <= 0 || b == LV_BTN_TIME) return; /* not in this frame, or on the axis */
    if (b == LV_BTN_PICKER) { /* the title, drawn already: framed, so it reads as a button */
        lv__frame_rect(R, r, C(LV_C_DIM), 1);
        return;
    }
    lv__fill(R, r, C(LV_C_BG));
    lv__frame_rect(R, r, C(LV_C_DIM), 1);
    float cx = r.x + r.w / 2.0f, cy = r.y + r.h / 2.0f, u = r.w / 5.0f;
    lv_rgb ink = C(LV_C_TEXT);
    switch (b) {
    case LV_BTN_PLAY:
        if (playing) {
            lv__fill(R, (lv_rect){(int)(cx - 1.4f * u), (int)(cy - 1.5f * u), (int)u, (int)(3 * u)},
                     ink);
            lv__fill(R, (lv_rect){(int)(cx + 0.4f * u), (int)(cy - 1.5f * u), (int)u, (int)(3 * u)},
                     ink);
        } else {
            lv__triangle(R, cx - 1.2f * u, cy - 1.6f * u, cx - 1.2f * u, cy + 1.6f * u,
                         cx + 1.6f * u, cy, ink);
        }
        break;
    case LV_BTN_BACK:
        lv__fill(R,
                 (lv_rect){(int)(cx - 1.6f * u), (int)(cy - 1.4f * u), (int)(0.6f * u) + 1,
                           (int)(2.8f * u)},
                 ink);
        lv__triangle(R, cx + 1.4f * u, cy - 1.4f * u, cx + 1.4f * u, cy + 1.4f * u, cx - 0.8f * u,
                     cy, ink);
        break;
    case LV_BTN_FWD:
        lv__fill(R,
                 (lv_rect){(int)(cx + 1.0f * u), (int)(cy - 1.4f * u), (int)(0.6f * u) + 1,
                           (int)(2.8f * u)},
                 ink);
        lv__triangle(R, cx - 1.4f * u, cy - 1.4f * u, cx - 1.4f * u, cy + 1.4f * u, cx + 0.8f * u,
                     cy, ink);
        break;
    case LV_BTN_COMPARE: /* two panes: broken over fixed */
        for (int k = 0; k < 2; k++) {
            lv_rect p = {(int)(cx - 1.6f * u), (int)(cy - 1.5f * u + k * 1.7f * u), (int)(3.2f * u),
                         (int)(1.3f * u)};
            lv__fill(R, p, C(k ? LV_C_RUNNING : LV_C_BLOCKED));
            lv__frame_rect(R, p, ink, 1);
        }
        break;
    case LV_BTN_EXPLORE: { /* a magnifying glass: searching the schedules */
        int gx = (int)(cx - 0.45f * u), gy = (int)(cy - 0.45f * u), rad = (int)(1.3f * u);
        int rim = (int)(0.4f * u) > 2 ? (int)(0.4f * u) : 2;
        lv__disc(R, gx, gy, rad, ink);
        lv__disc(R, gx, gy, rad - rim, C(LV_C_BG));
        lv__thick_line(R, (int)(cx + 0.45f * u), (int)(cy + 0.45f * u), (int)(cx + 1.7f * u),
                       (int)(cy + 1.7f * u), rim + 1, ink);
        break;
    }
    default: { /* a word: ? for help, i for the lesson, the other language's name */
        const char *w = b == LV_BTN_HELP     ? "?"
                        : b == LV_BTN_LESSON ? "i"
                        : b == LV_BTN_SCHED  ? "S"
                        : lang               ? "EN"
                                             : "中";
        lv_font_id fid = b == LV_BTN_LANG && lang ? LV_FONT_NOTE : LV_FONT_TITLE;
        int tw = lv__measure(R, fid, w);
        lv__textz(R, fid, w, (int)cx - tw / 2, (int)cy - f->line_h[fid] / 2, ink);
    }
    }
}

static void draw_header(lv_render *R, const lv_scene *s, const lv_frame *f, const lv_viewport *vp) {
    lv__fill(R, f->header, C(LV_C_PANEL));
    lv__fill(R, (lv_rect){0, f->header.h - 1, f->header.w, 1}, C(LV_C_GRID));
    int pad = lv__px(R, 10);
    int ty = (f->header.h - f->line_h[LV_FONT_TITLE]) / 2;
    int by = (f->header.h - f->line_h[LV_FONT_BODY]) / 2;
    /* the title and chips end where the legend or the buttons begin (side by side, a pane's
     * header may have only one of them) */
    int right = f->legend[0].w > 0    ? f->legend[0].x - pad
                : f->buttons[0].w > 0 ? f->buttons[0].x - pad
                                      : f->header.w - pad;
    int x = pad + lv__text_fit(R, LV_FONT_TITLE, f->title, pad, ty, right - pad, C(LV_C_TEXT));
    /* the outcome as a chip: what a class should see first */
    lv_tr_key ok = lv_frame_outcome_word(f, s->tr, lv_sv_cut_shown(vp->sched, s->tr),
                                         vp->predict && vp->predict->on);
    const char *ow = lv_tr(vp->lang, ok);
    int cw = lv__measure(R, LV_FONT_BODY, ow) + lv__px(R, 14);
    x += lv__px(R, 14);
    if (x + cw <= right) {
        lv_color bg = ok == LV_T_COMPLETED     ? LV_C_RUNNING
                      : ok == LV_T_DEADLOCKED  ? LV_C_BLOCKED
                      : ok == LV_T_IN_PROGRESS ? LV_C_DIM
                                               : LV_C_HOLD3;
        lv__fill(R, (lv_rect){x, by, cw, f->line_h[LV_FONT_BODY]}, C(bg));
        lv__textz(R, LV_FONT_BODY, ow, x + lv__px(R, 7), by, (lv_rgb){255, 255, 255});
        x += cw + lv__px(R, 14);
    }
    /* the seed before the findings' count: R changes it, and it is shown nowhere else */
    int sw = lv__measure(R, LV_FONT_BODY, f->subtitle);
    if (x + sw <= right) {
        lv__textz(R, LV_FONT_BODY, f->subtitle, x, by, C(LV_C_DIM));
        x += sw + lv__px(R, 14);
    } else if (x < right) {
        lv__text_fit(R, LV_FONT_BODY, f->subtitle, x, by, right - x, C(LV_C_DIM));
        x = right;
    }
    size_t nfound = s->tr->nfindings - f->future_findings; /* those the playhead reached */
    if (nfound) {
        char fb[64], nb[24];
        snprintf(nb, sizeof nb, "%zu", nfound);
        snprintf(fb, sizeof fb, lv_tr(vp->lang, nfound == 1 ? LV_T_FINDING_1 : LV_T_FINDING_N), nb);
        int fw = lv__measure(R, LV_FONT_BODY, fb) + lv__px(R, 14);
        if (x + fw <= right) {
            lv__fill(R, (lv_rect){x, by, fw, f->line_h[LV_FONT_BODY]}, C(LV_C_HOLD2));
            lv__textz(R, LV_FONT_BODY, fb, x + lv__px(R, 7), by, C(LV_C_TEXT));
            x += fw + lv__px(R, 14);
        }
    }

    for (int i = 0; i < 5 && f->legend[i].w > 0; i++) { /* each word beside its swatch */
        int ly = f->legend[i].y + (f->legend[i].h - f->line_h[LV_FONT_NOTE]) / 2;
        if (legend_colors[i] == LV_C_HOLD)
            lv__hold_swatch(R, s->tr, f->legend[i]); /* holds come in each lock's colour */
        else
            lv__fill(R, f->legend[i], C(legend_colors[i]));
        lv__textz(R, LV_FONT_NOTE, lv_tr(vp->lang, lv_legend_words[i]), f->legend_text_x[i], ly,
                  C(LV_C_TEXT));
    }
    for (int b = 0; b < LV_BTN__COUNT; b++)
        draw_button(R, f, b, vp->playing, vp->lang);
}

static const char *state_words(const lv_state *st, const lv_trace *tr, int32_t th, int lang,
                               char *buf, size_t len) {
    switch (st->tstate[th]) {
    case LV_TS_RUNNING:
        return lv_tr(lang, LV_T_RUNNING);
    case LV_TS_SLEEPING:
        return lv_tr(lang, LV_T_SLEEPING);
    case LV_TS_FINISHED:
        return lv_tr(lang, LV_T_FINISHED);
    case LV_TS_BLOCKED:
        if (st->wait_obj[th] >= 0)
            lv_textf(buf, len, lv_tr(lang, LV_T_WAITS_FOR),
                     lv_trace_object_name(tr, st->wait_obj[th]));
        else if (st->wait_thread[th] >= 0)
            lv_textf(buf, len, lv_tr(lang, LV_T_JOINS),
                     lv_trace_thread_name(tr, st->wait_thread[th]));
        else
            return lv_tr(lang, LV_T_BLOCKED);
        return buf;
    default:
        return lv_tr(lang, LV_T_NOT_STARTED);
    }
}

/* What lies after the playhead, drawn faint: the colour most of the way to white. */
static lv_rgb faint(lv_rgb c) {
    return (lv_rgb){(uint8_t)(c.r + (255 - c.r) * 3 / 4), (uint8_t)(c.g + (255 - c.g) * 3 / 4),
                    (uint8_t)(c.b + (255 - c.b) * 3 / 4)};
}

/* The ink of something at or after the playhead: 0 when it is not drawn (hidden). */
static int future_ink(const lv_frame *f, int ahead, lv_rgb *c) {
    if (!ahead) return 1;
    if (f->future == LV_FUTURE_HIDE) return 0;
    *c = faint(*c);
    return 1;
}

/* An arrow, or with shaft 0 its head alone (drawn again over the notes it passes under). */
static void arrow_parts(lv_render *R, int x0, int y0, int x1, int y1, int w, float head, lv_rgb c,
                        int shaft) {
    if (shaft) lv__thick_line(R, x0, y0, x1, y1, w, c);
    float dx = (float)(x1 - x0), dy = (float)(y1 - y0);
    float len = SDL_sqrtf(dx * dx + dy * dy);
    if (len < 1) return;
    dx /= len;
    dy /= len;
    float hl = head, hw = head * 5 / 9;
    float bx = x1 - dx * hl, by = y1 - dy * hl;
    lv__triangle(R, (float)x1, (float)y1, bx - dy * hw, by + dx * hw, bx + dy * hw, by - dx * hw,
                 c);
}
static void draw_arrow(lv_render *R, int x0, int y0, int x1, int y1, int w, float head, lv_rgb c) {
    arrow_parts(R, x0, y0, x1, y1, w, head, c, 1);
}

/* The deadlock's cycle: its lanes tinted and marked at the label, bystanders' bands faded,
 * and the wait-for arrows with the lock's name beside each. */
static const lv_rgb cycle_ground = {253, 228, 214}; /* the lanes of a deadlock's cycle */

static void draw_cycle_lanes(lv_render *R, const lv_frame *f) {
    for (size_t i = 0; i < f->nlanes; i++)
        if (f->lanes[i].role == LV_ROLE_CYCLE) {
            lv__fill(R, f->lanes[i].r, cycle_ground);
            lv__fill(R, (lv_rect){0, f->lanes[i].r.y, lv__px(R, 5), f->lanes[i].r.h},
                     C(LV_C_BLOCKED));
        }
}

static void draw_waits(lv_render *R, const lv_scene *s, const lv_frame *f) {
    for (size_t i = 0; i < f->nlanes; i++) {
        const lv_lane *ln = &f->lanes[i];
        if (ln->role == LV_ROLE_BYSTANDER) { /* its wait is not the cycle's: a thin band */
            lv_rgb bg = C(i % 2 ? LV_C_LANE_ALT : LV_C_BG);
            int q = ln->band.h / 4;
            lv__fill(R, (lv_rect){ln->band.x, ln->band.y, ln->band.w, q}, bg);
            lv__fill(R, (lv_rect){ln->band.x, ln->band.y + ln->band.h - q, ln->band.w, q}, bg);
        } else if (ln->role == LV_ROLE_CYCLE) { /* one of the cycle: framed in dark red */
            lv__frame_rect(R, ln->band, (lv_rgb){140, 40, 0}, lv__px(R, 2));
        }
    }
    for (size_t i = 0; i < f->nwaits; i++) {
        const lv_wait_arrow *w = &f->waits[i];
        int ink = lv__px(R, 3);
        if (w->from != w->to) { /* a thread that waits for itself (a Lock taken twice): none */
            draw_arrow(R, w->x, w->y0, w->x, w->y1, ink + lv__px(R, 3), (float)lv__px(R, 16),
                       (lv_rgb){255, 255, 255});
            draw_arrow(R, w->x, w->y0, w->x, w->y1, ink, (float)lv__px(R, 13), C(LV_C_BLOCKED));
        }
        lv__disc(R, w->x, w->y0, lv__px(R, 5), C(LV_C_BLOCKED));
    }
    for (size_t i = 0; i < f->nwaits; i++) { /* the chips over every arrow */
        const lv_wait_arrow *w = &f->waits[i];
        if (w->label.w <= 0) continue; /* no room: the objects panel names it */
        const char *on = lv_trace_object_name(s->tr, w->obj);
        lv__fill(R, w->label, C(LV_C_BLOCKED));
        lv__text_fit(R, LV_FONT_NOTE, on, w->label.x + lv__px(R, 3), w->label.y,
                     w->label.w - 2 * lv__px(R, 3), (lv_rgb){255, 255, 255});
    }
}

/* A lane's state words; in a deadlock reached, its part in the cycle. */
static const char *lane_words(const lv_state *st, const lv_trace *tr, const lv_lane *ln, int lang,
                              char *buf, size_t len) {
    int32_t th = ln->thread;
    if (ln->role != LV_ROLE_NONE && st->tstate[th] == LV_TS_BLOCKED && st->wait_obj[th] >= 0) {
        snprintf(buf, len, lv_tr(lang, ln->role == LV_ROLE_CYCLE ? LV_T_IN_CYCLE : LV_T_BYSTANDER),
                 lv_trace_object_name(tr, st->wait_obj[th]));
        return buf;
    }
    return state_words(st, tr, th, lang, buf, len);
}

static void draw_lanes(lv_render *R, const lv_scene *s, const lv_state *st, const lv_frame *f,
                       int lang) {
    const lv_trace *tr = s->tr;
    for (size_t i = 0; i < f->nlanes; i++)
        if (i % 2) lv__fill(R, f->lanes[i].r, C(LV_C_LANE_ALT));
    draw_cycle_lanes(R, f);
    for (size_t i = 0; i < f->nticks; i++)
        lv__fill(R, (lv_rect){f->ticks[i].x, f->area.y, 1, f->area.h}, C(LV_C_GRID));
    for (size_t i = 0; i < f->nfills; i++) { /* the past as it was, what is to come faint */
        lv_rect r = f->fills[i].r, p = lv_frame_past_part(f, r);
        lv_rgb c = C((lv_color)f->fills[i].color);
        lv__fill(R, p, c);
        lv_rect rest = {r.x + p.w, r.y, r.w - p.w, r.h};
        if (future_ink(f, 1, &c)) lv__fill(R, rest, c);
    }
    for (size_t i = 0; i < f->nlanes; i++) {
        const lv_lane *ln = &f->lanes[i];
        int lh = f->line_h[LV_FONT_LABEL], nh = f->line_h[LV_FONT_NOTE];
        const char *name = tr->threads[ln->thread].name;
        char buf[128];
        const char *sw = lane_words(st, tr, ln, lang, buf, sizeof buf);
        lv_color sc = lv_state_color((lv_tstate)st->tstate[ln->thread]);
        if (ln->r.h >= lh + nh) {
            int d = nh / 3, ww = ln->label.w - 3 * d;
            size_t a, b; /* the words on two lines when they are too long and the lane is tall */
            int nl = lv_lane_words(lv_fonts_measure, R->fonts, sw, ww,
                                   ln->r.h >= lh + 2 * nh + nh / 2 ? 2 : 1, &a, &b);
            int y = ln->r.y + (ln->r.h - lh - nl * nh) / 2;
            lv__text_fit(R, LV_FONT_LABEL, name, ln->label.x, y, ln->label.w, C(LV_C_TEXT));
            if (sc != LV_C_BG) lv__disc(R, ln->label.x + d, y + lh + nh / 2, d, C(sc));
            lv__text_fitn(R, LV_FONT_NOTE, sw, a, ln->label.x + 3 * d, y + lh, ww, C(LV_C_DIM));
            if (nl == 2)
                lv__text_fit(R, LV_FONT_NOTE, sw + b, ln->label.x + 3 * d, y + lh + nh, ww,
                             C(LV_C_DIM));
        } else {
            int y = ln->band.y + ln->band.h / 2 - lh / 2;
            lv__text_fit(R, LV_FONT_LABEL, name, ln->label.x, y, ln->label.w, C(LV_C_TEXT));
        }
    }
    for (size_t i = 0; i < f->narrows; i++) {
        const lv_arrow *a = &f->arrows[i];
        lv_rgb c = C(lv_hold_color(a->obj));
        if (!future_ink(f, lv_frame_future_arrow(f, a), &c)) continue;
        draw_arrow(R, a->x0, a->y0, a->x1, a->y1, lv__px(R, 2), (float)lv__px(R, 9), c);
    }
    for (size_t i = 0; i < f->nlabels; i++) {
        const lv_label *lb = &f->labels[i];
        const char *txt = lv_scene_note_text(s, &tr->events[lb->seq], lang);
        int tick_x = lb->tick_x;
        int lane = tr->events[lb->seq].thread - f->first_lane;
        const lv_lane *ln = &f->lanes[lane];
        lv_rgb ink = C(LV_C_TEXT);
        if (!future_ink(f, lv_frame_future_seq(f, lb->seq), &ink)) continue;
        lv__fill(R,
                 (lv_rect){tick_x, ln->notes.y + ln->notes.h / 3, lv__px(R, 2),
                           ln->band.y - ln->notes.y - ln->notes.h / 3 + ln->band.h / 2},
                 ink);
        /* on the lane's own ground, so that a hand-off arrow passing under it leaves the
         * words whole */
        lv_rgb ground =
            ln->role == LV_ROLE_CYCLE ? cycle_ground : C(lane % 2 ? LV_C_LANE_ALT : LV_C_BG);
        lv__fill(R, (lv_rect){lb->x - 1, lb->y, lb->w + 2, f->line_h[LV_FONT_NOTE]}, ground);
        int w = lv__text(R, LV_FONT_NOTE, txt, lb->nbytes, lb->x, lb->y, ink);
        if (lb->elided) lv__textz(R, LV_FONT_NOTE, "…", lb->x + w, lb->y, ink);
    }
    for (size_t i = 0; i < f->narrows; i++) { /* the heads over the notes: where each lands */
        const lv_arrow *a = &f->arrows[i];
        lv_rgb c = C(lv_hold_color(a->obj));
        if (!future_ink(f, lv_frame_future_arrow(f, a), &c)) continue;
        arrow_parts(R, a->x0, a->y0, a->x1, a->y1, lv__px(R, 2), (float)lv__px(R, 9), c, 0);
    }
    draw_waits(R, s, f);
    for (size_t i = 0; i < f->nmarks; i++) {
        const lv_marker *m = &f->marks[i];
        if (lv_frame_future_mark(f, s, m)) {
            if (f->future == LV_FUTURE_HIDE) continue;
            lv__disc(R, m->x, m->y, lv__px(R, 3), faint(C(LV_C_TEXT)));
            continue;
        }
        int rad;
        switch (m->kind) {
        case LV_MARK_READ: /* hollow: a read looks, a write (solid) changes */
            rad = lv__px(R, 4);
            lv__disc(R, m->x, m->y, rad, C(LV_C_TEXT));
            lv__disc(R, m->x, m->y, rad - lv__px(R, 1.5), C(LV_C_BG));
            break;
        case LV_MARK_WRITE:
            rad = lv__px(R, 4);
            lv__fill(R, (lv_rect){m->x - rad, m->y - rad, 2 * rad + 1, 2 * rad + 1}, C(LV_C_TEXT));
            break;
        case LV_MARK_TIMEOUT: /* an hourglass: the wait ran out of time */
            rad = lv__px(R, 6);
            lv__triangle(R, (float)(m->x - rad), (float)(m->y - rad), (float)(m->x + rad),
                         (float)(m->y - rad), (float)m->x, (float)m->y, C(LV_C_TEXT));
            lv__triangle(R, (float)(m->x - rad), (float)(m->y + rad), (float)(m->x + rad),
                         (float)(m->y + rad), (float)m->x, (float)m->y, C(LV_C_TEXT));
            break;
        case LV_MARK_STALE:
            rad = lv__px(R, 9);
            lv__disc(R, m->x, m->y, rad, C(LV_C_TEXT));
            lv__disc(R, m->x, m->y, rad - lv__px(R, 2), C(LV_C_STALE));
            lv__disc(R, m->x, m->y, lv__px(R, 3), C(LV_C_TEXT));
            break;
        default:
            rad = lv__px(R, m->kind == LV_MARK_FINDING ? 9 : 7);
            lv__disc(R, m->x, m->y, rad, C(LV_C_TEXT));
            lv__disc(R, m->x, m->y, rad - lv__px(R, 2),
                     m->kind == LV_MARK_FINDING ? C(LV_C_HIGHLIGHT) : C(LV_C_BG));
        }
    }
    for (size_t i = 0; i < f->ncounts; i++) { /* an RLock's count, a chip on its hold bar */
        const lv_count_label *c = &f->counts[i];
        if (f->future == LV_FUTURE_HIDE && lv_frame_future_seq(f, c->seq)) continue;
        int h = f->line_h[LV_FONT_NOTE];
        lv_rect r = {c->x, c->y - h / 2, c->w, h};
        lv__fill(R, r, C(LV_C_BG));
        lv__frame_rect(R, r, C(lv_hold_color(c->obj)), lv__px(R, 2));
        lv__textz(R, LV_FONT_NOTE, c->text, r.x + lv__px(R, 3), r.y, C(LV_C_TEXT));
    }
    if (f->playhead_x >= 0) {
        int x = f->playhead_x, w = lv__px(R, 3);
        lv__fill(R, (lv_rect){x - w / 2, f->area.y, w, f->axis.y - f->area.y + lv__px(R, 6)},
                 C(LV_C_PLAYHEAD));
        float u = (float)lv__px(R, 7);
        lv__triangle(R, x - u, (float)f->area.y, x + u, (float)f->area.y, (float)x, f->area.y + u,
                     C(LV_C_PLAYHEAD));
    }
    /* axis */
    lv__fill(R, (lv_rect){f->axis.x, f->axis.y, f->axis.w, 1}, C(LV_C_DIM));
    for (size_t i = 0; i < f->nticks; i++) { /* placed and labelled by geom_axis.c */
        lv__fill(R, (lv_rect){f->ticks[i].x, f->axis.y, 1, lv__px(R, 5)}, C(LV_C_DIM));
        lv__textz(R, LV_FONT_NOTE, f->ticks[i].label, f->ticks[i].label_x, f->axis.y + lv__px(R, 4),
                  C(LV_C_DIM));
    }
    lv_rect tb = f->buttons[LV_BTN_TIME]; /* the time view's name: a click switches it */
    if (tb.w > 0) {
        lv__fill(R, tb, C(LV_C_PANEL));
        lv__frame_rect(R, tb, C(LV_C_DIM), 1);
        lv__textz(R, LV_FONT_NOTE, f->axis_name, tb.x + lv__px(R, 6),
                  tb.y + (tb.h - f->line_h[LV_FONT_NOTE]) / 2, C(LV_C_TEXT));
    }
    /* the label column's bottom cell names the axis, or, when lanes are scrolled out of view,
     * says how many: in place of "time", so the two never overlap */
    char hint[96], nb[24];
    hint[0] = 0; /* the axis's name is its button, at the axis's right end */
    if (f->hidden_lanes) {
        int room = f->axis.x - lv__px(R, 14);
        snprintf(nb, sizeof nb, "%zu", f->hidden_lanes);
        snprintf(hint, sizeof hint, lv_tr(lang, LV_T_MORE_SCROLL), nb);
        if (lv__measure(R, LV_FONT_NOTE, hint) > room)
            snprintf(hint, sizeof hint, lv_tr(lang, LV_T_MORE), nb);
    }
    lv__textz(R, LV_FONT_NOTE, hint, lv__px(R, 10), f->axis.y + lv__px(R, 4), C(LV_C_DIM));
    for (size_t i = 0; i < f->nbreaks; i++) { /* "//": a long gap drawn shorter than it was */
        int x = f->breaks[i], u = lv__px(R, 5);
        /* the stretch it shortens: the axis's line broken into dashes */
        lv__fill(R, (lv_rect){f->break_x0[i], f->axis.y, f->break_x1[i] - f->break_x0[i], 1},
                 C(LV_C_BG));
        for (int d = f->break_x0[i]; d < f->break_x1[i]; d += 2 * u)
            lv__fill(R, (lv_rect){d, f->axis.y, u < f->break_x1[i] - d ? u : f->break_x1[i] - d, 1},
                     C(LV_C_DIM));
        lv__fill(R, (lv_rect){x - 2 * u, f->axis.y - 1, 4 * u, 3}, C(LV_C_BG));
        lv__thick_line(R, x - 2 * u, f->axis.y + u, x - u / 2, f->axis.y - u, lv__px(R, 2),
                       C(LV_C_DIM));
        lv__thick_line(R, x + u / 2, f->axis.y + u, x + 2 * u, f->axis.y - u, lv__px(R, 2),
                       C(LV_C_DIM));
    }
}

static const char *kind_chip(lv_finding_kind k, int lang, lv_color *bg, lv_rgb *ink) {
    static const lv_color cols[LV_FIND__COUNT] = {LV_C_HOLD2, LV_C_BLOCKED, LV_C_HOLD1, LV_C_HOLD,
                                                  LV_C_HOLD3};
    int i = (unsigned)k < LV_FIND__COUNT ? (int)k : 0;
    *bg = cols[i];
    *ink = i == 0 ? lv_color_rgb(LV_C_TEXT) : (lv_rgb){255, 255, 255};
    return lv_tr(lang, lv_finding_words[i]);
}

static void draw_findings(lv_render *R, const lv_scene *s, const lv_frame *f,
                          const lv_viewport *vp) {
    const lv_trace *tr = s->tr;
    lv__fill(R, f->findings, C(LV_C_PANEL));
    lv__fill(R, (lv_rect){0, f->findings.y, f->findings.w, lv__px(R, 2)}, C(LV_C_GRID));
    int pad = lv__px(R, 10), lh = f->line_h[LV_FONT_BODY];
    if (tr->nfindings == 0 || f->future_findings == tr->nfindings) {
        lv_tr_key k = lv_frame_no_findings_words(f, tr);
        lv__textz(R, LV_FONT_BODY, lv_tr(vp->lang, k), pad, f->findings.y + pad, C(LV_C_TEXT));
        return;
    }
    int chip_w = lv_chip_width(lv_fonts_measure, R->fonts, vp->lang) + lv__px(R, 16);
    for (size_t i = 0; i < f->nfrows; i++) {
        const lv_frow *r = &f->frows[i];
        if (r->finding == vp->highlight) lv__fill(R, r->r, (lv_rgb){250, 244, 170});
        lv_color bg;
        lv_rgb ink;
        const char *name = kind_chip(tr->findings[r->finding].kind, vp->lang, &bg, &ink);
        lv_rect chip = {pad, r->r.y + 1, chip_w, lh - 2};
        lv__fill(R, chip, C(bg));
        int tw = lv__measure(R, LV_FONT_BODY, name);
        lv__textz(R, LV_FONT_BODY, name, chip.x + (chip.w - tw) / 2, r->r.y, ink);
    }
    for (size_t i = 0; i < f->nflines; i++) {
        const lv_tline *t = &f->flines[i];
        lv__text(R, (lv_font_id)t->font, t->s, t->n, t->x, t->y, C((lv_color)t->color));
    }
    if (f->hidden_findings) {
        char b[96], nb[24];
        snprintf(nb, sizeof nb, "%zu", f->hidden_findings);
        snprintf(b, sizeof b, lv_tr(vp->lang, LV_T_MORE_SCROLL), nb);
        int tw = lv__measure(R, LV_FONT_NOTE, b);
        int right = f->detail_finding >= 0 ? f->detail.x - pad : f->findings.w - pad;
        lv__textz(R, LV_FONT_NOTE, b, right - tw,
                  f->findings.y + f->findings.h - f->line_h[LV_FONT_NOTE], C(LV_C_DIM));
    }
    if (f->detail_finding >= 0 && f->detail.h > 0) {
        lv__fill(R, f->detail, C(LV_C_BG));
        lv__frame_rect(R, f->detail, C(LV_C_BLOCKED), lv__px(R, 2));
        const char *d = lv_scene_detail(s, (size_t)f->detail_finding);
        int y = f->detail.y + pad / 2, mh = f->line_h[LV_FONT_MONO];
        while (*d && y + mh <= f->detail.y + f->detail.h) {
            const char *e = strchr(d, '\n');
            size_t n = e ? (size_t)(e - d) : strlen(d);
            int danger = 0;
            for (size_t k = 0; k + 3 <= n && !danger; k++)
                danger = memcmp(d + k, "***", 3) == 0;
            lv__text_fitn(R, LV_FONT_MONO, d, n, f->detail.x + pad, y, f->detail.w - 2 * pad,
                          danger ? C(LV_C_BLOCKED) : C(LV_C_TEXT));
            y += mh;
            d += n + (e ? 1 : 0);
        }
    }
}

/* A yellow box near (x, y), kept inside the window, with the whole of b wrapped to at most half
 * the window's width (a note is read on hover, never cut). */
static void tooltip_box(lv_render *R, const lv_frame *f, const lv_viewport *vp, const char *b,
                        int x, int y) {
    int pad = lv__px(R, 6), maxw = vp->w / 2, lh = f->line_h[LV_FONT_BODY];
    size_t n = strlen(b);
    int tw = lv__measure(R, LV_FONT_BODY, b), lines = 0;
    if (tw > maxw) tw = maxw;
    for (size_t at = 0; at < n && lines < 12; lines++) {
        size_t k = lv_wrap_line(lv_fonts_measure, R->fonts, LV_FONT_BODY, b + at, n - at, maxw);
        at += k;
        while (at < n && (b[at] == ' ' || b[at] == '\n'))
            at++;
    }
    lv_rect r = {x + lv__px(R, 14), y + lv__px(R, 14), tw + 2 * pad, lines * lh + 2 * pad};
    if (r.x + r.w > vp->w) r.x = vp->w - r.w;
    if (r.y + r.h > vp->h) r.y = y - r.h - lv__px(R, 6);
    if (r.y < 0) r.y = 0;
    lv__fill(R, r, (lv_rgb){255, 255, 225});
    lv__frame_rect(R, r, C(LV_C_TEXT), 1);
    size_t at = 0;
    for (int i = 0; i < lines; i++) {
        size_t k = lv_wrap_line(lv_fonts_measure, R->fonts, LV_FONT_BODY, b + at, n - at, maxw);
        lv__text(R, LV_FONT_BODY, b + at, k, r.x + pad, r.y + pad + i * lh, C(LV_C_TEXT));
        at += k;
        while (at < n && (b[at] == ' ' || b[at] == '\n'))
            at++;
    }
}

static void draw_tooltip(lv_render *R, const lv_scene *s, const lv_frame *f,
                         const lv_viewport *vp) {
    static const lv_tr_key btn_words[LV_BTN__COUNT] = {
        [LV_BTN_BACK] = LV_T_BTN_BACK,       [LV_BTN_PLAY] = LV_T_BTN_PLAY,
        [LV_BTN_FWD] = LV_T_BTN_FWD,         [LV_BTN_LESSON] = LV_T_BTN_LESSON,
        [LV_BTN_LANG] = LV_T_BTN_LANG,       [LV_BTN_HELP] = LV_T_BTN_HELP,
        [LV_BTN_COMPARE] = LV_T_BTN_COMPARE, [LV_BTN_EXPLORE] = LV_T_BTN_EXPLORE,
        [LV_BTN_PICKER] = LV_T_BTN_PICKER,   [LV_BTN_SCHED] = LV_T_BTN_SCHED,
        [LV_BTN_TIME] = LV_T_BTN_TIME};
    if (vp->hover_x < 0 || vp->help) return;
    int b = lv_hit_button(f, vp->hover_x, vp->hover_y);
    if (b >= 0) {
        tooltip_box(R, f, vp, lv_tr(vp->lang, btn_words[b]), vp->hover_x, vp->hover_y);
        return;
    }
    if (f->hover_seq < 0) return;
    char d[600];
    lv_event_describe(s, (uint32_t)f->hover_seq, vp->lang, d, sizeof d);
    tooltip_box(R, f, vp, d, vp->hover_x, vp->hover_y);
}

/* Two columns: the keys, and what they do; then a note under them. */
static void draw_help(lv_render *R, const lv_frame *f, const lv_viewport *vp) {
    int lang = vp->lang, n = 0, kw = 0, dw = 0;
    for (; lv_help_rows[n][0] != LV_T__COUNT; n++) {
        int a = lv__measure(R, LV_FONT_BODY, lv_tr(lang, lv_help_rows[n][0]));
        int b = lv__measure(R, LV_FONT_BODY, lv_tr(lang, lv_help_rows[n][1]));
        if (a > kw) kw = a;
        if (b > dw) dw = b;
    }
    int pad = lv__px(R, 18), gap = lv__px(R, 28), lh = f->line_h[LV_FONT_BODY];
    int th = f->line_h[LV_FONT_LABEL], nh = f->line_h[LV_FONT_NOTE];
    const char *note = lv_tr(lang, LV_T_HELP_NOTE);
    /* the legend of every mark in a column of its own, right of the keys */
    int lgw = lv__legend_width(R, lang), keys_room = vp->w - 2 * pad - 2 * gap - lgw;
    if (dw > keys_room - kw - gap) dw = keys_room - kw - gap;
    int w = kw + gap + dw, nw = lv__measure(R, LV_FONT_NOTE, note);
    if (nw > w) w = nw;
    int keys_w = w;
    w += gap + lgw;
    if (w > vp->w - 2 * pad) w = vp->w - 2 * pad;
    int h = th + lv__px(R, 6) + n * lh + lv__px(R, 8) + nh;
    int lgh = lv__legend_height(R, f, lang, lgw);
    if (lgh > h) h = lgh;
    lv_rect r = {(vp->w - w) / 2 - pad, (vp->h - h) / 2 - pad, w + 2 * pad, h + 2 * pad};
    if (r.y < 0) r.y = 0;
    SDL_SetRenderDrawColor(R->r, 0, 0, 0, 110);
    SDL_RenderFillRect(R->r, NULL);
    lv__fill(R, r, C(LV_C_BG));
    lv__frame_rect(R, r, C(LV_C_TEXT), lv__px(R, 2));
    int x = r.x + pad, y = r.y + pad;
    lv__textz(R, LV_FONT_LABEL, lv_tr(lang, LV_T_HELP_TITLE), x, y, C(LV_C_TEXT));
    y += th + lv__px(R, 6);
    for (int i = 0; i < n; i++, y += lh) {
        lv__text_fit(R, LV_FONT_BODY, lv_tr(lang, lv_help_rows[i][0]), x, y, kw, C(LV_C_HOLD));
        lv__text_fit(R, LV_FONT_BODY, lv_tr(lang, lv_help_rows[i][1]), x + kw + gap, y,
                     keys_w - kw - gap, C(LV_C_TEXT));
    }
    lv__text_fit(R, LV_FONT_NOTE, note, x, y + lv__px(R, 8), keys_w, C(LV_C_DIM));
    lv__draw_legend(R, f, lang, r.x + pad + keys_w + gap, r.y + pad, w - keys_w - gap);
}

static void draw_lesson(lv_render *R, const lv_frame *f, const lv_viewport *vp) {
    if (f->lesson.h <= 0) return;
    lv__fill(R, f->lesson, (lv_rgb){253, 248, 228});
    lv__fill(R, (lv_rect){0, f->lesson.y + f->lesson.h - 1, f->lesson.w, 1}, C(LV_C_GRID));
    lv__fill(R, (lv_rect){0, f->lesson.y, lv__px(R, 5), f->lesson.h}, C(LV_C_HOLD2));
    int pad = lv__px(R, 12);
    const char *hide = lv_tr(vp->lang, LV_T_LESSON_HIDE);
    int hw = lv__measure(R, LV_FONT_NOTE, hide);
    for (size_t i = 0; i < f->nllines; i++) {
        const lv_tline *t = &f->llines[i];
        if (i == 0) { /* the title, cut before the hint at its right */
            char b[512];
            lv_textf(b, sizeof b, "%.*s", (int)t->n, t->s);
            lv__text_fit(R, (lv_font_id)t->font, b, t->x, t->y, f->lesson.w - 2 * pad - hw - pad,
                         C(LV_C_TEXT));
            continue;
        }
        int w = lv__text(R, (lv_font_id)t->font, t->s, t->n, t->x, t->y, C((lv_color)t->color));
        if (f->lesson_cut && i + 1 == f->nllines)
            lv__textz(R, (lv_font_id)t->font, "…", t->x + w, t->y, C(LV_C_TEXT));
    }
    if (f->nllines)
        lv__textz(R, LV_FONT_NOTE, hide, f->lesson.w - pad - hw,
                  f->llines[0].y + (f->line_h[LV_FONT_LABEL] - f->line_h[LV_FONT_NOTE]) / 2,
                  C(LV_C_DIM));
}

/* The status message in its bar under the lanes (f->message), one line per '\n'. */
static void draw_toast(lv_render *R, const lv_frame *f, const lv_viewport *vp) {
    if (!vp->toast || !*vp->toast || f->message.h <= 0) return;
    int pad = lv__px(R, 8), lh = f->line_h[LV_FONT_BODY];
    lv_rect r = f->message;
    lv__fill(R, r, (lv_rgb){40, 40, 40});
    int y = r.y + pad, w = r.w - 2 * lv__px(R, 10);
    const char *m = vp->toast; /* wrapped as lv__message_bar counted it */
    size_t n = strlen(m);
    while (n > 0 && y + lh <= r.y + r.h) {
        size_t k = lv_wrap_line(lv_fonts_measure, R->fonts, LV_FONT_BODY, m, n, w);
        lv__text(R, LV_FONT_BODY, m, k, r.x + lv__px(R, 10), y, (lv_rgb){255, 255, 255});
        y += lh;
        if (k < n && m[k] == '\n') k++;
        while (k < n && m[k] == ' ')
            k++;
        m += k;
        n -= k;
    }
}

void lv_render_help(lv_render *R, const lv_frame *f, const lv_viewport *vp) {
    draw_help(R, f, vp);
}

void lv_render_draw(lv_render *R, const lv_scene *s, const lv_state *st, const lv_frame *f,
                    const lv_viewport *vp) {
    /* not SDL_RenderClear, which ignores the viewport: side by side, each pane is one */
    lv__fill(R, (lv_rect){0, 0, vp->w, vp->h}, C(LV_C_BG));
    SDL_Rect clip = {f->timeline.x, f->timeline.y, f->timeline.w, f->timeline.h};
    SDL_RenderSetClipRect(R->r, &clip);
    draw_lanes(R, s, st, f, vp->lang);
    lv__draw_gauges(R, s, st, f, vp->lang);
    SDL_RenderSetClipRect(R->r, NULL);
    lv__draw_objects(R, s, st, f, vp->lang);
    draw_findings(R, s, f, vp);
    draw_lesson(R, f, vp);
    draw_header(R, s, f, vp);
    if (vp->sched || vp->predict) lv__draw_sched(R, s, f, vp);
    draw_toast(R, f, vp);
    draw_tooltip(R, s, f, vp);
    if (vp->help) draw_help(R, f, vp);
}
