#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A host whose idle cores sleep and wake late, replayed as a prediction of the thread-pool
REST server (rest-thread) with its event loop (docs/validation.md, "A host whose idle cores
sleep (re-compared, not re-measured)").

Every request arrives on a Poisson path of the level's rate (what a prediction has) and is
three pieces of CPU work on one host of C cores:

    loop read (the event loop: one at a time, first come first served)
        -> handler (the pool: every handler runnable at once)
        -> loop write (the event loop again, queued behind its other reads and writes)

The runnable jobs (the loop's current task, if any, and the handlers in service) share the
host's *awake* cores a(t): with N runnable jobs each runs at min(1, a / N) (symmetric
processor sharing, `--weight 1`), or the newest runnable job first at min(1, a) and the
others sharing the rest (`--weight inf`; other weights: thread_pool_disciplines.rates). Core 1
never sleeps; core k (k ≥ 2) is wanted while min(N, C) ≥ k. A wanted core that is asleep
starts waking and is awake `wake` later (and stays awake until then even if no longer wanted);
a core that is awake and not wanted falls asleep once it has been idle for `keep`, so a core
wanted again within `keep` of its last use is awake at once. wake = 0 with `--weight 1` is
hybridsim's shared host of C cores as it is today. `--loop-last`: the loop's task runs only
on what the handlers leave (at most 1), the handlers sharing as above.

Inputs from the records: the loop's read and write per request are loop_and_pool.loop_work's
(the mean receipt and response of the isolated calls at the lowest level, constants); the
handler's work is drawn (fixed seed) from the isolated calls' handler spans of every level
given (the work alone); the latency is the replayed server part (arrival → the write's end)
plus the rest of a request (latency − server_receive..response) drawn from the lowest level.
Errors of p50 / p99 against each level's measurement, and the goal verdicts (met / undecided /
missed, testbed/precision.py) against each level's batch intervals. `--fit-on` chooses wake
(and keep) by the smallest largest score (max(|p50 error| / 5, |p99 error| / 10)) over the
levels named. For the fitted parameters it also prints the shares of reads that find 0 / 1 /
2 / 3+ handlers in service when the loop starts them, beside the records' receipts
(server_receive) and, when the first wake tried is 0, the replay without sleep.

  .venv/bin/python sleeping_host.py OUT [OUT2 ...] [--config rest-thread] [--cores 2]
      [--wake 0:6:0.5] [--keep =|0:6:0.5] [--weight 1|inf] [--loop-last] [--fit-on 0.10] [--seed 1]
A level is taken from the first campaign folder that has it. Reads records only.
"""
import argparse
import bisect
import math
import os
import random
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import loop_and_pool                             # noqa: E402
import thread_pool_diagnostics as pool           # noqa: E402
import thread_pool_disciplines as disciplines    # noqa: E402
from testbed import precision, wire              # noqa: E402

READ, HANDLER, WRITE = "read", "handler", "write"


class Cores:
    """The host's cores 2..C: when each is (or will be) awake and since when it is idle."""

    def __init__(self, count, wake, keep):
        self.count, self.wake, self.keep = count, wake, keep
        self.awake_at = [math.inf] * (count - 1)     # inf: asleep and not waking
        self.idle_since = [-math.inf] * (count - 1)  # None: in use

    def awake(self, now):
        """Awake cores at `now` (core 1 always)."""
        return 1 + sum(1 for t in self.awake_at if t <= now)

    def next_wake(self, now):
        return min((t for t in self.awake_at if now < t < math.inf), default=math.inf)

    def want(self, now, runnable):
        """Update the cores for `runnable` jobs at `now` (after every change of the count)."""
        demand = min(runnable, self.count)
        for k in range(len(self.awake_at)):
            wanted = k + 2 <= demand
            asleep = self.awake_at[k] == math.inf or (self.idle_since[k] is not None
                                                      and self.awake_at[k] <= now
                                                      and now >= max(self.idle_since[k], self.awake_at[k]) + self.keep)
            if wanted:
                if asleep:
                    self.awake_at[k] = now + self.wake
                self.idle_since[k] = None
            elif self.idle_since[k] is None:
                self.idle_since[k] = now
                if asleep:
                    self.awake_at[k] = math.inf


def shares(runnable, weight, awake, loop_last=False):
    """The rate of each runnable job (in the order of `runnable`, newest last) on `awake`
    cores: all of them by thread_pool_disciplines.rates, or with `loop_last` the handlers by
    it and the loop's task (at most one) what they leave, at most 1."""
    if not loop_last:
        older, newest = disciplines.rates(len(runnable), weight, awake)
        return [older] * (len(runnable) - 1) + [newest] if runnable else []
    handlers = [job for job in runnable if job[0] == HANDLER]
    older, newest = disciplines.rates(len(handlers), weight, awake)
    rate = dict(zip(handlers, [older] * (len(handlers) - 1) + [newest]))
    left = min(1.0, max(0.0, awake - sum(rate.values())))
    return [rate.get(job, left) for job in runnable]


def replay(arrivals, reads, handlers, writes, cores=2, wake=0.0, keep=0.0, weight=1.0, found=None, loop_last=False):
    """Departures (the end of each request's loop write) of requests arriving at `arrivals`
    (ascending) with the given works (the same unit of time, at rate 1), on the host of the
    module docstring. found: None, or a list that gets, for each request, the handlers in
    service when the loop starts its read (what a measured server_receive finds). loop_last:
    the loop runs only on what the handlers leave (`shares`)."""
    n = len(arrivals)
    departures = [0.0] * n
    host = Cores(cores, wake, keep)
    runnable = []               # (kind, request) in the order they became runnable, newest last
    remaining = {}
    loop_queue, loop_busy = [], False
    now, k = 0.0, 0

    def start(job, work):
        runnable.append(job)
        remaining[job] = work

    def next_loop_task():
        nonlocal loop_busy
        loop_busy = bool(loop_queue)
        if loop_queue:
            kind, i = loop_queue.pop(0)
            if kind == READ and found is not None:
                found.append(sum(1 for job in runnable if job[0] == HANDLER))
            start((kind, i), reads[i] if kind == READ else writes[i])

    while k < n or runnable or loop_queue:
        speeds = shares(runnable, weight, float(host.awake(now)), loop_last)
        finish, finisher = math.inf, None
        for job, rate in zip(runnable, speeds):
            if rate > 0 and now + max(0.0, remaining[job]) / rate < finish:
                finish, finisher = now + max(0.0, remaining[job]) / rate, job
        next_arrival = arrivals[k] if k < n else math.inf
        until = min(finish, next_arrival, host.next_wake(now))
        for job, rate in zip(runnable, speeds):
            remaining[job] -= rate * (until - now)
        now = until
        if finisher is not None and finish <= next_arrival and finish <= until:
            runnable.remove(finisher)
            del remaining[finisher]
            kind, i = finisher
            if kind == HANDLER:
                loop_queue.append((WRITE, i))
                if not loop_busy:
                    next_loop_task()
            else:
                if kind == READ:
                    start((HANDLER, i), handlers[i])
                else:
                    departures[i] = now
                next_loop_task()
        elif next_arrival <= until:
            loop_queue.append((READ, k))
            k += 1
            if not loop_busy:
                next_loop_task()
        host.want(now, len(runnable))
    return departures


class Level:
    """One level's ok calls: measured latencies and rest, isolated handler spans (ns), its
    batch intervals and its mean arrival rate."""

    def __init__(self, path):
        rows = wire.read_records(path)
        calls = [r for r in rows if r["status"] == "ok"]
        self.latency = [c["response_ns"] - c["send_ns"] for c in calls]
        self.rest = [c["server_receive_ns"] - c["send_ns"] for c in calls]   # latency − server part
        self.handlers = [c["handler_end_ns"] - c["handler_start_ns"] for c in pool.isolated(calls)]
        receipts = sorted(c["server_receive_ns"] for c in calls)
        self.count, self.first = len(receipts), receipts[0]
        self.rate = (len(receipts) - 1) / (receipts[-1] - receipts[0])
        self.calls = calls
        intervals = precision.latency_intervals(rows)
        self.intervals = {q: intervals[f"latency_s.p{q}"] for q in (50, 99)}

    def found(self):
        """Handlers in service (handler_start ≤ t < handler_end) at each call's server_receive."""
        spans = [(c["handler_start_ns"], c["handler_end_ns"]) for c in self.calls]
        starts, ends = sorted(s for s, _ in spans), sorted(e for _, e in spans)
        return [bisect.bisect_right(starts, c["server_receive_ns"]) - bisect.bisect_right(ends, c["server_receive_ns"])
                for c in self.calls]

    def measured(self):
        return disciplines.percentiles(self.latency)


def found_shares(counts):
    """"a/b/c/d": the shares of counts 0, 1, 2 and 3 or more."""
    return "/".join(f"{sum(1 for c in counts if min(c, 3) == k) / len(counts):.3f}" for k in range(4))


def verdicts(errors, level):
    """[p50 verdict, p99 verdict] of predicted = measured · (1 + error)."""
    measured = level.measured()
    out = []
    for q, value, error, tolerance in ((50, measured[0], errors[0], 0.05), (99, measured[2], errors[2], 0.10)):
        m = value / 1e9
        out.append(precision.verdict(m, m * (1 + error / 100), level.intervals[q], tolerance))
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description="replay rest-thread as loop + pool on a host whose idle cores sleep")
    parser.add_argument("outs", nargs="+", help="campaign folders (a level from the first that has it)")
    parser.add_argument("--config", default="rest-thread")
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--wake", default="0:6:0.5", help="ms: the cores' wake-up delays to try")
    parser.add_argument("--keep", default="=", help="ms: keep-awake windows to try, or = for keep = wake")
    parser.add_argument("--weight", default="1", help="the newest runnable job's weight (1: symmetric; inf)")
    parser.add_argument("--loop-last", action="store_true",
                        help="the loop's task runs only on the cores the handlers leave (default: it shares like them)")
    parser.add_argument("--fit-on", default="0.10", help="comma-separated utilisations to fit on")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    found = disciplines.campaign_levels(args.outs, args.config)
    levels = {u: Level(path) for u, path in found.items()}
    fit_on = [f"{float(u):.2f}" for u in args.fit_on.split(",")]
    if any(u not in levels for u in fit_on):
        parser.error(f"--fit-on: levels found are {', '.join(levels)}")
    lowest = min(levels)
    work = loop_and_pool.loop_work(levels[lowest].calls)
    alone = sorted(t for level in levels.values() for t in level.handlers)
    weight = disciplines.parse_values(args.weight)[0]
    print(f"loop work {work['read'] * 1e3:.3f} ms read, {work['write'] * 1e3:.3f} ms write ({work['calls']} isolated "
          f"calls at u = {lowest}); handler work: {len(alone)} isolated calls, median "
          f"{statistics.median(alone) / 1e6:.3f} ms; rest from u = {lowest}; weight {args.weight}; {args.cores} cores")
    inputs = {}
    for u, level in levels.items():
        draws = random.Random(f"{args.seed}-{u}")
        arrivals, t = [], float(level.first)
        for _ in range(level.count):
            arrivals.append(t)
            t += draws.expovariate(level.rate)
        inputs[u] = (arrivals, [draws.choice(alone) for _ in arrivals],
                     [draws.choice(levels[lowest].rest) for _ in arrivals])
    wakes = disciplines.parse_values(args.wake)
    pairs = [(w, w) for w in wakes] if args.keep == "=" else \
        [(w, h) for w in wakes for h in disciplines.parse_values(args.keep)]
    results, found_at = {}, {}
    for wake, keep in pairs:
        row, finds = {}, {}
        for u, level in levels.items():
            arrivals, handlers, rest = inputs[u]
            n, finds[u] = len(arrivals), []
            departures = replay(arrivals, [work["read"] * 1e9] * n, handlers, [work["write"] * 1e9] * n,
                                args.cores, wake * 1e6, keep * 1e6, weight, finds[u], args.loop_last)
            latency = [r + d - a for r, d, a in zip(rest, departures, arrivals)]
            row[u] = disciplines.errors(disciplines.percentiles(latency), level.measured())
        results[(wake, keep)] = row
        found_at[(wake, keep)] = finds
        print(f"wake {wake:g} keep {keep:g} ms: " + "; ".join(
            f"u={u} {r[0]:+.1f}/{r[2]:+.1f} ({'/'.join(verdicts(r, levels[u]))})" for u, r in row.items()), flush=True)
    best = min(results, key=lambda p: max(disciplines.score(results[p][u]) for u in fit_on))
    goal = [v for u, r in results[best].items() if float(u) >= 0.3 for v in verdicts(r, levels[u])]
    print(f"fitted on u = {', '.join(fit_on)}: wake {best[0]:g} ms, keep {best[1]:g} ms; goal cells (u >= 0.3): "
          f"{goal.count('met')} met / {goal.count('undecided')} undecided / {goal.count('missed')} missed")
    for u, r in results[best].items():
        print(f"  u={u}: p50 {r[0]:+.1f} %, p95 {r[1]:+.1f} %, p99 {r[2]:+.1f} % ({'/'.join(verdicts(r, levels[u]))}); "
              f"reads finding 0/1/2/3+ handlers: {found_shares(found_at[best][u])} (no sleep: "
              f"{found_shares(found_at[pairs[0]][u]) if pairs[0][0] == 0 else '-'}), measured receipts "
              f"{found_shares(levels[u].found())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
