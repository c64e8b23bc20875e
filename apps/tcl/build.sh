#!/usr/bin/env bash
# Builds tclsh 8.6 from Debian's source package (bookworm's tcl8.6, Debian's
# patches applied), unmodified, static with musl (no dynamic loading: a
# unikernel has no dlopen), threads enabled as Debian builds it:
#   OUT/tclsh           the interpreter, for the node and the host
#   OUT/src/library/    its script library (TCL_LIBRARY)
#   OUT/src/tests/      its own test suite (tcltest)
#   apps/tcl/build.sh CACHE_DIR OUT_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$1" "$2"
cache=$(cd "$1" && pwd) out=$(cd "$2" && pwd)
src=$out/src

"$here/fetch-source.sh" tcl8.6 "$cache" "$src"

mkdir -p "$out/musl"
cd "$out/musl"
if [ ! -f Makefile ]; then
    CC=musl-gcc CFLAGS=-O2 LDFLAGS=-static nice -n 10 "$src/unix/configure" \
        --disable-shared --disable-load --enable-threads > configure.log 2>&1 \
        || { tail -n 30 configure.log; exit 1; }
fi
nice -n 10 make -j2 tclsh > make.log 2>&1 || { tail -n 30 make.log; exit 1; }
install -m 755 tclsh "$out/tclsh"
