/* Scheduler mode without a window: the session's runs and cuts, and schedview's answers.
 * The rule everything rests on: the events recorded before choice point i are exactly those
 * with t < vnow_i (checked on every scenario against the tracer's own count, and against runs
 * that pick differently at i); a cut trace loads, and its schedule replays its events; picking
 * through the ticket race with 2 buyers in the fewest picks; stepping back and branching;
 * refusing a thread that cannot run, with the reason in words; schedule strings. */
#include "grow.h"
#include "predict.h"
#include "registry.h"
#include "schedview.h"
#include "session.h"
#include "support.h"

static lv_session *session_for(const char *name, const char *variant, const int64_t *params,
                               uint64_t seed, lv_policy policy) {
    const lv_scenario *sc = lv_scenario_find(name);
    ASSERT(sc);
    lv_run_desc d = {.scenario = sc,
                     .variant = variant ? lv_scenario_variant_index(sc, variant) : 0,
                     .params = params,
                     .mode = LV_MODE_CONTROLLED,
                     .seed = seed,
                     .policy = policy};
    ASSERT_GE(d.variant, 0);
    lv_session *s = NULL;
    ASSERT_EQ(lv_session_new(&d, &s), LV_OK);
    return s;
}

static void same_events(const lv_trace *a, const lv_trace *b, size_t n, const char *what) {
    ASSERT_GE(a->nevents, n);
    ASSERT_GE(b->nevents, n);
    for (size_t i = 0; i < n; i++) {
        const lv_event *x = &a->events[i], *y = &b->events[i];
        if (x->t != y->t || x->thread != y->thread || x->kind != y->kind || x->obj != y->obj ||
            x->flags != y->flags || x->seq != y->seq ||
            (x->kind != LV_EV_NOTE && x->value != y->value))
            TEST_FAIL_AT("%s: event %zu differs: t %lld/%lld thread %d/%d %s/%s", what, i,
                         (long long)x->t, (long long)y->t, x->thread, y->thread,
                         lv_event_kind_name(x->kind), lv_event_kind_name(y->kind));
        if (x->kind == LV_EV_NOTE) ASSERT_STR_EQ(lv_trace_text(a, x), lv_trace_text(b, y));
    }
}

/* Runs d (a schedule to replay) and checks that it follows the whole schedule and starts with
 * want's events; returns the run. */
static lv_trace *replay(const lv_run_desc *d, const lv_trace *want, const char *what) {
    lv_trace *re = NULL;
    long div = 0;
    ASSERT_EQ(lv_run_ex(d, &re, &div), LV_OK);
    ASSERT_EQ(div, -1); /* it never left the schedule */
    same_events(re, want, want->nevents, what);
    return re;
}

static size_t count_before(const lv_trace *tr, int64_t vnow) {
    size_t n = 0;
    for (size_t i = 0; i < tr->nevents; i++)
        n += tr->events[i].t < vnow;
    return n;
}

static int has(const int32_t *a, size_t n, int32_t v) {
    for (size_t i = 0; i < n; i++)
        if (a[i] == v) return 1;
    return 0;
}

/* One scenario run: the rule at every point, and runs that branch at a few of them. */
static void check_prefix_rule(const lv_scenario *sc, int v, uint64_t seed, lv_policy pol) {
    const char *vn = sc->variants[v].name;
    lv_session *s = session_for(sc->name, vn, NULL, seed, pol);
    ASSERT_EQ(lv_session_run(s, NULL, 0), LV_OK);
    const lv_trace *full = lv_session_full(s);
    size_t np = lv_session_npoints(s);
    ASSERT_EQ(np, full->nschedule);
    ASSERT_EQ(lv_session_frontier(s), np ? 0 : -1);
    int64_t last_vnow = -1;
    size_t last_nb = 0;
    for (size_t i = 0; i < np; i++) {
        lv_session_point p;
        ASSERT_EQ(lv_session_point_at(s, i, &p), 0);
        ASSERT_GT(p.vnow, last_vnow);
        ASSERT_GE(p.nbefore, last_nb);
        /* the tracer's count at the point is the number of events stamped before it */
        if (count_before(full, p.vnow) != p.nbefore)
            TEST_FAIL_AT("%s/%s seed %llu: point %zu at t=%lld: %zu events recorded, %zu with "
                         "t < vnow",
                         sc->name, vn, (unsigned long long)seed, i, (long long)p.vnow, p.nbefore,
                         count_before(full, p.vnow));
        ASSERT_GE(p.nenabled, 2);
        ASSERT(has(p.enabled, p.nenabled, p.picked));
        last_vnow = p.vnow;
        last_nb = p.nbefore;
    }
    size_t sample[4] = {0, np / 3, 2 * np / 3, np ? np - 1 : 0};
    for (int k = 0; k < 4 && np; k++) {
        size_t i = sample[k];
        if (k && sample[k] == sample[k - 1]) continue;
        lv_session_point p;
        ASSERT_EQ(lv_session_point_at(s, i, &p), 0);
        /* the run cut at i: exactly the events before it, its choices, and it replays */
        lv_session *c = session_for(sc->name, vn, NULL, seed, pol);
        ASSERT_EQ(lv_session_run(c, full->schedule, i), LV_OK);
        ASSERT_EQ(lv_session_frontier(c), (long)i);
        lv_trace *cut = NULL;
        ASSERT_EQ(lv_session_shown(c, 0, &cut), LV_OK);
        ASSERT_EQ(cut->nevents, p.nbefore);
        ASSERT_EQ(cut->nschedule, i);
        ASSERT_EQ(cut->outcome, LV_OUT_ABORTED);
        same_events(cut, full, p.nbefore, "cut vs whole");
        lv_run_desc d = {.scenario = sc,
                         .variant = v,
                         .mode = LV_MODE_CONTROLLED,
                         .seed = seed,
                         .schedule = cut->schedule,
                         .nschedule = cut->nschedule};
        lv_trace_free(replay(&d, cut, "replayed cut"));
        lv_trace_free(cut);
        lv_session_free(c);
        /* picking another thread at i changes nothing before it, and it runs first */
        int32_t alts[2] = {p.picked, -1};
        for (size_t e = 0; e < p.nenabled; e++)
            if (p.enabled[e] != p.picked) {
                alts[1] = p.enabled[e];
                break;
            }
        for (int a = 0; a < 2 && alts[a] >= 0; a++) {
            lv_session *b = session_for(sc->name, vn, NULL, seed, pol);
            int32_t *ch = malloc((i + 1) * sizeof *ch);
            memcpy(ch, full->schedule, i * sizeof *ch);
            ch[i] = alts[a];
            ASSERT_EQ(lv_session_run(b, ch, i + 1), LV_OK);
            ASSERT_EQ(lv_session_diverged(b), -1);
            const lv_trace *bt = lv_session_full(b);
            same_events(bt, full, p.nbefore, "another pick at the point");
            lv_session_point q;
            ASSERT_EQ(lv_session_point_at(b, i, &q), 0);
            ASSERT_EQ(q.vnow, p.vnow);
            ASSERT_EQ(q.nbefore, p.nbefore);
            ASSERT_EQ(q.nenabled, p.nenabled);
            ASSERT_EQ(memcmp(q.enabled, p.enabled, p.nenabled * sizeof *p.enabled), 0);
            ASSERT_EQ(q.picked, alts[a]);
            for (size_t e = p.nbefore; e < bt->nevents && bt->events[e].t == p.vnow; e++)
                if (bt->events[e].thread != alts[a])
                    TEST_FAIL_AT("%s/%s: after picking %d at point %zu, event %zu is thread %d's",
                                 sc->name, vn, alts[a], i, e, bt->events[e].thread);
            free(ch);
            lv_session_free(b);
        }
    }
    lv_session_free(s);
}

