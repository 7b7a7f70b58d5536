/* `lockviz record -- PROGRAM ARGS...`: runs an unmodified pthread program under the preload
 * library, prints how it ended and what analysis found, saves the files asked for and shows
 * the run in the window. It looks for no data races (recording sees no memory accesses). */
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"
#include "args.h"
#include "geom.h"
#include "glue.h"
#include "i18n.h"
#include "session.h"
#include "viewer.h"

static const char record_help[] =
    "Usage: lockviz record [options] -- PROGRAM [ARGS...]\n"
    "\n"
    "Runs PROGRAM, an unmodified dynamically linked pthread program, with lockviz's preload\n"
    "library (LD_PRELOAD), and records its threads, mutexes, rwlocks, condition variables,\n"
    "semaphores, barriers, spinlocks, joins and sleeps as they happen, each at its call site\n"
    "(file:line when the program has debug information, -g). Its stdin, stdout, stderr pass\n"
    "through. When it ends (exits, crashes, is killed) lockviz prints how it ended and what\n"
    "analysis found: deadlocks, lock-order inversions, misuse (unlocking a mutex not held,\n"
    "relocking a normal mutex, destroying a locked one, waiting on a condition without its\n"
    "mutex). If its threads can never go on (a cycle of waits, or every thread waiting with\n"
    "no timeout), lockviz stops it and reports the waits. Data races are not looked for.\n"
    "Then it shows the run in the window, as 'lockviz run' does, unless --headless or there\n"
    "is no display.\n"
    "\n"
    "  --out FILE     save the trace as JSON (the native format, with call sites)\n"
    "  --chrome FILE  save it in the Chrome Trace Event Format, for Perfetto\n"
    "  --png FILE     draw the timeline to a PNG (" LV_VIEW_SIZE_TEXT ")\n"
    "  --name NAME    the trace's scenario name (default: the program's file name)\n"
    "  --headless     never open a window: print, and write the files asked for\n"
    "  --mode M       live (default): the threads run as they would; controlled: one thread\n"
    "                 runs at a time, the policy picks at every pthread call, sleeps and\n"
    "                 timeouts run on a virtual clock (clock_gettime, time and gettimeofday\n"
    "                 read it), and a run where no thread can go on is stopped as\n"
    "                 deadlocked; the same program, arguments, seed and schedule give the\n"
    "                 same trace, byte for byte\n"
    "  --policy P     controlled: random (default), pct or rr\n"
    "  --seed N       controlled: the policy's seed (default 1)\n"
    "  --schedule S   controlled: replay a schedule first: a trace file saved by a controlled\n"
    "                 recording (its seed and policy too, unless given), or thread ids like\n"
    "                 1,2,2,1; when it runs out the policy goes on\n"
    "  --help         this text\n"
    "\n"
    "Environment: LOCKVIZ_PRELOAD names the preload library (default: found next to "
    "lockviz,\n"
    "in ../lib/lockviz from it, or where it was installed); "
    "LOCKVIZ_RECORD_PREFAULT_MB=N\n"
    "makes N MiB of the event buffer before the program starts (default 32), so that "
    "it does\n"
    "not wait for new pages while it records; LOCKVIZ_RECORD_MB=N sizes the buffer of "
    "calls not\n"
    "yet copied out (1 to 1024 MiB, default 1024).\n"
    "\n"
    "Exit status: 0 no findings; 1 findings, or the program was stopped or killed "
    "by a\n"
    "signal; 2 bad usage, or a program that cannot be recorded (statically linked, "
    "set-uid,\n"
    "not found); 3 internal error. The program's own exit status is printed and "
    "saved.\n";

typedef struct record_opts {
    const char *out, *chrome, *png, *name;
    int headless;
    lv_mode mode;
    lv_policy policy;
    uint64_t seed;
    int have_seed, have_policy;
    int dfs;              /* the schedule's trace was explore's dfs run: so is the replay past it */
    const char *schedule; /* --schedule as given */
    char **argv;          /* the program and its arguments, NULL-terminated */
} record_opts;

/* The options before the program: up to "--" or the first argument that is not an option. */
static int record_split(int argc, char **argv) {
    static const char *const with_value[] = {"--out",    "--chrome",   "--png",  "--name", "--mode",
                                             "--policy", "--schedule", "--seed", NULL};
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0 || argv[i][0] != '-') return i;
        for (const char *const *w = with_value; *w; w++)
            if (strcmp(argv[i], *w) == 0) i++;
    }
    return argc;
}

