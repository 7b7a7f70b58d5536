/* The trace as data: names of kinds, lookups, copying a prefix, and freeing. No I/O here (see
 * json_*.c) and no analysis (lv_trace_prefix, which needs both, is in analysis.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lockviz/trace.h"
#include "finding.h"

static const char *const event_names[] = {
#define LV__EN(name, str) str,
    LV_EVENT_KINDS(LV__EN)
#undef LV__EN
};
static const char *const object_names[] = {
#define LV__ON(name, str) str,
    LV_OBJECT_KINDS(LV__ON)
#undef LV__ON
};
static const char *const finding_names[] = {
#define LV__FN(name, str) str,
    LV_FINDING_KINDS(LV__FN)
#undef LV__FN
};

static const char *const shape_names[] = {
#define LV__SN(name, str) str,
    LV_DEADLOCK_SHAPES(LV__SN)
#undef LV__SN
};
static const char *const rule_names[] = {
#define LV__RN(name, str) str,
    LV_MISUSE_RULES(LV__RN)
#undef LV__RN
};

const char *lv_event_kind_name(lv_event_kind k) {
    return (unsigned)k < LV_EV__COUNT ? event_names[k] : "?";
}
const char *lv_obj_kind_name(lv_obj_kind k) {
    return (unsigned)k < LV_OBJ__COUNT ? object_names[k] : "?";
}
const char *lv_finding_kind_name(lv_finding_kind k) {
    return (unsigned)k < LV_FIND__COUNT ? finding_names[k] : "?";
}
const char *lv_deadlock_shape_name(lv_deadlock_shape k) {
    return (unsigned)k < LV_DL__COUNT ? shape_names[k] : "?";
}
const char *lv_misuse_rule_name(lv_misuse_rule k) {
    return (unsigned)k < LV_MU__COUNT ? rule_names[k] : "?";
}
static const char *const end_names[] = {
#define LV__PN(name, str) str,
    LV_PROGRAM_ENDS(LV__PN)
#undef LV__PN
};
const char *lv_program_end_name(lv_program_end e) {
    return (unsigned)e < LV_PROG__COUNT ? end_names[e] : "?";
}
const char *lv_outcome_name(lv_outcome o) {
    switch (o) {
    case LV_OUT_COMPLETED:
        return "completed";
    case LV_OUT_DEADLOCKED:
        return "deadlocked";
    case LV_OUT_ABORTED:
        return "aborted";
    }
    return "?";
}
const char *lv_mode_name(lv_mode m) {
    return m == LV_MODE_CONTROLLED ? "controlled" : "live";
}

static int lookup(const char *const *names, int n, const char *s) {
    for (int i = 0; i < n; i++)
        if (strcmp(names[i], s) == 0) return i;
    return -1;
}
int lv_event_kind_parse(const char *s, lv_event_kind *out) {
    int i = lookup(event_names, LV_EV__COUNT, s);
    if (i < 0) return -1;
    *out = (lv_event_kind)i;
    return 0;
}
int lv_obj_kind_parse(const char *s, lv_obj_kind *out) {
    int i = lookup(object_names, LV_OBJ__COUNT, s);
    if (i < 0) return -1;
    *out = (lv_obj_kind)i;
    return 0;
}
int lv_finding_kind_parse(const char *s, lv_finding_kind *out) {
    int i = lookup(finding_names, LV_FIND__COUNT, s);
    if (i < 0) return -1;
    *out = (lv_finding_kind)i;
    return 0;
}

int lv_program_end_parse(const char *s, lv_program_end *out) {
    int i = lookup(end_names, LV_PROG__COUNT, s);
    if (i < 0) return -1;
    *out = (lv_program_end)i;
    return 0;
}

const lv_site *lv_trace_event_site(const lv_trace *tr, uint32_t seq) {
    if (!tr->event_site || seq >= tr->nevents) return NULL;
    uint32_t s = tr->event_site[seq];
    return s && s <= tr->nsites ? &tr->sites[s - 1] : NULL;
}

const char *lv_site_format(const lv_site *s, char *buf, size_t len) {
    if (s->file) {
        const char *b = strrchr(s->file, '/');
        snprintf(buf, len, "%s:%lld", b ? b + 1 : s->file, (long long)s->line);
    } else if (s->function) {
        snprintf(buf, len, "%s+0x%llx", s->function, (unsigned long long)s->offset);
    } else if (s->module) {
        const char *b = strrchr(s->module, '/');
        snprintf(buf, len, "%s+0x%llx", b ? b + 1 : s->module, (unsigned long long)s->offset);
    } else {
        snprintf(buf, len, "0x%llx", (unsigned long long)s->offset);
    }
    return buf;
}

void lv__program_free(lv_program *p) {
    if (!p) return;
    free(p->path);
    free(p->policy);
    for (size_t i = 0; i < p->nargs; i++)
        free(p->args[i]);
    free(p->args);
    free(p);
}

void lv__sites_free(lv_site *s, size_t n) {
    for (size_t i = 0; i < n; i++) {
        free(s[i].file);
        free(s[i].function);
        free(s[i].module);
    }
    free(s);
}

int lv_deadlock_shape_parse(const char *s, lv_deadlock_shape *out) {
    int i = lookup(shape_names, LV_DL__COUNT, s);
    if (i < 0) return -1;
    *out = (lv_deadlock_shape)i;
    return 0;
}
int lv_misuse_rule_parse(const char *s, lv_misuse_rule *out) {
    int i = lookup(rule_names, LV_MU__COUNT, s);
    if (i < 0) return -1;
    *out = (lv_misuse_rule)i;
    return 0;
}

const char *lv_trace_text(const lv_trace *tr, const lv_event *ev) {
    if (!(ev->flags & LV_EVF_TEXT) || ev->value < 0 || (size_t)ev->value >= tr->ntexts) return NULL;
    return tr->texts[ev->value];
}

/* Ids are the index in the arrays for every trace lockviz writes or accepts. */
const char *lv_trace_thread_name(const lv_trace *tr, int32_t id) {
    if (id < 0 || (size_t)id >= tr->nthreads) return "?";
    return tr->threads[id].name;
}
const char *lv_trace_object_name(const lv_trace *tr, int32_t id) {
    if (id < 0 || (size_t)id >= tr->nobjects) return "?";
    return tr->objects[id].name;
}

