#!/usr/bin/env bash
# Regression check of the source document's scenarios against results/baselines/
# (docs/reporting.md). Runs shortened versions (the --set overrides below); the baselines are
# made with exactly these overrides:
#   scripts/check-baselines.sh            # check; JUnit XML in results/check/<name>.xml; exit 1 on a regression
#   scripts/check-baselines.sh --update   # rewrite the baselines after an intended change
# Uses $HYBRIDSIM, else .build/debug/hybridsim (what scripts/test.sh builds), else
# .build/release/hybridsim (what scripts/run-example.sh builds).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bin="${HYBRIDSIM:-.build/debug/hybridsim}"
[ -n "${HYBRIDSIM:-}" ] || [ -x "$bin" ] || bin=.build/release/hybridsim
[ -x "$bin" ] || { echo "build first: swift build (or scripts/run-example.sh)" >&2; exit 1; }
mode=()
[ "${1:-}" = "--update" ] && mode=(--update)
short_requests=(--set run.requests=5000 --set run.warmupRequests=500 --set run.replications=3)
short_video=(--set run.duration=5m --set run.warmup=30s --set run.replications=3)
status=0
check() { # name overrides...
  local name=$1; shift
  local junit=()
  [ ${#mode[@]} -eq 0 ] && junit=(--junit "results/check/$name.xml")
  echo "== $name"
  "$bin" check "scenarios/$name.yaml" --baseline "results/baselines/$name.json" "${junit[@]}" "${mode[@]}" "$@" --jobs 2 \
    || status=$?
}
check image-collaborative "${short_requests[@]}"
check image-distributed "${short_requests[@]}"
check video-retrieval "${short_video[@]}"
exit $status
