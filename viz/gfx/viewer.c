/* The window: opens it, turns SDL events into the mode machine's inputs (modes.h; mouse
 * positions scaled for high-DPI screens), carries out the requests it answers with (a new run,
 * a scheduler pick, an export...), and draws each frame with render.c. Deliberately thin: what
 * an input means in each mode is decided in modes.c, what it does to the view in vstate.c, both
 * where tests reach them without a window; the picker's in picker.c, the explore job's in
 * explore_ui.c. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <SDL.h>
#include <SDL_ttf.h>
#include "export.h"
#include "render.h"
#include "modes.h"
#include "predict.h"
#include "render_picker.h"
#include "session.h"
#include "textf.h"
#include "viewer.h"

struct lv_viewer {
    lv_trace *tr;
    int owned; /* tr came from a rerun: the viewer frees it */
    lv_viewer_desc d;
    lv_lesson lesson;
    int has_lesson;
    char lesson_title[512];
    char toast[2048];
    double toast_left; /* seconds */
    /* scheduler picks made since the last Ctrl+C or E: a Q asks before they are lost, and
     * quits at the second Q while its question shows */
    int picks_unsaved, quit_asked;
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
    int win_w, win_h; /* the window's size before F made it fullscreen (0: not saved) */
    /* side by side (compare.c): the lower pane's run, and the two panes; NULL: one run */
    lv_trace *tr2;
    int owned2; /* tr2 came from the counterpart callback: the viewer frees it */
    lv_compare *cmp;
    lv_viewport cvp; /* side by side: the whole window */
    int mx, my;      /* the mouse in drawing pixels, or -1 */
    lv_picker pk;    /* the scenario picker */
    lv_pframe pf;
    int pick_req; /* the picker asked for a run of its selection */
    lv_xjob *job; /* an exploration running, or NULL */
    lv_xpanel xp;
    lv_schedview sv;    /* scheduler mode */
    lv_predict pr;      /* predict mode */
    lv_xresult xres;    /* a finished exploration's result, until it is shown */
    int export_asked;   /* E: export once this frame is drawn */
    lv_trace *pr_whole; /* predict mode: the whole run, shown only up to the next question */
    int relayout;       /* the trace changed while handling input: lay out before the next event */
};

/* The state that holds the person's settings, the playhead's flags and the keys' requests:
 * the single view's, or side by side the upper pane's. */
static lv_vstate *VS(lv_viewer *v) {
    return v->cmp ? lv_cmp_vs(v->cmp) : &v->vs;
}

static void sizes(lv_viewer *v, int *ow, int *oh) {
    int ww, wh;
    SDL_GetWindowSize(v->win, &ww, &wh);
    if (SDL_GetRendererOutputSize(v->rend, ow, oh) != 0 || *ow <= 0) {
        *ow = ww;
        *oh = wh;
    }
    v->dpi = ww > 0 ? (double)*ow / ww : 1;
}

static void say(lv_viewer *v, double secs, const char *fmt, const char *arg) {
    lv_textf(v->toast, sizeof v->toast, fmt, arg);
    v->toast_left = secs;
}

static void find_lesson(lv_viewer *v) {
    v->has_lesson = 0;
    memset(&v->lesson, 0, sizeof v->lesson);
    if (v->d.lesson && v->d.lesson(v->d.lesson_ctx, v->tr, &v->lesson) == 0)
        v->has_lesson = v->lesson.title[0] && v->lesson.text[0];
}

static void set_title(lv_viewer *v) {
    char title[256];
    if (v->cmp)
        lv_textf(title, sizeof title, "lockviz: %s / %s | %s", v->tr->scenario, v->tr->variant,
                 v->tr2->variant);
    else
        lv_textf(title, sizeof title, "lockviz: %s / %s", v->tr->scenario, v->tr->variant);
    SDL_SetWindowTitle(v->win, title);
}

/* Shows v->tr above tr2 (owned: the viewer frees it) from now on, with the person's settings
 * of `from` and the playhead at time t. There must be no comparison yet. -1 (said why) when it
 * cannot be built; an owned tr2 is freed then. */
static int compare_set(lv_viewer *v, lv_trace *tr2, int owned, const lv_vstate *from, int64_t t,
                       int playing) {
    lv_cmp_side sides[2] = {lv_cmp_side_of(v->tr, v->d.lesson, v->d.lesson_ctx),
                            lv_cmp_side_of(tr2, v->d.lesson, v->d.lesson_ctx)};
    lv_compare *c = NULL;
    if (lv_cmp_new(sides, &c) != LV_OK) {
        if (owned) lv_trace_free(tr2);
        say(v, 5, lv_tr(from->lang, LV_T_CMP_FAILED), "out of memory");
        return -1;
    }
    lv_cmp_start(c, from, t, playing);
    v->cmp = c;
    v->tr2 = tr2;
    v->owned2 = owned;
    set_title(v);
    return 0;
}

/* Back to one run: the upper pane's, at the same event, with the settings changed meanwhile. */
static void compare_off(lv_viewer *v) {
    long seq = lv_cmp_seq(v->cmp, 0);
    lv_cmp_settings_to(v->cmp, &v->vs);
    int playing = v->vs.playing;
    lv_cmp_free(v->cmp);
    v->cmp = NULL;
    if (v->owned2) lv_trace_free(v->tr2);
    v->tr2 = NULL;
    v->owned2 = 0;
    lv_vs_retarget(&v->vs, v->s); /* the view was on the shared time warp: show it all again */
    v->vs.playing = playing;
    lv_vs_set_seq(&v->vs, seq);
    set_title(v);
}

/* C: the counterpart of the run shown, below it. */
static void compare_on(lv_viewer *v) {
    char err[512] = "";
    lv_trace *t2 = v->d.counterpart(v->d.counterpart_ctx, v->tr, NULL, err, sizeof err);
    if (!t2) {
        say(v, 5, lv_tr(v->vs.lang, LV_T_CMP_FAILED), err);
        return;
    }
    if (compare_set(v, t2, 1, &v->vs, lv_scene_t(v->s, v->vs.play_d), v->vs.playing) != 0) return;
    const lv_cmp_side *sd = &v->cmp->p[1].side;
    char b[160];
    if (sd->role == LV_ROLE_UNKNOWN)
        lv_textf(b, sizeof b, "%s", t2->variant);
    else
        lv_textf(b, sizeof b,
                 lv_tr(v->vs.lang, sd->role == LV_ROLE_BROKEN ? LV_T_CMP_BROKEN : LV_T_CMP_FIXED),
                 t2->variant);
    say(v, 4, lv_tr(v->vs.lang, LV_T_CMP_ON), b);
}

