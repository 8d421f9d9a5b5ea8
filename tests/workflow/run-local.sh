#!/bin/bash
# Runs the steps of .github/workflows/benchmarks.yml on this machine, the
# way GitHub runs them: tools/ci/bench.sh in a temporary clone whose
# "origin" is a temporary bare repository, against a local nats-server with
# JetStream (free 127.0.0.1 port, store in the temporary directory, stopped
# by its PID). In order:
#   push to main (twice): run, record on the data branch, baseline update
#   two runners recording at once: both results land (push retried)
#   pull request: run, summary against the baseline, the comment (marker,
#     created once then updated, on an in-memory GitHub), the gate
#   schedule / manual dispatch, the weekly check: run (all suites, and a
#     manual run of one suite), the weekly markdown against the baseline
#     with the data branch's history (a 100x slower copy: a section with
#     its chart link; the result itself: clean), its HTML through
#     cmark-gfm, the issue script on an in-memory GitHub (opened, updated,
#     closed), record, site with the linked chart page and the site's
#     weekly summary
# Usage: tests/workflow/run-local.sh [--keep]
# Environment: BENCHKEEP (default build/benchkeep of this checkout),
# BK_LOCAL_CONFIG (default tests/workflow/local.json: a small suite),
# NATS_SERVER. The working tree's tools/ci, .github and tests/workflow are
# laid over the clone, so uncommitted changes to the steps are what runs.
# Prints "ok: ..." per checked step and "N passed, 0 failed"; exit 1 on the
# first failed check.
set -euo pipefail
shopt -s inherit_errexit
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BENCHKEEP=$(realpath "${BENCHKEEP:-$ROOT/build/benchkeep}")
export BENCHKEEP
CONFIG=${BK_LOCAL_CONFIG:-tests/workflow/local.json}
NATS_SERVER=${NATS_SERVER:-$(command -v nats-server || echo /usr/sbin/nats-server)}
PY=python3
KEEP=0
[ "${1:-}" = --keep ] && KEEP=1
T=$(mktemp -d /tmp/bk-wf-XXXXXX)
NATS_PID=""
cleanup() {
	if [ -n "$NATS_PID" ]; then
		kill -INT "$NATS_PID" 2>/dev/null || true
		wait "$NATS_PID" 2>/dev/null || true
	fi
	if [ $KEEP = 1 ]; then echo "kept $T" >&2; else rm -rf "$T"; fi
}
trap cleanup EXIT
checks=0
fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { checks=$((checks + 1)); echo "ok: $*"; }
free_port() { $PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
[ -x "$BENCHKEEP" ] || fail "no benchkeep binary at $BENCHKEEP (make builds it)"

# --- the repository: a bare "origin" holding this checkout's HEAD as main
export GIT_AUTHOR_NAME=runner GIT_AUTHOR_EMAIL=runner@example.invalid
export GIT_COMMITTER_NAME=runner GIT_COMMITTER_EMAIL=runner@example.invalid
git init -q --bare "$T/origin.git"
git --git-dir="$T/origin.git" fetch -q "$ROOT" "+HEAD:refs/heads/main"
git --git-dir="$T/origin.git" symbolic-ref HEAD refs/heads/main
git clone -q "$T/origin.git" "$T/main"
cd "$T/main"
# the steps as they are in the working tree (uncommitted edits included)
rm -rf tools/ci .github tests/workflow
mkdir -p tools tests
cp -R "$ROOT/tools/ci" tools/ci
cp -R "$ROOT/.github" .github
cp -R "$ROOT/tests/workflow" tests/workflow
git add -A tools/ci .github tests/workflow
git commit -q -m "working tree steps" --allow-empty
git push -q origin HEAD:main
ok "temporary clone of $(git -C "$ROOT" rev-parse --short HEAD) with origin $T/origin.git"

# --- nats-server with JetStream, as the service container of the workflow
PORT=$(free_port)
MON=$(free_port)
mkdir -p "$T/nats-store"
"$NATS_SERVER" -js -a 127.0.0.1 -p "$PORT" -m "$MON" -sd "$T/nats-store" >"$T/nats.log" 2>&1 &
NATS_PID=$!
tools/ci/nats-ready.sh "http://127.0.0.1:$MON" 20 || fail "nats-server: $(tail -5 "$T/nats.log")"
export NATS_URL="nats://127.0.0.1:$PORT"
ok "nats-server with JetStream on $NATS_URL (pid $NATS_PID)"

# the workflow's environment
export BK_CONFIG=$CONFIG BK_OUT=$T/out BK_DATA_BRANCH=benchmark-data BK_MAIN=main
export BK_BASELINE=baselines/main-baseline.json
step_env() { # fresh $GITHUB_OUTPUT and $GITHUB_STEP_SUMMARY for one step
	export GITHUB_OUTPUT="$T/gh-output" GITHUB_STEP_SUMMARY="$T/gh-summary"
	: >"$GITHUB_OUTPUT"
	: >"$GITHUB_STEP_SUMMARY"
}
output() { sed -n "s/^$1=//p" "$GITHUB_OUTPUT" | tail -n 1; }

# --- push to main, twice: run, record, baseline
for i in 1 2; do
	step_env
	tools/ci/bench.sh run >"$T/run.out" || fail "run $i exited $?"
	result=$(output result)
	[ -f "$result" ] && [ "$result" = "$(tail -n 1 "$T/run.out")" ] || fail "run $i: result '$result'"
	$PY - "$result" <<'PY' || fail "run $i: result content"
import json, sys
d = json.load(open(sys.argv[1]))
names = {(b["suite"], b["name"]) for b in d["benchmarks"]}
assert ("cli", "startup") in names and ("cli", "sleep-5ms") in names, names
assert any(s == "nats" and n.startswith("jetstream_publish_ack/") for s, n in names), names
PY
	cp "$result" "$T/main-result-$i.json"
	step_env
	tools/ci/bench.sh record "$result" || fail "record $i"
	tools/ci/bench.sh baseline "$result" || fail "baseline $i"
	ok "push to main #$i: ran $(basename "$result"), recorded it, updated the baseline"
done
git --git-dir="$T/origin.git" rev-parse -q --verify refs/heads/benchmark-data >/dev/null || fail "no data branch on origin"
n=$(git --git-dir="$T/origin.git" ls-tree -r --name-only benchmark-data | grep -c '^results/20[0-9][0-9]/[01][0-9]/.*\.json$')
[ "$n" -eq 2 ] || fail "data branch holds $n result files, want 2"
[ "$(git --git-dir="$T/origin.git" rev-list --count benchmark-data)" -eq 2 ] || fail "data branch commits"
git --git-dir="$T/origin.git" log --format=%s benchmark-data | grep -qv '\[skip ci\]' && fail "a data commit lacks [skip ci]"
git --git-dir="$T/origin.git" log -1 --format=%s main | grep -q 'baseline.*\[skip ci\]' || fail "baseline commit: $(git --git-dir="$T/origin.git" log -1 --format=%s main)"
git --git-dir="$T/origin.git" show main:baselines/main-baseline.json >"$T/baseline.json"
$PY - "$T/baseline.json" "$T/main-result-2.json" <<'PY' || fail "baseline content"
import json, sys
b = json.load(open(sys.argv[1])); r = json.load(open(sys.argv[2]))
names = lambda d: {(x["suite"], x["name"]) for x in d["benchmarks"]}
assert names(b) == names(r), (names(b) ^ names(r))
assert "metadata" in b and b["metadata"].get("git_commit"), b.get("metadata")
PY
[ "$(git status --porcelain --untracked-files=no)" = "" ] || fail "the clone was left dirty"
ok "origin: 2 results on benchmark-data, baseline on main, every commit [skip ci]"

# --- two runners recording at once: both land. The other clone's pre-push
# hook lets this clone record first, so the other's push is refused as it
# would be on GitHub when two runs finish together; it must fetch and retry.
git clone -q "$T/origin.git" "$T/other"
cp "$T/main-result-2.json" "$T/copy.json"
$PY - "$T/copy.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); d["run"]["id"] = d["run"]["id"][:-4] + "beef"
json.dump(d, open(sys.argv[1], "w"))
PY
cat >"$T/other/.git/hooks/pre-push" <<HOOK
#!/bin/bash
[ -e "$T/raced" ] && exit 0
touch "$T/raced"
cd "$T/main" && BK_OUT="$T/out-race" tools/ci/bench.sh record "$T/copy.json" >"$T/rec-b.log" 2>&1
HOOK
chmod +x "$T/other/.git/hooks/pre-push"
(cd "$T/other" && BK_OUT="$T/out-other" tools/ci/bench.sh record "$T/main-result-1.json") >"$T/rec-a.log" 2>&1 ||
	fail "racing record: $(cat "$T/rec-a.log")"
grep -q "refused (attempt 1)" "$T/rec-a.log" || fail "the race did not happen: $(cat "$T/rec-a.log")"
n=$(git --git-dir="$T/origin.git" ls-tree -r --name-only benchmark-data | grep -c '\.json$')
[ "$n" -eq 3 ] || fail "after two racing records the data branch holds $n files, want 3 (the same run recorded twice stays one file)"
ok "two racing records: the refused push fetched, rebuilt its commit and landed; nothing lost"

# --- pull request: run, summary, comment, gate
git checkout -q -b feature
git pull -q origin main
step_env
tools/ci/bench.sh run >/dev/null || fail "PR run"
pr_result=$(output result)
# interleaved A/B against the merge base (here the base is built by copying
# this build's binary: the flow is what is checked, make is make)
step_env
BK_AB_SUITES="cli" BK_AB_BUILD="mkdir -p build && cp '$BENCHKEEP' build/benchkeep" \
	tools/ci/bench.sh ab >"$T/ab.log" 2>&1 || fail "ab: $(tail -5 "$T/ab.log")"
[ -s "$T/out/ab.md" ] && [ "$(output ab)" = "$T/out/ab.md" ] || fail "no ab.md"
grep -q 'Interleaved A/B against the merge base' "$T/out/ab.md" && grep -q 'cli / startup' "$T/out/ab.md" ||
	fail "ab.md lacks the comparison: $(head -n 20 "$T/out/ab.md")"
$PY - "$(output ab_base)" "$(output ab_head)" <<'PY' || fail "the A/B pair is not interleaved base/head results"
import json, sys
b, h = (json.load(open(f)) for f in sys.argv[1:3])
assert b["run"]["labels"]["ab"] == "base" and h["run"]["labels"]["ab"] == "head"
assert {x["name"] for x in b["benchmarks"]} == {x["name"] for x in h["benchmarks"]} == {"startup", "sleep-5ms"}
PY
[ -z "$(git worktree list --porcelain | grep -F ab-base || true)" ] || fail "the base worktree was left behind"
ok "A/B: base built in a worktree, run interleaved, compared in ab.md; worktree removed"
tools/ci/bench.sh summary "$pr_result" >/dev/null || fail "summary"
md=$(output summary)
[ "$md" = "$T/out/summary.md" ] && [ -s "$md" ] || fail "summary file '$md'"
[ "$(head -n 1 "$md")" = '<!-- benchkeep:summary -->' ] || fail "the comment body does not start with the marker: $(head -n 3 "$md")"
[ "$(grep -c 'benchkeep:summary' "$md")" -eq 1 ] || fail "marker not exactly once"
# names are escaped for markdown (jetstream\_publish\_ack)
grep -q 'cli / startup' "$md" && grep -qF 'nats / jetstream\_publish\_ack' "$md" || fail "summary lacks the benchmarks: $(head -n 20 "$md")"
grep -q 'Interleaved A/B against the merge base' "$md" || fail "the summary lacks the A/B section"
# the A/B verdict is the headline: right under the marker, before the baseline's
case "$(sed -n 2p "$md")" in
'### Interleaved A/B against the merge base'*) ;;
*) fail "the A/B verdict is not the headline: $(head -n 3 "$md")" ;;
esac
ab_line=$(grep -n '^Interleaved A/B: base and head were measured side by side' "$md" | head -n 1 | cut -d: -f1)
base_line=$(grep -n 'compared with the baseline' "$md" | head -n 1 | cut -d: -f1)
[ -n "$ab_line" ] && [ -n "$base_line" ] && [ "$ab_line" -lt "$base_line" ] ||
	fail "A/B ($ab_line) should come before the baseline comparison ($base_line)"
