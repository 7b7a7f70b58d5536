/* The story in a real window (ctest runs it under Xvfb and on SDL's dummy driver): a run made
 * here hides what lies after the playhead, G shows it faint then whole, End shows it all; T
 * and a click on the axis's name switch the time view; a deadlock among sixteen threads marks
 * its cycle's lanes and frames its locks, and the header's holding swatch has the locks' colours.
 * With LV_SHOT_DIR=DIR it saves pictures of the ticket race mid-run, the traffic light and the
 * deadlock at 1280x720 and 1920x1080, in English and Chinese. */
#include <SDL.h>
#include "registry.h"
#include "support.h"
#include "window_support.h"

static lv_viewer *open_on(lv_trace *tr, int w, int h, int lang) {
    char err[512];
    lv_viewer *v = lv_viewer_open(
        tr, &(lv_viewer_desc){.w = w, .h = h, .future = LV_FUTURE_HIDE, .lang = lang}, err,
        sizeof err);
    if (!v) TEST_FAIL_AT("%s", err);
    return v;
}

static int is_bg(const unsigned char *p) {
    return (p[0] == 255 && p[1] == 255 && p[2] == 255) || (p[0] == 247 && p[1] == 247);
}

/* Of the band's middle row right of the playhead, in every lane: how many pixels are not
 * background (dark 0), or in full colour (dark 1: a faint colour is three quarters white). */
static int inked_total(const shot *s, const lv_frame *f, int dark) {
    int n = 0;
    for (size_t k = 0; k < f->nlanes; k++) {
        const lv_lane *ln = &f->lanes[k];
        int y = ln->band.y + ln->band.h / 2;
        for (int x = f->playhead_x + 6; x < f->x1 - 2; x++) {
            const unsigned char *p = pixel(s, x, y);
            n += dark ? p[0] < 185 || p[1] < 185 || p[2] < 185 : !is_bg(p);
        }
    }
    return n;
}

TEST(window_hides_what_comes_next_and_g_shows_it) {
    lv_trace *tr = run_named("ticket", NULL, 0);
    lv_viewer *v = open_on(tr, 1280, 720, LV_LANG_EN);
    free(frame(v, 0).px);
    for (int i = 0; i < 30; i++) /* step to mid-run */
        push_key(SDLK_RIGHT, 0);
    shot a = frame(v, 0);
    const lv_frame *f = lv_viewer_layout(v);
    ASSERT_EQ(lv_viewer_state(v)->seq, 30);
    ASSERT_GE(f->playhead_x, f->x0);
    int hidden = inked_total(&a, f, 0);
    /* G: faint. Something is drawn after the playhead now, paler than the past */
    push_key(SDLK_g, 0);
    shot b = frame(v, 0);
    ASSERT_EQ(lv_viewer_state(v)->future, LV_FUTURE_FAINT);
    ASSERT_CONTAINS(lv_viewer_status(v), "faint");
    int faint = inked_total(&b, lv_viewer_layout(v), 0);
    int faint_dark = inked_total(&b, lv_viewer_layout(v), 1);
    ASSERT_GT(faint, hidden + 200);
    ASSERT_LT(faint_dark, faint / 10);
    push_key(SDLK_g, 0); /* shown: in full colour */
    shot c = frame(v, 0);
    ASSERT_EQ(lv_viewer_state(v)->future, LV_FUTURE_SHOW);
    ASSERT_GT(inked_total(&c, lv_viewer_layout(v), 1), faint_dark + 200);
    push_key(SDLK_g, 0); /* hidden again; End: the whole run */
    free(frame(v, 0).px);
    ASSERT_EQ(lv_viewer_state(v)->future, LV_FUTURE_HIDE);
    push_key(SDLK_END, 0);
    free(frame(v, 0).px);
    f = lv_viewer_layout(v);
    ASSERT_EQ(f->future_findings, 0);
    ASSERT_EQ(f->nfrows + f->hidden_findings, tr->nfindings);
    free(a.px);
    free(b.px);
    free(c.px);
    lv_viewer_close(v);
    lv_trace_free(tr);
}

