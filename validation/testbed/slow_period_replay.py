#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""What slow periods in the handler times cost a one-executor server's wait p99, and which
description of them would reproduce it (slow_periods.py prints these figures; docs/validation.md,
"Slow periods in the handler times"): replay.py's Lindley replay with the handler times put
back in different orders, and a two-state (fast/slow) process fitted to a level's window
factors (slow_periods.two_state_fit) as an exogenous, time-based slow period would be modelled.
"""
import random
import statistics

import replay


def waited(calls):
    """1 for a call sent before the previous call's handler ended (it found the server busy), else 0."""
    return [0] + [1 if b["send_ns"] < a["handler_end_ns"] else 0 for a, b in zip(calls, calls[1:])]


def two_state_factors(times, fit, rng):
    """The handler-time multiplier at each of the (ascending) `times` (ms) on one path of the
    fitted two-state Markov process (exponential sojourns, started in its stationary law),
    scaled so that its time average is 1."""
    p_slow = fit["slow_ms"] / (fit["slow_ms"] + fit["fast_ms"])
    scale = 1 / (p_slow * fit["factor"] + 1 - p_slow)
    slow = rng.random() < p_slow
    switch = times[0] + rng.expovariate(1 / (fit["slow_ms"] if slow else fit["fast_ms"]))
    out = []
    for t in times:
        while t >= switch:
            slow = not slow
            switch += rng.expovariate(1 / (fit["slow_ms"] if slow else fit["fast_ms"]))
        out.append(scale * (fit["factor"] if slow else 1.0))
    return out


BLOCKS = (10, 100)   # replay variants: handler times shuffled within consecutive blocks of this many calls
LOAD_WINDOW_NS = 1_000_000_000   # the "load" variant's classes: the client's sends in the second before a call's send


def shuffle_within(values, classes, rng):
    """`values` permuted at random among the positions of equal class (each class's values stay
    in that class's positions)."""
    out = list(values)
    for key in sorted(set(classes)):
        places = [j for j, c in enumerate(classes) if c == key]
        part = [values[j] for j in places]
        rng.shuffle(part)
        for j, v in zip(places, part):
            out[j] = v
    return out


def quartile_classes(values):
    """0 … 3: the quartile of each value among `values` (by rank; ties by position)."""
    order = sorted(range(len(values)), key=lambda j: values[j])
    classes = [0] * len(values)
    for rank, j in enumerate(order):
        classes[j] = rank * 4 // len(values)
    return classes


def recent_sends(sends, times, window):
    """For each of the ascending `times`, the number of the ascending `sends` in (t − window, t]."""
    counts, low, high = [], 0, 0
    for t in times:
        while high < len(sends) and sends[high] <= t:
            high += 1
        while low < high and sends[low] <= t - window:
            low += 1
        counts.append(high - low)
    return counts


def replay_variants(calls, fit, seed, client_sends, overlap=None):
    """Wait p99 (s) of the Lindley replay (replay.py's recursion, delays and gap) with the
    handler times
    - in their recorded order (`in_order`), shuffled within the level (`shuffled`: iid);
    - shuffled within consecutive blocks of BLOCKS calls in send order (`block_N`: slow periods
      longer than a block kept);
    - shuffled within classes that keep a load dependence and nothing else: the calls that
      found the server busy / idle (`busy`); the quartile of the client's sends in the second
      before the call's send (`load`: the offered load); in a composite, whether the other
      model server was in its handler for at least half of the call's (`overlap`);
    - shuffled, then multiplied by one path of the fitted two-state process at the call's send
      (`two_state`: an exogenous slow period, time-based and independent of load; None without
      a fit).
    Also the measured p99. None when no call found the server idle. `client_sends`: ascending
    ns; `overlap`: per call (handler order) its overlapped fraction, or None."""
    rows = sorted(calls, key=lambda r: r["send_ns"])
    idle = replay.idle_waits(rows)
    if not idle:
        return None
    position = {id(c): j for j, c in enumerate(calls)}
    in_handler_order = [position[id(r)] for r in rows]
    sends = [r["send_ns"] / 1e9 for r in rows]
    services = [(r["handler_end_ns"] - r["handler_start_ns"]) / 1e9 for r in rows]
    gap = (replay.busy_gap(rows, statistics.median(idle)) or 0.0) / 1e9
    draws = random.Random(f"{seed}-delays")
    delays = [draws.choice(idle) / 1e9 for _ in rows]

    def p99(handler):
        return replay.nearest_rank(sorted(replay.replay_waits(sends, handler, delays, gap)), 0.99)

    def within(name, classes):
        return p99(shuffle_within(services, classes, random.Random(f"{seed}-{name}")))

    busy = waited(calls)
    result = {"measured": replay.nearest_rank(sorted((r["handler_start_ns"] - r["send_ns"]) / 1e9 for r in rows), 0.99),
              "in_order": p99(services), "shuffled": within("shuffle", [0] * len(rows)),
              "busy": within("busy", [busy[j] for j in in_handler_order]),
              "load": within("load", quartile_classes(recent_sends(client_sends, [r["send_ns"] for r in rows],
                                                                   LOAD_WINDOW_NS))),
              "overlap": None if overlap is None else within("overlap", [overlap[j] >= 0.5 for j in in_handler_order]),
              "two_state": None}
    for size in BLOCKS:
        result[f"block_{size}"] = within(f"block-{size}", [j // size for j in range(len(rows))])
    if fit is not None:
        shuffled = shuffle_within(services, [0] * len(rows), random.Random(f"{seed}-shuffle"))
        factors = two_state_factors([t * 1e3 for t in sends], fit, random.Random(f"{seed}-two-state"))
        result["two_state"] = p99([b * f for b, f in zip(shuffled, factors)])
    return result
