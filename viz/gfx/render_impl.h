/* What render.c and render_objects.c share: the renderer's state, a text cache and a few
 * drawing helpers. Internal to viz; nothing here is part of the viewer's interface. */
#ifndef LV_VIZ_RENDER_IMPL_H
#define LV_VIZ_RENDER_IMPL_H

#include "font.h"
#include "render.h"

#define LV_TEXT_CACHE 512

typedef struct lv_text_entry {
    uint32_t hash;
    char *s;
    size_t n;
    uint8_t font;
    lv_rgb rgb;
    SDL_Texture *tex;
    int w, h;
    int dy; /* baseline shift of the font it was drawn with (lv_fonts_baseline_shift) */
} lv_text_entry;

struct lv_render {
    SDL_Renderer *r;
    lv_fonts *fonts;
    double scale;
    lv_text_entry cache[LV_TEXT_CACHE];
};

static inline int lv__px(const lv_render *R, double v) {
    int p = (int)(v * R->scale + 0.5);
    return p < 1 ? 1 : p;
}

void lv__color(lv_render *R, lv_rgb c);
void lv__fill(lv_render *R, lv_rect r, lv_rgb c);
void lv__frame_rect(lv_render *R, lv_rect r, lv_rgb c, int thick);
void lv__disc(lv_render *R, int cx, int cy, int rad, lv_rgb c);
/* Draws n bytes of s with its top-left at (x, y); returns the width drawn. */
int lv__text(lv_render *R, lv_font_id f, const char *s, size_t n, int x, int y, lv_rgb c);
int lv__textz(lv_render *R, lv_font_id f, const char *s, int x, int y, lv_rgb c);
/* Draws s cut to maxw pixels with "…" when it does not fit; returns the width drawn. */
int lv__text_fit(lv_render *R, lv_font_id f, const char *s, int x, int y, int maxw, lv_rgb c);
/* The same for n bytes of s (not ending in '\0'). */
int lv__text_fitn(lv_render *R, lv_font_id f, const char *s, size_t n, int x, int y, int maxw,
                  lv_rgb c);
int lv__measure(lv_render *R, lv_font_id f, const char *s);

/* The headless picture's frame: checks the size, makes a software renderer on a w x h
 * surface, lets paint draw on it (0, or -1 when out of memory) and saves the pixels to path
 * atomically. Returns as lv_render_png. */
typedef int (*lv__paint_fn)(lv_render *R, int w, int h, void *ctx);
lv_err lv__png_paint(const char *path, int w, int h, lv__paint_fn paint, void *ctx, char *err,
                     size_t errlen);

void lv__draw_objects(lv_render *R, const lv_scene *s, const lv_state *st, const lv_frame *f,
                      int lang);
void lv__triangle(lv_render *R, float x0, float y0, float x1, float y1, float x2, float y2,
                  lv_rgb c);
void lv__thick_line(lv_render *R, int x0, int y0, int x1, int y1, int w, lv_rgb c);
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
