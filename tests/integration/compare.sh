#!/bin/bash
# benchkeep compare / baseline / summary on the real binary: a Google
# Benchmark A/B pair built at test time (one benchmark made twice as slow),
# exit codes 0/1/2, the JSON schema, bad inputs, the baseline round trip,
# the summary's marker and size limit, and p-values checked live against scipy.
. "$(dirname "$0")/lib.bash"
H="$(cd "$(dirname "$0")/helpers" && pwd)"
cd "$TMP"

# --- a real A/B pair with Google Benchmark --------------------------------
CXX=${CXX:-g++}
$CXX -O2 -o gb_a "$H/gbench_ab.cc" -lbenchmark -lpthread
$CXX -O2 -DSLOWER -o gb_b "$H/gbench_ab.cc" -lbenchmark -lpthread
GB_ARGS="--benchmark_repetitions=12 --benchmark_min_time=0.02 --benchmark_format=json"
./gb_a $GB_ARGS >a.gb.json 2>/dev/null
./gb_b $GB_ARGS >b.gb.json 2>/dev/null
$PY "$H/gbench_to_result.py" a.gb.json run-a aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa a.json
$PY "$H/gbench_to_result.py" b.gb.json run-b bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb b.json
# the machine is shared: BM_same may drift, so its threshold is wide (the
# per-benchmark threshold of the config is tested on the way)
cat >benchkeep.json <<'JSON'
{"suites": [{"name": "gbench", "benchmarks": [
  {"name": "BM_same", "cmd": "true", "threshold": 40}]}]}
JSON

expect_exit 0 "$BENCHKEEP" compare a.json b.json
echo "$OUT"
echo "$OUT" | grep -q '\[' && fail "colour or odd output on a pipe: $OUT"
printf '%s' "$OUT" | grep -q $'\033' && fail "ANSI colour on a pipe"
first=$(echo "$OUT" | awk '/^VERDICT/{getline; print; exit}')
case "$first" in regression*"gbench / BM_work"*) ;; *) fail "first row is not the BM_work regression: $first" ;; esac
ok "text: the doubled benchmark is the regression, listed first"

expect_exit 1 "$BENCHKEEP" compare --fail-on-regression a.json b.json
ok "--fail-on-regression exits 1 on it"
expect_exit 0 "$BENCHKEEP" compare --fail-on-regression a.json a.json
echo "$OUT" | grep -q "^0 regressions, 0 improvements, " || fail "self comparison: $OUT"
ok "comparing a run with itself exits 0, nothing changed"
expect_exit 0 "$BENCHKEEP" compare --color always a.json b.json
printf '%s' "$OUT" | grep -q $'\033\[1;31mregression' || fail "--color always: no colour"
ok "--color always colours the verdicts"

expect_exit 0 "$BENCHKEEP" compare --format json a.json b.json
echo "$OUT" >cmp.json
$PY - cmp.json <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["schema"] == "benchkeep/comparison/v1"
assert d["base"]["path"] == "a.json" and d["base"]["kind"] == "result" and d["head"]["run_id"] == "run-b"
assert d["options"] == {"alpha": 0.01, "threshold": 0.05, "assumed_noise": 0.15, "history": False}, d["options"]
assert d["machine"] == {"same": True, "note": ""} and d["paired"] is False and d["informational"] is False, d
b = {x["name"]: x for x in d["benchmarks"]}
w, s = b["BM_work"], b["BM_same"]
for k in ("suite", "name", "unit", "direction", "base", "head", "change", "ci95", "p_value", "q_value", "verdict",
          "method", "noise", "mwu_p"):
    assert k in w, k
assert w["method"] == "separate" and w["noise"]["source"] in ("samples", "rounds"), w
assert w["ci95"][0] <= w["change"] <= w["ci95"][1], w
assert w["verdict"] == "regression", w
assert 0.6 < w["change"] < 1.4, w["change"]          # twice the work: about +100%
assert w["ci95"][0] > 0.2 and w["ci95"][0] <= w["change"] <= w["ci95"][1], w["ci95"]
assert w["p_value"] < 0.005 and w["q_value"] < 0.01 and w["base"]["n"] == 12 and w["head"]["n"] == 12
assert s["threshold"] == 0.4 and s["verdict"] in ("unchanged", "noisy"), s
assert d["summary"]["regression"] == 1 and d["summary"]["total"] == 2 and d["summary"]["matched"] == 2
print("BM_work change %+.1f%%, CI %+.1f%% .. %+.1f%%, p %.2g" % (w["change"]*100, w["ci95"][0]*100, w["ci95"][1]*100, w["p_value"]))
PY
ok "json: benchkeep/comparison/v1 with every field"

