#!/usr/bin/env bash
# stub_test.sh BIN_DIR -- the stub end to end without the JVM: its workloads
# through c-proxy (a minimal C proxy) must print exactly the transcript the
# same workload prints with --direct, its bench modes must print their JSON,
# and bad usage must fail cleanly.  Prints "N passed, N failed"; exits
# non-zero on any failure.
set -u
bin=$(cd "$1" && pwd)
tmp=$(mktemp -d)
shm=/dev/shm/azalea-stub-test-$$
base=100000000
off=10000
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  rm -rf "$tmp" "$shm"
}
trap cleanup EXIT

passed=0
failed=0
check() { # check NAME COMMAND...
  local name=$1; shift
  if "$@" >"$tmp/check.log" 2>&1; then
    passed=$((passed + 1)); echo "ok   $name"
  else
    failed=$((failed + 1)); echo "FAIL $name"; grep -E 'UNEXPECTED|check-failed' "$tmp/check.log" | head -20 | sed 's/^/  /'; tail -25 "$tmp/check.log" | sed 's/^/  /'
  fi
}

wait_line() { # wait_line FILE PATTERN: up to 10 s
  for _ in $(seq 100); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  echo "timed out waiting for '$2' in $1" >&2; return 1
}

mkdir -p "$tmp/root" "$tmp/direct"
"$bin/c-proxy" --shm "$shm" --size 16777216 --gpa-base $base --region-offset $off \
  --channels 4 --entries 64 --root "$tmp/root" >"$tmp/proxy.out" &
pids+=($!)
"$bin/echo-server" >"$tmp/echo.out" &
pids+=($!)
wait_line "$tmp/proxy.out" '^ready' && wait_line "$tmp/echo.out" '^port ' || { echo "0 passed, 1 failed"; exit 1; }
port=$(sed -n 's/^port //p' "$tmp/echo.out")
stub=("$bin/azalea-stub" --shm "$shm" --gpa-base $base --region-offset $off)

same_transcript() { # same_transcript MODE [ARGS]
  timeout 60 "${stub[@]}" "$@" >"$tmp/offload.txt" || { echo "offload run failed: $?"; cat "$tmp/offload.txt"; return 1; }
  (cd "$tmp/direct" && timeout 60 "$bin/azalea-stub" --direct "$@") >"$tmp/direct.txt" \
    || { echo "direct run failed"; cat "$tmp/direct.txt"; return 1; }
  grep -q '^done failures=0$' "$tmp/offload.txt" || return 1
  diff -u "$tmp/direct.txt" "$tmp/offload.txt"
}

json_has() { # json_has KEY... < one line of JSON
  local line; line=$(cat)
  python3 -c 'import json,sys; d=json.loads(sys.argv[1]); missing=[k for k in sys.argv[2:] if not isinstance(d.get(k),(int,float)) or d[k]<=0]; print(d); sys.exit(1 if missing else 0)' "$line" "$@"
}

check "files: offload transcript = direct transcript" same_transcript files
check "files: root left clean" test -z "$(ls -A "$tmp/root")"
check "sockets: offload transcript = direct transcript" same_transcript sockets "$port"
check "files again on the same region (channel reuse)" same_transcript files
on_channel_3() {
  timeout 60 "${stub[@]}" --channel 3 files >"$tmp/ch3.txt" && tail -1 "$tmp/ch3.txt" | grep -qx 'done failures=0'
}
bench_json() { # bench_json "KEYS" STUB-ARGS...: runs a bench mode, checks its one JSON line
  local keys=$1; shift
  timeout 120 "${stub[@]}" --warmup 1000 "$@" >"$tmp/bench.json" || return 1
  cat "$tmp/bench.json"
  [ "$(wc -l <"$tmp/bench.json")" -eq 1 ] && json_has $keys <"$tmp/bench.json"
}
exits_2_saying() { # exits_2_saying TEXT ARGS...
  local text=$1; shift
  "$bin/azalea-stub" "$@" >/dev/null 2>"$tmp/err.txt"
  local rc=$?
  cat "$tmp/err.txt"
  [ $rc -eq 2 ] && grep -q "$text" "$tmp/err.txt"
}
check "files on channel 3" on_channel_3
check "bench-null JSON" bench_json "offload_null_rtt_p50_ns offload_null_rtt_p99_ns samples" bench-null 20000
head -c 8192 /dev/urandom >"$tmp/root/page"
check "bench-pread JSON" bench_json "offload_pread4k_p50_ns offload_pread4k_p99_ns" bench-pread 20000 page
check "bench-throughput JSON, 1 thread" bench_json "offload_null_ops_per_s_1 threads" bench-throughput 200000
check "bench-throughput JSON, 2 threads" bench_json "offload_null_ops_per_s_n threads" --channel 1 --threads 2 bench-throughput 200000
check "no MODE exits 2" exits_2_saying "no MODE" --direct
check "unknown MODE exits 2" exits_2_saying "unknown MODE" --direct dance
check "missing --shm exits 2" exits_2_saying "required" files
check "wrong GPA base exits 2 with a reason" exits_2_saying "region says it is at GPA" --shm "$shm" --gpa-base 200000000 --region-offset $off files
check "no region at the offset exits 2" exits_2_saying "bad magic" --shm "$shm" --gpa-base $base --region-offset 0 files
check "no such channel exits 2" exits_2_saying "no such channel" --shm "$shm" --gpa-base $base --region-offset $off --channel 4 files
check "too many threads for the channels fails" bash -c "! timeout 30 ${stub[*]} --channel 2 --threads 3 bench-throughput 10"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
