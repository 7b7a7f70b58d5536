/* The A/B deadlock, from the seed's 死锁和递归锁 (001): each thread runs f1 (A then B) and
 * then f2 (B, sleep 0.1 s, then A). One thread sleeps holding B while another holds A and
 * wants B: each waits for the other forever ("此时卡在这了"). */
#include <stdio.h>
#include "lockviz/lockviz.h"

enum { P_THREADS };
enum { MAX_THREADS = 16 }; /* the threads parameter's maximum, the size of the array of them */
enum { V_TWO_LOCKS, V_ORDERED, V_TIMEOUT };

typedef struct ab {
    lv_mutex *a, *b;
    int variant;
} ab;

/* Takes l, or in the timeout variant gives up after 50 ms: false means "back off". */
static bool take(const ab *k, lv_mutex *l) {
    if (k->variant != V_TIMEOUT) {
        lv_mutex_lock(l);
        return true;
    }
    return lv_mutex_acquire(l, LV_MS(50));
}

static void back_off(void) {
    lv_note("超时，释放并稍后重试 (timed out: release, back off, retry)");
    lv_sleep(LV_MS(lv_random(10, 60)));
}

static void f1(const ab *k) {
    for (;;) {
        if (!take(k, k->a)) {
            back_off();
            continue;
        }
        lv_note("抢到了A锁 (got lock A)");
        if (!take(k, k->b)) {
            lv_mutex_unlock(k->a);
            back_off();
            continue;
        }
        lv_note("抢到了B锁 (got lock B)");
        lv_mutex_unlock(k->b);
        lv_mutex_unlock(k->a);
        return;
    }
}

static void f2(const ab *k) {
    /* the ordered fix takes A before B here too; the others keep the seed's B-then-A */
    lv_mutex *first = k->variant == V_ORDERED ? k->a : k->b;
    lv_mutex *second = k->variant == V_ORDERED ? k->b : k->a;
    const char *got_first = first == k->a ? "抢到了A锁 (got lock A)" : "抢到了B锁 (got lock B)";
    const char *got_second = second == k->a ? "抢到了A锁 (got lock A)" : "抢到了B锁 (got lock B)";
    for (;;) {
        if (!take(k, first)) {
            back_off();
            continue;
        }
        lv_note("%s", got_first);
        lv_sleep(LV_MS(100));
        if (!take(k, second)) {
            lv_mutex_unlock(first);
            back_off();
            continue;
        }
        lv_note("%s", got_second);
        lv_mutex_unlock(second);
        lv_mutex_unlock(first);
        return;
    }
}

static void run(void *arg) {
    const ab *k = arg; /* main's: set up before any thread starts, read-only afterwards */
    f1(k);
    f2(k);
}

static void deadlock_main(const lv_args *a) {
    ab k = {lv_mutex_new("A"), lv_mutex_new("B"), a->variant};
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
    [V_TWO_LOCKS] =
        {"two-locks", "f1 takes A then B, f2 takes B then A: deadlock",
         "Watch locks A and B. One thread finishes f1 and, in f2, takes B and sleeps. Meanwhile "
         "the next thread takes A in f1 and asks for B. When the sleeper wakes it asks for A. "
         "Now each holds the lock the other wants, and neither will let go: the program hangs, "
         "as the seed says (\"此时卡在这了\"). Taking two locks in opposite orders is the cause.",
         "注意锁 A 和锁 B。一个线程执行完 f1，在 f2 中拿到 B 后睡眠。与此同时，下一个线程在 f1 "
         "中拿到 A，又去要 B。睡醒的线程接着去要 A。现在双方各持有对方想要的锁，谁也不放手："
         "程序卡住了，正如笔记所说\"此时卡在这了\"。原因是两个锁以相反的顺序获取。",
         1, "f1 先拿 A 再拿 B，f2 先拿 B 再拿 A：死锁"},
    [V_ORDERED] =
        {"ordered", "every thread takes A before B: no cycle is possible",
         "The same program, but f2 also takes A before B. With one global order, a thread that "
         "holds B already holds A, so nobody can hold B while waiting for A: the circle of "
         "waiting cannot close. Threads still wait for each other, but always finish.",
         "同样的程序，但 f2 也先拿 A 再拿 B。所有线程按同一顺序加锁，持有 B 的线程一定已经持有 A，"
         "不可能有人拿着 B 去等 A：等待的环无法形成。线程之间仍会等待，但总能结束。",
         0, "每个线程都先拿 A 再拿 B：不可能形成环"},
    [V_TIMEOUT] =
        {"timeout", "acquire with a timeout, release, back off and retry",
         "Each acquire gives up after 50 ms (the seed's acquire(timeout=...)). A thread that "
         "times out releases what it holds, sleeps a random moment and tries again, so a "
         "circle of waiting breaks by itself. It always finishes, at the cost of retries: "
         "look for the timeout marks on the lanes.",
         "每次加锁最多等 50 毫秒（笔记中的 acquire(timeout=...)）。超时的线程释放手中的锁，"
         "随机睡一会儿再重试，等待的环就会自行解开。程序总能结束，代价是重试：注意时间线上的超时标"
         "记。",
         0, "带超时地获取，拿不到就释放、退让、重试"},
};

const lv_scenario lv_scenario_deadlock = {
    .name = "deadlock",
    .title = "A/B deadlock",
    .title_zh = "死锁",
    .source = "seed 001, 死锁和递归锁; seed 000, 死锁问题 and 死锁解决",
    .variants = variants,
    .nvariants = LV_COUNTOF(variants),
    .params = params,
    .nparams = LV_COUNTOF(params),
    .main = deadlock_main,
};
