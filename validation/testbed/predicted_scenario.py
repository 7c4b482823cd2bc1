# SPDX-License-Identifier: GPL-3.0-or-later
"""The predicted scenario of one testbed level, from calibration only (compare.py writes it as
OUT/<config>/u<u>/predicted.yaml): the models' service times, the nodes and their server
models, the links and protocol costs, the workload at the level's offered rate, and the
`check:` tolerances against the measured summary. compare.py's docstring says where each
input comes from (calibration_runs.py, description_steps.py).
"""
import os
import re

import client_work
import loop_and_pool

METRICS = {"latency_s.mean": "5%", "latency_s.p50": "5%", "latency_s.p95": "10%",
           "latency_s.p99": "10%", "throughput_rps": "5%"}


def metric_tolerance(key):
    """The tolerance of a metric as a fraction: its `check:` tolerance (METRICS; 10 % for one
    not named), the goal's 5 % for p50 and 10 % for p99."""
    return float(METRICS.get(key, "10%").rstrip("%")) / 100
PREDICTION_RUN = "{requests: %d, warmupRequests: %d, replications: 5}"
# anyio's default thread limiter (anyio/_backends/_asyncio.py: `CapacityLimiter(40)`), which
# Starlette's run_in_threadpool, and so FastAPI's plain `def` handlers, use.
THREAD_POOL_SIZE = 40


def is_thread_pool(config):
    """Whether the model servers are FastAPI `def` handlers in a thread pool (rest-thread)."""
    return config.thread_pool


def server_node(config, cores, plain, capacity=None):
    """A model server's node settings: one FIFO worker, or (rest-thread) processor sharing,
    with `capacity` (the CPU the pool gets, in cores) when given."""
    if plain or not is_thread_pool(config):
        return "{kind: server, workers: 1}"
    share = f", capacity: {capacity:.3f}" if capacity is not None else ""
    return f"{{kind: server, concurrency: {{model: processorSharing, cores: {cores}, maxInFlight: {THREAD_POOL_SIZE}{share}}}}}"


SHARED_HOST = "testbed"   # the host's name in a predicted scenario with --shared-host


def on_shared_host(node, shared_host):
    """A server node's settings (`{kind: server, ...}`), on the testbed's one host when
    shared_host (--shared-host: docs/cost-models.md, "Shared hosts")."""
    return node[:-1] + f", host: {SHARED_HOST}}}" if shared_host else node


def front_stage_names(stages):
    """The front's stages around `stages` model stages: front-in, front-between-1, ...,
    front-out (--front-work)."""
    return ["front-in"] + [f"front-between-{k}" for k in range(1, stages)] + ["front-out"]


def front_work_models(config, fits, work_s, payload):
    """The `models:` lines of the front's stages (--front-work): each a constant service time,
    its work (front_work.pipeline_work), passing on what it received (the request, then each
    model stage's output)."""
    outputs = [payload] + [fits[m]["response_bytes"] for m in config.models]
    return [f"  {name}: {{serviceTime: {work * 1e3:.6g}ms, output: {size}B}}"
            for name, work, size in zip(front_stage_names(len(config.models)), work_s, outputs)]


