/* Analysis: pure functions of a trace. They trust nothing stored in it but its threads,
 * objects and events, so a trace from a file is analysed exactly like a fresh one. */
#ifndef LOCKVIZ_ANALYSIS_H
#define LOCKVIZ_ANALYSIS_H

#include <stdio.h>
#include "trace.h"

/* Computes the findings of tr into a new array (*out, *n; free with lv_findings_free). */
lv_err lv_analyze(const lv_trace *tr, lv_finding **out, size_t *n);

/* What lv_analyze_ex leaves out; a zeroed struct (or NULL) means the defaults: everything, as
 * lv_analyze. */
typedef struct lv_analyze_opts {
    int no_lock_order; /* nonzero: no lock-order analysis (no lock_order findings) */
} lv_analyze_opts;

/* lv_analyze with options (opts may be NULL). */
lv_err lv_analyze_ex(const lv_trace *tr, const lv_analyze_opts *opts, lv_finding **out, size_t *n);

/* Prints findings as a short report for people. */
void lv_findings_print(const lv_trace *tr, const lv_finding *f, size_t n, FILE *out);

#endif
