# SPDX-License-Identifier: GPL-3.0-or-later
"""Measured records -> a summary.json in hybridsim's own format (docs/summary.md), measured keys only.

What each key means here (the testbed's definitions, next to the simulator's):
- latency_s.*: response_ns - send_ns of the client's requests that ended `ok`, in seconds;
  p50/p95/p99 are nearest-rank percentiles of the exact values (no histogram rounding);
  ci95 is a batch-means interval (10 consecutive batches, Student t with 9 degrees of freedom),
  since a measurement has one replication.
- requests.completed / .dropped: `ok` answers / any other status.
- throughput_rps: completed requests over the measured window (first send to last answer).
- nodes.<node>.utilization: the fraction of the window in which the node's handler was running
  (union of the handler intervals: with overlapping handlers, as in the thread-pool server,
  it is the fraction of time with at least one inference running, not a worker count).
- latency_s.histogram: 100 logarithmic bins per decade, each bin's largest value (what
  `hybridsim report` draws as the CDF).
Keys the testbed does not measure (wait_s, energy, cost, accuracy, engine.*) are left out.
"""
import math

T_975_DF9 = 2.262157162740992   # Student t, 97.5 % quantile, 9 degrees of freedom
BATCHES = 10


def nearest_rank(sorted_values, q):
    return sorted_values[max(0, math.ceil(q * len(sorted_values)) - 1)]


def batch_statistics(values, statistic):
    """statistic() of each of BATCHES consecutive batches of equal size (values in time order,
    a remainder left out), or None with fewer than 2 · BATCHES values."""
    if len(values) < 2 * BATCHES:
        return None
    size = len(values) // BATCHES
    return [statistic(values[b * size:(b + 1) * size]) for b in range(BATCHES)]


def batch_half_width(batches):
    """t(0.975, BATCHES − 1) · sd(batches) / sqrt(BATCHES): the half-width of a 95 % interval
    from BATCHES near-independent batch values."""
    centre = sum(batches) / BATCHES
    sd = math.sqrt(sum((s - centre) ** 2 for s in batches) / (BATCHES - 1))
    return T_975_DF9 * sd / math.sqrt(BATCHES)


def batch_means_ci95(values):
    means = batch_statistics(values, lambda batch: sum(batch) / len(batch))
    if means is None:
        return None
    grand = sum(means) / BATCHES
    half = batch_half_width(means)
    return [grand - half, grand + half]


def busy_fraction(intervals, start_ns, end_ns):
    """Length of the union of [a, b] intervals inside [start, end], over end - start."""
    busy, reach = 0, start_ns
    for a, b in sorted(intervals):
        a, b = max(a, reach), min(b, end_ns)
        if b > a:
            busy += b - a
            reach = b
    return busy / (end_ns - start_ns) if end_ns > start_ns else 0.0


def log_histogram(values):
    bins = {}
    for v in values:
        key = math.floor(math.log10(v) * 100) if v > 0 else -10**9
        count, largest = bins.get(key, (0, v))
        bins[key] = (count + 1, max(largest, v))
    keys = sorted(bins)
    return {"seconds": [bins[k][1] for k in keys], "counts": [bins[k][0] for k in keys]}


def measured_summary(name, seed, rows, node_rows, measurement):
    """rows: the client's records (dicts, testbed/wire.read_records); node_rows: {node: rows
    whose handler intervals count as that node's busy time}; measurement: what was measured
    how (stored under `measurement`)."""
    ok = [r for r in rows if r["status"] == "ok"]
    if not ok:
        raise ValueError(f"{name}: no request ended ok ({len(rows)} sent)")
    ok.sort(key=lambda r: r["send_ns"])
    latencies = [(r["response_ns"] - r["send_ns"]) / 1e9 for r in ok]
    ordered = sorted(latencies)
    start = min(r["send_ns"] for r in rows)
    end = max(r["response_ns"] for r in rows)
    window_s = (end - start) / 1e9
    latency = {"mean": sum(latencies) / len(latencies),
               "p50": nearest_rank(ordered, 0.50), "p95": nearest_rank(ordered, 0.95),
               "p99": nearest_rank(ordered, 0.99), "max": ordered[-1]}
    ci = batch_means_ci95(latencies)
    if ci:
        latency["ci95"] = ci
        latency["ci95_method"] = f"batch means ({BATCHES} batches of consecutive requests, Student t)"
    latency["histogram"] = log_histogram(latencies)
    nodes = {}
    for node, node_records in node_rows.items():
        intervals = [(r["handler_start_ns"], r["handler_end_ns"]) for r in node_records if r["status"] == "ok"]
        nodes[node] = {"utilization": busy_fraction(intervals, start, end)}
    return {
        "scenario": name,
        "seed": seed,
        "replications": 1,
        "measured": True,
        "requests": {"completed": len(ok), "dropped": len(rows) - len(ok)},
        "latency_s": latency,
        "throughput_rps": len(ok) / window_s,
        "measured_s": window_s,
        "nodes": nodes,
        "measurement": measurement,
    }
