#!/bin/bash
# Import throughput of the part-B importers (BenchmarkDotNet, JMH, Julia,
# benchmark.js, Luau, custom JSON, Rust baseline): for each format a large
# input shaped like the tool's real output is generated (tests/perf/
# gen_import2.c), then detected and imported with import_buffer (parse,
# samples, stats), best of 3, in process CPU time (the machine is shared).
# Prints MB, benchmarks, samples, CPU ms, MB/s and the detection time
# (which reads at most a 64 KiB prefix).
# Usage: tests/perf/import2.sh [MEGABYTES]   (default 16 per format)
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
MB=${1:-16}
make --no-print-directory "$BUILD/libbenchkeep.a" >/dev/null
mkdir -p "$BUILD/perf"
CFLAGS_P="-std=c11 -O2 -D_GNU_SOURCE -I. $(pkg-config --cflags libcjson)"
LIBS_P="$(pkg-config --libs libcjson libgit2 libcmark-gfm) -lcmark-gfm-extensions -lm -pthread"
cc $CFLAGS_P -o "$BUILD/perf/gen_import2" tests/perf/gen_import2.c
cc $CFLAGS_P -o "$BUILD/perf/bench_import2" tests/perf/bench_import2.c "$BUILD/libbenchkeep.a" $LIBS_P
printf '%-16s %7s %10s %10s %9s %8s %9s\n' format MB benchmarks samples cpu-ms MB/s detect-us
for f in benchmarkdotnet jmh julia benchmarkjs benchmarkluau custom rust-baseline; do
	in="$BUILD/perf/import2-$f.in"
	"$BUILD/perf/gen_import2" "$f" "$MB" >"$in"
	"$BUILD/perf/bench_import2" "$in" "$f" 3
	rm -f "$in"
done
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
