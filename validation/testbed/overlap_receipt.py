# SPDX-License-Identifier: GPL-3.0-or-later
"""The model servers' receipt overlapping the front's send (compare.py `--overlap-receipt`,
with `--front-work`; docs/validation.md, "A call's receipt overlapping the front's send").

Under `--front-work` a pipeline's model call k is, in series, the front's stage before it (S:
the front's read of the previous answer, its own time between the calls, its write of this
call), the call's callOverhead (W, lowered by the front's share) and the server's serverWork
(R₀: calibrate's busy gaps in series, or none where calibrate refused them). In the testbed the
server's event loop reads the request while the front writes it, so the server's measured work
between handlers (the busy gaps, 0.27–0.37 ms at stage-2) could not be added without counting
time twice. hybridsim's `serverWorkStarts: withSend` (docs/cost-models.md, "Receipt overlapping
the send") sends the call when the front's stage starts and runs the receipt R as a job at the
server: the hand-off takes max(S, W' + R) instead of S + W + R₀.

This module gives each model call
- R: the busy gaps at the lowest level (replay.busy_gaps, the requests already waiting when the
  previous handler ended, by the median idle-found wait), as serverWork: a lognormal of their
  mean and cv (a constant when cv = 0);
- W' = W + S + R₀ − R: the callOverhead shifted so that W' + R = S + W + R₀, the series form's
  mean; so at low load the front's send is off the critical path (W' + R ≥ S) and the lowest
  level's mean latency is what was calibrated, up to E[max(S, W' + R)] − (W' + R), which is 0
  with constant times (the smoke test checks it to the nanosecond) and small when W' + R is
  rarely below S. Refused where W' would not stay positive (R > S + W + R₀).
"""
import os
import re
import statistics

import front_work
import replay
from testbed import wire

SERVER_WORK = r"serverWork: (\{[^{}]*\}|[0-9.eE+-]+(?:ns|us|ms|s))"


class OverlapError(Exception):
    pass


def lowest_gaps(records_path):
    """{"mean", "cv", "count"} (seconds) of the busy gaps of a model server's records at the
    lowest level (replay.busy_gaps with the median idle-found wait as the lead)."""
    rows = [r for r in wire.read_records(records_path) if r["status"] == "ok"]
    idle = replay.idle_waits(rows)
    if not idle:
        raise OverlapError(f"{records_path}: no call found the server idle: no lead for the busy gaps")
    gaps = replay.busy_gaps(rows, statistics.median(idle))
    if len(gaps) < 2:
        raise OverlapError(f"{records_path}: {len(gaps)} busy gap(s): too few for a mean and a cv")
    mean = statistics.fmean(gaps) / 1e9
    if mean <= 0:
        raise OverlapError(f"{records_path}: the busy gaps' mean is {mean * 1e3:.3f} ms: no work between handlers")
    return {"mean": mean, "cv": statistics.stdev(gaps) / 1e9 / mean, "count": len(gaps)}


def distribution_mean(spec):
    """The mean (seconds) of a time distribution as calibrate and front_work write it: a
    constant, a mapping with `mean`, or an empirical `file:` of samples (a `seconds` header)."""
    if not spec.startswith("{"):
        return front_work.seconds(spec)
    keys = dict(part.split(": ", 1) for part in spec[1:-1].split(", "))
    if "mean" in keys:
        return front_work.seconds(keys["mean"])
    if keys.get("dist") == "empirical" and "file" in keys:
        with open(keys["file"]) as f:
            lines = f.read().split()
        return statistics.fmean(float(x) for x in lines[1:])
    raise OverlapError(f"serverWork {spec}: no mean")


def work_text(gaps):
    """serverWork's value for busy gaps {"mean", "cv"}: lognormal, or a constant when cv = 0."""
    if gaps["cv"] == 0:
        return f"{gaps['mean'] * 1e6:.6g}us"
    return f"{{dist: lognormal, mean: {gaps['mean'] * 1e6:.6g}us, cv: {gaps['cv']:.4g}}}"


def overlapped_call(call, send, gaps):
    """A placement's `call:` text with its receipt overlapping a send of `send` seconds: its
    serverWork (if any, R₀) replaced by the busy gaps' (R), `serverWorkStarts: withSend`, and its
    callOverhead shifted by send + R₀ − R (front_work.lowered_call_overhead by R − send − R₀)."""
    found = re.search(SERVER_WORK, call)
    old = distribution_mean(found.group(1)) if found else 0.0
    amount = gaps["mean"] - send - old
    try:
        shifted = front_work.lowered_call_overhead(call, amount)
    except front_work.FrontWorkError as error:
        raise OverlapError(f"receipt {gaps['mean'] * 1e3:.3f} ms against send {send * 1e3:.3f} ms + serverWork "
                           f"{old * 1e3:.3f} ms: {error}") from None
    shifted = re.sub(r",? ?" + SERVER_WORK, "", shifted, count=1)
    if not shifted.endswith("}"):
        raise OverlapError(f"{call}: not a `{{...}}` call setting")
    return shifted[:-1] + f", serverWork: {work_text(gaps)}, serverWorkStarts: withSend}}"


def apply(config, fits, front, gaps):
    """Every model call of a pipeline described with --front-work (front["work_s"]: the front's
    stage before model k is work_s[k]) overlapped with its send (overlapped_call), the busy
    gaps `gaps[model]` as its receipt; changes fits[model]["call"]. Returns the note."""
    if config.kind != "pipeline" or not front or not front.get("work_s"):
        raise OverlapError(f"{config.name}: --overlap-receipt needs a pipeline described with --front-work "
                           "(the front's stage before each call is the send)")
    notes = []
    for k, model in enumerate(config.models):
        send = front["work_s"][k]
        fits[model]["call"] = overlapped_call(fits[model]["call"], send, gaps[model])
        notes.append(f"{model} {gaps[model]['mean'] * 1e3:.3f} ms (cv {gaps[model]['cv']:.2f}, "
                     f"{gaps[model].get('count', 0)} gaps) with the front's {send * 1e3:.3f} ms")
    return "receipts overlapping the front's send: " + ", ".join(notes)


def campaign_gaps(config, lowest):
    """{model: lowest_gaps} of a pipeline's model servers at the lowest level's folder."""
    return {model: lowest_gaps(os.path.join(lowest, config.records_file(model))) for model in config.models}
