/* Analysis: misuse of primitives, found by replaying each object's holder and count from the
 * events (a relock of a plain mutex, a release of what the thread does not hold, a wait or
 * notify without the condition's lock, a write hold asked while holding a read hold...). One
 * finding per rule, object and thread. It follows each object's own state (and a condition's lock),
 * not orders between locks (analysis_lockorder.c). */
#include <stdlib.h>
#include <string.h>
#include "analysis.h"
#include "lockviz/lockviz.h"
#include "pairmap.h"

typedef struct ostate {
    int32_t holder; /* locks: the holding thread */
    int64_t count;  /* rlock: recursion; semaphores: permits */
    int32_t robbed; /* mutex: the holder whose hold a condition wait's own unlock ended */
} ostate;

/* A condition wait made without its mutex: the mutex the wait's own unlock comes next for, and
 * the finding that reported the wait (-1 if reported before) */
typedef struct bare_wait {
    int32_t mutex;
    long finding;
} bare_wait;

/* One finding per (rule, object, thread): a loop that misuses a lock 1000 times is one
 * mistake in one place, not 1000 findings. Kept sparse: only the pairs that misused. */
static int seen_once(lv__pmap *s, lv__flist *l, lv_misuse_rule m, int32_t obj, int32_t thr) {
    int64_t *v = lv__pm_at(s, (uint64_t)m << 32 | (uint32_t)obj, (uint32_t)thr, 1);
    if (!v) {
        l->oom = 1;
        return 0;
    }
    if (*v) return 0;
    *v = 1;
    return 1;
}

static void misuse(lv__flist *l, lv_misuse_rule rule, const lv_event *e, int32_t obj,
                   int32_t other) {
    lv_finding *f = lv__add_finding(l, LV_FIND_MISUSE, LV_PAY_MISUSE);
    if (!f) return;
    f->data.misuse = (lv_misuse_info){rule, e->thread, obj, e->seq, other};
    lv__put_thread(l, f, e->thread);
    lv__put_thread(l, f, other);
    lv__put_object(l, f, obj);
    lv__put_event(l, f, e->seq);
}

