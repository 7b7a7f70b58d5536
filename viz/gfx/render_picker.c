/* Paints the picker (rows, variant cards with their broken / fixed chips, the lesson, the run
 * and close buttons) and the explore progress panel. Every position and every line of text
 * comes from picker.c and explore_ui.c; this file only chooses colours. */
#include "render_impl.h"
#include "render_picker.h"

static lv_rgb C(lv_color c) {
    return lv_color_rgb(c);
}

static const lv_rgb selected_bg = {250, 244, 170}; /* the findings panel's highlight */
static const lv_rgb lesson_bg = {253, 248, 228};   /* the lesson panel's paper */

static void texts(lv_render *R, const lv_ptext *t, size_t n) {
    for (size_t i = 0; i < n; i++) {
        lv_rgb c = C((lv_color)t[i].color);
        int w = lv__text(R, (lv_font_id)t[i].font, t[i].s, t[i].n, t[i].x, t[i].y, c);
        if (t[i].elided) lv__textz(R, (lv_font_id)t[i].font, "…", t[i].x + w, t[i].y, c);
    }
}

static int hover(const lv_viewport *vp, lv_rect r) {
    return vp->hover_x >= 0 && lv_rect_has(r, vp->hover_x, vp->hover_y);
}

static void cross(lv_render *R, lv_rect r, lv_rgb c) {
    int m = r.w / 4, t = lv__px(R, 1.5);
    lv__color(R, c);
    for (int i = -t; i <= t; i++) {
        SDL_RenderDrawLine(R->r, r.x + m + i, r.y + m, r.x + r.w - m + i, r.y + r.h - m);
        SDL_RenderDrawLine(R->r, r.x + r.w - m + i, r.y + m, r.x + m + i, r.y + r.h - m);
    }
}

void lv_render_picker(lv_render *R, const lv_pframe *f, const lv_picker *p, const lv_viewport *vp) {
    lv__fill(R, f->panel, C(LV_C_BG));
    lv__fill(R, f->bar, C(LV_C_PANEL));
    lv__fill(R, (lv_rect){0, f->bar.y + f->bar.h - lv__px(R, 2), f->bar.w, lv__px(R, 2)},
             C(LV_C_GRID));
    lv__fill(R, f->list, C(LV_C_PANEL));
    lv__fill(R, (lv_rect){f->list.x + f->list.w - 1, f->list.y, 1, f->list.h}, C(LV_C_GRID));
    lv__fill(R, f->close, C(LV_C_BG));
    lv__frame_rect(R, f->close, C(hover(vp, f->close) ? LV_C_TEXT : LV_C_DIM),
                   hover(vp, f->close) ? lv__px(R, 2) : 1);
    cross(R, f->close, C(LV_C_TEXT));
    for (int i = 0; i < f->nrows; i++) {
        lv_rect r = f->rows[i].r;
        if (f->rows[i].scenario == p->sel) {
            lv__fill(R, r, selected_bg);
            lv__fill(R, (lv_rect){r.x, r.y, lv__px(R, 5), r.h}, C(LV_C_HOLD2));
        } else if (hover(vp, r)) {
            lv__fill(R, r, C(LV_C_BG));
        }
    }
    for (int i = 0; i < f->ncards; i++) {
        const lv_pcard *cd = &f->cards[i];
        int sel = cd->variant == p->var;
        lv__fill(R, cd->r, sel ? selected_bg : C(LV_C_BG));
        lv__frame_rect(R, cd->r,
                       C(sel                ? LV_C_TEXT
                         : hover(vp, cd->r) ? LV_C_DIM
                                            : LV_C_GRID),
                       sel ? lv__px(R, 2) : 1);
        /* the chip says BROKEN or FIXED in words: the colour only repeats it */
        lv__fill(R, cd->chip, C(cd->broken ? LV_C_BLOCKED : LV_C_RUNNING));
        lv__fill(R, cd->run, C(hover(vp, cd->run) ? LV_C_HIGHLIGHT : LV_C_PANEL));
        lv__frame_rect(R, cd->run, C(LV_C_DIM), 1);
    }
    if (f->lesson.h > 0) {
        lv__fill(R, f->lesson, lesson_bg);
        lv__fill(R, (lv_rect){f->lesson.x, f->lesson.y, lv__px(R, 5), f->lesson.h}, C(LV_C_HOLD2));
    }
    if (f->run.w > 0) {
        lv__fill(R, f->run, C(LV_C_HOLD));
        if (hover(vp, f->run)) lv__frame_rect(R, f->run, C(LV_C_TEXT), lv__px(R, 3));
    }
    texts(R, f->texts, f->ntexts);
}

void lv_render_xpanel(lv_render *R, const lv_xpanel *p) {
    lv_rect shadow = {p->box.x + lv__px(R, 6), p->box.y + lv__px(R, 6), p->box.w, p->box.h};
    SDL_SetRenderDrawColor(R->r, 0, 0, 0, 70);
    SDL_RenderFillRect(R->r, &(SDL_Rect){shadow.x, shadow.y, shadow.w, shadow.h});
    lv__fill(R, p->box, C(LV_C_BG));
    lv__frame_rect(R, p->box, C(LV_C_TEXT), lv__px(R, 2));
    lv__fill(R, p->bar, C(LV_C_PANEL));
    lv__fill(R, p->fill, C(LV_C_HOLD));
    lv__frame_rect(R, p->bar, C(LV_C_DIM), 1);
    texts(R, p->lines, (size_t)p->nlines);
}
