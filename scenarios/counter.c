/* The counter race, from seed 001's ### 互斥锁 (threads): 100 threads each do
 * temp = n; sleep(0.1); n = temp - 1. All read 100 before any writes back, so n ends at 99,
 * not 0. A lock around the three lines makes each decrement whole. */
#include <stdio.h>
#include "lockviz/lockviz.h"

enum { P_THREADS };
enum { MAX_THREADS = 200 }; /* the threads parameter's maximum, the size of the array of them */
enum { V_UNLOCKED, V_LOCKED };

/* the seed's globals, one per run (main's, handed to each thread) */
typedef struct counter {
    lv_var *n;
    lv_mutex *lock; /* NULL: no lock */
} counter;

static void task(void *arg) {
    counter *c = arg;
    if (c->lock) lv_mutex_lock(c->lock);
    int64_t temp = lv_var_read(c->n);
    lv_sleep(LV_MS(100));
    lv_var_write(c->n, temp - 1);
    if (c->lock) lv_mutex_unlock(c->lock);
}

static void counter_main(const lv_args *a) {
    int64_t threads = a->params[P_THREADS];
    counter c = {lv_var_new("n", threads), a->variant == V_LOCKED ? lv_mutex_new("lock") : NULL};
    lv_thread *t[MAX_THREADS];
    for (int i = 0; i < threads; i++) {
        char name[32];
        snprintf(name, sizeof name, "t-%d", i + 1);
        t[i] = lv_spawn(name, task, &c);
    }
    for (int i = 0; i < threads; i++)
        lv_join(t[i]);
    int64_t n = lv_var_read(c.n);
    lv_note("n = %lld", (long long)n);
    lv_check(n == 0, "n = %lld after %lld decrements from %lld; it should be 0", (long long)n,
             (long long)threads, (long long)threads);
}

static const lv_param_desc params[] = {
    [P_THREADS] = {"threads", "threads, each taking 1 from n (n starts at threads)", 100, 1,
                   MAX_THREADS},
};

static const lv_variant_desc variants[] = {
    [V_UNLOCKED] =
        {"unlocked", "temp = n; sleep; n = temp - 1 with no lock: n ends at 99",
         "Watch n. Every thread reads n while the others are still asleep, so they all read "
         "the starting value; each then writes that value minus one. A hundred decrements "
         "collapse into one: n ends at 99, not 0. Each write silently overwrites the others.",
         "注意 n。每个线程都在其他线程还在睡眠时读取 n，所以都读到初始值，然后各自写回初始值减一。"
         "一百次减一合并成了一次：n 最后是 99 而不是 0。每次写入都悄悄覆盖了其他线程的写入。",
         1, "不加锁地 temp = n; sleep; n = temp - 1：n 最后是 99"},
    [V_LOCKED] =
        {"locked", "a lock around read, sleep and write: n ends at 0",
         "The lock makes read, sleep and write one critical section: the next thread can only "
         "read n after the previous one wrote it back. The threads now run one after another "
         "(concurrent work became serial, as the seed says), and n ends at 0.",
         "锁让读取、睡眠、写回成为一个临界区：下一个线程只能在上一个写回之后才读 "
         "n。线程变成一个接一个"
         "地执行（正如笔记所说，并发变成了串行），n 最后是 0。",
         0, "读、睡眠和写都在锁里：n 最后是 0"},
};

const lv_scenario lv_scenario_counter = {
    .name = "counter",
    .title = "Counter race (lost updates)",
    .title_zh = "互斥锁：计数器",
    .source =
        "seed 001, ### 互斥锁 (threads: temp = n; sleep(0.1); n = temp - 1); seed 000, 互斥锁",
    .variants = variants,
    .nvariants = LV_COUNTOF(variants),
    .params = params,
    .nparams = LV_COUNTOF(params),
    .main = counter_main,
};
