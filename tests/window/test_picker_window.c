/* The scenario picker and explore in a real window, driven through SDL_PushEvent (ctest runs it
 * under Xvfb and on SDL's dummy driver): plain `lockviz` opens on the picker; choosing the
 * deadlock loads a deadlock run; clicks, number keys and double clicks choose too; X finds the
 * ticket race and loads a run whose schedule replays it byte for byte, reports none on the
 * fix, shows its progress, refuses new runs meanwhile, and cancels on Esc or when the window
 * closes. With LV_SHOT_DIR=DIR it saves the pictures to look at. */
#include <time.h>
#include "glue.h"
#include "registry.h"
#include "window_support.h"

static int scenario_index(const char *name) {
    for (size_t i = 0; i < lv_nscenarios; i++)
        if (strcmp(lv_scenarios[i]->name, name) == 0) return (int)i;
    TEST_FAIL_AT("no scenario %s", name);
}

static lv_trace *run_ticket(const char *variant, int64_t buyers, lv_run_desc *d, int64_t *params) {
    const lv_scenario *sc = lv_scenario_find("ticket");
    params[0] = buyers;
    params[1] = 1;
    *d = (lv_run_desc){.scenario = sc,
                       .variant = lv_scenario_variant_index(sc, variant),
                       .params = params,
                       .mode = LV_MODE_CONTROLLED,
                       .seed = 1};
    lv_trace *tr = NULL;
    ASSERT_EQ(lv_run(d, &tr), LV_OK);
    return tr;
}

static int count_race(const lv_trace *tr) {
    int n = 0;
    for (size_t i = 0; i < tr->nfindings; i++)
        n += tr->findings[i].kind == LV_FIND_RACE;
    return n;
}

static int same_rgb(const unsigned char *p, lv_rgb c) {
    return abs(p[0] - c.r) < 8 && abs(p[1] - c.g) < 8 && abs(p[2] - c.b) < 8;
}

static lv_viewer *open_host(lv_trace *tr, lv_host *h, int picker) {
    char err[512];
    lv_viewer_desc vd = lv_host_window(h, picker);
    lv_viewer *v = lv_viewer_open(tr, &vd, err, sizeof err);
    if (!v) TEST_FAIL_AT("%s", err);
    return v;
}

/* A window on a ticket run made here, with the host main gives it; fx_close frees them all. */
typedef struct fixture {
    lv_run_desc d;
    int64_t params[LV_MAX_PARAMS];
    lv_trace *tr;
    lv_host h;
    lv_viewer *v;
} fixture;

static void fx_open(fixture *x, const char *variant, int64_t buyers, int picker) {
    memset(x, 0, sizeof *x);
    x->tr = run_ticket(variant, buyers, &x->d, x->params);
    ASSERT_EQ(lv_host_init(&x->h, &x->d), LV_OK);
    x->h.rerun.quiet = 1;
    x->v = open_host(x->tr, &x->h, picker);
}

static void fx_close(fixture *x) {
    lv_viewer_close(x->v);
    lv_host_free(&x->h);
    lv_trace_free(x->tr);
}

