#!/bin/bash
# Import throughput of `benchkeep import`, per format, on large generated
# inputs shaped like the real harness outputs (tests/perf/gen_import.py,
# ~20-45 MB each). Prints, per format, the best of several in-process
# import_buffer runs (parse + samples + statistics) in MB/s, then the whole
# command (read, import, write the result file) on the Google Benchmark
# file. Usage: tests/perf/import.sh [SCALE]   (SCALE 1 = the sizes above)
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
SCALE=${1:-1}
make --no-print-directory "$BUILD/libbenchkeep.a" "$BUILD/benchkeep" >/dev/null
mkdir -p "$BUILD/perf"
cc -std=c11 -O2 -D_GNU_SOURCE -I. $(pkg-config --cflags libcjson) \
	-o "$BUILD/perf/bench_import" tests/perf/bench_import.c "$BUILD/libbenchkeep.a" \
	$(pkg-config --libs libcjson libgit2 libcmark-gfm) -lcmark-gfm-extensions -lm -pthread
DIR=$(mktemp -d /tmp/bk-perf-import-XXXXXX)
trap 'rm -rf "$DIR"' EXIT
python3 tests/perf/gen_import.py "$DIR" "$SCALE"
"$BUILD/perf/bench_import" 1 "$DIR/gbench.json" "$DIR/hyperfine.json" "$DIR/pytest-benchmark.json" \
	"$DIR/pytest-json-report.json" "$DIR/catch2.txt" "$DIR/catch2.xml" "$DIR/cargo.txt" \
	"$DIR/cargo-criterion.jsonl" "$DIR/go.txt"
size=$(wc -c <"$DIR/gbench.json")
best=
for i in 1 2 3; do
	start=$(date +%s%N)
	"$BUILD/benchkeep" import --keep-going -o "$DIR/out.json" "$DIR/gbench.json" >/dev/null
	el=$(( $(date +%s%N) - start ))
	if [ -z "$best" ] || [ "$el" -lt "$best" ]; then best=$el; fi
done
awk -v b="$size" -v ns="$best" 'BEGIN { printf "benchkeep import (whole command, gbench %.1f MB -> %.1f MB result): %.3f s, %.1f MB/s\n", b / 1e6, 0, ns / 1e9, b / 1e6 / (ns / 1e9) }' |
	sed "s/-> 0.0 MB/-> $(awk -v s="$(wc -c <"$DIR/out.json")" 'BEGIN{printf "%.1f", s/1e6}') MB/"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
