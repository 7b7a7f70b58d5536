/* lockviz's side of recording a program: checks it can be recorded, runs it with the preload
 * library and the shared buffer (recshm.h), merges the threads' records by their global order
 * into trace events while it runs, watches for threads that can never go on (and then stops
 * the program), and at the end turns return addresses into call sites (sitemap.c) and runs the
 * analysis. It sees only the calls the preload wraps: no memory accesses, so no data races. */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <poll.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <semaphore.h>
#include "internal.h"
#include "lockviz/analysis.h"
#include "lockviz/record.h"
#include "pairmap.h"
#include "recmap.h"
#include "rctl.h"
#include "recshm.h"

#define ERR(...) (snprintf(errbuf, errlen, __VA_ARGS__))

/* ---- the program: found, and able to take LD_PRELOAD ---- */

static int find_on_path(const char *prog, char *out, size_t len) {
    const char *path = getenv("PATH");
    if (!path || !*path) path = "/usr/local/bin:/usr/bin:/bin";
    for (const char *p = path;;) {
        const char *e = strchr(p, ':');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        snprintf(out, len, "%.*s%s%s", (int)n, p, n ? "/" : "", prog);
        if (access(out, X_OK) == 0) return 0;
        if (!e) break;
        p = e + 1;
    }
    return -1;
}

lv_err lv_record_check(const char *prog, char *path, size_t plen, char *errbuf, size_t errlen) {
    if (strchr(prog, '/')) {
        snprintf(path, plen, "%s", prog);
    } else if (find_on_path(prog, path, plen) != 0) {
        ERR("%s: no such program on PATH", prog);
        return LV_ENOTFOUND;
    }
    struct stat st;
    if (stat(path, &st) != 0) {
        ERR("%s: %s", path, strerror(errno));
        return LV_ENOTFOUND;
    }
    if (!S_ISREG(st.st_mode)) {
        ERR("%s: not a program (not a regular file)", path);
        return LV_EUSAGE;
    }
    if (access(path, X_OK) != 0) {
        ERR("%s: not executable", path);
        return LV_EUSAGE;
    }
    if (st.st_mode & (S_ISUID | S_ISGID)) {
        ERR("%s: set-%cid, and the dynamic loader ignores LD_PRELOAD for set-uid and set-gid "
            "programs, so it cannot be recorded",
            path, st.st_mode & S_ISUID ? 'u' : 'g');
        return LV_EUSAGE;
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        ERR("%s: %s", path, strerror(errno));
        return LV_EUSAGE;
    }
    Elf64_Ehdr eh;
    ssize_t n = pread(fd, &eh, sizeof eh, 0);
    if (n < 4 || memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0) {
        close(fd);
        ERR("%s: not an ELF program (a script? record the program it runs)", path);
        return LV_EUSAGE;
    }
    if (n != (ssize_t)sizeof eh || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
        eh.e_phentsize != sizeof(Elf64_Phdr)) {
        close(fd);
        ERR("%s: not a 64-bit ELF program of this machine", path);
        return LV_EUSAGE;
    }
    int interp = 0;
    for (unsigned i = 0; i < eh.e_phnum && !interp; i++) {
        Elf64_Phdr ph;
        if (pread(fd, &ph, sizeof ph, (off_t)(eh.e_phoff + (uint64_t)i * sizeof ph)) !=
            (ssize_t)sizeof ph)
            break;
        interp = ph.p_type == PT_INTERP;
    }
    close(fd);
    if (!interp) {
        ERR("%s: statically linked (no PT_INTERP: no dynamic loader), so LD_PRELOAD cannot "
            "reach its pthread calls; build it without -static to record it",
            path);
        return LV_EUSAGE;
    }
    return LV_OK;
}

lv_err lv_record_preload_path(char *buf, size_t len, char *errbuf, size_t errlen) {
    const char *env = getenv("LOCKVIZ_PRELOAD");
    if (env && *env) {
        if (access(env, R_OK) != 0) {
            ERR("LOCKVIZ_PRELOAD=%s: %s", env, strerror(errno));
            return LV_ENOTFOUND;
        }
        snprintf(buf, len, "%s", env);
        return LV_OK;
    }
    char exe[4096];
    ssize_t k = readlink("/proc/self/exe", exe, sizeof exe - 1);
    const char *cands[4];
    char c0[4200], c1[4200];
    int nc = 0;
    if (k > 0) {
        exe[k] = 0;
        char *slash = strrchr(exe, '/');
        if (slash) *slash = 0;
        snprintf(c0, sizeof c0, "%s/liblockviz_preload.so", exe);
        snprintf(c1, sizeof c1, "%s/%s/liblockviz_preload.so", exe, LV_PRELOAD_FROM_BIN);
        cands[nc++] = c0;
        cands[nc++] = c1;
    }
    cands[nc++] = LV_PRELOAD_BUILD;
    cands[nc++] = LV_PRELOAD_INSTALL;
    for (int i = 0; i < nc; i++) {
        if (access(cands[i], R_OK) == 0) {
            if (!realpath(cands[i], buf)) snprintf(buf, len, "%s", cands[i]);
            return LV_OK;
        }
    }
    ERR("liblockviz_preload.so not found (looked next to the program, in %s and %s; "
        "LOCKVIZ_PRELOAD names it)",
        LV_PRELOAD_BUILD, LV_PRELOAD_INSTALL);
    return LV_ENOTFOUND;
}

/* ---- growing arrays ---- */
static int grow(void **p, size_t *cap, size_t need, size_t sz) {
    if (need <= *cap) return 0;
    size_t c = *cap ? *cap : 64;
    while (c < need)
        c *= 2;
    void *q = realloc(*p, c * sz);
    if (!q) return -1;
    memset((char *)q + *cap * sz, 0, (c - *cap) * sz);
    *p = q;
    *cap = c;
    return 0;
}
#define GROW(arr, cap, need) grow((void **)&(arr), &(cap), (need), sizeof *(arr))

/* ---- the decoder: records in seq order to trace events ---- */

typedef struct dthread {
    int32_t ktid;
    int started, ended;
    int32_t wobj;  /* the object of the wait in progress, LV_NONE */
    int32_t wjoin; /* the thread it joins, LV_NONE */
    int wtimed, wread;
    int32_t cond; /* the condition of the wait in progress (for its mutex) */
    uint32_t wseq;
    char *name;
} dthread;

typedef struct dobj {
    uint64_t addr;
    lv_obj_kind kind;
    uint8_t rkind; /* LV_RO_* */
    int32_t owner; /* mutex, rlock, rwlock writer */
    int64_t count; /* rlock recursion; semaphore permits */
    int32_t readers;
    int64_t pending; /* condition: wake-ups notified and not yet taken; barrier: arrivals */
    int64_t param;
    uint64_t pc; /* where it was first seen (its init, when it had one) */
    char *name;  /* a name the program gave (sem_open) */
} dobj;

