/* The viewer's frame time at full zoom-out, headless: a 1M-event trace against a 100k one,
 * alternated, medians; while playing (the view stays, the playhead moves) and on a new view
 * (a zoom or a drag); and the 1M frame against a bare SDL_RenderFillRects of its rectangles.
 * Drawing is meant to cost what the pixels cost, not what the events cost. Prints "key value"
 * lines for bench/run. */
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

/* Four threads take turns on two locks and a shared var: blocked spans, hand-offs, holds and
 * accesses in every lane, like a classroom scenario run for much longer. A controlled run (the
 * seeded random scheduler), so the trace is the same on every bench run and its first tenth
 * looks like the rest of it: a live run's threads settle into different rhythms as it goes,
 * which made the two frames draw different amounts from one bench run to the next. */
typedef struct worker {
    lv_mutex *m[2];
    lv_var *v;
} worker;

static void work(void *arg) {
    worker *w = arg;
    for (long i = 0; i < g_rounds; i++) {
        lv_mutex *m = w->m[i & 1];
        lv_mutex_lock(m);
        lv_var_write(w->v, i);
        lv_mutex_unlock(m);
    }
}

static void pairs_main(const lv_args *a) {
    (void)a;
    worker w = {{lv_mutex_new("A"), lv_mutex_new("B")}, lv_var_new("v", 0)};
    lv_thread *t[4];
    static const char *const names[] = {"worker-1", "worker-2", "worker-3", "worker-4"};
    for (int k = 0; k < 4; k++)
        t[k] = lv_spawn(names[k], work, &w);
    for (int k = 0; k < 4; k++)
        lv_join(t[k]);
}

static lv_trace *make_trace(long events) {
    static const lv_variant_desc var[] = {{"only", "", "", "", 0, ""}};
    lv_scenario sc = {.name = "frames", .variants = var, .nvariants = 1, .main = pairs_main};
    g_rounds = events / 4 / 4; /* 4 threads, 4 events a round */
    lv_run_desc d = {.scenario = &sc, .mode = LV_MODE_CONTROLLED, .seed = 1};
    lv_trace *tr = NULL;
    if (lv_run(&d, &tr) != LV_OK) exit(3);
    return tr;
}

typedef struct view {
    const lv_trace *tr;
    lv_scene *s;
    lv_state st;
    lv_frame f;    /* the playing frames' */
    lv_frame fnew; /* the new views' */
    lv_viewport vp;
} view;

/* One frame as the window makes it: the state at the playhead, the layout, the drawing. */
static double frame_ms(lv_render *R, view *v, lv_frame *f) {
    double t0 = now_s();
    if (lv_state_seek(&v->st, v->s, v->vp.seq) != LV_OK) exit(3);
    lv_render_prepare(R, &v->vp);
    if (lv_frame_layout(f, v->s, &v->vp) != LV_OK) exit(3);
    lv_render_draw(R, v->s, &v->st, f, &v->vp);
    return (now_s() - t0) * 1000.0;
}

/* Playing: the playhead moves on (a few events a frame), the view stays. */
static double playing_ms(lv_render *R, view *v, int r) {
    v->vp.seq = (long)v->tr->nevents / 2 + 7L * r;
    v->vp.play_t = v->tr->events[v->vp.seq].t;
    return frame_ms(R, v, &v->f);
}

/* A new view every frame (as a zoom or a drag makes), still all of the trace in the window:
 * the end of the range moves by a nanosecond, so nothing of the last frame can be reused. */
static double new_view_ms(lv_render *R, view *v, int r) {
    v->vp.t0 = v->s->t_first;
    v->vp.t1 = v->s->t_end - (r & 1);
    double ms = frame_ms(R, v, &v->fnew);
    v->vp.t0 = v->vp.t1 = 0;
    return ms;
}

/* The bare cost of the frame's timeline rectangles: one SDL_RenderFillRects of them all. */
static double fillrects_ms(SDL_Renderer *rend, const lv_frame *f, SDL_Rect *rects) {
    for (size_t i = 0; i < f->nfills; i++)
        rects[i] = (SDL_Rect){f->fills[i].r.x, f->fills[i].r.y, f->fills[i].r.w, f->fills[i].r.h};
    double t0 = now_s();
    SDL_SetRenderDrawColor(rend, 230, 159, 0, 255);
    SDL_RenderFillRects(rend, rects, (int)f->nfills);
    return (now_s() - t0) * 1000.0;
}

