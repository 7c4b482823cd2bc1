# SPDX-License-Identifier: GPL-3.0-or-later
"""The testbed's configurations and the server processes each one starts.

A configuration is one deployment shape over one protocol:
- single: the client calls one model server (REST event loop, REST thread pool, or gRPC);
- pipeline: the client calls the front service (REST), which calls stage-1 then stage-2;
- collaborative: the front calls model-a and model-b at once and answers the mean.
Every server is its own process (`python -m testbed.<server>`), listening on 127.0.0.1.
"""
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@dataclass(frozen=True)
class Config:
    name: str
    kind: str          # single | pipeline | collaborative
    protocol: str      # rest | grpc: the protocol of the model servers
    rest_mode: str     # async | thread: the REST model servers' handler kind
    models: tuple      # model files (models/<name>.onnx) served, in call order

    @property
    def node_names(self):
        """The scenario node of each model server (the names summary.json uses)."""
        return ("server",) if self.kind == "single" else tuple(f"node-{m}" for m in self.models)

    @property
    def thread_pool(self):
        """Whether the model servers are FastAPI `def` handlers in anyio's thread pool
        (rest-thread): several handlers run at once. Every other model server is one executor
        (grpcio with one thread, uvicorn running `async def` handlers), first come first served."""
        return self.protocol == "rest" and self.rest_mode == "thread"

    def records_file(self, model):
        """The records file name, in a level's folder, of model server `model`'s calls: the
        client's `records.csv` for a single server, the front's `records-<model>.csv` for each
        call of a composite."""
        return "records.csv" if self.kind == "single" else f"records-{model}.csv"

    @property
    def records_files(self):
        """(model, records_file(model)) of every model server, in call order."""
        return [(model, self.records_file(model)) for model in self.models]


CONFIGS = {c.name: c for c in [
    Config("rest-async", "single", "rest", "async", ("model-a",)),
    Config("rest-thread", "single", "rest", "thread", ("model-a",)),
    Config("grpc", "single", "grpc", "async", ("model-a",)),
    Config("pipeline-rest", "pipeline", "rest", "async", ("stage-1", "stage-2")),
    Config("pipeline-grpc", "pipeline", "grpc", "async", ("stage-1", "stage-2")),
    Config("collab-rest", "collaborative", "rest", "async", ("model-a", "model-b")),
    Config("collab-grpc", "collaborative", "grpc", "async", ("model-a", "model-b")),
]}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Deployment:
    """Starts a configuration's servers; `entry` is what the load generator calls,
    `backends` {model: target} the model servers. Use as a context manager."""

    def __init__(self, config, models_dir, records_path, link_delays_ms, log_dir):
        self.config = config
        self.models_dir = models_dir
        self.records_path = records_path
        self.delays = link_delays_ms
        self.log_dir = log_dir
        self.processes = []
        self.backends = {}
        self.entry = None

    def _start(self, name, args):
        log = open(os.path.join(self.log_dir, f"{name}.log"), "w")
        env = dict(os.environ, OMP_NUM_THREADS="1", PYTHONUNBUFFERED="1")
        process = subprocess.Popen([sys.executable, "-m", *args], cwd=HERE, env=env,
                                   stdout=log, stderr=subprocess.STDOUT)
        self.processes.append((name, process, log))

    def __enter__(self):
        c = self.config
        for model in c.models:
            port = free_port()
            path = os.path.join(self.models_dir, f"{model}.onnx")
            if c.protocol == "rest":
                self._start(model, ["testbed.rest_server", "--model", path, "--port", str(port), "--mode", c.rest_mode])
            else:
                self._start(model, ["testbed.grpc_server", "--model", path, "--port", str(port)])
            self.backends[model] = f"{c.protocol}://127.0.0.1:{port}"
        if c.kind == "single":
            self.entry = self.backends[c.models[0]]
        else:
            port = free_port()
            args = ["testbed.front_server", "--mode", "fusion" if c.kind == "collaborative" else "pipeline",
                    "--port", str(port), "--config", c.name, "--records", self.records_path]
            for model, target in self.backends.items():
                args += ["--backend", f"{model}={target}@{self.delays.get(model, 0)}"]
            self._start("front", args)
            self.entry = f"rest://127.0.0.1:{port}"
        try:
            for target in list(self.backends.values()) + ([self.entry] if c.kind != "single" else []):
                wait_ready(target, self)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self):
        for _, process, _ in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for name, process, log in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log.close()
        self.processes = []

    def __exit__(self, *exc):
        self.stop()

    def pids(self):
        """{process name: pid} of the running servers (the model names, and "front")."""
        return {name: process.pid for name, process, _ in self.processes}

    def check_alive(self):
        for name, process, log in self.processes:
            if process.poll() is not None:
                log.flush()
                with open(log.name) as f:
                    tail = f.read()[-2000:]
                raise RuntimeError(f"server {name} exited with {process.returncode}; its log ({log.name}) ends:\n{tail}")


def wait_ready(target, deployment, timeout_s=60.0):
    """Polls a server until it answers (REST: GET /health; gRPC: channel ready)."""
    protocol, _, address = target.partition("://")
    deadline = time.monotonic() + timeout_s
    while True:
        deployment.check_alive()
        try:
            if protocol == "rest":
                import httpx
                if httpx.get(f"http://{address}/health", timeout=1.0).status_code == 200:
                    return
            else:
                import grpc
                with grpc.insecure_channel(address) as channel:
                    grpc.channel_ready_future(channel).result(timeout=1.0)
                    return
        except Exception:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"server at {target} not ready after {timeout_s:.0f} s")
        time.sleep(0.2)