def scenario_text(config, level, fits, rate, records_note, requests, scenario_dir, front=None, cores=1, plain=False,
                  capacity=None, shared_host=False, client=None):
    """The predicted scenario's YAML and the metrics its `check:` compares.

    front (pipeline, collaborative): {"overhead_s": the client's call to the front, calibrated
    like a model call, "own_s": the front handler's own time outside its calls at low load
    (front_own_time)}. The front is a node with one worker: in a pipeline a first stage `front`
    of constant service time own_s, in a collaborative deployment the dispatch and fusion node
    with `fusion.cost` own_s; the
    client's call to it is a link of one-way latency overhead_s / 2 each way (the client-to-
    front leg; in a pipeline the answer comes back from the last stage over a second such link).
    With front["work_s"] (compare.py --front-work, pipelines: front_work.pipeline_work) the
    front is instead a stage on node-front before, between and after the model stages, each of
    constant service time its work there (front-in, front-between-k, front-out: the front calls
    every model stage and gets every answer, as in the testbed), and the answer goes back over
    the client's link; with front["dispatch_work_s"], ["send_work_s"], ["read_work_s"] and
    ["fusion_work_s"] (--front-work, fan-outs: front_work.fanout_work) the collaborative
    deployment has `dispatchWork`, `sendWork`, `fusion.readWork` and `fusion.work` (jobs on
    node-front's worker, one message at a time) instead of `fusion.cost`; in both the caller
    has lowered the overheads by the same amount.
    shared_host: the front and the model servers share one host of `cores` cores (the client's
    own CPU is left out — a client node runs no work in hybridsim — unless `client` is given).
    client (compare.py --client-work, client_work.apply: {"send_s", "receive_s"}; singles and
    pipelines): the load generator's CPU as the stages client-send and client-receive on
    node-client (one worker; on the host with shared_host) before the first call and after the
    last answer, the caller having lowered the entry call's overhead by the same amount; a single
    deployment becomes the pipeline client-send -> model -> client-receive, and the client's link
    to the front (composites) starts at node-client (client <-> node-client takes no time).
    A single deployment whose fit has "loop_work_s" (compare.py --thread-pool-model
    loop-and-pool, loop_and_pool.py) is the pipeline loop-read -> model -> loop-write, the
    loop's stages on node-loop (one worker), node-loop and the server on one host of `cores`."""
    lines = [f"# Prediction of testbed {config.name} at u = {level} from calibration only "
             f"(validation/testbed/compare.py); {records_note}",
             f"name: predicted-{config.name}-u{level}", "seed: 1",
             "run: " + PREDICTION_RUN % (requests, requests // 10), "models:"]
    payload = fits[config.models[0]]["request_bytes"]
    front_stages = config.kind == "pipeline" and bool(front.get("work_s"))   # --front-work
    loop = config.kind == "single" and bool(fits[config.models[0]].get("loop_work_s"))   # loop-and-pool
    shared_host = shared_host or loop
    if front_stages:
        lines += front_work_models(config, fits, front["work_s"], payload)
    elif config.kind == "pipeline":
        lines.append(f"  front: {{serviceTime: {front['own_s'] * 1e3:.6g}ms, output: {payload}B}}")
    for model in config.models:
        fit = fits[model]
        service = fit["service"]
        if fit["samples"]:   # the fragment names its samples file relative to itself
            service = f"{{dist: empirical, file: {os.path.relpath(fit['samples'], scenario_dir)}}}"
        scaling = f", serviceTimeScaling: {fit['scaling']}" if fit["scaling"] else ""
        line = f"  {model}: {{serviceTime: {service}{scaling}, output: {fit['response_bytes']}B}}"
        lines += loop_and_pool.models_lines(fit, line, payload) if loop else [line]
    if client:
        lines += client_work.models_lines(client, payload, fits[config.models[-1]]["response_bytes"])
    if shared_host:
        lines += ["hosts:", f"  {SHARED_HOST}: {{cores: {cores}}}"]
    lines += ["nodes:", "  client: {kind: client}"]
    if client:
        lines.append(f"  {client_work.CLIENT_NODE}: " + on_shared_host("{kind: server, workers: 1}", shared_host))
    if loop:
        lines.append(f"  {loop_and_pool.LOOP_NODE}: " + on_shared_host("{kind: server, workers: 1}", shared_host))
    if front:
        lines.append("  node-front: " + on_shared_host("{kind: server, workers: 1}", shared_host))
    for model, node in zip(config.models, config.node_names):
        settings = server_node(config, cores, plain, capacity)
        if fits[model].get("wake_up"):   # compare.py --wake-up (wake_up.py)
            settings = settings[:-1] + f", wakeUp: {fits[model]['wake_up']}}}"
        if fits[model].get("slow_periods"):   # compare.py --slow-periods (slow_period_node.py)
            settings = settings[:-1] + f", slowPeriods: {fits[model]['slow_periods']}}}"
        lines.append(f"  {node}: {on_shared_host(settings, shared_host)}")
    # The client's side of its link to the front: node-client when the client's stages run there.
    entry = client_work.CLIENT_NODE if client else "client"
    if front:
        half = f"{front['overhead_s'] / 2 * 1e3:.6g}ms"
        lines += ["links:"] + ([f"  - {{between: [client, {entry}], latency: 0s}}"] if client else [])
        lines.append(f"  - {{between: [{entry}, node-front], latency: {half}}}")
        if front_stages:
            lines += [f"  - {{between: [node-front, {n}], latency: 0s}}" for n in config.node_names]
        elif config.kind == "pipeline":
            hops = ["node-front"] + list(config.node_names)
            lines += [f"  - {{between: [{a}, {b}], latency: 0s}}" for a, b in zip(hops, hops[1:])]
            lines.append(f"  - {{between: [{hops[-1]}, {entry}], latency: {half}}}")
        else:
            lines += [f"  - {{between: [node-front, {n}], latency: 0s}}" for n in config.node_names]
    # Each call's protocol cost: calibrate's protocol keys for that model's calls (its
    # fragment's line under `protocols:`) as the placement's own `call:` settings.
    placements = [f"{{model: {m}, on: {n}, via: {fits[m]['protocol']}, call: {fits[m]['call']}}}"
                  for m, n in zip(config.models, config.node_names)]
    # A pipeline's stage lines, with the client's stages around them (--client-work).
    wrap = client_work.around if client else (lambda stages: stages)
    if client and config.kind == "collaborative":
        raise ValueError("a fan-out has no place for the client's stages (client_work.py)")
    if loop:
        if client:
            raise ValueError("the loop's stages and the client's are not combined (client_work.apply)")
        lines += loop_and_pool.deployment_lines(config.models[0], config.node_names[0], fits[config.models[0]])
    elif config.kind == "single" and client:
        lines += ["deployment:", "  kind: pipeline", "  stages:"] + wrap([f"    - {placements[0]}"])
    elif config.kind == "single":
        lines.append("deployment: " + placements[0][:-1].replace("{model", "{kind: single, model", 1) + "}")
    elif front_stages:
        lines += ["deployment:", "  kind: pipeline", "  stages:"]
        names = front_stage_names(len(placements))
        stages = []
        for name, placement in zip(names, placements):
            stages += [f"    - {{model: {name}, on: node-front}}", f"    - {placement}"]
        stages.append(f"    - {{model: {names[-1]}, on: node-front}}")
        lines += wrap(stages)
    elif config.kind == "pipeline":
        lines += ["deployment:", "  kind: pipeline", "  stages:"]
        lines += wrap(["    - {model: front, on: node-front}"] + [f"    - {p}" for p in placements])
    else:
        lines += ["deployment:", "  kind: collaborative", "  from: node-front", "  fuseAt: node-front",
                  "  branches:"] + [f"    - {p}" for p in placements]
        if front.get("fusion_work_s") is not None:   # --front-work: jobs on node-front's worker
            lines.append(f"  dispatchWork: {front['dispatch_work_s'] * 1e3:.6g}ms")
            lines.append(f"  sendWork: {front['send_work_s'] * 1e3:.6g}ms")
            lines.append(f"  fusion: {{method: mean, readWork: {front['read_work_s'] * 1e3:.6g}ms, "
                         f"work: {front['fusion_work_s'] * 1e3:.6g}ms}}")
        else:
            lines.append(f"  fusion: {{method: mean, cost: {front['own_s'] * 1e3:.6g}ms}}")
    lines += ["workload:", f"  - {{kind: image, from: client, arrivals: {{process: poisson, rate: {rate:.6g}/s}}, payload: {payload}B}}",
              "check:"]
    metrics = dict(METRICS)
    if plain or not is_thread_pool(config):
        # Not for processor sharing: the testbed measures the time any handler runs, the
        # simulator the busy core-time.
        for node in config.node_names:
            metrics[f"nodes.{node}.utilization"] = "10%"
    lines += [f"  {key}: {{relative: {tol}}}" for key, tol in metrics.items()]
    return relative_files("\n".join(lines) + "\n", scenario_dir), list(metrics)


def relative_files(text, scenario_dir):
    """`text` with every absolute `file:` path (the protocol costs' samples files that
    calibration_runs.calibrate names with --overhead-family empirical) relative to the scenario's folder,
    as a scenario reads them."""
    return re.sub(r"file: (/[^,}\s]+)", lambda m: "file: " + os.path.relpath(m.group(1), scenario_dir), text)
