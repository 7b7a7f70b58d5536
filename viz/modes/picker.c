/* The scenario picker's selection, keys, clicks and layout (see picker.h). Pure: text is
 * measured through the viewport's callback and nothing is drawn here, so tests check that every
 * line stays inside its box and nothing overlaps, in both languages, without a window. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "grow.h"
#include "picker.h"
#include "textf.h"

static int iround(double v) {
    return (int)lround(v);
}

static int clampi(int v, int lo, int hi) {
    return v < lo ? lo : v > hi ? hi : v;
}

/* ---- selection ---- */

static void select_scenario(lv_picker *p, const lv_catalog *c, int i) {
    if (i < 0 || i >= c->n || i == p->sel) return;
    p->sel = i;
    p->var = 0; /* the default variant: the one that shows the problem */
}

void lv_picker_open(lv_picker *p, const lv_catalog *c, const char *scenario, const char *variant) {
    *p = (lv_picker){.open = 1};
    for (int i = 0; scenario && i < c->n; i++) {
        const lv_pick_scenario *s = &c->scenarios[i];
        if (strcmp(s->name, scenario) != 0) continue;
        p->sel = i;
        for (int j = 0; variant && j < s->nvariants; j++)
            if (strcmp(s->variants[j].name, variant) == 0) p->var = j;
        break;
    }
}

lv_pick_act lv_picker_key(lv_picker *p, const lv_catalog *c, lv_pick_key k) {
    int nv = p->sel >= 0 && p->sel < c->n ? c->scenarios[p->sel].nvariants : 0;
    switch (k) {
    case LV_PK_UP:
        select_scenario(p, c, p->sel - 1);
        break;
    case LV_PK_DOWN:
        select_scenario(p, c, p->sel + 1);
        break;
    case LV_PK_HOME:
        select_scenario(p, c, 0);
        break;
    case LV_PK_END:
        select_scenario(p, c, c->n - 1);
        break;
    case LV_PK_LEFT:
        if (p->var > 0) p->var--;
        break;
    case LV_PK_RIGHT:
        if (p->var + 1 < nv) p->var++;
        break;
    case LV_PK_ENTER:
        return nv > 0 ? LV_PA_RUN : LV_PA_NONE;
    case LV_PK_ESCAPE:
        return LV_PA_CLOSE;
    }
    return LV_PA_NONE;
}

lv_pick_act lv_picker_digit(lv_picker *p, const lv_catalog *c, int d) {
    if (d >= 1 && d <= 9) select_scenario(p, c, d - 1);
    return LV_PA_NONE;
}

/* ---- layout ---- */

static int rough_measure(void *ctx, lv_font_id font, const char *s, size_t n) {
    (void)ctx;
    (void)font;
    (void)s;
    return (int)n * 9;
}

static int measure(const lv_viewport *vp, lv_font_id font, const char *s, size_t n) {
    return vp->measure(vp->measure_ctx, font, s, n);
}

static int measure_z(const lv_viewport *vp, lv_font_id font, const char *s) {
    return measure(vp, font, s, strlen(s));
}

static lv_ptext *push_text(lv_pframe *f) {
    if (lv_grow((void **)&f->texts, &f->captexts, sizeof *f->texts, f->ntexts + 1)) return NULL;
    return &f->texts[f->ntexts++];
}

/* Cuts t to maxw with "…" after it. */
static void elide(lv_ptext *t, const lv_viewport *vp, int maxw) {
    int ew = measure_z(vp, (lv_font_id)t->font, "…");
    t->n = lv_fit_prefix(vp->measure, vp->measure_ctx, (lv_font_id)t->font, t->s, t->n, maxw - ew);
    t->w = (t->n ? measure(vp, (lv_font_id)t->font, t->s, t->n) : 0) + ew;
    t->elided = 1;
}

/* n bytes of s at (x, y), cut with "…" to maxw when they do not fit. -1: out of memory. */
static int add_text(lv_pframe *f, const lv_viewport *vp, const char *s, size_t n, int x, int y,
                    int maxw, lv_font_id font, lv_color color) {
    if (!s || n == 0 || maxw <= 0) return 0;
    lv_ptext *t = push_text(f);
    if (!t) return -1;
    *t = (lv_ptext){s, n, x, y, measure(vp, font, s, n), (uint8_t)font, (uint8_t)color, 0};
    if (t->w > maxw) elide(t, vp, maxw);
    if (t->w > maxw) f->ntexts--; /* not even "…" fits */
    return 0;
}

