/* Micro-benchmarks behind bench/run. Every measurement that is compared is taken side by side
 * in one process: A and B alternate for several rounds and each reports its median, so a noisy
 * shared machine slows both alike. Prints "key value" lines for bench/run to tabulate.
 * It does not judge: bench/run holds the targets. */
#include <pthread.h>
#include <sys/resource.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#if defined(__x86_64__)
#include <x86intrin.h>
#endif
#include "bench_util.h"
#include "lockviz/lockviz.h"
#include "registry.h"

static const lv_variant_desc one_variant[] = {{"only", "bench", "", "", 0, ""}};

static lv_trace *run_main(void (*fn)(const lv_args *), lv_mode mode, int trace_off,
                          lv_policy policy) {
    lv_scenario sc = {.name = "bench", .variants = one_variant, .nvariants = 1, .main = fn};
    lv_run_desc d = {
        .scenario = &sc, .mode = mode, .seed = 1, .trace_off = trace_off, .policy = policy};
    lv_trace *tr = NULL;
    if (lv_run(&d, &tr) != LV_OK) {
        fprintf(stderr, "bench: run failed\n");
        exit(3);
    }
    return tr;
}

/* ---- uncontended lock + unlock ---- */

static long g_n;
static double g_secs;

static double raw_pairs(long n) {
    pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
    double t0 = now_s();
    for (long i = 0; i < n; i++) {
        pthread_mutex_lock(&m);
        pthread_mutex_unlock(&m);
    }
    return (now_s() - t0) / (double)n * 1e9;
}

static void lv_pairs_main(const lv_args *a) {
    (void)a;
    lv_mutex *m = lv_mutex_new("m");
    double t0 = now_s();
    for (long i = 0; i < g_n; i++) {
        lv_mutex_lock(m);
        lv_mutex_unlock(m);
    }
    g_secs = now_s() - t0;
}

static double lv_pairs(long n, int trace_off) {
    g_n = n;
    lv_trace_free(run_main(lv_pairs_main, LV_MODE_LIVE, trace_off, LV_POLICY_RANDOM));
    return g_secs / (double)n * 1e9;
}

static void cmd_lock_pair(long n) {
    double raw[ROUNDS], traced[ROUNDS], off[ROUNDS];
    for (int r = 0; r < ROUNDS; r++) {
        raw[r] = raw_pairs(n);
        traced[r] = lv_pairs(n, 0);
        off[r] = lv_pairs(n, 1);
    }
    /* the first traced run of the process writes into fresh pages; the later ones reuse the
     * large chunks the earlier ones left (see tracer.c) */
    printf("lock_pair_traced_first_ns %.2f\n", traced[0]);
    printf("lock_pair_raw_ns %.2f\n", median(raw, ROUNDS));
    printf("lock_pair_traced_ns %.2f\n", median(traced, ROUNDS));
    printf("lock_pair_off_ns %.2f\n", median(off, ROUNDS));
}

/* ---- contended: T threads on L locks ---- */

/* A contended round runs for a fixed window with every thread in it: the workers wait at a
 * start line, run until the main thread says stop, and the pairs done in the window count.
 * (Rounds of a fixed number of pairs each let one thread run its share before another had
 * begun, or after it had ended: a round of no contention, which read as 2x the contended
 * speed on the raw side in about a third of the rounds.) Each side uses the same start, stop
 * and count, and the stop flag is read once an iteration by both. */
#define WINDOW_S 0.03
static _Atomic int g_ready, g_go, g_stop;

static inline void pause_once(void) {
#if defined(__x86_64__)
    _mm_pause();
#endif
}
static void start_line(void) {
    atomic_fetch_add(&g_ready, 1);
    while (!atomic_load_explicit(&g_go, memory_order_acquire))
        pause_once();
}
static inline int stopped(void) {
    return atomic_load_explicit(&g_stop, memory_order_relaxed);
}
/* Called by the thread that started the workers: opens the window once all are at the start
 * line, closes it after WINDOW_S; returns the window's length in seconds. */
static double run_window(int threads) {
    while (atomic_load(&g_ready) < threads)
        pause_once();
    double t0 = now_s();
    atomic_store_explicit(&g_go, 1, memory_order_release);
    struct timespec ts = {0, (long)(WINDOW_S * 1e9)};
    nanosleep(&ts, NULL);
    atomic_store(&g_stop, 1);
    return now_s() - t0;
}
static void reset_window(void) {
    atomic_store(&g_ready, 0);
    atomic_store(&g_go, 0);
    atomic_store(&g_stop, 0);
}

