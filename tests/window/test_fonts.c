/* Fonts found with fontconfig (Debian's fonts-dejavu-core and fonts-noto-cjk), and the bundled
 * DejaVu when fontconfig finds none. ctest runs it twice: as the machine is (LV_FONTS=system),
 * and with a fontconfig configuration that lists no fonts (LV_FONTS=bundled). */
#include <SDL_ttf.h>
#include <stdio.h>
#include "font.h"
#include "test.h"

static char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
        free(b);
        b = NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return b;
}

/* the file of face f is byte for byte the bundled `asset` */
static void same_as_bundled(const lv_fonts *fs, lv_font_id f, const char *asset) {
    char p[4096];
    ASSERT(lv_assets_dir());
    snprintf(p, sizeof p, "%s/fonts/%s", lv_assets_dir(), asset);
    size_t n1 = 0, n2 = 0;
    char *a = slurp(lv_fonts_file(fs, f), &n1), *b = slurp(p, &n2);
    ASSERT(a && b);
    ASSERT_EQ(n1, n2);
    ASSERT(memcmp(a, b, n1) == 0);
    free(a);
    free(b);
}

TEST(fonts_are_found_where_they_should_be) {
    const char *mode = getenv("LV_FONTS");
    ASSERT(mode);
    int system = strcmp(mode, "system") == 0;
    ASSERT_EQ(TTF_Init(), 0);
    char err[512] = "";
    lv_fonts *fs = lv_fonts_open(1.0, err, sizeof err);
    if (!fs) TEST_FAIL_AT("%s", err);
    static const char *const asset[LV_FONT__COUNT] = {
        [LV_FONT_TITLE] = "DejaVuSans-Bold.ttf", [LV_FONT_LABEL] = "DejaVuSans-Bold.ttf",
        [LV_FONT_BODY] = "DejaVuSans.ttf",       [LV_FONT_NOTE] = "DejaVuSans.ttf",
        [LV_FONT_MONO] = "DejaVuSansMono.ttf",
    };
    for (int i = 0; i < LV_FONT__COUNT; i++) {
        const char *file = lv_fonts_file(fs, (lv_font_id)i);
        const char *base = strrchr(file, '/');
        ASSERT(base);
        ASSERT_STR_EQ(base + 1, asset[i]);
        if (system) /* Debian's copy (scripts/deps installs fonts-dejavu-core) */
            ASSERT_CONTAINS(file, "/usr/share/fonts/");
        else
            ASSERT(strncmp(file, lv_assets_dir(), strlen(lv_assets_dir())) == 0);
        same_as_bundled(fs, (lv_font_id)i, asset[i]);
    }
    /* Chinese: a CJK font from fontconfig, or DejaVu's boxes when there is none */
    const char *zh = "购票成功";
    TTF_Font *picked = lv_fonts_pick(fs, LV_FONT_BODY, zh, strlen(zh));
    TTF_Font *base = lv_fonts_pick(fs, LV_FONT_BODY, "abc", 3);
    if (system) {
        ASSERT(picked != base);
        ASSERT(TTF_GlyphIsProvided32(picked, 0x7968));
    } else {
        ASSERT(picked == base);
    }
    lv_fonts_close(fs);
    TTF_Quit();
}

TEST_MAIN(TEST_ENTRY(fonts_are_found_where_they_should_be, 60))
