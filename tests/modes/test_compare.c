/* Side by side without a window: the shared time warp, the merged order and its stepping
 * checked against a brute-force merge, one playhead and one zoom in both panes whatever pane
 * the input lands in, the label columns lined up, the schedules' agreement, and the
 * counterpart runs the glue makes (same seed, the schedule replayed, the refusals). */
#include "compare.h"
#include "glue.h"
#include "registry.h"
#include "support.h"
#include "test.h"

/* The counterpart as the window makes it: tr's seed and schedule. */
static lv_trace *beside(const lv_trace *tr, const char *variant) {
    const lv_scenario *sc = lv_scenario_find(tr->scenario);
    lv_run_desc d = {.scenario = sc, .mode = LV_MODE_CONTROLLED, .seed = tr->seed};
    lv_rerun r;
    lv_rerun_init(&r, &d);
    r.quiet = 1;
    char err[512] = "";
    lv_trace *out = lv_counterpart_next(&r, tr, variant, err, sizeof err);
    if (!out) TEST_FAIL_AT("counterpart: %s", err);
    return out;
}

static lv_compare *pair(const lv_trace *a, const lv_trace *b) {
    lv_cmp_side sides[2] = {{.tr = a, .role = LV_ROLE_BROKEN}, {.tr = b, .role = LV_ROLE_FIXED}};
    lv_compare *c = NULL;
    ASSERT_EQ(lv_cmp_new(sides, &c), LV_OK);
    return c;
}

static lv_viewport window(int lang) {
    return (lv_viewport){
        .w = 1280, .h = 720, .highlight = -1, .hover_x = -1, .hover_y = -1, .lang = lang};
}

static void lay(lv_compare *c) {
    lv_viewport w = window(c->p[0].vs.lang);
    ASSERT_EQ(lv_cmp_layout(c, &w), LV_OK);
}

/* Brute force: events of both runs sorted by (time, pane, seq); the playhead at step m
 * has seen, in each pane, the events among steps 0..m. */
typedef struct ref_step {
    int64_t t;
    int pane;
    long seq;
} ref_step;

static int cmp_ref(const void *x, const void *y) {
    const ref_step *a = x, *b = y;
    if (a->t != b->t) return a->t < b->t ? -1 : 1;
    if (a->pane != b->pane) return a->pane - b->pane;
    return (a->seq > b->seq) - (a->seq < b->seq);
}

static ref_step *reference(const lv_trace *a, const lv_trace *b, size_t *n) {
    *n = a->nevents + b->nevents;
    ref_step *r = malloc(*n * sizeof *r);
    ASSERT(r);
    size_t k = 0;
    for (size_t i = 0; i < a->nevents; i++)
        r[k++] = (ref_step){a->events[i].t, 0, (long)i};
    for (size_t i = 0; i < b->nevents; i++)
        r[k++] = (ref_step){b->events[i].t, 1, (long)i};
    qsort(r, *n, sizeof *r, cmp_ref);
    return r;
}

/* Both panes at the playhead: the same time, the same x, each on its last event seen. */
static void in_step(lv_compare *c, const ref_step *ref) {
    lay(c);
    long m = c->m;
    long seen[2] = {-1, -1};
    for (long i = 0; i <= m; i++)
        seen[ref[i].pane] = ref[i].seq;
    ASSERT_EQ(c->p[0].vs.seq, seen[0]);
    ASSERT_EQ(c->p[1].vs.seq, seen[1]);
    ASSERT_EQ(c->p[0].vp.seq, seen[0]);
    ASSERT_EQ(c->p[1].vp.seq, seen[1]);
    ASSERT_EQ(c->p[0].vp.play_t, c->p[1].vp.play_t);
    ASSERT_EQ(c->p[0].vp.play_t, ref[m].t);
    ASSERT_EQ(lv_cmp_time(c), ref[m].t);
    ASSERT_EQ(c->p[0].f.playhead_x, c->p[1].f.playhead_x);
    ASSERT_GE(c->p[0].f.playhead_x, c->p[0].f.x0);
}