expect_exit 0 "$BENCHKEEP" compare --format markdown --threshold 150 a.json b.json
echo "$OUT" | grep -q "^| gbench / BM\\\\_work |" || fail "markdown table row missing: $OUT"
echo "$OUT" | grep -q "benchkeep:summary" && fail "compare markdown should not carry the marker"
echo "$OUT" | grep -q "0 regressions" || fail "--threshold 150 should leave no regression: $OUT"
ok "markdown format, --threshold"

# a name with terminal escapes is shown inert in the text table
$PY -c "
import json
for f in ('a', 'b'):
    d = json.load(open(f + '.json'))
    d['benchmarks'][0]['name'] = 'evil\x1b[2J\x1b]0;title\x07\nname'
    json.dump(d, open(f + '_evil.json', 'w'))"
expect_exit 0 "$BENCHKEEP" compare --color never a_evil.json b_evil.json
printf '%s' "$OUT" | grep -q $'\033' && fail "escape sequence passed through: $OUT"
echo "$OUT" | grep -q "evil?\[2J?\]0;title??name" || fail "hostile name not shown inert: $OUT"
ok "terminal escapes in names are neutralised"

# --- bad input: exit 2, one line naming the file ----------------------------
expect_exit 2 "$BENCHKEEP" compare a.json nosuch.json
[ "$(echo "$ERR" | wc -l)" -eq 1 ] && echo "$ERR" | grep -q "cannot read 'nosuch.json'" || fail "missing file: $ERR"
echo '{"hello": 1}' >other.json
expect_exit 2 "$BENCHKEEP" compare other.json b.json
echo "$ERR" | grep -q "other.json: schema: missing (not a benchkeep result or baseline)" || fail "$ERR"
head -c 100 a.json >cut.json
expect_exit 2 "$BENCHKEEP" compare cut.json b.json
echo "$ERR" | grep -q "cut.json:1:[0-9]*: invalid JSON" || fail "truncated: $ERR"
$PY -c "
import json; d=json.load(open('a.json'))
for b in d['benchmarks']: b['suite']='elsewhere'
json.dump(d, open('disjoint.json','w'))"
expect_exit 2 "$BENCHKEEP" compare disjoint.json b.json
echo "$ERR" | grep -q "no benchmark in common between 'disjoint.json' (2) and 'b.json' (2)" || fail "$ERR"
expect_exit 2 "$BENCHKEEP" compare --alpha 2 a.json b.json
expect_exit 2 "$BENCHKEEP" compare --format yaml a.json b.json
expect_exit 2 "$BENCHKEEP" compare a.json
expect_exit 2 "$BENCHKEEP" compare -c nosuch-config.json a.json b.json
ok "bad inputs exit 2 with one line"

