#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""How the thread-pool REST server (rest-thread) shares the CPU, from its records
(docs/validation.md, "The thread-pool server's mechanism"). For each level of OUT/rest-thread:

1. handler time by how many handlers were in flight during it (time-averaged, itself
   excluded), and of the isolated calls (no other call's server_receive..response interval
   touched theirs): the work of one request alone;
2. the pool's capacity: the per-request rate r(n) with n handlers in flight, by least squares
   over every handler (sum over n of time at n · r(n) = the isolated median), and the one
   capacity C with r(n) = min(1, C / n) that delivers all the measured handler work (the
   work balance, `fit_capacity`; what compare.py gives hybridsim as `capacity`);
3. overlapping pairs (a second handler starts while exactly one runs, and nothing else starts
   until both end): each one's slowdown over the isolated median, divided by the overlap;
   under processor sharing on 2 cores both would be 0, on one shared core both 0.5; and the
   share of the pairs' slowdown the earlier handler bore (0.5: symmetric);
4. receipt (handler_start − server_receive) and response (response − handler_end) when
   another handler started or ended inside them, and the parts of the slowest 1 % of calls;
5. what the receipts find: the share of server_receive instants with 0, 1, 2, 3 or more
   handlers in flight, against the same at as many uniformly random instants of the level
   (fixed seed; for arrivals independent of the server's state the two agree, PASTA), and the
   share of each that falls within RECEIPT_AFTER_END of a handler's end.

Reads records only (no hybridsim, no servers).
  .venv/bin/python thread_pool_diagnostics.py OUT [--config rest-thread]
"""
import argparse
import bisect
import json
import os
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from testbed import wire                    # noqa: E402
from testbed.summary import nearest_rank    # noqa: E402

MAX_IN_FLIGHT = 5        # occupancy columns: 1, 2, ..., MAX_IN_FLIGHT or more handlers in flight
RECEIPT_AFTER_END = 300_000   # ns: "just after a handler ended" (point 5)
CAPACITY_TOLERANCE = 1e-6


class Counter:
    """How many of a set of intervals [start, end) cover each instant: a step function."""

    def __init__(self, intervals):
        events = sorted([(s, 1) for s, _ in intervals] + [(e, -1) for _, e in intervals])
        self.times = [t for t, _ in events]
        self.counts = []
        running = 0
        for _, step in events:
            running += step
            self.counts.append(running)

    def segments(self, start, end):
        """(duration, count) pieces of [start, end): the count after every event up to start."""
        first = bisect.bisect_right(self.times, start)
        last = bisect.bisect_left(self.times, end)
        count = self.counts[first - 1] if first > 0 else 0
        pieces, previous = [], start
        for k in range(first, last):
            if self.times[k] > previous:
                pieces.append((self.times[k] - previous, count))
            previous, count = self.times[k], self.counts[k]
        if end > previous:
            pieces.append((end - previous, count))
        return pieces


def occupancy(calls, columns=MAX_IN_FLIGHT):
    """For each call, ns of its handler interval spent with 1, 2, ..., `columns`-or-more
    handlers in flight (itself included)."""
    counter = Counter([(c["handler_start_ns"], c["handler_end_ns"]) for c in calls])
    table = []
    for c in calls:
        row = [0] * columns
        for duration, count in counter.segments(c["handler_start_ns"], c["handler_end_ns"]):
            row[min(max(count, 1), columns) - 1] += duration
        table.append(row)
    return table


def others_in_flight(calls):
    """Time-averaged number of other handlers in flight during each call's handler."""
    result = []
    for row in occupancy(calls, columns=64):
        total = sum(row)
        result.append(sum(n * t for n, t in enumerate(row)) / total if total else 0.0)
    return result


def isolated(calls):
    """The calls no other call's server_receive..response interval overlapped."""
    spans = sorted((c["server_receive_ns"], c["response_ns"], k) for k, c in enumerate(calls))
    alone = [True] * len(calls)
    latest_end, latest = None, None
    for start, end, k in spans:
        if latest_end is not None and start < latest_end:
            alone[k] = False
            alone[latest] = False
        if latest_end is None or end > latest_end:
            latest_end, latest = end, k
    return [c for c, a in zip(calls, alone) if a]


def delivered(table, capacity):
    """Work (ns) a pool of `capacity` cores gives the calls of `table` (occupancy rows) when
    each of n in flight progresses at min(1, capacity / n)."""
    return sum(t * min(1.0, capacity / (n + 1)) for row in table for n, t in enumerate(row))


def fit_capacity(table, work_ns, upper=None):
    """The capacity C for which the handlers of `table` received, in total, len(table) ·
    work_ns of work at r(n) = min(1, C / n): the work balance. Bisection (delivered() rises
    with C); None when even C = `upper` (the most handlers ever in flight) delivers too little
    or C → 0 too much."""
    need = work_ns * len(table)
    high = float(upper or len(table[0]))
    if not table or delivered(table, high) < need:
        return None
    low = 0.0
    while high - low > CAPACITY_TOLERANCE:
        middle = (low + high) / 2
        if delivered(table, middle) < need:
            low = middle
        else:
            high = middle
    return high


def rates_by_concurrency(table, work_ns):
    """Least-squares r(1..columns) with sum over n of time_n · r(n) = work_ns per call."""
    import numpy as np
    matrix = np.array(table, dtype=float)
    solution, *_ = np.linalg.lstsq(matrix, np.full(len(table), float(work_ns)), rcond=None)
    return [float(r) for r in solution]


def pair_slowdowns(calls, work_ns):
    """For clean overlapping pairs (the second handler starts while exactly the first runs,
    the first started alone, and no third starts before both end): (first's slowdown,
    second's slowdown) over work_ns, each divided by the overlap."""
    pairs = []
    for k in range(1, len(calls)):
        a, b = calls[k - 1], calls[k]
        if a["handler_end_ns"] <= b["handler_start_ns"]:
            continue
        if k >= 2 and calls[k - 2]["handler_end_ns"] > a["handler_start_ns"]:
            continue
        both_end = max(a["handler_end_ns"], b["handler_end_ns"])
        if k + 1 < len(calls) and calls[k + 1]["handler_start_ns"] < both_end:
            continue
        overlap = min(a["handler_end_ns"], b["handler_end_ns"]) - b["handler_start_ns"]
        pairs.append(((a["handler_end_ns"] - a["handler_start_ns"] - work_ns) / overlap,
                      (b["handler_end_ns"] - b["handler_start_ns"] - work_ns) / overlap))
    return pairs


def earlier_share(pairs):
    """The part of the pairs' total slowdown borne by the handler that was already running
    (pair_slowdowns' ratios, weighted alike): 0.5 for symmetric sharing, 1 when the newcomer
    always runs first; None without any slowdown."""
    first = sum(max(0.0, a) for a, _ in pairs)
    total = first + sum(max(0.0, b) for _, b in pairs)
    return first / total if total > 0 else None


def what_receipts_find(calls, seed=1, columns=4):
    """{"receipts"|"random": [share with 0, 1, ..., `columns`-or-more − 1 handlers in flight],
    "receipts_after_end"|"random_after_end": share within RECEIPT_AFTER_END after a handler's
    end}: at the calls' server_receive instants and at as many uniform random instants
    between the first and the last (fixed seed)."""
    import random
    starts = sorted(c["handler_start_ns"] for c in calls)
    ends = sorted(c["handler_end_ns"] for c in calls)
    receipts = sorted(c["server_receive_ns"] for c in calls)
    draws = random.Random(f"{seed}-instants")
    instants = [draws.uniform(receipts[0], receipts[-1]) for _ in receipts]

    def in_flight(t):
        return bisect.bisect_right(starts, t) - bisect.bisect_right(ends, t)

    def shares(times):
        counts = [0] * columns
        for t in times:
            counts[min(in_flight(t), columns - 1)] += 1
        return [round(c / len(times), 3) for c in counts]

    def after_end(times):
        def near(t):
            k = bisect.bisect_right(ends, t)
            return k > 0 and t - ends[k - 1] < RECEIPT_AFTER_END
        return round(sum(1 for t in times if near(t)) / len(times), 3)
    return {"receipts": shares(receipts), "random": shares(instants),
            "receipts_after_end": after_end(receipts), "random_after_end": after_end(instants)}


def ms(ns):
    return round(ns / 1e6, 3)


def level_report(calls):
    """The figures of one level (a dict, times in ms)."""
    alone = isolated(calls)
    work = statistics.median(c["handler_end_ns"] - c["handler_start_ns"] for c in alone)
    table = occupancy(calls)
    handler = [c["handler_end_ns"] - c["handler_start_ns"] for c in calls]
    others = others_in_flight(calls)
    bands = {}
    for low, high in [(0, 0.05), (0.05, 0.5), (0.5, 1), (1, 1.5), (1.5, 2.5), (2.5, float("inf"))]:
        times = sorted(h for h, o in zip(handler, others) if low <= o < high)
        if times:
            bands[f"{low}-{high}"] = {"calls": len(times), "mean": ms(statistics.fmean(times)),
                                      "p50": ms(nearest_rank(times, 0.5))}
    pairs = pair_slowdowns(calls, work)
    share = [sum(row[n] for row in table) for n in range(len(table[0]))]

    def fractions(values):
        edges = [0.1, 0.3, 0.5, 0.7, 0.9, 1.1]
        counts = [sum(1 for v in values if (edges[i - 1] if i else -1e9) <= v < (edges[i] if i < len(edges) else 1e9))
                  for i in range(len(edges) + 1)]
        return counts

    starts = sorted(c["handler_start_ns"] for c in calls)
    ends = sorted(c["handler_end_ns"] for c in calls)

    def touched(lo, hi):
        return bisect.bisect_right(starts, hi) > bisect.bisect_right(starts, lo) or \
            bisect.bisect_right(ends, hi) > bisect.bisect_right(ends, lo)

    receipt = [(c["handler_start_ns"] - c["server_receive_ns"], touched(c["server_receive_ns"], c["handler_start_ns"] - 1))
               for c in calls]
    response = [(c["response_ns"] - c["handler_end_ns"], touched(c["handler_end_ns"], c["response_ns"])) for c in calls]

    def split(pairs_):
        quiet = sorted(v for v, t in pairs_ if not t)
        busy = sorted(v for v, t in pairs_ if t)
        return {"quiet": {"calls": len(quiet), "p50": ms(nearest_rank(quiet, 0.5)), "p90": ms(nearest_rank(quiet, 0.9))}
                if quiet else None,
                "handler inside": {"calls": len(busy), "p50": ms(nearest_rank(busy, 0.5)), "p90": ms(nearest_rank(busy, 0.9))}
                if busy else None}

    latency = sorted(c["response_ns"] - c["send_ns"] for c in calls)
    p99 = nearest_rank(latency, 0.99)
    slow = [c for c in calls if c["response_ns"] - c["send_ns"] >= p99]

    def parts(group):
        return {name: ms(statistics.fmean(c[b] - c[a] for c in group)) for name, a, b in
                [("to receipt", "send_ns", "server_receive_ns"), ("receipt", "server_receive_ns", "handler_start_ns"),
                 ("handler", "handler_start_ns", "handler_end_ns"), ("response", "handler_end_ns", "response_ns")]}

    alone_sorted = sorted(c["handler_end_ns"] - c["handler_start_ns"] for c in alone)
    return {
        "calls": len(calls), "isolated_calls": len(alone),
        "isolated_handler_ms": {q: ms(nearest_rank(alone_sorted, p)) for q, p in
                                [("p10", 0.1), ("p50", 0.5), ("p90", 0.9), ("p99", 0.99)]},
        "handler_by_others_in_flight": bands,
        "time_share_by_in_flight": [round(s / sum(share), 3) for s in share],
        "rate_by_in_flight": [round(r, 3) for r in rates_by_concurrency(table, work)],
        "capacity_work_balance": round(fit_capacity(table, work), 3),
        "pairs": len(pairs),
        "pair_slowdown_per_overlap_bins": "<0.1, 0.1-0.3, 0.3-0.5, 0.5-0.7, 0.7-0.9, 0.9-1.1, >=1.1",
        "first_of_pair": fractions([p[0] for p in pairs]),
        "second_of_pair": fractions([p[1] for p in pairs]),
        "earlier_share_of_pair_slowdown": None if earlier_share(pairs) is None else round(earlier_share(pairs), 3),
        "receipt_ms": split(receipt), "response_ms": split(response),
        "slowest_1pc_parts_ms": parts(slow), "all_parts_ms": parts(calls),
        "in_flight_found_0_1_2_3plus": what_receipts_find(calls),
    }


def campaign_capacity(config_dir, levels, name="records.csv"):
    """fit_capacity over every level's calls pooled, with the isolated calls' median handler
    time as the work (compare.py's `capacity` for the thread-pool server); and that work."""
    table, alone = [], []
    for level in levels:
        calls = wire.ok_calls_in_handler_order(os.path.join(config_dir, f"u{level}", name))
        table += occupancy(calls)
        alone += [c["handler_end_ns"] - c["handler_start_ns"] for c in isolated(calls)]
    work = statistics.median(alone)
    return fit_capacity(table, work), work


def main():
    parser = argparse.ArgumentParser(description="how the thread-pool REST server shares the CPU, from its records")
    parser.add_argument("out", help="a campaign folder (campaign.py --out)")
    parser.add_argument("--config", default="rest-thread")
    args = parser.parse_args()
    with open(os.path.join(args.out, "campaign.json")) as f:
        levels = [f"{u:.2f}" for u in json.load(f)["utilizations"]]
    config_dir = os.path.join(args.out, args.config)
    for level in levels:
        path = os.path.join(config_dir, f"u{level}", "records.csv")
        if os.path.exists(path):
            print(f"u = {level}: " + json.dumps(level_report(wire.ok_calls_in_handler_order(path))), flush=True)
    capacity, work = campaign_capacity(config_dir, [lv for lv in levels
                                                    if os.path.exists(os.path.join(config_dir, f"u{lv}", "records.csv"))])
    print(f"capacity over all levels (work balance): {capacity:.3f} cores; isolated handler median {ms(work):.3f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
