/* The headless picture: the same layout and drawing as the window, on SDL's software renderer
 * over a plain surface (no video driver, no display), saved with png.c's writer. It opens no
 * window and handles no input. */
#include <stdio.h>
#include <stdlib.h>
#include "lv_png.h"
#include "render_impl.h"
#include "textf.h"
#include <SDL_ttf.h>

lv_err lv__png_paint(const char *path, int w, int h, lv__paint_fn paint, void *ctx, char *err,
                     size_t errlen) {
    if (w < 200 || h < 150 || w > 8192 || h > 8192) {
        lv_textf(err, errlen, "%s: size %dx%d is out of range (200x150 to 8192x8192)", path, w, h);
        return LV_ERANGE;
    }
    if (TTF_Init() != 0) {
        snprintf(err, errlen, "cannot start SDL_ttf: %s", TTF_GetError());
        return LV_EUNSUPPORTED;
    }
    lv_err rc = LV_EUNSUPPORTED; /* SDL or the fonts failed */
    SDL_Surface *surf = NULL;
    SDL_Renderer *rend = NULL;
    lv_render *R = NULL;
    uint8_t *px = NULL;
    surf = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_RGB888);
    rend = surf ? SDL_CreateSoftwareRenderer(surf) : NULL;
    if (!rend) {
        snprintf(err, errlen, "cannot make a software renderer: %s", SDL_GetError());
        goto done;
    }
    R = lv_render_new(rend, lv_ui_scale(w, h, 1), err, errlen);
    if (!R) goto done;
    if (paint(R, w, h, ctx) != 0) {
        snprintf(err, errlen, "out of memory");
        rc = LV_ENOMEM;
        goto done;
    }
    px = malloc((size_t)w * h * 3);
    if (!px || SDL_RenderReadPixels(rend, NULL, SDL_PIXELFORMAT_RGB24, px, w * 3) != 0) {
        snprintf(err, errlen, "cannot read the picture back: %s",
                 px ? SDL_GetError() : "no memory");
        if (!px) rc = LV_ENOMEM;
        goto done;
    }
    rc = lv_png_write(path, px, w, h, (size_t)w * 3, err, errlen) == 0 ? LV_OK : LV_EIO;
done:
    free(px);
    lv_render_free(R);
    if (rend) SDL_DestroyRenderer(rend);
    if (surf) SDL_FreeSurface(surf);
    TTF_Quit();
    return rc;
}

typedef struct one_view {
    const lv_trace *tr;
    long at_seq;
} one_view;

static int paint_one(lv_render *R, int w, int h, void *ctx) {
    const one_view *o = ctx;
    const lv_trace *tr = o->tr;
    int rc = -1;
    lv_scene *s = NULL;
    lv_state st = {0};
    lv_frame f = {0};
    if (lv_scene_new(tr, &s) != LV_OK || lv_state_init(&st, s) != LV_OK) goto done;
    long seq =
        o->at_seq < 0 || (size_t)o->at_seq >= tr->nevents ? (long)tr->nevents - 1 : o->at_seq;
    if (lv_state_seek(&st, s, seq) != LV_OK) goto done;
    lv_viewport vp = {.w = w,
                      .h = h,
                      .lang = lv_lang_default(),
                      .seq = seq,
                      .play_t = seq >= 0 ? tr->events[seq].t : s->t_first,
                      .highlight = -1,
                      .hover_x = -1,
                      .hover_y = -1};
    lv_render_prepare(R, &vp);
    if (lv_frame_layout(&f, s, &vp) != LV_OK) goto done;
    lv_render_draw(R, s, &st, &f, &vp);
    rc = 0;
done:
    lv_frame_free(&f);
    lv_state_free(&st);
    lv_scene_free(s);
    return rc;
}

lv_err lv_render_png(const lv_trace *tr, const char *path, int w, int h, long at_seq, char *err,
                     size_t errlen) {
    one_view o = {tr, at_seq};
    return lv__png_paint(path, w, h, paint_one, &o, err, errlen);
}
