/* A mutex unlocked by a thread that does not hold it. main locks `printer` and hands the job
 * to a worker, meaning "unlock it when you are done printing", as if the mutex were a signal.
 * POSIX leaves that undefined for a normal mutex (an error-check mutex returns EPERM); glibc
 * lets it pass, so the program seems to work. lockviz reports the unlock as misuse, naming
 * the holder, at the worker's line. A semaphore is the tool for "I am done". */
// expect: misuse
// expect-not: deadlock lock_order invariant race
// outcome: completed
// exit: 0
// stdout: main: printer free again
// says: misuse @wrong_unlock printer main
// count: misuse 1
// runs: 6
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t printer = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *arg) {
    (void)arg;
    printf("worker: printing\n");
    pthread_mutex_unlock(&printer); // @wrong_unlock
    return NULL;
}

int main(void) {
    pthread_t t;
    pthread_mutex_lock(&printer);
    if (pthread_create(&t, NULL, worker, NULL) != 0) return 1;
    pthread_join(t, NULL);
    pthread_mutex_lock(&printer);
    printf("main: printer free again\n");
    pthread_mutex_unlock(&printer);
    return 0;
}
