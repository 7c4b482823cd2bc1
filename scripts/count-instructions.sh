#!/usr/bin/env bash
# Instructions per request of the reference scenarios (docs/performance.md), the deterministic
# speed guide on a noisy machine: cachegrind on a copy of the release `hybridsim-bench` without
# debug info, N=200000 WARMUP=10000, start-up included (so small scenarios carry a little
# start-up per request).
#   scripts/count-instructions.sh                 # mmc tandem10 forkjoin3 forkjoin3d image-collaborative
#   scripts/count-instructions.sh mmc forkjoin3   # just these
# Builds the release binary first. Prints "name instructions/request" lines.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
command -v valgrind >/dev/null || { echo "needs valgrind (apt-get install valgrind)" >&2; exit 1; }
swift build -c release --product hybridsim-bench >/dev/null
scenarios=("$@")
[ ${#scenarios[@]} -gt 0 ] || scenarios=(mmc tandem10 forkjoin3 forkjoin3d image-collaborative)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cp "$(swift build -c release --show-bin-path)/hybridsim-bench" "$work/bench"
strip --strip-debug "$work/bench" 2>/dev/null || true
n=${N:-200000}; warmup=${WARMUP:-10000}
for s in "${scenarios[@]}"; do
  arg=$s
  [ -f "scenarios/bench/$s.yaml" ] || [ ! -f "scenarios/$s.yaml" ] || arg="scenarios/$s.yaml"
  N=$n WARMUP=$warmup valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file="$work/cg.out" \
    "$work/bench" "$arg" >"$work/stdout" 2>"$work/stderr" || { cat "$work/stderr" >&2; exit 1; }
  total=$(grep -E '^summary:' "$work/cg.out" | awk '{print $2}')
  awk -v s="$s" -v t="$total" -v n="$n" -v w="$warmup" 'BEGIN { printf "%-20s %8.0f\n", s, t / (n + w) }'
done
