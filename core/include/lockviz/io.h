/* Writing files safely: every file lockviz writes goes through lv_write_atomic, so a failed or
 * interrupted write never leaves a half file over an existing one. */
#ifndef LOCKVIZ_IO_H
#define LOCKVIZ_IO_H

#include <stddef.h>
#include <stdio.h>
#include "err.h"

/* Calls write(ctx, f) on a temporary file next to path, flushes and syncs it, and renames it
 * over path. On any error the temporary file is removed, path is untouched, and errbuf gets one
 * line: "PATH: cannot write: REASON". */
lv_err lv_write_atomic(const char *path, lv_err (*write)(void *ctx, FILE *f), void *ctx,
                       char *errbuf, size_t errlen);

#endif
