/* The native JSON format: write, read back, write again gives the same bytes; and a reader
 * that refuses broken input with one line naming the place. */
#include "registry.h"
#include "support.h"
#include "utf8.h"

static char *write_mem(const lv_trace *tr, size_t *len) {
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    ASSERT(f);
    ASSERT_EQ(lv_trace_write_json(tr, f), LV_OK);
    fclose(f);
    return buf;
}

static void assert_round_trip(const lv_trace *tr) {
    size_t len1, len2;
    char *a = write_mem(tr, &len1);
    char err[256];
    lv_trace *back = NULL;
    lv_err rc = lv_trace_read_json(a, len1, "mem.json", &back, err, sizeof err);
    if (rc != LV_OK) TEST_FAIL_AT("read back failed: %s", err);
    ASSERT_EQ(back->nevents, tr->nevents);
    ASSERT_EQ(back->nfindings, tr->nfindings);
    char *b = write_mem(back, &len2);
    ASSERT_EQ(len1, len2);
    ASSERT(memcmp(a, b, len1) == 0);
    lv_trace_free(back);
    free(a);
    free(b);
}

TEST(round_trip_ticket) {
    const lv_scenario *sc = lv_scenario_find("ticket");
    ASSERT(sc);
    for (int v = 0; v < sc->nvariants; v++) {
#ifdef LV_UNDER_TSAN
        if (sc->variants[v].broken) continue; /* a real race: tsan_ticket_race covers it */
#endif
        lv_run_desc d = {
            .scenario = sc, .variant = v, .mode = LV_MODE_LIVE, .seed = 3, .time_scale = 0.01};
        lv_trace *tr = NULL;
        ASSERT_EQ(lv_run(&d, &tr), LV_OK);
        assert_round_trip(tr);
        lv_trace_free(tr);
    }
}

static void every_kind(void *arg) {
    (void)arg;
    lv_note("from a thread");
}

static void main_every_kind(const lv_args *a) {
    (void)a;
    lv_mutex *m = lv_mutex_new("lock \"A\"");
    lv_rlock *r = lv_rlock_new("R\\B");
    lv_sem *s = lv_sem_new("s", 2);
    lv_sem *b = lv_bsem_new("b", 1);
    lv_event_obj *e = lv_event_new("e");
    lv_cond *c = lv_cond_new("c", m);
    lv_var *v = lv_var_new("v", -3);
    lv_mutex_lock(m);
    lv_cond_wait(c, 0);
    lv_cond_notify(c, 1);
    lv_mutex_unlock(m);
    lv_mutex_unlock(m); /* misuse, kept as a finding */
    lv_rlock_lock(r);
    lv_rlock_lock(r);
    lv_rlock_unlock(r);
    lv_rlock_unlock(r);
    lv_sem_acquire(s, LV_FOREVER);
    lv_sem_release(s);
    lv_sem_release(b);
    lv_event_set(e);
    lv_event_is_set(e);
    lv_event_clear(e);
    lv_event_wait(e, 0);
    lv_var_write(v, lv_var_read(v) + 1);
    lv_sleep(1000);
    lv_note("quote \" backslash \\ newline \n tab \t bell \a 中文 购票成功");
    lv_thread *t = lv_spawn("t\"1", every_kind, NULL);
    lv_join(t);
    lv_check(false, "a failed check");
    lv_check(true, "a passed check");
}

TEST(round_trip_every_kind) {
    lv_trace *tr = run_fn("kinds", main_every_kind);
    int seen[LV_EV__COUNT] = {0};
    for (size_t i = 0; i < tr->nevents; i++)
        seen[tr->events[i].kind] = 1;
    for (int k = 0; k < LV_EV__COUNT; k++) /* destroy comes only from recorded programs */
        if (!seen[k] && k != LV_EV_DESTROY)
            TEST_FAIL_AT("no %s event in the trace", lv_event_kind_name(k));
    ASSERT_GE(tr->nfindings, 3); /* failed check, lock misuse, bounded over-release */
    assert_round_trip(tr);
    lv_trace_free(tr);
}

/* Names and notes a trace can hold in memory that JSON cannot: bytes that are not UTF-8
 * (invalid, overlong, a surrogate, truncated) and control characters. */
