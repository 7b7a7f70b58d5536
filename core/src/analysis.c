/* Analysis: findings computed from a trace's events alone (see docs/findings.md).
 * Detects: data races on vars from happens-before (vector clocks) and lost updates; lock-order
 * inversions (cycles in the lock-order graph, lockdep-style, except cycles with two edges under
 * one gate); deadlocks of runs that ended "deadlocked", as a cycle of holders and waiters or the
 * list of stuck waits; failed scenario checks (invariant); and misuse of primitives, by
 * replaying each object. Each finding is built as data (its payload); its words come from
 * finding_text.c, once, at the end. Does not see memory that is not an lv_var, and has no
 * source locations. The lock-order search is polynomial and bounded: it lists at most 16
 * cycles (the shortest cycle through each edge, shortest first) and counts the rest, and it can
 * miss a cycle longer than 32 locks, one whose only ungated route is not the first its greedy
 * search finds, and any past its step budget (see the lock-order section). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "finding.h"
#include "lockviz/lockviz.h"
#include "pairmap.h"

/* The most memory the vector clocks may take (threads x threads, plus one clock per object
 * that synchronises): a trace that needs more is refused with LV_ENOMEM before anything is
 * allocated, in every build (a sanitizer's allocator aborts on a request this large). */
#ifndef LV_ANALYSIS_CLOCK_BYTES
#define LV_ANALYSIS_CLOCK_BYTES ((size_t)1 << 30)
#endif

typedef struct flist {
    lv_finding *a;
    size_t n, cap;
    int oom;
} flist;

/* A new finding of kind with payload pk and no words yet (lv_analyze renders them last). */
static lv_finding *add_finding(flist *l, lv_finding_kind kind, lv_payload_kind pk) {
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
    lv_finding *f = &l->a[l->n++];
    memset(f, 0, sizeof *f);
    f->kind = kind;
    f->payload = pk;
    return f;
}

static void put_thread(flist *l, lv_finding *f, int32_t t) {
    if (!f || t == LV_NONE) return;
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
    for (size_t i = 0; i < f->nevents; i++)
        if (f->events[i] == seq) return;
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
        lv_finding *f = add_finding(l, LV_FIND_INVARIANT, LV_PAY_INVARIANT);
        if (!f) return;
        f->data.invariant = (lv_invariant_info){e->thread, e->seq, strdup(text ? text : "")};
        if (!f->data.invariant.text) l->oom = 1;
        put_thread(l, f, e->thread);
        put_event(l, f, e->seq);
    }
}

/* ---- misuse ---- */

typedef struct ostate {
    int32_t holder; /* locks: the holding thread */
    int64_t count;  /* rlock: recursion; semaphores: permits */
} ostate;

/* One finding per (rule, object, thread): a loop that misuses a lock 1000 times is one
 * mistake in one place, not 1000 findings. Kept sparse: only the pairs that misused. */
static int seen_once(lv__pmap *s, flist *l, lv_misuse_rule m, int32_t obj, int32_t thr) {
    int64_t *v = lv__pm_at(s, (uint64_t)m << 32 | (uint32_t)obj, (uint32_t)thr, 1);
    if (!v) {
        l->oom = 1;
        return 0;
    }
    if (*v) return 0;
    *v = 1;
    return 1;
}

static void misuse(flist *l, lv_misuse_rule rule, const lv_event *e, int32_t obj, int32_t other) {
    lv_finding *f = add_finding(l, LV_FIND_MISUSE, LV_PAY_MISUSE);
    if (!f) return;
    f->data.misuse = (lv_misuse_info){rule, e->thread, obj, e->seq, other};
    put_thread(l, f, e->thread);
    put_thread(l, f, other);
    put_object(l, f, obj);
    put_event(l, f, e->seq);
}

static void find_misuse(const lv_trace *tr, flist *l) {
    if (!tr->nthreads) return;
    ostate *st = calloc(tr->nobjects ? tr->nobjects : 1, sizeof *st);
    lv__pmap seen = {0};
    if (!st) {
        l->oom = 1;
        return;
    }
    for (size_t i = 0; i < tr->nobjects; i++) {
        st[i].holder = LV_NONE;
        lv_obj_kind k = tr->objects[i].kind;
        if (k == LV_OBJ_SEMAPHORE || k == LV_OBJ_BOUNDED_SEMAPHORE)
            st[i].count = tr->objects[i].param;
    }
    for (size_t i = 0; i < tr->nevents && !l->oom; i++) {
        const lv_event *e = &tr->events[i];
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
            } else if (e->kind == LV_EV_RELEASE) {
                if (o->holder == LV_NONE) {
                    if (seen_once(&seen, l, LV_MU_RELEASE_UNHELD, e->obj, e->thread))
                        misuse(l, LV_MU_RELEASE_UNHELD, e, e->obj, LV_NONE);
                } else if (o->holder != e->thread &&
                           seen_once(&seen, l, LV_MU_RELEASE_OTHER, e->obj, e->thread)) {
                    misuse(l, LV_MU_RELEASE_OTHER, e, e->obj, o->holder);
                }
                o->holder = LV_NONE;
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
                if (seen_once(&seen, l, r, e->obj, e->thread)) {
                    misuse(l, r, e, e->obj, LV_NONE);
                    put_object(l, &l->a[l->n - 1], (int32_t)ob->param);
                }
            }
            break;
        default:
            break;
        }
    }
    free(st);
    lv__pm_free(&seen);
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

