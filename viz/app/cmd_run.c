/* `lockviz run SCENARIO` (and plain `lockviz`): runs a scenario, prints its notes, summary,
 * schedule and findings, saves the files asked for, and shows the run in the window; with
 * --compare, a second variant on the first run's schedule beside it. The options are read into
 * a run_opts first; nothing runs until they all are good. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "cli.h"
#include "args.h"
#include "cli_env.h"
#include "geom.h"
#include "glue.h"
#include "render.h"
#include "session.h"
#include "viewer.h"

static const char run_help[] =
    "Usage: lockviz run SCENARIO [options]\n"
    "\n"
    "Runs SCENARIO (a name, or a scenario file: ./my.so) on instrumented locks, prints its notes "
    "(the seed program's print lines)\n"
    "and its findings, optionally saves the trace, and then shows the run in a window when\n"
    "there is a display (DISPLAY or WAYLAND_DISPLAY) and --headless is not given. In the\n"
    "window, H lists the keys: O picks another scenario, X explores for a failing schedule.\n"
    "\n"
    "  --variant V        which variant (default: the scenario's first; see lockviz list)\n"
    "  --set NAME=VALUE   set a parameter (repeatable; see lockviz list for the ranges)\n"
    "  --mode M           controlled (default): one thread at a time on a virtual clock, the\n"
    "                     same seed or schedule gives the same trace, byte for byte;\n"
    "                     live: real threads, real locks, real clock, never the same twice\n"
    "  --seed N           seed of the scheduler and of the scenario's random choices\n"
    "                     (0 to 2^53-1; default 1 when controlled, from the clock when live)\n"
    "  --policy P         controlled: who runs next at each choice point: random (default),\n"
    "                     rr (round robin) or pct (random priorities, changed at d-1 points)\n"
    "  --pct-depth D      the d of pct (1 to 16, default 3)\n"
    "  --schedule S       controlled: replay a schedule: a trace file (its scenario, variant,\n"
    "                     parameters and seed too, unless given here) or a list of thread ids,\n"
    "                     one per choice point, like 1,2,2,1; when it runs out the policy\n"
    "                     goes on\n"
    "  --time-scale F     multiply every sleep by F (live mode; e.g. 0.01 for a quick run)\n"
    "  --out FILE         save the trace as JSON (written atomically)\n"
    "  --chrome FILE      save it in the Chrome Trace Event Format, for Perfetto UI and\n"
    "                     speedscope (name it NAME-chrome.json: speedscope cannot open a\n"
    "                     name ending in .chrome.json)\n"
    "  --png FILE         draw the timeline to a PNG (the whole run, at --size)\n"
    "  --size WxH         window or picture size (default " LV_VIEW_SIZE_TEXT
    "; 1920x1080 for a projector\n"
    "                     shows more lanes, findings and notes)\n"
    "  --compare W        also run variant W of the scenario (controlled mode only) "
    "with the\n"
    "                     same seed and parameters, replaying the first run's "
    "schedule where\n"
    "                     it applies, and show the two side by side (window and "
    "--png);\n"
    "                     --out F and --chrome F also write W's run to F with -W "
    "before\n"
    "                     -chrome.json, .trace.json, .chrome.json or .json\n"
    "  --headless         never open a window: print, and write the files asked "
    "for\n"
    "  --quiet            print only the summary and the findings, not the notes\n"
    "  --scheduler        open the window in scheduler mode: you pick which thread "
    "runs at\n"
    "                     each choice point (click a lane or press its number), "
    "starting\n"
    "                     after the --schedule given; not with --headless or --mode "
    "live\n"
    "  --ahead A          in the window, what lies after the playhead: hidden "
    "(default: the\n"
    "                     run unfolds as it plays), faint or shown (key G "
    "switches)\n"
    "  --help             this text\n"
    "\n"
    "In the window, C shows the run beside its counterpart (a broken variant beside "
    "the first\n"
    "fixed one, a fix beside the first broken one) and back. S turns scheduler mode "
    "on and\n"
    "off, A lets the policy run on, P turns predict mode on and off (guess who runs "
    "next and\n"
    "what reads return), and Ctrl+C copies the command that replays what is shown\n"
    "(lockviz run ... --schedule 1,2,2,1). F turns fullscreen on and off, Esc "
    "closes what is\n"
    "open (the help, the lesson) and never quits, Q quits (asking first when "
    "scheduler picks\n"
    "would be lost).\n"
    "\n"
    "Exit status: 0 no findings; 1 findings (see the report; with --compare, in "
    "either run);\n"
    "2 bad usage; 3 internal error.\n";

static const char *policy_name(lv_policy p) {
    return p == LV_POLICY_RR ? "rr" : p == LV_POLICY_PCT ? "pct" : "random";
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

/* F with "-VARIANT" before its "-chrome.json", ".trace.json", ".chrome.json" or ".json" (else
 * before its extension, else at its end): where --compare's second run goes. */
