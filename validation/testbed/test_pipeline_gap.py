#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests of pipeline_gap.py (the pipelines' measured and predicted segments side by side)
on small hand-made records and summaries (smoke.sh runs them with the other testbed tests).
  .venv/bin/python -m unittest test_pipeline_gap
"""
import argparse
import contextlib
import csv
import io
import json
import math
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import pipeline_gap                                                 # noqa: E402
from testbed.servers import CONFIGS                                 # noqa: E402

FIELDS = ("request_id", "config", "protocol", "offered_rps", "send_ns", "server_receive_ns", "handler_start_ns",
          "handler_end_ns", "response_ns", "request_bytes", "response_bytes", "status", "scheduled_ns")


def write_records(path, rows):
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=FIELDS)
        w.writeheader()
        for r in rows:
            w.writerow({**{k: 0 for k in FIELDS}, "config": "c", "protocol": "rest", "status": "ok", **r})


def pipeline_level(folder, starts_ms):
    """Records of a two-stage pipeline level: one request per start (ms), each 10 ms long with
    fixed stamps; request k scheduled at starts_ms[k]."""
    client, s1, s2 = [], [], []
    for k, t in enumerate(starts_ms):
        ns = round(t * 1e6)
        ms = 1_000_000
        client.append({"request_id": f"r{k}", "send_ns": ns, "server_receive_ns": ns + ms // 10,
                       "handler_start_ns": ns + 2 * ms // 10, "handler_end_ns": ns + 9 * ms,
                       "response_ns": ns + 10 * ms, "scheduled_ns": ns})
        s1.append({"request_id": f"r{k}:stage-1", "send_ns": ns + ms, "server_receive_ns": ns + 2 * ms,
                   "handler_start_ns": ns + 2 * ms, "handler_end_ns": ns + 4 * ms, "response_ns": ns + 5 * ms})
        s2.append({"request_id": f"r{k}:stage-2", "send_ns": ns + 5 * ms, "server_receive_ns": ns + 5 * ms,
                   "handler_start_ns": ns + 6 * ms, "handler_end_ns": ns + 7 * ms, "response_ns": ns + 8 * ms})
    write_records(os.path.join(folder, "records.csv"), client)
    write_records(os.path.join(folder, "records-stage-1.csv"), s1)
    write_records(os.path.join(folder, "records-stage-2.csv"), s2)


class Groups(unittest.TestCase):
    def test_the_hops_of_a_pipeline_request_add_up_to_its_latency(self):
        with tempfile.TemporaryDirectory() as d:
            pipeline_level(d, [0.0, 100.0])
            requests = pipeline_gap.kept_requests(CONFIGS["pipeline-rest"], d, None)
            groups = pipeline_gap.hop_groups(["stage-1", "stage-2"])
            for latency, segments, _ in requests:
                g = pipeline_gap.grouped(segments, groups)
                self.assertEqual(sum(g.values()), latency)
                # by hand: to front 0.1 + front read 0.1 + to client 1 ms
                self.assertEqual(g["client call"], 1_200_000)
                self.assertEqual(g["stage-1 to handler"], 1_000_000)    # send 1 ms → handler start 2 ms
                self.assertEqual(g["stage-2 to handler"], 1_000_000)
                self.assertEqual(g["stage-1 answer"], 1_000_000)
                # dispatch 0.8 (handler start 0.2 → first send 1) + between 0 + fuse 1 (last answer 8 → end 9)
                self.assertEqual(g["front own"], 1_800_000)

    def test_a_window_leaves_out_the_requests_scheduled_in_it(self):
        with tempfile.TemporaryDirectory() as d:
            pipeline_level(d, [0.0, 1000.0, 2500.0, 4000.0])   # 0, 1, 2.5 and 4 s after the first
            kept = pipeline_gap.kept_requests(CONFIGS["pipeline-rest"], d, (1.0, 3.0))
            self.assertEqual(len(kept), 2)                      # 1 s and 2.5 s dropped; 3 s excluded end
            self.assertEqual(len(pipeline_gap.kept_requests(CONFIGS["pipeline-rest"], d, None)), 4)


class BandAndTail(unittest.TestCase):
    def test_band_is_the_middle_tenth_and_tail_the_top_percentile(self):
        latencies = list(range(1000, 0, -1))             # 1..1000, in any order
        rows = [{"x": v * 2} for v in latencies]
        band, tail, p50, p99 = pipeline_gap.band_and_tail(latencies, rows)
        self.assertEqual((p50, p99), (500, 990))         # nearest rank: the 500th and 990th
        self.assertEqual(band["x"], 2 * (450 + 550) / 2)  # latencies 450..550, their mean 500
        self.assertEqual(tail["x"], 2 * (990 + 1000) / 2)


class IndependentSum(unittest.TestCase):
    def test_slow_together_gives_a_longer_tail_than_independent_draws(self):
        # 200 requests of two segments that are both 10 (one request in 100) or both 1: the
        # measured p99 is 20; drawn independently a 10 rarely meets a 10, so the p99 is 11.
        requests = [(20 if k % 100 == 0 else 2, [("a", 10 if k % 100 == 0 else 1), ("b", 10 if k % 100 == 0 else 1)], None)
                    for k in range(200)]
        p50, p99 = pipeline_gap.independent_sum(requests, seed=1)
        self.assertEqual(p50, 2)
        self.assertEqual(p99, 11)

    def test_independent_segments_keep_their_sum_distribution_when_already_constant(self):
        requests = [(5, [("a", 2), ("b", 3)], None)] * 50
        self.assertEqual(pipeline_gap.independent_sum(requests, seed=3), (5, 5))


class RankCorrelation(unittest.TestCase):
    def test_equal_and_opposite_orders(self):
        rows = [{"a": v, "b": 2 * v, "c": -v} for v in range(10)]
        self.assertAlmostEqual(pipeline_gap.mean_rank_correlation(rows, ["a", "b"]), 1.0)
        self.assertAlmostEqual(pipeline_gap.mean_rank_correlation(rows, ["a", "c"]), -1.0)
        self.assertAlmostEqual(pipeline_gap.mean_rank_correlation(rows, ["a", "b", "c"]), (1 - 1 - 1) / 3)


class ArrivalShape(unittest.TestCase):
    def test_a_regular_stream_has_no_short_gaps(self):
        rate, cv, short, poisson = pipeline_gap.arrival_shape([k * 2_000_000 for k in range(100)], 1_000_000)
        self.assertAlmostEqual(rate, 500.0)
        self.assertEqual(cv, 0.0)
        self.assertEqual(short, 0.0)
        self.assertAlmostEqual(poisson, 1 - math.exp(-0.5))

    def test_pairs_are_counted_as_short_gaps(self):
        sends = [t for k in range(50) for t in (k * 10_000_000, k * 10_000_000 + 100_000)]   # bunches of two
        _, cv, short, _ = pipeline_gap.arrival_shape(list(reversed(sends)), 1_000_000)
        self.assertAlmostEqual(short, 50 / 99)
        self.assertGreater(cv, 0.9)


class Predicted(unittest.TestCase):
    def test_node_wait_by_littles_law(self):
        summary = {"throughput_rps": 200.0, "nodes": {"node-stage-1": {"utilization": 0.5, "mean_queue_length": 0.1}}}
        util, wait = pipeline_gap.predicted_nodes(summary)["node-stage-1"]
        self.assertEqual(util, 0.5)
        self.assertAlmostEqual(wait, 0.5)                 # 0.1 / 200 /s = 0.5 ms

    def test_trace_band_and_tail_leaves_out_dropped_requests(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "trace.csv")
            with open(path, "w", newline="") as f:
                w = csv.writer(f)
                w.writerow(["replication", "request", "workload", "arrival_s", "completion_s", "latency_s", "outcome",
                            "network_s", "serialization_s", "queueing_s", "service_s", "fusion_wait_s", "broker_s",
                            "retries_s"])
                for k in range(100):
                    w.writerow([0, k, 0, 0, 0, (k + 1) / 1000, "completed", 0, 0, k / 1000, 1 / 1000, 0, 0, 0])
                w.writerow([0, 100, 0, 0, 0, 9, "dropped"] + [""] * 7)
            band, tail, p50, p99 = pipeline_gap.trace_band_and_tail(path)
            self.assertAlmostEqual(p99, 0.099)
            self.assertAlmostEqual(tail["queueing_s"], (98 + 99) / 2 / 1000)
            self.assertAlmostEqual(band["service_s"], 0.001)


class LeaveOut(unittest.TestCase):
    def test_a_window_is_read_and_a_bad_one_refused(self):
        parser = argparse.ArgumentParser()
        self.assertEqual(pipeline_gap.leave_out_windows(parser, ["pipeline-rest:0.3:41:47"]),
                         {("pipeline-rest", "0.30"): (41.0, 47.0)})
        message = io.StringIO()
        with self.assertRaises(SystemExit), contextlib.redirect_stderr(message):
            pipeline_gap.leave_out_windows(parser, ["pipeline-rest:0.3:41"])
        self.assertIn("expected CONFIG:U:FROM:TO", message.getvalue())


class Report(unittest.TestCase):
    def test_the_tables_of_a_hand_made_campaign(self):
        with tempfile.TemporaryDirectory() as out:
            for u, starts in ((0.1, [0.0, 100.0, 200.0]), (0.3, [0.0, 50.0, 100.0])):
                level = os.path.join(out, "pipeline-rest", f"u{u:.2f}")
                os.makedirs(os.path.join(level, "predicted"))
                pipeline_level(level, starts)
                with open(os.path.join(level, "predicted", "summary.json"), "w") as f:
                    json.dump({"latency_s": {"p50": 0.010, "p99": 0.012}, "throughput_rps": 100.0,
                               "nodes": {"node-stage-2": {"utilization": 0.3, "mean_queue_length": 0.02}}}, f)
            text = pipeline_gap.config_report(CONFIGS["pipeline-rest"], out, [0.1, 0.3, 0.45], {})
        self.assertIn("| stage-1 to handler | 1.00 / 1.00 | 1.00 / 1.00 |", text)
        self.assertIn("| total (p50 / p99) | 10.00 / 10.00 | 10.00 / 10.00 |", text)
        self.assertIn("node-stage-2 0.20 (0.30)", text)                  # 0.02 / 100 /s = 0.2 ms
        self.assertIn("stage-1 0.00, stage-2 0.00", text)                 # the same stamps at both levels
        self.assertNotIn("u = 0.45", text)                                # a level without records is left out
        self.assertIn("| measured | 1.00 / 1.00 |", text)                 # stage-2's waterfall at u = 0.3


def call(request, send_ms, start_ms, end_ms):
    ns = [round(v * 1e6) for v in (send_ms, start_ms, end_ms)]
    return {"request_id": request, "send_ns": ns[0], "server_receive_ns": ns[0], "handler_start_ns": ns[1],
            "handler_end_ns": ns[2], "response_ns": ns[2], "scheduled_ns": 0, "status": "ok"}


class StageTwoWaterfall(unittest.TestCase):
    # The lowest level: stage-2 idle every time, 0.5 ms from send to handler, 1 ms handlers, no
    # busy gap (x = 0). The level: stage-1 ends every 10 ms; stage-2 is sent 0.2 ms later, but
    # the odd requests 9.7 ms later, 0.5 ms before the next even one.
    lowest = [call(f"l{k}:stage-2", 10 * k, 10 * k + 0.5, 10 * k + 1.5) for k in range(20)]
    stage1 = [call(f"r{k}:stage-1", 10 * k - 2, 10 * k - 1, 10 * k) for k in range(11)]

    def stage2(self, jitter):
        sends = [10 * k + (9.7 if jitter and k % 2 else 0.2) for k in range(11)]
        return [call(f"r{k}:stage-2", t, t + 0.5, t + 1.5) for k, t in enumerate(sends)]

    def test_smooth_arrivals_give_every_variant_the_transfer_delay_only(self):
        rows = pipeline_gap.stage_two_waterfall(self.lowest, self.stage1, self.stage2(False), seed=1)
        self.assertEqual([name for name, *_ in rows], list(pipeline_gap.WATERFALL) + ["measured"])
        for name, mean, p99 in rows:
            self.assertAlmostEqual(mean, 0.0005, places=9, msg=name)
            self.assertAlmostEqual(p99, 0.0005, places=9, msg=name)

    def test_the_measured_sends_add_the_wait_of_the_bunched_pairs(self):
        rows = dict((name, (mean, p99)) for name, mean, p99 in
                    pipeline_gap.stage_two_waterfall(self.lowest, self.stage1, self.stage2(True), seed=1))
        # the tandem: stage-1's ends + the median lag (0.2 ms, 6 of 11 lags): no wait
        self.assertAlmostEqual(rows[pipeline_gap.WATERFALL[0]][0], 0.0005, places=9)
        # measured sends: each even request after the first arrives 0.5 ms after an odd one
        # whose 1 ms handler is still running: 0.5 ms more for 5 of 11
        self.assertAlmostEqual(rows["measured sends"][0], 0.0005 + 5 * 0.0005 / 11, places=9)
        self.assertAlmostEqual(rows["measured sends"][1], 0.001, places=9)


if __name__ == "__main__":
    unittest.main()
