#!/bin/bash
# run.sh -- runs every test image on a freshly booted node with the
# development harness (build/kernel/aznode) and checks each one's exit
# status and success marker.  The Java test suite will do the same through
# the node driver; this is for working on the kernel without it.
#
#   test-images/run.sh [NAME...]      (default: all)
# Needs: make build/kernel/azalea-kernel.elf build/kernel/aznode test-images
#        build/native/c-proxy (for the tests marked "proxy")
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
aznode=$top/build/kernel/aznode
images=$top/build/test-images
work=$(mktemp -d /tmp/azalea-test-images.XXXXXX)
trap 'rm -rf "$work"' EXIT

# name | arguments | expected status | expected in output | mode (serial|proxy|stop) | cores (1)
tests=(
    "hello||0|AZALEA-TEST-PASS hello|serial"
    "hello-pie||0|AZALEA-TEST-PASS hello|serial"
    "args|ONE TWO|0|AZALEA-TEST-PASS args|serial"
    "args-pie|ONE TWO|0|AZALEA-TEST-PASS args|serial"
    "memory||0|AZALEA-TEST-PASS memory|serial"
    "memory-pie||0|AZALEA-TEST-PASS memory|serial"
    "time||0|AZALEA-TEST-PASS time|serial"
    "sysinfo||0|AZALEA-TEST-PASS sysinfo|serial"
    "sysinfo-pie||0|AZALEA-TEST-PASS sysinfo|serial"
    "exitcode|7|7|AZALEA-TEST-PASS exitcode|serial"
    "crash||1|FAULTED vector 14 rip|serial"
    "spin||1|KILLED (stopped by the host)|stop"
    "spin-cli|cli|1|KILLED (stopped by the host)|stop"
    "hello-proxy||0|AZALEA-TEST-PASS hello|proxy"
    "files||0|AZALEA-TEST-PASS files|proxy"
    "stdin||0|stdin: 18 bytes, 2 lines|proxy"
    "threads|3|0|AZALEA-TEST-PASS threads|serial|4"
    "threads-1core|4|0|AZALEA-TEST-PASS threads|serial|1"
    "threads-proxy|2|0|AZALEA-TEST-PASS threads|proxy|8"
    "futex||0|AZALEA-TEST-PASS futex|serial|4"
    "signals||0|AZALEA-TEST-PASS signals|serial|2"
    "signals-term|term|143|killed by signal 15|serial"
    "glibc||0|AZALEA-TEST-PASS glibc|serial|4"
    "glibc-proxy|files|0|glibc: files ok|proxy|4"
    "azalea_api||0|AZALEA-TEST-PASS azalea_api|serial|4"
    "openmp|400000|0|AZALEA-TEST-PASS openmp|serial|4"
)

pass=0 fail=0
for t in "${tests[@]}"; do
    IFS='|' read -r name args want marker mode cores <<<"$t"
    [ $# -gt 0 ] && [[ " $* " != *" $name "* ]] && continue
    image=${name%-proxy}
    image=${image%-cli}
    image=${image%-1core}
    image=${image%-term}
    opts=(--timeout 30 --log "$work/$name.log" --cores "${cores:-1}")
    case $mode in
    proxy) mkdir -p "$work/root"; opts+=(--proxy --root "$work/root") ;;
    stop) opts+=(--stop-after 500) ;;
    esac
    # shellcheck disable=SC2086
    printf 'line one\nline two\n' | timeout 60 "$aznode" "${opts[@]}" -- "$images/$image" $args >"$work/$name.out" 2>&1
    status=$?
    if [ $status -eq "$want" ] && grep -qF -- "$marker" "$work/$name.out" "$work/$name.log"; then
        echo "PASS $name"
        pass=$((pass + 1))
    else
        echo "FAIL $name (status $status, wanted $want and \"$marker\")"
        sed 's/^/    /' "$work/$name.out" | tail -5
        grep -v "^\[cpu0\]" "$work/$name.log" | sed 's/^/    log: /' | tail -5
        fail=$((fail + 1))
    fi
done
echo "test-images: $pass passed, $fail failed"
[ $fail -eq 0 ]
