/* lockviz-isolate: the process a run of a scenario file runs in (core/src/isolate.c). lv_run
 * starts it, with the run's socket as fd 3; it is of no use on its own. */
#include "src/internal.h"

int main(void) {
    return lv__isolate_main();
}
