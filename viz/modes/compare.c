/* Two runs side by side: the merged order of their events, one playhead and one zoom kept in
 * step across the panes, and the two panes' layout. Each pane is an ordinary frame (geom) with
 * its own state (vstate); this file routes input to the pane under the mouse and copies what
 * the panes share to the other. It draws nothing and runs nothing. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "compare.h"
#include "textf.h"
#include "search.h"

size_t lv_schedule_same(const lv_trace *a, const lv_trace *b) {
    size_t n = a->nschedule < b->nschedule ? a->nschedule : b->nschedule, i = 0;
    while (i < n && a->schedule[i] == b->schedule[i])
        i++;
    return i;
}

/* Both traces' events in one order by time; at equal times the upper pane's come first. */
static int build_steps(lv_compare *c) {
    const lv_trace *a = c->p[0].side.tr, *b = c->p[1].side.tr;
    size_t n = a->nevents + b->nevents;
    c->t = malloc((n ? n : 1) * sizeof *c->t);
    c->na = malloc((n ? n : 1) * sizeof *c->na);
    if (!c->t || !c->na) return -1;
    size_t i = 0, j = 0, k = 0;
    while (i < a->nevents || j < b->nevents) {
        if (j >= b->nevents || (i < a->nevents && a->events[i].t <= b->events[j].t))
            c->t[k] = a->events[i++].t;
        else
            c->t[k] = b->events[j++].t;
        c->na[k++] = (uint32_t)i;
    }
    c->nsteps = n;
    return 0;
}

/* how many of steps 0..m are pane's events */
static size_t count_of(const lv_compare *c, int pane, size_t m) {
    return pane == 0 ? c->na[m] : m + 1 - c->na[m];
}

static int pane_of_step(const lv_compare *c, size_t m) {
    return c->na[m] != (m ? c->na[m - 1] : 0) ? 0 : 1;
}

long lv_cmp_seq(const lv_compare *c, int pane) {
    if (c->m < 0 || !c->nsteps) return -1;
    return (long)count_of(c, pane, (size_t)c->m) - 1;
}

long lv_cmp_step_of(const lv_compare *c, int pane, long seq) {
    if (seq < 0 || !c->nsteps) return 0;
    size_t lo; /* the first step where pane has seq + 1 events */
    LV_FIRST_FALSE(0, c->nsteps, i, count_of(c, pane, i) < (size_t)seq + 1, lo);
    return lo < c->nsteps ? (long)lo : (long)c->nsteps - 1;
}

/* The last step at or before time t, or -1 when t is before every event. */
static long step_at(const lv_compare *c, int64_t t) {
    size_t n;
    LV_FIRST_FALSE(0, c->nsteps, i, c->t[i] <= t, n);
    return (long)n - 1;
}

int64_t lv_cmp_time(const lv_compare *c) {
    return lv_scene_t(c->p[0].s, c->p[0].vs.play_d);
}

/* Copies what the panes share from pane `from` to the other; a request or a quit always
 * ends up in pane 0's state, where the viewer looks. */
static void share(lv_compare *c, int from) {
    const lv_vstate *a = &c->p[from].vs;
    lv_vstate *b = &c->p[1 - from].vs;
    b->play_d = a->play_d;
    b->playing = a->playing;
    b->speed_level = a->speed_level;
    b->d0 = a->d0;
    b->d1 = a->d1;
    b->help = a->help;
    b->lang = a->lang;
    b->lesson = a->lesson;
    b->dragging = a->dragging;
    lv_vstate *z = &c->p[0].vs, *o = &c->p[1].vs;
    if (o->quit) z->quit = 1;
    if (o->request != LV_REQ_NONE) {
        z->request = o->request;
        o->request = LV_REQ_NONE;
    }
}

static void set_playing(lv_compare *c, int on) {
    c->p[0].vs.playing = c->p[1].vs.playing = on;
}

void lv_cmp_set_step(lv_compare *c, long m) {
    if (!c->nsteps) return;
    if (m < 0) m = 0;
    if ((size_t)m >= c->nsteps) m = (long)c->nsteps - 1;
    c->m = m;
    int k = pane_of_step(c, (size_t)m);
    /* the pane whose event it is moves its playhead there (and keeps it in view) */
    lv_vs_set_seq(&c->p[k].vs, lv_cmp_seq(c, k));
    c->p[1 - k].vs.seq = lv_cmp_seq(c, 1 - k);
    share(c, k);
}

