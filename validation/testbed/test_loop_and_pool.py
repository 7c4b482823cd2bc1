#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests of the thread-pool server as an event loop and a pool (loop_and_pool.py,
compare.py `--thread-pool-model loop-and-pool`, its scenario in predicted_scenario.py), on
hand-made numbers and records (smoke.sh runs them with test_testbed.py).
  .venv/bin/python -m unittest test_loop_and_pool
"""
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import description_steps                                            # noqa: E402
import loop_and_pool                                                # noqa: E402
import predicted_scenario                                           # noqa: E402
from test_diagnostics import pool_call                              # noqa: E402
from testbed import wire                                            # noqa: E402
from testbed.servers import CONFIGS                                 # noqa: E402

MS = 1e-3


def fit(call="{callOverhead: 1ms, requestOverhead: 0B}"):
    return {"request_bytes": 98304, "service": "3.5ms", "samples": None, "scaling": None, "response_bytes": 15360,
            "protocol": "rest", "call": call, "server_work": None}


class LoopWorkTests(unittest.TestCase):
    # receive, handler start, handler end, response (ms): the first two overlap on the server
    # (their receipts 1.0 and 0.5 are left out); the last two had it to themselves, receipts
    # 0.2 and 0.4, responses 0.1 and 0.3: means 0.3 and 0.2.
    CALLS = [pool_call(0, 1, 4, 5), pool_call(4, 4.5, 8, 9), pool_call(10, 10.2, 13.2, 13.3),
             pool_call(20, 20.4, 24, 24.3)]

    def test_the_means_of_the_calls_alone_on_the_server(self):
        work = loop_and_pool.loop_work(self.CALLS)
        self.assertAlmostEqual(work["read"], 0.3 * MS, places=12)
        self.assertAlmostEqual(work["write"], 0.2 * MS, places=12)
        self.assertEqual(work["calls"], 2)

    def test_no_isolated_call_is_refused(self):
        with self.assertRaisesRegex(loop_and_pool.LoopWorkError, "no call had the server to itself"):
            loop_and_pool.loop_work(self.CALLS[:2])

    def test_what_moves_onto_the_loop_leaves_the_overhead(self):
        # 1 ms of constant overhead, 0.3 + 0.2 ms of loop work: 0.5 ms left; a lone request pays
        # 0.5 + 0.3 + handler + 0.2, the same as before.
        one = fit()
        loop_and_pool.apply(one, {"read": 0.3 * MS, "write": 0.2 * MS})
        self.assertEqual(one["call"], "{callOverhead: 500us, requestOverhead: 0B}")
        self.assertEqual(one["loop_work_s"], (0.3 * MS, 0.2 * MS))

    def test_refusals(self):
        with self.assertRaisesRegex(loop_and_pool.LoopWorkError, "already has serverWork"):
            loop_and_pool.apply(dict(fit(), server_work="receipt"), {"read": 0.1 * MS, "write": 0.1 * MS})
        with self.assertRaisesRegex(loop_and_pool.LoopWorkError, "cannot give up the loop's work: .*cannot take out"):
            loop_and_pool.apply(fit("{callOverhead: 0.4ms}"), {"read": 0.3 * MS, "write": 0.2 * MS})
        # compare.py names the option and the records file in front of the message.
        with tempfile.TemporaryDirectory() as level:
            path = os.path.join(level, "records.csv")
            wire.write_record_rows(path, [dict(c, request_id=k, config="rest-thread", protocol="rest", offered_rps="1",
                                               request_bytes=1, response_bytes=1, scheduled_ns=c["send_ns"])
                                          for k, c in enumerate(self.CALLS[:2])])
            with self.assertRaisesRegex(description_steps.CompareError, f"^--thread-pool-model loop-and-pool: {path}: no call"):
                description_steps.with_loop_work(fit(), path)

    def test_only_the_thread_pool_server_gets_it(self):
        self.assertTrue(description_steps.uses_loop_and_pool(CONFIGS["rest-thread"], False, "loop-and-pool"))
        self.assertFalse(description_steps.uses_loop_and_pool(CONFIGS["rest-thread"], True, "loop-and-pool"))
        self.assertFalse(description_steps.uses_loop_and_pool(CONFIGS["rest-thread"], False, "cores"))
        self.assertFalse(description_steps.uses_loop_and_pool(CONFIGS["rest-async"], False, "loop-and-pool"))


class LoopScenarioTests(unittest.TestCase):
    def test_the_loop_reads_hands_over_and_writes_on_the_shared_host(self):
        config = CONFIGS["rest-thread"]
        one = fit()
        loop_and_pool.apply(one, {"read": 0.3 * MS, "write": 0.2 * MS})
        text, metrics = predicted_scenario.scenario_text(config, "0.30", {"model-a": one}, 50.0, "note", 1000, "/tmp",
                                                         cores=2)
        lines = text.splitlines()
        host = predicted_scenario.SHARED_HOST
        for line in ("  loop-read: {serviceTime: 0.3ms, output: 98304B}",
                     "  model-a: {serviceTime: 3.5ms, output: 15360B}",
                     "  loop-write: {serviceTime: 0.2ms, output: 15360B}",
                     "hosts:", f"  {host}: {{cores: 2}}",
                     f"  node-loop: {{kind: server, workers: 1, host: {host}}}",
                     f"  server: {{kind: server, concurrency: {{model: processorSharing, cores: 2, maxInFlight: 40}}, "
                     f"host: {host}}}",
                     "  kind: pipeline",
                     "    - {model: loop-read, on: node-loop, via: rest, call: {callOverhead: 500us, requestOverhead: 0B}}",
                     "    - {model: model-a, on: server}", "    - {model: loop-write, on: node-loop}"):
            self.assertIn(line, lines)
        self.assertNotIn("links:", text)          # the hand-offs take no time
        self.assertNotIn("serverWork", text)
        self.assertNotIn("nodes.server.utilization", metrics)   # processor sharing: not compared
        # Without the loop's work the description is the one before: one node, a single call.
        before, _ = predicted_scenario.scenario_text(config, "0.30", {"model-a": fit()}, 50.0, "note", 1000, "/tmp", cores=2)
        self.assertIn("deployment: {kind: single, model: model-a, on: server, via: rest, call: {callOverhead: 1ms, "
                      "requestOverhead: 0B}}", before.splitlines())
        self.assertNotIn("loop", before.split("\n", 1)[1])


if __name__ == "__main__":
    unittest.main()
