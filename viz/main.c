/* The lockviz program: subcommands list, run and check (getopt_long, --help on each), with the
 * design's exit codes: 0 nothing found, 1 something found, 2 bad usage or input, 3 internal. */
#include <errno.h>
#include <stdarg.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "lockviz/lockviz.h"
#include "registry.h"

enum { EXIT_CLEAN = 0, EXIT_FOUND = 1, EXIT_USAGE = 2, EXIT_INTERNAL = 3 };

#define MAX_SEED 9007199254740991ULL /* 2^53 - 1: exact in every JSON reader */

static const char *prog = "lockviz";

static const char main_help[] =
    "lockviz: a deadlock and race visualizer for teaching concurrency\n"
    "\n"
    "Usage:\n"
    "  lockviz                 run the default scenario (ticket, unlocked) and print its summary\n"
    "  lockviz list            scenarios, variants and parameters\n"
    "  lockviz run SCENARIO    run a scenario, record its trace, report what went wrong\n"
    "  lockviz check TRACE     validate a trace, recompute its findings, print them\n"
    "\n"
    "Each command takes --help. Exit status: 0 ran and found nothing; 1 found something\n"
    "(a race, deadlock, broken invariant, misuse); 2 bad usage or bad input; 3 internal error.\n";

static const char run_help[] =
    "Usage: lockviz run SCENARIO [options]\n"
    "\n"
    "Runs SCENARIO on instrumented locks, prints its notes (the seed program's print lines)\n"
    "and its findings, and optionally saves the trace.\n"
    "\n"
    "  --variant V        which variant (default: the scenario's first; see lockviz list)\n"
    "  --set NAME=VALUE   set a parameter (repeatable; see lockviz list for the ranges)\n"
    "  --mode live        real threads, real locks, real clock (the only mode so far)\n"
    "  --seed N           seed of the scenario's random choices (0 to 2^53-1; default: from\n"
    "                     the clock, printed so the run can be repeated)\n"
    "  --time-scale F     multiply every sleep by F (live mode; e.g. 0.01 for a quick run)\n"
    "  --out FILE         save the trace as JSON (written atomically)\n"
    "  --headless         never open a window (no window exists yet: always the case)\n"
    "  --quiet            print only the summary and the findings, not the notes\n"
    "  --help             this text\n"
    "\n"
    "Exit status: 0 no findings; 1 findings (see the report); 2 bad usage; 3 internal error.\n";

static const char check_help[] =
    "Usage: lockviz check TRACE.json [--json]\n"
    "\n"
    "Validates a trace file, recomputes its findings from its events (the stored findings are\n"
    "not trusted) and prints them.\n"
    "\n"
    "  --json   print the findings as a JSON array in the trace's finding format\n"
    "  --help   this text\n"
    "\n"
    "Exit status: 0 no findings; 1 findings; 2 the file is missing or not a valid trace.\n";

static const char list_help[] =
    "Usage: lockviz list\n"
    "\n"
    "Lists every scenario with its title, its variants (the default first) and its parameters\n"
    "(default and range).\n";

static int usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int usage_error(const char *cmd, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s %s: ", prog, cmd);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, " (try '%s %s --help')\n", prog, cmd);
    va_end(ap);
    return EXIT_USAGE;
}

static int parse_i64(const char *s, int64_t *out) {
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end) return -1;
    *out = v;
    return 0;
}

static void list_names(FILE *f, const char *sep) {
    for (size_t i = 0; i < lv_nscenarios; i++)
        fprintf(f, "%s%s", i ? sep : "", lv_scenarios[i]->name);
}

static int cmd_list(int argc, char **argv) {
    static const struct option opts[] = {{"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'h') {
            fputs(list_help, stdout);
            return EXIT_CLEAN;
        }
        return usage_error("list", "unknown option");
    }
    if (optind < argc) return usage_error("list", "unexpected argument '%s'", argv[optind]);
    for (size_t i = 0; i < lv_nscenarios; i++) {
        const lv_scenario *sc = lv_scenarios[i];
        printf("%s: %s (%s)\n", sc->name, sc->title, sc->title_zh);
        printf("  from: %s\n", sc->source);
        printf("  variants:\n");
        for (int v = 0; v < sc->nvariants; v++)
            printf("    %-10s %s%s\n", sc->variants[v].name, sc->variants[v].summary,
                   v == 0 ? " (default)" : "");
        if (sc->nparams) printf("  parameters:\n");
        for (int p = 0; p < sc->nparams; p++)
            printf("    %-10s default %" PRId64 ", range %" PRId64 "..%" PRId64 ": %s\n",
                   sc->params[p].name, sc->params[p].def, sc->params[p].min, sc->params[p].max,
                   sc->params[p].help);
    }
    return EXIT_CLEAN;
}

