/* The objects panel: every lock with its owner and queue, every semaphore as a row of stalls,
 * every event as a red/green light, every shared var with its value and recent reads and
 * writes, the stale read of a lost update marked; and the names and counts beside the gauge
 * strips under the lanes. Reads the state at the playhead; no layout logic beyond stacking
 * boxes top to bottom. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "render_impl.h"
#include "textf.h"

typedef struct pen {
    int x, y, w, bottom;
} pen;

static lv_rgb C(lv_color c) {
    return lv_color_rgb(c);
}

/* Names as chips, flowing over lines; returns the y below them. */
static int chips(lv_render *R, const lv_trace *tr, const lv_ids *ids, pen *p, int x0,
                 lv_color border) {
    int lh = lv_fonts_line_h(R->fonts, LV_FONT_NOTE), pad = lv__px(R, 4);
    int x = x0, y = p->y;
    for (size_t i = 0; i < ids->n; i++) {
        const char *nm = lv_trace_thread_name(tr, ids->v[i]);
        int tw = lv__measure(R, LV_FONT_NOTE, nm);
        if (tw > p->w - 2 * pad) tw = p->w - 2 * pad;
        if (x + tw + 2 * pad > p->x + p->w && x > x0) {
            x = x0;
            y += lh + pad;
        }
        if (y + lh > p->bottom) break;
        if (tw > p->x + p->w - x - 2 * pad) tw = p->x + p->w - x - 2 * pad; /* "…" in the panel */
        lv_rect r = {x, y, tw + 2 * pad, lh};
        lv__fill(R, r, C(LV_C_BG));
        lv__frame_rect(R, r, C(border), lv__px(R, 2));
        lv__text_fit(R, LV_FONT_NOTE, nm, x + pad, y, tw, C(LV_C_TEXT));
        x += tw + 3 * pad;
    }
    return y + lh + pad;
}

static void line_text(lv_render *R, pen *p, lv_font_id f, const char *s, lv_rgb c) {
    int lh = lv_fonts_line_h(R->fonts, f);
    if (p->y + lh > p->bottom) return;
    lv__text_fit(R, f, s, p->x, p->y, p->w, c);
    p->y += lh;
}

/* s wrapped over as many lines as it needs (a count is never cut to "…"), the first from x;
 * the pen ends below the last. */
static void wrap_text(lv_render *R, pen *p, lv_font_id f, int x, const char *s, lv_rgb c) {
    int lh = lv_fonts_line_h(R->fonts, f);
    size_t n = strlen(s);
    while (n > 0 && p->y + lh <= p->bottom) {
        int room = p->x + p->w - x;
        size_t k = lv_wrap_line(lv_fonts_measure, R->fonts, f, s, n, room);
        if (k > n) k = n;
        lv__text(R, f, s, k, x, p->y, c);
        p->y += lh;
        while (k < n && (s[k] == ' ' || s[k] == '\n'))
            k++;
        s += k;
        n -= k;
        x = p->x;
    }
}

static void waiting(lv_render *R, const lv_trace *tr, const lv_ostate *o, pen *p, int lang) {
    if (!o->waiters.n) return;
    int lh = lv_fonts_line_h(R->fonts, LV_FONT_NOTE);
    if (p->y + lh > p->bottom) return;
    int w = lv__textz(R, LV_FONT_NOTE, lv_tr(lang, LV_T_WAITING), p->x, p->y, C(LV_C_BLOCKED));
    p->y = chips(R, tr, &o->waiters, p, p->x + w + lv__px(R, 6), LV_C_BLOCKED);
}