# --- baseline -----------------------------------------------------------------
expect_exit 0 env SOURCE_DATE_EPOCH=1770000000 "$BENCHKEEP" baseline update --notes 'nightly | `x`' a.json
[ "$OUT" = baselines/main-baseline.json ] || fail "update should print the path: $OUT"
[ -z "$(find baselines -name '.*')" ] || fail "temporary file left: $(ls -a baselines)"
$PY - <<'PY'
import json
d = json.load(open("baselines/main-baseline.json"))
assert d["schema"] == "benchkeep/baseline/v1"
m = d["metadata"]
assert m["created_at"] == "2026-02-02T02:40:00Z" and m["notes"] == "nightly | `x`", m
assert m["git_commit"] == "a" * 40 and m["version"]
si = m["system_info"]
assert set(si) >= {"os", "arch", "cpu_cores", "total_memory_gb", "compiler"}, si
assert si["os"] == "linux" and si["cpu_cores"] >= 1
a = json.load(open("a.json"))
assert [b["samples"] for b in d["benchmarks"]] == [b["samples"] for b in a["benchmarks"]]
assert all(b["run_id"] == "run-a" for b in d["benchmarks"])
PY
expect_exit 0 "$BENCHKEEP" baseline show
echo "$OUT" | grep -q "^notes  *nightly | \`x\`" || fail "show: notes: $OUT"
echo "$OUT" | grep -q "^gbench / BM_work  *12 " || fail "show: table: $OUT"
expect_exit 0 "$BENCHKEEP" compare --fail-on-regression baselines/main-baseline.json a.json
expect_exit 1 "$BENCHKEEP" compare --fail-on-regression baselines/main-baseline.json b.json
expect_exit 0 "$BENCHKEEP" compare -f json baselines/main-baseline.json b.json
echo "$OUT" | $PY -c "import json,sys; d=json.load(sys.stdin); assert d['base']['kind']=='baseline', d['base']"
ok "baseline round trip with metadata; a baseline is a BASE"
# merge: the newest result wins per benchmark; an older one does not replace it
$PY -c "
import json; d=json.load(open('b.json')); d['run']['id']='run-old'; d['run']['started_at']='2000-01-01T00:00:00Z'
d['benchmarks']=[x for x in d['benchmarks'] if x['name']=='BM_work']; json.dump(d, open('old.json','w'))"
expect_exit 0 "$BENCHKEEP" baseline update --merge old.json
$PY -c "
import json; d=json.load(open('baselines/main-baseline.json'))
assert [b['run_id'] for b in d['benchmarks']]==['run-a','run-a'], d['benchmarks']
assert d['metadata']['notes']=='nightly | \`x\`'"
expect_exit 2 "$BENCHKEEP" baseline update cut.json
echo "$ERR" | grep -q "cut.json:1:" || fail "$ERR"
expect_exit 2 "$BENCHKEEP" baseline show other.json
ok "baseline merge (newest wins) and bad input"

# --- summary ----------------------------------------------------------------------
expect_exit 0 "$BENCHKEEP" summary --head b.json --artifacts-url 'https://example.invalid/a b' --site-url https://example.invalid/site/
[ "$(echo "$OUT" | head -n 1)" = "<!-- benchkeep:summary -->" ] || fail "marker not first: $OUT"
echo "$OUT" | grep -q "1 regression" || fail "summary verdict: $OUT"
echo "$OUT" | grep -q "| :red_circle: regression | gbench / BM\\\\_work |" || fail "regression row: $OUT"
echo "$OUT" | grep -q "(https://example.invalid/a%20b)" || fail "artifacts link: $OUT"
expect_exit 1 "$BENCHKEEP" summary --head b.json --base a.json --fail-on-regression
expect_exit 2 "$BENCHKEEP" summary --head b.json --site-url 'javascript:alert(1)'
expect_exit 2 "$BENCHKEEP" summary --head b.json --base a.json --baseline baselines/main-baseline.json
expect_exit 2 "$BENCHKEEP" summary --base a.json
ok "summary: marker, verdict, links, exit codes"

# thousands of benchmarks and a size limit
$PY - <<'PY'
import json, random
rng = random.Random(5)
def res(rid, f):
    return {"schema": "benchkeep/result/v1", "run": {"id": rid}, "benchmarks": [
        {"suite": "big", "name": "b%04d|`<x>`" % i, "unit": "ns",
         "samples": [100 * (f if i < 30 else 1) * (1 + rng.uniform(-0.02, 0.02)) for _ in range(20)]}
        for i in range(3000)]}
json.dump(res("x", 1), open("big_a.json", "w"))
json.dump(res("y", 2), open("big_b.json", "w"))
PY
# (this checks size limits, not statistics: results of a quiet machine, --assumed-noise 5)
expect_exit 0 "$BENCHKEEP" summary --assumed-noise 5 --head big_b.json --base big_a.json -o summary.md
[ -z "$OUT" ] || fail "-o: stdout should be empty"
size=$(wc -c <summary.md)
[ "$size" -le 65000 ] && [ "$size" -gt 60000 ] || fail "summary size $size"
grep -q "more not shown" summary.md || fail "no omission note"
[ "$(grep -c '^| :red_circle: regression' summary.md)" -eq 30 ] || fail "regressions dropped"
echo "$ERR" | grep -q "rows left out to stay within 65000 characters" || fail "$ERR"
expect_exit 0 "$BENCHKEEP" summary --assumed-noise 5 --head big_b.json --base big_a.json --max-chars 20000
[ "$(printf '%s\n' "$OUT" | wc -c)" -le 20001 ] || fail "--max-chars 20000 exceeded"
expect_exit 2 "$BENCHKEEP" summary --assumed-noise 5 --head big_b.json --base big_a.json --max-chars 50
ok "3,000 benchmarks: $size characters, every regression kept"

