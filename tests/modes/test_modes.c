/* The mode machine without a window: which modes exist and exclude which, what every key,
 * click, view request and tick means in each, every refusal (explore busy, a capability the
 * window lacks, a key that means nothing here, an answer that is none), entry and exit. */
#include "i18n.h"
#include "modes.h"
#include "test.h"

static lv_schedview sv;
static lv_predict pr;

/* A window in mode m: a controlled run of 3 threads, every callback, nothing else open. */
static lv_mode_ctx ctx(lv_vmode m) {
    lv_sv_free(&sv);
    lv_pr_free(&pr);
    lv_sv_init(&sv);
    lv_pr_init(&pr);
    lv_mode_ctx c = {.controlled = 1,
                     .has_lesson = 1,
                     .nthreads = 3,
                     .can = LV_CAN_RERUN | LV_CAN_COUNTERPART | LV_CAN_SCHED | LV_CAN_PICK |
                            LV_CAN_EXPLORE,
                     .sv = &sv,
                     .pr = &pr};
    c.compare = m == LV_VM_COMPARE;
    c.picker = m == LV_VM_PICKER;
    sv.on = m == LV_VM_SCHED;
    pr.on = m == LV_VM_PREDICT;
    return c;
}

/* A read question open: options 1, 2 and 12 (lettered A, B, C). */
static void ask_read(void) {
    pr.open = 1;
    pr.q = (lv_pq){.kind = LV_PQ_READ, .seq = 5, .opts = {1, 2, 12}, .nopts = 3};
}

static void ask_thread(void) {
    pr.open = 1;
    pr.q = (lv_pq){.kind = LV_PQ_THREAD, .seq = 5, .answer = 1};
}

static const char *const names[] = {
    [LV_MR_NONE] = "NONE",
    [LV_MR_VIEW] = "VIEW",
    [LV_MR_SAY] = "SAY",
    [LV_MR_NOTE_AHEAD] = "NOTE_AHEAD",
    [LV_MR_QUIT] = "QUIT",
    [LV_MR_QUIT_ASK] = "QUIT_ASK",
    [LV_MR_FULLSCREEN] = "FULLSCREEN",
    [LV_MR_EXPLORE] = "EXPLORE",
    [LV_MR_EXPLORE_CANCEL] = "EXPLORE_CANCEL",
    [LV_MR_EXPLORE_SHOW] = "EXPLORE_SHOW",
    [LV_MR_COMPARE_ON] = "COMPARE_ON",
    [LV_MR_COMPARE_OFF] = "COMPARE_OFF",
    [LV_MR_SCHED_ON] = "SCHED_ON",
    [LV_MR_SCHED_OFF] = "SCHED_OFF",
    [LV_MR_SCHED_END] = "SCHED_END",
    [LV_MR_SCHED_DROP] = "SCHED_DROP",
    [LV_MR_PREDICT_ON] = "PREDICT_ON",
    [LV_MR_PREDICT_OFF] = "PREDICT_OFF",
    [LV_MR_AUTO] = "AUTO",
    [LV_MR_PICK] = "PICK",
    [LV_MR_ANSWER] = "ANSWER",
    [LV_MR_RELEASE] = "RELEASE",
    [LV_MR_COPY] = "COPY",
    [LV_MR_RERUN] = "RERUN",
    [LV_MR_RERUN_COMPARE] = "RERUN_COMPARE",
    [LV_MR_TIME_VIEW] = "TIME_VIEW",
    [LV_MR_EXPORT] = "EXPORT",
    [LV_MR_PICKER_OPEN] = "PICKER_OPEN",
    [LV_MR_PICKER_KEY] = "PICKER_KEY",
    [LV_MR_PICKER_DIGIT] = "PICKER_DIGIT",
    [LV_MR_PICKER_CLICK] = "PICKER_CLICK",
    [LV_MR_PICKER_CLOSE] = "PICKER_CLOSE",
    [LV_MR_PICKER_RUN] = "PICKER_RUN",
    [LV_MR_POINT] = "POINT",
    [LV_MR_LANG] = "LANG",
    [LV_MR_AGAIN] = "AGAIN",
};

