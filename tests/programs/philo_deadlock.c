/* Dining philosophers that deadlock. Five philosophers sit at a round table with one fork
 * between each two. Each picks up the fork on the left, then the one on the right. When all
 * five hold their left fork, each waits for the fork its neighbour holds: a circle of waits
 * that never ends. The barrier lines the five up after the first fork, as a long think does,
 * so the circle closes on every run. Natively the program hangs; recorded, lockviz sees the
 * cycle, stops the program and names the forks and the two lines of each philosopher. */
// expect: deadlock lock_order
// expect-not: misuse invariant race
// outcome: deadlocked
// exit: stopped
// stdout: philosopher 4 has fork 4
// says: deadlock @left @right
// says: deadlock philosopher-3
// says: deadlock forks[2]
// count: deadlock 1
// count: lock_order 1
// runs: 4
#include <pthread.h>
#include <stdio.h>

#define N 5

static pthread_mutex_t forks[N];
static pthread_barrier_t seated;

static void *philosopher(void *arg) {
    int i = (int)(long)arg;
    int left = i, right = (i + 1) % N;
    char name[16];
    snprintf(name, sizeof name, "philosopher-%d", i);
    pthread_setname_np(pthread_self(), name);

    pthread_mutex_lock(&forks[left]); // @left
    printf("philosopher %d has fork %d\n", i, left);
    pthread_barrier_wait(&seated);
    pthread_mutex_lock(&forks[right]); // @right
    printf("philosopher %d eats\n", i);
    pthread_mutex_unlock(&forks[right]);
    pthread_mutex_unlock(&forks[left]);
    return NULL;
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0); /* each line reaches a pipe before the hang */
    pthread_t t[N];
    for (int i = 0; i < N; i++)
        pthread_mutex_init(&forks[i], NULL);
    pthread_barrier_init(&seated, NULL, N);
    for (long i = 0; i < N; i++)
        if (pthread_create(&t[i], NULL, philosopher, (void *)i) != 0) return 1;
    for (int i = 0; i < N; i++)
        pthread_join(t[i], NULL);
    printf("everyone ate\n");
    return 0;
}
