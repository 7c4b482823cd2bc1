#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Replays each one-executor server of a campaign as a single FIFO queue (docs/validation.md,
"Where the host's CPU goes"): does the measured wait follow from the measured sends and handler
times, and what does it depend on?

For every server that runs one request at a time — the `rest-async` and `grpc` servers and each
model server of the pipeline and collaborative configurations (`rest-thread`'s pool is not one
executor and is left out) — and every level, the records give, per request j in send order,
the send time s_j, the handler time b_j = handler_end − handler_start, and the measured wait
handler_start − s_j. Lindley's recursion, in order of arrival A_j = s_j + d_j, replays it:

    H_j = max(A_j, H_prev + b_prev + x),   replayed wait W_j = H_j − s_j

- d_j, the time from the send to the handler's start of a request that waits for nothing:
  drawn (fixed seed) from the measured waits of the requests that found the server idle (sent
  after the previous handler had ended);
- x, the server's work per call outside the handler: the busy-gap mean, i.e. the mean of
  handler_start − previous handler_end over the requests that were already waiting when the
  previous handler ended (sent at least the median idle wait before it).

Variants, each against the measured wait's p50 / p95 / p99:
  real       the measured sends and handler times in their order;
  shuffled   the handler times permuted at random: iid, no correlated slow periods (cause 5);
  scheduled  the load generator's Poisson schedule (scheduled_ns) instead of the real sends:
             the same arrival path without the client's send jitter (client's calls only:
             a front calls its model servers when its requests come, on no schedule);
  poisson    fresh Poisson paths at the level's mean rate (--paths of them, the median of each
             percentile; `poisson p99 range` their smallest and largest p99): how much a
             percentile of one measured run depends on its one arrival path;
  x=0        no work between handlers;
  poisson-iid  (with --poisson-iid) the poisson variant's paths (the same seed: the same paths)
             with the shuffled variant's handler times: the simulator's own assumptions
             (Poisson arrivals, iid service times), so that `poisson` against `poisson-iid` is
             what the handler times' order costs over many arrival paths, and its own p99
             range how much one run's p99 varies without any slow period;
  served     (with --served-order) the real variant with the requests taken in the order the
             server started their handlers instead of their order of arrival: whether the
             measured wait follows once the server's own order is kept (a server that is not
             FIFO has the same mean wait and a longer tail); with it `served-shuffled` (the
             shuffled handler times in that order: the order of service without the handler
             times' order), `random-order` (one executor that starts a random waiting request,
             not the oldest) and `overtaken`: the requests whose handler started (measured /
             in the random-order replay), or whose server_receive was stamped (measured), after
             that of a request sent later.
Also printed: the handler times' cv and lag-1 autocorrelation of their normal scores.
  .venv/bin/python replay.py OUT [--configs grpc,rest-async] [--seed 1] [--paths 20] [--poisson-iid]
      [--served-order]
      [--csv replay.csv]