/* The requests as words: "PICK(1) SAY[the English text]"; args where they matter. */
static const char *words(const lv_mout *o) {
    static char b[1024];
    size_t n = 0;
    b[0] = 0;
    for (int i = 0; i < o->n; i++) {
        const lv_mreq *r = &o->r[i];
        n += (size_t)snprintf(b + n, sizeof b - n, "%s%s", i ? " " : "", names[r->kind]);
        if (r->kind == LV_MR_SAY) {
            char t[512];
            snprintf(t, sizeof t, r->word[0] ? lv_tr(LV_LANG_EN, (lv_tr_key)r->text) : "%s",
                     r->word[0] ? r->word : lv_tr(LV_LANG_EN, (lv_tr_key)r->text));
            n += (size_t)snprintf(b + n, sizeof b - n, "[%s]", t);
        } else if (r->kind == LV_MR_RERUN) {
            n += (size_t)snprintf(b + n, sizeof b - n, "(%d/%d)", r->arg, r->then);
        } else if (r->kind == LV_MR_PICK || r->kind == LV_MR_ANSWER ||
                   r->kind == LV_MR_PICKER_KEY || r->kind == LV_MR_PICKER_DIGIT ||
                   r->kind == LV_MR_RERUN_COMPARE) {
            n += (size_t)snprintf(b + n, sizeof b - n, "(%d)", r->arg);
        }
    }
    return b;
}

static const char *in(const lv_mode_ctx *c, lv_mode_in i) {
    lv_mout o;
    lv_mode_input(c, &i, &o);
    return words(&o);
}

static const char *key(const lv_mode_ctx *c, lv_key k) {
    return in(c, (lv_mode_in){.kind = LV_MI_KEY, .key = k, .digit = -1});
}
static const char *keymod(const lv_mode_ctx *c, lv_key k, int letter, unsigned mods) {
    return in(
        c, (lv_mode_in){.kind = LV_MI_KEY, .key = k, .digit = -1, .letter = letter, .mods = mods});
}
static const char *letter(const lv_mode_ctx *c, int ch) {
    return keymod(c, LV_KEY_NONE, ch, 0);
}
static const char *digit(const lv_mode_ctx *c, int d) {
    return in(c, (lv_mode_in){.kind = LV_MI_KEY, .key = LV_KEY_DIGIT, .digit = d});
}
static const char *request(const lv_mode_ctx *c, lv_request rq) {
    return in(c, (lv_mode_in){.kind = LV_MI_REQUEST, .req = rq});
}
static const char *tick(const lv_mode_ctx *c, double dt) {
    return in(c, (lv_mode_in){.kind = LV_MI_TICK, .dt = dt});
}
static const lv_mode_hit nothing = {.button = -1, .sv = LV_SV_NOTHING, .sv_thread = -1, .lane = -1};
static const char *click(const lv_mode_ctx *c, int down, lv_mode_hit h) {
    return in(c, (lv_mode_in){.kind = down ? LV_MI_DOWN : LV_MI_UP, .hit = h});
}

#define BUSY "SAY[Exploring: press Esc to cancel it first]"
#define ONLY(k) "SAY[" k ": only for runs started here (lockviz run)]"

TEST(which_mode_is_shown) {
    for (lv_vmode m = LV_VM_NORMAL; m <= LV_VM_PICKER; m++) {
        lv_mode_ctx c = ctx(m);
        ASSERT_EQ(lv_mode_of(&c), m);
    }
    lv_mode_ctx c = ctx(LV_VM_SCHED);
    c.picker = 1; /* the picker opens over scheduler mode, which waits behind it */
    ASSERT_EQ(lv_mode_of(&c), LV_VM_PICKER);
    c.exploring = 1; /* exploring is no mode of its own: it only refuses */
    ASSERT_EQ(lv_mode_of(&c), LV_VM_PICKER);
}

