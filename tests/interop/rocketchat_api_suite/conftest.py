"""Run ``rocketchat_API``'s own livechat tests, unchanged, against a fresh embedded server.

``upstream/`` holds ``tests/conftest.py`` and ``tests/test_livechat.py`` of
https://github.com/jadolg/rocketchat_API at tag 3.7.0 (commit
b42cffe469d53990589c47c340483051a2513c43), byte for byte; MIT, see ``upstream/LICENSE.txt``.

Their CI runs them against a fresh Rocket.Chat in docker (``docker-compose.yml``):
``API_Enable_Rate_Limiter=false``, ``Accounts_TwoFactorAuthentication_Enforce_Password_Fallback
=false``, no admin (their conftest registers ``user1`` with ``users.register``; the first user
of a fresh server becomes its admin). This conftest gives them the same: a server with those
settings and no seeded admin. The one thing it changes is where ``RocketChat()`` connects:
their fixtures use the client's default ``server_url`` (``http://127.0.0.1:3000``), so the
default is pointed at the embedded server for the session (and restored afterwards).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from rocketchat_API.APISections.base import RocketChatBase

from rocketchat_livechat.server import EmbeddedServer

pytestmark = pytest.mark.interop

#: their docker-compose.yml's OVERWRITE_SETTING_* variables
CI_SETTINGS = {
    "API_Enable_Rate_Limiter": False,
    "Accounts_TwoFactorAuthentication_Enforce_Password_Fallback": False,
}


@pytest.fixture(scope="session", autouse=True)
def fresh_rocketchat() -> Iterator[EmbeddedServer]:
    """A fresh server (no admin) that ``RocketChat()`` reaches by default."""
    defaults = RocketChatBase.__init__.__defaults__
    assert defaults is not None and defaults[4] == "http://127.0.0.1:3000"  # server_url
    with EmbeddedServer(admin_username=None, settings=CI_SETTINGS) as server:
        RocketChatBase.__init__.__defaults__ = (*defaults[:4], server.url, *defaults[5:])
        try:
            yield server
        finally:
            RocketChatBase.__init__.__defaults__ = defaults
