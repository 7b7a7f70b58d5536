#!/usr/bin/env bash
# lockviz record --mode controlled on the programs of tests/record: the virtual clock, the
# replay of a saved run (--schedule FILE) and of a typed schedule, seeds that choose, and the
# options' errors. The program corpus under each policy is tests/programs (run_corpus.sh).
. "$(dirname "$0")/../support/cli_lib.sh" "$1"
P=$2 # the folder of the built test programs
C="--headless --mode controlled"

# sleeps and timeouts on the virtual clock: 1000 s of the program's time in no time at all
# (really slept, the test's timeout would end it)
check clock 0 "$LV" record $C -- "$P/rec_clock"
expect_in clock_timedwait "$T/out" "timedwait: ETIMEDOUT after 600 s"
expect_in clock_sem "$T/out" "sem_timedwait: ETIMEDOUT after 601 s"
expect_in clock_mono "$T/out" "monotonic 1000 s"
expect_in clock_time "$T/out" "time 1000 s"
expect_in clock_tod "$T/out" "gettimeofday 1000 s"

# a deadlock found exactly, its run saved; the saved run replayed gives the same trace
check philo 1 "$LV" record $C --policy pct --seed 5 --out "$T/a.json" -- "$P/rec_philo" deadlock
expect_in philo_stopped "$T/out" "program: stopped by lockviz"
expect_in philo_cycle "$T/out" "[deadlock] Deadlock: philosopher-"
expect_in philo_said "$T/out" "controlled: policy pct, seed 5,"
jq -e '.mode == "controlled" and .seed == 5 and .program.policy == "pct" and
    (.schedule | length) > 0 and .outcome == "deadlocked"' "$T/a.json" >/dev/null && ok ||
    bad "philo: the trace lacks mode, seed, policy, schedule or outcome"
check replay 1 "$LV" record $C --schedule "$T/a.json" --out "$T/b.json" -- "$P/rec_philo" deadlock
cmp -s "$T/a.json" "$T/b.json" && ok || bad "replay: the trace differs: $(diff "$T/a.json" "$T/b.json" | head -4)"
# another policy after the schedule: the schedule decides every choice, so the same events
check replay_rr 1 "$LV" record $C --policy rr --schedule "$T/a.json" --out "$T/c.json" -- "$P/rec_philo" deadlock
[ "$(jq -c '[.events, .schedule]' "$T/a.json")" = "$(jq -c '[.events, .schedule]' "$T/c.json")" ] && ok ||
    bad "replay with rr: other events or schedule"

# a typed schedule is followed while it names threads that can run, then the policy goes on
check typed 0 "$LV" record $C --schedule 0,0,0,0,0 --out "$T/d.json" -- "$P/rec_philo" ordered
[ "$(jq -c '.schedule[0:5]' "$T/d.json")" = "[0,0,0,0,0]" ] && ok ||
    bad "typed: the schedule taken begins $(jq -c '.schedule[0:5]' "$T/d.json"), not [0,0,0,0,0]"
check typed_off 0 "$LV" record $C --schedule 4,4,4 -- "$P/rec_philo" ordered
expect_in typed_off_said "$T/out" "warning: the schedule named a thread that could not go on at choice 0"
# seeds choose: five seeds do not all take one schedule
for s in 1 2 3 4 5; do
    "$LV" record $C --seed $s --out "$T/s$s.json" -- "$P/rec_philo" ordered >/dev/null 2>&1
    jq -c .schedule "$T/s$s.json"
done | sort -u | wc -l | grep -qv '^1$' && ok || bad "seeds: five seeds took one schedule"

# every mutex type (normal, recursive, error-checking: lock, trylock, timedlock, relock, an
# unlock by another thread, a wait without the mutex, an unlock too many): the program prints
# glibc's codes natively, recorded live and recorded controlled, and both recordings have the
# same events, thread by thread, with the same refusals ("error": "EDEADLK" / "EPERM")
"$P/rec_mutex" >"$T/mutex.native" 2>&1 || bad "mutex: the program failed natively"
check mutex_live 1 "$LV" record --headless --out "$T/ml.json" -- "$P/rec_mutex"
grep -v '^[a-z]*: \|^ \|findings\|recorded' "$T/out" >"$T/mutex.live"
check mutex_controlled 1 "$LV" record $C --out "$T/mc.json" -- "$P/rec_mutex"
grep -v '^[a-z]*: \|^ \|findings\|recorded' "$T/out" >"$T/mutex.controlled"
expect_in mutex_native "$T/mutex.native" "errorcheck lock again: EDEADLK"
expect_in mutex_native_eperm "$T/mutex.native" "errorcheck helper unlock: EPERM"
cmp -s "$T/mutex.native" "$T/mutex.live" && ok || bad "mutex: live codes differ: $(diff "$T/mutex.native" "$T/mutex.live" | head -4)"
cmp -s "$T/mutex.native" "$T/mutex.controlled" && ok ||
    bad "mutex: controlled codes differ: $(diff "$T/mutex.native" "$T/mutex.controlled" | head -4)"
by_thread='[.events[] | [.thread, .kind, .obj, .error, (if .kind == "request" then null else .value end)]]
    | group_by(.[0]) | .[] | tostring'
jq -r "$by_thread" "$T/ml.json" >"$T/ml.ev" && jq -r "$by_thread" "$T/mc.json" >"$T/mc.ev" &&
    cmp -s "$T/ml.ev" "$T/mc.ev" && ok || bad "mutex: live and controlled events differ: $(diff "$T/ml.ev" "$T/mc.ev" | head -c 400)"
[ "$(jq '[.events[] | select(.error == "EDEADLK")] | length' "$T/mc.json")" = 2 ] && ok ||
    bad "mutex: controlled, not 2 EDEADLK refusals"
[ "$(jq '[.events[] | select(.error == "EPERM")] | length' "$T/mc.json")" = 6 ] && ok ||
    bad "mutex: controlled, not 6 EPERM refusals"

# errors: one line each, exit 2
check bad_mode 2 "$LV" record --headless --mode sometimes -- "$P/rec_philo" ordered
one_line bad_mode_line
expect_in bad_mode_why "$T/err" "--mode must be live or controlled, not 'sometimes'"
check bad_policy 2 "$LV" record $C --policy fair -- "$P/rec_philo" ordered
one_line bad_policy_line
expect_in bad_policy_why "$T/err" "--policy must be random, rr or pct, not 'fair'"
check bad_seed 2 "$LV" record $C --seed -4 -- "$P/rec_philo" ordered
one_line bad_seed_line
check seed_live 2 "$LV" record --headless --seed 3 -- "$P/rec_philo" ordered
one_line seed_live_line
expect_in seed_live_why "$T/err" "--seed belongs to a controlled recording; add --mode controlled"
check bad_list 2 "$LV" record $C --schedule 1,x,2 -- "$P/rec_philo" ordered
one_line bad_list_line
expect_in bad_list_why "$T/err" "--schedule 1,x,2: neither a trace file nor a list"
"$LV" record --headless --out "$T/live.json" -- "$P/rec_philo" ordered >/dev/null 2>&1
check live_schedule 2 "$LV" record $C --schedule "$T/live.json" -- "$P/rec_philo" ordered
one_line live_schedule_line
expect_in live_schedule_why "$T/err" "a live recording has no schedule to replay"
printf '{"format": "lockviz-trace"' >"$T/broken.json"
check broken_schedule 2 "$LV" record $C --schedule "$T/broken.json" -- "$P/rec_philo" ordered
one_line broken_schedule_line
expect_in broken_schedule_where "$T/err" "broken.json"
finish
