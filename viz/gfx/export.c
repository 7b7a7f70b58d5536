/* Export naming and writing for the window's E key. Names are checked with access(); between
 * the check and the write another program could take a name, which is no worse than a
 * person's own `cp` (the writes themselves are atomic renames). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "export.h"
#include "lv_png.h"

static void clean(char *dst, size_t len, const char *src) {
    size_t i = 0;
    for (; src && src[i] && i + 1 < len; i++) {
        char c = src[i];
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '_' || c == '-';
        dst[i] = ok ? c : '-';
    }
    if (i == 0 && len > 1) dst[i++] = '-';
    dst[i] = 0;
}

int lv_export_paths(const char *dir, const lv_trace *tr,
                    char paths[LV_EXPORT__COUNT][LV_EXPORT_PATH]) {
    static const char *const ext[LV_EXPORT__COUNT] = {".json", "-chrome.json", ".png"};
    char sc[128], va[128];
    clean(sc, sizeof sc, tr->scenario);
    clean(va, sizeof va, tr->variant);
    const char *sep = dir && *dir && dir[strlen(dir) - 1] != '/' ? "/" : "";
    for (int k = 1; k < 1000; k++) {
        char suffix[16] = "";
        if (k > 1) snprintf(suffix, sizeof suffix, "-%d", k);
        int taken = 0;
        for (int i = 0; i < LV_EXPORT__COUNT; i++) {
            int n = snprintf(paths[i], LV_EXPORT_PATH, "%s%slockviz-%s-%s-seed%" PRIu64 "%s%s",
                             dir ? dir : "", sep, sc, va, tr->seed, suffix, ext[i]);
            if (n < 0 || n >= LV_EXPORT_PATH) return -1;
            if (access(paths[i], F_OK) == 0) taken = 1;
        }
        if (!taken) return 0;
    }
    return -1;
}

const char *lv_export_chrome_note(const char *path) {
    static const char bad[] = ".chrome.json";
    size_t n = strlen(path), k = sizeof bad - 1;
    if (n < k || strcmp(path + n - k, bad) != 0) return NULL;
    return "speedscope takes a name ending in .chrome.json for a Chrome DevTools profile and "
           "cannot open it (Perfetto UI can); a name ending in -chrome.json opens in both";
}

int lv_export_write(const lv_trace *tr, char paths[LV_EXPORT__COUNT][LV_EXPORT_PATH],
                    const uint8_t *rgb, int w, int h, char *err, size_t errlen) {
    if (lv_trace_save(tr, paths[LV_EXPORT_NATIVE], err, errlen) != LV_OK) return -1;
    if (lv_trace_save_chrome(tr, paths[LV_EXPORT_CHROME], err, errlen) != LV_OK) return -1;
    return lv_png_write(paths[LV_EXPORT_PNG], rgb, w, h, (size_t)w * 3, err, errlen) == 0 ? 0 : -1;
}
