/* The classroom's keys in a real window (issue 16, item 7): F turns fullscreen on and off; Esc
 * closes what is open and never quits; Q quits at once, but asks first when scheduler picks
 * would be lost and quits at the second Q; ↓ scrolls only lanes that do not all fit. */
#include <SDL.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "predict.h"
#include "support.h"
#include "window_support.h"
#include "sched_support.h"

static SDL_Window *the_window(void) {
    for (Uint32 id = 1; id < 64; id++) {
        SDL_Window *w = SDL_GetWindowFromID(id);
        if (w) return w;
    }
    TEST_FAIL_AT("no window");
}

static lv_viewer *open_on(lv_trace *tr, lv_viewer_desc *vd) {
    char err[512];
    lv_viewer *v = lv_viewer_open(tr, vd, err, sizeof err);
    if (!v) TEST_FAIL_AT("%s", err);
    draw(v, 0);
    return v;
}

/* The help overlay shows its legend: the yellow dot of "an event of the finding you picked",
 * drawn in the highlight colour that the dimmed window behind the overlay no longer has. */
static void help_has_legend(lv_viewer *v, const char *name) {
    shot s = frame(v, 0);
    ASSERT(lv_viewer_state(v)->help);
    lv_rgb c = lv_color_rgb(LV_C_HIGHLIGHT);
    int n = 0;
    for (int y = 0; y < s.h; y++)
        for (int x = 0; x < s.w; x++) {
            const unsigned char *p = pixel(&s, x, y);
            n += p[0] == c.r && p[1] == c.g && p[2] == c.b;
        }
    if (n < 40) TEST_FAIL_AT("%s: the help shows no legend (%d pixels of its dot)", name, n);
    const char *dir = getenv("LV_SHOT_DIR");
    if (dir && *dir) save_shot(&s, name);
    free(s.px);
}

TEST(f_fullscreen_esc_closes_and_never_quits_q_quits) {
    sched_run x;
    lv_trace *tr = sched_run_open(&x, "toilets", NULL);
    lv_viewer_desc vd = {.w = 1280, .h = 720, .lesson = lv_lesson_of};
    lv_viewer *v = open_on(tr, &vd);
    SDL_Window *w = the_window();
    ASSERT_EQ(SDL_GetWindowFlags(w) & SDL_WINDOW_FULLSCREEN_DESKTOP, 0);
    push_key(SDLK_f, 0);
    draw(v, 0);
    int full = (SDL_GetWindowFlags(w) & SDL_WINDOW_FULLSCREEN_DESKTOP) != 0;
    if (!full) /* a display that refuses says so, in the bar */
        ASSERT_CONTAINS(lv_viewer_status(v), "Fullscreen failed");
    push_key(SDLK_f, 0);
    draw(v, 0);
    ASSERT_EQ(SDL_GetWindowFlags(w) & SDL_WINDOW_FULLSCREEN_DESKTOP, 0);
    int ww = 0, wh = 0; /* and back to the size it had, the frame laid out for it */
    SDL_GetWindowSize(w, &ww, &wh);
    ASSERT_EQ(ww, 1280);
    ASSERT_EQ(wh, 720);
    draw(v, 0);
    const lv_frame *lf = lv_viewer_layout(v);
    ASSERT_LE(lf->findings.y + lf->findings.h, (int)(720 * lv_viewer_dpi(v)) + 1);

    /* Esc closes the help, then the lesson, then the highlight, one a press; never quits */
    push_key(SDLK_i, 0);
    push_key(SDLK_h, 0);
    draw(v, 0);
    ASSERT(lv_viewer_state(v)->help);
    ASSERT(lv_viewer_state(v)->lesson);
    help_has_legend(v, "help-en-1280x720.png");
    push_key(SDLK_l, 0);
    help_has_legend(v, "help-zh-1280x720.png");
    push_key(SDLK_l, 0);
    push_key(SDLK_ESCAPE, 0);
    draw(v, 0);
    ASSERT(!lv_viewer_state(v)->help);
    ASSERT(lv_viewer_state(v)->lesson);
    push_key(SDLK_ESCAPE, 0);
    draw(v, 0);
    ASSERT(!lv_viewer_state(v)->lesson);
    for (int i = 0; i < 4; i++) {
        push_key(SDLK_ESCAPE, 0);
        draw(v, 0);
    }
    ASSERT(!lv_viewer_state(v)->quit);

    /* the ten people and main all fit at 1280x720: ↓ moves nothing */
    const lv_frame *f = lv_viewer_layout(v);
    ASSERT_EQ(f->nlanes, tr->nthreads);
    push_key(SDLK_DOWN, 0);
    push_key(SDLK_DOWN, 0);
    draw(v, 0);
    ASSERT_EQ(lv_viewer_state(v)->lane_scroll, 0);
    ASSERT_EQ(lv_viewer_layout(v)->first_lane, 0);

    /* no picks to lose: Q quits at once */
    push_key(SDLK_q, 0);
    ASSERT_EQ(lv_viewer_frame(v, 0), 0);
    lv_viewer_close(v);
    sched_run_close(&x);
}