typedef struct stem {
    const char *name;
    size_t len;
    int32_t id;
} stem;

static int cmp_stem(const void *a, const void *b) {
    const stem *x = a, *y = b;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->name, y->name, n);
    if (c) return c;
    if (x->len != y->len) return x->len < y->len ? -1 : 1;
    return (x->id > y->id) - (x->id < y->id);
}

/* Each thread's code place: the lowest id among the threads of its stem. Sorted, so a trace
 * of many threads costs n log n, not n^2. */
static int32_t *stem_reps(const lv_trace *tr) {
    size_t nt = tr->nthreads;
    stem *s = malloc(nt * sizeof *s);
    int32_t *rep = malloc(nt * sizeof *rep);
    if (!s || !rep) {
        free(s);
        free(rep);
        return NULL;
    }
    for (size_t i = 0; i < nt; i++)
        s[i] = (stem){tr->threads[i].name, stem_len(tr->threads[i].name), (int32_t)i};
    qsort(s, nt, sizeof *s, cmp_stem);
    for (size_t i = 0; i < nt; i++) {
        int same =
            i > 0 && s[i].len == s[i - 1].len && memcmp(s[i].name, s[i - 1].name, s[i].len) == 0;
        rep[s[i].id] = same ? rep[s[i - 1].id] : s[i].id;
    }
    free(s);
    return rep;
}

typedef struct access {
    uint32_t clock; /* the accessing thread's own clock at the access; 0: none */
    uint32_t seq;
} access;

/* A thread's last read of a var. */
typedef struct reader {
    int32_t thread;
    access a;
    uint8_t unordered; /* no happens-before between this read and the var's last write since */
} reader;

typedef struct varstate {
    int32_t w_thread; /* last write */
    access w;
    reader *r; /* the threads that read it, each with its last read */
    size_t nr, cr;
} varstate;

typedef struct hb {
    size_t nt;
    size_t budget;    /* bytes of clocks still allowed */
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
    if (!h->obj[o]) {
        size_t bytes = h->nt * sizeof(uint32_t);
        if (bytes > h->budget || !(h->obj[o] = calloc(h->nt, sizeof(uint32_t)))) return -1;
        h->budget -= bytes;
    }
    vc_join(h->obj[o], clk(h, t), h->nt);
    clk(h, t)[t]++;
    return 0;
}

static void hb_acquire(hb *h, int32_t t, int32_t o) {
    if (h->obj[o]) vc_join(clk(h, t), h->obj[o], h->nt);
}

typedef struct races {
    const lv_trace *tr;
    flist *l;
    int32_t *rep;     /* per thread: its code place (stem_reps) */
    lv__pmap seen;    /* (var, unordered pair of places) already reported */
    lv__pmap readers; /* (var, thread) -> 1 + index in the var's readers */
} races;

/* One race per var and unordered pair of code places: the same two places racing again, in
 * either order, is the same mistake. */
static void report_race(races *rc, int32_t var, int32_t t1, uint8_t k1, uint32_t s1, int32_t t2,
                        uint8_t k2, uint32_t s2) {
    uint64_t p1 = (uint64_t)(uint32_t)rc->rep[t1] << 1 | (k1 == LV_EV_WRITE);
    uint64_t p2 = (uint64_t)(uint32_t)rc->rep[t2] << 1 | (k2 == LV_EV_WRITE);
    uint64_t lo = p1 < p2 ? p1 : p2, hi = p1 < p2 ? p2 : p1;
    int64_t *v = lv__pm_at(&rc->seen, (uint32_t)var, lo << 32 | hi, 1);
    if (!v) {
        rc->l->oom = 1;
        return;
    }
    if (*v) return;
    *v = 1;
    lv_finding *f = add_finding(rc->l, LV_FIND_RACE, LV_PAY_RACE);
    if (!f) return;
    f->data.race = (lv_race_info){var, {t1, s1, k1}, {t2, s2, k2}};
    put_thread(rc->l, f, t1);
    put_thread(rc->l, f, t2);
    put_object(rc->l, f, var);
    put_event(rc->l, f, s1);
    put_event(rc->l, f, s2);
}

