/* The screen tells the run's story, without a window: what is shown at playhead k (nothing
 * after it when hidden, all of it at the end or when shown), an axis whose labels are true
 * (round, increasing, never negative, never inside a compressed gap, a break at every gap),
 * the linear and step views, and a deadlock's cycle (its lanes, its wait-for arrows between
 * them, its bystanders) with its table whole. */
#include <math.h>
#include <string.h>
#include "geom.h"
#include "registry.h"
#include "support.h"
#include "vstate.h"

static int fixed_measure(void *ctx, lv_font_id f, const char *s, size_t n) {
    (void)ctx;
    (void)s;
    return (int)n * (f == LV_FONT_LABEL || f == LV_FONT_TITLE ? 12 : 8);
}

static lv_viewport view_at(const lv_scene *s, int w, int h, long seq, int future) {
    const lv_trace *tr = s->tr;
    return (lv_viewport){.w = w,
                         .h = h,
                         .seq = seq,
                         .play_t = seq >= 0 ? tr->events[seq].t : s->t_first,
                         .highlight = -1,
                         .hover_x = -1,
                         .hover_y = -1,
                         .future = future,
                         .measure = fixed_measure};
}

/* ---- what is shown at playhead k ---- */

static void check_reveal(const lv_scene *s, const lv_frame *f, long k) {
    const lv_trace *tr = s->tr;
    for (size_t i = 0; i < f->nlabels; i++) /* notes after k are the future, the rest not */
        ASSERT_EQ(lv_frame_future_seq(f, f->labels[i].seq), (long)f->labels[i].seq > k);
    for (size_t i = 0; i < f->narrows; i++) {
        const lv_arrow *a = &f->arrows[i];
        ASSERT_EQ(lv_frame_future_arrow(f, a), (long)a->acq > k);
    }
    for (size_t i = 0; i < f->nmarks; i++) {
        const lv_marker *m = &f->marks[i];
        if (m->kind == LV_MARK_READ || m->kind == LV_MARK_WRITE)
            ASSERT_EQ(lv_frame_future_mark(f, s, m), (long)m->seq > k);
        if (m->kind == LV_MARK_STALE && (long)m->seq <= k) { /* a ring once it is known stale */
            int complete = 0;
            for (size_t j = 0; j < s->nlost; j++)
                if (s->lost[j].stale_read == m->seq)
                    complete |= (long)s->lost[j].bad_write <= k && (long)s->lost[j].lost_write <= k;
            ASSERT_EQ(lv_frame_future_mark(f, s, m), !complete);
        }
    }
    /* the fills stop at the playhead: a band or a hold in progress drawn up to it */
    int px = (int)lround(lv_frame_x(f, s, k >= 0 ? tr->events[k].t : s->t_first));
    if (k < (long)tr->nevents - 1) ASSERT_LE(abs(f->cut_x - px), 1);
    for (size_t i = 0; i < f->nfills; i++) {
        lv_rect p = lv_frame_past_part(f, f->fills[i].r);
        ASSERT_LE(p.x + p.w, f->cut_x > p.x ? f->cut_x : p.x);
        ASSERT_LE(p.w, f->fills[i].r.w);
        if (f->fills[i].r.x + f->fills[i].r.w <= f->cut_x) ASSERT_EQ(p.w, f->fills[i].r.w);
    }
    /* the findings panel lists the findings reached, and counts the others */
    size_t ahead = 0;
    for (size_t i = 0; i < tr->nfindings; i++)
        ahead += !lv_finding_reached(s, i, k);
    ASSERT_EQ(f->future_findings, ahead);
    for (size_t i = 0; i < f->nfrows; i++)
        ASSERT(lv_finding_reached(s, (size_t)f->frows[i].finding, k));
}

