/* Findings in words: one formatter per language turns a finding's payload into its sentence,
 * and one builds the lockdep-style table of a deadlock cycle. Every string is built in a
 * growing buffer (strbuf.h), so a name of any length is written whole. Nothing here decides
 * what is a finding (analysis*.c do); nothing else words one. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "finding.h"
#include "lockviz/analysis.h"
#include "strbuf.h"

typedef struct words {
    const lv_trace *tr;
    lv__sb b;
    int zh;
    char *owned[24]; /* the strings at_name made, freed with the message */
    int nowned;
} words;

static const char *tname(const words *w, int32_t t) {
    return lv_trace_thread_name(w->tr, t);
}
static const char *oname(const words *w, int32_t o) {
    return lv_trace_object_name(w->tr, o);
}
/* A person reads event numbers from 1 (the status bar's "event 113 of 113"); the trace's
   seq fields stay 0-based. */
static uint32_t evno(uint32_t seq) {
    return seq + 1u;
}
static const lv_event *event_at(const words *w, uint32_t seq) {
    return seq < w->tr->nevents ? &w->tr->events[seq] : NULL;
}
static long long value_at(const words *w, uint32_t seq) {
    const lv_event *e = event_at(w, seq);
    return e ? (long long)e->value : 0;
}
static lv_obj_kind okind(const words *w, int32_t o) {
    return o >= 0 && (size_t)o < w->tr->nobjects ? w->tr->objects[o].kind : LV_OBJ__COUNT;
}
static long long oparam(const words *w, int32_t o) {
    return o >= 0 && (size_t)o < w->tr->nobjects ? (long long)w->tr->objects[o].param : 0;
}

/* A name with the call site of event seq, when the trace has one (a recorded program):
 * "forks[2] (philo.c:21)"; else the name alone. Owned by w. */
static const char *at_site(words *w, const char *n, uint32_t seq) {
    const lv_site *st = lv_trace_event_site(w->tr, seq);
    if (!st || w->nowned >= (int)(sizeof w->owned / sizeof w->owned[0])) return n;
    char sb[512];
    lv_site_format(st, sb, sizeof sb);
    lv__sb t = {0};
    lv__sb_printf(&t, w->zh ? "%s（%s）" : "%s (%s)", n, sb);
    char *r = lv__sb_take(&t);
    if (!r) return n;
    w->owned[w->nowned++] = r;
    return r;
}
static const char *at_name(words *w, int32_t o, uint32_t seq) {
    return at_site(w, oname(w, o), seq);
}

/* Whether the unlock of event seq was refused (EPERM) and released nothing. */
static int refused_release(const words *w, uint32_t seq) {
    const lv_event *e = event_at(w, seq);
    return e && e->kind == LV_EV_RELEASE && (e->flags & LV_EVF_REFUSED);
}

/* Whether the lock call of request seq was refused at once (EDEADLK): the timeout that ends
 * the request says so. */
static int refused_request(const words *w, uint32_t seq) {
    const lv_event *q = event_at(w, seq);
    if (!q) return 0;
    for (size_t i = (size_t)seq + 1; i < w->tr->nevents; i++) {
        const lv_event *e = &w->tr->events[i];
        if (e->thread != q->thread) continue;
        return e->obj == q->obj && e->kind == LV_EV_TIMEOUT && (e->flags & LV_EVF_REFUSED);
    }
    return 0;
}

/* A pthread program's words, or a scenario's (Python's) */
static int pthreads(const words *w) {
    return w->tr->program != NULL;
}

/* A timeout as a person says it: "50 ms", "1.5 s", "200 µs". */
static void put_duration(words *w, long long ns) {
    if (ns >= 1000000000LL)
        lv__sb_printf(&w->b, "%.3g s", (double)ns / 1e9);
    else if (ns >= 1000000LL)
        lv__sb_printf(&w->b, "%.3g ms", (double)ns / 1e6);
    else if (ns >= 1000LL)
        lv__sb_printf(&w->b, "%.3g µs", (double)ns / 1e3);
    else
        lv__sb_printf(&w->b, "%lld ns", ns);
}

static void put_list(words *w, const int32_t *t, size_t n) {
    for (size_t i = 0; i < n; i++) {
        if (i) lv__sb_puts(&w->b, w->zh ? "、" : ", ");
        lv__sb_puts(&w->b, tname(w, t[i]));
    }
}

/* ---- race and lost update ---- */

static const char *access_word(const words *w, uint8_t kind) {
    if (w->zh) return kind == LV_EV_WRITE ? "写入了" : "读取了";
    return kind == LV_EV_WRITE ? "writes" : "reads";
}

