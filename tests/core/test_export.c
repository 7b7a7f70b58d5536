/* Export: the Chrome Trace Event Format of every scenario checked structurally, and atomic
 * writes (a writer that fails halfway leaves the old file as it was, and no temporary file). */
#include <cjson/cJSON.h>
#include <dirent.h>
#include <math.h>
#include <signal.h>
#include <sys/resource.h>
#include "registry.h"
#include "support.h"

static double num(const cJSON *o, const char *k) {
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, k);
    if (!cJSON_IsNumber(x)) TEST_FAIL_AT("event without a numeric \"%s\"", k);
    return x->valuedouble;
}

static const char *str(const cJSON *o, const char *k) {
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(x) ? x->valuestring : NULL;
}

/* "A SEP B", whole whatever the lengths (the caller frees it) */
static char *join3(const char *a, const char *sep, const char *b) {
    size_t n = strlen(a) + strlen(sep) + strlen(b) + 1;
    char *s = malloc(n);
    ASSERT(s);
    snprintf(s, n, "%s%s%s", a, sep, b);
    return s;
}

#define MAXT 4096 /* tids: threads and their hold tracks */
#define MAXD 32   /* slices open on one track */
#define MAXID 100000

typedef struct open_slice {
    const char *name;
    double ts;
} open_slice;

/* What a Chrome export of tr must show, read back as JSON the way Perfetto and speedscope read
 * it: each E closes the B on top of its track and names it; tracks in lockviz's order under
 * Perfetto's rule (the main thread, tid == pid, first, then by tid); arrows that start and end
 * on holds; counters whose Perfetto name ("NAME KEY") names the object once; each sleep, wait
 * and hold where the trace has it. */
/* tr's Chrome export parsed back (NULL when it is not valid JSON); *text gets the bytes. */
static cJSON *chrome_json(const lv_trace *tr, char **text) {
    size_t len = 0;
    *text = NULL;
    FILE *f = open_memstream(text, &len);
    ASSERT(f);
    ASSERT_EQ(lv_trace_write_chrome(tr, f), LV_OK);
    fclose(f);
    return cJSON_ParseWithLength(*text, len);
}

