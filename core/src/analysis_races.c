/* Analysis: data races and lost updates on lv_vars, from happens-before (vector clocks over
 * locks, semaphores, events, conditions, spawns and joins). Does not see memory that is not an
 * lv_var, and has no source locations: threads of one name stem count as one code place. */
#include <stdlib.h>
#include <string.h>
#include "analysis.h"
#include "lockviz/lockviz.h"
#include "pairmap.h"

/* The most memory the vector clocks may take (threads x threads, plus one clock per object
 * that synchronises): a trace that needs more is refused with LV_ENOMEM before anything is
 * allocated, in every build (a sanitizer's allocator aborts on a request this large). */
#ifndef LV_ANALYSIS_CLOCK_BYTES
#define LV_ANALYSIS_CLOCK_BYTES ((size_t)1 << 30)
#endif

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
    lv__flist *l;
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
    lv_finding *f = lv__add_finding(rc->l, LV_FIND_RACE, LV_PAY_RACE);
    if (!f) return;
    f->data.race = (lv_race_info){var, {t1, s1, k1}, {t2, s2, k2}};
    lv__put_thread(rc->l, f, t1);
    lv__put_thread(rc->l, f, t2);
    lv__put_object(rc->l, f, var);
    lv__put_event(rc->l, f, s1);
    lv__put_event(rc->l, f, s2);
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

void lv__find_races(const lv_trace *tr, lv__flist *l) {
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
            if (e->flags & LV_EVF_REFUSED) break; /* an unlock refused orders nothing */
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
                lv_finding *f = lv__add_finding(l, LV_FIND_RACE, LV_PAY_LOST_UPDATE);
                if (f) {
                    f->data.lost = (lv_lost_info){e->obj,
                                                  {t, mine->a.seq, LV_EV_READ},
                                                  {v->w_thread, v->w.seq, LV_EV_WRITE},
                                                  {t, e->seq, LV_EV_WRITE},
                                                  0};
                    lv__put_thread(l, f, t);
                    lv__put_thread(l, f, v->w_thread);
                    lv__put_object(l, f, e->obj);
                    lv__put_event(l, f, mine->a.seq);
                    lv__put_event(l, f, v->w.seq);
                    lv__put_event(l, f, e->seq);
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
