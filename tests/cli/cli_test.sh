#!/usr/bin/env bash
# The lockviz program end to end: exit codes, files written, messages for bad input.
# Usage: cli_test.sh LOCKVIZ_BINARY
. "$(dirname "$0")/../support/cli_lib.sh" "$1"

# the Done-when of the engine skeleton
check unlocked-run 1 "$LV" run ticket --variant unlocked --mode live --headless --out "$T/t.json" --time-scale 0.2
expect_in unlocked-run "$T/out" "[invariant]"
expect_in unlocked-trace "$T/t.json" '"kind": "invariant"'
expect_in unlocked-trace "$T/t.json" '"format": "lockviz-trace"'
check locked-run 0 "$LV" run ticket --variant locked --mode live --headless --out "$T/l.json" --time-scale 0.01
expect_in locked-run "$T/out" "findings: none"
check check-unlocked 1 "$LV" check "$T/t.json"
expect_in check-unlocked "$T/out" "[invariant]"
check check-json 1 "$LV" check --json "$T/t.json"
expect_in check-json "$T/out" '"kind": "invariant"'
check check-locked 0 "$LV" check "$T/l.json"

# a trace whose stored findings were removed still gets them recomputed
sed 's/{"kind": "invariant", .*"invariant": {[^}]*}}/{"kind": "misuse", "message": "tampered", "threads": [], "objects": [], "events": []}/' "$T/t.json" >"$T/tampered.json"
expect_in tampered "$T/tampered.json" '"message": "tampered"'
! grep -q '"kind": "invariant"' "$T/tampered.json" || { echo "FAIL tampered: the invariant is still there"; fails=$((fails + 1)); }
check check-recomputes 1 "$LV" check "$T/tampered.json"
expect_in check-recomputes "$T/out" "[invariant]"

# controlled runs: the same seed gives the same bytes; a saved trace replays to the same bytes
check ctl-a 1 "$LV" run ticket --seed 9 --out "$T/a.json" --quiet
check ctl-b 1 "$LV" run ticket --seed 9 --out "$T/b.json" --quiet
check ctl-same 0 cmp "$T/a.json" "$T/b.json"
check ctl-replay 1 "$LV" run ticket --schedule "$T/a.json" --out "$T/r.json" --quiet
check ctl-replay-same 0 cmp "$T/a.json" "$T/r.json"
check ctl-typed 1 "$LV" run ticket --set buyers=2 --schedule 1,2,0,1 --policy rr
expect_in ctl-typed "$T/out" "schedule ("
check ctl-deadlock 1 "$LV" run deadlock
expect_in ctl-deadlock "$T/out" "deadlocked"
expect_in ctl-deadlock "$T/out" "*** DEADLOCK ***"
check live-deadlock 1 "$LV" run deadlock --mode live --quiet
expect_in live-deadlock "$T/out" "[deadlock]"
check ordered 0 "$LV" run deadlock --variant ordered --quiet
check rlock-fix 0 "$LV" run rlock --variant rlock --quiet

# explore finds the race, saves it, and the saved trace replays it
check explore-race 1 "$LV" explore ticket --set buyers=2 --out "$T/f.json"
expect_in explore-race "$T/out" "runs/s"
expect_in explore-race "$T/out" "failing schedule found"
check explore-replay 1 "$LV" run ticket --schedule "$T/f.json" --quiet
expect_in explore-replay "$T/out" "[invariant]"
check explore-clean 0 "$LV" explore ticket --variant locked --set buyers=2
expect_in explore-clean "$T/out" "no failing schedule"
check explore-pct 1 "$LV" explore deadlock --strategy pct --runs 200 --quiet
check explore-bad 2 "$LV" explore ticket --strategy bfs
check explore-help 0 "$LV" explore --help

