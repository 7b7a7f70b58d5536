/* The sleeping barber, with semaphores as Dijkstra and Tanenbaum write it: `customers` counts
 * the customers waiting (the barber sleeps on it), `barber` lets one customer into the chair,
 * and `seats`, a semaphore of one, guards the count of waiting customers. Eight customers arrive
 * 2 ms apart at a shop of three chairs; a haircut takes 5 ms, so some are turned away. At
 * closing time main wakes the barber one last time. Every customer is either served or turned
 * away, and nothing hangs. Semaphores have no owner, so there is no lock order to report. */
// expect-not: deadlock lock_order misuse invariant race
// outcome: completed
// exit: 0
// stdout: 8 customers: every one served or turned away
// runs: 6
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <unistd.h>

#define CHAIRS 3
#define CUSTOMERS 8

static sem_t customers, barber, seats;
static int waiting, closed, served, turned_away;

static void *barber_main(void *arg) {
    (void)arg;
    pthread_setname_np(pthread_self(), "barber");
    for (;;) {
        sem_wait(&customers); /* sleep until a customer (or closing time) comes */
        sem_wait(&seats);
        if (closed && waiting == 0) {
            sem_post(&seats);
            return NULL;
        }
        waiting--;
        sem_post(&barber);
        sem_post(&seats);
        usleep(5000); /* cut hair */
    }
}

static void *customer(void *arg) {
    (void)arg;
    sem_wait(&seats);
    if (waiting < CHAIRS) {
        waiting++;
        sem_post(&customers);
        sem_post(&seats);
        sem_wait(&barber); /* get a haircut */
        sem_wait(&seats);
        served++;
        sem_post(&seats);
    } else {
        turned_away++;
        sem_post(&seats);
    }
    return NULL;
}

int main(void) {
    pthread_t b, c[CUSTOMERS];
    sem_init(&customers, 0, 0);
    sem_init(&barber, 0, 0);
    sem_init(&seats, 0, 1);
    pthread_create(&b, NULL, barber_main, NULL);
    for (int i = 0; i < CUSTOMERS; i++) {
        pthread_create(&c[i], NULL, customer, NULL);
        usleep(2000);
    }
    for (int i = 0; i < CUSTOMERS; i++)
        pthread_join(c[i], NULL);
    sem_wait(&seats);
    closed = 1;
    sem_post(&seats);
    sem_post(&customers);
    pthread_join(b, NULL);
    if (served + turned_away != CUSTOMERS) {
        printf("lost customers: %d served, %d turned away\n", served, turned_away);
        return 1;
    }
    printf("%d customers: every one served or turned away\n", CUSTOMERS);
    return 0;
}
