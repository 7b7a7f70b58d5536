/* The mode machine: each input, in the mode the window is in, becomes requests. Decisions
 * only; the window carries them out (runs, files, the clipboard). */
#include <stdio.h>
#include "i18n.h"
#include "modes.h"

lv_vmode lv_mode_of(const lv_mode_ctx *c) {
    if (c->picker) return LV_VM_PICKER;
    if (c->compare) return LV_VM_COMPARE;
    if (c->pr->on) return LV_VM_PREDICT;
    if (c->sv->on) return LV_VM_SCHED;
    return LV_VM_NORMAL;
}

static void put(lv_mout *o, lv_mreq_kind k, int arg) {
    if (o->n < LV_MODE_MAXREQ) o->r[o->n++] = (lv_mreq){.kind = k, .arg = arg};
}

static void say(lv_mout *o, lv_tr_key text, const char *word, int secs) {
    if (o->n >= LV_MODE_MAXREQ) return;
    lv_mreq *r = &o->r[o->n++];
    *r = (lv_mreq){.kind = LV_MR_SAY, .text = (int)text, .secs = secs};
    if (word) snprintf(r->word, sizeof r->word, "%s", word);
}

/* The one busy rule: while explore runs, an input that would run a scenario or replace the
 * trace is refused (said, unless quiet), and nothing else happens. 1 when refused. */
static int busy_refuses(const lv_mode_ctx *c, int runs, int quiet, lv_mout *o) {
    if (!c->exploring || !runs) return 0;
    o->n = 0;
    if (!quiet) say(o, LV_T_XP_BUSY, NULL, 3);
    return 1;
}

static int sched_ok(const lv_mode_ctx *c) {
    return (c->can & LV_CAN_SCHED) && c->controlled;
}

/* Scheduler and predict mode end for what needs the whole run (side by side, another
 * scenario, explore's find). */
static void end_modes(const lv_mode_ctx *c, lv_mout *o) {
    if (c->pr->on) put(o, LV_MR_PREDICT_OFF, 0);
    if (c->sv->on) put(o, LV_MR_SCHED_END, 0);
}

/* S and the S button: one game at a time, so predict mode ends first. */
static void sched_toggle(const lv_mode_ctx *c, lv_mout *o) {
    if (!sched_ok(c)) {
        say(o, LV_T_ONLY_HERE, "S", 3);
        return;
    }
    if (c->pr->on) put(o, LV_MR_PREDICT_OFF, 0);
    put(o, c->sv->on ? LV_MR_SCHED_OFF : LV_MR_SCHED_ON, 0);
}

/* P: predict mode starts from the run whole, so scheduler mode ends with it. */
static void predict_toggle(const lv_mode_ctx *c, lv_mout *o) {
    if (!sched_ok(c)) {
        say(o, LV_T_ONLY_HERE, "P", 3);
        return;
    }
    if (c->pr->on) {
        put(o, LV_MR_PREDICT_OFF, 0);
        say(o, LV_T_PRED_OFF, NULL, 3);
        return;
    }
    if (c->sv->on) put(o, LV_MR_SCHED_DROP, 0);
    put(o, LV_MR_PREDICT_ON, 0);
}

/* A thread picked in scheduler mode (a number typed, a cell or a lane clicked). */
static void pick(const lv_mode_ctx *c, int32_t th, lv_mout *o) {
    if (!c->sv->on) return;
    if (th < 0 || (size_t)th >= c->nthreads) {
        char b[24];
        snprintf(b, sizeof b, "%d", (int)th);
        say(o, LV_T_SCHED_NO_THREAD, b, 3);
        return;
    }
    put(o, LV_MR_PICK, th);
}

