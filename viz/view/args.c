/* Strict numbers and option messages for the command line (see args.h). Numbers are checked
 * by their text before strtoll/strtod see them, because those accept leading spaces, '+',
 * hex, "inf" and "nan". */
#include "args.h"
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How many bytes of s make a number of the strict syntax (0: none); frac allows a fraction
 * and an exponent. The caller checks that this is all of s. */
static size_t number_syntax(const char *s, int frac) {
    size_t i = 0;
    if (s[i] == '-') i++;
    size_t d = i;
    while (s[i] >= '0' && s[i] <= '9')
        i++;
    if (i == d) return 0;
    if (!frac) return i;
    if (s[i] == '.') {
        size_t f = ++i;
        while (s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == f) return 0;
    }
    if (s[i] == 'e' || s[i] == 'E') {
        i++;
        if (s[i] == '+' || s[i] == '-') i++;
        size_t e = i;
        while (s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == e) return 0;
    }
    return i;
}

int lv_arg_int(const char *s, int64_t lo, int64_t hi, int64_t *out) {
    size_t n = number_syntax(s, 0);
    if (!n || s[n]) return -1;
    errno = 0;
    long long v = strtoll(s, NULL, 10);
    if (errno || v < lo || v > hi) return -1;
    *out = v;
    return 0;
}

int lv_arg_real(const char *s, double *out) {
    size_t n = number_syntax(s, 1);
    if (!n || s[n]) return -1;
    errno = 0;
    double v = strtod(s, NULL);
    if (errno || !isfinite(v)) return -1;
    *out = v;
    return 0;
}

void lv_arg_option_error(const char *arg, const struct option *opts, char *buf, size_t len) {
    if (strncmp(arg, "--", 2) != 0 || !arg[2]) {
        snprintf(buf, len, "unknown option '%s'", arg);
        return;
    }
    const char *name = arg + 2, *eq = strchr(name, '=');
    size_t nlen = eq ? (size_t)(eq - name) : strlen(name);
    const struct option *exact = NULL, *one = NULL;
    int prefixes = 0;
    for (const struct option *o = opts; o->name; o++) {
        if (strncmp(o->name, name, nlen) != 0) continue;
        if (strlen(o->name) == nlen) exact = o;
        one = o;
        prefixes++;
    }
    const struct option *o = exact ? exact : prefixes == 1 ? one : NULL;
    if (o) { /* getopt_long found it: what it refused is its value */
        if (o->has_arg == required_argument && !eq)
            snprintf(buf, len, "--%s needs a value", o->name);
        else if (o->has_arg == no_argument && eq)
            snprintf(buf, len, "--%s takes no value", o->name);
        else
            snprintf(buf, len, "option '%s' was refused", arg);
        return;
    }
    if (!prefixes) {
        snprintf(buf, len, "unknown option '--%.*s'", (int)nlen, name);
        return;
    }
    size_t k = (size_t)snprintf(buf, len, "--%.*s is ambiguous: it could be ", (int)nlen, name);
    int i = 0;
    for (const struct option *p = opts; p->name && k < len; p++) {
        if (strncmp(p->name, name, nlen) != 0) continue;
        i++;
        const char *sep = i == 1 ? "" : i == prefixes ? " or " : ", ";
        k += (size_t)snprintf(buf + k, len - k, "%s--%s", sep, p->name);
    }
}

const char *lv_arg_refused(char **argv, char *buf, size_t len) {
    const char *a = argv[optind - 1];
    if (a && a[0] == '-' && (a[1] == '-' || (a[1] == optopt && !a[2]))) return a;
    snprintf(buf, len, "-%c", optopt ? optopt : '?');
    return buf;
}

int lv_getopt(int argc, char **argv, const struct option *opts, char *err, size_t errlen) {
    int li = -1;
    opterr = 0;
    int c = getopt_long(argc, argv, "h", opts, &li);
    if (c == '?' || c == ':') {
        char one[64];
        lv_arg_option_error(lv_arg_refused(argv, one, sizeof one), opts, err, errlen);
        return '?';
    }
    /* "--seed --quiet": the value is the next element, which is an option: the value is
     * missing (a value that starts with "--" can still be given as --seed=--x) */
    if (c != -1 && li >= 0 && optarg && optarg == argv[optind - 1] &&
        strncmp(optarg, "--", 2) == 0) {
        snprintf(err, errlen, "--%s needs a value (it was followed by '%s')", opts[li].name,
                 optarg);
        return '?';
    }
    return c;
}

int lv_arg_size(const char *s, int *w, int *h) {
    const char *x = strpbrk(s, "xX");
    if (!x || (size_t)(x - s) >= 16) return -1;
    char a[16];
    memcpy(a, s, (size_t)(x - s));
    a[x - s] = 0;
    int64_t va, vb;
    if (lv_arg_int(a, 200, 8192, &va) || lv_arg_int(x + 1, 150, 8192, &vb)) return -1;
    *w = (int)va;
    *h = (int)vb;
    return 0;
}
