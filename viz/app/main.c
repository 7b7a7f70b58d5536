/* The lockviz program: subcommands list, run and check (getopt_long, --help on each), with the
 * design's exit codes: 0 nothing found, 1 something found, 2 bad usage or input, 3 internal. */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "lockviz/lockviz.h"
#include "args.h"
#include "registry.h"
#include "render.h"
#include "viewer.h"
#include "cmd_view.h"
#include "glue.h"
#include "session.h"
#include "cli_env.h"
#include "export.h"
#include "i18n.h"

enum { EXIT_CLEAN = 0, EXIT_FOUND = 1, EXIT_USAGE = 2, EXIT_INTERNAL = 3 };

#define MAX_SEED 9007199254740991ULL /* 2^53 - 1: exact in every JSON reader */

static const char *prog = "lockviz";

static const char main_help[] =
    "lockviz: a deadlock and race visualizer for teaching concurrency\n"
    "\n"
    "Usage:\n"
    "  lockviz                 run the ticket race (10 buyers, 1 ticket, no lock) and show it:\n"
    "                          in a window when there is a display, with the scenario picker\n"
    "                          open over it (choose another, or Esc for the race), else printed\n"
    "  lockviz list            scenarios, variants and parameters\n"
    "  lockviz run SCENARIO    run a scenario, report what went wrong, show it in a window\n"
    "                          (--compare W: and variant W beside it, broken and fixed;\n"
    "                          --scheduler: you pick which thread runs next)\n"
    "  lockviz explore SCENARIO  run many schedules until one fails; save it to replay\n"
    "  lockviz check TRACE     validate a trace, recompute its findings, print them\n"
    "  lockviz export TRACE    write a trace as Chrome/Perfetto JSON (or native again)\n"
    "  lockviz view TRACE      show a trace in a window, or draw it to a PNG (--png FILE)\n"
    "  lockviz record -- PROGRAM ARGS...  run an unmodified pthread program, record its\n"
    "                          locks, conditions, semaphores and threads, report deadlocks,\n"
    "                          lock-order inversions and misuse at source lines, show it\n"
    "\n"
    "  lockviz -V, --version   print the version\n"
    "\n"
    "Options of every command:\n"
    "  --lang zh|en       the language of what lockviz prints and draws: the list, the\n"
    "                     run's summary, PNGs and the window (default: from LC_ALL,\n"
    "                     LC_MESSAGES or LANG; zh... is Chinese, else English); findings\n"
    "                     and the scenarios' notes are printed as they were written\n"
    "  --help             the command's options\n"
    "\n"
    "Environment:\n"
    "  DISPLAY, WAYLAND_DISPLAY  where windows open; without one that answers, nothing\n"
    "                     opens a window and files are written instead\n"
    "  LOCKVIZ_ASSETS     the folder with lockviz's fonts (default: found next to the program)\n"
    "  LOCKVIZ_SCENARIO_PATH  folders of scenario files (*.so), separated by ':'; listed\n"
    "                     after the built-in scenarios, with $XDG_DATA_HOME/lockviz/scenarios\n"
    "                     (~/.local/share/lockviz/scenarios)\n"
    "  LOCKVIZ_TIME_LIMIT  seconds a run of a scenario file may go without progress before\n"
    "                     it is stopped (default 30; 0: no limit)\n"
    "\n"
    "SCENARIO is a scenario's name or a scenario file (a path with a '/' or ending in .so,\n"
    "built against <lockviz/lockviz.h>; see writing-scenarios.md). Each run of a scenario\n"
    "file happens in a child process: a crash or a hang is reported, with exit status 2.\n"
    "\n"
    "Exit status: 0 ran and found nothing; 1 found something\n"
    "(a race, deadlock, broken invariant, misuse); 2 bad usage or bad input; 3 internal error.\n";

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
    "  --size WxH         window or picture size (default 1280x720; 1920x1080 for a projector\n"
    "                     shows more lanes, findings and notes)\n"
    "  --compare W        also run variant W of the scenario (controlled mode only) with the\n"
    "                     same seed and parameters, replaying the first run's schedule where\n"
    "                     it applies, and show the two side by side (window and --png);\n"
    "                     --out F and --chrome F also write W's run to F with -W before\n"
    "                     -chrome.json, .trace.json, .chrome.json or .json\n"
    "  --headless         never open a window: print, and write the files asked for\n"
    "  --quiet            print only the summary and the findings, not the notes\n"
    "  --scheduler        open the window in scheduler mode: you pick which thread runs at\n"
    "                     each choice point (click a lane or press its number), starting\n"
    "                     after the --schedule given; not with --headless or --mode live\n"
    "  --ahead A          in the window, what lies after the playhead: hidden (default: the\n"
    "                     run unfolds as it plays), faint or shown (key G switches)\n"
    "  --help             this text\n"
    "\n"
    "In the window, C shows the run beside its counterpart (a broken variant beside the first\n"
    "fixed one, a fix beside the first broken one) and back. S turns scheduler mode on and\n"
    "off, A lets the policy run on, P turns predict mode on and off (guess who runs next and\n"
    "what reads return), and Ctrl+C copies the command that replays what is shown\n"
    "(lockviz run ... --schedule 1,2,2,1). F turns fullscreen on and off, Esc closes what is\n"
    "open (the help, the lesson) and never quits, Q quits (asking first when scheduler picks\n"
    "would be lost).\n"
    "\n"
    "Exit status: 0 no findings; 1 findings (see the report; with --compare, in either run);\n"
    "2 bad usage; 3 internal error.\n";

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
    "  --png FILE     draw the timeline to a PNG (1280x720)\n"
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
    "Environment: LOCKVIZ_PRELOAD names the preload library (default: found next to lockviz,\n"
    "in ../lib/lockviz from it, or where it was installed); LOCKVIZ_RECORD_PREFAULT_MB=N\n"
    "makes N MiB of the event buffer before the program starts (default 8), so that it does\n"
    "not wait for new pages while it records.\n"
    "\n"
    "Exit status: 0 no findings; 1 findings, or the program was stopped or killed by a\n"
    "signal; 2 bad usage, or a program that cannot be recorded (statically linked, set-uid,\n"
    "not found); 3 internal error. The program's own exit status is printed and saved.\n";

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
    "  --runs N           the budget (default 1000)\n"
    "  --preemptions K    dfs: the preemption bound (default 2; -1: no bound)\n"
    "  --seed N           the scenario's seed (default 1); pct and random derive theirs from it\n"
    "  --out FILE         where to save the failing trace (default: nothing is saved)\n"
    "  --quiet            no progress bar\n"
    "  --help             this text\n"
    "\n"
    "Exit status: 0 no failing schedule found; 1 found one; 2 bad usage; 3 internal error.\n";

