#!/bin/bash
# run-node.sh -- boots the node kernel under QEMU, prints its serial log
# with milliseconds since QEMU was started, and stops QEMU once the node
# says it is ready (or after --timeout).  A development tool: the Java node
# driver launches QEMU itself, with the same command line (see README.md).
#
#   native/kernel/run-node.sh [--smp N] [--nodes K] [--mem-per-node MiB]
#                             [--bios qboot|seabios] [--accel tcg|kvm]
#                             [--timeout SECONDS] [--stay]
#   --stay: keep running after "node ready" until --timeout (to watch it idle).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
kernel=$top/build/kernel/azalea-kernel.elf
smp=72 nodes=4 mem=512 bios=qboot accel=tcg timeout=30 stay=0
while [ $# -gt 0 ]; do
    case $1 in
    --smp) smp=$2; shift 2 ;;
    --nodes) nodes=$2; shift 2 ;;
    --mem-per-node) mem=$2; shift 2 ;;
    --bios) bios=$2; shift 2 ;;
    --accel) accel=$2; shift 2 ;;
    --timeout) timeout=$2; shift 2 ;;
    --stay) stay=1; shift ;;
    *) echo "run-node.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
[ -f "$kernel" ] || { echo "run-node.sh: $kernel missing (make $kernel)" >&2; exit 1; }
[ $((smp % nodes)) -eq 0 ] || { echo "run-node.sh: --smp must be a multiple of --nodes" >&2; exit 2; }

tag=azalea-run-$$
args=(-M pc -accel "$( [ "$accel" = tcg ] && echo tcg,thread=multi,tb-size=64 || echo kvm)" -cpu max
      -smp "$smp" -m $((mem * nodes))M -nodefaults -no-user-config -display none
      -serial stdio -monitor none -no-reboot
      -kernel "$kernel" -append "azalea.nonce=$$")
[ "$bios" = qboot ] && args+=(-bios /usr/share/qemu/qboot.rom)
per=$((smp / nodes))
for ((i = 0; i < nodes; i++)); do
    args+=(-object "memory-backend-file,id=m$i,size=${mem}M,share=on,mem-path=/dev/shm/$tag-node$i"
           -numa "node,nodeid=$i,cpus=$((i * per))-$((i * per + per - 1)),memdev=m$i")
done

fifo=$(mktemp -u /tmp/$tag.XXXX)
mkfifo "$fifo"
qpid=
cleanup() {
    [ -n "$qpid" ] && kill "$qpid" 2>/dev/null && wait "$qpid" 2>/dev/null || true
    rm -f "$fifo" /dev/shm/$tag-node*
}
trap cleanup EXIT INT TERM

echo "qemu-system-x86_64 ${args[*]}"
start=$EPOCHREALTIME
qemu-system-x86_64 "${args[@]}" >"$fifo" 2>&1 &
qpid=$!
deadline=$(( ${start%.*} + timeout ))
status=1
while IFS= read -r -t "$timeout" line; do
    now=$EPOCHREALTIME
    ms=$(( (${now/./} - ${start/./}) / 1000 ))
    printf '%7d ms  %s\n' "$ms" "${line%$'\r'}"
    if [[ $line == *"node ready"* ]]; then
        echo "run-node.sh: QEMU start -> node ready: $ms ms"
        status=0
        [ $stay = 1 ] || break
    fi
    [[ $line == *PANIC* ]] && { status=1; break; }
    [ "${now%.*}" -ge "$deadline" ] && break
done <"$fifo"
exit $status