TEST(normal_keys) {
    lv_mode_ctx c = ctx(LV_VM_NORMAL);
    ASSERT_STR_EQ(key(&c, LV_KEY_SCHED), "SCHED_ON");
    ASSERT_STR_EQ(key(&c, LV_KEY_PREDICT), "PREDICT_ON");
    ASSERT_STR_EQ(key(&c, LV_KEY_SPACE), "VIEW");
    ASSERT_STR_EQ(key(&c, LV_KEY_AUTO), "VIEW"); /* A and numbers mean nothing here */
    ASSERT_STR_EQ(digit(&c, 1), "VIEW");
    ASSERT_STR_EQ(key(&c, LV_KEY_AHEAD), "VIEW NOTE_AHEAD");
    ASSERT_STR_EQ(key(&c, LV_KEY_LESSON), "VIEW");
    ASSERT_STR_EQ(key(&c, LV_KEY_FULLSCREEN), "FULLSCREEN");
    ASSERT_STR_EQ(keymod(&c, LV_KEY_FULLSCREEN, 'f', LV_KMOD_CTRL), "VIEW");
    ASSERT_STR_EQ(keymod(&c, LV_KEY_FULLSCREEN, 'f', LV_KMOD_GUI), "FULLSCREEN");
    ASSERT_STR_EQ(keymod(&c, LV_KEY_COMPARE, 'c', LV_KMOD_CTRL), "COPY");
    ASSERT_STR_EQ(keymod(&c, LV_KEY_RERUN, 'r', LV_KMOD_CTRL), "VIEW");
    ASSERT_STR_EQ(keymod(&c, LV_KEY_SCHED, 's', LV_KMOD_ALT), "VIEW");
    ASSERT_STR_EQ(key(&c, LV_KEY_QUIT), "VIEW");
    ASSERT_STR_EQ(key(&c, LV_KEY_ESCAPE), "VIEW");
    /* the help open: every key has its usual meaning (Esc closes the help) */
    c.help = 1;
    ASSERT_STR_EQ(key(&c, LV_KEY_SCHED), "VIEW");
    ASSERT_STR_EQ(keymod(&c, LV_KEY_COMPARE, 'c', LV_KMOD_CTRL), "VIEW");
    ASSERT_STR_EQ(key(&c, LV_KEY_FULLSCREEN), "FULLSCREEN");
}

TEST(refusals_for_what_the_window_cannot_do) {
    lv_mode_ctx c = ctx(LV_VM_NORMAL);
    c.controlled = 0; /* a live run: no schedule */
    ASSERT_STR_EQ(key(&c, LV_KEY_SCHED), ONLY("S"));
    ASSERT_STR_EQ(key(&c, LV_KEY_PREDICT), ONLY("P"));
    ASSERT_STR_EQ(keymod(&c, LV_KEY_COMPARE, 'c', LV_KMOD_CTRL), ""); /* taken: nothing to copy */
    c = ctx(LV_VM_NORMAL);
    c.can = 0; /* lockviz view of a file */
    c.has_lesson = 0;
    ASSERT_STR_EQ(key(&c, LV_KEY_SCHED), ONLY("S"));
    ASSERT_STR_EQ(request(&c, LV_REQ_RERUN_SEED), ONLY("R"));
    ASSERT_STR_EQ(request(&c, LV_REQ_RERUN_VARIANT), ONLY("V"));
    ASSERT_STR_EQ(request(&c, LV_REQ_COMPARE), ONLY("C"));
    ASSERT_STR_EQ(request(&c, LV_REQ_PICKER), ONLY("O"));
    ASSERT_STR_EQ(request(&c, LV_REQ_EXPLORE), ONLY("X"));
    ASSERT_STR_EQ(key(&c, LV_KEY_LESSON),
                  "VIEW SAY[No lesson: this trace is not of one of lockviz's scenarios]");
    ASSERT_STR_EQ(click(&c, 1, (lv_mode_hit){.button = LV_BTN_SCHED, .lane = -1}), ONLY("S"));
    /* predict mode ends before R says it cannot */
    c = ctx(LV_VM_PREDICT);
    c.can = LV_CAN_SCHED;
    ASSERT_STR_EQ(request(&c, LV_REQ_RERUN_SEED), "PREDICT_OFF " ONLY("R"));
}

