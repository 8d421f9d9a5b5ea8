#!/bin/bash
# A scratch project for the action (action.yml) to measure: a repository
# whose default branch is `trunk` (not main), with a bare origin, a small C
# program built by `make`, a benchkeep.json timing it, and a branch
# `feature` that makes it four times slower. Used by .github/workflows/action.yml (the
# action itself on a runner) and by tests/integration/action_scratch.sh (the
# same steps through tools/ci/bench.sh here).
# Usage: tests/workflow/scratch.sh STEP DIR [ARGS]
#   create DIR              DIR/origin.git and the clone DIR/work (on trunk)
#   check-push DIR          after a push run on trunk: the result is on the
#                           data branch, the baseline committed on trunk,
#                           origin has no branch main
#   feature DIR             checks out in DIR/work what a pull request from
#                           feature checks out: feature merged into trunk
#   check-pr DIR SUMMARY    the pull request summary: marker, the interleaved
#                           A/B verdict against the merge base first (finding
#                           the slower loop), the baseline comparison second
# Prints "ok: ..." per check; exit 1 on the first failed one.
set -euo pipefail
shopt -s inherit_errexit
fail() { echo "scratch.sh: FAIL: $*" >&2; exit 1; }
ok() { echo "ok: $*"; }
step=${1:-}
D=${2:-}
[ -n "$D" ] || fail "usage: scratch.sh create|check-push|feature|check-pr DIR [SUMMARY]"
export GIT_AUTHOR_NAME=scratch GIT_AUTHOR_EMAIL=scratch@example.invalid
export GIT_COMMITTER_NAME=scratch GIT_COMMITTER_EMAIL=scratch@example.invalid

create() {
	mkdir -p "$D"
	D=$(cd "$D" && pwd)
	git init -q --bare -b trunk "$D/origin.git"
	git init -q -b trunk "$D/work"
	cd "$D/work"
	git config user.name scratch
	git config user.email scratch@example.invalid
	cat >prog.c <<'C'
/* the program the scratch project measures: a loop of LOOPS steps */
#ifndef LOOPS
#define LOOPS 4000000UL
#endif
int main(void)
{
	volatile unsigned long s = 0;
	for (unsigned long i = 0; i < LOOPS; i++)
		s += i;
	return s == 1;
}
C
	printf 'build/prog: prog.c\n\tmkdir -p build\n\t$(CC) -O1 -o $@ prog.c\n' >Makefile
	printf 'build/\n' >.gitignore
	cat >benchkeep.json <<'JSON'
{"suites": [{"name": "scratch", "runs": 20, "warmup": 1, "rounds": 5,
             "benchmarks": [{"name": "loop", "cmd": ["build/prog"]}]}]}
JSON
	git add -A
	git commit -q -m "scratch project"
	git remote add origin "$D/origin.git"
	git push -q -u origin trunk
	# the merge base of the pull request is this commit; feature makes the loop 4x longer
	git checkout -q -b feature
	sed -i 's/4000000UL/16000000UL/' prog.c
	git commit -q -am "feature: four times the loop"
	git push -q origin feature
	git checkout -q trunk
	[ "$(git --git-dir="$D/origin.git" symbolic-ref HEAD)" = refs/heads/trunk ] || fail "origin's default branch is not trunk"
	ok "scratch repository $D/work: default branch trunk, branch feature (four times the loop)"
}

check_push() {
	local o="$D/origin.git" n
	git --git-dir="$o" rev-parse -q --verify refs/heads/main >/dev/null && fail "a branch main appeared on origin"
	n=$(git --git-dir="$o" ls-tree -r --name-only benchmark-data 2>/dev/null | grep -c '^results/.*\.json$' || true)
	[ "$n" -ge 1 ] || fail "no result on the data branch of origin"
	git --git-dir="$o" show trunk:baselines/main-baseline.json | grep -q '"loop"' || fail "no baseline on trunk"
	git --git-dir="$o" log -1 --format=%s trunk | grep -q 'baseline.*\[skip ci\]' || fail "baseline commit: $(git --git-dir="$o" log -1 --format=%s trunk)"
	ok "push to trunk: $n result(s) on benchmark-data, the baseline committed on trunk (not main)"
}

feature() {
	cd "$D/work"
	git fetch -q origin
	# GitHub's refs/pull/N/merge: the head merged into the base branch as it is
	git checkout -q -B pull origin/feature
	git merge -q --no-edit origin/trunk
	ok "checked out feature merged into trunk"
}

check_pr() {
	local md=${3:-} base
	[ -s "$md" ] || fail "no summary '$md'"
	base=$(git -C "$D/work" merge-base origin/trunk HEAD)
	[ "$(head -n 1 "$md")" = '<!-- benchkeep:summary -->' ] || fail "marker: $(head -n 1 "$md")"
	sed -n 2p "$md" | grep -qF "### Interleaved A/B against the merge base \`${base:0:10}\`" ||
		fail "the A/B verdict against the merge base ${base:0:10} is not the headline: $(sed -n 2p "$md")"
	local ab base_cmp
	ab=$(grep -n 'Interleaved A/B: base and head were measured side by side' "$md" | head -n 1 | cut -d: -f1)
	base_cmp=$(grep -n 'compared with the baseline' "$md" | head -n 1 | cut -d: -f1)
	[ -n "$ab" ] && [ -n "$base_cmp" ] && [ "$ab" -lt "$base_cmp" ] || fail "A/B ($ab) before the baseline ($base_cmp)"
	sed -n "1,${base_cmp}p" "$md" | grep -q 'regression.*scratch / loop' ||
		fail "the A/B run did not find the longer loop: $(sed -n "1,${base_cmp}p" "$md")"
	ok "pull request: A/B against the merge base ${base:0:10} first (scratch / loop a regression), the baseline second"
}

case "$step" in
create) create ;;
check-push) check_push ;;
feature) feature ;;
check-pr) check_pr "$@" ;;
*) fail "unknown step '$step'" ;;
esac
