/* Fonts: finds lockviz's assets from the build tree or an installed tree, opens DejaVu at the
 * viewer's sizes, and finds a CJK font with fontconfig's fc-match for the glyphs DejaVu lacks.
 * It does not cache rendered text (render.c does). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "font.h"

struct lv_fonts {
    double scale;
    TTF_Font *face[LV_FONT__COUNT];
    TTF_Font *cjk[LV_FONT__COUNT]; /* opened on first need */
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

/* fc-match's answer for Simplified Chinese, looked up once per process. */
static int cjk_path(char *path, size_t len, long *index) {
    static char cached[PATH_MAX];
    static long cached_index;
    static int state; /* 0 not asked, 1 found, -1 none */
    if (state == 0) {
        state = -1;
        FILE *p = popen("fc-match -f '%{file}\\n%{index}\\n' 'sans:lang=zh-cn' 2>/dev/null", "r");
        if (p) {
            char line[PATH_MAX], idx[32] = "0";
            if (fgets(line, sizeof line, p)) {
                line[strcspn(line, "\n")] = 0;
                if (!fgets(idx, sizeof idx, p)) strcpy(idx, "0");
                struct stat st;
                if (line[0] && stat(line, &st) == 0) {
                    snprintf(cached, sizeof cached, "%s", line);
                    cached_index = strtol(idx, NULL, 10);
                    state = 1;
                }
            }
            pclose(p);
        }
        static const char *const known[] = {
            "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
            "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"};
        for (size_t i = 0; state != 1 && i < sizeof known / sizeof known[0]; i++) {
            struct stat st;
            if (stat(known[i], &st) == 0) {
                snprintf(cached, sizeof cached, "%s", known[i]);
                cached_index = 0;
                state = 1;
            }
        }
    }
    if (state != 1) return -1;
    snprintf(path, len, "%s", cached);
    *index = cached_index;
    return 0;
}

lv_fonts *lv_fonts_open(double scale, char *err, size_t errlen) {
    const char *dir = lv_assets_dir();
    if (!dir) {
        snprintf(err, errlen,
                 "cannot find lockviz's fonts (assets/fonts/DejaVuSans.ttf); set LOCKVIZ_ASSETS "
                 "to the assets folder");
        return NULL;
    }
    lv_fonts *fs = calloc(1, sizeof *fs);
    if (!fs) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    fs->scale = scale;
    static const char *const file[LV_FONT__COUNT] = {
        [LV_FONT_TITLE] = "DejaVuSans-Bold.ttf", [LV_FONT_LABEL] = "DejaVuSans-Bold.ttf",
        [LV_FONT_BODY] = "DejaVuSans.ttf",       [LV_FONT_NOTE] = "DejaVuSans.ttf",
        [LV_FONT_MONO] = "DejaVuSansMono.ttf",
    };
    for (int i = 0; i < LV_FONT__COUNT; i++) {
        char p[PATH_MAX + 64];
        snprintf(p, sizeof p, "%s/fonts/%s", dir, file[i]);
        fs->face[i] = TTF_OpenFont(p, lv_font_px((lv_font_id)i, scale));
        if (!fs->face[i]) {
            snprintf(err, errlen, "%s: %s", p, TTF_GetError());
            lv_fonts_close(fs);
            return NULL;
        }
    }
    return fs;
}

void lv_fonts_close(lv_fonts *fs) {
    if (!fs) return;
    for (int i = 0; i < LV_FONT__COUNT; i++) {
        if (fs->face[i]) TTF_CloseFont(fs->face[i]);
        if (fs->cjk[i]) TTF_CloseFont(fs->cjk[i]);
    }
    free(fs);
}

double lv_fonts_scale(const lv_fonts *fs) {
    return fs->scale;
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
