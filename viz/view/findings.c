/* The findings panel: each finding's message wrapped to the panel (verdicts first, those after
 * the playhead held back), the detail table of a deadlock beside them, and what is kept when
 * the panel is lower than they need ("+N more"). Pure. */
#include <string.h>
#include "geom.h"
#include "layout_impl.h"

static const char *detail_of(const lv_scene *s, int i) {
    return i >= 0 ? lv_scene_detail(s, (size_t)i) : NULL;
}

/* Finding i is after the playhead, and what lies there is not shown in full. */
static int finding_ahead(const lv_frame *f, const lv_scene *s, int i) {
    return f->future != LV_FUTURE_SHOW && !lv_finding_reached(s, (size_t)i, f->reveal_seq);
}

/* Lays out the findings from y = 0 in a panel of width w; returns the height it needs. */
int lv__lay_findings(lv_frame *f, const lv_scene *s, const lv_viewport *vp, int w) {
    const lv_trace *tr = s->tr;
    const lv_layout_metrics *M = &lv__metrics;
    double sc = f->scale;
    int pad = iround(M->pad * sc), lh = f->line_h[LV_FONT_BODY], mlh = f->line_h[LV_FONT_MONO];
    f->nflines = f->nfrows = 0;
    f->hidden_findings = 0;
    f->detail_finding = -1;
    f->future_findings = 0;
    for (size_t i = 0; i < tr->nfindings; i++)
        f->future_findings += (size_t)finding_ahead(f, s, (int)i);
    int dsel =
        detail_of(s, vp->highlight) && !finding_ahead(f, s, vp->highlight) ? vp->highlight : -1;
    for (size_t i = 0; dsel < 0 && i < tr->nfindings; i++)
        if (detail_of(s, (int)i) && !finding_ahead(f, s, (int)i)) dsel = (int)i;
    int dw = 0, dlines = 0;
    if (dsel >= 0) {
        const char *d = detail_of(s, dsel);
        while (*d) {
            const char *e = strchr(d, '\n');
            size_t n = e ? (size_t)(e - d) : strlen(d);
            int lw = vp->measure(vp->measure_ctx, LV_FONT_MONO, d, n);
            if (lw > dw) dw = lw;
            dlines++;
            d += n + (e ? 1 : 0);
        }
        dw += 2 * pad;
        if (dw > w / M->detail_most) dw = w / M->detail_most;
        f->detail_finding = dsel;
    }
    int chip = lv_chip_width(vp->measure, vp->measure_ctx, vp->lang) + iround(M->chip_extra * sc);
    int msg_x = pad + chip + pad;
    int msg_w = w - msg_x - pad - (dw ? dw + pad : 0);
    if (msg_w < M->message_min_w) msg_w = M->message_min_w;
    int y = pad / 2;
    for (size_t at = (size_t)(vp->finding_scroll > 0 ? vp->finding_scroll : 0); at < tr->nfindings;
         at++) {
        size_t i = lv_scene_finding_at(s, at);     /* verdicts first: never behind "+N more" */
        if (finding_ahead(f, s, (int)i)) continue; /* it shows when the playhead reaches it */
        const char *m = lv_scene_message(s, i, vp->lang);
        size_t n = strlen(m);
        int y0 = y, nl = 0;
        do {
            size_t k = lv_wrap_line(vp->measure, vp->measure_ctx, LV_FONT_BODY, m, n, msg_w);
            lv_tline *t = PUSH(f, flines, nflines, capflines);
            if (!t) return -1;
            if (vp->finding_lines > 0 && ++nl == vp->finding_lines && k < n) {
                /* the last line allowed: cut where "…" still fits after it */
                int ell = measure_str(vp, LV_FONT_BODY, "…");
                k = lv_fit_prefix(vp->measure, vp->measure_ctx, LV_FONT_BODY, m, n, msg_w - ell);
                int tw = vp->measure(vp->measure_ctx, LV_FONT_BODY, m, k);
                *t = (lv_tline){m, k, msg_x, y, LV_FONT_BODY, LV_C_TEXT};
                t = PUSH(f, flines, nflines, capflines);
                if (!t) return -1;
                *t = (lv_tline){"…", strlen("…"), msg_x + tw, y, LV_FONT_BODY, LV_C_TEXT};
                y += lh;
                break;
            }
            *t = (lv_tline){m, k, msg_x, y, LV_FONT_BODY, LV_C_TEXT};
            y += lh;
            while (k < n && (m[k] == ' ' || m[k] == '\n'))
                k++;
            m += k;
            n -= k;
        } while (n > 0);
        lv_frow *r = PUSH(f, frows, nfrows, capfrows);
        if (!r) return -1;
        *r = (lv_frow){(int)i, {pad / 2, y0, w - pad - (dw ? dw + pad : 0), y - y0}};
        y += iround(M->finding_gap * sc);
    }
    if (tr->nfindings == 0) y += lh;
    f->detail = (lv_rect){w - pad - dw, pad / 2, dw, dlines * mlh + pad};
    int need = y + pad / 2;
    if (dw && f->detail.h + pad > need) need = f->detail.h + pad;
    return need;
}

/* What the findings panel needs for all the findings, the playhead's rule aside. */
int lv__whole_findings_h(lv_frame *f, const lv_scene *s, const lv_viewport *vp, int w) {
    int keep = f->future;
    f->future = LV_FUTURE_SHOW;
    int h = lv__lay_findings(f, s, vp, w);
    f->future = keep;
    return h;
}

static size_t rows_fitting(const lv_frame *f, int top, int bottom) {
    size_t n = 0;
    while (n < f->nfrows && top + f->frows[n].r.y + f->frows[n].r.h <= bottom)
        n++;
    return n;
}

int lv__place_findings(lv_frame *f, const lv_trace *tr, int top, int bottom) {
    /* move the lines to the panel and drop what does not fit: whole findings only (the first
     * is kept even when cut), and when some are left out, the last line stays free for the
     * "+N more" hint drawn there */
    size_t keep_rows = rows_fitting(f, top, bottom);
    if (keep_rows < f->nfrows) keep_rows = rows_fitting(f, top, bottom - f->line_h[LV_FONT_NOTE]);
    if (keep_rows == 0 && f->nfrows) keep_rows = 1;
    int end = bottom; /* the kept rows' lines end here */
    if (keep_rows < f->nfrows) end = top + f->frows[keep_rows].r.y;
    if (keep_rows == 1 && f->nfrows > 1 && top + f->frows[0].r.y + f->frows[0].r.h > bottom)
        end = bottom - f->line_h[LV_FONT_NOTE];
    size_t keep_lines = 0;
    for (size_t i = 0; i < keep_rows; i++)
        f->frows[i].r.y += top;
    for (size_t i = 0; i < f->nflines; i++) {
        lv_tline *t = &f->flines[i];
        if (top + t->y + f->line_h[t->font] > (end < bottom ? end : bottom)) break;
        t->y += top;
        keep_lines++;
    }
    f->hidden_findings = f->nfrows - keep_rows;
    f->nfrows = keep_rows;
    f->nflines = keep_lines;
    f->detail.y += top;
    if (f->detail.y + f->detail.h > bottom) f->detail.h = bottom - f->detail.y;
    (void)tr;
    return 0;
}
