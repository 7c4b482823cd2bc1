#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Runs a measurement campaign on the validation testbed (docs/validation.md, "Testbed").

For each configuration: start its servers, measure the low-load service time (requests one at
a time, straight to each model server), then for each target utilisation u send open-loop
Poisson load at rate u / S (S: the slowest model server's mean handler time at low load) and
write, in OUT/<config>/u<u>/:
  records.csv            the client's per-request records (testbed format, warm-up left out)
  records-<model>.csv    the front service's calls to each model (pipeline, collaborative)
and in OUT/<config>/ the sequential low-load phase's records (offered_rps 0: one request at a
time, no queue), which compare.py calibrates the protocol overhead on:
  records-lowload.csv          the calls through the entry (single: straight to the model server)
  records-lowload-<model>.csv  the calls straight to each model server (pipeline, collaborative)
  summary.json           the measured figures in hybridsim's summary.json format ("measured": true),
                         with the level's CPU accounting (measurement.host_cpu, .host_limit)
  manifest.json          what ran, with the load average before and after
and OUT/campaign.json, with each configuration's host CPU figures and its host-limited levels:
those whose host CPU utilisation, expected at the low-load CPU cost or measured, is above
--max-host-utilization (docs/validation.md, "Where the host's CPU goes"); they are measured
all the same, with a warning.
Then, with --hybridsim BIN, compare.py calibrates and predicts each level (compare.py).
It refuses to start while the 1-minute load average is above --max-load (other work on the
machine would be measured too) unless --force-busy.
  .venv/bin/python campaign.py --out results/testbed [--configs rest-async,grpc] [--utilizations 0.1,0.3,0.6,0.85]
"""
import argparse
import asyncio
import json
import os
import platform
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from testbed import hostcpu, loadgen, wire           # noqa: E402
from testbed.clients import make_caller               # noqa: E402
from testbed.servers import CONFIGS, Deployment       # noqa: E402
from testbed.summary import measured_summary          # noqa: E402

IMAGES_PER_REQUEST = 384


def load_average():
    with open("/proc/loadavg") as f:
        one, five, fifteen = (float(v) for v in f.read().split()[:3])
    return {"1min": one, "5min": five, "15min": fifteen}


def payloads(count, seed):
    """`count` requests of IMAGES_PER_REQUEST digit test images each, drawn with a fixed seed."""
    import numpy as np
    from testbed.model import digits_split
    _, (x_test, _) = digits_split()
    rng = np.random.default_rng(seed)
    return [wire.encode(x_test[rng.integers(0, len(x_test), IMAGES_PER_REQUEST)]) for _ in range(count)]


def write_json(path, value):
    tmp = f"{path}.tmp-{os.getpid()}"
    with open(tmp, "w") as f:
        json.dump(value, f, indent=2, sort_keys=True)
        f.write("\n")
    os.replace(tmp, path)


def write_records(path, rows, config, protocol, offered):
    writer = wire.RecordWriter(path)
    for request_id, scheduled, result in rows:
        writer.write(request_id, config, protocol, offered, result, scheduled)
    writer.close()


async def low_load_service_time(deployment, data, count):
    """Requests one at a time, 10 warm-up first. Returns (handler, cpu, records):
    handler {model: mean handler time (s)}, from calls straight to each model server;
    cpu {process: CPU seconds per request}, from calls through the entry: every server process
    and this client process (testbed/hostcpu.py: /proc schedstat of every thread), so that
    cpu's sum is the CPU one request needs on this host; records {model or "entry": the
    measured rows}. Each
    call pays its link's emulated delay (the entry's for the entry and a single server, the
    model's otherwise), as the levels' calls do, so that the overhead calibrated on these rows
    holds it; the delays are sleeps, so the CPU figures do not change."""
    handler, records = {}, {}
    single = deployment.config.kind == "single"
    for model, target in deployment.backends.items():
        caller = make_caller(target, deployment.delays.get("entry" if single else model, 0) / 1000.0)
        if deployment.config.models.index(model) > 0 and deployment.config.kind == "pipeline":
            inputs = await _stage_inputs(deployment, data)
        else:
            inputs = data
        await loadgen.closed_loop(caller, inputs, 10, "warm-")
        rows = await loadgen.closed_loop(caller, inputs, count, f"low-{model}-")
        await caller.close()
        bad = [r.status for _, _, r in rows if r.status != "ok"]
        if bad:
            raise RuntimeError(f"{model}: low-load requests failed ({bad[0]})")
        handler[model] = sum(r.handler_end_ns - r.handler_start_ns for _, _, r in rows) / count / 1e9
        records[model] = rows
    caller = make_caller(deployment.entry, deployment.delays.get("entry", 0) / 1000.0)
    await loadgen.closed_loop(caller, data, 10, "warm-entry-")
    pids = measured_pids(deployment)
    before = hostcpu.snapshot(pids)
    records["entry"] = await loadgen.closed_loop(caller, data, count, "low-entry-")
    usage = hostcpu.account(before, hostcpu.snapshot(pids), count, os.cpu_count() or 1)
    cpu = {name: p["cpu_ms_per_request"] / 1e3 for name, p in usage["processes"].items()}
    await caller.close()
    return handler, cpu, records


def measured_pids(deployment):
    """{name: pid} of the processes whose CPU is accounted: the servers and, as "client",
    this process (the load generator)."""
    return dict(deployment.pids(), client=os.getpid())


def write_low_load_records(config, out_dir, records):
    """The sequential phase's rows with offered_rps 0 (what calibrate takes as the lowest
    load): records-lowload.csv, and records-lowload-<model>.csv for a composite's model servers."""
    if config.kind == "single":
        model = config.models[0]
        write_records(os.path.join(out_dir, "records-lowload.csv"), records[model], config.name, config.protocol, 0)
        return
    write_records(os.path.join(out_dir, "records-lowload.csv"), records["entry"], config.name, "rest", 0)
    for model in config.models:
        write_records(os.path.join(out_dir, f"records-lowload-{model}.csv"), records[model],
                      f"{config.name}/{model}", config.protocol, 0)


