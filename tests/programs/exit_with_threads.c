/* main returns while two threads still run: a ticker that counts under a lock every 2 ms, and
 * a listener waiting on a condition nobody will signal. Returning from main calls exit(), which
 * ends the whole process, threads included: that is normal and no deadlock, even though the
 * listener never got its signal (the process did not hang; it ended). The trace shows the two
 * threads cut off at exit. Nothing to report. */
// expect-not: deadlock lock_order misuse invariant race
// outcome: completed
// exit: 0
// stdout: main: leaving with 2 threads running
// runs: 6
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t news = PTHREAD_COND_INITIALIZER;
static long ticks;

static void *ticker(void *arg) {
    (void)arg;
    for (;;) {
        pthread_mutex_lock(&lock);
        ticks++;
        pthread_mutex_unlock(&lock);
        usleep(2000);
    }
    return NULL;
}

static void *listener(void *arg) {
    (void)arg;
    pthread_mutex_lock(&lock);
    for (;;)
        pthread_cond_wait(&news, &lock);
    return NULL;
}

int main(void) {
    pthread_t a, b;
    pthread_create(&a, NULL, ticker, NULL);
    pthread_create(&b, NULL, listener, NULL);
    usleep(20000);
    printf("main: leaving with 2 threads running\n");
    return 0;
}