TEST(down_scrolls_only_lanes_that_do_not_fit) {
    int64_t params[LV_MAX_PARAMS] = {3, 40}; /* 41 lanes: more than fit */
    sched_run x;
    lv_trace *tr = sched_run_open(&x, "toilets", params);
    lv_viewer_desc vd = {.w = 1280, .h = 720};
    lv_viewer *v = open_on(tr, &vd);
    const lv_frame *f = lv_viewer_layout(v);
    ASSERT_LT(f->nlanes, tr->nthreads);
    size_t below = tr->nthreads - f->nlanes;
    for (size_t i = 0; i < below + 5; i++) {
        push_key(SDLK_DOWN, 0);
        draw(v, 0);
    }
    f = lv_viewer_layout(v);
    /* it went down until the last lane showed, and no further */
    ASSERT_GT(lv_viewer_state(v)->lane_scroll, 0);
    ASSERT_EQ((size_t)f->first_lane + f->nlanes, tr->nthreads);
    int at = lv_viewer_state(v)->lane_scroll;
    push_key(SDLK_DOWN, 0);
    draw(v, 0);
    ASSERT_EQ(lv_viewer_state(v)->lane_scroll, at);
    push_key(SDLK_UP, 0);
    draw(v, 0);
    ASSERT_EQ(lv_viewer_state(v)->lane_scroll, at - 1);
    push_key(SDLK_q, 0);
    ASSERT_EQ(lv_viewer_frame(v, 0), 0);
    lv_viewer_close(v);
    sched_run_close(&x);
}

TEST(q_asks_before_scheduler_picks_are_lost) {
    int64_t params[LV_MAX_PARAMS] = {2, 1};
    sched_run x;
    lv_trace *tr = sched_run_open(&x, "ticket", params);
    lv_viewer_desc vd = {.w = 1280,
                         .h = 720,
                         .rerun = lv_rerun_next,
                         .rerun_ctx = &x.again,
                         .sched = &lv_sched_glue_ops,
                         .sched_ctx = &x.sg};
    lv_viewer *v = open_on(tr, &vd);
    push_key(SDLK_s, 0);
    draw(v, 0);
    ASSERT(lv_viewer_sched(v)->on);
    /* scheduler mode on but nothing picked yet: nothing to lose */
    const lv_schedview *sv = lv_viewer_sched(v);
    ASSERT(sv->have_point);
    int32_t th = sv->point.enabled[0];
    push_key(SDLK_0 + th, 0);
    for (int i = 0; i < 4; i++)
        draw(v, 0.5);
    size_t picked = lv_viewer_trace(v)->nschedule;
    ASSERT_GE(picked, 1);
    push_key(SDLK_q, 0);
    ASSERT_EQ(lv_viewer_frame(v, 0), 1); /* asked, not quit */
    ASSERT_CONTAINS(lv_viewer_status(v), "Q again quits");
    ASSERT_EQ(lv_viewer_trace(v)->nschedule, picked); /* nothing was lost meanwhile */
    push_key(SDLK_ESCAPE, 0); /* Esc is not an answer to it: it never quits */
    ASSERT_EQ(lv_viewer_frame(v, 0), 1);
    push_key(SDLK_q, 0);
    ASSERT_EQ(lv_viewer_frame(v, 0), 0);
    lv_viewer_close(v);
    sched_run_close(&x);
}

/* At 1920x1080 the ticket race's notes are longer (fewer cut) than at 1280x720 and its four
 * findings all show, the verdict first (more rows, not the same bigger); the help and its
 * legend fit the window. */
