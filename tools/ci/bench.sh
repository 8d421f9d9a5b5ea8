#!/bin/bash
# The steps of .github/workflows/benchmarks.yml (and of action.yml), one
# sub-command each, so GitHub Actions and tests/workflow/run-local.sh run
# the very same code. Usage: tools/ci/bench.sh STEP [ARGS]
#
#   run                 run the suites of $BK_CONFIG ($BK_SUITES: only these,
#                       names separated by commas or spaces); prints the
#                       result path
#   ab [BASE_REF]       interleaved A/B runs (pull requests): builds BASE_REF
#                       (default: the merge base of HEAD and $BK_MAIN) in a
#                       worktree, runs the suites $BK_AB_SUITES [$BK_SUITES,
#                       else all; names separated by commas or spaces; a
#                       suite of a type --ab refuses, such as nats, must be
#                       left out] alternately on that build and this
#                       checkout (benchkeep run --ab), writes $BK_OUT/ab.md
#                       (benchkeep compare of the pair) for the summary
#   summary RESULT      write $BK_OUT/summary.md: the pull request comment,
#                       marker first: the A/B verdict first when the ab step
#                       ran, then benchkeep summary against $BK_BASELINE with
#                       the noise of the data branch (--history), links to
#                       $BK_ARTIFACTS_URL and $BK_SITE_URL when set
#   weekly RESULT       the weekly check: benchkeep summary --weekly against
#                       $BK_BASELINE with the data branch's noise (--history):
#                       $BK_OUT/weekly-check.md (one section per regression,
#                       each linking to its chart on $BK_SITE_URL), .html
#                       (through cmark-gfm) and .json (benchkeep compare);
#                       outputs regressions=N (0 when informational: the
#                       baseline came from another machine) and complete=
#                       true|false (false when $BK_SUITES left suites out)
#   gate RESULT         benchkeep compare --fail-on-regression of the A/B pair
#                       (when the ab step ran) and against the baseline with
#                       --history: exit 1 on a regression
#   record RESULT       append RESULT to the data branch on $BK_REMOTE as
#                       results/YYYY/MM/<id>.json, commit "[skip ci]", push
#                       (retried when another run moved the branch)
#   baseline RESULT     benchkeep baseline update (with the data branch's noise
#                       per benchmark, --history), commit it on $BK_MAIN with
#                       "[skip ci]" and push (retried likewise)
#   site                fetch the data branch, render the site into
#                       $BK_OUT/site and the newest weekly summary into
#                       $BK_OUT/weekly-summary.md
#
# Environment (defaults in brackets): BENCHKEEP [build/benchkeep],
# BK_CONFIG [benchkeep.json], BK_BASELINE [baselines/main-baseline.json],
# BK_OUT [build/bench-ci], BK_DATA_BRANCH [benchmark-data], BK_REMOTE
# [origin], BK_MAIN [the default branch of $BK_REMOTE (its HEAD), else
# $BK_MAIN_FALLBACK, else main], BK_SUITES, BK_SITE_TITLE, BK_BASE_URL,
# BK_REPO_URL, BK_SITE_URL, BK_ARTIFACTS_URL,
# BK_PUSH [1; 0 commits locally only], BK_AB_SUITES, BK_AB_BUILD [make
# -j$(nproc) build/benchkeep: how the base is built, run in its worktree]. On GitHub the result path and the
# files written go to $GITHUB_OUTPUT, summaries to $GITHUB_STEP_SUMMARY.
# Exit: 0 ok, 1 the step's check failed (a failed benchmark, a regression
# under the gate, a push that kept losing the race), 2 bad usage.
set -euo pipefail
shopt -s inherit_errexit

