/* Analysis: findings computed from a trace's events alone (see docs/findings.md).
 * Detects: data races on vars from happens-before (vector clocks) and lost updates; lock-order
 * inversions (cycles in the lock-order graph, lockdep-style, except cycles with two edges under
 * one gate); deadlocks of runs that ended "deadlocked", as a cycle of holders and waiters or the
 * list of stuck waits; failed scenario checks (invariant); and misuse of primitives, by
 * replaying each object. Does not see memory that is not an lv_var, and has no source
 * locations. The lock-order search is polynomial and bounded: it lists at most 16 cycles (the
 * shortest cycle through each edge, shortest first) and counts the rest, and it can miss a
 * cycle longer than 32 locks, one whose only ungated route is not the first its greedy
 * search finds, and any past its step budget (see the lock-order section). */
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
    MU_EXTRA_RELEASE,
    MU_COND_WAIT_NO_LOCK,
    MU_COND_NOTIFY_NO_LOCK,
    MU__COUNT
};

typedef struct ostate {
    int32_t holder; /* locks: the holding thread */
    int64_t count;  /* rlock: recursion; semaphores: permits */
} ostate;

/* per thread and bounded semaphore: permits taken minus given back */
static int64_t *permit_slot(int64_t *held, const lv_trace *tr, int32_t thread, int32_t obj) {
    return &held[(size_t)thread * tr->nobjects + (size_t)obj];
}

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
    int64_t *held = calloc(tr->nobjects * tr->nthreads, sizeof *held);
    seen s = {calloc((size_t)MU__COUNT * tr->nobjects * tr->nthreads, 1), tr->nobjects,
              tr->nthreads};
    if (!st || !s.bits || !held) {
        l->oom = 1;
        free(held);
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
                (*permit_slot(held, tr, e->thread, e->obj))++;
            } else if (e->kind == LV_EV_RELEASE) {
                int64_t *mine = permit_slot(held, tr, e->thread, e->obj);
                int bounded = ob->kind == LV_OBJ_BOUNDED_SEMAPHORE;
                if (bounded && o->count >= ob->param) {
                    /* refused, as Python's ValueError: the bound catches it only now */
                    if (seen_once(&s, MU_OVER_RELEASE, e->obj, e->thread))
                        f = add(l, LV_FIND_MISUSE,
                                "%s releases BoundedSemaphore %s past its value %lld (seq %u) and "
                                "the release is refused%s; a plain Semaphore would silently grow "
                                "to %lld permits.",
                                who, name, (long long)ob->param, e->seq,
                                *mine > 0 ? " (an earlier extra release used up the room)" : "",
                                (long long)ob->param + 1);
                } else {
                    /* accepted: but a bounded semaphore given back by a thread that holds none
                     * of its permits grows past what exists, which is the bug it is for */
                    if (bounded && *mine <= 0 && seen_once(&s, MU_EXTRA_RELEASE, e->obj, e->thread))
                        f = add(l, LV_FIND_MISUSE,
                                "%s releases BoundedSemaphore %s without holding a permit of it "
                                "(seq %u): it gives back more than it took, so one more thread "
                                "can get in than there is room for. The semaphore only refuses "
                                "once it is back at its value %lld.",
                                who, name, e->seq, (long long)ob->param);
                    o->count++;
                }
                if (*mine > 0) (*mine)--;
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
    free(held);
    free(s.bits);
}

/* ---- data races and lost updates (happens-before, vector clocks) ---- */

/* Thread name stems ("buyer-1" -> "buyer-"): lockviz has no source locations, so accesses of
 * one kind by threads of one stem are treated as one code place. */
static size_t stem_len(const char *name) {
    size_t n = strlen(name);
    while (n > 0 && name[n - 1] >= '0' && name[n - 1] <= '9')
        n--;
    return n;
}

static int same_stem(const lv_trace *tr, int32_t a, int32_t b) {
    const char *x = tr->threads[a].name, *y = tr->threads[b].name;
    size_t lx = stem_len(x), ly = stem_len(y);
    return lx == ly && strncmp(x, y, lx) == 0;
}

typedef struct access {
    uint32_t clock; /* the accessing thread's own clock at the access; 0: none */
    uint32_t seq;
    int64_t value;
} access;

typedef struct varstate {
    int32_t w_thread; /* last write */
    access w;
    access *reads; /* per thread: its last read */
} varstate;

typedef struct race_key {
    int32_t var, t1, t2; /* representative threads (dedup by stem) */
    uint8_t k1, k2;      /* LV_EV_READ / LV_EV_WRITE */
    uint8_t lost;
} race_key;

typedef struct hb {
    size_t nt;
    uint32_t *c;      /* nt x nt: thread clocks */
    uint32_t **obj;   /* per object: its clock (release side), lazily allocated */
    int32_t *joining; /* per thread: the thread it waits to join, or LV_NONE */
    uint8_t *ended;
} hb;

static uint32_t *clk(hb *h, int32_t t) {
    return &h->c[(size_t)t * h->nt];
}

static void vc_join(uint32_t *into, const uint32_t *from, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (from[i] > into[i]) into[i] = from[i];
}

static int hb_release(hb *h, int32_t t, int32_t o) {
    if (!h->obj[o] && !(h->obj[o] = calloc(h->nt, sizeof(uint32_t)))) return -1;
    vc_join(h->obj[o], clk(h, t), h->nt);
    clk(h, t)[t]++;
    return 0;
}

static void hb_acquire(hb *h, int32_t t, int32_t o) {
    if (h->obj[o]) vc_join(clk(h, t), h->obj[o], h->nt);
}

static int seen_race(race_key **keys, size_t *n, size_t *cap, race_key k) {
    for (size_t i = 0; i < *n; i++)
        if (memcmp(&(*keys)[i], &k, sizeof k) == 0) return 1;
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 16;
        race_key *nk = realloc(*keys, c * sizeof *nk);
        if (!nk) return 1; /* out of memory: report nothing more rather than too much */
        *keys = nk;
        *cap = c;
    }
    (*keys)[(*n)++] = k;
    return 0;
}

/* The representative of t's stem among threads seen so far: the lowest id with that stem. */
static int32_t stem_rep(const lv_trace *tr, int32_t t) {
    for (int32_t i = 0; i < t; i++)
        if (same_stem(tr, i, t)) return i;
    return t;
}

static void report_race(const lv_trace *tr, flist *l, race_key **keys, size_t *nk, size_t *ck,
                        int32_t var, int32_t t1, uint8_t k1, uint32_t s1, int32_t t2, uint8_t k2,
                        uint32_t s2) {
    race_key key;
    memset(&key, 0, sizeof key);
    key.var = var;
    key.t1 = stem_rep(tr, t1);
    key.t2 = stem_rep(tr, t2);
    key.k1 = k1;
    key.k2 = k2;
    if (seen_race(keys, nk, ck, key)) return;
    const char *v = tr->objects[var].name;
    lv_finding *f =
        add(l, LV_FIND_RACE,
            "Data race on %s: %s %s it (seq %u) and %s %s it (seq %u), and nothing orders the two: "
            "no lock, semaphore, event, condition, spawn or join between them.",
            v, lv_trace_thread_name(tr, t1), k1 == LV_EV_WRITE ? "writes" : "reads", s1,
            lv_trace_thread_name(tr, t2), k2 == LV_EV_WRITE ? "writes" : "reads", s2);
    put_thread(l, f, t1);
    put_thread(l, f, t2);
    put_object(l, f, var);
    put_event(l, f, s1);
    put_event(l, f, s2);
}

