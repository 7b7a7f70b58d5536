/* PNG files through libpng: 8-bit RGB, which is all lockviz writes. Writing is atomic (a
 * temporary file renamed into place). The reader takes any PNG libpng reads and gives 8-bit
 * RGB (alpha composed on black), so tests read back what was written with the same library.
 * Named lv_png.h so that it does not hide libpng's own png.h. */
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
