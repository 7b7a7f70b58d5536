/* The read-write lock upgrade deadlock. Two threads read the cache under a read hold, find it
 * stale, and ask for a write hold to refresh it, without letting go of the read hold first.
 * A write hold waits until no one reads; each of the two is a reader the other waits for, so
 * neither can ever upgrade. POSIX leaves a write lock asked by a thread that already holds the
 * lock undefined; glibc waits forever. Each upgrade is also a misuse: a read lock cannot become
 * a write lock. The barrier makes both hold their read lock before
 * either asks to write, so the deadlock happens on every run. */
// expect: deadlock misuse
// expect-not: lock_order invariant race
// outcome: deadlocked
// exit: stopped
// stdout: refresher-2 reads the cache
// says: deadlock @upgrade refresher-1 refresher-2
// says-not: deadlock which it holds itself
// says: misuse @upgrade write lock read lock
// count: deadlock 1
// count: misuse 2
// runs: 4
#include <pthread.h>
#include <stdio.h>

static pthread_rwlock_t cache_lock = PTHREAD_RWLOCK_INITIALIZER;
static pthread_barrier_t both_reading;
static int cache_version;

static void *refresher(void *arg) {
    int id = (int)(long)arg;
    char name[16];
    snprintf(name, sizeof name, "refresher-%d", id);
    pthread_setname_np(pthread_self(), name);

    pthread_rwlock_rdlock(&cache_lock); // @read
    printf("%s reads the cache\n", name);
    pthread_barrier_wait(&both_reading);
    if (cache_version == 0) {
        pthread_rwlock_wrlock(&cache_lock); // @upgrade
        cache_version++;
    }
    pthread_rwlock_unlock(&cache_lock);
    return NULL;
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0); /* each line reaches a pipe before the hang */
    pthread_t t[2];
    pthread_barrier_init(&both_reading, NULL, 2);
    for (long i = 0; i < 2; i++)
        if (pthread_create(&t[i], NULL, refresher, (void *)(i + 1)) != 0) return 1;
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    printf("cache version %d\n", cache_version);
    return 0;
}