static void find_races(const lv_trace *tr, flist *l) {
    size_t nt = tr->nthreads, no = tr->nobjects;
    if (!nt || !no) return;
    hb h = {nt, calloc(nt * nt, sizeof(uint32_t)), calloc(no, sizeof(uint32_t *)),
            malloc(nt * sizeof(int32_t)), calloc(nt, 1)};
    varstate *vs = calloc(no, sizeof *vs);
    int64_t *lost_count = calloc(no, sizeof *lost_count);
    size_t *lost_at = calloc(no, sizeof *lost_at); /* 1 + index of its finding; 0: none */
    race_key *keys = NULL;
    size_t nk = 0, ck = 0;
    if (!h.c || !h.obj || !h.joining || !h.ended || !vs || !lost_count || !lost_at) {
        l->oom = 1;
        goto done;
    }
    for (size_t t = 0; t < nt; t++) {
        clk(&h, (int32_t)t)[t] = 1;
        h.joining[t] = LV_NONE;
    }
    for (size_t o = 0; o < no; o++) {
        vs[o].w_thread = LV_NONE;
        if (tr->objects[o].kind == LV_OBJ_VAR && !(vs[o].reads = calloc(nt, sizeof(access)))) {
            l->oom = 1;
            goto done;
        }
    }
    for (size_t i = 0; i < tr->nevents && !l->oom; i++) {
        const lv_event *e = &tr->events[i];
        int32_t t = e->thread;
        /* a join returns when the joined thread has ended: its end happens before this */
        if (h.joining[t] != LV_NONE && h.ended[h.joining[t]]) {
            vc_join(clk(&h, t), clk(&h, h.joining[t]), nt);
            h.joining[t] = LV_NONE;
        }
        lv_obj_kind ok = e->obj != LV_NONE ? tr->objects[e->obj].kind : LV_OBJ__COUNT;
        switch (e->kind) {
        case LV_EV_SPAWN:
            vc_join(clk(&h, (int32_t)e->value), clk(&h, t), nt);
            clk(&h, t)[t]++;
            break;
        case LV_EV_END:
            h.ended[t] = 1;
            break;
        case LV_EV_JOIN:
            h.joining[t] = (int32_t)e->value;
            if (h.ended[e->value]) {
                vc_join(clk(&h, t), clk(&h, (int32_t)e->value), nt);
                h.joining[t] = LV_NONE;
            }
            break;
        case LV_EV_TIMEOUT:
            if (e->obj == LV_NONE) h.joining[t] = LV_NONE; /* the join gave up */
            break;
        case LV_EV_RELEASE:
        case LV_EV_SET:
        case LV_EV_NOTIFY:
            if (hb_release(&h, t, e->obj) < 0) l->oom = 1;
            break;
        case LV_EV_ACQUIRE:
            hb_acquire(&h, t, e->obj);
            break;
        case LV_EV_READ:
            if (ok == LV_OBJ_EVENT) {
                if (e->value) hb_acquire(&h, t, e->obj); /* is_set() saw the set */
                break;
            }
            if (ok != LV_OBJ_VAR) break;
            {
                varstate *v = &vs[e->obj];
                uint32_t *c = clk(&h, t);
                if (v->w_thread != LV_NONE && v->w_thread != t && v->w.clock > c[v->w_thread])
                    report_race(tr, l, &keys, &nk, &ck, e->obj, v->w_thread, LV_EV_WRITE, v->w.seq,
                                t, LV_EV_READ, e->seq);
                v->reads[t] = (access){c[t], e->seq, e->value};
            }
            break;
        case LV_EV_WRITE: {
            varstate *v = &vs[e->obj];
            uint32_t *c = clk(&h, t);
            if (v->w_thread != LV_NONE && v->w_thread != t && v->w.clock > c[v->w_thread])
                report_race(tr, l, &keys, &nk, &ck, e->obj, v->w_thread, LV_EV_WRITE, v->w.seq, t,
                            LV_EV_WRITE, e->seq);
            for (size_t u = 0; u < nt; u++)
                if ((int32_t)u != t && v->reads[u].clock && v->reads[u].clock > c[u])
                    report_race(tr, l, &keys, &nk, &ck, e->obj, (int32_t)u, LV_EV_READ,
                                v->reads[u].seq, t, LV_EV_WRITE, e->seq);
            /* a lost update: t writes on the strength of a read that another thread's write
             * has since made stale, and so wipes that write out */
            access *r = &v->reads[t];
            if (v->w_thread != LV_NONE && v->w_thread != t && r->clock && r->seq < v->w.seq) {
                if (lost_count[e->obj]++ == 0) {
                    const char *vn = tr->objects[e->obj].name;
                    const char *me = lv_trace_thread_name(tr, t);
                    const char *other = lv_trace_thread_name(tr, v->w_thread);
                    lv_finding *f =
                        add(l, LV_FIND_RACE,
                            "Lost update on %s: %s read %s=%lld (seq %u); %s wrote %lld (seq %u); "
                            "%s wrote %lld (seq %u): %s's update was lost.",
                            vn, me, vn, (long long)r->value, r->seq, other, (long long)v->w.value,
                            v->w.seq, me, (long long)e->value, e->seq, other);
                    put_thread(l, f, t);
                    put_thread(l, f, v->w_thread);
                    put_object(l, f, e->obj);
                    put_event(l, f, r->seq);
                    put_event(l, f, v->w.seq);
                    put_event(l, f, e->seq);
                    if (f) lost_at[e->obj] = l->n; /* f is the last finding added */
                }
            }
            v->w_thread = t;
            v->w = (access){c[t], e->seq, e->value};
            break;
        }
        default:
            break;
        }
    }
    /* say how many more updates were lost the same way */
    for (size_t o = 0; o < no && !l->oom; o++) {
        if (lost_count[o] < 2 || !lost_at[o]) continue;
        lv_finding *f = &l->a[lost_at[o] - 1];
        size_t len = strlen(f->message);
        char *m = malloc(len + 96);
        if (!m) {
            l->oom = 1;
            break;
        }
        memcpy(m, f->message, len + 1);
        snprintf(m + len - 1, 96, " (%lld more update%s lost the same way).",
                 (long long)(lost_count[o] - 1), lost_count[o] - 1 == 1 ? " was" : "s were");
        free(f->message);
        f->message = m;
    }
done:
    if (h.obj)
        for (size_t o = 0; o < no; o++)
            free(h.obj[o]);
    if (vs)
        for (size_t o = 0; o < no; o++)
            free(vs[o].reads);
    free(h.c);
    free(h.obj);
    free(h.joining);
    free(h.ended);
    free(vs);
    free(lost_count);
    free(lost_at);
    free(keys);
}

/* ---- lock-order inversions (potential deadlocks), lockdep-style ---- */

/* The graph has one node per Lock or RLock and one edge A -> B per first-seen "a thread holding
 * A asks for B with a wait that can last forever". An edge keeps its first witness (thread, the
 * acquire of A, the request of B) and its gate set: what was held around every instance of it
 * (locks, A itself, and capacity-1 semaphores that never had two holders), the intersection
 * over instances. Two edges whose gate sets meet cannot be in progress at once, so a cycle with
 * any such pair cannot close and is not reported.
 *
 * Building the graph is linear in the events for a program that repeats itself: a thread's held
 * locks, in order, are a node of a trie, and a request made with the same held locks for the
 * same lock as before changes nothing (gates only shrink), so it costs one lookup. Cycles are
 * searched only inside strongly connected components (Tarjan), by one breadth-first search per
 * edge for the shortest cycle through it whose edges' gates are pairwise disjoint, up to
 * LO_MAX_LEN edges and LO_BUDGET steps in all. The search is greedy (a lock is reached once per
 * search, by the first path that fits), so it can miss a cycle whose only ungated route to a lock
 * is not the first found, a cycle longer than LO_MAX_LEN, and anything after the budget ran out;
 * it never reports a gated cycle. */

