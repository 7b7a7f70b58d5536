/* `lockviz explore SCENARIO`: controlled runs under one schedule after another until one fails
 * or the budget ends; prints what it found and saves the failing run, which replays it. It
 * opens no window (the window's X key explores through glue.c). */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "cli.h"
#include "args.h"
#include "lockviz/explore.h"

#define RUNS_TEXT LV_STR(LV_EXPLORE_RUNS)
#define PREEMPTIONS_TEXT LV_STR(LV_EXPLORE_PREEMPTIONS)

static const char explore_help[] =
    "Usage: lockviz explore SCENARIO [options]\n"
    "       lockviz explore [options] -- PROGRAM [ARGS...]\n"
    "\n"
    "Runs SCENARIO in controlled mode under one schedule after another until one fails (any\n"
    "finding, or a deadlock) or the budget ends. Prints the runs explored, runs per second and\n"
    "the failing schedule, and saves the failing run's trace, which replays it exactly\n"
    "(lockviz run SCENARIO --schedule FAILING.json).\n"
    "\n"
    "With -- PROGRAM, explores an unmodified pthread program as 'lockviz record --mode\n"
    "controlled' runs it: each run is a fresh process given its schedule prefix, its stdin,\n"
    "stdout and stderr /dev/null. A run fails when it deadlocks, has a finding other than a\n"
    "lock-order inversion (that one shows on every run of a program that takes two locks in\n"
    "both orders; the search is for the run where it deadlocks), or the program does not exit\n"
    "with status 0 (its own check failed, it crashed). The failing trace replays it exactly:\n"
    "lockviz record --mode controlled --schedule FAILING.json -- PROGRAM [ARGS...].\n"
    "A program that is not deterministic under control (it reads the pid, a file, the real\n"
    "time through a call lockviz does not wrap) can leave its prefix: explore says how often.\n"
    "\n"
    "  --variant V        which variant (default: the scenario's first)\n"
    "  --set NAME=VALUE   set a parameter (repeatable)\n"
    "  --strategy S       dfs (default): every schedule with at most K preemptions, in order,\n"
    "                     none twice; pct: random priorities; random: a random thread each time\n"
    "  --runs N           the budget (default " RUNS_TEXT ")\n"
    "  --preemptions K    dfs: the preemption bound (default " PREEMPTIONS_TEXT "; -1: no bound)\n"
    "  --seed N           the scenario's seed (default 1); pct and random derive theirs from it\n"
    "                     (a program's runs: only theirs)\n"
    "  --out FILE         where to save the failing trace (default: nothing is saved)\n"
    "  --quiet            no progress bar\n"
    "  --help             this text\n"
    "\n"
    "Exit status: 0 no failing schedule found; 1 found one; 2 bad usage; 3 internal error.\n";

#define MAX_SETS 64

typedef struct explore_opts {
    const char *name, *variant, *out;
    char **argv; /* -- PROGRAM ARGS...: the program, NULL-terminated; else NULL */
    const char *sets[MAX_SETS];
    int nsets, quiet;
    lv_explore_desc x; /* the strategy, budget, bound and seed given */
} explore_opts;

