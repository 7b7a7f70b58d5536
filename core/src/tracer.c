/* The tracer: each thread appends events to its own chunked buffer (no lock shared between
 * threads), and at the end of a run the buffers are merged into one trace ordered by time.
 * It does not decide what an event means; the primitives stamp and emit, analysis reads. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

/* Large chunks (2 MiB) freed at the end of a run are kept for the next run of the process, up
 * to LV__POOL_CHUNKS of them: the kernel zero-fills every fresh page, which costs a recording
 * thread 0.1 ms a chunk when it gets a huge page and 0.7 ms when it does not (1.5 to 11 ns a
 * lock+unlock pair), and which a process would pay again at every later run with a long trace
 * (a thread's buffer reaches 2 MiB chunks after about 131k records: a benchmark's rounds, the
 * window's reruns of a long run). A kept chunk's pages are already there. */
#define LV__POOL_CHUNKS 32 /* 64 MiB */
/* Under ThreadSanitizer nothing is kept: the pool's lock would order unrelated threads for it. */
#if defined(__SANITIZE_THREAD__)
#define LV__POOL_OFF 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define LV__POOL_OFF 1
#endif
#endif
#ifndef LV__POOL_OFF
#define LV__POOL_OFF 0
#endif
static pthread_mutex_t pool_mu = PTHREAD_MUTEX_INITIALIZER;
static lv__chunk *pool;
static unsigned pool_n;

static lv__chunk *pool_take(void) {
    pthread_mutex_lock(&pool_mu);
    lv__chunk *c = pool;
    if (c) {
        pool = c->next;
        pool_n--;
    }
    pthread_mutex_unlock(&pool_mu);
    return c;
}

unsigned lv__pool_kept(void) {
    pthread_mutex_lock(&pool_mu);
    unsigned n = pool_n;
    pthread_mutex_unlock(&pool_mu);
    return n;
}

/* Frees every kept chunk (when memory runs out). */
static void pool_drain(void) {
    lv__chunk *c;
    while ((c = pool_take()) != NULL)
        free(c);
}

/* Frees a chunk, or keeps it in the pool when it is a large one and there is room. */
static void chunk_free(lv__chunk *c) {
    if (c->cap == LV__CHUNK_MAX) {
        pthread_mutex_lock(&pool_mu);
        int keep = !LV__POOL_OFF && pool_n < LV__POOL_CHUNKS;
        if (keep) {
            c->next = pool;
            pool = c;
            pool_n++;
        }
        pthread_mutex_unlock(&pool_mu);
        if (keep) return;
    }
    free(c);
}

static lv__chunk *chunk_new(uint32_t cap) {
    lv__chunk *c = NULL;
    size_t bytes = sizeof *c + (size_t)cap * sizeof(lv__rec);
    if (cap == LV__CHUNK_MAX) {
        if (!(c = pool_take())) {
            void *p = NULL;
            if (posix_memalign(&p, LV__HUGE, LV__HUGE) != 0) return NULL;
            lv__mem_populate(p, LV__HUGE, 1);
            c = p;
        }
    } else {
        c = malloc(bytes);
        if (!c) {
            pool_drain(); /* the kept chunks give their memory back, and it is tried again */
            if (!(c = malloc(bytes))) return NULL;
        }
        lv__mem_populate(c, bytes, 0); /* its pages now, not at its first records */
    }
    c->next = NULL;
    c->n = 0;
    c->cap = cap;
    return c;
}

static uint32_t next_cap(const lv__buf *b) {
    if (!b->tail) return LV__CHUNK_MIN;
    return b->tail->cap >= LV__CHUNK_MAX / 2 ? LV__CHUNK_MAX : b->tail->cap * 2;
}