typedef struct dec {
    /* the trace being built */
    lv_event *ev;
    size_t nev, capev;
    uint64_t *evpc;
    size_t capevpc;
    dthread *th;
    size_t nth, capth;
    dobj *ob;
    size_t nob, capob;
    char **texts;
    size_t ntexts, captexts;
    /* lookups */
    int32_t *pmap; /* the preload's thread id -> trace thread id + 1 */
    size_t cappmap;
    lv__pmap addr;  /* object address -> object id + 1 */
    lv__pmap pth;   /* pthread_t -> thread id + 1 */
    lv__pmap reads; /* (object, thread) -> read holds */
    int oom;
    const char *textbase;
    uint64_t textcap;
} dec;

/* a map keyed by one integer */
static int map_put(lv__pmap *m, uint64_t key, int64_t v) {
    int64_t *p = lv__pm_at(m, key, 0, 1);
    if (!p) return -1;
    *p = v;
    return 0;
}
static int64_t map_get(lv__pmap *m, uint64_t key) {
    int64_t *p = lv__pm_at(m, key, 0, 0);
    return p ? *p : 0;
}

static lv_event *emit(dec *d, int32_t thr, uint8_t kind, int32_t obj, uint64_t t, uint64_t pc) {
    if (GROW(d->ev, d->capev, d->nev + 1) || GROW(d->evpc, d->capevpc, d->nev + 1)) {
        d->oom = 1;
        return NULL;
    }
    lv_event *e = &d->ev[d->nev];
    memset(e, 0, sizeof *e);
    e->t = (int64_t)t;
    e->seq = (uint32_t)d->nev;
    e->thread = thr;
    e->obj = obj;
    e->kind = kind;
    d->evpc[d->nev] = pc;
    d->nev++;
    return e;
}

static void setv(lv_event *e, int64_t v) {
    if (!e) return;
    e->value = v;
    e->flags |= LV_EVF_VALUE;
}

static int32_t new_thread(dec *d) {
    if (GROW(d->th, d->capth, d->nth + 1)) {
        d->oom = 1;
        return LV_NONE;
    }
    dthread *t = &d->th[d->nth];
    memset(t, 0, sizeof *t);
    t->wobj = t->wjoin = t->cond = LV_NONE;
    return (int32_t)d->nth++;
}

/* the trace id of the preload's thread p (created at its first sight) */
static int32_t thread_of(dec *d, int32_t p) {
    if (p < 0) return LV_NONE;
    if (GROW(d->pmap, d->cappmap, (size_t)p + 1)) {
        d->oom = 1;
        return LV_NONE;
    }
    if (!d->pmap[p]) {
        int32_t t = new_thread(d);
        if (t == LV_NONE) return LV_NONE;
        d->pmap[p] = t + 1;
    }
    return d->pmap[p] - 1;
}

static lv_obj_kind trace_kind(uint8_t rk) {
    switch (rk) {
    case LV_RO_RECURSIVE:
        return LV_OBJ_RLOCK;
    case LV_RO_RWLOCK:
        return LV_OBJ_RWLOCK;
    case LV_RO_COND:
        return LV_OBJ_CONDITION;
    case LV_RO_SEM:
        return LV_OBJ_SEMAPHORE;
    case LV_RO_BARRIER:
        return LV_OBJ_BARRIER;
    default:
        return LV_OBJ_MUTEX;
    }
}

/* the mutexes whose calls can be refused (LV_RF_REFUSED) */
static int refusable(uint8_t rk) {
    return rk == LV_RO_MUTEX || rk == LV_RO_RECURSIVE || rk == LV_RO_ERRORCHECK;
}

static int32_t new_obj(dec *d, uint64_t addr, uint8_t rk, uint64_t pc, int64_t param) {
    if (GROW(d->ob, d->capob, d->nob + 1)) {
        d->oom = 1;
        return LV_NONE;
    }
    dobj *o = &d->ob[d->nob];
    memset(o, 0, sizeof *o);
    o->addr = addr;
    o->rkind = rk;
    o->kind = trace_kind(rk);
    o->owner = LV_NONE;
    o->param = o->kind == LV_OBJ_CONDITION ? LV_NONE : param;
    o->count = o->kind == LV_OBJ_SEMAPHORE ? param : 0;
    o->pc = pc;
    if (map_put(&d->addr, addr, (int64_t)d->nob + 1)) {
        d->oom = 1;
        return LV_NONE;
    }
    return (int32_t)d->nob++;
}

/* The object at addr, made at its first sight (a mutex from PTHREAD_MUTEX_INITIALIZER has no
 * init); an address that now holds another kind of object is a new object. */
static int32_t obj_of(dec *d, uint64_t addr, uint8_t rk, uint64_t pc) {
    int64_t id = map_get(&d->addr, addr);
    if (id > 0) {
        dobj *o = &d->ob[id - 1];
        if (o->kind == trace_kind(rk)) return (int32_t)id - 1;
    }
    return new_obj(d, addr, rk, pc, 0);
}

static int32_t thread_by_pth(dec *d, uint64_t pth) {
    int64_t v = map_get(&d->pth, pth);
    return v > 0 ? (int32_t)v - 1 : LV_NONE;
}

static int32_t add_text(dec *d, const char *s) {
    if (GROW(d->texts, d->captexts, d->ntexts + 1) || !(d->texts[d->ntexts] = strdup(s))) {
        d->oom = 1;
        return -1;
    }
    return (int32_t)d->ntexts++;
}

static void note(dec *d, int32_t thr, uint64_t t, uint64_t pc, const char *s) {
    int32_t ti = add_text(d, s);
    if (ti < 0) return;
    lv_event *e = emit(d, thr, LV_EV_NOTE, LV_NONE, t, pc);
    if (!e) return;
    e->flags |= LV_EVF_TEXT;
    e->value = ti;
}

static const char *shm_text(dec *d, int64_t off) {
    if (off < 0 || (uint64_t)off >= d->textcap) return "";
    return d->textbase + off;
}

static void wait_begin(dthread *t, int32_t obj, int timed, int read, uint32_t seq) {
    t->wobj = obj;
    t->wjoin = LV_NONE;
    t->wtimed = timed;
    t->wread = read;
    t->wseq = seq;
}

static void wait_end(dthread *t) {
    t->wobj = t->wjoin = LV_NONE;
}

static int64_t *read_slot(dec *d, int32_t o, int32_t t, int create) {
    int64_t *p = lv__pm_at(&d->reads, (uint64_t)o, (uint64_t)t, create);
    if (!p && create) d->oom = 1;
    return p;
}

/* The condition waits of thread thr in progress on c, for a notify's count. */
static int64_t cond_waiters(const dec *d, int32_t c) {
    int64_t n = 0;
    for (size_t i = 0; i < d->nth; i++)
        if (d->th[i].started && !d->th[i].ended && d->th[i].wobj == c) n++;
    return n;
}

