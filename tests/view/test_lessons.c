/* Every lesson's promise is on screen (issue 16, item 5): each variant of each scenario is run
 * (seed 1, its defaults), its lesson text is read in English and Chinese for what it tells the
 * class to watch, and the frame at the run's end (1280x720, the pure layer's description, no
 * pixels) is checked for that mark: the gauge strip red past the stalls, the RLock's count
 * 1 2 1 0 on its hold bar, a mark on every timeout, a ring on every stale read, the objects
 * panel's words whole. Also: the findings' verdicts lead the panel, the message bar never
 * covers a lane, and the legend explains every kind of mark the lanes carry. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "geom.h"
#include "registry.h"
#include "support.h"

static int fixed_measure(void *ctx, lv_font_id f, const char *s, size_t n) {
    (void)ctx;
    (void)f;
    int w = 0;
    for (size_t i = 0; i < n; i++) /* a Chinese character is about two Latin ones wide */
        w += ((unsigned char)s[i] & 0xC0) == 0x80 ? 0 : (unsigned char)s[i] >= 0x80 ? 16 : 9;
    return w;
}

typedef struct shown {
    lv_trace *tr;
    lv_scene *s;
    lv_state st;
    lv_frame f;
    lv_viewport vp;
} shown;

/* The run at its end, the whole of it in view and on screen. */
static void show_end(shown *x, const char *scenario, const char *variant, int lang) {
    memset(x, 0, sizeof *x);
    x->tr = run_variant(scenario, variant, 1, NULL, 0);
    ASSERT_EQ(lv_scene_new(x->tr, &x->s), LV_OK);
    ASSERT_EQ(lv_state_init(&x->st, x->s), LV_OK);
    long end = (long)x->tr->nevents - 1;
    ASSERT_EQ(lv_state_seek(&x->st, x->s, end), LV_OK);
    x->vp = (lv_viewport){.w = 1280,
                          .h = 720,
                          .seq = end,
                          .play_t = x->tr->events[end].t,
                          .highlight = -1,
                          .hover_x = -1,
                          .hover_y = -1,
                          .lang = lang,
                          .future = LV_FUTURE_SHOW,
                          .measure = fixed_measure};
    ASSERT_EQ(lv_frame_layout(&x->f, x->s, &x->vp), LV_OK);
}

static void shown_free(shown *x) {
    lv_frame_free(&x->f);
    lv_state_free(&x->st);
    lv_scene_free(x->s);
    lv_trace_free(x->tr);
}

static const lv_lane *lane_of(const lv_frame *f, int32_t th) {
    for (size_t i = 0; i < f->nlanes; i++)
        if (f->lanes[i].thread == th) return &f->lanes[i];
    return NULL;
}

static size_t marks_of(const lv_frame *f, uint8_t kind) {
    size_t n = 0;
    for (size_t i = 0; i < f->nmarks; i++)
        n += f->marks[i].kind == kind;
    return n;
}

/* A mark of kind on event seq's lane within a pixel of where the event is. */
static int marked(const lv_frame *f, const lv_scene *s, uint32_t seq, uint8_t kind) {
    const lv_event *e = &s->tr->events[seq];
    const lv_lane *ln = lane_of(f, e->thread);
    if (!ln) return 1; /* not on screen: nothing to mark */
    int x = (int)lround(lv_frame_x(f, s, e->t));
    for (size_t i = 0; i < f->nmarks; i++)
        if (f->marks[i].kind == kind && abs(f->marks[i].x - x) <= 1 &&
            f->marks[i].y == ln->band.y + ln->band.h / 2)
            return 1;
    return 0;
}

/* Fills in the gauge strip of colour c. */
static size_t gauge_fills(const lv_frame *f, uint8_t c) {
    size_t n = 0;
    for (size_t i = 0; i < f->nfills; i++)
        for (size_t g = 0; g < f->ngauges; g++)
            n += f->fills[i].color == c &&
                 lv_rect_has(f->gauges[g], f->fills[i].r.x, f->fills[i].r.y);
    return n;
}

/* The words wrap in the objects panel's width (as render_objects.c wraps them) into lines
 * that together are the whole text: nothing is cut to "…". */
