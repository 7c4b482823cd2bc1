#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Prediction against measurement for a campaign folder (docs/validation.md, "Testbed").

For each configuration of OUT/campaign.json:
1. `hybridsim calibrate` on the records of each model server at every level (with
   `--overhead-from sequential`, the sequential low-load phase's records first, offered_rps 0)
   (OUT/<config>/calibration-<model>/: fragment.yaml, calibration.json; the input is
   OUT/<config>/calibration-<model>.csv). calibrate fits the protocol overhead on the lowest
   load it is given (the lowest open-loop level by default; `--overhead-at U` the level of
   utilisation U), on the one-executor servers (all but rest-thread) only on the calls that
   found the server idle (`--overhead-calls idle-found`, the default; `all` as before), the
   service time on the lowest
   level, and writes a significant load dependence as `serviceTimeScaling` (docs/calibration.md);
   when the KS test rejects calibrate's service-time choice (p < 0.05), again with
   `--family empirical`, as it advises;
2. for each level, a scenario OUT/<config>/u<u>/predicted.yaml built from the calibration
   only: each model's serviceTime (and serviceTimeScaling) line from its fragment, its `output` and the workload's
   `payload` the measured wire sizes, the arrival rate the level's offered rate, and each call's
   protocol cost calibrate's protocol keys for it (`callOverhead`, the fitted distribution of
   the low-load overheads, with no overhead bytes, no inflation and the codec calibrate wrote;
   `serverWork`, the server's own work per call, from `calibrate --server-work-from`
   (calibration_runs.server_work_estimator): `busy-gaps` for the one-executor servers — grpcio with one
   thread, uvicorn `async def`, which every model server but rest-thread's is — where the gap
   between handlers while the next call waited is the work (the response's write and the next
   request's read, including what grpcio does before the servicer sees a call); `receipt`
   (handler_start − server_receive) for the thread-pool REST server, whose handlers overlap);
   the server model (docs/cost-models.md, "Server concurrency"): one FIFO worker for the
   event-loop servers (uvicorn `async def`, grpcio with one thread); for the thread-pool REST
   server (`rest-thread`: FastAPI runs a plain `def` handler in anyio's thread pool, 40 threads
   by default — anyio's `CapacityLimiter(40)`) processor sharing on the measuring host's CPUs
   (`measurement.host.cpus`) with `maxInFlight: 40`; with `--thread-pool-model capacity` also
   `capacity`, the CPU the pool really gets, fitted by the work balance over all levels
   (thread_pool_diagnostics.campaign_capacity), and its calibration made on the calls that had
   the server to themselves (isolated: their handler time holds no sharing) — it meets fewer
   goal cells than the default (docs/validation.md, "The thread-pool server's mechanism").
   With `--thread-pool-model loop-and-pool` (loop_and_pool.py) rest-thread is instead the
   pipeline loop-read -> pool -> loop-write: uvicorn's event loop as one FIFO worker beside
   the pool on one host of the measuring host's CPUs, its work per request the isolated
   calls' mean receipt and response at the lowest level, taken out of the callOverhead
   (calibrated on the isolated calls, with no serverWork).
   Its node utilisation is not compared (the testbed measures the fraction of time any
   handler runs, hybridsim the busy core-time);
3. `hybridsim check predicted.yaml --baseline summary.json` (the measured summary as the
   baseline; exit 1 only means the prediction is outside the tolerances), its prediction in
   OUT/<config>/u<u>/predicted/, JUnit XML next to it;
4. `hybridsim report` of measured and predicted side by side (OUT/<config>/u<u>/report.html),
   and one table OUT/comparison.csv: config, u, metric, measured, predicted, error %, and for
   the latency metrics the measurement's batch interval, the verdict against the metric's
   tolerance (met / missed / undecided: outside the tolerance but within the measurement's
   noise) and the requests a level would need for its interval to be as narrow as the
   tolerance (testbed/precision.py), and the host's CPU utilisation during the level
   (campaign.py's accounting; empty before it); the same as the Markdown table of
   docs/validation.md in OUT/comparison.md.
Composite configurations add the front service: its handler's own time outside its calls
at the lowest level (front_own_time: dispatch + between calls + fuse, decompose.py) as a
constant service time (pipeline) or fusion cost (collaborative) on a one-worker node, and the
client's call to it, calibrated from the client's records, as link latency (scenario_text).
The front's other work (reading and writing each message) is inside the measured overheads.
  .venv/bin/python compare.py OUT --hybridsim .build/debug/hybridsim [--configs LIST] [--plain] [--overhead-at U]
      [--overhead-calls idle-found|all] [--overhead-from level|sequential] [--wake-up] [--overhead-scaling all|held-out]
`--configs` compares only the configurations named (the others' files are left as they are).
The description options are description.py's (combine_campaigns.py takes the same ones).
`--plain` describes the servers as before the server models (FIFO workers, no serverWork:
the overhead is all callOverhead, fitted on all calls), to compare the two descriptions on the
same records.
`--shared-host` puts the front and the model servers on one host (`hosts:`, docs/cost-models.md,
"Shared hosts") of the measuring host's CPUs (`measurement.host.cpus`): every request in
service on any of them is a runnable thread, and they share the cores. The client's own CPU is
left out (a client node runs no work).
`--front-work` (composites; meant with --shared-host) describes the front's message handling as
work: its CPU per request at the lowest level (measurement.host_cpu), split per message by
front_work.py, on the front's worker — a pipeline's stages before, between and after the model
stages, a fan-out's messages one at a time (`dispatchWork`, `sendWork`, `fusion.readWork`,
`fusion.work`) — and taken out of the client's call and
each backend call's callOverhead (front_work.apply).
`--client-work` (meant with --shared-host) describes the load generator's CPU as work: its CPU
per request at the lowest level (measurement.host_cpu), in two equal halves, as the stages
client-send and client-receive on node-client (one worker: the generator's event loop) before
the first call and after the last answer, taken out of the entry call's callOverhead (single
servers; the deployment becomes that three-stage pipeline) or the client's call to the front
(pipelines) (client_work.py). Fan-outs keep the client's CPU as delay (no place for the stages;
said in the note).
`--branch-overhead smallest` (fan-outs) gives every branch call the callOverhead of smallest
mean among the branches' calibrated ones (front_work.smallest_branch_overhead; docs/validation.md,
"Fan-outs with the front's work").
`--overlap-receipt` (pipelines, with --front-work; fan-outs are left as they are) gives each
model call its server's busy gaps at the lowest level as serverWork with `serverWorkStarts:
withSend` (the receipt runs while the front's stage before the call runs, docs/cost-models.md
"Receipt overlapping the send"), its callOverhead shifted so that the lowest level's mean is
unchanged (overlap_receipt.py).
`--overhead-family F` passes calibrate `--overhead-family F` for the model servers: their
callOverhead and serverWork in F only; with `empirical` the measured samples themselves (files
beside each calibration's fragment, named relative to each predicted.yaml), and with
`--front-work` each overhead sample lowered by the front's share (front_work.lowered_samples:
a new file; refused when a sample would not stay positive). The front's own call (the client's
records) is a mean latency and takes no family.
`--server-work-from receipt` uses the receipt interval for gRPC too (the description before
the busy gaps; event-loop REST servers then get no serverWork, as before). When calibrate
refuses busy gaps for a model server (exit 2: too few gaps, overlapping handlers, or an
overhead below the gaps' mean, as on a busy host), that server falls back to that earlier
description, with calibrate's message on standard error and the choice in the note of every
predicted.yaml (`serverWork <model> <estimator>`).
`--server-work-from cpu` gives each one-executor model server a constant serverWork of its
process's CPU per request (measurement.host_cpu) minus its mean handler time, both at the
lowest level, taken out of that call's callOverhead (server_work.py; with --front-work the
overhead must also hold the front's share); calibrate then fits the whole overhead (no busy
gaps, no receipt: the work is counted once). Where the records refuse it (threads ended in the
window, CPU not above the handler time, an overhead too small), that server is described as
without the option, said the same way. rest-thread keeps `receipt`. On the testbed's records it
does worse than the default (docs/validation.md, "The model servers' message handling as work").
`--wake-up` gives each one-executor model server's node a `wakeUp` curve (docs/cost-models.md,
"Wake-up after idle") from its lowest level's idle-found calls, their overhead by the idle time
since the previous answer, and takes the mean extra the curve gives those calls out of its
call's callOverhead (wake_up.py); rest-thread (processor sharing, where hybridsim refuses
wakeUp) keeps its description; refused with --shared-host (hybridsim simulates no wake-up on a
shared host) and with an overhead not fitted on the lowest level's idle-found calls (--plain,
--overhead-at, --overhead-from sequential, --overhead-calls all)
(docs/validation.md, "The idle vCPU's wake-up, calibrated").
`--overhead-scaling all|held-out` runs calibrate with `--overhead-load-dependence` for the
model servers and, for each model call whose overhead calibrate finds load-dependent (the
level means differ, chi-square p < 0.05), puts `callOverheadScaling` into its protocol keys:
calibrate's points (`all`), or at each level the points without that level's own (`held-out`:
the factor there interpolated from the other levels, an out-of-sample check); a call without a
significant dependence keeps its constant callOverhead (said on standard error and in the note);
the front's own call (the client's records, a link latency) is not scaled (overhead_scaling.py;
docs/validation.md, "The protocol overhead's load dependence"). Refused with --plain.
"""
import argparse
import csv
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import client_work                          # noqa: E402
import campaign_folder                      # noqa: E402
import comparison_table                     # noqa: E402
import description as description_options  # noqa: E402
import decompose                            # noqa: E402
import front_work                           # noqa: E402
import loop_and_pool                        # noqa: E402
import overlap_receipt                      # noqa: E402
import overhead_scaling                     # noqa: E402
import thread_pool_diagnostics              # noqa: E402
import wake_up                              # noqa: E402
from testbed import precision, wire         # noqa: E402
from testbed.servers import CONFIGS         # noqa: E402
from description import Description        # noqa: E402
from calibration_runs import (CompareError, calibrate, calibrate_model_server, combined_records,   # noqa: E402
                              level_offered_rps, overhead_calls, run)
from predicted_scenario import is_thread_pool, metric_tolerance, scenario_text, server_node   # noqa: E402

PREDICTION_REQUESTS = 20000   # per replication; --prediction-requests changes it (the smoke test)


# `hybridsim check` stopped the prediction as unstable (overload; docs/cli.md).
UNSTABLE_EXIT = 4


def uses_capacity(config, plain, thread_pool_model):
    """Whether the thread-pool server is described with a fitted capacity (`--thread-pool-model
    capacity`): its work from the isolated calls, the pool's CPU from the work balance over all
    levels (thread_pool_diagnostics.campaign_capacity)."""
    return is_thread_pool(config) and not plain and thread_pool_model == "capacity"


def uses_loop_and_pool(config, plain, thread_pool_model):
    """Whether the thread-pool server is described as its event loop and its pool on one host
    (`--thread-pool-model loop-and-pool`, loop_and_pool.py)."""
    return is_thread_pool(config) and not plain and thread_pool_model == "loop-and-pool"


def with_loop_work(fit, lowest_records):
    """loop_and_pool.apply with the loop's work measured on the lowest level's records; the
    note of predicted.yaml."""
    try:
        work = loop_and_pool.loop_work(wire.ok_calls_in_handler_order(lowest_records))
        loop_and_pool.apply(fit, work)
    except loop_and_pool.LoopWorkError as error:
        raise CompareError(f"--thread-pool-model loop-and-pool: {lowest_records}: {error}") from None
    return (f"event loop on its own worker on the host: read {work['read'] * 1e3:.3f} ms, write "
            f"{work['write'] * 1e3:.3f} ms a request (means of the {work['calls']} isolated calls), out of callOverhead")


def with_wake_up(config, model, fit, lowest):
    """--wake-up: the model server's wake-up after idle from the lowest level's records
    (wake_up.py: the node's `wakeUp`, its mean extra out of the call's callOverhead; changes
    `fit`). The thread-pool server is processor sharing, where hybridsim refuses wakeUp: it
    keeps its description. Returns the note of predicted.yaml."""
    if is_thread_pool(config):
        return f"no wake-up for {model} (processor sharing)"
    path = os.path.join(lowest, config.records_file(model))
    try:
        curve = wake_up.level_curve(path)
        wake_up.apply(fit, curve)
    except wake_up.WakeUpError as error:
        raise CompareError(f"--wake-up: {model}: {error}") from None
    return f"{model} " + wake_up.describe(curve)


def front_own_time(config, level_dir):
    """The front handler's own time per request outside its calls, in seconds: the mean over
    the level's requests of dispatch + between + fuse (decompose.py). The rest of the front's
    work — reading the client's request, writing each call, reading each answer, writing the
    response — lies inside the measured overheads of the client's call and of each backend
    call, which the scenario already adds; the front's CPU per request would count it twice
    (docs/validation.md, "Where the time goes in the composite deployments")."""
    requests = decompose.level_requests(config, level_dir)
    if not requests:
        raise CompareError(f"{level_dir}: no request of the front with all its calls ok")
    return sum(decompose.front_own_ns(segments) for _, segments, _ in requests) / len(requests) / 1e9


def front_reserve(config, lowest, front_work_on):
    """What --front-work takes out of each backend call's callOverhead (seconds; 0 without it),
    which a serverWork from the CPU must leave there."""
    if not front_work_on or config.kind == "single":
        return 0.0
    try:
        return front_work.backend_call_taken_out(front_work.front_pieces(config, lowest))
    except front_work.FrontWorkError as error:
        raise CompareError(f"--front-work: {error}") from None


def with_front_work(config, fits, front, lowest):
    """--front-work (composites): the front's CPU per request at the lowest level, split per
    message (front_work.front_pieces), as work on the front's stages or its messages' jobs
    (dispatch, a write per call, a read per answer, fusion), taken out of the overheads it
    was in (front_work.apply: changes `fits` and `front`). Returns the note of predicted.yaml
    (a fan-out's also gives the measured time from its first call's send to a later critical
    call's: the earlier writes, against the equal split's message)."""
    try:
        pieces = front_work.front_pieces(config, lowest)
        front_work.apply(config, fits, front, pieces)
    except front_work.FrontWorkError as error:
        raise CompareError(f"--front-work: {error}") from None
    later = pieces.get("later_send")
    measured = f"; a later critical call sent {later * 1e3:.3f} ms after the first" if later is not None else ""
    return (f"front work {pieces['cpu'] * 1e3:.3f} ms/request on its worker (read {pieces['read'] * 1e3:.3f} ms, "
            f"{pieces['message'] * 1e3:.3f} ms a further message{measured})")


def with_client_work(config, fits, front, lowest):
    """--client-work: the load generator's CPU per request at the lowest level, split into its
    send and receive stages on node-client (client_work.apply: changes `fits` or `front`).
    Returns (the `client` argument of scenario_text or None, the note of predicted.yaml); a
    fan-out keeps the client's CPU as delay (client_work.py says why)."""
    if config.kind == "collaborative":
        print(f"{config.name}: --client-work: the client's CPU stays delay in its call (a fan-out has no place for "
              "the client's stages)", file=sys.stderr, flush=True)
        return None, "client's CPU left as delay (fan-out)"
    try:
        work = client_work.split(client_work.client_cpu(lowest))
        client = client_work.apply(config, fits, front, work)
    except client_work.ClientWorkError as error:
        raise CompareError(f"--client-work: {error}") from None
    return client, (f"client work {work['cpu'] * 1e3:.3f} ms/request on {client_work.CLIENT_NODE} (send "
                    f"{work['send'] * 1e3:.3f} ms, receive {work['receive'] * 1e3:.3f} ms), out of the client's call")


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
            try:
                note += "; " + overlap_receipt.apply(config, fits, front, overlap_receipt.campaign_gaps(config, lowest))
            except overlap_receipt.OverlapError as error:
                raise CompareError(f"--overlap-receipt: {error}") from None
        if description.branch_overhead == "smallest" and config.kind == "collaborative":
            try:
                calls = front_work.smallest_branch_overhead([fits[m]["call"] for m in config.models])
            except front_work.FrontWorkError as error:
                raise CompareError(f"--branch-overhead smallest: {error}") from None
            for model, call in zip(config.models, calls):
                fits[model]["call"] = call
            note += "; every branch with the smallest branch callOverhead"
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
