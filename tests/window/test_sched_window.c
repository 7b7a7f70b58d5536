/* Scheduler mode in a real window, driven by SDL_PushEvent: S turns it on; threads are picked
 * by their number keys and by clicks on their lanes, in the fewest picks that make the ticket
 * race with 2 buyers; three events back nothing can be chosen; at the last choice a thread
 * that cannot run is refused with its reason, and the other one branches to a run that does
 * not fail; the schedule string from the window replays through `lockviz run --schedule` to
 * the same events, and so does the exported trace; A lets the policy finish. With
 * LV_SHOT_DIR=DIR it saves pictures of the window in scheduler mode. */
#include <SDL.h>
#include <sys/stat.h>
#include "glue.h"
#include "lv_png.h"
#include "predict.h"
#include "registry.h"
#include "session.h"
#include "support.h"
#include "window_support.h"
#include "sched_support.h"

static const lv_lane *lane_of(lv_viewer *v, int32_t th) {
    const lv_frame *f = lv_viewer_layout(v);
    for (size_t i = 0; i < f->nlanes; i++)
        if (f->lanes[i].thread == th) return &f->lanes[i];
    TEST_FAIL_AT("no lane for thread %d", th);
}

static void click_lane(lv_viewer *v, int32_t th) {
    const lv_lane *ln = lane_of(v, th);
    click_at(v, ln->band.x + ln->band.w / 2, ln->band.y + ln->band.h / 2);
}

static void press_number(int32_t th) {
    ASSERT_LT(th, 10);
    push_key(SDLK_0 + th, 0);
}

/* The fewest picks that end the ticket race with 2 buyers, breadth first on a session. */
static size_t fewest_picks(int32_t *best) {
    int64_t params[LV_MAX_PARAMS] = {2, 1};
    lv_run_desc d = {.scenario = lv_scenario_find("ticket"),
                     .params = params,
                     .mode = LV_MODE_CONTROLLED,
                     .seed = 1};
    lv_session *s = NULL;
    ASSERT_EQ(lv_session_new(&d, &s), LV_OK);
    typedef struct node {
        int32_t c[16];
        size_t n;
    } node;
    node *q = calloc(4096, sizeof *q);
    size_t head = 0, tail = 1, n = 0;
    for (;;) {
        ASSERT_LT(head, tail);
        node nd = q[head++];
        ASSERT_EQ(lv_session_run(s, nd.c, nd.n), LV_OK);
        long f = lv_session_frontier(s);
        if (f < 0) {
            memcpy(best, nd.c, nd.n * sizeof *best);
            n = nd.n;
            break;
        }
        lv_session_point p;
        ASSERT_EQ(lv_session_point_at(s, (size_t)f, &p), 0);
        for (size_t e = 0; e < p.nenabled && nd.n < 16 && tail < 4096; e++) {
            q[tail] = nd;
            q[tail].c[q[tail].n++] = p.enabled[e];
            tail++;
        }
    }
    free(q);
    lv_session_free(s);
    return n;
}

static void same_events(const lv_trace *a, const lv_trace *b, size_t n) {
    ASSERT_GE(a->nevents, n);
    ASSERT_GE(b->nevents, n);
    for (size_t i = 0; i < n; i++) {
        const lv_event *x = &a->events[i], *y = &b->events[i];
        if (x->t != y->t || x->thread != y->thread || x->kind != y->kind || x->obj != y->obj ||
            (x->kind != LV_EV_NOTE && x->value != y->value))
            TEST_FAIL_AT("event %zu differs", i);
    }
}

/* Runs `COMMAND --headless --quiet --out FILE` with lockviz and loads FILE. */
static lv_trace *run_cli(const char *command, const char *dir) {
    ASSERT(strncmp(command, "lockviz ", 8) == 0);
    char out[512], cmd[4096], err[512];
    snprintf(out, sizeof out, "%s/replay.json", dir);
    snprintf(cmd, sizeof cmd, "'%s' %s --headless --quiet --out '%s' > '%s/replay.txt' 2>&1",
             LOCKVIZ_BIN, command + 8, out, dir);
    int rc = system(cmd);
    ASSERT(WIFEXITED(rc));
    ASSERT_LE(WEXITSTATUS(rc), 1); /* 0 or 1: ran (and found something, or not) */
    lv_trace *tr = NULL;
    if (lv_trace_load(out, &tr, err, sizeof err) != LV_OK) TEST_FAIL_AT("%s", err);
    unlink(out);
    snprintf(out, sizeof out, "%s/replay.txt", dir);
    unlink(out);
    return tr;
}

