#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Are there correlated slow periods in the handler (service) times of a campaign's servers,
independent of queueing, and what do they cost the tail? (issue 15, cause 5; docs/validation.md,
"Slow periods in the handler times"). Reads records only (no hybridsim, no servers).

For every server of every configuration and level (each model server of a composite; the
single server; `rest-thread`'s pool too: its handler times are per call, however many overlap),
from the `ok` calls in handler-start order, with b = handler_end − handler_start:

- **by request order**: the lag-1, lag-10 and lag-100 autocorrelation of the handler times'
  normal scores (distribution-free; about ±2/√n for independent draws);
- **by time**: the level cut into windows of `--window-ms` by handler start; each window's
  factor = its mean handler time / the level's mean. A window is **slow** when its factor is at
  least `--slow-factor`; consecutive slow windows form a slow period. Reported: the share of
  windows that are slow and the same share with the handler times shuffled within the level
  (the same windows and counts, independent draws: what chance alone gives; fixed seed); the
  slow periods' count, mean and longest duration and mean factor; the share of the level's
  tail calls (wait ≥ its p99) that started in a slow period or within 1 s after one, and the
  same with the shuffled windows; the window factors' lag-1 autocorrelation and their sd
  (chance: shuffled);
- **load or host?** the correlation, window by window, of the factor with the number of the
  client's sends in the window (the offered load: an endogenous slowdown follows it) and, in a
  composite, with the other model server's factor in the same window (simultaneous in two
  processes of the host: a shared cause); the mean handler time of the calls that found the
  server idle / busy, and, in a composite, of the calls the other model server's handlers
  overlapped for less than / at least half their time;