BENCHKEEP=${BENCHKEEP:-build/benchkeep}
export BENCHKEEP # suites may call it (e.g. "cmd": "\"$BENCHKEEP\" --version")
BK_CONFIG=${BK_CONFIG:-benchkeep.json}
BK_BASELINE=${BK_BASELINE:-baselines/main-baseline.json}
BK_OUT=${BK_OUT:-build/bench-ci}
BK_DATA_BRANCH=${BK_DATA_BRANCH:-benchmark-data}
BK_REMOTE=${BK_REMOTE:-origin}
BK_MAIN=${BK_MAIN:-}
BK_PUSH=${BK_PUSH:-1}
MARKER='<!-- benchkeep:summary -->'

say() { echo "bench.sh: $*" >&2; }
die() { say "error: $1"; exit "${2:-2}"; }
gh_output() { if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "$1=$2" >>"$GITHUB_OUTPUT"; fi; }
gh_summary() { if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then cat "$1" >>"$GITHUB_STEP_SUMMARY"; fi; }
need_result() {
	[ -n "${1:-}" ] || die "$step: a result file is needed"
	[ -f "$1" ] || die "$step: no result file '$1'"
}
# git identity for the commits this script makes (the Actions bot on GitHub)
git_identity() {
	git config user.name >/dev/null 2>&1 || git config user.name "github-actions[bot]"
	git config user.email >/dev/null 2>&1 ||
		git config user.email "41898282+github-actions[bot]@users.noreply.github.com"
}
# history_args: "--history REF" when the data branch exists (fetched first,
# quietly), so verdicts use each benchmark's run-to-run noise on this
# machine; nothing when there is no data branch yet
history_args() {
	local ref=""
	if git fetch -q "$BK_REMOTE" "+refs/heads/$BK_DATA_BRANCH:refs/remotes/$BK_REMOTE/$BK_DATA_BRANCH" 2>/dev/null; then
		ref="refs/remotes/$BK_REMOTE/$BK_DATA_BRANCH"
	elif git rev-parse -q --verify "refs/heads/$BK_DATA_BRANCH^{commit}" >/dev/null; then
		ref="refs/heads/$BK_DATA_BRANCH"
	fi
	[ -n "$ref" ] && printf '%s\n' --history "$ref"
	return 0
}
# resolve_main: BK_MAIN, when not given, is the remote's default branch
# (what its HEAD points to: a repository's default branch need not be main)
resolve_main() {
	[ -n "$BK_MAIN" ] && return 0
	local ref
	ref=$(git symbolic-ref -q "refs/remotes/$BK_REMOTE/HEAD" 2>/dev/null || true)
	ref=${ref#refs/remotes/"$BK_REMOTE"/}
	if [ -z "$ref" ]; then
		ref=$(GIT_TERMINAL_PROMPT=0 git ls-remote --symref "$BK_REMOTE" HEAD 2>/dev/null |
			sed -n 's|^ref: refs/heads/\(.*\)\tHEAD$|\1|p' | head -n 1) || ref=""
	fi
	BK_MAIN=${ref:-${BK_MAIN_FALLBACK:-main}}
	say "default branch: $BK_MAIN"
}
# suite_args: "-s NAME" for each name in $BK_SUITES (commas or spaces)
suite_args() {
	local name names=()
	IFS=$', \t\n' read -r -a names <<<"${BK_SUITES:-}"
	for name in "${names[@]}"; do
		[ "$name" = -s ] || printf '%s\n' -s "$name" # "-s a -s b" reads as "a b"
	done
}
run_id_of() { "${PY:-python3}" -c 'import json,sys; print(json.load(open(sys.argv[1]))["run"]["id"])' "$1"; }

step_run() {
	mkdir -p "$BK_OUT"
	local rc=0 out sel=()
	mapfile -t sel < <(suite_args)
	say "running the suites of $BK_CONFIG${BK_SUITES:+ (only: $BK_SUITES)}"
	out=$("$BENCHKEEP" run -c "$BK_CONFIG" "${sel[@]}" --out "$BK_OUT/results") || rc=$?
	local path
	path=$(printf '%s\n' "$out" | tail -n 1)
	if [ -z "$path" ] || [ ! -f "$path" ]; then
		die "benchkeep run wrote no result (exit $rc)" 1
	fi
	gh_output result "$path"
	echo "$path"
	[ $rc -eq 0 ] || say "benchkeep run exited $rc: a benchmark failed (the result is kept)"
	return $rc
}

step_ab() {
	local base_ref=${1:-} dir="$BK_OUT/ab-base" out rc=0 base head suites=()
	mkdir -p "$BK_OUT"
	rm -f "$BK_OUT/ab.md" "$BK_OUT/ab-pair"
	resolve_main
	if [ -z "$base_ref" ]; then
		git fetch -q "$BK_REMOTE" "+refs/heads/$BK_MAIN:refs/remotes/$BK_REMOTE/$BK_MAIN" ||
			die "ab: cannot fetch $BK_MAIN from $BK_REMOTE" 1
		base_ref=$(git merge-base HEAD "refs/remotes/$BK_REMOTE/$BK_MAIN") ||
			die "ab: HEAD has no merge base with $BK_MAIN" 1
	fi
	base_ref=$(git rev-parse --verify "$base_ref^{commit}") || die "ab: unknown revision $base_ref" 1
	git worktree remove --force "$dir" 2>/dev/null || rm -rf "$dir"
	git worktree add -q --detach "$dir" "$base_ref"
	say "ab: building the base ${base_ref:0:10} in $dir"
	if ! (cd "$dir" && eval "${BK_AB_BUILD:-make -j$(nproc) build/benchkeep}") >"$BK_OUT/ab-build.log" 2>&1; then
		git worktree remove --force "$dir" || true
		die "ab: the base ${base_ref:0:10} does not build (log: $BK_OUT/ab-build.log)" 1
	fi
	mapfile -t suites < <(BK_SUITES=${BK_AB_SUITES:-${BK_SUITES:-}} suite_args)
	out=$("$BENCHKEEP" run --ab "$dir" . -c "$BK_CONFIG" "${suites[@]}" --out "$BK_OUT/ab") || rc=$?
	base=$(printf '%s\n' "$out" | tail -n 2 | head -n 1)
	head=$(printf '%s\n' "$out" | tail -n 1)
	git worktree remove --force "$dir" || true
	if [ -z "$base" ] || [ "$base" = "$head" ] || [ ! -f "$base" ] || [ ! -f "$head" ]; then
		die "ab: benchkeep run --ab wrote no result pair (exit $rc)" 1
	fi
	{
		echo "### Interleaved A/B against the merge base \`${base_ref:0:10}\`"
		echo
		echo "Both builds ran on this runner, alternately (base, head, base, head…), so"
		echo "the machine's drift hits both sides alike: this is the verdict of this pull request."
		echo
		"$BENCHKEEP" compare --format markdown -c "$BK_CONFIG" "$base" "$head" | grep -vxF "$MARKER"
	} >"$BK_OUT/ab.md.tmp"
	mv "$BK_OUT/ab.md.tmp" "$BK_OUT/ab.md"
	printf '%s\n%s\n' "$base" "$head" >"$BK_OUT/ab-pair"
	gh_output ab_base "$base"
	gh_output ab_head "$head"
	gh_output ab "$BK_OUT/ab.md"
	echo "$BK_OUT/ab.md"
	[ $rc -eq 0 ] || say "benchkeep run --ab exited $rc: a benchmark failed on one side (the results are kept)"
}

# The pull request comment. When the A/B step ran, its interleaved verdict
# comes first (the headline: same runner, pairs side by side); the
# comparison with the baseline (separate runs, judged against the noise of
# the data branch) follows.
step_summary() {
	local result=$1 md="$BK_OUT/summary.md" args=() ab="$BK_OUT/ab.md" abbytes=0 hist=()
	need_result "$result"
	mkdir -p "$BK_OUT"
	mapfile -t hist < <(history_args)
	[ -n "${BK_ARTIFACTS_URL:-}" ] && args+=(--artifacts-url "$BK_ARTIFACTS_URL")
	[ -n "${BK_SITE_URL:-}" ] && args+=(--site-url "$BK_SITE_URL")
	# the A/B comparison goes under the summary: both within GitHub's limit
	if [ -s "$ab" ]; then
		abbytes=$(wc -c <"$ab")
		if [ "$abbytes" -gt 20000 ]; then
			printf '### Interleaved A/B against the merge base\n\nToo long for the comment: see the artifacts.\n' >"$ab"
			abbytes=$(wc -c <"$ab")
		fi
		args+=(--max-chars $((65000 - abbytes - 2)))
	fi
	if [ -f "$BK_BASELINE" ]; then
		"$BENCHKEEP" summary --head "$result" --baseline "$BK_BASELINE" -c "$BK_CONFIG" "${hist[@]}" "${args[@]}" -o "$md.tmp"
	else
		say "no baseline '$BK_BASELINE' yet: nothing to compare with"
		{
			echo "### Benchmarks"
			echo
			echo "No baseline yet: \`$BK_BASELINE\` is written by the first run on the default branch."
			echo "This run's result is kept in the workflow's artifacts."
		} >"$md.tmp"
	fi
	if [ -s "$ab" ]; then
		{ echo "$MARKER"; cat "$ab"; echo; echo "---"; echo; grep -vxF "$MARKER" "$md.tmp"; } >"$md.tmp2"
		mv "$md.tmp2" "$md.tmp"
	fi
	# the marker finds this comment again on the next push (never a second
	# one); benchkeep summary puts it on the first line, this makes sure of it
	if [ "$(head -n 1 "$md.tmp")" != "$MARKER" ]; then
		{ echo "$MARKER"; cat "$md.tmp"; } >"$md.tmp2"
		mv "$md.tmp2" "$md.tmp"
	fi
	mv "$md.tmp" "$md"
	gh_output summary "$md"
	gh_summary "$md"
	echo "$md"
}

# The weekly check (schedule, manual dispatch): the result against the
# baseline, judged with each benchmark's noise on the data branch; markdown
# for the issue and the job summary, the same through cmark-gfm as HTML, and
# the comparison as JSON, all three kept as artifacts.
step_weekly() {
	local result=$1 md="$BK_OUT/weekly-check.md" hist=() args=() n=0 complete=true
	need_result "$result"
	mkdir -p "$BK_OUT"
	rm -f "$md" "$BK_OUT/weekly-check.html" "$BK_OUT/weekly-check.json"
	[ -n "${BK_SUITES:-}" ] && complete=false
	[ -n "${BK_ARTIFACTS_URL:-}" ] && args+=(--artifacts-url "$BK_ARTIFACTS_URL")
	[ -n "${BK_SITE_URL:-}" ] && args+=(--site-url "$BK_SITE_URL")
	if [ -f "$BK_BASELINE" ]; then
		mapfile -t hist < <(history_args)
		"$BENCHKEEP" compare --format json -c "$BK_CONFIG" "${hist[@]}" "$BK_BASELINE" "$result" \
			>"$BK_OUT/weekly-check.json.tmp"
		mv "$BK_OUT/weekly-check.json.tmp" "$BK_OUT/weekly-check.json"
		"$BENCHKEEP" summary --weekly --head "$result" --baseline "$BK_BASELINE" -c "$BK_CONFIG" \
			"${hist[@]}" "${args[@]}" -o "$md" --html "$BK_OUT/weekly-check.html"
		# an informational comparison (another machine) opens no issue
		n=$("${PY:-python3}" -c 'import json,sys; d=json.load(open(sys.argv[1]))
print(0 if d["informational"] else d["summary"]["regression"])' "$BK_OUT/weekly-check.json")
	else
		say "no baseline '$BK_BASELINE' yet: nothing to compare with"
		{
			echo '<!-- benchkeep:weekly-check -->'
			echo "## Weekly benchmark check: no baseline"
			echo
			echo "No baseline yet: \`$BK_BASELINE\` is written by the first run on the default branch."
		} >"$md"
	fi
	gh_output weekly_check "$md"
	gh_output regressions "$n"
	gh_output complete "$complete"
	gh_summary "$md"
	say "weekly check: $n regression(s)${BK_SUITES:+ (suites: $BK_SUITES)}"
	echo "$md"
}

# The gate: a regression in the interleaved A/B pair (when the A/B step
# ran), or against the baseline with the data branch's noise; a baseline
# from another machine is informational and does not fail (compare says so).
step_gate() {
	local result=$1 rc=0 hist=() pair=()
	need_result "$result"
	if [ -s "$BK_OUT/ab-pair" ]; then
		mapfile -t pair <"$BK_OUT/ab-pair"
		say "gate: the interleaved A/B pair"
		"$BENCHKEEP" compare --fail-on-regression -c "$BK_CONFIG" "${pair[0]}" "${pair[1]}" || rc=$?
	fi
	if [ ! -f "$BK_BASELINE" ]; then
		say "no baseline '$BK_BASELINE': nothing to gate against"
		return $rc
	fi
	mapfile -t hist < <(history_args)
	"$BENCHKEEP" compare --fail-on-regression -c "$BK_CONFIG" "${hist[@]}" "$BK_BASELINE" "$result" || rc=$?
	return $rc
}

# push_retry REFSPEC REBUILD_FN: pushes; when the remote moved meanwhile,
# fetches, calls REBUILD_FN to make the commit again on the new tip, retries
push_retry() {
	local refspec=$1 rebuild=$2 i
	[ "$BK_PUSH" = 1 ] || { say "BK_PUSH=0: not pushing $refspec"; return 0; }
	for i in 1 2 3 4 5; do
		if git push -q "$BK_REMOTE" "$refspec" 2>"$BK_OUT/push.err"; then
			return 0
		fi
		say "push of $refspec refused (attempt $i): $(tr '\n' ' ' <"$BK_OUT/push.err")"
		sleep $((i * 2))
		refspec=$("$rebuild")
	done
	die "could not push $refspec after 5 attempts" 1
}

# record: the result as one new file on the data branch, made with git
# plumbing in a private index (the work tree and HEAD are not touched)
record_commit() {
	local parent="" tree index blob
	if git fetch -q "$BK_REMOTE" "+refs/heads/$BK_DATA_BRANCH:refs/remotes/$BK_REMOTE/$BK_DATA_BRANCH" 2>/dev/null; then
		parent=$(git rev-parse "refs/remotes/$BK_REMOTE/$BK_DATA_BRANCH")
	fi
	index=$(mktemp "${TMPDIR:-/tmp}/bk-index.XXXXXX")
	rm -f "$index"
	if [ -n "$parent" ]; then
		GIT_INDEX_FILE=$index git read-tree "$parent"
	fi
	blob=$(git hash-object -w "$RECORD_FILE")
	GIT_INDEX_FILE=$index git update-index --add --cacheinfo "100644,$blob,$RECORD_PATH"
	tree=$(GIT_INDEX_FILE=$index git write-tree)
	rm -f "$index"
	local msg="benchkeep: record $RECORD_ID [skip ci]"
	local commit
	if [ -n "$parent" ]; then
		commit=$(git commit-tree "$tree" -p "$parent" -m "$msg")
	else
		commit=$(git commit-tree "$tree" -m "$msg")
	fi
	git update-ref "refs/heads/$BK_DATA_BRANCH" "$commit"
	echo "$commit:refs/heads/$BK_DATA_BRANCH"
}

step_record() {
	local result=$1
	need_result "$result"
	mkdir -p "$BK_OUT"
	git_identity
	RECORD_FILE=$result
	RECORD_ID=$(run_id_of "$result")
	# results/YYYY/MM/<id>.json, the layout benchkeep run --branch writes
	RECORD_PATH="results/${RECORD_ID:0:4}/${RECORD_ID:4:2}/$RECORD_ID.json"
	case "$RECORD_ID" in [0-9][0-9][0-9][0-9][0-9][0-9]*) ;; *) RECORD_PATH="results/imported/$RECORD_ID.json" ;; esac
	local refspec
	refspec=$(record_commit)
	push_retry "$refspec" record_commit
	say "recorded $RECORD_PATH on $BK_DATA_BRANCH"
	gh_output recorded "$RECORD_PATH"
}

