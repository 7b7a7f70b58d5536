/* The viewer's R, V, E, L and I without a window: export names never overwrite, reruns bump
 * the seed or cycle the variant and keep the rest, lessons are found through the registry (and
 * not for unknown names), and the keys change the viewer state or record a request. */
#include <fcntl.h>
#include <sys/stat.h>
#include "export.h"
#include "glue.h"
#include "registry.h"
#include "support.h"
#include "test.h"
#include "vstate.h"

static void touch(const char *path) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ASSERT_GE(fd, 0);
    close(fd);
}

TEST(export_names_never_overwrite) {
    char dir[] = "/tmp/lv_keys_XXXXXX";
    ASSERT(mkdtemp(dir));
    lv_trace *tr = run_variant("ticket", "locked", 7, NULL, 0);
    char p[LV_EXPORT__COUNT][LV_EXPORT_PATH];
    ASSERT_EQ(lv_export_paths(dir, tr, p), 0);
    char want[LV_EXPORT_PATH + 64];
    snprintf(want, sizeof want, "%s/lockviz-ticket-locked-seed7.json", dir);
    ASSERT_STR_EQ(p[LV_EXPORT_NATIVE], want);
    snprintf(want, sizeof want, "%s/lockviz-ticket-locked-seed7-chrome.json", dir);
    ASSERT_STR_EQ(p[LV_EXPORT_CHROME], want);
    snprintf(want, sizeof want, "%s/lockviz-ticket-locked-seed7.png", dir);
    ASSERT_STR_EQ(p[LV_EXPORT_PNG], want);
    /* any one of the three taken: all three move to -2, then -3 */
    touch(p[LV_EXPORT_PNG]);
    ASSERT_EQ(lv_export_paths(dir, tr, p), 0);
    snprintf(want, sizeof want, "%s/lockviz-ticket-locked-seed7-2.json", dir);
    ASSERT_STR_EQ(p[LV_EXPORT_NATIVE], want);
    snprintf(want, sizeof want, "%s/lockviz-ticket-locked-seed7-2.png", dir);
    ASSERT_STR_EQ(p[LV_EXPORT_PNG], want);
    touch(p[LV_EXPORT_CHROME]);
    ASSERT_EQ(lv_export_paths(dir, tr, p), 0);
    snprintf(want, sizeof want, "%s/lockviz-ticket-locked-seed7-3-chrome.json", dir);
    ASSERT_STR_EQ(p[LV_EXPORT_CHROME], want);
    /* writing them: three real files, and the next name is -4 */
    uint8_t px[200 * 150 * 3];
    memset(px, 200, sizeof px);
    char err[512];
    if (lv_export_write(tr, p, px, 200, 150, err, sizeof err)) TEST_FAIL_AT("%s", err);
    struct stat st;
    for (int i = 0; i < LV_EXPORT__COUNT; i++) {
        ASSERT_EQ(stat(p[i], &st), 0);
        ASSERT_GT(st.st_size, 50);
    }
    lv_trace *back = NULL;
    ASSERT_EQ(lv_trace_load(p[LV_EXPORT_NATIVE], &back, err, sizeof err), LV_OK);
    ASSERT_EQ(back->nevents, tr->nevents);
    lv_trace_free(back);
    ASSERT_EQ(lv_export_paths(dir, tr, p), 0);
    ASSERT_CONTAINS(p[LV_EXPORT_PNG], "seed7-4.png");
    /* names from a file cannot climb out of the folder */
    free(tr->scenario);
    tr->scenario = strdup("../../etc/x y");
    ASSERT_EQ(lv_export_paths(NULL, tr, p), 0);
    ASSERT_STR_EQ(p[LV_EXPORT_NATIVE], "lockviz-------etc-x-y-locked-seed7.json");
    ASSERT(!strchr(p[LV_EXPORT_NATIVE], '/'));
    lv_trace_free(tr);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    ASSERT_EQ(system(cmd), 0);
}

