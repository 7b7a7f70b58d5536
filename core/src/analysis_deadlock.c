/* Analysis: the deadlock of a run that ended "deadlocked", replayed from the events: a cycle
 * of holders and waiters (locks, rwlocks, joins), or else the list of stuck waits. Runs that
 * did not deadlock get no deadlock finding: a deadlock that could happen is the lock-order pass. */
#include <stdlib.h>
#include <string.h>
#include "analysis.h"
#include "lockviz/lockviz.h"
#include "pairmap.h"

/* What each thread is stuck on at the end of the trace, replayed from the events. */
typedef struct stuck {
    int ended;
    int32_t wait_obj;    /* the object of a request with no acquire or timeout after it */
    uint32_t wait_seq;   /* that request (or join) */
    int32_t wait_thread; /* the thread it joins, or LV_NONE */
    int has_wait;
    int wait_read; /* the request is for a read hold of an rwlock */
} stuck;

typedef struct dl_state {
    stuck *th;
    int32_t *holder;   /* per object: lock holder */
    uint32_t *held_at; /* per object: the seq of the acquire that holder made */
    lv__pmap taken;    /* (object, thread) -> semaphore permits (rwlock read holds) it holds */
    lv__pmap read_at;  /* (rwlock, thread) -> 1 + the seq of its latest read acquire */
} dl_state;

/* A thread that holds a read hold of rwlock o, which a write request of t waits for: the
 * lowest other than t (two upgraders wait for each other: a cycle of both), t itself when it
 * is the only reader; LV_NONE */
static int32_t a_reader(const dl_state *s, int32_t o, int32_t t) {
    int32_t best = LV_NONE;
    for (size_t i = 0; i < s->taken.cap; i++) {
        const lv__pm_slot *x = &s->taken.s[i];
        if (x->used && x->v > 0 && x->a == (uint64_t)(uint32_t)o && (int32_t)x->b != t &&
            (best == LV_NONE || (int32_t)x->b < best))
            best = (int32_t)x->b;
    }
    if (best != LV_NONE) return best;
    int64_t *mine = lv__pm_at((lv__pmap *)&s->taken, (uint32_t)o, (uint32_t)t, 0);
    return mine && *mine > 0 ? t : LV_NONE;
}

/* The thread that thread t waits for, if its wait is on one thread: a lock's holder or a
 * joined thread. LV_NONE otherwise. */
static int32_t waits_for(const lv_trace *tr, const dl_state *s, int32_t t) {
    const stuck *w = &s->th[t];
    if (!w->has_wait) return LV_NONE;
    if (w->wait_thread != LV_NONE) return w->wait_thread;
    lv_obj_kind k = tr->objects[w->wait_obj].kind;
    if (k == LV_OBJ_MUTEX || k == LV_OBJ_RLOCK) return s->holder[w->wait_obj];
    if (k == LV_OBJ_RWLOCK) { /* its writer; a write request also waits for its readers */
        if (s->holder[w->wait_obj] != LV_NONE) return s->holder[w->wait_obj];
        if (!w->wait_read) return a_reader(s, w->wait_obj, t);
    }
    return LV_NONE;
}

