#!/bin/bash
# Runs every unit test binary given as arguments and every integration
# script under tests/integration/ (each a bash script that exits 0 on
# success), prints one line per test file, and ends with the plain line
# "N passed, N failed". Exit status: 0 only when nothing failed.
# Environment: BUILD (build dir, default build), TEST_FILTER (regex on the
# test file name), VERBOSE=1 (show every test's output).
set -u
BUILD=${BUILD:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export BENCHKEEP="$ROOT/$BUILD/benchkeep"
export BK_ROOT="$ROOT"
# the fixtures live in the repository: a clean checkout tests the same way
export BK_FIXTURES="${BK_FIXTURES:-$ROOT/tests/fixtures}"
LOGDIR="$ROOT/$BUILD/test-logs"
mkdir -p "$LOGDIR"
passed=0
failed=0
failed_names=()
run_one() {
	local name=$1
	shift
	if [ -n "${TEST_FILTER:-}" ] && ! [[ $name =~ $TEST_FILTER ]]; then
		return
	fi
	local log="$LOGDIR/${name//\//_}.log" start end rc
	start=$(date +%s.%N)
	"$@" >"$log" 2>&1 </dev/null
	rc=$?
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
if [ $failed -gt 0 ]; then
	echo "failed: ${failed_names[*]} (logs in $LOGDIR)"
fi
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