/* One option into o: LV_CLI_GO, or the exit status after --help or a message. */
static int explore_option(int c, const char *arg, const char *oerr, explore_opts *o) {
    int64_t v;
    switch (c) {
    case 'h':
        fputs(explore_help, stdout);
        return LV_EXIT_CLEAN;
    case 'v':
        o->variant = arg;
        return LV_CLI_GO;
    case 's':
        if (o->nsets == MAX_SETS) return lv_cli_usage("explore", "too many --set options");
        o->sets[o->nsets++] = arg;
        return LV_CLI_GO;
    case 'S':
        if (strcmp(arg, "dfs") == 0)
            o->x.strategy = LV_STRATEGY_DFS;
        else if (strcmp(arg, "pct") == 0)
            o->x.strategy = LV_STRATEGY_PCT;
        else if (strcmp(arg, "random") == 0)
            o->x.strategy = LV_STRATEGY_RANDOM;
        else
            return lv_cli_usage("explore", "--strategy must be dfs, pct or random, not '%s'", arg);
        return LV_CLI_GO;
    case 'r':
        if (lv_cli_i64(arg, &v) || v < 1 || v > 100000000)
            return lv_cli_usage("explore", "--runs must be a whole number from 1 to 10^8, not '%s'",
                                arg);
        o->x.runs = (size_t)v;
        return LV_CLI_GO;
    case 'p':
        if (lv_cli_i64(arg, &v) || v < -1 || v > 1000)
            return lv_cli_usage(
                "explore", "--preemptions must be a whole number from -1 to 1000, not '%s'", arg);
        o->x.preemptions = (int)v;
        return LV_CLI_GO;
    case 'e':
        if (lv_cli_seed(arg, &o->x.seed))
            return lv_cli_usage("explore",
                                "--seed must be a whole number from 0 to 2^53-1, not '%s'", arg);
        return LV_CLI_GO;
    case 'o':
        o->out = arg;
        return LV_CLI_GO;
    case 'q':
        o->quiet = 1;
        return LV_CLI_GO;
    default:
        return lv_cli_usage("explore", "%s", oerr);
    }
}

