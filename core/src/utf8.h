/* UTF-8 as RFC 3629 defines it, for the reader (which refuses anything else) and the writers
 * (which never write anything else). Header-only; no decoding, no normalisation. */
#ifndef LV_UTF8_H
#define LV_UTF8_H

#include <stddef.h>

/* The length of the well-formed UTF-8 sequence at p (at most n bytes, n >= 1), 0 if there is
 * none: no overlong forms, no surrogates (U+D800-U+DFFF), nothing past U+10FFFF. */
static inline size_t lv__utf8_len(const unsigned char *p, size_t n) {
    unsigned char c = p[0];
    size_t k;
    unsigned char lo = 0x80, hi = 0xbf; /* the range of the second byte */
    if (c < 0x80) return 1;
    if (c >= 0xc2 && c <= 0xdf) {
        k = 2;
    } else if (c >= 0xe0 && c <= 0xef) {
        k = 3;
        if (c == 0xe0) lo = 0xa0; /* below: overlong */
        if (c == 0xed) hi = 0x9f; /* above: a surrogate */
    } else if (c >= 0xf0 && c <= 0xf4) {
        k = 4;
        if (c == 0xf0) lo = 0x90; /* below: overlong */
        if (c == 0xf4) hi = 0x8f; /* above: past U+10FFFF */
    } else {
        return 0; /* a continuation byte, an overlong lead (C0, C1) or past U+10FFFF (F5-FF) */
    }
    if (n < k || p[1] < lo || p[1] > hi) return 0;
    for (size_t i = 2; i < k; i++)
        if (p[i] < 0x80 || p[i] > 0xbf) return 0;
    return k;
}

/* How many of the n bytes at s to keep so that at most max are kept and the cut falls between
 * two characters (never inside a sequence). */
static inline size_t lv__utf8_cut(const char *s, size_t n, size_t max) {
    if (n <= max) return n;
    size_t k = max;
    while (k > 0 && ((unsigned char)s[k] & 0xc0) == 0x80)
        k--;
    return k;
}

#endif
