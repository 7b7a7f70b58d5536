/* Predict mode's questions, answers and score (see predict.h). It decides what to ask and
 * whether a guess was right; it neither runs nor draws. */
#include <inttypes.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "grow.h"
#include "predict.h"
#include "textf.h"

static int iround(double v) {
    return (int)lround(v);
}

void lv_pr_init(lv_predict *pr) {
    memset(pr, 0, sizeof *pr);
    pr->thread_done = pr->read_done = -1;
}

void lv_pr_free(lv_predict *pr) {
    free(pr->en);
    free(pr->marks);
    free(pr->placed);
    lv_pr_init(pr);
}

void lv_pr_reset(lv_predict *pr) {
    pr->open = 0;
    pr->q.kind = LV_PQ_NONE;
    pr->nen = 0;
    pr->thread_done = pr->read_done = -1;
    pr->right = pr->asked = 0;
    pr->nmarks = pr->nplaced = 0;
    pr->typing = 0;
    pr->typed_left = 0;
}

static int is_var_read(const lv_trace *tr, const lv_event *e) {
    return e->kind == LV_EV_READ && e->obj >= 0 && (size_t)e->obj < tr->nobjects &&
           tr->objects[e->obj].kind == LV_OBJ_VAR;
}

static int cmp_i64(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static int add_opt(lv_pq *q, int64_t v) {
    for (size_t i = 0; i < q->nopts; i++)
        if (q->opts[i] == v) return 0;
    if (q->nopts == LV_PQ_MAXOPT) return -1;
    q->opts[q->nopts++] = v;
    return 0;
}

/* The values a read of obj before event seq could plausibly return: the answer, the values
 * the var held most recently, its initial value; at least three (neighbours of the answer). */
static void read_options(lv_pq *q, const lv_trace *tr, long seq) {
    q->nopts = 0;
    add_opt(q, q->answer);
    for (long i = seq - 1; i >= 0 && q->nopts < LV_PQ_MAXOPT - 1; i--) {
        const lv_event *e = &tr->events[i];
        if (e->obj == q->obj && e->kind == LV_EV_WRITE) add_opt(q, e->value);
    }
    if (q->nopts < LV_PQ_MAXOPT) add_opt(q, tr->objects[q->obj].param);
    /* neighbours: a count of tickets or people offers no value below 0 it never had */
    if (q->nopts < 3) add_opt(q, q->answer + 1);
    if (q->nopts < 3) add_opt(q, q->answer > 0 || q->answer < 0 ? q->answer - 1 : q->answer + 2);
    qsort(q->opts, q->nopts, sizeof q->opts[0], cmp_i64);
}

long lv_pr_from(const lv_predict *pr, long seq) {
    return seq > pr->thread_done ? seq : pr->thread_done;
}

lv_err lv_pr_peek(lv_predict *pr, const lv_trace *tr, long seq, const lv_sched_point *p) {
    if (pr->open) return LV_OK;
    pr->q = (lv_pq){.kind = LV_PQ_NONE, .seq = -1};
    long tq = -1, rq = -1;
    /* who runs next: asked before the event that follows the choice */
    if (p && (long)p->nbefore > seq && (long)p->nbefore > pr->thread_done &&
        p->nbefore < tr->nevents && p->index < tr->nschedule)
        tq = (long)p->nbefore;
    /* what a read returns: the next read of a shared var */
    long from = seq > pr->read_done ? seq : pr->read_done;
    for (long i = from + 1; i < (long)tr->nevents && (tq < 0 || i <= tq); i++)
        if (is_var_read(tr, &tr->events[i])) {
            rq = i;
            break;
        }
    if (tq >= 0 && (rq < 0 || tq <= rq)) { /* on the same event: who, then what */
        if (lv_grow((void **)&pr->en, &pr->capen, sizeof *pr->en, p->nenabled)) return LV_ENOMEM;
        memcpy(pr->en, p->enabled, p->nenabled * sizeof *p->enabled);
        pr->nen = p->nenabled;
        pr->q = (lv_pq){.kind = LV_PQ_THREAD,
                        .seq = tq,
                        .thread = tr->schedule[p->index],
                        .obj = LV_NONE,
                        .answer = tr->schedule[p->index]};
    } else if (rq >= 0) {
        const lv_event *e = &tr->events[rq];
        pr->q = (lv_pq){
            .kind = LV_PQ_READ, .seq = rq, .thread = e->thread, .obj = e->obj, .answer = e->value};
        read_options(&pr->q, tr, rq);
    }
    return LV_OK;
}

int lv_pr_answer(lv_predict *pr, int64_t guess) {
    if (!pr->open) return -1;
    lv_pq *q = &pr->q;
    int ok;
    if (q->kind == LV_PQ_THREAD) {
        int known = 0;
        for (size_t i = 0; i < pr->nen; i++)
            known |= pr->en[i] == guess;
        if (!known) return -1; /* a thread that could not run is no guess */
        ok = guess == q->answer;
        pr->thread_done = q->seq;
    } else if (q->kind == LV_PQ_READ) {
        if (guess < 1 || (size_t)guess > q->nopts) return -1;
        ok = q->opts[guess - 1] == q->answer;
        pr->read_done = q->seq;
    } else {
        return -1;
    }
    pr->typing = 0;
    pr->typed_left = 0;
    pr->asked++;
    pr->right += ok;
    lv_pmark *m = NULL;
    if (!lv_grow((void **)&pr->marks, &pr->capmarks, sizeof *pr->marks, pr->nmarks + 1))
        m = &pr->marks[pr->nmarks++];
    if (m) *m = (lv_pmark){q->seq, q->thread, (uint8_t)ok};
    pr->open = 0;
    return ok;
}

int lv_pr_letter(const lv_predict *pr, int c) {
    if (!pr->open || pr->q.kind != LV_PQ_READ) return 0;
    if (c >= 'A' && c <= 'Z') c += 'a' - 'A';
    if (c < 'a' || c >= 'a' + (int)pr->q.nopts) return 0;
    return c - 'a' + 1;
}

#define TYPE_WAIT 0.7 /* seconds a value that could go on waits for its next digit */

/* Whether a longer value offered starts with the digits of v (v >= 0). */
static int could_go_on(const lv_pq *q, int64_t v) {
    for (size_t i = 0; i < q->nopts; i++) {
        int64_t o = q->opts[i];
        if (o <= v) continue;
        while (o > v && o >= 10)
            o /= 10;
        if (o == v) return 1;
    }
    return 0;
}

static int option_of(const lv_pq *q, int64_t v) {
    for (size_t i = 0; i < q->nopts; i++)
        if (q->opts[i] == v) return (int)i + 1;
    return -1;
}

int lv_pr_digit(lv_predict *pr, int digit) {
    if (!pr->open || pr->q.kind != LV_PQ_READ || digit < 0 || digit > 9) return -1;
    int64_t v = pr->typing && pr->typed <= (INT64_MAX - 9) / 10 ? pr->typed * 10 + digit : digit;
    if (pr->typing && v != digit && option_of(&pr->q, v) < 0 && !could_go_on(&pr->q, v))
        v = digit; /* no longer value offered: a new one */
    if (could_go_on(&pr->q, v)) {
        pr->typed = v;
        pr->typing = 1;
        pr->typed_left = TYPE_WAIT;
        return 0;
    }
    pr->typing = 0;
    pr->typed_left = 0;
    return option_of(&pr->q, v);
}

int lv_pr_tick(lv_predict *pr, double dt) {
    if (!pr->typing || dt <= 0) return 0;
    pr->typed_left -= dt;
    if (pr->typed_left > 0) return 0;
    pr->typing = 0;
    pr->typed_left = 0;
    if (!pr->open || pr->q.kind != LV_PQ_READ) return 0;
    return option_of(&pr->q, pr->typed);
}

static int measure(const lv_viewport *vp, lv_font_id f, const char *s) {
    size_t n = strlen(s);
    return vp->measure ? vp->measure(vp->measure_ctx, f, s, n) : (int)n * 9;
}

void lv_pr_layout(lv_predict *pr, const lv_frame *f, const lv_viewport *vp, const lv_trace *tr) {
    for (int i = 0; i < LV_PQ_MAXOPT; i++)
        pr->opt[i] = (lv_rect){0, 0, 0, 0};
    if (!pr->on) return;
    int lang = vp->lang, pad = iround(8 * f->scale);
    lv_rect bar = f->sched_bar;
    int lh = f->line_h[LV_FONT_BODY], y = bar.y + (bar.h - lh) / 2;
    char a[24], b[24];
    snprintf(a, sizeof a, "%d", pr->right);
    snprintf(b, sizeof b, "%d", pr->asked);
    char score[64];
    snprintf(score, sizeof score, lv_tr(lang, LV_T_PRED_SCORE), a, b);
    lv_textf(pr->title_text, sizeof pr->title_text, "%s · %s", lv_tr(lang, LV_T_PRED), score);
    pr->title = (lv_rect){pad, y, measure(vp, LV_FONT_BODY, pr->title_text) + 2 * pad, lh};
    int right = bar.w - pad;
    if (pr->open && pr->q.kind == LV_PQ_READ) { /* the values as lettered boxes, at the right */
        int x = right;
        for (size_t i = pr->q.nopts; i-- > 0;) {
            snprintf(pr->opt_text[i], sizeof pr->opt_text[i], "%c: %" PRId64, (char)('A' + i),
                     pr->q.opts[i]);
            int w = measure(vp, LV_FONT_BODY, pr->opt_text[i]) + 2 * pad;
            x -= w;
            pr->opt[i] =
                (lv_rect){x, bar.y + iround(4 * f->scale), w, bar.h - iround(8 * f->scale)};
            x -= pad;
        }
        right = x - pad;
    }
    int tx = pr->title.x + pr->title.w + pad;
    pr->text = (lv_rect){tx, y, right > tx ? right - tx : 0, lh};
    if (!pr->open) {
        lv_textf(pr->text_text, sizeof pr->text_text, "%s",
                 lv_tr(lang, pr->q.kind == LV_PQ_NONE ? LV_T_PRED_DONE : LV_T_PRED_WAIT));
    } else if (pr->q.kind == LV_PQ_THREAD) {
        char list[400];
        size_t n = 0;
        list[0] = 0;
        for (size_t i = 0; i < pr->nen && n < sizeof list; i++)
            n += (size_t)lv_textf(list + n, sizeof list - n, "%s%s (%d)", i ? " / " : "",
                                  lv_trace_thread_name(tr, pr->en[i]), (int)pr->en[i]);
        lv_textf(pr->text_text, sizeof pr->text_text, lv_tr(lang, LV_T_PRED_WHO), list);
    } else {
        lv_textf(pr->text_text, sizeof pr->text_text, lv_tr(lang, LV_T_PRED_READ),
                 lv_trace_thread_name(tr, pr->q.thread), lv_trace_object_name(tr, pr->q.obj));
    }
}

int lv_pr_hit(const lv_predict *pr, int x, int y) {
    if (!pr->on || !pr->open || pr->q.kind != LV_PQ_READ) return 0;
    for (size_t i = 0; i < pr->q.nopts; i++)
        if (lv_rect_has(pr->opt[i], x, y)) return (int)i + 1;
    return 0;
}

static int cmp_at(const void *a, const void *b) {
    const lv_pmark_at *x = a, *y = b;
    if (x->y != y->y) return (x->y > y->y) - (x->y < y->y);
    if (x->x != y->x) return (x->x > y->x) - (x->x < y->x);
    return (x->seq > y->seq) - (x->seq < y->seq);
}

lv_err lv_pr_place(lv_predict *pr, const lv_frame *f, const lv_scene *s) {
    pr->nplaced = 0;
    if (!pr->on || !pr->nmarks) return LV_OK;
    if (lv_grow((void **)&pr->placed, &pr->capplaced, sizeof *pr->placed, pr->nmarks))
        return LV_ENOMEM;
    const lv_trace *tr = s->tr;
    for (size_t i = 0; i < pr->nmarks; i++) {
        const lv_pmark *m = &pr->marks[i];
        if (m->seq < 0 || (size_t)m->seq >= tr->nevents) continue;
        const lv_lane *ln = NULL;
        for (size_t k = 0; k < f->nlanes && !ln; k++)
            if (f->lanes[k].thread == m->thread) ln = &f->lanes[k];
        if (!ln) continue;
        lv_pmark_at *a = &pr->placed[pr->nplaced++];
        a->x = iround(lv_frame_x(f, s, tr->events[m->seq].t));
        if (ln->marks.h > 0) {
            a->r = ln->marks.h / 2;
            a->y = ln->marks.y + ln->marks.h / 2;
        } else { /* no row: no notes either, the band has it */
            a->r = ln->band.h / 2;
            if (a->r > f->line_h[LV_FONT_NOTE] / 2) a->r = f->line_h[LV_FONT_NOTE] / 2;
            a->y = ln->band.y + ln->band.h / 2;
        }
        if (a->r < 2) a->r = 2;
        a->seq = m->seq;
        a->ok = m->ok;
    }
    /* lane by lane, left to right: a mark that would touch the one before moves right */
    qsort(pr->placed, pr->nplaced, sizeof *pr->placed, cmp_at);
    for (size_t i = 1; i < pr->nplaced; i++) {
        lv_pmark_at *a = &pr->placed[i], *b = &pr->placed[i - 1];
        if (a->y == b->y && a->x < b->x + b->r + a->r + 1) a->x = b->x + b->r + a->r + 1;
    }
    return LV_OK;
}