TEST(what_is_shown_follows_the_playhead) {
    lv_trace *tr = run_named("ticket", NULL, 0);
    lv_scene *s;
    ASSERT_EQ(lv_scene_new(tr, &s), LV_OK);
    lv_frame f = {0};
    long n = (long)tr->nevents;
    size_t future_labels_seen = 0, faint_labels_seen = 0;
    for (long k = 0; k < n; k += 3)
        for (int faint = 0; faint < 2; faint++) {
            lv_viewport vp = view_at(s, 1280, 720, k, faint ? LV_FUTURE_FAINT : LV_FUTURE_HIDE);
            ASSERT_EQ(lv_frame_layout(&f, s, &vp), LV_OK);
            check_reveal(s, &f, k);
            for (size_t i = 0; i < f.nlabels; i++)
                (faint ? &faint_labels_seen : &future_labels_seen)[0] +=
                    lv_frame_future_seq(&f, f.labels[i].seq);
        }
    ASSERT_GT(faint_labels_seen, 0); /* the rule had something to draw pale */
    /* hidden, a note not reached yet has no label, and takes no room from one shown */
    ASSERT_EQ(future_labels_seen, 0);
    /* the buyers' reads come one after the other: at the first write, every note after it is
     * still to come */
    long first_write = -1;
    for (long i = 0; i < n && first_write < 0; i++)
        if (tr->events[i].kind == LV_EV_WRITE) first_write = i;
    ASSERT_GE(first_write, 0);
    lv_viewport vp = view_at(s, 1280, 720, first_write, LV_FUTURE_HIDE);
    ASSERT_EQ(lv_frame_layout(&f, s, &vp), LV_OK);
    check_reveal(s, &f, first_write);
    ASSERT_GT(f.future_findings, 0); /* the lost update and the tickets' count are to come */
    /* each finding shows once the playhead reaches its last event, not one event before */
    for (size_t i = 0; i < tr->nfindings; i++) {
        long last = -1;
        for (size_t k = 0; k < tr->findings[i].nevents; k++)
            if ((long)tr->findings[i].events[k] > last) last = (long)tr->findings[i].events[k];
        ASSERT_GT(last, 0);
        for (long at = last - 1; at <= last; at++) {
            vp = view_at(s, 1920, 1080, at, LV_FUTURE_HIDE);
            ASSERT_EQ(lv_frame_layout(&f, s, &vp), LV_OK);
            int listed = 0;
            for (size_t r = 0; r < f.nfrows; r++)
                listed |= f.frows[r].finding == (int)i;
            ASSERT_EQ(listed, at == last);
        }
    }
    /* at the end (End), or shown, or faint: all of it, the whole panel */
    int modes[] = {LV_FUTURE_HIDE, LV_FUTURE_SHOW, LV_FUTURE_FAINT};
    for (int m = 0; m < 3; m++) {
        long at = modes[m] == LV_FUTURE_HIDE ? n - 1 : first_write;
        vp = view_at(s, 1280, 720, at, modes[m]);
        ASSERT_EQ(lv_frame_layout(&f, s, &vp), LV_OK);
        if (modes[m] == LV_FUTURE_FAINT) { /* faint: still the future, drawn pale */
            check_reveal(s, &f, at);
            continue;
        }
        for (size_t i = 0; i < f.nlabels; i++)
            ASSERT(!lv_frame_future_seq(&f, f.labels[i].seq));
        for (size_t i = 0; i < f.nfills; i++)
            ASSERT_EQ(lv_frame_past_part(&f, f.fills[i].r).w, f.fills[i].r.w);
        ASSERT_EQ(f.future_findings, 0);
        ASSERT_EQ(f.nfrows + f.hidden_findings, tr->nfindings);
    }
    lv_frame_free(&f);
    lv_scene_free(s);
    lv_trace_free(tr);
}

/* ---- the axis ---- */

