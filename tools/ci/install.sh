#!/bin/bash
# How the action (action.yml) gets a benchkeep binary: the release's prebuilt
# one when it matches this runner and this action's source, else built from
# the action's source. Usage:
#   tools/ci/install.sh [--mode auto|prebuilt|source] [--release-url URL] ACTION_DIR
# Prints the binary's path as its last line (and sets `benchkeep` and
# `installed` = prebuilt|source in $GITHUB_OUTPUT).
#
# The prebuilt path, each step a reason to fall back (auto) or fail
# (prebuilt):
#   1. the asset for this version (ACTION_DIR's Makefile) and platform
#      (tools/ci/release.sh platform: ubuntu-24.04-x86_64, ...; a binary
#      runs where its shared libraries are the ones it was built against):
#      URL/v<version>/benchkeep-<version>-<platform>.tar.gz and its .sha256.
#      URL is --release-url, else https://github.com/$BK_ACTION_REPOSITORY/
#      releases/download (no repository known: no prebuilt)
#   2. its SHA-256 must be the one in the .sha256 file
#   3. its SOURCE_FINGERPRINT must be ACTION_DIR's (release.sh fingerprint):
#      the binary was built from exactly the source of this action - an
#      action used at a branch or commit other than a release builds
#   4. the packages of its shared libraries (RUNTIME_PACKAGES) are installed
#      with apt-get when missing (a hosted runner has none of libgit2,
#      libnats, libcmark-gfm, libcjson)
#   5. ldd finds every library, and `benchkeep --version` says the version
# The source path: make deps (the build packages, with sudo) and make in
# ACTION_DIR ($BK_INSTALL_SOURCE_CMD replaces it, for tests).
# Environment: BK_INSTALL_DIR [$RUNNER_TEMP/benchkeep-bin, else
# ACTION_DIR/build/prebuilt], BK_ACTION_REPOSITORY, BK_INSTALL_SOURCE_CMD.
# Exit: 0 installed, 1 failed, 2 bad usage.
set -euo pipefail
shopt -s inherit_errexit

say() { echo "install.sh: $*" >&2; }
die() { say "error: $1"; exit "${2:-2}"; }
gh_output() { if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "$1=$2" >>"$GITHUB_OUTPUT"; fi; }

mode=auto url=""
while [ $# -gt 0 ]; do
	case "$1" in
	--mode) mode=${2:-}; shift 2 ;;
	--release-url) url=${2:-}; shift 2 ;;
	-*) die "unknown option '$1'" ;;
	*) break ;;
	esac
done
[ $# -eq 1 ] || die "usage: tools/ci/install.sh [--mode auto|prebuilt|source] [--release-url URL] ACTION_DIR"
case "$mode" in auto | prebuilt | source) ;; *) die "--mode must be auto, prebuilt or source, not '$mode'" ;; esac
ACTION_DIR=$(cd "$1" && pwd)
RELEASE=$ACTION_DIR/tools/ci/release.sh
if [ -z "$url" ] && [ -n "${BK_ACTION_REPOSITORY:-}" ]; then
	url="https://github.com/$BK_ACTION_REPOSITORY/releases/download"
fi

# apt-get install of the packages not installed yet (names checked first:
# they come from the downloaded archive, checksum verified or not)
install_packages() {
	local p missing=() sudo=()
	for p in "$@"; do
		[[ $p =~ ^[a-z0-9][a-z0-9.+-]+$ ]] || { say "not a package name: '$p'"; return 1; }
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	[ "$(id -u)" -eq 0 ] || sudo=(sudo)
	say "installing the runtime packages: ${missing[*]}"
	"${sudo[@]}" apt-get -o DPkg::Lock::Timeout=300 update -qq &&
		DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=300 install -y -qq \
			--no-install-recommends "${missing[@]}" >/dev/null
}

