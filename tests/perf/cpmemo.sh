#!/bin/sh
# Incremental change points: CPU time of full detection vs the memo after one
# point appended to every series (tests/perf/cpmemo.c).
# Usage: tests/perf/cpmemo.sh [N_SERIES] [LENGTH] [GAP] [THREADS]
set -eu
cd "$(dirname "$0")/../.."
make -s build/libbenchkeep.a >/dev/null
mkdir -p build/perf
cc -O2 -g -std=c11 -D_GNU_SOURCE -pthread -I. tests/perf/cpmemo.c build/libbenchkeep.a \
	$(pkg-config --libs libcjson) -lm -o build/perf/cpmemo
nice build/perf/cpmemo "${1:-200}" "${2:-10000}" "${3:-200}" build/perf/cpmemo.memo 0 "${4:-1}"
