/* Runs of scenarios loaded from files (a user's .so), in a process of their own: a fresh
 * lockviz-isolate (core/isolate_main.c, installed next to the library as
 * LIBDIR/lockviz/lockviz-isolate) is spawned for each run, never a fork of this process,
 * whose other threads (a window's, explore jobs', an allocator's) may hold locks that a forked
 * child would wait on forever. It is told the run over a socket, opens the file, runs it with
 * lv_run_ex as usual and sends the trace back as native JSON; a chooser given to the run is
 * still called in this process, at each choice point the child reports. The child reads the
 * trace clock with this process's calibration, so its timestamps are on this clock. A crash,
 * an exit or a run that makes no progress for LOCKVIZ_TIME_LIMIT seconds ends only the child.
 * It does not sandbox anything else: the scenario can still touch files. */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "internal.h"

extern char **environ;

int lv__in_isolated_child = 0;

#define LV__ISOLATE_FD 3                  /* the socket, in the child */
#define LV__ISOLATE_MAGIC 0x6c76697301ULL /* "lvis" and the version of these messages */

/* The run, from this process to the child; then the path's bytes and the schedule's ids. */
typedef struct run_msg {
    uint64_t magic;
    uint64_t seed, pct_steps, nschedule, pathlen;
    uint64_t tsc0, tsc_mult;
    int64_t mono0;
    double time_scale;
    int64_t params[LV_MAX_PARAMS];
    int32_t variant, mode, policy, pct_depth;
    int32_t has_params, has_chooser, trace_off, use_tsc;
} run_msg;

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

/* Tells the parent that the run could not start, and why (one line). */
static void fail_start(int fd, const char *fmt, const char *what) {
    char line[600];
    int n = snprintf(line, sizeof line, fmt, what);
    uint32_t len = n < 0 ? 0 : (uint32_t)n >= sizeof line ? sizeof line - 1 : (uint32_t)n;
    if (send_all(fd, "E", 1) || send_all(fd, &len, sizeof len) || send_all(fd, line, len))
        _exit(112);
    _exit(0);
}

