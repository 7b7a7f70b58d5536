/* libFuzzer harness for the analysis and its words: the input bytes drive a generator of
 * VALID traces (threads with random names up to 20,000 bytes, some of them multi-byte UTF-8,
 * random lock, semaphore and var traffic, and a random wait cycle at the end), so every input
 * reaches the analysis instead of the reader's refusals. Each trace is analysed, every finding
 * worded in both languages, printed, written as JSON (trace and findings) and read back: the
 * written trace must load, and its findings recomputed must say the same. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lockviz/lockviz.h"

#define FUZZ_ASSERT(c)                                                                             \
    do {                                                                                           \
        if (!(c)) {                                                                                \
            fprintf(stderr, "fuzz_analysis: assertion failed: %s\n", #c);                          \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

typedef struct gen {
    const uint8_t *p;
    size_t n, at;
} gen;

static unsigned byte(gen *g) {
    return g->at < g->n ? g->p[g->at++] : 0;
}

static char *name(gen *g, int id) {
    static const char *const parts[] = {"a", "Z", "-", "7", "ü", "锁", " ", "_"};
    size_t len = byte(g);
    if (len > 200) len = (len - 200) * 400 + byte(g) * 4; /* now and then a very long one */
    char *s = malloc(len * 3 + 16);
    FUZZ_ASSERT(s);
    size_t k = (size_t)snprintf(s, 16, "t%d", id);
    for (size_t i = 0; i < len; i++) {
        const char *p = parts[(i * 7 + (size_t)byte(g)) % 8];
        size_t pl = strlen(p);
        memcpy(s + k, p, pl);
        k += pl;
    }
    s[k] = 0;
    return s;
}

static void push(lv_trace *tr, size_t *cap, int32_t th, lv_event_kind k, int32_t obj, int has_v,
                 int64_t v) {
    if (tr->nevents == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        tr->events = realloc(tr->events, *cap * sizeof *tr->events);
        FUZZ_ASSERT(tr->events);
    }
    lv_event *e = &tr->events[tr->nevents];
    memset(e, 0, sizeof *e);
    e->seq = (uint32_t)tr->nevents;
    e->t = (int64_t)tr->nevents * 1000;
    e->thread = th;
    e->kind = (uint8_t)k;
    e->obj = obj;
    e->value = v;
    e->flags = has_v ? LV_EVF_VALUE : 0;
    tr->nevents++;
}

static lv_trace *generate(gen *g) {
    lv_trace *tr = calloc(1, sizeof *tr);
    FUZZ_ASSERT(tr);
    tr->scenario = strdup("fuzz");
    tr->variant = strdup("generated");
    tr->mode = LV_MODE_LIVE;
    size_t nt = 2 + byte(g) % 10, nl = 1 + byte(g) % 8;
    tr->threads = calloc(nt, sizeof *tr->threads);
    tr->nthreads = nt;
    for (size_t i = 0; i < nt; i++)
        tr->threads[i] = (lv_trace_thread){(int32_t)i, name(g, (int)i)};
    size_t no = nl + 3; /* locks, then a var, a semaphore and a bounded semaphore */
    tr->objects = calloc(no, sizeof *tr->objects);
    tr->nobjects = no;
    for (size_t i = 0; i < no; i++) {
        lv_obj_kind k = i < nl        ? (byte(g) % 4 ? LV_OBJ_MUTEX : LV_OBJ_RLOCK)
                        : i == nl     ? LV_OBJ_VAR
                        : i == nl + 1 ? LV_OBJ_SEMAPHORE
                                      : LV_OBJ_BOUNDED_SEMAPHORE;
        char buf[32];
        snprintf(buf, sizeof buf, "o%zu", i);
        char *nm = byte(g) % 4 ? strdup(buf) : name(g, (int)i);
        tr->objects[i] =
            (lv_trace_object){(int32_t)i, k, nm, k == LV_OBJ_VAR ? 0 : 1 + byte(g) % 3, 0};
    }
    size_t cap = 0;
    push(tr, &cap, 0, LV_EV_START, LV_NONE, 0, 0);
    for (size_t i = 1; i < nt; i++)
        push(tr, &cap, 0, LV_EV_SPAWN, LV_NONE, 1, (int64_t)i);
    for (size_t i = 1; i < nt; i++)
        push(tr, &cap, (int32_t)i, LV_EV_START, LV_NONE, 0, 0);
    size_t ops = byte(g) * 2;
    for (size_t i = 0; i < ops && g->at < g->n; i++) {
        int32_t th = (int32_t)(byte(g) % nt);
        int32_t lock = (int32_t)(byte(g) % nl), var = (int32_t)nl;
        int32_t sem = (int32_t)(nl + 1 + byte(g) % 2);
        switch (byte(g) % 8) {
        case 0:
            push(tr, &cap, th, LV_EV_REQUEST, lock, byte(g) % 3 == 0, (int64_t)byte(g) * 1000000);
            push(tr, &cap, th, LV_EV_ACQUIRE, lock, 0, 0);
            break;
        case 1:
            push(tr, &cap, th, LV_EV_RELEASE, lock, 0, 0);
            break;
        case 2:
            push(tr, &cap, th, LV_EV_READ, var, 1, byte(g));
            break;
        case 3:
            push(tr, &cap, th, LV_EV_WRITE, var, 1, byte(g));
            break;
        case 4:
            push(tr, &cap, th, LV_EV_REQUEST, sem, 0, 0);
            push(tr, &cap, th, LV_EV_ACQUIRE, sem, 0, 0);
            break;
        case 5:
            push(tr, &cap, th, LV_EV_RELEASE, sem, 0, 0);
            break;
        case 6:
            push(tr, &cap, th, LV_EV_JOIN, LV_NONE, 1, (int64_t)(byte(g) % nt));
            break;
        default:
            push(tr, &cap, th, LV_EV_REQUEST, byte(g) % 2 ? lock : sem, 0, 0);
            break;
        }
    }
    /* a wait cycle: threads 1..k each take lock i and then ask for the next one's */
    size_t k = 1 + byte(g) % (nt - 1 < nl ? nt - 1 : nl);
    for (size_t i = 0; i < k; i++) {
        push(tr, &cap, (int32_t)(i + 1), LV_EV_REQUEST, (int32_t)i, 0, 0);
        push(tr, &cap, (int32_t)(i + 1), LV_EV_ACQUIRE, (int32_t)i, 0, 0);
    }
    for (size_t i = 0; i < k; i++)
        push(tr, &cap, (int32_t)(i + 1), LV_EV_REQUEST, (int32_t)((i + 1) % k), 0, 0);
    tr->outcome = byte(g) % 4 ? LV_OUT_DEADLOCKED : LV_OUT_COMPLETED;
    return tr;
}

