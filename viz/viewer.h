/* The window: a resizable, high-DPI-aware SDL window that animates a trace (playhead, stepping,
 * zoom, pan, findings). Input is translated into vstate.h calls; drawing is render.c's. The
 * step-by-step calls exist so a test can push events and read the pixels back. */
#ifndef LV_VIZ_VIEWER_H
#define LV_VIZ_VIEWER_H

#include <stddef.h>
#include "vstate.h"

typedef struct lv_viewer_desc {
    int w, h;    /* window size in screen units; 0: 1280x720 */
    long at_seq; /* where the playhead starts; -1 or 0: the first event */
    int play;    /* start playing */
} lv_viewer_desc;

typedef struct lv_viewer lv_viewer;

/* Opens the window on tr (which must outlive it). SDL video must be available.
 * NULL on failure with a one-line reason in err. */
lv_viewer *lv_viewer_open(lv_trace *tr, const lv_viewer_desc *d, char *err, size_t errlen);
void lv_viewer_close(lv_viewer *v); /* accepts NULL */
/* Handles pending events, advances time by dt seconds and draws a frame (not yet shown).
 * Returns 0 when the user asked to quit, 1 otherwise. */
int lv_viewer_frame(lv_viewer *v, double dt);
void lv_viewer_present(lv_viewer *v);
/* The drawn frame's pixels as RGB (w*h*3 bytes, malloc'd) before it is presented. */
int lv_viewer_read_rgb(lv_viewer *v, unsigned char **rgb, int *w, int *h);
const lv_vstate *lv_viewer_state(const lv_viewer *v);
const lv_frame *lv_viewer_layout(const lv_viewer *v);
/* Window units -> drawing pixels (they differ on high-DPI screens). */
double lv_viewer_dpi(const lv_viewer *v);

/* Runs the window until it is closed. 0 on success, -1 with err when it cannot open. */
int lv_viewer_run(lv_trace *tr, const lv_viewer_desc *d, char *err, size_t errlen);

#endif
