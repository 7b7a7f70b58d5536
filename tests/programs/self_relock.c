/* A normal mutex locked again by the thread that holds it. deposit() takes the account's lock
 * and, still holding it, calls log_balance(), which takes the same lock to read the balance. A
 * normal (non-recursive) mutex does not count its holder's locks: the second lock waits for the
 * lock to be free, which only its own thread could make it, so the thread waits forever.
 * lockviz reports the relock as misuse and the hang as a deadlock of one thread, at both
 * lines. (An error-check mutex returns EDEADLK instead, see errorcheck_mutex.c; a recursive
 * one allows it, see recursive_mutex.c.) */
// expect: deadlock misuse
// expect-not: lock_order invariant race
// outcome: deadlocked
// exit: stopped
// stdout: depositing 100
// says: misuse @relock
// says: deadlock @relock account_lock
// count: deadlock 1
// count: misuse 1
// runs: 4
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t account_lock;
static long balance = 500;

static void log_balance(void) {
    pthread_mutex_lock(&account_lock); // @relock
    printf("balance %ld\n", balance);
    pthread_mutex_unlock(&account_lock);
}

static void deposit(long amount) {
    pthread_mutex_lock(&account_lock); // @first
    printf("depositing %ld\n", amount);
    balance += amount;
    log_balance();
    pthread_mutex_unlock(&account_lock);
}

static void *clerk(void *arg) {
    (void)arg;
    deposit(100);
    return NULL;
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0); /* each line reaches a pipe before the hang */
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_NORMAL);
    pthread_mutex_init(&account_lock, &attr);
    pthread_mutexattr_destroy(&attr);
    pthread_t t;
    if (pthread_create(&t, NULL, clerk, NULL) != 0) return 1;
    pthread_join(t, NULL);
    return 0;
}