static void draw_lock(lv_render *R, const lv_scene *s, const lv_state *st, const lv_trace *tr,
                      const lv_trace_object *ob, const lv_ostate *o, pen *p, int lang) {
    char b[256];
    int lh = lv_fonts_line_h(R->fonts, LV_FONT_BODY);
    if (p->y + lh > p->bottom) return;
    int sw = lh * 2 / 3;
    lv__fill(R, (lv_rect){p->x, p->y + (lh - sw) / 2, sw, sw}, C(lv_hold_color(ob->id)));
    lv_textf(b, sizeof b, lv_tr(lang, ob->kind == LV_OBJ_RLOCK ? LV_T_RLOCK : LV_T_LOCK), ob->name);
    int x0 = p->x + sw + lv__px(R, 6), y0 = p->y;
    wrap_text(R, p, LV_FONT_BODY, x0, b, C(LV_C_TEXT));
    int w = lv__measure(R, LV_FONT_BODY, b);
    lv_lock_status(s, st, ob->id, lang, b, sizeof b);
    /* the owner and count beside the name when both fit, else on the lines below it */
    int x = x0 + w + lv__px(R, 14);
    if (p->y == y0 + lh && x + lv__measure(R, LV_FONT_BODY, b) <= p->x + p->w) {
        p->y = y0;
    } else {
        x = p->x + sw + lv__px(R, 6);
        /* no room left for the owner: its waiters are not shown without it (a "waiting:"
         * line in the smaller font under a lock that seems to have no holder misleads) */
        if (p->y + lh > p->bottom) return;
    }
    wrap_text(R, p, LV_FONT_BODY, x, b, o->owner >= 0 ? C(LV_C_TEXT) : C(LV_C_RUNNING));
    waiting(R, tr, o, p, lang);
}

static void draw_sem(lv_render *R, const lv_scene *s, const lv_state *st, const lv_trace *tr,
                     const lv_trace_object *ob, const lv_ostate *o, pen *p, int lang) {
    char b[256];
    lv_sem_words(s, st, ob->id, lang, b, sizeof b);
    wrap_text(R, p, LV_FONT_BODY, p->x, b, C(LV_C_TEXT));
    int64_t cap = ob->param > 0 ? ob->param : 0;
    int lh = lv_fonts_line_h(R->fonts, LV_FONT_NOTE), gap = lv__px(R, 4);
    if (cap > 0 && cap <= 8 && p->y + lh + 2 * gap <= p->bottom) {
        int sw = (p->w - (int)(cap - 1) * gap) / (int)cap;
        for (int64_t i = 0; i < cap; i++) {
            lv_rect r = {p->x + (int)i * (sw + gap), p->y, sw, lh + gap};
            int used = (size_t)i < o->inside.n;
            lv__fill(R, r, used ? C(LV_C_HOLD) : C(LV_C_BG));
            lv__frame_rect(R, r, C(LV_C_DIM), 1);
            if (used)
                lv__text_fit(R, LV_FONT_NOTE, lv_trace_thread_name(tr, o->inside.v[i]), r.x + gap,
                             r.y + gap / 2, r.w - 2 * gap, (lv_rgb){255, 255, 255});
        }
        p->y += lh + 2 * gap;
    } else if (o->inside.n) {
        p->y = chips(R, tr, &o->inside, p, p->x, LV_C_HOLD);
    }
    waiting(R, tr, o, p, lang);
}

/* an rwlock: its writer, or its readers, and who waits */
static void draw_rwlock(lv_render *R, const lv_trace *tr, const lv_trace_object *ob,
                        const lv_ostate *o, pen *p, int lang) {
    char b[256];
    int lh = lv_fonts_line_h(R->fonts, LV_FONT_BODY);
    if (p->y + lh > p->bottom) return;
    int sw = lh * 2 / 3;
    lv__fill(R, (lv_rect){p->x, p->y + (lh - sw) / 2, sw, sw}, C(lv_hold_color(ob->id)));
    lv_textf(b, sizeof b, lv_tr(lang, LV_T_RWLOCK), ob->name);
    int w =
        lv__text_fit(R, LV_FONT_BODY, b, p->x + sw + lv__px(R, 6), p->y, p->w / 2, C(LV_C_TEXT));
    int x = p->x + sw + w + lv__px(R, 14);
    if (o->owner >= 0) {
        lv_textf(b, sizeof b, lv_tr(lang, LV_T_WRITTEN_BY), lv_trace_thread_name(tr, o->owner));
        lv__text_fit(R, LV_FONT_BODY, b, x, p->y, p->x + p->w - x, C(LV_C_TEXT));
    } else if (o->inside.n) {
        lv__text_fit(R, LV_FONT_BODY, lv_tr(lang, LV_T_READ_BY), x, p->y, p->x + p->w - x,
                     C(LV_C_TEXT));
    } else {
        lv__text_fit(R, LV_FONT_BODY, lv_tr(lang, LV_T_FREE), x, p->y, p->x + p->w - x,
                     C(LV_C_RUNNING));
    }
    p->y += lh;
    if (o->owner < 0 && o->inside.n) p->y = chips(R, tr, &o->inside, p, p->x, LV_C_HOLD);
    waiting(R, tr, o, p, lang);
}

