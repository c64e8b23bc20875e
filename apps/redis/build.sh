#!/usr/bin/env bash
# Builds Redis from Debian's source package (bookworm's redis, Debian's
# patches applied), unmodified:
#   OUT/redis-server      static (musl-gcc -static), for the node and the host
#   OUT/redis-benchmark   native (dynamic, host libc): the host-side client
#   OUT/redis-cli         native
# libc malloc (no jemalloc), no TLS, no systemd.  Two build trees under OUT,
# because Redis builds in its source tree.
#   apps/redis/build.sh CACHE_DIR OUT_DIR
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$1" "$2"
cache=$(cd "$1" && pwd) out=$(cd "$2" && pwd)
src=$out/src

"$here/fetch-source.sh" redis "$cache" "$src"

# Redis stamps its binaries with the git commit of the tree it finds itself
# in (src/mkreleasehdr.sh); ours is Azalea's, not Redis's: no git for it.
export GIT_DIR=/nonexistent GIT_CEILING_DIRECTORIES=$out
common=(MALLOC=libc BUILD_TLS=no USE_SYSTEMD=no OPTIMIZATION=-O2 V=)
jobs=(-j2)

for variant in musl host; do
    if [ ! -d "$out/$variant" ]; then
        cp -a "$src" "$out/$variant.tmp"
        mv "$out/$variant.tmp" "$out/$variant"
    fi
done

: > "$out/host.log"
nice -n 10 make -s "${jobs[@]}" -C "$out/musl" "${common[@]}" CC=musl-gcc LDFLAGS=-static redis-server \
    > "$out/musl.log" 2>&1 || { tail -n 30 "$out/musl.log"; exit 1; }
# One target per make: Redis's top Makefile runs a sub-make of src/ for each
# goal, and two at once race on its deps (redis-benchmark linked before
# hdr_histogram was built, seen under -j2).
for tool in redis-benchmark redis-cli; do
    nice -n 10 make -s "${jobs[@]}" -C "$out/host" "${common[@]}" "$tool" \
        >> "$out/host.log" 2>&1 || { tail -n 30 "$out/host.log"; exit 1; }
done

install -m 755 "$out/musl/src/redis-server" "$out/redis-server"
install -m 755 "$out/host/src/redis-benchmark" "$out/host/src/redis-cli" "$out/"
