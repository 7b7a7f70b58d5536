/* `lockviz view TRACE.json [--png FILE] [--chrome FILE] [--headless] [--at SEQ] [--size WxH]`:
 * shows a trace in the window, or draws it to a PNG without one. Never opens a window without a
 * display or with --headless. Findings are recomputed from the events, as `lockviz check`
 * does. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include "cli.h"
#include "args.h"
#include "cli_env.h"
#include "export.h"
#include "glue.h"
#include "render.h"
#include "viewer.h"

static const char view_help[] =
    "Usage: lockviz view TRACE.json [options]\n"
    "\n"
    "Shows a trace: one lane per thread (running, blocked, sleeping, finished), the locks each\n"
    "holds, arrows from each release to the acquire it let in, the objects at the playhead and\n"
    "the findings. In the window, press H for the keys. A trace of one of lockviz's scenarios\n"
    "recorded in controlled mode is run again from its scenario, variant, parameters, seed\n"
    "and schedule for R, V, S, P, C and X (as lockviz run SCENARIO --schedule TRACE.json).\n"
    "\n"
    "  --png FILE     draw the picture to FILE (PNG, written atomically)\n"
    "  --chrome FILE  also write the trace in the Chrome Trace Event Format (for Perfetto UI\n"
    "                 and speedscope; speedscope cannot open a name ending in .chrome.json)\n"
    "  --headless     never open a window; with --png, only write the picture\n"
    "  --at SEQ       put the playhead on the event whose seq is SEQ (from 0, as in the trace;\n"
    "                 the window calls it event SEQ+1; default: the first event in the window,\n"
    "                 the last in the picture)\n"
    "  --size WxH     window or picture size (default " LV_VIEW_SIZE_TEXT ")\n"
    "  --ahead A      in the window, what lies after the playhead: shown (default), "
    "faint or\n"
    "                 hidden (the run unfolds as it plays; key G switches)\n"
    "  --help         this text\n"
    "\n"
    "Without a display (no DISPLAY or WAYLAND_DISPLAY) no window opens: pass "
    "--png.\n"
    "Exit status: 0 shown or written; 2 bad usage, a bad trace or an unwritable "
    "file;\n"
    "3 internal error.\n";

typedef struct view_opts {
    const char *path, *png, *at, *chrome;
    int headless, w, h, ahead;
} view_opts;

static int view_parse(int argc, char **argv, view_opts *o) {
    static const struct option opts[] = {
        {"png", required_argument, 0, 'p'},    {"headless", no_argument, 0, 'H'},
        {"at", required_argument, 0, 'a'},     {"size", required_argument, 0, 's'},
        {"chrome", required_argument, 0, 'c'}, {"ahead", required_argument, 0, 'g'},
        {"help", no_argument, 0, 'h'},         {0, 0, 0, 0}};
    int c;
    char oerr[512];
    optind = 1;
    while ((c = lv_getopt(argc, argv, opts, oerr, sizeof oerr)) != -1) {
        switch (c) {
        case 'h':
            fputs(view_help, stdout);
            return LV_EXIT_CLEAN;
        case 'p':
            o->png = optarg;
            break;
        case 'c':
            o->chrome = optarg;
            break;
        case 'H':
            o->headless = 1;
            break;
        case 'a':
            o->at = optarg;
            break;
        case 'g':
            if ((o->ahead = lv_cli_ahead(optarg)) < 0)
                return lv_cli_usage("view", "--ahead must be hidden, faint or shown, not '%s'",
                                    optarg);
            break;
        case 's':
            if (lv_arg_size(optarg, &o->w, &o->h))
                return lv_cli_usage("view", "--size wants WxH from 200x150 to 8192x8192, not '%s'",
                                    optarg);
            break;
        default: {
            char one[64], msg[512];
            lv_arg_option_error(lv_arg_refused(argv, one, sizeof one), opts, msg, sizeof msg);
            return lv_cli_usage("view", "%s", msg);
        }
        }
    }
    if (optind >= argc) return lv_cli_usage("view", "which trace file?");
    o->path = argv[optind++];
    if (optind < argc) return lv_cli_usage("view", "unexpected argument '%s'", argv[optind]);
    if (!o->headless && !lv_have_display() && !o->png && !o->chrome)
        return lv_cli_usage("view",
                            "there is %s to open a window on; pass --png FILE to draw the picture "
                            "instead",
                            lv_display_why_not());
    return LV_CLI_GO;
}

/* The event --at names, or -1 (the default) after a message when it is not one of tr's. */
static int view_at(const view_opts *o, const lv_trace *tr, long *at) {
    int64_t v;
    *at = -1;
    if (!o->at) return 0;
    if (lv_arg_int(o->at, 0, (int64_t)tr->nevents - 1, &v)) {
        fprintf(stderr, "lockviz view: --at must be an event of %s, 0 to %zu, not '%s'\n", o->path,
                tr->nevents ? tr->nevents - 1 : 0, o->at);
        return -1;
    }
    *at = v;
    return 0;
}

