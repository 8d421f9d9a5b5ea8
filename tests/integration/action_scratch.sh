#!/bin/bash
# The action's steps (action.yml) in order, through the same scripts, on the
# scratch project of tests/workflow/scratch.sh, whose default branch is
# trunk: install (tools/ci/install.sh, prebuilt from a file:// release of
# this build), the `build` command (make), then a push to trunk (run,
# record, baseline) and a pull request from feature (run, the merge base
# built in a worktree with the same command and run interleaved, summary:
# A/B headline, baseline second). BK_MAIN is not set: the default branch
# comes from the remote. .github/workflows/action.yml runs the action
# itself on a runner with the same checks.
. "$(dirname "$0")/lib.bash"
S="$BK_ROOT/tests/workflow/scratch.sh"
BENCH="$BK_ROOT/tools/ci/bench.sh"
bash "$S" create "$TMP/s" || fail "scratch create"
cd "$TMP/s/work"

# install: the prebuilt path, from a release of this very build
V=$("$BK_ROOT/tools/ci/release.sh" version)
"$BK_ROOT/tools/ci/release.sh" package "$TMP/rel/v$V" "$BENCHKEEP" >/dev/null 2>"$TMP/pack.err" || fail "package: $(cat "$TMP/pack.err")"
bin=$(BK_INSTALL_DIR=$TMP/bin "$BK_ROOT/tools/ci/install.sh" --mode prebuilt --release-url "file://$TMP/rel" "$BK_ROOT" 2>"$TMP/install.err" | tail -n 1) ||
	fail "install: $(cat "$TMP/install.err")"
[ "$bin" = "$TMP/bin/benchkeep" ] || fail "install printed '$bin'"
ok "install: the prebuilt binary of a file:// release"

export BENCHKEEP=$bin BK_OUT=$TMP/out BK_CONFIG=benchkeep.json
unset BK_MAIN
# push to trunk
make -s >/dev/null || fail "build (make)"
result=$("$BENCH" run 2>"$TMP/run.err" | tail -n 1) || fail "run: $(cat "$TMP/run.err")"
"$BENCH" record "$result" 2>"$TMP/record.err" || fail "record: $(cat "$TMP/record.err")"
"$BENCH" baseline "$result" 2>"$TMP/baseline.err" || fail "baseline: $(cat "$TMP/baseline.err")"
grep -q "default branch: trunk" "$TMP/baseline.err" || fail "the default branch was not found on the remote: $(cat "$TMP/baseline.err")"
bash "$S" check-push "$TMP/s" || fail "check-push"
ok "push to trunk: run, record, baseline (default branch trunk found on the remote)"

# pull request from feature
bash "$S" feature "$TMP/s" >/dev/null || fail "feature"
make -s >/dev/null || fail "build feature (make)"
result=$("$BENCH" run 2>"$TMP/run2.err" | tail -n 1) || fail "PR run: $(cat "$TMP/run2.err")"
BK_AB_BUILD=make "$BENCH" ab >/dev/null 2>"$TMP/ab.err" || fail "ab: $(cat "$TMP/ab.err")"
grep -q "default branch: trunk" "$TMP/ab.err" || fail "ab: default branch: $(cat "$TMP/ab.err")"
"$BENCH" summary "$result" >/dev/null 2>"$TMP/summary.err" || fail "summary: $(cat "$TMP/summary.err")"
bash "$S" check-pr "$TMP/s" "$TMP/out/summary.md" || fail "check-pr"
[ -z "$(git worktree list --porcelain | grep -F ab-base || true)" ] || fail "the base worktree was left behind"
ok "pull request: merge base built with make in a worktree, A/B headline, baseline second"
echo "$checks passed, 0 failed"
