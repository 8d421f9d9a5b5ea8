#!/bin/bash
# Runs libFuzzer targets built by `make fuzz`.
#   tests/fuzz/run.sh BUILD_DIR SECONDS NAME...
# For each NAME: fuzzes BUILD_DIR/fuzz/fuzz_NAME for SECONDS seconds on a
# working corpus BUILD_DIR/fuzz-corpus/NAME seeded from
# tests/fuzz/corpus/NAME (new inputs stay in the working corpus, the
# repository's seeds are never modified), with tests/fuzz/NAME.dict when
# present. A crash, leak, timeout, out-of-memory or sanitizer report stops
# the target; the input is kept as BUILD_DIR/fuzz-artifacts/NAME/crash-*
# (copy it to tests/fuzz/regressions/NAME/ once fixed). Prints one line per
# target with executions per second; exit 1 when any target found something.
set -u
build=$1
secs=$2
shift 2
root=$(cd "$(dirname "$0")/../.." && pwd)
failed=()
for name in "$@"; do
	bin="$build/fuzz/fuzz_$name"
	corpus="$build/fuzz-corpus/$name"
	art="$build/fuzz-artifacts/$name"
	log="$build/fuzz-logs/$name.log"
	mkdir -p "$corpus" "$art" "$(dirname "$log")"
	dict=()
	[ -f "$root/tests/fuzz/$name.dict" ] && dict=(-dict="$root/tests/fuzz/$name.dict")
	seeds=()
	[ -d "$root/tests/fuzz/corpus/$name" ] && seeds=("$root/tests/fuzz/corpus/$name")
	# leak checks on, 10 s per input, 2 GiB of RSS at most; -close_fd_mask
	# keeps the targets' own stdout/stderr (e.g. warnings) out of the log
	ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0} \
	UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
		"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
		-print_final_stats=1 -close_fd_mask=1 -artifact_prefix="$art/" "${dict[@]}" \
		"$corpus" "${seeds[@]}" >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	time=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
	if [ $rc -eq 0 ]; then
		printf 'ok    fuzz_%-12s %8s runs  %6s exec/s  %s  corpus %s\n' "$name" "${runs:-?}" \
			"${time:-?}" "${cov:-}" "$(ls "$corpus" | wc -l)"
	else
		failed+=("$name")
		printf 'FAIL  fuzz_%-12s (exit %d) input: %s\n' "$name" "$rc" \
			"$(ls -t "$art" 2>/dev/null | head -1 | sed "s|^|$art/|")"
		grep -E 'ERROR|SUMMARY|runtime error|invariant broken|#[0-9]+ 0x' "$log" | head -25 | sed 's/^/      /'
	fi
done
if [ ${#failed[@]} -gt 0 ]; then
	echo "fuzz: findings in: ${failed[*]} (logs in $build/fuzz-logs)"
	exit 1
fi
echo "fuzz: ${#@} targets, ${secs}s each, no finding"
