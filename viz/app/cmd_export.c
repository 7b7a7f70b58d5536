/* `lockviz export TRACE.json`: reads a trace strictly and writes it again as Chrome/Perfetto
 * JSON, a PNG or the native format, with findings recomputed. It opens no window. */
#include <getopt.h>
#include <stdio.h>
#include "cli.h"
#include "args.h"
#include "geom.h"

static const char export_help[] =
    "Usage: lockviz export TRACE.json [--chrome NAME-chrome.json] [--png TIMELINE.png] [--out "
    "T.json]\n"
    "\n"
    "Reads a trace (strictly: a broken file is refused with the place that is wrong) and writes\n"
    "it again in other forms, each file atomically. Findings are recomputed from the events.\n"
    "\n"
    "  --chrome FILE   the Chrome Trace Event Format, for Perfetto UI and speedscope (not a\n"
    "                  name ending in .chrome.json: speedscope cannot open it)\n"
    "  --png FILE      the timeline as a picture (" LV_VIEW_SIZE_TEXT
    ", the whole run), as lockviz view draws it\n"
    "  --out FILE      the native format again (with recomputed findings)\n"
    "  --help          this text\n"
    "\n"
    "Exit status: 0 written; 2 bad usage, a bad trace or a file that could not be written.\n";

typedef struct export_opts {
    const char *path, *chrome, *native, *png;
} export_opts;

static int export_parse(int argc, char **argv, export_opts *o) {
    static const struct option opts[] = {{"chrome", required_argument, 0, 'X'},
                                         {"out", required_argument, 0, 'o'},
                                         {"png", required_argument, 0, 'G'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    int c;
    char oerr[512];
    optind = 1;
    while ((c = lv_getopt(argc, argv, opts, oerr, sizeof oerr)) != -1) {
        switch (c) {
        case 'h':
            fputs(export_help, stdout);
            return LV_EXIT_CLEAN;
        case 'X':
            o->chrome = optarg;
            break;
        case 'o':
            o->native = optarg;
            break;
        case 'G':
            o->png = optarg;
            break;
        default:
            return lv_cli_usage("export", "%s", oerr);
        }
    }
    if (optind >= argc) return lv_cli_usage("export", "which trace file?");
    o->path = argv[optind++];
    if (optind < argc) return lv_cli_usage("export", "unexpected argument '%s'", argv[optind]);
    if (!o->chrome && !o->native && !o->png)
        return lv_cli_usage("export", "nothing to write: give --chrome, --png or --out");
    return LV_CLI_GO;
}

static int cmd_export(int argc, char **argv) {
    export_opts o = {0};
    int rc = export_parse(argc, argv, &o);
    if (rc != LV_CLI_GO) return rc;
    lv_trace *tr = NULL;
    if ((rc = lv_cli_load_analyzed("export", o.path, &tr)) != 0) return rc;
    lv_err err = lv_cli_save("export", tr, o.native, o.chrome, o.png, LV_VIEW_W, LV_VIEW_H);
    lv_trace_free(tr);
    return lv_exit_status(err, LV_DOING_FILE);
}

const lv_command lv_cmd_export = {"export", "TRACE",
                                  "write a trace as Chrome/Perfetto JSON (or native again)\n",
                                  export_help, cmd_export};
