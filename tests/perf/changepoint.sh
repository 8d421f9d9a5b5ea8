#!/bin/sh
# Change-point accuracy (precision, recall, F1 within 3 commits) on the two
# synthetic generators (tests/unit/cp_synth.h, tests/unit/cp_synth2.h), with
# and without a noisy neighbour, and detection speed (tests/perf/changepoint.c).
# A benchmark, not a timed test. Usage: tests/perf/changepoint.sh [N_SERIES] [LENGTH]
# BASE=DIR also builds the program against the library of another checkout
# (built there with `make build/libbenchkeep.a`) with -DCP_BASELINE: the
# figures of the code before the machine factor, for a before/after.
set -eu
cd "$(dirname "$0")/../.."
make -s build/libbenchkeep.a >/dev/null
mkdir -p build/perf
cc -O2 -std=c11 -D_GNU_SOURCE -I. tests/perf/changepoint.c build/libbenchkeep.a \
	$(pkg-config --libs libcjson) -lm -o build/perf/changepoint
if [ -n "${BASE:-}" ]; then
	cc -O2 -std=c11 -D_GNU_SOURCE -DCP_BASELINE -I"$BASE/lib" -I"$BASE/sitegen" \
		tests/perf/changepoint.c "$BASE/build/libbenchkeep.a" \
		$(pkg-config --libs libcjson) -lm -o build/perf/changepoint-base
	echo "== base ($BASE)"
	build/perf/changepoint-base "${1:-50}" "${2:-1000}"
	echo "== this tree"
fi
build/perf/changepoint "${1:-50}" "${2:-1000}"
