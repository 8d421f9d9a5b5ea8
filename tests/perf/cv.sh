#!/bin/bash
# Coefficient of variation (stddev / mean) of wall time against instruction
# count for one real benchmark of the project: `benchkeep site --no-cache` on
# a small generated history (COMMITS commits x BENCHES benchmarks), RUNS
# runs each, measured by `benchkeep run` itself. Instructions are counted
# with callgrind, and with perf too where this machine has the counter.
# Runs under nice (the machine is shared). Prints one line per metric.
# Usage: tests/perf/cv.sh [RUNS] [COMMITS] [BENCHES]
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
RUNS=${1:-20}
N=${2:-100}
B=${3:-20}
TMP=$(mktemp -d /tmp/bk-cv-XXXXXX)
trap 'rm -rf "$TMP"' EXIT
make --no-print-directory "$BUILD/benchkeep" >/dev/null
cc -std=c11 -O2 -D_GNU_SOURCE -I. $(pkg-config --cflags libcjson) \
	-o "$TMP/gen_history" tests/perf/gen_history.c "$BUILD/libbenchkeep.a" \
	$(pkg-config --libs libcjson libgit2 libnats libcmark-gfm) -lcmark-gfm-extensions -lm -pthread
"$TMP/gen_history" "$TMP/repo" "$N" "$B" 5 >/dev/null
BK="$PWD/$BUILD/benchkeep"
backends='"callgrind"'
if perf stat -x, -e instructions:u true 2>&1 >/dev/null | grep -q '^[0-9].*instructions'; then
	backends='"callgrind", "perf"'
fi
cat >"$TMP/cv.json" <<JSON
{"suites": [{"name": "cv", "runs": $RUNS, "warmup": 1, "benchmarks": [
  {"name": "site", "cmd": ["$BK", "site", "--no-cache", "--repo", "$TMP/repo", "--ref", "benchmark-data",
   "--branch", "main", "--out", "$TMP/site"]}]}]}
JSON
wall=$(nice "$BK" run -c "$TMP/cv.json" --out "$TMP/res" | tail -n 1)
files=("$wall")
for b in ${backends//\"/}; do
	b=${b%,}
	files+=("$(nice "$BK" run -c "$TMP/cv.json" --out "$TMP/res" --metric "instructions:$b" --keep-going | tail -n 1)")
done
/usr/bin/python3 - "${files[@]}" <<'PY'
import json, statistics, sys
for f in sys.argv[1:]:
    for b in json.load(open(f))["benchmarks"]:
        s = b["samples"]
        if len(s) < 2:
            print(f"{b['name']:45} no samples ({b.get('metrics')})")
            continue
        m = statistics.mean(s)
        cv = statistics.stdev(s) / m
        unit = b["unit"]
        print(f"{b['name']:45} n={len(s):3}  mean {m:14.6g} {unit:12}  CV {100 * cv:8.4f}%  (min..max {100 * (max(s) - min(s)) / m:.4f}% of mean)")
PY
echo "workload: benchkeep site --no-cache on $N commits x $B benchmarks; machine: $(nproc) cores," \
	"$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