grep -q 'history of [0-9]* runs\|history: only [0-9] run' "$md" ||
	fail "the baseline comparison does not use the data branch's history: $(grep -m3 'Noise' "$md")"
cmp -s "$md" "$GITHUB_STEP_SUMMARY" || fail "job summary differs from the comment body"
ok "summary against the baseline: $(wc -l <"$md") lines, marker first, also in the job summary"

node - "$T/main/.github/scripts/pr-comment.js" "$T/main/tests/workflow/fake-github.js" "$md" <<'JS' || fail "comment step"
const [script, fake, md] = process.argv.slice(2);
const post = require(script);
const { FakeGitHub, fakeCore, prContext } = require(fake);
(async () => {
  const gh = new FakeGitHub(), core = fakeCore(), ctx = prContext(42);
  const a = await post({ github: gh, context: ctx, core, bodyFile: md });
  const b = await post({ github: gh, context: ctx, core, body: require('fs').readFileSync(md, 'utf8') + '\nsecond push\n' });
  if (a !== 'created' || b !== 'updated' || gh.comments.length !== 1) throw new Error(`${a} ${b} ${gh.comments.length}`);
  const ro = await post({ github: new FakeGitHub({ readOnly: true }), context: ctx, core, bodyFile: md });
  if (ro !== 'skipped') throw new Error('fork: ' + ro);
})().catch((e) => { console.error(e); process.exit(1); });
JS
ok "comment: created, then updated in place (one comment); fork token: skipped"