TEST(rerun_bumps_the_seed_or_cycles_the_variant) {
    const lv_scenario *sc = lv_scenario_find("ticket");
    int64_t params[LV_MAX_PARAMS] = {4, 2}; /* buyers, tickets */
    lv_run_desc d = {
        .scenario = sc, .variant = 0, .params = params, .mode = LV_MODE_CONTROLLED, .seed = 41};
    lv_rerun r;
    lv_rerun_init(&r, &d);
    r.quiet = 1;
    params[0] = 99; /* the caller's array may change or go: the rerun has its own copy */
    char err[256];
    lv_trace *a = lv_rerun_next(&r, LV_RERUN_SEED, err, sizeof err);
    if (!a) TEST_FAIL_AT("%s", err);
    ASSERT_EQ(a->seed, 42);
    ASSERT_STR_EQ(a->variant, sc->variants[0].name);
    ASSERT_EQ(a->nthreads, 1 + 4); /* main and the four buyers */
    lv_trace *b = lv_rerun_next(&r, LV_RERUN_VARIANT, err, sizeof err);
    ASSERT(b);
    ASSERT_EQ(b->seed, 42); /* the seed is kept */
    ASSERT_STR_EQ(b->variant, sc->variants[1].name);
    lv_trace *c = lv_rerun_next(&r, LV_RERUN_VARIANT, err, sizeof err);
    ASSERT(c);
    ASSERT_STR_EQ(c->variant, sc->variants[0].name); /* cycling */
    lv_trace *e = lv_rerun_next(&r, LV_RERUN_SEED, err, sizeof err);
    ASSERT(e);
    ASSERT_EQ(e->seed, 43);
    ASSERT_STR_EQ(e->variant, sc->variants[0].name);
    ASSERT(lv_rerun_next(&r, 99, err, sizeof err) == NULL);
    ASSERT_CONTAINS(err, "unknown");
    lv_trace_free(a);
    lv_trace_free(b);
    lv_trace_free(c);
    lv_trace_free(e);
}

TEST(lessons_come_from_the_registry) {
    lv_trace *tr = run_variant("deadlock", "ordered", 1, NULL, 0);
    lv_lesson l;
    ASSERT_EQ(lv_lesson_of(NULL, tr, &l), 0);
    const lv_scenario *sc = lv_scenario_find("deadlock");
    int vi = lv_scenario_variant_index(sc, "ordered");
    ASSERT_STR_EQ(l.title[LV_LANG_EN], sc->title);
    ASSERT_STR_EQ(l.title[LV_LANG_ZH], sc->title_zh);
    ASSERT_STR_EQ(l.text[LV_LANG_EN], sc->variants[vi].lesson_en);
    ASSERT_STR_EQ(l.text[LV_LANG_ZH], sc->variants[vi].lesson_zh);
    ASSERT_STR_EQ(l.variant, "ordered");
    free(tr->variant);
    tr->variant = strdup("no-such-variant");
    ASSERT_EQ(lv_lesson_of(NULL, tr, &l), -1);
    free(tr->scenario);
    tr->scenario = strdup("no-such-scenario");
    ASSERT_EQ(lv_lesson_of(NULL, tr, &l), -1);
    lv_trace_free(tr);
}

TEST(keys_change_the_state_or_ask_the_viewer) {
    lv_trace *tr = run_variant("ticket", "unlocked", 1, NULL, 0);
    lv_scene *s = NULL;
    ASSERT_EQ(lv_scene_new(tr, &s), LV_OK);
    lv_vstate v;
    lv_vs_init(&v, s);
    ASSERT_EQ(v.lang, LV_LANG_EN);
    lv_vs_key(&v, LV_KEY_LANG, 0);
    ASSERT_EQ(v.lang, LV_LANG_ZH);
    lv_vs_button(&v, LV_BTN_LANG);
    ASSERT_EQ(v.lang, LV_LANG_EN);
    lv_vs_key(&v, LV_KEY_LESSON, 0);
    ASSERT_EQ(v.lesson, 1);
    lv_vs_button(&v, LV_BTN_LESSON);
    ASSERT_EQ(v.lesson, 0);
    lv_vs_key(&v, LV_KEY_RERUN, 0);
    ASSERT_EQ(v.request, LV_REQ_RERUN_SEED);
    lv_vs_key(&v, LV_KEY_VARIANT, 0);
    ASSERT_EQ(v.request, LV_REQ_RERUN_VARIANT);
    lv_vs_key(&v, LV_KEY_EXPORT, 0);
    ASSERT_EQ(v.request, LV_REQ_EXPORT);
    /* a new run: the playhead back at the start, playing; language and lesson kept */
    lv_vs_key(&v, LV_KEY_LANG, 0);
    lv_vs_key(&v, LV_KEY_LESSON, 0);
    lv_vs_key(&v, LV_KEY_END, 0);
    lv_vs_key(&v, LV_KEY_PLUS, 0);
    ASSERT_GT(v.seq, 0);
    lv_vs_retarget(&v, s);
    ASSERT_EQ(v.seq, 0);
    ASSERT(v.playing);
    ASSERT_EQ(v.lang, LV_LANG_ZH);
    ASSERT_EQ(v.lesson, 1);
    ASSERT_EQ(v.speed_level, 1);
    lv_viewport vp = {0};
    lv_vs_viewport(&v, &vp);
    ASSERT_EQ(vp.lang, LV_LANG_ZH);
    lv_scene_free(s);
    lv_trace_free(tr);
}

TEST_MAIN(TEST_ENTRY(export_names_never_overwrite, 60),
          TEST_ENTRY(rerun_bumps_the_seed_or_cycles_the_variant, 60),
          TEST_ENTRY(lessons_come_from_the_registry, 60),
          TEST_ENTRY(keys_change_the_state_or_ask_the_viewer, 60))
