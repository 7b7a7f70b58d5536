/* The renderer's state and the drawing helpers every part of the picture uses: its lifetime
 * (fonts at a scale, and what the viewport needs to measure text with them), filled and framed
 * rectangles, discs, triangles, thick lines, and text drawn through a cache of textures, cut
 * with "…" to a width. The parts (render.c, render_objects.c, render_sched.c, ...) call these
 * and nothing here calls them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "draw.h"

/* ---- shapes ---- */

void lv__color(lv_render *R, lv_rgb c) {
    SDL_SetRenderDrawColor(R->r, c.r, c.g, c.b, 255);
}

void lv__fill(lv_render *R, lv_rect r, lv_rgb c) {
    if (r.w <= 0 || r.h <= 0) return;
    lv__color(R, c);
    SDL_RenderFillRect(R->r, &(SDL_Rect){r.x, r.y, r.w, r.h});
}

void lv__frame_rect(lv_render *R, lv_rect r, lv_rgb c, int thick) {
    for (int i = 0; i < thick; i++) {
        lv__color(R, c);
        SDL_RenderDrawRect(R->r, &(SDL_Rect){r.x + i, r.y + i, r.w - 2 * i, r.h - 2 * i});
    }
}

void lv__disc(lv_render *R, int cx, int cy, int rad, lv_rgb c) {
    lv__color(R, c);
    for (int dy = -rad; dy <= rad; dy++) {
        int dx = 0;
        while ((dx + 1) * (dx + 1) + dy * dy <= rad * rad)
            dx++;
        SDL_RenderDrawLine(R->r, cx - dx, cy + dy, cx + dx, cy + dy);
    }
}

void lv__triangle(lv_render *R, float x0, float y0, float x1, float y1, float x2, float y2,
                  lv_rgb c) {
    SDL_Color col = {c.r, c.g, c.b, 255};
    SDL_Vertex v[3] = {{{x0, y0}, col, {0, 0}}, {{x1, y1}, col, {0, 0}}, {{x2, y2}, col, {0, 0}}};
    SDL_RenderGeometry(R->r, NULL, v, 3, NULL, 0);
}

void lv__thick_line(lv_render *R, int x0, int y0, int x1, int y1, int w, lv_rgb c) {
    lv__color(R, c);
    int vertical = abs(y1 - y0) > abs(x1 - x0);
    for (int i = -(w / 2); i < w - w / 2; i++) {
        if (vertical)
            SDL_RenderDrawLine(R->r, x0 + i, y0, x1 + i, y1);
        else
            SDL_RenderDrawLine(R->r, x0, y0 + i, x1, y1 + i);
    }
}

/* ---- the text cache ---- */

static uint32_t hash_text(const char *s, size_t n, uint8_t font, lv_rgb c) {
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (uint8_t)s[i]) * 16777619u;
    h = (h ^ font) * 16777619u;
    return (h ^ (uint32_t)(c.r << 16 | c.g << 8 | c.b)) * 16777619u;
}

static void cache_clear(lv_render *R) {
    for (int i = 0; i < LV_TEXT_CACHE; i++) {
        if (R->cache[i].tex) SDL_DestroyTexture(R->cache[i].tex);
        free(R->cache[i].s);
        memset(&R->cache[i], 0, sizeof R->cache[i]);
    }
}