# every file a run or an export writes: native, Chrome, PNG, and view's Chrome
check files 1 "$LV" run ticket --set buyers=3 --out "$T/f.json" --chrome "$T/f-chrome.json" --png "$T/f.png" --quiet
for x in f.json f-chrome.json f.png; do [ -s "$T/$x" ] && passes=$((passes + 1)) || { echo "FAIL files: $x missing"; fails=$((fails + 1)); }; done
check export-png 0 "$LV" export "$T/f.json" --png "$T/g.png" --chrome "$T/g-chrome.json"
check view-chrome 0 "$LV" view "$T/f.json" --headless --chrome "$T/v-chrome.json"
[ -s "$T/err" ] && bad "view-chrome: a note for a name that opens everywhere: $(cat "$T/err")" || ok
# a name speedscope will not open is still written, with a one-line note saying why
check chrome-name-note 0 "$LV" export "$T/f.json" --chrome "$T/n.chrome.json"
expect_in chrome-name-note "$T/err" "note: $T/n.chrome.json: speedscope takes a name ending in .chrome.json"
one_line chrome-name-note
[ -s "$T/n.chrome.json" ] && ok || bad "chrome-name-note: n.chrome.json not written"
check chrome-name-note-view 0 "$LV" view "$T/f.json" --headless --chrome "$T/w.chrome.json"
expect_in chrome-name-note-view "$T/err" "a name ending in -chrome.json opens in both"
check view-no-window 2 "$LV" view "$T/f.json"
expect_in view-no-window "$T/err" "pass --png"
check export-nothing 2 "$LV" export "$T/f.json"

# plain lockviz without a display: the ticket race printed (no window, so no picker)
check bare 1 "$LV"
expect_in bare "$T/out" "ticket/unlocked, controlled mode, seed 1: completed; 11 threads"
expect_in bare "$T/out" "[invariant] 10 buyer(s) bought a ticket; 1 ticket(s) existed"

# the program and its help
check help 0 "$LV" --help
expect_in help "$T/out" "lockviz run SCENARIO"
for cmd in run check list explore; do
  check "help-$cmd" 0 "$LV" "$cmd" --help
  expect_in "help-$cmd" "$T/out" "Usage: lockviz $cmd"
done
check list 0 "$LV" list
expect_in list "$T/out" "ticket"
expect_in list "$T/out" "unlocked"
expect_in list "$T/out" "buyers"
check set-params 1 "$LV" run ticket --set buyers=3 --set tickets=2 --time-scale 0.05 --quiet --seed 5
expect_in set-params "$T/out" "seed 5"
check set-zero-tickets 0 "$LV" run ticket --variant locked --set tickets=0 --time-scale 0.01 --quiet

# bad usage: exit 2 with one line that says what to fix
check unknown-command 2 "$LV" frobnicate
one_line unknown-command
check unknown-scenario 2 "$LV" run nosuch
expect_in unknown-scenario "$T/err" "ticket"
one_line unknown-scenario
check unknown-variant 2 "$LV" run ticket --variant nosuch
expect_in unknown-variant "$T/err" "unlocked locked"
check unknown-param 2 "$LV" run ticket --set colour=3
expect_in unknown-param "$T/err" "buyers tickets"
check out-of-range 2 "$LV" run ticket --set buyers=1000
expect_in out-of-range "$T/err" "from 1 to 100"
check not-a-number 2 "$LV" run ticket --set buyers=many
check bad-seed 2 "$LV" run ticket --seed -1
check bad-mode 2 "$LV" run ticket --mode fast
check bad-policy 2 "$LV" run ticket --policy fair
check bad-schedule 2 "$LV" run ticket --schedule 1,x,2
one_line bad-schedule
check live-schedule 2 "$LV" run ticket --mode live --schedule 1,2
check schedule-other 2 "$LV" run deadlock --schedule "$T/a.json"
expect_in schedule-other "$T/err" "scenario 'ticket'"
check missing-file 2 "$LV" check "$T/nope.json"
expect_in missing-file "$T/err" "nope.json"
one_line missing-file
printf '{"format": "lockviz-trace", "version": 1, "scenario": ' >"$T/trunc.json"
check truncated 2 "$LV" check "$T/trunc.json"
expect_in truncated "$T/err" "trunc.json"
one_line truncated
echo '{"format": "lockviz-trace", "version": 9}' >"$T/newer.json"
check newer 2 "$LV" check "$T/newer.json"
expect_in newer "$T/err" "newer lockviz"

