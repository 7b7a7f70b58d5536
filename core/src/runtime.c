/* The runtime: a run's threads and objects, spawning and joining, sleeps and notes, the live
 * watchdog, and lv_run, which starts a scenario's main and turns what it recorded into a trace.
 * Threads are real pthreads in both modes; in a controlled run each of these operations is also
 * a scheduling point, and a thread waits for its turn there (controlled.c decides whose). */
#include <assert.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "internal.h"

_Thread_local lv_thread *lv__tls_self;

int64_t lv__deadline(int64_t timeout_ns) {
    if (timeout_ns < 0) return INT64_MAX;
    return lv__mono_ns() + timeout_ns;
}

void lv__condvar_init(pthread_cond_t *cv) {
    pthread_condattr_t a;
    pthread_condattr_init(&a);
    pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
    pthread_cond_init(cv, &a);
    pthread_condattr_destroy(&a);
}

/* Blocked waits wake at least this often to see whether the run is being aborted. */
#define WAIT_SLICE_NS 50000000LL

int lv__cond_wait_slice(pthread_cond_t *cv, pthread_mutex_t *mu, int64_t deadline) {
    int64_t now = lv__mono_ns();
    if (now >= deadline) return 1;
    int64_t until = deadline - now > WAIT_SLICE_NS ? now + WAIT_SLICE_NS : deadline;
    struct timespec ts = {.tv_sec = until / 1000000000LL, .tv_nsec = until % 1000000000LL};
    pthread_cond_timedwait(cv, mu, &ts);
    return lv__mono_ns() >= deadline;
}

/* ---- objects ---- */

void *lv__obj_new(size_t size, lv_obj_kind kind, const char *name, int64_t param) {
    lv_thread *self = lv__self();
    lv__run *run = self->run;
    size_t rounded = (size + 63) / 64 * 64; /* own cache lines: no false sharing between locks */
    lv__obj *o = aligned_alloc(64, rounded);
    char *nm = strdup(name ? name : "?");
    if (!o || !nm) goto fail;
    memset(o, 0, rounded);
    o->kind = kind;
    o->run = run;
    atomic_init(&o->last_t, -1);
    pthread_mutex_lock(&run->mu);
    if (run->nobjs == run->capobjs) {
        size_t cap = run->capobjs ? run->capobjs * 2 : 16;
        lv__objmeta *n = realloc(run->objs, cap * sizeof *n);
        if (!n) {
            pthread_mutex_unlock(&run->mu);
            goto fail;
        }
        run->objs = n;
        run->capobjs = cap;
    }
    o->id = (int32_t)run->nobjs;
    run->objs[run->nobjs++] = (lv__objmeta){o, nm, param};
    pthread_mutex_unlock(&run->mu);
    return o;
fail:
    free(o);
    free(nm);
    fprintf(stderr, "lockviz: out of memory creating object %s\n", name ? name : "?");
    abort();
}

/* ---- threads ---- */

int64_t lv_random(int64_t lo, int64_t hi) {
    lv_thread *self = lv__self();
    if (hi <= lo) return lo;
    uint64_t span = (uint64_t)(hi - lo) + 1;
    return lo + (int64_t)(lv__splitmix64(&self->rng) % span);
}

int lv_self_id(void) {
    return lv__self()->id;
}

const char *lv_self_name(void) {
    return lv__self()->name;
}

static void thread_finish(lv_thread *self, int how) {
    lv__run *run = self->run;
    pthread_mutex_lock(&run->mu);
    self->ended = how;
    self->end_t = self->last_t;
    run->live_threads--;
    pthread_cond_broadcast(&run->cv);
    pthread_mutex_unlock(&run->mu);
}

/* The thread ends, but stays until every thread of the run has stopped: others may still read
 * its stack (a scenario's main hands its locals to the threads it spawned, and a thread that
 * was running when the run was found deadlocked goes on until its next wait), and the C
 * library hands an exited thread's stack pages back at once. */
