#!/usr/bin/env bash
# lockviz record on the programs of tests/record: exit codes, what is printed at source lines,
# the program's own output and status passed through, and the traces check/view/export read.
. "$(dirname "$0")/../support/cli_lib.sh" "$1"
P=$2 # the folder of the built test programs

check philo_deadlock 1 "$LV" record --headless --out "$T/philo.json" -- "$P/rec_philo" deadlock
expect_in philo_stopped "$T/out" "program: stopped by lockviz"
expect_in philo_cycle "$T/out" "[deadlock] Deadlock: philosopher-0 holds forks[0] (rec_philo.c:"
expect_in philo_norace "$T/out" "data races are not looked for"
check philo_check 1 "$LV" check "$T/philo.json"
expect_in philo_check_cycle "$T/out" "philosopher-0 holds forks[0]"

check philo_ordered 0 "$LV" record --headless -- "$P/rec_philo" ordered
expect_in ordered_output "$T/out" "all philosophers ate"
expect_in ordered_status "$T/out" "program: exited with status 0"
check static_refused 2 "$LV" record --headless -- "$P/rec_static"
one_line static_one_line
expect_in static_why "$T/err" "statically linked (no PT_INTERP"
check no_program 2 "$LV" record --headless --
one_line no_program_one_line
LOCKVIZ_RECORD_PREFAULT_MB=lots check prefault_bad 2 "$LV" record --headless -- "$P/rec_philo" ordered
one_line prefault_one_line
expect_in prefault_why "$T/err" "LOCKVIZ_RECORD_PREFAULT_MB=lots: must be a whole number of MiB"
check crash_status 1 "$LV" record --headless -- "$P/rec_end" segv
expect_in crash_signal "$T/out" "program: killed by SIGSEGV"
finish
