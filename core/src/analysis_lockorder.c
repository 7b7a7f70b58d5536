/* Analysis: lock-order inversions (potential deadlocks), lockdep-style: cycles in the graph of
 * "holding A, asks for B", except cycles with two edges under one gate. Polynomial and bounded:
 * it lists at most 16 cycles and counts the rest, and it can miss a cycle longer than 32 locks,
 * one whose only ungated route is not the first its greedy search finds, and any past its step
 * budget (see below). */
#include <stdlib.h>
#include <string.h>
#include "analysis.h"
#include "lockviz/lockviz.h"

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
        } else if (ev->kind == LV_EV_RELEASE && !(ev->flags & LV_EVF_REFUSED)) {
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
static void lo_report(const lv_trace *tr, lv__flist *l, const lo_edge *e, const lo_found *fd,
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
        lv_finding *f = lv__add_finding(l, LV_FIND_LOCK_ORDER, LV_PAY_LOCK_ORDER);
        lv_order_edge *ed = f ? calloc(c->len, sizeof *ed) : NULL;
        if (f && !ed) l->oom = 1;
        if (ed) f->data.order.edges = ed, f->data.order.nedges = c->len;
        for (size_t k = 0; k < c->len && ed; k++) {
            const lo_edge *x = &e[cyc[k]];
            ed[k] = (lv_order_edge){x->thread, x->a, x->b, x->seq_a, x->seq_b};
        }
        for (size_t k = 0; k < c->len; k++) {
            const lo_edge *x = &e[cyc[k]];
            lv__put_thread(l, f, x->thread);
            lv__put_object(l, f, x->a);
            lv__put_event(l, f, x->seq_a);
            lv__put_event(l, f, x->seq_b);
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
            lv_finding *f = lv__add_finding(l, LV_FIND_LOCK_ORDER, LV_PAY_LOCK_ORDER);
            if (f) {
                f->data.order.more = fd->n - shown;
                f->data.order.listed = LO_MAX_FINDINGS;
                f->data.order.bound = truncated ? (uint32_t)LO_BUDGET : 0;
                for (size_t i = 0; i < nts; i++)
                    lv__put_thread(l, f, ts[i]);
                for (size_t i = 0; i < nos; i++)
                    lv__put_object(l, f, os[i]);
            }
        }
        free(tm);
        free(om);
        free(ts);
        free(os);
    }
    free(rank);
}

static void lo_find_cycles(const lv_trace *tr, lv__flist *l, lo_graph *g) {
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

void lv__find_lock_order(const lv_trace *tr, lv__flist *l) {
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