/* The ns a label says ("1.25 ms" -> 1250000), or in the step view the event number. */
static double label_value(const char *l, int steps) {
    char unit[8] = "";
    double v = 0;
    if (!strncmp(l, "≈", 3)) l += 3; /* rounded to four digits: the 1e-3 below still holds */
    ASSERT(sscanf(l, "%lf %7s", &v, unit) >= 1);
    if (steps) return v;
    if (!strcmp(unit, "s")) return v * 1e9;
    if (!strcmp(unit, "ms")) return v * 1e6;
    if (!strcmp(unit, "µs")) return v * 1e3;
    ASSERT_STR_EQ(unit, "ns");
    return v;
}

static void check_axis(const lv_scene *s, const lv_frame *f, const char *what) {
    int steps = s->linear == LV_TIME_STEPS;
    for (size_t i = 0; i < f->nticks; i++) {
        const lv_tick *t = &f->ticks[i];
        if (t->label[0] == '-') TEST_FAIL_AT("%s: tick %zu says %s", what, i, t->label);
        ASSERT_GE(t->t, s->t_first);
        ASSERT(t->x >= f->x0 && t->x <= f->x1);
        /* true: the tick is where its time is, and says that time */
        ASSERT_LE(abs(t->x - (int)lround(lv_frame_x(f, s, t->t))), 1);
        double v = label_value(t->label, steps);
        double truth =
            steps ? (double)(t->t - s->t_first) / LV_STEP_NS + 1 : (double)(t->t - s->t_first);
        if (fabs(v - truth) > fmax(1e-3 * truth, 1))
            TEST_FAIL_AT("%s: tick at t=%lld says %s", what, (long long)(t->t - s->t_first),
                         t->label);
        if (i) { /* strictly increasing, never repeated, never overlapping */
            const lv_tick *p = &f->ticks[i - 1];
            ASSERT_GT(t->x, p->x);
            ASSERT_GT(t->t, p->t);
            ASSERT(strcmp(t->label, p->label) != 0);
            ASSERT_GT(v, label_value(p->label, steps));
            ASSERT_GT(t->label_x,
                      p->label_x + fixed_measure(NULL, LV_FONT_NOTE, p->label, strlen(p->label)));
        }
        /* no time is told inside a break, unless the view is all break */
        for (size_t b = 0; !f->axis_in_gap && b < f->nbreaks; b++)
            if (t->x >= f->break_x0[b] && t->x < f->break_x1[b])
                TEST_FAIL_AT("%s: tick %s inside the break at %d..%d", what, t->label,
                             f->break_x0[b], f->break_x1[b]);
    }
    /* a break over every pixel column where time runs over 1.5 times its pace */
    if (s->linear != LV_TIME_WARPED) ASSERT_EQ(f->nbreaks, 0);
    double px = (f->d1 - f->d0) / (f->x1 - f->x0);
    for (int x = f->x0; s->linear == LV_TIME_WARPED && x < f->x1; x++) {
        double dt = (double)(lv_frame_t(f, s, x + 1) - lv_frame_t(f, s, x));
        if (dt <= 1.5 * px) continue;
        int marked = 0;
        for (size_t b = 0; b < f->nbreaks && !marked; b++)
            marked = f->break_x0[b] <= x && x < f->break_x1[b];
        if (!marked) TEST_FAIL_AT("%s: column %d runs %.1fx fast, no break", what, x, dt / px);
    }
    for (size_t b = 1; b < f->nbreaks; b++) /* marks in order, apart */
        ASSERT_GT(f->breaks[b], f->breaks[b - 1]);
}

/* The significant digits of a label's number: "300.06 ms" has 5, "≈300.1 ms" 4, "40 µs" 2. */
static int sig_digits(const char *l) {
    int n = 0, lead = 1;
    for (; *l && *l != ' '; l++) {
        if (*l < '0' || *l > '9') continue;
        if (*l != '0') lead = 0;
        n += !lead;
    }
    return n;
}

