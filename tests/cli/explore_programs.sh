#!/usr/bin/env bash
# lockviz explore -- PROGRAM: schedules of recorded programs searched, the failing run saved
# and replayed byte for byte by lockviz record --schedule; correct programs come out clean;
# the options' errors. Usage: explore_programs.sh LOCKVIZ RECDIR PROGDIR (the built programs of
# tests/record and of tests/programs).
. "$(dirname "$0")/../support/cli_lib.sh" "$1"
R=$2 # tests/record's programs
P=$3 # the corpus
X="explore --quiet"

# found: explore NAME PROGRAM ARGS...: a failing run found, saved; the saved run replayed by
# lockviz record gives the same trace, byte for byte
found() {
    local name=$1
    shift
    check "$name" 1 "$LV" $X --strategy "${STRATEGY:-dfs}" --runs 100 --preemptions 2 \
        --out "$T/$name.json" -- "$@" || return
    expect_in "${name}_found" "$T/out" "failing schedule found at run"
    expect_in "${name}_replay" "$T/out" "(replay: lockviz record --mode controlled --schedule $T/$name.json -- $*)"
    cp "$T/out" "$T/$name.out"
    "$LV" record --headless --mode controlled --schedule "$T/$name.json" --out "$T/$name.again.json" \
        -- "$@" >/dev/null 2>&1
    cmp -s "$T/$name.json" "$T/$name.again.json" && ok ||
        bad "$name: the replay differs: $(diff "$T/$name.json" "$T/$name.again.json" | head -4 | tr '\n' ' ')"
}

# the corpus's bugs within 100 dfs runs at 2 preemptions: each is the failure it should be
found philo "$P/philo_deadlock"
jq -e '.outcome == "deadlocked" and .program.policy == "dfs" and
    ([.findings[] | select(.kind == "deadlock")] | length) == 1' "$T/philo.json" >/dev/null && ok ||
    bad "philo: not a deadlocked dfs run with one deadlock"
found bbuf "$P/bbuf_if"
jq -e '.outcome == "completed" and .program.status == 1' "$T/bbuf.json" >/dev/null && ok ||
    bad "bbuf: the failing run is not the program's own check failing (status 1)"
found bank "$P/bank_abba"
jq -e '.outcome == "deadlocked"' "$T/bank.json" >/dev/null && ok || bad "bank: not deadlocked"

# a deadlock that needs a preemption between two locks: not the first run, and a lock-order
# inversion alone (every run has it) did not stop the search
found abba "$R/rec_abba" abba
grep -q "failing schedule found at run 1 " "$T/abba.out" && bad "abba: found at the first run, with no search"
jq -e '.outcome == "deadlocked"' "$T/abba.json" >/dev/null && ok || bad "abba: not deadlocked"
STRATEGY=pct found abba_pct "$R/rec_abba" abba
STRATEGY=random found abba_random "$R/rec_abba" abba

# correct programs: a small one exhausts its schedules; the corpus's are too long to
# exhaust at 2 preemptions in a test's time, so 100 runs of each find nothing
check ordered 0 "$LV" $X --preemptions 1 -- "$R/rec_abba" ordered
expect_in ordered_exhausted "$T/out" "no failing schedule: dfs ran every schedule with at most 1 preemption"
runs=$(sed -n 's/.*: \([0-9]*\) runs explored with dfs.*/\1/p' "$T/out")
[ "${runs:-0}" -gt 1 ] && ok || bad "ordered: ${runs:-no} runs"
for p in philo_ordered bank_ordered; do
    check "$p" 0 "$LV" $X --runs 100 --preemptions 2 -- "$P/$p"
    expect_in "${p}_clean" "$T/out" "no failing schedule found in 100 runs"
done

# errors: one line each, exit 2
check no_program 2 "$LV" $X --
one_line no_program_line
expect_in no_program_why "$T/err" "which program?"
check both 2 "$LV" $X ab -- "$R/rec_abba"
one_line both_line
expect_in both_why "$T/err" "a scenario ('ab') or a program after --, not both"
check variant 2 "$LV" $X --variant fixed -- "$R/rec_abba"
one_line variant_line
expect_in variant_why "$T/err" "--variant belongs to a scenario, not a program"
check missing 2 "$LV" $X -- "$T/no-such-program"
one_line missing_line
expect_in missing_where "$T/err" "no-such-program"
"$LV" explore --help >"$T/out"
expect_in help "$T/out" "lockviz explore [options] -- PROGRAM [ARGS...]"
finish