_Noreturn void lv__give_up(lv_thread *self) {
    lv__wait_end(self);
    thread_finish(self, 2);
    lv__run *run = self->run;
    pthread_mutex_lock(&run->mu);
    while (run->live_threads > 0)
        pthread_cond_wait(&run->cv, &run->mu);
    pthread_mutex_unlock(&run->mu);
    pthread_exit(NULL);
}

static void *thread_main(void *p) {
    lv_thread *self = p;
    lv__tls_self = self;
    if (self->run->ctl) lv__ctl_wait_turn(self);
    lv__emit(self, lv__stamp_after(self, self->start_t), LV_EV_START, LV_NONE, 0, 0);
    self->fn(self->arg);
    lv__emit(self, lv__stamp(self), LV_EV_END, LV_NONE, 0, 0);
    if (self->run->ctl) lv__ctl_exit(self);
    thread_finish(self, 1);
    return NULL;
}

static lv_thread *thread_new(lv__run *run, const char *name, void (*fn)(void *), void *arg) {
    lv_thread *t = aligned_alloc(64, (sizeof *t + 63) / 64 * 64);
    char *nm = strdup(name ? name : "?");
    if (!t || !nm) {
        free(t);
        free(nm);
        return NULL;
    }
    memset(t, 0, sizeof *t);
    t->name = nm;
    t->run = run;
    t->fn = fn;
    t->arg = arg;
    t->start_t = -1;
    t->op = (lv__op){LV__OP_RUN, NULL, NULL, NULL, INT64_MAX};
    if (sem_init(&t->go, 0, 0) != 0) {
        free(t);
        free(nm);
        return NULL;
    }
    t->go_init = 1;
    atomic_init(&t->waiting_for, NULL);
    atomic_init(&t->waiting_thread, LV_NONE);
    atomic_init(&t->waiting_timed, 0);
    atomic_init(&t->wait_gen, 0);
    pthread_mutex_lock(&run->mu);
    if (run->nthreads == run->capthreads) {
        size_t cap = run->capthreads ? run->capthreads * 2 : 16;
        lv_thread **n = realloc(run->threads, cap * sizeof *n);
        if (!n) {
            pthread_mutex_unlock(&run->mu);
            free(nm);
            free(t);
            return NULL;
        }
        run->threads = n;
        run->capthreads = cap;
    }
    t->id = (int32_t)run->nthreads;
    uint64_t s = run->desc.seed ^ (0x5851F42D4C957F2DULL * (uint64_t)(t->id + 1));
    t->rng = lv__splitmix64(&s);
    if (run->ctl) t->prio = 64 + (lv__splitmix64(&run->rng) >> 8); /* above PCT's change bands */
    run->threads[run->nthreads++] = t;
    run->live_threads++;
    pthread_mutex_unlock(&run->mu);
    return t;
}

static int thread_start(lv_thread *t) {
    pthread_attr_t a;
    pthread_attr_init(&a);
    pthread_attr_setstacksize(&a, 256 * 1024);
    int rc = pthread_create(&t->pt, &a, thread_main, t);
    pthread_attr_destroy(&a);
    if (rc == 0) {
        t->pt_started = 1;
        return 0;
    }
    lv__run *run = t->run;
    pthread_mutex_lock(&run->mu);
    t->ended = 2;
    run->live_threads--;
    pthread_cond_broadcast(&run->cv);
    pthread_mutex_unlock(&run->mu);
    return -1;
}

/* A thread that cannot start ends the run: the spawner records why and gives up, and every
 * blocked wait gives up after it, so the run ends "aborted" instead of half-running. */
static _Noreturn void run_fail(lv_thread *self, lv_err err, const char *what) {
    lv__run *run = self->run;
    pthread_mutex_lock(&run->mu);
    if (run->error == LV_OK) run->error = err;
    run->outcome = LV_OUT_ABORTED;
    pthread_mutex_unlock(&run->mu);
    lv__emit_text(self, lv__stamp(self), what, 0);
    atomic_store(&run->aborting, 1);
    if (run->ctl) /* the others wait for their turn: wake them to give up */
        for (size_t i = 0; i < run->nthreads; i++)
            if (run->threads[i] != self) sem_post(&run->threads[i]->go);
    lv__give_up(self);
}

