#!/bin/bash
# benchkeep run in rounds: real commands that log what ran, in which order,
# and the result files they produce (rounds per sample and per run, the
# shuffled order reproducible from the seed, totals, --rounds 1, config
# errors, harness entries, --ab pairs).
. "$(dirname "$0")/lib.bash"

cd "$TMP"
check() { $PY - "$@"; }
# every timed command appends its name to log (a line is one run)
cat >r.json <<'JSON'
{"suites": [{"name": "r", "warmup": 0, "benchmarks": [
  {"name": "a", "cmd": ["sh", "-c", "echo a >>log"], "runs": 10, "warmup": 1},
  {"name": "b", "cmd": ["sh", "-c", "echo b >>log"], "runs": 3},
  {"name": "c", "cmd": ["sh", "-c", "echo c >>log"], "runs": 7,
   "setup": "echo setup-c >>log", "teardown": "echo teardown-c >>log"},
  {"name": "d", "cmd": ["sh", "-c", "echo d >>log"], "runs": 1},
  {"name": "e", "cmd": ["sh", "-c", "echo e >>log"], "runs": 5}
]}]}
JSON

# --- the default: 5 rounds, a random seed --------------------------------
rm -f log
expect_exit 0 "$BENCHKEEP" run -c r.json --out res
F=$(echo "$OUT" | tail -n 1)
[ "$(echo "$OUT" | wc -l)" -eq 1 ] || fail "piped: only the path expected, got: $OUT"
check "$F" log <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
log = open(sys.argv[2]).read().split()
ro = d["run"]["rounds"]
assert ro["count"] == 5 and isinstance(ro["seed"], int) and 0 <= ro["seed"] < 10**15, ro
b = {x["name"]: x for x in d["benchmarks"]}
assert [x["name"] for x in d["benchmarks"]] == list("abcde"), "config order"
for n, runs in {"a": 10, "b": 3, "c": 7, "d": 1, "e": 5}.items():
    x = b[n]
    assert len(x["samples"]) == runs, (n, x["samples"])            # totals = runs
    assert len(x["rounds"]) == runs, (n, x["rounds"])              # one round per sample
    assert x["metrics"]["successful_ops"] == runs
assert b["a"]["rounds"] == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5], b["a"]["rounds"]  # spread over all 5
assert b["c"]["rounds"] == [1, 2, 3, 3, 4, 5, 5], b["c"]["rounds"]  # floor(7j/5): 1,2,4,5,7
assert b["b"]["rounds"] == [1, 2, 3] and b["d"]["rounds"] == [1]   # runs < rounds
assert b["e"]["rounds"] == [1, 2, 3, 4, 5]
# the log: a's warmup once (not per round), setup before c's first run,
# teardown after its last
assert log.count("a") == 11 and log.count("c") == 7, log
assert log.index("setup-c") < log.index("c") and log[-1] != "setup-c"
assert log.index("teardown-c") > max(i for i, v in enumerate(log) if v == "c")
assert log.count("setup-c") == 1 and log.count("teardown-c") == 1
# interleaved: a's runs do not form one block
first, last = log.index("a"), len(log) - 1 - log[::-1].index("a")
assert any(v != "a" for v in log[first:last]), log
print("rounds", ro, "a:", b["a"]["rounds"])
PY
ok "default 5 rounds: totals kept, samples spread over the rounds, rounds recorded"

# --- the order: shuffled per round, reproducible from the seed --------------
cat >o.json <<'JSON'
{"suites": [{"name": "o", "warmup": 0, "runs": 6, "benchmarks": [
  {"name": "p", "cmd": ["sh", "-c", "echo p >>log"]},
  {"name": "q", "cmd": ["sh", "-c", "echo q >>log"]},
  {"name": "r", "cmd": ["sh", "-c", "echo r >>log"]},
  {"name": "s", "cmd": ["sh", "-c", "echo s >>log"]},
  {"name": "t", "cmd": ["sh", "-c", "echo t >>log"]}
]}]}
JSON
orders=()
for seed in 42 42 7; do
	rm -f log
	expect_exit 0 "$BENCHKEEP" run -c o.json --out res --rounds 6 --seed $seed
	F=$(echo "$OUT" | tail -n 1)
	check "$F" log "$seed" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
log = open(sys.argv[2]).read().split()
assert d["run"]["rounds"] == {"count": 6, "seed": int(sys.argv[3])}, d["run"]["rounds"]
for x in d["benchmarks"]:
    assert x["rounds"] == [1, 2, 3, 4, 5, 6], x