static void acquire_obj(dec *d, lv_event *e, dobj *o, int32_t thr, int read) {
    switch (o->kind) {
    case LV_OBJ_MUTEX:
        o->owner = thr;
        break;
    case LV_OBJ_RLOCK:
        if (o->owner != thr) o->count = 0;
        o->owner = thr;
        setv(e, ++o->count);
        break;
    case LV_OBJ_RWLOCK:
        if (read) {
            int64_t *rc = read_slot(d, (int32_t)(o - d->ob), thr, 1);
            if (rc) ++*rc;
            o->readers++;
        } else {
            o->owner = thr;
        }
        break;
    case LV_OBJ_SEMAPHORE:
        if (o->count > 0) o->count--;
        setv(e, o->count);
        break;
    case LV_OBJ_CONDITION: /* a wake-up taken (or a spurious one) */
    case LV_OBJ_BARRIER:   /* one of the arrivals let through */
        if (o->pending > 0) o->pending--;
        break;
    default:
        break;
    }
}

static void decode(dec *d, int32_t pthr, const lv_rrec *r) {
    int32_t thr = thread_of(d, pthr);
    if (thr == LV_NONE) return;
    dthread *T = &d->th[thr];
    uint8_t rk = r->flags & LV_RF_KIND;
    int read = (r->flags & LV_RF_SHARED) != 0;
    lv_event *e;
    char buf[300];
    switch (r->kind) {
    case LV_EV_START:
        T->started = 1;
        T->ktid = (int32_t)r->value;
        if (map_put(&d->pth, r->obj, thr + 1)) d->oom = 1;
        emit(d, thr, LV_EV_START, LV_NONE, r->t, 0);
        break;
    case LV_EV_END:
        T->ended = 1;
        wait_end(T);
        emit(d, thr, LV_EV_END, LV_NONE, r->t, r->pc);
        break;
    case LV_EV_SPAWN: {
        int32_t child = thread_of(d, (int32_t)r->value);
        if (child == LV_NONE) return;
        T = &d->th[thr];
        setv(emit(d, thr, LV_EV_SPAWN, LV_NONE, r->t, r->pc), child);
        break;
    }
    case LV_RK_SPAWNED: {
        int32_t child = thread_of(d, (int32_t)r->value);
        if (child != LV_NONE && map_put(&d->pth, r->obj, child + 1)) d->oom = 1;
        break;
    }
    case LV_RK_NOSPAWN: {
        int32_t child = thread_of(d, (int32_t)r->value);
        if (child == LV_NONE) return;
        d->th[child].ended = 1;
        snprintf(buf, sizeof buf, "pthread_create failed: thread-%d never ran", child);
        note(d, thr, r->t, r->pc, buf);
        break;
    }
    case LV_EV_JOIN: {
        int32_t target = thread_by_pth(d, r->obj);
        if (target == LV_NONE) {
            note(d, thr, r->t, r->pc, "pthread_join of a thread lockviz did not see start");
            break;
        }
        setv(emit(d, thr, LV_EV_JOIN, LV_NONE, r->t, r->pc), target);
        T = &d->th[thr];
        wait_end(T);
        T->wjoin = target;
        T->wtimed = 0;
        T->wseq = (uint32_t)d->nev - 1;
        break;
    }
    case LV_RK_DETACH: {
        int32_t target = thread_by_pth(d, r->obj);
        if (target == LV_NONE)
            snprintf(buf, sizeof buf, "pthread_detach of a thread lockviz did not see start");
        else if (d->th[target].name)
            snprintf(buf, sizeof buf, "pthread_detach(%s)", d->th[target].name);
        else if (target == 0)
            snprintf(buf, sizeof buf, "pthread_detach(main)");
        else
            snprintf(buf, sizeof buf, "pthread_detach(thread-%d)", target);
        note(d, thr, r->t, r->pc, buf);
        break;
    }
    case LV_RK_FORK:
        snprintf(buf, sizeof buf,
                 "fork(): child process %" PRId64 " (lockviz records only this process)", r->value);
        note(d, thr, r->t, r->pc, buf);
        break;
    case LV_RK_EXIT:
        snprintf(buf, sizeof buf, "exit(%" PRId64 "): the process ends", r->value);
        note(d, thr, r->t, r->pc, buf);
        break;
    case LV_RK_NOTE:
        note(d, thr, r->t, r->pc, shm_text(d, r->value));
        break;
    case LV_RK_NAME:
        if (rk == LV_RO_NONE) {
            int32_t target = thread_by_pth(d, r->obj);
            if (target == LV_NONE) break;
            char *n = strdup(shm_text(d, r->value));
            if (!n) {
                d->oom = 1;
                break;
            }
            free(d->th[target].name);
            d->th[target].name = n;
        } else {
            int32_t o = obj_of(d, r->obj, rk, r->pc);
            if (o == LV_NONE) break;
            char *n = strdup(shm_text(d, r->value));
            if (!n) {
                d->oom = 1;
                break;
            }
            free(d->ob[o].name);
            d->ob[o].name = n;
        }
        break;
    case LV_RK_INIT:
        new_obj(d, r->obj, rk, r->pc, r->value < 0 ? 0 : r->value);
        break;
    case LV_RK_DESTROY: {
        int64_t id = map_get(&d->addr, r->obj);
        if (id <= 0 || d->ob[id - 1].kind != trace_kind(rk)) break; /* never used */
        emit(d, thr, LV_EV_DESTROY, (int32_t)id - 1, r->t, r->pc);
        map_put(&d->addr, r->obj, 0);
        break;
    }
    case LV_EV_SLEEP:
        setv(emit(d, thr, LV_EV_SLEEP, LV_NONE, r->t, r->pc), r->value);
        break;
    case LV_EV_REQUEST: {
        int32_t o = obj_of(d, r->obj, rk, r->pc);
        if (o == LV_NONE) break;
        e = emit(d, thr, LV_EV_REQUEST, o, r->t, r->pc);
        if (!e) break;
        if (read) e->flags |= LV_EVF_READ;
        if (r->flags & LV_RF_TIMED) setv(e, r->value);
        T = &d->th[thr];
        wait_begin(T, o, (r->flags & LV_RF_TIMED) != 0, read, e->seq);
        if (d->ob[o].kind == LV_OBJ_CONDITION) T->cond = o;
        if (d->ob[o].kind == LV_OBJ_BARRIER) d->ob[o].pending++;
        break;
    }
    case LV_EV_ACQUIRE: {
        int32_t o = obj_of(d, r->obj, rk, r->pc);
        if (o == LV_NONE) break;
        if (r->flags & LV_RF_REQ) {
            e = emit(d, thr, LV_EV_REQUEST, o, r->t, r->pc);
            if (!e) break;
            if (read) e->flags |= LV_EVF_READ;
            if (r->flags & LV_RF_TIMED) setv(e, r->value);
        }
        e = emit(d, thr, LV_EV_ACQUIRE, o, r->t, r->pc);
        if (!e) break;
        if (read) e->flags |= LV_EVF_READ;
        acquire_obj(d, e, &d->ob[o], thr, read);
        wait_end(&d->th[thr]);
        break;
    }
    case LV_EV_TIMEOUT: {
        int32_t o = obj_of(d, r->obj, rk, r->pc);
        if (o == LV_NONE) break;
        e = emit(d, thr, LV_EV_TIMEOUT, o, r->t, r->pc);
        if (e && read) e->flags |= LV_EVF_READ;
        if (e && (r->flags & LV_RF_REFUSED) && refusable(rk)) e->flags |= LV_EVF_REFUSED;
        if (d->ob[o].kind == LV_OBJ_CONDITION && d->ob[o].pending > 0) d->ob[o].pending--;
        if (d->ob[o].kind == LV_OBJ_BARRIER && d->ob[o].pending > 0) d->ob[o].pending--;
        wait_end(&d->th[thr]);
        break;
    }
    case LV_EV_RELEASE: {
        int32_t o = obj_of(d, r->obj, rk, r->pc);
        if (o == LV_NONE) break;
        dobj *ob = &d->ob[o];
        if (r->aux == 1 && T->cond != LV_NONE && d->ob[T->cond].param == LV_NONE)
            d->ob[T->cond].param = o; /* a condition's mutex: the one its first wait gave */
        /* a wait's own unlock of a mutex nobody holds changes nothing, and the program did not
         * write it: the wait without the mutex is the mistake, reported once, at the wait */
        if (r->aux == 1 && ob->kind == LV_OBJ_MUTEX && ob->owner == LV_NONE) break;
        e = emit(d, thr, LV_EV_RELEASE, o, r->t, r->pc);
        if (!e) break;
        if ((r->flags & LV_RF_REFUSED) && refusable(rk)) {
            e->flags |= LV_EVF_REFUSED; /* EPERM: the owner keeps it */
            break;
        }
        switch (ob->kind) {
        case LV_OBJ_MUTEX:
            ob->owner = LV_NONE;
            break;
        case LV_OBJ_RLOCK:
            if (ob->owner == thr) {
                setv(e, --ob->count);
                if (ob->count <= 0) ob->owner = LV_NONE;
            }
            break;
        case LV_OBJ_RWLOCK: {
            int64_t *rc = read_slot(d, o, thr, 0);
            if (ob->owner == thr) {
                ob->owner = LV_NONE;
            } else if (rc && *rc > 0) {
                --*rc;
                ob->readers--;
                e->flags |= LV_EVF_READ;
            } else if (ob->readers > 0) {
                e->flags |= LV_EVF_READ; /* an unlock by a thread holding nothing */
            }
            break;
        }
        case LV_OBJ_SEMAPHORE:
            setv(e, ++ob->count);
            break;
        default:
            break;
        }
        break;
    }
    case LV_EV_NOTIFY: {
        int32_t o = obj_of(d, r->obj, rk, r->pc);
        if (o == LV_NONE) break;
        int64_t n = cond_waiters(d, o);
        if (!(r->flags & LV_RF_ALL) && n > 1) n = 1;
        d->ob[o].pending += n;
        setv(emit(d, thr, LV_EV_NOTIFY, o, r->t, r->pc), n);
        break;
    }
    default:
        break;
    }
}