static void whole_in_panel(const lv_frame *f, const char *s) {
    int w = f->objects.w - 2 * (int)lround(12 * f->scale);
    size_t n = strlen(s), got = 0;
    int lines = 0;
    while (got < n) {
        size_t k = lv_wrap_line(fixed_measure, NULL, LV_FONT_BODY, s + got, n - got, w);
        ASSERT_GT(k, 0);
        ASSERT_LE(fixed_measure(NULL, LV_FONT_BODY, s + got, k), w);
        got += k;
        while (got < n && s[got] == ' ')
            got++;
        lines++;
    }
    ASSERT_LE(lines * f->line_h[LV_FONT_BODY], f->objects.h);
    ASSERT(!strstr(s, "…"));
}

typedef struct promise {
    const char *scenario, *variant;
    const char *en, *zh; /* what the lesson says to watch, in its own words */
    void (*check)(shown *x);
} promise;

/* "watch the count of people inside climb past the number of stalls" */
static void inside_past_stalls(shown *x) {
    ASSERT_EQ(x->f.ngauges, 1);
    ASSERT_STR_EQ(lv_trace_object_name(x->tr, x->f.gauge_obj[0]), "inside");
    ASSERT_GT(gauge_fills(&x->f, LV_C_BLOCKED), 0); /* red: past the capacity */
    ASSERT_GT(gauge_fills(&x->f, LV_C_DIM), 0);     /* and below it, before and after */
    /* the strip is under the lanes, over the axis, and covers none of them */
    const lv_lane *last = &x->f.lanes[x->f.nlanes - 1];
    ASSERT_GE(x->f.gauges[0].y, last->r.y + last->r.h);
    ASSERT_LE(x->f.gauges[0].y + x->f.gauges[0].h, x->f.axis.y);
    ASSERT_EQ(x->f.nlanes, x->tr->nthreads);
    char b[256];
    ASSERT_EQ(lv_gauge_words(x->s, &x->st, x->f.gauge_obj[0], x->vp.lang, b, sizeof b), 0);
    ASSERT_CONTAINS(b, "0"); /* at the end nobody is inside */
    whole_in_panel(&x->f, b);
}

/* "never more inside than stalls" */
static void never_past_stalls(shown *x) {
    ASSERT_EQ(x->f.ngauges, 1);
    ASSERT_EQ(gauge_fills(&x->f, LV_C_BLOCKED), 0);
    ASSERT_GT(gauge_fills(&x->f, LV_C_DIM), 0);
    int blocked = 0; /* the queue: people blocked on the semaphore */
    for (size_t i = 0; i < x->f.nfills; i++)
        blocked += x->f.fills[i].color == LV_C_BLOCKED;
    ASSERT_GT(blocked, 0);
}

/* "one more person may squeeze in", and the semaphore's line whole in the panel */
static void squeezes_in(shown *x) {
    ASSERT_GT(gauge_fills(&x->f, LV_C_BLOCKED), 0);
    int32_t sem = obj_id(x->tr, "stalls");
    char b[256];
    lv_sem_words(x->s, &x->st, sem, x->vp.lang, b, sizeof b);
    ASSERT_CONTAINS(b, "3"); /* the capacity, not cut to "3 of …" */
    whole_in_panel(&x->f, b);
    for (int at = 0; at < 3; at++) { /* and at moments when people are inside */
        long seq = (long)x->tr->nevents * (at + 1) / 4;
        ASSERT_EQ(lv_state_seek(&x->st, x->s, seq), LV_OK);
        lv_sem_words(x->s, &x->st, sem, x->vp.lang, b, sizeof b);
        whole_in_panel(&x->f, b);
    }
}

