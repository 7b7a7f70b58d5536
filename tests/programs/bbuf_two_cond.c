/* A bounded buffer with two condition variables, done right: producers wait on not_full,
 * consumers on not_empty, each in a `while` loop that re-checks the count after every wake-up.
 * Two producers put 50 numbers each through a buffer of 4 slots; two consumers take them until
 * each gets the end marker. The sum shows nothing was lost or taken twice. */
// expect-not: deadlock lock_order misuse invariant race
// outcome: completed
// exit: 0
// stdout: consumed 100 items, sum 2550
// runs: 6
#include <pthread.h>
#include <stdio.h>

#define SLOTS 4
#define ITEMS 50
#define DONE (-1)

static int buf[SLOTS], head, count;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t not_full = PTHREAD_COND_INITIALIZER;
static pthread_cond_t not_empty = PTHREAD_COND_INITIALIZER;
static long sum, taken;

static void put(int v) {
    pthread_mutex_lock(&lock);
    while (count == SLOTS)
        pthread_cond_wait(&not_full, &lock);
    buf[(head + count) % SLOTS] = v;
    count++;
    pthread_cond_signal(&not_empty);
    pthread_mutex_unlock(&lock);
}

static int get(void) {
    pthread_mutex_lock(&lock);
    while (count == 0)
        pthread_cond_wait(&not_empty, &lock);
    int v = buf[head];
    head = (head + 1) % SLOTS;
    count--;
    pthread_cond_signal(&not_full);
    pthread_mutex_unlock(&lock);
    return v;
}

static void *producer(void *arg) {
    (void)arg;
    for (int i = 1; i <= ITEMS; i++)
        put(i);
    return NULL;
}

static void *consumer(void *arg) {
    (void)arg;
    for (int v; (v = get()) != DONE;) {
        pthread_mutex_lock(&lock);
        sum += v;
        taken++;
        pthread_mutex_unlock(&lock);
    }
    return NULL;
}

int main(void) {
    pthread_t p[2], c[2];
    for (int i = 0; i < 2; i++) {
        if (pthread_create(&p[i], NULL, producer, NULL) != 0) return 1;
        if (pthread_create(&c[i], NULL, consumer, NULL) != 0) return 1;
    }
    for (int i = 0; i < 2; i++)
        pthread_join(p[i], NULL);
    put(DONE);
    put(DONE);
    for (int i = 0; i < 2; i++)
        pthread_join(c[i], NULL);
    printf("consumed %ld items, sum %ld\n", taken, sum);
    return taken == 2 * ITEMS && sum == 2 * (ITEMS * (ITEMS + 1) / 2) ? 0 : 1;
}
