/* The lockviz program's table and rules, without a window: the exit status of every lv_err,
 * every command's help (in the table and as `lockviz CMD --help` prints it), and the largest
 * seed, 2^53 - 1, taken and 2^53 refused everywhere a seed comes in: the command line, lv_run,
 * lv_explore, a trace file, and the window's rerun. LOCKVIZ_BIN names the program to start. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "cli.h"
#include "glue.h"
#include "lockviz/explore.h"
#include "registry.h"
#include "test.h"

static const char *bin(void) {
    const char *b = getenv("LOCKVIZ_BIN");
    if (!b || !*b) TEST_FAIL_AT("LOCKVIZ_BIN is not set");
    return b;
}

/* Runs `lockviz ARGS` (a shell word list), stdout into *out (malloc'd) when out is given; the
 * exit status. */
static int lockviz(const char *args, char **out) {
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "'%s' %s 2>/dev/null </dev/null", bin(), args);
    FILE *p = popen(cmd, "r");
    ASSERT(p != NULL);
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    char chunk[4096];
    size_t k;
    while ((k = fread(chunk, 1, sizeof chunk, p)) > 0)
        fwrite(chunk, 1, k, m);
    fclose(m);
    int st = pclose(p);
    ASSERT(WIFEXITED(st));
    if (out)
        *out = buf;
    else
        free(buf);
    return WEXITSTATUS(st);
}

/* Every lv_err, with the status it must give in each context: written out here, not derived
 * from the code, and checked to name every error of LV_ERRNO_MAP. */
TEST(exit_status_of_every_error) {
    static const struct {
        lv_err err;
        int run, file;
    } want[] = {
        {LV_OK, 0, 0},           {LV_ENOMEM, 3, 2},    {LV_EIO, 3, 2},       {LV_EPARSE, 2, 2},
        {LV_EUSAGE, 2, 2},       {LV_ENOTFOUND, 2, 2}, {LV_ERANGE, 2, 2},    {LV_ETHREAD, 3, 3},
        {LV_EUNSUPPORTED, 3, 3}, {LV_ECRASHED, 2, 2},  {LV_ETIMEDOUT, 2, 2},
    };
    size_t n = sizeof want / sizeof want[0];
    for (size_t i = 0; i < n; i++) {
        ASSERT_EQ(lv_exit_status(want[i].err, LV_DOING_RUN), want[i].run);
        ASSERT_EQ(lv_exit_status(want[i].err, LV_DOING_FILE), want[i].file);
    }
    /* a new error in the X-macro must get a line above */
    static const lv_err all[] = {
#define ERR_ENTRY(name, msg) LV_E##name,
        LV_ERRNO_MAP(ERR_ENTRY)
#undef ERR_ENTRY
    };
    ASSERT_EQ(sizeof all / sizeof all[0] + 1, n);
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        int seen = 0;
        for (size_t k = 0; k < n; k++)
            seen |= want[k].err == all[i];
        if (!seen) TEST_FAIL_AT("%s has no exit status in this test", lv_strerror(all[i]));
    }
    /* what is no lv_err is an internal error, never 0 */
    ASSERT_EQ(lv_exit_status((lv_err)-1, LV_DOING_RUN), 3);
    ASSERT_EQ(lv_exit_status((lv_err)-200, LV_DOING_FILE), 3);
    ASSERT_EQ(lv_exit_status((lv_err)7, LV_DOING_FILE), 3);
}

TEST(every_command_has_help_and_answers_help) {
    ASSERT_GE(lv_ncommands, 7);
    char *main_help = NULL;
    ASSERT_EQ(lockviz("--help", &main_help), 0);
    for (size_t i = 0; i < lv_ncommands; i++) {
        const lv_command *c = lv_commands[i];
        ASSERT(c->name && *c->name && c->main && c->synopsis);
        for (size_t k = 0; k < i; k++)
            ASSERT(strcmp(c->name, lv_commands[k]->name) != 0);
        size_t sl = strlen(c->summary);
        ASSERT(sl > 1 && c->summary[sl - 1] == '\n');
        char usage[64], line[128];
        snprintf(usage, sizeof usage, "Usage: lockviz %s", c->name);
        ASSERT(strncmp(c->help, usage, strlen(usage)) == 0);
        /* the main help has the command's line: its synopsis, then its summary's first line */
        snprintf(line, sizeof line, "  lockviz %s%s%s ", c->name, *c->synopsis ? " " : "",
                 c->synopsis);
        ASSERT_CONTAINS(main_help, line);
        char first[128];
        snprintf(first, sizeof first, "%.*s", (int)strcspn(c->summary, "\n"), c->summary);
        ASSERT_CONTAINS(main_help, first);
        /* and `lockviz NAME --help` prints the table's help, exactly, with status 0 */
        char args[128], *out = NULL;
        snprintf(args, sizeof args, "%s --help", c->name);
        ASSERT_EQ(lockviz(args, &out), 0);
        ASSERT_STR_EQ(out, c->help);
        free(out);
    }
    free(main_help);
    /* a name that is not in the table */
    ASSERT_EQ(lockviz("nosuch", NULL), 2);
    ASSERT_EQ(lockviz("runn ticket", NULL), 2);
}