TEST(quit_asks_when_picks_would_be_lost) {
    lv_mode_ctx c = ctx(LV_VM_SCHED);
    c.unsaved = 1;
    ASSERT_STR_EQ(key(&c, LV_KEY_QUIT), "QUIT_ASK");
    c.help = 1; /* asked even over the help */
    ASSERT_STR_EQ(key(&c, LV_KEY_QUIT), "QUIT_ASK");
    c.asking = 1; /* the second Q while the question shows */
    ASSERT_STR_EQ(key(&c, LV_KEY_QUIT), "VIEW");
    c = ctx(LV_VM_PICKER);
    c.unsaved = 1; /* the picker's Q quits at once */
    ASSERT_STR_EQ(key(&c, LV_KEY_QUIT), "QUIT");
}

TEST(scheduler_mode_keys) {
    lv_mode_ctx c = ctx(LV_VM_SCHED);
    ASSERT_STR_EQ(key(&c, LV_KEY_SCHED), "SCHED_OFF");
    ASSERT_STR_EQ(key(&c, LV_KEY_PREDICT), "SCHED_DROP PREDICT_ON"); /* one game at a time */
    ASSERT_STR_EQ(key(&c, LV_KEY_AUTO), "AUTO");
    ASSERT_STR_EQ(digit(&c, 2), "PICK(2)");
    ASSERT_STR_EQ(digit(&c, 7), "SAY[There is no thread 7]");
    ASSERT_STR_EQ(key(&c, LV_KEY_LEFT), "VIEW"); /* a step back: the view's */
    ASSERT_STR_EQ(letter(&c, 'z'), "VIEW");
    /* ids of 10 and more take two digits: 1 waits, then 1 makes 11, or time takes it */
    c.nthreads = 12;
    ASSERT_STR_EQ(digit(&c, 1), "");
    ASSERT_STR_EQ(digit(&c, 1), "PICK(11)");
    ASSERT_STR_EQ(digit(&c, 1), "");
    ASSERT_STR_EQ(tick(&c, 0.1), "");
    ASSERT_STR_EQ(tick(&c, 5), "PICK(1)");
    ASSERT_STR_EQ(tick(&c, 5), "");
}

TEST(predict_mode_keys) {
    lv_mode_ctx c = ctx(LV_VM_PREDICT);
    ASSERT_STR_EQ(key(&c, LV_KEY_PREDICT), "PREDICT_OFF SAY[Predict mode off]");
    ASSERT_STR_EQ(key(&c, LV_KEY_SCHED), "PREDICT_OFF SCHED_ON");
    ASSERT_STR_EQ(digit(&c, 1), "VIEW"); /* no question asked yet */
    ASSERT_STR_EQ(key(&c, LV_KEY_AUTO), "VIEW");
    ask_thread();
    ASSERT_STR_EQ(digit(&c, 2), "ANSWER(2)");
    ASSERT_STR_EQ(key(&c, LV_KEY_AUTO), "VIEW"); /* Auto is scheduler mode's */
    ask_read();
    ASSERT_STR_EQ(letter(&c, 'b'), "ANSWER(2)");
    ASSERT_STR_EQ(keymod(&c, LV_KEY_COMPARE, 'c', 0), "ANSWER(3)"); /* C letters an option */
    ASSERT_STR_EQ(letter(&c, 'z'), "VIEW");                         /* a letter of no option */
    ASSERT_STR_EQ(keymod(&c, LV_KEY_SPACE, 0, 0), "VIEW");
    /* the value itself typed, never its place in the row: 2 is option B, 12 option C */
    ASSERT_STR_EQ(digit(&c, 2), "ANSWER(2)");
    ASSERT_STR_EQ(digit(&c, 1), ""); /* could be 12 */
    ASSERT_STR_EQ(digit(&c, 2), "ANSWER(3)");
    ASSERT_STR_EQ(digit(&c, 1), "");
    ASSERT_STR_EQ(tick(&c, 5), "ANSWER(1)");
    ASSERT_STR_EQ(digit(&c, 5), "SAY[That is not one of the answers: see the bar below the lanes]");
}