enum {
    LO_MAX_FINDINGS = 16, /* cycles listed; the others are counted in one more finding */
    LO_MAX_LEN = 32       /* the longest cycle searched, in edges */
};
#define LO_BUDGET (1u << 25) /* search steps (edges tried, gates compared) for a whole trace */
#define LO_EMPTY UINT64_MAX
#define LO_NONODE UINT32_MAX

/* open addressing, 64-bit keys to 32-bit values */
typedef struct lo_map {
    uint64_t *key;
    uint32_t *val;
    size_t cap, n; /* cap: 0 or a power of two */
} lo_map;

static uint64_t lo_mix(uint64_t k) {
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ULL;
    return k ^ (k >> 33);
}

static uint64_t lo_pair(uint32_t hi, uint32_t lo) {
    return (uint64_t)hi << 32 | lo;
}

static int lo_map_grow(lo_map *m) {
    size_t cap = m->cap ? m->cap * 2 : 64;
    uint64_t *key = malloc(cap * sizeof *key);
    uint32_t *val = malloc(cap * sizeof *val);
    if (!key || !val) {
        free(key);
        free(val);
        return -1;
    }
    memset(key, 0xff, cap * sizeof *key);
    for (size_t i = 0; i < m->cap; i++) {
        if (m->key[i] == LO_EMPTY) continue;
        size_t j = lo_mix(m->key[i]) & (cap - 1);
        while (key[j] != LO_EMPTY)
            j = (j + 1) & (cap - 1);
        key[j] = m->key[i];
        val[j] = m->val[i];
    }
    free(m->key);
    free(m->val);
    m->key = key;
    m->val = val;
    m->cap = cap;
    return 0;
}

/* The value slot of k, inserted (with *fresh set) when absent; NULL when out of memory. */
static uint32_t *lo_map_slot(lo_map *m, uint64_t k, int *fresh) {
    if ((m->n + 1) * 2 > m->cap && lo_map_grow(m) < 0) return NULL;
    size_t j = lo_mix(k) & (m->cap - 1);
    while (m->key[j] != LO_EMPTY) {
        if (m->key[j] == k) {
            *fresh = 0;
            return &m->val[j];
        }
        j = (j + 1) & (m->cap - 1);
    }
    m->key[j] = k;
    m->n++;
    *fresh = 1;
    return &m->val[j];
}

static void lo_map_free(lo_map *m) {
    free(m->key);
    free(m->val);
}

typedef struct lo_edge {
    int32_t a, b, thread;
    uint32_t seq_a, seq_b; /* the first witness: the acquire of A, the request of B */
    uint32_t gate_node;    /* while gate is NULL: the gates are the held set of this trie node */
    int32_t *gate;         /* once they shrank: the gates held at every instance */
    size_t ngate;
} lo_edge;

typedef struct lo_held {
    int32_t obj;
    uint32_t seq;  /* its acquire */
    uint32_t node; /* the trie node of the held locks up to and including this one */
} lo_held;

typedef struct lo_stack {
    lo_held *h;
    size_t n, cap;
} lo_stack;

typedef struct lo_graph {
    const lv_trace *tr;
    lo_map child;   /* (trie node, object) -> trie node */
    int32_t *n_obj; /* per trie node: its last object; node 0 is the empty set */
    uint32_t *n_up; /* per trie node: its parent */
    size_t nn, cn;
    lo_map ctx;  /* (trie node, lock): a request already seen with exactly these held */
    lo_map emap; /* (a, b) -> edge index */
    lo_edge *e;
    size_t ne, ce;
    lo_stack *st;     /* per thread: what it holds, in acquire order */
    int32_t *holder;  /* per object: the holding thread, or LV_NONE */
    int64_t *count;   /* per object: RLock recursion, or a semaphore's permits */
    uint8_t *gatable; /* per object: a Lock, an RLock, or a capacity-1 semaphore still one */
    int oom;
} lo_graph;

static int lo_is_lock(const lv_trace *tr, int32_t o) {
    lv_obj_kind k = tr->objects[o].kind;
    return k == LV_OBJ_MUTEX || k == LV_OBJ_RLOCK;
}

static int lo_is_sem(const lv_trace *tr, int32_t o) {
    lv_obj_kind k = tr->objects[o].kind;
    return k == LV_OBJ_SEMAPHORE || k == LV_OBJ_BOUNDED_SEMAPHORE;
}

static uint32_t lo_child(lo_graph *g, uint32_t up, int32_t obj) {
    int fresh;
    uint32_t *v = lo_map_slot(&g->child, lo_pair(up, (uint32_t)obj), &fresh);
    if (!v) return LO_NONODE;
    if (!fresh) return *v;
    if (g->nn == g->cn) {
        size_t cn = g->cn * 2;
        int32_t *o = realloc(g->n_obj, cn * sizeof *o);
        if (o) g->n_obj = o;
        uint32_t *u = realloc(g->n_up, cn * sizeof *u);
        if (u) g->n_up = u;
        if (!o || !u) return LO_NONODE;
        g->cn = cn;
    }
    g->n_obj[g->nn] = obj;
    g->n_up[g->nn] = up;
    return *v = (uint32_t)g->nn++;
}

static uint32_t lo_top(const lo_stack *s) {
    return s->n ? s->h[s->n - 1].node : 0;
}

static void lo_push(lo_graph *g, int32_t t, int32_t obj, uint32_t seq) {
    lo_stack *s = &g->st[t];
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 8;
        lo_held *h = realloc(s->h, cap * sizeof *h);
        if (!h) {
            g->oom = 1;
            return;
        }
        s->h = h;
        s->cap = cap;
    }
    uint32_t node = lo_child(g, lo_top(s), obj);
    if (node == LO_NONODE) {
        g->oom = 1;
        return;
    }
    s->h[s->n++] = (lo_held){obj, seq, node};
    g->holder[obj] = t;
}

/* obj leaves its holder's stack (released, by whoever released it) */
static void lo_drop(lo_graph *g, int32_t obj) {
    int32_t t = g->holder[obj];
    if (t == LV_NONE) return;
    g->holder[obj] = LV_NONE;
    lo_stack *s = &g->st[t];
    size_t p = s->n;
    while (p > 0 && s->h[p - 1].obj != obj)
        p--;
    if (p == 0) return;
    p--;
    memmove(&s->h[p], &s->h[p + 1], (s->n - p - 1) * sizeof *s->h);
    s->n--;
    for (size_t j = p; j < s->n; j++) { /* the locks taken after it: held now without it */
        uint32_t node = lo_child(g, j ? s->h[j - 1].node : 0, s->h[j].obj);
        if (node == LO_NONODE) {
            g->oom = 1;
            return;
        }
        s->h[j].node = node;
    }
}

/* Keeps only the gates of x that thread t holds now. */
static void lo_gate_meet(lo_graph *g, lo_edge *x, int32_t t) {
    if (!x->gate) {
        size_t n = 0, kept = 0;
        for (uint32_t v = x->gate_node; v; v = g->n_up[v], n++)
            kept += g->holder[g->n_obj[v]] == t;
        if (kept == n) return;
        x->gate = malloc((kept ? kept : 1) * sizeof *x->gate);
        if (!x->gate) {
            g->oom = 1;
            return;
        }
        for (uint32_t v = x->gate_node; v; v = g->n_up[v])
            if (g->holder[g->n_obj[v]] == t) x->gate[x->ngate++] = g->n_obj[v];
        return;
    }
    size_t kept = 0;
    for (size_t i = 0; i < x->ngate; i++)
        if (g->holder[x->gate[i]] == t) x->gate[kept++] = x->gate[i];
    x->ngate = kept;
}

