#!/usr/bin/env bash
# Submits a hybridsim sweep to Slurm as a job array of TASKS shards and a final merge job that
# runs once every shard succeeded (docs/sweeps.md).
#
#   scripts/slurm/sweep-array.sh SCENARIO OUT [TASKS]
#
# Task I runs `hybridsim sweep SCENARIO --shard I/TASKS --out OUT/shard-I`; the merge job
# writes OUT/sweep.sqlite and OUT/sweep.csv, identical to an unsharded `hybridsim sweep`.
# Slurm adds about a second per task, so give each task a substantial share of the points
# (tens of seconds of work or more): TASKS defaults to 4. Prints the array and merge job ids.
#
# Environment: HYBRIDSIM (the binary; default: `hybridsim` on PATH), CPUS_PER_TASK (threads
# per shard, default 1), SBATCH_ARGS (extra sbatch options, e.g. "--partition=long").
# OUT must be on a file system the compute nodes share. A shard that is rerun resumes.
set -euo pipefail
if [ $# -lt 2 ] || [ $# -gt 3 ]; then
    echo "usage: $0 SCENARIO OUT [TASKS]" >&2
    exit 2
fi
scenario=$(realpath "$1")
out=$(realpath -m "$2")
tasks=${3:-4}
bin=${HYBRIDSIM:-$(command -v hybridsim || true)}
cpus=${CPUS_PER_TASK:-1}
if [ -z "$bin" ] || [ ! -x "$bin" ]; then
    echo "error: hybridsim not found: set HYBRIDSIM=/path/to/hybridsim" >&2
    exit 2
fi
bin=$(realpath "$bin")
if ! [[ "$tasks" =~ ^[1-9][0-9]*$ ]]; then
    echo "error: TASKS must be a positive integer, got '$tasks'" >&2
    exit 2
fi
# Check the scenario here, not in every task.
"$bin" validate "$scenario" >/dev/null
mkdir -p "$out/logs"
# shellcheck disable=SC2086  # SBATCH_ARGS is a list of options
array=$(sbatch --parsable ${SBATCH_ARGS:-} --job-name=hybridsim-sweep --array="0-$((tasks - 1))" \
    --cpus-per-task="$cpus" -o "$out/logs/shard-%a.txt" \
    --wrap "'$bin' sweep '$scenario' --shard \$SLURM_ARRAY_TASK_ID/$tasks --out '$out/shard-'\$SLURM_ARRAY_TASK_ID --jobs $cpus --quiet")
shards=()
for ((i = 0; i < tasks; i++)); do shards+=("'$out/shard-$i'"); done
# shellcheck disable=SC2086
merge=$(sbatch --parsable ${SBATCH_ARGS:-} --job-name=hybridsim-merge --dependency="afterok:$array" --kill-on-invalid-dep=yes \
    -o "$out/logs/merge.txt" --wrap "'$bin' merge ${shards[*]} --out '$out'")
echo "array job $array ($tasks shards), merge job $merge; results in $out/sweep.csv"
