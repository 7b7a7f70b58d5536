/* Every kind of call the recorder wraps, used correctly: a bounded buffer on a mutex and two
 * condition variables, readers and writers on an rwlock, unnamed and named semaphores, a
 * barrier, a spinlock, recursive and error-checking mutexes, tries and timeouts, sleeps,
 * detach and names. It must record with no finding. */
#include <fcntl.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t not_full = PTHREAD_COND_INITIALIZER, not_empty = PTHREAD_COND_INITIALIZER;
static int buf[4], count, head;
static pthread_rwlock_t table = PTHREAD_RWLOCK_INITIALIZER;
static int value;
static sem_t slots;
static pthread_barrier_t gate;
static pthread_spinlock_t spin;
static pthread_mutex_t rec, chk;

static void *producer(void *a) {
    (void)a;
    for (int i = 0; i < 20; i++) {
        pthread_mutex_lock(&mu);
        while (count == 4)
            pthread_cond_wait(&not_full, &mu);
        buf[(head + count++) % 4] = i;
        pthread_cond_signal(&not_empty);
        pthread_mutex_unlock(&mu);
    }
    return NULL;
}

static void *consumer(void *a) {
    (void)a;
    for (int i = 0; i < 20; i++) {
        pthread_mutex_lock(&mu);
        while (count == 0)
            pthread_cond_wait(&not_empty, &mu);
        head = (head + 1) % 4;
        count--;
        pthread_cond_broadcast(&not_full);
        pthread_mutex_unlock(&mu);
    }
    return NULL;
}

static void *reader(void *a) {
    (void)a;
    pthread_setname_np(pthread_self(), "reader");
    for (int i = 0; i < 10; i++) {
        pthread_rwlock_rdlock(&table);
        int v = value;
        (void)v;
        pthread_rwlock_unlock(&table);
    }
    sem_wait(&slots);
    usleep(1000);
    sem_post(&slots);
    pthread_barrier_wait(&gate);
    return NULL;
}

static void *writer(void *a) {
    (void)a;
    for (int i = 0; i < 10; i++) {
        pthread_rwlock_wrlock(&table);
        value++;
        pthread_rwlock_unlock(&table);
    }
    pthread_spin_lock(&spin);
    pthread_spin_unlock(&spin);
    pthread_barrier_wait(&gate);
    return NULL;
}

static void *loner(void *a) {
    (void)a;
    struct timespec d = {0, 1000000};
    nanosleep(&d, NULL);
    return NULL;
}

int main(void) {
    pthread_mutexattr_t at;
    pthread_mutexattr_init(&at);
    pthread_mutexattr_settype(&at, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&rec, &at);
    pthread_mutexattr_settype(&at, PTHREAD_MUTEX_ERRORCHECK);
    pthread_mutex_init(&chk, &at);
    pthread_mutexattr_destroy(&at);
    sem_init(&slots, 0, 2);
    pthread_barrier_init(&gate, NULL, 3);
    pthread_spin_init(&spin, PTHREAD_PROCESS_PRIVATE);
    sem_t *named = sem_open("/lockviz-test-kinds", O_CREAT, 0600, 1);
    sem_unlink("/lockviz-test-kinds");

    pthread_t p, c, r, w, l;
    pthread_create(&p, NULL, producer, NULL);
    pthread_create(&c, NULL, consumer, NULL);
    pthread_create(&r, NULL, reader, NULL);
    pthread_create(&w, NULL, writer, NULL);
    pthread_create(&l, NULL, loner, NULL);
    pthread_detach(l);

    pthread_mutex_lock(&rec);
    pthread_mutex_lock(&rec);
    pthread_mutex_unlock(&rec);
    pthread_mutex_unlock(&rec);
    if (pthread_mutex_trylock(&chk) == 0) pthread_mutex_unlock(&chk);
    struct timespec dl;
    clock_gettime(CLOCK_REALTIME, &dl);
    dl.tv_sec += 1;
    if (pthread_mutex_timedlock(&chk, &dl) == 0) pthread_mutex_unlock(&chk);
    if (named != SEM_FAILED) {
        sem_wait(named);
        sem_post(named);
        sem_close(named);
    }
    pthread_barrier_wait(&gate);
    struct timespec d = {0, 2000000};
    clock_nanosleep(CLOCK_MONOTONIC, 0, &d, NULL);
    pthread_join(p, NULL);
    pthread_join(c, NULL);
    pthread_join(r, NULL);
    pthread_join(w, NULL);
    pthread_mutex_destroy(&rec);
    pthread_mutex_destroy(&chk);
    sem_destroy(&slots);
    pthread_barrier_destroy(&gate);
    pthread_spin_destroy(&spin);
    puts("kinds done");
    return 0;
}