/* Thread t, holding what its stack says, asks for lock b and may wait forever. */
static void lo_request(lo_graph *g, int32_t t, int32_t b, uint32_t seq) {
    lo_stack *s = &g->st[t];
    if (!s->n) return;
    int fresh;
    if (!lo_map_slot(&g->ctx, lo_pair(lo_top(s), (uint32_t)b), &fresh)) {
        g->oom = 1;
        return;
    }
    if (!fresh) return; /* these held, this lock: every edge and gate is already as it would be */
    for (size_t j = 0; j < s->n && !g->oom; j++) {
        int32_t a = s->h[j].obj;
        if (!lo_is_lock(g->tr, a)) continue; /* a semaphore gates, but is no node */
        uint32_t *v = lo_map_slot(&g->emap, lo_pair((uint32_t)a, (uint32_t)b), &fresh);
        if (!v) {
            g->oom = 1;
            return;
        }
        if (!fresh) {
            lo_gate_meet(g, &g->e[*v], t);
            continue;
        }
        if (g->ne == g->ce) {
            size_t ce = g->ce ? g->ce * 2 : 64;
            lo_edge *n2 = realloc(g->e, ce * sizeof *n2);
            if (!n2) {
                g->oom = 1;
                return;
            }
            g->e = n2;
            g->ce = ce;
        }
        *v = (uint32_t)g->ne;
        g->e[g->ne++] = (lo_edge){a, b, t, s->h[j].seq, seq, lo_top(s), NULL, 0};
    }
}

/* A capacity-1 semaphore found with two permits, or two holders, no longer serialises. */
static void lo_ungate(lo_graph *g, int32_t o) {
    lo_drop(g, o);
    g->gatable[o] = 0;
}

static void lo_event(lo_graph *g, const lv_event *ev) {
    const lv_trace *tr = g->tr;
    int32_t o = ev->obj, t = ev->thread;
    if (o == LV_NONE) return;
    if (lo_is_lock(tr, o)) {
        int rlock = tr->objects[o].kind == LV_OBJ_RLOCK;
        if (ev->kind == LV_EV_REQUEST) {
            /* the dependency exists as soon as a thread holding A waits for B, whether or not
             * it ever gets B (in a deadlocked run it does not); a try or a timed wait cannot
             * wait forever, and a lock its holder asks for again is a re-entry or a misuse */
            int forever = !(ev->flags & LV_EVF_VALUE) || ev->value < 0;
            if (forever && g->holder[o] != t) lo_request(g, t, o, ev->seq);
        } else if (ev->kind == LV_EV_ACQUIRE) {
            if (g->holder[o] == t) { /* an RLock's re-entry (or a misuse reported elsewhere) */
                if (rlock) g->count[o] = (ev->flags & LV_EVF_VALUE) ? ev->value : g->count[o] + 1;
                return;
            }
            lo_drop(g, o); /* a trace that has it held by two: the newest holder has it */
            g->count[o] = (ev->flags & LV_EVF_VALUE) ? ev->value : 1;
            lo_push(g, t, o, ev->seq);
        } else if (ev->kind == LV_EV_RELEASE) {
            if (!rlock) { /* a Lock may be released by another thread */
                lo_drop(g, o);
            } else if (g->holder[o] == t) {
                g->count[o] = (ev->flags & LV_EVF_VALUE) ? ev->value : g->count[o] - 1;
                if (g->count[o] <= 0) lo_drop(g, o);
            }
        }
        return;
    }
    if (!g->gatable[o]) return;
    /* a capacity-1 semaphore: held from a thread's acquire to a release by anyone */
    if (ev->kind == LV_EV_ACQUIRE) {
        g->count[o] = (ev->flags & LV_EVF_VALUE) ? ev->value : g->count[o] - 1;
        if (g->holder[o] != LV_NONE)
            lo_ungate(g, o);
        else
            lo_push(g, t, o, ev->seq);
    } else if (ev->kind == LV_EV_RELEASE) {
        int bounded = tr->objects[o].kind == LV_OBJ_BOUNDED_SEMAPHORE;
        if (ev->flags & LV_EVF_VALUE)
            g->count[o] = ev->value;
        else if (!bounded || g->count[o] < 1) /* a full bounded semaphore refuses it */
            g->count[o]++;
        if (g->count[o] > 1)
            lo_ungate(g, o);
        else
            lo_drop(g, o);
    }
}

/* ---- the cycle search ---- */

typedef struct lo_cycle {
    size_t off, len; /* in the pool: edge indices, then (at off2) the locks, both from the
                        cycle's lowest lock id */
    uint64_t hash;
} lo_cycle;

typedef struct lo_found {
    lo_cycle *c;
    size_t n, cap;
    uint32_t *edges; /* pool of edge indices */
    int32_t *locks;  /* pool of locks, parallel to edges */
    size_t used, pcap;
    size_t *table; /* dedup: 1 + cycle index, open addressing on hash */
    size_t tcap;
    int oom;
} lo_found;

static int lo_same(const lo_found *f, const lo_cycle *c, const uint32_t *e, size_t len) {
    return c->len == len && memcmp(&f->edges[c->off], e, len * sizeof *e) == 0;
}

static int lo_table_grow(lo_found *f) {
    size_t cap = f->tcap ? f->tcap * 2 : 64;
    size_t *t = calloc(cap, sizeof *t);
    if (!t) return -1;
    for (size_t i = 0; i < f->n; i++) {
        size_t j = f->c[i].hash & (cap - 1);
        while (t[j])
            j = (j + 1) & (cap - 1);
        t[j] = i + 1;
    }
    free(f->table);
    f->table = t;
    f->tcap = cap;
    return 0;
}

/* Adds the cycle of edges cyc (len of them, in order) unless it was found before. */
static void lo_found_add(lo_found *f, const lo_edge *e, uint32_t *cyc, size_t len) {
    size_t low = 0; /* rotate: the edge out of the lowest lock first */
    for (size_t k = 1; k < len; k++)
        if (e[cyc[k]].a < e[cyc[low]].a) low = k;
    uint32_t rot[LO_MAX_LEN];
    for (size_t k = 0; k < len; k++)
        rot[k] = cyc[(low + k) % len];
    uint64_t h = len;
    for (size_t k = 0; k < len; k++)
        h = lo_mix(h ^ rot[k]);
    if ((f->n + 1) * 2 > f->tcap && lo_table_grow(f) < 0) {
        f->oom = 1;
        return;
    }
    size_t j = h & (f->tcap - 1);
    for (; f->table[j]; j = (j + 1) & (f->tcap - 1)) {
        const lo_cycle *c = &f->c[f->table[j] - 1];
        if (c->hash == h && lo_same(f, c, rot, len)) return;
    }
    if (f->n == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 32;
        lo_cycle *c = realloc(f->c, cap * sizeof *c);
        if (!c) {
            f->oom = 1;
            return;
        }
        f->c = c;
        f->cap = cap;
    }
    if (f->used + len > f->pcap) {
        size_t cap = f->pcap ? f->pcap * 2 : 256;
        while (cap < f->used + len)
            cap *= 2;
        uint32_t *pe = realloc(f->edges, cap * sizeof *pe);
        if (pe) f->edges = pe;
        int32_t *pl = realloc(f->locks, cap * sizeof *pl);
        if (pl) f->locks = pl;
        if (!pe || !pl) {
            f->oom = 1;
            return;
        }
        f->pcap = cap;
    }
    for (size_t k = 0; k < len; k++) {
        f->edges[f->used + k] = rot[k];
        f->locks[f->used + k] = e[rot[k]].a;
    }
    f->c[f->n] = (lo_cycle){f->used, len, h};
    f->used += len;
    f->table[j] = ++f->n;
}

