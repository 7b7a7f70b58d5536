/* A plain pthread program for the `lockviz record` rows of bench/run: run as it is, under
 * lockviz record, and built with ThreadSanitizer, the same code on the same machine.
 *   pair N          N uncontended lock+unlock pairs of one mutex: prints record_pair_ns
 *   contended T N   T threads, N pairs each, on one mutex: prints record_contended_ops
 * It knows nothing of lockviz. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static long n_pairs;
static volatile long sink;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
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
        double best = 1e30;
        for (int r = 0; r < 5; r++) { /* the best of 5: the least disturbed by the machine */
            double t0 = now();
            worker(NULL);
            double t = (now() - t0) * 1e9 / (double)n_pairs;
            if (t < best) best = t;
        }
        printf("record_pair_ns %.2f\n", best);
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
