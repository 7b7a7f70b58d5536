/* Analysis: findings computed from a trace's events alone.
 * Detects: failed scenario checks (invariant), and misuse of primitives by replaying each
 * object's state (a Lock released when free or by another thread, a plain Lock requested by
 * its holder, an RLock released by a non-owner, a BoundedSemaphore released past its value,
 * a Condition waited on or notified without its lock).
 * Does not (yet) detect: data races, lock-order inversions, deadlock cycles. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lockviz/lockviz.h"

typedef struct flist {
    lv_finding *a;
    size_t n, cap;
    int oom;
} flist;

static char *vfmt(const char *fmt, va_list ap) {
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0) return NULL;
    char *s = malloc((size_t)n + 1);
    if (s) vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

static lv_finding *add(flist *l, lv_finding_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static lv_finding *add(flist *l, lv_finding_kind kind, const char *fmt, ...) {
    if (l->oom) return NULL;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        lv_finding *na = realloc(l->a, cap * sizeof *na);
        if (!na) {
            l->oom = 1;
            return NULL;
        }
        l->a = na;
        l->cap = cap;
    }
    lv_finding *f = &l->a[l->n];
    memset(f, 0, sizeof *f);
    f->kind = kind;
    va_list ap;
    va_start(ap, fmt);
    f->message = vfmt(fmt, ap);
    va_end(ap);
    if (!f->message) {
        l->oom = 1;
        return NULL;
    }
    l->n++;
    return f;
}

static void put_thread(flist *l, lv_finding *f, int32_t t) {
    if (!f) return;
    for (size_t i = 0; i < f->nthreads; i++)
        if (f->threads[i] == t) return;
    int32_t *n = realloc(f->threads, (f->nthreads + 1) * sizeof *n);
    if (!n) {
        l->oom = 1;
        return;
    }
    f->threads = n;
    f->threads[f->nthreads++] = t;
}

static void put_object(flist *l, lv_finding *f, int32_t o) {
    if (!f || o == LV_NONE) return;
    for (size_t i = 0; i < f->nobjects; i++)
        if (f->objects[i] == o) return;
    int32_t *n = realloc(f->objects, (f->nobjects + 1) * sizeof *n);
    if (!n) {
        l->oom = 1;
        return;
    }
    f->objects = n;
    f->objects[f->nobjects++] = o;
}

static void put_event(flist *l, lv_finding *f, uint32_t seq) {
    if (!f) return;
    uint32_t *n = realloc(f->events, (f->nevents + 1) * sizeof *n);
    if (!n) {
        l->oom = 1;
        return;
    }
    f->events = n;
    f->events[f->nevents++] = seq;
}

/* ---- failed checks ---- */

static void find_invariants(const lv_trace *tr, flist *l) {
    for (size_t i = 0; i < tr->nevents; i++) {
        const lv_event *e = &tr->events[i];
        if (e->kind != LV_EV_NOTE || !(e->flags & LV_EVF_CHECK) || (e->flags & LV_EVF_CHECK_OK))
            continue;
        const char *text = lv_trace_text(tr, e);
        lv_finding *f = add(l, LV_FIND_INVARIANT, "%s", text ? text : "a check failed");
        put_thread(l, f, e->thread);
        put_event(l, f, e->seq);
    }
}

/* ---- misuse ---- */

enum misuse {
    MU_RELEASE_FREE,
    MU_RELEASE_OTHER,
    MU_RELOCK,
    MU_RLOCK_NOT_OWNER,
    MU_OVER_RELEASE,
    MU_COND_WAIT_NO_LOCK,
    MU_COND_NOTIFY_NO_LOCK,
    MU__COUNT
};

typedef struct ostate {
    int32_t holder; /* locks: the holding thread */
    int64_t count;  /* rlock: recursion; semaphores: permits */
} ostate;

/* One finding per (misuse, object, thread): a loop that misuses a lock 1000 times is one
 * mistake in one place, not 1000 findings. */
typedef struct seen {
    uint8_t *bits;
    size_t nobj, nthr;
} seen;

static int seen_once(seen *s, enum misuse m, int32_t obj, int32_t thr) {
    size_t i = ((size_t)m * s->nobj + (size_t)obj) * s->nthr + (size_t)thr;
    if (s->bits[i]) return 0;
    s->bits[i] = 1;
    return 1;
}

