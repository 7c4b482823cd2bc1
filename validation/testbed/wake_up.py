# SPDX-License-Identifier: GPL-3.0-or-later
"""An idle one-executor model server's wake-up, calibrated from the lowest level's records
(compare.py `--wake-up`; docs/validation.md, "The idle vCPU's wake-up, calibrated").

The call that finds the server idle pays more protocol overhead the longer the server was
idle (an idle vCPU halts and must be woken; docs/cost-models.md, "Wake-up after idle").
From the `ok` calls of the **lowest level only** of one model server:

1. the idle-found calls, by calibrate's criterion (docs/calibration.md: in handler-start
   order, sent at or after the previous call's response and overtaking no call sent before
   it), each with its overhead O = (response − send) − handler and its idle time
   t = send − the previous call's response (the time since the server's previous answer, at
   the caller's clock);
2. binned by t like the table of docs/cost-models.md (< 1, 1–3, 3–10, 10–30, > 30 ms); a bin
   with fewer than MIN_CALLS_PER_BIN calls joins its shorter neighbour (the shortest bin its
   longer one), and adjacent bins whose median overhead falls with idle time are pooled until
   the medians rise (pool-adjacent-violators on the pooled calls' medians: the **assumption**
   that a longer idle never costs less);
3. the node's `wakeUp` points: per bin (median idle, median overhead − the shortest-idle
   bin's median overhead) — medians, because the bins' means are swamped by the tails of the
   shortest-idle bin;
4. the mean extra the curve gives those same calls (hybridsim's interpolation, flat beyond
   the ends), which `apply` takes out of the call's callOverhead: calibrate fitted that
   callOverhead on the same idle-found calls of the same level, so the lowest level's mean
   latency stays as calibrated (to within the difference between the simulated idle times
   and the measured ones).

Assumptions (docs/validation.md names them): the whole extra is the server's, on its worker
(the caller's — client's or front's — own vCPU wake-up is folded into it); the measured idle
time starts at the caller's receipt of the previous answer, the simulator's at the worker's
last completion (earlier by the answer's trip).
"""
import bisect
import statistics

import front_work
from testbed import wire

BIN_EDGES_S = (1e-3, 3e-3, 10e-3, 30e-3)   # the bins of docs/cost-models.md's table
MIN_CALLS_PER_BIN = 30                     # fewer: the bin's median is too noisy on its own


class WakeUpError(Exception):
    pass


def idle_found_calls(calls):
    """(idle time s, overhead s) of each idle-found call of one level's `ok` calls (any
    order), by calibrate's criterion (IdleFoundCalls.swift)."""
    ordered = sorted(calls, key=lambda c: (c["handler_start_ns"], c["send_ns"]))
    later_send = [float("inf")] * len(ordered)
    for i in range(len(ordered) - 2, -1, -1):
        later_send[i] = min(later_send[i + 1], ordered[i + 1]["send_ns"])
    found = []
    for i in range(1, len(ordered)):
        call, previous = ordered[i], ordered[i - 1]
        if call["send_ns"] >= previous["response_ns"] and later_send[i] >= call["send_ns"]:
            overhead = (call["response_ns"] - call["send_ns"]) - (call["handler_end_ns"] - call["handler_start_ns"])
            found.append(((call["send_ns"] - previous["response_ns"]) / 1e9, overhead / 1e9))
    return found


def _bins(found):
    """The calls grouped by BIN_EDGES_S, shortest idle first, empty bins left out."""
    groups = [[] for _ in range(len(BIN_EDGES_S) + 1)]
    for idle, overhead in found:
        groups[bisect.bisect_right(BIN_EDGES_S, idle)].append((idle, overhead))
    return [g for g in groups if g]


def _merged_small(groups):
    """Bins of fewer than MIN_CALLS_PER_BIN calls joined to their shorter neighbour (the
    first to its longer one)."""
    groups = [list(g) for g in groups]
    i = 0
    while len(groups) > 1 and i < len(groups):
        if len(groups[i]) >= MIN_CALLS_PER_BIN:
            i += 1
            continue
        j = i - 1 if i > 0 else 1
        groups[min(i, j)] = sorted(groups[i] + groups[j])
        del groups[max(i, j)]
        i = max(0, min(i, j))
    return groups