/* ---- reading the shared buffer: each thread's chunks in order, merged by seq ---- */

typedef struct rcur {
    lv_rchunk **chunks; /* by the chunk's index among the thread's; below copied: copies */
    size_t n, cap;
    size_t ci;
    uint32_t ri;
    size_t copied; /* chunks copied out of the buffer (and handed back to the program) */
} rcur;

typedef struct reader {
    lv_rshm *shm;
    char *base;
    uint32_t scanned; /* chunks looked at so far */
    rcur *cur;        /* by the preload's thread id */
    size_t ncur, capcur;
    uint64_t next_seq;
    uint64_t consumed;
} reader;

/* The slot at c's cursor (past any padding), or NULL when none is committed yet. */
static const lv_rslot *head(rcur *c) {
    while (c->ci < c->n) {
        lv_rchunk *k = c->chunks[c->ci];
        uint32_t n = atomic_load_explicit(&k->n, memory_order_acquire);
        if (c->ri < n) {
            if ((k->r[c->ri].pkf >> 8 & LV_RK_MASK) != LV_RK_PAD) return &k->r[c->ri];
            c->ri++;
            continue;
        }
        if (n < LV_RS_CHUNK_RECS || c->ci + 1 >= c->n) return NULL;
        if (c->ci < c->copied) { /* a copy, read to its end */
            free(k);
            c->chunks[c->ci] = NULL;
        }
        c->ci++;
        c->ri = 0;
    }
    return NULL;
}

/* The record at slot h (and its value slot) */
static void unpack(const lv_rslot *h, lv_rrec *r) {
    unsigned k = (unsigned)(h->pkf >> 8) & 0xff;
    r->seq = h->seq;
    r->t = h->t;
    r->pc = h->pkf >> 16;
    r->kind = (uint8_t)(k & LV_RK_MASK);
    r->flags = (uint8_t)h->pkf;
    r->aux = (k & LV_RK_AUX) != 0;
    if (lv_rs_has_obj(r->kind)) {
        r->obj = h->obj;
        r->value = k & LV_RK_HASVAL ? (int64_t)h[1].seq : 0;
    } else {
        r->obj = 0;
        r->value = (int64_t)h->obj;
    }
}

static lv_rchunk *chunk_at(const reader *rd, uint32_t num) {
    return (lv_rchunk *)(rd->base + rd->shm->chunk_off + (uint64_t)num * LV_RS_CHUNK_BYTES);
}

/* Finds each thread's first chunk (a fresh one, index 0: later fresh chunks and handed-back
 * ones are reached through the links), then follows every thread's links to its last chunk. */
static int discover(reader *rd) {
    uint32_t total = atomic_load_explicit(&rd->shm->next_chunk, memory_order_acquire);
    if (total > rd->shm->nchunks) total = rd->shm->nchunks;
    while (rd->scanned < total) {
        lv_rchunk *k = chunk_at(rd, rd->scanned);
        int32_t t1 = atomic_load_explicit(&k->thread1, memory_order_acquire);
        if (t1 <= 0) break; /* taken, not yet labelled: next time */
        rd->scanned++;
        if (k->index != 0) continue;
        size_t p = (size_t)t1 - 1;
        if (GROW(rd->cur, rd->capcur, p + 1)) return -1;
        if (p + 1 > rd->ncur) rd->ncur = p + 1;
        rcur *c = &rd->cur[p];
        if (c->n) continue;
        if (GROW(c->chunks, c->cap, 1)) return -1;
        c->chunks[0] = k;
        c->n = 1;
    }
    for (size_t p = 0; p < rd->ncur; p++) {
        rcur *c = &rd->cur[p];
        while (c->n) {
            uint32_t nx = atomic_load_explicit(&c->chunks[c->n - 1]->next, memory_order_acquire);
            if (!nx || nx > rd->shm->nchunks) break;
            if (GROW(c->chunks, c->cap, c->n + 1)) return -1;
            c->chunks[c->n++] = chunk_at(rd, nx - 1);
        }
    }
    return 0;
}

/* Copies out every chunk a thread has left (all its chunks but its last) and hands them back
 * to the program for reuse: the decoder reads the copies. While the program runs. */
