/* Every mutex type's answers, as glibc gives them: for a normal, a recursive and an
 * error-checking mutex, main locks it, tries it again, times a lock of it again, locks it again
 * (not the normal one: that would hang), then a helper thread unlocks it (not the normal one:
 * glibc would let it), tries it and times a lock of it; a condition wait without it follows
 * (error-checking and recursive only: refused, the wait never starts); then main unlocks it as
 * often as it holds it, and once more (not the normal one). Each call prints its code, so that
 * runs natively, recorded live and recorded controlled print the same lines; the calls run one
 * at a time (the helper is joined), so every recording has the same events, thread by thread. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static pthread_mutex_t m;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static const char *type;

static const char *code(int e) {
    switch (e) {
    case 0:
        return "0";
    case EBUSY:
        return "EBUSY";
    case EDEADLK:
        return "EDEADLK";
    case EPERM:
        return "EPERM";
    case ETIMEDOUT:
        return "ETIMEDOUT";
    default:
        return strerror(e);
    }
}

static struct timespec soon(void) { /* 20 ms from now */
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    t.tv_nsec += 20 * 1000000;
    if (t.tv_nsec >= 1000000000) {
        t.tv_sec++;
        t.tv_nsec -= 1000000000;
    }
    return t;
}

static void *helper(void *arg) {
    int normal = *(int *)arg;
    if (!normal) printf("%s helper unlock: %s\n", type, code(pthread_mutex_unlock(&m)));
    printf("%s helper trylock: %s\n", type, code(pthread_mutex_trylock(&m)));
    struct timespec t = soon();
    printf("%s helper timedlock: %s\n", type, code(pthread_mutex_timedlock(&m, &t)));
    if (!normal) {
        t = soon();
        printf("%s helper cond_timedwait: %s\n", type, code(pthread_cond_timedwait(&c, &m, &t)));
    }
    return NULL;
}

static int one(int kind, const char *name) {
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_settype(&a, kind);
    pthread_mutex_init(&m, &a);
    pthread_mutexattr_destroy(&a);
    type = name;
    int normal = kind == PTHREAD_MUTEX_NORMAL, held = 0, r;
    held += (r = pthread_mutex_lock(&m)) == 0;
    printf("%s lock: %s\n", name, code(r));
    held += (r = pthread_mutex_trylock(&m)) == 0;
    printf("%s trylock again: %s\n", name, code(r));
    struct timespec t = soon();
    held += (r = pthread_mutex_timedlock(&m, &t)) == 0;
    printf("%s timedlock again: %s\n", name, code(r));
    if (!normal) {
        held += (r = pthread_mutex_lock(&m)) == 0;
        printf("%s lock again: %s\n", name, code(r));
    }
    pthread_t h;
    if (pthread_create(&h, NULL, helper, &normal) != 0) return 1;
    pthread_join(h, NULL);
    while (held-- > 0)
        printf("%s unlock: %s\n", name, code(pthread_mutex_unlock(&m)));
    if (!normal) printf("%s unlock once more: %s\n", name, code(pthread_mutex_unlock(&m)));
    pthread_mutex_destroy(&m);
    return 0;
}

int main(void) {
    if (one(PTHREAD_MUTEX_NORMAL, "normal") || one(PTHREAD_MUTEX_RECURSIVE, "recursive") ||
        one(PTHREAD_MUTEX_ERRORCHECK, "errorcheck"))
        return 1;
    return 0;
}
