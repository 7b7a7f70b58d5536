/* The scene: a trace turned into what the timeline shows over time (each thread's state spans,
 * its lock holds, the hand-off arrows, its notes and accesses indexed for the layout's
 * searches, each finding's messages and a deadlock's wait-for table, lost updates) and the time
 * warp that keeps a 100 ms sleep from squeezing a hundred 1 µs steps into one pixel; and an
 * event told in words. The scene's lessons, cycle and overview are geom_lesson.c's,
 * geom_story.c's and geom_overview.c's; layout per frame is layout.c's. */
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "grow.h"
#include "geom.h"
#include "lockviz/analysis.h"
#include "search.h"
#include "textf.h"

lv_err lv__scene_build(const lv_trace *tr, const lv_trace *other, const lv_trace *real,
                       lv_scene **out);
int64_t lv__sleep_end(const lv_scene *s, const lv_event *e);

#define GROW(arr, n, cap) lv_grow((void **)&(arr), &(cap), sizeof *(arr), (n) + 1)

/* ---- the time warp ---- */

static int cmp_i64(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Display width of a gap of dt ns: linear up to two typical steps, logarithmic beyond, so a
 * long sleep still looks long without hiding everything around it. */
static double warp_gap(double dt, double step) {
    double k = 2 * step;
    if (dt <= k) return dt;
    return k * (1 + 0.3 * log2(dt / k));
}

/* other (may be NULL): a second trace whose event times join tr's, so that two scenes built
 * over each other's times share one warp (side by side, a moment is at one x in both). */
static int build_warp(lv_scene *s, const lv_trace *other) {
    const lv_trace *tr = s->tr;
    size_t n = 0, na = tr->nevents, nb = other ? other->nevents : 0;
    s->wt = malloc((na + nb + 1) * sizeof *s->wt);
    s->wd = malloc((na + nb + 1) * sizeof *s->wd);
    int64_t *gaps = malloc((na + nb + 1) * sizeof *gaps);
    if (!s->wt || !s->wd || !gaps) {
        free(gaps);
        return -1;
    }
    size_t ng = 0;
    for (size_t i = 0, j = 0; i < na || j < nb;) { /* both in time order: merge them */
        int64_t t;
        if (j >= nb || (i < na && tr->events[i].t <= other->events[j].t))
            t = tr->events[i++].t;
        else
            t = other->events[j++].t;
        if (n && s->wt[n - 1] == t) continue;
        if (n) gaps[ng++] = t - s->wt[n - 1];
        s->wt[n++] = t;
    }
    int64_t step = 1000;
    if (ng) {
        qsort(gaps, ng, sizeof *gaps, cmp_i64);
        step = gaps[ng / 2] > 0 ? gaps[ng / 2] : 1;
    }
    free(gaps);
    s->step = step;
    s->t_first = n ? s->wt[0] : 0;
    s->t_last = n ? s->wt[n - 1] : 0;
    s->t_end = s->t_last + 4 * step;
    s->wt[n++] = s->t_end;
    s->nw = n;
    s->wd[0] = 0;
    for (size_t i = 1; i < n; i++) { /* the tail after the last event stays as it is */
        double dt = (double)(s->wt[i] - s->wt[i - 1]);
        s->wd[i] = s->wd[i - 1] + (i == n - 1 ? dt : warp_gap(dt, (double)step));
    }
    size_t ns = (n - 1) / LV_SAMPLE + 1;
    s->wt_s = malloc(ns * sizeof *s->wt_s);
    s->wd_s = malloc(ns * sizeof *s->wd_s);
    if (!s->wt_s || !s->wd_s) return -1;
    for (size_t i = 0; i < n; i += LV_SAMPLE) {
        s->wt_s[i / LV_SAMPLE] = s->wt[i];
        s->wd_s[i / LV_SAMPLE] = s->wd[i];
    }
    return 0;
}

/* The first index in [lo, hi) of a (ascending) whose value is above v, or hi: the one binary
 * search the lookups below end in. */
#define UPPER_BOUND(a, lo, hi, v, out) LV_FIRST_FALSE(lo, hi, um_, (a)[um_] <= (v), out)

/* Index of the last element of a (ascending, n >= 1) that is <= v, or -1. */
#define LAST_LE(a, n, v, out)                                                                      \
    do {                                                                                           \
        size_t le_;                                                                                \
        UPPER_BOUND(a, 0, n, v, le_);                                                              \
        (out) = (long)le_ - 1;                                                                     \
    } while (0)

/* d at t, where i is the last warp point at or before t (-1 when none) */
static double d_at(const lv_scene *s, int64_t t, long i) {
    if (i < 0) return (double)(t - s->wt[0]);
    if ((size_t)i >= s->nw - 1) return s->wd[s->nw - 1] + (double)(t - s->wt[s->nw - 1]);
    double f = (double)(t - s->wt[i]) / (double)(s->wt[i + 1] - s->wt[i]);
    return s->wd[i] + f * (s->wd[i + 1] - s->wd[i]);
}

double lv_scene_d(const lv_scene *s, int64_t t) {
    if (s->linear) return (double)(t - s->t_first);
    long i;
    LAST_LE(s->wt, s->nw, t, i);
    return d_at(s, t, i);
}

/* The first index of a (ascending, n >= 1) whose value is above v, searched from near h. */
#define FIRST_ABOVE_NEAR(a, n, v, h0, out)                                                         \
    do {                                                                                           \
        size_t h_ = (h0) < (n) ? (h0) : (n)-1, lo_, hi_, step_ = 1;                                \
        if ((a)[h_] <= (v)) { /* gallop up */                                                      \
            lo_ = h_ + 1;                                                                          \
            hi_ = (n);                                                                             \
            while (h_ + step_ < (n) && (a)[h_ + step_] <= (v)) {                                   \
                lo_ = h_ + step_ + 1;                                                              \
                step_ *= 2;                                                                        \
            }                                                                                      \
            if (h_ + step_ < (n)) hi_ = h_ + step_;                                                \
        } else { /* gallop down */                                                                 \
            lo_ = 0;                                                                               \
            hi_ = h_;                                                                              \
            while (step_ <= h_ && (a)[h_ - step_] > (v)) {                                         \
                hi_ = h_ - step_;                                                                  \
                step_ *= 2;                                                                        \
            }                                                                                      \
            if (step_ <= h_) lo_ = h_ - step_ + 1;                                                 \
        }                                                                                          \
        UPPER_BOUND(a, lo_, hi_, v, out);                                                          \
    } while (0)

/* FIRST_ABOVE_NEAR through smp, every LV_SAMPLE-th of a: the samples first, then one block. */
#define FIRST_ABOVE_SAMPLED(a, smp, n, v, h0, out)                                                 \
    do {                                                                                           \
        size_t nb_ = ((n)-1) / LV_SAMPLE + 1, j_;                                                  \
        FIRST_ABOVE_NEAR(smp, nb_, v, (h0) / LV_SAMPLE, j_);                                       \
        if (j_ == 0) {                                                                             \
            (out) = 0;                                                                             \
        } else {                                                                                   \
            size_t l_ = (j_ - 1) * LV_SAMPLE + 1,                                                  \
                   r_ = j_ * LV_SAMPLE < (n) ? j_ * LV_SAMPLE : (n);                               \
            UPPER_BOUND(a, l_, r_, v, out);                                                        \
        }                                                                                          \
    } while (0)

double lv_scene_d_near(const lv_scene *s, int64_t t, size_t *hint) {
    if (s->linear) return (double)(t - s->t_first);
    size_t lo;
    FIRST_ABOVE_SAMPLED(s->wt, s->wt_s, s->nw, t, *hint, lo);
    long i = (long)lo - 1;
    *hint = i < 0 ? 0 : (size_t)i;
    return d_at(s, t, i);
}

static int64_t t_at(const lv_scene *s, double d, long i) {
    if (i < 0) return s->wt[0] + (int64_t)llround(d - s->wd[0]);
    if ((size_t)i >= s->nw - 1) return s->wt[s->nw - 1] + (int64_t)llround(d - s->wd[s->nw - 1]);
    double f = (d - s->wd[i]) / (s->wd[i + 1] - s->wd[i]);
    return s->wt[i] + (int64_t)llround(f * (double)(s->wt[i + 1] - s->wt[i]));
}

int64_t lv_scene_t(const lv_scene *s, double d) {
    if (s->linear) return s->t_first + (int64_t)llround(d);
    long i;
    LAST_LE(s->wd, s->nw, d, i);
    return t_at(s, d, i);
}

int64_t lv_scene_t_near(const lv_scene *s, double d, size_t *hint) {
    if (s->linear) return s->t_first + (int64_t)llround(d);
    size_t lo;
    FIRST_ABOVE_SAMPLED(s->wd, s->wd_s, s->nw, d, *hint, lo);
    long i = (long)lo - 1;
    *hint = i < 0 ? 0 : (size_t)i;
    return t_at(s, d, i);
}

long lv_scene_seq_at(const lv_scene *s, int64_t t) {
    const lv_trace *tr = s->tr;
    size_t n;
    LV_FIRST_FALSE(0, tr->nevents, i, tr->events[i].t <= t, n);
    return (long)n - 1;
}

const lv_span *lv_scene_span_at(const lv_scene *s, int32_t thread, int64_t t) {
    if (thread < 0 || (size_t)thread >= s->nthreads) return NULL;
    const lv_thread_geo *g = &s->th[thread];
    size_t lo;
    LV_FIRST_FALSE(0, g->nspans, i, g->spans[i].t0 <= t, lo);
    if (lo == 0) return NULL;
    const lv_span *sp = &g->spans[lo - 1];
    return t < sp->t1 ? sp : NULL;
}

/* ---- spans ---- */

typedef struct tbuild {
    uint8_t state;
    int64_t t0;
    uint32_t seq;
    int32_t on_obj, on_thread;
    int64_t sleep_end;
    int64_t end_t; /* -1 until the thread ends */
    unsigned rows_used;
    size_t open_from; /* holds before this index are all released: close_hold starts here */
    size_t cap_spans, cap_holds, cap_events;
} tbuild;

static int push_span(lv_thread_geo *g, tbuild *b, int64_t t1) {
    if (b->state == LV_TS_NOT_STARTED || t1 <= b->t0) return 0;
    if (g->nspans) {
        lv_span *last = &g->spans[g->nspans - 1];
        if (last->state == b->state && last->t1 == b->t0 && last->on_obj == b->on_obj &&
            last->on_thread == b->on_thread) {
            last->t1 = t1;
            return 0;
        }
    }
    if (GROW(g->spans, g->nspans, b->cap_spans)) return -1;
    g->spans[g->nspans++] = (lv_span){b->t0, t1, b->seq, b->state, b->on_obj, b->on_thread};
    return 0;
}

/* Ends the current span at t and begins one in state st. */
static int enter(lv_thread_geo *g, tbuild *b, int64_t t, uint8_t st, uint32_t seq, int32_t obj,
                 int32_t thr) {
    if (push_span(g, b, t)) return -1;
    b->state = st;
    b->t0 = t;
    b->seq = seq;
    b->on_obj = obj;
    b->on_thread = thr;
    return 0;
}

static int is_lock(lv_obj_kind k) {
    return k == LV_OBJ_MUTEX || k == LV_OBJ_RLOCK;
}
static int is_sem(lv_obj_kind k) {
    return k == LV_OBJ_SEMAPHORE || k == LV_OBJ_BOUNDED_SEMAPHORE;
}

typedef struct obuild {
    uint32_t last_rel; /* the release that freed it, not yet followed by an acquire */
    int32_t rel_thread;
} obuild;

static int open_hold(lv_scene *s, tbuild *b, int32_t thread, int32_t obj, uint32_t seq, int64_t t) {
    lv_thread_geo *g = &s->th[thread];
    if (GROW(g->holds, g->nholds, b->cap_holds)) return -1;
    unsigned row = 0;
    while (row < LV_HOLD_ROWS - 1 && (b->rows_used & (1u << row)))
        row++;
    b->rows_used |= 1u << row;
    g->holds[g->nholds++] = (lv_hold){t, s->t_end, seq, LV_SEQ_NONE, obj, (uint8_t)row};
    return 0;
}

static void close_hold(lv_scene *s, tbuild *b, int32_t thread, int32_t obj, uint32_t seq,
                       int64_t t) {
    lv_thread_geo *g = &s->th[thread];
    for (size_t i = b->open_from; i < g->nholds; i++) { /* the earliest open one: FIFO permits */
        lv_hold *h = &g->holds[i];
        if (h->obj == obj && h->rel == LV_SEQ_NONE) {
            h->rel = seq;
            h->t1 = t;
            b->rows_used &= ~(1u << h->row);
            while (b->open_from < g->nholds && g->holds[b->open_from].rel != LV_SEQ_NONE)
                b->open_from++;
            return;
        }
    }
}

static int add_handoff(lv_scene *s, size_t *cap, uint32_t rel, uint32_t acq, int32_t obj) {
    if (GROW(s->handoffs, s->nhandoffs, *cap)) return -1;
    s->handoffs[s->nhandoffs++] = (lv_handoff){rel, acq, obj};
    return 0;
}

static int cmp_handoff(const void *a, const void *b) {
    uint32_t x = ((const lv_handoff *)a)->rel, y = ((const lv_handoff *)b)->rel;
    return (x > y) - (x < y);
}

static int build_threads(lv_scene *s) {
    const lv_trace *tr = s->tr;
    size_t nt = tr->nthreads;
    tbuild *tb = calloc(nt ? nt : 1, sizeof *tb);
    obuild *ob = calloc(tr->nobjects ? tr->nobjects : 1, sizeof *ob);
    uint32_t *req_seq = NULL; /* per thread: its open request (a thread waits for one thing) */
    size_t cap_hand = 0;
    int rc = -1;
    if (!tb || !ob) goto done;
    req_seq = malloc((nt ? nt : 1) * sizeof *req_seq);
    if (!req_seq) goto done;
    for (size_t i = 0; i < nt; i++) {
        tb[i] = (tbuild){.state = LV_TS_NOT_STARTED,
                         .on_obj = LV_NONE,
                         .on_thread = LV_NONE,
                         .sleep_end = -1,
                         .end_t = -1};
        req_seq[i] = LV_SEQ_NONE;
    }
    for (size_t i = 0; i < tr->nobjects; i++)
        ob[i] = (obuild){LV_SEQ_NONE, LV_NONE};
    for (size_t i = 0; i < tr->nevents; i++) {
        const lv_event *e = &tr->events[i];
        int32_t th = e->thread;
        if (th < 0 || (size_t)th >= nt) continue;
        lv_thread_geo *g = &s->th[th];
        tbuild *b = &tb[th];
        if (GROW(g->events, g->nevents, b->cap_events)) goto done;
        g->events[g->nevents++] = e->seq;
        if (b->state == LV_TS_SLEEPING && b->sleep_end >= 0) {
            /* a sleep ends at its duration or at the thread's next event, whichever is first */
            int64_t wake = b->sleep_end < e->t ? b->sleep_end : e->t;
            if (enter(g, b, wake, LV_TS_RUNNING, e->seq, LV_NONE, LV_NONE)) goto done;
            b->sleep_end = -1;
        }
        if (b->state == LV_TS_NOT_STARTED && e->kind != LV_EV_END)
            if (enter(g, b, e->t, LV_TS_RUNNING, e->seq, LV_NONE, LV_NONE)) goto done;
        lv_obj_kind ok =
            e->obj >= 0 && (size_t)e->obj < tr->nobjects ? tr->objects[e->obj].kind : LV_OBJ__COUNT;
        switch ((lv_event_kind)e->kind) {
        case LV_EV_START:
            break;
        case LV_EV_END:
            if (enter(g, b, e->t, LV_TS_FINISHED, e->seq, LV_NONE, LV_NONE)) goto done;
            b->end_t = e->t;
            for (size_t k = 0; k < nt; k++) /* whoever joins it goes on */
                if (tb[k].state == LV_TS_BLOCKED && tb[k].on_thread == th && tb[k].on_obj < 0)
                    if (enter(&s->th[k], &tb[k], e->t, LV_TS_RUNNING, e->seq, LV_NONE, LV_NONE))
                        goto done;
            break;
        case LV_EV_JOIN:
            if (e->value >= 0 && (size_t)e->value < nt && tb[e->value].end_t < 0)
                if (enter(g, b, e->t, LV_TS_BLOCKED, e->seq, LV_NONE, (int32_t)e->value)) goto done;
            break;
        case LV_EV_REQUEST:
            req_seq[th] = e->seq;
            if (enter(g, b, e->t, LV_TS_BLOCKED, e->seq, e->obj, LV_NONE)) goto done;
            break;
        case LV_EV_TIMEOUT:
            if (b->state == LV_TS_BLOCKED)
                if (enter(g, b, e->t, LV_TS_RUNNING, e->seq, LV_NONE, LV_NONE)) goto done;
            break;
        case LV_EV_ACQUIRE:
            if (b->state == LV_TS_BLOCKED && b->on_obj == e->obj)
                if (enter(g, b, e->t, LV_TS_RUNNING, e->seq, LV_NONE, LV_NONE)) goto done;
            if (is_lock(ok) || is_sem(ok) || ok == LV_OBJ_RWLOCK) {
                int first = ok != LV_OBJ_RLOCK || !(e->flags & LV_EVF_VALUE) || e->value == 1;
                if (first && open_hold(s, b, th, e->obj, e->seq, e->t)) goto done;
                obuild *o = &ob[e->obj];
                if (first && o->last_rel != LV_SEQ_NONE) {
                    /* a semaphore's release let in only someone already waiting */
                    int let_in =
                        o->rel_thread != th &&
                        (is_lock(ok) || (req_seq[th] != LV_SEQ_NONE && req_seq[th] < o->last_rel));
                    if (let_in && add_handoff(s, &cap_hand, o->last_rel, e->seq, e->obj)) goto done;
                    o->last_rel = LV_SEQ_NONE;
                }
            }
            req_seq[th] = LV_SEQ_NONE;
            break;
        case LV_EV_RELEASE:
            if (e->flags & LV_EVF_REFUSED) break; /* refused (EPERM): still held */
            if (is_lock(ok) || is_sem(ok) || ok == LV_OBJ_RWLOCK) {
                int freed = ok != LV_OBJ_RLOCK || ((e->flags & LV_EVF_VALUE) && e->value == 0);
                if (freed) {
                    close_hold(s, b, th, e->obj, e->seq, e->t);
                    ob[e->obj] = (obuild){e->seq, th};
                }
            }
            break;
        case LV_EV_SLEEP:
            if (enter(g, b, e->t, LV_TS_SLEEPING, e->seq, LV_NONE, LV_NONE)) goto done;
            b->sleep_end = lv__sleep_end(s, e);
            break;
        default:
            break;
        }
    }
    for (size_t k = 0; k < nt; k++) {
        tbuild *b = &tb[k];
        if (b->state == LV_TS_SLEEPING && b->sleep_end >= 0 && b->sleep_end < s->t_end) {
            if (enter(&s->th[k], b, b->sleep_end, LV_TS_RUNNING, b->seq, LV_NONE, LV_NONE))
                goto done;
        }
        if (push_span(&s->th[k], b, s->t_end)) goto done;
    }
    if (s->nhandoffs > 1) qsort(s->handoffs, s->nhandoffs, sizeof *s->handoffs, cmp_handoff);
    for (size_t i = 0; i < s->nhandoffs; i++) {
        int64_t gap = tr->events[s->handoffs[i].acq].t - tr->events[s->handoffs[i].rel].t;
        if (gap > s->handoff_gap) s->handoff_gap = gap;
    }
    rc = 0;
done:
    free(tb);
    free(ob);
    free(req_seq);
    return rc;
}

static int build_notes(lv_scene *s) {
    const lv_trace *tr = s->tr;
    for (size_t k = 0; k < s->nthreads; k++) {
        lv_thread_geo *g = &s->th[k];
        size_t n = 0;
        for (size_t i = 0; i < g->nevents; i++)
            n += tr->events[g->events[i]].kind == LV_EV_NOTE;
        if (!n) continue;
        g->notes = malloc(n * sizeof *g->notes);
        if (!g->notes) return -1;
        for (size_t i = 0; i < g->nevents; i++)
            if (tr->events[g->events[i]].kind == LV_EV_NOTE) g->notes[g->nnotes++] = g->events[i];
    }
    return 0;
}

uint8_t lv_state_prio(uint8_t st) {
    static const uint8_t p[LV_TS__COUNT] = {0, 2, 4, 3, 1};
    return st < LV_TS__COUNT ? p[st] : 0;
}

static int64_t *sample_seqs(const lv_trace *tr, const uint32_t *seq, size_t n) {
    if (!n) return NULL;
    int64_t *t = malloc(((n - 1) / LV_SAMPLE + 1) * sizeof *t);
    if (t)
        for (size_t i = 0; i < n; i += LV_SAMPLE)
            t[i / LV_SAMPLE] = tr->events[seq[i]].t;
    return t;
}

/* What layout needs to stay bounded by pixels: a max tree over the spans' priorities, the
 * reads and writes of shared vars, and each hold row with (when its holds overlap) a max
 * tree of their ends. Once per trace, O(n). */
static int build_index(lv_scene *s) {
    const lv_trace *tr = s->tr;
    for (size_t k = 0; k < s->nthreads; k++) {
        lv_thread_geo *g = &s->th[k];
        size_t n = g->nspans;
        if (n) {
            g->span_max = malloc(2 * n);
            if (!g->span_max) return -1;
            g->span_max[0] = 0;
            for (size_t i = 0; i < n; i++)
                g->span_max[n + i] = lv_state_prio(g->spans[i].state);
            for (size_t i = n - 1; i > 0; i--) {
                uint8_t a = g->span_max[2 * i], b = g->span_max[2 * i + 1];
                g->span_max[i] = a > b ? a : b;
            }
        }
        size_t na = 0;
        for (size_t i = 0; i < g->nevents; i++) {
            const lv_event *e = &tr->events[g->events[i]];
            na += (e->kind == LV_EV_READ || e->kind == LV_EV_WRITE) && e->obj >= 0 &&
                  (size_t)e->obj < tr->nobjects && tr->objects[e->obj].kind == LV_OBJ_VAR;
        }
        if (na) {
            g->accesses = malloc(na * sizeof *g->accesses);
            if (!g->accesses) return -1;
            for (size_t i = 0; i < g->nevents; i++) {
                const lv_event *e = &tr->events[g->events[i]];
                if ((e->kind == LV_EV_READ || e->kind == LV_EV_WRITE) && e->obj >= 0 &&
                    (size_t)e->obj < tr->nobjects && tr->objects[e->obj].kind == LV_OBJ_VAR)
                    g->accesses[g->naccesses++] = g->events[i];
            }
        }
        if (n) {
            g->span_t0s = malloc(((n - 1) / LV_SAMPLE + 1) * sizeof *g->span_t0s);
            if (!g->span_t0s) return -1;
            for (size_t i = 0; i < n; i += LV_SAMPLE)
                g->span_t0s[i / LV_SAMPLE] = g->spans[i].t0;
        }
        g->note_ts = sample_seqs(tr, g->notes, g->nnotes);
        g->access_ts = sample_seqs(tr, g->accesses, g->naccesses);
        if ((g->nnotes && !g->note_ts) || (g->naccesses && !g->access_ts)) return -1;
        for (int row = 0; row < LV_HOLD_ROWS; row++) {
            size_t m = 0;
            for (size_t i = 0; i < g->nholds; i++)
                m += g->holds[i].row == row;
            if (!m) continue;
            uint32_t *ix = malloc(m * sizeof *ix);
            if (!ix) return -1;
            g->row_holds[row] = ix;
            int ascending = 1;
            for (size_t i = 0; i < g->nholds; i++) {
                if (g->holds[i].row != row) continue;
                if (g->nrow_holds[row] && g->holds[ix[g->nrow_holds[row] - 1]].t1 > g->holds[i].t1)
                    ascending = 0;
                ix[g->nrow_holds[row]++] = (uint32_t)i;
            }
            g->row_t0s[row] = malloc(((m - 1) / LV_SAMPLE + 1) * sizeof(int64_t));
            if (!g->row_t0s[row]) return -1;
            for (size_t i = 0; i < m; i += LV_SAMPLE)
                g->row_t0s[row][i / LV_SAMPLE] = g->holds[ix[i]].t0;
            if (ascending) continue;
            size_t leaves = 1;
            while (leaves < m)
                leaves *= 2;
            int64_t *t = malloc(2 * leaves * sizeof *t);
            if (!t) return -1;
            for (size_t i = 0; i < leaves; i++)
                t[leaves + i] = i < m ? g->holds[ix[i]].t1 : INT64_MIN;
            for (size_t i = leaves - 1; i > 0; i--)
                t[i] = t[2 * i] > t[2 * i + 1] ? t[2 * i] : t[2 * i + 1];
            t[0] = INT64_MIN;
            g->row_t1max[row] = t;
            g->row_t1_leaves[row] = leaves;
        }
    }
    return 0;
}

/* Who holds obj just before event seq: the thread of the last acquire not released since. */
static int32_t holder_before(const lv_trace *tr, int32_t obj, uint32_t seq) {
    for (uint32_t i = seq; i-- > 0;) {
        const lv_event *e = &tr->events[i];
        if (e->obj != obj) continue;
        if (e->kind == LV_EV_ACQUIRE) return e->thread;
        if (e->kind == LV_EV_RELEASE && !(e->flags & LV_EVF_REFUSED) &&
            (tr->objects[obj].kind != LV_OBJ_RLOCK || ((e->flags & LV_EVF_VALUE) && !e->value)))
            return LV_NONE;
    }
    return LV_NONE;
}

/* Appends to a growing string (*b, of *len chars in *cap bytes); -1 when memory ran out. */
static int put_line(char **b, size_t *len, size_t *cap, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int put_line(char **b, size_t *len, size_t *cap, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) return -1;
    while (*len + (size_t)n + 1 > *cap) {
        char *nb = realloc(*b, *cap * 2);
        if (!nb) return -1;
        *b = nb;
        *cap *= 2;
    }
    va_start(ap, fmt);
    vsnprintf(*b + *len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    *len += (size_t)n;
    return 0;
}

/* "thread-3 --waits for--> A=B", "A=B --held by--> thread-3": a deadlock in mono lines, from
 * the finding's stuck waits (or, for a finding without them, its requests). */
static char *wait_graph(const lv_trace *tr, const lv_finding *f) {
    size_t cap = 256, len = 0;
    char *b = malloc(cap);
    if (!b) return NULL;
    b[0] = 0;
    int bad = 0;
    if (f->payload == LV_PAY_DEADLOCK) {
        const lv_deadlock_info *d = &f->data.deadlock;
        for (size_t k = 0; k < d->nsteps && !bad; k++) {
            const lv_wait_step *st = &d->steps[k];
            const char *who = lv_trace_thread_name(tr, st->thread);
            if (st->obj == LV_NONE) {
                bad |= put_line(&b, &len, &cap, "%s --waits for--> %s to end\n", who,
                                lv_trace_thread_name(tr, st->joins));
                continue;
            }
            const char *on = lv_trace_object_name(tr, st->obj);
            bad |= put_line(&b, &len, &cap, "%s --waits for--> %s\n", who, on);
            for (size_t h = 0; h < st->nheld_by && !bad; h++)
                bad |= put_line(&b, &len, &cap, "    %s --held by--> %s\n", on,
                                lv_trace_thread_name(tr, st->held_by[h]));
        }
    } else {
        for (size_t k = 0; k < f->nevents && !bad; k++) {
            if (f->events[k] >= tr->nevents) continue;
            const lv_event *e = &tr->events[f->events[k]];
            if (e->kind != LV_EV_REQUEST || e->obj < 0) continue;
            int32_t h = holder_before(tr, e->obj, e->seq);
            const char *on = lv_trace_object_name(tr, e->obj);
            bad |= put_line(&b, &len, &cap, "%s --waits for--> %s\n",
                            lv_trace_thread_name(tr, e->thread), on);
            if (h >= 0)
                bad |= put_line(&b, &len, &cap, "    %s --held by--> %s\n", on,
                                lv_trace_thread_name(tr, h));
        }
    }
    if (bad || len == 0 || put_line(&b, &len, &cap, "\n*** DEADLOCK ***")) {
        free(b);
        return NULL;
    }
    return b;
}

const char *lv_scene_message(const lv_scene *s, size_t i, int lang) {
    if (i >= s->tr->nfindings) return "";
    if (lang == LV_LANG_ZH && s->msg_zh && s->msg_zh[i]) return s->msg_zh[i];
    return s->tr->findings[i].message ? s->tr->findings[i].message : "";
}

const char *lv_scene_detail(const lv_scene *s, size_t i) {
    if (i >= s->tr->nfindings) return NULL;
    if (s->tr->findings[i].detail) return s->tr->findings[i].detail;
    return s->wait_graph ? s->wait_graph[i] : NULL;
}

static int build_findings(lv_scene *s) {
    const lv_trace *tr = s->tr;
    s->finding_seq = malloc((tr->nfindings ? tr->nfindings : 1) * sizeof *s->finding_seq);
    s->lost = malloc((tr->nfindings ? tr->nfindings : 1) * sizeof *s->lost);
    s->wait_graph = calloc(tr->nfindings ? tr->nfindings : 1, sizeof *s->wait_graph);
    s->msg_zh = calloc(tr->nfindings ? tr->nfindings : 1, sizeof *s->msg_zh);
    if (!s->finding_seq || !s->lost || !s->wait_graph || !s->msg_zh) return -1;
    for (size_t i = 0; i < tr->nfindings; i++) {
        const lv_finding *f = &tr->findings[i];
        uint32_t last = LV_SEQ_NONE;
        for (size_t k = 0; k < f->nevents; k++)
            if (f->events[k] < tr->nevents && (last == LV_SEQ_NONE || f->events[k] > last))
                last = f->events[k];
        s->finding_seq[i] = last;
        if (f->kind == LV_FIND_DEADLOCK && !f->detail) /* NULL (no request in it): no graph */
            s->wait_graph[i] = wait_graph(tr, f);
        if (f->payload == LV_PAY_LOST_UPDATE && f->data.lost.read.seq < tr->nevents &&
            f->data.lost.lost.seq < tr->nevents && f->data.lost.overwrite.seq < tr->nevents) {
            const lv_lost_info *x = &f->data.lost;
            s->lost[s->nlost++] = (lv_lost){x->read.seq, x->lost.seq, x->overwrite.seq, x->var};
        }
        /* the Chinese words, from the payload (a finding without one shows as stored) */
        if (f->payload != LV_PAY_NONE && !(s->msg_zh[i] = lv_finding_message(tr, f, LV_TEXT_ZH)))
            return -1;
    }
    return 0;
}

lv_err lv_scene_new(const lv_trace *tr, lv_scene **out) {
    return lv_scene_new_shared(tr, NULL, out);
}

lv_err lv_scene_new_shared(const lv_trace *tr, const lv_trace *other, lv_scene **out) {
    return lv__scene_build(tr, other, NULL, out);
}

/* real: for the step view (geom_story.c), the trace tr's events were renumbered from */
lv_err lv__scene_build(const lv_trace *tr, const lv_trace *other, const lv_trace *real,
                       lv_scene **out) {
    *out = NULL;
    lv_scene *s = calloc(1, sizeof *s);
    if (!s) return LV_ENOMEM;
    static _Atomic uint64_t serials;
    s->serial = ++serials;
    s->tr = tr;
    s->real = real;
    s->nthreads = tr->nthreads;
    s->th = calloc(tr->nthreads ? tr->nthreads : 1, sizeof *s->th);
    if (!s->th || build_warp(s, other) || build_threads(s) || build_notes(s) || build_index(s) ||
        build_findings(s) || lv__lesson_build(s) || lv__cycle_build(s)) {
        lv_scene_free(s);
        return LV_ENOMEM;
    }
    lv__overview_build(s);
    *out = s;
    return LV_OK;
}

void lv_scene_free(lv_scene *s) {
    if (!s) return;
    for (size_t i = 0; s->th && i < s->nthreads; i++) {
        free(s->th[i].spans);
        free(s->th[i].holds);
        free(s->th[i].notes);
        free(s->th[i].events);
        free(s->th[i].span_max);
        free(s->th[i].accesses);
        free(s->th[i].span_t0s);
        free(s->th[i].note_ts);
        free(s->th[i].access_ts);
        for (int r = 0; r < LV_HOLD_ROWS; r++) {
            free(s->th[i].row_holds[r]);
            free(s->th[i].row_t1max[r]);
            free(s->th[i].row_t0s[r]);
        }
    }
    free(s->th);
    lv__overview_free(s->ov);
    lv__lesson_free(s->marks);
    free(s->wt);
    free(s->wd);
    free(s->wt_s);
    free(s->wd_s);
    free(s->handoffs);
    free(s->lost);
    free(s->finding_seq);
    for (size_t i = 0; s->wait_graph && i < s->tr->nfindings; i++)
        free(s->wait_graph[i]);
    free(s->wait_graph);
    for (size_t i = 0; s->msg_zh && i < s->tr->nfindings; i++)
        free(s->msg_zh[i]);
    free(s->msg_zh);
    free(s->th_role);
    free(s->obj_cycle);
    if (s->steps_tr) free(s->steps_tr->events);
    free(s->steps_tr);
    free(s);
}

void lv_event_describe(const lv_scene *s, uint32_t seq, int lang, char *buf, size_t len) {
    const lv_trace *tr = s->tr;
    if (seq >= tr->nevents) {
        snprintf(buf, len, "-");
        return;
    }
    const lv_event *e = &tr->events[seq];
    const char *who = lv_trace_thread_name(tr, e->thread);
    const char *obj = e->obj >= 0 ? lv_trace_object_name(tr, e->obj) : "";
    char a[32], v[32];
    snprintf(a, sizeof a, "%" PRIu32, seq + 1); /* a person counts events from 1 */
    snprintf(v, sizeof v, "%" PRId64, e->value);
    int n = lv_textf(buf, len, lv_tr(lang, LV_T_EV_AT), a, who);
    if (n < 0 || (size_t)n >= len) return;
    char *p = buf + n;
    size_t left = len - (size_t)n;
    switch ((lv_event_kind)e->kind) {
    case LV_EV_NOTE:
        lv_textf(p, left, "\"%s\"", lv_trace_text(tr, e) ? lv_scene_note_text(s, e, lang) : "");
        break;
    case LV_EV_READ:
        lv_textf(p, left, lv_tr(lang, LV_T_EV_READ), obj, v);
        break;
    case LV_EV_WRITE:
        lv_textf(p, left, lv_tr(lang, LV_T_EV_WROTE), obj, v);
        break;
    case LV_EV_SPAWN:
        lv_textf(p, left, lv_tr(lang, LV_T_EV_SPAWNED),
                 lv_trace_thread_name(tr, (int32_t)e->value));
        break;
    case LV_EV_JOIN:
        lv_textf(p, left, lv_tr(lang, LV_T_EV_JOINS), lv_trace_thread_name(tr, (int32_t)e->value));
        break;
    case LV_EV_SLEEP:
        snprintf(v, sizeof v, "%.3g", (double)e->value / 1e6);
        lv_textf(p, left, lv_tr(lang, LV_T_EV_SLEEPS), v);
        break;
    case LV_EV_REQUEST:
        lv_textf(p, left, lv_tr(lang, LV_T_EV_ASKS), obj);
        break;
    case LV_EV_ACQUIRE:
        lv_textf(p, left, lv_tr(lang, LV_T_EV_GOT), obj);
        break;
    case LV_EV_RELEASE:
        lv_textf(p, left, lv_tr(lang, LV_T_EV_RELEASED), obj);
        break;
    case LV_EV_TIMEOUT:
        if (*obj)
            lv_textf(p, left, lv_tr(lang, LV_T_EV_GAVE_UP_FOR), obj);
        else
            lv_textf(p, left, "%s", lv_tr(lang, LV_T_EV_GAVE_UP));
        break;
    default:
        lv_textf(p, left, "%s%s%s", lv_event_kind_name((lv_event_kind)e->kind), *obj ? " " : "",
                 obj);
        break;
    }
}
