"""A fault-injecting TCP proxy for HTTP/1.1 and websockets, for reliability tests.

:class:`FaultProxy` listens on ``127.0.0.1`` (a free port) and forwards to an upstream server.
It parses just enough HTTP/1.1 to act per request: it reads each request whole, asks its
:class:`FaultPlan` what to do with it (a fixed script, then a seeded probability), and then
forwards it faithfully or breaks it in one of the ways listed in :class:`Fault`. Keep-alive
connections are kept alive; ``Upgrade: websocket`` requests become raw tunnels that
:meth:`FaultProxy.drop_tunnels` can close, reset or stall on demand.

Faults of the whole path, as networks break: :meth:`FaultProxy.drop` resets every open
connection (tunnels and keep-alive alike), :meth:`FaultProxy.stall` is a partition (nothing
flows on open or new connections), :meth:`FaultProxy.refuse` resets new connections at once;
:meth:`FaultProxy.heal` ends the last two (connections that were stalled stay broken).

The proxy runs its own event loop in a daemon thread, so it serves sync and async clients alike;
every public method is safe to call from any thread. It never logs (request lines carry visitor
tokens, and the security tests capture every log record).

    with FaultProxy(server_url, plan=FaultPlan(rate=0.05, seed=7)) as proxy:
        client = LivechatClient(proxy.url)
        ...
        print(proxy.counts())
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import random
import socket
import struct
import threading
import time
from collections import Counter
from collections.abc import Callable, Coroutine, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, TypeVar
from urllib.parse import urlsplit

T = TypeVar("T")

_HEAD_LIMIT = 1 << 20
_CHUNK = 1 << 16
_IDLE_REUSE = 2.0


class Fault(StrEnum):
    """What the proxy does with one HTTP request. ``forwarded`` tells whether the server got it."""

    PASS = "pass"
    #: the client's connection is reset (RST) after the request was read; nothing forwarded
    RESET_BEFORE = "reset_before"
    #: forwarded and answered by the server, then the client's connection is reset
    RESET_AFTER_REQUEST = "reset_after_request"
    #: forwarded; the client gets the head and half the body, then a reset
    RESET_MID_RESPONSE = "reset_mid_response"
    #: forwarded; the client gets the head (true Content-Length) and half the body, then FIN
    TRUNCATE = "truncate"
    #: forwarded; the client gets a complete response whose body is cut short (not valid JSON)
    SHORT_BODY = "short_body"
    #: forwarded; the client hears nothing for ``stall_seconds``, then a reset
    STALL = "stall"
    #: not forwarded; a gateway's ``502 Bad Gateway`` HTML page
    HTML_502 = "html_502"
    #: not forwarded; ``503 Service Unavailable`` in plain text
    STATUS_503 = "status_503"
    #: not forwarded; Rocket.Chat's 429 with ``X-RateLimit-Reset``, and every request in the
    #: next ``rate_limit_window`` seconds gets the same answer (a burst)
    RATE_LIMIT = "rate_limit"

    @property
    def forwarded(self) -> bool:
        return self in _FORWARDED


_FORWARDED = frozenset(
    {
        Fault.PASS,
        Fault.RESET_AFTER_REQUEST,
        Fault.RESET_MID_RESPONSE,
        Fault.TRUNCATE,
        Fault.SHORT_BODY,
        Fault.STALL,
    }
)

#: every fault except PASS
HTTP_FAULTS: tuple[Fault, ...] = tuple(f for f in Fault if f is not Fault.PASS)


class TunnelDrop(StrEnum):
    """How :meth:`FaultProxy.drop_tunnels` breaks the open websocket tunnels."""

    #: the client gets a websocket close frame (1001 going away), then FIN (a server close)
    CLOSE = "close"
    #: both sides get a TCP reset
    RESET = "reset"
    #: nothing flows any more in either direction (pongs stall); the client must notice
    STALL = "stall"


@dataclass(frozen=True, slots=True)
class RequestInfo:
    """The request line of one proxied request."""

    method: str
    target: str

    @property
    def path(self) -> str:
        return self.target.split("?", 1)[0]


@dataclass(frozen=True, slots=True)
class Record:
    """What the proxy did with one request (in arrival order)."""

    index: int
    method: str
    path: str
    fault: Fault
    burst: bool = False


@dataclass(slots=True)
class FaultPlan:
    """Chooses a :class:`Fault` per request.

    The first requests that ``match`` get ``script`` in order; after that each matching request
    is faulted with probability ``rate``, the kind drawn uniformly from ``kinds`` with a
    ``random.Random(seed)``. Requests that do not match always pass.
    """

    rate: float = 0.0
    kinds: Sequence[Fault] = HTTP_FAULTS
    seed: int = 0
    script: Sequence[Fault] = ()
    match: Callable[[RequestInfo], bool] | None = None
    _rng: random.Random = field(init=False, repr=False)
    _position: int = field(default=0, init=False, repr=False)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)

    def decide(self, info: RequestInfo) -> Fault:
        if self.match is not None and not self.match(info):
            return Fault.PASS
        if self._position < len(self.script):
            self._position += 1
            return self.script[self._position - 1]
        if self.rate > 0 and self._rng.random() < self.rate:
            return self._rng.choice(list(self.kinds))
        return Fault.PASS


class _Closed(Exception):
    """The peer closed the connection between requests."""


@dataclass(slots=True)
class _Message:
    """One HTTP message as raw bytes, with what the proxy needs to know about it."""

    head: bytes
    body: bytes
    first_line: str
    headers: dict[str, str]
    until_close: bool = False  # the body was delimited by the end of the connection

    @property
    def raw(self) -> bytes:
        return self.head + self.body


class FaultProxy:
    """A fault-injecting proxy in front of ``upstream`` (``http://host:port``)."""

    def __init__(
        self,
        upstream: str,
        *,
        plan: FaultPlan | None = None,
        stall_seconds: float = 3.0,
        rate_limit_window: float = 0.3,
    ) -> None:
        parts = urlsplit(upstream)
        if parts.hostname is None or parts.port is None:
            raise ValueError(f"upstream needs a host and a port: {upstream!r}")
        self._upstream = (parts.hostname, parts.port)
        self.plan = plan or FaultPlan()
        self.stall_seconds = stall_seconds
        self.rate_limit_window = rate_limit_window
        self.records: list[Record] = []
        self.connections = 0  # client connections accepted
        #: requests (websocket upgrades included) that arrived during a stall and got nothing
        self.stalled_requests = 0
        #: server websocket frames that stalled tunnels swallowed
        self.stalled_frames = 0
        self._stalled = False
        self._refusing = False
        self._clients: set[asyncio.StreamWriter] = set()
        self._limited_until = 0.0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._tunnels: set[_Tunnel] = set()
        self.port = 0

    # --- lifecycle ------------------------------------------------------------------------

    def start(self) -> FaultProxy:
        """Start listening; returns ``self``."""
        self._thread.start()
        self._server = self._call(self._listen())
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    def stop(self) -> None:
        """Close every connection and stop the loop (idempotent)."""
        if not self._thread.is_alive():
            return
        self._call(self._shutdown())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)
        self._loop.close()

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # --- observations and controls --------------------------------------------------------

    def counts(self) -> Counter[Fault]:
        """How many requests got each fault so far."""
        return Counter(record.fault for record in list(self.records))

    @property
    def tunnel_count(self) -> int:
        """Open websocket tunnels."""
        return len(self._tunnels)

    def drop_tunnels(self, how: TunnelDrop) -> int:
        """Break every open websocket tunnel ``how``; returns how many were broken."""
        return self._call(self._drop_tunnels(how))

    def drop(self) -> int:
        """Reset every open client connection, tunnels and keep-alive ones; returns how many."""
        return self._call(self._drop_all())

    def stall(self) -> None:
        """A partition: open tunnels stall for good; until :meth:`heal`, every new request
        (websocket upgrades too) is read and swallowed, its connection left hanging."""
        self._call(self._stall())

    def refuse(self) -> None:
        """Reset new connections as soon as they are accepted (until :meth:`heal`)."""
        self._refusing = True

    def heal(self) -> None:
        """Forward new requests normally again (stalled connections stay broken)."""
        self._stalled = False
        self._refusing = False

    # --- internals ------------------------------------------------------------------------

    def _call(self, coro: Coroutine[Any, Any, T]) -> T:
        future: Future[T] = asyncio.run_coroutine_threadsafe(coro, self._loop)
        return future.result(timeout=10)

    async def _listen(self) -> asyncio.Server:
        return await asyncio.start_server(self._accept, "127.0.0.1", 0, limit=_HEAD_LIMIT)

    async def _shutdown(self) -> None:
        if self._server is not None:
            self._server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _drop_tunnels(self, how: TunnelDrop) -> int:
        tunnels = list(self._tunnels)
        for tunnel in tunnels:
            await tunnel.drop(how)
        return len(tunnels)

    async def _drop_all(self) -> int:
        tunneled = await self._drop_tunnels(TunnelDrop.RESET)
        clients = [writer for writer in self._clients if not writer.transport.is_closing()]
        for writer in clients:
            _reset(writer)
        return tunneled + len(clients)

    async def _stall(self) -> None:
        self._stalled = True
        await self._drop_tunnels(TunnelDrop.STALL)

    async def _swallow(self, reader: asyncio.StreamReader) -> None:
        """A stalled request: say nothing, read and discard until the client gives up."""
        self.stalled_requests += 1
        while await reader.read(_CHUNK):
            pass

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        self.connections += 1
        if self._refusing:
            _reset(writer)
            self._tasks.discard(task)
            return
        self._clients.add(writer)
        upstream = _Upstream(*self._upstream)
        try:
            await self._serve(reader, writer, upstream)
        except (OSError, EOFError, _Closed, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            pass
        finally:
            self._tasks.discard(task)
            self._clients.discard(writer)
            upstream.close()
            _abort(writer)

    async def _serve(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, upstream: _Upstream
    ) -> None:
        while True:
            request = await _read_request(reader)
            method, target = _request_line(request.first_line)
            info = RequestInfo(method, target)
            if self._stalled:
                await self._swallow(reader)
                return
            if request.headers.get("upgrade", "").lower() == "websocket":
                await self._tunnel(request, reader, writer, upstream)
                return
            fault, burst = self._choose(info)
            self.records.append(Record(len(self.records), method, info.path, fault, burst))
            keep_open = await self._act(fault, request, method, writer, upstream)
            if not keep_open:
                return

    def _choose(self, info: RequestInfo) -> tuple[Fault, bool]:
        if time.monotonic() < self._limited_until:
            return Fault.RATE_LIMIT, True
        fault = self.plan.decide(info)
        if fault is Fault.RATE_LIMIT:
            self._limited_until = time.monotonic() + self.rate_limit_window
        return fault, False

    async def _act(
        self,
        fault: Fault,
        request: _Message,
        method: str,
        writer: asyncio.StreamWriter,
        upstream: _Upstream,
    ) -> bool:
        """Carry out ``fault``; whether the client connection stays usable."""
        if fault is Fault.RESET_BEFORE:
            return _reset(writer)
        if not fault.forwarded:
            writer.write(self._canned(fault))
            await writer.drain()
            return True
        response = await upstream.exchange(request, method)
        if fault is Fault.PASS:
            writer.write(response.raw)
            await writer.drain()
            return not response.until_close and not _wants_close(response)
        if fault is Fault.RESET_AFTER_REQUEST:
            return _reset(writer)
        if fault is Fault.STALL:
            await asyncio.sleep(self.stall_seconds)
            return _reset(writer)
        if fault is Fault.SHORT_BODY:
            writer.write(_with_short_body(response))
            await writer.drain()
            return True
        writer.write(response.head + response.body[: len(response.body) // 2])
        await writer.drain()
        if fault is Fault.RESET_MID_RESPONSE:
            return _reset(writer)
        writer.close()  # TRUNCATE: a clean FIN in the middle of the body
        return False

    def _canned(self, fault: Fault) -> bytes:
        if fault is Fault.HTML_502:
            html = b"<html><head><title>502 Bad Gateway</title></head><body>bad</body></html>"
            return _response(502, "Bad Gateway", "text/html", html)
        if fault is Fault.STATUS_503:
            return _response(503, "Service Unavailable", "text/plain", b"Service Unavailable")
        wait = max(self._limited_until - time.monotonic(), 0.0)
        reset_ms = math.ceil((time.time() + wait) * 1000) + 1  # never before the end
        seconds = max(1, round(wait + 0.5))
        body = (
            b'{"success":false,"error":"Error, too many requests. Please slow down. You must '
            b'wait %d seconds before trying this endpoint again. [error-too-many-requests]"}'
            % seconds
        )
        extra = {
            "X-RateLimit-Limit": "10",
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": str(reset_ms),
        }
        return _response(429, "Too Many Requests", "application/json", body, extra)

    async def _tunnel(
        self,
        request: _Message,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        upstream: _Upstream,
    ) -> None:
        up_reader, up_writer = await upstream.connection()
        up_writer.write(request.raw)
        await up_writer.drain()
        head = await up_reader.readuntil(b"\r\n\r\n")
        writer.write(head)
        await writer.drain()
        if not head.startswith(b"HTTP/1.1 101"):
            return
        tunnel = _Tunnel(self, reader, writer, up_reader, up_writer)
        self._tunnels.add(tunnel)
        try:
            await tunnel.run()
        finally:
            self._tunnels.discard(tunnel)
            upstream.forget()


class _Upstream:
    """The proxy's own keep-alive connection to the server, per client connection.

    A connection idle for longer than ``_IDLE_REUSE`` seconds is replaced before use, so that
    the server's keep-alive timeout never races a request (which the proxy could not safely
    send twice).
    """

    def __init__(self, host: str, port: int) -> None:
        self._address = (host, port)
        self._conn: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        self._last_used = 0.0

    async def connection(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        if self._conn is not None and time.monotonic() - self._last_used > _IDLE_REUSE:
            self.close()
        if self._conn is None:
            self._conn = await asyncio.open_connection(*self._address, limit=_HEAD_LIMIT)
        return self._conn

    async def exchange(self, request: _Message, method: str) -> _Message:
        """Send ``request`` and read the whole response."""
        reader, writer = await self.connection()
        try:
            writer.write(request.raw)
            await writer.drain()
            response = await _read_response(reader, method)
        except BaseException:
            self.close()
            raise
        self._last_used = time.monotonic()
        if response.until_close or _wants_close(response):
            self.close()
        return response

    def forget(self) -> None:
        """The connection now belongs to a tunnel."""
        self._conn = None

    def close(self) -> None:
        if self._conn is not None:
            _abort(self._conn[1])
            self._conn = None


class _Tunnel:
    """A websocket connection piped both ways; server frames are forwarded whole."""

    def __init__(
        self,
        proxy: FaultProxy,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        up_reader: asyncio.StreamReader,
        up_writer: asyncio.StreamWriter,
    ) -> None:
        self._proxy = proxy
        self._client = (reader, writer)
        self._server = (up_reader, up_writer)
        self._stalled = False
        self._done = asyncio.Event()

    async def run(self) -> None:
        pumps = [
            asyncio.create_task(self._pump_client()),
            asyncio.create_task(self._pump_server()),
        ]
        try:
            await self._done.wait()
        finally:
            for pump in pumps:
                pump.cancel()
            await asyncio.gather(*pumps, return_exceptions=True)
            _abort(self._client[1])
            _abort(self._server[1])

    async def drop(self, how: TunnelDrop) -> None:
        if how is TunnelDrop.STALL:
            self._stalled = True
            return
        client_writer = self._client[1]
        if how is TunnelDrop.CLOSE:
            with contextlib.suppress(OSError):
                client_writer.write(b"\x88\x02" + struct.pack("!H", 1001))
                await client_writer.drain()
            client_writer.close()
            self._server[1].close()
        else:
            _reset(client_writer)
            _reset(self._server[1])
        self._done.set()

    async def _pump_client(self) -> None:
        reader = self._client[0]
        try:
            while chunk := await reader.read(_CHUNK):
                if not self._stalled:
                    self._server[1].write(chunk)
                    await self._server[1].drain()
        except OSError:
            pass
        self._done.set()

    async def _pump_server(self) -> None:
        reader, writer = self._server[0], self._client[1]
        try:
            while True:
                frame = await _read_ws_frame(reader)
                if self._stalled:
                    self._proxy.stalled_frames += 1
                else:
                    writer.write(frame)
                    await writer.drain()
        except (OSError, asyncio.IncompleteReadError):
            pass
        self._done.set()


# --- HTTP/1.1 framing ----------------------------------------------------------------------


def _parse_head(head: bytes) -> tuple[str, dict[str, str]]:
    lines = head.decode("latin-1").split("\r\n")
    headers: dict[str, str] = {}
    for line in lines[1:]:
        if ":" in line:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
    return lines[0], headers


def _request_line(first_line: str) -> tuple[str, str]:
    parts = first_line.split(" ")
    if len(parts) != 3:
        raise _Closed(f"not an HTTP request line: {first_line[:80]!r}")
    return parts[0], parts[1]


async def _read_head(reader: asyncio.StreamReader) -> bytes:
    try:
        return await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError as exc:
        raise _Closed("connection closed") from exc


async def _read_request(reader: asyncio.StreamReader) -> _Message:
    head = await _read_head(reader)
    first_line, headers = _parse_head(head)
    body = await _read_body(reader, headers, until_close=False)
    return _Message(head, body, first_line, headers)


async def _read_response(reader: asyncio.StreamReader, method: str) -> _Message:
    head = await _read_head(reader)
    first_line, headers = _parse_head(head)
    status = int(first_line.split(" ")[1])
    if method == "HEAD" or status in (204, 304) or 100 <= status < 200:
        return _Message(head, b"", first_line, headers)
    framed = "content-length" in headers or "chunked" in headers.get("transfer-encoding", "")
    body = await _read_body(reader, headers, until_close=not framed)
    return _Message(head, body, first_line, headers, until_close=not framed)


async def _read_body(
    reader: asyncio.StreamReader, headers: dict[str, str], *, until_close: bool
) -> bytes:
    """The raw body bytes exactly as they were framed on the wire."""
    if "chunked" in headers.get("transfer-encoding", "").lower():
        return await _read_chunked(reader)
    if "content-length" in headers:
        return await reader.readexactly(int(headers["content-length"]))
    return await reader.read() if until_close else b""


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    parts: list[bytes] = []
    while True:
        size_line = await reader.readuntil(b"\r\n")
        parts.append(size_line)
        size = int(size_line.split(b";", 1)[0].strip(), 16)
        if size == 0:
            break
        parts.append(await reader.readexactly(size + 2))
    while True:  # trailers, then the final empty line
        line = await reader.readuntil(b"\r\n")
        parts.append(line)
        if line == b"\r\n":
            return b"".join(parts)


def _wants_close(message: _Message) -> bool:
    return message.headers.get("connection", "").lower() == "close"


def _response(
    status: int,
    reason: str,
    content_type: str,
    body: bytes,
    extra: dict[str, str] | None = None,
) -> bytes:
    lines = [
        f"HTTP/1.1 {status} {reason}",
        f"Content-Type: {content_type}",
        f"Content-Length: {len(body)}",
        *(f"{name}: {value}" for name, value in (extra or {}).items()),
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def _with_short_body(response: _Message) -> bytes:
    """The response re-framed with half of its (decoded) body and a matching length."""
    body = _decoded_body(response)
    cut = body[: len(body) // 2]
    lines = [response.first_line]
    for line in response.head.decode("latin-1").split("\r\n")[1:]:
        name = line.partition(":")[0].strip().lower()
        if line and name not in ("content-length", "transfer-encoding"):
            lines.append(line)
    lines.append(f"Content-Length: {len(cut)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + cut


def _decoded_body(message: _Message) -> bytes:
    if "chunked" not in message.headers.get("transfer-encoding", "").lower():
        return message.body
    out: list[bytes] = []
    rest = message.body
    while True:
        size_line, _, rest = rest.partition(b"\r\n")
        size = int(size_line.split(b";", 1)[0], 16)
        if size == 0:
            return b"".join(out)
        out.append(rest[:size])
        rest = rest[size + 2 :]


# --- websocket framing (server -> client frames are never masked) ---------------------------


async def _read_ws_frame(reader: asyncio.StreamReader) -> bytes:
    head = await reader.readexactly(2)
    length = head[1] & 0x7F
    extended = b""
    if length == 126:
        extended = await reader.readexactly(2)
        length = struct.unpack("!H", extended)[0]
    elif length == 127:
        extended = await reader.readexactly(8)
        length = struct.unpack("!Q", extended)[0]
    mask = await reader.readexactly(4) if head[1] & 0x80 else b""
    return head + extended + mask + await reader.readexactly(length)


# --- sockets -------------------------------------------------------------------------------


def _reset(writer: asyncio.StreamWriter) -> bool:
    """Close with a TCP RST (SO_LINGER 0). Returns ``False``: the connection is gone."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    _abort(writer)
    return False


def _abort(writer: asyncio.StreamWriter) -> None:
    transport = writer.transport
    if not transport.is_closing():
        transport.abort()
