/* One real window, run under Xvfb by ctest: opens the viewer on the deadlock, pushes SDL events
 * (play, step, zoom, a click on a finding), draws frames and reads their pixels back: the
 * window is not blank and the playhead moved. Then the keys V, R, E, L and I on a run made
 * here, and R on a trace from a file. With LV_SHOT=FILE it also saves the last frame, with
 * LV_SHOT_DIR=DIR pictures in English and Chinese with the lesson open. */
#include <SDL.h>
#include <sys/stat.h>
#include "glue.h"
#include "lv_png.h"
#include "registry.h"
#include "support.h"
#include "window_support.h"

static int colours(const shot *s) { /* distinct colours, roughly: a blank window has one */
    int seen[64] = {0}, n = 0;
    for (int i = 0; i < s->w * s->h; i += 7) {
        const unsigned char *p = s->px + (size_t)i * 3;
        int k = (p[0] >> 6) << 4 | (p[1] >> 6) << 2 | (p[2] >> 6);
        if (!seen[k]++) n++;
    }
    return n;
}

static int dark_column(const shot *s, int x, int y0, int y1) { /* the black playhead line */
    int n = 0;
    for (int y = y0; y < y1; y++) {
        const unsigned char *p = s->px + ((size_t)y * s->w + x) * 3;
        n += p[0] < 40 && p[1] < 40 && p[2] < 40;
    }
    return n;
}

TEST(window_plays_steps_zooms_and_jumps_to_a_finding) {
    const lv_scenario *sc = lv_scenario_find("deadlock");
    lv_run_desc d = {.scenario = sc, .mode = LV_MODE_CONTROLLED, .seed = 1};
    lv_trace *tr = NULL;
    ASSERT_EQ(lv_run(&d, &tr), LV_OK);
    char err[512];
    lv_viewer *v = lv_viewer_open(tr, &(lv_viewer_desc){.w = 1280, .h = 720}, err, sizeof err);
    if (!v) TEST_FAIL_AT("%s", err);
    shot a = frame(v, 0);
    ASSERT_GE(a.w, 1280);
    ASSERT_GE(colours(&a), 6); /* not blank */
    const lv_frame *f = lv_viewer_layout(v);
    int x_first = f->playhead_x;
    ASSERT_GE(x_first, f->x0);
    ASSERT_GT(dark_column(&a, x_first, f->area.y + 10, f->axis.y), f->area.h / 2);
    long seq0 = lv_viewer_state(v)->seq;

    /* space plays: after a few frames of time the playhead has moved right */
    push_key(SDLK_SPACE, 0);
    free(frame(v, 0).px);
    ASSERT(lv_viewer_state(v)->playing);
    for (int i = 0; i < 5; i++)
        free(frame(v, 0.5).px);
    push_key(SDLK_SPACE, 0); /* pause */
    shot b = frame(v, 0);
    ASSERT(!lv_viewer_state(v)->playing);
    int x_played = lv_viewer_layout(v)->playhead_x;
    ASSERT_GT(x_played, x_first + 10);
    ASSERT_GT(dark_column(&b, x_played, f->area.y + 10, f->axis.y), f->area.h / 2);
    ASSERT_LT(dark_column(&b, x_first, f->area.y + 10, f->axis.y), f->area.h / 2);
    long seq1 = lv_viewer_state(v)->seq;
    ASSERT_GT(seq1, seq0);

    /* right arrow: one event forward */
    push_key(SDLK_RIGHT, 0);
    free(frame(v, 0).px);
    ASSERT_EQ(lv_viewer_state(v)->seq, seq1 + 1);

    /* the wheel over the lanes zooms in */
    double w0 = lv_viewer_state(v)->d1 - lv_viewer_state(v)->d0;
    push_mouse(v, SDL_MOUSEMOTION, (f->x0 + f->x1) / 2, f->lanes[1].band.y, 1);
    push_wheel(2);
    free(frame(v, 0).px);
    ASSERT(lv_viewer_state(v)->d1 - lv_viewer_state(v)->d0 < w0 * 0.9);

    /* a click on the first finding: the playhead jumps to it and its events are marked */
    f = lv_viewer_layout(v);
    ASSERT_GT(f->nfrows, 0);
    lv_rect r = f->frows[0].r;
    push_mouse(v, SDL_MOUSEBUTTONDOWN, r.x + r.w / 2, r.y + r.h / 2, 1);
    push_mouse(v, SDL_MOUSEBUTTONUP, r.x + r.w / 2, r.y + r.h / 2, 1);
    shot c = frame(v, 0);
    const lv_vstate *st = lv_viewer_state(v);
    ASSERT_EQ(st->highlight, f->frows[0].finding);
    ASSERT_EQ(st->seq,
              (long)tr->findings[st->highlight].events[tr->findings[st->highlight].nevents - 1]);
    f = lv_viewer_layout(v);
    int marked = 0;
    for (size_t i = 0; i < f->nmarks; i++)
        marked += f->marks[i].kind == LV_MARK_FINDING;
    ASSERT_GT(marked, 0);
    ASSERT_GE(colours(&c), 6);

    /* H shows the help over everything; Esc closes it, Q quits */
    push_key(SDLK_h, 0);
    shot h = frame(v, 0);
    ASSERT(lv_viewer_state(v)->help);
    ASSERT(memcmp(h.px, c.px, (size_t)c.w * c.h * 3) != 0);
    push_key(SDLK_ESCAPE, 0);
    free(frame(v, 0).px);
    ASSERT(!lv_viewer_state(v)->help);

    const char *out = getenv("LV_SHOT");
    if (out && *out) {
        push_key(SDLK_HOME, 0);
        shot s = frame(v, 0);
        if (lv_png_write(out, s.px, s.w, s.h, (size_t)s.w * 3, err, sizeof err))
            TEST_FAIL_AT("%s", err);
        free(s.px);
    }
    push_key(SDLK_ESCAPE, 0); /* nothing open: Esc never quits */
    ASSERT_EQ(lv_viewer_frame(v, 0), 1);
    push_key(SDLK_q, 0);
    ASSERT_EQ(lv_viewer_frame(v, 0), 0); /* quit */
    free(a.px);
    free(b.px);
    free(c.px);
    free(h.px);
    lv_viewer_close(v);
    lv_trace_free(tr);
}

