#!/bin/sh
# Installs the Debian packages benchkeep needs, only those missing.
# Usage: tools/deps.sh [extra packages...]   (idempotent; runs as root or via sudo)
set -eu
PKGS="build-essential pkg-config git libcjson-dev libgit2-dev zlib1g-dev libcmark-gfm-dev
libcmark-gfm-extensions-dev libnats-dev nats-server libcmocka-dev python3 $*"
missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "deps: installing:$missing" >&2
$SUDO apt-get -o DPkg::Lock::Timeout=900 update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends $missing >/dev/null
