#!/bin/bash
# Time to compare two results of 1,000 benchmarks x 100 samples each (every
# pair gets the U test, the Hodges-Lehmann CI on 10,000 log differences and
# BH), end to end on the real binary: reading both files, comparing, writing
# text, JSON and the summary. Also 1,000 x 1,000 samples, and for the
# breakdown the cost of reading and writing one such file without any
# statistics (`baseline show --format json`).
# Usage: tests/perf/compare.sh   (uses hyperfine when installed)
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
make --no-print-directory "$BUILD/benchkeep" >/dev/null
BK=$PWD/$BUILD/benchkeep
T=$(mktemp -d /tmp/bk-perf-compare-XXXXXX)
trap 'rm -rf "$T"' EXIT
/usr/bin/python3 - "$T" <<'PY'
import json, random, sys
d = sys.argv[1]
rng = random.Random(1)
def res(rid, n, shift):
    return {"schema": "benchkeep/result/v1", "run": {"id": rid}, "benchmarks": [
        {"suite": "perf", "name": "bench%04d" % i, "unit": "ns",
         "samples": [round(1000 * (shift if i % 50 == 0 else 1) * rng.lognormvariate(0, 0.05), 3)
                     for _ in range(n)]} for i in range(1000)]}
for n in (100, 1000):
    json.dump(res("a", n, 1.0), open("%s/a%d.json" % (d, n), "w"))
    json.dump(res("b", n, 1.3), open("%s/b%d.json" % (d, n), "w"))
PY
ls -l "$T"/*.json | awk '{printf "%s %.1f MB\n", $NF, $5/1e6}'
"$BK" compare "$T/a100.json" "$T/b100.json" | tail -n 1
"$BK" baseline update --baseline "$T/bl100.json" "$T/a100.json" >/dev/null 2>&1
run() {
	if command -v hyperfine >/dev/null; then
		nice hyperfine -N --warmup 1 --runs 10 --style basic "$@" 2>&1 | grep -E "Benchmark|Time"
	else
		for c in "$@"; do
			s=$(date +%s%N); sh -c "$c" >/dev/null; e=$(date +%s%N)
			echo "$c: $(( (e - s) / 1000000 )) ms"
		done
	fi
}
run "$BK baseline show $T/bl100.json --format json" \
	"$BK compare -f json $T/a100.json $T/b100.json" \
	"$BK compare $T/a100.json $T/b100.json" \
	"$BK summary --head $T/b100.json --base $T/a100.json"
run "$BK compare -f json $T/a1000.json $T/b1000.json"
# the statistics alone, in process (CPU time, so other load matters less)
mkdir -p "$BUILD/perf"
cc -std=c11 -O2 -D_GNU_SOURCE -I. $(pkg-config --cflags libcjson) -o "$BUILD/perf/bench_compare" \
	tests/perf/bench_compare.c "$BUILD/libbenchkeep.a" $(pkg-config --libs libcjson) -lm -pthread
"$BUILD/perf/bench_compare" 1000 100 7
"$BUILD/perf/bench_compare" 1000 1000 3
"$BUILD/perf/bench_compare" 5000 10 5
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
