/* The scenario picker, pure: the catalogue of scenarios the viewer is handed (it knows none
 * itself: glue.c builds the catalogue from the registry), which scenario and variant are
 * selected, what keys and clicks do to the selection, and where every row, card, chip, button
 * and line of text goes. No SDL and no drawing here: render_picker.c paints the frame. */
#ifndef LV_VIZ_PICKER_H
#define LV_VIZ_PICKER_H

#include "geom.h"

/* ---- the catalogue: strings are borrowed (the registry's static ones) ---- */

typedef struct lv_pick_variant {
    const char *name;
    const char *summary[LV_LANG__COUNT]; /* a few words */
    const char *lesson[LV_LANG__COUNT];  /* what it teaches */
    int broken;                          /* 1: meant to fail */
} lv_pick_variant;

typedef struct lv_pick_scenario {
    const char *name;
    const char *title[LV_LANG__COUNT];
    const char *source; /* where the seed notes show it */
    const lv_pick_variant *variants;
    int nvariants;
} lv_pick_scenario;

typedef struct lv_catalog {
    const lv_pick_scenario *scenarios;
    int n;
} lv_catalog;

/* ---- the state ---- */

typedef struct lv_picker {
    int open;
    int sel; /* the selected scenario */
    int var; /* the selected variant of it */
    int top; /* the first scenario row shown (kept by lv_picker_layout so sel stays in view) */
} lv_picker;

typedef enum lv_pick_key {
    LV_PK_UP, /* the scenario above */
    LV_PK_DOWN,
    LV_PK_LEFT, /* the variant before */
    LV_PK_RIGHT,
    LV_PK_HOME, /* the first scenario */
    LV_PK_END,
    LV_PK_ENTER, /* run the selection */
    LV_PK_ESCAPE /* close */
} lv_pick_key;

/* What an input asks of the viewer. */
typedef enum lv_pick_act { LV_PA_NONE, LV_PA_RUN, LV_PA_CLOSE } lv_pick_act;

/* Opens the picker with scenario and variant (names; NULL or unknown: the first) selected. */
void lv_picker_open(lv_picker *p, const lv_catalog *c, const char *scenario, const char *variant);
lv_pick_act lv_picker_key(lv_picker *p, const lv_catalog *c, lv_pick_key k);
/* Number key d (1 to 9): selects scenario d, its first variant. */
lv_pick_act lv_picker_digit(lv_picker *p, const lv_catalog *c, int d);

/* ---- the frame ---- */

#define LV_PICK_MAX_ROWS 64
#define LV_PICK_MAX_CARDS 8

enum { LV_PH_NONE, LV_PH_SCENARIO, LV_PH_VARIANT, LV_PH_VARIANT_RUN, LV_PH_RUN, LV_PH_CLOSE };

typedef struct lv_pick_hit {
    int kind;  /* LV_PH_* */
    int index; /* the scenario or variant */
} lv_pick_hit;

typedef struct lv_prow {
    int scenario;
    lv_rect r;
} lv_prow;

typedef struct lv_pcard {
    int variant;
    int broken;   /* its chip says BROKEN (else FIXED) */
    lv_rect r;    /* the whole card */
    lv_rect chip; /* broken / fixed */
    lv_rect run;  /* its own run button */
} lv_pcard;

/* A line of text: n bytes of s, drawn with its top-left at (x, y), "…" after it when elided.
 * w is its measured width (the "…" included), so tests can check it stays in its box. */
typedef struct lv_ptext {
    const char *s; /* the catalogue's, the i18n table's, or the frame's own buffers */
    size_t n;
    int x, y, w;
    uint8_t font, color, elided;
} lv_ptext;

typedef struct lv_pframe {
    double scale;
    int line_h[LV_FONT__COUNT];
    lv_rect panel;  /* the whole window */
    lv_rect bar;    /* the title bar */
    lv_rect close;  /* its close button */
    lv_rect list;   /* the scenarios, left */
    lv_rect detail; /* the selected scenario, right */
    lv_rect lesson; /* the selected variant's lesson (h 0 when there is no room) */
    lv_rect run;    /* run the selection */
    lv_prow rows[LV_PICK_MAX_ROWS];
    int nrows, hidden_above, hidden_below;
    lv_pcard cards[LV_PICK_MAX_CARDS];
    int ncards;
    lv_ptext *texts;
    size_t ntexts, captexts;
    int lesson_cut; /* the lesson did not fit: its last line ends in "…" */
    /* the frame's own strings */
    char row_info[LV_PICK_MAX_ROWS][96];
    char hint[256], from[256], lesson_title[160], run_label[192], more_above[48], more_below[48];
} lv_pframe;

/* Lays out the picker for vp's size, scale, language and fonts (vp->measure; NULL: a rough
 * estimate). Keeps p->top so the selected row is shown. Reuses f's buffers (zero f before the
 * first call). LV_ENOMEM on failure. */
lv_err lv_picker_layout(lv_pframe *f, lv_picker *p, const lv_catalog *c, const lv_viewport *vp);
void lv_pframe_free(lv_pframe *f);

lv_pick_hit lv_picker_hit(const lv_pframe *f, int x, int y);
/* A click at (x, y) on the frame last laid out; clicks >= 2 is a double click (on a card: run
 * it). A row selects its scenario, a card its variant, a run button runs, the close button
 * closes. */
lv_pick_act lv_picker_click(lv_picker *p, const lv_catalog *c, const lv_pframe *f, int x, int y,
                            int clicks);

#endif