TEST(scheduler_mode_picks_steps_back_branches_and_replays) {
    int32_t best[16];
    size_t nbest = fewest_picks(best);
    ASSERT_GE(nbest, 1);
    int64_t params[LV_MAX_PARAMS] = {2, 1};
    sched_run x;
    lv_trace *tr = sched_run_open(&x, "ticket", params);
    char err[512];
    lv_viewer_desc vd = {.w = 1280,
                         .h = 720,
                         .rerun = lv_rerun_next,
                         .rerun_ctx = &x.again,
                         .lesson = lv_lesson_of,
                         .sched = &lv_sched_glue_ops,
                         .sched_ctx = &x.sg};
    lv_viewer *v = lv_viewer_open(tr, &vd, err, sizeof err);
    if (!v) TEST_FAIL_AT("%s", err);
    draw(v, 0);
    ASSERT(!lv_viewer_sched(v)->on);
    ASSERT_EQ(lv_viewer_layout(v)->sched_col.w, 0);

    /* S, with the playhead at the start: the run is cut at its first choice */
    push_key(SDLK_s, 0);
    draw(v, 0);
    const lv_schedview *sv = lv_viewer_sched(v);
    ASSERT(sv->on);
    ASSERT_CONTAINS(lv_viewer_status(v), "Scheduler mode");
    const lv_trace *cur = lv_viewer_trace(v);
    ASSERT(cur != tr);
    ASSERT_EQ(cur->nschedule, 0);
    ASSERT_EQ(cur->outcome, LV_OUT_ABORTED);
    ASSERT_LT(cur->nevents, tr->nevents);
    same_events(cur, tr, cur->nevents);
    const lv_frame *f = lv_viewer_layout(v);
    ASSERT_GT(f->sched_col.w, 0);
    ASSERT_GT(f->sched_bar.h, 0);
    ASSERT(sv->have_point);
    ASSERT_EQ(sv->ncells, cur->nthreads);
    snap(v, "sched-start.png");

    /* the fewest picks to the race: numbers and clicks by turns */
    for (size_t k = 0; k < nbest; k++) {
        cur = lv_viewer_trace(v);
        ASSERT_EQ(cur->nschedule, k);
        ASSERT(lv_viewer_sched(v)->have_point);
        ASSERT(lv_sv_can_run(lv_viewer_sched(v), best[k])); /* its lane is marked */
        int marked = 0;
        for (size_t c = 0; c < sv->ncells; c++)
            marked += sv->cells[c].can_run && sv->cells[c].thread == best[k];
        ASSERT_EQ(marked, 1);
        if (k % 2)
            click_lane(v, best[k]);
        else
            press_number(best[k]);
        draw(v, 0);
        for (int i = 0; i < 400 && lv_viewer_state(v)->playing; i++)
            draw(v, 0.25); /* the step plays to its end */
        ASSERT(!lv_viewer_state(v)->playing);
        if (k == 1) snap(v, "sched-step.png");
    }
    cur = lv_viewer_trace(v);
    ASSERT_EQ(cur->nschedule, nbest);
    ASSERT_EQ(memcmp(cur->schedule, best, nbest * sizeof *best), 0);
    ASSERT_EQ(cur->outcome, LV_OUT_COMPLETED); /* no choice was left: the run is shown whole */
    ASSERT(find_finding(cur, LV_FIND_RACE, "Data race on tickets"));
    ASSERT(find_finding(cur, LV_FIND_RACE, "Lost update on tickets"));
    ASSERT(find_finding(cur, LV_FIND_INVARIANT, "2 buyer(s) bought a ticket"));
    ASSERT_EQ(lv_viewer_state(v)->seq, (long)cur->nevents - 1);
    ASSERT(!lv_viewer_sched(v)->have_point);
    ASSERT_CONTAINS(lv_viewer_sched(v)->msg_text, "The run is over");
    snap(v, "sched-race.png");

    /* the schedule string: shown in the bar, copied with Ctrl+C */
    char want[512], list[128];
    lv_schedule_format(best, nbest, list, sizeof list);
    snprintf(want, sizeof want,
             "lockviz run ticket --variant unlocked --seed 1 --set buyers=2 --set tickets=1 "
             "--schedule %s",
             list);
    char got[512];
    lv_viewer_schedule_command(v, got, sizeof got);
    ASSERT_STR_EQ(got, want);
    ASSERT_CONTAINS(lv_viewer_sched(v)->sched_text, list);
    push_key(SDLK_c, KMOD_LCTRL);
    draw(v, 0);
    ASSERT_CONTAINS(lv_viewer_status(v), want);
    if (SDL_HasClipboardText()) {
        char *clip = SDL_GetClipboardText();
        ASSERT_STR_EQ(clip, want);
        SDL_free(clip);
    }
    const lv_trace *race = lv_viewer_trace(v);
    lv_trace *race_copy = NULL;
    ASSERT_EQ(lv_trace_prefix(race, race->nevents, race->nschedule, &race_copy), LV_OK);

    /* three events back: nothing to choose there (the writes come after every choice) */
    for (int i = 0; i < 3; i++)
        push_key(SDLK_LEFT, 0);
    draw(v, 0);
    ASSERT_EQ(lv_viewer_state(v)->seq, (long)race->nevents - 4);
    click_lane(v, 0);
    draw(v, 0);
    ASSERT(lv_viewer_trace(v) == race); /* refused: nothing ran */
    ASSERT_CONTAINS(lv_viewer_status(v), "Nothing to choose");

    /* back to the last choice */
    for (int i = 0; i < 100 && !lv_viewer_sched(v)->have_point; i++) {
        push_key(SDLK_LEFT, 0);
        draw(v, 0);
    }
    sv = lv_viewer_sched(v);
    ASSERT(sv->have_point);
    ASSERT_EQ(sv->point.index, nbest - 1);
    size_t nbefore = sv->point.nbefore;
    int32_t other = -1, blocked = -1;
    for (int32_t th = 0; (size_t)th < race->nthreads; th++) {
        if (lv_sv_can_run(sv, th) && th != best[nbest - 1]) other = th;
        if (!lv_sv_can_run(sv, th)) blocked = th;
    }
    ASSERT_GE(other, 0);
    ASSERT_GE(blocked, 0);
    /* a thread that cannot run: refused, with its lane's reason */
    char why[LV_SV_WHY + 64];
    snprintf(why, sizeof why, "%s %s: it cannot run now", race->threads[blocked].name,
             sv->why[blocked]);
    ASSERT(sv->why[blocked][0]);
    click_lane(v, blocked);
    draw(v, 0);
    ASSERT(lv_viewer_trace(v) == race);
    ASSERT_STR_EQ(lv_viewer_status(v), why);
    snap(v, "sched-refused.png");

    /* the other thread: a branch that does not fail */
    press_number(other);
    draw(v, 0);
    cur = lv_viewer_trace(v);
    ASSERT(cur != race);
    same_events(cur, race_copy, nbefore);
    ASSERT_GT(cur->nevents, nbefore);
    ASSERT_EQ(cur->events[nbefore].thread, other);
    ASSERT_NE(race_copy->events[nbefore].thread, other);
    ASSERT_EQ(cur->nschedule, nbest);
    ASSERT_EQ(cur->schedule[nbest - 1], other);
    ASSERT_EQ(cur->nfindings, 0);
    for (int i = 0; i < 400 && lv_viewer_state(v)->playing; i++)
        draw(v, 0.25);
    snap(v, "sched-branch.png");

    /* the window's schedule string replays through lockviz run --schedule: same events */
    char tmp[] = "/tmp/lv_sched_win_XXXXXX";
    ASSERT(mkdtemp(tmp));
    lv_viewer_schedule_command(v, got, sizeof got);
    ASSERT_CONTAINS(got, "--schedule ");
    lv_trace *re = run_cli(got, tmp);
    same_events(re, cur, cur->nevents);
    ASSERT_EQ(re->nschedule >= cur->nschedule, 1);
    ASSERT_EQ(memcmp(re->schedule, cur->schedule, cur->nschedule * sizeof *cur->schedule), 0);
    lv_trace_free(re);
    /* so does the trace E exports (what is shown: the cut run) */
    char old[1024];
    ASSERT(getcwd(old, sizeof old));
    ASSERT_EQ(chdir(tmp), 0);
    push_key(SDLK_e, 0);
    draw(v, 0);
    struct stat st;
    ASSERT_EQ(stat("lockviz-ticket-unlocked-seed1.json", &st), 0);
    lv_trace *ex = NULL;
    if (lv_trace_load("lockviz-ticket-unlocked-seed1.json", &ex, err, sizeof err) != LV_OK)
        TEST_FAIL_AT("%s", err);
    ASSERT_EQ(ex->nevents, cur->nevents);
    ASSERT_EQ(ex->outcome, cur->outcome);
    char cmd[2048];
    /* it is a valid trace: check accepts it (no finding: exit 0), view draws it */
    snprintf(cmd, sizeof cmd, "'%s' check lockviz-ticket-unlocked-seed1.json > out.txt",
             LOCKVIZ_BIN);
    int rc = system(cmd);
    ASSERT(WIFEXITED(rc));
    ASSERT_EQ(WEXITSTATUS(rc), 0);
    snprintf(cmd, sizeof cmd,
             "'%s' view lockviz-ticket-unlocked-seed1.json --png cut.png --headless > out.txt",
             LOCKVIZ_BIN);
    rc = system(cmd);
    ASSERT(WIFEXITED(rc));
    ASSERT_EQ(WEXITSTATUS(rc), 0);
    ASSERT_EQ(stat("cut.png", &st), 0);
    unlink("cut.png");
    unlink("out.txt");
    snprintf(cmd, sizeof cmd, "lockviz run ticket --schedule %s/lockviz-ticket-unlocked-seed1.json",
             tmp);
    re = run_cli(cmd, tmp);
    same_events(re, ex, ex->nevents);
    lv_trace_free(re);
    lv_trace_free(ex);
    unlink("lockviz-ticket-unlocked-seed1.json");
    unlink("lockviz-ticket-unlocked-seed1-chrome.json");
    unlink("lockviz-ticket-unlocked-seed1.png");
    ASSERT_EQ(chdir(old), 0);
    ASSERT_EQ(rmdir(tmp), 0);

    /* A: the policy finishes the run from these choices, playing */
    push_key(SDLK_a, 0);
    draw(v, 0);
    cur = lv_viewer_trace(v);
    ASSERT(lv_viewer_sched(v)->whole);
    ASSERT(lv_viewer_state(v)->playing);
    ASSERT_NE(cur->outcome, LV_OUT_ABORTED);
    ASSERT_GE(cur->nschedule, nbest);
    ASSERT_EQ(cur->schedule[nbest - 1], other);
    ASSERT(find_finding(cur, LV_FIND_RACE, "Data race on tickets")); /* every full run races */
    ASSERT_CONTAINS(lv_viewer_sched(v)->msg_text, "Auto");
    size_t whole_events = cur->nevents; /* cur goes with the next run */
    /* S: scheduler mode off, the whole run */
    push_key(SDLK_s, 0);
    draw(v, 0);
    ASSERT(!lv_viewer_sched(v)->on);
    ASSERT_EQ(lv_viewer_layout(v)->sched_col.w, 0);
    ASSERT_EQ(lv_viewer_trace(v)->nevents, whole_events);
    lv_trace_free(race_copy);
    lv_viewer_close(v);
    sched_run_close(&x);
}

