#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Prediction against measurement for a campaign folder (docs/validation.md, "Testbed").

For each configuration of OUT/campaign.json (`--configs`: only those named):
1. calibration (calibration_runs.py): `hybridsim calibrate` on the combined records of each
   model server over every level (OUT/<config>/calibration-<model>/), the protocol overhead
   fitted on the lowest level (on the one-executor servers on the calls that found the server
   idle), the service time and its load dependence (`serviceTimeScaling`), each server's
   `serverWork` from its busy gaps (one-executor servers) or its receipt interval
   (`rest-thread`), with calibrate's message and an earlier description when it refuses;
   a composite's front: the client's call to it calibrated from the client's records, and
   its handler's own time outside its calls at the lowest level (decompose.py);
2. description (description_steps.py): the options of description.py change those fits —
   the thread-pool server's capacity or loop stages, the wake-up, the front's and the
   client's work, the overlapped receipts, the smallest branch overhead — each from the
   lowest level's records — and the overhead's load dependence (overhead_scaling.py, from
   every level), each adding its note;
3. for each level, OUT/<config>/u<u>/predicted.yaml (predicted_scenario.py: the calibration
   only, with the level's offered rate), `hybridsim check predicted.yaml --baseline
   summary.json` (exit 1 only means outside the tolerances; exit 4, an unstable prediction,
   is a result) into predicted/ and check.xml, and `hybridsim report` of both (report.html);
4. OUT/comparison.csv: config, u, metric, measured, predicted, error %, the measured latency's
   batch interval, the verdict against the tolerance (met / missed / undecided) and the
   requests for the tolerance (testbed/precision.py), the host's CPU utilisation; the same as
   the Markdown table of docs/validation.md in OUT/comparison.md (comparison_table.py).
What each description option models, its refusals and how it did on the testbed's records:
`--help` (description.py), README.md's file table and docs/validation.md.
  .venv/bin/python compare.py OUT --hybridsim .build/debug/hybridsim [--configs LIST] [description options]
"""
import argparse
import csv
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import campaign_folder                      # noqa: E402
import comparison_table                     # noqa: E402
import description as description_options  # noqa: E402
import overhead_scaling                     # noqa: E402
import thread_pool_diagnostics              # noqa: E402
from testbed import precision, wire         # noqa: E402
from testbed.servers import CONFIGS         # noqa: E402
from description import Description        # noqa: E402
from calibration_runs import (CompareError, calibrate, calibrate_model_server, combined_records,   # noqa: E402
                              level_offered_rps, overhead_calls, run)
from description_steps import (front_own_time, front_reserve, uses_capacity, uses_loop_and_pool,   # noqa: E402
                               with_client_work, with_front_work, with_loop_work, with_overlap_receipt,
                               with_slow_periods, with_smallest_branch_overhead, with_wake_up)
from predicted_scenario import metric_tolerance, scenario_text, server_node   # noqa: E402

PREDICTION_REQUESTS = 20000   # per replication; --prediction-requests changes it (the smoke test)


# `hybridsim check` stopped the prediction as unstable (overload; docs/cli.md).
UNSTABLE_EXIT = 4


def lookup(summary, key):
    value = summary
    if key.startswith("nodes."):
        _, node, field = key.split(".", 2)
        return summary.get("nodes", {}).get(node, {}).get(field)
    for part in key.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def host_utilization(measured):
    """The host's CPU utilisation during the level's measured window (campaign.py's accounting,
    measurement.host_cpu; None for campaigns measured before it)."""
    return measured["measurement"].get("host_cpu", {}).get("host", {}).get("utilization")


def host_note(measured):
    """`; host CPU 0.93, host-limited` for a level's printed line ("" when not measured)."""
    host = host_utilization(measured)
    if host is None:
        return ""
    limited = measured["measurement"].get("host_limit", {}).get("host_limited")
    return f"; host CPU {host:.2f}" + (", host-limited: the host, not the model, may be what is measured" if limited else "")


def compare_config(out, config, utilizations, hybridsim, table, requests, description):
    """Calibrates, predicts and compares one configuration of the campaign at every level
    (the module's docstring, steps 1-4), described as `description` says; appends its rows to
    `table`."""
    levels = [f"{u:.2f}" for u in utilizations]
    config_dir = os.path.join(out, config.name)
    lowest = os.path.join(config_dir, f"u{levels[0]}")
    # The protocol overhead is fitted on the lowest load calibrate is given: the lowest
    # open-loop level by default, or the level --overhead-at (a utilisation) names; the
    # sequential phase (one call at a time) only when asked, as it leaves out the client's own
    # work under load (docs/validation.md).
    sequential = description.overhead_from == "sequential" and \
        os.path.exists(os.path.join(config_dir, "records-lowload.csv"))
    overhead_level = None if description.overhead_at is None else f"{description.overhead_at:.2f}"
    if overhead_level is not None and overhead_level not in levels:
        raise CompareError(f"--overhead-at {description.overhead_at}: the campaign has no such level "
                           f"(levels: {', '.join(levels)})")
    calls = overhead_calls(config, description.plain, sequential, description.overhead_choice)
    note = ("overhead on the sequential low-load phase" if sequential else f"overhead on u{overhead_level or levels[0]}") + \
        (" (idle-found calls)" if calls == "idle-found" else "") + \
        (f", protocol costs {description.overhead_family} (--overhead-family)" if description.overhead_family else "") + \
        f", service time on u{levels[0]}" + (f", load dependence over {len(levels)} levels" if len(levels) > 1 else "")
    fits = {}
    reserve = front_reserve(config, lowest, description.front_work) if description.server_cpu else 0.0
    capacity, select = None, None
    if uses_capacity(config, description.plain, description.thread_pool_model):
        capacity, work = thread_pool_diagnostics.campaign_capacity(config_dir, levels)
        if capacity is None:
            raise CompareError(f"{config.name}: no pool capacity delivers the measured handler work")
        select = thread_pool_diagnostics.isolated
        note += f", calls alone on the server only, pool capacity {capacity:.3f} cores (work balance over " \
            f"{len(levels)} levels, isolated handler median {work / 1e6:.3f} ms)"
    loop = uses_loop_and_pool(config, description.plain, description.thread_pool_model)
    if loop:
        # The work of the calls alone on the server (no sharing in it), and no serverWork:
        # the loop's work becomes stages of its own (with_loop_work below).
        select = thread_pool_diagnostics.isolated
        note += ", calls alone on the server only"
    for model in config.models:
        name = config.records_file(model)
        low = "records-lowload.csv" if config.kind == "single" else f"records-lowload-{model}.csv"
        paths = ([os.path.join(config_dir, low)] if sequential else []) + \
            [os.path.join(config_dir, f"u{level}", name) for level in levels]
        records = combined_records(paths, os.path.join(config_dir, f"calibration-{model}.csv"), select)
        fits[model] = calibrate_model_server(hybridsim, records, model, os.path.join(config_dir, f"calibration-{model}"),
                                             # loop-and-pool: no serverWork, as --plain
                                             config, description.plain or loop, description.receipt_only,
                                             cpu_at=lowest if description.server_cpu else None,
                                             reserve=reserve, overhead_calls=calls,
                                             overhead_family=description.overhead_family,
                                             overhead_scaling=bool(description.overhead_scaling),
                                             overhead_level=None if overhead_level is None else
                                             level_offered_rps(os.path.join(config_dir, f"u{overhead_level}", name)))
        if not description.load_scaling:
            fits[model]["scaling"] = None
        if description.wake_up:
            note += "; " + with_wake_up(config, model, fits[model], lowest)
        if description.slow_periods:   # after --without-load-scaling: the deflation is a scaling
            note += "; " + with_slow_periods(config, model, fits[model], config_dir, levels)
        if loop:
            note += "; " + with_loop_work(fits[model], os.path.join(lowest, name))
    front = None
    if config.kind != "single":
        # The client's call to the front, calibrated from the client's records: the overhead is
        # (answer - send) - the front's handler time, the call around the orchestration.
        paths = ([os.path.join(config_dir, "records-lowload.csv")] if sequential else []) + \
            [os.path.join(config_dir, f"u{level}", "records.csv") for level in levels]
        # The front is no one-executor server (its handler awaits the model calls): all calls.
        front_level = None if overhead_level is None else \
            level_offered_rps(os.path.join(config_dir, f"u{overhead_level}", "records.csv"))
        entry = calibrate(hybridsim, combined_records(paths, os.path.join(config_dir, "calibration-front.csv")), "front",
                          os.path.join(config_dir, "calibration-front"), overhead_level=front_level)
        front = {"overhead_s": entry["overhead_s"], "own_s": front_own_time(config, lowest)}
        if description.front_work:
            note += "; " + with_front_work(config, fits, front, lowest)
        if description.overlap_receipt and config.kind == "pipeline":
            note += "; " + with_overlap_receipt(config, fits, front, lowest)
        if description.branch_overhead == "smallest" and config.kind == "collaborative":
            note += "; " + with_smallest_branch_overhead(config, fits)
    if description.overhead_scaling:
        note += "; " + overhead_scaling.note(config, fits, description.overhead_scaling)
    client = None
    if description.client_work:
        client, client_note = with_client_work(config, fits, front, lowest)
        note += "; " + client_note
    note += "; serverWork " + ", ".join(f"{m} {fits[m]['server_work'] or 'none'}" for m in config.models)
    print(f"{config.name}: calibrated ({note}): " +
          ", ".join(f"{m} {fits[m]['family']}{' + load scaling' if fits[m]['scaling'] else ''}" for m in config.models),
          flush=True)
    for level in levels:
        level_dir = os.path.join(out, config.name, f"u{level}")
        with open(os.path.join(level_dir, "summary.json")) as f:
            measured = json.load(f)
        rate = measured["measurement"]["offered_rps"]
        host = host_utilization(measured)
        cores = measured["measurement"].get("host", {}).get("cpus") or os.cpu_count()
        level_fits, level_note = fits, note
        if description.overhead_scaling:
            # A processor-sharing node's ρ is over its cores: the points' x are divided by them.
            shared = "processorSharing" in server_node(config, cores, description.plain, capacity)
            try:
                level_fits, scaled = overhead_scaling.level_fits(config, fits, description.overhead_scaling, level_dir,
                                                                 cores if shared else 1)
            except overhead_scaling.OverheadScalingError as error:
                raise CompareError(f"--overhead-scaling: {config.name}: {error}") from None
            level_note += "; " + scaled
        text, metrics = scenario_text(config, level, level_fits, rate, f"calibrated: {level_note}", requests, level_dir, front,
                                      cores=cores, plain=description.plain, capacity=capacity,
                                      shared_host=description.shared_host, client=client)
        scenario = os.path.join(level_dir, "predicted.yaml")
        with open(scenario, "w") as f:
            f.write(text)
        predicted_dir = os.path.join(level_dir, "predicted")
        done = run([hybridsim, "check", scenario, "--baseline", os.path.join(level_dir, "summary.json"),
                    "--junit", os.path.join(level_dir, "check.xml"), "--out", predicted_dir, "--jobs", "2"],
                   ok_codes=(0, 1, UNSTABLE_EXIT))
        with open(os.path.join(level_dir, "check.txt"), "w") as f:
            f.write(done.stdout + done.stderr)
        if done.returncode == UNSTABLE_EXIT:
            # The prediction is overload (hybridsim stopped it as unstable, docs/cli.md): a
            # result, not a failure. Its rows keep the measurement and no predicted value.
            table.extend([config.name, level, key, lookup(measured, key), None, None, None, None, None, None, host]
                         for key in metrics)
            print(f"{config.name} u={level}: predicted unstable (hybridsim check exit {UNSTABLE_EXIT}, "
                  f"{os.path.relpath(os.path.join(level_dir, 'check.txt'), out)}){host_note(measured)}", flush=True)
            continue
        run([hybridsim, "report", level_dir, predicted_dir, "--out", os.path.join(level_dir, "report.html")])
        with open(os.path.join(predicted_dir, "summary.json")) as f:
            predicted = json.load(f)
        client_rows = wire.read_records(os.path.join(level_dir, "records.csv"))
        intervals = precision.latency_intervals(client_rows)
        completed = sum(1 for r in client_rows if r["status"] == "ok")
        outside = []
        for key in metrics:
            m, p = lookup(measured, key), lookup(predicted, key)
            error = (p - m) / m * 100 if m and p is not None else None
            tolerance = metric_tolerance(key)
            interval = intervals.get(key)
            table.append([config.name, level, key, m, p, None if error is None else round(error, 1)]
                         + (interval or [None, None])
                         + [precision.verdict(m, p, interval, tolerance),
                            precision.requests_for(completed, m, interval, tolerance), host])
            if error is None or abs(error) > tolerance * 100:
                outside.append(key if error is None else f"{key} {error:+.1f}%")
        # `check` calls a lower latency "improved" and passes it; a prediction must be near
        # the measurement in both directions, so the verdict here is |error| <= tolerance.
        verdict = "every metric within tolerance" if not outside else "outside: " + ", ".join(outside)
        print(f"{config.name} u={level}: {verdict} (hybridsim check exit {done.returncode}, "
              f"{os.path.relpath(os.path.join(level_dir, 'check.txt'), out)}){host_note(measured)}", flush=True)


def compare_campaign(out, hybridsim, requests=PREDICTION_REQUESTS, description=Description(), configs=None):
    """Compares the configurations `configs` (names; None: every one) of campaign folder `out`
    at every level of its campaign.json; writes OUT/comparison.csv and OUT/comparison.md.
    Returns the exit code (1 when a calibration or prediction was refused, said on stderr)."""
    campaign = campaign_folder.read_campaign(out)
    table = []
    try:
        for name in configs or campaign["configs"]:
            compare_config(out, CONFIGS[name], campaign["utilizations"], hybridsim, table, requests, description)
    except CompareError as error:
        print(f"compare: {error}", file=sys.stderr)
        return 1
    with open(os.path.join(out, "comparison.csv"), "w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["config", "utilization", "metric", "measured", "predicted", "error_percent",
                         "measured_ci95_low", "measured_ci95_high", "verdict", "requests_for_tolerance",
                         "host_cpu_utilization"])
        writer.writerows(table)
    with open(os.path.join(out, "comparison.md"), "w") as f:
        f.write(comparison_table.markdown(table, out) + "\n" + comparison_table.verdicts(table))
    print(f"comparison written to {os.path.join(out, 'comparison.csv')} and comparison.md")
    return 0


def add_prediction_options(parser):
    """--hybridsim and --prediction-requests (compare.py's and combine_campaigns.py's)."""
    parser.add_argument("--hybridsim", required=True, help="the hybridsim binary")
    parser.add_argument("--prediction-requests", type=int, default=PREDICTION_REQUESTS,
                        help="requests per replication of each prediction (5 replications)")


def checked_prediction_requests(parser, args):
    if args.prediction_requests < 100:
        parser.error("--prediction-requests must be at least 100")
    return args.prediction_requests


def main():
    parser = argparse.ArgumentParser(description="calibrate, predict and compare a testbed campaign")
    parser.add_argument("out", help="the campaign folder (campaign.py --out)")
    parser.add_argument("--configs", help="comma-separated: compare only these configurations of the campaign")
    add_prediction_options(parser)
    description_options.add_options(parser)
    args = parser.parse_args()
    requests = checked_prediction_requests(parser, args)
    chosen = description_options.from_options(parser, args)
    out = os.path.abspath(args.out)
    configs = campaign_folder.chosen_configs(parser, campaign_folder.read_campaign(out), args.configs)
    return compare_campaign(out, os.path.abspath(args.hybridsim), requests, chosen, configs)

if __name__ == "__main__":
    sys.exit(main())
