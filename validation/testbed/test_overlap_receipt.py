#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests of the model servers' receipts overlapping the front's send (overlap_receipt.py,
compare.py `--overlap-receipt`), on hand-made numbers and records (smoke.sh runs them).
  .venv/bin/python -m unittest test_overlap_receipt
"""
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import description_steps                                            # noqa: E402
import overlap_receipt                                              # noqa: E402
from test_server_work import call_row                               # noqa: E402
from testbed import wire                                            # noqa: E402
from testbed.servers import CONFIGS                                 # noqa: E402

MS = 1e-3
CALL = "{callOverhead: 1ms, codecThroughput: unlimited, serverWork: 100us}"


def row(request_id, send_ms, start_ms, end_ms):
    values = call_row(request_id, int(start_ms * 1e6), int((end_ms - start_ms) * 1e6))
    values["send_ns"] = int(send_ms * 1e6)
    return values


class OverlappedCallTests(unittest.TestCase):
    def test_the_overhead_moves_by_the_send_and_the_old_work_minus_the_receipt(self):
        # W' = W + S + R0 − R = 1 + 0.2 + 0.1 − 0.3 = 1.0 ms; W' + R = S + W + R0 = 1.3 ms.
        got = overlap_receipt.overlapped_call(CALL, 0.2 * MS, {"mean": 0.3 * MS, "cv": 0.0})
        self.assertEqual(got, "{callOverhead: 1000us, codecThroughput: unlimited, serverWork: 300us, "
                              "serverWorkStarts: withSend}")
        # Without a serverWork in series: W' = 1 + 0.5 − 0.3 = 1.2 ms (raised: the call now
        # leaves when the send starts).
        got = overlap_receipt.overlapped_call("{callOverhead: 1ms}", 0.5 * MS, {"mean": 0.3 * MS, "cv": 0.5})
        self.assertEqual(got, "{callOverhead: 1200us, serverWork: {dist: lognormal, mean: 300us, cv: 0.5}, "
                              "serverWorkStarts: withSend}")

    def test_a_receipt_longer_than_the_send_and_the_call_is_refused(self):
        with self.assertRaisesRegex(overlap_receipt.OverlapError, r"receipt 2.000 ms against send 0.200 ms"):
            overlap_receipt.overlapped_call(CALL, 0.2 * MS, {"mean": 2 * MS, "cv": 0.0})

    def test_only_a_pipeline_with_front_stages_is_overlapped(self):
        fits = {m: {"call": CALL} for m in CONFIGS["collab-rest"].models}
        with self.assertRaisesRegex(overlap_receipt.OverlapError, "needs a pipeline described with --front-work"):
            overlap_receipt.apply(CONFIGS["collab-rest"], fits, {"dispatch_work_s": 0.1}, {})
        config = CONFIGS["pipeline-rest"]
        fits = {m: {"call": CALL} for m in config.models}
        gaps = {m: {"mean": 0.3 * MS, "cv": 0.0, "count": 3} for m in config.models}
        note = overlap_receipt.apply(config, fits, {"work_s": [0.2 * MS, 0.4 * MS, 0.1 * MS]}, gaps)
        self.assertIn("serverWorkStarts: withSend", fits[config.models[1]]["call"])
        self.assertIn("callOverhead: 1200us", fits[config.models[1]]["call"])   # 1 + 0.4 + 0.1 − 0.3
        self.assertIn("with the front's 0.400 ms", note)


class LowestGapsTests(unittest.TestCase):
    def test_the_gaps_of_calls_already_waiting(self):
        # Idle-found waits 0.5 (D) and 0.4 ms (E): lead 0.45 ms. Waiting when the previous
        # handler ended: B (gap 0.3), C (0.5), F (0.4) → mean 0.4 ms, sd 0.1, cv 0.25.
        rows = [row("A", 9.5, 10.0, 13.0), row("B", 10.0, 13.3, 16.3), row("C", 11.0, 16.8, 19.8),
                row("D", 30.0, 30.5, 33.5), row("E", 40.0, 40.4, 43.4), row("F", 41.0, 43.8, 46.8)]
        with tempfile.TemporaryDirectory() as level:
            path = os.path.join(level, "records-stage-2.csv")
            wire.write_record_rows(path, rows)
            got = overlap_receipt.lowest_gaps(path)
            self.assertEqual(got["count"], 3)
            self.assertAlmostEqual(got["mean"], 0.4 * MS, places=12)
            self.assertAlmostEqual(got["cv"], 0.25, places=9)
            wire.write_record_rows(path, rows[:3])
            with self.assertRaisesRegex(overlap_receipt.OverlapError, "records-stage-2.csv: no call found the server idle"):
                overlap_receipt.lowest_gaps(path)

    def test_compare_step_overlaps_each_stage_and_names_the_option_in_a_refusal(self):
        # description_steps.with_overlap_receipt: both stages' gaps from the level folder (the
        # rows above: 0.4 ms, cv 0.25), each call shifted (1 + 0.2 + 0.1 − 0.4 = 0.9 ms); with
        # a stage's records where no call found the server idle, the refusal names the option.
        rows = [row("A", 9.5, 10.0, 13.0), row("B", 10.0, 13.3, 16.3), row("C", 11.0, 16.8, 19.8),
                row("D", 30.0, 30.5, 33.5), row("E", 40.0, 40.4, 43.4), row("F", 41.0, 43.8, 46.8)]
        config = CONFIGS["pipeline-rest"]
        with tempfile.TemporaryDirectory() as level:
            for model in config.models:
                wire.write_record_rows(os.path.join(level, config.records_file(model)), rows)
            fits = {m: {"call": CALL} for m in config.models}
            note = description_steps.with_overlap_receipt(config, fits, {"work_s": [0.2 * MS, 0.2 * MS, 0.1 * MS]}, level)
            self.assertTrue(note.startswith("receipts overlapping the front's send: "))
            for model in config.models:
                self.assertIn("callOverhead: 900us", fits[model]["call"])
                self.assertIn("serverWorkStarts: withSend", fits[model]["call"])
            wire.write_record_rows(os.path.join(level, config.records_file(config.models[1])), rows[:3])
            with self.assertRaisesRegex(description_steps.CompareError, "^--overlap-receipt: .*no call found the server idle"):
                description_steps.with_overlap_receipt(config, fits, {"work_s": [0.2 * MS, 0.2 * MS, 0.1 * MS]}, level)


if __name__ == "__main__":
    unittest.main()