static void side_name(const char *path, const char *variant, char *buf, size_t len) {
    size_t n = strlen(path), cut = n;
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    static const char *const ext[] = {"-chrome.json", ".trace.json", ".chrome.json", ".json"};
    int found = 0;
    for (size_t i = 0; i < sizeof ext / sizeof *ext && !found; i++) {
        size_t e = strlen(ext[i]);
        if (n > e && strcmp(path + n - e, ext[i]) == 0 && path + n - e > base) {
            cut = n - e;
            found = 1;
        }
    }
    const char *dot = strrchr(base, '.');
    if (!found && dot && dot > base) cut = (size_t)(dot - path);
    snprintf(buf, len, "%.*s-%s%s", (int)cut, path, variant, path + cut);
}

/* How far the second run of --compare followed the first one's choices. */
static void print_same(const lv_trace *a, const lv_trace *b, long diverged, lv_policy p) {
    size_t same = lv_schedule_same(a, b);
    if (same == a->nschedule && same == b->nschedule)
        printf("same choices: %s picked the same thread as %s at all %zu choice points\n",
               b->variant, a->variant, same);
    else if (diverged >= 0)
        printf("same choices: %s picked the same thread as %s at the first %zu of its %zu choice "
               "points; at choice point %ld the thread %s picked could not run in %s, so the %s "
               "policy chose there (and wherever else that happened)\n",
               b->variant, a->variant, same, b->nschedule, diverged, a->variant, b->variant,
               policy_name(p));
    else if (same == a->nschedule)
        printf("same choices: %s followed all %zu of %s's choices; the %s policy made its other "
               "%zu\n",
               b->variant, a->nschedule, a->variant, policy_name(p), b->nschedule - same);
    else
        printf("same choices: %s picked the same thread as %s at all of its %zu choice points; "
               "%s had %zu\n",
               b->variant, a->variant, same, a->variant, a->nschedule);
}

#define MAX_SETS 64

/* Everything the command line says, read before anything runs. */
typedef struct run_opts {
    const char *name;     /* the scenario: a name or a file */
    const char *variant;  /* NULL: the scenario's first, or the --schedule trace's */
    const char *schedule; /* --schedule: a list or a trace file */
    const char *out, *chrome, *png, *compare;
    const char *sets[MAX_SETS];
    int nsets;
    int have_seed; /* --seed given */
    uint64_t seed;
    double scale;
    lv_mode mode;
    lv_policy policy;
    int pct_depth;
    int quiet, headless, scheduler, w, h;
    int ahead;  /* LV_FUTURE_*, or -1: the window's own default (hidden: the run unfolds) */
    int picker; /* the window opens on the scenario picker (plain `lockviz`) */
} run_opts;

static run_opts run_defaults(void) {
    return (run_opts){.scale = 1.0,
                      .mode = LV_MODE_CONTROLLED,
                      .policy = LV_POLICY_RANDOM,
                      .pct_depth = 3,
                      .ahead = -1,
                      .w = LV_VIEW_W,
                      .h = LV_VIEW_H};
}

