/* The lockviz program's command table (one cmd_*.c file each), the dispatch to it, the main
 * help built from it, and the version. main.c holds only main(): tests call lv_lockviz. Exit
 * statuses are the design's: 0 nothing found, 1 something found, 2 bad usage or input, 3
 * internal (cli.h). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "cli_env.h"

const lv_command *const lv_commands[] = {&lv_cmd_list,  &lv_cmd_run,    &lv_cmd_explore,
                                         &lv_cmd_check, &lv_cmd_export, &lv_cmd_view,
                                         &lv_cmd_record};
const size_t lv_ncommands = sizeof lv_commands / sizeof lv_commands[0];

static const char help_head[] = "lockviz: a deadlock and race visualizer for teaching concurrency\n"
                                "\n"
                                "Usage:\n";

static const char help_tail[] =
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

/* "  lockviz LEFT" and the summary beside it at column 26 (two spaces after a longer LEFT),
 * its further lines below at that column. */
static void help_line(const char *left, const char *summary) {
    int n = printf("  lockviz%s%s", *left ? " " : "", left);
    printf("%*s", n + 2 < 26 ? 26 - n : 2, "");
    for (const char *p = summary; *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p + 1) : strlen(p);
        if (p != summary) printf("%26s", "");
        fwrite(p, 1, len, stdout);
        p += len;
    }
}

static void main_help(void) {
    fputs(help_head, stdout);
    help_line("", "run the ticket race (10 buyers, 1 ticket, no lock) and show it:\n"
                  "in a window when there is a display, with the scenario picker\n"
                  "open over it (choose another, or Esc for the race), else printed\n");
    for (size_t i = 0; i < lv_ncommands; i++) {
        const lv_command *c = lv_commands[i];
        char left[64];
        snprintf(left, sizeof left, "%s%s%s", c->name, *c->synopsis ? " " : "", c->synopsis);
        help_line(left, c->summary);
    }
    putchar('\n');
    help_line("-V, --version", "print the version\n");
    putchar('\n');
    fputs(help_tail, stdout);
}

int lv_lockviz(int argc, char **argv) {
    if (lv_cli_lang_init(&argc, argv) != 0) return LV_EXIT_USAGE;
    opterr = 0; /* our own messages say what to fix */
    if (argc < 2) return lv_cmd_run_plain();
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        main_help();
        return LV_EXIT_CLEAN;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
        puts("lockviz " LV_VERSION); /* CMake's project version */
        return LV_EXIT_CLEAN;
    }
    for (size_t i = 0; i < lv_ncommands; i++)
        if (strcmp(cmd, lv_commands[i]->name) == 0) return lv_commands[i]->main(argc - 1, argv + 1);
    fprintf(stderr, "lockviz: unknown command '%s' (try 'lockviz --help')\n", cmd);
    return LV_EXIT_USAGE;
}