static int sched_run(lv_viewer *v, const int32_t *choices, size_t n, int whole, long seq, int play);

lv_viewer *lv_viewer_open(lv_trace *tr, const lv_viewer_desc *d, char *err, size_t errlen) {
    lv_viewer *v = calloc(1, sizeof *v);
    if (!v) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    v->tr = tr;
    if (d) v->d = *d;
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
    int w = d && d->w > 0 ? d->w : LV_VIEW_W, h = d && d->h > 0 ? d->h : LV_VIEW_H;
    v->win = SDL_CreateWindow("lockviz", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, w, h,
                              SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
    if (!v->win) {
        snprintf(err, errlen, "cannot open a window: %s", SDL_GetError());
        goto fail;
    }
    SDL_SetWindowMinimumSize(v->win, 640, 400);
    set_title(v);
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
    if (d && d->future > 0 && d->future < LV_FUTURE__COUNT) v->vs.future = d->future;
    v->vs.lang = d && d->lang == LV_LANG_ZH ? LV_LANG_ZH : LV_LANG_EN;
    find_lesson(v);
    v->vs.lesson = d && d->lesson_open && v->has_lesson;
    v->mx = v->my = -1;
    if (d && d->compare_tr)
        compare_set(v, d->compare_tr, 0, &v->vs, lv_scene_t(v->s, v->vs.play_d), v->vs.playing);
    if (d && d->picker_open && d->catalog && d->pick)
        lv_picker_open(&v->pk, d->catalog, tr->scenario, tr->variant);
    lv_sv_init(&v->sv);
    lv_pr_init(&v->pr);
    if (d && d->sched_start && d->sched && !v->cmp) {
        if (sched_run(v, d->sched_choices, d->sched_nchoices, 0, LONG_MAX, 0) != 0) {
            lv_textf(err, errlen, "%s", v->toast);
            goto fail;
        }
        v->sv.on = 1;
    }
    return v;
fail:
    lv_viewer_close(v);
    return NULL;
}

void lv_viewer_close(lv_viewer *v) {
    if (!v) return;
    if (v->job) { /* the job reads the trace: it ends before the trace goes */
        lv_xresult r;
        lv_xjob_cancel(v->job);
        lv_xjob_finish(v->job, &r);
        lv_trace_free(r.failing);
    }
    lv_pframe_free(&v->pf);
    lv_sv_free(&v->sv);
    lv_pr_free(&v->pr);
    lv_trace_free(v->pr_whole);
    lv_cmp_free(v->cmp); /* before the traces its scenes point into */
    if (v->owned2) lv_trace_free(v->tr2);
    lv_frame_free(&v->f);
    lv_state_free(&v->st);
    lv_scene_free(v->s);
    lv_render_free(v->R);
    if (v->owned) lv_trace_free(v->tr);
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
    case SDLK_r:
        return LV_KEY_RERUN;
    case SDLK_v:
        return LV_KEY_VARIANT;
    case SDLK_e:
        return LV_KEY_EXPORT;
    case SDLK_l:
        return LV_KEY_LANG;
    case SDLK_i:
        return LV_KEY_LESSON;
    case SDLK_c:
        return LV_KEY_COMPARE;
    case SDLK_o:
        return LV_KEY_PICKER;
    case SDLK_x:
        return LV_KEY_EXPLORE;
    case SDLK_t:
        return LV_KEY_TIMEVIEW;
    case SDLK_g:
        return LV_KEY_AHEAD;
    case SDLK_s:
        return LV_KEY_SCHED;
    case SDLK_p:
        return LV_KEY_PREDICT;
    case SDLK_a:
        return LV_KEY_AUTO;
    case SDLK_f:
        return LV_KEY_FULLSCREEN;
    case SDLK_TAB:
        return LV_KEY_TAB;
    case SDLK_RETURN:
    case SDLK_KP_ENTER:
        return LV_KEY_ENTER;
    default:
        return LV_KEY_NONE;
    }
}

/* A key as the mode machine takes it: its lv_key, its digit, its letter, the modifiers. */
static lv_mode_in key_in(const SDL_Keysym *ks) {
    SDL_Keycode c = ks->sym;
    lv_mode_in in = {.kind = LV_MI_KEY, .key = key_of(c), .digit = -1};
    if (c >= SDLK_0 && c <= SDLK_9) in.digit = (int)(c - SDLK_0);
    if (c >= SDLK_KP_1 && c <= SDLK_KP_9) in.digit = (int)(c - SDLK_KP_1) + 1;
    if (c == SDLK_KP_0) in.digit = 0;
    if (in.digit >= 0) in.key = LV_KEY_DIGIT;
    if (c >= SDLK_a && c <= SDLK_z) in.letter = (int)c;
    in.mods = (ks->mod & KMOD_SHIFT ? LV_KMOD_SHIFT : 0) |
              (ks->mod & KMOD_CTRL ? LV_KMOD_CTRL : 0) | (ks->mod & KMOD_ALT ? LV_KMOD_ALT : 0) |
              (ks->mod & KMOD_GUI ? LV_KMOD_GUI : 0);
    return in;
}

static int show(lv_viewer *v, lv_trace *nt);
static int layout(lv_viewer *v);

/* ---- scheduler mode: the runs go through d.sched; what can run and why is schedview.c's ---- */

/* A scheduler run replaces the trace shown; the playhead at seq (clamped), playing or not. */
static int sched_run(lv_viewer *v, const int32_t *choices, size_t n, int whole, long seq,
                     int play) {
    char err[512] = "";
    long diverged = -1;
    lv_trace *nt = v->d.sched->run(v->d.sched_ctx, choices, n, whole, &diverged, err, sizeof err);
    if (!nt) {
        say(v, 5, lv_tr(v->vs.lang, LV_T_SCHED_FAILED), err);
        return -1;
    }
    if (show(v, nt) != 0) {
        say(v, 5, lv_tr(v->vs.lang, LV_T_SCHED_FAILED), "out of memory");
        return -1;
    }
    v->sv.whole = whole;
    lv_vs_set_seq(&v->vs, seq);
    v->vs.playing = play;
    v->relayout = 1;
    v->toast[0] = 0; /* an old refusal does not describe the new run */
    if (diverged >= 0) {
        char nb[32];
        snprintf(nb, sizeof nb, "%ld", diverged);
        say(v, 6, lv_tr(v->vs.lang, LV_T_SCHED_DIVERGED), nb);
    }
    return 0;
}

