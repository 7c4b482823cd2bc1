# SPDX-License-Identifier: GPL-3.0-or-later
"""comparison.csv's rows -> the Markdown table docs/validation.md shows (OUT/comparison.md).

One row per configuration and level: mean, p50, p95 and p99 as "measured / predicted (error)"
in milliseconds, the host's CPU utilisation during the level (campaign.py's accounting, marked
"host-limited" when the campaign said so) and the load average before → after.
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