static void picker_key(const lv_mode_in *in, lv_mout *o) {
    static const struct {
        lv_key k;
        lv_pick_key pk;
    } map[] = {{LV_KEY_UP, LV_PK_UP},       {LV_KEY_DOWN, LV_PK_DOWN},  {LV_KEY_LEFT, LV_PK_LEFT},
               {LV_KEY_RIGHT, LV_PK_RIGHT}, {LV_KEY_TAB, LV_PK_RIGHT},  {LV_KEY_HOME, LV_PK_HOME},
               {LV_KEY_END, LV_PK_END},     {LV_KEY_ENTER, LV_PK_ENTER}};
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (map[i].k == in->key) {
            put(o, LV_MR_PICKER_KEY, (int)map[i].pk);
            return;
        }
    switch (in->key) {
    case LV_KEY_DIGIT:
        if (in->digit >= 1 && in->digit <= 9) put(o, LV_MR_PICKER_DIGIT, in->digit);
        break;
    case LV_KEY_ESCAPE:
    case LV_KEY_PICKER:
        put(o, LV_MR_PICKER_CLOSE, 0);
        break;
    case LV_KEY_LANG:
        put(o, LV_MR_LANG, 0);
        break;
    case LV_KEY_QUIT:
        put(o, LV_MR_QUIT, 0);
        break;
    default: /* the run waits behind the picker: its keys mean nothing here */
        break;
    }
}

/* The keys scheduler and predict mode take (help closed); 0: the key's usual meaning. */
static int mode_key(const lv_mode_ctx *c, const lv_mode_in *in, lv_mout *o) {
    lv_key k = in->key;
    int mod = (in->mods & (LV_KMOD_CTRL | LV_KMOD_ALT | LV_KMOD_GUI)) != 0;
    int digit = k == LV_KEY_DIGIT, sv_on = c->sv->on, asked = c->pr->on && c->pr->open;
    int reading = asked && c->pr->q.kind == LV_PQ_READ;
    int letter_opt = reading && !digit ? lv_pr_letter(c->pr, in->letter) : 0;
    int runs = k == LV_KEY_SCHED || k == LV_KEY_PREDICT || (sv_on && (k == LV_KEY_AUTO || digit)) ||
               (asked && digit) || letter_opt > 0;
    if (!mod && busy_refuses(c, runs, 0, o)) return 1; /* a run would replace what it reads */
    if (!mod && (k == LV_KEY_SCHED || k == LV_KEY_PREDICT) && c->compare)
        put(o, LV_MR_COMPARE_OFF, 0);                       /* one run, then the mode */
    if (k == LV_KEY_COMPARE && (in->mods & LV_KMOD_CTRL)) { /* Ctrl+C: the replaying command */
        if (c->controlled) put(o, LV_MR_COPY, 0);
        return 1;
    }
    if (mod) return 0;
    if (k == LV_KEY_SCHED) {
        sched_toggle(c, o);
        return 1;
    }
    if (k == LV_KEY_PREDICT) {
        predict_toggle(c, o);
        return 1;
    }
    if (!sv_on && !asked) return 0;
    if (reading) { /* an option's letter, or the value itself typed: never its place in the row */
        int opt = digit ? lv_pr_digit(c->pr, in->digit) : letter_opt;
        if (!digit && opt == 0) return 0; /* a letter of no option: the key's usual meaning */
        if (opt < 0)
            say(o, LV_T_PRED_NOT_AN_ANSWER, NULL, 3);
        else if (opt > 0)
            put(o, LV_MR_ANSWER, opt);
        return 1;
    }
    if (k == LV_KEY_AUTO && sv_on) {
        put(o, LV_MR_AUTO, 0);
        return 1;
    }
    if (!digit) return 0;
    int32_t th = lv_sv_digit(c->sv, in->digit, c->nthreads);
    if (th >= 0 && c->pr->on)
        put(o, LV_MR_ANSWER, th);
    else if (th >= 0)
        pick(c, th, o);
    return 1;
}

static void key(const lv_mode_ctx *c, const lv_mode_in *in, lv_mout *o) {
    lv_key k = in->key;
    if (c->picker) {
        picker_key(in, o);
        return;
    }
    if (k == LV_KEY_ESCAPE && c->exploring && !c->help) { /* Esc cancels the search */
        put(o, LV_MR_EXPLORE_CANCEL, 0);
        return;
    }
    if (k == LV_KEY_FULLSCREEN && !(in->mods & (LV_KMOD_CTRL | LV_KMOD_ALT))) {
        put(o, LV_MR_FULLSCREEN, 0);
        return;
    }
    if (k == LV_KEY_QUIT && c->unsaved && !c->asking) { /* picks would be lost: ask first */
        put(o, LV_MR_QUIT_ASK, 0);
        return;
    }
    if (!c->help && mode_key(c, in, o)) return;
    put(o, LV_MR_VIEW, 0);
    if (k == LV_KEY_AHEAD && !c->compare) put(o, LV_MR_NOTE_AHEAD, 0);
    if (k == LV_KEY_LESSON && !c->has_lesson) say(o, LV_T_NO_LESSON, NULL, 3);
}

