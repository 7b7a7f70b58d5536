/* The native trace reader: parses with cJSON and checks every field before anything is built,
 * so a trace that gets past it is consistent (ids exist, seqs are 0, 1, 2 ..., times never go
 * back). Errors are one line: "NAME: PLACE: PROBLEM". It does not judge what the scenario did:
 * a release by a thread that holds nothing is a valid trace, and analysis reports it. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "lockviz/lockviz.h"
#include "strbuf.h"
#include "utf8.h"

#define MAX_NUM ((double)LV_TRACE_INT_MAX) /* the largest integer a JSON double holds exactly */
#define TOP ""                             /* where: the top level, named by the key alone */

typedef struct rd {
    const char *name;
    char *err;
    size_t errlen;
    int failed;
} rd;

#define ELLIPSIS "\xe2\x80\xa6" /* U+2026 */

/* line into dst (len bytes) as one printable line of UTF-8: control characters and bytes that
 * are not UTF-8 (a file name may have them) as \xNN; a line too long for dst is cut between two
 * characters and ends in "…". */
static void put_line(char *dst, size_t len, const char *line) {
    if (!len) return;
    lv__sb b = {0};
    const unsigned char *p = (const unsigned char *)line;
    size_t n = strlen(line);
    for (size_t i = 0; i < n;) {
        size_t k = p[i] >= 0x20 && p[i] != 0x7f ? lv__utf8_len(p + i, n - i) : 0;
        if (k) {
            lv__sb_putn(&b, line + i, k);
            i += k;
        } else {
            lv__sb_printf(&b, "\\x%02x", p[i++]);
        }
    }
    const char *s = b.oom ? "out of memory" : b.s ? b.s : "";
    size_t sn = strlen(s);
    if (sn < len) {
        memcpy(dst, s, sn + 1);
    } else {
        size_t ell = len >= sizeof ELLIPSIS ? sizeof ELLIPSIS - 1 : 0;
        size_t keep = lv__utf8_cut(s, sn, len - 1 - ell);
        memcpy(dst, s, keep);
        memcpy(dst + keep, ELLIPSIS, ell);
        dst[keep + ell] = 0;
    }
    free(b.s);
}

