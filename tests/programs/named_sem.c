/* A named semaphore (sem_open) as a pool of two printers shared by five jobs. A named
 * semaphore lives in the system, not in the process, so unrelated processes can share it; this
 * one is removed (sem_unlink) as soon as it is open. Each job takes a printer, prints, and gives
 * it back; a count under a mutex checks that no more than two print at once. Nothing to
 * report. */
// expect-not: deadlock lock_order misuse invariant race
// outcome: completed
// exit: 0
// stdout: 5 jobs printed, never more than 2 at once
// runs: 6
// uses-pid: yes
#include <fcntl.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <unistd.h>

#define JOBS 5

static sem_t *printers;
static pthread_mutex_t count_lock = PTHREAD_MUTEX_INITIALIZER;
static int printing, most, printed;

static void *job(void *arg) {
    (void)arg;
    sem_wait(printers);
    pthread_mutex_lock(&count_lock);
    if (++printing > most) most = printing;
    pthread_mutex_unlock(&count_lock);
    usleep(3000); /* print */
    pthread_mutex_lock(&count_lock);
    printing--;
    printed++;
    pthread_mutex_unlock(&count_lock);
    sem_post(printers);
    return NULL;
}

int main(void) {
    char name[64];
    snprintf(name, sizeof name, "/lockviz-printers-%ld", (long)getpid());
    printers = sem_open(name, O_CREAT | O_EXCL, 0600, 2);
    if (printers == SEM_FAILED) {
        perror("sem_open");
        return 2;
    }
    sem_unlink(name);
    pthread_t t[JOBS];
    for (int i = 0; i < JOBS; i++)
        pthread_create(&t[i], NULL, job, NULL);
    for (int i = 0; i < JOBS; i++)
        pthread_join(t[i], NULL);
    sem_close(printers);
    if (printed != JOBS || most > 2) {
        printf("%d jobs printed, %d at once\n", printed, most);
        return 1;
    }
    printf("%d jobs printed, never more than 2 at once\n", printed);
    return 0;
}