typedef struct lo_search {
    const lo_edge *e;
    size_t ne, no;
    size_t *out_at; /* no + 1: a lock's out-edges are out[out_at[a] .. out_at[a + 1]) */
    uint32_t *out;
    int32_t *comp;   /* per lock: its strongly connected component */
    uint32_t *seen;  /* per lock: the search that reached it */
    uint32_t *via;   /* per lock: the edge it was reached by */
    uint32_t *depth; /* per lock: edges from the searched edge's source */
    uint32_t *gmark; /* per object: the stamp of the gates on the current path */
    int32_t *queue;
    uint32_t stamp, search;
    size_t steps;
    int truncated;
} lo_search;

static void lo_mark(lo_search *s, const lo_edge *x) {
    for (size_t i = 0; i < x->ngate; i++)
        s->gmark[x->gate[i]] = s->stamp;
    s->steps += x->ngate + 1;
}

static int lo_meets(lo_search *s, const lo_edge *x) {
    s->steps += x->ngate + 1;
    for (size_t i = 0; i < x->ngate; i++)
        if (s->gmark[x->gate[i]] == s->stamp) return 1;
    return 0;
}

/* The shortest cycle through edge ei whose edges' gates are pairwise disjoint, found greedily
 * by a breadth-first search from its target back to its source; added to f. */
static void lo_cycle_through(lo_search *s, lo_found *f, uint32_t ei) {
    const lo_edge *e = s->e, *x0 = &e[ei];
    int32_t c = s->comp[x0->a];
    size_t qh = 0, qt = 0;
    s->search++;
    s->seen[x0->b] = s->search;
    s->depth[x0->b] = 1;
    s->via[x0->b] = ei;
    s->queue[qt++] = x0->b;
    while (qh < qt) {
        if (s->steps > LO_BUDGET) {
            s->truncated = 1;
            return;
        }
        int32_t at = s->queue[qh++];
        if (s->depth[at] >= LO_MAX_LEN) continue;
        s->stamp++; /* the gates of the path to here, the searched edge included */
        for (int32_t v = at;; v = e[s->via[v]].a) {
            lo_mark(s, &e[s->via[v]]);
            if (s->via[v] == ei) break;
        }
        for (size_t k = s->out_at[at]; k < s->out_at[at + 1]; k++) {
            const lo_edge *y = &e[s->out[k]];
            s->steps++;
            if (s->comp[y->b] != c || (y->b != x0->a && s->seen[y->b] == s->search)) continue;
            if (lo_meets(s, y)) continue;
            if (y->b == x0->a) {
                uint32_t cyc[LO_MAX_LEN];
                size_t len = s->depth[at] + 1;
                cyc[len - 1] = s->out[k];
                size_t i = len - 1;
                for (int32_t v = at; i > 0; v = e[s->via[v]].a)
                    cyc[--i] = s->via[v];
                lo_found_add(f, e, cyc, len);
                return;
            }
            s->seen[y->b] = s->search;
            s->via[y->b] = s->out[k];
            s->depth[y->b] = s->depth[at] + 1;
            s->queue[qt++] = y->b;
        }
    }
}

/* Tarjan's strongly connected components, without recursion; comp[v] for every lock. */
static int lo_components(lo_search *s) {
    size_t no = s->no;
    int32_t *index = malloc(no * sizeof *index), *low = malloc(no * sizeof *low);
    int32_t *stack = malloc(no * sizeof *stack), *call = malloc(no * sizeof *call);
    size_t *next = malloc(no * sizeof *next);
    uint8_t *on = calloc(no, 1);
    int ok = index && low && stack && call && next && on;
    if (ok) {
        for (size_t v = 0; v < no; v++)
            index[v] = -1;
        int32_t idx = 0, ncomp = 0;
        size_t sp = 0;
        for (size_t r = 0; r < no; r++) {
            if (index[r] >= 0) continue;
            size_t cp = 0;
            call[cp] = (int32_t)r;
            next[cp++] = s->out_at[r];
            index[r] = low[r] = idx++;
            stack[sp++] = (int32_t)r;
            on[r] = 1;
            while (cp) {
                int32_t v = call[cp - 1];
                if (next[cp - 1] < s->out_at[v + 1]) {
                    int32_t w = s->e[s->out[next[cp - 1]++]].b;
                    if (index[w] < 0) {
                        index[w] = low[w] = idx++;
                        stack[sp++] = w;
                        on[w] = 1;
                        call[cp] = w;
                        next[cp++] = s->out_at[w];
                    } else if (on[w] && index[w] < low[v]) {
                        low[v] = index[w];
                    }
                    continue;
                }
                if (low[v] == index[v]) {
                    int32_t w;
                    do {
                        w = stack[--sp];
                        on[w] = 0;
                        s->comp[w] = ncomp;
                    } while (w != v);
                    ncomp++;
                }
                if (--cp && low[v] < low[call[cp - 1]]) low[call[cp - 1]] = low[v];
            }
        }
    }
    free(index);
    free(low);
    free(stack);
    free(call);
    free(next);
    free(on);
    return ok ? 0 : -1;
}

typedef struct lo_rank {
    size_t len;
    const int32_t *locks;
    size_t idx;
} lo_rank;

static int lo_rank_cmp(const void *pa, const void *pb) {
    const lo_rank *a = pa, *b = pb;
    if (a->len != b->len) return a->len < b->len ? -1 : 1;
    for (size_t k = 0; k < a->len; k++)
        if (a->locks[k] != b->locks[k]) return a->locks[k] < b->locks[k] ? -1 : 1;
    return 0;
}

/* a growing string for messages: no fixed limit */
typedef struct lo_text {
    char *s;
    size_t len, cap;
    int oom;
} lo_text;

static void lo_say(lo_text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void lo_say(lo_text *t, const char *fmt, ...) {
    if (t->oom) return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        t->oom = 1;
        return;
    }
    if (t->len + (size_t)n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap : 256;
        while (cap < t->len + (size_t)n + 1)
            cap *= 2;
        char *s = realloc(t->s, cap);
        if (!s) {
            t->oom = 1;
            return;
        }
        t->s = s;
        t->cap = cap;
    }
    va_start(ap, fmt);
    vsnprintf(t->s + t->len, t->cap - t->len, fmt, ap);
    va_end(ap);
    t->len += (size_t)n;
}

/* The lock_order findings: the cycles, shortest first, at most LO_MAX_FINDINGS of them, then
 * one finding that counts the rest. All lock_order wording is here. */
