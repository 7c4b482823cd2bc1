#!/usr/bin/env bash
# The README's second command: install what is missing, build once (with the tests), run
# every test from that build, check the source document's scenarios against their
# baselines (docs/reporting.md) and run the validation testbed's smoke test (docs/validation.md).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/install-deps.sh --for-tests
swift build --build-tests
# The Slurm integration test (a real single-node Slurm: about 6 s once slurm-wlm is installed, 30 s with the install;
# needs root): in CI, or when asked. It and the baseline check run before the unit tests so that the test runner's
# summary stays the last thing printed.
if [ "${CI:-}" = true ] || [ "${HYBRIDSIM_SLURM_TEST:-}" = 1 ]; then
    HYBRIDSIM="$(swift build --show-bin-path)/hybridsim" scripts/slurm/test-single-node.sh
fi
scripts/check-baselines.sh
# The validation testbed's smoke test (docs/validation.md, "Testbed"): real FastAPI and gRPC servers, a few hundred
# requests, then calibrate, check and report on them. About 10 s, plus the venv (about 15-20 s) and the models' training
# (about 20 s) the first time on a machine. It fails, never skips, when the testbed cannot run.
validation/testbed/smoke.sh "$(swift build --show-bin-path)/hybridsim"
swift test --skip-build --disable-swift-testing
