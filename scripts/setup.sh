#!/usr/bin/env bash
# One setup step for both README commands and CI: install what is missing and
# find a JDK 22+ (the FFM API is final from 22).  Prints `JAVA_HOME=...` on
# its last line so callers can `eval` it.  Idempotent and quiet when all is there.
set -euo pipefail

need_pkgs=()
have() { command -v "$1" >/dev/null 2>&1; }
have qemu-system-x86_64 || need_pkgs+=(qemu-system-x86)
have qemu-x86_64 || need_pkgs+=(qemu-user)   # the benchmarks' user-mode baseline
have musl-gcc || need_pkgs+=(musl-tools)
have nasm || need_pkgs+=(nasm)
have gcc || need_pkgs+=(gcc)
have make || need_pkgs+=(make)
have mvn || need_pkgs+=(maven)
have python3 || need_pkgs+=(python3)
have clang-format || need_pkgs+=(clang-format)   # make format / format-check
[ -f /usr/lib/x86_64-linux-gnu/libc.a ] || need_pkgs+=(libc6-dev)   # the glibc-static test image

if [ "${#need_pkgs[@]}" -gt 0 ]; then
  echo "setup: installing ${need_pkgs[*]}" >&2
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >&2
fi

# The Slurm plugin and its integration test (README "On a cluster"): Debian's
# Slurm, munge and the SPANK header.  Optional: where they cannot be installed
# the plugin is not built and its test is skipped, each saying so.
# AZALEA_SKIP_SLURM=1 leaves them out.
slurm_pkgs=()
if [ "${AZALEA_SKIP_SLURM:-0}" != 1 ]; then
  { [ -x /usr/sbin/slurmctld ] && [ -x /usr/sbin/slurmd ] && have srun; } || slurm_pkgs+=(slurm-wlm)
  [ -x /usr/sbin/munged ] || slurm_pkgs+=(munge)
  [ -f /usr/include/slurm/spank.h ] || slurm_pkgs+=(libslurm-dev)
fi
if [ "${#slurm_pkgs[@]}" -gt 0 ]; then
  echo "setup: installing ${slurm_pkgs[*]} (for the Slurm plugin; AZALEA_SKIP_SLURM=1 skips)" >&2
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  if ! { [ "${#need_pkgs[@]}" -gt 0 ] || $SUDO apt-get update -qq >&2; } ||
     ! DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${slurm_pkgs[@]}" >&2; then
    echo "setup: could not install ${slurm_pkgs[*]}: the Slurm plugin is not built and its test is skipped" >&2
  fi
fi

java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }

find_jdk() {
  local c
  for c in "${AZALEA_JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 "${JAVA_HOME:-}" /usr/lib/jvm/*; do
    [ -n "$c" ] && [ -x "$c/bin/javac" ] || continue
    local v; v=$(java_major "$c")
    if [ -n "$v" ] && [ "${v%%.*}" -ge 22 ]; then echo "$c"; return 0; fi
  done
  return 1
}

if ! jdk=$(find_jdk); then
  echo "setup: no JDK 22 or newer found (looked at \$AZALEA_JAVA_HOME, /usr/lib/jvm/temurin-25-jdk-amd64, \$JAVA_HOME, /usr/lib/jvm/*)." >&2
  echo "setup: Azalea's full-weight kernel needs the FFM API; install a JDK 22+ and set AZALEA_JAVA_HOME." >&2
  exit 1
fi
echo "JAVA_HOME=$jdk"