int main(void) {
    if (TTF_Init() != 0) return 3;
    int w = LV_VIEW_W, h = LV_VIEW_H;
    SDL_Surface *surf = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_RGB888);
    SDL_Renderer *rend = surf ? SDL_CreateSoftwareRenderer(surf) : NULL;
    char err[256];
    lv_render *R = rend ? lv_render_new(rend, lv_ui_scale(w, h, 1), err, sizeof err) : NULL;
    if (!R) {
        fprintf(stderr, "bench_view: cannot draw: %s\n", rend ? err : SDL_GetError());
        return 3;
    }
    enum { N = 101 }; /* frames of each kind and size, alternated; each reports its median */
    long sizes[2] = {100000, 1000000};
    /* one run of a million events; the 100k trace is its first tenth, so both have the same
     * density and the same threads, and differ only in length */
    lv_trace *run = make_trace(sizes[1]);
    if (run->nevents < (size_t)sizes[1]) return 3;
    lv_trace shown[2] = {*run, *run}; /* views of it: they share its arrays, the run owns them */
    lv_trace *tr[2] = {&shown[0], &shown[1]};
    for (int k = 0; k < 2; k++) {
        shown[k].nevents = (size_t)sizes[k];
        shown[k].nfindings = 0; /* the same panel for both */
    }
    view v[2];
    for (int k = 0; k < 2; k++) {
        v[k].tr = tr[k];
        if (lv_scene_new(tr[k], &v[k].s) != LV_OK || lv_state_init(&v[k].st, v[k].s) != LV_OK)
            return 3;
        memset(&v[k].f, 0, sizeof v[k].f);
        memset(&v[k].fnew, 0, sizeof v[k].fnew);
        /* full zoom-out: the whole trace in the window */
        v[k].vp =
            (lv_viewport){.w = w, .h = h, .seq = -1, .highlight = -1, .hover_x = -1, .hover_y = -1};
        playing_ms(R, &v[k], 0); /* the state at the playhead: seeking there is not a frame */
    }
    double play[2][N], fresh[2][N], bare[N], whole[N];
    /* each pair of frames back to back, the 100k one first in even rounds, second in odd ones */
    for (int r = 0; r < N; r++) {
        for (int j = 0; j < 2; j++) {
            int k = j ^ (r & 1);
            play[k][r] = playing_ms(R, &v[k], r + 1);
        }
        for (int j = 0; j < 2; j++) {
            int k = j ^ (r & 1);
            fresh[k][r] = new_view_ms(R, &v[k], r);
        }
    }
    size_t cap = v[1].f.nfills ? v[1].f.nfills : 1;
    SDL_Rect *rects = malloc(cap * sizeof *rects);
    if (!rects) return 3;
    for (int r = 0; r < N; r++) { /* the 1M frame (its layout reused) against its rectangles */
        whole[r] = playing_ms(R, &v[1], N + r + 1);
        if (v[1].f.nfills > cap) return 3;
        bare[r] = fillrects_ms(rend, &v[1].f, rects);
    }
    free(rects);
    /* a step back against a step forward, 1M events, from the middle of the trace */
    double back[N], fwd[N];
    for (int r = 0; r < N; r++) {
        long at = (long)tr[1]->nevents / 2 + 1000L * r;
        if (lv_state_seek(&v[1].st, v[1].s, at) != LV_OK) return 3;
        double t0 = now_s();
        if (lv_state_seek(&v[1].st, v[1].s, at + 1) != LV_OK) return 3;
        double t1 = now_s();
        if (lv_state_seek(&v[1].st, v[1].s, at) != LV_OK) return 3;
        fwd[r] = (t1 - t0) * 1000.0;
        back[r] = (now_s() - t1) * 1000.0;
    }
    printf("frame_100k_events %zu\n", tr[0]->nevents);
    printf("frame_1m_events %zu\n", tr[1]->nevents);
    for (int k = 0; k < 2; k++) /* what each frame draws: the same amount, for a fair ratio */
        printf("frame_%s_draws %zu rectangles, %zu arrows, %zu ticks and markers\n",
               k ? "1m" : "100k", v[k].fnew.nfills, v[k].fnew.narrows, v[k].fnew.nmarks);
    /* a sign test of "no slower": in how many of the paired frames (a 1M frame and a 100k one
     * drawn back to back) the 1M frame took no longer */
    int play_ok = 0, fresh_ok = 0;
    for (int r = 0; r < N; r++) {
        play_ok += play[1][r] <= play[0][r];
        fresh_ok += fresh[1][r] <= fresh[0][r];
    }
    printf("frame_pairs %d\n", N);
    printf("frame_1m_not_slower %d\n", play_ok);
    printf("frame_new_view_1m_not_slower %d\n", fresh_ok);
    printf("frame_100k_ms %.3f\n", median(play[0], N));
    printf("frame_1m_ms %.3f\n", median(play[1], N));
    printf("frame_new_view_100k_ms %.3f\n", median(fresh[0], N));
    printf("frame_new_view_1m_ms %.3f\n", median(fresh[1], N));
    printf("frame_1m_again_ms %.3f\n", median(whole, N));
    printf("fillrects_1m_ms %.4f\n", median(bare, N));
    printf("fillrects_1m_rects %zu\n", v[1].f.nfills);
    printf("step_back_1m_ms %.5f\n", median(back, N));
    printf("step_fwd_1m_ms %.5f\n", median(fwd, N));
    for (int k = 0; k < 2; k++) {
        lv_frame_free(&v[k].f);
        lv_frame_free(&v[k].fnew);
        lv_state_free(&v[k].st);
        lv_scene_free(v[k].s);
    }
    lv_trace_free(run);
    lv_render_free(R);
    SDL_DestroyRenderer(rend);
    SDL_FreeSurface(surf);
    TTF_Quit();
    return 0;
}
