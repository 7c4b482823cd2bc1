# SPDX-License-Identifier: GPL-3.0-or-later
"""The load generator's own CPU as work on the shared host (compare.py `--client-work`;
docs/validation.md, "The load generator's CPU on the shared host").

The testbed's client (campaign.py's process: one asyncio event loop, testbed/loadgen.py and
testbed/clients.py) runs on the same 2-vCPU host as the servers and spends CPU on every
request: it starts the request's task, writes the request (headers and the 98 KB body: the
kernel's loopback send is charged to the writer), reads the answer and records it. A client
node runs no work in hybridsim, so the calibrated overheads hold that CPU as delay: the entry
call's `callOverhead` (a single server) or the client's call to the front (a composite: its
link latency, `front["overhead_s"]`). This module puts it on a node of its own, `node-client`
(one FIFO worker: the generator's one event loop; on the host with `--shared-host`), as two
stages around the deployment — `client-send` before the first call, `client-receive` after the
last answer — and takes the same amount out of the overhead it was in, so that a lone request
pays the same (the smoke test checks it to the nanosecond: smoke_scenarios.check_client_work_scenario).

The split (an estimate, docs/validation.md names its assumptions): the client's CPU per
request at the lowest level (measurement.host_cpu.processes.client.cpu_ms_per_request) in two
equal halves, the send and the receipt. The records stamp when the client sent and got the
answer, not its CPU, so the halves are not measured; a message's cost is mostly per message
(docs/validation.md, "The front's message handling as work": the front's read of the 98 KB
request costs what each of its smaller messages does).

A fan-out has no place for the stages: its deployment starts and ends at the front (`from`,
`fuseAt`), and a collaborative deployment cannot be a pipeline's stage; the client's work stays
delay there (compare.py says so in the note). What hybridsim would need: work at the client
node itself (a `kind: client` node on a host, with a send and a receive job at its station).
"""
import decompose

CLIENT_NODE = "node-client"
CLIENT_SEND, CLIENT_RECEIVE = "client-send", "client-receive"   # the stages' model names


class ClientWorkError(Exception):
    pass


def client_cpu(level_dir):
    """The load generator's CPU per request at the level of level_dir, seconds
    (measurement.host_cpu.processes.client.cpu_ms_per_request). Refused when the accounting is
    missing or lost threads (threads_ended: their counts are gone)."""
    client = decompose.level_measurement(level_dir).get("host_cpu", {}).get("processes", {}).get("client")
    where = f"{level_dir}/summary.json"
    if not client:
        raise ClientWorkError(f"{where}: no measurement.host_cpu.processes.client (campaign.py's host accounting): "
                              "the client's CPU per request is unknown")
    if client.get("threads_ended"):
        raise ClientWorkError(f"{where}: {client['threads_ended']} of the client's threads ended inside the window: "
                              "its CPU per request is incomplete")
    cpu = client["cpu_ms_per_request"] / 1e3
    if not cpu > 0:
        raise ClientWorkError(f"{where}: the client's CPU per request is {cpu * 1e3} ms")
    return cpu


def split(cpu):
    """{"send", "receive", "cpu"} in seconds: the client's CPU per request in two equal halves."""
    return {"send": cpu / 2, "receive": cpu / 2, "cpu": cpu}


def apply(config, fits, front, work):
    """The client's work (split) as the stages client-send and client-receive: returns the
    `client` argument of predicted_scenario.scenario_text, and takes the work's whole amount
    out of the overhead it was in — a single server's entry call (fits[model]["call"],
    front_work.lowered_call_overhead) or a pipeline's client call to the front
    (front["overhead_s"]). A fan-out is refused (the module's docstring says why)."""
    import front_work
    if config.kind == "collaborative":
        raise ClientWorkError(f"{config.name}: a fan-out has no place for the client's stages")
    if config.kind == "single":
        model = config.models[0]
        if fits[model].get("loop_work_s"):
            raise ClientWorkError(f"{config.name}: --thread-pool-model loop-and-pool already makes the entry a "
                                  "pipeline of the loop's stages; the client's stages are not combined with it")
        try:
            fits[model]["call"] = front_work.lowered_call_overhead(fits[model]["call"], work["cpu"])
        except front_work.FrontWorkError as error:
            raise ClientWorkError(f"{config.name}: the entry call's overhead cannot give up the client's CPU: "
                                  f"{error}") from None
    else:
        left = front["overhead_s"] - work["cpu"]
        if left <= 0:
            raise ClientWorkError(f"{config.name}: the client's call to the front ({front['overhead_s'] * 1e3:.3f} ms) "
                                  f"is not more than the client's CPU per request ({work['cpu'] * 1e3:.3f} ms); hint: "
                                  "with --front-work the front's read of the request and write of the response have "
                                  "come out of it already, and both CPUs together exceed the measured overhead")
        front["overhead_s"] = left
    return {"send_s": work["send"], "receive_s": work["receive"]}


def models_lines(client, payload, answer_bytes):
    """The stages' `models:` lines: client-send passes the request on, client-receive the
    answer; each of constant service time."""
    return [f"  {CLIENT_SEND}: {{serviceTime: {client['send_s'] * 1e3:.6g}ms, output: {payload}B}}",
            f"  {CLIENT_RECEIVE}: {{serviceTime: {client['receive_s'] * 1e3:.6g}ms, output: {answer_bytes}B}}"]


def around(stage_lines):
    """A pipeline's stage lines (`    - {...}`) with client-send before and client-receive after
    (both on node-client, reached in-process: no `via`)."""
    return ([f"    - {{model: {CLIENT_SEND}, on: {CLIENT_NODE}}}"] + stage_lines +
            [f"    - {{model: {CLIENT_RECEIVE}, on: {CLIENT_NODE}}}"])
