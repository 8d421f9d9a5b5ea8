#!/bin/bash
# benchkeep site on a real repository: a main branch with a merge, a data
# branch never checked out, a step change, a result for a commit not on main,
# a result without a sha, a corrupt file and hostile names.
. "$(dirname "$0")/lib.bash"
H="$(dirname "$0")/helpers"
$PY "$H/make_history.py" "$TMP/repo" --commits 40 --step-at 25 --step 0.30
R="$TMP/repo"
OUTD="$TMP/site"
head_before=$(git -C "$R" rev-parse HEAD)
status_before=$(git -C "$R" status --porcelain)

expect_exit 0 "$BENCHKEEP" site --repo "$R" --ref benchmark-data --out "$OUTD" --title "T <b>" \
	--repo-url https://example.invalid/o/r --base-url https://example.invalid/site/ --now 1770000000
[ "$OUT" = "$OUTD/index.html" ] || fail "last line should name index.html: $OUT"
echo "$ERR" | grep -q "warning: skipping results/2026/03/corrupt.json (recorded in $($PY -c "import json;print(json.load(open('$TMP/truth.json'))['corrupt_commit'][:12])"))" \
	|| fail "no warning naming commit and path: $ERR"
[ "$(echo "$ERR" | grep -c warning)" -eq 1 ] || fail "one warning expected: $ERR"
ok "site built; the corrupt file skipped with one warning"
[ "$(git -C "$R" rev-parse HEAD)" = "$head_before" ] && [ "$(git -C "$R" status --porcelain)" = "$status_before" ] \
	|| fail "the repository's HEAD or work tree changed"

$PY - "$OUTD" "$TMP/truth.json" <<'PY'
import json, os, sys, glob, re, html.parser
import xml.etree.ElementTree as ET
out, truth = sys.argv[1], json.load(open(sys.argv[2]))
# every file stays inside the output directory and has a safe name
for root, dirs, files in os.walk(out):
    for f in files:
        p = os.path.realpath(os.path.join(root, f))
        assert p.startswith(os.path.realpath(out) + "/"), p
        assert re.fullmatch(r"[A-Za-z0-9._-]+", f), f
index = open(os.path.join(out, "index.html")).read()
# the index links to a chart page for every series, and each exists
links = set(re.findall(r'href="(bench/[^"]+\.html)"', index))
pages = {os.path.relpath(p, out) for p in glob.glob(os.path.join(out, "bench", "*.html"))}
assert links == pages and len(pages) == 5, (links, pages)   # 4 on box1 + 1 on box2
for p in pages:
    assert "<svg class=\"bk-chart\"" in open(os.path.join(out, p)).read(), p
# hostile strings never appear raw
for p in glob.glob(os.path.join(out, "**", "*.html"), recursive=True):
    t = open(p).read()
    assert "<script>alert" not in t, p
    assert "<b>" not in t and "<i>v</i>" not in t, p
# change points: the 30% step at the known commit for every box1 series
ch = json.load(open(os.path.join(out, "data", "changes.json")))
box1 = [c for c in ch if c["machine"] == "box1"]
assert len(box1) == 4, ch
for c in box1:
    assert c["commit"] == truth["step_commit"], c
    want = "improvement" if c["name"] == "throughput" else "regression"
    assert c["kind"] == want, c
    assert abs(c["change"] - 0.30) < 0.05, c
# the pull-request result is listed apart, not in a trend
assert "pr-run" in index, "off-main result not listed"
# data: data/core.json lists the series and the chunks holding their points
core = json.load(open(os.path.join(out, "data", "core.json")))
assert core["suite"] == "core" and core["chunk_commits"] == 256, core
cat = [s for s in core["series"] if s["name"] == "parse" and s["machine"] == "box1"][0]
assert len(core["chunks"]) == 1 and core["chunks"][0]["json"] == "core/c00000.json", core["chunks"]
assert core["chunks"][0]["points"] == sum(s["points"] for s in core["series"])
chunk = json.load(open(os.path.join(out, "data", core["chunks"][0]["json"])))
parse = [s for s in chunk["series"] if s["name"] == "parse" and s["machine"] == "box1"][0]
assert len(parse["points"]) == cat["points"]
commits = [p[0] for p in parse["points"]]
assert truth["feature"] not in commits
assert commits[:len(truth["main"])] != [] and set(truth["main"]) <= set(commits), "main commits missing"
# points follow main's first-parent order; the no-sha run sits by its time
order = [c for c in commits if c]
assert order == [c for c in truth["main"] if c in order], "points not in main order"
assert len(parse["points"]) == len(truth["main"]) + 1
# CSV: one row per point, formula-like names neutralised
csv = open(os.path.join(out, "data", core["chunks"][0]["csv"])).read().splitlines()
assert csv[0].startswith("suite,name,machine")
assert len(csv) == 1 + core["chunks"][0]["points"]
suite_page = open(os.path.join(out, "suites", "core.html")).read()
assert 'href="../data/core/c00000.csv"' in suite_page, "suite page does not link its data"
# the feed is well-formed Atom listing the regressions with absolute links
feed = ET.parse(os.path.join(out, "feed.xml")).getroot()
ns = {"a": "http://www.w3.org/2005/Atom"}
entries = feed.findall("a:entry", ns)
assert len(entries) == 3, len(entries)   # three regressions, the throughput gain is not one
for e in entries:
    assert e.find("a:link", ns).get("href").startswith("https://example.invalid/site/bench/")
