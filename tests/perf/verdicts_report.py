#!/usr/bin/env python3
"""Analysis for tests/perf/verdicts.sh.

    verdicts_report.py calibrate POINTS TARGET BASE.json SIDE.json BASE_SIZES -- SIDE_SIZES
        from one interleaved run of the base side against a side of known
        sizes (first the probe, ~1.5x the work, then the head side itself):
        adds each benchmark's ratio of medians to the file POINTS and prints
        the head side's sizes (key=value words) that make each command
        TARGET times slower, fitted on every point so far (extra time
        proportional to extra size, least squares); a head size whose latest
        ratio is within TOLERANCE of TARGET is kept
    verdicts_report.py report MANIFEST OPTIONS_JSON
        runs every `benchkeep compare`, prints the table, writes the JSON

MANIFEST lines (tab separated):
    hist  COND                 a run recorded on the history branch
    aa    COND  PATH           a separate run of the base side
    bh    COND  PATH           a separate run of the head side (slower)
    ab    COND  BASE  HEAD     run --ab base head
    aaab  COND  BASE  HEAD     run --ab base base
    cal   -     BASE  PROBE    a calibration run (--ab base probe, --ab base head)
    sizes SIDE  KEY=N...       the sizes of the base and head sides
    load  KIND  COND  L        1-minute load average when that run started
COND: quiet, hog (a CPU-bound process all along), start (started mid-run),
stop (stopped mid-run); start-late/stop-late when the run ended before.
"""
import functools
import itertools
import json
import os
import statistics
import subprocess
import sys

SIZE_OF = {"startup": "startup_spin", "sort": "sort_lines", "sha256sum": "hash_bytes",
           "gzip": "gzip_bytes", "sleep": "sleep_ns", "python": "py_loops",
           "git-status": "git_files", "awk": "awk_bytes"}
ELIGIBLE = (1.15, 1.30)   # true slowdowns counted toward the found rates
FALSE_MAX = 0.01
FOUND_MIN = 0.90
TOLERANCE = 0.055         # calibrate: a head ratio this close to the target stays
                          # (1.17..1.28 for 1.225: each move is a guess from noisy runs)


def load(path):
    with open(path) as f:
        return json.load(f)


@functools.lru_cache(maxsize=None)
def medians(path):
    """{benchmark name: median of its samples} of one result file"""
    out = {}
    for b in load(path)["benchmarks"]:
        if b.get("samples"):
            out[b["name"]] = statistics.median(b["samples"])
    return out


def sizes(words):
    return dict((k, float(v)) for k, _, v in (w.partition("=") for w in words))


def calibrate(argv):
    """head sizes from every calibration run so far (see the module's doc)"""
    points_file, target, base_json, side_json = argv[0], float(argv[1]), argv[2], argv[3]
    cut = argv.index("--")
    s0, ss = sizes(argv[4:cut]), sizes(argv[cut + 1:])
    mb, ms = medians(base_json), medians(side_json)
    pts = []
    if os.path.exists(points_file):
        with open(points_file) as f:
            pts = [(n, float(d), float(r)) for n, d, r in (ln.split() for ln in f if ln.strip())]
    first = not pts
    new = [(n, ss[k] - s0[k], ms[n] / mb[n]) for n, k in SIZE_OF.items() if mb.get(n) and ms.get(n)]
    with open(points_file, "a") as f:
        f.write("".join("%s %r %r\n" % p for p in new))
    pts += new
    latest = {n: r for n, _, r in new}
    head = dict(s0 if first else ss)
    for name, key in SIZE_OF.items():
        mine = [(d, r) for n, d, r in pts if n == name and d > 0]
        r = latest.get(name, 0)
        if not mine:
            continue
        dprobe = mine[0][0]
        if not first and abs(r - target) <= TOLERANCE:
            how = "kept"
        else:
            # least squares through (base size, 1): ratio - 1 = k * extra size
            k = sum((r_ - 1) * d for d, r_ in mine) / sum(d * d for d, _ in mine)
            if k > 0:
                d = min(max((target - 1) / k, 0.2 * dprobe), 3 * dprobe)
                how = "fit on %d point%s" % (len(mine), "s" if len(mine) > 1 else "")
            else:
                d = 0.45 * dprobe
                how = "no slope yet: nominal"
            head[key] = s0[key] + d
        print("  calibrate %-10s %-12s %10d + %10d: x%.3f -> %10d (%s)" % (
            name, key, s0[key], ss[key] - s0[key], r, head[key], how), file=sys.stderr)
    print(" ".join("%s=%d" % (k, round(v)) for k, v in head.items()))


