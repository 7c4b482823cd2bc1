# SPDX-License-Identifier: GPL-3.0-or-later
"""combined_verdicts.combine's rows -> the Markdown table of docs/validation.md ("Verdicts on
two campaigns") and its counts line (combine_campaigns.py writes them to OUT/combined.md).

One row per configuration, level and goal statistic (p50, p99): each campaign's measured
[batch interval] / predicted (error) and verdict, the combined verdict (marked when one
campaign measured the cell), the spread between the campaigns' measurements against their
batch half-widths, the campaigns the tolerance would need, and the requests each campaign
measured at the level (marked when they differ).
"""
from combined_verdicts import GOAL_METRICS, campaign_counts, goal_counts
from predicted_scenario import metric_tolerance

STATISTIC = {"latency_s.p50": "p50", "latency_s.p99": "p99"}


def campaign_cell(row):
    """`measured [low, high] / predicted (error) verdict` in ms, `–` when not measured."""
    if row is None:
        return "–"
    interval = "" if row["low"] is None else f" [{row['low'] * 1e3:.2f}, {row['high'] * 1e3:.2f}]"
    text = f"{row['measured'] * 1e3:.2f}{interval} / "
    if row["predicted"] is None:
        return text + "unstable"
    return text + f"{row['predicted'] * 1e3:.2f} ({row['error_percent']:+.0f} %) {row['verdict']}"


def verdict_cell(row):
    if len(row["campaigns"]) == 1:
        return f"{row['verdict']} (one campaign: {row['campaigns'][0]})"
    return f"**{row['verdict']}**"


def spread_cell(row):
    """`1.58 ms (11 %), 1.6 × batch` or `–` for one campaign."""
    if row["spread"] is None:
        return "–"
    text = f"{row['spread'] * 1e3:.2f} ms ({row['spread'] / row['mean_measured'] * 100:.0f} %)"
    ratio = row["spread_over_batch"]
    return text + ("" if ratio is None else f", {ratio:.1f} × batch")


def campaigns_for_cell(row):
    if len(row["campaigns"]) == 1:
        return "–"
    return "> 1,000" if row["campaigns_for"] is None else f"{row['campaigns_for']:,}"


def request_counts(row):
    return [row["per_campaign"][label]["requests"] for label in row["campaigns"]]


def requests_differ(row):
    counts = request_counts(row)
    return None not in counts and len(set(counts)) > 1


def requests_cell(row):
    counts = request_counts(row)
    if None in counts:
        return "–"
    return " / ".join(f"{n:,}" for n in counts) + (" (differ)" if requests_differ(row) else "")


def markdown(combined, labels):
    """The goal statistics' table; `labels`: the campaigns' labels in column order."""
    header = ("| configuration | u | statistic | " + " | ".join(f"{label}: ms measured [interval] / predicted (error) verdict"
                                                         for label in labels)
              + " | combined verdict | spread between campaigns, × batch half-widths | campaigns for ± tolerance "
                "| requests |")
    lines = [header, "|" + "---|" * (len(labels) + 7)]
    for row in combined:
        if row["metric"] not in GOAL_METRICS:
            continue
        per = [campaign_cell(row["per_campaign"].get(label)) for label in labels]
        statistic = f"{STATISTIC[row['metric']]} (±{metric_tolerance(row['metric']) * 100:.0f} %)"
        lines.append(f"| {row['config']} | {row['utilization']} | {statistic} | " + " | ".join(per)
                     + f" | {verdict_cell(row)} | {spread_cell(row)} | {campaigns_for_cell(row)} | {requests_cell(row)} |")
    return "\n".join(lines) + "\n"


def counts_text(combined, labels):
    """The goal cells' combined counts, then each campaign's own."""
    counts = goal_counts(combined)
    total = sum(counts[v] for v in ("met", "undecided", "missed", "unstable"))
    text = (f"Goal cells (p50, p99 at u = 0.3 / 0.6 / 0.85): {total}; combined met / undecided / missed: "
            f"{counts['met']} / {counts['undecided']} / {counts['missed']}")
    if counts["unstable"]:
        text += f", unstable {counts['unstable']}"
    text += f"; {counts['one campaign']} of them measured by one campaign only.\n"
    for label in labels:
        own = campaign_counts(combined, label)
        text += (f"Campaign {label} alone ({sum(own.values())} goal cells): "
                 f"{own['met']} / {own['undecided']} / {own['missed']}"
                 + (f", unstable {own['unstable']}" if own["unstable"] else "") + ".\n")
    differ = sum(1 for row in combined if row["metric"] in GOAL_METRICS and requests_differ(row))
    if differ:
        text += (f"{differ} rows compare levels measured with different request counts (column `requests`): "
                 "their batch intervals differ in width accordingly.\n")
    return text
