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
import json
import os
import random
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import replay                                   # noqa: E402
from slow_period_replay import replay_variants, tandem_variants, waited   # noqa: E402
from testbed import wire                        # noqa: E402
from testbed.servers import CONFIGS             # noqa: E402


def normal_scores(values):
    """Φ⁻¹((rank − ½) / n) of each value, in the values' order (ties broken by position)."""
    n = len(values)
    normal = statistics.NormalDist()
    scores = [0.0] * n
    for rank, j in enumerate(sorted(range(n), key=lambda j: values[j])):
        scores[j] = normal.inv_cdf((rank + 0.5) / n)
    return scores


def autocorrelation(values, lag):
    """Sample autocorrelation at `lag`: Σ (x_t − x̄)(x_{t+lag} − x̄) / Σ (x_t − x̄)²; None when
    there are not more values than the lag or they are all equal."""
    n = len(values)
    if n <= lag:
        return None
    mean = statistics.fmean(values)
    centred = [v - mean for v in values]
    total = sum(c * c for c in centred)
    if total == 0:
        return None
    return sum(centred[t] * centred[t + lag] for t in range(n - lag)) / total


def window_means(times, values, t0, window):
    """Mean of `values` per window [t0 + k·window, t0 + (k+1)·window), k = 0 … the last time's
    window (None for a window with no value), and each window's count. Times at or after t0."""
    count = int((max(times) - t0) // window) + 1
    sums, counts = [0.0] * count, [0] * count
    for t, v in zip(times, values):
        k = int((t - t0) // window)
        sums[k] += v
        counts[k] += 1
    return [s / c if c else None for s, c in zip(sums, counts)], counts


def slow_runs(flags):
    """Lengths (in windows) of the runs of consecutive True flags; an empty window (None)
    ends a run."""
    runs, length = [], 0
    for flag in flags:
        if flag:
            length += 1
        elif length:
            runs.append(length)
            length = 0
    if length:
        runs.append(length)
    return runs


def pearson(xs, ys):
    """Correlation of the pairs where both are present; None below 3 pairs or no spread."""
    pairs = [(x, y) for x, y in zip(xs, ys) if x is not None and y is not None]
    if len(pairs) < 3:
        return None
    try:
        return statistics.correlation([p[0] for p in pairs], [p[1] for p in pairs])
    except statistics.StatisticsError:
        return None


def slow_summary(factors, window_ms, slow_factor):
    """Share of non-empty windows that are slow, the slow periods (runs) and the mean factor
    inside them."""
    present = [f for f in factors if f is not None]
    flags = [f is not None and f >= slow_factor for f in factors]
    runs = slow_runs(flags)
    inside = [f for f, flag in zip(factors, flags) if flag]
    return {"windows": len(present), "slow_share": sum(flags) / len(present) if present else 0.0,
            "periods": len(runs),
            "mean_ms": statistics.fmean(runs) * window_ms if runs else 0.0,
            "longest_ms": max(runs) * window_ms if runs else 0.0,
            "factor": statistics.fmean(inside) if inside else None}


def overlap_fractions(calls, others):
    """For each call, the fraction of its handler time during which at least one of `others`
    (calls of another one-executor server, in handler order) was in its handler. Both lists in
    handler-start order; others' handlers do not overlap each other."""
    fractions, k = [], 0
    for c in calls:
        a, b = c["handler_start_ns"], c["handler_end_ns"]
        while k < len(others) and others[k]["handler_end_ns"] <= a:
            k += 1
        covered, j = 0, k
        while j < len(others) and others[j]["handler_start_ns"] < b:
            covered += max(0, min(b, others[j]["handler_end_ns"]) - max(a, others[j]["handler_start_ns"]))
            j += 1
        fractions.append(covered / (b - a) if b > a else 0.0)
    return fractions


def split_means(values, keys, threshold):
    """(mean of values whose key < threshold, mean of those ≥ threshold, share ≥); None for an
    empty side."""
    low = [v for v, k in zip(values, keys) if k < threshold]
    high = [v for v, k in zip(values, keys) if k >= threshold]
    return (statistics.fmean(low) if low else None, statistics.fmean(high) if high else None,
            len(high) / len(values))


def sends_per_window(sends, t0, window, count):
    """The number of sends in each of `count` windows [t0 + k·window, t0 + (k+1)·window)."""
    counts = [0] * count
    for t in sends:
        k = int((t - t0) // window)
        if 0 <= k < count:
            counts[k] += 1
    return counts


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
            "factors": factors, "t0": times[0]}


AFTER_NS = 1_000_000_000   # a backlog built in a slow period drains after it: tail_share looks this far past it


def tail_share(calls, factors, t0, window, slow_factor):
    """Share of the level's tail calls (wait handler_start − send ≥ its p99, nearest rank) that
    started in a slow window (factor ≥ slow_factor) or within AFTER_NS after one. None without
    calls."""
    if not calls:
        return None
    waits = [c["handler_start_ns"] - c["send_ns"] for c in calls]
    p99 = replay.nearest_rank(sorted(waits), 0.99)
    after = int(AFTER_NS // window)
    slow = [f is not None and f >= slow_factor for f in factors]
    tail = [c for c, w in zip(calls, waits) if w >= p99]
    hits = 0
    for c in tail:
        k = int((c["handler_start_ns"] - t0) // window)
        hits += any(slow[j] for j in range(max(0, k - after), min(k, len(slow) - 1) + 1))
    return hits / len(tail)


def two_state_fit(factors, window_ms, slow_factor):
    """A two-state (fast/slow) fit of a level's window factors: slow windows are those with
    factor ≥ slow_factor; f = mean factor of slow windows / mean factor of the others (the
    slow state's handler-time multiplier); the mean slow and fast sojourns (ms) are the mean
    run lengths of slow and of fast windows times the window (empty windows skipped). None
    when there is no slow or no fast window."""
    present = [f for f in factors if f is not None]
    slow = [f for f in present if f >= slow_factor]
    fast = [f for f in present if f < slow_factor]
    if not slow or not fast:
        return None
    flags = [f >= slow_factor for f in present]
    return {"factor": statistics.fmean(slow) / statistics.fmean(fast),
            "slow_ms": statistics.fmean(slow_runs(flags)) * window_ms,
            "fast_ms": statistics.fmean(slow_runs([not f for f in flags])) * window_ms}


def servers(config):
    """(model, records file) of every server of the configuration."""
    if config.kind == "single":
        return [(config.models[0], "records.csv")]
    return [(model, f"records-{model}.csv") for model in config.models]


def aligned(factors_a, t0_a, factors_b, t0_b, window_ns):
    """a's factors over b's windows (None where a has none), and b's: the two servers' windows
    paired by time (origins rounded to whole windows)."""
    shift = round((t0_b - t0_a) / window_ns)
    return [factors_a[shift + j] if 0 <= shift + j < len(factors_a) else None for j in range(len(factors_b))], factors_b


def main(argv=None):
    parser = argparse.ArgumentParser(description="correlated slow periods in a campaign's handler times")
    parser.add_argument("out", help="the campaign folder (campaign.py --out)")
    parser.add_argument("--configs", help="comma-separated configurations (default: the campaign's)")
    parser.add_argument("--window-ms", type=float, default=200.0)
    parser.add_argument("--slow-factor", type=float, default=1.2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-replay", action="store_true", help="skip the Lindley replay (faster)")
    args = parser.parse_args(argv)
    if args.window_ms <= 0 or args.slow_factor <= 1:
        parser.error("--window-ms must be positive and --slow-factor above 1")
    with open(os.path.join(args.out, "campaign.json")) as f:
        campaign = json.load(f)
    names = args.configs.split(",") if args.configs else campaign["configs"]
    unknown = [n for n in names if n not in campaign["configs"]]
    if unknown:
        parser.error(f"--configs: {unknown[0]!r} is not in this campaign ({', '.join(campaign['configs'])})")
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
            if config.kind == "pipeline" and not args.no_replay and len(results) == 2:
                print(tandem_line(name, u, tandem(args, name, u, dict(results))))
    return 0


REPLAY_COLUMNS = ("measured", "in_order", "block_10", "block_100", "rotated", "shuffled", "busy", "load", "overlap",
                  "two_state")


def level_results(args, name, config, u):
    """[(model, figures)] of one level of one configuration: server_level's, the partner
    correlation, the alone/overlapped split and the replay variants."""
    folder = os.path.join(args.out, name, f"u{u:.2f}")
    calls_of = {}
    for model, file_name in servers(config):
        path = os.path.join(folder, file_name)
        if os.path.exists(path):
            calls = wire.ok_calls_in_handler_order(path)
            if len(calls) >= 20:
                calls_of[model] = calls
    if not calls_of:
        return []
    client = sorted(r["send_ns"] for r in wire.read_records(os.path.join(folder, "records.csv")))
    results = {}
    for model, calls in calls_of.items():
        result = server_level(calls, args.window_ms, args.slow_factor, args.seed, client)
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
            result["replay"] = replay_variants(calls_of[model], result["fit"], args.seed, client, overlap)
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
