#!/bin/bash
# Time until headless Chromium has loaded the index of a site with BENCHES
# benchmarks x COMMITS commits (default 200 x 1000): a wrapper page loads the
# index in an iframe and records the time from navigation to the iframe's
# load event (HTML parsed, every inline SVG and stylesheet and script done);
# median of RUNS loads. Usage: tests/perf/browser.sh [COMMITS] [BENCHES] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
N=${1:-1000}
B=${2:-200}
RUNS=${3:-5}
DIR=/tmp/bk-perf-browser-$N-$B
CHROME=$(command -v chromium || command -v chromium-browser)
[ -x "$BUILD/benchkeep" ] || make --no-print-directory "$BUILD/benchkeep" >/dev/null
mkdir -p "$BUILD/perf"
cc -std=c11 -O2 -D_GNU_SOURCE -I. $(pkg-config --cflags libcjson) \
	-o "$BUILD/perf/gen_history" tests/perf/gen_history.c "$BUILD/libbenchkeep.a" \
	$(pkg-config --libs libcjson libgit2 libnats libcmark-gfm) -lcmark-gfm-extensions -lm -pthread
if [ ! -d "$DIR/repo" ]; then
	echo "generating $N commits x $B benchmarks in $DIR/repo ..."
	"$BUILD/perf/gen_history" "$DIR/repo" "$N" "$B" 5
fi
"$BUILD/benchkeep" site --repo "$DIR/repo" --ref benchmark-data --branch main --out "$DIR/site" 2>&1 | grep "site:"
cat >"$DIR/timer.html" <<'HTML'
<!doctype html><meta charset="utf-8"><title>timer</title>
<iframe id="f" style="width:1200px;height:900px"></iframe>
<script>
var t0 = performance.now(), f = document.getElementById("f");
f.onload = function () {
  var d = document.createElement("pre");
  d.id = "result";
  d.textContent = "LOADED_MS=" + (performance.now() - t0).toFixed(1);
  document.body.appendChild(d);
};
f.src = "site/index.html";
</script>
HTML
times=()
for i in $(seq "$RUNS"); do
	out=$(timeout 120 "$CHROME" --headless --no-sandbox --disable-gpu --disable-background-networking \
		--disable-component-update --disable-sync --no-first-run --allow-file-access-from-files \
		--user-data-dir="$DIR/profile-$i" --dump-dom "file://$DIR/timer.html" 2>/dev/null)
	ms=$(echo "$out" | grep -o 'LOADED_MS=[0-9][0-9.]*' | cut -d= -f2)
	[ -n "$ms" ] || { echo "no load time measured" >&2; exit 1; }
	times+=("$ms")
	rm -rf "$DIR/profile-$i"
done
printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "index load in headless Chromium: median %.0f ms (min %.0f, max %.0f, %d runs)\n", a[int((NR+1)/2)], a[1], a[NR], NR}'
echo "index.html: $(du -k "$DIR/site/index.html" | cut -f1) KB; machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