# weekly summaries: markdown and HTML, the newest linked from the index
weeks = sorted(glob.glob(os.path.join(out, "weekly", "*.md")))
assert weeks, "no weekly summary"
latest = os.path.basename(weeks[-1])[:-3]
assert f'weekly/{latest}.html' in index
wh = open(os.path.join(out, "weekly", latest + ".html")).read()
assert "<h1>" in wh
# all links in every page resolve to files in the site
class L(html.parser.HTMLParser):
    def __init__(s):
        super().__init__(); s.l = []
    def handle_starttag(s, tag, attrs):
        for k, v in attrs:
            if k in ("href", "src") and v and not re.match(r"^(https?:|mailto:|#)", v):
                s.l.append(v)
for p in glob.glob(os.path.join(out, "**", "*.html"), recursive=True):
    parser = L(); parser.feed(open(p).read())
    for link in parser.l:
        target = os.path.normpath(os.path.join(os.path.dirname(p), link.split("#")[0]))
        assert os.path.exists(target), (p, link)
print("pages:", len(glob.glob(os.path.join(out, "**", "*.html"), recursive=True)))
PY
ok "pages, change points, ordering, escaping, feed, weekly and links"

# rebuild: nothing parsed again, nothing rewritten
find "$OUTD" -type f -exec touch -d '2000-01-01' {} +
expect_exit 0 "$BENCHKEEP" site --repo "$R" --ref benchmark-data --out "$OUTD" --title "T <b>" \
	--repo-url https://example.invalid/o/r --base-url https://example.invalid/site/ --now 1770000000
echo "$ERR" | grep -q "(0 parsed" || fail "rebuild parsed blobs again: $ERR"
echo "$ERR" | grep -q " 0 files written" || fail "rebuild rewrote files: $ERR"
[ -z "$(find "$OUTD" -type f -not -name .benchkeep-manifest -newermt "2001-01-01")" ] || fail "unchanged files were touched"
ok "rebuild reads nothing new and rewrites nothing"

# a file whose inputs did not change is not made again (its size and mtime
# are as the last build left them); one whose mtime moved is made again
page=$(ls "$OUTD"/commits/*.html | head -1)
chunkf="$OUTD/data/core/c00000.csv"
cp -p "$page" "$TMP/page.orig"
sed -i 's/<html/<HTML/' "$page" && touch -r "$TMP/page.orig" "$page"
sed -i 's/^suite,/SUITE,/' "$chunkf"
expect_exit 0 "$BENCHKEEP" site --repo "$R" --ref benchmark-data --out "$OUTD" --title "T <b>" \
	--repo-url https://example.invalid/o/r --base-url https://example.invalid/site/ --now 1770000000
grep -q "<HTML" "$page" || fail "a commit page with unchanged inputs was made again"
head -1 "$chunkf" | grep -q "^suite," || fail "a data chunk whose mtime moved was not made again"
cp -p "$TMP/page.orig" "$page"
ok "unchanged inputs skip a file; a touched file is made again"

# one more result: parsed alone, its chunk and pages made, older commit pages untouched
git -C "$R" worktree add -q "$TMP/data" benchmark-data
last=$(ls "$TMP"/data/results/*/*/*.json | grep -v corrupt | tail -1)
$PY - "$last" "$TMP/data/results/2026/03/one-more.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
r["run"]["id"] = "one-more"
json.dump(r, open(sys.argv[2], "w"))
PY
git -C "$TMP/data" add results && git -C "$TMP/data" -c user.name=t -c user.email=t@t commit -qm "one more"
find "$OUTD" -type f -exec touch -d '2000-01-01' {} +
expect_exit 0 "$BENCHKEEP" site --repo "$R" --ref benchmark-data --out "$OUTD" --title "T <b>" \
	--repo-url https://example.invalid/o/r --base-url https://example.invalid/site/ --now 1770000000
echo "$ERR" | grep -q "(1 parsed" || fail "the new result was not parsed alone: $ERR"
[ -n "$(find "$OUTD/data/core" -newermt '2001-01-01')" ] || fail "the chunk holding the new point was not rewritten"
expect_exit 0 "$BENCHKEEP" site --repo "$R" --ref benchmark-data --out "$OUTD" --title "T <b>" \
	--repo-url https://example.invalid/o/r --base-url https://example.invalid/site/ --now 1770000000
echo "$ERR" | grep -q " 0 files written" || fail "a second rebuild rewrote files: $ERR"
ok "one more result: parsed alone, its chunk rewritten, then nothing to do"

# main moved back 5 commits, then forward again: the cached list of main's
# commits follows (results of the dropped commits leave the trends, then return)
site_off() {
	expect_exit 0 "$BENCHKEEP" site --repo "$R" --ref benchmark-data --out "$OUTD" --title "T <b>" \
		--repo-url https://example.invalid/o/r --base-url https://example.invalid/site/ --now 1770000000
	echo "$ERR" | sed -n 's/.* \([0-9]*\) off the main branch.*/\1/p'
}
off0=$(site_off)
main_tip=$(git -C "$R" rev-parse refs/heads/main)
git -C "$R" update-ref refs/heads/main "$main_tip~5"
off1=$(site_off)
git -C "$R" update-ref refs/heads/main "$main_tip"
off2=$(site_off)
[ -n "$off0" ] && [ "$off1" -ge $((off0 + 5)) ] && [ "$off2" = "$off0" ] \
	|| fail "off-main results after main moved back and forth: $off0 -> $off1 -> $off2"
