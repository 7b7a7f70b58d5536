/* Text that fits: the longest prefix of a string within a width (never cutting a character),
 * one line of a wrapped paragraph (breaking at spaces, or between Chinese characters but never
 * before closing punctuation), the width of the findings' kind chips, and times written short
 * ("1.234 ms"). Pure: text is measured through the caller's callback. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "geom.h"

size_t lv_fit_prefix(lv_measure_fn m, void *ctx, lv_font_id f, const char *s, size_t n, int maxw) {
    if (maxw <= 0 || n == 0) return 0;
    if (m(ctx, f, s, n) <= maxw) return n;
    size_t lo = 0, hi = n; /* lo fits; hi does not */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        while (mid > lo && ((unsigned char)s[mid] & 0xC0) == 0x80)
            mid--;
        if (mid == lo) { /* one character between: try its far edge */
            mid = lo + 1;
            while (mid < hi && ((unsigned char)s[mid] & 0xC0) == 0x80)
                mid++;
            if (mid >= hi) break;
        }
        if (m(ctx, f, s, mid) <= maxw)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* The bytes of s that go on one line of maxw pixels: up to the last space that fits, or as
 * many characters as fit when a word is longer than the line (at least one character). */
size_t lv_wrap_line(lv_measure_fn m, void *ctx, lv_font_id f, const char *s, size_t n, int maxw) {
    const char *nl = memchr(s, '\n', n);
    if (nl) n = (size_t)(nl - s);
    size_t fit = lv_fit_prefix(m, ctx, f, s, n, maxw);
    if (fit == n) return n;
    /* Chinese has no spaces: it breaks between any two characters, but a line never starts
     * with closing punctuation (，。：；！？）、) */
    if (fit > 0 && ((unsigned char)s[fit] >= 0x80 || (unsigned char)s[fit - 1] >= 0x80)) {
        static const char *const no_start[] = {"，", "。", "：", "；", "！", "？", "）", "、"};
        for (size_t k = 0; k < sizeof no_start / sizeof no_start[0]; k++)
            if (n - fit >= 3 && memcmp(s + fit, no_start[k], 3) == 0 && fit > 1) {
                do
                    fit--;
                while (fit > 1 && ((unsigned char)s[fit] & 0xC0) == 0x80);
                break;
            }
        return fit;
    }
    for (size_t i = fit; i > 0; i--)
        if (s[i] == ' ') return i;
    if (fit == 0) {
        fit = 1;
        while (fit < n && ((unsigned char)s[fit] & 0xC0) == 0x80)
            fit++;
    }
    return fit;
}

lv_tr_key lv_no_findings_words(const lv_trace *tr) {
    return tr->outcome == LV_OUT_ABORTED ? LV_T_NO_FINDINGS_CUT : LV_T_NO_FINDINGS;
}

int lv_chip_width(lv_measure_fn m, void *ctx, int lang) {
    int w = 0;
    for (int i = 0; i < 5; i++) {
        const char *t = lv_tr(lang, lv_finding_words[i]);
        int tw = m(ctx, LV_FONT_BODY, t, strlen(t));
        if (tw > w) w = tw;
    }
    return w;
}

void lv_format_ns(int64_t ns, char *buf, size_t len) {
    double a = fabs((double)ns);
    if (a < 1e3) {
        snprintf(buf, len, "%" PRId64 " ns", ns);
        return;
    }
    static const char *const unit[] = {"µs", "ms", "s"};
    double v = (double)ns / 1e3;
    int u = 0;
    while (u < 2 && fabs(v) >= 1000) {
        v /= 1000;
        u++;
    }
    /* four significant digits, never in exponent form */
    int digits = fabs(v) < 10 ? 1 : fabs(v) < 100 ? 2 : fabs(v) < 1000 ? 3 : 4;
    snprintf(buf, len, "%.*f %s", digits >= 4 ? 0 : 4 - digits, v, unit[u]);
}

/* one try of lv_fit_note: n bytes whole, after the tick (after 1) or before it */
static int note_at(lv_measure_fn m, void *ctx, const char *txt, size_t n, int after, int tick,
                   int off, int lo, int hi, lv_label *lb) {
    if (n == 0) return 0;
    int w = m(ctx, LV_FONT_NOTE, txt, n);
    int x = after ? tick + off : tick - off - w;
    if (x < lo || x + w > hi) return 0;
    lb->x = x, lb->w = w, lb->tick_x = tick, lb->nbytes = n, lb->elided = 0;
    return 1;
}

int lv_fit_note(lv_measure_fn m, void *ctx, const char *txt, int tick, int off, int lo, int hi,
                lv_label *lb) {
    size_t n = strlen(txt), head = lv_note_head(txt, n);
    for (int pass = 0; pass < 2; pass++) {
        size_t k = pass ? head : n;
        if (note_at(m, ctx, txt, k, 1, tick, off, lo, hi, lb) ||
            note_at(m, ctx, txt, k, 0, tick, off, lo, hi, lb))
            return 1;
    }
    int x = tick + off, ell = m(ctx, LV_FONT_NOTE, "…", strlen("…"));
    if (x < lo || hi - x < m(ctx, LV_FONT_NOTE, "abcde", 5) + ell) return 0;
    size_t k = lv_fit_prefix(m, ctx, LV_FONT_NOTE, txt, head ? head : n, hi - x - ell);
    if (k == 0) return 0;
    lb->x = x, lb->tick_x = tick, lb->nbytes = k, lb->elided = 1;
    lb->w = m(ctx, LV_FONT_NOTE, txt, k) + ell;
    return 1;
}

int lv_lane_words(lv_measure_fn m, void *ctx, const char *s, int w, int lines, size_t *first,
                  size_t *second) {
    size_t n = strlen(s);
    *first = n, *second = n;
    if (lines < 2 || m(ctx, LV_FONT_NOTE, s, n) <= w) return 1;
    size_t k = lv_wrap_line(m, ctx, LV_FONT_NOTE, s, n, w);
    if (k == 0 || k >= n) return 1;
    *first = k;
    while (k < n && s[k] == ' ')
        k++;
    *second = k;
    return 2;
}