TEST(one_warp_maps_both_runs_alike) {
    lv_trace *a = run_variant("ticket", "unlocked", 1, "buyers", 3);
    lv_trace *b = beside(a, "locked");
    lv_compare *c = pair(a, b);
    const lv_scene *sa = c->p[0].s, *sb = c->p[1].s;
    ASSERT_EQ(sa->t_first, sb->t_first);
    ASSERT_EQ(sa->t_end, sb->t_end);
    int64_t last = a->events[a->nevents - 1].t > b->events[b->nevents - 1].t
                       ? a->events[a->nevents - 1].t
                       : b->events[b->nevents - 1].t;
    ASSERT_EQ(sa->t_last, last);
    /* every event time of either run, and times between them, at one display position */
    for (size_t i = 0; i < a->nevents; i++)
        ASSERT(lv_scene_d(sa, a->events[i].t) == lv_scene_d(sb, a->events[i].t));
    for (size_t i = 0; i < b->nevents; i++) {
        ASSERT(lv_scene_d(sa, b->events[i].t) == lv_scene_d(sb, b->events[i].t));
        ASSERT(lv_scene_d(sa, b->events[i].t + 333) == lv_scene_d(sb, b->events[i].t + 333));
    }
    /* a run's own scene squeezes the other run's long stretch differently: the shared warp is
     * not just one of the two */
    lv_scene *own = NULL;
    ASSERT_EQ(lv_scene_new(a, &own), LV_OK);
    ASSERT_LT(own->t_last, sa->t_last);
    lv_scene_free(own);
    lv_cmp_free(c);
    lv_trace_free(a);
    lv_trace_free(b);
}

TEST(stepping_walks_the_merged_order_with_both_playheads) {
    lv_trace *a = run_variant("ticket", "unlocked", 3, "buyers", 3);
    lv_trace *b = beside(a, "locked");
    lv_compare *c = pair(a, b);
    size_t n;
    ref_step *ref = reference(a, b, &n);
    ASSERT_EQ(c->nsteps, n);
    size_t m0 = 0; /* it starts at the first moment: every event at that time, of both runs */
    while (m0 + 1 < n && ref[m0 + 1].t == ref[0].t)
        m0++;
    ASSERT_GT(m0, 0);
    ASSERT_EQ(c->m, (long)m0);
    in_step(c, ref);
    lv_cmp_key(c, LV_KEY_HOME, 0);
    /* → through every step, one at a time */
    for (size_t i = 1; i < n; i++) {
        lv_cmp_key(c, LV_KEY_RIGHT, 0);
        ASSERT_EQ(c->m, (long)i);
        if (i % 7 == 0 || i + 1 == n) in_step(c, ref);
        ASSERT_EQ(c->p[0].vs.seq + c->p[1].vs.seq + 2, (long)i + 1);
    }
    lv_cmp_key(c, LV_KEY_RIGHT, 0); /* stays at the end */
    ASSERT_EQ(c->m, (long)n - 1);
    ASSERT_EQ(c->p[0].vs.seq, (long)a->nevents - 1);
    ASSERT_EQ(c->p[1].vs.seq, (long)b->nevents - 1);
    /* ← back three, Home, End */
    for (int i = 0; i < 3; i++)
        lv_cmp_key(c, LV_KEY_LEFT, 0);
    ASSERT_EQ(c->m, (long)n - 4);
    in_step(c, ref);
    lv_cmp_key(c, LV_KEY_HOME, 0);
    ASSERT_EQ(c->m, 0);
    lv_cmp_key(c, LV_KEY_END, 0);
    ASSERT_EQ(c->m, (long)n - 1);
    in_step(c, ref);
    /* the step of an event, both ways */
    for (size_t i = 0; i < n; i += 5)
        ASSERT_EQ(lv_cmp_step_of(c, ref[i].pane, ref[i].seq), (long)i);
    free(ref);
    lv_cmp_free(c);
    lv_trace_free(a);
    lv_trace_free(b);
}

