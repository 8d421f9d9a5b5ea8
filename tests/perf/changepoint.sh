#!/bin/sh
# Change-point accuracy (precision, recall, F1 within 3 commits) on synthetic
# histories and detection speed. Usage: tests/perf/changepoint.sh [N_SERIES] [LENGTH]
set -eu
cd "$(dirname "$0")/../.."
make -s build/libbenchkeep.a >/dev/null
mkdir -p build/perf
cc -O2 -std=c11 -D_GNU_SOURCE -Ilib -Isitegen tests/perf/changepoint.c build/libbenchkeep.a \
	$(pkg-config --libs libcjson) -lm -o build/perf/changepoint
build/perf/changepoint "${1:-50}" "${2:-1000}"