TEST(prefix_rule_holds_on_every_scenario) {
    static const struct {
        lv_policy p;
        uint64_t seeds;
    } pols[] = {{LV_POLICY_RANDOM, 5}, {LV_POLICY_PCT, 3}, {LV_POLICY_RR, 2}};
    for (size_t i = 0; i < lv_nscenarios; i++)
        for (int v = 0; v < lv_scenarios[i]->nvariants; v++)
            for (size_t k = 0; k < sizeof pols / sizeof pols[0]; k++)
                for (uint64_t seed = 1; seed <= pols[k].seeds; seed++)
                    check_prefix_rule(lv_scenarios[i], v, seed * 7919, pols[k].p);
}

TEST(a_cut_trace_saves_loads_and_replays) {
    char dir[] = "/tmp/lv_session_XXXXXX";
    ASSERT(mkdtemp(dir));
    for (size_t i = 0; i < lv_nscenarios; i++) {
        const lv_scenario *sc = lv_scenarios[i];
        lv_session *s = session_for(sc->name, NULL, NULL, 3, LV_POLICY_RANDOM);
        ASSERT_EQ(lv_session_run(s, NULL, 0), LV_OK);
        size_t mid = lv_session_npoints(s) / 2;
        int32_t *ch = malloc((mid + 1) * sizeof *ch);
        memcpy(ch, lv_session_full(s)->schedule, mid * sizeof *ch);
        ASSERT_EQ(lv_session_run(s, ch, mid), LV_OK);
        free(ch);
        lv_trace *cut = NULL;
        ASSERT_EQ(lv_session_shown(s, 0, &cut), LV_OK);
        ASSERT_LT(cut->nevents, lv_session_full(s)->nevents);
        char path[256], err[512];
        snprintf(path, sizeof path, "%s/%s.json", dir, sc->name);
        if (lv_trace_save(cut, path, err, sizeof err) != LV_OK) TEST_FAIL_AT("%s", err);
        lv_trace *back = NULL;
        if (lv_trace_load(path, &back, err, sizeof err) != LV_OK) TEST_FAIL_AT("%s", err);
        ASSERT_EQ(back->outcome, LV_OUT_ABORTED);
        ASSERT_EQ(back->nschedule, mid);
        same_events(back, cut, cut->nevents, "loaded cut");
        lv_finding *f = NULL;
        size_t nf = 0;
        ASSERT_EQ(lv_analyze(back, &f, &nf), LV_OK);
        ASSERT_EQ(nf, cut->nfindings); /* the stored findings are the prefix's own */
        lv_findings_free(f, nf);
        /* what lockviz run --schedule FILE does: the file's seed and parameters */
        int64_t params[LV_MAX_PARAMS];
        for (size_t k = 0; k < back->nparams; k++)
            params[lv_scenario_param_index(sc, back->params[k].name)] = back->params[k].value;
        lv_run_desc d = {.scenario = sc,
                         .variant = lv_scenario_variant_index(sc, back->variant),
                         .params = sc->nparams ? params : NULL,
                         .mode = LV_MODE_CONTROLLED,
                         .seed = back->seed,
                         .schedule = back->schedule,
                         .nschedule = back->nschedule};
        lv_trace *re = replay(&d, back, "replayed file");
        /* and the whole run too: the policy picks after the schedule, as in the session */
        same_events(re, lv_session_full(s), re->nevents, "replayed whole");
        ASSERT_EQ(re->nevents, lv_session_full(s)->nevents);
        unlink(path);
        lv_trace_free(re);
        lv_trace_free(back);
        lv_trace_free(cut);
        lv_session_free(s);
    }
    ASSERT_EQ(rmdir(dir), 0);
}

static int has_race(const lv_trace *tr) {
    return find_finding(tr, LV_FIND_RACE, "Data race on tickets") != NULL;
}

/* Breadth first over the picks: the fewest that end the ticket race with 2 buyers. */
static size_t fewest_picks_to_the_race(int32_t *best, size_t cap) {
    int64_t params[LV_MAX_PARAMS] = {2, 1};
    lv_session *s = session_for("ticket", "unlocked", params, 1, LV_POLICY_RANDOM);
    typedef struct node {
        int32_t c[32];
        size_t n;
    } node;
    size_t qcap = 4096, head = 0, tail = 0;
    node *q = calloc(qcap, sizeof *q);
    q[tail++] = (node){{0}, 0};
    size_t found = 0;
    while (head < tail && !found) {
        node nd = q[head++];
        ASSERT_EQ(lv_session_run(s, nd.c, nd.n), LV_OK);
        ASSERT_EQ(lv_session_diverged(s), -1);
        lv_trace *shown = NULL;
        ASSERT_EQ(lv_session_shown(s, 0, &shown), LV_OK);
        long f = lv_session_frontier(s);
        if (f < 0) { /* the run ended: what it shows is all of it */
            ASSERT_EQ(shown->nevents, lv_session_full(s)->nevents);
            if (has_race(shown)) {
                ASSERT_LE(nd.n, cap);
                memcpy(best, nd.c, nd.n * sizeof *best);
                found = nd.n + 1; /* +1: zero picks is a length too */
            }
        } else {
            ASSERT(!has_race(shown)); /* cut before the writes: nothing to see yet */
            lv_session_point p;
            ASSERT_EQ(lv_session_point_at(s, (size_t)f, &p), 0);
            for (size_t e = 0; e < p.nenabled && nd.n < 32; e++) {
                ASSERT_LT(tail, qcap);
                node ch = nd;
                ch.c[ch.n++] = p.enabled[e];
                q[tail++] = ch;
            }
        }
        lv_trace_free(shown);
    }
    free(q);
    lv_session_free(s);
    ASSERT(found);
    return found - 1;
}