/* "watch the count go 1, 2, 1, 0": on a hold bar, and in the panel while held */
static void rlock_counts(shown *x) {
    int found = 0;
    for (size_t i = 0; i < x->f.ncounts; i++) {
        const lv_count_label *c = &x->f.counts[i];
        found |= strstr(c->text, "1 2 1 0") != NULL;
        ASSERT_EQ(x->tr->objects[c->obj].kind, LV_OBJ_RLOCK);
        ASSERT_LE(c->x + c->w, x->f.x1 + c->w); /* it starts on the lanes' time part */
    }
    ASSERT(found);
    int32_t lk = obj_id(x->tr, "A=B");
    for (size_t i = 0; i < x->tr->nevents; i++) {
        const lv_event *e = &x->tr->events[i];
        if (e->obj != lk || e->kind != LV_EV_ACQUIRE || e->value != 2) continue;
        ASSERT_EQ(lv_state_seek(&x->st, x->s, (long)i), LV_OK);
        char b[256];
        lv_lock_status(x->s, &x->st, lk, x->vp.lang, b, sizeof b);
        ASSERT_CONTAINS(b, "2");
        ASSERT_CONTAINS(b, lv_trace_thread_name(x->tr, e->thread));
        whole_in_panel(&x->f, b);
        return;
    }
    TEST_FAIL_AT("the RLock never reached a count of 2");
}

/* "look for the timeout marks on the lanes": every timeout has one */
static void timeout_marks(shown *x) {
    size_t n = 0;
    for (size_t i = 0; i < x->tr->nevents; i++) {
        if (x->tr->events[i].kind != LV_EV_TIMEOUT) continue;
        n++;
        if (!marked(&x->f, x->s, (uint32_t)i, LV_MARK_TIMEOUT))
            TEST_FAIL_AT("timeout seq %zu has no mark", i);
    }
    ASSERT_GT(n, 2);
    ASSERT_GT(marks_of(&x->f, LV_MARK_TIMEOUT), 2);
}

/* every stale read ringed: one lost update per reader but the last writer */
static void stale_reads(shown *x, size_t want) {
    ASSERT_EQ(x->s->nlost, want);
    for (size_t i = 0; i < x->s->nlost; i++)
        if (!marked(&x->f, x->s, x->s->lost[i].stale_read, LV_MARK_STALE))
            TEST_FAIL_AT("stale read seq %u has no ring", x->s->lost[i].stale_read);
}
static void nine_lost(shown *x) {
    stale_reads(x, 9);                             /* ten buyers, one ticket */
    for (size_t t = 1; t < x->tr->nthreads; t++) { /* every buyer read tickets = 1 */
        int read1 = 0;
        for (size_t i = 0; i < x->tr->nevents; i++) {
            const lv_event *e = &x->tr->events[i];
            read1 |= e->thread == (int32_t)t && e->kind == LV_EV_READ && e->value == 1;
        }
        ASSERT(read1);
    }
}
static void ninety_nine_lost(shown *x) {
    stale_reads(x, 99); /* a hundred decrements collapse into one */
}
static void nothing_lost(shown *x) {
    stale_reads(x, 0);
    ASSERT_EQ(marks_of(&x->f, LV_MARK_STALE), 0);
}

/* holds in the locks' colours on the lanes: "watch locks A and B", a critical section */
static size_t hold_fills(const shown *x, int32_t obj) {
    size_t n = 0;
    for (size_t i = 0; i < x->f.nfills; i++)
        for (size_t l = 0; l < x->f.nlanes; l++)
            n += x->f.fills[i].color == lv_hold_color(obj) &&
                 lv_rect_has(x->f.lanes[l].holds, x->f.fills[i].r.x, x->f.fills[i].r.y);
    return n;
}
static void locks_a_and_b(shown *x) {
    ASSERT_GT(hold_fills(x, obj_id(x->tr, "A")), 0);
    ASSERT_GT(hold_fills(x, obj_id(x->tr, "B")), 0);
}
static void deadlock_verdict(shown *x) {
    locks_a_and_b(x);
    ASSERT_GT(x->f.nfrows, 0);
    ASSERT_EQ(x->tr->findings[x->f.frows[0].finding].kind, LV_FIND_DEADLOCK);
}
static void one_lock_held(shown *x) {
    int32_t lock = LV_NONE;
    for (size_t o = 0; o < x->tr->nobjects; o++)
        if (x->tr->objects[o].kind == LV_OBJ_MUTEX) lock = (int32_t)o;
    ASSERT_NE(lock, LV_NONE);
    ASSERT_GT(hold_fills(x, lock), 0);
}
static void self_deadlock(shown *x) {
    ASSERT_EQ(x->tr->outcome, LV_OUT_DEADLOCKED);
    ASSERT_GT(hold_fills(x, obj_id(x->tr, "A=B")), 0);
}
/* cars: polling never blocks; the Event's waits do */
static size_t car_blocked(const shown *x) {
    size_t n = 0;
    for (size_t l = 0; l < x->f.nlanes; l++) {
        if (strncmp(lv_trace_thread_name(x->tr, x->f.lanes[l].thread), "car", 3) != 0) continue;
        for (size_t i = 0; i < x->f.nfills; i++)
            n += x->f.fills[i].color == LV_C_BLOCKED &&
                 lv_rect_has(x->f.lanes[l].band, x->f.fills[i].r.x, x->f.fills[i].r.y);
    }
    return n;
}
static void cars_never_block(shown *x) {
    ASSERT_EQ(car_blocked(x), 0);
    ASSERT_GT(marks_of(&x->f, LV_MARK_READ), 0); /* they look at the flag */
}
static void cars_block(shown *x) {
    ASSERT_GT(car_blocked(x), 0);
}

