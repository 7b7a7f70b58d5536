/* A thread calls exit(). A worker that finds a fatal problem (here, a missing configuration)
 * calls exit(3) while main is blocked joining it and a second worker holds a lock. exit() ends
 * the whole process at once with status 3: no join returns, no lock is released, and that is
 * fine. The recorder keeps everything up to the exit; nothing is reported. */
// expect-not: deadlock lock_order misuse invariant race
// outcome: completed
// exit: 3
// stderr: loader: no configuration, exiting with status 3
// runs: 6
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static pthread_mutex_t config_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t holding;

static void *loader(void *arg) {
    (void)arg;
    pthread_barrier_wait(&holding);
    fprintf(stderr, "loader: no configuration, exiting with status 3\n");
    exit(3);
}

static void *keeper(void *arg) {
    (void)arg;
    pthread_mutex_lock(&config_lock);
    pthread_barrier_wait(&holding);
    usleep(200000); /* still holding the lock when the process exits */
    pthread_mutex_unlock(&config_lock);
    return NULL;
}

int main(void) {
    pthread_t l, k;
    pthread_barrier_init(&holding, NULL, 2);
    pthread_create(&k, NULL, keeper, NULL);
    pthread_create(&l, NULL, loader, NULL);
    pthread_join(l, NULL);
    pthread_join(k, NULL);
    printf("main: not reached\n");
    return 0;
}