int lv__buf_grow(lv__buf *b, uint32_t need) {
    if (b->tail && b->tail->cap - b->tail->n >= need) return 0;
    lv__chunk *c = b->spare;
    b->spare = NULL;
    if (!c && !(c = chunk_new(next_cap(b)))) return -1;
    if (b->tail)
        b->tail->next = c;
    else
        b->head = c;
    b->tail = c;
    b->mark = c->cap / 2; /* then lv__reserve makes the spare */
    return 0;
}

void lv__buf_prepare(lv__buf *b) {
    if (!b->tail || b->tail->cap - b->tail->n < LV__SLACK) {
        lv__buf_grow(b, LV__SLACK); /* on failure the emits count what they drop */
        return;
    }
    if (!b->spare) b->spare = chunk_new(next_cap(b));
    b->mark = b->tail->cap - LV__SLACK;
}

void lv__emit_text(lv_thread *self, int64_t t, const char *text, uint8_t flags) {
    if (self->run->trace_off) return;
    lv__buf *b = &self->buf;
    if (b->ntexts == b->captexts) {
        uint32_t cap = b->captexts ? b->captexts * 2 : 16;
        char **nt = realloc(b->texts, cap * sizeof *nt);
        if (!nt) {
            b->dropped++;
            return;
        }
        b->texts = nt;
        b->captexts = cap;
    }
    char *copy = strdup(text);
    if (!copy || lv__buf_grow(b, 1) != 0) {
        free(copy);
        b->dropped++;
        return;
    }
    b->texts[b->ntexts] = copy;
    /* the value is the text's index: the merge rebases it on the trace's text table */
    lv__emit_rec(self, t, LV_EV_NOTE, LV_NONE, 0, b->ntexts++, (uint8_t)(LV_EVF_TEXT | flags), 1);
}

void lv__buf_free(lv__buf *b) {
    if (b->spare) chunk_free(b->spare);
    lv__chunk *c = b->head;
    while (c) {
        lv__chunk *n = c->next;
        chunk_free(c);
        c = n;
    }
    for (uint32_t i = 0; i < b->ntexts; i++)
        free(b->texts[i]);
    free(b->texts);
    memset(b, 0, sizeof *b);
}

/* The acquisitions of each lock, by number: where each acquire's time is, so that the merge can
 * put the release before it (see lv__tracer_merge). */
typedef struct acq_table {
    int64_t **t; /* t[obj][n]: the time of the lock's n-th acquisition; INT64_MAX: none */
    uint32_t *n; /* acquisitions numbered per object */
    size_t nobjs;
} acq_table;

/* A cursor over one thread's buffer during the merge: ev is the event it stands at, expanded
 * from the records (a request and acquire record gives the request, then the acquire). */
typedef struct cursor {
    lv_event ev;
    lv__chunk *c;
    uint32_t i;        /* the next record in c */
    int done;          /* no event left */
    int acq_pending;   /* ev is the request half of a request and acquire record */
    int64_t acq_value; /* then the acquire's value and flags */
    uint8_t acq_flags;
    int32_t thread;     /* this buffer's thread */
    uint32_t text_base; /* where this thread's texts start in the trace's text table */
    int64_t last_t;     /* the time of the event before ev */
    const acq_table *acq;
} cursor;

static const lv_event *cur_peek(const cursor *k) {
    return k->done ? NULL : &k->ev;
}

/* A record's time, object, kind, flags and value, and its acquisition number (-1: none). */
typedef struct rec_view {
    int64_t t, value, seq;
    int32_t obj;
    uint8_t kind, flags;
} rec_view;

/* Reads the record at c->ev[*i] (and its second record, if any) and steps past it. */
static rec_view rec_read(const lv__chunk *c, uint32_t *i) {
    const lv__rec *r = &c->ev[(*i)++];
    rec_view v;
    v.kind = (uint8_t)(r->tkf & 0xff);
    v.flags = (uint8_t)(r->tkf >> 8 & 0xff);
    v.t = (int64_t)(r->tkf >> 16);
    v.obj = r->obj;
    v.seq = (v.flags & LV__RF_SEQ) ? (int64_t)(uint32_t)r->aux : -1;
    v.value = (v.flags & LV__RF_SEQ) ? 0 : r->aux;
    if (v.flags & LV__RF_WIDE) {
        int64_t full[2];
        memcpy(full, &c->ev[(*i)++], sizeof full);
        v.t = full[0];
        v.value = full[1];
    }
    return v;
}