static reader *reader_of(races *rc, varstate *v, int32_t var, int32_t t, int create) {
    int64_t *ix = lv__pm_at(&rc->readers, (uint32_t)var, (uint32_t)t, create);
    if (!ix) {
        if (create) rc->l->oom = 1;
        return NULL;
    }
    if (*ix) return &v->r[*ix - 1];
    if (v->nr == v->cr) {
        size_t c = v->cr ? v->cr * 2 : 4;
        reader *n = realloc(v->r, c * sizeof *n);
        if (!n) {
            rc->l->oom = 1;
            return NULL;
        }
        v->r = n;
        v->cr = c;
    }
    v->r[v->nr] = (reader){t, {0, 0}, 0};
    *ix = (int64_t)++v->nr;
    return &v->r[v->nr - 1];
}

static void find_races(const lv_trace *tr, flist *l) {
    size_t nt = tr->nthreads, no = tr->nobjects;
    if (!nt || !no) return;
    races rc = {tr, l, NULL, {0}, {0}};
    hb h = {nt, LV_ANALYSIS_CLOCK_BYTES, NULL, NULL, NULL, NULL};
    varstate *vs = NULL;
    int64_t *lost_count = NULL;
    size_t *lost_at = NULL;                      /* 1 + index of its finding; 0: none */
    if (nt > h.budget / sizeof(uint32_t) / nt) { /* the thread clocks alone are too large */
        l->oom = 1;
        return;
    }
    h.budget -= nt * nt * sizeof(uint32_t);
    h.c = calloc(nt * nt, sizeof(uint32_t));
    h.obj = calloc(no, sizeof(uint32_t *));
    h.joining = malloc(nt * sizeof(int32_t));
    h.ended = calloc(nt, 1);
    vs = calloc(no, sizeof *vs);
    lost_count = calloc(no, sizeof *lost_count);
    lost_at = calloc(no, sizeof *lost_at);
    rc.rep = stem_reps(tr);
    if (!h.c || !h.obj || !h.joining || !h.ended || !vs || !lost_count || !lost_at || !rc.rep) {
        l->oom = 1;
        goto done;
    }
    for (size_t t = 0; t < nt; t++) {
        clk(&h, (int32_t)t)[t] = 1;
        h.joining[t] = LV_NONE;
    }
    for (size_t o = 0; o < no; o++)
        vs[o].w_thread = LV_NONE;
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
                    report_race(&rc, e->obj, v->w_thread, LV_EV_WRITE, v->w.seq, t, LV_EV_READ,
                                e->seq);
                reader *r = reader_of(&rc, v, e->obj, t, 1);
                if (r) *r = (reader){t, {c[t], e->seq}, 0};
            }
            break;
        case LV_EV_WRITE: {
            if (ok != LV_OBJ_VAR) break; /* a gauge is the scenario's tally, not shared state */
            varstate *v = &vs[e->obj];
            uint32_t *c = clk(&h, t);
            if (v->w_thread != LV_NONE && v->w_thread != t && v->w.clock > c[v->w_thread])
                report_race(&rc, e->obj, v->w_thread, LV_EV_WRITE, v->w.seq, t, LV_EV_WRITE,
                            e->seq);
            /* a lost update: t read the var, another thread wrote it since, and t now writes
             * over that write, with neither t's read nor this write ordered with the other's
             * write by happens-before: t's write rests on a stale value and wipes the other's
             * out. Anything ordered by the program's synchronisation (two critical sections of
             * one lock, one for the read and one for the write; a blind overwrite after a whole
             * read-modify-write under the lock) is no lost update: the other thread's write
             * could only have come between. */
            reader *mine = reader_of(&rc, v, e->obj, t, 0);
            if (mine && mine->unordered && v->w_thread != LV_NONE && v->w_thread != t &&
                mine->a.seq < v->w.seq && v->w.clock > c[v->w_thread] &&
                lost_count[e->obj]++ == 0) {
                lv_finding *f = add_finding(l, LV_FIND_RACE, LV_PAY_LOST_UPDATE);
                if (f) {
                    f->data.lost = (lv_lost_info){e->obj,
                                                  {t, mine->a.seq, LV_EV_READ},
                                                  {v->w_thread, v->w.seq, LV_EV_WRITE},
                                                  {t, e->seq, LV_EV_WRITE},
                                                  0};
                    put_thread(l, f, t);
                    put_thread(l, f, v->w_thread);
                    put_object(l, f, e->obj);
                    put_event(l, f, mine->a.seq);
                    put_event(l, f, v->w.seq);
                    put_event(l, f, e->seq);
                    lost_at[e->obj] = l->n; /* f is the last finding added */
                }
            }
            for (size_t k = 0; k < v->nr; k++) {
                reader *r = &v->r[k];
                /* this write is now the var's last: is each read unordered with it? */
                r->unordered = r->thread != t && r->a.clock > c[r->thread];
                if (r->unordered)
                    report_race(&rc, e->obj, r->thread, LV_EV_READ, r->a.seq, t, LV_EV_WRITE,
                                e->seq);
            }
            v->w_thread = t;
            v->w = (access){c[t], e->seq};
            break;
        }
        default:
            break;
        }
    }
    for (size_t o = 0; o < no && !l->oom; o++) /* how many more updates were lost the same way */
        if (lost_count[o] > 1 && lost_at[o])
            l->a[lost_at[o] - 1].data.lost.more = (uint64_t)(lost_count[o] - 1);