static int record_parse(int argc, char **argv, record_opts *o) {
    static const struct option opts[] = {{"out", required_argument, 0, 'o'},
                                         {"chrome", required_argument, 0, 'c'},
                                         {"png", required_argument, 0, 'p'},
                                         {"name", required_argument, 0, 'n'},
                                         {"headless", no_argument, 0, 'H'},
                                         {"help", no_argument, 0, 'h'},
                                         {"mode", required_argument, 0, 'm'},
                                         {"policy", required_argument, 0, 'P'},
                                         {"seed", required_argument, 0, 's'},
                                         {"schedule", required_argument, 0, 'S'},
                                         {0, 0, 0, 0}};
    int split = record_split(argc, argv), c;
    char oerr[512];
    optind = 1;
    while ((c = lv_getopt(split, argv, opts, oerr, sizeof oerr)) != -1) {
        switch (c) {
        case 'h':
            fputs(record_help, stdout);
            return LV_EXIT_CLEAN;
        case 'o':
            o->out = optarg;
            break;
        case 'c':
            o->chrome = optarg;
            break;
        case 'p':
            o->png = optarg;
            break;
        case 'n':
            o->name = optarg;
            break;
        case 'H':
            o->headless = 1;
            break;
        case 'm':
            if (strcmp(optarg, "live") == 0)
                o->mode = LV_MODE_LIVE;
            else if (strcmp(optarg, "controlled") == 0)
                o->mode = LV_MODE_CONTROLLED;
            else
                return lv_cli_usage("record", "--mode must be live or controlled, not '%s'",
                                    optarg);
            break;
        case 'P':
            if (lv_cli_policy(optarg, &o->policy))
                return lv_cli_usage("record", "--policy must be random, rr or pct, not '%s'",
                                    optarg);
            o->have_policy = 1;
            break;
        case 's':
            if (lv_cli_seed(optarg, &o->seed) != 0)
                return lv_cli_usage(
                    "record", "--seed must be a whole number from 0 to 2^53-1, not '%s'", optarg);
            o->have_seed = 1;
            break;
        case 'S':
            o->schedule = optarg;
            break;
        default:
            return lv_cli_usage("record", "%s", oerr);
        }
    }
    if (o->mode == LV_MODE_LIVE && (o->have_policy || o->have_seed || o->schedule))
        return lv_cli_usage("record",
                            "--%s belongs to a controlled recording; add --mode controlled",
                            o->schedule      ? "schedule"
                            : o->have_policy ? "policy"
                                             : "seed");
    int first = split < argc && strcmp(argv[split], "--") == 0 ? split + 1 : split;
    if (first >= argc)
        return lv_cli_usage("record", "which program? (lockviz record -- PROGRAM ARGS...)");
    o->argv = argv + first;
    return LV_CLI_GO;
}

/* How a recorded program ended, and what recording does not see. */
static void print_program(const lv_trace *tr) {
    int lang = lv_lang_default();
    const lv_program *pg = tr->program;
    if (!pg) return;
    if (pg->end == LV_PROG_EXITED) {
        char nb[16];
        snprintf(nb, sizeof nb, "%d", pg->status);
        printf(lv_tr(lang, LV_T_REC_EXITED), nb);
    } else if (pg->end == LV_PROG_SIGNALED) {
        char sb[32];
        const char *ab = sigabbrev_np(pg->status);
        if (ab)
            snprintf(sb, sizeof sb, "SIG%s", ab);
        else
            snprintf(sb, sizeof sb, "signal %d", pg->status);
        printf(lv_tr(lang, LV_T_REC_SIGNAL), sb);
    } else {
        fputs(lv_tr(lang, LV_T_REC_STOPPED), stdout);
    }
    putchar('\n');
    if (tr->mode == LV_MODE_CONTROLLED)
        printf("controlled: policy %s, seed %" PRIu64 ", %zu choices (replay: --schedule "
               "TRACE.json)\n",
               pg->policy ? pg->policy : "random", tr->seed, tr->nschedule);
    puts(lv_tr(lang, LV_T_REC_NO_RACES));
}

/* --schedule of record: a list of thread ids, or a controlled recording's trace (its seed and
 * policy too, unless given). Prints the error and returns -1 when it is wrong. */
