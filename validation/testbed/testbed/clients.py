# SPDX-License-Identifier: GPL-3.0-or-later
"""Callers of a model service over REST (HTTP/1.1, RestCaller) or gRPC (grpc.aio), with link emulation.

Link emulation: `tc netem` is not available on the development kernel, so a link's one-way
delay is emulated in the caller's process: `send_ns` is taken when the caller hands the request
to the link, then the caller sleeps the one-way delay before the request goes on the socket,
and again after the whole answer has arrived, before `response_ns` is taken. The sleeps are
asyncio timers (the event loop's resolution is 1 ms: a sleep ends up to about 1 ms late, which
`link_ns` in the result shows). The delay occupies no server thread and no CPU, like a wire;
bandwidth, loss and jitter are not emulated.
"""
import asyncio
import time
from dataclasses import dataclass

from . import wire


@dataclass
class CallResult:
    send_ns: int
    server_receive_ns: int
    handler_start_ns: int
    handler_end_ns: int
    response_ns: int
    request_bytes: int
    response_bytes: int
    status: str
    body: bytes = b""


def failed(send_ns, request_bytes, status):
    t = wire.now_ns()
    return CallResult(send_ns, t, t, t, t, request_bytes, 0, status)


def parse_target(spec):
    """'rest://127.0.0.1:8001' or 'grpc://127.0.0.1:9001' -> (protocol, host:port)."""
    protocol, sep, address = spec.partition("://")
    if not sep or protocol not in ("rest", "grpc") or ":" not in address:
        raise ValueError(f"target {spec!r}: expected rest://HOST:PORT or grpc://HOST:PORT")
    return protocol, address


def make_caller(spec, one_way_delay_s=0.0):
    protocol, address = parse_target(spec)
    cls = RestCaller if protocol == "rest" else GrpcCaller
    return cls(address, one_way_delay_s)


class _Caller:
    protocol = ""

    def __init__(self, address, one_way_delay_s):
        if one_way_delay_s < 0:
            raise ValueError(f"link delay {one_way_delay_s} s is negative")
        self.address = address
        self.delay_s = one_way_delay_s

    async def _link(self):
        if self.delay_s > 0:
            await asyncio.sleep(self.delay_s)

    async def call(self, payload, request_id):
        """Sends one request; never raises for a failed call (status says why)."""
        send_ns = wire.now_ns()
        await self._link()
        try:
            body, stamps = await self._send(payload, request_id)
        except Exception as error:  # a failed call is a measurement, not a crash
            return failed(send_ns, len(payload), _status_word(error))
        await self._link()
        response_ns = wire.now_ns()
        try:
            receive, start, end = (int(stamps[k]) for k in (wire.RECEIVE_KEY, wire.START_KEY, wire.END_KEY))
        except (KeyError, ValueError):
            return failed(send_ns, len(payload), "no-server-timestamps")
        return CallResult(send_ns, receive, start, end, response_ns, len(payload), len(body), "ok", body)


def _status_word(error):
    status = getattr(error, "status_code", None)
    if status is not None:
        return f"http-{status}"
    code = getattr(error, "code", None)
    if callable(code):
        try:
            return "grpc-" + code().name.lower()
        except Exception:
            pass
    return type(error).__name__.lower()


class HTTPStatusError(Exception):
    """An answer with status >= 400 (`status_code` names it, as _status_word reads)."""

    def __init__(self, status_code):
        super().__init__(f"HTTP {status_code}")
        self.status_code = status_code


