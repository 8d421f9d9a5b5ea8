# Escaping audit (issue 8): names, params, machine names, units, labels,
# commit messages and authors carrying <script>, quotes, '|', backticks,
# newlines, ../ and control characters go through `benchkeep site` (and
# `benchkeep summary`) and come out inert in every output: HTML (tags and attributes), inline SVG, the
# Atom feed (well-formed XML), the weekly markdown (tables keep their
# columns), CSV (one row per point, no formula), JSON (values intact), and
# file names (all inside the output directory, plain characters only).
source "$BK_ROOT/tests/integration/lib.bash"

REPO="$TMP/repo"
OUTD="$TMP/out/site"
# 16 commits on main, each with a result; a +60% step from commit 8 makes a
# change point, so the hostile names reach the feed and the weekly summary
$PY - "$REPO" <<'PY'
import json, os, subprocess, sys
repo = sys.argv[1]
H = "<script>alert(1)</script>\"q\" 'a' |p| `tick` ../../etc/passwd\n## h\x01\x1b[31m\x7f &amp; ]]> --> =1+2"
hostile = {
    "suite": "s<script>alert('s')</script>|`x`/../..",
    "name": "../../../tmp/pwn" + H,
    "pkey": "k\"<b>|`\n",
    "pval": H,
    "machine": "../m<i>x</i>\n|\x02",
    "unit": "ms<u>|",
    "label": H,
}
os.makedirs(repo)
env = dict(os.environ, GIT_AUTHOR_NAME="Eve \"q\" 'a' `x` | y & z", GIT_AUTHOR_EMAIL="e@example.invalid",
           GIT_COMMITTER_NAME="C", GIT_COMMITTER_EMAIL="c@example.invalid")
def git(*a, **kw):
    return subprocess.run(["git", "-C", repo, *a], check=True, capture_output=True, env=env,
                          **kw).stdout.decode().strip()
git("init", "-q", "-b", "main")
msg = "fix: <img src=x onerror=alert(1)> | `rm -rf /` \"q\" 'a' &amp; ../x\x01\n\nbody <script>alert(2)</script>"
prev = None
for i in range(16):
    if prev:
        samples = [(1.6 if i >= 8 else 1.0) + 0.01 * k for k in range(5)]
        r = {"schema": "benchkeep/result/v1",
             "run": {"id": f"r{i}", "started_at": "2026-01-%02dT12:00:00Z" % (i + 1),
                     "commit": {"sha": prev, "branch": "main"},
                     "machine": {"name": hostile["machine"], "os": "linux<x>", "cpu_model": H},
                     "labels": {"l": hostile["label"]}},
             "benchmarks": [{"suite": hostile["suite"], "name": hostile["name"],
                             "params": {hostile["pkey"]: hostile["pval"]},
                             "unit": hostile["unit"], "direction": "smaller", "samples": samples}]}
        os.makedirs(f"{repo}/results/2026/01", exist_ok=True)
        with open(f"{repo}/results/2026/01/r{i:02d}.json", "w") as f:
            json.dump(r, f)
    with open(f"{repo}/f.txt", "w") as f:
        f.write(str(i))
    git("add", "-A")
    e = dict(env, GIT_AUTHOR_DATE="2026-01-%02dT12:00:00Z" % (i + 1),
             GIT_COMMITTER_DATE="2026-01-%02dT12:00:00Z" % (i + 1))
    subprocess.run(["git", "-C", repo, "commit", "-q", "-m", msg], check=True, env=e)
    prev = git("rev-parse", "HEAD")
# a result for a commit that is not on main, its sha hostile too
r["run"]["id"] = "off"
r["run"]["commit"] = {"sha": "\"><script>alert(9)</script>../x|`", "branch": "<b>br</b>"}
with open(f"{repo}/results/2026/01/off.json", "w") as f:
    json.dump(r, f)
git("add", "-A")
subprocess.run(["git", "-C", repo, "commit", "-q", "-m", msg], check=True, env=env)
with open(os.path.join(os.path.dirname(repo), "hostile.json"), "w") as f:
    json.dump(hostile, f)
PY
ok "hostile history built"

mkdir -p "$TMP/out"
expect_exit 0 "$BENCHKEEP" site --repo "$REPO" --out "$OUTD" --base-url "https://example.invalid/b/" \
	--repo-url "https://example.invalid/o/r" \
	--title "T<script>alert(3)</script>\"|"
ok "site built"
[ "$(ls -A "$TMP/out")" = "site" ] || fail "files written beside the output directory: $(ls -A "$TMP/out")"

