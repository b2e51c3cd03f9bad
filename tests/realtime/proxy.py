"""A fault-injecting TCP proxy on 127.0.0.1 for reliability tests.

It forwards bytes both ways to a target port and, on demand, breaks the path the way networks
do: :meth:`FaultProxy.drop` aborts every live connection (TCP reset), :meth:`FaultProxy.stall`
silently swallows all traffic while keeping connections open (a partition: pings go
unanswered), :meth:`FaultProxy.refuse` resets new connections at once. It runs its own event
loop in a daemon thread, so sync and async tests drive it the same way.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from types import TracebackType
from typing import Any, TypeVar

T = TypeVar("T")


class FaultProxy:
    """``with FaultProxy(target_port) as proxy:`` then point clients at ``proxy.url``."""

    def __init__(self, target_port: int, target_host: str = "127.0.0.1") -> None:
        self.target = (target_host, target_port)
        self.port = 0
        self.accepted = 0
        self._stalled = False
        self._refusing = False
        self._transports: set[asyncio.WriteTransport] = set()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server: asyncio.Server | None = None

    @property
    def url(self) -> str:
        """``http://127.0.0.1:<port>``: the base URL a client should use."""
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> FaultProxy:
        self._thread.start()
        self._server = self._call(asyncio.start_server(self._handle, "127.0.0.1", 0))
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._call(self._shutdown())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)
        self._loop.close()

    # --- faults -------------------------------------------------------------------------------

    def drop(self) -> int:
        """Reset every live connection; returns how many sockets were cut."""
        return self._call(self._abort_all())

    def stall(self) -> None:
        """Swallow all bytes, both ways, on live and new connections (until :meth:`heal`)."""
        self._stalled = True

    def refuse(self) -> None:
        """Reset new connections as soon as they are accepted (until :meth:`heal`)."""
        self._refusing = True

    def heal(self) -> None:
        """Forward normally again (connections that were stalled stay broken)."""
        self._stalled = False
        self._refusing = False

    # --- plumbing -----------------------------------------------------------------------------

    def _call(self, coro: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout=10)

    async def _abort_all(self) -> int:
        transports = list(self._transports)
        for transport in transports:
            transport.abort()
        return len(transports)

    async def _shutdown(self) -> None:
        if self._server is not None:
            self._server.close()
        await self._abort_all()

    async def _handle(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        self.accepted += 1
        client_t: asyncio.WriteTransport = client_w.transport
        if self._refusing:
            client_t.abort()
            return
        try:
            server_r, server_w = await asyncio.open_connection(*self.target)
        except OSError:
            client_t.abort()
            return
        pair = {client_t, server_w.transport}
        self._transports |= pair
        try:
            await asyncio.gather(self._pipe(client_r, server_w), self._pipe(server_r, client_w))
        finally:
            self._transports -= pair

    async def _pipe(self, source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
        stalled_here = False
        try:
            while data := await source.read(65536):
                stalled_here = stalled_here or self._stalled
                if stalled_here:
                    continue  # swallowed, as on a dead network path
                sink.write(data)
                await sink.drain()
        except OSError:
            sink.transport.abort()
        else:
            sink.close()  # end of stream: pass the close on, after the buffered bytes
