"""Fixtures of the end-to-end tests.

The plugin (``rocketchat_livechat.testing.plugin``) provides ``livechat_server`` (one embedded
server for the session, rate limiter off) and a visitor-side client fixture; the manager client
below is logged in as the server's admin. This is the async source: in the generated sync twin
the fixture names lose their ``async`` prefix, so the same tests use the sync clients.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from rocketchat_livechat import AsyncLivechatClient
from rocketchat_livechat.testing.plugin import LivechatTestServer


@pytest.fixture
async def async_manager_client(
    livechat_server: LivechatTestServer,
) -> AsyncIterator[AsyncLivechatClient]:
    """A client logged in as the admin (every agent/manager permission)."""
    async with AsyncLivechatClient(livechat_server.url) as client:
        await client.login(livechat_server.admin_username, livechat_server.admin_password)
        yield client