static int hand_back(reader *rd) {
    if (discover(rd) != 0) return -1;
    lv_rshm *shm = rd->shm;
    for (size_t p = 0; p < rd->ncur; p++) {
        rcur *c = &rd->cur[p];
        while (c->n && c->copied < c->n - 1) {
            uint64_t tail = atomic_load_explicit(&shm->free_tail, memory_order_relaxed);
            uint64_t hd = atomic_load_explicit(&shm->free_head, memory_order_acquire);
            if (tail - hd >= LV_RS_FREE_CAP) return 0; /* the ring is full: later */
            lv_rchunk *k = c->chunks[c->copied];
            lv_rchunk *copy = malloc(LV_RS_CHUNK_BYTES);
            if (!copy) return -1;
            memcpy(copy, k, LV_RS_CHUNK_BYTES);
            c->chunks[c->copied++] = copy;
            atomic_store_explicit(&k->n, 0, memory_order_relaxed);
            atomic_store_explicit(&k->next, 0, memory_order_relaxed);
            uint32_t num = (uint32_t)(((char *)k - rd->base - shm->chunk_off) / LV_RS_CHUNK_BYTES);
            atomic_store_explicit(&shm->free_ring[tail % LV_RS_FREE_CAP], num,
                                  memory_order_relaxed);
            atomic_store_explicit(&shm->free_tail, tail + 1, memory_order_release);
        }
    }
    return 0;
}

/* Decodes the records committed so far, in seq order; while the program runs it stops at the
 * first seq not yet committed (final: the program is gone, and every record left is taken, in
 * order, skipping the seqs of records that never completed). Returns the records decoded. */
static uint64_t pump(reader *rd, dec *d, int final) {
    if (discover(rd) != 0) {
        d->oom = 1;
        return 0;
    }
    uint64_t before = rd->consumed;
    for (;;) {
        size_t best = SIZE_MAX;
        uint64_t bs = UINT64_MAX;
        for (size_t i = 0; i < rd->ncur; i++) {
            const lv_rslot *h = head(&rd->cur[i]);
            if (h && h->seq < bs) {
                bs = h->seq;
                best = i;
                if (bs == rd->next_seq) break;
            }
        }
        if (best == SIZE_MAX) break;
        if (!final && bs != rd->next_seq) break;
        const lv_rslot *h = head(&rd->cur[best]);
        lv_rrec rec;
        unpack(h, &rec);
        decode(d, (int32_t)best, &rec);
        rd->cur[best].ri += (h->pkf >> 8 & LV_RK_HASVAL) ? 2 : 1;
        rd->next_seq = bs + 1;
        rd->consumed++;
        if (d->oom) break;
    }
    return rd->consumed - before;
}

/* ---- the watchdog ---- */

/* The thread t waits for (a lock's owner, the joined thread), or LV_NONE. */
static int32_t waits_on(const dec *d, int32_t t) {
    const dthread *T = &d->th[t];
    if (T->wjoin != LV_NONE) return d->th[T->wjoin].ended ? LV_NONE : T->wjoin;
    if (T->wobj == LV_NONE || T->wtimed) return LV_NONE;
    const dobj *o = &d->ob[T->wobj];
    switch (o->kind) {
    case LV_OBJ_MUTEX:
    case LV_OBJ_RLOCK:
        return o->owner;
    case LV_OBJ_RWLOCK:
        if (o->owner != LV_NONE) return o->owner;
        if (!T->wread && o->readers > 0) { /* a writer waits for a reader: the one that holds */
            for (size_t i = 0; i < d->nth; i++) {
                int64_t *rc = lv__pm_at((lv__pmap *)&d->reads, (uint64_t)T->wobj, i, 0);
                if (rc && *rc > 0) return (int32_t)i;
            }
        }
        return LV_NONE;
    default:
        return LV_NONE;
    }
}

/* Whether t waits, with no timeout, for something that nothing recorded so far gives it: a
 * thread that is only slow to run after its lock was let go, its permit posted or its
 * condition notified is not blocked. */
static int blocked(const dec *d, int32_t t) {
    const dthread *T = &d->th[t];
    if (T->wjoin != LV_NONE) return !d->th[T->wjoin].ended;
    if (T->wobj == LV_NONE || T->wtimed) return 0;
    const dobj *o = &d->ob[T->wobj];
    switch (o->kind) {
    case LV_OBJ_MUTEX:
    case LV_OBJ_RLOCK:
        return o->owner != LV_NONE;
    case LV_OBJ_RWLOCK:
        return o->owner != LV_NONE || (!T->wread && o->readers > 0);
    case LV_OBJ_SEMAPHORE:
        return o->count <= 0;
    case LV_OBJ_CONDITION:
        return o->pending <= 0;
    case LV_OBJ_BARRIER:
        return o->pending < o->param;
    default:
        return 1;
    }
}

/* The owner the program's own mutex names: its kernel thread id, read from the program's
 * memory; -1 when it cannot be read. */
static int32_t mutex_owner_tid(pid_t pid, uint64_t addr) {
    pthread_mutex_t m;
    struct iovec local = {&m, sizeof m}, remote = {(void *)(uintptr_t)addr, sizeof m};
    if (process_vm_readv(pid, &local, 1, &remote, 1, 0) != (ssize_t)sizeof m) return -1;
    return m.__data.__lock ? m.__data.__owner : 0;
}

/* Whether the program can never go on: a cycle of waits through lock owners and joins, or
 * every running thread in a wait without a timeout; each mutex wait of it checked against the
 * owner the mutex itself names. */
static int stuck(const dec *d, pid_t pid) {
    size_t live = 0, nblocked = 0;
    int cycle = 0;
    for (size_t i = 0; i < d->nth; i++) {
        const dthread *T = &d->th[i];
        if (!T->started || T->ended) continue;
        live++;
        if (blocked(d, (int32_t)i)) nblocked++;
    }
    if (!nblocked) return 0;
    for (size_t i = 0; i < d->nth && !cycle; i++) {
        if (!d->th[i].started || d->th[i].ended || !blocked(d, (int32_t)i)) continue;
        int32_t t = (int32_t)i;
        for (size_t step = 0; step <= d->nth; step++) {
            t = waits_on(d, t);
            if (t == LV_NONE || !blocked(d, t)) break;
            if (t == (int32_t)i) {
                cycle = 1;
                break;
            }
        }
    }
    if (!cycle && nblocked < live) return 0;
    for (size_t i = 0; i < d->nth; i++) {
        const dthread *T = &d->th[i];
        if (!T->started || T->ended || T->wobj == LV_NONE || T->wtimed) continue;
        const dobj *o = &d->ob[T->wobj];
        if (o->kind != LV_OBJ_MUTEX && o->kind != LV_OBJ_RLOCK) continue;
        if (o->rkind == LV_RO_SPIN || o->owner == LV_NONE) continue;
        int32_t tid = mutex_owner_tid(pid, o->addr);
        if (tid > 0 && tid != d->th[o->owner].ktid) return 0; /* the trace is behind */
    }
    return 1;
}

/* ---- the trace ---- */

static void dec_free(dec *d) {
    free(d->ev);
    free(d->evpc);
    for (size_t i = 0; i < d->nth; i++)
        free(d->th[i].name);
    free(d->th);
    for (size_t i = 0; i < d->nob; i++)
        free(d->ob[i].name);
    free(d->ob);
    for (size_t i = 0; i < d->ntexts; i++)
        free(d->texts[i]);
    free(d->texts);
    free(d->pmap);
    lv__pm_free(&d->addr);
    lv__pm_free(&d->pth);
    lv__pm_free(&d->reads);
}

