#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""What slow periods in the handler times cost a one-executor server's wait p99, and which
description of them would reproduce it (slow_periods.py prints these figures; docs/validation.md,
"Slow periods in the handler times"): replay.py's Lindley replay with the handler times put
back in different orders, and a two-state (fast/slow) process fitted to a level's window
factors (slow_periods.two_state_fit) as an exogenous, time-based slow period would be modelled.
"""
import bisect
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
ROTATIONS = (0.25, 0.5, 0.75)   # the rotated variant: the handler times' order shifted by these shares of the level


def rotated(values, share):
    """`values` in their order, shifted circularly by round(share · n) places: every run and
    every slow period kept as it was, only moved in time against the arrivals."""
    k = round(share * len(values)) % len(values) if values else 0
    return values[k:] + values[:k]
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


def in_flight_at(times, begins, ends):
    """For each time t: how many of the intervals [begin, end) hold it — begins ≤ t minus
    ends ≤ t (begins and ends each ascending; an interval's end not before its begin)."""
    return [bisect.bisect_right(begins, t) - bisect.bisect_right(ends, t) for t in times]


OWN_CAP = 10        # the own_n variant's classes: 1 … OWN_CAP requests in the server (more counted as OWN_CAP)
DEPLOYMENT_BIN = 2  # the deployment_n variant's classes: requests in the deployment in bins of this many,
DEPLOYMENT_CAP = 15  # up to this bin


def replay_variants(calls, fit, seed, client_sends, overlap=None, in_flight=None):
    """Wait p99 (s) of the Lindley replay (replay.py's recursion, delays and gap) with the
    handler times
    - in their recorded order (`in_order`), shuffled within the level (`shuffled`: iid);
    - shuffled within consecutive blocks of BLOCKS calls in send order (`block_N`: slow periods
      longer than a block kept);
    - in their order but shifted circularly by each share of ROTATIONS of the level (`rotated`,
      the median p99 of the shifts): every slow period exactly as measured, at other times than
      the arrivals it met — what an exogenous slow-period process with the measured periods'
      every property would give;
    - shuffled within classes that keep a load dependence and nothing else: the calls that
      found the server busy / idle (`busy`); the quartile of the client's sends in the second
      before the call's send (`load`: the offered load); in a composite, whether the other
      model server was in its handler for at least half of the call's (`overlap`); the
      number of requests in the server when the handler started, sent and not yet through
      their handler (`own_n`: a dependence on its own queue, as `serviceTimeScaling` `by:
      inFlight`); the number of the client's requests in the deployment then, sent and not
      yet answered (`deployment_n`);
    - shuffled, then multiplied by one path of the fitted two-state process at the call's send
      (`two_state`: an exogenous slow period, time-based and independent of load; None without
      a fit).
    Also the measured p99. None when no call found the server idle. `client_sends`: ascending
    ns; `overlap`: per call (handler order) its overlapped fraction, or None; `in_flight`:
    {"own", "deployment"} → per call (handler order) those counts, or None."""
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
              "own_n": None if in_flight is None else within(
                  "own", [min(in_flight["own"][j], OWN_CAP) for j in in_handler_order]),
              "deployment_n": None if in_flight is None else within(
                  "deployment", [min(in_flight["deployment"][j] // DEPLOYMENT_BIN, DEPLOYMENT_CAP) for j in in_handler_order]),
              "two_state": None}
    for size in BLOCKS:
        result[f"block_{size}"] = within(f"block-{size}", [j // size for j in range(len(rows))])
    result["rotated"] = statistics.median(p99(rotated(services, share)) for share in ROTATIONS)
    if fit is not None:
        shuffled = shuffle_within(services, [0] * len(rows), random.Random(f"{seed}-shuffle"))
        factors = two_state_factors([t * 1e3 for t in sends], fit, random.Random(f"{seed}-two-state"))
        result["two_state"] = p99([b * f for b, f in zip(shuffled, factors)])
    return result


def two_state_speed(fit, rng, t0):
    """factor_at(t): the handler-time multiplier of one path of the fitted two-state process
    (as two_state_factors: exponential sojourns, stationary start at t0, time average 1) at
    time t in seconds; t must not decrease from call to call."""
    p_slow = fit["slow_ms"] / (fit["slow_ms"] + fit["fast_ms"])
    scale = 1 / (p_slow * fit["factor"] + 1 - p_slow)
    state = {"slow": rng.random() < p_slow}

    def sojourn():
        return rng.expovariate(1e3 / (fit["slow_ms"] if state["slow"] else fit["fast_ms"]))
    state["switch"] = t0 + sojourn()

    def factor_at(t):
        while t >= state["switch"]:
            state["slow"] = not state["slow"]
            state["switch"] += sojourn()
        return scale * (fit["factor"] if state["slow"] else 1.0)
    return factor_at


def fifo_starts(arrivals, services, gap, factor_at=None):
    """replay.lindley_starts with each service multiplied by factor_at(its start) (None: by 1).
    Returns (starts, services as served), both in the order given."""
    order = sorted(range(len(arrivals)), key=lambda j: arrivals[j])
    starts, served = [0.0] * len(arrivals), [0.0] * len(arrivals)
    free = None
    for j in order:
        start = arrivals[j] if free is None else max(arrivals[j], free)
        starts[j] = start
        served[j] = services[j] * (factor_at(start) if factor_at else 1.0)
        free = start + served[j] + gap
    return starts, served


HOST_STEP_S = 0.001    # tandem_variants: resolution of the shared host path
HOST_MARGIN_S = 60.0   # and how far past the last send it is drawn (later times read its last value)


def tandem_variants(stage1, stage2, fits, seed):
    """A pipeline's two one-executor servers replayed together (wait p99 of each stage, s):
    stage-1 from the front's measured sends to it, stage-2 from stage-1's *replayed* handler
    ends plus each request's measured time from its stage-1 handler end to its stage-2 send
    (the answer's way back through the front), so that a slow stage-1 bunches stage-2's
    arrivals as in a simulation. Delays to an idle handler and busy gaps as replay.py's, per
    stage. Variants: `in_order` (measured handler times); `shuffled` (each stage's shuffled:
    iid); `rotated` (both stages' handler times in their order, shifted together by each share
    of ROTATIONS of the level: the median p99); `two_state_nodes` (shuffled, times one path per stage of that stage's fitted process,
    at the handler's start); `two_state_host` (shuffled, times one shared path of the host's
    fit: both stages slow together). `fits`: {"stage-1", "stage-2", "host"} → fit or None;
    pairs are matched by request id (the part before ':'). None without an idle-found call."""
    by_id = {c["request_id"].split(":")[0]: c for c in stage2}
    pairs = sorted(((a, by_id[a["request_id"].split(":")[0]]) for a in stage1
                    if a["request_id"].split(":")[0] in by_id), key=lambda p: p[0]["send_ns"])
    first, second = [p[0] for p in pairs], [p[1] for p in pairs]
    setup = []
    for rows in (first, second):
        idle = replay.idle_waits(rows)
        if not idle:
            return None
        gap = (replay.busy_gap(rows, statistics.median(idle)) or 0.0) / 1e9
        draws = random.Random(f"{seed}-tandem-delays-{len(setup)}")
        setup.append((gap, [draws.choice(idle) / 1e9 for _ in rows],
                      [(r["handler_end_ns"] - r["handler_start_ns"]) / 1e9 for r in rows]))
    sends1 = [r["send_ns"] / 1e9 for r in first]
    back = [(b["send_ns"] - a["handler_end_ns"]) / 1e9 for a, b in pairs]
    t0 = sends1[0]

    def run(services1, services2, speed1, speed2):
        (gap1, delays1, _), (gap2, delays2, _) = setup
        starts1, served1 = fifo_starts([s + d for s, d in zip(sends1, delays1)], services1, gap1, speed1)
        sends2 = [h + b + o for h, b, o in zip(starts1, served1, back)]
        starts2, _ = fifo_starts([s + d for s, d in zip(sends2, delays2)], services2, gap2, speed2)
        return [replay.nearest_rank(sorted(h - s for h, s in zip(starts, sends)), 0.99)
                for starts, sends in ((starts1, sends1), (starts2, sends2))]

    b1, b2 = setup[0][2], setup[1][2]
    mixer = random.Random(f"{seed}-tandem-shuffle")
    s1, s2 = list(b1), list(b2)
    mixer.shuffle(s1)
    mixer.shuffle(s2)
    shifted = [run(rotated(b1, share), rotated(b2, share), None, None) for share in ROTATIONS]
    result = {"in_order": run(b1, b2, None, None), "shuffled": run(s1, s2, None, None),
              "rotated": [statistics.median(r[k] for r in shifted) for k in range(2)],
              "two_state_nodes": None, "two_state_host": None}
    if fits.get("stage-1") and fits.get("stage-2"):
        result["two_state_nodes"] = run(s1, s2, two_state_speed(fits["stage-1"], random.Random(f"{seed}-node-1"), t0),
                                        two_state_speed(fits["stage-2"], random.Random(f"{seed}-node-2"), t0))
    if fits.get("host"):
        # One path for both stages, tabulated at HOST_STEP_S up front: the stages read it at
        # times that interleave, which two_state_speed's forward-only cursor does not allow.
        path = two_state_speed(fits["host"], random.Random(f"{seed}-host"), t0)
        table = [path(t0 + k * HOST_STEP_S) for k in range(int((sends1[-1] - t0 + HOST_MARGIN_S) / HOST_STEP_S) + 1)]

        def host(time):
            return table[min(max(0, int((time - t0) / HOST_STEP_S)), len(table) - 1)]
        result["two_state_host"] = run(s1, s2, host, host)
    measured = [replay.nearest_rank(sorted((r["handler_start_ns"] - r["send_ns"]) / 1e9 for r in rows), 0.99)
                for rows in (first, second)]
    result["measured"] = measured
    return result