TEST(scheduler_mode_from_the_command_line_options) {
    /* what lockviz run --scheduler --schedule 0,1 opens: the run cut after those choices;
     * a choice that cannot be followed says so */
    sched_run x;
    lv_trace *tr = sched_run_open(&x, "deadlock", NULL);
    int32_t choices[2] = {tr->schedule[0], tr->schedule[1]};
    char err[512];
    lv_viewer_desc vd = {.w = 1280,
                         .h = 720,
                         .rerun = lv_rerun_next,
                         .rerun_ctx = &x.again,
                         .sched = &lv_sched_glue_ops,
                         .sched_ctx = &x.sg,
                         .sched_start = 1,
                         .sched_choices = choices,
                         .sched_nchoices = 2};
    lv_viewer *v = lv_viewer_open(tr, &vd, err, sizeof err);
    if (!v) TEST_FAIL_AT("%s", err);
    draw(v, 0);
    const lv_trace *cur = lv_viewer_trace(v);
    ASSERT(lv_viewer_sched(v)->on);
    ASSERT_EQ(cur->nschedule, 2);
    ASSERT_EQ(lv_viewer_state(v)->seq, (long)cur->nevents - 1);
    same_events(cur, tr, cur->nevents);
    ASSERT(lv_viewer_sched(v)->have_point);
    ASSERT_EQ(lv_viewer_sched(v)->point.index, 2);
    /* L: the column and the bar in Chinese */
    push_key(SDLK_l, 0);
    draw(v, 0);
    ASSERT_CONTAINS(lv_viewer_sched(v)->msg_text, "下一个运行谁");
    snap(v, "sched-zh.png");
    push_key(SDLK_l, 0);
    /* V keeps the choices under the other variant; R starts picking again */
    push_key(SDLK_v, 0);
    draw(v, 0);
    cur = lv_viewer_trace(v);
    ASSERT(lv_viewer_sched(v)->on);
    ASSERT_STR_EQ(cur->variant, lv_scenario_find("deadlock")->variants[1].name);
    ASSERT_EQ(cur->nschedule, 2);
    push_key(SDLK_r, 0);
    draw(v, 0);
    cur = lv_viewer_trace(v);
    ASSERT_EQ(cur->seed, 2);
    ASSERT_EQ(cur->nschedule, 0);
    ASSERT(lv_viewer_sched(v)->on);
    lv_viewer_close(v);
    /* a view of a file: S is for runs started here */
    v = lv_viewer_open(tr, &(lv_viewer_desc){.w = 1280, .h = 720}, err, sizeof err);
    if (!v) TEST_FAIL_AT("%s", err);
    push_key(SDLK_s, 0);
    draw(v, 0);
    ASSERT(!lv_viewer_sched(v)->on);
    ASSERT_CONTAINS(lv_viewer_status(v), "S: only for runs started here");
    lv_viewer_close(v);
    sched_run_close(&x);
}