/* each raw mutex on its own cache line, as lockviz's locks are (runtime.c) */
typedef struct line_mutex {
    pthread_mutex_t m;
} __attribute__((aligned(64))) line_mutex;

typedef struct cwork {
    line_mutex *locks;
    int nlocks, id;
    long done; /* pairs done in the window */
} cwork;

static void *raw_worker(void *p) {
    cwork *w = p;
    start_line();
    long i = 0;
    for (; !stopped(); i++) {
        pthread_mutex_t *m = &w->locks[(i + w->id) % w->nlocks].m;
        pthread_mutex_lock(m);
        pthread_mutex_unlock(m);
    }
    w->done = i;
    return NULL;
}

/* Pairs per second: threads running worker (raw_worker or floor_worker) over locks mutexes. */
static double pthread_contended(int threads, int locks, void *(*worker)(void *)) {
    line_mutex ms[4];
    for (int i = 0; i < locks; i++)
        pthread_mutex_init(&ms[i].m, NULL);
    pthread_t t[4];
    cwork w[4];
    reset_window();
    for (int i = 0; i < threads; i++) {
        w[i] = (cwork){ms, locks, i, 0};
        if (pthread_create(&t[i], NULL, worker, &w[i]) != 0) {
            fprintf(stderr, "bench: could not start a thread\n");
            exit(3);
        }
    }
    double secs = run_window(threads);
    long n = 0;
    for (int i = 0; i < threads; i++) {
        pthread_join(t[i], NULL);
        n += w[i].done;
    }
    return (double)n / secs;
}

/* What two clock reads a pair cost the raw loop: the raw loop plus the reads a recorder that
 * gives each acquire and each release its own time needs, both outside the lock (where they
 * cost least), kept in a small ring so that no memory is touched for them. A reference, not a
 * bound: the traced side runs lockviz's own lock, whose waiters behave differently. */
static inline int64_t clock_read(void) {
#if defined(__x86_64__)
    return (int64_t)__rdtsc();
#else
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
#endif
}

static void *floor_worker(void *p) {
    cwork *w = p;
    int64_t ring[256][2];
    start_line();
    long i = 0;
    for (; !stopped(); i++) {
        pthread_mutex_t *m = &w->locks[(i + w->id) % w->nlocks].m;
        int64_t a = clock_read();
        pthread_mutex_lock(m);
        pthread_mutex_unlock(m);
        ring[i & 255][0] = a;
        ring[i & 255][1] = clock_read();
    }
    w->done = i;
    int64_t sum = 0;
    for (int k = 0; k < 256; k++)
        sum += ring[k][0] ^ ring[k][1];
    return (void *)(intptr_t)(sum & 1);
}

static int g_threads, g_locks;
static lv_mutex *g_lvlocks[4];
static long g_done[4];

static void lv_worker(void *p) {
    int id = (int)(intptr_t)p;
    start_line();
    long i = 0;
    for (; !stopped(); i++) {
        lv_mutex *m = g_lvlocks[(i + id) % g_locks];
        lv_mutex_lock(m);
        lv_mutex_unlock(m);
    }
    g_done[id] = i;
}

static void lv_contended_main(const lv_args *a) {
    (void)a;
    for (int i = 0; i < g_locks; i++)
        g_lvlocks[i] = lv_mutex_new("m");
    lv_thread *t[4];
    reset_window();
    for (int i = 0; i < g_threads; i++)
        t[i] = lv_spawn("w", lv_worker, (void *)(intptr_t)i);
    g_secs = run_window(g_threads);
    g_n = 0;
    for (int i = 0; i < g_threads; i++) {
        lv_join(t[i]);
        g_n += g_done[i];
    }
}

/* Acquires per hand-off in a trace: how long a thread keeps a lock once it has it. */
static double acquires_per_handoff(const lv_trace *tr) {
    int32_t last[64];
    for (int i = 0; i < 64; i++)
        last[i] = LV_NONE;
    size_t acquires = 0, handoffs = 0;
    for (size_t i = 0; i < tr->nevents; i++) {
        const lv_event *e = &tr->events[i];
        if (e->kind != LV_EV_ACQUIRE || e->obj < 0 || e->obj >= 64) continue;
        acquires++;
        if (last[e->obj] != LV_NONE && last[e->obj] != e->thread) handoffs++;
        last[e->obj] = e->thread;
    }
    return handoffs ? (double)acquires / (double)handoffs : (double)acquires;
}