- **what they cost the p99** (one-executor servers): slow_period_replay.replay_variants, the
  Lindley replay of the measured wait with the handler times in their order, shuffled within
  blocks, rotated, shuffled within load classes or over the level, and multiplied by a fitted
  two-state process; for a pipeline also a `tandem` line per level, both stages replayed
  together (slow_period_replay.tandem_variants) with the stages' fits and the host's (the mean
  of the two stages' window factors).

  .venv/bin/python slow_periods.py OUT [--configs grpc,pipeline-rest] [--window-ms 200]
      [--slow-factor 1.2] [--seed 1] [--no-replay]
"""
import argparse
import os
import random
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from slow_period_windows import (aligned, autocorrelation, handler_by, normal_scores,   # noqa: E402
                                 overlap_fractions, pearson, sends_per_window, slow_summary, split_means,
                                 tail_share, two_state_fit, window_means)
from slow_period_replay import (DEPLOYMENT_BIN, OWN_CAP, in_flight_at, replay_variants,   # noqa: E402
                                tandem_variants, waited)
import campaign_folder                         # noqa: E402
from testbed import wire                        # noqa: E402
from testbed.servers import CONFIGS             # noqa: E402


def server_level(calls, window_ms, slow_factor, seed, client_sends):
    """Every figure of the module's docstring but the replay and the partner correlation.
    `client_sends`: the client's send times (ns) of the level, the offered load."""
    handler = [c["handler_end_ns"] - c["handler_start_ns"] for c in calls]
    scores = normal_scores(handler)
    window_ns = window_ms * 1e6
    times = [c["handler_start_ns"] for c in calls]
    mean = statistics.fmean(handler)
    means, counts = window_means(times, handler, times[0], window_ns)
    factors = [m / mean if m is not None else None for m in means]
    shuffled = list(handler)
    random.Random(f"{seed}-slow-shuffle").shuffle(shuffled)
    null = [m / mean if m is not None else None for m in window_means(times, shuffled, times[0], window_ns)[0]]
    return {"requests": len(calls), "handler_mean_ms": mean / 1e6,
            "lag1": autocorrelation(scores, 1), "lag10": autocorrelation(scores, 10),
            "lag100": autocorrelation(scores, 100),
            "by_time": slow_summary(factors, window_ms, slow_factor),
            "null_slow_share": slow_summary(null, window_ms, slow_factor)["slow_share"],
            "window_lag1": autocorrelation([f for f in factors if f is not None], 1),
            "window_sd": statistics.pstdev([f for f in factors if f is not None]),
            "null_window_sd": statistics.pstdev([f for f in null if f is not None]),
            "busy_idle": split_means(handler, waited(calls), 1),
            "load_correlation": pearson(factors, sends_per_window(client_sends, times[0], window_ns, len(factors))),
            "tail_in_slow": tail_share(calls, factors, times[0], window_ns, slow_factor),
            "null_tail_in_slow": tail_share(calls, null, times[0], window_ns, slow_factor),
            "factors": factors, "t0": times[0], "handler_ns": handler}


def main(argv=None):
    parser = argparse.ArgumentParser(description="correlated slow periods in a campaign's handler times")
    parser.add_argument("out", help="the campaign folder (campaign.py --out)")
    parser.add_argument("--configs", help="comma-separated configurations (default: the campaign's)")
    parser.add_argument("--window-ms", type=float, default=200.0)
    parser.add_argument("--slow-factor", type=float, default=1.2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-replay", action="store_true", help="skip the Lindley replay (faster)")
    parser.add_argument("--in-flight", action="store_true",
                        help="also print each server's mean handler time by the requests in it and in the deployment")
    args = parser.parse_args(argv)
    if args.window_ms <= 0 or args.slow_factor <= 1:
        parser.error("--window-ms must be positive and --slow-factor above 1")
    campaign = campaign_folder.read_campaign(args.out)
    names = campaign_folder.chosen_configs(parser, campaign, args.configs)
    print(f"window {args.window_ms:g} ms, slow = factor >= {args.slow_factor:g}. lag: normal-score autocorrelation by "
          "request order. sd: the window factors' sd (chance: handler times shuffled). b idle/busy: mean handler ms of "
          "calls that found the server idle / busy (share busy); b alone/overlapped: of calls the other model server "
          "overlapped less / at least half (share). two-state: fitted slow factor, mean slow / fast sojourn ms. replay: "
          "wait p99 ms " + " / ".join(REPLAY_COLUMNS))
    print("server u | n b_ms | lag1 lag10 lag100 | slow share (chance) periods mean/longest ms factor tail in/after (chance) | "
          "window lag1 sd (chance) | corr(load) corr(partner) | b idle/busy | b alone/overlapped | two-state | replay p99")
    for name in names:
        config = CONFIGS[name]
        for u in campaign["utilizations"]:
            results = level_results(args, name, config, u)
            for model, result in results:
                print(line(name, model, u, result))
                if args.in_flight:
                    print(in_flight_line(result))
            if config.kind == "pipeline" and not args.no_replay and len(results) == 2:
                print(tandem_line(name, u, tandem(args, name, u, dict(results))))
    return 0


REPLAY_COLUMNS = ("measured", "in_order", "block_10", "block_100", "rotated", "shuffled", "busy", "load", "overlap",
                  "own_n", "deployment_n", "two_state")


def level_results(args, name, config, u):
    """[(model, figures)] of one level of one configuration: server_level's, the partner
    correlation, the alone/overlapped split and the replay variants."""
    folder = os.path.join(args.out, name, f"u{u:.2f}")
    calls_of = {}
    for model, file_name in config.records_files:
        path = os.path.join(folder, file_name)
        if os.path.exists(path):
            calls = wire.ok_calls_in_handler_order(path)
            if len(calls) >= 20:
                calls_of[model] = calls
    if not calls_of:
        return []
    client_calls = [r for r in wire.read_records(os.path.join(folder, "records.csv")) if r["status"] == "ok"]
    client = sorted(r["send_ns"] for r in client_calls)
    answered = sorted(r["response_ns"] for r in client_calls)
    results = {}
    for model, calls in calls_of.items():
        result = server_level(calls, args.window_ms, args.slow_factor, args.seed, client)
        starts = [c["handler_start_ns"] for c in calls]
        result["in_flight"] = {"own": in_flight_at(starts, sorted(c["send_ns"] for c in calls),
                                                   sorted(c["handler_end_ns"] for c in calls)),
                               "deployment": in_flight_at(starts, client, answered)}
        result["fit"] = two_state_fit(result["factors"], args.window_ms, args.slow_factor)
        results[model] = result
    for model, result in results.items():
        others = [m for m in results if m != model]
        overlap = None
        if others:
            other = results[others[0]]
            a, b = aligned(result["factors"], result["t0"], other["factors"], other["t0"], args.window_ms * 1e6)
            result["partner"] = pearson(a, b)
            overlap = overlap_fractions(calls_of[model], calls_of[others[0]])
            handler = [c["handler_end_ns"] - c["handler_start_ns"] for c in calls_of[model]]
            result["alone_overlapped"] = split_means(handler, overlap, 0.5)
        if not args.no_replay and not config.thread_pool:
            result["replay"] = replay_variants(calls_of[model], result["fit"], args.seed, client, overlap,
                                               result["in_flight"])
    return list(results.items())


def tandem(args, name, u, results):
    """slow_period_replay.tandem_variants of a pipeline level, with the stages' fits and the
    host's (two_state_fit of the mean of the two stages' factors in each window)."""
    folder = os.path.join(args.out, name, f"u{u:.2f}")
    first, second = (wire.ok_calls_in_handler_order(os.path.join(folder, f"records-{m}.csv")) for m in ("stage-1", "stage-2"))
    a, b = results["stage-1"], results["stage-2"]
    paired = aligned(a["factors"], a["t0"], b["factors"], b["t0"], args.window_ms * 1e6)
    host = [(x + y) / 2 if x is not None and y is not None else None for x, y in zip(*paired)]
    fits = {"stage-1": a["fit"], "stage-2": b["fit"], "host": two_state_fit(host, args.window_ms, args.slow_factor)}
    return tandem_variants(first, second, fits, args.seed), fits["host"]


def tandem_line(name, u, result):
    variants, host = result
    if variants is None:
        return f"{name} {u:.2f} tandem: no idle-found call"

    def cell(key):
        pair = variants[key]
        return "–" if pair is None else "/".join(f"{v * 1e3:.1f}" for v in pair)
    fit = "–" if host is None else f"{host['factor']:.2f} {host['slow_ms']:.0f}/{host['fast_ms']:.0f}"
    return (f"{name} {u:.2f} tandem (stage-1/stage-2 wait p99 ms): measured {cell('measured')} | in order "
            f"{cell('in_order')} | rotated {cell('rotated')} | shuffled {cell('shuffled')} | two-state per node {cell('two_state_nodes')} | "
            f"host fit {fit}: {cell('two_state_host')}")


def in_flight_line(result):
    handler, flight = result["handler_ns"], result["in_flight"]
    own = "; ".join(f"{k}{'+' if k == OWN_CAP else ''}: {m:.2f} ({n})"
                    for k, m, n in handler_by(flight["own"], handler, 1, OWN_CAP))
    deployment = "; ".join(f"{k * DEPLOYMENT_BIN}-{k * DEPLOYMENT_BIN + DEPLOYMENT_BIN - 1}: {m:.2f} ({n})"
                           for k, m, n in handler_by(flight["deployment"], handler, DEPLOYMENT_BIN, 10))
    return f"    handler ms (calls) by requests in the server: {own}\n    by the deployment's requests in flight: {deployment}"


def fmt(value, spec=".2f"):
    return "–" if value is None else format(value, spec)


def split_cell(split):
    if split is None:
        return "–"
    low, high, share = split
    return f"{fmt(None if low is None else low / 1e6)}/{fmt(None if high is None else high / 1e6)} ({share:.2f})"


def line(name, model, u, r):
    s = r["by_time"]
    replayed = r.get("replay")
    replay_cell = "–" if not replayed else "/".join(
        fmt(None if replayed[k] is None else replayed[k] * 1e3, ".1f")
        for k in REPLAY_COLUMNS)
    fit = r["fit"]
    fit_cell = "–" if fit is None else f"{fit['factor']:.2f} {fit['slow_ms']:.0f}/{fit['fast_ms']:.0f}"
    return (f"{name}/{model} {u:.2f} | {r['requests']} {r['handler_mean_ms']:.2f} | {fmt(r['lag1'])} "
            f"{fmt(r['lag10'])} {fmt(r['lag100'])} | {s['slow_share']:.3f} ({r['null_slow_share']:.3f}) "
            f"{s['periods']} {s['mean_ms']:.0f}/{s['longest_ms']:.0f} {fmt(s['factor'])} tail {fmt(r['tail_in_slow'])} "
            f"({fmt(r['null_tail_in_slow'])}) | {fmt(r['window_lag1'])} "
            f"{r['window_sd']:.3f} ({r['null_window_sd']:.3f}) | {fmt(r['load_correlation'])} {fmt(r.get('partner'))} | "
            f"{split_cell(r['busy_idle'])} | {split_cell(r.get('alone_overlapped'))} | {fit_cell} | {replay_cell}")


if __name__ == "__main__":
    sys.exit(main())
