/* The RLock fix, from seeds 001 (死锁和递归锁, right below the deadlock) and 004 (递归锁):
 * the A/B program with mutexA = mutexB = one lock. A plain Lock under two names deadlocks on
 * itself at the second acquire; an RLock counts its owner's acquires and lets it in again. */
#include <stdio.h>
#include "lockviz/lockviz.h"

enum { P_THREADS };
enum { MAX_THREADS = 16 }; /* the threads parameter's maximum, the size of the array of them */
enum { V_LOCK, V_RLOCK };

/* mutexA = mutexB: one lock under two names, main's, handed to each thread */
typedef struct ab_one {
    lv_mutex *plain; /* V_LOCK: mutexA = mutexB = Lock() */
    lv_rlock *r;     /* V_RLOCK: mutexA = mutexB = RLock() */
} ab_one;

static void acquire(const ab_one *k) {
    if (k->plain)
        lv_mutex_lock(k->plain);
    else
        lv_rlock_lock(k->r);
}

static void release(const ab_one *k) {
    if (k->plain)
        lv_mutex_unlock(k->plain);
    else
        lv_rlock_unlock(k->r);
}

static void f1(const ab_one *k) {
    acquire(k); /* mutexA */
    lv_note("抢到了A锁 (got lock A)");
    acquire(k); /* mutexB: the same lock */
    lv_note("抢到了B锁 (got lock B)");
    release(k);
    release(k);
}

static void f2(const ab_one *k) {
    acquire(k); /* mutexB */
    lv_note("抢到了B锁 (got lock B)");
    lv_sleep(LV_MS(100));
    acquire(k); /* mutexA */
    lv_note("抢到了A锁 (got lock A)");
    release(k);
    release(k);
}

static void run(void *arg) {
    f1(arg);
    f2(arg);
}

static void rlock_main(const lv_args *a) {
    ab_one k = {NULL, NULL};
    if (a->variant == V_LOCK)
        k.plain = lv_mutex_new("A=B");
    else
        k.r = lv_rlock_new("A=B");
    int64_t n = a->params[P_THREADS];
    lv_thread *t[MAX_THREADS];
    for (int i = 0; i < n; i++) {
        char name[32];
        snprintf(name, sizeof name, "thread-%d", i + 1);
        t[i] = lv_spawn(name, run, &k);
    }
    lv_note("主线程 (main thread)");
    for (int i = 0; i < n; i++)
        lv_join(t[i]);
}

static const lv_param_desc params[] = {
    [P_THREADS] = {"threads", "threads, each running f1 then f2", 4, 1, MAX_THREADS},
};

static const lv_variant_desc variants[] = {
    [V_LOCK] =
        {"lock", "mutexA = mutexB = Lock(): a thread locks itself out",
         "A and B are two names for one plain Lock. The first thread takes A, then asks "
         "for B: the same lock, which it already holds. A plain Lock does not know who "
         "holds it, so the thread waits for itself, forever. One thread is enough to hang.",
         "A 和 B 是同一把普通锁的两个名字。第一个线程拿到 A，又去要 B：其实是它已经持有的同一把锁。"
         "普通锁不记录持有者，于是线程在等它自己，永远等下去。一个线程就足以卡死。",
         1, "mutexA = mutexB = Lock()：线程把自己锁在了外面"},
    [V_RLOCK] =
        {"rlock", "mutexA = mutexB = RLock(): the A/B program finishes",
         "The seed's fix: one RLock under both names. An RLock remembers its owner and "
         "counts how many times it acquired: watch the count go 1, 2, 1, 0. Only at 0 can "
         "another thread get it. Since there is only one lock, there is no circle of "
         "waiting either: the program that deadlocked now finishes.",
         "笔记中的解决方法：两个名字指向同一把 RLock。RLock 记录持有者，并计数 acquire 的次数："
         "注意计数 1、2、1、0 的变化。只有计数归零，其他线程才能拿到锁。只有一把锁，也就不会形成"
         "等待的环：原来死锁的程序现在能正常结束。",
         0, "mutexA = mutexB = RLock()：A/B 程序顺利结束"},
};

const lv_scenario lv_scenario_rlock = {
    .name = "rlock",
    .title = "RLock: the reentrant fix",
    .title_zh = "递归锁",
    .source = "seed 001, 死锁和递归锁 (mutexA = mutexB = RLock()); seed 004, 递归锁",
    .variants = variants,
    .nvariants = LV_COUNTOF(variants),
    .params = params,
    .nparams = LV_COUNTOF(params),
    .main = rlock_main,
};
