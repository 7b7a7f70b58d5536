/* Bank transfers that deadlock (ABBA). transfer() locks the account it takes money from, then
 * the account it pays into. Teller 1 moves money from account 0 to account 1 while teller 2
 * moves money from 1 to 0: each holds the lock the other asks for next. The barrier stands for
 * the work done between the two locks (checking the balance, writing the log) and makes both
 * tellers hold their first lock on every run. lockviz reports the deadlock and the lock-order
 * inversion behind it, at the two lines of transfer(). */
// expect: deadlock lock_order
// expect-not: misuse invariant race
// outcome: deadlocked
// exit: stopped
// stdout: teller-2 locked account 1
// says: deadlock @from @to
// says: lock_order @from @to
// says: deadlock accounts[0].lock accounts[1].lock teller-1 teller-2
// count: deadlock 1
// count: lock_order 1
// runs: 4
#include <pthread.h>
#include <stdio.h>

struct account {
    int id;
    long balance;
    pthread_mutex_t lock;
};

static struct account accounts[2] = {
    {0, 500, PTHREAD_MUTEX_INITIALIZER},
    {1, 500, PTHREAD_MUTEX_INITIALIZER},
};
static pthread_barrier_t checked;

static void transfer(const char *who, struct account *from, struct account *to, long amount) {
    pthread_mutex_lock(&from->lock); // @from
    printf("%s locked account %d\n", who, from->id);
    pthread_barrier_wait(&checked);
    pthread_mutex_lock(&to->lock); // @to
    from->balance -= amount;
    to->balance += amount;
    pthread_mutex_unlock(&to->lock);
    pthread_mutex_unlock(&from->lock);
}

static void *teller(void *arg) {
    int id = (int)(long)arg;
    char name[16];
    snprintf(name, sizeof name, "teller-%d", id);
    pthread_setname_np(pthread_self(), name);
    if (id == 1)
        transfer(name, &accounts[0], &accounts[1], 100);
    else
        transfer(name, &accounts[1], &accounts[0], 50);
    return NULL;
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0); /* each line reaches a pipe before the hang */
    pthread_t t[2];
    pthread_barrier_init(&checked, NULL, 2);
    for (long i = 0; i < 2; i++)
        if (pthread_create(&t[i], NULL, teller, (void *)(i + 1)) != 0) return 1;
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    printf("balances %ld and %ld\n", accounts[0].balance, accounts[1].balance);
    return 0;
}
