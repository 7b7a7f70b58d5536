/* Scenario files: a user's .so built against <lockviz/lockviz.h> with one LV_SCENARIO(...)
 * descriptor. A file is first opened and its descriptor walked in a child process, so a file
 * whose constructors or descriptor crash (or hang) ends only the child; then it is opened here
 * and its descriptor copied, with missing texts filled in. Files are never closed: the copy
 * points at their strings and code. What runs it is lv_run (a child process per run). */
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "load.h"

static int name_ok(const char *s, size_t max) {
    size_t n = 0;
    for (; s[n]; n++)
        if (!((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z') ||
              (s[n] >= '0' && s[n] <= '9') || s[n] == '_' || s[n] == '-' || s[n] == '.'))
            return 0;
    return n > 0 && n <= max;
}

/* 0 when d is a descriptor lockviz can run and show; else -1 and one line in err. */
static int check_desc(const lv_scenario *d, char *err, size_t len) {
#define BAD(...)                                                                                   \
    do {                                                                                           \
        snprintf(err, len, __VA_ARGS__);                                                           \
        return -1;                                                                                 \
    } while (0)
    if (!d->name || !name_ok(d->name, 64))
        BAD("LV_SCENARIO: .name must be 1 to 64 letters, digits, '_', '-' or '.'");
    if (!d->title || !*d->title) BAD("LV_SCENARIO: .title is missing");
    if (!d->main) BAD("LV_SCENARIO: .main is missing (the function that runs the scenario)");
    if (!d->variants || d->nvariants < 1 || d->nvariants > LV_MAX_VARIANTS)
        BAD("LV_SCENARIO: .variants must be an array of 1 to %d variants, with .nvariants its "
            "length (LV_COUNTOF(variants)); it is %d",
            LV_MAX_VARIANTS, d->nvariants);
    for (int i = 0; i < d->nvariants; i++) {
        const lv_variant_desc *v = &d->variants[i];
        if (!v->name || !name_ok(v->name, 32))
            BAD("LV_SCENARIO: variants[%d]: .name must be 1 to 32 letters, digits, '_', '-' or "
                "'.'",
                i);
        for (int k = 0; k < i; k++)
            if (strcmp(d->variants[k].name, v->name) == 0)
                BAD("LV_SCENARIO: variants[%d]: the name '%s' is taken by variants[%d]", i, v->name,
                    k);
    }
    if (d->nparams < 0 || d->nparams > LV_MAX_PARAMS || (d->nparams && !d->params))
        BAD("LV_SCENARIO: .params must be an array of 0 to %d parameters, with .nparams its "
            "length; it is %d",
            LV_MAX_PARAMS, d->nparams);
    for (int i = 0; i < d->nparams; i++) {
        const lv_param_desc *p = &d->params[i];
        if (!p->name || !name_ok(p->name, 32))
            BAD("LV_SCENARIO: params[%d]: .name must be 1 to 32 letters, digits, '_', '-' or '.'",
                i);
        if (!(p->min <= p->def && p->def <= p->max))
            BAD("LV_SCENARIO: params[%d] (%s): must have min <= def <= max", i, p->name);
        for (int k = 0; k < i; k++)
            if (strcmp(d->params[k].name, p->name) == 0)
                BAD("LV_SCENARIO: params[%d]: the name '%s' is taken by params[%d]", i, p->name, k);
    }
    /* touch every text once, so that a wild pointer crashes the check, not the viewer */
    size_t sum = strlen(d->title) + (d->title_zh ? strlen(d->title_zh) : 0) +
                 (d->source ? strlen(d->source) : 0);
    for (int i = 0; i < d->nvariants; i++) {
        const lv_variant_desc *v = &d->variants[i];
        const char *t[] = {v->summary, v->summary_zh, v->lesson_en, v->lesson_zh};
        for (int k = 0; k < 4; k++)
            sum += t[k] ? strlen(t[k]) : 0;
    }
    for (int i = 0; i < d->nparams; i++)
        sum += d->params[i].help ? strlen(d->params[i].help) : 0;
    (void)sum;
    return 0;
#undef BAD
}

/* Opens path here and returns its descriptor (still the file's), or NULL with err set. */
static const lv_scenario *open_desc(const char *path, void **handle, char *err, size_t len) {
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        snprintf(err, len, "cannot load it: %s", dlerror());
        return NULL;
    }
    const int *abi = dlsym(h, "lv_scenario_abi");
    const lv_scenario *d = dlsym(h, "lv_scenario_entry");
    if (!abi || !d) {
        snprintf(err, len,
                 "not a lockviz scenario: it has no LV_SCENARIO(...) descriptor (see "
                 "docs/writing-scenarios.md)");
        dlclose(h);
        return NULL;
    }
    if (*abi != LV_SCENARIO_ABI) {
        snprintf(err, len,
                 "built against another version of <lockviz/lockviz.h> (scenario ABI %d; this "
                 "lockviz reads %d): build it again",
                 *abi, LV_SCENARIO_ABI);
        dlclose(h);
        return NULL;
    }
    if (check_desc(d, err, len) != 0) {
        dlclose(h);
        return NULL;
    }
    *handle = h;
    return d;
}

