/* The explore job, its progress panel and its closing message (see explore_ui.h). The window's
 * thread and the job's share only the atomics below until the join; the result is written by the
 * job before it returns and read by the window after pthread_join, which orders the two. */
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "explore_ui.h"
#include "textf.h"
#include "lockviz/analysis.h"

struct lv_xjob {
    pthread_t thread;
    lv_explore_fn fn;
    void *ctx;
    const lv_trace *tr;
    atomic_size_t done, budget;
    atomic_int cancel;
    atomic_int finished;
    lv_xresult res; /* the job's until the join */
};

static int on_progress(void *pctx, size_t done, size_t budget) {
    lv_xjob *j = pctx;
    atomic_store_explicit(&j->budget, budget, memory_order_relaxed);
    atomic_store_explicit(&j->done, done, memory_order_relaxed);
    return atomic_load_explicit(&j->cancel, memory_order_relaxed);
}

static void *job_main(void *p) {
    lv_xjob *j = p;
    j->fn(j->ctx, j->tr, on_progress, j, &j->res);
    atomic_store_explicit(&j->finished, 1, memory_order_release);
    return NULL;
}

lv_xjob *lv_xjob_start(lv_explore_fn fn, void *ctx, const lv_trace *tr) {
    lv_xjob *j = calloc(1, sizeof *j);
    if (!j) return NULL;
    j->fn = fn;
    j->ctx = ctx;
    j->tr = tr;
    atomic_init(&j->done, 0);
    atomic_init(&j->budget, 0);
    atomic_init(&j->cancel, 0);
    atomic_init(&j->finished, 0);
    if (pthread_create(&j->thread, NULL, job_main, j) != 0) {
        free(j);
        return NULL;
    }
    return j;
}

int lv_xjob_done(const lv_xjob *j) {
    return atomic_load_explicit(&((lv_xjob *)j)->finished, memory_order_acquire);
}

void lv_xjob_progress(const lv_xjob *j, size_t *done, size_t *budget) {
    lv_xjob *m = (lv_xjob *)j; /* C11's atomic loads take non-const pointers */
    *done = atomic_load_explicit(&m->done, memory_order_relaxed);
    *budget = atomic_load_explicit(&m->budget, memory_order_relaxed);
}

void lv_xjob_cancel(lv_xjob *j) {
    atomic_store_explicit(&j->cancel, 1, memory_order_relaxed);
}

void lv_xjob_finish(lv_xjob *j, lv_xresult *out) {
    memset(out, 0, sizeof *out);
    if (!j) return;
    pthread_join(j->thread, NULL);
    *out = j->res;
    out->cancelled = atomic_load(&j->cancel) && !out->failing && !out->exhausted && !out->err[0];
    free(j);
}

void lv_xresult_message(const lv_xresult *r, int lang, char *buf, size_t len) {
    char a[32], b[32];
    snprintf(a, sizeof a, "%zu", r->runs);
    if (r->err[0]) {
        lv_textf(buf, len, lv_tr(lang, LV_T_XP_FAILED), r->err);
    } else if (r->failing) {
        const lv_trace *tr = r->failing;
        char line1[512], line2[1024];
        snprintf(b, sizeof b, "%zu", r->failing_run + 1);
        snprintf(line1, sizeof line1, lv_tr(lang, LV_T_XP_FOUND), b);
        if (tr->nfindings) {
            const lv_finding *f = &tr->findings[0];
            unsigned k = (unsigned)f->kind < LV_FIND__COUNT ? (unsigned)f->kind : 0;
            char *m = lv_finding_message(tr, f, lang == LV_LANG_ZH ? LV_TEXT_ZH : LV_TEXT_EN);
            lv_textf(line2, sizeof line2, lv_tr(lang, LV_T_XP_FINDING),
                     lv_tr(lang, lv_finding_words[k]), m ? m : (f->message ? f->message : ""));
            free(m);
        } else {
            lv_tr_key ok = tr->outcome == LV_OUT_DEADLOCKED ? LV_T_DEADLOCKED
                           : tr->outcome == LV_OUT_ABORTED  ? LV_T_ABORTED
                                                            : LV_T_COMPLETED;
            snprintf(line2, sizeof line2, lv_tr(lang, LV_T_XP_OUTCOME), lv_tr(lang, ok));
        }
        lv_textf(buf, len, "%s\n%s", line1, line2); /* a long Chinese finding ends in "…" */
    } else if (r->cancelled) {
        snprintf(buf, len, lv_tr(lang, LV_T_XP_CANCELLED), a);
    } else if (r->exhausted) {
        snprintf(b, sizeof b, "%d", r->bound);
        snprintf(buf, len, lv_tr(lang, LV_T_XP_NONE_ALL), a, b);
    } else {
        snprintf(buf, len, lv_tr(lang, LV_T_XP_NONE), a);
    }
}

