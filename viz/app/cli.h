/* What the lockviz program's commands share: the entry a command has in main.c's table, the
 * design's exit statuses and the one mapping of an lv_err onto them, the messages for bad
 * usage, reading a scenario, a variant and a --set, and printing and saving a run. Each
 * command is a cmd_*.c file that parses its options into a struct before it does anything. */
#ifndef LV_VIZ_CLI_H
#define LV_VIZ_CLI_H

#include <stdint.h>
#include "lockviz/lockviz.h"

/* The design's exit statuses. */
enum { LV_EXIT_CLEAN = 0, LV_EXIT_FOUND = 1, LV_EXIT_USAGE = 2, LV_EXIT_INTERNAL = 3 };

/* What a command's option parser returns when the command is to go on; anything else is the
 * exit status to end with (0 after --help, 2 after a message about bad usage). */
#define LV_CLI_GO (-1)

/* A number in a help text: LV_STR(LV_EXPLORE_RUNS) is "1000". */
#define LV_STR_(x) #x
#define LV_STR(x) LV_STR_(x)
/* The default size of the window and the picture in a help text: "1280x720". */
#define LV_VIEW_SIZE_TEXT LV_STR(LV_VIEW_W) "x" LV_STR(LV_VIEW_H)

/* One command of `lockviz NAME ...`: its line in the main help and its own --help. */
typedef struct lv_command {
    const char *name;     /* NAME */
    const char *synopsis; /* what follows NAME on the main help's line ("SCENARIO"), or "" */
    const char *summary;  /* the main help's text beside it: lines, each ending in '\n' */
    const char *help;     /* what `lockviz NAME --help` prints */
    /* argv[0] is NAME; returns the exit status */
    int (*main)(int argc, char **argv);
} lv_command;

extern const lv_command lv_cmd_list, lv_cmd_run, lv_cmd_explore, lv_cmd_check, lv_cmd_export,
    lv_cmd_view, lv_cmd_record;

/* main.c's table, in the main help's order. */
extern const lv_command *const lv_commands[];
extern const size_t lv_ncommands;

/* The program (commands.c): `lockviz ARGS...` with argv[0] the program's name; --lang is taken
 * out of argv first. Returns the exit status. main() sets up stdout before it. */
int lv_lockviz(int argc, char **argv);

/* Plain `lockviz`: the ticket race, unlocked, with the scenario picker open over it when there
 * is a display (cmd_run.c). Returns the exit status. */
int lv_cmd_run_plain(void);

/* Where an lv_err came from, which decides whose fault it is. */
typedef enum lv_doing {
    /* running a scenario, an exploration or a program: what the scenario file or the program
     * did (crashed, hung, cannot be recorded, not found) is bad input; memory, I/O and
     * threads are lockviz's own */
    LV_DOING_RUN,
    /* reading, analysing, writing or drawing a file the person named: a missing, unwritable
     * or malformed file is bad input, and so is one too large for this machine's memory */
    LV_DOING_FILE,
} lv_doing;

/* The exit status of err: 0 for LV_OK, 2 bad usage or input, 3 internal error (also for a
 * value that is no lv_err). The one place where an error becomes an exit status. */
int lv_exit_status(lv_err err, lv_doing doing);

/* "lockviz CMD: MESSAGE (try 'lockviz CMD --help')" on stderr; returns LV_EXIT_USAGE. */
int lv_cli_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A whole number of the command line, strictly (lv_arg_int): "+7", "0x7", "7.0" are refused.
 * 0, or -1 when s is not one. */
int lv_cli_i64(const char *s, int64_t *out);
/* A seed: 0 to LV_SEED_MAX, strictly. 0, or -1 when s is not one. */
int lv_cli_seed(const char *s, uint64_t *out);
/* A scheduling policy's name: random, rr or pct. 0, or -1 when s is none of them. */
int lv_cli_policy(const char *s, lv_policy *out);

/* The registry's scenario names, separated by sep. */
void lv_cli_list_names(FILE *f, const char *sep);
/* The scenario a command names, or NULL after saying which ones there are. */
const lv_scenario *lv_cli_scenario(const char *cmd, const char *name);
/* "lockviz CMD: which scenario? one of: ..." on stderr; returns LV_EXIT_USAGE. */
int lv_cli_which_scenario(const char *cmd);
/* The index of a variant of sc, or -1 after saying which ones it has. */
int lv_cli_variant(const char *cmd, const lv_scenario *sc, const char *name);
/* --set NAME=VALUE into params; prints the error and returns -1 when it is wrong. */
int lv_cli_set(const char *cmd, const lv_scenario *sc, const char *set, int64_t *params);
/* sc's parameters: its defaults, then each of the n --set options. 0, or -1 after a message. */
int lv_cli_params(const char *cmd, const lv_scenario *sc, const char *const *sets, int n,
                  int64_t *params);

/* A trace's one-line summary (scenario, variant, mode, seed, outcome, counts), and a warning
 * when events were dropped. */
void lv_cli_print_summary(const lv_trace *tr);
/* The trace's schedule, up to 60 choice points, on one line ("schedule (N choice points): ...")
 * when it has one. */
void lv_cli_print_schedule(const lv_trace *tr);

/* Writes the files asked for (NULL: not that one), each atomically, the picture w x h; prints
 * where. LV_OK, or the first error after saying what went wrong with each. */
lv_err lv_cli_save(const char *cmd, const lv_trace *tr, const char *native, const char *chrome,
                   const char *png, int w, int h);

/* Loads the trace at path and recomputes its findings from its events (the stored ones are
 * not trusted): 0 with *out (the caller frees it), or the exit status after a message. */
int lv_cli_load_analyzed(const char *cmd, const char *path, lv_trace **out);

/* Whether a window can open here (display.c): DISPLAY or WAYLAND_DISPLAY is set and a server
 * answers on it. Probed once per process. */
int lv_have_display(void);
/* Why not, in the words of "no display (...)"; "" when there is one. */
const char *lv_display_why_not(void);
/* "lockviz CMD: no display (...), so no window" when a display was named that does not
 * answer and the command would have opened a window. */
void lv_cli_say_no_window(const char *cmd, int headless);

#endif
