/* Scheduler mode's pure part (see schedview.h): who can run and why not, typed numbers, clicks
 * and the layout of the column and the bar. It starts no run and draws nothing. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "grow.h"
#include "schedview.h"
#include "session.h"
#include "search.h"
#include "textf.h"

#define TYPE_WAIT 0.7 /* seconds a digit that may start a longer id waits for the next */

static int iround(double v) {
    return (int)lround(v);
}

void lv_sv_init(lv_schedview *sv) {
    memset(sv, 0, sizeof *sv);
    sv->seq = -2;
}

void lv_sv_free(lv_schedview *sv) {
    free(sv->enabled);
    free(sv->can);
    free(sv->why);
    free(sv->note);
    free(sv->cells);
    lv_state_free(&sv->st);
    lv_sv_init(sv);
}

void lv_sv_forget(lv_schedview *sv) {
    lv_state_free(&sv->st);
    sv->st_scene = NULL;
    sv->tr = NULL;
    sv->valid = 0;
    sv->have_point = 0;
    sv->ncells = 0;
}

/* ---- who can run, and why not ---- */

static const char *obj_phrase(const lv_trace *tr, int32_t o, int lang, char *buf, size_t len) {
    static const lv_tr_key words[LV_OBJ__COUNT] = {
        [LV_OBJ_MUTEX] = LV_T_LOCK,      [LV_OBJ_RLOCK] = LV_T_RLOCK,
        [LV_OBJ_SEMAPHORE] = LV_T_K_SEM, [LV_OBJ_BOUNDED_SEMAPHORE] = LV_T_K_BSEM,
        [LV_OBJ_EVENT] = LV_T_K_EVENT,   [LV_OBJ_CONDITION] = LV_T_K_COND};
    const char *name = lv_trace_object_name(tr, o);
    lv_obj_kind k = o >= 0 && (size_t)o < tr->nobjects ? tr->objects[o].kind : LV_OBJ__COUNT;
    if ((unsigned)k < LV_OBJ__COUNT && words[k])
        lv_textf(buf, len, lv_tr(lang, words[k]), name);
    else
        lv_textf(buf, len, "%s", name);
    return buf;
}

/* The thread's last event at or before seq, or NULL. */
static const lv_event *last_event(const lv_scene *s, int32_t th, long seq) {
    const lv_thread_geo *g = &s->th[th];
    size_t lo;
    LV_FIRST_FALSE(0, g->nevents, i, (long)g->events[i] <= seq, lo);
    return lo ? &s->tr->events[g->events[lo - 1]] : NULL;
}