/* The schedule of the trace shown, copied: a run replaces (and frees) that trace. */
static int32_t *schedule_copy(const lv_trace *tr, size_t *n) {
    *n = tr->nschedule;
    int32_t *c = malloc((tr->nschedule ? tr->nschedule : 1) * sizeof *c);
    if (c && tr->nschedule) memcpy(c, tr->schedule, tr->nschedule * sizeof *c);
    return c;
}

/* ---- predict mode: the run is shown up to the next question; the whole is kept aside ---- */

/* Shows the whole run up to the first question after seq (all of it when none is left). */
static int predict_reveal(lv_viewer *v, long seq, int play) {
    lv_predict *pr = &v->pr;
    lv_sched_point p;
    int have = v->d.sched->point(v->d.sched_ctx, lv_pr_from(pr, seq), &p) == 0;
    if (lv_pr_peek(pr, v->pr_whole, seq, have ? &p : NULL) != LV_OK) return -1;
    size_t n = pr->q.kind != LV_PQ_NONE ? (size_t)pr->q.seq : v->pr_whole->nevents;
    lv_trace *nt = NULL;
    /* the whole schedule stays: an export of what is shown replays the whole run */
    if (lv_trace_prefix(v->pr_whole, n ? n : 1, v->pr_whole->nschedule, &nt) != LV_OK ||
        show(v, nt) != 0) {
        say(v, 5, lv_tr(v->vs.lang, LV_T_SCHED_FAILED), "out of memory");
        return -1;
    }
    lv_vs_set_seq(&v->vs, seq);
    v->vs.playing = play;
    v->relayout = 1;
    return 0;
}

/* Predict mode off: the whole run again, the playhead where it was. */
static void predict_off(lv_viewer *v) {
    if (!v->pr.on) return;
    v->pr.on = 0;
    lv_pr_reset(&v->pr);
    lv_trace *whole = v->pr_whole;
    v->pr_whole = NULL;
    long seq = v->vs.seq;
    if (whole && show(v, whole) == 0) { /* the viewer owns it again */
        lv_vs_set_seq(&v->vs, seq);
        v->vs.playing = 0;
    }
    v->relayout = 1;
}

/* Predict mode on: the run shown, through the scheduler (its choice points are the
 * questions), kept aside whole; it plays from the playhead to the first question. */
static void predict_on(lv_viewer *v) {
    size_t n;
    int32_t *c = schedule_copy(v->tr, &n);
    if (!c) return;
    long seq = v->vs.seq;
    int ok = sched_run(v, c, n, 1, seq, 0) == 0;
    free(c);
    if (!ok) return;
    v->pr_whole = v->tr;
    v->owned = 0; /* pr_whole owns it now: what is shown is a prefix */
    lv_pr_reset(&v->pr);
    v->pr.on = 1;
    if (predict_reveal(v, seq, 1) != 0) {
        predict_off(v);
        return;
    }
    say(v, 4, "%s", lv_tr(v->vs.lang, LV_T_PRED_ON));
}

/* Scheduler mode off: the run shown whole, its choices kept. quiet: nothing said, and the
 * mode ends even when the run fails (for what needs the whole run). */
static void sched_off(lv_viewer *v, int quiet) {
    size_t n;
    int32_t *c = schedule_copy(v->tr, &n);
    if (c && sched_run(v, c, n, 1, v->vs.seq, 0) == 0) {
        v->sv.on = 0;
        if (!quiet) say(v, 3, "%s", lv_tr(v->vs.lang, LV_T_SCHED_OFF));
    }
    free(c);
    if (quiet) v->sv.on = 0;
}

/* Scheduler mode on: the run shown, cut at the choice after the playhead. */
static void sched_on(lv_viewer *v) {
    size_t n;
    int32_t *c = schedule_copy(v->tr, &n);
    if (!c) return;
    long seq = v->vs.seq;
    if (sched_run(v, c, n, 1, seq, 0) == 0) { /* the same run: its choice points */
        lv_sched_point p;
        if (v->d.sched->point(v->d.sched_ctx, seq, &p) == 0)
            sched_run(v, c, p.index, 0, LONG_MAX, 0);
        v->sv.on = 1;
        say(v, 3, "%s", lv_tr(v->vs.lang, LV_T_SCHED_ON));
    }
    free(c);
}

/* A lane clicked or its number typed: thread runs at the choice after the playhead. */
static void sched_pick(lv_viewer *v, int32_t thread) {
    int lang = v->vs.lang;
    char b[LV_SV_WHY + 128];
    /* while the last pick's step still plays, this one goes after it */
    long at = lv_sv_pick_seq(&v->sv, v->tr, v->vs.seq, v->vs.playing);
    int queued = at != v->vs.seq;
    lv_sched_point p;
    if (v->d.sched->point(v->d.sched_ctx, at, &p) != 0) {
        say(v, 4, "%s", lv_tr(lang, LV_T_SCHED_NONE));
        return;
    }
    if (lv_sv_update(&v->sv, v->s, at, &p, lang) != LV_OK) return;
    if (!lv_sv_can_run(&v->sv, thread)) {
        lv_textf(b, sizeof b, lv_tr(lang, LV_T_SCHED_REFUSED), lv_trace_thread_name(v->tr, thread),
                 v->sv.why[thread]);
        say(v, 5, "%s", b);
        return;
    }
    int32_t *c = NULL;
    size_t n = 0;
    if (lv_sv_choices(v->tr, p.index, thread, &c, &n) != LV_OK) return;
    /* plays the step it made; a queued one after the step playing now */
    int ran = sched_run(v, c, n, 0, queued ? v->vs.seq : (long)p.nbefore - 1, 1) == 0;
    free(c);
    if (!ran) return;
    v->picks_unsaved = 1;
    const char *name = lv_trace_thread_name(v->tr, thread);
    if (v->tr->outcome == LV_OUT_ABORTED && lv_sv_step_events(v->tr, p.nbefore, thread) == 0) {
        lv_textf(b, sizeof b, lv_tr(lang, LV_T_SCHED_NO_STEP), name);
        say(v, 6, "%s", b);
    } else if (queued) {
        lv_textf(b, sizeof b, lv_tr(lang, LV_T_SCHED_QUEUED), name);
        say(v, 3, "%s", b);
    }
}

/* A: the policy runs on from the choices made, playing. */
static void sched_auto(lv_viewer *v) {
    if (v->sv.whole) {
        v->vs.playing = 1;
        return;
    }
    size_t n;
    int32_t *c = schedule_copy(v->tr, &n);
    if (!c) return;
    sched_run(v, c, n, 1, v->vs.seq, 1);
    free(c);
}

