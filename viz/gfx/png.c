/* PNG through libpng: the writer lockviz's headless renders use (8-bit RGB, written to a
 * temporary file and renamed into place), and the reader its tests use to check the pixels
 * (any PNG libpng reads, converted to 8-bit RGB). No encoder or decoder of our own. */
#include <errno.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "lv_png.h"

int lv_png_write(const char *path, const uint8_t *rgb, int w, int h, size_t stride, char *err,
                 size_t errlen) {
    if (w <= 0 || h <= 0) {
        snprintf(err, errlen, "%s: empty image", path);
        return -1;
    }
    char *tmp = malloc(strlen(path) + 16);
    if (!tmp) {
        snprintf(err, errlen, "%s: out of memory", path);
        return -1;
    }
    sprintf(tmp, "%s.XXXXXX", path);
    int fd = mkstemp(tmp);
    FILE *f = NULL;
    if (fd >= 0) { /* mkstemp makes it private; a picture is as readable as any new file */
        mode_t mask = umask(0);
        umask(mask);
        fchmod(fd, 0666 & ~mask);
    }
    if (fd < 0 || !(f = fdopen(fd, "wb"))) {
        snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(tmp);
        }
        free(tmp);
        return -1;
    }
    png_image im;
    memset(&im, 0, sizeof im);
    im.version = PNG_IMAGE_VERSION;
    im.width = (png_uint_32)w;
    im.height = (png_uint_32)h;
    im.format = PNG_FORMAT_RGB;
    errno = 0;
    int ok = png_image_write_to_stdio(&im, f, 0, rgb, (png_int_32)stride, NULL) != 0;
    const char *why = ok ? NULL : errno ? strerror(errno) : im.message;
    if (fflush(f) != 0 || fsync(fileno(f)) != 0) {
        if (!why) why = strerror(errno);
        ok = 0;
    }
    if (fclose(f) != 0 && ok) {
        why = strerror(errno);
        ok = 0;
    }
    if (ok && rename(tmp, path) != 0) {
        why = strerror(errno);
        ok = 0;
    }
    if (!ok) {
        snprintf(err, errlen, "%s: cannot write: %s", path, why);
        unlink(tmp);
    }
    png_image_free(&im);
    free(tmp);
    return ok ? 0 : -1;
}

int lv_png_read(const char *path, uint8_t **out, int *ow, int *oh, char *err, size_t errlen) {
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    png_image im;
    memset(&im, 0, sizeof im);
    im.version = PNG_IMAGE_VERSION;
    uint8_t *px = NULL;
    int rc = -1;
    if (!png_image_begin_read_from_stdio(&im, f)) {
        snprintf(err, errlen, "%s: not a PNG libpng reads: %s", path, im.message);
        goto done;
    }
    im.format = PNG_FORMAT_RGB;
    if (im.width == 0 || im.height == 0 || im.width > 1 << 15 || im.height > 1 << 15) {
        snprintf(err, errlen, "%s: %ux%u is no size lockviz reads", path, im.width, im.height);
        goto done;
    }
    px = malloc(PNG_IMAGE_SIZE(im));
    if (!px) {
        snprintf(err, errlen, "%s: out of memory", path);
        goto done;
    }
    if (!png_image_finish_read(&im, NULL, px, 0, NULL)) {
        snprintf(err, errlen, "%s: corrupt image data: %s", path, im.message);
        goto done;
    }
    *out = px;
    px = NULL;
    *ow = (int)im.width;
    *oh = (int)im.height;
    rc = 0;
done:
    png_image_free(&im);
    free(px);
    fclose(f);
    return rc;
}