# try_prebuilt: 0 and the binary's path on stdout, or 1 with the reason said
try_prebuilt() {
	local v plat name tmp want got dest fp
	[ -n "$url" ] || { say "no release URL (the action's repository is not known)"; return 1; }
	v=$("$RELEASE" version)
	plat=$("$RELEASE" platform)
	name="benchkeep-$v-$plat"
	tmp=$(mktemp -d)
	say "looking for the prebuilt $name at $url/v$v/"
	if ! curl -fsSL --retry 3 --connect-timeout 10 -o "$tmp/$name.tar.gz" "$url/v$v/$name.tar.gz" ||
		! curl -fsSL --retry 3 --connect-timeout 10 -o "$tmp/$name.tar.gz.sha256" "$url/v$v/$name.tar.gz.sha256"; then
		say "no prebuilt $name in release v$v"
		rm -rf "$tmp"
		return 1
	fi
	want=$(cut -d' ' -f1 <"$tmp/$name.tar.gz.sha256")
	got=$(sha256sum "$tmp/$name.tar.gz" | cut -d' ' -f1)
	if ! [[ $want =~ ^[0-9a-f]{64}$ ]] || [ "$want" != "$got" ]; then
		say "checksum mismatch for $name.tar.gz: the release says '$want', the download is $got"
		rm -rf "$tmp"
		return 1
	fi
	say "checksum verified: $got"
	if ! tar -xzf "$tmp/$name.tar.gz" -C "$tmp" "$name/benchkeep" "$name/VERSION" "$name/SOURCE_FINGERPRINT" \
		"$name/RUNTIME_PACKAGES" 2>"$tmp/tar.err"; then
		say "$name.tar.gz is not a release archive: $(head -n 3 "$tmp/tar.err")"
		rm -rf "$tmp"
		return 1
	fi
	fp=$("$RELEASE" fingerprint "$ACTION_DIR")
	if [ "$(cat "$tmp/$name/SOURCE_FINGERPRINT")" != "$fp" ]; then
		say "the prebuilt binary was built from other sources than this action's (fingerprint $(cat "$tmp/$name/SOURCE_FINGERPRINT") vs $fp)"
		rm -rf "$tmp"
		return 1
	fi
	local pkgs=()
	mapfile -t pkgs <"$tmp/$name/RUNTIME_PACKAGES"
	if ! install_packages "${pkgs[@]}"; then
		say "the runtime packages could not be installed"
		rm -rf "$tmp"
		return 1
	fi
	if ldd "$tmp/$name/benchkeep" | grep -q 'not found'; then
		say "the prebuilt binary misses libraries: $(ldd "$tmp/$name/benchkeep" | grep 'not found' | tr -s '\n\t' '  ')"
		rm -rf "$tmp"
		return 1
	fi
	if ! "$tmp/$name/benchkeep" --version 2>/dev/null | grep -qF "$v"; then
		say "the prebuilt binary does not run here"
		rm -rf "$tmp"
		return 1
	fi
	dest=${BK_INSTALL_DIR:-${RUNNER_TEMP:+$RUNNER_TEMP/benchkeep-bin}}
	dest=${dest:-$ACTION_DIR/build/prebuilt}
	mkdir -p "$dest"
	install -m 0755 "$tmp/$name/benchkeep" "$dest/benchkeep"
	rm -rf "$tmp"
	echo "$dest/benchkeep"
}

build_source() {
	say "building benchkeep from source in $ACTION_DIR"
	if [ -n "${BK_INSTALL_SOURCE_CMD:-}" ]; then
		(cd "$ACTION_DIR" && eval "$BK_INSTALL_SOURCE_CMD") >&2
	else
		make -C "$ACTION_DIR" deps >&2
		make -C "$ACTION_DIR" -j"$(nproc)" all >&2
	fi
	[ -x "$ACTION_DIR/build/benchkeep" ] || die "the source build made no $ACTION_DIR/build/benchkeep" 1
	echo "$ACTION_DIR/build/benchkeep"
}

bin=""
if [ "$mode" != source ]; then
	if bin=$(try_prebuilt); then
		say "using the prebuilt benchkeep: $bin"
		gh_output installed prebuilt
	elif [ "$mode" = prebuilt ]; then
		die "no usable prebuilt benchkeep (see above)" 1
	else
		bin=""
		say "falling back to a build from source"
	fi
fi
if [ -z "$bin" ]; then
	bin=$(build_source)
	gh_output installed source
fi
gh_output benchkeep "$bin"
echo "$bin"
