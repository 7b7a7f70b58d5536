/* Side by side in a real window, run under Xvfb by ctest: the C key opens the fixed run below
 * the race, → steps both playheads in step (one time, one x, both drawn), a click moves both,
 * E saves both runs and the picture, R and V re-run both panes, the compare button closes it;
 * a window without the counterpart callback says C is for runs started here, and the window
 * `lockviz run --compare` opens starts side by side. With LV_SHOT_DIR=DIR it saves pictures. */
#include <SDL.h>
#include <sys/stat.h>
#include "glue.h"
#include "lv_png.h"
#include "registry.h"
#include "window_support.h"

/* Dark pixels down column x of a pane's lanes: the black playhead line. */
static int dark_column(const shot *s, const lv_cmp_pane *p, int x) {
    int n = 0;
    for (int y = p->r.y + p->f.area.y + 10; y < p->r.y + p->f.axis.y; y++) {
        const unsigned char *q = s->px + ((size_t)y * s->w + x) * 3;
        n += q[0] < 40 && q[1] < 40 && q[2] < 40;
    }
    return n;
}

/* Both panes' playheads: one time, one x, and a line drawn there in each. */
static void in_step(const lv_viewer *v, const shot *s) {
    const lv_compare *c = lv_viewer_compare(v);
    ASSERT(c);
    ASSERT_EQ(c->p[0].vp.play_t, c->p[1].vp.play_t);
    int x = c->p[0].f.playhead_x;
    ASSERT_GE(x, c->p[0].f.x0);
    ASSERT_EQ(c->p[1].f.playhead_x, x);
    for (int k = 0; k < 2; k++) {
        int h = c->p[k].f.axis.y - c->p[k].f.area.y - 10;
        if (dark_column(s, &c->p[k], x) < h * 8 / 10)
            TEST_FAIL_AT("pane %d: no playhead line at x=%d", k, x);
    }
}

static lv_trace *run(const char *name, const char *variant, int64_t buyers, lv_run_desc *d) {
    const lv_scenario *sc = lv_scenario_find(name);
    static int64_t params[LV_MAX_PARAMS];
    for (int i = 0; i < sc->nparams; i++)
        params[i] = sc->params[i].def;
    if (buyers) params[0] = buyers;
    *d = (lv_run_desc){.scenario = sc,
                       .variant = lv_scenario_variant_index(sc, variant),
                       .params = params,
                       .mode = LV_MODE_CONTROLLED,
                       .seed = 1};
    lv_trace *tr = NULL;
    ASSERT_EQ(lv_run(d, &tr), LV_OK);
    return tr;
}