static int add_textz(lv_pframe *f, const lv_viewport *vp, const char *s, int x, int y, int maxw,
                     lv_font_id font, lv_color color) {
    return s ? add_text(f, vp, s, strlen(s), x, y, maxw, font, color) : 0;
}

/* s wrapped to maxw from y down, at most max_lines lines that end above bottom; when text is
 * left over, the last line ends in "…" and *cut is set. Returns the y under the last line, or
 * -1 when out of memory. */
static int add_wrapped(lv_pframe *f, const lv_viewport *vp, const char *s, int x, int y, int maxw,
                       int bottom, int max_lines, lv_font_id font, lv_color color, int *cut) {
    int lh = f->line_h[font], lines = 0;
    size_t n = s ? strlen(s) : 0;
    *cut = 0;
    if (maxw <= 0) return y;
    while (n > 0) {
        if (y + lh > bottom || lines == max_lines) {
            *cut = 1;
            if (lines) elide(&f->texts[f->ntexts - 1], vp, maxw);
            break;
        }
        size_t k = lv_wrap_line(vp->measure, vp->measure_ctx, font, s, n, maxw);
        size_t before = f->ntexts;
        if (add_text(f, vp, s, k, x, y, maxw, font, color) != 0) return -1;
        if (f->ntexts > before) lines++;
        y += lh;
        while (k < n && (s[k] == ' ' || s[k] == '\n'))
            k++;
        s += k;
        n -= k;
    }
    return y;
}

/* How many lines s takes wrapped to maxw (at most max). */
static int count_lines(const lv_viewport *vp, lv_font_id font, const char *s, int maxw, int max) {
    size_t n = s ? strlen(s) : 0;
    int lines = 0;
    while (n > 0 && lines < max && maxw > 0) {
        size_t k = lv_wrap_line(vp->measure, vp->measure_ctx, font, s, n, maxw);
        while (k < n && (s[k] == ' ' || s[k] == '\n'))
            k++;
        s += k;
        n -= k;
        lines++;
    }
    return lines ? lines : 1;
}

static const char *in_lang(const char *const *t, int lang) {
    return t[lang] && *t[lang] ? t[lang] : t[LV_LANG_EN];
}

static int lay_rows(lv_pframe *f, lv_picker *p, const lv_catalog *c, const lv_viewport *vp) {
    static const char *const digits[9] = {"1", "2", "3", "4", "5", "6", "7", "8", "9"};
    double sc = f->scale;
    int pad = iround(16 * sc), ip = iround(8 * sc), gap = iround(6 * sc);
    int lhL = f->line_h[LV_FONT_LABEL], lhN = f->line_h[LV_FONT_NOTE];
    int rh = ip + lhL + lhN + ip;
    int y0 = f->list.y + pad / 2, y1 = f->list.y + f->list.h - pad / 2;
    int vis = (y1 - y0 + gap) / (rh + gap);
    if (vis < c->n) { /* scrolling: room above and below for "+N more" */
        y0 += lhN;
        y1 -= lhN;
        vis = (y1 - y0 + gap) / (rh + gap);
    }
    vis = clampi(vis, 1, LV_PICK_MAX_ROWS);
    int top = p->top;
    if (p->sel < top) top = p->sel;
    if (p->sel >= top + vis) top = p->sel - vis + 1;
    top = clampi(top, 0, c->n > vis ? c->n - vis : 0);
    p->top = top;
    int numw = measure_z(vp, LV_FONT_LABEL, "9") + pad / 2;
    int y = y0;
    for (int i = top; i < c->n && i < top + vis; i++, y += rh + gap) {
        const lv_pick_scenario *s = &c->scenarios[i];
        lv_prow *r = &f->rows[f->nrows];
        *r = (lv_prow){i, {pad / 2, y, f->list.w - pad, rh}};
        int tx = r->r.x + ip + numw, tw = r->r.x + r->r.w - ip - tx;
        if (i < 9 && add_textz(f, vp, digits[i], r->r.x + ip, y + ip, numw, LV_FONT_LABEL,
                               i == p->sel ? LV_C_TEXT : LV_C_DIM))
            return -1;
        if (add_textz(f, vp, in_lang(s->title, vp->lang), tx, y + ip, tw, LV_FONT_LABEL, LV_C_TEXT))
            return -1;
        char nb[16];
        snprintf(nb, sizeof nb, "%d", s->nvariants);
        lv_textf(f->row_info[f->nrows], sizeof f->row_info[0], lv_tr(vp->lang, LV_T_PK_VARIANTS),
                 s->name, nb);
        if (add_textz(f, vp, f->row_info[f->nrows], tx, y + ip + lhL, tw, LV_FONT_NOTE, LV_C_DIM))
            return -1;
        f->nrows++;
    }
    f->hidden_above = top;
    f->hidden_below = c->n - top - f->nrows;
    char nb[16];
    if (f->hidden_above) {
        snprintf(nb, sizeof nb, "%d", f->hidden_above);
        snprintf(f->more_above, sizeof f->more_above, lv_tr(vp->lang, LV_T_MORE), nb);
        if (add_textz(f, vp, f->more_above, pad, y0 - lhN, f->list.w - 2 * pad, LV_FONT_NOTE,
                      LV_C_DIM))
            return -1;
    }
    if (f->hidden_below) {
        snprintf(nb, sizeof nb, "%d", f->hidden_below);
        snprintf(f->more_below, sizeof f->more_below, lv_tr(vp->lang, LV_T_MORE), nb);
        if (add_textz(f, vp, f->more_below, pad, y, f->list.w - 2 * pad, LV_FONT_NOTE, LV_C_DIM))
            return -1;
    }
    return 0;
}

