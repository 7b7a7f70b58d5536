/* The legend of every mark on the lanes, drawn as the lanes draw it (lv_legend_rows lists
 * them, geom_lesson.c): a column of the help overlay; and the header's "holding" swatch in
 * the colours of the trace's locks. Only paints; the rows and their words come from the pure
 * layer. */
#include <string.h>
#include "render_impl.h"

static lv_rgb C(lv_color c) {
    return lv_color_rgb(c);
}

void lv__hold_swatch(lv_render *R, const lv_trace *tr, lv_rect r) {
    lv_color cols[LV_NHOLD_COLORS];
    int n = 0;
    for (size_t o = 0; tr && o < tr->nobjects && n < LV_NHOLD_COLORS; o++) {
        lv_obj_kind k = tr->objects[o].kind;
        if (k != LV_OBJ_MUTEX && k != LV_OBJ_RLOCK && k != LV_OBJ_SEMAPHORE &&
            k != LV_OBJ_BOUNDED_SEMAPHORE)
            continue;
        lv_color c = lv_hold_color((int32_t)o);
        int seen = 0;
        for (int i = 0; i < n; i++)
            seen |= cols[i] == c;
        if (!seen) cols[n++] = c;
    }
    if (!tr) /* the legend: every colour a hold can have */
        for (; n < LV_NHOLD_COLORS; n++)
            cols[n] = (lv_color)(LV_C_HOLD + n);
    if (!n) cols[n++] = LV_C_HOLD;
    for (int k = 0, x = r.x; k < n; k++) {
        int x1 = r.x + r.w * (k + 1) / n;
        lv__fill(R, (lv_rect){x, r.y, x1 - x, r.h}, C(cols[k]));
        x = x1;
    }
}

/* The glyph in a box of side u with its top-left at (x, y). */
static void glyph(lv_render *R, lv_glyph g, int x, int y, int u) {
    int cx = x + u / 2, cy = y + u / 2, r4 = lv__px(R, 4);
    switch (g) {
    case LV_GLYPH_HOLD:
        lv__hold_swatch(R, NULL, (lv_rect){x, cy - lv__px(R, 2), u, lv__px(R, 4)});
        break;
    case LV_GLYPH_COUNT: {
        lv_rect b = {x, y, u, u};
        lv__fill(R, b, C(LV_C_BG));
        lv__frame_rect(R, b, C(LV_C_HOLD), lv__px(R, 2));
        int tw = lv__measure(R, LV_FONT_NOTE, "2");
        lv__textz(R, LV_FONT_NOTE, "2", cx - tw / 2, y, C(LV_C_TEXT));
        break;
    }
    case LV_GLYPH_READ:
        lv__disc(R, cx, cy, r4, C(LV_C_TEXT));
        lv__disc(R, cx, cy, r4 - lv__px(R, 1.5), C(LV_C_BG));
        break;
    case LV_GLYPH_WRITE:
        lv__fill(R, (lv_rect){cx - r4, cy - r4, 2 * r4 + 1, 2 * r4 + 1}, C(LV_C_TEXT));
        break;
    case LV_GLYPH_STALE:
        lv__disc(R, cx, cy, lv__px(R, 9), C(LV_C_TEXT));
        lv__disc(R, cx, cy, lv__px(R, 7), C(LV_C_STALE));
        lv__disc(R, cx, cy, lv__px(R, 3), C(LV_C_TEXT));
        break;
    case LV_GLYPH_ARROW: {
        lv_rgb c = C(LV_C_HOLD);
        int h = lv__px(R, 5);
        lv__thick_line(R, x, cy, x + u - h, cy, lv__px(R, 2), c);
        lv__triangle(R, (float)(x + u), (float)cy, (float)(x + u - 2 * h), (float)(cy - h),
                     (float)(x + u - 2 * h), (float)(cy + h), c);
        break;
    }
    case LV_GLYPH_TIMEOUT: {
        int rr = lv__px(R, 6);
        lv__triangle(R, (float)(cx - rr), (float)(cy - rr), (float)(cx + rr), (float)(cy - rr),
                     (float)cx, (float)cy, C(LV_C_TEXT));
        lv__triangle(R, (float)(cx - rr), (float)(cy + rr), (float)(cx + rr), (float)(cy + rr),
                     (float)cx, (float)cy, C(LV_C_TEXT));
        break;
    }
    case LV_GLYPH_BREAK: {
        int v = lv__px(R, 5);
        lv__fill(R, (lv_rect){x, cy, u, 1}, C(LV_C_DIM));
        lv__thick_line(R, cx - 2 * v, cy + v, cx - v / 2, cy - v, lv__px(R, 2), C(LV_C_DIM));
        lv__thick_line(R, cx + v / 2, cy + v, cx + 2 * v, cy - v, lv__px(R, 2), C(LV_C_DIM));
        break;
    }
    case LV_GLYPH_GAUGE: {
        int q = u / 4;
        lv__fill(R, (lv_rect){x, y + u / 2, q, u / 2}, C(LV_C_DIM));
        lv__fill(R, (lv_rect){x + q, y + u / 4, q, 3 * u / 4}, C(LV_C_DIM));
        lv__fill(R, (lv_rect){x + 2 * q, y, q, u}, C(LV_C_BLOCKED));
        lv__fill(R, (lv_rect){x + 3 * q, y + u / 4, u - 3 * q, 3 * u / 4}, C(LV_C_DIM));
        for (int k = x; k < x + u; k += 6) /* the capacity */
            lv__fill(R, (lv_rect){k, y + u / 4, 3, 1}, C(LV_C_TEXT));
        break;
    }
    case LV_GLYPH_FINDING:
        lv__disc(R, cx, cy, lv__px(R, 9), C(LV_C_TEXT));
        lv__disc(R, cx, cy, lv__px(R, 7), C(LV_C_HIGHLIGHT));
        break;
    case LV_GLYPH_PLAYHEAD:
        lv__fill(R, (lv_rect){cx - lv__px(R, 1.5), y, lv__px(R, 3), u}, C(LV_C_PLAYHEAD));
        break;
    case LV_GLYPH_WAIT: { /* as draw_waits draws one: down from a dot, white-edged */
        int h = lv__px(R, 6);
        lv__disc(R, cx, y + lv__px(R, 3), lv__px(R, 3), C(LV_C_BLOCKED));
        lv__thick_line(R, cx, y + lv__px(R, 3), cx, y + u - 2 * h, lv__px(R, 3), C(LV_C_BLOCKED));
        lv__triangle(R, (float)cx, (float)(y + u), (float)(cx - h), (float)(y + u - 2 * h),
                     (float)(cx + h), (float)(y + u - 2 * h), C(LV_C_BLOCKED));
        break;
    }
    case LV_GLYPH_BYSTANDER:
        lv__fill(R, (lv_rect){x, y + u / 4, u, u / 2}, C(LV_C_BLOCKED));
        lv__fill(R, (lv_rect){x, y + u / 4, u, u / 8}, C(LV_C_BG));
        lv__fill(R, (lv_rect){x, y + 3 * u / 4 - u / 8, u, u / 8}, C(LV_C_BG));
        break;
    case LV_GLYPH_ANSWER:
        lv__textz(R, LV_FONT_BODY, "✓", x, y, C(LV_C_RUNNING));
        lv__textz(R, LV_FONT_BODY, "✗", x + u / 2, y, C(LV_C_BLOCKED));
        break;
    default:
        break;
    }
}