static const promise promises[] = {
    {"ticket", "unlocked", "reads tickets = 1", "读到了 tickets = 1", nine_lost},
    {"ticket", "locked", "critical section", "临界区", one_lock_held},
    {"deadlock", "two-locks", "Watch locks A and B", "注意锁 A 和锁 B", deadlock_verdict},
    {"deadlock", "ordered", "f2 also takes A before B", "先拿 A 再拿 B", locks_a_and_b},
    {"deadlock", "timeout", "timeout marks on the lanes", "超时标记", timeout_marks},
    {"rlock", "lock", "waits for itself", "在等它自己", self_deadlock},
    {"rlock", "rlock", "watch the count go 1, 2, 1, 0", "计数 1、2、1、0", rlock_counts},
    {"traffic-light", "polling", "they never block", "从不阻塞", cars_never_block},
    {"traffic-light", "event", "calls wait() and blocks", "wait() 阻塞", cars_block},
    {"toilets", "none", "count of people inside climb past the number of stalls",
     "里面的人数超过了坑位数", inside_past_stalls},
    {"toilets", "semaphore", "never more inside than stalls", "从不超过坑位数", never_past_stalls},
    {"toilets", "bounded", "one more person may squeeze in", "可能多挤进一个人", squeezes_in},
    {"counter", "unlocked", "Watch n", "注意 n", ninety_nine_lost},
    {"counter", "locked", "read n after the previous one wrote it back", "写回之后才读 n",
     nothing_lost},
};

TEST(every_lesson_points_at_something_on_screen) {
    size_t nvariants = 0;
    for (size_t i = 0; i < lv_registry_count(); i++)
        nvariants += (size_t)lv_registry_at(i)->nvariants;
    ASSERT_EQ(sizeof promises / sizeof promises[0], nvariants); /* every variant has one */
    for (size_t i = 0; i < sizeof promises / sizeof promises[0]; i++) {
        const promise *p = &promises[i];
        const lv_scenario *sc = lv_scenario_find(p->scenario);
        ASSERT(sc);
        int v = lv_scenario_variant_index(sc, p->variant);
        ASSERT_GE(v, 0);
        ASSERT_CONTAINS(sc->variants[v].lesson_en, p->en);
        ASSERT_CONTAINS(sc->variants[v].lesson_zh, p->zh);
        for (int lang = 0; lang < LV_LANG__COUNT; lang++) {
            shown x;
            show_end(&x, p->scenario, p->variant, lang);
            p->check(&x);
            shown_free(&x);
        }
    }
}

/* The message bar sits under the lanes, never over one; the verdict leads the findings. */
TEST(messages_sit_in_a_bar_and_verdicts_lead) {
    shown x;
    show_end(&x, "ticket", "unlocked", LV_LANG_EN);
    ASSERT_EQ(x.f.message.h, 0);
    ASSERT_EQ(x.tr->findings[x.f.frows[0].finding].kind, LV_FIND_INVARIANT);
    int area_h = x.f.area.h;
    x.vp.toast = "New run: ticket / unlocked, seed 2\nExplore: run 3 failed. This is that run; "
                 "its schedule replays it exactly. A line long enough to wrap in the bar, once "
                 "or twice, at this width of window, and still be read whole";
    ASSERT_EQ(lv_frame_layout(&x.f, x.s, &x.vp), LV_OK);
    ASSERT_GT(x.f.message.h, 2 * x.f.line_h[LV_FONT_BODY]);
    ASSERT_LT(x.f.area.h, area_h);
    ASSERT_LE(x.f.axis.y + x.f.axis.h, x.f.message.y);
    for (size_t i = 0; i < x.f.nlanes; i++)
        ASSERT_LE(x.f.lanes[i].r.y + x.f.lanes[i].r.h, x.f.message.y);
    ASSERT_LE(x.f.message.y + x.f.message.h, x.f.findings.y);
    shown_free(&x);
}

