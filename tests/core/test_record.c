/* lv_record on the programs of tests/record: what the preload library records (every acquire
 * paired under contention, nothing dropped), how a program's end is kept (crash, abort,
 * SIGKILL, exit() from a thread, a watchdog stop), what a fork leaves out, what cannot be
 * recorded, and the findings at call sites. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "lockviz/lockviz.h"
#include "test.h"

#ifndef LV_STRESS_ROUNDS
#define LV_STRESS_ROUNDS "100000"
#endif

static lv_trace *record(const char *prog, const char *arg) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", LV_REC_DIR, prog);
    char *argv[] = {path, (char *)arg, NULL};
    lv_record_desc d = {.argv = argv};
    char eb[1024];
    lv_trace *tr = NULL;
    lv_err e = lv_record(&d, &tr, eb, sizeof eb);
    if (e != LV_OK) TEST_FAIL_AT("lv_record %s %s: %s", prog, arg ? arg : "", eb);
    return tr;
}

static size_t count(const lv_trace *tr, int32_t thread, lv_event_kind k) {
    size_t n = 0;
    for (size_t i = 0; i < tr->nevents; i++)
        if (tr->events[i].kind == k && (thread < 0 || tr->events[i].thread == thread)) n++;
    return n;
}

static const lv_finding *finding(const lv_trace *tr, lv_finding_kind k) {
    for (size_t i = 0; i < tr->nfindings; i++)
        if (tr->findings[i].kind == k) return &tr->findings[i];
    return NULL;
}

static const lv_finding *misuse_rule(const lv_trace *tr, lv_misuse_rule r) {
    for (size_t i = 0; i < tr->nfindings; i++)
        if (tr->findings[i].payload == LV_PAY_MISUSE && tr->findings[i].data.misuse.rule == r)
            return &tr->findings[i];
    return NULL;
}

/* The trace written and read back is the same trace, and check finds the same findings. */
static void round_trip(const lv_trace *tr) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ASSERT(f);
    ASSERT_EQ(lv_trace_write_json(tr, f), LV_OK);
    fclose(f);
    char eb[512];
    lv_trace *back = NULL;
    if (lv_trace_read_json(buf, len, "rec.json", &back, eb, sizeof eb) != LV_OK)
        TEST_FAIL_AT("read back: %s", eb);
    ASSERT_EQ(back->nevents, tr->nevents);
    ASSERT_EQ(back->nsites, tr->nsites);
    ASSERT_EQ(back->nfindings, tr->nfindings);
    ASSERT(back->program);
    char *buf2 = NULL;
    size_t len2 = 0;
    f = open_memstream(&buf2, &len2);
    ASSERT_EQ(lv_trace_write_json(back, f), LV_OK);
    fclose(f);
    ASSERT_EQ(len2, len);
    ASSERT(memcmp(buf, buf2, len) == 0);
    free(buf);
    free(buf2);
    lv_trace_free(back);
}

/* 16 threads x N lock pairs on one mutex: every acquire has its request before it and its
 * release after it in its thread, nobody holds the mutex twice, nothing is dropped. */
TEST(stress_every_acquire_paired) {
    lv_trace *tr = record("rec_stress", LV_STRESS_ROUNDS);
    long rounds = atol(LV_STRESS_ROUNDS);
    ASSERT_EQ(tr->dropped, 0);
    ASSERT_EQ(tr->program->end, LV_PROG_EXITED);
    ASSERT_EQ(tr->program->status, 0);
    ASSERT_EQ(tr->nthreads, 17);
    ASSERT_EQ(tr->nfindings, 0);
    int32_t holder = LV_NONE;
    int *pending = calloc(tr->nthreads, sizeof *pending);
    size_t acq = 0;
    for (size_t i = 0; i < tr->nevents; i++) {
        const lv_event *e = &tr->events[i];
        if (e->obj == LV_NONE || tr->objects[e->obj].kind != LV_OBJ_MUTEX) continue;
        if (e->kind == LV_EV_REQUEST) {
            ASSERT_EQ(pending[e->thread], 0);
            pending[e->thread] = 1;
        } else if (e->kind == LV_EV_ACQUIRE) {
            ASSERT_EQ(pending[e->thread], 1);
            pending[e->thread] = 0;
            ASSERT_EQ(holder, LV_NONE);
            holder = e->thread;
            acq++;
        } else if (e->kind == LV_EV_RELEASE) {
            ASSERT_EQ(holder, e->thread);
            holder = LV_NONE;
        }
    }
    ASSERT_EQ(acq, (size_t)16 * (size_t)rounds);
    for (int32_t t = 1; t <= 16; t++) {
        ASSERT_EQ(count(tr, t, LV_EV_ACQUIRE), (size_t)rounds);
        ASSERT_EQ(count(tr, t, LV_EV_RELEASE), (size_t)rounds);
        ASSERT_EQ(count(tr, t, LV_EV_END), 1);
    }
    free(pending);
    lv_trace_free(tr);
}

