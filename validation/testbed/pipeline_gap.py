#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Where a pipeline's prediction misses, segment by segment (docs/validation.md, "Where the
pipelines come out short"): a diagnostic, like decompose.py, on a campaign folder that
compare.py has already filled (each level's predicted.yaml and predicted/summary.json).

Per pipeline configuration and level it puts side by side:
1. measured: decompose.py's segments of every request, grouped per hop — the client's call
   (to front + front read + to client), the front's own time (dispatch + between + fuse), and
   per stage its `to handler` (to server + read: the front's write, the wire and the wait for
   the stage's executor), `handler` and `answer` — as means over the median band (latency
   between the 45th and 55th percentile) and the tail (latency ≥ the p99), and each stage's
   mean `to handler` over every request (its growth from the lowest level is the stage's
   added wait: the mean overhead of a call does not depend on load in the description);
2. predicted: p50 and p99, every node's mean wait (Little's law: mean_queue_length /
   throughput_rps; node-front's sums its stages') and utilisation, and with --trace
   (`hybridsim run predicted.yaml --trace` into the level's predicted-trace/) the breakdown's
   categories (network, serialization, queueing, service) over the predicted median band and
   tail, the same cut as the measured one.
3. the low-load tail's two suspects, from the records alone: whether the segments of one
   request are slow together (independent_sum: each segment's column permuted on its own — a
   request made of independent draws of the measured segments, as the simulator draws its
   inputs — and the rank correlation of the hops), and whether requests reach the stages in
   bunches (arrival_shape: the cv of the gaps between consecutive sends to the front, to
   stage-1 and to stage-2, and the share of gaps shorter than a stage's mean handler time,
   against the Poisson process's 1 − exp(−rate · short)).
4. where stage-2's wait comes from (stage_two_waterfall): its Lindley replay (replay.py) with
   inputs added one at a time — the lowest level's handler samples drawn independently, the
   lowest level's busy gap x and idle-found delays (what the description has, with x = 0 where
   calibrate refused it), fed first by stage-1's handler ends plus their median lag (a tandem's
   smooth arrivals), then by the measured sends (the answer path's jitter), then with the
   level's own x, the level's own handler times shuffled, and in their order (slow periods).
`--leave-out CONFIG:U:FROM:TO` drops a level's requests scheduled FROM to TO seconds after its
first scheduled send (a disturbance named in docs/validation.md); repeatable.
  .venv/bin/python pipeline_gap.py OUT [--configs pipeline-rest] [--trace --hybridsim BIN]
      [--leave-out pipeline-rest:0.30:41:47]
"""
import argparse
import csv
import json
import math
import os
import random
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import campaign_folder                         # noqa: E402
import decompose                                # noqa: E402
import replay                                   # noqa: E402
from testbed import wire                        # noqa: E402
from testbed.servers import CONFIGS             # noqa: E402
from testbed.summary import nearest_rank        # noqa: E402

CLIENT_CALL = ("to front", "front read", "to client")
TRACE_CATEGORIES = ("network_s", "serialization_s", "queueing_s", "service_s")


def hop_groups(models):
    """[(group, segment names)] of a pipeline request through `models` in order."""
    groups = [("client call", CLIENT_CALL), ("front own", decompose.FRONT_OWN)]
    for m in models:
        groups += [(f"{m} to handler", (f"{m} to server", f"{m} read")),
                   (f"{m} handler", (f"{m} handler",)), (f"{m} answer", (f"{m} answer",))]
    return groups


def grouped(segments, groups):
    """{group: ns} of one request's [(segment, ns)] (a segment in no group is left out)."""
    values = dict(segments)
    return {name: sum(values.get(s, 0) for s in members) for name, members in groups}


def band_and_tail(latencies, rows):
    """(band means, tail means, p50, p99) of parallel lists: latencies and {group: value} rows.
    Band: latency between the 45th and 55th percentile (nearest rank); tail: latency ≥ p99."""
    ordered = sorted(latencies)
    low, high = nearest_rank(ordered, 0.45), nearest_rank(ordered, 0.55)
    p99 = nearest_rank(ordered, 0.99)
    band = [r for lat, r in zip(latencies, rows) if low <= lat <= high]
    tail = [r for lat, r in zip(latencies, rows) if lat >= p99]
    return mean_rows(band), mean_rows(tail), nearest_rank(ordered, 0.50), p99


def mean_rows(rows):
    """{key: mean} over rows of {key: value} with the same keys."""
    return {k: statistics.fmean(r[k] for r in rows) for k in rows[0]}


def independent_sum(requests, seed):
    """(p50, p99) in ns of the latency the level would have if each segment were drawn on its
    own: every segment's column over the requests permuted at random (fixed seed) and summed
    per row. requests: decompose.level_requests rows, each with the same segment names."""
    rng = random.Random(seed)
    names = [n for n, _ in requests[0][1]]
    totals = [0] * len(requests)
    for k, _ in enumerate(names):
        column = [segments[k][1] for _, segments, _ in requests]
        rng.shuffle(column)
        totals = [t + v for t, v in zip(totals, column)]
    totals.sort()
    return nearest_rank(totals, 0.50), nearest_rank(totals, 0.99)


def ranks(values):
    """Ranks 0..n-1 of values (ties in order of position)."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    out = [0] * len(values)
    for r, i in enumerate(order):
        out[i] = r
    return out


def mean_rank_correlation(rows, keys):
    """Mean over the pairs of `keys` of Spearman's rank correlation across rows ({key: value})."""
    ranked = {k: ranks([r[k] for r in rows]) for k in keys}
    pairs = [(a, b) for i, a in enumerate(keys) for b in keys[i + 1:]]
    return statistics.fmean(statistics.correlation(ranked[a], ranked[b]) for a, b in pairs)


def arrival_shape(sends_ns, short_ns):
    """(rate /s, cv of the gaps, share of gaps < short_ns, Poisson's share 1 − exp(−rate·short))
    of a stream of send times (any order)."""
    sends = sorted(sends_ns)
    gaps = [b - a for a, b in zip(sends, sends[1:])]
    mean = statistics.fmean(gaps)
    rate = 1e9 / mean
    return (rate, statistics.pstdev(gaps) / mean, sum(g < short_ns for g in gaps) / len(gaps),
            1 - math.exp(-rate * short_ns / 1e9))


def ok_rows(path):
    """The rows of a records file whose call ended ok."""
    return [r for r in wire.read_records(path) if r["status"] == "ok"]


def stage_sends(config, level_dir):
    """{stream: [send ns]}: the client's sends to the front and the front's to each stage."""
    streams = {"front": [r["send_ns"] for r in ok_rows(os.path.join(level_dir, "records.csv"))]}
    for m in config.models:
        streams[m] = [r["send_ns"] for r in ok_rows(os.path.join(level_dir, f"records-{m}.csv"))]
    return streams


def kept_requests(config, level_dir, window):
    """decompose.level_requests without those scheduled in window (from_s, to_s) after the
    level's first scheduled send (None: all)."""
    requests = decompose.level_requests(config, level_dir)
    if window is None:
        return requests
    rows = ordered_client_rows(config, level_dir)
    first = min(r["scheduled_ns"] for r in rows)
    return [q for q, r in zip(requests, rows) if not window[0] <= (r["scheduled_ns"] - first) / 1e9 < window[1]]


def ordered_client_rows(config, level_dir):
    """The client's rows in decompose.level_requests's order (ok, with all calls ok)."""
    calls = set()
    for m in config.models:
        calls |= {r["request_id"] for r in wire.read_records(os.path.join(level_dir, f"records-{m}.csv"))
                  if r["status"] == "ok"}
    return [r for r in wire.read_records(os.path.join(level_dir, "records.csv"))
            if r["status"] == "ok" and all(f"{r['request_id']}:{m}" in calls for m in config.models)]


def predicted_nodes(summary):
    """{node: (utilisation, mean wait ms)} of a predicted summary.json (Little's law)."""
    rate = summary["throughput_rps"]
    return {name: (n["utilization"], n["mean_queue_length"] / rate * 1e3)
            for name, n in summary["nodes"].items()}


def trace_band_and_tail(path):
    """band_and_tail over a trace.csv's completed requests, in the breakdown's categories (s)."""
    latencies, rows = [], []
    with open(path) as f:
        for r in csv.DictReader(f):
            if r["outcome"] == "completed":
                latencies.append(float(r["latency_s"]))
                rows.append({k: float(r[k]) for k in TRACE_CATEGORIES})
    return band_and_tail(latencies, rows)


def traced(hybridsim, level_dir):
    """The trace.csv of predicted.yaml run with --trace into level_dir/predicted-trace."""
    out = os.path.join(level_dir, "predicted-trace")
    subprocess.run([hybridsim, "run", os.path.join(level_dir, "predicted.yaml"), "--out", out, "--trace",
                    "--quiet", "--force"], check=True)
    return os.path.join(out, "trace.csv")


WATERFALL = ("tandem arrivals, lowest level's inputs", "measured sends", "the level's x",
             "the level's handler times, shuffled", "the level's handler times, in order")


def stage_two_waterfall(lowest, stage1, stage2, seed):
    """[(variant, mean wait s, p99 wait s)] of stage-2's replayed wait (send → handler start,
    replay.replay_waits) at one level, the inputs of WATERFALL added one at a time, then the
    measured wait. lowest: stage-2's rows at the lowest level (handler samples, idle-found
    delays, busy gap x); stage1, stage2: this level's rows of both stages (ok calls; a stage-2
    call pairs with the stage-1 call of the same request). Draws from a Random(seed)."""
    low_idle = replay.idle_waits(lowest)
    low_x = (replay.busy_gap(lowest, statistics.median(low_idle)) or 0.0) / 1e9
    low_h = [(r["handler_end_ns"] - r["handler_start_ns"]) / 1e9 for r in lowest]
    ends = {r["request_id"].split(":")[0]: r["handler_end_ns"] for r in stage1}
    rows = sorted((r for r in stage2 if r["request_id"].split(":")[0] in ends), key=lambda r: r["send_ns"])
    sends = [r["send_ns"] / 1e9 for r in rows]
    lag = statistics.median(r["send_ns"] - ends[r["request_id"].split(":")[0]] for r in rows)
    tandem = [(ends[r["request_id"].split(":")[0]] + lag) / 1e9 for r in rows]
    rng = random.Random(seed)
    delays = [rng.choice(low_idle) / 1e9 for _ in rows]
    drawn = [rng.choice(low_h) for _ in rows]
    own = [(r["handler_end_ns"] - r["handler_start_ns"]) / 1e9 for r in rows]
    own_x = (replay.busy_gap(rows, statistics.median(replay.idle_waits(rows))) or 0.0) / 1e9
    shuffled = rng.sample(own, len(own))
    variants = [replay.replay_waits(tandem, drawn, delays, low_x), replay.replay_waits(sends, drawn, delays, low_x),
                replay.replay_waits(sends, drawn, delays, own_x), replay.replay_waits(sends, shuffled, delays, own_x),
                replay.replay_waits(sends, own, delays, own_x)]
    measured = [(r["handler_start_ns"] - r["send_ns"]) / 1e9 for r in rows]
    return [(name, statistics.fmean(w), nearest_rank(sorted(w), 0.99))
            for name, w in zip(WATERFALL + ("measured",), variants + [measured])]


def ms(ns):
    return f"{ns / 1e6:.2f}"


def config_report(config, out, utilizations, windows, hybridsim=None, seed=1):
    """The Markdown tables of one pipeline configuration (see the module's doc)."""
    groups = hop_groups(config.models)
    names = [g for g, _ in groups]
    measured, predicted, lows, waterfalls = [], [], [], []
    lowest = None
    for u in utilizations:
        level_dir = os.path.join(out, config.name, f"u{u:.2f}")
        if not os.path.exists(os.path.join(level_dir, "records.csv")):
            continue
        window = windows.get((config.name, f"{u:.2f}"))
        requests = kept_requests(config, level_dir, window)
        rows = [grouped(s, groups) for _, s, _ in requests]
        latencies = [lat for lat, _, _ in requests]
        band, tail, p50, p99 = band_and_tail(latencies, rows)
        to_handler = {m: statistics.fmean(r[f"{m} to handler"] for r in rows) for m in config.models}
        handler_mean = {m: statistics.fmean(r[f"{m} handler"] for r in rows) for m in config.models}
        independent = independent_sum(requests, seed)
        correlation = mean_rank_correlation(rows, ["client call"] + [f"{m} {p}" for m in config.models
                                                                     for p in ("to handler", "answer")])
        measured.append((u, band, tail, p50, p99, to_handler, len(requests), window))
        if lowest is None:   # the lowest level with records: the calibration's
            lowest = ok_rows(os.path.join(level_dir, f"records-{config.models[-1]}.csv"))
        elif len(config.models) == 2:
            s1, s2 = (ok_rows(os.path.join(level_dir, f"records-{m}.csv")) for m in config.models)
            waterfalls.append((u, stage_two_waterfall(lowest, s1, s2, seed)))
        lows.append((u, p50, p99, independent, correlation, arrivals(config, level_dir, handler_mean)))
        with open(os.path.join(level_dir, "predicted", "summary.json")) as f:
            summary = json.load(f)
        trace = trace_band_and_tail(traced(hybridsim, level_dir)) if hybridsim else None
        predicted.append((u, summary, trace))
    return "\n".join([measured_table(config, names, measured), predicted_table(config, predicted, measured),
                      low_load_table(config, lows), waterfall_table(config, waterfalls)])


def arrivals(config, level_dir, handler_mean):
    """{stream: arrival_shape} with short = the mean handler time of the stream's stage (the
    front's stream: stage-1's)."""
    sends = stage_sends(config, level_dir)
    first = config.models[0]
    return {s: arrival_shape(v, handler_mean.get(s, handler_mean[first])) for s, v in sends.items()}


def measured_table(config, names, measured):
    lines = [f"| {config.name} measured, ms band / tail | " + " | ".join(f"u = {u:.2f}" for u, *_ in measured) + " |",
             "|---|" + "---|" * len(measured)]
    for name in names:
        lines.append(f"| {name} | " + " | ".join(f"{ms(b[name])} / {ms(t[name])}" for _, b, t, *_ in measured) + " |")
    lines.append("| total (p50 / p99) | " + " | ".join(f"{ms(p50)} / {ms(p99)}" for _, _, _, p50, p99, *_ in measured) + " |")
    lines.append("| mean to handler, every request | " + " | ".join(
        " · ".join(f"{m} {ms(v)}" for m, v in th.items()) for *_, th, _, _ in measured) + " |")
    notes = [f"- u = {u:.2f}: {n} requests" + (f", left out: scheduled {w[0]:g}–{w[1]:g} s after the level's first send"
                                                if w else "") for u, *_, n, w in measured]
    return "\n".join(lines + [""] + notes) + "\n"


def predicted_table(config, predicted, measured):
    lines = [f"| {config.name} predicted | u | p50 / p99 ms | band: network · serialization · queueing · service ms "
             "| tail: the same | node wait ms (utilisation) | measured mean to handler − lowest level's, ms |",
             "|---|---|---|---|---|---|---|"]
    base = measured[0][5]
    for (u, summary, trace), m in zip(predicted, measured):
        lat = summary["latency_s"]
        cells = [f"{lat['p50'] * 1e3:.2f} / {lat['p99'] * 1e3:.2f}"]
        if trace:
            band, tail, *_ = trace
            cells += [" · ".join(f"{band[k] * 1e3:.2f}" for k in TRACE_CATEGORIES),
                      " · ".join(f"{tail[k] * 1e3:.2f}" for k in TRACE_CATEGORIES)]
        else:
            cells += ["–", "–"]
        cells.append(", ".join(f"{n} {w:.2f} ({util:.2f})" for n, (util, w) in predicted_nodes(summary).items()))
        cells.append(", ".join(f"{s} {ms(v - base[s])}" for s, v in m[5].items()))
        lines.append(f"| | {u:.2f} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def low_load_table(config, lows):
    lines = [f"| {config.name} | u | p50 / p99 measured | independent segments p50 / p99 | hops' mean rank correlation "
             "| sends: rate /s, gap cv, share of gaps < a handler's mean (Poisson's) |",
             "|---|---|---|---|---|---|"]
    for u, p50, p99, (i50, i99), corr, shapes in lows:
        arrive = "; ".join(f"{s} {r:.0f}, cv {cv:.2f}, {short * 100:.1f} % ({poisson * 100:.1f} %)"
                           for s, (r, cv, short, poisson) in shapes.items())
        lines.append(f"| | {u:.2f} | {ms(p50)} / {ms(p99)} | {ms(i50)} / {ms(i99)} | {corr:.2f} | {arrive} |")
    return "\n".join(lines) + "\n"


def waterfall_table(config, waterfalls):
    if not waterfalls:
        return ""
    lines = [f"| {config.name}: stage-2's replayed wait, mean / p99 ms | " +
             " | ".join(f"u = {u:.2f}" for u, _ in waterfalls) + " |", "|---|" + "---|" * len(waterfalls)]
    for k, name in enumerate(WATERFALL + ("measured",)):
        lines.append(f"| {'+ ' if 0 < k < len(WATERFALL) else ''}{name} | " + " | ".join(
            f"{rows[k][1] * 1e3:.2f} / {rows[k][2] * 1e3:.2f}" for _, rows in waterfalls) + " |")
    return "\n".join(lines) + "\n"


def leave_out_windows(parser, values):
    """{(config, "u"): (from_s, to_s)} of the --leave-out values."""
    windows = {}
    for value in values or []:
        try:
            name, u, start, end = value.split(":")
            windows[(name, f"{float(u):.2f}")] = (float(start), float(end))
        except ValueError:
            parser.error(f"--leave-out {value!r}: expected CONFIG:U:FROM:TO (seconds), e.g. pipeline-rest:0.30:41:47")
    return windows


def main(argv=None):
    parser = argparse.ArgumentParser(description="a pipeline's measured and predicted segments side by side")
    parser.add_argument("out", help="a campaign folder compare.py has filled")
    parser.add_argument("--configs", help="comma-separated pipeline configurations (default: the campaign's)")
    parser.add_argument("--trace", action="store_true", help="also run each predicted.yaml with --trace")
    parser.add_argument("--hybridsim", help="the hybridsim binary (with --trace)")
    parser.add_argument("--leave-out", action="append", metavar="CONFIG:U:FROM:TO")
    parser.add_argument("--seed", type=int, default=1, help="of the independent-segments permutation")
    args = parser.parse_args(argv)
    if args.trace and not args.hybridsim:
        parser.error("--trace needs --hybridsim")
    windows = leave_out_windows(parser, args.leave_out)
    campaign = campaign_folder.read_campaign(args.out)
    names = [n for n in campaign_folder.chosen_configs(parser, campaign, args.configs) if CONFIGS[n].kind == "pipeline"]
    for name in names:
        print(config_report(CONFIGS[name], args.out, campaign["utilizations"], windows,
                            args.hybridsim if args.trace else None, args.seed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
