/* The traffic light, from seeds 001 (模拟红绿灯) and 004 (事件): a light thread clears an Event
 * (red) for 3 s and sets it (green) for 4 s; cars arrive every 1-2 s and wait for green.
 * The polling variant is seed 000's 标记位: cars spin on a plain flag instead of blocking. */
#include <stdatomic.h>
#include <stdio.h>
#include "lockviz/lockviz.h"

enum { P_CARS, P_CYCLES };
enum { MAX_CARS = 20 }; /* the cars parameter's maximum, the size of the array of them */
enum { V_POLLING, V_EVENT };

typedef struct road {
    int variant;
    int64_t cycles;
    lv_event_obj *light; /* the event variant: set = green */
    lv_var *green;       /* the polling variant: a plain flag, 1 = green */
    /* the check's oracle, not part of the lesson: the light's true colour and the cars that
     * went while it was red (atomics, so checking adds no race of its own) */
    atomic_int red;
    atomic_int ran_red;
} road;

static void go(road *r) {
    lv_note("可以走了 (going)");
    if (atomic_load(&r->red)) atomic_fetch_add(&r->ran_red, 1);
}

static void car(void *arg) {
    road *r = arg;
    if (r->variant == V_EVENT) {
        for (;;) {
            if (lv_event_is_set(r->light)) {
                go(r);
                return;
            }
            lv_note("正在等待 (waiting: red light)");
            lv_event_wait(r->light, LV_FOREVER);
        }
    }
    if (lv_var_read(r->green)) {
        go(r);
        return;
    }
    lv_note("正在等待 (waiting: red light, checking again and again)");
    while (!lv_var_read(r->green))
        lv_busy(LV_MS(10)); /* never blocks: burns the CPU */
    go(r);
}

static void light(void *arg) {
    road *r = arg;
    for (int64_t c = 0; c < r->cycles; c++) {
        /* turn red: the flag first, then the truth (a car that saw green may still go) */
        if (r->variant == V_EVENT)
            lv_event_clear(r->light);
        else
            lv_var_write(r->green, 0);
        atomic_store(&r->red, 1);
        lv_note("红灯亮了 (red light)");
        lv_sleep(LV_SEC(3));
        /* turn green: the truth first, then the flag that lets cars go */
        atomic_store(&r->red, 0);
        if (r->variant == V_EVENT)
            lv_event_set(r->light);
        else
            lv_var_write(r->green, 1);
        lv_note("绿灯亮了 (green light)");
        lv_sleep(LV_SEC(4));
    }
}

static void traffic_main(const lv_args *a) {
    road rd = {.variant = a->variant, .cycles = a->params[P_CYCLES]};
    atomic_init(&rd.red, 0);
    atomic_init(&rd.ran_red, 0);
    if (a->variant == V_EVENT) {
        rd.light = lv_event_new("light");
        lv_event_set(rd.light);
    } else {
        rd.green = lv_var_new("green", 1);
    }
    lv_thread *l = lv_spawn("light", light, &rd);
    int64_t n = a->params[P_CARS];
    lv_thread *cars[MAX_CARS];
    for (int i = 0; i < n; i++) {
        lv_sleep(LV_SEC(lv_random(1, 2)));
        char name[32];
        snprintf(name, sizeof name, "car-%d", i + 1);
        cars[i] = lv_spawn(name, car, &rd);
    }
    for (int i = 0; i < n; i++)
        lv_join(cars[i]);
    lv_join(l);
    int bad = atomic_load(&rd.ran_red);
    lv_check(bad == 0, "%d car(s) went while the light was red", bad);
}

static const lv_param_desc params[] = {
    [P_CARS] = {"cars", "cars arriving, one every 1-2 s", 6, 1, MAX_CARS},
    [P_CYCLES] = {"cycles", "red-green cycles of the light (3 s red, 4 s green)", 3, 1, 10},
};

static const lv_variant_desc variants[] = {
    [V_POLLING] =
        {"polling", "cars spin on a plain flag: busy the whole time, and a data race",
         "Each waiting car checks a plain flag over and over (seed 000's 标记位). Watch the car "
         "lanes: they never block, they stay busy for the whole red light, burning the CPU just "
         "to wait. And the flag is shared without any synchronisation: the light writes it "
         "while cars read it, a data race that only works by luck.",
         "每辆等待的车一遍又一遍地检查一个普通标志（笔记 000 "
         "的标记位）。注意车的时间线：它们从不阻塞，"
         "整个红灯期间都在忙，白白消耗 CPU 只为等待。而且这个标志没有任何同步就被共享：灯在写，"
         "车在读，这是一个数据竞争，能工作只是运气。",
         1, "汽车轮询一个普通标志：一直在忙等，而且有数据竞争"},
    [V_EVENT] =
        {"event", "cars block on an Event until the light sets it",
         "The light is an Event: clear means red, set means green. A car that sees red calls "
         "wait() and blocks; it costs nothing while it waits. When the light sets the event, "
         "every waiting car wakes at once and goes. The set happens before their wake-ups, so "
         "what the light did is safely visible to the cars.",
         "灯是一个 Event：clear 表示红灯，set 表示绿灯。看到红灯的车调用 wait() "
         "阻塞，等待期间不消耗 "
         "CPU。灯一 set，所有等待的车同时醒来出发。set 发生在它们醒来之前，所以灯所做的一切对车都是"
         "安全可见的。",
         0, "汽车阻塞在 Event 上，直到红绿灯设置它"},
};

const lv_scenario lv_scenario_traffic_light = {
    .name = "traffic-light",
    .title = "Traffic light (Event)",
    .title_zh = "模拟红绿灯",
    .source = "seed 001, 模拟红绿灯; seed 004, 事件; seed 000, 标记位",
    .variants = variants,
    .nvariants = LV_COUNTOF(variants),
    .params = params,
    .nparams = LV_COUNTOF(params),
    .main = traffic_main,
};