def _median_overhead(group):
    return statistics.median(o for _, o in group)


def _monotone(groups):
    """Adjacent bins pooled until their median overheads rise with idle time."""
    groups = [list(g) for g in groups]
    i = 0
    while i < len(groups) - 1:
        if _median_overhead(groups[i + 1]) < _median_overhead(groups[i]):
            groups[i] = sorted(groups[i] + groups.pop(i + 1))
            i = max(0, i - 1)
        else:
            i += 1
    return groups


def extra_at(points, idle):
    """hybridsim's wakeUp extra at `idle` (seconds) through `points` [(idle, extra)]: linear
    between points, flat beyond the ends (WakeUpSpec.swift)."""
    if idle <= points[0][0]:
        return points[0][1]
    if idle >= points[-1][0]:
        return points[-1][1]
    k = bisect.bisect_right([t for t, _ in points], idle)
    (t0, e0), (t1, e1) = points[k - 1], points[k]
    return e0 + (e1 - e0) * (idle - t0) / (t1 - t0)


def curve(calls, where="records"):
    """The wake-up of one model server from its lowest level's `ok` calls: {"points": [(idle s,
    extra s)], "bins": [{"count", "idle_s", "overhead_s"}] (the medians), "calls": the
    idle-found calls, "mean_extra_s": the mean extra the points give them}. Refused (WakeUpError,
    naming `where`) with fewer than 2 * MIN_CALLS_PER_BIN idle-found calls."""
    found = idle_found_calls(calls)
    if len(found) < 2 * MIN_CALLS_PER_BIN:
        raise WakeUpError(f"{where}: {len(found)} calls found the server idle; the wake-up needs at least "
                          f"{2 * MIN_CALLS_PER_BIN}")
    groups = _monotone(_merged_small(_bins(found)))
    bins = [{"count": len(g), "idle_s": statistics.median(t for t, _ in g), "overhead_s": _median_overhead(g)}
            for g in groups]
    base = bins[0]["overhead_s"]
    points = [(b["idle_s"], b["overhead_s"] - base) for b in bins]
    mean_extra = statistics.fmean(extra_at(points, idle) for idle, _ in found)
    return {"points": points, "bins": bins, "calls": len(found), "mean_extra_s": mean_extra}


def level_curve(path):
    """curve() of the `ok` calls of one records file."""
    return curve([r for r in wire.read_records(path) if r["status"] == "ok"], path)


def wake_up_key(points):
    """The node's `wakeUp` setting: `{points: [[<idle>us, <extra>us], ...]}`."""
    return "{points: [" + ", ".join(f"[{t * 1e6:.6g}us, {e * 1e6:.6g}us]" for t, e in points) + "]}"


def apply(fit, wake_up):
    """A model server's fit (calibration_runs.calibrate's dict) given the wake-up: "wake_up" the
    node's key, its call's callOverhead lowered by the mean extra (front_work.lowered_call_overhead;
    refused, as WakeUpError, when the overhead cannot hold it)."""
    try:
        fit["call"] = front_work.lowered_call_overhead(fit["call"], wake_up["mean_extra_s"])
    except front_work.FrontWorkError as error:
        raise WakeUpError(f"wake-up {wake_up['mean_extra_s'] * 1e3:.3f} ms a call: {error}") from None
    fit["wake_up"] = wake_up_key(wake_up["points"])


def describe(wake_up):
    """A line for predicted.yaml's note: the bins and the mean extra taken out."""
    bins = ", ".join(f"{b['idle_s'] * 1e3:.3g} ms {b['overhead_s'] * 1e3:.3f} ms ({b['count']})" for b in wake_up["bins"])
    return (f"wake-up from {wake_up['calls']} idle-found calls (median idle, median overhead, calls: {bins}), "
            f"{wake_up['mean_extra_s'] * 1e3:.3f} ms a call out of callOverhead")
