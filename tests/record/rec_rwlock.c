/* rwlock deadlocks for the record tests (argv[1]): "upgrade" takes a read hold and then asks
 * for a write hold of the same rwlock; "cycle": one thread writes a then asks for b, the other
 * reads b then asks to write a. */
#include <pthread.h>
#include <string.h>
#include <unistd.h>

static pthread_rwlock_t a = PTHREAD_RWLOCK_INITIALIZER, b = PTHREAD_RWLOCK_INITIALIZER;

static void *writer_ab(void *x) {
    (void)x;
    pthread_rwlock_wrlock(&a);
    usleep(50000);
    pthread_rwlock_wrlock(&b);
    return NULL;
}

static void *reader_ba(void *x) {
    (void)x;
    pthread_rwlock_rdlock(&b);
    usleep(50000);
    pthread_rwlock_wrlock(&a);
    return NULL;
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "upgrade") == 0) {
        pthread_rwlock_rdlock(&a);
        pthread_rwlock_wrlock(&a);
        return 0;
    }
    pthread_t t1, t2;
    if (pthread_create(&t1, NULL, writer_ab, NULL) != 0) return 1;
    if (pthread_create(&t2, NULL, reader_ba, NULL) != 0) return 1;
    pthread_join(t1, NULL);
    pthread_join(t2, NULL);
    return 0;
}