TEST(a_pick_made_while_a_step_plays_is_queued_after_it) {
    /* the run: --schedule 1,0,1,2,2,1,2,1,2 picked by hand, 1 then 2 while the step
     * of 1 still plays: both picks stay, in order */
    int64_t params[LV_MAX_PARAMS] = {2, 1};
    sched_run x;
    lv_trace *tr = sched_run_open(&x, "ticket", params);
    int32_t choices[7] = {1, 0, 1, 2, 2, 1, 2};
    char err[512];
    lv_viewer_desc vd = {.w = 1280,
                         .h = 720,
                         .sched = &lv_sched_glue_ops,
                         .sched_ctx = &x.sg,
                         .sched_start = 1,
                         .sched_choices = choices,
                         .sched_nchoices = 7};
    lv_viewer *v = lv_viewer_open(tr, &vd, err, sizeof err);
    if (!v) TEST_FAIL_AT("%s", err);
    draw(v, 0);
    ASSERT_EQ(lv_viewer_trace(v)->nschedule, 7);
    ASSERT(lv_sv_can_run(lv_viewer_sched(v), 1));
    size_t before = lv_viewer_trace(v)->nevents;
    press_number(1);
    draw(v, 0);
    ASSERT_EQ(lv_viewer_trace(v)->nschedule, 8);
    ASSERT_GT(lv_viewer_trace(v)->nevents, before); /* its step, on its lane */
    ASSERT_EQ(lv_viewer_trace(v)->events[before].thread, 1);
    ASSERT(lv_viewer_state(v)->playing); /* still playing that step */
    long playhead = lv_viewer_state(v)->seq;
    ASSERT_LT(playhead, (long)lv_viewer_trace(v)->nevents - 1);
    /* the column shows the choice the next pick goes to: after the step playing */
    ASSERT_EQ(lv_viewer_sched(v)->point.index, 8);
    press_number(2);
    draw(v, 0);
    const lv_trace *cur = lv_viewer_trace(v);
    ASSERT_GE(cur->nschedule, 9);
    const int32_t want[9] = {1, 0, 1, 2, 2, 1, 2, 1, 2};
    ASSERT_EQ(memcmp(cur->schedule, want, sizeof want), 0);
    ASSERT_CONTAINS(lv_viewer_status(v), "buyer-2 runs after the step playing now");
    ASSERT_LE(lv_viewer_state(v)->seq, playhead + 1); /* the step of 1 goes on playing */
    for (int i = 0; i < 400 && lv_viewer_state(v)->playing; i++)
        draw(v, 0.25);
    cur = lv_viewer_trace(v);
    ASSERT_EQ(memcmp(cur->schedule, want, sizeof want), 0);
    ASSERT_EQ(lv_viewer_state(v)->seq, (long)cur->nevents - 1);
    lv_viewer_close(v);
    sched_run_close(&x);
}