static void scroll_lanes(lv_compare *c, int d) {
    size_t n0 = c->p[0].s->nthreads, n1 = c->p[1].s->nthreads, nt = n0 > n1 ? n0 : n1;
    if (d > 0) { /* down only while a pane's last layout left lanes below its view */
        int below = 0;
        for (int k = 0; k < 2; k++) {
            below |= (long)c->p[k].s->nthreads - c->lanes - (long)c->p[k].f.nlanes > 0;
        }
        if (!below) return;
    }
    c->lanes += d;
    if ((size_t)c->lanes + 1 > nt) c->lanes = nt ? (int)nt - 1 : 0;
    if (c->lanes < 0) c->lanes = 0;
    for (int k = 0; k < 2; k++) {
        int last = c->p[k].s->nthreads ? (int)c->p[k].s->nthreads - 1 : 0;
        c->p[k].vs.lane_scroll = c->lanes < last ? c->lanes : last;
    }
}

void lv_cmp_start(lv_compare *c, const lv_vstate *from, int64_t t, int playing) {
    for (int k = 0; k < 2; k++)
        lv_vs_init(&c->p[k].vs, c->p[k].s);
    lv_vstate *v = &c->p[0].vs;
    if (from) {
        v->lang = from->lang;
        v->help = from->help;
        v->speed_level = from->speed_level;
    }
    v->lesson = 0;
    c->press = -1;
    c->lanes = 0;
    scroll_lanes(c, 0);
    share(c, 0);
    long m = step_at(c, t);
    set_playing(c, playing);
    lv_cmp_set_step(c, m < 0 ? 0 : m);
}

void lv_cmp_settings_to(const lv_compare *c, lv_vstate *to) {
    const lv_vstate *v = &c->p[0].vs;
    to->lang = v->lang;
    to->help = v->help;
    to->speed_level = v->speed_level;
    to->playing = v->playing;
}

lv_cmp_side lv_cmp_side_of(const lv_trace *tr, lv_lesson_fn lesson, void *ctx) {
    lv_cmp_side sd = {.tr = tr};
    lv_lesson l;
    if (lesson && lesson(ctx, tr, &l) == 0) {
        sd.role = l.role;
        for (int i = 0; i < LV_LANG__COUNT; i++) {
            sd.title[i] = l.title[i];
            sd.text[i] = l.text[i];
        }
    }
    return sd;
}

lv_err lv_cmp_new(const lv_cmp_side sides[2], lv_compare **out) {
    *out = NULL;
    lv_compare *c = calloc(1, sizeof *c);
    if (!c) return LV_ENOMEM;
    for (int k = 0; k < 2; k++) {
        c->p[k].side = sides[k];
        if (lv_scene_new_shared(sides[k].tr, sides[1 - k].tr, &c->p[k].s) != LV_OK ||
            lv_state_init(&c->p[k].st, c->p[k].s) != LV_OK)
            goto fail;
    }
    if (build_steps(c)) goto fail;
    c->same = lv_schedule_same(sides[0].tr, sides[1].tr);
    lv_cmp_start(c, NULL, c->p[0].s->t_first, 0);
    *out = c;
    return LV_OK;
fail:
    lv_cmp_free(c);
    return LV_ENOMEM;
}

void lv_cmp_free(lv_compare *c) {
    if (!c) return;
    for (int k = 0; k < 2; k++) {
        lv_frame_free(&c->p[k].f);
        lv_state_free(&c->p[k].st);
        lv_scene_free(c->p[k].s);
    }
    free(c->t);
    free(c->na);
    free(c);
}

/* ---- input ---- */

static void play_pause(lv_compare *c) {
    int on = !c->p[0].vs.playing;
    set_playing(c, on);
    if (on && c->m >= (long)c->nsteps - 1) lv_cmp_set_step(c, 0);
}

/* The next (dir > 0) or previous finding of either run in the merged order, highlighted in its
 * pane; ties at one step go by pane, then by the finding's index. */
