/* Dining philosophers for the record tests: "deadlock" takes the left fork, waits, then the
 * right one (a cycle); "ordered" takes the lower-numbered fork first (no cycle possible). */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define N 5
pthread_mutex_t forks[N] = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER,
                            PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER,
                            PTHREAD_MUTEX_INITIALIZER};
static int ordered;

static void *philosopher(void *arg) {
    long i = (long)arg;
    char name[16];
    snprintf(name, sizeof name, "philosopher-%ld", i);
    pthread_setname_np(pthread_self(), name);
    int a = (int)i, b = (int)((i + 1) % N);
    if (ordered && a > b) {
        int t = a;
        a = b;
        b = t;
    }
    pthread_mutex_lock(&forks[a]);
    usleep(ordered ? 1000 : 50000);
    pthread_mutex_lock(&forks[b]);
    pthread_mutex_unlock(&forks[b]);
    pthread_mutex_unlock(&forks[a]);
    return NULL;
}

int main(int argc, char **argv) {
    ordered = argc > 1 && strcmp(argv[1], "ordered") == 0;
    pthread_t t[N];
    for (long i = 0; i < N; i++)
        if (pthread_create(&t[i], NULL, philosopher, (void *)i) != 0) return 1;
    for (int i = 0; i < N; i++)
        pthread_join(t[i], NULL);
    puts("all philosophers ate");
    return 0;
}