static void print_notes(const lv_trace *tr) {
    for (size_t i = 0; i < tr->nevents; i++) {
        const lv_event *e = &tr->events[i];
        if (e->kind != LV_EV_NOTE) continue;
        const char *mark = "";
        if (e->flags & LV_EVF_CHECK) mark = (e->flags & LV_EVF_CHECK_OK) ? "[ok] " : "[FAILED] ";
        printf("%9.3f s  %-10s %s%s\n", (double)e->t / 1e9, lv_trace_thread_name(tr, e->thread),
               mark, lv_trace_text(tr, e));
    }
}

static void print_summary(const lv_trace *tr) {
    printf("%s/%s, %s mode, seed %" PRIu64 ": %s; %zu threads, %zu objects, %zu events\n",
           tr->scenario, tr->variant, lv_mode_name(tr->mode), tr->seed,
           lv_outcome_name(tr->outcome), tr->nthreads, tr->nobjects, tr->nevents);
    if (tr->dropped)
        printf("warning: %" PRIu64 " events could not be recorded (out of memory); the trace is "
               "incomplete\n",
               tr->dropped);
}

static int cmd_run(int argc, char **argv, int default_job) {
    static const struct option opts[] = {{"variant", required_argument, 0, 'v'},
                                         {"set", required_argument, 0, 's'},
                                         {"mode", required_argument, 0, 'm'},
                                         {"seed", required_argument, 0, 'S'},
                                         {"out", required_argument, 0, 'o'},
                                         {"headless", no_argument, 0, 'H'},
                                         {"time-scale", required_argument, 0, 'T'},
                                         {"quiet", no_argument, 0, 'q'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    const char *variant = NULL, *out = NULL;
    const char *sets[64];
    int nsets = 0, quiet = 0, have_seed = 0;
    uint64_t seed = 0;
    double scale = 1.0;
    lv_mode mode = LV_MODE_LIVE;
    int c;
    optind = 1;
    while (!default_job && (c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'h':
            fputs(run_help, stdout);
            return EXIT_CLEAN;
        case 'v':
            variant = optarg;
            break;
        case 's':
            if (nsets == 64) return usage_error("run", "too many --set options");
            sets[nsets++] = optarg;
            break;
        case 'm':
            if (strcmp(optarg, "live") == 0)
                mode = LV_MODE_LIVE;
            else if (strcmp(optarg, "controlled") == 0)
                return usage_error("run",
                                   "--mode controlled is not available yet; use --mode live");
            else
                return usage_error("run", "--mode must be live or controlled, not '%s'", optarg);
            break;
        case 'S': {
            int64_t v;
            if (parse_i64(optarg, &v) || v < 0 || (uint64_t)v > MAX_SEED)
                return usage_error(
                    "run", "--seed must be a whole number from 0 to 2^53-1, not '%s'", optarg);
            seed = (uint64_t)v;
            have_seed = 1;
            break;
        }
        case 'o':
            out = optarg;
            break;
        case 'H':
            break;
        case 'T': {
            char *end;
            errno = 0;
            scale = strtod(optarg, &end);
            if (errno || end == optarg || *end || !(scale > 0) || scale > 100)
                return usage_error("run",
                                   "--time-scale must be a number above 0 and at most 100, "
                                   "not '%s'",
                                   optarg);
            break;
        }
        case 'q':
            quiet = 1;
            break;
        default:
            return usage_error("run", "unknown option");
        }
    }
    const char *name = "ticket";
    if (!default_job) {
        if (optind >= argc) {
            fprintf(stderr, "%s run: which scenario? one of: ", prog);
            list_names(stderr, ", ");
            fputc('\n', stderr);
            return EXIT_USAGE;
        }
        name = argv[optind++];
        if (optind < argc) return usage_error("run", "unexpected argument '%s'", argv[optind]);
    }
    const lv_scenario *sc = lv_scenario_find(name);
    if (!sc) {
        fprintf(stderr, "%s run: no scenario '%s'; there are: ", prog, name);
        list_names(stderr, ", ");
        fputc('\n', stderr);
        return EXIT_USAGE;
    }
    int vi = 0;
    if (variant) {
        vi = lv_scenario_variant_index(sc, variant);
        if (vi < 0) {
            fprintf(stderr, "%s run: %s has no variant '%s'; it has:", prog, sc->name, variant);
            for (int i = 0; i < sc->nvariants; i++)
                fprintf(stderr, " %s", sc->variants[i].name);
            fputc('\n', stderr);
            return EXIT_USAGE;
        }
    }
    int64_t params[LV_MAX_PARAMS];
    for (int i = 0; i < sc->nparams; i++)
        params[i] = sc->params[i].def;
    for (int i = 0; i < nsets; i++) {
        const char *eq = strchr(sets[i], '=');
        if (!eq) return usage_error("run", "--set wants NAME=VALUE, not '%s'", sets[i]);
        char pname[64];
        size_t len = (size_t)(eq - sets[i]);
        if (len >= sizeof pname) len = sizeof pname - 1;
        memcpy(pname, sets[i], len);
        pname[len] = 0;
        int pi = lv_scenario_param_index(sc, pname);
        if (pi < 0) {
            fprintf(stderr, "%s run: %s has no parameter '%s'; it has:", prog, sc->name, pname);
            for (int k = 0; k < sc->nparams; k++)
                fprintf(stderr, " %s", sc->params[k].name);
            if (!sc->nparams) fputs(" none", stderr);
            fputc('\n', stderr);
            return EXIT_USAGE;
        }
        int64_t v;
        const lv_param_desc *pd = &sc->params[pi];
        if (parse_i64(eq + 1, &v) || v < pd->min || v > pd->max) {
            fprintf(stderr,
                    "%s run: %s=%s: must be a whole number from %" PRId64 " to %" PRId64 "\n", prog,
                    pname, eq + 1, pd->min, pd->max);
            return EXIT_USAGE;
        }
        params[pi] = v;
    }
    if (!have_seed) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        seed = ((uint64_t)ts.tv_sec * 1000003ULL ^ (uint64_t)ts.tv_nsec) & MAX_SEED;
    }
    lv_run_desc d = {.scenario = sc,
                     .variant = vi,
                     .params = params,
                     .mode = mode,
                     .seed = seed,
                     .time_scale = scale};
    lv_trace *tr = NULL;
    lv_err err = lv_run(&d, &tr);
    if (err != LV_OK) {
        fprintf(stderr, "%s run: %s: %s\n", prog, sc->name, lv_strerror(err));
        return EXIT_INTERNAL;
    }
    if (!quiet) print_notes(tr);
    print_summary(tr);
    lv_findings_print(tr, tr->findings, tr->nfindings, stdout);
    int rc = tr->nfindings ? EXIT_FOUND : EXIT_CLEAN;
    if (out) {
        char eb[512];
        if (lv_trace_save(tr, out, eb, sizeof eb) != LV_OK) {
            fprintf(stderr, "%s run: %s\n", prog, eb);
            rc = EXIT_USAGE;
        } else {
            printf("trace: %s\n", out);
        }
    }
    lv_trace_free(tr);
    return rc;
}

static int cmd_check(int argc, char **argv) {
    static const struct option opts[] = {
        {"json", no_argument, 0, 'j'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    int json = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'h') {
            fputs(check_help, stdout);
            return EXIT_CLEAN;
        }
        if (c == 'j') {
            json = 1;
            continue;
        }
        return usage_error("check", "unknown option");
    }
    if (optind >= argc) return usage_error("check", "which trace file?");
    const char *path = argv[optind++];
    if (optind < argc) return usage_error("check", "unexpected argument '%s'", argv[optind]);
    char eb[512];
    lv_trace *tr = NULL;
    lv_err err = lv_trace_load(path, &tr, eb, sizeof eb);
    if (err != LV_OK) {
        fprintf(stderr, "%s check: %s\n", prog, eb);
        return err == LV_ENOMEM ? EXIT_INTERNAL : EXIT_USAGE;
    }
    lv_finding *f = NULL;
    size_t nf = 0;
    if (lv_analyze(tr, &f, &nf) != LV_OK) {
        fprintf(stderr, "%s check: %s: out of memory analysing the trace\n", prog, path);
        lv_trace_free(tr);
        return EXIT_INTERNAL;
    }
    if (json) {
        lv_findings_write_json(tr, f, nf, stdout);
    } else {
        print_summary(tr);
        lv_findings_print(tr, f, nf, stdout);
    }
    lv_findings_free(f, nf);
    lv_trace_free(tr);
    return nf ? EXIT_FOUND : EXIT_CLEAN;
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc < 2) return cmd_run(argc, argv, 1);
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        fputs(main_help, stdout);
        return EXIT_CLEAN;
    }
    if (strcmp(cmd, "--version") == 0) {
        puts("lockviz 0.1.0");
        return EXIT_CLEAN;
    }
    if (strcmp(cmd, "list") == 0) return cmd_list(argc - 1, argv + 1);
    if (strcmp(cmd, "run") == 0) return cmd_run(argc - 1, argv + 1, 0);
    if (strcmp(cmd, "check") == 0) return cmd_check(argc - 1, argv + 1);
    fprintf(stderr, "%s: unknown command '%s' (try '%s --help')\n", prog, cmd, prog);
    return EXIT_USAGE;
}
