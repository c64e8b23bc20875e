#!/usr/bin/env bash
# A real one-host Slurm cluster under a directory of its own, for trying the
# Azalea plugin and for its integration test (SlurmClusterIT):
#
#   deploy/slurm/local-cluster.sh start DIR [PLUGIN.so]   writes DIR/slurm.conf, starts
#                                                          munged, slurmctld and slurmd
#   deploy/slurm/local-cluster.sh stop DIR                 stops what start started
#   deploy/slurm/local-cluster.sh check                    exit 0 if Slurm and munge are installed
#
# then `export SLURM_CONF=DIR/slurm.conf` and use srun, sbatch, squeue, scancel.
# One node: this host's name, CPUs and memory (`slurmd -C`); proctrack/linuxproc,
# task/none, no cgroups, no accounting; every daemon listens on 127.0.0.1 only
# (CommunicationParameters=NoInAddrAny), on free ports; munge's key, socket and
# every log, state and pid file under DIR.  Needs root (slurmd runs jobs as
# their users) and Debian's slurm-wlm and munge (scripts/setup.sh installs them).
set -euo pipefail

die() { echo "local-cluster: $*" >&2; exit 1; }

check() {
  local m=()
  for c in munged mungekey slurmctld slurmd srun sbatch scontrol; do
    command -v "$c" >/dev/null 2>&1 || [ -x "/usr/sbin/$c" ] || m+=("$c")
  done
  [ "${#m[@]}" -eq 0 ] || { echo "missing: ${m[*]} (apt-get install slurm-wlm munge)"; return 1; }
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start() {
  local dir=$1 plugin=${2:-}
  [ "$(id -u)" -eq 0 ] || die "needs root (slurmd starts jobs as their users)"
  check >/dev/null || die "$(check)"
  if [ -n "$plugin" ]; then [ -f "$plugin" ] || die "no plugin at $plugin"; plugin=$(readlink -f "$plugin"); fi
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  # AF_UNIX socket paths must fit in 108 bytes.
  [ "${#dir}" -le 70 ] || die "$dir is too long a path for the daemons' sockets (70 bytes at most)"
  chmod 0755 "$dir"
  mkdir -p "$dir/munge" "$dir/state" "$dir/spool" "$dir/log" "$dir/azalea"
  chmod 0700 "$dir/state" "$dir/spool"
  chmod 0755 "$dir/munge"   # users' srun and sbatch reach munged's socket there
  chmod 0755 "$dir/azalea"

  # munge: its own key and socket.
  [ -f "$dir/munge/munge.key" ] || mungekey --create --keyfile="$dir/munge/munge.key" >/dev/null 2>&1 ||
    { dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none; }
  chmod 0600 "$dir/munge/munge.key"
  munged --force --key-file="$dir/munge/munge.key" --socket="$dir/munge/munge.sock" \
    --pid-file="$dir/munge/munged.pid" --log-file="$dir/log/munged.log" --seed-file="$dir/munge/munged.seed" \
    || die "munged did not start: $(tail -n 3 "$dir/log/munged.log" 2>/dev/null)"

  local host cpus mem ctld_port slurmd_port
  host=$(hostname -s)
  read -r cpus mem < <(slurmd -C | sed -n 's/.*CPUs=\([0-9]*\).*RealMemory=\([0-9]*\).*/\1 \2/p')
  [ -n "$cpus" ] || die "slurmd -C did not say this host's CPUs and memory"
  ctld_port=$(free_port)
  slurmd_port=$(free_port)
  while [ "$slurmd_port" = "$ctld_port" ]; do slurmd_port=$(free_port); done

  cat >"$dir/slurm.conf" <<EOF
# Written by deploy/slurm/local-cluster.sh: a one-host cluster on loopback.
ClusterName=azalea-local
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
CommunicationParameters=NoInAddrAny,NoCtldInAddrAny
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.sock
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SwitchType=switch/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU_Memory
DefMemPerCPU=512
ReturnToService=2
KillWait=5
MinJobAge=30
InactiveLimit=0
PlugStackConfig=$dir/plugstack.conf
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=local Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
  if [ -n "$plugin" ]; then
    echo "required $plugin runtime_base=$dir/azalea" >"$dir/plugstack.conf"
  else
    : >"$dir/plugstack.conf"
  fi
  echo "SLURM_CONF=$dir/slurm.conf" >"$dir/env"

  SLURM_CONF=$dir/slurm.conf setsid slurmctld -D -c -f "$dir/slurm.conf" </dev/null >>"$dir/log/slurmctld.out" 2>&1 &
  echo $! >"$dir/slurmctld.daemon"
  SLURM_CONF=$dir/slurm.conf setsid slurmd -D -f "$dir/slurm.conf" -N "$host" </dev/null >>"$dir/log/slurmd.out" 2>&1 &
  echo $! >"$dir/slurmd.daemon"

  # Ready when the node is idle in the controller's eyes.
  local i state=""
  for i in $(seq 1 120); do
    state=$(SLURM_CONF=$dir/slurm.conf sinfo -h -N -o '%T' 2>/dev/null | head -n 1 || true)
    case $state in idle) echo "local-cluster: up ($host: $cpus CPUs, ${mem}M; SLURM_CONF=$dir/slurm.conf)"; return 0 ;; esac
    for d in slurmctld slurmd; do
      kill -0 "$(cat "$dir/$d.daemon")" 2>/dev/null || { stop "$dir" >/dev/null 2>&1; die "$d exited: $(tail -n 3 "$dir/log/$d.log" "$dir/log/$d.out" 2>/dev/null)"; }
    done
    sleep 0.5
  done
  stop "$dir" >/dev/null 2>&1
  die "the node was not idle after 60 s (state '${state:-none}'; logs in $dir/log)"
}

