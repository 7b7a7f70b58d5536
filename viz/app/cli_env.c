/* The language from --lang or the locale, and the exit-time check of standard output (see
 * cli_env.h). It does not call setlocale: numbers and sorting stay in the C locale, only the
 * words change. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli_env.h"
#include "geom.h"
#include "i18n.h"

static int lang_of(const char *s, int *out) {
    if (strcmp(s, "zh") == 0)
        *out = LV_LANG_ZH;
    else if (strcmp(s, "en") == 0)
        *out = LV_LANG_EN;
    else
        return -1;
    return 0;
}

int lv_cli_lang_init(int *argc, char **argv) {
    int lang = LV_LANG_EN;
    static const char *const vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
    for (int i = 0; i < 3; i++) {
        const char *v = getenv(vars[i]);
        if (!v || !*v) continue;
        lang = strncmp(v, "zh", 2) == 0 ? LV_LANG_ZH : LV_LANG_EN;
        break;
    }
    int n = *argc, w = 1;
    for (int i = 1; i < n; i++) {
        const char *a = argv[i], *val = NULL;
        if (strcmp(a, "--") == 0) { /* the rest belongs to someone else */
            while (i < n)
                argv[w++] = argv[i++];
            break;
        }
        if (strcmp(a, "--lang") == 0) {
            if (i + 1 >= n) {
                fputs("lockviz: --lang wants zh or en (try 'lockviz --help')\n", stderr);
                return -1;
            }
            val = argv[++i];
        } else if (strncmp(a, "--lang=", 7) == 0) {
            val = a + 7;
        } else {
            argv[w++] = argv[i];
            continue;
        }
        if (lang_of(val, &lang) != 0) {
            fprintf(stderr, "lockviz: --lang must be zh or en, not '%s' (try 'lockviz --help')\n",
                    val);
            return -1;
        }
    }
    argv[w] = NULL;
    *argc = w;
    lv_lang_set_default(lang);
    return 0;
}

void lv_cli_close_stdout(void) {
    int failed_before = ferror(stdout);
    errno = 0;
    int failed_now = fclose(stdout) != 0;
    if (!failed_before && !failed_now) return;
    if (!failed_before && errno == EBADF) return; /* stdout was closed on purpose */
    int e = failed_now ? errno : 0;
    fprintf(stderr, "lockviz: cannot write to standard output%s%s\n", e ? ": " : "",
            e ? strerror(e) : "");
    _exit(2);
}

int lv_cli_ahead(const char *s) {
    static const char *const words[LV_FUTURE__COUNT] = {"shown", "faint", "hidden"};
    for (int i = 0; i < LV_FUTURE__COUNT; i++)
        if (strcmp(s, words[i]) == 0) return i;
    return -1;
}