# gate: a result against itself passes, a copy with sleep-5ms 3x slower
# fails (30 fixed samples a side, so the verdict does not hang on noise)
$PY - "$T/main-result-2.json" "$T/same.json" "$T/slow.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for factor, out in ((1, sys.argv[2]), (3, sys.argv[3])):
    for b in d["benchmarks"]:
        if b["name"] == "sleep-5ms":
            b["samples"] = [factor * (0.005 + 0.00001 * i) for i in range(30)]
            b.pop("stats", None)
            b.pop("rounds", None)  # one per sample: the new samples have none
    json.dump(d, open(out, "w"))
PY
BK_BASELINE="$T/same.json" tools/ci/bench.sh gate "$T/same.json" >"$T/gate-same.log" 2>&1 ||
	fail "gate: a result against itself failed: $(cat "$T/gate-same.log")"
set +e
BK_BASELINE="$T/same.json" tools/ci/bench.sh gate "$T/slow.json" >"$T/gate-slow.log" 2>&1
rc=$?
set -e
[ $rc -eq 1 ] || fail "gate on a 3x slower sleep-5ms exited $rc, want 1: $(cat "$T/gate-slow.log")"
grep -q 'regression.*sleep-5ms' "$T/gate-slow.log" || fail "gate output does not name the regression: $(cat "$T/gate-slow.log")"
ok "gate: unchanged passes, a 3x regression fails with exit 1"

