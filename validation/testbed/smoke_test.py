#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Smoke test of the validation testbed (run by scripts/test.sh through smoke.sh).

Starts the REST (event-loop) server, the REST pipeline (front + two stages) and the
collaborative gRPC deployment (front + two model servers), with an emulated 2 ms client link,
sends a few hundred requests at low load, and checks what came out: the records (testbed
header, one ok row per measured request, times in order, at least the link's round trip
outside the handler), the front's calls to each model, the measured summary.json (with its CPU
accounting, testbed/hostcpu.py), campaign.json's host-limited levels,
`hybridsim calibrate` on the records, the comparison (`hybridsim check` of the calibrated
prediction against the measurement, and `hybridsim report` of both), replay.py's figures, and the
pipeline's front stages of compare.py --front-work (check_front_work_scenario), its receipts
overlapping the front's sends of --overlap-receipt (check_overlap_receipt_scenario), the thread-pool
server's loop stages of --thread-pool-model loop-and-pool (check_loop_and_pool_scenario), the
client's stages of --client-work (check_client_work_scenario), the node's wakeUp of --wake-up
(check_wake_up_scenario), the call's callOverheadScaling of --overhead-scaling
(check_overhead_scaling_scenario), and combine_campaigns.py on two
copies of the campaign (check_combined). It is not a measurement:
it runs with --force-busy (CI measures right after building) and asserts no accuracy.
Every failure raises with a message naming the file; nothing is skipped.
  .venv/bin/python smoke_test.py HYBRIDSIM_BINARY [WORK_DIR]
