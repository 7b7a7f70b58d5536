/* The tracer under stress: 16 threads x 100k operations on shared locks and private vars.
 * Nothing may be lost, each thread's own order must survive the merge, and the merged order
 * must agree with what the locks ordered (no acquire before the release that let it in). */
#include <limits.h>
#include "support.h"
#include "internal.h" /* lv__pool_kept */

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
    int64_t released_t[LOCKS];
    for (int i = 0; i < LOCKS; i++) {
        holder[i] = LV_NONE;
        released_t[i] = -1;
    }
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
                ASSERT_EQ(holder[e->obj], LV_NONE);  /* nobody holds it: its release came first */
                ASSERT_GT(e->t, released_t[e->obj]); /* and strictly before it in time */
                holder[e->obj] = e->thread;
            } else if (e->kind == LV_EV_RELEASE) {
                ASSERT_EQ(holder[e->obj], e->thread); /* every release by its acquirer */
                holder[e->obj] = LV_NONE;
                released_t[e->obj] = e->t;
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

/* The benchmark's shape: threads taking one lock with nothing inside, as fast as they can, so
 * that the lock changes hands often and a release (stamped after the unlock) often reads later
 * than the acquire it enabled. The merge must still put every release first. */
static lv_mutex *hot;
static void hot_worker(void *arg) {
    (void)arg;
    for (int i = 0; i < 200000; i++) {
        lv_mutex_lock(hot);
        lv_mutex_unlock(hot);
    }
}

static void main_hot(const lv_args *a) {
    (void)a;
    hot = lv_mutex_new("hot");
    lv_thread *t[3];
    for (int i = 0; i < 3; i++)
        t[i] = lv_spawn("w", hot_worker, NULL);
    for (int i = 0; i < 3; i++)
        lv_join(t[i]);
}

TEST(hot_lock_every_acquire_after_its_release) {
    lv_trace *tr = run_fn("hot", main_hot);
    ASSERT_EQ(tr->dropped, 0);
    int32_t m = obj_id(tr, "hot"), holder = LV_NONE;
    int64_t released_t = -1, last_t = 0;
    size_t handoffs = 0, acquires = 0;
    int32_t last_holder = LV_NONE;
    int64_t thread_t[8] = {0};
    int last_kind[8] = {0};
    for (size_t i = 0; i < tr->nevents; i++) {
        const lv_event *e = &tr->events[i];
        ASSERT_GE(e->t, last_t);
        last_t = e->t;
        ASSERT_GE(e->t, thread_t[e->thread]);
        thread_t[e->thread] = e->t;
        int prev_kind = last_kind[e->thread];
        last_kind[e->thread] = e->kind;
        if (e->obj != m) continue;
        if (e->kind == LV_EV_ACQUIRE) {
            ASSERT_EQ(holder, LV_NONE);
            ASSERT_GT(e->t, released_t);
            ASSERT_EQ(prev_kind, LV_EV_REQUEST); /* right after the thread's own request */
            holder = e->thread;
            acquires++;
            handoffs += last_holder != LV_NONE && last_holder != e->thread;
            last_holder = e->thread;
        } else if (e->kind == LV_EV_RELEASE) {
            ASSERT_EQ(holder, e->thread);
            holder = LV_NONE;
            released_t = e->t;
        }
    }
    ASSERT_EQ(acquires, 3 * 200000);
    ASSERT_EQ(holder, LV_NONE);
    printf("  %zu hand-offs in %zu acquires\n", handoffs, acquires);
    lv_trace_free(tr);
}

/* The per-thread buffers keep compact records that the merge expands: a small value in the
 * record, a larger one in a second record, a free lock's request and acquire in one record.
 * Every value must come back exactly, across many chunk boundaries (the buffer grows from
 * small chunks to 2 MiB ones). */
static const int64_t values[] = {0,
                                 1,
                                 -1,
                                 32767,
                                 32768,
                                 -32768,
                                 -32769,
                                 65535,
                                 INT64_MAX,
                                 INT64_MIN,
                                 123456789012345LL,
                                 -2,
                                 1000,
                                 (int64_t)1 << 40,
                                 7};
#define NVALUES (sizeof values / sizeof values[0])
#define ROUNDS 40000 /* about 400k records per thread: several 2 MiB chunks */

static unsigned kept_at_end = 0; /* large chunks kept when a recorder ended its run */

static void recorder(void *arg) {
    (void)arg;
    lv_var *v = lv_var_new("v", 0);
    lv_mutex *m = lv_mutex_new("m");
    lv_rlock *r = lv_rlock_new("r");
    for (int i = 0; i < ROUNDS; i++) {
        lv_var_write(v, values[i % NVALUES]);
        lv_mutex_lock(m);
        lv_rlock_lock(r);
        lv_rlock_lock(r); /* re-entry: count 2 */
        lv_rlock_unlock(r);
        lv_rlock_unlock(r);
        lv_mutex_unlock(m);
        if (i % 1000 == 0) {
            ASSERT(lv_mutex_acquire(m, 5000000000LL)); /* a timeout: the request's value */
            ASSERT(!lv_mutex_trylock(m));              /* held: request 0, then timeout */
            lv_mutex_unlock(m);
            lv_note("note %d", i);
        }
    }
    kept_at_end = lv__pool_kept();
}

static void main_records(const lv_args *a) {
    (void)a;
    lv_join(lv_spawn("rec", recorder, NULL));
}

static const lv_event *next_of(const lv_trace *tr, size_t *i, int32_t thread) {
    while (*i < tr->nevents && tr->events[*i].thread != thread)
        (*i)++;
    ASSERT_LT(*i, tr->nevents);
    return &tr->events[(*i)++];
}

static void expect(const lv_event *e, lv_event_kind kind, int32_t obj, int has_value,
                   int64_t value) {
    if (e->kind != kind || e->obj != obj || !!(e->flags & LV_EVF_VALUE) != has_value ||
        (has_value && e->value != value) || (!has_value && e->value != 0))
        TEST_FAIL_AT("event %u: %s obj %d flags %d value %lld, expected %s obj %d value %lld",
                     e->seq, lv_event_kind_name(e->kind), e->obj, e->flags, (long long)e->value,
                     lv_event_kind_name(kind), obj, (long long)value);
}

static void check_records(lv_trace *tr) {
    ASSERT_EQ(tr->dropped, 0);
    int32_t rec = thread_id(tr, "rec"), v = obj_id(tr, "v"), m = obj_id(tr, "m"),
            r = obj_id(tr, "r");
    size_t i = 0;
    ASSERT_EQ(next_of(tr, &i, rec)->kind, LV_EV_START);
    for (int k = 0; k < ROUNDS; k++) {
        expect(next_of(tr, &i, rec), LV_EV_WRITE, v, 1, values[k % NVALUES]);
        const lv_event *req = next_of(tr, &i, rec), *acq = next_of(tr, &i, rec);
        expect(req, LV_EV_REQUEST, m, 0, 0);
        expect(acq, LV_EV_ACQUIRE, m, 0, 0);
        ASSERT_EQ(req->t, acq->t); /* the lock was free: one time for both */
        expect(next_of(tr, &i, rec), LV_EV_REQUEST, r, 0, 0);
        expect(next_of(tr, &i, rec), LV_EV_ACQUIRE, r, 1, 1);
        expect(next_of(tr, &i, rec), LV_EV_REQUEST, r, 0, 0);
        expect(next_of(tr, &i, rec), LV_EV_ACQUIRE, r, 1, 2);
        expect(next_of(tr, &i, rec), LV_EV_RELEASE, r, 1, 1);
        expect(next_of(tr, &i, rec), LV_EV_RELEASE, r, 1, 0);
        expect(next_of(tr, &i, rec), LV_EV_RELEASE, m, 0, 0);
        if (k % 1000 == 0) {
            expect(next_of(tr, &i, rec), LV_EV_REQUEST, m, 1, 5000000000LL);
            expect(next_of(tr, &i, rec), LV_EV_ACQUIRE, m, 0, 0);
            expect(next_of(tr, &i, rec), LV_EV_REQUEST, m, 1, 0);
            expect(next_of(tr, &i, rec), LV_EV_TIMEOUT, m, 0, 0);
            expect(next_of(tr, &i, rec), LV_EV_RELEASE, m, 0, 0);
            const lv_event *n = next_of(tr, &i, rec);
            ASSERT_EQ(n->kind, LV_EV_NOTE);
            ASSERT_EQ(n->flags, LV_EVF_TEXT);
            char want[32];
            snprintf(want, sizeof want, "note %d", k);
            ASSERT_STR_EQ(lv_trace_text(tr, n), want);
        }
    }
    ASSERT_EQ(next_of(tr, &i, rec)->kind, LV_EV_END);
}

TEST(compact_records_expand_exactly) {
    lv_trace *tr = run_fn("records", main_records);
    check_records(tr);
    lv_trace_free(tr);
}

/* A second run in the process writes into the large chunks the first one left (their pages
 * are already there) and reads back exactly what it recorded, none of the first run's. Under
 * ThreadSanitizer nothing is kept (the pool's lock would order unrelated threads for it), and
 * both runs still read back exactly. */
TEST(kept_chunks_serve_the_next_run) {
    lv_trace *tr = run_fn("records", main_records);
    check_records(tr);
    lv_trace_free(tr);
    unsigned kept = lv__pool_kept();
#ifdef LV_UNDER_TSAN
    ASSERT_EQ(kept, 0);
#else
    ASSERT_GE(kept, 2); /* 400k records: chunks of 2 MiB after the first 131k */
#endif
    kept_at_end = UINT_MAX;
    tr = run_fn("records", main_records);
#ifndef LV_UNDER_TSAN
    ASSERT_LT(kept_at_end, kept); /* the second run took kept chunks */
#endif
    check_records(tr);
    lv_trace_free(tr);
    ASSERT_GE(lv__pool_kept(), kept); /* and gave them back */
}

/* Tracing off (what the benchmarks compare with): the locks still exclude, an RLock still
 * counts, a try on a held lock fails, and a release of a free Lock is ignored. */
static lv_mutex *off_locks[2];
static lv_rlock *off_r;
static long off_counts[2];

static void off_worker(void *arg) {
    int id = (int)(intptr_t)arg;
    for (int i = 0; i < 50000; i++) {
        int k = (i + id) % 2;
        lv_mutex_lock(off_locks[k]);
        off_counts[k]++; /* plain on purpose: the lock makes it safe */
        lv_mutex_unlock(off_locks[k]);
        if (i % 64 == 0) {
            lv_rlock_lock(off_r);
            lv_rlock_lock(off_r);
            lv_rlock_unlock(off_r);
            lv_rlock_unlock(off_r);
        }
    }
}

static void main_off(const lv_args *a) {
    (void)a;
    off_locks[0] = lv_mutex_new("a");
    off_locks[1] = lv_mutex_new("b");
    off_r = lv_rlock_new("r");
    off_counts[0] = off_counts[1] = 0;
    lv_mutex_unlock(off_locks[0]); /* free: ignored */
    ASSERT(!lv_mutex_locked(off_locks[0]));
    lv_mutex_lock(off_locks[0]);
    ASSERT(!lv_mutex_trylock(off_locks[0]));
    lv_mutex_unlock(off_locks[0]);
    ASSERT(lv_mutex_trylock(off_locks[0]));
    lv_mutex_unlock(off_locks[0]);
    lv_thread *t[4];
    for (int i = 0; i < 4; i++)
        t[i] = lv_spawn("w", off_worker, (void *)(intptr_t)i);
    for (int i = 0; i < 4; i++)
        lv_join(t[i]);
}

TEST(tracing_off_still_locks) {
    lv_scenario sc = {
        .name = "off", .variants = support_variant_, .nvariants = 1, .main = main_off};
    lv_run_desc d = {.scenario = &sc, .mode = LV_MODE_LIVE, .seed = 1, .trace_off = 1};
    lv_trace *tr = NULL;
    ASSERT_EQ(lv_run(&d, &tr), LV_OK);
    ASSERT_EQ(tr->outcome, LV_OUT_COMPLETED);
    ASSERT_EQ(tr->nevents, 0);
    ASSERT_EQ(off_counts[0] + off_counts[1], 4 * 50000);
    ASSERT_EQ(off_counts[0], 2 * 50000);
    lv_trace_free(tr);
}

TEST_MAIN(TEST_ENTRY(stress_16x100k, 500),
          TEST_ENTRY(hot_lock_every_acquire_after_its_release, 300),
          TEST_ENTRY(compact_records_expand_exactly, 300),
          TEST_ENTRY(kept_chunks_serve_the_next_run, 300), TEST_ENTRY(tracing_off_still_locks, 120))