TEST(compare_key_opens_steps_in_step_and_closes) {
    lv_run_desc d;
    lv_trace *tr = run("ticket", "unlocked", 3, &d);
    lv_rerun again;
    lv_rerun_init(&again, &d);
    again.quiet = 1;
    char err[512];
    lv_viewer_desc vd = {.w = 1280,
                         .h = 720,
                         .lesson_open = 1,
                         .rerun = lv_rerun_next,
                         .rerun_ctx = &again,
                         .lesson = lv_lesson_of,
                         .counterpart = lv_counterpart_next,
                         .counterpart_ctx = &again};
    lv_viewer *v = lv_viewer_open(tr, &vd, err, sizeof err);
    if (!v) TEST_FAIL_AT("%s", err);
    shot a = frame(v, 0);
    ASSERT(!lv_viewer_compare(v));
    int single_lane_h = lv_viewer_layout(v)->lanes[0].r.h;
    /* a few events in, then C: the fix below, at the same moment */
    for (int i = 0; i < 6; i++)
        push_key(SDLK_RIGHT, 0);
    free(frame(v, 0).px);
    int64_t t_before = tr->events[lv_viewer_state(v)->seq].t;
    push_key(SDLK_c, 0);
    shot b = frame(v, 0);
    const lv_compare *c = lv_viewer_compare(v);
    ASSERT(c);
    const lv_trace *fix = c->p[1].side.tr;
    ASSERT_STR_EQ(fix->variant, "locked");
    ASSERT_EQ(fix->seed, tr->seed);
    ASSERT(c->p[0].side.tr == tr);
    ASSERT_EQ(lv_cmp_time(c), t_before);
    ASSERT_CONTAINS(c->p[0].f.title, "ticket / unlocked (broken)");
    ASSERT_CONTAINS(c->p[1].f.title, "ticket / locked (fixed)");
    ASSERT_CONTAINS(lv_viewer_status(v), "Side by side with locked (fixed)");
    ASSERT_LT(c->p[0].f.lanes[0].r.h, single_lane_h + 1);
    ASSERT_GT(c->p[1].r.y, c->p[0].r.h - 1);
    ASSERT_EQ(c->p[1].f.nlanes, fix->nthreads);
    save_shot(&b, "compare-open.png");
    free(b.px);
    /* the message in the upper pane's bar, under its lanes, over none of them */
    ASSERT_GT(c->p[0].f.message.h, 0);
    for (size_t i = 0; i < c->p[0].f.nlanes; i++)
        ASSERT_LE(c->p[0].f.lanes[i].r.y + c->p[0].f.lanes[i].r.h, c->p[0].f.message.y);
    b = frame(v, 10); /* the message times out (nothing plays) */
    ASSERT_STR_EQ(lv_viewer_status(v), "");
    in_step(v, &b);
    /* → steps through both runs' events in one order: both playheads move together, and
     * some steps are the race's events, some the fix's */
    long m0 = c->m, seq0[2] = {c->p[0].vs.seq, c->p[1].vs.seq}, moved[2] = {0, 0};
    for (int i = 1; i <= 12; i++) {
        push_key(SDLK_RIGHT, 0);
        shot s = frame(v, 0);
        c = lv_viewer_compare(v);
        ASSERT_EQ(c->m, m0 + i);
        in_step(v, &s);
        for (int k = 0; k < 2; k++) {
            moved[k] += c->p[k].vs.seq != seq0[k];
            seq0[k] = c->p[k].vs.seq;
        }
        free(s.px);
    }
    ASSERT_GT(moved[0], 0);
    ASSERT_GT(moved[1], 0);
    ASSERT_EQ(moved[0] + moved[1], 12);
    /* the time moved on, and the picture with it */
    shot s2 = frame(v, 0);
    ASSERT_GT(lv_cmp_time(c), t_before);
    in_step(v, &s2);
    /* a click on the lower pane's timeline moves both playheads there */
    const lv_cmp_pane *lo = &c->p[1];
    int cx = lo->f.x0 + (lo->f.x1 - lo->f.x0) * 3 / 4, cy = lo->r.y + lo->f.lanes[1].band.y;
    int64_t t_click = lv_frame_t(&lo->f, lo->s, cx);
    click_at(v, cx, cy);
    shot s3 = frame(v, 0);
    c = lv_viewer_compare(v);
    ASSERT_LE(lv_cmp_time(c), t_click);
    ASSERT_GT(lv_cmp_time(c), t_before);
    in_step(v, &s3);
    save_shot(&s3, "compare-clicked.png");
    /* H: the help over both panes, C listed; Esc closes it */
    push_key(SDLK_h, 0);
    shot hs = frame(v, 0);
    ASSERT(lv_viewer_state(v)->help);
    save_shot(&hs, "compare-help.png");
    push_key(SDLK_ESCAPE, 0);
    free(frame(v, 0).px);
    ASSERT(!lv_viewer_state(v)->help);
    ASSERT(lv_viewer_compare(v));

    /* E: the picture of both panes, and both runs' files */
    char tmp[] = "/tmp/lv_cmp_export_XXXXXX", old[1024];
    ASSERT(mkdtemp(tmp));
    ASSERT(getcwd(old, sizeof old));
    ASSERT_EQ(chdir(tmp), 0);
    push_key(SDLK_e, 0);
    free(frame(v, 0).px);
    const char *names[5] = {"lockviz-ticket-unlocked-seed1.json",
                            "lockviz-ticket-unlocked-seed1-chrome.json",
                            "lockviz-ticket-unlocked-seed1.png", "lockviz-ticket-locked-seed1.json",
                            "lockviz-ticket-locked-seed1-chrome.json"};
    struct stat st;
    for (int i = 0; i < 5; i++) {
        if (stat(names[i], &st) != 0) TEST_FAIL_AT("%s was not written", names[i]);
        ASSERT_CONTAINS(lv_viewer_status(v), names[i]);
    }
    uint8_t *px = NULL;
    int pw, ph;
    if (lv_png_read(names[2], &px, &pw, &ph, err, sizeof err)) TEST_FAIL_AT("%s", err);
    ASSERT_EQ(pw, s3.w);
    ASSERT_EQ(ph, s3.h);
    shot saved = {px, pw, ph};
    in_step(v, &saved); /* the saved picture has both panes and both playheads */
    free(px);
    for (int i = 0; i < 5; i++)
        unlink(names[i]);
    ASSERT_EQ(chdir(old), 0);
    ASSERT_EQ(rmdir(tmp), 0);

    /* R: both panes re-run with the next seed, the lower one still the fix */
    push_key(SDLK_r, 0);
    free(frame(v, 0).px);
    c = lv_viewer_compare(v);
    ASSERT(c);
    ASSERT_EQ(c->p[0].side.tr->seed, 2);
    ASSERT_EQ(c->p[1].side.tr->seed, 2);
    ASSERT_STR_EQ(c->p[0].side.tr->variant, "unlocked");
    ASSERT_STR_EQ(c->p[1].side.tr->variant, "locked");
    ASSERT_EQ(lv_schedule_same(c->p[0].side.tr, c->p[1].side.tr), c->same);
    ASSERT_GT(c->same, 0);
    ASSERT(lv_viewer_state(v)->playing);
    /* V: the next variant above, its counterpart below */
    push_key(SDLK_v, 0);
    shot vs = frame(v, 0);
    c = lv_viewer_compare(v);
    ASSERT_STR_EQ(c->p[0].side.tr->variant, "locked");
    ASSERT_STR_EQ(c->p[1].side.tr->variant, "unlocked");
    ASSERT_CONTAINS(c->p[1].f.title, "(broken)");
    ASSERT_EQ(c->p[1].side.tr->seed, 2);
    save_shot(&vs, "compare-after-v.png");
    free(vs.px);

    /* the compare button closes it: one run, the upper one, at its event */
    push_key(SDLK_SPACE, 0); /* pause */
    push_key(SDLK_RIGHT, 0);
    free(frame(v, 0).px);
    c = lv_viewer_compare(v);
    long seq_up = c->p[0].vs.seq;
    const lv_trace *up = c->p[0].side.tr;
    lv_rect cb = c->p[0].f.buttons[LV_BTN_COMPARE];
    int pane_lane_h = c->p[0].f.lanes[0].r.h;
    ASSERT_EQ(c->p[0].f.lesson.h, 0); /* two lessons would crowd the panes: closed */
    click_at(v, cb.x + cb.w / 2, cb.y + cb.h / 2);
    shot one = frame(v, 0);
    ASSERT(!lv_viewer_compare(v));
    ASSERT(lv_viewer_trace(v) == up);
    ASSERT_EQ(lv_viewer_state(v)->seq, seq_up);
    ASSERT_GT(lv_viewer_layout(v)->lanes[0].r.h, pane_lane_h);
    ASSERT_GT(lv_viewer_layout(v)->lesson.h, 0); /* the single view's lesson is open again */
    ASSERT_GT(lv_viewer_layout(v)->header.w, 0);
    save_shot(&one, "compare-closed.png");
    /* and C opens it again */
    push_key(SDLK_c, 0);
    free(frame(v, 0).px);
    ASSERT(lv_viewer_compare(v));
    push_key(SDLK_c, 0);
    free(frame(v, 0).px);
    ASSERT(!lv_viewer_compare(v));
    free(a.px);
    free(b.px);
    free(s2.px);
    free(s3.px);
    free(hs.px);
    free(one.px);
    lv_viewer_close(v);
    lv_trace_free(tr);
}

