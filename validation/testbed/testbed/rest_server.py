# SPDX-License-Identifier: GPL-3.0-or-later
"""A model served over REST: FastAPI on uvicorn, one worker process, ONNX Runtime on one thread.

  python -m testbed.rest_server --model models/model-a.onnx --port 8001 --mode async|thread

`--mode async`: the handler is `async def`, so inference runs on uvicorn's event loop and
requests are served one at a time (FIFO, one worker). `--mode thread`: the handler is a plain
`def`, which FastAPI runs in its thread pool (anyio, up to 40 threads); ONNX Runtime releases
the GIL while it computes, so several inferences overlap on the machine's cores.

POST /infer takes a float32 matrix (testbed/wire.py) and answers the class probabilities with
the headers x-server-receive-ns (when the ASGI application got the request: headers parsed,
body not yet read), x-handler-start-ns and x-handler-end-ns (around the inference).
GET /health answers 200 once the model is loaded.
"""
import argparse

from . import wire
from .model import OnnxModel


class ReceiveStamp:
    """Pure ASGI middleware: stamps the request when the application first sees it."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            scope.setdefault("state", {})["receive_ns"] = wire.now_ns()
        await self.app(scope, receive, send)


def build_app(model_path, mode):
    from fastapi import Depends, FastAPI, Request, Response
    if mode not in ("async", "thread"):
        raise ValueError(f"mode {mode!r}: expected async or thread")
    model = OnnxModel(model_path)
    app = FastAPI()
    app.add_middleware(ReceiveStamp)

    def answer(request, body):
        try:
            batch = wire.decode(body, model.input_width)
        except ValueError as error:
            return Response(str(error), status_code=400)
        start = wire.now_ns()
        out = model.infer(batch)
        end = wire.now_ns()
        return Response(wire.encode(out), media_type="application/octet-stream",
                        headers=wire.server_stamps(request.state.receive_ns, start, end))

    if mode == "async":
        @app.post("/infer")
        async def infer_on_loop(request: Request):
            return answer(request, await request.body())
    else:
        async def raw_body(request: Request) -> bytes:
            return await request.body()

        @app.post("/infer")
        def infer_in_thread(request: Request, body: bytes = Depends(raw_body)):
            return answer(request, body)

    @app.get("/health")
    async def health():
        return {"model": model_path}

    return app


def main():
    parser = argparse.ArgumentParser(description="FastAPI/uvicorn model server (testbed)")
    parser.add_argument("--model", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--mode", choices=["async", "thread"], default="async")
    args = parser.parse_args()
    import uvicorn
    uvicorn.run(build_app(args.model, args.mode), host="127.0.0.1", port=args.port,
                workers=1, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
