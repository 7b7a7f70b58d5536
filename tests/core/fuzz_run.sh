#!/usr/bin/env bash
# Runs the reader's fuzzer for SECONDS on a fresh copy of the seed corpus (real traces and the
# broken ones), so the run never writes into the source tree. Usage: fuzz_run.sh FUZZER CORPUS SECONDS
set -eu
FUZZER=$1
CORPUS=$2
SECS=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus"
cp "$CORPUS"/good/*.json "$CORPUS"/bad/*.json "$work/corpus/"
cd "$work"
set +e
"$FUZZER" -max_total_time="$SECS" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 corpus >"$work/log" 2>&1
rc=$?
set -e
tail -25 "$work/log"
if [ "$rc" -ne 0 ]; then
  # keep what it found where the developer can replay it
  for c in crash-* leak-* timeout-* oom-*; do [ -e "$c" ] && cp "$c" "$OLDPWD/" && echo "saved $c"; done
  echo "0 passed, 1 failed"
  exit 1
fi
echo "1 passed, 0 failed"
