#!/usr/bin/env bash
# The corpus runner can fail: run_corpus.sh, given a header that lies about its program or is
# malformed, must say what is wrong and exit non-zero. Each header is a copy of a real one with
# a line changed (read through LV_PROGRAM_SRC); the programs are the real ones, recorded once.
# Usage: runner_selftest.sh LOCKVIZ BINDIR
. "$(dirname "$0")/../support/cli_lib.sh" "$1"
BIN=$2
HERE=$(cd "$(dirname "$0")" && pwd)

# lie NAME PROGRAM SED-SCRIPT WANT...: PROGRAM.c's header edited must fail with each WANT line
lie() {
    local name=$1 p=$2 edit=$3 w
    shift 3
    mkdir -p "$T/$name"
    sed "$edit" "$HERE/$p.c" >"$T/$name/$p.c"
    cmp -s "$HERE/$p.c" "$T/$name/$p.c" && bad "$name: the edit changed nothing"
    check "$name" 1 env LV_PROGRAM_SRC="$T/$name" LV_PROGRAM_RUNS=1 "$HERE/run_corpus.sh" "$LV" "$BIN" "$p"
    for w in "$@"; do expect_in "$name" "$T/out" "$w"; done
}

lie inversion philo_ordered 's|^// expect-not: deadlock lock_order|// expect: lock_order\n// expect-not: deadlock|' \
    "FAIL philo_ordered run 1: no lock_order finding"
lie no-deadlock philo_deadlock 's|^// expect: deadlock lock_order|// expect: lock_order|; s|^// expect-not: misuse|// expect-not: deadlock misuse|' \
    "FAIL philo_deadlock run 1: a deadlock finding"
lie exit bbuf_if 's|^// exit: 1|// exit: 0|' \
    "FAIL bbuf_if natively: exit 1, want 0" \
    "FAIL bbuf_if run 1: the trace says the program's exit was '1', want '0'"
lie hangs philo_ordered 's|^// exit: 0|// exit: stopped|' \
    "FAIL philo_ordered natively: exit 0, want a hang"
lie outcome self_relock 's|^// outcome: deadlocked|// outcome: completed|' \
    "FAIL self_relock run 1: outcome deadlocked, want completed"
unlock=$(grep -n '^    pthread_mutex_unlock(&to->lock);' "$HERE/bank_abba.c" | cut -d: -f1)
lie line bank_abba 's|^// says: lock_order @from @to|// says: lock_order @from @unlock|; s|^    pthread_mutex_unlock(&to->lock);|& // @unlock|' \
    "FAIL bank_abba run 1: no lock_order finding says 'bank_abba.c:$unlock'"
lie stdout crash_abort 's|^// stdout: atm-1 withdrew 80|// stdout: atm-2 withdrew 80|' \
    "FAIL crash_abort natively: 'atm-2 withdrew 80' not in n.out" \
    "FAIL crash_abort run 1: 'atm-2 withdrew 80' not in r.out"
lie absent fork_child 's|^// absent: child-worker|// absent: "main"|' \
    "FAIL fork_child run 1: the trace holds '\"main\"'"
lie key philo_ordered 's|^// runs: 6|// rusn: 6|' "philo_ordered.c: unknown header key 'rusn'"
lie twice philo_ordered 's|^// expect-not: deadlock|// maybe: deadlock\n&|' \
    "philo_ordered.c: 'deadlock' must be in exactly one of expect, expect-not, maybe"
lie race philo_ordered 's|^// expect-not: \(.*\) race|// expect: race\n// expect-not: \1|' \
    "philo_ordered.c: race must be expect-not"
lie count self_relock 's|^// count: misuse 1|// count: misuse 2|' \
    "FAIL self_relock run 1: 1 misuse findings, want 2"
lie says-not unlock_wrong_thread 's|^// count: misuse 1|&\n// says-not: misuse which main holds|' \
    "FAIL unlock_wrong_thread run 1: a misuse finding says 'which main holds'"
lie known-fixed philo_deadlock 's|^// count: deadlock 1|// known: count: deadlock 1|' \
    "FAIL philo_deadlock: 'count: deadlock 1' held on every run"
lie known-key philo_deadlock 's|^// count: deadlock 1|// known: outcome: completed|' \
    "philo_deadlock.c: 'outcome: completed': want says, says-not or count"
# controlled runs are compared with each other: two seeds' runs must differ
check differ 1 env LV_PROGRAM_RUNS=2 LV_RECORD_ARGS="--mode controlled --seed {run}" \
    "$HERE/run_corpus.sh" "$LV" "$BIN" philo_ordered
expect_in differ "$T/out" "FAIL philo_ordered: controlled runs 1 and 2 differ"
# and the true headers pass
check truth 0 env LV_PROGRAM_RUNS=1 "$HERE/run_corpus.sh" "$LV" "$BIN" philo_ordered bbuf_if
finish
