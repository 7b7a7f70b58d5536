/* Predict mode, pure: while a controlled run plays, the viewer stops before each choice (who
 * runs next?) and before each read of a shared variable (what will it return?), takes the
 * guess, keeps score, and marks each answer on the timeline. No SDL and no runs: the viewer
 * passes in the trace and the choice after the playhead (its scheduler callbacks); drawing is
 * render_sched.c's. */
#ifndef LV_VIZ_PREDICT_H
#define LV_VIZ_PREDICT_H

#include "schedview.h"

typedef enum lv_pq_kind { LV_PQ_NONE, LV_PQ_THREAD, LV_PQ_READ } lv_pq_kind;

#define LV_PQ_MAXOPT 9

/* A question: about event seq, which the playhead stops just before. */
typedef struct lv_pq {
    lv_pq_kind kind;
    long seq;
    int32_t thread;             /* read: who reads */
    int32_t obj;                /* read: the var */
    int64_t answer;             /* thread: who runs next; read: the value it returns */
    int64_t opts[LV_PQ_MAXOPT]; /* read: the values offered, ascending, lettered A, B, C ... */
    size_t nopts;
} lv_pq;

/* An answered question, marked on the timeline at its event. */
typedef struct lv_pmark {
    long seq;
    int32_t thread; /* whose lane */
    uint8_t ok;
} lv_pmark;

/* Where a mark is drawn (lv_pr_place): a disc of radius r centred at (x, y), in its lane's
 * row of marks, so it covers no note; marks that would touch are moved apart to the right. */
typedef struct lv_pmark_at {
    int x, y, r;
    long seq;
    uint8_t ok;
} lv_pmark_at;

typedef struct lv_predict {
    int on;
    int open;    /* q is being asked: the player waits */
    lv_pq q;     /* the next question ahead of the playhead, or the one asked */
    int32_t *en; /* thread question: the threads that could run, ascending */
    size_t nen, capen;
    long thread_done, read_done; /* questions about events up to these are behind */
    int right, asked;
    lv_pmark *marks;
    size_t nmarks, capmarks;
    lv_pmark_at *placed; /* the marks on the lanes shown (lv_pr_place) */
    size_t nplaced, capplaced;
    /* a value being typed for a read question: values of two digits and more take more keys */
    int64_t typed;
    int typing;
    double typed_left;
    /* the bar (lv_pr_layout) */
    lv_rect title, text, opt[LV_PQ_MAXOPT];
    char title_text[128], text_text[512], opt_text[LV_PQ_MAXOPT][48];
} lv_predict;

void lv_pr_init(lv_predict *pr);
void lv_pr_free(lv_predict *pr);
/* A new run: no question, no score, no marks (mode kept). */
void lv_pr_reset(lv_predict *pr);

/* Where to look for the next choice: the later of the playhead's seq and the event of the last
 * "who runs next" answered (its choice is behind, even when the playhead waits before it). */
long lv_pr_from(const lv_predict *pr, long seq);
/* The first question after the playhead at seq of tr into pr->q (kind LV_PQ_NONE when there
 * is none), p being the choice after lv_pr_from(pr, seq) (NULL: none). Not asked yet.
 * LV_ENOMEM on failure. */
lv_err lv_pr_peek(lv_predict *pr, const lv_trace *tr, long seq, const lv_sched_point *p);
/* The guess for the open question: a thread id (thread question) or an option's number, 1 to
 * nopts (read question). 1 right, 0 wrong (scored, marked, the question closed), -1 when it is
 * no answer to this question (nothing changes). */
int lv_pr_answer(lv_predict *pr, int64_t guess);
/* A read question's options are lettered: the option number (1 ...) of letter c ('a' or 'A' is
 * the first), or 0 when c letters no option of the open read question. */
int lv_pr_letter(const lv_predict *pr, int c);
/* A digit typed for the open read question names a value, not an option: the number of the
 * option whose value was typed once it is complete (a value that could go on, like 1 when 12
 * is offered, waits for the next digit or lv_pr_tick), 0 while it waits, -1 when the value
 * typed is none of the options (the typing starts over). */
int lv_pr_digit(lv_predict *pr, int digit);
/* Time passes: a value that waited is taken as it is when its time is up (as lv_pr_digit). */
int lv_pr_tick(lv_predict *pr, double dt);

/* The bar's words and option boxes, in vp's language, for the trace tr. */
void lv_pr_layout(lv_predict *pr, const lv_frame *f, const lv_viewport *vp, const lv_trace *tr);
/* The option box at (x, y): its number (1 ...), or 0. */
int lv_pr_hit(const lv_predict *pr, int x, int y);
/* Places the marks of the answers on f's lanes (scene s) into pr->placed: each in its lane's
 * row of marks (lv_lane.marks; inside the band when the lane had no room for one), never over
 * another mark. LV_ENOMEM on failure. */
lv_err lv_pr_place(lv_predict *pr, const lv_frame *f, const lv_scene *s);

#endif