static void draw_event(lv_render *R, const lv_trace *tr, const lv_trace_object *ob,
                       const lv_ostate *o, pen *p, int lang) {
    int lh = lv_fonts_line_h(R->fonts, LV_FONT_BODY);
    if (p->y + lh > p->bottom) return;
    int rad = lh / 2 - 1;
    lv__disc(R, p->x + rad, p->y + lh / 2, rad, C(LV_C_TEXT));
    lv__disc(R, p->x + rad, p->y + lh / 2, rad - lv__px(R, 2),
             o->flag ? C(LV_C_RUNNING) : C(LV_C_BLOCKED));
    char b[256];
    lv_textf(b, sizeof b, lv_tr(lang, o->flag ? LV_T_EVENT_SET : LV_T_EVENT_CLEAR), ob->name);
    lv__text_fit(R, LV_FONT_BODY, b, p->x + 2 * rad + lv__px(R, 8), p->y,
                 p->w - 2 * rad - lv__px(R, 8), C(LV_C_TEXT));
    p->y += lh;
    waiting(R, tr, o, p, lang);
}

static const char *mark_words(uint8_t m, int lang) {
    switch (m) {
    case LV_MARK_STALE_READ:
        return lv_tr(lang, LV_T_STALE_READ);
    case LV_MARK_LOST_WRITE:
        return lv_tr(lang, LV_T_LOST);
    case LV_MARK_BAD_WRITE:
        return lv_tr(lang, LV_T_OVERWRITES);
    default:
        return "";
    }
}

static void draw_var(lv_render *R, const lv_trace *tr, const lv_trace_object *ob,
                     const lv_ostate *o, pen *p, int lang) {
    char b[256];
    lv_textf(b, sizeof b, "%s = %" PRId64, ob->name, o->count);
    line_text(R, p, LV_FONT_LABEL, b, C(LV_C_TEXT));
    int lh = lv_fonts_line_h(R->fonts, LV_FONT_NOTE);
    if (o->total_hist > o->nhist && p->y + lh <= p->bottom) {
        char nb[32];
        snprintf(nb, sizeof nb, "%zu", o->total_hist - o->nhist);
        snprintf(b, sizeof b, lv_tr(lang, LV_T_EARLIER), nb);
        line_text(R, p, LV_FONT_NOTE, b, C(LV_C_DIM));
    }
    for (size_t i = 0; i < o->nhist && p->y + lh <= p->bottom; i++) {
        const lv_hist *h = &o->hist[i];
        const char *mw = mark_words(h->mark, lang);
        lv_textf(b, sizeof b, "#%" PRIu32 "  %s %s %" PRId64 "%s%s", h->seq + 1,
                 lv_trace_thread_name(tr, h->thread),
                 lv_tr(lang, h->write ? LV_T_WROTE : LV_T_READ), h->value, *mw ? "  " : "", mw);
        lv_rgb c = C(LV_C_TEXT);
        if (h->mark == LV_MARK_STALE_READ || h->mark == LV_MARK_BAD_WRITE) {
            lv__fill(R, (lv_rect){p->x - lv__px(R, 4), p->y, p->w + lv__px(R, 4), lh},
                     C(LV_C_STALE));
        } else if (h->mark == LV_MARK_LOST_WRITE) {
            c = C(LV_C_DIM);
        }
        int w = lv__text_fit(R, LV_FONT_NOTE, b, p->x, p->y, p->w, c);
        if (h->mark == LV_MARK_LOST_WRITE) /* struck through: nobody will ever see it */
            lv__fill(R, (lv_rect){p->x, p->y + lh / 2, w, lv__px(R, 2)}, C(LV_C_TEXT));
        p->y += lh;
    }
}