void lv__find_misuse(const lv_trace *tr, lv__flist *l) {
    if (!tr->nthreads) return;
    ostate *st = calloc(tr->nobjects ? tr->nobjects : 1, sizeof *st);
    bare_wait *bw = calloc(tr->nthreads, sizeof *bw);
    lv__pmap seen = {0}, reads = {0}; /* reads: an rwlock's read holds, by (object, thread) */
    if (!st || !bw) {
        free(st);
        free(bw);
        l->oom = 1;
        return;
    }
    for (size_t i = 0; i < tr->nthreads; i++)
        bw[i].mutex = LV_NONE;
    for (size_t i = 0; i < tr->nobjects; i++) {
        st[i].holder = LV_NONE;
        st[i].robbed = LV_NONE;
        lv_obj_kind k = tr->objects[i].kind;
        if (k == LV_OBJ_SEMAPHORE || k == LV_OBJ_BOUNDED_SEMAPHORE)
            st[i].count = tr->objects[i].param;
    }
    for (size_t i = 0; i < tr->nevents && !l->oom; i++) {
        const lv_event *e = &tr->events[i];
        /* the thread's previous event was a wait without its mutex: this is the wait's unlock */
        bare_wait w = {LV_NONE, -1};
        if (e->thread >= 0 && (size_t)e->thread < tr->nthreads) {
            w = bw[e->thread];
            bw[e->thread].mutex = LV_NONE;
        }
        if (e->kind == LV_EV_JOIN && e->value == e->thread) {
            if (seen_once(&seen, l, LV_MU_JOIN_SELF, LV_NONE, e->thread))
                misuse(l, LV_MU_JOIN_SELF, e, LV_NONE, LV_NONE);
            continue;
        }
        if (e->obj == LV_NONE) continue;
        ostate *o = &st[e->obj];
        const lv_trace_object *ob = &tr->objects[e->obj];
        if (e->kind == LV_EV_DESTROY) {
            if ((ob->kind == LV_OBJ_MUTEX || ob->kind == LV_OBJ_RLOCK) && o->holder != LV_NONE &&
                seen_once(&seen, l, LV_MU_DESTROY_LOCKED, e->obj, e->thread))
                misuse(l, LV_MU_DESTROY_LOCKED, e, e->obj, o->holder);
            continue;
        }
        switch (ob->kind) {
        case LV_OBJ_MUTEX:
            if (e->kind == LV_EV_REQUEST && o->holder == e->thread) {
                if (seen_once(&seen, l, LV_MU_RELOCK, e->obj, e->thread))
                    misuse(l, LV_MU_RELOCK, e, e->obj, LV_NONE);
            } else if (e->kind == LV_EV_ACQUIRE) {
                o->holder = e->thread;
                if (o->robbed == e->thread) o->robbed = LV_NONE;
            } else if (e->kind == LV_EV_RELEASE && w.mutex == e->obj) {
                /* the unlock glibc makes inside a wait without the mutex: the wait's mistake,
                 * reported at the wait, which says whose hold it ended */
                if (e->flags & LV_EVF_REFUSED) break;
                if (o->holder != LV_NONE && o->holder != e->thread) {
                    o->robbed = o->holder;
                    if (w.finding >= 0) {
                        l->a[w.finding].data.misuse.other = o->holder;
                        lv__put_thread(l, &l->a[w.finding], o->holder);
                    }
                }
                o->holder = LV_NONE;
            } else if (e->kind == LV_EV_RELEASE && o->robbed == e->thread) {
                /* the robbed holder's own unlock, correct in its code: a consequence of the
                 * wait's, not a mistake of its own */
                o->robbed = LV_NONE;
                if (o->holder == LV_NONE || (e->flags & LV_EVF_REFUSED)) break;
                if (seen_once(&seen, l, LV_MU_RELEASE_OTHER, e->obj, e->thread))
                    misuse(l, LV_MU_RELEASE_OTHER, e, e->obj, o->holder);
                o->holder = LV_NONE;
            } else if (e->kind == LV_EV_RELEASE) {
                if (o->holder == LV_NONE) {
                    if (seen_once(&seen, l, LV_MU_RELEASE_UNHELD, e->obj, e->thread))
                        misuse(l, LV_MU_RELEASE_UNHELD, e, e->obj, LV_NONE);
                } else if (o->holder != e->thread &&
                           seen_once(&seen, l, LV_MU_RELEASE_OTHER, e->obj, e->thread)) {
                    misuse(l, LV_MU_RELEASE_OTHER, e, e->obj, o->holder);
                }
                if (!(e->flags & LV_EVF_REFUSED)) o->holder = LV_NONE; /* EPERM: still held */
            }
            break;
        case LV_OBJ_RLOCK:
            if (e->kind == LV_EV_ACQUIRE) {
                o->count = (e->flags & LV_EVF_VALUE) ? e->value
                                                     : (o->holder == e->thread ? o->count + 1 : 1);
                o->holder = e->thread;
            } else if (e->kind == LV_EV_RELEASE) {
                if (o->holder != e->thread) {
                    if (seen_once(&seen, l, LV_MU_RLOCK_NOT_OWNER, e->obj, e->thread))
                        misuse(l, LV_MU_RLOCK_NOT_OWNER, e, e->obj, LV_NONE);
                } else {
                    o->count = (e->flags & LV_EVF_VALUE) ? e->value : o->count - 1;
                    if (o->count <= 0) o->holder = LV_NONE;
                }
            }
            break;
        case LV_OBJ_RWLOCK: {
            /* A read hold cannot become a write hold: the write request waits until nobody
             * reads, the asker included (POSIX: the thread may deadlock; glibc waits forever). */
            int rd = (e->flags & LV_EVF_READ) != 0;
            if (e->kind == LV_EV_REQUEST && !rd) {
                int64_t *n = lv__pm_at(&reads, (uint32_t)e->obj, (uint32_t)e->thread, 0);
                if (n && *n > 0 && seen_once(&seen, l, LV_MU_RWLOCK_UPGRADE, e->obj, e->thread))
                    misuse(l, LV_MU_RWLOCK_UPGRADE, e, e->obj, LV_NONE);
            } else if (e->kind == LV_EV_ACQUIRE || e->kind == LV_EV_RELEASE) {
                if (!rd || (e->flags & LV_EVF_REFUSED)) break;
                int64_t *n = lv__pm_at(&reads, (uint32_t)e->obj, (uint32_t)e->thread,
                                       e->kind == LV_EV_ACQUIRE);
                if (!n) {
                    if (e->kind == LV_EV_ACQUIRE) l->oom = 1;
                } else if (e->kind == LV_EV_ACQUIRE) {
                    (*n)++;
                } else if (*n > 0) {
                    (*n)--;
                }
            }
            break;
        }
        case LV_OBJ_SEMAPHORE:
        case LV_OBJ_BOUNDED_SEMAPHORE:
            /* Permits are not owned: one thread may take a permit and another give it back (a
             * hand-off, legal in Python). Only a release past the bound can be told from the
             * count alone, and a BoundedSemaphore refuses it (ValueError). */
            if (e->kind == LV_EV_ACQUIRE) {
                o->count--;
            } else if (e->kind == LV_EV_RELEASE) {
                if (ob->kind == LV_OBJ_BOUNDED_SEMAPHORE && o->count >= ob->param) {
                    if (seen_once(&seen, l, LV_MU_OVER_RELEASE, e->obj, e->thread))
                        misuse(l, LV_MU_OVER_RELEASE, e, e->obj, LV_NONE);
                } else {
                    o->count++;
                }
            }
            break;
        case LV_OBJ_CONDITION:
            /* pthreads allow a signal without the mutex; Python's Condition does not */
            if (e->kind == LV_EV_NOTIFY && tr->program) break;
            if ((e->kind == LV_EV_REQUEST || e->kind == LV_EV_NOTIFY) && ob->param >= 0 &&
                (size_t)ob->param < tr->nobjects && st[ob->param].holder != e->thread) {
                lv_misuse_rule r =
                    e->kind == LV_EV_NOTIFY ? LV_MU_COND_NOTIFY_UNLOCKED : LV_MU_COND_WAIT_UNLOCKED;
                long fi = -1;
                if (seen_once(&seen, l, r, e->obj, e->thread)) {
                    misuse(l, r, e, e->obj, LV_NONE);
                    lv__put_object(l, &l->a[l->n - 1], (int32_t)ob->param);
                    fi = (long)l->n - 1;
                }
                if (e->kind == LV_EV_REQUEST && e->thread >= 0 && (size_t)e->thread < tr->nthreads)
                    bw[e->thread] = (bare_wait){(int32_t)ob->param, fi};
            }
            break;
        default:
            break;
        }
    }
    free(st);
    free(bw);
    lv__pm_free(&seen);
    lv__pm_free(&reads);
}
