# SPDX-License-Identifier: GPL-3.0-or-later
"""The steps of compare.py that turn a configuration's calibrations into the deployment its
options describe: each `with_*` changes the calibrated fits (or the front's or the client's
part) as one option says, from the lowest level's records, and returns its note for
predicted.yaml; a refusal of the records is a CompareError naming the option. What each
option models and why: description.py's `--help` texts, README.md and docs/validation.md."""
import os
import sys

import client_work
import decompose
import front_work
import loop_and_pool
import overlap_receipt
import slow_period_node
import wake_up
from calibration_runs import CompareError
from predicted_scenario import is_thread_pool
from testbed import wire


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


def with_slow_periods(config, model, fit, config_dir, levels):
    """--slow-periods: the model server's exogenous slow periods, fitted on its levels at
    u ≥ 0.3 pooled (slow_period_node.py: the node's `slowPeriods`, the service time divided by
    E[factor] through `serviceTimeScaling`; changes `fit`). The thread-pool server is processor
    sharing, where hybridsim refuses slowPeriods: it keeps its description. Returns the note of
    predicted.yaml."""
    if is_thread_pool(config):
        return f"no slow periods for {model} (processor sharing)"
    try:
        periods = slow_period_node.campaign_fit(config_dir, config.records_file(model), levels)
        slow_period_node.apply(fit, periods)
    except slow_period_node.SlowPeriodsError as error:
        raise CompareError(f"--slow-periods: {model}: {error}") from None
    return f"{model} " + slow_period_node.describe(periods)


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


def with_overlap_receipt(config, fits, front, lowest):
    """--overlap-receipt (pipelines, with --front-work): each model call's receipt as its
    server's busy gaps at the lowest level, overlapping the front's stage before the call
    (overlap_receipt.apply: changes `fits`). Returns the note of predicted.yaml."""
    try:
        return overlap_receipt.apply(config, fits, front, overlap_receipt.campaign_gaps(config, lowest))
    except overlap_receipt.OverlapError as error:
        raise CompareError(f"--overlap-receipt: {error}") from None


def with_smallest_branch_overhead(config, fits):
    """--branch-overhead smallest (fan-outs): every branch call with the calibrated
    callOverhead of smallest mean among the branches (front_work.smallest_branch_overhead;
    changes `fits`). Returns the note of predicted.yaml."""
    try:
        calls = front_work.smallest_branch_overhead([fits[m]["call"] for m in config.models])
    except front_work.FrontWorkError as error:
        raise CompareError(f"--branch-overhead smallest: {error}") from None
    for model, call in zip(config.models, calls):
        fits[model]["call"] = call
    return "every branch with the smallest branch callOverhead"
