# SPDX-License-Identifier: GPL-3.0-or-later
"""compare.py's calibration of a campaign's records: `hybridsim calibrate` run on the combined
records of each model server (and of the front), with the choices compare.py makes about it —
how each server's serverWork is measured (server_work_estimator), which calls the overhead is
fitted on (overhead_calls), the fallback when calibrate refuses busy gaps or the records refuse
a serverWork from the CPU (calibrate_model_server) — and what a predicted scenario takes from
the result (calibrate: the serviceTime line, the wire sizes, the protocol keys). compare.py's
docstring says why each choice is made.
"""
import json
import os
import re
import subprocess
import sys

import overhead_scaling as overhead_scaling_module
import server_work
from predicted_scenario import is_thread_pool
from testbed import wire


class CompareError(Exception):
    def __init__(self, message, exit_code=None):
        super().__init__(message)
        self.exit_code = exit_code   # the failed command's exit status, if a command failed


def run(command, ok_codes=(0,)):
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode not in ok_codes:
        raise CompareError(f"{' '.join(command)} exited {done.returncode}:\n{done.stderr[-3000:]}", done.returncode)
    return done


def combined_records(paths, out, select=None):
    """The `ok` and failed rows of every existing file of `paths`, in order, written to `out`
    (one testbed records CSV for calibrate); with `select`, only select(rows of one file)."""
    rows = [row for path in paths if os.path.exists(path)
            for row in (select or (lambda r: r))(wire.read_records(path))]
    if not rows:
        raise CompareError(f"no records in {', '.join(paths)}")
    wire.write_record_rows(out, rows)
    return out


def calibrate(hybridsim, records, model, out, server_work=None, overhead_calls="all", overhead_level=None,
              overhead_family=None, overhead_scaling=False):
    """Runs `hybridsim calibrate` and returns what the scenario needs. calibrate's choice is
    kept unless its KS test rejects it (p < 0.05); then, as calibrate's reason advises, the
    samples themselves (`--family empirical`) are used. server_work: None, or the estimator
    of `--server-work-from` (`receipt`, `busy-gaps`) whose fit becomes the protocol's serverWork;
    overhead_calls and overhead_level: calibrate's `--overhead-calls` and `--overhead-level`
    (the offered_rps text of the level the overhead is fitted on; None: the lowest);
    overhead_family: calibrate's `--overhead-family` (None: its choice by AIC); with `empirical`
    the protocol keys' samples files are named by absolute path (scenario_text makes them
    relative to the scenario). overhead_scaling (compare.py --overhead-scaling): calibrate once more
    with the same options and `--overhead-load-dependence` (the fits are the same; its refusal,
    e.g. too few calls at a level, is a CompareError naming the option, never taken for a
    refusal of busy gaps), the result's "overhead_scaling" its dependence
    (overhead_scaling.read_dependence; None without the option)."""
    extra = (["--server-work-from", server_work] if server_work else []) + ["--overhead-calls", overhead_calls] + \
        (["--overhead-level", overhead_level] if overhead_level is not None else []) + \
        (["--overhead-family", overhead_family] if overhead_family else [])
    run([hybridsim, "calibrate", records, "--format", "testbed", "--model", model, "--out", out] + extra)
    with open(os.path.join(out, "calibration.json")) as f:
        calibration = json.load(f)
    chosen = calibration["service_time"]["chosen"]
    p_value = next((c["ks_p_value"] for c in calibration["service_time"]["candidates"]
                    if c["family"] == chosen), None)
    samples = None
    if p_value is not None and p_value < 0.05:
        run([hybridsim, "calibrate", records, "--format", "testbed", "--model", model,
             "--family", "empirical", "--out", out] + extra)
        samples = os.path.join(out, "service-samples.csv")
        with open(os.path.join(out, "calibration.json")) as f:
            calibration = json.load(f)
    with open(os.path.join(out, "fragment.yaml")) as f:
        fragment = f.read()
    match = re.search(r"^\s+serviceTime: (.+)$", fragment, re.M)
    scaling = re.search(r"^\s+serviceTimeScaling: (.+)$", fragment, re.M)
    if not match:
        raise CompareError(f"{out}/fragment.yaml: no serviceTime line")
    rows = [r for r in wire.read_records(records) if r["status"] == "ok"]
    request_bytes = round(sum(r["request_bytes"] for r in rows) / len(rows))
    response_bytes = round(sum(r["response_bytes"] for r in rows) / len(rows))
    overheads = [p for p in calibration.get("protocols") or []]
    if not overheads:
        raise CompareError(f"{out}/calibration.json: no protocol overhead")
    overhead = overheads[0]["mean_overhead_s"]
    name = overheads[0]["protocol"]
    with open(os.path.join(out, "fragment.yaml")) as f:
        keys = re.search(r"^  " + re.escape(name) + r": (\{callOverhead: .+\})$", f.read(), re.M)
    if not keys:
        raise CompareError(f"{out}/fragment.yaml: no `{name}: {{callOverhead: ...}}` line under protocols")
    dependence = None
    if overhead_scaling:
        try:
            run([hybridsim, "calibrate", records, "--format", "testbed", "--model", model, "--out", out]
                + (["--family", "empirical"] if samples else []) + extra + ["--overhead-load-dependence"])
        except CompareError as error:
            raise CompareError(f"--overhead-scaling: {model}: calibrate refused the overhead's load dependence:\n{error}") \
                from None
        dependence = overhead_scaling_module.read_dependence(out)
    return {"service": match.group(1).strip(), "samples": samples, "overhead_scaling": dependence,
            "scaling": scaling.group(1).strip() if scaling else None,
            "family": "empirical" if samples else chosen, "request_bytes": request_bytes,
            "response_bytes": response_bytes, "overhead_s": overhead,
            "protocol": name,
            "call": re.sub(r"file: ([^,}\s]+)", lambda m: "file: " + os.path.join(out, m.group(1)), keys.group(1))}


