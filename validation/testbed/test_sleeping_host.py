#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests of the host whose idle cores sleep (sleeping_host.py): schedules worked out by
hand (smoke.sh runs them with test_testbed.py).
  .venv/bin/python -m unittest test_sleeping_host
"""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import sleeping_host   # noqa: E402


def departures(arrivals, wake, keep, reads=None, handlers=None, writes=None, cores=2, weight=1.0):
    n = len(arrivals)
    return sleeping_host.replay(arrivals, reads or [1.0] * n, handlers or [4.0] * n, writes or [1.0] * n,
                                cores, wake, keep, weight)


class SleepingHostTests(unittest.TestCase):
    def assertTimes(self, got, expected):
        self.assertEqual(len(got), len(expected))
        for g, e in zip(got, expected):
            self.assertAlmostEqual(g, e, places=9)

    def test_a_lone_request_runs_on_the_core_that_never_sleeps(self):
        # read 0-1, handler 1-5, write 5-6: one runnable job at a time, no wake-up
        self.assertTimes(departures([0.0], wake=3.0, keep=3.0), [6.0])

    def test_without_a_wake_delay_two_requests_get_a_core_each(self):
        # A: read 0-1, handler 1-5, write 5-6; B: read 2-3, handler 3-7, write 7-8
        self.assertTimes(departures([0.0, 2.0], wake=0.0, keep=0.0), [6.0, 8.0])

    def test_a_newcomer_shares_one_core_until_the_second_wakes(self):
        # t=2: B's read makes two runnable jobs; core 2 is asleep and awake at 5: both at 1/2.
        # B's read ends at 4 (A's handler has 2 left), B's handler at 1/2 until 5 (A 1.5, B 3.5
        # left), then each at 1: A's handler ends 6.5, its write 6.5-7.5 (B has 1 left at 7.5),
        # B's handler ends 8.5, its write 8.5-9.5.
        self.assertTimes(departures([0.0, 2.0], wake=3.0, keep=3.0), [7.5, 9.5])

    def test_a_core_used_within_keep_is_awake_at_once(self):
        # As above; core 2 idle from 7.5. C at 10 (read 10-11, handler 11-15), D at 11: with
        # keep 10 core 2 is still awake: D read 11-12, handler 12-16; C write 15-16, D 16-17.
        self.assertTimes(departures([0.0, 2.0, 10.0, 11.0], wake=3.0, keep=10.0), [7.5, 9.5, 16.0, 17.0])

    def test_a_core_idle_longer_than_keep_sleeps_and_wakes_late(self):
        # keep 3: core 2 asleep from 10.5. D at 11 wakes it for 14: C's handler and D's read
        # at 1/2 until 13 (C 3 left), D's handler at 1/2 until 14 (C 2.5, D 3.5), then at 1:
        # C's handler ends 16.5 (D 1 left), C's write 16.5-17.5 beside D's handler, which ends
        # 17.5; D's write 17.5-18.5.
        self.assertTimes(departures([0.0, 2.0, 10.0, 11.0], wake=3.0, keep=3.0), [7.5, 9.5, 17.5, 18.5])

    def test_the_loop_serves_reads_and_writes_first_come_first_served(self):
        # one core: A's read 0-1, A's handler 1-5 alone until B arrives at 2; B's read shares
        # the core (A 3 left, B 1): B's read ends at 4 (A 2 left); A and B's handlers at 1/2:
        # A ends 8, B has 2 left; A's write 8-10 at 1/2 beside B's handler (B 1 left at 10),
        # B's handler ends 11, B's write 11-12.
        self.assertTimes(departures([0.0, 2.0], wake=0.0, keep=0.0, cores=1), [10.0, 12.0])

    def test_newest_first_runs_the_newcomer_at_full_speed_on_one_core(self):
        # weight inf, core 2 wakes at 5: B's read 2-3 runs alone on core 1 (A's handler
        # stalled at 3 left), B's handler 3-5 alone (2 left), then each at 1: B ends 7 (A 1
        # left), B's write 7-8 beside A's handler, A's handler ends 8, A's write 8-9.
        self.assertTimes(departures([0.0, 2.0], wake=3.0, keep=3.0, weight=float("inf"),
                                    handlers=[4.0, 4.0]), [9.0, 8.0])

    def test_a_loop_that_runs_last_waits_for_a_core_the_handlers_leave(self):
        # loop last, core 2 asleep: B arrives at 1.5 while A's handler holds core 1; B's read
        # gets nothing until core 2 wakes at 4.5 (A 0.5 left); then B's read 4.5-5.5 and A's
        # handler ends 5.0; A's write waits behind B's read (one loop): 5.5-6.5; B's handler
        # 5.5-9.5, its write 9.5-10.5.
        n = 2
        got = sleeping_host.replay([0.0, 1.5], [1.0] * n, [4.0] * n, [1.0] * n, 2, 3.0, 3.0, 1.0, loop_last=True)
        self.assertTimes(got, [6.5, 10.5])

    def test_found_counts_the_handlers_in_service_at_each_read(self):
        found = []
        sleeping_host.replay([0.0, 2.0], [1.0] * 2, [4.0] * 2, [1.0] * 2, 2, 0.0, 0.0, 1.0, found)
        self.assertEqual(found, [0, 1])


if __name__ == "__main__":
    unittest.main()
