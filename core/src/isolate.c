/* Runs of scenarios loaded from files (a user's .so), in a child process: the child runs the
 * scenario with lv_run_ex as usual and sends the trace back as native JSON over a socket; a
 * chooser given to the run is still called in this process, at each choice point the child
 * reports. A crash, an exit or a run that makes no progress for LOCKVIZ_TIME_LIMIT seconds ends
 * only the child. It does not sandbox anything else: the scenario can still touch files. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "internal.h"

int lv__in_isolated_child = 0;

typedef struct choice_msg {
    uint64_t index, nrecorded;
    int64_t vnow;
    int32_t current;
    uint32_t nenabled;
} choice_msg;

typedef struct trace_msg {
    int32_t err;
    int64_t diverged;
    uint64_t len;
} trace_msg;

static int send_all(int fd, const void *p, size_t n) {
    const char *c = p;
    while (n) {
        ssize_t k = send(fd, c, n, MSG_NOSIGNAL);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) return -1;
        c += k;
        n -= (size_t)k;
    }
    return 0;
}

/* Reads n bytes; waits at most limit_ms for each part (-1: forever). 0, -1 on end of file or
 * error, -2 when the time ran out. */
static int recv_all(int fd, void *p, size_t n, int limit_ms) {
    char *c = p;
    while (n) {
        struct pollfd pf = {.fd = fd, .events = POLLIN};
        int r = poll(&pf, 1, limit_ms);
        if (r < 0 && errno == EINTR) continue;
        if (r == 0) return -2;
        if (r < 0) return -1;
        ssize_t k = recv(fd, c, n, 0);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) return -1;
        c += k;
        n -= (size_t)k;
    }
    return 0;
}

/* ---- the child ---- */

static int32_t proxy_choose(void *ctx, const lv_choice *c) {
    int fd = *(int *)ctx;
    choice_msg m = {c->index, c->nrecorded, c->vnow, c->current, (uint32_t)c->nenabled};
    int32_t answer;
    if (send_all(fd, "C", 1) || send_all(fd, &m, sizeof m) ||
        send_all(fd, c->enabled, c->nenabled * sizeof *c->enabled) ||
        recv_all(fd, &answer, sizeof answer, -1))
        _exit(112); /* the parent is gone */
    return answer;
}

static void child_main(int fd, const lv_run_desc *desc) {
    lv__in_isolated_child = 1;
    lv_run_desc d = *desc;
    if (desc->chooser) {
        d.chooser = proxy_choose;
        d.chooser_ctx = &fd;
    }
    lv_trace *tr = NULL;
    long diverged = -1;
    trace_msg m = {0, -1, 0};
    m.err = lv_run_ex(&d, &tr, &diverged);
    m.diverged = diverged;
    char *buf = NULL;
    size_t len = 0;
    if (m.err == LV_OK) {
        FILE *f = open_memstream(&buf, &len);
        if (!f || lv_trace_write_json(tr, f) != LV_OK || fclose(f) != 0) m.err = LV_ENOMEM;
        m.len = m.err == LV_OK ? len : 0;
    }
    if (send_all(fd, "T", 1) || send_all(fd, &m, sizeof m) || (m.len && send_all(fd, buf, m.len)))
        _exit(112);
    _exit(0); /* no atexit handlers, no stdio flush of the parent's buffers */
}

/* ---- the parent ---- */

static double time_limit(void) {
    const char *s = getenv("LOCKVIZ_TIME_LIMIT");
    if (!s || !*s) return 30;
    char *end;
    double v = strtod(s, &end);
    return end != s && !*end && v >= 0 ? v : 30;
}

static void say(const lv_scenario *sc, const char *fmt, const char *what) {
    fprintf(stderr, "lockviz: scenario %s (%s): ", sc->name, sc->path);
    fprintf(stderr, fmt, what);
    fputc('\n', stderr);
}

lv_err lv__run_isolated(const lv_run_desc *desc, lv_trace **out, long *diverged_at) {
    const lv_scenario *sc = desc->scenario;
    double limit = time_limit();
    int limit_ms = limit > 0 ? (int)(limit * 1000 < 2e9 ? limit * 1000 : 2e9) : -1;
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) return LV_ETHREAD;
    lv__clock_init(); /* calibrated once here, not once per child */
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        close(sv[0]);
        close(sv[1]);
        return LV_ETHREAD;
    }
    if (pid == 0) {
        close(sv[0]);
        child_main(sv[1], desc);
    }
    close(sv[1]);
    int fd = sv[0], got = 0, r = 0;
    lv_err err = LV_OK;
    trace_msg tm = {0, -1, 0};
    char *json = NULL;
    int32_t *enabled = NULL;
    for (;;) {
        char tag;
        r = recv_all(fd, &tag, 1, limit_ms);
        if (r) break;
        if (tag == 'C') {
            choice_msg m;
            if ((r = recv_all(fd, &m, sizeof m, limit_ms)) != 0) break;
            int32_t *e = realloc(enabled, (m.nenabled ? m.nenabled : 1) * sizeof *e);
            if (!e) {
                err = LV_ENOMEM;
                break;
            }
            enabled = e;
            if ((r = recv_all(fd, enabled, m.nenabled * sizeof *enabled, limit_ms)) != 0) break;
            lv_choice c = {m.index, enabled, m.nenabled, m.current, m.vnow, m.nrecorded};
            int32_t answer = desc->chooser(desc->chooser_ctx, &c);
            if (send_all(fd, &answer, sizeof answer)) {
                r = -1;
                break;
            }
        } else if (tag == 'T') {
            if ((r = recv_all(fd, &tm, sizeof tm, limit_ms)) != 0) break;
            if (tm.len && !(json = malloc(tm.len))) {
                err = LV_ENOMEM;
                break;
            }
            if (tm.len && (r = recv_all(fd, json, tm.len, limit_ms)) != 0) break;
            got = 1;
            break;
        } else {
            r = -1;
            break;
        }
    }
    free(enabled);
    close(fd);
    if (!got) kill(pid, SIGKILL); /* timed out, confused, or already dead */
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (!got && err == LV_OK) {
        char what[160];
        if (r == -2) {
            snprintf(what, sizeof what, "%g", limit);
            say(sc,
                "its run made no progress for %s s (LOCKVIZ_TIME_LIMIT) and was stopped: "
                "a loop that never calls lockviz, or a wait that never ends?",
                what);
            err = LV_ETIMEDOUT;
        } else {
            if (WIFSIGNALED(status))
                snprintf(what, sizeof what, "was killed by signal %d (%s)", WTERMSIG(status),
                         strsignal(WTERMSIG(status)));
            else if (WIFEXITED(status))
                snprintf(what, sizeof what, "ended its process (exit status %d)",
                         WEXITSTATUS(status));
            else
                snprintf(what, sizeof what, "stopped");
            say(sc, "its run %s before it finished; nothing of the run was kept", what);
            err = LV_ECRASHED;
        }
    }
    if (err == LV_OK && tm.err != LV_OK) err = (lv_err)tm.err;
    if (err == LV_OK) {
        char eb[512];
        err = lv_trace_read_json(json, tm.len, sc->path, out, eb, sizeof eb);
        if (err != LV_OK)
            say(sc, "its trace came back unreadable: %s", eb);
        else if (diverged_at)
            *diverged_at = (long)tm.diverged;
    }
    free(json);
    return err;
}