TEST(side_by_side_keys_and_clicks) {
    lv_mode_ctx c = ctx(LV_VM_COMPARE);
    ASSERT_STR_EQ(key(&c, LV_KEY_SCHED), "COMPARE_OFF SCHED_ON"); /* one run, then the mode */
    ASSERT_STR_EQ(key(&c, LV_KEY_PREDICT), "COMPARE_OFF PREDICT_ON");
    ASSERT_STR_EQ(key(&c, LV_KEY_AHEAD), "VIEW"); /* no note: two panes */
    ASSERT_STR_EQ(digit(&c, 1), "VIEW");
    c.controlled = 0;
    ASSERT_STR_EQ(key(&c, LV_KEY_SCHED), "COMPARE_OFF " ONLY("S"));
    c = ctx(LV_VM_COMPARE);
    lv_mode_hit sb = nothing;
    sb.button = LV_BTN_SCHED;
    ASSERT_STR_EQ(click(&c, 1, sb), "COMPARE_OFF AGAIN"); /* then the S button of one run */
    ASSERT_STR_EQ(click(&c, 0, sb), "VIEW");
    ASSERT_STR_EQ(click(&c, 1, nothing), "VIEW");
    ASSERT_STR_EQ(request(&c, LV_REQ_COMPARE), "COMPARE_OFF");
    ASSERT_STR_EQ(request(&c, LV_REQ_RERUN_VARIANT), "RERUN_COMPARE(2)");
    ASSERT_STR_EQ(request(&c, LV_REQ_PICKER), "COMPARE_OFF PICKER_OPEN");
    ASSERT_STR_EQ(request(&c, LV_REQ_EXPLORE), "COMPARE_OFF EXPLORE");
    ASSERT_STR_EQ(request(&c, LV_REQ_TIME_VIEW), "");
    ASSERT_STR_EQ(request(&c, LV_REQ_EXPORT), "EXPORT");
}

TEST(picker_keys_and_mouse) {
    lv_mode_ctx c = ctx(LV_VM_PICKER);
    ASSERT_STR_EQ(key(&c, LV_KEY_UP), "PICKER_KEY(0)");
    ASSERT_STR_EQ(key(&c, LV_KEY_RIGHT), "PICKER_KEY(3)");
    ASSERT_STR_EQ(key(&c, LV_KEY_TAB), "PICKER_KEY(3)");
    ASSERT_STR_EQ(key(&c, LV_KEY_END), "PICKER_KEY(5)");
    ASSERT_STR_EQ(key(&c, LV_KEY_ENTER), "PICKER_KEY(6)");
    ASSERT_STR_EQ(digit(&c, 3), "PICKER_DIGIT(3)");
    ASSERT_STR_EQ(digit(&c, 0), "");
    ASSERT_STR_EQ(key(&c, LV_KEY_ESCAPE), "PICKER_CLOSE");
    ASSERT_STR_EQ(key(&c, LV_KEY_PICKER), "PICKER_CLOSE");
    ASSERT_STR_EQ(key(&c, LV_KEY_LANG), "LANG");
    /* the run waits behind the picker: its keys mean nothing here */
    ASSERT_STR_EQ(key(&c, LV_KEY_SCHED), "");
    ASSERT_STR_EQ(key(&c, LV_KEY_RERUN), "");
    ASSERT_STR_EQ(key(&c, LV_KEY_FULLSCREEN), "");
    ASSERT_STR_EQ(click(&c, 1, nothing), "PICKER_CLICK");
    ASSERT_STR_EQ(click(&c, 0, nothing), "");
    ASSERT_STR_EQ(in(&c, (lv_mode_in){.kind = LV_MI_WHEEL}), "");
    ASSERT_STR_EQ(in(&c, (lv_mode_in){.kind = LV_MI_MOVE}), "POINT");
    c = ctx(LV_VM_SCHED);
    ASSERT_STR_EQ(in(&c, (lv_mode_in){.kind = LV_MI_PICKER_RUN}), "SCHED_END PICKER_RUN");
    c = ctx(LV_VM_NORMAL);
    ASSERT_STR_EQ(in(&c, (lv_mode_in){.kind = LV_MI_WHEEL}), "VIEW");
    ASSERT_STR_EQ(in(&c, (lv_mode_in){.kind = LV_MI_MOVE}), "VIEW");
}

