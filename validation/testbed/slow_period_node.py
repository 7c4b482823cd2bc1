# SPDX-License-Identifier: GPL-3.0-or-later
"""A one-executor model server's exogenous slow periods as its node's `slowPeriods` (compare.py
`--slow-periods`; docs/validation.md, "Slow periods as a node speed"; docs/cost-models.md,
"Slow periods").

From the `ok` calls of every level at u ≥ MIN_LEVEL_U of one model server, in handler-start
order (b = handler end − start):

1. each level cut into WINDOW_MS windows by handler start, a window's factor its mean b over the
   level's mean b (slow_periods.py's windows: each level against its own mean, so the handler's
   load dependence across levels, which `serviceTimeScaling` holds, is not taken for a slow
   period);
2. the levels **pooled**: a window is slow when its factor is ≥ SLOW_FACTOR; F = the mean factor
   of the slow windows over that of the others, T_slow and T_fast the mean lengths of the runs
   of slow and of fast windows (runs end at a level's end and at an empty window) times the
   window — slow_period_windows.two_state_fit over all the levels' windows at once, each run
   within its level. Pooled,
   because the periods do not follow the load (docs/validation.md, "A slower host", point 2:
   correlation with the client's sends −0.19 to 0.00), so they are one process of the host,
   and one level holds only a few tens of periods (the per-level fits vary: ×1.17–1.33);
   u = 0.1 is left out: a 250 ms window holds about 2–3 calls there, so its factor is mostly
   the handler time's own spread (slow by chance);
3. E[factor] = (T_slow · F + T_fast) / (T_slow + T_fast), and the calibrated service time
   divided by it, through `serviceTimeScaling` (every point's factor divided by E[factor]; a
   constant `{by: utilization, points: [[0, 1/E]]}` when there is none): the calibrated
   distribution already holds the slow samples, so the mean service stays as calibrated.

Assumptions (docs/validation.md names them): the periods are the host's and independent of the
load; the process is two-state with exponential sojourns; a service keeps the factor of its
start; the scaling curve is read at hybridsim's ρ, which counts E[factor] (so at a ρ up to
E[factor] times the x calibrate gave it: a few per cent, the curve is nearly flat there).
"""
import os
import re
import statistics

from slow_period_windows import window_means
from testbed import wire

WINDOW_MS = 250        # slow_periods.py's window (docs/validation.md)
SLOW_FACTOR = 1.1      # a window ≥ 10 % slower than its level's mean is slow
MIN_LEVEL_U = 0.3      # the levels pooled: u ≥ this
MIN_CALLS = 20         # fewer ok calls at a level: the level is skipped


class SlowPeriodsError(Exception):
    pass


def level_factors(calls, window_ms=WINDOW_MS):
    """The window factors of one level's `ok` calls (any order): each window's mean handler
    time over the level's mean (None for an empty window), windows from the first handler start."""
    calls = sorted(calls, key=lambda c: c["handler_start_ns"])
    handler = [c["handler_end_ns"] - c["handler_start_ns"] for c in calls]
    times = [c["handler_start_ns"] for c in calls]
    mean = sum(handler) / len(handler)
    means, _ = window_means(times, handler, times[0], window_ms * 1e6)
    return [m / mean if m is not None else None for m in means]


def pooled_fit(levels, window_ms=WINDOW_MS, slow_factor=SLOW_FACTOR, where="records"):
    """The two-state fit of the levels' window factors pooled ([factors per level]), as
    slow_period_windows.two_state_fit does for one level (empty windows skipped) with the runs
    ending at each level's end: {"factor", "slow_ms", "fast_ms", "windows", "slow_windows",
    "levels"}. SlowPeriodsError (naming `where`) without a level, or when no window is slow or
    none fast."""
    if not levels:
        raise SlowPeriodsError(f"{where}: no level at u ≥ {MIN_LEVEL_U} with {MIN_CALLS} ok calls")
    slow, fast, slow_runs, fast_runs = [], [], [], []
    for factors in levels:
        present = [f for f in factors if f is not None]
        slow += [f for f in present if f >= slow_factor]
        fast += [f for f in present if f < slow_factor]
        flags = [f >= slow_factor for f in present]
        slow_runs += runs(flags)
        fast_runs += runs([not f for f in flags])
    if not slow or not fast:
        raise SlowPeriodsError(f"{where}: {len(slow)} of {len(slow) + len(fast)} windows of {window_ms} ms are slow "
                               f"(factor ≥ {slow_factor}): no two-state process to fit")
    return {"factor": statistics.fmean(slow) / statistics.fmean(fast),
            "slow_ms": statistics.fmean(slow_runs) * window_ms, "fast_ms": statistics.fmean(fast_runs) * window_ms,
            "windows": len(slow) + len(fast), "slow_windows": len(slow), "levels": len(levels)}


