/* The objects and threads at the playhead: each lock's owner and queue, each semaphore's
 * permits and who is inside, each event's flag, each var's value and recent history with the
 * stale read of a lost update marked. Replays events; it does not judge them (analysis does). */
#include <stdlib.h>
#include <string.h>
#include "geom.h"
#include "grow.h"

static int ids_add(lv_ids *a, int32_t v) {
    if (lv_grow((void **)&a->v, &a->cap, sizeof *a->v, a->n + 1)) return -1;
    a->v[a->n++] = v;
    return 0;
}

static int ids_has(const lv_ids *a, int32_t v) {
    for (size_t i = 0; i < a->n; i++)
        if (a->v[i] == v) return 1;
    return 0;
}

static void ids_remove(lv_ids *a, int32_t v) { /* the first occurrence, keeping the order */
    for (size_t i = 0; i < a->n; i++)
        if (a->v[i] == v) {
            memmove(&a->v[i], &a->v[i + 1], (a->n - i - 1) * sizeof *a->v);
            a->n--;
            return;
        }
}

static void reset(lv_state *st, const lv_scene *s) {
    const lv_trace *tr = s->tr;
    for (size_t i = 0; i < st->nobjs; i++) {
        lv_ostate *o = &st->objs[i];
        const lv_trace_object *ob = &tr->objects[i];
        o->owner = LV_NONE;
        o->count = 0;
        if (ob->kind == LV_OBJ_SEMAPHORE || ob->kind == LV_OBJ_BOUNDED_SEMAPHORE ||
            ob->kind == LV_OBJ_VAR)
            o->count = ob->param;
        o->flag = 0;
        o->waiters.n = 0;
        o->inside.n = 0;
        o->nhist = 0;
        o->total_hist = 0;
    }
    for (size_t i = 0; i < tr->nthreads; i++) {
        st->tstate[i] = LV_TS_NOT_STARTED;
        st->wait_obj[i] = LV_NONE;
        st->wait_thread[i] = LV_NONE;
        st->last_note[i] = LV_SEQ_NONE;
    }
    st->seq = -1;
}

lv_err lv_state_init(lv_state *st, const lv_scene *s) {
    memset(st, 0, sizeof *st);
    const lv_trace *tr = s->tr;
    size_t nt = tr->nthreads ? tr->nthreads : 1;
    st->nobjs = tr->nobjects;
    st->objs = calloc(tr->nobjects ? tr->nobjects : 1, sizeof *st->objs);
    st->tstate = calloc(nt, sizeof *st->tstate);
    st->wait_obj = calloc(nt, sizeof *st->wait_obj);
    st->wait_thread = calloc(nt, sizeof *st->wait_thread);
    st->last_note = calloc(nt, sizeof *st->last_note);
    if (!st->objs || !st->tstate || !st->wait_obj || !st->wait_thread || !st->last_note) {
        lv_state_free(st);
        return LV_ENOMEM;
    }
    st->every = LV_STATE_EVERY;
    reset(st, s);
    return LV_OK;
}

void lv_state_free(lv_state *st) {
    if (!st) return;
    for (size_t i = 0; st->objs && i < st->nobjs; i++) {
        free(st->objs[i].waiters.v);
        free(st->objs[i].inside.v);
    }
    free(st->objs);
    free(st->tstate);
    free(st->wait_obj);
    free(st->wait_thread);
    free(st->last_note);
    for (size_t i = 0; i < st->nckpt; i++)
        lv_state_free(&st->ckpt[i]);
    free(st->ckpt);
    memset(st, 0, sizeof *st);
}

