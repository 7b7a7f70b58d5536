/* The viewer's geometry and state without a window: time <-> x, lanes, state spans in the
 * right colours, note labels that never overlap, hit testing, the pixel bound on a million
 * events, the objects at the playhead, and the input functions of the viewer state. */
#include <math.h>
#include <time.h>
#include "geom.h"
#include "registry.h"
#include "explore_ui.h"
#include "schedview.h"
#include "support.h"
#include "textf.h"
#include "vstate.h"

/* Text as 9 px per byte: the geometry needs widths, not glyphs. */
static int fixed_measure(void *ctx, lv_font_id f, const char *s, size_t n) {
    (void)ctx;
    (void)s;
    return (int)n * (f == LV_FONT_LABEL || f == LV_FONT_TITLE ? 12 : 9);
}

/* test.h's comparisons are for integers */
#define ASSERT_DBL(a, op, b)                                                                       \
    do {                                                                                           \
        double a_ = (a), b_ = (b);                                                                 \
        if (!(a_ op b_))                                                                           \
            TEST_FAIL_AT("assertion failed: %s %s %s (%g vs %g)", #a, #op, #b, a_, b_);            \
    } while (0)

static lv_viewport view(int w, int h) {
    return (lv_viewport){.w = w,
                         .h = h,
                         .seq = -1,
                         .highlight = -1,
                         .hover_x = -1,
                         .hover_y = -1,
                         .measure = fixed_measure};
}

static uint32_t find_event(const lv_trace *tr, int32_t thread, lv_event_kind k, int32_t obj) {
    for (size_t i = 0; i < tr->nevents; i++)
        if (tr->events[i].thread == thread && tr->events[i].kind == k &&
            (obj == LV_NONE || tr->events[i].obj == obj))
            return (uint32_t)i;
    TEST_FAIL_AT("no such event");
}

static const lv_lane *lane_for(const lv_frame *f, int32_t th) {
    for (size_t i = 0; i < f->nlanes; i++)
        if (f->lanes[i].thread == th) return &f->lanes[i];
    TEST_FAIL_AT("no lane for thread %d", th);
}

/* The colour the frame fills at (x, y), or -1. Later fills are drawn over earlier ones. */
static int fill_at(const lv_frame *f, int x, int y) {
    int c = -1;
    for (size_t i = 0; i < f->nfills; i++)
        if (lv_rect_has(f->fills[i].r, x, y)) c = f->fills[i].color;
    return c;
}

/* ---- synthetic traces ---- */

static lv_trace *new_trace(size_t nthreads, size_t nobjects, size_t nevents) {
    lv_trace *tr = calloc(1, sizeof *tr);
    tr->scenario = strdup("synthetic");
    tr->variant = strdup("test");
    tr->mode = LV_MODE_CONTROLLED;
    tr->threads = calloc(nthreads, sizeof *tr->threads);
    tr->nthreads = nthreads;
    for (size_t i = 0; i < nthreads; i++) {
        char nm[32];
        snprintf(nm, sizeof nm, "t%zu", i);
        tr->threads[i] = (lv_trace_thread){(int32_t)i, strdup(nm)};
    }
    tr->objects = calloc(nobjects ? nobjects : 1, sizeof *tr->objects);
    tr->nobjects = nobjects;
    for (size_t i = 0; i < nobjects; i++) {
        char nm[32];
        snprintf(nm, sizeof nm, "L%zu", i);
        tr->objects[i] = (lv_trace_object){(int32_t)i, LV_OBJ_MUTEX, strdup(nm), 0, 0};
    }
    tr->events = calloc(nevents, sizeof *tr->events);
    ASSERT(tr->events);
    return tr;
}

static void put(lv_trace *tr, int64_t t, int32_t th, lv_event_kind k, int32_t obj) {
    lv_event *e = &tr->events[tr->nevents];
    *e = (lv_event){
        .t = t, .seq = (uint32_t)tr->nevents, .thread = th, .obj = obj, .kind = (uint8_t)k};
    tr->nevents++;
}

static void put_note(lv_trace *tr, int64_t t, int32_t th, const char *text) {
    tr->texts = realloc(tr->texts, (tr->ntexts + 1) * sizeof *tr->texts);
    tr->texts[tr->ntexts] = strdup(text);
    put(tr, t, th, LV_EV_NOTE, LV_NONE);
    tr->events[tr->nevents - 1].value = (int64_t)tr->ntexts;
    tr->events[tr->nevents - 1].flags = LV_EVF_TEXT;
    tr->ntexts++;
}

/* ---- time and x ---- */

TEST(time_x_round_trip) {
    lv_trace *tr = run_variant("deadlock", "two-locks", 1, NULL, 0);
    lv_scene *s;
    ASSERT_EQ(lv_scene_new(tr, &s), LV_OK);
    for (int linear = 0; linear < 2; linear++) {
        s->linear = linear;
        lv_frame f = {0};
        lv_viewport vp = view(1280, 720);
        ASSERT_EQ(lv_frame_layout(&f, s, &vp), LV_OK);
        /* the whole trace fills the lanes, first event at the left edge */
        ASSERT_DBL(fabs(lv_frame_x(&f, s, s->t_first) - f.x0), <, 0.5);
        ASSERT_DBL(fabs(lv_frame_x(&f, s, s->t_end) - f.x1), <, 0.5);
        for (int x = f.x0; x <= f.x1; x += 7) { /* x -> t -> x lands on the same pixel */
            int64_t t = lv_frame_t(&f, s, x);
            ASSERT_DBL(fabs(lv_frame_x(&f, s, t) - x), <, 0.5);
        }
        double prev = -1e18;
        for (size_t i = 0; i < tr->nevents; i++) { /* monotonic, and t -> x -> t is exact */
            int64_t t = tr->events[i].t;
            double x = lv_frame_x(&f, s, t);
            ASSERT(x >= prev);
            prev = x;
            ASSERT_LE(llabs(lv_scene_t(s, lv_scene_d(s, t)) - t), 1);
        }
        lv_frame_free(&f);
    }
    /* the warp: the 100 ms sleep does not squeeze the 1 µs steps into a few pixels */
    s->linear = 0;
    lv_frame f = {0};
    lv_viewport vp = view(1280, 720);
    ASSERT_EQ(lv_frame_layout(&f, s, &vp), LV_OK);
    double step_px = lv_frame_x(&f, s, 2000) - lv_frame_x(&f, s, 1000);
    ASSERT_DBL(step_px, >, 5.0);
    lv_frame_free(&f);
    lv_scene_free(s);
    lv_trace_free(tr);
}

TEST(lanes_one_per_thread) {
    lv_trace *tr = run_variant("ticket", "unlocked", 1, NULL, 0);
    lv_scene *s;
    ASSERT_EQ(lv_scene_new(tr, &s), LV_OK);
    lv_frame f = {0};
    lv_viewport vp = view(1280, 720);
    ASSERT_EQ(lv_frame_layout(&f, s, &vp), LV_OK);
    ASSERT_EQ(f.nlanes, tr->nthreads);
    ASSERT_EQ(f.hidden_lanes, 0);
    for (size_t i = 0; i < f.nlanes; i++) {
        const lv_lane *ln = &f.lanes[i];
        ASSERT_EQ(ln->thread, (int32_t)i);
        ASSERT_GE(ln->r.h, f.line_h[LV_FONT_LABEL]); /* a label fits */
        ASSERT_LE(ln->label.x + ln->label.w, f.x0);  /* labels left of the time area */
        ASSERT_GE(ln->band.y, ln->r.y);
        ASSERT_LE(ln->band.y + ln->band.h, ln->r.y + ln->r.h);
        if (i) ASSERT_GE(ln->r.y, f.lanes[i - 1].r.y + f.lanes[i - 1].r.h);
    }
    /* the panels do not overlap the lanes */
    ASSERT_LE(f.x1, f.objects.x);
    ASSERT_LE(f.lanes[f.nlanes - 1].r.y + f.lanes[f.nlanes - 1].r.h, f.findings.y);
    /* readable from the back of a classroom */
    ASSERT_GE(f.font_px[LV_FONT_LABEL], 20);
    ASSERT_GE(f.font_px[LV_FONT_BODY], 16);
    ASSERT_GE(f.font_px[LV_FONT_NOTE], 16);
    /* too many threads to fit: lanes keep their height and the rest scroll */
    lv_viewport small = view(1280, 360);
    small.scale = 1; /* keep the type large: lanes cannot shrink below a label */
    ASSERT_EQ(lv_frame_layout(&f, s, &small), LV_OK);
    ASSERT_GT(f.hidden_lanes, 0);
    ASSERT_EQ(f.nlanes + f.hidden_lanes, tr->nthreads);
    small.lane_scroll = 3;
    ASSERT_EQ(lv_frame_layout(&f, s, &small), LV_OK);
    ASSERT_EQ(f.lanes[0].thread, 3);
    lv_frame_free(&f);
    lv_scene_free(s);
    lv_trace_free(tr);
}

TEST(deadlock_blocked_span_is_drawn_blocked) {
    lv_trace *tr = run_variant("deadlock", "two-locks", 1, NULL, 0);
    lv_scene *s;
    ASSERT_EQ(lv_scene_new(tr, &s), LV_OK);
    int32_t t1 = thread_id(tr, "thread-1"), B = obj_id(tr, "B"), A = obj_id(tr, "A");
    /* thread-1 holds A and asks for B, which it never gets: blocked to the end */
    uint32_t rq = find_event(tr, t1, LV_EV_REQUEST, B);
    const lv_span *sp = lv_scene_span_at(s, t1, tr->events[rq].t);
    ASSERT(sp);
    ASSERT_EQ(sp->state, LV_TS_BLOCKED);
    ASSERT_EQ(sp->on_obj, B);
    ASSERT_EQ(sp->t1, s->t_end);
    /* ... and it holds A all along, with an arrow from A's release that let it in */
    const lv_thread_geo *g = &s->th[t1];
    ASSERT_GE(g->nholds, 1);
    ASSERT_EQ(g->holds[g->nholds - 1].obj, A);
    ASSERT_EQ(g->holds[g->nholds - 1].rel, LV_SEQ_NONE);
    int arrow_to_t1 = 0;
    for (size_t i = 0; i < s->nhandoffs; i++)
        if (tr->events[s->handoffs[i].acq].thread == t1 && s->handoffs[i].obj == A) arrow_to_t1 = 1;
    ASSERT(arrow_to_t1);
    /* main blocks in its join until the end, too */
    const lv_span *mj = lv_scene_span_at(s, 0, s->t_last);
    ASSERT(mj);
    ASSERT_EQ(mj->state, LV_TS_BLOCKED);
    ASSERT_EQ(mj->on_thread, t1);
    /* on screen: the middle of the span is filled in the blocked colour */
    lv_frame f = {0};
    lv_viewport vp = view(1280, 720);
    ASSERT_EQ(lv_frame_layout(&f, s, &vp), LV_OK);
    const lv_lane *ln = lane_for(&f, t1);
    int x = (int)((lv_frame_x(&f, s, sp->t0) + lv_frame_x(&f, s, sp->t1)) / 2);
    ASSERT_EQ(fill_at(&f, x, ln->band.y + ln->band.h / 2), LV_C_BLOCKED);
    ASSERT_GT(f.narrows, 0);
    lv_frame_free(&f);
    lv_scene_free(s);
    lv_trace_free(tr);
}

TEST(sleeping_and_finished_spans) {
    lv_trace *tr = run_variant("ticket", "locked", 1, NULL, 0);
    lv_scene *s;
    ASSERT_EQ(lv_scene_new(tr, &s), LV_OK);
    size_t sleeps = 0;
    for (size_t i = 0; i < tr->nevents; i++) {
        const lv_event *e = &tr->events[i];
        if (e->kind != LV_EV_SLEEP) continue;
        const lv_span *sp = lv_scene_span_at(s, e->thread, e->t);
        ASSERT(sp);
        ASSERT_EQ(sp->state, LV_TS_SLEEPING);
        ASSERT_LE(sp->t1 - sp->t0, e->value); /* never longer than asked */
        sleeps++;
    }
    ASSERT_GT(sleeps, 0);
    uint32_t end = find_event(tr, 1, LV_EV_END, LV_NONE);
    const lv_span *fin = lv_scene_span_at(s, 1, tr->events[end].t);
    ASSERT(fin);
    ASSERT_EQ(fin->state, LV_TS_FINISHED);
    uint32_t start = find_event(tr, 1, LV_EV_START, LV_NONE);
    ASSERT(lv_scene_span_at(s, 1, tr->events[start].t - 1) == NULL); /* not started */
    lv_scene_free(s);
    lv_trace_free(tr);
}

/* ---- labels ---- */

TEST(labels_never_overlap_in_a_crowded_trace) {
    enum { NT = 3, NN = 400 };
    lv_trace *tr = new_trace(NT, 0, NT * (NN + 2));
    for (int k = 0; k < NT; k++)
        put(tr, k, k, LV_EV_START, LV_NONE);
    int64_t t = 1000;
    for (int i = 0; i < NN; i++) {
        t += i % 7 == 0 ? 9000 : 700; /* uneven gaps: some notes close, some far apart */
        for (int k = 0; k < NT; k++) {
            char txt[64];
            snprintf(txt, sizeof txt, "note %d of thread %d, a long line of text", i, k);
            put_note(tr, t + k, k, txt);
        }
    }
    for (int k = 0; k < NT; k++)
        put(tr, tr->events[tr->nevents - 1].t + 1000, k, LV_EV_END, LV_NONE);
    lv_scene *s;
    ASSERT_EQ(lv_scene_new(tr, &s), LV_OK);
    for (int zoom = 0; zoom < 2; zoom++) {
        lv_frame f = {0};
        lv_viewport vp = view(1280, 720);
        if (zoom) { /* zoomed in: more room, more labels */
            vp.t0 = s->t_first;
            vp.t1 = s->t_first + (s->t_end - s->t_first) / 60;
        }
        ASSERT_EQ(lv_frame_layout(&f, s, &vp), LV_OK);
        if (zoom) { /* room for many, though not for every whole text */
            ASSERT_GT(f.nlabels, 10);
            size_t elided = 0;
            for (size_t i = 0; i < f.nlabels; i++)
                elided += f.labels[i].elided;
            ASSERT_GT(elided, 0);
        } else {
            ASSERT_GT(f.total_dropped, 0); /* far too many to show them all */
        }
        for (size_t i = 0; i < f.nlabels; i++) {
            const lv_label *a = &f.labels[i];
            ASSERT_GT(a->nbytes, 0);
            ASSERT_LE(a->x + a->w, f.x1);
            for (size_t j = i + 1; j < f.nlabels; j++) {
                const lv_label *b = &f.labels[j];
                if (a->y != b->y) continue;
                ASSERT(a->x + a->w <= b->x || b->x + b->w <= a->x);
            }
        }
        /* every visible note is either labelled or recorded as dropped */
        size_t visible = 0;
        int64_t tv0 = lv_frame_t(&f, s, f.x0 - 1), tv1 = lv_frame_t(&f, s, f.x1 + 1);
        for (size_t i = 0; i < tr->nevents; i++)
            if (tr->events[i].kind == LV_EV_NOTE && tr->events[i].t >= tv0 &&
                tr->events[i].t <= tv1)
                visible++;
        ASSERT_EQ(f.nlabels + f.total_dropped, visible);
        ASSERT_EQ(f.ndropped, f.total_dropped < LV_DROPPED_MAX ? f.total_dropped : LV_DROPPED_MAX);
        for (size_t i = 0; i < f.ndropped; i++)
            ASSERT_EQ(tr->events[f.dropped[i]].kind, LV_EV_NOTE);
        lv_frame_free(&f);
    }
    lv_scene_free(s);
    lv_trace_free(tr);
}

/* A note's label (fixed_measure: 9 px a byte) takes the first that fits: whole after its
 * tick, whole before it, its first language alone after then before, cut after it; nothing
 * when not even five characters fit. */
TEST(note_label_goes_whole_before_it_is_cut) {
    const char *en = "got lock B (抢到了B锁)"; /* 29 bytes; its head "got lock B" 10 */
    size_t n = strlen(en);
    lv_label lb;
    int tick = 500, off = 4;
    /* room after: whole, text right of the tick */
    ASSERT_EQ(lv_fit_note(fixed_measure, NULL, en, tick, off, 0, 2000, &lb), 1);
    ASSERT_EQ(lb.x, tick + off);
    ASSERT_EQ(lb.tick_x, tick);
    ASSERT_EQ(lb.nbytes, n);
    ASSERT_EQ(lb.elided, 0);
    /* the lanes end 50 px after the tick (a late note): whole, ending off left of the tick */
    ASSERT_EQ(lv_fit_note(fixed_measure, NULL, en, tick, off, 0, tick + 50, &lb), 1);
    ASSERT_EQ(lb.x + lb.w, tick - off);
    ASSERT_EQ(lb.nbytes, n);
    ASSERT_EQ(lb.tick_x, tick);
    /* room for 12 bytes after, 5 before: the first language, after */
    int lo = tick - off - 45, hi = tick + off + 12 * 9;
    ASSERT_EQ(lv_fit_note(fixed_measure, NULL, en, tick, off, lo, hi, &lb), 1);
    ASSERT_EQ(lb.nbytes, 10);
    ASSERT_EQ(lb.x, tick + off);
    ASSERT_EQ(lb.elided, 0);
    ASSERT(memcmp(en, "got lock B", lb.nbytes) == 0);
    /* 5 after, 11 before: the first language, before */
    lo = tick - off - 11 * 9, hi = tick + off + 45;
    ASSERT_EQ(lv_fit_note(fixed_measure, NULL, en, tick, off, lo, hi, &lb), 1);
    ASSERT_EQ(lb.nbytes, 10);
    ASSERT_EQ(lb.x + lb.w, tick - off);
    /* the same in Chinese first: its head is the Chinese part */
    const char *zh = "抢到了B锁 (got lock B)";
    ASSERT_EQ(lv_note_head(zh, strlen(zh)), strlen("抢到了B锁"));
    ASSERT_EQ(lv_note_head(en, n), 10);
    ASSERT_EQ(lv_note_head("n = 5 (lost)", 12), 0); /* one language: no head */
    ASSERT_EQ(lv_note_head("抢到了 (锁)", strlen("抢到了 (锁)")), 0);
    /* 6 bytes after, none before: "got lo" and "…" (the ellipsis is 3 bytes, 27 px) */
    lo = tick + off, hi = tick + off + 6 * 9 + 27;
    ASSERT_EQ(lv_fit_note(fixed_measure, NULL, en, tick, off, lo, hi, &lb), 1);
    ASSERT_EQ(lb.elided, 1);
    ASSERT_EQ(lb.nbytes, 6);
    ASSERT_EQ(lb.w, 6 * 9 + 27);
    /* 4 bytes after: "go…" tells nothing, the note is dropped */
    hi = tick + off + 4 * 9 + 27;
    ASSERT_EQ(lv_fit_note(fixed_measure, NULL, en, tick, off, lo, hi, &lb), 0);
    /* a one-language text goes whole before its tick too, and never left of lo */
    ASSERT_EQ(lv_fit_note(fixed_measure, NULL, "a long one", tick, off, 0, tick + 20, &lb), 1);
    ASSERT_EQ(lb.x + lb.w, tick - off);
    ASSERT_EQ(lv_fit_note(fixed_measure, NULL, "a long one", tick, off, tick - 50, tick + 20, &lb),
              0);
}

/* A lane's state words wrap onto a second line, at a space, when too long for the label's
 * width and the lane is tall enough; otherwise they stay on one line (cut when drawn). */
TEST(lane_words_take_two_lines_when_long) {
    const char *w = "waits for A=B (not in cycle)"; /* 28 bytes, 252 px */
    size_t a, b;
    ASSERT_EQ(lv_lane_words(fixed_measure, NULL, w, 300, 2, &a, &b), 1); /* fits */
    ASSERT_EQ(a, strlen(w));
    ASSERT_EQ(lv_lane_words(fixed_measure, NULL, w, 200, 1, &a, &b), 1); /* a low lane */
    ASSERT_EQ(a, strlen(w));
    ASSERT_EQ(lv_lane_words(fixed_measure, NULL, w, 200, 2, &a, &b), 2);
    ASSERT_EQ(a, strlen("waits for A=B (not in")); /* the last space within 200 px */
    ASSERT_EQ(b, a + 1);
    ASSERT(strcmp(w + b, "cycle)") == 0);
    ASSERT_LE(fixed_measure(NULL, LV_FONT_NOTE, w, a), 200);
}

TEST(fit_prefix_cuts_whole_characters) {
    const char *s = "购票成功 (bought a ticket)";
    size_t n = strlen(s);
    ASSERT_EQ(lv_fit_prefix(fixed_measure, NULL, LV_FONT_NOTE, s, n, 10000), n);
    for (int w = 0; w < 300; w += 5) {
        size_t k = lv_fit_prefix(fixed_measure, NULL, LV_FONT_NOTE, s, n, w);
        ASSERT_LE(fixed_measure(NULL, LV_FONT_NOTE, s, k), w);
        ASSERT(k == n || ((unsigned char)s[k] & 0xC0) != 0x80); /* never inside a character */
    }
    char b[64];
    lv_format_ns(100012000, b, sizeof b);
    ASSERT_STR_EQ(b, "100.0 ms");
    lv_format_ns(5000, b, sizeof b);
    ASSERT_STR_EQ(b, "5.000 µs");
}

/* ---- long names: every cut between two characters, and "…" where text was cut ---- */

static void assert_whole_utf8(const char *s, const char *what) {
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        size_t k = *p < 0x80 ? 1 : *p >= 0xf0 ? 4 : *p >= 0xe0 ? 3 : *p >= 0xc2 ? 2 : 0;
        for (size_t i = 1; k && i < k; i++)
            if ((p[i] & 0xc0) != 0x80) k = 0;
        if (!k)
            TEST_FAIL_AT("%s: half a character at byte %zu: %s", what,
                         (size_t)(p - (const unsigned char *)s), s);
        p += k;
    }
}