static int lay_detail(lv_pframe *f, const lv_picker *p, const lv_catalog *c,
                      const lv_viewport *vp) {
    const lv_pick_scenario *s = &c->scenarios[p->sel];
    const lv_pick_variant *v = &s->variants[p->var];
    double sc = f->scale;
    int pad = iround(16 * sc), ip = iround(10 * sc), gap = iround(8 * sc), lang = vp->lang;
    int lhT = f->line_h[LV_FONT_TITLE], lhL = f->line_h[LV_FONT_LABEL];
    int lhB = f->line_h[LV_FONT_BODY], lhN = f->line_h[LV_FONT_NOTE];
    int dx = f->detail.x + pad, dw = f->detail.w - 2 * pad, y = f->detail.y + pad / 2;
    int bottom = f->detail.y + f->detail.h;

    if (add_textz(f, vp, in_lang(s->title, lang), dx, y, dw, LV_FONT_TITLE, LV_C_TEXT)) return -1;
    y += lhT;
    lv_textf(f->from, sizeof f->from, lv_tr(lang, LV_T_PK_FROM), s->source ? s->source : "");
    if (add_textz(f, vp, f->from, dx, y, dw, LV_FONT_NOTE, LV_C_DIM)) return -1;
    y += lhN + gap;

    /* the run button, bottom right: what Enter does, in words */
    lv_textf(f->run_label, sizeof f->run_label, lv_tr(lang, LV_T_PK_RUN), s->name, v->name);
    int rw = measure_z(vp, LV_FONT_LABEL, f->run_label) + 2 * pad, rbh = lhL + iround(14 * sc);
    if (rw > dw) rw = dw;
    f->run = (lv_rect){dx + dw - rw, bottom - pad / 2 - rbh, rw, rbh};
    if (add_textz(f, vp, f->run_label, f->run.x + pad, f->run.y + (rbh - lhL) / 2, rw - 2 * pad,
                  LV_FONT_LABEL, LV_C_BG))
        return -1;

    /* one card per variant: the broken / fixed chip, the name, the summary, a run button */
    const char *bw = lv_tr(lang, LV_T_PK_BROKEN), *fw = lv_tr(lang, LV_T_PK_FIXED);
    int chipw = measure_z(vp, LV_FONT_BODY, bw), t = measure_z(vp, LV_FONT_BODY, fw);
    chipw = (chipw > t ? chipw : t) + 2 * ip;
    int chiph = lhB + iround(4 * sc);
    const char *r1 = lv_tr(lang, LV_T_PK_RUN_ONE);
    int runw = measure_z(vp, LV_FONT_BODY, r1) + 2 * ip, runh = lhB + iround(12 * sc);
    int sumw = dw - 3 * ip - runw;
    for (int j = 0; j < s->nvariants && j < LV_PICK_MAX_CARDS; j++) {
        const lv_pick_variant *vj = &s->variants[j];
        const char *sum = in_lang(vj->summary, lang);
        int nl = count_lines(vp, LV_FONT_BODY, sum, sumw, 2);
        int ch = ip + lhL + iround(2 * sc) + nl * lhB + ip;
        lv_pcard *cd = &f->cards[f->ncards++];
        cd->variant = j;
        cd->broken = vj->broken != 0;
        cd->r = (lv_rect){dx, y, dw, ch};
        cd->chip = (lv_rect){dx + ip, y + ip + (lhL - chiph) / 2, chipw, chiph};
        cd->run = (lv_rect){dx + dw - ip - runw, y + (ch - runh) / 2, runw, runh};
        const char *cw = vj->broken ? bw : fw;
        int cwid = measure_z(vp, LV_FONT_BODY, cw);
        if (add_textz(f, vp, cw, cd->chip.x + (chipw - cwid) / 2, cd->chip.y + (chiph - lhB) / 2,
                      chipw, LV_FONT_BODY, LV_C_BG))
            return -1;
        int nx = cd->chip.x + chipw + ip;
        if (add_textz(f, vp, vj->name, nx, y + ip, cd->run.x - ip - nx, LV_FONT_LABEL, LV_C_TEXT))
            return -1;
        int rwid = measure_z(vp, LV_FONT_BODY, r1);
        if (add_textz(f, vp, r1, cd->run.x + (runw - rwid) / 2, cd->run.y + (runh - lhB) / 2, runw,
                      LV_FONT_BODY, LV_C_TEXT))
            return -1;
        int cut;
        if (add_wrapped(f, vp, sum, dx + ip, y + ip + lhL + iround(2 * sc), sumw, y + ch - ip + 1,
                        2, LV_FONT_BODY, LV_C_TEXT, &cut) < 0)
            return -1;
        y += ch + gap;
    }

    /* the selected variant's lesson, in the room left above the run button */
    f->lesson = (lv_rect){dx, y, dw, f->run.y - gap - y};
    if (f->lesson.h < ip + lhL + lhB + ip) {
        f->lesson.h = 0;
        return 0;
    }
    lv_textf(f->lesson_title, sizeof f->lesson_title, lv_tr(lang, LV_T_PK_LESSON), v->name);
    if (add_textz(f, vp, f->lesson_title, dx + ip, y + ip, dw - 2 * ip, LV_FONT_LABEL, LV_C_TEXT))
        return -1;
    int end = add_wrapped(f, vp, in_lang(v->lesson, lang), dx + 2 * ip, y + ip + lhL + gap / 2,
                          dw - 3 * ip, f->lesson.y + f->lesson.h - ip, 1000, LV_FONT_BODY,
                          LV_C_TEXT, &f->lesson_cut);
    if (end < 0) return -1;
    f->lesson.h = end + ip - f->lesson.y; /* as tall as its text */
    return 0;
}