/* ---- the progress panel ---- */

static int iround(double v) {
    return (int)lround(v);
}

static int rough_measure(void *ctx, lv_font_id font, const char *s, size_t n) {
    (void)ctx;
    (void)font;
    (void)s;
    return (int)n * 9;
}

static void line(lv_xpanel *p, const lv_viewport *vp, const char *s, int x, int y, int maxw,
                 lv_font_id font, lv_color color) {
    size_t n = strlen(s);
    lv_ptext *t = &p->lines[p->nlines++];
    *t = (lv_ptext){
        s, n, x, y, vp->measure(vp->measure_ctx, font, s, n), (uint8_t)font, (uint8_t)color, 0};
    if (t->w > maxw) {
        int ew = vp->measure(vp->measure_ctx, font, "…", strlen("…"));
        t->n = lv_fit_prefix(vp->measure, vp->measure_ctx, font, s, n, maxw - ew);
        t->w = vp->measure(vp->measure_ctx, font, s, t->n) + ew;
        t->elided = 1;
    }
}

void lv_xpanel_layout(lv_xpanel *p, lv_rect area, const lv_viewport *vp_in, const char *scenario,
                      const char *variant, size_t done, size_t budget) {
    lv_viewport vpc = *vp_in;
    const lv_viewport *vp = &vpc;
    if (!vpc.measure) vpc.measure = rough_measure;
    double sc = vp->scale > 0 ? vp->scale : lv_ui_scale(vp->w, vp->h, 1);
    int lh[LV_FONT__COUNT];
    for (int i = 0; i < LV_FONT__COUNT; i++)
        lh[i] = vp->line_h[i] > 0 ? vp->line_h[i] : iround(lv_font_px((lv_font_id)i, sc) * 1.2);
    int lang = (unsigned)vp->lang < LV_LANG__COUNT ? vp->lang : LV_LANG_EN;
    int pad = iround(18 * sc), barh = iround(26 * sc);
    p->nlines = 0;
    lv_textf(p->title, sizeof p->title, lv_tr(lang, LV_T_XP_TITLE), scenario ? scenario : "?",
             variant ? variant : "?");
    char a[32], b[32];
    snprintf(a, sizeof a, "%zu", done);
    snprintf(b, sizeof b, "%zu", budget);
    snprintf(p->count, sizeof p->count, lv_tr(lang, LV_T_XP_COUNT), a, b);
    int w = area.w - 2 * pad, want = iround(760 * sc);
    if (w > want) w = want;
    int h = pad + lh[LV_FONT_LABEL] + lh[LV_FONT_BODY] + pad / 2 + barh + pad / 2 +
            lh[LV_FONT_BODY] + pad;
    p->box = (lv_rect){area.x + (area.w - w) / 2, area.y + (area.h - h) / 2, w, h};
    if (p->box.y < area.y) p->box.y = area.y;
    int x = p->box.x + pad, iw = w - 2 * pad, y = p->box.y + pad;
    line(p, vp, p->title, x, y, iw, LV_FONT_LABEL, LV_C_TEXT);
    y += lh[LV_FONT_LABEL];
    line(p, vp, lv_tr(lang, LV_T_XP_WHAT), x, y, iw, LV_FONT_BODY, LV_C_DIM);
    y += lh[LV_FONT_BODY] + pad / 2;
    p->bar = (lv_rect){x, y, iw, barh};
    double frac = budget ? (double)done / (double)budget : 0;
    if (frac > 1) frac = 1;
    p->fill = (lv_rect){x, y, iround(frac * iw), barh};
    y += barh + pad / 2;
    const char *hint = lv_tr(lang, LV_T_XP_HINT);
    int hw = vp->measure(vp->measure_ctx, LV_FONT_BODY, hint, strlen(hint));
    line(p, vp, p->count, x, y, iw - hw - pad, LV_FONT_BODY, LV_C_TEXT);
    line(p, vp, hint, x + iw - hw, y, hw, LV_FONT_BODY, LV_C_DIM);
}
