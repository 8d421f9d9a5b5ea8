# The recorder's batches: each commit holds every new file of its batch (and
# lists their run ids), a result sent twice within one batch or again after
# it was committed is acknowledged once without a second file, and a batch
# big enough has its blobs in one pack. Real nats-server -js.
source "$(dirname "$0")/lib.bash"
source "$(dirname "$0")/nats_lib.bash"
nats_start
cd "$TMP"
U=$NATS_URL_T
new_repo "$TMP/repo"

# 60 results: copies of one real result with distinct run ids
one=$(make_result "$TMP/one" runner1)
$PY - "$one" "$TMP/res" 60 <<'PYEOF'
import json, os, sys
src, out, m = sys.argv[1], sys.argv[2], int(sys.argv[3])
d = json.load(open(src))
os.makedirs(out)
base = d["run"]["id"]
for i in range(m):
    d["run"]["id"] = "%s-%02d" % (base, i)
    with open(os.path.join(out, "%02d.json" % i), "w") as f:
        json.dump(d, f)
PYEOF
mapfile -t all < <(find "$TMP/res" -name '*.json' | sort)
id() { $PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["run"]["id"])' "$1"; }
# raw: a second copy without a message id (the server's duplicate window
# does not drop it), as a runner retrying through another client would
raw() { nats_raw_pub "benchkeep.results.retry" "$(cat "$1")"; }
rec() { "$BENCHKEEP" record --nats "$U" --repo "$TMP/repo" --idle-exit 1 "$@"; }
# added COMMIT: run ids of the files COMMIT added, sorted
added() {
	git -C "$TMP/repo" diff-tree -r --root --no-commit-id --name-only --diff-filter=A "$1" |
		sed 's#.*/##; s#\.json$##' | sort
}
# listed COMMIT: run ids the commit message lists, sorted
listed() { git -C "$TMP/repo" log -1 --format=%b "$1" | sed '/^$/d' | sort; }

# 1. one batch: 20 results, two of them sent twice more
expect_exit 0 "$BENCHKEEP" publish --nats "$U" "${all[@]:0:20}"
raw "${all[0]}"
raw "${all[5]}"
raw "${all[5]}"
expect_exit 0 rec --batch 100
echo "$ERR" | grep -q "20 result(s) committed in 1 commit(s), 3 duplicate(s), 0 rejected" || fail "$ERR"
[ "$(echo "$ERR" | grep -c "duplicate .* (twice in one batch), acknowledged")" = 3 ] || fail "$ERR"
echo "$ERR" | grep -q "duplicate $(id "${all[5]}") (twice in one batch)" || fail "$ERR"
want=$(for f in "${all[@]:0:20}"; do id "$f"; done | sort)
[ "$(added benchmark-data)" = "$want" ] || fail "commit adds: $(added benchmark-data)"
[ "$(listed benchmark-data)" = "$want" ] || fail "commit lists: $(listed benchmark-data)"
[ "$(git -C "$TMP/repo" rev-list --count benchmark-data)" = 1 ] || fail "not one commit"
ls "$TMP/repo/.git/objects/pack/"*.pack >/dev/null 2>&1 || fail "no pack for a batch of 20"
ok "one batch: one commit with all 20 files; 3 copies within the batch acknowledged as duplicates"

# 2. the next batch: 20 new results and 3 already on the branch
expect_exit 0 "$BENCHKEEP" publish --nats "$U" "${all[@]:20:20}"
raw "${all[1]}"
raw "${all[19]}"
raw "${all[20]}" # new in this batch and sent twice in it
tip=$(git -C "$TMP/repo" rev-parse benchmark-data)
expect_exit 0 rec --batch 100
echo "$ERR" | grep -q "20 result(s) committed in 1 commit(s), 3 duplicate(s), 0 rejected" || fail "$ERR"
[ "$(echo "$ERR" | grep -c "duplicate .* (already on 'benchmark-data'), acknowledged")" = 2 ] || fail "$ERR"
echo "$ERR" | grep -q "duplicate $(id "${all[20]}") (twice in one batch)" || fail "$ERR"
want=$(for f in "${all[@]:20:20}"; do id "$f"; done | sort)
[ "$(added benchmark-data)" = "$want" ] || fail "commit adds: $(added benchmark-data)"
[ "$(git -C "$TMP/repo" rev-parse benchmark-data~1)" = "$tip" ] || fail "not one commit on the tip"
ok "across batches: results already on the branch acknowledged as duplicates, one commit for the 20 new"

# 3. a batch limit smaller than the backlog: each commit holds exactly its batch
expect_exit 0 "$BENCHKEEP" publish --nats "$U" "${all[@]:40:20}"
expect_exit 0 rec --batch 7
echo "$ERR" | grep -q "20 result(s) committed in 3 commit(s), 0 duplicate(s)" || fail "$ERR"
for c in $(git -C "$TMP/repo" rev-list -3 benchmark-data); do
	n=$(added "$c" | wc -l)
	[ "$n" -le 7 ] || fail "commit $c adds $n files"
	[ "$(added "$c")" = "$(listed "$c")" ] || fail "commit $c: adds $(added "$c"), lists $(listed "$c")"
done
ok "batch 7: 3 commits, each adding exactly the results its message lists"

# exactly once, in the files and in the history
want=$(for f in "${all[@]}"; do id "$f"; done | sort)
[ "$(branch_ids "$TMP/repo" benchmark-data)" = "$want" ] || fail "branch differs"
hist=$(git -C "$TMP/repo" log --format= --name-status benchmark-data)
[ "$(echo "$hist" | grep -c '^A')" = 60 ] || fail "adds: $(echo "$hist" | grep -c '^A')"
echo "$hist" | grep -qv '^A' && fail "a file was modified or deleted"
git -C "$TMP/repo" fsck --strict --no-progress >/dev/null 2>&1 || fail "fsck"
# the published content, byte for byte as JSON
git -C "$TMP/repo" show "benchmark-data:$(git -C "$TMP/repo" ls-tree -r --name-only benchmark-data | grep "$(id "${all[33]}")")" >"$TMP/back.json"
$PY -c "
import json
assert json.load(open('${all[33]}')) == json.load(open('$TMP/back.json'))
" || fail "content differs"
ok "60 results, each added once in 5 commits; fsck --strict clean"
echo "$checks checks passed"
