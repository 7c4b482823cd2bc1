#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests of the load generator's CPU as work (client_work.py, compare.py `--client-work`,
the client's stages in predicted_scenario.py), on hand-made numbers and level folders
(smoke.sh runs them with test_testbed.py; the smoke test runs the scenarios in hybridsim).
  .venv/bin/python -m unittest test_client_work
"""
import json
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import client_work                                                  # noqa: E402
import description_steps                                            # noqa: E402
import predicted_scenario                                           # noqa: E402
from testbed.servers import CONFIGS                                 # noqa: E402

MS = 1e-3


def level_with_client(folder, client):
    """A level folder whose summary.json has measurement.host_cpu.processes.client = client."""
    summary = {"measurement": {"offered_rps": 10, "host_cpu": {"processes": {"client": client}}}}
    with open(os.path.join(folder, "summary.json"), "w") as f:
        json.dump(summary, f)
    return folder


def single_fit(call="{callOverhead: 1ms}"):
    return {"request_bytes": 100, "service": "4ms", "samples": None, "scaling": None, "response_bytes": 50,
            "protocol": "rest", "call": call}


class ClientCpuTests(unittest.TestCase):
    def test_the_cpu_per_request_of_a_level_in_two_halves(self):
        with tempfile.TemporaryDirectory() as level:
            level_with_client(level, {"cpu_ms_per_request": 0.3, "threads_ended": 0})
            cpu = client_work.client_cpu(level)
        self.assertAlmostEqual(cpu, 0.3 * MS, places=15)
        work = client_work.split(cpu)
        self.assertAlmostEqual(work["send"], 0.15 * MS, places=15)
        self.assertAlmostEqual(work["receive"], 0.15 * MS, places=15)
        self.assertEqual(work["send"] + work["receive"], work["cpu"])

    def test_missing_or_incomplete_accounting_is_refused_with_the_file(self):
        with tempfile.TemporaryDirectory() as level:
            with open(os.path.join(level, "summary.json"), "w") as f:
                json.dump({"measurement": {"offered_rps": 10}}, f)
            with self.assertRaisesRegex(client_work.ClientWorkError,
                                        "summary.json: no measurement.host_cpu.processes.client"):
                client_work.client_cpu(level)
            level_with_client(level, {"cpu_ms_per_request": 0.3, "threads_ended": 2})
            with self.assertRaisesRegex(client_work.ClientWorkError, "2 of the client's threads ended"):
                client_work.client_cpu(level)
            level_with_client(level, {"cpu_ms_per_request": 0.0, "threads_ended": 0})
            with self.assertRaisesRegex(client_work.ClientWorkError, "CPU per request is 0.0 ms"):
                client_work.client_cpu(level)


class ApplyTests(unittest.TestCase):
    WORK = client_work.split(0.3 * MS)

    def test_a_single_servers_entry_call_gives_up_the_whole_cpu(self):
        config = CONFIGS["rest-async"]
        fits = {"model-a": single_fit()}
        client = client_work.apply(config, fits, None, self.WORK)
        self.assertEqual(fits["model-a"]["call"], "{callOverhead: 700us}")
        self.assertEqual(client, {"send_s": 0.15 * MS, "receive_s": 0.15 * MS})
        fits = {"model-a": single_fit("{callOverhead: 0.2ms}")}
        with self.assertRaisesRegex(client_work.ClientWorkError, "rest-async: the entry call's overhead cannot give up"):
            client_work.apply(config, fits, None, self.WORK)

    def test_a_pipelines_call_to_the_front_gives_up_the_whole_cpu(self):
        config = CONFIGS["pipeline-grpc"]
        fits = {m: single_fit() for m in config.models}
        front = {"overhead_s": 1 * MS, "own_s": 0.01 * MS}
        client_work.apply(config, fits, front, self.WORK)
        self.assertAlmostEqual(front["overhead_s"], 0.7 * MS, places=15)
        self.assertEqual({fits[m]["call"] for m in config.models}, {"{callOverhead: 1ms}"})   # backend calls untouched
        with self.assertRaisesRegex(client_work.ClientWorkError, "pipeline-grpc: the client's call to the front"):
            client_work.apply(config, fits, {"overhead_s": 0.3 * MS, "own_s": 0}, self.WORK)

    def test_a_fan_out_and_the_loop_stages_are_refused(self):
        config = CONFIGS["collab-rest"]
        with self.assertRaisesRegex(client_work.ClientWorkError, "collab-rest: a fan-out has no place"):
            client_work.apply(config, {m: single_fit() for m in config.models}, {"overhead_s": 1 * MS}, self.WORK)
        fit = dict(single_fit(), loop_work_s=(0.1 * MS, 0.1 * MS))
        with self.assertRaisesRegex(client_work.ClientWorkError, "loop-and-pool"):
            client_work.apply(CONFIGS["rest-thread"], {"model-a": fit}, None, self.WORK)

    def test_compare_leaves_a_fan_out_as_it_is_and_names_the_option_in_a_refusal(self):
        config = CONFIGS["collab-grpc"]
        fits = {m: single_fit() for m in config.models}
        front = {"overhead_s": 1 * MS, "own_s": 0.01 * MS}
        client, note = description_steps.with_client_work(config, fits, front, "/nonexistent")
        self.assertIsNone(client)
        self.assertIn("left as delay", note)
        self.assertEqual(front["overhead_s"], 1 * MS)
        with tempfile.TemporaryDirectory() as level:
            level_with_client(level, {"cpu_ms_per_request": 2.0, "threads_ended": 0})
            with self.assertRaisesRegex(description_steps.CompareError, "^--client-work: rest-async: the entry call's overhead"):
                description_steps.with_client_work(CONFIGS["rest-async"], {"model-a": single_fit()}, None, level)


class ScenarioTests(unittest.TestCase):
    CLIENT = {"send_s": 0.15 * MS, "receive_s": 0.1 * MS}

    def stages(self, text):
        return [line.split(",")[0].split(": ")[-1] for line in text.splitlines() if line.startswith("    - {model: ")]

    def test_a_single_server_becomes_send_model_receive_on_the_host(self):
        config = CONFIGS["grpc"]
        fit = single_fit()
        text, _ = predicted_scenario.scenario_text(config, "0.30", {"model-a": fit}, 50.0, "note", 1000, "/tmp",
                                                   cores=2, shared_host=True, client=self.CLIENT)
        lines = text.splitlines()
        host = predicted_scenario.SHARED_HOST
        for line in ("  client-send: {serviceTime: 0.15ms, output: 100B}",
                     "  client-receive: {serviceTime: 0.1ms, output: 50B}",
                     f"  node-client: {{kind: server, workers: 1, host: {host}}}",
                     "  kind: pipeline",
                     "    - {model: model-a, on: server, via: rest, call: {callOverhead: 1ms}}"):
            self.assertIn(line, lines)
        self.assertEqual(self.stages(text), ["client-send", "model-a", "client-receive"])
        self.assertNotIn("links:", text)   # a single server's messages take no time, as without the client
        # Without `client` the scenario is the one before, byte for byte.
        before, _ = predicted_scenario.scenario_text(config, "0.30", {"model-a": fit}, 50.0, "note", 1000, "/tmp",
                                                     cores=2, shared_host=True)
        self.assertNotIn("client-send", before)
        self.assertIn("deployment: {kind: single, model: model-a", before)

    def test_a_pipelines_client_link_starts_at_the_client_node(self):
        config = CONFIGS["pipeline-rest"]
        fits = {m: dict(single_fit(), response_bytes=50 + k) for k, m in enumerate(config.models)}
        front = {"overhead_s": 0.002, "own_s": 0.001}
        text, _ = predicted_scenario.scenario_text(config, "0.30", fits, 50.0, "note", 1000, "/tmp", front, cores=2,
                                                   client=self.CLIENT)
        lines = text.splitlines()
        for line in ("  - {between: [client, node-client], latency: 0s}",
                     "  - {between: [node-client, node-front], latency: 1ms}",
                     "  - {between: [node-stage-2, node-client], latency: 1ms}",
                     "  client-receive: {serviceTime: 0.1ms, output: 51B}",
                     "  node-client: {kind: server, workers: 1}"):
            self.assertIn(line, lines)
        self.assertEqual(self.stages(text), ["client-send", "front", "stage-1", "stage-2", "client-receive"])
        # With the front's stages (--front-work) the client's go around them.
        front["work_s"] = [0.2 * MS, 0.3 * MS, 0.4 * MS]
        text, _ = predicted_scenario.scenario_text(config, "0.30", fits, 50.0, "note", 1000, "/tmp", front, cores=2,
                                                   shared_host=True, client=self.CLIENT)
        self.assertEqual(self.stages(text), ["client-send", "front-in", "stage-1", "front-between-1", "stage-2",
                                             "front-out", "client-receive"])
        self.assertIn("  - {between: [node-client, node-front], latency: 1ms}", text.splitlines())


if __name__ == "__main__":
    unittest.main()