/* Loads the record at the cursor into ev and steps past it. */
static void cur_load(cursor *k) {
    while (k->c && k->i == k->c->n) {
        k->c = k->c->next;
        k->i = 0;
    }
    if (!k->c) {
        k->done = 1;
        return;
    }
    rec_view r = rec_read(k->c, &k->i);
    lv_event *e = &k->ev;
    e->t = r.t;
    e->seq = 0;
    e->thread = k->thread;
    e->obj = r.obj;
    e->flags = (uint8_t)(r.flags & ~LV__RF_MASK);
    e->reserved_ = 0;
    e->value = (e->flags & (LV_EVF_VALUE | LV_EVF_TEXT)) ? r.value : 0;
    if (e->flags & LV_EVF_TEXT) e->value += k->text_base;
    if (r.kind == LV_EV_RELEASE && r.seq >= 0 && (size_t)r.obj < k->acq->nobjs &&
        (uint64_t)r.seq + 1 < k->acq->n[r.obj]) {
        /* stamped after the unlock: if that reads later than the acquire it enabled, the
         * release takes the time just before that acquire (never before this thread's last
         * event, which the acquire is stamped after) */
        int64_t next = k->acq->t[r.obj][r.seq + 1];
        if (next != INT64_MAX && e->t >= next) e->t = next - 1;
        if (e->t < k->last_t) e->t = k->last_t;
    }
    k->last_t = e->t;
    if (r.flags & LV__RF_REQ) {
        /* the request first: no value; the acquire (with the record's value) comes next */
        e->kind = LV_EV_REQUEST;
        k->acq_pending = 1;
        k->acq_value = e->value;
        k->acq_flags = e->flags;
        e->value = 0;
        e->flags = 0;
    } else {
        e->kind = r.kind;
    }
}

static void cur_next(cursor *k) {
    if (k->acq_pending) {
        k->acq_pending = 0;
        k->ev.kind = LV_EV_ACQUIRE;
        k->ev.value = k->acq_value;
        k->ev.flags = k->acq_flags;
        return;
    }
    cur_load(k);
}

/* Fills the table from every buffer's acquire records: two passes, one to size it. */
static int acq_table_build(lv__run *run, acq_table *a) {
    a->nobjs = run->nobjs;
    a->n = calloc(a->nobjs ? a->nobjs : 1, sizeof *a->n);
    a->t = calloc(a->nobjs ? a->nobjs : 1, sizeof *a->t);
    if (!a->n || !a->t) return -1;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < run->nthreads; i++) {
            for (const lv__chunk *c = run->threads[i]->buf.head; c; c = c->next) {
                for (uint32_t j = 0; j < c->n;) {
                    rec_view r = rec_read(c, &j);
                    if (r.kind != LV_EV_ACQUIRE || r.seq < 0 || (size_t)r.obj >= a->nobjs) continue;
                    if (pass == 0) {
                        if ((uint64_t)r.seq + 1 > a->n[r.obj]) a->n[r.obj] = (uint32_t)r.seq + 1;
                    } else {
                        a->t[r.obj][r.seq] = r.t;
                    }
                }
            }
        }
        if (pass == 1) break;
        for (size_t o = 0; o < a->nobjs; o++) {
            if (!a->n[o]) continue;
            if (!(a->t[o] = malloc(a->n[o] * sizeof *a->t[o]))) return -1;
            for (uint32_t j = 0; j < a->n[o]; j++)
                a->t[o][j] = INT64_MAX; /* not recorded (dropped) */
        }
    }
    return 0;
}

static void acq_table_free(acq_table *a) {
    for (size_t o = 0; a->t && o < a->nobjs; o++)
        free(a->t[o]);
    free(a->t);
    free(a->n);
}