static int ends_in_ellipsis(const char *s) {
    size_t n = strlen(s);
    return n >= 3 && strcmp(s + n - 3, "…") == 0;
}

TEST(long_chinese_names_are_cut_between_characters) {
    /* the formatter itself, at every buffer size */
    const char *full = "买票人售票窗口ab售票窗口 holds 互斥锁";
    for (size_t len = 1; len < strlen(full) + 4; len++) {
        char b[128];
        int n = lv_textf(b, len, "%s", full);
        ASSERT_EQ(n, (int)strlen(full));
        ASSERT_LT(strlen(b), len);
        assert_whole_utf8(b, "lv_textf");
        if ((size_t)n < len) {
            ASSERT_STR_EQ(b, full);
        } else if (len >= 4) {
            ASSERT(ends_in_ellipsis(b));
            ASSERT_EQ(strncmp(b, full, strlen(b) - 3), 0);
        }
    }
    /* a trace whose thread and lock names are 9,000 Chinese and ASCII characters */
    lv_trace *tr = NULL;
    char err[512];
    if (lv_trace_load(LV_CORPUS_DIR "/good/long-names-deadlock.json", &tr, err, sizeof err))
        TEST_FAIL_AT("%s", err);
    free(tr->scenario);
    tr->scenario = strdup(tr->threads[1].name); /* and a scenario as long */
    ASSERT(tr->scenario);
    lv_scene *s;
    ASSERT_EQ(lv_scene_new(tr, &s), LV_OK);
    int cut = 0;
    for (int lang = 0; lang < LV_LANG__COUNT; lang++)
        for (uint32_t i = 0; i < tr->nevents; i++) { /* the hover tooltip's text */
            char d[600];
            lv_event_describe(s, i, lang, d, sizeof d);
            assert_whole_utf8(d, "lv_event_describe");
            if (tr->events[i].thread == 1) ASSERT(ends_in_ellipsis(d));
            cut += ends_in_ellipsis(d);
        }
    ASSERT_GT(cut, 0);
    /* why a thread cannot run, at the deadlock */
    lv_state st;
    ASSERT_EQ(lv_state_init(&st, s), LV_OK);
    ASSERT_EQ(lv_state_seek(&st, s, (long)tr->nevents - 1), LV_OK);
    for (int lang = 0; lang < LV_LANG__COUNT; lang++)
        for (int32_t t = 0; t < (int32_t)tr->nthreads; t++) {
            char why[300];
            lv_sv_why(s, &st, t, lang, why, sizeof why);
            assert_whole_utf8(why, "lv_sv_why");
            if (t == 3) ASSERT(ends_in_ellipsis(why)); /* the long lock, held by the long thread */
        }
    lv_state_free(&st);
    /* the header's title, in both languages */
    for (int lang = 0; lang < LV_LANG__COUNT; lang++) {
        lv_frame f = {0};
        lv_viewport vp = view(1280, 720);
        vp.lang = lang;
        ASSERT_EQ(lv_frame_layout(&f, s, &vp), LV_OK);
        assert_whole_utf8(f.title, "the title");
        ASSERT(ends_in_ellipsis(f.title));
        lv_frame_free(&f);
    }
    /* explore's message on a failing run whose finding names them */
    lv_xresult r = {.failing = tr, .runs = 3};
    for (int lang = 0; lang < LV_LANG__COUNT; lang++) {
        char m[400];
        lv_xresult_message(&r, lang, m, sizeof m);
        assert_whole_utf8(m, "lv_xresult_message");
        ASSERT(ends_in_ellipsis(m));
    }
    lv_scene_free(s);
    lv_trace_free(tr);
}

