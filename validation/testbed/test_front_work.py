#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests of the front's message handling as work (front_work.py, compare.py
`--front-work`, the pipeline's front stages and the fan-out's messages one at a time in
predicted_scenario.py, `--branch-overhead smallest`), on hand-made numbers
and records (smoke.sh runs them with test_testbed.py).
  .venv/bin/python -m unittest test_front_work
"""
import json
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import description_steps                                            # noqa: E402
import front_work                                                   # noqa: E402
import predicted_scenario                                           # noqa: E402
import test_diagnostics                                             # noqa: E402
from testbed import wire                                            # noqa: E402
from testbed.servers import CONFIGS                                 # noqa: E402

MS = 1e-3


class SplitTests(unittest.TestCase):
    # A pipeline of two stages by hand (ms): CPU 0.7 per request, read 0.1, dispatch 0.002,
    # between 0.006, fuse 0.002; after the read 2 · 2 + 1 = 5 messages share 0.7 − 0.11 = 0.59:
    # 0.118 each.
    PIECES = front_work.split_cpu(0.7 * MS, 0.1 * MS, 0.002 * MS, 0.006 * MS, 0.002 * MS, 5, "here")

    def test_the_cpu_is_split_per_message_by_hand(self):
        self.assertEqual(front_work.messages_after_read(CONFIGS["pipeline-rest"]), 5)
        self.assertAlmostEqual(self.PIECES["message"], 0.118 * MS, places=12)
        # in = read + dispatch + write 1; between = read answer 1 + gap + write 2;
        # out = read answer 2 + fuse + write of the response.
        work = front_work.pipeline_work(self.PIECES, 2)
        for got, want in zip(work, (0.22, 0.242, 0.238)):
            self.assertAlmostEqual(got, want * MS, places=12)
        self.assertAlmostEqual(sum(work), 0.7 * MS, places=12)   # the whole CPU is placed, once
        # Three stages: the measured gaps' sum (0.006) is spread over the two gaps.
        three = front_work.pipeline_work(self.PIECES, 3)
        self.assertEqual(len(three), 4)
        self.assertAlmostEqual(three[1], (0.118 + 0.003 + 0.118) * MS, places=12)

    def test_what_leaves_the_overheads_is_the_work_minus_the_own_time(self):
        # The client's call loses read + the response's write (0.1 + 0.118), each backend call
        # the write and the answer's read (0.236): 0.69 in all, the work placed (0.7) minus the
        # own time (0.01) that the overheads never held (compare.py's earlier front stage).
        client = front_work.client_call_taken_out(self.PIECES)
        backend = front_work.backend_call_taken_out(self.PIECES)
        self.assertAlmostEqual(client, 0.218 * MS, places=12)
        self.assertAlmostEqual(backend, 0.236 * MS, places=12)
        own = 0.01 * MS
        self.assertAlmostEqual(sum(front_work.pipeline_work(self.PIECES, 2)) - (client + 2 * backend), own, places=12)

    def test_a_cpu_below_the_measured_read_and_own_time_is_refused(self):
        with self.assertRaisesRegex(front_work.FrontWorkError, "level-x: the front's CPU per request"):
            front_work.split_cpu(0.1 * MS, 0.1 * MS, 0.001 * MS, 0, 0, 5, "level-x")


class LoweredOverheadTests(unittest.TestCase):
    REST = ("{callOverhead: {dist: lognormal, shift: 300us, mean: 500us, cv: 0.4}, requestOverhead: 0B, "
            "serverWork: {dist: lognormal, shift: 80us, mean: 300us, cv: 1.2}}")

    def parts(self, call):
        spec = call[call.index("callOverhead: {") + len("callOverhead: {"):call.index("}")]
        keys = dict(part.split(": ", 1) for part in spec.split(", "))
        mean = front_work.seconds(keys["mean"])
        return mean, front_work.seconds(keys.get("shift", "0s")), float(keys["cv"]) * mean

    def test_a_shift_that_covers_the_amount_is_an_exact_translation(self):
        # 0.2 ms out of shift 0.3, mean 0.5, sd 0.2: shift 0.1, mean 0.3, sd 0.2; serverWork untouched.
        lowered = front_work.lowered_call_overhead(self.REST, 0.2 * MS)
        mean, shift, sd = self.parts(lowered)
        self.assertAlmostEqual(mean, 0.3 * MS, places=12)
        self.assertAlmostEqual(shift, 0.1 * MS, places=12)
        self.assertAlmostEqual(sd, 0.2 * MS, places=9)
        self.assertTrue(lowered.endswith(", requestOverhead: 0B, serverWork: {dist: lognormal, shift: 80us, mean: 300us, cv: 1.2}}"))

    def test_beyond_the_shift_the_mean_drops_and_the_spread_stays(self):
        # 0.4 ms out of the same: no shift left, mean 0.1, sd 0.2 (cv 2).
        mean, shift, sd = self.parts(front_work.lowered_call_overhead(self.REST, 0.4 * MS))
        self.assertEqual(shift, 0.0)
        self.assertAlmostEqual(mean, 0.1 * MS, places=12)
        self.assertAlmostEqual(sd, 0.2 * MS, places=9)

    def test_a_constant_and_the_refusals(self):
        self.assertEqual(front_work.lowered_call_overhead("{callOverhead: 1ms, serverWork: 2ms}", 0.25 * MS),
                         "{callOverhead: 750us, serverWork: 2ms}")
        with self.assertRaisesRegex(front_work.FrontWorkError, "its mean is not more than 0.500 ms"):
            front_work.lowered_call_overhead(self.REST, 0.5 * MS)
        with self.assertRaisesRegex(front_work.FrontWorkError, "cannot take out 1.000 ms"):
            front_work.lowered_call_overhead("{callOverhead: 1ms}", 1 * MS)
        with self.assertRaisesRegex(front_work.FrontWorkError, "only a constant, lognormal or gamma"):
            front_work.lowered_call_overhead("{callOverhead: {dist: weibull, shape: 1.5, scale: 1ms}}", 0.1 * MS)
        with self.assertRaisesRegex(front_work.FrontWorkError, "no callOverhead"):
            front_work.lowered_call_overhead("{serverWork: 1ms}", 0.1 * MS)


class LoweredSamplesTests(unittest.TestCase):
    """An empirical callOverhead (compare.py --overhead-family empirical) is lowered sample by
    sample into a new file beside the original; the scenario's paths are made relative."""

    def test_every_sample_is_lowered_into_a_new_file(self):
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "overhead-samples.csv")
            with open(path, "w") as f:
                f.write("seconds\n0.0003\n0.0005\n0.0010\n")
            call = f"{{callOverhead: {{dist: empirical, file: {path}}}, serverWork: {{dist: empirical, file: s.csv}}}}"
            lowered = front_work.lowered_call_overhead(call, 0.25 * MS)
            new = os.path.join(folder, "overhead-samples-lowered.csv")
            self.assertEqual(lowered, f"{{callOverhead: {{dist: empirical, file: {new}}}, serverWork: {{dist: empirical, file: s.csv}}}}")
            with open(new) as f:
                lines = f.read().split()
            self.assertEqual(lines[0], "seconds")
            for value, original in zip(map(float, lines[1:]), (0.0003, 0.0005, 0.0010)):
                self.assertAlmostEqual(value, original - 0.25 * MS, places=15)
            with open(path) as f:
                self.assertEqual(f.read(), "seconds\n0.0003\n0.0005\n0.0010\n", "the original is kept")
            with self.assertRaisesRegex(front_work.FrontWorkError, r"cannot take 0.300 ms out of every sample: 1 of 3 "
                                        r"\(the smallest 0.300 ms\) would not stay positive"):
                front_work.lowered_call_overhead(call, 0.3 * MS)

    def test_calibrates_absolute_sample_paths_become_relative_to_the_scenario(self):
        text = "call: {callOverhead: {dist: empirical, file: /r/c/calibration-a/overhead-samples.csv}}\n" \
               "serviceTime: {dist: empirical, file: ../calibration-a/service-samples.csv}\n"
        self.assertEqual(predicted_scenario.relative_files(text, "/r/c/u0.30"),
                         "call: {callOverhead: {dist: empirical, file: ../calibration-a/overhead-samples.csv}}\n"
                         "serviceTime: {dist: empirical, file: ../calibration-a/service-samples.csv}\n")