/* Plays until a question is asked (or the run ends); returns the question's kind. */
static lv_pq_kind play_to_question(lv_viewer *v) {
    for (int i = 0; i < 2000; i++) {
        const lv_predict *pr = lv_viewer_predict(v);
        if (pr->open) return pr->q.kind;
        if (!lv_viewer_state(v)->playing) return LV_PQ_NONE;
        draw(v, 0.1);
    }
    TEST_FAIL_AT("no question and no end");
}

/* Every accepted pick shows its step on the picked thread's lane, or says why nothing showed
 * (issue 16, item 3). A run of the ticket race where a choice made a thread run that recorded
 * nothing before the next choice (a sleeper waking): the window cut there, the class picks
 * that thread, then picks on to the end. */
TEST(every_pick_shows_its_step_or_says_why_not) {
    lv_run_desc d = {.scenario = lv_scenario_find("ticket"), .mode = LV_MODE_CONTROLLED};
    lv_session *s = NULL;
    long at = -1;
    int32_t th = -1;
    for (d.seed = 1; d.seed <= 40 && at < 0; d.seed++) {
        ASSERT_EQ(lv_session_new(&d, &s), LV_OK);
        ASSERT_EQ(lv_session_run(s, NULL, 0), LV_OK);
        lv_session_point a, b;
        for (size_t i = 0; at < 0 && lv_session_point_at(s, i + 1, &b) == 0; i++) {
            lv_session_point_at(s, i, &a);
            if (a.nbefore == b.nbefore && a.nbefore > 0) at = (long)i, th = a.picked;
        }
        if (at < 0) lv_session_free(s);
    }
    ASSERT_GE(at, 0);
    d.seed--;
    int32_t *prefix = malloc(((size_t)at + 1) * sizeof *prefix);
    memcpy(prefix, lv_session_full(s)->schedule, (size_t)at * sizeof *prefix);
    lv_session_free(s);
    lv_trace *tr = NULL;
    ASSERT_EQ(lv_run(&d, &tr), LV_OK);
    lv_rerun again;
    lv_rerun_init(&again, &d);
    again.quiet = 1;
    lv_sched_glue sg;
    ASSERT_EQ(lv_sched_glue_init(&sg, &again), 0);
    char err[512];
    lv_viewer_desc vd = {.w = 1280,
                         .h = 720,
                         .sched = &lv_sched_glue_ops,
                         .sched_ctx = &sg,
                         .sched_start = 1,
                         .sched_choices = prefix,
                         .sched_nchoices = (size_t)at};
    lv_viewer *v = lv_viewer_open(tr, &vd, err, sizeof err);
    if (!v) TEST_FAIL_AT("%s", err);
    draw(v, 0);
    ASSERT_EQ(lv_viewer_sched(v)->point.index, (size_t)at);
    snap(v, "sched-woken.png"); /* its column cell says why the sleeper can run */
    size_t picks = 0, silent = 0;
    for (; picks < 200; picks++) {
        const lv_schedview *sv = lv_viewer_sched(v);
        if (!sv->have_point || !sv->point.nenabled) break;
        if (picks) th = sv->point.enabled[picks % sv->point.nenabled];
        size_t before = sv->point.nbefore, nsched = lv_viewer_trace(v)->nschedule;
        if (th < 10)
            press_number(th);
        else
            click_lane(v, th); /* ids of two digits: a click on the lane */
        draw(v, 0);
        for (int i = 0; i < 400 && lv_viewer_state(v)->playing; i++)
            draw(v, 0.25);
        const lv_trace *cur = lv_viewer_trace(v);
        ASSERT_GT(cur->nschedule, nsched);                    /* accepted */
        if (lv_sv_step_events(cur, before, th) > 0) continue; /* its step, on its lane */
        silent++; /* nothing on its lane: the bar says why */
        ASSERT_CONTAINS(lv_viewer_status(v), lv_trace_thread_name(cur, th));
        ASSERT_CONTAINS(lv_viewer_status(v), "without an event to show");
    }
    ASSERT_GT(silent, 0); /* the first pick at least */
    ASSERT_GT(picks, 10); /* and on to the end */
    ASSERT(!lv_viewer_sched(v)->have_point);
    lv_viewer_close(v);
    lv_sched_glue_free(&sg);
    lv_trace_free(tr);
    free(prefix);
}