/* ---- hit testing ---- */

TEST(hit_testing) {
    lv_trace *tr = run_variant("deadlock", "two-locks", 1, NULL, 0);
    lv_scene *s;
    ASSERT_EQ(lv_scene_new(tr, &s), LV_OK);
    lv_frame f = {0};
    lv_viewport vp = view(1280, 720);
    ASSERT_EQ(lv_frame_layout(&f, s, &vp), LV_OK);
    for (size_t i = 0; i < f.nlanes; i++) {
        const lv_lane *ln = &f.lanes[i];
        ASSERT_EQ(lv_hit_lane(&f, f.x0 + 10, ln->r.y + ln->r.h / 2), ln->thread);
    }
    ASSERT_EQ(lv_hit_lane(&f, 5, f.header.h / 2), -1);
    ASSERT_EQ(lv_hit_lane(&f, f.objects.x + 5, f.lanes[0].band.y), -1);
    /* the event nearest the cursor, in the cursor's lane */
    int32_t t1 = thread_id(tr, "thread-1");
    uint32_t rq = find_event(tr, t1, LV_EV_REQUEST, obj_id(tr, "B"));
    const lv_lane *ln = lane_for(&f, t1);
    int x = (int)lv_frame_x(&f, s, tr->events[rq].t);
    long hit = lv_hit_event(&f, s, x + 2, ln->band.y + 2, 8);
    ASSERT_GE(hit, 0);
    ASSERT_EQ(tr->events[hit].thread, t1);
    ASSERT_EQ(tr->events[hit].t, tr->events[rq].t);
    ASSERT_EQ(lv_hit_event(&f, s, x + 2, f.header.h / 2, 8), -1);
    /* finding rows and buttons */
    ASSERT_GT(f.nfrows, 0);
    for (size_t i = 0; i < f.nfrows; i++) {
        lv_rect r = f.frows[i].r;
        ASSERT_EQ(lv_hit_finding(&f, r.x + r.w / 2, r.y + r.h / 2), f.frows[i].finding);
    }
    ASSERT_EQ(lv_hit_finding(&f, f.x0 + 5, f.lanes[0].band.y), -1);
    for (int b = 0; b < LV_BTN__COUNT; b++) {
        lv_rect r = f.buttons[b];
        ASSERT_EQ(lv_hit_button(&f, r.x + r.w / 2, r.y + r.h / 2), b);
    }
    ASSERT_EQ(lv_hit_button(&f, f.x0 + 5, f.lanes[0].band.y), -1);
    /* hover finds an event and describes it */
    vp.hover_x = x + 1;
    vp.hover_y = ln->band.y + 1;
    ASSERT_EQ(lv_frame_layout(&f, s, &vp), LV_OK);
    ASSERT_GE(f.hover_seq, 0);
    char d[256];
    lv_event_describe(s, (uint32_t)rq, LV_LANG_EN, d, sizeof d);
    ASSERT_CONTAINS(d, "thread-1: asks for B");
    char want[48]; /* numbered as the status bar numbers it: from 1 */
    snprintf(want, sizeof want, "event %u, thread-1", (unsigned)rq + 1);
    ASSERT_CONTAINS(d, want);
    lv_frame_free(&f);
    lv_scene_free(s);
    lv_trace_free(tr);
}

/* ---- a million events ---- */

TEST(a_million_events_stay_bounded_by_pixels) {
    enum { NT = 4, ROUNDS = 250000 };
    lv_trace *tr = new_trace(NT, 1, NT + (size_t)ROUNDS * 4 + NT);
    int64_t t = 0;
    for (int k = 0; k < NT; k++)
        put(tr, t++, k, LV_EV_START, LV_NONE);
    for (int r = 0; r < ROUNDS; r++) { /* each round: one thread takes and gives back L0 */
        int k = r % NT, other = (r + 1) % NT;
        put(tr, t, other, LV_EV_REQUEST, 0); /* someone waits meanwhile */
        put(tr, t, k, LV_EV_ACQUIRE, 0);
        t += 50;
        put(tr, t, k, LV_EV_RELEASE, 0);
        put(tr, t, other, LV_EV_TIMEOUT, 0);
        t += 50 + (r % 3) * 10;
    }
    for (int k = 0; k < NT; k++)
        put(tr, t++, k, LV_EV_END, LV_NONE);
    ASSERT_GE(tr->nevents, 1000000);
    lv_scene *s;
    ASSERT_EQ(lv_scene_new(tr, &s), LV_OK);
    lv_frame f = {0};
    lv_viewport vp = view(1280, 720);
    vp.seq = (long)tr->nevents / 2;
    vp.play_t = tr->events[vp.seq].t;
    /* bounded by pixels in what it produces; its time is bench/run's (tests never time) */
    ASSERT_EQ(lv_frame_layout(&f, s, &vp), LV_OK);
    size_t w = (size_t)f.area.w + 1;
    /* per lane: one band row and LV_HOLD_ROWS hold rows, each at most a rectangle a pixel */
    ASSERT_LE(f.nfills, f.nlanes * w * (1 + LV_HOLD_ROWS));
    ASSERT_LT(f.nfills, 20000); /* in practice far fewer: runs of one colour merge */
    ASSERT_LE(f.narrows, f.nlanes * w);
    ASSERT_LE(f.nmarks, f.nlanes * w + 8);

    /* zoomed in on a sliver, spans are wide again and the colours exact */
    vp.t0 = tr->events[500000].t;
    vp.t1 = vp.t0 + 1000;
    ASSERT_EQ(lv_frame_layout(&f, s, &vp), LV_OK);
    ASSERT_GT(f.nfills, 10);
    ASSERT_LT(f.nfills, 200);
    lv_frame_free(&f);
    lv_scene_free(s);
    lv_trace_free(tr);
}

/* ---- state at the playhead ---- */

TEST(locks_at_the_playhead) {
    lv_trace *tr = run_variant("deadlock", "two-locks", 1, NULL, 0);
    lv_scene *s;
    ASSERT_EQ(lv_scene_new(tr, &s), LV_OK);
    lv_state st;
    ASSERT_EQ(lv_state_init(&st, s), LV_OK);
    int32_t A = obj_id(tr, "A"), B = obj_id(tr, "B");
    int32_t t1 = thread_id(tr, "thread-1"), t3 = thread_id(tr, "thread-3");
    ASSERT_EQ(lv_state_seek(&st, s, (long)tr->nevents - 1), LV_OK);
    ASSERT_EQ(st.objs[A].owner, t1);
    ASSERT_EQ(st.objs[B].owner, t3);
    ASSERT_EQ(st.objs[B].waiters.n, 1);
    ASSERT_EQ(st.objs[B].waiters.v[0], t1);
    ASSERT_GE(st.objs[A].waiters.n, 2);
    ASSERT_EQ(st.objs[A].waiters.v[st.objs[A].waiters.n - 1], t3); /* in request order */
    ASSERT_EQ(st.tstate[t1], LV_TS_BLOCKED);
    ASSERT_EQ(st.wait_obj[t1], B);
    /* backwards: before anyone took A */
    uint32_t first_acq = find_event(tr, t3, LV_EV_ACQUIRE, A);
    ASSERT_EQ(lv_state_seek(&st, s, (long)first_acq - 1), LV_OK);
    ASSERT_EQ(st.objs[A].owner, LV_NONE);
    ASSERT_EQ(lv_state_seek(&st, s, (long)first_acq), LV_OK);
    ASSERT_EQ(st.objs[A].owner, t3);
    ASSERT_EQ(lv_state_seek(&st, s, -1), LV_OK);
    ASSERT_EQ(st.tstate[0], LV_TS_NOT_STARTED);
    lv_state_free(&st);
    lv_scene_free(s);
    lv_trace_free(tr);

    /* an RLock counts its owner's acquires */
    tr = run_variant("rlock", "rlock", 1, NULL, 0);
    ASSERT_EQ(lv_scene_new(tr, &s), LV_OK);
    ASSERT_EQ(lv_state_init(&st, s), LV_OK);
    long twice = -1;
    for (size_t i = 0; i < tr->nevents && twice < 0; i++)
        if (tr->events[i].kind == LV_EV_ACQUIRE && tr->events[i].value == 2) twice = (long)i;
    ASSERT_GE(twice, 0);
    ASSERT_EQ(lv_state_seek(&st, s, twice), LV_OK);
    ASSERT_EQ(st.objs[0].count, 2);
    ASSERT_EQ(st.objs[0].owner, tr->events[twice].thread);
    /* one hold bar per outer acquire, not one per re-entry */
    size_t holds = 0, outer = 0;
    for (size_t k = 0; k < s->nthreads; k++)
        holds += s->th[k].nholds;
    for (size_t i = 0; i < tr->nevents; i++)
        outer += tr->events[i].kind == LV_EV_ACQUIRE && tr->events[i].value == 1;
    ASSERT_EQ(holds, outer);
    lv_state_free(&st);
    lv_scene_free(s);
    lv_trace_free(tr);
}

TEST(lost_update_marks_the_stale_read) {
    lv_trace *tr = run_variant("ticket", "unlocked", 1, NULL, 0);
    lv_scene *s;
    ASSERT_EQ(lv_scene_new(tr, &s), LV_OK);
    ASSERT_GE(s->nlost, 1);
    const lv_finding *lf = find_finding(tr, LV_FIND_RACE, "Lost update on tickets");
    ASSERT(lf);
    size_t at = 0;
    while (at < s->nlost && s->lost[at].stale_read != lf->events[0])
        at++;
    ASSERT_LT(at, s->nlost);
    ASSERT_EQ(s->lost[at].bad_write, lf->events[2]);
    lv_state st;
    ASSERT_EQ(lv_state_init(&st, s), LV_OK);
    ASSERT_EQ(lv_state_seek(&st, s, (long)lf->events[2]), LV_OK);
    const lv_ostate *o = &st.objs[obj_id(tr, "tickets")];
    ASSERT_EQ(o->count, tr->events[lf->events[2]].value);
    int stale = 0, bad = 0;
    for (size_t i = 0; i < o->nhist; i++) { /* the stale read stays listed, however old */
        if (o->hist[i].seq == lf->events[0]) {
            ASSERT_EQ(o->hist[i].mark, LV_MARK_STALE_READ);
            ASSERT_EQ(o->hist[i].write, 0);
            stale = 1;
        }
        if (o->hist[i].seq == lf->events[2]) bad = o->hist[i].mark == LV_MARK_BAD_WRITE;
    }
    ASSERT(stale);
    ASSERT(bad);
    ASSERT_GT(o->total_hist, o->nhist);
    lv_state_free(&st);
    lv_scene_free(s);
    lv_trace_free(tr);
}

static lv_sem *g_sem;
static lv_event_obj *g_ev;
static void stall_user(void *arg) {
    (void)arg;
    lv_event_wait(g_ev, LV_FOREVER);
    lv_sem_acquire(g_sem, LV_FOREVER);
    lv_sleep(LV_MS(10));
    lv_sem_release(g_sem);
}
static void main_stalls(const lv_args *a) {
    (void)a;
    g_sem = lv_sem_new("toilets", 2);
    g_ev = lv_event_new("light");
    lv_thread *t[3];
    for (int i = 0; i < 3; i++)
        t[i] = lv_spawn("user", stall_user, NULL);
    lv_sleep(LV_MS(1));
    lv_event_set(g_ev);
    for (int i = 0; i < 3; i++)
        lv_join(t[i]);
}