static size_t obj_size(uint8_t rk) {
    switch (rk) {
    case LV_RO_RWLOCK:
        return sizeof(pthread_rwlock_t);
    case LV_RO_COND:
        return sizeof(pthread_cond_t);
    case LV_RO_SEM:
        return sizeof(sem_t);
    case LV_RO_BARRIER:
        return sizeof(pthread_barrier_t);
    case LV_RO_SPIN:
        return sizeof(pthread_spinlock_t);
    default:
        return sizeof(pthread_mutex_t);
    }
}

static const char *kind_word(uint8_t rk) {
    switch (rk) {
    case LV_RO_RECURSIVE:
        return "recursive mutex";
    case LV_RO_ERRORCHECK:
        return "error-checking mutex";
    case LV_RO_RWLOCK:
        return "rwlock";
    case LV_RO_COND:
        return "condition";
    case LV_RO_SEM:
        return "semaphore";
    case LV_RO_BARRIER:
        return "barrier";
    case LV_RO_SPIN:
        return "spinlock";
    default:
        return "mutex";
    }
}

/* 1 + the site of pc (made at its first sight), 0 for pc 0; -1 when out of memory */
static int64_t site_of(lv_trace *tr, lv__pmap *sites, size_t *cap, lv__symtab *sy, uint64_t pc) {
    if (!pc) return 0;
    int64_t *slot = lv__pm_at(sites, pc, 0, 1);
    if (!slot) return -1;
    if (*slot) return *slot;
    if (GROW(tr->sites, *cap, tr->nsites + 1)) return -1;
    if (lv__symtab_site(sy, pc, &tr->sites[tr->nsites]) != 0) {
        tr->nsites++;
        return -1;
    }
    *slot = (int64_t)++tr->nsites;
    return *slot;
}

static int build(lv_trace *tr, dec *d, const lv_rshm *shm, const lv_record_desc *dd,
                 const char *path, int stopped, int status) {
    const char *b = strrchr(path, '/');
    tr->scenario = strdup(dd->name ? dd->name : b ? b + 1 : path);
    size_t vl = 1;
    for (size_t i = 1; dd->argv[i]; i++)
        vl += strlen(dd->argv[i]) + 1;
    tr->variant = calloc(vl, 1);
    tr->params = calloc(1, sizeof *tr->params);
    tr->schedule = calloc(1, sizeof *tr->schedule);
    tr->program = calloc(1, sizeof *tr->program);
    if (!tr->scenario || !tr->variant || !tr->params || !tr->schedule || !tr->program) return -1;
    for (size_t i = 1; dd->argv[i]; i++) {
        if (i > 1) strcat(tr->variant, " ");
        strcat(tr->variant, dd->argv[i]);
    }
    lv_program *pg = tr->program;
    if (!(pg->path = strdup(path)) || !(pg->args = calloc(vl, sizeof *pg->args))) return -1;
    for (size_t i = 1; dd->argv[i]; i++) {
        if (!(pg->args[pg->nargs] = strdup(dd->argv[i]))) return -1;
        pg->nargs++;
    }
    if (stopped) {
        pg->end = LV_PROG_STOPPED;
        pg->status = SIGKILL;
    } else if (WIFSIGNALED(status)) {
        pg->end = LV_PROG_SIGNALED;
        pg->status = WTERMSIG(status);
    } else {
        pg->end = LV_PROG_EXITED;
        pg->status = WEXITSTATUS(status);
    }
    tr->mode = dd->mode;
    tr->outcome = stopped                       ? LV_OUT_DEADLOCKED
                  : pg->end == LV_PROG_SIGNALED ? LV_OUT_ABORTED
                                                : LV_OUT_COMPLETED;
    tr->dropped = atomic_load(&((lv_rshm *)shm)->dropped);

    /* threads */
    if (!(tr->threads = calloc(d->nth ? d->nth : 1, sizeof *tr->threads))) return -1;
    for (size_t i = 0; i < d->nth; i++) {
        char nb[32];
        snprintf(nb, sizeof nb, i ? "thread-%zu" : "main", i);
        tr->threads[i].id = (int32_t)i;
        if (!(tr->threads[i].name = strdup(d->th[i].name ? d->th[i].name : nb))) return -1;
        tr->nthreads++;
    }

    /* sites, and the objects named from them or from debug information */
    uint32_t nm = atomic_load(&((lv_rshm *)shm)->nmods);
    lv__symtab *sy = lv__symtab_open(shm->mods, nm > LV_RS_MAX_MODS ? LV_RS_MAX_MODS : nm);
    if (!sy) return -1;
    lv__pmap sites = {0};
    size_t capsites = 0;
    int bad = 0;
    size_t extra = 0; /* conditions never waited on get a placeholder mutex */
    for (size_t i = 0; i < d->nob; i++)
        if (d->ob[i].kind == LV_OBJ_CONDITION && d->ob[i].param == LV_NONE) extra++;
    tr->objects = calloc(d->nob + extra ? d->nob + extra : 1, sizeof *tr->objects);
    if (!tr->objects) bad = 1;
    for (size_t i = 0; i < d->nob && !bad; i++) {
        dobj *o = &d->ob[i];
        lv_trace_object *to = &tr->objects[tr->nobjects];
        to->id = (int32_t)i;
        to->kind = o->kind;
        to->param = o->param;
        int64_t s = site_of(tr, &sites, &capsites, sy, o->pc);
        if (s < 0) {
            bad = 1;
            break;
        }
        to->site1 = (uint32_t)s;
        if (o->name) {
            to->name = strdup(o->name);
        } else if (!(to->name = lv__symtab_data_name(sy, o->addr, obj_size(o->rkind)))) {
            char nb[600], sb[512];
            if (s)
                snprintf(nb, sizeof nb, "%s at %s", kind_word(o->rkind),
                         lv_site_format(&tr->sites[s - 1], sb, sizeof sb));
            else
                snprintf(nb, sizeof nb, "%s %zu", kind_word(o->rkind), i);
            to->name = strdup(nb);
        }
        if (!to->name) bad = 1;
        tr->nobjects++;
    }
    for (size_t i = 0; i < d->nob && !bad; i++) {
        if (tr->objects[i].kind != LV_OBJ_CONDITION || tr->objects[i].param != LV_NONE) continue;
        lv_trace_object *to = &tr->objects[tr->nobjects];
        size_t k = strlen(tr->objects[i].name) + 8;
        if (!(to->name = malloc(k))) {
            bad = 1;
            break;
        }
        snprintf(to->name, k, "%s.mutex", tr->objects[i].name);
        to->id = (int32_t)tr->nobjects;
        to->kind = LV_OBJ_MUTEX;
        tr->objects[i].param = to->id;
        tr->nobjects++;
    }
    if (!bad && !(tr->event_site = calloc(d->nev ? d->nev : 1, sizeof *tr->event_site))) bad = 1;
    for (size_t i = 0; i < d->nev && !bad; i++) {
        int64_t s = site_of(tr, &sites, &capsites, sy, d->evpc[i]);
        if (s < 0) bad = 1;
        tr->event_site[i] = (uint32_t)(s > 0 ? s : 0);
    }
    lv__pm_free(&sites);
    lv__symtab_close(sy);
    if (bad) return -1;
    tr->events = d->ev;
    tr->nevents = d->nev;
    d->ev = NULL;
    d->nev = 0;
    tr->texts = d->texts;
    tr->ntexts = d->ntexts;
    d->texts = NULL;
    d->ntexts = 0;
    if (!tr->events && !(tr->events = calloc(1, sizeof *tr->events))) return -1;
    if (!tr->texts && !(tr->texts = calloc(1, sizeof *tr->texts))) return -1;
    lv_finding *f = NULL;
    size_t nf = 0;
    if (lv_analyze(tr, &f, &nf) != LV_OK) return -1;
    lv_trace_set_findings(tr, f, nf);
    return 0;
}