/* The text's texture, rendered once and kept until evicted: a frame redraws the same strings. */
static lv_text_entry *text_entry(lv_render *R, lv_font_id f, const char *s, size_t n, lv_rgb c) {
    uint32_t h = hash_text(s, n, (uint8_t)f, c);
    lv_text_entry *e = &R->cache[h % LV_TEXT_CACHE];
    if (e->tex && e->hash == h && e->n == n && e->font == f && e->rgb.r == c.r && e->rgb.g == c.g &&
        e->rgb.b == c.b && memcmp(e->s, s, n) == 0)
        return e;
    char *copy = malloc(n + 1);
    if (!copy) return NULL;
    memcpy(copy, s, n);
    copy[n] = 0;
    TTF_Font *font = lv_fonts_pick(R->fonts, f, s, n);
    SDL_Surface *surf = TTF_RenderUTF8_Blended(font, copy, (SDL_Color){c.r, c.g, c.b, 255});
    SDL_Texture *tex = surf ? SDL_CreateTextureFromSurface(R->r, surf) : NULL;
    if (!tex) {
        if (surf) SDL_FreeSurface(surf);
        free(copy);
        return NULL;
    }
    if (e->tex) SDL_DestroyTexture(e->tex);
    free(e->s);
    *e = (lv_text_entry){h,          copy,    n,
                         (uint8_t)f, c,       tex,
                         surf->w,    surf->h, lv_fonts_baseline_shift(R->fonts, f, font)};
    SDL_FreeSurface(surf);
    return e;
}

int lv__text(lv_render *R, lv_font_id f, const char *s, size_t n, int x, int y, lv_rgb c) {
    if (n == 0) return 0;
    lv_text_entry *e = text_entry(R, f, s, n, c);
    if (!e) return 0;
    SDL_RenderCopy(R->r, e->tex, NULL, &(SDL_Rect){x, y + e->dy, e->w, e->h});
    return e->w;
}

int lv__textz(lv_render *R, lv_font_id f, const char *s, int x, int y, lv_rgb c) {
    return lv__text(R, f, s, strlen(s), x, y, c);
}

int lv__measure(lv_render *R, lv_font_id f, const char *s) {
    return lv_fonts_measure(R->fonts, f, s, strlen(s));
}

int lv__text_fit(lv_render *R, lv_font_id f, const char *s, int x, int y, int maxw, lv_rgb c) {
    return lv__text_fitn(R, f, s, strlen(s), x, y, maxw, c);
}

int lv__text_fitn(lv_render *R, lv_font_id f, const char *s, size_t n, int x, int y, int maxw,
                  lv_rgb c) {
    if (lv_fonts_measure(R->fonts, f, s, n) <= maxw) return lv__text(R, f, s, n, x, y, c);
    int ell = lv__measure(R, f, "…");
    size_t k = lv_fit_prefix(lv_fonts_measure, R->fonts, f, s, n, maxw - ell);
    int w = lv__text(R, f, s, k, x, y, c);
    return w + lv__textz(R, f, "…", x + w, y, c);
}

/* ---- lifetime ---- */

lv_render *lv_render_new(SDL_Renderer *r, double scale, char *err, size_t errlen) {
    lv_render *R = calloc(1, sizeof *R);
    if (!R) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    R->r = r;
    R->scale = scale;
    R->fonts = lv_fonts_open(scale, err, errlen);
    if (!R->fonts) {
        free(R);
        return NULL;
    }
    SDL_SetRenderDrawBlendMode(r, SDL_BLENDMODE_BLEND);
    return R;
}

void lv_render_free(lv_render *R) {
    if (!R) return;
    cache_clear(R);
    lv_fonts_close(R->fonts);
    free(R);
}

int lv_render_rescale(lv_render *R, double scale, char *err, size_t errlen) {
    if (scale == R->scale) return 0;
    lv_fonts *fs = lv_fonts_open(scale, err, errlen);
    if (!fs) return -1;
    cache_clear(R);
    lv_fonts_close(R->fonts);
    R->fonts = fs;
    R->scale = scale;
    return 0;
}

void lv_render_prepare(lv_render *R, lv_viewport *vp) {
    vp->scale = R->scale;
    vp->measure = lv_fonts_measure;
    vp->measure_ctx = R->fonts;
    for (int i = 0; i < LV_FONT__COUNT; i++)
        vp->line_h[i] = lv_fonts_line_h(R->fonts, (lv_font_id)i);
}