static void lo_report(const lv_trace *tr, flist *l, const lo_edge *e, const lo_found *fd,
                      int truncated) {
    if (!fd->n) return;
    lo_rank *rank = malloc(fd->n * sizeof *rank);
    if (!rank) {
        l->oom = 1;
        return;
    }
    for (size_t i = 0; i < fd->n; i++)
        rank[i] = (lo_rank){fd->c[i].len, &fd->locks[fd->c[i].off], i};
    qsort(rank, fd->n, sizeof *rank, lo_rank_cmp);
    size_t shown = fd->n < LO_MAX_FINDINGS ? fd->n : LO_MAX_FINDINGS;
    lo_text t = {0};
    for (size_t r = 0; r < shown && !l->oom; r++) {
        const lo_cycle *c = &fd->c[rank[r].idx];
        const uint32_t *cyc = &fd->edges[c->off];
        int one_thread = 1;
        for (size_t k = 1; k < c->len; k++)
            one_thread &= e[cyc[k]].thread == e[cyc[0]].thread;
        t.len = 0;
        lo_say(&t, "Lock-order inversion:");
        for (size_t k = 0; k < c->len; k++) {
            const lo_edge *x = &e[cyc[k]];
            lo_say(&t, "%s %s takes %s then %s (seq %u, %u)", k ? ";" : "",
                   lv_trace_thread_name(tr, x->thread), tr->objects[x->a].name,
                   tr->objects[x->b].name, x->seq_a, x->seq_b);
        }
        lo_say(&t,
               ". If %s at the same time, each can hold its first lock and wait for the next "
               "one forever: a deadlock waiting to happen, even if this run finished.",
               one_thread ? "two threads ran this code" : "they run");
        if (t.oom) {
            l->oom = 1;
            break;
        }
        lv_finding *f = add(l, LV_FIND_LOCK_ORDER, "%s", t.s);
        for (size_t k = 0; k < c->len; k++) {
            const lo_edge *x = &e[cyc[k]];
            put_thread(l, f, x->thread);
            put_object(l, f, x->a);
            put_event(l, f, x->seq_a);
            put_event(l, f, x->seq_b);
        }
    }
    if ((fd->n > shown || truncated) && !l->oom) {
        /* what the unlisted cycles go through, each once */
        uint8_t *tm = calloc(tr->nthreads, 1), *om = calloc(tr->nobjects, 1);
        int32_t *ts = malloc(tr->nthreads * sizeof *ts), *os = malloc(tr->nobjects * sizeof *os);
        size_t nts = 0, nos = 0;
        if (!tm || !om || !ts || !os) {
            l->oom = 1;
        } else {
            for (size_t r = shown; r < fd->n; r++) {
                const lo_cycle *c = &fd->c[rank[r].idx];
                for (size_t k = 0; k < c->len; k++) {
                    const lo_edge *x = &e[fd->edges[c->off + k]];
                    if (!tm[x->thread]) tm[x->thread] = 1, ts[nts++] = x->thread;
                    if (!om[x->a]) om[x->a] = 1, os[nos++] = x->a;
                }
            }
            t.len = 0;
            if (fd->n > shown)
                lo_say(&t,
                       "Lock-order inversions: %zu more cycle%s of the lock-order graph %s "
                       "found and not listed (lockviz lists at most %d, shortest first); %s "
                       "through %zu lock%s and %zu thread%s.",
                       fd->n - shown, fd->n - shown == 1 ? "" : "s",
                       fd->n - shown == 1 ? "was" : "were", LO_MAX_FINDINGS,
                       fd->n - shown == 1 ? "it goes" : "they go", nos, nos == 1 ? "" : "s", nts,
                       nts == 1 ? "" : "s");
            else
                lo_say(&t, "Lock-order inversions: the ones above may not be all.");
            if (truncated)
                lo_say(&t,
                       " The search for cycles stopped at its bound of %u steps, so there may "
                       "be more.",
                       (unsigned)LO_BUDGET);
            if (t.oom) {
                l->oom = 1;
            } else {
                lv_finding *f = add(l, LV_FIND_LOCK_ORDER, "%s", t.s);
                for (size_t i = 0; i < nts; i++)
                    put_thread(l, f, ts[i]);
                for (size_t i = 0; i < nos; i++)
                    put_object(l, f, os[i]);
            }
        }
        free(tm);
        free(om);
        free(ts);
        free(os);
    }
    free(t.s);
    free(rank);
}

static void lo_find_cycles(const lv_trace *tr, flist *l, lo_graph *g) {
    size_t no = tr->nobjects, ne = g->ne;
    lo_search s = {.e = g->e, .ne = ne, .no = no};
    lo_found fd = {0};
    s.out_at = calloc(no + 1, sizeof *s.out_at);
    s.out = malloc(ne * sizeof *s.out);
    s.comp = malloc(no * sizeof *s.comp);
    if (!s.out_at || !s.out || !s.comp) goto oom;
    for (size_t i = 0; i < ne; i++)
        s.out_at[g->e[i].a + 1]++;
    for (size_t v = 0; v < no; v++)
        s.out_at[v + 1] += s.out_at[v];
    {
        size_t *fill = malloc(no * sizeof *fill);
        if (!fill) goto oom;
        memcpy(fill, s.out_at, no * sizeof *fill);
        for (size_t i = 0; i < ne; i++) /* in first-seen order within each lock */
            s.out[fill[g->e[i].a]++] = (uint32_t)i;
        free(fill);
    }
    if (lo_components(&s) < 0) goto oom;
    int any = 0;
    for (size_t i = 0; i < ne && !any; i++)
        any = s.comp[g->e[i].a] == s.comp[g->e[i].b];
    if (!any) goto done; /* no cycle at all: a consistent order */
    s.seen = calloc(no, sizeof *s.seen);
    s.via = malloc(no * sizeof *s.via);
    s.depth = malloc(no * sizeof *s.depth);
    s.gmark = calloc(no, sizeof *s.gmark);
    s.queue = malloc(no * sizeof *s.queue);
    if (!s.seen || !s.via || !s.depth || !s.gmark || !s.queue) goto oom;
    /* the edges of a component: their gates as lists, without semaphores that stopped being
     * gates */
    for (size_t i = 0; i < ne; i++) {
        lo_edge *x = &g->e[i];
        if (s.comp[x->a] != s.comp[x->b]) continue;
        if (!x->gate) {
            size_t n = 0;
            for (uint32_t v = x->gate_node; v; v = g->n_up[v])
                n++;
            if (!(x->gate = malloc((n ? n : 1) * sizeof *x->gate))) goto oom;
            for (uint32_t v = x->gate_node; v; v = g->n_up[v])
                x->gate[x->ngate++] = g->n_obj[v];
        }
        size_t kept = 0;
        for (size_t k = 0; k < x->ngate; k++)
            if (g->gatable[x->gate[k]]) x->gate[kept++] = x->gate[k];
        x->ngate = kept;
    }
    for (size_t i = 0; i < ne && !s.truncated && !fd.oom; i++)
        if (s.comp[g->e[i].a] == s.comp[g->e[i].b]) lo_cycle_through(&s, &fd, (uint32_t)i);
    if (fd.oom) goto oom;
    lo_report(tr, l, g->e, &fd, s.truncated);
    goto done;
oom:
    l->oom = 1;
done:
    free(s.out_at);
    free(s.out);
    free(s.comp);
    free(s.seen);
    free(s.via);
    free(s.depth);
    free(s.gmark);
    free(s.queue);
    free(fd.c);
    free(fd.edges);
    free(fd.locks);
    free(fd.table);
}

