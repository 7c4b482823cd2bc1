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

import calibration_runs                                             # noqa: E402
import predicted_scenario                                           # noqa: E402
from testbed import hostcpu, loadgen, precision, wire               # noqa: E402
from testbed.clients import CallResult, RestCaller, parse_target    # noqa: E402
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


class PrecisionTests(unittest.TestCase):
    def test_goal_table_rows(self):
        import comparison_table
        table = [["grpc", "0.30", "latency_s.p50", 0.004, 0.0042, 5.0, 0.0039, 0.0041, "undecided", 4000, 0.2],
                 ["grpc", "0.30", "latency_s.p99", 0.012, None, None, 0.011, 0.013, None, None, 0.2],
                 ["grpc", "0.30", "throughput_rps", 80.0, 80.1, 0.1, None, None, "met", None, 0.2]]
        lines = comparison_table.verdicts(table).splitlines()
        self.assertEqual(len(lines), 3)
        self.assertEqual(lines[2], "| grpc | 0.30 | 4.00 [3.90, 4.10] / 4.20 (+5 %) | undecided | 4,000 "
                                   "| 12.00 [11.00, 13.00] / unstable | – | – |")

    def test_percentile_interval_by_hand(self):
        # Ten batches of four, batch b = [b, b, b, 10b] (b = 1..10): each batch's nearest-rank
        # median is b, so the batch medians are 1..10 (sd sqrt(55/6)); the whole run's median
        # is the 20th of 40 sorted values: three copies each of 1..6 fill the first 18, then
        # 7, 7, 7 — so 7. Interval: 7 -+ t(0.975, 9) sd / sqrt(10).
        values = [v for b in range(1, 11) for v in (b, b, b, 10 * b)]
        low, high = precision.batch_interval(values, precision.percentile(0.5))
        half = 2.262157162740992 * math.sqrt(55 / 6) / math.sqrt(10)
        self.assertAlmostEqual(low, 7 - half)
        self.assertAlmostEqual(high, 7 + half)
        self.assertIsNone(precision.batch_interval([1.0] * 19, precision.mean))
        # The mean's interval is summary.py's batch-means interval.
        self.assertEqual(precision.batch_interval(values, precision.mean),
                         batch_means_ci95(values))

    def test_verdicts(self):
        # Tolerance 5 %: the band of measured values a prediction of 100 meets is
        # [100/1.05, 100/0.95] = [95.24, 105.26].
        self.assertEqual(precision.verdict(100.0, 104.0, [99.0, 101.0], 0.05), "met")
        self.assertEqual(precision.verdict(90.0, 100.0, [80.0, 96.0], 0.05), "undecided")  # reaches 95.24
        self.assertEqual(precision.verdict(90.0, 100.0, [85.0, 95.0], 0.05), "missed")     # stops short of it
        self.assertEqual(precision.verdict(110.0, 100.0, [105.0, 115.0], 0.05), "undecided")
        self.assertEqual(precision.verdict(110.0, 100.0, [106.0, 115.0], 0.05), "missed")
        self.assertEqual(precision.verdict(90.0, 100.0, None, 0.05), "missed")
        self.assertIsNone(precision.verdict(90.0, None, [85.0, 95.0], 0.05))

    def test_requests_for_a_tolerance(self):
        # Half-width 10 % of the value, tolerance 5 %: four times the requests.
        self.assertEqual(precision.requests_for(3000, 100.0, [90.0, 110.0], 0.05), 12000)
        # Already narrower than the tolerance: the requests measured are enough.
        self.assertEqual(precision.requests_for(3000, 100.0, [99.0, 101.0], 0.05), 3000)
        self.assertIsNone(precision.requests_for(3000, 100.0, None, 0.05))