# an unwritable --out is a clear error and loses nothing already there
echo keep >"$T/existing.json"
chmod 555 "$T"
if [ "$(id -u)" -ne 0 ]; then
  check unwritable 2 "$LV" run ticket --variant locked --time-scale 0.01 --quiet --out "$T/existing.json"
fi
chmod 755 "$T"
check no-dir 2 "$LV" run ticket --variant locked --time-scale 0.01 --quiet --out "$T/no/such/dir/t.json"
expect_in no-dir "$T/err" "no/such/dir/t.json"
expect_in kept "$T/existing.json" "keep"

# strict numbers: one syntax for every number of the command line
check seed-plus 2 "$LV" run ticket --seed +7 --headless
expect_in seed-plus "$T/err" "not '+7'"
check seed-space 2 "$LV" run ticket --seed " 7" --headless
check set-plus 2 "$LV" run ticket --set buyers=+5 --headless
expect_in set-plus "$T/err" "buyers=+5"
check schedule-trailing-comma 2 "$LV" run ticket --schedule 0,1, --headless
expect_in schedule-trailing-comma "$T/err" "a list is thread ids"
check schedule-fraction-list 2 "$LV" run ticket --schedule 0,1.5 --headless
expect_in schedule-fraction-list "$T/err" "a list is thread ids"
check time-scale-hex 2 "$LV" run ticket --time-scale 0x1p-3 --headless
check runs-plus 2 "$LV" explore ticket --runs +5
check view-at-space 2 "$LV" view "$T/f.json" --headless --chrome "$T/v2.json" --at " 3"
check view-size-plus 2 "$LV" view "$T/f.json" --headless --png "$T/v2.png" --size 300x+200
# refused options say what to fix
check seed-no-value 2 "$LV" run ticket --headless --seed
expect_in seed-no-value "$T/err" "--seed needs a value"
one_line seed-no-value
check seed-value-is-option 2 "$LV" run ticket --seed --headless
expect_in seed-value-is-option "$T/err" "--seed needs a value (it was followed by '--headless')"
check ambiguous-option 2 "$LV" run ticket --sched 1 --headless
expect_in ambiguous-option "$T/err" "--sched is ambiguous: it could be --schedule or --scheduler"
one_line ambiguous-option
check ambiguous-s 2 "$LV" run ticket --s 1
expect_in ambiguous-s "$T/err" "--set, --seed, --schedule, --scheduler or --size"
check flag-with-value 2 "$LV" run ticket --headless=yes
expect_in flag-with-value "$T/err" "--headless takes no value"
check export-no-value 2 "$LV" export "$T/f.json" --chrome
expect_in export-no-value "$T/err" "--chrome needs a value"
check view-no-value 2 "$LV" view "$T/f.json" --png
expect_in view-no-value "$T/err" "--png needs a value"

# a --schedule trace is input: its parameters and variant are checked, naming the file
check ctl-seed-3 1 "$LV" run ticket --seed 3 --out "$T/s.json" --quiet
sed 's/"buyers": 10/"buyers": 1000/' "$T/s.json" >"$T/s-range.json"
check schedule-param-range 2 "$LV" run ticket --schedule "$T/s-range.json" --headless
expect_in schedule-param-range "$T/err" "s-range.json: scenario.params.buyers: 1000 is out of range"
one_line schedule-param-range
sed 's/"buyers": 10/"colour": 3/' "$T/s.json" >"$T/s-unknown.json"
check schedule-param-unknown 2 "$LV" run ticket --schedule "$T/s-unknown.json" --headless
expect_in schedule-param-unknown "$T/err" "s-unknown.json: scenario.params: ticket has no parameter 'colour'"
sed 's/"variant": "unlocked"/"variant": "nope"/' "$T/s.json" >"$T/s-variant.json"
check schedule-variant-unknown 2 "$LV" run ticket --schedule "$T/s-variant.json" --headless
expect_in schedule-variant-unknown "$T/err" "s-variant.json: scenario.variant"