# --- schedule / workflow_dispatch: the weekly check on main
git checkout -q main
git pull -q origin main
export BK_SITE_URL=https://owner.github.io/repo/
step_env
BK_SUITES=cli tools/ci/bench.sh run >/dev/null || fail "weekly run of one suite"
$PY - "$(output result)" <<'PY' || fail "a manual run of suite cli ran other suites"
import json, sys
assert {b["suite"] for b in json.load(open(sys.argv[1]))["benchmarks"]} == {"cli"}
PY
BK_SUITES=cli tools/ci/bench.sh weekly "$(output result)" >/dev/null 2>"$T/weekly-cli.err" || fail "weekly (cli): $(cat "$T/weekly-cli.err")"
[ "$(output complete)" = false ] || fail "a run of some suites must not count as complete"
ok "manual run of suite cli: only cli measured, the check marked incomplete"
step_env
tools/ci/bench.sh run >/dev/null || fail "weekly run"
weekly_result=$(output result)
# the baseline on main was made from main-result-2: that result again is
# clean; a copy with sleep-5ms 100x slower (same machine, its own run id)
# is a regression
git show main:baselines/main-baseline.json >"$T/weekly-baseline.json"
$PY - "$T/main-result-2.json" "$T/weekly-slow.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["run"]["id"] = d["run"]["id"][:-4] + "0ff1"
for b in d["benchmarks"]:
    if b["name"] == "sleep-5ms":
        b["samples"] = [100 * x for x in b["samples"]]
        b.pop("stats", None)
