/* Analysis: findings computed from a trace's events alone (see docs/findings.md).
 * Detects: data races on vars from happens-before (vector clocks) and lost updates; lock-order
 * inversions (cycles in the lock-order graph, gate-locked ones excepted); deadlocks of runs
 * that ended "deadlocked", as a cycle of holders and waiters or the list of stuck waits;
 * failed scenario checks (invariant); and misuse of primitives, by replaying each object.
 * Does not see memory that is not an lv_var, and has no source locations. */
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
    const lv_trace *tr = cy->tr;
    int one_thread = 1;
    for (size_t k = 1; k < cy->depth; k++)
        one_thread &= cy->e[cy->path[k]].thread == cy->e[cy->path[0]].thread;
    char buf[4096];
    size_t len = (size_t)snprintf(buf, sizeof buf, "Lock-order inversion:");
    for (size_t k = 0; k < cy->depth && len < sizeof buf - 256; k++) {
        const oedge *x = &cy->e[cy->path[k]];
        len += (size_t)snprintf(buf + len, sizeof buf - len, "%s %s takes %s then %s (seq %u, %u)",
                                k ? ";" : "", lv_trace_thread_name(tr, x->thread),
                                tr->objects[x->a].name, tr->objects[x->b].name, x->seq_a, x->seq_b);
    }
    lv_finding *f = add(cy->l, LV_FIND_LOCK_ORDER,
                        "%s. If %s at the same time, each can hold its first lock and wait for "
                        "the next one forever: a deadlock waiting to happen, even if this run "
                        "finished.",
                        buf, one_thread ? "two threads ran this code" : "they run");
    for (size_t k = 0; k < cy->depth; k++) {
        const oedge *x = &cy->e[cy->path[k]];
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
    flist l = {0};
    find_deadlock(tr, &l);
    find_races(tr, &l);
    find_lock_order(tr, &l);
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
