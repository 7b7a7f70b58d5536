#!/usr/bin/env bash
# A scenario of a user's, from the installed files only: installs the build into a temporary
# prefix, builds the guide's example (docs/writing-scenarios.md, installed as
# share/doc/lockviz/examples/my_bank.c) with pkg-config against that prefix, and runs it in
# every mode: controlled, live, --schedule replay (byte for byte), explore, view, a scenario
# folder. Then scenario files that crash, loop forever, exit, or misuse the descriptor: each
# is one clear error and exit 2, never a crash of lockviz.
# Usage: user_scenario.sh BUILD_DIR
set -u
BUILD=$1
. "$(dirname "$0")/../support/cli_lib.sh" "" # LV is set below, to the installed binary
unset LC_ALL LC_MESSAGES LANG LOCKVIZ_ASSETS LOCKVIZ_SCENARIO_PATH
export XDG_DATA_HOME=$T/xdg
P=$T/prefix

cmake --install "$BUILD" --prefix "$P" >"$T/install.log" 2>&1 || { cat "$T/install.log"; exit 1; }
export PKG_CONFIG_PATH=$(dirname "$(find "$P" -name lockviz.pc | head -1)")
LV=$P/bin/lockviz
ex=$P/share/doc/lockviz/examples/my_bank.c
[ -f "$ex" ] && ok || bad "the example is not installed"
[ -f "$P/share/doc/lockviz/writing-scenarios.md" ] && ok || bad "the guide is not installed"
cd "$T"
# the build line of the guide, with the installed pkg-config file
check build 0 sh -c "cc -Wall -Wextra -Werror -shared -fPIC '$ex' \$(pkg-config --cflags --libs lockviz) -o my_bank.so"

check controlled 1 "$LV" run ./my_bank.so --variant broken --headless --out b.json --png b.png
expect_in controlled "$T/out" "bank/broken, controlled mode, seed 1: completed"
expect_in controlled "$T/out" "[invariant] balance 2000 after saving 1000 and drawing 100 from 1000; want 1900"
expect_in controlled "$T/out" "Lost update on balance"
grep -q "\"path\": \"$T/my_bank.so\"" b.json && ok || bad "the trace does not name the file"
[ -s b.png ] && ok || bad "no picture"
check fixed 0 "$LV" run ./my_bank.so --variant locked --headless
expect_in fixed "$T/out" "findings: none"
check seed 1 "$LV" run ./my_bank.so --seed 7 --headless --quiet --out s7.json
check seed-again 1 "$LV" run ./my_bank.so --seed 7 --headless --quiet --out s7b.json
cmp -s s7.json s7b.json && ok || bad "the same seed gave two traces"
check replay 1 "$LV" run ./my_bank.so --schedule b.json --headless --quiet --out r.json
cmp -s b.json r.json && ok || bad "--schedule b.json did not replay the run byte for byte"
check replay-list 1 "$LV" run ./my_bank.so --variant broken --schedule 0,0,2,2,2 --headless --quiet
check live 1 "$LV" run ./my_bank.so --mode live --time-scale 0.01 --headless --quiet
expect_in live "$T/out" "bank/broken, live mode"
check live-fixed 0 "$LV" run ./my_bank.so --variant locked --mode live --time-scale 0.01 --headless --quiet
check compare 1 "$LV" run ./my_bank.so --compare locked --headless --quiet --png c.png
check explore 1 "$LV" explore ./my_bank.so --out f.json --quiet
expect_in explore "$T/out" "failing schedule found at run 1"
check explore-replay 1 "$LV" run ./my_bank.so --schedule f.json --headless --quiet
check explore-fixed 0 "$LV" explore ./my_bank.so --variant locked --quiet --preemptions 1
expect_in explore-fixed "$T/out" "no failing schedule: dfs ran every schedule"
check view 0 "$LV" view b.json --png v.png --headless
check check 1 "$LV" check b.json
check export 0 "$LV" export b.json --chrome b-chrome.json
check list-file 0 "$LV" list ./my_bank.so
expect_in list-file "$T/out" "bank: Bank account (lost update)"
# a scenario folder: listed, and run by name; the trace still finds the file
mkdir -p folder "$XDG_DATA_HOME/lockviz/scenarios"
cp my_bank.so folder/
check folder-list 0 env LOCKVIZ_SCENARIO_PATH="$T/folder" "$LV" list
expect_in folder-list "$T/out" "  file: $T/folder/my_bank.so"
check folder-run 1 env LOCKVIZ_SCENARIO_PATH="$T/folder" "$LV" run bank --headless --quiet
cp my_bank.so "$XDG_DATA_HOME/lockviz/scenarios/"
check user-folder 0 "$LV" list bank
expect_in user-folder "$T/out" "  file: $XDG_DATA_HOME/lockviz/scenarios/my_bank.so"

