/* The viewer's words: every key has an English and a Chinese text, neither empty, both taking
 * the same arguments; the help rows and legend name real keys; Chinese lessons wrap between
 * characters (no spaces to break at) and never start a line with closing punctuation. */
#include "geom.h"
#include "i18n.h"
#include "registry.h"
#include "test.h"

/* The conversions of a printf format, e.g. "%s%s" for "event %s of %s". */
static void conversions(const char *fmt, char *out, size_t len) {
    size_t n = 0;
    for (const char *p = fmt; *p; p++) {
        if (*p != '%') continue;
        p++;
        if (*p == '%') continue;
        while (*p && !((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
            p++;
        if (n + 3 < len) {
            out[n++] = '%';
            out[n++] = *p;
        }
        if (!*p) break;
    }
    out[n] = 0;
}

TEST(every_key_has_both_columns) {
    for (int k = 0; k < LV_T__COUNT; k++) {
        const char *en = lv_tr_raw(LV_LANG_EN, (lv_tr_key)k);
        const char *zh = lv_tr_raw(LV_LANG_ZH, (lv_tr_key)k);
        if (!en || !*en) TEST_FAIL_AT("key %d has no English text", k);
        if (!zh || !*zh) TEST_FAIL_AT("key %d (\"%s\") has no Chinese text", k, en);
        char ce[32], cz[32];
        conversions(en, ce, sizeof ce);
        conversions(zh, cz, sizeof cz);
        if (strcmp(ce, cz) != 0)
            TEST_FAIL_AT("key %d: \"%s\" takes %s but \"%s\" takes %s", k, en, ce, zh, cz);
        for (const char *p = ce; *p; p += 2) /* numbers are formatted before, as strings */
            if (p[1] != 's') TEST_FAIL_AT("key %d: \"%s\" takes %%%c", k, en, p[1]);
    }
    ASSERT_STR_EQ(lv_tr(LV_LANG_EN, LV_T_BLOCKED), "blocked");
    ASSERT_STR_EQ(lv_tr(LV_LANG_ZH, LV_T_BLOCKED), "阻塞");
    ASSERT_STR_EQ(lv_tr(7, LV_T_BLOCKED), "blocked"); /* an unknown language falls back */
    ASSERT(lv_tr_raw(LV_LANG_EN, LV_T__COUNT) == NULL);
}

TEST(chinese_differs_where_it_should) {
    /* a forgotten translation shows up as a copy of the English; only key names are the same
     * in both, on purpose */
    static const lv_tr_key same_ok[] = {
        LV_T_HK_STEP,    LV_T_HK_FINDING, LV_T_HK_SPEED,   LV_T_HK_ENDS,   LV_T_HK_RERUN,
        LV_T_HK_VARIANT, LV_T_HK_EXPORT,  LV_T_HK_LESSON,  LV_T_HK_LANG,   LV_T_HK_HELP,
        LV_T_HK_QUIT,    LV_T_HD_LANG,    LV_T_HK_COMPARE, LV_T_HK_PICKER, LV_T_HK_EXPLORE,
        LV_T_HK_SCHED,   LV_T_HK_AUTO,    LV_T_HK_COPY,    LV_T_HK_PRED,   LV_T_HK_AHEAD,
        LV_T_HK_FULL,    LV_T_HK_ESC};
    for (int k = 0; k < LV_T__COUNT; k++) {
        if (strcmp(lv_tr(LV_LANG_EN, (lv_tr_key)k), lv_tr(LV_LANG_ZH, (lv_tr_key)k)) != 0) continue;
        int ok = 0;
        for (size_t i = 0; i < sizeof same_ok / sizeof same_ok[0]; i++)
            ok |= same_ok[i] == (lv_tr_key)k;
        if (!ok) TEST_FAIL_AT("key %d: \"%s\" is not translated", k, lv_tr(LV_LANG_EN, k));
    }
}

TEST(help_rows_and_word_lists_name_real_keys) {
    int n = 0;
    for (; lv_help_rows[n][0] != LV_T__COUNT; n++) {
        ASSERT_LT(lv_help_rows[n][0], LV_T__COUNT);
        ASSERT_LT(lv_help_rows[n][1], LV_T__COUNT);
        ASSERT(lv_help_rows[n][0] != lv_help_rows[n][1]);
    }
    ASSERT_GE(n, 15);
    int rerun = 0, lang = 0, lesson = 0, exp = 0;
    for (int i = 0; i < n; i++) {
        rerun |= lv_help_rows[i][0] == LV_T_HK_RERUN;
        lang |= lv_help_rows[i][0] == LV_T_HK_LANG;
        lesson |= lv_help_rows[i][0] == LV_T_HK_LESSON;
        exp |= lv_help_rows[i][0] == LV_T_HK_EXPORT;
    }
    ASSERT(rerun && lang && lesson && exp);
    ASSERT_EQ(lv_finding_words[LV_FIND_DEADLOCK], LV_T_DEADLOCK);
    ASSERT_EQ(lv_finding_words[LV_FIND_LOCK_ORDER], LV_T_LOCK_ORDER);
    ASSERT_EQ(lv_legend_words[4], LV_T_FINISHED);
    /* the help says findings follow the language chosen */
    ASSERT_CONTAINS(lv_tr(LV_LANG_EN, LV_T_HELP_NOTE), "Findings are shown in the language");
    ASSERT_CONTAINS(lv_tr(LV_LANG_ZH, LV_T_HELP_NOTE), "发现的说明跟随所选的语言");
}

/* Each character 16 px, ASCII 8 px: like a font where Chinese is twice as wide. */
static int cjk_measure(void *ctx, lv_font_id f, const char *s, size_t n) {
    (void)ctx;
    (void)f;
    int w = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80)
            w += 8;
        else if ((c & 0xC0) != 0x80)
            w += 16;
    }
    return w;
}

TEST(chinese_lessons_wrap_between_characters) {
    const lv_scenario *sc = lv_scenario_find("ticket");
    lv_run_desc d = {.scenario = sc, .mode = LV_MODE_CONTROLLED, .seed = 1};
    lv_trace *tr = NULL;
    ASSERT_EQ(lv_run(&d, &tr), LV_OK);
    lv_scene *s = NULL;
    ASSERT_EQ(lv_scene_new(tr, &s), LV_OK);
    for (int lang = 0; lang < LV_LANG__COUNT; lang++) {
        const char *text = lang ? sc->variants[0].lesson_zh : sc->variants[0].lesson_en;
        lv_viewport vp = {.w = 1280,
                          .h = 720,
                          .seq = -1,
                          .highlight = -1,
                          .hover_x = -1,
                          .hover_y = -1,
                          .lang = lang,
                          .lesson_title = lang ? sc->title_zh : sc->title,
                          .lesson_text = text,
                          .measure = cjk_measure};
        lv_frame f = {0};
        ASSERT_EQ(lv_frame_layout(&f, s, &vp), LV_OK);
        ASSERT_GE(f.nllines, 3); /* the title and at least two lines of text */
        ASSERT_EQ(f.lesson_cut, 0);
        ASSERT_EQ(f.lesson.y, f.header.h);
        ASSERT_EQ(f.timeline.y, f.lesson.y + f.lesson.h); /* the lanes start under it */
        ASSERT_EQ(f.objects.y, f.timeline.y);
        size_t total = 0;
        for (size_t i = 1; i < f.nllines; i++) {
            const lv_tline *t = &f.llines[i];
            ASSERT_LE(cjk_measure(NULL, LV_FONT_BODY, t->s, t->n), 1280 - 2 * t->x);
            ASSERT_GE(t->y, f.llines[i - 1].y + 1);
            ASSERT_LE(t->y + f.line_h[LV_FONT_BODY], f.lesson.y + f.lesson.h);
            if (lang && i + 1 < f.nllines) { /* lines are full: wrapped between characters */
                ASSERT_GT(cjk_measure(NULL, LV_FONT_BODY, t->s, t->n), 1280 - 2 * t->x - 40);
                ASSERT(memcmp(f.llines[i + 1].s, "，", 3) != 0);
                ASSERT(memcmp(f.llines[i + 1].s, "。", 3) != 0);
            }
            total += t->n;
        }
        ASSERT_GE(total + f.nllines, strlen(text) - 2 * f.nllines); /* nothing lost but spaces */
        /* closed: no panel, the lanes right under the header */
        vp.lesson_text = NULL;
        ASSERT_EQ(lv_frame_layout(&f, s, &vp), LV_OK);
        ASSERT_EQ(f.lesson.h, 0);
        ASSERT_EQ(f.nllines, 0);
        ASSERT_EQ(f.timeline.y, f.header.h);
        lv_frame_free(&f);
    }
    lv_scene_free(s);
    lv_trace_free(tr);
}

TEST_MAIN(TEST_ENTRY(every_key_has_both_columns, 30),
          TEST_ENTRY(chinese_differs_where_it_should, 30),
          TEST_ENTRY(help_rows_and_word_lists_name_real_keys, 30),
          TEST_ENTRY(chinese_lessons_wrap_between_characters, 60))
