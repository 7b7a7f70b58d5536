/* libFuzzer harness for the trace reader: any bytes at all must be read or refused with a
 * one-line error, never crash, read out of bounds or leak; whatever is accepted must also
 * survive analysis and both writers. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "lockviz/lockviz.h"

static FILE *sink;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!sink) sink = fopen("/dev/null", "w");
    char err[512];
    lv_trace *tr = NULL;
    lv_err rc = lv_trace_read_json((const char *)data, size, "fuzz.json", &tr, err, sizeof err);
    if (rc != LV_OK) {
        if (tr || !strchr(err, ':') || strchr(err, '\n')) __builtin_trap(); /* one line, a place */
        return 0;
    }
    lv_finding *f = NULL;
    size_t n = 0;
    if (lv_analyze(tr, &f, &n) == LV_OK) lv_trace_set_findings(tr, f, n);
    lv_trace_write_json(tr, sink);
    lv_trace_write_chrome(tr, sink);
    lv_findings_print(tr, tr->findings, tr->nfindings, sink);
    lv_trace_free(tr);
    return 0;
}