static void goto_finding(lv_compare *c, int dir) {
    long cur[3] = {c->m, -1, -1};
    for (int k = 0; k < 2; k++)
        if (c->p[k].vs.highlight >= 0) {
            cur[1] = k;
            cur[2] = c->p[k].vs.highlight;
        }
    long best[3] = {0, -1, -1};
    for (int k = 0; k < 2; k++) {
        const lv_scene *s = c->p[k].s;
        for (size_t i = 0; i < s->tr->nfindings; i++) {
            if (s->finding_seq[i] == LV_SEQ_NONE) continue;
            long key[3] = {lv_cmp_step_of(c, k, (long)s->finding_seq[i]), k, (long)i};
            int cmp = 0;
            for (int q = 0; q < 3 && !cmp; q++)
                cmp = (key[q] > cur[q]) - (key[q] < cur[q]);
            if (cmp != dir) continue;
            int better = best[1] < 0;
            for (int q = 0; q < 3 && !better; q++) {
                if (key[q] == best[q]) continue;
                better = dir > 0 ? key[q] < best[q] : key[q] > best[q];
                break;
            }
            if (better) memcpy(best, key, sizeof best);
        }
    }
    if (best[1] < 0) return;
    c->p[best[1]].vs.highlight = (int)best[2];
    c->p[1 - best[1]].vs.highlight = -1;
    lv_cmp_set_step(c, best[0]);
}

void lv_cmp_key(lv_compare *c, lv_key k, int shift) {
    switch (k) {
    case LV_KEY_SPACE:
        play_pause(c);
        return;
    case LV_KEY_RIGHT:
    case LV_KEY_LEFT:
        set_playing(c, 0);
        if (shift)
            goto_finding(c, k == LV_KEY_RIGHT ? 1 : -1);
        else
            lv_cmp_set_step(c, c->m + (k == LV_KEY_RIGHT ? 1 : -1));
        return;
    case LV_KEY_HOME:
        lv_cmp_set_step(c, 0);
        return;
    case LV_KEY_END:
        set_playing(c, 0);
        lv_cmp_set_step(c, (long)c->nsteps - 1);
        return;
    case LV_KEY_UP:
    case LV_KEY_DOWN:
        scroll_lanes(c, k == LV_KEY_UP ? -1 : 1);
        return;
    default:
        lv_vs_key(&c->p[0].vs, k, shift);
        share(c, 0);
    }
}

void lv_cmp_tick(lv_compare *c, double dt) {
    lv_vstate *v = &c->p[0].vs;
    if (!v->playing || !c->nsteps) return;
    lv_vs_tick(v, dt); /* moves the playhead's time, pages the view, stops at the end */
    long m = step_at(c, lv_scene_t(c->p[0].s, v->play_d));
    c->m = m < 0 ? 0 : m;
    for (int k = 0; k < 2; k++)
        c->p[k].vs.seq = lv_cmp_seq(c, k);
    share(c, 0);
}

static int pane_at(const lv_compare *c, int x, int y) {
    for (int k = 0; k < 2; k++)
        if (lv_rect_has(c->p[k].r, x, y)) return k;
    return -1;
}

void lv_cmp_wheel(lv_compare *c, int x, int y, int dy, int shift) {
    int k = pane_at(c, x, y);
    if (k < 0) return;
    lv_cmp_pane *p = &c->p[k];
    int lx = x - p->r.x, ly = y - p->r.y;
    if (shift && lv_rect_has(p->f.timeline, lx, ly)) {
        scroll_lanes(c, dy > 0 ? -abs(dy) : abs(dy));
        return;
    }
    lv_vs_wheel(&p->vs, &p->f, lx, ly, dy, shift);
    share(c, k);
}