TEST(playing_moves_one_time_through_both_runs) {
    lv_trace *a = run_variant("ticket", "unlocked", 1, "buyers", 4);
    lv_trace *b = beside(a, "locked");
    lv_compare *c = pair(a, b);
    size_t n;
    ref_step *ref = reference(a, b, &n);
    lay(c);
    for (int i = 0; i < 3; i++) /* 8 times the speed: to the end within the loop */
        lv_cmp_key(c, LV_KEY_PLUS, 0);
    ASSERT_EQ(c->p[1].vs.speed_level, 3);
    lv_cmp_key(c, LV_KEY_SPACE, 0);
    ASSERT(c->p[0].vs.playing && c->p[1].vs.playing);
    int64_t t_prev = lv_cmp_time(c);
    int moves = 0;
    for (int i = 0; i < 400 && c->p[0].vs.playing; i++) {
        lv_cmp_tick(c, 0.05);
        int64_t t = lv_cmp_time(c);
        ASSERT_GE(t, t_prev);
        moves += t > t_prev;
        t_prev = t;
        /* the step is the last one at or before the time, in both panes */
        ASSERT_LE(ref[c->m].t, t);
        if ((size_t)c->m + 1 < n) ASSERT_GT(ref[c->m + 1].t, t);
        if (i % 20 == 0) {
            lay(c);
            ASSERT_EQ(c->p[0].f.playhead_x, c->p[1].f.playhead_x);
            ASSERT(c->p[0].vs.d0 == c->p[1].vs.d0 && c->p[0].vs.d1 == c->p[1].vs.d1);
        }
    }
    ASSERT_GT(moves, 10);
    ASSERT(!c->p[0].vs.playing); /* it stopped at the end of the longer run */
    ASSERT_EQ(c->m, (long)n - 1);
    /* Space at the end starts over */
    lv_cmp_key(c, LV_KEY_SPACE, 0);
    ASSERT_EQ(c->m, 0);
    ASSERT(c->p[1].vs.playing);
    free(ref);
    lv_cmp_free(c);
    lv_trace_free(a);
    lv_trace_free(b);
}

TEST(input_in_either_pane_moves_both) {
    lv_trace *a = run_variant("ticket", "unlocked", 1, "buyers", 3);
    lv_trace *b = beside(a, "locked");
    lv_compare *c = pair(a, b);
    size_t n;
    ref_step *ref = reference(a, b, &n);
    lay(c);
    lv_cmp_pane *lo = &c->p[1];
    ASSERT_GT(lo->r.y, c->p[0].r.y + c->p[0].r.h - 1); /* one above the other */
    /* the wheel over the lower pane's lanes zooms both */
    int x = lo->r.x + (lo->f.x0 + lo->f.x1) / 2, y = lo->r.y + lo->f.lanes[1].band.y;
    double w0 = c->p[0].vs.d1 - c->p[0].vs.d0;
    lv_cmp_mouse_move(c, x, y);
    lv_cmp_wheel(c, x, y, 3, 0);
    ASSERT(c->p[0].vs.d1 - c->p[0].vs.d0 < w0 * 0.7);
    ASSERT(c->p[0].vs.d0 == lo->vs.d0 && c->p[0].vs.d1 == lo->vs.d1);
    ASSERT_EQ(c->p[0].vs.mouse_x, -1); /* hover only in the pane under the mouse */
    lay(c);
    ASSERT_EQ(c->p[0].f.x0, lo->f.x0);
    /* a drag in the lower pane pans both */
    double d0 = lo->vs.d0;
    lv_cmp_mouse_down(c, x, y);
    lv_cmp_mouse_move(c, x + 40, y);
    lv_cmp_mouse_move(c, x + 120, y);
    lv_cmp_mouse_up(c, x + 120, y);
    ASSERT(lo->vs.d0 < d0);
    ASSERT(c->p[0].vs.d0 == lo->vs.d0);
    lay(c);
    /* a click on the upper pane's timeline: the playhead goes to that moment in both */
    lv_cmp_pane *up = &c->p[0];
    int cx = up->f.x0 + (up->f.x1 - up->f.x0) / 3, cy = up->f.lanes[0].band.y;
    int64_t t = lv_frame_t(&up->f, up->s, cx);
    lv_cmp_mouse_down(c, cx, cy);
    lv_cmp_mouse_up(c, cx, cy);
    long want = -1;
    for (size_t i = 0; i < n && ref[i].t <= t; i++)
        want = (long)i;
    ASSERT_EQ(c->m, want < 0 ? 0 : want);
    in_step(c, ref);
    /* Shift+→: the first finding of either run, marked in its pane, the other unmarked */
    lv_cmp_key(c, LV_KEY_HOME, 0);
    lv_cmp_key(c, LV_KEY_RIGHT, 1);
    ASSERT_GE(c->p[0].vs.highlight, 0);
    ASSERT_EQ(c->p[1].vs.highlight, -1);
    ASSERT_EQ(c->p[0].vs.seq, (long)c->p[0].s->finding_seq[c->p[0].vs.highlight]);
    in_step(c, ref);
    /* a click on a finding row of the upper pane: its events marked, the playhead there */
    lay(c);
    ASSERT_GT(up->f.nfrows, 1);
    lv_rect r = up->f.frows[1].r;
    lv_cmp_mouse_down(c, r.x + r.w / 2, r.y + r.h / 2);
    lv_cmp_mouse_up(c, r.x + r.w / 2, r.y + r.h / 2);
    int fi = up->f.frows[1].finding;
    ASSERT_EQ(up->vs.highlight, fi);
    ASSERT_EQ(c->m, lv_cmp_step_of(c, 0, (long)up->s->finding_seq[fi]));
    in_step(c, ref);
    /* lanes that all fit never scroll; in a window too low for them, they scroll together
     * until the last lane of the larger run shows, and no further */
    ASSERT_EQ(up->f.nlanes, a->nthreads);
    ASSERT_EQ(lo->f.nlanes, b->nthreads);
    lv_cmp_key(c, LV_KEY_DOWN, 0);
    ASSERT_EQ(up->vs.lane_scroll, 0);
    lv_viewport low = window(up->vs.lang);
    low.h = 300;
    ASSERT_EQ(lv_cmp_layout(c, &low), LV_OK);
    ASSERT_LT(up->f.nlanes, a->nthreads);
    for (int i = 0; i < 10; i++) {
        lv_cmp_key(c, LV_KEY_DOWN, 0);
        ASSERT_EQ(lv_cmp_layout(c, &low), LV_OK);
    }
    ASSERT_GT(up->vs.lane_scroll, 0);
    ASSERT_EQ((size_t)up->vs.lane_scroll + up->f.nlanes, a->nthreads);
    ASSERT_EQ(lo->vs.lane_scroll, up->vs.lane_scroll);
    int at = up->vs.lane_scroll;
    lv_cmp_key(c, LV_KEY_UP, 0);
    ASSERT_EQ(up->vs.lane_scroll, at - 1);
    lay(c);
    /* keys that ask the viewer for something land in the upper pane's state */
    lv_cmp_key(c, LV_KEY_COMPARE, 0);
    ASSERT_EQ(c->p[0].vs.request, LV_REQ_COMPARE);
    lv_cmp_key(c, LV_KEY_LANG, 0);
    ASSERT_EQ(lo->vs.lang, LV_LANG_ZH);
    free(ref);
    lv_cmp_free(c);
    lv_trace_free(a);
    lv_trace_free(b);
}