/* dst (from lv_state_init on the same scene) becomes a copy of src's state, checkpoints aside. */
static int copy_state(lv_state *dst, const lv_state *src, size_t nthreads) {
    for (size_t i = 0; i < src->nobjs; i++) {
        lv_ostate *d = &dst->objs[i];
        const lv_ostate *o = &src->objs[i];
        d->waiters.n = d->inside.n = 0;
        for (size_t k = 0; k < o->waiters.n; k++)
            if (ids_add(&d->waiters, o->waiters.v[k])) return -1;
        for (size_t k = 0; k < o->inside.n; k++)
            if (ids_add(&d->inside, o->inside.v[k])) return -1;
        d->owner = o->owner;
        d->count = o->count;
        d->flag = o->flag;
        memcpy(d->hist, o->hist, sizeof d->hist);
        d->nhist = o->nhist;
        d->total_hist = o->total_hist;
    }
    memcpy(dst->tstate, src->tstate, nthreads * sizeof *dst->tstate);
    memcpy(dst->wait_obj, src->wait_obj, nthreads * sizeof *dst->wait_obj);
    memcpy(dst->wait_thread, src->wait_thread, nthreads * sizeof *dst->wait_thread);
    memcpy(dst->last_note, src->last_note, nthreads * sizeof *dst->last_note);
    dst->seq = src->seq;
    return 0;
}

/* Saves the state as the next checkpoint. Running out of memory only means fewer of them. */
static void save_checkpoint(lv_state *st, const lv_scene *s) {
    if (lv_grow((void **)&st->ckpt, &st->capckpt, sizeof *st->ckpt, st->nckpt + 1)) return;
    lv_state *c = &st->ckpt[st->nckpt];
    if (lv_state_init(c, s) != LV_OK) return;
    if (copy_state(c, st, s->tr->nthreads)) {
        lv_state_free(c);
        return;
    }
    st->nckpt++;
}

static void add_hist(lv_ostate *o, const lv_scene *s, const lv_event *e) {
    if (o->nhist == LV_HIST_MAX) { /* evict the oldest, but keep a marked one in view */
        size_t k = 0;
        while (k < LV_HIST_MAX - 1 && o->hist[k].mark != LV_MARK_NONE)
            k++;
        memmove(&o->hist[k], &o->hist[k + 1], (LV_HIST_MAX - 1 - k) * sizeof o->hist[0]);
        o->nhist--;
    }
    o->hist[o->nhist++] = (lv_hist){e->seq, e->thread, e->value, e->kind == LV_EV_WRITE,
                                    lv_scene_lost_mark(s, e->seq)};
    o->total_hist++;
}