TEST(every_kind_without_findings) {
    lv_trace *tr = record("rec_kinds", NULL);
    ASSERT_EQ(tr->program->end, LV_PROG_EXITED);
    ASSERT_EQ(tr->program->status, 0);
    ASSERT_EQ(tr->outcome, LV_OUT_COMPLETED);
    for (size_t i = 0; i < tr->nfindings; i++)
        fprintf(stderr, "finding: %s\n", tr->findings[i].message);
    ASSERT_EQ(tr->nfindings, 0);
    int kinds[LV_OBJ__COUNT] = {0};
    for (size_t i = 0; i < tr->nobjects; i++)
        kinds[tr->objects[i].kind]++;
    ASSERT_GE(kinds[LV_OBJ_MUTEX], 3); /* mu, chk, spin */
    ASSERT_EQ(kinds[LV_OBJ_RLOCK], 1);
    ASSERT_EQ(kinds[LV_OBJ_RWLOCK], 1);
    ASSERT_EQ(kinds[LV_OBJ_CONDITION], 2);
    ASSERT_EQ(kinds[LV_OBJ_SEMAPHORE], 2);
    ASSERT_EQ(kinds[LV_OBJ_BARRIER], 1);
    int reads = 0, writes = 0, named = 0;
    for (size_t i = 0; i < tr->nevents; i++) {
        const lv_event *e = &tr->events[i];
        if (e->obj == LV_NONE || tr->objects[e->obj].kind != LV_OBJ_RWLOCK) continue;
        if (e->kind == LV_EV_ACQUIRE) (e->flags & LV_EVF_READ) ? reads++ : writes++;
    }
    ASSERT_EQ(reads, 10);
    ASSERT_EQ(writes, 10);
    for (size_t i = 0; i < tr->nobjects; i++)
        named += strcmp(tr->objects[i].name, "/lockviz-test-kinds") == 0;
    ASSERT_EQ(named, 1);
    int reader = 0;
    for (size_t i = 0; i < tr->nthreads; i++)
        reader += strcmp(tr->threads[i].name, "reader") == 0;
    ASSERT_EQ(reader, 1);
    ASSERT_GE(count(tr, -1, LV_EV_NOTIFY), 20);
    ASSERT_GE(count(tr, -1, LV_EV_SLEEP), 3);
    ASSERT_EQ(count(tr, -1, LV_EV_DESTROY), 6); /* five destroys and the named sem_close */
    /* statically initialised globals are named from debug information */
    int mu = 0;
    for (size_t i = 0; i < tr->nobjects; i++)
        mu += strcmp(tr->objects[i].name, "mu") == 0 || strcmp(tr->objects[i].name, "table") == 0;
    ASSERT_EQ(mu, 2);
    /* every event of the program's own calls has a file:line */
    for (size_t i = 0; i < tr->nevents; i++) {
        if (tr->events[i].kind != LV_EV_ACQUIRE) continue;
        const lv_site *s = lv_trace_event_site(tr, (uint32_t)i);
        ASSERT(s && s->file && strstr(s->file, "rec_kinds.c") && s->line > 0);
    }
    round_trip(tr);
    lv_trace_free(tr);
}

TEST(philosophers_deadlock_at_source_lines) {
    lv_trace *tr = record("rec_philo", "deadlock");
    ASSERT_EQ(tr->outcome, LV_OUT_DEADLOCKED);
    ASSERT_EQ(tr->program->end, LV_PROG_STOPPED);
    const lv_finding *f = finding(tr, LV_FIND_DEADLOCK);
    ASSERT(f);
    ASSERT_EQ(f->data.deadlock.shape, LV_DL_CYCLE);
    ASSERT_EQ(f->data.deadlock.nsteps, 5);
    ASSERT_CONTAINS(f->message, "holds forks[");
    ASSERT_CONTAINS(f->message, "(rec_philo.c:");
    ASSERT(finding(tr, LV_FIND_LOCK_ORDER));
    round_trip(tr);
    lv_trace_free(tr);
}

