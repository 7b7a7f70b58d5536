/* The scenario picker and explore from the window without a window: keys, number keys and
 * clicks move the selection; the layout keeps every line of text inside its box and apart from
 * the others, in both languages and at every size, and scrolls long lists; the explore job
 * reports progress, cancels and hands over what the host's explore found; picking and adopting
 * move where R and V go on from. */
#include <time.h>
#include <unistd.h>
#include "explore_ui.h"
#include "glue.h"
#include "picker.h"
#include "registry.h"
#include "test.h"
#include "vstate.h"

/* Proportional enough: Latin about half the font size wide, Chinese a full em. */
static int measure(void *ctx, lv_font_id f, const char *s, size_t n) {
    double scale = *(const double *)ctx, w = 0, px = lv_font_px(f, scale);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80)
            w += 0.55 * px;
        else if (c >= 0xC0)
            w += (c >= 0xE0 ? 1.0 : 0.6) * px;
    }
    return (int)(w + 0.5);
}

static lv_viewport viewport(int w, int h, int lang, double *scale) {
    *scale = lv_ui_scale(w, h, 1);
    return (lv_viewport){
        .w = w, .h = h, .scale = *scale, .lang = lang, .measure = measure, .measure_ctx = scale};
}

static const lv_pick_variant va[] = {{"v0", {"a", "甲"}, {"l0", "课0"}, 1},
                                     {"v1", {"b", "乙"}, {"l1", "课1"}, 0}};
static const lv_pick_variant vb[] = {{"w0", {"a", "甲"}, {"l", "课"}, 1},
                                     {"w1", {"b", "乙"}, {"l", "课"}, 0},
                                     {"w2", {"c", "丙"}, {"l", "课"}, 0}};
static const lv_pick_variant vc[] = {{"x0", {"a", "甲"}, {"l", "课"}, 1}};
static const lv_pick_scenario three[] = {
    {"a", {"A", "甲"}, "s", va, 2}, {"b", {"B", "乙"}, "s", vb, 3}, {"c", {"C", "丙"}, "s", vc, 1}};

TEST(keys_and_number_keys_move_the_selection) {
    lv_catalog c = {three, 3};
    lv_picker p;
    lv_picker_open(&p, &c, "b", "w2");
    ASSERT(p.open);
    ASSERT_EQ(p.sel, 1);
    ASSERT_EQ(p.var, 2);
    lv_picker_open(&p, &c, "nope", "w2");
    ASSERT_EQ(p.sel, 0);
    ASSERT_EQ(p.var, 0);
    lv_picker_open(&p, &c, "a", "nope");
    ASSERT_EQ(p.var, 0);
    lv_picker_open(&p, &c, NULL, NULL);
    ASSERT_EQ(p.sel, 0);
    ASSERT_EQ(lv_picker_key(&p, &c, LV_PK_RIGHT), LV_PA_NONE);
    ASSERT_EQ(p.var, 1);
    lv_picker_key(&p, &c, LV_PK_RIGHT); /* a has two: stays on the last */
    ASSERT_EQ(p.var, 1);
    lv_picker_key(&p, &c, LV_PK_DOWN); /* another scenario: its first variant */
    ASSERT_EQ(p.sel, 1);
    ASSERT_EQ(p.var, 0);
    lv_picker_key(&p, &c, LV_PK_LEFT);
    ASSERT_EQ(p.var, 0);
    lv_picker_key(&p, &c, LV_PK_DOWN);
    lv_picker_key(&p, &c, LV_PK_DOWN);
    ASSERT_EQ(p.sel, 2);
    lv_picker_key(&p, &c, LV_PK_HOME);
    ASSERT_EQ(p.sel, 0);
    lv_picker_key(&p, &c, LV_PK_UP);
    ASSERT_EQ(p.sel, 0);
    lv_picker_key(&p, &c, LV_PK_END);
    ASSERT_EQ(p.sel, 2);
    ASSERT_EQ(lv_picker_digit(&p, &c, 2), LV_PA_NONE);
    ASSERT_EQ(p.sel, 1);
    lv_picker_key(&p, &c, LV_PK_RIGHT);
    lv_picker_digit(&p, &c, 2); /* the same scenario again: the variant stays */
    ASSERT_EQ(p.var, 1);
    lv_picker_digit(&p, &c, 4); /* there are three */
    lv_picker_digit(&p, &c, 0);
    ASSERT_EQ(p.sel, 1);
    ASSERT_EQ(lv_picker_key(&p, &c, LV_PK_ENTER), LV_PA_RUN);
    ASSERT_EQ(lv_picker_key(&p, &c, LV_PK_ESCAPE), LV_PA_CLOSE);
    /* nothing to choose from: nothing to run, and the layout copes */
    lv_catalog none = {NULL, 0};
    lv_picker_open(&p, &none, "a", NULL);
    ASSERT_EQ(lv_picker_key(&p, &none, LV_PK_ENTER), LV_PA_NONE);
    lv_pframe f = {0};
    double sc;
    lv_viewport vp = viewport(1280, 720, LV_LANG_EN, &sc);
    ASSERT_EQ(lv_picker_layout(&f, &p, &none, &vp), LV_OK);
    ASSERT_EQ(f.nrows, 0);
    ASSERT_EQ(f.ncards, 0);
    ASSERT_EQ(lv_picker_click(&p, &none, &f, f.close.x + 2, f.close.y + 2, 1), LV_PA_CLOSE);
    lv_pframe_free(&f);
}

