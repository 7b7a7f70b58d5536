/* The lock-order benchmark behind bench/run's lock-order rows: `check`'s work (read a trace's
 * JSON, analyse it) with lock-order analysis on and off, side by side, on traces of programs
 * that nest many locks or move money between many accounts. Prints "key value" lines.
 * It does not judge (bench/run holds the targets), and builds its traces itself, event by
 * event, as a run of the program would record them. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bench_util.h"
#include "lockviz/lockviz.h"

/* ---- building traces ---- */

static void *xgrow(void *a, size_t n, size_t sz) { /* room for element n: doubling */
    if ((n & (n - 1)) && n >= 8) return a;
    a = realloc(a, (n < 8 ? 8 : n * 2) * sz);
    if (!a) {
        fputs("lv_bench_lockorder: out of memory\n", stderr);
        exit(3);
    }
    return a;
}

static char *xstrdup(const char *s) {
    char *d = strdup(s);
    if (!d) exit(3);
    return d;
}

static lv_trace *gen_new(const char *name) {
    lv_trace *tr = calloc(1, sizeof *tr);
    if (!tr) exit(3);
    tr->scenario = xstrdup(name);
    tr->variant = xstrdup("bench");
    tr->mode = LV_MODE_LIVE;
    tr->outcome = LV_OUT_COMPLETED;
    return tr;
}

static int32_t gen_thread(lv_trace *tr, const char *name) {
    tr->threads = xgrow(tr->threads, tr->nthreads, sizeof *tr->threads);
    int32_t id = (int32_t)tr->nthreads++;
    tr->threads[id] = (lv_trace_thread){id, xstrdup(name)};
    return id;
}

static int32_t gen_obj(lv_trace *tr, lv_obj_kind kind, const char *name, int64_t param) {
    tr->objects = xgrow(tr->objects, tr->nobjects, sizeof *tr->objects);
    int32_t id = (int32_t)tr->nobjects++;
    tr->objects[id] = (lv_trace_object){id, kind, xstrdup(name), param, 0};
    return id;
}

#define NOVAL INT64_MIN
static void gen_ev(lv_trace *tr, int32_t t, lv_event_kind kind, int32_t obj, int64_t value) {
    tr->events = xgrow(tr->events, tr->nevents, sizeof *tr->events);
    lv_event *e = &tr->events[tr->nevents];
    memset(e, 0, sizeof *e);
    e->seq = (uint32_t)tr->nevents++;
    e->t = (int64_t)e->seq * 1000;
    e->thread = t;
    e->obj = obj;
    e->kind = (uint8_t)kind;
    if (value != NOVAL) {
        e->flags = LV_EVF_VALUE;
        e->value = value;
    }
}

static void gen_lock(lv_trace *tr, int32_t t, int32_t o) {
    gen_ev(tr, t, LV_EV_REQUEST, o, NOVAL);
    gen_ev(tr, t, LV_EV_ACQUIRE, o, NOVAL);
}

static int32_t gen_locks(lv_trace *tr, const char *stem, int n) {
    int32_t first = (int32_t)tr->nobjects;
    for (int i = 0; i < n; i++) {
        char nm[32];
        snprintf(nm, sizeof nm, "%s%d", stem, i);
        gen_obj(tr, LV_OBJ_MUTEX, nm, 0);
    }
    return first;
}

/* One thread nesting n locks in one global order, rounds times. */
static lv_trace *gen_nested(int n, int rounds) {
    lv_trace *tr = gen_new("nested");
    int32_t t = gen_thread(tr, "main");
    int32_t l0 = gen_locks(tr, "L", n);
    gen_ev(tr, t, LV_EV_START, LV_NONE, NOVAL);
    for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < n; i++)
            gen_lock(tr, t, l0 + i);
        for (int i = n - 1; i >= 0; i--)
            gen_ev(tr, t, LV_EV_RELEASE, l0 + i, NOVAL);
    }
    gen_ev(tr, t, LV_EV_END, LV_NONE, NOVAL);
    return tr;
}

