#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests of the testbed's diagnostics (replay.py, decompose.py, thread_pool_diagnostics.py,
thread_pool_disciplines.py; the slow periods' in test_slow_periods.py) and of what compare.py
takes from them, on small hand-made records (smoke.sh runs them with test_testbed.py).
  .venv/bin/python -m unittest test_diagnostics
"""
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import decompose                                                    # noqa: E402
import description_steps                                            # noqa: E402
import predicted_scenario                                           # noqa: E402
import replay                                                       # noqa: E402
import thread_pool_diagnostics as pool                              # noqa: E402
import thread_pool_disciplines as disciplines                       # noqa: E402
from testbed import wire                                            # noqa: E402
from testbed.servers import CONFIGS                                 # noqa: E402


def record(send, start, end):
    """A records row (ms in, ns out) as wire.read_records gives it."""
    ns = [round(v * 1_000_000) for v in (send, start, end)]
    return {"send_ns": ns[0], "handler_start_ns": ns[1], "handler_end_ns": ns[2], "scheduled_ns": ns[0],
            "status": "ok"}


def pool_call(receive, start, end, response, send=None):
    """A records row of the thread-pool server (ms in, ns out)."""
    send = receive if send is None else send
    ns = [round(v * 1_000_000) for v in (send, receive, start, end, response)]
    return {"send_ns": ns[0], "server_receive_ns": ns[1], "handler_start_ns": ns[2], "handler_end_ns": ns[3],
            "response_ns": ns[4], "status": "ok"}


class ReplayTests(unittest.TestCase):
    def test_lindley_recursion_by_hand(self):
        # Arrivals 0, 1, 2, 10, services 3, 3, 1, 1, gap 0.5: H = 0; max(1, 0+3+0.5) = 3.5;
        # max(2, 3.5+3+0.5) = 7; max(10, 7+1+0.5) = 10.
        self.assertEqual(replay.lindley_starts([0, 1, 2, 10], [3, 3, 1, 1], 0.5), [0, 3.5, 7.0, 10])
        # Taken in order of arrival, answered in the order given: the second arrives first,
        # runs 0-2, then the first waits for it and the gap: 2 + 0.5.
        self.assertEqual(replay.lindley_starts([1, 0], [1, 2], 0.5), [2.5, 0])
        # Waits from the send: sends 0 and 1, delay 0.5 each -> arrivals 0.5 and 1.5; the second
        # starts at 0.5 + 3 + 0.5 = 4, so the waits are 0.5 and 3.
        self.assertEqual(replay.replay_waits([0, 1], [3, 3], [0.5, 0.5], 0.5), [0.5, 3.0])

    def test_idle_waits_and_busy_gap_by_hand(self):
        rows = [record(0, 1, 4), record(2, 4.5, 7.5), record(10, 11, 14)]
        # Only the third was sent after the previous handler ended (10 >= 7.5): idle wait 1 ms.
        self.assertEqual(replay.idle_waits(rows), [1_000_000])
        # The second was sent 2 ms before the first handler ended (>= the 1 ms lead): gap 0.5 ms.
        self.assertEqual(replay.busy_gap(rows, 1_000_000), 500_000)
        self.assertIsNone(replay.busy_gap(rows, 3_000_000))

    def test_replay_of_a_queue_it_generated_gives_its_waits_back(self):
        # Records made by the recursion itself: constant 1 ms from send to an idle handler,
        # 0.25 ms between handlers, handler times 2-4 ms, bursts of three sends 0.1 ms apart
        # every 20 ms from 5 ms. The replay must find x = 0.25 ms and every measured percentile.
        sends, services = [], []
        for burst in range(30):
            for k in range(3):
                sends.append(5 + burst * 20 + k * 0.1)
                services.append(2 + (burst + k) % 3)
        starts = replay.lindley_starts([s + 1 for s in sends], services, 0.25)
        rows = [record(s, h, h + b) for s, h, b in zip(sends, starts, services)]
        result = replay.replay_level(rows, seed=1, paths=3)
        self.assertAlmostEqual(result["x_s"], 0.00025, places=9)
        for variant in ("real", "scheduled"):
            for got, want in zip(result[variant], result["measured"]):
                self.assertAlmostEqual(got, want, places=9)
        # Without the gap every waiting request starts 0.25 ms earlier per request before it.
        self.assertLess(result["x=0"][2], result["measured"][2])
        self.assertEqual(replay.replay_level(rows, seed=1, paths=3), result)   # fixed seed: same figures

    def test_poisson_iid_is_the_poisson_paths_with_the_handler_times_shuffled(self):
        # Constant handler times (3 ms): shuffling them changes nothing, so on the same seed's
        # paths the iid variant must give the poisson variant's figures and p99 range exactly.
        sends = [5 + k * 4.0 for k in range(60)]
        starts = replay.lindley_starts([s + 1 for s in sends], [3] * 60, 0.25)
        rows = [record(s, h, h + 3) for s, h in zip(sends, starts)]
        result = replay.replay_level(rows, seed=1, paths=3, poisson_iid=True)
        self.assertEqual(result[replay.IID], result["poisson"])
        self.assertEqual(result[replay.IID + "_p99_range"], result["poisson_p99_range"])
        # Without the option the variant is absent: the default table and CSV are unchanged.
        plain = replay.replay_level(rows, seed=1, paths=3)
        self.assertNotIn(replay.IID, plain)
        self.assertEqual({k: v for k, v in result.items() if not k.startswith(replay.IID)}, plain)
        # The table's line gains two cells, the variant and its range, after the plain line.
        self.assertTrue(replay.line("c", "m", 0.3, result).startswith(replay.line("c", "m", 0.3, plain) + " | "))
        self.assertEqual(replay.line("c", "m", 0.3, plain).count(" | ") + 2,
                         replay.line("c", "m", 0.3, result).count(" | "))
        # With varying handler times (2, 3, 4 ms in turn) the iid variant replays the same
        # paths with the shuffled variant's permutation: the same multiset of handler times,
        # so the same mean work, and a result of its own.
        services = [2 + k % 3 for k in range(60)]
        starts = replay.lindley_starts([s + 1 for s in sends], services, 0.25)
        rows = [record(s, h, h + b) for s, h, b in zip(sends, starts, services)]
        result = replay.replay_level(rows, seed=1, paths=3, poisson_iid=True)
        self.assertEqual(replay.replay_level(rows, seed=1, paths=3, poisson_iid=True), result)
        self.assertEqual(len(result[replay.IID]), 3)
        low, high = result[replay.IID + "_p99_range"]
        self.assertLessEqual(low, result[replay.IID][2])
        self.assertLessEqual(result[replay.IID][2], high)

    def test_lindley_in_a_given_order_of_service(self):
        # Sent at 0, 1, 2, each arriving 0.5 later (0.5, 1.5, 2.5); served 0, 2, 1 with
        # handler times 3, 2, 1 and 0.5 between handlers: request 0 starts 0.5 (ends 3.5, free
        # 4.0), request 2 starts 4.0 (ends 5.0, free 5.5), request 1 starts 5.5. Waits 0.5, 4.5, 2.0.
        self.assertEqual(replay.lindley_starts([0.5, 1.5, 2.5], [3, 2, 1], 0.5, [0, 2, 1]), [0.5, 5.5, 4.0])
        self.assertEqual(replay.replay_waits([0, 1, 2], [3, 2, 1], [0.5] * 3, 0.5, [0, 2, 1]), [0.5, 4.5, 2.0])

    def test_served_order_of_a_fifo_server_is_the_real_variant(self):
        # A FIFO server (the queue the recursion generated): its order of service is the order
        # of arrival, so the served variant equals the real one and nobody was overtaken.
        sends = [5 + burst * 20 + k * 0.1 for burst in range(30) for k in range(3)]
        services = [2 + j % 3 for j in range(len(sends))]
        starts = replay.lindley_starts([s + 1 for s in sends], services, 0.25)
        rows = [record(s, h, h + b) for s, h, b in zip(sends, starts, services)]
        result = replay.replay_level(rows, seed=1, paths=3, served_order=True)
        self.assertEqual(result[replay.SERVED], result["real"])
        self.assertEqual(result["overtaken"]["start"], 0)
        self.assertIsNone(result["overtaken"]["receipt"])          # these records have no receive stamp
        # The shuffled handler times in that (FIFO) order: the FIFO replay of the shuffled ones.
        self.assertEqual(result["served-shuffled"], result["shuffled"])
        self.assertEqual(len(result["random-order"]), 3)
        self.assertNotIn(replay.SERVED, replay.replay_level(rows, seed=1, paths=3))

    def test_overtaken_counts_requests_started_after_a_later_send(self):
        # Sent at 0, 1, 2, 3 ms; started at 1, 8, 3, 5 (order 0, 2, 3, 1): request 1 (sent at 1)
        # started after requests sent at 2 and 3 had started: one request overtaken.
        self.assertEqual(replay.overtaken([0, 1, 2, 3], [1, 8, 3, 5]), 1)
        self.assertEqual(replay.overtaken([0, 1, 2, 3], [1, 2, 3, 4]), 0)
        # Started newest first (3, 2, 1, 0 after one another): every request after the first.
        self.assertEqual(replay.overtaken([0, 1, 2, 3], [13, 12, 11, 10]), 3)

    def test_random_order_of_service_by_hand(self):
        # Arrivals 0, 1, 2 and handler times 3, 1, 1 with 0.5 between handlers: request 0 starts
        # at 0 (free at 3.5); then requests 1 and 2 both wait. A chooser that always takes the
        # oldest waiting request is FIFO (starts 0, 3.5, 5.0, as lindley_starts); one that takes
        # the newest starts request 2 at 3.5 (free at 5.0) and request 1 at 5.0.
        class Pick:
            def __init__(self, newest):
                self.newest = newest

            def randrange(self, n):
                return n - 1 if self.newest else 0
        self.assertEqual(replay.random_order_starts([0, 1, 2], [3, 1, 1], 0.5, Pick(False)),
                         replay.lindley_starts([0, 1, 2], [3, 1, 1], 0.5))
        self.assertEqual(replay.random_order_starts([0, 1, 2], [3, 1, 1], 0.5, Pick(False)), [0, 3.5, 5.0])
        self.assertEqual(replay.random_order_starts([0, 1, 2], [3, 1, 1], 0.5, Pick(True)), [0, 5.0, 3.5])
        # An idle executor waits for the next arrival: arrivals 0 and 10, handler 1 ms: 0 and 10.
        self.assertEqual(replay.random_order_starts([10, 0], [1, 1], 0.5, Pick(True)), [10, 0])

    def test_normal_score_lag1(self):
        # A steadily rising series: every neighbour is close in rank (correlation near 1);
        # alternating signs with growing size (-1, 2, -3, 4, ...): strongly negative.
        self.assertGreater(replay.normal_score_lag1(list(range(50))), 0.9)
        self.assertLess(replay.normal_score_lag1([(-1) ** (v + 1) * (v + 1) for v in range(50)]), -0.9)
        self.assertIsNone(replay.normal_score_lag1([1, 2]))


def stamped(request_id, send, receive, start, end, response):
    """A full records row (ms in, ns out), as wire.read_records gives it."""
    ns = [round(v * 1_000_000) for v in (send, receive, start, end, response)]
    return {"request_id": request_id, "config": "c", "protocol": "rest", "offered_rps": "10",
            "send_ns": ns[0], "server_receive_ns": ns[1], "handler_start_ns": ns[2], "handler_end_ns": ns[3],
            "response_ns": ns[4], "request_bytes": 1, "response_bytes": 1, "status": "ok", "scheduled_ns": 0}


class DecomposeTests(unittest.TestCase):
    # A pipeline request by hand (ms): the client sends at 0, the front receives at 0.2, its
    # handler runs 0.3-9.0; stage-1's call: sent 0.31, received 0.5, handler 0.6-2.6, answer
    # read 3.0; stage-2's call: sent 3.05, received 3.2, handler 3.3-5.3, answer read 8.9
    # (the front's loop was busy); the client has the answer at 9.4.
    CLIENT = stamped("r1", 0, 0.2, 0.3, 9.0, 9.4)
    STAGE1 = stamped("r1:stage-1", 0.31, 0.5, 0.6, 2.6, 3.0)
    STAGE2 = stamped("r1:stage-2", 3.05, 3.2, 3.3, 5.3, 8.9)

    def test_pipeline_segments_add_up_to_the_latency(self):
        segments = decompose.composite_segments("pipeline", self.CLIENT,
                                                [("stage-1", self.STAGE1), ("stage-2", self.STAGE2)])
        got = {name: value / 1e6 for name, value in segments}
        want = {"to front": 0.2, "front read": 0.1, "dispatch": 0.01,
                "stage-1 to server": 0.19, "stage-1 read": 0.1, "stage-1 handler": 2.0, "stage-1 answer": 0.4,
                "between": 0.05,
                "stage-2 to server": 0.15, "stage-2 read": 0.1, "stage-2 handler": 2.0, "stage-2 answer": 3.6,
                "fuse": 0.1, "to client": 0.4}
        self.assertEqual(list(got), list(want))   # in the order of the request's path
        for name in want:
            self.assertAlmostEqual(got[name], want[name], places=9, msg=name)
        self.assertEqual(sum(v for _, v in segments), round(9.4 * 1e6))
        # The front's own time outside its calls: dispatch 0.01 + between 0.05 + fuse 0.1.
        self.assertAlmostEqual(decompose.front_own_ns(segments) / 1e6, 0.16, places=9)
        # The condensed table's groups: front side 0.2 + 0.1 + 0.4 + 3.6 + 0.4 = 4.7, to the
        # model servers 0.19 + 0.15, handlers 2 + 2, front own 0.16; with the servers' reads
        # (0.2) they are the whole 9.4.
        groups = {name: decompose.group_ms(dict(segments), member) for name, member in decompose.GROUPS}
        want_groups = {"front side": 4.7, "front own": 0.16, "to the model servers": 0.34, "handlers": 4.0}
        for name in want_groups:
            self.assertAlmostEqual(groups[name], want_groups[name], places=9, msg=name)

    def test_collaborative_path_goes_through_the_last_answer(self):
        # The same two calls made at once: stage-2's answer (8.9) came last, so it is critical.
        calls = [("a", self.STAGE1), ("b", self.STAGE2)]
        self.assertEqual(decompose.critical_index(calls), 1)
        segments = decompose.composite_segments("collaborative", self.CLIENT, calls)
        got = {name: value / 1e6 for name, value in segments}
        self.assertAlmostEqual(got["dispatch"], 3.05 - 0.3, places=9)
        self.assertAlmostEqual(got["critical answer"], 3.6, places=9)
        self.assertAlmostEqual(got["fuse"], 0.1, places=9)
        self.assertNotIn("between", got)
        self.assertEqual(sum(v for _, v in segments), round(9.4 * 1e6))
        # Equal answer times: the first listed is the critical one.
        self.assertEqual(decompose.critical_index([("a", self.STAGE1), ("b", self.STAGE1)]), 0)

    def test_band_and_tail_by_hand(self):
        # 1000 requests of latency 1..1000 ns, each one segment "x" equal to its latency, and a
        # segment "y" of 1 ns. Nearest rank: p45 = 450, p55 = 550, p99 = 990. Band 450..550:
        # mean 500 over 101; tail 990..1000: mean 995 over 11.
        requests = [(v, [("x", v), ("y", 1)], None) for v in range(1, 1001)]
        band, tail, n_band, n_tail = decompose.band_and_tail(requests)
        self.assertEqual((band, tail, n_band, n_tail), ({"x": 500, "y": 1}, {"x": 995, "y": 1}, 101, 11))

    def test_front_own_time_from_a_level_folder(self):
        # compare.py's front description: the mean of dispatch + between + fuse over the level's
        # requests; a request whose call failed is left out. Second request: every stamp 20 ms
        # later except the fuse, 0.3 ms instead of 0.1, so its own time is 0.36 ms; mean 0.26 ms.
        def later(row, request_id, shift, end_shift=None):
            out = dict(row, request_id=request_id)
            for key in ("send_ns", "server_receive_ns", "handler_start_ns", "handler_end_ns", "response_ns"):
                out[key] += round(shift * 1e6)
            if end_shift is not None:
                out["handler_end_ns"] += round(end_shift * 1e6)
                out["response_ns"] += round(end_shift * 1e6)
            return out
        failed = dict(later(self.STAGE1, "r3:stage-1", 40), status="http-500")
        with tempfile.TemporaryDirectory() as level:
            wire.write_record_rows(os.path.join(level, "records.csv"),
                                   [self.CLIENT, later(self.CLIENT, "r2", 20, 0.2), later(self.CLIENT, "r3", 40)])
            wire.write_record_rows(os.path.join(level, "records-stage-1.csv"),
                                   [self.STAGE1, later(self.STAGE1, "r2:stage-1", 20), failed])
            wire.write_record_rows(os.path.join(level, "records-stage-2.csv"),
                                   [self.STAGE2, later(self.STAGE2, "r2:stage-2", 20), later(self.STAGE2, "r3:stage-2", 40)])
            self.assertEqual(len(decompose.level_requests(CONFIGS["pipeline-rest"], level)), 2)
            self.assertAlmostEqual(description_steps.front_own_time(CONFIGS["pipeline-rest"], level), 0.26e-3, places=12)
        with tempfile.TemporaryDirectory() as level:
            wire.write_record_rows(os.path.join(level, "records.csv"), [self.CLIENT])
            for model in ("stage-1", "stage-2"):
                wire.write_record_rows(os.path.join(level, f"records-{model}.csv"), [failed])
            with self.assertRaisesRegex(description_steps.CompareError, "no request of the front with all its calls ok"):
                description_steps.front_own_time(CONFIGS["pipeline-rest"], level)


class ThreadPoolDiagnosticsTests(unittest.TestCase):
    def test_occupancy_by_hand(self):
        # Handlers 0-4 and 2-6 ms: each spends 2 ms alone and 2 ms with the other.
        calls = [pool_call(0, 0, 4, 4), pool_call(2, 2, 6, 6)]
        self.assertEqual(pool.occupancy(calls, columns=3), [[2_000_000, 2_000_000, 0], [2_000_000, 2_000_000, 0]])
        self.assertEqual(pool.others_in_flight(calls), [0.5, 0.5])

    def test_capacity_is_recovered_from_a_schedule_it_generated(self):
        # Capacity C = 1.3, work 3 ms each, handlers starting at 0 and 1 ms: A runs alone 0-1
        # (1 ms done), then both at C/2 = 0.65 until A has its last 2 ms: 2 / 0.65 ms later; B
        # then has 2 ms done and runs alone for its last 1 ms. The work balance gives C back.
        shared = 2 / 0.65
        calls = [pool_call(0, 0, 1 + shared, 1 + shared), pool_call(1, 1, 2 + shared, 2 + shared)]
        table = pool.occupancy(calls)
        self.assertAlmostEqual(pool.fit_capacity(table, 3_000_000), 1.3, places=5)
        self.assertAlmostEqual(pool.delivered(table, 1.3), 6_000_000, delta=1)
        # Two 3 ms handlers that share 0-6 ms (one core, PS) give C = 1.
        serial = [pool_call(0, 0, 6, 6), pool_call(0, 0, 6, 6)]
        self.assertAlmostEqual(pool.fit_capacity(pool.occupancy(serial), 3_000_000), 1.0, places=5)
        self.assertIsNone(pool.fit_capacity(pool.occupancy([pool_call(0, 0, 1, 1)]), 3_000_000),
                          "1 ms alone cannot have held 3 ms of work at any capacity")

    def test_isolated_calls_touch_no_other_call(self):
        # 0-5 and 4-9 overlap on the server (receive..response); 10-12 is alone; 13-20 alone.
        calls = [pool_call(0, 1, 4, 5), pool_call(4, 5, 8, 9), pool_call(10, 10.5, 11.5, 12), pool_call(13, 14, 19, 20)]
        self.assertEqual([c["server_receive_ns"] for c in pool.isolated(calls)], [10_000_000, 13_000_000])
        # A long call covering two later ones marks all three.
        covering = [pool_call(0, 0, 9, 10), pool_call(2, 2, 3, 3), pool_call(5, 5, 6, 6)]
        self.assertEqual(pool.isolated(covering), [])

    def test_the_thread_pool_node_carries_the_capacity_only_when_fitted(self):
        thread = CONFIGS["rest-thread"]
        self.assertEqual(predicted_scenario.server_node(thread, 2, False, 1.6484),
                         "{kind: server, concurrency: {model: processorSharing, cores: 2, maxInFlight: 40, capacity: 1.648}}")
        self.assertEqual(predicted_scenario.server_node(thread, 2, False),
                         "{kind: server, concurrency: {model: processorSharing, cores: 2, maxInFlight: 40}}")
        self.assertTrue(description_steps.uses_capacity(thread, False, "capacity"))
        self.assertFalse(description_steps.uses_capacity(thread, False, "cores"))
        self.assertFalse(description_steps.uses_capacity(thread, True, "capacity"))
        self.assertFalse(description_steps.uses_capacity(CONFIGS["grpc"], False, "capacity"))

    def test_what_receipts_find_by_hand(self):
        # Handlers 1-4 and 2-6 ms; receipts at 0, 1.5 (one in flight), 4.1 (0.1 ms after the
        # first ended: one still in flight) and 6.2 (0.2 ms after the second ended: none).
        calls = [pool_call(0, 1, 4, 4), pool_call(1.5, 2, 6, 6), pool_call(4.1, 7, 8, 8), pool_call(6.2, 9, 10, 10)]
        found = pool.what_receipts_find(calls)
        self.assertEqual(found["receipts"], [0.5, 0.5, 0.0, 0.0])
        self.assertEqual(found["receipts_after_end"], 0.5)
        self.assertEqual(sum(found["random"]), 1.0)

    def test_pair_slowdowns_by_hand(self):
        # Work 3 ms. A runs 0-6, B 2-5: overlap 3 ms (2-5). A took 3 ms too long (ratio 1,
        # stalled for the whole overlap), B none (ratio 0). A third call 7-10 starts after both.
        calls = [pool_call(0, 0, 6, 6), pool_call(2, 2, 5, 5), pool_call(7, 7, 10, 10)]
        self.assertEqual(pool.pair_slowdowns(calls, 3_000_000), [(1.0, 0.0)])
        self.assertEqual(pool.earlier_share([(1.0, 0.0)]), 1.0)
        # Symmetric (0.5 each) and a negative ratio (faster than the median) counted as 0.
        self.assertEqual(pool.earlier_share([(0.5, 0.5), (-0.1, 0.0)]), 0.5)
        self.assertIsNone(pool.earlier_share([(0.0, -0.2)]))
        # A third start inside the pair disqualifies it.
        crowded = [pool_call(0, 0, 6, 6), pool_call(2, 2, 5, 5), pool_call(4, 4, 7, 7)]
        self.assertEqual(pool.pair_slowdowns(crowded, 3_000_000), [])


class ThreadPoolDisciplineTests(unittest.TestCase):
    INF = float("inf")

    def assertTimes(self, got, expected):
        self.assertEqual(len(got), len(expected))
        for g, e in zip(got, expected):
            self.assertAlmostEqual(g, e, places=9)

    def test_rates_by_hand(self):
        rates = disciplines.rates
        self.assertEqual(rates(0, 1, 2), (0.0, 0.0))
        self.assertEqual(rates(1, 5, 2), (0.0, 1.0))         # one job: at most one core
        self.assertEqual(rates(1, 1, 0.6), (0.0, 0.6))
        self.assertEqual(rates(2, 1, 2), (1.0, 1.0))         # PS on 2 cores, 2 jobs
        self.assertTimes(rates(3, 1, 2), (2 / 3, 2 / 3))     # PS: min(1, C / n)
        self.assertEqual(rates(2, self.INF, 1), (0.0, 1.0))  # newest first on one core
        self.assertEqual(rates(3, self.INF, 2), (0.5, 1.0))  # newest 1, the other core shared
        # w = 3, C = 1.5, two jobs: the newest's 1.125 is capped at 1, the other gets 0.5.
        self.assertEqual(rates(2, 3, 1.5), (0.5, 1.0))
        # w = 2, C = 1.5, three jobs: 1.5 · 2 / 4 = 0.75 for the newest, 0.375 each other.
        self.assertTimes(rates(3, 2, 1.5), (0.375, 0.75))

    def test_processor_sharing_and_newest_first_by_hand(self):
        # Arrivals 0 and 1, work 2 each. One core, symmetric: the first alone 0-1 (1 left),
        # then both at 0.5: the first done at 3, the second has 1 left, alone: done at 4.
        self.assertTimes(disciplines.replay([0, 1], [2, 2], 1, 1), [3, 4])
        # One core, newest first: the second runs 1-3 while the first waits, then the first.
        self.assertTimes(disciplines.replay([0, 1], [2, 2], self.INF, 1), [4, 3])
        # Two cores: both at full speed.
        self.assertTimes(disciplines.replay([0, 1], [2, 2], self.INF, 2), [2, 3])
        # Three jobs of work 3 at 0 on 2 cores (PS): rate 2/3 each, all done at 4.5.
        self.assertTimes(disciplines.replay([0, 0, 0], [3, 3, 3], 1, 2), [4.5, 4.5, 4.5])
        # Capacity by jobs in service: 1 core for one job, 1.5 for two: both at 0.75 from 1;
        # the first's last 1 takes 4/3 (done at 7/3), then the second's last 1 alone (10/3).
        self.assertTimes(disciplines.replay([0, 1], [2, 2], 1, [1, 1.5]), [7 / 3, 10 / 3])

    def test_sleeping_second_core_by_hand(self):
        # C = 2, newest first, wake 0.5, keep 1; works 2. The first runs alone from 0; the
        # second comes at 1 and the second core wakes at 1.5: until then the newest runs, the
        # first waits (1 left); then both at 1: the first done at 2.5, the second (1.5 left at
        # 1.5) at 3. At 5 and 5.5 the core has slept since 3.5: it wakes at 6; 5.5-6 the newest
        # runs; both have 1.5 left at 6 and end at 7.5.
        self.assertTimes(disciplines.replay([0, 1, 5, 5.5], [2, 2, 2, 2], self.INF, 2, (0.5, 1)),
                         [2.5, 3, 7.5, 7.5])
        # Within the keep (the pool last had two jobs until 2.5, awake until 3.5), a new pair
        # at 3.2 and 3.3 gets both cores at once: done at 4.2 and 4.3.
        self.assertTimes(disciplines.replay([0, 1, 3.2, 3.3], [2, 2, 1, 1], self.INF, 2, (0.5, 1)),
                         [2.5, 3, 4.2, 4.3])
        # With no keep the core sleeps from 2.5: it wakes at 3.8; 3.3-3.8 the newest runs alone
        # (0.5 left), the third waits (0.9 left): done at 4.3 and 4.7.
        self.assertTimes(disciplines.replay([0, 1, 3.2, 3.3], [2, 2, 1, 1], self.INF, 2, (0.5, 0)),
                         [2.5, 3, 4.7, 4.3])

    def test_a_core_that_wakes_at_once_is_no_sleeping_core(self):
        arrivals = [0, 0.3, 0.4, 2, 2.1, 2.15, 6, 9, 9.5]
        works = [1, 2, 0.5, 1.5, 0.2, 3, 1, 1, 1]
        for weight in (1, 2, self.INF):
            self.assertTimes(disciplines.replay(arrivals, works, weight, 2, (0, 0)),
                             disciplines.replay(arrivals, works, weight, 2))

    def test_score_and_fit(self):
        self.assertEqual(disciplines.score([5.0, 99.0, -10.0]), 1.0)   # p95 is not a goal cell
        self.assertEqual(disciplines.score([-2.5, 0.0, 3.0]), 0.5)
        results = {"a": {"0.30": {"calibrated": [4.0, 0, 0]}, "0.60": {"calibrated": [0, 0, 12.0]}},
                   "b": {"0.30": {"calibrated": [1.0, 0, 0]}, "0.60": {"calibrated": [0, 0, 9.0]}}}
        self.assertEqual(disciplines.fitted(results, ["0.30", "0.60"]), "b")
        self.assertEqual(disciplines.fitted(results, ["0.30"]), "b")
        self.assertEqual(disciplines.parse_values("1:2:0.5"), [1.0, 1.5, 2.0])
        self.assertEqual(disciplines.parse_capacities("1|1.2,1.4"), [[1.0, 1.2], [1.0, 1.4]])


if __name__ == "__main__":
    unittest.main()
