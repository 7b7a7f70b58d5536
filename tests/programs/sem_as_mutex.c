/* A semaphore of one permit used as a mutex: sem_wait before the critical section, sem_post
 * after. Four threads add 1 to a counter 500 times each; the semaphore lets one in at a time,
 * so the counter ends at 2000. Unlike a mutex a semaphore has no owner (any thread may post),
 * which is why lockviz does not treat it as a lock in its lock-order graph; used like this it
 * still serialises. Nothing to report. */
// expect-not: deadlock lock_order misuse invariant race
// outcome: completed
// exit: 0
// stdout: counter = 2000
// runs: 6
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

#define THREADS 4
#define ADDS 500

static sem_t gate;
static long counter;

static void *adder(void *arg) {
    (void)arg;
    for (int i = 0; i < ADDS; i++) {
        sem_wait(&gate);
        counter++;
        sem_post(&gate);
    }
    return NULL;
}

int main(void) {
    pthread_t t[THREADS];
    sem_init(&gate, 0, 1);
    for (int i = 0; i < THREADS; i++)
        if (pthread_create(&t[i], NULL, adder, NULL) != 0) return 1;
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    sem_destroy(&gate);
    printf("counter = %ld\n", counter);
    return counter == THREADS * ADDS ? 0 : 1;
}