static int dl_replay(const lv_trace *tr, dl_state *s) {
    for (size_t i = 0; i < tr->nthreads; i++) {
        s->th[i].wait_obj = LV_NONE;
        s->th[i].wait_thread = LV_NONE;
    }
    for (size_t i = 0; i < tr->nobjects; i++)
        s->holder[i] = LV_NONE;
    for (size_t i = 0; i < tr->nevents; i++) {
        const lv_event *e = &tr->events[i];
        stuck *w = &s->th[e->thread];
        /* any later event of a joining thread means its join returned */
        if (w->has_wait && w->wait_thread != LV_NONE) w->has_wait = 0;
        switch (e->kind) {
        case LV_EV_END:
            w->ended = 1;
            w->has_wait = 0;
            break;
        case LV_EV_JOIN:
            w->has_wait = 1;
            w->wait_thread = (int32_t)e->value;
            w->wait_obj = LV_NONE;
            w->wait_seq = e->seq;
            if (s->th[e->value].ended) w->has_wait = 0;
            break;
        case LV_EV_REQUEST:
            /* a wait with a timeout is not stuck: it ends by itself (a live run stopped by
             * its watchdog may leave one open) */
            w->has_wait = !(e->flags & LV_EVF_VALUE) || e->value < 0;
            w->wait_thread = LV_NONE;
            w->wait_obj = e->obj;
            w->wait_seq = e->seq;
            w->wait_read = (e->flags & LV_EVF_READ) != 0;
            break;
        case LV_EV_ACQUIRE:
        case LV_EV_TIMEOUT:
            if (w->has_wait && w->wait_obj == e->obj) w->has_wait = 0;
            if (e->kind == LV_EV_TIMEOUT || e->obj == LV_NONE) break;
            switch (tr->objects[e->obj].kind) {
            case LV_OBJ_MUTEX:
            case LV_OBJ_RLOCK:
                if (s->holder[e->obj] != e->thread) s->held_at[e->obj] = e->seq;
                s->holder[e->obj] = e->thread;
                break;
            case LV_OBJ_RWLOCK:
                if (e->flags & LV_EVF_READ) {
                    int64_t *at = lv__pm_at(&s->read_at, (uint32_t)e->obj, (uint32_t)e->thread, 1);
                    if (!at) return -1;
                    *at = (int64_t)e->seq + 1;
                } else {
                    s->holder[e->obj] = e->thread;
                    s->held_at[e->obj] = e->seq;
                    break;
                }
                /* a read hold is counted like a permit */
                __attribute__((fallthrough));
            case LV_OBJ_SEMAPHORE:
            case LV_OBJ_BOUNDED_SEMAPHORE: {
                int64_t *mine = lv__pm_at(&s->taken, (uint32_t)e->obj, (uint32_t)e->thread, 1);
                if (!mine) return -1;
                (*mine)++;
                break;
            }
            default:
                break;
            }
            break;
        case LV_EV_RELEASE: {
            lv_obj_kind k = tr->objects[e->obj].kind;
            if (e->flags & LV_EVF_REFUSED) break; /* an unlock refused: nothing released */
            if (k == LV_OBJ_MUTEX) s->holder[e->obj] = LV_NONE;
            if (k == LV_OBJ_RLOCK && s->holder[e->obj] == e->thread &&
                (!(e->flags & LV_EVF_VALUE) || e->value <= 0))
                s->holder[e->obj] = LV_NONE;
            if (k == LV_OBJ_RWLOCK && !(e->flags & LV_EVF_READ) && s->holder[e->obj] == e->thread)
                s->holder[e->obj] = LV_NONE;
            if (k == LV_OBJ_SEMAPHORE || k == LV_OBJ_BOUNDED_SEMAPHORE ||
                (k == LV_OBJ_RWLOCK && (e->flags & LV_EVF_READ))) {
                int64_t *mine = lv__pm_at(&s->taken, (uint32_t)e->obj, (uint32_t)e->thread, 0);
                if (mine && *mine > 0) (*mine)--;
            }
            break;
        }
        default:
            break;
        }
    }
    return 0;
}

typedef struct permit {
    int32_t obj, thread;
} permit;

static int cmp_permit(const void *a, const void *b) {
    const permit *x = a, *y = b;
    if (x->obj != y->obj) return x->obj < y->obj ? -1 : 1;
    return (x->thread > y->thread) - (x->thread < y->thread);
}

/* Fills each step's held_by: a lock's holder, or the threads that hold a permit of the
 * semaphore (from the sparse map, sorted once, so many stuck threads cost n log n). */
static int fill_holders(const lv_trace *tr, const dl_state *s, lv_wait_step *st, size_t n) {
    permit *p = malloc((s->taken.n ? s->taken.n : 1) * sizeof *p);
    if (!p) return -1;
    size_t np = 0;
    for (size_t i = 0; i < s->taken.cap; i++)
        if (s->taken.s[i].used && s->taken.s[i].v > 0)
            p[np++] = (permit){(int32_t)s->taken.s[i].a, (int32_t)s->taken.s[i].b};
    qsort(p, np, sizeof *p, cmp_permit);
    int rc = 0;
    for (size_t k = 0; k < n && !rc; k++) {
        lv_wait_step *w = &st[k];
        if (w->obj == LV_NONE) continue;
        lv_obj_kind kind = tr->objects[w->obj].kind;
        if (kind == LV_OBJ_MUTEX || kind == LV_OBJ_RLOCK ||
            (kind == LV_OBJ_RWLOCK && s->holder[w->obj] != LV_NONE)) {
            if (s->holder[w->obj] == LV_NONE) continue;
            if (!(w->held_by = malloc(sizeof *w->held_by)))
                rc = -1;
            else
                w->held_by[w->nheld_by++] = s->holder[w->obj];
        } else if (kind == LV_OBJ_SEMAPHORE || kind == LV_OBJ_BOUNDED_SEMAPHORE ||
                   kind == LV_OBJ_RWLOCK) {
            size_t lo = 0, hi = np; /* the first permit (read hold) of w->obj */
            while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (p[mid].obj < w->obj)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            size_t end = lo;
            while (end < np && p[end].obj == w->obj)
                end++;
            if (end == lo) continue;
            if (!(w->held_by = malloc((end - lo) * sizeof *w->held_by))) rc = -1;
            for (size_t i = lo; i < end && w->held_by; i++)
                w->held_by[w->nheld_by++] = p[i].thread;
        }
    }
    free(p);
    return rc;
}

