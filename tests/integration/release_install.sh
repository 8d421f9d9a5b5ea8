#!/bin/bash
# The release archive (tools/ci/release.sh, what release.yml runs) and the
# action's install step (tools/ci/install.sh) against it, served from a
# file:// "release" in a temporary directory: the prebuilt binary is used
# when its checksum, its source fingerprint and its libraries hold; a
# tampered archive, a checksum file that does not match, a binary built
# from other sources or no asset at all is refused (--mode prebuilt: exit 1)
# or falls back to the build from source (--mode auto); missing runtime
# packages are installed with apt-get (a stand-in on PATH records the call).
. "$(dirname "$0")/lib.bash"
cd "$BK_ROOT"
REL=tools/ci/release.sh
V=$($REL version)
PLAT=$($REL platform)
NAME="benchkeep-$V-$PLAT"
[[ $V =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || fail "version '$V'"
# shellcheck disable=SC1091
[ "$PLAT" = "$(. /etc/os-release && echo "$ID-$VERSION_ID")-$(uname -m)" ] || fail "platform '$PLAT'"
expect_exit 0 $REL check-tag "v$V"
expect_exit 1 $REL check-tag "v$V.1"
echo "$ERR" | grep -q "is not v$V" || fail "check-tag message: $ERR"
ok "version $V, platform $PLAT, check-tag accepts v$V only"

# the action's source: a copy of what the fingerprint covers plus tools/
A=$TMP/action
mkdir -p "$A"
cp -R Makefile benchkeep.c lib collector sitegen templates tools "$A/"
fp=$($REL fingerprint "$A")
[ "$fp" = "$($REL fingerprint .)" ] || fail "the copy's fingerprint differs from the tree's"
[[ $fp =~ ^[0-9a-f]{64}$ ]] || fail "fingerprint '$fp'"

# the release, laid out as GitHub serves it: URL/v<version>/<asset>
mkdir -p "$TMP/rel/v$V"
asset=$($REL package "$TMP/rel/v$V" "$BENCHKEEP" 2>"$TMP/pack.err") || fail "package: $(cat "$TMP/pack.err")"
[ "$asset" = "$TMP/rel/v$V/$NAME.tar.gz" ] && [ -f "$asset.sha256" ] || fail "asset '$asset'"
(cd "$TMP/rel/v$V" && sha256sum -c --quiet "$NAME.tar.gz.sha256") || fail "the .sha256 file does not check"
tar -tzf "$asset" | sort >"$TMP/list"
printf '%s\n' "$NAME/" "$NAME/RUNTIME_PACKAGES" "$NAME/SOURCE_FINGERPRINT" "$NAME/VERSION" "$NAME/benchkeep" | sort | cmp -s - "$TMP/list" ||
	fail "archive content: $(cat "$TMP/list")"
[ "$(tar -xzOf "$asset" "$NAME/SOURCE_FINGERPRINT")" = "$fp" ] || fail "archive fingerprint"
tar -xzOf "$asset" "$NAME/RUNTIME_PACKAGES" >"$TMP/pkgs"
for p in libgit2 libnats libcmark-gfm libcjson; do
	grep -q "^$p" "$TMP/pkgs" || fail "RUNTIME_PACKAGES lacks $p: $(tr '\n' ' ' <"$TMP/pkgs")"
done
ok "package: $NAME.tar.gz with its .sha256; runtime packages $(grep -c . "$TMP/pkgs") ($(grep -E '^lib(git2|nats)' "$TMP/pkgs" | tr '\n' ' '))"

URL="file://$TMP/rel"
export BK_INSTALL_DIR=$TMP/bin GITHUB_OUTPUT=$TMP/gh-output
# a source build that only says it ran (the real one is make deps && make)
export BK_INSTALL_SOURCE_CMD="mkdir -p build && cp '$BENCHKEEP' build/benchkeep && echo SOURCE-BUILD-RAN"
: >"$GITHUB_OUTPUT"
expect_exit 0 tools/ci/install.sh --mode prebuilt --release-url "$URL" "$A"
[ "$(echo "$OUT" | tail -n 1)" = "$TMP/bin/benchkeep" ] || fail "install printed '$OUT'"
"$TMP/bin/benchkeep" --version | grep -qF "$V" || fail "the installed binary does not run"
grep -qx "installed=prebuilt" "$GITHUB_OUTPUT" && grep -qx "benchkeep=$TMP/bin/benchkeep" "$GITHUB_OUTPUT" || fail "outputs: $(cat "$GITHUB_OUTPUT")"
echo "$ERR" | grep -q "checksum verified" || fail "no checksum line: $ERR"
echo "$ERR" | grep -q SOURCE-BUILD-RAN && fail "built from source although the prebuilt fits"
expect_exit 0 tools/ci/install.sh --release-url "$URL" "$A"
echo "$ERR" | grep -q "using the prebuilt" || fail "auto did not take the prebuilt: $ERR"
ok "prebuilt: downloaded, checksum verified, fingerprint matched, runs (auto takes it too)"

# refusals: each with --mode prebuilt (exit 1, the reason) and auto (source)
refused() { # WHAT REASON_REGEX
	expect_exit 1 tools/ci/install.sh --mode prebuilt --release-url "$URL" "$A"
	echo "$ERR" | grep -q "$2" || fail "$1: the reason is not given: $ERR"
	: >"$GITHUB_OUTPUT"
	expect_exit 0 tools/ci/install.sh --mode auto --release-url "$URL" "$A"
	echo "$ERR" | grep -q SOURCE-BUILD-RAN || fail "$1: auto did not build from source: $ERR"
	[ "$(echo "$OUT" | tail -n 1)" = "$A/build/benchkeep" ] || fail "$1: auto printed '$OUT'"
	grep -qx "installed=source" "$GITHUB_OUTPUT" || fail "$1: outputs $(cat "$GITHUB_OUTPUT")"
	rm -rf "$A/build"
	ok "$1: refused with --mode prebuilt, built from source with auto"
}
cp "$asset" "$TMP/good.tar.gz"
cp "$asset.sha256" "$TMP/good.sha256"
printf 'x' >>"$asset"
refused "a tampered archive" "checksum mismatch"
cp "$TMP/good.tar.gz" "$asset"
echo "0000000000000000000000000000000000000000000000000000000000000000  $NAME.tar.gz" >"$asset.sha256"
refused "a checksum file that does not match" "checksum mismatch"
cp "$TMP/good.sha256" "$asset.sha256"
echo "/* changed */" >>"$A/lib/base/strbuf.c"
refused "a binary built from other sources (the action at another commit)" "other sources than this action"
sed -i '$d' "$A/lib/base/strbuf.c"
[ "$($REL fingerprint "$A")" = "$fp" ] || fail "restoring the source"
rm "$asset.sha256"
refused "no checksum file" "no prebuilt $NAME"
mv "$asset" "$TMP/away.tar.gz"
cp "$TMP/good.sha256" "$asset.sha256"
refused "no asset for this platform or version" "no prebuilt $NAME"
expect_exit 1 tools/ci/install.sh --mode prebuilt "$A"
echo "$ERR" | grep -q "no release URL" || fail "no repository: $ERR"
expect_exit 2 tools/ci/install.sh --mode fast "$A"
ok "no release URL or repository: no prebuilt; a bad --mode is a usage error"

# runtime packages: the missing ones go to apt-get (a stand-in records the
# call); a name that is not a package name is refused before apt runs
repack() { # PACKAGES...: the good archive with RUNTIME_PACKAGES replaced
	rm -rf "$TMP/re" && mkdir "$TMP/re"
	tar -xzf "$TMP/good.tar.gz" -C "$TMP/re"
	printf '%s\n' "$@" >"$TMP/re/$NAME/RUNTIME_PACKAGES"
	tar -C "$TMP/re" -czf "$asset" "$NAME"
	(cd "$TMP/rel/v$V" && sha256sum "$NAME.tar.gz" >"$NAME.tar.gz.sha256")
}
mkdir -p "$TMP/fakebin"
cat >"$TMP/fakebin/apt-get" <<FAKE
#!/bin/sh
echo "apt-get \$*" >>"$TMP/apt.log"
FAKE
chmod +x "$TMP/fakebin/apt-get"
repack libc6 benchkeep-test-missing-package
PATH="$TMP/fakebin:$PATH" expect_exit 0 tools/ci/install.sh --mode prebuilt --release-url "$URL" "$A"
grep -q "update" "$TMP/apt.log" && grep -q "install .*--no-install-recommends benchkeep-test-missing-package$" "$TMP/apt.log" ||
	fail "apt-get calls: $(cat "$TMP/apt.log" 2>/dev/null)"
grep -q "install .*libc6" "$TMP/apt.log" && fail "an installed package was installed again"
rm -f "$TMP/apt.log"
repack 'libc6;touch${IFS}pwned'
PATH="$TMP/fakebin:$PATH" expect_exit 1 tools/ci/install.sh --mode prebuilt --release-url "$URL" "$A"
echo "$ERR" | grep -q "not a package name" || fail "bad package name: $ERR"
[ ! -e "$TMP/apt.log" ] || fail "apt-get ran for a bad name"
ok "runtime packages: only the missing ones installed with apt-get; a bad name refused"
echo "$checks passed, 0 failed"