TEST(predict_mode_asks_keeps_score_and_marks_the_answers) {
    int64_t params[LV_MAX_PARAMS] = {2, 1};
    sched_run x;
    lv_trace *tr = sched_run_open(&x, "ticket", params);
    char err[512];
    lv_viewer_desc vd = {.w = 1280, .h = 720, .sched = &lv_sched_glue_ops, .sched_ctx = &x.sg};
    lv_viewer *v = lv_viewer_open(tr, &vd, err, sizeof err);
    if (!v) TEST_FAIL_AT("%s", err);
    draw(v, 0);
    push_key(SDLK_p, 0);
    draw(v, 0);
    const lv_predict *pr = lv_viewer_predict(v);
    ASSERT(pr->on);
    ASSERT(lv_viewer_state(v)->playing);
    /* the same run, shown only up to the first question: the future stays hidden */
    ASSERT_NE(pr->q.kind, LV_PQ_NONE);
    ASSERT_EQ(lv_viewer_trace(v)->nevents, (size_t)pr->q.seq);
    same_events(lv_viewer_trace(v), tr, (size_t)pr->q.seq);
    ASSERT_GT(lv_viewer_layout(v)->sched_bar.h, 0);
    int rights = 0, wrongs = 0, reads = 0, whos = 0;
    for (int n = 0; n < 40; n++) {
        lv_pq_kind k = play_to_question(v);
        if (k == LV_PQ_NONE) break;
        ASSERT(!lv_viewer_state(v)->playing); /* it waits, the event in question not shown */
        ASSERT_EQ(lv_viewer_state(v)->seq, pr->q.seq - 1);
        ASSERT_EQ(lv_viewer_trace(v)->nevents, (size_t)pr->q.seq);
        ASSERT_CONTAINS(lv_viewer_layout(v)->title, "ticket / unlocked");
        int asked = pr->asked;
        if (k == LV_PQ_THREAD) {
            whos++;
            ASSERT_CONTAINS(pr->text_text, "Who runs next");
            int32_t other = -1;
            for (size_t e = 0; e < pr->nen; e++)
                if (pr->en[e] != pr->q.answer) other = pr->en[e];
            int right = n % 2 == 0 || other < 0;
            if (whos == 2) snap(v, "predict-who.png");
            if (right)
                press_number((int32_t)pr->q.answer);
            else
                click_lane(v, other); /* a click on a lane answers too */
            draw(v, 0);
            rights += right;
            wrongs += !right;
            ASSERT_CONTAINS(lv_viewer_status(v), right ? "Right: " : "Not quite: ");
            ASSERT_CONTAINS(lv_viewer_status(v),
                            tr->threads[pr->marks[pr->nmarks - 1].thread].name);
        } else {
            reads++;
            ASSERT_CONTAINS(pr->text_text, "What will");
            ASSERT_CONTAINS(pr->text_text, "tickets");
            int right = -1, wrong = -1;
            for (size_t o = 0; o < pr->q.nopts; o++) {
                if (pr->q.opts[o] == pr->q.answer)
                    right = (int)o + 1;
                else
                    wrong = (int)o + 1;
                ASSERT_GT(pr->opt[o].w, 0); /* a box to click */
            }
            if (reads == 2) snap(v, "predict-read.png");
            char box[48]; /* the right box: its letter, then the value */
            snprintf(box, sizeof box, "%c: %lld", 'A' + right - 1, (long long)pr->q.answer);
            ASSERT_STR_EQ(pr->opt_text[right - 1], box);
            if (n % 2 == 0) {
                /* the value itself typed (1 for tickets = 1), or its box's letter */
                ASSERT(pr->q.answer >= 0 && pr->q.answer < 10);
                if (reads % 2)
                    push_key(SDLK_0 + (int)pr->q.answer, 0);
                else
                    push_key(SDLK_a + right - 1, 0);
                rights++;
            } else {
                lv_rect o = pr->opt[wrong - 1]; /* a click on a value's box */
                click_at(v, o.x + o.w / 2, o.y + o.h / 2);
                wrongs++;
            }
            draw(v, 0);
        }
        ASSERT_EQ(pr->asked, asked + 1);
        ASSERT_EQ(pr->right, rights);
        ASSERT(!pr->open);
        ASSERT(lv_viewer_state(v)->playing); /* and it plays on */
        char score[64];
        snprintf(score, sizeof score, "%d of %d right", rights, rights + wrongs);
        ASSERT_CONTAINS(pr->title_text, score);
    }
    ASSERT_GT(whos, 1);
    ASSERT_GT(reads, 1);
    ASSERT_EQ(pr->nmarks, (size_t)(whos + reads));
    same_events(lv_viewer_trace(v), tr, tr->nevents); /* all of it, at the end */
    ASSERT_CONTAINS(pr->text_text, "No more questions");
    ASSERT_EQ(lv_viewer_trace(v)->nevents, tr->nevents);
    snap(v, "predict-end.png");
    push_key(SDLK_p, 0);
    draw(v, 0);
    ASSERT(!lv_viewer_predict(v)->on);
    ASSERT_EQ(lv_viewer_layout(v)->sched_bar.h, 0);
    ASSERT_EQ(lv_viewer_trace(v)->nevents, tr->nevents);
    /* from the start, P again, then S: one game at a time, predict gives way */
    push_key(SDLK_HOME, 0);
    push_key(SDLK_p, 0);
    draw(v, 0);
    ASSERT(lv_viewer_predict(v)->on);
    ASSERT_LT(lv_viewer_trace(v)->nevents, tr->nevents);
    push_key(SDLK_s, 0);
    draw(v, 0);
    ASSERT(!lv_viewer_predict(v)->on);
    ASSERT(lv_viewer_sched(v)->on);
    lv_viewer_close(v);
    sched_run_close(&x);
}

