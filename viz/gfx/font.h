/* Fonts for the viewer: DejaVu Sans (and Mono), found with fontconfig or in lockviz's assets,
 * plus a CJK font found with fontconfig for text DejaVu has no glyphs for (notes like 购票成功).
 * Opens, picks a face for a string and measures only; drawing and caching textures is draw.c's
 * job. */
#ifndef LV_VIZ_FONT_H
#define LV_VIZ_FONT_H

#include <SDL_ttf.h>
#include "geom.h"

typedef struct lv_fonts lv_fonts;

/* The assets folder (holding fonts/DejaVuSans.ttf): $LOCKVIZ_ASSETS, then next to the
 * executable (../assets, ../share/lockviz/assets), then the source tree's. NULL if none. */
const char *lv_assets_dir(void);

/* Opens every lv_font_id at its size for UI scale `scale`: DejaVu Sans (Bold, Mono) as
 * fontconfig finds it, or the bundled copy in the assets folder when fontconfig has none (the
 * same files: Debian's fonts-dejavu-core ships them byte for byte). TTF_Init must have been
 * called. NULL on failure with a one-line reason in err. */
lv_fonts *lv_fonts_open(double scale, char *err, size_t errlen);
void lv_fonts_close(lv_fonts *fs); /* accepts NULL */
/* The file face f was opened from (owned by fs). */
const char *lv_fonts_file(const lv_fonts *fs, lv_font_id f);

/* The font to draw s (n bytes) with: the DejaVu face, or the CJK face when DejaVu lacks one
 * of its characters (and a CJK font was found). */
TTF_Font *lv_fonts_pick(lv_fonts *fs, lv_font_id f, const char *s, size_t n);
int lv_fonts_line_h(lv_fonts *fs, lv_font_id f);
/* How far down text drawn with `picked` must move so its baseline meets face f's (negative:
 * up). The CJK font sits lower in its line than DejaVu; without this, Chinese hangs out of
 * boxes sized for DejaVu. */
int lv_fonts_baseline_shift(lv_fonts *fs, lv_font_id f, TTF_Font *picked);
/* lv_measure_fn for lv_viewport.measure (ctx: the lv_fonts). */
int lv_fonts_measure(void *ctx, lv_font_id f, const char *s, size_t n);

#endif