size_t lv_viewer_schedule_command(const lv_viewer *v, char *buf, size_t len) {
    return lv_schedule_command(v->tr, buf, len);
}

/* Ctrl+C: the command that replays what is shown, to the clipboard and the terminal. */
static void sched_copy(lv_viewer *v) {
    size_t need = lv_schedule_command(v->tr, NULL, 0) + 1;
    char *b = malloc(need);
    if (!b) return;
    lv_schedule_command(v->tr, b, need);
    if (SDL_SetClipboardText(b) != 0)
        fprintf(stderr, "lockviz: the clipboard refused the schedule: %s\n", SDL_GetError());
    printf("schedule: %s\n", b);
    fflush(stdout);
    v->picks_unsaved = 0;
    say(v, 6, lv_tr(v->vs.lang, LV_T_SCHED_COPIED), b);
    free(b);
}

/* A guess for the open question; the run plays on after it. */
static void predict_answer(lv_viewer *v, int64_t guess) {
    if (!v->pr.on || !v->pr.open) return;
    lv_pq q = v->pr.q;
    int lang = v->vs.lang, r = lv_pr_answer(&v->pr, guess);
    if (r < 0) {
        say(v, 3, "%s", lv_tr(lang, LV_T_PRED_NOT_AN_ANSWER));
        return;
    }
    char what[256], said[128], b[512], val[32];
    if (q.kind == LV_PQ_THREAD) {
        lv_textf(what, sizeof what, lv_tr(lang, LV_T_PRED_RUNS),
                 lv_trace_thread_name(v->tr, (int32_t)q.answer));
        lv_textf(said, sizeof said, "%s", lv_trace_thread_name(v->tr, (int32_t)guess));
    } else {
        snprintf(val, sizeof val, "%lld", (long long)q.answer);
        lv_textf(what, sizeof what, lv_tr(lang, LV_T_PRED_READS),
                 lv_trace_thread_name(v->tr, q.thread), lv_trace_object_name(v->tr, q.obj), val);
        snprintf(said, sizeof said, "%lld", (long long)q.opts[guess - 1]);
    }
    if (r)
        lv_textf(b, sizeof b, lv_tr(lang, LV_T_PRED_RIGHT), what);
    else
        lv_textf(b, sizeof b, lv_tr(lang, LV_T_PRED_WRONG), what, said);
    say(v, 4, "%s", b);
    predict_reveal(v, v->vs.seq, 1); /* on to the next question */
}

/* F: fullscreen on the screen the window is on, and back. */
static void toggle_fullscreen(lv_viewer *v) {
    int full = (SDL_GetWindowFlags(v->win) & SDL_WINDOW_FULLSCREEN_DESKTOP) != 0;
    if (!full) SDL_GetWindowSize(v->win, &v->win_w, &v->win_h);
    if (SDL_SetWindowFullscreen(v->win, full ? 0 : SDL_WINDOW_FULLSCREEN_DESKTOP) != 0) {
        say(v, 4, lv_tr(VS(v)->lang, LV_T_FULLSCREEN_FAILED), SDL_GetError());
        return;
    }
    /* back to the size it had: without a window manager (or on some drivers) the window
     * would keep the screen's size */
    if (full && v->win_w > 0 && v->win_h > 0) SDL_SetWindowSize(v->win, v->win_w, v->win_h);
}

/* The lesson panel's texts for vp, in the state's language (NULL when closed or none). */
static void lesson_view(lv_viewer *v) {
    v->vp.lesson_title = v->vp.lesson_text = NULL;
    if (!v->vs.lesson || !v->has_lesson) return;
    int l = v->vs.lang;
    const char *t = v->lesson.title[l] ? v->lesson.title[l] : v->lesson.title[0];
    char vb[256];
    lv_textf(vb, sizeof vb, lv_tr(l, LV_T_VARIANT), v->lesson.variant ? v->lesson.variant : "");
    lv_textf(v->lesson_title, sizeof v->lesson_title, "%s  ·  %s", t, vb);
    v->vp.lesson_title = v->lesson_title;
    v->vp.lesson_text = v->lesson.text[l] ? v->lesson.text[l] : v->lesson.text[0];
}

/* After layout(): the picker over the same viewport (the mouse shows what a click would do). */
static int layout_picker(lv_viewer *v) {
    lv_viewport pv = v->vp;
    pv.hover_x = v->vs.mouse_x;
    pv.hover_y = v->vs.mouse_y;
    return lv_picker_layout(&v->pf, &v->pk, v->d.catalog, &pv) == LV_OK ? 0 : -1;
}

static int layout(lv_viewer *v) {
    int ow, oh;
    sizes(v, &ow, &oh);
    char err[256];
    if (lv_render_rescale(v->R, lv_ui_scale(ow, oh, v->dpi), err, sizeof err) != 0)
        fprintf(stderr, "lockviz view: %s (keeping the old fonts)\n", err);
    if (v->cmp) {
        const lv_vstate *vs = lv_cmp_vs(v->cmp);
        v->cvp = (lv_viewport){.w = ow, .h = oh, .highlight = -1, .hover_x = -1, .hover_y = -1};
        lv_render_prepare(v->R, &v->cvp);
        v->cvp.lang = vs->lang;
        v->cvp.help = vs->help;
        v->cvp.toast = v->toast[0] ? v->toast : NULL;
        return lv_cmp_layout(v->cmp, &v->cvp) == LV_OK ? 0 : -1;
    }
    v->vp.w = ow;
    v->vp.h = oh;
    lv_render_prepare(v->R, &v->vp);
    lv_vs_viewport(&v->vs, &v->vp);
    lesson_view(v);
    v->vp.toast = v->toast[0] ? v->toast : NULL; /* the layout keeps a bar for it */
    if (v->pr.on) v->vp.future = LV_FUTURE_SHOW; /* predict mode shows up to its question */
    v->sv.playing = v->vs.playing;
    lv_sv_reserve(&v->sv, &v->vp);
    v->vp.predict = v->pr.on ? &v->pr : NULL;
    if (v->pr.on) v->vp.sched_bar_h = lv_sv_bar_height(&v->vp);
    if (lv_state_seek(&v->st, v->s, v->vs.seq) != LV_OK) return -1;
    if (v->sv.on) {
        lv_sched_point p;
        /* the column shows the choice a pick made now goes to */
        long at = lv_sv_pick_seq(&v->sv, v->tr, v->vs.seq, v->vs.playing);
        int have = v->d.sched->point(v->d.sched_ctx, at, &p) == 0;
        if (lv_sv_update(&v->sv, v->s, at, have ? &p : NULL, v->vs.lang) != LV_OK) return -1;
    }
    if (lv_frame_layout(&v->f, v->s, &v->vp) != LV_OK) return -1;
    if (lv_vs_show_cycle(&v->vs, &v->f)) { /* the deadlock's threads into view */
        v->vp.lane_scroll = v->vs.lane_scroll;
        if (lv_frame_layout(&v->f, v->s, &v->vp) != LV_OK) return -1;
    }
    lv_vs_frame(&v->vs, &v->f);
    lv_pr_layout(&v->pr, &v->f, &v->vp, v->tr);
    if (lv_pr_place(&v->pr, &v->f, v->s) != LV_OK) return -1;
    return lv_sv_layout(&v->sv, &v->f, &v->vp, v->tr) == LV_OK ? 0 : -1;
}

