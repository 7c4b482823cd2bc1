#!/usr/bin/env bash
# Behaviour-preservation check for refactors: builds BASE (a commit, default HEAD~1) and the
# working tree, runs every shipped scenario (shortened, fixed seed), a sweep and a plan with both,
# and compares byte for byte every file they write: summary.json and manifest.json (wall-clock and
# build fields masked), scenario.resolved.json, sweep.csv, plan.json, pareto.csv, trace.csv and
# timeline.csv.
#   scripts/compare-outputs.sh [BASE]
#   BASE_BIN=/path/to/hybridsim scripts/compare-outputs.sh   # reuse a release binary of BASE
# Exit 0 when every file is identical, 1 with the differing files listed otherwise.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
base=${1:-HEAD~1}
work=$(mktemp -d /tmp/compare-outputs.XXXXXX)
trap 'git worktree remove --force "$work/base-src" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
if [ -n "${BASE_BIN:-}" ]; then
  old=$BASE_BIN
else
  git worktree add --detach "$work/base-src" "$base" >/dev/null 2>&1
  echo "building $base ..." >&2
  (cd "$work/base-src" && swift build -c release --product hybridsim >/dev/null)
  old="$work/base-src/.build/release/hybridsim"
fi
echo "building the working tree ..." >&2
swift build -c release --product hybridsim >/dev/null
new="$(swift build -c release --show-bin-path)/hybridsim"
short=(--seed 7 --set run.replications=2)
run_all() { # binary outdir
  local bin=$1 out=$2 f name
  mkdir -p "$out"
  for f in scenarios/*.yaml scenarios/bench/mmc.yaml scenarios/bench/forkjoin3d.yaml scenarios/bench/tandem10.yaml \
           scenarios/devices/*.yaml; do
    name=$(basename "$f" .yaml)
    case $name in plan-example|sweep-example) continue ;; esac
    local extra=(--set run.requests=3000 --set run.warmupRequests=300)
    grep -q 'duration:' "$f" && ! grep -q 'requests:' "$f" && extra=(--set run.duration=2m --set run.warmup=10s)
    "$bin" run "$f" --out "$out/$name" --quiet --trace "${short[@]}" "${extra[@]}" >/dev/null 2>"$out/$name.err" || echo "exit $? $name" >>"$out/exits"
  done
  "$bin" sweep scenarios/sweep-example.yaml --out "$out/sweep" --quiet --jobs 2 >/dev/null 2>"$out/sweep.err" || echo "exit $? sweep" >>"$out/exits"
  "$bin" plan scenarios/plan-example.yaml --out "$out/plan" --quiet --jobs 2 >/dev/null 2>"$out/plan.err" || echo "exit $? plan" >>"$out/exits"
  # wall-clock and build fields are not behaviour: their values are masked in place, so that
  # everything else (key order, number formatting, whitespace) is still compared byte for byte
  find "$out" -name summary.json -o -name plan.json -o -name manifest.json | while read -r j; do
    sed -E -i 's/^( *"(wall_s|events_per_s|git_commit|hybridsim_version)": ).*[^,](,?)$/\1MASKED\3/' "$j"
  done
  rm -f "$out"/*/sweep.sqlite* "$out"/*/.hybridsim.lock
}
# both write into the same path (file contents name their folder), then move aside
run_all "$old" "$work/out" && mv "$work/out" "$work/old"
run_all "$new" "$work/out" && mv "$work/out" "$work/new"
if diff -r "$work/old" "$work/new" >"$work/diff.txt"; then
  echo "identical: $(find "$work/new" -type f | wc -l) files ($(find "$work/new" -name summary.json | wc -l) summary.json," \
    "$(find "$work/new" -name scenario.resolved.json | wc -l) scenario.resolved.json, $(find "$work/new" -name plan.json | wc -l) plan.json)"
else
  head -60 "$work/diff.txt"; echo "DIFFERENT (see above)"; exit 1
fi
