#!/usr/bin/env bash
# The README's list of teaching scenarios is the one `lockviz list` prints: the same names in
# the same order, and the count it is written with.
# Usage: readme_test.sh LOCKVIZ_BINARY SOURCE_DIR
. "$(dirname "$0")/../support/cli_lib.sh" "$1"
readme=${2:?usage: readme_test.sh LOCKVIZ_BINARY SOURCE_DIR}/README.md

check list 0 "$LV" list
listed=$(grep -oE '^[a-z][a-z0-9-]*:' "$T/out" | tr -d ':' | tr '\n' ' ')
# the bullet "- **N teaching scenarios** ...", up to the next bullet
para=$(awk '/^- \*\*[A-Za-z]+ teaching scenarios\*\*/ {on = 1; print; next}
            on && /^- / {exit}
            on {print}' "$readme")
[ -n "$para" ] && ok || bad "README: no '- **N teaching scenarios**' bullet"
# the names, each the first backquoted word of a "`name` (what it is)"
named=$(printf '%s\n' "$para" | tr '\n' ' ' | grep -oE '`[a-z][a-z0-9-]*` \(' | tr -d '`( ' |
  tr '\n' ' ')
[ "$named" = "$listed" ] && ok || bad "README names '$named', lockviz list '$listed'"
n=$(printf '%s\n' $listed | wc -l)
words=(zero one two three four five six seven eight nine ten eleven twelve)
count=$(printf '%s\n' "$para" | head -1 | sed -E 's/^- \*\*([A-Za-z]+) teaching.*/\1/' |
  tr 'A-Z' 'a-z')
[ "$count" = "${words[$n]:-$n}" ] && ok || bad "README says '$count' teaching scenarios, lockviz list has $n"
finish
