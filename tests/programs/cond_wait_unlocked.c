/* A condition wait without its mutex. main is a monitor that wakes every 20 ms, or when the
 * worker signals, until the worker's `done` flag is set; it forgot to lock `lock` first.
 * pthread_cond_wait must be called with the mutex held: between the check of `done` and the wait,
 * the worker can set the flag and signal, and the signal is lost. POSIX leaves it undefined; glibc
 * unlocks the unheld mutex and relocks it on the way out, so only the first wait is made without
 * the mutex. The timed wait keeps each run finite. lockviz reports the wait as misuse, at its line.
 */
// expect: misuse
// expect-not: deadlock lock_order invariant race
// outcome: completed
// exit: 0
// stdout: main: worker done
// says: misuse @unlocked_wait
// count: misuse 1
// runs: 6
#include <pthread.h>
#include <stdio.h>
#include <time.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int done;

static void *worker(void *arg) {
    (void)arg;
    pthread_mutex_lock(&lock);
    done = 1;
    pthread_cond_signal(&cond);
    pthread_mutex_unlock(&lock);
    return NULL;
}

int main(void) {
    pthread_t t;
    if (pthread_create(&t, NULL, worker, NULL) != 0) return 1;
    do {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += 20 * 1000000;
        if (until.tv_nsec >= 1000000000) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000;
        }
        pthread_cond_timedwait(&cond, &lock, &until); // @unlocked_wait
    } while (!done);
    pthread_mutex_unlock(&lock); /* each wait returned with it locked */
    pthread_join(t, NULL);
    printf("main: worker done\n");
    return 0;
}