static void race_text(words *w, const lv_race_info *r) {
    const char *v = oname(w, r->var);
    if (w->zh)
        lv__sb_printf(&w->b,
                      "数据竞争（%s）：%s 在事件 %" PRIu32 " %s %s，%s 在事件 %" PRIu32
                      " %s %s，没有任何东西规定这两步的先后：它们之间没有锁、信号量、事件、条件变"
                      "量、启动线程或等待线程结束（join）。",
                      v, tname(w, r->first.thread), evno(r->first.seq),
                      access_word(w, r->first.kind), v, tname(w, r->second.thread),
                      evno(r->second.seq), access_word(w, r->second.kind), v);
    else
        lv__sb_printf(&w->b,
                      "Data race on %s: %s %s it (event %" PRIu32 ") and %s %s it (event %" PRIu32
                      "), and nothing orders the two: no lock, semaphore, event, condition, spawn "
                      "or join between them.",
                      v, tname(w, r->first.thread), access_word(w, r->first.kind),
                      evno(r->first.seq), tname(w, r->second.thread),
                      access_word(w, r->second.kind), evno(r->second.seq));
}

static void lost_text(words *w, const lv_lost_info *l) {
    const char *v = oname(w, l->var);
    const char *me = tname(w, l->read.thread), *other = tname(w, l->lost.thread);
    if (w->zh) {
        lv__sb_printf(&w->b,
                      "丢失的更新（%s）：%s 读到 %s=%lld（事件 %" PRIu32
                      "）；%s 写入 %lld（事件 %" PRIu32 "）；%s 又根据旧值写入 %lld（事件 %" PRIu32
                      "）：%s 的更新被覆盖，丢失了",
                      v, me, v, value_at(w, l->read.seq), evno(l->read.seq), other,
                      value_at(w, l->lost.seq), evno(l->lost.seq), tname(w, l->overwrite.thread),
                      value_at(w, l->overwrite.seq), evno(l->overwrite.seq), other);
        if (l->more) lv__sb_printf(&w->b, "（同样丢失的更新还有 %" PRIu64 " 次）", l->more);
        lv__sb_puts(&w->b, "。");
        return;
    }
    lv__sb_printf(&w->b,
                  "Lost update on %s: %s read %s=%lld (event %" PRIu32
                  "); %s wrote %lld (event %" PRIu32 "); %s wrote %lld (event %" PRIu32
                  "): %s's update was lost",
                  v, me, v, value_at(w, l->read.seq), evno(l->read.seq), other,
                  value_at(w, l->lost.seq), evno(l->lost.seq), tname(w, l->overwrite.thread),
                  value_at(w, l->overwrite.seq), evno(l->overwrite.seq), other);
    if (l->more)
        lv__sb_printf(&w->b, " (%" PRIu64 " more update%s lost the same way)", l->more,
                      l->more == 1 ? " was" : "s were");
    lv__sb_puts(&w->b, ".");
}

/* ---- deadlock ---- */

