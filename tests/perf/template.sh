#!/bin/bash
# Render throughput of the Mustache engine (sitegen/render/template.c): a benchmark
# page (layout partials + history table) rendered from a compiled template,
# against the same page written by hand with strbuf + escape_html (outputs
# checked identical). Prints ms per page, MB/s and the template/hand ratio
# for a 10,000-row page and for small 20-row pages.
# Usage: tests/perf/template.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
make --no-print-directory "$BUILD/libbenchkeep.a" >/dev/null
mkdir -p "$BUILD/perf"
cc -std=c11 -O2 -D_GNU_SOURCE -I. $(pkg-config --cflags libcjson) \
	-o "$BUILD/perf/bench_template" tests/perf/bench_template.c "$BUILD/libbenchkeep.a" \
	$(pkg-config --libs libcjson libcmark-gfm) -lcmark-gfm-extensions -lm -pthread
"$BUILD/perf/bench_template" 10000 20
"$BUILD/perf/bench_template" 1000 200
"$BUILD/perf/bench_template" 20 20000
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