TEST(clicks_in_scheduler_and_predict_mode) {
    lv_mode_ctx c = ctx(LV_VM_NORMAL);
    lv_mode_hit h = nothing;
    h.button = LV_BTN_SCHED;
    ASSERT_STR_EQ(click(&c, 1, h), "SCHED_ON");
    h.button = LV_BTN_PLAY;
    ASSERT_STR_EQ(click(&c, 1, h), "VIEW");
    c = ctx(LV_VM_SCHED);
    h = nothing;
    h.sv = LV_SV_AUTO;
    ASSERT_STR_EQ(click(&c, 1, h), "AUTO");
    h.sv = LV_SV_SCHEDULE;
    ASSERT_STR_EQ(click(&c, 1, h), "COPY");
    h.sv = LV_SV_THREAD; /* a cell of the column */
    h.sv_thread = 2;
    ASSERT_STR_EQ(click(&c, 1, h), "PICK(2)");
    h.lane = 2; /* a lane: it may become a drag, so the view takes the press */
    ASSERT_STR_EQ(click(&c, 1, h), "VIEW");
    ASSERT_STR_EQ(click(&c, 0, h), "VIEW"); /* not pressed on the timeline */
    c.pressed = 1;
    ASSERT_STR_EQ(click(&c, 0, h), "RELEASE PICK(2)");
    c.dragging = 1; /* a drag picks nothing */
    ASSERT_STR_EQ(click(&c, 0, h), "VIEW");
    c.dragging = 0;
    c.help = 1; /* a click closes the help */
    ASSERT_STR_EQ(click(&c, 0, h), "VIEW");
    c = ctx(LV_VM_PREDICT);
    c.pressed = 1;
    h = nothing;
    h.lane = 1;
    ASSERT_STR_EQ(click(&c, 0, h), "VIEW"); /* no question asked */
    ask_thread();
    ASSERT_STR_EQ(click(&c, 0, h), "RELEASE ANSWER(1)");
    h.button = LV_BTN_SCHED;
    ASSERT_STR_EQ(click(&c, 1, h), "PREDICT_OFF SCHED_ON");
    ask_read();
    h = nothing;
    h.option = 3;
    ASSERT_STR_EQ(click(&c, 1, h), "ANSWER(3)");
    h.lane = 1; /* a read question is not answered with a lane */
    h.option = 0;
    ASSERT_STR_EQ(click(&c, 0, h), "VIEW");
}