TEST(picking_through_the_ticket_race_in_the_fewest_picks) {
    int32_t best[32];
    size_t n = fewest_picks_to_the_race(best, 32);
    /* the policy's own run takes more choices than the fewest */
    int64_t params[LV_MAX_PARAMS] = {2, 1};
    lv_session *s = session_for("ticket", "unlocked", params, 1, LV_POLICY_RANDOM);
    ASSERT_EQ(lv_session_run(s, NULL, 0), LV_OK);
    ASSERT_LE(n, lv_session_full(s)->nschedule);
    /* one pick at a time, as a person would, each from the frontier */
    for (size_t k = 0; k < n; k++) {
        ASSERT_EQ(lv_session_frontier(s), (long)k);
        lv_session_point f; /* the playhead at the last event shown: the frontier's choice */
        ASSERT_EQ(lv_session_point_at(s, k, &f), 0);
        ASSERT_EQ(lv_session_branch_point(s, 0, (long)f.nbefore - 1), (long)k);
        ASSERT_EQ(lv_session_pick(s, k, best[k]), LV_OK);
    }
    ASSERT_EQ(lv_session_frontier(s), -1);
    lv_trace *shown = NULL;
    ASSERT_EQ(lv_session_shown(s, 0, &shown), LV_OK);
    ASSERT(has_race(shown));
    ASSERT(find_finding(shown, LV_FIND_RACE, "Lost update on tickets"));
    ASSERT(find_finding(shown, LV_FIND_INVARIANT, "2 buyer(s) bought a ticket"));
    ASSERT_EQ(shown->outcome, LV_OUT_COMPLETED);
    ASSERT_EQ(shown->nschedule, n);
    ASSERT_EQ(memcmp(shown->schedule, best, n * sizeof *best), 0);
    printf("the race in %zu picks:", n);
    for (size_t k = 0; k < n; k++)
        printf(" %d", best[k]);
    printf("\n");
    lv_trace_free(shown);
    lv_session_free(s);
}

/* Every complete schedule from the choices c[0..n): how many, and how many with a race. */
static void every_schedule(lv_session *s, int32_t *c, size_t n, size_t *runs, size_t *races) {
    ASSERT_EQ(lv_session_run(s, c, n), LV_OK);
    long f = lv_session_frontier(s);
    if (f < 0) {
        const lv_trace *tr = lv_session_full(s);
        (*runs)++;
        *races += has_race(tr) && find_finding(tr, LV_FIND_RACE, "Lost update on tickets");
        return;
    }
    lv_session_point p;
    ASSERT_EQ(lv_session_point_at(s, (size_t)f, &p), 0);
    int32_t en[16];
    size_t ne = p.nenabled;
    ASSERT_LE(ne, 16);
    memcpy(en, p.enabled, ne * sizeof *en); /* the next run replaces p's array */
    ASSERT_LT(n, 64);
    for (size_t e = 0; e < ne; e++) {
        c[n] = en[e];
        every_schedule(s, c, n + 1, runs, races);
    }
}

TEST(every_schedule_of_the_ticket_race_with_2_buyers_fails) {
    /* the sleeps between reading and writing end only when nobody else can run, so no order
     * of picks lets a buyer write before the other reads: the README says so */
    int64_t params[LV_MAX_PARAMS] = {2, 1};
    lv_session *s = session_for("ticket", "unlocked", params, 1, LV_POLICY_RANDOM);
    int32_t c[64];
    size_t runs = 0, races = 0;
    every_schedule(s, c, 0, &runs, &races);
    ASSERT_GT(runs, 1000);
    ASSERT_EQ(races, runs);
    lv_session_free(s);
}

TEST(stepping_back_and_branching) {
    int32_t best[32];
    size_t n = fewest_picks_to_the_race(best, 32);
    int64_t params[LV_MAX_PARAMS] = {2, 1};
    lv_session *s = session_for("ticket", "unlocked", params, 1, LV_POLICY_RANDOM);
    ASSERT_EQ(lv_session_run(s, best, n), LV_OK);
    lv_trace *race = NULL;
    ASSERT_EQ(lv_session_shown(s, 0, &race), LV_OK);
    ASSERT(has_race(race));
    /* three events back from the end: the writes come after every choice (the sleeps end
     * only when nobody else can run), so there is nothing to choose there */
    long seq = (long)race->nevents - 1 - 3;
    ASSERT_EQ(lv_session_branch_point(s, 0, seq), -1);
    /* further back, the last choice: pick the other thread there */
    while (seq >= 0 && lv_session_branch_point(s, 0, seq) < 0)
        seq--;
    ASSERT_GE(seq, 0);
    long i = lv_session_branch_point(s, 0, seq);
    ASSERT_EQ(i, (long)n - 1);
    lv_session_point p;
    ASSERT_EQ(lv_session_point_at(s, (size_t)i, &p), 0);
    ASSERT_EQ(p.nbefore, (size_t)seq + 1);
    int32_t other = -1;
    for (size_t e = 0; e < p.nenabled; e++)
        if (p.enabled[e] != best[i]) other = p.enabled[e];
    ASSERT_GE(other, 0);
    ASSERT_EQ(lv_session_pick(s, (size_t)i, other), LV_OK);
    lv_trace *branch = NULL;
    ASSERT_EQ(lv_session_shown(s, 0, &branch), LV_OK);
    /* the prefix replayed exactly, then the other thread ran */
    same_events(branch, race, p.nbefore, "branch");
    ASSERT_GT(branch->nevents, p.nbefore);
    ASSERT_EQ(branch->events[p.nbefore].thread, other);
    ASSERT_NE(race->events[p.nbefore].thread, other);
    ASSERT_EQ(branch->nschedule >= (size_t)i + 1 ? branch->schedule[i] : -1, other);
    /* this branch does not fail: the run shown has no finding */
    ASSERT_EQ(branch->nfindings, 0);
    lv_trace_free(branch);
    lv_trace_free(race);
    lv_session_free(s);
}