/* One option into o: LV_CLI_GO, or the exit status after --help or a message. */
static int run_option(int c, const char *arg, const char *oerr, run_opts *o) {
    int64_t v;
    switch (c) {
    case 'h':
        fputs(run_help, stdout);
        return LV_EXIT_CLEAN;
    case 'v':
        o->variant = arg;
        break;
    case 's':
        if (o->nsets == MAX_SETS) return lv_cli_usage("run", "too many --set options");
        o->sets[o->nsets++] = arg;
        break;
    case 'm':
        if (strcmp(arg, "live") == 0)
            o->mode = LV_MODE_LIVE;
        else if (strcmp(arg, "controlled") == 0)
            o->mode = LV_MODE_CONTROLLED;
        else
            return lv_cli_usage("run", "--mode must be live or controlled, not '%s'", arg);
        break;
    case 'S':
        if (lv_cli_seed(arg, &o->seed))
            return lv_cli_usage("run", "--seed must be a whole number from 0 to 2^53-1, not '%s'",
                                arg);
        o->have_seed = 1;
        break;
    case 'o':
        o->out = arg;
        break;
    case 'H':
        o->headless = 1;
        break;
    case 'T':
        if (lv_arg_real(arg, &o->scale) || !(o->scale > 0) || o->scale > 100)
            return lv_cli_usage(
                "run", "--time-scale must be a number above 0 and at most 100, not '%s'", arg);
        break;
    case 'q':
        o->quiet = 1;
        break;
    case 'P':
        if (lv_cli_policy(arg, &o->policy))
            return lv_cli_usage("run", "--policy must be random, rr or pct, not '%s'", arg);
        break;
    case 'D':
        if (lv_cli_i64(arg, &v) || v < 1 || v > 16)
            return lv_cli_usage("run", "--pct-depth must be a whole number from 1 to 16, not '%s'",
                                arg);
        o->pct_depth = (int)v;
        break;
    case 'C':
        o->schedule = arg;
        break;
    case 'X':
        o->chrome = arg;
        break;
    case 'G':
        o->png = arg;
        break;
    case 'W':
        o->compare = arg;
        break;
    case 'Z':
        o->scheduler = 1;
        break;
    case 'A':
        if ((o->ahead = lv_cli_ahead(arg)) < 0)
            return lv_cli_usage("run", "--ahead must be hidden, faint or shown, not '%s'", arg);
        break;
    case 'Y':
        if (lv_arg_size(arg, &o->w, &o->h))
            return lv_cli_usage("run", "--size wants WxH from 200x150 to 8192x8192, not '%s'", arg);
        break;
    default:
        return lv_cli_usage("run", "%s", oerr);
    }
    return LV_CLI_GO;
}

/* Options that each make sense alone but not together. */
static int run_conflicts(const run_opts *o) {
    if (o->scheduler && o->mode == LV_MODE_LIVE)
        return lv_cli_usage("run", "--scheduler picks threads in a controlled run; it cannot go "
                                   "with --mode live");
    if (o->scheduler && o->headless)
        return lv_cli_usage("run", "--scheduler opens the window; it cannot go with --headless");
    if (o->scheduler && o->compare)
        return lv_cli_usage("run", "--scheduler and --compare each open the window their own "
                                   "way; give one of them");
    return LV_CLI_GO;
}

