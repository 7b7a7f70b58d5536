/* A classroom session: a person picks which thread runs at each choice point of a controlled
 * run. Every change re-runs the scenario from the start (a run takes milliseconds, and the
 * same choices give the same run), records every choice point of the run (its virtual time,
 * the threads that could run, the events recorded before it), and shows the run cut at the
 * first choice not made yet: the frontier. Pure C on lv_run: no SDL, no registry, no drawing. */
#ifndef LV_VIZ_SESSION_H
#define LV_VIZ_SESSION_H

#include <stddef.h>
#include <stdint.h>
#include "lockviz/run.h"

typedef struct lv_session lv_session;

/* A choice point of the session's last run. */
typedef struct lv_session_point {
    size_t index;           /* 0, 1, 2 ... over the run's choice points */
    int64_t vnow;           /* its virtual time: the events before it are those with t < vnow */
    size_t nbefore;         /* how many events the run had recorded before it */
    int32_t current;        /* the thread that reached it */
    int32_t picked;         /* the thread that ran next in the last run */
    const int32_t *enabled; /* the threads that could run, ascending; owned by the session,
                               valid until its next run */
    size_t nenabled;
} lv_session_point;

/* A session on d's scenario, variant, parameters, seed and policy (copied; d's schedule and
 * chooser are not used). Nothing runs until lv_session_run. LV_EUSAGE when d is not a
 * controlled run of a scenario, LV_ENOMEM. */
lv_err lv_session_new(const lv_run_desc *d, lv_session **out);
void lv_session_free(lv_session *s); /* accepts NULL; frees the session's traces */
/* New settings for the runs from now on (a new seed, another variant); the last run stays. */
lv_err lv_session_set_desc(lv_session *s, const lv_run_desc *d);

/* Runs the scenario again: choice point i gets choices[i] for i < n; at choice point n, the
 * frontier, the policy takes over and finishes the run (so the whole run exists too). An entry
 * naming a thread that cannot run at its point is a divergence: the policy picks there, and
 * lv_session_diverged says where. On error the last run is kept. */
lv_err lv_session_run(lv_session *s, const int32_t *choices, size_t n);

/* The last run, whole (NULL before the first run). Owned by the session, valid until its next
 * run. */
const lv_trace *lv_session_full(const lv_session *s);
size_t lv_session_npoints(const lv_session *s);
/* Choice point i of the last run into *out: 0, or -1 when there is no such point. */
int lv_session_point_at(const lv_session *s, size_t i, lv_session_point *out);
/* The frontier's index, or -1 when the run ended before reaching it (nothing left to pick). */
long lv_session_frontier(const lv_session *s);
/* The first choice whose thread could not run, or -1 when every choice was followed. */
long lv_session_diverged(const lv_session *s);

/* What to show: the last run cut at the frontier (its first nbefore events and its choices,
 * findings recomputed, outcome "aborted": lv_trace_prefix), or the whole run when whole is 1
 * or the run ended before the frontier. A new trace that the caller owns. */
lv_err lv_session_shown(const lv_session *s, int whole, lv_trace **out);

/* The choice point a pick changes when the playhead is at event seq (-1: before the first) of
 * the trace lv_session_shown(whole) gave: the choice that decides who does the next thing that
 * shows. That is the first point after the playhead's event, moved on past points whose picked
 * thread recorded nothing before the next point (a sleeper waking up), to the last point before
 * the next shown event; at the end of a cut run, the frontier. -1 when no choice is left after
 * the playhead. */
long lv_session_branch_point(const lv_session *s, int whole, long seq);

/* Branches: the choices of the last run before point i, then thread at i; re-runs (the new
 * frontier is i + 1). LV_EUSAGE, changing nothing, when there is no point i or thread cannot
 * run there. */
lv_err lv_session_pick(lv_session *s, size_t i, int32_t thread);

/* ---- schedule strings: "1,2,2,1", as lockviz run --schedule takes them ---- */

/* Writes ids as a comma-separated list into buf (cut to len, always terminated); returns the
 * length the whole list needs, like snprintf. */
size_t lv_schedule_format(const int32_t *ids, size_t n, char *buf, size_t len);
/* Parses a non-empty list of thread ids separated by commas into *out (malloc'd, the caller
 * frees it). 0 on success; -1 when s is not such a list (*out untouched). */
int lv_schedule_parse(const char *s, int32_t **out, size_t *n);
/* The command that replays tr's run: "lockviz run SCENARIO --variant V --seed N --set P=X ...
 * --schedule LIST" (every parameter, so the defaults of another build do not matter). Written
 * like lv_schedule_format. */
size_t lv_schedule_command(const lv_trace *tr, char *buf, size_t len);

#endif