void lv_sv_why(const lv_scene *s, const lv_state *st, int32_t th, int lang, char *buf, size_t len) {
    const lv_trace *tr = s->tr;
    char ob[128], tb[48];
    if (th < 0 || (size_t)th >= tr->nthreads) {
        snprintf(buf, len, "%s", lv_tr(lang, LV_T_WHY_OTHER));
        return;
    }
    switch (st->tstate[th]) {
    case LV_TS_NOT_STARTED:
        snprintf(buf, len, "%s", lv_tr(lang, LV_T_WHY_NOT_STARTED));
        return;
    case LV_TS_FINISHED:
        snprintf(buf, len, "%s", lv_tr(lang, LV_T_WHY_FINISHED));
        return;
    case LV_TS_SLEEPING: {
        const lv_event *e = last_event(s, th, st->seq);
        if (e && e->kind == LV_EV_SLEEP && (e->flags & LV_EVF_VALUE)) {
            lv_format_ns(e->t + e->value - s->t_first, tb, sizeof tb);
            lv_textf(buf, len, lv_tr(lang, LV_T_WHY_SLEEP), tb);
            return;
        }
        break;
    }
    case LV_TS_BLOCKED: {
        int32_t o = st->wait_obj[th], j = st->wait_thread[th];
        if (j >= 0) {
            lv_textf(buf, len, lv_tr(lang, LV_T_WHY_JOIN), lv_trace_thread_name(tr, j));
            return;
        }
        if (o < 0 || (size_t)o >= tr->nobjects) break;
        obj_phrase(tr, o, lang, ob, sizeof ob);
        switch (tr->objects[o].kind) {
        case LV_OBJ_MUTEX:
        case LV_OBJ_RLOCK: {
            int32_t owner = st->objs[o].owner;
            if (owner >= 0 && owner != th)
                lv_textf(buf, len, lv_tr(lang, LV_T_WHY_HELD), ob, lv_trace_thread_name(tr, owner));
            else
                lv_textf(buf, len, lv_tr(lang, LV_T_WHY_WAITS), ob);
            return;
        }
        case LV_OBJ_SEMAPHORE:
        case LV_OBJ_BOUNDED_SEMAPHORE:
            lv_textf(buf, len, lv_tr(lang, LV_T_WHY_SEM), ob);
            return;
        case LV_OBJ_EVENT:
            lv_textf(buf, len, lv_tr(lang, LV_T_WHY_EVENT), ob);
            return;
        case LV_OBJ_CONDITION:
            lv_textf(buf, len, lv_tr(lang, LV_T_WHY_COND), ob);
            return;
        default:
            lv_textf(buf, len, lv_tr(lang, LV_T_WHY_WAITS), ob);
            return;
        }
    }
    default:
        break;
    }
    snprintf(buf, len, "%s", lv_tr(lang, LV_T_WHY_OTHER));
}

/* Why thread th can run although its lane (the state st) says it sleeps, has not started or
 * waits: so the column and the lane's label never seem to disagree. "" when it is running. */
static void can_note(const lv_scene *s, const lv_state *st, int32_t th, int lang, char *buf,
                     size_t len) {
    char ob[128];
    buf[0] = 0;
    switch (st->tstate[th]) {
    case LV_TS_SLEEPING:
        snprintf(buf, len, "%s", lv_tr(lang, LV_T_CAN_WOKEN));
        break;
    case LV_TS_NOT_STARTED:
        snprintf(buf, len, "%s", lv_tr(lang, LV_T_CAN_START));
        break;
    case LV_TS_BLOCKED:
        if (st->wait_obj[th] >= 0)
            lv_textf(buf, len, lv_tr(lang, LV_T_CAN_WAIT_ENDS),
                     obj_phrase(s->tr, st->wait_obj[th], lang, ob, sizeof ob));
        break;
    default:
        break;
    }
}

long lv_sv_pick_seq(const lv_schedview *sv, const lv_trace *shown, long seq, int playing) {
    if (sv->on && !sv->whole && playing && shown->nevents > 0) return (long)shown->nevents - 1;
    return seq;
}

size_t lv_sv_step_events(const lv_trace *tr, size_t nbefore, int32_t th) {
    size_t n = 0;
    for (size_t i = nbefore; i < tr->nevents; i++)
        n += tr->events[i].thread == th;
    return n;
}

