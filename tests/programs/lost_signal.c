/* A lost wake-up: the signal is sent before anyone waits. main signals "ready" and only then
 * starts the waiter, which waits on the condition without a predicate variable to tell it the
 * signal already came. A condition variable keeps no memory of a signal nobody was waiting
 * for, so the waiter sleeps forever and main, joining it, too. No lock is held in a circle:
 * lockviz reports the hang as a deadlock where no thread can go on (the waiter on the
 * condition, main on the join), and stops the program. */
// expect: deadlock
// expect-not: lock_order misuse invariant race
// outcome: deadlocked
// exit: stopped
// stdout: main: signalled ready
// says: deadlock @wait
// says: deadlock @join
// count: deadlock 1
// runs: 4
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ready = PTHREAD_COND_INITIALIZER;

static void *waiter(void *arg) {
    (void)arg;
    pthread_mutex_lock(&lock);
    printf("waiter: waiting for ready\n");
    pthread_cond_wait(&ready, &lock); // @wait
    printf("waiter: got ready\n");
    pthread_mutex_unlock(&lock);
    return NULL;
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0); /* each line reaches a pipe before the hang */
    pthread_t t;
    pthread_mutex_lock(&lock);
    pthread_cond_signal(&ready); /* nobody waits yet: the signal is lost */
    pthread_mutex_unlock(&lock);
    printf("main: signalled ready\n");
    if (pthread_create(&t, NULL, waiter, NULL) != 0) return 1;
    pthread_join(t, NULL); // @join
    printf("main: done\n");
    return 0;
}