$PY - "$OUTD" "$TMP/hostile.json" <<'PY'
import csv, glob, html.parser, io, json, os, re, sys
import xml.etree.ElementTree as ET
out, hostile = sys.argv[1], json.load(open(sys.argv[2]))
checks = 0
def fail(msg):
    sys.exit("FAIL: " + msg)

# file names: all inside the output, plain characters, no symlinks
root = os.path.realpath(out)
files = []
for d, dirs, fs in os.walk(out):
    for f in fs + dirs:
        p = os.path.join(d, f)
        rel = os.path.relpath(p, out)
        if os.path.islink(p):
            fail(f"symlink in the output: {rel}")
        if not os.path.realpath(p).startswith(root + os.sep):
            fail(f"outside the output: {rel}")
        if rel in (".benchkeep-site", ".benchkeep-manifest"):   # benchkeep's own marker and manifest
            continue
        if not re.fullmatch(r"[A-Za-z0-9._/-]+", rel) or any(s.startswith(".") for s in rel.split("/")):
            fail(f"unsafe file name: {rel!r}")
    files += [os.path.join(d, f) for f in fs]
checks += 1

# HTML: the only tags are the templates' own; no event handler, no
# javascript: URL, the one script is the site's own asset
ALLOWED = {"html", "head", "meta", "title", "link", "body", "header", "nav", "main", "footer",
           "h1", "h2", "h3", "p", "a", "table", "thead", "tbody", "tr", "th", "td", "ul", "ol",
           "li", "span", "div", "small", "strong", "em", "code", "pre", "svg", "g", "path",
           "polyline", "line", "circle", "rect", "text", "title", "section", "details",
           "summary", "figure", "figcaption", "time", "abbr", "del", "input", "label",
           "script", "br", "hr", "blockquote", "polygon", "tspan", "desc", "caption", "b", "i",
           "sup", "sub", "dl", "dt", "dd", "colgroup", "col", "button", "form", "select",
           "option", "noscript", "style", "article", "aside"}
class P(html.parser.HTMLParser):
    def __init__(s, name):
        super().__init__(convert_charrefs=True)
        s.name = name
        s.text = []
    def handle_starttag(s, tag, attrs):
        if tag not in ALLOWED:
            fail(f"{s.name}: foreign tag <{tag}> {attrs}")
        for k, v in attrs:
            if k.startswith("on"):
                fail(f"{s.name}: event handler {k}={v!r}")
            if v and re.match(r"\s*(javascript|data|vbscript):", v, re.I):
                fail(f"{s.name}: {k}={v!r}")
        if tag == "script" and not (dict(attrs).get("src") or "").endswith("assets/site.js"):
            fail(f"{s.name}: inline or foreign script {attrs}")
        if tag == "input" and dict(attrs).get("type") not in (None, "checkbox", "search", "text"):
            fail(f"{s.name}: input {attrs}")
    def handle_data(s, d):
        s.text.append(d)
pages = [f for f in files if f.endswith(".html")]
for f in pages:
    src = open(f, encoding="utf-8").read()
    if "<script>alert" in src or "<img" in src or "<i>x</i>" in src or "<b>br" in src:
        fail(f"{f}: raw hostile markup")
    p = P(f)
    p.feed(src)
    p.close()
    # inline SVG is XML too
    for svg in re.findall(r"<svg\b.*?</svg>", src, re.S):
        try:
            ET.fromstring(svg)
        except ET.ParseError as e:
            fail(f"{f}: inline SVG is not well-formed: {e}")
checks += 1
bench = [f for f in pages if "/bench/" in f]
if not bench:
    fail("no benchmark page")
text = "".join(P("x").text) if False else None
page = open(bench[0], encoding="utf-8").read()
index = open(os.path.join(out, "index.html"), encoding="utf-8").read()
if "&quot;&gt;&lt;script&gt;" not in index or "&lt;b&gt;br&lt;/b&gt;" not in index:
    fail("the off-main result's hostile sha and branch are not listed (escaped) on the index")
if "&lt;script&gt;alert(1)&lt;/script&gt;" not in page:
    fail("the hostile name is not shown escaped on its page")
checks += 1

# the Atom feed: well-formed, names and messages intact as text
feed = ET.parse(os.path.join(out, "feed.xml")).getroot()
ns = {"a": "http://www.w3.org/2005/Atom"}
entries = feed.findall("a:entry", ns)
if not entries:
    fail("the feed has no entry (the step change should be a regression)")
alltext = "".join(feed.itertext())
if "<script>alert(1)</script>" not in alltext:
    fail("the feed lost the hostile name (should be text, escaped)")
checks += 1

