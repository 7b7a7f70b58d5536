#!/usr/bin/env bash
# Records the classic pthread programs of this folder with `lockviz record`, live, each as many
# times as its header says, and checks every run against the header: the findings it must and
# must not give (recomputed by `lockviz check --json` from the trace), the trace's outcome and
# the program's exit, its stdout and stderr passed through, text a finding must say. Each
# program also runs once without lockviz, to show that its header tells the truth about it.
# It builds nothing: CMake builds the programs (tests/programs/CMakeLists.txt).
# Usage: run_corpus.sh LOCKVIZ BINDIR PROGRAM...
#   BINDIR holds the built programs; PROGRAM is a name, read from PROGRAM.c beside this script.
#   LV_PROGRAM_RUNS=N records each program N times instead of its header's count;
#   LV_PROGRAM_SRC=DIR reads the headers from DIR/PROGRAM.c instead (runner_selftest.sh).
#   LV_RECORD_ARGS="--mode controlled --policy P --seed N" records with those options, without
#   the native run, and also checks that every run's trace is the same, byte for byte (for a
#   program whose header says `uses-pid: yes`, after its pid is masked from names and notes);
#   a `known:` line is then only checked, not required to fail. `{run}` in them stands for the
#   run's number (runner_selftest.sh makes runs differ with `--seed {run}`).
#
# The header: lines `// KEY: VALUE` before the first #include.
#   expect: KINDS       findings each run must have (deadlock lock_order misuse invariant race)
#   expect-not: KINDS   findings no run may have
#   maybe: KINDS        findings a run may or may not have (README.md says why)
#                       every kind is in exactly one of the three; race is always expect-not,
#                       since a recorder of lock calls sees no memory access
#   outcome: WORD       the trace's outcome (completed, deadlocked, aborted)
#   exit: STATUS        the program's exit: a number, `signal N`, or `stopped` (it hangs
#                       natively, where it is killed after 0.5 s; recorded, lockviz stops it)
#   stdout: TEXT        a line the program prints (on stdout of the run, passed through)
#   stderr: TEXT        the same on stderr
#   says: KIND TEXT...  a finding of KIND says each TEXT in its message or detail; @TAG stands
#                       for FILE.c:LINE of the source line marked `// @TAG`
#   says-not: KIND PHRASE   no finding of KIND says PHRASE (the rest of the line, @TAG too)
#   count: KIND N       exactly N findings of KIND
#   known: LINE         LINE (a says, says-not or count line) is known to fail because of the
#                       recorder (KNOWN.md says what): it is checked, and the run fails when it
#                       holds on every run, so that a fixed issue does not stay listed
#   absent: TEXT        the trace does not contain TEXT
#   runs: N             how many recorded runs (default 3)
#   uses-pid: yes       a process id shows in its trace (a name from getpid, a fork note), so
#                       controlled runs are the same but for it
. "$(dirname "$0")/../support/cli_lib.sh" "$1"
BIN=$2
shift 2
case $LV in /*) ;; *) LV=$PWD/$LV ;; esac # the runs start in $T
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
SRC=${LV_PROGRAM_SRC:-$(cd "$(dirname "$0")" && pwd)}
KINDS="deadlock lock_order misuse invariant race"
command -v jq >/dev/null || { echo "run_corpus.sh: jq is needed (scripts/deps --test)"; exit 1; }

has() { # has WORD LIST...: WORD is one of LIST
    local w=$1
    shift
    for x in "$@"; do [ "$x" = "$w" ] && return 0; done
    return 1
}

# read_header FILE: sets expect, expect_not, maybe, outcome, exit_want, runs and the arrays
# outs, errs, says (says, says-not and count lines), knowns, absents; returns 1 (after saying
# why) if the header is wrong
read_header() {
    local f=$1 line key val
    expect="" expect_not="" maybe="" outcome="" exit_want="" runs=3 uses_pid=""
    outs=() errs=() says=() absents=() knowns=() known_seen=()
    while IFS= read -r line; do
        case $line in
        "#include"*) break ;;
        "// "*:*) ;;
        *) continue ;;
        esac
        line=${line#// }
        key=${line%%:*}
        val=${line#*: }
        case $key in
        expect) expect="$expect $val" ;;
        expect-not) expect_not="$expect_not $val" ;;
        maybe) maybe="$maybe $val" ;;
        outcome) outcome=$val ;;
        exit) exit_want=$val ;;
        stdout) outs+=("$val") ;;
        stderr) errs+=("$val") ;;
        says | says-not | count) says+=("$key: $val") ;;
        known) knowns+=("$val") ;;
        absent) absents+=("$val") ;;
        runs) runs=$val ;;
        uses-pid) uses_pid=$val ;;
        *) echo "$f: unknown header key '$key'"; return 1 ;;
        esac
    done <"$f"
    local k n
    for k in $expect $expect_not $maybe; do
        has "$k" $KINDS || { echo "$f: '$k' is not a finding kind"; return 1; }
    done
    for k in $KINDS; do
        n=0
        has "$k" $expect && n=$((n + 1))
        has "$k" $expect_not && n=$((n + 1))
        has "$k" $maybe && n=$((n + 1))
        [ "$n" -eq 1 ] || { echo "$f: '$k' must be in exactly one of expect, expect-not, maybe"; return 1; }
    done
    has race $expect_not || { echo "$f: race must be expect-not (no memory access is recorded)"; return 1; }
    case $outcome in completed | deadlocked | aborted) ;; *) echo "$f: outcome '$outcome'"; return 1 ;; esac
    case $exit_want in stopped | "signal "[0-9]* | [0-9]*) ;; *) echo "$f: exit '$exit_want'"; return 1 ;; esac
    case $runs in [1-9] | [1-9][0-9]) ;; *) echo "$f: runs '$runs'"; return 1 ;; esac
    for k in "${says[@]}" "${knowns[@]}"; do
        case $k in
        "says: "[a-z]*" "?* | "says-not: "[a-z]*" "?* | "count: "[a-z]*" "[0-9]*) ;;
        *) echo "$f: '$k': want says, says-not or count, then a kind and what to check"; return 1 ;;
        esac
        n=${k#*: }
        has "${n%% *}" $KINDS || { echo "$f: '$k': '${n%% *}' is not a finding kind"; return 1; }
    done
    return 0
}

# tag FILE TAG: FILE's basename and the line marked `// @TAG`
tag() {
    local n
    n=$(grep -n -- "// @$2\$" "$1" | cut -d: -f1)
    [ "$(echo "$n" | wc -w)" -eq 1 ] || { echo "BADTAG@$2"; return; }
    echo "$(basename "$1"):$n"
}

# the program's exit as the header writes it, from a shell status
native_exit() {
    if [ "$1" -gt 128 ]; then echo "signal $(($1 - 128))"; else echo "$1"; fi
}

lines_in() { # lines_in NAME FILE TEXT...: each TEXT is a line (or part of one) of FILE
    local name=$1 file=$2 s
    shift 2
    for s in "$@"; do expect_in "$name" "$file" "$s"; done
}

# run_native NAME: once without lockviz
run_native() {
    local p=$1 got
    if [ "$exit_want" = stopped ]; then
        timeout 0.5 "$BIN/$p" >"$T/n.out" 2>"$T/n.err"
        got=$?
        [ "$got" -eq 124 ] && ok || bad "$p natively: exit $got, want a hang (timeout's 124)"
    else
        { "$BIN/$p" >"$T/n.out" 2>"$T/n.err"; } 2>/dev/null # (bash's "Aborted" line)
        got=$(native_exit $?)
        [ "$got" = "$exit_want" ] && ok || bad "$p natively: exit $got, want $exit_want"
    fi
    lines_in "$p natively" "$T/n.out" "${outs[@]}"
    lines_in "$p natively" "$T/n.err" "${errs[@]}"
}

# record_once NAME I: one recorded run, checked; adds the kinds it found to $seen
record_once() {
    local p=$1 i=$2 tr=$T/$1.$2.json st cst kinds k s kind texts t args=${LV_RECORD_ARGS:-}
    args=${args//\{run\}/$i}
    # shellcheck disable=SC2086 # LV_RECORD_ARGS is a list of options
    (cd "$T" && "$LV" record --headless $args --out "$tr" -- "$BIN/$p") \
        >"$T/r.out" 2>"$T/r.err"
    st=$?
    if [ ! -s "$tr" ]; then
        bad "$p run $i: no trace (lockviz exit $st)"
        sed 's/^/  err: /' "$T/r.err" | head -10
        return
    fi
    "$LV" check --json "$tr" >"$T/c.json" 2>"$T/c.err"
    cst=$?
    # one jq for all the facts (it costs more than a recorded run): the outcome, the program's
    # end, and each finding as KIND, a tab, its message and detail on one line
    jq -r -s '(.[1].outcome | "outcome\t\(.)"),
        (.[1].program | "exit\t" + if . == null then "none (no \"program\" in the trace)"
            elif .end == "exited" then "\(.status)" elif .end == "signal" then "signal \(.status)"
            else .end end),
        (.[0][] | "finding\t\(.kind)\t\(.message | gsub("\n"; " ")) \(.detail // "" | gsub("\n"; " "))")' \
        "$T/c.json" "$tr" >"$T/facts" 2>"$T/jq.err" || bad "$p run $i: $(head -1 "$T/jq.err")"
    kinds=$(grep '^finding' "$T/facts" | cut -f2 | sort -u | tr '\n' ' ')
    [ -n "$kinds" ] && want=1 || want=0
    [ "$cst" -eq "$want" ] && ok || bad "$p run $i: check exit $cst with findings '$kinds'"
    for k in $expect; do
        has "$k" $kinds && ok || bad "$p run $i: no $k finding (found: ${kinds:-none})"
    done
    for k in $expect_not; do
        has "$k" $kinds && bad "$p run $i: a $k finding: $(said "$k" | head -c 300)" || ok
    done
    seen="$seen $kinds"
    local out ex
    out=$(grep '^outcome' "$T/facts" | cut -f2)
    [ "$out" = "$outcome" ] && ok || bad "$p run $i: outcome $out, want $outcome"
    ex=$(grep '^exit' "$T/facts" | cut -f2)
    [ "$ex" = "$exit_want" ] && ok || bad "$p run $i: the trace says the program's exit was '$ex', want '$exit_want'"
    # lockviz's status (docs/command-line.md): 1 for a finding, or a program that was stopped or
    # killed by a signal; else 0, whatever the program's own status
    [ -n "$kinds" ] || [ "$ex" = stopped ] || [ "${ex#signal }" != "$ex" ] && want=1 || want=0
    [ "$st" -eq "$want" ] && ok || bad "$p run $i: lockviz exit $st, want $want (findings '$kinds', program $ex)"
    case $exit_want in # and the summary says how the program ended
    stopped) expect_in "$p run $i" "$T/r.out" "program: stopped by lockviz" ;;
    signal*) expect_in "$p run $i" "$T/r.out" "program: killed by SIG" ;;
    *) expect_in "$p run $i" "$T/r.out" "program: exited with status $exit_want" ;;
    esac
    expect_in "$p run $i" "$T/r.out" "data races are not looked for"
    lines_in "$p run $i" "$T/r.out" "${outs[@]}"
    lines_in "$p run $i" "$T/r.err" "${errs[@]}"
    for s in "${says[@]}"; do
        holds "$p" "$s" && ok || bad "$p run $i: $why"
    done
    for ((k = 0; k < ${#knowns[@]}; k++)); do
        holds "$p" "${knowns[k]}" || known_seen[k]=$((${known_seen[k]:-0} + 1))
    done
    for s in "${absents[@]}"; do
        grep -qF -- "$s" "$tr" && bad "$p run $i: the trace holds '$s'" || ok
    done
    # controlled runs keep their trace until the runs are compared with each other
    [ -n "${LV_RECORD_ARGS:-}" ] || rm -f "$tr"
}

# holds PROGRAM "KEY: VALUE": whether this run's findings bear out a says, says-not or count
# line; if not, $why says how
holds() {
    local p=$1 key=${2%%: *} val=${2#*: } kind t n
    kind=${val%% *}
    why=""
    case $key in
    says | says-not)
        local texts=(${val#* })               # says: each word (or @TAG) is a text
        [ "$key" = says-not ] && texts=("${val#* }") # says-not: the rest is one phrase
        for t in "${texts[@]}"; do
            case $t in @*) t=$(tag "$SRC/$p.c" "${t#@}") ;; esac
            if said "$kind" | grep -qF -- "$t"; then
                [ "$key" = says-not ] && why="a $kind finding says '$t': $(said "$kind" | head -c 300)"
            else
                [ "$key" = says ] && why="no $kind finding says '$t': $(said "$kind" | head -c 300)"
            fi
            [ -z "$why" ] || return 1
        done
        ;;
    count)
        n=$(said "$kind" | wc -l)
        [ "$n" -eq "${val#* }" ] || { why="$n $kind findings, want ${val#* }: $(said "$kind" | head -c 300)"; return 1; }
        ;;
    esac
    return 0
}

# said KIND: the messages and details of the run's findings of KIND
said() { grep "^finding"$'\t'"$1"$'\t' "$T/facts" | cut -f3-; }

for p in "$@"; do
    f=$SRC/$p.c
    [ -x "$BIN/$p" ] || { bad "$p: no program $BIN/$p (build it first)"; continue; }
    read_header "$f" || { fails=$((fails + 1)); continue; }
    [ -n "${LV_PROGRAM_RUNS:-}" ] && runs=$LV_PROGRAM_RUNS
    start=$(date +%s%N)
    before=$fails
    [ -z "${LV_RECORD_ARGS:-}" ] && run_native "$p"
    seen=""
    for i in $(seq 1 "$runs"); do record_once "$p" "$i"; done
    if [ -n "${LV_RECORD_ARGS:-}" ]; then
        mask() { if [ "$uses_pid" = yes ]; then sed -E 's/[0-9]{2,}([^0-9"]*")/N\1/g' "$1"; else cat "$1"; fi; }
        for i in $(seq 2 "$runs"); do
            if [ ! -s "$T/$p.1.json" ] || [ ! -s "$T/$p.$i.json" ]; then
                bad "$p: controlled runs 1 and $i: no trace to compare"
            elif cmp -s <(mask "$T/$p.1.json") <(mask "$T/$p.$i.json"); then
                ok
            else
                bad "$p: controlled runs 1 and $i differ: $(diff <(mask "$T/$p.1.json") <(mask "$T/$p.$i.json") | head -3 | tr '\n' ' ')"
            fi
        done
        rm -f "$T/$p".*.json
    fi
    for ((k = 0; k < ${#knowns[@]}; k++)); do
        if [ -n "${LV_RECORD_ARGS:-}" ]; then
            echo "known $p: '${knowns[k]}' failed on ${known_seen[k]:-0} of $runs runs (KNOWN.md)"
        elif [ "${known_seen[k]:-0}" -eq 0 ]; then
            bad "$p: '${knowns[k]}' held on every run: the recorder's known issue (KNOWN.md) is gone; make it a plain header line"
        else
            echo "known $p: '${knowns[k]}' failed on ${known_seen[k]} of $runs runs (KNOWN.md)"
        fi
    done
    secs=$(awk -v a="$start" -v b="$(date +%s%N)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')
    found=$(echo $seen | tr ' ' '\n' | grep . | sort | uniq -c | awk '{printf "%s %s/'"$runs"', ", $2, $1}')
    [ "$fails" -eq "$before" ] && r=ok || r=FAILED
    printf '%s %s: %d runs, %s s; found: %s\n' "$r" "$p" "$runs" "$secs" "${found:-nothing}"
done
finish
