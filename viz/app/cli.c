/* What the commands share (see cli.h): exit statuses, messages, the scenario arguments, and
 * printing and saving a run. Nothing here parses a whole command line: each cmd_*.c does. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "args.h"
#include "export.h"
#include "i18n.h"
#include "registry.h"
#include "render.h"

int lv_exit_status(lv_err err, lv_doing doing) {
    switch (err) {
    case LV_OK:
        return LV_EXIT_CLEAN;
    case LV_EPARSE:
    case LV_EUSAGE:
    case LV_ENOTFOUND:
    case LV_ERANGE:
    case LV_ECRASHED:
    case LV_ETIMEDOUT:
        return LV_EXIT_USAGE;
    case LV_ENOMEM: /* a file too large for memory is the file's; a run's memory is ours */
    case LV_EIO:    /* a file that cannot be read or written is the person's; a run's pipes ours */
        return doing == LV_DOING_FILE ? LV_EXIT_USAGE : LV_EXIT_INTERNAL;
    case LV_ETHREAD:
    case LV_EUNSUPPORTED: /* SDL or the fonts failed: this machine, not the input */
        return LV_EXIT_INTERNAL;
    case LV__ERR_FIRST:
        break;
    }
    return LV_EXIT_INTERNAL;
}

int lv_cli_usage(const char *cmd, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "lockviz %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, " (try 'lockviz %s --help')\n", cmd);
    va_end(ap);
    return LV_EXIT_USAGE;
}

int lv_cli_i64(const char *s, int64_t *out) {
    return lv_arg_int(s, INT64_MIN, INT64_MAX, out);
}

int lv_cli_seed(const char *s, uint64_t *out) {
    int64_t v;
    if (lv_arg_int(s, 0, (int64_t)LV_SEED_MAX, &v)) return -1;
    *out = (uint64_t)v;
    return 0;
}

int lv_cli_policy(const char *s, lv_policy *out) {
    static const struct {
        const char *name;
        lv_policy policy;
    } names[] = {{"random", LV_POLICY_RANDOM}, {"rr", LV_POLICY_RR}, {"pct", LV_POLICY_PCT}};
    for (size_t i = 0; i < LV_COUNTOF(names); i++)
        if (strcmp(s, names[i].name) == 0) {
            *out = names[i].policy;
            return 0;
        }
    return -1;
}

void lv_cli_list_names(FILE *f, const char *sep) {
    for (size_t i = 0; i < lv_registry_count(); i++)
        fprintf(f, "%s%s", i ? sep : "", lv_registry_at(i)->name);
}

const lv_scenario *lv_cli_scenario(const char *cmd, const char *name) {
    char eb[600];
    const lv_scenario *sc = lv_registry_lookup(name, eb, sizeof eb);
    if (!sc && (strchr(name, '/') || strstr(name, ".so"))) {
        fprintf(stderr, "lockviz %s: %s\n", cmd, eb); /* a scenario file that did not load */
    } else if (!sc) {
        fprintf(stderr, "lockviz %s: no scenario '%s'; there are: ", cmd, name);
        lv_cli_list_names(stderr, ", ");
        fputc('\n', stderr);
    }
    return sc;
}

int lv_cli_which_scenario(const char *cmd) {
    fprintf(stderr, "lockviz %s: which scenario? one of: ", cmd);
    lv_cli_list_names(stderr, ", ");
    fputc('\n', stderr);
    return LV_EXIT_USAGE;
}

int lv_cli_variant(const char *cmd, const lv_scenario *sc, const char *name) {
    int vi = lv_scenario_variant_index(sc, name);
    if (vi < 0) {
        fprintf(stderr, "lockviz %s: %s has no variant '%s'; it has:", cmd, sc->name, name);
        for (int i = 0; i < sc->nvariants; i++)
            fprintf(stderr, " %s", sc->variants[i].name);
        fputc('\n', stderr);
    }
    return vi;
}

int lv_cli_set(const char *cmd, const lv_scenario *sc, const char *set, int64_t *params) {
    const char *eq = strchr(set, '=');
    if (!eq) {
        lv_cli_usage(cmd, "--set wants NAME=VALUE, not '%s'", set);
        return -1;
    }
    char pname[64];
    size_t len = (size_t)(eq - set);
    if (len >= sizeof pname) len = sizeof pname - 1;
    memcpy(pname, set, len);
    pname[len] = 0;
    int pi = lv_scenario_param_index(sc, pname);
    if (pi < 0) {
        fprintf(stderr, "lockviz %s: %s has no parameter '%s'; it has:", cmd, sc->name, pname);
        for (int k = 0; k < sc->nparams; k++)
            fprintf(stderr, " %s", sc->params[k].name);
        if (!sc->nparams) fputs(" none", stderr);
        fputc('\n', stderr);
        return -1;
    }
    int64_t v;
    const lv_param_desc *pd = &sc->params[pi];
    if (lv_cli_i64(eq + 1, &v) || v < pd->min || v > pd->max) {
        fprintf(stderr,
                "lockviz %s: %s=%s: must be a whole number from %" PRId64 " to %" PRId64 "\n", cmd,
                pname, eq + 1, pd->min, pd->max);
        return -1;
    }
    params[pi] = v;
    return 0;
}