lv_thread *lv_spawn(const char *name, void (*fn)(void *), void *arg) {
    lv_thread *self = lv__self();
    if (self->run->ctl) lv__ctl_point(self);
    lv_thread *t = thread_new(self->run, name, fn, arg);
    if (!t) run_fail(self, LV_ENOMEM, "lockviz: out of memory spawning a thread");
    int64_t ts = lv__stamp(self);
    t->start_t = ts;
    lv__emit(self, ts, LV_EV_SPAWN, LV_NONE, 1, t->id);
    if (thread_start(t) != 0) run_fail(self, LV_ETHREAD, "lockviz: could not start a thread");
    return t;
}

bool lv_join_timeout(lv_thread *t, int64_t timeout_ns) {
    lv_thread *self = lv__self();
    lv__run *run = self->run;
    if (run->ctl) {
        lv__ctl_point(self);
        lv__emit(self, run->vnow, LV_EV_JOIN, LV_NONE, 1, t->id);
        if (!t->ctl_ended && timeout_ns != 0) {
            self->op.target = t;
            lv__ctl_block(self, LV__OP_JOIN, NULL, timeout_ns);
        }
        if (t->ctl_ended) return true;
        lv__emit(self, run->vnow, LV_EV_TIMEOUT, LV_NONE, 1, t->id);
        return false;
    }
    lv__emit(self, lv__stamp(self), LV_EV_JOIN, LV_NONE, 1, t->id);
    int64_t deadline = lv__deadline(timeout_ns);
    int done = 0, timed_out = 0;
    int64_t end_t = 0;
    lv__wait_begin(self, NULL, t->id, timeout_ns >= 0);
    pthread_mutex_lock(&run->mu);
    for (;;) {
        if (t->ended == 1) {
            done = 1;
            end_t = t->end_t;
            break;
        }
        if (atomic_load(&run->aborting)) break;
        if (timeout_ns == 0 || lv__cond_wait_slice(&run->cv, &run->mu, deadline)) {
            if (t->ended == 1) continue;
            timed_out = 1;
            break;
        }
    }
    pthread_mutex_unlock(&run->mu);
    lv__wait_end(self);
    if (done) {
        /* what follows the join comes after the joined thread's end */
        if (self->last_t <= end_t) self->last_t = end_t + 1;
        return true;
    }
    if (timed_out) {
        lv__emit(self, lv__stamp(self), LV_EV_TIMEOUT, LV_NONE, 1, t->id);
        return false;
    }
    lv__give_up(self); /* aborted, or the joined thread gave up: this join can never finish */
}

void lv_join(lv_thread *t) {
    lv_join_timeout(t, LV_FOREVER);
}