json.dump(d, open(sys.argv[2], "w"))
PY
step_env
tools/ci/bench.sh weekly "$T/weekly-slow.json" >"$T/weekly.out" 2>"$T/weekly.err" || fail "weekly: $(cat "$T/weekly.err")"
wmd=$(output weekly_check)
[ "$wmd" = "$T/out/weekly-check.md" ] && [ -s "$wmd" ] && [ "$(tail -n 1 "$T/weekly.out")" = "$wmd" ] || fail "weekly check file '$wmd'"
[ "$(output regressions)" -ge 1 ] || fail "the 100x slower sleep-5ms is not a regression: $(cat "$wmd")"
[ "$(output complete)" = true ] || fail "complete: $(output complete)"
[ "$(head -n 1 "$wmd")" = '<!-- benchkeep:weekly-check -->' ] || fail "weekly marker: $(head -n 2 "$wmd")"
grep -q '^## :x: Weekly benchmark check: [0-9]* regression' "$wmd" || fail "weekly headline: $(sed -n 2p "$wmd")"
grep -q '^### :red_circle: Regression: cli / sleep\\-5ms$' "$wmd" || fail "no section for the regression: $(cat "$wmd")"
[ "$(grep -c '^### :red_circle: Regression: ' "$wmd")" -eq "$(output regressions)" ] || fail "one section per regression"
link=$(grep -o '\[Chart of cli / sleep\\-5ms on the benchmark site\](https://owner.github.io/repo/bench/[A-Za-z0-9._-]*\.html)' "$wmd" |
	sed 's/.*(https:\/\/owner.github.io\/repo\/\(.*\))$/\1/')
[ -n "$link" ] || fail "no chart link in the section: $(grep -A4 'Regression: cli' "$wmd")"
grep -q 'noise from history of [0-9]* runs\|history: only' "$wmd" || fail "the weekly check does not use the data branch's history: $(grep -m3 'noise from' "$wmd")"
grep -qF 'compared with the baseline baselines/main\-baseline\.json' "$wmd" || fail "not compared with the baseline"
html="$T/out/weekly-check.html"
grep -q '<h3>:red_circle: Regression: cli / sleep-5ms</h3>' "$html" && grep -qF "<a href=\"https://owner.github.io/repo/$link\">" "$html" ||
	fail "weekly-check.html (cmark-gfm) lacks the section or its link: $(grep -m3 'h3\|href' "$html")"
