/* `lockviz list [SCENARIO]`: every scenario (or one) with its title, variants and parameters,
 * in the language of --lang. It runs nothing. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include "cli.h"
#include "args.h"
#include "i18n.h"
#include "registry.h"

static const char list_help[] =
    "Usage: lockviz list [SCENARIO]\n"
    "\n"
    "Lists every scenario (or only SCENARIO) with its title, its variants (the default first)\n"
    "and its parameters (default and range).\n";

typedef struct list_opts {
    const lv_scenario *only; /* lockviz list SCENARIO: that one; NULL: all */
} list_opts;

static int list_parse(int argc, char **argv, list_opts *o) {
    static const struct option opts[] = {{"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    char oerr[512];
    optind = 1;
    int c = lv_getopt(argc, argv, opts, oerr, sizeof oerr);
    if (c == 'h') {
        fputs(list_help, stdout);
        return LV_EXIT_CLEAN;
    }
    if (c != -1) return lv_cli_usage("list", "%s", oerr);
    if (optind < argc && !(o->only = lv_cli_scenario("list", argv[optind++]))) return LV_EXIT_USAGE;
    if (optind < argc) return lv_cli_usage("list", "unexpected argument '%s'", argv[optind]);
    return LV_CLI_GO;
}

static void list_one(const lv_scenario *sc) {
    int lang = lv_lang_default(), zh = lang == LV_LANG_ZH;
    printf("%s: %s (%s)\n", sc->name, zh ? sc->title_zh : sc->title, zh ? sc->title : sc->title_zh);
    if (sc->path) printf("  file: %s\n", sc->path);
    printf(lv_tr(lang, LV_T_CLI_FROM), sc->source);
    printf("\n%s\n", lv_tr(lang, LV_T_CLI_VARIANTS));
    for (int v = 0; v < sc->nvariants; v++) {
        const lv_variant_desc *vd = &sc->variants[v];
        printf("    %-10s %s%s\n", vd->name, zh && vd->summary_zh ? vd->summary_zh : vd->summary,
               v == 0 ? lv_tr(lang, LV_T_CLI_DEFAULT) : "");
    }
    if (sc->nparams) printf("%s\n", lv_tr(lang, LV_T_CLI_PARAMS));
    for (int p = 0; p < sc->nparams; p++) {
        const lv_param_desc *pd = &sc->params[p];
        char n[3][24];
        snprintf(n[0], sizeof n[0], "%" PRId64, pd->def);
        snprintf(n[1], sizeof n[1], "%" PRId64, pd->min);
        snprintf(n[2], sizeof n[2], "%" PRId64, pd->max);
        printf(lv_tr(lang, LV_T_CLI_PARAM), pd->name, n[0], n[1], n[2], pd->help);
        putchar('\n');
    }
}

static int cmd_list(int argc, char **argv) {
    list_opts o = {0};
    int rc = list_parse(argc, argv, &o);
    if (rc != LV_CLI_GO) return rc;
    if (!o.only) { /* scenario files that did not load, said before the list */
        size_t nprob;
        const char *const *prob = lv_registry_problems(&nprob);
        for (size_t i = 0; i < nprob; i++)
            fprintf(stderr, "lockviz list: %s\n", prob[i]);
    }
    size_t n = o.only ? 1 : lv_registry_count();
    for (size_t i = 0; i < n; i++)
        list_one(o.only ? o.only : lv_registry_at(i));
    return LV_EXIT_CLEAN;
}

const lv_command lv_cmd_list = {"list", "", "scenarios, variants and parameters\n", list_help,
                                cmd_list};
