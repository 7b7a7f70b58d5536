/* The window: opens it, turns SDL events into vstate.h calls (scaling mouse positions for
 * high-DPI screens), and draws each frame with render.c. Deliberately thin: what an input does
 * is decided in vstate.c, where tests reach it without a window. */
#include <stdio.h>
#include <stdlib.h>
#include <SDL.h>
#include <SDL_ttf.h>
#include "render.h"
#include "viewer.h"

struct lv_viewer {
    lv_trace *tr;
    SDL_Window *win;
    SDL_Renderer *rend;
    lv_render *R;
    lv_scene *s;
    lv_state st;
    lv_frame f;
    lv_viewport vp;
    lv_vstate vs;
    double dpi;
    int ttf;
};

static void sizes(lv_viewer *v, int *ow, int *oh) {
    int ww, wh;
    SDL_GetWindowSize(v->win, &ww, &wh);
    if (SDL_GetRendererOutputSize(v->rend, ow, oh) != 0 || *ow <= 0) {
        *ow = ww;
        *oh = wh;
    }
    v->dpi = ww > 0 ? (double)*ow / ww : 1;
}

lv_viewer *lv_viewer_open(lv_trace *tr, const lv_viewer_desc *d, char *err, size_t errlen) {
    lv_viewer *v = calloc(1, sizeof *v);
    if (!v) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    v->tr = tr;
    if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0) {
        snprintf(err, errlen, "cannot open a window: %s (pass --png FILE to draw without one)",
                 SDL_GetError());
        free(v);
        return NULL;
    }
    if (TTF_Init() != 0) {
        snprintf(err, errlen, "cannot start SDL_ttf: %s", TTF_GetError());
        goto fail;
    }
    v->ttf = 1;
    char title[256];
    snprintf(title, sizeof title, "lockviz: %s / %s", tr->scenario, tr->variant);
    int w = d && d->w > 0 ? d->w : 1280, h = d && d->h > 0 ? d->h : 720;
    v->win = SDL_CreateWindow(title, SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, w, h,
                              SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
    if (!v->win) {
        snprintf(err, errlen, "cannot open a window: %s", SDL_GetError());
        goto fail;
    }
    SDL_SetWindowMinimumSize(v->win, 640, 400);
    /* no flag demands acceleration: SDL takes the best renderer there is, and honours a
     * person's SDL_RENDER_DRIVER (the TSan test asks for "software" to keep GL out) */
    v->rend = SDL_CreateRenderer(v->win, -1, SDL_RENDERER_PRESENTVSYNC);
    if (!v->rend) v->rend = SDL_CreateRenderer(v->win, -1, SDL_RENDERER_SOFTWARE);
    if (!v->rend) {
        snprintf(err, errlen, "cannot draw in the window: %s", SDL_GetError());
        goto fail;
    }
    int ow, oh;
    sizes(v, &ow, &oh);
    v->R = lv_render_new(v->rend, lv_ui_scale(ow, oh, v->dpi), err, errlen);
    if (!v->R) goto fail;
    if (lv_scene_new(tr, &v->s) != LV_OK || lv_state_init(&v->st, v->s) != LV_OK) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    lv_vs_init(&v->vs, v->s);
    if (d && d->at_seq > 0) lv_vs_set_seq(&v->vs, d->at_seq);
    if (d && d->play) v->vs.playing = 1;
    return v;
fail:
    lv_viewer_close(v);
    return NULL;
}

void lv_viewer_close(lv_viewer *v) {
    if (!v) return;
    lv_frame_free(&v->f);
    lv_state_free(&v->st);
    lv_scene_free(v->s);
    lv_render_free(v->R);
    if (v->rend) SDL_DestroyRenderer(v->rend);
    if (v->win) SDL_DestroyWindow(v->win);
    if (v->ttf) TTF_Quit();
    SDL_QuitSubSystem(SDL_INIT_VIDEO);
    free(v);
}

static lv_key key_of(SDL_Keycode k) {
    switch (k) {
    case SDLK_SPACE:
        return LV_KEY_SPACE;
    case SDLK_RIGHT:
        return LV_KEY_RIGHT;
    case SDLK_LEFT:
        return LV_KEY_LEFT;
    case SDLK_PLUS:
    case SDLK_EQUALS:
    case SDLK_KP_PLUS:
        return LV_KEY_PLUS;
    case SDLK_MINUS:
    case SDLK_KP_MINUS:
        return LV_KEY_MINUS;
    case SDLK_HOME:
        return LV_KEY_HOME;
    case SDLK_END:
        return LV_KEY_END;
    case SDLK_UP:
        return LV_KEY_UP;
    case SDLK_DOWN:
        return LV_KEY_DOWN;
    case SDLK_h:
    case SDLK_F1:
        return LV_KEY_HELP;
    case SDLK_ESCAPE:
        return LV_KEY_ESCAPE;
    case SDLK_q:
        return LV_KEY_QUIT;
    default:
        return LV_KEY_NONE;
    }
}

