#!/bin/bash
# Site generator benchmark: a synthetic repository of COMMITS commits on
# main and a data branch of COMMITS result files (BENCHES benchmarks x 5
# samples each), then times a full `benchkeep site` build (no cache), a
# rebuild with nothing new, and a rebuild after one more result, with peak
# memory (GNU time). Usage: tests/perf/site.sh [COMMITS] [BENCHES] [DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
N=${1:-10000}
B=${2:-200}
DIR=${3:-/tmp/bk-perf-site}
[ -x "$BUILD/benchkeep" ] || make --no-print-directory "$BUILD/benchkeep" >/dev/null
mkdir -p "$BUILD/perf"
cc -std=c11 -O2 -D_GNU_SOURCE -I. $(pkg-config --cflags libcjson) \
	-o "$BUILD/perf/gen_history" tests/perf/gen_history.c "$BUILD/libbenchkeep.a" \
	$(pkg-config --libs libcjson libgit2 libnats libcmark-gfm) -lcmark-gfm-extensions -lm -pthread
BK="$PWD/$BUILD/benchkeep"
if [ ! -d "$DIR/repo" ]; then
	echo "generating $N commits x $B benchmarks in $DIR/repo ..."
	"$BUILD/perf/gen_history" "$DIR/repo" "$N" "$B" 5
	git -C "$DIR/repo" gc -q
fi
du -sh "$DIR/repo" | sed 's/^/repository size: /'
echo "JSON on the data branch: $(git -C "$DIR/repo" ls-tree -r -l benchmark-data | awk '{s+=$4} END {printf "%.0f MB in %d files", s/1e6, NR}')"
rm -rf "$DIR/site" "$DIR/repo/benchkeep-cache"
run() {
	/usr/bin/time -f "%e s wall, %M KB peak RSS" "$BK" site --repo "$DIR/repo" --ref benchmark-data \
		--branch main --out "$DIR/site" "$@" 2>&1 >/dev/null | grep -E "site:|wall"
}
echo "== full build (cold cache)"; run
echo "== rebuild, nothing new"; run
"$BUILD/perf/gen_history" "$DIR/repo" "$N" "$B" 5 --append 1 2>/dev/null
echo "== rebuild after one more result"; run
echo "index.html: $(du -k "$DIR/site/index.html" | cut -f1) KB; largest benchmark page: $(ls -S "$DIR/site/bench" | head -1 | xargs -I{} du -k "$DIR/site/bench/{}" | cut -f1) KB; site: $(du -sh "$DIR/site" | cut -f1)"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