void lv_cmp_mouse_down(lv_compare *c, int x, int y) {
    int k = pane_at(c, x, y);
    if (k < 0) return;
    lv_cmp_pane *p = &c->p[k];
    int lx = x - p->r.x, ly = y - p->r.y;
    if (!p->vs.help) { /* with the help open, any click only closes it (vstate) */
        int b = lv_hit_button(&p->f, lx, ly);
        if (b == LV_BTN_PLAY || b == LV_BTN_BACK || b == LV_BTN_FWD) {
            lv_cmp_key(c,
                       b == LV_BTN_PLAY   ? LV_KEY_SPACE
                       : b == LV_BTN_BACK ? LV_KEY_LEFT
                                          : LV_KEY_RIGHT,
                       0);
            return;
        }
    }
    int fi = p->vs.help ? -1 : lv_hit_finding(&p->f, lx, ly);
    lv_vs_mouse_down(&p->vs, &p->f, lx, ly);
    if (fi >= 0) c->p[1 - k].vs.highlight = -1; /* one finding marked at a time */
    if (fi >= 0 && p->s->finding_seq[fi] != LV_SEQ_NONE) {
        /* vstate moved this pane to the finding's event: the other follows */
        set_playing(c, 0);
        lv_cmp_set_step(c, lv_cmp_step_of(c, k, p->vs.seq));
        return;
    }
    if (p->vs.pressed) c->press = k;
    share(c, k);
}

void lv_cmp_mouse_move(lv_compare *c, int x, int y) {
    int k = c->press >= 0 ? c->press : pane_at(c, x, y);
    for (int j = 0; j < 2; j++)
        if (j != k) c->p[j].vs.mouse_x = c->p[j].vs.mouse_y = -1;
    if (k < 0) return;
    lv_cmp_pane *p = &c->p[k];
    lv_vs_mouse_move(&p->vs, &p->f, x - p->r.x, y - p->r.y);
    share(c, k);
}

void lv_cmp_mouse_up(lv_compare *c, int x, int y) {
    int k = c->press >= 0 ? c->press : pane_at(c, x, y);
    c->press = -1;
    if (k < 0) return;
    lv_cmp_pane *p = &c->p[k];
    int lx = x - p->r.x, ly = y - p->r.y;
    /* a click on the timeline: the playhead goes to that moment, in both runs */
    int click = p->vs.pressed && !p->vs.dragging && lx >= p->f.x0 && lx <= p->f.x1;
    int64_t t = click ? lv_frame_t(&p->f, p->s, lx) : 0;
    lv_vs_mouse_up(&p->vs, &p->f, lx, ly);
    if (click) {
        set_playing(c, 0);
        long m = step_at(c, t);
        lv_cmp_set_step(c, m < 0 ? 0 : m);
    } else {
        share(c, k);
    }
}

void lv_cmp_mouse_leave(lv_compare *c) {
    for (int k = 0; k < 2; k++)
        c->p[k].vs.mouse_x = c->p[k].vs.mouse_y = -1;
}

/* ---- layout ---- */

static int iround(double v) {
    return (int)lround(v);
}

void lv_cmp_same_words(const lv_compare *c, int lang, char *buf, size_t len) {
    size_t na = c->p[0].side.tr->nschedule, nb = c->p[1].side.tr->nschedule;
    char n[32];
    if (c->same == na && na == nb) {
        snprintf(n, sizeof n, "%zu", na);
        snprintf(buf, len, lv_tr(lang, LV_T_CMP_SAME_ALL), n);
    } else if (c->same == 0) {
        snprintf(buf, len, "%s", lv_tr(lang, LV_T_CMP_SAME_NONE));
    } else {
        snprintf(n, sizeof n, "%zu", c->same);
        snprintf(buf, len, lv_tr(lang, LV_T_CMP_SAME_FIRST), n);
    }
}

#define CMP_ROWS 4 /* findings shown in a pane before "+N more (scroll)" */

/* One height for both findings panels, so the lanes line up too: a line for each finding of
 * the run with more of them, up to CMP_ROWS, and a line for the hint when there are more. */
static int findings_h(const lv_compare *c, const lv_viewport *win, double sc) {
    int lh = win->line_h[LV_FONT_BODY] > 0 ? win->line_h[LV_FONT_BODY]
                                           : iround(lv_font_px(LV_FONT_BODY, sc) * 1.2);
    int nh = win->line_h[LV_FONT_NOTE] > 0 ? win->line_h[LV_FONT_NOTE]
                                           : iround(lv_font_px(LV_FONT_NOTE, sc) * 1.2);
    size_t n = c->p[0].side.tr->nfindings;
    if (c->p[1].side.tr->nfindings > n) n = c->p[1].side.tr->nfindings;
    int rows = n == 0 ? 1 : n < CMP_ROWS ? (int)n : CMP_ROWS;
    return iround(10 * sc) + rows * (lh + iround(4 * sc)) + (n > CMP_ROWS ? nh : 0);
}