rounds = [log[i:i + 5] for i in range(0, 30, 5)]
assert len(log) == 30 and all(sorted(r) == list("pqrst") for r in rounds), log
assert len({"".join(r) for r in rounds}) > 1, "the same order in every round"
assert any(r != list("pqrst") for r in rounds), "never shuffled"
PY
	orders+=("$(tr -d '\n' <log)")
done
[ "${orders[0]}" = "${orders[1]}" ] || fail "same seed, different orders: ${orders[0]} vs ${orders[1]}"
[ "${orders[0]}" != "${orders[2]}" ] || fail "seeds 42 and 7 gave the same orders: ${orders[0]}"
ok "order shuffled per round, the same for the same --seed (${orders[0]}), another for another"

# --- --rounds 1: one benchmark after the other, nothing recorded -------------
rm -f log
expect_exit 0 "$BENCHKEEP" run -c r.json --out res --rounds 1
F=$(echo "$OUT" | tail -n 1)
[ "$(tr '\n' ' ' <log)" = "a a a a a a a a a a a b b b setup-c c c c c c c c teardown-c d e e e e e " ] \
	|| fail "--rounds 1 is not sequential: $(tr '\n' ' ' <log)"
check "$F" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert "rounds" not in d["run"], d["run"]
assert all("rounds" not in x for x in d["benchmarks"])
assert [len(x["samples"]) for x in d["benchmarks"]] == [10, 3, 7, 1, 5]
PY
ok "--rounds 1: sequential, no rounds recorded"

# --- config "rounds": top level, per suite, the command line wins ------------
cat >cfg.json <<'JSON'
{"rounds": 2, "suites": [
  {"name": "x", "runs": 6, "warmup": 0, "benchmarks": [{"name": "x1", "cmd": ["true"]}]},
  {"name": "y", "runs": 6, "warmup": 0, "rounds": 3, "benchmarks": [{"name": "y1", "cmd": ["true"]}]}]}
JSON
expect_exit 0 "$BENCHKEEP" run -c cfg.json --out res --seed 5
check "$(echo "$OUT" | tail -n 1)" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
b = {x["name"]: x["rounds"] for x in d["benchmarks"]}
assert d["run"]["rounds"] == {"count": 3, "seed": 5}, d["run"]["rounds"]  # the largest
assert b == {"x1": [1, 1, 1, 2, 2, 2], "y1": [1, 1, 2, 2, 3, 3]}, b
PY
expect_exit 0 "$BENCHKEEP" run -c cfg.json --out res --rounds 6
check "$(echo "$OUT" | tail -n 1)" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["run"]["rounds"]["count"] == 6
assert all(x["rounds"] == [1, 2, 3, 4, 5, 6] for x in d["benchmarks"]), d["benchmarks"]
PY
ok "config rounds: top level, suite over it, --rounds over both"

before=$(find res -name '*.json' | wc -l)
for bad in '"rounds": 0' '"rounds": -3' '"rounds": "5"' '"rounds": 1.5'; do
	echo "{$bad, \"suites\": [{\"name\": \"s\", \"benchmarks\": [{\"name\": \"x\", \"cmd\": \"true\"}]}]}" >bad.json
	expect_exit 2 "$BENCHKEEP" run -c bad.json --out res
	echo "$ERR" | grep -q "^benchkeep: error: bad.json: rounds: \(must be between 1 and 1000000\|expected an integer\)$" \
		|| fail "top-level $bad: $ERR"
	echo "{\"suites\": [{\"name\": \"s\", $bad, \"benchmarks\": [{\"name\": \"x\", \"cmd\": \"true\"}]}]}" >bad.json
	expect_exit 2 "$BENCHKEEP" run -c bad.json --out res
	echo "$ERR" | grep -q "^benchkeep: error: bad.json: suites\[0\].rounds: \(must be between 1 and 1000000\|expected an integer\)$" \
		|| fail "suite $bad: $ERR"
	[ "$(echo "$ERR" | wc -l)" -eq 1 ] || fail "not one line: $ERR"
done
[ "$(find res -name '*.json' | wc -l)" -eq "$before" ] || fail "a file was written for a bad config"
for bad in 0 -1 x 1000001; do
	expect_exit 2 "$BENCHKEEP" run -c r.json --out res --rounds "$bad"
	echo "$ERR" | grep -q -- "--rounds: expected a whole number" || fail "--rounds $bad: $ERR"
done
for bad in -1 9007199254740992 1.5 abc; do
	expect_exit 2 "$BENCHKEEP" run -c r.json --out res --seed "$bad"
	echo "$ERR" | grep -q -- "--seed: expected a whole number" || fail "--seed $bad: $ERR"