static int overlap(lv_rect a, lv_rect b) {
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

static int inside(lv_rect in, lv_rect out) {
    return in.x >= out.x && in.y >= out.y && in.x + in.w <= out.x + out.w &&
           in.y + in.h <= out.y + out.h;
}

static lv_rect text_rect(const lv_pframe *f, const lv_ptext *t) {
    return (lv_rect){t->x, t->y, t->w, f->line_h[t->font]};
}

/* Every text inside the window and apart from the others; the boxes nested as they should. */
static void check_frame(const lv_pframe *f, const lv_catalog *c, const lv_picker *p, int W, int H) {
    lv_rect win = {0, 0, W, H};
    for (size_t i = 0; i < f->ntexts; i++) {
        lv_rect r = text_rect(f, &f->texts[i]);
        if (!inside(r, win))
            TEST_FAIL_AT("%dx%d: \"%.*s\" at %d,%d w %d is outside the window", W, H,
                         (int)f->texts[i].n, f->texts[i].s, r.x, r.y, r.w);
        for (size_t k = 0; k < i; k++)
            if (overlap(r, text_rect(f, &f->texts[k])))
                TEST_FAIL_AT("%dx%d lang %d: \"%.*s\" overlaps \"%.*s\"", W, H, 0,
                             (int)f->texts[i].n, f->texts[i].s, (int)f->texts[k].n, f->texts[k].s);
    }
    for (int i = 0; i < f->nrows; i++) {
        ASSERT(inside(f->rows[i].r, f->list));
        for (int k = 0; k < i; k++)
            ASSERT(!overlap(f->rows[i].r, f->rows[k].r));
    }
    ASSERT_EQ(f->ncards, c->scenarios[p->sel].nvariants);
    for (int i = 0; i < f->ncards; i++) {
        const lv_pcard *cd = &f->cards[i];
        ASSERT(inside(cd->r, f->detail));
        ASSERT(inside(cd->chip, cd->r));
        ASSERT(inside(cd->run, cd->r));
        ASSERT(!overlap(cd->chip, cd->run));
        ASSERT(!overlap(cd->r, f->run));
        if (f->lesson.h) ASSERT(!overlap(cd->r, f->lesson));
        for (int k = 0; k < i; k++)
            ASSERT(!overlap(cd->r, f->cards[k].r));
        ASSERT_EQ(cd->broken, c->scenarios[p->sel].variants[cd->variant].broken);
    }
    ASSERT(inside(f->run, f->detail));
    ASSERT(inside(f->close, f->bar));
    if (f->lesson.h) {
        ASSERT(inside(f->lesson, f->detail));
        ASSERT(!overlap(f->lesson, f->run));
    }
    /* no text runs into a button or chip it is not written on */
    lv_rect widgets[2 * LV_PICK_MAX_CARDS + 2];
    int nw = 0;
    widgets[nw++] = f->run;
    widgets[nw++] = f->close;
    for (int i = 0; i < f->ncards; i++) {
        widgets[nw++] = f->cards[i].run;
        widgets[nw++] = f->cards[i].chip;
    }
    for (size_t i = 0; i < f->ntexts; i++) {
        lv_rect r = text_rect(f, &f->texts[i]);
        for (int k = 0; k < nw; k++)
            if (overlap(r, widgets[k]) &&
                !(r.x >= widgets[k].x && r.x + r.w <= widgets[k].x + widgets[k].w))
                TEST_FAIL_AT("%dx%d: \"%.*s\" runs into a button or chip", W, H, (int)f->texts[i].n,
                             f->texts[i].s);
    }
    /* every text is in one box, never across two */
    for (size_t i = 0; i < f->ntexts; i++) {
        lv_rect r = text_rect(f, &f->texts[i]);
        int boxes = inside(r, f->bar) + inside(r, f->list) + inside(r, f->detail);
        ASSERT_EQ(boxes, 1);
    }
}

TEST(layout_keeps_every_line_in_its_box_at_every_size_in_both_languages) {
    lv_host h;
    lv_run_desc d = {.scenario = lv_scenarios[0]};
    ASSERT_EQ(lv_host_init(&h, &d), LV_OK);
    const lv_catalog *c = &h.catalog;
    ASSERT_EQ(c->n, (int)lv_nscenarios);
    static const int sizes[][2] = {
        {640, 400}, {1024, 600}, {1280, 720}, {1920, 1080}, {3200, 1800}};
    lv_pframe f = {0};
    for (size_t z = 0; z < sizeof sizes / sizeof sizes[0]; z++)
        for (int lang = 0; lang < LV_LANG__COUNT; lang++)
            for (int s = 0; s < c->n; s++)
                for (int v = 0; v < c->scenarios[s].nvariants; v++) {
                    double sc;
                    lv_viewport vp = viewport(sizes[z][0], sizes[z][1], lang, &sc);
                    lv_picker p = {.open = 1, .sel = s, .var = v};
                    ASSERT_EQ(lv_picker_layout(&f, &p, c, &vp), LV_OK);
                    check_frame(&f, c, &p, sizes[z][0], sizes[z][1]);
                    ASSERT_EQ(f.nrows, c->n); /* six scenarios fit at every size */
                    /* the selected variant's lesson is shown, its first words at least */
                    ASSERT_GT(f.lesson.h, 0);
                    const char *lesson = c->scenarios[s].variants[v].lesson[lang];
                    int found = 0;
                    for (size_t i = 0; i < f.ntexts; i++)
                        found |= f.texts[i].s == lesson;
                    ASSERT(found);
                    /* the run button names what it runs */
                    ASSERT_CONTAINS(f.run_label, c->scenarios[s].name);
                    ASSERT_CONTAINS(f.run_label, c->scenarios[s].variants[v].name);
                }
    /* texts far too long for their places: cut with "…", never out of their boxes */
    static char title[400], summary[1200], lesson[9000], name[200], source[600];
    const char *word = "Overlong words and 中文的句子 ";
    title[0] = summary[0] = lesson[0] = name[0] = source[0] = 0;
    while (strlen(title) + strlen(word) < sizeof title)
        strcat(title, word);
    while (strlen(summary) + strlen(word) < sizeof summary)
        strcat(summary, word);
    while (strlen(lesson) + strlen(word) < sizeof lesson)
        strcat(lesson, word);
    while (strlen(source) + strlen(word) < sizeof source)
        strcat(source, word);
    memset(name, 'w', sizeof name - 1); /* one word wider than any line */
    lv_pick_variant lv[3];
    for (int i = 0; i < 3; i++)
        lv[i] = (lv_pick_variant){name, {summary, summary}, {lesson, lesson}, i == 0};
    lv_pick_scenario ls[2] = {{name, {title, title}, source, lv, 3},
                              {"short", {"Short", "短"}, "s", lv, 1}};
    lv_catalog lc = {ls, 2};
    for (size_t z = 0; z < sizeof sizes / sizeof sizes[0]; z++)
        for (int lang = 0; lang < LV_LANG__COUNT; lang++)
            for (int v = 0; v < 3; v++) {
                double sc;
                lv_viewport vp = viewport(sizes[z][0], sizes[z][1], lang, &sc);
                lv_picker p = {.open = 1, .sel = 0, .var = v};
                ASSERT_EQ(lv_picker_layout(&f, &p, &lc, &vp), LV_OK);
                check_frame(&f, &lc, &p, sizes[z][0], sizes[z][1]);
                ASSERT(f.lesson_cut);
                int elided = 0;
                for (size_t i = 0; i < f.ntexts; i++)
                    elided += f.texts[i].elided;
                ASSERT_GE(elided, 5);        /* titles, names, summaries, the lesson's last line */
                const lv_ptext *last = NULL; /* the lesson's last line says it goes on */
                for (size_t i = 0; i < f.ntexts; i++)
                    if (f.texts[i].s >= lesson && f.texts[i].s < lesson + sizeof lesson)
                        last = &f.texts[i];
                ASSERT(last && last->elided);
            }
    /* at the classroom size the whole lesson fits, in both languages */
    for (int lang = 0; lang < LV_LANG__COUNT; lang++) {
        double sc;
        lv_viewport vp = viewport(1280, 720, lang, &sc);
        for (int s = 0; s < c->n; s++) {
            lv_picker p = {.open = 1, .sel = s, .var = 0};
            ASSERT_EQ(lv_picker_layout(&f, &p, c, &vp), LV_OK);
            ASSERT_EQ(f.lesson_cut, 0);
            ASSERT_GE(lv_font_px(LV_FONT_LABEL, f.scale), 20);
        }
    }
    lv_pframe_free(&f);
    lv_host_free(&h);
}

TEST(clicks_select_and_run) {
    lv_catalog c = {three, 3};
    lv_picker p;
    lv_picker_open(&p, &c, "a", NULL);
    lv_pframe f = {0};
    double sc;
    lv_viewport vp = viewport(1280, 720, LV_LANG_EN, &sc);
    ASSERT_EQ(lv_picker_layout(&f, &p, &c, &vp), LV_OK);
    ASSERT_EQ(f.nrows, 3);
    for (int i = 0; i < f.nrows; i++) {
        lv_rect r = f.rows[i].r;
        lv_pick_hit hh = lv_picker_hit(&f, r.x + r.w / 2, r.y + r.h / 2);
        ASSERT_EQ(hh.kind, LV_PH_SCENARIO);
        ASSERT_EQ(hh.index, i);
    }
    lv_rect r = f.rows[1].r;
    ASSERT_EQ(lv_picker_click(&p, &c, &f, r.x + 5, r.y + 5, 1), LV_PA_NONE);
    ASSERT_EQ(p.sel, 1);
    ASSERT_EQ(lv_picker_layout(&f, &p, &c, &vp), LV_OK);
    ASSERT_EQ(f.ncards, 3);
    lv_rect cr = f.cards[2].r;
    lv_pick_hit hh = lv_picker_hit(&f, cr.x + 5, cr.y + cr.h / 2);
    ASSERT_EQ(hh.kind, LV_PH_VARIANT);
    ASSERT_EQ(hh.index, 2);
    ASSERT_EQ(lv_picker_click(&p, &c, &f, cr.x + 5, cr.y + cr.h / 2, 1), LV_PA_NONE);
    ASSERT_EQ(p.var, 2);
    ASSERT_EQ(lv_picker_click(&p, &c, &f, cr.x + 5, cr.y + cr.h / 2, 2), LV_PA_RUN);
    lv_rect rr = f.cards[1].run;
    hh = lv_picker_hit(&f, rr.x + rr.w / 2, rr.y + rr.h / 2);
    ASSERT_EQ(hh.kind, LV_PH_VARIANT_RUN);
    ASSERT_EQ(lv_picker_click(&p, &c, &f, rr.x + rr.w / 2, rr.y + rr.h / 2, 1), LV_PA_RUN);
    ASSERT_EQ(p.var, 1);
    ASSERT_EQ(lv_picker_click(&p, &c, &f, f.run.x + 3, f.run.y + 3, 1), LV_PA_RUN);
    ASSERT_EQ(lv_picker_click(&p, &c, &f, f.close.x + 3, f.close.y + 3, 1), LV_PA_CLOSE);
    ASSERT_EQ(lv_picker_hit(&f, 5, 5).kind, LV_PH_NONE); /* the title */
    ASSERT_EQ(lv_picker_click(&p, &c, &f, 5, 5, 2), LV_PA_NONE);
    /* a double click on a row runs that scenario's variant */
    r = f.rows[2].r;
    ASSERT_EQ(lv_picker_click(&p, &c, &f, r.x + 5, r.y + 5, 2), LV_PA_RUN);
    ASSERT_EQ(p.sel, 2);
    ASSERT_EQ(p.var, 0);
    lv_pframe_free(&f);
}

TEST(a_long_list_scrolls_to_keep_the_selection_in_view) {
    lv_pick_scenario many[30];
    for (int i = 0; i < 30; i++)
        many[i] = (lv_pick_scenario){"s", {"Scenario", "场景"}, "src", va, 2};
    lv_catalog c = {many, 30};
    lv_picker p;
    lv_picker_open(&p, &c, NULL, NULL);
    lv_pframe f = {0};
    double sc;
    lv_viewport vp = viewport(1280, 720, LV_LANG_EN, &sc);
    ASSERT_EQ(lv_picker_layout(&f, &p, &c, &vp), LV_OK);
    ASSERT_LT(f.nrows, 30);
    ASSERT_GT(f.nrows, 3);
    ASSERT_EQ(f.hidden_above, 0);
    ASSERT_EQ(f.hidden_below, 30 - f.nrows);
    check_frame(&f, &c, &p, 1280, 720);
    lv_picker_key(&p, &c, LV_PK_END);
    ASSERT_EQ(lv_picker_layout(&f, &p, &c, &vp), LV_OK);
    ASSERT_EQ(f.rows[f.nrows - 1].scenario, 29);
    ASSERT_EQ(f.hidden_above, 30 - f.nrows);
    ASSERT_EQ(f.hidden_below, 0);
    ASSERT_EQ(p.top, 30 - f.nrows);
    ASSERT_CONTAINS(f.more_above, "more");
    check_frame(&f, &c, &p, 1280, 720);
    for (int i = 0; i < 29; i++) { /* up, one at a time: always shown */
        lv_picker_key(&p, &c, LV_PK_UP);
        ASSERT_EQ(lv_picker_layout(&f, &p, &c, &vp), LV_OK);
        ASSERT_GE(p.sel, f.rows[0].scenario);
        ASSERT_LE(p.sel, f.rows[f.nrows - 1].scenario);
    }
    ASSERT_EQ(p.top, 0);
    lv_pframe_free(&f);
}

TEST(keys_and_buttons_ask_for_the_picker_and_explore) {
    lv_run_desc d = {.scenario = lv_scenario_find("ticket"), .mode = LV_MODE_CONTROLLED, .seed = 1};
    lv_trace *tr = NULL;
    ASSERT_EQ(lv_run(&d, &tr), LV_OK);
    lv_scene *s = NULL;
    ASSERT_EQ(lv_scene_new(tr, &s), LV_OK);
    lv_vstate v;
    lv_vs_init(&v, s);
    lv_vs_key(&v, LV_KEY_PICKER, 0);
    ASSERT_EQ(v.request, LV_REQ_PICKER);
    lv_vs_key(&v, LV_KEY_EXPLORE, 0);
    ASSERT_EQ(v.request, LV_REQ_EXPLORE);
    v.request = LV_REQ_NONE;
    lv_vs_button(&v, LV_BTN_PICKER);
    ASSERT_EQ(v.request, LV_REQ_PICKER);
    lv_vs_button(&v, LV_BTN_EXPLORE);
    ASSERT_EQ(v.request, LV_REQ_EXPLORE);
    /* the header has room for both buttons, apart from the others */
    lv_frame f = {0};
    lv_viewport vp = {.w = 1280, .h = 720, .t1 = 0, .highlight = -1, .hover_x = -1};
    ASSERT_EQ(lv_frame_layout(&f, s, &vp), LV_OK);
    for (int b = 0; b < LV_BTN__COUNT; b++) {
        ASSERT_EQ(lv_hit_button(&f, f.buttons[b].x + 2, f.buttons[b].y + 2), b);
        ASSERT(inside(f.buttons[b], b == LV_BTN_TIME ? f.axis : f.header)); /* time: the axis's */
        ASSERT(!overlap(f.buttons[b], f.legend[0]));
        for (int k = 0; k < b; k++)
            ASSERT(!overlap(f.buttons[b], f.buttons[k]));
    }
    /* the picker's button is the title: it starts at the left and holds the title's width */
    lv_rect t = f.buttons[LV_BTN_PICKER];
    ASSERT_LT(t.x, 12);
    ASSERT_GE(t.w, (int)strlen("ticket / unlocked") * 9); /* the rough measure: 9 px a byte */
    ASSERT_LT(t.x + t.w, f.legend[0].x);
    lv_frame_free(&f);
    lv_scene_free(s);
    lv_trace_free(tr);
}

/* ---- the explore job ---- */

static void sleep_ms(int ms) {
    struct timespec ts = {0, ms * 1000000L};
    nanosleep(&ts, NULL);
}

/* A stand-in explorer: "runs" every millisecond until told to stop. */
static void endless(void *ctx, const lv_trace *tr, lv_xprogress_fn progress, void *pctx,
                    lv_xresult *out) {
    (void)ctx;
    (void)tr;
    out->budget = 1000000;
    while (!progress(pctx, out->runs, out->budget) && out->runs < out->budget) {
        out->runs++;
        sleep_ms(1);
    }
}

TEST(the_job_reports_progress_and_cancels) {
    lv_xjob *j = lv_xjob_start(endless, NULL, NULL);
    ASSERT(j);
    size_t done = 0, budget = 0;
    while (done < 5) {
        ASSERT(!lv_xjob_done(j));
        lv_xjob_progress(j, &done, &budget);
        sleep_ms(2);
    }
    ASSERT_EQ(budget, 1000000);
    lv_xjob_cancel(j);
    while (!lv_xjob_done(j))
        sleep_ms(1);
    lv_xresult r;
    lv_xjob_finish(j, &r);
    ASSERT(r.cancelled);
    ASSERT_GE(r.runs, 5);
    ASSERT(!r.failing);
    char msg[512], want[64];
    lv_xresult_message(&r, LV_LANG_EN, msg, sizeof msg);
    snprintf(want, sizeof want, "Explore cancelled after %zu runs", r.runs);
    ASSERT_STR_EQ(msg, want);
    lv_xresult_message(&r, LV_LANG_ZH, msg, sizeof msg);
    ASSERT_CONTAINS(msg, "取消");
    /* finishing a running job: cancel, then it waits for the thread */
    j = lv_xjob_start(endless, NULL, NULL);
    ASSERT(j);
    lv_xjob_cancel(j);
    lv_xjob_finish(j, &r);
    ASSERT(r.cancelled);
    lv_xjob_finish(NULL, &r);
    ASSERT_EQ(r.runs, 0);
}

static lv_trace *ticket(const char *variant, int64_t buyers, lv_host *h) {
    const lv_scenario *sc = lv_scenario_find("ticket");
    int64_t params[LV_MAX_PARAMS] = {buyers, 1};
    lv_run_desc d = {.scenario = sc,
                     .variant = lv_scenario_variant_index(sc, variant),
                     .params = params,
                     .mode = LV_MODE_CONTROLLED,
                     .seed = 1};
    lv_trace *tr = NULL;
    ASSERT_EQ(lv_run(&d, &tr), LV_OK);
    ASSERT_EQ(lv_host_init(h, &d), LV_OK);
    h->rerun.quiet = 1;
    return tr;
}

static lv_xresult explore_now(lv_host *h, const lv_trace *tr) {
    lv_xjob *j = lv_xjob_start(lv_host_explore, h, tr);
    ASSERT(j);
    lv_xresult r;
    lv_xjob_finish(j, &r);
    return r;
}

TEST(the_hosts_explore_finds_the_race_and_not_on_the_fix) {
    lv_host h;
    lv_trace *tr = ticket("unlocked", 2, &h);
    lv_xresult r = explore_now(&h, tr);
    ASSERT(!r.err[0]);
    ASSERT(r.failing);
    ASSERT_EQ(r.runs, 1); /* dfs's first schedule already races */
    ASSERT_EQ(r.failing_run, 0);
    ASSERT_EQ(r.budget, 1000);
    ASSERT_EQ(r.bound, 2);
    ASSERT_GT(r.failing->nfindings, 0);
    ASSERT_EQ(r.failing->params[0].value, 2); /* the parameters of the run explored */
    char msg[2048];
    lv_xresult_message(&r, LV_LANG_EN, msg, sizeof msg);
    ASSERT_CONTAINS(msg, "Explore: run 1 failed");
    ASSERT_CONTAINS(msg, "\n");
    ASSERT_CONTAINS(msg, r.failing->findings[0].message);
    lv_xresult_message(&r, LV_LANG_ZH, msg, sizeof msg);
    ASSERT_CONTAINS(msg, "第 1 次运行出错");
    lv_trace_free(r.failing);
    lv_trace_free(tr);
    lv_host_free(&h);

    tr = ticket("locked", 2, &h);
    r = explore_now(&h, tr);
    ASSERT(!r.failing);
    ASSERT(r.exhausted);
    ASSERT_EQ(r.runs, 249); /* as `lockviz explore ticket --variant locked --set buyers=2` */
    lv_xresult_message(&r, LV_LANG_EN, msg, sizeof msg);
    ASSERT_STR_EQ(msg, "No failing schedule in 249 runs: all schedules with at most 2 "
                       "preemptions were tried");
    /* a budget that runs out first */
    h.explore_runs = 10;
    h.explore_preemptions = -1;
    r = explore_now(&h, tr);
    ASSERT(!r.exhausted);
    ASSERT_EQ(r.runs, 10);
    lv_xresult_message(&r, LV_LANG_EN, msg, sizeof msg);
    ASSERT_STR_EQ(msg, "No failing schedule in 10 runs");
    /* a trace of no scenario lockviz has */
    free(tr->scenario);
    tr->scenario = strdup("homemade");
    r = explore_now(&h, tr);
    ASSERT(!r.failing);
    lv_xresult_message(&r, LV_LANG_EN, msg, sizeof msg);
    ASSERT_STR_EQ(msg, "Explore failed: lockviz has no scenario 'homemade' to explore");
    lv_trace_free(tr);
    lv_host_free(&h);
}

static int cancel_after_5(void *pctx, size_t done, size_t budget) {
    (void)pctx;
    (void)budget;
    return done >= 5;
}

/* Esc cancelling an exploration (its progress callback says stop) prints how far it got. */
TEST(a_cancelled_explore_says_so_on_the_terminal) {
    lv_host h;
    lv_trace *tr = ticket("locked", 2, &h);
    h.rerun.quiet = 0;
    h.explore_preemptions = -1;
    char path[] = "/tmp/lv_cancel_XXXXXX";
    int fd = mkstemp(path);
    ASSERT_GE(fd, 0);
    fflush(stdout);
    int saved = dup(1);
    ASSERT_GE(dup2(fd, 1), 0);
    lv_xresult r = {0};
    lv_host_explore(&h, tr, cancel_after_5, NULL, &r);
    fflush(stdout);
    dup2(saved, 1);
    close(saved);
    char out[512] = "";
    ssize_t n = pread(fd, out, sizeof out - 1, 0);
    close(fd);
    unlink(path);
    ASSERT_GT(n, 0);
    out[n] = 0;
    ASSERT(!r.failing);
    ASSERT_CONTAINS(out, "explore: ticket/locked: cancelled after ");
    ASSERT(!strstr(out, "no failing schedule"));
    lv_trace_free(tr);
    lv_host_free(&h);
}

TEST(picking_and_adopting_move_where_reruns_go_on_from) {
    lv_host h;
    lv_trace *tr = ticket("unlocked", 3, &h);
    const lv_catalog *c = &h.catalog;
    for (int i = 0; i < c->n; i++) {
        ASSERT_STR_EQ(c->scenarios[i].name, lv_scenarios[i]->name);
        ASSERT_STR_EQ(c->scenarios[i].title[LV_LANG_ZH], lv_scenarios[i]->title_zh);
        ASSERT_EQ(c->scenarios[i].nvariants, lv_scenarios[i]->nvariants);
        for (int k = 0; k < c->scenarios[i].nvariants; k++) {
            ASSERT_STR_EQ(c->scenarios[i].variants[k].summary[LV_LANG_ZH],
                          lv_scenarios[i]->variants[k].summary_zh);
            ASSERT_EQ(c->scenarios[i].variants[k].broken, lv_scenarios[i]->variants[k].broken);
        }
    }
    char err[256];
    int dl = -1;
    for (int i = 0; i < c->n; i++)
        if (strcmp(c->scenarios[i].name, "deadlock") == 0) dl = i;
    ASSERT_GE(dl, 0);
    lv_trace *a = lv_host_pick(&h, dl, 1, err, sizeof err);
    if (!a) TEST_FAIL_AT("%s", err);
    ASSERT_STR_EQ(a->scenario, "deadlock");
    ASSERT_STR_EQ(a->variant, "ordered");
    ASSERT_EQ(a->seed, 1);
    ASSERT_EQ(a->mode, LV_MODE_CONTROLLED);
    lv_trace *b = lv_rerun_next(&h.rerun, LV_RERUN_SEED, err, sizeof err);
    ASSERT(b);
    ASSERT_STR_EQ(b->variant, "ordered");
    ASSERT_EQ(b->seed, 2);
    ASSERT(lv_host_pick(&h, c->n, 0, err, sizeof err) == NULL);
    ASSERT_CONTAINS(err, "no scenario");
    ASSERT(lv_host_pick(&h, dl, 7, err, sizeof err) == NULL);
    /* adopting the ticket run: its parameters, seed and schedule */
    lv_host_adopt(&h, tr);
    ASSERT(h.rerun.d.scenario == lv_scenario_find("ticket"));
    ASSERT_EQ(h.rerun.d.variant, 0);
    ASSERT_EQ(h.rerun.params[0], 3);
    ASSERT_EQ(h.rerun.d.seed, 1);
    ASSERT_EQ(h.rerun.d.nschedule, tr->nschedule);
    ASSERT(h.rerun.d.schedule != tr->schedule); /* a copy: tr may go */
    ASSERT_EQ(memcmp(h.rerun.d.schedule, tr->schedule, tr->nschedule * sizeof *tr->schedule), 0);
    lv_trace *fix = lv_rerun_next(&h.rerun, LV_RERUN_VARIANT, err, sizeof err);
    ASSERT(fix);
    ASSERT_STR_EQ(fix->variant, "locked");
    ASSERT_EQ(fix->nthreads, 4);
    ASSERT_EQ(fix->schedule[0], tr->schedule[0]); /* the same first choice */
    /* something lockviz has no scenario for changes nothing */
    free(fix->scenario);
    fix->scenario = strdup("homemade");
    lv_host_adopt(&h, fix);
    ASSERT(h.rerun.d.scenario == lv_scenario_find("ticket"));
    ASSERT_EQ(h.rerun.d.variant, 1);
    lv_trace_free(a);
    lv_trace_free(b);
    lv_trace_free(fix);
    lv_trace_free(tr);
    lv_host_free(&h);
    lv_host_free(NULL);
}

TEST(the_progress_panel_fills_with_the_runs) {
    double sc;
    lv_viewport vp = viewport(1280, 720, LV_LANG_EN, &sc);
    lv_rect area = {0, 100, 960, 500};
    lv_xpanel p;
    lv_xpanel_layout(&p, area, &vp, "ticket", "locked", 0, 1000);
    ASSERT_EQ(p.fill.w, 0);
    ASSERT(inside(p.box, area));
    ASSERT(inside(p.bar, p.box));
    ASSERT_EQ(p.nlines, 4);
    ASSERT_STR_EQ(p.count, "0 of 1000 runs");
    ASSERT_CONTAINS(p.title, "ticket / locked");
    for (int i = 0; i < p.nlines; i++) {
        lv_rect r = {p.lines[i].x, p.lines[i].y, p.lines[i].w, 1};
        ASSERT(inside(r, p.box));
        ASSERT(!overlap((lv_rect){r.x, r.y, r.w, lv_font_px(p.lines[i].font, sc)}, p.bar));
    }
    lv_xpanel_layout(&p, area, &vp, "ticket", "locked", 500, 1000);
    ASSERT_LE(abs(p.fill.w - p.bar.w / 2), 1);
    ASSERT_EQ(p.fill.x, p.bar.x);
    lv_xpanel_layout(&p, area, &vp, "ticket", "locked", 2000, 1000);
    ASSERT_EQ(p.fill.w, p.bar.w);
    lv_xpanel_layout(&p, area, &vp, "ticket", "locked", 3, 0); /* before the budget is known */
    ASSERT_EQ(p.fill.w, 0);
    vp.lang = LV_LANG_ZH;
    lv_xpanel_layout(&p, area, &vp, "ticket", "locked", 7, 1000);
    ASSERT_CONTAINS(p.count, "7");
    ASSERT_CONTAINS(p.title, "正在探索");
}

TEST_MAIN(TEST_ENTRY(keys_and_number_keys_move_the_selection, 30),
          TEST_ENTRY(layout_keeps_every_line_in_its_box_at_every_size_in_both_languages, 60),
          TEST_ENTRY(clicks_select_and_run, 30),
          TEST_ENTRY(a_long_list_scrolls_to_keep_the_selection_in_view, 30),
          TEST_ENTRY(keys_and_buttons_ask_for_the_picker_and_explore, 30),
          TEST_ENTRY(the_job_reports_progress_and_cancels, 60),
          TEST_ENTRY(a_cancelled_explore_says_so_on_the_terminal, 60),
          TEST_ENTRY(the_hosts_explore_finds_the_race_and_not_on_the_fix, 120),
          TEST_ENTRY(picking_and_adopting_move_where_reruns_go_on_from, 60),
          TEST_ENTRY(the_progress_panel_fills_with_the_runs, 30))
