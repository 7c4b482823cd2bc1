#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests of the slow-period diagnostics (slow_periods.py, slow_period_windows.py,
slow_period_replay.py) on small hand-made records (smoke.sh runs them with test_testbed.py).
  .venv/bin/python -m unittest test_slow_periods
"""
import contextlib
import io
import os
import random
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import replay                                                       # noqa: E402
import slow_period_replay                                           # noqa: E402
import slow_period_windows as windows                               # noqa: E402
import slow_periods as slow                                         # noqa: E402
from test_diagnostics import record                                 # noqa: E402
from testbed import wire                                            # noqa: E402


class SlowPeriodTests(unittest.TestCase):
    def test_autocorrelation_by_hand(self):
        # 1, 2, 3, 4: mean 2.5, centred −1.5 −0.5 0.5 1.5, Σc² = 5; lag 1: (0.75 − 0.25 + 0.75) / 5 = 0.25;
        # lag 2: (−0.75 − 0.75) / 5 = −0.3.
        self.assertAlmostEqual(windows.autocorrelation([1, 2, 3, 4], 1), 0.25)
        self.assertAlmostEqual(windows.autocorrelation([1, 2, 3, 4], 2), -0.3)
        self.assertIsNone(windows.autocorrelation([1, 2], 2))
        self.assertIsNone(windows.autocorrelation([3, 3, 3], 1))
        # Alternating values: lag 1 strongly negative (−(n − 1)/n = −0.75 for n = 4).
        self.assertAlmostEqual(windows.autocorrelation([0, 1, 0, 1], 1), -0.75)

    def test_window_means_runs_and_summary_by_hand(self):
        # Times 0, 1, 5, 6, 7 with window 2 from 0: windows [0,2) {10, 20}, [2,4) empty, [4,6) {30},
        # [6,8) {40, 50}.
        means, counts = windows.window_means([0, 1, 5, 6, 7], [10, 20, 30, 40, 50], 0, 2)
        self.assertEqual(means, [15, None, 30, 45])
        self.assertEqual(counts, [2, 0, 1, 2])
        self.assertEqual(windows.slow_runs([True, True, False, True, None, True]), [2, 1, 1])
        # Factors 1.3, 1.0, 1.25, 1.25, None, 0.9 with slow ≥ 1.2 and windows of 100 ms: 3 of 5
        # windows slow, runs 1 and 2 windows (mean 150 ms, longest 200), mean factor 1.2667.
        summary = windows.slow_summary([1.3, 1.0, 1.25, 1.25, None, 0.9], 100, 1.2)
        self.assertEqual((summary["windows"], summary["periods"]), (5, 2))
        self.assertAlmostEqual(summary["slow_share"], 0.6)
        self.assertEqual((summary["mean_ms"], summary["longest_ms"]), (150, 200))
        self.assertAlmostEqual(summary["factor"], 3.8 / 3)

    def test_two_state_fit_by_hand(self):
        # Present factors 1.3 | 1.0 1.0 | 1.3 1.3 | 0.9 (window 50 ms, slow ≥ 1.2): slow mean 1.3,
        # fast mean 2.9 / 3; f = 1.3 · 3 / 2.9; slow runs 1, 2 → 75 ms; fast runs 2, 1 → 75 ms.
        fit = windows.two_state_fit([1.3, 1.0, 1.0, None, 1.3, 1.3, 0.9], 50, 1.2)
        self.assertAlmostEqual(fit["factor"], 3.9 / 2.9)
        self.assertAlmostEqual(fit["slow_ms"], 75)
        self.assertAlmostEqual(fit["fast_ms"], 75)
        self.assertIsNone(windows.two_state_fit([1.0, 1.1], 50, 1.2))

    def test_two_state_factors_average_one_in_time(self):
        # Two values only: scale · f (slow) and scale (fast), with p·f·scale + (1 − p)·scale = 1
        # exactly (p = slow / (slow + fast) = 0.2, f = 1.5: scale = 1 / 1.1). On a fine even grid
        # over 200,000 mean cycles the share of slow points estimates p with sd ≈ √(2 · p(1−p) ·
        # (1/rate) / T) ≈ 0.0009 (alternating-renewal variance; T = 10⁸ ms, mean sojourns 20 / 80 ms);
        # the tolerance 0.005 is over 5 sd. Fixed seed.
        fit = {"factor": 1.5, "slow_ms": 20.0, "fast_ms": 80.0}
        times = [k * 1.0 for k in range(0, 20_000_000, 200)]
        factors = slow_period_replay.two_state_factors(times, fit, random.Random(7))
        scale = 1 / (0.2 * 1.5 + 0.8)
        self.assertEqual(set(factors), {scale * 1.5, scale})
        self.assertAlmostEqual(0.2 * 1.5 * scale + 0.8 * scale, 1.0, places=15)
        share = sum(f > scale for f in factors) / len(factors)
        self.assertAlmostEqual(share, 0.2, delta=0.005)
        self.assertEqual(slow_period_replay.two_state_factors(times[:50], fit, random.Random(7)), factors[:50])

    def test_overlap_split_and_waited_by_hand(self):
        calls = [record(0, 0, 4), record(1, 4, 6), record(10, 10, 12)]
        others = [record(0, 1, 2), record(0, 3, 5), record(0, 11, 20)]
        # Call 1 (0–4): covered 1–2 and 3–4 → 0.5; call 2 (4–6): 4–5 → 0.5; call 3 (10–12): 11–12 → 0.5.
        self.assertEqual(windows.overlap_fractions(calls, others), [0.5, 0.5, 0.5])
        self.assertEqual(windows.overlap_fractions(calls, others[2:]), [0.0, 0.0, 0.5])
        # Only the second was sent (1 ms) before the previous handler ended (4 ms).
        self.assertEqual(slow_period_replay.waited(calls), [0, 1, 0])
        self.assertEqual(windows.split_means([2, 4, 6], [0, 1, 1], 1), (2, 5, 2 / 3))
        # a's windows paired with b's by time: b starts two windows later (and one earlier).
        self.assertEqual(windows.aligned([1, 2, 3, 4], 0, [7, 8, 9], 200, 100), ([3, 4, None], [7, 8, 9]))
        self.assertEqual(windows.aligned([1, 2], 100, [7, 8], 0, 100), ([None, 1], [7, 8]))
        self.assertEqual(windows.sends_per_window([0, 1, 2, 9, 14, 15], 0, 5, 3), [3, 1, 1])   # 15 is past the last window
        self.assertEqual(slow_period_replay.recent_sends([0, 1, 2, 9], [2, 9, 20], 5), [3, 1, 0])
        self.assertEqual(slow_period_replay.quartile_classes([40, 10, 30, 20]), [3, 0, 2, 1])

    def test_shuffle_within_keeps_each_class_in_place(self):
        values = list(range(12))
        classes = [k % 3 for k in values]
        out = slow_period_replay.shuffle_within(values, classes, random.Random(3))
        for key in range(3):
            self.assertEqual(sorted(v for v, c in zip(out, classes) if c == key),
                             [v for v, c in zip(values, classes) if c == key])
        self.assertEqual(out, slow_period_replay.shuffle_within(values, classes, random.Random(3)))   # fixed seed

    def test_tail_share_by_hand(self):
        # 100 calls 10 ms apart from 0, handler 1 ms; the calls sent at 500–590 ms waited 5 ms
        # (their handlers start 5 ms after the send), the rest 1 ms. p99 of the waits = 5 ms: the
        # tail is those ten, starting at 505–595 ms. Windows of 100 ms: slow window 4 (400–500 ms)
        # covers them (they start within 1 s after it); a slow window 8 (800 ms) comes after them.
        calls = [record(t, t + (5 if 500 <= t < 600 else 1), t + (6 if 500 <= t < 600 else 2))
                 for t in range(0, 1000, 10)]
        t0 = calls[0]["handler_start_ns"]
        factors = [1.0] * 10
        factors[4] = 1.3
        self.assertEqual(windows.tail_share(calls, factors, t0, 100e6, 1.2), 1.0)
        factors = [1.0] * 10
        factors[8] = 1.3
        self.assertEqual(windows.tail_share(calls, factors, t0, 100e6, 1.2), 0.0)

    def test_replay_variants_of_a_queue_it_generated(self):
        # As the replay test: records made by Lindley's recursion (1 ms from send to an idle
        # handler, 0.25 ms gap); the in-order variant must give the measured p99 back, and the
        # within-class variants must use the same values (a single class is a plain shuffle).
        sends, services = [], []
        for burst in range(40):
            for k in range(3):
                sends.append(5 + burst * 12 + k * 0.1)
                services.append(2 + burst // 10)   # the same time for 30 calls in a row
        starts = replay.lindley_starts([s + 1 for s in sends], services, 0.25)
        calls = sorted((record(s, h, h + b) for s, h, b in zip(sends, starts, services)),
                       key=lambda r: r["handler_start_ns"])
        client = [r["send_ns"] for r in calls]
        result = slow_period_replay.replay_variants(calls, None, 1, client)
        self.assertAlmostEqual(result["in_order"], result["measured"], places=9)
        self.assertIsNone(result["two_state"])
        self.assertIsNone(result["overlap"])
        # Every block of 10 calls holds one handler time, so shuffling within it changes nothing.
        # In order, the last 30 calls (5 ms each, 3 per 12 ms: 15.75 ms of work per 12 ms) build
        # a backlog of about 10 × 3.75 ms; shuffled over the level they are spread among faster
        # calls and the p99 falls to less than half (48.8 → 11.8 ms with this seed).
        self.assertAlmostEqual(result["block_10"], result["in_order"], places=9)
        self.assertLess(result["shuffled"], result["in_order"] / 2)
        self.assertEqual(slow_period_replay.replay_variants(calls, None, 1, client), result)


class SlowPeriodTandemTests(unittest.TestCase):
    def test_rotated_and_fifo_starts_by_hand(self):
        self.assertEqual(slow_period_replay.rotated([1, 2, 3, 4], 0.25), [2, 3, 4, 1])
        self.assertEqual(slow_period_replay.rotated([1, 2, 3, 4], 0.5), [3, 4, 1, 2])
        self.assertEqual(slow_period_replay.rotated([], 0.5), [])
        # Arrivals 0, 1, 10; services 2, 2, 2; gap 0.5; speed ×2 from t = 1 on: the first starts
        # at 0 (×1: 2), the second at 2.5 (×2: 4), the third at 10 (×2: 4).
        starts, served = slow_period_replay.fifo_starts([0, 1, 10], [2, 2, 2], 0.5, lambda t: 2 if t >= 1 else 1)
        self.assertEqual((starts, served), ([0, 2.5, 10], [2, 4, 4]))
        self.assertEqual(slow_period_replay.fifo_starts([0, 1, 10], [2, 2, 2], 0.5)[0],
                         replay.lindley_starts([0, 1, 10], [2, 2, 2], 0.5))

    def test_two_state_speed_matches_the_factor_path(self):
        # The same seed gives the same path as two_state_factors (ms there, s here).
        fit = {"factor": 1.5, "slow_ms": 20.0, "fast_ms": 80.0}
        times_ms = [k * 3.0 for k in range(5000)]
        speed = slow_period_replay.two_state_speed(fit, random.Random(5), 0.0)
        self.assertEqual([speed(t / 1e3) for t in times_ms],
                         slow_period_replay.two_state_factors(times_ms, fit, random.Random(5)))

    @staticmethod
    def generated_pipeline():
        """(client rows, stage-1 rows, stage-2 rows) of a pipeline made by the recursion: bursts
        of three sends every 12 ms, stage-1 from the sends (1 ms to an idle handler, gap
        0.25 ms), stage-2 sent 0.5 ms after each stage-1 handler end (likewise), the answer
        0.2 ms after stage-2's handler end; stage-1's handler times 2-5 ms in groups of 30 calls."""
        sends, b1, b2 = [], [], []
        for burst in range(40):
            for k in range(3):
                sends.append(5 + burst * 12 + k * 0.1)
                b1.append(2 + burst // 10)
                b2.append(1 + (burst % 10) / 10)
        h1 = replay.lindley_starts([s + 1 for s in sends], b1, 0.25)
        sends2 = [h + b + 0.5 for h, b in zip(h1, b1)]
        h2 = replay.lindley_starts([s + 1 for s in sends2], b2, 0.25)

        def row(request_id, send, start, end, response):
            ns = [round(v * 1e6) for v in (send, start, end, response)]
            return {"request_id": request_id, "config": "pipeline-rest", "protocol": "rest", "offered_rps": 250,
                    "send_ns": ns[0], "server_receive_ns": ns[1], "handler_start_ns": ns[1], "handler_end_ns": ns[2],
                    "response_ns": ns[3], "request_bytes": 1, "response_bytes": 1, "status": "ok", "scheduled_ns": 0}
        client = [row(f"r{j}", s, s, h + b + 0.1, h + b + 0.2) for j, (s, h, b) in enumerate(zip(sends, h2, b2))]
        stage1 = [row(f"r{j}:stage-1", s, h, h + b, h + b + 0.1) for j, (s, h, b) in enumerate(zip(sends, h1, b1))]
        stage2 = [row(f"r{j}:stage-2", s, h, h + b, h + b + 0.1) for j, (s, h, b) in enumerate(zip(sends2, h2, b2))]
        return client, stage1, stage2

    def test_the_command_on_a_generated_campaign(self):
        # slow_periods.py end to end on a one-level pipeline campaign made by the recursion: the
        # tandem line's in-order p99s are the measured ones (the replay is exact on its own output).
        client, stage1, stage2 = self.generated_pipeline()
        with tempfile.TemporaryDirectory() as out:
            level = os.path.join(out, "pipeline-rest", "u0.60")
            os.makedirs(level)
            with open(os.path.join(out, "campaign.json"), "w") as f:
                f.write('{"configs": ["pipeline-rest"], "utilizations": [0.6]}')
            for name, rows in (("records.csv", client), ("records-stage-1.csv", stage1), ("records-stage-2.csv", stage2)):
                wire.write_record_rows(os.path.join(level, name), rows)
            printed = io.StringIO()
            with contextlib.redirect_stdout(printed):
                self.assertEqual(slow.main([out, "--window-ms", "50", "--slow-factor", "1.1", "--in-flight"]), 0)
        text = printed.getvalue()
        tandem = [line for line in text.splitlines() if "tandem" in line]
        self.assertEqual(len(tandem), 1)
        measured = tandem[0].split("measured ")[1].split(" |")[0]
        in_order = tandem[0].split("in order ")[1].split(" |")[0]
        self.assertEqual(measured, in_order)
        self.assertIn("pipeline-rest/stage-1 0.60 | 120 3.50 |", text)   # 120 calls, mean of 2, 3, 4, 5 ms
        self.assertIn("by the deployment's requests in flight", text)

    def test_tandem_replays_its_own_pipeline(self):
        # A pipeline generated by the recursion itself (generated_pipeline): the in-order tandem
        # replay must give both measured p99s back, since every stage-2 send follows from the
        # replayed stage-1 (1 ms to an idle handler and 0.25 ms gaps, as the replay assumes).
        _, stage1, stage2 = self.generated_pipeline()
        stage1.sort(key=lambda r: r["handler_start_ns"])
        stage2.sort(key=lambda r: r["handler_start_ns"])
        result = slow_period_replay.tandem_variants(stage1, stage2, {}, seed=1)
        for got, want in zip(result["in_order"], result["measured"]):
            self.assertAlmostEqual(got, want, places=9)
        self.assertIsNone(result["two_state_nodes"])
        self.assertIsNone(result["two_state_host"])
        # Stage-1's slow group (5 ms, 3 per 12 ms) backs up; shuffled, its p99 falls below half.
        self.assertLess(result["shuffled"][0], result["in_order"][0] / 2)
        self.assertEqual(slow_period_replay.tandem_variants(stage1, stage2, {}, seed=1), result)

    def test_in_flight_counts_by_hand(self):
        # Intervals [0, 4), [1, 3), [2, 10): at t = 0 one; at 2 three; at 3 two (the second ended);
        # at 4 one; at 10 none.
        begins, ends = [0, 1, 2], sorted([4, 3, 10])
        self.assertEqual(slow_period_replay.in_flight_at([0, 2, 3, 4, 10], begins, ends), [1, 3, 2, 1, 0])
        # Handler ms by class: counts 1, 1, 2, 5 with a cap of 3 (bins of 1) → classes 1, 2, 3.
        self.assertEqual(windows.handler_by([1, 1, 2, 5], [1e6, 3e6, 2e6, 4e6], 1, 3), [(1, 2.0, 2), (2, 2.0, 1), (3, 4.0, 1)])
        # Bins of 2: counts 0, 1, 2, 3 → classes 0, 0, 1, 1.
        self.assertEqual(windows.handler_by([0, 1, 2, 3], [1e6, 3e6, 2e6, 4e6], 2, 10), [(0, 2.0, 2), (1, 3.0, 2)])
