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
prediction against the measurement, and `hybridsim report` of both), replay.py's figures,
compare.py's description steps in hybridsim (smoke_scenarios.py: the pipeline's front stages of
--front-work, its receipts overlapping the front's sends of --overlap-receipt, the thread-pool
server's loop stages of --thread-pool-model loop-and-pool, the client's stages of --client-work,
the node's wakeUp of --wake-up, the call's callOverheadScaling of --overhead-scaling), and
combine_campaigns.py on two copies of the campaign (check_combined). It is not a measurement:
it runs with --force-busy (CI measures right after building) and asserts no accuracy.
Every failure raises with a message naming the file; nothing is skipped.
  .venv/bin/python smoke_test.py HYBRIDSIM_BINARY [WORK_DIR]
"""
import csv
import json
import os
import shutil
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import campaign                 # noqa: E402
import replay                   # noqa: E402
from smoke_scenarios import (SmokeFailure, check_client_work_scenario, check_front_work_scenario,   # noqa: E402
                             check_loop_and_pool_scenario, check_overhead_scaling_scenario,
                             check_overlap_receipt_scenario, check_slow_periods_scenario, check_wake_up_scenario,
                             expect)
from testbed import wire        # noqa: E402
from testbed.servers import CONFIGS as ALL_CONFIGS   # noqa: E402

CONFIGS = ["rest-async", "pipeline-rest", "collab-grpc"]
REQUESTS, WARMUP, LOW_LOAD_REQUESTS = 150, 20, 20
ENTRY_DELAY_MS = 2   # emulated one-way delay of the client's link: every answer >= 2 x 2 ms late


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
    check_slow_periods_scenario(hybridsim, out)
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
