# SPDX-License-Identifier: GPL-3.0-or-later
"""The smoke test's checks of compare.py's description steps in hybridsim (smoke_test.py runs
them after the campaign): hand-made calibrations with constant times, described with and
without a step (the front's work, the overlapped receipts, the thread-pool server's loop
stages, the client's work, the wake-up, the overhead's load dependence, the slow periods), each run with one request at a time; what a step
moves must leave the latency unchanged to the nanosecond, or change it by exactly what the
step adds. Every failure raises SmokeFailure with a message naming the file."""
import json
import os
import re

import calibration_runs
from testbed.servers import CONFIGS as ALL_CONFIGS


class SmokeFailure(Exception):
    pass


def expect(condition, message):
    if not condition:
        raise SmokeFailure(message)


def one_at_a_time_mean(hybridsim, folder, name, text):
    """The mean latency (s) of predicted scenario `text` with its Poisson arrivals replaced by
    one request at a time (folder/trace.csv), run as folder/<name>.yaml into folder/<name>/."""
    text = re.sub(r"arrivals: \{process: poisson, rate: [^}]*\}", "arrivals: {process: trace, file: trace.csv}", text)
    scenario = os.path.join(folder, f"{name}.yaml")
    with open(scenario, "w") as f:
        f.write(text)
    done = calibration_runs.run([hybridsim, "run", scenario, "--out", os.path.join(folder, name)], ok_codes=(0, 1))
    expect(done.returncode == 0, f"{scenario}: hybridsim run exited {done.returncode}: {done.stderr[-2000:]}")
    with open(os.path.join(folder, name, "summary.json")) as f:
        return json.load(f)["latency_s"]["mean"]


def front_work_means(hybridsim, folder, config, call, pieces, prefix, services=None):
    """{name: mean latency} of `config`'s predicted scenario from a hand-made calibration
    (constant stages, 2 ms unless `services` gives a model's, each call `call`, the client's
    call 0.6 ms) run one request at a time, without the front's work (<prefix>without), with it
    (<prefix>with: front_work.apply of `pieces`) and with it on the shared host
    (<prefix>with-host). A fan-out's scenario must name its dispatchWork and sendWork exactly
    when it has the front's work."""
    import front_work
    import predicted_scenario
    means = {}
    for name, work, shared in (("without", False, False), ("with", True, False), ("with-host", True, True)):
        fits = {m: {"request_bytes": 98304, "service": (services or {}).get(m, "2ms"), "samples": None, "scaling": None,
                    "response_bytes": 15360, "protocol": "rest", "call": call} for m in config.models}
        front = {"overhead_s": 0.6e-3, "own_s": 0.01e-3}
        if work:
            front_work.apply(config, fits, front, pieces)
        text, _ = predicted_scenario.scenario_text(config, "0.10", fits, 20.0, "smoke", 200, folder, front, cores=2,
                                                   shared_host=shared)
        if config.kind == "collaborative":
            expect(work == ("dispatchWork:" in text) == ("sendWork:" in text) == ("readWork:" in text),
                   f"{folder}/{prefix}{name}.yaml: dispatchWork, sendWork or readWork missing or unexpected")
        means[prefix + name] = one_at_a_time_mean(hybridsim, folder, prefix + name, text)
    return means


def check_front_work_scenario(hybridsim, out):
    """compare.py --front-work on a hand-made pipeline-rest calibration (constant times):
    hybridsim runs the front's stages (alone and on the shared host), and with one request at a
    time (a trace arrival every 50 ms) the latency is that of the description without them to
    the nanosecond: what moves onto the front is what leaves the overheads. The same for a
    fan-out (collab-rest, its messages one at a time) whose first call is the critical one;
    when the second call is critical, one message more: the first call's write, before it."""
    import front_work
    config = ALL_CONFIGS["pipeline-rest"]
    call = "{callOverhead: 1ms, requestOverhead: 0B, responseOverhead: 0B, payloadInflation: 1, codecThroughput: unlimited}"
    pieces = front_work.split_cpu(0.7e-3, 0.1e-3, 0.002e-3, 0.006e-3, 0.002e-3, 5, "smoke")
    folder = os.path.join(out, "front-work")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "trace.csv"), "w") as f:
        f.write("ms\n50\n")
    means = front_work_means(hybridsim, folder, config, call, pieces, "")
    for name in ("with", "with-host"):
        expect(abs(means[name] - means["without"]) < 20e-9,
               f"{folder}/{name}.yaml: mean latency {means[name]} s, without the front's work {means['without']} s")
    # A fan-out (collab-rest), one message at a time: its dispatchWork, sendWork, readWork and
    # fusion.work run, alone and on the shared host. One request at a time, with the first
    # call's model slower (3 ms against 2 ms) the critical path holds the dispatch, the first
    # call's write, its answer's read and the fusion — exactly what leaves the client's link and
    # that call's overhead: the latency is unchanged. With equal models the second call is
    # critical and leaves after the first call's write as well: one message more
    # (front_work.fanout_work; docs/validation.md, "A fan-out's messages one at a time").
    fan_out = ALL_CONFIGS["collab-rest"]
    for prefix, services, extra in (("fan-", {fan_out.models[0]: "3ms"}, 0.0), ("fan-even-", None, pieces["message"])):
        means = front_work_means(hybridsim, folder, fan_out, call, pieces, prefix, services)
        for name in ("with", "with-host"):
            expect(abs(means[prefix + name] - means[prefix + "without"] - extra) < 20e-9,
                   f"{folder}/{prefix}{name}.yaml: mean latency {means[prefix + name]} s, without the front's work "
                   f"{means[prefix + 'without']} s (expected + {extra} s)")