def calibrate_model_server(hybridsim, records, model, out, config, plain=False, receipt_only=False, cpu_at=None,
                           reserve=0.0, **overhead):
    """calibrate() of one model server with server_work_estimator's choice, recorded in the
    result as "server_work". calibrate refuses busy gaps (exit 2) when the records do not look
    like one executor doing its own work between handlers — e.g. on a busy host, where the
    gaps hold time the server did not get the CPU; then the earlier description
    (receipt_only) is used, and said so on standard error and in the note of predicted.yaml.
    cpu_at (`--server-work-from cpu`): the lowest level's folder, whose CPU per request minus
    mean handler time becomes a constant serverWork taken out of callOverhead (server_work.py;
    reserve: what --front-work will take out of the same callOverhead); when the records refuse
    it, the server is described as without it, said the same way.
    overhead: calibrate()'s overhead_calls and overhead_level."""
    estimator = server_work_estimator(config, plain, receipt_only, from_cpu=cpu_at is not None)
    if estimator == "cpu":
        fit = calibrate(hybridsim, records, model, out, **overhead)
        try:
            work = server_work.cpu_outside_handler(config, cpu_at, model)["work"]
            fit["call"] = server_work.with_server_work(fit["call"], work, reserve)
        except server_work.ServerWorkError as error:
            print(f"{config.name}: {model}: no serverWork from its CPU; described as without --server-work-from cpu:\n"
                  f"{error}", file=sys.stderr, flush=True)
            return calibrate_model_server(hybridsim, records, model, out, config, plain, receipt_only, **overhead)
        fit["server_work"] = f"cpu {work * 1e3:.3f} ms"
        return fit
    try:
        fit = calibrate(hybridsim, records, model, out, server_work=estimator, **overhead)
    except CompareError as error:
        if estimator != "busy-gaps" or error.exit_code != 2:
            raise
        estimator = server_work_estimator(config, receipt_only=True)
        print(f"{config.name}: {model}: calibrate refused busy gaps; serverWork from {estimator or 'nothing'} instead:\n"
              f"{error}", file=sys.stderr, flush=True)
        fit = calibrate(hybridsim, records, model, out, server_work=estimator, **overhead)
    fit["server_work"] = estimator
    return fit


def server_work_estimator(config, plain=False, receipt_only=False, from_cpu=False):
    """How a model server's serverWork is measured (docs/calibration.md), or None.

    One-executor servers (grpcio with `max_workers=1`, uvicorn running an `async def`
    handler: every model server but the thread-pool REST server's, testbed/servers.py):
    `busy-gaps`, the gap between handlers while the next call waited. The thread-pool REST
    server's handlers overlap, so busy gaps do not apply: `receipt`, handler_start −
    server_receive (the event loop reads the body while inference runs in other threads).
    receipt_only (`--server-work-from receipt`): the description before busy gaps — receipt
    for gRPC and the thread pool, none for the event-loop REST servers, where the receipt
    interval holds queueing (after the receipt the handler awaits the body while the loop runs
    other requests' inference). from_cpu (`--server-work-from cpu`): `cpu`, the process's CPU
    per request minus its mean handler time at the lowest level (server_work.py), for the
    one-executor servers; the thread pool keeps `receipt` (its handlers overlap, so their wall
    time is no work, and its pool threads end inside the window: threads_ended)."""
    if plain:
        return None
    if receipt_only:
        return "receipt" if config.protocol == "grpc" or is_thread_pool(config) else None
    if is_thread_pool(config):
        return "receipt"
    return "cpu" if from_cpu else "busy-gaps"


def overhead_calls(config, plain, sequential, choice):
    """Which calls calibrate fits a model server's protocol overhead on (`--overhead-calls`).
    `idle-found` (compare.py's default choice) for the one-executor servers (uvicorn `async
    def`, grpcio with one thread: every config but rest-thread, whose 40 pool threads are not
    one executor): their other calls' overhead holds the wait for the executor, which the
    simulated queue adds again (docs/calibration.md). `all` with --plain (the description
    before), for rest-thread, and on the sequential phase (one call at a time: none waited)."""
    if choice == "all" or plain or sequential or is_thread_pool(config):
        return "all"
    return "idle-found"


def level_offered_rps(path):
    """The offered_rps text of a level's records (the first row's: one level per file)."""
    rows = wire.read_records(path)
    if not rows:
        raise CompareError(f"{path}: no records")
    return rows[0]["offered_rps"]
