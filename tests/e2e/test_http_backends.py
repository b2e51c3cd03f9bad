"""Each client behaves the same on each of its HTTP backends, over real sockets.

The rest of the end-to-end suite runs on the defaults ("auto": aiohttp, which the test extra
installs, for ``AsyncLivechatClient``; ``http.client`` for ``LivechatClient``); this focused
subset runs on every backend: a whole visitor conversation with a streamed upload and download,
typed errors, and the transport failures retries depend on (a refused connection, a server that
never answers, one that drops the connection after reading).
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import inspect
import io
import operator
import socket
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

import pytest

from _support.streams import NonSeekable
from rocketchat_livechat import (
    APIConnectionError,
    APITimeoutError,
    AsyncLivechatClient,
    InvalidArgumentError,
    InvalidMessageError,
    LivechatClient,
    new_visitor_token,
)
from rocketchat_livechat._aiohttp import AiohttpTransport
from rocketchat_livechat._stdlib_http import StdlibTransport
from rocketchat_livechat.testing.plugin import LivechatTestServer

pytestmark = pytest.mark.e2e
BACKENDS = ["httpx2", "aiohttp"]
SYNC_BACKENDS = ["httpx2", "stdlib"]
PAYLOAD = bytes(range(256)) * 4096  # 1 MiB


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(params=SYNC_BACKENDS)
def sync_backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_auto_picks_aiohttp_when_installed_and_httpx2_otherwise(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert isinstance(AsyncLivechatClient("http://h")._http._transport, AiohttpTransport)
    assert not isinstance(
        AsyncLivechatClient("http://h", http_backend="httpx2")._http._transport, AiohttpTransport
    )
    find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "aiohttp" else find_spec(name)
    )
    assert not isinstance(AsyncLivechatClient("http://h")._http._transport, AiohttpTransport)
    with pytest.raises(InvalidArgumentError, match="not installed"):
        AsyncLivechatClient("http://h", http_backend="aiohttp")


@pytest.mark.parametrize("name", ["requests", "", None, "AIOHTTP"])
def test_unknown_backends_are_refused(name: object) -> None:
    with pytest.raises(InvalidArgumentError, match="http_backend"):
        AsyncLivechatClient("http://h", http_backend=name)  # type: ignore[arg-type]


def test_the_sync_client_picks_http_client_and_refuses_aiohttp() -> None:
    assert isinstance(LivechatClient("http://h")._http._transport, StdlibTransport)
    assert not isinstance(
        LivechatClient("http://h", http_backend="httpx2")._http._transport, StdlibTransport
    )
    with pytest.raises(InvalidArgumentError, match="only AsyncLivechatClient"):
        LivechatClient("http://h", http_backend="aiohttp")
    with pytest.raises(InvalidArgumentError, match="only LivechatClient"):
        AsyncLivechatClient("http://h", http_backend="stdlib")


@pytest.mark.parametrize("variable", ["HTTPS_PROXY", "http_proxy", "ALL_PROXY"])
def test_auto_keeps_httpx2_s_transport_where_a_proxy_is_configured(
    monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    """Only httpx2's own transport routes through the environment's proxies."""
    monkeypatch.setenv(variable, "http://proxy.test:3128")
    for client in (LivechatClient("http://h"), AsyncLivechatClient("http://h")):
        transport = client._http._transport
        assert not isinstance(transport, StdlibTransport | AiohttpTransport)
        assert client._http._mounts  # httpx2 mounted its proxy transport
    explicit = LivechatClient("http://h", http_backend="stdlib")._http._transport
    assert isinstance(explicit, StdlibTransport)


async def test_a_whole_conversation(livechat_server: LivechatTestServer, backend: str) -> None:
    livechat_server.create_agent()
    async with AsyncLivechatClient(livechat_server.url, http_backend=backend) as client:
        token = new_visitor_token("e2e-")
        await client.visitor.register_visitor(token, name="Alice")
        room = (await client.room.get_room(token)).room
        sent = [await client.messages.send_message(token, room.id, f"m{i}") for i in range(3)]
        uploaded = await client.room.upload_file(room.id, PAYLOAD, token, filename="f.bin")
        history = await client.messages.get_message_history(room.id, token)
        assert uploaded.file is not None
        out = io.BytesIO()
        written = await client.messages.download_file(uploaded.file, token, out, rid=room.id)
        with pytest.raises(InvalidMessageError) as refused:
            await client.messages.get_message("nonexistent", token, room.id)
    assert {m.id for m in sent} <= {m.id for m in history}
    assert written == len(PAYLOAD) and out.getvalue() == PAYLOAD
    assert token not in str(refused.value) and token not in repr(refused.value)


class Misbehaving:
    """A TCP server that reads each request and then never answers ("silent") or closes the
    connection ("drop"); ``connections`` counts the attempts."""

    def __init__(self, mode: str) -> None:
        self.mode = mode
        self.connections = 0
        self.server: asyncio.Server | None = None

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        with contextlib.suppress(ConnectionError, asyncio.IncompleteReadError):
            await reader.readuntil(b"\r\n\r\n")
            if self.mode == "silent":
                await reader.read()  # until the client gives up and closes
        writer.close()

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[str]:
        self.server = await asyncio.start_server(self.handle, "127.0.0.1", 0)
        port = self.server.sockets[0].getsockname()[1]
        try:
            yield f"http://127.0.0.1:{port}"
        finally:
            self.server.close()
            await self.server.wait_closed()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_whole_sync_conversation(livechat_server: LivechatTestServer, sync_backend: str) -> None:
    livechat_server.create_agent()
    with LivechatClient(livechat_server.url, http_backend=sync_backend) as client:
        token = new_visitor_token("e2e-")
        client.visitor.register_visitor(token, name="Alice")
        room = client.room.get_room(token).room
        sent = [client.messages.send_message(token, room.id, f"m{i}") for i in range(3)]
        uploaded = client.room.upload_file(room.id, NonSeekable(PAYLOAD), token, filename="f.bin")
        history = client.messages.get_message_history(room.id, token)
        assert uploaded.file is not None
        out = io.BytesIO()
        written = client.messages.download_file(uploaded.file, token, out, rid=room.id)
        with pytest.raises(InvalidMessageError) as refused:
            client.messages.get_message("nonexistent", token, room.id)
    assert {m.id for m in sent} <= {m.id for m in history}
    assert written == len(PAYLOAD) and out.getvalue() == PAYLOAD
    assert token not in str(refused.value) and token not in repr(refused.value)


CLIENTS = [(AsyncLivechatClient, b) for b in BACKENDS] + [
    (LivechatClient, b) for b in SYNC_BACKENDS
]
AnyClient = AsyncLivechatClient | LivechatClient


@pytest.fixture(params=CLIENTS, ids=[f"{cls.__name__}-{b}" for cls, b in CLIENTS])
def open_client(request: pytest.FixtureRequest) -> Callable[..., AbstractAsyncContextManager[Any]]:
    """``open_client(url, **options)``: one of the clients on one of its backends."""
    cls, backend = request.param

    @contextlib.asynccontextmanager
    async def opened(url: str, **options: Any) -> AsyncIterator[AnyClient]:
        client = cls(url, http_backend=backend, **options)
        try:
            yield client
        finally:
            closed = client.close()
            if inspect.isawaitable(closed):
                await closed

    return opened


async def _call(client: AnyClient, method: str, *args: str) -> Any:
    """``client.<method>(*args)``, a sync client's in a thread (the test servers share its loop)."""
    bound = operator.attrgetter(method)(client)
    if isinstance(client, LivechatClient):
        return await asyncio.to_thread(bound, *args)
    return await bound(*args)