/* A new run (R, V, the picker, explore) replaces the trace; the viewer owns nt from now on.
 * The view starts over, playing. -1 when out of memory: nt is freed, the old run stays. */
static int show(lv_viewer *v, lv_trace *nt) {
    if (v->cmp) compare_off(v); /* its scenes point into the trace replaced here */
    lv_scene *ns = NULL;
    lv_state nst = {0};
    if (lv_scene_new_view(nt, v->vs.time_view, &ns) != LV_OK || lv_state_init(&nst, ns) != LV_OK) {
        lv_scene_free(ns);
        lv_trace_free(nt);
        say(v, 5, lv_tr(v->vs.lang, LV_T_RERUN_FAILED), "out of memory");
        return -1;
    }
    lv_sv_forget(&v->sv); /* it looked at the scene going now */
    lv_state_free(&v->st);
    lv_scene_free(v->s);
    if (v->owned) lv_trace_free(v->tr);
    v->tr = nt;
    v->owned = 1;
    v->s = ns;
    v->st = nst;
    lv_vs_retarget(&v->vs, v->s);
    find_lesson(v);
    set_title(v);
    return 0;
}

/* T and the axis's name: the same run in the time view the state asks for, the playhead on
 * its event. Out of memory: the view stays as it was. */
static void time_view(lv_viewer *v) {
    lv_scene *ns = NULL;
    lv_state nst = {0};
    if (lv_scene_new_view(v->tr, v->vs.time_view, &ns) != LV_OK ||
        lv_state_init(&nst, ns) != LV_OK) {
        lv_scene_free(ns);
        v->vs.time_view = v->s->linear;
        say(v, 5, lv_tr(v->vs.lang, LV_T_RERUN_FAILED), "out of memory");
        return;
    }
    lv_sv_forget(&v->sv);
    lv_state_free(&v->st);
    lv_scene_free(v->s);
    v->s = ns;
    v->st = nst;
    lv_vs_rescene(&v->vs, v->s);
    say(v, 2, "%s", lv_time_view_name(v->s->linear, v->vs.lang));
}

/* R and V: a new run replaces the trace; the view starts over, playing. 0 when it did; -1
 * (and a message saying why) when there is no new run. */
static int rerun(lv_viewer *v, int what) {
    char err[512] = "";
    lv_trace *nt = v->d.rerun(v->d.rerun_ctx, what, err, sizeof err);
    if (!nt) {
        say(v, 5, lv_tr(v->vs.lang, LV_T_RERUN_FAILED), err);
        return -1;
    }
    if (show(v, nt) != 0) return -1;
    char b[64];
    if (what == LV_RERUN_SEED)
        snprintf(b, sizeof b, "%llu", (unsigned long long)nt->seed);
    else
        lv_textf(b, sizeof b, "%s", nt->variant);
    say(v, 3, lv_tr(v->vs.lang, what == LV_RERUN_SEED ? LV_T_NEW_SEED : LV_T_NEW_VARIANT), b);
    return 0;
}

/* R and V, then what scheduler or predict mode does with the new run (then: LV_THEN_*): R
 * starts picking again from the first choice (a new seed is a new run), V keeps the choices
 * made (the other variant under the same choices, where they apply); predict mode starts a new
 * game. */
static void rerun_then(lv_viewer *v, int what, int then) {
    const lv_trace *before = v->tr;
    size_t n = 0;
    int sched = then == LV_THEN_SCHED_FRESH || then == LV_THEN_SCHED_SAME;
    int32_t *c = sched ? schedule_copy(v->tr, &n) : NULL;
    int done = rerun(v, what) == 0 && v->tr != before;
    if (done && then == LV_THEN_PREDICT) predict_on(v);
    if (done && c) {
        if (then == LV_THEN_SCHED_FRESH)
            sched_run(v, NULL, 0, 0, LONG_MAX, 0);
        else
            sched_run(v, c, n, v->sv.whole, LONG_MAX, 0);
    }
    free(c);
}

/* R and V side by side: both panes re-run. The upper pane as rerun() does; the lower one is
 * its counterpart again, with the new run's seed and schedule: for R the same variant as
 * before, for V the counterpart of the new variant. */
static void rerun_compare(lv_viewer *v, int what) {
    lv_vstate keep = *lv_cmp_vs(v->cmp);
    int64_t t = lv_cmp_time(v->cmp);
    lv_cmp_settings_to(v->cmp, &v->vs); /* rerun() words its message in the language shown */
    lv_cmp_free(v->cmp);                /* its scenes point into the trace rerun() replaces */
    v->cmp = NULL;
    lv_trace *t2old = v->tr2;
    int owned2 = v->owned2;
    v->tr2 = NULL;
    v->owned2 = 0;
    if (rerun(v, what) != 0) { /* no new run (rerun() said why): the same two runs again */
        compare_set(v, t2old, owned2, &keep, t, keep.playing);
        return;
    }
    char err[512] = "";
    lv_trace *t2 = NULL;
    if (v->d.counterpart)
        t2 = v->d.counterpart(v->d.counterpart_ctx, v->tr,
                              what == LV_RERUN_SEED ? t2old->variant : NULL, err, sizeof err);
    else
        snprintf(err, sizeof err, lv_tr(keep.lang, LV_T_ONLY_HERE), "C");
    if (owned2) lv_trace_free(t2old);
    if (!t2) { /* one run, the new one, as rerun() left it */
        say(v, 5, lv_tr(keep.lang, LV_T_CMP_FAILED), err);
        set_title(v);
        return;
    }
    compare_set(v, t2, 1, &keep, v->s->t_first, 1);
}

/* O opens the picker on the run shown; a choice in it runs, with the lesson open. */
static void open_picker(lv_viewer *v) {
    lv_picker_open(&v->pk, v->d.catalog, v->tr->scenario, v->tr->variant);
    v->vs.playing = 0;
}

