/* Analysis: pure functions of a trace. They trust nothing stored in it but its threads,
 * objects and events, so a trace from a file is analysed exactly like a fresh one. */
#ifndef LOCKVIZ_ANALYSIS_H
#define LOCKVIZ_ANALYSIS_H

#include <stdio.h>
#include "trace.h"

/* Computes the findings of tr into a new array (*out, *n; free with lv_findings_free). */
lv_err lv_analyze(const lv_trace *tr, lv_finding **out, size_t *n);

/* The languages a finding can be worded in. */
typedef enum lv_text_lang { LV_TEXT_EN, LV_TEXT_ZH, LV_TEXT__COUNT } lv_text_lang;

/* What f says, in lang, rendered from its payload by the one formatter of each language
 * (core/src/finding_text.c); the English one is what analysis stores as f->message. A finding
 * without a payload (read from a trace written before payloads) gives a copy of its stored
 * message, in whatever language it was written. The caller frees the string; NULL when memory
 * ran out. */
char *lv_finding_message(const lv_trace *tr, const lv_finding *f, lv_text_lang lang);
/* The lockdep-style table of a deadlock cycle of two or more threads (NULL for any other
 * finding, or when memory ran out); the caller frees it. */
char *lv_finding_detail(const lv_trace *tr, const lv_finding *f);

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
