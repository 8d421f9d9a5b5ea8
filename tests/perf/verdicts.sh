#!/bin/bash
# How often `benchkeep compare` calls noise a change (A/A) and how often it
# finds a real 20-25% slowdown (A/B), on real commands on this machine:
# process start-up (a C program), sort -n of 200k lines, sha256sum of 6 MiB,
# gzip -c of 1.5 MiB of text, a 10 ms sleep, python start-up, git status in
# a repository of 1,500 files, awk over 3 MiB.
#
#   make bench-verdicts            (about 15 minutes)
#   QUICK=1 tests/perf/verdicts.sh (about 3 minutes)
#
# Scenarios (a CPU-bound neighbour is `sh -c 'while :; do :; done'`, started
# and stopped by its PID):
#   A/A separate runs: N_AA runs of the same config, N_AA_HOG of them beside
#       the neighbour, every pair i<j compared (default options), with and
#       without --history (a branch of N_HIST earlier runs recorded here with
#       `run --branch`, N_HIST_HOG of them beside the neighbour).
#   A/B separate runs: every quiet A/A run against each of N_BH runs of the
#       slower side (quiet), with --history (and without, for information).
#   A/B run --ab: N_AB runs each quiet, with the neighbour started mid-run
#       and with it stopped mid-run.
#   A/A run --ab: N_AAAB runs each quiet, beside the neighbour, and with it
#       started and stopped mid-run (the same directory on both sides).
# The slower (head) side runs the same commands on more input (a longer
# loop, a longer sleep, more files): how much more is calibrated on this
# machine (an interleaved run against a side with ~1.5x the work, then
# CAL_REFINE against the head side itself to refine), and the slowdown actually
# measured (the quiet run --ab runs) is printed; only benchmarks whose
# measured slowdown is within 15..30% count toward "found".
#
# Environment: QUICK=1; RUNS (10) and WARMUP (1) per benchmark per run;
# AB_RUNS (20): runs per side in the run --ab scenarios;
# N_HIST, N_HIST_HOG, N_AA, N_AA_HOG, N_BH, N_AB, N_AAAB; ROUNDS=N passes
# --rounds N to every run (when the binary has it); BENCHKEEP (binary,
# default $BUILD/benchkeep); KEEP=1 keeps the scratch directory.
# Output: the table on stdout, $BUILD/perf/verdicts.json.
set -euo pipefail
# shellcheck source=tests/perf/verdicts_lib.sh
. "$(dirname "$0")/verdicts_lib.sh"
verdict_init

RUNS=${RUNS:-10}
# run --ab on a busy machine: pairs are its unit, and 10 pairs cannot reach
# a signed-rank p below 0.002 however clear the shift: 20 by default
AB_RUNS=${AB_RUNS:-20}
WARMUP=${WARMUP:-1}
TARGET=1.225
if [ "${QUICK:-0}" = 1 ]; then
	: "${N_HIST:=6}" "${N_HIST_HOG:=2}" "${N_AA:=6}" "${N_AA_HOG:=2}" "${N_BH:=3}" "${N_AB:=2}" "${N_AAAB:=1}"
	: "${CAL_RUNS:=10}" "${CAL_REFINE:=1}"
else
	: "${N_HIST:=10}" "${N_HIST_HOG:=4}" "${N_AA:=15}" "${N_AA_HOG:=5}" "${N_BH:=10}" "${N_AB:=5}" "${N_AAAB:=5}"
	: "${CAL_RUNS:=20}" "${CAL_REFINE:=2}"
fi

HAVE_HISTORY=false
"$BK" compare --help 2>&1 | grep -q -e '--history' && HAVE_HISTORY=true
HAVE_ROUNDS=false
"$BK" run --help 2>&1 | grep -q -e '--rounds' && HAVE_ROUNDS=true
RUN_ARGS=(--keep-going)
if [ -n "${ROUNDS:-}" ]; then
	if $HAVE_ROUNDS; then
		RUN_ARGS+=(--rounds "$ROUNDS")
	else
		echo "note: ROUNDS=$ROUNDS skipped: not supported by this binary (run has no --rounds)"
	fi
fi
$HAVE_HISTORY || echo "note: --history parts skipped: not supported by this binary (compare has no --history)"