# --- noise learned from history (a real git repository) ----------------------------
new_repo hist
$PY - hist <<'PY'
import json, os, random, sys
root = sys.argv[1]
rng = random.Random(11)
cpu = "Test CPU @ 1.00GHz"
def result(rid, when, machine, meds, n=10):
    return {"schema": "benchkeep/result/v1",
            "run": {"id": rid, "started_at": when,
                    "machine": {"name": machine, "os": "linux", "arch": "x86_64", "cpu_model": cpu, "cpu_cores": 2}},
            "benchmarks": [{"suite": "h", "name": k, "unit": "ms",
                            "samples": [m * rng.lognormvariate(0, 0.01) for _ in range(n)]} for k, m in meds.items()]}
os.makedirs(root + "/results/2026/11", exist_ok=True)
for i in range(12):
    # run-to-run noise of about 3% on "steady"; "young" exists in two runs only
    meds = {"steady": 100 * rng.lognormvariate(0, 0.03), "jumpy": 100 * rng.lognormvariate(0, 0.25)}
    if i < 2:
        meds["young"] = 50.0
    json.dump(result("h%02d" % i, "2026-11-%02dT10:00:00Z" % (i + 1), "box", meds),
              open(root + "/results/2026/11/202611%02dT100000Z-h%02d.json" % (i + 1, i), "w"))
# a run of another machine: not this history
json.dump(result("other", "2026-11-20T10:00:00Z", "laptop", {"steady": 300.0}),
          open(root + "/results/2026/11/20261120T100000Z-other.json", "w"))
# a damaged file: skipped, named in the note
open(root + "/results/2026/11/20261121T100000Z-bad.json", "w").write('{"schema": "benchkeep/result/v1", "run"')
json.dump(result("base", "2026-12-01T10:00:00Z", "box", {"steady": 100.0, "jumpy": 100.0, "young": 50.0}),
          open("hbase.json", "w"))
json.dump(result("head", "2026-12-02T10:00:00Z", "box", {"steady": 125.0, "jumpy": 140.0, "young": 51.0}),
          open("hhead.json", "w"))
json.dump(result("same", "2026-12-02T11:00:00Z", "box", {"steady": 103.0, "jumpy": 75.0, "young": 50.5}),
          open("hsame.json", "w"))
PY
git -C hist checkout -q -b data
git -C hist add results
git -C hist commit -q -m "history"
git -C hist checkout -q main
expect_exit 0 "$BENCHKEEP" compare -f json --history data --repo hist hbase.json hhead.json
echo "$ERR" | grep -q "history 'data': 14 result files, 13 read; runs on machine 'box' per benchmark: 2 to 12" \
	|| fail "history note: $ERR"
echo "$ERR" | grep -q "1 file skipped, first: .*20261121T100000Z-bad.json" || fail "bad file not named: $ERR"
echo "$ERR" | grep -q "other machines ignored: 'laptop'" || fail "other machine: $ERR"
echo "$OUT" >hist.json
$PY - hist.json <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
b = {x["name"]: x for x in d["benchmarks"]}
s, j, y = b["steady"], b["jumpy"], b["young"]
assert d["options"]["history"] is True
# +25% against a history of 3% run-to-run noise: a regression, said to rest on history
assert s["verdict"] == "regression" and s["noise"]["source"] == "history" and s["noise"]["n"] == 12, s
assert 0.01 < s["noise"]["spread"] < 0.08, s["noise"]
# +40% in a benchmark whose runs swing by 25%: inside its own noise
assert j["verdict"] in ("noisy", "unchanged") and j["noise"]["source"] == "history", j
assert j["p_value"] > 0.01, j
# two runs are too few: the verdict rests on the samples and says so
assert y["noise"]["source"] == "samples" and "history: only 2 runs (needs 3)" in y["noise"]["description"], y
for x in d["benchmarks"]:
    assert x["ci95"][0] <= x["change"] <= x["ci95"][1], x
