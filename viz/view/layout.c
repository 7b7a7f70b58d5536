/* The frame: where the header, the lesson panel, the timeline with its lanes, the objects and
 * the findings panel go for one viewport (lv_frame_layout), and the cache of the lanes' time
 * part, laid out again only when what it depends on changes. Pure: text is measured through
 * the viewport's callback; nothing here draws. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "grow.h"
#include "geom.h"
#include "layout_impl.h"
#include "textf.h"

const lv_layout_metrics lv__metrics = {
    .line_spacing = 1.2,
    .pad = 10,
    .header_extra = 18,
    .button_inset = 10,
    .button_gap = 4,
    .button_top = 5,
    .title_left = 5,
    .title_extra_w = 10,
    .swatch_gap = 4,
    .legend_gap = 7,
    .legend_right = 12,
    .lesson_pad = 12,
    .lesson_title_gap = 2,
    .lesson_max = 0.34,
    .axis_extra = 8,
    .lane_min_extra = 6,
    .lane_ok_band = 14,
    .lane_ok_extra = 6,
    .hold_row = 4,
    .lanes_extra = 8,
    .findings_min = 0.22,
    .findings_max = 0.45,
    .panel_most = 2,
    .table_extra = 10,
    .objects_part = 0.25,
    .objects_min = 220,
    .objects_max = 420,
    .label_min = 110,
    .label_most = 4,
    .sched_col_most = 2,
    .area_top = 4,
    .lane_max = 130,
    .lane_gap = 2,
    .band_min = 10,
    .band_max = 36,
    .hover_radius = 8,
    .chip_extra = 16,
    .finding_gap = 4,
    .message_min_w = 100,
    .detail_most = 2,
};

/* ---- the header and the lesson panel ---- */