int lv_cli_params(const char *cmd, const lv_scenario *sc, const char *const *sets, int n,
                  int64_t *params) {
    for (int i = 0; i < sc->nparams; i++)
        params[i] = sc->params[i].def;
    for (int i = 0; i < n; i++)
        if (lv_cli_set(cmd, sc, sets[i], params) != 0) return -1;
    return 0;
}

void lv_cli_print_summary(const lv_trace *tr) {
    int lang = lv_lang_default();
    char n[4][24];
    snprintf(n[0], sizeof n[0], "%" PRIu64, tr->seed);
    snprintf(n[1], sizeof n[1], "%zu", tr->nthreads);
    snprintf(n[2], sizeof n[2], "%zu", tr->nobjects);
    snprintf(n[3], sizeof n[3], "%zu", tr->nevents);
    static const lv_tr_key outcome[] = {LV_T_COMPLETED, LV_T_DEADLOCKED, LV_T_ABORTED};
    const char *oc = (unsigned)tr->outcome < 3 ? lv_tr(lang, outcome[tr->outcome])
                                               : lv_outcome_name(tr->outcome);
    if (tr->program) /* a recorded program: its name and arguments, no seed */
        printf(lv_tr(lang, LV_T_REC_SUMMARY), tr->scenario, *tr->variant ? " " : "", tr->variant,
               oc, n[1], n[2], n[3]);
    else
        printf(lv_tr(lang, LV_T_CLI_SUMMARY), tr->scenario, tr->variant,
               lv_tr(lang, tr->mode == LV_MODE_LIVE ? LV_T_LIVE : LV_T_CLI_CONTROLLED), n[0], oc,
               n[1], n[2], n[3]);
    putchar('\n');
    if (tr->dropped)
        printf("warning: %" PRIu64 " events could not be recorded (out of memory); the trace is "
               "incomplete\n",
               tr->dropped);
}

void lv_cli_print_schedule(const lv_trace *tr) {
    if (!tr->nschedule) return;
    printf("schedule (%zu choice points): ", tr->nschedule);
    size_t show = tr->nschedule < 60 ? tr->nschedule : 60;
    for (size_t i = 0; i < show; i++)
        printf("%s%d", i ? "," : "", tr->schedule[i]);
    printf("%s\n", show < tr->nschedule ? ",... (the trace file has all of it)" : "");
}

lv_err lv_cli_save(const char *cmd, const lv_trace *tr, const char *native, const char *chrome,
                   const char *png, int w, int h) {
    char eb[512];
    lv_err first = LV_OK, e;
    if (native) {
        if ((e = lv_trace_save(tr, native, eb, sizeof eb)) != LV_OK) {
            fprintf(stderr, "lockviz %s: %s\n", cmd, eb);
            if (first == LV_OK) first = e;
        } else {
            printf("trace: %s\n", native);
        }
    }
    if (chrome) {
        if ((e = lv_trace_save_chrome(tr, chrome, eb, sizeof eb)) != LV_OK) {
            fprintf(stderr, "lockviz %s: %s\n", cmd, eb);
            if (first == LV_OK) first = e;
        } else {
            printf("chrome trace: %s (open it in Perfetto UI or speedscope)\n", chrome);
            const char *note = lv_export_chrome_note(chrome);
            if (note) fprintf(stderr, "lockviz %s: note: %s: %s\n", cmd, chrome, note);
        }
    }
    if (png) {
        if ((e = lv_render_png(tr, png, w, h, -1, eb, sizeof eb)) != LV_OK) {
            fprintf(stderr, "lockviz %s: %s\n", cmd, eb);
            if (first == LV_OK) first = e;
        } else {
            printf("picture: %s\n", png);
        }
    }
    return first;
}

int lv_cli_load_analyzed(const char *cmd, const char *path, lv_trace **out) {
    char eb[512];
    lv_trace *tr = NULL;
    lv_err err = lv_trace_load(path, &tr, eb, sizeof eb);
    if (err != LV_OK) {
        fprintf(stderr, "lockviz %s: %s\n", cmd, eb);
        return lv_exit_status(err, LV_DOING_FILE);
    }
    lv_finding *f = NULL;
    size_t nf = 0;
    if ((err = lv_analyze(tr, &f, &nf)) != LV_OK) {
        fprintf(stderr, "lockviz %s: %s: too large to analyse in this machine's memory\n", cmd,
                path);
        lv_trace_free(tr);
        return lv_exit_status(err, LV_DOING_FILE);
    }
    lv_trace_set_findings(tr, f, nf);
    *out = tr;
    return 0;
}

void lv_cli_say_no_window(const char *cmd, int headless) {
    if (!headless && !lv_have_display() && (getenv("DISPLAY") || getenv("WAYLAND_DISPLAY")))
        fprintf(stderr, "lockviz %s: %s, so no window\n", cmd, lv_display_why_not());
}