static void pick(lv_viewer *v) {
    char err[512] = "";
    v->pick_req = 0;
    v->pk.open = 0;
    lv_trace *nt = v->d.pick(v->d.pick_ctx, v->pk.sel, v->pk.var, err, sizeof err);
    if (!nt) {
        say(v, 5, lv_tr(v->vs.lang, LV_T_RERUN_FAILED), err);
        return;
    }
    if (show(v, nt) == 0) v->vs.lesson = v->has_lesson;
}

/* X: explore on a thread of its own; the window keeps drawing and polls it every frame. */
static void explore_start(lv_viewer *v) {
    v->job = lv_xjob_start(v->d.explore, v->d.explore_ctx, v->tr);
    if (!v->job)
        say(v, 5, lv_tr(v->vs.lang, LV_T_XP_FAILED), "cannot start a thread");
    else
        v->toast[0] = 0;
}

/* A finished exploration (its result in v->xres): its failing run (if any) becomes the run
 * shown; the message says what happened. */
static void explore_show(lv_viewer *v) {
    lv_xresult r = v->xres;
    v->xres = (lv_xresult){0};
    char msg[sizeof v->toast];
    lv_xresult_message(&r, v->vs.lang, msg, sizeof msg);
    int shown = r.failing && show(v, r.failing) == 0;
    if (shown && v->d.adopt) v->d.adopt(v->d.adopt_ctx, v->tr);
    if (!r.failing || shown) say(v, r.failing ? 12 : 8, "%s", msg);
}

/* E: the frame as drawn now, without the status message or a tooltip over it, plus the
 * trace in both formats. Side by side, the picture shows both panes, and the lower run's trace and
 * Chrome JSON are saved too, under its own names. */
static void export_now(lv_viewer *v) {
    char paths[LV_EXPORT__COUNT][LV_EXPORT_PATH], paths2[LV_EXPORT__COUNT][LV_EXPORT_PATH];
    char err[600] = "";
    unsigned char *px = NULL;
    int w = 0, h = 0;
    if (v->cmp) {
        lv_viewport keep[2];
        for (int k = 0; k < 2; k++) {
            keep[k] = v->cmp->p[k].vp;
            v->cmp->p[k].vp.toast = NULL;
            v->cmp->p[k].vp.hover_x = v->cmp->p[k].vp.hover_y = -1;
        }
        lv_render_compare(v->R, v->cmp, &v->cvp);
        for (int k = 0; k < 2; k++)
            v->cmp->p[k].vp = keep[k];
    } else {
        lv_viewport clean = v->vp;
        clean.toast = NULL;
        clean.hover_x = clean.hover_y = -1;
        lv_render_draw(v->R, v->s, &v->st, &v->f, &clean);
    }
    if (lv_export_paths(NULL, v->tr, paths) != 0 ||
        (v->cmp && lv_export_paths(NULL, v->tr2, paths2) != 0)) {
        snprintf(err, sizeof err, "no free file name in this folder");
    } else if (lv_viewer_read_rgb(v, &px, &w, &h) != 0) {
        snprintf(err, sizeof err, "cannot read the window's pixels: %s", SDL_GetError());
    } else if (lv_export_write(v->tr, paths, px, w, h, err, sizeof err) == 0 &&
               (!v->cmp ||
                (lv_trace_save(v->tr2, paths2[LV_EXPORT_NATIVE], err, sizeof err) == LV_OK &&
                 lv_trace_save_chrome(v->tr2, paths2[LV_EXPORT_CHROME], err, sizeof err) ==
                     LV_OK))) {
        char cwd[PATH_MAX];
        if (!getcwd(cwd, sizeof cwd)) snprintf(cwd, sizeof cwd, ".");
        say(v, 6, lv_tr(VS(v)->lang, LV_T_SAVED_IN), cwd);
        v->picks_unsaved = 0; /* the trace saved replays them */
        size_t n = strlen(v->toast);
        const char *names[LV_EXPORT__COUNT + 2] = {paths[0], paths[1], paths[2]};
        int nn = LV_EXPORT__COUNT;
        if (v->cmp) {
            names[nn++] = paths2[LV_EXPORT_NATIVE];
            names[nn++] = paths2[LV_EXPORT_CHROME];
        }
        for (int i = 0; i < nn && n < sizeof v->toast; i++) {
            n += (size_t)lv_textf(v->toast + n, sizeof v->toast - n, "\n%s", names[i]);
            printf("exported: %s/%s\n", cwd, names[i]);
        }
        fflush(stdout);
    }
    free(px);
    if (*err) {
        say(v, 6, lv_tr(VS(v)->lang, LV_T_EXPORT_FAILED), err);
        fprintf(stderr, "lockviz: export: %s\n", err);
    }
}

/* ---- input: SDL events become the mode machine's inputs (modes.h); its requests are
 * carried out here ---- */

/* An event as the mode machine's input, with what the view needs to carry it out. */
typedef struct win_in {
    lv_mode_in m;
    int x, y, dy, shift, clicks; /* drawing pixels */
} win_in;

static lv_mode_ctx mode_ctx(lv_viewer *v) {
    unsigned can = (v->d.rerun ? LV_CAN_RERUN : 0) | (v->d.counterpart ? LV_CAN_COUNTERPART : 0) |
                   (v->d.sched ? LV_CAN_SCHED : 0) | (v->d.catalog && v->d.pick ? LV_CAN_PICK : 0) |
                   (v->d.explore ? LV_CAN_EXPLORE : 0);
    return (lv_mode_ctx){.compare = v->cmp != NULL,
                         .picker = v->pk.open,
                         .help = VS(v)->help,
                         .exploring = v->job != NULL,
                         .controlled = v->tr->mode == LV_MODE_CONTROLLED,
                         .has_lesson = v->has_lesson,
                         .unsaved = v->picks_unsaved,
                         .asking = v->quit_asked && v->toast_left > 0,
                         .pressed = v->vs.pressed,
                         .dragging = v->vs.dragging,
                         .nthreads = v->tr->nthreads,
                         .can = can,
                         .sv = &v->sv,
                         .pr = &v->pr};
}

/* What a click at (x, y) hits: side by side, the upper pane's header. */
static lv_mode_hit hits(const lv_viewer *v, int x, int y) {
    return lv_mode_hits(v->cmp ? &v->cmp->p[0].f : &v->f, &v->sv, &v->pr, x, y);
}

/* The input's usual meaning: side by side, to compare.c in window pixels; else to the single
 * view's state. */
