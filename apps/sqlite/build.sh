#!/usr/bin/env bash
# apps/sqlite/build.sh -- the sqlite3 shell, built statically with musl from
# Debian's own source package (apt-get source sqlite3: upstream's tree plus
# Debian's patches), unmodified: the amalgamation is generated from that tree
# by its own Makefile (needs tclsh), then sqlite3.c and shell.c are compiled.
#
#   apps/sqlite/build.sh BUILD_DIR     -> BUILD_DIR/apps/sqlite/sqlite3
#
# Downloads are cached under BUILD_DIR/apps/sqlite/src; a second run only
# relinks if needed.  Adds a deb-src entry for the running Debian release if
# apt has none, and installs tclsh if missing (both need root, as apt does).
set -euo pipefail

BUILD=${1:-build}
OUT=$BUILD/apps/sqlite
SRC=$OUT/src
mkdir -p "$SRC"
OUT=$(cd "$OUT" && pwd)
SRC=$OUT/src

have_deb_src() {
    grep -rqs '^Types:.*deb-src\|^deb-src ' /etc/apt/sources.list /etc/apt/sources.list.d/
}

if ! ls "$SRC"/sqlite3_*.dsc >/dev/null 2>&1; then
    if ! have_deb_src; then
        . /etc/os-release
        cat >/etc/apt/sources.list.d/azalea-deb-src.sources <<SRC
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: $VERSION_CODENAME $VERSION_CODENAME-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
        apt-get update -qq
    fi
    if ! apt-cache showsrc sqlite3 >/dev/null 2>&1 || [ -z "$(apt-cache showsrc sqlite3 2>/dev/null)" ]; then
        apt-get update -qq
    fi
    (cd "$SRC" && apt-get source --download-only -qq sqlite3)
fi
command -v tclsh >/dev/null || apt-get install -y -qq tcl >/dev/null

DSC=$(ls "$SRC"/sqlite3_*.dsc | head -n 1)
TREE=$SRC/tree
if [ ! -f "$TREE/.extracted" ]; then
    rm -rf "$TREE"
    dpkg-source --no-check -x "$DSC" "$TREE" >/dev/null
    touch "$TREE/.extracted"
fi

# The amalgamation, by upstream's Makefile with the host compiler (its tools run here).
if [ ! -f "$TREE/bld/sqlite3.c" ]; then
    mkdir -p "$TREE/bld"
    (cd "$TREE/bld" && ../configure --disable-tcl --disable-readline >/dev/null && make -s sqlite3.c shell.c >/dev/null)
fi

# The shell, static with musl; no loadable extensions (nothing to dlopen in a static program).
if [ ! -x "$OUT/sqlite3" ] || [ "$TREE/bld/sqlite3.c" -nt "$OUT/sqlite3" ] || [ "$0" -nt "$OUT/sqlite3" ]; then
    musl-gcc -static -O2 -DSQLITE_THREADSAFE=1 -DSQLITE_OMIT_LOAD_EXTENSION -DSQLITE_ENABLE_EXPLAIN_COMMENTS \
        -I"$TREE/bld" -o "$OUT/sqlite3.tmp" "$TREE/bld/shell.c" "$TREE/bld/sqlite3.c" -lpthread -lm
    mv "$OUT/sqlite3.tmp" "$OUT/sqlite3"
fi
echo "sqlite: $OUT/sqlite3 ($(cd "$TREE" && dpkg-parsechangelog -S Version 2>/dev/null || basename "$DSC"))"
