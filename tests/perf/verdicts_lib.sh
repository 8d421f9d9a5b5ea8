# shellcheck shell=bash
# Shared by tests/perf/verdicts.sh and tests/perf/run_cost.sh (sourced):
# the eight real commands, their inputs, their config, a CPU-bound
# neighbour started and stopped by its PID, and the machine line.

# Sizes of the base side (what the A/A runs measure) and of the probe side
# (about 1.5x the work, used once to calibrate how much more the head side
# needs to be 20-25% slower on this machine). verdicts_gen.py documents
# each key.
# shellcheck disable=SC2034 # used by the scripts that source this file
VERDICT_BASE_SIZES=(startup_spin=0 sleep_ns=10000000 sort_lines=200000 hash_bytes=6291456
	gzip_bytes=1572864 py_loops=0 git_files=1500 awk_bytes=3145728)
# shellcheck disable=SC2034
VERDICT_PROBE_SIZES=(startup_spin=400000 sleep_ns=15000000 sort_lines=300000 hash_bytes=9437184
	gzip_bytes=2359296 py_loops=400000 git_files=2250 awk_bytes=4718592)

# ROOT: the repository; BK: the benchkeep binary; PY: the python that
# analyses; PYBENCH: the interpreter the python benchmark starts (the real
# binary, not a pyenv shim script); CC: the C compiler.
verdict_init() {
	ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
	BUILD=${BUILD:-build}
	case $BUILD in /*) ;; *) BUILD="$ROOT/$BUILD" ;; esac
	BK=${BENCHKEEP:-$BUILD/benchkeep}
	PY=/usr/bin/python3
	[ -x "$PY" ] || PY=$(command -v python3)
	PYBENCH=${PYBENCH:-$PY}
	CC=${CC:-cc}
	export BENCHKEEP_MACHINE=bench-verdicts
	local t
	for t in "$BK" "$PY"; do
		[ -x "$t" ] || { echo "verdicts: $t: not found (make -C $ROOT first)" >&2; exit 2; }
	done
	for t in git sort sha256sum gzip awk "$CC"; do
		command -v "$t" >/dev/null || { echo "verdicts: $t is needed" >&2; exit 2; }
	done
}

# verdict_gen DIR SIZE...: one side's inputs (see verdicts_gen.py)
verdict_gen() {
	"$PY" "$ROOT/tests/perf/verdicts_gen.py" "$1" "$CC" "${@:2}"
}

# verdict_config FILE RUNS WARMUP: the eight benchmarks; {build} is the
# side's directory (the current directory in a plain run)
verdict_config() {
	local pyb
	pyb=$("$PY" -c 'import json, sys; print(json.dumps(sys.argv[1]))' "$PYBENCH")
	cat >"$1" <<JSON
{"suites": [{"name": "verdicts", "runs": $2, "warmup": $3, "timeout": 60, "benchmarks": [
  {"name": "startup", "cmd": ["{build}/true"]},
  {"name": "sort", "cmd": ["sort", "-n", "{build}/sort.txt"]},
  {"name": "sha256sum", "cmd": ["sha256sum", "{build}/hash.bin"]},
  {"name": "gzip", "cmd": ["gzip", "-c", "{build}/gzip.txt"]},
  {"name": "sleep", "cmd": ["{build}/sleep"]},
  {"name": "python", "cmd": [$pyb, "{build}/work.py"]},
  {"name": "git-status", "cmd": ["git", "-C", "{build}/git", "status"]},
  {"name": "awk", "cmd": ["awk", "{s += \$NF} END {print s}", "{build}/awk.txt"]}
]}]}
JSON
}

# The CPU-bound neighbour: one shell spinning in a builtin loop (no child),
# its PID the $! of that very command; stopped by that PID only.
HOG=
hog_start() {
	[ -z "$HOG" ] || return 0
	sh -c 'while :; do :; done' &
	HOG=$!
}
hog_stop() {
	[ -n "$HOG" ] || return 0
	kill "$HOG" 2>/dev/null || true
	wait "$HOG" 2>/dev/null || true
	HOG=
}

verdict_machine() {
	printf '%s, %s cores' "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')" "$(nproc)"
}
verdict_load() {
	cut -d' ' -f1-3 /proc/loadavg
}
