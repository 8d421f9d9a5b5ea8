#!/usr/bin/env python3
"""Live check of `benchkeep compare` against scipy: makes BASE and HEAD
results with many random sample pairs (tiny and large, with and without
ties, shifted and not), runs the real binary with --format json and checks
the diagnostic mwu_p against scipy.stats.mannwhitneyu, and the verdict's p
and CI against the separate-run noise model recomputed here with numpy and
scipy.stats.norm; then two files of one `run --ab` (labels ab/ab_peer),
checked against scipy.stats.wilcoxon and the Hodges–Lehmann interval from
all Walsh averages. Exits 77 when scipy is not installed.
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

Z975 = stats.norm.ppf(0.975)

def within_se(v):
    """Standard error of log(median) from the samples (lib/verdict/noise.c): 1.2533 x
    1.4826 x MAD of the logs / sqrt(n); None below 3 samples."""
    if len(v) < 3:
        return None
    lv = np.log(v)
    mad = np.median(np.abs(lv - np.median(lv)))
    return math.sqrt(math.pi / 2) * (1 / stats.norm.ppf(0.75)) * mad / math.sqrt(len(v))

worst = 0.0
pvals = []
for i, (x, y) in enumerate(pairs):
    b = got["pair%03d" % i]
    # the pooled-sample U test stays as a diagnostic, exactly scipy's
    want_u = stats.mannwhitneyu(x, y, alternative="two-sided").pvalue
    assert abs(b["mwu_p"] - want_u) <= 1e-9 * max(want_u, 1e-300), ("pair%03d" % i, b["mwu_p"], want_u)
    # the verdict: log ratio of medians against within-run SEs plus the
    # assumed 15% run-to-run noise on each side, normal
    d = math.log(float(np.median(y)) / float(np.median(x)))
    sb, sh = within_se(x), within_se(y)
    s2 = (sb or 0) ** 2 + (sh or 0) ** 2 + 2 * 0.15 ** 2
    se = math.sqrt(s2)
    want = 2 * stats.norm.sf(abs(d) / se)
    p = b["p_value"]
    rel = abs(p - want) / max(want, 1e-300)
    worst = max(worst, rel)
    assert rel < 1e-9, ("pair%03d" % i, len(x), len(y), p, want)
    lo, hi = math.expm1(d - Z975 * se), math.expm1(d + Z975 * se)
    assert abs(b["ci95"][0] - lo) <= 1e-9 * max(1, abs(lo)), (i, b["ci95"], lo, hi)
    assert abs(b["ci95"][1] - hi) <= 1e-9 * max(1, abs(hi)), (i, b["ci95"], lo, hi)
    assert abs(b["change"] - math.expm1(d)) < 1e-12, i
    assert b["ci95"][0] <= b["change"] <= b["ci95"][1], i
    src = b["noise"]["source"]
    assert src == ("samples" if sb is not None and sh is not None else "none"), (i, src)
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

# --- paired: the two files of one run --ab ------------------------------------------
from scipy.stats._morestats import _get_wilcoxon_distr
ab = []
for i in range(80):
    n = rng.choice([3, 5, 6, 8, 10, 12, 20, 30, 49, 50, 51, 80])
    f = rng.choice([1.0, 1.0, 1.03, 1.2])
    drift = [rng.uniform(0.7, 1.5) for _ in range(n)]  # hits both members of a pair
    xb = [dr * rng.lognormvariate(0, 0.02) for dr in drift]
    yh = [dr * f * rng.lognormvariate(0, 0.02) for dr in drift]
    ab.append((xb, yh))
def ab_result(rid, peer, side, which):
    return {"schema": "benchkeep/result/v1",
            "run": {"id": rid, "labels": {"ab": side, "ab_peer": peer}},
            "benchmarks": [{"suite": "ab", "name": "p%03d" % i, "unit": "s", "samples": p[which]}
                           for i, p in enumerate(ab)]}
json.dump(ab_result("ab-b", "ab-h", "base", 0), open(work + "/ab_base.json", "w"))
json.dump(ab_result("ab-h", "ab-b", "head", 1), open(work + "/ab_head.json", "w"))
out = subprocess.run([bk, "compare", "-f", "json", work + "/ab_base.json", work + "/ab_head.json"],
                     capture_output=True, text=True)
assert out.returncode == 0, out.stderr
doc = json.loads(out.stdout)
assert doc["paired"] is True and doc["informational"] is False, doc["machine"]
abgot = {b["name"]: b for b in doc["benchmarks"]}

def walsh_ci(dd):
    n = len(dd)
    w = np.sort(np.add.outer(dd, dd)[np.triu_indices(n)] / 2)
    M = len(w)
    est = float(np.median(w))
    if n <= 50:
        cdf = np.cumsum(_get_wilcoxon_distr(n))
        ks = [k for k in range(1, M // 2 + 2) if 2 * cdf[k - 1] <= 0.05]
        k = max(ks) if ks else 0
    else:
        sd = math.sqrt(n * (n + 1) * (2 * n + 1) / 24)
        k = int(math.floor(M / 2 - 0.5 - Z975 * sd)) + 1
    if k < 1:
        return est, w[0], w[-1]
    return est, w[k - 1], w[M - k]

for i, (xb, yh) in enumerate(ab):
    b = abgot["p%03d" % i]
    dd = np.log(yh) - np.log(xb)
    assert b["method"] == "paired" and b["noise"]["source"] == "paired" and b["noise"]["n"] == len(dd), b
    want = stats.wilcoxon(dd).pvalue  # no zeros or ties in continuous draws
    assert abs(b["p_value"] - want) <= 1e-9 * max(want, 1e-300), (i, len(dd), b["p_value"], want)
    est, lo, hi = walsh_ci(dd)
    assert abs(b["change"] - math.expm1(est)) < 1e-12, (i, b["change"], est)
    assert abs(b["ci95"][0] - math.expm1(lo)) < 1e-12 and abs(b["ci95"][1] - math.expm1(hi)) < 1e-12, \
        (i, len(dd), b["ci95"], lo, hi)
    assert b["ci95"][0] <= b["change"] <= b["ci95"][1], i
print("scipy %s: %d pairs (separate runs) and %d interleaved pairs agree: p within %.1e, CIs, "
      "q-values, signed-rank p and HL intervals" % (__import__("scipy").__version__, len(pairs), len(ab), worst))
