/* The lockviz program: main() sets up standard output and hands over to the command table
 * (commands.c). */
#include <stdio.h>
#include <stdlib.h>
#include "cli.h"
#include "cli_env.h"

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    atexit(lv_cli_close_stdout); /* a failed write to stdout exits 2 with a message */
    return lv_lockviz(argc, argv);
}