static void axis_views(lv_scene *s, const char *name) {
    lv_frame f = {0};
    int sizes[2][2] = {{1280, 720}, {1920, 1080}};
    for (int z = 0; z < 2; z++)
        for (int k = 0; k < 4; k++) {
            lv_viewport vp = view_at(s, sizes[z][0], sizes[z][1], (long)s->tr->nevents - 1, 0);
            double d0 = lv_scene_d(s, s->t_first), d1 = lv_scene_d(s, s->t_end), w = d1 - d0;
            if (k == 1) { /* full zoom-out: the 2% margin before the first event */
                vp.t0 = lv_scene_t(s, d0 - 0.025 * w);
                vp.t1 = lv_scene_t(s, d1 + 0.025 * w);
            } else if (k >= 2) { /* zoomed in, at a third and at two thirds */
                double at = d0 + w * (k - 1) / 3.0;
                vp.t0 = lv_scene_t(s, at - w / 20);
                vp.t1 = lv_scene_t(s, at + w / 20);
            }
            ASSERT_EQ(lv_frame_layout(&f, s, &vp), LV_OK);
            char what[96];
            snprintf(what, sizeof what, "%s view %d, %dx%d, zoom %d", name, s->linear, sizes[z][0],
                     sizes[z][1], k);
            check_axis(s, &f, what);
            if (!f.nticks) TEST_FAIL_AT("%s: no tick", what);
            for (size_t i = 0; k < 2 && s->linear != LV_TIME_STEPS && i < f.nticks; i++)
                if (sig_digits(f.ticks[i].label) > 4) /* round where a class reads the whole run */
                    TEST_FAIL_AT("%s: tick %s is not round", what, f.ticks[i].label);
            ASSERT_STR_EQ(f.axis_name, lv_time_view_name(s->linear, LV_LANG_EN));
            ASSERT_GT(f.buttons[LV_BTN_TIME].w, 0);
        }
    lv_frame_free(&f);
}

/* Playing the deadlock, thread-3's "got lock A" is shown whole while its "got lock B" a few
 * pixels later is still to come: a hidden note leaves its room to the notes before it. */
TEST(a_hidden_note_leaves_its_room_to_those_shown) {
    lv_trace *tr = run_named("deadlock", NULL, 0);
    lv_scene *s;
    ASSERT_EQ(lv_scene_new(tr, &s), LV_OK);
    long first = -1, second = -1; /* thread-3's first two notes */
    int32_t th = -1;
    for (size_t i = 0; i < tr->nthreads; i++)
        if (strcmp(tr->threads[i].name, "thread-3") == 0) th = (int32_t)i;
    ASSERT_GE(th, 0);
    for (long i = 0; i < (long)tr->nevents && second < 0; i++)
        if (tr->events[i].thread == th && tr->events[i].kind == LV_EV_NOTE)
            *(first < 0 ? &first : &second) = i;
    ASSERT_GE(second, 0);
    for (int hide = 0; hide < 2; hide++) {
        lv_frame f = {0};
        lv_viewport vp = view_at(s, 1280, 720, second - 1, hide ? LV_FUTURE_HIDE : LV_FUTURE_SHOW);
        ASSERT_EQ(lv_frame_layout(&f, s, &vp), LV_OK);
        const lv_label *lb = NULL;
        for (size_t i = 0; i < f.nlabels; i++)
            if ((long)f.labels[i].seq == first) lb = &f.labels[i];
        const char *txt = lv_scene_note_text(s, &tr->events[first], LV_LANG_EN);
        ASSERT(lb != NULL);
        ASSERT_EQ(lb->elided, 0);
        if (hide) { /* the whole text, after its tick, where shown it had to go before it */
            ASSERT_EQ(lb->nbytes, strlen(txt));
            ASSERT_EQ(lb->x, lb->tick_x + (int)lround(4 * f.scale));
        }
        lv_frame_free(&f);
    }
    lv_scene_free(s);
    lv_trace_free(tr);
}

/* The header's chip keeps the ending for the end: playing the deadlock hidden, it says "so
 * far" until the last event, then "deadlocked"; shown or faint, the outcome from the start.
 * The findings panel of the fix says "no findings yet" until then, not "nothing went wrong". */