static void check_chrome(const lv_trace *tr, const char *what) {
    char *buf;
    cJSON *root = chrome_json(tr, &buf);
    if (!root) TEST_FAIL_AT("%s: the Chrome export is not valid JSON", what);
    const cJSON *evs = cJSON_GetObjectItemCaseSensitive(root, "traceEvents");
    ASSERT(cJSON_IsArray(evs));
    static double last_ts[MAXT];
    static int used[MAXT], depth[MAXT], has_instant[MAXT];
    static const char *tname[MAXT];
    static open_slice stack[MAXT][MAXD];
    static signed char flow[MAXID];
    memset(used, 0, sizeof used);
    memset(depth, 0, sizeof depth);
    memset(has_instant, 0, sizeof has_instant);
    memset(tname, 0, sizeof tname);
    memset(flow, 0, sizeof flow);
    for (int t = 0; t < MAXT; t++)
        last_ts[t] = -1;
    int flows = 0;
    double ts_last_event = tr->nevents ? (double)tr->events[tr->nevents - 1].t / 1000 : 0;
    /* what the trace says must be there, ticked off as the export shows it */
    size_t nev = tr->nevents;
    char *want_sleep = calloc(nev + 1, 1), *want_hold = calloc(nev + 1, 1);
    char *want_never = calloc(nev + 1, 1);
    char *want_counter = calloc(tr->nobjects + 1, 1);
    char *want_flow = calloc(nev + 1, 1);
    ASSERT(want_sleep && want_hold && want_never && want_counter && want_flow);
    int nwant_flows = 0;
    {
        /* the arrows the trace holds, by the window's rule: from a release that frees a lock
         * to its next hold by another thread; from a semaphore's release to its next acquire
         * by a thread that asked for it before the release */
        uint32_t *last_rel = malloc((tr->nobjects + 1) * sizeof *last_rel);
        int32_t *rel_thread = malloc((tr->nobjects + 1) * sizeof *rel_thread);
        uint32_t *asked = malloc((tr->nthreads + 1) * sizeof *asked);
        ASSERT(last_rel && rel_thread && asked);
        for (size_t o = 0; o < tr->nobjects; o++)
            last_rel[o] = UINT32_MAX;
        for (size_t t = 0; t < tr->nthreads; t++)
            asked[t] = UINT32_MAX;
        for (size_t i = 0; i < nev; i++) {
            const lv_event *e = &tr->events[i];
            if (e->kind == LV_EV_REQUEST) asked[e->thread] = e->seq;
            if (e->obj < 0) continue;
            lv_obj_kind k = tr->objects[e->obj].kind;
            int lock = k == LV_OBJ_MUTEX || k == LV_OBJ_RLOCK;
            int sem = k == LV_OBJ_SEMAPHORE || k == LV_OBJ_BOUNDED_SEMAPHORE;
            /* an RLock's hold starts at its count's 1 and ends at its 0 */
            int rlock_value = k == LV_OBJ_RLOCK && (e->flags & LV_EVF_VALUE);
            int frees = k != LV_OBJ_RLOCK || (rlock_value && e->value == 0);
            int starts = !rlock_value || e->value == 1;
            if (e->kind == LV_EV_RELEASE && (lock || sem) && frees) {
                last_rel[e->obj] = e->seq;
                rel_thread[e->obj] = e->thread;
            } else if (e->kind == LV_EV_ACQUIRE && (lock || sem) && starts) {
                uint32_t r = last_rel[e->obj];
                if (r != UINT32_MAX && rel_thread[e->obj] != e->thread &&
                    (lock || (asked[e->thread] != UINT32_MAX && asked[e->thread] < r))) {
                    want_flow[r] = 1;
                    nwant_flows++;
                }
                last_rel[e->obj] = UINT32_MAX;
            }
            if (e->kind == LV_EV_ACQUIRE) asked[e->thread] = UINT32_MAX;
        }
        free(last_rel);
        free(rel_thread);
        free(asked);
    }
    {
        uint32_t *open_req = malloc((tr->nthreads + 1) * sizeof *open_req);
        for (size_t t = 0; t < tr->nthreads; t++)
            open_req[t] = UINT32_MAX;
        for (size_t i = 0; i < nev; i++) {
            const lv_event *e = &tr->events[i];
            lv_obj_kind k = e->obj >= 0 ? tr->objects[e->obj].kind : LV_OBJ__COUNT;
            if (e->kind == LV_EV_SLEEP && e->value > 0) want_sleep[i] = 1;
            if (e->kind == LV_EV_ACQUIRE &&
                (k == LV_OBJ_MUTEX || k == LV_OBJ_SEMAPHORE || k == LV_OBJ_BOUNDED_SEMAPHORE ||
                 (k == LV_OBJ_RLOCK && (!(e->flags & LV_EVF_VALUE) || e->value == 1))))
                want_hold[i] = 1;
            if (e->kind == LV_EV_REQUEST) open_req[e->thread] = e->seq;
            if (e->kind == LV_EV_ACQUIRE || e->kind == LV_EV_TIMEOUT)
                open_req[e->thread] = UINT32_MAX;
        }
        if (tr->outcome == LV_OUT_DEADLOCKED)
            for (size_t t = 0; t < tr->nthreads; t++)
                if (open_req[t] != UINT32_MAX) want_never[open_req[t]] = 1;
        free(open_req);
        for (size_t o = 0; o < tr->nobjects; o++) {
            lv_obj_kind k = tr->objects[o].kind;
            want_counter[o] = k == LV_OBJ_VAR || k == LV_OBJ_SEMAPHORE ||
                              k == LV_OBJ_BOUNDED_SEMAPHORE || k == LV_OBJ_EVENT;
        }
    }
    const cJSON *e;
    cJSON_ArrayForEach(e, evs) {
        const char *ph = str(e, "ph");
        const char *name = str(e, "name");
        ASSERT(ph);
        ASSERT_EQ(num(e, "pid"), 1);
        int tid = (int)num(e, "tid");
        double ts = num(e, "ts");
        ASSERT(tid >= 0 && tid < MAXT);
        ASSERT_GE(ts, 0);
        if (strcmp(ph, "M") == 0) {
            if (name && strcmp(name, "thread_name") == 0) {
                const cJSON *a = cJSON_GetObjectItemCaseSensitive(e, "args");
                tname[tid] = str(a, "name");
            }
            continue;
        }
        used[tid] = 1;
        if (strcmp(ph, "C") != 0 &&
            !(strcmp(ph, "i") == 0 && str(e, "s") && !strcmp(str(e, "s"), "g"))) {
            if (ts < last_ts[tid]) /* timestamps never go back on a track */
                TEST_FAIL_AT("%s: tid %d goes back from %.3f to %.3f", what, tid, last_ts[tid], ts);
            last_ts[tid] = ts;
        }
        if (strcmp(ph, "B") == 0) {
            ASSERT(name);
            if (depth[tid] >= MAXD) TEST_FAIL_AT("%s: tid %d nests too deep", what, tid);
            stack[tid][depth[tid]++] = (open_slice){name, ts};
        } else if (strcmp(ph, "E") == 0) {
            if (depth[tid] <= 0) TEST_FAIL_AT("%s: an E without its B on tid %d", what, tid);
            open_slice *top = &stack[tid][--depth[tid]];
            if (!name || strcmp(name, top->name) != 0) /* speedscope pairs E with B by name */
                TEST_FAIL_AT("%s: tid %d: E \"%s\" closes \"%s\"", what, tid, name ? name : "",
                             top->name);
            if (strstr(top->name, "(never granted)")) {
                /* a deadlocked run's last wait lasts to the end of the run */
                if (!(ts > top->ts && ts > ts_last_event))
                    TEST_FAIL_AT("%s: tid %d: \"%s\" ends at %.3f, the run's last event is at %.3f",
                                 what, tid, name, ts, ts_last_event);
                for (size_t i = 0; i < nev; i++)
                    if (want_never[i] && fabs((double)tr->events[i].t / 1000 - top->ts) < 1e-4)
                        want_never[i] = 0;
            }
            if (strcmp(top->name, "sleeping") == 0)
                for (size_t i = 0; i < nev; i++)
                    if (want_sleep[i] && fabs((double)tr->events[i].t / 1000 - top->ts) < 1e-4 &&
                        ts > top->ts)
                        want_sleep[i] = 0;
        } else if (strcmp(ph, "X") == 0) {
            ASSERT_GE(num(e, "dur"), 0);
        } else if (strcmp(ph, "s") == 0 || strcmp(ph, "f") == 0) {
            int id = (int)num(e, "id");
            ASSERT(id >= 0 && id < MAXID);
            /* both ends bind to the slice open on their track: the release's hold (or the
             * thread's state) and the acquire's hold, begun at the acquire itself */
            if (depth[tid] <= 0) TEST_FAIL_AT("%s: flow %d has no slice on tid %d", what, id, tid);
            open_slice *top = &stack[tid][depth[tid] - 1];
            if (ph[0] == 's') {
                if (flow[id]) TEST_FAIL_AT("%s: flow %d starts twice", what, id);
                flow[id] = 1;
                flows++;
            } else {
                if (flow[id] != 1) TEST_FAIL_AT("%s: flow %d ends without its start", what, id);
                flow[id] = 2;
                ASSERT(str(e, "bp") && strcmp(str(e, "bp"), "e") == 0);
                if (strncmp(top->name, "holds ", 6) != 0 || top->ts != ts)
                    TEST_FAIL_AT("%s: flow %d ends on \"%s\" (from %.3f), not on the hold its "
                                 "acquire began at %.3f",
                                 what, id, top->name, top->ts, ts);
            }
        } else if (strcmp(ph, "C") == 0) {
            const cJSON *args = cJSON_GetObjectItemCaseSensitive(e, "args");
            ASSERT(cJSON_IsObject(args) && args->child && !args->child->next);
            ASSERT(cJSON_IsNumber(args->child)); /* counters are numeric */
            /* Perfetto names the track "NAME KEY": the kind once, the object once */
            char *pname = join3(name, " ", args->child->string);
            for (size_t o = 0; o < tr->nobjects; o++) {
                lv_obj_kind k = tr->objects[o].kind;
                char *want = join3(k == LV_OBJ_VAR     ? "var"
                                   : k == LV_OBJ_EVENT ? "event"
                                   : k == LV_OBJ_GAUGE ? "gauge"
                                                       : "permits",
                                   " ", tr->objects[o].name);
                if (strcmp(args->child->string, tr->objects[o].name) == 0) {
                    ASSERT_STR_EQ(pname, want);
                    want_counter[o] = 0;
                    if (k == LV_OBJ_EVENT) /* an Event's state: 0 clear, 1 set */
                        ASSERT(args->child->valuedouble == 0 || args->child->valuedouble == 1);
                }
                free(want);
            }
            free(pname);
        } else {
            ASSERT(strcmp(ph, "i") == 0);
            if (!(str(e, "s") && !strcmp(str(e, "s"), "g"))) has_instant[tid] = 1;
        }
        if (strcmp(ph, "B") == 0 && strncmp(name, "holds ", 6) == 0)
            for (size_t i = 0; i < nev; i++) /* on the track "THREAD holds OBJ" */
                if (want_hold[i] && fabs((double)tr->events[i].t / 1000 - ts) < 1e-4 &&
                    tname[tid]) {
                    const lv_event *a = &tr->events[i];
                    char *want =
                        join3(tr->threads[a->thread].name, " holds ", tr->objects[a->obj].name);
                    if (strcmp(tname[tid], want) == 0 &&
                        strcmp(name + 6, tr->objects[a->obj].name) == 0)
                        want_hold[i] = 0;
                    free(want);
                }
    }
    for (int t = 0; t < MAXT; t++) {
        if (used[t] && !tname[t]) TEST_FAIL_AT("%s: tid %d has no thread_name", what, t);
        if (depth[t] != 0) TEST_FAIL_AT("%s: tid %d has %d unclosed B", what, t, depth[t]);
        if (tname[t] && strstr(tname[t], " holds ") && has_instant[t])
            TEST_FAIL_AT("%s: the hold track %s has instants an arrow could bind to", what,
                         tname[t]);
    }
    for (int id = 0; id < MAXID; id++) {
        if (flow[id] == 1) TEST_FAIL_AT("%s: flow %d has no end", what, id);
        if (flow[id] && !((size_t)id < nev && want_flow[id]))
            TEST_FAIL_AT("%s: an arrow from seq %d, which let no acquire in", what, id);
    }
    for (size_t i = 0; i < nev; i++)
        if (want_flow[i] && (i >= MAXID || flow[i] != 2))
            TEST_FAIL_AT("%s: the release at seq %zu let an acquire in but has no arrow", what, i);
    ASSERT_EQ(flows, nwant_flows);
    for (size_t i = 0; i < nev; i++) {
        if (want_sleep[i])
            TEST_FAIL_AT("%s: the sleep at seq %zu is no \"sleeping\" slice on its thread", what,
                         i);
        if (want_hold[i])
            TEST_FAIL_AT("%s: the acquire at seq %zu is no hold on \"%s holds %s\"", what, i,
                         tr->threads[tr->events[i].thread].name,
                         tr->objects[tr->events[i].obj].name);
        if (want_never[i])
            TEST_FAIL_AT("%s: the wait at seq %zu is never granted but does not last", what, i);
    }
    for (size_t o = 0; o < tr->nobjects; o++)
        if (want_counter[o]) TEST_FAIL_AT("%s: no counter for %s", what, tr->objects[o].name);
    /* the thread tracks in Perfetto's order (main thread first, then by tid) are lockviz's */
    size_t next = 0;
    for (int pass = 0; pass < 2; pass++)
        for (int t = 0; t < MAXT; t++) {
            if (!tname[t] || (pass == 0) != (t == 1) || strstr(tname[t], " holds ")) continue;
            if (next >= tr->nthreads || strcmp(tname[t], tr->threads[next].name) != 0)
                TEST_FAIL_AT("%s: Perfetto would show \"%s\" as thread %zu", what, tname[t], next);
            next++;
        }
    ASSERT_EQ(next, tr->nthreads);
    free(want_flow);
    free(want_sleep);
    free(want_hold);
    free(want_never);
    free(want_counter);
    cJSON_Delete(root);
    free(buf);
}

