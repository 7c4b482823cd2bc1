#!/usr/bin/env bash
# The README's first command: install what is missing, build, run the M/M/4 example.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/install-deps.sh
swift build -c release --product hybridsim
.build/release/hybridsim run "${1:-scenarios/mmc-example.yaml}" "${@:2}"