# Stops a daemon by the pid recorded at start, if it is still that daemon.
stop_pid() {
  local file=$1 name=$2 pid
  [ -f "$file" ] || return 0
  pid=$(cat "$file")
  if [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "$name"; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$file"
}

stop() {
  local dir=$1
  [ -d "$dir" ] || return 0
  dir=$(cd "$dir" && pwd)
  # Jobs first, so their epilogs run while slurmd is there to run them.
  if [ -f "$dir/slurm.conf" ] && [ -f "$dir/slurmctld.daemon" ]; then
    SLURM_CONF=$dir/slurm.conf scancel --quiet --full --user=root 2>/dev/null || true
    SLURM_CONF=$dir/slurm.conf scancel --quiet --state=RUNNING 2>/dev/null || true
    for _ in $(seq 1 60); do
      [ -z "$(SLURM_CONF=$dir/slurm.conf squeue -h -o %i 2>/dev/null)" ] && break
      sleep 0.5
    done
  fi
  stop_pid "$dir/slurmd.daemon" slurmd
  stop_pid "$dir/slurmctld.daemon" slurmctld
  # slurmstepd processes of jobs that never ended (they outlive slurmd).
  for p in $(pgrep -f "slurmstepd" || true); do
    if grep -qs "$dir" "/proc/$p/environ" 2>/dev/null || tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | grep -q "$dir"; then
      kill -KILL "$p" 2>/dev/null || true
    fi
  done
  [ -f "$dir/munge/munged.pid" ] && cp "$dir/munge/munged.pid" "$dir/munged.daemon"
  stop_pid "$dir/munged.daemon" munged
  rm -f "$dir/munge/munge.sock" "$dir/munge/munge.sock.lock"
  echo "local-cluster: stopped"
}

case ${1:-} in
  start) [ $# -ge 2 ] || die "usage: $0 start DIR [PLUGIN.so]"; start "$2" "${3:-}" ;;
  stop) [ $# -eq 2 ] || die "usage: $0 stop DIR"; stop "$2" ;;
  check) check ;;
  *) die "usage: $0 start DIR [PLUGIN.so] | stop DIR | check" ;;
esac
