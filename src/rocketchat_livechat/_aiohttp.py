"""An ``httpx2`` transport over aiohttp's client, for :class:`AsyncLivechatClient`.

httpx2 still builds every request and reads every response (headers, redirects, decoding,
errors and retries stay the SDK's own); only the connection pool and the HTTP/1.1 wire work
are aiohttp's, whose C parser and pool cost far less CPU per request when many requests are in
flight (``bench/visitors.py``). aiohttp's failures are mapped onto httpx2's exceptions with the
same meaning for retries: "could not connect" (never sent) vs "failed after sending".
"""

from __future__ import annotations

import contextlib
import ssl
from collections.abc import AsyncIterator, Iterator
from typing import Any

import aiohttp
import httpx2
from yarl import URL

__all__ = ["AiohttpTransport"]

_READ_SIZE = 64 * 1024

# Most specific first: the first match decides.
_ERRORS: tuple[tuple[type[BaseException], type[httpx2.TransportError]], ...] = (
    (aiohttp.ConnectionTimeoutError, httpx2.ConnectTimeout),
    (aiohttp.SocketTimeoutError, httpx2.ReadTimeout),
    (aiohttp.ServerTimeoutError, httpx2.ReadTimeout),
    (aiohttp.ClientConnectorError, httpx2.ConnectError),
    (aiohttp.ClientPayloadError, httpx2.ReadError),
    (aiohttp.ServerDisconnectedError, httpx2.RemoteProtocolError),
    (aiohttp.ClientResponseError, httpx2.RemoteProtocolError),
    (aiohttp.InvalidURL, httpx2.UnsupportedProtocol),
    (aiohttp.ClientError, httpx2.ReadError),
    (TimeoutError, httpx2.PoolTimeout),  # aiohttp's own deadline while waiting for the pool
)


@contextlib.contextmanager
def _mapped(request: httpx2.Request) -> Iterator[None]:
    try:
        yield
    except httpx2.TransportError:
        raise
    except (aiohttp.ClientError, TimeoutError) as exc:
        mapped = next(cls for kind, cls in _ERRORS if isinstance(exc, kind))
        raise mapped(type(exc).__name__, request=request) from exc


def _reason(response: aiohttp.ClientResponse) -> bytes:
    return (response.reason or "").encode("ascii", "replace")


class _ResponseStream(httpx2.AsyncByteStream):
    """The body as aiohttp receives it; closing hands the connection back to the pool."""

    def __init__(self, response: aiohttp.ClientResponse, request: httpx2.Request) -> None:
        self._response = response
        self._request = request

    async def __aiter__(self) -> AsyncIterator[bytes]:
        with _mapped(self._request):
            content = self._response.content
            while chunk := await content.read(_READ_SIZE):
                yield chunk

    async def aclose(self) -> None:
        self._response.release()


class AiohttpTransport(httpx2.AsyncBaseTransport):
    """Sends httpx2 requests through one ``aiohttp.ClientSession`` (made on first use, in the
    running loop). Pool limits as httpx2's defaults: 100 connections, idle ones kept 5 s."""

    def __init__(self, *, verify: bool = True, limits: httpx2.Limits | None = None) -> None:
        self._ssl: ssl.SSLContext | bool = httpx2.create_ssl_context(verify=verify)
        self._limits = limits or httpx2.Limits(max_connections=100, keepalive_expiry=5.0)
        self._session: aiohttp.ClientSession | None = None
        self._timeouts: dict[tuple[Any, ...], aiohttp.ClientTimeout] = {}

    def _open(self) -> aiohttp.ClientSession:
        connector = aiohttp.TCPConnector(
            limit=self._limits.max_connections or 0,
            keepalive_timeout=self._limits.keepalive_expiry or 0,
            ssl=self._ssl,
        )
        self._session = aiohttp.ClientSession(
            connector=connector,
            cookie_jar=aiohttp.DummyCookieJar(),  # httpx2 keeps the cookies
            auto_decompress=False,  # httpx2 decodes, as it does for its own transport
            skip_auto_headers=("Content-Type",),  # httpx2 sets it where there is a body
            trust_env=False,  # with a proxy configured, "auto" keeps httpx2's own transport
        )
        # aiohttp resends an idempotent request once when the connection drops; the SDK's retry
        # policy (max_retries, backoff) decides that, as with httpx2's transport
        self._session._retry_connection = False
        return self._session

    def _timeout(self, timeout: dict[str, float | None]) -> aiohttp.ClientTimeout:
        key = tuple(timeout.items())
        cached = self._timeouts.get(key)
        if cached is None:
            cached = self._timeouts[key] = aiohttp.ClientTimeout(
                total=None,
                connect=timeout.get("pool"),  # waiting for a pooled connection (and opening it)
                sock_connect=timeout.get("connect"),
                sock_read=timeout.get("read"),
            )
        return cached

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        session = self._session or self._open()
        headers = request.headers
        data: Any
        try:
            data = request.content or None
        except httpx2.RequestNotRead:  # a streamed body (uploads): aiohttp frames it itself
            data = request.stream
            headers = headers.copy()
            headers.pop("transfer-encoding", None)
        with _mapped(request):
            response = await session.request(
                request.method,
                URL(str(request.url), encoded=True),
                headers=headers.multi_items(),
                data=data,
                allow_redirects=False,
                timeout=self._timeout(request.extensions.get("timeout", {})),
            )
        return httpx2.Response(
            response.status,
            headers=response.raw_headers,
            stream=_ResponseStream(response, request),
            request=request,
            extensions={"http_version": b"HTTP/1.1", "reason_phrase": _reason(response)},
        )

    async def aclose(self) -> None:
        if self._session is not None:
            session, self._session = self._session, None
            await session.close()
