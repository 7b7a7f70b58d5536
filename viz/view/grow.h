/* Growing arrays: the one helper behind viz's growable arrays (frames, scenes, states,
 * sessions, the scheduler and predict views, the picker). No SDL. */
#ifndef LV_VIZ_GROW_H
#define LV_VIZ_GROW_H

#include <stddef.h>
#include <stdlib.h>

/* Makes *p, an array of *cap elements of elem bytes, hold at least need of them, doubling
 * from 16. 0 on success; -1 when out of memory, *p and *cap unchanged. */
static inline int lv_grow(void **p, size_t *cap, size_t elem, size_t need) {
    if (need <= *cap) return 0;
    size_t nc = *cap ? *cap : 16;
    while (nc < need)
        nc *= 2;
    void *np = realloc(*p, nc * elem);
    if (!np) return -1;
    *p = np;
    *cap = nc;
    return 0;
}

#endif
