/* Fonts: opens DejaVu at the viewer's sizes, found with fontconfig (Debian's fonts-dejavu-core)
 * or else in lockviz's assets (the build tree or an installed tree), and a CJK font found with
 * fontconfig for the glyphs DejaVu lacks. It does not cache rendered text (draw.c does). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <fontconfig/fontconfig.h>
#include <unistd.h>
#include "font.h"

struct lv_fonts {
    double scale;
    TTF_Font *face[LV_FONT__COUNT];
    TTF_Font *cjk[LV_FONT__COUNT];       /* opened on first need */
    char path[LV_FONT__COUNT][PATH_MAX]; /* the file each face was opened from */
    int cjk_missing;
};

static int has_fonts(const char *dir) {
    char p[PATH_MAX + 32];
    struct stat st;
    snprintf(p, sizeof p, "%s/fonts/DejaVuSans.ttf", dir);
    return stat(p, &st) == 0;
}

const char *lv_assets_dir(void) {
    static char found[PATH_MAX];
    if (found[0]) return found;
    const char *env = getenv("LOCKVIZ_ASSETS");
    if (env && *env && has_fonts(env)) {
        snprintf(found, sizeof found, "%s", env);
        return found;
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = 0;
        char *slash = strrchr(exe, '/');
        if (slash) *slash = 0;
        static const char *const rel[] = {"../assets", "../share/lockviz/assets", "assets"};
        for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
            char cand[PATH_MAX + 32];
            snprintf(cand, sizeof cand, "%s/%s", exe, rel[i]);
            if (strlen(cand) < sizeof found && has_fonts(cand)) {
                memcpy(found, cand, strlen(cand) + 1);
                return found;
            }
        }
    }
#ifdef LV_SOURCE_ASSETS
    if (has_fonts(LV_SOURCE_ASSETS)) {
        snprintf(found, sizeof found, "%s", LV_SOURCE_ASSETS);
        return found;
    }
#endif
    return NULL;
}

/* Asks fontconfig for a font: the best match for pattern (e.g. "DejaVu Sans:bold"), kept only
 * if it is what was asked for: the family `family` (when not NULL), bold when `bold`, and
 * holding code point `need` (when not 0). fontconfig always answers with some font; a
 * stand-in for DejaVu would change every picture, so it is refused. 0 with path and index. */
static int fc_find(const char *pattern, const char *family, int bold, FcChar32 need, char *path,
                   size_t len, int *index) {
    static int inited;
    if (!inited) inited = FcInit() ? 1 : -1;
    if (inited < 0) return -1;
    FcPattern *pat = FcNameParse((const FcChar8 *)pattern);
    if (!pat) return -1;
    FcConfigSubstitute(NULL, pat, FcMatchPattern);
    FcDefaultSubstitute(pat);
    FcResult res = FcResultNoMatch;
    FcPattern *m = FcFontMatch(NULL, pat, &res);
    FcPatternDestroy(pat);
    int rc = -1;
    FcChar8 *file = NULL, *fam = NULL;
    FcCharSet *cs = NULL;
    int weight = 0, idx = 0;
    struct stat st;
    if (m && res == FcResultMatch && FcPatternGetString(m, FC_FILE, 0, &file) == FcResultMatch &&
        stat((const char *)file, &st) == 0 && strlen((const char *)file) < len &&
        (!family || (FcPatternGetString(m, FC_FAMILY, 0, &fam) == FcResultMatch &&
                     strcmp((const char *)fam, family) == 0)) &&
        (!bold || (FcPatternGetInteger(m, FC_WEIGHT, 0, &weight) == FcResultMatch &&
                   weight >= FC_WEIGHT_BOLD)) &&
        (bold || family == NULL ||
         (FcPatternGetInteger(m, FC_WEIGHT, 0, &weight) == FcResultMatch &&
          weight < FC_WEIGHT_BOLD)) &&
        (!need || (FcPatternGetCharSet(m, FC_CHARSET, 0, &cs) == FcResultMatch &&
                   FcCharSetHasChar(cs, need)))) {
        if (FcPatternGetInteger(m, FC_INDEX, 0, &idx) != FcResultMatch) idx = 0;
        snprintf(path, len, "%s", (const char *)file);
        *index = idx;
        rc = 0;
    }
    if (m) FcPatternDestroy(m);
    return rc;
}

/* The CJK font for Simplified Chinese (it must have 票), looked up once per process. */
static int cjk_path(char *path, size_t len, long *index) {
    static char cached[PATH_MAX];
    static int cached_index;
    static int state; /* 0 not asked, 1 found, -1 none */
    if (state == 0)
        state =
            fc_find("sans:lang=zh-cn", NULL, 0, 0x7968, cached, sizeof cached, &cached_index) == 0
                ? 1
                : -1;
    if (state != 1) return -1;
    snprintf(path, len, "%s", cached);
    *index = cached_index;
    return 0;
}