/* One clause about what a stuck thread waits for: "waits for lock B, held by t2". */
static void wait_clause(words *w, const lv_wait_step *s) {
    int zh = w->zh;
    if (s->obj == LV_NONE) {
        if (s->joins == s->thread)
            lv__sb_puts(&w->b, zh ? "在等待自己结束" : "waits to join itself");
        else
            lv__sb_printf(&w->b, zh ? "等待 %s 结束" : "waits to join %s",
                          at_site(w, tname(w, s->joins), s->seq));
        return;
    }
    const char *o = at_name(w, s->obj, s->seq);
    switch (okind(w, s->obj)) {
    case LV_OBJ_MUTEX:
    case LV_OBJ_RLOCK:
    case LV_OBJ_RWLOCK: {
        const char *lw = okind(w, s->obj) == LV_OBJ_RLOCK    ? (zh            ? "可重入锁"
                                                                : pthreads(w) ? "recursive mutex"
                                                                              : "RLock")
                         : okind(w, s->obj) == LV_OBJ_RWLOCK ? (zh ? "读写锁" : "rwlock")
                         : pthreads(w)                       ? (zh ? "互斥锁" : "mutex")
                                                             : (zh ? "锁" : "lock");
        if (s->nheld_by > 1 && okind(w, s->obj) == LV_OBJ_RWLOCK) { /* read holds */
            lv__sb_printf(&w->b,
                          zh ? "等待%s %s 的写锁，而读锁在 "
                             : "waits for a write hold of %s %s, read by ",
                          lw, o);
            put_list(w, s->held_by, s->nheld_by);
            if (zh) lv__sb_puts(&w->b, " 手里");
        } else if (s->nheld_by && s->held_by[0] == s->thread)
            lv__sb_printf(&w->b,
                          zh ? "等待%s %s，而它自己就持有这把锁"
                             : "waits for %s %s, which it holds itself",
                          lw, o);
        else if (s->nheld_by)
            lv__sb_printf(&w->b, zh ? "等待%s %s，它被 %s 持有" : "waits for %s %s, held by %s", lw,
                          o, tname(w, s->held_by[0]));
        else
            lv__sb_printf(&w->b, zh ? "等待%s %s" : "waits for %s %s", lw, o);
        break;
    }
    case LV_OBJ_SEMAPHORE:
    case LV_OBJ_BOUNDED_SEMAPHORE:
        if (zh)
            lv__sb_printf(&w->b, "等待信号量 %s 的许可（共 %lld 个，一个也不剩", o,
                          oparam(w, s->obj));
        else
            lv__sb_printf(&w->b, "waits for a permit of %s (0 of %lld left", o, oparam(w, s->obj));
        if (s->nheld_by) {
            lv__sb_puts(&w->b, zh ? "；拿着许可的是 " : "; held by ");
            put_list(w, s->held_by, s->nheld_by);
        }
        lv__sb_puts(&w->b, zh ? "）" : ")");
        break;
    case LV_OBJ_EVENT:
        lv__sb_printf(&w->b,
                      zh ? "等待事件 %s，但剩下的线程里没有谁会设置它"
                         : "waits for event %s, which nobody left will set",
                      o);
        break;
    case LV_OBJ_CONDITION:
        lv__sb_printf(&w->b,
                      zh ? "等待条件变量 %s 的通知，但这个通知永远不会来"
                         : "waits on condition %s for a notify that never comes",
                      o);
        break;
    case LV_OBJ_BARRIER:
        lv__sb_printf(&w->b,
                      zh ? "在屏障 %s 等待，但剩下的线程凑不够 %lld 个"
                         : "waits at barrier %s for threads that will never come (it needs %lld)",
                      o, oparam(w, s->obj));
        break;
    default:
        lv__sb_printf(&w->b, zh ? "等待 %s" : "waits for %s", o);
    }
}

/* 1 when every thread that did not end is one of the stuck steps. */
static int all_stuck(const words *w, const lv_deadlock_info *d) {
    size_t nt = w->tr->nthreads, left = 0;
    unsigned char *gone = calloc(nt ? nt : 1, 1);
    if (!gone) return 1;
    for (size_t i = 0; i < w->tr->nevents; i++) {
        const lv_event *e = &w->tr->events[i];
        if (e->kind == LV_EV_END && e->thread >= 0 && (size_t)e->thread < nt) gone[e->thread] = 1;
    }
    for (size_t i = 0; i < d->nsteps; i++)
        if (d->steps[i].thread >= 0 && (size_t)d->steps[i].thread < nt)
            gone[d->steps[i].thread] = 1;
    for (size_t t = 0; t < nt; t++)
        left += !gone[t];
    free(gone);
    return left == 0;
}

static void deadlock_text(words *w, const lv_deadlock_info *d) {
    int zh = w->zh;
    lv__sb_puts(&w->b, zh ? "死锁：" : "Deadlock:");
    if (d->nsteps == 0) {
        lv__sb_puts(&w->b, zh ? "没有线程能继续运行。" : " no thread can go on.");
        return;
    }
    const lv_wait_step *s0 = &d->steps[0];
    switch (d->shape) {
    case LV_DL_SELF_LOCK:
        lv__sb_printf(&w->b, zh ? "%s " : " %s ", tname(w, s0->thread));
        wait_clause(w, s0);
        if (okind(w, s0->obj) == LV_OBJ_RWLOCK)
            lv__sb_puts(&w->b, zh ? "：它拿着读锁又要写锁，而写锁要等所有读锁放开，包括它自己的，"
                                    "所以它永远在等自己。"
                                  : ": it holds a read hold and asks for a write hold, which waits "
                                    "for every read hold to go, its own too, so it waits for "
                                    "itself forever.");
        else if (pthreads(w))
            lv__sb_puts(&w->b, zh ? "：普通互斥锁不可重入，所以它永远在等自己。"
                                  : ": a normal mutex is not recursive, so it waits for itself "
                                    "forever.");
        else
            lv__sb_puts(&w->b,
                        zh ? "：普通的 Lock 不可重入，所以它永远在等自己。"
                           : ": a plain Lock is not reentrant, so it waits for itself forever.");
        break;
    case LV_DL_SELF_JOIN:
        lv__sb_printf(&w->b,
                      zh ? "%s 在等待自己结束（对自己调用 join，事件 %" PRIu32
                           "）：它要先结束才能等到，所以永远等下去。"
                         : " %s waits to join itself (event %" PRIu32
                           "): it would have to end before its wait could, so it waits forever.",
                      tname(w, s0->thread), evno(s0->seq));
        break;
    case LV_DL_CYCLE:
        for (size_t i = 0; i < d->nsteps; i++) {
            const lv_wait_step *s = &d->steps[i];
            if (i) lv__sb_puts(&w->b, zh ? "；" : ";");
            lv__sb_printf(&w->b, zh ? "%s " : " %s ", tname(w, s->thread));
            if (s->holds != LV_NONE)
                lv__sb_printf(&w->b, zh ? "持有 %s，" : "holds %s and ",
                              at_name(w, s->holds, s->acquired));
            wait_clause(w, s);
        }
        lv__sb_puts(&w->b, zh ? "：每个线程都在等下一个，围成一圈，永远等下去。"
                              : ": each waits for the next, in a circle, forever.");
        break;
    default:
        if (all_stuck(w, d))
            lv__sb_puts(&w->b, zh ? "没有线程能继续运行。" : " no thread can go on.");
        else /* a live run stopped beside threads that could still run (a poller) */
            lv__sb_puts(&w->b,
                        zh ? "这些线程永远无法继续运行。" : " these threads can never go on.");
        for (size_t i = 0; i < d->nsteps; i++) {
            lv__sb_printf(&w->b, zh ? "%s " : " %s ", tname(w, d->steps[i].thread));
            wait_clause(w, &d->steps[i]);
            lv__sb_puts(&w->b, zh ? "。" : ".");
        }
    }
}

