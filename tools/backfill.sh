#!/bin/bash
# Backfills results/ with runs of benchkeep.json at older commits: for each
# COMMIT, a temporary clone checked out there is built, and the suites that
# its binary supports (cli and unix always; sitegen, compare, import when
# the command exists; nats when the commit has the nats suite) are run by
# this checkout's build/benchkeep inside that clone, so the commands
# measured are the commit's own and the result records the commit's sha.
# Inputs made by tests/perf/prepare.sh are shared through build/bench.
# Usage: tools/backfill.sh COMMIT...   (NATS_URL for the nats suite)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BK="$ROOT/build/benchkeep"
[ -x "$BK" ] || make --no-print-directory all >/dev/null
mkdir -p build/bench
W=$(mktemp -d /tmp/bk-backfill-XXXXXX)
trap 'rm -rf "$W"' EXIT
git clone -q --no-checkout "$ROOT" "$W/repo"
for c in "$@"; do
	git -C "$W/repo" checkout -q --detach "$c"
	git -C "$W/repo" clean -qfdx -e build
	echo "backfill: building $(git -C "$W/repo" log -1 --format='%h %s' | cut -c1-70)" >&2
	make -C "$W/repo" -j2 all >/dev/null 2>&1
	rm -rf "$W/repo/build/bench"
	ln -s "$ROOT/build/bench" "$W/repo/build/bench"
	mkdir -p "$W/repo/tests/perf"
	cp tests/perf/prepare.sh "$W/repo/tests/perf/prepare.sh"
	[ -f "$W/repo/tests/perf/true.json" ] || cp tests/perf/true.json "$W/repo/tests/perf/"
	suites=(-s cli -s unix)
	for s in site:sitegen compare:compare import:import; do
		if "$W/repo/build/benchkeep" "${s%%:*}" --help >/dev/null 2>&1; then suites+=(-s "${s#*:}"); fi
	done
	if [ -f "$W/repo/collector/nats/nats_suite.c" ] && [ -n "${NATS_URL:-}" ]; then suites+=(-s nats); fi
	echo "backfill: running ${suites[*]}" >&2
	(cd "$W/repo" && "$BK" run -c "$ROOT/benchkeep.json" "${suites[@]}" --out "$ROOT/results" | tail -n 1)
done
