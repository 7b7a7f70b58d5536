/* A program that crashes mid-run with SIGSEGV. A worker looks up a name in a list while holding
 * the list's lock, does not check that the lookup found it, and reads through the null
 * pointer; a second thread has usually come to wait for the same lock by then. It dies of
 * signal 11. The recorder keeps every event up to the crash and says how the program ended;
 * the crash is not a deadlock and no lock was misused. */
// expect-not: deadlock lock_order misuse invariant race
// outcome: aborted
// exit: signal 11
// stdout: searcher: looking up carol
// runs: 6
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct person {
    const char *name;
    int age;
};

static struct person people[] = {{"alice", 31}, {"bob", 27}};
static pthread_mutex_t list_lock = PTHREAD_MUTEX_INITIALIZER;

static struct person *find(const char *name) {
    for (size_t i = 0; i < sizeof people / sizeof people[0]; i++)
        if (strcmp(people[i].name, name) == 0) return &people[i];
    return NULL;
}

static void *searcher(void *arg) {
    (void)arg;
    pthread_mutex_lock(&list_lock);
    printf("searcher: looking up carol\n");
    fflush(stdout);
    usleep(10000); /* the other thread comes to wait for the lock */
    struct person *p = find("carol");
    printf("carol is %d\n", p->age); /* p is NULL: SIGSEGV */
    pthread_mutex_unlock(&list_lock);
    return NULL;
}

static void *updater(void *arg) {
    (void)arg;
    usleep(2000);
    pthread_mutex_lock(&list_lock);
    people[1].age++;
    pthread_mutex_unlock(&list_lock);
    return NULL;
}

int main(void) {
    pthread_t s, u;
    if (pthread_create(&s, NULL, searcher, NULL) != 0) return 1;
    if (pthread_create(&u, NULL, updater, NULL) != 0) return 1;
    pthread_join(s, NULL);
    pthread_join(u, NULL);
    return 0;
}