static void main_bad_bytes(const lv_args *a) {
    (void)a;
    lv_mutex *m = lv_mutex_new("A\xc0\xaf");
    lv_mutex_lock(m);
    lv_mutex_unlock(m);
    lv_note("ctl \x01\x1f\x7f sur \xed\xa0\x80 cut \xe4\xb8");
    lv_thread *t = lv_spawn("t\xff", every_kind, NULL);
    lv_join(t);
}

/* Every byte of buf is well-formed UTF-8 and no control byte but a newline appears. */
static void assert_clean_json_text(const char *buf, size_t len) {
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)buf[i];
        if ((c < 0x20 && c != '\n') || c == 0x7f) TEST_FAIL_AT("raw byte 0x%02x at %zu", c, i);
        if (c >= 0x80) {
            size_t k = 0;
            if (c >= 0xc2 && c <= 0xdf)
                k = 2;
            else if (c >= 0xe0 && c <= 0xef)
                k = 3;
            else if (c >= 0xf0 && c <= 0xf4)
                k = 4;
            if (!k || i + k > len) TEST_FAIL_AT("invalid UTF-8 lead 0x%02x at %zu", c, i);
            for (size_t j = 1; j < k; j++)
                if (((unsigned char)buf[i + j] & 0xc0) != 0x80)
                    TEST_FAIL_AT("invalid UTF-8 at %zu", i + j);
            if (c == 0xed && (unsigned char)buf[i + 1] >= 0xa0) TEST_FAIL_AT("surrogate at %zu", i);
            i += k - 1;
        }
    }
}

TEST(writers_never_write_invalid_json) {
    lv_trace *tr = run_fn("bytes", main_bad_bytes);
    size_t len;
    char *a = write_mem(tr, &len);
    assert_clean_json_text(a, len);
    char err[256];
    lv_trace *back = NULL;
    if (lv_trace_read_json(a, len, "mem.json", &back, err, sizeof err) != LV_OK)
        TEST_FAIL_AT("the strict reader refused what the writer wrote: %s", err);
    ASSERT_STR_EQ(back->objects[0].name, "A\xef\xbf\xbd\xef\xbf\xbd"); /* U+FFFD per byte */
    ASSERT_STR_EQ(back->threads[1].name, "t\xef\xbf\xbd");
    int found = 0;
    for (size_t i = 0; i < back->nevents; i++)
        if (back->events[i].kind == LV_EV_NOTE &&
            strncmp(lv_trace_text(back, &back->events[i]), "ctl", 3) == 0) {
            ASSERT_STR_EQ(lv_trace_text(back, &back->events[i]),
                          "ctl \x01\x1f\x7f sur \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd cut "
                          "\xef\xbf\xbd\xef\xbf\xbd");
            found = 1;
        }
    ASSERT(found);
    assert_round_trip(back); /* and from there on the bytes stay the same */
    char *chrome = NULL;
    size_t clen = 0;
    FILE *f = open_memstream(&chrome, &clen);
    ASSERT(f);
    ASSERT_EQ(lv_trace_write_chrome(tr, f), LV_OK);
    fclose(f);
    assert_clean_json_text(chrome, clen);
    ASSERT_CONTAINS(chrome, "A\\ufffd\\ufffd");
    ASSERT_CONTAINS(chrome, "\\u0001\\u001f\\u007f");
    free(chrome);
    lv_trace_free(back);
    free(a);
    lv_trace_free(tr);
}

/* A valid trace to break in many ways. */
static const char good[] =
    "{\"format\": \"lockviz-trace\", \"version\": 1,"
    " \"scenario\": {\"name\": \"x\", \"variant\": \"y\", \"params\": {\"n\": 2}},"
    " \"mode\": \"live\", \"seed\": 1, \"schedule\": [],"
    " \"threads\": [{\"id\": 0, \"name\": \"main\"}, {\"id\": 1, \"name\": \"t\"}],"
    " \"objects\": [{\"id\": 0, \"kind\": \"mutex\", \"name\": \"A\"}],"
    " \"events\": [{\"seq\": 0, \"t\": 0, \"thread\": 0, \"kind\": \"start\"},"
    "  {\"seq\": 1, \"t\": 5, \"thread\": 0, \"kind\": \"release\", \"obj\": 0},"
    "  {\"seq\": 2, \"t\": 9, \"thread\": 0, \"kind\": \"end\"}],"
    " \"findings\": [{\"kind\": \"misuse\", \"message\": \"m\", \"threads\": [0], \"objects\": [0],"
    " \"events\": [1]}],"
    " \"outcome\": \"completed\", \"dropped\": 0}";