TEST(the_branch_point_skips_picks_that_show_nothing) {
    /* a sleeper that wakes runs straight to its next point: the choice that made it run
     * recorded no event, so a pick at the playhead goes to the choice after it */
    int found = 0;
    for (uint64_t seed = 1; seed <= 40 && !found; seed++) {
        lv_session *s = session_for("ticket", NULL, NULL, seed, LV_POLICY_RANDOM);
        ASSERT_EQ(lv_session_run(s, NULL, 0), LV_OK);
        size_t np = lv_session_npoints(s);
        for (size_t i = 0; i + 1 < np && !found; i++) {
            lv_session_point a, b;
            lv_session_point_at(s, i, &a);
            lv_session_point_at(s, i + 1, &b);
            if (a.nbefore != b.nbefore || a.nbefore == 0) continue;
            found = 1;
            size_t last = i + 1;
            lv_session_point c;
            while (lv_session_point_at(s, last + 1, &c) == 0 && c.nbefore == a.nbefore)
                last++;
            ASSERT_EQ(lv_session_branch_point(s, 1, (long)a.nbefore - 1), (long)last);
        }
        lv_session_free(s);
    }
    ASSERT(found);
}

TEST(a_thread_that_cannot_run_is_refused_with_its_reason) {
    /* the A/B deadlock: find a choice where a thread waits for a lock another holds */
    int checked = 0;
    for (uint64_t seed = 1; seed <= 20 && checked < 3; seed++) {
        lv_session *s = session_for("deadlock", "two-locks", NULL, seed, LV_POLICY_RANDOM);
        ASSERT_EQ(lv_session_run(s, NULL, 0), LV_OK);
        const lv_trace *full = lv_session_full(s);
        lv_scene *sc = NULL;
        ASSERT_EQ(lv_scene_new(full, &sc), LV_OK);
        lv_state st;
        ASSERT_EQ(lv_state_init(&st, sc), LV_OK);
        for (size_t i = 0; i < lv_session_npoints(s) && checked < 3; i++) {
            lv_session_point p;
            lv_session_point_at(s, i, &p);
            ASSERT_EQ(lv_state_seek(&st, sc, (long)p.nbefore - 1), LV_OK);
            for (int32_t th = 0; (size_t)th < full->nthreads; th++) {
                if (has(p.enabled, p.nenabled, th) || st.tstate[th] != LV_TS_BLOCKED) continue;
                int32_t o = st.wait_obj[th];
                if (o < 0 || full->objects[o].kind != LV_OBJ_MUTEX) continue;
                /* who holds it, from the events: the last acquire not released since */
                int32_t holder = LV_NONE;
                for (size_t e = 0; e < p.nbefore; e++) {
                    const lv_event *ev = &full->events[e];
                    if (ev->obj != o) continue;
                    if (ev->kind == LV_EV_ACQUIRE) holder = ev->thread;
                    if (ev->kind == LV_EV_RELEASE) holder = LV_NONE;
                }
                ASSERT_NE(holder, LV_NONE);
                const lv_trace *before = lv_session_full(s);
                ASSERT_EQ(lv_session_pick(s, i, th), LV_EUSAGE);
                ASSERT(lv_session_full(s) == before); /* refused: nothing ran */
                char why[LV_SV_WHY], want[LV_SV_WHY];
                lv_sv_why(sc, &st, th, LV_LANG_EN, why, sizeof why);
                snprintf(want, sizeof want, "waits for Lock %s, held by %s", full->objects[o].name,
                         lv_trace_thread_name(full, holder));
                ASSERT_STR_EQ(why, want);
                lv_sv_why(sc, &st, th, LV_LANG_ZH, why, sizeof why);
                snprintf(want, sizeof want, "等待 锁 %s，它被 %s 持有", full->objects[o].name,
                         lv_trace_thread_name(full, holder));
                ASSERT_STR_EQ(why, want);
                /* schedview says the same for the choice */
                lv_schedview sv;
                lv_sv_init(&sv);
                lv_sched_point sp = {p.index, p.nbefore, p.enabled, p.nenabled};
                ASSERT_EQ(lv_sv_update(&sv, sc, (long)p.nbefore - 1, &sp, LV_LANG_EN), LV_OK);
                ASSERT(!lv_sv_can_run(&sv, th));
                ASSERT(lv_sv_can_run(&sv, p.enabled[0]));
                lv_sv_why(sc, &st, th, LV_LANG_EN, why, sizeof why);
                ASSERT_STR_EQ(sv.why[th], why);
                ASSERT_STR_EQ(sv.why[p.enabled[0]], "");
                lv_sv_free(&sv);
                checked++;
            }
        }
        lv_state_free(&st);
        lv_scene_free(sc);
        lv_session_free(s);
    }
    ASSERT_GE(checked, 1);
}

TEST(reasons_for_sleepers_joiners_and_the_finished) {
    int64_t params[LV_MAX_PARAMS] = {2, 1};
    lv_session *s = session_for("ticket", "unlocked", params, 1, LV_POLICY_RANDOM);
    ASSERT_EQ(lv_session_run(s, NULL, 0), LV_OK);
    const lv_trace *full = lv_session_full(s);
    lv_scene *sc = NULL;
    ASSERT_EQ(lv_scene_new(full, &sc), LV_OK);
    lv_state st;
    ASSERT_EQ(lv_state_init(&st, sc), LV_OK);
    int sleeper = 0, joiner = 0, finished = 0, unstarted = 0;
    char why[LV_SV_WHY], want[LV_SV_WHY], tb[48];
    for (long seq = -1; seq < (long)full->nevents; seq++) {
        ASSERT_EQ(lv_state_seek(&st, sc, seq), LV_OK);
        for (int32_t th = 0; (size_t)th < full->nthreads; th++) {
            lv_sv_why(sc, &st, th, LV_LANG_EN, why, sizeof why);
            switch (st.tstate[th]) {
            case LV_TS_SLEEPING: {
                const lv_event *e = NULL; /* its last sleep */
                for (long k = seq; k >= 0 && !e; k--)
                    if (full->events[k].thread == th) e = &full->events[k];
                ASSERT(e && e->kind == LV_EV_SLEEP);
                lv_format_ns(e->t + e->value, tb, sizeof tb);
                snprintf(want, sizeof want, "sleeps until t = %s", tb);
                ASSERT_STR_EQ(why, want);
                sleeper++;
                break;
            }
            case LV_TS_BLOCKED:
                if (st.wait_thread[th] >= 0) {
                    snprintf(want, sizeof want, "waits for %s to finish",
                             lv_trace_thread_name(full, st.wait_thread[th]));
                    ASSERT_STR_EQ(why, want);
                    joiner++;
                }
                break;
            case LV_TS_FINISHED:
                ASSERT_STR_EQ(why, "has finished");
                finished++;
                break;
            case LV_TS_NOT_STARTED:
                ASSERT_STR_EQ(why, "has not started yet");
                unstarted++;
                break;
            default:
                break;
            }
        }
    }
    ASSERT(sleeper && joiner && finished && unstarted);
    lv_state_free(&st);
    lv_scene_free(sc);
    lv_session_free(s);
}