baseline_commit() {
	if [ -n "$(git status --porcelain --untracked-files=no)" ]; then
		die "baseline: the work tree has changes; commit them or run this in a clean checkout"
	fi
	if [ "$BK_PUSH" = 1 ]; then
		git fetch -q "$BK_REMOTE" "$BK_MAIN"
		git reset -q --hard FETCH_HEAD
	fi
	local hist=()
	mapfile -t hist < <(history_args)
	"$BENCHKEEP" baseline update --baseline "$BK_BASELINE" "${hist[@]}" "$BASELINE_RESULT" >&2
	git add -- "$BK_BASELINE"
	if git diff --cached --quiet -- "$BK_BASELINE"; then
		say "baseline unchanged"
	else
		git commit -q -m "benchkeep: update $BK_BASELINE from $(run_id_of "$BASELINE_RESULT") [skip ci]" -- "$BK_BASELINE"
	fi
	echo "HEAD:refs/heads/$BK_MAIN"
}

step_baseline() {
	local result=$1
	need_result "$result"
	mkdir -p "$BK_OUT" "$(dirname "$BK_BASELINE")"
	git_identity
	resolve_main
	# the result may live in the work tree: keep a copy out of reach of the reset
	BASELINE_RESULT="$BK_OUT/baseline-source.json"
	[ "$result" -ef "$BASELINE_RESULT" ] || cp "$result" "$BASELINE_RESULT"
	local refspec
	refspec=$(baseline_commit)
	push_retry "$refspec" baseline_commit
	say "baseline $BK_BASELINE updated on $BK_MAIN"
}

