/* Helpers shared by the tests that read back a rendered PNG: the image, a pixel, and counts of
 * pixels in a rectangle. */
#ifndef LV_TEST_IMAGE_SUPPORT_H
#define LV_TEST_IMAGE_SUPPORT_H

#include <stddef.h>
#include <stdint.h>
#include "geom.h"

typedef struct image {
    uint8_t *px; /* RGB, 3 bytes a pixel, rows w * 3 apart */
    int w, h;
} image;

static inline lv_rgb pixel(const image *im, int x, int y) {
    const uint8_t *p = im->px + ((size_t)y * im->w + x) * 3;
    return (lv_rgb){p[0], p[1], p[2]};
}

static inline int same(lv_rgb a, lv_rgb b) {
    return a.r == b.r && a.g == b.g && a.b == b.b;
}

/* Pixels in r (clipped to the image) of colour c. */
static inline int count(const image *im, lv_rect r, lv_rgb c) {
    int n = 0;
    for (int y = r.y; y < r.y + r.h && y < im->h; y++)
        for (int x = r.x; x < r.x + r.w && x < im->w; x++)
            n += same(pixel(im, x, y), c);
    return n;
}

/* Pixels in r (clipped to the image) that are neither of the two background colours. */
static inline int ink_in(const image *im, lv_rect r, lv_rgb bg1, lv_rgb bg2) {
    int n = 0;
    for (int y = r.y; y < r.y + r.h && y < im->h; y++)
        for (int x = r.x; x < r.x + r.w && x < im->w; x++) {
            lv_rgb c = pixel(im, x, y);
            n += !same(c, bg1) && !same(c, bg2);
        }
    return n;
}

#endif
