/* The toilets, from seeds 001 and 004 (信号量): a Semaphore guards the stalls; each person
 * takes a permit, stays 1-3 s, gives it back. At most `stalls` are inside; the rest queue.
 * Without the semaphore too many crowd in; with one extra release a plain Semaphore would
 * quietly grow a stall, which a BoundedSemaphore refuses. */
#include <stdatomic.h>
#include <stdio.h>
#include "lockviz/lockviz.h"

enum { P_STALLS, P_PEOPLE };
enum { MAX_PEOPLE = 40 }; /* the people parameter's maximum: the arrays below hold that many */
enum { V_NONE, V_SEMAPHORE, V_BOUNDED };

typedef struct wc {
    lv_sem *sem; /* NULL: nothing guards the door */
    int variant;
    lv_gauge *inside; /* how many are inside now: the count the class watches */
    /* the check's oracle, not part of the lesson: how many were inside at most */
    atomic_int most;
} wc;

typedef struct person {
    wc *wc;
    int sloppy; /* the one who gives the key back twice */
} person;

static void go_wc(void *arg) {
    const person *p = arg;
    wc *w = p->wc;
    int sloppy = p->sloppy;
    if (w->sem) lv_sem_acquire(w->sem, LV_FOREVER);
    int now = (int)lv_gauge_add(w->inside, 1);
    int most = atomic_load(&w->most);
    while (now > most && !atomic_compare_exchange_weak(&w->most, &most, now)) {
    }
    lv_note("占到一个茅坑 (got a stall: %d inside)", now);
    lv_sleep(LV_SEC(lv_random(1, 3)));
    lv_gauge_add(w->inside, -1);
    lv_note("出来了 (out)");
    if (w->sem) {
        lv_sem_release(w->sem);
        if (sloppy) lv_sem_release(w->sem); /* a bug: released twice */
    }
}

static void wc_main(const lv_args *a) {
    int64_t stalls = a->params[P_STALLS], people = a->params[P_PEOPLE];
    wc w = {.variant = a->variant};
    atomic_init(&w.most, 0);
    w.sem = a->variant == V_NONE      ? NULL
            : a->variant == V_BOUNDED ? lv_bsem_new("stalls", stalls)
                                      : lv_sem_new("stalls", stalls);
    w.inside = lv_gauge_new("inside", stalls);
    lv_thread *t[MAX_PEOPLE];
    person ps[MAX_PEOPLE];
    for (int i = 0; i < people; i++) {
        char name[32];
        snprintf(name, sizeof name, "person-%d", i + 1);
        /* in the bounded variant the first person releases twice */
        ps[i] = (person){&w, a->variant == V_BOUNDED && i == 0};
        t[i] = lv_spawn(name, go_wc, &ps[i]);
    }
    for (int i = 0; i < people; i++)
        lv_join(t[i]);
    int most = atomic_load(&w.most);
    lv_check(most <= stalls, "at most %d people were inside at once; there are %lld stalls", most,
             (long long)stalls);
}

static const lv_param_desc params[] = {
    [P_STALLS] = {"stalls", "stalls (the semaphore's value)", 3, 1, 10},
    [P_PEOPLE] = {"people", "people who want a stall, each staying 1-3 s", 10, 1, MAX_PEOPLE},
};

static const lv_variant_desc variants[] = {
    [V_NONE] = {"none", "no semaphore: more people inside than stalls",
                "Nothing guards the door, so everyone walks in at once: watch the count of "
                "people inside climb past the number of stalls. The check at the end says how "
                "many were inside at the worst moment.",
                "门口没有任何控制，所有人同时涌入：注意里面的人数超过了坑位数。最后的检查会说出"
                "最拥挤时有多少人在里面。",
                1, "没有信号量：里面的人比坑位多"},
    [V_SEMAPHORE] =
        {"semaphore", "Semaphore(stalls): at most that many inside, the rest queue",
         "The semaphore holds one permit per stall. Each person takes one to go in and gives it "
         "back on the way out; when none are left, the next person blocks in the queue until "
         "someone comes out. Watch the semaphore's permits and its queue: never more inside "
         "than stalls.",
         "信号量为每个坑位准备一个许可。每人进去时拿一个，出来时还回去；许可用完时，下一个人在队列"
         "中"
         "阻塞，直到有人出来。注意信号量的许可数和等待队列：里面的人数从不超过坑位数。",
         0, "Semaphore(坑位数)：里面最多这么多人，其余的人排队"},
    [V_BOUNDED] =
        {"bounded", "one person releases twice: a BoundedSemaphore refuses",
         "One person gives the key back twice. With a plain Semaphore that silently adds a "
         "stall, forever. A BoundedSemaphore knows its starting value, but it can only refuse a "
         "release that would go past it (Python raises ValueError): while others are inside, "
         "the extra key is accepted and one more person may squeeze in. It is refused later, "
         "at someone else's honest release. A permit is not owned (one thread may take it and "
         "another give it back), so only that refusal shows the mistake: lockviz points at it.",
         "有一个人把钥匙还了两次。用普通 Semaphore，这会悄悄永久多出一个坑位。BoundedSemaphore 记得"
         "初始值，但只能拒绝会超过初始值的 release（Python 抛出 "
         "ValueError）：有人在里面时，多还的钥匙"
         "会被接受，可能多挤进一个人；之后在别人正常归还时才被拒绝。许可不属于某个人（一个线程拿走"
         "的"
         "许可可以由另一个线程归还），所以只有那次被拒绝的归还能暴露错误：lockviz 指出的就是它。",
         1, "有人释放了两次：BoundedSemaphore 拒绝"},
};

const lv_scenario lv_scenario_toilets = {
    .name = "toilets",
    .title = "Toilets (Semaphore)",
    .title_zh = "信号量：厕所",
    .source = "seed 001, 信号量 (厕所有 3 个坑); seed 004, 信号量 (BoundedSemaphore)",
    .variants = variants,
    .nvariants = LV_COUNTOF(variants),
    .params = params,
    .nparams = LV_COUNTOF(params),
    .main = wc_main,
};
