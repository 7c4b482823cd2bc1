# SPDX-License-Identifier: GPL-3.0-or-later
"""The front service's message handling as work on its one event loop (compare.py
`--front-work`; docs/validation.md, "The front's message handling as work").

The front (uvicorn, one event loop) spends its CPU per request on its messages: it reads the
client's request, writes each backend call, reads each answer and writes the response, plus
its own time outside the calls (dispatch, between the calls, fusion: decompose.FRONT_OWN).
The calibrated overheads hold all but the own time as delay: the client's call to the front
(`to front` + `front read` and `to client`), each backend call's callOverhead (the front's
write in `to server`, its read of the answer in `answer`). This module splits the front's CPU
per request at the lowest level into one piece per message, so that compare.py can put each
piece as work on the front's worker where it happens and take it out of the overhead it was in:
a pipeline's front stages; a fan-out's messages one at a time — `dispatchWork` (the read of the
request), a `sendWork` per call, a `fusion.readWork` per answer and `fusion.work` (jobs on the
front's worker, docs/cost-models.md "Dispatch and fusion as work", "One message at a time").

The split (an estimate, docs/validation.md names its assumptions):
- `front read` (handler start − receipt: the front reads the client's body) is measured per
  request: its mean at the lowest level;
- the own time is measured per request: the mean of dispatch, between and fuse; a fan-out's
  dispatch up to its *first* call's send (decompose's `dispatch` segment runs to the critical
  call's send, so it holds the earlier calls' writes when a later call is critical: here they
  are messages, each a `sendWork` job);
- the rest of the CPU (host_cpu's front cpu_ms_per_request − read − own) is spread equally
  over the other messages: a write per call, a read per answer and the response's write.
"""
import os
import re

import decompose


class FrontWorkError(Exception):
    pass


def messages_after_read(config):
    """The front's messages per request after it has read the request: a write and an answer's
    read per backend call, and the response's write."""
    return 2 * len(config.models) + 1


def front_pieces(config, level_dir):
    """{"read", "message", "dispatch", "between", "fuse", "cpu"} in seconds: the front's read of
    the request (mean `front read`), the CPU of each further message (equal split), its own
    segments' means and its CPU per request (measurement.host_cpu), at the level of level_dir."""
    requests = decompose.level_requests(config, level_dir)
    if not requests:
        raise FrontWorkError(f"{level_dir}: no request of the front with all its calls ok")
    # Per request the sum of its segments of a name (a pipeline has a `between` per gap).
    mean = {name: ns / 1e9 for name, ns in decompose.mean_segments([parts for _, parts, _ in requests]).items()}
    later_send = None
    if config.kind == "collaborative":
        mean["dispatch"], later_send = fanout_dispatch(decompose.level_rows(config, level_dir))
    front = decompose.level_measurement(level_dir).get("host_cpu", {}).get("processes", {}).get("front")
    if not front:
        raise FrontWorkError(f"{os.path.join(level_dir, 'summary.json')}: no measurement.host_cpu.processes.front "
                             "(campaign.py's host accounting): the front's CPU per request is unknown")
    pieces = split_cpu(front["cpu_ms_per_request"] / 1e3, mean["front read"], mean.get("dispatch", 0.0),
                       mean.get("between", 0.0), mean.get("fuse", 0.0), messages_after_read(config), level_dir)
    if later_send is not None:
        pieces["later_send"] = later_send
    return pieces


def fanout_dispatch(rows):
    """(the mean dispatch up to the first call's send, the mean time from the first call's send
    to the critical call's when a later call is critical — the earlier writes measured, the
    check of the equal split's message — or None when the first call was always critical), in
    seconds, over decompose.level_rows of a fan-out."""
    dispatch, later = [], []
    for row, calls in rows:
        first = min(call["send_ns"] for _, call in calls)
        dispatch.append(first - row["handler_start_ns"])
        critical = calls[decompose.critical_index(calls)][1]["send_ns"]
        if critical > first:
            later.append(critical - first)
    return sum(dispatch) / len(dispatch) / 1e9, (sum(later) / len(later) / 1e9 if later else None)