def capacity_reference(config, handler, cpu):
    """The service time S that utilisation refers to: the slowest model server's handler
    time, or the front's CPU per request when that is longer (it serves one request at a time
    on one event loop too)."""
    return max(list(handler.values()) + ([cpu["front"]] if "front" in cpu else []))


async def _stage_inputs(deployment, data):
    """The second pipeline stage's inputs: the first stage's answers to `data`."""
    caller = make_caller(deployment.backends[deployment.config.models[0]])
    rows = await loadgen.closed_loop(caller, data, len(data), "stage-")
    await caller.close()
    return [r.body for _, _, r in rows]


async def run_level(deployment, data, rate, count, warmup, seed, prefix):
    """One open-loop level. Returns (measured rows, send lag, CPU accounting): the accounting
    (testbed/hostcpu.py) covers the measured window, from just before the first measured
    request is sent (the warm-up's last answers still fall in it) until every answer is in."""
    caller = make_caller(deployment.entry, deployment.delays.get("entry", 0) / 1000.0)
    if hasattr(caller, "extra_headers"):
        caller.extra_headers["x-offered-rps"] = f"{rate:.6g}"
    pids = measured_pids(deployment)
    marks = {}

    def mark(i):
        if i == warmup:
            marks["before"] = hostcpu.snapshot(pids)
    with loadgen.no_collection():   # its full collections stalled the sends (testbed/loadgen.py)
        rows = await loadgen.open_loop(caller, data, rate, warmup + count, seed, prefix, before_send=mark)
    after = hostcpu.snapshot(pids)
    await caller.close()
    usage = hostcpu.account(marks["before"], after, count, os.cpu_count() or 1)
    return rows[warmup:], loadgen.send_lag(rows), usage


