/* PNG on zlib: the writer lockviz's headless renders use, and the reader its tests use to
 * check the pixels. Only 8-bit RGB(A), non-interlaced; see png.h for what it refuses. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include "png.h"

static const uint8_t sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

static void put32(uint8_t *p, uint32_t v) {
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static uint32_t get32(const uint8_t *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int chunk(FILE *f, const char *type, const uint8_t *data, uint32_t len) {
    uint8_t hdr[8];
    put32(hdr, len);
    memcpy(hdr + 4, type, 4);
    uLong crc = crc32(0, hdr + 4, 4);
    if (len) crc = crc32(crc, data, len);
    uint8_t tail[4];
    put32(tail, (uint32_t)crc);
    return fwrite(hdr, 1, 8, f) == 8 && (!len || fwrite(data, 1, len, f) == len) &&
                   fwrite(tail, 1, 4, f) == 4
               ? 0
               : -1;
}

int lv_png_write(const char *path, const uint8_t *rgb, int w, int h, size_t stride, char *err,
                 size_t errlen) {
    if (w <= 0 || h <= 0) {
        snprintf(err, errlen, "%s: empty image", path);
        return -1;
    }
    size_t row = (size_t)w * 3 + 1, raw_len = row * (size_t)h;
    uint8_t *raw = malloc(raw_len);
    uLongf zlen = compressBound((uLong)raw_len);
    uint8_t *z = malloc(zlen);
    char *tmp = malloc(strlen(path) + 16);
    FILE *f = NULL;
    int rc = -1, fd = -1;
    if (!raw || !z || !tmp) {
        snprintf(err, errlen, "%s: out of memory", path);
        goto done;
    }
    for (int y = 0; y < h; y++) { /* filter "Sub": flat UI colours become runs of zeros */
        uint8_t *d = raw + (size_t)y * row;
        const uint8_t *s = rgb + (size_t)y * stride;
        d[0] = 1;
        for (size_t i = 0; i < (size_t)w * 3; i++)
            d[1 + i] = (uint8_t)(s[i] - (i >= 3 ? s[i - 3] : 0));
    }
    if (compress2(z, &zlen, raw, (uLong)raw_len, 6) != Z_OK) {
        snprintf(err, errlen, "%s: compression failed", path);
        goto done;
    }
    sprintf(tmp, "%s.XXXXXX", path);
    fd = mkstemp(tmp);
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
        goto done;
    }
    uint8_t ihdr[13];
    put32(ihdr, (uint32_t)w);
    put32(ihdr + 4, (uint32_t)h);
    ihdr[8] = 8;  /* bits per channel */
    ihdr[9] = 2;  /* RGB */
    ihdr[10] = 0; /* deflate */
    ihdr[11] = 0; /* adaptive filtering */
    ihdr[12] = 0; /* not interlaced */
    int ok = fwrite(sig, 1, 8, f) == 8 && chunk(f, "IHDR", ihdr, 13) == 0 &&
             chunk(f, "IDAT", z, (uint32_t)zlen) == 0 && chunk(f, "IEND", NULL, 0) == 0;
    ok = fflush(f) == 0 && ok;
    ok = fsync(fileno(f)) == 0 && ok;
    int saved = errno;
    ok = fclose(f) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        if (ok) saved = errno;
        snprintf(err, errlen, "%s: cannot write: %s", path, strerror(saved));
        unlink(tmp);
        goto done;
    }
    rc = 0;
done:
    free(raw);
    free(z);
    free(tmp);
    return rc;
}

static int paeth(int a, int b, int c) {
    int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
    return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

int lv_png_read(const char *path, uint8_t **out, int *ow, int *oh, char *err, size_t errlen) {
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    uint8_t *file = NULL, *idat = NULL, *raw = NULL, *rgb = NULL;
    size_t flen = 0, cap = 0, ilen = 0;
    for (;;) {
        if (flen == cap) {
            cap = cap ? 2 * cap : 65536;
            uint8_t *n = realloc(file, cap);
            if (!n) break;
            file = n;
        }
        size_t k = fread(file + flen, 1, cap - flen, f);
        flen += k;
        if (k == 0) break;
    }
    fclose(f);
    int rc = -1;
    uint32_t w = 0, h = 0;
    int ctype = -1;
    if (!file || flen < 8 || memcmp(file, sig, 8) != 0) {
        snprintf(err, errlen, "%s: not a PNG", path);
        goto done;
    }
    idat = malloc(flen);
    if (!idat) goto nomem;
    for (size_t p = 8; p + 12 <= flen;) {
        uint32_t len = get32(file + p);
        if (len > flen - p - 12) {
            snprintf(err, errlen, "%s: truncated chunk", path);
            goto done;
        }
        const uint8_t *type = file + p + 4, *data = file + p + 8;
        if (memcmp(type, "IHDR", 4) == 0 && len == 13) {
            w = get32(data);
            h = get32(data + 4);
            if (data[8] != 8 || (data[9] != 2 && data[9] != 6) || data[12] != 0) {
                snprintf(err, errlen, "%s: only 8-bit RGB/RGBA non-interlaced PNGs are read", path);
                goto done;
            }
            ctype = data[9];
        } else if (memcmp(type, "IDAT", 4) == 0) {
            memcpy(idat + ilen, data, len);
            ilen += len;
        }
        p += 12 + len;
    }
    if (ctype < 0 || w == 0 || h == 0 || w > 1 << 15 || h > 1 << 15) {
        snprintf(err, errlen, "%s: no usable IHDR", path);
        goto done;
    }
    size_t bpp = ctype == 6 ? 4 : 3, row = (size_t)w * bpp + 1;
    uLongf rlen = row * h;
    raw = malloc(rlen);
    rgb = malloc((size_t)w * h * 3);
    if (!raw || !rgb) goto nomem;
    if (uncompress(raw, &rlen, idat, (uLong)ilen) != Z_OK || rlen != row * h) {
        snprintf(err, errlen, "%s: corrupt image data", path);
        goto done;
    }
    for (uint32_t y = 0; y < h; y++) {
        uint8_t *r = raw + (size_t)y * row + 1, *up = y ? r - row : NULL;
        int ft = r[-1];
        for (size_t i = 0; i < row - 1; i++) {
            int a = i >= bpp ? r[i - bpp] : 0, b = up ? up[i] : 0;
            int c = up && i >= bpp ? up[i - bpp] : 0;
            int add = ft == 0   ? 0
                      : ft == 1 ? a
                      : ft == 2 ? b
                      : ft == 3 ? (a + b) / 2
                                : paeth(a, b, c);
            if (ft > 4) {
                snprintf(err, errlen, "%s: bad filter %d", path, ft);
                goto done;
            }
            r[i] = (uint8_t)(r[i] + add);
        }
        for (uint32_t x = 0; x < w; x++)
            memcpy(rgb + ((size_t)y * w + x) * 3, r + x * bpp, 3);
    }
    *out = rgb;
    rgb = NULL;
    *ow = (int)w;
    *oh = (int)h;
    rc = 0;
    goto done;
nomem:
    snprintf(err, errlen, "%s: out of memory", path);
done:
    free(file);
    free(idat);
    free(raw);
    free(rgb);
    return rc;
}
