# SPDX-License-Identifier: GPL-3.0-or-later
"""How precisely a level measured its latency, and whether an error can be told from that noise.

A measurement is one run, and the latencies of consecutive requests are correlated (a busy
period holds many of them), so the interval of each statistic comes from batches: the run's
`ok` latencies in send order are cut into BATCHES consecutive batches of equal size, the
statistic is computed on each batch, and

    half-width = t(0.975, BATCHES − 1) · sd(batch statistics) / sqrt(BATCHES)

is put around the whole run's statistic (the mean: the batch means' mean, as in summary.py;
a percentile: the run's own nearest-rank value, since a batch percentile is biased for high
quantiles — the p99 of a 300-request batch is its third-largest value). Batches are only
near-independent when each is much longer than a busy period; near saturation they are not,
so the interval is a lower bound on the uncertainty there. It is an indication of the
measurement's noise, not an exact confidence interval, and docs/validation.md says so.

The verdict of a prediction p against a measurement m with tolerance tol (a fraction):
- `met`: |p − m| / m ≤ tol;
- `missed`: the measured interval [lo, hi] holds no value m' with |p − m'| / m' ≤ tol, i.e. it
  does not meet the band [p / (1 + tol), p / (1 − tol)]: the miss is larger than the noise;
- `undecided`: outside the tolerance, but the interval reaches the band — more requests would
  be needed to tell (`requests_for`).
"""
import math

from .summary import batch_half_width, batch_statistics, nearest_rank


def batch_interval(values, statistic):
    """[low, high] around statistic(values) from BATCHES consecutive batches (values in time
    order), or None with fewer than 2 · BATCHES values."""
    batches = batch_statistics(values, statistic)
    if batches is None:
        return None
    half = batch_half_width(batches)
    whole = statistic(values)
    return [whole - half, whole + half]


def percentile(q):
    """The nearest-rank q-quantile as a statistic of a list (summary.py's definition)."""
    return lambda values: nearest_rank(sorted(values), q)


def mean(values):
    return sum(values) / len(values)


STATISTICS = {"latency_s.mean": mean, "latency_s.p50": percentile(0.50),
              "latency_s.p95": percentile(0.95), "latency_s.p99": percentile(0.99)}


def latency_intervals(rows):
    """{metric: [low, high]} for the latency metrics of STATISTICS, from a level's client
    records (dicts of testbed/wire.read_records): `ok` rows, latency = response − send in
    seconds, in send order."""
    ok = sorted((r for r in rows if r["status"] == "ok"), key=lambda r: r["send_ns"])
    latencies = [(r["response_ns"] - r["send_ns"]) / 1e9 for r in ok]
    return {key: batch_interval(latencies, statistic) for key, statistic in STATISTICS.items()}


def verdict(measured, predicted, interval, tolerance):
    """`met`, `missed` or `undecided` (module doc); None without a prediction."""
    if predicted is None or not measured:
        return None
    if abs(predicted - measured) / measured <= tolerance:
        return "met"
    if interval is None:
        return "missed"
    band_low, band_high = predicted / (1 + tolerance), predicted / (1 - tolerance)
    low, high = interval
    return "undecided" if low <= band_high and high >= band_low else "missed"


def requests_for(count, measured, interval, tolerance):
    """How many requests the level would need for its interval's half-width to be `tolerance`
    of the measured value, the half-width shrinking as 1 / sqrt(count) (independent batches):
    count · (half-width / (tolerance · measured))², at least count."""
    if interval is None or not measured:
        return None
    half = (interval[1] - interval[0]) / 2
    return max(count, math.ceil(count * (half / (tolerance * measured)) ** 2))