PY
expect_exit 0 "$BENCHKEEP" compare --history data --repo hist hbase.json hsame.json
echo "$OUT" | grep -q "^0 regressions, 0 improvements" || fail "A/A against history: $OUT"
echo "$OUT" | grep -q "history of 12 runs" || fail "noise source not shown: $OUT"
expect_exit 1 "$BENCHKEEP" compare --fail-on-regression --history data --repo hist hbase.json hhead.json
expect_exit 2 "$BENCHKEEP" compare --history nosuch --repo hist hbase.json hhead.json
[ "$(echo "$ERR" | wc -l)" -eq 1 ] && echo "$ERR" | grep -q "history: ref 'nosuch' not found" || fail "missing ref: $ERR"
expect_exit 2 "$BENCHKEEP" compare --history-runs 2 --history data --repo hist hbase.json hhead.json
echo "$ERR" | grep -q "history-runs: expected a whole number from 3" || fail "$ERR"
ok "--history: noise per benchmark and machine from a real git ref, too-few runs said, bad file skipped and named"

# the baseline carries the noise: no history needed at compare time
expect_exit 0 "$BENCHKEEP" baseline update --baseline hist-baseline.json --history data --repo hist hbase.json
echo "$ERR" | grep -q "noise stored for 2 of 3 benchmarks" || fail "baseline noise: $ERR"
$PY -c "
import json; d = json.load(open('hist-baseline.json'))
n = {b['name']: b.get('noise') for b in d['benchmarks']}
assert n['steady']['runs'] == 12 and 80 < n['steady']['center'] < 120 and n['young'] is None, n
assert d['metadata']['system_info']['cpu_model'] == 'Test CPU @ 1.00GHz', d['metadata']"
expect_exit 0 "$BENCHKEEP" compare -f json hist-baseline.json hhead.json
echo "$OUT" | $PY -c "
import json, sys; b = {x['name']: x for x in json.load(sys.stdin)['benchmarks']}
assert b['steady']['noise']['source'] == 'baseline' and b['steady']['verdict'] == 'regression', b['steady']
assert b['steady']['noise']['description'] == 'baseline (12 runs)', b['steady']['noise']"
ok "baseline update --history stores runs, center and spread; compare uses them"

# --- machine guard ---------------------------------------------------------------------
$PY -c "
import json; d = json.load(open('b.json')); d['run']['machine']['cpu_model'] = 'Other CPU'
json.dump(d, open('b_other.json', 'w'))"
expect_exit 0 "$BENCHKEEP" compare --fail-on-regression a.json b_other.json
echo "$OUT" | head -n 3 | grep -q "^NOT THE SAME MACHINE (CPU: .* vs Other CPU)" || fail "no banner: $OUT"
echo "$ERR" | grep -q "regression on another machine: informational, not failing" || fail "$ERR"
expect_exit 0 "$BENCHKEEP" summary --head b_other.json --base a.json --fail-on-regression
echo "$OUT" | grep -q "Not the same machine\*\* (CPU.* vs Other CPU)" || fail "summary banner: $OUT"
echo "$OUT" | grep -q "run --ab" || fail "summary does not point to run --ab: $OUT"
echo "$OUT" | grep -q "^### :warning: benchkeep: 1 regression, .*(informational: not the same machine)" || fail "$OUT"
ok "another machine: one-line banner, informational verdicts, exit 0 under --fail-on-regression"

# --- interleaved A/B files are compared as pairs ---------------------------------------
$PY -c "
import json
a = json.load(open('a.json')); b = json.load(open('b.json'))
a['run']['labels'] = {'ab': 'base', 'ab_peer': 'run-b'}; b['run']['labels'] = {'ab': 'head', 'ab_peer': 'run-a'}
json.dump(a, open('ab_a.json', 'w')); json.dump(b, open('ab_b.json', 'w'))"
expect_exit 0 "$BENCHKEEP" summary --head ab_b.json --base ab_a.json
echo "$OUT" | grep -q "^Interleaved A/B: base and head were measured side by side" || fail "A/B headline: $OUT"
echo "$OUT" | grep -qF "paired A/B \\(12 pairs\\)" || fail "noise source of pairs: $OUT"
ok "run --ab files: paired, and the summary says so first"

# --- live check against scipy -------------------------------------------------------
set +e
$PY "$H/scipy_check.py" "$BENCHKEEP" "$TMP"
rc=$?
set -e
if [ $rc -eq 77 ]; then
	echo "skip: scipy not installed (make test-deps installs python3-scipy)"
else
	[ $rc -eq 0 ] || fail "scipy check failed"
	ok "p-values, CIs and q-values agree with scipy"
fi
echo "$checks passed, 0 failed"
