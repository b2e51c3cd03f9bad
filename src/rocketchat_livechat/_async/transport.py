"""httpx2's own transport, sending each request's head and body in one write.

httpcore2 writes a request's head and its body separately: two ``send`` calls per POST, and a
server that wakes up twice to read one request. :class:`AsyncCoalescingTransport` is
``httpx2.AsyncHTTPTransport`` with its connections' network streams wrapped so that writes wait
in a buffer until the response is read (or 64 KiB are waiting, so a streamed upload still goes
out chunk by chunk with bounded memory): what ``http.client`` does for a body given as bytes
(``bench/overhead.py``: the sync ``send_message`` per call drops from 2.28x to about 1.9x of a bare
``http.client`` call). Everything else — pooling, TLS, timeouts, errors — is httpx2's.

HTTP/1.1 only: with ``http2=True`` the transport is plain httpx2 (one connection carries many
requests there, and a write held back for one could wait on another's read).

A write that fails while being flushed is raised as httpcore2 would see it; a ``WriteError``
is set aside, as httpcore2 itself does for one raised while sending, so that a response the
server wrote before closing is still read.
"""

from __future__ import annotations

import contextlib
from typing import Any

import httpcore2
import httpx2

from .._core.write_buffer import WriteBuffer

__all__ = ["AsyncCoalescingTransport"]


class _CoalescingStream(httpcore2.AsyncNetworkStream):
    """A network stream whose writes go out together, just before the next read."""

    def __init__(self, stream: httpcore2.AsyncNetworkStream) -> None:
        self._stream = stream
        self._pending = WriteBuffer()

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if self._pending.add(buffer, timeout):
            await self._flush()

    async def _flush(self) -> None:
        data, timeout = self._pending.take()
        if data:
            await self._stream.write(data, timeout)

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        # as httpcore2 does with a failed send: the server may have answered before it closed
        with contextlib.suppress(httpcore2.WriteError):
            await self._flush()
        return await self._stream.read(max_bytes, timeout)

    async def aclose(self) -> None:
        self._pending.take()
        await self._stream.aclose()

    async def start_tls(
        self,
        ssl_context: Any,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore2.AsyncNetworkStream:
        await self._flush()
        stream = await self._stream.start_tls(ssl_context, server_hostname, timeout)
        return _CoalescingStream(stream)

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _CoalescingBackend(httpcore2.AsyncNetworkBackend):
    """Opens connections with ``backend`` and wraps their streams."""

    def __init__(self, backend: httpcore2.AsyncNetworkBackend) -> None:
        self._backend = backend

    async def connect_tcp(self, *args: Any, **kwargs: Any) -> httpcore2.AsyncNetworkStream:
        return _CoalescingStream(await self._backend.connect_tcp(*args, **kwargs))

    async def connect_unix_socket(self, *args: Any, **kwargs: Any) -> httpcore2.AsyncNetworkStream:
        return _CoalescingStream(await self._backend.connect_unix_socket(*args, **kwargs))

    async def sleep(self, seconds: float) -> None:
        await self._backend.sleep(seconds)


class AsyncCoalescingTransport(httpx2.AsyncHTTPTransport):
    """``httpx2.AsyncHTTPTransport`` (same arguments) whose requests go out in one write each."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if kwargs.get("http2"):
            return  # HTTP/2 reads and writes from several requests at once: nothing held back
        # httpcore2's pool opens every connection through this attribute (httpcore2 2.16); if a
        # later release renames it, the transport is plain httpx2 (tests/unit pins that it is not)
        pool = self._pool
        backend = getattr(pool, "_network_backend", None)
        if isinstance(backend, httpcore2.AsyncNetworkBackend):
            pool._network_backend = _CoalescingBackend(backend)

    @property
    def coalescing(self) -> bool:
        """Whether requests go out in one write (see the module docstring)."""
        return isinstance(getattr(self._pool, "_network_backend", None), _CoalescingBackend)
