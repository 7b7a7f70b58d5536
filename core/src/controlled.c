/* The controlled-mode scheduler: one scenario thread runs at a time; at every scheduling
 * point the running thread computes which threads can run, a policy (or a replayed schedule,
 * or a chooser) picks one, and the baton passes by that thread's semaphore. Only the thread
 * holding the baton touches this state, so it needs no lock. Time is virtual: each point
 * costs LV__STEP_NS, and when nothing can run the clock jumps to the earliest deadline.
 * When nothing can run and no deadline is left, the run is deadlocked: it ends, recorded.
 * It does not decide what operations mean: the primitives set the op and re-check on return. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

void lv__ctl_setup(lv__run *run) {
    run->ctl = 1;
    run->vnow = 0;
    run->diverged_at = -1;
    uint64_t s = run->desc.seed ^ 0xC0FFEE1234567ULL;
    run->rng = lv__splitmix64(&s);
    if (run->desc.policy == LV_POLICY_PCT) {
        int d = run->desc.pct_depth > 0 ? run->desc.pct_depth : 3;
        if (d > 17) d = 17;
        size_t k = run->desc.pct_steps ? run->desc.pct_steps : 50;
        run->pct_nchange = d - 1;
        for (int i = 0; i < run->pct_nchange; i++)
            run->pct_change[i] = (size_t)(lv__splitmix64(&run->rng) % k);
    }
}

void lv__ctl_teardown(lv__run *run) {
    free(run->en);
    free(run->en_ids);
    free(run->sched);
}

static int is_enabled(const lv__run *run, const lv_thread *t) {
    if (t->ctl_ended || t->ended) return 0;
    const lv__op *op = &t->op;
    switch (op->kind) {
    case LV__OP_RUN:
        return 1;
    case LV__OP_LOCK: {
        int64_t *count;
        lv__lockcore *c = lv__lock_core(op->obj, &count);
        if (atomic_load_explicit(&c->state, memory_order_relaxed) == 0) return 1;
        break;
    }
    case LV__OP_SEM:
        if (((const struct lv_sem *)op->obj)->count > 0) return 1;
        break;
    case LV__OP_EVENT:
        if (((const struct lv_event_obj *)op->obj)->flag) return 1;
        break;
    case LV__OP_COND:
        if (op->waiter && op->waiter->notified) return 1;
        break;
    case LV__OP_JOIN:
        if (op->target->ctl_ended) return 1;
        break;
    case LV__OP_SLEEP:
        break;
    }
    return run->vnow >= op->deadline;
}

static int grow_enabled(lv__run *run) {
    if (run->capen >= run->nthreads) return 0;
    size_t cap = run->nthreads * 2;
    lv_thread **en = realloc(run->en, cap * sizeof *en);
    if (en) run->en = en;
    int32_t *ids = realloc(run->en_ids, cap * sizeof *ids);
    if (ids) run->en_ids = ids;
    if (!en || !ids) return -1;
    run->capen = cap;
    return 0;
}

static int record_choice(lv__run *run, int32_t id) {
    if (run->nsched == run->capsched) {
        size_t cap = run->capsched ? run->capsched * 2 : 64;
        int32_t *n = realloc(run->sched, cap * sizeof *n);
        if (!n) return -1;
        run->sched = n;
        run->capsched = cap;
    }
    run->sched[run->nsched++] = id;
    return 0;
}

static lv_thread *policy_pick(lv__run *run, lv_thread *cur, lv_thread **en, size_t n) {
    switch (run->desc.policy) {
    case LV_POLICY_RR:
        for (size_t i = 0; i < n; i++)
            if (en[i]->id > cur->id) return en[i];
        return en[0];
    case LV_POLICY_PCT: {
        for (int i = 0; i < run->pct_nchange; i++)
            if (run->pct_change[i] == run->nsched) cur->prio = (uint64_t)i; /* lowest band */
        lv_thread *best = en[0];
        for (size_t i = 1; i < n; i++)
            if (en[i]->prio > best->prio) best = en[i];
        return best;
    }
    case LV_POLICY_RANDOM:
    default:
        return en[lv__splitmix64(&run->rng) % n];
    }
}

