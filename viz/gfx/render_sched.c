/* Draws scheduler mode's column (each lane's number, "can run" or why not) and its bar (the
 * prompt, the schedule string, the Auto button) where schedview.c laid them out, and predict
 * mode's bar and answer marks where predict.c did. Paints only: what can run, and why, is
 * decided in schedview.c, and what a guess scores in predict.c. */
#include <string.h>
#include "render_impl.h"
#include "predict.h"
#include "schedview.h"
#include "textf.h"

static lv_rgb C(lv_color c) {
    return lv_color_rgb(c);
}

static const lv_rgb white = {255, 255, 255};

/* Text in up to two lines of rect r (cut at a space when it can be), "…" when it is longer. */
static void text2(lv_render *R, lv_font_id font, const char *s, lv_rect r, int line_h, lv_rgb c) {
    size_t n = strlen(s);
    int lines = r.h >= 2 * line_h ? 2 : 1;
    int y = r.y + (r.h - lines * line_h) / 2;
    if (lines == 1 || lv_fonts_measure(R->fonts, font, s, n) <= r.w) {
        lv__text_fit(R, font, s, r.x, r.y + (r.h - line_h) / 2, r.w, c);
        return;
    }
    size_t k = lv_fit_prefix(lv_fonts_measure, R->fonts, font, s, n, r.w);
    size_t cut = k;
    while (cut > 0 && s[cut] != ' ')
        cut--;
    if (cut == 0) cut = k;
    lv__text(R, font, s, cut, r.x, y, c);
    while (s[cut] == ' ')
        cut++;
    lv__text_fit(R, font, s + cut, r.x, y + line_h, r.w, c);
}

static void draw_cell(lv_render *R, const lv_frame *f, const lv_schedview *sv, const lv_sv_cell *c,
                      int lang) {
    char num[16];
    snprintf(num, sizeof num, "%d", (int)c->thread);
    int bw = lv__px(R, 2);
    if (c->can_run) {
        lv__fill(R, c->r, (lv_rgb){222, 243, 236});
        lv__frame_rect(R, c->r, C(LV_C_RUNNING), bw);
        lv__fill(R, c->badge, C(LV_C_RUNNING));
    } else {
        lv__frame_rect(R, c->badge, C(LV_C_DIM), 1);
    }
    int tw = lv__measure(R, LV_FONT_LABEL, num);
    lv__textz(R, LV_FONT_LABEL, num, c->badge.x + (c->badge.w - tw) / 2,
              c->badge.y + (c->badge.h - f->line_h[LV_FONT_LABEL]) / 2,
              c->can_run ? white : C(LV_C_DIM));
    const char *note =
        c->can_run && c->thread >= 0 && (size_t)c->thread < sv->nthreads ? sv->note[c->thread] : "";
    if (c->can_run && note[0]) { /* its lane says asleep or waiting: why it can run anyway */
        char b[96 + LV_SV_WHY];
        if (c->text.h >= 2 * f->line_h[LV_FONT_BODY]) {
            lv_textf(b, sizeof b, "▶ %s: %s", lv_tr(lang, LV_T_SCHED_CAN_RUN), note);
            text2(R, LV_FONT_BODY, b, c->text, f->line_h[LV_FONT_BODY], C(LV_C_TEXT));
        } else { /* one line: the green cell says it can run, the words say why */
            lv_textf(b, sizeof b, "▶ %s", note);
            lv__text_fit(R, LV_FONT_NOTE, b, c->text.x,
                         c->text.y + (c->text.h - f->line_h[LV_FONT_NOTE]) / 2, c->text.w,
                         C(LV_C_TEXT));
        }
    } else if (c->can_run) {
        char b[96];
        snprintf(b, sizeof b, "▶ %s", lv_tr(lang, LV_T_SCHED_CAN_RUN));
        lv__text_fit(R, LV_FONT_LABEL, b, c->text.x,
                     c->text.y + (c->text.h - f->line_h[LV_FONT_LABEL]) / 2, c->text.w,
                     C(LV_C_TEXT));
    } else if (c->thread >= 0 && (size_t)c->thread < sv->nthreads && sv->why[c->thread][0]) {
        text2(R, LV_FONT_BODY, sv->why[c->thread], c->text, f->line_h[LV_FONT_BODY], C(LV_C_TEXT));
    }
}

/* Predict mode: each answer at its event, on its lane (a tick or a cross, green or vermillion);
 * the bar: the score, the question, the values to choose from. */
