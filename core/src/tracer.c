/* The tracer: each thread appends events to its own chunked buffer (no lock shared between
 * threads), and at the end of a run the buffers are merged into one trace ordered by time.
 * It does not decide what an event means; the primitives stamp and emit, analysis reads. */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "internal.h"

static lv__chunk *chunk_new(uint32_t cap) {
    lv__chunk *c = NULL;
    if (cap == LV__CHUNK_MAX) {
        void *p = NULL;
        if (posix_memalign(&p, LV__HUGE, LV__HUGE) != 0) return NULL;
        madvise(p, LV__HUGE, MADV_HUGEPAGE); /* a hint: without huge pages it still works */
        c = p;
    } else {
        c = malloc(sizeof *c + (size_t)cap * sizeof(lv_event));
        if (!c) return NULL;
    }
    c->next = NULL;
    c->n = 0;
    c->cap = cap;
    return c;
}

lv_event *lv__buf_grow(lv__buf *b) {
    if (!b->tail || b->tail->n == b->tail->cap) {
        uint32_t cap = LV__CHUNK_MIN;
        if (b->tail) cap = b->tail->cap >= LV__CHUNK_MAX / 2 ? LV__CHUNK_MAX : b->tail->cap * 2;
        lv__chunk *c = chunk_new(cap);
        if (!c) {
            b->dropped++; /* said in the trace ("dropped") and by every command that prints it */
            return NULL;
        }
        if (b->tail)
            b->tail->next = c;
        else
            b->head = c;
        b->tail = c;
    }
    b->count++;
    return &b->tail->ev[b->tail->n++];
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
    if (!copy) {
        b->dropped++;
        return;
    }
    lv_event *e = lv__buf_grow(b);
    if (!e) {
        free(copy);
        return;
    }
    b->texts[b->ntexts] = copy;
    e->t = t;
    e->value = b->ntexts++;
    e->seq = 0;
    e->thread = self->id;
    e->obj = LV_NONE;
    e->kind = LV_EV_NOTE;
    e->flags = (uint8_t)(LV_EVF_TEXT | flags);
    e->reserved_ = 0;
}

void lv__buf_free(lv__buf *b) {
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

/* A cursor over one thread's buffer during the merge. */
typedef struct cursor {
    lv__chunk *c;
    uint32_t i;
    uint32_t text_base; /* where this thread's texts start in the trace's text table */
} cursor;

static const lv_event *cur_peek(const cursor *k) {
    return k->c ? &k->c->ev[k->i] : NULL;
}

static void cur_next(cursor *k) {
    if (++k->i == k->c->n) {
        k->c = k->c->next;
        k->i = 0;
        while (k->c && k->c->n == 0)
            k->c = k->c->next;
    }
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
    const lv_event *a = cur_peek(x), *b = cur_peek(y);
    if (a->t != b->t) return a->t < b->t;
    return a->thread < b->thread;
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
        while (cur[i].c && cur[i].c->n == 0)
            cur[i].c = cur[i].c->next;
        if (cur[i].c) h.a[h.n++] = &cur[i];
    }
    for (size_t i = h.n; i-- > 0;)
        heap_down(&h, i);

    size_t k = 0;
    while (h.n) {
        cursor *c = h.a[0];
        lv_event e = *cur_peek(c);
        e.seq = (uint32_t)k;
        if (e.flags & LV_EVF_TEXT) e.value += c->text_base;
        ev[k++] = e;
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
