"""Fixtures for the realtime end-to-end tests (embedded server over real sockets)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest

from _support.faultproxy import FaultProxy
from rocketchat_livechat import AsyncLivechatClient
from rocketchat_livechat.testing.plugin import Agent, LivechatTestServer


@pytest.fixture
def agent(livechat_server: LivechatTestServer) -> Agent:
    """An online agent; with the default Auto_Selection it takes new rooms at once."""
    return livechat_server.create_agent()


@pytest.fixture
async def agent_client(
    livechat_server: LivechatTestServer, agent: Agent
) -> AsyncIterator[AsyncLivechatClient]:
    """A client logged in as ``agent`` (agent REST calls and the agent's realtime stream)."""
    async with AsyncLivechatClient(
        livechat_server.url, user_id=agent.user_id, auth_token=agent.auth_token
    ) as client:
        yield client


@pytest.fixture
def proxy(livechat_server: LivechatTestServer) -> Iterator[FaultProxy]:
    """A fault-injecting proxy (HTTP and websockets) in front of the embedded server."""
    with FaultProxy(livechat_server.url) as running:
        yield running


@pytest.fixture
def server_heartbeat(livechat_server: LivechatTestServer) -> Iterator[Callable[[float], None]]:
    """Set the server's DDP heartbeat (seconds) for connections opened afterwards."""
    state: Any = livechat_server.server.state
    before = state.ddp_heartbeat
    yield lambda seconds: setattr(state, "ddp_heartbeat", seconds)
    state.ddp_heartbeat = before
