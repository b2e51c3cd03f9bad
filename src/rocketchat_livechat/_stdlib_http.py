"""An ``httpx2`` transport over the standard library's ``http.client``, for :class:`LivechatClient`.

httpx2 still builds every request and reads every response (headers, cookies, redirects,
decoding, errors and retries stay the SDK's own); only the HTTP/1.1 wire work and the
keep-alive pool are ``http.client``'s, which costs about a fifth less per call than httpcore2
and h11 (``bench/overhead.py``). Failures are mapped onto httpx2's exceptions with the same
meaning for retries: "could not connect" (never sent) vs "failed after sending". Limits as
httpx2's defaults: 100 connections, 20 idle ones kept 5 s.
"""

from __future__ import annotations

import contextlib
import http.client
import select
import socket
import ssl
import threading
import time
from collections.abc import Iterator

import httpx2

__all__ = ["StdlibTransport"]

_READ_SIZE = 64 * 1024
_Key = tuple[str, str, int]
_Timeouts = dict[str, float | None]
_DEFAULT_LIMITS = httpx2.Limits(
    max_connections=100, max_keepalive_connections=20, keepalive_expiry=5
)


def _unbounded(limit: float | None, infinite: float = float("inf")) -> float:
    return infinite if limit is None else limit


@contextlib.contextmanager
def _mapped(request: httpx2.Request, timeout: type[httpx2.TimeoutException]) -> Iterator[None]:
    """``http.client``'s and the socket's failures as httpx2's; ``timeout`` names the phase."""
    try:
        yield
    except TimeoutError as exc:
        raise timeout("timed out", request=request) from exc
    except http.client.IncompleteRead as exc:
        message = "peer closed connection without sending complete message body"
        raise httpx2.RemoteProtocolError(message, request=request) from exc
    except http.client.RemoteDisconnected as exc:
        message = "Server disconnected without sending a response."
        raise httpx2.RemoteProtocolError(message, request=request) from exc
    except http.client.HTTPException as exc:
        raise httpx2.RemoteProtocolError(type(exc).__name__, request=request) from exc
    except OSError as exc:
        failed = httpx2.WriteError if timeout is httpx2.WriteTimeout else httpx2.ReadError
        raise failed(type(exc).__name__, request=request) from exc


class _Connection:
    """One keep-alive connection and when it went idle."""

    __slots__ = ("http", "idle_since")

    def __init__(self, connection: http.client.HTTPConnection) -> None:
        self.http = connection
        self.idle_since = 0.0

    def reusable(self, now: float, expiry: float) -> bool:
        """Not expired, and the server has neither closed it nor sent anything unasked."""
        sock = self.http.sock
        if sock is None or now - self.idle_since > expiry:
            return False
        return not _readable(sock)


class _ResponseStream(httpx2.SyncByteStream):
    """The body as ``http.client`` reads it; closing a fully read body pools the connection."""

    def __init__(
        self,
        response: http.client.HTTPResponse,
        connection: _Connection,
        pool: StdlibTransport,
        request: httpx2.Request,
    ) -> None:
        self._response = response
        self._connection: _Connection | None = connection
        self._pool = pool
        self._request = request

    def __iter__(self) -> Iterator[bytes]:
        response = self._response
        with _mapped(self._request, httpx2.ReadTimeout):
            while chunk := response.read(_READ_SIZE):
                yield chunk
            if response.length:  # read(amt) ends quietly at EOF; read() would raise this
                raise http.client.IncompleteRead(b"", response.length)

    def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        done = self._response.isclosed() and not self._response.will_close
        self._pool._release(connection, self._request.url, keep=done)


