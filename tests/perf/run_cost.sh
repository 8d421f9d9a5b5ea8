#!/bin/bash
# Wall time of `benchkeep run` of two binaries for the same total samples,
# on the eight real commands of tests/perf/verdicts.sh (its base side).
#
#   tests/perf/run_cost.sh OLD_BINARY NEW_BINARY
#
# OLD runs the config with "runs": RUNS (10). When NEW has --rounds, it runs
# with --rounds ROUNDS (5) and whatever "runs" gives the same number of
# samples per benchmark: RUNS/ROUNDS when "runs" counts one round, RUNS when
# it counts them all; a first run of NEW tells which (samples counted in its
# result file), and both totals are printed. Without --rounds NEW runs the
# same config as OLD. The two are then timed in turn, PAIRS (9) pairs after
# one unmeasured run each, the order swapped every pair (OLD NEW, NEW OLD,
# ...), and the ratio NEW/OLD is taken pair by pair, so drift of this shared
# machine hits both alike. The goal: NEW costs at most 1.2x OLD.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 OLD_BINARY NEW_BINARY" >&2; exit 2; }
OLD=$(realpath "$1")
NEW=$(realpath "$2")
# shellcheck source=tests/perf/verdicts_lib.sh
. "$(dirname "$0")/verdicts_lib.sh"
BENCHKEEP=$OLD verdict_init
[ -x "$NEW" ] || { echo "run_cost: $NEW: not found" >&2; exit 2; }
RUNS=${RUNS:-10}
ROUNDS=${ROUNDS:-5}
PAIRS=${PAIRS:-9}
WARMUP=${WARMUP:-1}

S=$(mktemp -d /tmp/bk-runcost-XXXXXX)
trap 'rm -rf "$S"' EXIT
echo "inputs (the base side of verdicts.sh) ..." >&2
verdict_gen "$S/side" "${VERDICT_BASE_SIZES[@]}"
verdict_config "$S/old.json" "$RUNS" "$WARMUP"
NEW_ARGS=()
if "$NEW" run --help 2>&1 | grep -q -e '--rounds'; then
	((RUNS % ROUNDS == 0)) || { echo "run_cost: RUNS ($RUNS) is not a multiple of ROUNDS ($ROUNDS)" >&2; exit 2; }
	NEW_ARGS=(--rounds "$ROUNDS")
	per=$((RUNS / ROUNDS))
	verdict_config "$S/new.json" "$per" "$WARMUP"
	f=$(cd "$S/side" && "$NEW" run -c "$S/new.json" --out "$S/probe" "${NEW_ARGS[@]}" | tail -n 1)
	got=$("$PY" -c 'import json, sys; print(min(len(b["samples"]) for b in json.load(open(sys.argv[1]))["benchmarks"]))' "$f")
	if [ "$got" != "$RUNS" ]; then
		echo "note: \"runs\": $per with --rounds $ROUNDS gave $got samples: \"runs\" counts every round" >&2
		verdict_config "$S/new.json" "$RUNS" "$WARMUP"
	fi
	NOTE="NEW: --rounds $ROUNDS, config \"runs\": $("$PY" -c 'import json, sys; print(json.load(open(sys.argv[1]))["suites"][0]["runs"])' "$S/new.json")"
else
	cp "$S/old.json" "$S/new.json"
	NOTE="NEW has no --rounds: the same config and options as OLD"
fi
echo "$NOTE"

"$PY" - "$S" "$OLD" "$NEW" "$PAIRS" "${NEW_ARGS[@]}" <<'PY'
import json, os, statistics, subprocess, sys, time
s, old, new, pairs, new_args = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5:]
side = os.path.join(s, "side")
cmds = {"OLD": [old, "run", "-c", os.path.join(s, "old.json"), "--out", os.path.join(s, "old")],
        "NEW": [new, "run", "-c", os.path.join(s, "new.json"), "--out", os.path.join(s, "new")] + new_args}
def once(k):
    t = time.perf_counter()
    p = subprocess.run(cmds[k], cwd=side, capture_output=True, text=True)
    dt = time.perf_counter() - t
    if p.returncode:
        sys.exit("run_cost: %s failed: %s" % (k, p.stderr.strip()))
    path = p.stdout.strip().splitlines()[-1]
    path = path if os.path.isabs(path) else os.path.join(side, path)
    n = [len(b["samples"]) for b in json.load(open(path))["benchmarks"]]
    return dt, n
once("OLD"); once("NEW")
wall = {"OLD": [], "NEW": []}
ratios, counts = [], {}
for i in range(pairs):
    order = ("OLD", "NEW") if i % 2 == 0 else ("NEW", "OLD")
    got = {}
    for k in order:
        got[k], counts[k] = once(k)
        wall[k].append(got[k])
    ratios.append(got["NEW"] / got["OLD"])
    print("  pair %d: OLD %.2f s, NEW %.2f s, NEW/OLD %.3f" % (i + 1, got["OLD"], got["NEW"], ratios[-1]), file=sys.stderr)
for k in ("OLD", "NEW"):
    w = wall[k]
    print("%s wall %.2f s median (min %.2f, max %.2f) over %d runs; samples per benchmark %s"
          % (k, statistics.median(w), min(w), max(w), len(w), sorted(set(counts[k]))))
r = statistics.median(ratios)
print("NEW/OLD wall time, pair by pair: median %.3f (min %.3f, max %.3f): %s the 1.2x budget"
      % (r, min(ratios), max(ratios), "within" if r <= 1.2 else "OVER"))
if sorted(set(counts["OLD"])) != sorted(set(counts["NEW"])):
    print("WARNING: the two do not take the same number of samples per benchmark")
PY
echo "machine: $(verdict_machine), load $(verdict_load)"
