/* A barrier between the phases of a parallel computation. Four workers each fill their quarter
 * of an array (phase 1), wait at the barrier, then each sums the whole array (phase 2), which
 * is only right if every quarter was filled: the barrier makes sure of that. A second wait
 * separates phase 2 from main's check. Nothing to report. */
// expect-not: deadlock lock_order misuse invariant race
// outcome: completed
// exit: 0
// stdout: 4 workers agree: sum 8256
// runs: 6
#include <pthread.h>
#include <stdio.h>

#define WORKERS 4
#define CELLS 128

static int cells[CELLS];
static long sums[WORKERS];
static pthread_barrier_t filled, summed;

static void *worker(void *arg) {
    int id = (int)(long)arg;
    int part = CELLS / WORKERS;
    for (int i = id * part; i < (id + 1) * part; i++)
        cells[i] = i + 1;
    pthread_barrier_wait(&filled);
    for (int i = 0; i < CELLS; i++)
        sums[id] += cells[i];
    pthread_barrier_wait(&summed);
    return NULL;
}

int main(void) {
    pthread_t t[WORKERS];
    pthread_barrier_init(&filled, NULL, WORKERS);
    pthread_barrier_init(&summed, NULL, WORKERS + 1);
    for (long i = 0; i < WORKERS; i++)
        pthread_create(&t[i], NULL, worker, (void *)i);
    pthread_barrier_wait(&summed);
    int agree = 1;
    for (int i = 0; i < WORKERS; i++)
        agree &= sums[i] == CELLS * (CELLS + 1) / 2;
    for (int i = 0; i < WORKERS; i++)
        pthread_join(t[i], NULL);
    pthread_barrier_destroy(&filled);
    pthread_barrier_destroy(&summed);
    if (!agree) {
        printf("the workers disagree\n");
        return 1;
    }
    printf("%d workers agree: sum %ld\n", WORKERS, sums[0]);
    return 0;
}
