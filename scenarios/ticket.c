/* The ticket-selling race, from the seed's 模拟抢票 (001): buyers check the tickets left, then
 * buy: read the count, think 0.1 s, take one if any are left, write it back 0.2 s later.
 * Without a lock every buyer reads the same count and "buys" the last ticket. */
#include <stdio.h>
#include "lockviz/lockviz.h"

enum { P_BUYERS, P_TICKETS };
enum { MAX_BUYERS = 100 }; /* the buyers parameter's maximum: the arrays below hold that many */
enum { V_UNLOCKED, V_LOCKED };

typedef struct shop {
    lv_var *tickets; /* the seed's db.json {"count": N} */
    lv_mutex *lock;  /* NULL in the unlocked variant */
} shop;

typedef struct buyer {
    shop *shop;
    int bought; /* written by the buyer, read by main after the join */
} buyer;

static void search(shop *s) {
    /* The seed reads db.json here without the lock. In C that read races with a buyer's
     * locked write, so the fixed variant holds the lock for the moment of the read too. */
    if (s->lock) lv_mutex_lock(s->lock);
    int64_t left = lv_var_read(s->tickets);
    if (s->lock) lv_mutex_unlock(s->lock);
    lv_note("剩余票数 %lld (tickets left)", (long long)left);
}

static void get(buyer *b) {
    shop *s = b->shop;
    int64_t count = lv_var_read(s->tickets);
    lv_sleep(LV_MS(100));
    if (count > 0) {
        count -= 1;
        lv_sleep(LV_MS(200));
        lv_var_write(s->tickets, count);
        b->bought = 1;
        lv_note("购票成功 (bought a ticket)");
    } else {
        lv_note("没票了 (sold out)");
    }
}

static void task(void *arg) {
    buyer *b = arg;
    search(b->shop);
    if (b->shop->lock) lv_mutex_lock(b->shop->lock);
    get(b);
    if (b->shop->lock) lv_mutex_unlock(b->shop->lock);
}

static void ticket_main(const lv_args *a) {
    int64_t nbuyers = a->params[P_BUYERS], ntickets = a->params[P_TICKETS];
    shop s = {lv_var_new("tickets", ntickets),
              a->variant == V_LOCKED ? lv_mutex_new("lock") : NULL};
    buyer buyers[MAX_BUYERS];
    lv_thread *threads[MAX_BUYERS];
    for (int i = 0; i < nbuyers; i++) {
        char name[32];
        snprintf(name, sizeof name, "buyer-%d", i + 1);
        buyers[i] = (buyer){&s, 0};
        threads[i] = lv_spawn(name, task, &buyers[i]);
    }
    int64_t sold = 0;
    for (int i = 0; i < nbuyers; i++) {
        lv_join(threads[i]);
        sold += buyers[i].bought;
    }
    lv_check(sold <= ntickets, "%lld buyer(s) bought a ticket; %lld ticket(s) existed",
             (long long)sold, (long long)ntickets);
}

static const lv_param_desc params[] = {
    [P_BUYERS] = {"buyers", "buyers trying to get a ticket at once", 10, 1, MAX_BUYERS},
    [P_TICKETS] = {"tickets", "tickets for sale at the start", 1, 0, 100},
};

static const lv_variant_desc variants[] = {
    [V_UNLOCKED] =
        {"unlocked", "no lock: every buyer gets the last ticket",
         "Watch the tickets variable. Every buyer reads tickets = 1 before any of them writes "
         "it back, because each one sleeps between reading and writing. Each then writes 0 and "
         "prints success: one ticket was sold many times. The later writes overwrite the "
         "earlier ones, so the sales they record are lost.",
         "注意 tickets 变量。每个买票人在任何人写回之前都读到了 tickets = 1，因为读和写之间"
         "隔着 sleep。随后每个人都写回 0 并打印购票成功：一张票被卖了很多次。后写的覆盖了先写的，"
         "先前的售出记录就丢失了。",
         1, "不加锁：每个买票人都买到了最后一张票"},
    [V_LOCKED] =
        {"locked", "a lock around the purchase: exactly one buyer gets it",
         "The lock turns the purchase into a critical section: one buyer at a time reads, "
         "decrements and writes back. Checking the tickets left holds the lock only for the "
         "instant of the read, so checking stays concurrent while buying runs serially. "
         "Exactly min(buyers, tickets) buyers succeed; the rest see 0.",
         "锁把购票变成了临界区：同一时刻只有一个买票人读取、减一、写回。查票只在读取的一瞬间"
         "持有锁，所以查票仍然并发，购票却由并发变成了串行。恰好 min(买票人数, 票数) 人成功，"
         "其余的人看到 0。",
         0, "购票时加锁：恰好一个买票人买到"},
};

const lv_scenario lv_scenario_ticket = {
    .name = "ticket",
    .title = "Ticket-selling race",
    .title_zh = "模拟抢票",
    .source = "seed 001, 模拟抢票 (mutex section of multiprocessing)",
    .variants = variants,
    .nvariants = LV_COUNTOF(variants),
    .params = params,
    .nparams = LV_COUNTOF(params),
    .main = ticket_main,
};