TEST(panes_line_up_and_say_what_they_show) {
    /* two runs whose names need different label widths: the columns still line up */
    lv_trace *a = run_variant("ticket", "unlocked", 1, "buyers", 2);
    lv_trace *b = run_variant("traffic-light", "event", 1, "cars", 2);
    free(b->threads[1].name);
    b->threads[1].name = strdup("a-thread-with-a-long-name");
    lv_viewport w = window(LV_LANG_EN); /* the layout's default measure: 9 pixels a byte */
    int natural[2];
    for (int k = 0; k < 2; k++) { /* each alone */
        lv_scene *s;
        ASSERT_EQ(lv_scene_new(k ? b : a, &s), LV_OK);
        lv_frame f = {0};
        lv_viewport v1 = w;
        v1.h = 357;
        v1.scale = 1;
        ASSERT_EQ(lv_frame_layout(&f, s, &v1), LV_OK);
        natural[k] = f.x0;
        lv_frame_free(&f);
        lv_scene_free(s);
    }
    ASSERT_LT(natural[0], natural[1]);
    lv_compare *c = pair(a, b);
    ASSERT_EQ(lv_cmp_layout(c, &w), LV_OK);
    ASSERT_EQ(c->p[0].f.x0, natural[1]);
    ASSERT_EQ(c->p[0].f.x0, c->p[1].f.x0);
    ASSERT_EQ(c->p[0].f.x1, c->p[1].f.x1);
    ASSERT_EQ(c->p[0].f.findings.h, c->p[1].f.findings.h);
    ASSERT_CONTAINS(c->p[0].f.title, "ticket / unlocked (broken)");
    ASSERT_CONTAINS(c->p[1].f.title, "traffic-light / event (fixed)");
    /* buttons above, legend below, never both in one header */
    ASSERT_GT(c->p[0].f.buttons[LV_BTN_COMPARE].w, 0);
    ASSERT_EQ(c->p[0].f.legend[0].w, 0);
    ASSERT_EQ(c->p[1].f.buttons[LV_BTN_PLAY].w, 0);
    ASSERT_GT(c->p[1].f.legend[4].w, 0);
    ASSERT_LE(c->p[1].f.legend[4].x + c->p[1].f.legend[4].w, c->p[1].f.header.w);
    lv_cmp_free(c);
    lv_trace_free(b);
    /* the lower subtitle says how far the choices agree, in both languages */
    b = beside(a, "locked");
    c = pair(a, b);
    lay(c);
    char want[64];
    size_t same = lv_schedule_same(a, b);
    ASSERT_GT(same, 0);
    ASSERT_LT(same, b->nschedule);
    snprintf(want, sizeof want, "first %zu choices as above", same);
    ASSERT_CONTAINS(c->p[1].f.subtitle, want);
    lv_cmp_key(c, LV_KEY_LANG, 0);
    lay(c);
    snprintf(want, sizeof want, "前 %zu 个选择与上面相同", same);
    ASSERT_CONTAINS(c->p[1].f.subtitle, want);
    ASSERT_CONTAINS(c->p[0].f.title, "（有问题）");
    /* I opens both lessons, each its own variant's */
    lv_cmp_side s2[2] = {{.tr = a, .role = LV_ROLE_BROKEN, .title = {"T"}, .text = {"why A"}},
                         {.tr = b, .role = LV_ROLE_FIXED, .title = {"T"}, .text = {"why B"}}};
    lv_cmp_free(c);
    ASSERT_EQ(lv_cmp_new(s2, &c), LV_OK);
    lv_cmp_key(c, LV_KEY_LESSON, 0);
    lay(c);
    ASSERT_GT(c->p[0].f.lesson.h, 0);
    ASSERT_GT(c->p[1].f.lesson.h, 0);
    ASSERT_CONTAINS(c->p[1].f.llines[1].s, "why B");
    lv_cmp_free(c);
    lv_trace_free(a);
    lv_trace_free(b);
}

