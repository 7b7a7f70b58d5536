/* libFuzzer harness for the trace reader: any bytes at all must be read or refused with a
 * one-line error, never crash, read out of bounds or leak; whatever is accepted must also
 * survive analysis and both writers, and what the native writer writes must be read back. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lockviz/lockviz.h"

static FILE *sink;

/* A broken promise of the reader is a crash the fuzzer records, with the input that made it. */
#define FUZZ_ASSERT(c)                                                                             \
    do {                                                                                           \
        if (!(c)) {                                                                                \
            fprintf(stderr, "fuzz_reader: assertion failed: %s\n", #c);                            \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!sink) sink = fopen("/dev/null", "w");
    char err[512];
    lv_trace *tr = NULL;
    lv_err rc = lv_trace_read_json((const char *)data, size, "fuzz.json", &tr, err, sizeof err);
    if (rc != LV_OK) {
        FUZZ_ASSERT(tr == NULL);
        FUZZ_ASSERT(strchr(err, ':') != NULL);  /* "NAME: PLACE: PROBLEM" */
        FUZZ_ASSERT(strchr(err, '\n') == NULL); /* one line */
        return 0;
    }
    lv_finding *f = NULL;
    size_t n = 0;
    if (lv_analyze(tr, &f, &n) == LV_OK) lv_trace_set_findings(tr, f, n);
    /* what the writer writes, the strict reader reads back (no byte it cannot hold) */
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    FUZZ_ASSERT(mem != NULL);
    FUZZ_ASSERT(lv_trace_write_json(tr, mem) == LV_OK);
    fclose(mem);
    lv_trace *back = NULL;
    FUZZ_ASSERT(lv_trace_read_json(buf, len, "again.json", &back, err, sizeof err) == LV_OK);
    lv_trace_free(back);
    free(buf);
    lv_trace_write_chrome(tr, sink);
    lv_findings_print(tr, tr->findings, tr->nfindings, sink);
    lv_trace_free(tr);
    return 0;
}
