/* Text that names things (threads, locks, scenarios, notes) formatted into the fixed buffers of
 * labels, tooltips and messages. A name can be longer than any buffer: what does not fit is cut
 * between two characters and ends in "…", never in half a character. No SDL, no measuring:
 * the pixel fit (lv_fit_prefix) comes after, on text that is whole UTF-8. */
#ifndef LV_VIZ_TEXTF_H
#define LV_VIZ_TEXTF_H

#include <stdarg.h>
#include <stddef.h>

/* As snprintf (len >= 1), and returns what snprintf returns (the length the whole text
 * needs), so a return >= len still says "cut"; but a cut text ends in "…" on a character
 * boundary (in a buffer of fewer than 4 bytes, on a boundary without it). */
int lv_textf(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int lv_vtextf(char *buf, size_t len, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

#endif
