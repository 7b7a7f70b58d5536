#!/usr/bin/env bash
# lockviz run --scheduler on the command line: what it refuses (one line, exit 2), what it does
# without a display, and the schedule lists it starts after. Controlled runs only.
# Usage: sched_cli.sh LOCKVIZ_BINARY
. "$(dirname "$0")/../support/cli_lib.sh" "$1"

check sched-headless 2 "$LV" run ticket --scheduler --headless
one_line sched-headless
expect_in sched-headless "$T/err" "--scheduler opens the window; it cannot go with --headless"
check sched-live 2 "$LV" run ticket --scheduler --mode live
one_line sched-live
expect_in sched-live "$T/err" "cannot go with --mode live"
check sched-compare 2 "$LV" run ticket --scheduler --compare locked
one_line sched-compare
expect_in sched-compare "$T/err" "--scheduler and --compare"
check sched-main-help 0 "$LV" --help
expect_in sched-main-help "$T/out" "--scheduler"
check sched-no-display 1 "$LV" run ticket --set buyers=2 --scheduler --schedule 1,1 --quiet
expect_in sched-no-display "$T/err" "--scheduler: no display"
expect_in sched-no-display "$T/out" "ticket/unlocked, controlled mode, seed 1"
check sched-bad-list 2 "$LV" run ticket --scheduler --schedule 1,,2
one_line sched-bad-list
expect_in sched-bad-list "$T/err" "a list is thread ids separated by commas"
check sched-help 0 "$LV" run --help
expect_in sched-help "$T/out" "--scheduler"
expect_in sched-help "$T/out" "Ctrl+C"
# the command the window copies replays: every parameter spelled out
check sched-command 1 "$LV" run ticket --variant unlocked --seed 1 --set buyers=2 --set tickets=1 --schedule 1,1,1,1,0 --quiet --out "$T/a.json"
check sched-command-again 1 "$LV" run ticket --schedule "$T/a.json" --quiet --out "$T/b.json"
check sched-command-same 0 cmp "$T/a.json" "$T/b.json"
finish