TEST(requests_end_the_modes_that_exclude_them) {
    lv_mode_ctx c = ctx(LV_VM_NORMAL);
    ASSERT_STR_EQ(request(&c, LV_REQ_RERUN_SEED), "RERUN(1/0)");
    ASSERT_STR_EQ(request(&c, LV_REQ_COMPARE), "COMPARE_ON");
    ASSERT_STR_EQ(request(&c, LV_REQ_PICKER), "PICKER_OPEN");
    ASSERT_STR_EQ(request(&c, LV_REQ_EXPLORE), "EXPLORE");
    ASSERT_STR_EQ(request(&c, LV_REQ_TIME_VIEW), "TIME_VIEW");
    ASSERT_STR_EQ(request(&c, LV_REQ_EXPORT), "EXPORT");
    ASSERT_STR_EQ(request(&c, LV_REQ_NONE), "");
    c = ctx(LV_VM_SCHED); /* R picks again from the start; V keeps the choices */
    ASSERT_STR_EQ(request(&c, LV_REQ_RERUN_SEED), "RERUN(1/1)");
    ASSERT_STR_EQ(request(&c, LV_REQ_RERUN_VARIANT), "RERUN(2/2)");
    ASSERT_STR_EQ(request(&c, LV_REQ_COMPARE), "SCHED_END COMPARE_ON");
    c.can &= ~(unsigned)LV_CAN_COUNTERPART;
    ASSERT_STR_EQ(request(&c, LV_REQ_COMPARE), "SCHED_END " ONLY("C"));
    c = ctx(LV_VM_PREDICT); /* a new game on the new run */
    ASSERT_STR_EQ(request(&c, LV_REQ_RERUN_SEED), "PREDICT_OFF RERUN(1/3)");
    ASSERT_STR_EQ(request(&c, LV_REQ_COMPARE), "PREDICT_OFF COMPARE_ON");
    ASSERT_STR_EQ(request(&c, LV_REQ_PICKER), "PICKER_OPEN"); /* predict waits behind it */
    ASSERT_STR_EQ(in(&c, (lv_mode_in){.kind = LV_MI_PICKER_RUN}), "PREDICT_OFF PICKER_RUN");
    /* explore's find is shown whole; nothing found ends nothing */
    ASSERT_STR_EQ(in(&c, (lv_mode_in){.kind = LV_MI_EXPLORE_DONE, .found = 1}),
                  "PREDICT_OFF EXPLORE_SHOW");
    ASSERT_STR_EQ(in(&c, (lv_mode_in){.kind = LV_MI_EXPLORE_DONE}), "EXPLORE_SHOW");
}

