"""Hand-written async/sync twins of the few blocking primitives the drivers use.

``scripts/unasync.py`` turns ``async_<name>`` into ``<name>`` when it generates ``_sync/`` from
``_async/``, so every function here exists in both flavours under those two names.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

# asyncio (and inspect) load with the first async call: the sync client never needs them
if TYPE_CHECKING:
    import asyncio

    import httpx2
    from websockets.asyncio.client import ClientConnection as AsyncClientConnection
    from websockets.sync.client import ClientConnection


async def async_sleep(seconds: float) -> None:
    import asyncio

    await asyncio.sleep(seconds)


def sleep(seconds: float) -> None:
    time.sleep(seconds)


# --- realtime -------------------------------------------------------------------------------------


def AsyncEvent() -> asyncio.Event:  # the twin of threading.Event, by name
    import asyncio

    return asyncio.Event()


Event = threading.Event


async def async_wait(event: asyncio.Event, timeout: float) -> bool:
    """Wait until ``event`` is set or ``timeout`` seconds pass; whether it is set."""
    import asyncio

    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(timeout):
            await event.wait()
    return event.is_set()


def wait(event: threading.Event, timeout: float) -> bool:
    return event.wait(timeout)


async def async_recv(websocket: AsyncClientConnection, timeout: float) -> str | bytes:
    """The next websocket message; ``TimeoutError`` after ``timeout`` seconds of silence."""
    import asyncio

    # asyncio.timeout, not wait_for: on 3.11 wait_for can swallow a cancellation
    async with asyncio.timeout(timeout):
        return await websocket.recv()


def recv(websocket: ClientConnection, timeout: float) -> str | bytes:
    return websocket.recv(timeout=timeout)


async def async_call_handler(handler: Callable[[Any], object], event: object) -> None:
    """Call an event handler; await its result when it is a coroutine (async flavour only)."""
    import inspect

    outcome = handler(event)
    if inspect.isawaitable(outcome):
        await outcome


def call_handler(handler: Callable[[Any], object], event: object) -> None:
    handler(event)


async def async_open_websocket(uri: str, **options: Any) -> AsyncClientConnection:
    """Open a websocket client connection (``options`` go to websockets' ``connect``)."""
    from websockets.asyncio.client import connect

    return await connect(uri, **options)


def open_websocket(uri: str, **options: Any) -> ClientConnection:
    from websockets.sync.client import connect

    # entering the context marks the connection as caller-managed (websockets >= 17.1 warns
    # about a bare connect() otherwise); the stream closes it itself
    websocket: ClientConnection = connect(uri, **options).__enter__()
    return websocket


# --- HTTP transport -------------------------------------------------------------------------------

HTTP_BACKENDS = ("auto", "httpx2", "aiohttp", "stdlib")


def _env_proxies() -> bool:
    """Whether HTTP(S)_PROXY/ALL_PROXY apply: only httpx2's own transport honours them."""
    import urllib.request

    return any(scheme in urllib.request.getproxies() for scheme in ("http", "https", "all"))


def _backend(name: object, *, sync: bool) -> str:
    """The backend ``name`` stands for ("auto" resolved), after checking it (before any I/O)."""
    import importlib.util

    from .errors import InvalidArgumentError

    if name not in HTTP_BACKENDS:
        raise InvalidArgumentError("http_backend", f"expected one of {', '.join(HTTP_BACKENDS)}")
    if name == "aiohttp" and sync:
        raise InvalidArgumentError("http_backend", "aiohttp serves only AsyncLivechatClient")
    if name == "stdlib" and not sync:
        raise InvalidArgumentError("http_backend", "stdlib serves only LivechatClient")
    installed = importlib.util.find_spec("aiohttp") is not None
    if name == "aiohttp" and not installed:
        raise InvalidArgumentError(
            "http_backend", "aiohttp is not installed: pip install 'rocketchat-livechat[aiohttp]'"
        )
    if name != "auto":
        return str(name)
    if _env_proxies():
        return "httpx2"
    if sync:
        return "stdlib"
    return "aiohttp" if installed else "httpx2"


def async_http_transport(
    backend: object, given: httpx2.AsyncBaseTransport | None, *, verify: bool
) -> httpx2.AsyncBaseTransport | None:
    """The transport to use: ``given``, else the one ``http_backend`` picks (aiohttp's pool:
    "auto" when aiohttp is installed and no proxy is configured), or ``None`` for httpx2's own."""
    if _backend(backend, sync=False) == "httpx2" or given is not None:
        return given
    from ._aiohttp import AiohttpTransport

    return AiohttpTransport(verify=verify)


def http_transport(
    backend: object, given: httpx2.BaseTransport | None, *, verify: bool
) -> httpx2.BaseTransport | None:
    """The transport to use: ``given``, else the one ``http_backend`` picks (``http.client``'s:
    "auto" when no proxy is configured), or ``None`` for httpx2's own."""
    if _backend(backend, sync=True) == "httpx2" or given is not None:
        return given
    from ._stdlib_http import StdlibTransport

    return StdlibTransport(verify=verify)
