/* The viewer's frame time at full zoom-out, headless: a 1M-event trace against a 100k one,
 * alternated, medians. Drawing is meant to cost what the pixels cost, not what the events
 * cost, so the 1M frame should be no slower. Prints "key value" lines for bench/run. */
#include <SDL.h>
#include <SDL_ttf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "bench_util.h"
#include "lockviz/lockviz.h"
#include "render.h"

static long g_rounds;

static void pairs_main(const lv_args *a) {
    (void)a;
    lv_mutex *m = lv_mutex_new("m");
    lv_var *v = lv_var_new("v", 0);
    for (long i = 0; i < g_rounds; i++) { /* about 4 events a round */
        lv_mutex_lock(m);
        lv_var_write(v, i);
        lv_mutex_unlock(m);
    }
}

static lv_trace *make_trace(long events) {
    static const lv_variant_desc var[] = {{"only", "", "", "", 0, ""}};
    lv_scenario sc = {.name = "frames", .variants = var, .nvariants = 1, .main = pairs_main};
    g_rounds = events / 4;
    lv_run_desc d = {.scenario = &sc, .mode = LV_MODE_LIVE, .seed = 1};
    lv_trace *tr = NULL;
    if (lv_run(&d, &tr) != LV_OK) exit(3);
    return tr;
}

typedef struct view {
    lv_scene *s;
    lv_state st;
    lv_frame f;
    lv_viewport vp;
} view;

static double frame_ms(lv_render *R, view *v) {
    double t0 = now_s();
    lv_render_prepare(R, &v->vp);
    if (lv_frame_layout(&v->f, v->s, &v->vp) != LV_OK) exit(3);
    lv_render_draw(R, v->s, &v->st, &v->f, &v->vp);
    return (now_s() - t0) * 1000.0;
}

int main(void) {
    if (TTF_Init() != 0) return 3;
    int w = 1280, h = 720;
    SDL_Surface *surf = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_RGB888);
    SDL_Renderer *rend = surf ? SDL_CreateSoftwareRenderer(surf) : NULL;
    char err[256];
    lv_render *R = rend ? lv_render_new(rend, lv_ui_scale(w, h, 1), err, sizeof err) : NULL;
    if (!R) {
        fprintf(stderr, "bench_view: cannot draw: %s\n", rend ? err : SDL_GetError());
        return 3;
    }
    long sizes[2] = {100000, 1000000};
    lv_trace *tr[2];
    view v[2];
    for (int k = 0; k < 2; k++) {
        tr[k] = make_trace(sizes[k]);
        if (lv_scene_new(tr[k], &v[k].s) != LV_OK || lv_state_init(&v[k].st, v[k].s) != LV_OK)
            return 3;
        long seq = (long)tr[k]->nevents - 1;
        if (lv_state_seek(&v[k].st, v[k].s, seq) != LV_OK) return 3;
        memset(&v[k].f, 0, sizeof v[k].f);
        /* full zoom-out: the whole trace in the window */
        v[k].vp = (lv_viewport){.w = w,
                                .h = h,
                                .seq = seq,
                                .play_t = tr[k]->events[seq].t,
                                .highlight = -1,
                                .hover_x = -1,
                                .hover_y = -1};
    }
    double ms[2][ROUNDS];
    for (int r = 0; r < ROUNDS; r++)
        for (int k = 0; k < 2; k++)
            ms[k][r] = frame_ms(R, &v[k]);
    for (int k = 0; k < 2; k++)
        qsort(ms[k], ROUNDS, sizeof(double), cmp_d);
    printf("frame_100k_events %zu\n", tr[0]->nevents);
    printf("frame_1m_events %zu\n", tr[1]->nevents);
    printf("frame_100k_ms %.2f\n", ms[0][ROUNDS / 2]);
    printf("frame_1m_ms %.2f\n", ms[1][ROUNDS / 2]);
    for (int k = 0; k < 2; k++) {
        lv_frame_free(&v[k].f);
        lv_state_free(&v[k].st);
        lv_scene_free(v[k].s);
        lv_trace_free(tr[k]);
    }
    lv_render_free(R);
    SDL_DestroyRenderer(rend);
    SDL_FreeSurface(surf);
    TTF_Quit();
    return 0;
}
