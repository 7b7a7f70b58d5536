#!/usr/bin/env bash
# Installs the build into a temporary prefix (cmake --install --prefix) and checks the package
# as a user gets it: the files are where Debian's conventions put them, the installed program
# runs from there and finds its library and fonts, the man page renders with man -l, and the
# bash completion completes commands, scenarios, variants, parameters and trace files.
# Usage: install_test.sh BUILD_DIR VERSION
set -u
BUILD=$1
VERSION=$2
unset DISPLAY WAYLAND_DISPLAY LC_ALL LC_MESSAGES LANG LOCKVIZ_ASSETS LOCKVIZ_SCENARIO_PATH
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export XDG_DATA_HOME=$T/xdg # no scenario folder of the machine's user gets in
P=$T/prefix
fails=0
passes=0
ok() { passes=$((passes + 1)); }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }

if ! cmake --install "$BUILD" --prefix "$P" >"$T/install.log" 2>&1; then
  bad "cmake --install"
  cat "$T/install.log"
  exit 1
fi
libdir=$(sed -n 's/^libdir=${prefix}\///p' "$P"/lib*/pkgconfig/lockviz.pc "$P"/lib/*/pkgconfig/lockviz.pc 2>/dev/null | head -1)
[ -n "$libdir" ] || libdir=lib
for f in bin/lockviz "$libdir/liblockviz.so.0" "$libdir/liblockviz.so" "$libdir/pkgconfig/lockviz.pc" \
  include/lockviz/lockviz.h include/lockviz/prims.h include/lockviz/run.h \
  share/man/man1/lockviz.1 share/bash-completion/completions/lockviz \
  share/applications/lockviz.desktop share/icons/hicolor/scalable/apps/lockviz.svg \
  share/doc/lockviz/LICENSE share/lockviz/assets/fonts/DejaVuSans.ttf \
  share/lockviz/assets/fonts/LICENSE-DejaVu.txt; do
  [ -e "$P/$f" ] && ok || bad "missing $f"
done
# the library: a SONAME, only lv_ names exported; the program finds it from the prefix
soname=$(readelf -d "$P/$libdir/liblockviz.so.0" | sed -n 's/.*SONAME.*\[\(.*\)\]/\1/p')
[ "$soname" = liblockviz.so.0 ] && ok || bad "SONAME is '$soname', want liblockviz.so.0"
others=$(nm -D --defined-only "$P/$libdir/liblockviz.so.0" | awk '$2 ~ /^[TDBR]$/ && $3 !~ /^lv_/')
[ -z "$others" ] && ok || bad "liblockviz exports non-lv_ names: $others"
[ "$(readlink "$P/$libdir/liblockviz.so")" = liblockviz.so.0 ] && ok ||
  bad "liblockviz.so should link to liblockviz.so.0"
# the installed program, run from the prefix (not the build tree)
"$P/bin/lockviz" --version >"$T/out" 2>&1 && grep -qx "lockviz $VERSION" "$T/out" && ok ||
  bad "installed --version: $(cat "$T/out")"
"$P/bin/lockviz" run ticket --headless --quiet --png "$T/t.png" >"$T/out" 2>&1
[ $? -eq 1 ] && [ -s "$T/t.png" ] && ok || bad "installed run: $(cat "$T/out")"
loaded=$(ldd "$P/bin/lockviz" | sed -n 's/.*liblockviz.so.0 => \(.*\) (.*/\1/p')
[ -n "$loaded" ] && [ "$(readlink -f "$loaded")" = "$(readlink -f "$P/$libdir/liblockviz.so.0")" ] && ok ||
  bad "the installed program does not load the installed library: $(ldd "$P/bin/lockviz" | grep lockviz)"
# lockviz record finds the installed preload library (../lib/lockviz from the program)
[ -e "$P/$libdir/lockviz/liblockviz_preload.so" ] && ok || bad "missing $libdir/lockviz/liblockviz_preload.so"
"$P/bin/lockviz" record --headless -- /bin/true >"$T/out" 2>&1
[ $? -eq 0 ] && grep -q "program: exited with status 0" "$T/out" && ok || bad "installed record: $(cat "$T/out")"
# the pkg-config file points into this prefix
pcdir=$P/$libdir/pkgconfig
inc=$(PKG_CONFIG_PATH=$pcdir pkg-config --cflags-only-I lockviz | awk '{print $1}')
[ "$(cd "${inc#-I}" && pwd -P)" = "$(cd "$P/include" && pwd -P)" ] && ok || bad "pkg-config --cflags: $inc"
[ "$(PKG_CONFIG_PATH=$pcdir pkg-config --modversion lockviz)" = "$VERSION" ] && ok || bad "pkg-config version"
# the desktop entry
grep -qx "Exec=lockviz" "$P/share/applications/lockviz.desktop" && grep -qx "Icon=lockviz" \
  "$P/share/applications/lockviz.desktop" && ok || bad "desktop entry"
if command -v desktop-file-validate >/dev/null; then
  desktop-file-validate "$P/share/applications/lockviz.desktop" >"$T/out" 2>&1 && ok ||
    bad "desktop-file-validate: $(cat "$T/out")"
fi
# the man page renders, without warnings, and says what --help says
if command -v man >/dev/null; then
  MANWIDTH=100 man --warnings -l "$P/share/man/man1/lockviz.1" >"$T/man" 2>"$T/manerr"
  [ $? -eq 0 ] && [ ! -s "$T/manerr" ] && ok || bad "man -l: $(head -5 "$T/manerr")"
  for want in "lockviz - a deadlock and race visualizer" "lockviz run SCENARIO [options]" \
    "--compare W" "--strategy S" "lockviz view" "Exit status"; do
    grep -qF -- "$want" "$T/man" && ok || bad "man page lacks '$want'"
  done
  # every option of every command's --help is in the page
  for c in list run explore check export view; do
    for o in $("$P/bin/lockviz" "$c" --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
      grep -qF -- "$o" "$T/man" || bad "man page lacks $c's $o"
    done
  done
  ok
else
  echo "note: man is not installed; the man page was not rendered"
fi
# bash completion, as bash calls it
complete_line() { # complete_line WORD... : prints the completions of the last word
  PATH="$P/bin:$PATH" bash -c '
    . "$1/share/bash-completion/completions/lockviz"
    shift
    COMP_WORDS=("$@")
    COMP_CWORD=$(($# - 1))
    COMP_LINE="$*"
    COMP_POINT=${#COMP_LINE}
    _lockviz lockviz "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
    printf "%s\n" "${COMPREPLY[@]}"' _ "$P" "$@"
}
expect_completion() { # expect_completion WANT WORD...
  local want=$1 got
  shift
  got=$(complete_line "$@" | sort | tr '\n' ' ' | sed 's/ $//')
  [ "$got" = "$want" ] && ok || bad "completion of '$*': got '$got', want '$want'"
}
expect_completion "ticket toilets traffic-light" lockviz run t
expect_completion "ticket" lockviz run ti
expect_completion "explore export" lockviz e
expect_completion "check" lockviz c
expect_completion "counter" lockviz explore co
expect_completion "locked unlocked" lockviz run ticket --variant ""
expect_completion "ordered" lockviz run deadlock --compare o
expect_completion "buyers= tickets=" lockviz run ticket --set ""
expect_completion "live" lockviz run ticket --mode l
expect_completion "zh" lockviz --lang z
expect_completion "--strategy" lockviz explore ticket --str
expect_completion "ticket" lockviz --lang zh run ti
# a trace to view: the native files, not the Chrome exports written beside them
mkdir -p "$T/c/sub.json"
touch "$T/c/a.json" "$T/c/a-chrome.json" "$T/c/b.chrome.json" "$T/c/a.png"
expect_completion "$T/c/a.json $T/c/sub.json" lockviz view "$T/c/"
expect_completion "$T/c/a.json" lockviz check "$T/c/a"
echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
