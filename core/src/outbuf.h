/* A buffered writer with integer formatting for the trace writers (native and Chrome): traces
 * run to hundreds of megabytes, where stdio's per-call cost and float formatting dominate.
 * Header-only: the writers are its only users. */
#ifndef LV_OUTBUF_H
#define LV_OUTBUF_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "utf8.h"

typedef struct cw {
    FILE *out;
    int first;
    size_t n;
    char buf[1 << 16];
} cw;

static inline void w_flush(cw *w) {
    if (w->n) fwrite(w->buf, 1, w->n, w->out);
    w->n = 0;
}

static inline void w_put(cw *w, const char *s, size_t len) {
    if (w->n + len > sizeof w->buf) {
        w_flush(w);
        if (len > sizeof w->buf) {
            fwrite(s, 1, len, w->out);
            return;
        }
    }
    memcpy(w->buf + w->n, s, len);
    w->n += len;
}

#define W_LIT(w, lit) w_put((w), (lit), sizeof(lit) - 1)

static inline void w_puts(cw *w, const char *s) {
    w_put(w, s, strlen(s));
}

static inline void w_u64(cw *w, uint64_t v) {
    char tmp[24];
    int k = 0;
    do {
        tmp[k++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    if (w->n + (size_t)k > sizeof w->buf) w_flush(w);
    while (k)
        w->buf[w->n++] = tmp[--k];
}

static inline void w_i64(cw *w, int64_t v) {
    if (v < 0) {
        W_LIT(w, "-");
        w_u64(w, (uint64_t)0 - (uint64_t)v);
    } else {
        w_u64(w, (uint64_t)v);
    }
}

/* ns as microseconds with three decimals: exact, no floating point */
static inline void w_us(cw *w, int64_t ns) {
    if (ns < 0) ns = 0;
    w_u64(w, (uint64_t)ns / 1000);
    char frac[4] = {'.', (char)('0' + ns % 1000 / 100), (char)('0' + ns % 100 / 10),
                    (char)('0' + ns % 10)};
    w_put(w, frac, 4);
}

/* A JSON string that every reader takes, whatever bytes s holds (a scenario's or a recorded
 * program's names, notes): `"`, `\\`, control characters (U+0000-U+001F, U+007F) escaped, and
 * each byte that is not part of well-formed UTF-8 written as U+FFFD, the replacement character,
 * so the file stays valid and readable by lv_trace_read_json. */
static inline void put_str(cw *w, const char *s) {
    W_LIT(w, "\"");
    const unsigned char *p = (const unsigned char *)(s ? s : ""), *run = p;
    for (; *p; p++) {
        unsigned char c = *p;
        if (c >= 0x80) {
            size_t k = lv__utf8_len(p, strnlen((const char *)p, 4));
            if (k) {
                p += k - 1;
                continue;
            }
        } else if (c != '"' && c != '\\' && c >= 0x20 && c != 0x7f) {
            continue;
        }
        w_put(w, (const char *)run, (size_t)(p - run));
        char esc[8];
        int k = c >= 0x80               ? snprintf(esc, sizeof esc, "\\ufffd")
                : c < 0x20 || c == 0x7f ? snprintf(esc, sizeof esc, "\\u%04x", c)
                                        : snprintf(esc, sizeof esc, "\\%c", c);
        w_put(w, esc, (size_t)k);
        run = p + 1;
    }
    w_put(w, (const char *)run, (size_t)(p - run));
    W_LIT(w, "\"");
}

/* A writer on out (NULL when out of memory); free() it after w_flush. */
static inline cw *cw_new(FILE *out) {
    cw *w = malloc(sizeof *w);
    if (w) {
        w->out = out;
        w->first = 1;
        w->n = 0;
    }
    return w;
}

#endif
