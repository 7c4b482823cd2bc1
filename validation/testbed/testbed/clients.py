# SPDX-License-Identifier: GPL-3.0-or-later
"""Callers of a model service over REST (httpx) or gRPC (grpc.aio), with link emulation.

Link emulation: `tc netem` is not available on the development kernel, so a link's one-way
delay is emulated in the caller's process: `send_ns` is taken when the caller hands the request
to the link, then the caller sleeps the one-way delay before the request goes on the socket,
and again after the whole answer has arrived, before `response_ns` is taken. The sleeps are
asyncio timers (the event loop's resolution is 1 ms: a sleep ends up to about 1 ms late, which
`link_ns` in the result shows). The delay occupies no server thread and no CPU, like a wire;
bandwidth, loss and jitter are not emulated.
"""
import asyncio
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


class RestCaller(_Caller):
    """POST http://address/infer with an application/octet-stream body, kept-alive connections."""
    protocol = "rest"

    def __init__(self, address, one_way_delay_s=0.0):
        super().__init__(address, one_way_delay_s)
        import httpx
        self.extra_headers = {}   # e.g. x-offered-rps for the front service's records
        self.client = httpx.AsyncClient(
            base_url=f"http://{address}", timeout=30.0,
            limits=httpx.Limits(max_connections=1000, max_keepalive_connections=1000))

    async def _send(self, payload, request_id):
        response = await self.client.post(
            "/infer", content=payload,
            headers={"content-type": "application/octet-stream", wire.REQUEST_ID_KEY: str(request_id),
                     **self.extra_headers})
        response.raise_for_status()
        return response.content, response.headers

    async def close(self):
        await self.client.aclose()


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