class FrontPiecesFromRecordsTests(unittest.TestCase):
    def test_pieces_of_a_level_folder(self):
        # DecomposeTests' pipeline request: front read 0.1, dispatch 0.01, between 0.05, fuse 0.1
        # (ms); with a measured CPU of 0.96 ms per request the 5 further messages get
        # (0.96 − 0.26) / 5 = 0.14 each.
        d = test_diagnostics.DecomposeTests
        with tempfile.TemporaryDirectory() as level:
            wire.write_record_rows(os.path.join(level, "records.csv"), [d.CLIENT])
            wire.write_record_rows(os.path.join(level, "records-stage-1.csv"), [d.STAGE1])
            wire.write_record_rows(os.path.join(level, "records-stage-2.csv"), [d.STAGE2])
            summary = {"measurement": {"offered_rps": 10}}
            with open(os.path.join(level, "summary.json"), "w") as f:
                json.dump(summary, f)
            with self.assertRaisesRegex(front_work.FrontWorkError, "no measurement.host_cpu.processes.front"):
                front_work.front_pieces(CONFIGS["pipeline-rest"], level)
            summary["measurement"]["host_cpu"] = {"processes": {"front": {"cpu_ms_per_request": 0.96}}}
            with open(os.path.join(level, "summary.json"), "w") as f:
                json.dump(summary, f)
            pieces = front_work.front_pieces(CONFIGS["pipeline-rest"], level)
        want = {"read": 0.1, "dispatch": 0.01, "between": 0.05, "fuse": 0.1, "message": 0.14, "cpu": 0.96}
        for name, value in want.items():
            self.assertAlmostEqual(pieces[name], value * MS, places=12, msg=name)


