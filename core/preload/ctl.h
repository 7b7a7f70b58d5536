/* The controlled scheduler inside a recorded program (ctl.c), as preload.c's wrappers call it:
 * when lv__ctl_on, one thread runs at a time, every wrapped call is a scheduling point and
 * the lv__ctl_* bodies replace the wrappers' own (they record through lv__prec). */
#ifndef LV_PRELOAD_CTL_H
#define LV_PRELOAD_CTL_H

#include <pthread.h>
#include <semaphore.h>
#include <stdint.h>
#include <time.h>

extern int lv__ctl_on;

/* preload.c's recording and mutex-kind helpers, for ctl.c */
void lv__prec(uint8_t kind, const void *obj, uint64_t pc, int64_t value, uint8_t flags,
              uint32_t aux);
uint8_t lv__pmkind(const pthread_mutex_t *m);
/* the kind and flags of this thread's unlock of m: LV_RF_REFUSED when glibc refuses it (EPERM) */
uint8_t lv__punlock_flags(const pthread_mutex_t *m);

void lv__ctl_init(void); /* from the constructor, once recording is on (main holds the baton) */
int64_t lv__ctl_vnow(void);
void lv__ctl_spawn(int32_t id);                        /* before the real pthread_create */
void lv__ctl_spawned(int32_t id, pthread_t t, int ok); /* after it */
void lv__ctl_enter(int32_t id);                        /* a new thread: waits for its turn */
void lv__ctl_end(void);                                /* the thread's end is recorded */
void lv__ctl_forked(void);                             /* in a forked child: control off */
void lv__ctl_point(void);                              /* a plain scheduling point */

/* how: 0 lock, 1 try, 2 timed (ck, abs) */
int lv__ctl_mutex_lock(pthread_mutex_t *m, int how, clockid_t ck, const struct timespec *abs,
                       uint64_t pc);
int lv__ctl_mutex_unlock(pthread_mutex_t *m, uint64_t pc);
int lv__ctl_spin_lock(pthread_spinlock_t *l, int how, uint64_t pc);
int lv__ctl_spin_unlock(pthread_spinlock_t *l, uint64_t pc);
int lv__ctl_rw_lock(pthread_rwlock_t *l, int shared, int how, const struct timespec *abs,
                    uint64_t pc);
int lv__ctl_rw_unlock(pthread_rwlock_t *l, uint64_t pc);
int lv__ctl_cond_wait(pthread_cond_t *c, pthread_mutex_t *m, clockid_t ck,
                      const struct timespec *abs, uint64_t pc);
int lv__ctl_cond_notify(pthread_cond_t *c, int all, uint64_t pc);
int lv__ctl_sem_wait(sem_t *s, int how, clockid_t ck, const struct timespec *abs, uint64_t pc);
int lv__ctl_sem_post(sem_t *s, uint64_t pc);
void lv__ctl_forget(const void *obj); /* a lock (re)initialised: nobody holds it */
void lv__ctl_barrier_init(pthread_barrier_t *b, unsigned count);
int lv__ctl_barrier_wait(pthread_barrier_t *b, uint64_t pc);
int lv__ctl_join(pthread_t t, void **ret, uint64_t pc);
/* a sleep of ns (relative), or until the absolute time abs on ck */
int lv__ctl_sleep(int64_t ns, clockid_t ck, const struct timespec *abs, uint64_t pc);

#endif