# weekly markdown: table rows keep the header's column count; no raw tag
for f in glob.glob(os.path.join(out, "weekly", "*.md")):
    md = open(f, encoding="utf-8").read()
    if re.search(r"<(script|img|i|b|u)\b", md):
        fail(f"{f}: raw tag in markdown")
    cols = None
    for line in md.splitlines():
        if not line.startswith("|"):
            cols = None
            continue
        n = len(re.findall(r"(?<!\\)\|", line))
        if cols is None:
            cols = n
        elif n != cols:
            fail(f"{f}: table row with {n} pipes, header has {cols}: {line!r}")
    checks += 1

# CSV: parses, one row per point, 13 columns, no formula, values intact
for f in glob.glob(os.path.join(out, "data", "*", "*.csv")):
    rows = list(csv.reader(io.StringIO(open(f, encoding="utf-8", newline="").read())))
    if any(len(r) != 13 for r in rows):
        fail(f"{f}: a row without 13 columns")
    for r in rows[1:]:
        for cell in r:
            if cell[:1] in ("=", "+", "@") or (cell[:1] == "-" and not re.match(r"-[0-9]", cell)):
                fail(f"{f}: formula cell {cell!r}")
        if r[1] != hostile["name"] and r[1] != "'" + hostile["name"]:
            fail(f"{f}: name not intact: {r[1]!r}")
    if len(rows) != 16:
        fail(f"{f}: {len(rows)} rows, want header + 15 points")
    checks += 1

# JSON data: parses, names intact
for f in glob.glob(os.path.join(out, "data", "*.json")) + glob.glob(os.path.join(out, "data", "*", "*.json")):
    d = json.load(open(f, encoding="utf-8"))
    if f.endswith("changes.json"):
        if not d or d[0]["name"] != hostile["name"] or d[0]["machine"] != hostile["machine"]:
            fail(f"{f}: names not intact")
    else:
        s = d["series"][0]
        if s["name"] != hostile["name"] or s["params"] != {hostile["pkey"]: hostile["pval"]}:
            fail(f"{f}: name or params not intact")
    checks += 1
print(f"{checks} output checks passed over {len(files)} files")
PY
ok "HTML, SVG, Atom, markdown, CSV, JSON and file names: hostile input inert"
# the pull request summary (markdown for GitHub) of two hostile results
$PY - "$TMP" <<'PY'
import json, sys
H = "<script>alert(1)</script>\"q\" 'a' |p| `tick` ../../etc/passwd\n## h\x01\x1b[31m\x7f &amp; a@evil.example ]]> --> =1+2"
def res(rid, mult):
    return {"schema": "benchkeep/result/v1",
            "run": {"id": rid, "commit": {"sha": "\"><img src=x onerror=alert(1)>|`x`", "branch": "<b>br</b>|"},
                    "machine": {"name": "../m<i>x</i>\n|\x02"}, "labels": {"l": H}},
            "benchmarks": [{"suite": "s<script>|`", "name": "../../" + H, "params": {"k\"<b>|\n": H},
                            "unit": "ms<u>|", "samples": [x * mult for x in [1, 1.01, 0.99, 1.02, 0.98, 1, 1.01]]},
                           {"suite": "s", "name": "ok|x", "unit": "s", "samples": [1, 1, 1, 1, 1]}]}
json.dump(res("base", 1), open(sys.argv[1] + "/base.json", "w"))
json.dump(res("head", 1.5), open(sys.argv[1] + "/head.json", "w"))
PY
expect_exit 0 "$BENCHKEEP" summary --head "$TMP/head.json" --base "$TMP/base.json"
echo "$OUT" >"$TMP/summary.md"
$PY - "$TMP/summary.md" <<'PY'
import re, sys
md = open(sys.argv[1], encoding="utf-8").read()
allowed = ("<!-- benchkeep:summary -->", "<details>", "</details>", "<summary>", "</summary>",
           "<sub>", "</sub>")
rest = md
for a in allowed:
    rest = rest.replace(a, "")
if "<" in rest:
    sys.exit("FAIL: raw '<' in the summary: " + rest[rest.index("<") - 40:rest.index("<") + 40])
if re.search(r"[A-Za-z0-9._+-]@", md):
    sys.exit("FAIL: an e-mail address GFM would autolink")
if "regression" not in md or "&lt;script&gt;" not in md:
    sys.exit("FAIL: the hostile regression is not reported (escaped)")
cols = None
for line in md.splitlines():
    if not line.startswith("|"):
        cols = None
        continue
    n = len(re.findall(r"(?<!\\)\|", line))
    if cols is None:
        cols = n
    elif n != cols:
        sys.exit(f"FAIL: a summary table row has {n} pipes, its header {cols}: {line!r}")
PY
ok "pull request summary: no raw tag, tables keep their columns, e-mail not autolinked"
echo "$checks checks passed"
