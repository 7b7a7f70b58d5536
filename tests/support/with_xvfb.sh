#!/usr/bin/env bash
# Runs a command under a private Xvfb. The server picks a free display itself (-displayfd), so
# two test runs on one machine can never share or steal a display, which xvfb-run -a allows
# when both start at once. -noreset: a test that closes its last window and opens another must
# not meet a server resetting itself in between. The server is stopped by its own process id.
# Usage: with_xvfb.sh COMMAND [ARGS...]
set -u
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkfifo "$dir/fd"
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp -noreset 3>"$dir/fd" 2>"$dir/log" &
xpid=$!
read -r -t 20 num <"$dir/fd" || num=""
if [ -z "$num" ]; then
  echo "with_xvfb: Xvfb did not start: $(tail -3 "$dir/log")" >&2
  kill "$xpid" 2>/dev/null
  exit 1
fi
DISPLAY=":$num" "$@"
rc=$?
kill "$xpid" 2>/dev/null
wait "$xpid" 2>/dev/null
exit "$rc"
