#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests of the overhead's load dependence in the predictions (overhead_scaling.py,
compare.py `--overhead-scaling`), on hand-made calibrate results (smoke.sh runs them).
  .venv/bin/python -m unittest test_overhead_scaling
"""
import argparse
import contextlib
import io
import json
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import description                                                  # noqa: E402
import overhead_scaling                                             # noqa: E402
import predicted_scenario                                           # noqa: E402
from testbed import wire                                            # noqa: E402
from testbed.servers import CONFIGS                                 # noqa: E402

# calibrate's levels at 10, 20, 40 and 60 requests/s, E[S] + E[serverWork] = 5 ms: x = 0.05,
# 0.1, 0.2, 0.3; means 1.0, 0.8, 0.7, 0.75 ms, the overhead fitted at 10 requests/s.
LEVELS = [{"offered_rps": rps, "x": rps * 0.005, "factor": f} for rps, f in ((10, 1.0), (20, 0.8), (40, 0.7), (60, 0.75))]
DEPENDENCE = {"points": [(level["x"], level["factor"]) for level in LEVELS], "levels": LEVELS, "p_value": 1e-9,
              "base_offered_rps": 10, "summary": "grpc: ..."}
CALL = "{callOverhead: 1ms, requestOverhead: 0B, responseOverhead: 0B, payloadInflation: 1, codecThroughput: unlimited}"


class PointsTests(unittest.TestCase):
    def test_all_keeps_every_point_and_held_out_drops_the_levels_own(self):
        every = [(0.05, 1.0), (0.1, 0.8), (0.2, 0.7), (0.3, 0.75)]
        self.assertEqual(overhead_scaling.level_points(DEPENDENCE, "all", 40), every)
        self.assertEqual(overhead_scaling.level_points(DEPENDENCE, "held-out", 40), [(0.05, 1.0), (0.1, 0.8), (0.3, 0.75)])
        self.assertEqual(overhead_scaling.level_points(DEPENDENCE, "held-out", 60), every[:3])
        # The level the overhead was fitted on keeps every point (f = 1 there either way).
        self.assertEqual(overhead_scaling.level_points(DEPENDENCE, "held-out", 10), every)

    def test_held_out_factors_are_interpolated_from_the_other_levels(self):
        # At 40 requests/s (x 0.2) without its point: between (0.1, 0.8) and (0.3, 0.75): 0.775.
        points = overhead_scaling.level_points(DEPENDENCE, "held-out", 40)
        self.assertAlmostEqual(overhead_scaling.factor_at(points, 0.2), 0.775, places=12)
        # At 60 (x 0.3) without its point: flat beyond the last remaining one, 0.7.
        self.assertEqual(overhead_scaling.factor_at(overhead_scaling.level_points(DEPENDENCE, "held-out", 60), 0.3), 0.7)

    def test_a_level_calibrate_did_not_measure_is_refused(self):
        with self.assertRaisesRegex(overhead_scaling.OverheadScalingError, r"no calibrated level at offered_rps 30 \(levels: 10, 20, 40, 60\)"):
            overhead_scaling.level_points(DEPENDENCE, "all", 30)


class KeyTests(unittest.TestCase):
    def test_the_key_goes_last_into_the_call_with_x_over_the_cores(self):
        key = overhead_scaling.scaling_key([(0.1, 0.8), (0.3, 0.75)])
        self.assertEqual(key, "{by: utilization, points: [[0.1, 0.8], [0.3, 0.75]]}")
        self.assertEqual(overhead_scaling.scaling_key([(0.4, 1.0)], cores=4), "{by: utilization, points: [[0.1, 1.0]]}")
        self.assertEqual(overhead_scaling.with_scaling("{callOverhead: 1ms, serverWork: 300us}", key),
                         "{callOverhead: 1ms, serverWork: 300us, callOverheadScaling: " + key + "}")
        with self.assertRaisesRegex(overhead_scaling.OverheadScalingError, "no callOverhead to scale"):
            overhead_scaling.with_scaling("{serverWork: 300us}", key)

    def test_the_scenario_carries_the_key_in_the_model_call(self):
        fit = {"request_bytes": 100, "service": "4ms", "samples": None, "scaling": None, "response_bytes": 50,
               "protocol": "grpc", "call": overhead_scaling.with_scaling(CALL, overhead_scaling.scaling_key([(0.05, 1.0), (0.1, 0.8)]))}
        text, _ = predicted_scenario.scenario_text(CONFIGS["grpc"], "0.30", {"model-a": fit}, 50.0, "note", 1000, "/tmp")
        self.assertIn("deployment: {kind: single, model: model-a, on: server, via: grpc, call: {callOverhead: 1ms, "
                      "requestOverhead: 0B, responseOverhead: 0B, payloadInflation: 1, codecThroughput: unlimited, "
                      "callOverheadScaling: {by: utilization, points: [[0.05, 1.0], [0.1, 0.8]]}}}", text.splitlines())


class LevelFitsTests(unittest.TestCase):
    def test_each_level_gets_its_points_and_a_note(self):
        with tempfile.TemporaryDirectory() as folder:
            calibration = os.path.join(folder, "calibration-model-a")
            os.makedirs(calibration)
            with open(os.path.join(calibration, "calibration.json"), "w") as f:
                json.dump({"protocols": [{"overhead_load_dependence": {
                    "levels": LEVELS, "p_value": 1e-9, "base_offered_rps": 10, "summary": "grpc: ...",
                    "call_overhead_scaling": {"by": "utilization", "points": [[l["x"], l["factor"]] for l in LEVELS]}}}]}, f)
            dependence = overhead_scaling.read_dependence(calibration)
            self.assertEqual(dependence["points"], DEPENDENCE["points"])
            level = os.path.join(folder, "u0.20")
            os.makedirs(level)
            wire.write_record_rows(os.path.join(level, "records.csv"), [{
                "request_id": "1", "config": "grpc", "protocol": "grpc", "offered_rps": "40", "send_ns": 0,
                "server_receive_ns": 1, "handler_start_ns": 1, "handler_end_ns": 2, "response_ns": 3,
                "request_bytes": 1, "response_bytes": 1, "status": "ok", "scheduled_ns": 0}])
            fit = {"call": CALL, "overhead_scaling": dependence}
            fits, note = overhead_scaling.level_fits(CONFIGS["grpc"], {"model-a": fit}, "held-out", level)
            self.assertTrue(fits["model-a"]["call"].endswith(
                ", callOverheadScaling: {by: utilization, points: [[0.05, 1.0], [0.1, 0.8], [0.3, 0.75]]}}"))
            self.assertEqual(fit["call"], CALL, "the calibrated fit is left as it is")
            self.assertEqual(note, "model-a callOverheadScaling held-out: f(0.2) = 0.7750 from (0.05, 1.0000), "
                                   "(0.1, 0.8000), (0.3, 0.7500)")
            # No significant dependence: the call keeps its constant overhead.
            unscaled, note = overhead_scaling.level_fits(
                CONFIGS["grpc"], {"model-a": {"call": CALL, "overhead_scaling": dict(dependence, points=None)}}, "all", level)
            self.assertEqual(unscaled["model-a"]["call"], CALL)
            self.assertEqual(note, "no callOverheadScaling")

    def test_read_dependence_refuses_a_calibration_without_it(self):
        with tempfile.TemporaryDirectory() as folder:
            with open(os.path.join(folder, "calibration.json"), "w") as f:
                json.dump({"protocols": [{"protocol": "grpc"}]}, f)
            with self.assertRaisesRegex(overhead_scaling.OverheadScalingError, "calibrate --overhead-load-dependence"):
                overhead_scaling.read_dependence(folder)


class OptionTests(unittest.TestCase):
    def chosen(self, argv):
        parser = argparse.ArgumentParser()
        description.add_options(parser)
        return description.from_options(parser, parser.parse_args(argv))

    def test_the_option_and_its_refusal_with_plain(self):
        self.assertIsNone(self.chosen([]).overhead_scaling)
        self.assertEqual(self.chosen(["--overhead-scaling", "held-out"]).overhead_scaling, "held-out")
        with self.assertRaises(SystemExit), contextlib.redirect_stderr(io.StringIO()) as err:
            self.chosen(["--overhead-scaling", "all", "--plain"])
        self.assertIn("--overhead-scaling scales the calibrated callOverhead", err.getvalue())


if __name__ == "__main__":
    unittest.main()