TEST(the_outcome_waits_for_the_end) {
    static const char *const names[][2] = {
        {"deadlock", "two-locks"}, {"ticket", "unlocked"}, {"ticket", "locked"}};
    for (int r = 0; r < 3; r++) {
        lv_trace *tr = run_variant(names[r][0], names[r][1], 1, NULL, 0);
        lv_scene *s;
        ASSERT_EQ(lv_scene_new(tr, &s), LV_OK);
        lv_tr_key end = r == 0 ? LV_T_DEADLOCKED : LV_T_COMPLETED;
        ASSERT_EQ(tr->outcome, r == 0 ? LV_OUT_DEADLOCKED : LV_OUT_COMPLETED);
        ASSERT_EQ(tr->nfindings == 0, r == 2); /* the fix finds nothing */
        long n = (long)tr->nevents;
        long at[] = {0, n / 2, n - 2, n - 1};
        for (int k = 0; k < 4; k++)
            for (int m = 0; m < 3; m++) {
                lv_frame f = {0};
                lv_viewport vp = view_at(s, 1280, 720, at[k], m);
                ASSERT_EQ(lv_frame_layout(&f, s, &vp), LV_OK);
                lv_tr_key want = m == LV_FUTURE_HIDE && at[k] < n - 1 ? LV_T_IN_PROGRESS : end;
                ASSERT_EQ(lv_frame_outcome_word(&f, tr, 0, 0), want);
                if (!tr->nfindings) /* a fix is not said to be fine before the end */
                    ASSERT_EQ(lv_frame_no_findings_words(&f, tr),
                              want == LV_T_IN_PROGRESS ? LV_T_NO_FINDINGS_YET : LV_T_NO_FINDINGS);
                lv_frame_free(&f);
            }
        lv_scene_free(s);
        lv_trace_free(tr);
    }
    /* a cut run says why it is cut */
    lv_trace *tr = run_named("ticket", NULL, 0);
    lv_frame f = {0};
    tr->outcome = LV_OUT_ABORTED;
    ASSERT_EQ(lv_frame_outcome_word(&f, tr, 1, 0), LV_T_SCHED_CUT);
    ASSERT_EQ(lv_frame_outcome_word(&f, tr, 0, 1), LV_T_PRED_CUT);
    ASSERT_EQ(lv_frame_outcome_word(&f, tr, 0, 0), LV_T_ABORTED);
    lv_trace_free(tr);
}

TEST(axis_labels_are_true_in_every_view) {
    const char *names[] = {"counter", "traffic-light", "ticket", "deadlock", "toilets"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        lv_trace *tr = run_named(names[i], NULL, 0);
        for (int mode = 0; mode < LV_TIME__COUNT; mode++) {
            lv_scene *s;
            ASSERT_EQ(lv_scene_new_view(tr, mode, &s), LV_OK);
            ASSERT_EQ(s->linear, mode);
            axis_views(s, names[i]);
            lv_scene_free(s);
        }
        lv_trace_free(tr);
    }
}

TEST(traffic_light_red_and_green_to_scale) {
    /* the light's 3 s red and 4 s green: shortened alike, but each long gap carries a break,
     * and in linear time green is 4/3 of red */
    lv_trace *tr = run_named("traffic-light", NULL, 0);
    lv_scene *w, *l;
    ASSERT_EQ(lv_scene_new_view(tr, LV_TIME_WARPED, &w), LV_OK);
    ASSERT_EQ(lv_scene_new_view(tr, LV_TIME_LINEAR, &l), LV_OK);
    lv_frame fw = {0}, fl = {0};
    lv_viewport vp = view_at(w, 1280, 720, (long)tr->nevents - 1, 0);
    ASSERT_EQ(lv_frame_layout(&fw, w, &vp), LV_OK);
    ASSERT_EQ(lv_frame_layout(&fl, l, &vp), LV_OK);
    ASSERT_GT(fw.nbreaks, 0);
    int64_t span = l->t_end - l->t_first;
    for (size_t i = 0; i < fl.nticks; i++) /* linear: x proportional to t */
        ASSERT_LE(abs(fl.ticks[i].x - (fl.x0 + (int)lround((double)(fl.ticks[i].t - l->t_first) /
                                                           (double)span * (fl.x1 - fl.x0)))),
                  1);
    lv_frame_free(&fw);
    lv_frame_free(&fl);
    lv_scene_free(w);
    lv_scene_free(l);
    lv_trace_free(tr);
}