static int glyph_side(lv_render *R) {
    return lv__px(R, 22);
}

int lv__legend_width(lv_render *R, int lang) {
    int w = lv__measure(R, LV_FONT_LABEL, lv_tr(lang, LV_T_LG_TITLE)), u = glyph_side(R);
    for (int i = 0; lv_legend_rows[i].glyph != LV_GLYPH__COUNT; i++) {
        int tw =
            u + lv__px(R, 10) + lv__measure(R, LV_FONT_NOTE, lv_tr(lang, lv_legend_rows[i].words));
        if (tw > w) w = tw;
    }
    int most = lv__px(R, 380); /* longer words wrap */
    return w < most ? w : most;
}

/* Lines the words of row i take in w pixels (draw: and draws them from (x, y)). */
static int row_lines(lv_render *R, const lv_frame *f, const char *s, int x, int y, int w,
                     int draw) {
    size_t n = strlen(s);
    int lines = 0, lh = f->line_h[LV_FONT_NOTE];
    while (n > 0) {
        size_t k = lv_wrap_line(lv_fonts_measure, R->fonts, LV_FONT_NOTE, s, n, w);
        if (draw) lv__text(R, LV_FONT_NOTE, s, k, x, y + lines * lh, C(LV_C_TEXT));
        lines++;
        while (k < n && s[k] == ' ')
            k++;
        s += k;
        n -= k;
    }
    return lines ? lines : 1;
}

static int lay(lv_render *R, const lv_frame *f, int lang, int x, int y, int w, int draw) {
    int u = glyph_side(R), gap = lv__px(R, 10), lh = f->line_h[LV_FONT_NOTE], y0 = y;
    if (draw) lv__textz(R, LV_FONT_LABEL, lv_tr(lang, LV_T_LG_TITLE), x, y, C(LV_C_TEXT));
    y += f->line_h[LV_FONT_LABEL] + lv__px(R, 6);
    for (int i = 0; lv_legend_rows[i].glyph != LV_GLYPH__COUNT; i++) {
        const char *s = lv_tr(lang, lv_legend_rows[i].words);
        int lines = row_lines(R, f, s, 0, 0, w - u - gap, 0);
        int h = lines * lh > u ? lines * lh : u;
        if (draw) {
            row_lines(R, f, s, x + u + gap, y + (h - lines * lh) / 2, w - u - gap, 1);
            glyph(R, lv_legend_rows[i].glyph, x, y + (h - u) / 2, u);
        }
        y += h + lv__px(R, 4);
    }
    return y - y0;
}

int lv__legend_height(lv_render *R, const lv_frame *f, int lang, int w) {
    return lay(R, f, lang, 0, 0, w, 0);
}

void lv__draw_legend(lv_render *R, const lv_frame *f, int lang, int x, int y, int w) {
    lay(R, f, lang, x, y, w, 1);
}
