#!/usr/bin/env bash
# The evaluation's Linux guest kernel: Debian's linux-image-amd64, fetched with
# `apt-get download` into a cache and unpacked with dpkg-deb.  Never installed
# on the host: only its vmlinuz is used, booted by QEMU in the node's own
# machine configuration (org.azalea.eval.LinuxGuest).  Idempotent.
#
#   scripts/linux-guest.sh            prints KERNEL=<vmlinuz> and VERSION=<version>
#
# Cache: $AZALEA_CACHE, else ~/.cache/azalea (survives `make clean`).
set -euo pipefail
cache=${AZALEA_CACHE:-$HOME/.cache/azalea}/linux
mkdir -p "$cache"

# The metapackage names the current kernel package (linux-image-6.1.0-N-amd64).
pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[0-9].*-amd64\)$/\1/p' | head -1)
if [ -z "$pkg" ]; then
  if [ "$(id -u)" -eq 0 ]; then apt-get update -qq >&2; else sudo apt-get update -qq >&2; fi
  pkg=$(apt-cache depends linux-image-amd64 | sed -n 's/^ *Depends: \(linux-image-[0-9].*-amd64\)$/\1/p' | head -1)
fi
[ -n "$pkg" ] || { echo "linux-guest: apt-cache does not know linux-image-amd64" >&2; exit 1; }
version=${pkg#linux-image-}
kernel=$cache/vmlinuz-$version

if [ ! -s "$kernel" ]; then
  tmp=$(mktemp -d "$cache/dl.XXXXXX"); trap 'rm -rf "$tmp"' EXIT
  echo "linux-guest: downloading $pkg (about 70 MB, once)" >&2
  # apt-get download writes into the working directory; as root it drops to
  # the _apt user, which must be able to write there.
  chmod 0777 "$tmp"
  (cd "$tmp" && apt-get download -q "$pkg" >&2)
  deb=$(ls "$tmp"/*.deb)
  mkdir "$tmp/x"
  dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp/x" "./boot/vmlinuz-$version"
  mv "$tmp/x/boot/vmlinuz-$version" "$kernel.part" && mv "$kernel.part" "$kernel"
  dpkg-deb -f "$deb" Version >"$cache/version-$version"
fi
echo "KERNEL=$kernel"
echo "VERSION=$version ($(cat "$cache/version-$version" 2>/dev/null || echo unknown))"
