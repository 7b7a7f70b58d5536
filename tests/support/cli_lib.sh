# Shared by the shell tests of the lockviz program: source it with the binary to test,
# `. "$(dirname "$0")/../support/cli_lib.sh" "$1"`. It sets LV (the binary) and T (a folder
# removed at exit) and keeps every test away from a display. check runs a command and compares
# its exit status; expect_in looks for text in a file; one_line checks that an error is one
# line; ok and bad count a check written inline; finish prints the closing count and exits.
unset DISPLAY WAYLAND_DISPLAY # a test never opens a window, wherever it runs
set -u
LV=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0
passes=0

check() { # check NAME WANT_EXIT CMD... ; output in $T/out, $T/err
  local name=$1 want=$2
  shift 2
  "$@" >"$T/out" 2>"$T/err"
  local got=$?
  if [ "$got" -ne "$want" ]; then
    echo "FAIL $name: exit $got, want $want"
    sed 's/^/  out: /' "$T/out" | head -20
    sed 's/^/  err: /' "$T/err" | head -20
    fails=$((fails + 1))
    return 1
  fi
  passes=$((passes + 1))
  return 0
}

expect_in() { # expect_in NAME FILE TEXT
  if ! grep -qF -- "$3" "$2"; then
    echo "FAIL $1: '$3' not in $(basename "$2")"
    sed 's/^/  | /' "$2" | head -20
    fails=$((fails + 1))
  else
    passes=$((passes + 1))
  fi
}

one_line() { # the error is exactly one line
  local n
  n=$(wc -l <"$T/err")
  if [ "$n" -ne 1 ]; then
    echo "FAIL $1: stderr has $n lines, want 1"
    fails=$((fails + 1))
  else
    passes=$((passes + 1))
  fi
}

ok() { passes=$((passes + 1)); }              # a check written inline passed
bad() { echo "FAIL $*"; fails=$((fails + 1)); } # ... or failed, saying why

finish() {
  echo "$passes passed, $fails failed"
  [ "$fails" -eq 0 ]
  exit
}
