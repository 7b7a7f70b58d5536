#!/usr/bin/env bash
# The program's conventions at its edges: -V/--version, write errors on stdout (exit 2 with a
# message), a DISPLAY with no server behind it (headless, as with no display), and the
# language of printed output and PNGs (--lang, LC_ALL, LC_MESSAGES, LANG).
# Usage: edges_cli.sh LOCKVIZ VERSION
. "$(dirname "$0")/../support/cli_lib.sh" "$1"
VERSION=$2
unset LC_ALL LC_MESSAGES LANG

check version 0 "$LV" --version && expect_in version "$T/out" "lockviz $VERSION"
check version-V 0 "$LV" -V && expect_in version-V "$T/out" "lockviz $VERSION"

# write errors: stdout on a full device
if [ -w /dev/full ]; then
  "$LV" list >/dev/full 2>"$T/err"
  rc=$?
  if [ "$rc" -ne 2 ]; then
    echo "FAIL full-list: exit $rc, want 2"
    fails=$((fails + 1))
  else
    passes=$((passes + 1))
  fi
  one_line full-list
  expect_in full-list "$T/err" "lockviz: cannot write to standard output"
  "$LV" run ticket --headless --quiet >/dev/full 2>"$T/err"
  rc=$?
  [ "$rc" -eq 2 ] && passes=$((passes + 1)) || { echo "FAIL full-run: exit $rc, want 2"; fails=$((fails + 1)); }
  "$LV" --help >/dev/full 2>"$T/err"
  rc=$?
  [ "$rc" -eq 2 ] && passes=$((passes + 1)) || { echo "FAIL full-help: exit $rc, want 2"; fails=$((fails + 1)); }
fi

# a stale DISPLAY: a display number nothing listens on behaves as no display
n=99
while [ -e "/tmp/.X11-unix/X$n" ]; do n=$((n + 1)); done
check trace 1 "$LV" run ticket --headless --quiet --out "$T/t.json"
check nodisplay-view 2 "$LV" view "$T/t.json"
one_line nodisplay-view
expect_in nodisplay-view "$T/err" "there is no display (DISPLAY and WAYLAND_DISPLAY are unset) to open"
check stale-view 2 env DISPLAY=":$n" "$LV" view "$T/t.json"
one_line stale-view
expect_in stale-view "$T/err" "there is no display (no X server answers on DISPLAY=:$n) to open"
check stale-wayland 2 env WAYLAND_DISPLAY="lockviz-none-$n" XDG_RUNTIME_DIR="$T" "$LV" view "$T/t.json"
expect_in stale-wayland "$T/err" "no Wayland compositor answers on WAYLAND_DISPLAY=lockviz-none-$n"
# run: prints the run and its findings, writes the files, opens nothing, says why once
check stale-run 1 env DISPLAY=":$n" "$LV" run ticket --quiet --png "$T/s.png"
expect_in stale-run "$T/out" "picture: $T/s.png"
expect_in stale-run "$T/err" "lockviz run: no display (no X server answers on DISPLAY=:$n), so no window"
one_line stale-run
check stale-scheduler 1 env DISPLAY=":$n" "$LV" run ticket --quiet --scheduler
expect_in stale-scheduler "$T/err" "--scheduler: no display (no X server answers on DISPLAY=:$n)"
check stale-tcp 2 env DISPLAY="127.0.0.1:$n" "$LV" view "$T/t.json"
expect_in stale-tcp "$T/err" "no X server answers on DISPLAY=127.0.0.1:$n"

# the language of printed output
check list-en 0 "$LV" list && expect_in list-en "$T/out" "  variants:"
check list-zh 0 "$LV" --lang zh list && expect_in list-zh "$T/out" "  变体："
expect_in list-zh "$T/out" "ticket: 模拟抢票 (Ticket-selling race)"
check list-zh-after 0 "$LV" list --lang=zh && expect_in list-zh-after "$T/out" "  参数："
check list-LANG 0 env LANG=zh_CN.UTF-8 "$LV" list && expect_in list-LANG "$T/out" "  变体："
check list-LC_MESSAGES 0 env LANG=en_US.UTF-8 LC_MESSAGES=zh_CN.UTF-8 "$LV" list
expect_in list-LC_MESSAGES "$T/out" "  变体："
check list-LC_ALL 0 env LANG=zh_CN.UTF-8 LC_ALL=C "$LV" list
expect_in list-LC_ALL "$T/out" "  variants:"
check list-flag-wins 0 env LANG=zh_CN.UTF-8 "$LV" list --lang en
expect_in list-flag-wins "$T/out" "  variants:"
check lang-bad 2 "$LV" --lang fr list
one_line lang-bad
expect_in lang-bad "$T/err" "--lang must be zh or en, not 'fr'"
check lang-missing 2 "$LV" list --lang
check run-zh 1 "$LV" run ticket --headless --quiet --lang zh
expect_in run-zh "$T/out" "ticket/unlocked，受控模式，种子 1：已完成；11 个线程"
check run-en 1 "$LV" run ticket --headless --quiet
expect_in run-en "$T/out" "ticket/unlocked, controlled mode, seed 1: completed; 11 threads"

# and of PNGs: the same run drawn in both languages differs; English is the default
check png-en 1 "$LV" run ticket --headless --quiet --png "$T/en.png"
check png-en2 1 "$LV" run ticket --headless --quiet --lang en --png "$T/en2.png"
check png-zh 1 "$LV" run ticket --headless --quiet --lang zh --png "$T/zh.png"
check view-zh 0 env LANG=zh_CN.UTF-8 "$LV" view "$T/t.json" --png "$T/vzh.png" --headless
if cmp -s "$T/en.png" "$T/en2.png" && ! cmp -s "$T/en.png" "$T/zh.png" &&
  cmp -s "$T/zh.png" "$T/vzh.png"; then
  passes=$((passes + 1))
else
  echo "FAIL png-lang: want en = default, zh different from en, zh the same from view"
  fails=$((fails + 1))
fi
finish
