# SPDX-License-Identifier: GPL-3.0-or-later
"""One verdict per goal cell from several campaigns of the same configurations
(combine_campaigns.py; docs/validation.md, "Verdicts on two campaigns").

Each campaign was calibrated on its own lowest level and predicted on its own, so a cell
(configuration, level, statistic) holds per campaign a measurement m_i with its batch interval
[lo_i, hi_i], a prediction p_i and compare.py's verdict v_i (testbed/precision.py). Then:

- **combined verdict** (unanimity): `met` when every campaign that measured the cell says
  met, `missed` when every one says missed, `undecided` otherwise (they disagree, or one is
  undecided). A campaign whose prediction was unstable (no verdict) makes the cell `unstable`.
  A cell only one campaign measured keeps that campaign's verdict and is marked as such.
  Why not a statistical interval over campaigns: the between-campaign variance estimated from
  k campaigns has k − 1 degrees of freedom; with two, the 95 % interval of their mean is
  m̄ ± t(0.975, 1) · s / √2 = m̄ ± 12.71 · |m_1 − m_2| / 2, six times their difference, which
  decides nothing. Unanimity claims no confidence level: it says the prediction was within
  (or beyond the noise of) the tolerance on each independent measurement.
- **spread**: max − min of the m_i, against the batch half-widths h_i = (hi_i − lo_i) / 2 of
  the two campaigns that give the max and the min: `spread_over_batch` = spread /
  √(h_a² + h_b²). Two measurements of one quantity, each with the half-width h of its 95 %
  interval, differ by more than √(h_a² + h_b²) in about 5 % of pairs; a ratio above 1 says the
  campaigns differ by more than their batch intervals allow — run-to-run drift of the host
  that one campaign's interval does not cover.
- **campaigns for the tolerance**: the smallest k (at least the campaigns measured) with
  t(0.975, k − 1) · s / √k ≤ tol · m̄, s the sample sd of the m_i (k − 1 = campaigns − 1
  degrees of freedom: with two campaigns s = |m_1 − m_2| / √2 rests on one degree of freedom
  and is itself known only to a factor of several). The number of campaigns whose mean would
  be known to ± the tolerance at 95 %, if the campaigns vary as these did.
"""
import math
import statistics

from predicted_scenario import metric_tolerance

# Student t, 97.5 % quantiles for 1..30 degrees of freedom (tables; checked against scipy in
# test_testbed.py).
T_975 = [12.706205, 4.302653, 3.182446, 2.776445, 2.570582, 2.446912, 2.364624, 2.306004,
         2.262157, 2.228139, 2.200985, 2.178813, 2.160369, 2.144787, 2.131450, 2.119905,
         2.109816, 2.100922, 2.093024, 2.085963, 2.079614, 2.073873, 2.068658, 2.063899,
         2.059539, 2.055529, 2.051831, 2.048407, 2.045230, 2.042272]
Z_975 = 1.959963985
MAX_CAMPAIGNS = 1000   # campaigns_for reports "more than" this as None


def t_975(df):
    """Student t's 97.5 % quantile with df ≥ 1 degrees of freedom: the table up to 30, beyond
    it the Cornish–Fisher expansion z + (z³ + z)/(4 df) + (5z⁵ + 16z³ + 3z)/(96 df²)
    + (3z⁷ + 19z⁵ + 17z³ − 15z)/(384 df³) (within 1e-5 of the exact value from df 30 on)."""
    if df < 1:
        raise ValueError(f"t quantile needs at least 1 degree of freedom, not {df}")
    if df <= len(T_975):
        return T_975[df - 1]
    z = Z_975
    return (z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df ** 2)
            + (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / (384 * df ** 3))


def combined_verdict(verdicts):
    """The unanimity rule (module doc) on the verdicts of the campaigns that measured a cell."""
    if not verdicts:
        raise ValueError("a cell needs at least one campaign's verdict")
    if any(v is None for v in verdicts):
        return "unstable"
    if all(v == "met" for v in verdicts):
        return "met"
    if all(v == "missed" for v in verdicts):
        return "missed"
    return "undecided"


def half_width(measure):
    low, high = measure.get("low"), measure.get("high")
    return None if low is None or high is None else (high - low) / 2