class ScheduleTests(unittest.TestCase):
    def test_no_collection_turns_the_collector_off_inside_only(self):
        import gc
        gc.enable()
        with loadgen.no_collection():
            self.assertFalse(gc.isenabled())
        self.assertTrue(gc.isenabled())
        gc.disable()   # left as it was: off stays off
        with loadgen.no_collection():
            self.assertFalse(gc.isenabled())
        self.assertFalse(gc.isenabled())
        gc.enable()

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

    def test_a_kept_record_holds_no_body_and_the_collector_stops_tracking_it(self):
        # The front service keeps every call's record until it ends: record_row keeps the
        # columns only (no answer body), as atoms in a tuple, which CPython's cyclic collector
        # untracks at its next collection, so full collections do not grow with the records.
        import gc
        result = CallResult(1, 2, 3, 4, 5, 100, 10, "ok", b"answer" * 1000)
        row = wire.record_row("a:model-a", "c/model-a", "rest", 5.0, result)
        self.assertEqual(row, ("a:model-a", "c/model-a", "rest", "5", 1, 2, 3, 4, 5, 100, 10, "ok", 0))
        self.assertEqual(len(row), len(wire.RECORD_COLUMNS + wire.EXTRA_COLUMNS))
        gc.collect()
        self.assertFalse(gc.is_tracked(row))
        self.assertTrue(gc.is_tracked(("a", result)))

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

    def test_idle_found_overhead_only_on_one_executor_servers(self):
        # compare.py's choice of calibrate --overhead-calls per configuration
        from testbed.servers import CONFIGS
        chosen = {name: calibration_runs.overhead_calls(c, plain=False, sequential=False, choice="idle-found")
                  for name, c in CONFIGS.items()}
        self.assertEqual(chosen, {"rest-async": "idle-found", "rest-thread": "all", "grpc": "idle-found",
                                  "pipeline-rest": "idle-found", "pipeline-grpc": "idle-found",
                                  "collab-rest": "idle-found", "collab-grpc": "idle-found"})
        grpc = CONFIGS["grpc"]
        self.assertEqual(calibration_runs.overhead_calls(grpc, plain=True, sequential=False, choice="idle-found"), "all")
        self.assertEqual(calibration_runs.overhead_calls(grpc, plain=False, sequential=True, choice="idle-found"), "all")
        self.assertEqual(calibration_runs.overhead_calls(grpc, plain=False, sequential=False, choice="all"), "all")

    def test_level_offered_rps_is_the_records_text(self):
        with tempfile.TemporaryDirectory() as directory:
            path = os.path.join(directory, "records.csv")
            row = {"request_id": "u0.3-1", "config": "grpc", "protocol": "grpc", "offered_rps": "80.3289",
                   "send_ns": 1, "server_receive_ns": 2, "handler_start_ns": 3, "handler_end_ns": 4,
                   "response_ns": 5, "request_bytes": 6, "response_bytes": 7, "status": "ok", "scheduled_ns": 0}
            wire.write_record_rows(path, [row])
            self.assertEqual(calibration_runs.level_offered_rps(path), "80.3289")
            wire.write_record_rows(path, [])
            with self.assertRaises(calibration_runs.CompareError):
                calibration_runs.level_offered_rps(path)


    def test_shared_host_puts_the_front_and_the_model_servers_on_one_host(self):
        # compare.py --shared-host: a `hosts:` entry of the measuring host's cores, `host:` on
        # the front and every model server, none on the client; without it, no host at all.
        from testbed.servers import CONFIGS
        config = CONFIGS["pipeline-rest"]
        fits = {m: {"request_bytes": 100, "service": "4ms", "samples": None, "scaling": None, "response_bytes": 50,
                    "protocol": "rest", "call": "{callOverhead: 1ms}"} for m in config.models}
        front = {"overhead_s": 0.002, "own_s": 0.001}
        text, _ = predicted_scenario.scenario_text(config, "0.30", fits, 50.0, "note", 1000, "/tmp", front, cores=2,
                                        shared_host=True)
        lines = text.splitlines()
        self.assertIn("hosts:", lines)
        self.assertIn(f"  {predicted_scenario.SHARED_HOST}: {{cores: 2}}", lines)
        hosted = [line.split(":")[0].strip() for line in lines if line.endswith(f"host: {predicted_scenario.SHARED_HOST}}}")]
        self.assertEqual(hosted, ["node-front"] + list(config.node_names))
        self.assertIn("  client: {kind: client}", lines)
        plain, _ = predicted_scenario.scenario_text(config, "0.30", fits, 50.0, "note", 1000, "/tmp", front, cores=2)
        self.assertNotIn("host", plain.replace("# Prediction", ""))
        self.assertEqual(predicted_scenario.on_shared_host("{kind: server, workers: 1}", True),
                         f"{{kind: server, workers: 1, host: {predicted_scenario.SHARED_HOST}}}")