/* ---- the run ---- */

static volatile sig_atomic_t child_pid_for_term;
static void pass_term(int sig) {
    if (child_pid_for_term > 0) kill(child_pid_for_term, sig);
}

static uint64_t read_ticks(int tsc) {
#if LV__HAVE_TICKS
    if (tsc) return lv__cpu_ticks();
#endif
    (void)tsc;
    return (uint64_t)lv__mono_ns();
}

/* Makes the pages [off, off + len) of the shared buffer, zero-filled, on this process's time:
 * the kernel zero-fills a page of shared memory at its first touch, not when fallocate
 * reserves it, so they are touched here (MADV_POPULATE_WRITE on lockviz's own mapping), and the
 * recording thread that takes a chunk of them only maps pages that exist. 0, or -1 when the
 * kernel cannot make them (then the program's threads make their own, as they would anyway). */
static int make_pages(char *base, int fd, size_t off, size_t len) {
#ifdef MADV_POPULATE_WRITE
    if (madvise(base + off, len, MADV_POPULATE_WRITE) == 0) return 0;
#else
    (void)base;
#endif
    return fallocate(fd, 0, (off_t)off, (off_t)len);
}

/* A size in MiB from the environment variable name, lo to LV_RECORD_MIB: *v is left alone when
 * it is not set; -1 (errbuf says why) when it is not such a number. */
static int env_mib(const char *name, unsigned long lo, unsigned long *v, char *errbuf,
                   size_t errlen) {
    const char *s = getenv(name);
    if (!s || !*s) return 0;
    char *end;
    errno = 0;
    unsigned long n = strtoul(s, &end, 10);
    if (*end || errno || *s == '-' || n < lo || n > LV_RECORD_MIB) {
        ERR("%s=%s: must be a whole number of MiB, %lu to %d", name, s, lo, LV_RECORD_MIB);
        return -1;
    }
    *v = n;
    return 0;
}

lv_err lv_record(const lv_record_desc *dd, lv_trace **out, char *errbuf, size_t errlen) {
    *out = NULL;
    if (errlen) errbuf[0] = 0;
    if (!dd->argv || !dd->argv[0]) {
        ERR("which program?");
        return LV_EUSAGE;
    }
    char path[4096], pre[4096];
    lv_err err = lv_record_check(dd->argv[0], path, sizeof path, errbuf, errlen);
    if (err != LV_OK) return err;
    if (dd->preload) {
        snprintf(pre, sizeof pre, "%s", dd->preload);
    } else if ((err = lv_record_preload_path(pre, sizeof pre, errbuf, errlen)) != LV_OK) {
        return err;
    }
    lv__clock_init();
    int tsc = lv__use_tsc;

    /* the shared buffer: sparse, so only what is written takes memory */
    unsigned long mib = LV_RECORD_MIB;
    if (env_mib("LOCKVIZ_RECORD_MB", 1, &mib, errbuf, errlen) != 0) return LV_EUSAGE;
    size_t nchunks = (size_t)mib << 20 >> 16;
    size_t text_off = LV_RS_HEADER_BYTES;
    size_t chunk_off = text_off + LV_RS_TEXT_BYTES;
    size_t len = chunk_off + nchunks * LV_RS_CHUNK_BYTES;
    /* pages made ahead of the recording threads (here before the program starts, then while
     * it runs, on this process's time): a thread that takes a chunk then maps pages that exist
     * instead of waiting for the kernel to make and zero each one */
    size_t ahead = dd->prefault_kib > 0 ? (size_t)dd->prefault_kib << 10
                                        : (size_t)LV_RECORD_PREFAULT_MIB << 20,
           first = ahead;
    /* more made before the start: the program then never waits for pages */
    unsigned long pre_mib = ULONG_MAX;
    if (env_mib("LOCKVIZ_RECORD_PREFAULT_MB", 0, &pre_mib, errbuf, errlen) != 0) return LV_EUSAGE;
    if (pre_mib != ULONG_MAX) first = (size_t)pre_mib << 20;
    int fd = memfd_create("lockviz-record", 0);
    if (fd < 0 || ftruncate(fd, (off_t)len) != 0) {
        ERR("cannot make the shared buffer: %s", strerror(errno));
        if (fd >= 0) close(fd);
        return LV_EIO;
    }
    size_t prefault = chunk_off + first < len ? chunk_off + first : len;
    char *base = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (base == MAP_FAILED) {
        ERR("cannot map the shared buffer: %s", strerror(errno));
        close(fd);
        return LV_EIO;
    }
    int made = make_pages(base, fd, 0, prefault) == 0; /* a hint only */
    lv_rshm *shm = (lv_rshm *)base;
    shm->magic = LV_RS_MAGIC;
    shm->use_tsc = tsc;
    shm->nchunks = (uint32_t)nchunks;
    shm->text_cap = LV_RS_TEXT_BYTES;
    shm->text_off = text_off;
    shm->chunk_off = chunk_off;
    shm->made = made ? prefault : 0;
    if (!made) prefault = len; /* no more tries */

    lv__rctl ctl;
    if ((err = lv__rctl_open(dd, &ctl, errbuf, errlen)) != LV_OK) {
        munmap(base, len);
        close(fd);
        return err;
    }
    char ctlenv[32];
    snprintf(ctlenv, sizeof ctlenv, "%d", ctl.fd);

    /* LD_PRELOAD: ours first, then what the caller had */
    const char *old = getenv("LD_PRELOAD");
    size_t pl = strlen(pre) + (old ? strlen(old) + 1 : 0) + 1;
    char *ldp = malloc(pl);
    char fdenv[32];
    int ep[2] = {-1, -1};
    if (!ldp || pipe2(ep, O_CLOEXEC) != 0) {
        free(ldp);
        lv__rctl_close(&ctl);
        munmap(base, len);
        close(fd);
        ERR("out of resources starting the program");
        return LV_ENOMEM;
    }
    snprintf(ldp, pl, "%s%s%s", pre, old && *old ? ":" : "", old && *old ? old : "");
    snprintf(fdenv, sizeof fdenv, "%d", fd);

    struct sigaction ign = {.sa_handler = SIG_IGN}, term = {.sa_handler = pass_term}, oint, oquit,
                     oterm;
    sigemptyset(&ign.sa_mask);
    sigemptyset(&term.sa_mask);
    sigaction(SIGINT, &ign, &oint);
    sigaction(SIGQUIT, &ign, &oquit);
    uint64_t tick0 = read_ticks(tsc);
    int64_t mono0 = lv__mono_ns();
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid == 0) {
        sigaction(SIGINT, &oint, NULL);
        sigaction(SIGQUIT, &oquit, NULL);
        shm->pid = getpid();
        setenv("LD_PRELOAD", ldp, 1);
        setenv(LV_RS_ENV_FD, fdenv, 1);
        if (ctl.fd >= 0) setenv(LV_CS_ENV_FD, ctlenv, 1);
        if (dd->quiet) {
            int nul = open("/dev/null", O_RDWR);
            if (nul >= 0) {
                dup2(nul, 0);
                dup2(nul, 1);
                dup2(nul, 2);
                if (nul > 2) close(nul);
            }
        }
        execv(path, dd->argv);
        int e = errno;
        if (write(ep[1], &e, sizeof e) < 0) _exit(127);
        _exit(127);
    }
    free(ldp);
    close(ep[1]);
    if (pid < 0) {
        close(ep[0]);
        sigaction(SIGINT, &oint, NULL);
        sigaction(SIGQUIT, &oquit, NULL);
        lv__rctl_close(&ctl);
        munmap(base, len);
        close(fd);
        ERR("cannot start %s: %s", path, strerror(errno));
        return LV_EIO;
    }
    child_pid_for_term = pid;
    sigaction(SIGTERM, &term, &oterm);
    int eno = 0;
    ssize_t got = read(ep[0], &eno, sizeof eno);
    close(ep[0]);

    dec d = {.textbase = base + text_off, .textcap = LV_RS_TEXT_BYTES};
    reader rd = {.shm = shm, .base = base};
    int status = 0, stopped = 0, strikes = 0;
    int watch = dd->watch_ms > 0 ? dd->watch_ms : 100;
    int64_t last_check = lv__mono_ns();
    long napns = 100000;
