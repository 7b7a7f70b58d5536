/* `lockviz view TRACE.json [--png FILE] [--chrome FILE] [--headless] [--at SEQ] [--size WxH]`:
 * shows a trace in the window, or draws it to a PNG without one. Never opens a window without a
 * display or with
 * --headless. Findings are recomputed from the events, as `lockviz check` does. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd_view.h"
#include "args.h"
#include "export.h"
#include "cli_env.h"
#include "glue.h"
#include "lockviz/lockviz.h"
#include "render.h"
#include "viewer.h"

enum { EXIT_CLEAN = 0, EXIT_USAGE = 2, EXIT_INTERNAL = 3 };

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
    "  --size WxH     window or picture size (default 1280x720)\n"
    "  --ahead A      in the window, what lies after the playhead: shown (default), faint or\n"
    "                 hidden (the run unfolds as it plays; key G switches)\n"
    "  --help         this text\n"
    "\n"
    "Without a display (no DISPLAY or WAYLAND_DISPLAY) no window opens: pass --png.\n"
    "Exit status: 0 shown or written; 2 bad usage, a bad trace or an unwritable file;\n"
    "3 internal error.\n";

static int usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs("lockviz view: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputs(" (try 'lockviz view --help')\n", stderr);
    va_end(ap);
    return EXIT_USAGE;
}

int lv_cmd_view(int argc, char **argv) {
    static const struct option opts[] = {
        {"png", required_argument, 0, 'p'},    {"headless", no_argument, 0, 'H'},
        {"at", required_argument, 0, 'a'},     {"size", required_argument, 0, 's'},
        {"chrome", required_argument, 0, 'c'}, {"ahead", required_argument, 0, 'g'},
        {"help", no_argument, 0, 'h'},         {0, 0, 0, 0}};
    const char *png = NULL, *at_arg = NULL, *chrome = NULL;
    int headless = 0, w = 1280, h = 720, c, ahead = LV_FUTURE_SHOW;
    char oerr[512];
    optind = 1;
    while ((c = lv_getopt(argc, argv, opts, oerr, sizeof oerr)) != -1) {
        switch (c) {
        case 'h':
            fputs(view_help, stdout);
            return EXIT_CLEAN;
        case 'p':
            png = optarg;
            break;
        case 'c':
            chrome = optarg;
            break;
        case 'H':
            headless = 1;
            break;
        case 'a':
            at_arg = optarg;
            break;
        case 'g':
            if ((ahead = lv_cli_ahead(optarg)) < 0)
                return usage("--ahead must be hidden, faint or shown, not '%s'", optarg);
            break;
        case 's':
            if (lv_arg_size(optarg, &w, &h))
                return usage("--size wants WxH from 200x150 to 8192x8192, not '%s'", optarg);
            break;
        default: {
            char one[64], msg[512];
            lv_arg_option_error(lv_arg_refused(argv, one, sizeof one), opts, msg, sizeof msg);
            return usage("%s", msg);
        }
        }
    }
    if (optind >= argc) return usage("which trace file?");
    const char *path = argv[optind++];
    if (optind < argc) return usage("unexpected argument '%s'", argv[optind]);
    int window = !headless && lv_have_display();
    if (!window && !headless && !png && !chrome)
        return usage("there is %s to open a window on; pass --png FILE to draw the picture "
                     "instead",
                     lv_display_why_not());

    char eb[512];
    lv_trace *tr = NULL;
    lv_err err = lv_trace_load(path, &tr, eb, sizeof eb);
    if (err != LV_OK) {
        fprintf(stderr, "lockviz view: %s\n", eb);
        return EXIT_USAGE; /* a trace too large for memory is bad input too */
    }
    int rc = EXIT_CLEAN;
    long at = -1;
    if (at_arg) {
        int64_t v;
        if (lv_arg_int(at_arg, 0, (int64_t)tr->nevents - 1, &v)) {
            fprintf(stderr, "lockviz view: --at must be an event of %s, 0 to %zu, not '%s'\n", path,
                    tr->nevents ? tr->nevents - 1 : 0, at_arg);
            lv_trace_free(tr);
            return EXIT_USAGE;
        }
        at = v;
    }
    lv_finding *f = NULL;
    size_t nf = 0;
    if (lv_analyze(tr, &f, &nf) != LV_OK) {
        fprintf(stderr, "lockviz view: %s: too large to analyse in this machine's memory\n", path);
        lv_trace_free(tr);
        return EXIT_USAGE;
    }
    lv_trace_set_findings(tr, f, nf);
    printf("%s/%s, %s mode, seed %" PRIu64 ": %s; %zu threads, %zu events, %zu finding%s",
           tr->scenario, tr->variant, lv_mode_name(tr->mode), tr->seed,
           lv_outcome_name(tr->outcome), tr->nthreads, tr->nevents, tr->nfindings,
           tr->nfindings == 1 ? "" : "s");
    if (png) {
        int r = lv_render_png(tr, png, w, h, at, eb, sizeof eb);
        if (r != 0) {
            printf("\n");
            fprintf(stderr, "lockviz view: %s\n", eb);
            lv_trace_free(tr);
            return r == -2 ? EXIT_USAGE : EXIT_INTERNAL;
        }
        printf("; picture: %s (%dx%d, event %ld of %zu)", png, w, h,
               (at >= 0 ? at : (long)tr->nevents - 1) + 1, tr->nevents);
    }
    if (chrome) {
        if (lv_trace_save_chrome(tr, chrome, eb, sizeof eb) != LV_OK) {
            printf("\n");
            fprintf(stderr, "lockviz view: %s\n", eb);
            lv_trace_free(tr);
            return EXIT_USAGE;
        }
        printf("; chrome trace: %s", chrome);
        const char *note = lv_export_chrome_note(chrome);
        if (note) fprintf(stderr, "lockviz view: note: %s: %s\n", chrome, note);
    }
    printf("\n");
    if (window) {
        /* a trace that names one of lockviz's scenarios, recorded controlled, is run again
         * from its scenario, variant, parameters, seed and schedule for R, V, S, P, C and X;
         * any other trace is only shown (those keys say why) */
        lv_host host;
        char why[256];
        int again = lv_host_for_trace(&host, tr, why, sizeof why) == LV_OK;
        lv_viewer_desc d = {.lesson = lv_lesson_of, .lang = lv_lang_default()};
        if (again) {
            d = lv_host_window(&host, 0);
            host.rerun.quiet = 0;
            d.play = 0;
            d.lesson_open = 0;
        }
        d.w = w;
        d.h = h;
        d.at_seq = at;
        d.future = ahead;
        if (lv_viewer_run(tr, &d, eb, sizeof eb) != 0) {
            fprintf(stderr, "lockviz view: %s\n", eb);
            rc = EXIT_USAGE;
        }
        if (again) lv_host_free(&host);
    }
    lv_trace_free(tr);
    return rc;
}