/* One round of lockviz's lock, traced or with tracing off: pairs per second; *streak gets the
 * acquires per hand-off (traced only). The off side tells the lock's own behaviour under
 * contention from what recording costs. */
static double lv_contended(int trace_off, double *streak) {
    lv_trace *tr = run_main(lv_contended_main, LV_MODE_LIVE, trace_off, LV_POLICY_RANDOM);
    if (streak) *streak = acquires_per_handoff(tr);
    lv_trace_free(tr);
    return (double)g_n / g_secs;
}

static void cmd_contended(int threads, int locks) {
    double raw[ROUNDS], traced[ROUNDS], off[ROUNDS], fl[ROUNDS], streak[ROUNDS];
    g_threads = threads;
    g_locks = locks;
    for (int r = 0; r < ROUNDS; r++) {
        raw[r] = pthread_contended(threads, locks, raw_worker);
        traced[r] = lv_contended(0, &streak[r]);
        off[r] = lv_contended(1, NULL);
        fl[r] = pthread_contended(threads, locks, floor_worker);
        if (getenv("BENCH_DEBUG"))
            fprintf(stderr,
                    "round %d: raw %.1fM traced %.1fM off %.1fM floor %.1fM acquires/hand-off "
                    "%.1f\n",
                    r, raw[r] / 1e6, traced[r] / 1e6, off[r] / 1e6, fl[r] / 1e6, streak[r]);
    }
    printf("contended_%dt_%dl_off_ops %.0f\n", threads, locks, median(off, ROUNDS));
    printf("contended_%dt_%dl_traced_acquires_per_handoff %.1f\n", threads, locks,
           median(streak, ROUNDS));
    printf("contended_%dt_%dl_raw_ops %.0f\n", threads, locks, median(raw, ROUNDS));
    printf("contended_%dt_%dl_traced_ops %.0f\n", threads, locks, median(traced, ROUNDS));
    printf("contended_%dt_%dl_floor_ops %.0f\n", threads, locks, median(fl, ROUNDS));
}

/* One side alone, for profiling (perf stat / perf record see only that side). */
static void cmd_contended_side(int traced, int threads, int locks) {
    double v[ROUNDS];
    g_threads = threads;
    g_locks = locks;
    for (int r = 0; r < ROUNDS; r++)
        v[r] = traced == 1 ? lv_contended(0, NULL)
                           : pthread_contended(threads, locks, traced ? floor_worker : raw_worker);
    printf("contended_%dt_%dl_%s_ops %.0f\n", threads, locks,
           traced == 2 ? "floor"
           : traced    ? "traced"
                       : "raw",
           median(v, ROUNDS));
}

/* ---- controlled handoff vs a raw semaphore ping-pong ---- */

typedef struct pp {
    sem_t a, b;
    long n;
} pp;

static void *pong(void *p) {
    pp *x = p;
    for (long i = 0; i < x->n; i++) {
        sem_wait(&x->a);
        sem_post(&x->b);
    }
    return NULL;
}

static double raw_pingpong(long n) {
    pp x;
    sem_init(&x.a, 0, 0);
    sem_init(&x.b, 0, 0);
    x.n = n;
    pthread_t t;
    pthread_create(&t, NULL, pong, &x);
    double t0 = now_s();
    for (long i = 0; i < n; i++) {
        sem_post(&x.a);
        sem_wait(&x.b);
    }
    double secs = now_s() - t0;
    pthread_join(t, NULL);
    sem_destroy(&x.a);
    sem_destroy(&x.b);
    return secs / (double)(2 * n) * 1e9; /* two handoffs per round trip */
}

static lv_var *g_v;

static void stepper(void *p) {
    (void)p;
    for (long i = 0; i < g_n; i++)
        lv_var_write(g_v, i); /* each write is a scheduling point */
}

static void handoff_main(const lv_args *a) {
    (void)a;
    g_v = lv_var_new("v", 0);
    double t0 = now_s();
    lv_thread *t1 = lv_spawn("a", stepper, NULL), *t2 = lv_spawn("b", stepper, NULL);
    lv_join(t1);
    lv_join(t2);
    g_secs = now_s() - t0;
}

