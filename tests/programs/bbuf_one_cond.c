/* A bounded buffer with one condition variable for both "not full" and "not empty". It works,
 * but only because every change wakes everyone (`pthread_cond_broadcast`) and every waiter
 * re-checks its own condition in a `while` loop: a `signal` could wake a producer when only a
 * consumer can go on. Same work as bbuf_two_cond.c: 100 numbers through 4 slots. */
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
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static long sum, taken;

static void put(int v) {
    pthread_mutex_lock(&lock);
    while (count == SLOTS)
        pthread_cond_wait(&changed, &lock);
    buf[(head + count) % SLOTS] = v;
    count++;
    pthread_cond_broadcast(&changed);
    pthread_mutex_unlock(&lock);
}

static int get(void) {
    pthread_mutex_lock(&lock);
    while (count == 0)
        pthread_cond_wait(&changed, &lock);
    int v = buf[head];
    head = (head + 1) % SLOTS;
    count--;
    if (v != DONE) {
        sum += v;
        taken++;
    }
    pthread_cond_broadcast(&changed);
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
    while (get() != DONE)
        ;
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