static int run_parse(int argc, char **argv, run_opts *o) {
    static const struct option opts[] = {{"variant", required_argument, 0, 'v'},
                                         {"set", required_argument, 0, 's'},
                                         {"mode", required_argument, 0, 'm'},
                                         {"seed", required_argument, 0, 'S'},
                                         {"out", required_argument, 0, 'o'},
                                         {"headless", no_argument, 0, 'H'},
                                         {"time-scale", required_argument, 0, 'T'},
                                         {"quiet", no_argument, 0, 'q'},
                                         {"policy", required_argument, 0, 'P'},
                                         {"pct-depth", required_argument, 0, 'D'},
                                         {"schedule", required_argument, 0, 'C'},
                                         {"chrome", required_argument, 0, 'X'},
                                         {"png", required_argument, 0, 'G'},
                                         {"compare", required_argument, 0, 'W'},
                                         {"scheduler", no_argument, 0, 'Z'},
                                         {"ahead", required_argument, 0, 'A'},
                                         {"size", required_argument, 0, 'Y'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    int c, rc;
    char oerr[512];
    optind = 1;
    while ((c = lv_getopt(argc, argv, opts, oerr, sizeof oerr)) != -1)
        if ((rc = run_option(c, optarg, oerr, o)) != LV_CLI_GO) return rc;
    if (optind >= argc) return lv_cli_which_scenario("run");
    o->name = argv[optind++];
    if (optind < argc) return lv_cli_usage("run", "unexpected argument '%s'", argv[optind]);
    return run_conflicts(o);
}

/* What the options come to once the scenario is known: the runs' descriptor and the
 * schedule it replays (its own memory, or the --schedule trace's). */
typedef struct run_job {
    const run_opts *o;
    const lv_scenario *sc;
    const char *variant; /* the option's, or the --schedule trace's */
    int vi, wi;          /* the variant's index; --compare's (-1: none) */
    int have_seed;
    uint64_t seed;
    int64_t params[LV_MAX_PARAMS];
    int32_t *sched; /* a typed list (owned), or the trace's */
    size_t nsched;
    lv_trace *from; /* --schedule TRACE */
    lv_run_desc d;
    lv_trace *tr, *tw; /* the run, and --compare's second run */
} run_job;

static void run_job_free(run_job *j) {
    lv_trace_free(j->tw);
    lv_trace_free(j->tr);
    if (j->from)
        lv_trace_free(j->from);
    else
        free(j->sched);
}

/* The parameters of the --schedule trace, as input like --set's: unknown or out of range is
 * the file's mistake, said with its name (not a run that fails later). 0, or -1 after a
 * message. */
static int schedule_params(run_job *j) {
    const lv_scenario *sc = j->sc;
    const char *arg = j->o->schedule;
    for (size_t i = 0; i < j->from->nparams; i++) {
        const lv_param_value *fp = &j->from->params[i];
        int pi = lv_scenario_param_index(sc, fp->name);
        if (pi < 0) {
            fprintf(stderr,
                    "lockviz run: --schedule %s: scenario.params: %s has no parameter '%s'; it "
                    "has:",
                    arg, sc->name, fp->name);
            for (int k = 0; k < sc->nparams; k++)
                fprintf(stderr, " %s", sc->params[k].name);
            if (!sc->nparams) fputs(" none", stderr);
            fputc('\n', stderr);
            return -1;
        }
        const lv_param_desc *pd = &sc->params[pi];
        if (fp->value < pd->min || fp->value > pd->max) {
            fprintf(stderr,
                    "lockviz run: --schedule %s: scenario.params.%s: %" PRId64
                    " is out of range (%s takes %" PRId64 " to %" PRId64 ")\n",
                    arg, fp->name, fp->value, fp->name, pd->min, pd->max);
            return -1;
        }
        j->params[pi] = fp->value;
    }
    return 0;
}

/* --schedule TRACE: the run it replays, with its variant, seed and parameters unless the
 * command line gives them. 0, or -1 after a message. */
static int schedule_trace(run_job *j) {
    const char *arg = j->o->schedule;
    const lv_scenario *sc = j->sc;
    char eb[512];
    lv_err err = lv_trace_load(arg, &j->from, eb, sizeof eb);
    if (err == LV_EIO && strchr(arg, ',') && access(arg, F_OK) != 0) {
        lv_cli_usage("run",
                     "--schedule %s: neither a trace file nor a list of thread ids like 1,2,2,1",
                     arg);
        return -1;
    }
    if (err != LV_OK) {
        fprintf(stderr, "lockviz run: --schedule: %s\n", eb);
        return -1;
    }
    const lv_trace *from = j->from;
    if (strcmp(from->scenario, sc->name) != 0) {
        fprintf(stderr, "lockviz run: --schedule %s: the trace is of scenario '%s', not '%s'\n",
                arg, from->scenario, sc->name);
        return -1;
    }
    if (from->mode != LV_MODE_CONTROLLED) {
        fprintf(stderr, "lockviz run: --schedule %s: a live run has no schedule to replay\n", arg);
        return -1;
    }
    if (!j->variant) {
        if (lv_scenario_variant_index(sc, from->variant) < 0) {
            fprintf(stderr,
                    "lockviz run: --schedule %s: scenario.variant: %s has no variant '%s'; it "
                    "has:",
                    arg, sc->name, from->variant);
            for (int i = 0; i < sc->nvariants; i++)
                fprintf(stderr, " %s", sc->variants[i].name);
            fputc('\n', stderr);
            return -1;
        }
        j->variant = from->variant;
    }
    if (!j->have_seed) {
        j->seed = from->seed;
        j->have_seed = 1;
    }
    if (schedule_params(j) != 0) return -1;
    j->sched = from->schedule;
    j->nsched = from->nschedule;
    return 0;
}

/* --schedule: a typed list of thread ids, or a trace whose run is replayed. 0, or -1 after a
 * message. */
static int run_schedule(run_job *j) {
    const char *arg = j->o->schedule;
    if (!arg) return 0;
    if (j->o->mode == LV_MODE_LIVE) {
        lv_cli_usage("run", "--schedule replays a controlled run; it cannot go with --mode live");
        return -1;
    }
    if (lv_schedule_parse(arg, &j->sched, &j->nsched) == 0) return 0;
    if (strspn(arg, "0123456789,+-. ") == strlen(arg) && access(arg, F_OK) != 0) {
        lv_cli_usage("run", "--schedule %s: a list is thread ids separated by commas, like 1,2,2,1",
                     arg);
        return -1;
    }
    return schedule_trace(j);
}

/* --compare W: the second variant, which must be another of the scenario's. 0, or -1 after a
 * message. */
static int run_compare_variant(run_job *j) {
    const char *w = j->o->compare;
    const lv_scenario *sc = j->sc;
    j->wi = -1;
    if (!w) return 0;
    if (j->o->mode == LV_MODE_LIVE) {
        lv_cli_usage("run", "--compare replays the first run's schedule, which a live run does "
                            "not have; use --mode controlled (the default)");
        return -1;
    }
    j->wi = lv_scenario_variant_index(sc, w);
    if (j->wi >= 0 && j->wi != j->vi) return 0;
    fprintf(stderr, "lockviz run: --compare %s: ", w);
    if (j->wi < 0)
        fprintf(stderr, "%s has no variant '%s'; it has:", sc->name, w);
    else
        fprintf(stderr, "that is the variant being run; compare it with:");
    for (int i = 0; i < sc->nvariants; i++)
        if (i != j->vi || j->wi < 0) fprintf(stderr, " %s", sc->variants[i].name);
    fputc('\n', stderr);
    return -1;
}

/* The seed when none is given: 1 when controlled (the same run every time), else the clock. */
static uint64_t default_seed(lv_mode mode) {
    if (mode == LV_MODE_CONTROLLED) return 1;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return ((uint64_t)ts.tv_sec * 1000003ULL ^ (uint64_t)ts.tv_nsec) & LV_SEED_MAX;
}

/* From the options to the runs' descriptor: the scenario, the schedule, the variants, the
 * parameters and the seed, each refused with its message. 0, or -1. */
static int run_prepare(run_job *j) {
    const run_opts *o = j->o;
    if (!(j->sc = lv_cli_scenario("run", o->name))) return -1;
    for (int i = 0; i < j->sc->nparams; i++)
        j->params[i] = j->sc->params[i].def;
    j->variant = o->variant;
    j->have_seed = o->have_seed;
    j->seed = o->seed;
    if (run_schedule(j) != 0) return -1;
    j->vi = j->variant ? lv_cli_variant("run", j->sc, j->variant) : 0;
    if (j->vi < 0 || run_compare_variant(j) != 0) return -1;
    for (int i = 0; i < o->nsets; i++)
        if (lv_cli_set("run", j->sc, o->sets[i], j->params) != 0) return -1;
    j->d = (lv_run_desc){.scenario = j->sc,
                         .variant = j->vi,
                         .params = j->params,
                         .mode = o->mode,
                         .seed = j->have_seed ? j->seed : default_seed(o->mode),
                         .time_scale = o->scale,
                         .policy = o->policy,
                         .pct_depth = o->pct_depth,
                         .schedule = j->sched,
                         .nschedule = j->nsched};
    return 0;
}

/* What a run printed, found and chose. */
static void print_run(const lv_trace *tr, int quiet) {
    if (!quiet) print_notes(tr);
    lv_cli_print_summary(tr);
    if (!quiet && tr->mode == LV_MODE_CONTROLLED) lv_cli_print_schedule(tr);
    lv_findings_print(tr, tr->findings, tr->nfindings, stdout);
}

static int found(const lv_trace *tr) {
    return tr->nfindings || tr->outcome != LV_OUT_COMPLETED;
}

/* The first run: LV_OK, or the error after its message. */
static lv_err run_first(run_job *j) {
    long diverged = -1;
    lv_err err = lv_run_ex(&j->d, &j->tr, &diverged);
    if (err != LV_OK) {
        fprintf(stderr, "lockviz run: %s: %s\n", j->sc->name, lv_strerror(err));
        return err;
    }
    const lv_trace *tr = j->tr;
    if (!j->o->quiet) print_notes(tr);
    lv_cli_print_summary(tr);
    if (diverged >= 0)
        printf("note: at choice point %ld the schedule named a thread that could not run, so the "
               "%s policy chose there (and wherever else that happened)\n",
               diverged, policy_name(j->o->policy));
    else if (j->sched && j->nsched < tr->nschedule)
        printf(
            "note: the schedule covered %zu of %zu choice points; the %s policy chose the rest\n",
            j->nsched, tr->nschedule, policy_name(j->o->policy));
    if (j->o->mode == LV_MODE_CONTROLLED && !j->o->quiet) lv_cli_print_schedule(tr);
    lv_findings_print(tr, tr->findings, tr->nfindings, stdout);
    return LV_OK;
}

/* --compare: variant W on the first run's schedule. LV_OK, or the error after its message. */
static lv_err run_second(run_job *j) {
    lv_run_desc dw = j->d;
    dw.variant = j->wi;
    dw.schedule = j->tr->schedule;
    dw.nschedule = j->tr->nschedule;
    long wdiv = -1;
    lv_err err = lv_run_ex(&dw, &j->tw, &wdiv);
    if (err != LV_OK) {
        fprintf(stderr, "lockviz run: %s/%s: %s\n", j->sc->name, j->o->compare, lv_strerror(err));
        return err;
    }
    printf("\nside by side with %s: the same seed, and %s's %zu choices replayed where they "
           "apply\n",
           j->tw->variant, j->tr->variant, j->tr->nschedule);
    print_run(j->tw, j->o->quiet);
    print_same(j->tr, j->tw, wdiv, j->o->policy);
    return LV_OK;
}

/* --out, --chrome and --png; with --compare, the second run's files beside them and the picture
 * of both. LV_OK, or the first error (each said). */
static lv_err run_save(const run_job *j) {
    const run_opts *o = j->o;
    lv_err err = lv_cli_save("run", j->tr, o->out, o->chrome, j->tw ? NULL : o->png, o->w, o->h);
    if (!j->tw) return err;
    char o2[4096], c2[4096], eb[512];
    if (o->out) side_name(o->out, j->tw->variant, o2, sizeof o2);
    if (o->chrome) side_name(o->chrome, j->tw->variant, c2, sizeof c2);
    lv_err e2 =
        lv_cli_save("run", j->tw, o->out ? o2 : NULL, o->chrome ? c2 : NULL, NULL, o->w, o->h);
    if (err == LV_OK) err = e2;
    if (!o->png) return err;
    lv_cmp_side sides[2] = {lv_cmp_side_of(j->tr, lv_lesson_of, NULL),
                            lv_cmp_side_of(j->tw, lv_lesson_of, NULL)};
    lv_err e3 = lv_render_png_compare(sides, o->png, o->w, o->h, eb, sizeof eb);
    if (e3 != LV_OK) {
        fprintf(stderr, "lockviz run: %s\n", eb);
        return e3; /* the picture's status wins, as it is the last file written */
    }
    printf("picture: %s (side by side)\n", o->png);
    return err;
}

/* The window: the person watches the run they just made; its exit does not change what the
 * run found, except that a window that cannot open makes a clean run's status 3. */
static int run_window(const run_job *j, int rc) {
    const run_opts *o = j->o;
    char eb[512];
    lv_host host; /* R, V, C, the picker (O) and explore (X) go on from this run */
    if (lv_host_init(&host, &j->d) != LV_OK) {
        fprintf(stderr,
                "lockviz run: out of memory opening the window (the run's results are above)\n");
        return rc == LV_EXIT_CLEAN ? LV_EXIT_INTERNAL : rc;
    }
    lv_viewer_desc vd = lv_host_window(&host, o->picker);
    vd.compare_tr = j->tw;
    if (o->ahead >= 0) vd.future = o->ahead;
    vd.w = o->w;
    vd.h = o->h;
    if (o->scheduler) { /* --scheduler: cut after the --schedule given, not playing */
        vd.play = 0;
        vd.sched_start = vd.sched != NULL;
        vd.sched_choices = j->sched;
        vd.sched_nchoices = j->nsched;
    }
    if (lv_viewer_run(j->tr, &vd, eb, sizeof eb) != 0) {
        fprintf(stderr, "lockviz run: %s (the run's results are above)\n", eb);
        if (rc == LV_EXIT_CLEAN) rc = LV_EXIT_INTERNAL;
    }
    lv_host_free(&host);
    return rc;
}

/* The command once its options are read: prepare, run (twice with --compare), report, save,
 * show. */
static int run_with(const run_opts *o) {
    run_job j = {.o = o};
    int rc = LV_EXIT_USAGE;
    lv_err err;
    if (run_prepare(&j) != 0) goto out;
    if ((err = run_first(&j)) != LV_OK) {
        rc = lv_exit_status(err, LV_DOING_RUN);
        goto out;
    }
    rc = found(j.tr) ? LV_EXIT_FOUND : LV_EXIT_CLEAN;
    if (o->compare) {
        if ((err = run_second(&j)) != LV_OK) {
            rc = lv_exit_status(err, LV_DOING_RUN);
            goto out;
        }
        if (found(j.tw)) rc = LV_EXIT_FOUND;
    }
    if ((err = run_save(&j)) != LV_OK) rc = lv_exit_status(err, LV_DOING_FILE);
    if (o->scheduler && !lv_have_display())
        fprintf(stderr, "lockviz run: --scheduler: %s, so no window\n", lv_display_why_not());
    else
        lv_cli_say_no_window("run", o->headless);
    if (!o->headless && lv_have_display()) rc = run_window(&j, rc);
out:
    run_job_free(&j);
    return rc;
}

static int cmd_run(int argc, char **argv) {
    run_opts o = run_defaults();
    int rc = run_parse(argc, argv, &o);
    return rc != LV_CLI_GO ? rc : run_with(&o);
}

int lv_cmd_run_plain(void) {
    run_opts o = run_defaults();
    o.name = "ticket";
    o.variant = "unlocked";
    o.picker = 1; /* the window opens on the picker, the ticket race chosen, and behind it */
    return run_with(&o);
}

const lv_command lv_cmd_run = {"run", "SCENARIO",
                               "run a scenario, report what went wrong, show it in a window\n"
                               "(--compare W: and variant W beside it, broken and fixed;\n"
                               "--scheduler: you pick which thread runs next)\n",
                               run_help, cmd_run};