static int explore_parse(int argc, char **argv, explore_opts *o) {
    static const struct option opts[] = {{"variant", required_argument, 0, 'v'},
                                         {"set", required_argument, 0, 's'},
                                         {"strategy", required_argument, 0, 'S'},
                                         {"runs", required_argument, 0, 'r'},
                                         {"preemptions", required_argument, 0, 'p'},
                                         {"seed", required_argument, 0, 'e'},
                                         {"out", required_argument, 0, 'o'},
                                         {"quiet", no_argument, 0, 'q'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    int c, rc, split = 1;
    while (split < argc && strcmp(argv[split], "--") != 0)
        split++;
    char oerr[512];
    optind = 1;
    while ((c = lv_getopt(split, argv, opts, oerr, sizeof oerr)) != -1)
        if ((rc = explore_option(c, optarg, oerr, o)) != LV_CLI_GO) return rc;
    if (split < argc) { /* -- PROGRAM ARGS... */
        if (optind < split)
            return lv_cli_usage("explore", "a scenario ('%s') or a program after --, not both",
                                argv[optind]);
        if (split + 1 >= argc)
            return lv_cli_usage("explore", "which program? (lockviz explore -- PROGRAM ARGS...)");
        if (o->variant || o->nsets)
            return lv_cli_usage("explore", "--%s belongs to a scenario, not a program",
                                o->variant ? "variant" : "set");
        o->argv = argv + split + 1;
        return LV_CLI_GO;
    }
    if (optind >= argc) return lv_cli_which_scenario("explore");
    o->name = argv[optind++];
    if (optind < argc) return lv_cli_usage("explore", "unexpected argument '%s'", argv[optind]);
    return LV_CLI_GO;
}

static int explore_progress(void *ctx, size_t done, size_t budget) {
    struct timespec *last = ctx, now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    double dt = (double)(now.tv_sec - last->tv_sec) + (double)(now.tv_nsec - last->tv_nsec) / 1e9;
    if (dt < 0.1 && done < budget) return 0;
    *last = now;
    int width = 30, fill = (int)((double)width * (double)done / (double)budget);
    fprintf(stderr, "\r[%.*s%*s] %zu/%zu runs", fill, "##############################",
            width - fill, "", done, budget);
    return 0;
}

/* What the exploration found, and the failing trace saved to --out: the exit status. */
static int explore_report(const explore_opts *o, const lv_explore_result *r, double secs) {
    const lv_explore_desc *x = &o->x;
    const lv_scenario *sc = x->scenario;
    static const char *const strat[] = {"dfs", "pct", "random"};
    if (sc)
        printf("%s/%s: ", sc->name, sc->variants[x->variant].name);
    else
        printf("%s: ", o->argv[0]);
    printf("%zu run%s explored with %s in %.2f s (%.0f runs/s)\n", r->runs, r->runs == 1 ? "" : "s",
           strat[x->strategy], secs, secs > 0 ? (double)r->runs / secs : 0.0);
    if (r->diverged)
        printf("warning: %zu run%s left their schedule prefix (the program is not deterministic "
               "under control); dfs may have missed or repeated schedules\n",
               r->diverged, r->diverged == 1 ? "" : "s");
    if (!r->failing) {
        if (r->exhausted)
            printf("no failing schedule: dfs ran every schedule with at most %d preemption%s\n",
                   x->preemptions, x->preemptions == 1 ? "" : "s");
        else
            printf("no failing schedule found in %zu runs\n", r->runs);
        return LV_EXIT_CLEAN;
    }
    const lv_trace *tr = r->failing;
    printf("failing schedule found at run %zu (seed %" PRIu64 "):\n", r->failing_run + 1, tr->seed);
    lv_cli_print_schedule(tr);
    lv_findings_print(tr, tr->findings, tr->nfindings, stdout);
    if (!o->out) return LV_EXIT_FOUND;
    char eb[512];
    lv_err err = lv_trace_save(tr, o->out, eb, sizeof eb);
    if (err != LV_OK) {
        fprintf(stderr, "lockviz explore: %s\n", eb);
        return lv_exit_status(err, LV_DOING_FILE);
    }
    if (sc) {
        printf("trace: %s (replay: lockviz run %s --schedule %s)\n", o->out, sc->name, o->out);
        return LV_EXIT_FOUND;
    }
    printf("trace: %s (replay: lockviz record --mode controlled --schedule %s --", o->out, o->out);
    for (char **a = o->argv; *a; a++)
        printf(" %s", *a);
    puts(")");
    return LV_EXIT_FOUND;
}

static int cmd_explore(int argc, char **argv) {
    explore_opts o = {.x = {.strategy = LV_STRATEGY_DFS,
                            .runs = LV_EXPLORE_RUNS,
                            .preemptions = LV_EXPLORE_PREEMPTIONS,
                            .seed = 1}};
    int rc = explore_parse(argc, argv, &o);
    if (rc != LV_CLI_GO) return rc;
    lv_explore_desc *x = &o.x;
    int64_t params[LV_MAX_PARAMS];
    lv_record_desc prog = {.argv = o.argv};
    char eb[1024] = "";
    if (o.argv) {
        x->program = &prog;
        x->errbuf = eb;
        x->errlen = sizeof eb;
    } else {
        if (!(x->scenario = lv_cli_scenario("explore", o.name))) return LV_EXIT_USAGE;
        x->variant = o.variant ? lv_cli_variant("explore", x->scenario, o.variant) : 0;
        if (x->variant < 0) return LV_EXIT_USAGE;
        if (lv_cli_params("explore", x->scenario, o.sets, o.nsets, params) != 0)
            return LV_EXIT_USAGE;
        x->params = params;
    }
    struct timespec t0, t1, last = {0, 0};
    if (!o.quiet && isatty(fileno(stderr))) {
        x->progress = explore_progress;
        x->progress_ctx = &last;
    }
    clock_gettime(CLOCK_MONOTONIC, &t0);
    lv_explore_result r;
    lv_err err = lv_explore(x, &r);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (x->progress) fputc('\n', stderr);
    if (err != LV_OK && o.argv && eb[0]) {
        fprintf(stderr, "lockviz explore: %s\n", eb);
        lv_trace_free(r.failing);
        return lv_exit_status(err, LV_DOING_RUN);
    }
    if (err != LV_OK) {
        fprintf(stderr, "lockviz explore: %s: %s\n", x->scenario ? x->scenario->name : o.argv[0],
                lv_strerror(err));
        lv_trace_free(r.failing);
        return lv_exit_status(err, LV_DOING_RUN);
    }
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    rc = explore_report(&o, &r, secs);
    lv_trace_free(r.failing);
    return rc;
}

const lv_command lv_cmd_explore = {"explore", "SCENARIO | -- PROGRAM ARGS...",
                                   "run many schedules of a scenario or a pthread\n"
                                   "program until one fails; save it to replay\n",
                                   explore_help, cmd_explore};