static void handle(lv_viewer *v, const SDL_Event *e) {
    int x, y;
    switch (e->type) {
    case SDL_QUIT:
        v->vs.quit = 1;
        break;
    case SDL_KEYDOWN:
        lv_vs_key(&v->vs, key_of(e->key.keysym.sym), (e->key.keysym.mod & KMOD_SHIFT) != 0);
        break;
    case SDL_MOUSEWHEEL: {
        int dy = e->wheel.y;
        if (e->wheel.direction == SDL_MOUSEWHEEL_FLIPPED) dy = -dy;
        lv_vs_wheel(&v->vs, &v->f, v->vs.mouse_x, v->vs.mouse_y, dy,
                    (SDL_GetModState() & KMOD_SHIFT) != 0);
        break;
    }
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP:
        if (e->button.button != SDL_BUTTON_LEFT) break;
        x = (int)(e->button.x * v->dpi);
        y = (int)(e->button.y * v->dpi);
        if (e->type == SDL_MOUSEBUTTONDOWN)
            lv_vs_mouse_down(&v->vs, &v->f, x, y);
        else
            lv_vs_mouse_up(&v->vs, &v->f, x, y);
        break;
    case SDL_MOUSEMOTION:
        lv_vs_mouse_move(&v->vs, &v->f, (int)(e->motion.x * v->dpi), (int)(e->motion.y * v->dpi));
        break;
    case SDL_WINDOWEVENT:
        if (e->window.event == SDL_WINDOWEVENT_LEAVE) v->vs.mouse_x = v->vs.mouse_y = -1;
        break;
    default:
        break;
    }
}

static int layout(lv_viewer *v) {
    int ow, oh;
    sizes(v, &ow, &oh);
    char err[256];
    if (lv_render_rescale(v->R, lv_ui_scale(ow, oh, v->dpi), err, sizeof err) != 0)
        fprintf(stderr, "lockviz view: %s (keeping the old fonts)\n", err);
    v->vp.w = ow;
    v->vp.h = oh;
    lv_render_prepare(v->R, &v->vp);
    lv_vs_viewport(&v->vs, &v->vp);
    if (lv_state_seek(&v->st, v->s, v->vs.seq) != LV_OK) return -1;
    return lv_frame_layout(&v->f, v->s, &v->vp) == LV_OK ? 0 : -1;
}

int lv_viewer_frame(lv_viewer *v, double dt) {
    /* the frame must exist before the first event is hit-tested against it */
    if (!v->f.nlanes && !v->f.header.h && layout(v) != 0) return 0;
    SDL_Event e;
    while (SDL_PollEvent(&e))
        handle(v, &e);
    lv_vs_tick(&v->vs, dt);
    if (layout(v) != 0) return 0;
    lv_render_draw(v->R, v->s, &v->st, &v->f, &v->vp, v->vs.help ? lv_help_lines : NULL);
    return !v->vs.quit;
}

void lv_viewer_present(lv_viewer *v) {
    SDL_RenderPresent(v->rend);
}

int lv_viewer_read_rgb(lv_viewer *v, unsigned char **rgb, int *w, int *h) {
    int ow, oh;
    sizes(v, &ow, &oh);
    unsigned char *px = malloc((size_t)ow * oh * 3);
    if (!px) return -1;
    if (SDL_RenderReadPixels(v->rend, NULL, SDL_PIXELFORMAT_RGB24, px, ow * 3) != 0) {
        free(px);
        return -1;
    }
    *rgb = px;
    *w = ow;
    *h = oh;
    return 0;
}

const lv_vstate *lv_viewer_state(const lv_viewer *v) {
    return &v->vs;
}
const lv_frame *lv_viewer_layout(const lv_viewer *v) {
    return &v->f;
}
double lv_viewer_dpi(const lv_viewer *v) {
    return v->dpi;
}

int lv_viewer_run(lv_trace *tr, const lv_viewer_desc *d, char *err, size_t errlen) {
    lv_viewer *v = lv_viewer_open(tr, d, err, errlen);
    if (!v) return -1;
    Uint64 last = SDL_GetTicks64();
    for (;;) {
        Uint64 now = SDL_GetTicks64();
        int go = lv_viewer_frame(v, (double)(now - last) / 1000.0);
        last = now;
        if (!go) break;
        lv_viewer_present(v);
        if (!v->vs.playing && !v->vs.dragging)
            SDL_WaitEventTimeout(NULL, 100); /* idle: wake for input, not 60 times a second */
        else
            SDL_Delay(1);
    }
    lv_viewer_close(v);
    return 0;
}
