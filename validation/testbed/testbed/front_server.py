# SPDX-License-Identifier: GPL-3.0-or-later
"""The front service of the composite cases: FastAPI/uvicorn (`async def`, one worker).

  python -m testbed.front_server --mode fusion --port 8000 --config collab-rest \
      --backend model-a=rest://127.0.0.1:8001@0 --backend model-b=rest://127.0.0.1:8002@0 \
      --records out/records-backends.csv

`--mode fusion` (the collaborative case): the same input goes to every backend at once; the
answer is the mean of their class probabilities. `--mode pipeline` (a distributed case: layers
of one network on two nodes): the input goes to the first backend, its output to the next, and
the last output is the answer. A backend is NAME=rest://HOST:PORT@DELAY_MS or grpc://...: the
one-way link delay to it, emulated in this process (testbed/clients.py).

Every backend call is one row of `--records` in the testbed format, `request_id` of the form
ID:NAME and `config` CONFIG/NAME, so `hybridsim calibrate --config CONFIG/NAME` fits that
backend's service time and that hop's protocol overhead. The front's own x-handler-start-ns
and x-handler-end-ns frame the whole orchestration (backend calls included).
The rows are written when the process ends (SIGTERM or SIGINT: uvicorn shuts down cleanly).
"""
import argparse
import asyncio

import numpy as np

from . import wire
from .clients import make_caller
from .rest_server import ReceiveStamp


def parse_backend(spec):
    name, sep, rest = spec.partition("=")
    target, _, delay = rest.partition("@")
    if not sep or not name:
        raise ValueError(f"backend {spec!r}: expected NAME=rest://HOST:PORT@DELAY_MS")
    return name, target, float(delay or 0) / 1000.0


def build_app(mode, config, backends, records_path):
    from fastapi import FastAPI, Request, Response
    if mode not in ("fusion", "pipeline"):
        raise ValueError(f"mode {mode!r}: expected fusion or pipeline")
    callers = {}
    rows = []

    async def lifespan(app):
        for name, target, delay in backends:
            callers[name] = make_caller(target, delay)
        yield
        for caller in callers.values():
            await caller.close()
        writer = wire.RecordWriter(records_path)
        for row in rows:
            writer.write_row(row)
        writer.close()

    app = FastAPI(lifespan=lifespan)
    app.add_middleware(ReceiveStamp)

    async def call(name, payload, request_id, offered):
        caller = callers[name]
        result = await caller.call(payload, f"{request_id}:{name}")
        # The record without the answer's body: the front keeps every call's record until it
        # ends, and holding the bodies (and CallResult objects, which the garbage collector
        # scans at each full collection) grew the process to 1.5 GB in a long campaign.
        rows.append(wire.record_row(f"{request_id}:{name}", f"{config}/{name}", caller.protocol, offered, result))
        if result.status != "ok":
            raise RuntimeError(f"backend {name}: {result.status}")
        return result.body

    @app.post("/infer")
    async def infer(request: Request):
        body = await request.body()
        request_id = request.headers.get(wire.REQUEST_ID_KEY, "?")
        offered = float(request.headers.get("x-offered-rps", "0"))
        start = wire.now_ns()
        try:
            if mode == "fusion":
                answers = await asyncio.gather(*(call(name, body, request_id, offered) for name in callers))
                probabilities = [wire.decode(a, wire_width(a, body)) for a in answers]
                out = wire.encode(np.mean(probabilities, axis=0))
            else:
                out = body
                for name in callers:
                    out = await call(name, out, request_id, offered)
        except RuntimeError as error:
            return Response(str(error), status_code=502)
        end = wire.now_ns()
        return Response(out, media_type="application/octet-stream",
                        headers=wire.server_stamps(request.state.receive_ns, start, end))

    @app.get("/health")
    async def health():
        return {"mode": mode, "backends": list(callers)}

    return app


def wire_width(answer, request):
    """Columns of an answer that has as many rows as the request (64 floats a row)."""
    rows = len(request) // (4 * 64)
    return len(answer) // (4 * rows)


def main():
    parser = argparse.ArgumentParser(description="fusion / pipeline front service (testbed)")
    parser.add_argument("--mode", choices=["fusion", "pipeline"], required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--config", required=True)
    parser.add_argument("--backend", action="append", required=True)
    parser.add_argument("--records", required=True)
    args = parser.parse_args()
    import uvicorn
    app = build_app(args.mode, args.config, [parse_backend(b) for b in args.backend], args.records)
    uvicorn.run(app, host="127.0.0.1", port=args.port, workers=1, log_level="warning",
                access_log=False)


if __name__ == "__main__":
    main()
