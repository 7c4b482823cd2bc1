# SPDX-License-Identifier: GPL-3.0-or-later
"""Where the host's CPU goes during a measured window (docs/validation.md, "Where the host's CPU goes").

Two readings, taken before and after the window:
- per process, the sum over its threads of /proc/PID/task/TID/schedstat: the first field is the
  nanoseconds the thread ran on a CPU, the second the nanoseconds it waited on a run queue —
  time it was runnable and did not get a CPU (another process or thread had it);
- for the host, the aggregate `cpu` line of /proc/stat in clock ticks (os.sysconf('SC_CLK_TCK'),
  100 a second here): busy = user + nice + system + irq + softirq, idle = idle + iowait, and
  steal (time the hypervisor gave this guest's virtual CPUs to someone else).

A thread that ends inside the window takes its schedstat counts with it (the per-thread files
disappear): `threads_ended` counts such threads, so a figure that lost them says so. The
servers' threads (uvicorn's loop, grpcio's workers and poller, anyio's pool) live as long as
the process; the load generator's are the process's own.
"""
import os

from . import wire

CLOCK_TICKS_PER_S = os.sysconf("SC_CLK_TCK")


def parse_proc_stat(text):
    """The aggregate `cpu` line of /proc/stat -> {"busy", "idle", "steal"} in clock ticks
    (summed over every CPU). guest and guest_nice are already inside user and nice."""
    for line in text.splitlines():
        fields = line.split()
        if fields and fields[0] == "cpu":
            values = [int(v) for v in fields[1:]] + [0] * 10
            user, nice, system, idle, iowait, irq, softirq, steal = values[:8]
            return {"busy": user + nice + system + irq + softirq, "idle": idle + iowait, "steal": steal}
    raise ValueError("/proc/stat: no aggregate `cpu` line")


def parse_cpu_model(text):
    """/proc/cpuinfo -> {"model": the first `model name`, "vector": the widest SIMD it lists
    (avx512f, avx2, avx or none)}: the handler times depend on both (the testbed's handler took
    3.8 ms on one 2-vCPU AMD EPYC guest and 9.8 ms on another, docs/validation.md)."""
    model, flags = None, set()
    for line in text.splitlines():
        key, _, value = line.partition(":")
        key = key.strip()
        if key == "model name" and model is None:
            model = value.strip()
        elif key == "flags" and not flags:
            flags = set(value.split())
    vector = next((f for f in ("avx512f", "avx2", "avx") if f in flags), "none")
    return {"model": model, "vector": vector}


def cpu_model(path="/proc/cpuinfo"):
    """parse_cpu_model of this host's /proc/cpuinfo ({"model": None, "vector": "unknown"} when
    it cannot be read: the record says so rather than failing a campaign)."""
    try:
        with open(path) as f:
            return parse_cpu_model(f.read())
    except OSError:
        return {"model": None, "vector": "unknown"}


def parse_schedstat(text):
    """One /proc/.../schedstat line -> (ns on a CPU, ns waiting on a run queue)."""
    fields = text.split()
    if len(fields) < 2:
        raise ValueError(f"schedstat {text!r}: expected at least two fields")
    return int(fields[0]), int(fields[1])


class ProcessGone(RuntimeError):
    """A process to account has ended (a server that died: the campaign reports its log)."""


def read_process(pid):
    """{"run_ns", "wait_ns", "threads"} of process `pid`: sums over its live threads.
    Raises ProcessGone when the process has ended."""
    run = wait = 0
    threads = set()
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except (FileNotFoundError, ProcessLookupError):
        raise ProcessGone(f"process {pid} has ended: its CPU cannot be accounted") from None
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
                thread_run, thread_wait = parse_schedstat(f.read())
        except (FileNotFoundError, ProcessLookupError):
            continue   # the thread ended between the listing and the read
        run += thread_run
        wait += thread_wait
        threads.add(tid)
    return {"run_ns": run, "wait_ns": wait, "threads": threads}


def snapshot(pids):
    """A reading of the host and of every process of `pids` ({name: pid}), with its time (ns)."""
    with open("/proc/stat") as f:
        host = parse_proc_stat(f.read())
    return {"time_ns": wire.now_ns(), "host": host,
            "processes": {name: read_process(pid) for name, pid in pids.items()}}


def account(before, after, requests, cpus, ticks_per_s=CLOCK_TICKS_PER_S):
    """What the window between two snapshots used, per request and per second.

    Returns {"window_s", "requests", "cpus", "host": {"utilization": busy / (cpus × window),
    "steal": steal / (cpus × window)}, "processes": {name: {"cpu_ms_per_request",
    "runqueue_wait_ms_per_request", "cpu_cores" (CPU seconds per second of window),
    "threads_ended"}}, "cpu_ms_per_request_total" (the processes' sum), "other_busy_cores"
    (host busy cores minus the processes': other tenants, and kernel work not charged to a
    process)}. The host figures have a resolution of one tick per CPU (10 ms at 100 Hz)."""
    window_s = (after["time_ns"] - before["time_ns"]) / 1e9
    if window_s <= 0 or requests <= 0:
        raise ValueError(f"accounting window {window_s} s with {requests} requests: nothing to divide by")
    span = cpus * window_s
    host = {key: (after["host"][key] - before["host"][key]) / ticks_per_s for key in ("busy", "idle", "steal")}
    processes, total_cpu_s = {}, 0.0
    for name, start in before["processes"].items():
        end = after["processes"][name]
        cpu_s = (end["run_ns"] - start["run_ns"]) / 1e9
        wait_s = (end["wait_ns"] - start["wait_ns"]) / 1e9
        total_cpu_s += cpu_s
        processes[name] = {"cpu_ms_per_request": cpu_s / requests * 1e3,
                           "runqueue_wait_ms_per_request": wait_s / requests * 1e3,
                           "cpu_cores": cpu_s / window_s,
                           "threads_ended": len(start["threads"] - end["threads"])}
    return {"window_s": window_s, "requests": requests, "cpus": cpus,
            "host": {"utilization": host["busy"] / span, "steal": host["steal"] / span},
            "processes": processes,
            "cpu_ms_per_request_total": total_cpu_s / requests * 1e3,
            "other_busy_cores": host["busy"] / window_s - total_cpu_s / window_s}


def max_utilization_below(host_limit, cpus, capacity_reference_s, cpu_s_per_request):
    """The highest model-server utilisation u at which the host stays at or below `host_limit`
    of its CPUs, if every request costs `cpu_s_per_request` CPU seconds over all processes:
    the rate is u / S (S the capacity reference), the CPU demand rate × C, so
    host utilisation = u × C / (S × cpus) <= h gives u <= h × cpus × S / C."""
    if cpu_s_per_request <= 0:
        raise ValueError(f"CPU per request {cpu_s_per_request} s: nothing was measured")
    return host_limit * cpus * capacity_reference_s / cpu_s_per_request


def level_verdict(host_limit, cpus, capacity_reference_s, cpu_s_per_request, utilization, usage=None):
    """Whether a level at model-server utilisation `utilization` is host-limited: its expected
    host utilisation (at the low-load CPU cost per request, u × C / (S × cpus)) or, once
    measured, the host utilisation `usage` saw (other tenants and a CPU cost that grew under
    load included) is above `host_limit`."""
    expected = utilization * cpu_s_per_request / (capacity_reference_s * cpus)
    measured = usage["host"]["utilization"] if usage else None
    return {"max_host_utilization": host_limit, "expected_host_utilization": expected,
            "host_utilization": measured,
            "host_limited": expected > host_limit or (measured is not None and measured > host_limit)}
