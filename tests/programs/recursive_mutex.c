/* A recursive mutex, locked again by its holder on purpose. A directory tree is counted by a
 * function that locks the tree, and calls itself for each subdirectory, locking again. A
 * PTHREAD_MUTEX_RECURSIVE mutex counts its holder's locks and is free after as many unlocks.
 * Two threads count the same tree. Relocking a recursive mutex is no misuse and no deadlock:
 * lockviz must report nothing (compare self_relock.c, the same on a normal mutex). */
// expect-not: deadlock lock_order misuse invariant race
// outcome: completed
// exit: 0
// stdout: both counted 7 directories
// runs: 6
#include <pthread.h>
#include <stdio.h>

struct dir {
    int nsub;
    const struct dir *sub[2];
};

static const struct dir leaf = {0, {NULL, NULL}};
static const struct dir mid = {2, {&leaf, &leaf}};
static const struct dir root = {2, {&mid, &mid}};
static pthread_mutex_t tree_lock;

static int count(const struct dir *d) {
    pthread_mutex_lock(&tree_lock);
    int n = 1;
    for (int i = 0; i < d->nsub; i++)
        n += count(d->sub[i]);
    pthread_mutex_unlock(&tree_lock);
    return n;
}

static void *counter(void *arg) {
    *(int *)arg = count(&root);
    return NULL;
}

int main(void) {
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&tree_lock, &attr);
    pthread_mutexattr_destroy(&attr);
    pthread_t t[2];
    int n[2];
    for (int i = 0; i < 2; i++)
        pthread_create(&t[i], NULL, counter, &n[i]);
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    if (n[0] != 7 || n[1] != 7) {
        printf("counted %d and %d\n", n[0], n[1]);
        return 1;
    }
    printf("both counted 7 directories\n");
    return 0;
}