TEST(the_column_says_why_a_thread_its_lane_calls_asleep_can_run) {
    /* every choice of the ticket race: a thread that can run while its lane says it sleeps,
     * has not started or waits carries a note saying why; a running one needs none */
    lv_session *s = session_for("ticket", "unlocked", NULL, 1, LV_POLICY_RANDOM);
    ASSERT_EQ(lv_session_run(s, NULL, 0), LV_OK);
    const lv_trace *full = lv_session_full(s);
    lv_scene *sc = NULL;
    ASSERT_EQ(lv_scene_new(full, &sc), LV_OK);
    lv_schedview sv;
    lv_sv_init(&sv);
    size_t woken = 0, started = 0, running = 0;
    for (size_t i = 0; i < lv_session_npoints(s); i++) {
        lv_session_point p;
        lv_session_point_at(s, i, &p);
        lv_sched_point sp = {p.index, p.nbefore, p.enabled, p.nenabled};
        ASSERT_EQ(lv_sv_update(&sv, sc, (long)p.nbefore - 1, &sp, LV_LANG_EN), LV_OK);
        for (size_t e = 0; e < p.nenabled; e++) {
            int32_t th = p.enabled[e];
            switch (sv.st.tstate[th]) {
            case LV_TS_SLEEPING:
                ASSERT_STR_EQ(sv.note[th], "woken: earliest sleep");
                woken++;
                break;
            case LV_TS_NOT_STARTED:
                ASSERT_STR_EQ(sv.note[th], "starts: it was spawned");
                started++;
                break;
            case LV_TS_RUNNING:
                ASSERT_STR_EQ(sv.note[th], "");
                running++;
                break;
            default:
                break;
            }
        }
        for (int32_t th = 0; (size_t)th < full->nthreads; th++)
            if (!has(p.enabled, p.nenabled, th)) ASSERT_STR_EQ(sv.note[th], "");
    }
    if (!(woken && started && running))
        TEST_FAIL_AT("woken %zu started %zu running %zu", woken, started, running);
    lv_sv_free(&sv);
    lv_scene_free(sc);
    lv_session_free(s);
}

TEST(a_pick_while_the_step_plays_goes_to_the_frontier) {
    int64_t params[LV_MAX_PARAMS] = {2, 1};
    lv_session *s = session_for("ticket", "unlocked", params, 1, LV_POLICY_RANDOM);
    const int32_t first[7] = {1, 0, 1, 2, 2, 1, 2};
    ASSERT_EQ(lv_session_run(s, first, 7), LV_OK);
    ASSERT_EQ(lv_session_pick(s, 7, 1), LV_OK); /* 1: its step plays from the old frontier */
    lv_trace *shown = NULL;
    ASSERT_EQ(lv_session_shown(s, 0, &shown), LV_OK);
    lv_session_point p7;
    ASSERT_EQ(lv_session_point_at(s, 7, &p7), 0);
    ASSERT_GT(lv_sv_step_events(shown, p7.nbefore, 1), 0); /* it shows on buyer-1's lane */
    ASSERT_EQ(lv_sv_step_events(shown, p7.nbefore, 0), 0);
    ASSERT_EQ(lv_sv_step_events(shown, shown->nevents, 1), 0);
    lv_schedview sv;
    lv_sv_init(&sv);
    sv.on = 1;
    long playhead = (long)p7.nbefore - 1; /* where the step of 1 starts playing */
    /* while it plays: the next pick goes after it, to the frontier */
    long at = lv_sv_pick_seq(&sv, shown, playhead, 1);
    ASSERT_EQ(at, (long)shown->nevents - 1);
    ASSERT_EQ(lv_session_branch_point(s, 0, at), lv_session_frontier(s));
    ASSERT_EQ(lv_session_frontier(s), 8);
    /* at rest, or in a run shown whole (Auto): the playhead's choice, a branch */
    ASSERT_EQ(lv_sv_pick_seq(&sv, shown, playhead, 0), playhead);
    ASSERT_EQ(lv_session_branch_point(s, 0, playhead), 7);
    sv.whole = 1;
    ASSERT_EQ(lv_sv_pick_seq(&sv, shown, playhead, 1), playhead);
    sv.whole = 0;
    sv.on = 0;
    ASSERT_EQ(lv_sv_pick_seq(&sv, shown, playhead, 1), playhead);
    /* the cut run says it is cut: nothing went wrong so far, not in the run */
    ASSERT_EQ(shown->nfindings, 0);
    ASSERT_EQ(shown->outcome, LV_OUT_ABORTED);
    ASSERT_EQ(lv_no_findings_words(shown), LV_T_NO_FINDINGS_CUT);
    ASSERT_CONTAINS(lv_tr(LV_LANG_EN, lv_no_findings_words(shown)), "so far");
    lv_trace_free(shown);
    ASSERT_EQ(lv_session_pick(s, 8, 2), LV_OK);
    ASSERT_EQ(lv_session_shown(s, 0, &shown), LV_OK);
    const int32_t want[9] = {1, 0, 1, 2, 2, 1, 2, 1, 2};
    ASSERT_GE(shown->nschedule, 9);
    ASSERT_EQ(memcmp(shown->schedule, want, sizeof want), 0);
    lv_trace_free(shown);
    /* a whole run with no finding says so plainly */
    lv_trace *fixed = run_variant("ticket", "locked", 1, NULL, 0);
    ASSERT_EQ(fixed->nfindings, 0);
    ASSERT_EQ(lv_no_findings_words(fixed), LV_T_NO_FINDINGS);
    lv_trace_free(fixed);
    lv_sv_free(&sv);
    lv_session_free(s);
}

