# SPDX-License-Identifier: GPL-3.0-or-later
"""The protocol overhead's load dependence in the predictions (compare.py `--overhead-scaling`;
docs/validation.md, "The protocol overhead's load dependence").

`hybridsim calibrate --overhead-load-dependence` measures, for each load level of a model
server's records, the mean of what it fits callOverhead to (the same calls and the same
serverWork subtraction), tests whether the level means differ (chi-square of homogeneity,
p < 0.05) and, when they do, gives the points (x, f) of `callOverheadScaling: {by:
utilization}`: x the called node's offered load ρ at the level (offered_rps · (E[S] +
E[serverWork]), one worker), f the level's mean over the mean at the level the overhead was
fitted on (docs/calibration.md). This module turns them into each model call's key:

- `all`: calibrate's points at every predicted level;
- `held-out`: at each predicted level, the points without that level's own point, so that the
  factor there is interpolated from the other levels (an out-of-sample check); the level the
  overhead was fitted on keeps every point (its factor is 1 either way).

x is divided by the node's cores when the model server is processor sharing (rest-thread):
hybridsim's ρ of such a node is the work over all its cores (docs/cost-models.md).
Assumptions (docs/validation.md names them): the factor multiplies whatever callOverhead the
description leaves (after --front-work, --client-work, --wake-up or --overlap-receipt took
their share out), and x is calibrate's, from its serverWork (a serverWork the description sets
otherwise, --server-work-from cpu or --overlap-receipt, moves hybridsim's ρ a little off x).
"""
import json
import os
import sys

from testbed import wire
from wake_up import extra_at as piecewise_linear   # hybridsim's interpolation, flat beyond the ends

MODES = ("all", "held-out")


class OverheadScalingError(Exception):
    pass


def read_dependence(calibration_dir):
    """calibrate's `overhead_load_dependence` of the first protocol in
    calibration_dir/calibration.json: {"points": [(x, f)] (None when not significant),
    "levels": [{"offered_rps", "x", "factor", ...}], "p_value", "summary"}. Refused when the
    calibration holds none (calibrate was not run with --overhead-load-dependence)."""
    path = os.path.join(calibration_dir, "calibration.json")
    with open(path) as f:
        protocols = json.load(f).get("protocols") or []
    part = protocols[0].get("overhead_load_dependence") if protocols else None
    if part is None:
        raise OverheadScalingError(f"{path}: no overhead_load_dependence (calibrate --overhead-load-dependence)")
    scaling = part.get("call_overhead_scaling")
    return {"points": [tuple(p) for p in scaling["points"]] if scaling else None, "levels": part["levels"],
            "p_value": part["p_value"], "base_offered_rps": part["base_offered_rps"], "summary": part["summary"]}


def level_index(levels, offered_rps):
    """The index of the level of `levels` (calibrate's, each with "offered_rps") at
    `offered_rps` (relative tolerance 1e-9); OverheadScalingError when there is none."""
    for i, level in enumerate(levels):
        if abs(level["offered_rps"] - offered_rps) <= 1e-9 * max(1.0, abs(offered_rps)):
            return i
    raise OverheadScalingError(f"no calibrated level at offered_rps {offered_rps:g} (levels: "
                               + ", ".join(f"{level['offered_rps']:g}" for level in levels) + ")")


def level_points(dependence, mode, offered_rps):
    """The points of the predicted level at `offered_rps`: every point (`all`, and the level
    the overhead was fitted on), or every point but the level's own (`held-out`)."""
    if mode not in MODES:
        raise ValueError(f"mode {mode!r}: one of {MODES}")
    points = list(dependence["points"])
    index = level_index(dependence["levels"], offered_rps)
    if mode == "all" or dependence["levels"][index]["offered_rps"] == dependence["base_offered_rps"]:
        return points
    return points[:index] + points[index + 1:]


def scaling_key(points, cores=1):
    """`{by: utilization, points: [[x, f], ...]}` with x divided by `cores` (a
    processor-sharing node's ρ is over all its cores), shortest round-trip numbers."""
    return "{by: utilization, points: [" + ", ".join(f"[{x / cores!r}, {f!r}]" for x, f in points) + "]}"


def with_scaling(call, key):
    """A placement's `call:` text (`{callOverhead: ..., ...}`) with `callOverheadScaling: key`
    as its last key."""
    if not (call.startswith("{") and call.endswith("}")) or "callOverhead:" not in call:
        raise OverheadScalingError(f"{call}: no callOverhead to scale")
    if "callOverheadScaling:" in call:
        raise OverheadScalingError(f"{call}: already has a callOverheadScaling")
    return call[:-1] + f", callOverheadScaling: {key}}}"


def factor_at(points, x):
    """f(x) as hybridsim computes it: linear between the points, flat beyond the ends."""
    return piecewise_linear(points, x)


def describe(model, mode, points, x, cores=1):
    """predicted.yaml's note for one model call at one level: the points used and the factor
    at this level's x (calibrate's ρ, over `cores`)."""
    scaled = [(px / cores, f) for px, f in points]
    return (f"{model} callOverheadScaling {mode}: f({x / cores:.4g}) = {factor_at(scaled, x / cores):.4f} from "
            + ", ".join(f"({px:.4g}, {f:.4f})" for px, f in scaled))


def note(config, fits, mode):
    """The note of predicted.yaml for a configuration: which model calls calibrate found a load
    dependence of the overhead for (the others keep their constant callOverhead, said on
    standard error). The front's own call (the client's records, a link latency) is not scaled."""
    scaled = [m for m in config.models if fits[m]["overhead_scaling"]["points"]]
    for model in config.models:
        if model not in scaled:
            print(f"{config.name}: {model}: --overhead-scaling: calibrate finds no load dependence of the overhead "
                  f"({fits[model]['overhead_scaling']['summary']}); its callOverhead stays constant",
                  file=sys.stderr, flush=True)
    return (f"overhead load scaling {mode} for " + (", ".join(scaled) if scaled else "no model call")
            + (" (no significant dependence: " + ", ".join(m for m in config.models if m not in scaled) + ")"
               if len(scaled) < len(config.models) else "")
            + ("; the front's own call not scaled" if config.kind != "single" else ""))


def level_fits(config, fits, mode, level_dir, cores=1):
    """At one predicted level (level_dir, its records): a copy of `fits` (calibration_runs'
    dicts, "overhead_scaling" read_dependence's) whose model calls with a significant dependence
    carry `callOverheadScaling` (level_points of the level's offered_rps, x over `cores`), and
    the level's note (describe of each)."""
    scaled, notes = dict(fits), []
    for model in config.models:
        dependence = fits[model]["overhead_scaling"]
        if not dependence["points"]:
            continue
        path = os.path.join(level_dir, config.records_file(model))
        rows = wire.read_records(path)
        if not rows:
            raise OverheadScalingError(f"{path}: no records")
        rps = float(rows[0]["offered_rps"])
        try:
            points = level_points(dependence, mode, rps)
            x = dependence["levels"][level_index(dependence["levels"], rps)]["x"]
            call = with_scaling(fits[model]["call"], scaling_key(points, cores))
        except OverheadScalingError as error:
            raise OverheadScalingError(f"{model}: {error}") from None
        scaled[model] = dict(fits[model], call=call)
        notes.append(describe(model, mode, points, x, cores))
    return scaled, "; ".join(notes) if notes else "no callOverheadScaling"