/* "NAME: MESSAGE" into r->err: the first failure only. */
static void fail(rd *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(rd *r, const char *fmt, ...) {
    if (r->failed) return;
    r->failed = 1;
    lv__sb b = {0};
    lv__sb_puts(&b, r->name);
    lv__sb_puts(&b, ": ");
    va_list ap;
    va_start(ap, fmt);
    lv__sb_vprintf(&b, fmt, ap);
    va_end(ap);
    put_line(r->err, r->errlen, b.oom || !b.s ? "out of memory" : b.s);
    free(b.s);
}

/* A string of the file in an error message, in quotes: whole when short; a longer one (a name
 * can run to megabytes) by its first QUOTE_MAX bytes, cut between two characters, "…" and its
 * length, so the message still says what is wrong with it. */
#define QUOTE_MAX 60
typedef struct quoted {
    char s[QUOTE_MAX + 64];
} quoted;

static const char *quote(quoted *q, const char *s) {
    size_t n = strlen(s);
    if (n <= QUOTE_MAX) {
        snprintf(q->s, sizeof q->s, "\"%s\"", s);
    } else {
        size_t chars = 0;
        for (size_t i = 0; i < n; i++)
            chars += ((unsigned char)s[i] & 0xc0) != 0x80;
        snprintf(q->s, sizeof q->s, "\"%.*s" ELLIPSIS "\" (%zu characters)",
                 (int)lv__utf8_cut(s, n, QUOTE_MAX), s, chars);
    }
    return q->s;
}

/* ---- a validating scanner: finds where each JSON value starts and ends, builds nothing ----
 * It is also where strings are checked, because it sees them as written: cJSON copies raw bytes
 * as they are (invalid UTF-8 and control bytes included) and ends a string at \u0000. */

typedef struct span {
    const char *p;
    size_t n;
} span;

/* One step of the path from the top to the value being scanned: a member's key or an index. */
typedef struct pathstep {
    const char *key; /* NULL: an array element */
    size_t klen, idx;
} pathstep;

typedef struct scanner {
    const char *d;
    size_t len, pos;
    int truncated; /* it ran out of input */
    int too_deep;
    pathstep *path;    /* CJSON_NESTING_LIMIT + 1 steps, or NULL when nothing can fail */
    int bad;           /* a string's content was refused: a BAD_ code */
    size_t bad_at;     /* that byte, counted from 0 after the opening quote */
    int bad_depth;     /* how many path steps lead to the string */
    int bad_key;       /* the string is a key of the object those steps lead to */
    unsigned bad_code; /* the character or escape the problem names */
    uint64_t values;   /* JSON values scanned */
} scanner;

static void sk_ws(scanner *s) {
    while (s->pos < s->len && (s->d[s->pos] == ' ' || s->d[s->pos] == '\n' ||
                               s->d[s->pos] == '\r' || s->d[s->pos] == '\t'))
        s->pos++;
}

static int sk_hex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static unsigned hex4(const char *p) {
    unsigned v = 0;
    for (int k = 0; k < 4; k++) {
        char c = p[k];
        v = v * 16 + (unsigned)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
    }
    return v;
}

enum { BAD_NONE, BAD_CONTROL, BAD_UTF8, BAD_NUL, BAD_SURROGATE };

static int sk_bad(scanner *s, size_t start, int depth, int key, int what, unsigned code) {
    s->bad = what;
    s->bad_at = s->pos - start;
    s->bad_depth = depth;
    s->bad_key = key;
    s->bad_code = code;
    return -1;
}

/* A string at s->pos (its opening quote), as the value at depth steps, or as a key there. */
static int sk_string(scanner *s, int depth, int key) {
    size_t start = ++s->pos; /* past the opening quote */
    while (s->pos < s->len) {
        unsigned char c = (unsigned char)s->d[s->pos];
        if (c == '"') {
            s->pos++;
            return 0;
        }
        if (c < 0x20 || c == 0x7f) return sk_bad(s, start, depth, key, BAD_CONTROL, c);
        if (c >= 0x80) {
            size_t k = lv__utf8_len((const unsigned char *)s->d + s->pos, s->len - s->pos);
            if (!k) return sk_bad(s, start, depth, key, BAD_UTF8, c);
            s->pos += k;
            continue;
        }
        if (c == '\\') {
            if (++s->pos >= s->len) break;
            char e = s->d[s->pos];
            if (e == 'u') {
                for (int k = 1; k <= 4; k++) {
                    if (s->pos + (size_t)k >= s->len) {
                        s->truncated = 1;
                        return -1;
                    }
                    if (!sk_hex(s->d[s->pos + (size_t)k])) return -1;
                }
                unsigned u = hex4(s->d + s->pos + 1);
                s->pos--; /* the place named is the backslash */
                if (u == 0) return sk_bad(s, start, depth, key, BAD_NUL, u);
                if (u >= 0xdc00 && u <= 0xdfff)
                    return sk_bad(s, start, depth, key, BAD_SURROGATE, u);
                if (u >= 0xd800 && u <= 0xdbff) {
                    const char *n = s->d + s->pos + 6;
                    if (s->pos + 12 > s->len || n[0] != '\\' || n[1] != 'u' || !sk_hex(n[2]) ||
                        !sk_hex(n[3]) || !sk_hex(n[4]) || !sk_hex(n[5]) || hex4(n + 2) < 0xdc00 ||
                        hex4(n + 2) > 0xdfff)
                        return sk_bad(s, start, depth, key, BAD_SURROGATE, u);
                    s->pos += 6; /* a pair: both escapes at once */
                }
                s->pos += 6;
                continue;
            }
            if (!strchr("\"\\/bfnrt", e) || e == 0) return -1;
        }
        s->pos++;
    }
    s->truncated = 1;
    return -1;
}

static int sk_digits(scanner *s) {
    size_t start = s->pos;
    while (s->pos < s->len && s->d[s->pos] >= '0' && s->d[s->pos] <= '9')
        s->pos++;
    if (s->pos == start) {
        if (s->pos >= s->len) s->truncated = 1;
        return -1;
    }
    return 0;
}

static int sk_value(scanner *s, int depth) {
    sk_ws(s);
    if (s->pos >= s->len) {
        s->truncated = 1;
        return -1;
    }
    s->values++;
    char c = s->d[s->pos];
    if (c == '{' || c == '[') {
        char close = c == '{' ? '}' : ']';
        if (depth >= CJSON_NESTING_LIMIT) {
            s->too_deep = 1;
            return -1;
        }
        s->pos++;
        sk_ws(s);
        if (s->pos < s->len && s->d[s->pos] == close) {
            s->pos++;
            return 0;
        }
        for (size_t idx = 0;; idx++) {
            if (c == '{') {
                sk_ws(s);
                if (s->pos >= s->len) {
                    s->truncated = 1;
                    return -1;
                }
                size_t k0 = s->pos;
                if (s->d[s->pos] != '"' || sk_string(s, depth, 1) < 0) return -1;
                if (s->path) s->path[depth] = (pathstep){s->d + k0 + 1, s->pos - k0 - 2, 0};
                sk_ws(s);
                if (s->pos >= s->len) {
                    s->truncated = 1;
                    return -1;
                }
                if (s->d[s->pos] != ':') return -1;
                s->pos++;
            } else if (s->path) {
                s->path[depth] = (pathstep){NULL, 0, idx};
            }
            if (sk_value(s, depth + 1) < 0) return -1;
            sk_ws(s);
            if (s->pos >= s->len) {
                s->truncated = 1;
                return -1;
            }
            if (s->d[s->pos] == ',') {
                s->pos++;
                continue;
            }
            if (s->d[s->pos] == close) {
                s->pos++;
                return 0;
            }
            return -1;
        }
    }
    if (c == '"') return sk_string(s, depth, 0);
    static const char *const words[] = {"true", "false", "null"};
    for (int k = 0; k < 3; k++)
        if (c == words[k][0]) {
            size_t wl = strlen(words[k]);
            if (s->pos + wl > s->len) {
                s->truncated = strncmp(s->d + s->pos, words[k], s->len - s->pos) == 0;
                return -1;
            }
            if (strncmp(s->d + s->pos, words[k], wl) != 0) return -1;
            s->pos += wl;
            return 0;
        }
    if (c == '-' || (c >= '0' && c <= '9')) {
        if (c == '-') s->pos++;
        if (sk_digits(s) < 0) return -1;
        if (s->pos < s->len && s->d[s->pos] == '.') {
            s->pos++;
            if (sk_digits(s) < 0) return -1;
        }
        if (s->pos < s->len && (s->d[s->pos] == 'e' || s->d[s->pos] == 'E')) {
            s->pos++;
            if (s->pos < s->len && (s->d[s->pos] == '+' || s->d[s->pos] == '-')) s->pos++;
            if (sk_digits(s) < 0) return -1;
        }
        return 0;
    }
    return -1;
}

/* In a scanned array, the next element: s->pos is just after '[' or after the previous one. */
static int next_element(scanner *s, span *el) {
    sk_ws(s);
    if (s->pos >= s->len || s->d[s->pos] == ']') return 0;
    if (s->d[s->pos] == ',') s->pos++;
    sk_ws(s);
    size_t start = s->pos;
    if (sk_value(s, 1) < 0) return 0; /* cannot happen: the document was scanned whole */
    *el = (span){s->d + start, s->pos - start};
    return 1;
}

/* One error line for a document the scanner refused at s->pos. */
static void syntax_error(rd *r, const scanner *s) {
    size_t line = 1, col = 1;
    for (size_t k = 0; k < s->pos && k < s->len; k++) {
        if (s->d[k] == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
    }
    if (s->bad && s->path) {
        /* the place as a path, threads[2].name, from the steps that lead to the string */
        char where[256];
        size_t w = 0;
        where[0] = 0;
        for (int k = 0; k < s->bad_depth && w + 80 < sizeof where; k++) {
            const pathstep *p = &s->path[k];
            int n;
            if (p->key) /* a long key cut between two characters */
                n = snprintf(where + w, sizeof where - w, "%s%.*s%s", k ? "." : "",
                             (int)lv__utf8_cut(p->key, p->klen, 64), p->key,
                             p->klen > 64 ? ELLIPSIS : "");
            else
                n = snprintf(where + w, sizeof where - w, "[%zu]", p->idx);
            w += (size_t)n;
        }
        const char *place = w ? where : "top level";
        const char *in = s->bad_key ? ": in a key" : "";
        switch (s->bad) {
        case BAD_CONTROL:
            fail(r, "%s%s: control character U+%04X at byte %zu (a string holds it only escaped)",
                 place, in, s->bad_code, s->bad_at);
            break;
        case BAD_UTF8:
            fail(r, "%s%s: invalid UTF-8 at byte %zu", place, in, s->bad_at);
            break;
        case BAD_NUL:
            fail(r, "%s%s: \\u0000 at byte %zu (a string cannot hold U+0000)", place, in,
                 s->bad_at);
            break;
        default:
            fail(r, "%s%s: unpaired surrogate \\u%04x at byte %zu", place, in, s->bad_code,
                 s->bad_at);
            break;
        }
    } else if (s->too_deep)
        fail(r, "line %zu, column %zu: nested more than %d levels deep", line, col,
             CJSON_NESTING_LIMIT);
    else if (s->truncated)
        fail(r, "line %zu: the JSON ends too early (truncated?)", line);
    else
        fail(r, "line %zu, column %zu: not valid JSON", line, col);
}

/* Only the listed member names are allowed in obj, each at most once. */
static int only_members(rd *r, const cJSON *obj, const char *where, const char *const *allowed) {
    uint32_t seen = 0; /* a bit per allowed name: no list has more than 32 */
    for (const cJSON *m = obj->child; m; m = m->next) {
        int idx = -1;
        for (const char *const *a = allowed; *a && idx < 0; a++)
            if (m->string && strcmp(m->string, *a) == 0) idx = (int)(a - allowed);
        if (idx < 0) {
            quoted q;
            fail(r, "%s%sunknown field %s", where, *where ? ": " : "",
                 quote(&q, m->string ? m->string : ""));
            return -1;
        }
        if (seen & (1u << idx)) {
            quoted q;
            fail(r, "%s: duplicate key %s", *where ? where : "top level", quote(&q, m->string));
            return -1;
        }
        seen |= 1u << idx;
    }
    return 0;
}

static int cmp_str_ptr(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* No two members of obj have one name (for objects whose names are not a fixed list). */
static int unique_keys(rd *r, const cJSON *obj, const char *where) {
    size_t n = (size_t)cJSON_GetArraySize(obj);
    if (n < 2) return 0;
    const char **names = malloc(n * sizeof *names);
    if (!names) {
        fail(r, "out of memory");
        return -1;
    }
    size_t i = 0;
    for (const cJSON *m = obj->child; m; m = m->next)
        names[i++] = m->string ? m->string : "";
    qsort(names, n, sizeof *names, cmp_str_ptr);
    int rc = 0;
    for (i = 1; i < n && !rc; i++)
        if (strcmp(names[i - 1], names[i]) == 0) {
            quoted q;
            fail(r, "%s: duplicate key %s", where, quote(&q, names[i]));
            rc = -1;
        }
    free(names);
    return rc;
}

static const cJSON *member(rd *r, const cJSON *obj, const char *where, const char *key,
                           int required) {
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!m && required) fail(r, "%s%smissing \"%s\"", where, *where ? ": " : "", key);
    return m;
}

static int get_int(rd *r, const cJSON *obj, const char *where, const char *key, int required,
                   int64_t lo, int64_t hi, int64_t *out) {
    const cJSON *m = member(r, obj, where, key, required);
    if (!m) return required ? -1 : 0;
    if (!cJSON_IsNumber(m)) {
        fail(r, "%s%s%s: must be a number", where, *where ? "." : "", key);
        return -1;
    }
    double d = m->valuedouble;
    if (!isfinite(d) || d != floor(d) || fabs(d) > MAX_NUM) {
        fail(r, "%s%s%s: must be a whole number of at most 2^53", where, *where ? "." : "", key);
        return -1;
    }
    int64_t v = (int64_t)d;
    if (v < lo || v > hi) {
        fail(r, "%s%s%s: %lld is out of range [%lld, %lld]", where, *where ? "." : "", key,
             (long long)v, (long long)lo, (long long)hi);
        return -1;
    }
    *out = v;
    return 1;
}

static const char *get_str(rd *r, const cJSON *obj, const char *where, const char *key,
                           int required) {
    const cJSON *m = member(r, obj, where, key, required);
    if (!m) return NULL;
    if (!cJSON_IsString(m) || !m->valuestring) {
        fail(r, "%s%s%s: must be a string", where, *where ? "." : "", key);
        return NULL;
    }
    return m->valuestring;
}

static char *dupstr(rd *r, const char *s) {
    char *d = strdup(s);
    if (!d) fail(r, "out of memory");
    return d;
}

/* An array of ids, each in [0, limit). */
static int get_ids(rd *r, const cJSON *obj, const char *where, const char *key, int64_t limit,
                   const char *what, int32_t **out, size_t *n) {
    const cJSON *a = member(r, obj, where, key, 1);
    if (!a) return -1;
    if (!cJSON_IsArray(a)) {
        fail(r, "%s%s%s: must be an array", where, *where ? "." : "", key);
        return -1;
    }
    size_t cnt = (size_t)cJSON_GetArraySize(a);
    int32_t *ids = malloc((cnt ? cnt : 1) * sizeof *ids);
    if (!ids) {
        fail(r, "out of memory");
        return -1;
    }
    size_t i = 0;
    for (const cJSON *x = a->child; x; x = x->next, i++) {
        double d = cJSON_IsNumber(x) ? x->valuedouble : -1.0;
        if (!cJSON_IsNumber(x) || d != floor(d) || d < 0 || d >= (double)limit) {
            if (cJSON_IsNumber(x) && d != floor(d))
                fail(r, "%s%s%s[%zu]: %g is not a whole number (a %s id)", where, *where ? "." : "",
                     key, i, d, what);
            else if (cJSON_IsNumber(x))
                fail(r, "%s%s%s[%zu]: no %s %.0f", where, *where ? "." : "", key, i, what, d);
            else
                fail(r, "%s%s%s[%zu]: must be a %s id", where, *where ? "." : "", key, i, what);
            free(ids);
            return -1;
        }
        ids[i] = (int32_t)d;
    }
    *out = ids;
    *n = cnt;
    return 0;
}

static const char *const top_fields[] = {"format",   "version", "scenario", "mode",   "seed",
                                         "schedule", "threads", "objects",  "events", "findings",
                                         "outcome",  "dropped", "program",  "sites",  NULL};
static const char *const scen_fields[] = {"name", "variant", "params", "path", NULL};
static const char *const thread_fields[] = {"id", "name", NULL};
static const char *const obj_fields[] = {"id",      "kind", "name", "capacity",
                                         "initial", "lock", "site", NULL};
static const char *const ev_fields[] = {"seq",  "t",     "thread", "kind", "obj",   "value",
                                        "text", "check", "hold",   "site", "error", NULL};
static const char *const site_fields[] = {"id",     "file",   "line", "function",
                                          "module", "offset", NULL};
static const char *const program_fields[] = {"path", "args", "end", "status", "policy", NULL};
static const char *const finding_fields[] = {
    "kind",        "message",  "detail",     "threads", "objects",   "events", "race",
    "lost_update", "deadlock", "lock_order", "misuse",  "invariant", NULL};

/* which kinds of event must, may or must not name an object */
static int event_obj_rule(lv_event_kind k) { /* 1 must, 0 must not, 2 may */
    switch (k) {
    case LV_EV_REQUEST:
    case LV_EV_ACQUIRE:
    case LV_EV_RELEASE:
    case LV_EV_SET:
    case LV_EV_CLEAR:
    case LV_EV_NOTIFY:
    case LV_EV_READ:
    case LV_EV_WRITE:
    case LV_EV_DESTROY:
        return 1;
    case LV_EV_TIMEOUT:
        return 2; /* a join that timed out names no object */
    default:
        return 0;
    }
}

static int kind_fits_object(lv_event_kind k, lv_obj_kind o) {
    int lock = o == LV_OBJ_MUTEX || o == LV_OBJ_RLOCK;
    int sem = o == LV_OBJ_SEMAPHORE || o == LV_OBJ_BOUNDED_SEMAPHORE;
    switch (k) {
    case LV_EV_REQUEST:
    case LV_EV_ACQUIRE:
    case LV_EV_TIMEOUT:
        return lock || sem || o == LV_OBJ_EVENT || o == LV_OBJ_CONDITION || o == LV_OBJ_QUEUE ||
               o == LV_OBJ_RWLOCK || o == LV_OBJ_BARRIER;
    case LV_EV_RELEASE:
        return lock || sem || o == LV_OBJ_QUEUE || o == LV_OBJ_RWLOCK;
    case LV_EV_DESTROY:
        return lock || sem || o == LV_OBJ_CONDITION || o == LV_OBJ_RWLOCK || o == LV_OBJ_BARRIER;
    case LV_EV_SET:
    case LV_EV_CLEAR:
        return o == LV_OBJ_EVENT;
    case LV_EV_NOTIFY:
        return o == LV_OBJ_CONDITION;
    case LV_EV_READ:
        return o == LV_OBJ_VAR || o == LV_OBJ_EVENT;
    case LV_EV_WRITE:
        return o == LV_OBJ_VAR || o == LV_OBJ_GAUGE;
    default:
        return 0;
    }
}

static int value_rule(lv_event_kind k) { /* 1 must, 0 must not, 2 may */
    switch (k) {
    case LV_EV_SPAWN:
    case LV_EV_JOIN:
    case LV_EV_READ:
    case LV_EV_WRITE:
    case LV_EV_SLEEP:
    case LV_EV_NOTIFY:
        return 1;
    case LV_EV_REQUEST:
    case LV_EV_ACQUIRE:
    case LV_EV_RELEASE:
    case LV_EV_TIMEOUT:
        return 2;
    default:
        return 0;
    }
}

/* Reads and checks events[i] (e) into tr->events[i]. -1 on error (already reported). */
static int read_event(rd *r, const cJSON *e, size_t i, lv_trace *tr, int64_t *last_tp) {
    char where[64];
    int64_t last_t = *last_tp;
    snprintf(where, sizeof where, "events[%zu]", i);
    if (!cJSON_IsObject(e)) {
        fail(r, "%s: must be an object", where);
        return -1;
    }
    if (only_members(r, e, where, ev_fields)) return -1;
    lv_event *ev = &tr->events[i];
    int64_t v;
    if (get_int(r, e, where, "seq", 1, 0, UINT32_MAX, &v) < 0) return -1;
    if ((size_t)v != i) {
        fail(r, "%s.seq: is %lld, expected %zu (seqs run 0, 1, 2 ...)", where, (long long)v, i);
        return -1;
    }
    ev->seq = (uint32_t)v;
    if (get_int(r, e, where, "t", 1, 0, (int64_t)MAX_NUM, &ev->t) < 0) return -1;
    if (ev->t < last_t) {
        fail(r, "%s.t: %lld goes back in time (the event before is at %lld)", where,
             (long long)ev->t, (long long)last_t);
        return -1;
    }
    last_t = ev->t;
    const cJSON *th = member(r, e, where, "thread", 1);
    if (!th) return -1;
    if (!cJSON_IsNumber(th) || th->valuedouble != floor(th->valuedouble)) {
        fail(r, "%s.thread: must be a thread id", where);
        return -1;
    }
    if (th->valuedouble < 0 || th->valuedouble >= (double)tr->nthreads) {
        fail(r, "%s.thread: no thread %.0f", where, th->valuedouble);
        return -1;
    }
    ev->thread = (int32_t)th->valuedouble;
    const char *ks = get_str(r, e, where, "kind", 1);
    if (!ks) return -1;
    lv_event_kind k;
    if (lv_event_kind_parse(ks, &k) < 0) {
        quoted q;
        fail(r, "%s.kind: unknown event kind %s", where, quote(&q, ks));
        return -1;
    }
    ev->kind = (uint8_t)k;
    ev->obj = LV_NONE;
    const cJSON *ob = cJSON_GetObjectItemCaseSensitive(e, "obj");
    int orule = event_obj_rule(k);
    if (ob) {
        if (orule == 0) {
            fail(r, "%s.obj: a \"%s\" event names no object", where, ks);
            return -1;
        }
        if (!cJSON_IsNumber(ob) || ob->valuedouble != floor(ob->valuedouble)) {
            fail(r, "%s.obj: must be an object id", where);
            return -1;
        }
        if (ob->valuedouble < 0 || ob->valuedouble >= (double)tr->nobjects) {
            fail(r, "%s.obj: no object %.0f", where, ob->valuedouble);
            return -1;
        }
        ev->obj = (int32_t)ob->valuedouble;
        lv_obj_kind okind = tr->objects[ev->obj].kind;
        if (!kind_fits_object(k, okind)) {
            fail(r, "%s: a \"%s\" event cannot be on a %s (object %d)", where, ks,
                 lv_obj_kind_name(okind), ev->obj);
            return -1;
        }
    } else if (orule == 1) {
        fail(r, "%s: missing \"obj\" (a \"%s\" event names its object)", where, ks);
        return -1;
    }
    int vrule = value_rule(k);
    int got =
        get_int(r, e, where, "value", vrule == 1, -(int64_t)MAX_NUM, (int64_t)MAX_NUM, &ev->value);
    if (got < 0) return -1;
    if (got == 1) {
        if (vrule == 0) {
            fail(r, "%s.value: a \"%s\" event has no value", where, ks);
            return -1;
        }
        ev->flags |= LV_EVF_VALUE;
        if ((k == LV_EV_SPAWN || k == LV_EV_JOIN) &&
            (ev->value < 0 || ev->value >= (int64_t)tr->nthreads)) {
            fail(r, "%s.value: no thread %lld", where, (long long)ev->value);
            return -1;
        }
        if (k == LV_EV_TIMEOUT && ev->obj == LV_NONE &&
            (ev->value < 0 || ev->value >= (int64_t)tr->nthreads)) {
            fail(r, "%s.value: no thread %lld", where, (long long)ev->value);
            return -1;
        }
    } else if (k == LV_EV_TIMEOUT && ev->obj == LV_NONE) {
        fail(r, "%s: a timeout names its object, or the joined thread as its value", where);
        return -1;
    }
    const cJSON *tx = cJSON_GetObjectItemCaseSensitive(e, "text");
    if (k == LV_EV_NOTE) {
        const char *s = get_str(r, e, where, "text", 1);
        if (!s) return -1;
        ev->flags |= LV_EVF_TEXT;
        ev->value = (int64_t)tr->ntexts;
        tr->texts[tr->ntexts] = dupstr(r, s);
        if (!tr->texts[tr->ntexts]) return -1;
        tr->ntexts++;
    } else if (tx) {
        fail(r, "%s.text: only a note has text", where);
        return -1;
    }
    const cJSON *ck = cJSON_GetObjectItemCaseSensitive(e, "check");
    if (ck) {
        if (k != LV_EV_NOTE) {
            fail(r, "%s.check: only a note states a check", where);
            return -1;
        }
        if (!cJSON_IsBool(ck)) {
            fail(r, "%s.check: must be true or false", where);
            return -1;
        }
        ev->flags |= LV_EVF_CHECK | (cJSON_IsTrue(ck) ? LV_EVF_CHECK_OK : 0);
    }
    const cJSON *hd = cJSON_GetObjectItemCaseSensitive(e, "hold");
    int rw = ev->obj != LV_NONE && tr->objects[ev->obj].kind == LV_OBJ_RWLOCK && k != LV_EV_DESTROY;
    if (hd && !rw) {
        fail(r, "%s.hold: only an event on an rwlock has a hold", where);
        return -1;
    }
    if (rw) {
        const char *h = get_str(r, e, where, "hold", 1);
        if (!h) return -1;
        if (strcmp(h, "read") == 0) {
            ev->flags |= LV_EVF_READ;
        } else if (strcmp(h, "write") != 0) {
            fail(r, "%s.hold: must be \"read\" or \"write\", not \"%s\"", where, h);
            return -1;
        }
    }
    if (cJSON_GetObjectItemCaseSensitive(e, "error")) {
        int lockk = ev->obj != LV_NONE && (tr->objects[ev->obj].kind == LV_OBJ_MUTEX ||
                                           tr->objects[ev->obj].kind == LV_OBJ_RLOCK);
        const char *want = k == LV_EV_RELEASE ? "EPERM" : k == LV_EV_TIMEOUT ? "EDEADLK" : NULL;
        if (!want || !lockk) {
            fail(r, "%s.error: only a mutex's release or timeout has an error", where);
            return -1;
        }
        const char *es = get_str(r, e, where, "error", 1);
        if (!es) return -1;
        if (strcmp(es, want) != 0) {
            fail(r, "%s.error: a %s's error must be \"%s\", not \"%s\"", where,
                 lv_event_kind_name(k), want, es);
            return -1;
        }
        ev->flags |= LV_EVF_REFUSED;
    }
    if (cJSON_GetObjectItemCaseSensitive(e, "site")) {
        if (!tr->nsites) {
            fail(r, "%s.site: the trace has no sites", where);
            return -1;
        }
        int64_t sv;
        if (get_int(r, e, where, "site", 1, 0, (int64_t)tr->nsites - 1, &sv) < 0) return -1;
        tr->event_site[i] = (uint32_t)sv + 1;
    }
    tr->nevents++;
    *last_tp = last_t;
    return 0;
}

/* The events array is where a trace is big: each element is parsed and checked on its own and
 * freed before the next, into an array counted beforehand, so reading takes the file, the
 * event array and one small event's tree at a time. */
static void read_events(rd *r, span arr, lv_trace *tr) {
    if (arr.n == 0 || arr.p[0] != '[') {
        fail(r, "events: must be an array");
        return;
    }
    size_t n = 0;
    scanner s = {.d = arr.p, .len = arr.n, .pos = 1};
    span el;
    while (next_element(&s, &el))
        n++;
    tr->events = calloc(n ? n : 1, sizeof *tr->events);
    if (tr->events && tr->nsites && !(tr->event_site = calloc(n ? n : 1, sizeof *tr->event_site))) {
        free(tr->events);
        tr->events = NULL;
    }
    if (!tr->events) {
        fail(r, "events: out of memory: %zu events need %zu MiB", n,
             (n * sizeof *tr->events) >> 20);
        return;
    }
    size_t captexts = 0, i = 0;
    int64_t last_t = 0;
    s = (scanner){.d = arr.p, .len = arr.n, .pos = 1};
    while (!r->failed && next_element(&s, &el)) {
        if (tr->ntexts == captexts) {
            size_t cap = captexts ? captexts * 2 : 16;
            char **nt = realloc(tr->texts, cap * sizeof *nt);
            if (!nt) {
                fail(r, "out of memory");
                return;
            }
            tr->texts = nt;
            captexts = cap;
        }
        cJSON *e = cJSON_ParseWithLength(el.p, el.n);
        if (!e) {
            fail(r, "events[%zu]: not valid JSON", i);
            return;
        }
        read_event(r, e, i++, tr, &last_t);
        cJSON_Delete(e);
    }
}

/* ---- a finding's payload (optional: traces written before payloads have none) ---- */

static const char *const access_fields[] = {"thread", "seq", "kind", NULL};
static const char *const race_fields[] = {"var", "first", "second", NULL};
static const char *const lost_fields[] = {"var", "read", "lost", "overwrite", "more", NULL};
static const char *const deadlock_fields[] = {"shape", "steps", NULL};
static const char *const step_fields[] = {"thread", "holds", "acquired", "waits_for",
                                          "joins",  "at",    "held_by",  NULL};
static const char *const order_fields[] = {"edges", "more", "listed", "bound", NULL};
static const char *const edge_fields[] = {"thread", "from", "to", "acquire", "request", NULL};
static const char *const misuse_fields[] = {"rule", "thread", "obj", "seq", "holder", NULL};
static const char *const invariant_fields[] = {"thread", "seq", "text", NULL};

/* obj[key] as an object, named where.key in errors (placed in sub). */
static const cJSON *sub_object(rd *r, const cJSON *obj, const char *where, const char *key,
                               const char *const *fields, char *sub, size_t sublen) {
    const cJSON *m = member(r, obj, where, key, 1);
    if (!m) return NULL;
    snprintf(sub, sublen, "%s.%s", where, key);
    if (!cJSON_IsObject(m)) {
        fail(r, "%s: must be an object", sub);
        return NULL;
    }
    return only_members(r, m, sub, fields) ? NULL : m;
}

static int get_id(rd *r, const cJSON *obj, const char *where, const char *key, int required,
                  size_t limit, int32_t *out) {
    int64_t v = LV_NONE;
    int got = get_int(r, obj, where, key, required, 0, (int64_t)limit - 1, &v);
    if (got < 0) return -1;
    *out = got ? (int32_t)v : LV_NONE;
    return 0;
}

static int get_seq(rd *r, const cJSON *obj, const char *where, const char *key, const lv_trace *tr,
                   uint32_t *out) {
    int32_t v;
    if (get_id(r, obj, where, key, 1, tr->nevents, &v)) return -1;
    *out = (uint32_t)v;
    return 0;
}

/* An access: the event at seq must be a read or write of var by thread, of the kind given. */
static int read_access(rd *r, const cJSON *p, const char *where, const char *key,
                       const lv_trace *tr, int32_t var, lv_access *out) {
    char w[128];
    const cJSON *a = sub_object(r, p, where, key, access_fields, w, sizeof w);
    int32_t t;
    uint32_t seq;
    if (!a || get_id(r, a, w, "thread", 1, tr->nthreads, &t) || get_seq(r, a, w, "seq", tr, &seq))
        return -1;
    const char *k = get_str(r, a, w, "kind", 1);
    lv_event_kind ek;
    if (!k) return -1;
    if (lv_event_kind_parse(k, &ek) < 0 || (ek != LV_EV_READ && ek != LV_EV_WRITE)) {
        fail(r, "%s.kind: must be \"read\" or \"write\"", w);
        return -1;
    }
    const lv_event *e = &tr->events[seq];
    if (e->thread != t || e->kind != ek || e->obj != var) {
        fail(r, "%s: event %u is not a %s of object %d by thread %d", w, seq, k, var, t);
        return -1;
    }
    *out = (lv_access){t, seq, (uint8_t)ek};
    return 0;
}

static int read_deadlock(rd *r, const cJSON *p, const char *w, const lv_trace *tr,
                         lv_deadlock_info *d) {
    const char *sh = get_str(r, p, w, "shape", 1);
    if (!sh) return -1;
    if (lv_deadlock_shape_parse(sh, &d->shape) < 0) {
        quoted q;
        fail(r, "%s.shape: unknown shape %s", w, quote(&q, sh));
        return -1;
    }
    const cJSON *steps = member(r, p, w, "steps", 1);
    if (!steps) return -1;
    if (!cJSON_IsArray(steps)) {
        fail(r, "%s.steps: must be an array", w);
        return -1;
    }
    size_t n = (size_t)cJSON_GetArraySize(steps);
    if ((d->shape == LV_DL_CYCLE && n < 2) ||
        ((d->shape == LV_DL_SELF_LOCK || d->shape == LV_DL_SELF_JOIN) && n != 1)) {
        fail(r, "%s.steps: a \"%s\" deadlock cannot have %zu step(s)", w, sh, n);
        return -1;
    }
    if (n && !(d->steps = calloc(n, sizeof *d->steps))) {
        fail(r, "out of memory");
        return -1;
    }
    for (const cJSON *s = steps->child; s; s = s->next) {
        char sw[128];
        snprintf(sw, sizeof sw, "%s.steps[%zu]", w, d->nsteps);
        lv_wait_step *st = &d->steps[d->nsteps++];
        if (!cJSON_IsObject(s)) {
            fail(r, "%s: must be an object", sw);
            return -1;
        }
        if (only_members(r, s, sw, step_fields) ||
            get_id(r, s, sw, "thread", 1, tr->nthreads, &st->thread) ||
            get_id(r, s, sw, "holds", 0, tr->nobjects, &st->holds) ||
            get_id(r, s, sw, "waits_for", 0, tr->nobjects, &st->obj) ||
            get_id(r, s, sw, "joins", 0, tr->nthreads, &st->joins) ||
            get_seq(r, s, sw, "at", tr, &st->seq))
            return -1;
        if (st->holds != LV_NONE && get_seq(r, s, sw, "acquired", tr, &st->acquired)) return -1;
        if (st->holds == LV_NONE && member(r, s, sw, "acquired", 0)) {
            fail(r, "%s: \"acquired\" needs \"holds\"", sw);
            return -1;
        }
        if ((st->obj == LV_NONE) == (st->joins == LV_NONE)) {
            fail(r, "%s: needs exactly one of \"waits_for\" and \"joins\"", sw);
            return -1;
        }
        if (get_ids(r, s, sw, "held_by", (int64_t)tr->nthreads, "thread", &st->held_by,
                    &st->nheld_by))
            return -1;
    }
    return 0;
}

static int read_order(rd *r, const cJSON *p, const char *w, const lv_trace *tr, lv_order_info *o) {
    const cJSON *edges = member(r, p, w, "edges", 1);
    if (!edges) return -1;
    if (!cJSON_IsArray(edges)) {
        fail(r, "%s.edges: must be an array", w);
        return -1;
    }
    size_t n = (size_t)cJSON_GetArraySize(edges);
    if (n == 0) { /* the summary of the cycles not listed */
        int64_t more, listed, bound;
        if (get_int(r, p, w, "more", 1, 0, (int64_t)MAX_NUM, &more) < 0 ||
            get_int(r, p, w, "listed", 1, 0, UINT32_MAX, &listed) < 0 ||
            get_int(r, p, w, "bound", 1, 0, UINT32_MAX, &bound) < 0)
            return -1;
        o->more = (uint64_t)more;
        o->listed = (uint32_t)listed;
        o->bound = (uint32_t)bound;
        return 0;
    }
    if (member(r, p, w, "more", 0) || member(r, p, w, "listed", 0) || member(r, p, w, "bound", 0)) {
        fail(r, "%s: a cycle has no \"more\", \"listed\" or \"bound\"", w);
        return -1;
    }
    if (!(o->edges = calloc(n, sizeof *o->edges))) {
        fail(r, "out of memory");
        return -1;
    }
    for (const cJSON *x = edges->child; x; x = x->next) {
        char ew[128];
        snprintf(ew, sizeof ew, "%s.edges[%zu]", w, o->nedges);
        lv_order_edge *e = &o->edges[o->nedges++];
        if (!cJSON_IsObject(x)) {
            fail(r, "%s: must be an object", ew);
            return -1;
        }
        if (only_members(r, x, ew, edge_fields) ||
            get_id(r, x, ew, "thread", 1, tr->nthreads, &e->thread) ||
            get_id(r, x, ew, "from", 1, tr->nobjects, &e->from) ||
            get_id(r, x, ew, "to", 1, tr->nobjects, &e->to) ||
            get_seq(r, x, ew, "acquire", tr, &e->acquire) ||
            get_seq(r, x, ew, "request", tr, &e->request))
            return -1;
    }
    return 0;
}

static int read_misuse(rd *r, const cJSON *p, const char *w, const lv_trace *tr,
                       lv_misuse_info *m) {
    const char *rule = get_str(r, p, w, "rule", 1);
    if (!rule) return -1;
    if (lv_misuse_rule_parse(rule, &m->rule) < 0) {
        quoted q;
        fail(r, "%s.rule: unknown rule %s", w, quote(&q, rule));
        return -1;
    }
    /* a holder: always for these two; a condition wait's, when its unlock ended a hold */
    int self_join = m->rule == LV_MU_JOIN_SELF,
        other = m->rule == LV_MU_RELEASE_OTHER || m->rule == LV_MU_DESTROY_LOCKED,
        may_other = other || m->rule == LV_MU_COND_WAIT_UNLOCKED;
    if (get_id(r, p, w, "thread", 1, tr->nthreads, &m->thread) ||
        get_id(r, p, w, "obj", !self_join, tr->nobjects, &m->obj) ||
        get_seq(r, p, w, "seq", tr, &m->seq) ||
        get_id(r, p, w, "holder", other, tr->nthreads, &m->other))
        return -1;
    if ((self_join && m->obj != LV_NONE) || (!may_other && m->other != LV_NONE)) {
        fail(r, "%s: a \"%s\" misuse has no \"%s\"", w, rule, self_join ? "obj" : "holder");
        return -1;
    }
    return 0;
}

/* The payload of finding f (where: "findings[i]"), if the file has one. */
static void read_payload(rd *r, const cJSON *f, const char *where, const lv_trace *tr,
                         lv_finding *out) {
    static const struct {
        const char *key;
        lv_payload_kind pk;
        lv_finding_kind fk;
        const char *const *fields;
    } kinds[] = {{"race", LV_PAY_RACE, LV_FIND_RACE, race_fields},
                 {"lost_update", LV_PAY_LOST_UPDATE, LV_FIND_RACE, lost_fields},
                 {"deadlock", LV_PAY_DEADLOCK, LV_FIND_DEADLOCK, deadlock_fields},
                 {"lock_order", LV_PAY_LOCK_ORDER, LV_FIND_LOCK_ORDER, order_fields},
                 {"misuse", LV_PAY_MISUSE, LV_FIND_MISUSE, misuse_fields},
                 {"invariant", LV_PAY_INVARIANT, LV_FIND_INVARIANT, invariant_fields}};
    size_t which = sizeof kinds / sizeof kinds[0];
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        if (!cJSON_GetObjectItemCaseSensitive(f, kinds[k].key)) continue;
        if (kinds[k].fk != out->kind || which < sizeof kinds / sizeof kinds[0]) {
            fail(r, "%s.%s: a \"%s\" finding cannot have it", where, kinds[k].key,
                 lv_finding_kind_name(out->kind));
            return;
        }
        which = k;
    }
    if (which == sizeof kinds / sizeof kinds[0]) return;
    char w[96];
    const cJSON *p = sub_object(r, f, where, kinds[which].key, kinds[which].fields, w, sizeof w);
    if (!p) return;
    out->payload = kinds[which].pk;
    switch (out->payload) {
    case LV_PAY_RACE: {
        lv_race_info *x = &out->data.race;
        if (get_id(r, p, w, "var", 1, tr->nobjects, &x->var) ||
            read_access(r, p, w, "first", tr, x->var, &x->first) ||
            read_access(r, p, w, "second", tr, x->var, &x->second))
            return;
        break;
    }
    case LV_PAY_LOST_UPDATE: {
        lv_lost_info *x = &out->data.lost;
        int64_t more = 0;
        if (get_id(r, p, w, "var", 1, tr->nobjects, &x->var) ||
            read_access(r, p, w, "read", tr, x->var, &x->read) ||
            read_access(r, p, w, "lost", tr, x->var, &x->lost) ||
            read_access(r, p, w, "overwrite", tr, x->var, &x->overwrite) ||
            get_int(r, p, w, "more", 1, 0, (int64_t)MAX_NUM, &more) < 0)
            return;
        x->more = (uint64_t)more;
        break;
    }
    case LV_PAY_DEADLOCK:
        read_deadlock(r, p, w, tr, &out->data.deadlock);
        break;
    case LV_PAY_LOCK_ORDER:
        read_order(r, p, w, tr, &out->data.order);
        break;
    case LV_PAY_MISUSE:
        read_misuse(r, p, w, tr, &out->data.misuse);
        break;
    case LV_PAY_INVARIANT: {
        lv_invariant_info *x = &out->data.invariant;
        const char *t;
        if (get_id(r, p, w, "thread", 1, tr->nthreads, &x->thread) ||
            get_seq(r, p, w, "seq", tr, &x->seq) || !(t = get_str(r, p, w, "text", 1)))
            return;
        x->text = dupstr(r, t);
        break;
    }
    default:
        break;
    }
}

/* The schedule is read from the text like the events: a long controlled run has millions of
 * choice points, which as cJSON nodes would take 16 times the memory of the ids. */
static void read_schedule(rd *r, span arr, lv_trace *tr) {
    if (arr.n == 0 || arr.p[0] != '[') {
        fail(r, "schedule: must be an array");
        return;
    }
    size_t n = 0;
    scanner s = {.d = arr.p, .len = arr.n, .pos = 1};
    span el;
    while (next_element(&s, &el))
        n++;
    if (n > LV_TRACE_MAX_SCHEDULE) {
        fail(r, "schedule: %zu entries, more than the %d a trace may have", n,
             LV_TRACE_MAX_SCHEDULE);
        return;
    }
    tr->schedule = malloc((n ? n : 1) * sizeof *tr->schedule);
    if (!tr->schedule) {
        fail(r, "out of memory: a schedule of %zu entries", n);
        return;
    }
    s = (scanner){.d = arr.p, .len = arr.n, .pos = 1};
    for (size_t i = 0; next_element(&s, &el); i++) {
        char tok[40];
        int num = el.p[0] == '-' || (el.p[0] >= '0' && el.p[0] <= '9');
        if (!num || el.n >= sizeof tok) {
            fail(r, "schedule[%zu]: must be a thread id", i);
            return;
        }
        memcpy(tok, el.p, el.n);
        tok[el.n] = 0;
        double d = strtod(tok, NULL);
        if (d != floor(d)) {
            fail(r, "schedule[%zu]: %s is not a whole number (a thread id)", i, tok);
            return;
        }
        if (d < 0 || d >= (double)tr->nthreads) {
            fail(r, "schedule[%zu]: no thread %s", i, tok);
            return;
        }
        tr->schedule[tr->nschedule++] = (int32_t)d;
    }
}

static void read_findings(rd *r, const cJSON *arr, lv_trace *tr) {
    size_t n = (size_t)cJSON_GetArraySize(arr);
    tr->findings = calloc(n ? n : 1, sizeof *tr->findings);
    if (!tr->findings) {
        fail(r, "out of memory");
        return;
    }
    char where[64];
    size_t i = 0;
    for (const cJSON *f = arr->child; f && !r->failed; f = f->next, i++) {
        snprintf(where, sizeof where, "findings[%zu]", i);
        if (!cJSON_IsObject(f)) {
            fail(r, "%s: must be an object", where);
            return;
        }
        if (only_members(r, f, where, finding_fields)) return;
        lv_finding *out = &tr->findings[tr->nfindings++];
        const char *ks = get_str(r, f, where, "kind", 1);
        if (!ks) return;
        if (lv_finding_kind_parse(ks, &out->kind) < 0) {
            quoted q;
            fail(r, "%s.kind: unknown finding kind %s", where, quote(&q, ks));
            return;
        }
        const char *msg = get_str(r, f, where, "message", 1);
        if (!msg || !(out->message = dupstr(r, msg))) return;
        if (cJSON_GetObjectItemCaseSensitive(f, "detail")) {
            const char *d = get_str(r, f, where, "detail", 1);
            if (!d || !(out->detail = dupstr(r, d))) return;
        }
        if (get_ids(r, f, where, "threads", (int64_t)tr->nthreads, "thread", &out->threads,
                    &out->nthreads) ||
            get_ids(r, f, where, "objects", (int64_t)tr->nobjects, "object", &out->objects,
                    &out->nobjects))
            return;
        int32_t *evs = NULL;
        size_t nev = 0;
        if (get_ids(r, f, where, "events", (int64_t)tr->nevents, "event", &evs, &nev)) return;
        out->events = (uint32_t *)evs; /* same size; every id checked >= 0 */
        out->nevents = nev;
        read_payload(r, f, where, tr, out);
    }
}

/* "sites": the call sites of a recorded program (optional). */
static void read_sites(rd *r, const cJSON *arr, lv_trace *tr) {
    if (!arr) return;
    if (!cJSON_IsArray(arr)) {
        fail(r, "sites: must be an array");
        return;
    }
    size_t n = (size_t)cJSON_GetArraySize(arr);
    if (!n) return;
    if (n > LV_TRACE_MAX_OBJECTS) {
        fail(r, "sites: %zu sites, more than the %d a trace may have", n, LV_TRACE_MAX_OBJECTS);
        return;
    }
    if (!(tr->sites = calloc(n, sizeof *tr->sites))) {
        fail(r, "out of memory");
        return;
    }
    char where[64];
    size_t i = 0;
    for (const cJSON *o = arr->child; o; o = o->next, i++) {
        snprintf(where, sizeof where, "sites[%zu]", i);
        if (!cJSON_IsObject(o)) {
            fail(r, "%s: must be an object", where);
            return;
        }
        if (only_members(r, o, where, site_fields)) return;
        lv_site *st = &tr->sites[i];
        tr->nsites++;
        int64_t id;
        if (get_int(r, o, where, "id", 1, 0, INT32_MAX, &id) < 0) return;
        if ((size_t)id != i) {
            fail(r, "%s.id: is %lld, expected %zu (site ids run 0, 1, 2 ...)", where, (long long)id,
                 i);
            return;
        }
        static const char *const keys[] = {"file", "function", "module"};
        char **dst[] = {&st->file, &st->function, &st->module};
        for (int k = 0; k < 3; k++) {
            if (!cJSON_GetObjectItemCaseSensitive(o, keys[k])) continue;
            const char *v = get_str(r, o, where, keys[k], 1);
            if (!v || !(*dst[k] = dupstr(r, v))) return;
        }
        int got = get_int(r, o, where, "line", 0, 1, (int64_t)MAX_NUM, &st->line);
        if (got < 0) return;
        if ((got == 1) != (st->file != NULL)) {
            fail(r, "%s: \"file\" and \"line\" come together", where);
            return;
        }
        int64_t off = 0;
        if (get_int(r, o, where, "offset", 0, 0, (int64_t)MAX_NUM, &off) < 0) return;
        st->offset = (uint64_t)off;
    }
}

/* "program": what a recorded run ran and how it ended (optional). */
static void read_program(rd *r, const cJSON *p, lv_trace *tr) {
    if (!p) return;
    if (!cJSON_IsObject(p)) {
        fail(r, "program: must be an object");
        return;
    }
    if (only_members(r, p, "program", program_fields)) return;
    if (!(tr->program = calloc(1, sizeof *tr->program))) {
        fail(r, "out of memory");
        return;
    }
    lv_program *pg = tr->program;
    const char *s = get_str(r, p, "program", "path", 1);
    if (!s || !(pg->path = dupstr(r, s))) return;
    const cJSON *args = member(r, p, "program", "args", 1);
    if (!args) return;
    if (!cJSON_IsArray(args)) {
        fail(r, "program.args: must be an array of strings");
        return;
    }
    size_t n = (size_t)cJSON_GetArraySize(args);
    if (!(pg->args = calloc(n + 1, sizeof *pg->args))) {
        fail(r, "out of memory");
        return;
    }
    size_t i = 0;
    for (const cJSON *a = args->child; a; a = a->next, i++) {
        if (!cJSON_IsString(a)) {
            fail(r, "program.args[%zu]: must be a string", i);
            return;
        }
        if (!(pg->args[i] = dupstr(r, a->valuestring))) return;
        pg->nargs++;
    }
    s = get_str(r, p, "program", "end", 1);
    if (!s) return;
    if (lv_program_end_parse(s, &pg->end) < 0) {
        fail(r, "program.end: must be \"exited\", \"signal\" or \"stopped\", not \"%s\"", s);
        return;
    }
    int64_t st;
    if (get_int(r, p, "program", "status", 1, 0, 255, &st) < 0) return;
    pg->status = (int)st;
    if (!cJSON_GetObjectItemCaseSensitive(p, "policy")) return;
    s = get_str(r, p, "program", "policy", 1);
    if (!s) return;
    if (strcmp(s, "random") != 0 && strcmp(s, "pct") != 0 && strcmp(s, "rr") != 0 &&
        strcmp(s, "dfs") != 0) {
        fail(r, "program.policy: must be \"random\", \"pct\", \"rr\" or \"dfs\", not \"%s\"", s);
        return;
    }
    pg->policy = dupstr(r, s);
}

static void read_trace(rd *r, const cJSON *root, span events, span sched, lv_trace *tr) {
    if (!cJSON_IsObject(root)) {
        fail(r, "top level: must be a JSON object");
        return;
    }
    const char *fmt = get_str(r, root, TOP, "format", 0);
    if (!fmt || strcmp(fmt, "lockviz-trace") != 0) {
        r->failed = 0;
        fail(r, "format: not a lockviz trace (\"format\" must be \"lockviz-trace\")");
        return;
    }
    int64_t ver;
    if (get_int(r, root, TOP, "version", 1, 0, (int64_t)MAX_NUM, &ver) < 0) return;
    if (ver != 1) {
        fail(r, "version: this lockviz reads version 1; the file is version %lld%s", (long long)ver,
             ver > 1 ? " (made by a newer lockviz)" : "");
        return;
    }
    if (only_members(r, root, TOP, top_fields)) return;

    const cJSON *sc = member(r, root, TOP, "scenario", 1);
    if (!sc) return;
    if (!cJSON_IsObject(sc)) {
        fail(r, "scenario: must be an object");
        return;
    }
    if (only_members(r, sc, "scenario", scen_fields)) return;
    const char *s = get_str(r, sc, "scenario", "name", 1);
    if (!s || !(tr->scenario = dupstr(r, s))) return;
    s = get_str(r, sc, "scenario", "variant", 1);
    if (!s || !(tr->variant = dupstr(r, s))) return;
    if (cJSON_GetObjectItemCaseSensitive(sc, "path")) { /* a scenario loaded from a file */
        s = get_str(r, sc, "scenario", "path", 1);
        if (!s || !(tr->scenario_path = dupstr(r, s))) return;
    }
    const cJSON *params = member(r, sc, "scenario", "params", 1);
    if (!params) return;
    if (!cJSON_IsObject(params)) {
        fail(r, "scenario.params: must be an object");
        return;
    }
    if (unique_keys(r, params, "scenario.params")) return;
    size_t np = (size_t)cJSON_GetArraySize(params);
    tr->params = calloc(np ? np : 1, sizeof *tr->params);
    if (!tr->params) {
        fail(r, "out of memory");
        return;
    }
    for (const cJSON *p = params->child; p; p = p->next) {
        lv_param_value *pv = &tr->params[tr->nparams];
        if (!(pv->name = dupstr(r, p->string ? p->string : ""))) return;
        tr->nparams++;
        if (get_int(r, params, "scenario.params", p->string, 1, -(int64_t)MAX_NUM, (int64_t)MAX_NUM,
                    &pv->value) < 0)
            return;
    }

    const char *mode = get_str(r, root, TOP, "mode", 1);
    if (!mode) return;
    if (strcmp(mode, "live") == 0)
        tr->mode = LV_MODE_LIVE;
    else if (strcmp(mode, "controlled") == 0)
        tr->mode = LV_MODE_CONTROLLED;
    else {
        quoted q;
        fail(r, "mode: must be \"live\" or \"controlled\", not %s", quote(&q, mode));
        return;
    }
    int64_t seed;
    if (get_int(r, root, TOP, "seed", 1, 0, (int64_t)LV_SEED_MAX, &seed) < 0) return;
    tr->seed = (uint64_t)seed;

    const cJSON *threads = member(r, root, TOP, "threads", 1);
    if (!threads) return;
    if (!cJSON_IsArray(threads)) {
        fail(r, "threads: must be an array");
        return;
    }
    size_t nt = (size_t)cJSON_GetArraySize(threads);
    if (nt > LV_TRACE_MAX_THREADS) {
        fail(r, "threads: %zu threads, more than the %d a trace may have", nt,
             LV_TRACE_MAX_THREADS);
        return;
    }
    tr->threads = calloc(nt ? nt : 1, sizeof *tr->threads);
    if (!tr->threads) {
        fail(r, "out of memory");
        return;
    }
    char where[64];
    size_t i = 0;
    for (const cJSON *t = threads->child; t; t = t->next, i++) {
        snprintf(where, sizeof where, "threads[%zu]", i);
        if (!cJSON_IsObject(t)) {
            fail(r, "%s: must be an object", where);
            return;
        }
        if (only_members(r, t, where, thread_fields)) return;
        int64_t id;
        if (get_int(r, t, where, "id", 1, 0, INT32_MAX, &id) < 0) return;
        if ((size_t)id != i) {
            fail(r, "%s.id: is %lld, expected %zu (thread ids run 0, 1, 2 ...)", where,
                 (long long)id, i);
            return;
        }
        const char *nm = get_str(r, t, where, "name", 1);
        if (!nm) return;
        tr->threads[i].id = (int32_t)id;
        if (!(tr->threads[i].name = dupstr(r, nm))) return;
        tr->nthreads++;
    }

    read_sites(r, cJSON_GetObjectItemCaseSensitive(root, "sites"), tr);
    if (r->failed) return;
    read_program(r, cJSON_GetObjectItemCaseSensitive(root, "program"), tr);
    if (r->failed) return;

    const cJSON *objects = member(r, root, TOP, "objects", 1);
    if (!objects) return;
    if (!cJSON_IsArray(objects)) {
        fail(r, "objects: must be an array");
        return;
    }
    size_t no = (size_t)cJSON_GetArraySize(objects);
    if (no > LV_TRACE_MAX_OBJECTS) {
        fail(r, "objects: %zu objects, more than the %d a trace may have", no,
             LV_TRACE_MAX_OBJECTS);
        return;
    }
    tr->objects = calloc(no ? no : 1, sizeof *tr->objects);
    if (!tr->objects) {
        fail(r, "out of memory");
        return;
    }
    i = 0;
    for (const cJSON *o = objects->child; o; o = o->next, i++) {
        snprintf(where, sizeof where, "objects[%zu]", i);
        if (!cJSON_IsObject(o)) {
            fail(r, "%s: must be an object", where);
            return;
        }
        if (only_members(r, o, where, obj_fields)) return;
        lv_trace_object *to = &tr->objects[i];
        int64_t id;
        if (get_int(r, o, where, "id", 1, 0, INT32_MAX, &id) < 0) return;
        if ((size_t)id != i) {
            fail(r, "%s.id: is %lld, expected %zu (object ids run 0, 1, 2 ...)", where,
                 (long long)id, i);
            return;
        }
        to->id = (int32_t)id;
        const char *ks = get_str(r, o, where, "kind", 1);
        if (!ks) return;
        if (lv_obj_kind_parse(ks, &to->kind) < 0) {
            quoted q;
            fail(r, "%s.kind: unknown object kind %s", where, quote(&q, ks));
            return;
        }
        const char *nm = get_str(r, o, where, "name", 1);
        if (!nm || !(to->name = dupstr(r, nm))) return;
        tr->nobjects++;
        const char *want = NULL;
        int64_t lo = 0, hi = (int64_t)MAX_NUM;
        if (cJSON_GetObjectItemCaseSensitive(o, "site")) {
            int64_t sv;
            if (!tr->nsites) {
                fail(r, "%s.site: the trace has no sites", where);
                return;
            }
            if (get_int(r, o, where, "site", 1, 0, (int64_t)tr->nsites - 1, &sv) < 0) return;
            to->site1 = (uint32_t)sv + 1;
        }
        switch (to->kind) {
        case LV_OBJ_SEMAPHORE:
        case LV_OBJ_BOUNDED_SEMAPHORE:
        case LV_OBJ_QUEUE:
        case LV_OBJ_GAUGE:
        case LV_OBJ_BARRIER:
            want = "capacity";
            break;
        case LV_OBJ_VAR:
            want = "initial";
            lo = -(int64_t)MAX_NUM;
            break;
        case LV_OBJ_CONDITION:
            want = "lock";
            hi = (int64_t)no - 1;
            break;
        default:
            break;
        }
        static const char *const params_k[] = {"capacity", "initial", "lock"};
        for (int k = 0; k < 3; k++)
            if ((!want || strcmp(want, params_k[k]) != 0) &&
                cJSON_GetObjectItemCaseSensitive(o, params_k[k])) {
                fail(r, "%s.%s: a %s has no \"%s\"", where, params_k[k], ks, params_k[k]);
                return;
            }
        if (want && get_int(r, o, where, want, 1, lo, hi, &to->param) < 0) return;
    }
    /* a condition's lock is checked once every object is known */
    for (i = 0; i < tr->nobjects; i++) {
        if (tr->objects[i].kind != LV_OBJ_CONDITION) continue;
        lv_obj_kind lk = tr->objects[tr->objects[i].param].kind;
        if (lk != LV_OBJ_MUTEX && lk != LV_OBJ_RLOCK) {
            fail(r, "objects[%zu].lock: object %lld is a %s, not a mutex or rlock", i,
                 (long long)tr->objects[i].param, lv_obj_kind_name(lk));
            return;
        }
    }

    if (!sched.p) {
        fail(r, "missing \"schedule\"");
        return;
    }
    read_schedule(r, sched, tr);
    if (r->failed) return;

    if (!events.p) {
        fail(r, "missing \"events\"");
        return;
    }
    read_events(r, events, tr);
    if (r->failed) return;

    const cJSON *findings = member(r, root, TOP, "findings", 1);
    if (!findings) return;
    if (!cJSON_IsArray(findings)) {
        fail(r, "findings: must be an array");
        return;
    }
    read_findings(r, findings, tr);
    if (r->failed) return;

    const char *oc = get_str(r, root, TOP, "outcome", 1);
    if (!oc) return;
    if (strcmp(oc, "completed") == 0)
        tr->outcome = LV_OUT_COMPLETED;
    else if (strcmp(oc, "deadlocked") == 0)
        tr->outcome = LV_OUT_DEADLOCKED;
    else if (strcmp(oc, "aborted") == 0)
        tr->outcome = LV_OUT_ABORTED;
    else {
        quoted q;
        fail(r, "outcome: must be \"completed\", \"deadlocked\" or \"aborted\", not %s",
             quote(&q, oc));
        return;
    }
    int64_t dropped = 0;
    if (get_int(r, root, TOP, "dropped", 0, 0, (int64_t)MAX_NUM, &dropped) < 0) return;
    tr->dropped = (uint64_t)dropped;
}

lv_err lv_trace_read_json(const char *data, size_t len, const char *name, lv_trace **out,
                          char *errbuf, size_t errlen) {
    *out = NULL;
    rd r = {name ? name : "trace", errbuf, errlen, 0};
    if (errlen) errbuf[0] = 0;
    if (len >= LV_TRACE_MAX_BYTES) {
        fail(&r, "%zu bytes: 1 GiB or more, refused (a trace must be smaller than 1 GiB)", len);
        return LV_ERANGE;
    }
    /* the whole document must be well formed before anything is read from it */
    pathstep *path = malloc((CJSON_NESTING_LIMIT + 1) * sizeof *path);
    if (!path) {
        fail(&r, "out of memory");
        return LV_ENOMEM;
    }
    scanner s = {.d = data, .len = len, .path = path};
    int bad = sk_value(&s, 0) < 0;
    if (bad) syntax_error(&r, &s);
    free(path);
    if (bad) return LV_EPARSE;
    sk_ws(&s);
    if (s.pos < len) {
        fail(&r, "byte %zu: unexpected data after the JSON document", s.pos);
        return LV_EPARSE;
    }
    s = (scanner){.d = data, .len = len};
    sk_ws(&s);
    if (data[s.pos] != '{') {
        fail(&r, "top level: must be a JSON object");
        return LV_EPARSE;
    }
    /* every top-level member but the events and the schedule is small: those go through
     * cJSON, within a budget of values (a cJSON node each) counted before they are built */
    cJSON *root = cJSON_CreateObject();
    lv_trace *tr = calloc(1, sizeof *tr);
    span events = {NULL, 0}, sched = {NULL, 0};
    uint64_t budget = LV_TRACE_MAX_VALUES;
    if (!root || !tr) {
        fail(&r, "out of memory");
        goto done;
    }
    s.pos++;
    for (;;) {
        sk_ws(&s);
        if (data[s.pos] == '}') break;
        if (data[s.pos] == ',') {
            s.pos++;
            sk_ws(&s);
        }
        size_t k0 = s.pos;
        sk_string(&s, 0, 1);
        cJSON *key = cJSON_ParseWithLength(data + k0, s.pos - k0);
        sk_ws(&s);
        s.pos++; /* ':' */
        sk_ws(&s);
        size_t v0 = s.pos;
        uint64_t nv = s.values;
        sk_value(&s, 1);
        nv = s.values - nv;
        if (!key || !cJSON_IsString(key)) {
            cJSON_Delete(key);
            fail(&r, "out of memory");
            goto done;
        }
        const char *k = key->valuestring;
        int is_ev = strcmp(k, "events") == 0, is_sched = strcmp(k, "schedule") == 0;
        if (cJSON_GetObjectItemCaseSensitive(root, k) || (is_ev && events.p) ||
            (is_sched && sched.p)) {
            quoted q;
            fail(&r, "top level: duplicate key %s", quote(&q, k));
            cJSON_Delete(key);
            goto done;
        }
        if (is_ev) {
            events = (span){data + v0, s.pos - v0};
        } else if (is_sched) {
            sched = (span){data + v0, s.pos - v0};
        } else {
            if (nv > budget) {
                fail(&r,
                     "%s: too large to read: more than %d JSON values outside \"events\" "
                     "and \"schedule\"",
                     k, LV_TRACE_MAX_VALUES);
                cJSON_Delete(key);
                goto done;
            }
            budget -= nv;
            cJSON *v = cJSON_ParseWithLength(data + v0, s.pos - v0);
            if (!v) {
                fail(&r, "%s: out of memory reading it", k);
                cJSON_Delete(key);
                goto done;
            }
            cJSON_AddItemToObject(root, k, v);
        }
        cJSON_Delete(key);
    }
    read_trace(&r, root, events, sched, tr);
done:
    cJSON_Delete(root);
    if (r.failed) {
        lv_trace_free(tr);
        return LV_EPARSE;
    }
    *out = tr;
    return LV_OK;
}

lv_err lv_trace_load(const char *path, lv_trace **out, char *errbuf, size_t errlen) {
    *out = NULL;
    /* O_NONBLOCK: opening a FIFO with no writer (or a device) must not wait; fstat then
     * refuses everything but a regular file, before a byte is read */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(errbuf, errlen, "%s: cannot open: %s", path, strerror(errno));
        return LV_EIO;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        snprintf(errbuf, errlen, "%s: cannot open: %s", path, strerror(errno));
        close(fd);
        return LV_EIO;
    }
    if (!S_ISREG(st.st_mode)) {
        const char *what = S_ISDIR(st.st_mode)    ? "a directory"
                           : S_ISFIFO(st.st_mode) ? "a FIFO (named pipe)"
                           : S_ISCHR(st.st_mode)  ? "a character device"
                           : S_ISBLK(st.st_mode)  ? "a block device"
                           : S_ISSOCK(st.st_mode) ? "a socket"
                                                  : "not a regular file";
        snprintf(errbuf, errlen, "%s: %s, not a trace file (a trace is a regular file)", path,
                 what);
        close(fd);
        return LV_EIO;
    }
    if ((uint64_t)st.st_size >= LV_TRACE_MAX_BYTES) {
        snprintf(errbuf, errlen,
                 "%s: %lld bytes: 1 GiB or more, refused (a trace must be smaller than 1 GiB)",
                 path, (long long)st.st_size);
        close(fd);
        return LV_ERANGE;
    }
    /* one allocation of the file's size: no doubling buffer on top of the trace */
    size_t size = (size_t)st.st_size;
    char *buf = malloc(size ? size : 1);
    if (!buf) {
        snprintf(errbuf, errlen, "%s: out of memory reading the file (%zu bytes)", path, size);
        close(fd);
        return LV_ENOMEM;
    }
    size_t len = 0;
    errno = 0;
    while (len < size) {
        ssize_t n = read(fd, buf + len, size - len);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        len += (size_t)n;
    }
    int saved = len < size ? errno : 0;
    close(fd);
    if (len != size) {
        snprintf(errbuf, errlen, "%s: read error: %s", path,
                 saved ? strerror(saved) : "the file got shorter while it was read");
        free(buf);
        return LV_EIO;
    }
    lv_err err = lv_trace_read_json(buf, len, path, out, errbuf, errlen);
    free(buf);
    return err;
}