/* The left button: scheduler and predict mode take the S button, Auto, the schedule string,
 * a cell of the column, an option; a click (not a drag) on a lane picks when it goes up. */
static void click(const lv_mode_ctx *c, const lv_mode_in *in, lv_mout *o) {
    int down = in->kind == LV_MI_DOWN;
    const lv_mode_hit *h = &in->hit;
    if (c->picker) { /* the picker takes the mouse */
        if (down) put(o, LV_MR_PICKER_CLICK, 0);
        return;
    }
    if (c->help) {
        put(o, LV_MR_VIEW, 0);
        return;
    }
    if (c->compare) { /* side by side: only the S button, which ends it first */
        if (down && h->button == LV_BTN_SCHED) {
            put(o, LV_MR_COMPARE_OFF, 0);
            put(o, LV_MR_AGAIN, 0);
        } else {
            put(o, LV_MR_VIEW, 0);
        }
        return;
    }
    int sv_on = c->sv->on, pr_on = c->pr->on, asked = pr_on && c->pr->open;
    /* in scheduler and predict mode any click may pick or answer */
    if (busy_refuses(c, sv_on || pr_on || h->button == LV_BTN_SCHED, !down, o)) return;
    if (down) {
        if (asked && h->option > 0) {
            put(o, LV_MR_ANSWER, h->option);
        } else if (h->button == LV_BTN_SCHED) {
            sched_toggle(c, o);
        } else if (h->sv == LV_SV_AUTO) {
            put(o, LV_MR_AUTO, 0);
        } else if (h->sv == LV_SV_SCHEDULE) {
            if (c->controlled) put(o, LV_MR_COPY, 0);
        } else if (h->sv == LV_SV_THREAD && h->lane < 0) {
            pick(c, h->sv_thread, o);
        } else { /* a lane may become a drag: the view takes the press */
            put(o, LV_MR_VIEW, 0);
        }
        return;
    }
    int ask_thread = asked && c->pr->q.kind == LV_PQ_THREAD;
    if ((!sv_on && !ask_thread) || !c->pressed || c->dragging || h->lane < 0) {
        put(o, LV_MR_VIEW, 0);
        return;
    }
    put(o, LV_MR_RELEASE, 0);
    if (ask_thread)
        put(o, LV_MR_ANSWER, h->lane);
    else
        pick(c, h->lane, o);
}

/* A request the view state recorded (a key or a header button). */
static void request(const lv_mode_ctx *c, lv_request rq, lv_mout *o) {
    switch (rq) {
    case LV_REQ_RERUN_SEED:
    case LV_REQ_RERUN_VARIANT: {
        int what = rq == LV_REQ_RERUN_SEED ? LV_RERUN_SEED : LV_RERUN_VARIANT;
        if (busy_refuses(c, 1, 0, o)) return; /* scenarios are not made to run twice at once */
        if (!(c->can & LV_CAN_RERUN)) {
            if (c->pr->on && !c->compare) put(o, LV_MR_PREDICT_OFF, 0);
            say(o, LV_T_ONLY_HERE, what == LV_RERUN_SEED ? "R" : "V", 3);
        } else if (c->compare) { /* both panes run again */
            put(o, LV_MR_RERUN_COMPARE, what);
        } else if (c->pr->on) { /* a new game on the new run */
            put(o, LV_MR_PREDICT_OFF, 0);
            put(o, LV_MR_RERUN, what);
            o->r[o->n - 1].then = LV_THEN_PREDICT;
        } else {
            /* scheduler mode: a new seed is a new run, so picking starts over; the other
             * variant goes under the choices made */
            put(o, LV_MR_RERUN, what);
            if (c->sv->on)
                o->r[o->n - 1].then =
                    what == LV_RERUN_SEED ? LV_THEN_SCHED_FRESH : LV_THEN_SCHED_SAME;
        }
        return;
    }
    case LV_REQ_PICKER:
        if (busy_refuses(c, 1, 0, o)) return;
        if (!(c->can & LV_CAN_PICK)) {
            say(o, LV_T_ONLY_HERE, "O", 3);
            return;
        }
        if (c->compare) put(o, LV_MR_COMPARE_OFF, 0); /* the picker opens over one run */
        put(o, LV_MR_PICKER_OPEN, 0);
        return;
    case LV_REQ_COMPARE:
        if (busy_refuses(c, 1, 0, o)) return;
        if (c->compare) {
            put(o, LV_MR_COMPARE_OFF, 0);
            return;
        }
        end_modes(c, o); /* side by side shows whole runs */
        if (c->can & LV_CAN_COUNTERPART)
            put(o, LV_MR_COMPARE_ON, 0);
        else
            say(o, LV_T_ONLY_HERE, "C", 3);
        return;
    case LV_REQ_EXPLORE:
        if (!(c->can & LV_CAN_EXPLORE)) {
            say(o, LV_T_ONLY_HERE, "X", 3);
            return;
        }
        if (c->exploring) return;                     /* one at a time: its panel is showing */
        if (c->compare) put(o, LV_MR_COMPARE_OFF, 0); /* it explores the upper run, alone */
        put(o, LV_MR_EXPLORE, 0);
        return;
    case LV_REQ_TIME_VIEW:
        if (!c->compare) put(o, LV_MR_TIME_VIEW, 0);
        return;
    case LV_REQ_EXPORT:
        put(o, LV_MR_EXPORT, 0);
        return;
    default:
        return;
    }
}

