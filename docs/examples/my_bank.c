/* The bank account of seed 003 ("### 4. 线程安全"), as a scenario of your own: one thread
 * saves money, one draws some; each reads the balance, sleeps 8 s, and writes back what it
 * read plus or minus its amount. Without a lock one of the two updates is lost.
 *
 * Build:  cc -shared -fPIC my_bank.c $(pkg-config --cflags --libs lockviz) -o my_bank.so
 * Run:    lockviz run ./my_bank.so --variant broken */
#include <lockviz/lockviz.h>

enum { P_BALANCE, P_SAVE, P_DRAW };
enum { V_BROKEN, V_LOCKED };

typedef struct account {
    lv_var *balance; /* self.balance: every read and write is recorded */
    lv_mutex *lock;  /* self.lock; NULL in the broken variant */
} account;

typedef struct deal {
    account *acc;
    int64_t num;
} deal;

/* save(num) and drw(num): read, sleep 8 s, write back */
static void change(account *acc, int64_t delta) {
    if (acc->lock) lv_mutex_lock(acc->lock);
    int64_t a = lv_var_read(acc->balance);
    lv_sleep(LV_SEC(8));
    lv_var_write(acc->balance, a + delta);
    if (acc->lock) lv_mutex_unlock(acc->lock);
}

static void save(void *arg) {
    deal *d = arg;
    change(d->acc, d->num);
    lv_note("存钱 %lld (saved)", (long long)d->num);
}

static void drw(void *arg) {
    deal *d = arg;
    change(d->acc, -d->num);
    lv_note("取钱 %lld (drew)", (long long)d->num);
}

static void bank_main(const lv_args *a) {
    int64_t start = a->params[P_BALANCE];
    account acc = {lv_var_new("balance", start),
                   a->variant == V_LOCKED ? lv_mutex_new("lock") : NULL};
    deal s = {&acc, a->params[P_SAVE]}, w = {&acc, a->params[P_DRAW]};
    lv_thread *t1 = lv_spawn("t1-save", save, &s);
    lv_thread *t2 = lv_spawn("t2-drw", drw, &w);
    lv_join(t1);
    lv_join(t2);
    int64_t end = lv_var_read(acc.balance), want = start + s.num - w.num;
    lv_note("balance = %lld", (long long)end);
    lv_check(end == want, "balance %lld after saving %lld and drawing %lld from %lld; want %lld",
             (long long)end, (long long)s.num, (long long)w.num, (long long)start, (long long)want);
}

static const lv_param_desc params[] = {
    [P_BALANCE] = {"balance", "the balance at the start", 1000, 0, 1000000},
    [P_SAVE] = {"save", "what t1 saves", 1000, 0, 1000000},
    [P_DRAW] = {"draw", "what t2 draws", 100, 0, 1000000},
};

static const lv_variant_desc variants[] = {
    [V_BROKEN] = {.name = "broken",
                  .summary = "no lock: one of the two updates is lost",
                  .summary_zh = "不加锁：两次修改丢了一次",
                  .lesson_en = "Both threads read balance = 1000 before either writes it back, "
                               "because each sleeps between reading and writing. The later "
                               "write overwrites the earlier one: the balance ends at 2000 or "
                               "900, never 1900.",
                  .lesson_zh = "两个线程都在对方写回之前读到了 balance = 1000，因为读和写之间"
                               "隔着 sleep。后写的覆盖了先写的：余额最后是 2000 或 900，而不是 "
                               "1900。",
                  .broken = 1},
    [V_LOCKED] = {.name = "locked",
                  .summary = "a lock around read, sleep and write: 1900",
                  .summary_zh = "读、睡眠、写都在锁里：1900",
                  .lesson_en = "self.lock makes each read-sleep-write one critical section: "
                               "the second thread reads the balance only after the first "
                               "wrote it back, so both updates count.",
                  .lesson_zh = "self.lock 让每次读-睡眠-写成为一个临界区：第二个线程要等第一个"
                               "写回之后才读余额，两次修改都算数。"},
};

LV_SCENARIO(.name = "bank", .title = "Bank account (lost update)", .title_zh = "银行账户：线程安全",
            .source = "seed 003, ### 4. 线程安全 (Account.save / Account.drw)",
            .variants = variants, .nvariants = LV_COUNTOF(variants), .params = params,
            .nparams = LV_COUNTOF(params), .main = bank_main);