TEST(semaphores_and_events_at_the_playhead) {
    setenv("LV_TEST_MODE", "controlled", 1);
    lv_trace *tr = run_fn("stalls", main_stalls);
    lv_scene *s;
    ASSERT_EQ(lv_scene_new(tr, &s), LV_OK);
    lv_state st;
    ASSERT_EQ(lv_state_init(&st, s), LV_OK);
    int32_t sem = obj_id(tr, "toilets"), ev = obj_id(tr, "light");
    ASSERT_EQ(st.objs[sem].count, 2);
    int saw_full = 0, saw_wait = 0, saw_light_off_waiters = 0;
    for (long i = 0; i < (long)tr->nevents; i++) {
        ASSERT_EQ(lv_state_seek(&st, s, i), LV_OK);
        const lv_ostate *o = &st.objs[sem];
        ASSERT_EQ((int64_t)o->inside.n + o->count, 2); /* permits are conserved */
        if (o->inside.n == 2) saw_full = 1;
        if (o->inside.n == 2 && o->waiters.n == 1) saw_wait = 1;
        if (!st.objs[ev].flag && st.objs[ev].waiters.n > 0) saw_light_off_waiters = 1;
    }
    ASSERT(saw_full);
    ASSERT(saw_wait);
    ASSERT(saw_light_off_waiters);
    ASSERT_EQ(st.objs[ev].flag, 1);
    ASSERT_EQ(st.objs[sem].count, 2);
    /* a semaphore's release draws an arrow only to a thread that was waiting */
    for (size_t i = 0; i < s->nhandoffs; i++) {
        const lv_handoff *h = &s->handoffs[i];
        if (h->obj != sem) continue;
        ASSERT(tr->events[h->acq].thread != tr->events[h->rel].thread);
    }
    lv_state_free(&st);
    lv_scene_free(s);
    lv_trace_free(tr);
}

/* ---- the viewer's input, without a window ---- */

/* A viewer state on a deadlock's run, with the frame it lays out at 1280x720. */
typedef struct vs_fix {
    lv_trace *tr;
    lv_scene *s;
    lv_vstate v;
    lv_frame f;
    lv_viewport vp;
} vs_fix;

static void vs_relayout(vs_fix *x) {
    lv_vs_viewport(&x->v, &x->vp);
    ASSERT_EQ(lv_frame_layout(&x->f, x->s, &x->vp), LV_OK);
}

static void vs_open(vs_fix *x) {
    *x = (vs_fix){.tr = run_variant("deadlock", "two-locks", 1, NULL, 0), .vp = view(1280, 720)};
    ASSERT_EQ(lv_scene_new(x->tr, &x->s), LV_OK);
    lv_vs_init(&x->v, x->s);
    vs_relayout(x);
}

static void vs_close(vs_fix *x) {
    lv_frame_free(&x->f);
    lv_scene_free(x->s);
    lv_trace_free(x->tr);
}

TEST(viewer_keys_step_and_go_to_findings) {
    vs_fix x;
    vs_open(&x);
    lv_vstate *v = &x.v;
    long last = (long)x.tr->nevents - 1;
    ASSERT_EQ(v->seq, 0);
    lv_vs_key(v, LV_KEY_RIGHT, 0);
    lv_vs_key(v, LV_KEY_RIGHT, 0);
    ASSERT_EQ(v->seq, 2);
    lv_vs_key(v, LV_KEY_LEFT, 0);
    ASSERT_EQ(v->seq, 1);
    lv_vs_key(v, LV_KEY_END, 0);
    ASSERT_EQ(v->seq, last);
    lv_vs_key(v, LV_KEY_RIGHT, 0); /* clamped */
    ASSERT_EQ(v->seq, last);
    lv_vs_key(v, LV_KEY_HOME, 0);
    ASSERT_EQ(v->seq, 0);
    /* shift+right: the next finding, highlighted */
    lv_vs_key(v, LV_KEY_RIGHT, 1);
    ASSERT_GE(v->highlight, 0);
    ASSERT_EQ(v->seq, (long)x.s->finding_seq[v->highlight]);
    vs_close(&x);
}

TEST(viewer_plays_at_its_speed_and_stops_at_the_end) {
    vs_fix x;
    vs_open(&x);
    lv_vstate *v = &x.v;
    /* play: the playhead moves with time and the events follow it */
    lv_vs_key(v, LV_KEY_SPACE, 0);
    ASSERT(v->playing);
    double d0 = v->play_d;
    lv_vs_tick(v, 1.0);
    ASSERT_DBL(v->play_d, >, d0);
    ASSERT_GT(v->seq, 0);
    double sp = lv_vs_speed(v);
    lv_vs_key(v, LV_KEY_PLUS, 0);
    ASSERT_DBL(lv_vs_speed(v), >, sp);
    lv_vs_key(v, LV_KEY_MINUS, 0);
    lv_vs_key(v, LV_KEY_MINUS, 0);
    ASSERT_DBL(lv_vs_speed(v), <, sp);
    for (int i = 0; i < 10000 && v->playing; i++)
        lv_vs_tick(v, 1.0);
    ASSERT(!v->playing); /* stops at the end */
    ASSERT_EQ(v->seq, (long)x.tr->nevents - 1);
    lv_vs_key(v, LV_KEY_SPACE, 0); /* at the end, play starts over */
    ASSERT(v->playing);
    ASSERT_EQ(v->seq, 0);
    lv_vs_key(v, LV_KEY_SPACE, 0);
    ASSERT(!v->playing);
    vs_close(&x);
}

TEST(viewer_wheel_zooms_around_the_cursor_and_a_drag_pans) {
    vs_fix x;
    vs_open(&x);
    lv_vstate *v = &x.v;
    const lv_frame *f = &x.f;
    /* wheel: zoom in around the cursor, which stays over the same time */
    int mx = f->x0 + (f->x1 - f->x0) / 3, my = f->lanes[1].band.y;
    int64_t under = lv_frame_t(f, x.s, mx);
    double w0 = v->d1 - v->d0;
    lv_vs_wheel(v, f, mx, my, 2, 0);
    ASSERT_DBL(v->d1 - v->d0, <, w0);
    vs_relayout(&x);
    ASSERT_DBL(fabs(lv_frame_x(f, x.s, under) - mx), <, 1.5);
    /* drag: pans, and is not a click */
    double before = v->d0;
    long seq_before = v->seq;
    lv_vs_mouse_down(v, f, mx, my);
    lv_vs_mouse_move(v, f, mx + 100, my);
    lv_vs_mouse_up(v, f, mx + 100, my);
    ASSERT_DBL(v->d0, <, before);
    ASSERT_EQ(v->seq, seq_before);
    vs_relayout(&x);
    /* ... but never far off the trace's ends */
    lv_vs_mouse_down(v, f, mx, my);
    lv_vs_mouse_move(v, f, mx + 5000, my);
    lv_vs_mouse_up(v, f, mx + 5000, my);
    ASSERT_DBL(v->d0, >=, lv_scene_d(x.s, x.s->t_first) - 0.021 * (v->d1 - v->d0));
    vs_close(&x);
}

TEST(viewer_clicks_move_the_playhead_and_pick_findings) {
    vs_fix x;
    vs_open(&x);
    lv_vstate *v = &x.v;
    const lv_frame *f = &x.f;
    int mx = f->x0 + (f->x1 - f->x0) / 3, my = f->lanes[1].band.y;
    lv_vs_wheel(v, f, mx, my, 2, 0); /* zoomed in, then all the way out */
    vs_relayout(&x);
    lv_vs_wheel(v, f, mx, my, -50, 0);
    vs_relayout(&x);
    /* click on the timeline: the playhead goes to the event there */
    int cx = (int)lv_frame_x(f, x.s, x.tr->events[20].t) + 1;
    lv_vs_mouse_down(v, f, cx, my);
    lv_vs_mouse_up(v, f, cx, my);
    ASSERT_EQ(x.tr->events[v->seq].t, x.tr->events[20].t);
    vs_relayout(&x);
    /* click on a finding: jump there and highlight it */
    ASSERT_GT(f->nfrows, 1);
    lv_rect fr = f->frows[1].r;
    lv_vs_mouse_down(v, f, fr.x + 5, fr.y + 5);
    lv_vs_mouse_up(v, f, fr.x + 5, fr.y + 5);
    ASSERT_EQ(v->highlight, f->frows[1].finding);
    ASSERT_EQ(v->seq, (long)x.s->finding_seq[v->highlight]);
    vs_relayout(&x);
    ASSERT_GT(f->nmarks, 0);
    vs_close(&x);
}

TEST(viewer_buttons_play_and_step) {
    vs_fix x;
    vs_open(&x);
    lv_vstate *v = &x.v;
    lv_vs_key(v, LV_KEY_RIGHT, 0);
    lv_rect pb = x.f.buttons[LV_BTN_PLAY];
    lv_vs_mouse_down(v, &x.f, pb.x + 2, pb.y + 2);
    ASSERT(v->playing);
    lv_vs_mouse_up(v, &x.f, pb.x + 2, pb.y + 2);
    lv_vs_button(v, LV_BTN_PLAY);
    ASSERT(!v->playing);
    long at = v->seq;
    lv_vs_button(v, LV_BTN_FWD);
    ASSERT_EQ(v->seq, at + 1);
    lv_vs_button(v, LV_BTN_BACK);
    ASSERT_EQ(v->seq, at);
    vs_close(&x);
}

TEST(viewer_escape_closes_the_innermost_and_q_quits) {
    vs_fix x;
    vs_open(&x);
    lv_vstate *v = &x.v;
    lv_vs_key(v, LV_KEY_HELP, 0);
    ASSERT(v->help);
    v->lesson = 1;
    v->highlight = 0;
    /* Esc closes the innermost thing open, one a press, and never quits: Q does */
    lv_vs_key(v, LV_KEY_ESCAPE, 0);
    ASSERT(!v->help);
    ASSERT(v->lesson);
    lv_vs_key(v, LV_KEY_ESCAPE, 0);
    ASSERT(!v->lesson);
    ASSERT_EQ(v->highlight, 0);
    lv_vs_key(v, LV_KEY_ESCAPE, 0);
    ASSERT_EQ(v->highlight, -1);
    for (int i = 0; i < 3; i++)
        lv_vs_key(v, LV_KEY_ESCAPE, 0);
    ASSERT(!v->quit);
    lv_vs_key(v, LV_KEY_QUIT, 0);
    ASSERT(v->quit);
    vs_close(&x);
}

/* ---- the layout against a brute-force reference ---- */

/* The reference: what layout did before it searched, visiting every span, hold, note and
 * access and rasterizing each into the pixel columns it touches. */
typedef struct ref_raster {
    uint8_t col[4096], prio[4096];
    int w;
} ref_raster;

static void ref_put(ref_raster *r, double x0, double x1, uint8_t color, uint8_t prio) {
    if (x1 <= 0 || x0 >= r->w) return;
    if (x0 < 0) x0 = 0;
    if (x1 > r->w) x1 = r->w;
    int a = (int)floor(x0), b = (int)ceil(x1) - 1;
    if (b < a) b = a;
    if (b >= r->w) b = r->w - 1;
    for (int i = a; i <= b; i++)
        if (prio >= r->prio[i]) {
            r->col[i] = color;
            r->prio[i] = prio;
        }
}

/* Compares the runs of r with the frame's fills from *k on; clears r. */
static void ref_emit(const lv_frame *f, ref_raster *r, size_t *k, int x, int y, int h) {
    for (int i = 0; i < r->w;) {
        if (!r->prio[i]) {
            i++;
            continue;
        }
        int j = i;
        while (j < r->w && r->prio[j] && r->col[j] == r->col[i])
            j++;
        ASSERT_LT(*k, f->nfills);
        const lv_fill *fl = &f->fills[(*k)++];
        if (fl->r.x != x + i || fl->r.w != j - i || fl->r.y != y || fl->r.h != h ||
            fl->color != r->col[i])
            TEST_FAIL_AT("fill %zu: x %d w %d colour %d, reference x %d w %d colour %d", *k - 1,
                         fl->r.x, fl->r.w, fl->color, x + i, j - i, r->col[i]);
        i = j;
    }
    memset(r->col, 0, sizeof r->col);
    memset(r->prio, 0, sizeof r->prio);
}

