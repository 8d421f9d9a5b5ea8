# The recorder guarantee: killed with SIGKILL at any point, the server
# restarted (cleanly and by SIGKILL), some results published twice, every
# published result ends up on the branch exactly once.
source "$(dirname "$0")/lib.bash"
source "$(dirname "$0")/nats_lib.bash"
nats_start
cd "$TMP"
N=${NATS_CRASH_RESULTS:-36}
RANDOM=${NATS_CRASH_SEED:-$$}
echo "seed $RANDOM, $N results"

for i in $(seq 1 "$N"); do
	make_result "$TMP/res" "runner$((i % 4))" >/dev/null
done
mapfile -t all < <(find "$TMP/res" -name '*.json' | sort)
[ "${#all[@]}" = "$N" ] || fail "made ${#all[@]} results"
new_repo "$TMP/repo"
rec() { "$BENCHKEEP" record --nats "$NATS_URL_T" --repo "$TMP/repo" --ack-wait 1 "$@"; }
committed() { branch_ids "$TMP/repo" benchmark-data 2>/dev/null | wc -l; }

# 1. the narrow window: killed after the commit, before any acknowledgement
expect_exit 0 "$BENCHKEEP" publish --nats "$NATS_URL_T" "${all[@]:0:5}"
set +e
BENCHKEEP_TEST_KILL_AFTER_COMMIT=1 rec --batch 10 --idle-exit 5 2>"$TMP/rec0.err"
rc=$?
set -e
[ $rc = 137 ] || fail "recorder was not killed after its commit (exit $rc): $(cat "$TMP/rec0.err")"
[ "$(committed)" = 5 ] || fail "commit before the kill: $(committed)"
nats_stop
nats_start "$NATS_PORT"
expect_exit 0 rec --idle-exit 3
echo "$ERR" | grep -q "0 result(s) committed in 0 commit(s), 5 duplicate(s)" || fail "$ERR"
[ "$(committed)" = 5 ] || fail "after redelivery: $(committed)"
ok "killed between commit and ack: redelivered after a server restart, acked as duplicates"

# 2. random kills of the recorder, server restarts, results published twice
i=5
round=0
while [ $i -lt "$N" ]; do
	round=$((round + 1))
	k=$((RANDOM % 6 + 1))
	batch=("${all[@]:i:k}")
	i=$((i + k))
	[ $i -le "$N" ] || i=$N
	again=${all[$((RANDOM % i))]} # published a second time
	"$BENCHKEEP" publish --nats "$NATS_URL_T" "${batch[@]}" "$again" >>"$TMP/pub.out" \
		|| fail "publish in round $round"
	# started directly (not through the rec function, which would put a
	# subshell between: $! would be the subshell's PID and the SIGKILL would
	# miss the recorder, leaving it running)
	"$BENCHKEEP" record --nats "$NATS_URL_T" --repo "$TMP/repo" --ack-wait 1 \
		--batch $((RANDOM % 5 + 1)) >>"$TMP/rec.err" 2>&1 &
	REC=$!
	sleep "0.$((RANDOM % 40))"
	# still alive, it must be the recorder itself (exec'd by now), not a shell
	comm=$(cat "/proc/$REC/comm" 2>/dev/null || echo gone)
	case "$comm" in benchkeep | gone) ;; *) fail "PID $REC is '$comm', not the recorder" ;; esac
	kill -KILL $REC 2>/dev/null || true
	wait $REC 2>/dev/null || true
	case $((round % 3)) in
	1) nats_stop; nats_start "$NATS_PORT" ;;
	2) sleep 0.3; nats_kill; nats_start "$NATS_PORT" ;;
	esac
done
echo "$round rounds; $(grep -c duplicate "$TMP/pub.out" || true) resends dropped by the server"

# 3. a last recorder drains what is left (unacked messages come back after the ack wait)
for attempt in 1 2 3; do
	rec --idle-exit 3 2>>"$TMP/rec.err" || fail "final recorder: $(tail -3 "$TMP/rec.err")"
	[ "$(committed)" = "$N" ] && break
done
want=$(for f in "${all[@]}"; do basename "$f" .json; done | sort)
[ "$(branch_ids "$TMP/repo" benchmark-data)" = "$want" ] \
	|| fail "branch differs: $(diff <(echo "$want") <(branch_ids "$TMP/repo" benchmark-data))"
ok "all $N results on the branch"

# exactly once: no file added twice or rewritten anywhere in the history
hist=$(git -C "$TMP/repo" log --format= --name-status benchmark-data)
[ "$(echo "$hist" | grep -c '^A')" = "$N" ] || fail "adds: $(echo "$hist" | grep -c '^A')"
echo "$hist" | grep -qv '^A' && fail "a file was modified or deleted: $(echo "$hist" | grep -v '^A')"
git -C "$TMP/repo" fsck --no-progress >/dev/null 2>&1 || fail "fsck"
echo "$(grep -c 'duplicate .* acknowledged' "$TMP/rec.err" || true) redelivered or resent results acknowledged as duplicates by the recorder"
ok "each result added exactly once in $(git -C "$TMP/repo" rev-list --count benchmark-data) commits; fsck clean"
echo "$checks checks passed"