TEST(chrome_export_of_every_scenario_is_well_formed) {
    int deadlocked = 0;
    for (size_t i = 0; i < lv_nscenarios; i++) {
        const lv_scenario *sc = lv_scenarios[i];
        for (int v = 0; v < sc->nvariants; v++) {
            lv_run_desc d = {.scenario = sc, .variant = v, .mode = LV_MODE_CONTROLLED, .seed = 1};
            lv_trace *tr = NULL;
            ASSERT_EQ(lv_run(&d, &tr), LV_OK);
            char what[128];
            snprintf(what, sizeof what, "%s/%s", sc->name, sc->variants[v].name);
            check_chrome(tr, what);
            deadlocked += tr->outcome == LV_OUT_DEADLOCKED;
            lv_trace_free(tr);
        }
    }
    ASSERT_GT(deadlocked, 0);
}

TEST(chrome_export_has_waits_and_arrows_for_a_contended_lock) {
    lv_trace *tr = run_variant("ticket", "locked", 1, NULL, 0);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ASSERT_EQ(lv_trace_write_chrome(tr, f), LV_OK);
    fclose(f);
    ASSERT_CONTAINS(buf, "\"name\": \"wait mutex lock\"");
    ASSERT_CONTAINS(buf, "\"ph\": \"s\"");
    ASSERT_CONTAINS(buf, "\"ph\": \"f\"");
    ASSERT_CONTAINS(buf, "\"name\": \"buyer-1 holds lock\"");
    ASSERT_CONTAINS(buf, "\"name\": \"var\", \"args\": {\"tickets\": 1}");
    free(buf);
    lv_trace_free(tr);
}

