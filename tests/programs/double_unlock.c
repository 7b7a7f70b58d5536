/* A mutex unlocked twice. An error path unlocks the queue's lock and then falls through to the
 * common exit, which unlocks it again: the second unlock is of a mutex nobody holds. POSIX
 * leaves that undefined for a normal mutex (EPERM on an error-check one); glibc lets it pass.
 * lockviz reports the second unlock as misuse, at its line. */
// expect: misuse
// expect-not: deadlock lock_order invariant race
// outcome: completed
// exit: 0
// stdout: queue full, dropped 3 of 8
// says: misuse @second_unlock
// count: misuse 1
// runs: 6
#include <pthread.h>
#include <stdio.h>

#define SLOTS 5

static pthread_mutex_t queue_lock = PTHREAD_MUTEX_INITIALIZER;
static int queue[SLOTS], used, dropped;

static void push(int v) {
    pthread_mutex_lock(&queue_lock);
    if (used == SLOTS) {
        dropped++;
        pthread_mutex_unlock(&queue_lock); /* the error path unlocks ... */
    } else {
        queue[used++] = v;
    }
    pthread_mutex_unlock(&queue_lock); // @second_unlock
}

static void *producer(void *arg) {
    (void)arg;
    for (int i = 0; i < 8; i++)
        push(i);
    return NULL;
}

int main(void) {
    pthread_t t;
    if (pthread_create(&t, NULL, producer, NULL) != 0) return 1;
    pthread_join(t, NULL);
    printf("queue full, dropped %d of 8\n", dropped);
    return 0;
}
