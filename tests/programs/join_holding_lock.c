/* A deadlock through a join: main holds the log's lock while it waits for the worker to finish,
 * and the worker needs that lock to write its last line. main waits for the worker, the worker
 * waits for main's lock: a cycle of two, one edge of which is a join, not a lock. Lock-order
 * checkers miss it (there is only one lock); lockviz follows the join and reports the
 * deadlock, at the join and at the lock. */
// expect: deadlock
// expect-not: lock_order misuse invariant race
// outcome: deadlocked
// exit: stopped
// stdout: main: waiting for the worker
// says: deadlock @lock
// says: deadlock @join
// count: deadlock 1
// runs: 4
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *arg) {
    (void)arg;
    pthread_mutex_lock(&log_lock); // @lock
    printf("worker: finished\n");
    pthread_mutex_unlock(&log_lock);
    return NULL;
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0); /* each line reaches a pipe before the hang */
    pthread_t t;
    pthread_mutex_lock(&log_lock);
    if (pthread_create(&t, NULL, worker, NULL) != 0) return 1;
    printf("main: waiting for the worker\n");
    pthread_join(t, NULL); // @join
    pthread_mutex_unlock(&log_lock);
    return 0;
}
