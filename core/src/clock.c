/* The trace clock. Every event keeps its own timestamp, so the clock read is most of what
 * tracing costs: on x86-64 with an invariant TSC (constant_tsc and nonstop_tsc) it is one
 * rdtsc scaled to ns by a factor calibrated against CLOCK_MONOTONIC once per process (the child
 * that runs a scenario file takes the calibration of the process that started it); elsewhere,
 * or with LV_CLOCK=monotonic in the environment, it is clock_gettime(CLOCK_MONOTONIC).
 * Waits and deadlines never use it: they need the kernel's clock (lv__mono_ns). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

static pthread_once_t once = PTHREAD_ONCE_INIT;
/* set once by calibrate, before any run starts; read by lv__clock_ns (internal.h) */
int lv__use_tsc;
uint64_t lv__tsc0;
int64_t lv__mono0;
uint64_t lv__tsc_mult; /* ns per tick, as a 32.32 fixed-point number */

static void calibrate(void) {
#if LV__HAVE_TICKS
    const char *env = getenv("LV_CLOCK");
    if (env && strcmp(env, "monotonic") == 0) return;
    if (!lv__ticks_invariant()) return;
    int64_t m0 = lv__mono_ns();
    uint64_t t0 = lv__cpu_ticks();
    int64_t m1;
    do { /* 5 ms: the scale is then good to about a part in ten thousand */
        m1 = lv__mono_ns();
    } while (m1 - m0 < 5000000);
    uint64_t t1 = lv__cpu_ticks();
    if (t1 <= t0) return;
    lv__tsc_mult = (uint64_t)(((unsigned __int128)(uint64_t)(m1 - m0) << 32) / (t1 - t0));
    lv__tsc0 = t0;
    lv__mono0 = m0;
    lv__use_tsc = lv__tsc_mult > 0;
#endif
}

void lv__clock_init(void) {
    pthread_once(&once, calibrate);
}

static void keep(void) {}

void lv__clock_adopt(int use_tsc, uint64_t tsc0, int64_t mono0, uint64_t tsc_mult) {
    lv__use_tsc = use_tsc;
    lv__tsc0 = tsc0;
    lv__mono0 = mono0;
    lv__tsc_mult = tsc_mult;
    pthread_once(&once, keep); /* calibrated: lv__clock_init does nothing more */
}