def spread(measures):
    """(spread, spread_over_batch) of a cell's measurements (dicts with `measured`, `low`,
    `high`): max − min of the measured values and its ratio to √(h_a² + h_b²) of the two
    campaigns at the max and the min (None without both intervals or when both are zero);
    (None, None) for fewer than two."""
    if len(measures) < 2:
        return None, None
    top = max(measures, key=lambda m: m["measured"])
    bottom = min(measures, key=lambda m: m["measured"])
    difference = top["measured"] - bottom["measured"]
    halves = [half_width(top), half_width(bottom)]
    if None in halves or math.hypot(*halves) == 0:
        return difference, None
    return difference, difference / math.hypot(*halves)


def campaigns_for(values, tolerance):
    """The smallest k ≥ len(values) with t(0.975, k − 1) · s / √k ≤ tolerance · mean (module
    doc); None for fewer than two values or more than MAX_CAMPAIGNS."""
    if len(values) < 2:
        return None
    mean, sd = statistics.fmean(values), statistics.stdev(values)
    for k in range(len(values), MAX_CAMPAIGNS + 1):
        if t_975(k - 1) * sd / math.sqrt(k) <= tolerance * mean:
            return k
    return None


def cells(tables):
    """{(config, level, metric): {campaign: row}} from each campaign's comparison rows
    (`tables`: {campaign label: [row dicts of comparison.csv]}), latency metrics only; ordered
    by configuration and metric as first met, levels by utilisation (a level only a later
    campaign measured takes its place among the others)."""
    found, configs, metrics = {}, {}, {}
    for label, rows in tables.items():
        for row in rows:
            if row["metric"].startswith("latency_s."):
                configs.setdefault(row["config"], len(configs))
                metrics.setdefault(row["metric"], len(metrics))
                found.setdefault((row["config"], row["utilization"], row["metric"]), {})[label] = row
    order = sorted(found, key=lambda cell: (configs[cell[0]], float(cell[1]), metrics[cell[2]]))
    return {cell: found[cell] for cell in order}


def combine(tables):
    """One combined row per cell: config, utilization, metric, campaigns (labels that measured
    it, in the order of `tables`), per_campaign ({label: row}), verdict, spread,
    spread_over_batch, mean_measured, campaigns_for."""
    combined = []
    for (config, level, metric), by_campaign in cells(tables).items():
        labels = [label for label in tables if label in by_campaign]
        rows = [by_campaign[label] for label in labels]
        difference, ratio = spread(rows)
        values = [r["measured"] for r in rows]
        combined.append({
            "config": config, "utilization": level, "metric": metric, "campaigns": labels,
            "per_campaign": {label: by_campaign[label] for label in labels},
            "verdict": combined_verdict([r["verdict"] for r in rows]),
            "spread": difference, "spread_over_batch": ratio, "mean_measured": statistics.fmean(values),
            "campaigns_for": campaigns_for(values, metric_tolerance(metric))})
    return combined


GOAL_UTILIZATIONS = ("0.30", "0.60", "0.85")
GOAL_METRICS = ("latency_s.p50", "latency_s.p99")


def is_goal_cell(row):
    """Issue 15's goal: p50 and p99 at u = 0.3, 0.6 and 0.85."""
    return row["utilization"] in GOAL_UTILIZATIONS and row["metric"] in GOAL_METRICS


def goal_counts(combined):
    """{verdict: count} over the goal cells, with `one campaign`: how many of them only one
    campaign measured."""
    goal = [row for row in combined if is_goal_cell(row)]
    counts = {verdict: sum(1 for row in goal if row["verdict"] == verdict)
              for verdict in ("met", "undecided", "missed", "unstable")}
    counts["one campaign"] = sum(1 for row in goal if len(row["campaigns"]) == 1)
    return counts


def campaign_counts(combined, label):
    """{verdict: count} of one campaign's own verdicts over the goal cells it measured
    (`unstable`: no prediction)."""
    goal = [row["per_campaign"][label]["verdict"] or "unstable" for row in combined
            if is_goal_cell(row) and label in row["campaigns"]]
    return {verdict: goal.count(verdict) for verdict in ("met", "undecided", "missed", "unstable")}