static void expect_error(const char *from, const char *to, const char *message) {
    char doc[4096];
    const char *at = strstr(good, from);
    if (!at) TEST_FAIL_AT("test bug: '%s' not in the good trace", from);
    snprintf(doc, sizeof doc, "%.*s%s%s", (int)(at - good), good, to, at + strlen(from));
    char err[256];
    lv_trace *tr = NULL;
    lv_err rc = lv_trace_read_json(doc, strlen(doc), "t.json", &tr, err, sizeof err);
    if (rc == LV_OK) TEST_FAIL_AT("accepted a broken trace (%s -> %s)", from, to);
    ASSERT(tr == NULL);
    ASSERT_CONTAINS(err, message);
    ASSERT(strchr(err, '\n') == NULL);
}

TEST(reader_accepts_misuse_and_refuses_broken_input) {
    char err[256];
    lv_trace *tr = NULL;
    lv_err rc = lv_trace_read_json(good, strlen(good), "t.json", &tr, err, sizeof err);
    if (rc != LV_OK) TEST_FAIL_AT("good trace refused: %s", err);
    /* a release of a lock nobody holds is a fact about the scenario, not a broken file */
    lv_finding *f;
    size_t n;
    ASSERT_EQ(lv_analyze(tr, &f, &n), LV_OK);
    ASSERT_EQ(n, 1);
    ASSERT_EQ(f[0].kind, LV_FIND_MISUSE);
    lv_findings_free(f, n);
    lv_trace_free(tr);

    expect_error("\"thread\": 0, \"kind\": \"release\"", "\"thread\": 40, \"kind\": \"release\"",
                 "t.json: events[1].thread: no thread 40");
    expect_error("\"kind\": \"start\"", "\"kind\": \"explode\"",
                 "t.json: events[0].kind: unknown event kind \"explode\"");
    expect_error("{\"seq\": 1,", "{\"seq\": 2,", "t.json: events[1].seq: is 2, expected 1");
    expect_error("\"t\": 0,", "\"t\": -4,", "t.json: events[0].t: -4 is out of range");
    expect_error("\"t\": 9,", "\"t\": 1,", "t.json: events[2].t: 1 goes back in time");
    expect_error("\"obj\": 0}", "\"obj\": 7}", "t.json: events[1].obj: no object 7");
    expect_error("\"events\": [1]", "\"events\": [3]", "t.json: findings[0].events[0]: no event 3");
    expect_error("\"lockviz-trace\"", "\"something-else\"", "t.json: format: not a lockviz trace");
    expect_error("\"version\": 1", "\"version\": 2",
                 "t.json: version: this lockviz reads version 1");
    expect_error("\"thread\": 0, \"kind\": \"start\"", "\"thread\": \"0\", \"kind\": \"start\"",
                 "t.json: events[0].thread: must be a thread id");
    expect_error("\"seed\": 1", "\"seed\": 1e300", "t.json: seed: must be a whole number");
    expect_error("\"kind\": \"start\"}", "\"kind\": \"start\", \"colour\": 1}",
                 "t.json: events[0]: unknown field \"colour\"");
    expect_error("\"outcome\": \"completed\"", "\"outcome\": \"fine\"",
                 "t.json: outcome: must be \"completed\"");
    expect_error("\"kind\": \"release\", \"obj\": 0", "\"kind\": \"release\"",
                 "t.json: events[1]: missing \"obj\"");
    expect_error("\"dropped\": 0}", "\"dropped\": 0} trailing", "unexpected data after");
    expect_error("\"dropped\": 0}", "\"dropped\": 0", "ends too early");
    expect_error("{\"format\"", "[\"format\"", "not valid JSON");
}

/* good with from replaced by to: on the heap, for replacements of any length */
static char *broken(const char *from, const char *to) {
    const char *at = strstr(good, from);
    if (!at) TEST_FAIL_AT("test bug: '%s' not in the good trace", from);
    size_t n = strlen(good) - strlen(from) + strlen(to) + 1;
    char *doc = malloc(n);
    ASSERT(doc);
    snprintf(doc, n, "%.*s%s%s", (int)(at - good), good, to, at + strlen(from));
    return doc;
}

static void assert_utf8(const char *s) {
    for (size_t i = 0, n = strlen(s); i < n;) {
        size_t k = lv__utf8_len((const unsigned char *)s + i, n - i);
        if (!k) TEST_FAIL_AT("not UTF-8 at byte %zu of: %s", i, s);
        i += k;
    }
}