void lv__finding_data_free(lv_finding *f) {
    switch (f->payload) {
    case LV_PAY_DEADLOCK:
        for (size_t k = 0; f->data.deadlock.steps && k < f->data.deadlock.nsteps; k++)
            free(f->data.deadlock.steps[k].held_by);
        free(f->data.deadlock.steps);
        break;
    case LV_PAY_LOCK_ORDER:
        free(f->data.order.edges);
        break;
    case LV_PAY_INVARIANT:
        free(f->data.invariant.text);
        break;
    default:
        break;
    }
    f->payload = LV_PAY_NONE;
    memset(&f->data, 0, sizeof f->data);
}

void lv_findings_free(lv_finding *f, size_t n) {
    if (!f) return;
    for (size_t i = 0; i < n; i++) {
        lv__finding_data_free(&f[i]);
        free(f[i].message);
        free(f[i].detail);
        free(f[i].threads);
        free(f[i].objects);
        free(f[i].events);
    }
    free(f);
}

void lv_trace_set_findings(lv_trace *tr, lv_finding *f, size_t n) {
    lv_findings_free(tr->findings, tr->nfindings);
    tr->findings = f;
    tr->nfindings = n;
}

void lv_trace_free(lv_trace *tr) {
    if (!tr) return;
    free(tr->scenario);
    free(tr->scenario_path);
    free(tr->variant);
    for (size_t i = 0; i < tr->nparams; i++)
        free(tr->params[i].name);
    free(tr->params);
    free(tr->schedule);
    for (size_t i = 0; i < tr->nthreads; i++)
        free(tr->threads[i].name);
    free(tr->threads);
    for (size_t i = 0; i < tr->nobjects; i++)
        free(tr->objects[i].name);
    free(tr->objects);
    free(tr->events);
    for (size_t i = 0; i < tr->ntexts; i++)
        free(tr->texts[i]);
    free(tr->texts);
    lv_findings_free(tr->findings, tr->nfindings);
    lv__program_free(tr->program);
    lv__sites_free(tr->sites, tr->nsites);
    free(tr->event_site);
    free(tr);
}

static char *dup_opt(const char *s, int *failed) {
    if (!s) return NULL;
    char *d = strdup(s);
    if (!d) *failed = 1;
    return d;
}

static char *dup_str(const char *s, int *failed) {
    char *d = strdup(s ? s : "");
    if (!d) *failed = 1;
    return d;
}

