#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The arithmetic of slow_periods.py: autocorrelation of normal scores, time windows and their
slow runs, the wait tail's share in slow periods, per-call overlap and in-flight splits, the
two servers' windows paired by time, and the two-state fit of a level's window factors
(docs/validation.md, "Slow periods in the handler times"). Times in ns unless named _ms.
"""
import statistics

import replay


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


def aligned(factors_a, t0_a, factors_b, t0_b, window_ns):
    """a's factors over b's windows (None where a has none), and b's: the two servers' windows
    paired by time (origins rounded to whole windows)."""
    shift = round((t0_b - t0_a) / window_ns)
    return [factors_a[shift + j] if 0 <= shift + j < len(factors_a) else None for j in range(len(factors_b))], factors_b


def handler_by(counts, handler, bin_size, cap):
    """[(class, mean handler ms, calls)]: the calls grouped by min(count // bin_size, cap)."""
    groups = {}
    for n, b in zip(counts, handler):
        groups.setdefault(min(n // bin_size, cap), []).append(b / 1e6)
    return [(k, statistics.fmean(v), len(v)) for k, v in sorted(groups.items())]