/* ---- lock order ---- */

static void order_summary(words *w, const lv_order_info *o, size_t nlocks, size_t nthreads) {
    if (o->more && w->zh)
        lv__sb_printf(
            &w->b,
            "锁的顺序颠倒：锁顺序图里还有 %" PRIu64
            " 个环没有列出（lockviz 最多列出 %u 个，最短的在前），涉及 %zu 把锁和 %zu 个线程。",
            o->more, o->listed, nlocks, nthreads);
    else if (o->more)
        lv__sb_printf(&w->b,
                      "Lock-order inversions: %" PRIu64
                      " more cycle%s of the lock-order graph %s found and not listed (lockviz "
                      "lists at most %u, shortest first); %s through %zu lock%s and %zu "
                      "thread%s.",
                      o->more, o->more == 1 ? "" : "s", o->more == 1 ? "was" : "were", o->listed,
                      o->more == 1 ? "it goes" : "they go", nlocks, nlocks == 1 ? "" : "s",
                      nthreads, nthreads == 1 ? "" : "s");
    else
        lv__sb_puts(&w->b, w->zh ? "锁的顺序颠倒：上面列出的可能不是全部。"
                                 : "Lock-order inversions: the ones above may not be all.");
    if (o->bound)
        lv__sb_printf(&w->b,
                      w->zh ? "查找环的过程在 %u 步的上限处停了下来，所以可能还有更多。"
                            : " The search for cycles stopped at its bound of %u steps, so there "
                              "may be more.",
                      o->bound);
}

static void order_text(words *w, const lv_order_info *o) {
    int one_thread = 1;
    for (size_t k = 1; k < o->nedges; k++)
        one_thread &= o->edges[k].thread == o->edges[0].thread;
    lv__sb_puts(&w->b, w->zh ? "锁的顺序颠倒：" : "Lock-order inversion:");
    for (size_t k = 0; k < o->nedges; k++) {
        const lv_order_edge *x = &o->edges[k];
        if (w->zh)
            lv__sb_printf(&w->b, "%s%s 先拿 %s 再拿 %s（事件 %" PRIu32 "、%" PRIu32 "）",
                          k ? "；" : "", tname(w, x->thread), at_name(w, x->from, x->acquire),
                          at_name(w, x->to, x->request), evno(x->acquire), evno(x->request));
        else
            lv__sb_printf(&w->b, "%s %s takes %s then %s (events %" PRIu32 ", %" PRIu32 ")",
                          k ? ";" : "", tname(w, x->thread), at_name(w, x->from, x->acquire),
                          at_name(w, x->to, x->request), evno(x->acquire), evno(x->request));
    }
    if (w->zh)
        lv__sb_printf(&w->b,
                      "。如果%s同时运行，每个线程都可能拿着第一把锁、永远等下一把：这是一个随时可能"
                      "发生的死锁，即使这次运行顺利结束了。",
                      one_thread ? "有两个线程" : "它们");
    else
        lv__sb_printf(
            &w->b,
            ". If %s at the same time, each can hold its first lock and wait for the next "
            "one forever: a deadlock waiting to happen, even if this run finished.",
            one_thread ? "two threads ran this code" : "they run");
}

