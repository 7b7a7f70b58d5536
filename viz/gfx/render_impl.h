/* The parts of the picture, each drawn by its own file and put together by render.c (and the
 * headless picture's frame, render_png.c); they draw with draw.h's helpers. Internal to gfx;
 * nothing here is part of the viewer's interface. */
#ifndef LV_VIZ_RENDER_IMPL_H
#define LV_VIZ_RENDER_IMPL_H

#include "draw.h"

/* The headless picture's frame: checks the size, makes a software renderer on a w x h
 * surface, lets paint draw on it (0, or -1 when out of memory) and saves the pixels to path
 * atomically. Returns as lv_render_png. */
typedef int (*lv__paint_fn)(lv_render *R, int w, int h, void *ctx);
lv_err lv__png_paint(const char *path, int w, int h, lv__paint_fn paint, void *ctx, char *err,
                     size_t errlen);

/* the objects panel at the playhead (render_objects.c) */
void lv__draw_objects(lv_render *R, const lv_scene *s, const lv_state *st, const lv_frame *f,
                      int lang);
/* The legend of every mark (render_legend.c): its width, its height in w pixels, and drawing
 * it with its top-left at (x, y); the header's "holding" swatch in the colours of tr's locks
 * and semaphores. */
int lv__legend_width(lv_render *R, int lang);
int lv__legend_height(lv_render *R, const lv_frame *f, int lang, int w);
void lv__draw_legend(lv_render *R, const lv_frame *f, int lang, int x, int y, int w);
void lv__hold_swatch(lv_render *R, const lv_trace *tr, lv_rect r); /* tr NULL: all colours */
/* the gauge strips' names and counts beside them (render_objects.c) */
void lv__draw_gauges(lv_render *R, const lv_scene *s, const lv_state *st, const lv_frame *f,
                     int lang);
/* scheduler mode's column and bar, predict mode's bar and marks (render_sched.c), from
 * vp->sched and vp->predict */
void lv__draw_sched(lv_render *R, const lv_scene *s, const lv_frame *f, const lv_viewport *vp);

#endif
