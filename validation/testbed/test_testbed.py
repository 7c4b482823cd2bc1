#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests of the testbed's own arithmetic (smoke.sh runs them before the smoke test).
  .venv/bin/python -m unittest test_testbed
"""
import contextlib
import io
import math
import os
import statistics
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import compare                                                      # noqa: E402
from testbed import loadgen, wire                                   # noqa: E402
from testbed.clients import CallResult, parse_target                # noqa: E402
from testbed.servers import CONFIGS                                 # noqa: E402
from testbed.summary import (batch_means_ci95, busy_fraction, log_histogram,  # noqa: E402
                             measured_summary, nearest_rank)


class SummaryArithmeticTests(unittest.TestCase):
    def test_busy_fraction_is_the_union_of_intervals(self):
        # [0,10] and [5,20] overlap: union [0,20]; [30,40] apart; window [0,100] -> 30/100.
        self.assertAlmostEqual(busy_fraction([(5, 20), (0, 10), (30, 40)], 0, 100), 0.30)
        # Clipped to the window: [90,120] counts 10 of a [0,100] window.
        self.assertAlmostEqual(busy_fraction([(90, 120)], 0, 100), 0.10)
        # An interval inside another adds nothing.
        self.assertAlmostEqual(busy_fraction([(0, 50), (10, 20)], 0, 100), 0.50)

    def test_nearest_rank_percentiles(self):
        values = list(range(1, 101))   # 1..100: the q-quantile by nearest rank is ceil(100q)
        self.assertEqual(nearest_rank(values, 0.50), 50)
        self.assertEqual(nearest_rank(values, 0.99), 99)
        self.assertEqual(nearest_rank(values, 0.991), 100)
        self.assertEqual(nearest_rank([7], 0.5), 7)

    def test_batch_means_interval_by_hand(self):
        # Ten batches of two with means 1..10: grand mean 5.5, sd of the means sqrt(55/6),
        # half-width t(0.975, 9) * sd / sqrt(10).
        values = [v for m in range(1, 11) for v in (m - 0.5, m + 0.5)]
        low, high = batch_means_ci95(values)
        half = 2.262157162740992 * math.sqrt(55 / 6) / math.sqrt(10)
        self.assertAlmostEqual(low, 5.5 - half)
        self.assertAlmostEqual(high, 5.5 + half)
        self.assertIsNone(batch_means_ci95([1.0] * 19))

    def test_histogram_keeps_every_value_and_its_largest(self):
        h = log_histogram([0.0100, 0.0101, 0.0200, 0.5])
        self.assertEqual(sum(h["counts"]), 4)
        self.assertEqual(h["seconds"], sorted(h["seconds"]))
        self.assertIn(0.0101, h["seconds"])   # 0.0100 and 0.0101 share a bin (< 2.3 % apart)
        self.assertEqual(h["counts"][0], 2)


class ScheduleTests(unittest.TestCase):
    def test_same_seed_same_schedule_and_the_rate_holds(self):
        a = loadgen.poisson_schedule(200.0, 20000, 7, 0)
        self.assertEqual(a, loadgen.poisson_schedule(200.0, 20000, 7, 0))
        self.assertNotEqual(a, loadgen.poisson_schedule(200.0, 20000, 8, 0))
        gaps = [(b - c) / 1e9 for b, c in zip(a[1:], a[:-1])]
        # Exponential gaps: mean 1/200 s, standard error of the mean (1/200)/sqrt(n):
        # within 4 standard errors (a fixed seed: deterministic).
        n = len(gaps)
        self.assertLess(abs(statistics.fmean(gaps) - 0.005), 4 * 0.005 / math.sqrt(n))
        # cv of exponential gaps is 1: within 5 %.
        self.assertLess(abs(statistics.pstdev(gaps) / statistics.fmean(gaps) - 1), 0.05)


class RecordsTests(unittest.TestCase):
    def test_records_round_trip_and_summary(self):
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "r.csv")
            writer = wire.RecordWriter(path)
            # Two requests: latencies 10 ms and 30 ms, handlers 0-4 ms and 20-24 ms busy.
            writer.write("a", "c", "rest", 5.0, CallResult(0, 1, 1_000_000, 5_000_000, 10_000_000, 100, 10, "ok"), 0)
            writer.write("b", "c", "rest", 5.0, CallResult(10_000_000, 20_000_000, 20_000_000, 24_000_000,
                                                           40_000_000, 100, 10, "ok"), 9_000_000)
            writer.write("c", "c", "rest", 5.0, CallResult(12_000_000, 0, 0, 0, 13_000_000, 100, 0, "http-500"), 0)
            writer.close()
            rows = wire.read_records(path)
            self.assertEqual([r["request_id"] for r in rows], ["a", "b", "c"])
            self.assertEqual(rows[1]["scheduled_ns"], 9_000_000)
            s = measured_summary("t", 1, rows, {"server": rows}, {})
            self.assertEqual(s["requests"], {"completed": 2, "dropped": 1})
            self.assertAlmostEqual(s["latency_s"]["mean"], 0.020)
            self.assertAlmostEqual(s["latency_s"]["p50"], 0.010)
            self.assertAlmostEqual(s["latency_s"]["max"], 0.030)
            # window: first send 0 to last answer 40 ms; 2 completed -> 50/s; busy 8 of 40 ms.
            self.assertAlmostEqual(s["throughput_rps"], 50.0)
            self.assertAlmostEqual(s["nodes"]["server"]["utilization"], 0.2)
            self.assertIs(s["measured"], True)

    def test_payload_decoding_refuses_partial_rows(self):
        import numpy as np
        matrix = np.arange(128, dtype=np.float32).reshape(2, 64)
        self.assertTrue((wire.decode(wire.encode(matrix), 64) == matrix).all())
        with self.assertRaises(ValueError):
            wire.decode(b"\0" * 100, 64)

    def test_targets(self):
        self.assertEqual(parse_target("grpc://127.0.0.1:9"), ("grpc", "127.0.0.1:9"))
        with self.assertRaises(ValueError):
            parse_target("http://127.0.0.1:9")


class ServerWorkChoiceTests(unittest.TestCase):
    def test_one_executor_servers_use_busy_gaps_and_the_thread_pool_its_receipts(self):
        # Every model server is one executor (grpcio max_workers=1, uvicorn `async def`)
        # except rest-thread's thread pool, whose handlers overlap.
        chosen = {name: compare.server_work_estimator(config) for name, config in CONFIGS.items()}
        self.assertEqual(chosen, {"rest-async": "busy-gaps", "rest-thread": "receipt", "grpc": "busy-gaps",
                                  "pipeline-rest": "busy-gaps", "pipeline-grpc": "busy-gaps",
                                  "collab-rest": "busy-gaps", "collab-grpc": "busy-gaps"})

    def test_plain_has_none_and_receipt_only_keeps_the_earlier_choice(self):
        self.assertTrue(all(compare.server_work_estimator(c, plain=True) is None for c in CONFIGS.values()))
        earlier = {name: compare.server_work_estimator(config, receipt_only=True) for name, config in CONFIGS.items()}
        self.assertEqual(earlier, {"rest-async": None, "rest-thread": "receipt", "grpc": "receipt",
                                   "pipeline-rest": None, "pipeline-grpc": "receipt",
                                   "collab-rest": None, "collab-grpc": "receipt"})

    # A stand-in for `hybridsim calibrate`: refuses busy gaps like calibrate does on a busy
    # host (exit 2, a located error), otherwise writes the two files compare.py reads and
    # logs the server-work arguments it was given.
    FAKE_CALIBRATE = """import json, os, sys
