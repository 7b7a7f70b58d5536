/* lv_textf: snprintf whose cuts land between two characters and show "…". */
#include <stdio.h>
#include <string.h>
#include "textf.h"

int lv_vtextf(char *buf, size_t len, const char *fmt, va_list ap) {
    int n = vsnprintf(buf, len, fmt, ap);
    if (n < 0) {
        buf[0] = 0;
        return n;
    }
    if ((size_t)n < len) return n;
    static const char ell[] = "…";
    size_t e = len >= sizeof ell ? sizeof ell - 1 : 0;
    /* the last character boundary at most lim bytes in (bytes before lim are the text's own) */
    size_t lim = len - 1 - e, k = 0;
    for (size_t i = 0; i < lim;) {
        unsigned char c = (unsigned char)buf[i];
        i += c < 0xc0 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
        if (i <= lim) k = i;
    }
    memcpy(buf + k, ell, e);
    buf[k + e] = 0;
    return n;
}

int lv_textf(char *buf, size_t len, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = lv_vtextf(buf, len, fmt, ap);
    va_end(ap);
    return n;
}
