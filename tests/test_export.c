/* Export: the Chrome Trace Event Format of every scenario checked structurally, and atomic
 * writes (a writer that fails halfway leaves the old file as it was, and no temporary file). */
#include <cjson/cJSON.h>
#include <dirent.h>
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

#define MAXT 256
#define MAXID 100000

static void check_chrome(const lv_trace *tr, const char *what) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ASSERT(f);
    ASSERT_EQ(lv_trace_write_chrome(tr, f), LV_OK);
    fclose(f);
    cJSON *root = cJSON_ParseWithLength(buf, len);
    if (!root) TEST_FAIL_AT("%s: the Chrome export is not valid JSON", what);
    const cJSON *evs = cJSON_GetObjectItemCaseSensitive(root, "traceEvents");
    ASSERT(cJSON_IsArray(evs));
    static double last_ts[MAXT];
    static int named[MAXT], used[MAXT], depth[MAXT];
    static signed char async_open[MAXID], flow[MAXID];
    memset(named, 0, sizeof named);
    memset(used, 0, sizeof used);
    memset(depth, 0, sizeof depth);
    memset(async_open, 0, sizeof async_open);
    memset(flow, 0, sizeof flow);
    for (int t = 0; t < MAXT; t++)
        last_ts[t] = -1;
    int slices = 0, counters = 0, flows = 0, holds = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, evs) {
        const char *ph = str(e, "ph");
        ASSERT(ph);
        ASSERT_EQ(num(e, "pid"), 1);
        int tid = (int)num(e, "tid");
        double ts = num(e, "ts");
        ASSERT(tid >= 0 && tid < MAXT);
        ASSERT_GE(ts, 0);
        if (strcmp(ph, "M") == 0) {
            if (strcmp(str(e, "name"), "thread_name") == 0) named[tid] = 1;
            continue;
        }
        used[tid] = 1;
        if (strcmp(ph, "C") != 0 &&
            !(strcmp(ph, "i") == 0 && str(e, "s") && !strcmp(str(e, "s"), "g"))) {
            if (ts < last_ts[tid]) /* timestamps never go back on a thread */
                TEST_FAIL_AT("%s: tid %d goes back from %.3f to %.3f", what, tid, last_ts[tid], ts);
            last_ts[tid] = ts;
        }
        if (strcmp(ph, "B") == 0) {
            depth[tid]++;
            slices++;
        } else if (strcmp(ph, "E") == 0) {
            if (depth[tid]-- <= 0) TEST_FAIL_AT("%s: an E without its B on tid %d", what, tid);
        } else if (strcmp(ph, "X") == 0) {
            ASSERT_GE(num(e, "dur"), 0);
        } else if (strcmp(ph, "b") == 0 || strcmp(ph, "e") == 0) {
            int id = (int)num(e, "id");
            ASSERT(id >= 0 && id < MAXID);
            if (ph[0] == 'b') {
                if (async_open[id]) TEST_FAIL_AT("%s: async id %d begun twice", what, id);
                async_open[id] = 1;
                holds++;
            } else {
                if (async_open[id] != 1) TEST_FAIL_AT("%s: async id %d ends unopened", what, id);
                async_open[id] = 2;
            }
        } else if (strcmp(ph, "s") == 0 || strcmp(ph, "f") == 0) {
            int id = (int)num(e, "id");
            ASSERT(id >= 0 && id < MAXID);
            if (ph[0] == 's') {
                if (flow[id]) TEST_FAIL_AT("%s: flow %d starts twice", what, id);
                flow[id] = 1;
                flows++;
            } else {
                if (flow[id] != 1) TEST_FAIL_AT("%s: flow %d ends without its start", what, id);
                flow[id] = 2;
            }
        } else if (strcmp(ph, "C") == 0) {
            const cJSON *args = cJSON_GetObjectItemCaseSensitive(e, "args");
            ASSERT(cJSON_IsObject(args) && args->child);
            ASSERT(cJSON_IsNumber(args->child)); /* counters are numeric */
            counters++;
        } else {
            ASSERT(strcmp(ph, "i") == 0);
        }
    }
    for (int t = 0; t < MAXT; t++) {
        if (used[t] && !named[t]) TEST_FAIL_AT("%s: tid %d has no thread_name", what, t);
        if (depth[t] != 0) TEST_FAIL_AT("%s: tid %d has %d unclosed B", what, t, depth[t]);
    }
    for (int id = 0; id < MAXID; id++) {
        if (async_open[id] == 1) TEST_FAIL_AT("%s: hold %d never ends", what, id);
        if (flow[id] == 1) TEST_FAIL_AT("%s: flow %d has no end", what, id);
    }
    for (size_t k = 0; k < tr->nthreads; k++)
        ASSERT(named[k]);
    int has_lock = 0, has_counter_obj = 0;
    for (size_t k = 0; k < tr->nobjects; k++) {
        lv_obj_kind ok = tr->objects[k].kind;
        has_lock |= ok == LV_OBJ_MUTEX || ok == LV_OBJ_RLOCK;
        has_counter_obj |=
            ok == LV_OBJ_VAR || ok == LV_OBJ_SEMAPHORE || ok == LV_OBJ_BOUNDED_SEMAPHORE;
    }
    if (has_lock) ASSERT_GT(holds, 0);
    if (has_counter_obj) ASSERT_GT(counters, 0);
    (void)slices;
    (void)flows;
    cJSON_Delete(root);
    free(buf);
}

TEST(chrome_export_of_every_scenario_is_well_formed) {
    for (size_t i = 0; i < lv_nscenarios; i++) {
        const lv_scenario *sc = lv_scenarios[i];
        for (int v = 0; v < sc->nvariants; v++) {
            lv_run_desc d = {.scenario = sc, .variant = v, .mode = LV_MODE_CONTROLLED, .seed = 1};
            lv_trace *tr = NULL;
            ASSERT_EQ(lv_run(&d, &tr), LV_OK);
            char what[128];
            snprintf(what, sizeof what, "%s/%s", sc->name, sc->variants[v].name);
            check_chrome(tr, what);
            lv_trace_free(tr);
        }
    }
}

TEST(chrome_export_has_waits_and_arrows_for_a_contended_lock) {
    const lv_scenario *sc = lv_scenario_find("ticket");
    lv_run_desc d = {.scenario = sc,
                     .variant = lv_scenario_variant_index(sc, "locked"),
                     .mode = LV_MODE_CONTROLLED,
                     .seed = 1};
    lv_trace *tr = NULL;
    ASSERT_EQ(lv_run(&d, &tr), LV_OK);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ASSERT_EQ(lv_trace_write_chrome(tr, f), LV_OK);
    fclose(f);
    ASSERT_CONTAINS(buf, "\"ph\": \"B\", \"pid\": 1");
    ASSERT_CONTAINS(buf, "wait mutex lock");
    ASSERT_CONTAINS(buf, "\"ph\": \"s\"");
    ASSERT_CONTAINS(buf, "\"ph\": \"f\"");
    ASSERT_CONTAINS(buf, "holds lock");
    ASSERT_CONTAINS(buf, "var tickets");
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
          TEST_ENTRY(a_writer_that_fails_halfway_leaves_the_old_file, 60))