class RestCallerTests(unittest.TestCase):
    def test_a_connection_idle_past_the_expiry_is_not_reused(self):
        # A local HTTP/1.1 server that answers every request with the three stamp headers and
        # counts the connections it accepted. Two calls back to back share one connection; a
        # call after more than KEEPALIVE_EXPIRY_S of idleness opens a new one.
        import asyncio

        async def scenario():
            accepted = []

            async def serve(reader, writer):
                accepted.append(writer)
                while not reader.at_eof():
                    try:
                        head = await reader.readuntil(b"\r\n\r\n")
                    except (asyncio.IncompleteReadError, asyncio.CancelledError):
                        break   # the caller closed the connection, or the test ended
                    length = int(next(line.split(b":")[1] for line in head.split(b"\r\n")
                                      if line.lower().startswith(b"content-length")))
                    await reader.readexactly(length)
                    stamps = "".join(f"{key}: 1\r\n" for key in (wire.RECEIVE_KEY, wire.START_KEY, wire.END_KEY))
                    writer.write(f"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n{stamps}\r\nok".encode())
                    await writer.drain()
                writer.close()

            server = await asyncio.start_server(serve, "127.0.0.1", 0)
            port = server.sockets[0].getsockname()[1]
            caller = RestCaller(f"127.0.0.1:{port}")
            caller.KEEPALIVE_EXPIRY_S = 0.05
            statuses = [(await caller.call(b"x" * 10, "1")).status, (await caller.call(b"x" * 10, "2")).status]
            after_two = len(accepted)
            await asyncio.sleep(0.1)
            statuses.append((await caller.call(b"x" * 10, "3")).status)
            await caller.close()
            server.close()
            await server.wait_closed()
            return statuses, after_two, len(accepted)

        statuses, after_two, after_three = asyncio.run(scenario())
        self.assertEqual(statuses, ["ok", "ok", "ok"])
        self.assertEqual((after_two, after_three), (1, 2))


class HostCpuTests(unittest.TestCase):
    def test_proc_stat_and_schedstat_parsing(self):
        text = "cpu  100 5 20 300 7 1 2 3 9 0\ncpu0 50 2 10 150 3 0 1 1 4 0\nintr 1 2\n"
        # busy = user 100 + nice 5 + system 20 + irq 1 + softirq 2; idle = 300 + iowait 7.
        self.assertEqual(hostcpu.parse_proc_stat(text), {"busy": 128, "idle": 307, "steal": 3})
        with self.assertRaises(ValueError):
            hostcpu.parse_proc_stat("cpu0 1 2 3 4\n")
        self.assertEqual(hostcpu.parse_schedstat("4000000 1500000 12\n"), (4_000_000, 1_500_000))
        with self.assertRaises(ValueError):
            hostcpu.parse_schedstat("17")

    def test_cpu_model_names_the_first_cpu_and_its_widest_vector_unit(self):
        text = ("processor\t: 0\nmodel name\t: AMD EPYC\nflags\t\t: fpu sse4_2 avx avx2 fma\n\n"
                "processor\t: 1\nmodel name\t: other\nflags\t\t: fpu avx512f\n")
        self.assertEqual(hostcpu.parse_cpu_model(text), {"model": "AMD EPYC", "vector": "avx2"})
        self.assertEqual(hostcpu.parse_cpu_model("model name : X\nflags : avx512f avx2\n"),
                         {"model": "X", "vector": "avx512f"})
        self.assertEqual(hostcpu.parse_cpu_model("flags : fpu\n"), {"model": None, "vector": "none"})
        self.assertEqual(hostcpu.cpu_model("/nonexistent/cpuinfo"), {"model": None, "vector": "unknown"})

    def test_account_by_hand(self):
        # A 2-second window on 2 CPUs, 100 requests, 100 ticks a second.
        # Host: 300 busy ticks = 3 s of 4 CPU-seconds -> 0.75; 8 steal ticks -> 0.02.
        # server: 0.8 s on a CPU -> 8 ms a request, 0.4 cores; 0.1 s waiting -> 1 ms a request;
        # one of its threads ended. client: 0.2 s -> 2 ms a request. Others: 1.5 - 0.5 = 1.0 core.
        before = {"time_ns": 0, "host": {"busy": 1000, "idle": 500, "steal": 10},
                  "processes": {"server": {"run_ns": 1_000_000_000, "wait_ns": 0, "threads": {"1", "2"}},
                                "client": {"run_ns": 0, "wait_ns": 0, "threads": {"9"}}}}
        after = {"time_ns": 2_000_000_000, "host": {"busy": 1300, "idle": 600, "steal": 18},
                 "processes": {"server": {"run_ns": 1_800_000_000, "wait_ns": 100_000_000, "threads": {"1"}},
                               "client": {"run_ns": 200_000_000, "wait_ns": 0, "threads": {"9"}}}}
        usage = hostcpu.account(before, after, 100, 2, ticks_per_s=100)
        self.assertAlmostEqual(usage["window_s"], 2.0)
        self.assertAlmostEqual(usage["host"]["utilization"], 0.75)
        self.assertAlmostEqual(usage["host"]["steal"], 0.02)
        server = usage["processes"]["server"]
        self.assertAlmostEqual(server["cpu_ms_per_request"], 8.0)
        self.assertAlmostEqual(server["runqueue_wait_ms_per_request"], 1.0)
        self.assertAlmostEqual(server["cpu_cores"], 0.4)
        self.assertEqual(server["threads_ended"], 1)
        self.assertAlmostEqual(usage["processes"]["client"]["cpu_ms_per_request"], 2.0)
        self.assertAlmostEqual(usage["cpu_ms_per_request_total"], 10.0)
        self.assertAlmostEqual(usage["other_busy_cores"], 1.0)
        with self.assertRaises(ValueError):
            hostcpu.account(before, before, 100, 2)

    def test_host_limit_arithmetic(self):
        # S = 4 ms, C = 10 ms a request, 2 CPUs, limit 0.8: u <= 0.8 x 2 x 4 / 10 = 0.64.
        self.assertAlmostEqual(hostcpu.max_utilization_below(0.8, 2, 0.004, 0.010), 0.64)
        # u = 0.6: rate 150/s x 10 ms = 1.5 cores of 2 -> 0.75, below 0.8; u = 0.85 -> 1.0625.
        self.assertFalse(hostcpu.level_verdict(0.8, 2, 0.004, 0.010, 0.6)["host_limited"])
        self.assertAlmostEqual(hostcpu.level_verdict(0.8, 2, 0.004, 0.010, 0.6)["expected_host_utilization"], 0.75)
        self.assertTrue(hostcpu.level_verdict(0.8, 2, 0.004, 0.010, 0.85)["host_limited"])
        # Expected below the limit, but measured above it (other tenants): host-limited too.
        busy = {"host": {"utilization": 0.93}}
        verdict = hostcpu.level_verdict(0.8, 2, 0.004, 0.010, 0.3, busy)
        self.assertTrue(verdict["host_limited"])
        self.assertEqual(verdict["host_utilization"], 0.93)
        with self.assertRaises(ValueError):
            hostcpu.max_utilization_below(0.8, 2, 0.004, 0.0)

    def test_snapshot_of_this_process_counts_its_work(self):
        # Spinning 50 ms of CPU in this thread must show at least 40 ms of run time (the rest
        # of the margin: the scheduler's accounting granularity), and the host's tick counters.
        pids = {"self": os.getpid()}
        before = hostcpu.snapshot(pids)
        import time
        end = time.process_time() + 0.05
        while time.process_time() < end:
            pass
        after = hostcpu.snapshot(pids)
        ran = after["processes"]["self"]["run_ns"] - before["processes"]["self"]["run_ns"]
        self.assertGreaterEqual(ran, 40_000_000)
        self.assertGreaterEqual(after["host"]["busy"], before["host"]["busy"])

    def test_a_process_that_ended_is_an_error_not_a_crash(self):
        import subprocess
        done = subprocess.Popen([sys.executable, "-c", "pass"])
        done.wait()
        with self.assertRaises(hostcpu.ProcessGone):
            hostcpu.read_process(done.pid)
        self.assertTrue(issubclass(hostcpu.ProcessGone, RuntimeError))   # campaign.main reports it


