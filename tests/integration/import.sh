#!/bin/bash
# benchkeep import end to end: the real binary on the committed fixtures, on
# stdin, with -o and --out, in a real git repository, on outputs generated
# now by real harnesses (hyperfine, Google Benchmark, pytest-benchmark when
# installed), and on bad input (exit 2, one line naming file and position,
# no file written). Every value is checked against the source file.
. "$(dirname "$0")/lib.bash"

FX="$BK_ROOT/tests/fixtures"
R="$TMP/repo"
new_repo "$R"
cd "$R"
HEAD_SHA=$(git rev-parse HEAD)

# --list-formats: every format, one line each
expect_exit 0 "$BENCHKEEP" import --list-formats
for f in gbench hyperfine pytest-benchmark pytest-json-report catch2 catch2-xml cargo criterion \
	cargo-criterion go; do
	echo "$OUT" | grep -q "^$f  *[A-Za-z]" || fail "--list-formats lacks $f: $OUT"
done
ok "--list-formats lists the formats"

# check FILE FORMAT RESULT: every benchmark of RESULT has the values of FILE
check() {
	$PY - "$@" <<'PY'
import json, math, re, sys
src, fmt, res = sys.argv[1], sys.argv[2], sys.argv[3]
d = json.load(open(res))
assert d["schema"] == "benchkeep/result/v1"
bs = d["benchmarks"]
assert bs and all(b["source"] == fmt for b in bs), [b["source"] for b in bs]
for b in bs:
    s = b["samples"]
    assert b["stats"]["n"] == len(s)
    if s:
        srt = sorted(s)
        assert b["stats"]["min"] == srt[0] and b["stats"]["max"] == srt[-1]
by = {}
for b in bs:
    by[(b["name"], tuple(sorted(b.get("params", {}).items())))] = b
def get(name, **params):
    return by[(name, tuple(sorted((k, str(v)) for k, v in params.items())))]
if fmt == "gbench":
    g = json.load(open(src))
    runs = {}
    for e in g["benchmarks"]:
        if e.get("run_type", "iteration") == "iteration" and not e.get("error_occurred"):
            runs.setdefault(e.get("run_name", e["name"]), []).append(e["real_time"])
    for name, times in runs.items():
        assert get(name)["samples"] == times, (name, get(name)["samples"], times)
elif fmt == "hyperfine":
    h = json.load(open(src))
    for e in h["results"]:
        b = get(e["command"], **e.get("parameters", {}))
        assert b["samples"] == e["times"], e["command"]
        assert b["unit"] == "s"
        assert b["metrics"]["failed_ops"] == sum(1 for c in e["exit_codes"] if c)
        assert abs(b["stats"]["mean"] - e["mean"]) < 1e-12
elif fmt == "pytest-benchmark":
    p = json.load(open(src))
    for e in p["benchmarks"]:
        b = get(e["fullname"], **(e["params"] or {}))
        data = e["stats"].get("data")
        if data and all(isinstance(x, (int, float)) for x in data):
            assert b["samples"] == data
        else:
            assert b["samples"] == [e["stats"]["median"]] and b["metrics"]["summary_only"] == 1
    if (p.get("commit_info") or {}).get("id"):
        assert d["run"]["commit"]["sha"] == p["commit_info"]["id"]
elif fmt == "go":
    for line in open(src):
        m = re.match(r"^(Benchmark\S+)\s+(\d+)\s+([\d.]+) ns/op", line)
        if m:
            assert float(m.group(3)) in [b2 for b in bs if b["name"] == m.group(1) for b2 in b["samples"]], line
elif fmt == "cargo":
    for line in open(src):
        m = re.match(r"^test (.*?)\s+\.\.\. bench:\s+([\d,.]+) ", line)
        if m:
            assert get(m.group(1))["samples"] == [float(m.group(2).replace(",", ""))], line
print("%s: %d benchmarks match %s" % (fmt, len(bs), src.split("/")[-1]))
PY
}