class StdlibTransport(httpx2.BaseTransport):
    """Sends httpx2 requests with ``http.client``, over a thread-safe keep-alive pool."""

    def __init__(self, *, verify: bool = True, limits: httpx2.Limits | None = None) -> None:
        limits = limits or _DEFAULT_LIMITS  # ``None`` in a limit: unbounded, as in httpx2
        self._ssl: ssl.SSLContext = httpx2.create_ssl_context(verify=verify)
        self._expiry = _unbounded(limits.keepalive_expiry)
        self._max_idle = _unbounded(limits.max_keepalive_connections)
        self._slots = threading.BoundedSemaphore(int(_unbounded(limits.max_connections, 1 << 30)))
        self._idle: dict[_Key, list[_Connection]] = {}
        self._lock = threading.Lock()
        self._closed = False

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        timeouts: _Timeouts = request.extensions.get("timeout", {})
        if not self._slots.acquire(timeout=timeouts.get("pool")):
            raise httpx2.PoolTimeout("no connection free within the pool timeout", request=request)
        try:
            connection = self._connection(request, timeouts)
        except BaseException:
            self._slots.release()
            raise
        try:
            response = self._exchange(connection.http, request, timeouts)
        except BaseException:
            self._release(connection, request.url, keep=False)
            raise
        return httpx2.Response(
            response.status,
            headers=[(k.encode("latin-1"), v.encode("latin-1")) for k, v in response.getheaders()],
            stream=_ResponseStream(response, connection, self, request),
            request=request,
            extensions={
                "http_version": b"HTTP/1.0" if response.version == 10 else b"HTTP/1.1",
                "reason_phrase": response.reason.encode("latin-1"),
            },
        )

    def _exchange(
        self, connection: http.client.HTTPConnection, request: httpx2.Request, timeouts: _Timeouts
    ) -> http.client.HTTPResponse:
        sock: socket.socket = connection.sock
        sock.settimeout(timeouts.get("write"))
        with _mapped(request, httpx2.WriteTimeout):
            self._send(connection, request)
        sock.settimeout(timeouts.get("read"))
        with _mapped(request, httpx2.ReadTimeout):
            return connection.getresponse()

    @staticmethod
    def _send(connection: http.client.HTTPConnection, request: httpx2.Request) -> None:
        target = request.url.raw_path.decode("ascii")
        try:
            connection.putrequest(request.method, target, skip_host=True, skip_accept_encoding=True)
            for name, value in request.headers.raw:
                connection.putheader(name, value)
        except ValueError:  # a header http.client refuses (CR/LF, bad name); its text quotes it
            raise httpx2.LocalProtocolError("invalid header", request=request) from None
        try:
            body: bytes | None = request.content or None
        except httpx2.RequestNotRead:  # a streamed body (uploads), framed as httpx2 declared it
            chunked = "chunked" in request.headers.get("transfer-encoding", "").lower()
            connection.endheaders(request.stream, encode_chunked=chunked)  # type: ignore[arg-type]
            return
        connection.endheaders(body)  # headers and a small body go out in one write

    def _connection(self, request: httpx2.Request, timeouts: _Timeouts) -> _Connection:
        """An idle pooled connection to the request's origin, else a new one."""
        if self._closed:
            raise RuntimeError("Cannot send a request, as the transport has been closed.")
        url = request.url
        key = _origin(url)
        now = time.monotonic()
        with self._lock:
            idle = self._idle.get(key, [])
            while idle:
                connection = idle.pop()
                if connection.reusable(now, self._expiry):
                    return connection
                connection.http.close()
        return self._open(request, key, timeouts.get("connect"))

    def _open(self, request: httpx2.Request, key: _Key, timeout: float | None) -> _Connection:
        scheme, host, port = key
        connection: http.client.HTTPConnection
        if scheme == "https":
            connection = http.client.HTTPSConnection(host, port, timeout=timeout, context=self._ssl)
        elif scheme == "http":
            connection = http.client.HTTPConnection(host, port, timeout=timeout)
        else:
            raise httpx2.UnsupportedProtocol(f"unsupported URL scheme {scheme!r}", request=request)
        try:
            connection.connect()
        except TimeoutError as exc:
            raise httpx2.ConnectTimeout("timed out", request=request) from exc
        except OSError as exc:
            raise httpx2.ConnectError(type(exc).__name__, request=request) from exc
        connection.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return _Connection(connection)

    def _release(self, connection: _Connection, url: httpx2.URL, *, keep: bool) -> None:
        """Back to the pool (``keep``: a fully read keep-alive answer), else closed."""
        self._slots.release()
        if keep and not self._closed:
            connection.idle_since = time.monotonic()
            with self._lock:
                idle = self._idle.setdefault(_origin(url), [])
                if len(idle) < self._max_idle:
                    idle.append(connection)
                    return
        connection.http.close()

    def close(self) -> None:
        self._closed = True
        with self._lock:
            idle, self._idle = self._idle, {}
        for connections in idle.values():
            for connection in connections:
                connection.http.close()


def _readable(sock: socket.socket) -> bool:
    """Whether ``sock`` has data or EOF waiting (``poll``: no FD_SETSIZE limit, as httpcore2)."""
    if not hasattr(select, "poll"):  # Windows
        return bool(select.select([sock], [], [], 0)[0])
    poller = select.poll()
    poller.register(sock, select.POLLIN)
    return bool(poller.poll(0))


def _origin(url: httpx2.URL) -> _Key:
    port = url.port or (443 if url.scheme == "https" else 80)
    return url.scheme, url.host, port
