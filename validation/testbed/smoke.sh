#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The testbed's smoke test (scripts/test.sh runs it after the build): installs the pinned
# packages into .venv if needed, trains the models if they are missing, then runs the unit
# tests of the testbed's arithmetic (test_testbed.py, test_diagnostics.py, test_slow_periods.py, test_slow_period_node.py, test_front_work.py, test_client_work.py,
# test_loop_and_pool.py, test_server_work.py, test_sleeping_host.py, test_combine_campaigns.py, test_pipeline_gap.py,
# test_overlap_receipt.py, test_wake_up.py, test_overhead_scaling.py) and smoke_test.py. Any failure fails the test with its message; nothing is skipped.
#   validation/testbed/smoke.sh HYBRIDSIM_BINARY
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
[ $# -eq 1 ] || { echo "usage: validation/testbed/smoke.sh HYBRIDSIM_BINARY" >&2; exit 2; }
[ -x "$1" ] || { echo "testbed smoke test FAILED: $1 is not an executable hybridsim (build first: swift build)" >&2; exit 1; }
bin="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
start=$SECONDS
"$here/install.sh" || { echo "testbed smoke test FAILED: validation/testbed/install.sh could not create the venv" >&2; exit 1; }
echo "testbed: venv ready ($((SECONDS - start)) s)"
cd "$here"
if [ ! -f models/model-a.onnx ] || [ ! -f models/stage-2.onnx ] || [ ! -f models/model-b.onnx ]; then
  .venv/bin/python train_model.py
  echo "testbed: models trained ($((SECONDS - start)) s)"
fi
.venv/bin/python -m unittest -q test_testbed test_diagnostics test_slow_periods test_front_work test_client_work test_loop_and_pool test_server_work test_sleeping_host test_combine_campaigns test_pipeline_gap test_overlap_receipt test_wake_up test_overhead_scaling test_slow_period_node
work="$(mktemp -d "${TMPDIR:-/tmp}/testbed-smoke-XXXXXX")"
.venv/bin/python smoke_test.py "$bin" "$work"
rm -rf "$work"
