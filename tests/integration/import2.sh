#!/bin/bash
# benchkeep import on the part-B formats (BenchmarkDotNet, JMH, Julia,
# benchmark.js, Luau, custom JSON, Rust baseline), end to end through the
# binary: --list-formats, auto-detection of every fixture in
# tests/fixtures/<format>/, values in the written result checked against the
# source files, -f for the custom directions, stdin, and a truncated file
# refused with exit 2, one line naming the file, and no output file.
# The importers are unit-tested in tests/unit/test_import2.c; until the
# import command exists in this binary the script says so and passes.
. "$(dirname "$0")/lib.bash"
FIX="$BK_ROOT/tests/fixtures"

if ! "$BENCHKEEP" --help 2>&1 | grep -qE '^ +import '; then
	echo "skip: this benchkeep has no import command yet"
	exit 0
fi

expect_exit 0 "$BENCHKEEP" import --list-formats
for f in benchmarkdotnet jmh julia benchmarkjs benchmarkluau custom customSmallerIsBetter \
	customBiggerIsBetter rust-baseline; do
	echo "$OUT" | grep -qw -- "$f" || fail "--list-formats lacks $f: $OUT"
done
ok "--list-formats lists the 9 part-B formats"

# every fixture, format detected, written with -o, checked against its source
n=0
for dir in benchmarkdotnet jmh julia benchmarkjs benchmarkluau custom rust-baseline; do
	for src in "$FIX/$dir"/*; do
		out="$TMP/$dir-$(basename "$src").json"
		expect_exit 0 "$BENCHKEEP" import --suite s -o "$out" "$src"
		$PY - "$dir" "$src" "$out" <<'PY'
import json, re, sys
fmt, src, out = sys.argv[1:]
d = json.load(open(out))
assert d["schema"] == "benchkeep/result/v1", d.get("schema")
bs = d["benchmarks"]
assert bs, "no benchmarks"
for b in bs:
    assert b["suite"] == "s" and b["source"] == fmt, (b["suite"], b["source"], fmt)
    assert b["samples"] and b["stats"]["n"] == len(b["samples"]), b["name"]
    assert b["direction"] in ("smaller", "bigger")
by = {}
for b in bs:
    by.setdefault(b["name"], []).append(b)
text = open(src, encoding="utf-8").read()
if fmt == "benchmarkdotnet":
    j = json.loads(text.lstrip("\ufeff"))
    for x in j["Benchmarks"]:
        ov = (x.get("Statistics") or {}).get("OriginalValues")
        if ov:
            cand = [b for b in bs if b["samples"] == ov]
            assert cand and cand[0]["unit"] == "ns", x["FullName"]
elif fmt == "jmh":
    j = json.loads(text)
    assert len(bs) == len(j)
    for x, b in zip(j, bs):
        assert b["name"] == x["benchmark"] and b["params"]["mode"] == x["mode"]
        raw = x["primaryMetric"].get("rawData")
        if raw:
            assert b["samples"] == [v for fork in raw for v in fork]
        for k, v in (x.get("params") or {}).items():
            assert b["params"][k] == v
        want = "bigger" if x["primaryMetric"]["scoreUnit"].startswith("ops/") else "smaller"
        assert b["direction"] == want
elif fmt == "benchmarkjs":
    lines = [l for l in text.splitlines() if re.search(r" x [\d,.]+ ops/sec", l)]
    assert len(bs) == len(lines)
    for l, b in zip(lines, bs):
        name, rest = l.rsplit(" x ", 1)
        assert b["name"] == name and b["samples"] == [float(rest.split()[0].replace(",", ""))]
        assert b["unit"] == "ops/s" and b["direction"] == "bigger"
elif fmt == "benchmarkluau":
    lines = [l for l in text.splitlines() if l.startswith("SUCCESS")]
    assert len(bs) == len(lines)
    for l, b in zip(lines, bs):
        name = l.split(":")[1].strip()
        val = re.search(r":\s+([\d.]+)ms", l).group(1)
        assert b["name"] == name and b["samples"] == [float(val)] and b["unit"] == "ms"
elif fmt == "custom":
    j = json.loads(text)
    assert [b["name"] for b in bs] == [x["name"] for x in j]
    assert [b["samples"] for b in bs] == [[x["value"]] for x in j]
    assert [b["unit"] for b in bs] == [x["unit"] for x in j]
elif fmt == "rust-baseline":
    j = json.loads(text)
    for k, v in j.items():
        a = v["metrics"]["avg_duration"]
        assert by[k][0]["samples"] == [a["secs"] * 1e9 + a["nanos"]] and by[k][0]["unit"] == "ns"
elif fmt == "julia":
    assert all(b["unit"] == "ns" for b in bs)
PY
		n=$((n + 1))
	done
done
[ "$n" -ge 12 ] || fail "only $n fixtures"
ok "$n fixtures detected, imported and checked against their source"

# the custom directions, chosen with -f; stdin
expect_exit 0 "$BENCHKEEP" import -f customBiggerIsBetter -o "$TMP/big.json" "$FIX/custom/customSmallerIsBetter_output.json"
$PY -c "import json,sys; d=json.load(open(sys.argv[1])); assert {b['direction'] for b in d['benchmarks']} == {'bigger'}" "$TMP/big.json"
expect_exit 0 sh -c "cat '$FIX/benchmarkjs/benchmarkjs_output.txt' | '$BENCHKEEP' import -f benchmarkjs -o '$TMP/stdin.json' -"
$PY -c "import json,sys; d=json.load(open(sys.argv[1])); assert len(d['benchmarks']) == 3" "$TMP/stdin.json"
ok "-f customBiggerIsBetter and stdin"

# hostile names are kept verbatim in the result (escaped only where written out)
printf '%s x 5 ops/sec \xc2\xb11%% (3 runs sampled)\n' "<script>alert(1)</script>|../../x" >"$TMP/hostile.txt"
expect_exit 0 "$BENCHKEEP" import -o "$TMP/hostile.json" "$TMP/hostile.txt"
$PY -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['benchmarks'][0]['name'] == '<script>alert(1)</script>|../../x'" "$TMP/hostile.json"
ok "hostile name kept verbatim"

# truncated input: exit 2, one line naming the file and the position, no output
for src in "$FIX/jmh/jmh_output.json" "$FIX/benchmarkdotnet/benchmarkdotnet.json" "$FIX/julia/julia_output.json"; do
	cut="$TMP/cut-$(basename "$src")"
	head -c $(($(wc -c <"$src") / 2)) "$src" >"$cut"
	expect_exit 2 "$BENCHKEEP" import -o "$TMP/never.json" "$cut"
	[ ! -e "$TMP/never.json" ] || fail "an output file was written for $cut"
	[ "$(echo "$ERR" | wc -l)" -eq 1 ] || fail "error is not one line: $ERR"
	echo "$ERR" | grep -q "cut-$(basename "$src"):[0-9]*:[0-9]*:" || fail "error lacks file:line:col: $ERR"
done
ok "truncated inputs refused with exit 2, file:line:col, no output"
echo "$checks checks passed"