args = sys.argv[1:]
out = args[args.index("--out") + 1]
with open(os.path.join(os.path.dirname(out), "calls.log"), "a") as log:
    log.write(" ".join(args[args.index("--server-work-from"):][:2] if "--server-work-from" in args else ["none"]) + "\\n")
if "busy-gaps" in args:
    sys.stderr.write("r.csv:3:80: error: this call's overhead (400us) is not above the busy-gap work (mean 1.5ms)\\n")
    sys.exit(2)
os.makedirs(out, exist_ok=True)
with open(os.path.join(out, "calibration.json"), "w") as f:
    json.dump({"service_time": {"chosen": "gamma", "candidates": [{"family": "gamma", "ks_p_value": 0.5}]},
               "protocols": [{"protocol": "grpc", "mean_overhead_s": 0.001}]}, f)
with open(os.path.join(out, "fragment.yaml"), "w") as f:
    f.write("models:\\n  m:\\n    serviceTime: 4ms\\nprotocols:\\n  grpc: {callOverhead: 1ms}\\n")
"""

    def test_a_refused_busy_gap_calibration_falls_back_to_the_earlier_description_and_says_so(self):
        with tempfile.TemporaryDirectory() as directory:
            fake = os.path.join(directory, "hybridsim")
            with open(fake, "w") as f:
                f.write(f"#!{sys.executable}\n" + self.FAKE_CALIBRATE)
            os.chmod(fake, 0o755)
            records = os.path.join(directory, "records.csv")
            wire.write_record_rows(records, [dict(zip(wire.RECORD_COLUMNS + wire.EXTRA_COLUMNS,
                                                       ["1", "grpc", "grpc", "10", 1, 2, 3, 4, 5, 100, 20, "ok", 0]))])
            said = io.StringIO()
            with contextlib.redirect_stderr(said):
                fit = compare.calibrate_model_server(fake, records, "m", os.path.join(directory, "cal"), CONFIGS["grpc"])
            self.assertEqual(fit["server_work"], "receipt")
            self.assertIn("grpc: m: calibrate refused busy gaps; serverWork from receipt instead", said.getvalue())
            self.assertIn("r.csv:3:80: error: ", said.getvalue())
            with open(os.path.join(directory, "calls.log")) as f:
                self.assertEqual(f.read().split("\n")[:2], ["--server-work-from busy-gaps", "--server-work-from receipt"])
            with contextlib.redirect_stderr(io.StringIO()):
                rest = compare.calibrate_model_server(fake, records, "m", os.path.join(directory, "cal2"), CONFIGS["rest-async"])
            self.assertIsNone(rest["server_work"], "event-loop REST: no serverWork, as before busy gaps")


if __name__ == "__main__":
    unittest.main()