done:
    if (h.obj)
        for (size_t o = 0; o < no; o++)
            free(h.obj[o]);
    if (vs)
        for (size_t o = 0; o < no; o++)
            free(vs[o].r);
    free(h.c);
    free(h.obj);
    free(h.joining);
    free(h.ended);
    free(vs);
    free(lost_count);
    free(lost_at);
    free(rc.rep);
    lv__pm_free(&rc.seen);
    lv__pm_free(&rc.readers);
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
    return k == LV_OBJ_MUTEX || k == LV_OBJ_RLOCK || k == LV_OBJ_RWLOCK;
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
    /* an rwlock is in the graph by its write holds only: read holds are shared */
    if (tr->objects[o].kind == LV_OBJ_RWLOCK && (ev->flags & LV_EVF_READ)) return;
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
    for (size_t r = 0; r < shown && !l->oom; r++) {
        const lo_cycle *c = &fd->c[rank[r].idx];
        const uint32_t *cyc = &fd->edges[c->off];
        /* the cycle as data; its words come from finding_text.c */
        lv_finding *f = add_finding(l, LV_FIND_LOCK_ORDER, LV_PAY_LOCK_ORDER);
        lv_order_edge *ed = f ? calloc(c->len, sizeof *ed) : NULL;
        if (f && !ed) l->oom = 1;
        if (ed) f->data.order.edges = ed, f->data.order.nedges = c->len;
        for (size_t k = 0; k < c->len && ed; k++) {
            const lo_edge *x = &e[cyc[k]];
            ed[k] = (lv_order_edge){x->thread, x->a, x->b, x->seq_a, x->seq_b};
        }
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
            lv_finding *f = add_finding(l, LV_FIND_LOCK_ORDER, LV_PAY_LOCK_ORDER);
            if (f) {
                f->data.order.more = fd->n - shown;
                f->data.order.listed = LO_MAX_FINDINGS;
                f->data.order.bound = truncated ? (uint32_t)LO_BUDGET : 0;
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
    int wait_read; /* the request is for a read hold of an rwlock */
} stuck;

typedef struct dl_state {
    stuck *th;
    int32_t *holder;   /* per object: lock holder */
    uint32_t *held_at; /* per object: the seq of the acquire that holder made */
    lv__pmap taken;    /* (object, thread) -> semaphore permits (rwlock read holds) it holds */
    lv__pmap read_at;  /* (rwlock, thread) -> 1 + the seq of its latest read acquire */
} dl_state;

/* A thread that holds a read hold of rwlock o: t itself if it does, else the lowest; LV_NONE */
static int32_t a_reader(const dl_state *s, int32_t o, int32_t t) {
    int64_t *mine = lv__pm_at((lv__pmap *)&s->taken, (uint32_t)o, (uint32_t)t, 0);
    if (mine && *mine > 0) return t;
    int32_t best = LV_NONE;
    for (size_t i = 0; i < s->taken.cap; i++) {
        const lv__pm_slot *x = &s->taken.s[i];
        if (x->used && x->v > 0 && x->a == (uint64_t)(uint32_t)o &&
            (best == LV_NONE || (int32_t)x->b < best))
            best = (int32_t)x->b;
    }
    return best;
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

static void find_deadlock(const lv_trace *tr, flist *l) {
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

    lv_finding *f = add_finding(l, LV_FIND_DEADLOCK, LV_PAY_DEADLOCK);
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
        put_thread(l, f, st->thread);
        put_object(l, f, st->obj);
        put_event(l, f, st->seq);
        if (st->holds != LV_NONE) put_event(l, f, st->acquired);
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
    for (size_t i = 0; i < l.n && !l.oom; i++) {
        /* a finding's events in trace order, and its words from its payload */
        if (l.a[i].nevents > 1) qsort(l.a[i].events, l.a[i].nevents, sizeof(uint32_t), cmp_u32);
        if (lv__finding_render(tr, &l.a[i]) != LV_OK) l.oom = 1;
    }
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
                fprintf(out, " %u", f[i].events[k] + 1); /* counted from 1, as in the messages */
            fputc('\n', out);
        }
        if (f[i].detail) fprintf(out, "%s\n", f[i].detail);
    }
}