/* The verdict (a broken invariant, a deadlock) is never hidden: at every window size, in both
 * languages, it is the findings panel's first row, whole inside the panel, however many other
 * findings the run has. */
TEST(the_verdict_is_never_hidden) {
    static const struct {
        const char *scenario, *variant;
        lv_finding_kind kind;
    } runs[] = {{"ticket", "unlocked", LV_FIND_INVARIANT},
                {"counter", "unlocked", LV_FIND_INVARIANT},
                {"deadlock", "two-locks", LV_FIND_DEADLOCK},
                {"toilets", "bounded", LV_FIND_INVARIANT}};
    static const int sizes[][2] = {{640, 400}, {800, 600}, {1280, 720}, {1920, 1080}};
    for (size_t r = 0; r < sizeof runs / sizeof runs[0]; r++)
        for (int lang = 0; lang < LV_LANG__COUNT; lang++) {
            shown x;
            show_end(&x, runs[r].scenario, runs[r].variant, lang);
            ASSERT_GT(x.tr->nfindings, 1); /* others that could push it out */
            for (size_t z = 0; z < sizeof sizes / sizeof sizes[0]; z++) {
                x.vp.w = sizes[z][0];
                x.vp.h = sizes[z][1];
                ASSERT_EQ(lv_frame_layout(&x.f, x.s, &x.vp), LV_OK);
                if (!x.f.nfrows)
                    TEST_FAIL_AT("%s/%s %dx%d: no finding shown", runs[r].scenario, runs[r].variant,
                                 sizes[z][0], sizes[z][1]);
                const lv_frow *v = &x.f.frows[0];
                ASSERT_EQ(x.tr->findings[v->finding].kind, runs[r].kind);
                ASSERT_GE(v->r.y, x.f.findings.y);
                ASSERT_LE(v->r.y + v->r.h, x.f.findings.y + x.f.findings.h);
            }
            shown_free(&x);
        }
}

/* A larger window shows more: more lanes of a crowd, and every finding of the ticket race. */
TEST(a_larger_window_shows_more) {
    shown x;
    show_end(&x, "counter", "unlocked", LV_LANG_EN);
    size_t small = x.f.nlanes;
    x.vp.w = 1920;
    x.vp.h = 1080;
    ASSERT_EQ(lv_frame_layout(&x.f, x.s, &x.vp), LV_OK);
    ASSERT_GT(x.f.nlanes, small + small / 4);
    double sc = lv_ui_scale(1920, 1080, 1);
    ASSERT(sc > 1.0 && sc < 1.5); /* bigger type, but not as much bigger as the window */
    shown_free(&x);
    show_end(&x, "ticket", "unlocked", LV_LANG_ZH);
    x.vp.w = 1920;
    x.vp.h = 1080;
    ASSERT_EQ(lv_frame_layout(&x.f, x.s, &x.vp), LV_OK);
    ASSERT_EQ(x.f.hidden_findings, 0);
    ASSERT_CONTAINS(x.f.status, "113 / 113"); /* events numbered from 1 */
    shown_free(&x);
}

