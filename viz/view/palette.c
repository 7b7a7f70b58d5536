/* The frame's colours (a palette safe for colour-blind readers: Okabe and Ito's, and for the
 * fifth to eighth lock four dark colours apart from them, from the states' colours and from
 * the deadlock's reds, also as seen with deuteranopia or protanopia, each at least 4.5:1 on
 * white so that a thin hold line shows on a projector), the colour of each thread state and
 * lock hold, and the sizes of type for a window: the scale of the whole
 * user interface, and each font's pixels at that scale. Pure. */
#include <math.h>
#include "geom.h"
#include "layout_impl.h"

lv_rgb lv_color_rgb(lv_color c) {
    static const lv_rgb pal[LV_C__COUNT] = {
        [LV_C_BG] = {255, 255, 255},       [LV_C_PANEL] = {244, 244, 240},
        [LV_C_LANE_ALT] = {247, 247, 247}, [LV_C_TEXT] = {20, 20, 20},
        [LV_C_DIM] = {100, 100, 100},      [LV_C_RUNNING] = {0, 158, 115},    /* bluish green */
        [LV_C_BLOCKED] = {213, 94, 0},                                        /* vermillion */
        [LV_C_SLEEPING] = {86, 180, 233},                                     /* sky blue */
        [LV_C_FINISHED] = {190, 190, 190}, [LV_C_HOLD] = {0, 114, 178},       /* blue */
        [LV_C_HOLD1] = {204, 121, 167},                                       /* reddish purple */
        [LV_C_HOLD2] = {230, 159, 0},                                         /* orange */
        [LV_C_HOLD3] = {0, 0, 0},                                             /* black */
        [LV_C_HOLD4] = {51, 34, 136},                                         /* indigo */
        [LV_C_HOLD5] = {0, 110, 110},                                         /* dark cyan */
        [LV_C_HOLD6] = {136, 34, 85},                                         /* wine */
        [LV_C_HOLD7] = {119, 68, 51},                                         /* brown */
        [LV_C_PLAYHEAD] = {0, 0, 0},       [LV_C_HIGHLIGHT] = {240, 228, 66}, /* yellow */
        [LV_C_STALE] = {230, 159, 0},      [LV_C_GRID] = {215, 215, 215},
    };
    return (unsigned)c < LV_C__COUNT ? pal[c] : pal[LV_C_TEXT];
}

lv_color lv_state_color(lv_tstate s) {
    switch (s) {
    case LV_TS_RUNNING:
        return LV_C_RUNNING;
    case LV_TS_BLOCKED:
        return LV_C_BLOCKED;
    case LV_TS_SLEEPING:
        return LV_C_SLEEPING;
    case LV_TS_FINISHED:
        return LV_C_FINISHED;
    default:
        return LV_C_BG;
    }
}

lv_color lv_hold_color(int32_t obj) {
    return (lv_color)(LV_C_HOLD + (obj < 0 ? 0 : obj % LV_NHOLD_COLORS));
}

int lv_font_px(lv_font_id f, double scale) {
    static const int base[LV_FONT__COUNT] = {22, 22, 17, 16, 16};
    int px = iround(base[f] * scale);
    return px < 8 ? 8 : px;
}

double lv_ui_scale(int w, int h, double dpi_scale) {
    if (!(dpi_scale > 0)) dpi_scale = 1;
    /* sized by the window in screen units, then by the pixels per unit */
    double s = fmin(w / dpi_scale / 1280.0, h / dpi_scale / 720.0);
    /* a larger window shows more, not the same bigger: above 1280x720 the type grows with the
     * square root of the size (1.22 at 1920x1080), so more lanes, rows and notes fit */
    if (s > 1) s = sqrt(s);
    return fmax(0.6, fmin(s, 2.5)) * dpi_scale;
}