step_site() {
	local ref="$BK_DATA_BRANCH" site="$BK_OUT/site" args=()
	mkdir -p "$BK_OUT"
	resolve_main
	if git fetch -q "$BK_REMOTE" "+refs/heads/$BK_DATA_BRANCH:refs/remotes/$BK_REMOTE/$BK_DATA_BRANCH" 2>/dev/null; then
		ref="refs/remotes/$BK_REMOTE/$BK_DATA_BRANCH"
	fi
	git rev-parse -q --verify "$ref^{commit}" >/dev/null || die "no data branch '$BK_DATA_BRANCH' yet: record a result first" 1
	[ -n "${BK_SITE_TITLE:-}" ] && args+=(--title "$BK_SITE_TITLE")
	[ -n "${BK_BASE_URL:-}" ] && args+=(--base-url "$BK_BASE_URL")
	[ -n "${BK_REPO_URL:-}" ] && args+=(--repo-url "$BK_REPO_URL")
	rm -rf "$site"
	"$BENCHKEEP" site --ref "$ref" --branch "$BK_MAIN" --out "$site" "${args[@]}" >&2
	local weekly
	weekly=$(find "$site/weekly" -name '*.md' 2>/dev/null | sort | tail -n 1)
	if [ -n "$weekly" ]; then
		cp "$weekly" "$BK_OUT/weekly-summary.md"
		gh_summary "$BK_OUT/weekly-summary.md"
		gh_output weekly "$BK_OUT/weekly-summary.md"
	fi
	gh_output site "$site"
	echo "$site"
}

step=${1:-}
[ $# -gt 0 ] && shift
case "$step" in
run) step_run ;;
ab) step_ab "${1:-}" ;;
summary) step_summary "${1:-}" ;;
weekly) step_weekly "${1:-}" ;;
gate) step_gate "${1:-}" ;;
record) step_record "${1:-}" ;;
baseline) step_baseline "${1:-}" ;;
site) step_site ;;
*) die "usage: tools/ci/bench.sh run|ab [BASE_REF]|summary RESULT|weekly RESULT|gate RESULT|record RESULT|baseline RESULT|site" ;;
esac