def check_overlap_receipt_scenario(hybridsim, out):
    """compare.py --overlap-receipt on check_front_work_scenario's hand-made pipeline-rest
    calibration (constant times, each call with a 0.1 ms serverWork in series): with every
    model call's receipt a 0.3 ms job overlapping the front's stage before it (serverWorkStarts:
    withSend, the callOverhead shifted by overlap_receipt.overlapped_call), hybridsim runs it
    alone and on the shared host, and one request at a time the latency is that of the series
    description to the nanosecond: max(S, W' + R) = W' + R = S + W + R₀."""
    import front_work
    import overlap_receipt
    import predicted_scenario
    config = ALL_CONFIGS["pipeline-rest"]
    call = "{callOverhead: 1ms, requestOverhead: 0B, responseOverhead: 0B, payloadInflation: 1, codecThroughput: unlimited, " \
        "serverWork: 100us}"
    pieces = front_work.split_cpu(0.7e-3, 0.1e-3, 0.002e-3, 0.006e-3, 0.002e-3, 5, "smoke")
    folder = os.path.join(out, "overlap-receipt")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "trace.csv"), "w") as f:
        f.write("ms\n50\n")
    means = {}
    for name, overlap, shared in (("series", False, False), ("overlap", True, False), ("overlap-host", True, True)):
        fits = {m: {"request_bytes": 98304, "service": "2ms", "samples": None, "scaling": None,
                    "response_bytes": 15360, "protocol": "rest", "call": call} for m in config.models}
        front = {"overhead_s": 0.6e-3, "own_s": 0.01e-3}
        front_work.apply(config, fits, front, pieces)
        if overlap:
            overlap_receipt.apply(config, fits, front, {m: {"mean": 0.3e-3, "cv": 0.0} for m in config.models})
        text, _ = predicted_scenario.scenario_text(config, "0.10", fits, 20.0, "smoke", 200, folder, front, cores=2,
                                                   shared_host=shared)
        expect(overlap == ("serverWorkStarts: withSend" in text), f"{folder}/{name}.yaml: serverWorkStarts missing or unexpected")
        means[name] = one_at_a_time_mean(hybridsim, folder, name, text)
    for name in ("overlap", "overlap-host"):
        expect(abs(means[name] - means["series"]) < 20e-9,
               f"{folder}/{name}.yaml: mean latency {means[name]} s, the series description's {means['series']} s")


def check_loop_and_pool_scenario(hybridsim, out):
    """compare.py --thread-pool-model loop-and-pool on a hand-made rest-thread calibration
    (constant times): hybridsim runs the loop's stages beside the pool on the shared host, and
    with one request at a time (a trace arrival every 50 ms) the latency is that of the
    description without them to the nanosecond: what moves onto the loop leaves the overhead."""
    import loop_and_pool
    import predicted_scenario
    config = ALL_CONFIGS["rest-thread"]
    folder = os.path.join(out, "loop-and-pool")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "trace.csv"), "w") as f:
        f.write("ms\n50\n")
    means = {}
    for name, loop in (("without", False), ("with", True)):
        fit = {"request_bytes": 98304, "service": "3.5ms", "samples": None, "scaling": None, "response_bytes": 15360,
               "protocol": "rest", "server_work": None, "call": "{callOverhead: 0.6ms, requestOverhead: 0B, "
               "responseOverhead: 0B, payloadInflation: 1, codecThroughput: unlimited}"}
        if loop:
            loop_and_pool.apply(fit, {"read": 0.2e-3, "write": 0.15e-3})
        text, _ = predicted_scenario.scenario_text(config, "0.10", {"model-a": fit}, 20.0, "smoke", 200, folder, cores=2)
        means[name] = one_at_a_time_mean(hybridsim, folder, name, text)
    expect(abs(means["with"] - means["without"]) < 20e-9,
           f"{folder}/with.yaml: mean latency {means['with']} s, without the loop's stages {means['without']} s")