TEST(philosophers_ordered_clean) {
    lv_trace *tr = record("rec_philo", "ordered");
    ASSERT_EQ(tr->outcome, LV_OUT_COMPLETED);
    ASSERT_EQ(tr->nfindings, 0);
    lv_trace_free(tr);
}

/* A program that dies keeps what it recorded before, and the trace says how it ended. */
static void ended(const char *how, lv_program_end end, int status, lv_outcome oc) {
    lv_trace *tr = record("rec_end", how);
    ASSERT_EQ(tr->program->end, end);
    ASSERT_EQ(tr->program->status, status);
    ASSERT_EQ(tr->outcome, oc);
    size_t before = 0;
    for (size_t i = 0; i < tr->nevents; i++)
        if (tr->events[i].kind == LV_EV_RELEASE && tr->events[i].thread == 0 &&
            strcmp(tr->objects[tr->events[i].obj].name, "before") == 0)
            before++;
    ASSERT_GE(before, 3);
    round_trip(tr);
    lv_trace_free(tr);
}

TEST(crash_keeps_events) {
    ended("segv", LV_PROG_SIGNALED, 11, LV_OUT_ABORTED);
}
TEST(abort_keeps_events) {
    ended("abort", LV_PROG_SIGNALED, 6, LV_OUT_ABORTED);
}
TEST(kill_keeps_events) {
    ended("kill", LV_PROG_SIGNALED, 9, LV_OUT_ABORTED);
}
TEST(exit_from_thread) {
    ended("exit-thread", LV_PROG_EXITED, 3, LV_OUT_COMPLETED);
    lv_trace *tr = record("rec_end", "exit-thread");
    ASSERT_EQ(count(tr, 1, LV_EV_ACQUIRE), 1); /* the thread's lock before its exit() */
    ASSERT_EQ(count(tr, 1, LV_EV_NOTE), 1);    /* "exit(3): the process ends" */
    lv_trace_free(tr);
}

/* The child's 50 lock pairs are not in the trace; the parent's are, before and after. */
TEST(fork_records_the_parent_only) {
    lv_trace *tr = record("rec_end", "fork");
    ASSERT_EQ(tr->program->status, 0);
    ASSERT_EQ(tr->nthreads, 1);
    ASSERT_EQ(count(tr, -1, LV_EV_ACQUIRE), 4);
    ASSERT_EQ(count(tr, 0, LV_EV_NOTE), 1); /* the fork, with the child's pid */
    lv_trace_free(tr);
}

/* main joins a thread that waits on a condition nobody signals: stopped, its waits shown */
TEST(stuck_forever_is_stopped) {
    lv_trace *tr = record("rec_end", "stuck");
    ASSERT_EQ(tr->outcome, LV_OUT_DEADLOCKED);
    const lv_finding *f = finding(tr, LV_FIND_DEADLOCK);
    ASSERT(f);
    ASSERT_EQ(f->data.deadlock.shape, LV_DL_STUCK);
    ASSERT_CONTAINS(f->message, "waits on condition never");
    ASSERT_CONTAINS(f->message, "waits to join thread-1");
    lv_trace_free(tr);
}

/* waits that a sleeping thread ends later are not a deadlock: the run completes */
TEST(a_late_wake_up_is_not_stuck) {
    lv_trace *tr = record("rec_end", "late");
    ASSERT_EQ(tr->outcome, LV_OUT_COMPLETED);
    ASSERT_EQ(tr->program->end, LV_PROG_EXITED);
    ASSERT_EQ(tr->nfindings, 0);
    lv_trace_free(tr);
}

/* a thread cancelled in a condition wait ends, and the mutex glibc gives it back is its own
 * until its cleanup handler unlocks it: the run completes with no finding */
TEST(a_cancelled_thread_ends) {
    lv_trace *tr = record("rec_end", "cancel");
    ASSERT_EQ(tr->outcome, LV_OUT_COMPLETED);
    ASSERT_EQ(tr->program->status, 0);
    ASSERT_EQ(count(tr, 1, LV_EV_END), 1);
    for (size_t i = 0; i < tr->nfindings; i++)
        fprintf(stderr, "finding: %s\n", tr->findings[i].message);
    ASSERT_EQ(tr->nfindings, 0);
    lv_trace_free(tr);
}