/* "NAME" of 9,000 characters, each 锁 (three bytes) */
static char *long_name(const char *before, const char *after) {
    size_t n = strlen(before) + 9000 * 3 + strlen(after) + 1;
    char *s = malloc(n), *p = s;
    ASSERT(s);
    p += sprintf(p, "%s", before);
    for (int i = 0; i < 9000; i++)
        p += sprintf(p, "锁");
    sprintf(p, "%s", after);
    return s;
}

/* A long name in an error is shortened on purpose, between two characters, with "…" and its
 * length: the message still says what is wrong and stays one short line. */
TEST(reader_errors_shorten_long_names) {
    static const struct {
        const char *from, *before, *after, *message;
    } cases[] = {
        {"\"kind\": \"start\"", "\"kind\": \"", "\"", "events[0].kind: unknown event kind \"锁锁"},
        {"\"kind\": \"start\"}", "\"kind\": \"start\", \"", "\": 1}",
         "events[0]: unknown field \"锁"},
        {"\"mode\": \"live\"", "\"mode\": \"", "\"",
         "mode: must be \"live\" or \"controlled\", not \"锁"},
        {"\"kind\": \"mutex\"", "\"kind\": \"", "\"", "objects[0].kind: unknown object kind \"锁"},
        /* a string refused inside a member with a long key: the key in the place is cut */
        {"\"n\": 2", "\"", "\": \"\\u0000\"", "scenario.params.锁"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *to = long_name(cases[i].before, cases[i].after);
        char *doc = broken(cases[i].from, to);
        char err[512];
        lv_trace *tr = NULL;
        ASSERT_NE(lv_trace_read_json(doc, strlen(doc), "t.json", &tr, err, sizeof err), LV_OK);
        ASSERT_CONTAINS(err, cases[i].message);
        ASSERT_CONTAINS(err, i < 4 ? "锁…\" (9000 characters)" : "锁…");
        ASSERT_LT(strlen(err), 200);
        assert_utf8(err);
        free(doc);
        free(to);
    }
    /* a message longer than the caller's buffer (here, a long file name) ends in "…" on a
     * character boundary, for every length of the buffer */
    char *name = long_name("轨迹", ".json");
    char *doc = broken("\"kind\": \"start\"", "\"kind\": \"explode\"");
    for (size_t len = 1; len < 40; len++) {
        char err[40];
        lv_trace *tr = NULL;
        ASSERT_NE(lv_trace_read_json(doc, strlen(doc), name, &tr, err, len), LV_OK);
        ASSERT_LT(strlen(err), len);
        assert_utf8(err);
        if (len > 8) ASSERT_CONTAINS(err, "…");
        if (len > 8) ASSERT_CONTAINS(err, "轨");
    }
    free(doc);
    free(name);
}

TEST(reader_refuses_1_gib_before_reading) {
    /* the length alone refuses it: not a byte past the first is read (ASan would see it) */
    static const char doc[] = "{";
    char err[256];
    lv_trace *tr = NULL;
    ASSERT_EQ(lv_trace_read_json(doc, LV_TRACE_MAX_BYTES, "big.json", &tr, err, sizeof err),
              LV_ERANGE);
    ASSERT(tr == NULL);
    ASSERT_CONTAINS(err, "big.json: 1073741824 bytes: 1 GiB or more, refused");
}

TEST(reader_survives_deep_nesting) {
    size_t n = 100000;
    char *doc = malloc(2 * n + 1);
    ASSERT(doc);
    memset(doc, '[', n);
    memset(doc + n, ']', n);
    doc[2 * n] = 0;
    char err[256];
    lv_trace *tr = NULL;
    ASSERT_NE(lv_trace_read_json(doc, 2 * n, "deep.json", &tr, err, sizeof err), LV_OK);
    ASSERT_CONTAINS(err, "deep.json: ");
    free(doc);
}

TEST_MAIN(TEST_ENTRY(round_trip_ticket, 120), TEST_ENTRY(round_trip_every_kind, 60),
          TEST_ENTRY(writers_never_write_invalid_json, 30),
          TEST_ENTRY(reader_accepts_misuse_and_refuses_broken_input, 30),
          TEST_ENTRY(reader_errors_shorten_long_names, 30),
          TEST_ENTRY(reader_refuses_1_gib_before_reading, 30),
          TEST_ENTRY(reader_survives_deep_nesting, 30))