static void lay_header(lv_frame *f, const lv_scene *s, const lv_viewport *vp) {
    const lv_trace *tr = s->tr;
    const lv_layout_metrics *M = &lv__metrics;
    double sc = f->scale;
    int pad = iround(M->pad * sc);
    int bs = f->header.h - iround(M->button_inset * sc), bstep = bs + iround(M->button_gap * sc);
    /* a row of square buttons; the picker's is the title (below), which costs no room */
    int bx = f->header.w - pad - (LV_BTN__COUNT - 2) * bstep; /* all but the picker and time */
    for (int i = 0, k = 0; i < LV_BTN__COUNT; i++)
        if (i != LV_BTN_PICKER && i != LV_BTN_TIME)
            f->buttons[i] = (lv_rect){bx + k++ * bstep, iround(M->button_top * sc), bs, bs};
    /* the legend in two rows (three swatches over two), packed close, so the title's chips
     * (outcome, seed, findings) keep their room beside the buttons */
    int sw = f->font_px[LV_FONT_NOTE], tw[5], sgap = iround(M->swatch_gap * sc),
        igap = iround(M->legend_gap * sc);
    int rowh = f->line_h[LV_FONT_NOTE], rows_h = 2 * rowh, row_w[2] = {0, 0};
    for (int i = 0; i < 5; i++) {
        tw[i] = measure_str(vp, LV_FONT_NOTE, lv_tr(vp->lang, lv_legend_words[i]));
        row_w[i >= 3] += sw + sgap + tw[i] + igap;
    }
    int lw = row_w[0] > row_w[1] ? row_w[0] : row_w[1];
    int x0 = bx - iround(M->legend_right * sc) - lw, x = x0, y0 = (f->header.h - rows_h) / 2;
    for (int i = 0; i < 5; i++) {
        if (i == 3) x = x0;
        int y = y0 + (i >= 3) * rowh + (rowh - sw) / 2;
        f->legend[i] = (lv_rect){x, y, sw, sw};
        f->legend_text_x[i] = x + sw + sgap;
        x += sw + sgap + tw[i] + igap;
    }
    if (tr->program && (!tr->variant || !*tr->variant)) /* a program run without arguments */
        lv_textf(f->title, sizeof f->title, "%s", tr->scenario ? tr->scenario : "?");
    else
        lv_textf(f->title, sizeof f->title, "%s / %s", tr->scenario ? tr->scenario : "?",
                 tr->variant ? tr->variant : "?");
    /* the title names the run shown, and a click on it chooses another (the picker) */
    int ttw = measure_str(vp, LV_FONT_TITLE, f->title), room = f->legend[0].x - 2 * pad;
    if (ttw > room) ttw = room;
    f->buttons[LV_BTN_PICKER] =
        (lv_rect){pad - iround(M->title_left * sc), iround(M->button_top * sc),
                  ttw + iround(M->title_extra_w * sc), bs};
    char a[32], b[32], tb[48];
    snprintf(a, sizeof a, "%" PRIu64, tr->seed);
    if (tr->program) /* a recorded program has no seed: the header says it was recorded */
        snprintf(f->subtitle, sizeof f->subtitle, "%s", lv_tr(vp->lang, LV_T_RECORDED));
    else if (tr->mode == LV_MODE_LIVE) /* the header is crowded: the mode when not the default */
        snprintf(f->subtitle, sizeof f->subtitle, lv_tr(vp->lang, LV_T_SUBTITLE),
                 lv_tr(vp->lang, LV_T_LIVE), a);
    else
        snprintf(f->subtitle, sizeof f->subtitle, lv_tr(vp->lang, LV_T_SEED), a);
    if (s->real && vp->seq >= 0 && (size_t)vp->seq < s->real->nevents) /* the step view */
        lv_format_ns(s->real->events[vp->seq].t - s->real->events[0].t, tb, sizeof tb);
    else
        lv_format_ns(vp->play_t - s->t_first, tb, sizeof tb);
    snprintf(a, sizeof a, "%ld", vp->seq + 1); /* numbered from 1: "event 113 of 113" */
    snprintf(b, sizeof b, "%zu", tr->nevents);
    if (vp->seq >= 0)
        lv_textf(f->status, sizeof f->status, lv_tr(vp->lang, LV_T_STATUS), a, b, tb);
    else
        snprintf(f->status, sizeof f->status, "%s", lv_tr(vp->lang, LV_T_BEFORE_FIRST));
}

/* The lesson panel: the title on one line, the text wrapped to the width, at most about a
 * third of the window; what does not fit ends in "…" (the panel is for reading, not scrolling:
 * lessons are a paragraph). */
static int lay_lesson(lv_frame *f, const lv_viewport *vp) {
    f->nllines = 0;
    f->lesson_cut = 0;
    f->lesson = (lv_rect){0, f->header.h, vp->w, 0};
    if (!vp->lesson_text || !vp->lesson_title) return 0;
    const lv_layout_metrics *M = &lv__metrics;
    double sc = f->scale;
    int pad = iround(M->lesson_pad * sc), lh = f->line_h[LV_FONT_BODY],
        th = f->line_h[LV_FONT_LABEL];
    int maxw = vp->w - 2 * pad, y = f->header.h + pad / 2;
    int bottom = f->header.h + iround(M->lesson_max * vp->h);
    lv_tline *t = PUSH(f, llines, nllines, capllines);
    if (!t) return -1;
    *t = (lv_tline){vp->lesson_title, strlen(vp->lesson_title), pad, y, LV_FONT_LABEL, LV_C_TEXT};
    y += th + iround(M->lesson_title_gap * sc);
    const char *m = vp->lesson_text;
    size_t n = strlen(m);
    while (n > 0) {
        if (y + lh > bottom) {
            f->lesson_cut = 1;
            break;
        }
        size_t k = lv_wrap_line(vp->measure, vp->measure_ctx, LV_FONT_BODY, m, n, maxw);
        t = PUSH(f, llines, nllines, capllines);
        if (!t) return -1;
        *t = (lv_tline){m, k, pad, y, LV_FONT_BODY, LV_C_TEXT};
        y += lh;
        while (k < n && (m[k] == ' ' || m[k] == '\n'))
            k++;
        m += k;
        n -= k;
    }
    f->lesson.h = y + pad / 2 - f->header.h;
    return 0;
}