def split_cpu(cpu, read, dispatch, between, fuse, messages, where):
    """The pieces of front_pieces from the CPU per request and the measured segments (seconds);
    `between` is the mean sum over a request's gaps. A CPU below the measured read and own
    time is refused: the equal split would give negative messages."""
    rest = cpu - read - dispatch - between - fuse
    if rest <= 0:
        raise FrontWorkError(f"{where}: the front's CPU per request ({cpu * 1e3:.3f} ms) is not more than its measured "
                             f"read and own time ({(cpu - rest) * 1e3:.3f} ms): nothing left for its other messages")
    return {"read": read, "message": rest / messages, "dispatch": dispatch, "between": between, "fuse": fuse,
            "cpu": cpu}


def pipeline_work(pieces, stages):
    """The front's work (seconds) before the first model stage, between stages k and k+1, and
    after the last: [in, between_1, ..., out] (stages + 1 values). In: read the request,
    dispatch, write call 1; between: read answer k, the gap, write call k+1 (the measured gaps'
    mean spread equally); out: read the last answer, fuse, write the response."""
    m = pieces["message"]
    gap = pieces["between"] / (stages - 1) if stages > 1 else 0.0
    return [pieces["read"] + pieces["dispatch"] + m] + [m + gap + m] * (stages - 1) + [m + pieces["fuse"] + m]


def fanout_work(pieces):
    """A fan-out front's work (seconds), one message at a time, as {"dispatch_work_s",
    "send_work_s", "read_work_s", "fusion_work_s"} (`dispatchWork`, `sendWork`,
    `fusion.readWork`, `fusion.work`): dispatch = read the request and the measured dispatch;
    a write per call and a read per answer, a message each; fusion = fuse (and the measured
    gaps, if any) and write the response. With B branches, dispatch + B · (send + read) +
    fusion is the whole CPU."""
    m = pieces["message"]
    return {"dispatch_work_s": pieces["read"] + pieces["dispatch"], "send_work_s": m, "read_work_s": m,
            "fusion_work_s": pieces["between"] + pieces["fuse"] + m}


def client_call_taken_out(pieces):
    """What comes out of the client's call to the front (seconds): the front's read of the
    request and its write of the response."""
    return pieces["read"] + pieces["message"]


def backend_call_taken_out(pieces):
    """What comes out of each backend call's callOverhead (seconds): the front's write of the
    call and its read of the answer."""
    return 2 * pieces["message"]


def apply(config, fits, front, pieces):
    """The pieces (split_cpu) as the front's work — a pipeline's front stages (front["work_s"] =
    pipeline_work), a fan-out's messages (front["dispatch_work_s"], ["send_work_s"],
    ["read_work_s"], ["fusion_work_s"] = fanout_work) — and the same amount out of the
    overheads it was in:
    the client's call (front["overhead_s"]) loses the request's read and the response's write,
    each backend call's callOverhead (fits[model]["call"], lowered_call_overhead) the call's
    write and the answer's read."""
    if config.kind == "pipeline":
        front["work_s"] = pipeline_work(pieces, len(config.models))
    else:
        front.update(fanout_work(pieces))
    front["overhead_s"] -= client_call_taken_out(pieces)
    if front["overhead_s"] <= 0:
        raise FrontWorkError(f"{config.name}: the client's call overhead is not more than the front's read of the "
                             "request and write of the response")
    for model in config.models:
        fits[model]["call"] = lowered_call_overhead(fits[model]["call"], backend_call_taken_out(pieces))


UNITS = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}
TIME = r"([0-9.eE+-]+)(ns|us|ms|s)"


def seconds(text):
    match = re.fullmatch(TIME, text.strip())
    if not match:
        raise FrontWorkError(f"{text!r}: not a time")
    return float(match.group(1)) * UNITS[match.group(2)]