void lv__find_deadlock(const lv_trace *tr, lv__flist *l) {
    if (tr->outcome != LV_OUT_DEADLOCKED || !tr->nthreads) return;
    size_t nt = tr->nthreads, no = tr->nobjects ? tr->nobjects : 1;
    dl_state s = {calloc(nt, sizeof *s.th),
                  calloc(no, sizeof *s.holder),
                  calloc(no, sizeof *s.held_at),
                  {0},
                  {0}};
    int32_t *cyc = malloc(nt * sizeof *cyc);
    size_t *mark = calloc(nt, sizeof *mark);
    if (!s.th || !s.holder || !s.held_at || !cyc || !mark || dl_replay(tr, &s)) {
        l->oom = 1;
        goto done;
    }

    /* a cycle through lock holders and joins: follow waits_for from each stuck thread. Each
     * walk marks what it visits with its start, and stops at anything an earlier walk saw, so
     * all the walks together visit each thread once. */
    size_t ncyc = 0;
    for (size_t start = 0; start < nt && !ncyc; start++) {
        if (!s.th[start].has_wait || mark[start]) continue;
        int32_t t = (int32_t)start;
        while (t != LV_NONE && !mark[t] && s.th[t].has_wait) {
            mark[t] = start + 1;
            t = waits_for(tr, &s, t);
        }
        if (t == LV_NONE || mark[t] != start + 1) continue;
        int32_t c = t; /* t is on a new cycle: walk it once */
        do {
            cyc[ncyc++] = c;
            c = waits_for(tr, &s, c);
        } while (c != t && ncyc < nt);
    }

    lv_finding *f = lv__add_finding(l, LV_FIND_DEADLOCK, LV_PAY_DEADLOCK);
    if (!f) goto done;
    lv_deadlock_info *d = &f->data.deadlock;
    size_t nsteps = ncyc;
    if (!ncyc)
        for (size_t t = 0; t < nt; t++)
            nsteps += s.th[t].has_wait != 0;
    d->shape = ncyc >= 2                            ? LV_DL_CYCLE
               : ncyc == 0                          ? LV_DL_STUCK
               : s.th[cyc[0]].wait_thread == cyc[0] ? LV_DL_SELF_JOIN
                                                    : LV_DL_SELF_LOCK;
    if (nsteps && !(d->steps = calloc(nsteps, sizeof *d->steps))) {
        l->oom = 1;
        goto done;
    }
    for (size_t t = 0; t < nt && d->nsteps < nsteps; t++) {
        int32_t th = ncyc ? cyc[d->nsteps] : (int32_t)t;
        if (!ncyc && !s.th[th].has_wait) continue;
        lv_wait_step *st = &d->steps[d->nsteps];
        *st = (lv_wait_step){
            th, LV_NONE, 0, s.th[th].wait_obj, s.th[th].wait_thread, s.th[th].wait_seq, NULL, 0};
        if (ncyc >= 2) { /* what it holds that the previous one waits for */
            int32_t held = s.th[cyc[(d->nsteps + ncyc - 1) % ncyc]].wait_obj;
            int64_t *rd = held != LV_NONE && tr->objects[held].kind == LV_OBJ_RWLOCK
                              ? lv__pm_at(&s.read_at, (uint32_t)held, (uint32_t)th, 0)
                              : NULL;
            if (held != LV_NONE && s.holder[held] == th) {
                st->holds = held;
                st->acquired = s.held_at[held];
            } else if (rd && *rd > 0 && s.holder[held] == LV_NONE) {
                st->holds = held;
                st->acquired = (uint32_t)(*rd - 1);
            }
        }
        d->nsteps++;
    }
    if (fill_holders(tr, &s, d->steps, d->nsteps)) l->oom = 1;
    for (size_t k = 0; k < d->nsteps; k++) {
        const lv_wait_step *st = &d->steps[k];
        lv__put_thread(l, f, st->thread);
        lv__put_object(l, f, st->obj);
        lv__put_event(l, f, st->seq);
        if (st->holds != LV_NONE) lv__put_event(l, f, st->acquired);
    }
done:
    free(s.th);
    free(s.holder);
    free(s.held_at);
    lv__pm_free(&s.taken);
    lv__pm_free(&s.read_at);
    free(cyc);
    free(mark);
}