int lv__isolate_main(void) {
    int fd = LV__ISOLATE_FD;
    lv__in_isolated_child = 1;
    run_msg rm;
    if (recv_all(fd, &rm, sizeof rm, -1) || rm.magic != LV__ISOLATE_MAGIC ||
        rm.pathlen >= PATH_MAX || rm.nschedule > LV_TRACE_MAX_SCHEDULE)
        return 112; /* not started by lv_run */
    char path[PATH_MAX];
    int32_t *schedule = malloc((rm.nschedule ? rm.nschedule : 1) * sizeof *schedule);
    if (!schedule) fail_start(fd, "%s", "out of memory");
    if (recv_all(fd, path, rm.pathlen, -1) ||
        recv_all(fd, schedule, rm.nschedule * sizeof *schedule, -1))
        return 112;
    path[rm.pathlen] = 0;
    lv__clock_adopt(rm.use_tsc, rm.tsc0, rm.mono0, rm.tsc_mult);
    /* the file was checked when it was loaded; here it is only opened again */
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) fail_start(fd, "its file could not be opened again: %s", dlerror());
    const int *abi = dlsym(h, "lv_scenario_abi");
    const lv_scenario *entry = dlsym(h, "lv_scenario_entry");
    if (!abi || !entry || *abi != LV_SCENARIO_ABI)
        fail_start(fd, "%s", "its file changed since it was loaded: load it again");
    lv_scenario sc = *entry;
    sc.path = path;
    lv_run_desc d = {.scenario = &sc,
                     .variant = rm.variant,
                     .params = rm.has_params ? rm.params : NULL,
                     .mode = (lv_mode)rm.mode,
                     .seed = rm.seed,
                     .time_scale = rm.time_scale,
                     .policy = (lv_policy)rm.policy,
                     .pct_depth = rm.pct_depth,
                     .pct_steps = rm.pct_steps,
                     .schedule = schedule,
                     .nschedule = rm.nschedule,
                     .trace_off = rm.trace_off};
    if (rm.has_chooser) {
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
    _exit(0); /* no atexit handlers: nothing of the run is left to tidy */
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

/* LIBDIR/lockviz/lockviz-isolate, LIBDIR being where this library was loaded from (in a build
 * folder, the helper is built at the same place next to it). */
static char helper[PATH_MAX];
static pthread_once_t helper_once = PTHREAD_ONCE_INIT;

static void find_helper(void) {
    Dl_info info;
    char lib[PATH_MAX];
    if (!dladdr((void *)lv__run_isolated, &info) || !info.dli_fname ||
        !realpath(info.dli_fname, lib))
        return;
    char *slash = strrchr(lib, '/');
    if (!slash) return;
    *slash = 0;
    int n = snprintf(helper, sizeof helper, "%s/lockviz/lockviz-isolate", lib);
    if (n < 0 || (size_t)n >= sizeof helper) helper[0] = 0;
}

/* Starts the helper on the child's end of the socket (as its fd 3); 0, or an errno value. */
static int spawn_child(int child_end, pid_t *pid) {
    pthread_once(&helper_once, find_helper);
    if (!helper[0]) return ENOENT;
    int fd = child_end, tmp = -1;
    if (fd == LV__ISOLATE_FD) { /* dup2 onto itself would keep close-on-exec */
        tmp = fcntl(fd, F_DUPFD_CLOEXEC, LV__ISOLATE_FD + 1);
        if (tmp < 0) return errno;
        fd = tmp;
    }
    posix_spawn_file_actions_t fa;
    int e = posix_spawn_file_actions_init(&fa);
    if (e) {
        if (tmp >= 0) close(tmp);
        return e;
    }
    e = posix_spawn_file_actions_adddup2(&fa, fd, LV__ISOLATE_FD);
    char *argv[] = {helper, NULL};
    if (!e) e = posix_spawn(pid, helper, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (tmp >= 0) close(tmp);
    return e;
}

static int send_run(int fd, const lv_run_desc *desc) {
    const lv_scenario *sc = desc->scenario;
    run_msg m = {.magic = LV__ISOLATE_MAGIC,
                 .seed = desc->seed,
                 .pct_steps = desc->pct_steps,
                 .nschedule = desc->schedule ? desc->nschedule : 0,
                 .pathlen = strlen(sc->path),
                 .tsc0 = lv__tsc0,
                 .tsc_mult = lv__tsc_mult,
                 .mono0 = lv__mono0,
                 .time_scale = desc->time_scale,
                 .variant = desc->variant,
                 .mode = (int32_t)desc->mode,
                 .policy = (int32_t)desc->policy,
                 .pct_depth = desc->pct_depth,
                 .has_params = desc->params != NULL,
                 .has_chooser = desc->chooser != NULL,
                 .trace_off = desc->trace_off,
                 .use_tsc = lv__use_tsc};
    for (int i = 0; desc->params && i < sc->nparams; i++)
        m.params[i] = desc->params[i];
    return send_all(fd, &m, sizeof m) || send_all(fd, sc->path, m.pathlen) ||
                   send_all(fd, desc->schedule, m.nschedule * sizeof *desc->schedule)
               ? -1
               : 0;
}

lv_err lv__run_isolated(const lv_run_desc *desc, lv_trace **out, long *diverged_at) {
    const lv_scenario *sc = desc->scenario;
    double limit = time_limit();
    int limit_ms = limit > 0 ? (int)(limit * 1000 < 2e9 ? limit * 1000 : 2e9) : -1;
    if (strlen(sc->path) >= PATH_MAX) return LV_EUSAGE;
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) return LV_ETHREAD;
    lv__clock_init(); /* calibrated once here, and sent to every child */
    fflush(stdout);
    fflush(stderr);
    pid_t pid;
    int e = spawn_child(sv[1], &pid);
    if (e) {
        close(sv[0]);
        close(sv[1]);
        char what[PATH_MAX + 160];
        snprintf(what, sizeof what, "%s: %s",
                 helper[0] ? helper : "lockviz/lockviz-isolate next to liblockviz", strerror(e));
        say(sc, "its run could not start: %s", what);
        return LV_ETHREAD;
    }
    close(sv[1]);
    int fd = sv[0], got = 0, r = send_run(fd, desc);
    lv_err err = LV_OK;
    char started[600] = "";
    trace_msg tm = {0, -1, 0};
    char *json = NULL;
    int32_t *enabled = NULL;
    while (r == 0) {
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
        } else if (tag == 'E') {
            uint32_t n;
            if ((r = recv_all(fd, &n, sizeof n, limit_ms)) != 0) break;
            if (n >= sizeof started) n = sizeof started - 1;
            if ((r = recv_all(fd, started, n, limit_ms)) != 0) break;
            started[n] = 0;
            err = LV_ECRASHED;
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
    if (started[0]) {
        say(sc, "%s", started);
    } else if (!got && err == LV_OK) {
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