def run_config(config, args, data, out_dir):
    """Measures one configuration; returns its host CPU figures for campaign.json
    (low-load CPU per request, the highest utilisation the host carries, each level's verdict)."""
    os.makedirs(out_dir, exist_ok=True)
    backend_records = os.path.join(out_dir, "records-backends-all.csv")
    levels = []
    with Deployment(config, args.models, backend_records, args.link_delay, out_dir) as deployment:
        service, cpu, low_records = asyncio.run(low_load_service_time(deployment, data, args.low_load_requests))
        write_low_load_records(config, out_dir, low_records)
        bottleneck = capacity_reference(config, service, cpu)
        cores = os.cpu_count() or 1
        limit, cpu_total = args.max_host_utilization, sum(cpu.values())
        highest = hostcpu.max_utilization_below(limit, cores, bottleneck, cpu_total)
        print(f"{config.name}: low-load handler time " +
              ", ".join(f"{m} {s * 1e3:.3f} ms" for m, s in service.items()) +
              "; CPU per request " + ", ".join(f"{p} {s * 1e3:.3f} ms" for p, s in cpu.items()), flush=True)
        print(f"  host: {cpu_total * 1e3:.2f} ms of CPU a request over every process at low load: the "
              f"host's {cores} CPUs stay below {limit:g} busy up to u = {highest:.2f}"
              f"{' (every level)' if highest >= 1 else ''}", flush=True)
        for u in args.utilizations:
            rate = u / bottleneck
            expected = hostcpu.level_verdict(limit, cores, bottleneck, cpu_total, u)
            if expected["host_limited"]:
                print(f"  warning: u={u:.2f} ({rate:.1f}/s) is host-limited: it needs "
                      f"{expected['expected_host_utilization'] * cores:.2f} of the host's {cores} CPUs at "
                      f"the low-load CPU cost (above {limit:g}, the highest u below it is {highest:.2f}): "
                      f"the host, not the servers, may saturate; measuring it as asked", flush=True)
            before = load_average()
            count = args.requests_at.get(u, args.requests)
            try:
                rows, lag, usage = asyncio.run(run_level(deployment, data, rate, count, args.warmup,
                                                         args.seed, f"u{u:g}-"))
            except hostcpu.ProcessGone:
                deployment.check_alive()   # names the server that died, with its log
                raise
            deployment.check_alive()
            verdict = hostcpu.level_verdict(limit, cores, bottleneck, cpu_total, u, usage)
            if verdict["host_limited"] and not expected["host_limited"]:
                print(f"  warning: u={u:.2f}: the host was {verdict['host_utilization']:.2f} busy, above "
                      f"{limit:g}: host-limited (other work on the host, or more CPU a request under load)",
                      flush=True)
            levels.append((u, rate, rows, lag, before, load_average(), usage, verdict))
    # the front service writes its calls when it stops: split them per level and model
    backend_rows = wire.read_records(backend_records) if config.kind != "single" else []
    for level in levels:
        write_level(config, args, out_dir, backend_rows, service, cpu, bottleneck, *level)
    if os.path.exists(backend_records):
        os.remove(backend_records)
    return {"low_load_cpu_ms_per_request": cpu_total * 1e3, "capacity_reference_ms": bottleneck * 1e3,
            "max_utilization_below_host_limit": highest,
            "levels": {f"{u:.2f}": host_figures(usage, verdict) for u, *_, usage, verdict in levels}}


def host_figures(usage, verdict):
    """One level's host CPU figures for campaign.json: the verdict, host utilisation and steal,
    and each process's CPU and run-queue wait per request (ms)."""
    return dict(verdict, steal=usage["host"]["steal"], other_busy_cores=usage["other_busy_cores"],
                cpu_ms_per_request_total=usage["cpu_ms_per_request_total"],
                cpu_ms_per_request={n: p["cpu_ms_per_request"] for n, p in usage["processes"].items()},
                runqueue_wait_ms_per_request={n: p["runqueue_wait_ms_per_request"]
                                              for n, p in usage["processes"].items()})