"""
import argparse
import csv
import os
import random
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import campaign_folder                         # noqa: E402
from testbed import wire                        # noqa: E402
from testbed.servers import CONFIGS             # noqa: E402
from testbed.summary import nearest_rank        # noqa: E402

VARIANTS = ("real", "shuffled", "scheduled", "poisson", "x=0")
IID = "poisson-iid"
SERVED = "served"
SERVED_VARIANTS = (SERVED, "served-shuffled", "random-order")
QUANTILES = (0.50, 0.95, 0.99)


def lindley_starts(arrivals, services, gap, order=None):
    """Handler starts of one FIFO executor: requests taken in order of arrival (ties in the
    order given), H = max(A, previous H + previous b + gap). Returns the starts in the order
    given. Units: any one unit for all three. `order` (indices, the first served first)
    replaces the order of arrival: one executor serving in that order, not FIFO."""
    if order is None:
        order = sorted(range(len(arrivals)), key=lambda j: arrivals[j])
    starts = [0.0] * len(arrivals)
    free = None   # when the executor can start the next request
    for j in order:
        start = arrivals[j] if free is None else max(arrivals[j], free)
        starts[j] = start
        free = start + services[j] + gap
    return starts


def replay_waits(sends, services, delays, gap, order=None):
    """Replayed waits W_j = H_j − s_j with arrivals s_j + d_j (the module's recursion;
    `order` as lindley_starts')."""
    starts = lindley_starts([s + d for s, d in zip(sends, delays)], services, gap, order)
    return [h - s for h, s in zip(starts, sends)]


def service_order(rows):
    return sorted(rows, key=lambda r: r["handler_start_ns"])


def idle_waits(rows):
    """handler_start − send (ns) of the requests sent after the previous handler had ended."""
    ordered = service_order(rows)
    return [r["handler_start_ns"] - r["send_ns"] for p, r in zip(ordered, ordered[1:])
            if r["send_ns"] >= p["handler_end_ns"]]


def busy_gaps(rows, lead_ns):
    """handler_start − previous handler_end (ns), in handler order, of the requests sent at
    least `lead_ns` before the previous handler ended (already waiting then)."""
    ordered = service_order(rows)
    return [r["handler_start_ns"] - p["handler_end_ns"] for p, r in zip(ordered, ordered[1:])
            if r["send_ns"] + lead_ns <= p["handler_end_ns"]]


def busy_gap(rows, lead_ns):
    """The mean of busy_gaps (ns); None when there are none."""
    gaps = busy_gaps(rows, lead_ns)
    return statistics.fmean(gaps) if gaps else None


def normal_score_lag1(values):
    """Lag-1 correlation of the normal scores Φ⁻¹((rank − ½) / n) of `values` in their order:
    serial dependence, insensitive to the values' distribution. None below 3 values."""
    n = len(values)
    if n < 3:
        return None
    normal = statistics.NormalDist()
    ranks = sorted(range(n), key=lambda j: values[j])
    scores = [0.0] * n
    for rank, j in enumerate(ranks):
        scores[j] = normal.inv_cdf((rank + 0.5) / n)
    return statistics.correlation(scores[:-1], scores[1:])


def percentiles(values):
    ordered = sorted(values)
    return [nearest_rank(ordered, q) for q in QUANTILES]


def poisson_path(first, rate, count, rng):
    """`count` times of a Poisson process of `rate` starting at `first`."""
    times, t = [], first
    for _ in range(count):
        times.append(t)
        t += rng.expovariate(rate)
    return times


def replay_level(rows, seed, paths=20, poisson_iid=False, served_order=False):
    """Every variant's replayed wait percentiles for one server at one level (seconds).
    Returns {"requests", "rate_per_s", "x_s", "handler_cv", "handler_lag1", "measured": [p50,
    p95, p99], variant: [p50, p95, p99] (None for "scheduled" without a schedule),
    "poisson_p99_range": [low, high]}, with `poisson_iid` also "poisson-iid" and
    "poisson-iid_p99_range" (the same arrival paths, the handler times shuffled), with
    `served_order` also SERVED_VARIANTS and "overtaken" {"start", "receipt" (None without
    receive stamps), "random-order"} (the module's docstring), or None when
    there are fewer than 20 requests or none found the server idle."""
    rows = sorted((r for r in rows if r["status"] == "ok"), key=lambda r: r["send_ns"])
    idle = idle_waits(rows)
    if len(rows) < 20 or not idle:
        return None
    sends = [r["send_ns"] / 1e9 for r in rows]
    services = [(r["handler_end_ns"] - r["handler_start_ns"]) / 1e9 for r in rows]
    measured = [(r["handler_start_ns"] - r["send_ns"]) / 1e9 for r in rows]
    gap = (busy_gap(rows, statistics.median(idle)) or 0.0) / 1e9
    draws = random.Random(f"{seed}-delays")
    delays = [draws.choice(idle) / 1e9 for _ in rows]
    shuffled = list(services)
    random.Random(f"{seed}-shuffle").shuffle(shuffled)
    rate = (len(sends) - 1) / (sends[-1] - sends[0])
    scheduled = [r["scheduled_ns"] / 1e9 for r in rows] if all(r["scheduled_ns"] for r in rows) else None
    fresh = poisson_percentiles(sends[0], rate, len(sends), seed, paths, services, delays, gap)
    in_service_order = [(r["handler_end_ns"] - r["handler_start_ns"]) / 1e9 for r in service_order(rows)]
    result = {"requests": len(rows), "rate_per_s": rate, "x_s": gap,
            "handler_cv": statistics.pstdev(services) / statistics.fmean(services),
            "handler_lag1": normal_score_lag1(in_service_order),
            "measured": percentiles(measured),
            "real": percentiles(replay_waits(sends, services, delays, gap)),
            "shuffled": percentiles(replay_waits(sends, shuffled, delays, gap)),
            "scheduled": percentiles(replay_waits(scheduled, services, delays, gap)) if scheduled else None,
            "poisson": [statistics.median(p[k] for p in fresh) for k in range(len(QUANTILES))],
            "poisson_p99_range": [min(p[-1] for p in fresh), max(p[-1] for p in fresh)],
            "x=0": percentiles(replay_waits(sends, services, delays, 0.0))}
    if poisson_iid:
        iid = poisson_percentiles(sends[0], rate, len(sends), seed, paths, shuffled, delays, gap)
        result[IID] = [statistics.median(p[k] for p in iid) for k in range(len(QUANTILES))]
        result[IID + "_p99_range"] = [min(p[-1] for p in iid), max(p[-1] for p in iid)]
    if served_order:
        started = sorted(range(len(rows)), key=lambda j: rows[j]["handler_start_ns"])
        result[SERVED] = percentiles(replay_waits(sends, services, delays, gap, started))
        result["served-shuffled"] = percentiles(replay_waits(sends, shuffled, delays, gap, started))
        arrived = [s + d for s, d in zip(sends, delays)]
        random_starts = random_order_starts(arrived, services, gap, random.Random(f"{seed}-random-order"))
        result["random-order"] = percentiles([h - s for h, s in zip(random_starts, sends)])
        receipts = [r.get("server_receive_ns") for r in rows]
        result["overtaken"] = {
            "start": overtaken(sends, [r["handler_start_ns"] for r in rows]),
            "receipt": overtaken(sends, receipts) if all(receipts) else None,
            "random-order": overtaken(sends, random_starts)}
    return result


def overtaken(sends, starts):
    """How many requests were started (`starts`, any one unit) after a request sent later."""
    count, latest_send = 0, None
    for j in sorted(range(len(sends)), key=lambda j: starts[j]):
        if latest_send is not None and sends[j] < latest_send:
            count += 1
        latest_send = sends[j] if latest_send is None else max(latest_send, sends[j])
    return count


def random_order_starts(arrivals, services, gap, rng):
    """Handler starts of one executor that, when free, starts a waiting request chosen by
    `rng.randrange` over those arrived (in order of arrival; the next to arrive when none
    waits), H = max(its arrival, previous H + previous b + gap). Starts in the order given."""
    pending = sorted(range(len(arrivals)), key=lambda j: arrivals[j])
    starts, waiting, free, k = [0.0] * len(arrivals), [], None, 0
    while k < len(pending) or waiting:
        if not waiting:
            free = arrivals[pending[k]] if free is None else max(free, arrivals[pending[k]])
        while k < len(pending) and arrivals[pending[k]] <= free:
            waiting.append(pending[k])
            k += 1
        j = waiting.pop(rng.randrange(len(waiting)))
        starts[j] = free
        free += services[j] + gap
    return starts


def poisson_percentiles(first, rate, count, seed, paths, services, delays, gap):
    """The replayed wait percentiles on each of `paths` fresh Poisson paths (the seed's
    "poisson" stream: the same paths whatever `services` is)."""
    arrivals = random.Random(f"{seed}-poisson")
    return [percentiles(replay_waits(poisson_path(first, rate, count, arrivals), services, delays, gap))
            for _ in range(paths)]


def servers(config):
    """(model, records file name) of the configuration's one-executor servers; none for rest-thread."""
    return [] if config.thread_pool else config.records_files


def main(argv=None):
    parser = argparse.ArgumentParser(description="Lindley replay of the one-executor servers of a testbed campaign")
    parser.add_argument("out", help="the campaign folder (campaign.py --out)")
    parser.add_argument("--configs", help="comma-separated configurations (default: the campaign's)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--paths", type=int, default=20, help="fresh Poisson paths of the poisson variant")
    parser.add_argument("--poisson-iid", action="store_true",
                        help="also the poisson variant's paths with the handler times shuffled (iid)")
    parser.add_argument("--served-order", action="store_true",
                        help="also the real variant in the measured order of service, and the requests overtaken")
    parser.add_argument("--csv", help="also write every figure to this CSV file")
    args = parser.parse_args(argv)
    if args.paths < 1:
        parser.error("--paths must be at least 1")
    campaign = campaign_folder.read_campaign(args.out)
    names = campaign_folder.chosen_configs(parser, campaign, args.configs)
    table = []
    print("server u | n rate/s x_ms cv lag1 | wait p50/p95/p99 ms: measured | " +
          " | ".join(f"{v} (err %)" for v in VARIANTS) + " | poisson p99 range ms" +
          (f" | {IID} (err %) | {IID} p99 range ms" if args.poisson_iid else "") +
          (" | " + " | ".join(f"{v} (err %)" for v in SERVED_VARIANTS) +
           " | overtaken at start / receipt / random-order" if args.served_order else ""))
    for name in names:
        if not servers(CONFIGS[name]):
            print(f"{name}: not one executor (thread pool): not replayed")
        for model, file_name in servers(CONFIGS[name]):
            for u in campaign["utilizations"]:
                path = os.path.join(args.out, name, f"u{u:.2f}", file_name)
                result = replay_level(wire.read_records(path), args.seed, args.paths,
                                      args.poisson_iid, args.served_order) if os.path.exists(path) else None
                if result is None:
                    print(f"{name}/{model} u={u:.2f}: no records, or no request found the server idle")
                    continue
                table.append((name, model, u, result))
                print(line(name, model, u, result))
    if args.csv:
        write_csv(args.csv, table)
    return 0


def line(name, model, u, r):
    def ms(values):
        return "/".join(f"{v * 1e3:.2f}" for v in values)

    def cell(variant):
        values = r[variant]
        return "–" if values is None else f"{ms(values)} ({err(values)})"

    def err(values):
        return "/".join(f"{(v - m) / m * 100:+.0f}" for v, m in zip(values, r["measured"]))
    lag = "–" if r["handler_lag1"] is None else f"{r['handler_lag1']:.2f}"
    return (f"{name}/{model} {u:.2f} | {r['requests']} {r['rate_per_s']:.1f} {r['x_s'] * 1e3:.3f} "
            f"{r['handler_cv']:.3f} {lag} | {ms(r['measured'])} | " +
            " | ".join(cell(v) for v in VARIANTS) + f" | {ms(r['poisson_p99_range'])}" +
            (f" | {cell(IID)} | {ms(r[IID + '_p99_range'])}" if IID in r else "") +
            (" | " + " | ".join(cell(v) for v in SERVED_VARIANTS) + " | " + "/".join(
                "–" if r["overtaken"][k] is None else str(r["overtaken"][k])
                for k in ("start", "receipt", "random-order")) if SERVED in r else ""))


def write_csv(path, table):
    """One row per server, level and variant; the range columns hold the poisson paths' p99
    range, on the poisson-iid row its own paths'."""
    with open(path, "w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["config", "model", "utilization", "variant", "requests", "rate_per_s", "x_s",
                         "handler_cv", "handler_lag1", "p50_s", "p95_s", "p99_s", "poisson_p99_low_s",
                         "poisson_p99_high_s"])
        for name, model, u, r in table:
            for variant in ("measured",) + VARIANTS + tuple(v for v in (IID,) + SERVED_VARIANTS if v in r):
                if r[variant] is None:
                    continue
                spread = r[IID + "_p99_range"] if variant == IID else r["poisson_p99_range"]
                writer.writerow([name, model, u, variant, r["requests"], r["rate_per_s"], r["x_s"],
                                 r["handler_cv"], r["handler_lag1"], *r[variant], *spread])


if __name__ == "__main__":
    sys.exit(main())
