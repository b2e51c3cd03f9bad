"""Fixtures of the cross-version suite: every test takes ``rc_line`` (the pytest plugin runs it
once per emulated Rocket.Chat line, the shared server emulating that line meanwhile)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx2
import pytest

from rocketchat_livechat import AsyncLivechatClient
from rocketchat_livechat.testing.plugin import LivechatTestServer


@pytest.fixture
def http(livechat_server: LivechatTestServer) -> Iterator[httpx2.Client]:
    """An anonymous client on the server's root."""
    with httpx2.Client(base_url=livechat_server.url, timeout=30) as client:
        yield client


@pytest.fixture
async def manager(livechat_server: LivechatTestServer) -> AsyncIterator[AsyncLivechatClient]:
    """A client logged in as the admin."""
    async with AsyncLivechatClient(livechat_server.url) as client:
        await client.login(livechat_server.admin_username, livechat_server.admin_password)
        yield client
