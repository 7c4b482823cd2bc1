#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests of the slow periods as a node's `slowPeriods` (slow_period_node.py, compare.py
`--slow-periods`), on hand-made records whose handler times are chosen window by window
(smoke.sh runs them).
  .venv/bin/python -m unittest test_slow_period_node
"""
import argparse
import contextlib
import io
import os
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import description                                                  # noqa: E402
import description_steps                                            # noqa: E402
import predicted_scenario                                           # noqa: E402
import slow_period_node                                             # noqa: E402
from calibration_runs import CompareError                           # noqa: E402
from testbed import wire                                            # noqa: E402
from testbed.servers import CONFIGS                                 # noqa: E402

MS = 1_000_000   # ns
WINDOW = 250 * MS


def level_calls(handlers_per_window):
    """`ok` calls, one list of handler times (ms) per 250 ms window, each call starting 10 ms
    after the previous one's start within its window (the first at the window's start)."""
    calls = []
    for w, handlers in enumerate(handlers_per_window):
        for i, handler in enumerate(handlers):
            start = w * WINDOW + i * 10 * MS
            calls.append({"request_id": str(len(calls)), "send_ns": start - MS, "server_receive_ns": start,
                          "handler_start_ns": start, "handler_end_ns": start + round(handler * MS),
                          "response_ns": start + round(handler * MS) + MS, "status": "ok",
                          "request_bytes": 100, "response_bytes": 50, "config": "grpc", "protocol": "grpc",
                          "offered_rps": "10", "scheduled_ns": 0})
    return calls


def fit(scaling=None):
    return {"request_bytes": 100, "service": "10ms", "samples": None, "scaling": scaling, "response_bytes": 50,
            "protocol": "grpc", "call": "{callOverhead: 1ms}"}


class FitTests(unittest.TestCase):
    # Windows of 2 calls: fast windows of 10 ms handlers, slow ones of 13 ms.
    # Level A: F F S S F F F F S F  (runs: slow 2, 1; fast 2, 4, 1)
    LEVEL_A = [[10, 10]] * 2 + [[13, 13]] * 2 + [[10, 10]] * 4 + [[13, 13]] + [[10, 10]]
    # Level B: S F F F  (runs: slow 1; fast 3)
    LEVEL_B = [[13, 13]] + [[10, 10]] * 3

    def test_windows_against_the_levels_own_mean(self):
        # Level A: mean handler (7 · 10 + 3 · 13) / 10 = 10.9 ms; factors 10/10.9 and 13/10.9.
        factors = slow_period_node.level_factors(level_calls(self.LEVEL_A))
        self.assertEqual(len(factors), 10)
        self.assertAlmostEqual(factors[0], 10 / 10.9)
        self.assertAlmostEqual(factors[2], 13 / 10.9)

    def test_pooled_fit_by_hand(self):
        a = slow_period_node.level_factors(level_calls(self.LEVEL_A))
        b = slow_period_node.level_factors(level_calls(self.LEVEL_B))
        periods = slow_period_node.pooled_fit([a, b])
        # Slow (factor ≥ 1.1): A's 13/10.9 = 1.193 (3 windows), B's 13/10.75 = 1.209 (1 window);
        # fast: A's 10/10.9 (7), B's 10/10.75 (3). F = mean slow / mean fast.
        slow = (3 * 13 / 10.9 + 13 / 10.75) / 4
        fast = (7 * 10 / 10.9 + 3 * 10 / 10.75) / 10
        self.assertAlmostEqual(periods["factor"], slow / fast)
        # Runs within each level: slow 2, 1 (A), 1 (B) -> 4/3 windows; fast 2, 4, 1 (A), 3 (B) -> 10/4.
        self.assertAlmostEqual(periods["slow_ms"], 4 / 3 * 250)
        self.assertAlmostEqual(periods["fast_ms"], 10 / 4 * 250)
        self.assertEqual((periods["windows"], periods["slow_windows"], periods["levels"]), (14, 4, 2))
        # E[factor] = (T_slow · F + T_fast) / (T_slow + T_fast).
        expected = (4 / 3 * slow / fast + 10 / 4) / (4 / 3 + 10 / 4)
        self.assertAlmostEqual(slow_period_node.mean_factor(periods), expected)

    def test_no_slow_window_or_no_level_is_refused_with_the_place(self):
        flat = slow_period_node.level_factors(level_calls([[10, 10]] * 5))
        with self.assertRaisesRegex(slow_period_node.SlowPeriodsError, r"^here: 0 of 5 windows of 250 ms are slow"):
            slow_period_node.pooled_fit([flat], where="here")
        with self.assertRaisesRegex(slow_period_node.SlowPeriodsError, r"^here: no level at u ≥ 0.3"):
            slow_period_node.pooled_fit([], where="here")


class ApplyTests(unittest.TestCase):
    PERIODS = {"factor": 1.5, "slow_ms": 500.0, "fast_ms": 1500.0, "windows": 100, "slow_windows": 25, "levels": 3}

    def test_the_node_gets_the_key_and_the_scaling_is_divided_by_the_mean_factor(self):
        # E[factor] = (500 · 1.5 + 1500) / 2000 = 1.125.
        self.assertEqual(slow_period_node.mean_factor(self.PERIODS), 1.125)
        model = fit("{by: utilization, points: [[0.1, 1.0], [0.9, 0.9]]}")
        slow_period_node.apply(model, self.PERIODS)
        self.assertEqual(model["slow_periods"], "{factor: 1.5, slow: 500ms, fast: 1500ms}")
        self.assertEqual(model["scaling"], "{by: utilization, points: [[0.1, 0.888889], [0.9, 0.8]]}")
        text, _ = predicted_scenario.scenario_text(CONFIGS["grpc"], "0.30", {"model-a": model}, 50.0, "note", 1000, "/tmp")
        lines = text.splitlines()
        self.assertIn("  server: {kind: server, workers: 1, slowPeriods: {factor: 1.5, slow: 500ms, fast: 1500ms}}", lines)
        self.assertIn("  model-a: {serviceTime: 10ms, serviceTimeScaling: {by: utilization, points: [[0.1, 0.888889], "
                      "[0.9, 0.8]]}, output: 50B}", lines)

    def test_without_a_scaling_a_constant_one_deflates(self):
        model = fit()
        slow_period_node.apply(model, self.PERIODS)
        self.assertEqual(model["scaling"], "{by: utilization, points: [[0, 0.888889]]}")

    def test_the_thread_pool_server_keeps_its_description(self):
        model = fit()
        note = description_steps.with_slow_periods(CONFIGS["rest-thread"], "model-a", model, "/nonexistent", ["0.30"])
        self.assertEqual(note, "no slow periods for model-a (processor sharing)")
        self.assertNotIn("slow_periods", model)


class CampaignTests(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.dir)

    def write(self, level, calls):
        folder = os.path.join(self.dir, f"u{level}")
        os.makedirs(folder, exist_ok=True)
        wire.write_record_rows(os.path.join(folder, CONFIGS["grpc"].records_file("model-a")), calls)

    def test_levels_below_0_3_are_left_out(self):
        # u = 0.1: every other window slow (it would give 1-window sojourns); u = 0.3 and 0.6:
        # FitTests' level A (20 calls each): slow runs 2, 1, 2, 1 -> 1.5 windows, fast 2, 4, 1 twice -> 7/3.
        # A level of fewer than 20 ok calls (u = 0.85 here: 8) is skipped.
        self.write("0.10", level_calls([[10, 10], [13, 13]] * 6))
        self.write("0.30", level_calls(FitTests.LEVEL_A))
        self.write("0.60", level_calls(FitTests.LEVEL_A))
        self.write("0.85", level_calls(FitTests.LEVEL_B))
        periods = slow_period_node.campaign_fit(self.dir, CONFIGS["grpc"].records_file("model-a"),
                                                ["0.10", "0.30", "0.60", "0.85"])
        self.assertEqual((periods["levels"], periods["windows"]), (2, 20))
        self.assertAlmostEqual(periods["slow_ms"], 1.5 * 250)
        self.assertAlmostEqual(periods["fast_ms"], 7 / 3 * 250)

    def test_a_refusal_names_the_option_and_the_model(self):
        self.write("0.30", level_calls([[10, 10]] * 12))
        with self.assertRaisesRegex(CompareError, r"^--slow-periods: model-a: .*0 of 12 windows"):
            description_steps.with_slow_periods(CONFIGS["grpc"], "model-a", fit(), self.dir, ["0.30"])


class OptionTests(unittest.TestCase):
    def chosen(self, argv):
        parser = argparse.ArgumentParser()
        description.add_options(parser)
        return description.from_options(parser, parser.parse_args(argv))

    def test_slow_periods_are_refused_on_a_shared_host(self):
        self.assertTrue(self.chosen(["--slow-periods"]).slow_periods)
        self.assertFalse(self.chosen([]).slow_periods)
        for other in (["--shared-host"], ["--thread-pool-model", "loop-and-pool"]):
            with self.assertRaises(SystemExit), contextlib.redirect_stderr(io.StringIO()) as err:
                self.chosen(["--slow-periods"] + other)
            self.assertIn("hybridsim refuses `slowPeriods` on a node with `host`", err.getvalue(), other)


if __name__ == "__main__":
    unittest.main()