TEST(relock_is_a_self_deadlock_and_misuse) {
    lv_trace *tr = record("rec_end", "relock");
    ASSERT_EQ(tr->outcome, LV_OUT_DEADLOCKED);
    const lv_finding *f = finding(tr, LV_FIND_DEADLOCK);
    ASSERT(f);
    ASSERT_EQ(f->data.deadlock.shape, LV_DL_SELF_LOCK);
    ASSERT(misuse_rule(tr, LV_MU_RELOCK));
    ASSERT_CONTAINS(misuse_rule(tr, LV_MU_RELOCK)->message, "(rec_end.c:");
    lv_trace_free(tr);
}

TEST(pthread_misuse) {
    lv_trace *tr = record("rec_end", "misuse");
    ASSERT_EQ(tr->outcome, LV_OUT_COMPLETED);
    const lv_finding *u = misuse_rule(tr, LV_MU_RELEASE_OTHER);
    ASSERT(u);
    ASSERT_CONTAINS(u->message, "unlocks held (rec_end.c:");
    ASSERT(misuse_rule(tr, LV_MU_DESTROY_LOCKED));
    ASSERT(misuse_rule(tr, LV_MU_COND_WAIT_UNLOCKED));
    ASSERT(!misuse_rule(tr, LV_MU_COND_NOTIFY_UNLOCKED));
    lv_trace_free(tr);
}

/* an rwlock read hold asking for a write hold waits for itself; and a cycle through a
 * writer and a reader of two rwlocks */
TEST(rwlock_deadlocks) {
    lv_trace *tr = record("rec_rwlock", "upgrade");
    const lv_finding *f = finding(tr, LV_FIND_DEADLOCK);
    ASSERT(f);
    ASSERT_EQ(f->data.deadlock.shape, LV_DL_SELF_LOCK);
    ASSERT_CONTAINS(f->message, "which it holds itself");
    lv_trace_free(tr);
    tr = record("rec_rwlock", "cycle");
    f = finding(tr, LV_FIND_DEADLOCK);
    ASSERT(f);
    ASSERT_EQ(f->data.deadlock.shape, LV_DL_CYCLE);
    ASSERT_EQ(f->data.deadlock.nsteps, 2);
    ASSERT_CONTAINS(f->message, "holds b (rec_rwlock.c:");
    round_trip(tr);
    lv_trace_free(tr);
}

/* 16 threads x 20000 pairs in bursts (5 ms asleep after every 200 rounds) into a 4 MiB buffer
 * (LOCKVIZ_RECORD_MB): several times the slots it holds, so nothing is dropped only when the
 * filled chunks are handed back to the program and written again. */
TEST(a_small_buffer_is_written_again) {
    ASSERT_EQ(setenv("LOCKVIZ_RECORD_MB", "4", 1), 0);
    char path[4096];
    snprintf(path, sizeof path, "%s/rec_stress", LV_REC_DIR);
    char *argv[] = {path, "20000", "200", NULL};
    lv_record_desc d = {.argv = argv};
    char eb[1024];
    lv_trace *tr = NULL;
    lv_err e = lv_record(&d, &tr, eb, sizeof eb);
    unsetenv("LOCKVIZ_RECORD_MB");
    if (e != LV_OK) TEST_FAIL_AT("lv_record rec_stress: %s", eb);
    ASSERT_EQ(tr->dropped, 0);
    ASSERT_EQ(tr->program->status, 0);
    ASSERT_GT(tr->nevents, (size_t)(4 << 20) / 32); /* more than the buffer's 32-byte slots */
    for (int32_t t = 1; t <= 16; t++)
        ASSERT_EQ(count(tr, t, LV_EV_ACQUIRE), (size_t)20000);
    lv_trace_free(tr);
}

/* 17 threads into a 1 MiB buffer (16 chunks): some threads' records cannot be kept at all.
 * Those are counted as dropped, and the program, correct, runs to its end: a thread with no
 * records is not taken for a stuck one (the watchdog gives no verdict once records dropped). */
