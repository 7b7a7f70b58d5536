/* A plain pthread program for the `lockviz record` rows of bench/run: run as it is, under
 * lockviz record, and built with ThreadSanitizer, the same code on the same machine.
 *   pair N          N uncontended lock+unlock pairs of one mutex, 5 times: prints
 *                   record_pair_ns (the thread's CPU time a pair, the best of the 5) and
 *                   record_pair_wall_ns (the wall-clock time a pair, the best of the 5)
 *   contended T N   T threads, N pairs each, on one mutex: prints record_contended_ops
 *   pingpong K      two threads hand a turn back and forth K times with two semaphores (2K
 *                   hand-offs), prints nothing: bench/run times the whole process from
 *                   outside, since under `lockviz record --mode controlled` the clock the
 *                   program reads is virtual
 *   spawn N PROG ARGS...  N plain fork+exec+wait of PROG, one after the other: the floor of
 *                   a run of `lockviz explore` (each of its runs is a fresh process); prints
 *                   spawn_runs_per_s
 * The thread's CPU time counts what the pair costs the program, in user space and in the
 * kernel (page faults, system calls), and not the time other processes of a shared machine
 * hold the core: a pass as long as a recorded or sanitized one is often preempted on a
 * loaded machine where a raw pass, ten times shorter, is not. It knows nothing of lockviz. */
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

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

static sem_t ping, pong;

static void *ponger(void *a) {
    long k = *(const long *)a;
    for (long i = 0; i < k; i++) {
        sem_wait(&ping);
        sem_post(&pong);
    }
    return NULL;
}

static int pingpong(long k) {
    pthread_t t;
    if (sem_init(&ping, 0, 0) || sem_init(&pong, 0, 0)) return 1;
    if (pthread_create(&t, NULL, ponger, &k) != 0) return 1;
    for (long i = 0; i < k; i++) {
        sem_post(&ping);
        sem_wait(&pong);
    }
    pthread_join(t, NULL);
    return 0;
}

static int spawn(long n, char **argv) {
    double t0 = now();
    for (long i = 0; i < n; i++) {
        pid_t p = fork();
        if (p < 0) return 1;
        if (p == 0) {
            int fd = open("/dev/null", O_RDWR); /* as explore gives its runs */
            if (fd >= 0) {
                dup2(fd, 0);
                dup2(fd, 1);
                dup2(fd, 2);
            }
            execv(argv[0], argv);
            _exit(127);
        }
        int st;
        if (waitpid(p, &st, 0) != p || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
            fprintf(stderr, "lv_bench_record spawn: %s did not exit with status 0\n", argv[0]);
            return 1;
        }
    }
    printf("spawn_runs_per_s %.1f\n", (double)n / (now() - t0));
    return 0;
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
    if (argc >= 3 && strcmp(argv[1], "pingpong") == 0 && atol(argv[2]) > 0)
        return pingpong(atol(argv[2]));
    if (argc >= 4 && strcmp(argv[1], "spawn") == 0 && atol(argv[2]) > 0)
        return spawn(atol(argv[2]), argv + 3);
    fprintf(stderr, "usage: lv_bench_record pair N | contended T N | pingpong K | spawn N PROG "
                    "ARGS...\n");
    return 2;
}