static uint64_t rng_next(uint64_t *s) { /* splitmix64 */
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* The bank: main spawns the tellers; each transfer takes two account locks (in account-id
 * order when ordered, else from-account first), reads and writes both balances, and lets go.
 * The tellers take turns transfer by transfer, at random: a run that did not deadlock. */
static lv_trace *gen_bank(int accounts, int transfers, int tellers, int ordered) {
    lv_trace *tr = gen_new(ordered ? "bank-ordered" : "bank-unordered");
    int32_t main_t = gen_thread(tr, "main");
    int32_t *tt = malloc((size_t)tellers * sizeof *tt);
    int64_t *bal = malloc((size_t)accounts * sizeof *bal);
    if (!tt || !bal) exit(3);
    for (int i = 0; i < tellers; i++) {
        char nm[32];
        snprintf(nm, sizeof nm, "teller-%d", i + 1);
        tt[i] = gen_thread(tr, nm);
    }
    int32_t lock0 = gen_locks(tr, "account-lock-", accounts);
    int32_t var0 = (int32_t)tr->nobjects;
    for (int i = 0; i < accounts; i++) {
        char nm[32];
        snprintf(nm, sizeof nm, "balance-%d", i);
        gen_obj(tr, LV_OBJ_VAR, nm, 1000);
        bal[i] = 1000;
    }
    gen_ev(tr, main_t, LV_EV_START, LV_NONE, NOVAL);
    for (int i = 0; i < tellers; i++) {
        gen_ev(tr, main_t, LV_EV_SPAWN, LV_NONE, tt[i]);
        gen_ev(tr, tt[i], LV_EV_START, LV_NONE, NOVAL);
    }
    uint64_t s = 42;
    for (int k = 0; k < transfers; k++) {
        int32_t t = tt[rng_next(&s) % (uint64_t)tellers];
        int from = (int)(rng_next(&s) % (uint64_t)accounts);
        int to = (int)(rng_next(&s) % (uint64_t)(accounts - 1));
        if (to >= from) to++;
        int64_t amount = (int64_t)(rng_next(&s) % 100);
        int first = ordered && to < from ? to : from, second = first == from ? to : from;
        gen_lock(tr, t, lock0 + first);
        gen_lock(tr, t, lock0 + second);
        gen_ev(tr, t, LV_EV_READ, var0 + from, bal[from]);
        bal[from] -= amount;
        gen_ev(tr, t, LV_EV_WRITE, var0 + from, bal[from]);
        gen_ev(tr, t, LV_EV_READ, var0 + to, bal[to]);
        bal[to] += amount;
        gen_ev(tr, t, LV_EV_WRITE, var0 + to, bal[to]);
        gen_ev(tr, t, LV_EV_RELEASE, lock0 + second, NOVAL);
        gen_ev(tr, t, LV_EV_RELEASE, lock0 + first, NOVAL);
    }
    for (int i = 0; i < tellers; i++) {
        gen_ev(tr, tt[i], LV_EV_END, LV_NONE, NOVAL);
        gen_ev(tr, main_t, LV_EV_JOIN, LV_NONE, tt[i]);
    }
    gen_ev(tr, main_t, LV_EV_END, LV_NONE, NOVAL);
    free(tt);
    free(bal);
    return tr;
}

/* Every pair of n locks in both orders, by two threads taking turns. */
static lv_trace *gen_all_pairs(int n) {
    lv_trace *tr = gen_new("all-pairs");
    int32_t t[2] = {gen_thread(tr, "t1"), gen_thread(tr, "t2")};
    int32_t l0 = gen_locks(tr, "L", n);
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            if (i == j) continue;
            int32_t w = t[i > j];
            gen_lock(tr, w, l0 + i);
            gen_lock(tr, w, l0 + j);
            gen_ev(tr, w, LV_EV_RELEASE, l0 + j, NOVAL);
            gen_ev(tr, w, LV_EV_RELEASE, l0 + i, NOVAL);
        }
    return tr;
}

static void save(lv_trace *tr, const char *dir, const char *name) {
    char path[1024], err[512];
    snprintf(path, sizeof path, "%s/%s.json", dir, name);
    if (lv_trace_save(tr, path, err, sizeof err) != LV_OK) {
        fprintf(stderr, "lv_bench_lockorder: %s\n", err);
        exit(3);
    }
    lv_trace_free(tr);
}

/* ---- measuring ---- */

