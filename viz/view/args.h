/* The command line's strict reading of numbers and its messages for refused options: one
 * number syntax for every option (no sign but a leading '-', no spaces, no hex, nothing after
 * the digits) and, where getopt_long says only '?', a message that says what to fix. It does
 * not parse whole command lines: each command keeps its own getopt_long loop. */
#ifndef LV_VIZ_ARGS_H
#define LV_VIZ_ARGS_H

#include <getopt.h>
#include <stddef.h>
#include <stdint.h>

/* s as a whole number from lo to hi: an optional '-' and decimal digits, nothing else.
 * 0 and *out set, or -1 (not such a number, or out of range) with *out untouched. */
int lv_arg_int(const char *s, int64_t lo, int64_t hi, int64_t *out);

/* s as a finite decimal number: lv_arg_int's syntax, then optionally '.' and digits, then
 * optionally an exponent (e or E, an optional sign, digits). 0 and *out set, or -1. */
int lv_arg_real(const char *s, double *out);

/* s as WxH, a window's or a picture's size: W from 200 to 8192 and H from 150 to 8192, each in
 * lv_arg_int's syntax. 0 and *w, *h set, or -1. */
int lv_arg_size(const char *s, int *w, int *h);

/* What is wrong with arg, the command-line element getopt_long refused among opts (with
 * opterr = 0 it returns '?' alike for all of these): "--seed needs a value", "--headless takes
 * no value", "--s is ambiguous: it could be --set, --seed, --schedule or --scheduler",
 * "unknown option '--x'". One line, no newline, into buf (always terminated). */
void lv_arg_option_error(const char *arg, const struct option *opts, char *buf, size_t len);

/* The command-line element getopt_long has just refused: argv[optind - 1] when that is the
 * option (a long option or a lone short one), else the short option optopt inside a group,
 * written into buf as "-x". */
const char *lv_arg_refused(char **argv, char *buf, size_t len);

/* getopt_long(argc, argv, "h", opts, ...) with opterr = 0, and messages: '?' means err holds
 * one line saying what is wrong (lv_arg_option_error's, or "--seed needs a value (it was
 * followed by '--quiet')" when the next element, an option, would have been taken as the
 * value). Any other return is getopt_long's. */
int lv_getopt(int argc, char **argv, const struct option *opts, char *err, size_t errlen);

#endif
