/* Core-internal: what the engine needs from the kernel and the CPU, behind one small interface
 * (as SDL keeps its platform code): a monotonic clock, the CPU's cycle counter, a spin-wait
 * hint, sleeping and waking on a word (futex), and memory made ready ahead of use. Linux's side
 * is platform_linux.c; the two CPU reads are inline here, as the lock path takes them. Nothing
 * here knows about runs, threads or traces. */
#ifndef LV_PLATFORM_H
#define LV_PLATFORM_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#if defined(__x86_64__)
#include <x86intrin.h>
#define LV__HAVE_TICKS 1 /* lv__cpu_ticks reads a cycle counter (rdtsc) */
#else
#define LV__HAVE_TICKS 0
#endif

/* CLOCK_MONOTONIC in ns: the kernel's clock, for waits and deadlines. */
int64_t lv__mono_ns(void);

/* 1 when the cycle counter runs at one rate on every core, in every power state (x86-64's
 * constant_tsc and nonstop_tsc), so ticks can be scaled to ns once per process. */
int lv__ticks_invariant(void);

/* The CPU's cycle counter; 0 where there is none (LV__HAVE_TICKS 0). */
static inline uint64_t lv__cpu_ticks(void) {
#if LV__HAVE_TICKS
    return __rdtsc();
#else
    return 0;
#endif
}

/* A hint inside a spin loop: the other hyperthread gets the core while this one waits. */
static inline void lv__cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__) || defined(__arm__)
    __asm__ volatile("yield" ::: "memory");
#else
    __asm__ volatile("" ::: "memory"); /* at least the loop is not optimised away */
#endif
}

/* Sleeps while *word is val, for at most ns (ns < 0: no limit); may return early (a wake, a
 * signal, a spurious wake-up), so the caller looks at the word again. Process-private. */
void lv__word_wait(_Atomic int *word, int val, int64_t ns);
/* Wakes at most n threads sleeping in lv__word_wait on word. */
void lv__word_wake(_Atomic int *word, int n);

/* Makes [p, p + len) resident now (zero-filled pages), outside any critical section, instead of
 * at the first write that lands in each page. huge: p is aligned to len, a huge page's size,
 * and the kernel is asked to back it with one (a hint: without huge pages it still works). */
void lv__mem_populate(void *p, size_t len, int huge);

#endif
