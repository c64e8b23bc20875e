#!/usr/bin/env bash
# Fetches a Debian source package into a cache directory and unpacks it once:
#   apps/fetch-source.sh PACKAGE CACHE_DIR OUT_DIR
# The downloaded .dsc/.orig/.debian files stay in CACHE_DIR (so a second run
# needs no network); OUT_DIR receives the unpacked tree with Debian's patches
# applied (dpkg-source -x), as Debian builds it.  Adds a bookworm deb-src entry
# when apt has none, and runs apt-get update only when the package's source is
# unknown to apt: both idempotent.
set -euo pipefail
pkg=$1 cache=$2 out=$3

mkdir -p "$cache"
# dpkg-source unpacks and patches; it is in dpkg-dev, not on every machine.
if ! command -v dpkg-source >/dev/null; then
    apt-get install -y -qq dpkg-dev >/dev/null
fi
dsc=$(ls "$cache"/"${pkg}"_*.dsc 2>/dev/null | head -n 1 || true)
if [ -z "$dsc" ]; then
    if ! apt-cache showsrc "$pkg" 2>/dev/null | grep -q '^Package:'; then
        if ! grep -rqs '^Types:.*deb-src\|^deb-src' /etc/apt/sources.list /etc/apt/sources.list.d/; then
            cat > /etc/apt/sources.list.d/azalea-deb-src.sources <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
        fi
        apt-get update -qq
    fi
    (cd "$cache" && apt-get source --download-only -qq "$pkg")
    dsc=$(ls "$cache"/"${pkg}"_*.dsc | head -n 1)
fi

if [ ! -e "$out/.unpacked" ]; then
    rm -rf "$out"
    mkdir -p "$(dirname "$out")"
    dpkg-source --no-check -x "$dsc" "$out" >/dev/null
    # dpkg-source leaves a copy of the upstream tarball beside the tree.
    if [ "$(cd "$(dirname "$out")" && pwd)" != "$(cd "$cache" && pwd)" ]; then
        rm -f "$(dirname "$out")/${pkg}"_*.orig.tar.*
    fi
    touch "$out/.unpacked"
fi
