#!/bin/bash
# make valgrind: runs the unit test binaries and fuzz regression replays
# given as arguments, and a few real commands (run, import-free site build
# on a generated history, --help), each under valgrind memcheck. Any memory
# error or leak (definite, indirect or possible) fails; "still reachable"
# blocks (libraries' one-time registries) do not. Suppressions, each with
# its reason, are in tests/valgrind.supp. Prints one line per program and
# "N passed, N failed". Environment: BUILD (default build).
set -u
BUILD=${BUILD:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BK="$ROOT/$BUILD/benchkeep"
LOG="$ROOT/$BUILD/valgrind-logs"
TMP=$(mktemp -d /tmp/bk-vg-XXXXXX)
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$LOG"
VG=(valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect,possible
	--errors-for-leak-kinds=definite,indirect,possible --track-origins=yes
	--suppressions="$ROOT/tests/valgrind.supp")
passed=0
failed=0
one() {
	local name=$1
	shift
	local log="$LOG/${name//\//_}.log" start secs
	start=$(date +%s.%N)
	(cd "$ROOT" && "${VG[@]}" --log-file="$log.vg" "$@") >"$log" 2>&1 </dev/null
	local rc=$?
	secs=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}')
	# with -q valgrind reports errors and leaks as "==PID==" lines; its own
	# "--PID-- WARNING" lines (e.g. an unhandled syscall) are not errors
	if [ $rc -eq 0 ] && ! grep -q '^==[0-9]*==' "$log.vg"; then
		passed=$((passed + 1))
		printf 'ok    %-40s %6ss\n' "$name" "$secs"
	else
		failed=$((failed + 1))
		printf 'FAIL  %-40s %6ss (exit %d)\n' "$name" "$secs" "$rc"
		grep '^==[0-9]*==' "$log.vg" | head -n 40 | sed 's/^/      /'
		tail -n 5 "$log" | sed 's/^/      /'
	fi
}
for bin in "$@"; do
	one "$(basename "$bin")" "$ROOT/$bin"
done
# real commands: a run, and a site over a generated history
cat >"$TMP/bk.json" <<'JSON'
{"suites": [{"name": "v", "runs": 3, "warmup": 0, "benchmarks": [
  {"name": "true", "cmd": ["true"], "params": {"k": [1, 2]}},
  {"name": "sh", "cmd": "true", "setup": "true", "teardown": "true"}]}]}
JSON
one "benchkeep --help" "$BK" --help
one "benchkeep run" "$BK" run -c "$TMP/bk.json" --out "$TMP/results"
python3 "$ROOT/tests/integration/helpers/make_history.py" "$TMP/repo" --commits 30 >/dev/null
one "benchkeep site" "$BK" site --repo "$TMP/repo" --ref benchmark-data --out "$TMP/site" --threads 2
one "benchkeep site (cached)" "$BK" site --repo "$TMP/repo" --ref benchmark-data --out "$TMP/site"
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