TEST(the_step_view_gives_each_event_a_column) {
    lv_trace *tr = run_named("ticket", NULL, 0);
    lv_scene *s;
    ASSERT_EQ(lv_scene_new_view(tr, LV_TIME_STEPS, &s), LV_OK);
    ASSERT(s->real == tr);
    ASSERT(lv_scene_real(s) == tr);
    lv_frame f = {0};
    lv_viewport vp = view_at(s, 1920, 1080, 20, 0);
    ASSERT_EQ(lv_frame_layout(&f, s, &vp), LV_OK);
    for (size_t i = 1; i < tr->nevents; i++) /* one column each, in the scheduler's order */
        ASSERT_GT(lv_frame_x(&f, s, s->tr->events[i].t),
                  lv_frame_x(&f, s, s->tr->events[i - 1].t) + 4);
    /* a sleep ends at the first event at or after its real end (or at the thread's own next
     * event, when that comes first) */
    size_t sleeps = 0;
    for (size_t i = 0; i < tr->nevents; i++) {
        const lv_event *e = &tr->events[i];
        if (e->kind != LV_EV_SLEEP) continue;
        size_t j = i + 1, m = i + 1;
        while (j < tr->nevents && tr->events[j].t < e->t + e->value)
            j++;
        while (m < tr->nevents && tr->events[m].thread != e->thread)
            m++;
        if (j >= tr->nevents || m <= j) continue;
        const lv_span *sp = lv_scene_span_at(s, e->thread, (int64_t)j * LV_STEP_NS);
        ASSERT(sp && sp->state != LV_TS_SLEEPING);
        if (j > i + 1) {
            sp = lv_scene_span_at(s, e->thread, (int64_t)(j - 1) * LV_STEP_NS);
            ASSERT(sp && sp->state == LV_TS_SLEEPING);
        }
        sleeps++;
    }
    ASSERT_GT(sleeps, 0);
    /* the status says the real time of the playhead's event */
    char tb[48];
    lv_format_ns(tr->events[20].t - tr->events[0].t, tb, sizeof tb);
    ASSERT_CONTAINS(f.status, tb);
    lv_frame_free(&f);
    lv_scene_free(s);
    lv_trace_free(tr);
}

/* ---- the deadlock's cycle ---- */