TEST(plain_lockviz_opens_on_the_picker_and_choosing_runs) {
    fixture x;
    fx_open(&x, "unlocked", 10, 1); /* what main does for plain `lockviz` */
    lv_viewer *v = x.v;
    shot a = frame(v, 0);
    const lv_picker *pk = lv_viewer_picker(v);
    const lv_pframe *pf = lv_viewer_picker_layout(v);
    ASSERT(pk->open);
    ASSERT_EQ(pk->sel, scenario_index("ticket")); /* the ticket race, preselected */
    ASSERT_EQ(pk->var, 0);
    ASSERT_EQ(pf->nrows, (int)lv_nscenarios); /* every scenario has a row */
    ASSERT_EQ(pf->ncards, 2);
    ASSERT_GE(lv_font_px(LV_FONT_LABEL, pf->scale), 20);
    /* what is drawn is the picker: the selected row, the chips, the run button */
    lv_rect row = pf->rows[pk->sel].r, run = pf->run;
    ASSERT(same_rgb(pixel(&a, row.x + row.w - 3, row.y + 2), (lv_rgb){250, 244, 170}));
    ASSERT(same_rgb(pixel(&a, run.x + 2, run.y + 2), lv_color_rgb(LV_C_HOLD)));
    ASSERT(same_rgb(pixel(&a, pf->cards[0].chip.x + 1, pf->cards[0].chip.y + 1),
                    lv_color_rgb(LV_C_BLOCKED))); /* unlocked: broken */
    ASSERT(same_rgb(pixel(&a, pf->cards[1].chip.x + 1, pf->cards[1].chip.y + 1),
                    lv_color_rgb(LV_C_RUNNING))); /* locked: fixed */
    save_shot(&a, "picker-en.png");
    free(a.px);
    /* the run behind it waits */
    long seq = lv_viewer_state(v)->seq;
    step(v, 2.0);
    ASSERT_EQ(lv_viewer_state(v)->seq, seq);
    /* L: Chinese titles and summaries */
    push_key(SDLK_l, 0);
    shot z = frame(v, 0);
    int zh_title = 0;
    for (size_t i = 0; i < pf->ntexts; i++)
        zh_title |= pf->texts[i].n >= 12 && memcmp(pf->texts[i].s, "模拟抢票", 12) == 0;
    ASSERT(zh_title);
    save_shot(&z, "picker-zh.png");
    free(z.px);
    push_key(SDLK_l, 0);
    step(v, 0);

    /* ↓ and Enter: the deadlock, run as `lockviz run deadlock` would */
    push_key(SDLK_DOWN, 0);
    push_key(SDLK_RETURN, 0);
    step(v, 0);
    const lv_trace *t2 = lv_viewer_trace(v);
    ASSERT(!lv_viewer_picker(v)->open);
    ASSERT_STR_EQ(t2->scenario, "deadlock");
    ASSERT_STR_EQ(t2->variant, "two-locks");
    ASSERT_EQ(t2->outcome, LV_OUT_DEADLOCKED);
    ASSERT_GT(t2->nfindings, 0);
    ASSERT_EQ(t2->findings[0].kind, LV_FIND_DEADLOCK);
    ASSERT_CONTAINS(lv_viewer_layout(v)->title, "deadlock / two-locks");
    ASSERT(lv_viewer_state(v)->lesson);
    ASSERT(lv_viewer_state(v)->playing);
    /* it unfolds as it plays: what lies after the playhead hidden, the deadlock still to come
     * (`lockviz run` opens its window with the same default, lv_host_window's) */
    ASSERT_EQ(lv_viewer_state(v)->future, LV_FUTURE_HIDE);
    ASSERT_EQ(lv_viewer_layout(v)->future, LV_FUTURE_HIDE);
    ASSERT_EQ(lv_viewer_layout(v)->future_findings, t2->nfindings);
    ASSERT_EQ(lv_host_window(&x.h, 0).future, LV_FUTURE_HIDE);

    /* O reopens it on the run shown; a click on a row, then on a variant's run button */
    push_key(SDLK_o, 0);
    step(v, 0);
    ASSERT(pk->open);
    ASSERT_EQ(pk->sel, scenario_index("deadlock"));
    push_click(v, pf->rows[scenario_index("rlock")].r);
    step(v, 0);
    ASSERT_EQ(pk->sel, scenario_index("rlock"));
    ASSERT_EQ(pf->ncards, 2);
    push_click(v, pf->cards[1].run);
    step(v, 0);
    const lv_trace *t3 = lv_viewer_trace(v);
    ASSERT_STR_EQ(t3->scenario, "rlock");
    ASSERT_STR_EQ(t3->variant, "rlock");
    ASSERT_EQ(t3->nfindings, 0);
    ASSERT_EQ(t3->outcome, LV_OUT_COMPLETED);

    /* Esc, O and the close button close it and change nothing */
    push_key(SDLK_o, 0);
    push_key(SDLK_DOWN, 0);
    push_key(SDLK_ESCAPE, 0);
    step(v, 0);
    ASSERT(!pk->open);
    ASSERT(lv_viewer_trace(v) == t3);
    ASSERT(!lv_viewer_state(v)->quit);
    push_key(SDLK_o, 0);
    step(v, 0);
    push_key(SDLK_6, 0); /* number keys choose the scenario */
    step(v, 0);
    ASSERT_EQ(pk->sel, 5);
    push_click(v, pf->close);
    step(v, 0);
    ASSERT(!pk->open);
    ASSERT(lv_viewer_trace(v) == t3);

    /* the header's button opens it; a double click on a card runs that variant */
    lv_rect ob = lv_viewer_layout(v)->buttons[LV_BTN_PICKER];
    push_click(v, ob);
    step(v, 0);
    ASSERT(pk->open);
    push_key(SDLK_5, 0);
    step(v, 0);
    ASSERT_EQ(pk->sel, scenario_index("toilets"));
    lv_rect card = pf->cards[2].r;
    push_mouse(v, SDL_MOUSEBUTTONDOWN, card.x + 20, card.y + card.h / 2, 1);
    push_mouse(v, SDL_MOUSEBUTTONUP, card.x + 20, card.y + card.h / 2, 1);
    step(v, 0);
    ASSERT(pk->open); /* one click selects */
    ASSERT_EQ(pk->var, 2);
    push_mouse(v, SDL_MOUSEBUTTONDOWN, card.x + 20, card.y + card.h / 2, 2);
    push_mouse(v, SDL_MOUSEBUTTONUP, card.x + 20, card.y + card.h / 2, 2);
    step(v, 0);
    ASSERT(!pk->open);
    ASSERT_STR_EQ(lv_viewer_trace(v)->variant, "bounded");
    /* R goes on from the run picked: the next seed of toilets/bounded */
    push_key(SDLK_r, 0);
    step(v, 0);
    ASSERT_STR_EQ(lv_viewer_trace(v)->scenario, "toilets");
    ASSERT_STR_EQ(lv_viewer_trace(v)->variant, "bounded");
    ASSERT_EQ(lv_viewer_trace(v)->seed, 2);
    fx_close(&x);
}

