/* A hash map from a pair of integers to an integer: the analysis' per-(object, thread) state
 * and the recorder's address tables, so memory grows with the pairs a trace uses, not with
 * threads x objects. Header-only,
 * core-internal. Open addressing with linear probing, kept at most half full. */
#ifndef LV_PAIRMAP_H
#define LV_PAIRMAP_H

#include <stdint.h>
#include <stdlib.h>

typedef struct lv__pm_slot {
    uint64_t a, b;
    int64_t v;
    int used;
} lv__pm_slot;

typedef struct lv__pmap {
    lv__pm_slot *s;
    size_t n, cap; /* cap: 0 or a power of two */
} lv__pmap;

static inline size_t lv__pm_hash(uint64_t a, uint64_t b) {
    uint64_t h = a * 0x9e3779b97f4a7c15u ^ (b + 0x632be59bd9b4e019u) * 0xbf58476d1ce4e5b9u;
    h ^= h >> 31;
    return (size_t)(h * 0x94d049bb133111ebu >> 7);
}

static inline int lv__pm_grow(lv__pmap *m) {
    size_t cap = m->cap ? m->cap * 2 : 64;
    lv__pm_slot *s = calloc(cap, sizeof *s);
    if (!s) return -1;
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->s[i].used) continue;
        size_t j = lv__pm_hash(m->s[i].a, m->s[i].b) & (cap - 1);
        while (s[j].used)
            j = (j + 1) & (cap - 1);
        s[j] = m->s[i];
    }
    free(m->s);
    m->s = s;
    m->cap = cap;
    return 0;
}

/* The value of (a, b): NULL when absent and !create, or when memory ran out. A new pair
 * starts at 0. The pointer is good until the next call that creates. */
static inline int64_t *lv__pm_at(lv__pmap *m, uint64_t a, uint64_t b, int create) {
    if (m->cap) {
        size_t j = lv__pm_hash(a, b) & (m->cap - 1);
        for (; m->s[j].used; j = (j + 1) & (m->cap - 1))
            if (m->s[j].a == a && m->s[j].b == b) return &m->s[j].v;
    }
    if (!create) return NULL;
    if ((m->n + 1) * 2 > m->cap && lv__pm_grow(m)) return NULL;
    size_t j = lv__pm_hash(a, b) & (m->cap - 1);
    while (m->s[j].used)
        j = (j + 1) & (m->cap - 1);
    m->s[j] = (lv__pm_slot){a, b, 0, 1};
    m->n++;
    return &m->s[j].v;
}

static inline void lv__pm_free(lv__pmap *m) {
    free(m->s);
    m->s = NULL;
    m->n = m->cap = 0;
}

#endif
