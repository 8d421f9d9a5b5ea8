# benchkeep publish / record (and run --publish) against a real nats-server -js.
source "$(dirname "$0")/lib.bash"
source "$(dirname "$0")/nats_lib.bash"
nats_start
cd "$TMP"
U=$NATS_URL_T

# a user's repository with work in progress: record must not touch it
new_repo "$TMP/repo"
echo "staged" >"$TMP/repo/staged.txt"
git -C "$TMP/repo" add staged.txt
echo "unstaged" >>"$TMP/repo/README"
status_before=$(git -C "$TMP/repo" status --porcelain; git -C "$TMP/repo" rev-parse HEAD)

r1=$(make_result "$TMP/res" runner1)
r2=$(make_result "$TMP/res" runner2)
r3=$(make_result "$TMP/res" "runner.3 x")
id() { basename "$1" .json; }

expect_exit 0 "$BENCHKEEP" publish --nats "$U" "$r1" "$r2" "$r3"
[ "$(echo "$OUT" | wc -l)" = 3 ] || fail "publish output: $OUT"
echo "$OUT" | grep -q "^$(id "$r1") 1$" || fail "publish output: $OUT"
ok "publish: three results acknowledged with stream sequences"

# a resend within the duplicate window is dropped by the server
expect_exit 0 "$BENCHKEEP" publish --nats "$U" "$r2"
echo "$OUT" | grep -q "^$(id "$r2") 2 duplicate$" || fail "resend: $OUT"
ok "publish: resend of the same run id reported as duplicate"

# the stream was created with file storage and the machine as the last subject token
$PY - "$NATS_STORE" <<'PYEOF' || fail "stream not in the file store"
import os, sys
assert os.path.isdir(os.path.join(sys.argv[1], "jetstream", "$G", "streams", "BENCHKEEP")), os.listdir(sys.argv[1])
PYEOF
ok "stream BENCHKEEP created in the server's file store"

# invalid input: nothing published, exit 2, file named
echo '{"schema": "benchkeep/result/v1", "run": {}}' >"$TMP/bad.json"
expect_exit 2 "$BENCHKEEP" publish --nats "$U" "$TMP/bad.json"
echo "$ERR" | grep -q "bad.json" || fail "$ERR"
expect_exit 2 "$BENCHKEEP" publish --nats "nats://127.0.0.1:$(free_port)" "$r1"
echo "$ERR" | grep -q "cannot connect to NATS server 'nats://127.0.0.1:" || fail "$ERR"
ok "publish: invalid file and unreachable server give exit 2 and a named error"

# a foreign, malformed message on the results subjects
nats_raw_pub benchkeep.results.evil '{"not": "a result"'
nats_raw_pub benchkeep.results.evil '{"schema": "benchkeep/result/v1", "run": {"id": "x"}, "benchmarks": [{"name": 5}]}'

expect_exit 0 "$BENCHKEEP" record --nats "$U" --repo "$TMP/repo" --idle-exit 1
echo "$ERR"
[ "$(branch_ids "$TMP/repo" benchmark-data)" = "$(printf '%s\n' "$(id "$r1")" "$(id "$r2")" "$(id "$r3")" | sort)" ] \
	|| fail "branch content: $(branch_ids "$TMP/repo" benchmark-data)"
[ "$(git -C "$TMP/repo" rev-list --count benchmark-data)" = 1 ] || fail "not one batch commit"
[ "$(echo "$ERR" | grep -c 'rejected message')" = 2 ] || fail "rejections not logged: $ERR"
echo "$ERR" | grep -q "rejected message BENCHKEEP/4:1:19: invalid JSON" || fail "no position in: $ERR"
echo "$ERR" | grep -q "rejected message BENCHKEEP/5: benchmarks\[0\].suite: missing (subject .benchkeep.results.evil.; terminated)" || fail "$ERR"
echo "$ERR" | grep -q "3 result(s) committed in 1 commit(s), 0 duplicate(s), 2 rejected" || fail "$ERR"
ok "record: 3 results in one commit, 2 malformed messages terminated with a log line"

status_after=$(git -C "$TMP/repo" status --porcelain; git -C "$TMP/repo" rev-parse HEAD)
[ "$status_before" = "$status_after" ] || fail "work tree or index changed: $status_after"
git -C "$TMP/repo" fsck --no-progress --strict >/dev/null 2>&1 || fail "fsck"
ok "record: work tree, index and HEAD untouched; fsck clean"