def check_client_work_scenario(hybridsim, out):
    """compare.py --client-work on hand-made calibrations (constant times) of a single server
    (rest-async) and a pipeline (pipeline-rest, with and without the front's stages): hybridsim
    runs the client's stages (alone and on the shared host), and with one request at a time (a
    trace arrival every 50 ms) the latency is that of the description without them to the
    nanosecond: what moves onto node-client is what leaves the client's call."""
    import client_work
    import front_work
    import predicted_scenario
    call = "{callOverhead: 1ms, requestOverhead: 0B, responseOverhead: 0B, payloadInflation: 1, codecThroughput: unlimited}"
    work = client_work.split(0.3e-3)
    folder = os.path.join(out, "client-work")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "trace.csv"), "w") as f:
        f.write("ms\n50\n")
    for config_name, front_stages in (("rest-async", False), ("pipeline-rest", False), ("pipeline-rest", True)):
        config = ALL_CONFIGS[config_name]
        prefix = config_name + ("-front-work" if front_stages else "")
        means = {}
        for name, with_client, shared in (("without", False, False), ("with", True, False), ("with-host", True, True)):
            fits = {m: {"request_bytes": 98304, "service": "2ms", "samples": None, "scaling": None,
                        "response_bytes": 15360, "protocol": "rest", "call": call} for m in config.models}
            front = None if config.kind == "single" else {"overhead_s": 0.6e-3, "own_s": 0.01e-3}
            if front_stages:
                front_work.apply(config, fits, front, front_work.split_cpu(0.7e-3, 0.1e-3, 0.002e-3, 0.006e-3,
                                                                           0.002e-3, 5, "smoke"))
            client = client_work.apply(config, fits, front, work) if with_client else None
            text, _ = predicted_scenario.scenario_text(config, "0.10", fits, 20.0, "smoke", 200, folder, front, cores=2,
                                                       shared_host=shared, client=client)
            expect(with_client == ("client-send" in text), f"{folder}/{prefix}-{name}.yaml: client stages missing or unexpected")
            means[name] = one_at_a_time_mean(hybridsim, folder, f"{prefix}-{name}", text)
        for name in ("with", "with-host"):
            expect(abs(means[name] - means["without"]) < 20e-9,
                   f"{folder}/{prefix}-{name}.yaml: mean latency {means[name]} s, without the client's work "
                   f"{means['without']} s")


def check_wake_up_scenario(hybridsim, out):
    """compare.py --wake-up on a hand-made grpc calibration (constant times): hybridsim accepts
    the node's `wakeUp` that scenario_text writes, and one request 50 ms into the run (its
    worker idle beyond the last point) pays the last point's extra, 0.4 ms, less the 0.2 ms
    mean extra taken out of its callOverhead: 0.2 ms more than without, to the nanosecond."""
    import predicted_scenario
    import wake_up
    folder = os.path.join(out, "wake-up")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "trace.csv"), "w") as f:
        f.write("ms\n50\n")
    config = ALL_CONFIGS["grpc"]
    means = {}
    for name, with_wake_up in (("without", False), ("with", True)):
        fit = {"request_bytes": 98304, "service": "2ms", "samples": None, "scaling": None, "response_bytes": 40,
               "protocol": "grpc", "call": "{callOverhead: 1ms, requestOverhead: 0B, responseOverhead: 0B, "
                                           "payloadInflation: 1, codecThroughput: unlimited}"}
        if with_wake_up:
            wake_up.apply(fit, {"points": [(1e-3, 0.0), (20e-3, 0.4e-3)], "mean_extra_s": 0.2e-3})
        text, _ = predicted_scenario.scenario_text(config, "0.10", {"model-a": fit}, 20.0, "smoke", 200, folder)
        expect(with_wake_up == ("wakeUp:" in text), f"{folder}/{name}.yaml: wakeUp missing or unexpected")
        means[name] = one_at_a_time_mean(hybridsim, folder, name, text)
    expect(abs(means["with"] - means["without"] - 0.2e-3) < 20e-9,
           f"{folder}/with.yaml: mean latency {means['with']} s, without the wake-up {means['without']} s (expected +0.2 ms)")


