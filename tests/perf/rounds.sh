#!/bin/bash
# What rounds cost and whether later rounds need a warm-up run.
#
# 1. Cost: the wall time of a whole `benchkeep run` of short real commands
#    (the same total samples), a binary without rounds (OLD) against this
#    one with its default rounds, the two runs alternating pair by pair;
#    prints the median of the per-pair ratios new/old. The issue's bound
#    is 1.2.
# 2. Warm-up: in a run with rounds, a benchmark's first sample of a round
#    comes after the other benchmarks ran; if that re-entry were slow, the
#    first sample of each round would be slower than the rest of the round.
#    Prints, per command, the median of first-of-round / median of the rest
#    of that round, next to the same figure for a run with --rounds 1 cut
#    into blocks of the same size (the control: no re-entry there); then
#    the median of all samples and of all but each round's first (what a
#    warm-up run per round would leave) over the median of a run without
#    rounds: if the first sample alone were slow, dropping it would close
#    the gap.
#
# Usage: OLD=/path/to/old/benchkeep tests/perf/rounds.sh [PAIRS [REPS]]
# (build the old binary from the commit before rounds in a separate work
# tree: git worktree add /tmp/old-bk COMMIT && make -C /tmp/old-bk)
set -euo pipefail
cd "$(dirname "$0")/../.."
PAIRS=${1:-10}
REPS=${2:-5}
NEW=${BENCHKEEP:-build/benchkeep}
: "${OLD:?OLD must point at a benchkeep binary without rounds}"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
seq 1 20000 | sort -R >"$TMP/data.txt"
cat >"$TMP/c.json" <<JSON
{"suites": [{"name": "p", "runs": 20, "warmup": 1, "benchmarks": [
  {"name": "true", "cmd": ["true"]},
  {"name": "sh", "cmd": ["sh", "-c", ":"]},
  {"name": "sort", "cmd": ["sort", "-n", "$TMP/data.txt", "-o", "/dev/null"]},
  {"name": "grep", "cmd": ["grep", "-c", "99", "$TMP/data.txt"]},
  {"name": "git", "cmd": ["git", "--version"]}]}]}
JSON

/usr/bin/python3 - "$OLD" "$NEW" "$TMP" "$PAIRS" "$REPS" <<'PY'
import json, os, statistics, subprocess, sys, time
old, new, tmp, pairs, reps = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
cfg = os.path.join(tmp, "c.json")

def run(binary, *args):
    t = time.monotonic()
    out = subprocess.run([binary, "run", "-c", cfg, "--out", os.path.join(tmp, "r"), *args],
                         check=True, capture_output=True, text=True).stdout
    return time.monotonic() - t, out.strip().splitlines()[-1]

run(old); run(new)  # warm the page cache
ratios, to, tn = [], [], []
for i in range(pairs):
    a, _ = run(old)
    b, _ = run(new)
    to.append(a); tn.append(b); ratios.append(b / a)
print("cost: `benchkeep run` of 5 commands x 20 runs, %d pairs" % pairs)
print("  without rounds median %.3f s (min %.3f, max %.3f)" % (statistics.median(to), min(to), max(to)))
print("  5 rounds       median %.3f s (min %.3f, max %.3f)" % (statistics.median(tn), min(tn), max(tn)))
print("  new/old: median of pair ratios %.3f (min %.3f, max %.3f)" %
      (statistics.median(ratios), min(ratios), max(ratios)))

def first_vs_rest(path, block):
    """per benchmark: (median over rounds (or blocks) of first /
    median(rest), median of all samples, median of all but the firsts)"""
    d = json.load(open(path))
    res = {}
    for b in d["benchmarks"]:
        s = b["samples"]
        r = b.get("rounds") or [i // block for i in range(len(s))]
        out, rest, i = [], [], 0
        while i < len(s):
            j = i
            while j < len(s) and r[j] == r[i]:
                j += 1
            if j - i >= 2:
                out.append(s[i] / statistics.median(s[i + 1:j]))
            rest += s[i + 1:j]
            i = j
        res[b["name"]] = (statistics.median(out), statistics.median(s), statistics.median(rest))
    return res

# 10 rounds of 4 samples each (runs 40): first of round vs the other 3
cfg40 = os.path.join(tmp, "c40.json")
with open(cfg) as f:
    c = json.load(f)
c["suites"][0]["runs"] = 40
with open(cfg40, "w") as f:
    json.dump(c, f)
cfg = cfg40
inter, seq = {}, {}
for k in range(reps):
    _, fi = run(new, "--rounds", "10")
    _, fs = run(new, "--rounds", "1")
    for name, v in first_vs_rest(fi, 4).items():
        inter.setdefault(name, []).append(v)
    for name, v in first_vs_rest(fs, 4).items():
        seq.setdefault(name, []).append(v)
print("warm-up: 10 rounds x 4 runs against --rounds 1, %d runs each, alternating; medians of the runs'" % reps)
print("  first/rest: a round's first sample / median of the rest of it (control: blocks of 4 in --rounds 1)")
print("  all, no-firsts: median of every sample, of all but each round's first, / median without rounds")
for name in inter:
    m = lambda v, k: statistics.median(x[k] for x in v[name])
    print("  %-6s first/rest %.3f (control %.3f)   all %.3f   no-firsts %.3f   (%.3f ms without rounds)" %
          (name, m(inter, 0), m(seq, 0), m(inter, 1) / m(seq, 1), m(inter, 2) / m(seq, 1), m(seq, 1) * 1e3))
PY
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
