/* The controlled part of lv_record: the shared page with the policy, the seed and the
 * schedule to replay, and reading back the schedule the program took. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "rctl.h"

#define ERR(...) (errlen ? (void)snprintf(errbuf, errlen, __VA_ARGS__) : (void)0)

const char *lv__policy_name(lv_policy p) {
    return p == LV_POLICY_RR ? "rr" : p == LV_POLICY_PCT ? "pct" : "random";
}

static const char *policy_of(const lv_record_desc *d) {
    return d->dfs ? "dfs" : lv__policy_name(d->policy);
}

lv_err lv__rctl_open(const lv_record_desc *d, lv__rctl *c, char *errbuf, size_t errlen) {
    c->fd = -1;
    c->cs = NULL;
    if (d->mode != LV_MODE_CONTROLLED) return LV_OK;
    if (d->nschedule > LV_CS_CAP) {
        ERR("the schedule has %zu entries; at most %u can be replayed", d->nschedule, LV_CS_CAP);
        return LV_EUSAGE;
    }
    int fd = memfd_create("lockviz-control", 0); /* inherited by the program */
    if (fd < 0 || ftruncate(fd, (off_t)LV_CS_BYTES) != 0) {
        ERR("cannot make the control page: %s", strerror(errno));
        if (fd >= 0) close(fd);
        return LV_EIO;
    }
    void *p = mmap(NULL, LV_CS_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) {
        ERR("cannot map the control page: %s", strerror(errno));
        close(fd);
        return LV_EIO;
    }
    lv_cshm *cs = p;
    cs->magic = LV_CS_MAGIC;
    cs->seed = d->seed;
    cs->policy = (int32_t)d->policy;
    cs->pct_depth = d->pct_depth > 0 ? d->pct_depth : 3;
    cs->pct_steps = 50;
    cs->in_off = LV_CS_HEADER_BYTES;
    cs->out_off = LV_CS_HEADER_BYTES + (uint64_t)LV_CS_CAP * 4;
    cs->log_off = cs->out_off + (uint64_t)LV_CS_CAP * 4;
    cs->dfs = d->dfs;
    if (d->pct_steps) cs->pct_steps = d->pct_steps;
    cs->nin = (uint32_t)d->nschedule;
    atomic_store(&cs->diverged, -1);
    if (d->nschedule)
        memcpy((char *)p + cs->in_off, d->schedule, d->nschedule * sizeof *d->schedule);
    c->fd = fd;
    c->cs = cs;
    return LV_OK;
}

int lv__rctl_stopped(const lv__rctl *c) {
    return c->cs && atomic_load(&c->cs->state) != LV_CS_RUNNING;
}

int lv__rctl_finish(const lv__rctl *c, const lv_record_desc *d, lv_trace *tr) {
    if (!c->cs) return 0;
    if (d->diverged_at) *d->diverged_at = (long)atomic_load(&c->cs->diverged);
    tr->mode = LV_MODE_CONTROLLED;
    tr->seed = d->seed;
    uint32_t n = atomic_load(&c->cs->nout);
    free(tr->schedule);
    if (!(tr->schedule = malloc((n ? n : 1) * sizeof *tr->schedule))) return -1;
    memcpy(tr->schedule, (char *)c->cs + c->cs->out_off, n * sizeof *tr->schedule);
    tr->nschedule = n;
    if (tr->program && !(tr->program->policy = strdup(policy_of(d)))) return -1;
    if (d->points) {
        lv_choice_log *pl = d->points;
        uint32_t m = atomic_load(&c->cs->nlog);
        free(pl->data);
        if (!(pl->data = malloc((m ? m : 1) * sizeof *pl->data))) return -1;
        memcpy(pl->data, (char *)c->cs + c->cs->log_off, m * sizeof *pl->data);
        pl->n = m;
        pl->full = (int)atomic_load(&c->cs->log_full) || atomic_load(&c->cs->cut) > 0;
    }
    return 0;
}

void lv__rctl_close(lv__rctl *c) {
    if (c->cs) munmap(c->cs, LV_CS_BYTES);
    if (c->fd >= 0) close(c->fd);
    c->cs = NULL;
    c->fd = -1;
}