# ---- report -------------------------------------------------------------------

class Compare:
    def __init__(self, bk, repo, history_ref):
        self.bk, self.repo, self.history_ref = bk, repo, history_ref
        self.calls = 0

    def __call__(self, base, head, history=False):
        argv = [self.bk, "compare", "--format", "json", base, head]
        if history:
            argv += ["--history", history if isinstance(history, str) else self.history_ref]
        p = subprocess.run(argv, cwd=self.repo, capture_output=True, text=True)
        self.calls += 1
        if p.returncode not in (0, 1):
            sys.exit("verdicts: %s failed (%d): %s" % (" ".join(argv), p.returncode, p.stderr.strip()))
        return {e["name"]: e for e in json.loads(p.stdout)["benchmarks"]}


def rate(k, n):
    return k / n if n else float("nan")


def pct(x):
    return "-" if x != x else "%.1f%%" % (100 * x)


def report(argv):
    manifest, opts = argv[0], json.loads(argv[1])
    rows = {"hist": [], "aa": [], "bh": [], "ab": [], "aaab": [], "cal": [], "sizes": [], "load": []}
    with open(manifest) as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            rows[parts[0]].append(parts[1:])
    cmp = Compare(opts["bk"], opts["repo"], opts["history_ref"])
    hist_ok = opts["have_history"]
    scen, per_bench = [], {}
    names = [b["name"] for b in load(rows["aa"][0][1])["benchmarks"]] if rows["aa"] else \
        [b["name"] for b in load(rows["ab"][0][1])["benchmarks"]]

    def pb(name):
        return per_bench.setdefault(name, {})

    # -- true slowdown of the head side: the quiet run --ab runs (interleaved,
    # so drift within a run hits both sides), the median over those runs of
    # each run's head/base ratio of medians. (Pooling the samples of all
    # runs instead mixes runs made under different loads of this shared
    # machine: the pooled ratio can fall outside every run's own.)
    ratios_by = {n: [] for n in names}
    for cond, base, head in rows["ab"]:
        if cond != "quiet":
            continue
        mb, mh = medians(base), medians(head)
        for n in names:
            if mb.get(n) and mh.get(n):
                ratios_by[n].append(mh[n] / mb[n])
    ratio = {n: statistics.median(v) for n, v in ratios_by.items() if v}
    eligible = [n for n in names if n in ratio and ELIGIBLE[0] <= ratio[n] <= ELIGIBLE[1]]
    for n in names:
        pb(n)["head_ratio"] = ratio.get(n)
        pb(n)["head_ratio_per_run"] = ratios_by[n]
        pb(n)["eligible"] = n in eligible

    def add(name, kind, n, k, note, by=None, skipped=None):
        s = {"scenario": name, "kind": kind, "comparisons": n, kind: k, "rate": rate(k, n),
             "target": "<= 1%" if kind == "false" else ">= 90%", "note": note}
        if skipped:
            s.update(skipped=skipped, comparisons=None, rate=None)
            s[kind] = None
        else:
            r = s["rate"]
            s["meets_target"] = (r <= FALSE_MAX) if kind == "false" else (r >= FOUND_MIN)
        if by:
            s["by_condition"] = by
        scen.append(s)

    skipped_history = "not supported by this binary (compare has no --history)"

    # -- A/A, separate runs, every pair i < j
    aa = rows["aa"]
    for hist in (False, True):
        label = "A/A separate runs" + (", --history" if hist else "")
        if hist and not hist_ok:
            add(label, "false", 0, 0, "", skipped=skipped_history)
            continue
        n = k = 0
        by = {}
        for (ci, pi), (cj, pj) in itertools.combinations(aa, 2):
            res = cmp(pi, pj, history=hist)
            key = "/".join(sorted((ci, cj)))
            b = by.setdefault(key, {"comparisons": 0, "false": 0})
            for name in names:
                e = res.get(name)
                if not e or e["verdict"] in ("new", "missing"):
                    continue
                bad = e["verdict"] in ("regression", "improvement")
                n += 1
                k += bad
                b["comparisons"] += 1
                b["false"] += bad
                d = pb(name).setdefault("aa_false" + ("_history" if hist else ""), 0)
                pb(name)["aa_false" + ("_history" if hist else "")] = d + bad
                if e["verdict"] == "noisy" and not hist:
                    pb(name)["aa_noisy"] = pb(name).get("aa_noisy", 0) + 1
        conds = {c: sum(1 for x in aa if x[0] == c) for c in sorted({x[0] for x in aa})}
        add(label, "false", n, k, "%d runs (%s), %d pairs x %d benchmarks" % (
            len(aa), ", ".join("%d %s" % (v, c) for c, v in conds.items()),
            len(aa) * (len(aa) - 1) // 2, len(names)), by=by)

    # -- A/B, separate runs: every quiet base run against every head run
    base_q = [p for c, p in aa if c == "quiet"]
    heads = [p for c, p in rows["bh"]]
    for hist in (True, False):
        label = "A/B separate runs (quiet)" + (", --history" if hist else "")
        if hist and not hist_ok:
            add(label, "found", 0, 0, "", skipped=skipped_history)
            continue
        n = k = 0
        for pbase, phead in itertools.product(base_q, heads):
            # a quiet machine's history: the quiet runs of the history
            res = cmp(pbase, phead, history="bench-history-quiet" if hist else False)
            for name in eligible:
                e = res.get(name)
                if not e:
                    continue
                hit = e["verdict"] == "regression"
                n += 1
                k += hit
                key = "bh_found" + ("_history" if hist else "")
                pb(name)[key] = pb(name).get(key, 0) + hit
        add(label, "found", n, k, "%d quiet base runs x %d head runs x %d eligible benchmarks%s" % (
            len(base_q), len(heads), len(eligible),
            "; history: its quiet runs only (bench-history-quiet)" if hist else " (informational)"))

    # -- A/B through run --ab
    n = k = 0
    by = {}
    for cond, base, head in rows["ab"]:
        res = cmp(base, head)
        b = by.setdefault(cond, {"comparisons": 0, "found": 0})
        for name in eligible:
            e = res.get(name)
            if not e:
                continue
            hit = e["verdict"] == "regression"
            n += 1
            k += hit
            b["comparisons"] += 1
            b["found"] += hit
            pb(name)["ab_found"] = pb(name).get("ab_found", 0) + hit
            pb(name)["ab_runs"] = pb(name).get("ab_runs", 0) + 1
    add("A/B run --ab", "found", n, k, "%d runs x %d eligible benchmarks" % (
        len(rows["ab"]), len(eligible)), by=by)

    # -- A/A through run --ab (the same directory on both sides)
    n = k = 0
    by = {}
    for cond, base, head in rows["aaab"]:
        res = cmp(base, head)
        b = by.setdefault(cond, {"comparisons": 0, "false": 0})
        for name in names:
            e = res.get(name)
            if not e or e["verdict"] in ("new", "missing"):
                continue
            bad = e["verdict"] in ("regression", "improvement")
            n += 1
            k += bad
            b["comparisons"] += 1
            b["false"] += bad
            pb(name)["aaab_false"] = pb(name).get("aaab_false", 0) + bad
    add("A/A run --ab", "false", n, k, "%d runs x %d benchmarks" % (len(rows["aaab"]), len(names)),
        by=by)

    # -- how much each command moves from run to run (separate A/A runs)
    for name in names:
        q = [medians(p).get(name) for c, p in aa if c == "quiet"]
        h = [medians(p).get(name) for c, p in aa if c == "hog"]
        q = [x for x in q if x]
        h = [x for x in h if x]
        if len(q) >= 2:
            m = statistics.median(q)
            pb(name).update(median_s=m, quiet_run_cv=statistics.stdev(q) / statistics.mean(q),
                            quiet_run_spread=(max(q) - min(q)) / m)
            if h:
                pb(name)["hog_over_quiet"] = statistics.median(h) / m

    loads = {}
    for kind, cond, l1 in rows["load"]:
        loads.setdefault(kind, []).append(float(l1))
    loads = {k: {"runs": len(v), "mean": statistics.mean(v), "min": min(v), "max": max(v)}
             for k, v in loads.items()}
    for sc in scen:
        kind = next(k for pre, k in (("A/A separate", "aa"), ("A/B separate", "bh"),
                                     ("A/B run --ab", "ab"), ("A/A run --ab", "aaab"))
                    if sc["scenario"].startswith(pre))
        if kind in loads and not sc.get("skipped"):
            sc["note"] += "; load average %.1f (%.1f..%.1f) at the runs' starts" % (
                loads[kind]["mean"], loads[kind]["min"], loads[kind]["max"])
    out = dict(opts["meta"], load_at_runs=loads, sizes={side: dict((k, int(v)) for k, v in sizes(w.split()).items())
                                    for side, w in rows["sizes"]}, scenarios=scen,
               bh_pairs=len(base_q) * len(heads), eligible=eligible, eligible_range=list(ELIGIBLE),
               benchmarks=per_bench, compare_calls=cmp.calls)
    os.makedirs(os.path.dirname(opts["json"]), exist_ok=True)
    with open(opts["json"], "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")
    print_report(out, names)


def print_report(out, names):
    print()
    print("machine: %s; load average at start %s, at end %s" % (out["machine"], out["load_start"],
                                                               out["load_end"]))
    print("binary: %s (%s); %s runs + %s warmup per benchmark per run; %s" % (
        out["binary"], out["binary_rev"], out["runs"], out["warmup"], out["date"]))
    print()
    print("%-36s %11s %14s %8s %7s %4s" % ("scenario", "comparisons", "false / found", "rate",
                                          "target", "ok"))
    for s in out["scenarios"]:
        if s.get("skipped"):
            print("%-36s skipped: %s" % (s["scenario"], s["skipped"]))
            continue
        k = s[s["kind"]]
        print("%-36s %11d %8d %-5s %8s %7s %4s" % (s["scenario"], s["comparisons"], k, s["kind"],
                                                   pct(s["rate"]), s["target"],
                                                   "yes" if s["meets_target"] else "NO"))
        for c, b in sorted(s.get("by_condition", {}).items()):
            kk = b[s["kind"]]
            print("  %-34s %11d %8d %-5s %8s" % (c, b["comparisons"], kk, s["kind"],
                                               pct(rate(kk, b["comparisons"]))))
    for s in out["scenarios"]:
        if not s.get("skipped"):
            print("  %s: %s" % (s["scenario"], s["note"]))
    print()
    lo, hi = out["eligible_range"]
    print("head side, true slowdown ('head': the median over the quiet run --ab runs of head/base "
          "medians, 'per run': their range); only %d%%..%d%% counts toward 'found':"
          % (round(100 * (lo - 1)), round(100 * (hi - 1))))
    print("%-11s %9s %6s %13s %7s %7s %7s %9s %5s %7s %6s %6s" % (
        "benchmark", "median", "head", "per run", "counted", "run CV", "spread", "hog/quiet", "AA-fp",
        "AAab-fp", "ab-hit", "bh-hit"))
    for n in names:
        b = out["benchmarks"].get(n, {})
        r = b.get("head_ratio")
        pr = b.get("head_ratio_per_run") or []
        print("%-11s %9s %6s %13s %7s %7s %7s %9s %5s %7s %6s %6s" % (
            n, "%.2fms" % (1000 * b["median_s"]) if "median_s" in b else "-",
            "x%.3f" % r if r else "-", "%.2f..%.2f" % (min(pr), max(pr)) if pr else "-",
            "yes" if b.get("eligible") else "no",
            pct(b.get("quiet_run_cv", float("nan"))), pct(b.get("quiet_run_spread", float("nan"))),
            "x%.2f" % b["hog_over_quiet"] if "hog_over_quiet" in b else "-",
            b.get("aa_false", "-"), b.get("aaab_false", "-"),
            "%d/%d" % (b.get("ab_found", 0), b.get("ab_runs", 0)) if b.get("eligible") else "-",
            b.get("bh_found", "-") if b.get("eligible") else "-"))
    print("  median: of the quiet separate A/A runs' medians; run CV / spread: of those medians "
          "(stddev/mean, (max-min)/median);")
    print("  hog/quiet: medians beside the CPU-bound process over quiet ones; AA-fp: false "
          "verdicts over all separate A/A pairs;")
    print("  AAab-fp: over the A/A run --ab runs; ab-hit: regressions found / run --ab runs; "
          "bh-hit: found in the %d separate A/B pairs (no history)" % out["bh_pairs"])
    print()
    print("summary: %s" % out["json"])


def main():
    if len(sys.argv) < 2 or sys.argv[1] not in ("calibrate", "report"):
        sys.exit(__doc__)
    (calibrate if sys.argv[1] == "calibrate" else report)(sys.argv[2:])


if __name__ == "__main__":
    main()