/* n elements of size sz copied into a new array (at least one byte, so NULL means failure) */
static void *dup_array(const void *a, size_t n, size_t sz, int *failed) {
    void *d = calloc(n ? n : 1, sz);
    if (!d) {
        *failed = 1;
        return NULL;
    }
    if (n) memcpy(d, a, n * sz);
    return d;
}

lv_err lv__trace_copy_prefix(const lv_trace *tr, size_t nevents, size_t nschedule, lv_trace **out) {
    *out = NULL;
    if (nevents > tr->nevents) nevents = tr->nevents;
    if (nschedule > tr->nschedule) nschedule = tr->nschedule;
    lv_trace *p = calloc(1, sizeof *p);
    if (!p) return LV_ENOMEM;
    int failed = 0;
    p->scenario = dup_str(tr->scenario, &failed);
    p->variant = dup_str(tr->variant, &failed);
    if (tr->scenario_path) p->scenario_path = dup_str(tr->scenario_path, &failed);
    p->mode = tr->mode;
    p->seed = tr->seed;
    p->dropped = tr->dropped;
    p->outcome = nevents < tr->nevents ? LV_OUT_ABORTED : tr->outcome;
    /* the counts are set only with their arrays, so lv_trace_free never walks a NULL array */
    if ((p->params = calloc(tr->nparams ? tr->nparams : 1, sizeof *p->params))) {
        p->nparams = tr->nparams;
        for (size_t i = 0; i < tr->nparams; i++) {
            p->params[i].name = dup_str(tr->params[i].name, &failed);
            p->params[i].value = tr->params[i].value;
        }
    } else {
        failed = 1;
    }
    if ((p->threads = calloc(tr->nthreads ? tr->nthreads : 1, sizeof *p->threads))) {
        p->nthreads = tr->nthreads;
        for (size_t i = 0; i < tr->nthreads; i++) {
            p->threads[i].id = tr->threads[i].id;
            p->threads[i].name = dup_str(tr->threads[i].name, &failed);
        }
    } else {
        failed = 1;
    }
    if ((p->objects = calloc(tr->nobjects ? tr->nobjects : 1, sizeof *p->objects))) {
        p->nobjects = tr->nobjects;
        for (size_t i = 0; i < tr->nobjects; i++) {
            p->objects[i] = tr->objects[i];
            p->objects[i].name = dup_str(tr->objects[i].name, &failed);
        }
    } else {
        failed = 1;
    }
    if ((p->texts = calloc(tr->ntexts ? tr->ntexts : 1, sizeof *p->texts))) {
        p->ntexts = tr->ntexts; /* all of them: a note's value indexes this table */
        for (size_t i = 0; i < tr->ntexts; i++)
            p->texts[i] = dup_str(tr->texts[i], &failed);
    } else {
        failed = 1;
    }
    if ((p->events = dup_array(tr->events, nevents, sizeof *tr->events, &failed)))
        p->nevents = nevents;
    if ((p->schedule = dup_array(tr->schedule, nschedule, sizeof *tr->schedule, &failed)))
        p->nschedule = nschedule;
    if (tr->event_site)
        p->event_site = dup_array(tr->event_site, nevents, sizeof *tr->event_site, &failed);
    if (tr->nsites && (p->sites = calloc(tr->nsites, sizeof *p->sites))) {
        p->nsites = tr->nsites;
        for (size_t i = 0; i < tr->nsites; i++) {
            p->sites[i] = tr->sites[i];
            p->sites[i].file = dup_opt(tr->sites[i].file, &failed);
            p->sites[i].function = dup_opt(tr->sites[i].function, &failed);
            p->sites[i].module = dup_opt(tr->sites[i].module, &failed);
        }
    } else if (tr->nsites) {
        failed = 1;
    }
    if (tr->program && (p->program = calloc(1, sizeof *p->program))) {
        *p->program = *tr->program;
        p->program->nargs = 0;
        p->program->path = dup_str(tr->program->path, &failed);
        p->program->policy = tr->program->policy ? dup_str(tr->program->policy, &failed) : NULL;
        if ((p->program->args = calloc(tr->program->nargs + 1, sizeof(char *)))) {
            p->program->nargs = tr->program->nargs;
            for (size_t i = 0; i < tr->program->nargs; i++)
                p->program->args[i] = dup_str(tr->program->args[i], &failed);
        } else {
            failed = 1;
        }
    } else if (tr->program) {
        failed = 1;
    }
    if (failed) {
        lv_trace_free(p);
        return LV_ENOMEM;
    }
    *out = p;
    return LV_OK;
}
