#!/bin/bash
# benchkeep run end to end: real commands, a real git repository.
. "$(dirname "$0")/lib.bash"

R="$TMP/repo"
new_repo "$R"
cd "$R"
cat >benchkeep.json <<'JSON'
{"suites": [{"name": "demo", "benchmarks": [
  {"name": "sleep-10ms", "cmd": ["sleep", "0.01"], "runs": 10, "warmup": 1},
  {"name": "sort", "cmd": "sort -n data.txt > /dev/null", "runs": 20, "min_time": 0.5, "timeout": 10},
  {"name": "echo", "cmd": ["sh", "-c", "test {n} -gt 0"], "params": {"n": [1, 2]}, "runs": 3, "warmup": 0}
]}]}
JSON
seq 1 5000 | sort -R >data.txt
git add benchkeep.json data.txt
git commit -q -m "add suite"
HEAD_SHA=$(git rev-parse HEAD)

expect_exit 0 "$BENCHKEEP" run
FILE=$(echo "$OUT" | tail -n 1)
[ -f "$FILE" ] || fail "last line is not the result file: $OUT"
[ "$(echo "$OUT" | wc -l)" -eq 1 ] || fail "stdout not a terminal: only the path expected, got: $OUT"
case "$FILE" in results/20[0-9][0-9]/[01][0-9]/*.json) ok "result file under results/YYYY/MM: $FILE" ;; *) fail "bad path $FILE" ;; esac

$PY - "$FILE" "$HEAD_SHA" <<'PY'
import json, sys, statistics
d = json.load(open(sys.argv[1]))
assert d["schema"] == "benchkeep/result/v1"
run = d["run"]
assert run["commit"]["sha"] == sys.argv[2], run["commit"]
assert run["commit"]["branch"] == "main"
assert run["machine"]["cpu_cores"] >= 1 and run["machine"]["os"] == "linux"
b = {x["name"]: x for x in d["benchmarks"]}
assert set(b) == {"sleep-10ms", "sort", "echo/n=1", "echo/n=2"}, set(b)
s = b["sleep-10ms"]
assert len(s["samples"]) == 10 and s["stats"]["n"] == 10
med = statistics.median(s["samples"])
assert abs(s["stats"]["median"] - med) < 1e-12
# a 10 ms sleep: fork/exec of sleep adds ~1 ms on this machine
assert 0.0099 < med < 0.25, med   # a loaded machine stretches sleeps; the floor is what matters
assert s["unit"] == "s" and s["direction"] == "smaller"
assert s["metrics"]["successful_ops"] == 10 and s["metrics"]["failed_ops"] == 0
srt = b["sort"]
# min_time 0.5 s: keeps running past 20 runs until 0.5 s were measured
assert len(srt["samples"]) >= 20 and sum(srt["samples"]) >= 0.5, (len(srt["samples"]), sum(srt["samples"]))
assert b["echo/n=2"]["params"] == {"n": "2"}
# rounds by default: 5, each sample's round recorded, runs split evenly
assert run["rounds"]["count"] == 5 and 0 <= run["rounds"]["seed"] < 2**53, run["rounds"]
assert s["rounds"] == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5], s["rounds"]
assert b["echo/n=1"]["rounds"] == [1, 2, 3]            # runs 3 < 5 rounds
assert srt["rounds"] == sorted(srt["rounds"]) and set(srt["rounds"]) == {1, 2, 3, 4, 5}
print("median of sleep-10ms: %.3f ms" % (med * 1000))
PY
ok "result content matches the run"

# a truncated config: exit 2, error names the file and position, no new file
head -c 60 benchkeep.json >bad.json
before=$(find results -name '*.json' | wc -l)
expect_exit 2 "$BENCHKEEP" run -c bad.json
echo "$ERR" | grep -q "bad.json:[0-9]*:[0-9]*:" || fail "error lacks file:line:col: $ERR"
[ "$(echo "$ERR" | wc -l)" -eq 1 ] || fail "error is not one line: $ERR"
[ "$(find results -name '*.json' | wc -l)" -eq "$before" ] || fail "a file was written for a bad config"
ok "truncated config refused: $ERR"

# unknown key: key path
echo '{"suites":[{"name":"d","benchmarks":[{"name":"x","cmd":"true","rnus":3}]}]}' >bad2.json
expect_exit 2 "$BENCHKEEP" run -c bad2.json
echo "$ERR" | grep -q "bad2.json: suites\[0\].benchmarks\[0\].rnus: unknown key" || fail "$ERR"
ok "unknown key refused with its path"

# a failing command: recorded as failed ops, exit 1; --keep-going exits 0
cat >fail.json <<'JSON'
{"suites": [{"name": "f", "benchmarks": [
  {"name": "flaky", "cmd": "exit 3", "runs": 4, "warmup": 0},
  {"name": "slow", "cmd": ["sleep", "5"], "runs": 1, "warmup": 0, "timeout": 0.2}]}]}
JSON
expect_exit 1 "$BENCHKEEP" run -c fail.json --out "$TMP/failres"
F=$(echo "$OUT" | tail -n 1)
$PY - "$F" <<'PY'
import json, sys
b = {x["name"]: x for x in json.load(open(sys.argv[1]))["benchmarks"]}
assert b["flaky"]["metrics"]["failed_ops"] == 1 and b["flaky"]["metrics"]["error_rate"] == 1.0, b["flaky"]
assert b["slow"]["metrics"]["timeouts"] == 1 and b["slow"]["samples"] == []
PY
start=$(date +%s%N)
expect_exit 0 "$BENCHKEEP" run -c fail.json --out "$TMP/failres" --keep-going
el=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$el" -lt 3000 ] || fail "timeout did not kill the command ($el ms)"
F=$(echo "$OUT" | tail -n 1)
$PY -c "import json,sys; b={x['name']:x for x in json.load(open('$F'))['benchmarks']}; assert b['flaky']['metrics']['failed_ops']==4, b"
ok "failed runs and timeouts are failed operations"

# selection: -s, --filter, --runs
expect_exit 0 "$BENCHKEEP" run -s demo --filter 'echo' --runs 2 --out "$TMP/sel"
F=$(echo "$OUT" | tail -n 1)
$PY -c "
import json; d=json.load(open('$F'))
assert sorted(b['name'] for b in d['benchmarks'])==['echo/n=1','echo/n=2'], d['benchmarks']
assert all(len(b['samples'])==2 for b in d['benchmarks'])"
expect_exit 2 "$BENCHKEEP" run -s nosuch --out "$TMP/sel"
echo "$ERR" | grep -q "no suite named 'nosuch'" || fail "$ERR"
ok "suite and filter selection"

# --commit: exactly one new commit holding only the new file; index and
# other work-tree changes untouched
echo "staged change" >>README
git add README
echo "unstaged" >notes.txt
status_before=$(git status --porcelain | grep -v '^?? results/' || true)
commits_before=$(git rev-list --count HEAD)
expect_exit 0 "$BENCHKEEP" run --commit --filter 'echo/n=1' --runs 2
F=$(echo "$OUT" | tail -n 1)
[ "$(git rev-list --count HEAD)" -eq $((commits_before + 1)) ] || fail "not exactly one commit"
changed=$(git show --name-only --format= HEAD)
[ "$changed" = "$F" ] || fail "commit holds '$changed', want '$F'"
git show HEAD:"$F" | cmp - "$F" || fail "committed content differs"
status_after=$(git status --porcelain | grep -v '^?? results/' || true)
[ "$status_before" = "$status_after" ] || fail "work tree/index changed: before '$status_before' after '$status_after'"
git diff --cached --name-only | grep -qx README || fail "staged README lost"
fsck_out=$(git fsck --no-progress 2>&1 | grep -v '^dangling' || true)
[ -z "$fsck_out" ] || fail "fsck: $fsck_out"
# the sha recorded is the commit measured (the parent of the new commit)
$PY -c "import json; assert json.load(open('$F'))['run']['commit']['sha']=='$(git rev-parse HEAD~1)'"
ok "--commit adds one commit with only the new file"

# --branch: commit to a branch that is not checked out
head_before=$(git rev-parse HEAD)
expect_exit 0 "$BENCHKEEP" run --branch benchmark-data --filter 'echo/n=2' --runs 2 --out "$TMP/out-b"
F=$(echo "$OUT" | tail -n 1)
[ "$(git rev-parse HEAD)" = "$head_before" ] || fail "HEAD moved"
[ "$(git symbolic-ref --short HEAD)" = main ] || fail "branch switched"
[ "$(git rev-list --count benchmark-data)" -eq 1 ] || fail "benchmark-data should have one commit"
inbranch=$(git ls-tree -r --name-only benchmark-data)
[ "$inbranch" = "results/${F#$TMP/out-b/}" ] || fail "branch holds '$inbranch'"
expect_exit 0 "$BENCHKEEP" run --branch benchmark-data --filter 'echo/n=2' --runs 2 --out "$TMP/out-b"
[ "$(git rev-list --count benchmark-data)" -eq 2 ] || fail "second commit missing"
[ "$(git ls-tree -r --name-only benchmark-data | wc -l)" -eq 2 ] || fail "branch should hold two files"
ok "--branch commits without checking out"

# GITHUB_* environment: CI info and sha
expect_exit 0 env GITHUB_ACTIONS=true GITHUB_SHA=0123456789abcdef0123456789abcdef01234567 \
	GITHUB_RUN_ID=42 GITHUB_EVENT_NAME=pull_request GITHUB_REF=refs/pull/17/merge \
	GITHUB_REF_NAME=17/merge GITHUB_HEAD_REF=feature RUNNER_OS=Linux RUNNER_ARCH=X64 \
	"$BENCHKEEP" run --filter 'echo/n=1' --runs 1 --out "$TMP/ci"
F=$(echo "$OUT" | tail -n 1)
$PY - "$F" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["run"]
assert r["commit"] == {"sha": "0123456789abcdef0123456789abcdef01234567", "branch": "feature"}, r["commit"]
assert r["ci"]["provider"] == "github" and r["ci"]["run_id"] == "42" and r["ci"]["pr"] == 17
assert r["ci"]["event"] == "pull_request" and r["machine"]["name"] == "github-linux-x64", r
PY
ok "CI information from GITHUB_* variables"
echo "$checks passed, 0 failed"