/* Every kind of mark the lanes carry has a row in the legend, with words in both languages. */
TEST(the_legend_explains_every_mark) {
    static const uint8_t kinds[] = {LV_MARK_PLAYHEAD, LV_MARK_FINDING, LV_MARK_STALE,
                                    LV_MARK_READ,     LV_MARK_WRITE,   LV_MARK_TIMEOUT};
    for (size_t k = 0; k < sizeof kinds; k++) {
        lv_glyph g = lv_legend_glyph_of_mark(kinds[k]);
        ASSERT_LT(g, LV_GLYPH__COUNT);
        int listed = 0;
        for (int i = 0; lv_legend_rows[i].glyph != LV_GLYPH__COUNT; i++)
            listed |= lv_legend_rows[i].glyph == g;
        ASSERT(listed);
    }
    int seen[LV_GLYPH__COUNT] = {0}, n = 0;
    for (; lv_legend_rows[n].glyph != LV_GLYPH__COUNT; n++) {
        seen[lv_legend_rows[n].glyph]++;
        const char *en = lv_tr_raw(LV_LANG_EN, lv_legend_rows[n].words);
        const char *zh = lv_tr_raw(LV_LANG_ZH, lv_legend_rows[n].words);
        ASSERT(en && zh && *en && *zh);
        ASSERT(strcmp(en, zh) != 0);
    }
    for (int g = 0; g < LV_GLYPH__COUNT; g++) /* holds, counts, arrows, breaks, gauges too */
        ASSERT_EQ(seen[g], 1);
    /* the deadlock draws wait-for arrows and bystanders' thin bars: both are explained */
    shown x;
    show_end(&x, "deadlock", "two-locks", LV_LANG_EN);
    ASSERT_GT(x.f.nwaits, 0);
    int bystanders = 0;
    for (size_t i = 0; i < x.f.nlanes; i++)
        bystanders += x.f.lanes[i].role == LV_ROLE_BYSTANDER;
    ASSERT_GT(bystanders, 0);
    ASSERT_EQ(seen[LV_GLYPH_WAIT] + seen[LV_GLYPH_BYSTANDER], 2);
    shown_free(&x);
}

/* Notes show the window's language first: a seed's "抢到了A锁 (got lock A)" reads "got lock A
 * (抢到了A锁)" in English and as written in Chinese; other notes as written; the labels laid out
 * carry the form of the window's language. */
TEST(notes_speak_the_language_of_the_window) {
    char b[128];
    ASSERT_EQ(lv_note_swap("抢到了A锁 (got lock A)", b, sizeof b),
              strlen("抢到了A锁 (got lock A)"));
    ASSERT_STR_EQ(b, "got lock A (抢到了A锁)");
    ASSERT_GT(lv_note_swap("占到一个茅坑 (got a stall: 3 inside)", b, sizeof b), 0);
    ASSERT_STR_EQ(b, "got a stall: 3 inside (占到一个茅坑)");
    ASSERT_GT(lv_note_swap("剩余票数 1 (tickets left (f(x)))", b, sizeof b), 0);
    ASSERT_STR_EQ(b, "tickets left (f(x)) (剩余票数 1)");
    static const char *const as_written[] = {
        "x=1 (a)", "done!",  "got lock A (抢到了A锁)", "(只有中文)", "中文 (也是中文)",
        "中文 ()", "中文(x)"};
    for (size_t i = 0; i < sizeof as_written / sizeof as_written[0]; i++)
        ASSERT_EQ(lv_note_swap(as_written[i], b, sizeof b), 0);
    for (int lang = 0; lang < LV_LANG__COUNT; lang++) {
        shown x;
        show_end(&x, "rlock", "rlock", lang);
        ASSERT_GT(x.f.nlabels, 0);
        for (size_t i = 0; i < x.f.nlabels; i++) {
            const lv_event *e = &x.tr->events[x.f.labels[i].seq];
            const char *t = lv_scene_note_text(x.s, e, lang);
            if (lang == LV_LANG_ZH || !lv_note_swap(lv_trace_text(x.tr, e), b, sizeof b))
                ASSERT_STR_EQ(t, lv_trace_text(x.tr, e));
            else
                ASSERT_STR_EQ(t, b);
            ASSERT_LE(x.f.labels[i].nbytes, strlen(t));
        }
        char d[600];
        lv_event_describe(x.s, x.f.labels[0].seq, lang, d, sizeof d); /* hover: the whole */
        ASSERT_CONTAINS(d, lv_scene_note_text(x.s, &x.tr->events[x.f.labels[0].seq], lang));
        shown_free(&x);
    }
}

/* The notes a lesson tells the class to read have room: on the ticket race every buyer's
 * "tickets left" and late "bought a ticket", on the deadlock thread-3's three close "got lock"
 * lines, each labelled at least in the window's language, none cut to "go…" or dropped, none
 * over another or out of the lanes, in English and in Chinese. */