class RestCaller(_Caller):
    """POST http://address/infer with an application/octet-stream body over kept-alive
    HTTP/1.1 connections of its own: one request at a time per connection, an idle connection
    reused (the most recently used first), a new one opened when none is idle.

    Why not httpx (the client until 2026-12-07): httpcore's pool matches every queued request
    against every connection whenever one frees up, so a backlog of n requests costs O(n ·
    connections) per event; in a long u = 0.85 level a busy period's backlog made the client
    itself the bottleneck (the server idle, the load generator at 100 % CPU — docs/validation.md,
    "The REST client"). Here a request costs the same whatever the backlog. The client speaks
    only what the testbed's servers answer: a status line, headers, a Content-Length body
    (chunked answers are refused as a failed call).

    A connection idle for KEEPALIVE_EXPIRY_S is closed instead of reused: uvicorn closes a
    kept-alive connection after `timeout_keep_alive` (5 s by default) with no request, and a
    request sent on one it had just closed failed with a connection reset (1–4 in an 80,000-
    request level: a busy period opens many connections that then sit idle). Like httpx's
    `keepalive_expiry`, the client lets them go first."""
    protocol = "rest"
    TIMEOUT_S = 30.0
    KEEPALIVE_EXPIRY_S = 4.0   # below uvicorn's timeout_keep_alive (5 s)

    def __init__(self, address, one_way_delay_s=0.0):
        super().__init__(address, one_way_delay_s)
        host, _, port = address.rpartition(":")
        self.host, self.port = host, int(port)
        self.extra_headers = {}   # e.g. x-offered-rps for the front service's records
        self.idle = []            # (reader, writer, idle since: time.monotonic()) of kept-alive connections with no request

    async def _connection(self):
        while self.idle:
            reader, writer, since = self.idle.pop()
            if not writer.is_closing() and not reader.at_eof() and time.monotonic() - since < self.KEEPALIVE_EXPIRY_S:
                return reader, writer
            writer.close()
        return await asyncio.open_connection(self.host, self.port)

    async def _exchange(self, reader, writer, payload, request_id):
        head = ["POST /infer HTTP/1.1", f"Host: {self.host}:{self.port}", "Content-Type: application/octet-stream",
                f"Content-Length: {len(payload)}", f"{wire.REQUEST_ID_KEY}: {request_id}"]
        head += [f"{key}: {value}" for key, value in self.extra_headers.items()]
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1"))
        writer.write(payload)
        await writer.drain()
        status_line = await reader.readline()
        parts = status_line.split(None, 2)
        if len(parts) < 2 or not parts[0].startswith(b"HTTP/1."):
            raise ConnectionError(f"not an HTTP/1.x status line: {status_line[:80]!r}")
        status = int(parts[1])
        headers = {}
        while True:
            line = await reader.readline()
            if line in (b"\r\n", b"\n", b""):
                break
            key, _, value = line.decode("latin-1").partition(":")
            headers[key.strip().lower()] = value.strip()
        if "chunked" in headers.get("transfer-encoding", "").lower():
            raise ConnectionError("chunked answer: the testbed's servers send a Content-Length")
        body = await reader.readexactly(int(headers.get("content-length", "0")))
        return status, headers, body

    async def _send(self, payload, request_id):
        reader, writer = await self._connection()
        try:
            status, headers, body = await asyncio.wait_for(
                self._exchange(reader, writer, payload, request_id), self.TIMEOUT_S)
        except BaseException:
            writer.close()   # a connection in an unknown state is not reused
            raise
        if headers.get("connection", "").lower() == "close":
            writer.close()
        else:
            self.idle.append((reader, writer, time.monotonic()))
        if status >= 400:
            raise HTTPStatusError(status)
        return body, headers

    async def close(self):
        while self.idle:
            _, writer, _ = self.idle.pop()
            writer.close()


class GrpcCaller(_Caller):
    """Unary call /hybridsim.testbed.Model/Infer with raw bytes in and out, one HTTP/2 channel."""
    protocol = "grpc"

    def __init__(self, address, one_way_delay_s=0.0):
        super().__init__(address, one_way_delay_s)
        import grpc
        self.channel = grpc.aio.insecure_channel(address, options=wire.GRPC_OPTIONS)
        self.method = self.channel.unary_unary(wire.GRPC_METHOD)

    async def _send(self, payload, request_id):
        call = self.method(payload, metadata=((wire.REQUEST_ID_KEY, str(request_id)),), timeout=30.0)
        body = await call
        trailing = await call.trailing_metadata()
        return body, {key: value for key, value in trailing}

    async def close(self):
        await self.channel.close()
