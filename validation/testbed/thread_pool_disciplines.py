#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Candidate sharing disciplines of the thread-pool REST server (rest-thread), replayed on its
records (docs/validation.md, "The thread-pool server's sharing discipline (re-compared, not
re-measured)").

Each request's server part — from server_receive to response (`--span server`, the default:
the event loop's reading and writing share the CPU with the pool's threads) or the handler
alone (`--span handler`) — is replayed as a job arriving at the measured instant
(`--arrivals measured`) or on a Poisson path of the level's mean rate (`--arrivals poisson`:
what a prediction has), with one request's work (drawn, fixed seed, from the isolated calls'
spans: thread_pool_diagnostics.isolated; the same work at every load), through

    discriminatory processor sharing with a capacity: n jobs in service; the newest (latest
    arrived still in service) has weight w, the others 1; C cores give job i the rate
    C · wᵢ / Σw, at most 1 (one thread runs on one core), what a capped job cannot use going
    to the others (water-filling). C may depend on n (`--capacities 1|1.4|1.9`: C(1), C(2),
    C(3 or more)).

w = 1 is symmetric processor sharing at min(1, C / n) (hybridsim's `concurrency.capacity`);
w = inf runs the newest at min(1, C) and the others share the rest; C = 2, w = 1 is
hybridsim's `cores: 2`. With `--waking DELAYS/KEEPS` (ms; `DELAYS/=` for KEEP = DELAY) the
second core sleeps: while two or more jobs are in service the pool has C cores once it is
awake and one core before; it stays awake for KEEP after the pool last had two or more jobs,
and when asleep it wakes DELAY after a second job arrives.

Errors (replayed − measured) / measured at p50 / p95 / p99 of: the replayed span (server);
the latency with the span replayed and the rest of the request as measured (end to end); and
the latency with the rest drawn at random (fixed seed) from the lowest level's requests
(calibrated: the rest independent of the load, as a prediction's calibrated overhead is).
`score` = max(|p50 error| / 5, |p99 error| / 10) of the calibrated latency: below 1 is within
issue 15's goal. `--fit-on` chooses the parameters with the smallest largest score over those
levels and prints every level's errors for them.

  .venv/bin/python thread_pool_disciplines.py OUT [OUT2 ...] [--config rest-thread]
      [--span server|handler] [--weights 1,2,inf] [--capacities 1.4:2.0:0.1]
      [--waking 1,2/1,3] [--arrivals measured|poisson] [--fit-on 0.10 ...] [--levels 0.10,0.30]
A level is taken from the first campaign folder that has it. Reads records only.
"""
import argparse
import itertools
import json
import math
import os
import random
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import thread_pool_diagnostics as pool      # noqa: E402
from testbed import wire                    # noqa: E402
from testbed.summary import nearest_rank    # noqa: E402

QUANTILES = (0.50, 0.95, 0.99)
SPANS = {"handler": ("handler_start_ns", "handler_end_ns"), "server": ("server_receive_ns", "response_ns")}
GOAL = (5.0, 10.0)   # issue 15: p50 within 5 %, p99 within 10 %


def rates(count, weight, capacity):
    """(rate of each older job, rate of the newest) with `count` jobs in service, the newest
    of weight `weight` (math.inf allowed), the others 1, `capacity` cores, each rate at most 1
    (water-filling)."""
    if count == 0:
        return 0.0, 0.0
    if count == 1:
        return 0.0, min(1.0, capacity)
    older = count - 1
    newest = min(1.0, capacity) if math.isinf(weight) else capacity * weight / (weight + older)
    if newest >= 1.0:                               # the newest capped: the rest to the others
        return min(1.0, (capacity - 1.0) / older), 1.0
    each = capacity / (weight + older)
    if each > 1.0:                                  # w < 1, the others capped: the rest to the newest
        return 1.0, min(1.0, capacity - older)
    return (capacity - newest) / older if math.isinf(weight) else each, newest


def replay(arrivals, works, weight, capacity, waking=None):
    """Departure times of jobs arriving at `arrivals` (ascending) with `works` (the same unit
    of time, at rate 1), in the order given. capacity: cores, or a list of the cores with 1,
    2, ... jobs in service (the last for more). waking: None, or (delay, keep) of the
    sleeping second core (module docstring): with two or more jobs the pool has one core until
    the second is awake."""
    capacities = capacity if isinstance(capacity, (list, tuple)) else [capacity]
    departures = [0.0] * len(arrivals)
    remaining, order = {}, []          # work left; jobs in service by arrival, the newest last
    now, k, n = 0.0, 0, len(arrivals)
    awake_from, asleep_at = (0.0, math.inf) if waking is None else (math.inf, -math.inf)
    while k < n or order:
        cores = capacities[min(len(order), len(capacities)) - 1] if order else 0.0
        if len(order) >= 2 and now < awake_from:
            cores = 1.0
        older_rate, newest_rate = rates(len(order), weight, cores)
        speeds = [older_rate] * (len(order) - 1) + [newest_rate] if order else []
        finish, finisher = math.inf, None
        for j, rate in zip(order, speeds):
            if rate > 0 and now + remaining[j] / rate < finish:
                finish, finisher = now + remaining[j] / rate, j
        next_arrival = arrivals[k] if k < n else math.inf
        wake = awake_from if len(order) >= 2 and awake_from > now else math.inf
        until = min(finish, next_arrival, wake)
        for j, rate in zip(order, speeds):
            remaining[j] -= rate * (until - now)
        now = until
        if wake < min(finish, next_arrival):
            continue
        if finisher is not None and finish <= next_arrival:
            departures[finisher] = now
            order.remove(finisher)
            del remaining[finisher]
            if waking is not None and len(order) == 1:
                asleep_at = now + waking[1]
        else:
            order.append(k)
            remaining[k] = works[k]
            k += 1
            if waking is not None and len(order) == 2:
                awake_from = now if now < asleep_at else now + waking[0]
    return departures


def percentiles(values):
    ordered = sorted(values)
    return [nearest_rank(ordered, q) for q in QUANTILES]


def errors(predicted, measured):
    """(p − m) / m in % of each pair."""
    return [(p - m) / m * 100 for p, m in zip(predicted, measured)]


def score(latency_errors):
    """max(|p50 error| / 5, |p99 error| / 10) of [p50, p95, p99] errors in %: below 1 is
    within issue 15's goal."""
    return max(abs(latency_errors[0]) / GOAL[0], abs(latency_errors[2]) / GOAL[1])


class Level:
    """One level's ok calls, ordered by the span's start: arrivals, measured spans and
    latencies (ns), and the isolated calls' spans (the work alone)."""

    def __init__(self, path, span="server"):
        first, last = SPANS[span]
        calls = sorted(wire.ok_calls_in_handler_order(path), key=lambda c: c[first])
        self.arrivals = [c[first] for c in calls]
        self.spans = [c[last] - c[first] for c in calls]
        self.latency = [c["response_ns"] - c["send_ns"] for c in calls]
        self.alone = [c[last] - c[first] for c in pool.isolated(calls)]

    def rest(self):
        """Each call's latency outside the span (ns)."""
        return [lat - s for lat, s in zip(self.latency, self.spans)]

    def poisson_arrivals(self, draws):
        """A Poisson path of the level's mean arrival rate, as many arrivals, from its first."""
        rate = (len(self.arrivals) - 1) / (self.arrivals[-1] - self.arrivals[0])
        times, t = [], self.arrivals[0]
        for _ in self.arrivals:
            times.append(t)
            t += draws.expovariate(rate)
        return times

    def evaluate(self, works, rest_draws, weight, capacity, waking=None, arrivals=None):
        """{"server", "end_to_end", "calibrated"}: p50 / p95 / p99 errors in % (module docstring);
        "shares": the earlier job's share of clean overlapping pairs' slowdown, measured and
        replayed (thread_pool_diagnostics.earlier_share over the spans). arrivals: None (the
        measured ones), or others (a Poisson path: then "end_to_end" pairs each replayed span
        with a measured rest by rank in the level, not by request)."""
        replay_arrivals = self.arrivals if arrivals is None else arrivals
        departures = replay(replay_arrivals, works, weight, capacity, waking)
        replayed = [d - a for d, a in zip(departures, replay_arrivals)]
        measured = percentiles(self.latency)
        return {"server": errors(percentiles(replayed), percentiles(self.spans)),
                "end_to_end": errors(percentiles([r + s for r, s in zip(self.rest(), replayed)]), measured),
                "calibrated": errors(percentiles([r + s for r, s in zip(rest_draws, replayed)]), measured),
                "shares": (earlier_share(self.arrivals, self.spans, self.alone),
                           earlier_share(replay_arrivals, replayed, self.alone))}


def earlier_share(arrivals, spans, alone):
    """The earlier job's share of the slowdown in clean overlapping pairs of jobs arriving at
    `arrivals` and staying `spans` (work: the median of `alone`); None without pairs."""
    jobs = [{"handler_start_ns": a, "handler_end_ns": a + s} for a, s in zip(arrivals, spans)]
    return pool.earlier_share(pool.pair_slowdowns(jobs, statistics.median(alone)))


def parse_values(text):
    """"1,2,inf" or "1.4:2.0:0.1" (low:high:step) -> floats."""
    if ":" in text:
        low, high, step = (float(v) for v in text.split(":"))
        return [round(low + i * step, 6) for i in range(int(round((high - low) / step)) + 1)]
    return [math.inf if v == "inf" else float(v) for v in text.split(",")]


def parse_capacities(text):
    """Capacities, or with "|" capacity lists by jobs in service: "1|1.3,1.4|1.9"."""
    if "|" not in text:
        return parse_values(text)
    return [list(c) for c in itertools.product(*(parse_values(part) for part in text.split("|")))]


def label(weight, capacity, waking):
    cores = "/".join(f"{c:g}" for c in capacity) if isinstance(capacity, list) else f"{capacity:g}"
    wake = "" if waking is None else f" wake {waking[0] / 1e6:g} ms keep {waking[1] / 1e6:g} ms"
    return f"w={weight:g} C={cores}{wake}"


def fitted(results, levels):
    """The parameters (a results key) with the smallest largest calibrated score over `levels`;
    the first in grid order among equals."""
    return min(results, key=lambda name: max(score(results[name][u]["calibrated"]) for u in levels))


def share(value):
    return "-" if value is None else f"{value:.2f}"


def fmt(values):
    return "/".join(f"{v:+.1f}" for v in values)


def campaign_levels(outs, config):
    """{utilisation text: records path}, each level from the first folder that has it."""
    levels = {}
    for out in outs:
        with open(os.path.join(out, "campaign.json")) as f:
            for u in json.load(f)["utilizations"]:
                path = os.path.join(out, config, f"u{u:.2f}", "records.csv")
                if f"{u:.2f}" not in levels and os.path.exists(path):
                    levels[f"{u:.2f}"] = path
    return dict(sorted(levels.items()))


def main(argv=None):
    parser = argparse.ArgumentParser(description="replay rest-thread's records through candidate sharing disciplines")
    parser.add_argument("outs", nargs="+", help="campaign folders (a level from the first that has it)")
    parser.add_argument("--config", default="rest-thread")
    parser.add_argument("--span", choices=tuple(SPANS), default="server")
    parser.add_argument("--weights", default="1,2,inf", help="the newest job's weight w (inf: newest first)")
    parser.add_argument("--capacities", default="1.4:2.0:0.1", help="cores C; with | by jobs in service")
    parser.add_argument("--waking", help="DELAYS/KEEPS in ms, e.g. 1,2/1,3, or DELAYS/= for keep = delay: the sleeping "
                                         "second core (default: none)")
    parser.add_argument("--levels", help="comma-separated utilisations (default: every level found)")
    parser.add_argument("--fit-on", action="append", help="comma-separated utilisations to choose the parameters on "
                                                          "(default: 0.30,0.60,0.85 where present); repeatable")
    parser.add_argument("--arrivals", choices=("measured", "poisson"), default="measured",
                        help="replay the measured arrival times (default) or a Poisson path of each level's rate")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    found = campaign_levels(args.outs, args.config)
    names = [f"{float(u):.2f}" for u in args.levels.split(",")] if args.levels else list(found)
    missing = [u for u in names if u not in found]
    if missing:
        parser.error(f"--levels: no {args.config} records at u = {missing[0]}")
    levels = {u: Level(found[u], args.span) for u in names}
    fits = [[f"{float(u):.2f}" for u in text.split(",")] for text in args.fit_on] if args.fit_on else \
        [[u for u in ("0.30", "0.60", "0.85") if u in levels]]
    if any(not fit_on or any(u not in levels for u in fit_on) for fit_on in fits):
        parser.error("--fit-on: every level must be among the levels replayed")
    alone = sorted(t for level in levels.values() for t in level.alone)
    lowest = levels[names[0]].rest()
    print(f"{args.span} span; isolated calls pooled: {len(alone)}, median {statistics.median(alone) / 1e6:.3f} ms; "
          f"the calibrated rest drawn from u = {names[0]}")
    wakings = [None]
    if args.waking:
        delays, keeps = args.waking.split("/")
        wakings = [(d * 1e6, d * 1e6) for d in parse_values(delays)] if keeps == "=" else \
            [(d * 1e6, h * 1e6) for d in parse_values(delays) for h in parse_values(keeps)]
    inputs = {}
    for u, level in levels.items():
        draws = random.Random(f"{args.seed}-{u}")
        inputs[u] = ([draws.choice(alone) for _ in level.arrivals], [draws.choice(lowest) for _ in level.arrivals],
                     None if args.arrivals == "measured" else level.poisson_arrivals(draws))
    results = {}
    for weight, capacity, waking in itertools.product(parse_values(args.weights), parse_capacities(args.capacities),
                                                      wakings):
        name = label(weight, capacity, waking)
        results[name] = {u: level.evaluate(inputs[u][0], inputs[u][1], weight, capacity, waking, inputs[u][2])
                         for u, level in levels.items()}
        for u, r in results[name].items():
            print(f"u={u} {name}: server {fmt(r['server'])} | end-to-end {fmt(r['end_to_end'])} | "
                  f"calibrated {fmt(r['calibrated'])} | score {score(r['calibrated']):.2f}", flush=True)
    for fit_on in fits:
        best = fitted(results, fit_on)
        print(f"fitted on u = {', '.join(fit_on)}: {best}")
        for u, r in results[best].items():
            print(f"  u={u}: calibrated {fmt(r['calibrated'])} (score {score(r['calibrated']):.2f}); "
                  f"server {fmt(r['server'])}; end-to-end {fmt(r['end_to_end'])}; earlier job's share of a "
                  f"pair's slowdown measured {share(r['shares'][0])}, replayed {share(r['shares'][1])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
