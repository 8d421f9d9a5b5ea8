# Shared helpers for integration tests (sourced, not run: no .sh test of its own).
set -euo pipefail
: "${BENCHKEEP:?BENCHKEEP must point at the benchkeep binary}"
PY=/usr/bin/python3
TMP=$(mktemp -d /tmp/bk-it-XXXXXX)
trap 'rm -rf "$TMP"' EXIT
checks=0
fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { checks=$((checks + 1)); echo "ok: $*"; }
# expect_exit CODE CMD... : runs CMD, asserts its exit code, keeps stdout in $OUT and stderr in $ERR
expect_exit() {
	local want=$1
	shift
	set +e
	"$@" >"$TMP/.out" 2>"$TMP/.err"
	local got=$?
	set -e
	OUT=$(cat "$TMP/.out")
	ERR=$(cat "$TMP/.err")
	[ "$got" -eq "$want" ] || fail "exit $got (want $want): $* ; stderr: $ERR"
}
# new_repo DIR : a git repository with one commit on main
new_repo() {
	git init -q -b main "$1"
	git -C "$1" config user.name "Test"
	git -C "$1" config user.email "test@example.invalid"
	echo "hello" >"$1/README"
	git -C "$1" add README
	git -C "$1" commit -q -m "initial"
}
