/* Analysis: findings computed from a trace's events alone (see docs/findings.md).
 * Detects: data races on vars from happens-before (vector clocks) and lost updates; lock-order
 * inversions (cycles in the lock-order graph, gate-locked ones excepted); deadlocks of runs
 * that ended "deadlocked", as a cycle of holders and waiters or the list of stuck waits;
 * failed scenario checks (invariant); and misuse of primitives, by replaying each object.
 * Each finding is built as data (its payload); its words come from finding_text.c, once, at
 * the end. Does not see memory that is not an lv_var, and has no source locations. */
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
    uint8_t consumed; /* the thread has written the var since: its next write is not based on a */
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
            varstate *v = &vs[e->obj];
            uint32_t *c = clk(&h, t);
            if (v->w_thread != LV_NONE && v->w_thread != t && v->w.clock > c[v->w_thread])
                report_race(&rc, e->obj, v->w_thread, LV_EV_WRITE, v->w.seq, t, LV_EV_WRITE,
                            e->seq);
            /* a lost update: t writes on the strength of a read that another thread's write has
             * since made stale, and so wipes that write out. The write must be t's first since
             * that read: once t has written its read-modify-write back, a later write of t's is
             * not based on that read (a blind overwrite), whatever came between. */
            reader *mine = reader_of(&rc, v, e->obj, t, 0);
            if (mine && !mine->consumed && v->w_thread != LV_NONE && v->w_thread != t &&
                mine->a.seq < v->w.seq && lost_count[e->obj]++ == 0) {
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
            if (mine) mine->consumed = 1;
            for (size_t k = 0; k < v->nr; k++) {
                reader *r = &v->r[k];
                if (r->thread != t && r->a.clock > c[r->thread])
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

/* An edge A -> B: some thread acquired B by a call that could block forever while it held A.
 * A trylock or a timed acquire adds none (it cannot wait forever), nor does an RLock re-entry.
 * gate: the locks held at every such acquisition besides A; a cycle whose edges all share a
 * gate lock G cannot close (two threads would both have to hold G), so it is not reported. */
typedef struct oedge {
    int32_t a, b;
    int32_t thread;
    uint32_t seq_a, seq_b; /* the first time: when A was taken, and when B was */
    int32_t *gate;
    size_t ngate;
} oedge;

typedef struct held {
    int32_t obj;
    uint32_t seq;
} held;

static oedge *edge_find(oedge *e, size_t n, int32_t a, int32_t b) {
    for (size_t i = 0; i < n; i++)
        if (e[i].a == a && e[i].b == b) return &e[i];
    return NULL;
}

typedef struct cycles {
    const lv_trace *tr;
    flist *l;
    oedge *e;
    size_t ne;
    size_t *path; /* edge indices */
    size_t depth;
    uint8_t *on_path; /* per object */
    int32_t start;
    int reported;
} cycles;

static int cycle_gated(const cycles *cy) {
    const oedge *first = &cy->e[cy->path[0]];
    for (size_t g = 0; g < first->ngate; g++) {
        int32_t gate = first->gate[g];
        int everywhere = 1;
        for (size_t k = 1; k < cy->depth && everywhere; k++) {
            const oedge *x = &cy->e[cy->path[k]];
            int found = 0;
            for (size_t j = 0; j < x->ngate; j++)
                found |= x->gate[j] == gate;
            everywhere = found;
        }
        if (everywhere) return 1;
    }
    return 0;
}

static void report_cycle(cycles *cy) {
    if (cycle_gated(cy) || cy->reported >= 64) return;
    cy->reported++;
    lv_finding *f = add_finding(cy->l, LV_FIND_LOCK_ORDER, LV_PAY_LOCK_ORDER);
    lv_order_edge *ed = f ? calloc(cy->depth, sizeof *ed) : NULL;
    if (f && !ed) cy->l->oom = 1;
    if (ed) f->data.order = (lv_order_info){ed, cy->depth};
    for (size_t k = 0; k < cy->depth; k++) {
        const oedge *x = &cy->e[cy->path[k]];
        if (ed) ed[k] = (lv_order_edge){x->thread, x->a, x->b, x->seq_a, x->seq_b};
        put_thread(cy->l, f, x->thread);
        put_object(cy->l, f, x->a);
        put_event(cy->l, f, x->seq_a);
        put_event(cy->l, f, x->seq_b);
    }
}

/* Every elementary cycle once: from its smallest lock, through larger ones only. */
static void cycle_dfs(cycles *cy, int32_t at) {
    if (cy->depth >= 16) return;
    for (size_t i = 0; i < cy->ne; i++) {
        const oedge *x = &cy->e[i];
        if (x->a != at || x->b < cy->start) continue;
        cy->path[cy->depth++] = i;
        if (x->b == cy->start)
            report_cycle(cy);
        else if (!cy->on_path[x->b]) {
            cy->on_path[x->b] = 1;
            cycle_dfs(cy, x->b);
            cy->on_path[x->b] = 0;
        }
        cy->depth--;
    }
}

static void find_lock_order(const lv_trace *tr, flist *l) {
    size_t nt = tr->nthreads, no = tr->nobjects;
    if (!nt || !no) return;
    held **hs = calloc(nt, sizeof *hs);
    size_t *nh = calloc(nt, sizeof *nh), *ch = calloc(nt, sizeof *ch);
    oedge *e = NULL;
    size_t ne = 0, ce = 0;
    cycles cy = {0};
    if (!hs || !nh || !ch) {
        l->oom = 1;
        goto done;
    }
    for (size_t i = 0; i < tr->nevents && !l->oom; i++) {
        const lv_event *ev = &tr->events[i];
        if (ev->obj == LV_NONE) continue;
        lv_obj_kind k = tr->objects[ev->obj].kind;
        if (k != LV_OBJ_MUTEX && k != LV_OBJ_RLOCK) continue;
        int32_t t = ev->thread;
        int reentry = 0;
        for (size_t j = 0; j < nh[t]; j++)
            reentry |= hs[t][j].obj == ev->obj;
        if (ev->kind == LV_EV_REQUEST) {
            /* the dependency exists as soon as a thread holding A waits for B, whether or not
             * it ever gets B (in a deadlocked run it does not) */
            int blocking = !(ev->flags & LV_EVF_VALUE) || ev->value < 0;
            if (blocking && !reentry) {
                for (size_t j = 0; j < nh[t]; j++) {
                    int32_t a = hs[t][j].obj;
                    oedge *x = edge_find(e, ne, a, ev->obj);
                    if (!x) {
                        if (ne == ce) {
                            ce = ce ? ce * 2 : 16;
                            oedge *n2 = realloc(e, ce * sizeof *n2);
                            if (!n2) {
                                l->oom = 1;
                                break;
                            }
                            e = n2;
                        }
                        x = &e[ne++];
                        *x = (oedge){a, ev->obj, t, hs[t][j].seq, ev->seq, NULL, 0};
                        x->gate = malloc((nh[t] ? nh[t] : 1) * sizeof *x->gate);
                        if (!x->gate) {
                            l->oom = 1;
                            break;
                        }
                        for (size_t g = 0; g < nh[t]; g++)
                            if (hs[t][g].obj != a) x->gate[x->ngate++] = hs[t][g].obj;
                    } else {
                        /* keep only the gates held at this acquisition too */
                        size_t kept = 0;
                        for (size_t g = 0; g < x->ngate; g++) {
                            int still = 0;
                            for (size_t h2 = 0; h2 < nh[t]; h2++)
                                still |= hs[t][h2].obj == x->gate[g] && x->gate[g] != a;
                            if (still) x->gate[kept++] = x->gate[g];
                        }
                        x->ngate = kept;
                    }
                }
            }
        } else if (ev->kind == LV_EV_ACQUIRE) {
            if (reentry) continue; /* an RLock's re-entry (or a misuse reported elsewhere) */
            if (nh[t] == ch[t]) {
                ch[t] = ch[t] ? ch[t] * 2 : 4;
                held *n2 = realloc(hs[t], ch[t] * sizeof *n2);
                if (!n2) {
                    l->oom = 1;
                    break;
                }
                hs[t] = n2;
            }
            hs[t][nh[t]++] = (held){ev->obj, ev->seq};
        } else if (ev->kind == LV_EV_RELEASE) {
            int whole = k == LV_OBJ_MUTEX || !(ev->flags & LV_EVF_VALUE) || ev->value <= 0;
            if (!whole) continue;
            /* released by whoever holds it (a Lock may be released by another thread) */
            for (size_t u = 0; u < nt; u++)
                for (size_t j = 0; j < nh[u]; j++)
                    if (hs[u][j].obj == ev->obj && (u == (size_t)t || k == LV_OBJ_MUTEX)) {
                        hs[u][j] = hs[u][--nh[u]];
                        break;
                    }
        }
    }
    if (l->oom || ne < 2) goto done;
    cy = (cycles){tr, l, e, ne, malloc(16 * sizeof(size_t)), 0, calloc(no, 1), 0, 0};
    if (!cy.path || !cy.on_path) {
        l->oom = 1;
        goto done;
    }
    for (size_t s = 0; s < no; s++) {
        cy.start = (int32_t)s;
        cy.on_path[s] = 1;
        cycle_dfs(&cy, (int32_t)s);
        cy.on_path[s] = 0;
    }
done:
    free(cy.path);
    free(cy.on_path);
    for (size_t i = 0; i < ne; i++)
        free(e[i].gate);
    free(e);
    if (hs)
        for (size_t t = 0; t < nt; t++)
            free(hs[t]);
    free(hs);
    free(nh);
    free(ch);
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
    lv__pmap taken;    /* (object, thread) -> semaphore permits the thread holds */
} dl_state;

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
            if (k == LV_OBJ_SEMAPHORE || k == LV_OBJ_BOUNDED_SEMAPHORE) {
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
        if (kind == LV_OBJ_MUTEX || kind == LV_OBJ_RLOCK) {
            if (s->holder[w->obj] == LV_NONE) continue;
            if (!(w->held_by = malloc(sizeof *w->held_by)))
                rc = -1;
            else
                w->held_by[w->nheld_by++] = s->holder[w->obj];
        } else if (kind == LV_OBJ_SEMAPHORE || kind == LV_OBJ_BOUNDED_SEMAPHORE) {
            size_t lo = 0, hi = np; /* the first permit of w->obj */
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
    dl_state s = {
        calloc(nt, sizeof *s.th), calloc(no, sizeof *s.holder), calloc(no, sizeof *s.held_at), {0}};
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
            if (held != LV_NONE && s.holder[held] == th) {
                st->holds = held;
                st->acquired = s.held_at[held];
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
    free(cyc);
    free(mark);
}

static int cmp_u32(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

lv_err lv_analyze(const lv_trace *tr, lv_finding **out, size_t *n) {
    flist l = {0};
    find_deadlock(tr, &l);
    find_races(tr, &l);
    find_lock_order(tr, &l);
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
                fprintf(out, " %u", f[i].events[k]);
            fputc('\n', out);
        }
        if (f[i].detail) fprintf(out, "%s\n", f[i].detail);
    }
}
