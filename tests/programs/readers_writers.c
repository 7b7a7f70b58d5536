/* Readers and writers on a read-write lock. Three readers read a table of eight numbers at the
 * same time (read holds share the lock); two writers each add 1 to all eight, alone (a write
 * hold excludes everyone). A reader that ever saw two different numbers in the table would have
 * seen a half-done update; none does. Nothing to report. */
// expect-not: deadlock lock_order misuse invariant race
// outcome: completed
// exit: 0
// stdout: 3 readers saw 120 whole tables; final value 60
// runs: 6
#include <pthread.h>
#include <stdio.h>

#define CELLS 8
#define WRITES 30
#define READS 40

static int table[CELLS];
static pthread_rwlock_t table_lock = PTHREAD_RWLOCK_INITIALIZER;
static pthread_mutex_t stats_lock = PTHREAD_MUTEX_INITIALIZER;
static int whole, torn;

static void *reader(void *arg) {
    (void)arg;
    for (int r = 0; r < READS; r++) {
        pthread_rwlock_rdlock(&table_lock);
        int ok = 1;
        for (int i = 1; i < CELLS; i++)
            ok &= table[i] == table[0];
        pthread_rwlock_unlock(&table_lock);
        pthread_mutex_lock(&stats_lock);
        if (ok)
            whole++;
        else
            torn++;
        pthread_mutex_unlock(&stats_lock);
    }
    return NULL;
}

static void *writer(void *arg) {
    (void)arg;
    for (int w = 0; w < WRITES; w++) {
        pthread_rwlock_wrlock(&table_lock);
        for (int i = 0; i < CELLS; i++)
            table[i]++;
        pthread_rwlock_unlock(&table_lock);
    }
    return NULL;
}

int main(void) {
    pthread_t r[3], w[2];
    for (int i = 0; i < 3; i++)
        if (pthread_create(&r[i], NULL, reader, NULL) != 0) return 1;
    for (int i = 0; i < 2; i++)
        if (pthread_create(&w[i], NULL, writer, NULL) != 0) return 1;
    for (int i = 0; i < 3; i++)
        pthread_join(r[i], NULL);
    for (int i = 0; i < 2; i++)
        pthread_join(w[i], NULL);
    printf("3 readers saw %d whole tables; final value %d\n", whole, table[0]);
    return torn == 0 && table[0] == 2 * WRITES ? 0 : 1;
}
