#!/usr/bin/env bash
# `lockviz run --compare`: the exit status counts both runs, the second run's files are
# written beside the first's and replay it, the side-by-side picture is a 1280x720 PNG, and
# a bad --compare (no such variant, the variant being run, a live run) is one line, exit 2.
# Usage: compare_cli.sh LOCKVIZ_BINARY
. "$(dirname "$0")/../support/cli_lib.sh" "$1"

png_size() { # width x height from the IHDR chunk
  local hex
  hex=$(head -c 24 "$1" | od -An -tx1 -j16 | tr -d ' \n')
  echo "$((16#${hex:0:8}))x$((16#${hex:8:8}))"
}
no() { # no NAME FILE TEXT: TEXT must not be in FILE
  if grep -qF -- "$3" "$2"; then
    echo "FAIL $1: '$3' in $(basename "$2")"
    fails=$((fails + 1))
  else
    passes=$((passes + 1))
  fi
}

# the issue's command: the race beside its fix, headless, to one picture
check side 1 "$LV" run ticket --variant unlocked --compare locked --headless --png "$T/side.png" \
  --out "$T/s.json" --chrome "$T/s-chrome.json"
expect_in side "$T/out" "ticket/unlocked, controlled mode, seed 1: completed"
expect_in side "$T/out" "side by side with locked: the same seed, and unlocked's"
expect_in side "$T/out" "ticket/locked, controlled mode, seed 1: completed"
expect_in side "$T/out" "findings: none"
expect_in side "$T/out" "same choices: locked picked the same thread as unlocked at the first"
expect_in side "$T/out" "picture: $T/side.png (side by side)"
expect_in side "$T/out" "trace: $T/s-locked.json"
expect_in side "$T/out" "chrome trace: $T/s-locked-chrome.json"
[ "$(png_size "$T/side.png")" = "1280x720" ] && passes=$((passes + 1)) ||
  { echo "FAIL side: side.png is $(png_size "$T/side.png")"; fails=$((fails + 1)); }
for f in s.json s-locked.json s-chrome.json s-locked-chrome.json; do
  [ -s "$T/$f" ] && passes=$((passes + 1)) || { echo "FAIL side: $f missing"; fails=$((fails + 1)); }
done
expect_in side-trace "$T/s.json" '"variant": "unlocked"'
expect_in side-trace "$T/s-locked.json" '"variant": "locked"'
expect_in side-trace "$T/s-locked.json" '"seed": 1,'
expect_in side-chrome "$T/s-locked-chrome.json" '"traceEvents"'
# each file is a whole run: the checks agree, and the second run's file replays to its bytes
check side-check-a 1 "$LV" check "$T/s.json"
check side-check-b 0 "$LV" check "$T/s-locked.json"
check side-replay 0 "$LV" run ticket --schedule "$T/s-locked.json" --out "$T/r.json" --quiet
check side-replay-same 0 cmp "$T/s-locked.json" "$T/r.json"
# the first run is the run it would be without --compare
check side-alone 1 "$LV" run ticket --variant unlocked --out "$T/alone.json" --quiet
check side-alone-same 0 cmp "$T/s.json" "$T/alone.json"

# the exit status: 1 when either run found something, 0 when neither did
check fix-first 1 "$LV" run ticket --variant locked --compare unlocked --quiet
expect_in fix-first "$T/out" "findings: 4"
check both-fixed 0 "$LV" run deadlock --variant ordered --compare timeout --quiet
expect_in both-fixed "$T/out" "side by side with timeout"
no both-fixed "$T/out" "[deadlock]"
check deadlock-side 1 "$LV" run deadlock --compare ordered --quiet --seed 4
expect_in deadlock-side "$T/out" "deadlock/two-locks, controlled mode, seed 4: deadlocked"
expect_in deadlock-side "$T/out" "deadlock/ordered, controlled mode, seed 4: completed"
# a typed schedule drives the first run; the second replays what the first recorded
check typed 1 "$LV" run ticket --set buyers=2 --schedule 1,2,2,1 --compare locked
expect_in typed "$T/out" "schedule ("
expect_in typed "$T/out" "ticket/locked, controlled mode, seed 1"
# names for the second run's files: before .json, before another extension, or at the end
check names 1 "$LV" run ticket --set buyers=2 --compare locked --quiet --out "$T/x.trace" \
  --chrome "$T/noext"
for f in x.trace x-locked.trace noext noext-locked; do
  [ -s "$T/$f" ] && passes=$((passes + 1)) || { echo "FAIL names: $f missing"; fails=$((fails + 1)); }
done

# mistakes: one line naming the choices, exit 2, nothing run
check bad-variant 2 "$LV" run ticket --compare nope --headless
expect_in bad-variant "$T/err" "lockviz run: --compare nope: ticket has no variant 'nope'; it has: unlocked locked"
one_line bad-variant
[ -s "$T/out" ] && { echo "FAIL bad-variant: it ran"; fails=$((fails + 1)); } || passes=$((passes + 1))
check same-variant 2 "$LV" run deadlock --variant ordered --compare ordered
expect_in same-variant "$T/err" "--compare ordered: that is the variant being run; compare it with: two-locks timeout"
one_line same-variant
check same-default 2 "$LV" run ticket --compare unlocked
expect_in same-default "$T/err" "compare it with: locked"
check live 2 "$LV" run ticket --mode live --compare locked
expect_in live "$T/err" "--compare replays the first run's schedule"
one_line live
check no-value 2 "$LV" run ticket --compare
one_line no-value
check bad-png 2 "$LV" run ticket --set buyers=2 --compare locked --png "$T/no/such/dir/p.png" --quiet
expect_in bad-png "$T/err" "$T/no/such/dir/p.png"
one_line bad-png
check help 0 "$LV" run --help
expect_in help "$T/out" "--compare W"
finish
