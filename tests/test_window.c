/* One real window, run under Xvfb by ctest: opens the viewer on the deadlock, pushes SDL events
 * (play, step, zoom, a click on a finding), draws frames and reads their pixels back: the
 * window is not blank and the playhead moved. With LV_SHOT=FILE it also saves the last frame. */
#include <SDL.h>
#include "png.h"
#include "registry.h"
#include "support.h"
#include "viewer.h"

static void push_key(SDL_Keycode k, Uint16 mod) {
    SDL_Event e = {0};
    e.type = SDL_KEYDOWN;
    e.key.state = SDL_PRESSED;
    e.key.keysym.sym = k;
    e.key.keysym.mod = mod;
    ASSERT_EQ(SDL_PushEvent(&e), 1);
}

/* x, y in drawing pixels; events carry window units */
static void push_mouse(lv_viewer *v, Uint32 type, int x, int y) {
    double dpi = lv_viewer_dpi(v);
    SDL_Event e = {0};
    e.type = type;
    if (type == SDL_MOUSEMOTION) {
        e.motion.x = (int)(x / dpi);
        e.motion.y = (int)(y / dpi);
    } else {
        e.button.button = SDL_BUTTON_LEFT;
        e.button.state = type == SDL_MOUSEBUTTONDOWN ? SDL_PRESSED : SDL_RELEASED;
        e.button.clicks = 1;
        e.button.x = (int)(x / dpi);
        e.button.y = (int)(y / dpi);
    }
    ASSERT_EQ(SDL_PushEvent(&e), 1);
}

static void push_wheel(int dy) {
    SDL_Event e = {0};
    e.type = SDL_MOUSEWHEEL;
    e.wheel.y = dy;
    e.wheel.direction = SDL_MOUSEWHEEL_NORMAL;
    ASSERT_EQ(SDL_PushEvent(&e), 1);
}

typedef struct shot {
    unsigned char *px;
    int w, h;
} shot;

static shot frame(lv_viewer *v, double dt) {
    ASSERT_EQ(lv_viewer_frame(v, dt), 1);
    shot s;
    ASSERT_EQ(lv_viewer_read_rgb(v, &s.px, &s.w, &s.h), 0);
    lv_viewer_present(v);
    return s;
}

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
    push_mouse(v, SDL_MOUSEMOTION, (f->x0 + f->x1) / 2, f->lanes[1].band.y);
    push_wheel(2);
    free(frame(v, 0).px);
    ASSERT(lv_viewer_state(v)->d1 - lv_viewer_state(v)->d0 < w0 * 0.9);

    /* a click on the first finding: the playhead jumps to it and its events are marked */
    f = lv_viewer_layout(v);
    ASSERT_GT(f->nfrows, 0);
    lv_rect r = f->frows[0].r;
    push_mouse(v, SDL_MOUSEBUTTONDOWN, r.x + r.w / 2, r.y + r.h / 2);
    push_mouse(v, SDL_MOUSEBUTTONUP, r.x + r.w / 2, r.y + r.h / 2);
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

    /* H shows the help over everything; Esc closes it, a second Esc quits */
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
    push_key(SDLK_ESCAPE, 0);
    ASSERT_EQ(lv_viewer_frame(v, 0), 0); /* quit */
    free(a.px);
    free(b.px);
    free(c.px);
    free(h.px);
    lv_viewer_close(v);
    lv_trace_free(tr);
}

TEST_MAIN(TEST_ENTRY(window_plays_steps_zooms_and_jumps_to_a_finding, 60))
