/* Atomic file writes: a temporary file in the same folder, written, flushed, synced and
 * renamed into place. It does not create folders or retry. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "lockviz/io.h"

lv_err lv_write_atomic(const char *path, lv_err (*write)(void *ctx, FILE *f), void *ctx,
                       char *errbuf, size_t errlen) {
    size_t len = strlen(path);
    char *tmp = malloc(len + 16);
    if (!tmp) {
        snprintf(errbuf, errlen, "%s: out of memory", path);
        return LV_ENOMEM;
    }
    snprintf(tmp, len + 16, "%s.tmpXXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        snprintf(errbuf, errlen, "%s: cannot write: %s", path, strerror(errno));
        free(tmp);
        return LV_EIO;
    }
    mode_t mask = umask(0); /* mkstemp makes 0600; give the file the mode open() would */
    umask(mask);
    fchmod(fd, 0666 & ~mask);
    FILE *f = fdopen(fd, "w");
    if (!f) {
        snprintf(errbuf, errlen, "%s: cannot write: %s", path, strerror(errno));
        close(fd);
        unlink(tmp);
        free(tmp);
        return LV_EIO;
    }
    errno = 0;
    lv_err err = write(ctx, f);
    int saved = errno;
    if (err == LV_OK && (fflush(f) != 0 || ferror(f))) {
        err = LV_EIO;
        saved = errno;
    }
    if (err == LV_OK && fsync(fileno(f)) != 0) {
        err = LV_EIO;
        saved = errno;
    }
    if (fclose(f) != 0 && err == LV_OK) {
        err = LV_EIO;
        saved = errno;
    }
    if (err == LV_OK && rename(tmp, path) != 0) {
        err = LV_EIO;
        saved = errno;
    }
    if (err != LV_OK) {
        if (err == LV_ENOMEM)
            snprintf(errbuf, errlen, "%s: out of memory", path);
        else
            snprintf(errbuf, errlen, "%s: cannot write: %s", path,
                     saved ? strerror(saved) : lv_strerror(err));
        unlink(tmp);
    }
    free(tmp);
    return err;
}
