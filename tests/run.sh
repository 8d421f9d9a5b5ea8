#!/bin/bash
# Runs every unit test binary given as arguments and every integration
# script under tests/integration/ (each a bash script that exits 0 on
# success), prints one line per test file, and ends with the plain line
# "N passed, N failed". Exit status: 0 only when nothing failed.
# Environment: BUILD (build dir, default build), TEST_FILTER (regex on the
# test file name), VERBOSE=1 (show every test's output).
#
# No process left behind: every test runs with BK_TEST_SESSION (unique to
# this run) and BK_TEST_CASE (its name) in its environment, which all its
# descendants inherit. After each test, and once at the end, /proc is
# scanned for live processes carrying this run's marker; each one found is
# listed ("left running: PID command (by TEST)"), killed by its PID, and
# the test counts as failed. Found by environment, never by name, so a
# concurrent run or the user's own servers are not touched.
set -u
BUILD=${BUILD:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export BENCHKEEP="$ROOT/$BUILD/benchkeep"
export BK_ROOT="$ROOT"
# the fixtures live in the repository: a clean checkout tests the same way
export BK_FIXTURES="${BK_FIXTURES:-$ROOT/tests/fixtures}"
BK_TEST_SESSION="bk-test-$$-${SRANDOM:-$RANDOM}-$(date +%s%N)"
export BK_TEST_SESSION
LOGDIR="$ROOT/$BUILD/test-logs"
mkdir -p "$LOGDIR"
passed=0
failed=0
failed_names=()
left_total=0

# find_left: sets LEFT to "PID<TAB>TEST<TAB>command" for each live process
# carrying this run's marker. Bash builtins only (no fork: a child of this
# shell would carry the marker too and find itself).
find_left() {
	LEFT=()
	local d pid e tcase found
	local -a env cmd
	for d in /proc/[0-9]*; do
		pid=${d#/proc/}
		[ "$pid" = "$$" ] && continue
		mapfile -d '' -t env 2>/dev/null <"$d/environ" || continue
		[[ "${env[*]}" == *"BK_TEST_SESSION=$BK_TEST_SESSION"* ]] || continue
		tcase="?"
		found=0
		for e in "${env[@]}"; do
			[ "$e" = "BK_TEST_SESSION=$BK_TEST_SESSION" ] && found=1
			[ "${e%%=*}" = BK_TEST_CASE ] && tcase=${e#BK_TEST_CASE=}
		done
		[ $found = 1 ] || continue
		mapfile -d '' -t cmd 2>/dev/null <"$d/cmdline" || cmd=()
		[ ${#cmd[@]} -gt 0 ] || continue # a zombie: it has exited
		LEFT+=("$pid"$'\t'"$tcase"$'\t'"${cmd[*]}")
	done
}

# check_left: lists, kills (by PID) and counts the marked processes still
# running; returns 1 when there were any. A process on its way out gets
# half a second.
check_left() {
	local i l pid tcase cmd
	find_left
	for i in 1 2 3 4 5; do
		[ ${#LEFT[@]} -eq 0 ] && return 0
		sleep 0.1
		find_left
	done
	[ ${#LEFT[@]} -eq 0 ] && return 0
	for l in "${LEFT[@]}"; do
		IFS=$'\t' read -r pid tcase cmd <<<"$l"
		echo "left running: $pid $cmd (by $tcase)"
		kill -TERM "$pid" 2>/dev/null
	done
	left_total=$((left_total + ${#LEFT[@]}))
	sleep 0.5
	find_left
	for l in "${LEFT[@]}"; do
		kill -KILL "${l%%$'\t'*}" 2>/dev/null
	done
	return 1
}

run_one() {
	local name=$1
	shift
	if [ -n "${TEST_FILTER:-}" ] && ! [[ $name =~ $TEST_FILTER ]]; then
		return
	fi
	local log="$LOGDIR/${name//\//_}.log" start end rc
	start=$(date +%s.%N)
	BK_TEST_CASE=$name "$@" >"$log" 2>&1 </dev/null
	rc=$?
	if ! check_left >>"$log"; then
		[ $rc -eq 0 ] && rc=125 # passed, but left a process running
	fi
	end=$(date +%s.%N)
	local secs
	secs=$(awk -v a="$start" -v b="$end" 'BEGIN{printf "%.1f", b-a}')
	if [ $rc -eq 0 ]; then
		passed=$((passed + 1))
		printf 'ok    %-40s %6ss\n' "$name" "$secs"
		[ "${VERBOSE:-0}" = 1 ] && sed 's/^/      /' "$log"
	else
		failed=$((failed + 1))
		failed_names+=("$name")
		printf 'FAIL  %-40s %6ss (exit %d)\n' "$name" "$secs" "$rc"
		tail -n 40 "$log" | sed 's/^/      /'
	fi
}
for bin in "$@"; do
	run_one "unit/$(basename "$bin")" "$ROOT/$bin"
done
for t in "$ROOT"/tests/integration/*.sh; do
	[ -e "$t" ] || continue
	run_one "integration/$(basename "$t" .sh)" bash "$t"
done
# anything the runner itself started, or that escaped a test's check
if ! check_left; then
	failed=$((failed + 1))
	failed_names+=("(processes left running)")
fi
if [ $left_total -gt 0 ]; then
	echo "left running: $left_total process(es) after their test ended (listed above; killed)"
fi
if [ $failed -gt 0 ]; then
	echo "failed: ${failed_names[*]} (logs in $LOGDIR)"
fi
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