$PY - "$T/out/weekly-check.json" <<'PY' || fail "weekly-check.json"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["informational"] is False and d["summary"]["regression"] >= 1, d["summary"]
assert d["options"]["history"], d["options"]
PY
cmp -s "$wmd" "$GITHUB_STEP_SUMMARY" || fail "the weekly check is not the job summary"
cp "$wmd" "$T/weekly-regressed.md"
ok "weekly check: $(output regressions) regression(s), one section each with its chart link ($link), history noise, HTML through cmark-gfm"
step_env
tools/ci/bench.sh weekly "$T/main-result-2.json" >/dev/null 2>"$T/weekly-clean.err" || fail "clean weekly: $(cat "$T/weekly-clean.err")"
[ "$(output regressions)" = 0 ] || fail "the baseline's own result has $(output regressions) regressions"
grep -q '^## :[a-z_]*: Weekly benchmark check: 0 regressions' "$T/out/weekly-check.md" || fail "clean headline: $(sed -n 2p "$T/out/weekly-check.md")"
grep -q '^### :red_circle:' "$T/out/weekly-check.md" && fail "a clean check has a regression section"
cp "$T/out/weekly-check.md" "$T/weekly-clean.md"
ok "weekly check of the baseline's own result: 0 regressions"

node - "$T/main/.github/scripts/weekly-issue.js" "$T/main/tests/workflow/fake-github.js" "$T/weekly-regressed.md" "$T/weekly-clean.md" <<'JS' || fail "issue step"
const [script, fake, bad, clean] = process.argv.slice(2);
const weekly = require(script);
const { FakeGitHub, fakeCore, repoContext } = require(fake);
(async () => {
  const gh = new FakeGitHub(), core = fakeCore(), ctx = repoContext();
  const a = await weekly({ github: gh, context: ctx, core, bodyFile: bad, regressions: '1' });
  const b = await weekly({ github: gh, context: ctx, core, body: require('fs').readFileSync(bad, 'utf8') + '\nnext week\n', regressions: '2' });
  const c = await weekly({ github: gh, context: ctx, core, bodyFile: clean, regressions: '0' });
  if (a !== 'opened' || b !== 'updated' || c !== 'closed' || gh.issues.length !== 1 || gh.issues[0].state !== 'closed')
    throw new Error(`${a} ${b} ${c} ${JSON.stringify(gh.issues.map((i) => [i.number, i.state]))}`);
  if (!gh.issues[0].body.includes('Regression: cli / sleep')) throw new Error('issue body');
})().catch((e) => { console.error(e); process.exit(1); });
JS
ok "weekly issue: opened by the regression, updated (not a second), closed by the clean check"

step_env
tools/ci/bench.sh record "$weekly_result" || fail "weekly record"
n=$(git --git-dir="$T/origin.git" ls-tree -r --name-only benchmark-data | grep -c '\.json$')
[ "$n" -eq 4 ] || fail "after the weekly record the data branch holds $n files, want 4"
step_env
BK_SITE_TITLE="local run" BK_BASE_URL=$BK_SITE_URL tools/ci/bench.sh site >/dev/null || fail "site"
site=$(output site)
[ -f "$site/index.html" ] || fail "no index.html in '$site'"
grep -q 'startup' "$site/index.html" || fail "index lacks the benchmarks"
[ -f "$site/$link" ] || fail "the weekly check's chart link $link is not a page of the site: $(ls "$site/bench" | head)"
grep -q 'sleep-5ms' "$site/$link" || fail "$link is not the sleep-5ms chart"
[ -s "$T/out/weekly-summary.md" ] || fail "no weekly summary"
cmp -s "$T/out/weekly-summary.md" "$GITHUB_STEP_SUMMARY" || fail "weekly summary not in the job summary"
ok "recorded and rendered: $(find "$site" -type f | wc -l) files, the linked chart $link exists, weekly summary $(basename "$(ls "$site"/weekly/*.md | tail -n 1)")"

echo "$checks passed, 0 failed"