TEST(findings_one_line_each_and_the_hint_never_covers_one) {
    lv_trace *a = run_variant("ticket", "unlocked", 1, NULL, 0); /* 4 findings, 11 threads */
    lv_trace *b = beside(a, "locked");
    lv_compare *c = pair(a, b);
    lay(c);
    const lv_frame *f = &c->p[0].f;
    ASSERT_EQ(f->nfrows, a->nfindings);
    for (size_t i = 0; i < f->nfrows; i++)
        ASSERT_EQ(f->frows[i].r.h, f->line_h[LV_FONT_BODY]); /* one line each */
    for (size_t i = 0; i < f->nflines; i++)
        ASSERT_LE(f->flines[i].y + f->line_h[LV_FONT_BODY], f->findings.y + f->findings.h);
    ASSERT_GT(f->hidden_lanes, 0); /* 11 threads do not fit half a window: they scroll */
    lv_cmp_free(c);
    /* a single view too small for all the findings: no line of a finding left out, and none
     * on the last line, where "+N more" goes */
    lv_scene *s;
    ASSERT_EQ(lv_scene_new(a, &s), LV_OK);
    lv_frame sf = {0};
    lv_viewport vp = window(LV_LANG_EN);
    vp.h = 400;
    vp.findings_h = 60;
    ASSERT_EQ(lv_frame_layout(&sf, s, &vp), LV_OK);
    ASSERT_GT(sf.hidden_findings, 0);
    int rows_end = 0;
    for (size_t i = 0; i < sf.nfrows; i++)
        rows_end = sf.frows[i].r.y + sf.frows[i].r.h;
    for (size_t i = 0; i < sf.nflines; i++)
        ASSERT_LE(sf.flines[i].y + sf.line_h[LV_FONT_BODY], rows_end);
    ASSERT_LE(rows_end, sf.findings.y + sf.findings.h - sf.line_h[LV_FONT_NOTE]);
    lv_frame_free(&sf);
    lv_scene_free(s);
    lv_trace_free(a);
    lv_trace_free(b);
}