static void find_lock_order(const lv_trace *tr, flist *l) {
    size_t nt = tr->nthreads, no = tr->nobjects;
    if (!nt || !no) return;
    lo_graph g = {.tr = tr};
    g.st = calloc(nt, sizeof *g.st);
    g.holder = malloc(no * sizeof *g.holder);
    g.count = calloc(no, sizeof *g.count);
    g.gatable = calloc(no, 1);
    g.cn = 64;
    g.n_obj = malloc(g.cn * sizeof *g.n_obj);
    g.n_up = malloc(g.cn * sizeof *g.n_up);
    if (!g.st || !g.holder || !g.count || !g.gatable || !g.n_obj || !g.n_up) {
        l->oom = 1;
        goto done;
    }
    g.nn = 1; /* node 0: nothing held */
    g.n_obj[0] = LV_NONE;
    g.n_up[0] = 0;
    for (size_t o = 0; o < no; o++) {
        g.holder[o] = LV_NONE;
        g.gatable[o] =
            lo_is_lock(tr, (int32_t)o) || (lo_is_sem(tr, (int32_t)o) && tr->objects[o].param == 1);
        if (lo_is_sem(tr, (int32_t)o)) g.count[o] = tr->objects[o].param;
    }
    for (size_t i = 0; i < tr->nevents && !g.oom; i++)
        lo_event(&g, &tr->events[i]);
    if (g.oom) {
        l->oom = 1;
        goto done;
    }
    if (g.ne >= 2) lo_find_cycles(tr, l, &g);
done:
    for (size_t i = 0; i < g.ne; i++)
        free(g.e[i].gate);
    free(g.e);
    if (g.st)
        for (size_t t = 0; t < nt; t++)
            free(g.st[t].h);
    free(g.st);
    free(g.holder);
    free(g.count);
    free(g.gatable);
    free(g.n_obj);
    free(g.n_up);
    lo_map_free(&g.child);
    lo_map_free(&g.ctx);
    lo_map_free(&g.emap);
}

/* ---- deadlocks ---- */

/* What each thread is stuck on at the end of the trace, replayed from the events. */
typedef struct stuck {
    int ended;
    int32_t wait_obj;    /* the object of a request with no acquire or timeout after it */
    uint32_t wait_seq;   /* that request (or join) */
    int32_t wait_thread; /* the thread it joins, or LV_NONE */
    int has_wait;
} stuck;

typedef struct dl_state {
    stuck *th;
    int32_t *holder;   /* per object: lock holder */
    uint32_t *held_at; /* per object: the seq of the acquire that holder made */
    int64_t *permits;  /* per object: semaphore permits left */
    int64_t *taken;    /* per thread x object: semaphore permits the thread holds */
    int *flag;         /* per object: an event's flag */
} dl_state;

static const char *lock_word(lv_obj_kind k) {
    return k == LV_OBJ_RLOCK ? "RLock" : "lock";
}

/* The thread that thread t waits for, if its wait is on one thread: a lock's holder or a
 * joined thread. LV_NONE otherwise. */
static int32_t waits_for(const lv_trace *tr, const dl_state *s, int32_t t) {
    const stuck *w = &s->th[t];
    if (!w->has_wait) return LV_NONE;
    if (w->wait_thread != LV_NONE) return w->wait_thread;
    lv_obj_kind k = tr->objects[w->wait_obj].kind;
    if (k == LV_OBJ_MUTEX || k == LV_OBJ_RLOCK) return s->holder[w->wait_obj];
    return LV_NONE;
}

/* One clause about what thread t waits for: "waits for lock B, held by t2". */
static void describe_wait(const lv_trace *tr, const dl_state *s, int32_t t, char *out, size_t len) {
    const stuck *w = &s->th[t];
    if (w->wait_thread != LV_NONE) {
        snprintf(out, len, "waits to join %s", lv_trace_thread_name(tr, w->wait_thread));
        return;
    }
    const lv_trace_object *o = &tr->objects[w->wait_obj];
    switch (o->kind) {
    case LV_OBJ_MUTEX:
    case LV_OBJ_RLOCK:
        if (s->holder[o->id] == t)
            snprintf(out, len, "waits for %s %s, which it holds itself", lock_word(o->kind),
                     o->name);
        else if (s->holder[o->id] != LV_NONE)
            snprintf(out, len, "waits for %s %s, held by %s", lock_word(o->kind), o->name,
                     lv_trace_thread_name(tr, s->holder[o->id]));
        else
            snprintf(out, len, "waits for %s %s", lock_word(o->kind), o->name);
        break;
    case LV_OBJ_SEMAPHORE:
    case LV_OBJ_BOUNDED_SEMAPHORE: {
        size_t n = (size_t)snprintf(out, len, "waits for a permit of %s (0 of %lld left", o->name,
                                    (long long)o->param);
        int first = 1;
        for (size_t k = 0; k < tr->nthreads && n < len; k++) {
            if (s->taken[k * tr->nobjects + (size_t)o->id] <= 0) continue;
            n += (size_t)snprintf(out + n, len - n, "%s%s", first ? "; held by " : ", ",
                                  tr->threads[k].name);
            first = 0;
        }
        if (n < len) snprintf(out + n, len - n, ")");
        break;
    }
    case LV_OBJ_EVENT:
        snprintf(out, len, "waits for event %s, which nobody left will set", o->name);
        break;
    case LV_OBJ_CONDITION:
        snprintf(out, len, "waits on condition %s for a notify that never comes", o->name);
        break;
    default:
        snprintf(out, len, "waits for %s", o->name);
    }
}

static void dl_replay(const lv_trace *tr, dl_state *s) {
    for (size_t i = 0; i < tr->nthreads; i++) {
        s->th[i].wait_obj = LV_NONE;
        s->th[i].wait_thread = LV_NONE;
    }
    for (size_t i = 0; i < tr->nobjects; i++) {
        s->holder[i] = LV_NONE;
        s->permits[i] = tr->objects[i].param;
    }
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
            w->has_wait = 1;
            w->wait_thread = LV_NONE;
            w->wait_obj = e->obj;
            w->wait_seq = e->seq;
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
            case LV_OBJ_SEMAPHORE:
            case LV_OBJ_BOUNDED_SEMAPHORE:
                s->permits[e->obj]--;
                s->taken[(size_t)e->thread * tr->nobjects + (size_t)e->obj]++;
                break;
            default:
                break;
            }
            break;
        case LV_EV_RELEASE: {
            lv_obj_kind k = tr->objects[e->obj].kind;
            if (k == LV_OBJ_MUTEX) s->holder[e->obj] = LV_NONE;
            if (k == LV_OBJ_RLOCK && s->holder[e->obj] == e->thread &&
                (!(e->flags & LV_EVF_VALUE) || e->value <= 0))
                s->holder[e->obj] = LV_NONE;
            if (k == LV_OBJ_SEMAPHORE || k == LV_OBJ_BOUNDED_SEMAPHORE) {
                int64_t *mine = &s->taken[(size_t)e->thread * tr->nobjects + (size_t)e->obj];
                if (*mine > 0) (*mine)--;
            }
            break;
        }
        case LV_EV_SET:
            s->flag[e->obj] = 1;
            break;
        case LV_EV_CLEAR:
            s->flag[e->obj] = 0;
            break;
        default:
            break;
        }
    }
}

/* The lockdep-style picture of a cycle: one column per thread, each row one of the steps that
 * built the deadlock (taking what it holds, then blocking on what the next one holds). */