TEST(scheduler_and_predict_give_way_to_side_by_side_and_explore) {
    int64_t params[LV_MAX_PARAMS] = {2, 1};
    lv_run_desc d = {.scenario = lv_scenario_find("ticket"),
                     .params = params,
                     .mode = LV_MODE_CONTROLLED,
                     .seed = 1};
    lv_trace *tr = NULL;
    ASSERT_EQ(lv_run(&d, &tr), LV_OK);
    lv_host host; /* the callbacks lockviz run gives the window */
    ASSERT_EQ(lv_host_init(&host, &d), LV_OK);
    host.rerun.quiet = 1;
    lv_viewer_desc vd = lv_host_window(&host, 0);
    vd.play = 0;
    char err[512];
    lv_viewer *v = lv_viewer_open(tr, &vd, err, sizeof err);
    if (!v) TEST_FAIL_AT("%s", err);
    draw(v, 0);
    push_key(SDLK_s, 0);
    draw(v, 0);
    ASSERT(lv_viewer_sched(v)->on);
    ASSERT_EQ(lv_viewer_trace(v)->outcome, LV_OUT_ABORTED);
    /* C: side by side shows whole runs, so scheduler mode ends */
    push_key(SDLK_c, 0);
    draw(v, 0);
    ASSERT(lv_viewer_compare(v) != NULL);
    ASSERT(!lv_viewer_sched(v)->on);
    ASSERT_EQ(lv_viewer_trace(v)->nevents, tr->nevents);
    /* S (the key or the button) ends side by side first */
    lv_rect sb = lv_viewer_layout(v)->buttons[LV_BTN_SCHED];
    click_at(v, sb.x + sb.w / 2, sb.y + sb.h / 2);
    draw(v, 0);
    ASSERT(lv_viewer_compare(v) == NULL);
    ASSERT(lv_viewer_sched(v)->on);
    /* P: predict mode instead */
    push_key(SDLK_HOME, 0);
    push_key(SDLK_p, 0);
    draw(v, 0);
    ASSERT(!lv_viewer_sched(v)->on);
    ASSERT(lv_viewer_predict(v)->on);
    /* X explores the run; meanwhile S, P and answers are refused (a run would replace the
     * trace it reads); the failing run it finds is shown whole, predict mode over */
    push_key(SDLK_x, 0);
    push_key(SDLK_s, 0); /* in the same frame: the exploration has just started */
    draw(v, 0);
    ASSERT(!lv_viewer_sched(v)->on);
    /* the search can end within that frame (run 1 fails), and its message then replaces the
     * refusal's; S was refused all the same */
    if (lv_viewer_exploring(v, NULL, NULL))
        ASSERT_CONTAINS(lv_viewer_status(v), lv_tr(LV_LANG_EN, LV_T_XP_BUSY));
    for (int i = 0; i < 3000 && lv_viewer_exploring(v, NULL, NULL); i++) {
        SDL_Delay(2);
        draw(v, 0);
    }
    ASSERT(!lv_viewer_exploring(v, NULL, NULL));
    ASSERT(!lv_viewer_predict(v)->on);
    ASSERT_GT(lv_viewer_trace(v)->nfindings, 0);
    ASSERT_NE(lv_viewer_trace(v)->outcome, LV_OUT_ABORTED);
    lv_viewer_close(v);
    lv_host_free(&host);
    lv_trace_free(tr);
}