#ifdef SYS_pidfd_open
    int pidfd = (int)syscall(SYS_pidfd_open, pid, 0); /* readable when the program ends */
#else
    int pidfd = -1;
#endif
    uint64_t last_seq = UINT64_MAX;
    for (;;) {
        pid_t w = waitpid(pid, &status, WNOHANG);
        if (w == pid) break;
        if (w < 0 && errno != EINTR) break;
        size_t used = chunk_off + (size_t)atomic_load(&shm->next_chunk) * LV_RS_CHUNK_BYTES;
        if (used + ahead / 2 > prefault && prefault < len) {
            size_t more = prefault + ahead < len ? ahead : len - prefault;
            if (make_pages(base, fd, prefault, more) != 0) more = len - prefault;
            prefault += more;
        }
        if (hand_back(&rd) != 0) {
            d.oom = 1;
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            break;
        }
        if (lv__rctl_stopped(&ctl)) { /* the scheduler found that nothing can go on */
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            stopped = 1;
            break;
        }
        int64_t now = lv__mono_ns();
        if (ctl.cs) {
            /* controlled: the scheduler decides exactly; no watchdog */
        } else if (now - last_check >= (int64_t)watch * 1000000) {
            last_check = now;
            /* The records are decoded when the program has been quiet for a look (nothing
             * recorded since the last one), not while it records: a thread that goes on
             * recording is not stuck, and decoding beside it would take the CPU and the
             * cache lines it records with. Stopped after two quiet looks in a row with the
             * same verdict. */
            uint64_t seq = atomic_load_explicit(&shm->seq, memory_order_acquire);
            if (seq == last_seq) {
                pump(&rd, &d, 0);
                if (d.oom) {
                    kill(pid, SIGKILL);
                    waitpid(pid, &status, 0);
                    break;
                }
                /* a thread whose records were dropped may run unseen: no verdict then */
                if (rd.consumed == seq && !atomic_load(&shm->dropped) && stuck(&d, pid)) {
                    if (++strikes >= 2) {
                        kill(pid, SIGKILL);
                        waitpid(pid, &status, 0);
                        stopped = 1;
                        break;
                    }
                } else {
                    strikes = 0;
                }
            } else {
                strikes = 0;
            }
            last_seq = seq;
        }
        /* a nap, cut short by the program's end where the kernel tells it (a short program,
         * as explore runs many, is then seen ending at once) */
        struct pollfd pf = {.fd = pidfd, .events = POLLIN};
        if (pidfd < 0 || poll(&pf, 1, 5) < 0) {
            struct timespec nap = {0, napns};
            nanosleep(&nap, NULL);
            if (napns < 5000000) napns *= 2;
        }
    }
    if (pidfd >= 0) close(pidfd);
    child_pid_for_term = 0;
    sigaction(SIGTERM, &oterm, NULL);
    sigaction(SIGINT, &oint, NULL);
    sigaction(SIGQUIT, &oquit, NULL);
    if (got == (ssize_t)sizeof eno) {
        ERR("cannot run %s: %s", path, strerror(eno));
        err = LV_EUSAGE;
        goto fail;
    }
    if (!d.oom) pump(&rd, &d, 1);
    if (d.oom) {
        ERR("out of memory decoding the program's events");
        err = LV_ENOMEM;
        goto fail;
    }
    if (ctl.cs && atomic_load(&ctl.cs->state) == LV_CS_TOO_MANY_THREADS) {
        ERR("%s has more threads (1024) or synchronization objects (16384) than a controlled "
            "run can follow",
            path);
        err = LV_EUNSUPPORTED;
        goto fail;
    }
    /* controlled: the times are the virtual clock's ns already */
    uint64_t tick1 = 1;
    int64_t mono1 = 1;
    if (ctl.cs) {
        tick0 = 0;
        mono0 = 0;
    } else
        do {
            tick1 = read_ticks(tsc);
            mono1 = lv__mono_ns();
        } while (mono1 - mono0 < 20000000);
    double scale = tick1 > tick0 ? (double)(mono1 - mono0) / (double)(tick1 - tick0) : 1.0;
    int64_t last = 0;
    for (size_t i = 0; i < d.nev; i++) {
        uint64_t raw = (uint64_t)d.ev[i].t;
        int64_t t = raw > tick0 ? (int64_t)((double)(raw - tick0) * scale) : 0;
        if (t < last) t = last;
        d.ev[i].t = last = t;
    }

    lv_trace *tr = calloc(1, sizeof *tr);
    if (!tr || build(tr, &d, shm, dd, path, stopped, status) != 0 ||
        lv__rctl_finish(&ctl, dd, tr) != 0) {
        lv_trace_free(tr);
        err = LV_ENOMEM;
        ERR("out of memory building the trace");
        goto fail;
    }
    *out = tr;
    err = LV_OK;
fail:
    lv__rctl_close(&ctl);
    dec_free(&d);
    for (size_t i = 0; i < rd.ncur; i++) {
        for (size_t j = 0; j < rd.cur[i].copied; j++)
            free(rd.cur[i].chunks[j]);
        free(rd.cur[i].chunks);
    }
    free(rd.cur);
    munmap(base, len);
    close(fd);
    return err;
}
