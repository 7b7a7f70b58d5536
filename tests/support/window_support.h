/* Helpers for tests that drive a real viewer window: push SDL events as a person would, draw a
 * frame and read its pixels back, save a frame as a PNG. */
#ifndef LV_TEST_WINDOW_SUPPORT_H
#define LV_TEST_WINDOW_SUPPORT_H

#include <SDL.h>
#include "lv_png.h"
#include "test.h"
#include "viewer.h"

static inline void push_key(SDL_Keycode k, Uint16 mod) {
    SDL_Event e = {0};
    e.type = SDL_KEYDOWN;
    e.key.state = SDL_PRESSED;
    e.key.keysym.sym = k;
    e.key.keysym.mod = mod;
    ASSERT_EQ(SDL_PushEvent(&e), 1);
}

/* x, y in drawing pixels; events carry window units */
static inline void push_mouse(lv_viewer *v, Uint32 type, int x, int y, int clicks) {
    double dpi = lv_viewer_dpi(v);
    SDL_Event e = {0};
    e.type = type;
    if (type == SDL_MOUSEMOTION) {
        e.motion.x = (int)(x / dpi);
        e.motion.y = (int)(y / dpi);
    } else {
        e.button.button = SDL_BUTTON_LEFT;
        e.button.state = type == SDL_MOUSEBUTTONDOWN ? SDL_PRESSED : SDL_RELEASED;
        e.button.clicks = (Uint8)clicks;
        e.button.x = (int)(x / dpi);
        e.button.y = (int)(y / dpi);
    }
    ASSERT_EQ(SDL_PushEvent(&e), 1);
}

/* A click at (x, y), drawing pixels: the mouse moves there, presses and lets go */
static inline void click_at(lv_viewer *v, int x, int y) {
    push_mouse(v, SDL_MOUSEMOTION, x, y, 0);
    push_mouse(v, SDL_MOUSEBUTTONDOWN, x, y, 1);
    push_mouse(v, SDL_MOUSEBUTTONUP, x, y, 1);
}

/* A click in the middle of r */
static inline void push_click(lv_viewer *v, lv_rect r) {
    click_at(v, r.x + r.w / 2, r.y + r.h / 2);
}

/* dy > 0: the wheel turned up */
static inline void push_wheel(int dy) {
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

/* One frame (dt seconds later), its pixels read back, then shown. */
static inline shot frame(lv_viewer *v, double dt) {
    ASSERT_EQ(lv_viewer_frame(v, dt), 1);
    shot s;
    ASSERT_EQ(lv_viewer_read_rgb(v, &s.px, &s.w, &s.h), 0);
    lv_viewer_present(v);
    return s;
}

static inline void step(lv_viewer *v, double dt) {
    free(frame(v, dt).px);
}

/* One frame, shown, its pixels not read */
static inline void draw(lv_viewer *v, double dt) {
    ASSERT_EQ(lv_viewer_frame(v, dt), 1);
    lv_viewer_present(v);
}

/* Saves s as DIR/NAME when LV_SHOT_DIR=DIR is set (pictures to look at). */
static inline void save_shot(const shot *s, const char *name) {
    const char *dir = getenv("LV_SHOT_DIR");
    if (!dir || !*dir) return;
    char path[1024], err[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (lv_png_write(path, s->px, s->w, s->h, (size_t)s->w * 3, err, sizeof err))
        TEST_FAIL_AT("%s", err);
}

/* The colour at (x, y) */
static inline const unsigned char *pixel(const shot *s, int x, int y) {
    return s->px + ((size_t)y * s->w + x) * 3;
}

/* The frame as it is now, saved as DIR/NAME when LV_SHOT_DIR=DIR is set */
static inline void snap(lv_viewer *v, const char *name) {
    const char *dir = getenv("LV_SHOT_DIR");
    if (!dir || !*dir) return;
    shot s = frame(v, 0);
    save_shot(&s, name);
    free(s.px);
}

#endif
