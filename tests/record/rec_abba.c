/* Two transfers between two accounts, for explore: teller 1 moves money from a to b, teller 2
 * from b to a, each locking its source's account first ("abba"), or the account of the lower
 * number first ("ordered"). Nothing lines the tellers up: "abba" deadlocks only when a teller
 * is preempted between its two locks, which a run without preemptions never does; "ordered"
 * cannot deadlock. Each teller makes `rounds` transfers (the second argument, default 1). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct account {
    pthread_mutex_t lock;
    int number, balance;
} account;

static account acc[2] = {{PTHREAD_MUTEX_INITIALIZER, 0, 100}, {PTHREAD_MUTEX_INITIALIZER, 1, 100}};
static int ordered, rounds = 1;

static void *teller(void *arg) {
    account *from = &acc[(long)arg], *to = &acc[1 - (long)arg];
    account *first = from, *second = to;
    if (ordered && first->number > second->number) {
        first = to;
        second = from;
    }
    for (int r = 0; r < rounds; r++) {
        pthread_mutex_lock(&first->lock);
        pthread_mutex_lock(&second->lock);
        from->balance -= 10;
        to->balance += 10;
        pthread_mutex_unlock(&second->lock);
        pthread_mutex_unlock(&first->lock);
    }
    return NULL;
}

int main(int argc, char **argv) {
    ordered = argc > 1 && strcmp(argv[1], "ordered") == 0;
    if (argc > 2) rounds = atoi(argv[2]);
    pthread_t t[2];
    for (long i = 0; i < 2; i++)
        if (pthread_create(&t[i], NULL, teller, (void *)i) != 0) return 1;
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    printf("total %d\n", acc[0].balance + acc[1].balance);
    return acc[0].balance + acc[1].balance == 200 ? 0 : 1;
}
