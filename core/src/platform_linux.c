/* The platform interface (platform.h) on Linux: clock_gettime, /proc/cpuinfo, the futex
 * system call and madvise. The only core file that makes system calls for the engine's hot
 * paths; processes, files and sockets (isolate.c, record.c, io.c) use POSIX directly. */
#include <linux/futex.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "platform.h"

int64_t lv__mono_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int lv__ticks_invariant(void) {
#if LV__HAVE_TICKS
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (!f) return 0;
    char line[4096];
    int ok = 0;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "flags", 5) != 0) continue;
        ok = strstr(line, " constant_tsc") && strstr(line, " nonstop_tsc");
        break;
    }
    fclose(f);
    return ok;
#else
    return 0;
#endif
}

void lv__word_wait(_Atomic int *word, int val, int64_t ns) {
    struct timespec ts = {.tv_sec = ns / 1000000000LL, .tv_nsec = ns % 1000000000LL};
    syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, val, ns < 0 ? NULL : &ts, NULL, 0);
}

void lv__word_wake(_Atomic int *word, int n) {
    syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, n, NULL, NULL, 0);
}

/* Writes one byte in every page: the kernel zero-fills each at its first write. */
static void touch_pages(void *p, size_t len) {
    volatile char *c = p;
    for (size_t off = 0; off < len; off += 4096)
        c[off] = 0;
}

void lv__mem_populate(void *p, size_t len, int huge) {
    if (!huge) {
        touch_pages(p, len);
        return;
    }
    madvise(p, len, MADV_HUGEPAGE); /* a hint: without huge pages it still works */
#ifdef MADV_POPULATE_WRITE
    if (madvise(p, len, MADV_POPULATE_WRITE) != 0) touch_pages(p, len);
#else
    touch_pages(p, len);
#endif
}