# every committed fixture: auto-detected, -o FILE, values match the source
n=0
for spec in gbench:gbench/gbench_repetitions.json gbench:gbench/googlecpp_output.json \
	hyperfine:hyperfine/lists.json hyperfine:hyperfine/same_name.json \
	pytest-benchmark:pytest-benchmark/real.json pytest-benchmark:pytest-benchmark/pytest_output.json \
	pytest-json-report:pytest-json-report/report.json catch2:catch2/v2_13_console.txt \
	catch2-xml:catch2-xml/v2_13.xml cargo:cargo/cargo_output2.txt cargo:cargo/criterion_output.txt \
	"criterion:criterion/target/criterion/fib 15/new/estimates.json" \
	cargo-criterion:cargo-criterion/messages.jsonl go:go/benchmem_count.txt \
	go:go/go_fiber_duplicate_names_output.txt; do
	fmt=${spec%%:*}
	file=$FX/${spec#*:}
	n=$((n + 1))
	set +e
	"$BENCHKEEP" import --keep-going -o "$TMP/o$n.json" "$file" >"$TMP/.out" 2>"$TMP/.err"
	rc=$?
	set -e
	[ "$rc" -eq 0 ] || fail "import $file: exit $rc: $(cat "$TMP/.err")"
	[ "$(tail -n 1 "$TMP/.out")" = "$TMP/o$n.json" ] || fail "last line is not the -o path"
	check "$file" "$fmt" "$TMP/o$n.json"
done
ok "$n fixtures imported with auto-detection, values match"

# the run: commit from the repository, machine, CI, input facts, labels
expect_exit 1 "$BENCHKEEP" import -o "$TMP/run.json" --label team=perf --label os=x \
	"$FX/gbench/gbench_repetitions.json"
$PY - "$TMP/run.json" "$HEAD_SHA" <<'PY'
import json, sys
run = json.load(open(sys.argv[1]))["run"]
assert run["commit"] == {"sha": sys.argv[2], "branch": "main"}, run["commit"]
assert run["started_at"] == "2026-11-30T13:08:19Z", run["started_at"]  # the gbench context date
assert run["id"].startswith("20261130T130819Z-" + sys.argv[2][:7] + "-"), run["id"]
m = run["machine"]
assert m["os"] == "linux" and m["cpu_cores"] == 2 and m["extra"]["host_name"] == "vm", m
assert run["labels"] == {"team": "perf", "os": "x"}, run["labels"]
PY
# input commit_info wins over HEAD; --commit/--branch win over both
expect_exit 0 "$BENCHKEEP" import -o "$TMP/c1.json" "$FX/pytest-benchmark/real.json"
expect_exit 0 "$BENCHKEEP" import -o "$TMP/c2.json" --commit abc1234def --branch feature/x \
	"$FX/pytest-benchmark/real.json"
$PY - "$TMP/c1.json" "$TMP/c2.json" <<'PY'
import json, sys
a = json.load(open(sys.argv[1]))["run"]["commit"]
b = json.load(open(sys.argv[2]))["run"]["commit"]
assert a == {"sha": "1b7b5de7b328a566d83c16ffe4e1ba10e07a3e26", "branch": "master"}, a
assert b == {"sha": "abc1234def", "branch": "feature/x"}, b
PY
ok "run facts: HEAD, input context and commit_info, --commit/--branch, labels"

# --out (default results/): a new uniquely named file, path printed last;
# several files in one result; --suite
expect_exit 0 "$BENCHKEEP" import --keep-going --suite cpp "$FX/gbench/gbench_repetitions.json" \
	"$FX/go/benchmem_count.txt"
F1=$(echo "$OUT" | tail -n 1)
case "$F1" in results/2026/11/20261130T130819Z-*.json) ;; *) fail "bad path $F1" ;; esac
[ -f "$F1" ] || fail "$F1 missing"
expect_exit 0 "$BENCHKEEP" import --keep-going --suite cpp "$FX/gbench/gbench_repetitions.json"
F2=$(echo "$OUT" | tail -n 1)
[ "$F1" != "$F2" ] && [ -f "$F2" ] || fail "second import did not make a new file"
$PY - "$F1" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert {b["suite"] for b in d["benchmarks"]} == {"cpp"}
assert {b["source"] for b in d["benchmarks"]} == {"gbench", "go"}
assert len(d["benchmarks"]) == 6 + 5
PY
expect_exit 0 "$BENCHKEEP" import --out "$TMP/res" "$FX/hyperfine/basic.json"
F3=$(echo "$OUT" | tail -n 1)
case "$F3" in "$TMP"/res/20[0-9][0-9]/[01][0-9]/*.json) ;; *) fail "bad --out path $F3" ;; esac
$PY -c "import json; d=json.load(open('$F3')); assert {b['suite'] for b in d['benchmarks']}=={'hyperfine'}"
ok "--out writes new unique files under DIR/YYYY/MM, several inputs in one result"

# a Criterion target/criterion directory: every <id>/new/estimates.json in it
expect_exit 0 "$BENCHKEEP" import -o "$TMP/crit.json" "$FX/criterion/target/criterion"
$PY - "$TMP/crit.json" "$FX/criterion/target/criterion" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
got = {b["name"]: b["samples"] for b in d["benchmarks"]}
for name in ("fib 15", "fib_group/5"):
    s = json.load(open("%s/%s/new/sample.json" % (sys.argv[2], name)))
    assert got[name] == [t / i for t, i in zip(s["times"], s["iters"])], name
assert len(got) == 2
PY
expect_exit 2 "$BENCHKEEP" import "$FX/go"
echo "$ERR" | grep -q "a directory, and no Criterion <id>/new/estimates.json under it" || fail "$ERR"
ok "a Criterion directory imports every benchmark in it"

# standard input
expect_exit 0 sh -c "cat '$FX/cargo/cargo_output3.txt' | '$BENCHKEEP' import -o '$TMP/stdin.json' -"
check "$FX/cargo/cargo_output3.txt" cargo "$TMP/stdin.json" >/dev/null
expect_exit 2 sh -c "head -c 300 '$FX/pytest-benchmark/real.json' | '$BENCHKEEP' import -o '$TMP/stdin2.json' -"
echo "$ERR" | grep -q "^benchkeep: error: <stdin>:[0-9]*:[0-9]*: .*truncated" || fail "stdin error: $ERR"
[ ! -e "$TMP/stdin2.json" ] || fail "file written for bad stdin"
ok "standard input ('-'), good and truncated"

# bad input: exit 2, one line naming file and position, nothing written
mkdir -p "$TMP/bad"
before=$(find results -name '*.json' | wc -l)
for spec in gbench/gbench_repetitions.json:json hyperfine/lists.json:json \
	pytest-json-report/report.json:json catch2/v2_13_console.txt:text catch2-xml/v2_13.xml:text \
	go/benchmem_count.txt:text cargo-criterion/messages.jsonl:text; do
	src=$FX/${spec%%:*}
	bad="$TMP/bad/$(basename "$src")"
	size=$(wc -c <"$src")
	head -c $((size * 2 / 3)) "$src" >"$bad"
	expect_exit 2 "$BENCHKEEP" import "$bad"
	[ "$(echo "$ERR" | wc -l)" -eq 1 ] || fail "error is not one line: $ERR"
	echo "$ERR" | grep -q "$bad:[0-9]*:[0-9]*: .*truncated" || fail "no file:line:col truncated: $ERR"
	expect_exit 2 "$BENCHKEEP" import -o "$TMP/bad/out.json" "$bad"
	[ ! -e "$TMP/bad/out.json" ] || fail "-o file written for $bad"
done
[ "$(find results -name '*.json' | wc -l)" -eq "$before" ] || fail "a result was written for bad input"
ok "truncated inputs refused: $ERR"

echo '{"benchmarks":[{"name":"a","real_time":"fast","time_unit":"ns"}]}' >"$TMP/bad/type.json"
expect_exit 2 "$BENCHKEEP" import "$TMP/bad/type.json"
[ "$ERR" = "benchkeep: error: $TMP/bad/type.json: benchmarks[0].real_time: expected a number" ] || fail "$ERR"
echo '{"benchmarks":[{"name":"a","real_time":1,"time_unit":"jiffies"}]}' >"$TMP/bad/unit.json"
expect_exit 2 "$BENCHKEEP" import "$TMP/bad/unit.json"
echo "$ERR" | grep -q "unit.json: benchmarks\[0\].time_unit: unknown time unit 'jiffies'" || fail "$ERR"
expect_exit 2 "$BENCHKEEP" import -f nosuch "$FX/go/go_output.txt"
echo "$ERR" | grep -q "unknown format 'nosuch'" || fail "$ERR"
expect_exit 2 "$BENCHKEEP" import -f go "$FX/cargo/cargo_output.txt"
echo "$ERR" | grep -q "cargo_output.txt: no benchmark found (read as go)" || fail "$ERR"
printf 'nothing to see\n' >"$TMP/bad/plain.txt"
expect_exit 2 "$BENCHKEEP" import "$TMP/bad/plain.txt"
echo "$ERR" | grep -q "plain.txt: cannot detect the format" || fail "$ERR"
: >"$TMP/bad/empty.txt"
expect_exit 2 "$BENCHKEEP" import "$TMP/bad/empty.txt"
echo "$ERR" | grep -q "empty.txt: empty input" || fail "$ERR"
expect_exit 2 "$BENCHKEEP" import "$TMP/bad/nonexistent.json"
echo "$ERR" | grep -q "cannot read '$TMP/bad/nonexistent.json'" || fail "$ERR"
expect_exit 2 "$BENCHKEEP" import
expect_exit 2 "$BENCHKEEP" import -o a.json --out d "$FX/go/go_output.txt"
expect_exit 2 "$BENCHKEEP" import - -
# one good file and one bad: nothing written
expect_exit 2 "$BENCHKEEP" import -o "$TMP/bad/mixed.json" "$FX/go/go_output.txt" "$TMP/bad/type.json"
[ ! -e "$TMP/bad/mixed.json" ] || fail "written although the second file was bad"
[ "$(find results -name '*.json' | wc -l)" -eq "$before" ] || fail "a result was written for bad input"
ok "wrong types, units, formats, empty/missing files and bad usage refused with exit 2"

# failed runs: the file is written, exit 1; --keep-going exits 0
expect_exit 1 "$BENCHKEEP" import -o "$TMP/failed.json" "$FX/go/failing.txt"
[ -f "$TMP/failed.json" ] || fail "no file for failed runs"
echo "$ERR" | grep -q "go/BenchmarkBroken: 1 failed run" || fail "$ERR"
expect_exit 0 "$BENCHKEEP" import --keep-going -o "$TMP/failed.json" "$FX/hyperfine/failing.json"
ok "failed runs: exit 1 with the file written, --keep-going exits 0"

# -o replaces atomically: no temporary files left
echo old >"$TMP/atomic.json"
expect_exit 0 "$BENCHKEEP" import -o "$TMP/atomic.json" "$FX/cargo/cargo_output.txt"
$PY -c "import json; json.load(open('$TMP/atomic.json'))"
[ "$(ls -A "$TMP" | grep -c '^\.atomic\|\.tmp')" -eq 0 ] || fail "temporary file left: $(ls -A "$TMP")"
ok "-o replaces the file atomically"

# hostile names: kept as data, never in paths
cat >"$TMP/hostile.json" <<'JSON'
{"benchmarks":[{"name":"../../../etc/passwd","real_time":1,"time_unit":"ns"},
 {"name":"<script>alert('x')</script>\n\"q\" & \u00e9","real_time":2,"time_unit":"ns"}]}
JSON
expect_exit 0 "$BENCHKEEP" import --out "$TMP/hostile-res" "$TMP/hostile.json"
F=$(echo "$OUT" | tail -n 1)
case "$F" in "$TMP"/hostile-res/*/*/*.json) ;; *) fail "bad path $F" ;; esac
[ ! -e "$TMP/etc" ] && [ "$(find "$TMP/hostile-res" -type f | wc -l)" -eq 1 ] || fail "name leaked into paths"
$PY - "$F" <<'PY'
import json, sys
names = [b["name"] for b in json.load(open(sys.argv[1]))["benchmarks"]]
assert names == ["../../../etc/passwd", "<script>alert('x')</script>\n\"q\" & \u00e9"], names
PY
ok "hostile names stored as data"

# the written files are valid results: benchkeep site renders them
git add results
git -c user.name=t -c user.email=t@x commit -q -m "imported results"
expect_exit 0 "$BENCHKEEP" site --out "$TMP/site"
[ -f "$TMP/site/index.html" ] || fail "no site"
grep -q "BM_StringCopy" "$TMP/site/index.html" || fail "imported benchmark missing from the site"
ok "imported results render in benchkeep site"

# real harness outputs generated now
if command -v hyperfine >/dev/null; then
	hyperfine -N --runs 4 --warmup 1 -P n 1 2 --export-json "$TMP/hf.json" 'sleep 0.00{n}' >/dev/null 2>&1
	expect_exit 0 "$BENCHKEEP" import -o "$TMP/hf-res.json" "$TMP/hf.json"
	check "$TMP/hf.json" hyperfine "$TMP/hf-res.json"
	ok "a real hyperfine --export-json run imported"
else
	fail "hyperfine is missing (make test-deps installs it)"
fi
if [ -f /usr/include/benchmark/benchmark.h ] && command -v g++ >/dev/null; then
	g++ -O1 -o "$TMP/gb" "$FX/gbench/gbench_fixture.cc" -lbenchmark -lpthread
	"$TMP/gb" --benchmark_format=json --benchmark_min_time=0.001 >"$TMP/gb.json" 2>/dev/null
	expect_exit 1 "$BENCHKEEP" import -o "$TMP/gb-res.json" "$TMP/gb.json" # BM_Fails fails
	check "$TMP/gb.json" gbench "$TMP/gb-res.json"
	ok "a real Google Benchmark run (repetitions, errors) imported"
else
	echo "skip: libbenchmark-dev or g++ missing"
fi
if /usr/bin/python3 -c "import pytest_benchmark" 2>/dev/null; then
	cp "$FX/pytest-benchmark/test_bench.py" "$TMP/test_bench.py"
	(cd "$TMP" && /usr/bin/python3 -m pytest -q -p no:cacheprovider --benchmark-max-time=0.002 \
		--benchmark-min-rounds=5 --benchmark-json="$TMP/pb.json" test_bench.py >/dev/null 2>&1) ||
		fail "pytest-benchmark run failed"
	expect_exit 0 "$BENCHKEEP" import -o "$TMP/pb-res.json" "$TMP/pb.json"
	check "$TMP/pb.json" pytest-benchmark "$TMP/pb-res.json"
	ok "a real pytest-benchmark run imported"
else
	echo "skip: python3-pytest-benchmark missing"
fi
echo "$checks checks passed"
