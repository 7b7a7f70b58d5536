/* A timed lock that gives up, and so breaks what would be an ABBA deadlock. Teller 1 holds
 * account A and asks for B with pthread_mutex_timedlock and a 50 ms limit; teller 2 holds B
 * and asks for A. Both hold their first lock (the barrier), so teller 1's wait times out: it
 * lets go of A, reports the failed transfer, and teller 2 goes on. A wait with a timeout
 * cannot last forever, so lockviz puts no edge for it in the lock-order graph: no lock-order
 * inversion, no deadlock, nothing to report. */
// expect-not: deadlock lock_order misuse invariant race
// outcome: completed
// exit: 0
// stdout: teller-1 gave up on account B
// stdout: teller-2 moved 50 from B to A
// runs: 6
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <time.h>

static pthread_mutex_t account_a = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t account_b = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t both_hold;

static void *teller1(void *arg) {
    (void)arg;
    pthread_setname_np(pthread_self(), "teller-1");
    pthread_mutex_lock(&account_a);
    pthread_barrier_wait(&both_hold);
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_nsec += 50 * 1000000;
    if (until.tv_nsec >= 1000000000) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000;
    }
    if (pthread_mutex_timedlock(&account_b, &until) == ETIMEDOUT) {
        printf("teller-1 gave up on account B\n");
    } else {
        printf("teller-1 moved 100 from A to B\n");
        pthread_mutex_unlock(&account_b);
    }
    pthread_mutex_unlock(&account_a);
    return NULL;
}

static void *teller2(void *arg) {
    (void)arg;
    pthread_setname_np(pthread_self(), "teller-2");
    pthread_mutex_lock(&account_b);
    pthread_barrier_wait(&both_hold);
    pthread_mutex_lock(&account_a);
    printf("teller-2 moved 50 from B to A\n");
    pthread_mutex_unlock(&account_a);
    pthread_mutex_unlock(&account_b);
    return NULL;
}

int main(void) {
    pthread_t t1, t2;
    pthread_barrier_init(&both_hold, NULL, 2);
    if (pthread_create(&t1, NULL, teller1, NULL) != 0) return 1;
    if (pthread_create(&t2, NULL, teller2, NULL) != 0) return 1;
    pthread_join(t1, NULL);
    pthread_join(t2, NULL);
    return 0;
}