static const char export_help[] =
    "Usage: lockviz export TRACE.json [--chrome NAME-chrome.json] [--png TIMELINE.png] [--out "
    "T.json]\n"
    "\n"
    "Reads a trace (strictly: a broken file is refused with the place that is wrong) and writes\n"
    "it again in other forms, each file atomically. Findings are recomputed from the events.\n"
    "\n"
    "  --chrome FILE   the Chrome Trace Event Format, for Perfetto UI and speedscope (not a\n"
    "                  name ending in .chrome.json: speedscope cannot open it)\n"
    "  --png FILE      the timeline as a picture (1280x720, the whole run), as lockviz view draws "
    "it\n"
    "  --out FILE      the native format again (with recomputed findings)\n"
    "  --help          this text\n"
    "\n"
    "Exit status: 0 written; 2 bad usage, a bad trace or a file that could not be written.\n";

static const char list_help[] =
    "Usage: lockviz list [SCENARIO]\n"
    "\n"
    "Lists every scenario (or only SCENARIO) with its title, its variants (the default first)\n"
    "and its parameters (default and range).\n";

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

/* Every number of the command line goes through lv_arg_int (or lv_arg_real): "+7", " 7",
 * "7 ", "0x7" and "7.0" are refused, not read as 7. */
static int parse_i64(const char *s, int64_t *out) {
    return lv_arg_int(s, INT64_MIN, INT64_MAX, out);
}

static void list_names(FILE *f, const char *sep) {
    for (size_t i = 0; i < lv_registry_count(); i++)
        fprintf(f, "%s%s", i ? sep : "", lv_registry_at(i)->name);
}

static const lv_scenario *scenario_arg(const char *cmd, const char *name);