# only regular files are read, and nothing blocks: a FIFO with no writer, a directory, a device
mkfifo "$T/fifo.json"
mkdir "$T/dir.json"
for f in "$T/fifo.json" "$T/dir.json" /dev/null; do
  b=$(basename "$f")
  check "check-$b" 2 timeout 20 "$LV" check "$f"
  expect_in "check-$b" "$T/err" "not a trace file (a trace is a regular file)"
  one_line "check-$b"
  check "view-$b" 2 timeout 20 "$LV" view "$f" --headless --png "$T/x.png"
  check "export-$b" 2 timeout 20 "$LV" export "$f" --chrome "$T/x-chrome.json"
  check "schedule-$b" 2 timeout 20 "$LV" run ticket --schedule "$f" --headless
  expect_in "schedule-$b" "$T/err" "a trace is a regular file"
done
"$LV" check "$T/fifo.json" 2>"$T/err" >/dev/null
expect_in fifo-named "$T/err" "fifo.json: a FIFO (named pipe), not a trace file"

# too large: a file of exactly 1 GiB (sparse: nothing is written to disk) is refused unread
truncate -s 1G "$T/big.json"
check one-gib 2 timeout 20 "$LV" check "$T/big.json"
expect_in one-gib "$T/err" "big.json: 1073741824 bytes: 1 GiB or more, refused"
one_line one-gib
rm -f "$T/big.json"
# more threads than a trace may have, and more JSON values than the reader builds
{
  printf '{"format": "lockviz-trace", "version": 1, "scenario": {"name": "x", "variant": "y", "params": {}}, "mode": "live", "seed": 1, "schedule": [], "threads": ['
  seq 0 65536 | awk '{printf "%s{\"id\": %d, \"name\": \"\"}", (NR > 1 ? "," : ""), $1}'
  printf '], "objects": [], "events": [], "findings": [], "outcome": "completed"}\n'
} >"$T/threads.json"
check too-many-threads 2 "$LV" check "$T/threads.json"
expect_in too-many-threads "$T/err" "threads: 65537 threads, more than the 65536 a trace may have"
{
  printf '{"format": "lockviz-trace", "version": 1, "findings": [{"kind": "race", "message": "m", "threads": [], "objects": [], "events": ['
  yes '0,' | head -n 8400000 | tr -d '\n'
  printf '0]}]}\n'
} >"$T/values.json"
check too-many-values 2 "$LV" check "$T/values.json"
expect_in too-many-values "$T/err" "findings: too large to read: more than 8388608 JSON values"
one_line too-many-values
rm -f "$T/values.json" "$T/threads.json"
# a trace whose vector clocks would not fit (20,000 threads: 1.6 GB) is refused, not crashed on
awk 'BEGIN{printf "{\"format\": \"lockviz-trace\", \"version\": 1, \"scenario\": {\"name\": \"many\", \"variant\": \"v\", \"params\": {}}, \"mode\": \"live\", \"seed\": 0, \"schedule\": [], \"threads\": ["; for (i = 0; i < 20000; i++) printf "%s{\"id\": %d, \"name\": \"t%d\"}", (i ? ", " : ""), i, i; printf "], \"objects\": [{\"id\": 0, \"kind\": \"var\", \"name\": \"x\", \"initial\": 0}], \"events\": [{\"seq\": 0, \"t\": 0, \"thread\": 0, \"kind\": \"start\"}], \"findings\": [], \"outcome\": \"completed\"}\n"}' >"$T/many.json"
check too-large 2 "$LV" check "$T/many.json"
expect_in too-large "$T/err" "many.json: too large to analyse"

finish