"""
import csv
import json
import os
import re
import shutil
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import campaign                 # noqa: E402
import calibration_runs         # noqa: E402
import replay                   # noqa: E402
from testbed import wire        # noqa: E402
from testbed.servers import CONFIGS as ALL_CONFIGS   # noqa: E402

CONFIGS = ["rest-async", "pipeline-rest", "collab-grpc"]
REQUESTS, WARMUP, LOW_LOAD_REQUESTS = 150, 20, 20
ENTRY_DELAY_MS = 2   # emulated one-way delay of the client's link: every answer >= 2 x 2 ms late


class SmokeFailure(Exception):
    pass


def expect(condition, message):
    if not condition:
        raise SmokeFailure(message)


def check_records(path, config, count, least_overhead_ns=0, offered=None):
    expect(os.path.exists(path), f"{path}: not written")
    with open(path, newline="") as f:
        header = next(csv.reader(f))
    expect(header[:len(wire.RECORD_COLUMNS)] == wire.RECORD_COLUMNS,
           f"{path}: header {header} is not the testbed format {wire.RECORD_COLUMNS}")
    rows = wire.read_records(path)
    expect(len(rows) == count, f"{path}: {len(rows)} rows, expected {count}")
    for row in rows:
        expect(row["status"] == "ok", f"{path}: request {row['request_id']} ended {row['status']}")
        expect(row["config"].split("/")[0] == config, f"{path}: config {row['config']}, expected {config}")
        expect(row["send_ns"] <= row["handler_start_ns"] <= row["handler_end_ns"] <= row["response_ns"],
               f"{path}: request {row['request_id']}: times out of order (send <= start <= end <= response)")
        expect(row["request_bytes"] > 0 and row["response_bytes"] > 0, f"{path}: zero bytes in {row['request_id']}")
        expect(offered is None or float(row["offered_rps"]) == offered,
               f"{path}: request {row['request_id']}: offered_rps {row['offered_rps']}, expected {offered}")
        overhead = (row["response_ns"] - row["send_ns"]) - (row["handler_end_ns"] - row["handler_start_ns"])
        expect(overhead >= least_overhead_ns, f"{path}: request {row['request_id']}: {overhead} ns outside the "
               f"handler, less than the emulated link's round trip of {least_overhead_ns} ns")


def check_host_cpu(measurement, config, where):
    """The level's CPU accounting (testbed/hostcpu.py): every process of the configuration
    with a CPU time per request, host figures that are fractions, and the host-limit verdict."""
    usage = measurement.get("host_cpu")
    expect(usage is not None, f"{where}: no measurement.host_cpu")
    expected = set(models(config)) | {"client"} | ({"front"} if config != "rest-async" else set())
    expect(set(usage["processes"]) == expected, f"{where}: host_cpu.processes {sorted(usage['processes'])}, "
           f"expected {sorted(expected)}")
    for name, figures in usage["processes"].items():
        expect(figures["cpu_ms_per_request"] > 0 and figures["runqueue_wait_ms_per_request"] >= 0,
               f"{where}: host_cpu.processes.{name}: {figures}")
    expect(0 < usage["host"]["utilization"] <= 1.05 and 0 <= usage["host"]["steal"] <= 1,
           f"{where}: host_cpu.host {usage['host']} is not a fraction of the host's CPUs")
    expect(usage["requests"] == REQUESTS, f"{where}: host_cpu.requests {usage['requests']}, expected {REQUESTS}")
    expect(isinstance(measurement.get("host_limit", {}).get("host_limited"), bool), f"{where}: no host_limit verdict")


def check_replay(out):
    """replay.py on the campaign: one row per variant for every one-executor server (all of
    this smoke test's servers are), each with percentiles in order; a server left out only
    when none of its requests found it idle (a saturated busy machine: nothing to replay from)."""
    path = os.path.join(out, "replay.csv")
    expect(replay.main([out, "--paths", "3", "--csv", path]) == 0, "replay.py failed")
    with open(path) as f:
        rows = list(csv.DictReader(f))
    replayed = {(r["config"], r["model"]) for r in rows}
    for config in CONFIGS:
        for model, name in replay.servers(ALL_CONFIGS[config]):
            records = wire.read_records(os.path.join(out, config, "u0.30", name))
            if (config, model) not in replayed:
                expect(not replay.idle_waits(records), f"{path}: {config}/{model} not replayed, though "
                       f"some of its requests found it idle")
                continue
            # the measurement and every variant; no `scheduled` for a front's calls (no schedule)
            mine = [r for r in rows if (r["config"], r["model"]) == (config, model)]
            want = 1 + len(replay.VARIANTS) - (config != "rest-async")
            expect(len(mine) == want, f"{path}: {config}/{model}: {len(mine)} rows, expected {want}")
    for row in rows:
        p50, p95, p99 = (float(row[k]) for k in ("p50_s", "p95_s", "p99_s"))
        expect(0 <= p50 <= p95 <= p99, f"{path}: {row['config']}/{row['model']} {row['variant']}: "
               f"percentiles {p50}, {p95}, {p99} out of order")


def models(config):
    from testbed.servers import CONFIGS as ALL
    return ALL[config].models


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


def check_combined(hybridsim, out):
    """combine_campaigns.py on two copies of the campaign (rest-async): one cell per latency
    statistic with both campaigns, no spread, and the combined verdict the campaign's own
    (same seed, same predictions)."""
    import combine_campaigns
    work = out + "-combined"   # beside the campaign: a copy inside it would copy itself
    try:
        check_combined_in(hybridsim, out, work, combine_campaigns)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def check_combined_in(hybridsim, out, work, combine_campaigns):
    copies = [shutil.copytree(out, os.path.join(work, name)) for name in ("a", "b")]
    status = combine_campaigns.main([*copies, "--out", os.path.join(work, "out"), "--configs", "rest-async",
                                     "--hybridsim", hybridsim, "--prediction-requests", "2000", "--overhead-calls", "all"])
    expect(status == 0, f"combine_campaigns.py exited {status}")
    with open(os.path.join(out, "comparison.csv")) as f:
        own = {row["metric"]: row["verdict"] for row in csv.DictReader(f)
               if row["config"] == "rest-async" and row["metric"].startswith("latency_s.")}
    path = os.path.join(work, "out", "combined.csv")
    with open(path) as f:
        rows = list(csv.DictReader(f))
    expect(len(rows) == 2 * len(own), f"{path}: {len(rows)} rows, expected {2 * len(own)}")
    for row in rows:
        expect(row["campaigns"] == "A+B" and float(row["spread"]) == 0.0,
               f"{path}: {row['metric']}: campaigns {row['campaigns']}, spread {row['spread']} (identical copies)")
        expect(row["combined_verdict"] == own[row["metric"]],
               f"{path}: {row['metric']}: combined {row['combined_verdict']}, the campaign's own {own[row['metric']]}")


def main():
    if len(sys.argv) < 2:
        raise SystemExit("usage: smoke_test.py HYBRIDSIM_BINARY [WORK_DIR]")
    hybridsim = os.path.abspath(sys.argv[1])
    expect(os.access(hybridsim, os.X_OK), f"{hybridsim}: no hybridsim binary (build first)")
    out = sys.argv[2] if len(sys.argv) > 2 else tempfile.mkdtemp(prefix="testbed-smoke-")
    started = time.monotonic()
    status = campaign.main(["--out", out, "--configs", ",".join(CONFIGS), "--utilizations", "0.3",
                            "--requests", str(REQUESTS), "--warmup", str(WARMUP), "--low-load-requests", str(LOW_LOAD_REQUESTS),
                            "--force-busy", "--link-delay", f"entry={ENTRY_DELAY_MS}", "--hybridsim", hybridsim, "--prediction-requests", "2000",
                            # 150 calls at u = 0.3 leave about 100 that found the server idle, the
                            # least calibrate takes for an idle-found overhead: all calls here.
                            "--overhead-calls", "all"])
    expect(status == 0, f"campaign.py (with the comparison) exited {status}")
    for config in CONFIGS:
        # the sequential low-load phase's records (offered_rps 0), with the entry link's delay
        check_records(os.path.join(out, config, "records-lowload.csv"), config, LOW_LOAD_REQUESTS,
                      2 * ENTRY_DELAY_MS * 1_000_000, offered=0)
        if config != "rest-async":
            for model in models(config):
                check_records(os.path.join(out, config, f"records-lowload-{model}.csv"), config, LOW_LOAD_REQUESTS, offered=0)
        level = os.path.join(out, config, "u0.30")
        check_records(os.path.join(level, "records.csv"), config, REQUESTS, 2 * ENTRY_DELAY_MS * 1_000_000)
        if config != "rest-async":
            for model in models(config):
                check_records(os.path.join(level, f"records-{model}.csv"), config, REQUESTS)
        with open(os.path.join(level, "summary.json")) as f:
            summary = json.load(f)
        expect(summary.get("measured") is True, f"{level}/summary.json: not marked measured")
        expect(summary["requests"]["completed"] == REQUESTS, f"{level}/summary.json: completed "
               f"{summary['requests']['completed']}, expected {REQUESTS}")
        lat = summary["latency_s"]
        expect(0 < lat["p50"] <= lat["p95"] <= lat["p99"] <= lat["max"], f"{level}/summary.json: percentiles out of order")
        for key in ("loadavg_before", "loadavg_after"):
            expect("1min" in summary["measurement"][key], f"{level}/summary.json: no measurement.{key}")
        check_host_cpu(summary["measurement"], config, f"{level}/summary.json")
        for model in models(config) + (("front",) if config != "rest-async" else ()):
            calibration = os.path.join(out, config, f"calibration-{model}", "calibration.json")
            expect(os.path.exists(calibration), f"{calibration}: hybridsim calibrate wrote nothing")
        for name in ("predicted.yaml", "check.xml", "check.txt", "predicted/summary.json", "report.html"):
            expect(os.path.exists(os.path.join(level, name)), f"{level}/{name}: the comparison did not write it")
        with open(os.path.join(level, "report.html")) as f:
            report = f.read()
        expect(f"testbed-{config}-u0.30" in report and f"predicted-{config}-u0.30" in report,
               f"{level}/report.html: does not show measurement and prediction side by side")
    with open(os.path.join(out, "campaign.json")) as f:
        limited = json.load(f).get("host_limited_levels")
    expect(isinstance(limited, dict) and set(limited) == set(CONFIGS), f"{out}/campaign.json: host_limited_levels {limited}")
    with open(os.path.join(out, "comparison.csv")) as f:
        table = list(csv.DictReader(f))
    expect(all(0 < float(row["host_cpu_utilization"]) for row in table),
           f"{out}/comparison.csv: a row without the host's CPU utilisation")
    expect(os.path.exists(os.path.join(out, "comparison.md")), f"{out}/comparison.md: not written")
    check_replay(out)
    check_front_work_scenario(hybridsim, out)
    check_overlap_receipt_scenario(hybridsim, out)
    check_loop_and_pool_scenario(hybridsim, out)
    check_client_work_scenario(hybridsim, out)
    check_wake_up_scenario(hybridsim, out)
    check_overhead_scaling_scenario(hybridsim, out)
    check_combined(hybridsim, out)
    expect(len(table) >= len(CONFIGS) * 5, f"{out}/comparison.csv: {len(table)} rows")
    expect(all(row["predicted"] not in ("", "None") for row in table), f"{out}/comparison.csv: a metric was not predicted")
    print(f"testbed smoke test passed in {time.monotonic() - started:.0f} s ({out})")


if __name__ == "__main__":
    try:
        main()
    except SmokeFailure as failure:
        print(f"testbed smoke test FAILED: {failure}", file=sys.stderr)
        sys.exit(1)
