#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Where a request's time goes, from the testbed's records (docs/validation.md, "Where the
time goes in the composite deployments"): a diagnostic, like replay.py.

Every request of a level is cut at its recorded stamps into consecutive segments that add up
exactly to its latency (response − send at the client). A pipeline or collaborative request:

  to front     front's server_receive − client's send   (the client's write, the wire, the
                                                          wait for the front's event loop)
  front read   front's handler_start − server_receive     (the front reads the request body)
  dispatch     first call's send − front's handler_start
  per call C, in order (collaborative: only the critical call, whose answer came last):
    C to server   C's server_receive − C's send  (the front's write, the wire, the wait for C's loop)
    C read        C's handler_start − server_receive
    C handler     C's handler_end − handler_start
    C answer      front's response_ns of C − C's handler_end  (C's write, the front's read,
                                                               the wait for the front's loop)
    between       next call's send − this call's answer (pipeline)
  fuse         front's handler_end − last answer  (decode, numpy mean, encode; pipeline: ~0)
  to client    client's response − front's handler_end  (the front's write, the client's read)

A single server's request: to server, read, handler, answer. For each level the table gives
each segment's mean over the middle band (requests whose latency lies between the 45th and
55th percentile: what the median request is made of) and over the tail (latency ≥ the p99):
which segments grew in the slowest requests. Also, per level: the front's own time outside
its calls (dispatch + between + fuse: the front's work that no call overhead measures), its
CPU per request and load (CPU × offered rate), and every process's run-queue wait per request
(campaign.py's host accounting, measurement.host_cpu: time runnable but not running, on the
shared cores). Last, one condensed table of the composite levels: the band's total, front side
(to front + front read + every answer + to client), front own time, wait at the model servers
(every `to server`) and handlers, and the tail's total, wait at the model servers and front side.
  .venv/bin/python decompose.py OUT [--configs pipeline-rest,collab-grpc]
"""
import argparse
import json
import os
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import campaign_folder                         # noqa: E402
from testbed import wire                        # noqa: E402
from testbed.servers import CONFIGS             # noqa: E402
from testbed.summary import nearest_rank        # noqa: E402

FRONT_OWN = ("dispatch", "between", "fuse")     # the front handler's time outside its calls


def call_segments(model, call):
    """The four segments of one call (ns): to server, read, handler, answer."""
    return [(f"{model} to server", call["server_receive_ns"] - call["send_ns"]),
            (f"{model} read", call["handler_start_ns"] - call["server_receive_ns"]),
            (f"{model} handler", call["handler_end_ns"] - call["handler_start_ns"]),
            (f"{model} answer", call["response_ns"] - call["handler_end_ns"])]


def single_segments(row):
    """A single server's request as [(segment, ns)]; the values add up to response − send."""
    return [(name.split(" ", 1)[1], value) for name, value in call_segments("server", row)]


def composite_segments(kind, row, calls):
    """A composite request as [(segment, ns)], adding up exactly to the client's response −
    send. row: the client's record (the front's stamps); calls: [(model, the front's record of
    its call)] in the front's order (a pipeline's stage order). Collaborative: the calls ran at
    once and the path goes through the critical call (the answer that came last; ties: the
    first listed)."""
    first_send = min(call["send_ns"] for _, call in calls)
    segments = [("to front", row["server_receive_ns"] - row["send_ns"]),
                ("front read", row["handler_start_ns"] - row["server_receive_ns"])]
    if kind == "pipeline":
        segments.append(("dispatch", first_send - row["handler_start_ns"]))
        for k, (model, call) in enumerate(calls):
            segments += call_segments(model, call)
            if k + 1 < len(calls):
                segments.append(("between", calls[k + 1][1]["send_ns"] - call["response_ns"]))
        last = calls[-1][1]["response_ns"]
    else:
        critical = calls[critical_index(calls)][1]
        segments.append(("dispatch", critical["send_ns"] - row["handler_start_ns"]))
        segments += call_segments("critical", critical)
        last = critical["response_ns"]
    segments += [("fuse", row["handler_end_ns"] - last),
                 ("to client", row["response_ns"] - row["handler_end_ns"])]
    return segments


def critical_index(calls):
    """Index in `calls` of the call whose answer came last (ties: the first listed)."""
    best = 0
    for k, (_, call) in enumerate(calls):
        if call["response_ns"] > calls[best][1]["response_ns"]:
            best = k
    return best


def front_own_ns(segments):
    """The front handler's time outside its calls: dispatch + between + fuse (ns)."""
    return sum(value for name, value in segments if name in FRONT_OWN)


def level_requests(config, level_dir):
    """[(latency ns, segments, critical model or None)] of every request of a level that
    ended ok (with all its calls)."""
    out = []
    for r, mine in level_rows(config, level_dir):
        if config.kind == "single":
            out.append((r["response_ns"] - r["send_ns"], single_segments(r), None))
            continue
        critical = mine[critical_index(mine)][0] if config.kind == "collaborative" else None
        out.append((r["response_ns"] - r["send_ns"], composite_segments(config.kind, r, mine), critical))
    return out


def level_rows(config, level_dir):
    """[(the client's record, [(model, the front's record of its call)] in the front's order)]
    of every request of a level that ended ok with all its calls (a single server's: no calls)."""
    client = [r for r in wire.read_records(os.path.join(level_dir, "records.csv")) if r["status"] == "ok"]
    if config.kind == "single":
        return [(r, []) for r in client]
    calls = {}
    for model in config.models:
        for r in wire.read_records(os.path.join(level_dir, f"records-{model}.csv")):
            if r["status"] == "ok":
                calls[r["request_id"]] = r
    out = []
    for r in client:
        mine = [(m, calls.get(f"{r['request_id']}:{m}")) for m in config.models]
        if all(call for _, call in mine):
            out.append((r, mine))
    return out


def band_and_tail(requests):
    """({segment: mean ns over the middle band}, {segment: mean ns over the tail}, band size,
    tail size). Middle band: latency between the 45th and 55th percentile (nearest rank);
    tail: latency ≥ the p99."""
    latencies = sorted(lat for lat, *_ in requests)
    low, high = nearest_rank(latencies, 0.45), nearest_rank(latencies, 0.55)
    p99 = nearest_rank(latencies, 0.99)
    band = [s for lat, s, _ in requests if low <= lat <= high]
    tail = [s for lat, s, _ in requests if lat >= p99]
    return mean_segments(band), mean_segments(tail), len(band), len(tail)


def mean_segments(group):
    """{segment: mean ns} over a group of requests' segment lists (each with the same names)."""
    sums = {}
    for segments in group:
        for name, value in segments:
            sums[name] = sums.get(name, 0) + value
    return {name: total / len(group) for name, total in sums.items()}


def level_measurement(level_dir):
    with open(os.path.join(level_dir, "summary.json")) as f:
        return json.load(f)["measurement"]


def front_load(measurement):
    """(front's CPU ms per request at this level, its load = that CPU × offered rate), or None
    without campaign.py's host accounting."""
    front = measurement.get("host_cpu", {}).get("processes", {}).get("front")
    if not front:
        return None
    return front["cpu_ms_per_request"], front["cpu_ms_per_request"] / 1e3 * measurement["offered_rps"]


def level_notes(config, level_dir, requests):
    """The level's front own time (median, ms), front CPU per request (ms) and load, and every
    process's run-queue wait per request."""
    measurement = level_measurement(level_dir)
    notes = []
    if config.kind != "single":
        own = statistics.median(front_own_ns(s) for _, s, _ in requests) / 1e6
        load = front_load(measurement)
        notes.append(f"front own time p50 {own:.3f} ms" +
                     (f", front CPU {load[0]:.3f} ms/request, front load {load[1]:.2f}" if load else ""))
    processes = measurement.get("host_cpu", {}).get("processes", {})
    if processes:
        notes.append("run-queue wait ms/request: " + ", ".join(
            f"{name} {p['runqueue_wait_ms_per_request']:.2f}" for name, p in processes.items()))
        notes.append(f"host CPU {measurement['host_cpu']['host']['utilization']:.2f}")
    return "; ".join(notes)


def critical_share(requests):
    """How often each model's call was the critical one (collaborative), e.g. 'model-a 61 %'
    ("" for other kinds)."""
    counts = {}
    for _, _, model in requests:
        if model is not None:
            counts[model] = counts.get(model, 0) + 1
    return ", ".join(f"{m} {c / len(requests) * 100:.0f} %" for m, c in sorted(counts.items()))


def measured_levels(config, out, utilizations):
    """(u, level folder, level_requests) of each level of `config` with records and at least
    one request, in the order of `utilizations`."""
    for u in utilizations:
        level_dir = os.path.join(out, config.name, f"u{u:.2f}")
        if not os.path.exists(os.path.join(level_dir, "records.csv")):
            continue
        requests = level_requests(config, level_dir)
        if requests:
            yield u, level_dir, requests


def config_table(config, out, utilizations):
    """The Markdown table of one configuration: a row per segment, a column per level
    ("band / tail" mean ms), then a line of notes per level."""
    columns, notes, order = [], [], []
    for u, level_dir, requests in measured_levels(config, out, utilizations):
        band, tail, n_band, n_tail = band_and_tail(requests)
        for name, _ in requests[0][1]:
            if name not in order:
                order.append(name)
        columns.append((u, band, tail, n_band, n_tail))
        share = critical_share(requests)
        notes.append(f"- u = {u:.2f}: {len(requests)} requests, band {n_band}, tail {n_tail}; "
                     + (f"critical call {share}; " if share else "") + level_notes(config, level_dir, requests))
    if not columns:
        return f"{config.name}: no records\n"
    head = f"| {config.name}: segment, ms band / tail | " + " | ".join(f"u = {u:.2f}" for u, *_ in columns) + " |"
    lines = [head, "|---|" + "---|" * len(columns)]
    for name in order + ["total"]:
        cells = []
        for _, band, tail, *_ in columns:
            b = sum(band.values()) if name == "total" else band.get(name)
            t = sum(tail.values()) if name == "total" else tail.get(name)
            cells.append("–" if b is None else f"{b / 1e6:.2f} / {t / 1e6:.2f}")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines + [""] + notes) + "\n"


# The groups of the condensed table: (column, whether a segment belongs to it).
GROUPS = (("front side", lambda name: name in ("to front", "front read", "to client") or name.endswith(" answer")),
          ("front own", lambda name: name in FRONT_OWN),
          ("to the model servers", lambda name: name.endswith(" to server")),
          ("handlers", lambda name: name.endswith(" handler")))


def group_ms(means, member):
    return sum(v for name, v in means.items() if member(name)) / 1e6


def condensed_table(configs, out, utilizations):
    """One row per composite configuration and level: the median band's total and its groups
    (GROUPS), the tail's total, its wait at the model servers and its front side (ms), the
    front's load and run-queue wait per request."""
    lines = ["| configuration | u | band total | " + " | ".join(name for name, _ in GROUPS) +
             " | tail total | tail: to the model servers | tail: front side | front load | front run-queue wait ms/request |",
             "|---|---|---|" + "---|" * len(GROUPS) + "---|---|---|---|---|"]
    for config in configs:
        if config.kind == "single":
            continue
        for u, level_dir, requests in measured_levels(config, out, utilizations):
            band, tail, _, _ = band_and_tail(requests)
            measurement = level_measurement(level_dir)
            load = front_load(measurement)
            wait = measurement.get("host_cpu", {}).get("processes", {}).get("front", {}).get("runqueue_wait_ms_per_request")
            cells = [f"{sum(band.values()) / 1e6:.2f}"] + \
                [f"{group_ms(band, member):.{3 if name == 'front own' else 2}f}" for name, member in GROUPS] + \
                [f"{sum(tail.values()) / 1e6:.1f}", f"{group_ms(tail, GROUPS[2][1]):.1f}", f"{group_ms(tail, GROUPS[0][1]):.1f}",
                 "–" if load is None else f"{load[1]:.2f}", "–" if wait is None else f"{wait:.2f}"]
            lines.append(f"| {config.name} | {u:.2f} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n" if len(lines) > 2 else ""


def main(argv=None):
    parser = argparse.ArgumentParser(description="where each request's time goes, segment by segment")
    parser.add_argument("out", help="the campaign folder (campaign.py --out)")
    parser.add_argument("--configs", help="comma-separated configurations (default: the campaign's)")
    args = parser.parse_args(argv)
    campaign = campaign_folder.read_campaign(args.out)
    names = campaign_folder.chosen_configs(parser, campaign, args.configs)
    for name in names:
        print(config_table(CONFIGS[name], args.out, campaign["utilizations"]))
    print(condensed_table([CONFIGS[n] for n in names], args.out, campaign["utilizations"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
