#!/bin/bash
# make demo: runs benchkeep's own suite (benchkeep.json), records the result
# on the local branch benchmark-data (never checked out: the work tree and the
# current branch stay as they are) and renders the site from that branch.
# The results committed under results/ (real runs of the suite at earlier
# commits) are put on benchmark-data first, so the site shows their history.
# The nats suite needs a server with JetStream: $NATS_URL if set, else a
# nats-server started here on a free 127.0.0.1 port and stopped by its PID.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
BK="$BUILD/benchkeep"
OUT="$BUILD/demo"
mkdir -p "$OUT"
if ! git rev-parse --git-dir >/dev/null 2>&1; then
	echo "demo: not a git clone: initialising a repository to record into" >&2
	git init -q
fi

# the committed results/ of HEAD, added to benchmark-data when missing there
if git rev-parse -q --verify "HEAD:results" >/dev/null 2>&1; then
	have=$(git ls-tree -r --name-only benchmark-data -- results 2>/dev/null | sort || true)
	missing=$(git ls-tree -r --name-only HEAD -- results | grep '\.json$' | sort | comm -23 - <(echo "$have") || true)
	if [ -n "$missing" ]; then
		index="$OUT/seed-index"
		rm -f "$index"
		parent=$(git rev-parse -q --verify refs/heads/benchmark-data || true)
		[ -n "$parent" ] && GIT_INDEX_FILE=$index git read-tree "$parent"
		echo "$missing" | while read -r f; do
			GIT_INDEX_FILE=$index git update-index --add --cacheinfo "100644,$(git rev-parse "HEAD:$f"),$f"
		done
		tree=$(GIT_INDEX_FILE=$index git write-tree)
		rm -f "$index"
		msg="demo: the results committed on $(git rev-parse --short HEAD)"
		export GIT_AUTHOR_NAME=${GIT_AUTHOR_NAME:-benchkeep} GIT_AUTHOR_EMAIL=${GIT_AUTHOR_EMAIL:-benchkeep@example.invalid}
		export GIT_COMMITTER_NAME=${GIT_COMMITTER_NAME:-$GIT_AUTHOR_NAME} GIT_COMMITTER_EMAIL=${GIT_COMMITTER_EMAIL:-$GIT_AUTHOR_EMAIL}
		commit=$(git commit-tree "$tree" ${parent:+-p "$parent"} -m "$msg")
		git update-ref refs/heads/benchmark-data "$commit" ${parent:+"$parent"}
		echo "demo: $(echo "$missing" | wc -l) committed result files added to benchmark-data" >&2
	fi
fi

# a nats-server for the nats suite unless NATS_URL names one
NATS_PID=""
trap 'if [ -n "$NATS_PID" ]; then kill -INT "$NATS_PID" 2>/dev/null || true; wait "$NATS_PID" 2>/dev/null || true; fi' EXIT
suites=()
if [ -z "${NATS_URL:-}" ]; then
	server=$(command -v nats-server || echo /usr/sbin/nats-server)
	if [ -x "$server" ]; then
		port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
		rm -rf "$OUT/nats"
		mkdir -p "$OUT/nats"
		"$server" -js -a 127.0.0.1 -p "$port" -sd "$OUT/nats" >"$OUT/nats/server.log" 2>&1 &
		NATS_PID=$!
		for _ in $(seq 1 100); do
			(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
			sleep 0.05
		done
		export NATS_URL="nats://127.0.0.1:$port"
		echo "demo: nats-server with JetStream on $NATS_URL for the nats suite" >&2
	else
		echo "demo: no nats-server (make deps installs it): the nats suite is left out" >&2
		mapfile -t suites < <(python3 -c 'import json; [print("-s\n" + s["name"]) for s in json.load(open("benchkeep.json"))["suites"] if s.get("type") != "nats"]')
	fi
fi

echo "demo: running the suites of benchkeep.json" >&2
result=$("$BK" run -c benchkeep.json "${suites[@]}" --out "$OUT/results" --branch benchmark-data | tail -n 1)
echo "demo: recorded $result on branch benchmark-data ($(git rev-list --count benchmark-data) result commits)" >&2
# the verdict on this run: against the newest earlier result of this machine
# on benchmark-data, with each benchmark's run-to-run noise learned from the
# results there (the committed ones and every earlier demo)
prev=$(python3 - "$result" <<'PY'
import json, subprocess, sys
me = json.load(open(sys.argv[1]))
name, rid = me["run"]["machine"].get("name"), me["run"]["id"]
files = subprocess.run(["git", "ls-tree", "-r", "--name-only", "benchmark-data", "--", "results"],
                       capture_output=True, text=True, check=True).stdout.split()
for f in sorted((f for f in files if f.endswith(".json")), reverse=True):
    try:
        d = json.loads(subprocess.run(["git", "show", "benchmark-data:" + f], capture_output=True,
                                      text=True, check=True).stdout)
    except (ValueError, subprocess.CalledProcessError):
        continue
    if d.get("run", {}).get("id") != rid and (d.get("run", {}).get("machine") or {}).get("name") == name:
        print(f)
        break
PY
)
if [ -n "$prev" ]; then
	git show "benchmark-data:$prev" >"$OUT/previous.json"
	"$BK" summary --head "$result" --base "$OUT/previous.json" --history benchmark-data \
		-o "$OUT/summary.md" 2>"$OUT/summary.log" || { cat "$OUT/summary.log" >&2; exit 1; }
	echo "demo: against $(basename "$prev") with the history of benchmark-data: $(grep -m1 '^### ' "$OUT/summary.md" | sed 's/^### [^ ]* //')" >&2
	echo "demo: the pull request comment this would make: $OUT/summary.md" >&2
else
	echo "demo: no earlier result of this machine on benchmark-data: nothing to compare with yet" >&2
fi
if "$BK" site --help >/dev/null 2>&1; then
	# points in the order of HEAD's first-parent history: the committed
	# results (main's commits) and this run (HEAD) are all on it
	branch=()
	git rev-parse -q --verify HEAD >/dev/null && branch=(--branch HEAD)
	"$BK" site --ref benchmark-data "${branch[@]}" --out "$OUT/site" --title "benchkeep demo" >&2
	echo "open $(cd "$OUT/site" && pwd)/index.html"
else
	echo "demo: the site generator is not built yet; the result is recorded: $(pwd)/$result"
fi