/* The race the export exists to show: each buyer reads, sleeps, writes; the sleep is a slice. */
TEST(chrome_export_shows_the_ticket_buyers_asleep) {
    lv_trace *tr = run_variant("ticket", "unlocked", 1, "buyers", 2);
    char *buf;
    cJSON *root = chrome_json(tr, &buf);
    ASSERT(root);
    double asleep[2] = {0, 0}, since[2] = {0, 0};
    const cJSON *e;
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(root, "traceEvents")) {
        const char *name = str(e, "name");
        int tid = (int)num(e, "tid");
        int b = tid == 1 + 1 * ((int)tr->nobjects + 1)   ? 0
                : tid == 1 + 2 * ((int)tr->nobjects + 1) ? 1
                                                         : -1;
        if (b < 0 || !name || strcmp(name, "sleeping") != 0) continue;
        if (!strcmp(str(e, "ph"), "B")) since[b] = num(e, "ts");
        if (!strcmp(str(e, "ph"), "E")) asleep[b] += num(e, "ts") - since[b];
    }
    ASSERT_GE(asleep[0], 300000); /* µs: 100 ms + 200 ms between the read and the write */
    ASSERT_GE(asleep[1], 300000);
    cJSON_Delete(root);
    free(buf);
    lv_trace_free(tr);
}

