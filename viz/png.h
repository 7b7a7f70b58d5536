/* A small PNG writer and reader on zlib: 8-bit RGB only, which is all lockviz writes.
 * Writing is atomic (a temporary file renamed into place). The reader takes any 8-bit RGB or
 * RGBA, non-interlaced PNG, so tests can read back what was written; it is not a general
 * decoder (no palettes, no 16-bit, no interlacing). */
#ifndef LV_VIZ_PNG_H
#define LV_VIZ_PNG_H

#include <stddef.h>
#include <stdint.h>

/* rgb: h rows of w pixels, 3 bytes each (r, g, b), rows `stride` bytes apart. 0 on success;
 * -1 with a one-line reason (naming path) in err, and an existing file at path untouched. */
int lv_png_write(const char *path, const uint8_t *rgb, int w, int h, size_t stride, char *err,
                 size_t errlen);

/* Reads path into *rgb (w*h*3 bytes, malloc'd, the caller frees). 0 or -1 with err. */
int lv_png_read(const char *path, uint8_t **rgb, int *w, int *h, char *err, size_t errlen);

#endif