TEST(window_t_and_the_axis_name_switch_the_time_view) {
    lv_trace *tr = run_named("traffic-light", NULL, 0);
    lv_viewer *v = open_on(tr, 1280, 720, LV_LANG_EN);
    free(frame(v, 0).px);
    push_key(SDLK_RIGHT, 0);
    free(frame(v, 0).px);
    ASSERT_STR_EQ(lv_viewer_layout(v)->axis_name, lv_time_view_name(LV_TIME_WARPED, 0));
    push_key(SDLK_t, 0);
    free(frame(v, 0).px);
    ASSERT_STR_EQ(lv_viewer_layout(v)->axis_name, lv_time_view_name(LV_TIME_LINEAR, 0));
    ASSERT_EQ(lv_viewer_state(v)->seq, 1); /* the playhead stays on its event */
    ASSERT_EQ(lv_viewer_layout(v)->nbreaks, 0);
    push_click(v, lv_viewer_layout(v)->buttons[LV_BTN_TIME]);
    free(frame(v, 0).px);
    ASSERT_STR_EQ(lv_viewer_layout(v)->axis_name, lv_time_view_name(LV_TIME_STEPS, 0));
    ASSERT_EQ(lv_viewer_state(v)->seq, 1);
    push_key(SDLK_t, 0); /* and round to the start */
    free(frame(v, 0).px);
    ASSERT_STR_EQ(lv_viewer_layout(v)->axis_name, lv_time_view_name(LV_TIME_WARPED, 0));
    lv_viewer_close(v);
    lv_trace_free(tr);
}

/* The boxes framed in the blocked colour down the objects panel's left edge (a lock of the
 * deadlock's cycle): runs of at least 20 such pixels in a column near the panel's left. */
static int framed_locks(const shot *s, const lv_frame *f) {
    lv_rgb c = lv_color_rgb(LV_C_BLOCKED);
    int best = 0;
    for (int x = f->objects.x; x < f->objects.x + 12; x++) {
        int boxes = 0, run = 0;
        for (int y = f->objects.y; y < f->objects.y + f->objects.h; y++) {
            const unsigned char *p = pixel(s, x, y);
            run = p[0] == c.r && p[1] == c.g && p[2] == c.b ? run + 1 : 0;
            boxes += run == 20;
        }
        if (boxes > best) best = boxes;
    }
    return best;
}

TEST(window_marks_the_deadlock_cycle) {
    lv_trace *tr = run_named("deadlock", "threads", 16);
    lv_viewer *v = open_on(tr, 1280, 720, LV_LANG_EN);
    push_key(SDLK_END, 0);
    shot a = frame(v, 0);
    const lv_frame *f = lv_viewer_layout(v);
    ASSERT(f->cycle_shown);
    ASSERT_EQ(f->nwaits, 2);
    size_t marked = 0;
    for (size_t k = 0; k < f->nlanes; k++) { /* a cycle's lane: a vermillion bar at its left */
        const unsigned char *p = pixel(&a, 1, f->lanes[k].r.y + f->lanes[k].r.h / 2);
        int bar = p[0] > 180 && p[1] < 120 && p[2] < 60;
        ASSERT_EQ(bar, f->lanes[k].role == LV_ROLE_CYCLE);
        marked += bar;
    }
    ASSERT_EQ(marked, 2);
    /* a bystander, waiting for a lock of the cycle, drawn apart from its members: a thin band,
     * the top quarter of its blocked band left blank */
    lv_rgb red = lv_color_rgb(LV_C_BLOCKED);
    size_t thin = 0;
    for (size_t k = 0; k < f->nlanes; k++) {
        const lv_lane *ln = &f->lanes[k];
        if (ln->role != LV_ROLE_BYSTANDER) continue;
        int x = f->playhead_x - 6;
        const unsigned char *mid = pixel(&a, x, ln->band.y + ln->band.h / 2),
                            *top = pixel(&a, x, ln->band.y + ln->band.h / 8);
        ASSERT(mid[0] == red.r && mid[1] == red.g && mid[2] == red.b);
        ASSERT(!(top[0] == red.r && top[1] == red.g && top[2] == red.b));
        thin++;
    }
    ASSERT_GE(thin, 10);
    /* the cycle's locks framed in the objects panel, in the blocked colour at its left */
    ASSERT_EQ(framed_locks(&a, f), 2);
    /* the header's "holding" swatch in the colours of the two locks, and no other */
    lv_rgb ca = lv_color_rgb(lv_hold_color(obj_id(tr, "A"))),
           cb = lv_color_rgb(lv_hold_color(obj_id(tr, "B")));
    const lv_rect sw = f->legend[3];
    ASSERT_GT(sw.w, 0);
    int na = 0, nb = 0;
    for (int y = sw.y + 1; y < sw.y + sw.h - 1; y++)
        for (int x = sw.x + 1; x < sw.x + sw.w - 1; x++) {
            const unsigned char *p = pixel(&a, x, y);
            int is_a = p[0] == ca.r && p[1] == ca.g && p[2] == ca.b;
            int is_b = p[0] == cb.r && p[1] == cb.g && p[2] == cb.b;
            if (!is_a && !is_b) TEST_FAIL_AT("swatch pixel %d,%d is no lock's colour", x, y);
            na += is_a;
            nb += is_b;
        }
    ASSERT(na > 0 && nb > 0);
    free(a.px);
    /* before the deadlock: no lock framed */
    lv_scene *sc = NULL;
    ASSERT_EQ(lv_scene_new(tr, &sc), LV_OK);
    uint32_t at = sc->finding_seq[sc->cycle_finding];
    lv_scene_free(sc);
    push_key(SDLK_HOME, 0);
    for (uint32_t i = 0; i + 1 < at; i++)
        push_key(SDLK_RIGHT, 0);
    shot b = frame(v, 0);
    ASSERT_EQ(lv_viewer_state(v)->seq, (long)at - 1);
    ASSERT(!lv_viewer_layout(v)->cycle_shown);
    ASSERT_EQ(framed_locks(&b, lv_viewer_layout(v)), 0);
    free(b.px);
    lv_viewer_close(v);
    lv_trace_free(tr);
}

