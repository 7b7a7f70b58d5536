/* Core-internal: what the analysis' detectors (analysis_*.c) share with its driver
 * (analysis.c): the list of findings they add to, and one entry point per detector. A detector
 * builds each finding as data (its payload); the driver words them all at the end. */
#ifndef LV_ANALYSIS_H
#define LV_ANALYSIS_H

#include <stddef.h>
#include "finding.h"
#include "lockviz/lockviz.h"

typedef struct lv__flist {
    lv_finding *a;
    size_t n, cap;
    int oom;
} lv__flist;

/* A new finding of kind with payload pk and no words yet; NULL (and l->oom set) when out of
 * memory or after it. */
lv_finding *lv__add_finding(lv__flist *l, lv_finding_kind kind, lv_payload_kind pk);
/* Each adds its id to f once (a thread or object LV_NONE, or f NULL, adds nothing). */
void lv__put_thread(lv__flist *l, lv_finding *f, int32_t t);
void lv__put_object(lv__flist *l, lv_finding *f, int32_t o);
void lv__put_event(lv__flist *l, lv_finding *f, uint32_t seq);

/* The detectors, in the order lv_analyze_ex runs them; each adds its findings to l. */
void lv__find_deadlock(const lv_trace *tr, lv__flist *l);
void lv__find_races(const lv_trace *tr, lv__flist *l);
void lv__find_lock_order(const lv_trace *tr, lv__flist *l);
void lv__find_misuse(const lv_trace *tr, lv__flist *l);

#endif