/* The event nearest to x in the lane at (x, y), every event visited (what lv_hit_event did). */
static long ref_hit_event(const lv_frame *f, const lv_scene *s, int x, int y, int radius) {
    int32_t th = lv_hit_lane(f, x, y);
    if (th < 0 || x < f->x0 - radius || x > f->x1 + radius) return -1;
    const lv_thread_geo *g = &s->th[th];
    int64_t lo_t = lv_frame_t(f, s, x - radius);
    long best = -1;
    double bd = radius + 0.5;
    for (size_t i = 0; i < g->nevents; i++) {
        int64_t t = s->tr->events[g->events[i]].t;
        if (t < lo_t) continue;
        double ex = lv_frame_x(f, s, t);
        if (ex > x + radius) break;
        if (fabs(ex - x) <= bd) {
            bd = fabs(ex - x);
            best = g->events[i];
        }
    }
    return best;
}

static void check_against_reference(const lv_scene *s, const lv_viewport *vp, lv_frame *f) {
    ASSERT_EQ(lv_frame_layout(f, s, vp), LV_OK);
    const lv_trace *tr = s->tr;
    int64_t tv0 = lv_frame_t(f, s, f->x0 - 1), tv1 = lv_frame_t(f, s, f->x1 + 1);
    static ref_raster r;
    r.w = f->area.w > 0 ? f->area.w : 1;
    ASSERT_LE(r.w, 4096);
    size_t kf = 0, kl = 0, kd = 0, km = 0, total_dropped = 0;
    int gap = (int)lround(6 * f->scale), off = (int)lround(4 * f->scale);
    for (size_t li = 0; li < f->nlanes; li++) {
        const lv_lane *ln = &f->lanes[li];
        const lv_thread_geo *g = &s->th[ln->thread];
        for (size_t i = 0; i < g->nspans; i++) {
            const lv_span *sp = &g->spans[i];
            if (sp->t1 <= tv0 || sp->t0 >= tv1) continue;
            ref_put(&r, lv_frame_x(f, s, sp->t0) - f->x0, lv_frame_x(f, s, sp->t1) - f->x0,
                    (uint8_t)lv_state_color((lv_tstate)sp->state), lv_state_prio(sp->state));
        }
        ref_emit(f, &r, &kf, f->x0, ln->band.y, ln->band.h);
        int rowh = ln->holds.h / LV_HOLD_ROWS;
        for (int row = 0; row < LV_HOLD_ROWS && rowh > 0; row++) {
            for (size_t i = 0; i < g->nholds && g->holds[i].t0 < tv1; i++) {
                const lv_hold *h = &g->holds[i];
                if (h->row != row || h->t1 <= tv0) continue;
                ref_put(&r, lv_frame_x(f, s, h->t0) - f->x0, lv_frame_x(f, s, h->t1) - f->x0,
                        (uint8_t)lv_hold_color(h->obj), 1);
            }
            ref_emit(f, &r, &kf, f->x0, ln->holds.y + row * rowh, rowh - (rowh > 3));
        }
        /* notes: every one visited */
        int prev_end = INT32_MIN / 2;
        for (size_t i = 0; i < g->nnotes; i++) {
            const lv_event *e = &tr->events[g->notes[i]];
            if (e->t < tv0) continue;
            if (e->t > tv1) break;
            const char *txt = lv_scene_note_text(s, e, vp->lang);
            int x = (int)lround(lv_frame_x(f, s, e->t)) + off;
            int next = f->x1, shared = 0; /* shared: the next note is on this pixel */
            if (i + 1 < g->nnotes && tr->events[g->notes[i + 1]].t <= tv1) {
                next = (int)lround(lv_frame_x(f, s, tr->events[g->notes[i + 1]].t)) + off;
                shared = next <= x;
                next -= gap;
            }
            if (next > f->x1) next = f->x1;
            int placed = 0, lo = prev_end + gap > f->x0 ? prev_end + gap : f->x0;
            lv_label want = {0};
            if (txt && ln->notes.h > 0 && x >= prev_end + gap && !shared &&
                lv_fit_note(fixed_measure, NULL, txt, x - off, off, lo, next, &want)) {
                ASSERT_LT(kl, f->nlabels);
                const lv_label *lb = &f->labels[kl++];
                ASSERT_EQ(lb->seq, g->notes[i]);
                ASSERT_EQ(lb->x, want.x);
                ASSERT_EQ(lb->w, want.w);
                ASSERT_EQ(lb->tick_x, x - off);
                ASSERT_EQ(lb->nbytes, want.nbytes);
                prev_end = lb->x + lb->w > lb->tick_x ? lb->x + lb->w : lb->tick_x;
                placed = 1;
            }
            if (!placed) {
                if (kd < LV_DROPPED_MAX) ASSERT_EQ(f->dropped[kd++], g->notes[i]);
                total_dropped++;
            }
        }
    }
    /* after the lanes' fills come the gauge strips' (geom_lesson.c, tested on their own) */
    for (size_t i = kf; i < f->nfills; i++) {
        int in_strip = 0;
        for (size_t g = 0; g < f->ngauges; g++)
            in_strip |= lv_rect_has(f->gauges[g], f->fills[i].r.x, f->fills[i].r.y);
        if (in_strip) kf++;
    }
    ASSERT_EQ(kf, f->nfills);
    ASSERT_EQ(kl, f->nlabels);
    ASSERT_EQ(kd, f->ndropped);
    ASSERT_EQ(total_dropped, f->total_dropped);
    /* read and write ticks: the first access on each pixel */
    for (size_t li = 0; li < f->nlanes; li++) {
        const lv_thread_geo *g = &s->th[f->lanes[li].thread];
        int last = INT32_MIN;
        for (size_t i = 0; i < g->nevents; i++) {
            const lv_event *e = &tr->events[g->events[i]];
            if (e->t < tv0) continue;
            if (e->t > tv1) break;
            if ((e->kind != LV_EV_READ && e->kind != LV_EV_WRITE) || e->obj < 0 ||
                tr->objects[e->obj].kind != LV_OBJ_VAR)
                continue;
            int x = (int)lround(lv_frame_x(f, s, e->t));
            if (x == last) continue;
            last = x;
            while (km < f->nmarks && f->marks[km].kind != LV_MARK_READ &&
                   f->marks[km].kind != LV_MARK_WRITE)
                km++;
            ASSERT_LT(km, f->nmarks);
            ASSERT_EQ(f->marks[km].seq, e->seq);
            ASSERT_EQ(f->marks[km].x, x);
            km++;
        }
    }
    for (; km < f->nmarks; km++)
        if (f->marks[km].kind == LV_MARK_READ || f->marks[km].kind == LV_MARK_WRITE)
            TEST_FAIL_AT("an access tick the reference does not have: seq %u", f->marks[km].seq);
    /* hovering: the same event under the mouse */
    for (size_t li = 0; li < f->nlanes; li++) {
        int y = f->lanes[li].band.y + f->lanes[li].band.h / 2;
        for (int x = f->x0 - 10; x <= f->x1 + 10; x += 23)
            for (int radius = 0; radius <= 12; radius += 6)
                ASSERT_EQ(lv_hit_event(f, s, x, y, radius), ref_hit_event(f, s, x, y, radius));
    }
}

/* Full zoom-out, then windows of several widths around events, in warped and linear time. */
static void check_views(lv_scene *s, uint64_t *rng) {
    const lv_trace *tr = s->tr;
    lv_frame f = {0};
    static const int sizes[][2] = {{1280, 720}, {800, 600}, {2560, 1440}, {640, 1200}};
    for (int lin = 0; lin < 2; lin++) {
        s->linear = lin;
        for (size_t z = 0; z < sizeof sizes / sizeof sizes[0]; z++) {
            lv_viewport vp = view(sizes[z][0], sizes[z][1]);
            check_against_reference(s, &vp, &f);
            for (int k = 0; k < 6 && tr->nevents; k++) {
                *rng = *rng * 6364136223846793005u + 1442695040888963407u;
                size_t i = (size_t)(*rng >> 33) % tr->nevents;
                int64_t width = (int64_t)1 << (2 * k + 2);
                vp.t0 = tr->events[i].t - width / 3;
                vp.t1 = vp.t0 + width * (s->step > 0 ? s->step : 1);
                check_against_reference(s, &vp, &f);
            }
        }
    }
    s->linear = 0;
    lv_frame_free(&f);
}

/* n random events of NT threads on three locks and a var: steps, equal times, long gaps now and
 * then, nested and overlapping holds, sleeps, accesses, notes, timeouts. */
enum { NT = 4 };
static lv_trace *random_trace(int N, uint64_t *rngp) {
    lv_trace *tr = new_trace(NT, 4, N + 2 * NT);
    tr->objects[3].kind = LV_OBJ_VAR;
    uint64_t rng = *rngp;
    int64_t t = 0;
    for (int k = 0; k < NT; k++)
        put(tr, t, k, LV_EV_START, LV_NONE);
    static const char *const texts[] = {"a", "step", "a longer note here", "x=1", "done!"};
    for (int i = 0; i < N; i++) {
        rng = rng * 6364136223846793005u + 1442695040888963407u;
        uint32_t r = (uint32_t)(rng >> 33);
        int th = (int)(r % NT);
        int obj = (int)((r >> 4) % 3);
        /* times: mostly small steps, some equal, now and then a long gap */
        int gap = (r >> 8) % 64 == 0 ? 100000 : (int)((r >> 14) % 4) * 30;
        t += gap;
        switch ((r >> 16) % 9) {
        case 0:
            put(tr, t, th, LV_EV_REQUEST, obj);
            break;
        case 1:
        case 2:
            put(tr, t, th, LV_EV_ACQUIRE, obj); /* nested and overlapping holds */
            break;
        case 3:
            put(tr, t, th, LV_EV_RELEASE, obj);
            break;
        case 4:
            put(tr, t, th, LV_EV_SLEEP, LV_NONE);
            tr->events[tr->nevents - 1].value = (r >> 20) % 500;
            break;
        case 5:
            put(tr, t, th, LV_EV_READ, 3);
            break;
        case 6:
            put(tr, t, th, LV_EV_WRITE, 3);
            break;
        case 7:
            put_note(tr, t, th, texts[(r >> 20) % 5]);
            break;
        default:
            put(tr, t, th, LV_EV_TIMEOUT, obj);
            break;
        }
    }
    for (int k = 0; k < NT; k++)
        put(tr, ++t, k, LV_EV_END, LV_NONE);
    *rngp = rng;
    return tr;
}

TEST(layout_matches_a_brute_force_reference_on_a_random_scene) {
    uint64_t rng = 1;
    lv_trace *tr = random_trace(60000, &rng);
    ASSERT_LT(tr->nevents, LV_OVERVIEW_MIN); /* laid out exactly at every zoom */
    lv_scene *s;
    ASSERT_EQ(lv_scene_new(tr, &s), LV_OK);
    int overlapping = 0;
    for (int k = 0; k < NT; k++)
        overlapping += s->th[k].row_t1max[LV_HOLD_ROWS - 1] != NULL;
    ASSERT_GT(overlapping, 0); /* the hold row whose holds overlap is exercised */
    check_views(s, &rng);
    lv_scene_free(s);
    lv_trace_free(tr);
}

/* ---- the overview of a long trace ---- */

/* Per pixel column of the strip at y (a lane's band or hold row): the priority shown (bands:
 * the state's lv_state_prio; holds: 1), 0 where nothing is. */
static void strip(const lv_frame *f, int y, int w, uint8_t *out, int band) {
    memset(out, 0, (size_t)w);
    for (size_t i = 0; i < f->nfills; i++) {
        const lv_fill *fl = &f->fills[i];
        if (fl->r.y != y) continue;
        uint8_t p = 1;
        if (band)
            for (int st = 0; st < LV_TS__COUNT; st++)
                if (fl->color == (uint8_t)lv_state_color((lv_tstate)st))
                    p = lv_state_prio((uint8_t)st);
        for (int x = fl->r.x; x < fl->r.x + fl->r.w; x++)
            if (x - f->x0 >= 0 && x - f->x0 < w) out[x - f->x0] = p;
    }
}

/* Each column of a is at most the highest of b's at the same column and its two neighbours. */
static void under_neighbours(const uint8_t *a, const uint8_t *b, int w, const char *what) {
    for (int i = 0; i < w; i++) {
        uint8_t m = b[i];
        if (i > 0 && b[i - 1] > m) m = b[i - 1];
        if (i + 1 < w && b[i + 1] > m) m = b[i + 1];
        if (a[i] > m)
            TEST_FAIL_AT("%s: column %d shows %d, its neighbourhood %d", what, i, a[i], m);
    }
}

