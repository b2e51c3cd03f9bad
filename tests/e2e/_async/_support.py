"""Helpers shared by the end-to-end tests (async source of the generated sync twin)."""

from __future__ import annotations

from dataclasses import dataclass

import httpx2

from rocketchat_livechat import AsyncLivechatClient, new_visitor_token
from rocketchat_livechat.testing.plugin import Agent, LivechatTestServer


@dataclass(frozen=True)
class Chat:
    """A registered visitor with an open room served by ``agent``."""

    token: str
    rid: str
    agent: Agent


async def register(client: AsyncLivechatClient, name: str = "Alice") -> str:
    """A new visitor; its token."""
    token = new_visitor_token("e2e-")
    visitor = await client.visitor.register_visitor(token, name=name)
    assert visitor.token == token
    return token


async def open_chat(client: AsyncLivechatClient, server: LivechatTestServer) -> Chat:
    """A new visitor whose room was routed to a new online agent (Auto_Selection)."""
    agent = server.create_agent()
    token = await register(client)
    result = await client.room.get_room(token)
    assert result.new_room
    assert result.room.served_by is not None
    assert result.room.served_by.id == agent.user_id
    return Chat(token, result.room.id, agent)


class LoseResponses:
    """A transport handler that forwards every request to the real server over a socket, but
    throws away the responses of the first ``count`` requests matching ``method`` and ``path``
    and raises ``ReadError`` instead, as a connection reset after the server acted would."""

    def __init__(self, base_url: str, method: str, path: str, count: int = 1) -> None:
        self.http = httpx2.AsyncClient(base_url=base_url)
        self.method = method
        self.path = path
        self.remaining = count
        self.seen: list[tuple[str, str, int]] = []

    async def __call__(self, request: httpx2.Request) -> httpx2.Response:
        response = await self.http.send(request)
        self.seen.append((request.method, request.url.path, response.status_code))
        if self.remaining and (request.method, request.url.path) == (self.method, self.path):
            self.remaining -= 1
            raise httpx2.ReadError("connection reset by peer", request=request)
        headers = {
            k: v
            for k, v in response.headers.items()
            if k.lower() not in ("content-encoding", "content-length", "transfer-encoding")
        }
        return httpx2.Response(response.status_code, headers=headers, content=response.content)

    async def aclose(self) -> None:
        await self.http.aclose()
