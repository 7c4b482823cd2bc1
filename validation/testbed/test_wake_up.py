#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests of the idle server's wake-up from the records (wake_up.py, compare.py
`--wake-up`), on hand-made records whose idle times and overheads are chosen (smoke.sh runs
them).
  .venv/bin/python -m unittest test_wake_up
"""
import argparse
import contextlib
import io
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import description                                                  # noqa: E402
import predicted_scenario                                           # noqa: E402
import wake_up                                                      # noqa: E402
from testbed.servers import CONFIGS                                 # noqa: E402

MS = 1_000_000   # ns
HANDLER = 3 * MS
RECEIPT = MS // 10   # send -> handler start


def call(request_id, send_ns, overhead_ns, handler_start_ns=None):
    """An `ok` call sent at send_ns whose overhead (latency − handler) is overhead_ns."""
    start = send_ns + RECEIPT if handler_start_ns is None else handler_start_ns
    response = send_ns + HANDLER + overhead_ns
    return {"request_id": str(request_id), "send_ns": send_ns, "server_receive_ns": start, "handler_start_ns": start,
            "handler_end_ns": start + HANDLER, "response_ns": response, "status": "ok"}


def chain(pieces):
    """Calls one after another: a first call, then for each (count, idle ns, overhead ns) of
    `pieces` `count` calls each sent idle ns after the previous call's response."""
    calls = [call(0, 0, MS // 2)]
    for count, idle, overhead in pieces:
        for _ in range(count):
            calls.append(call(len(calls), calls[-1]["response_ns"] + idle, overhead))
    return calls


class IdleFoundTests(unittest.TestCase):
    def test_idle_time_since_the_previous_answer_and_overhead_of_each_idle_found_call(self):
        calls = chain([(2, 5 * MS, MS // 2)])
        found = wake_up.idle_found_calls(calls)
        self.assertEqual(len(found), 2)   # the level's first call is never selected
        for idle, overhead in found:
            self.assertAlmostEqual(idle, 5e-3, places=12)
            self.assertAlmostEqual(overhead, 0.5e-3, places=12)

    def test_a_call_sent_before_the_previous_answer_or_overtaking_an_earlier_call_is_left_out(self):
        first = call(0, 0, MS // 2)                                   # answered at 3.5 ms
        # Sent at 2 ms, before the first call's answer: it waited.
        waited = call(1, 2 * MS, 2 * MS, handler_start_ns=first["handler_end_ns"] + MS // 2)
        # Sent at 21 ms and handled before a call sent at 20 ms: it overtook that call.
        overtaking = call(2, 21 * MS, MS // 2)                        # answered at 24.5 ms
        late = call(3, 20 * MS, 7 * MS, handler_start_ns=25 * MS)     # sent before overtaking's answer
        found = wake_up.idle_found_calls([late, overtaking, waited, first])
        self.assertEqual(len(found), 0, "waited (sent before the previous answer), overtaking (a call sent "
                         "before it starts later), late (sent before overtaking's answer)")


class CurveTests(unittest.TestCase):
    def test_points_are_bin_medians_over_the_shortest_idle_bin_and_the_mean_extra_is_what_they_give(self):
        curve = wake_up.curve(chain([(40, MS // 2, MS // 2), (40, 2 * MS, 6 * MS // 10), (40, 20 * MS, 9 * MS // 10)]))
        expected = [(0.5e-3, 0.0), (2e-3, 0.1e-3), (20e-3, 0.4e-3)]
        self.assertEqual(len(curve["points"]), 3)
        for (t, e), (want_t, want_e) in zip(curve["points"], expected):
            self.assertAlmostEqual(t, want_t, places=12)
            self.assertAlmostEqual(e, want_e, places=12)
        # Every call sits on a point: (40 · 0 + 40 · 0.1 + 40 · 0.4) / 120 ms.
        self.assertAlmostEqual(curve["mean_extra_s"], 0.5e-3 / 3, places=12)
        self.assertEqual([b["count"] for b in curve["bins"]], [40, 40, 40])
        self.assertEqual(curve["calls"], 120)

    def test_a_small_bin_joins_its_shorter_neighbour(self):
        # 10 calls at 5 ms idle (the 3-10 ms bin) are too few: they join the 1-3 ms bin.
        curve = wake_up.curve(chain([(40, MS // 2, MS // 2), (40, 2 * MS, 6 * MS // 10), (10, 5 * MS, 7 * MS // 10),
                                     (40, 20 * MS, 9 * MS // 10)]))
        self.assertEqual([b["count"] for b in curve["bins"]], [40, 50, 40])
        self.assertAlmostEqual(curve["bins"][1]["idle_s"], 2e-3, places=12)
        self.assertAlmostEqual(curve["bins"][1]["overhead_s"], 0.6e-3, places=12)

    def test_bins_whose_median_falls_with_idle_time_are_pooled(self):
        # The 1-3 ms bin's median (0.4 ms) is below the shortest bin's (0.5 ms): pooled, 80 calls,
        # median idle (0.5 + 2) / 2 ms, median overhead (0.4 + 0.5) / 2 ms.
        curve = wake_up.curve(chain([(40, MS // 2, MS // 2), (40, 2 * MS, 4 * MS // 10), (40, 20 * MS, 9 * MS // 10)]))
        self.assertEqual([b["count"] for b in curve["bins"]], [80, 40])
        for (t, e), (want_t, want_e) in zip(curve["points"], [(1.25e-3, 0.0), (20e-3, 0.45e-3)]):
            self.assertAlmostEqual(t, want_t, places=12)
            self.assertAlmostEqual(e, want_e, places=12)
        self.assertTrue(all(e >= 0 for _, e in curve["points"]))

    def test_too_few_idle_found_calls_are_refused_with_the_file(self):
        with self.assertRaisesRegex(wake_up.WakeUpError, r"^u0.10/records.csv: 59 calls found the server idle"):
            wake_up.curve(chain([(59, 5 * MS, MS // 2)]), "u0.10/records.csv")

    def test_the_extra_is_linear_between_points_and_flat_beyond_them(self):
        points = [(1e-3, 0.0), (3e-3, 2e-4)]
        self.assertEqual(wake_up.extra_at(points, 0.5e-3), 0.0)
        self.assertAlmostEqual(wake_up.extra_at(points, 2e-3), 1e-4, places=15)
        self.assertEqual(wake_up.extra_at(points, 9e-3), 2e-4)


def fit(call_text):
    return {"request_bytes": 100, "service": "4ms", "samples": None, "scaling": None, "response_bytes": 50,
            "protocol": "grpc", "call": call_text}


class ApplyTests(unittest.TestCase):
    CURVE = {"points": [(0.5e-3, 0.0), (20e-3, 0.4e-3)], "mean_extra_s": 0.2e-3}

    def test_the_node_gets_the_points_and_the_call_loses_the_mean_extra(self):
        model = fit("{callOverhead: {dist: lognormal, mean: 800us, cv: 0.5}, serverWork: 300us}")
        wake_up.apply(model, self.CURVE)
        # Same standard deviation (400 us), mean 600 us.
        self.assertEqual(model["call"], "{callOverhead: {dist: lognormal, mean: 600us, cv: 0.666667}, serverWork: 300us}")
        text, _ = predicted_scenario.scenario_text(CONFIGS["grpc"], "0.30", {"model-a": model}, 50.0, "note", 1000,
                                                   "/tmp")
        self.assertIn("  server: {kind: server, workers: 1, wakeUp: {points: [[500us, 0us], [20000us, 400us]]}}",
                      text.splitlines())
        # Without --wake-up the node is as before.
        plain, _ = predicted_scenario.scenario_text(CONFIGS["grpc"], "0.30", {"model-a": fit("{callOverhead: 1ms}")},
                                                    50.0, "note", 1000, "/tmp")
        self.assertIn("  server: {kind: server, workers: 1}", plain.splitlines())

    def test_an_overhead_that_cannot_hold_the_mean_extra_is_refused(self):
        with self.assertRaisesRegex(wake_up.WakeUpError, r"wake-up 0.200 ms a call: callOverhead 100us: cannot take out"):
            wake_up.apply(fit("{callOverhead: 100us}"), self.CURVE)


class OptionTests(unittest.TestCase):
    def chosen(self, argv):
        parser = argparse.ArgumentParser()
        description.add_options(parser)
        return description.from_options(parser, parser.parse_args(argv))

    def test_wake_up_is_refused_with_an_overhead_not_fitted_on_the_lowest_levels_idle_found_calls(self):
        self.assertTrue(self.chosen(["--wake-up"]).wake_up)
        for other in (["--plain"], ["--overhead-calls", "all"], ["--overhead-at", "0.3"], ["--overhead-from", "sequential"]):
            with self.assertRaises(SystemExit), contextlib.redirect_stderr(io.StringIO()) as err:
                self.chosen(["--wake-up"] + other)
            self.assertIn("--wake-up lowers a callOverhead", err.getvalue(), other)

    def test_wake_up_is_refused_on_a_shared_host_which_hybridsim_does_not_simulate_it_on(self):
        with self.assertRaises(SystemExit), contextlib.redirect_stderr(io.StringIO()) as err:
            self.chosen(["--wake-up", "--shared-host"])
        self.assertIn("hybridsim refuses `wakeUp` on a node with `host`", err.getvalue())


if __name__ == "__main__":
    unittest.main()
