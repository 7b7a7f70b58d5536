/* Dining philosophers that cannot deadlock: every philosopher picks up the lower-numbered of
 * its two forks first. Philosopher 4 takes fork 0 before fork 4, so the forks are always taken
 * in one global order and no circle of waits can form. The lock-order graph has the edges
 * 0->1, 1->2, 2->3, 3->4 and 0->4: no cycle, so lockviz must report nothing at all. */
// expect-not: deadlock lock_order misuse invariant race
// outcome: completed
// exit: 0
// stdout: 5 philosophers ate 50 meals
// runs: 6
#include <pthread.h>
#include <stdio.h>

#define N 5
#define MEALS 10

static pthread_mutex_t forks[N];
static pthread_mutex_t count_lock = PTHREAD_MUTEX_INITIALIZER;
static int meals;

static void *philosopher(void *arg) {
    int i = (int)(long)arg;
    int a = i, b = (i + 1) % N;
    int first = a < b ? a : b, second = a < b ? b : a;
    char name[16];
    snprintf(name, sizeof name, "philosopher-%d", i);
    pthread_setname_np(pthread_self(), name);

    for (int m = 0; m < MEALS; m++) {
        pthread_mutex_lock(&forks[first]);
        pthread_mutex_lock(&forks[second]);
        pthread_mutex_lock(&count_lock);
        meals++;
        pthread_mutex_unlock(&count_lock);
        pthread_mutex_unlock(&forks[second]);
        pthread_mutex_unlock(&forks[first]);
    }
    return NULL;
}

int main(void) {
    pthread_t t[N];
    for (int i = 0; i < N; i++)
        pthread_mutex_init(&forks[i], NULL);
    for (long i = 0; i < N; i++)
        if (pthread_create(&t[i], NULL, philosopher, (void *)i) != 0) return 1;
    for (int i = 0; i < N; i++)
        pthread_join(t[i], NULL);
    printf("%d philosophers ate %d meals\n", N, meals);
    return meals == N * MEALS ? 0 : 1;
}