static void draw_predict(lv_render *R, const lv_scene *s, const lv_frame *f,
                         const lv_viewport *vp) {
    const lv_predict *pr = vp->predict;
    SDL_Rect clip = {f->area.x, f->area.y, f->area.w, f->area.h};
    SDL_RenderSetClipRect(R->r, &clip);
    (void)s;
    for (size_t i = 0; i < pr->nplaced; i++) { /* where predict.c placed them: off the notes */
        const lv_pmark_at *m = &pr->placed[i];
        lv__disc(R, m->x, m->y, m->r, C(LV_C_TEXT));
        lv__disc(R, m->x, m->y, m->r - lv__px(R, 1), m->ok ? C(LV_C_RUNNING) : C(LV_C_BLOCKED));
        const char *g = m->ok ? "✓" : "✗";
        int gw = lv__measure(R, LV_FONT_NOTE, g);
        lv__textz(R, LV_FONT_NOTE, g, m->x - gw / 2, m->y - f->line_h[LV_FONT_NOTE] / 2, white);
    }
    SDL_RenderSetClipRect(R->r, NULL);
    lv_rect bar = f->sched_bar;
    if (bar.h <= 0) return;
    int pad = lv__px(R, 8);
    lv__fill(R, bar, C(LV_C_PANEL));
    lv__fill(R, (lv_rect){bar.x, bar.y, bar.w, lv__px(R, 2)}, C(LV_C_GRID));
    lv__fill(R, pr->title, C(LV_C_TEXT));
    lv__textz(R, LV_FONT_BODY, pr->title_text, pr->title.x + pad, pr->title.y, white);
    lv__text_fit(R, LV_FONT_BODY, pr->text_text, pr->text.x, pr->text.y, pr->text.w, C(LV_C_TEXT));
    for (size_t i = 0; i < LV_PQ_MAXOPT; i++) {
        lv_rect o = pr->opt[i];
        if (o.w <= 0) continue;
        lv__fill(R, o, C(LV_C_BG));
        lv__frame_rect(R, o, C(LV_C_TEXT), lv__px(R, 2));
        int tw = lv__measure(R, LV_FONT_BODY, pr->opt_text[i]);
        lv__textz(R, LV_FONT_BODY, pr->opt_text[i], o.x + (o.w - tw) / 2,
                  o.y + (o.h - f->line_h[LV_FONT_BODY]) / 2, C(LV_C_TEXT));
    }
}

void lv__draw_sched(lv_render *R, const lv_scene *s, const lv_frame *f, const lv_viewport *vp) {
    if (vp->predict && vp->predict->on) draw_predict(R, s, f, vp);
    const lv_schedview *sv = vp->sched;
    if (!sv || !sv->on) return;
    int pad = lv__px(R, 8);
    /* the header's S button, pressed */
    lv_rect sb = f->buttons[LV_BTN_SCHED];
    lv__fill(R, sb, C(LV_C_TEXT));
    int sw = lv__measure(R, LV_FONT_TITLE, "S");
    lv__textz(R, LV_FONT_TITLE, "S", sb.x + (sb.w - sw) / 2,
              sb.y + (sb.h - f->line_h[LV_FONT_TITLE]) / 2, white);
    /* the column */
    if (f->sched_col.w > 0) {
        lv__fill(R, f->sched_col, C(LV_C_BG));
        lv__fill(R, (lv_rect){f->sched_col.x - pad / 2, f->sched_col.y, 1, f->sched_col.h},
                 C(LV_C_GRID));
        for (size_t i = 0; i < sv->ncells; i++)
            draw_cell(R, f, sv, &sv->cells[i], vp->lang);
    }
    /* the bar */
    lv_rect bar = f->sched_bar;
    if (bar.h <= 0) return;
    lv__fill(R, bar, C(LV_C_PANEL));
    lv__fill(R, (lv_rect){bar.x, bar.y, bar.w, lv__px(R, 2)}, C(LV_C_GRID));
    lv__fill(R, sv->title, C(LV_C_TEXT));
    lv__textz(R, LV_FONT_BODY, sv->title_text, sv->title.x + pad, sv->title.y, white);
    lv__text_fit(R, LV_FONT_BODY, sv->msg_text, sv->msg.x, sv->msg.y, sv->msg.w, C(LV_C_TEXT));
    if (sv->sched_r.w > 0) {
        lv__text_fit(R, LV_FONT_MONO, sv->sched_text, sv->sched_r.x, sv->sched_r.y, sv->sched_r.w,
                     C(LV_C_TEXT));
        lv__textz(R, LV_FONT_NOTE, lv_tr(vp->lang, LV_T_SCHED_COPY_HINT), sv->hint_r.x,
                  sv->hint_r.y, C(LV_C_DIM));
    }
    int on = sv->whole && sv->playing;
    lv__fill(R, sv->auto_btn, on ? C(LV_C_RUNNING) : C(LV_C_BG));
    lv__frame_rect(R, sv->auto_btn, C(LV_C_TEXT), lv__px(R, 2));
    const char *aw = lv_tr(vp->lang, LV_T_SCHED_AUTO);
    int tw = lv__measure(R, LV_FONT_BODY, aw);
    lv__textz(R, LV_FONT_BODY, aw, sv->auto_btn.x + (sv->auto_btn.w - tw) / 2,
              sv->auto_btn.y + (sv->auto_btn.h - f->line_h[LV_FONT_BODY]) / 2,
              on ? white : C(LV_C_TEXT));
}
