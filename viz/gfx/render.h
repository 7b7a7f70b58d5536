/* Drawing the viewer with SDL_Renderer and SDL2_ttf: the header, timeline, objects panel and
 * findings panel that geom.h laid out, in the Okabe–Ito palette. The same code draws the window
 * and the headless PNG, so both show exactly the same picture. No input handling here. */
#ifndef LV_VIZ_RENDER_H
#define LV_VIZ_RENDER_H

#include <SDL.h>
#include "compare.h"
#include "geom.h"

typedef struct lv_render lv_render;

/* Draws on r (borrowed) with fonts for UI scale `scale`. TTF_Init must have been called.
 * NULL on failure with a one-line reason in err. */
lv_render *lv_render_new(SDL_Renderer *r, double scale, char *err, size_t errlen);
void lv_render_free(lv_render *R); /* accepts NULL */
/* Reopens the fonts when the UI scale changed (a resize, a move to a high-DPI screen). */
int lv_render_rescale(lv_render *R, double scale, char *err, size_t errlen);
/* Fills vp's scale, text measure and line heights from R's fonts. */
void lv_render_prepare(lv_render *R, lv_viewport *vp);
/* Draws one frame (the caller presents it), in vp->lang, with vp's overlays (help, toast, the
 * tooltip of the event or button under the mouse). */
void lv_render_draw(lv_render *R, const lv_scene *s, const lv_state *st, const lv_frame *f,
                    const lv_viewport *vp);

/* The help overlay alone, over the whole of vp (side by side, once over both panes). */
void lv_render_help(lv_render *R, const lv_frame *f, const lv_viewport *vp);

/* Draws both panes of a comparison laid out by lv_cmp_layout for the window win (size,
 * language, help), each in its own part of the target, with the line between them. */
void lv_render_compare(lv_render *R, const lv_compare *c, const lv_viewport *win);

/* Renders tr at event at_seq (-1: the end) to a w x h PNG, with no window (SDL's software
 * renderer on a surface; the PNG writer is png.c). Written atomically: on failure an existing
 * file at path is untouched. LV_OK, or with a one-line reason in err: LV_ERANGE for a size
 * outside 200x150 to 8192x8192, LV_EIO when the file cannot be written (both the caller's
 * input), LV_ENOMEM when the picture does not fit in memory, LV_EUNSUPPORTED when SDL or the
 * fonts fail (lockviz's own). */
lv_err lv_render_png(const lv_trace *tr, const char *path, int w, int h, long at_seq, char *err,
                     size_t errlen);

/* Renders two runs side by side to a w x h PNG, with the playhead at the end of both,
 * exactly as the window draws a comparison. Returns as lv_render_png. */
lv_err lv_render_png_compare(const lv_cmp_side sides[2], const char *path, int w, int h, char *err,
                             size_t errlen);

#endif
