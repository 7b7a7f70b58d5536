#!/bin/sh
# Writes lockviz's man page from the program's own --help texts, so the page says what the
# program says: `lockviz --help` becomes the description, and every command it lists
# (`lockviz CMD --help`) a subsection. Option lines ("  --name ARG   what it does") become
# tagged paragraphs; everything else is kept as written. The build runs this after linking.
# Usage: gen-manpage.sh LOCKVIZ OUT.1
set -eu
bin=$1
out=$2
tmp=$out.tmp
version=$(LC_ALL=C "$bin" --version)
# a fixed date from the sources, not the build's clock, when the build gives one
date=""
if [ -n "${SOURCE_DATE_EPOCH:-}" ]; then
  date=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%d 2>/dev/null || true)
fi
main=$(LC_ALL=C "$bin" --lang en --help)
cmds=$(printf '%s\n' "$main" | sed -n 's/^  lockviz \([a-z][a-z-]*\) .*/\1/p;s/^  lockviz \([a-z][a-z-]*\)$/\1/p' | awk '!seen[$0]++')

# roff-escapes a help text read on stdin and turns its option lines into .TP paragraphs
fmt() {
  awk '
  function esc(s) {
    gsub(/\\/, "\\e", s)
    gsub(/-/, "\\-", s)
    if (s ~ /^[.\047]/) s = "\\&" s
    return s
  }
  BEGIN { inopt = 0 }
  /^$/ { print ".PP"; inopt = 0; next }
  /^  (-[A-Za-z0-9?],? *)?--?[A-Za-z0-9][^ ]*( [A-Za-z0-9=.|,\[\]_-]+)?  +/ {
    # "  --opt ARG    text": the tag, then the text
    line = $0; sub(/^  /, "", line)
    i = match(line, /   */); tag = substr(line, 1, i - 1); text = substr(line, i + RLENGTH)
    print ".TP"; print "\\fB" esc(tag) "\\fR"; print esc(text); inopt = 1; next
  }
  /^  (-[A-Za-z0-9?],? *)?--?[A-Za-z0-9][^ ]*( [A-Za-z0-9=.|,\[\]_-]+)?$/ {
    line = $0; sub(/^  /, "", line); print ".TP"; print "\\fB" esc(line) "\\fR"; inopt = 1; next
  }
  inopt && /^      / { line = $0; sub(/^ +/, "", line); print esc(line); next }
  /^  / { # a table as written (the commands, the environment): no filling
    if (inopt) inopt = 0
    line = $0; print ".nf"; print esc(line)
    while ((getline nxt) > 0 && nxt ~ /^  /) print esc(nxt)
    print ".fi"
    if (nxt == "") print ".PP"; else print esc(nxt)
    next
  }
  { inopt = 0; print esc($0) }
  '
}

{
  printf '.\\" Generated from lockviz --help by packaging/gen-manpage.sh; do not edit.\n'
  printf '.TH LOCKVIZ 1 "%s" "%s" "User Commands"\n' "$date" "$version"
  printf '.SH NAME\n'
  printf '%s\n' "$main" | head -1 | sed 's/^lockviz: /lockviz \\- /'
  printf '.SH SYNOPSIS\n'
  printf '.B lockviz\n.RI [ COMMAND ] " " [ OPTIONS ]\n'
  for c in $cmds; do # each command's own Usage line
    LC_ALL=C "$bin" --lang en "$c" --help | sed -n 's/^Usage: //p' | head -1 |
      awk '{ gsub(/\\/, "\\e"); gsub(/-/, "\\-"); print ".br"; print "\\fB" $1 " " $2 "\\fR " substr($0, length($1 " " $2) + 2) }'
  done
  printf '.SH DESCRIPTION\n'
  printf '%s\n' "$main" | tail -n +2 | fmt
  printf '.SH COMMANDS\n'
  for c in $cmds; do
    printf '.SS "lockviz %s"\n' "$c"
    LC_ALL=C "$bin" --lang en "$c" --help | sed '1{/^Usage: /d}' | fmt
  done
  printf '.SH SEE ALSO\n'
  printf 'The documentation in /usr/share/doc/lockviz (writing-scenarios.md: scenarios of your own).\n'
} >"$tmp"
mv "$tmp" "$out"