/* bytes that differ between two shots within rows y0..y1 */
static long differ(const shot *a, const shot *b, int y0, int y1) {
    long n = 0;
    for (size_t i = (size_t)y0 * a->w * 3; i < (size_t)y1 * a->w * 3; i++)
        n += a->px[i] != b->px[i];
    return n;
}

TEST(window_keys_rerun_export_and_switch_language) {
    const lv_scenario *sc = lv_scenario_find("ticket");
    lv_run_desc d = {.scenario = sc, .mode = LV_MODE_CONTROLLED, .seed = 1};
    lv_trace *tr = NULL;
    ASSERT_EQ(lv_run(&d, &tr), LV_OK);
    lv_rerun again;
    lv_rerun_init(&again, &d);
    again.quiet = 1;
    char err[512];
    lv_viewer_desc vd = {.w = 1280,
                         .h = 720,
                         .play = 1,
                         .lesson_open = 1,
                         .rerun = lv_rerun_next,
                         .rerun_ctx = &again,
                         .lesson = lv_lesson_of};
    lv_viewer *v = lv_viewer_open(tr, &vd, err, sizeof err);
    if (!v) TEST_FAIL_AT("%s", err);
    const char *dir = getenv("LV_SHOT_DIR");
    shot a = frame(v, 0);
    const lv_frame *f = lv_viewer_layout(v);
    ASSERT(lv_viewer_state(v)->lesson);
    ASSERT_GT(f->lesson.h, 2 * f->line_h[LV_FONT_BODY]); /* the lesson is open at the start */
    ASSERT_GE(f->font_px[LV_FONT_BODY], 16);
    ASSERT_EQ(f->timeline.y, f->lesson.y + f->lesson.h);
    ASSERT_CONTAINS(f->llines[0].s, sc->title);
    ASSERT_CONTAINS(f->title, "ticket / unlocked");
    if (dir && *dir) {
        push_key(SDLK_END, 0);
        shot e = frame(v, 0);
        save_shot(&e, "en-lesson.png");
        free(e.px);
        push_key(SDLK_HOME, 0);
        free(frame(v, 0).px);
    }

    /* V: the next variant, from the start, playing; the old trace is replaced */
    push_key(SDLK_END, 0); /* stop at the end, to see V start it again */
    free(frame(v, 0.3).px);
    ASSERT(!lv_viewer_state(v)->playing);
    push_key(SDLK_v, 0);
    shot b = frame(v, 0);
    const lv_trace *t2 = lv_viewer_trace(v);
    ASSERT(t2 != tr);
    ASSERT_STR_EQ(t2->variant, "locked");
    ASSERT_EQ(t2->seed, 1);
    f = lv_viewer_layout(v);
    ASSERT_CONTAINS(f->title, "ticket / locked");
    ASSERT_EQ(lv_viewer_state(v)->seq, 0);
    ASSERT(lv_viewer_state(v)->playing);
    ASSERT_CONTAINS(lv_viewer_status(v), "variant locked");
    ASSERT_EQ(t2->nfindings, 0); /* the fix: nothing found, where the race had findings */
    ASSERT_GT(tr->nfindings, 0);
    ASSERT_GT(differ(&a, &b, 0, b.h), 1000);
    ASSERT_CONTAINS(f->llines[1].s, sc->variants[1].lesson_en); /* the lesson followed */

    /* R: the next seed, same variant */
    push_key(SDLK_r, 0);
    free(frame(v, 0).px);
    const lv_trace *t3 = lv_viewer_trace(v);
    ASSERT_EQ(t3->seed, 2);
    ASSERT_STR_EQ(t3->variant, "locked");
    ASSERT_CONTAINS(lv_viewer_layout(v)->subtitle, "seed 2");
    ASSERT_CONTAINS(lv_viewer_status(v), "seed 2");

    /* E: three files in the current folder, the PNG the size of the window */
    char tmp[] = "/tmp/lv_export_XXXXXX";
    ASSERT(mkdtemp(tmp));
    char old[1024];
    ASSERT(getcwd(old, sizeof old));
    ASSERT_EQ(chdir(tmp), 0);
    push_key(SDLK_e, 0);
    shot c = frame(v, 0);
    if (dir && *dir) save_shot(&c, "en-export-message.png");
    const char *names[3] = {"lockviz-ticket-locked-seed2.json",
                            "lockviz-ticket-locked-seed2-chrome.json",
                            "lockviz-ticket-locked-seed2.png"};
    struct stat st;
    for (int i = 0; i < 3; i++) {
        if (stat(names[i], &st) != 0) TEST_FAIL_AT("%s was not written", names[i]);
        ASSERT_CONTAINS(lv_viewer_status(v), names[i]);
    }
    uint8_t *px = NULL;
    int pw = 0, ph = 0;
    if (lv_png_read(names[2], &px, &pw, &ph, err, sizeof err)) TEST_FAIL_AT("%s", err);
    ASSERT_EQ(pw, c.w);
    ASSERT_EQ(ph, c.h);
    /* the picture is the window without the message drawn over it after the export */
    shot p = {px, pw, ph};
    ASSERT_LT(differ(&p, &c, 0, c.h / 2), (long)c.w * 3 * 4);
    ASSERT_GT(differ(&p, &c, 0, c.h), 1000);
    /* E again: new names, nothing overwritten */
    push_key(SDLK_e, 0);
    free(frame(v, 0).px);
    ASSERT_EQ(stat("lockviz-ticket-locked-seed2-2.png", &st), 0);
    ASSERT_CONTAINS(lv_viewer_status(v), "seed2-2.png");
    for (int i = 0; i < 3; i++)
        unlink(names[i]);
    unlink("lockviz-ticket-locked-seed2-2.json");
    unlink("lockviz-ticket-locked-seed2-2-chrome.json");
    unlink("lockviz-ticket-locked-seed2-2.png");
    ASSERT_EQ(chdir(old), 0);
    ASSERT_EQ(rmdir(tmp), 0);
    free(px);

    /* L: Chinese; the header's words are drawn differently, the lesson is the Chinese one */
    free(frame(v, 10).px); /* the message times out */
    ASSERT_STR_EQ(lv_viewer_status(v), "");
    shot en = frame(v, 0);
    push_key(SDLK_l, 0);
    shot zh = frame(v, 0);
    ASSERT_EQ(lv_viewer_state(v)->lang, LV_LANG_ZH);
    f = lv_viewer_layout(v);
    ASSERT_GT(differ(&en, &zh, 0, f->header.h), 200);
    ASSERT_CONTAINS(f->subtitle, "种子 2");
    ASSERT_CONTAINS(f->status, "事件");
    ASSERT_CONTAINS(f->llines[0].s, sc->title_zh);
    ASSERT_CONTAINS(f->llines[1].s, "锁");
    if (dir && *dir) {
        push_key(SDLK_v, 0); /* back to the race, in Chinese */
        free(frame(v, 0).px);
        push_key(SDLK_END, 0);
        shot z = frame(v, 10);
        save_shot(&z, "zh-lesson.png");
        push_key(SDLK_h, 0);
        shot zhh = frame(v, 0);
        save_shot(&zhh, "zh-help.png");
        push_key(SDLK_l, 0);
        shot enh = frame(v, 0);
        save_shot(&enh, "en-help.png");
        push_key(SDLK_h, 0);
        push_key(SDLK_l, 0);
        free(frame(v, 0).px);
        free(z.px);
        free(zhh.px);
        free(enh.px);
    }
    /* the language button switches back */
    f = lv_viewer_layout(v);
    lv_rect lb = f->buttons[LV_BTN_LANG];
    push_mouse(v, SDL_MOUSEBUTTONDOWN, lb.x + lb.w / 2, lb.y + lb.h / 2, 1);
    push_mouse(v, SDL_MOUSEBUTTONUP, lb.x + lb.w / 2, lb.y + lb.h / 2, 1);
    free(frame(v, 0).px);
    ASSERT_EQ(lv_viewer_state(v)->lang, LV_LANG_EN);
    /* I hides the lesson: the lanes move up under the header */
    push_key(SDLK_i, 0);
    free(frame(v, 0).px);
    f = lv_viewer_layout(v);
    ASSERT_EQ(f->lesson.h, 0);
    ASSERT_EQ(f->timeline.y, f->header.h);
    free(a.px);
    free(b.px);
    free(c.px);
    free(en.px);
    free(zh.px);
    lv_viewer_close(v); /* frees the reruns' traces; tr is still ours */
    ASSERT_GT(tr->nevents, 0);
    lv_trace_free(tr);
}

