#!/bin/bash
# Timing overhead of `benchkeep run` against `hyperfine -N` on the same short
# command. Both spawn the command directly (no shell) and time it; the
# medians of N runs of `true` and of `sleep 0.01` are the per-run cost each
# tool adds on this machine. Usage: tests/perf/run_overhead.sh [N]
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-500}
BK=${BENCHKEEP:-build/benchkeep}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
command -v hyperfine >/dev/null || { echo "hyperfine is needed (apt-get install hyperfine)"; exit 2; }
for cmd in true "sleep 0.01"; do
	set -- $cmd
	argv=$(printf '"%s",' "$@")
	cat >"$TMP/c.json" <<JSON
{"suites":[{"name":"p","benchmarks":[{"name":"x","cmd":[${argv%,}],"runs":$N,"warmup":5}]}]}
JSON
	f=$("$BK" run -c "$TMP/c.json" --out "$TMP/r" | tail -n 1)
	hyperfine -N --warmup 5 --runs "$N" --export-json "$TMP/h.json" "$cmd" >/dev/null 2>&1
	/usr/bin/python3 - "$f" "$TMP/h.json" "$cmd" <<'PY'
import json, statistics, sys
b = json.load(open(sys.argv[1]))["benchmarks"][0]["samples"]
h = json.load(open(sys.argv[2]))["results"][0]["times"]
mb, mh = statistics.median(b), statistics.median(h)
print(f"{sys.argv[3]!r:14} benchkeep run median {mb*1e6:8.1f} us   hyperfine -N median {mh*1e6:8.1f} us   ratio {mb/mh:.3f}  (n={len(b)}, {len(h)})")
PY
done
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