def check_overhead_scaling_scenario(hybridsim, out):
    """compare.py --overhead-scaling on a hand-made grpc calibration (constant times): hybridsim
    accepts the call's `callOverheadScaling` that overhead_scaling.py writes, and one request
    (the trace's 1 request in 50 ms: 20/s, so the node's ρ = 20/s · 2 ms = 0.04) gets f(0.04) =
    1.5 through (0.02, 1) and (0.06, 2): its 1 ms callOverhead costs 0.5 ms more, to the nanosecond."""
    import overhead_scaling
    import predicted_scenario
    folder = os.path.join(out, "overhead-scaling")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "trace.csv"), "w") as f:
        f.write("ms\n50\n")
    call = "{callOverhead: 1ms, requestOverhead: 0B, responseOverhead: 0B, payloadInflation: 1, codecThroughput: unlimited}"
    means = {}
    for name, scaled in (("without", False), ("with", True)):
        key = overhead_scaling.scaling_key([(0.02, 1.0), (0.06, 2.0)])
        fit = {"request_bytes": 98304, "service": "2ms", "samples": None, "scaling": None, "response_bytes": 40,
               "protocol": "grpc", "call": overhead_scaling.with_scaling(call, key) if scaled else call}
        text, _ = predicted_scenario.scenario_text(ALL_CONFIGS["grpc"], "0.10", {"model-a": fit}, 20.0, "smoke", 200, folder)
        expect(scaled == ("callOverheadScaling:" in text), f"{folder}/{name}.yaml: callOverheadScaling missing or unexpected")
        means[name] = one_at_a_time_mean(hybridsim, folder, name, text)
    expect(abs(means["with"] - means["without"] - 0.5e-3) < 20e-9,
           f"{folder}/with.yaml: mean latency {means['with']} s, without the scaling {means['without']} s (expected +0.5 ms)")


def check_slow_periods_scenario(hybridsim, out):
    """compare.py --slow-periods on a hand-made grpc calibration (constant times): hybridsim
    accepts the node's `slowPeriods` that slow_period_node.py writes. One request every 50 ms
    (each of the 5 replications' 220 requests: 11 s) on a node slow for a mean 10⁶ s at a time
    and fast for 1 ms: it starts slow with probability 1 − 1e-9 and stays slow for the 5 runs
    with probability exp(−55 s / 10⁶ s) (seed 1 fixed: the same path every run), so every 2 ms
    service takes F = 1.5 times its drawn time: + 1 ms a request without the deflation; with
    the service divided by E[factor] = 1.5 − 5e-10 (written 0.666667): 2 ms · 1.5 · 0.666667,
    + 1 ns."""
    import predicted_scenario
    import slow_period_node
    folder = os.path.join(out, "slow-periods")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "trace.csv"), "w") as f:
        f.write("ms\n50\n")
    periods = {"factor": 1.5, "slow_ms": 1e9, "fast_ms": 1.0, "windows": 10, "slow_windows": 9, "levels": 1}
    means = {}
    for name in ("without", "slowed", "deflated"):
        fit = {"request_bytes": 98304, "service": "2ms", "samples": None, "scaling": None, "response_bytes": 40,
               "protocol": "grpc", "call": "{callOverhead: 1ms, requestOverhead: 0B, responseOverhead: 0B, "
                                           "payloadInflation: 1, codecThroughput: unlimited}"}
        if name == "slowed":
            fit["slow_periods"] = slow_period_node.slow_periods_key(periods)
        elif name == "deflated":
            slow_period_node.apply(fit, periods)
        text, _ = predicted_scenario.scenario_text(ALL_CONFIGS["grpc"], "0.10", {"model-a": fit}, 20.0, "smoke", 200, folder)
        expect((name != "without") == ("slowPeriods:" in text), f"{folder}/{name}.yaml: slowPeriods missing or unexpected")
        means[name] = one_at_a_time_mean(hybridsim, folder, name, text)
    expect(abs(means["slowed"] - means["without"] - 1e-3) < 20e-9,
           f"{folder}/slowed.yaml: mean latency {means['slowed']} s, without {means['without']} s (expected +1 ms)")
    expect(abs(means["deflated"] - means["without"]) < 20e-9,
           f"{folder}/deflated.yaml: mean latency {means['deflated']} s, without {means['without']} s (expected the same)")