# files are results/YYYY/MM/<run id>.json holding the validated result
path="results/$(id "$r1" | cut -c1-4)/$(id "$r1" | cut -c5-6)/$(id "$r1").json"
git -C "$TMP/repo" show "benchmark-data:$path" >"$TMP/back.json" || fail "no $path"
$PY -c "
import json
a = json.load(open('$r1')); b = json.load(open('$TMP/back.json'))
assert a == b, (a, b)
" || fail "content differs"
ok "record: $path holds the published result"

# terminated messages are not redelivered; nothing is left
expect_exit 0 "$BENCHKEEP" record --nats "$U" --repo "$TMP/repo" --idle-exit 0.5
echo "$ERR" | grep -q "0 result(s) committed in 0 commit(s), 0 duplicate(s), 0 rejected" || fail "$ERR"
ok "record: a second run finds nothing to redo"

# a result already on the branch (committed by run --branch) is acked, not re-added
r4=$(cd "$TMP/repo" && BENCHKEEP_MACHINE=runner4 "$BENCHKEEP" run -c "$TMP/true.json" \
	--out "$TMP/res4" --branch benchmark-data | tail -1)
[ -f "$r4" ] || fail "run --branch: $r4"
expect_exit 0 "$BENCHKEEP" publish --nats "$U" "$r4"
tip=$(git -C "$TMP/repo" rev-parse benchmark-data)
expect_exit 0 "$BENCHKEEP" record --nats "$U" --repo "$TMP/repo" --idle-exit 0.5
echo "$ERR" | grep -q "0 result(s) committed in 0 commit(s), 1 duplicate(s)" || fail "$ERR"
[ "$tip" = "$(git -C "$TMP/repo" rev-parse benchmark-data)" ] || fail "a commit was made"
ok "record: a run id already on the branch is acknowledged without a second file"

# run --publish; a recorder in the background; SIGTERM ends it with 0
"$BENCHKEEP" record --nats "$U" --repo "$TMP/repo" --batch 2 >"$TMP/rec.out" 2>"$TMP/rec.err" &
REC=$!
(cd "$TMP" && BENCHKEEP_MACHINE=runner5 "$BENCHKEEP" run -c "$TMP/true.json" --out "$TMP/res5" \
	--publish "$U" >"$TMP/run5.out" 2>"$TMP/run5.err") || fail "run --publish: $(cat "$TMP/run5.err")"
r5=$(tail -1 "$TMP/run5.out")
grep -q "published $(id "$r5") to $U" "$TMP/run5.err" || fail "$(cat "$TMP/run5.err")"
for i in $(seq 1 100); do
	branch_ids "$TMP/repo" benchmark-data | grep -q "$(id "$r5")" && break
	sleep 0.1
done
branch_ids "$TMP/repo" benchmark-data | grep -q "$(id "$r5")" || fail "not recorded: $(cat "$TMP/rec.err")"
kill -TERM $REC
set +e
wait $REC
rc=$?
set -e
[ $rc = 0 ] || fail "recorder exit $rc after SIGTERM: $(cat "$TMP/rec.err")"
[ "$(branch_ids "$TMP/repo" benchmark-data | wc -l)" = 5 ] || fail "count"
ok "run --publish reaches a running recorder; SIGTERM exits 0"

# bad usage
expect_exit 2 "$BENCHKEEP" record --nats "$U"
echo "$ERR" | grep -q -- "--repo is required" || fail "$ERR"
expect_exit 2 "$BENCHKEEP" record --nats "$U" --repo "$TMP/repo" --results-dir ../x
expect_exit 2 "$BENCHKEEP" record --nats "$U" --repo "$TMP/repo" --batch 0
expect_exit 2 "$BENCHKEEP" record --nats "nats://127.0.0.1:$(free_port)" --repo "$TMP/repo"
echo "$ERR" | grep -q "cannot connect to NATS server" || fail "$ERR"
expect_exit 2 "$BENCHKEEP" record --nats "$U" --repo "$TMP/nope"
echo "$ERR" | grep -q "not a git repository: '$TMP/nope'" || fail "$ERR"
expect_exit 2 "$BENCHKEEP" record --nats "$U" --repo "$TMP/repo" --branch main
echo "$ERR" | grep -q "refusing to record into 'main', the branch checked out" || fail "$ERR"
ok "record: bad usage, unreachable server, missing repository, checked-out branch give exit 2"
echo "$checks checks passed"
