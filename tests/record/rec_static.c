/* Built with -static: lockviz record must refuse it (LD_PRELOAD cannot reach it). */
#include <pthread.h>
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
int main(void) {
    if (pthread_mutex_lock(&m) != 0) return 1;
    pthread_mutex_unlock(&m);
    return 0;
}
