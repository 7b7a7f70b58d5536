/* Core-internal: a finding's payload freed, and its English message and detail rendered from
 * the payload (finding_text.c), the one place that words a finding. */
#ifndef LV_FINDING_H
#define LV_FINDING_H

#include "lockviz/trace.h"

void lv__finding_data_free(lv_finding *f);
void lv__program_free(lv_program *p); /* accepts NULL */
void lv__sites_free(lv_site *s, size_t n);
/* Sets f->message (and f->detail, for a cycle deadlock) from f's payload. LV_ENOMEM on failure. */
lv_err lv__finding_render(const lv_trace *tr, lv_finding *f);

#endif