/* The check in a child: 0 when the file can be opened here, else -1 and err. */
static int check_in_child(const char *path, char *err, size_t len) {
    int fds[2];
    if (pipe(fds) != 0) {
        snprintf(err, len, "cannot check it: %s", strerror(errno));
        return -1;
    }
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        snprintf(err, len, "cannot check it: %s", strerror(errno));
        return -1;
    }
    if (pid == 0) {
        close(fds[0]);
        char e[512] = "";
        void *h = NULL;
        int ok = open_desc(path, &h, e, sizeof e) != NULL;
        if (!ok && write(fds[1], e, strlen(e)) < 0) _exit(2);
        _exit(ok ? 0 : 1);
    }
    close(fds[1]);
    char msg[512];
    size_t got = 0;
    struct pollfd pf = {.fd = fds[0], .events = POLLIN};
    int timed_out = 0;
    for (;;) {
        int r = poll(&pf, 1, 10000);
        if (r < 0 && errno == EINTR) continue;
        if (r == 0) {
            timed_out = 1;
            break;
        }
        ssize_t k = read(fds[0], msg + got, sizeof msg - 1 - got);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) break;
        got += (size_t)k;
        if (got == sizeof msg - 1) break;
    }
    msg[got] = 0;
    close(fds[0]);
    if (timed_out) kill(pid, SIGKILL);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (timed_out) {
        snprintf(err, len, "loading it did not finish in 10 s (a constructor that never returns?)");
        return -1;
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return 0;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 1 && got) {
        snprintf(err, len, "%s", msg);
        return -1;
    }
    if (WIFSIGNALED(status))
        snprintf(err, len,
                 "loading it crashed (signal %d, %s): a constructor or the descriptor "
                 "reads memory it should not",
                 WTERMSIG(status), strsignal(WTERMSIG(status)));
    else
        snprintf(err, len, "loading it ended the process (exit status %d)",
                 WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    return -1;
}

static const char * or (const char *s, const char *dflt) {
    return s && *s ? s : dflt;
}

lv_scenario *lv__scenario_load(const char *path, char *err, size_t len) {
    char real[PATH_MAX];
    if (!realpath(path, real)) {
        snprintf(err, len, "%s", strerror(errno));
        return NULL;
    }
    if (check_in_child(real, err, len) != 0) return NULL;
    void *h = NULL;
    const lv_scenario *d = open_desc(real, &h, err, len);
    if (!d) return NULL;
    lv_scenario *sc = calloc(1, sizeof *sc);
    lv_variant_desc *v = calloc((size_t)d->nvariants, sizeof *v);
    lv_param_desc *p = calloc(d->nparams ? (size_t)d->nparams : 1, sizeof *p);
    char *pathcopy = strdup(real);
    if (!sc || !v || !p || !pathcopy) {
        free(sc);
        free(v);
        free(p);
        free(pathcopy);
        snprintf(err, len, "out of memory");
        return NULL;
    }
    *sc = *d;
    sc->title_zh = or (d->title_zh, d->title);
    sc->source = or (d->source, pathcopy);
    for (int i = 0; i < d->nvariants; i++) {
        v[i] = d->variants[i];
        v[i].summary = or (v[i].summary, "");
        v[i].summary_zh = or (v[i].summary_zh, v[i].summary);
        v[i].lesson_en = or (v[i].lesson_en, "");
        v[i].lesson_zh = or (v[i].lesson_zh, v[i].lesson_en);
    }
    for (int i = 0; i < d->nparams; i++) {
        p[i] = d->params[i];
        p[i].help = or (p[i].help, "");
    }
    sc->variants = v;
    sc->params = p;
    sc->path = pathcopy;
    return sc;
}
