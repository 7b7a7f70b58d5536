#!/usr/bin/env bash
# The layers' rules (docs/architecture.md), read off the source tree: core and scenarios never
# include SDL; viz/view and viz/modes never include SDL; viz/view, viz/modes and viz/gfx never
# reach the scenario registry; and inside viz every include points down (app -> gfx -> modes
# -> view), never to a header of a layer above. Prints each include that breaks a rule.
set -u
src=${1:?usage: layers_test.sh SOURCE_DIR}
cd "$src" || exit 2
bad=0
say() { echo "FAIL $*"; bad=1; }

includes() { # FOLDER...: "file:line:header" for every #include "..." and <...> under them
  grep -rnoE '^\s*#\s*include\s*[<"][^">]+[">]' "$@" --include='*.[ch]' |
    sed -E 's/#\s*include\s*[<"]([^">]+)[">]/\1/; s/:\s*/:/2'
}

while IFS= read -r hit; do say "$hit: SDL below viz/gfx"; done < <(
  includes core scenarios viz/view viz/modes | grep -E ':SDL[^:]*$')
while IFS= read -r hit; do say "$hit: only viz/app reaches the scenario registry"; done < <(
  includes viz/view viz/modes viz/gfx | grep -E ':(registry\.h|scenarios/[^:]*|load\.h)$')

# headers of each viz layer, and the layers above each one
layer_headers() { find "viz/$1" -name '*.h' -printf '%f\n'; }
check_up() { # LAYER ABOVE...: no file of LAYER includes a header of an ABOVE layer
  local layer=$1
  shift
  for above in "$@"; do
    for h in $(layer_headers "$above"); do
      while IFS= read -r hit; do say "$hit: viz/$layer includes viz/$above's $h"; done < <(
        includes "viz/$layer" | grep -E ":$h\$")
    done
  done
}
check_up view modes gfx app
check_up modes gfx app
check_up gfx app

# the checks above must see the tree they check
[ "$(includes viz | wc -l)" -gt 50 ] || say "found almost no includes under viz/: wrong folder?"
[ $bad = 0 ] && echo "layers ok: $(includes core scenarios viz | wc -l) includes checked"
exit $bad