/* --png and --chrome, on the summary's line: LV_OK or the first error, said. */
static lv_err view_files(const view_opts *o, const lv_trace *tr, long at) {
    char eb[512];
    lv_err err;
    if (o->png) {
        if ((err = lv_render_png(tr, o->png, o->w, o->h, at, eb, sizeof eb)) != LV_OK) {
            printf("\n");
            fprintf(stderr, "lockviz view: %s\n", eb);
            return err;
        }
        printf("; picture: %s (%dx%d, event %ld of %zu)", o->png, o->w, o->h,
               (at >= 0 ? at : (long)tr->nevents - 1) + 1, tr->nevents);
    }
    if (o->chrome) {
        if ((err = lv_trace_save_chrome(tr, o->chrome, eb, sizeof eb)) != LV_OK) {
            printf("\n");
            fprintf(stderr, "lockviz view: %s\n", eb);
            return err;
        }
        printf("; chrome trace: %s", o->chrome);
        const char *note = lv_export_chrome_note(o->chrome);
        if (note) fprintf(stderr, "lockviz view: note: %s: %s\n", o->chrome, note);
    }
    printf("\n");
    return LV_OK;
}

/* The window. A trace that names one of lockviz's scenarios, recorded controlled, is run again
 * from its scenario, variant, parameters, seed and schedule for R, V, S, P, C and X; any other
 * trace is only shown (those keys say why). */
static int view_window(const view_opts *o, lv_trace *tr, long at) {
    lv_host host;
    char why[256], eb[512];
    int again = lv_host_for_trace(&host, tr, why, sizeof why) == LV_OK;
    lv_viewer_desc d = {.lesson = lv_lesson_of, .lang = lv_lang_default()};
    if (again) {
        d = lv_host_window(&host, 0);
        host.rerun.quiet = 0;
        d.play = 0;
        d.lesson_open = 0;
    }
    d.w = o->w;
    d.h = o->h;
    d.at_seq = at;
    d.future = o->ahead;
    int rc = LV_EXIT_CLEAN;
    if (lv_viewer_run(tr, &d, eb, sizeof eb) != 0) {
        fprintf(stderr, "lockviz view: %s\n", eb);
        rc = LV_EXIT_USAGE;
    }
    if (again) lv_host_free(&host);
    return rc;
}

static int cmd_view(int argc, char **argv) {
    view_opts o = {.w = LV_VIEW_W, .h = LV_VIEW_H, .ahead = LV_FUTURE_SHOW};
    int rc = view_parse(argc, argv, &o);
    if (rc != LV_CLI_GO) return rc;
    lv_trace *tr = NULL;
    if ((rc = lv_cli_load_analyzed("view", o.path, &tr)) != 0) return rc;
    long at;
    if (view_at(&o, tr, &at) != 0) {
        lv_trace_free(tr);
        return LV_EXIT_USAGE;
    }
    printf("%s/%s, %s mode, seed %" PRIu64 ": %s; %zu threads, %zu events, %zu finding%s",
           tr->scenario, tr->variant, lv_mode_name(tr->mode), tr->seed,
           lv_outcome_name(tr->outcome), tr->nthreads, tr->nevents, tr->nfindings,
           tr->nfindings == 1 ? "" : "s");
    lv_err err = view_files(&o, tr, at);
    if (err != LV_OK)
        rc = lv_exit_status(err, LV_DOING_FILE);
    else if (!o.headless && lv_have_display())
        rc = view_window(&o, tr, at);
    lv_trace_free(tr);
    return rc;
}

const lv_command lv_cmd_view = {"view", "TRACE",
                                "show a trace in a window, or draw it to a PNG (--png FILE)\n",
                                view_help, cmd_view};
