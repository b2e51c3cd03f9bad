"""The fault proxy itself: each fault gives the client the symptom it promises.

Runs against a tiny stdlib HTTP/1.1 upstream (and a websockets echo server), so a failure here
points at the proxy, not at the SDK or the embedded server.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx2
import pytest
from websockets.asyncio.client import connect
from websockets.asyncio.server import ServerConnection, serve
from websockets.exceptions import ConnectionClosed

from _support.faultproxy import Fault, FaultPlan, FaultProxy, RequestInfo, TunnelDrop


class _Upstream(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    hits = 0

    def do_GET(self) -> None:
        type(self).hits += 1
        body = json.dumps({"success": True, "hits": type(self).hits, "pad": "x" * 200}).encode()
        if self.path.startswith("/chunked"):
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for part in (body[:50], body[50:]):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
            self.wfile.write(b"0\r\n\r\n")
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def upstream() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Upstream)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _one(upstream: str, fault: Fault, path: str = "/x") -> tuple[object, int]:
    """Send one GET through a proxy that applies ``fault``; (response or error, hits added)."""
    before = _Upstream.hits
    with (
        FaultProxy(upstream, plan=FaultPlan(script=[fault]), stall_seconds=1.0) as proxy,
        httpx2.Client(base_url=proxy.url, timeout=0.5) as client,
    ):
        try:
            outcome: object = client.get(path)
        except httpx2.TransportError as exc:
            outcome = exc
        assert proxy.counts() == {fault: 1}
    return outcome, _Upstream.hits - before


@pytest.mark.parametrize("path", ["/plain", "/chunked"])
def test_pass_keeps_connections_alive(upstream: str, path: str) -> None:
    with FaultProxy(upstream) as proxy, httpx2.Client(base_url=proxy.url) as client:
        bodies = [client.get(path).json() for _ in range(5)]
        assert proxy.connections == 1
    assert [b["hits"] for b in bodies] == list(range(bodies[0]["hits"], bodies[0]["hits"] + 5))


@pytest.mark.parametrize(
    ("fault", "error", "hits"),
    [
        (Fault.RESET_BEFORE, httpx2.TransportError, 0),
        (Fault.RESET_AFTER_REQUEST, httpx2.TransportError, 1),
        (Fault.RESET_MID_RESPONSE, httpx2.TransportError, 1),
        (Fault.TRUNCATE, httpx2.RemoteProtocolError, 1),
        (Fault.STALL, httpx2.ReadTimeout, 1),
    ],
)
def test_connection_faults(upstream: str, fault: Fault, error: type[Exception], hits: int) -> None:
    outcome, added = _one(upstream, fault)
    assert isinstance(outcome, error)
    assert added == hits == int(fault.forwarded)


@pytest.mark.parametrize("path", ["/plain", "/chunked"])
def test_short_body_is_a_complete_response_with_broken_json(upstream: str, path: str) -> None:
    outcome, added = _one(upstream, Fault.SHORT_BODY, path)
    assert isinstance(outcome, httpx2.Response) and outcome.status_code == 200
    with pytest.raises(ValueError):
        json.loads(outcome.content)
    assert added == 1


@pytest.mark.parametrize(
    ("fault", "status", "content_type"),
    [
        (Fault.HTML_502, 502, "text/html"),
        (Fault.STATUS_503, 503, "text/plain"),
        (Fault.RATE_LIMIT, 429, "application/json"),
    ],
)
def test_canned_answers_are_not_forwarded(
    upstream: str, fault: Fault, status: int, content_type: str
) -> None:
    outcome, added = _one(upstream, fault)
    assert isinstance(outcome, httpx2.Response)
    assert outcome.status_code == status
    assert outcome.headers["content-type"] == content_type
    assert added == 0


def test_rate_limit_is_a_burst_until_the_reset(upstream: str) -> None:
    plan = FaultPlan(script=[Fault.RATE_LIMIT])
    with (
        FaultProxy(upstream, plan=plan, rate_limit_window=0.5) as proxy,
        httpx2.Client(base_url=proxy.url) as client,
    ):
        first, second = client.get("/a"), client.get("/b")
        reset_ms = int(first.headers["x-ratelimit-reset"])
        assert second.status_code == 429
        assert abs(int(second.headers["x-ratelimit-reset"]) - reset_ms) < 50
        assert "[error-too-many-requests]" in first.json()["error"]
        assert reset_ms / 1000 - time.time() < 0.5 + 0.05  # about the window, not more
        while time.time() * 1000 < reset_ms:  # the promise: requests pass from the reset on
            time.sleep(0.005)
        assert client.get("/c").status_code == 200
    assert [r.burst for r in proxy.records] == [False, True, False]


def test_seeded_plan_is_reproducible_and_respects_match() -> None:
    def draw() -> list[Fault]:
        plan = FaultPlan(rate=0.3, seed=11, match=lambda info: info.method == "POST")
        infos = [RequestInfo("POST" if i % 2 else "GET", "/p") for i in range(200)]
        return [plan.decide(info) for info in infos]

    first = draw()
    assert first == draw()
    assert all(f is Fault.PASS for f in first[::2])
    faulted = sum(f is not Fault.PASS for f in first[1::2])
    assert 15 < faulted < 45


async def _echo(ws: ServerConnection) -> None:
    async for message in ws:
        await ws.send(message)


@pytest.mark.parametrize("how", list(TunnelDrop))
async def test_tunnel_drops(how: TunnelDrop) -> None:
    async with serve(_echo, "127.0.0.1", 0, close_timeout=0.5) as server:
        port = server.sockets[0].getsockname()[1]
        proxy = FaultProxy(f"http://127.0.0.1:{port}").start()
        try:
            async with connect(f"ws://127.0.0.1:{proxy.port}/ws", close_timeout=0.2) as ws:
                await ws.send("a" * 70_000)  # a long frame crosses chunk boundaries
                assert await ws.recv() == "a" * 70_000
                assert await asyncio.to_thread(proxy.drop_tunnels, how) == 1
                if how is TunnelDrop.STALL:
                    await ws.send("b")
                    with pytest.raises(TimeoutError):
                        await asyncio.wait_for(ws.recv(), 0.3)
                    return
                with pytest.raises(ConnectionClosed) as closed:
                    await asyncio.wait_for(ws.recv(), 2)
                if how is TunnelDrop.CLOSE:
                    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1001
                else:
                    assert closed.value.rcvd is None
        finally:
            await asyncio.to_thread(proxy.stop)


def _raw_get(sock: socket.socket) -> bytes:
    sock.sendall(b"GET /raw HTTP/1.1\r\nHost: x\r\n\r\n")
    return sock.recv(65536)


def test_drop_resets_open_keep_alive_connections(upstream: str) -> None:
    with FaultProxy(upstream) as proxy, socket.create_connection(("127.0.0.1", proxy.port)) as s:
        assert _raw_get(s).startswith(b"HTTP/1.1 200")
        assert proxy.drop() == 1
        s.settimeout(2)
        with pytest.raises(ConnectionResetError):
            _raw_get(s)
            _raw_get(s)  # the first send may still be buffered before the reset shows


def test_refuse_resets_new_connections_until_heal(upstream: str) -> None:
    with FaultProxy(upstream) as proxy:
        proxy.refuse()
        with httpx2.Client(base_url=proxy.url) as client, pytest.raises(httpx2.TransportError):
            client.get("/x")
        proxy.heal()
        with httpx2.Client(base_url=proxy.url) as client:
            assert client.get("/x").status_code == 200
        assert proxy.connections == 2


def test_stall_answers_nothing_and_forwards_nothing_until_heal(upstream: str) -> None:
    before = _Upstream.hits
    with FaultProxy(upstream) as proxy:
        proxy.stall()
        with httpx2.Client(base_url=proxy.url, timeout=0.3) as client:
            with pytest.raises(httpx2.ReadTimeout):
                client.get("/x")
            assert (proxy.stalled_requests, _Upstream.hits) == (1, before)
        proxy.heal()
        with httpx2.Client(base_url=proxy.url) as client:
            assert client.get("/x").status_code == 200
    assert _Upstream.hits == before + 1