TEST(without_the_callback_c_says_so_and_run_compare_opens_side_by_side) {
    lv_run_desc d;
    lv_trace *tr = run("deadlock", "two-locks", 0, &d);
    char err[512];
    lv_viewer *v = lv_viewer_open(tr, &(lv_viewer_desc){.lesson = lv_lesson_of}, err, sizeof err);
    if (!v) TEST_FAIL_AT("%s", err);
    free(frame(v, 0).px);
    push_key(SDLK_c, 0);
    free(frame(v, 0).px);
    ASSERT(!lv_viewer_compare(v));
    ASSERT_CONTAINS(lv_viewer_status(v), "C: only for runs started here");
    lv_viewer_close(v);
    /* what `lockviz run deadlock --compare ordered` opens: both runs, borrowed */
    lv_rerun again;
    lv_rerun_init(&again, &d);
    again.quiet = 1;
    lv_trace *fix = lv_counterpart_next(&again, tr, "ordered", err, sizeof err);
    if (!fix) TEST_FAIL_AT("%s", err);
    lv_viewer_desc vd = {.play = 1,
                         .rerun = lv_rerun_next,
                         .rerun_ctx = &again,
                         .lesson = lv_lesson_of,
                         .counterpart = lv_counterpart_next,
                         .counterpart_ctx = &again,
                         .compare_tr = fix};
    v = lv_viewer_open(tr, &vd, err, sizeof err);
    if (!v) TEST_FAIL_AT("%s", err);
    shot s = frame(v, 0);
    const lv_compare *c = lv_viewer_compare(v);
    ASSERT(c);
    ASSERT(c->p[1].side.tr == fix);
    ASSERT(lv_viewer_state(v)->playing);
    in_step(v, &s);
    free(s.px);
    for (int i = 0; i < 4; i++) {
        s = frame(v, 0.4);
        in_step(v, &s);
        free(s.px);
    }
    ASSERT_GT(lv_viewer_compare(v)->m, 0);
    push_key(SDLK_END, 0);
    s = frame(v, 0);
    in_step(v, &s);
    save_shot(&s, "compare-deadlock.png");
    free(s.px);
    push_key(SDLK_l, 0); /* Chinese, for the picture */
    s = frame(v, 0);
    ASSERT_CONTAINS(lv_viewer_compare(v)->p[1].f.title, "（已修复）");
    save_shot(&s, "compare-deadlock-zh.png");
    free(s.px);
    push_key(SDLK_q, 0);
    ASSERT_EQ(lv_viewer_frame(v, 0), 0); /* quit */
    lv_viewer_close(v);                  /* the borrowed runs are still ours */
    ASSERT_GT(fix->nevents, 0);
    lv_trace_free(fix);
    lv_trace_free(tr);
}

TEST_MAIN(TEST_ENTRY(compare_key_opens_steps_in_step_and_closes, 120),
          TEST_ENTRY(without_the_callback_c_says_so_and_run_compare_opens_side_by_side, 90))