TEST(window_from_a_file_says_rerun_is_for_runs_made_here) {
    const lv_scenario *sc = lv_scenario_find("deadlock");
    lv_run_desc d = {.scenario = sc, .mode = LV_MODE_CONTROLLED, .seed = 3};
    lv_trace *tr = NULL;
    ASSERT_EQ(lv_run(&d, &tr), LV_OK);
    char err[512];
    lv_viewer *v = lv_viewer_open(tr, &(lv_viewer_desc){.lesson = lv_lesson_of}, err, sizeof err);
    if (!v) TEST_FAIL_AT("%s", err);
    shot a = frame(v, 0);
    ASSERT_EQ(lv_viewer_layout(v)->lesson.h, 0); /* closed at the start, but there is one */
    push_key(SDLK_r, 0);
    shot b = frame(v, 0);
    ASSERT(lv_viewer_trace(v) == tr);
    ASSERT_CONTAINS(lv_viewer_status(v), "R: only for runs started here");
    const char *dir = getenv("LV_SHOT_DIR");
    if (dir && *dir) { /* with the language button's tooltip */
        lv_rect lb = lv_viewer_layout(v)->buttons[LV_BTN_LANG];
        push_mouse(v, SDL_MOUSEMOTION, lb.x + lb.w / 2, lb.y + lb.h / 2, 1);
        shot t = frame(v, 0);
        save_shot(&t, "view-r-message-and-tooltip.png");
        free(t.px);
    }
    ASSERT_GT(differ(&a, &b, 0, a.h), 500); /* the message is on screen */
    push_key(SDLK_v, 0);
    free(frame(v, 0).px);
    ASSERT_CONTAINS(lv_viewer_status(v), "V: only for runs started here");
    push_key(SDLK_i, 0);
    free(frame(v, 0).px);
    ASSERT_GT(lv_viewer_layout(v)->lesson.h, 0);
    ASSERT_CONTAINS(lv_viewer_layout(v)->llines[0].s, sc->title);
    /* a trace of no registered scenario: no lesson, and I says so */
    free(tr->scenario);
    tr->scenario = strdup("homemade");
    lv_viewer_close(v);
    v = lv_viewer_open(tr, &(lv_viewer_desc){.lesson = lv_lesson_of}, err, sizeof err);
    if (!v) TEST_FAIL_AT("%s", err);
    push_key(SDLK_i, 0);
    free(frame(v, 0).px);
    ASSERT_EQ(lv_viewer_layout(v)->lesson.h, 0);
    ASSERT_CONTAINS(lv_viewer_status(v), "No lesson");
    free(a.px);
    free(b.px);
    lv_viewer_close(v);
    lv_trace_free(tr);
}

TEST_MAIN(TEST_ENTRY(window_plays_steps_zooms_and_jumps_to_a_finding, 60),
          TEST_ENTRY(window_keys_rerun_export_and_switch_language, 90),
          TEST_ENTRY(window_from_a_file_says_rerun_is_for_runs_made_here, 60))
