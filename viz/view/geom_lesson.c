/* What the lessons tell a class to watch, found in a trace once per scene and laid out per
 * frame: every lost update (each stale read ringed, not only the one analysis reports in full),
 * a mark on each wait that timed out, an RLock's count on its hold bar, each gauge's count as
 * a step strip under the lanes (red past its capacity); also the notes in the window's
 * language, the verdicts first in the findings, the message bar, the legend's rows and the
 * words for a lock's, a semaphore's and a gauge's state. Pure (no SDL); bounded by pixels per
 * frame, like the rest of the layout. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "geom.h"
#include "grow.h"
#include "textf.h"

/* The first k of a thread's list of events whose time is >= t. */
static size_t list_from(const lv_scene *s, const uint32_t *list, size_t n, int64_t t) {
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->tr->events[list[mid]].t < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* ---- lost updates, replayed the way analysis defines them (core/src/analysis.c) ---- */

#define LOST_TABLE_MAX ((size_t)1 << 24) /* vars x threads entries of the replay */

static int cmp_seq(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static int cmp_lost_read(const void *a, const void *b) {
    const lv_lost *x = a, *y = b;
    return x->stale_read < y->stale_read ? -1 : x->stale_read > y->stale_read;
}

/* A write by t is a lost update when t's last read of the var (not yet followed by a write of
 * t's) came before another thread's write, which is the var's latest: t writes back a value
 * computed from what it read, and that write is wiped out. */
static int replay_lost(lv_scene *s) {
    const lv_trace *tr = s->tr;
    size_t nt = tr->nthreads, no = tr->nobjects, nv = 0;
    int32_t *vi = malloc((no ? no : 1) * sizeof *vi);
    if (!vi) return -1;
    for (size_t o = 0; o < no; o++)
        vi[o] = tr->objects[o].kind == LV_OBJ_VAR ? (int32_t)nv++ : -1;
    if (!nv || !nt || nv > LOST_TABLE_MAX / nt) { /* none, or too many: the payloads' own */
        free(vi);
        return 1;
    }
    uint32_t *rd = malloc(nv * nt * sizeof *rd); /* last unconsumed read per (var, thread) */
    uint32_t *wseq = malloc(nv * sizeof *wseq);  /* the var's last write */
    int32_t *wth = malloc(nv * sizeof *wth);
    lv_lost *out = NULL;
    size_t n = 0, cap = 0;
    int rc = -1;
    if (!rd || !wseq || !wth) goto done;
    for (size_t i = 0; i < nv * nt; i++)
        rd[i] = LV_SEQ_NONE;
    for (size_t i = 0; i < nv; i++) {
        wseq[i] = LV_SEQ_NONE;
        wth[i] = LV_NONE;
    }
    for (size_t i = 0; i < tr->nevents; i++) {
        const lv_event *e = &tr->events[i];
        if ((e->kind != LV_EV_READ && e->kind != LV_EV_WRITE) || e->obj < 0 ||
            (size_t)e->obj >= no || vi[e->obj] < 0 || e->thread < 0 || (size_t)e->thread >= nt)
            continue;
        size_t v = (size_t)vi[e->obj];
        uint32_t *mine = &rd[v * nt + (size_t)e->thread];
        if (e->kind == LV_EV_READ) {
            *mine = e->seq;
            continue;
        }
        if (*mine != LV_SEQ_NONE && wth[v] != LV_NONE && wth[v] != e->thread && *mine < wseq[v]) {
            if (lv_grow((void **)&out, &cap, sizeof *out, n + 1)) goto done;
            out[n++] = (lv_lost){*mine, wseq[v], e->seq, e->obj};
        }
        *mine = LV_SEQ_NONE;
        wseq[v] = e->seq;
        wth[v] = e->thread;
    }
    if (n > 1) qsort(out, n, sizeof *out, cmp_lost_read);
    free(s->lost);
    s->lost = out;
    s->nlost = n;
    out = NULL;
    rc = 0;
done:
    free(out);
    free(rd);
    free(wseq);
    free(wth);
    free(vi);
    return rc;
}

/* ---- gauges ---- */

typedef struct gauge {
    int32_t obj;
    int64_t cap, top; /* capacity (0: none); the highest count, for the strip's scale */
    const uint32_t *seq;
    size_t n;
    int64_t *vmax; /* max segment tree over the writes' values: 2n */
} gauge;

struct lv_lesson_marks {
    uint32_t *by_role[3]; /* stale reads, lost writes, bad writes, each sorted */
    gauge *g;
    size_t ng;
    uint32_t *gseq; /* every gauge's writes, gauge after gauge, in time order */
    /* per thread, each in time order: its RLock acquires and releases that carry the count,
     * its waits that timed out, its stale reads */
    uint32_t **rc, **to, **stale;
    size_t *nrc, *nto, *nstale;
    size_t nthreads;
    size_t *forder; /* the findings panel's order: verdicts (deadlock, invariant) first */
    char **note_en; /* per note text: the English-first form ("got lock A (抢到了A锁)"), or NULL */
    size_t ntexts;
};

static int build_gauges(lv_lesson_marks *m, const lv_scene *s) {
    const lv_trace *tr = s->tr;
    size_t ng = 0, nw = 0;
    for (size_t o = 0; o < tr->nobjects; o++)
        ng += tr->objects[o].kind == LV_OBJ_GAUGE;
    if (!ng) return 0;
    for (size_t i = 0; i < tr->nevents; i++) {
        const lv_event *e = &tr->events[i];
        nw += e->kind == LV_EV_WRITE && e->obj >= 0 && (size_t)e->obj < tr->nobjects &&
              tr->objects[e->obj].kind == LV_OBJ_GAUGE;
    }
    m->g = calloc(ng, sizeof *m->g);
    m->gseq = malloc((nw ? nw : 1) * sizeof *m->gseq);
    if (!m->g || !m->gseq) return -1;
    size_t at = 0;
    for (size_t o = 0; o < tr->nobjects; o++) {
        if (tr->objects[o].kind != LV_OBJ_GAUGE) continue;
        gauge *g = &m->g[m->ng++];
        g->obj = (int32_t)o;
        g->cap = tr->objects[o].param > 0 ? tr->objects[o].param : 0;
        g->seq = m->gseq + at;
        for (size_t i = 0; i < tr->nevents; i++) {
            const lv_event *e = &tr->events[i];
            if (e->kind == LV_EV_WRITE && e->obj == (int32_t)o) m->gseq[at + g->n++] = e->seq;
        }
        at += g->n;
        g->vmax = malloc((2 * g->n + 1) * sizeof *g->vmax);
        if (!g->vmax) return -1;
        g->top = g->cap;
        for (size_t k = 0; k < g->n; k++) {
            int64_t v = tr->events[g->seq[k]].value;
            g->vmax[g->n + k] = v;
            if (v > g->top) g->top = v;
        }
        for (size_t k = g->n; k-- > 1;)
            g->vmax[k] = g->vmax[2 * k] > g->vmax[2 * k + 1] ? g->vmax[2 * k] : g->vmax[2 * k + 1];
    }
    return 0;
}

void lv__lesson_free(lv_lesson_marks *m) {
    if (!m) return;
    for (int r = 0; r < 3; r++)
        free(m->by_role[r]);
    for (size_t i = 0; i < m->ng; i++)
        free(m->g[i].vmax);
    free(m->g);
    free(m->gseq);
    for (size_t t = 0; t < m->nthreads; t++) {
        if (m->rc) free(m->rc[t]);
        if (m->to) free(m->to[t]);
        if (m->stale) free(m->stale[t]);
    }
    free(m->rc);
    free(m->to);
    free(m->stale);
    free(m->nrc);
    free(m->nto);
    free(m->nstale);
    free(m->forder);
    for (size_t i = 0; m->note_en && i < m->ntexts; i++)
        free(m->note_en[i]);
    free(m->note_en);
    free(m);
}

/* ---- notes in the language of the window ---- */

static int has_cjk(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0xE3 && (unsigned char)s[i] <= 0xE9) return 1;
    return 0;
}

/* A two-language note ends with its other language in brackets: "抢到了A锁 (got lock A)". The
 * last " (" whose bracket closes the text splits it; *open is that bracket. 0: no such split. */
static int note_split(const char *text, size_t n, size_t *open) {
    if (n < 4 || text[n - 1] != ')') return 0;
    int depth = 0;
    for (size_t i = n - 1; i-- > 0;) { /* the bracket that the last ')' closes */
        if (text[i] == ')') depth++;
        if (text[i] == '(') {
            if (depth > 0) {
                depth--;
                continue;
            }
            if (i < 2 || text[i - 1] != ' ' || i + 2 >= n) return 0;
            *open = i;
            return 1;
        }
    }
    return 0;
}

/* A seed's line says it in Chinese then in English in brackets: "抢到了A锁 (got lock A)". The
 * form an English window shows first is "got lock A (抢到了A锁)": the part before the split
 * has Chinese in it and the part in the brackets none. */
size_t lv_note_swap(const char *text, char *buf, size_t len) {
    size_t n = strlen(text), open;
    if (!note_split(text, n, &open)) return 0;
    const char *zh = text, *en = text + open + 1;
    size_t nzh = open - 1, nen = n - open - 2;
    if (!has_cjk(zh, nzh) || has_cjk(en, nen)) return 0;
    if (buf && len) lv_textf(buf, len, "%.*s (%.*s)", (int)nen, en, (int)nzh, zh);
    return n;
}

size_t lv_note_head(const char *text, size_t n) {
    size_t open;
    if (!note_split(text, n, &open)) return 0;
    if (has_cjk(text, open - 1) == has_cjk(text + open + 1, n - open - 2)) return 0;
    return open - 1;
}

static char *note_swapped(const char *text) {
    size_t n = lv_note_swap(text, NULL, 0);
    char *b = malloc(n + 1);
    if (b) lv_note_swap(text, b, n + 1);
    return b;
}

const char *lv_scene_note_text(const lv_scene *s, const lv_event *e, int lang) {
    const char *t = lv_trace_text(s->tr, e);
    const lv_lesson_marks *m = s->marks;
    if (!t || lang != LV_LANG_EN || !m || e->value < 0 || (uint64_t)e->value >= m->ntexts) return t;
    return m->note_en[e->value] ? m->note_en[e->value] : t;
}

int lv__lesson_build(lv_scene *s) {
    if (replay_lost(s) < 0) return -1;
    lv_lesson_marks *m = calloc(1, sizeof *m);
    if (!m) return -1;
    s->marks = m;
    for (int r = 0; r < 3; r++) {
        if (!(m->by_role[r] = malloc((s->nlost ? s->nlost : 1) * sizeof *m->by_role[r]))) return -1;
        for (size_t i = 0; i < s->nlost; i++)
            m->by_role[r][i] = r == 0   ? s->lost[i].stale_read
                               : r == 1 ? s->lost[i].lost_write
                                        : s->lost[i].bad_write;
        qsort(m->by_role[r], s->nlost, sizeof *m->by_role[r], cmp_seq);
    }
    const lv_trace *tr = s->tr;
    size_t nt = tr->nthreads ? tr->nthreads : 1;
    m->nthreads = tr->nthreads;
    m->rc = calloc(nt, sizeof *m->rc);
    m->to = calloc(nt, sizeof *m->to);
    m->stale = calloc(nt, sizeof *m->stale);
    m->nrc = calloc(nt, sizeof *m->nrc);
    m->nto = calloc(nt, sizeof *m->nto);
    m->nstale = calloc(nt, sizeof *m->nstale);
    size_t *cap = calloc(3 * nt, sizeof *cap);
    int rc = -1;
    if (!m->rc || !m->to || !m->stale || !m->nrc || !m->nto || !m->nstale || !cap) goto done;
    for (size_t i = 0; i < tr->nevents; i++) {
        const lv_event *e = &tr->events[i];
        if (e->thread < 0 || (size_t)e->thread >= tr->nthreads) continue;
        size_t t = (size_t)e->thread;
        int rlock = e->obj >= 0 && (size_t)e->obj < tr->nobjects &&
                    tr->objects[e->obj].kind == LV_OBJ_RLOCK;
        uint32_t **list = NULL;
        size_t *n = NULL, *c = NULL;
        if ((e->kind == LV_EV_ACQUIRE || e->kind == LV_EV_RELEASE) && rlock &&
            (e->flags & LV_EVF_VALUE)) {
            list = &m->rc[t], n = &m->nrc[t], c = &cap[t];
        } else if (e->kind == LV_EV_TIMEOUT) {
            list = &m->to[t], n = &m->nto[t], c = &cap[nt + t];
        } else if (e->kind == LV_EV_READ &&
                   lv_scene_lost_mark(s, (uint32_t)i) == LV_MARK_STALE_READ) {
            list = &m->stale[t], n = &m->nstale[t], c = &cap[2 * nt + t];
        }
        if (!list) continue;
        if (lv_grow((void **)list, c, sizeof **list, *n + 1)) goto done;
        (*list)[(*n)++] = (uint32_t)i;
    }
    if (!(m->forder = malloc((tr->nfindings ? tr->nfindings : 1) * sizeof *m->forder))) goto done;
    for (int pass = 0, k = 0; pass < 2; pass++)
        for (size_t i = 0; i < tr->nfindings; i++) {
            int verdict = tr->findings[i].kind == LV_FIND_DEADLOCK ||
                          tr->findings[i].kind == LV_FIND_INVARIANT;
            if (verdict == !pass) m->forder[k++] = i;
        }
    m->ntexts = tr->ntexts;
    if (!(m->note_en = calloc(tr->ntexts ? tr->ntexts : 1, sizeof *m->note_en))) goto done;
    for (size_t i = 0; i < tr->ntexts; i++)
        if (tr->texts[i] && lv_note_swap(tr->texts[i], NULL, 0) &&
            !(m->note_en[i] = note_swapped(tr->texts[i])))
            goto done;
    rc = build_gauges(m, s);
done:
    free(cap);
    return rc;
}

static int has_seq(const uint32_t *a, size_t n, uint32_t seq) {
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (a[mid] < seq)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && a[lo] == seq;
}

uint8_t lv_scene_lost_mark(const lv_scene *s, uint32_t seq) {
    const lv_lesson_marks *m = s->marks;
    if (!m) return LV_MARK_NONE;
    if (has_seq(m->by_role[0], s->nlost, seq)) return LV_MARK_STALE_READ;
    /* a write that wiped one out and was wiped out later shows what it did */
    if (has_seq(m->by_role[2], s->nlost, seq)) return LV_MARK_BAD_WRITE;
    if (has_seq(m->by_role[1], s->nlost, seq)) return LV_MARK_LOST_WRITE;
    return LV_MARK_NONE;
}

size_t lv_scene_finding_at(const lv_scene *s, size_t at) {
    return s->marks && at < s->tr->nfindings ? s->marks->forder[at] : at;
}

size_t lv_scene_gauges(const lv_scene *s) {
    return s->marks ? s->marks->ng : 0;
}

int32_t lv_scene_gauge_obj(const lv_scene *s, size_t i) {
    return s->marks && i < s->marks->ng ? s->marks->g[i].obj : LV_NONE;
}

static int64_t vmax_range(const gauge *g, size_t a, size_t b) {
    int64_t best = INT64_MIN;
    for (a += g->n, b += g->n; a < b; a >>= 1, b >>= 1) {
        if (a & 1) {
            if (g->vmax[a] > best) best = g->vmax[a];
            a++;
        }
        if (b & 1) {
            b--;
            if (g->vmax[b] > best) best = g->vmax[b];
        }
    }
    return best;
}

/* ---- the frame: rings on every stale read, a strip per gauge under the lanes ---- */

#define PUSHF(f, arr, n, cap)                                                                      \
    (lv_grow((void **)&(f)->arr, &(f)->cap, sizeof *(f)->arr, (f)->n + 1) ? NULL                   \
                                                                          : &(f)->arr[(f)->n++])

int lv__lesson_reserve(lv_frame *f, const lv_scene *s, int lane_min) {
    f->ngauges = 0;
    size_t ng = lv_scene_gauges(s);
    if (!ng) return 0;
    int h = f->line_h[LV_FONT_LABEL] + f->line_h[LV_FONT_NOTE];
    if (ng > LV_GAUGES_SHOWN) ng = LV_GAUGES_SHOWN;
    /* only when the lanes keep room for one lane at least */
    while (ng > 0 && f->area.h - (int)ng * h < lane_min)
        ng--;
    for (size_t i = 0; i < ng; i++) {
        f->gauge_obj[i] = lv_scene_gauge_obj(s, i);
        f->gauges[i] =
            (lv_rect){f->area.x, f->area.y + f->area.h - (int)(ng - i) * h, f->area.w, h};
    }
    f->area.h -= (int)ng * h;
    f->ngauges = ng;
    return 0;
}

static int put_fill(lv_frame *f, lv_rect r, uint8_t color) {
    if (r.w <= 0 || r.h <= 0) return 0;
    lv_fill *fl = PUSHF(f, fills, nfills, capfills);
    if (!fl) return -1;
    *fl = (lv_fill){r, color};
    return 0;
}

/* One column per pixel: the highest count the gauge had in it, as a bar from the strip's
 * floor, red where it is past the capacity; a line at the capacity across the strip. Columns
 * of the same height and colour merge into one fill. */
int lv__lesson_lay(lv_frame *f, const lv_scene *s) {
    const lv_lesson_marks *m = s->marks;
    for (size_t gi = 0; m && gi < f->ngauges; gi++) {
        const gauge *g = &m->g[gi];
        lv_rect r = f->gauges[gi];
        int pad = r.h / 8 + 1, room = r.h - 2 * pad, floor_y = r.y + r.h - pad;
        int64_t top = g->top > 0 ? g->top : 1;
        int run_x = -1, run_h = 0;
        uint8_t run_c = 0;
        int64_t t_end = s->t_end;
        for (int x = f->x0; x <= f->x1; x++) {
            int64_t ta = lv_frame_t(f, s, x), tb = lv_frame_t(f, s, x + 1);
            int h = 0;
            uint8_t c = LV_C_DIM;
            if (tb > s->t_first && ta <= t_end && x < f->x1) {
                size_t a = list_from(s, g->seq, g->n, ta), b = list_from(s, g->seq, g->n, tb);
                int64_t v = a > 0 ? s->tr->events[g->seq[a - 1]].value : 0;
                if (b > a) {
                    int64_t w = vmax_range(g, a, b);
                    if (w > v) v = w;
                }
                if (v > 0) h = (int)((v * room + top - 1) / top);
                if (h > room) h = room;
                if (g->cap > 0 && v > g->cap) c = LV_C_BLOCKED;
            }
            if (run_x >= 0 && (h != run_h || c != run_c || x == f->x1)) {
                if (put_fill(f, (lv_rect){run_x, floor_y - run_h, x - run_x, run_h}, run_c))
                    return -1;
                run_x = -1;
            }
            if (run_x < 0 && h > 0 && x < f->x1) {
                run_x = x;
                run_h = h;
                run_c = c;
            }
        }
        if (put_fill(f, (lv_rect){r.x, floor_y, r.w, 1}, LV_C_GRID)) return -1;
        if (g->cap > 0) {
            int cy = floor_y - (int)((g->cap * room + top - 1) / top);
            for (int x = r.x; x < r.x + r.w; x += 8) /* dashed: a limit, not a count */
                if (put_fill(f, (lv_rect){x, cy, x + 5 < r.x + r.w ? 5 : r.x + r.w - x, 1},
                             LV_C_TEXT))
                    return -1;
        }
    }
    return 0;
}

static int round_x(double x) {
    return (int)(x + (x >= 0 ? 0.5 : -0.5));
}

/* A marker of kind on the lane for each event of list in view, the first of each pixel; the
 * others on that pixel are skipped by a search, not visited. */
static int lane_marks(lv_frame *f, const lv_scene *s, const lv_lane *ln, const uint32_t *list,
                      size_t n, uint8_t kind, int64_t tv0, int64_t tv1) {
    const lv_trace *tr = s->tr;
    size_t k = list_from(s, list, n, tv0);
    while (k < n && tr->events[list[k]].t <= tv1) {
        int x = round_x(lv_frame_x(f, s, tr->events[list[k]].t));
        if (x >= f->x0 && x <= f->x1) {
            lv_marker *mk = PUSHF(f, marks, nmarks, capmarks);
            if (!mk) return -1;
            *mk = (lv_marker){x, ln->band.y + ln->band.h / 2, list[k], kind};
        }
        size_t j = list_from(s, list, n, lv_frame_t(f, s, x + 0.5));
        while (j < n && round_x(lv_frame_x(f, s, tr->events[list[j]].t)) <= x)
            j++;
        k = j > k ? j : k + 1;
    }
    return 0;
}

/* Rings on the stale reads in view and a mark on each wait that timed out, at most one of
 * each per pixel of a lane. */
int lv__lesson_stale_marks(lv_frame *f, const lv_scene *s, int64_t tv0, int64_t tv1) {
    const lv_lesson_marks *m = s->marks;
    for (size_t li = 0; m && li < f->nlanes; li++) {
        const lv_lane *ln = &f->lanes[li];
        size_t t = (size_t)ln->thread;
        if (t >= m->nthreads) continue;
        if (lane_marks(f, s, ln, m->to[t], m->nto[t], LV_MARK_TIMEOUT, tv0, tv1) ||
            lane_marks(f, s, ln, m->stale[t], m->nstale[t], LV_MARK_STALE, tv0, tv1))
            return -1;
    }
    return 0;
}

int lv_gauge_words(const lv_scene *s, const lv_state *st, int32_t obj, int lang, char *buf,
                   size_t len) {
    const lv_trace *tr = s->tr;
    if (obj < 0 || (size_t)obj >= tr->nobjects || (size_t)obj >= st->nobjs) {
        snprintf(buf, len, "-");
        return 0;
    }
    const lv_trace_object *ob = &tr->objects[obj];
    int64_t v = st->objs[obj].count;
    char n1[32], n2[32];
    snprintf(n1, sizeof n1, "%" PRId64, v);
    snprintf(n2, sizeof n2, "%" PRId64, ob->param);
    int over = ob->param > 0 && v > ob->param;
    if (ob->param <= 0)
        lv_textf(buf, len, lv_tr(lang, LV_T_GAUGE), ob->name, n1);
    else
        lv_textf(buf, len, lv_tr(lang, over ? LV_T_GAUGE_OVER : LV_T_GAUGE_CAP), ob->name, n1, n2);
    return over;
}

#define COUNT_CHAIN 6 /* counts in one label at most; the rest of a crowd is skipped */

int lv__lesson_counts(lv_frame *f, const lv_scene *s, const lv_viewport *vp, int64_t tv0,
                      int64_t tv1) {
    const lv_lesson_marks *m = s->marks;
    const lv_trace *tr = s->tr;
    f->ncounts = 0;
    if (!m) return 0;
    int gap = (int)(4 * f->scale + 0.5), pad = (int)(3 * f->scale + 0.5);
    for (size_t li = 0; li < f->nlanes; li++) {
        const lv_lane *ln = &f->lanes[li];
        size_t t = (size_t)ln->thread;
        if (t >= m->nthreads || !m->nrc[t] || ln->holds.h <= 0) continue;
        const uint32_t *rc = m->rc[t];
        size_t n = m->nrc[t], k = list_from(s, rc, n, tv0);
        lv_count_label *cur = NULL;
        int chain = 0;
        while (k < n && tr->events[rc[k]].t <= tv1) {
            const lv_event *e = &tr->events[rc[k]];
            double xd = lv_frame_x(f, s, e->t);
            int x = (int)(xd + (xd >= 0 ? 0.5 : -0.5));
            if (cur && x < cur->x + cur->w + gap) {
                if (chain >= COUNT_CHAIN) { /* a crowd: skip to the first past this label */
                    size_t j = list_from(s, rc, n, lv_frame_t(f, s, cur->x + cur->w + gap));
                    k = j > k ? j : k + 1;
                    continue;
                }
                size_t len = strlen(cur->text);
                snprintf(cur->text + len, sizeof cur->text - len,
                         chain + 1 >= COUNT_CHAIN ? " …" : " %" PRId64, e->value);
                cur->w = vp->measure(vp->measure_ctx, LV_FONT_NOTE, cur->text, strlen(cur->text)) +
                         2 * pad;
                chain++;
                k++;
                continue;
            }
            if (x < f->x0 || x > f->x1) {
                cur = NULL;
                k++;
                continue;
            }
            cur = PUSHF(f, counts, ncounts, capcounts);
            if (!cur) return -1;
            *cur = (lv_count_label){x, ln->holds.y + ln->holds.h / 2, 0, rc[k], e->obj, ""};
            snprintf(cur->text, sizeof cur->text, "%" PRId64, e->value);
            cur->w =
                vp->measure(vp->measure_ctx, LV_FONT_NOTE, cur->text, strlen(cur->text)) + 2 * pad;
            chain = 1;
            k++;
        }
    }
    return 0;
}

const lv_legend_row lv_legend_rows[] = {
    {LV_GLYPH_HOLD, LV_T_LG_HOLD},         {LV_GLYPH_COUNT, LV_T_LG_COUNT},
    {LV_GLYPH_ARROW, LV_T_LG_ARROW},       {LV_GLYPH_READ, LV_T_LG_READ},
    {LV_GLYPH_WRITE, LV_T_LG_WRITE},       {LV_GLYPH_STALE, LV_T_LG_STALE},
    {LV_GLYPH_TIMEOUT, LV_T_LG_TIMEOUT},   {LV_GLYPH_GAUGE, LV_T_LG_GAUGE},
    {LV_GLYPH_BREAK, LV_T_LG_BREAK},       {LV_GLYPH_FINDING, LV_T_LG_FINDING},
    {LV_GLYPH_PLAYHEAD, LV_T_LG_PLAYHEAD}, {LV_GLYPH_ANSWER, LV_T_LG_ANSWER},
    {LV_GLYPH_WAIT, LV_T_LG_WAIT},         {LV_GLYPH_BYSTANDER, LV_T_LG_BYSTANDER},
    {LV_GLYPH__COUNT, LV_T__COUNT},
};

lv_glyph lv_legend_glyph_of_mark(uint8_t kind) {
    switch (kind) {
    case LV_MARK_PLAYHEAD:
        return LV_GLYPH_PLAYHEAD;
    case LV_MARK_FINDING:
        return LV_GLYPH_FINDING;
    case LV_MARK_STALE:
        return LV_GLYPH_STALE;
    case LV_MARK_READ:
        return LV_GLYPH_READ;
    case LV_MARK_WRITE:
        return LV_GLYPH_WRITE;
    case LV_MARK_TIMEOUT:
        return LV_GLYPH_TIMEOUT;
    default:
        return LV_GLYPH__COUNT;
    }
}

int lv__message_bar(lv_frame *f, const lv_viewport *vp, int y) {
    f->message = (lv_rect){0, y, vp->w, 0};
    if (!vp->toast || !*vp->toast) return 0;
    int pad = (int)(8 * f->scale + 0.5), lines = 0, w = vp->w - 2 * (int)(10 * f->scale + 0.5);
    /* whole, wrapped to the window's width: a message is read, not guessed at */
    const char *m = vp->toast;
    size_t n = strlen(m);
    while (n > 0 && lines < LV_MESSAGE_LINES) {
        size_t k = lv_wrap_line(vp->measure, vp->measure_ctx, LV_FONT_BODY, m, n, w);
        lines++;
        if (k < n && m[k] == '\n') k++;
        while (k < n && m[k] == ' ')
            k++;
        m += k;
        n -= k;
    }
    if (!lines) return 0;
    f->message.h = lines * f->line_h[LV_FONT_BODY] + 2 * pad;
    f->message.y = y - f->message.h;
    return f->message.h;
}

void lv_lock_status(const lv_scene *s, const lv_state *st, int32_t obj, int lang, char *buf,
                    size_t len) {
    const lv_trace *tr = s->tr;
    const lv_ostate *o = &st->objs[obj];
    if (o->owner < 0) {
        snprintf(buf, len, "%s", lv_tr(lang, LV_T_FREE));
        return;
    }
    char nb[32];
    snprintf(nb, sizeof nb, "%" PRId64, o->count);
    if (tr->objects[obj].kind == LV_OBJ_RLOCK) /* the count the lesson watches, 1 included */
        lv_textf(buf, len, lv_tr(lang, LV_T_HELD_BY_N), lv_trace_thread_name(tr, o->owner), nb);
    else
        lv_textf(buf, len, lv_tr(lang, LV_T_HELD_BY), lv_trace_thread_name(tr, o->owner));
}

void lv_sem_words(const lv_scene *s, const lv_state *st, int32_t obj, int lang, char *buf,
                  size_t len) {
    const lv_trace_object *ob = &s->tr->objects[obj];
    char n1[32], n2[32];
    snprintf(n1, sizeof n1, "%" PRId64, st->objs[obj].count);
    snprintf(n2, sizeof n2, "%" PRId64, ob->param);
    lv_textf(buf, len, lv_tr(lang, ob->kind == LV_OBJ_BOUNDED_SEMAPHORE ? LV_T_BSEM : LV_T_SEM),
             ob->name, n1, n2);
}