TEST(the_deadlock_cycle_stands_out_among_sixteen_threads) {
    lv_trace *tr = run_named("deadlock", "threads", 16);
    lv_scene *s;
    ASSERT_EQ(lv_scene_new(tr, &s), LV_OK);
    ASSERT_GE(s->cycle_finding, 0);
    const lv_finding *fd = &tr->findings[s->cycle_finding];
    ASSERT_EQ(fd->payload, LV_PAY_DEADLOCK);
    const lv_deadlock_info *d = &fd->data.deadlock;
    ASSERT_EQ(d->shape, LV_DL_CYCLE);
    size_t members = 0, bystanders = 0;
    for (size_t k = 0; k < tr->nthreads; k++) {
        int in = 0;
        for (size_t i = 0; i < d->nsteps; i++)
            in |= d->steps[i].thread == (int32_t)k;
        ASSERT_EQ(s->th_role[k] == LV_ROLE_CYCLE, in);
        members += in;
        bystanders += s->th_role[k] == LV_ROLE_BYSTANDER;
        if (s->th_role[k] == LV_ROLE_BYSTANDER) { /* waits to the end for a lock of the cycle */
            const lv_span *sp = &s->th[k].spans[s->th[k].nspans - 1];
            ASSERT_EQ(sp->state, LV_TS_BLOCKED);
            ASSERT(s->obj_cycle[sp->on_obj]);
        }
    }
    ASSERT_EQ(members, 2);
    ASSERT_GE(bystanders, 10);
    int sizes[2][2] = {{1280, 720}, {1920, 1080}};
    lv_frame f = {0};
    for (int z = 0; z < 2; z++) {
        lv_viewport vp =
            view_at(s, sizes[z][0], sizes[z][1], (long)tr->nevents - 1, LV_FUTURE_HIDE);
        ASSERT_EQ(lv_frame_layout(&f, s, &vp), LV_OK);
        ASSERT(f.cycle_shown);
        /* an arrow per wait of the cycle, from the waiter's lane to the holder's */
        size_t want = 0;
        for (size_t i = 0; i < d->nsteps; i++)
            want += d->steps[i].obj >= 0 ? d->steps[i].nheld_by : 0;
        ASSERT_EQ(f.nwaits, want);
        for (size_t i = 0; i < f.nwaits; i++) {
            const lv_wait_arrow *w = &f.waits[i];
            const lv_lane *from = &f.lanes[w->from - f.first_lane],
                          *to = &f.lanes[w->to - f.first_lane];
            ASSERT_EQ(from->role, LV_ROLE_CYCLE);
            ASSERT_EQ(to->role, LV_ROLE_CYCLE);
            ASSERT(w->member);
            ASSERT(lv_rect_has(from->band, w->x, w->y0));
            ASSERT(w->y1 == to->band.y || w->y1 == to->band.y + to->band.h);
            ASSERT(w->x >= f.x0 && w->x <= f.x1);
            ASSERT_GE(w->x, (int)lround(lv_frame_x(&f, s, tr->events[w->seq].t)) - 1);
            ASSERT(s->obj_cycle[w->obj]);
        }
        /* the cycle's lanes are in view and marked; the bystanders marked apart */
        size_t seen = 0;
        for (size_t i = 0; i < f.nlanes; i++) {
            ASSERT_EQ(f.lanes[i].role, s->th_role[f.lanes[i].thread]);
            seen += f.lanes[i].role == LV_ROLE_CYCLE;
        }
        ASSERT_EQ(seen, 2);
        /* the two-column table whole, above the window's bottom */
        ASSERT_GE(f.detail_finding, 0);
        const char *t = lv_scene_detail(s, (size_t)f.detail_finding);
        int lines = 1;
        for (const char *p = t; *p; p++)
            lines += *p == '\n';
        ASSERT_GE(f.detail.h, lines * f.line_h[LV_FONT_MONO]);
        ASSERT_LE(f.detail.y + f.detail.h, sizes[z][1]);
    }
    /* scrolled away from the cycle: when it shows, its lanes come into view, once */
    lv_vstate v;
    lv_vs_init(&v, s);
    lv_vs_set_seq(&v, (long)tr->nevents - 1);
    v.lane_scroll = 8;
    lv_viewport sv = view_at(s, 1280, 720, (long)tr->nevents - 1, LV_FUTURE_HIDE);
    sv.lane_scroll = v.lane_scroll;
    ASSERT_EQ(lv_frame_layout(&f, s, &sv), LV_OK);
    ASSERT(f.cycle_shown);
    ASSERT_EQ(lv_vs_show_cycle(&v, &f), 1);
    sv.lane_scroll = v.lane_scroll;
    ASSERT_EQ(lv_frame_layout(&f, s, &sv), LV_OK);
    for (size_t k = 0; k < tr->nthreads; k++)
        if (s->th_role[k] == LV_ROLE_CYCLE) {
            ASSERT_GE((long)k, f.first_lane);
            ASSERT_LT((long)k, f.first_lane + (long)f.nlanes);
        }
    v.lane_scroll = 8; /* the person scrolls away again: it stays */
    ASSERT_EQ(lv_vs_show_cycle(&v, &f), 0);
    ASSERT_EQ(v.lane_scroll, 8);
    /* before the deadlock: no cycle, no arrows */
    lv_viewport vp =
        view_at(s, 1280, 720, (long)s->finding_seq[s->cycle_finding] - 1, LV_FUTURE_HIDE);
    ASSERT_EQ(lv_frame_layout(&f, s, &vp), LV_OK);
    ASSERT(!f.cycle_shown);
    ASSERT_EQ(f.nwaits, 0);
    ASSERT_EQ(lv_vs_show_cycle(&v, &f), 0); /* reached again later, it scrolls again */
    ASSERT_EQ(v.cycle_seen, 0);
    for (size_t i = 0; i < f.nlanes; i++)
        ASSERT_EQ(f.lanes[i].role, LV_ROLE_NONE);
    lv_frame_free(&f);
    lv_scene_free(s);
    lv_trace_free(tr);
}