def write_level(config, args, out_dir, backend_rows, service, cpu, bottleneck,
                u, rate, rows, lag, before, after, usage, verdict):
    """Writes one level's records, summary.json and manifest.json, and prints its line."""
    level_dir = os.path.join(out_dir, f"u{u:.2f}")
    os.makedirs(level_dir, exist_ok=True)
    protocol = "rest" if config.kind != "single" else config.protocol
    write_records(os.path.join(level_dir, "records.csv"), rows, config.name, protocol, rate)
    client_rows = wire.read_records(os.path.join(level_dir, "records.csv"))
    measured_ids = {request_id for request_id, _, _ in rows}
    node_rows = {}
    for model, node in zip(config.models, config.node_names):
        if config.kind == "single":
            node_rows[node] = client_rows
            continue
        mine = [r for r in backend_rows if r["config"] == f"{config.name}/{model}"
                and r["request_id"].rsplit(":", 1)[0] in measured_ids]
        wire.write_record_rows(os.path.join(level_dir, f"records-{model}.csv"), mine)
        node_rows[node] = mine
    name = f"testbed-{config.name}-u{u:.2f}"
    measurement = {
        "kind": "testbed", "config": config.name, "deployment": config.kind,
        "protocol": config.protocol, "rest_mode": config.rest_mode if config.protocol == "rest" else None,
        "models": list(config.models), "target_utilization": u, "offered_rps": rate,
        "low_load_service_time_s": service, "capacity_reference_s": bottleneck,
        "cpu_per_request_s": cpu, "cpu_demand_cores": rate * sum(cpu.values()),
        "warmup_requests": args.warmup,
        "requests_sent": len(rows), "images_per_request": IMAGES_PER_REQUEST,
        "link_delay_ms": args.link_delay, "send_lag": lag, "host_cpu": usage, "host_limit": verdict,
        "loadavg_before": before, "loadavg_after": after,
        "clock": "CLOCK_MONOTONIC (time.monotonic_ns), every process on one host",
        "host": {"cpus": os.cpu_count(), "kernel": platform.release(), "python": platform.python_version(),
                 "cpu": hostcpu.cpu_model()},
    }
    summary = measured_summary(name, args.seed, client_rows, node_rows, measurement)
    write_json(os.path.join(level_dir, "summary.json"), summary)
    write_json(os.path.join(level_dir, "manifest.json"), {
        "kind": "testbed-measurement", "scenario": name, "seed": args.seed, "replications": 1,
        "outcome": "ok", "message": None, "overrides": [], "measured": True,
        "command": " ".join(sys.argv), "files": sorted(os.listdir(level_dir)) + ["manifest.json"]})
    lat = summary["latency_s"]
    print(f"  u={u:.2f} rate {rate:.1f}/s: p50 {lat['p50'] * 1e3:.2f} ms, p99 {lat['p99'] * 1e3:.2f} ms, "
          f"dropped {summary['requests']['dropped']}, load {before['1min']:.2f} -> {after['1min']:.2f}, "
          f"host CPU {usage['host']['utilization']:.2f} (steal {usage['host']['steal']:.2f})"
          f"{', HOST-LIMITED' if verdict['host_limited'] else ''}", flush=True)


def parse_args(argv):
    parser = argparse.ArgumentParser(description="validation testbed campaign (docs/validation.md)")
    parser.add_argument("--out", default=os.path.join(HERE, "..", "..", "results", "testbed"))
    parser.add_argument("--configs", default=",".join(CONFIGS), help="comma-separated: " + ", ".join(CONFIGS))
    parser.add_argument("--utilizations", default="0.1,0.3,0.6,0.85")
    parser.add_argument("--requests", type=int, default=3000, help="measured requests per level")
    parser.add_argument("--requests-at", action="append", default=[], metavar="U=N",
                        help="measured requests at level U instead of --requests (repeatable; e.g. 0.85=60000: "
                             "near saturation 3,000 requests cannot tell a 5 %% error from noise, "
                             "compare.py's requests_for_tolerance says how many can)")
    parser.add_argument("--warmup", type=int, default=300, help="requests sent and left out first, per level")
    parser.add_argument("--low-load-requests", type=int, default=100)
    parser.add_argument("--max-host-utilization", type=float, default=0.8,
                        help="levels expected or measured above this host CPU utilisation are reported host-limited")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--models", default=os.path.join(HERE, "models"))
    parser.add_argument("--link-delay", action="append", default=[], metavar="LINK=MS",
                        help="one-way delay of a link in ms: entry (client to the first server) or a model's name")
    parser.add_argument("--max-load", type=float, default=0.5, help="refuse above this 1-minute load average")
    parser.add_argument("--force-busy", action="store_true", help="measure even when the machine is busy")
    parser.add_argument("--hybridsim", help="hybridsim binary: calibrate, predict and compare afterwards")
    parser.add_argument("--prediction-requests", type=int, default=20000,
                        help="with --hybridsim: requests per replication of each prediction")
    parser.add_argument("--overhead-calls", choices=("idle-found", "all"), default="idle-found",
                        help="with --hybridsim: compare.py's --overhead-calls (which calls callOverhead is fitted on)")
    args = parser.parse_args(argv)
    unknown = [c for c in args.configs.split(",") if c not in CONFIGS]
    if unknown:
        parser.error(f"unknown config {unknown[0]!r}; known: {', '.join(CONFIGS)}")
    args.configs = [CONFIGS[c] for c in args.configs.split(",")]
    try:
        args.utilizations = [float(u) for u in args.utilizations.split(",")]
    except ValueError:
        parser.error(f"--utilizations {args.utilizations!r}: expected numbers in (0, 1) separated by commas, e.g. 0.3,0.6")
    if any(not 0 < u < 1 for u in args.utilizations):
        parser.error("--utilizations: each must be in (0, 1)")
    counts = {}
    for spec in args.requests_at:
        level, sep, count = spec.partition("=")
        try:
            counts[float(level)] = int(count)
        except ValueError:
            parser.error(f"--requests-at {spec!r}: expected U=N, e.g. 0.85=60000")
        if not sep or counts[float(level)] < 2 * 10:
            parser.error(f"--requests-at {spec!r}: expected U=N with N >= 20 (ten batches of two)")
        if float(level) not in args.utilizations:
            parser.error(f"--requests-at {spec!r}: {level} is not one of --utilizations {','.join(f'{u:g}' for u in args.utilizations)}")
    args.requests_at = counts
    if not 0 < args.max_host_utilization <= 1:
        parser.error(f"--max-host-utilization {args.max_host_utilization:g}: expected a fraction in (0, 1]")
    delays = {}
    for spec in args.link_delay:
        link, sep, ms = spec.partition("=")
        try:
            delays[link] = float(ms)
        except ValueError:
            parser.error(f"--link-delay {spec!r}: expected LINK=MS, e.g. entry=2")
        if not sep or delays[link] < 0:
            parser.error(f"--link-delay {spec!r}: expected LINK=MS with MS >= 0")
    links = {"entry"} | {m for c in args.configs for m in c.models}
    for link in delays:
        if link not in links:
            parser.error(f"--link-delay {link}=...: no such link in these configs; links: {', '.join(sorted(links))}")
    args.link_delay = delays
    if args.requests < 20 or args.warmup < 0 or args.low_load_requests < 10:
        parser.error("--requests must be at least 20, --low-load-requests at least 10, --warmup at least 0")
    return args