class ServerWorkChoiceTests(unittest.TestCase):
    def test_one_executor_servers_use_busy_gaps_and_the_thread_pool_its_receipts(self):
        # Every model server is one executor (grpcio max_workers=1, uvicorn `async def`)
        # except rest-thread's thread pool, whose handlers overlap.
        chosen = {name: calibration_runs.server_work_estimator(config) for name, config in CONFIGS.items()}
        self.assertEqual(chosen, {"rest-async": "busy-gaps", "rest-thread": "receipt", "grpc": "busy-gaps",
                                  "pipeline-rest": "busy-gaps", "pipeline-grpc": "busy-gaps",
                                  "collab-rest": "busy-gaps", "collab-grpc": "busy-gaps"})

    def test_plain_has_none_and_receipt_only_keeps_the_earlier_choice(self):
        self.assertTrue(all(calibration_runs.server_work_estimator(c, plain=True) is None for c in CONFIGS.values()))
        earlier = {name: calibration_runs.server_work_estimator(config, receipt_only=True) for name, config in CONFIGS.items()}
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
                fit = calibration_runs.calibrate_model_server(fake, records, "m", os.path.join(directory, "cal"), CONFIGS["grpc"])
            self.assertEqual(fit["server_work"], "receipt")
            self.assertIn("grpc: m: calibrate refused busy gaps; serverWork from receipt instead", said.getvalue())
            self.assertIn("r.csv:3:80: error: ", said.getvalue())
            with open(os.path.join(directory, "calls.log")) as f:
                self.assertEqual(f.read().split("\n")[:2], ["--server-work-from busy-gaps", "--server-work-from receipt"])
            with contextlib.redirect_stderr(io.StringIO()):
                rest = calibration_runs.calibrate_model_server(fake, records, "m", os.path.join(directory, "cal2"), CONFIGS["rest-async"])
            self.assertIsNone(rest["server_work"], "event-loop REST: no serverWork, as before busy gaps")
