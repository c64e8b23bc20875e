#!/usr/bin/env bash
# apps/sqlite/build.sh -- the sqlite3 shell, built statically with musl from
# Debian's own source package (apt-get source sqlite3: upstream's tree plus
# Debian's patches), unmodified: the amalgamation is generated from that tree
# by its own Makefile (needs tclsh), then sqlite3.c and shell.c are compiled.
#
#   apps/sqlite/build.sh BUILD_DIR     -> BUILD_DIR/apps/sqlite/sqlite3
#
# Downloads are cached under BUILD_DIR/apps/sqlite/src; a second run only
# relinks if needed.  apps/fetch-source.sh adds a deb-src entry if apt has
# none; tclsh is installed if missing (both need root, as apt does).
set -euo pipefail

BUILD=${1:-build}
OUT=$BUILD/apps/sqlite
SRC=$OUT/src
mkdir -p "$SRC"
OUT=$(cd "$OUT" && pwd)
SRC=$OUT/src

# Debian's source package, fetched and unpacked once (cached under SRC).
"$(dirname "$0")/../fetch-source.sh" sqlite3 "$SRC" "$SRC/tree"
command -v tclsh >/dev/null || apt-get install -y -qq tcl >/dev/null

TREE=$SRC/tree

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
echo "sqlite: $OUT/sqlite3 ($(cd "$TREE" && dpkg-parsechangelog -S Version 2>/dev/null))"