lv_fonts *lv_fonts_open(double scale, char *err, size_t errlen) {
    lv_fonts *fs = calloc(1, sizeof *fs);
    if (!fs) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    fs->scale = scale;
    static const struct {
        const char *pattern, *family, *file;
        int bold;
    } want[LV_FONT__COUNT] = {
        [LV_FONT_TITLE] = {"DejaVu Sans:bold", "DejaVu Sans", "DejaVuSans-Bold.ttf", 1},
        [LV_FONT_LABEL] = {"DejaVu Sans:bold", "DejaVu Sans", "DejaVuSans-Bold.ttf", 1},
        [LV_FONT_BODY] = {"DejaVu Sans:regular", "DejaVu Sans", "DejaVuSans.ttf", 0},
        [LV_FONT_NOTE] = {"DejaVu Sans:regular", "DejaVu Sans", "DejaVuSans.ttf", 0},
        [LV_FONT_MONO] = {"DejaVu Sans Mono:regular", "DejaVu Sans Mono", "DejaVuSansMono.ttf", 0},
    };
    for (int i = 0; i < LV_FONT__COUNT; i++) {
        char *p = fs->path[i];
        int idx = 0;
        /* Debian's fonts (fonts-dejavu-core) where fontconfig finds them, else the bundled ones */
        if (fc_find(want[i].pattern, want[i].family, want[i].bold, 0, p, sizeof fs->path[i],
                    &idx) != 0) {
            const char *dir = lv_assets_dir();
            if (!dir) {
                snprintf(err, errlen,
                         "cannot find the font %s: fontconfig has no %s, and lockviz's assets "
                         "(assets/fonts) are not found; set LOCKVIZ_ASSETS to the assets folder",
                         want[i].file, want[i].pattern);
                lv_fonts_close(fs);
                return NULL;
            }
            snprintf(p, sizeof fs->path[i], "%s/fonts/%s", dir, want[i].file);
            idx = 0;
        }
        fs->face[i] = TTF_OpenFontIndex(p, lv_font_px((lv_font_id)i, scale), idx);
        if (!fs->face[i]) {
            snprintf(err, errlen, "%s: %s", p, TTF_GetError());
            lv_fonts_close(fs);
            return NULL;
        }
    }
    return fs;
}

const char *lv_fonts_file(const lv_fonts *fs, lv_font_id f) {
    return fs->path[f];
}

void lv_fonts_close(lv_fonts *fs) {
    if (!fs) return;
    for (int i = 0; i < LV_FONT__COUNT; i++) {
        if (fs->face[i]) TTF_CloseFont(fs->face[i]);
        if (fs->cjk[i]) TTF_CloseFont(fs->cjk[i]);
    }
    free(fs);
}

/* The next code point of s (n bytes left) at *i; malformed bytes count as one U+FFFD. */
static Uint32 next_cp(const char *s, size_t n, size_t *i) {
    const unsigned char *u = (const unsigned char *)s + *i;
    size_t left = n - *i;
    Uint32 c = u[0];
    int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (len == 0 || (size_t)len > left) {
        (*i)++;
        return 0xFFFD;
    }
    if (len > 1) c &= 0xFF >> (len + 1);
    for (int k = 1; k < len; k++)
        c = (c << 6) | (u[k] & 0x3F);
    *i += (size_t)len;
    return c;
}

TTF_Font *lv_fonts_pick(lv_fonts *fs, lv_font_id f, const char *s, size_t n) {
    TTF_Font *base = fs->face[f];
    size_t i = 0;
    int need = 0;
    while (i < n && !need) {
        Uint32 c = next_cp(s, n, &i);
        if (c >= 0x80 && !TTF_GlyphIsProvided32(base, c)) need = 1;
    }
    if (!need || fs->cjk_missing) return base;
    if (!fs->cjk[f]) {
        char p[PATH_MAX];
        long idx = 0;
        if (cjk_path(p, sizeof p, &idx) ||
            !(fs->cjk[f] = TTF_OpenFontIndex(p, lv_font_px(f, fs->scale), idx))) {
            fs->cjk_missing = 1; /* DejaVu's boxes beat failing every frame */
            return base;
        }
    }
    return fs->cjk[f];
}

int lv_fonts_line_h(lv_fonts *fs, lv_font_id f) {
    return TTF_FontLineSkip(fs->face[f]);
}

int lv_fonts_baseline_shift(lv_fonts *fs, lv_font_id f, TTF_Font *picked) {
    return picked && picked != fs->face[f] ? TTF_FontAscent(fs->face[f]) - TTF_FontAscent(picked)
                                           : 0;
}

int lv_fonts_measure(void *ctx, lv_font_id f, const char *s, size_t n) {
    lv_fonts *fs = ctx;
    char small[512];
    char *buf = n < sizeof small ? small : malloc(n + 1);
    if (!buf) return (int)n * lv_font_px(f, fs->scale);
    memcpy(buf, s, n);
    buf[n] = 0;
    int w = 0, h = 0;
    if (n && TTF_SizeUTF8(lv_fonts_pick(fs, f, s, n), buf, &w, &h) != 0) w = 0;
    if (buf != small) free(buf);
    return w;
}