lv_err lv_sv_update(lv_schedview *sv, const lv_scene *s, long seq, const lv_sched_point *p,
                    int lang) {
    const lv_trace *tr = s->tr;
    int same = sv->valid && sv->tr == tr && sv->st_scene == s && sv->seq == seq &&
               sv->lang == lang && sv->have_point == (p != NULL) &&
               (!p || (sv->point.index == p->index && sv->point.nbefore == p->nbefore));
    if (same) return LV_OK;
    sv->valid = 0;
    if (sv->st_scene != s) {
        lv_state_free(&sv->st);
        sv->st_scene = NULL;
        if (lv_state_init(&sv->st, s) != LV_OK) return LV_ENOMEM;
        sv->st_scene = s;
    }
    size_t nt = tr->nthreads;
    if (lv_grow((void **)&sv->can, &sv->capthreads, 1, nt ? nt : 1)) return LV_ENOMEM;
    char(*why)[LV_SV_WHY] = realloc(sv->why, (nt ? nt : 1) * sizeof *why);
    if (!why) return LV_ENOMEM;
    sv->why = why;
    char(*note)[LV_SV_WHY] = realloc(sv->note, (nt ? nt : 1) * sizeof *note);
    if (!note) return LV_ENOMEM;
    sv->note = note;
    sv->nthreads = nt;
    sv->have_point = p != NULL;
    if (p) {
        if (lv_grow((void **)&sv->enabled, &sv->capen, sizeof *sv->enabled,
                    p->nenabled ? p->nenabled : 1))
            return LV_ENOMEM;
        memcpy(sv->enabled, p->enabled, p->nenabled * sizeof *p->enabled);
        sv->point = *p;
        sv->point.enabled = sv->enabled;
    }
    /* the reasons describe the moment of the choice: after the events before it */
    long at = p ? (long)p->nbefore - 1 : seq;
    if (lv_state_seek(&sv->st, s, at) != LV_OK) return LV_ENOMEM;
    for (size_t i = 0; i < nt; i++) {
        int can = 0;
        for (size_t k = 0; p && k < p->nenabled; k++)
            can |= p->enabled[k] == (int32_t)i;
        sv->can[i] = (uint8_t)can;
        sv->why[i][0] = sv->note[i][0] = 0;
        /* without a choice, a running thread needs no excuse */
        if (!can && (p || sv->st.tstate[i] != LV_TS_RUNNING))
            lv_sv_why(s, &sv->st, (int32_t)i, lang, sv->why[i], LV_SV_WHY);
        if (can) can_note(s, &sv->st, (int32_t)i, lang, sv->note[i], LV_SV_WHY);
    }
    sv->tr = tr;
    sv->seq = seq;
    sv->lang = lang;
    sv->valid = 1;
    return LV_OK;
}

int lv_sv_cut_shown(const lv_schedview *sv, const lv_trace *tr) {
    return sv && sv->on && !sv->whole && tr->outcome == LV_OUT_ABORTED;
}

int lv_sv_can_run(const lv_schedview *sv, int32_t th) {
    return sv->valid && sv->have_point && th >= 0 && (size_t)th < sv->nthreads && sv->can[th];
}

lv_err lv_sv_choices(const lv_trace *shown, size_t index, int32_t thread, int32_t **out,
                     size_t *n) {
    *out = NULL;
    *n = 0;
    if (index > shown->nschedule) return LV_EUSAGE;
    int32_t *c = malloc((index + 1) * sizeof *c);
    if (!c) return LV_ENOMEM;
    if (index) memcpy(c, shown->schedule, index * sizeof *c);
    c[index] = thread;
    *out = c;
    *n = index + 1;
    return LV_OK;
}

/* ---- typing a thread's number ---- */

int32_t lv_sv_digit(lv_schedview *sv, int digit, size_t nthreads) {
    if (digit < 0 || digit > 9) return -1;
    long v = sv->typed_left > 0 ? (long)sv->typed * 10 + digit : digit;
    if (v >= (long)nthreads && sv->typed_left > 0) v = digit; /* a new number, not a longer one */
    if (v * 10 < (long)nthreads && v != 0) {                  /* a longer id may follow */
        sv->typed = (int)v;
        sv->typed_left = TYPE_WAIT;
        return -1;
    }
    sv->typed = 0;
    sv->typed_left = 0;
    return (int32_t)v;
}

int32_t lv_sv_tick(lv_schedview *sv, double dt) {
    if (sv->typed_left <= 0 || dt <= 0) return -1;
    sv->typed_left -= dt;
    if (sv->typed_left > 0) return -1;
    sv->typed_left = 0;
    return (int32_t)sv->typed;
}

/* ---- layout ---- */