TEST(schedule_strings_round_trip_and_replay) {
    int32_t ids[] = {0, 2, 10, 1, 123456};
    char buf[64];
    ASSERT_EQ(lv_schedule_format(ids, 5, buf, sizeof buf), strlen("0,2,10,1,123456"));
    ASSERT_STR_EQ(buf, "0,2,10,1,123456");
    ASSERT_EQ(lv_schedule_format(ids, 5, buf, 7), 15);
    ASSERT_STR_EQ(buf, "0,2,10"); /* whole entries only */
    ASSERT_EQ(lv_schedule_format(ids, 0, buf, sizeof buf), 0);
    ASSERT_STR_EQ(buf, "");
    int32_t *back = NULL;
    size_t n = 0;
    ASSERT_EQ(lv_schedule_parse("0,2,10,1,123456", &back, &n), 0);
    ASSERT_EQ(n, 5);
    ASSERT_EQ(memcmp(back, ids, sizeof ids), 0);
    free(back);
    static const char *const bad[] = {"",    ",",           "1,,2", "a",   "1,b", "-1",
                                      "1;2", "99999999999", "0,1,", ",0",  "+1",  " 1",
                                      "1 ",  "1.0",         "0x1",  "1, 2"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (lv_schedule_parse(bad[i], &back, &n) == 0) TEST_FAIL_AT("accepted '%s'", bad[i]);

    /* the command that replays a cut: parse it back the way lockviz run does */
    int64_t params[LV_MAX_PARAMS] = {3, 2};
    lv_session *s = session_for("ticket", "unlocked", params, 5, LV_POLICY_RANDOM);
    ASSERT_EQ(lv_session_run(s, NULL, 0), LV_OK);
    size_t k = lv_session_npoints(s) / 2;
    ASSERT_EQ(lv_session_run(s, lv_session_full(s)->schedule, k), LV_OK);
    lv_trace *cut = NULL;
    ASSERT_EQ(lv_session_shown(s, 0, &cut), LV_OK);
    size_t need = lv_schedule_command(cut, NULL, 0);
    char *cmd = malloc(need + 1);
    ASSERT_EQ(lv_schedule_command(cut, cmd, need + 1), need);
    ASSERT_EQ(strlen(cmd), need);
    ASSERT_CONTAINS(cmd, "lockviz run ticket --variant unlocked --seed 5 --set buyers=3 "
                         "--set tickets=2 --schedule ");
    char small[20];
    ASSERT_EQ(lv_schedule_command(cut, small, sizeof small), need);
    ASSERT_EQ(strlen(small), sizeof small - 1);
    ASSERT_EQ(lv_schedule_parse(strstr(cmd, "--schedule ") + 11, &back, &n), 0);
    ASSERT_EQ(n, cut->nschedule);
    ASSERT_EQ(memcmp(back, cut->schedule, n * sizeof *back), 0);
    lv_run_desc d = {.scenario = lv_scenario_find("ticket"),
                     .params = params,
                     .mode = LV_MODE_CONTROLLED,
                     .seed = 5,
                     .schedule = back,
                     .nschedule = n};
    lv_trace *re = NULL;
    ASSERT_EQ(lv_run(&d, &re), LV_OK);
    same_events(re, cut, cut->nevents, "the command's run");
    free(back);
    free(cmd);
    lv_trace_free(re);
    lv_trace_free(cut);
    lv_session_free(s);
}

TEST(a_choice_that_cannot_be_followed_is_a_divergence) {
    lv_session *s = session_for("deadlock", "two-locks", NULL, 1, LV_POLICY_RANDOM);
    ASSERT_EQ(lv_session_run(s, NULL, 0), LV_OK);
    lv_session_point p;
    ASSERT_EQ(lv_session_point_at(s, 1, &p), 0);
    int32_t bad = -1;
    for (int32_t th = 0; (size_t)th < lv_session_full(s)->nthreads && bad < 0; th++)
        if (!has(p.enabled, p.nenabled, th)) bad = th;
    ASSERT_GE(bad, 0);
    int32_t c[3] = {lv_session_full(s)->schedule[0], bad, 99};
    ASSERT_EQ(lv_session_run(s, c, 3), LV_OK);
    ASSERT_EQ(lv_session_diverged(s), 1);
    ASSERT_NE(lv_session_full(s)->schedule[1], bad); /* the policy picked there */
    ASSERT_EQ(lv_session_run(s, c, 1), LV_OK);
    ASSERT_EQ(lv_session_diverged(s), -1);
    ASSERT_EQ(lv_session_pick(s, 1, bad), LV_EUSAGE);
    ASSERT_EQ(lv_session_pick(s, 100000, 0), LV_EUSAGE);
    lv_session_free(s);
}

TEST(predict_asks_before_every_choice_and_every_read) {
    int64_t params[LV_MAX_PARAMS] = {2, 1};
    lv_session *s = session_for("ticket", "unlocked", params, 3, LV_POLICY_RANDOM);
    ASSERT_EQ(lv_session_run(s, NULL, 0), LV_OK);
    lv_trace *tr = NULL;
    ASSERT_EQ(lv_session_shown(s, 1, &tr), LV_OK);
    /* what should be asked: one "who" per group of points before the same event, one
     * "what" per read of a var */
    size_t want_who = 0, want_what = 0;
    for (size_t i = 0; i < lv_session_npoints(s); i++) {
        lv_session_point a, b;
        lv_session_point_at(s, i, &a);
        int last = lv_session_point_at(s, i + 1, &b) != 0 || b.nbefore != a.nbefore;
        want_who += last && a.nbefore < tr->nevents;
    }
    for (size_t i = 0; i < tr->nevents; i++)
        want_what += tr->events[i].kind == LV_EV_READ;
    ASSERT_GT(want_what, 0);
    lv_predict pr;
    lv_pr_init(&pr);
    pr.on = 1;
    long seq = -1;
    size_t who = 0, what = 0;
    for (int n = 0;; n++) {
        ASSERT_LT(n, 1000);
        long bp = lv_session_branch_point(s, 1, lv_pr_from(&pr, seq));
        lv_session_point p;
        lv_sched_point sp;
        if (bp >= 0) {
            lv_session_point_at(s, (size_t)bp, &p);
            sp = (lv_sched_point){p.index, p.nbefore, p.enabled, p.nenabled};
        }
        ASSERT_EQ(lv_pr_peek(&pr, tr, seq, bp >= 0 ? &sp : NULL), LV_OK);
        if (pr.q.kind == LV_PQ_NONE) break;
        ASSERT_GT(pr.q.seq, seq);
        pr.open = 1; /* the viewer stops just before the event and asks */
        int64_t right, wrong = -1;
        if (pr.q.kind == LV_PQ_THREAD) {
            ASSERT(bp >= 0);
            ASSERT_EQ(pr.q.seq, (long)p.nbefore);
            ASSERT_EQ(pr.q.answer, tr->schedule[p.index]);
            ASSERT_EQ(pr.nen, p.nenabled);
            right = pr.q.answer;
            for (size_t e = 0; e < p.nenabled; e++)
                if (p.enabled[e] != right) wrong = p.enabled[e];
            int32_t blocked = -1; /* a thread that could not run is no answer */
            for (int32_t th = 0; (size_t)th < tr->nthreads; th++)
                if (!has(p.enabled, p.nenabled, th)) blocked = th;
            if (blocked >= 0) ASSERT_EQ(lv_pr_answer(&pr, blocked), -1);
            who++;
        } else {
            const lv_event *e = &tr->events[pr.q.seq];
            ASSERT_EQ(e->kind, LV_EV_READ);
            ASSERT_EQ(pr.q.answer, e->value);
            ASSERT_EQ(pr.q.thread, e->thread);
            ASSERT_GE(pr.q.nopts, 3);
            right = -1;
            for (size_t k = 0; k < pr.q.nopts; k++) {
                if (k) ASSERT_LT(pr.q.opts[k - 1], pr.q.opts[k]);
                ASSERT_GE(pr.q.opts[k], 0); /* a count of tickets: no value below 0 offered */
                if (pr.q.opts[k] == e->value)
                    right = (int64_t)k + 1;
                else
                    wrong = (int64_t)k + 1;
            }
            ASSERT_GE(right, 1);
            ASSERT_EQ(lv_pr_answer(&pr, 0), -1);
            ASSERT_EQ(lv_pr_answer(&pr, (int64_t)pr.q.nopts + 1), -1);
            what++;
        }
        ASSERT(pr.open); /* a non-answer changes nothing */
        int asked = pr.asked, good = pr.right;
        int ok = (n % 2 == 0 || wrong < 0) ? 1 : 0;
        long qseq = pr.q.seq;
        ASSERT_EQ(lv_pr_answer(&pr, ok ? right : wrong), ok);
        ASSERT(!pr.open);
        ASSERT_EQ(pr.asked, asked + 1);
        ASSERT_EQ(pr.right, good + ok);
        ASSERT_EQ(pr.marks[pr.nmarks - 1].seq, qseq);
        ASSERT_EQ(pr.marks[pr.nmarks - 1].ok, ok);
        seq = qseq - 1; /* where the playhead waited; it plays on from there */
    }
    ASSERT_EQ(who, want_who);
    ASSERT_EQ(what, want_what);
    ASSERT_EQ((size_t)pr.asked, who + what);
    ASSERT_LT(pr.right, pr.asked);
    lv_pr_reset(&pr);
    ASSERT_EQ(pr.asked, 0);
    ASSERT_EQ(pr.nmarks, 0);
    lv_pr_free(&pr);
    lv_trace_free(tr);
    lv_session_free(s);
}

/* A read question with the values vals offered and the answer right, open. */
static void ask_read(lv_predict *pr, const int64_t *vals, size_t n, int64_t right) {
    lv_pr_reset(pr);
    pr->on = pr->open = 1;
    pr->q = (lv_pq){.kind = LV_PQ_READ, .seq = 0, .thread = 0, .obj = 0, .answer = right};
    memcpy(pr->q.opts, vals, n * sizeof *vals);
    pr->q.nopts = n;
}

TEST(predict_takes_the_value_typed_or_its_letter_never_its_place) {
    lv_predict pr;
    lv_pr_init(&pr);
    const int64_t small[] = {0, 1, 2};
    /* "tickets = 1" is the second box: typing 1 means the value 1, and is right */
    ask_read(&pr, small, 3, 1);
    ASSERT_EQ(lv_pr_digit(&pr, 1), 2);
    ASSERT_EQ(lv_pr_answer(&pr, 2), 1);
    ask_read(&pr, small, 3, 1);
    ASSERT_EQ(lv_pr_letter(&pr, 'b'), 2);
    ASSERT_EQ(lv_pr_letter(&pr, 'B'), 2);
    ASSERT_EQ(lv_pr_letter(&pr, 'a'), 1);
    ASSERT_EQ(lv_pr_letter(&pr, 'd'), 0); /* no fourth box: the key keeps its meaning */
    ASSERT_EQ(lv_pr_letter(&pr, '1'), 0);
    ASSERT_EQ(lv_pr_digit(&pr, 7), -1); /* no such value: refused, still open */
    ASSERT(pr.open);
    ASSERT_EQ(pr.asked, 0);
    ASSERT_EQ(lv_pr_answer(&pr, lv_pr_letter(&pr, 'a')), 0); /* A is 0: wrong */
    /* values of two digits: 1 waits while 10 and 12 are offered */
    const int64_t big[] = {1, 10, 12};
    ask_read(&pr, big, 3, 12);
    ASSERT_EQ(lv_pr_digit(&pr, 1), 0);
    ASSERT_EQ(lv_pr_digit(&pr, 2), 3);
    ask_read(&pr, big, 3, 12);
    ASSERT_EQ(lv_pr_digit(&pr, 1), 0);
    ASSERT_EQ(lv_pr_tick(&pr, 0.3), 0);
    ASSERT_EQ(lv_pr_tick(&pr, 0.6), 1); /* the wait is over: 1 it is */
    ASSERT_EQ(lv_pr_tick(&pr, 1.0), 0);
    ASSERT_EQ(lv_pr_digit(&pr, 1), 0);
    ASSERT_EQ(lv_pr_digit(&pr, 5), -1); /* 15 is none; nor is 5 */
    /* the boxes are lettered */
    lv_frame f = {.scale = 1, .sched_bar = {0, 600, 1280, 40}};
    f.line_h[LV_FONT_BODY] = 20;
    lv_viewport vp = {.w = 1280, .h = 720, .lang = LV_LANG_EN};
    lv_trace *tr = run_variant("ticket", "unlocked", 1, "buyers", 2);
    ask_read(&pr, small, 3, 1);
    pr.q.obj = obj_id(tr, "tickets");
    lv_pr_layout(&pr, &f, &vp, tr);
    ASSERT_STR_EQ(pr.opt_text[0], "A: 0");
    ASSERT_STR_EQ(pr.opt_text[1], "B: 1");
    ASSERT_STR_EQ(pr.opt_text[2], "C: 2");
    ASSERT_CONTAINS(pr.text_text, "Type the value");
    lv_trace_free(tr);
    /* no tickets at all: every buyer reads 0, and no value below 0 is offered */
    tr = run_variant("ticket", "unlocked", 1, "tickets", 0);
    lv_pr_reset(&pr);
    ASSERT_EQ(lv_pr_peek(&pr, tr, -1, NULL), LV_OK);
    ASSERT_EQ(pr.q.kind, LV_PQ_READ);
    ASSERT_EQ(pr.q.answer, 0);
    ASSERT_EQ(pr.q.nopts, 3);
    ASSERT_EQ(pr.q.opts[0], 0);
    ASSERT_EQ(pr.q.opts[1], 1);
    ASSERT_EQ(pr.q.opts[2], 2);
    lv_trace_free(tr);
    lv_pr_free(&pr);
}

static int boxes_meet(lv_rect a, lv_rect b) {
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

TEST(predict_marks_cover_no_note_and_no_other_mark) {
    lv_trace *tr = run_variant("ticket", "unlocked", 1, "buyers", 2);
    lv_scene *s = NULL;
    ASSERT_EQ(lv_scene_new(tr, &s), LV_OK);
    lv_predict pr;
    lv_pr_init(&pr);
    pr.on = 1;
    /* the worst case: a right and a wrong answer at every note's event and at every read */
    for (size_t i = 0; i < tr->nevents; i++) {
        const lv_event *e = &tr->events[i];
        if (e->kind != LV_EV_NOTE && e->kind != LV_EV_READ) continue;
        for (int ok = 1; ok >= 0; ok--) {
            ASSERT_EQ(lv_grow((void **)&pr.marks, &pr.capmarks, sizeof *pr.marks, pr.nmarks + 1),
                      0);
            pr.marks[pr.nmarks++] = (lv_pmark){(long)i, e->thread, (uint8_t)ok};
        }
    }
    const int sizes[][2] = {{1280, 720}, {1920, 1080}, {640, 400}};
    for (size_t z = 0; z < 3; z++) {
        lv_frame f = {0};
        lv_viewport vp = {.w = sizes[z][0],
                          .h = sizes[z][1],
                          .seq = -1,
                          .highlight = -1,
                          .hover_x = -1,
                          .hover_y = -1,
                          .predict = &pr};
        ASSERT_EQ(lv_frame_layout(&f, s, &vp), LV_OK);
        ASSERT_GT(f.nlabels, 0);
        ASSERT_GT(f.lanes[0].marks.h, 0); /* a row of its own at these sizes */
        ASSERT_EQ(lv_pr_place(&pr, &f, s), LV_OK);
        ASSERT_EQ(pr.nplaced, pr.nmarks);
        size_t oks = 0;
        for (size_t i = 0; i < pr.nplaced; i++) {
            const lv_pmark_at *a = &pr.placed[i];
            lv_rect ra = {a->x - a->r, a->y - a->r, 2 * a->r + 1, 2 * a->r + 1};
            oks += a->ok;
            for (size_t k = 0; k < f.nlabels; k++) {
                const lv_label *lb = &f.labels[k];
                lv_rect rl = {lb->x, lb->y, lb->w, f.line_h[LV_FONT_NOTE]};
                if (boxes_meet(ra, rl))
                    TEST_FAIL_AT("%dx%d: the mark of seq %ld covers the note of seq %u",
                                 sizes[z][0], sizes[z][1], a->seq, lb->seq);
            }
            for (size_t k = 0; k < i; k++) {
                const lv_pmark_at *b = &pr.placed[k];
                lv_rect rb = {b->x - b->r, b->y - b->r, 2 * b->r + 1, 2 * b->r + 1};
                if (boxes_meet(ra, rb))
                    TEST_FAIL_AT("%dx%d: the marks of seq %ld and %ld meet", sizes[z][0],
                                 sizes[z][1], a->seq, b->seq);
            }
        }
        ASSERT_EQ(oks * 2, pr.nplaced); /* every ✓ and every ✗ is there */
        lv_frame_free(&f);
    }
    /* without predict mode, no row of marks: the lanes are as before */
    lv_frame f = {0};
    lv_viewport vp = {
        .w = 1280, .h = 720, .seq = -1, .highlight = -1, .hover_x = -1, .hover_y = -1};
    ASSERT_EQ(lv_frame_layout(&f, s, &vp), LV_OK);
    ASSERT_EQ(f.lanes[0].marks.h, 0);
    lv_frame_free(&f);
    lv_pr_free(&pr);
    lv_scene_free(s);
    lv_trace_free(tr);
}

TEST(typed_numbers_pick_threads) {
    lv_schedview sv;
    lv_sv_init(&sv);
    ASSERT_EQ(lv_sv_digit(&sv, 2, 3), 2); /* ids 0..2: one key each */
    ASSERT_EQ(lv_sv_digit(&sv, 0, 3), 0);
    ASSERT_EQ(lv_sv_digit(&sv, 7, 3), 7);   /* no such thread: the caller says so */
    ASSERT_EQ(lv_sv_digit(&sv, 1, 12), -1); /* 1, or 10 and 11 */
    ASSERT_EQ(lv_sv_digit(&sv, 1, 12), 11);
    ASSERT_EQ(lv_sv_digit(&sv, 1, 12), -1);
    ASSERT_EQ(lv_sv_tick(&sv, 0.3), -1);
    ASSERT_EQ(lv_sv_tick(&sv, 0.5), 1); /* the wait is over: 1 it is */
    ASSERT_EQ(lv_sv_tick(&sv, 1.0), -1);
    ASSERT_EQ(lv_sv_digit(&sv, 5, 12), 5);
    ASSERT_EQ(lv_sv_digit(&sv, 1, 12), -1);
    ASSERT_EQ(lv_sv_digit(&sv, 7, 12), 7); /* 17 is no id: a new number */
    lv_sv_free(&sv);
}

TEST_MAIN(TEST_ENTRY(prefix_rule_holds_on_every_scenario, 600),
          TEST_ENTRY(a_cut_trace_saves_loads_and_replays, 120),
          TEST_ENTRY(picking_through_the_ticket_race_in_the_fewest_picks, 120),
          TEST_ENTRY(every_schedule_of_the_ticket_race_with_2_buyers_fails, 600),
          TEST_ENTRY(stepping_back_and_branching, 120),
          TEST_ENTRY(the_branch_point_skips_picks_that_show_nothing, 120),
          TEST_ENTRY(a_thread_that_cannot_run_is_refused_with_its_reason, 120),
          TEST_ENTRY(reasons_for_sleepers_joiners_and_the_finished, 60),
          TEST_ENTRY(schedule_strings_round_trip_and_replay, 60),
          TEST_ENTRY(a_choice_that_cannot_be_followed_is_a_divergence, 60),
          TEST_ENTRY(predict_asks_before_every_choice_and_every_read, 60),
          TEST_ENTRY(predict_takes_the_value_typed_or_its_letter_never_its_place, 30),
          TEST_ENTRY(predict_marks_cover_no_note_and_no_other_mark, 30),
          TEST_ENTRY(the_column_says_why_a_thread_its_lane_calls_asleep_can_run, 60),
          TEST_ENTRY(a_pick_while_the_step_plays_goes_to_the_frontier, 60),
          TEST_ENTRY(typed_numbers_pick_threads, 10))