/* ---- misuse ---- */

static void relock_text(words *w, const lv_misuse_info *m) {
    const lv_event *e = event_at(w, m->seq);
    int timed = e && (e->flags & LV_EVF_VALUE) && e->value >= 0;
    const char *who = tname(w, m->thread), *o = at_name(w, m->obj, m->seq);
    if (refused_request(w, m->seq)) { /* an error-checking mutex: the call failed, no wait */
        lv__sb_printf(&w->b,
                      w->zh ? "%s 请求互斥锁 %s，但它已经持有这把锁：检错型互斥锁拒绝了这次加锁"
                              "（EDEADLK），调用立即返回错误（事件 %" PRIu32 "）。"
                            : "%s asks for mutex %s, which it already holds: the error-checking "
                              "mutex refuses it (EDEADLK), and the call returns the error at "
                              "once (event %" PRIu32 ").",
                      who, o, evno(m->seq));
        return;
    }
    if (w->zh) {
        lv__sb_printf(&w->b, "%s 请求锁 %s，但它已经持有这把锁：%s不可重入，", who, o,
                      pthreads(w) ? "普通互斥锁" : "普通的 Lock ");
        if (!timed)
            lv__sb_puts(&w->b, "所以它会永远等自己");
        else if (e->value == 0)
            lv__sb_puts(&w->b, "所以这次尝试（不等待）一定失败");
        else {
            lv__sb_puts(&w->b, "所以这次调用只能等到 ");
            put_duration(w, e->value);
            lv__sb_puts(&w->b, " 后超时");
        }
        lv__sb_printf(&w->b, "（事件 %" PRIu32 "）。", evno(m->seq));
        return;
    }
    lv__sb_printf(
        &w->b, "%s asks for %s %s, which it already holds: %s", who, pthreads(w) ? "mutex" : "lock",
        o, pthreads(w) ? "a normal mutex is not recursive" : "a plain Lock is not reentrant");
    if (!timed)
        lv__sb_puts(&w->b, ", so it waits for itself forever");
    else if (e->value == 0)
        lv__sb_puts(&w->b, ", so the try (which does not wait) fails");
    else {
        lv__sb_puts(&w->b, ", so the call can only time out after ");
        put_duration(w, e->value);
    }
    lv__sb_printf(&w->b, " (event %" PRIu32 ").", evno(m->seq));
}

/* A write hold asked by a thread that holds a read hold of the same rwlock */
static void upgrade_text(words *w, const lv_misuse_info *m) {
    const lv_event *e = event_at(w, m->seq);
    int timed = e && (e->flags & LV_EVF_VALUE) && e->value >= 0;
    const char *who = tname(w, m->thread), *o = at_name(w, m->obj, m->seq);
    if (w->zh) {
        lv__sb_printf(&w->b,
                      "%s 请求读写锁 %s 的写锁，但它还持有这把锁的读锁：读锁不能升级为写锁，"
                      "写锁要等到没有任何线程在读，包括它自己，",
                      who, o);
        if (!timed)
            lv__sb_puts(&w->b, "所以它会永远等自己");
        else if (e->value == 0)
            lv__sb_puts(&w->b, "所以这次尝试（不等待）一定失败");
        else {
            lv__sb_puts(&w->b, "所以这次调用只能等到 ");
            put_duration(w, e->value);
            lv__sb_puts(&w->b, " 后超时");
        }
        lv__sb_printf(&w->b, "（事件 %" PRIu32 "）。应先释放读锁，再请求写锁（之后重新检查数据）。",
                      evno(m->seq));
        return;
    }
    lv__sb_printf(&w->b,
                  "%s asks for a write lock of rwlock %s while it holds a read lock of it: a "
                  "read lock cannot be upgraded, and a write lock waits until no thread reads, "
                  "this one included",
                  who, o);
    if (!timed)
        lv__sb_puts(&w->b, ", so it waits for itself forever");
    else if (e->value == 0)
        lv__sb_puts(&w->b, ", so the try (which does not wait) fails");
    else {
        lv__sb_puts(&w->b, ", so the call can only time out after ");
        put_duration(w, e->value);
    }
    lv__sb_printf(&w->b,
                  " (event %" PRIu32 "). Unlock the read lock first, then ask for the write "
                  "lock (and look at the data again).",
                  evno(m->seq));
}

