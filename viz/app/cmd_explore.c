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
    "\n"
    "Runs SCENARIO in controlled mode under one schedule after another until one fails (any\n"
    "finding, or a deadlock) or the budget ends. Prints the runs explored, runs per second and\n"
    "the failing schedule, and saves the failing run's trace, which replays it exactly\n"
    "(lockviz run SCENARIO --schedule FAILING.json).\n"
    "\n"
    "  --variant V        which variant (default: the scenario's first)\n"
    "  --set NAME=VALUE   set a parameter (repeatable)\n"
    "  --strategy S       dfs (default): every schedule with at most K preemptions, in order,\n"
    "                     none twice; pct: random priorities; random: a random thread each time\n"
    "  --runs N           the budget (default " RUNS_TEXT ")\n"
    "  --preemptions K    dfs: the preemption bound (default " PREEMPTIONS_TEXT "; -1: no bound)\n"
    "  --seed N           the scenario's seed (default 1); pct and random derive theirs from it\n"
    "  --out FILE         where to save the failing trace (default: nothing is saved)\n"
    "  --quiet            no progress bar\n"
    "  --help             this text\n"
    "\n"
    "Exit status: 0 no failing schedule found; 1 found one; 2 bad usage; 3 internal error.\n";

#define MAX_SETS 64

typedef struct explore_opts {
    const char *name, *variant, *out;
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
    int c, rc;
    char oerr[512];
    optind = 1;
    while ((c = lv_getopt(argc, argv, opts, oerr, sizeof oerr)) != -1)
        if ((rc = explore_option(c, optarg, oerr, o)) != LV_CLI_GO) return rc;
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
    printf("%s/%s: %zu run%s explored with %s in %.2f s (%.0f runs/s)\n", sc->name,
           sc->variants[x->variant].name, r->runs, r->runs == 1 ? "" : "s", strat[x->strategy],
           secs, secs > 0 ? (double)r->runs / secs : 0.0);
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
    printf("trace: %s (replay: lockviz run %s --schedule %s)\n", o->out, sc->name, o->out);
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
    if (!(x->scenario = lv_cli_scenario("explore", o.name))) return LV_EXIT_USAGE;
    x->variant = o.variant ? lv_cli_variant("explore", x->scenario, o.variant) : 0;
    if (x->variant < 0) return LV_EXIT_USAGE;
    int64_t params[LV_MAX_PARAMS];
    if (lv_cli_params("explore", x->scenario, o.sets, o.nsets, params) != 0) return LV_EXIT_USAGE;
    x->params = params;
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
    if (err != LV_OK) {
        fprintf(stderr, "lockviz explore: %s: %s\n", x->scenario->name, lv_strerror(err));
        lv_trace_free(r.failing);
        return lv_exit_status(err, LV_DOING_RUN);
    }
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    rc = explore_report(&o, &r, secs);
    lv_trace_free(r.failing);
    return rc;
}

const lv_command lv_cmd_explore = {"explore", "SCENARIO",
                                   "run many schedules until one fails; save it to replay\n",
                                   explore_help, cmd_explore};