void lv__draw_objects(lv_render *R, const lv_scene *s, const lv_state *st, const lv_frame *f,
                      int lang) {
    const lv_trace *tr = s->tr;
    lv__fill(R, f->objects, C(LV_C_PANEL));
    lv__fill(R, (lv_rect){f->objects.x, f->objects.y, lv__px(R, 2), f->objects.h}, C(LV_C_GRID));
    int pad = lv__px(R, 12);
    pen p = {f->objects.x + pad, f->objects.y + pad / 2, f->objects.w - 2 * pad,
             f->objects.y + f->objects.h - pad / 2};
    line_text(R, &p, LV_FONT_NOTE, f->status, C(LV_C_DIM));
    p.y += pad / 2;
    size_t shown = 0;
    for (size_t i = 0; i < tr->nobjects; i++) {
        const lv_trace_object *ob = &tr->objects[i];
        const lv_ostate *o = &st->objs[i];
        int y0 = p.y;
        if (p.y + lv_fonts_line_h(R->fonts, LV_FONT_BODY) > p.bottom) break;
        switch (ob->kind) {
        case LV_OBJ_MUTEX:
        case LV_OBJ_RLOCK:
            draw_lock(R, s, st, tr, ob, o, &p, lang);
            break;
        case LV_OBJ_SEMAPHORE:
        case LV_OBJ_BOUNDED_SEMAPHORE:
            draw_sem(R, s, st, tr, ob, o, &p, lang);
            break;
        case LV_OBJ_EVENT:
            draw_event(R, tr, ob, o, &p, lang);
            break;
        case LV_OBJ_VAR: {
            lv_ostate known = *o; /* a read is known stale once its lost update is complete */
            for (size_t k = 0; k < known.nhist; k++)
                if (known.hist[k].mark && lv_frame_future_lost(f, s, known.hist[k].seq))
                    known.hist[k].mark = LV_MARK_NONE;
            draw_var(R, tr, ob, &known, &p, lang);
            break;
        }
        case LV_OBJ_GAUGE: {
            char b[256];
            int over = lv_gauge_words(s, st, ob->id, lang, b, sizeof b);
            wrap_text(R, &p, LV_FONT_LABEL, p.x, b, over ? C(LV_C_BLOCKED) : C(LV_C_TEXT));
            break;
        }
        case LV_OBJ_RWLOCK:
            draw_rwlock(R, tr, ob, o, &p, lang);
            break;
        case LV_OBJ_BARRIER: {
            char b[256], nb[32];
            snprintf(nb, sizeof nb, "%" PRId64, ob->param);
            lv_textf(b, sizeof b, lv_tr(lang, LV_T_BARRIER), ob->name, nb);
            line_text(R, &p, LV_FONT_BODY, b, C(LV_C_TEXT));
            waiting(R, tr, o, &p, lang);
            break;
        }
        default: {
            char b[256];
            lv_textf(b, sizeof b, "%s %s", lv_obj_kind_name(ob->kind), ob->name);
            line_text(R, &p, LV_FONT_BODY, b, C(LV_C_TEXT));
            waiting(R, tr, o, &p, lang);
        }
        }
        if (p.y > y0) shown++;
        if (p.y > y0 && f->cycle_shown && s->obj_cycle && s->obj_cycle[i]) /* a cycle's lock */
            lv__frame_rect(
                R, (lv_rect){f->objects.x + pad / 3, y0 - 2, f->objects.w - pad, p.y - y0 + 4},
                C(LV_C_BLOCKED), lv__px(R, 2));
        p.y += pad / 2;
    }
    if (shown < tr->nobjects && p.y + lv_fonts_line_h(R->fonts, LV_FONT_NOTE) <= p.bottom + pad) {
        char b[96], nb[32];
        snprintf(nb, sizeof nb, "%zu", tr->nobjects - shown);
        snprintf(b, sizeof b, lv_tr(lang, LV_T_MORE_OBJECTS), nb);
        lv__textz(R, LV_FONT_NOTE, b, p.x, p.bottom - lv_fonts_line_h(R->fonts, LV_FONT_NOTE),
                  C(LV_C_DIM));
    }
}

/* Each gauge strip's name and count at the playhead, in the lanes' label column. */
void lv__draw_gauges(lv_render *R, const lv_scene *s, const lv_state *st, const lv_frame *f,
                     int lang) {
    for (size_t i = 0; i < f->ngauges; i++) {
        lv_rect g = f->gauges[i];
        char b[256];
        int over = lv_gauge_words(s, st, f->gauge_obj[i], lang, b, sizeof b);
        int pad = lv__px(R, 10), lh = f->line_h[LV_FONT_NOTE];
        pen p = {pad, g.y + (g.h - 2 * lh) / 2, g.x - 2 * pad, g.y + g.h};
        if (over) lv__fill(R, (lv_rect){0, g.y, g.x - pad / 2, g.h}, (lv_rgb){253, 226, 210});
        wrap_text(R, &p, LV_FONT_NOTE, p.x, b, over ? C(LV_C_BLOCKED) : C(LV_C_TEXT));
    }
}