TEST(the_lessons_notes_are_read_whole) {
    static const char *const runs[][2] = {{"ticket", "unlocked"}, {"deadlock", "two-locks"}};
    for (size_t r = 0; r < 2; r++)
        for (int lang = 0; lang < 2; lang++) {
            shown x;
            show_end(&x, runs[r][0], runs[r][1], lang ? LV_LANG_ZH : LV_LANG_EN);
            const lv_frame *f = &x.f;
            if (f->total_dropped || !f->nlabels)
                TEST_FAIL_AT("%s/%s %s: %zu notes dropped of %zu", runs[r][0], runs[r][1],
                             lang ? "zh" : "en", f->total_dropped, f->total_dropped + f->nlabels);
            for (size_t i = 0; i < f->nlabels; i++) {
                const lv_label *a = &f->labels[i];
                const char *txt = lv_scene_note_text(x.s, &x.tr->events[a->seq], x.vp.lang);
                size_t head = lv_note_head(txt, strlen(txt));
                if (a->elided || a->nbytes < (head ? head : strlen(txt)))
                    TEST_FAIL_AT("%s/%s: the note \"%s\" is cut to %zu bytes", runs[r][0],
                                 runs[r][1], txt, a->nbytes);
                ASSERT_GE(a->x, f->x0);
                ASSERT_LE(a->x + a->w, f->x1);
                for (size_t j = 0; j < i; j++) {
                    const lv_label *b = &f->labels[j];
                    if (a->y == b->y) ASSERT(a->x + a->w <= b->x || b->x + b->w <= a->x);
                }
            }
            shown_free(&x);
        }
}

/* The whole of a note on hover: the mouse anywhere on a note's label, on the cut end ("timed
 * out: r…") as on its start, picks that note's event, and its description carries the whole
 * text (on the deadlock's timeout fix, whose many notes do not all fit whole). */
TEST(a_cut_note_shows_whole_on_hover) {
    for (int lang = 0; lang < LV_LANG__COUNT; lang++) {
        shown x;
        show_end(&x, "deadlock", "timeout", lang);
        lv_frame base = x.f;
        size_t n = base.nlabels, cut = 0;
        lv_label *labels = malloc(n * sizeof *labels);
        memcpy(labels, base.labels, n * sizeof *labels);
        for (size_t i = 0; i < n; i++) {
            const lv_label *lb = &labels[i];
            if (!lb->elided) continue;
            cut++;
            const int xs[3] = {lb->x + 1, lb->x + lb->w / 2, lb->x + lb->w - 2};
            for (int k = 0; k < 3; k++) {
                x.vp.hover_x = xs[k];
                x.vp.hover_y = lb->y + x.f.line_h[LV_FONT_NOTE] / 2;
                ASSERT_EQ(lv_frame_layout(&x.f, x.s, &x.vp), LV_OK);
                if (x.f.hover_seq != (long)lb->seq)
                    TEST_FAIL_AT("hover at %d,%d on the note of seq %u picks %ld", x.vp.hover_x,
                                 x.vp.hover_y, lb->seq, x.f.hover_seq);
            }
            char d[600];
            lv_event_describe(x.s, lb->seq, lang, d, sizeof d);
            ASSERT_CONTAINS(d, lv_scene_note_text(x.s, &x.tr->events[lb->seq], lang));
            char num[32]; /* numbered from 1, as the status line counts them */
            snprintf(num, sizeof num, lang ? "事件 %u，" : "event %u,", lb->seq + 1);
            ASSERT_CONTAINS(d, num);
        }
        ASSERT_GT(cut, 0);
        free(labels);
        shown_free(&x);
    }
}

TEST_MAIN(TEST_ENTRY(notes_speak_the_language_of_the_window, 60),
          TEST_ENTRY(the_lessons_notes_are_read_whole, 60),
          TEST_ENTRY(every_lesson_points_at_something_on_screen, 120),
          TEST_ENTRY(messages_sit_in_a_bar_and_verdicts_lead, 60),
          TEST_ENTRY(a_larger_window_shows_more, 60), TEST_ENTRY(the_verdict_is_never_hidden, 60),
          TEST_ENTRY(the_legend_explains_every_mark, 60),
          TEST_ENTRY(a_cut_note_shows_whole_on_hover, 60))
