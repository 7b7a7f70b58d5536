/* Programs that end badly, for the record tests (argv[1]): "segv", "abort", "kill" (SIGKILL
 * itself), "exit-thread" (a thread calls exit(3) while main joins it), "fork" (a child that
 * locks too), "stuck" (main joins a thread waiting on a condition nobody signals), "relock"
 * (a normal mutex locked twice by its holder), "misuse" (unlock by a non-holder, destroy while
 * locked, a condition wait without the mutex), "late" (main waits for a post and a signal that
 * a sleeping thread gives 0.4 s later: not stuck), "cancel" (a thread cancelled in a condition
 * wait, then joined). Each first takes and gives back "before" 3
 * times. */
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t before = PTHREAD_MUTEX_INITIALIZER, m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t never = PTHREAD_COND_INITIALIZER;
static pthread_mutex_t held;

static void *exiter(void *a) {
    (void)a;
    pthread_mutex_lock(&m);
    pthread_mutex_unlock(&m);
    exit(3);
}

static void unlock_m(void *a) {
    (void)a;
    pthread_mutex_unlock(&m);
}

static void *waiter(void *a) {
    (void)a;
    pthread_mutex_lock(&m);
    pthread_cleanup_push(unlock_m, NULL);
    pthread_cond_wait(&never, &m);
    pthread_cleanup_pop(1);
    return NULL;
}

static sem_t late_sem;
static int late_flag;
static void *late_poster(void *a) {
    (void)a;
    usleep(400000); /* longer than the watchdog's two looks */
    sem_post(&late_sem);
    usleep(400000);
    pthread_mutex_lock(&m);
    late_flag = 1;
    pthread_cond_signal(&never);
    pthread_mutex_unlock(&m);
    return NULL;
}

static void *unlocker(void *a) {
    (void)a;
    pthread_mutex_unlock(&held); /* main holds it */
    return NULL;
}

int main(int argc, char **argv) {
    const char *how = argc > 1 ? argv[1] : "";
    for (int i = 0; i < 3; i++) {
        pthread_mutex_lock(&before);
        pthread_mutex_unlock(&before);
    }
    fflush(stdout);
    if (!strcmp(how, "segv")) {
        volatile int *p = NULL;
        *p = 1;
    } else if (!strcmp(how, "abort")) {
        abort();
    } else if (!strcmp(how, "kill")) {
        kill(getpid(), SIGKILL);
    } else if (!strcmp(how, "exit-thread")) {
        pthread_t t;
        pthread_create(&t, NULL, exiter, NULL);
        pthread_join(t, NULL);
    } else if (!strcmp(how, "fork")) {
        pid_t c = fork();
        if (c == 0) {
            for (int i = 0; i < 50; i++) {
                pthread_mutex_lock(&m);
                pthread_mutex_unlock(&m);
            }
            _exit(0);
        }
        int st;
        waitpid(c, &st, 0);
        pthread_mutex_lock(&before);
        pthread_mutex_unlock(&before);
        return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
    } else if (!strcmp(how, "stuck")) {
        pthread_t t;
        pthread_create(&t, NULL, waiter, NULL);
        pthread_join(t, NULL);
    } else if (!strcmp(how, "late")) {
        sem_init(&late_sem, 0, 0);
        pthread_t t;
        pthread_create(&t, NULL, late_poster, NULL);
        sem_wait(&late_sem);
        pthread_mutex_lock(&m);
        while (!late_flag)
            pthread_cond_wait(&never, &m);
        pthread_mutex_unlock(&m);
        pthread_join(t, NULL);
    } else if (!strcmp(how, "cancel")) {
        pthread_t t;
        pthread_create(&t, NULL, waiter, NULL);
        usleep(50000);
        pthread_cancel(t);
        pthread_join(t, NULL);
    } else if (!strcmp(how, "relock")) {
        pthread_mutex_lock(&m);
        pthread_mutex_lock(&m);
    } else if (!strcmp(how, "misuse")) {
        pthread_mutex_init(&held, NULL);
        pthread_mutex_lock(&held);
        pthread_t t;
        pthread_create(&t, NULL, unlocker, NULL);
        pthread_join(t, NULL);
        pthread_mutex_lock(&m);
        pthread_mutex_destroy(&m);
        pthread_mutex_t free_one = PTHREAD_MUTEX_INITIALIZER;
        struct timespec dl;
        clock_gettime(CLOCK_REALTIME, &dl);
        dl.tv_nsec += 1000000;
        if (dl.tv_nsec >= 1000000000) {
            dl.tv_sec++;
            dl.tv_nsec -= 1000000000;
        }
        pthread_cond_timedwait(&never, &free_one, &dl);
    }
    return 0;
}
