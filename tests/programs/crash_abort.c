/* A program that aborts mid-run: an assert fails. Two ATM threads withdraw from one account;
 * withdraw() asserts, under the account's lock, that the balance covers the amount, and the
 * second withdrawal does not check first. assert() prints the failed condition on stderr and
 * calls abort(): the process dies of SIGABRT (signal 6) with the lock still held. The recorder
 * keeps the events before the abort. No deadlock, no misuse. */
// expect-not: deadlock lock_order misuse invariant race
// outcome: aborted
// exit: signal 6
// stdout: atm-1 withdrew 80
// stderr: Assertion
// runs: 6
#include <assert.h>
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t account_lock = PTHREAD_MUTEX_INITIALIZER;
static long balance = 100;

static void withdraw(const char *who, long amount) {
    pthread_mutex_lock(&account_lock);
    assert(balance >= amount);
    balance -= amount;
    printf("%s withdrew %ld\n", who, amount);
    fflush(stdout);
    pthread_mutex_unlock(&account_lock);
}

static void *atm(void *arg) {
    withdraw(arg, 80);
    return NULL;
}

int main(void) {
    pthread_t a, b;
    pthread_create(&a, NULL, atm, "atm-1");
    pthread_join(a, NULL); /* the second ATM comes after the first */
    pthread_create(&b, NULL, atm, "atm-2");
    pthread_join(b, NULL);
    printf("balance %ld\n", balance);
    return 0;
}
