/* A program that forks. The parent's worker thread counts under a lock; the child, a copy of
 * the process with only the forking thread in it, starts its own thread (named child-worker)
 * and locks its copy of the lock. The two processes share no memory after fork, so the child's
 * locks are no part of the parent's run: the recorder records the parent, and the child's
 * events must not be mixed into its trace. The parent waits for the child and reports its
 * exit status. Nothing to report. */
// expect-not: deadlock lock_order misuse invariant race
// outcome: completed
// exit: 0
// stdout: parent: child exited 7, counter 100
// absent: child-worker
// runs: 6
// uses-pid: yes
#include <pthread.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int counter;

static void *worker(void *arg) {
    (void)arg;
    for (int i = 0; i < 100; i++) {
        pthread_mutex_lock(&lock);
        counter++;
        pthread_mutex_unlock(&lock);
    }
    return NULL;
}

static void *child_worker(void *arg) {
    (void)arg;
    pthread_setname_np(pthread_self(), "child-worker");
    pthread_mutex_lock(&lock);
    counter += 7;
    pthread_mutex_unlock(&lock);
    return NULL;
}

int main(void) {
    fflush(stdout); /* the child must not print the parent's buffered output again */
    pid_t pid = fork();
    if (pid == 0) {
        pthread_t c;
        pthread_create(&c, NULL, child_worker, NULL);
        pthread_join(c, NULL);
        _exit(counter);
    }
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    pthread_join(t, NULL);
    int status = 0;
    waitpid(pid, &status, 0);
    printf("parent: child exited %d, counter %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1,
           counter);
    return 0;
}