static int default_measure(void *ctx, lv_font_id font, const char *s, size_t n) {
    (void)ctx;
    (void)font;
    (void)s;
    return (int)n * 9;
}

/* ---- the cache of the lanes' time part ---- */

static int rect_eq(lv_rect a, lv_rect b) {
    return a.x == b.x && a.y == b.y && a.w == b.w && a.h == b.h;
}

/* Compared field by field (not with memcmp: padding), lanes and all. */
static int memo_same(const lv_frame_memo *m, const lv_frame_memo *k, const lv_lane *lanes,
                     size_t nlanes) {
    if (!m->valid || m->serial != k->serial || m->linear != k->linear || m->lang != k->lang ||
        m->notes_shown != k->notes_shown || m->highlight != k->highlight || m->x0 != k->x0 ||
        m->x1 != k->x1 || m->line_note != k->line_note || m->d0 != k->d0 || m->d1 != k->d1 ||
        m->scale != k->scale || m->tv0 != k->tv0 || m->tv1 != k->tv1 || m->measure != k->measure ||
        m->measure_ctx != k->measure_ctx || m->nlanes != nlanes)
        return 0;
    for (size_t i = 0; i < nlanes; i++) {
        const lv_lane *a = &m->lanes[i], *b = &lanes[i];
        if (a->thread != b->thread || !rect_eq(a->r, b->r) || !rect_eq(a->notes, b->notes) ||
            !rect_eq(a->band, b->band) || !rect_eq(a->holds, b->holds) ||
            !rect_eq(a->marks, b->marks) || !rect_eq(a->label, b->label))
            return 0;
    }
    return 1;
}

/* Remembers what f's time part was laid out for (or nothing, when the copy fails). */
static void memo_save(lv_frame_memo *m, const lv_frame_memo *k, const lv_frame *f) {
    lv_lane *lanes = m->lanes;
    size_t cap = m->caplanes;
    if (lv_grow((void **)&lanes, &cap, sizeof *lanes, f->nlanes + 1)) return;
    *m = *k;
    m->lanes = lanes;
    m->caplanes = cap;
    memcpy(lanes, f->lanes, f->nlanes * sizeof *lanes);
    m->nlanes = f->nlanes;
    m->laid_out = f->laid_out;
    m->valid = 1;
}

/* ---- the whole frame ---- */

