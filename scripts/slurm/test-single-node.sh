#!/usr/bin/env bash
# Integration test of scripts/slurm/sweep-array.sh on a real single-node Slurm: installs slurm-wlm and munge when missing, starts
# munged, slurmctld and slurmd in a temporary directory, submits a small sweep as a 3-task
# array plus merge, and checks the merged table equals a local unsharded run byte for byte.
# Everything it started is stopped on exit. Needs root. Measured: 5.5 s with the packages installed, 31 s including their install.
#
#   scripts/slurm/test-single-node.sh            # HYBRIDSIM=/path/to/hybridsim to pick the binary
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
started=$(date +%s%N)
if [ "$(id -u)" != 0 ]; then
    echo "error: the Slurm test starts daemons as root; run it as root" >&2
    exit 1
fi
if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
    echo "installing slurm-wlm and munge"
    apt-get -o DPkg::Lock::Timeout=300 update -qq
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq slurm-wlm munge >/dev/null
fi
bin=${HYBRIDSIM:-$(swift build --show-bin-path)/hybridsim}
[ -x "$bin" ] || { echo "error: $bin not built (swift build)" >&2; exit 1; }
bin=$(realpath "$bin")

dir=$(mktemp -d /tmp/hybridsim-slurm.XXXXXX)
export SLURM_CONF=$dir/slurm.conf
our_munged=0
teardown() {
    for pidfile in "$dir/slurmd.pid" "$dir/slurmctld.pid"; do
        [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
    done
    sleep 0.5
    if [ "$our_munged" = 1 ] && [ -f /run/munge/munged.pid ]; then kill "$(cat /run/munge/munged.pid)" 2>/dev/null || true; fi
    rm -rf "$dir"
}
trap teardown EXIT
mkdir -p "$dir"/{state,spool,sweep}
cat > "$SLURM_CONF" <<CONF
ClusterName=hybridsim-test
SlurmctldHost=localhost
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$dir/jobcomp.txt
SchedulerType=sched/backfill
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
NodeName=localhost NodeHostname=localhost CPUs=$(nproc) RealMemory=1000 State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF

# munged: reuse one that is running, else start ours (stopped on exit).
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
    mkdir -p /run/munge && chown munge:munge /run/munge && chmod 755 /run/munge
    runuser -u munge -- /usr/sbin/munged
    our_munged=1
    munge -n | unmunge >/dev/null
fi
slurmctld -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF" -N localhost
for _ in $(seq 300); do [ "$(sinfo -h -o %T 2>/dev/null)" = idle ] && break; sleep 0.1; done
[ "$(sinfo -h -o %T)" = idle ] || { echo "error: slurmd did not come up; see $dir/slurmd.log" >&2; cat "$dir/slurmctld.log" >&2; exit 1; }

# A 12-point M/M/c sweep, a fraction of a second per point.
scenario=$dir/sweep.yaml
cat > "$scenario" <<'YAML'
name: slurm-test
seed: 11
run: {requests: 2000, warmupRequests: 200, replications: 2}
models:
  m: {serviceTime: {dist: exponential, mean: 1s}}
nodes:
  s: {kind: server, workers: 4}
deployment: {kind: single, model: m, on: s}
workload:
  - {kind: image, arrivals: {process: poisson, rate: 3.2/s}}
sweep:
  grid:
    workload.0.arrivals.rate: {from: 1/s, to: 3.5/s, step: 0.5/s}
    nodes.s.workers: [4, 6]
YAML
submitted=$(HYBRIDSIM=$bin scripts/slurm/sweep-array.sh "$scenario" "$dir/sweep" 3)
echo "$submitted"
ids=$(echo "$submitted" | sed -E 's/array job ([0-9]+).*merge job ([0-9]+).*/\1,\2/')
for _ in $(seq 1200); do [ -z "$(squeue -h -j "$ids" 2>/dev/null)" ] && break; sleep 0.2; done
"$bin" sweep "$scenario" --out "$dir/local" --quiet
failed=0
if [ "$(grep -c 'JobState=COMPLETED' "$dir/jobcomp.txt" 2>/dev/null || true)" != 4 ]; then
    echo "FAIL: expected 3 shard tasks and 1 merge COMPLETED:" >&2
    cat "$dir/jobcomp.txt" "$dir"/sweep/logs/* >&2 || true
    failed=1
elif ! cmp "$dir/sweep/sweep.csv" "$dir/local/sweep.csv"; then
    echo "FAIL: the merged table differs from the local run" >&2
    diff "$dir/sweep/sweep.csv" "$dir/local/sweep.csv" >&2 || true
    failed=1
fi
elapsed_ms=$((($(date +%s%N) - started) / 1000000))
if [ "$failed" = 0 ]; then
    echo "ok: Slurm sweep (3 array tasks + merge, $(($(wc -l < "$dir/local/sweep.csv") - 1)) points) equals the local run; $((elapsed_ms / 1000)).$((elapsed_ms % 1000 / 100))s"
fi
exit "$failed"