/* Every access tick of a (kinds READ/WRITE) has one in b within a pixel on the same row. */
static void ticks_near(const lv_frame *a, const lv_frame *b, const char *what) {
    for (size_t i = 0; i < a->nmarks; i++) {
        const lv_marker *m = &a->marks[i];
        if (m->kind != LV_MARK_READ && m->kind != LV_MARK_WRITE) continue;
        /* a tick on the pixel just past the area's edge comes from an access less than half a
         * cell beyond it, which a cell's centre may put on either side (geom.h, overview) */
        if (m->x < a->x0 || m->x > a->x1) continue;
        int found = 0;
        for (size_t j = 0; j < b->nmarks && !found; j++) {
            const lv_marker *n = &b->marks[j];
            found = (n->kind == LV_MARK_READ || n->kind == LV_MARK_WRITE) && n->y == m->y &&
                    abs(n->x - m->x) <= 1;
        }
        if (!found)
            TEST_FAIL_AT("%s: tick at x %d (seq %u) has none near it (area %d..%d)", what, m->x,
                         m->seq, a->x0, a->x1);
    }
}

/* Per pixel column of a lane's hold row: a bit per hold colour that a hold of that row covers
 * within a pixel of the column (from the exact x of the holds). */
static void hold_colours_near(const lv_frame *f, const lv_scene *s, const lv_lane *ln, int row,
                              int w, uint8_t *out) {
    const lv_thread_geo *g = &s->th[ln->thread];
    memset(out, 0, (size_t)w);
    for (size_t k = 0; k < g->nrow_holds[row]; k++) {
        const lv_hold *h = &g->holds[g->row_holds[row][k]];
        double xa = lv_frame_x(f, s, h->t0) - f->x0, xb = lv_frame_x(f, s, h->t1) - f->x0;
        int i0 = (int)floor(xa) - 1, i1 = (int)ceil(xb) + 1;
        if (i1 < 0 || i0 >= w) continue;
        if (i0 < 0) i0 = 0;
        if (i1 > w - 1) i1 = w - 1;
        uint8_t bit = (uint8_t)(1u << (lv_hold_color(h->obj) - LV_C_HOLD));
        for (int i = i0; i <= i1; i++)
            out[i] |= bit;
    }
}

/* Where both layouts draw a hold on the strip at y, the overview shows the exact layout's
 * colour in at least 80% of the columns (measured: 89% or more where holds overlap, 38% if the
 * overview took the first hold of a column instead of the last). */
static void hold_agreement(const lv_frame *fo, const lv_frame *fe, int y, int w) {
    uint8_t *ca = calloc((size_t)w, 1), *cb = calloc((size_t)w, 1);
    ASSERT(ca && cb);
    const lv_frame *fr[2] = {fo, fe};
    uint8_t *cc[2] = {ca, cb};
    for (int j = 0; j < 2; j++)
        for (size_t k = 0; k < fr[j]->nfills; k++) {
            const lv_fill *fl = &fr[j]->fills[k];
            if (fl->r.y != y) continue;
            for (int x = fl->r.x; x < fl->r.x + fl->r.w; x++)
                if (x - fr[j]->x0 >= 0 && x - fr[j]->x0 < w) cc[j][x - fr[j]->x0] = 1 + fl->color;
        }
    int both = 0, same = 0;
    for (int i = 0; i < w; i++)
        if (ca[i] && cb[i]) {
            both++;
            same += ca[i] == cb[i];
        }
    if (both >= 100 && same * 5 < both * 4)
        TEST_FAIL_AT("hold row at y %d: the exact colour in only %d of %d columns", y, same, both);
    free(ca);
    free(cb);
}

/* Arrows into each lane (by their y), so overview and exact counts can be compared per lane. */
static size_t arrows_into(const lv_frame *f, const lv_lane *ln) {
    size_t n = 0;
    for (size_t i = 0; i < f->narrows; i++)
        n += f->arrows[i].y1 == ln->band.y || f->arrows[i].y1 == ln->band.y + ln->band.h;
    return n;
}

/* Lays vp out twice: as the scene does (from its overview when it uses one) into *fo, and
 * exactly, with the overview hidden, into *fe. */
static void layout_both(lv_scene *s, const lv_viewport *vp, lv_frame *fo, lv_frame *fe) {
    ASSERT_EQ(lv_frame_layout(fo, s, vp), LV_OK);
    lv_overview *ov = s->ov;
    s->ov = NULL;
    ASSERT_EQ(lv_frame_layout(fe, s, vp), LV_OK);
    s->ov = ov;
    ASSERT_EQ(fe->overview, 0);
}

/* The overview's layout against the exact one of the same view: every column within a pixel of
 * what the exact layout shows there, both ways; every hold column in the colour of a hold of
 * its row within a pixel; ticks within a pixel, both ways, and each on a real access of its
 * lane; arrows real hand-offs where the exact layout puts their ends, about as many into each
 * lane; the same breaks, notes and axis. */
static void check_overview_view(lv_scene *s, const lv_viewport *vp) {
    lv_frame fo = {0}, fe = {0};
    layout_both(s, vp, &fo, &fe);
    ASSERT_EQ(fo.overview, 1); /* zoomed out far enough: the overview's path, not the exact one */
    const lv_trace *tr = s->tr;
    int w = fo.x1 - fo.x0;
    ASSERT_EQ(fo.x0, fe.x0);
    ASSERT_EQ(fo.nlanes, fe.nlanes);
    uint8_t *a = malloc((size_t)w), *b = malloc((size_t)w), *near = malloc((size_t)w);
    ASSERT(a && b && near);
    size_t shown = 0, hold_cols = 0;
    for (size_t li = 0; li < fo.nlanes; li++) {
        const lv_lane *ln = &fo.lanes[li];
        int rowh = ln->holds.h / LV_HOLD_ROWS;
        for (int row = -1; row < LV_HOLD_ROWS; row++) {
            if (row >= 0 && rowh <= 0) break;
            int y = row < 0 ? ln->band.y : ln->holds.y + row * rowh;
            strip(&fo, y, w, a, row < 0);
            strip(&fe, y, w, b, row < 0);
            under_neighbours(a, b, w, row < 0 ? "band, overview" : "holds, overview");
            under_neighbours(b, a, w, row < 0 ? "band, exact" : "holds, exact");
            for (int i = 0; i < w; i++)
                shown += a[i] != 0;
            if (row < 0) continue;
            hold_colours_near(&fe, s, ln, row, w, near);
            /* and mostly the colour the exact layout shows there: the later hold wins */
            hold_agreement(&fo, &fe, y, w);
            for (size_t k = 0; k < fo.nfills; k++) {
                const lv_fill *fl = &fo.fills[k];
                if (fl->r.y != y) continue;
                uint8_t bit = (uint8_t)(1u << (fl->color - LV_C_HOLD));
                for (int x = fl->r.x; x < fl->r.x + fl->r.w; x++, hold_cols++)
                    if (!(near[x - fo.x0] & bit))
                        TEST_FAIL_AT("lane %zu hold row %d: column %d in a colour no hold of the "
                                     "row has there",
                                     li, row, x - fo.x0);
            }
        }
    }
    ASSERT_GT(shown, (size_t)w); /* something is drawn: the check is not comparing nothing */
    ASSERT_GT(hold_cols, 0);
    ticks_near(&fo, &fe, "overview");
    ticks_near(&fe, &fo, "exact");
    for (size_t i = 0; i < fo.nmarks; i++) {
        const lv_marker *m = &fo.marks[i];
        if (m->kind != LV_MARK_READ && m->kind != LV_MARK_WRITE) continue;
        const lv_event *e = &tr->events[m->seq];
        ASSERT(e->kind == (m->kind == LV_MARK_READ ? LV_EV_READ : LV_EV_WRITE));
        const lv_lane *ln = NULL;
        for (size_t li = 0; li < fo.nlanes; li++)
            if (fo.lanes[li].thread == e->thread) ln = &fo.lanes[li];
        ASSERT(ln && m->y == ln->band.y + ln->band.h / 2);
    }
    ASSERT_GT(fo.narrows, 0);
    for (size_t li = 0; li < fo.nlanes; li++) { /* the same pixels' worth of arrows, about */
        size_t no = arrows_into(&fo, &fo.lanes[li]), ne = arrows_into(&fe, &fe.lanes[li]);
        size_t slack = ne / 10 > 8 ? ne / 10 : 8;
        if (no + slack < ne || no > ne + slack)
            TEST_FAIL_AT("lane %zu: %zu arrows from the overview, %zu exact", li, no, ne);
    }
    for (size_t i = 0; i < fo.narrows; i++) {
        const lv_arrow *ar = &fo.arrows[i];
        int real = 0;
        for (size_t k = 0; k < s->nhandoffs && !real; k++)
            real = s->handoffs[k].rel == ar->rel && s->handoffs[k].acq == ar->acq &&
                   s->handoffs[k].obj == ar->obj;
        ASSERT(real);
        ASSERT_LE(abs(ar->x0 - (int)lround(lv_frame_x(&fe, s, tr->events[ar->rel].t))), 1);
        ASSERT_LE(abs(ar->x1 - (int)lround(lv_frame_x(&fe, s, tr->events[ar->acq].t))), 1);
    }
    ASSERT_EQ(fo.nbreaks, fe.nbreaks);
    for (size_t i = 0; i < fo.nbreaks; i++)
        ASSERT_EQ(fo.breaks[i], fe.breaks[i]);
    ASSERT_EQ(fo.nlabels, fe.nlabels);
    for (size_t i = 0; i < fo.nlabels; i++) {
        ASSERT_EQ(fo.labels[i].seq, fe.labels[i].seq);
        ASSERT_EQ(fo.labels[i].x, fe.labels[i].x);
    }
    ASSERT_EQ(fo.nticks, fe.nticks);
    free(a);
    free(b);
    free(near);
    lv_frame_free(&fo);
    lv_frame_free(&fe);
}

/* Views of s from the whole trace down to the overview's limit (LV_OVERVIEW_PER_PX cells a
 * pixel column, with a margin), in display position, some reaching past either end. */
static void check_overview_views(lv_scene *s, uint64_t *rng) {
    static const int sizes[][2] = {{1280, 720}, {800, 600}, {2560, 1440}, {640, 1200}};
    double d0 = s->ov->d0, dw = s->ov->cell * (double)s->ov->ncells;
    for (size_t z = 0; z < sizeof sizes / sizeof sizes[0]; z++) {
        lv_viewport vp = view(sizes[z][0], sizes[z][1]);
        check_overview_view(s, &vp); /* the whole trace */
        lv_frame f = {0};
        ASSERT_EQ(lv_frame_layout(&f, s, &vp), LV_OK);
        double least = 1.25 * LV_OVERVIEW_PER_PX * (f.x1 - f.x0) / (double)s->ov->ncells;
        lv_frame_free(&f);
        for (int k = 0; k < 5; k++) {
            *rng = *rng * 6364136223846793005u + 1442695040888963407u;
            double frac = least + (0.9 - least) * (double)(*rng >> 40) / (double)(1u << 24);
            double from = d0 - 0.05 * dw + (double)((*rng >> 20) % 1000) / 1000.0 * dw;
            vp.t0 = lv_scene_t(s, from);
            vp.t1 = lv_scene_t(s, from + frac * dw);
            check_overview_view(s, &vp);
        }
    }
}

