/* A user's scenario file in the window, as `lockviz run ./my_bank.so` opens it: the guide's bank
 * example (docs/examples/my_bank.c, built by the build as a scenario file) goes through X, E,
 * R, V, C, S, P and the picker (O) as a built-in scenario does, each run in a child process.
 * With LV_SHOT_DIR=DIR it saves the pictures to look at. */
#include <sys/stat.h>
#include <time.h>
#include "glue.h"
#include "predict.h"
#include "registry.h"
#include "window_support.h"

static void sleep_ms(int ms) {
    struct timespec ts = {0, ms * 1000000L};
    nanosleep(&ts, NULL);
}

TEST(a_scenario_file_goes_through_every_key_of_the_window) {
    char err[512];
    const lv_scenario *sc = lv_registry_lookup(LV_BANK_SO, err, sizeof err);
    if (!sc) TEST_FAIL_AT("%s", err);
    ASSERT_STR_EQ(sc->name, "bank");
    lv_run_desc d = {.scenario = sc,
                     .variant = lv_scenario_variant_index(sc, "broken"),
                     .mode = LV_MODE_CONTROLLED,
                     .seed = 1};
    lv_trace *tr = NULL;
    ASSERT_EQ(lv_run(&d, &tr), LV_OK);
    ASSERT(tr->scenario_path);
    lv_host h;
    ASSERT_EQ(lv_host_init(&h, &d), LV_OK);
    h.rerun.quiet = 1;
    lv_viewer_desc vd = lv_host_window(&h, 0);
    lv_viewer *v = lv_viewer_open(tr, &vd, err, sizeof err);
    if (!v) TEST_FAIL_AT("%s", err);
    step(v, 0);
    ASSERT_CONTAINS(lv_viewer_layout(v)->title, "bank / broken");

    /* X: explore finds the lost update and shows the failing run */
    push_key(SDLK_x, 0);
    step(v, 0);
    while (lv_viewer_exploring(v, NULL, NULL)) { /* the test's alarm ends a hang */
        step(v, 0.03);
        sleep_ms(10);
    }
    step(v, 0);
    const lv_trace *f = lv_viewer_trace(v);
    ASSERT(f != tr);
    ASSERT_STR_EQ(f->scenario, "bank");
    ASSERT_STR_EQ(f->scenario_path, tr->scenario_path);
    ASSERT_GT(f->nfindings, 0);
    ASSERT_CONTAINS(lv_viewer_status(v), "Explore: run 1 failed");
    shot s = frame(v, 0);
    save_shot(&s, "user-explore.png");
    free(s.px);

    /* E: the three files, named for the scenario, the trace naming the file */
    char dir[] = "/tmp/lv_userwin_XXXXXX", old[1024];
    ASSERT(mkdtemp(dir));
    ASSERT(getcwd(old, sizeof old));
    ASSERT_EQ(chdir(dir), 0);
    push_key(SDLK_e, 0);
    step(v, 0);
    char names[3][96];
    snprintf(names[0], sizeof names[0], "lockviz-bank-broken-seed%" PRIu64 ".json", f->seed);
    snprintf(names[1], sizeof names[1], "lockviz-bank-broken-seed%" PRIu64 "-chrome.json", f->seed);
    snprintf(names[2], sizeof names[2], "lockviz-bank-broken-seed%" PRIu64 ".png", f->seed);
    struct stat st;
    for (int i = 0; i < 3; i++) {
        if (stat(names[i], &st) != 0 || st.st_size == 0)
            TEST_FAIL_AT("%s was not written", names[i]);
        ASSERT_CONTAINS(lv_viewer_status(v), names[i]);
    }
    lv_trace *back = NULL;
    ASSERT_EQ(lv_trace_load(names[0], &back, err, sizeof err), LV_OK);
    ASSERT_STR_EQ(back->scenario_path, tr->scenario_path);
    lv_trace_free(back);
    for (int i = 0; i < 3; i++)
        unlink(names[i]);
    ASSERT_EQ(chdir(old), 0);
    ASSERT_EQ(rmdir(dir), 0);

    /* R: the next seed; V: the fix */
    uint64_t seed = f->seed;
    push_key(SDLK_r, 0);
    step(v, 0);
    ASSERT_STR_EQ(lv_viewer_trace(v)->scenario, "bank");
    ASSERT_EQ(lv_viewer_trace(v)->seed, seed + 1);
    push_key(SDLK_v, 0);
    step(v, 0);
    ASSERT_STR_EQ(lv_viewer_trace(v)->variant, "locked");
    ASSERT_EQ(lv_viewer_trace(v)->nfindings, 0);
    ASSERT_CONTAINS(lv_viewer_layout(v)->title, "bank / locked");

    /* C: beside the broken variant, and back */
    push_key(SDLK_c, 0);
    step(v, 0);
    ASSERT(lv_viewer_compare(v) != NULL);
    s = frame(v, 0);
    save_shot(&s, "user-side-by-side.png");
    free(s.px);
    push_key(SDLK_c, 0);
    step(v, 0);
    ASSERT(lv_viewer_compare(v) == NULL);

    /* S: scheduler mode on and off; P: predict mode on and off */
    push_key(SDLK_s, 0);
    step(v, 0);
    ASSERT(lv_viewer_sched(v)->on);
    push_key(SDLK_s, 0);
    step(v, 0);
    ASSERT(!lv_viewer_sched(v)->on);
    push_key(SDLK_p, 0);
    step(v, 0);
    ASSERT(lv_viewer_predict(v)->on);
    push_key(SDLK_p, 0);
    step(v, 0);
    ASSERT(!lv_viewer_predict(v)->on);

    /* O: the picker lists the file's scenario, and has it chosen */
    push_key(SDLK_o, 0);
    step(v, 0);
    const lv_picker *pk = lv_viewer_picker(v);
    ASSERT(pk->open);
    ASSERT_STR_EQ(h.catalog.scenarios[pk->sel].name, "bank");
    ASSERT_EQ(h.catalog.n, (int)lv_nscenarios + 1);
    s = frame(v, 0);
    save_shot(&s, "user-picker.png");
    free(s.px);
    push_key(SDLK_ESCAPE, 0);
    step(v, 0);
    ASSERT(!pk->open);

    lv_viewer_close(v);
    lv_host_free(&h);
    lv_trace_free(tr);
}

TEST_MAIN(TEST_ENTRY(a_scenario_file_goes_through_every_key_of_the_window, 120))
