# SPDX-License-Identifier: GPL-3.0-or-later
"""The thread-pool REST server as an event loop and a thread pool on one host (compare.py
`--thread-pool-model loop-and-pool`; docs/validation.md, "The thread-pool server as an event
loop and a pool").

rest-thread is uvicorn's one event loop (it reads each request's body and writes each
response, holding the GIL) and anyio's pool of threads running the handlers (ONNX Runtime
releases the GIL), all on the same cores. The default description puts the loop's work
inside the pool (`serverWork`). This one makes it a stage of its own: the request path is

    loop-read (node-loop, one FIFO worker) -> handler (the pool, processor sharing)
        -> loop-write (node-loop) -> client

with node-loop and the pool on one host of the measuring host's cores, so that the loop's
work and the handlers share them. The loop's work per request is measured on the calls that
had the server to themselves (thread_pool_diagnostics.isolated: no other call's
server_receive..response interval touched theirs) at the lowest level: the mean receipt
(handler_start − server_receive: the body's read and the hand-off to a pool thread) and the
mean response (response − handler_end: the hand-back and the response's write). The same
amount is taken out of the call's calibrated overhead (front_work.lowered_call_overhead), so
that what a lone request pays is unchanged.
"""
import statistics

import front_work
import thread_pool_diagnostics


class LoopWorkError(Exception):
    pass


LOOP_READ, LOOP_WRITE = "loop-read", "loop-write"   # the loop's stages (model names)
LOOP_NODE = "node-loop"


def loop_work(calls):
    """{"read", "write"} in seconds: the mean receipt and the mean response of the calls of
    `calls` (testbed records, ns) that had the server to themselves."""
    alone = thread_pool_diagnostics.isolated(calls)
    if not alone:
        raise LoopWorkError("no call had the server to itself: the loop's own work is unknown")
    read = statistics.fmean(c["handler_start_ns"] - c["server_receive_ns"] for c in alone) / 1e9
    write = statistics.fmean(c["response_ns"] - c["handler_end_ns"] for c in alone) / 1e9
    if read <= 0 or write <= 0:
        raise LoopWorkError(f"the isolated calls' mean receipt ({read * 1e3:.3f} ms) and response "
                            f"({write * 1e3:.3f} ms) must be positive")
    return {"read": read, "write": write, "calls": len(alone)}


def apply(fit, work):
    """The loop's work as its own stages: fit["loop_work_s"] = (read, write), and the call's
    callOverhead (fit["call"], calibrated with no serverWork: the whole overhead is in it)
    lowered by read + write."""
    if fit.get("server_work"):
        raise LoopWorkError(f"the call already has serverWork ({fit['server_work']}): the loop's work would be "
                            "counted twice")
    try:
        fit["call"] = front_work.lowered_call_overhead(fit["call"], work["read"] + work["write"])
    except front_work.FrontWorkError as error:
        raise LoopWorkError(f"the call's overhead cannot give up the loop's work: {error}") from None
    fit["loop_work_s"] = (work["read"], work["write"])


def models_lines(fit, model_line, payload):
    """The `models:` lines: loop-read (passes the request on), the model, loop-write (passes
    the model's output on), each loop stage of constant service time."""
    read, write = fit["loop_work_s"]
    return [f"  {LOOP_READ}: {{serviceTime: {read * 1e3:.6g}ms, output: {payload}B}}", model_line,
            f"  {LOOP_WRITE}: {{serviceTime: {write * 1e3:.6g}ms, output: {fit['response_bytes']}B}}"]


def deployment_lines(model, node, fit):
    """The pipeline loop-read -> model -> loop-write: the client's call (its protocol and the
    lowered callOverhead) reaches the loop; the hand-offs to the pool and back are in-process
    (no links: they take no time)."""
    return ["deployment:", "  kind: pipeline", "  stages:",
            f"    - {{model: {LOOP_READ}, on: {LOOP_NODE}, via: {fit['protocol']}, call: {fit['call']}}}",
            f"    - {{model: {model}, on: {node}}}",
            f"    - {{model: {LOOP_WRITE}, on: {LOOP_NODE}}}"]