static const lv_scenario *ticket(void) {
    char eb[256];
    const lv_scenario *sc = lv_registry_lookup("ticket", eb, sizeof eb);
    ASSERT(sc != NULL);
    return sc;
}

TEST(a_seed_of_2_53_is_refused_everywhere_and_2_53_minus_1_taken) {
    ASSERT_EQ(LV_SEED_MAX, 9007199254740991ULL);
    /* the command line's reading */
    uint64_t s = 0;
    ASSERT_EQ(lv_cli_seed("9007199254740991", &s), 0);
    ASSERT(s == LV_SEED_MAX);
    ASSERT_EQ(lv_cli_seed("9007199254740992", &s), -1);
    ASSERT_EQ(lv_cli_seed("-1", &s), -1);
    ASSERT(s == LV_SEED_MAX);

    /* lv_run */
    int64_t params[LV_MAX_PARAMS] = {2, 1};
    lv_run_desc d = {.scenario = ticket(),
                     .params = params,
                     .mode = LV_MODE_CONTROLLED,
                     .seed = LV_SEED_MAX + 1};
    lv_trace *tr = NULL;
    ASSERT_EQ(lv_run(&d, &tr), LV_ERANGE);
    ASSERT(tr == NULL);
    d.seed = LV_SEED_MAX;
    ASSERT_EQ(lv_run(&d, &tr), LV_OK);
    ASSERT(tr->seed == LV_SEED_MAX);

    /* a trace file: 2^53 - 1 goes through, 2^53 is refused with the place */
    char *json = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&json, &len);
    ASSERT_EQ(lv_trace_write_json(tr, m), LV_OK);
    fclose(m);
    lv_trace *back = NULL;
    char eb[512];
    ASSERT_EQ(lv_trace_read_json(json, len, "t.json", &back, eb, sizeof eb), LV_OK);
    ASSERT(back->seed == LV_SEED_MAX);
    lv_trace_free(back);
    char *at = strstr(json, "\"seed\": 9007199254740991");
    ASSERT(at != NULL);
    at[strlen("\"seed\": 900719925474099")] = '2';
    ASSERT_NE(lv_trace_read_json(json, len, "t.json", &back, eb, sizeof eb), LV_OK);
    ASSERT_CONTAINS(eb, "seed");
    char dir[] = "/tmp/lv_test_cli_XXXXXX", path[600], path53[600];
    ASSERT(mkdtemp(dir) != NULL);
    snprintf(path53, sizeof path53, "%s/seed53.json", dir);
    FILE *f = fopen(path53, "w");
    ASSERT(f != NULL);
    fwrite(json, 1, len, f);
    fclose(f);
    free(json);
    snprintf(path, sizeof path, "%s/max.json", dir);
    ASSERT_EQ(lv_trace_save(tr, path, eb, sizeof eb), LV_OK);

    /* lv_explore */
    lv_explore_desc x = {.scenario = ticket(),
                         .params = params,
                         .strategy = LV_STRATEGY_RANDOM,
                         .runs = 2,
                         .seed = LV_SEED_MAX + 1};
    lv_explore_result r;
    ASSERT_EQ(lv_explore(&x, &r), LV_ERANGE);
    x.seed = LV_SEED_MAX;
    ASSERT_EQ(lv_explore(&x, &r), LV_OK);
    lv_trace_free(r.failing);

    /* the window's R: the seed after the largest is 0, never 2^53 */
    lv_rerun rr;
    lv_rerun_init(&rr, &d);
    rr.quiet = 1;
    lv_trace *next = lv_rerun_next(&rr, LV_RERUN_SEED, eb, sizeof eb);
    ASSERT(next != NULL);
    ASSERT(next->seed == 0);
    lv_trace_free(next);
    lv_trace_free(tr);

    /* the program: run, explore, and a trace file through check, view, export, run --schedule */
    char args[1400];
    ASSERT_EQ(lockviz("run ticket --set buyers=2 --headless --quiet --seed 9007199254740992", NULL),
              2);
    ASSERT_EQ(lockviz("run ticket --set buyers=2 --headless --quiet --seed 9007199254740991", NULL),
              1);
    ASSERT_EQ(
        lockviz("explore ticket --set buyers=2 --runs 1 --quiet --seed 9007199254740992", NULL), 2);
    int st =
        lockviz("explore ticket --set buyers=2 --runs 1 --quiet --seed 9007199254740991", NULL);
    ASSERT(st == 0 || st == 1);
    static const char *const readers[] = {"check '%s'", "view '%s' --headless",
                                          "export '%s' --out '%s.again'",
                                          "run ticket --headless --quiet --schedule '%s'"};
    for (size_t i = 0; i < sizeof readers / sizeof readers[0]; i++) {
        snprintf(args, sizeof args, readers[i], path53, path53);
        ASSERT_EQ(lockviz(args, NULL), 2);
        snprintf(args, sizeof args, readers[i], path, path);
        st = lockviz(args, NULL);
        ASSERT(st == 0 || st == 1);
    }
    snprintf(args, sizeof args, "rm -rf '%s'", dir);
    ASSERT_EQ(system(args), 0);
}

TEST_MAIN(TEST_ENTRY(exit_status_of_every_error, 10),
          TEST_ENTRY(every_command_has_help_and_answers_help, 60),
          TEST_ENTRY(a_seed_of_2_53_is_refused_everywhere_and_2_53_minus_1_taken, 120))
