# SPDX-License-Identifier: GPL-3.0-or-later
"""A model server's message handling as work, from its measured CPU (compare.py
`--server-work-from cpu`; docs/validation.md, "The model servers' message handling as work").

A one-executor model server (uvicorn `async def`, grpcio with one thread) spends CPU per call
outside its handler: reading the request, writing the answer, the event loop or grpc poller.
The records stamp the handler, not the CPU, but the campaign's host accounting gives the
process's CPU per request over the level's window (`measurement.host_cpu.processes.<model>
.cpu_ms_per_request`). Its excess over the mean handler time at the lowest level is taken as
that work: a constant `serverWork` on the server's worker, taken out of the call's
`callOverhead` (front_work.lowered_call_overhead) so that it is counted once and the lowest
level's latency stays what was calibrated.

Assumptions (docs/validation.md names them with their sizes): the handler's wall time is its
CPU (ONNX Runtime runs one thread; what the handler waited for a core is counted as handler,
so the excess is a lower bound of the work outside it); everything else the process used in
the window is per call (a time-proportional part — idle polling, timers — is spread over the
level's calls, so at a low rate the excess is an upper bound of the per-call work); the work
is the same for every call (a constant: the records give its mean only).
"""
import os
import re
import statistics

import decompose
from front_work import lowered_call_overhead, FrontWorkError
from testbed import wire


class ServerWorkError(Exception):
    pass


def records_path(config, level_dir, model):
    """A model server's records at a level: records.csv (single) or records-<model>.csv."""
    return os.path.join(level_dir, config.records_file(model))


def mean_handler_s(path):
    """The mean handler time (handler_end − handler_start) of the `ok` calls of a records file,
    in seconds."""
    rows = [r for r in wire.read_records(path) if r["status"] == "ok"]
    if not rows:
        raise ServerWorkError(f"{path}: no `ok` call: no handler time")
    return statistics.fmean(r["handler_end_ns"] - r["handler_start_ns"] for r in rows) / 1e9


def process_cpu_s(level_dir, model):
    """The model server's CPU per request over the level's window, in seconds
    (measurement.host_cpu.processes.<model>.cpu_ms_per_request). Refused when the accounting is
    missing or lost threads (threads_ended > 0: their CPU left with them)."""
    where = os.path.join(level_dir, "summary.json")
    process = decompose.level_measurement(level_dir).get("host_cpu", {}).get("processes", {}).get(model)
    if not process:
        raise ServerWorkError(f"{where}: no measurement.host_cpu.processes.{model} (campaign.py's host "
                              "accounting): the server's CPU per request is unknown")
    if process.get("threads_ended"):
        raise ServerWorkError(f"{where}: measurement.host_cpu.processes.{model}.threads_ended = "
                              f"{process['threads_ended']}: threads ended inside the window and took their CPU "
                              "with them, so its CPU per request is too low")
    return process["cpu_ms_per_request"] / 1e3


def cpu_outside_handler(config, level_dir, model):
    """{"cpu", "handler", "work"} in seconds: the model server's CPU per request, its mean
    handler time and their difference, the work outside the handler, at the level of
    level_dir. A difference that is not positive is refused."""
    cpu = process_cpu_s(level_dir, model)
    handler = mean_handler_s(records_path(config, level_dir, model))
    if cpu <= handler:
        raise ServerWorkError(f"{os.path.join(level_dir, 'summary.json')}: {model}'s CPU per request "
                              f"({cpu * 1e3:.3f} ms) is not more than its mean handler time ({handler * 1e3:.3f} ms): "
                              "no work outside the handler to describe (the handler's wall time holds waits for a core)")
    return {"cpu": cpu, "handler": handler, "work": cpu - handler}


def with_server_work(call, work, reserve=0.0):
    """A placement's `call:` text with `serverWork: <work>` (a constant, seconds) and its
    callOverhead lowered by the same amount. reserve (seconds): what will be taken out of the
    same callOverhead later (compare.py --front-work: the front's write of the call and read of
    its answer); the overhead must hold work + reserve, else the call is refused. A call that
    already has a serverWork is refused (the work would be counted twice)."""
    if "serverWork" in call:
        raise ServerWorkError(f"{call}: already has a serverWork; the CPU's work would be counted twice")
    try:
        lowered_call_overhead(call, work + reserve)   # refuses an overhead that cannot hold both
        lowered = lowered_call_overhead(call, work)
    except FrontWorkError as error:
        detail = f" (of which {reserve * 1e3:.3f} ms the front's)" if reserve else ""
        raise ServerWorkError(f"serverWork {work * 1e3:.3f} ms{detail}: {error}") from None
    if not re.search(r"\}$", lowered):
        raise ServerWorkError(f"{call}: not a `{{...}}` call setting")
    return lowered[:-1] + f", serverWork: {work * 1e6:.6g}us}}"
