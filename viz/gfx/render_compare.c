/* Drawing two runs side by side: each pane is drawn by render.c's lv_render_draw in its own
 * SDL viewport (its frame is in the pane's pixels), a dark line parts them, and the help is
 * drawn once over both. The headless picture of a comparison uses the same path. Layout and
 * input are compare.c's; nothing here decides where anything goes. */
#include "render_impl.h"

void lv_render_compare(lv_render *R, const lv_compare *c, const lv_viewport *win) {
    /* the dark ground shows only in the gap between the panes */
    lv__fill(R, (lv_rect){0, 0, win->w, win->h}, lv_color_rgb(LV_C_TEXT));
    for (int k = 0; k < 2; k++) {
        const lv_cmp_pane *p = &c->p[k];
        SDL_RenderSetViewport(R->r, &(SDL_Rect){p->r.x, p->r.y, p->r.w, p->r.h});
        lv_render_draw(R, p->s, &p->st, &p->f, &p->vp);
    }
    SDL_RenderSetViewport(R->r, NULL);
    /* the compare button shows that it is on */
    lv_rect b = c->p[0].f.buttons[LV_BTN_COMPARE];
    if (b.w > 0) {
        b.x += c->p[0].r.x;
        b.y += c->p[0].r.y;
        lv__frame_rect(R, b, lv_color_rgb(LV_C_HOLD), lv__px(R, 3));
    }
    if (win->help) lv_render_help(R, &c->p[0].f, win);
}

static int paint_compare(lv_render *R, int w, int h, void *ctx) {
    lv_compare *c = NULL;
    if (lv_cmp_new(ctx, &c) != LV_OK) return -1;
    lv_cmp_set_step(c, (long)c->nsteps - 1); /* both runs to their end, in step */
    lv_viewport win = {
        .w = w, .h = h, .lang = lv_lang_default(), .highlight = -1, .hover_x = -1, .hover_y = -1};
    lv_render_prepare(R, &win);
    /* the panes' words follow their state's language (the window's, when it opens one) */
    c->p[0].vs.lang = c->p[1].vs.lang = win.lang;
    int rc = -1;
    if (lv_cmp_layout(c, &win) == LV_OK) {
        lv_render_compare(R, c, &win);
        rc = 0;
    }
    lv_cmp_free(c);
    return rc;
}

lv_err lv_render_png_compare(const lv_cmp_side sides[2], const char *path, int w, int h, char *err,
                             size_t errlen) {
    return lv__png_paint(path, w, h, paint_compare, (void *)sides, err, errlen);
}
