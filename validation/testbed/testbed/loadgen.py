# SPDX-License-Identifier: GPL-3.0-or-later
"""Open-loop Poisson load: send times drawn in advance, kept against the monotonic clock.

The gaps are exponential with mean 1/rate from `random.Random(seed)`, so the schedule is the
same for the same seed. Each request is started at its scheduled time as its own asyncio task,
whatever the number of requests still waiting for an answer (open loop: answers never hold
back the next send). The event loop's timers have 1 ms resolution, so a send can start up to
about a millisecond late; each record keeps `scheduled_ns` next to `send_ns`, and `send_lag`
reports the lateness (a late send is still recorded at its true send time).

The cyclic garbage collector is off while a level runs (`no_collection`): its full collections
walk every live object, and a level's records grow the heap, so in an 80,000-request level they
stalled the generator for 70, 115, 164 and 242 ms at 15,000-request intervals, and the sends
held back went out in a burst the server then had to queue — the measured p99 at u = 0.85
was 7–9 % higher than without the requests around the stalls (docs/validation.md, "The load
generator's garbage collector"). Reference counting still frees what it can; what cycles
remain are collected after the level.
"""
import asyncio
import contextlib
import gc
import random

from . import wire


def poisson_schedule(rate, count, seed, start_ns):
    """`count` send times (ns) of a Poisson process of `rate` per second from start_ns."""
    rng = random.Random(seed)
    times, t = [], float(start_ns)
    for _ in range(count):
        t += rng.expovariate(rate) * 1e9
        times.append(int(t))
    return times


@contextlib.contextmanager
def no_collection():
    """The cyclic garbage collector off inside the block (as it was before, after it), with a
    collection first so the block starts from a clean heap, and one after."""
    was_enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
        gc.collect()


async def open_loop(caller, payloads, rate, count, seed, id_prefix, before_send=None):
    """Sends `count` requests at Poisson times; returns [(request_id, scheduled_ns, result)].
    before_send(i), when given, runs on the loop just before request i is started (the
    campaign reads the CPU counters there when the first measured request goes out)."""
    schedule = poisson_schedule(rate, count, seed, wire.now_ns() + 20_000_000)
    results = [None] * count

    async def one(i, scheduled):
        request_id = f"{id_prefix}{i}"
        results[i] = (request_id, scheduled, await caller.call(payloads[i % len(payloads)], request_id))

    tasks = []
    for i, scheduled in enumerate(schedule):
        wait = (scheduled - wire.now_ns()) / 1e9
        if wait > 0:
            await asyncio.sleep(wait)
        if before_send:
            before_send(i)
        tasks.append(asyncio.create_task(one(i, scheduled)))
    await asyncio.gather(*tasks)
    return results


async def closed_loop(caller, payloads, count, id_prefix):
    """One request at a time (the low-load measurement): [(request_id, 0, result)]."""
    results = []
    for i in range(count):
        request_id = f"{id_prefix}{i}"
        results.append((request_id, 0, await caller.call(payloads[i % len(payloads)], request_id)))
    return results


def send_lag(results):
    """Lateness of the sends against the schedule, in seconds: mean, p99 and max."""
    lags = sorted(max(0, r.send_ns - scheduled) / 1e9 for _, scheduled, r in results if scheduled)
    if not lags:
        return None
    return {"mean_s": sum(lags) / len(lags), "p99_s": lags[min(len(lags) - 1, int(0.99 * len(lags)))],
            "max_s": lags[-1]}
