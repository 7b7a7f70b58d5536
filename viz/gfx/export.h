/* The window's E key: the trace, its Chrome JSON and a PNG of the window, saved side by side
 * under one free name in a folder. Naming is separate from writing so tests check it alone.
 * No SDL here: the caller passes the pixels. */
#ifndef LV_VIZ_EXPORT_H
#define LV_VIZ_EXPORT_H

#include <stddef.h>
#include <stdint.h>
#include "lockviz/trace.h"

#define LV_EXPORT_PATH 1024

enum { LV_EXPORT_NATIVE, LV_EXPORT_CHROME, LV_EXPORT_PNG, LV_EXPORT__COUNT };

/* Fills paths with DIR/lockviz-SCENARIO-VARIANT-seedN.json, -chrome.json and .png (dir NULL
 * or "": the current folder, no prefix). Not ".chrome.json": speedscope takes such a name for
 * a Chrome DevTools profile and cannot open it. When any of the three exists, the stem gets -2, -3,
 * ... until none does, so one export's files share a name and nothing is overwritten.
 * Characters other than letters, digits, '_' and '-' in the names become '-'.
 * 0, or -1 when the paths would be too long or no free name was found. */
int lv_export_paths(const char *dir, const lv_trace *tr,
                    char paths[LV_EXPORT__COUNT][LV_EXPORT_PATH]);

/* The note to print when a Chrome export is given a name that a viewer will not open (a name
 * ending in ".chrome.json", which speedscope takes for a Chrome DevTools profile), or NULL. */
const char *lv_export_chrome_note(const char *path);

/* Writes the three files (each atomically): tr natively, as Chrome JSON, and the w x h RGB
 * pixels as PNG. 0, or -1 with a one-line reason (naming the file) in err. */
int lv_export_write(const lv_trace *tr, char paths[LV_EXPORT__COUNT][LV_EXPORT_PATH],
                    const uint8_t *rgb, int w, int h, char *err, size_t errlen);

#endif