TEST(pictures_of_many_threads_and_a_deadlock) {
    const char *dir = getenv("LV_SHOT_DIR");
    if (!dir || !*dir) return;
    static const char *const names[2] = {"ticket", "deadlock"};
    for (int k = 0; k < 2; k++) {
        sched_run x;
        lv_trace *tr = sched_run_open(&x, names[k], NULL);
        size_t n = tr->nschedule > 2 ? tr->nschedule - 2 : 0; /* near the end */
        char err[512];
        lv_viewer_desc vd = {.w = 1280,
                             .h = 720,
                             .sched = &lv_sched_glue_ops,
                             .sched_ctx = &x.sg,
                             .sched_start = 1,
                             .sched_choices = tr->schedule,
                             .sched_nchoices = n};
        lv_viewer *v = lv_viewer_open(tr, &vd, err, sizeof err);
        if (!v) TEST_FAIL_AT("%s", err);
        draw(v, 0);
        snap(v, k ? "sched-deadlock.png" : "sched-ticket10.png");
        lv_viewer_close(v);
        sched_run_close(&x);
    }
}

TEST_MAIN(TEST_ENTRY(scheduler_mode_picks_steps_back_branches_and_replays, 120),
          TEST_ENTRY(scheduler_mode_from_the_command_line_options, 60),
          TEST_ENTRY(a_pick_made_while_a_step_plays_is_queued_after_it, 60),
          TEST_ENTRY(every_pick_shows_its_step_or_says_why_not, 60),
          TEST_ENTRY(predict_mode_asks_keeps_score_and_marks_the_answers, 120),
          TEST_ENTRY(scheduler_and_predict_give_way_to_side_by_side_and_explore, 120),
          TEST_ENTRY(pictures_of_many_threads_and_a_deadlock, 60))