static void cmd_handoff(long n) {
    double raw[ROUNDS], ctl[ROUNDS];
    for (int r = 0; r < ROUNDS; r++) {
        raw[r] = raw_pingpong(n);
        g_n = n;
        /* round robin: at every point the other thread runs, so every point is a handoff */
        lv_trace *tr = run_main(handoff_main, LV_MODE_CONTROLLED, 0, LV_POLICY_RR);
        ctl[r] = g_secs / (double)(2 * n) * 1e9;
        lv_trace_free(tr);
    }
    printf("handoff_raw_ns %.1f\n", median(raw, ROUNDS));
    printf("handoff_controlled_ns %.1f\n", median(ctl, ROUNDS));
}

/* ---- explore ---- */

static void cmd_explore(void) {
    const lv_scenario *sc = lv_scenario_find("ticket");
    int64_t params[] = {2, 1};
    lv_explore_desc x = {.scenario = sc,
                         .variant = lv_scenario_variant_index(sc, "locked"),
                         .params = params,
                         .strategy = LV_STRATEGY_DFS,
                         .runs = 100000,
                         .preemptions = 2,
                         .seed = 1};
    lv_explore_result r;
    double t0 = now_s();
    if (lv_explore(&x, &r) != LV_OK) exit(3);
    double secs = now_s() - t0;
    printf("explore_dfs_runs %zu\n", r.runs);
    printf("explore_dfs_runs_per_s %.0f\n", (double)r.runs / secs);
    x.variant = lv_scenario_variant_index(sc, "unlocked");
    x.runs = 100;
    t0 = now_s();
    if (lv_explore(&x, &r) != LV_OK) exit(3);
    printf("explore_ticket_race_found_at_run %zu\n", r.failing ? r.failing_run + 1 : 0);
    lv_trace_free(r.failing);
    sc = lv_scenario_find("deadlock");
    int64_t p2[] = {2};
    x.scenario = sc;
    x.variant = 0;
    x.params = p2;
    if (lv_explore(&x, &r) != LV_OK) exit(3);
    printf("explore_deadlock_found_at_run %zu\n", r.failing ? r.failing_run + 1 : 0);
    lv_trace_free(r.failing);
}

/* ---- formats: a 1M-event trace exported and imported ---- */

static void million_main(const lv_args *a) {
    (void)a;
    lv_mutex *m = lv_mutex_new("m");
    lv_var *v = lv_var_new("v", 0);
    for (long i = 0; i < 250000; i++) { /* 4 events per round: about 1M */
        lv_mutex_lock(m);
        lv_var_write(v, i);
        lv_mutex_unlock(m);
    }
}

/* The plain writer: the same bytes, written line by line with fprintf. */
static double plain_write(const char *bytes, size_t len, const char *path) {
    FILE *f = fopen(path, "w");
    double t0 = now_s();
    const char *p = bytes, *end = bytes + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) + 1 : (size_t)(end - p);
        fprintf(f, "%.*s", (int)n, p);
        p += n;
    }
    fclose(f);
    return now_s() - t0;
}

static char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    *len = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc(*len + 1);
    if (b && fread(b, 1, *len, f) != *len) {
        free(b);
        b = NULL;
    }
    fclose(f);
    return b;
}

