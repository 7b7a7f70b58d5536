/* The tracer: each thread appends events to its own chunked buffer (no lock shared between
 * threads), and at the end of a run the buffers are merged into one trace ordered by time.
 * It does not decide what an event means; the primitives stamp and emit, analysis reads. */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "internal.h"

/* Writes one byte in every page of [p, p + len): the kernel zero-fills them now, outside any
 * critical section, instead of at the first record that lands in each. */
static void touch_pages(void *p, size_t len) {
    volatile char *c = p;
    for (size_t off = 0; off < len; off += 4096)
        c[off] = 0;
}

static lv__chunk *chunk_new(uint32_t cap) {
    lv__chunk *c = NULL;
    size_t bytes = sizeof *c + (size_t)cap * sizeof(lv__rec);
    if (cap == LV__CHUNK_MAX) {
        void *p = NULL;
        if (posix_memalign(&p, LV__HUGE, LV__HUGE) != 0) return NULL;
        madvise(p, LV__HUGE, MADV_HUGEPAGE); /* a hint: without huge pages it still works */
#ifdef MADV_POPULATE_WRITE
        if (madvise(p, LV__HUGE, MADV_POPULATE_WRITE) != 0) touch_pages(p, LV__HUGE);
#else
        touch_pages(p, LV__HUGE);
#endif
        c = p;
    } else {
        c = malloc(bytes);
        if (!c) return NULL;
        touch_pages(c, bytes);
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
    free(b->spare);
    lv__chunk *c = b->head;
    while (c) {
        lv__chunk *n = c->next;
        free(c);
        c = n;
    }
    for (uint32_t i = 0; i < b->ntexts; i++)
        free(b->texts[i]);
    free(b->texts);
    memset(b, 0, sizeof *b);
}

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
} cursor;

static const lv_event *cur_peek(const cursor *k) {
    return k->done ? NULL : &k->ev;
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
    const lv__rec *r = &k->c->ev[k->i++];
    lv_event *e = &k->ev;
    e->t = r->t;
    e->seq = 0;
    e->thread = k->thread;
    e->obj = r->obj;
    e->flags = (uint8_t)(r->flags & ~LV__RF_MASK);
    e->reserved_ = 0;
    e->value = r->small;
    if (r->flags & LV__RF_WIDE) memcpy(&e->value, &k->c->ev[k->i++], sizeof e->value);
    if (!(e->flags & (LV_EVF_VALUE | LV_EVF_TEXT))) e->value = 0;
    if (e->flags & LV_EVF_TEXT) e->value += k->text_base;
    if (r->flags & LV__RF_REQ) {
        /* the request first: no value; the acquire (with the record's value) comes next */
        e->kind = LV_EV_REQUEST;
        k->acq_pending = 1;
        k->acq_value = e->value;
        k->acq_flags = e->flags;
        e->value = 0;
        e->flags = 0;
    } else {
        e->kind = r->kind;
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

/* Each buffer is already in time order (stamps never go back within a thread), so a k-way
 * merge by (t, thread) gives one order in which every thread's own order is intact and every
 * causally later event (stamped strictly after its cause) comes after its cause. A binary heap
 * keeps the merge O(n log k). */
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
    if (!ev || !texts || !cur || !ha) goto fail;

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
    return LV_ENOMEM;
}