static int record_schedule(record_opts *o, int32_t **sched, size_t *n) {
    const char *arg = o->schedule;
    if (lv_schedule_parse(arg, sched, n) == 0) return 0;
    if (strspn(arg, "0123456789,+-. ") == strlen(arg) && access(arg, F_OK) != 0) {
        lv_cli_usage("record",
                     "--schedule %s: a list is thread ids separated by commas, like 1,2,2,1", arg);
        return -1;
    }
    char eb[1024];
    lv_trace *from = NULL;
    lv_err err = lv_trace_load(arg, &from, eb, sizeof eb);
    if (err == LV_EIO && strchr(arg, ',') && access(arg, F_OK) != 0) {
        lv_cli_usage("record",
                     "--schedule %s: neither a trace file nor a list of thread ids like 1,2,2,1",
                     arg);
        return -1;
    }
    if (err != LV_OK) {
        fprintf(stderr, "lockviz record: --schedule: %s\n", eb);
        return -1;
    }
    int rc = 0;
    if (!from->program) {
        fprintf(stderr,
                "lockviz record: --schedule %s: the trace is of a scenario, not a recorded "
                "program (replay it with lockviz run)\n",
                arg);
        rc = -1;
    } else if (from->mode != LV_MODE_CONTROLLED) {
        fprintf(stderr,
                "lockviz record: --schedule %s: a live recording has no schedule to replay\n", arg);
        rc = -1;
    } else if (!(*sched = malloc((from->nschedule ? from->nschedule : 1) * sizeof **sched))) {
        fprintf(stderr, "lockviz record: out of memory\n");
        rc = -1;
    } else {
        memcpy(*sched, from->schedule, from->nschedule * sizeof **sched);
        *n = from->nschedule;
        if (!o->have_seed) o->seed = from->seed;
        if (!o->have_policy && from->program->policy) {
            o->policy = strcmp(from->program->policy, "rr") == 0    ? LV_POLICY_RR
                        : strcmp(from->program->policy, "pct") == 0 ? LV_POLICY_PCT
                                                                    : LV_POLICY_RANDOM;
            o->dfs = strcmp(from->program->policy, "dfs") == 0;
        }
    }
    lv_trace_free(from);
    return rc;
}

/* The window on the recorded run (no rerun: the program ran once). */
static int record_window(lv_trace *tr, int rc) {
    char eb[1024];
    lv_viewer_desc vd = {.w = LV_VIEW_W, .h = LV_VIEW_H, .at_seq = -1, .lang = lv_lang_default()};
    if (lv_viewer_run(tr, &vd, eb, sizeof eb) != 0) {
        fprintf(stderr, "lockviz record: %s (the run's results are above)\n", eb);
        if (rc == LV_EXIT_CLEAN) rc = LV_EXIT_INTERNAL;
    }
    return rc;
}

static int cmd_record(int argc, char **argv) {
    record_opts o = {.mode = LV_MODE_LIVE, .policy = LV_POLICY_RANDOM, .seed = 1};
    int rc = record_parse(argc, argv, &o);
    if (rc != LV_CLI_GO) return rc;
    char eb[1024];
    lv_trace *tr = NULL;
    int32_t *sched = NULL;
    size_t nsched = 0;
    if (o.schedule && record_schedule(&o, &sched, &nsched) != 0) return LV_EXIT_USAGE;
    long diverged = -1;
    lv_record_desc d = {.argv = o.argv,
                        .name = o.name,
                        .mode = o.mode,
                        .policy = o.policy,
                        .seed = o.seed,
                        .schedule = sched,
                        .nschedule = nsched,
                        .diverged_at = &diverged,
                        .dfs = o.dfs};
    lv_err err = lv_record(&d, &tr, eb, sizeof eb);
    free(sched);
    if (err != LV_OK) {
        fprintf(stderr, "lockviz record: %s\n", eb);
        return lv_exit_status(err, LV_DOING_RUN);
    }
    fflush(stdout);
    lv_cli_print_summary(tr);
    print_program(tr);
    if (diverged >= 0)
        printf("warning: the schedule named a thread that could not go on at choice %ld; the "
               "policy chose there (and wherever else that happened)\n",
               diverged);
    lv_findings_print(tr, tr->findings, tr->nfindings, stdout);
    rc = tr->nfindings || tr->outcome != LV_OUT_COMPLETED ? LV_EXIT_FOUND : LV_EXIT_CLEAN;
    err = lv_cli_save("record", tr, o.out, o.chrome, o.png, LV_VIEW_W, LV_VIEW_H);
    if (err != LV_OK) rc = lv_exit_status(err, LV_DOING_FILE);
    lv_cli_say_no_window("record", o.headless);
    if (!o.headless && lv_have_display()) rc = record_window(tr, rc);
    lv_trace_free(tr);
    return rc;
}

const lv_command lv_cmd_record = {"record", "-- PROGRAM ARGS...",
                                  "run an unmodified pthread program, record its\n"
                                  "locks, conditions, semaphores and threads, report deadlocks,\n"
                                  "lock-order inversions and misuse at source lines, show it\n",
                                  record_help, cmd_record};