/* Opens tr at w x h in lang, presses the n keys, saves the frame as PREFIX-WxH-LANG.png
 * (with LV_SHOT_DIR) and returns the viewer, still open. */
static lv_viewer *picture(lv_trace *tr, int w, int h, int lang, const SDL_Keycode *keys, int n,
                          const char *prefix) {
    lv_viewer *v = open_on(tr, w, h, lang);
    for (int i = 0; i < n; i++)
        push_key(keys[i], 0);
    free(frame(v, 0).px);
    char name[128];
    snprintf(name, sizeof name, "%s-%dx%d-%s.png", prefix, w, h, lang ? "zh" : "en");
    snap(v, name);
    return v;
}

/* Pictures to look at, when asked for. */
TEST(window_pictures) {
    if (!getenv("LV_SHOT_DIR")) return;
    int sizes[2][2] = {{1280, 720}, {1920, 1080}};
    SDL_Keycode right[40], end = SDLK_END, g = SDLK_g, t = SDLK_t;
    for (int i = 0; i < 40; i++)
        right[i] = SDLK_RIGHT;
    for (int z = 0; z < 2; z++)
        for (int lang = 0; lang < 2; lang++) {
            int w = sizes[z][0], h = sizes[z][1];
            lv_trace *tr = run_named("ticket", NULL, 0);
            lv_viewer *v = picture(tr, w, h, lang, right, 40, "ticket-mid");
            push_key(g, 0); /* the rest of the run, faint */
            free(frame(v, 0).px);
            char name[128];
            snprintf(name, sizeof name, "ticket-faint-%dx%d-%s.png", w, h, lang ? "zh" : "en");
            snap(v, name);
            lv_viewer_close(v);
            lv_trace_free(tr);
            tr = run_named("traffic-light", NULL, 0);
            v = picture(tr, w, h, lang, &end, 1, "traffic-0");
            for (int m = 1; m < 3; m++) {
                push_key(t, 0);
                free(frame(v, 0).px);
                snprintf(name, sizeof name, "traffic-%d-%dx%d-%s.png", m, w, h, lang ? "zh" : "en");
                snap(v, name);
            }
            lv_viewer_close(v);
            lv_trace_free(tr);
            tr = run_named("deadlock", "threads", 16);
            lv_viewer_close(picture(tr, w, h, lang, &end, 1, "deadlock16"));
            lv_trace_free(tr);
        }
}

TEST_MAIN(TEST_ENTRY(window_hides_what_comes_next_and_g_shows_it, 60),
          TEST_ENTRY(window_t_and_the_axis_name_switch_the_time_view, 60),
          TEST_ENTRY(window_marks_the_deadlock_cycle, 60), TEST_ENTRY(window_pictures, 120))