static char *cycle_table(const lv_trace *tr, const dl_state *s, const int32_t *cyc, size_t n) {
    enum { COL = 22 };
    size_t cap = 256 + (n + 2) * (n * COL + 8) * 2;
    char *out = malloc(cap);
    if (!out) return NULL;
    size_t len = 0;
#define PUT(...) len += (size_t)snprintf(out + len, len < cap ? cap - len : 0, __VA_ARGS__)
    for (size_t c = 0; c < n; c++)
        PUT("    %-*.*s", COL - 4, COL - 4, tr->threads[cyc[c]].name);
    PUT("\n");
    for (size_t c = 0; c < n; c++)
        PUT("    %-*s", COL - 4, "----");
    PUT("\n");
    /* rows: for each thread of the cycle, the acquire of the lock the previous one waits for,
     * and its own blocked request; printed in trace order */
    uint32_t seqs[64];
    int cols[64], blocks[64];
    size_t rows = 0;
    for (size_t c = 0; c < n && rows + 2 <= 64; c++) {
        int32_t t = cyc[c];
        int32_t prev = cyc[(c + n - 1) % n];
        int32_t obj = s->th[prev].wait_obj;
        if (obj != LV_NONE && s->holder[obj] == t) {
            seqs[rows] = s->held_at[obj];
            cols[rows] = (int)c;
            blocks[rows++] = 0;
        }
        seqs[rows] = s->th[t].wait_seq;
        cols[rows] = (int)c;
        blocks[rows++] = 1;
    }
    for (size_t a = 1; a < rows; a++) /* insertion sort by seq: a handful of rows */
        for (size_t b = a; b > 0 && seqs[b - 1] > seqs[b]; b--) {
            uint32_t ts = seqs[b];
            seqs[b] = seqs[b - 1];
            seqs[b - 1] = ts;
            int tc = cols[b];
            cols[b] = cols[b - 1];
            cols[b - 1] = tc;
            int tb = blocks[b];
            blocks[b] = blocks[b - 1];
            blocks[b - 1] = tb;
        }
    for (size_t r = 0; r < rows; r++) {
        const lv_event *e = &tr->events[seqs[r]];
        char cell[64];
        if (e->kind == LV_EV_JOIN)
            snprintf(cell, sizeof cell, "join(%s)%s", lv_trace_thread_name(tr, (int32_t)e->value),
                     blocks[r] ? " blocks" : "");
        else
            snprintf(cell, sizeof cell, "lock(%s)%s", lv_trace_object_name(tr, e->obj),
                     blocks[r] ? " blocks" : "");
        for (int c = 0; c < cols[r]; c++)
            PUT("    %-*s", COL - 4, "");
        PUT("    %s\n", cell);
    }
    PUT("\n    *** DEADLOCK ***");
#undef PUT
    if (len >= cap) out[cap - 1] = 0;
    return out;
}

static void find_deadlock(const lv_trace *tr, flist *l) {
    if (tr->outcome != LV_OUT_DEADLOCKED || !tr->nthreads) return;
    size_t nt = tr->nthreads, no = tr->nobjects ? tr->nobjects : 1;
    dl_state s = {calloc(nt, sizeof *s.th),         calloc(no, sizeof *s.holder),
                  calloc(no, sizeof *s.held_at),    calloc(no, sizeof *s.permits),
                  calloc(nt * no, sizeof *s.taken), calloc(no, sizeof *s.flag)};
    int32_t *cyc = malloc(nt * sizeof *cyc);
    int *mark = calloc(nt, sizeof *mark);
    char *buf = malloc(8192);
    if (!s.th || !s.holder || !s.held_at || !s.permits || !s.taken || !s.flag || !cyc || !mark ||
        !buf) {
        l->oom = 1;
        goto done;
    }
    dl_replay(tr, &s);

    /* a cycle through lock holders and joins: follow waits_for from each stuck thread */
    size_t ncyc = 0;
    for (size_t start = 0; start < nt && !ncyc; start++) {
        if (!s.th[start].has_wait) continue;
        memset(mark, 0, nt * sizeof *mark);
        int32_t t = (int32_t)start;
        int step = 1;
        while (t != LV_NONE && !mark[t] && s.th[t].has_wait) {
            mark[t] = step++;
            t = waits_for(tr, &s, t);
        }
        if (t == LV_NONE || !mark[t]) continue;
        int32_t c = t; /* t is on the cycle: walk it once */
        do {
            cyc[ncyc++] = c;
            c = waits_for(tr, &s, c);
        } while (c != t && ncyc < nt);
    }

    size_t len = 0;
    lv_finding *f;
    if (ncyc == 1) {
        describe_wait(tr, &s, cyc[0], buf, 8192);
        f = add(l, LV_FIND_DEADLOCK,
                "Deadlock: %s %s: a plain Lock is not reentrant, so it waits for itself forever.",
                lv_trace_thread_name(tr, cyc[0]), buf);
    } else if (ncyc > 1) {
        len += (size_t)snprintf(buf, 8192, "Deadlock:");
        for (size_t c = 0; c < ncyc && len < 8000; c++) {
            int32_t t = cyc[c];
            int32_t prev = cyc[(c + ncyc - 1) % ncyc];
            int32_t held = s.th[prev].wait_obj;
            len += (size_t)snprintf(buf + len, 8192 - len, "%s %s", c ? ";" : "",
                                    lv_trace_thread_name(tr, t));
            if (held != LV_NONE && s.holder[held] == t)
                len += (size_t)snprintf(buf + len, 8192 - len, " holds %s and",
                                        tr->objects[held].name);
            char w[512];
            describe_wait(tr, &s, t, w, sizeof w);
            len += (size_t)snprintf(buf + len, 8192 - len, " %s", w);
        }
        f = add(l, LV_FIND_DEADLOCK, "%s: each waits for the next, in a circle, forever.", buf);
    } else {
        /* no cycle of owners: say what every stuck thread waits for */
        len += (size_t)snprintf(buf, 8192, "Deadlock: no thread can go on.");
        for (size_t t = 0; t < nt && len < 7600; t++) {
            if (!s.th[t].has_wait) continue;
            char w[512];
            describe_wait(tr, &s, (int32_t)t, w, sizeof w);
            len += (size_t)snprintf(buf + len, 8192 - len, " %s %s.", tr->threads[t].name, w);
        }
        f = add(l, LV_FIND_DEADLOCK, "%s", buf);
    }
    if (!f) goto done;
    for (size_t t = 0; t < nt; t++) {
        if (!s.th[t].has_wait) continue;
        if (ncyc) {
            int in = 0;
            for (size_t c = 0; c < ncyc; c++)
                in |= cyc[c] == (int32_t)t;
            if (!in) continue;
        }
        put_thread(l, f, (int32_t)t);
        put_object(l, f, s.th[t].wait_obj);
        put_event(l, f, s.th[t].wait_seq);
    }
    if (ncyc >= 2) {
        for (size_t c = 0; c < ncyc; c++) {
            int32_t held = s.th[cyc[(c + ncyc - 1) % ncyc]].wait_obj;
            if (held != LV_NONE && s.holder[held] == cyc[c]) put_event(l, f, s.held_at[held]);
        }
        f->detail = cycle_table(tr, &s, cyc, ncyc);
        if (!f->detail) l->oom = 1;
    }
done:
    free(s.th);
    free(s.holder);
    free(s.held_at);
    free(s.permits);
    free(s.taken);
    free(s.flag);
    free(cyc);
    free(mark);
    free(buf);
}

static int cmp_u32(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

lv_err lv_analyze(const lv_trace *tr, lv_finding **out, size_t *n) {
    return lv_analyze_ex(tr, NULL, out, n);
}

lv_err lv_analyze_ex(const lv_trace *tr, const lv_analyze_opts *opts, lv_finding **out, size_t *n) {
    static const lv_analyze_opts defaults = {0};
    if (!opts) opts = &defaults;
    flist l = {0};
    find_deadlock(tr, &l);
    find_races(tr, &l);
    if (!opts->no_lock_order) find_lock_order(tr, &l);
    find_invariants(tr, &l);
    find_misuse(tr, &l);
    for (size_t i = 0; i < l.n; i++) /* a finding's events in trace order */
        if (l.a[i].nevents > 1) qsort(l.a[i].events, l.a[i].nevents, sizeof(uint32_t), cmp_u32);
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
