#!/usr/bin/env bash
# The test chrome_in_speedscope: installs speedscope from tests/cli/speedscope's package-lock.json
# into the build tree (npm ci, once per lock file) and runs speedscope_check.mjs, which loads
# every scenario's Chrome export in speedscope's own app in headless Chromium.
# Missing node, npm, chromium or the registry is a failure, never a skip.
# Usage: speedscope_test.sh LOCKVIZ_BINARY BUILD_DIR CORPUS_DIR [SCENARIO_FILE.so]
set -uo pipefail
LV=$1
DIR=$2/speedscope
CORPUS=$3
export LV_SCENARIO_FILE=${4:-} # a user's scenario file, exported like the built-in ones
SRC=$(cd "$(dirname "$0")/speedscope" && pwd)
for tool in node npm "${CHROMIUM:-chromium}"; do
  command -v "$tool" >/dev/null || {
    echo "FAIL: $tool is not installed (scripts/deps installs nodejs, npm and chromium)"
    exit 1
  }
done
mkdir -p "$DIR"
if ! cmp -s "$SRC/package-lock.json" "$DIR/installed-lock.json" || [ ! -d "$DIR/node_modules/speedscope" ]; then
  cp "$SRC/package.json" "$SRC/package-lock.json" "$DIR/"
  if ! (cd "$DIR" && npm ci --no-audit --no-fund --ignore-scripts >npm.log 2>&1); then
    echo "FAIL: npm ci could not install speedscope into $DIR:"
    tail -5 "$DIR/npm.log"
    exit 1
  fi
  cp "$SRC/package-lock.json" "$DIR/installed-lock.json"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
node "$SRC/speedscope_check.mjs" "$LV" "$work" "$CORPUS" "$DIR"
