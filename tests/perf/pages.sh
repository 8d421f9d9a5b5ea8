#!/bin/bash
# Page rendering cost per page (tests/perf/pages.c): chart_svg of a
# 10,000-point series, a benchmark page (data + benchmark.html.mustache) and
# a 200-row commit page, best of 3 rounds, CPU time. With BASE=<git rev> the
# same program is also built against that revision's library (in a temporary
# worktree) and the two are compared: times, ratio, and whether the outputs
# are byte-identical (hashes). BK_PAGES_ARENA=1 builds and renders each page
# inside the cJSON arena (lib/doc/json.h).
# Usage: [BASE=rev] tests/perf/pages.sh [POINTS [PAGES [ROUNDS]]]
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
ARGS=("${@:-10000}")
[ $# -ge 2 ] || ARGS+=(40)
build_prog() { # SRCROOT LIBDIR OUT
	cc -std=c11 -O2 -D_GNU_SOURCE -I"$1/lib" -I"$1/sitegen" $(pkg-config --cflags libcjson) \
		-o "$3" tests/perf/pages.c "$2/libbenchkeep.a" \
		$(pkg-config --libs libcjson libgit2 libnats libcmark-gfm) -lcmark-gfm-extensions -lm -pthread
}
make --no-print-directory "$BUILD/libbenchkeep.a" >/dev/null
mkdir -p "$BUILD/perf"
build_prog . "$BUILD" "$BUILD/perf/pages"
if [ -n "${BASE:-}" ]; then
	WT=$(mktemp -d /tmp/bk-pages-base.XXXXXX)
	trap 'git worktree remove --force "$WT" >/dev/null 2>&1 || rm -rf "$WT"' EXIT
	git worktree add -q --detach "$WT" "$BASE"
	make -C "$WT" --no-print-directory -j2 build/libbenchkeep.a >/dev/null
	build_prog "$WT" "$WT/build" "$BUILD/perf/pages-base"
	echo "== base ($BASE)"
	nice "$BUILD/perf/pages-base" "${ARGS[@]}" | tee "$BUILD/perf/pages-base.out"
	echo "== this tree"
	nice "$BUILD/perf/pages" "${ARGS[@]}" | tee "$BUILD/perf/pages.out"
	awk '/chart_svg/ {c[FILENAME]=$(NF-1)} /benchmark page/ {b[FILENAME]=$(NF-1)} /commit page/ {m[FILENAME]=$(NF-1)}
	     /output hashes/ {h[FILENAME]=$0}
	     END {o=ARGV[1]; n=ARGV[2];
		  printf "ratio base/this: chart %.2fx, benchmark page %.2fx, commit page %.2fx\n", c[o]/c[n], b[o]/b[n], m[o]/m[n];
		  print (h[o]==h[n] ? "outputs: identical" : "outputs: DIFFER")}' \
		"$BUILD/perf/pages-base.out" "$BUILD/perf/pages.out"
else
	nice "$BUILD/perf/pages" "${ARGS[@]}"
fi
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
