/* The tracer under stress: 16 threads x 100k operations on shared locks and private vars.
 * Nothing may be lost, each thread's own order must survive the merge, and the merged order
 * must agree with what the locks ordered (no acquire before the release that let it in). */
#include "support.h"

#define THREADS 16
#define ITERS 25000 /* x 4 events (request, acquire, write, release) = 100k per thread */
#define LOCKS 4

static lv_mutex *locks[LOCKS];
static lv_var *mine[THREADS];

static void worker(void *arg) {
    int id = (int)(intptr_t)arg;
    for (int i = 0; i < ITERS; i++) {
        lv_mutex *m = locks[(i + id) % LOCKS];
        lv_mutex_lock(m);
        lv_var_write(mine[id], i); /* a per-thread counter: shows the thread's own order */
        lv_mutex_unlock(m);
    }
}

static void main_stress(const lv_args *a) {
    (void)a;
    for (int i = 0; i < LOCKS; i++) {
        char nm[16];
        snprintf(nm, sizeof nm, "L%d", i);
        locks[i] = lv_mutex_new(nm);
    }
    lv_thread *t[THREADS];
    for (int i = 0; i < THREADS; i++) {
        char nm[16];
        snprintf(nm, sizeof nm, "v%d", i);
        mine[i] = lv_var_new(nm, -1);
    }
    for (int i = 0; i < THREADS; i++) {
        char nm[16];
        snprintf(nm, sizeof nm, "w%d", i);
        t[i] = lv_spawn(nm, worker, (void *)(intptr_t)i);
    }
    for (int i = 0; i < THREADS; i++)
        lv_join(t[i]);
}

TEST(stress_16x100k) {
    lv_trace *tr = run_fn("stress", main_stress);
    ASSERT_EQ(tr->dropped, 0);
    /* main: start, 16 spawns, 16 joins, end; each worker: start, 4 per iteration, end */
    ASSERT_EQ(tr->nevents, 2 + 2 * THREADS + THREADS * (2 + 4 * (size_t)ITERS));
    ASSERT_EQ(tr->nthreads, THREADS + 1);

    int32_t holder[LOCKS];
    for (int i = 0; i < LOCKS; i++)
        holder[i] = LV_NONE;
    int64_t next[THREADS + 1];
    size_t per_thread[THREADS + 1] = {0};
    for (int i = 0; i <= THREADS; i++)
        next[i] = 0;
    int64_t last_t = 0;
    for (size_t i = 0; i < tr->nevents; i++) {
        const lv_event *e = &tr->events[i];
        ASSERT_EQ(e->seq, i);
        ASSERT_GE(e->t, last_t);
        last_t = e->t;
        per_thread[e->thread]++;
        if (e->kind == LV_EV_WRITE) {
            /* thread k (1..16) writes 0, 1, 2 ... in order on its own var */
            ASSERT_EQ(e->value, next[e->thread]);
            next[e->thread]++;
        }
        if (e->obj >= 0 && e->obj < LOCKS) {
            if (e->kind == LV_EV_ACQUIRE) {
                ASSERT_EQ(holder[e->obj], LV_NONE); /* nobody holds it: its release came first */
                holder[e->obj] = e->thread;
            } else if (e->kind == LV_EV_RELEASE) {
                ASSERT_EQ(holder[e->obj], e->thread); /* every release by its acquirer */
                holder[e->obj] = LV_NONE;
            }
        }
    }
    for (int i = 0; i < LOCKS; i++)
        ASSERT_EQ(holder[i], LV_NONE);
    for (int k = 1; k <= THREADS; k++) {
        ASSERT_EQ(next[k], ITERS);
        ASSERT_EQ(per_thread[k], 2 + 4 * (size_t)ITERS);
        ASSERT_EQ(count_events(tr, LV_EV_REQUEST, LV_NONE, k), ITERS);
        ASSERT_EQ(count_events(tr, LV_EV_ACQUIRE, LV_NONE, k), ITERS);
        ASSERT_EQ(count_events(tr, LV_EV_RELEASE, LV_NONE, k), ITERS);
    }
    ASSERT_EQ(tr->nfindings, 0);
    lv_trace_free(tr);
}

TEST_MAIN(TEST_ENTRY(stress_16x100k, 500))
