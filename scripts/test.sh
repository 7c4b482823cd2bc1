#!/usr/bin/env bash
# The README's second command: install what is missing, build once (with the tests), run
# every test from that build, then check the source document's scenarios against their
# baselines (docs/reporting.md).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/install-deps.sh
swift build --build-tests
swift test --skip-build --disable-swift-testing
scripts/check-baselines.sh
