/* Detached threads: nobody joins them, so main must learn they finished some other way. Four
 * detached workers each add their share to a total under a lock, then count themselves out and
 * signal; main waits on the condition until the count reaches zero, in a `while` loop. A
 * detached thread's resources are freed when it ends. Nothing to report. */
// expect-not: deadlock lock_order misuse invariant race
// outcome: completed
// exit: 0
// stdout: 4 detached workers done, total 10
// runs: 6
#include <pthread.h>
#include <stdio.h>

#define WORKERS 4

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t finished = PTHREAD_COND_INITIALIZER;
static int running = WORKERS, total;

static void *worker(void *arg) {
    int share = (int)(long)arg;
    pthread_mutex_lock(&lock);
    total += share;
    running--;
    pthread_cond_signal(&finished);
    pthread_mutex_unlock(&lock);
    return NULL;
}

int main(void) {
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    for (long i = 1; i <= WORKERS; i++) {
        pthread_t t;
        if (i % 2) {
            if (pthread_create(&t, &attr, worker, (void *)i) != 0) return 1;
        } else if (pthread_create(&t, NULL, worker, (void *)i) == 0) {
            pthread_detach(t); /* the other way to detach */
        }
    }
    pthread_attr_destroy(&attr);
    pthread_mutex_lock(&lock);
    while (running > 0)
        pthread_cond_wait(&finished, &lock);
    pthread_mutex_unlock(&lock);
    printf("%d detached workers done, total %d\n", WORKERS, total);
    return 0;
}