static int cmd_list(int argc, char **argv) {
    static const struct option opts[] = {{"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    int c;
    char oerr[512];
    optind = 1;
    while ((c = lv_getopt(argc, argv, opts, oerr, sizeof oerr)) != -1) {
        if (c == 'h') {
            fputs(list_help, stdout);
            return EXIT_CLEAN;
        }
        return usage_error("list", "%s", oerr);
    }
    const lv_scenario *only = NULL; /* lockviz list SCENARIO: that one */
    if (optind < argc && !(only = scenario_arg("list", argv[optind++]))) return EXIT_USAGE;
    if (optind < argc) return usage_error("list", "unexpected argument '%s'", argv[optind]);
    size_t nprob;
    const char *const *prob = lv_registry_problems(&nprob);
    for (size_t i = 0; i < nprob && !only; i++)
        fprintf(stderr, "%s list: %s\n", prog, prob[i]);
    size_t nsc = only ? 1 : lv_registry_count();
    for (size_t i = 0; i < nsc; i++) {
        const lv_scenario *sc = only ? only : lv_registry_at(i);
        int zh = lv_lang_default() == LV_LANG_ZH;
        printf("%s: %s (%s)\n", sc->name, zh ? sc->title_zh : sc->title,
               zh ? sc->title : sc->title_zh);
        if (sc->path) printf("  file: %s\n", sc->path);
        printf(lv_tr(lv_lang_default(), LV_T_CLI_FROM), sc->source);
        printf("\n%s\n", lv_tr(lv_lang_default(), LV_T_CLI_VARIANTS));
        for (int v = 0; v < sc->nvariants; v++) {
            const lv_variant_desc *vd = &sc->variants[v];
            printf("    %-10s %s%s\n", vd->name,
                   zh && vd->summary_zh ? vd->summary_zh : vd->summary,
                   v == 0 ? lv_tr(lv_lang_default(), LV_T_CLI_DEFAULT) : "");
        }
        if (sc->nparams) printf("%s\n", lv_tr(lv_lang_default(), LV_T_CLI_PARAMS));
        for (int p = 0; p < sc->nparams; p++) {
            const lv_param_desc *pd = &sc->params[p];
            char n[3][24];
            snprintf(n[0], sizeof n[0], "%" PRId64, pd->def);
            snprintf(n[1], sizeof n[1], "%" PRId64, pd->min);
            snprintf(n[2], sizeof n[2], "%" PRId64, pd->max);
            printf(lv_tr(lv_lang_default(), LV_T_CLI_PARAM), pd->name, n[0], n[1], n[2], pd->help);
            putchar('\n');
        }
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

/* The scenario a command names, or NULL after saying which ones there are. */
static const lv_scenario *scenario_arg(const char *cmd, const char *name) {
    char eb[600];
    const lv_scenario *sc = lv_registry_lookup(name, eb, sizeof eb);
    if (!sc && (strchr(name, '/') || strstr(name, ".so"))) {
        fprintf(stderr, "%s %s: %s\n", prog, cmd, eb); /* a scenario file that did not load */
    } else if (!sc) {
        fprintf(stderr, "%s %s: no scenario '%s'; there are: ", prog, cmd, name);
        list_names(stderr, ", ");
        fputc('\n', stderr);
    }
    return sc;
}

/* The index of a variant of sc, or -1 after saying which ones it has. */
static int variant_arg(const char *cmd, const lv_scenario *sc, const char *name) {
    int vi = lv_scenario_variant_index(sc, name);
    if (vi < 0) {
        fprintf(stderr, "%s %s: %s has no variant '%s'; it has:", prog, cmd, sc->name, name);
        for (int i = 0; i < sc->nvariants; i++)
            fprintf(stderr, " %s", sc->variants[i].name);
        fputc('\n', stderr);
    }
    return vi;
}

static const char *policy_name(lv_policy p) {
    return p == LV_POLICY_RR ? "rr" : p == LV_POLICY_PCT ? "pct" : "random";
}

/* --set NAME=VALUE into params; prints the error and returns -1 when it is wrong. */
static int apply_set(const char *cmd, const lv_scenario *sc, const char *set, int64_t *params) {
    const char *eq = strchr(set, '=');
    if (!eq) {
        usage_error(cmd, "--set wants NAME=VALUE, not '%s'", set);
        return -1;
    }
    char pname[64];
    size_t len = (size_t)(eq - set);
    if (len >= sizeof pname) len = sizeof pname - 1;
    memcpy(pname, set, len);
    pname[len] = 0;
    int pi = lv_scenario_param_index(sc, pname);
    if (pi < 0) {
        fprintf(stderr, "%s %s: %s has no parameter '%s'; it has:", prog, cmd, sc->name, pname);
        for (int k = 0; k < sc->nparams; k++)
            fprintf(stderr, " %s", sc->params[k].name);
        if (!sc->nparams) fputs(" none", stderr);
        fputc('\n', stderr);
        return -1;
    }
    int64_t v;
    const lv_param_desc *pd = &sc->params[pi];
    if (parse_i64(eq + 1, &v) || v < pd->min || v > pd->max) {
        fprintf(stderr, "%s %s: %s=%s: must be a whole number from %" PRId64 " to %" PRId64 "\n",
                prog, cmd, pname, eq + 1, pd->min, pd->max);
        return -1;
    }
    params[pi] = v;
    return 0;
}

/* Writes the files asked for (each atomically), the picture w x h; prints where. -1 if one
 * could not be written. */
static int save_outputs(const char *cmd, const lv_trace *tr, const char *native, const char *chrome,
                        const char *png, int w, int h) {
    char eb[512];
    int bad = 0;
    if (native) {
        if (lv_trace_save(tr, native, eb, sizeof eb) != LV_OK) {
            fprintf(stderr, "%s %s: %s\n", prog, cmd, eb);
            bad = -1;
        } else {
            printf("trace: %s\n", native);
        }
    }
    if (chrome) {
        if (lv_trace_save_chrome(tr, chrome, eb, sizeof eb) != LV_OK) {
            fprintf(stderr, "%s %s: %s\n", prog, cmd, eb);
            bad = -1;
        } else {
            printf("chrome trace: %s (open it in Perfetto UI or speedscope)\n", chrome);
            const char *note = lv_export_chrome_note(chrome);
            if (note) fprintf(stderr, "%s %s: note: %s: %s\n", prog, cmd, chrome, note);
        }
    }
    if (png) {
        if (lv_render_png(tr, png, w, h, -1, eb, sizeof eb) != 0) {
            fprintf(stderr, "%s %s: %s\n", prog, cmd, eb);
            bad = -1;
        } else {
            printf("picture: %s\n", png);
        }
    }
    return bad;
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

/* A run as a pane of the side-by-side picture: its role and lesson from the registry. */
static lv_cmp_side side_of(const lv_trace *tr) {
    lv_cmp_side sd = {.tr = tr};
    lv_lesson l;
    if (lv_lesson_of(NULL, tr, &l) == 0) {
        sd.role = l.role;
        for (int i = 0; i < LV_LANG__COUNT; i++) {
            sd.title[i] = l.title[i];
            sd.text[i] = l.text[i];
        }
    }
    return sd;
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

static void print_schedule(const lv_trace *tr) {
    if (!tr->nschedule) return;
    printf("schedule (%zu choice points): ", tr->nschedule);
    size_t show = tr->nschedule < 60 ? tr->nschedule : 60;
    for (size_t i = 0; i < show; i++)
        printf("%s%d", i ? "," : "", tr->schedule[i]);
    printf("%s\n", show < tr->nschedule ? ",... (the trace file has all of it)" : "");
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
    const char *variant = NULL, *out = NULL, *compare = NULL;
    const char *sets[64];
    int nsets = 0, quiet = 0, have_seed = 0;
    uint64_t seed = 0;
    double scale = 1.0;
    lv_mode mode = LV_MODE_CONTROLLED;
    lv_policy policy = LV_POLICY_RANDOM;
    int pct_depth = 3;
    const char *schedule_arg = NULL, *chrome = NULL, *png = NULL;
    int headless = 0, scheduler = 0, ahead = LV_FUTURE_HIDE, win_w = 1280, win_h = 720;
    int c;
    char oerr[512];
    optind = 1;
    while (!default_job && (c = lv_getopt(argc, argv, opts, oerr, sizeof oerr)) != -1) {
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
                mode = LV_MODE_CONTROLLED;
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
            headless = 1;
            break;
        case 'T': {
            if (lv_arg_real(optarg, &scale) || !(scale > 0) || scale > 100)
                return usage_error("run",
                                   "--time-scale must be a number above 0 and at most 100, "
                                   "not '%s'",
                                   optarg);
            break;
        }
        case 'q':
            quiet = 1;
            break;
        case 'P':
            if (strcmp(optarg, "random") == 0)
                policy = LV_POLICY_RANDOM;
            else if (strcmp(optarg, "rr") == 0)
                policy = LV_POLICY_RR;
            else if (strcmp(optarg, "pct") == 0)
                policy = LV_POLICY_PCT;
            else
                return usage_error("run", "--policy must be random, rr or pct, not '%s'", optarg);
            break;
        case 'D': {
            int64_t v;
            if (parse_i64(optarg, &v) || v < 1 || v > 16)
                return usage_error(
                    "run", "--pct-depth must be a whole number from 1 to 16, not '%s'", optarg);
            pct_depth = (int)v;
            break;
        }
        case 'C':
            schedule_arg = optarg;
            break;
        case 'X':
            chrome = optarg;
            break;
        case 'G':
            png = optarg;
            break;
        case 'W':
            compare = optarg;
            break;
        case 'Z':
            scheduler = 1;
            break;
        case 'A':
            if ((ahead = lv_cli_ahead(optarg)) < 0)
                return usage_error("run", "--ahead must be hidden, faint or shown, not '%s'",
                                   optarg);
            break;
        case 'Y':
            if (lv_arg_size(optarg, &win_w, &win_h))
                return usage_error("run", "--size wants WxH from 200x150 to 8192x8192, not '%s'",
                                   optarg);
            break;
        default:
            return usage_error("run", "%s", oerr);
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
    } else {
        variant = "unlocked";
    }
    if (scheduler && mode == LV_MODE_LIVE)
        return usage_error("run", "--scheduler picks threads in a controlled run; it cannot go "
                                  "with --mode live");
    if (scheduler && headless)
        return usage_error("run", "--scheduler opens the window; it cannot go with --headless");
    if (scheduler && compare)
        return usage_error("run", "--scheduler and --compare each open the window their own way; "
                                  "give one of them");
    const lv_scenario *sc = scenario_arg("run", name);
    if (!sc) return EXIT_USAGE;
    int64_t params[LV_MAX_PARAMS];
    for (int i = 0; i < sc->nparams; i++)
        params[i] = sc->params[i].def;

    /* a schedule: a typed list, or a trace whose run is replayed */
    int32_t *sched = NULL;
    size_t nsched = 0;
    lv_trace *from = NULL;
    int rc = EXIT_USAGE;
    if (schedule_arg) {
        if (mode == LV_MODE_LIVE) {
            usage_error("run",
                        "--schedule replays a controlled run; it cannot go with --mode live");
            goto out;
        }
        if (lv_schedule_parse(schedule_arg, &sched, &nsched) == 0) {
            /* a typed list */
        } else if (strspn(schedule_arg, "0123456789,+-. ") == strlen(schedule_arg) &&
                   access(schedule_arg, F_OK) != 0) {
            usage_error("run",
                        "--schedule %s: a list is thread ids separated by commas, like 1,2,2,1",
                        schedule_arg);
            goto out;
        } else {
            char eb[512];
            lv_err err = lv_trace_load(schedule_arg, &from, eb, sizeof eb);
            if (err == LV_EIO && strchr(schedule_arg, ',') && access(schedule_arg, F_OK) != 0) {
                usage_error("run",
                            "--schedule %s: neither a trace file nor a list of thread ids like "
                            "1,2,2,1",
                            schedule_arg);
                goto out;
            }
            if (err != LV_OK) {
                fprintf(stderr, "%s run: --schedule: %s\n", prog, eb);
                rc = EXIT_USAGE; /* a trace too large for memory is bad input too */
                goto out;
            }
            if (strcmp(from->scenario, sc->name) != 0) {
                fprintf(stderr, "%s run: --schedule %s: the trace is of scenario '%s', not '%s'\n",
                        prog, schedule_arg, from->scenario, sc->name);
                goto out;
            }
            if (from->mode != LV_MODE_CONTROLLED) {
                fprintf(stderr, "%s run: --schedule %s: a live run has no schedule to replay\n",
                        prog, schedule_arg);
                goto out;
            }
            if (!variant) {
                if (lv_scenario_variant_index(sc, from->variant) < 0) {
                    fprintf(stderr,
                            "%s run: --schedule %s: scenario.variant: %s has no variant "
                            "'%s'; it has:",
                            prog, schedule_arg, sc->name, from->variant);
                    for (int i = 0; i < sc->nvariants; i++)
                        fprintf(stderr, " %s", sc->variants[i].name);
                    fputc('\n', stderr);
                    goto out;
                }
                variant = from->variant;
            }
            if (!have_seed) {
                seed = from->seed;
                have_seed = 1;
            }
            /* the trace's parameters are input like --set's: unknown or out of range is the
             * file's mistake, said with its name (not a run that fails later) */
            for (size_t i = 0; i < from->nparams; i++) {
                const lv_param_value *fp = &from->params[i];
                int pi = lv_scenario_param_index(sc, fp->name);
                if (pi < 0) {
                    fprintf(stderr,
                            "%s run: --schedule %s: scenario.params: %s has no parameter "
                            "'%s'; it has:",
                            prog, schedule_arg, sc->name, fp->name);
                    for (int k = 0; k < sc->nparams; k++)
                        fprintf(stderr, " %s", sc->params[k].name);
                    if (!sc->nparams) fputs(" none", stderr);
                    fputc('\n', stderr);
                    goto out;
                }
                const lv_param_desc *pd = &sc->params[pi];
                if (fp->value < pd->min || fp->value > pd->max) {
                    fprintf(stderr,
                            "%s run: --schedule %s: scenario.params.%s: %" PRId64
                            " is out of range (%s takes %" PRId64 " to %" PRId64 ")\n",
                            prog, schedule_arg, fp->name, fp->value, fp->name, pd->min, pd->max);
                    goto out;
                }
                params[pi] = fp->value;
            }
            sched = from->schedule;
            nsched = from->nschedule;
        }
    }

    int vi = variant ? variant_arg("run", sc, variant) : 0;
    if (vi < 0) goto out;
    int wi = -1;
    if (compare) {
        if (mode == LV_MODE_LIVE) {
            usage_error("run", "--compare replays the first run's schedule, which a live run does "
                               "not have; use --mode controlled (the default)");
            goto out;
        }
        wi = lv_scenario_variant_index(sc, compare);
        if (wi < 0 || wi == vi) {
            fprintf(stderr, "%s run: --compare %s: ", prog, compare);
            if (wi < 0)
                fprintf(stderr, "%s has no variant '%s'; it has:", sc->name, compare);
            else
                fprintf(stderr, "that is the variant being run; compare it with:");
            for (int i = 0; i < sc->nvariants; i++)
                if (i != vi || wi < 0) fprintf(stderr, " %s", sc->variants[i].name);
            fputc('\n', stderr);
            goto out;
        }
    }
    for (int i = 0; i < nsets; i++)
        if (apply_set("run", sc, sets[i], params) != 0) goto out;
    if (!have_seed) {
        if (mode == LV_MODE_CONTROLLED) {
            seed = 1;
        } else {
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            seed = ((uint64_t)ts.tv_sec * 1000003ULL ^ (uint64_t)ts.tv_nsec) & MAX_SEED;
        }
    }
    lv_run_desc d = {.scenario = sc,
                     .variant = vi,
                     .params = params,
                     .mode = mode,
                     .seed = seed,
                     .time_scale = scale,
                     .policy = policy,
                     .pct_depth = pct_depth,
                     .schedule = sched,
                     .nschedule = nsched};
    lv_trace *tr = NULL;
    long diverged = -1;
    lv_err err = lv_run_ex(&d, &tr, &diverged);
    if (err != LV_OK) {
        fprintf(stderr, "%s run: %s: %s\n", prog, sc->name, lv_strerror(err));
        rc = err == LV_ECRASHED || err == LV_ETIMEDOUT ? EXIT_USAGE : EXIT_INTERNAL;
        goto out;
    }
    if (!quiet) print_notes(tr);
    print_summary(tr);
    if (diverged >= 0)
        printf("note: at choice point %ld the schedule named a thread that could not run, so the "
               "%s policy chose there (and wherever else that happened)\n",
               diverged, policy_name(policy));
    else if (sched && nsched < tr->nschedule)
        printf(
            "note: the schedule covered %zu of %zu choice points; the %s policy chose the rest\n",
            nsched, tr->nschedule, policy_name(policy));
    if (mode == LV_MODE_CONTROLLED && !quiet) print_schedule(tr);
    lv_findings_print(tr, tr->findings, tr->nfindings, stdout);
    rc = tr->nfindings || tr->outcome != LV_OUT_COMPLETED ? EXIT_FOUND : EXIT_CLEAN;
    lv_trace *tw = NULL; /* --compare: the second run, on the first one's schedule */
    if (compare) {
        lv_run_desc dw = d;
        dw.variant = wi;
        dw.schedule = tr->schedule;
        dw.nschedule = tr->nschedule;
        long wdiv = -1;
        err = lv_run_ex(&dw, &tw, &wdiv);
        if (err != LV_OK) {
            fprintf(stderr, "%s run: %s/%s: %s\n", prog, sc->name, compare, lv_strerror(err));
            lv_trace_free(tr);
            rc = err == LV_ECRASHED || err == LV_ETIMEDOUT ? EXIT_USAGE : EXIT_INTERNAL;
            goto out;
        }
        printf("\nside by side with %s: the same seed, and %s's %zu choices replayed where they "
               "apply\n",
               tw->variant, tr->variant, tr->nschedule);
        if (!quiet) print_notes(tw);
        print_summary(tw);
        if (!quiet) print_schedule(tw);
        lv_findings_print(tw, tw->findings, tw->nfindings, stdout);
        print_same(tr, tw, wdiv, policy);
        if (tw->nfindings || tw->outcome != LV_OUT_COMPLETED) rc = EXIT_FOUND;
    }
    if (save_outputs("run", tr, out, chrome, compare ? NULL : png, win_w, win_h) != 0)
        rc = EXIT_USAGE;
    if (tw) {
        char o2[4096], c2[4096];
        if (out) side_name(out, tw->variant, o2, sizeof o2);
        if (chrome) side_name(chrome, tw->variant, c2, sizeof c2);
        if (save_outputs("run", tw, out ? o2 : NULL, chrome ? c2 : NULL, NULL, win_w, win_h) != 0)
            rc = EXIT_USAGE;
        if (png) {
            char eb[512];
            lv_cmp_side sides[2] = {side_of(tr), side_of(tw)};
            int r = lv_render_png_compare(sides, png, win_w, win_h, eb, sizeof eb);
            if (r != 0) {
                fprintf(stderr, "%s run: %s\n", prog, eb);
                rc = r == -2 ? EXIT_USAGE : EXIT_INTERNAL;
            } else {
                printf("picture: %s (side by side)\n", png);
            }
        }
    }
    if (scheduler && !lv_have_display())
        fprintf(stderr, "%s run: --scheduler: %s, so no window\n", prog, lv_display_why_not());
    else if (!headless && !lv_have_display() && (getenv("DISPLAY") || getenv("WAYLAND_DISPLAY")))
        fprintf(stderr, "%s run: %s, so no window\n", prog, lv_display_why_not());
    if (!headless && lv_have_display()) {
        /* the window: the person watches the run they just made; its exit does not change
         * what the run found */
        char eb[512];
        lv_host host; /* R, V, C, the picker (O) and explore (X) go on from this run */
        if (lv_host_init(&host, &d) != LV_OK) {
            fprintf(stderr,
                    "%s run: out of memory opening the window (the run's results are "
                    "above)\n",
                    prog);
            if (rc == EXIT_CLEAN) rc = EXIT_INTERNAL;
        } else {
            /* plain `lockviz` names no scenario: the window opens on the picker, the ticket
             * race chosen, and behind it */
            lv_viewer_desc vd = lv_host_window(&host, default_job);
            vd.compare_tr = tw;
            vd.future = ahead;
            vd.w = win_w;
            vd.h = win_h;
            if (scheduler) { /* --scheduler: cut after the --schedule given, not playing */
                vd.play = 0;
                vd.sched_start = vd.sched != NULL;
                vd.sched_choices = sched;
                vd.sched_nchoices = nsched;
            }
            if (lv_viewer_run(tr, &vd, eb, sizeof eb) != 0) {
                fprintf(stderr, "%s run: %s (the run's results are above)\n", prog, eb);
                if (rc == EXIT_CLEAN) rc = EXIT_INTERNAL;
            }
            lv_host_free(&host);
        }
    }
    lv_trace_free(tw);
    lv_trace_free(tr);
out:
    if (from)
        lv_trace_free(from);
    else
        free(sched);
    return rc;
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

/* --schedule of record: a list of thread ids, or a controlled recording's trace (its seed and
 * policy too, unless given). Prints the error and returns -1 when it is wrong. */
static int record_schedule(const char *arg, int32_t **sched, size_t *n, uint64_t *seed,
                           int have_seed, lv_policy *policy, int have_policy) {
    if (lv_schedule_parse(arg, sched, n) == 0) return 0;
    if (strspn(arg, "0123456789,+-. ") == strlen(arg) && access(arg, F_OK) != 0) {
        usage_error("record",
                    "--schedule %s: a list is thread ids separated by commas, like 1,2,2,1", arg);
        return -1;
    }
    char eb[1024];
    lv_trace *from = NULL;
    lv_err err = lv_trace_load(arg, &from, eb, sizeof eb);
    if (err == LV_EIO && strchr(arg, ',') && access(arg, F_OK) != 0) {
        usage_error("record",
                    "--schedule %s: neither a trace file nor a list of thread ids like 1,2,2,1",
                    arg);
        return -1;
    }
    if (err != LV_OK) {
        fprintf(stderr, "%s record: --schedule: %s\n", prog, eb);
        return -1;
    }
    int rc = 0;
    if (!from->program) {
        fprintf(stderr,
                "%s record: --schedule %s: the trace is of a scenario, not a recorded "
                "program (replay it with lockviz run)\n",
                prog, arg);
        rc = -1;
    } else if (from->mode != LV_MODE_CONTROLLED) {
        fprintf(stderr, "%s record: --schedule %s: a live recording has no schedule to replay\n",
                prog, arg);
        rc = -1;
    } else if (!(*sched = malloc((from->nschedule ? from->nschedule : 1) * sizeof **sched))) {
        fprintf(stderr, "%s record: out of memory\n", prog);
        rc = -1;
    } else {
        memcpy(*sched, from->schedule, from->nschedule * sizeof **sched);
        *n = from->nschedule;
        if (!have_seed) *seed = from->seed;
        if (!have_policy && from->program->policy)
            *policy = strcmp(from->program->policy, "rr") == 0    ? LV_POLICY_RR
                      : strcmp(from->program->policy, "pct") == 0 ? LV_POLICY_PCT
                                                                  : LV_POLICY_RANDOM;
    }
    lv_trace_free(from);
    return rc;
}

static int cmd_record(int argc, char **argv) {
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
    const char *out = NULL, *chrome = NULL, *png = NULL, *name = NULL, *schedule_arg = NULL;
    int headless = 0, c, have_seed = 0, have_policy = 0, have_mode = 0;
    lv_mode mode = LV_MODE_LIVE;
    lv_policy policy = LV_POLICY_RANDOM;
    uint64_t seed = 1;
    int split = record_split(argc, argv);
    char oerr[512];
    optind = 1;
    while ((c = lv_getopt(split, argv, opts, oerr, sizeof oerr)) != -1) {
        switch (c) {
        case 'h':
            fputs(record_help, stdout);
            return EXIT_CLEAN;
        case 'o':
            out = optarg;
            break;
        case 'c':
            chrome = optarg;
            break;
        case 'p':
            png = optarg;
            break;
        case 'n':
            name = optarg;
            break;
        case 'H':
            headless = 1;
            break;
        case 'm':
            if (strcmp(optarg, "live") == 0)
                mode = LV_MODE_LIVE;
            else if (strcmp(optarg, "controlled") == 0)
                mode = LV_MODE_CONTROLLED;
            else
                return usage_error("record", "--mode must be live or controlled, not '%s'", optarg);
            have_mode = 1;
            break;
        case 'P':
            if (strcmp(optarg, "random") == 0)
                policy = LV_POLICY_RANDOM;
            else if (strcmp(optarg, "rr") == 0)
                policy = LV_POLICY_RR;
            else if (strcmp(optarg, "pct") == 0)
                policy = LV_POLICY_PCT;
            else
                return usage_error("record", "--policy must be random, rr or pct, not '%s'",
                                   optarg);
            have_policy = 1;
            break;
        case 's': {
            int64_t v;
            if (parse_i64(optarg, &v) || v < 0 || (uint64_t)v > MAX_SEED)
                return usage_error(
                    "record", "--seed must be a whole number from 0 to 2^53-1, not '%s'", optarg);
            seed = (uint64_t)v;
            have_seed = 1;
            break;
        }
        case 'S':
            schedule_arg = optarg;
            break;
        default:
            return usage_error("record", "%s", oerr);
        }
    }
    if (mode == LV_MODE_LIVE && (have_policy || have_seed || schedule_arg))
        return usage_error("record",
                           "--%s belongs to a controlled recording; add --mode "
                           "controlled",
                           schedule_arg  ? "schedule"
                           : have_policy ? "policy"
                                         : "seed");
    (void)have_mode;
    int first = split < argc && strcmp(argv[split], "--") == 0 ? split + 1 : split;
    if (first >= argc)
        return usage_error("record", "which program? (lockviz record -- PROGRAM ARGS...)");
    char eb[1024];
    lv_trace *tr = NULL;
    int32_t *sched = NULL;
    size_t nsched = 0;
    if (schedule_arg &&
        record_schedule(schedule_arg, &sched, &nsched, &seed, have_seed, &policy, have_policy) != 0)
        return EXIT_USAGE;
    lv_record_desc d = {.argv = argv + first,
                        .name = name,
                        .mode = mode,
                        .policy = policy,
                        .seed = seed,
                        .schedule = sched,
                        .nschedule = nsched};
    long diverged = -1;
    d.diverged_at = &diverged;
    lv_err err = lv_record(&d, &tr, eb, sizeof eb);
    free(sched);
    if (err != LV_OK) {
        fprintf(stderr, "%s record: %s\n", prog, eb);
        return err == LV_EUSAGE || err == LV_ENOTFOUND ? EXIT_USAGE : EXIT_INTERNAL;
    }
    fflush(stdout);
    print_summary(tr);
    print_program(tr);
    if (diverged >= 0)
        printf("warning: the schedule named a thread that could not go on at choice %ld; the "
               "policy chose there (and wherever else that happened)\n",
               diverged);
    lv_findings_print(tr, tr->findings, tr->nfindings, stdout);
    int rc = tr->nfindings || tr->outcome != LV_OUT_COMPLETED ? EXIT_FOUND : EXIT_CLEAN;
    if (save_outputs("record", tr, out, chrome, png, 1280, 720) != 0) rc = EXIT_USAGE;
    if (!headless && !lv_have_display() && (getenv("DISPLAY") || getenv("WAYLAND_DISPLAY")))
        fprintf(stderr, "%s record: %s, so no window\n", prog, lv_display_why_not());
    if (!headless && lv_have_display()) {
        /* no rerun: the program ran once; the window shows that run */
        lv_viewer_desc vd = {.w = 1280, .h = 720, .at_seq = -1, .lang = lv_lang_default()};
        if (lv_viewer_run(tr, &vd, eb, sizeof eb) != 0) {
            fprintf(stderr, "%s record: %s (the run's results are above)\n", prog, eb);
            if (rc == EXIT_CLEAN) rc = EXIT_INTERNAL;
        }
    }
    lv_trace_free(tr);
    return rc;
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

static int cmd_explore(int argc, char **argv) {
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
    const char *variant = NULL, *out = NULL, *sets[64];
    int nsets = 0, quiet = 0, c;
    lv_explore_desc x = {.strategy = LV_STRATEGY_DFS, .runs = 1000, .preemptions = 2, .seed = 1};
    char oerr[512];
    optind = 1;
    while ((c = lv_getopt(argc, argv, opts, oerr, sizeof oerr)) != -1) {
        int64_t v;
        switch (c) {
        case 'h':
            fputs(explore_help, stdout);
            return EXIT_CLEAN;
        case 'v':
            variant = optarg;
            break;
        case 's':
            if (nsets == 64) return usage_error("explore", "too many --set options");
            sets[nsets++] = optarg;
            break;
        case 'S':
            if (strcmp(optarg, "dfs") == 0)
                x.strategy = LV_STRATEGY_DFS;
            else if (strcmp(optarg, "pct") == 0)
                x.strategy = LV_STRATEGY_PCT;
            else if (strcmp(optarg, "random") == 0)
                x.strategy = LV_STRATEGY_RANDOM;
            else
                return usage_error("explore", "--strategy must be dfs, pct or random, not '%s'",
                                   optarg);
            break;
        case 'r':
            if (parse_i64(optarg, &v) || v < 1 || v > 100000000)
                return usage_error(
                    "explore", "--runs must be a whole number from 1 to 10^8, not '%s'", optarg);
            x.runs = (size_t)v;
            break;
        case 'p':
            if (parse_i64(optarg, &v) || v < -1 || v > 1000)
                return usage_error("explore",
                                   "--preemptions must be a whole number from -1 to 1000, not '%s'",
                                   optarg);
            x.preemptions = (int)v;
            break;
        case 'e':
            if (parse_i64(optarg, &v) || v < 0 || (uint64_t)v > MAX_SEED)
                return usage_error(
                    "explore", "--seed must be a whole number from 0 to 2^53-1, not '%s'", optarg);
            x.seed = (uint64_t)v;
            break;
        case 'o':
            out = optarg;
            break;
        case 'q':
            quiet = 1;
            break;
        default:
            return usage_error("explore", "%s", oerr);
        }
    }
    if (optind >= argc) {
        fprintf(stderr, "%s explore: which scenario? one of: ", prog);
        list_names(stderr, ", ");
        fputc('\n', stderr);
        return EXIT_USAGE;
    }
    const char *name = argv[optind++];
    if (optind < argc) return usage_error("explore", "unexpected argument '%s'", argv[optind]);
    const lv_scenario *sc = scenario_arg("explore", name);
    if (!sc) return EXIT_USAGE;
    x.scenario = sc;
    x.variant = variant ? variant_arg("explore", sc, variant) : 0;
    if (x.variant < 0) return EXIT_USAGE;
    int64_t params[LV_MAX_PARAMS];
    for (int i = 0; i < sc->nparams; i++)
        params[i] = sc->params[i].def;
    for (int i = 0; i < nsets; i++)
        if (apply_set("explore", sc, sets[i], params) != 0) return EXIT_USAGE;
    x.params = params;
    struct timespec t0, t1, last = {0, 0};
    if (!quiet && isatty(fileno(stderr))) {
        x.progress = explore_progress;
        x.progress_ctx = &last;
    }
    clock_gettime(CLOCK_MONOTONIC, &t0);
    lv_explore_result r;
    lv_err err = lv_explore(&x, &r);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (x.progress) fputc('\n', stderr);
    if (err != LV_OK) {
        fprintf(stderr, "%s explore: %s: %s\n", prog, sc->name, lv_strerror(err));
        lv_trace_free(r.failing);
        return err == LV_ECRASHED || err == LV_ETIMEDOUT ? EXIT_USAGE : EXIT_INTERNAL;
    }
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    static const char *const strat[] = {"dfs", "pct", "random"};
    printf("%s/%s: %zu run%s explored with %s in %.2f s (%.0f runs/s)\n", sc->name,
           sc->variants[x.variant].name, r.runs, r.runs == 1 ? "" : "s", strat[x.strategy], secs,
           secs > 0 ? (double)r.runs / secs : 0.0);
    if (!r.failing) {
        if (r.exhausted)
            printf("no failing schedule: dfs ran every schedule with at most %d preemption%s\n",
                   x.preemptions, x.preemptions == 1 ? "" : "s");
        else
            printf("no failing schedule found in %zu runs\n", r.runs);
        return EXIT_CLEAN;
    }
    lv_trace *tr = r.failing;
    printf("failing schedule found at run %zu (seed %" PRIu64 "):\n", r.failing_run + 1, tr->seed);
    print_schedule(tr);
    lv_findings_print(tr, tr->findings, tr->nfindings, stdout);
    int rc = EXIT_FOUND;
    if (out) {
        char eb[512];
        if (lv_trace_save(tr, out, eb, sizeof eb) != LV_OK) {
            fprintf(stderr, "%s explore: %s\n", prog, eb);
            rc = EXIT_USAGE;
        } else {
            printf("trace: %s (replay: lockviz run %s --schedule %s)\n", out, sc->name, out);
        }
    }
    lv_trace_free(tr);
    return rc;
}

static int cmd_export(int argc, char **argv) {
    static const struct option opts[] = {{"chrome", required_argument, 0, 'X'},
                                         {"out", required_argument, 0, 'o'},
                                         {"png", required_argument, 0, 'G'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    const char *chrome = NULL, *native = NULL, *png = NULL;
    int c;
    char oerr[512];
    optind = 1;
    while ((c = lv_getopt(argc, argv, opts, oerr, sizeof oerr)) != -1) {
        switch (c) {
        case 'h':
            fputs(export_help, stdout);
            return EXIT_CLEAN;
        case 'X':
            chrome = optarg;
            break;
        case 'o':
            native = optarg;
            break;
        case 'G':
            png = optarg;
            break;
        default:
            return usage_error("export", "%s", oerr);
        }
    }
    if (optind >= argc) return usage_error("export", "which trace file?");
    const char *path = argv[optind++];
    if (optind < argc) return usage_error("export", "unexpected argument '%s'", argv[optind]);
    if (!chrome && !native && !png)
        return usage_error("export", "nothing to write: give --chrome, --png or --out");
    char eb[512];
    lv_trace *tr = NULL;
    lv_err err = lv_trace_load(path, &tr, eb, sizeof eb);
    if (err != LV_OK) {
        fprintf(stderr, "%s export: %s\n", prog, eb);
        return EXIT_USAGE; /* a trace too large for memory is bad input too */
    }
    lv_finding *f = NULL;
    size_t nf = 0;
    if (lv_analyze(tr, &f, &nf) != LV_OK) {
        lv_trace_free(tr);
        fprintf(stderr, "%s export: %s: too large to analyse in this machine's memory\n", prog,
                path);
        return EXIT_USAGE;
    }
    lv_trace_set_findings(tr, f, nf);
    int rc = save_outputs("export", tr, native, chrome, png, 1280, 720) ? EXIT_USAGE : EXIT_CLEAN;
    lv_trace_free(tr);
    return rc;
}

static int cmd_check(int argc, char **argv) {
    static const struct option opts[] = {
        {"json", no_argument, 0, 'j'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    int json = 0, c;
    char oerr[512];
    optind = 1;
    while ((c = lv_getopt(argc, argv, opts, oerr, sizeof oerr)) != -1) {
        if (c == 'h') {
            fputs(check_help, stdout);
            return EXIT_CLEAN;
        }
        if (c == 'j') {
            json = 1;
            continue;
        }
        return usage_error("check", "%s", oerr);
    }
    if (optind >= argc) return usage_error("check", "which trace file?");
    const char *path = argv[optind++];
    if (optind < argc) return usage_error("check", "unexpected argument '%s'", argv[optind]);
    char eb[512];
    lv_trace *tr = NULL;
    lv_err err = lv_trace_load(path, &tr, eb, sizeof eb);
    if (err != LV_OK) {
        fprintf(stderr, "%s check: %s\n", prog, eb);
        return EXIT_USAGE; /* a trace too large for memory is bad input too */
    }
    lv_finding *f = NULL;
    size_t nf = 0;
    if (lv_analyze(tr, &f, &nf) != LV_OK) {
        fprintf(stderr, "%s check: %s: too large to analyse in this machine's memory\n", prog,
                path);
        lv_trace_free(tr);
        return EXIT_USAGE;
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
    atexit(lv_cli_close_stdout); /* a failed write to stdout exits 2 with a message */
    if (lv_cli_lang_init(&argc, argv) != 0) return EXIT_USAGE;
    opterr = 0; /* our own messages say what to fix */
    if (argc < 2) return cmd_run(argc, argv, 1);
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        fputs(main_help, stdout);
        return EXIT_CLEAN;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
        puts("lockviz " LV_VERSION); /* CMake's project version */
        return EXIT_CLEAN;
    }
    if (strcmp(cmd, "list") == 0) return cmd_list(argc - 1, argv + 1);
    if (strcmp(cmd, "run") == 0) return cmd_run(argc - 1, argv + 1, 0);
    if (strcmp(cmd, "check") == 0) return cmd_check(argc - 1, argv + 1);
    if (strcmp(cmd, "explore") == 0) return cmd_explore(argc - 1, argv + 1);
    if (strcmp(cmd, "export") == 0) return cmd_export(argc - 1, argv + 1);
    if (strcmp(cmd, "view") == 0) return lv_cmd_view(argc - 1, argv + 1);
    if (strcmp(cmd, "record") == 0) return cmd_record(argc - 1, argv + 1);
    fprintf(stderr, "%s: unknown command '%s' (try '%s --help')\n", prog, cmd, prog);
    return EXIT_USAGE;
}
