/* The side-by-side picture checked by its pixels: drawn headless by lv_render_png_compare,
 * read back, and compared with the layout that drew it. Both panes' lanes are labelled, the
 * broken pane shows its findings and the stale read and the fixed one neither, the two
 * playheads are one line at one time, and a deadlock's outcome chip differs from its fix's. */
#include <SDL_ttf.h>
#include "font.h"
#include "glue.h"
#include "lv_png.h"
#include "registry.h"
#include "image_support.h"
#include "render.h"
#include "support.h"
#include "test.h"

static char dir[] = "/tmp/lv_cmp_render_XXXXXX";

/* r moved by the pane's place in the window */
static lv_rect at(const lv_cmp_pane *p, lv_rect r) {
    return (lv_rect){r.x + p->r.x, r.y + p->r.y, r.w, r.h};
}

static lv_trace *beside(const lv_trace *tr) {
    lv_run_desc d = {.scenario = lv_scenario_find(tr->scenario), .mode = LV_MODE_CONTROLLED};
    lv_rerun r;
    lv_rerun_init(&r, &d);
    r.quiet = 1;
    char err[512] = "";
    lv_trace *out = lv_counterpart_next(&r, tr, NULL, err, sizeof err);
    if (!out) TEST_FAIL_AT("counterpart: %s", err);
    return out;
}

static lv_cmp_side side(const lv_trace *tr) {
    lv_cmp_side s = {.tr = tr};
    lv_lesson l;
    ASSERT_EQ(lv_lesson_of(NULL, tr, &l), 0);
    s.role = l.role;
    return s;
}