/* Names of any length go out whole: a 9,000-character thread name and lock name (Chinese and
 * ASCII) on every track name, state, hold and arrow that carries them. */
static int has_name(const cJSON *evs, const char *field, const char *want) {
    const cJSON *e;
    cJSON_ArrayForEach(e, evs) {
        const cJSON *where =
            strcmp(field, "args.name") == 0 ? cJSON_GetObjectItemCaseSensitive(e, "args") : e;
        const char *got = str(where, "name");
        if (got && strcmp(got, want) == 0) return 1;
    }
    return 0;
}

TEST(chrome_export_writes_long_names_whole) {
    lv_trace *tr = NULL;
    char err[512];
    if (lv_trace_load(LV_CORPUS_DIR "/good/long-names-deadlock.json", &tr, err, sizeof err))
        TEST_FAIL_AT("%s", err);
    const char *thread = tr->threads[1].name, *lock = tr->objects[0].name;
    ASSERT_GE(strlen(thread), 9000);
    ASSERT_GE(strlen(lock), 9000);
    ASSERT_CONTAINS(thread, "售票窗口");
    check_chrome(tr, "long-names");
    char *buf;
    cJSON *root = chrome_json(tr, &buf);
    ASSERT(root);
    const cJSON *evs = cJSON_GetObjectItemCaseSensitive(root, "traceEvents");
    size_t cap = strlen(thread) + strlen(lock) + 64;
    char *want = malloc(cap);
    ASSERT(want);
    ASSERT(has_name(evs, "args.name", thread)); /* the thread's track */
    snprintf(want, cap, "%s holds %s", thread, lock);
    ASSERT(has_name(evs, "args.name", want)); /* its hold track */
    snprintf(want, cap, "holds %s", lock);
    ASSERT(has_name(evs, "name", want)); /* the hold */
    snprintf(want, cap, "wait mutex %s (never granted)", lock);
    ASSERT(has_name(evs, "name", want)); /* thread-3's last wait */
    ASSERT(has_name(evs, "name", lock)); /* an arrow */
    ASSERT(!strstr(buf, "\\ufffd"));
    free(want);
    cJSON_Delete(root);
    free(buf);
    lv_trace_free(tr);
}

