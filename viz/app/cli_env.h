/* What the lockviz program takes from its surroundings rather than from a command's options:
 * the language of what it prints and draws (--lang, else the locale's variables), and the
 * check that what it wrote to standard output really got there. */
#ifndef LV_VIZ_CLI_ENV_H
#define LV_VIZ_CLI_ENV_H

/* Takes `--lang zh|en` (or --lang=X) out of argv wherever it is before a `--`, else reads
 * LC_ALL, LC_MESSAGES and LANG (the first one set decides: zh... is Chinese, anything else
 * English), and makes it the language of printed output, PNGs and the window
 * (lv_lang_set_default). Returns 0, or -1 after printing a one-line error for a bad value. */
int lv_cli_lang_init(int *argc, char **argv);

/* The value of --ahead: "hidden", "faint" or "shown" as LV_FUTURE_* (geom.h), or -1. */
int lv_cli_ahead(const char *s);

/* Registered with atexit: if writing standard output failed (a full disk, a closed pipe
 * reader), says so on stderr and exits with status 2, as GNU tools do. */
void lv_cli_close_stdout(void);

#endif
