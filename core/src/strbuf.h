/* A growing string: every finding message and table is built in one, so no name is ever cut
 * and no length can wrap. Header-only: core's formatters are its only users. Running out of
 * memory is sticky (oom), and the string is then freed by lv__sb_take. */
#ifndef LV_STRBUF_H
#define LV_STRBUF_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct lv__sb {
    char *s;
    size_t n, cap;
    int oom;
} lv__sb;

static inline int lv__sb_room(lv__sb *b, size_t more) {
    if (b->oom) return -1;
    if (b->n + more + 1 <= b->cap) return 0;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->n + more + 1) {
        if (cap > (size_t)-1 / 2) {
            b->oom = 1;
            return -1;
        }
        cap *= 2;
    }
    char *s = realloc(b->s, cap);
    if (!s) {
        b->oom = 1;
        return -1;
    }
    b->s = s;
    b->cap = cap;
    return 0;
}

static inline void lv__sb_putn(lv__sb *b, const char *s, size_t n) {
    if (lv__sb_room(b, n)) return;
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = 0;
}

static inline void lv__sb_puts(lv__sb *b, const char *s) {
    lv__sb_putn(b, s ? s : "", strlen(s ? s : ""));
}

static inline void lv__sb_vprintf(lv__sb *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
static inline void lv__sb_vprintf(lv__sb *b, const char *fmt, va_list ap) {
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    if (n < 0) {
        b->oom = 1;
    } else if (!lv__sb_room(b, (size_t)n)) {
        vsnprintf(b->s + b->n, (size_t)n + 1, fmt, again);
        b->n += (size_t)n;
    }
    va_end(again);
}

static inline void lv__sb_printf(lv__sb *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static inline void lv__sb_printf(lv__sb *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    lv__sb_vprintf(b, fmt, ap);
    va_end(ap);
}

/* The string built (the caller frees it), or NULL when memory ran out on the way. */
static inline char *lv__sb_take(lv__sb *b) {
    if (b->oom) {
        free(b->s);
        b->s = NULL;
        return NULL;
    }
    if (!b->s) {
        b->s = malloc(1);
        if (b->s) b->s[0] = 0;
    }
    char *s = b->s;
    b->s = NULL;
    b->n = b->cap = 0;
    return s;
}

#endif
