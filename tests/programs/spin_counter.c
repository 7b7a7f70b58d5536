/* A spinlock around a counter. pthread_spin_lock busy-waits instead of sleeping: right for
 * critical sections of a few instructions on a machine with a core per thread, wasteful when the
 * holder is descheduled. Two threads add 1 to a counter 2000 times each under the spinlock; the
 * counter ends at 4000. Nothing to report. */
// expect-not: deadlock lock_order misuse invariant race
// outcome: completed
// exit: 0
// stdout: counter = 4000
// runs: 6
#include <pthread.h>
#include <stdio.h>

#define ADDS 2000

static pthread_spinlock_t spin;
static long counter;

static void *adder(void *arg) {
    (void)arg;
    for (int i = 0; i < ADDS; i++) {
        pthread_spin_lock(&spin);
        counter++;
        pthread_spin_unlock(&spin);
    }
    return NULL;
}

int main(void) {
    pthread_t t[2];
    pthread_spin_init(&spin, PTHREAD_PROCESS_PRIVATE);
    for (int i = 0; i < 2; i++)
        if (pthread_create(&t[i], NULL, adder, NULL) != 0) return 1;
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    pthread_spin_destroy(&spin);
    printf("counter = %ld\n", counter);
    return counter == 2 * ADDS ? 0 : 1;
}