static lv_err lay_pane(lv_compare *c, int k, const lv_viewport *win, double sc, int label_w) {
    lv_cmp_pane *p = &c->p[k];
    lv_viewport vp = *win;
    vp.scale = sc;
    vp.w = p->r.w;
    vp.h = p->r.h;
    lv_vs_viewport(&p->vs, &vp);
    vp.help = 0; /* one help over the whole window (render_compare.c) */
    vp.toast = k == 0 ? win->toast : NULL;
    vp.label_w = label_w;
    vp.findings_h = findings_h(c, win, sc);
    vp.finding_lines = 1; /* a line each: the panes are half as high as one view */
    vp.lesson_title = vp.lesson_text = NULL;
    int l = vp.lang;
    const char *text = p->side.text[l] ? p->side.text[l] : p->side.text[0];
    const char *title = p->side.title[l] ? p->side.title[l] : p->side.title[0];
    if (p->vs.lesson && text && title) {
        char vb[256];
        lv_textf(vb, sizeof vb, lv_tr(l, LV_T_VARIANT), p->side.tr->variant);
        lv_textf(p->lesson_title, sizeof p->lesson_title, "%s  ·  %s", title, vb);
        vp.lesson_title = p->lesson_title;
        vp.lesson_text = text;
    }
    p->vp = vp;
    if (lv_state_seek(&p->st, p->s, p->vs.seq) != LV_OK) return LV_ENOMEM;
    return lv_frame_layout(&p->f, p->s, &p->vp);
}

/* The pane's header: its variant and role in the title; the buttons stay in the upper pane
 * and the legend moves to the lower one, where the buttons were, so neither is drawn twice. */
static void decorate(lv_compare *c, int k) {
    lv_cmp_pane *p = &c->p[k];
    lv_frame *f = &p->f;
    const lv_trace *tr = p->side.tr;
    int lang = p->vp.lang;
    if (p->side.role != LV_ROLE_UNKNOWN) {
        char vb[160];
        lv_textf(vb, sizeof vb,
                 lv_tr(lang, p->side.role == LV_ROLE_BROKEN ? LV_T_CMP_BROKEN : LV_T_CMP_FIXED),
                 tr->variant ? tr->variant : "?");
        lv_textf(f->title, sizeof f->title, "%s / %s", tr->scenario ? tr->scenario : "?", vb);
    }
    if (k == 0) {
        for (int i = 0; i < 5; i++)
            f->legend[i] = (lv_rect){0, 0, 0, 0};
        return;
    }
    int dx = f->header.w - iround(10 * f->scale) - f->buttons[0].x;
    for (int i = 0; i < 5; i++) {
        f->legend[i].x += dx;
        f->legend_text_x[i] += dx;
    }
    for (int b = 0; b < LV_BTN__COUNT; b++)
        f->buttons[b] = (lv_rect){0, 0, 0, 0};
    char w[160];
    lv_cmp_same_words(c, lang, w, sizeof w);
    size_t n = strlen(f->subtitle);
    lv_textf(f->subtitle + n, sizeof f->subtitle - n, "  ·  %s", w);
}

lv_err lv_cmp_layout(lv_compare *c, const lv_viewport *win) {
    double sc = win->scale > 0 ? win->scale : lv_ui_scale(win->w, win->h, 1);
    int gap = iround(6 * sc);
    if (gap < 2) gap = 2;
    int h0 = (win->h - gap) / 2;
    c->p[0].r = (lv_rect){0, 0, win->w, h0};
    c->p[1].r = (lv_rect){0, h0 + gap, win->w, win->h - h0 - gap};
    for (int k = 0; k < 2; k++)
        if (lay_pane(c, k, win, sc, 0) != LV_OK) return LV_ENOMEM;
    /* one label width for both, so a time has one x in both panes */
    int x0 = c->p[0].f.area.x, x1 = c->p[1].f.area.x;
    if (x0 != x1 && lay_pane(c, x0 < x1 ? 0 : 1, win, sc, x0 < x1 ? x1 : x0) != LV_OK)
        return LV_ENOMEM;
    for (int k = 0; k < 2; k++)
        decorate(c, k);
    return LV_OK;
}
