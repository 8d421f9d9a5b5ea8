#!/bin/bash
# Release packaging: what .github/workflows/release.yml runs, and what
# tools/ci/install.sh (the action's install step) checks a download against.
# Usage: tools/ci/release.sh STEP [ARGS]
#
#   version             the version the Makefile builds (VERSION = x.y.z)
#   check-tag TAG       exit 1 unless TAG is v<version> (a release is made
#                       only from a commit whose Makefile says so)
#   major-tag TAG       the major tag to move to TAG (v1 for v1.4.2), printed
#                       only when TAG is the highest v<major>.*.* tag of
#                       the repository (rebuilding an older release must
#                       not move v1 back)
#   platform            <os id>-<os version>-<machine> of this machine, from
#                       /etc/os-release and uname -m (ubuntu-24.04-x86_64):
#                       a binary runs where it was built, as its shared
#                       libraries are the ones of that release
#   fingerprint [DIR]   SHA-256 over the sources that make the binary (path
#                       and content of each, sorted) in DIR [.]
#   package OUT [BIN]   BIN [build/benchkeep] as OUT/benchkeep-<version>-
#                       <platform>.tar.gz, holding the binary, VERSION,
#                       SOURCE_FINGERPRINT and RUNTIME_PACKAGES (the packages
#                       of the shared libraries it loads: ldd, then dpkg -S),
#                       plus its checksum file <asset>.sha256 ("HASH  NAME",
#                       as sha256sum writes it); prints the asset's path
#
# Exit: 0 ok, 1 a check failed, 2 bad usage.
set -euo pipefail
shopt -s inherit_errexit
ROOT=$(cd "$(dirname "$0")/../.." && pwd)

say() { echo "release.sh: $*" >&2; }
die() { say "error: $1"; exit "${2:-2}"; }

version() { sed -n 's/^VERSION *= *\([0-9][0-9.]*\) *$/\1/p' "$ROOT/Makefile" | head -n 1; }

platform() {
	local id ver
	# shellcheck disable=SC1091
	id=$(. /etc/os-release && echo "${ID:-linux}")
	# shellcheck disable=SC1091
	ver=$(. /etc/os-release && echo "${VERSION_ID:-0}")
	echo "$id-$ver-$(uname -m)"
}

# the inputs of `make all` (sources, templates, the Makefile, the embedder)
FP_PATHS="Makefile benchkeep.c lib collector sitegen templates tools/embed.sh"
fingerprint() {
	local dir=${1:-.} p
	(
		cd "$dir"
		for p in $FP_PATHS; do
			[ -e "$p" ] || { echo "release.sh: error: '$dir' has no '$p'" >&2; exit 1; }
		done
		# shellcheck disable=SC2086 # FP_PATHS is a list of names
		find $FP_PATHS -type f ! -name '.*' -print0 | LC_ALL=C sort -z | xargs -0 sha256sum
	) | sha256sum | cut -d' ' -f1
}

# the Debian/Ubuntu packages that own the shared libraries BIN loads
runtime_packages() {
	local bin=$1 lib real pkg
	ldd "$bin" | grep -q 'not found' && die "$bin: a shared library is missing: $(ldd "$bin" | grep 'not found')" 1
	for lib in $(ldd "$bin" | sed -n 's/.*=> \(\/[^ ]*\) .*/\1/p'); do
		real=$(readlink -f "$lib")
		pkg=""
		for p in "$lib" "$real" "/usr$lib" "/usr$real" "${lib#/usr}" "${real#/usr}"; do
			pkg=$(dpkg -S "$p" 2>/dev/null | head -n 1 | cut -d: -f1) && [ -n "$pkg" ] && break
		done
		[ -n "$pkg" ] || die "no package owns $lib" 1
		echo "$pkg"
	done | LC_ALL=C sort -u
}

package() {
	local out=${1:-} bin=${2:-$ROOT/build/benchkeep} v plat name stage
	[ -n "$out" ] || die "package: an output directory is needed"
	[ -x "$bin" ] || die "package: no binary '$bin' (make builds it)" 1
	v=$(version)
	plat=$(platform)
	"$bin" --version | grep -qF "$v" || die "package: '$bin --version' does not say $v: $("$bin" --version)" 1
	name="benchkeep-$v-$plat"
	mkdir -p "$out"
	out=$(cd "$out" && pwd)
	stage=$(mktemp -d)
	mkdir "$stage/$name"
	cp "$bin" "$stage/$name/benchkeep"
	strip --strip-debug "$stage/$name/benchkeep" 2>/dev/null || true
	echo "$v" >"$stage/$name/VERSION"
	fingerprint "$ROOT" >"$stage/$name/SOURCE_FINGERPRINT"
	runtime_packages "$bin" >"$stage/$name/RUNTIME_PACKAGES"
	tar -C "$stage" --owner=0 --group=0 --numeric-owner -czf "$out/$name.tar.gz" "$name"
	rm -rf "$stage"
	(cd "$out" && sha256sum "$name.tar.gz" >"$name.tar.gz.sha256")
	say "packed $out/$name.tar.gz (runtime packages: $(tar -xzOf "$out/$name.tar.gz" "$name/RUNTIME_PACKAGES" | tr '\n' ' '))"
	echo "$out/$name.tar.gz"
}

major_tag() {
	local tag=$1 major newest
	[[ $tag =~ ^v([0-9]+)\.[0-9]+\.[0-9]+$ ]] || die "major-tag: '$tag' is not vX.Y.Z" 1
	major="v${BASH_REMATCH[1]}"
	newest=$(git tag -l "$major.*.*" | grep -E "^$major\.[0-9]+\.[0-9]+$" | sort -V | tail -n 1)
	if [ "$newest" = "$tag" ]; then
		echo "$major"
	else
		say "$tag is not the newest $major release ($newest is): $major stays"
	fi
}

step=${1:-}
[ $# -gt 0 ] && shift
case "$step" in
version) version ;;
check-tag)
	[ -n "${1:-}" ] || die "check-tag: a tag is needed"
	[ "$1" = "v$(version)" ] || die "tag '$1' is not v$(version), the version the Makefile builds" 1
	;;
major-tag) major_tag "${1:-}" ;;
platform) platform ;;
fingerprint) fingerprint "${1:-.}" ;;
package) package "${1:-}" "${2:-}" ;;
*) die "usage: tools/ci/release.sh version|check-tag TAG|major-tag TAG|platform|fingerprint [DIR]|package OUT [BIN]" ;;
esac