static void find_misuse(const lv_trace *tr, flist *l) {
    if (!tr->nobjects || !tr->nthreads) return;
    ostate *st = calloc(tr->nobjects, sizeof *st);
    seen s = {calloc((size_t)MU__COUNT * tr->nobjects * tr->nthreads, 1), tr->nobjects,
              tr->nthreads};
    if (!st || !s.bits) {
        l->oom = 1;
        free(st);
        free(s.bits);
        return;
    }
    for (size_t i = 0; i < tr->nobjects; i++) {
        st[i].holder = LV_NONE;
        lv_obj_kind k = tr->objects[i].kind;
        if (k == LV_OBJ_SEMAPHORE || k == LV_OBJ_BOUNDED_SEMAPHORE)
            st[i].count = tr->objects[i].param;
    }
    for (size_t i = 0; i < tr->nevents; i++) {
        const lv_event *e = &tr->events[i];
        if (e->obj == LV_NONE) continue;
        ostate *o = &st[e->obj];
        const lv_trace_object *ob = &tr->objects[e->obj];
        const char *who = lv_trace_thread_name(tr, e->thread);
        const char *name = ob->name;
        lv_finding *f = NULL;
        switch (ob->kind) {
        case LV_OBJ_MUTEX:
            if (e->kind == LV_EV_REQUEST && o->holder == e->thread &&
                seen_once(&s, MU_RELOCK, e->obj, e->thread)) {
                int blocking = !(e->flags & LV_EVF_VALUE) || e->value != 0;
                f = add(l, LV_FIND_MISUSE,
                        "%s asks for lock %s, which it already holds: a plain Lock is not "
                        "reentrant%s (seq %u).",
                        who, name, blocking ? ", so it waits for itself forever" : "", e->seq);
            } else if (e->kind == LV_EV_ACQUIRE) {
                o->holder = e->thread;
            } else if (e->kind == LV_EV_RELEASE) {
                if (o->holder == LV_NONE) {
                    if (seen_once(&s, MU_RELEASE_FREE, e->obj, e->thread))
                        f = add(l, LV_FIND_MISUSE,
                                "%s releases lock %s, which nobody holds (seq %u); Python "
                                "raises RuntimeError here.",
                                who, name, e->seq);
                } else if (o->holder != e->thread) {
                    if (seen_once(&s, MU_RELEASE_OTHER, e->obj, e->thread)) {
                        f = add(l, LV_FIND_MISUSE,
                                "%s releases lock %s, which %s holds (seq %u): the lock "
                                "no longer protects %s's critical section.",
                                who, name, lv_trace_thread_name(tr, o->holder), e->seq,
                                lv_trace_thread_name(tr, o->holder));
                        put_thread(l, f, o->holder);
                    }
                    o->holder = LV_NONE;
                } else {
                    o->holder = LV_NONE;
                }
            }
            break;
        case LV_OBJ_RLOCK:
            if (e->kind == LV_EV_ACQUIRE) {
                o->count = (e->flags & LV_EVF_VALUE) ? e->value
                                                     : (o->holder == e->thread ? o->count + 1 : 1);
                o->holder = e->thread;
            } else if (e->kind == LV_EV_RELEASE) {
                if (o->holder != e->thread) {
                    if (seen_once(&s, MU_RLOCK_NOT_OWNER, e->obj, e->thread))
                        f = add(l, LV_FIND_MISUSE,
                                "%s releases RLock %s, which it does not own (seq %u); an "
                                "RLock can only be released by its owner.",
                                who, name, e->seq);
                } else {
                    o->count = (e->flags & LV_EVF_VALUE) ? e->value : o->count - 1;
                    if (o->count <= 0) o->holder = LV_NONE;
                }
            }
            break;
        case LV_OBJ_SEMAPHORE:
        case LV_OBJ_BOUNDED_SEMAPHORE:
            if (e->kind == LV_EV_ACQUIRE) {
                o->count--;
            } else if (e->kind == LV_EV_RELEASE) {
                if (ob->kind == LV_OBJ_BOUNDED_SEMAPHORE && o->count >= ob->param) {
                    if (seen_once(&s, MU_OVER_RELEASE, e->obj, e->thread))
                        f = add(l, LV_FIND_MISUSE,
                                "%s releases BoundedSemaphore %s past its value %lld (seq %u): "
                                "a plain Semaphore would silently grow to %lld permits.",
                                who, name, (long long)ob->param, e->seq, (long long)ob->param + 1);
                } else {
                    o->count++;
                }
            }
            break;
        case LV_OBJ_CONDITION:
            if ((e->kind == LV_EV_REQUEST || e->kind == LV_EV_NOTIFY) && ob->param >= 0 &&
                (size_t)ob->param < tr->nobjects && st[ob->param].holder != e->thread &&
                seen_once(&s,
                          e->kind == LV_EV_NOTIFY ? MU_COND_NOTIFY_NO_LOCK : MU_COND_WAIT_NO_LOCK,
                          e->obj, e->thread)) {
                f = add(l, LV_FIND_MISUSE,
                        "%s %s condition %s without holding its lock %s (seq %u); Python "
                        "raises RuntimeError here.",
                        who, e->kind == LV_EV_NOTIFY ? "notifies" : "waits on", name,
                        tr->objects[ob->param].name, e->seq);
                put_object(l, f, (int32_t)ob->param);
            }
            break;
        default:
            break;
        }
        if (f) {
            put_thread(l, f, e->thread);
            put_object(l, f, e->obj);
            put_event(l, f, e->seq);
        }
    }
    free(st);
    free(s.bits);
}

lv_err lv_analyze(const lv_trace *tr, lv_finding **out, size_t *n) {
    flist l = {0};
    find_invariants(tr, &l);
    find_misuse(tr, &l);
    if (l.oom) {
        lv_findings_free(l.a, l.n);
        *out = NULL;
        *n = 0;
        return LV_ENOMEM;
    }
    *out = l.a;
    *n = l.n;
    return LV_OK;
}

void lv_findings_print(const lv_trace *tr, const lv_finding *f, size_t n, FILE *out) {
    if (n == 0) {
        fputs("findings: none\n", out);
        return;
    }
    fprintf(out, "findings: %zu\n", n);
    for (size_t i = 0; i < n; i++) {
        fprintf(out, "  [%s] %s\n", lv_finding_kind_name(f[i].kind), f[i].message);
        if (f[i].nthreads) {
            fputs("      threads:", out);
            for (size_t k = 0; k < f[i].nthreads; k++)
                fprintf(out, " %s", lv_trace_thread_name(tr, f[i].threads[k]));
            fputc('\n', out);
        }
        if (f[i].nevents) {
            fputs("      events:", out);
            for (size_t k = 0; k < f[i].nevents; k++)
                fprintf(out, " %u", f[i].events[k]);
            fputc('\n', out);
        }
        if (f[i].detail) fprintf(out, "%s\n", f[i].detail);
    }
}