/* check's work on path: read, analyse, free. Seconds; *nlo gets the lock_order findings. */
static double check_once(const char *path, int lock_order, size_t *nlo) {
    char err[512];
    double t0 = now_s();
    lv_trace *tr = NULL;
    if (lv_trace_load(path, &tr, err, sizeof err) != LV_OK) {
        fprintf(stderr, "lv_bench_lockorder: %s\n", err);
        exit(2);
    }
    lv_finding *f = NULL;
    size_t n = 0;
    lv_analyze_opts o = {.no_lock_order = !lock_order};
    if (lv_analyze_ex(tr, &o, &f, &n) != LV_OK) exit(3);
    *nlo = 0;
    for (size_t i = 0; i < n; i++)
        *nlo += f[i].kind == LV_FIND_LOCK_ORDER;
    lv_findings_free(f, n);
    lv_trace_free(tr);
    return now_s() - t0;
}

static void measure(const char *dir, const char *name) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s.json", dir, name);
    double on[ROUNDS], off[ROUNDS];
    size_t nlo = 0, none = 0;
    for (int r = 0; r < ROUNDS; r++) { /* alternate, the first side alternating too */
        if (r % 2) {
            off[r] = check_once(path, 0, &none);
            on[r] = check_once(path, 1, &nlo);
        } else {
            on[r] = check_once(path, 1, &nlo);
            off[r] = check_once(path, 0, &none);
        }
    }
    FILE *f = fopen(path, "rb");
    long size = 0;
    if (f) {
        fseek(f, 0, SEEK_END);
        size = ftell(f);
        fclose(f);
    }
    /* the analysis alone, on the trace read once: what lock order adds to it */
    char err[512];
    lv_trace *tr = NULL;
    if (lv_trace_load(path, &tr, err, sizeof err) != LV_OK) exit(2);
    double aon[ROUNDS], aoff[ROUNDS];
    for (int r = 0; r < ROUNDS; r++)
        for (int side = 0; side < 2; side++) {
            int lo = (side + r) % 2;
            lv_finding *fs = NULL;
            size_t n = 0;
            double t0 = now_s();
            if (lv_analyze_ex(tr, &(lv_analyze_opts){.no_lock_order = !lo}, &fs, &n) != LV_OK)
                exit(3);
            lv_findings_free(fs, n);
            *(lo ? &aon[r] : &aoff[r]) = now_s() - t0;
        }
    printf("lockorder_%s_events %zu\n", name, tr->nevents);
    lv_trace_free(tr);
    printf("lockorder_%s_analysis_on_ms %.3f\n", name, median(aon, ROUNDS) * 1e3);
    printf("lockorder_%s_analysis_off_ms %.3f\n", name, median(aoff, ROUNDS) * 1e3);
    printf("lockorder_%s_on_ms %.3f\n", name, median(on, ROUNDS) * 1e3);
    printf("lockorder_%s_off_ms %.3f\n", name, median(off, ROUNDS) * 1e3);
    printf("lockorder_%s_findings %zu\n", name, nlo);
    printf("lockorder_%s_bytes %ld\n", name, size);
}

/* The row's three traces: nested (100 locks, one order, 100 times), bank-ordered and
 * bank-unordered (64 accounts, 10,000 transfers, 4 tellers). */
static void write_row_traces(const char *dir) {
    save(gen_nested(100, 100), dir, "nested");
    save(gen_bank(64, 10000, 4, 1), dir, "bank-ordered");
    save(gen_bank(64, 10000, 4, 0), dir, "bank-unordered");
}

/* The traces the exponential search could not finish, for `lockviz check` before and after. */
static void write_issue_traces(const char *dir) {
    save(gen_nested(24, 1), dir, "nested-24");
    save(gen_nested(28, 1), dir, "nested-28");
    save(gen_nested(30, 1), dir, "nested-30");
    save(gen_nested(100, 1), dir, "nested-100");
    save(gen_bank(14, 400, 2, 1), dir, "bank-14x400-ordered");
    save(gen_bank(14, 400, 2, 0), dir, "bank-14x400-unordered");
    save(gen_all_pairs(13), dir, "all-pairs-13");
}

int main(int argc, char **argv) {
    if (argc == 3 && strcmp(argv[1], "row") == 0) {
        write_row_traces(argv[2]);
        measure(argv[2], "nested");
        measure(argv[2], "bank-ordered");
        measure(argv[2], "bank-unordered");
        return 0;
    }
    if (argc == 3 && strcmp(argv[1], "write") == 0) {
        write_row_traces(argv[2]);
        write_issue_traces(argv[2]);
        return 0;
    }
    fputs("usage: lv_bench_lockorder row DIR    the three traces of the row, measured\n"
          "       lv_bench_lockorder write DIR  write them and the issue's cases as traces\n",
          stderr);
    return 2;
}