class PipelineScenarioTests(unittest.TestCase):
    def test_the_front_calls_every_stage_and_answers_the_client(self):
        config = CONFIGS["pipeline-rest"]
        fits = {m: {"request_bytes": 100, "service": "4ms", "samples": None, "scaling": None, "response_bytes": 50 + k,
                    "protocol": "rest", "call": "{callOverhead: 1ms}"} for k, m in enumerate(config.models)}
        front = {"overhead_s": 0.002, "own_s": 0.001, "work_s": [0.2 * MS, 0.3 * MS, 0.4 * MS]}
        text, _ = predicted_scenario.scenario_text(config, "0.30", fits, 50.0, "note", 1000, "/tmp", front, cores=2,
                                                   shared_host=True)
        lines = text.splitlines()
        for line in ("  front-in: {serviceTime: 0.2ms, output: 100B}", "  front-between-1: {serviceTime: 0.3ms, output: 50B}",
                     "  front-out: {serviceTime: 0.4ms, output: 51B}",
                     "  - {between: [client, node-front], latency: 1ms}",
                     "  - {between: [node-front, node-stage-1], latency: 0s}",
                     "  - {between: [node-front, node-stage-2], latency: 0s}",
                     f"  node-front: {{kind: server, workers: 1, host: {predicted_scenario.SHARED_HOST}}}"):
            self.assertIn(line, lines)
        stages = [line.split(",")[0].split(": ")[-1] for line in lines if line.startswith("    - {model: ")]
        self.assertEqual(stages, ["front-in", "stage-1", "front-between-1", "stage-2", "front-out"])
        self.assertNotIn("  front: ", text)
        self.assertNotIn("[node-stage-1, node-stage-2]", text)   # no stage calls the next
        # Without work_s the description is the one before, byte for byte.
        del front["work_s"]
        before, _ = predicted_scenario.scenario_text(config, "0.30", fits, 50.0, "note", 1000, "/tmp", front, cores=2)
        self.assertIn("    - {model: front, on: node-front}", before.splitlines())
        self.assertIn("  - {between: [node-stage-2, client], latency: 1ms}", before.splitlines())

    def test_apply_lowers_each_overhead_and_reports_a_located_refusal(self):
        config = CONFIGS["pipeline-rest"]
        pieces = front_work.split_cpu(0.7 * MS, 0.1 * MS, 0.002 * MS, 0.006 * MS, 0.002 * MS, 5, "here")
        fits = {m: {"call": "{callOverhead: 1ms}"} for m in config.models}
        front = {"overhead_s": 1 * MS, "own_s": 0.01 * MS}
        front_work.apply(config, fits, front, pieces)
        self.assertAlmostEqual(front["overhead_s"], (1 - 0.218) * MS, places=12)
        self.assertEqual([fits[m]["call"] for m in config.models], ["{callOverhead: 764us}"] * 2)
        self.assertEqual(len(front["work_s"]), 3)
        fits = {m: {"call": "{callOverhead: 0.2ms}"} for m in config.models}
        with self.assertRaisesRegex(front_work.FrontWorkError, "callOverhead 0.2ms: cannot take out"):
            front_work.apply(config, fits, {"overhead_s": 1 * MS, "own_s": 0}, pieces)
        with self.assertRaisesRegex(front_work.FrontWorkError, "pipeline-rest: the client's call overhead"):
            front_work.apply(config, fits, {"overhead_s": 0.2 * MS, "own_s": 0}, pieces)
        # compare.py names the option in front of the message (here: a level with no request ok).
        with tempfile.TemporaryDirectory() as level:
            failed = dict(test_diagnostics.DecomposeTests.CLIENT, status="http-500")
            for name in ("records.csv", "records-stage-1.csv", "records-stage-2.csv"):
                wire.write_record_rows(os.path.join(level, name), [failed])
            with self.assertRaisesRegex(description_steps.CompareError, "^--front-work: .*no request of the front"):
                description_steps.with_front_work(config, fits, {"overhead_s": 1 * MS, "own_s": 0}, level)