def runs(flags):
    """Lengths of the runs of consecutive True flags."""
    lengths, length = [], 0
    for flag in flags:
        if flag:
            length += 1
        elif length:
            lengths.append(length)
            length = 0
    return lengths + ([length] if length else [])


def mean_factor(fit):
    """E[factor] = (T_slow · F + T_fast) / (T_slow + T_fast)."""
    return (fit["slow_ms"] * fit["factor"] + fit["fast_ms"]) / (fit["slow_ms"] + fit["fast_ms"])


def slow_periods_key(fit):
    """The node's `slowPeriods` setting: `{factor: F, slow: <ms>ms, fast: <ms>ms}`."""
    return f"{{factor: {fit['factor']:.6g}, slow: {_ms(fit['slow_ms'])}, fast: {_ms(fit['fast_ms'])}}}"


def _ms(value):
    """A time in ms to the nanosecond, without an exponent (`441.25ms`, `1000000000ms`)."""
    return f"{value:.6f}".rstrip("0").rstrip(".") + "ms"


_POINT = re.compile(r"\[\s*([-+0-9.eE]+)\s*,\s*([-+0-9.eE]+)\s*\]")


def deflated_scaling(scaling, divisor):
    """`serviceTimeScaling` text with every point's factor divided by `divisor` (> 0); without
    a scaling (None), the constant `{by: utilization, points: [[0, 1/divisor]]}`."""
    if scaling is None:
        return f"{{by: utilization, points: [[0, {1 / divisor:.6g}]]}}"
    if not _POINT.search(scaling):
        raise SlowPeriodsError(f"serviceTimeScaling `{scaling}` has no `[x, factor]` point to deflate")
    return _POINT.sub(lambda m: f"[{m.group(1)}, {float(m.group(2)) / divisor:.6g}]", scaling)


def campaign_fit(config_dir, records_file, levels):
    """pooled_fit of one model server's records over the campaign's levels (strings such as
    "0.30") at u ≥ MIN_LEVEL_U."""
    factors = []
    for level in levels:
        if float(level) < MIN_LEVEL_U - 1e-9:
            continue
        path = os.path.join(config_dir, f"u{level}", records_file)
        if not os.path.exists(path):
            continue
        calls = [r for r in wire.read_records(path) if r["status"] == "ok"]
        if len(calls) >= MIN_CALLS:
            factors.append(level_factors(calls))
    return pooled_fit(factors, where=os.path.join(config_dir, "u*", records_file))


def apply(fit, periods):
    """A model server's fit (calibration_runs.calibrate's dict) given the pooled two-state
    process: "slow_periods" the node's key, "scaling" deflated by E[factor]."""
    fit["slow_periods"] = slow_periods_key(periods)
    fit["scaling"] = deflated_scaling(fit.get("scaling"), mean_factor(periods))


def describe(periods):
    """A line for predicted.yaml's note."""
    return (f"slow periods ×{periods['factor']:.3f}, {periods['slow_ms']:.0f} ms slow / {periods['fast_ms']:.0f} ms fast "
            f"({periods['slow_windows']} of {periods['windows']} windows of {WINDOW_MS} ms slow over {periods['levels']} "
            f"levels at u ≥ {MIN_LEVEL_U}), service time deflated by E[factor] {mean_factor(periods):.4f}")
