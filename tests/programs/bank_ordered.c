/* Bank transfers in one lock order: transfer() always locks the account with the lower id
 * first, whichever way the money goes. Four tellers make 100 transfers each between four
 * accounts picked at random (a fixed seed per teller), in both directions; the lock-order graph
 * only has edges from lower to higher ids, so no cycle and no deadlock can form. The total
 * stays 4000. Nothing to report. */
// expect-not: deadlock lock_order misuse invariant race
// outcome: completed
// exit: 0
// stdout: total 4000 after 400 transfers
// runs: 6
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define ACCOUNTS 4
#define TRANSFERS 100

struct account {
    int id;
    long balance;
    pthread_mutex_t lock;
};

static struct account accounts[ACCOUNTS];

static void transfer(struct account *from, struct account *to, long amount) {
    struct account *first = from->id < to->id ? from : to;
    struct account *second = from->id < to->id ? to : from;
    pthread_mutex_lock(&first->lock);
    pthread_mutex_lock(&second->lock);
    if (from->balance >= amount) {
        from->balance -= amount;
        to->balance += amount;
    }
    pthread_mutex_unlock(&second->lock);
    pthread_mutex_unlock(&first->lock);
}

static void *teller(void *arg) {
    unsigned seed = (unsigned)(long)arg;
    for (int i = 0; i < TRANSFERS; i++) {
        int a = rand_r(&seed) % ACCOUNTS;
        int b = (a + 1 + rand_r(&seed) % (ACCOUNTS - 1)) % ACCOUNTS;
        transfer(&accounts[a], &accounts[b], 1 + rand_r(&seed) % 100);
    }
    return NULL;
}

int main(void) {
    pthread_t t[4];
    for (int i = 0; i < ACCOUNTS; i++) {
        accounts[i].id = i;
        accounts[i].balance = 1000;
        pthread_mutex_init(&accounts[i].lock, NULL);
    }
    for (long i = 0; i < 4; i++)
        if (pthread_create(&t[i], NULL, teller, (void *)(i + 1)) != 0) return 1;
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    long total = 0;
    for (int i = 0; i < ACCOUNTS; i++)
        total += accounts[i].balance;
    printf("total %ld after %d transfers\n", total, 4 * TRANSFERS);
    return total == 1000 * ACCOUNTS ? 0 : 1;
}