ok "main moved back and forth: off-main results $off0 -> $off1 -> $off2"

# a damaged cache (cut segments, a garbled list of main's commits) costs
# time only: everything is read from git again and the site is the same
cache="$R/.git/benchkeep-cache"
ls "$cache"/seg-*.bkc >/dev/null && ls "$cache"/main-*.bkm >/dev/null || fail "no cache files in $cache"
cp -r "$OUTD" "$TMP/site-before"
for f in "$cache"/seg-*.bkc; do truncate -s -9 "$f"; done
for f in "$cache"/main-*.bkm; do printf 'BKMC\001\000\000\000garbage' >"$f"; done
expect_exit 0 "$BENCHKEEP" site --repo "$R" --ref benchmark-data --out "$OUTD" --title "T <b>" \
	--repo-url https://example.invalid/o/r --base-url https://example.invalid/site/ --now 1770000000
echo "$ERR" | grep -q " 0 from cache" || fail "a damaged cache was used: $ERR"
diff -r -x .benchkeep-manifest "$TMP/site-before" "$OUTD" >/dev/null || fail "the site changed with a damaged cache"
expect_exit 0 "$BENCHKEEP" site --repo "$R" --ref benchmark-data --out "$OUTD" --title "T <b>" \
	--repo-url https://example.invalid/o/r --base-url https://example.invalid/site/ --now 1770000000
echo "$ERR" | grep -q "(0 parsed" || fail "the cache was not rebuilt: $ERR"
ok "a damaged cache is ignored and rebuilt; the site is the same"

# stale pages go, other files stay; a directory benchkeep did not make is never pruned
echo stale >"$OUTD/bench/gone-0123.html"
echo mine >"$OUTD/bench/notes.txt"
expect_exit 0 "$BENCHKEEP" site --repo "$R" --ref benchmark-data --out "$OUTD" --title "T <b>" \
	--repo-url https://example.invalid/o/r --base-url https://example.invalid/site/ --now 1770000000
[ ! -e "$OUTD/bench/gone-0123.html" ] || fail "stale page kept"
[ -e "$OUTD/bench/notes.txt" ] || fail "a file that is not a page was removed"
echo "$ERR" | grep -q "1 stale removed" || fail "removal not reported: $ERR"
mkdir -p "$TMP/foreign/bench"
echo theirs >"$TMP/foreign/README"
echo theirs >"$TMP/foreign/bench/old.html"
expect_exit 0 "$BENCHKEEP" site --repo "$R" --ref benchmark-data --out "$TMP/foreign"
[ -e "$TMP/foreign/bench/old.html" ] || fail "pruned a directory benchkeep did not make"
ok "stale pages removed only where benchkeep owns the directory"

# an unknown ref: exit 2, one line
expect_exit 2 "$BENCHKEEP" site --repo "$R" --ref nosuchref --out "$TMP/s2"
echo "$ERR" | grep -q "nosuchref" || fail "$ERR"
ok "unknown ref refused"
echo "$checks passed, 0 failed"