lv_err lv_frame_layout(lv_frame *f, const lv_scene *s, const lv_viewport *vp_in) {
    lv_viewport vpc = *vp_in;
    const lv_viewport *vp = &vpc;
    if (!vpc.measure) vpc.measure = default_measure;
    const lv_trace *tr = s->tr;
    const lv_layout_metrics *M = &lv__metrics;
    double sc = vp->scale > 0 ? vp->scale : lv_ui_scale(vp->w, vp->h, 1);
    f->scale = sc;
    for (int i = 0; i < LV_FONT__COUNT; i++) {
        f->font_px[i] = lv_font_px((lv_font_id)i, sc);
        f->line_h[i] = vp->line_h[i] > 0 ? vp->line_h[i] : iround(f->font_px[i] * M->line_spacing);
    }
    f->nlanes = 0;
    f->laid_out = (lv_frame_counts){0};
    f->hidden_lanes = 0;
    f->hover_seq = -1;
    f->future = vp->future > 0 && vp->future < LV_FUTURE__COUNT ? vp->future : LV_FUTURE_SHOW;
    f->reveal_seq = vp->seq;
    int W = vp->w, H = vp->h, pad = iround(M->pad * sc);

    f->header = (lv_rect){0, 0, W, f->line_h[LV_FONT_TITLE] + iround(M->header_extra * sc)};
    lay_header(f, s, vp);

    if (lay_lesson(f, vp) != 0) return LV_ENOMEM;
    int top_h = f->header.h + f->lesson.h; /* where the timeline and objects begin */

    int axis_h = f->line_h[LV_FONT_NOTE] + iround(M->axis_extra * sc);
    /* lanes: never lower than a label; comfortable with a row of notes above the band */
    int lane_min = f->line_h[LV_FONT_LABEL] + iround(M->lane_min_extra * sc);
    int lane_ok = f->line_h[LV_FONT_NOTE] + iround(M->lane_ok_band * sc) +
                  LV_HOLD_ROWS * iround(M->hold_row * sc) + iround(M->lane_ok_extra * sc);
    /* the findings panel: what it needs, within what the lanes leave */
    /* as high as the whole run's findings need, so the lanes keep still as they appear */
    int need = f->future != LV_FUTURE_SHOW ? lv__whole_findings_h(f, s, vp, W) : 0;
    int now = need < 0 ? -1 : lv__lay_findings(f, s, vp, W);
    if (now < 0) return LV_ENOMEM;
    if (now > need) need = now;
    int lanes_need = (int)tr->nthreads * lane_ok + axis_h + iround(M->lanes_extra * sc);
    int maxh = H - top_h - lanes_need;
    if (maxh < iround(M->findings_min * H)) maxh = iround(M->findings_min * H);
    if (maxh > iround(M->findings_max * H)) maxh = iround(M->findings_max * H);
    int fh = need < maxh ? need : maxh;
    /* a deadlock's table is never cut at the bottom: the panel grows for it, up to half */
    int table_h = f->detail_finding >= 0 ? f->detail.h + iround(M->table_extra * sc) : 0;
    int most = H / M->panel_most;
    if (fh < table_h) fh = table_h < most ? table_h : most;
    if (vp->findings_h > 0) fh = vp->findings_h < most ? vp->findings_h : most;
    f->findings = (lv_rect){0, H - fh, W, fh};
    lv__place_findings(f, tr, f->findings.y, H);

    int obj_w = iround(M->objects_part * W);
    if (obj_w < iround(M->objects_min * sc)) obj_w = iround(M->objects_min * sc);
    if (obj_w > iround(M->objects_max * sc)) obj_w = iround(M->objects_max * sc);
    int bar_h = vp->sched_bar_h > 0 ? vp->sched_bar_h : 0;
    int msg_h = lv__message_bar(f, vp, f->findings.y - bar_h); /* messages: a bar, not on lanes */
    f->objects = (lv_rect){W - obj_w, top_h, obj_w, f->findings.y - top_h - bar_h - msg_h};
    f->timeline = (lv_rect){0, top_h, W - obj_w, f->findings.y - top_h - bar_h - msg_h};
    f->sched_bar = (lv_rect){0, f->findings.y - bar_h, W, bar_h};

    /* the label column fits each name, and under it what the thread waits for */
    int label_w = iround(M->label_min * sc), longest = 0;
    for (size_t i = 0; i < tr->nthreads; i++) {
        int lw = measure_str(vp, LV_FONT_LABEL, tr->threads[i].name) + 2 * pad;
        int nw = measure_str(vp, LV_FONT_NOTE, tr->threads[i].name);
        if (lw > label_w) label_w = lw;
        if (nw > longest) longest = nw;
    }
    for (size_t i = 0; i < tr->nobjects; i++) {
        int nw = measure_str(vp, LV_FONT_NOTE, tr->objects[i].name);
        if (nw > longest) longest = nw;
    }
    char wf[64];
    /* with a deadlock's cycle, the longer words of its bystanders */
    snprintf(wf, sizeof wf,
             lv_tr(vp->lang, s->cycle_finding >= 0 ? LV_T_BYSTANDER : LV_T_WAITS_FOR), "");
    int sw =
        measure_str(vp, LV_FONT_NOTE, "● ") + measure_str(vp, LV_FONT_NOTE, wf) + longest + 2 * pad;
    if (sw > label_w) label_w = sw;
    if (label_w > f->timeline.w / M->label_most) label_w = f->timeline.w / M->label_most;
    if (vp->label_w > 0) label_w = vp->label_w;
    int col_w = vp->sched_col_w > 0 ? vp->sched_col_w : 0;
    if (col_w > f->timeline.w / M->sched_col_most) col_w = f->timeline.w / M->sched_col_most;
    f->axis = (lv_rect){label_w, f->timeline.y + f->timeline.h - axis_h,
                        f->timeline.w - label_w - pad - col_w, axis_h};
    f->sched_col = (lv_rect){f->timeline.w - col_w, f->timeline.y, col_w, f->timeline.h};
    int top = f->timeline.y + iround(M->area_top * sc);
    f->area = (lv_rect){label_w, top, f->axis.w, f->axis.y - top};
    lv__lesson_reserve(f, s, lane_min);
    f->x0 = f->area.x;
    f->x1 = f->area.x + f->area.w;

    /* the visible time range in display units */
    int64_t t0 = vp->t0, t1 = vp->t1;
    if (t1 <= t0) {
        t0 = s->t_first;
        t1 = s->t_end;
    }
    f->d0 = lv_scene_d(s, t0);
    f->d1 = lv_scene_d(s, t1);
    if (f->d1 <= f->d0) f->d1 = f->d0 + 1;
    int64_t tv0 = lv_frame_t(f, s, f->x0 - 1), tv1 = lv_frame_t(f, s, f->x1 + 1);

    /* lanes: as tall as fits, between lane_min and lane_max; the rest scroll */
    size_t nt = tr->nthreads;
    int first = vp->lane_scroll;
    if (first < 0 || (size_t)first >= (nt ? nt : 1)) first = 0;
    f->first_lane = first;
    int lane_max = iround(M->lane_max * sc);
    int lh = nt > (size_t)first ? f->area.h / (int)(nt - (size_t)first) : lane_max;
    if (lh > lane_max) lh = lane_max;
    if (lh < lane_min) lh = lane_min;
    size_t fit = (size_t)(f->area.h / lh);
    size_t shown = nt - (size_t)first < fit ? nt - (size_t)first : fit;
    f->hidden_lanes = nt - shown;
    if (lv_grow((void **)&f->lanes, &f->caplanes, sizeof *f->lanes, shown + 1)) return LV_ENOMEM;
    int any_holds = 0;
    for (size_t i = 0; i < s->nthreads && !any_holds; i++)
        any_holds = s->th[i].nholds > 0;
    int gap = iround(M->lane_gap * sc);
    int holds_h = any_holds ? LV_HOLD_ROWS * iround(M->hold_row * sc) : 0;
    for (size_t i = 0; i < shown; i++) {
        lv_lane *ln = &f->lanes[f->nlanes++];
        int y = f->area.y + (int)i * lh;
        ln->thread = (int32_t)(first + (int)i);
        ln->r = (lv_rect){0, y, f->x1, lh};
        int notes_h = f->line_h[LV_FONT_NOTE];
        /* predict mode: the answers' marks get a row of their own, so they cover no note */
        int marks_h = vp->predict ? f->line_h[LV_FONT_NOTE] : 0;
        int band_h = lh - marks_h - notes_h - holds_h - (marks_h ? 4 : 3) * gap;
        if (band_h < iround(M->band_min * sc)) { /* too low for a row of notes: hover shows them */
            notes_h = 0;
            band_h = lh - marks_h - holds_h - (marks_h ? 3 : 2) * gap;
        }
        if (band_h < iround(M->band_min * sc)) { /* nor for marks: they go on the band, noteless */
            marks_h = 0;
            band_h = lh - holds_h - 2 * gap;
        }
        if (band_h > iround(M->band_max * sc)) band_h = iround(M->band_max * sc);
        int used =
            marks_h + notes_h + band_h + holds_h + (notes_h ? 2 : 1) * gap + (marks_h ? gap : 0);
        int y0 = y + (lh - used) / 2;
        ln->marks = (lv_rect){f->x0, y0, f->area.w, marks_h};
        if (marks_h) y0 += marks_h + gap;
        ln->notes = (lv_rect){f->x0, y0, f->area.w, notes_h};
        ln->band = (lv_rect){f->x0, y0 + notes_h + (notes_h ? gap : 0), f->area.w, band_h};
        ln->holds = (lv_rect){f->x0, ln->band.y + band_h + gap, f->area.w, holds_h};
        ln->label = (lv_rect){pad, y, label_w - 2 * pad, lh};
    }

    /* bands, holds, notes: bounded by pixels through the column raster */
    int rw = f->area.w > 0 ? f->area.w : 1;
    size_t edges = (2 * ((size_t)rw + 1) + (size_t)rw + 5) * sizeof(int64_t);
    if (lv_grow((void **)&f->scratch, &f->capscratch, 1, edges + 2 * (size_t)rw)) return LV_ENOMEM;
    memset(f->scratch + edges, 0, 2 * (size_t)rw);
    int64_t *e64 = (int64_t *)(void *)f->scratch;
    raster r = {f->scratch + edges, f->scratch + edges + rw, rw,        e64,
                e64 + rw + 1,       e64 + 2 * (rw + 1),      f->x0 - 2, rw + 5};
    f->laid_out = (lv_frame_counts){0};
    lv_frame_memo key = {
        .valid = 1,
        .serial = s->serial,
        .linear = s->linear,
        .lang = vp->lang,
        .notes_shown = f->future == LV_FUTURE_HIDE ? (long)lv__notes_upto(s, f->reveal_seq) : -1,
        .highlight = vp->highlight,
        .x0 = f->x0,
        .x1 = f->x1,
        .line_note = f->line_h[LV_FONT_NOTE],
        .d0 = f->d0,
        .d1 = f->d1,
        .scale = sc,
        .tv0 = tv0,
        .tv1 = tv1,
        .measure = vp->measure,
        .measure_ctx = vp->measure_ctx};
    lv_frame_memo *m = &f->memo;
    if (memo_same(m, &key, f->lanes, f->nlanes)) {
        f->laid_out = m->laid_out;
    } else {
        m->valid = 0;
        if (lv__lay_time_part(f, s, vp, &r, tv0, tv1)) return LV_ENOMEM;
        memo_save(m, &key, f);
    }
    if (lv__lesson_counts(f, s, vp, tv0, tv1)) return LV_ENOMEM;
    if (vp->seq >= 0 && lv__add_mark(f, s, (uint32_t)vp->seq, LV_MARK_PLAYHEAD)) return LV_ENOMEM;

    double px = lv_frame_x(f, s, vp->play_t);
    f->playhead_x = px >= f->x0 && px <= f->x1 ? iround(px) : -1;

    if (vp->hover_x >= 0 && vp->hover_y >= 0) { /* a note's label first: its whole text */
        f->hover_seq = lv_hit_note(f, vp->hover_x, vp->hover_y);
        if (f->hover_seq < 0)
            f->hover_seq =
                lv_hit_event(f, s, vp->hover_x, vp->hover_y, iround(M->hover_radius * sc));
    }
    lv__lay_axis(f, s, vp);
    if (lv__lay_story(f, s, vp)) return LV_ENOMEM;
    return LV_OK;
}

void lv_frame_free(lv_frame *f) {
    if (!f) return;
    free(f->lanes);
    free(f->fills);
    free(f->labels);
    free(f->arrows);
    free(f->marks);
    free(f->flines);
    free(f->frows);
    free(f->llines);
    free(f->counts);
    free(f->scratch);
    free(f->memo.lanes);
    free(f->waits);
    memset(f, 0, sizeof *f);
}
