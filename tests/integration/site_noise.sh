#!/bin/bash
# benchkeep site and the noise of each benchmark: a change is coloured only
# beyond the benchmark's noise band (neutral otherwise), the benchmark chart
# shades the band, and a burst of runs where the whole machine was slower
# (a noisy neighbour) is divided out: no change point, no coloured change,
# a note on its commit pages (helpers/make_noisy_history.py).
. "$(dirname "$0")/lib.bash"
H="$(dirname "$0")/helpers"
$PY "$H/make_noisy_history.py" "$TMP/repo"
expect_exit 0 "$BENCHKEEP" site --repo "$TMP/repo" --ref benchmark-data --out "$TMP/site" --now 1770000000
ok "site built"
$PY - "$TMP/site" "$TMP/truth.json" <<'PY'
import glob, json, os, re, sys
out, truth = sys.argv[1], json.load(open(sys.argv[2]))
main = truth["main"]
def page(name):
    return open(os.path.join(out, name)).read()
def bench(name):
    (p,) = glob.glob(os.path.join(out, "bench", "core-%s-box-*.html" % name))
    return open(p).read()
# change points: the +60% shift of `noisy` at commit 30, nothing else (the
# slow runs 43-50 would be two shifts in every quiet series)
ch = json.load(open(os.path.join(out, "data", "changes.json")))
assert [(c["name"], c["commit"]) for c in ch] == [("noisy", main[30])], ch
# index, "vs previous": quiet +3% beyond its 0.2% noise: coloured; noisy +8%
# within 3 x 5%: neutral (it was coloured when every change >= 2% was)
index = page("index.html")
def prev_cell(html, name):
    row = re.search(r'<tr data-filter="core %s box">(.*?)</tr>' % name, html, re.S).group(1)
    cells = re.findall(r'<td class="num ([^"]*)"([^>]*)>([^<]*)</td>', row)
    return cells[0]  # vs previous, vs start (latest has no class)
cls, attrs, text = prev_cell(index, "quiet")
assert cls == "bk-worse" and text == "+3.00%", (cls, text)
cls, attrs, text = prev_cell(index, "noisy")
assert cls == "bk-neutral" and text == "+8.00%", (cls, text)
assert 'title="noise band' in attrs, attrs
# benchmark pages: the history's change column, row by commit
def hist_cell(html, i):
    row = re.search(r'<tr[^>]*><td><a href="../commits/%s.html">.*?</tr>' % main[i], html, re.S)
    if not row:
        row = re.search(r'<tr[^>]*><td><code>%s</code>.*?</tr>' % main[i][:10], html, re.S)
    return re.findall(r'<td class="num ([^"]*)"[^>]*>([^<]*)</td>', row.group(0))[-1]
noisy, quiet = bench("noisy"), bench("quiet")
assert hist_cell(noisy, 30)[0] == "bk-worse", hist_cell(noisy, 30)
assert hist_cell(noisy, 59) == ("bk-neutral", "+8.00%"), hist_cell(noisy, 59)
assert hist_cell(quiet, 59) == ("bk-worse", "+3.00%"), hist_cell(quiet, 59)
# the first slow run (43): +30% on the page, neutral (the machine's, not quiet's)
cls, text = hist_cell(quiet, 43)
assert cls == "bk-neutral" and text.startswith("+") and float(text[1:-1]) > 25, (cls, text)
# the chart shades the noise band: one per segment (noisy has two)
assert noisy.count('class="bk-noise"') == 2 and quiet.count('class="bk-noise"') == 1
assert "Noise 5" in noisy or "Noise 4" in noisy, re.search(r"Noise [^<]*", noisy)
# commit pages of the slow runs say so; the others do not
for i in range(40, 60):
    p = os.path.join(out, "commits", main[i] + ".html")
    if not os.path.exists(p):
        continue
    t = open(p).read()
    assert ("bk-machine-factor" in t) == (43 <= i <= 50), i
    if 43 <= i <= 50:
        assert re.search(r"whole machine was (2[6-9]|3[0-4])% slower", t), i
# the stylesheet knows the classes
css = page("assets/style.css")
assert ".bk-neutral" in css and ".bk-noise" in css
print("checks passed")
PY
ok "noise band, neutral and coloured changes, machine factor"
echo "$checks checks"