/* What goes wrong in a pthread program, after a misuse's sentence */
static void pthread_tail(words *w, lv_misuse_rule r) {
    int zh = w->zh;
    switch (r) {
    case LV_MU_RELEASE_UNHELD:
    case LV_MU_RELEASE_OTHER:
    case LV_MU_RLOCK_NOT_OWNER:
        lv__sb_puts(&w->b, zh ? "解锁不属于自己的互斥锁是未定义行为（检错型互斥锁返回 EPERM）。"
                              : " Unlocking a mutex the thread does not hold is undefined "
                                "behaviour (an error-checking mutex returns EPERM).");
        break;
    case LV_MU_DESTROY_LOCKED:
        lv__sb_puts(&w->b, zh ? "销毁一个被锁住的互斥锁是未定义行为（glibc 返回 EBUSY）。"
                              : " Destroying a locked mutex is undefined behaviour (glibc "
                                "returns EBUSY).");
        break;
    case LV_MU_COND_WAIT_UNLOCKED:
        lv__sb_puts(&w->b, zh ? "pthread_cond_wait 要求调用者持有这个互斥锁，否则是未定义行为。"
                              : " pthread_cond_wait needs the caller to hold the mutex; without "
                                "it the behaviour is undefined.");
        break;
    default:
        break;
    }
}

