#!/bin/bash
# Inputs for the project's own suite (benchkeep.json), made once and kept
# under build/bench/ (a later call with the same arguments does nothing):
#   prepare.sh history COMMITS BENCHES   a repository of COMMITS commits on
#       main and as many results on benchmark-data (tests/perf/gen_history.c,
#       5 samples each), packed: build/bench/history-COMMITS-BENCHES
#   prepare.sh compare BENCHES SAMPLES   two result files of BENCHES
#       benchmarks x SAMPLES samples, some series shifted between them:
#       build/bench/compare-BENCHES-{base,head}.json
#   prepare.sh gbench BENCHES            a Google Benchmark JSON output of
#       BENCHES benchmarks x 10 repetitions: build/bench/gbench-BENCHES.json
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
OUT=build/bench
mkdir -p "$OUT"

gen_history() {
	local bin="$BUILD/perf/gen_history"
	if [ ! -x "$bin" ] || [ "$bin" -ot tests/perf/gen_history.c ] || [ "$bin" -ot "$BUILD/libbenchkeep.a" ]; then
		[ -f "$BUILD/libbenchkeep.a" ] || make --no-print-directory "$BUILD/libbenchkeep.a" >/dev/null
		mkdir -p "$BUILD/perf"
		# shellcheck disable=SC2046 # pkg-config prints several words
		cc -std=c11 -O2 -D_GNU_SOURCE -I. $(pkg-config --cflags libcjson) \
			-o "$bin.tmp" tests/perf/gen_history.c "$BUILD/libbenchkeep.a" \
			$(pkg-config --libs libcjson libgit2 libnats libcmark-gfm) -lcmark-gfm-extensions -lm -pthread
		mv "$bin.tmp" "$bin"
	fi
	echo "$bin"
}

case "${1:-}" in
history)
	dir="$OUT/history-$2-$3"
	[ -f "$dir/.done" ] && exit 0
	rm -rf "$dir"
	"$(gen_history)" "$dir" "$2" "$3" 5 2>/dev/null
	git -C "$dir" gc -q
	touch "$dir/.done"
	;;
compare)
	base="$OUT/compare-$2-base.json" head="$OUT/compare-$2-head.json"
	[ -f "$base" ] && [ -f "$head" ] && exit 0
	tmp="$OUT/compare-$2-repo"
	rm -rf "$tmp"
	# commit 0 and commit 1499/1500 straddle the first level shift of gen_history
	"$(gen_history)" "$tmp" 2 "$2" "$3" 2>/dev/null
	files=$(git -C "$tmp" ls-tree -r --name-only benchmark-data | sort)
	git -C "$tmp" show "benchmark-data:$(echo "$files" | sed -n 1p)" >"$base.tmp"
	git -C "$tmp" show "benchmark-data:$(echo "$files" | sed -n 2p)" >"$head.tmp"
	# shift a third of the head's series by +8% so the comparison has work to do
	python3 - "$head.tmp" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for i, b in enumerate(d["benchmarks"]):
    if i % 3 == 0:
        b["samples"] = [s * 1.08 for s in b["samples"]]
        b.pop("stats", None)
json.dump(d, open(sys.argv[1], "w"))
PY
	mv "$base.tmp" "$base"
	mv "$head.tmp" "$head"
	rm -rf "$tmp"
	;;
gbench)
	f="$OUT/gbench-$2.json"
	[ -f "$f" ] && exit 0
	python3 - "$2" >"$f.tmp" <<'PY'
import json, random, sys
random.seed(7)
n = int(sys.argv[1])
out = {"context": {"date": "2026-11-30T12:00:00+00:00", "host_name": "gen", "executable": "./bench",
                   "num_cpus": 2, "mhz_per_cpu": 2000, "cpu_scaling_enabled": False,
                   "caches": [], "load_avg": [0.5], "library_build_type": "release"},
       "benchmarks": []}
for b in range(n):
    base = 100.0 + 13 * b
    for r in range(10):
        t = base * (1 + random.gauss(0, 0.02))
        out["benchmarks"].append({
            "name": "BM_Func%d/%d" % (b // 8, 1 << (b % 8)), "family_index": b // 8,
            "per_family_instance_index": b % 8, "run_name": "BM_Func%d/%d" % (b // 8, 1 << (b % 8)),
            "run_type": "iteration", "repetitions": 10, "repetition_index": r, "threads": 1,
            "iterations": 100000, "real_time": t, "cpu_time": t * 0.99, "time_unit": "ns"})
json.dump(out, sys.stdout, indent=1)
PY
	mv "$f.tmp" "$f"
	;;
*)
	echo "usage: tests/perf/prepare.sh history COMMITS BENCHES | compare BENCHES SAMPLES | gbench BENCHES" >&2
	exit 2
	;;
esac