/* ---- the keys ---- */

TEST(keys_for_what_comes_next_and_the_time_view) {
    lv_trace *tr = run_named("ticket", NULL, 0);
    lv_scene *s;
    ASSERT_EQ(lv_scene_new(tr, &s), LV_OK);
    lv_vstate v;
    lv_vs_init(&v, s);
    v.future = LV_FUTURE_HIDE;
    lv_vs_key(&v, LV_KEY_AHEAD, 0);
    ASSERT_EQ(v.future, LV_FUTURE_FAINT);
    lv_vs_key(&v, LV_KEY_AHEAD, 0);
    ASSERT_EQ(v.future, LV_FUTURE_SHOW);
    lv_vs_key(&v, LV_KEY_AHEAD, 0);
    ASSERT_EQ(v.future, LV_FUTURE_HIDE);
    lv_viewport vp = {0};
    lv_vs_viewport(&v, &vp);
    ASSERT_EQ(vp.future, LV_FUTURE_HIDE);
    lv_vs_set_seq(&v, 30);
    for (int m = 1; m <= 3; m++) {
        lv_vs_key(&v, LV_KEY_TIMEVIEW, 0);
        ASSERT_EQ(v.request, LV_REQ_TIME_VIEW);
        ASSERT_EQ(v.time_view, m % LV_TIME__COUNT);
        v.request = LV_REQ_NONE;
        lv_scene *n;
        ASSERT_EQ(lv_scene_new_view(tr, v.time_view, &n), LV_OK);
        lv_vs_rescene(&v, n);
        ASSERT_EQ(v.seq, 30); /* the playhead stays on its event */
        ASSERT_EQ(v.future, LV_FUTURE_HIDE);
        lv_scene_free(s);
        s = n;
    }
    lv_vs_button(&v, LV_BTN_TIME); /* the axis's name is the same switch */
    ASSERT_EQ(v.request, LV_REQ_TIME_VIEW);
    ASSERT_EQ(v.time_view, LV_TIME_LINEAR);
    lv_scene_free(s);
    lv_trace_free(tr);
}

TEST_MAIN(TEST_ENTRY(what_is_shown_follows_the_playhead, 60),
          TEST_ENTRY(a_hidden_note_leaves_its_room_to_those_shown, 60),
          TEST_ENTRY(the_outcome_waits_for_the_end, 60),
          TEST_ENTRY(axis_labels_are_true_in_every_view, 120),
          TEST_ENTRY(traffic_light_red_and_green_to_scale, 60),
          TEST_ENTRY(the_step_view_gives_each_event_a_column, 60),
          TEST_ENTRY(the_deadlock_cycle_stands_out_among_sixteen_threads, 60),
          TEST_ENTRY(keys_for_what_comes_next_and_the_time_view, 60))
