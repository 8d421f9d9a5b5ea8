#!/bin/bash
# Headless Chromium loads the index and a benchmark page from file:// with
# no console message (errors or otherwise), and our JavaScript runs.
. "$(dirname "$0")/lib.bash"
CHROME=$(command -v chromium || command -v chromium-browser || true)
[ -n "$CHROME" ] || fail "chromium is not installed (make test installs it)"
$PY "$(dirname "$0")/helpers/make_history.py" "$TMP/repo" --commits 30 --step-at 20 >/dev/null
expect_exit 0 "$BENCHKEEP" site --repo "$TMP/repo" --ref benchmark-data --out "$TMP/site"
page_check() { # page, expected text in the DOM after scripts ran
	local url="file://$TMP/site/$1"
	timeout 120 "$CHROME" --headless --no-sandbox --disable-gpu --disable-background-networking \
		--disable-component-update --disable-sync --no-first-run --user-data-dir="$TMP/profile-$RANDOM" \
		--enable-logging=stderr --v=0 --virtual-time-budget=2000 --dump-dom "$url" \
		>"$TMP/dom.html" 2>"$TMP/chrome.log" || fail "chromium failed on $1: $(tail -3 "$TMP/chrome.log")"
	if grep -E "CONSOLE|Uncaught" "$TMP/chrome.log" | grep -F "$TMP/site" >/dev/null; then
		fail "console messages on $1: $(grep -E 'CONSOLE|Uncaught' "$TMP/chrome.log")"
	fi
	grep -q "$2" "$TMP/dom.html" || fail "$1: '$2' not in the rendered DOM"
	ok "$1 renders in Chromium without console messages"
}
page_check index.html 'id="bk-filter"'
bench=$(cd "$TMP/site" && ls bench/*.html | head -1)
page_check "$bench" 'bk-zoom-reset'   # added by site.js: the script ran
grep -q '<svg class="bk-chart"' "$TMP/dom.html" || fail "no chart in $bench"
commit=$(cd "$TMP/site" && ls commits/*.html | head -1)
page_check "$commit" 'bk-table'
echo "$checks passed, 0 failed"