async def test_a_refused_connection_is_retried_then_a_connection_error(open_client: Any) -> None:
    async with open_client(f"http://127.0.0.1:{_closed_port()}", max_retries=1) as client:
        with pytest.raises(APIConnectionError) as failed:  # not idempotent, never sent
            await _call(client, "room.close_room", "rid", "secret-token")
    assert not isinstance(failed.value, APITimeoutError)
    assert "ConnectError" in str(failed.value) and "secret-token" not in str(failed.value)


async def test_a_silent_server_times_out_and_a_get_is_retried(open_client: Any) -> None:
    silent = Misbehaving("silent")
    async with silent.running() as url, open_client(url, timeout=0.3, max_retries=1) as client:
        with pytest.raises(APITimeoutError, match="ReadTimeout"):
            await _call(client, "room.get_room", "secret-token")
    assert silent.connections == 2


async def test_a_dropped_connection_retries_only_what_is_safe(open_client: Any) -> None:
    dropping = Misbehaving("drop")
    async with dropping.running() as url, open_client(url, max_retries=2) as client:
        with pytest.raises(APIConnectionError) as get_failed:
            await _call(client, "room.get_room", "secret-token")
        gets = dropping.connections
        with pytest.raises(APIConnectionError) as post_failed:
            await _call(client, "room.close_room", "rid", "secret-token")
    assert gets == 3  # idempotent: retried
    assert dropping.connections - gets == 1  # may have been acted on: not repeated
    for failed in (get_failed, post_failed):
        assert not isinstance(failed.value, APITimeoutError)
        assert "secret-token" not in str(failed.value)