/* Numbers that waited for a second digit are taken as they are. */
static void tick(const lv_mode_ctx *c, double dt, lv_mout *o) {
    int32_t typed = lv_sv_tick(c->sv, dt);
    int typed_opt = lv_pr_tick(c->pr, dt);
    if (busy_refuses(c, typed_opt > 0 || (typed >= 0 && (c->sv->on || c->pr->on)), 0, o)) return;
    if (typed_opt > 0) put(o, LV_MR_ANSWER, typed_opt);
    if (typed_opt < 0) say(o, LV_T_PRED_NOT_AN_ANSWER, NULL, 3);
    if (typed >= 0 && c->pr->on)
        put(o, LV_MR_ANSWER, typed);
    else if (typed >= 0)
        pick(c, typed, o);
}

void lv_mode_input(const lv_mode_ctx *c, const lv_mode_in *in, lv_mout *o) {
    o->n = 0;
    switch (in->kind) {
    case LV_MI_KEY:
        key(c, in, o);
        break;
    case LV_MI_DOWN:
    case LV_MI_UP:
        click(c, in, o);
        break;
    case LV_MI_WHEEL: /* the picker ignores the wheel */
        if (!c->picker) put(o, LV_MR_VIEW, 0);
        break;
    case LV_MI_MOVE:
        put(o, c->picker ? LV_MR_POINT : LV_MR_VIEW, 0);
        break;
    case LV_MI_REQUEST:
        request(c, in->req, o);
        break;
    case LV_MI_PICKER_RUN:
        if (busy_refuses(c, 1, 0, o)) break;
        end_modes(c, o); /* another scenario: the policy's run, whole */
        put(o, LV_MR_PICKER_RUN, 0);
        break;
    case LV_MI_EXPLORE_DONE:
        if (in->found) end_modes(c, o); /* the run found is shown whole */
        put(o, LV_MR_EXPLORE_SHOW, 0);
        break;
    case LV_MI_TICK:
        tick(c, in->dt, o);
        break;
    }
}

lv_mode_hit lv_mode_hits(const lv_frame *f, const lv_schedview *sv, const lv_predict *pr, int x,
                         int y) {
    lv_mode_hit h = {.button = lv_hit_button(f, x, y), .sv_thread = -1};
    h.option = pr->on && pr->open ? lv_pr_hit(pr, x, y) : 0;
    h.sv = lv_sv_hit(sv, f, x, y, &h.sv_thread);
    h.lane = lv_hit_lane(f, x, y);
    return h;
}

void lv_mode_arrive(lv_predict *pr, lv_vstate *vs, size_t nshown) {
    if (pr->on && !pr->open && pr->q.kind != LV_PQ_NONE && !vs->playing &&
        vs->seq >= (long)nshown - 1)
        pr->open = 1;
    if (pr->on && pr->open) vs->playing = 0;
}