static int apply(lv_state *st, const lv_scene *s, const lv_event *e) {
    const lv_trace *tr = s->tr;
    int32_t th = e->thread;
    if (th < 0 || (size_t)th >= tr->nthreads) return 0;
    lv_ostate *o = e->obj >= 0 && (size_t)e->obj < st->nobjs ? &st->objs[e->obj] : NULL;
    lv_obj_kind k = o ? tr->objects[e->obj].kind : LV_OBJ__COUNT;
    int has_v = (e->flags & LV_EVF_VALUE) != 0;
    if (st->tstate[th] == LV_TS_NOT_STARTED || st->tstate[th] == LV_TS_SLEEPING)
        st->tstate[th] = LV_TS_RUNNING;
    switch ((lv_event_kind)e->kind) {
    case LV_EV_END:
        st->tstate[th] = LV_TS_FINISHED;
        for (size_t i = 0; i < tr->nthreads; i++)
            if (st->wait_thread[i] == th) {
                st->wait_thread[i] = LV_NONE;
                st->tstate[i] = LV_TS_RUNNING;
            }
        break;
    case LV_EV_JOIN:
        if (e->value >= 0 && (size_t)e->value < tr->nthreads &&
            st->tstate[e->value] != LV_TS_FINISHED) {
            st->tstate[th] = LV_TS_BLOCKED;
            st->wait_thread[th] = (int32_t)e->value;
        }
        break;
    case LV_EV_SLEEP:
        st->tstate[th] = LV_TS_SLEEPING;
        break;
    case LV_EV_NOTE:
        st->last_note[th] = e->seq;
        break;
    case LV_EV_REQUEST:
        st->tstate[th] = LV_TS_BLOCKED;
        st->wait_obj[th] = e->obj;
        if (o && !ids_has(&o->waiters, th) && ids_add(&o->waiters, th)) return -1;
        break;
    case LV_EV_TIMEOUT:
        if (o) ids_remove(&o->waiters, th);
        st->tstate[th] = LV_TS_RUNNING;
        st->wait_obj[th] = LV_NONE;
        st->wait_thread[th] = LV_NONE;
        break;
    case LV_EV_ACQUIRE:
        if (!o) break;
        ids_remove(&o->waiters, th);
        if (st->wait_obj[th] == e->obj) {
            st->wait_obj[th] = LV_NONE;
            st->tstate[th] = LV_TS_RUNNING;
        }
        if (k == LV_OBJ_MUTEX) {
            o->owner = th;
            o->count = 1;
        } else if (k == LV_OBJ_RLOCK) {
            o->owner = th;
            o->count = has_v ? e->value : o->count + 1;
        } else if (k == LV_OBJ_SEMAPHORE || k == LV_OBJ_BOUNDED_SEMAPHORE) {
            o->count = has_v ? e->value : o->count - 1;
            if (ids_add(&o->inside, th)) return -1;
        } else if (k == LV_OBJ_RWLOCK && (e->flags & LV_EVF_READ)) {
            if (ids_add(&o->inside, th)) return -1; /* the readers */
        } else if (k == LV_OBJ_RWLOCK) {
            o->owner = th; /* the writer */
        }
        break;
    case LV_EV_RELEASE:
        if (!o || (e->flags & LV_EVF_REFUSED)) break;
        if (k == LV_OBJ_MUTEX) {
            o->owner = LV_NONE; /* a Lock is free after any release, as in Python */
            o->count = 0;
        } else if (k == LV_OBJ_RLOCK && has_v) {
            o->count = e->value;
            if (e->value == 0) o->owner = LV_NONE;
        } else if (k == LV_OBJ_SEMAPHORE || k == LV_OBJ_BOUNDED_SEMAPHORE) {
            o->count = has_v ? e->value : o->count + 1;
            ids_remove(&o->inside, th);
        } else if (k == LV_OBJ_RWLOCK && (e->flags & LV_EVF_READ)) {
            ids_remove(&o->inside, th);
        } else if (k == LV_OBJ_RWLOCK) {
            o->owner = LV_NONE;
        }
        break;
    case LV_EV_SET:
        if (o) o->flag = 1;
        break;
    case LV_EV_CLEAR:
        if (o) o->flag = 0;
        break;
    case LV_EV_READ:
        if (o && k == LV_OBJ_VAR) add_hist(o, s, e);
        if (o && k == LV_OBJ_EVENT) o->flag = e->value != 0;
        break;
    case LV_EV_WRITE:
        if (o) {
            o->count = e->value;
            if (k == LV_OBJ_VAR) add_hist(o, s, e);
        }
        break;
    default:
        break;
    }
    return 0;
}

lv_err lv_state_seek(lv_state *st, const lv_scene *s, long seq) {
    const lv_trace *tr = s->tr;
    if (seq >= (long)tr->nevents) seq = (long)tr->nevents - 1;
    if (seq < -1) seq = -1;
    long every = st->every > 0 ? st->every : LV_STATE_EVERY;
    size_t k = (size_t)((seq + 1) / every); /* checkpoints at or before seq */
    if (k > st->nckpt) k = st->nckpt;
    long base = k ? (long)k * every - 1 : -1;
    if (seq < st->seq || base > st->seq) {
        if (k) {
            if (copy_state(st, &st->ckpt[k - 1], tr->nthreads)) {
                reset(st, s);
                return LV_ENOMEM;
            }
        } else {
            reset(st, s);
        }
    }
    for (long i = st->seq + 1; i <= seq; i++) {
        if (apply(st, s, &tr->events[i])) {
            reset(st, s); /* never leave a half-applied event behind */
            return LV_ENOMEM;
        }
        st->seq = i;
        if ((i + 1) % every == 0 && (size_t)((i + 1) / every) == st->nckpt + 1)
            save_checkpoint(st, s);
    }
    st->seq = seq;
    return LV_OK;
}
