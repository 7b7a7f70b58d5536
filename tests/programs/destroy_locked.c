/* A mutex destroyed while it is still locked. A cleanup path destroys a session's lock, but an
 * early return above forgot to unlock it. POSIX leaves destroying a locked mutex undefined;
 * glibc refuses with EBUSY, which the program prints. lockviz reports the destroy as misuse at
 * its line. */
// expect: misuse
// expect-not: deadlock lock_order invariant race
// outcome: completed
// exit: 0
// stdout: destroy: EBUSY
// says: misuse @destroy
// count: misuse 1
// runs: 6
#include <errno.h>
#include <pthread.h>
#include <stdio.h>

struct session {
    pthread_mutex_t lock;
    int open;
};

static int close_session(struct session *s) {
    pthread_mutex_lock(&s->lock);
    if (!s->open) return -1; /* BUG: returns with the lock held */
    s->open = 0;
    pthread_mutex_unlock(&s->lock);
    return 0;
}

static void *closer(void *arg) {
    struct session *s = arg;
    close_session(s);
    int e = pthread_mutex_destroy(&s->lock); // @destroy
    printf("destroy: %s\n", e == EBUSY ? "EBUSY" : e == 0 ? "0" : "another error");
    return NULL;
}

int main(void) {
    struct session s = {.open = 0};
    pthread_mutex_init(&s.lock, NULL);
    pthread_t t;
    if (pthread_create(&t, NULL, closer, &s) != 0) return 1;
    pthread_join(t, NULL);
    return 0;
}