def lowered_call_overhead(call, amount):
    """A placement's `call:` text with its callOverhead's mean lowered by `amount` seconds. A
    constant becomes the constant minus amount. A lognormal or gamma (`mean` and `cv` of the
    whole draw, optional `shift`): the same standard deviation, the mean lower by amount, taken
    from the shift first (an exact translation while the shift covers it), the rest from the
    part above the shift. An empirical one (`file:`, compare.py --overhead-family empirical):
    every sample lowered by amount, written to a new file beside it (lowered_samples). Anything
    else, or a mean (or a sample) that would not stay positive, is refused."""
    match = re.search(r"callOverhead: (\{[^{}]*\}|[0-9.eE+-]+(?:ns|us|ms|s))", call)
    if not match:
        raise FrontWorkError(f"{call}: no callOverhead to take {amount * 1e3:.3f} ms out of")
    spec = match.group(1)
    if not spec.startswith("{"):
        left = seconds(spec) - amount
        if left <= 0:
            raise FrontWorkError(f"callOverhead {spec}: cannot take out {amount * 1e3:.3f} ms")
        return call.replace(match.group(0), f"callOverhead: {left * 1e6:.6g}us", 1)
    keys = dict(part.split(": ", 1) for part in spec[1:-1].split(", "))
    if keys.get("dist") == "empirical" and set(keys) == {"dist", "file"}:
        lowered = f"{{dist: empirical, file: {lowered_samples(keys['file'], amount)}}}"
        return call.replace(match.group(0), f"callOverhead: {lowered}", 1)
    if keys.get("dist") not in ("lognormal", "gamma") or set(keys) - {"dist", "shift", "mean", "cv"}:
        raise FrontWorkError(f"callOverhead {spec}: only a constant, lognormal or gamma can be lowered")
    mean, shift = seconds(keys["mean"]), seconds(keys.get("shift", "0s"))
    sd = float(keys["cv"]) * mean
    new_mean, new_shift = mean - amount, max(0.0, shift - amount)
    if new_mean <= new_shift:
        raise FrontWorkError(f"callOverhead {spec}: its mean is not more than {amount * 1e3:.3f} ms to take out")
    lowered = f"{{dist: {keys['dist']}, " + (f"shift: {new_shift * 1e6:.6g}us, " if new_shift > 0 else "") + \
        f"mean: {new_mean * 1e6:.6g}us, cv: {sd / new_mean:.6g}}}"
    return call.replace(match.group(0), f"callOverhead: {lowered}", 1)


def lowered_samples(path, amount):
    """The samples file `path` (calibrate's: a `seconds` header, one value a row) with every
    sample lowered by `amount` seconds, written beside it as <name>-lowered.csv; its path. The
    distribution's shape is kept, its mean lower by exactly amount. Refused when a sample would
    not stay positive (the overhead would lose a call's whole protocol time)."""
    with open(path) as f:
        lines = f.read().split()
    if not lines or lines[0] != "seconds":
        raise FrontWorkError(f"{path}: not a samples file (no `seconds` header)")
    samples = [float(x) for x in lines[1:]]
    low = min(samples)
    if low - amount <= 0:
        below = sum(1 for x in samples if x - amount <= 0)
        raise FrontWorkError(f"{path}: cannot take {amount * 1e3:.3f} ms out of every sample: {below} of {len(samples)} "
                             f"(the smallest {low * 1e3:.3f} ms) would not stay positive")
    out = re.sub(r"\.csv$", "", path) + "-lowered.csv"
    with open(out, "w") as f:
        f.write("seconds\n" + "".join(f"{x - amount!r}\n" for x in samples))
    return out
def overhead_mean(call):
    """The mean (seconds) of a placement's `call:` callOverhead: a constant, or a distribution
    with a `mean` key (lowered_call_overhead's forms)."""
    match = re.search(r"callOverhead: (\{[^{}]*\}|[0-9.eE+-]+(?:ns|us|ms|s))", call)
    if not match:
        raise FrontWorkError(f"{call}: no callOverhead")
    spec = match.group(1)
    if not spec.startswith("{"):
        return seconds(spec)
    keys = dict(part.split(": ", 1) for part in spec[1:-1].split(", "))
    if "mean" not in keys:
        raise FrontWorkError(f"callOverhead {spec}: no mean")
    return seconds(keys["mean"])


def smallest_branch_overhead(calls):
    """compare.py --branch-overhead smallest (fan-outs): each branch call's callOverhead
    replaced by the one of smallest mean among them (the rest of each `call:` kept), as a list
    in the order of `calls`."""
    pattern = r"callOverhead: (\{[^{}]*\}|[0-9.eE+-]+(?:ns|us|ms|s))"
    smallest = min(calls, key=overhead_mean)
    chosen = re.search(pattern, smallest).group(0)
    return [re.sub(pattern, lambda _: chosen, call, count=1) for call in calls]
