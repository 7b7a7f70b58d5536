/* The one plain binary search behind the viewer's lookups in sorted arrays (the frame's
 * layout gallops from a hint with its own, layout_impl.h). No SDL. */
#ifndef LV_VIZ_SEARCH_H
#define LV_VIZ_SEARCH_H

#include <stddef.h>

/* Sets out to the first i in [lo, hi) where PRED, an expression in i, is false (hi when it
 * holds everywhere). PRED must hold for a prefix of the range and not after it, as "a[i] <= v"
 * does over an ascending a (out is then the count of elements <= v from lo). */
#define LV_FIRST_FALSE(lo, hi, i, PRED, out)                                                       \
    do {                                                                                           \
        size_t ff_lo_ = (lo), ff_hi_ = (hi);                                                       \
        while (ff_lo_ < ff_hi_) {                                                                  \
            size_t i = ff_lo_ + (ff_hi_ - ff_lo_) / 2;                                             \
            if (PRED)                                                                              \
                ff_lo_ = i + 1;                                                                    \
            else                                                                                   \
                ff_hi_ = i;                                                                        \
        }                                                                                          \
        (out) = ff_lo_;                                                                            \
    } while (0)

#endif
