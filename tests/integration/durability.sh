# Durability (issue 8): a `benchkeep run` killed with SIGKILL at any moment
# leaves no partial result file (only complete valid results, or nothing;
# an interrupted write may leave a "*.tmp.*" temporary, which every reader
# ignores); two runs writing into one results directory at once both
# succeed with distinct files, also when both commit to git.
source "$BK_ROOT/tests/integration/lib.bash"

cat >"$TMP/bk.json" <<'EOF'
{"suites": [{"name": "d", "runs": 3, "warmup": 0, "benchmarks": [
  {"name": "true", "cmd": ["true"]},
  {"name": "m", "cmd": ["true"], "params": {"k": [1, 2, 3, 4, 5, 6]}}]}]}
EOF

# validate DIR: every *.json is a whole, valid result; anything else is a
# temporary (*.tmp.*). Prints "results temporaries".
validate() {
	$PY - "$1" <<'PY'
import json, os, sys
results = temps = 0
for root, dirs, files in os.walk(sys.argv[1]):
    for f in files:
        p = os.path.join(root, f)
        if f.endswith(".json"):
            try:
                d = json.load(open(p))
            except Exception as e:
                sys.exit(f"partial or invalid result {p}: {e}")
            if d.get("schema") != "benchkeep/result/v1" or len(d["benchmarks"]) != 7 \
               or any(len(b["samples"]) != 3 for b in d["benchmarks"]):
                sys.exit(f"incomplete result {p}")
            results += 1
        elif ".tmp." in f:
            temps += 1
        else:
            sys.exit(f"unexpected file {p}")
print(results, temps)
PY
}

# 1. SIGKILL at random moments over the whole run, the final write included
# (half the kill times spread over 1.3x the run's measured duration, half
# within 20% of its end, where the result file is written)
$PY - "$BENCHKEEP" "$TMP" <<'PY'
import os, random, subprocess, sys, time
bk, tmp = sys.argv[1], sys.argv[2]
t0 = time.monotonic()
subprocess.run([bk, "run", "-c", f"{tmp}/bk.json", "--out", f"{tmp}/calib"], check=True,
               capture_output=True)
dur = time.monotonic() - t0
random.seed(8)
outcomes = {"finished": 0, "killed": 0}
for i in range(40):
    out = f"{tmp}/kill/{i}"
    p = subprocess.Popen([bk, "run", "-c", f"{tmp}/bk.json", "--out", out],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # half over the whole run, half around its end, where the file is written
    time.sleep(random.uniform(0, dur * 1.3) if i % 2 else random.uniform(dur * 0.8, dur * 1.2))
    p.kill()
    rc = p.wait()
    outcomes["finished" if rc == 0 else "killed"] += 1
print(f"run takes {dur*1000:.0f} ms; 40 kills: {outcomes}")
PY
mkdir -p "$TMP/kill"
read -r nres ntmp < <(validate "$TMP/kill") || fail "a killed run left a partial file"
ok "40 runs killed with SIGKILL at random moments: $nres complete results, $ntmp temporaries, no partial result"

# a temporary left by a kill is ignored by the site: put one in a results
# tree next to a whole result, commit both, and build
new_repo "$TMP/repo"
expect_exit 0 "$BENCHKEEP" run -c "$TMP/bk.json" --out "$TMP/repo/results"
res=$(echo "$OUT" | tail -1)
head -c 100 "$res" >"$res.tmp.AbC123"
git -C "$TMP/repo" add -A && git -C "$TMP/repo" commit -qm "results"
expect_exit 0 "$BENCHKEEP" site --repo "$TMP/repo" --out "$TMP/site"
echo "$ERR" | grep -q "warning" && fail "the temporary was read: $ERR"
[ -f "$TMP/site/index.html" ] || fail "no site"
ok "a leftover temporary (*.tmp.*) is not read as a result"

# 2. two runs into the same directory at once, 10 times
for i in $(seq 10); do
	"$BENCHKEEP" run -c "$TMP/bk.json" --out "$TMP/conc" >"$TMP/a.out" 2>"$TMP/a.err" &
	a=$!
	"$BENCHKEEP" run -c "$TMP/bk.json" --out "$TMP/conc" >"$TMP/b.out" 2>"$TMP/b.err" &
	b=$!
	wait $a || fail "concurrent run A failed: $(cat "$TMP/a.err")"
	wait $b || fail "concurrent run B failed: $(cat "$TMP/b.err")"
	[ "$(tail -1 "$TMP/a.out")" != "$(tail -1 "$TMP/b.out")" ] || fail "both runs wrote one file"
done
read -r nres ntmp < <(validate "$TMP/conc") || fail "concurrent runs left a bad file"
[ "$nres" -eq 20 ] && [ "$ntmp" -eq 0 ] || fail "want 20 results and no temporary, got $nres, $ntmp"
ok "10 x two concurrent runs into one directory: 20 distinct whole results"

# 3. two runs committing at once, to a branch not checked out (--branch)
# and to the checked-out branch (--commit, which also updates the index)
for mode in "--branch bench-data" "--commit"; do
	for i in $(seq 5); do
		# shellcheck disable=SC2086
		(cd "$TMP/repo" && "$BENCHKEEP" run -c "$TMP/bk.json" $mode >"$TMP/a.out" 2>"$TMP/a.err") &
		a=$!
		# shellcheck disable=SC2086
		(cd "$TMP/repo" && "$BENCHKEEP" run -c "$TMP/bk.json" $mode >"$TMP/b.out" 2>"$TMP/b.err") &
		b=$!
		wait $a || fail "concurrent run $mode A failed: $(cat "$TMP/a.err")"
		wait $b || fail "concurrent run $mode B failed: $(cat "$TMP/b.err")"
	done
done
n=$(git -C "$TMP/repo" ls-tree -r --name-only bench-data -- results | grep -c '\.json$')
[ "$n" -eq 10 ] || fail "bench-data holds $n results, want 10"
n=$(git -C "$TMP/repo" ls-tree -r --name-only main -- results | grep -c '\.json$')
[ "$n" -eq 11 ] || fail "main holds $n results, want 11 (1 + 10)"
git -C "$TMP/repo" fsck --no-progress >/dev/null 2>&1 || fail "git fsck after concurrent commits"
st=$(git -C "$TMP/repo" status --porcelain --untracked-files=no -- results)
[ -z "$st" ] || fail "index out of step with the commits: $st"
ok "5 x two concurrent runs committing (--branch and --commit): every result committed, fsck clean"

# 4. two runs creating the same new branch at once: neither first commit is lost
for i in $(seq 6); do
	(cd "$TMP/repo" && "$BENCHKEEP" run -c "$TMP/bk.json" --branch "fresh-$i" >"$TMP/a.out" 2>"$TMP/a.err") &
	a=$!
	(cd "$TMP/repo" && "$BENCHKEEP" run -c "$TMP/bk.json" --branch "fresh-$i" >"$TMP/b.out" 2>"$TMP/b.err") &
	b=$!
	wait $a || fail "run A creating fresh-$i failed: $(cat "$TMP/a.err")"
	wait $b || fail "run B creating fresh-$i failed: $(cat "$TMP/b.err")"
	n=$(git -C "$TMP/repo" ls-tree -r --name-only "fresh-$i" -- results | grep -c '\.json$')
	[ "$n" -eq 2 ] || fail "new branch fresh-$i holds $n results, want 2 (a first commit was overwritten)"
done
ok "6 x two runs creating one new branch at once: both results on it"
echo "$checks checks passed"