# scenario files that go wrong
cat >bad.h <<'EOS'
#include <lockviz/lockviz.h>
#include <stdlib.h>
static const lv_variant_desc variants[] = {{.name = "only", .summary = "s", .broken = 1}};
static void worker(void *arg) { (void)arg; HOW; }
static void bad_main(const lv_args *a) { (void)a; lv_join(lv_spawn("w", worker, NULL)); }
EOS
mk() { # mk NAME HOW [DESCRIPTOR]
  printf '#define HOW %s\n#include "bad.h"\n%s\n' "$2" \
    "${3:-LV_SCENARIO(.name = \"$1\", .title = \"t\", .variants = variants, .nvariants = 1, .main = bad_main);}" >"$1.c"
  cc -shared -fPIC "$1.c" $(pkg-config --cflags --libs lockviz) -o "$1.so" || bad "cannot build $1"
}
mk crash '*(volatile int *)0 = 1'
# (under AddressSanitizer a segfault is its report and exit 1: let the signal through instead)
check crash 2 env ASAN_OPTIONS=handle_segv=0 TSAN_OPTIONS=handle_segv=0 "$LV" run ./crash.so --headless
expect_in crash "$T/err" "its run was killed by signal 11 (Segmentation fault) before it finished"
expect_in crash "$T/err" "lockviz run: crash: the scenario's run crashed"
check crash-explore 2 "$LV" explore ./crash.so --quiet
check crash-live 2 "$LV" run ./crash.so --mode live --headless
mk loop 'for (;;) {}'
check loop 2 env LOCKVIZ_TIME_LIMIT=1 "$LV" run ./loop.so --headless
expect_in loop "$T/err" "its run made no progress for 1 s (LOCKVIZ_TIME_LIMIT) and was stopped"
expect_in loop "$T/err" "the scenario's run did not finish in time"
mk spin 'for (;;) lv_busy(LV_MS(1))'
check spin 2 env LOCKVIZ_TIME_LIMIT=1 "$LV" run ./spin.so --headless
mk exits 'exit(3)'
check exits 2 "$LV" run ./exits.so --headless
expect_in exits "$T/err" "its run ended its process (exit status 3) before it finished"
mk unlock 'lv_mutex_unlock(lv_mutex_new("m"))' # misuse of a primitive: recorded, not an error
check unlock 1 "$LV" run ./unlock.so --headless
expect_in unlock "$T/out" "[misuse]"
mk nullmutex 'lv_mutex_lock(NULL)'
check nullmutex 2 "$LV" run ./nullmutex.so --headless
mk novariants '(void)0' 'LV_SCENARIO(.name = "nov", .title = "t", .variants = variants, .nvariants = 0, .main = bad_main);'
check novariants 2 "$LV" run ./novariants.so --headless
expect_in novariants "$T/err" "lockviz run: ./novariants.so: LV_SCENARIO: .variants must be an array of 1 to 8 variants"
mk nomain '(void)0' 'LV_SCENARIO(.name = "nomain", .title = "t", .variants = variants, .nvariants = 1);'
check nomain 2 "$LV" run ./nomain.so --headless
expect_in nomain "$T/err" ".main is missing"
mk wild '(void)0' 'LV_SCENARIO(.name = "wild", .title = (const char *)8, .variants = variants, .nvariants = 1, .main = bad_main);'
check wild 2 env ASAN_OPTIONS=handle_segv=0 TSAN_OPTIONS=handle_segv=0 "$LV" run ./wild.so --headless
expect_in wild "$T/err" "loading it crashed (signal 11"
mk badname '(void)0' 'LV_SCENARIO(.name = "a b", .title = "t", .variants = variants, .nvariants = 1, .main = bad_main);'
check badname 2 "$LV" run ./badname.so --headless
expect_in badname "$T/err" ".name must be 1 to 64 letters"
echo 'int x;' >notone.c && cc -shared -fPIC notone.c -o notone.so
check notone 2 "$LV" run ./notone.so --headless
expect_in notone "$T/err" "not a lockviz scenario: it has no LV_SCENARIO(...) descriptor"
check missing 2 "$LV" run ./nothere.so --headless
expect_in missing "$T/err" "lockviz run: ./nothere.so: No such file or directory"
# a bad file in a folder is skipped with a line on stderr; the rest are listed
cp novariants.so notone.so folder/
check folder-bad 0 env LOCKVIZ_SCENARIO_PATH="$T/folder" "$LV" list
expect_in folder-bad "$T/out" "  file: $T/folder/my_bank.so"
expect_in folder-bad "$T/err" "lockviz list: $T/folder/notone.so: not a lockviz scenario"
finish