def main(argv=None):
    args = parse_args(argv)
    load = load_average()
    if load["1min"] > args.max_load and not args.force_busy:
        print(f"campaign: the machine is busy: 1-minute load average {load['1min']:.2f} "
              f"(5 min {load['5min']:.2f}) is above --max-load {args.max_load}; other work would be "
              f"measured too. Wait for a quiet machine, or add --force-busy (the load is recorded "
              f"in every summary).", file=sys.stderr)
        return 3
    needed = {m for c in args.configs for m in c.models}
    if any(not os.path.exists(os.path.join(args.models, f"{m}.onnx")) for m in needed):
        print("campaign: no models yet: training them (train_model.py)", flush=True)
        import subprocess   # its own process: one BLAS thread, set before numpy loads
        subprocess.run([sys.executable, os.path.join(HERE, "train_model.py"), "--out", args.models], check=True)
    out = os.path.abspath(args.out)
    os.makedirs(out, exist_ok=True)
    data = payloads(16, args.seed)
    started = time.monotonic()
    host = {}
    for config in args.configs:
        try:
            host[config.name] = run_config(config, args, data, os.path.join(out, config.name))
        except RuntimeError as error:   # a server that did not start or died, a failed request
            print(f"campaign: {config.name}: {error}", file=sys.stderr)
            return 1
    write_json(os.path.join(out, "campaign.json"), {
        "configs": [c.name for c in args.configs], "utilizations": args.utilizations,
        "requests": args.requests, "warmup": args.warmup, "seed": args.seed,
        "link_delay_ms": args.link_delay, "loadavg_at_start": load, "forced_busy": args.force_busy,
        "loadavg_at_end": load_average(), "wall_s": time.monotonic() - started,
        "max_host_utilization": args.max_host_utilization, "host_cpu": host,
        "host_limited_levels": {name: [float(u) for u, level in figures["levels"].items() if level["host_limited"]]
                                for name, figures in host.items()}})
    print(f"campaign written to {out} ({time.monotonic() - started:.0f} s)")
    if args.hybridsim:
        from compare import compare_campaign
        from description import Description
        return compare_campaign(out, os.path.abspath(args.hybridsim), args.prediction_requests,
                                Description(overhead_choice=args.overhead_calls))
    return 0


if __name__ == "__main__":
    sys.exit(main())
