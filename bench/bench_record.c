/* A plain pthread program for the `lockviz record` rows of bench/run: run as it is, under
 * lockviz record, and built with ThreadSanitizer, the same code on the same machine.
 *   pair N          N uncontended lock+unlock pairs of one mutex, 5 times: prints
 *                   record_pair_ns (the thread's CPU time a pair, the best of the 5) and
 *                   record_pair_wall_ns (the wall-clock time a pair, the best of the 5)
 *   contended T N   T threads, N pairs each, on one mutex: prints record_contended_ops
 * The thread's CPU time counts what the pair costs the program, in user space and in the
 * kernel (page faults, system calls), and not the time other processes of a shared machine
 * hold the core: a pass as long as a recorded or sanitized one is often preempted on a
 * loaded machine where a raw pass, ten times shorter, is not. It knows nothing of lockviz. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static long n_pairs;
static volatile long sink;

static double clock_s(clockid_t ck) {
    struct timespec t;
    clock_gettime(ck, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}
static double now(void) {
    return clock_s(CLOCK_MONOTONIC);
}

static void *worker(void *a) {
    (void)a;
    for (long i = 0; i < n_pairs; i++) {
        pthread_mutex_lock(&mu);
        sink++;
        pthread_mutex_unlock(&mu);
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc >= 3 && strcmp(argv[1], "pair") == 0) {
        n_pairs = atol(argv[2]);
        double best = 1e30, best_wall = 1e30;
        for (int r = 0; r < 5; r++) { /* the best of 5: the least disturbed by the machine */
            double c0 = clock_s(CLOCK_THREAD_CPUTIME_ID), t0 = now();
            worker(NULL);
            double t = (now() - t0) * 1e9 / (double)n_pairs;
            double c = (clock_s(CLOCK_THREAD_CPUTIME_ID) - c0) * 1e9 / (double)n_pairs;
            if (c < best) best = c;
            if (t < best_wall) best_wall = t;
        }
        printf("record_pair_ns %.2f\nrecord_pair_wall_ns %.2f\n", best, best_wall);
        return 0;
    }
    if (argc >= 4 && strcmp(argv[1], "contended") == 0) {
        int nt = atoi(argv[2]);
        n_pairs = atol(argv[3]);
        pthread_t t[64];
        if (nt < 1 || nt > 64) return 2;
        double t0 = now();
        for (int i = 0; i < nt; i++)
            pthread_create(&t[i], NULL, worker, NULL);
        for (int i = 0; i < nt; i++)
            pthread_join(t[i], NULL);
        printf("record_contended_ops %.0f\n", (double)nt * (double)n_pairs / (now() - t0));
        return 0;
    }
    fprintf(stderr, "usage: lv_bench_record pair N | contended T N\n");
    return 2;
}
