/* Time in a controlled recording: a thread sleeps 1000 s while main waits 600 s on a
 * condition nobody signals, 1 s on a semaphore nobody posts, then joins the sleeper; main
 * prints the seconds each clock says went by. Controlled, the clocks are virtual: it prints
 * 1000 for each and ends at once (really sleeping, it would outlast its test's timeout).
 * Live, it would take 1000 s: the tests only record it controlled. */
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t never = PTHREAD_COND_INITIALIZER;

static void *sleeper(void *arg) {
    (void)arg;
    sleep(999);
    usleep(500000);
    struct timespec half = {0, 500000000};
    nanosleep(&half, NULL);
    return NULL;
}

static double mono(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(void) {
    double m0 = mono();
    time_t t0 = time(NULL);
    struct timeval g0, g1;
    gettimeofday(&g0, NULL);
    pthread_t t;
    if (pthread_create(&t, NULL, sleeper, NULL) != 0) return 1;

    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 600;
    pthread_mutex_lock(&m);
    int r = pthread_cond_timedwait(&never, &m, &until);
    pthread_mutex_unlock(&m);
    int wrong = r != ETIMEDOUT; /* nobody signals: only the timeout can end the wait */
    printf("timedwait: %s after %.0f s\n", r == ETIMEDOUT ? "ETIMEDOUT" : "woken", mono() - m0);

    sem_t s;
    sem_init(&s, 0, 0);
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 1;
    r = sem_timedwait(&s, &until);
    wrong |= !(r != 0 && errno == ETIMEDOUT); /* nobody posts */
    printf("sem_timedwait: %s after %.0f s\n", r != 0 && errno == ETIMEDOUT ? "ETIMEDOUT" : "got",
           mono() - m0);

    pthread_join(t, NULL);
    gettimeofday(&g1, NULL);
    printf("monotonic %.0f s\n", mono() - m0);
    printf("time %ld s\n", (long)(time(NULL) - t0));
    printf("gettimeofday %ld s\n", (long)(g1.tv_sec - g0.tv_sec));
    return wrong ? 1 : 0;
}