TEST(counterparts_replay_the_schedule_and_refuse_what_cannot_compare) {
    const lv_scenario *sc = lv_scenario_find("deadlock");
    ASSERT_EQ(lv_counterpart_variant(sc, lv_scenario_variant_index(sc, "two-locks")),
              lv_scenario_variant_index(sc, "ordered"));
    ASSERT_EQ(lv_counterpart_variant(sc, lv_scenario_variant_index(sc, "timeout")),
              lv_scenario_variant_index(sc, "two-locks"));
    sc = lv_scenario_find("toilets");
    ASSERT_EQ(lv_counterpart_variant(sc, lv_scenario_variant_index(sc, "bounded")),
              lv_scenario_variant_index(sc, "semaphore"));
    /* the default counterpart of the race is the lock, with the same seed and parameters */
    lv_trace *a = run_variant("ticket", "unlocked", 5, "buyers", 4);
    lv_trace *b = beside(a, NULL);
    ASSERT_STR_EQ(b->variant, "locked");
    ASSERT_EQ(b->seed, 5);
    ASSERT_EQ(b->nthreads, a->nthreads);
    ASSERT_GT(a->nfindings, 0);
    ASSERT_EQ(b->nfindings, 0);
    /* the choices agree as far as the replay could follow them */
    size_t same = lv_schedule_same(a, b);
    for (size_t i = 0; i < same; i++)
        ASSERT_EQ(a->schedule[i], b->schedule[i]);
    ASSERT(same == a->nschedule || same == b->nschedule || a->schedule[same] != b->schedule[same]);
    /* replaying the counterpart's own schedule gives the same run, byte for byte */
    lv_run_desc d = {.scenario = lv_scenario_find("ticket"),
                     .variant = 1,
                     .mode = LV_MODE_CONTROLLED,
                     .seed = 5,
                     .schedule = b->schedule,
                     .nschedule = b->nschedule};
    int64_t params[2] = {4, 1};
    d.params = params;
    lv_trace *again = NULL;
    ASSERT_EQ(lv_run(&d, &again), LV_OK);
    ASSERT_EQ(again->nevents, b->nevents);
    for (size_t i = 0; i < b->nevents; i++) {
        ASSERT_EQ(again->events[i].t, b->events[i].t);
        ASSERT_EQ(again->events[i].thread, b->events[i].thread);
        ASSERT_EQ(again->events[i].kind, b->events[i].kind);
    }
    lv_trace_free(again);
    /* the refusals, each with its reason */
    lv_run_desc rd = {.scenario = lv_scenario_find("ticket"), .mode = LV_MODE_CONTROLLED};
    lv_rerun r;
    lv_rerun_init(&r, &rd);
    r.quiet = 1;
    char err[512];
    ASSERT(!lv_counterpart_next(&r, a, "unlocked", err, sizeof err));
    ASSERT_CONTAINS(err, "is the variant shown");
    ASSERT(!lv_counterpart_next(&r, a, "nope", err, sizeof err));
    ASSERT_CONTAINS(err, "has no variant 'nope'");
    a->mode = LV_MODE_LIVE;
    ASSERT(!lv_counterpart_next(&r, a, NULL, err, sizeof err));
    ASSERT_CONTAINS(err, "live run");
    a->mode = LV_MODE_CONTROLLED;
    free(a->scenario);
    a->scenario = strdup("homemade");
    ASSERT(!lv_counterpart_next(&r, a, NULL, err, sizeof err));
    ASSERT_CONTAINS(err, "not of one of lockviz's scenarios");
    lv_trace_free(a);
    lv_trace_free(b);
}

TEST(schedules_agree_as_far_as_their_picks) {
    int32_t x[] = {0, 1, 1, 2, 0}, y[] = {0, 1, 2, 2}, z[] = {0, 1};
    lv_trace a = {.schedule = x, .nschedule = 5}, b = {.schedule = y, .nschedule = 4},
             c = {.schedule = z, .nschedule = 2}, e = {0};
    ASSERT_EQ(lv_schedule_same(&a, &b), 2);
    ASSERT_EQ(lv_schedule_same(&a, &c), 2);
    ASSERT_EQ(lv_schedule_same(&c, &a), 2);
    ASSERT_EQ(lv_schedule_same(&a, &a), 5);
    ASSERT_EQ(lv_schedule_same(&a, &e), 0);
}

TEST_MAIN(TEST_ENTRY(one_warp_maps_both_runs_alike, 60),
          TEST_ENTRY(stepping_walks_the_merged_order_with_both_playheads, 60),
          TEST_ENTRY(playing_moves_one_time_through_both_runs, 60),
          TEST_ENTRY(input_in_either_pane_moves_both, 60),
          TEST_ENTRY(panes_line_up_and_say_what_they_show, 60),
          TEST_ENTRY(findings_one_line_each_and_the_hint_never_covers_one, 60),
          TEST_ENTRY(counterparts_replay_the_schedule_and_refuse_what_cannot_compare, 60),
          TEST_ENTRY(schedules_agree_as_far_as_their_picks, 30))
