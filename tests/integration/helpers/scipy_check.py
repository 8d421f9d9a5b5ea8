#!/usr/bin/env python3
"""Live check of `benchkeep compare` against scipy: makes BASE and HEAD
results with many random sample pairs (tiny and large, with and without
ties, shifted and not), runs the real binary with --format json and checks
p_value against scipy.stats.mannwhitneyu(base, head, alternative="two-sided")
and the CI against the Hodges–Lehmann interval computed here from all
pairwise log differences. Exits 77 when scipy is not installed.
Usage: scipy_check.py BENCHKEEP WORKDIR"""
import json, math, random, subprocess, sys

try:
    import numpy as np
    from scipy import stats
    from scipy.stats._mannwhitneyu import _mwu_state
except ImportError:
    sys.exit(77)

bk, work = sys.argv[1], sys.argv[2]
rng = random.Random(20261130)
pairs = []
for i in range(150):
    n1 = rng.choice([1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 20, 50])
    n2 = rng.choice([1, 2, 3, 5, 8, 9, 15, 40])
    shift = rng.choice([1.0, 1.0, 1.02, 1.1, 1.5])
    tied = i % 3 == 0
    def draw(n, f):
        v = [f * rng.lognormvariate(0, 0.1) for _ in range(n)]
        return [round(x, 1) for x in v] if tied else v
    pairs.append((draw(n1, 1.0), draw(n2, shift)))

def result(rid, which):
    return {"schema": "benchkeep/result/v1", "run": {"id": rid}, "benchmarks": [
        {"suite": "scipy", "name": "pair%03d" % i, "unit": "ms", "samples": p[which]}
        for i, p in enumerate(pairs)]}

json.dump(result("b", 0), open(work + "/sc_base.json", "w"))
json.dump(result("h", 1), open(work + "/sc_head.json", "w"))
out = subprocess.run([bk, "compare", "-f", "json", work + "/sc_base.json", work + "/sc_head.json"],
                     capture_output=True, text=True)
assert out.returncode == 0, out.stderr
got = {b["name"]: b for b in json.loads(out.stdout)["benchmarks"]}

def hl_ci(x, y):
    lx, ly = np.log(x), np.log(y)
    d = np.sort(np.subtract.outer(ly, lx).ravel())
    m, n = len(x), len(y)
    mn = m * n
    if min(m, n) <= 8:
        cdf = _mwu_state.cdf(np.arange(mn + 1), m, n)
        k = max(1, int(np.argmax(cdf >= 0.025)))
    else:
        k = max(1, math.ceil(mn / 2 - 0.5 - 1.959963984540054 * math.sqrt(mn * (m + n + 1) / 12)))
    return math.expm1(d[k - 1]), math.expm1(d[mn - k])

worst = 0.0
pvals = []
for i, (x, y) in enumerate(pairs):
    b = got["pair%03d" % i]
    want = stats.mannwhitneyu(x, y, alternative="two-sided").pvalue
    p = b["p_value"]
    rel = abs(p - want) / max(want, 1e-300)
    worst = max(worst, rel)
    assert rel < 1e-9, ("pair%03d" % i, len(x), len(y), p, want)
    lo, hi = hl_ci(x, y)
    assert abs(b["ci95"][0] - lo) <= 1e-12 * max(1, abs(lo)), (i, b["ci95"], lo, hi)
    assert abs(b["ci95"][1] - hi) <= 1e-12 * max(1, abs(hi)), (i, b["ci95"], lo, hi)
    med = lambda v: float(np.median(v))
    assert abs(b["change"] - (med(y) / med(x) - 1)) < 1e-12, i
    pvals.append(want)
# Benjamini-Hochberg, recomputed here
m = len(pvals)
order = sorted(range(m), key=lambda i: pvals[i])
q = [0.0] * m
run = 1.0
for r in range(m - 1, -1, -1):
    run = min(run, pvals[order[r]] * m / (r + 1))
    q[order[r]] = run
for i in range(m):
    assert abs(got["pair%03d" % i]["q_value"] - q[i]) <= 1e-9 * q[i], i
print("scipy %s: %d pairs, p-values agree within %.1e (relative), CIs and q-values match"
      % (stats.__name__ and __import__("scipy").__version__, len(pairs), worst))