/* What the frame of tr at its end shows at w x h: its findings' rows, and per event the bytes
 * of its note shown (nbytes[seq], 0 when not labelled); returns how many notes are cut. */
static size_t notes_at(lv_trace *tr, int w, int h, size_t *nbytes, size_t *rows) {
    lv_viewer_desc vd = {.w = w, .h = h, .lesson = lv_lesson_of};
    lv_viewer *v = open_on(tr, &vd);
    push_key(SDLK_END, 0);
    draw(v, 0);
    const lv_frame *f = lv_viewer_layout(v);
    size_t cut = 0;
    memset(nbytes, 0, tr->nevents * sizeof *nbytes);
    for (size_t i = 0; i < f->nlabels; i++) {
        nbytes[f->labels[i].seq] = f->labels[i].nbytes;
        cut += f->labels[i].elided;
    }
    *rows = f->nfrows;
    lv_viewer_close(v);
    return cut;
}

TEST(a_projector_window_shows_more) {
    /* more notes, more of their text, and findings rows as many; on
     * the deadlock's timeout fix, whose many notes do not all fit whole at either size (the
     * ticket race's now fit whole at both) */
    lv_trace *dl = run_variant("deadlock", "timeout", 1, NULL, 0);
    size_t *small = calloc(dl->nevents, sizeof *small), *big = calloc(dl->nevents, sizeof *big);
    size_t rows_small, rows_big;
    size_t cut_small = notes_at(dl, 1280, 720, small, &rows_small);
    size_t cut_big = notes_at(dl, 1920, 1080, big, &rows_big);
    size_t longer = 0, shown_small = 0, shown_big = 0, bytes_small = 0, bytes_big = 0;
    for (size_t i = 0; i < dl->nevents; i++) {
        longer += big[i] > small[i];
        shown_small += small[i] > 0;
        shown_big += big[i] > 0;
        bytes_small += small[i];
        bytes_big += big[i];
    }
    /* more notes and more of their words; not fewer cut (more are shown), and two notes of
     * 1280x720 make room for others at 1920x1080: docs/classroom-audit.md says so */
    ASSERT_GT(longer, 0);
    ASSERT_GT(shown_big, shown_small);
    ASSERT_GT(bytes_big, bytes_small);
    (void)cut_small;
    (void)cut_big;
    ASSERT_GE(rows_big, rows_small);
    free(small);
    free(big);
    /* the mouse on the cut end of a note ("…"): its tooltip is that note, whole */
    lv_viewer_desc dd = {.w = 1920, .h = 1080, .lesson = lv_lesson_of};
    lv_viewer *v = open_on(dl, &dd);
    push_key(SDLK_END, 0);
    draw(v, 0);
    const lv_frame *f = lv_viewer_layout(v);
    const lv_label *cut = NULL;
    for (size_t i = 0; i < f->nlabels && !cut; i++)
        if (f->labels[i].elided) cut = &f->labels[i];
    ASSERT(cut);
    uint32_t cut_seq = cut->seq;
    push_mouse(v, SDL_MOUSEMOTION, cut->x + cut->w - 3, cut->y + f->line_h[LV_FONT_NOTE] / 2, 0);
    draw(v, 0);
    ASSERT_EQ(lv_viewer_layout(v)->hover_seq, (long)cut_seq);
    snap(v, "note-hover-1920x1080.png");
    lv_viewer_close(v);
    lv_trace_free(dl);
    /* the ticket race's four findings all show, the verdict first */
    sched_run x;
    lv_trace *tr = sched_run_open(&x, "ticket", NULL);
    lv_viewer_desc vd = {.w = 1920, .h = 1080, .lesson = lv_lesson_of};
    v = open_on(tr, &vd);
    push_key(SDLK_END, 0);
    draw(v, 0);
    f = lv_viewer_layout(v);
    ASSERT_EQ(f->hidden_findings, 0);
    ASSERT_EQ(f->nfrows, tr->nfindings);
    ASSERT_EQ(tr->findings[f->frows[0].finding].kind, LV_FIND_INVARIANT);
    ASSERT_CONTAINS(f->status, "event 113 of 113"); /* numbered from 1 */
    snap(v, "ticket-end-1920x1080.png");
    push_mouse(v, SDL_MOUSEMOTION, 2, 2, 0);
    push_key(SDLK_h, 0);
    help_has_legend(v, "help-en-1920x1080.png");
    push_key(SDLK_l, 0);
    help_has_legend(v, "help-zh-1920x1080.png");
    push_key(SDLK_q, 0);
    ASSERT_EQ(lv_viewer_frame(v, 0), 0);
    lv_viewer_close(v);
    sched_run_close(&x);
}