S=$(mktemp -d /tmp/bk-verdicts-XXXXXX)
BKPID=
cleanup() {
	local rc=$?
	if [ -n "$BKPID" ]; then
		kill "$BKPID" 2>/dev/null || true
		wait "$BKPID" 2>/dev/null || true
	fi
	hog_stop
	if [ "${KEEP:-0}" = 1 ]; then
		echo "kept: $S" >&2
	else
		rm -rf "$S"
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

LOAD_START=$(verdict_load)
T0=$SECONDS
log() { printf '[%4ds] %s\n' $((SECONDS - T0)) "$*" >&2; }

# The scratch repository: the history branch lives here, and the sides are
# directories inside it (so a run from a side finds this repository).
REPO=$S/repo
git init -q "$REPO"
git -C "$REPO" -c user.name=bench -c user.email=bench@example.invalid \
	commit -q --allow-empty -m "scratch repository of tests/perf/verdicts.sh"
printf '/base/\n/probe/\n/head/\n' >>"$REPO/.git/info/exclude"
MANIFEST=$S/manifest.tsv
: >"$MANIFEST"

log "inputs: base, probe (calibration)"
verdict_gen "$REPO/base" "${VERDICT_BASE_SIZES[@]}"
verdict_gen "$REPO/probe" "${VERDICT_PROBE_SIZES[@]}"
verdict_config "$S/cfg.json" "$RUNS" "$WARMUP"
verdict_config "$S/cfg-ab.json" "$AB_RUNS" "$WARMUP"
verdict_config "$S/cal.json" "$CAL_RUNS" "$WARMUP"

# ab_run COND CONFIG BASE HEAD: one run --ab; COND quiet, hog, start or stop
# (the neighbour started/stopped DELAY seconds in). Sets AB_BASE, AB_HEAD
# (the two result files), AB_COND (COND-late when the run had ended before
# the switch: then nothing is switched) and AB_MS (its wall time in ms).
ab_run() {
	local cond=$1 t0=${EPOCHREALTIME/./}
	AB_COND=$cond
	RUN_LOAD=$(cut -d' ' -f1 /proc/loadavg)
	case $cond in hog | stop) hog_start ;; esac
	"$BK" run -c "$2" --ab "$3" "$4" --out "$S/res" "${RUN_ARGS[@]}" >"$S/run.out" 2>"$S/run.err" &
	BKPID=$!
	case $cond in
	start | stop)
		sleep "$DELAY"
		if ! kill -0 "$BKPID" 2>/dev/null; then
			AB_COND=$cond-late
		elif [ "$cond" = start ]; then
			hog_start
		else
			hog_stop
		fi
		;;
	esac
	bk_wait
	hog_stop
	AB_MS=$(((${EPOCHREALTIME/./} - t0) / 1000))
	AB_BASE=$(tail -n 2 "$S/run.out" | head -n 1)
	AB_HEAD=$(tail -n 1 "$S/run.out")
}

# set_delay MS: DELAY = 40% of MS milliseconds, in seconds
set_delay() {
	local ms=$(($1 * 2 / 5))
	((ms >= 200)) || ms=200
	DELAY=$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))
}

# bk_wait: wait for the benchkeep started in the background, fail with its
# messages if it failed
bk_wait() {
	if ! wait "$BKPID"; then
		BKPID=
		cat "$S/run.err" >&2
		exit 1
	fi
	BKPID=
}

# one_run COND SIDE [--branch NAME]: a plain run from a side's directory
# ({build} is the current directory); sets RUN_OUT (the last line printed)
one_run() {
	local cond=$1 side=$2
	shift 2
	RUN_LOAD=$(cut -d' ' -f1 /proc/loadavg)
	if [ "$cond" = hog ]; then hog_start; fi
	(cd "$REPO/$side" && exec "$BK" run -c "$S/cfg.json" --out "$S/res" "${RUN_ARGS[@]}" "$@") \
		>"$S/run.out" 2>"$S/run.err" &
	BKPID=$!
	bk_wait
	hog_stop
	RUN_OUT=$(tail -n 1 "$S/run.out")
}

# record KIND COND [PATH...]: a line of the manifest (verdicts_report.py),
# and one with the 1-minute load average when the run started
record() {
	local IFS=$'\t'
	printf '%s\nload\t%s\t%s\t%s\n' "$*" "$1" "$2" "$RUN_LOAD" >>"$MANIFEST"
}

