/* 16 threads, each taking and giving back one shared mutex N times (argv[1], default 100000):
 * the recorder must keep every acquire and release. With argv[2] = P each thread sleeps 5 ms
 * after every P rounds: a program that records more than lockviz's buffer holds, in bursts,
 * so that the buffer's chunks are handed back and written again. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long counter, rounds = 100000, pause_every;

static void *worker(void *arg) {
    (void)arg;
    for (long i = 0; i < rounds; i++) {
        pthread_mutex_lock(&lock);
        counter++;
        pthread_mutex_unlock(&lock);
        if (pause_every && (i + 1) % pause_every == 0) usleep(5000);
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc > 1) rounds = atol(argv[1]);
    if (argc > 2) pause_every = atol(argv[2]);
    pthread_t t[16];
    for (int i = 0; i < 16; i++)
        if (pthread_create(&t[i], NULL, worker, NULL) != 0) return 1;
    for (int i = 0; i < 16; i++)
        pthread_join(t[i], NULL);
    printf("counter %ld\n", counter);
    return counter == 16 * rounds ? 0 : 1;
}