done
ok "bad rounds refused with the file and key path, exit 2: $ERR"

# --- min_time: the budget spread over the rounds ------------------------------
cat >mt.json <<'JSON'
{"suites": [{"name": "m", "warmup": 0, "benchmarks": [
  {"name": "short", "cmd": ["true"], "runs": 2, "min_time": 0.5, "max_runs": 5000},
  {"name": "other", "cmd": ["true"], "runs": 5}]}]}
JSON
expect_exit 0 "$BENCHKEEP" run -c mt.json --out res
check "$(echo "$OUT" | tail -n 1)" <<'PY'
import json, sys
b = {x["name"]: x for x in json.load(open(sys.argv[1]))["benchmarks"]}
s = b["short"]
assert sum(s["samples"]) >= 0.5 and len(s["samples"]) > 2, len(s["samples"])
assert set(s["rounds"]) == {1, 2, 3, 4, 5}, s["rounds"]   # runs 2 < 5 rounds, but min_time
assert s["rounds"] == sorted(s["rounds"])
print("min_time 0.5 s: %d runs over rounds %s" % (len(s["samples"]), sorted(set(s["rounds"]))))
PY
ok "min_time is spread over every round"

# --- harness entries and failures -------------------------------------------
cp "$BK_FIXTURES/hyperfine/basic.json" hf.json
cat >h.json <<'JSON'
{"suites": [
  {"name": "t", "warmup": 0, "runs": 4, "benchmarks": [
    {"name": "first", "cmd": ["true"]},
    {"name": "hf", "cmd": ["cat", "hf.json"], "format": "hyperfine"},
    {"name": "fails", "cmd": "exit 3"},
    {"name": "last", "cmd": ["true"]}]}]}
JSON
expect_exit 1 "$BENCHKEEP" run -c h.json --out res
check "$(echo "$OUT" | tail -n 1)" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
names = [x["name"] for x in d["benchmarks"]]
assert names[0] == "first" and names[-2:] == ["fails", "last"], names   # config order
assert d["run"]["rounds"]["count"] == 4
b = {x["name"]: x for x in d["benchmarks"]}
imported = [x for x in d["benchmarks"] if x["source"] != "command"]
assert imported and all("rounds" not in x for x in imported), imported  # not split
f = b["fails"]
assert f["samples"] == [] and f["metrics"]["failed_ops"] == 1, f["metrics"]  # stopped in round 1
assert b["last"]["rounds"] == [1, 2, 3, 4] and b["first"]["rounds"] == [1, 2, 3, 4]
PY
expect_exit 0 "$BENCHKEEP" run -c h.json --out res --keep-going
check "$(echo "$OUT" | tail -n 1)" <<'PY'
import json, sys
b = {x["name"]: x for x in json.load(open(sys.argv[1]))["benchmarks"]}
assert b["fails"]["metrics"]["failed_ops"] == 4, b["fails"]["metrics"]
PY
ok "harness entries run once without rounds; a failure stops only its benchmark"

# --- on a terminal: a line per round ------------------------------------------
if command -v script >/dev/null; then
	script -qec "$BENCHKEEP run -c o.json --out res --rounds 6 --seed 1" /dev/null >tty.txt </dev/null \
		|| fail "run under a terminal failed: $(cat tty.txt)"
	grep -q "round 6/6: 5 benchmarks in" tty.txt || fail "no round line: $(tr '\r' '\n' <tty.txt | tail)"
	grep -q "o/p  run 6/6  median .*(6 rounds)" tty.txt || fail "no benchmark line: $(tr '\r' '\n' <tty.txt | tail)"
	ok "terminal progress: round lines and each benchmark's median"
fi

# --- --ab: pairs side by side, in rounds --------------------------------------
for side in base head; do
	mkdir -p "$side"
	printf 'echo %s >>../ablog\n' "$side" >"$side/w.sh"
done
# head's runs fail: FLAKY=every every third one, FLAKY=once the third one
cat >head/w.sh <<'SH'
echo head >>../ablog
n=$(grep -c head ../ablog)
case ${FLAKY:-} in
every) [ $((n % 3)) -ne 0 ] ;;
once) [ "$n" -ne 3 ] ;;
esac
SH
cat >ab.json <<'JSON'
{"suites": [{"name": "ab", "warmup": 0, "benchmarks": [
  {"name": "w", "cmd": ["sh", "w.sh"], "runs": 6},
  {"name": "t", "cmd": ["sh", "w.sh"], "runs": 2, "min_time": 0.25},
  {"name": "h", "cmd": ["cat", "../hf.json"], "format": "hyperfine"}]}]}
