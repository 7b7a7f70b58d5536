/* Analysis: findings computed from a trace's events alone (see docs/findings.md).
 * Detects: data races on vars from happens-before (vector clocks) and lost updates; lock-order
 * inversions (cycles in the lock-order graph, lockdep-style, except cycles with two edges under
 * one gate); deadlocks of runs that ended "deadlocked", as a cycle of holders and waiters or the
 * list of stuck waits; failed scenario checks (invariant); and misuse of primitives, by
 * replaying each object. Each finding is built as data (its payload); its words come from
 * finding_text.c, once, at the end. Does not see memory that is not an lv_var, and has no
 * source locations. The lock-order search is polynomial and bounded: it lists at most 16
 * cycles (the shortest cycle through each edge, shortest first) and counts the rest, and it can
 * miss a cycle longer than 32 locks, one whose only ungated route is not the first its greedy
 * search finds, and any past its step budget (see analysis_lockorder.c).
 * Each detector has its own file (analysis_races.c, analysis_lockorder.c, analysis_deadlock.c,
 * analysis_misuse.c); this one holds the list they add to, the failed checks, and the driver. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "analysis.h"
#include "lockviz/lockviz.h"

/* A new finding of kind with payload pk and no words yet (lv_analyze renders them last). */
lv_finding *lv__add_finding(lv__flist *l, lv_finding_kind kind, lv_payload_kind pk) {
    if (l->oom) return NULL;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        lv_finding *na = realloc(l->a, cap * sizeof *na);
        if (!na) {
            l->oom = 1;
            return NULL;
        }
        l->a = na;
        l->cap = cap;
    }
    lv_finding *f = &l->a[l->n++];
    memset(f, 0, sizeof *f);
    f->kind = kind;
    f->payload = pk;
    return f;
}

void lv__put_thread(lv__flist *l, lv_finding *f, int32_t t) {
    if (!f || t == LV_NONE) return;
    for (size_t i = 0; i < f->nthreads; i++)
        if (f->threads[i] == t) return;
    int32_t *n = realloc(f->threads, (f->nthreads + 1) * sizeof *n);
    if (!n) {
        l->oom = 1;
        return;
    }
    f->threads = n;
    f->threads[f->nthreads++] = t;
}

void lv__put_object(lv__flist *l, lv_finding *f, int32_t o) {
    if (!f || o == LV_NONE) return;
    for (size_t i = 0; i < f->nobjects; i++)
        if (f->objects[i] == o) return;
    int32_t *n = realloc(f->objects, (f->nobjects + 1) * sizeof *n);
    if (!n) {
        l->oom = 1;
        return;
    }
    f->objects = n;
    f->objects[f->nobjects++] = o;
}

void lv__put_event(lv__flist *l, lv_finding *f, uint32_t seq) {
    if (!f) return;
    for (size_t i = 0; i < f->nevents; i++)
        if (f->events[i] == seq) return;
    uint32_t *n = realloc(f->events, (f->nevents + 1) * sizeof *n);
    if (!n) {
        l->oom = 1;
        return;
    }
    f->events = n;
    f->events[f->nevents++] = seq;
}

/* ---- failed checks ---- */

static void find_invariants(const lv_trace *tr, lv__flist *l) {
    for (size_t i = 0; i < tr->nevents; i++) {
        const lv_event *e = &tr->events[i];
        if (e->kind != LV_EV_NOTE || !(e->flags & LV_EVF_CHECK) || (e->flags & LV_EVF_CHECK_OK))
            continue;
        const char *text = lv_trace_text(tr, e);
        lv_finding *f = lv__add_finding(l, LV_FIND_INVARIANT, LV_PAY_INVARIANT);
        if (!f) return;
        f->data.invariant = (lv_invariant_info){e->thread, e->seq, strdup(text ? text : "")};
        if (!f->data.invariant.text) l->oom = 1;
        lv__put_thread(l, f, e->thread);
        lv__put_event(l, f, e->seq);
    }
}

static int cmp_u32(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

lv_err lv_analyze(const lv_trace *tr, lv_finding **out, size_t *n) {
    return lv_analyze_ex(tr, NULL, out, n);
}

lv_err lv_analyze_ex(const lv_trace *tr, const lv_analyze_opts *opts, lv_finding **out, size_t *n) {
    static const lv_analyze_opts defaults = {0};
    if (!opts) opts = &defaults;
    lv__flist l = {0};
    lv__find_deadlock(tr, &l);
    lv__find_races(tr, &l);
    if (!opts->no_lock_order) lv__find_lock_order(tr, &l);
    find_invariants(tr, &l);
    lv__find_misuse(tr, &l);
    for (size_t i = 0; i < l.n && !l.oom; i++) {
        /* a finding's events in trace order, and its words from its payload */
        if (l.a[i].nevents > 1) qsort(l.a[i].events, l.a[i].nevents, sizeof(uint32_t), cmp_u32);
        if (lv__finding_render(tr, &l.a[i]) != LV_OK) l.oom = 1;
    }
    if (l.oom) {
        lv_findings_free(l.a, l.n);
        *out = NULL;
        *n = 0;
        return LV_ENOMEM;
    }
    *out = l.a;
    *n = l.n;
    return LV_OK;
}

/* The copy is trace.c's; its findings are computed here, so the trace's data layer never calls
 * the analysis. */
lv_err lv_trace_prefix(const lv_trace *tr, size_t nevents, size_t nschedule, lv_trace **out) {
    lv_trace *p = NULL;
    lv_err err = lv__trace_copy_prefix(tr, nevents, nschedule, &p);
    lv_finding *f = NULL;
    size_t nf = 0;
    if (err == LV_OK) err = lv_analyze(p, &f, &nf);
    if (err != LV_OK) {
        lv_trace_free(p);
        *out = NULL;
        return err;
    }
    lv_trace_set_findings(p, f, nf);
    *out = p;
    return LV_OK;
}

void lv_findings_print(const lv_trace *tr, const lv_finding *f, size_t n, FILE *out) {
    if (n == 0) {
        fputs("findings: none\n", out);
        return;
    }
    fprintf(out, "findings: %zu\n", n);
    for (size_t i = 0; i < n; i++) {
        fprintf(out, "  [%s] %s\n", lv_finding_kind_name(f[i].kind), f[i].message);
        if (f[i].nthreads) {
            fputs("      threads:", out);
            for (size_t k = 0; k < f[i].nthreads; k++)
                fprintf(out, " %s", lv_trace_thread_name(tr, f[i].threads[k]));
            fputc('\n', out);
        }
        if (f[i].nevents) {
            fputs("      events:", out);
            for (size_t k = 0; k < f[i].nevents; k++)
                fprintf(out, " %u", f[i].events[k] + 1); /* counted from 1, as in the messages */
            fputc('\n', out);
        }
        if (f[i].detail) fprintf(out, "%s\n", f[i].detail);
    }
}