/* ---- atomic writes ---- */

static int count_files(const char *dir) {
    DIR *d = opendir(dir);
    ASSERT(d);
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d)))
        if (de->d_name[0] != '.') n++;
    closedir(d);
    return n;
}

TEST(a_writer_that_fails_halfway_leaves_the_old_file) {
    char dir[] = "/tmp/lvtestXXXXXX";
    ASSERT(mkdtemp(dir));
    char path[256], chrome[256];
    snprintf(path, sizeof path, "%s/t.json", dir);
    snprintf(chrome, sizeof chrome, "%s/c.json", dir);
    for (int k = 0; k < 2; k++) {
        FILE *f = fopen(k ? chrome : path, "w");
        ASSERT(f);
        fputs("the old contents\n", f);
        fclose(f);
    }
    const lv_scenario *sc = lv_scenario_find("counter");
    lv_run_desc d = {.scenario = sc, .mode = LV_MODE_CONTROLLED, .seed = 1};
    lv_trace *tr = NULL;
    ASSERT_EQ(lv_run(&d, &tr), LV_OK);
    /* the disk "fills up" after 16 KiB: every write past it fails with EFBIG */
    signal(SIGXFSZ, SIG_IGN);
    struct rlimit rl, old;
    ASSERT_EQ(getrlimit(RLIMIT_FSIZE, &old), 0);
    rl = old;
    rl.rlim_cur = 16384;
    ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &rl), 0);
    char err[512];
    ASSERT_NE(lv_trace_save(tr, path, err, sizeof err), LV_OK);
    ASSERT_CONTAINS(err, path);
    ASSERT_CONTAINS(err, "cannot write");
    ASSERT(strchr(err, '\n') == NULL);
    ASSERT_NE(lv_trace_save_chrome(tr, chrome, err, sizeof err), LV_OK);
    ASSERT_CONTAINS(err, chrome);
    for (int k = 0; k < 2; k++) {
        FILE *f = fopen(k ? chrome : path, "r");
        char line[64] = {0};
        ASSERT(f && fgets(line, sizeof line, f));
        fclose(f);
        ASSERT_STR_EQ(line, "the old contents\n");
    }
    ASSERT_EQ(count_files(dir), 2); /* no temporary file left behind */
    /* and an unwritable place is a clear error too */
    char nodir[300];
    snprintf(nodir, sizeof nodir, "%s/no/such/t.json", dir);
    ASSERT_NE(lv_trace_save(tr, nodir, err, sizeof err), LV_OK);
    ASSERT_CONTAINS(err, nodir);
    ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &old), 0);
    ASSERT_EQ(lv_trace_save(tr, path, err, sizeof err), LV_OK);
    lv_trace *back = NULL;
    ASSERT_EQ(lv_trace_load(path, &back, err, sizeof err), LV_OK);
    ASSERT_EQ(back->nevents, tr->nevents);
    lv_trace_free(back);
    lv_trace_free(tr);
    unlink(path);
    unlink(chrome);
    rmdir(dir);
}

TEST_MAIN(TEST_ENTRY(chrome_export_of_every_scenario_is_well_formed, 120),
          TEST_ENTRY(chrome_export_has_waits_and_arrows_for_a_contended_lock, 30),
          TEST_ENTRY(chrome_export_shows_the_ticket_buyers_asleep, 30),
          TEST_ENTRY(chrome_export_writes_long_names_whole, 30),
          TEST_ENTRY(a_writer_that_fails_halfway_leaves_the_old_file, 60))
