/* Core-internal, between the trace's data (trace.c), the analysis (analysis*.c) and the words of
 * findings (finding_text.c): a finding's payload freed, its English message and detail rendered
 * from the payload (finding_text.c, the one place that words a finding), and a trace's prefix
 * copied without findings. */
#ifndef LV_FINDING_H
#define LV_FINDING_H

#include "lockviz/trace.h"

void lv__finding_data_free(lv_finding *f);
void lv__program_free(lv_program *p); /* accepts NULL */
void lv__sites_free(lv_site *s, size_t n);
/* Sets f->message (and f->detail, for a cycle deadlock) from f's payload. LV_ENOMEM on failure. */
lv_err lv__finding_render(const lv_trace *tr, lv_finding *f);
/* lv_trace_prefix without the findings (the copy has none): trace.c copies, analysis.c analyses. */
lv_err lv__trace_copy_prefix(const lv_trace *tr, size_t nevents, size_t nschedule, lv_trace **out);

#endif