# conds N NHOG: N words, NHOG of them "hog", spread evenly among "quiet"
conds() {
	local i
	for ((i = 0; i < $1; i++)); do
		if (((i + 1) * $2 / $1 > i * $2 / $1)); then echo hog; else echo quiet; fi
	done
}

log "calibration: run --ab base probe ($CAL_RUNS runs)"
ab_run quiet "$S/cal.json" "$REPO/base" "$REPO/probe"
record cal - "$AB_BASE" "$AB_HEAD"
# until a quiet run --ab of the real config is timed: half of this one, scaled
set_delay $((AB_MS * (AB_RUNS + WARMUP) / (CAL_RUNS + WARMUP)))
read -r -a HEAD_SIZES < <("$PY" "$ROOT/tests/perf/verdicts_report.py" calibrate "$S/cal.points" "$TARGET" \
	"$AB_BASE" "$AB_HEAD" \
	"${VERDICT_BASE_SIZES[@]}" -- "${VERDICT_PROBE_SIZES[@]}")
((${#HEAD_SIZES[@]} == ${#VERDICT_BASE_SIZES[@]})) || { echo "verdicts: calibration failed" >&2; exit 1; }
log "inputs: head (${HEAD_SIZES[*]})"
verdict_gen "$REPO/head" "${HEAD_SIZES[@]}"
for ((pass = 1; pass <= CAL_REFINE; pass++)); do
	log "calibration: run --ab base head ($CAL_RUNS runs), refine $pass/$CAL_REFINE"
	ab_run quiet "$S/cal.json" "$REPO/base" "$REPO/head"
	record cal - "$AB_BASE" "$AB_HEAD"
	read -r -a SIZES2 < <("$PY" "$ROOT/tests/perf/verdicts_report.py" calibrate "$S/cal.points" "$TARGET" \
		"$AB_BASE" "$AB_HEAD" \
		"${VERDICT_BASE_SIZES[@]}" -- "${HEAD_SIZES[@]}")
	((${#SIZES2[@]} == ${#VERDICT_BASE_SIZES[@]})) || { echo "verdicts: calibration failed" >&2; exit 1; }
	[ "${SIZES2[*]}" != "${HEAD_SIZES[*]}" ] || break
	HEAD_SIZES=("${SIZES2[@]}")
	log "inputs: head again (${HEAD_SIZES[*]})"
	verdict_gen "$REPO/head" "${HEAD_SIZES[@]}"
done

printf 'sizes\tbase\t%s\nsizes\thead\t%s\n' "${VERDICT_BASE_SIZES[*]}" "${HEAD_SIZES[*]}" >>"$MANIFEST"

# add_to_branch FILE BRANCH: commits result FILE as results/YYYY/MM/<id>.json
# on BRANCH of the scratch repository (plumbing: nothing checked out)
add_to_branch() {
	local f=$1 br=$2 id path parent idx blob tree commit
	id=$(basename "$f" .json)
	path="results/${id:0:4}/${id:4:2}/$id.json"
	idx="$S/add-index"
	rm -f "$idx"
	parent=$(git -C "$REPO" rev-parse -q --verify "refs/heads/$br" || true)
	if [ -n "$parent" ]; then GIT_INDEX_FILE=$idx git -C "$REPO" read-tree "$parent"; fi
	blob=$(git -C "$REPO" hash-object -w "$f")
	GIT_INDEX_FILE=$idx git -C "$REPO" update-index --add --cacheinfo "100644,$blob,$path"
	tree=$(GIT_INDEX_FILE=$idx git -C "$REPO" write-tree)
	rm -f "$idx"
	commit=$(GIT_AUTHOR_NAME=verdicts GIT_AUTHOR_EMAIL=v@example.invalid GIT_COMMITTER_NAME=verdicts \
		GIT_COMMITTER_EMAIL=v@example.invalid git -C "$REPO" commit-tree "$tree" ${parent:+-p "$parent"} -m "$id")
	git -C "$REPO" update-ref "refs/heads/$br" "$commit"
}

# the history as it is (quiet runs and runs beside the neighbour) on
# bench-history, for the A/A checks; its quiet runs alone also on
# bench-history-quiet: a quiet machine's history, for the A/B check "in
# separate runs with --history on a quiet machine"
mapfile -t HC < <(conds "$N_HIST" "$N_HIST_HOG")
for i in "${!HC[@]}"; do
	log "history $((i + 1))/$N_HIST (${HC[i]}): run --branch bench-history"
	one_run "${HC[i]}" base --branch bench-history
	if [ "${HC[i]}" = quiet ] && [ -f "$RUN_OUT" ]; then add_to_branch "$RUN_OUT" bench-history-quiet; fi
	record hist "${HC[i]}"
done

# separate runs: base (A/A) and head (A/B) interleaved in time, so both see
# the same hours of this shared machine
mapfile -t AC < <(conds "$N_AA" "$N_AA_HOG")
n=$((N_AA > N_BH ? N_AA : N_BH))
for ((i = 0; i < n; i++)); do
	if ((i < N_AA)); then
		log "A/A separate $((i + 1))/$N_AA (${AC[i]})"
		one_run "${AC[i]}" base
		record aa "${AC[i]}" "$RUN_OUT"
	fi
	if ((i < N_BH)); then
		log "A/B separate: head $((i + 1))/$N_BH (quiet)"
		one_run quiet head
		record bh quiet "$RUN_OUT"
	fi
done

# run --ab: quiet first (every quiet run sets DELAY: the switch comes at 40%
# of the time the last quiet run took)
for ((i = 0; i < N_AB; i++)); do
	for c in quiet start stop; do
		log "A/B run --ab $((i + 1))/$N_AB ($c, a switch after ${DELAY}s)"
		ab_run "$c" "$S/cfg-ab.json" "$REPO/base" "$REPO/head"
		record ab "$AB_COND" "$AB_BASE" "$AB_HEAD"
		if [ "$c" = quiet ]; then set_delay "$AB_MS"; fi
	done
done
for ((i = 0; i < N_AAAB; i++)); do
	for c in quiet hog start stop; do
		log "A/A run --ab $((i + 1))/$N_AAAB ($c, a switch after ${DELAY}s)"
		ab_run "$c" "$S/cfg-ab.json" "$REPO/base" "$REPO/base"
		record aaab "$AB_COND" "$AB_BASE" "$AB_HEAD"
		if [ "$c" = quiet ]; then set_delay "$AB_MS"; fi
	done
done

LOAD_END=$(verdict_load)
log "comparisons"
mkdir -p "$BUILD/perf"
REV=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
OPTS=$("$PY" -c 'import json, sys; a = sys.argv
print(json.dumps({"bk": a[1], "repo": a[2], "history_ref": "bench-history", "have_history": a[3] == "true",
  "json": a[4], "meta": {"machine": a[5], "nproc": int(a[6]), "load_start": a[7], "load_end": a[8],
  "binary": a[1], "binary_rev": a[9], "runs": int(a[10]), "warmup": int(a[11]), "date": a[12],
  "quick": a[13] == "1", "have_history": a[3] == "true", "have_rounds": a[14] == "true",
  "rounds": a[15] or None, "seconds": int(a[16]), "json": a[4],
  "history": {"runs": int(a[17]), "beside_cpu_hog": int(a[18])}}}))' \
	"$BK" "$REPO" "$HAVE_HISTORY" "$BUILD/perf/verdicts.json" "$(verdict_machine)" "$(nproc)" \
	"$LOAD_START" "$LOAD_END" "$REV" "$RUNS" "$WARMUP" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
	"${QUICK:-0}" "$HAVE_ROUNDS" "${ROUNDS:-}" $((SECONDS - T0)) "$N_HIST" "$N_HIST_HOG")
"$PY" "$ROOT/tests/perf/verdicts_report.py" report "$MANIFEST" "$OPTS"
if $HAVE_HISTORY; then
	echo "history: $N_HIST runs on branch bench-history, $N_HIST_HOG of them beside the CPU-bound process;" \
		"A/B separate runs: quiet base runs of the A/A set against quiet head runs, same history"
fi
$HAVE_ROUNDS || echo "run cost (tests/perf/run_cost.sh OLD NEW): skipped: not supported by this binary (run has no --rounds)"
echo "took $((SECONDS - T0)) s"
