#!/bin/bash
# The house rules of the source tree (tools/layout.py, docs/ARCHITECTURE.md):
# the tree passes, and a copy broken in each way fails with a line naming
# the rule: an include circle, sitegen/ including collector/, lib/ including
# upward, a module including a command header, a function over 80 lines, a
# header without its opening comment, a stale allow-list entry.
. "$(dirname "$0")/lib.bash"
L="$BK_ROOT/tools/layout.py"
expect_exit 0 python3 "$L" check
ok "the tree keeps the house rules"

copy() {
	rm -rf "$TMP/t"
	mkdir -p "$TMP/t/tools"
	cp -r "$BK_ROOT/lib" "$BK_ROOT/collector" "$BK_ROOT/sitegen" "$BK_ROOT/benchkeep.c" "$BK_ROOT/Makefile" "$TMP/t/"
	cp "$BK_ROOT/tools/layout-allow.txt" "$TMP/t/tools/"
}
broken() { # broken WHAT PATTERN: the check fails naming it
	if LAYOUT_ROOT="$TMP/t" python3 "$L" check 2>"$TMP/err" >/dev/null; then
		fail "$1: not caught"
	fi
	grep -q -e "$2" "$TMP/err" || { cat "$TMP/err" >&2; fail "$1: no line matching '$2'"; }
	ok "$1 caught"
}

copy
echo '#include "lib/verdict/compare.h"' >>"$TMP/t/lib/base/strbuf.c"
broken "lib/base including lib/verdict" "lib/base/strbuf.c: includes lib/verdict/compare.h (inside lib/ the arrows go"

copy
echo '#include "sitegen/render/chart.h"' >>"$TMP/t/lib/doc/json.c"
broken "lib/ including sitegen/" "lib/doc/json.c: includes sitegen/render/chart.h (lib/ depends on nothing above it)"

copy
echo '#include "collector/store.h"' >>"$TMP/t/sitegen/render/chart.c"
broken "sitegen/ including collector/" "sitegen/render/chart.c: includes collector/store.h (sitegen/ never"

copy
echo '#include "lib/doc/json.h"' >>"$TMP/t/lib/base/strbuf.h"
broken "an include circle" "include circle: .*lib/base/strbuf"

copy
echo '#include "collector/cli.h"' >>"$TMP/t/collector/store.c"
broken "a module including a command header" "collector/store.c: includes the command header collector/cli.h"

copy
{ echo 'int layout_long(void)'; echo '{'; for i in $(seq 81); do echo "	(void)$i;"; done; echo '	return 0;'; echo '}'; } >>"$TMP/t/lib/base/strbuf.c"
broken "a function over 80 lines" "lib/base/strbuf.c:[0-9]*: layout_long() is 84 lines"

copy
printf '#ifndef X\n#define X\n#endif\n' >"$TMP/t/lib/base/bare.h"
broken "a header without its comment" "lib/base/bare.h:1: the header does not open with a comment"

copy
echo 'lib/base/strbuf.c strbuf_grow  not long' >>"$TMP/t/tools/layout-allow.txt"
broken "a stale allow-list entry" "strbuf_grow is no longer over 80 lines"
echo "$checks checks"