TEST(a_long_trace_zoomed_out_is_laid_out_from_its_overview) {
    uint64_t rng = 5;
    lv_trace *tr = random_trace(150000, &rng);
    lv_scene *s;
    ASSERT_EQ(lv_scene_new(tr, &s), LV_OK);
    ASSERT(s->ov);
    check_overview_views(s, &rng);
    /* zoomed in past a pixel column of LV_OVERVIEW_PER_PX cells, and in linear time, the layout
     * is the exact one: the same frame with the overview as without */
    lv_viewport vp = view(1280, 720);
    int64_t mid = (s->t_first + s->t_end) / 2;
    vp.t0 = mid;
    vp.t1 = mid + (s->t_end - s->t_first) / 4000;
    for (int lin = 0; lin < 2; lin++) {
        s->linear = lin;
        lv_viewport v2 = lin ? view(1280, 720) : vp;
        lv_frame fo = {0}, fe = {0};
        layout_both(s, &v2, &fo, &fe);
        ASSERT_EQ(fo.overview, 0);
        ASSERT_GT(fo.nfills, 0);
        ASSERT_EQ(fo.nfills, fe.nfills);
        for (size_t i = 0; i < fo.nfills; i++) {
            ASSERT_EQ(fo.fills[i].r.x, fe.fills[i].r.x);
            ASSERT_EQ(fo.fills[i].r.w, fe.fills[i].r.w);
            ASSERT_EQ(fo.fills[i].color, fe.fills[i].color);
        }
        ASSERT_EQ(fo.narrows, fe.narrows);
        ASSERT_EQ(fo.nmarks, fe.nmarks);
        lv_frame_free(&fo);
        lv_frame_free(&fe);
    }
    s->linear = 0;
    lv_scene_free(s);
    /* side by side: the scene on a warp shared with a short run */
    uint64_t r2 = 11;
    lv_trace *other = random_trace(2000, &r2);
    ASSERT_EQ(lv_scene_new_shared(tr, other, &s), LV_OK);
    ASSERT(s->ov);
    check_overview_views(s, &rng);
    lv_scene_free(s);
    lv_trace_free(other);
    lv_trace_free(tr);
    /* a coarse clock (250 events a tick) with one long gap: few distinct times, so the gap stays
     * wide enough in the warp for an axis break even at full zoom-out; many holds begin and end
     * on one tick, and show all the same */
    rng = 3;
    tr = random_trace(100000, &rng);
    for (size_t i = 0; i < tr->nevents; i++)
        tr->events[i].t = (int64_t)(i / 250) * 1000 + (i >= tr->nevents / 2 ? 1000000000 : 0);
    ASSERT_EQ(lv_scene_new(tr, &s), LV_OK);
    ASSERT(s->ov);
    lv_viewport whole = view(1280, 720);
    lv_frame fb = {0};
    ASSERT_EQ(lv_frame_layout(&fb, s, &whole), LV_OK);
    ASSERT_GT(fb.nbreaks, 0);
    check_overview_view(s, &whole); /* the same breaks as the exact layout */
    lv_frame_free(&fb);
    lv_scene_free(s);
    lv_trace_free(tr);
    /* one thread taking and releasing a lock within each tick: every hold is zero-width, and
     * the hold row is drawn from the overview as it is exactly */
    tr = new_trace(1, 1, 70002);
    put(tr, 0, 0, LV_EV_START, LV_NONE);
    for (int i = 0; i < 35000; i++) {
        put(tr, 10 * i + 1, 0, LV_EV_ACQUIRE, 0);
        put(tr, 10 * i + 1, 0, LV_EV_RELEASE, 0);
    }
    put(tr, 350001, 0, LV_EV_END, LV_NONE);
    ASSERT_EQ(lv_scene_new(tr, &s), LV_OK);
    ASSERT(s->ov);
    lv_frame fz = {0}, fx = {0};
    layout_both(s, &whole, &fz, &fx);
    ASSERT_EQ(fz.overview, 1);
    int wz = fz.x1 - fz.x0;
    uint8_t *ha = malloc((size_t)wz), *hb = malloc((size_t)wz);
    int y = fz.lanes[0].holds.y;
    strip(&fz, y, wz, ha, 0);
    strip(&fx, y, wz, hb, 0);
    int drawn = 0;
    for (int i = 0; i < wz; i++)
        drawn += hb[i];
    ASSERT_GT(drawn, wz / 2);
    under_neighbours(hb, ha, wz, "zero-width holds, exact");
    under_neighbours(ha, hb, wz, "zero-width holds, overview");
    free(ha);
    free(hb);
    lv_frame_free(&fz);
    lv_frame_free(&fx);
    lv_scene_free(s);
    lv_trace_free(tr);
    /* hundreds of threads: fewer cells, within LV_OVERVIEW_BYTES; past that, none */
    static const size_t many[] = {300, 1200};
    for (size_t m = 0; m < 2; m++) {
        size_t nt = many[m];
        tr = new_trace(nt, 1, 70000 + 2 * nt);
        for (size_t k = 0; k < nt; k++)
            put(tr, 0, (int32_t)k, LV_EV_START, LV_NONE);
        for (int i = 0; i < 70000; i++)
            put(tr, i + 1, (int32_t)(i % (int)nt), i % 2 ? LV_EV_ACQUIRE : LV_EV_RELEASE, 0);
        for (size_t k = 0; k < nt; k++)
            put(tr, 70001, (int32_t)k, LV_EV_END, LV_NONE);
        ASSERT_EQ(lv_scene_new(tr, &s), LV_OK);
        if (m == 0) {
            ASSERT(s->ov);
            ASSERT_LT(s->ov->ncells, LV_OVERVIEW_CELLS);
            ASSERT_GE(s->ov->ncells, LV_OVERVIEW_FEWEST);
        } else {
            ASSERT(!s->ov);
        }
        lv_frame fm = {0};
        lv_viewport vm = view(1280, 720);
        ASSERT_EQ(lv_frame_layout(&fm, s, &vm), LV_OK); /* laid out either way */
        ASSERT_GT(fm.nfills, 0);
        lv_frame_free(&fm);
        lv_scene_free(s);
        lv_trace_free(tr);
    }
    /* a short trace keeps no overview */
    rng = 9;
    tr = random_trace(1000, &rng);
    ASSERT_EQ(lv_scene_new(tr, &s), LV_OK);
    ASSERT(!s->ov);
    lv_scene_free(s);
    lv_trace_free(tr);
}

TEST(layout_matches_a_brute_force_reference_on_every_scenario) {
    uint64_t rng = 7;
    for (size_t i = 0; i < lv_nscenarios; i++) {
        const lv_scenario *sc = lv_scenarios[i];
        for (int v = 0; v < sc->nvariants; v++) {
            lv_run_desc d = {.scenario = sc, .variant = v, .mode = LV_MODE_CONTROLLED, .seed = 1};
            lv_trace *tr = NULL;
            ASSERT_EQ(lv_run(&d, &tr), LV_OK);
            lv_scene *s;
            ASSERT_EQ(lv_scene_new(tr, &s), LV_OK);
            check_views(s, &rng);
            lv_scene_free(s);
            lv_trace_free(tr);
        }
    }
}

/* A frame's lanes part is reused while only the playhead moves; whatever else changes (the
 * view, the highlight, the scroll, the time mode, the scene itself) lays it out anew. Either
 * way the frame equals one laid out from scratch. */
static void same_frame(const lv_frame *a, const lv_frame *b) {
    ASSERT_EQ(a->nfills, b->nfills);
    for (size_t i = 0; i < a->nfills; i++) {
        ASSERT_EQ(a->fills[i].color, b->fills[i].color);
        ASSERT_EQ(a->fills[i].r.x, b->fills[i].r.x);
        ASSERT_EQ(a->fills[i].r.y, b->fills[i].r.y);
        ASSERT_EQ(a->fills[i].r.w, b->fills[i].r.w);
        ASSERT_EQ(a->fills[i].r.h, b->fills[i].r.h);
    }
    ASSERT_EQ(a->nlabels, b->nlabels);
    for (size_t i = 0; i < a->nlabels; i++) {
        ASSERT_EQ(a->labels[i].seq, b->labels[i].seq);
        ASSERT_EQ(a->labels[i].x, b->labels[i].x);
        ASSERT_EQ(a->labels[i].w, b->labels[i].w);
        ASSERT_EQ(a->labels[i].nbytes, b->labels[i].nbytes);
    }
    ASSERT_EQ(a->narrows, b->narrows);
    for (size_t i = 0; i < a->narrows; i++) {
        ASSERT_EQ(a->arrows[i].rel, b->arrows[i].rel);
        ASSERT_EQ(a->arrows[i].x0, b->arrows[i].x0);
        ASSERT_EQ(a->arrows[i].x1, b->arrows[i].x1);
    }
    ASSERT_EQ(a->nmarks, b->nmarks);
    for (size_t i = 0; i < a->nmarks; i++) {
        ASSERT_EQ(a->marks[i].seq, b->marks[i].seq);
        ASSERT_EQ(a->marks[i].kind, b->marks[i].kind);
        ASSERT_EQ(a->marks[i].x, b->marks[i].x);
        ASSERT_EQ(a->marks[i].y, b->marks[i].y);
    }
    ASSERT_EQ(a->total_dropped, b->total_dropped);
    ASSERT_EQ(a->ndropped, b->ndropped);
    ASSERT_EQ(a->playhead_x, b->playhead_x);
    ASSERT_EQ(a->nticks, b->nticks);
    for (size_t i = 0; i < a->nticks; i++) {
        ASSERT_EQ(a->ticks[i].x, b->ticks[i].x);
        ASSERT_EQ(a->ticks[i].t, b->ticks[i].t);
    }
    ASSERT_EQ(a->nbreaks, b->nbreaks);
    for (size_t i = 0; i < a->nbreaks; i++)
        ASSERT_EQ(a->breaks[i], b->breaks[i]);
}

static void check_memo(lv_frame *kept, const lv_scene *s, const lv_viewport *vp) {
    lv_frame fresh = {0};
    ASSERT_EQ(lv_frame_layout(kept, s, vp), LV_OK);
    ASSERT_EQ(lv_frame_layout(&fresh, s, vp), LV_OK);
    same_frame(kept, &fresh);
    lv_frame_free(&fresh);
}

TEST(a_frame_reuses_its_lanes_only_for_the_same_view) {
    lv_trace *tr = run_variant("deadlock", "two-locks", 1, NULL, 0);
    lv_scene *s;
    ASSERT_EQ(lv_scene_new(tr, &s), LV_OK);
    ASSERT(tr->nfindings > 0);
    lv_frame f = {0};
    lv_viewport vp = view(1280, 720);
    for (long seq = 0; seq < (long)tr->nevents; seq += 3) { /* playing: only the playhead */
        vp.seq = seq;
        vp.play_t = tr->events[seq].t;
        check_memo(&f, s, &vp);
    }
    vp.highlight = 0;
    check_memo(&f, s, &vp);
    vp.lane_scroll = 1;
    check_memo(&f, s, &vp);
    vp.t0 = tr->events[tr->nevents / 3].t;
    vp.t1 = tr->events[2 * tr->nevents / 3].t;
    check_memo(&f, s, &vp);
    vp.w = 1000;
    check_memo(&f, s, &vp);
    s->linear = 1;
    check_memo(&f, s, &vp);
    /* a new scene, even of another trace at the same address, is laid out anew */
    lv_scene_free(s);
    lv_trace *tr2 = run_variant("ticket", "unlocked", 1, NULL, 0);
    ASSERT_EQ(lv_scene_new(tr2, &s), LV_OK);
    vp = view(1280, 720);
    check_memo(&f, s, &vp);
    lv_frame_free(&f);
    lv_scene_free(s);
    lv_trace_free(tr);
    lv_trace_free(tr2);
}

static void same_state(const lv_state *a, const lv_state *b, size_t nthreads) {
    ASSERT_EQ(a->seq, b->seq);
    ASSERT_EQ(a->nobjs, b->nobjs);
    for (size_t i = 0; i < a->nobjs; i++) {
        const lv_ostate *x = &a->objs[i], *y = &b->objs[i];
        ASSERT_EQ(x->owner, y->owner);
        ASSERT_EQ(x->count, y->count);
        ASSERT_EQ(x->flag, y->flag);
        ASSERT_EQ(x->waiters.n, y->waiters.n);
        for (size_t k = 0; k < x->waiters.n; k++)
            ASSERT_EQ(x->waiters.v[k], y->waiters.v[k]);
        ASSERT_EQ(x->inside.n, y->inside.n);
        for (size_t k = 0; k < x->inside.n; k++)
            ASSERT_EQ(x->inside.v[k], y->inside.v[k]);
        ASSERT_EQ(x->nhist, y->nhist);
        ASSERT_EQ(x->total_hist, y->total_hist);
        for (size_t k = 0; k < x->nhist; k++) {
            ASSERT_EQ(x->hist[k].seq, y->hist[k].seq);
            ASSERT_EQ(x->hist[k].value, y->hist[k].value);
            ASSERT_EQ(x->hist[k].mark, y->hist[k].mark);
        }
    }
    for (size_t t = 0; t < nthreads; t++) {
        ASSERT_EQ(a->tstate[t], b->tstate[t]);
        ASSERT_EQ(a->wait_obj[t], b->wait_obj[t]);
        ASSERT_EQ(a->wait_thread[t], b->wait_thread[t]);
        ASSERT_EQ(a->last_note[t], b->last_note[t]);
    }
}

