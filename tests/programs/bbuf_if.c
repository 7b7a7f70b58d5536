/* The bounded buffer's classic bug: `if` instead of `while` around the wait. Two consumers
 * wait on an empty buffer; the producer puts one item and wakes everyone, as a buffer with one
 * condition variable must (`pthread_cond_broadcast`). The first consumer takes the item; the
 * second, woken too, does not re-check the count and takes from an empty buffer. A second
 * condition, `waiting`, only lets the producer wait until both consumers are asleep, so the bug
 * shows on every run instead of once in a while.
 * lockviz finds nothing: every lock is paired and nothing hangs. The bug is in the data, which
 * a recorder of lock calls does not see; the trace shows one broadcast that woke two consumers
 * (its notify has the value 2) for one item, and the program's own check fails (exit 1). */
// expect-not: deadlock lock_order misuse invariant race
// outcome: completed
// exit: 1
// stdout: took an item from an empty buffer
// runs: 6
#include <pthread.h>
#include <stdio.h>

#define SLOTS 4

static int buf[SLOTS], head, count, asleep;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static pthread_cond_t waiting = PTHREAD_COND_INITIALIZER;
static int broken;

static void *consumer(void *arg) {
    int id = (int)(long)arg;
    pthread_mutex_lock(&lock);
    if (count == 0) { /* BUG: must be `while` */
        asleep++;
        pthread_cond_signal(&waiting);
        pthread_cond_wait(&changed, &lock);
    }
    int v = buf[head];
    head = (head + 1) % SLOTS;
    count--;
    if (count < 0) {
        printf("consumer %d took an item from an empty buffer (count %d)\n", id, count);
        broken = 1;
    } else {
        printf("consumer %d took %d\n", id, v);
    }
    pthread_mutex_unlock(&lock);
    return NULL;
}

int main(void) {
    pthread_t c[2];
    for (long i = 0; i < 2; i++)
        if (pthread_create(&c[i], NULL, consumer, (void *)(i + 1)) != 0) return 1;
    pthread_mutex_lock(&lock);
    while (asleep < 2)
        pthread_cond_wait(&waiting, &lock);
    buf[(head + count) % SLOTS] = 42;
    count++;
    pthread_cond_broadcast(&changed);
    pthread_mutex_unlock(&lock);
    for (int i = 0; i < 2; i++)
        pthread_join(c[i], NULL);
    return broken;
}
