#!/usr/bin/env bash
# `lockviz view` end to end: pictures written atomically, the no-display rule, bad input.
# Usage: view_cli.sh LOCKVIZ_BINARY
. "$(dirname "$0")/../support/cli_lib.sh" "$1"

is_png() { # the 8-byte PNG signature
  [ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] ||
    { echo "FAIL $2: $1 is not a PNG"; fails=$((fails + 1)); }
}

"$LV" run deadlock --out "$T/d.json" --quiet >/dev/null
nodisp() { env -u DISPLAY -u WAYLAND_DISPLAY "$@"; }

check png 0 nodisp "$LV" view "$T/d.json" --png "$T/d.png"
is_png "$T/d.png" png
expect_in png_summary "$T/out" "deadlock/two-locks, controlled mode, seed 1: deadlocked"
expect_in png_summary "$T/out" "picture: $T/d.png (1280x720, event 30 of 30)"
[ "$(wc -l <"$T/out")" -eq 1 ] || { echo "FAIL png_summary: not one line"; fails=$((fails + 1)); }

check size_at 0 nodisp "$LV" view "$T/d.json" --png "$T/s.png" --size 800x600 --at 3
expect_in size_at "$T/out" "(800x600, event 4 of "
# run takes --size like view: the window's, and the picture's
check run_size 1 nodisp "$LV" run deadlock --headless --quiet --png "$T/r.png" --size 1920x1080
is_png "$T/r.png" run_size
[ "$(od -An -tx1 -j16 -N8 "$T/r.png" | tr -d ' \n')" = "0000078000000438" ] ||
  { echo "FAIL run_size: the picture is not 1920x1080"; fails=$((fails + 1)); }
check run_bad_size 2 "$LV" run deadlock --headless --size 1920
expect_in run_bad_size "$T/err" "lockviz run: --size wants WxH from 200x150 to 8192x8192, not '1920'"
check headless_only 0 "$LV" view "$T/d.json" --headless
expect_in headless_only "$T/out" "5 threads, 30 events, 2 findings"

check no_display 2 nodisp "$LV" view "$T/d.json"
expect_in no_display "$T/err" "pass --png"

printf '{"format": "lockviz-trace", "version": 2}' >"$T/v2.json"
check bad_trace 2 nodisp "$LV" view "$T/v2.json" --png "$T/x.png"
expect_in bad_trace "$T/err" "v2.json: version:"
[ ! -e "$T/x.png" ] || { echo "FAIL bad_trace: a picture was written"; fails=$((fails + 1)); }
check missing 2 "$LV" view "$T/nope.json" --headless
check no_file_arg 2 "$LV" view --headless
check bad_at 2 "$LV" view "$T/d.json" --headless --at 30
expect_in bad_at "$T/err" "0 to 29"
check bad_size 2 "$LV" view "$T/d.json" --headless --size 12x
check bad_option 2 "$LV" view "$T/d.json" --frobnicate
check bad_ahead 2 "$LV" view "$T/d.json" --headless --ahead soon
expect_in bad_ahead "$T/err" "lockviz view: --ahead must be hidden, faint or shown, not 'soon'"
# a picture shows the run whole, whatever the window would hide
check ahead_png 0 nodisp "$LV" view "$T/d.json" --png "$T/a.png" --ahead hidden --at 3
check ahead_png_plain 0 nodisp "$LV" view "$T/d.json" --png "$T/b.png" --at 3
cmp -s "$T/a.png" "$T/b.png" || { echo "FAIL ahead_png: --ahead changed the picture"; fails=$((fails + 1)); }
check bad_run_ahead 2 "$LV" run deadlock --headless --ahead later
expect_in bad_run_ahead "$T/err" "lockviz run: --ahead must be hidden, faint or shown, not 'later'"

# an unwritable picture: exit 2, and the file already there is left alone
cp "$T/d.png" "$T/keep.png"
check unwritable 2 nodisp "$LV" view "$T/d.json" --png "$T/no/dir/p.png"
expect_in unwritable "$T/err" "$T/no/dir/p.png"
check bad_size_keeps 2 nodisp "$LV" view "$T/d.json" --png "$T/d.png" --size 100000x5
cmp -s "$T/d.png" "$T/keep.png" || { echo "FAIL bad_size_keeps: the picture changed"; fails=$((fails + 1)); }
[ -z "$(find "$T" -name '*.png.*')" ] || { echo "FAIL: a temporary file was left"; fails=$((fails + 1)); }

check help 0 "$LV" view --help
expect_in help "$T/out" "--png FILE"
check main_help 0 "$LV" --help
expect_in main_help "$T/out" "lockviz view TRACE"

finish
