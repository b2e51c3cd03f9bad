"""307/308 redirects over real sockets, with the sync and the async client.

A redirector on 127.0.0.1 stands in front of the embedded server and answers every API request
with a 307/308, as a reverse proxy does for its http -> https redirect. ``cross-origin``: the
Location is the embedded server (another port: another origin). ``same-origin``: the Location is
``/moved/...`` on the redirector itself, which proxies that prefix to the embedded server.
"""

from __future__ import annotations

import asyncio
import inspect
import io
import socket
import threading
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx2
import pytest
import uvicorn
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from _support.streams import NonSeekable
from rocketchat_livechat import (
    AsyncLivechatClient,
    AuthenticationError,
    LivechatClient,
    PermissionDeniedError,
    UnexpectedResponseError,
    new_visitor_token,
)
from rocketchat_livechat.server import EmbeddedServer
from rocketchat_livechat.testing.plugin import LivechatTestServer

pytestmark = pytest.mark.e2e

MOVED = "/moved"
HOP_BY_HOP = ("content-encoding", "content-length", "transfer-encoding", "connection")


class Redirector:
    """Answers ``status`` to every request outside ``/moved``; see the module docstring."""

    def __init__(self, upstream: str, status: int, mode: str) -> None:
        self.upstream = upstream
        self.status = status
        self.mode = mode
        self.redirected: list[tuple[str, str]] = []  # (method, path) of each redirect
        self.proxied: list[httpx2.Headers] = []  # headers of the requests proxied upstream
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._sock.getsockname()[1]}"
        config = uvicorn.Config(self, lifespan="off", log_level="warning", access_log=False)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=lambda: asyncio.run(self._server.serve(sockets=[self._sock])), daemon=True
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        body = await request.body()  # read it all, as a well-behaved server does
        target = scope["raw_path"].decode("ascii")
        if scope["query_string"]:
            target += "?" + scope["query_string"].decode("ascii")
        if target.startswith(MOVED + "/"):
            response = await self._proxy(request, target.removeprefix(MOVED), body)
        else:
            self.redirected.append((request.method, request.url.path))
            base = self.upstream if self.mode == "cross-origin" else MOVED
            response = Response(status_code=self.status, headers={"location": base + target})
        await response(scope, receive, send)

    async def _proxy(self, request: Request, target: str, body: bytes) -> Response:
        headers = {k: v for k, v in request.headers.items() if k != "host"}
        self.proxied.append(httpx2.Headers(headers))
        async with httpx2.AsyncClient(base_url=self.upstream) as http:
            answer = await http.request(request.method, target, headers=headers, content=body)
        kept = {k: v for k, v in answer.headers.items() if k.lower() not in HOP_BY_HOP}
        return Response(answer.content, answer.status_code, kept)

    def __enter__(self) -> Redirector:
        self._thread.start()
        while not self._server.started:
            assert self._thread.is_alive(), "the redirector failed to start"
            self._thread.join(0.01)
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.should_exit = True
        self._thread.join(10)


@pytest.fixture(
    scope="module",
    params=[(status, mode) for status in (308, 307) for mode in ("cross-origin", "same-origin")],
    ids=lambda p: f"{p[0]}-{p[1]}",
)
def redirector(
    request: pytest.FixtureRequest, livechat_embedded_server: EmbeddedServer
) -> Iterator[Redirector]:
    status, mode = request.param
    with Redirector(livechat_embedded_server.url, status, mode) as server:
        yield server


@pytest.fixture(params=["sync", "async"])
async def client(request: pytest.FixtureRequest, redirector: Redirector) -> AsyncIterator[Any]:
    """A ``LivechatClient`` or an ``AsyncLivechatClient`` whose base URL is the redirector."""
    redirector.redirected.clear()
    redirector.proxied.clear()
    cls = LivechatClient if request.param == "sync" else AsyncLivechatClient
    made = cls(redirector.url)
    yield made
    await run(made.close())


async def run(outcome: Any) -> Any:
    """The result of a sync call, or of an awaited async one."""
    return await outcome if inspect.isawaitable(outcome) else outcome


async def open_chat(client: Any, server: LivechatTestServer) -> tuple[str, str]:
    """A visitor registered through the redirector with a room served by a new agent."""
    server.create_agent()
    token = new_visitor_token("e2e-")
    visitor = await run(client.visitor.register_visitor(token, name="Ana"))
    assert visitor.token == token
    room = await run(client.room.get_room(token))
    return token, room.room.id


async def test_visitor_calls_follow_the_redirect(
    client: Any, redirector: Redirector, livechat_server: LivechatTestServer
) -> None:
    token, rid = await open_chat(client, livechat_server)
    sent = await run(client.messages.send_message(token, rid, "through a redirect ✓"))
    assert (sent.rid, sent.msg, sent.token) == (rid, "through a redirect ✓", token)
    history = await run(client.messages.get_message_history(rid, token))
    assert sent.id in [m.id for m in history]
    assert ("POST", "/api/v1/livechat/visitor") in redirector.redirected
    assert ("POST", "/api/v1/livechat/message") in redirector.redirected


async def test_uploads_are_sent_again_whole(
    client: Any, redirector: Redirector, livechat_server: LivechatTestServer
) -> None:
    token, rid = await open_chat(client, livechat_server)
    if redirector.mode == "cross-origin":  # the x-visitor-token header stays behind
        with pytest.raises(PermissionDeniedError):
            await run(client.room.upload_file(rid, b"data", token, filename="a.bin"))
        return
    content = bytes(range(256)) * 64
    stream = io.BytesIO(b"SKIP" + content)
    stream.seek(4)
    for source in (content, stream):
        message = await run(client.room.upload_file(rid, source, token, filename="a.bin"))
        fetched = await run(client.messages.get_message(message.id, token, rid))
        download = livechat_server.http.get(
            fetched.file_upload.public_file_path,
            params={"rc_token": token, "rc_rid": rid, "rc_room_type": "l"},
        )
        assert (download.status_code, download.content) == (200, content)
    assert redirector.redirected.count(("POST", f"/api/v1/livechat/upload/{rid}")) == 2


async def test_a_non_seekable_upload_fails_instead_of_going_out_truncated(
    client: Any, redirector: Redirector, livechat_server: LivechatTestServer
) -> None:
    token, rid = await open_chat(client, livechat_server)
    with pytest.raises(UnexpectedResponseError, match="not seekable") as caught:
        await run(client.room.upload_file(rid, NonSeekable(b"x" * 4096), token, filename="a"))
    assert caught.value.code == redirector.status
    history = await run(client.messages.get_message_history(rid, token))
    assert not [m for m in history if m.file_upload is not None]


async def test_user_credentials_follow_to_the_same_origin_only(
    client: Any, redirector: Redirector, livechat_server: LivechatTestServer
) -> None:
    await run(client.login(livechat_server.admin_username, livechat_server.admin_password))
    if redirector.mode == "same-origin":
        agents = await run(client.users.list_users("agent"))
        assert agents.total >= 0
        assert redirector.proxied[-1]["x-auth-token"] == client.auth_token
    else:
        with pytest.raises(AuthenticationError):
            await run(client.users.list_users("agent"))
