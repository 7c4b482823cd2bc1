#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests of the model servers' message handling as work from their CPU (server_work.py,
compare.py `--server-work-from cpu`), on hand-made numbers and records (smoke.sh runs them).
  .venv/bin/python -m unittest test_server_work
"""
import contextlib
import io
import json
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import calibration_runs                                             # noqa: E402
import front_work                                                   # noqa: E402
import server_work                                                  # noqa: E402
import test_testbed                                                 # noqa: E402
from testbed import wire                                            # noqa: E402
from testbed.servers import CONFIGS                                 # noqa: E402

MS = 1e-3


def call_row(request_id, handler_start_ns, handler_ns, status="ok"):
    """One records row of a call whose handler ran handler_ns from handler_start_ns."""
    values = [request_id, "grpc", "grpc", "10", handler_start_ns - 500_000, handler_start_ns - 10_000,
              handler_start_ns, handler_start_ns + handler_ns, handler_start_ns + handler_ns + 400_000,
              98304, 40, status, 0]
    return dict(zip(wire.RECORD_COLUMNS + wire.EXTRA_COLUMNS, values))


def write_level(level, records_name, rows, processes):
    """A level folder: its records and a summary.json whose host accounting has `processes`."""
    wire.write_record_rows(os.path.join(level, records_name), rows)
    measurement = {"offered_rps": 10}
    if processes is not None:
        measurement["host_cpu"] = {"processes": processes}
    with open(os.path.join(level, "summary.json"), "w") as f:
        json.dump({"measurement": measurement}, f)


# Handlers of 3.0 and 3.4 ms (mean 3.2 ms) and a failed call whose handler time is not counted.
ROWS = [call_row("1", 10_000_000, 3_000_000), call_row("2", 20_000_000, 3_400_000),
        call_row("3", 30_000_000, 9_000_000, status="error")]


class CpuOutsideHandlerTests(unittest.TestCase):
    def test_the_work_is_the_cpu_per_request_minus_the_mean_handler_time(self):
        # CPU 3.45 ms per request − mean handler 3.2 ms (ok calls only) = 0.25 ms.
        with tempfile.TemporaryDirectory() as level:
            write_level(level, "records.csv", ROWS, {"model-a": {"cpu_ms_per_request": 3.45, "threads_ended": 0}})
            got = server_work.cpu_outside_handler(CONFIGS["grpc"], level, "model-a")
        for name, value in {"cpu": 3.45, "handler": 3.2, "work": 0.25}.items():
            self.assertAlmostEqual(got[name], value * MS, places=12, msg=name)

    def test_a_composite_server_reads_its_own_records(self):
        with tempfile.TemporaryDirectory() as level:
            write_level(level, "records-stage-2.csv", ROWS, {"stage-2": {"cpu_ms_per_request": 3.3}})
            got = server_work.cpu_outside_handler(CONFIGS["pipeline-grpc"], level, "stage-2")
        self.assertAlmostEqual(got["work"], 0.1 * MS, places=12)

    def test_refusals_name_the_file_and_the_reason(self):
        with tempfile.TemporaryDirectory() as level:
            summary = os.path.join(level, "summary.json")
            cases = [(None, "no measurement.host_cpu.processes.model-a"),
                     ({"model-a": {"cpu_ms_per_request": 3.45, "threads_ended": 2}}, "threads_ended = 2"),
                     ({"model-a": {"cpu_ms_per_request": 3.2}}, r"\(3.200 ms\) is not more than its mean handler time "
                                                               r"\(3.200 ms\)")]
            for processes, message in cases:
                write_level(level, "records.csv", ROWS, processes)
                with self.assertRaisesRegex(server_work.ServerWorkError, message) as caught:
                    server_work.cpu_outside_handler(CONFIGS["grpc"], level, "model-a")
                self.assertIn(summary, str(caught.exception))
            write_level(level, "records.csv", [ROWS[2]], {"model-a": {"cpu_ms_per_request": 3.45}})
            with self.assertRaisesRegex(server_work.ServerWorkError, "records.csv: no `ok` call"):
                server_work.cpu_outside_handler(CONFIGS["grpc"], level, "model-a")


class WithServerWorkTests(unittest.TestCase):
    def test_the_work_moves_from_the_overhead_onto_the_worker(self):
        # callOverhead 1 ms, work 0.25 ms: 0.75 ms stays delay, 0.25 ms becomes serverWork;
        # their sum, the low-load overhead, is unchanged.
        self.assertEqual(server_work.with_server_work("{callOverhead: 1ms, codecThroughput: unlimited}", 0.25 * MS),
                         "{callOverhead: 750us, codecThroughput: unlimited, serverWork: 250us}")

    def test_a_lognormal_keeps_its_spread_and_the_reserve_stays_for_the_front(self):
        call = "{callOverhead: {dist: lognormal, shift: 300us, mean: 500us, cv: 0.4}, requestOverhead: 0B}"
        lowered = server_work.with_server_work(call, 0.1 * MS, reserve=0.3 * MS)
        self.assertEqual(lowered, "{callOverhead: {dist: lognormal, shift: 200us, mean: 400us, cv: 0.5}, "
                                  "requestOverhead: 0B, serverWork: 100us}")
        # --front-work then takes its 0.3 ms: the same as taking 0.4 ms at once.
        self.assertEqual(front_work.lowered_call_overhead(lowered, 0.3 * MS),
                         front_work.lowered_call_overhead(call, 0.4 * MS)[:-1] + ", serverWork: 100us}")

    def test_an_overhead_that_cannot_hold_the_work_and_the_reserve_is_refused(self):
        call = "{callOverhead: {dist: lognormal, shift: 300us, mean: 500us, cv: 0.4}}"
        with self.assertRaisesRegex(server_work.ServerWorkError,
                                    r"serverWork 0.250 ms \(of which 0.300 ms the front's\): .* its mean is not more "
                                    r"than 0.550 ms to take out"):
            server_work.with_server_work(call, 0.25 * MS, reserve=0.3 * MS)
        with self.assertRaisesRegex(server_work.ServerWorkError, "already has a serverWork"):
            server_work.with_server_work("{callOverhead: 1ms, serverWork: 10us}", 0.1 * MS)


class CompareChoiceTests(unittest.TestCase):
    def test_cpu_for_the_one_executor_servers_and_receipt_for_the_thread_pool(self):
        chosen = {name: calibration_runs.server_work_estimator(config, from_cpu=True) for name, config in CONFIGS.items()}
        self.assertEqual(chosen, {"rest-async": "cpu", "rest-thread": "receipt", "grpc": "cpu",
                                  "pipeline-rest": "cpu", "pipeline-grpc": "cpu",
                                  "collab-rest": "cpu", "collab-grpc": "cpu"})
        self.assertIsNone(calibration_runs.server_work_estimator(CONFIGS["grpc"], plain=True, from_cpu=True))

    def calibrated(self, cpu_ms):
        """calibrate_model_server(--server-work-from cpu) of a grpc server with the stand-in
        calibrate of test_testbed (callOverhead 1 ms; it refuses busy gaps), the level's CPU
        per request cpu_ms and handlers of mean 3.2 ms; returns (fit, standard error, calls)."""
        with tempfile.TemporaryDirectory() as directory:
            fake = os.path.join(directory, "hybridsim")
            with open(fake, "w") as f:
                f.write(f"#!{sys.executable}\n" + test_testbed.ServerWorkChoiceTests.FAKE_CALIBRATE)
            os.chmod(fake, 0o755)
            level = os.path.join(directory, "u0.10")
            os.makedirs(level)
            write_level(level, "records.csv", ROWS, {"model-a": {"cpu_ms_per_request": cpu_ms}})
            said = io.StringIO()
            with contextlib.redirect_stderr(said):
                fit = calibration_runs.calibrate_model_server(fake, os.path.join(level, "records.csv"), "model-a",
                                                     os.path.join(directory, "cal"), CONFIGS["grpc"],
                                                     cpu_at=level)
            with open(os.path.join(directory, "calls.log")) as f:
                calls = f.read().split()
        return fit, said.getvalue(), calls

    def test_the_cpu_work_replaces_calibrates_server_work(self):
        fit, said, calls = self.calibrated(3.45)
        self.assertEqual(calls, ["none"], "calibrate fits the whole overhead; the work is not counted on top")
        self.assertEqual(fit["call"], "{callOverhead: 750us, serverWork: 250us}")
        self.assertEqual(fit["server_work"], "cpu 0.250 ms")
        self.assertEqual(said, "")

    def test_refused_records_fall_back_to_the_description_without_the_option_and_say_so(self):
        fit, said, calls = self.calibrated(3.1)
        self.assertEqual(calls, ["none", "--server-work-from", "busy-gaps", "--server-work-from", "receipt"])
        self.assertEqual(fit["server_work"], "receipt")
        self.assertIn("grpc: model-a: no serverWork from its CPU; described as without --server-work-from cpu", said)
        self.assertIn("is not more than its mean handler time", said)


if __name__ == "__main__":
    unittest.main()