int lv_sv_bar_height(const lv_viewport *vp) {
    double sc = vp->scale > 0 ? vp->scale : lv_ui_scale(vp->w, vp->h, 1);
    int body = vp->line_h[LV_FONT_BODY] > 0 ? vp->line_h[LV_FONT_BODY]
                                            : iround(lv_font_px(LV_FONT_BODY, sc) * 1.2);
    return body + iround(14 * sc);
}

void lv_sv_reserve(const lv_schedview *sv, lv_viewport *vp) {
    vp->sched_col_w = vp->sched_bar_h = 0;
    vp->sched = NULL;
    if (!sv->on) return;
    double sc = vp->scale > 0 ? vp->scale : lv_ui_scale(vp->w, vp->h, 1);
    vp->sched_bar_h = lv_sv_bar_height(vp);
    vp->sched_col_w = iround(0.22 * vp->w);
    if (vp->sched_col_w < iround(230 * sc)) vp->sched_col_w = iround(230 * sc);
    vp->sched = sv;
}

static int measure(const lv_viewport *vp, lv_font_id f, const char *s) {
    size_t n = strlen(s);
    return vp->measure ? vp->measure(vp->measure_ctx, f, s, n) : (int)n * 9;
}

/* "--schedule 0,1,1,2" cut at the front, whole entries at a time, to fit maxw */
static void schedule_from(lv_schedview *sv, const lv_trace *tr, size_t start) {
    char list[480];
    lv_schedule_format(tr->schedule + start, tr->nschedule - start, list, sizeof list);
    lv_textf(sv->sched_text, sizeof sv->sched_text, "--schedule %s%s", start ? "…," : "", list);
}

static void fit_schedule(lv_schedview *sv, const lv_viewport *vp, const lv_trace *tr, int maxw) {
    size_t n = tr->nschedule, lo = n, len = 0;
    while (lo > 0) { /* the entries that fit the string at all */
        char one[16];
        size_t k = (size_t)snprintf(one, sizeof one, "%d,", (int)tr->schedule[lo - 1]);
        if (len + k > 400) break;
        len += k;
        lo--;
    }
    size_t hi = n - 1; /* the last entry alone is shown even when too wide */
    while (lo < hi) {  /* the first start that fits: fewer entries are narrower */
        size_t mid = lo + (hi - lo) / 2;
        schedule_from(sv, tr, mid);
        if (measure(vp, LV_FONT_MONO, sv->sched_text) <= maxw)
            hi = mid;
        else
            lo = mid + 1;
    }
    schedule_from(sv, tr, lo);
}

