/* lockviz's side of a controlled recording (record_ctl.c): the page shared with the
 * scheduler inside the program (ctlshm.h), made before the start and read at the end. */
#ifndef LV_RCTL_H
#define LV_RCTL_H

#include "ctlshm.h"
#include "lockviz/record.h"

typedef struct lv__rctl {
    int fd; /* -1: a live recording */
    lv_cshm *cs;
} lv__rctl;

/* Makes the page for d (nothing for a live recording); LV_EIO with errbuf set on failure. */
lv_err lv__rctl_open(const lv_record_desc *d, lv__rctl *c, char *errbuf, size_t errlen);
/* Whether the program said its run cannot go on (deadlocked, or past what it can control). */
int lv__rctl_stopped(const lv__rctl *c);
/* Puts the mode, seed, policy and the schedule taken into tr; -1 when out of memory. */
int lv__rctl_finish(const lv__rctl *c, const lv_record_desc *d, lv_trace *tr);
void lv__rctl_close(lv__rctl *c);
const char *lv__policy_name(lv_policy p);

#endif
