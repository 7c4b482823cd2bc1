# SPDX-License-Identifier: GPL-3.0-or-later
"""comparison.csv's rows -> the Markdown table docs/validation.md shows (OUT/comparison.md).

One row per configuration and level: mean, p50, p95 and p99 as "measured / predicted (error)"
in milliseconds, the host's CPU utilisation during the level (campaign.py's accounting, marked
"host-limited" when the campaign said so) and the load average before → after. Then the goal's
table (`verdicts`): p50 and p99 with the measured batch interval, the verdict met / missed /
undecided and the requests the level would need for its interval to be as narrow as the
tolerance (testbed/precision.py).
"""
import json
import os

COLUMNS = ["latency_s.mean", "latency_s.p50", "latency_s.p95", "latency_s.p99"]


def cell(measured, predicted, error):
    if measured is None:
        return "–"
    text = f"{measured * 1e3:.2f} / "
    if predicted is None:
        return text + "unstable"
    return text + f"{predicted * 1e3:.2f} ({'' if error is None else f'{error:+.0f} %'})"


def markdown(table, out):
    """table: comparison.csv's rows as lists (config, level, metric, measured, predicted,
    error %, then further columns); out: the campaign folder (for each level's summary.json)."""
    levels = {}
    for config, level, metric, measured, predicted, error, *_ in table:
        levels.setdefault((config, level), {})[metric] = (measured, predicted, error)
    lines = ["| configuration | u | mean ms meas / pred (err) | p50 ms | p95 ms | p99 ms | host CPU | load avg before → after |",
             "|---|---|---|---|---|---|---|---|"]
    for (config, level), metrics in levels.items():
        with open(os.path.join(out, config, f"u{level}", "summary.json")) as f:
            measurement = json.load(f)["measurement"]
        host = measurement.get("host_cpu", {}).get("host", {}).get("utilization")
        limited = measurement.get("host_limit", {}).get("host_limited")
        host_text = "–" if host is None else f"{host:.2f}" + (" host-limited" if limited else "")
        load = f"{measurement['loadavg_before']['1min']:.2f} → {measurement['loadavg_after']['1min']:.2f}"
        cells = [cell(*metrics.get(key, (None, None, None))) for key in COLUMNS]
        lines.append(f"| {config} | {level} | " + " | ".join(cells) + f" | {host_text} | {load} |")
    return "\n".join(lines) + "\n"


GOAL_COLUMNS = ["latency_s.p50", "latency_s.p99"]


def goal_cell(row):
    """`measured [low, high] / predicted (error) | verdict | requests` of one comparison row
    (config, level, metric, measured, predicted, error, low, high, verdict, requests)."""
    _, _, _, measured, predicted, error, low, high, verdict, requests = row[:10]
    interval = "" if low is None else f" [{low * 1e3:.2f}, {high * 1e3:.2f}]"
    if predicted is None:
        return f"{measured * 1e3:.2f}{interval} / unstable | – | –"
    return (f"{measured * 1e3:.2f}{interval} / {predicted * 1e3:.2f} ({error:+.0f} %) | {verdict} | "
            + ("–" if requests is None else f"{requests:,}"))


def verdicts(table):
    """The goal's cells: p50 (tolerance 5 %) and p99 (10 %) per configuration and level."""
    rows = {(r[0], r[1], r[2]): r for r in table if r[2] in GOAL_COLUMNS}
    lines = ["| configuration | u | p50 ms meas [interval] / pred (err) | verdict | requests for ±5 % "
             "| p99 ms meas [interval] / pred (err) | verdict | requests for ±10 % |",
             "|---|---|---|---|---|---|---|---|"]
    for config, level in dict.fromkeys((r[0], r[1]) for r in table):
        cells = [goal_cell(rows[(config, level, key)]) if (config, level, key) in rows else "– | – | –"
                 for key in GOAL_COLUMNS]
        lines.append(f"| {config} | {level} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"

