/* `lockviz check TRACE.json [--json]`: validates a trace, recomputes its findings from its
 * events (the stored ones are not trusted) and prints them. It writes no file. */
#include <getopt.h>
#include <stdio.h>
#include "cli.h"
#include "args.h"

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

typedef struct check_opts {
    const char *path;
    int json; /* --json */
} check_opts;

static int check_parse(int argc, char **argv, check_opts *o) {
    static const struct option opts[] = {
        {"json", no_argument, 0, 'j'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    int c;
    char oerr[512];
    optind = 1;
    while ((c = lv_getopt(argc, argv, opts, oerr, sizeof oerr)) != -1) {
        if (c == 'h') {
            fputs(check_help, stdout);
            return LV_EXIT_CLEAN;
        }
        if (c != 'j') return lv_cli_usage("check", "%s", oerr);
        o->json = 1;
    }
    if (optind >= argc) return lv_cli_usage("check", "which trace file?");
    o->path = argv[optind++];
    if (optind < argc) return lv_cli_usage("check", "unexpected argument '%s'", argv[optind]);
    return LV_CLI_GO;
}

static int cmd_check(int argc, char **argv) {
    check_opts o = {0};
    int rc = check_parse(argc, argv, &o);
    if (rc != LV_CLI_GO) return rc;
    lv_trace *tr = NULL;
    if ((rc = lv_cli_load_analyzed("check", o.path, &tr)) != 0) return rc;
    if (o.json) {
        lv_findings_write_json(tr, tr->findings, tr->nfindings, stdout);
    } else {
        lv_cli_print_summary(tr);
        lv_findings_print(tr, tr->findings, tr->nfindings, stdout);
    }
    rc = tr->nfindings ? LV_EXIT_FOUND : LV_EXIT_CLEAN;
    lv_trace_free(tr);
    return rc;
}

const lv_command lv_cmd_check = {"check", "TRACE",
                                 "validate a trace, recompute its findings, print them\n",
                                 check_help, cmd_check};