static char *to_json(const lv_trace *tr, size_t *len) {
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    FUZZ_ASSERT(f);
    FUZZ_ASSERT(lv_trace_write_json(tr, f) == LV_OK);
    fclose(f);
    return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static FILE *sink;
    if (!sink) sink = fopen("/dev/null", "w");
    gen g = {data, size, 0};
    lv_trace *tr = generate(&g);
    lv_finding *f = NULL;
    size_t n = 0;
    FUZZ_ASSERT(lv_analyze(tr, &f, &n) == LV_OK);
    lv_trace_set_findings(tr, f, n);
    for (size_t i = 0; i < n; i++) {
        char *en = lv_finding_message(tr, &f[i], LV_TEXT_EN);
        char *zh = lv_finding_message(tr, &f[i], LV_TEXT_ZH);
        char *d = lv_finding_detail(tr, &f[i]);
        FUZZ_ASSERT(en && zh);
        FUZZ_ASSERT(strcmp(en, f[i].message) == 0); /* the message is the English rendering */
        if (f[i].payload == LV_PAY_DEADLOCK)        /* every stuck thread is named whole */
            for (size_t s = 0; s < f[i].data.deadlock.nsteps; s++) {
                const char *who = tr->threads[f[i].data.deadlock.steps[s].thread].name;
                FUZZ_ASSERT(strstr(en, who) && strstr(zh, who));
            }
        free(en);
        free(zh);
        free(d);
    }
    lv_findings_print(tr, f, n, sink);
    lv_findings_write_json(tr, f, n, sink);
    lv_trace_write_chrome(tr, sink);
    size_t len = 0;
    char *json = to_json(tr, &len);
    lv_trace *back = NULL;
    char err[512];
    lv_err rc = lv_trace_read_json(json, len, "fuzz.json", &back, err, sizeof err);
    if (rc != LV_OK) fprintf(stderr, "fuzz_analysis: the written trace does not load: %s\n", err);
    FUZZ_ASSERT(rc == LV_OK);
    FUZZ_ASSERT(back->nfindings == n);
    lv_finding *f2 = NULL;
    size_t n2 = 0;
    FUZZ_ASSERT(lv_analyze(back, &f2, &n2) == LV_OK);
    FUZZ_ASSERT(n2 == n);
    for (size_t i = 0; i < n; i++) {
        FUZZ_ASSERT(strcmp(f2[i].message, f[i].message) == 0);
        FUZZ_ASSERT(back->findings[i].payload == f[i].payload);
    }
    lv_findings_free(f2, n2);
    lv_trace_free(back);
    free(json);
    lv_trace_free(tr);
    return 0;
}
