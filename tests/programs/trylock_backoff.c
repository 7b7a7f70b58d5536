/* Two locks in opposite orders, made safe by backing off. Each thread locks its first lock,
 * then only *tries* the second: if it is taken, the thread lets go of the first, waits a
 * moment (a different time for each thread, so they do not retry in step forever) and starts
 * again. A thread never waits for a lock while holding another, so no deadlock can form, and
 * a trylock adds no edge to the lock-order graph: lockviz must report nothing. */
// expect-not: deadlock lock_order misuse invariant race
// outcome: completed
// exit: 0
// stdout: 2 threads made 40 moves
// runs: 6
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

#define MOVES 20

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;
static int moves;

struct mover {
    pthread_mutex_t *first, *second;
    useconds_t pause;
};

static void *move(void *arg) {
    struct mover *m = arg;
    for (int done = 0; done < MOVES;) {
        pthread_mutex_lock(m->first);
        if (pthread_mutex_trylock(m->second) != 0) {
            pthread_mutex_unlock(m->first);
            usleep(m->pause);
            continue;
        }
        moves++; /* both locks held */
        done++;
        pthread_mutex_unlock(m->second);
        pthread_mutex_unlock(m->first);
    }
    return NULL;
}

int main(void) {
    struct mover m[2] = {{&a, &b, 100}, {&b, &a, 170}};
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        if (pthread_create(&t[i], NULL, move, &m[i]) != 0) return 1;
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    printf("2 threads made %d moves\n", moves);
    return moves == 2 * MOVES ? 0 : 1;
}