void lv_sleep(int64_t ns) {
    lv_thread *self = lv__self();
    if (ns < 0) ns = 0;
    if (self->run->ctl) {
        lv__ctl_point(self);
        lv__emit(self, self->run->vnow, LV_EV_SLEEP, LV_NONE, 1, ns);
        lv__ctl_block(self, LV__OP_SLEEP, NULL, ns);
        return;
    }
    lv__emit(self, lv__stamp(self), LV_EV_SLEEP, LV_NONE, 1, ns);
    int64_t real = (int64_t)((double)ns * self->run->time_scale);
    struct timespec ts = {.tv_sec = real / 1000000000LL, .tv_nsec = real % 1000000000LL};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

void lv_busy(int64_t ns) {
    lv_thread *self = lv__self();
    if (ns <= 0) return;
    if (self->run->ctl) {
        lv__ctl_point(self);
        lv__ctl_block(self, LV__OP_SLEEP, NULL, ns);
        return;
    }
    int64_t until = lv__mono_ns() + (int64_t)((double)ns * self->run->time_scale);
    while (lv__mono_ns() < until) {
    }
}

static void note_v(uint8_t flags, const char *fmt, va_list ap) {
    lv_thread *self = lv__self();
    char small[512], *buf = small; /* a longer note is written whole, not cut */
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(small, sizeof small, fmt, ap2);
    va_end(ap2);
    if (n >= (int)sizeof small && (buf = malloc((size_t)n + 1)))
        vsnprintf(buf, (size_t)n + 1, fmt, ap);
    lv__emit_text(self, lv__stamp(self), buf ? buf : small, flags);
    if (buf != small) free(buf);
}

void lv_note(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    note_v(0, fmt, ap);
    va_end(ap);
}

bool lv_check(bool ok, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    note_v((uint8_t)(LV_EVF_CHECK | (ok ? LV_EVF_CHECK_OK : 0)), fmt, ap);
    va_end(ap);
    return ok;
}

/* ---- the live watchdog ---- */

/* Live runs have no scheduler that knows who can run, so a watchdog looks at the threads'
 * waits every WATCH_NS. A thread in an untimed wait is stuck only when what it waits for
 * cannot happen right now, checked against the object's present state under the object's own
 * lock: a Lock or RLock wait while the lock has an owner (who must be stuck too), a join of a
 * thread that has not ended (which must be stuck too), a semaphore with no permit left, an
 * Event not set, a Condition wait not yet notified (those three: every unfinished thread must
 * be stuck, since any of them could signal). A wait whose lock is free, whose joined thread
 * ended, whose permit or notify came, is a thread that has not run yet, not a stuck one. When
 * some threads are stuck on two scans in a row, each in the same wait (the same generation,
 * object, and for a lock the same owner and acquisition), the run is deadlocked: it is marked
 * so and every blocked wait gives up. Timed waits never count: they end by themselves. */
#define WATCH_NS 100000000LL

typedef struct live_wait {
    unsigned gen;      /* the wait's generation (lv_thread.wait_gen) */
    const void *obj;   /* what it waits on; NULL for a join */
    int32_t on;        /* the one thread that can end it (lock owner, joined thread), or LV_NONE */
    uint32_t acq;      /* a lock's acquisition number, with on */
    unsigned char any; /* any unfinished thread could end it */
    unsigned char stuck;
} live_wait;

/* Fills *w with t's wait as it is now; 0 when t is not in an untimed wait that cannot end yet
 * (it runs, it sleeps, its wait has a timeout, or what it waits for is there). Called with
 * run->mu held. */
static int live_wait_of(lv__run *run, lv_thread *t, live_wait *w) {
    memset(w, 0, sizeof *w);
    w->on = LV_NONE;
    if (t->ended) return 0;
    /* one wait's fields: lv__wait_begin stores timed, gen, then what; read back between two
     * reads of gen, a non-empty what is the wait of that generation, and so is timed */
    unsigned g = atomic_load(&t->wait_gen);
    int timed = atomic_load(&t->waiting_timed);
    lv__obj *o = atomic_load(&t->waiting_for);
    int32_t j = atomic_load(&t->waiting_thread);
    if (atomic_load(&t->wait_gen) != g || timed || (!o && j == LV_NONE)) return 0;
    w->gen = g;
    if (j != LV_NONE) {
        if (j < 0 || (size_t)j >= run->nthreads || run->threads[j]->ended) return 0;
        w->on = j;
        return 1;
    }
    w->obj = o;
    int waiting = 0;
    switch (o->kind) {
    case LV_OBJ_MUTEX:
    case LV_OBJ_RLOCK: {
        int64_t *count;
        lv__lockcore *c = lv__lock_core(o, &count);
        int32_t owner = atomic_load(&c->owner);
        w->acq = atomic_load(&c->acquired);
        /* no owner: the lock is free, or being taken or let go by a thread that runs */
        if (atomic_load(&c->state) == 0 || owner < 0 || (size_t)owner >= run->nthreads ||
            atomic_load(&c->owner) != owner)
            return 0;
        if (!run->threads[owner]->ended) {
            w->on = owner;
        } else if (o->kind == LV_OBJ_MUTEX) {
            w->any = 1; /* a Lock whose holder ended: any thread may release it */
        }               /* an RLock whose owner ended: nobody can, ever */
        /* still that wait: it did not take the lock meanwhile */
        return atomic_load(&t->waiting_for) == o && atomic_load(&t->wait_gen) == g;
    }
    case LV_OBJ_SEMAPHORE:
    case LV_OBJ_BOUNDED_SEMAPHORE: {
        lv_sem *s = (lv_sem *)o;
        pthread_mutex_lock(&s->mu);
        waiting = atomic_load(&t->waiting_for) == o && s->count == 0;
        pthread_mutex_unlock(&s->mu);
        break;
    }
    case LV_OBJ_EVENT: {
        lv_event_obj *e = (lv_event_obj *)o;
        pthread_mutex_lock(&e->mu);
        waiting = atomic_load(&t->waiting_for) == o && !e->flag;
        pthread_mutex_unlock(&e->mu);
        break;
    }
    case LV_OBJ_CONDITION: {
        lv_cond *c = (lv_cond *)o;
        pthread_mutex_lock(&c->mu);
        waiting = atomic_load(&t->waiting_for) == o && t->cwait && !t->cwait->notified;
        pthread_mutex_unlock(&c->mu);
        break;
    }
    default:
        break;
    }
    w->any = 1;
    return waiting && atomic_load(&t->wait_gen) == g;
}

/* One scan: w[i].stuck for every thread that is stuck now; returns how many. Called with
 * run->mu held. A thread is stuck when its wait cannot end yet and everyone who could end it
 * is stuck too: start from every thread in such a wait and free, until nothing changes, each
 * whose waker is not stuck. */
static size_t live_scan(lv__run *run, live_wait *w) {
    size_t n = run->nthreads, unfinished = 0, stuck = 0;
    for (size_t i = 0; i < n; i++) {
        unfinished += !run->threads[i]->ended;
        w[i].stuck = (unsigned char)live_wait_of(run, run->threads[i], &w[i]);
        stuck += w[i].stuck;
    }
    for (int changed = 1; changed && stuck;) {
        changed = 0;
        for (size_t i = 0; i < n; i++) {
            if (!w[i].stuck) continue;
            int freed = w[i].on != LV_NONE ? !w[w[i].on].stuck : w[i].any && stuck < unfinished;
            if (freed) {
                w[i].stuck = 0;
                stuck--;
                changed = 1;
            }
        }
    }
    return stuck;
}

/* 1 when every thread stuck in now was stuck in before, in the same wait. */
static int live_confirmed(const live_wait *now, size_t n, const live_wait *before, size_t nb) {
    for (size_t i = 0; i < n; i++) {
        if (!now[i].stuck) continue;
        if (i >= nb || !before[i].stuck) return 0;
        const live_wait *a = &now[i], *b = &before[i];
        if (a->gen != b->gen || a->obj != b->obj || a->on != b->on || a->acq != b->acq ||
            a->any != b->any)
            return 0;
    }
    return 1;
}

static void *watchdog_main(void *p) {
    lv__run *run = p;
    live_wait *now = NULL, *before = NULL;
    size_t cap = 0, nbefore = 0;
    pthread_mutex_lock(&run->mu);
    while (run->live_threads > 0 && !atomic_load(&run->aborting)) {
        int64_t deadline = lv__mono_ns() + WATCH_NS;
        while (run->live_threads > 0 && !lv__cond_wait_slice(&run->cv, &run->mu, deadline)) {
        }
        if (run->live_threads == 0) break;
        size_t n = run->nthreads;
        if (n > cap) {
            live_wait *a = realloc(now, n * sizeof *a),
                      *b = a ? realloc(before, n * sizeof *b) : NULL;
            if (a) now = a;
            if (!b) continue; /* out of memory: look again at the next scan */
            before = b;
            cap = n;
        }
        size_t stuck = live_scan(run, now);
        if (stuck && live_confirmed(now, n, before, nbefore)) {
            run->outcome = LV_OUT_DEADLOCKED;
            atomic_store(&run->aborting, 1);
            break;
        }
        live_wait *swap = before;
        before = now;
        now = swap;
        nbefore = n;
    }
    pthread_mutex_unlock(&run->mu);
    free(now);
    free(before);
    return NULL;
}

/* ---- runs ---- */

int lv_scenario_variant_index(const lv_scenario *sc, const char *name) {
    for (int i = 0; i < sc->nvariants; i++)
        if (strcmp(sc->variants[i].name, name) == 0) return i;
    return -1;
}

int lv_scenario_param_index(const lv_scenario *sc, const char *name) {
    for (int i = 0; i < sc->nparams; i++)
        if (strcmp(sc->params[i].name, name) == 0) return i;
    return -1;
}

static void scenario_main(void *p) {
    lv__run *run = p;
    run->desc.scenario->main(&run->args);
}

static void run_free(lv__run *run) {
    for (size_t i = 0; i < run->nthreads; i++) {
        lv_thread *t = run->threads[i];
        lv__buf_free(&t->buf);
        if (t->go_init) sem_destroy(&t->go);
        free(t->name);
        free(t);
    }
    free(run->threads);
    for (size_t i = 0; i < run->nobjs; i++) {
        lv__obj_destroy(run->objs[i].obj);
        free(run->objs[i].name);
    }
    free(run->objs);
    lv__ctl_teardown(run);
    pthread_mutex_destroy(&run->mu);
    pthread_cond_destroy(&run->cv);
    free(run);
}

static char *dup_or_null(const char *s, int *failed) {
    char *d = strdup(s ? s : "");
    if (!d) *failed = 1;
    return d;
}

static lv_err build_trace(lv__run *run, lv_trace *tr) {
    const lv_scenario *sc = run->desc.scenario;
    int failed = 0;
    tr->scenario = dup_or_null(sc->name, &failed);
    tr->variant = dup_or_null(sc->variants[run->desc.variant].name, &failed);
    if (sc->path) tr->scenario_path = dup_or_null(sc->path, &failed);
    tr->mode = run->desc.mode;
    tr->seed = run->desc.seed;
    tr->outcome = run->outcome;
    if (run->nsched) {
        tr->schedule = malloc(run->nsched * sizeof *tr->schedule);
        if (!tr->schedule) return LV_ENOMEM;
        memcpy(tr->schedule, run->sched, run->nsched * sizeof *tr->schedule);
        tr->nschedule = run->nsched;
    }
    if (sc->nparams) {
        tr->params = calloc((size_t)sc->nparams, sizeof *tr->params);
        if (!tr->params) return LV_ENOMEM;
        tr->nparams = (size_t)sc->nparams;
        for (int i = 0; i < sc->nparams; i++) {
            tr->params[i].name = dup_or_null(sc->params[i].name, &failed);
            tr->params[i].value = run->params[i];
        }
    }
    tr->threads = calloc(run->nthreads ? run->nthreads : 1, sizeof *tr->threads);
    tr->objects = calloc(run->nobjs ? run->nobjs : 1, sizeof *tr->objects);
    if (!tr->threads || !tr->objects) return LV_ENOMEM;
    tr->nthreads = run->nthreads;
    for (size_t i = 0; i < run->nthreads; i++) {
        tr->threads[i].id = run->threads[i]->id;
        tr->threads[i].name = dup_or_null(run->threads[i]->name, &failed);
    }
    tr->nobjects = run->nobjs;
    for (size_t i = 0; i < run->nobjs; i++) {
        tr->objects[i].id = run->objs[i].obj->id;
        tr->objects[i].kind = run->objs[i].obj->kind;
        tr->objects[i].name = dup_or_null(run->objs[i].name, &failed);
        tr->objects[i].param = run->objs[i].param;
    }
    if (failed) return LV_ENOMEM;
    return lv__tracer_merge(run, tr);
}

lv_err lv_run(const lv_run_desc *desc, lv_trace **out) {
    return lv_run_ex(desc, out, NULL);
}

lv_err lv_run_ex(const lv_run_desc *desc, lv_trace **out, long *diverged_at) {
    *out = NULL;
    if (diverged_at) *diverged_at = -1;
    const lv_scenario *sc = desc->scenario;
    if (!sc || desc->variant < 0 || desc->variant >= sc->nvariants) return LV_EUSAGE;
    if (sc->nparams > LV_MAX_PARAMS) return LV_EUSAGE;
    if (desc->seed > LV_SEED_MAX) return LV_ERANGE;
    if (sc->path && !lv__in_isolated_child) return lv__run_isolated(desc, out, diverged_at);

    lv__run *run = calloc(1, sizeof *run);
    if (!run) return LV_ENOMEM;
    run->desc = *desc;
    for (int i = 0; i < sc->nparams; i++) {
        run->params[i] = desc->params ? desc->params[i] : sc->params[i].def;
        if (run->params[i] < sc->params[i].min || run->params[i] > sc->params[i].max) {
            free(run);
            return LV_ERANGE;
        }
    }
    run->args.variant = desc->variant;
    memcpy(run->args.params, run->params, sizeof run->params);
    run->time_scale = desc->time_scale > 0 ? desc->time_scale : 1.0;
    run->trace_off = desc->trace_off && desc->mode == LV_MODE_LIVE;
    run->outcome = LV_OUT_COMPLETED;
    run->diverged_at = -1;
    pthread_mutex_init(&run->mu, NULL);
    lv__condvar_init(&run->cv);
    atomic_init(&run->aborting, 0);
    lv__clock_init();
    run->clock0 = lv__clock_ns();
    if (desc->mode == LV_MODE_CONTROLLED) lv__ctl_setup(run);

    lv_err err = LV_OK;
    lv_thread *main_t = thread_new(run, "main", scenario_main, run);
    if (!main_t) {
        err = LV_ENOMEM;
        goto done;
    }
    if (thread_start(main_t) != 0) {
        err = LV_ETHREAD;
        goto done;
    }
    if (run->ctl) sem_post(&main_t->go); /* the first turn: nobody else exists yet */
    pthread_t watchdog;
    int have_watchdog = !run->ctl && pthread_create(&watchdog, NULL, watchdog_main, run) == 0;
    /* Python waits for every non-daemon thread before the program exits; so does a run. */
    pthread_mutex_lock(&run->mu);
    while (run->live_threads > 0)
        pthread_cond_wait(&run->cv, &run->mu);
    pthread_mutex_unlock(&run->mu);
    if (have_watchdog) pthread_join(watchdog, NULL);
    for (size_t i = 0; i < run->nthreads; i++)
        if (run->threads[i]->pt_started) pthread_join(run->threads[i]->pt, NULL);
    if (run->error != LV_OK) err = run->error;

    lv_trace *tr = calloc(1, sizeof *tr);
    if (!tr) {
        err = LV_ENOMEM;
        goto done;
    }
    lv_err berr = build_trace(run, tr);
    if (berr == LV_OK) {
        lv_finding *f = NULL;
        size_t nf = 0;
        berr = lv_analyze(tr, &f, &nf);
        if (berr == LV_OK) lv_trace_set_findings(tr, f, nf);
    }
    if (berr != LV_OK) {
        lv_trace_free(tr);
        err = berr;
        goto done;
    }
    *out = tr;
    if (diverged_at) *diverged_at = run->diverged_at;
    if (err == LV_ETHREAD || err == LV_ENOMEM) err = LV_OK; /* the trace says "aborted" */
done:
    run_free(run);
    return err;
}