static void to_view(lv_viewer *v, const win_in *in) {
    lv_compare *c = v->cmp;
    int x = in->x, y = in->y;
    switch (in->m.kind) {
    case LV_MI_KEY:
        if (c)
            lv_cmp_key(c, in->m.key, in->shift);
        else
            lv_vs_key(&v->vs, in->m.key, in->shift);
        break;
    case LV_MI_WHEEL:
        if (c)
            lv_cmp_wheel(c, v->mx, v->my, in->dy, in->shift);
        else
            lv_vs_wheel(&v->vs, &v->f, v->vs.mouse_x, v->vs.mouse_y, in->dy, in->shift);
        break;
    case LV_MI_DOWN:
        if (c)
            lv_cmp_mouse_down(c, x, y);
        else
            lv_vs_mouse_down(&v->vs, &v->f, x, y);
        break;
    case LV_MI_UP:
        if (c)
            lv_cmp_mouse_up(c, x, y);
        else
            lv_vs_mouse_up(&v->vs, &v->f, x, y);
        break;
    case LV_MI_MOVE:
        if (c)
            lv_cmp_mouse_move(c, x, y);
        else
            lv_vs_mouse_move(&v->vs, &v->f, x, y);
        break;
    default:
        break;
    }
}

static void picker_act(lv_viewer *v, lv_pick_act a) {
    if (a == LV_PA_CLOSE) v->pk.open = 0;
    if (a == LV_PA_RUN) v->pick_req = 1;
}

static void input(lv_viewer *v, const win_in *in);

static void carry_out(lv_viewer *v, const win_in *in, const lv_mreq *r) {
    const lv_catalog *cat = v->d.catalog;
    switch (r->kind) {
    case LV_MR_NONE:
        break;
    case LV_MR_VIEW:
        to_view(v, in);
        break;
    case LV_MR_SAY:
        if (r->word[0])
            say(v, r->secs, lv_tr(VS(v)->lang, (lv_tr_key)r->text), r->word);
        else
            say(v, r->secs, "%s", lv_tr(VS(v)->lang, (lv_tr_key)r->text));
        break;
    case LV_MR_NOTE_AHEAD: {
        int fu = v->vs.future;
        say(v, 2, "%s",
            lv_tr(v->vs.lang, fu == LV_FUTURE_HIDE    ? LV_T_AHEAD_HIDE
                              : fu == LV_FUTURE_FAINT ? LV_T_AHEAD_FAINT
                                                      : LV_T_AHEAD_SHOW));
        break;
    }
    case LV_MR_QUIT:
        VS(v)->quit = 1;
        break;
    case LV_MR_QUIT_ASK:
        v->quit_asked = 1;
        say(v, 6, "%s", lv_tr(VS(v)->lang, LV_T_QUIT_ASK));
        break;
    case LV_MR_FULLSCREEN:
        toggle_fullscreen(v);
        break;
    case LV_MR_EXPLORE:
        explore_start(v);
        break;
    case LV_MR_EXPLORE_CANCEL:
        lv_xjob_cancel(v->job);
        break;
    case LV_MR_EXPLORE_SHOW:
        explore_show(v);
        break;
    case LV_MR_COMPARE_ON:
        compare_on(v);
        break;
    case LV_MR_COMPARE_OFF:
        compare_off(v);
        break;
    case LV_MR_SCHED_ON:
        sched_on(v);
        break;
    case LV_MR_SCHED_OFF:
    case LV_MR_SCHED_END:
        sched_off(v, r->kind == LV_MR_SCHED_END);
        break;
    case LV_MR_SCHED_DROP:
        v->sv.on = 0;
        break;
    case LV_MR_PREDICT_ON:
        predict_on(v);
        break;
    case LV_MR_PREDICT_OFF:
        predict_off(v);
        break;
    case LV_MR_AUTO:
        sched_auto(v);
        break;
    case LV_MR_PICK:
        sched_pick(v, r->arg);
        break;
    case LV_MR_ANSWER:
        predict_answer(v, r->arg);
        break;
    case LV_MR_RELEASE:
        v->vs.pressed = 0;
        v->vs.mouse_x = in->x;
        v->vs.mouse_y = in->y;
        break;
    case LV_MR_COPY:
        sched_copy(v);
        break;
    case LV_MR_RERUN:
        rerun_then(v, r->arg, r->then);
        break;
    case LV_MR_RERUN_COMPARE:
        rerun_compare(v, r->arg);
        break;
    case LV_MR_TIME_VIEW:
        time_view(v);
        break;
    case LV_MR_EXPORT: /* after this frame is drawn */
        v->export_asked = 1;
        break;
    case LV_MR_PICKER_OPEN:
        open_picker(v);
        break;
    case LV_MR_PICKER_KEY:
        picker_act(v, lv_picker_key(&v->pk, cat, (lv_pick_key)r->arg));
        break;
    case LV_MR_PICKER_DIGIT:
        picker_act(v, lv_picker_digit(&v->pk, cat, r->arg));
        break;
    case LV_MR_PICKER_CLICK:
        picker_act(v, lv_picker_click(&v->pk, cat, &v->pf, in->x, in->y, in->clicks));
        break;
    case LV_MR_PICKER_CLOSE:
        v->pk.open = 0;
        break;
    case LV_MR_PICKER_RUN:
        pick(v);
        break;
    case LV_MR_POINT:
        VS(v)->mouse_x = in->x;
        VS(v)->mouse_y = in->y;
        break;
    case LV_MR_LANG:
        lv_vs_button(VS(v), LV_BTN_LANG);
        break;
    case LV_MR_AGAIN: /* the mode changed: the same click on the new frame */
        if (layout(v) == 0) {
            win_in again = *in;
            again.m.hit = hits(v, in->x, in->y);
            input(v, &again);
        }
        break;
    }
}

/* The mode machine's requests for in, carried out in order. */
static void input(lv_viewer *v, const win_in *in) {
    lv_mode_ctx c = mode_ctx(v);
    lv_mout o;
    lv_mode_input(&c, &in->m, &o);
    for (int i = 0; i < o.n; i++)
        carry_out(v, in, &o.r[i]);
}