static void misuse_text(words *w, const lv_misuse_info *m) {
    const char *who = tname(w, m->thread), *o = at_name(w, m->obj, m->seq);
    int zh = w->zh;
    if (m->rule == LV_MU_RWLOCK_UPGRADE) {
        upgrade_text(w, m);
        return;
    }
    if (pthreads(w) && m->rule != LV_MU_RELOCK && m->rule != LV_MU_JOIN_SELF) {
        const char *lk =
            m->rule == LV_MU_COND_WAIT_UNLOCKED ? oname(w, (int32_t)oparam(w, m->obj)) : NULL;
        switch (m->rule) {
        case LV_MU_RELEASE_UNHELD:
            lv__sb_printf(&w->b,
                          zh ? "%s 解锁 %s，但没有人持有它（事件 %" PRIu32 "）。"
                             : "%s unlocks %s, which nobody holds (event %" PRIu32 ").",
                          who, o, evno(m->seq));
            break;
        case LV_MU_RELEASE_OTHER:
        case LV_MU_RLOCK_NOT_OWNER:
            if (refused_release(w, m->seq)) {
                if (m->other != LV_NONE)
                    lv__sb_printf(&w->b,
                                  zh ? "%s 解锁 %s，但持有它的是 %s：互斥锁拒绝了（EPERM），"
                                       "%s 仍然持有它（事件 %" PRIu32 "）。"
                                     : "%s unlocks %s, which %s holds: the mutex refuses it "
                                       "(EPERM), and %s still holds it (event %" PRIu32 ").",
                                  who, o, tname(w, m->other), tname(w, m->other), evno(m->seq));
                else
                    lv__sb_printf(&w->b,
                                  zh ? "%s 解锁 %s，但它不持有这把锁：互斥锁拒绝了（EPERM）"
                                       "（事件 %" PRIu32 "）。"
                                     : "%s unlocks %s, which it does not hold: the mutex refuses "
                                       "it (EPERM) (event %" PRIu32 ").",
                                  who, o, evno(m->seq));
                return;
            }
            if (m->other != LV_NONE)
                lv__sb_printf(&w->b,
                              zh ? "%s 解锁 %s，但持有它的是 %s（事件 %" PRIu32 "）。"
                                 : "%s unlocks %s, which %s holds (event %" PRIu32 ").",
                              who, o, tname(w, m->other), evno(m->seq));
            else
                lv__sb_printf(&w->b,
                              zh ? "%s 解锁 %s，但它不持有这把锁（事件 %" PRIu32 "）。"
                                 : "%s unlocks %s, which it does not hold (event %" PRIu32 ").",
                              who, o, evno(m->seq));
            break;
        case LV_MU_DESTROY_LOCKED:
            lv__sb_printf(&w->b,
                          zh ? "%s 销毁了 %s，而 %s 还持有它（事件 %" PRIu32 "）。"
                             : "%s destroys %s while %s holds it (event %" PRIu32 ").",
                          who, o, m->other != LV_NONE ? tname(w, m->other) : "a thread",
                          evno(m->seq));
            break;
        case LV_MU_COND_WAIT_UNLOCKED:
            lv__sb_printf(
                &w->b,
                zh ? "%s 没有持有互斥锁 %s 就等待条件变量 %s（事件 %" PRIu32 "）。"
                   : "%s waits on condition %s without holding its mutex %s (event %" PRIu32 ").",
                who, o, lk, evno(m->seq));
            if (m->other != LV_NONE) /* the wait's own unlock ended another thread's hold */
                lv__sb_printf(&w->b,
                              zh ? "等待内部的解锁释放了 %s 持有的 %s。"
                                 : " The unlock inside the wait freed %s while %s held it.",
                              zh ? tname(w, m->other) : lk, zh ? lk : tname(w, m->other));
            break;
        default:
            lv__sb_printf(&w->b,
                          zh ? "%s 误用了 %s（事件 %" PRIu32 "）。"
                             : "%s misuses %s (event %" PRIu32 ").",
                          who, o, evno(m->seq));
        }
        pthread_tail(w, m->rule);
        return;
    }
    switch (m->rule) {
    case LV_MU_RELOCK:
        relock_text(w, m);
        break;
    case LV_MU_RELEASE_UNHELD:
        lv__sb_printf(&w->b,
                      zh ? "%s 释放锁 %s，但没有人持有它（事件 %" PRIu32
                           "）；Python 在这里会抛出 RuntimeError。"
                         : "%s releases lock %s, which nobody holds (event %" PRIu32
                           "); Python raises RuntimeError here.",
                      who, o, evno(m->seq));
        break;
    case LV_MU_RELEASE_OTHER:
        lv__sb_printf(&w->b,
                      zh ? "%s 释放锁 %s，但持有它的是 %s（事件 %" PRIu32
                           "）：这把锁不再保护 %s 的临界区。"
                         : "%s releases lock %s, which %s holds (event %" PRIu32
                           "): the lock no longer protects %s's critical section.",
                      who, o, tname(w, m->other), evno(m->seq), tname(w, m->other));
        break;
    case LV_MU_RLOCK_NOT_OWNER:
        lv__sb_printf(&w->b,
                      zh ? "%s 释放可重入锁 %s，但它不是持有者（事件 %" PRIu32
                           "）；可重入锁（RLock）只能由持有它的线程释放。"
                         : "%s releases RLock %s, which it does not own (event %" PRIu32
                           "); an RLock can only be released by its owner.",
                      who, o, evno(m->seq));
        break;
    case LV_MU_OVER_RELEASE: {
        long long cap = oparam(w, m->obj);
        if (zh)
            lv__sb_printf(&w->b,
                          "%s 释放有界信号量 %s，超过了它的初始值 %lld（事件 %" PRIu32
                          "），这次释放被拒绝（Python 抛出 ValueError）：释放的次数比获取的多，说明"
                          "之前有一次释放还回了没人拿走的许可；普通的 Semaphore 会悄悄变成 %lld "
                          "个许可。",
                          who, o, cap, evno(m->seq), cap + 1);
        else
            lv__sb_printf(&w->b,
                          "%s releases BoundedSemaphore %s past its value %lld (event %" PRIu32
                          ") and the release is refused (Python raises ValueError): it was "
                          "released more often than acquired, so an earlier release gave back a "
                          "permit nobody had taken; a plain Semaphore would silently grow to %lld "
                          "permits.",
                          who, o, cap, evno(m->seq), cap + 1);
        break;
    }
    case LV_MU_COND_WAIT_UNLOCKED:
    case LV_MU_COND_NOTIFY_UNLOCKED: {
        int notify = m->rule == LV_MU_COND_NOTIFY_UNLOCKED;
        const char *lk = oname(w, (int32_t)oparam(w, m->obj));
        if (zh)
            lv__sb_printf(&w->b,
                          "%s 没有持有锁 %s 就%s条件变量 %s（事件 %" PRIu32
                          "）；Python 在这里会抛出 RuntimeError。",
                          who, lk, notify ? "通知" : "等待", o, evno(m->seq));
        else
            lv__sb_printf(&w->b,
                          "%s %s condition %s without holding its lock %s (event %" PRIu32
                          "); Python raises RuntimeError here.",
                          who, notify ? "notifies" : "waits on", o, lk, evno(m->seq));
        break;
    }
    case LV_MU_JOIN_SELF:
        lv__sb_printf(&w->b,
                      zh ? "%s 对自己调用 join，等待自己结束（事件 %" PRIu32
                           "）：线程不可能等到自己结束；Python 在这里会抛出 RuntimeError。"
                         : "%s joins itself (event %" PRIu32
                           "): a thread cannot wait for its own end; Python raises RuntimeError "
                           "here.",
                      who, evno(m->seq));
        break;
    default:
        lv__sb_printf(
            &w->b, zh ? "%s 误用了 %s（事件 %" PRIu32 "）。" : "%s misuses %s (event %" PRIu32 ").",
            who, o, evno(m->seq));
    }
}

/* ---- the formatters ---- */