lv_err lv_picker_layout(lv_pframe *f, lv_picker *p, const lv_catalog *c, const lv_viewport *vp_in) {
    lv_viewport vpc = *vp_in;
    const lv_viewport *vp = &vpc;
    if (!vpc.measure) vpc.measure = rough_measure;
    if ((unsigned)vpc.lang >= LV_LANG__COUNT) vpc.lang = LV_LANG_EN;
    double sc = vp->scale > 0 ? vp->scale : lv_ui_scale(vp->w, vp->h, 1);
    f->scale = sc;
    for (int i = 0; i < LV_FONT__COUNT; i++)
        f->line_h[i] =
            vp->line_h[i] > 0 ? vp->line_h[i] : iround(lv_font_px((lv_font_id)i, sc) * 1.2);
    f->ntexts = 0;
    f->nrows = f->ncards = f->hidden_above = f->hidden_below = f->lesson_cut = 0;
    f->lesson = f->run = (lv_rect){0, 0, 0, 0};
    p->sel = c->n ? clampi(p->sel, 0, c->n - 1) : 0;
    int nv = c->n ? c->scenarios[p->sel].nvariants : 0;
    p->var = nv ? clampi(p->var, 0, nv - 1) : 0;

    int W = vp->w, H = vp->h, pad = iround(16 * sc);
    int lhT = f->line_h[LV_FONT_TITLE], lhN = f->line_h[LV_FONT_NOTE];
    f->panel = (lv_rect){0, 0, W, H};
    int bar_h = pad / 2 + lhT + iround(2 * sc) + lhN + pad / 2;
    f->bar = (lv_rect){0, 0, W, bar_h};
    int cs = bar_h - pad;
    f->close = (lv_rect){W - pad / 2 - cs, (bar_h - cs) / 2, cs, cs};
    int tw = f->close.x - 2 * pad;
    if (add_textz(f, vp, lv_tr(vp->lang, LV_T_PK_TITLE), pad, pad / 2, tw, LV_FONT_TITLE,
                  LV_C_TEXT))
        return LV_ENOMEM;
    char nb[16];
    snprintf(nb, sizeof nb, "%d", c->n < 9 ? c->n : 9);
    snprintf(f->hint, sizeof f->hint, lv_tr(vp->lang, LV_T_PK_HINT), nb);
    if (add_textz(f, vp, f->hint, pad, pad / 2 + lhT + iround(2 * sc), tw, LV_FONT_NOTE, LV_C_DIM))
        return LV_ENOMEM;

    int lw = clampi(iround(0.34 * W), iround(240 * sc), iround(440 * sc));
    if (lw > W / 2) lw = W / 2;
    f->list = (lv_rect){0, bar_h, lw, H - bar_h};
    f->detail = (lv_rect){lw, bar_h, W - lw, H - bar_h};
    if (c->n == 0) return LV_OK;
    if (lay_rows(f, p, c, vp) != 0 || (nv > 0 && lay_detail(f, p, c, vp) != 0)) return LV_ENOMEM;
    return LV_OK;
}

