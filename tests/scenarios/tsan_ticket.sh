#!/usr/bin/env bash
# ThreadSanitizer and lockviz on the same live runs of the ticket scenario: TSan must report a
# data race on the ticket count for the unlocked variant and stay silent for the locked one,
# and lockviz's own analysis must agree (a finding for unlocked, none for locked).
# Usage: tsan_ticket.sh LOCKVIZ_BINARY_BUILT_WITH_TSAN
. "$(dirname "$0")/../support/cli_lib.sh" "$1"
export TSAN_OPTIONS="halt_on_error=0 exitcode=66 report_signal_unsafe=0"

# The seed's own timing (time scale 1: 0.1 s and 0.2 s between read and write): a live run
# oversells only if the buyers read before the first write, and a TSan build on a loaded
# machine can take longer than a scaled-down window to start eleven threads.
"$LV" run ticket --mode live --variant unlocked --quiet --time-scale 1 --out "$T/u.json" >"$T/u.out" 2>"$T/u.err"
rc=$?
if grep -q "WARNING: ThreadSanitizer: data race" "$T/u.err" && grep -q "lv_var_" "$T/u.err"; then
  passes=$((passes + 1))
else
  echo "FAIL: TSan did not report the race on the ticket count (exit $rc)"
  head -40 "$T/u.err"
  fails=$((fails + 1))
fi
if [ "$rc" -eq 66 ] && grep -q "\[invariant\]" "$T/u.out" && grep -q "\[race\] Data race on tickets" "$T/u.out"; then
  passes=$((passes + 1))
else
  echo "FAIL: unlocked: exit $rc (want 66: TSan's report), or lockviz's analysis of the same run found no race"
  cat "$T/u.out"
  fails=$((fails + 1))
fi

"$LV" run ticket --mode live --variant locked --quiet --time-scale 0.01 >"$T/l.out" 2>"$T/l.err"
rc=$?
if [ "$rc" -eq 0 ] && ! grep -q "ThreadSanitizer" "$T/l.err" && grep -q "findings: none" "$T/l.out"; then
  passes=$((passes + 1))
else
  echo "FAIL: locked: exit $rc; TSan or lockviz reported something"
  head -40 "$T/l.err"
  cat "$T/l.out"
  fails=$((fails + 1))
fi
finish