char *lv_finding_message(const lv_trace *tr, const lv_finding *f, lv_text_lang lang) {
    words w = {tr, {0}, lang == LV_TEXT_ZH, {0}, 0};
    switch (f->payload) {
    case LV_PAY_RACE:
        race_text(&w, &f->data.race);
        break;
    case LV_PAY_LOST_UPDATE:
        lost_text(&w, &f->data.lost);
        break;
    case LV_PAY_DEADLOCK:
        deadlock_text(&w, &f->data.deadlock);
        break;
    case LV_PAY_LOCK_ORDER:
        if (f->data.order.nedges)
            order_text(&w, &f->data.order);
        else
            order_summary(&w, &f->data.order, f->nobjects, f->nthreads);
        break;
    case LV_PAY_MISUSE:
        misuse_text(&w, &f->data.misuse);
        break;
    case LV_PAY_INVARIANT: {
        const char *t = f->data.invariant.text ? f->data.invariant.text : "";
        if (w.zh)
            lv__sb_printf(&w.b, "检查没有通过：%s", t);
        else
            lv__sb_puts(&w.b, *t ? t : "a check failed");
        break;
    }
    default:
        lv__sb_puts(&w.b, f->message ? f->message : "");
    }
    for (int i = 0; i < w.nowned; i++)
        free(w.owned[i]);
    return lv__sb_take(&w.b);
}

/* Copies at most width characters of s (UTF-8: never half of one), padded with spaces. */
static void put_cell(lv__sb *b, const char *s, size_t width) {
    size_t chars = 0, i = 0;
    while (s[i] && chars < width) {
        i++;
        while (((unsigned char)s[i] & 0xc0) == 0x80)
            i++;
        chars++;
    }
    lv__sb_putn(b, s, i);
    for (; chars < width; chars++)
        lv__sb_putn(b, " ", 1);
}

typedef struct row {
    uint32_t seq;
    size_t col;
    int blocks;
} row;

static int cmp_row(const void *a, const void *b) {
    const row *x = a, *y = b;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

/* One column per thread of the cycle; a row per step that built the deadlock (taking what it
 * holds, then blocking on what the next one holds), in trace order. */
char *lv_finding_detail(const lv_trace *tr, const lv_finding *f) {
    if (f->payload != LV_PAY_DEADLOCK || f->data.deadlock.shape != LV_DL_CYCLE ||
        f->data.deadlock.nsteps < 2)
        return NULL;
    enum { COL = 18 };
    const lv_deadlock_info *d = &f->data.deadlock;
    size_t n = d->nsteps;
    row *rows = malloc(2 * n * sizeof *rows);
    if (!rows) return NULL;
    size_t nrows = 0;
    for (size_t c = 0; c < n; c++) {
        if (d->steps[c].holds != LV_NONE) rows[nrows++] = (row){d->steps[c].acquired, c, 0};
        rows[nrows++] = (row){d->steps[c].seq, c, 1};
    }
    qsort(rows, nrows, sizeof *rows, cmp_row);
    lv__sb b = {0};
    for (size_t c = 0; c < n; c++) {
        lv__sb_puts(&b, "    ");
        put_cell(&b, lv_trace_thread_name(tr, d->steps[c].thread), COL);
    }
    lv__sb_puts(&b, "\n");
    for (size_t c = 0; c < n; c++) {
        lv__sb_puts(&b, "    ");
        put_cell(&b, "----", COL);
    }
    lv__sb_puts(&b, "\n");
    for (size_t r = 0; r < nrows; r++) {
        for (size_t c = 0; c < rows[r].col; c++) {
            lv__sb_puts(&b, "    ");
            put_cell(&b, "", COL);
        }
        const lv_event *e = rows[r].seq < tr->nevents ? &tr->events[rows[r].seq] : NULL;
        if (e && e->kind == LV_EV_JOIN)
            lv__sb_printf(&b, "    join(%s)", lv_trace_thread_name(tr, (int32_t)e->value));
        else
            lv__sb_printf(&b, "    lock(%s)", lv_trace_object_name(tr, e ? e->obj : LV_NONE));
        lv__sb_puts(&b, rows[r].blocks ? " blocks\n" : "\n");
    }
    lv__sb_puts(&b, "\n    *** DEADLOCK ***");
    free(rows);
    return lv__sb_take(&b);
}

lv_err lv__finding_render(const lv_trace *tr, lv_finding *f) {
    char *m = lv_finding_message(tr, f, LV_TEXT_EN);
    if (!m) return LV_ENOMEM;
    free(f->message);
    f->message = m;
    free(f->detail);
    f->detail = NULL;
    if (f->payload == LV_PAY_DEADLOCK && f->data.deadlock.shape == LV_DL_CYCLE &&
        f->data.deadlock.nsteps >= 2 && !(f->detail = lv_finding_detail(tr, f)))
        return LV_ENOMEM;
    return LV_OK;
}
