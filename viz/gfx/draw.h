/* The renderer's state and its drawing helpers (draw.c): what every part of the picture
 * draws with. Internal to gfx; the parts include it through render_impl.h. */
#ifndef LV_VIZ_DRAW_H
#define LV_VIZ_DRAW_H

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
void lv__triangle(lv_render *R, float x0, float y0, float x1, float y1, float x2, float y2,
                  lv_rgb c);
void lv__thick_line(lv_render *R, int x0, int y0, int x1, int y1, int w, lv_rgb c);

#endif