/* `lockviz view` of a trace lockviz can run again: R, S, P and C re-run it from the file's
 * scenario, variant, parameters, seed and schedule; a live trace cannot be, and says why. */
TEST(a_trace_from_a_file_runs_again) {
    lv_trace *made = run_variant("ticket", "unlocked", 5, "buyers", 3);
    char path[] = "/tmp/lv_classroom_XXXXXX", err[512];
    int fd = mkstemp(path);
    ASSERT_GE(fd, 0);
    close(fd);
    ASSERT_EQ(lv_trace_save(made, path, err, sizeof err), LV_OK);
    lv_trace *tr = NULL;
    ASSERT_EQ(lv_trace_load(path, &tr, err, sizeof err), LV_OK);
    unlink(path);
    lv_host h;
    char why[256];
    ASSERT_EQ(lv_host_for_trace(&h, tr, why, sizeof why), LV_OK);
    h.rerun.quiet = 1;
    lv_viewer_desc vd = lv_host_window(&h, 0);
    vd.play = 0;
    lv_viewer *v = open_on(tr, &vd);
    push_key(SDLK_r, 0); /* the next seed, the file's scenario, variant and parameters */
    draw(v, 0);
    const lv_trace *r = lv_viewer_trace(v);
    ASSERT(r != tr);
    ASSERT_STR_EQ(r->scenario, "ticket");
    ASSERT_STR_EQ(r->variant, "unlocked");
    ASSERT_EQ(r->seed, 6);
    ASSERT_EQ(r->nthreads, 4); /* main and the three buyers */
    /* "New run: ..." sits in the bar under the lanes, over none of them */
    ASSERT_CONTAINS(lv_viewer_status(v), "New run");
    const lv_frame *f = lv_viewer_layout(v);
    ASSERT_GT(f->message.h, 0);
    for (size_t i = 0; i < f->nlanes; i++)
        ASSERT_LE(f->lanes[i].r.y + f->lanes[i].r.h, f->message.y);
    push_key(SDLK_s, 0); /* scheduler mode on the run shown */
    draw(v, 0);
    ASSERT(lv_viewer_sched(v)->on);
    push_key(SDLK_s, 0);
    draw(v, 0);
    ASSERT(!lv_viewer_sched(v)->on);
    size_t whole = lv_viewer_trace(v)->nevents;
    push_key(SDLK_p, 0); /* predict mode: the run shown again, up to its first question */
    draw(v, 0);
    ASSERT(lv_viewer_predict(v)->on);
    ASSERT_NE(lv_viewer_predict(v)->q.kind, LV_PQ_NONE);
    ASSERT_LT(lv_viewer_trace(v)->nevents, whole);
    push_key(SDLK_p, 0);
    draw(v, 0);
    ASSERT(!lv_viewer_predict(v)->on);
    push_key(SDLK_c, 0); /* beside its fix */
    draw(v, 0);
    ASSERT(lv_viewer_compare(v));
    push_key(SDLK_q, 0);
    ASSERT_EQ(lv_viewer_frame(v, 0), 0);
    lv_viewer_close(v);
    lv_host_free(&h);
    tr->mode = LV_MODE_LIVE; /* a live run has no schedule to replay */
    ASSERT_EQ(lv_host_for_trace(&h, tr, why, sizeof why), LV_EUNSUPPORTED);
    ASSERT_CONTAINS(why, "live");
    free(tr->scenario);
    tr->scenario = strdup("nosuch");
    ASSERT_EQ(lv_host_for_trace(&h, tr, why, sizeof why), LV_EUNSUPPORTED);
    ASSERT_CONTAINS(why, "nosuch");
    lv_trace_free(tr);
    lv_trace_free(made);
}

TEST_MAIN(TEST_ENTRY(a_trace_from_a_file_runs_again, 60),
          TEST_ENTRY(a_projector_window_shows_more, 60),
          TEST_ENTRY(f_fullscreen_esc_closes_and_never_quits_q_quits, 60),
          TEST_ENTRY(down_scrolls_only_lanes_that_do_not_fit, 60),
          TEST_ENTRY(q_asks_before_scheduler_picks_are_lost, 60))