TEST(exploring_refuses_what_would_replace_the_trace) {
    lv_mode_ctx c = ctx(LV_VM_NORMAL);
    c.exploring = 1;
    ASSERT_STR_EQ(key(&c, LV_KEY_ESCAPE), "EXPLORE_CANCEL");
    ASSERT_STR_EQ(key(&c, LV_KEY_SCHED), BUSY);
    ASSERT_STR_EQ(key(&c, LV_KEY_PREDICT), BUSY);
    ASSERT_STR_EQ(request(&c, LV_REQ_RERUN_SEED), BUSY);
    ASSERT_STR_EQ(request(&c, LV_REQ_RERUN_VARIANT), BUSY);
    ASSERT_STR_EQ(request(&c, LV_REQ_COMPARE), BUSY);
    ASSERT_STR_EQ(request(&c, LV_REQ_PICKER), BUSY);
    ASSERT_STR_EQ(in(&c, (lv_mode_in){.kind = LV_MI_PICKER_RUN}), BUSY);
    lv_mode_hit h = nothing;
    h.button = LV_BTN_SCHED;
    ASSERT_STR_EQ(click(&c, 1, h), BUSY);
    ASSERT_STR_EQ(click(&c, 0, h), ""); /* said once, at the press */
    /* what reads the trace and does not replace it goes on */
    ASSERT_STR_EQ(request(&c, LV_REQ_EXPLORE), ""); /* its panel shows already */
    ASSERT_STR_EQ(request(&c, LV_REQ_TIME_VIEW), "TIME_VIEW");
    ASSERT_STR_EQ(request(&c, LV_REQ_EXPORT), "EXPORT");
    ASSERT_STR_EQ(keymod(&c, LV_KEY_COMPARE, 'c', LV_KMOD_CTRL), "COPY");
    ASSERT_STR_EQ(key(&c, LV_KEY_SPACE), "VIEW");
    h.button = LV_BTN_PLAY;
    ASSERT_STR_EQ(click(&c, 1, h), "VIEW");
    c.help = 1; /* Esc closes the help first */
    ASSERT_STR_EQ(key(&c, LV_KEY_ESCAPE), "VIEW");
    /* scheduler mode: its keys and every click, and a number typed before */
    c = ctx(LV_VM_SCHED);
    c.nthreads = 12;
    ASSERT_STR_EQ(digit(&c, 1), "");
    c.exploring = 1;
    ASSERT_STR_EQ(key(&c, LV_KEY_AUTO), BUSY);
    ASSERT_STR_EQ(digit(&c, 1), BUSY);
    ASSERT_EQ(sv.typed, 1); /* the refused digit typed nothing */
    ASSERT_STR_EQ(tick(&c, 5), BUSY);
    ASSERT_STR_EQ(click(&c, 1, nothing), BUSY);
    ASSERT_STR_EQ(click(&c, 0, nothing), "");
    ASSERT_STR_EQ(key(&c, LV_KEY_LEFT), "VIEW");
    /* predict mode: the answers, typed, lettered or clicked */
    c = ctx(LV_VM_PREDICT);
    c.exploring = 1;
    ask_read();
    ASSERT_STR_EQ(digit(&c, 2), BUSY);
    ASSERT_STR_EQ(letter(&c, 'a'), BUSY);
    ASSERT_STR_EQ(letter(&c, 'z'), "VIEW");
    h = nothing;
    h.option = 1;
    ASSERT_STR_EQ(click(&c, 1, h), BUSY);
}

TEST(the_question_opens_where_the_shown_run_ends) {
    lv_mode_ctx c = ctx(LV_VM_PREDICT);
    (void)c;
    pr.q = (lv_pq){.kind = LV_PQ_THREAD, .seq = 10};
    lv_vstate vs = {.seq = 5, .playing = 1};
    lv_mode_arrive(&pr, &vs, 10);
    ASSERT(!pr.open); /* still playing toward it */
    vs.playing = 0;
    lv_mode_arrive(&pr, &vs, 10);
    ASSERT(!pr.open); /* paused before the end */
    vs.seq = 9;
    lv_mode_arrive(&pr, &vs, 10);
    ASSERT(pr.open);
    vs.playing = 1; /* while it is open the run waits */
    lv_mode_arrive(&pr, &vs, 10);
    ASSERT(!vs.playing);
    pr.on = 0; /* predict mode off: nothing waits */
    pr.open = 0;
    vs.playing = 1;
    lv_mode_arrive(&pr, &vs, 10);
    ASSERT(vs.playing && !pr.open);
    lv_sv_free(&sv);
    lv_pr_free(&pr);
}

TEST_MAIN(TEST_ENTRY(which_mode_is_shown, 10), TEST_ENTRY(normal_keys, 10),
          TEST_ENTRY(refusals_for_what_the_window_cannot_do, 10),
          TEST_ENTRY(quit_asks_when_picks_would_be_lost, 10), TEST_ENTRY(scheduler_mode_keys, 10),
          TEST_ENTRY(predict_mode_keys, 10), TEST_ENTRY(side_by_side_keys_and_clicks, 10),
          TEST_ENTRY(picker_keys_and_mouse, 10),
          TEST_ENTRY(clicks_in_scheduler_and_predict_mode, 10),
          TEST_ENTRY(requests_end_the_modes_that_exclude_them, 10),
          TEST_ENTRY(exploring_refuses_what_would_replace_the_trace, 10),
          TEST_ENTRY(the_question_opens_where_the_shown_run_ends, 10))