/* Each buffer is already in time order (stamps never go back within a thread), so a k-way
 * merge by (t, thread) gives one order in which every thread's own order is intact and every
 * causally later event (stamped strictly after its cause) comes after its cause. A lock's
 * release is the one event stamped after what it enables (after the unlock, to keep the
 * critical section free of clock reads): each release knows which acquisition it ends, and
 * when its time reads later than the next acquisition's it takes the time just before it.
 * The next acquire is stamped strictly after everything its releaser recorded before the
 * unlock, so this never goes back past the releaser's own earlier events, and no other
 * event's time changes. A binary heap keeps the merge O(n log k). */
typedef struct heap {
    cursor **a;
    size_t n;
} heap;

static int cur_less(const cursor *x, const cursor *y) {
    if (x->ev.t != y->ev.t) return x->ev.t < y->ev.t;
    return x->thread < y->thread;
}

static void heap_down(heap *h, size_t i) {
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < h->n && cur_less(h->a[l], h->a[m])) m = l;
        if (r < h->n && cur_less(h->a[r], h->a[m])) m = r;
        if (m == i) return;
        cursor *tmp = h->a[i];
        h->a[i] = h->a[m];
        h->a[m] = tmp;
        i = m;
    }
}

lv_err lv__tracer_merge(lv__run *run, lv_trace *tr) {
    size_t total = 0, ntexts = 0;
    uint64_t dropped = 0;
    for (size_t i = 0; i < run->nthreads; i++) {
        total += run->threads[i]->buf.count;
        ntexts += run->threads[i]->buf.ntexts;
        dropped += run->threads[i]->buf.dropped;
    }
    if (total > UINT32_MAX) return LV_ERANGE;
    lv_event *ev = malloc((total ? total : 1) * sizeof *ev);
    char **texts = malloc((ntexts ? ntexts : 1) * sizeof *texts);
    cursor *cur = calloc(run->nthreads ? run->nthreads : 1, sizeof *cur);
    cursor **ha = malloc((run->nthreads ? run->nthreads : 1) * sizeof *ha);
    acq_table acq = {0};
    if (!ev || !texts || !cur || !ha) goto fail;
    if (acq_table_build(run, &acq) != 0) goto fail;

    heap h = {ha, 0};
    uint32_t tb = 0;
    for (size_t i = 0; i < run->nthreads; i++) {
        lv__buf *b = &run->threads[i]->buf;
        cur[i].text_base = tb;
        for (uint32_t j = 0; j < b->ntexts; j++) {
            texts[tb + j] = b->texts[j];
            b->texts[j] = NULL; /* the trace owns it now */
        }
        tb += b->ntexts;
        b->ntexts = 0;
        cur[i].c = b->head;
        cur[i].thread = run->threads[i]->id;
        cur[i].acq = &acq;
        cur[i].last_t = INT64_MIN;
        cur_load(&cur[i]);
        if (!cur[i].done) h.a[h.n++] = &cur[i];
    }
    for (size_t i = h.n; i-- > 0;)
        heap_down(&h, i);

    size_t k = 0;
    while (h.n) {
        cursor *c = h.a[0];
        if (k == total) break; /* cannot happen: the counts were taken from the same buffers */
        ev[k] = c->ev;
        ev[k].seq = (uint32_t)k;
        k++;
        cur_next(c);
        if (!cur_peek(c)) h.a[0] = h.a[--h.n];
        if (h.n) heap_down(&h, 0);
    }
    free(cur);
    free(ha);
    acq_table_free(&acq);
    tr->events = ev;
    tr->nevents = k;
    tr->texts = texts;
    tr->ntexts = ntexts;
    tr->dropped = dropped;
    return LV_OK;
fail:
    free(ev);
    free(texts);
    free(cur);
    free(ha);
    acq_table_free(&acq);
    return LV_ENOMEM;
}
