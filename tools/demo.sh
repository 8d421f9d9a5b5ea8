#!/bin/bash
# make demo: runs benchkeep's own suite (benchkeep.json), records the result
# on the local branch benchmark-data (never checked out: the work tree and the
# current branch stay as they are) and renders the site from that branch.
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
echo "demo: running the suites of benchkeep.json" >&2
result=$("$BK" run -c benchkeep.json --out "$OUT/results" --branch benchmark-data | tail -n 1)
echo "demo: recorded $result on branch benchmark-data ($(git rev-list --count benchmark-data) result commits)" >&2
if "$BK" site --help >/dev/null 2>&1; then
	"$BK" site --ref benchmark-data --out "$OUT/site" --title "benchkeep demo" >&2
	echo "open $(cd "$OUT/site" && pwd)/index.html"
else
	echo "demo: the site generator is not built yet; the result is recorded: $(pwd)/$result"
fi