lv_err lv_sv_layout(lv_schedview *sv, const lv_frame *f, const lv_viewport *vp,
                    const lv_trace *trace) {
    sv->ncells = 0;
    if (!sv->on) return LV_OK;
    double sc = f->scale;
    int pad = iround(8 * sc), lang = vp->lang;
    /* the column: one cell per lane shown, level with it */
    lv_rect col = f->sched_col;
    if (lv_grow((void **)&sv->cells, &sv->capcells, sizeof *sv->cells, f->nlanes ? f->nlanes : 1))
        return LV_ENOMEM;
    for (size_t i = 0; i < f->nlanes && col.w > 0; i++) {
        const lv_lane *ln = &f->lanes[i];
        lv_sv_cell *c = &sv->cells[sv->ncells++];
        c->thread = ln->thread;
        c->can_run = lv_sv_can_run(sv, ln->thread);
        int gap = iround(3 * sc);
        c->r = (lv_rect){col.x, ln->r.y + gap, col.w - pad, ln->r.h - 2 * gap};
        int side = f->line_h[LV_FONT_LABEL] + iround(6 * sc);
        if (side > c->r.h) side = c->r.h;
        c->badge = (lv_rect){c->r.x + pad / 2, c->r.y + (c->r.h - side) / 2, side, side};
        int tx = c->badge.x + side + pad;
        c->text = (lv_rect){tx, c->r.y, c->r.x + c->r.w - tx - pad / 2, c->r.h};
    }
    /* the bar: title, message, then from the right: Auto, the copy hint, the schedule */
    lv_rect bar = f->sched_bar;
    int lh = f->line_h[LV_FONT_BODY], y = bar.y + (bar.h - lh) / 2;
    snprintf(sv->title_text, sizeof sv->title_text, "%s", lv_tr(lang, LV_T_SCHED));
    sv->title = (lv_rect){pad, y, measure(vp, LV_FONT_BODY, sv->title_text) + 2 * pad, lh};
    int aw = measure(vp, LV_FONT_BODY, lv_tr(lang, LV_T_SCHED_AUTO)) + 2 * pad;
    sv->auto_btn = (lv_rect){bar.w - pad - aw, bar.y + iround(4 * sc), aw, bar.h - iround(8 * sc)};
    int hw = measure(vp, LV_FONT_NOTE, lv_tr(lang, LV_T_SCHED_COPY_HINT));
    int right = sv->auto_btn.x - 2 * pad;
    sv->sched_text[0] = 0;
    int sw = 0;
    if (trace && trace->nschedule) {
        fit_schedule(sv, vp, trace, iround(0.3 * bar.w));
        sw = measure(vp, LV_FONT_MONO, sv->sched_text);
        if (sw > iround(0.3 * bar.w)) sw = iround(0.3 * bar.w);
    }
    if (sw) {
        sv->hint_r = (lv_rect){right - hw, bar.y + (bar.h - f->line_h[LV_FONT_NOTE]) / 2, hw,
                               f->line_h[LV_FONT_NOTE]};
        sv->sched_r =
            (lv_rect){sv->hint_r.x - pad - sw, bar.y + (bar.h - f->line_h[LV_FONT_MONO]) / 2, sw,
                      f->line_h[LV_FONT_MONO]};
        right = sv->sched_r.x - 2 * pad;
    } else {
        sv->hint_r = sv->sched_r = (lv_rect){0, 0, 0, 0};
    }
    int mx = sv->title.x + sv->title.w + pad;
    sv->msg = (lv_rect){mx, y, right > mx ? right - mx : 0, lh};
    char nb[32];
    if (sv->whole && sv->playing)
        snprintf(sv->msg_text, sizeof sv->msg_text, "%s", lv_tr(lang, LV_T_SCHED_PLAYING));
    else if (!sv->have_point)
        snprintf(sv->msg_text, sizeof sv->msg_text, "%s",
                 lv_tr(lang, trace && sv->seq >= (long)trace->nevents - 1 ? LV_T_SCHED_OVER
                                                                          : LV_T_SCHED_NONE));
    else if ((long)sv->point.nbefore - 1 > sv->seq) {
        snprintf(nb, sizeof nb, "%ld", (long)sv->point.nbefore); /* event numbers from 1 */
        snprintf(sv->msg_text, sizeof sv->msg_text, lv_tr(lang, LV_T_SCHED_LATER), nb);
    } else
        snprintf(sv->msg_text, sizeof sv->msg_text, "%s", lv_tr(lang, LV_T_SCHED_PROMPT));
    return LV_OK;
}

lv_sv_target lv_sv_hit(const lv_schedview *sv, const lv_frame *f, int x, int y, int32_t *thread) {
    if (!sv->on) return LV_SV_NOTHING;
    if (lv_rect_has(sv->auto_btn, x, y)) return LV_SV_AUTO;
    if (sv->sched_r.w && (lv_rect_has(sv->sched_r, x, y) || lv_rect_has(sv->hint_r, x, y)))
        return LV_SV_SCHEDULE;
    for (size_t i = 0; i < sv->ncells; i++)
        if (lv_rect_has(sv->cells[i].r, x, y)) {
            *thread = sv->cells[i].thread;
            return LV_SV_THREAD;
        }
    int32_t th = lv_hit_lane(f, x, y);
    if (th >= 0) {
        *thread = th;
        return LV_SV_THREAD;
    }
    return LV_SV_NOTHING;
}