JSON
abcheck() {
	check "$@" <<'PY'
import json, sys
base, head = (json.load(open(f)) for f in sys.argv[1:3])
log = open("ablog").read().split()
assert base["run"]["labels"]["ab"] == "base" and head["run"]["labels"]["ab"] == "head"
assert base["run"]["labels"]["ab_peer"] == head["run"]["id"]
assert head["run"]["labels"]["ab_peer"] == base["run"]["id"]
assert base["run"]["rounds"] == head["run"]["rounds"] and base["run"]["rounds"]["count"] == 5
for b, h in zip(base["benchmarks"], head["benchmarks"]):
    assert b["name"] == h["name"]
    assert len(b["samples"]) == len(h["samples"]), (b["name"], len(b["samples"]), len(h["samples"]))
    # no samples: no rounds (a benchmark may stop at its first pair)
    assert b.get("rounds") == h.get("rounds"), (b.get("rounds"), h.get("rounds"))
    assert len(b.get("rounds", [])) == len(b["samples"])
# base and head alternate run by run
for i in range(0, len(log) - 1, 2):
    assert log[i] == "base" and log[i + 1] == "head", (i, log)
print({x["name"]: (len(x["samples"]), x["metrics"].get("unpaired_ops", 0)) for x in base["benchmarks"]},
      {x["name"]: x["metrics"]["failed_ops"] for x in head["benchmarks"]})
PY
}
rm -f ablog
expect_exit 0 "$BENCHKEEP" run -c ab.json --out abres --ab base head --seed 9
echo "$ERR" | grep -q "ab/h: harness entries are not run with --ab" || fail "no skip warning: $ERR"
FB=$(echo "$OUT" | head -n 1)
FH=$(echo "$OUT" | tail -n 1)
abcheck "$FB" "$FH"
check "$FB" "$FH" <<'PY'
import json, sys
base, head = (json.load(open(f)) for f in sys.argv[1:3])
assert base["run"]["rounds"]["seed"] == 9
w = base["benchmarks"][0]
assert w["name"] == "w" and w["rounds"] == [1, 2, 3, 4, 5, 5], w["rounds"]
t = base["benchmarks"][1]
assert set(t["rounds"]) == {1, 2, 3, 4, 5} and sum(t["samples"]) >= 0.25
PY
ok "--ab: base and head side by side, equal counts, the same rounds and seed"

rm -f ablog
expect_exit 0 env FLAKY=every "$BENCHKEEP" run -c ab.json --out abres --ab base head --keep-going
FB=$(echo "$OUT" | head -n 1)
FH=$(echo "$OUT" | tail -n 1)
abcheck "$FB" "$FH"
check "$FB" "$FH" <<'PY'
import json, sys
base, head = (json.load(open(f)) for f in sys.argv[1:3])
assert sum(h["metrics"]["failed_ops"] for h in head["benchmarks"]) > 0
for b, h in zip(base["benchmarks"], head["benchmarks"]):
    assert b["metrics"].get("unpaired_ops", 0) == h["metrics"]["failed_ops"], (b["metrics"], h["metrics"])
    assert len(b["samples"]) == h["metrics"]["successful_ops"]
PY
rm -f ablog
expect_exit 1 env FLAKY=once "$BENCHKEEP" run -c ab.json --out abres --ab base head
FB=$(echo "$OUT" | head -n 1)
FH=$(echo "$OUT" | tail -n 1)
abcheck "$FB" "$FH"
check "$FB" "$FH" <<'PY'
import json, sys
base, head = (json.load(open(f)) for f in sys.argv[1:3])
# head's third run failed: that benchmark stopped there on both sides (the
# base run of that pair dropped), the other went on
failed = [h for h in head["benchmarks"] if h["metrics"]["failed_ops"]]
assert len(failed) == 1 and failed[0]["metrics"]["failed_ops"] == 1, head["benchmarks"]
b = next(x for x in base["benchmarks"] if x["name"] == failed[0]["name"])
assert b["metrics"]["unpaired_ops"] == 1 and b["metrics"]["failed_ops"] == 0, b["metrics"]
assert len(b["samples"]) == len(failed[0]["samples"]) < 3
other = [h for h in head["benchmarks"] if not h["metrics"]["failed_ops"]]
assert len(other) == 1 and other[0]["metrics"]["successful_ops"] >= 2, other  # went on
PY
ok "--ab with failures: unpaired samples dropped, counts stay equal"
echo "$checks checks passed"