class FanOutTests(unittest.TestCase):
    # A fan-out of two branches by hand (ms): the same pieces as SplitTests (read 0.1, dispatch
    # 0.002, between 0.006, fuse 0.002, 0.118 a further message).
    PIECES = SplitTests.PIECES

    def test_the_messages_one_at_a_time_by_hand(self):
        # dispatch = read + dispatch = 0.1 + 0.002 = 0.102; a write and a read 0.118 each;
        # fusion = between + fuse + the response's write = 0.006 + 0.002 + 0.118 = 0.126.
        work = front_work.fanout_work(self.PIECES)
        self.assertAlmostEqual(work["dispatch_work_s"], 0.102 * MS, places=12)
        self.assertAlmostEqual(work["send_work_s"], 0.118 * MS, places=12)
        self.assertAlmostEqual(work["read_work_s"], 0.118 * MS, places=12)
        self.assertAlmostEqual(work["fusion_work_s"], 0.126 * MS, places=12)
        whole = work["dispatch_work_s"] + 2 * (work["send_work_s"] + work["read_work_s"]) + work["fusion_work_s"]
        self.assertAlmostEqual(whole, 0.7 * MS, places=12)   # the whole CPU, once, with two branches

    def test_the_fan_out_dispatch_runs_to_the_first_call(self):
        # Request 1: handler start 1000 ns, call a sent at 1100 (answer 5000), b at 1200 (answer
        # 6000, critical): dispatch 100, a later critical call sent 100 after the first.
        # Request 2: start 0, a sent at 50 (answer 9000, critical), b at 130: dispatch 50, the
        # first call critical. Means: dispatch 75 ns, the later send 100 ns (request 1 alone).
        rows = [({"handler_start_ns": 1000}, [("a", {"send_ns": 1100, "response_ns": 5000}),
                                               ("b", {"send_ns": 1200, "response_ns": 6000})]),
                ({"handler_start_ns": 0}, [("a", {"send_ns": 50, "response_ns": 9000}),
                                            ("b", {"send_ns": 130, "response_ns": 8000})])]
        dispatch, later = front_work.fanout_dispatch(rows)
        self.assertAlmostEqual(dispatch, 75e-9, places=18)
        self.assertAlmostEqual(later, 100e-9, places=18)
        self.assertIsNone(front_work.fanout_dispatch(rows[1:])[1])

    def test_apply_to_a_fan_out_lowers_the_same_overheads(self):
        config = CONFIGS["collab-rest"]
        fits = {m: {"call": "{callOverhead: 1ms}"} for m in config.models}
        front = {"overhead_s": 1 * MS, "own_s": 0.01 * MS}
        front_work.apply(config, fits, front, self.PIECES)
        self.assertAlmostEqual(front["dispatch_work_s"], 0.102 * MS, places=12)
        self.assertAlmostEqual(front["send_work_s"], 0.118 * MS, places=12)
        self.assertAlmostEqual(front["read_work_s"], 0.118 * MS, places=12)
        self.assertAlmostEqual(front["fusion_work_s"], 0.126 * MS, places=12)
        self.assertNotIn("work_s", front)
        self.assertAlmostEqual(front["overhead_s"], (1 - 0.218) * MS, places=12)
        self.assertEqual([fits[m]["call"] for m in config.models], ["{callOverhead: 764us}"] * 2)

    def test_the_scenario_has_the_works_instead_of_the_cost(self):
        config = CONFIGS["collab-rest"]
        fits = {m: {"request_bytes": 100, "service": "4ms", "samples": None, "scaling": None, "response_bytes": 50,
                    "protocol": "rest", "call": "{callOverhead: 1ms}"} for m in config.models}
        front = {"overhead_s": 0.002, "own_s": 0.001}
        before, _ = predicted_scenario.scenario_text(config, "0.30", fits, 50.0, "note", 1000, "/tmp", front, cores=2)
        self.assertIn("  fusion: {method: mean, cost: 1ms}", before.splitlines())
        self.assertNotIn("dispatchWork", before)
        self.assertNotIn("sendWork", before)
        front.update(dispatch_work_s=0.102 * MS, send_work_s=0.118 * MS, read_work_s=0.118 * MS,
                     fusion_work_s=0.126 * MS)
        text, _ = predicted_scenario.scenario_text(config, "0.30", fits, 50.0, "note", 1000, "/tmp", front, cores=2)
        lines = text.splitlines()
        self.assertIn("  dispatchWork: 0.102ms", lines)
        self.assertIn("  sendWork: 0.118ms", lines)
        self.assertIn("  fusion: {method: mean, readWork: 0.118ms, work: 0.126ms}", lines)
        self.assertNotIn("cost:", text)

    def test_smallest_branch_overhead(self):
        calls = ["{callOverhead: {dist: lognormal, shift: 300us, mean: 900us, cv: 0.4}, requestOverhead: 0B}",
                 "{callOverhead: {dist: gamma, mean: 700us, cv: 0.5}, requestOverhead: 10B}"]
        self.assertEqual(front_work.smallest_branch_overhead(calls),
                         ["{callOverhead: {dist: gamma, mean: 700us, cv: 0.5}, requestOverhead: 0B}", calls[1]])
        self.assertAlmostEqual(front_work.overhead_mean("{callOverhead: 1.5ms}"), 1.5 * MS, places=12)
        with self.assertRaisesRegex(front_work.FrontWorkError, "no callOverhead"):
            front_work.smallest_branch_overhead(["{requestOverhead: 0B}", calls[0]])

    def test_compare_step_gives_every_branch_the_smallest_and_names_the_option_in_a_refusal(self):
        config = CONFIGS["collab-rest"]
        fits = {m: {"call": call} for m, call in zip(config.models, ("{callOverhead: 900us}", "{callOverhead: 700us}"))}
        note = description_steps.with_smallest_branch_overhead(config, fits)
        self.assertEqual([fits[m]["call"] for m in config.models], ["{callOverhead: 700us}"] * 2)
        self.assertEqual(note, "every branch with the smallest branch callOverhead")
        fits[config.models[0]]["call"] = "{requestOverhead: 0B}"
        with self.assertRaisesRegex(description_steps.CompareError, "^--branch-overhead smallest: .*no callOverhead"):
            description_steps.with_smallest_branch_overhead(config, fits)


if __name__ == "__main__":
    unittest.main()
