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
assert d["options"] == {"alpha": 0.01, "threshold": 0.05, "min_samples": 5}, d["options"]
b = {x["name"]: x for x in d["benchmarks"]}
w, s = b["BM_work"], b["BM_same"]
for k in ("suite", "name", "unit", "direction", "base", "head", "change", "ci95", "p_value", "q_value", "verdict"):
    assert k in w, k
assert w["verdict"] == "regression", w
assert 0.6 < w["change"] < 1.4, w["change"]          # twice the work: about +100%
assert w["ci95"][0] > 0.5 and w["ci95"][0] <= w["change"] <= w["ci95"][1] + 0.05, w["ci95"]
assert w["p_value"] < 1e-4 and w["q_value"] < 0.01 and w["base"]["n"] == 12 and w["head"]["n"] == 12
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
expect_exit 0 "$BENCHKEEP" summary --head big_b.json --base big_a.json -o summary.md
[ -z "$OUT" ] || fail "-o: stdout should be empty"
size=$(wc -c <summary.md)
[ "$size" -le 65000 ] && [ "$size" -gt 60000 ] || fail "summary size $size"
grep -q "more not shown" summary.md || fail "no omission note"
[ "$(grep -c '^| :red_circle: regression' summary.md)" -eq 30 ] || fail "regressions dropped"
echo "$ERR" | grep -q "rows left out to stay within 65000 characters" || fail "$ERR"
expect_exit 0 "$BENCHKEEP" summary --head big_b.json --base big_a.json --max-chars 20000
[ "$(printf '%s\n' "$OUT" | wc -c)" -le 20001 ] || fail "--max-chars 20000 exceeded"
expect_exit 2 "$BENCHKEEP" summary --head big_b.json --base big_a.json --max-chars 50
ok "3,000 benchmarks: $size characters, every regression kept"

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