TEST(a_buffer_too_small_for_every_thread_drops_but_stops_nothing) {
    ASSERT_EQ(setenv("LOCKVIZ_RECORD_MB", "1", 1), 0);
    char path[4096];
    snprintf(path, sizeof path, "%s/rec_stress", LV_REC_DIR);
    char *argv[] = {path, "3000", "100", NULL};
    lv_record_desc d = {.argv = argv};
    char eb[1024];
    lv_trace *tr = NULL;
    lv_err e = lv_record(&d, &tr, eb, sizeof eb);
    unsetenv("LOCKVIZ_RECORD_MB");
    if (e != LV_OK) TEST_FAIL_AT("lv_record rec_stress: %s", eb);
    ASSERT_GT(tr->dropped, 0);
    ASSERT_EQ(tr->outcome, LV_OUT_COMPLETED);
    ASSERT_EQ(tr->program->end, LV_PROG_EXITED);
    ASSERT_EQ(tr->program->status, 0);
    lv_trace_free(tr);
}

TEST(a_bad_buffer_size_is_refused) {
    static const char *const bad[] = {"0", "lots", "-4", "1025", "99999999999999999999999"};
    char path[4096];
    snprintf(path, sizeof path, "%s/rec_philo", LV_REC_DIR);
    char *argv[] = {path, "ordered", NULL};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ASSERT_EQ(setenv("LOCKVIZ_RECORD_MB", bad[i], 1), 0);
        lv_record_desc d = {.argv = argv};
        char eb[1024];
        lv_trace *tr = NULL;
        lv_err e = lv_record(&d, &tr, eb, sizeof eb);
        unsetenv("LOCKVIZ_RECORD_MB");
        ASSERT_EQ(e, LV_EUSAGE);
        ASSERT(!tr);
        ASSERT_CONTAINS(eb, "LOCKVIZ_RECORD_MB=");
        ASSERT_CONTAINS(eb, "must be a whole number of MiB, 1 to 1024");
    }
}

TEST(cannot_record) {
    char prog[4096], path[4096], eb[1024];
    snprintf(prog, sizeof prog, "%s/rec_static", LV_REC_DIR);
    ASSERT_EQ(lv_record_check(prog, path, sizeof path, eb, sizeof eb), LV_EUSAGE);
    ASSERT_CONTAINS(eb, "statically linked");
    ASSERT_EQ(lv_record_check("no-such-program-here", path, sizeof path, eb, sizeof eb),
              LV_ENOTFOUND);
    ASSERT_CONTAINS(eb, "no-such-program-here: no such program on PATH");
    /* a set-uid copy of a program */
    char dir[] = "/tmp/lvrecXXXXXX";
    ASSERT(mkdtemp(dir));
    char src[4096], dst[4200];
    snprintf(src, sizeof src, "%s/rec_philo", LV_REC_DIR);
    snprintf(dst, sizeof dst, "%s/suid", dir);
    FILE *in = fopen(src, "rb"), *out = fopen(dst, "wb");
    ASSERT(in && out);
    char b[65536];
    size_t n;
    while ((n = fread(b, 1, sizeof b, in)) > 0)
        fwrite(b, 1, n, out);
    fclose(in);
    fclose(out);
    ASSERT_EQ(chmod(dst, 04755), 0);
    ASSERT_EQ(lv_record_check(dst, path, sizeof path, eb, sizeof eb), LV_EUSAGE);
    ASSERT_CONTAINS(eb, "set-uid");
    unlink(dst);
    rmdir(dir);
}

TEST_MAIN(TEST_ENTRY(stress_every_acquire_paired, 60),
          TEST_ENTRY(a_small_buffer_is_written_again, 60),
          TEST_ENTRY(a_bad_buffer_size_is_refused, 30),
          TEST_ENTRY(a_buffer_too_small_for_every_thread_drops_but_stops_nothing, 60),
          TEST_ENTRY(every_kind_without_findings, 30),
          TEST_ENTRY(philosophers_deadlock_at_source_lines, 30),
          TEST_ENTRY(philosophers_ordered_clean, 30), TEST_ENTRY(crash_keeps_events, 30),
          TEST_ENTRY(abort_keeps_events, 30), TEST_ENTRY(kill_keeps_events, 30),
          TEST_ENTRY(exit_from_thread, 30), TEST_ENTRY(fork_records_the_parent_only, 30),
          TEST_ENTRY(stuck_forever_is_stopped, 30),
          TEST_ENTRY(relock_is_a_self_deadlock_and_misuse, 30), TEST_ENTRY(pthread_misuse, 30),
          TEST_ENTRY(rwlock_deadlocks, 30), TEST_ENTRY(a_late_wake_up_is_not_stuck, 30),
          TEST_ENTRY(a_cancelled_thread_ends, 30), TEST_ENTRY(cannot_record, 30))