/* Draws the pair to a PNG, reads it back, and lays it out as lv_render_png_compare did. */
static lv_compare *draw(const lv_cmp_side sides[2], const char *name, image *im, lv_fonts **fs) {
    char path[600], err[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (lv_render_png_compare(sides, path, 1280, 720, err, sizeof err) != 0)
        TEST_FAIL_AT("%s", err);
    if (lv_png_read(path, &im->px, &im->w, &im->h, err, sizeof err) != 0) TEST_FAIL_AT("%s", err);
    ASSERT_EQ(im->w, 1280);
    ASSERT_EQ(im->h, 720);
    ASSERT_EQ(TTF_Init(), 0);
    *fs = lv_fonts_open(lv_ui_scale(1280, 720, 1), err, sizeof err);
    if (!*fs) TEST_FAIL_AT("%s", err);
    lv_viewport win = {.w = 1280,
                       .h = 720,
                       .highlight = -1,
                       .hover_x = -1,
                       .hover_y = -1,
                       .scale = lv_ui_scale(1280, 720, 1),
                       .measure = lv_fonts_measure,
                       .measure_ctx = *fs};
    for (int i = 0; i < LV_FONT__COUNT; i++)
        win.line_h[i] = lv_fonts_line_h(*fs, (lv_font_id)i);
    lv_compare *c = NULL;
    ASSERT_EQ(lv_cmp_new(sides, &c), LV_OK);
    lv_cmp_set_step(c, (long)c->nsteps - 1);
    ASSERT_EQ(lv_cmp_layout(c, &win), LV_OK);
    return c;
}

/* The header left of its buttons or legend: the title and its chips. */
static lv_rect title_part(const lv_cmp_pane *p) {
    const lv_frame *f = &p->f;
    int right = f->buttons[0].w ? f->buttons[0].x : f->legend[0].x;
    return at(p, (lv_rect){0, 0, right, f->header.h});
}

/* The black playhead's line: dark pixels down column x of the pane's lanes. */
static int dark_column(const image *im, const lv_cmp_pane *p, int x) {
    int n = 0;
    for (int y = p->r.y + p->f.area.y + 10; y < p->r.y + p->f.axis.y; y++) {
        lv_rgb c = pixel(im, x, y);
        n += c.r < 40 && c.g < 40 && c.b < 40;
    }
    return n;
}

TEST(the_race_beside_its_fix) {
    ASSERT(mkdtemp(dir));
    lv_trace *a = run_variant("ticket", "unlocked", 1, "buyers", 3);
    lv_trace *b = beside(a);
    ASSERT_STR_EQ(b->variant, "locked");
    lv_cmp_side sides[2] = {side(a), side(b)};
    ASSERT_EQ(sides[0].role, LV_ROLE_BROKEN);
    ASSERT_EQ(sides[1].role, LV_ROLE_FIXED);
    image im;
    lv_fonts *fs;
    lv_compare *c = draw(sides, "side.png", &im, &fs);
    lv_rgb bg = lv_color_rgb(LV_C_BG), alt = lv_color_rgb(LV_C_LANE_ALT);
    lv_rgb panel = lv_color_rgb(LV_C_PANEL), orange = lv_color_rgb(LV_C_HOLD2);
    /* both panes: every thread's lane, its name drawn */
    for (int k = 0; k < 2; k++) {
        const lv_cmp_pane *p = &c->p[k];
        ASSERT_EQ(p->f.nlanes, p->side.tr->nthreads);
        for (size_t i = 0; i < p->f.nlanes; i++)
            if (ink_in(&im, at(p, p->f.lanes[i].label), bg, alt) < 30)
                TEST_FAIL_AT("pane %d: no label drawn for lane %zu", k, i);
        /* and the state bands: running green somewhere in the lanes */
        ASSERT_GT(count(&im, at(p, p->f.area), lv_color_rgb(LV_C_RUNNING)), 200);
    }
    ASSERT(c->p[1].r.y >= c->p[0].r.y + c->p[0].r.h); /* the fix below the race */
    ASSERT_CONTAINS(c->p[0].f.title, "ticket / unlocked (broken)");
    ASSERT_CONTAINS(c->p[1].f.title, "ticket / locked (fixed)");
    /* the findings: the race's chips (and the header's count) above, nothing of it below,
     * where the panel says there is nothing */
    ASSERT_GT(a->nfindings, 0);
    ASSERT_EQ(b->nfindings, 0);
    ASSERT_GT(count(&im, at(&c->p[0], c->p[0].f.findings), orange), 500);
    ASSERT_GT(count(&im, at(&c->p[0], c->p[0].f.header), orange), 300);
    ASSERT_EQ(count(&im, at(&c->p[1], c->p[1].f.findings), orange), 0);
    ASSERT_EQ(count(&im, at(&c->p[1], c->p[1].f.header), orange), 0);
    ASSERT_GT(ink_in(&im, at(&c->p[1], c->p[1].f.findings), panel, bg), 300);
    /* the stale read's orange ring in the race's lanes only; the lock's hand-offs only below */
    ASSERT_GT(count(&im, at(&c->p[0], c->p[0].f.area), lv_color_rgb(LV_C_STALE)), 50);
    ASSERT_EQ(count(&im, at(&c->p[1], c->p[1].f.area), lv_color_rgb(LV_C_STALE)), 0);
    ASSERT_GT(c->p[1].f.narrows, 0);
    ASSERT_EQ(c->p[0].f.narrows, 0);
    /* one playhead time, one x, drawn in both panes */
    ASSERT_EQ(c->p[0].vp.play_t, c->p[1].vp.play_t);
    int64_t end = a->events[a->nevents - 1].t > b->events[b->nevents - 1].t
                      ? a->events[a->nevents - 1].t
                      : b->events[b->nevents - 1].t;
    ASSERT_EQ(c->p[0].vp.play_t, end);
    int x = c->p[0].f.playhead_x;
    ASSERT_GE(x, c->p[0].f.x0);
    ASSERT_EQ(c->p[1].f.playhead_x, x);
    for (int k = 0; k < 2; k++) {
        int h = c->p[k].f.axis.y - c->p[k].f.area.y - 10;
        if (dark_column(&im, &c->p[k], x) < h * 9 / 10)
            TEST_FAIL_AT("pane %d: no playhead at x=%d", k, x);
    }
    /* the same x in both is the same moment: an event time in both frames */
    for (size_t i = 0; i < b->nevents; i += 9)
        ASSERT(lv_frame_x(&c->p[0].f, c->p[0].s, b->events[i].t) ==
               lv_frame_x(&c->p[1].f, c->p[1].s, b->events[i].t));
    /* a dark line parts the panes; the compare button is framed as on */
    lv_rect gap = {0, c->p[0].r.h, 1280, c->p[1].r.y - c->p[0].r.h};
    ASSERT_GT(gap.h, 1);
    ASSERT_EQ(count(&im, gap, lv_color_rgb(LV_C_TEXT)), gap.w * gap.h);
    lv_rect cb = c->p[0].f.buttons[LV_BTN_COMPARE];
    ASSERT_GT(cb.w, 0);
    ASSERT_GT(count(&im, cb, lv_color_rgb(LV_C_HOLD)), cb.w * 2);
    /* the legend is drawn once, below */
    ASSERT_EQ(count(&im, at(&c->p[0], c->p[0].f.header), lv_color_rgb(LV_C_SLEEPING)), 0);
    ASSERT_GT(count(&im, at(&c->p[1], c->p[1].f.header), lv_color_rgb(LV_C_SLEEPING)), 100);
    free(im.px);
    lv_cmp_free(c);
    lv_fonts_close(fs);
    TTF_Quit();
    lv_trace_free(a);
    lv_trace_free(b);
    /* a bad size is the caller's mistake, and nothing is written */
    char path[600], err[512];
    snprintf(path, sizeof path, "%s/small.png", dir);
    ASSERT_EQ(lv_render_png_compare(sides, path, 10, 10, err, sizeof err), LV_ERANGE);
    ASSERT_CONTAINS(err, path);
    ASSERT_NE(access(path, F_OK), 0);
    unlink(path);
    snprintf(path, sizeof path, "%s/side.png", dir);
    unlink(path);
    rmdir(dir);
}

TEST(the_deadlock_beside_its_fix) {
    ASSERT(mkdtemp(dir));
    lv_trace *a = run_variant("deadlock", "two-locks", 1, NULL, 0);
    lv_trace *b = beside(a);
    ASSERT_STR_EQ(b->variant, "ordered");
    ASSERT_EQ(a->outcome, LV_OUT_DEADLOCKED);
    ASSERT_EQ(b->outcome, LV_OUT_COMPLETED);
    lv_cmp_side sides[2] = {side(a), side(b)};
    image im;
    lv_fonts *fs;
    lv_compare *c = draw(sides, "deadlock.png", &im, &fs);
    /* the outcome chips: "deadlocked" in the blocked colour above, "completed" in green below */
    lv_rgb blocked = lv_color_rgb(LV_C_BLOCKED), green = lv_color_rgb(LV_C_RUNNING);
    ASSERT_GT(count(&im, title_part(&c->p[0]), blocked), 300);
    ASSERT_EQ(count(&im, title_part(&c->p[0]), green), 0);
    ASSERT_GT(count(&im, title_part(&c->p[1]), green), 300);
    ASSERT_EQ(count(&im, title_part(&c->p[1]), blocked), 0);
    /* the deadlocked lanes stay blocked to the end, at the playhead; the fix's do not */
    int x = c->p[0].f.playhead_x - 4, blocked_at_end[2] = {0, 0};
    for (int k = 0; k < 2; k++) {
        const lv_cmp_pane *p = &c->p[k];
        for (size_t i = 0; i < p->f.nlanes; i++)
            blocked_at_end[k] += same(
                pixel(&im, x, p->r.y + p->f.lanes[i].band.y + p->f.lanes[i].band.h / 2), blocked);
    }
    ASSERT_GE(blocked_at_end[0], 2);
    ASSERT_EQ(blocked_at_end[1], 0);
    for (int k = 0; k < 2; k++)
        ASSERT_EQ(c->p[k].f.nlanes, c->p[k].side.tr->nthreads);
    char path[600];
    snprintf(path, sizeof path, "%s/deadlock.png", dir);
    unlink(path);
    rmdir(dir);
    free(im.px);
    lv_cmp_free(c);
    lv_fonts_close(fs);
    TTF_Quit();
    lv_trace_free(a);
    lv_trace_free(b);
}

/* The picture speaks the language asked for (--lang zh): the same pair drawn in English and
 * in Chinese differs in the panes' titles, where the variant's role is written. */
TEST(the_picture_in_the_language_asked_for) {
    ASSERT(mkdtemp(dir));
    lv_trace *a = run_variant("ticket", "unlocked", 1, "buyers", 3);
    lv_trace *b = beside(a);
    lv_cmp_side sides[2] = {side(a), side(b)};
    image im[2];
    lv_fonts *fs[2];
    lv_compare *c[2];
    for (int l = 0; l < 2; l++) {
        lv_lang_set_default(l ? LV_LANG_ZH : LV_LANG_EN);
        c[l] = draw(sides, l ? "zh.png" : "en.png", &im[l], &fs[l]);
    }
    lv_lang_set_default(LV_LANG_EN);
    for (int k = 0; k < 2; k++) {
        lv_rect t = title_part(&c[0]->p[k]);
        long differ = 0;
        for (int y = t.y; y < t.y + t.h; y++)
            for (int x = t.x; x < t.x + t.w; x++) {
                lv_rgb p = pixel(&im[0], x, y), q = pixel(&im[1], x, y);
                differ += p.r != q.r || p.g != q.g || p.b != q.b;
            }
        if (differ < 50)
            TEST_FAIL_AT("pane %d's title: %ld pixels differ between en and zh", k, differ);
    }
    for (int l = 0; l < 2; l++) {
        free(im[l].px);
        lv_cmp_free(c[l]);
        lv_fonts_close(fs[l]);
    }
    lv_trace_free(a);
    lv_trace_free(b);
}

TEST_MAIN(TEST_ENTRY(the_race_beside_its_fix, 120), TEST_ENTRY(the_deadlock_beside_its_fix, 120),
          TEST_ENTRY(the_picture_in_the_language_asked_for, 120))
