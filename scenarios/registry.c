/* The registry: the table of built-in scenarios, in the order `lockviz list` shows them, and
 * after them the scenario files found in the scenario folders or named on a command line. */
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "load.h"
#include "registry.h"

extern const lv_scenario lv_scenario_ticket;
extern const lv_scenario lv_scenario_deadlock;
extern const lv_scenario lv_scenario_rlock;
extern const lv_scenario lv_scenario_traffic_light;
extern const lv_scenario lv_scenario_toilets;
extern const lv_scenario lv_scenario_counter;

const lv_scenario *const lv_scenarios[] = {
    &lv_scenario_ticket,        &lv_scenario_deadlock, &lv_scenario_rlock,
    &lv_scenario_traffic_light, &lv_scenario_toilets,  &lv_scenario_counter,
};
const size_t lv_nscenarios = sizeof lv_scenarios / sizeof lv_scenarios[0];

/* Scenario files, loaded once each; `listed` of them are the folders' (in order), the rest
 * were named by path. Guarded by mu: the viewer's explore thread may look one up. */
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static int scanned;
static lv_scenario **files;
static size_t nfiles, capfiles;
static const lv_scenario **listed;
static size_t nlisted;
static char **problems;
static size_t nproblems;

static void problem(const char *file, const char *what) {
    char **p = realloc(problems, (nproblems + 1) * sizeof *p);
    if (!p) return;
    problems = p;
    size_t n = strlen(file) + strlen(what) + 16;
    if ((problems[nproblems] = malloc(n)))
        snprintf(problems[nproblems++], n, "%s: %s (skipped)", file, what);
}

static const lv_scenario *builtin(const char *name) {
    for (size_t i = 0; i < lv_nscenarios; i++)
        if (strcmp(lv_scenarios[i]->name, name) == 0) return lv_scenarios[i];
    return NULL;
}

/* Loads path once; the same file again gives the same scenario. Called with mu held. */
static const lv_scenario *load_file(const char *path, char *err, size_t errlen) {
    char *real = realpath(path, NULL);
    if (real) {
        for (size_t i = 0; i < nfiles; i++)
            if (strcmp(files[i]->path, real) == 0) {
                free(real);
                return files[i];
            }
        free(real);
    }
    if (nfiles == capfiles) {
        size_t cap = capfiles ? 2 * capfiles : 8;
        lv_scenario **f = realloc(files, cap * sizeof *f);
        if (!f) {
            snprintf(err, errlen, "out of memory");
            return NULL;
        }
        files = f;
        capfiles = cap;
    }
    lv_scenario *sc = lv__scenario_load(path, err, errlen);
    if (sc) files[nfiles++] = sc;
    return sc;
}

static int is_so(const struct dirent *e) {
    size_t n = strlen(e->d_name);
    return n > 3 && strcmp(e->d_name + n - 3, ".so") == 0 && e->d_name[0] != '.';
}

/* Lists sc after the others, unless it is listed already; NULL, or the other scenario that has
 * its name (sc is then not listed). Called with mu held. */
static const lv_scenario *list_once(const lv_scenario *sc) {
    const lv_scenario *taken = builtin(sc->name);
    for (size_t k = 0; !taken && k < nlisted; k++)
        if (strcmp(listed[k]->name, sc->name) == 0) taken = listed[k];
    if (taken == sc) return NULL; /* the same file again (two folders, or named twice) */
    if (taken) return taken;
    const lv_scenario **l = realloc(listed, (nlisted + 1) * sizeof *l);
    if (l) {
        listed = l;
        listed[nlisted++] = sc;
    }
    return NULL;
}

static void scan_dir(const char *dir) {
    struct dirent **ents = NULL;
    int n = scandir(dir, &ents, is_so, alphasort);
    for (int i = 0; i < n; i++) {
        char path[4096], err[512];
        snprintf(path, sizeof path, "%s/%s", dir, ents[i]->d_name);
        free(ents[i]);
        const lv_scenario *sc = load_file(path, err, sizeof err);
        if (!sc) {
            problem(path, err);
            continue;
        }
        const lv_scenario *taken = list_once(sc);
        if (taken) {
            snprintf(err, sizeof err, "the name '%s' is taken by %s", sc->name,
                     taken->path ? taken->path : "a built-in scenario");
            problem(path, err);
        }
    }
    free(ents);
}

static void scan(void) { /* mu held */
    if (scanned) return;
    scanned = 1;
    const char *env = getenv("LOCKVIZ_SCENARIO_PATH");
    if (env && *env) {
        char *copy = strdup(env), *save = NULL;
        for (char *d = copy ? strtok_r(copy, ":", &save) : NULL; d; d = strtok_r(NULL, ":", &save))
            scan_dir(d);
        free(copy);
    }
    char user[4096];
    const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
    if (xdg && *xdg)
        snprintf(user, sizeof user, "%s/lockviz/scenarios", xdg);
    else if (home && *home)
        snprintf(user, sizeof user, "%s/.local/share/lockviz/scenarios", home);
    else
        return;
    scan_dir(user);
}

size_t lv_registry_count(void) {
    pthread_mutex_lock(&mu);
    scan();
    size_t n = lv_nscenarios + nlisted;
    pthread_mutex_unlock(&mu);
    return n;
}

const lv_scenario *lv_registry_at(size_t i) {
    if (i < lv_nscenarios) return lv_scenarios[i];
    pthread_mutex_lock(&mu);
    scan();
    const lv_scenario *sc = i - lv_nscenarios < nlisted ? listed[i - lv_nscenarios] : NULL;
    pthread_mutex_unlock(&mu);
    return sc;
}

const char *const *lv_registry_problems(size_t *n) {
    pthread_mutex_lock(&mu);
    scan();
    *n = nproblems;
    pthread_mutex_unlock(&mu);
    return (const char *const *)problems;
}

const lv_scenario *lv_scenario_find(const char *name) {
    const lv_scenario *sc = builtin(name);
    if (sc) return sc;
    pthread_mutex_lock(&mu);
    scan();
    for (size_t i = 0; i < nlisted && !sc; i++)
        if (strcmp(listed[i]->name, name) == 0) sc = listed[i];
    pthread_mutex_unlock(&mu);
    return sc;
}

static int names_file(const char *name) {
    size_t n = strlen(name);
    return strchr(name, '/') || (n > 3 && strcmp(name + n - 3, ".so") == 0);
}

const lv_scenario *lv_registry_lookup(const char *name, char *err, size_t errlen) {
    if (!names_file(name)) {
        const lv_scenario *sc = lv_scenario_find(name);
        if (!sc) snprintf(err, errlen, "no scenario '%s'", name);
        return sc;
    }
    char e[512];
    pthread_mutex_lock(&mu);
    scan(); /* the folders' scenarios first: a file named here is listed after them */
    const lv_scenario *sc = load_file(name, e, sizeof e);
    if (sc) list_once(sc);
    pthread_mutex_unlock(&mu);
    if (!sc) snprintf(err, errlen, "%s: %s", name, e);
    return sc;
}

const lv_scenario *lv_registry_of_trace(const lv_trace *tr) {
    if (!tr->scenario) return NULL;
    if (tr->scenario_path) {
        char e[512];
        pthread_mutex_lock(&mu);
        scan();
        const lv_scenario *sc = load_file(tr->scenario_path, e, sizeof e);
        if (sc && strcmp(sc->name, tr->scenario) == 0)
            list_once(sc);
        else
            sc = NULL;
        pthread_mutex_unlock(&mu);
        return sc;
    }
    return lv_scenario_find(tr->scenario);
}
