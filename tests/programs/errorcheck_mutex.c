/* An error-check mutex turns lock mistakes into error codes. The same two mistakes as
 * self_relock.c and unlock_wrong_thread.c, on a PTHREAD_MUTEX_ERRORCHECK mutex: locking it
 * again returns EDEADLK instead of hanging, and an unlock by a thread that does not hold it
 * returns EPERM instead of unlocking. The program checks both codes and goes on. The program
 * still made the mistakes, so lockviz reports misuse; but nothing hangs, so no deadlock. */
// expect: misuse
// expect-not: deadlock lock_order invariant race
// outcome: completed
// exit: 0
// stdout: relock: EDEADLK
// stdout: unlock from another thread: EPERM
// says: misuse @relock @wrong_unlock
// says-not: misuse waits for itself forever
// count: misuse 2
// runs: 6
#include <errno.h>
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t lock;

static const char *code(int e) {
    return e == 0 ? "0" : e == EDEADLK ? "EDEADLK" : e == EPERM ? "EPERM" : "another error";
}

static void *intruder(void *arg) {
    (void)arg;
    int e = pthread_mutex_unlock(&lock); // @wrong_unlock
    printf("unlock from another thread: %s\n", code(e));
    return NULL;
}

int main(void) {
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK);
    pthread_mutex_init(&lock, &attr);
    pthread_mutexattr_destroy(&attr);

    pthread_mutex_lock(&lock);
    int e = pthread_mutex_lock(&lock); // @relock
    printf("relock: %s\n", code(e));
    pthread_t t;
    pthread_create(&t, NULL, intruder, NULL);
    pthread_join(t, NULL);
    e = pthread_mutex_unlock(&lock);
    printf("unlock by the holder: %s\n", code(e));
    pthread_mutex_destroy(&lock);
    return 0;
}