static long maxrss_kb(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

static void cmd_formats(const char *dir) {
    lv_trace *tr = run_main(million_main, LV_MODE_LIVE, 0, LV_POLICY_RANDOM);
    char chrome[512], native[512], plain[512];
    snprintf(chrome, sizeof chrome, "%s/million-chrome.json", dir);
    snprintf(native, sizeof native, "%s/million.json", dir);
    snprintf(plain, sizeof plain, "%s/plain.json", dir);
    double ex[ROUNDS], pl[ROUNDS], nw[ROUNDS], npl[ROUNDS];
    size_t clen = 0, nlen = 0;
    char *cbytes = NULL, *nbytes = NULL;
    /* the writers stream: whatever they allocate on top of the trace shows as a higher peak */
    long before = maxrss_kb(), after_exports = 0;
    for (int r = 0; r < ROUNDS; r++) {
        FILE *f = fopen(chrome, "w");
        double t0 = now_s();
        lv_trace_write_chrome(tr, f);
        fclose(f);
        ex[r] = now_s() - t0;
        if (r == 0) after_exports = maxrss_kb();
        if (!cbytes) cbytes = slurp(chrome, &clen);
        pl[r] = plain_write(cbytes, clen, plain);
        f = fopen(native, "w");
        t0 = now_s();
        lv_trace_write_json(tr, f);
        fclose(f);
        nw[r] = now_s() - t0;
        if (!nbytes) nbytes = slurp(native, &nlen);
        npl[r] = plain_write(nbytes, nlen, plain);
    }
    printf("events %zu\n", tr->nevents);
    printf("event_array_bytes %zu\n", tr->nevents * sizeof(lv_event));
    printf("chrome_bytes %zu\n", clen);
    printf("chrome_export_extra_peak_bytes %ld\n", (after_exports - before) * 1024);
    printf("chrome_export_mb_s %.1f\n", (double)clen / 1e6 / median(ex, ROUNDS));
    printf("chrome_plain_mb_s %.1f\n", (double)clen / 1e6 / median(pl, ROUNDS));
    printf("native_bytes %zu\n", nlen);
    printf("native_export_mb_s %.1f\n", (double)nlen / 1e6 / median(nw, ROUNDS));
    printf("native_plain_mb_s %.1f\n", (double)nlen / 1e6 / median(npl, ROUNDS));
    free(cbytes);
    free(nbytes);
    lv_trace_free(tr);
    unlink(plain);
}

/* Reads a trace and reports how long it took; bench/run measures its peak memory from outside. */

static void cmd_load(const char *path) {
    char err[512];
    lv_trace *tr = NULL;
    long before = maxrss_kb();
    double t0 = now_s();
    if (lv_trace_load(path, &tr, err, sizeof err) != LV_OK) {
        fprintf(stderr, "%s\n", err);
        exit(2);
    }
    double secs = now_s() - t0;
    FILE *f = fopen(path, "rb");
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fclose(f);
    printf("import_mb_s %.1f\n", (double)size / 1e6 / secs);
    printf("import_events %zu\n", tr->nevents);
    /* what reading took at its peak, in a process that did nothing before */
    printf("import_peak_bytes %ld\n", (maxrss_kb() - before) * 1024);
    printf("import_event_array_bytes %zu\n", tr->nevents * sizeof(lv_event));
    lv_trace_free(tr);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fputs("usage: lv_bench lock-pair N | raw-pair N | contended T L | contended-raw T L |\n"
              "       contended-traced T L | contended-floor T L | handoff N | explore\n",
              stderr);
        return 2;
    }
    const char *c = argv[1];
    long n = argc > 2 ? atol(argv[argc - 1]) : 0;
    if (strcmp(c, "lock-pair") == 0 && n > 0) {
        cmd_lock_pair(n);
    } else if (strcmp(c, "raw-pair") == 0 && n > 0) {
        double v[ROUNDS];
        for (int r = 0; r < ROUNDS; r++)
            v[r] = raw_pairs(n);
        printf("raw_pair_ns %.2f\n", median(v, ROUNDS));
    } else if (strcmp(c, "contended") == 0 && argc == 4) {
        int t = atoi(argv[2]), l = atoi(argv[3]);
        if (t < 1 || t > 4 || l < 1 || l > 4) return 2;
        cmd_contended(t, l);
    } else if ((strcmp(c, "contended-raw") == 0 || strcmp(c, "contended-traced") == 0 ||
                strcmp(c, "contended-floor") == 0) &&
               argc == 4) {
        int t = atoi(argv[2]), l = atoi(argv[3]);
        if (t < 1 || t > 4 || l < 1 || l > 4) return 2;
        cmd_contended_side(c[10] == 't' ? 1 : c[10] == 'f' ? 2 : 0, t, l);
    } else if (strcmp(c, "handoff") == 0 && n > 0) {
        cmd_handoff(n);
    } else if (strcmp(c, "explore") == 0) {
        cmd_explore();
    } else if (strcmp(c, "formats") == 0 && argc == 3) {
        cmd_formats(argv[2]);
    } else if (strcmp(c, "load") == 0 && argc == 3) {
        cmd_load(argv[2]);
    } else if (strcmp(c, "noop") == 0) {
        return 0;
    } else {
        fputs("lv_bench: bad arguments\n", stderr);
        return 2;
    }
    return 0;
}
