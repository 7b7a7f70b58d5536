#!/usr/bin/env bash
# The reader on a corpus: every broken trace in corpus/bad is refused with exit 2 and exactly
# the one line in its .err file; every real trace in corpus/good is read, checked, exported
# to Chrome JSON, and written again byte for byte; where a good trace has a .expect file,
# every line of it is a line of what `check` prints (its findings, whole). Every trace in
# corpus/old (written before findings carried their payload) loads, and `check --json` on it
# prints exactly what it prints on the trace of the same name in corpus/good.
# Usage: corpus_test.sh LOCKVIZ_BINARY CORPUS_DIR
set -u
LV=$1
C=$2
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0
passes=0
for f in "$C"/bad/*.json; do
  want="lockviz check: $f: $(cat "${f%.json}.err")"
  got=$("$LV" check "$f" 2>&1 >/dev/null)
  rc=$?
  if [ "$rc" -ne 2 ] || [ "$got" != "$want" ]; then
    echo "FAIL $(basename "$f"): exit $rc"
    echo "  got:  $got"
    echo "  want: $want"
    fails=$((fails + 1))
  else
    passes=$((passes + 1))
  fi
done
for f in "$C"/good/*.json; do
  "$LV" check "$f" >/dev/null 2>"$T/err"
  rc=$?
  if [ "$rc" -gt 1 ]; then
    echo "FAIL $(basename "$f"): check exit $rc: $(cat "$T/err")"
    fails=$((fails + 1))
    continue
  fi
  if ! "$LV" export "$f" --out "$T/again.json" --chrome "$T/chrome.json" >/dev/null 2>"$T/err"; then
    echo "FAIL $(basename "$f"): export: $(cat "$T/err")"
    fails=$((fails + 1))
  elif ! cmp -s "$f" "$T/again.json"; then
    echo "FAIL $(basename "$f"): written again, the bytes differ"
    fails=$((fails + 1))
  else
    passes=$((passes + 1))
  fi
  want=${f%.json}.expect
  [ -e "$want" ] || continue
  "$LV" check "$f" >"$T/out" 2>&1
  while IFS= read -r line; do
    if ! grep -qxF -- "$line" "$T/out"; then
      echo "FAIL $(basename "$f"): check does not print the line: $(printf %s "$line" | cut -c1-200)"
      fails=$((fails + 1))
      continue 2
    fi
  done <"$want"
  passes=$((passes + 1))
done
for f in "$C"/old/*.json; do
  "$LV" check --json "$f" >"$T/old" 2>"$T/err"
  rc=$?
  "$LV" check --json "$C/good/$(basename "$f" | sed 's/-no-payload//')" >"$T/new" 2>/dev/null
  if [ "$rc" -gt 1 ] || ! cmp -s "$T/old" "$T/new"; then
    echo "FAIL old/$(basename "$f"): check exit $rc, findings differ from good/: $(cat "$T/err")"
    fails=$((fails + 1))
  else
    passes=$((passes + 1))
  fi
done
echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