static void sleep_ms(int ms) {
    struct timespec ts = {0, ms * 1000000L};
    nanosleep(&ts, NULL);
}

/* Frames until the exploration is over (the test's alarm ends a hang). */
static void until_explored(lv_viewer *v) {
    while (lv_viewer_exploring(v, NULL, NULL)) {
        step(v, 0.03);
        sleep_ms(10);
    }
    step(v, 0);
}

static void save_trace(const lv_trace *tr, const char *path) {
    char err[512];
    if (lv_trace_save(tr, path, err, sizeof err) != LV_OK) TEST_FAIL_AT("%s", err);
}

static char *slurp(const char *path) {
    FILE *f = fopen(path, "rb");
    ASSERT(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    ASSERT(b);
    ASSERT_EQ(fread(b, 1, (size_t)n, f), (size_t)n);
    b[n] = 0;
    fclose(f);
    return b;
}

TEST(explore_finds_the_race_and_loads_a_run_that_replays) {
    fixture x;
    fx_open(&x, "unlocked", 2, 0);
    lv_viewer *v = x.v;
    const lv_trace *tr = x.tr;
    step(v, 0);
    push_key(SDLK_x, 0);
    step(v, 0);
    until_explored(v);
    const lv_trace *f = lv_viewer_trace(v);
    ASSERT(f != tr);
    ASSERT_STR_EQ(f->scenario, "ticket");
    ASSERT_STR_EQ(f->variant, "unlocked");
    ASSERT_EQ(f->nparams, 2);
    ASSERT_EQ(f->params[0].value, 2);
    ASSERT_GT(f->nfindings, 0);
    ASSERT(count_race(f));
    ASSERT_CONTAINS(lv_viewer_status(v), "Explore: run 1 failed");
    ASSERT_CONTAINS(lv_viewer_status(v), f->findings[0].message);
    ASSERT_CONTAINS(lv_viewer_layout(v)->title, "ticket / unlocked");
    shot s = frame(v, 0);
    save_shot(&s, "explore-found.png");
    free(s.px);
    /* its schedule replays it: the same trace, byte for byte */
    lv_run_desc rd = x.d;
    rd.schedule = f->schedule;
    rd.nschedule = f->nschedule;
    lv_trace *again = NULL;
    ASSERT_EQ(lv_run(&rd, &again), LV_OK);
    char dir[] = "/tmp/lv_pickwin_XXXXXX", a[64], b[64];
    ASSERT(mkdtemp(dir));
    snprintf(a, sizeof a, "%s/a.json", dir);
    snprintf(b, sizeof b, "%s/b.json", dir);
    save_trace(f, a);
    save_trace(again, b);
    char *ja = slurp(a), *jb = slurp(b);
    ASSERT_STR_EQ(ja, jb);
    free(ja);
    free(jb);
    unlink(a);
    unlink(b);
    rmdir(dir);
    lv_trace_free(again);
    /* V: the fix under the same choices (reruns went on from the run explore found) */
    ASSERT_EQ(x.h.rerun.d.nschedule, f->nschedule);
    int32_t first = f->schedule[0];
    push_key(SDLK_v, 0);
    step(v, 0);
    const lv_trace *fix = lv_viewer_trace(v);
    ASSERT_STR_EQ(fix->variant, "locked");
    ASSERT_EQ(fix->seed, 1);
    ASSERT_EQ(fix->params[0].value, 2);
    ASSERT_EQ(fix->nfindings, 0);
    ASSERT_EQ(fix->schedule[0], first);
    fx_close(&x);
}

TEST(explore_on_the_fix_says_none_was_found) {
    fixture x;
    fx_open(&x, "locked", 2, 0);
    lv_viewer *v = x.v;
    const lv_trace *tr = x.tr;
    step(v, 0);
    lv_rect xb = lv_viewer_layout(v)->buttons[LV_BTN_EXPLORE]; /* the header's button */
    push_click(v, xb);
    step(v, 0);
    until_explored(v);
    ASSERT(lv_viewer_trace(v) == tr);
    ASSERT_CONTAINS(lv_viewer_status(v), "No failing schedule in 249 runs");
    ASSERT_CONTAINS(lv_viewer_status(v), "at most 2 preemptions were tried");
    shot s = frame(v, 0);
    save_shot(&s, "explore-none.png");
    free(s.px);
    lv_viewer_close(v);
    /* a window without the callbacks (lockviz view) says O and X are for runs started here */
    char err[512];
    v = lv_viewer_open(x.tr, &(lv_viewer_desc){.lesson = lv_lesson_of}, err, sizeof err);
    if (!v) TEST_FAIL_AT("%s", err);
    push_key(SDLK_x, 0);
    step(v, 0);
    ASSERT(!lv_viewer_exploring(v, NULL, NULL));
    ASSERT_CONTAINS(lv_viewer_status(v), "X: only for runs started here");
    push_key(SDLK_o, 0);
    step(v, 0);
    ASSERT(!lv_viewer_picker(v)->open);
    ASSERT_CONTAINS(lv_viewer_status(v), "O: only for runs started here");
    x.v = v;
    fx_close(&x);
}

TEST(explore_shows_progress_refuses_new_runs_and_cancels) {
    fixture x;
    fx_open(&x, "locked", 10, 0);
    lv_viewer *v = x.v;
    const lv_trace *tr = x.tr;
    x.h.explore_runs = 2000;
    step(v, 0);
    push_key(SDLK_x, 0);
    step(v, 0);
    size_t done = 0, budget = 0;
    for (int i = 0; i < 400 && done < 150; i++) { /* TSan is slow: take what came in 20 s */
        ASSERT(lv_viewer_exploring(v, &done, &budget));
        step(v, 0.05);
        sleep_ms(50);
    }
    ASSERT_GT(done, 0);
    ASSERT_EQ(budget, 2000);
    shot s = frame(v, 0);
    const lv_xpanel *xp = lv_viewer_xpanel(v);
    ASSERT_GT(xp->fill.w, 0);
    ASSERT_LT(xp->fill.w, xp->bar.w);
    ASSERT(
        same_rgb(pixel(&s, xp->fill.x + 1, xp->fill.y + xp->fill.h / 2), lv_color_rgb(LV_C_HOLD)));
    ASSERT(same_rgb(pixel(&s, xp->bar.x + xp->bar.w - 3, xp->bar.y + xp->bar.h / 2),
                    lv_color_rgb(LV_C_PANEL)));
    ASSERT_CONTAINS(xp->lines[2].s, "of 2000 runs");
    save_shot(&s, "explore-progress.png");
    free(s.px);
    /* the window stays responsive: play and step work; new runs wait */
    push_key(SDLK_HOME, 0);
    push_key(SDLK_RIGHT, 0);
    step(v, 0);
    ASSERT_EQ(lv_viewer_state(v)->seq, 1);
    ASSERT(!lv_viewer_state(v)->playing);
    push_key(SDLK_r, 0);
    push_key(SDLK_o, 0);
    step(v, 0);
    ASSERT(lv_viewer_trace(v) == tr);
    ASSERT(!lv_viewer_picker(v)->open);
    ASSERT_CONTAINS(lv_viewer_status(v), "Esc");
    /* Esc cancels (and does not quit) */
    push_key(SDLK_ESCAPE, 0);
    step(v, 0);
    until_explored(v);
    ASSERT(!lv_viewer_state(v)->quit);
    ASSERT(lv_viewer_trace(v) == tr);
    ASSERT_CONTAINS(lv_viewer_status(v), "Explore cancelled after");
    /* closing the window while exploring cancels and joins */
    x.h.explore_runs = 100000000;
    push_key(SDLK_x, 0);
    step(v, 0);
    step(v, 0);
    ASSERT(lv_viewer_exploring(v, NULL, NULL));
    fx_close(&x);
}

/* Side by side, the picker and explore start from one run: they close the comparison first
 * (its scenes point into the trace they replace), and C waits while exploring. */
TEST(picker_and_explore_close_side_by_side_first) {
    fixture x;
    fx_open(&x, "unlocked", 2, 0);
    lv_viewer *v = x.v;
    step(v, 0);
    push_key(SDLK_c, 0);
    step(v, 0);
    ASSERT(lv_viewer_compare(v) != NULL);
    push_key(SDLK_o, 0); /* the picker: over one run */
    step(v, 0);
    ASSERT(lv_viewer_compare(v) == NULL);
    ASSERT(lv_viewer_picker(v)->open);
    push_key(SDLK_DOWN, 0);
    push_key(SDLK_RETURN, 0);
    step(v, 0.1);
    ASSERT(!lv_viewer_picker(v)->open);
    ASSERT(strcmp(lv_viewer_trace(v)->scenario, "ticket") != 0);
    push_key(SDLK_c, 0); /* side by side again, then explore */
    step(v, 0);
    ASSERT(lv_viewer_compare(v) != NULL);
    push_key(SDLK_x, 0);
    step(v, 0);
    ASSERT(lv_viewer_compare(v) == NULL);
    if (lv_viewer_exploring(v, NULL, NULL)) {
        push_key(SDLK_c, 0); /* refused: no second run while exploring */
        step(v, 0);
        ASSERT(lv_viewer_compare(v) == NULL);
    }
    until_explored(v);
    step(v, 0.1);
    fx_close(&x);
}

TEST_MAIN(TEST_ENTRY(plain_lockviz_opens_on_the_picker_and_choosing_runs, 90),
          TEST_ENTRY(explore_finds_the_race_and_loads_a_run_that_replays, 90),
          TEST_ENTRY(explore_on_the_fix_says_none_was_found, 120),
          TEST_ENTRY(explore_shows_progress_refuses_new_runs_and_cancels, 120),
          TEST_ENTRY(picker_and_explore_close_side_by_side_first, 120))
