/* A deadlock through two semaphores used as locks, taken in opposite orders: the ABBA of
 * bank_abba.c with sem_wait instead of pthread_mutex_lock. A semaphore has no owner, so lock
 * checkers that build a lock-order graph (lockdep, ThreadSanitizer, Helgrind) do not see it;
 * lockviz sees the real hang: each thread waits for a permit the other took. It reports the
 * deadlock (and no lock-order inversion: semaphores are not nodes of that graph). The barrier
 * makes both threads take their first permit on every run. */
// expect: deadlock
// expect-not: lock_order misuse invariant race
// outcome: deadlocked
// exit: stopped
// stdout: right has disk
// says: deadlock @second disk tape
// count: deadlock 1
// runs: 4
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

static sem_t disk, tape;
static pthread_barrier_t both_started;

struct job {
    const char *name;
    sem_t *first, *second;
};

static void *copier(void *arg) {
    struct job *j = arg;
    pthread_setname_np(pthread_self(), j->name);
    sem_wait(j->first); // @first
    printf("%s has %s\n", j->name, j->first == &disk ? "disk" : "tape");
    pthread_barrier_wait(&both_started);
    sem_wait(j->second); // @second
    sem_post(j->second);
    sem_post(j->first);
    return NULL;
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0); /* each line reaches a pipe before the hang */
    struct job jobs[2] = {{"left", &tape, &disk}, {"right", &disk, &tape}};
    pthread_t t[2];
    sem_init(&disk, 0, 1);
    sem_init(&tape, 0, 1);
    pthread_barrier_init(&both_started, NULL, 2);
    for (int i = 0; i < 2; i++)
        if (pthread_create(&t[i], NULL, copier, &jobs[i]) != 0) return 1;
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    printf("copied\n");
    return 0;
}
