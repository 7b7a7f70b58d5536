/* What the benchmarks share: the clock, and the median of a side's rounds. */
#ifndef LV_BENCH_UTIL_H
#define LV_BENCH_UTIL_H

#include <stdlib.h>
#include <time.h>

#define ROUNDS 7 /* rounds of each side; each side reports its median */

static inline double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static inline int cmp_d(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Sorts v in place. */
static inline double median(double *v, int n) {
    qsort(v, (size_t)n, sizeof *v, cmp_d);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

#endif