/* Everything this scheduling point decides. NULL: nothing can ever run again. */
static lv_thread *pick(lv__run *run, lv_thread *self) {
    run->vnow += LV__STEP_NS;
    if (grow_enabled(run) < 0) return NULL;
    size_t n;
    for (;;) {
        n = 0;
        for (size_t i = 0; i < run->nthreads; i++)
            if (is_enabled(run, run->threads[i])) run->en[n++] = run->threads[i];
        if (n) break;
        int64_t next = INT64_MAX;
        for (size_t i = 0; i < run->nthreads; i++) {
            lv_thread *t = run->threads[i];
            if (!t->ctl_ended && !t->ended && t->op.deadline < next) next = t->op.deadline;
        }
        if (next == INT64_MAX) return NULL;
        run->vnow = next > run->vnow ? next : run->vnow; /* the earliest sleeper or timeout */
    }
    if (n == 1) return run->en[0];
    lv_thread *chosen = NULL;
    size_t index = run->nsched;
    if (index < run->desc.nschedule) {
        int32_t want = run->desc.schedule[index];
        for (size_t i = 0; i < n; i++)
            if (run->en[i]->id == want) chosen = run->en[i];
        if (!chosen && run->diverged_at < 0) run->diverged_at = (long)index;
    }
    if (!chosen && run->desc.chooser) {
        for (size_t i = 0; i < n; i++)
            run->en_ids[i] = run->en[i]->id;
        size_t recorded = 0; /* the others are parked: their buffers are still */
        for (size_t i = 0; i < run->nthreads; i++)
            recorded += (size_t)run->threads[i]->buf.count;
        lv_choice c = {index, run->en_ids, n, self->id, run->vnow, recorded};
        int32_t want = run->desc.chooser(run->desc.chooser_ctx, &c);
        for (size_t i = 0; i < n && want >= 0; i++)
            if (run->en[i]->id == want) chosen = run->en[i];
    }
    if (!chosen) chosen = policy_pick(run, self, run->en, n);
    if (record_choice(run, chosen->id) < 0) return NULL;
    return chosen;
}

static void wait_turn(lv_thread *self) {
    while (sem_wait(&self->go) != 0 && errno == EINTR) {
    }
    if (atomic_load(&self->run->aborting)) lv__give_up(self);
}

void lv__ctl_wait_turn(lv_thread *self) {
    wait_turn(self);
}

/* Nothing can run and nothing will wake: the run is deadlocked (or out of memory). Every
 * other unfinished thread is woken to give up; the caller then gives up or finishes. */
static void end_stuck_run(lv_thread *self) {
    lv__run *run = self->run;
    int stuck = 0;
    for (size_t i = 0; i < run->nthreads; i++) {
        lv_thread *t = run->threads[i];
        if (!t->ctl_ended && !t->ended) stuck = 1;
    }
    if (!stuck) return; /* everyone finished: the run is simply over */
    pthread_mutex_lock(&run->mu);
    if (run->outcome == LV_OUT_COMPLETED) run->outcome = LV_OUT_DEADLOCKED;
    pthread_mutex_unlock(&run->mu);
    atomic_store(&run->aborting, 1);
    for (size_t i = 0; i < run->nthreads; i++) {
        lv_thread *t = run->threads[i];
        if (t != self && !t->ctl_ended && !t->ended) sem_post(&t->go);
    }
}

static void switch_to(lv_thread *self, lv_thread *next) {
    if (!next) {
        end_stuck_run(self);
        lv__give_up(self);
    }
    if (next != self) {
        sem_post(&next->go);
        wait_turn(self);
    }
}

void lv__ctl_point(lv_thread *self) {
    self->op = (lv__op){LV__OP_RUN, NULL, NULL, NULL, INT64_MAX};
    switch_to(self, pick(self->run, self));
}

void lv__ctl_block(lv_thread *self, lv__opkind kind, lv__obj *obj, int64_t timeout_ns) {
    lv__run *run = self->run;
    self->op.kind = kind;
    self->op.obj = obj;
    self->op.deadline = timeout_ns < 0 ? INT64_MAX : run->vnow + timeout_ns;
    switch_to(self, pick(run, self));
    self->op = (lv__op){LV__OP_RUN, NULL, NULL, NULL, INT64_MAX};
}

void lv__ctl_exit(lv_thread *self) {
    self->ctl_ended = 1;
    lv_thread *next = pick(self->run, self);
    if (next)
        sem_post(&next->go);
    else
        end_stuck_run(self);
}