void lv_pframe_free(lv_pframe *f) {
    free(f->texts);
    f->texts = NULL;
    f->ntexts = f->captexts = 0;
}

lv_pick_hit lv_picker_hit(const lv_pframe *f, int x, int y) {
    if (lv_rect_has(f->close, x, y)) return (lv_pick_hit){LV_PH_CLOSE, 0};
    if (lv_rect_has(f->run, x, y)) return (lv_pick_hit){LV_PH_RUN, 0};
    for (int i = 0; i < f->ncards; i++) {
        if (lv_rect_has(f->cards[i].run, x, y))
            return (lv_pick_hit){LV_PH_VARIANT_RUN, f->cards[i].variant};
        if (lv_rect_has(f->cards[i].r, x, y))
            return (lv_pick_hit){LV_PH_VARIANT, f->cards[i].variant};
    }
    for (int i = 0; i < f->nrows; i++)
        if (lv_rect_has(f->rows[i].r, x, y))
            return (lv_pick_hit){LV_PH_SCENARIO, f->rows[i].scenario};
    return (lv_pick_hit){LV_PH_NONE, -1};
}

lv_pick_act lv_picker_click(lv_picker *p, const lv_catalog *c, const lv_pframe *f, int x, int y,
                            int clicks) {
    lv_pick_hit h = lv_picker_hit(f, x, y);
    int nv = p->sel >= 0 && p->sel < c->n ? c->scenarios[p->sel].nvariants : 0;
    switch (h.kind) {
    case LV_PH_SCENARIO:
        select_scenario(p, c, h.index); /* a double click runs its selected variant */
        return clicks >= 2 && p->sel == h.index && c->scenarios[p->sel].nvariants > 0 ? LV_PA_RUN
                                                                                      : LV_PA_NONE;
    case LV_PH_VARIANT:
    case LV_PH_VARIANT_RUN:
        if (h.index < 0 || h.index >= nv) return LV_PA_NONE;
        p->var = h.index;
        return h.kind == LV_PH_VARIANT_RUN || clicks >= 2 ? LV_PA_RUN : LV_PA_NONE;
    case LV_PH_RUN:
        return nv > 0 ? LV_PA_RUN : LV_PA_NONE;
    case LV_PH_CLOSE:
        return LV_PA_CLOSE;
    default:
        return LV_PA_NONE;
    }
}
