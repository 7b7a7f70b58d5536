/* Headless renders checked by their pixels: every variant of every registered scenario, run
 * controlled with seed 1, drawn to a PNG, read back, and compared with the layout that drew it
 * (a labelled lane per thread, the blocked colour where a thread was blocked, a deadlock's
 * table). Also the PNG writer's round trip and its atomic replace. */
#include <dirent.h>
#include <SDL_ttf.h>
#include "font.h"
#include "geom.h"
#include "lv_png.h"
#include "registry.h"
#include "image_support.h"
#include "render.h"
#include "support.h"

static char dir[] = "/tmp/lv_render_XXXXXX";

static void make_dir(void) {
    ASSERT(mkdtemp(dir) != NULL);
}

static void remove_dir(void) {
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    char p[512];
    while ((e = readdir(d)))
        if (e->d_name[0] != '.') {
            snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
            unlink(p);
        }
    closedir(d);
    rmdir(dir);
}

static size_t count_files(void) {
    DIR *d = opendir(dir);
    ASSERT(d);
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

/* Nothing drawn over the band at x: no marker, playhead or arrow. */
static int clear_at(const lv_frame *f, int x) {
    if (f->playhead_x >= 0 && abs(x - f->playhead_x) < 6) return 0;
    for (size_t i = 0; i < f->nmarks; i++)
        if (abs(f->marks[i].x - x) < 14) return 0;
    for (size_t i = 0; i < f->narrows; i++) {
        int a = f->arrows[i].x0 < f->arrows[i].x1 ? f->arrows[i].x0 : f->arrows[i].x1;
        int b = f->arrows[i].x0 < f->arrows[i].x1 ? f->arrows[i].x1 : f->arrows[i].x0;
        if (x >= a - 12 && x <= b + 12) return 0;
    }
    return 1;
}

/* The layout lv_render_png drew: same fonts, same viewport. */
static void layout_like_png(const lv_trace *tr, lv_scene *s, lv_fonts *fs, lv_frame *f) {
    lv_viewport vp = {.w = 1280,
                      .h = 720,
                      .seq = (long)tr->nevents - 1,
                      .play_t = tr->events[tr->nevents - 1].t,
                      .highlight = -1,
                      .hover_x = -1,
                      .hover_y = -1,
                      .scale = lv_ui_scale(1280, 720, 1),
                      .measure = lv_fonts_measure,
                      .measure_ctx = fs};
    for (int i = 0; i < LV_FONT__COUNT; i++)
        vp.line_h[i] = lv_fonts_line_h(fs, (lv_font_id)i);
    ASSERT_EQ(lv_frame_layout(f, s, &vp), LV_OK);
}

TEST(every_scenario_renders_its_picture) {
    make_dir();
    ASSERT_EQ(TTF_Init(), 0);
    char err[512];
    lv_fonts *fs = lv_fonts_open(lv_ui_scale(1280, 720, 1), err, sizeof err);
    if (!fs) TEST_FAIL_AT("%s", err);
    lv_rgb bg = lv_color_rgb(LV_C_BG), alt = lv_color_rgb(LV_C_LANE_ALT);
    lv_rgb blocked = lv_color_rgb(LV_C_BLOCKED), panel = lv_color_rgb(LV_C_PANEL);
    int runs = 0, blocked_checked = 0, deadlocks = 0, under_labels = 0;
    for (size_t i = 0; i < lv_nscenarios; i++) {
        const lv_scenario *sc = lv_scenarios[i];
        for (int v = 0; v < sc->nvariants; v++) {
            lv_run_desc d = {.scenario = sc, .variant = v, .mode = LV_MODE_CONTROLLED, .seed = 1};
            lv_trace *tr = NULL;
            ASSERT_EQ(lv_run(&d, &tr), LV_OK);
            char path[600];
            snprintf(path, sizeof path, "%s/%s-%s.png", dir, sc->name, sc->variants[v].name);
            if (lv_render_png(tr, path, 1280, 720, -1, err, sizeof err) != 0)
                TEST_FAIL_AT("%s", err);
            image im;
            if (lv_png_read(path, &im.px, &im.w, &im.h, err, sizeof err) != 0)
                TEST_FAIL_AT("%s", err);
            ASSERT_EQ(im.w, 1280);
            ASSERT_EQ(im.h, 720);
            lv_scene *s;
            ASSERT_EQ(lv_scene_new(tr, &s), LV_OK);
            lv_frame f = {0};
            layout_like_png(tr, s, fs, &f);
            /* a lane per thread, each with its name drawn; when they do not all fit, as many
             * as fit at a readable height, and the rest are counted for scrolling */
            if (tr->nthreads <= 12) {
                ASSERT_EQ(f.nlanes, tr->nthreads);
            } else {
                ASSERT_GE(f.nlanes, 10);
                ASSERT_EQ(f.nlanes + f.hidden_lanes, tr->nthreads);
            }
            for (size_t k = 0; k < f.nlanes; k++)
                if (ink_in(&im, f.lanes[k].label, bg, alt) < 30)
                    TEST_FAIL_AT("%s: no label drawn for lane %zu", path, k);
            /* every wide enough blocked span shows the blocked colour */
            for (size_t k = 0; k < f.nlanes; k++) {
                const lv_lane *ln = &f.lanes[k];
                const lv_thread_geo *g = &s->th[ln->thread];
                for (size_t j = 0; j < g->nspans; j++) {
                    if (g->spans[j].state != LV_TS_BLOCKED) continue;
                    int a = (int)lv_frame_x(&f, s, g->spans[j].t0) + 2;
                    int b = (int)lv_frame_x(&f, s, g->spans[j].t1) - 2;
                    for (int x = a; x <= b; x++) {
                        if (!clear_at(&f, x)) continue;
                        lv_rgb c = pixel(&im, x, ln->band.y + ln->band.h / 2);
                        if (!same(c, blocked))
                            TEST_FAIL_AT("%s: thread %d blocked at x=%d, pixel is %d,%d,%d", path,
                                         ln->thread, x, c.r, c.g, c.b);
                        blocked_checked++;
                        break;
                    }
                }
            }
            /* a hand-off arrow passes under a note's words, never over them: along its shaft
             * (before its head), inside a label, no pixel has the arrow's colour */
            for (size_t k = 0; k < f.narrows; k++) {
                const lv_arrow *a = &f.arrows[k];
                lv_rgb ac = lv_color_rgb(lv_hold_color(a->obj));
                for (int q = 10; q <= 60; q++) {
                    int x = a->x0 + (a->x1 - a->x0) * q / 100,
                        y = a->y0 + (a->y1 - a->y0) * q / 100;
                    for (size_t j = 0; j < f.nlabels; j++) {
                        const lv_label *lb = &f.labels[j];
                        if (x < lb->x + 2 || x > lb->x + lb->w - 2 || y < lb->y + 2 ||
                            y > lb->y + f.line_h[LV_FONT_NOTE] - 2)
                            continue;
                        if (same(pixel(&im, x, y), ac))
                            TEST_FAIL_AT(
                                "%s: the arrow into seq %u is drawn over the note of seq %u", path,
                                a->acq, lb->seq);
                        under_labels++;
                    }
                }
            }
            /* findings are written out; a deadlock's table is drawn in its box */
            if (tr->nfindings) ASSERT_GT(ink_in(&im, f.findings, panel, bg), 500);
            if (tr->outcome == LV_OUT_DEADLOCKED) {
                deadlocks++;
                ASSERT_GE(f.detail_finding, 0);
                ASSERT(same(pixel(&im, f.detail.x, f.detail.y + f.detail.h / 2), blocked));
                lv_rect inside = {f.detail.x + 4, f.detail.y + 4, f.detail.w - 8, f.detail.h - 8};
                ASSERT_GT(ink_in(&im, inside, bg, bg), 300);
            }
            /* the objects panel is not empty */
            ASSERT_GT(ink_in(&im, f.objects, panel, bg), 200);
            free(im.px);
            lv_frame_free(&f);
            lv_scene_free(s);
            lv_trace_free(tr);
            runs++;
        }
    }
    ASSERT_GE(runs, 5);
    ASSERT_GE(deadlocks, 2);
    ASSERT_GE(blocked_checked, 5);
    ASSERT_GT(under_labels, 0); /* some arrow did pass under a note */
    lv_fonts_close(fs);
    TTF_Quit();
    ASSERT_EQ(count_files(), (size_t)runs); /* no temporary files left behind */
    remove_dir();
}

static void tiny_main(const lv_args *a) {
    (void)a;
    lv_note("购票成功 (bought a ticket)");
}

TEST(png_round_trip_and_atomic_replace) {
    make_dir();
    enum { W = 61, H = 37 };
    uint8_t *img = malloc(W * H * 3);
    for (int i = 0; i < W * H * 3; i++)
        img[i] = (uint8_t)(i * 7 + (i / 3) * 13);
    char path[600], err[512];
    snprintf(path, sizeof path, "%s/x.png", dir);
    ASSERT_EQ(lv_png_write(path, img, W, H, W * 3, err, sizeof err), 0);
    image im;
    ASSERT_EQ(lv_png_read(path, &im.px, &im.w, &im.h, err, sizeof err), 0);
    ASSERT_EQ(im.w, W);
    ASSERT_EQ(im.h, H);
    ASSERT_EQ(memcmp(im.px, img, W * H * 3), 0);
    free(im.px);
    /* a failed render leaves the existing file as it was */
    uint8_t before[4096];
    FILE *f = fopen(path, "rb");
    ASSERT(f);
    size_t nbefore = fread(before, 1, sizeof before, f);
    fclose(f);
    setenv("LV_TEST_MODE", "controlled", 1);
    lv_trace *tr = run_fn("tiny", tiny_main);
    ASSERT_EQ(lv_render_png(tr, path, 10, 10, -1, err, sizeof err), LV_ERANGE);
    ASSERT_CONTAINS(err, path);
    f = fopen(path, "rb");
    uint8_t after[4096];
    size_t nafter = fread(after, 1, sizeof after, f);
    fclose(f);
    ASSERT_EQ(nafter, nbefore);
    ASSERT_EQ(memcmp(before, after, nbefore), 0);
    char bad[700];
    snprintf(bad, sizeof bad, "%s/no/such/dir/y.png", dir);
    ASSERT_EQ(lv_render_png(tr, bad, 640, 480, -1, err, sizeof err), LV_EIO);
    ASSERT_CONTAINS(err, bad);
    /* a good render replaces it whole, and leaves no temporary file */
    ASSERT_EQ(lv_render_png(tr, path, 640, 480, 0, err, sizeof err), LV_OK);
    ASSERT_EQ(lv_png_read(path, &im.px, &im.w, &im.h, err, sizeof err), 0);
    ASSERT_EQ(im.w, 640);
    ASSERT_EQ(im.h, 480);
    free(im.px);
    ASSERT_EQ(count_files(), 1);
    /* the reader refuses a cut file */
    f = fopen(path, "r+b");
    ASSERT_EQ(ftruncate(fileno(f), 100), 0);
    fclose(f);
    ASSERT_EQ(lv_png_read(path, &im.px, &im.w, &im.h, err, sizeof err), -1);
    lv_trace_free(tr);
    free(img);
    remove_dir();
}

TEST_MAIN(TEST_ENTRY(every_scenario_renders_its_picture, 240),
          TEST_ENTRY(png_round_trip_and_atomic_replace, 60))