/* Seeking anywhere, back or forth, through checkpoints gives the state a replay from the start
 * gives, on every scenario's run. */
TEST(seeking_back_through_checkpoints_equals_replaying) {
    uint64_t rng = 11;
    for (size_t i = 0; i < lv_nscenarios; i++) {
        const lv_scenario *sc = lv_scenarios[i];
        for (int v = 0; v < sc->nvariants; v++) {
            lv_run_desc d = {.scenario = sc, .variant = v, .mode = LV_MODE_CONTROLLED, .seed = 3};
            lv_trace *tr = NULL;
            ASSERT_EQ(lv_run(&d, &tr), LV_OK);
            lv_scene *s;
            ASSERT_EQ(lv_scene_new(tr, &s), LV_OK);
            lv_state st, ref;
            ASSERT_EQ(lv_state_init(&st, s), LV_OK);
            st.every = 5;
            long n = (long)tr->nevents;
            ASSERT_EQ(lv_state_seek(&st, s, n - 1), LV_OK); /* passes every checkpoint */
            ASSERT_EQ(st.nckpt, (size_t)(n / 5));
            for (int k = 0; k < 60; k++) {
                rng = rng * 6364136223846793005u + 1442695040888963407u;
                long seq = (long)((rng >> 33) % (uint64_t)(n + 1)) - 1;
                ASSERT_EQ(lv_state_seek(&st, s, seq), LV_OK);
                ASSERT_EQ(lv_state_init(&ref, s), LV_OK);
                ref.every = n + 1; /* no checkpoints: a plain replay */
                ASSERT_EQ(lv_state_seek(&ref, s, seq), LV_OK);
                same_state(&st, &ref, tr->nthreads);
                lv_state_free(&ref);
            }
            lv_state_free(&st);
            lv_scene_free(s);
            lv_trace_free(tr);
        }
    }
}

/* The viewer finds every lost update from the events, as analysis defines them: not from a
 * finding's words (a Chinese message, or any other), and not from the order of its events.
 * The finding's payload names the first; the other eight are there too. */
TEST(lost_updates_come_from_the_events_not_the_words) {
    lv_trace *tr = run_variant("ticket", "unlocked", 1, NULL, 0);
    lv_finding *lf = (lv_finding *)find_finding(tr, LV_FIND_RACE, "Lost update on tickets");
    ASSERT(lf);
    ASSERT_EQ(lf->payload, LV_PAY_LOST_UPDATE);
    uint32_t read = lf->data.lost.read.seq, over = lf->data.lost.overwrite.seq;
    free(lf->message);
    lf->message = strdup("丢失的更新");
    uint32_t t = lf->events[0]; /* events in another order */
    lf->events[0] = lf->events[2];
    lf->events[2] = t;
    lv_finding *race = (lv_finding *)find_finding(tr, LV_FIND_RACE, "Data race on tickets");
    ASSERT(race);
    free(race->message);
    race->message = strdup("Lost update on tickets: not one, whatever its words say");
    lv_scene *s;
    ASSERT_EQ(lv_scene_new(tr, &s), LV_OK);
    ASSERT_EQ(s->nlost, 9); /* ten buyers, one ticket: nine updates lost */
    ASSERT_EQ(s->nlost, 1 + lf->data.lost.more);
    int named = 0;
    for (size_t i = 0; i < s->nlost; i++) {
        ASSERT_EQ(s->lost[i].obj, obj_id(tr, "tickets"));
        ASSERT_EQ(tr->events[s->lost[i].stale_read].kind, LV_EV_READ);
        ASSERT_EQ(tr->events[s->lost[i].bad_write].kind, LV_EV_WRITE);
        ASSERT_EQ(tr->events[s->lost[i].stale_read].thread,
                  tr->events[s->lost[i].bad_write].thread);
        ASSERT_NE(tr->events[s->lost[i].lost_write].thread,
                  tr->events[s->lost[i].bad_write].thread);
        if (i) ASSERT_LT(s->lost[i - 1].stale_read, s->lost[i].stale_read);
        named += s->lost[i].stale_read == read && s->lost[i].bad_write == over;
    }
    ASSERT_EQ(named, 1);
    lv_scene_free(s);
    lv_trace_free(tr);
}

/* The findings panel speaks the UI's language: each finding rendered from its payload. */
TEST(findings_are_shown_in_the_language_of_the_ui) {
    lv_trace *tr = run_variant("ticket", "unlocked", 1, NULL, 0);
    lv_scene *s;
    ASSERT_EQ(lv_scene_new(tr, &s), LV_OK);
    for (int lang = 0; lang < LV_LANG__COUNT; lang++) {
        lv_frame f = {0};
        lv_viewport vp = view(1920, 1080);
        vp.lang = lang;
        ASSERT_EQ(lv_frame_layout(&f, s, &vp), LV_OK);
        int zh = 0, en = 0;
        for (size_t i = 0; i < f.nflines; i++) {
            char line[4096];
            snprintf(line, sizeof line, "%.*s", (int)f.flines[i].n, f.flines[i].s);
            zh |= strstr(line, "数据竞争") != NULL || strstr(line, "丢失的更新") != NULL;
            en |= strstr(line, "Data race on") != NULL || strstr(line, "Lost update on") != NULL;
        }
        ASSERT_EQ(zh, lang == LV_LANG_ZH);
        ASSERT_EQ(en, lang == LV_LANG_EN);
        lv_frame_free(&f);
    }
    for (size_t i = 0; i < tr->nfindings; i++)
        ASSERT_STR_EQ(lv_scene_message(s, i, LV_LANG_EN), tr->findings[i].message);
    lv_scene_free(s);
    lv_trace_free(tr);
}

/* The chips naming what each wait of a deadlock waits for: inside the lanes' area, beside
 * their arrow, never over each other; all of them on the recorded dining philosophers (five
 * forks at the right edge), and on crowded cases (long names, a small window) some may be left
 * out but none leaves the area. The five forks in five colours (eight before one repeats). */
static size_t check_wait_chips(const lv_trace *tr, int w, int h) {
    lv_scene *s;
    ASSERT_EQ(lv_scene_new(tr, &s), LV_OK);
    lv_frame f = {0};
    lv_viewport vp = view(w, h);
    vp.seq = (long)tr->nevents - 1;
    vp.play_t = tr->events[tr->nevents - 1].t;
    ASSERT_EQ(lv_frame_layout(&f, s, &vp), LV_OK);
    ASSERT(f.cycle_shown);
    ASSERT_GT(f.nwaits, 0);
    size_t shown = 0;
    for (size_t i = 0; i < f.nwaits; i++) {
        lv_rect a = f.waits[i].label;
        if (a.w <= 0) continue;
        shown++;
        ASSERT_GE(a.x, f.area.x);
        ASSERT_LE(a.x + a.w, f.area.x + f.area.w);
        ASSERT_GE(a.y, f.area.y);
        ASSERT_LE(a.y + a.h, f.area.y + f.area.h);
        ASSERT_EQ(a.h, f.line_h[LV_FONT_NOTE]);
        ASSERT(a.x > f.waits[i].x || a.x + a.w < f.waits[i].x); /* beside its arrow */
        for (size_t j = 0; j < i; j++) {
            lv_rect b = f.waits[j].label;
            if (b.w > 0 && a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h)
                TEST_FAIL_AT("%dx%d: chips %zu and %zu overlap", w, h, j, i);
        }
    }
    size_t n = f.nwaits;
    lv_frame_free(&f);
    lv_scene_free(s);
    return shown == n ? n : 0; /* 0: some were left out */
}

TEST(deadlock_wait_chips_stay_inside_and_apart) {
    lv_trace *tr = NULL;
    char err[512];
    if (lv_trace_load(LV_VIEW_DATA_DIR "/philo-deadlock-recorded.json", &tr, err, sizeof err))
        TEST_FAIL_AT("%s", err);
    int32_t fork[5];
    for (int k = 0; k < 5; k++) {
        char nm[32];
        snprintf(nm, sizeof nm, "forks[%d]", k);
        fork[k] = obj_id(tr, nm);
        for (int j = 0; j < k; j++)
            ASSERT(lv_hold_color(fork[j]) != lv_hold_color(fork[k]));
    }
    lv_rgb reds[2] = {lv_color_rgb(LV_C_BLOCKED), {140, 40, 0}}; /* the wait, the cycle's frame */
    for (int k = 0; k < LV_NHOLD_COLORS; k++) {
        lv_rgb c = lv_color_rgb(lv_hold_color(k));
        for (int j = 0; j < LV_NHOLD_COLORS + 2; j++) {
            lv_rgb o =
                j < LV_NHOLD_COLORS ? lv_color_rgb(lv_hold_color(j)) : reds[j - LV_NHOLD_COLORS];
            if (j == k) continue;
            ASSERT_GT(abs(c.r - o.r) + abs(c.g - o.g) + abs(c.b - o.b), 60);
        }
    }
    ASSERT_EQ(lv_hold_color(LV_NHOLD_COLORS), lv_hold_color(0));
    /* the five chips at 1280x720 and 1920x1080, where they used to overlap and be cut */
    ASSERT_EQ(check_wait_chips(tr, 1280, 720), 5);
    ASSERT_EQ(check_wait_chips(tr, 1920, 1080), 5);
    check_wait_chips(tr, 640, 480);
    check_wait_chips(tr, 400, 700);
    /* made for the case: names four times as long crowd the right edge */
    for (int k = 0; k < 5; k++) {
        char nm[64];
        snprintf(nm, sizeof nm, "the fork on the left of philosopher %d", k);
        free(tr->objects[fork[k]].name);
        tr->objects[fork[k]].name = strdup(nm);
        ASSERT(tr->objects[fork[k]].name);
    }
    check_wait_chips(tr, 1280, 720);
    check_wait_chips(tr, 640, 480);
    lv_trace_free(tr);
    /* names of 9,000 characters */
    if (lv_trace_load(LV_CORPUS_DIR "/good/long-names-deadlock.json", &tr, err, sizeof err))
        TEST_FAIL_AT("%s", err);
    check_wait_chips(tr, 1280, 720);
    lv_trace_free(tr);
}

TEST_MAIN(TEST_ENTRY(deadlock_wait_chips_stay_inside_and_apart, 60),
          TEST_ENTRY(lost_updates_come_from_the_events_not_the_words, 60),
          TEST_ENTRY(findings_are_shown_in_the_language_of_the_ui, 60),
          TEST_ENTRY(time_x_round_trip, 60),
          TEST_ENTRY(seeking_back_through_checkpoints_equals_replaying, 60),
          TEST_ENTRY(a_frame_reuses_its_lanes_only_for_the_same_view, 60),
          TEST_ENTRY(lanes_one_per_thread, 60),
          TEST_ENTRY(deadlock_blocked_span_is_drawn_blocked, 60),
          TEST_ENTRY(sleeping_and_finished_spans, 60),
          TEST_ENTRY(labels_never_overlap_in_a_crowded_trace, 60),
          TEST_ENTRY(note_label_goes_whole_before_it_is_cut, 10),
          TEST_ENTRY(lane_words_take_two_lines_when_long, 10),
          TEST_ENTRY(fit_prefix_cuts_whole_characters, 60), TEST_ENTRY(hit_testing, 60),
          TEST_ENTRY(a_million_events_stay_bounded_by_pixels, 120),
          TEST_ENTRY(locks_at_the_playhead, 60), TEST_ENTRY(lost_update_marks_the_stale_read, 60),
          TEST_ENTRY(semaphores_and_events_at_the_playhead, 60),
          TEST_ENTRY(viewer_keys_step_and_go_to_findings, 60),
          TEST_ENTRY(viewer_plays_at_its_speed_and_stops_at_the_end, 60),
          TEST_ENTRY(viewer_wheel_zooms_around_the_cursor_and_a_drag_pans, 60),
          TEST_ENTRY(viewer_clicks_move_the_playhead_and_pick_findings, 60),
          TEST_ENTRY(viewer_buttons_play_and_step, 60),
          TEST_ENTRY(viewer_escape_closes_the_innermost_and_q_quits, 60),
          TEST_ENTRY(layout_matches_a_brute_force_reference_on_a_random_scene, 120),
          TEST_ENTRY(layout_matches_a_brute_force_reference_on_every_scenario, 120),
          TEST_ENTRY(a_long_trace_zoomed_out_is_laid_out_from_its_overview, 120),
          TEST_ENTRY(long_chinese_names_are_cut_between_characters, 60))