static void handle(lv_viewer *v, const SDL_Event *e) {
    win_in in = {.m = {.kind = LV_MI_MOVE}};
    switch (e->type) {
    case SDL_QUIT:
        VS(v)->quit = 1;
        return;
    case SDL_KEYDOWN:
        in.m = key_in(&e->key.keysym);
        in.shift = (e->key.keysym.mod & KMOD_SHIFT) != 0;
        break;
    case SDL_MOUSEWHEEL:
        in.m.kind = LV_MI_WHEEL;
        in.dy = e->wheel.direction == SDL_MOUSEWHEEL_FLIPPED ? -e->wheel.y : e->wheel.y;
        in.shift = (SDL_GetModState() & KMOD_SHIFT) != 0;
        break;
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP:
        if (e->button.button != SDL_BUTTON_LEFT) return;
        in.m.kind = e->type == SDL_MOUSEBUTTONDOWN ? LV_MI_DOWN : LV_MI_UP;
        in.x = v->mx = (int)(e->button.x * v->dpi);
        in.y = v->my = (int)(e->button.y * v->dpi);
        in.clicks = e->button.clicks;
        in.m.hit = hits(v, in.x, in.y);
        break;
    case SDL_MOUSEMOTION:
        in.x = v->mx = (int)(e->motion.x * v->dpi);
        in.y = v->my = (int)(e->motion.y * v->dpi);
        break;
    case SDL_WINDOWEVENT:
        if (e->window.event != SDL_WINDOWEVENT_LEAVE) return;
        v->vs.mouse_x = v->vs.mouse_y = v->mx = v->my = -1;
        if (v->cmp) lv_cmp_mouse_leave(v->cmp);
        return;
    default:
        return;
    }
    input(v, &in);
}

/* A finished exploration: the mode machine says what its result ends. */
static void explore_poll(lv_viewer *v) {
    if (!v->job || !lv_xjob_done(v->job)) return;
    lv_xjob_finish(v->job, &v->xres);
    v->job = NULL;
    win_in in = {.m = {.kind = LV_MI_EXPLORE_DONE, .found = v->xres.failing != NULL}};
    input(v, &in);
}

int lv_viewer_frame(lv_viewer *v, double dt) {
    /* the frame must exist before the first event is hit-tested against it */
    const lv_frame *f0 = v->cmp ? &v->cmp->p[0].f : &v->f;
    if (!f0->nlanes && !f0->header.h && layout(v) != 0) return 0;
    if (v->pk.open && !v->pf.panel.w && layout_picker(v) != 0) return 0;
    SDL_Event e;
    while (SDL_PollEvent(&e)) {
        handle(v, &e);
        if (v->relayout) { /* a scheduler run replaced the trace: the next click hits it */
            v->relayout = 0;
            if (!v->cmp && layout(v) != 0) return 0;
        }
        /* the next click in this batch hits what the picker shows after this input */
        if (v->pk.open && layout_picker(v) != 0) return 0;
        /* what the view state recorded, and the picker's run: the next events hit-test the
         * frame they leave */
        win_in in = {.m = {.kind = LV_MI_REQUEST, .req = VS(v)->request}};
        VS(v)->request = LV_REQ_NONE;
        if (v->pick_req) {
            v->pick_req = 0;
            in.m.kind = LV_MI_PICKER_RUN;
        } else if (in.m.req == LV_REQ_NONE) {
            continue;
        }
        input(v, &in);
        if (in.m.req == LV_REQ_EXPORT) continue;
        if (layout(v) != 0 || (v->pk.open && layout_picker(v) != 0)) return 0;
    }
    explore_poll(v);
    win_in tick = {.m = {.kind = LV_MI_TICK, .dt = dt}}; /* numbers that waited are taken */
    input(v, &tick);
    if (!v->pk.open) { /* the run waits behind the picker */
        if (v->cmp)
            lv_cmp_tick(v->cmp, dt);
        else
            lv_vs_tick(&v->vs, dt);
    }
    lv_mode_arrive(&v->pr, &v->vs, v->tr->nevents); /* predict mode: the next question */
    if (v->toast_left > 0 && dt > 0 && (v->toast_left -= dt) <= 0) v->toast[0] = 0;
    if (layout(v) != 0) return 0;
    if (v->export_asked) {
        v->export_asked = 0;
        export_now(v);
    }
    if (v->pk.open) {
        if (layout_picker(v) != 0) return 0;
        lv_render_picker(v->R, &v->pf, &v->pk, &v->vp);
        return !VS(v)->quit;
    }
    if (v->cmp) {
        v->cmp->p[0].vp.toast = v->toast[0] ? v->toast : NULL;
        lv_render_compare(v->R, v->cmp, &v->cvp);
    } else {
        v->vp.toast = v->toast[0] ? v->toast : NULL;
        lv_render_draw(v->R, v->s, &v->st, &v->f, &v->vp);
    }
    if (v->job) { /* never side by side: exploring starts from one run */
        size_t done, budget;
        lv_xjob_progress(v->job, &done, &budget);
        lv_xpanel_layout(&v->xp, v->f.timeline, &v->vp, v->tr->scenario, v->tr->variant, done,
                         budget);
        lv_render_xpanel(v->R, &v->xp);
    }
    return !VS(v)->quit;
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
    return v->cmp ? &v->cmp->p[0].vs : &v->vs;
}
const lv_frame *lv_viewer_layout(const lv_viewer *v) {
    return v->cmp ? &v->cmp->p[0].f : &v->f;
}
const lv_compare *lv_viewer_compare(const lv_viewer *v) {
    return v->cmp;
}
const lv_schedview *lv_viewer_sched(const lv_viewer *v) {
    return &v->sv;
}
const lv_predict *lv_viewer_predict(const lv_viewer *v) {
    return &v->pr;
}
const lv_trace *lv_viewer_trace(const lv_viewer *v) {
    return v->tr;
}
const char *lv_viewer_status(const lv_viewer *v) {
    return v->toast;
}
const lv_picker *lv_viewer_picker(const lv_viewer *v) {
    return &v->pk;
}
const lv_pframe *lv_viewer_picker_layout(const lv_viewer *v) {
    return &v->pf;
}
int lv_viewer_exploring(const lv_viewer *v, size_t *done, size_t *budget) {
    size_t d = 0, b = 0;
    if (v->job) lv_xjob_progress(v->job, &d, &b);
    if (done) *done = d;
    if (budget) *budget = b;
    return v->job != NULL;
}
const lv_xpanel *lv_viewer_xpanel(const lv_viewer *v) {
    return &v->xp;
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
        if (v->job)
            SDL_WaitEventTimeout(NULL, 30); /* the progress bar moves; the explorer has the CPU */
        else if (!VS(v)->playing && !VS(v)->dragging)
            SDL_WaitEventTimeout(NULL, 100); /* idle: wake for input, not 60 times a second */
        else
            SDL_Delay(1);
    }
    lv_viewer_close(v);
    return 0;
}
