"""The pytest plugin's fixtures are typed: an IDE and mypy see what each one yields."""

from __future__ import annotations

import typing
from collections.abc import AsyncIterator, Iterator

import httpx2
import pytest

import rocketchat_livechat
from rocketchat_livechat.server import EmbeddedServer
from rocketchat_livechat.server.versions import ServerLine
from rocketchat_livechat.testing import plugin

EXPECTED = {
    "livechat_embedded_server": Iterator[EmbeddedServer],
    "livechat_server": Iterator[plugin.LivechatTestServer],
    "livechat_client": Iterator[rocketchat_livechat.LivechatClient],
    "async_livechat_client": AsyncIterator[rocketchat_livechat.AsyncLivechatClient],
    "rc_line": Iterator[ServerLine],
}


@pytest.mark.parametrize(("name", "expected"), EXPECTED.items(), ids=list(EXPECTED))
def test_fixture_yields_a_declared_type(name: str, expected: object) -> None:
    function = getattr(plugin, name)._get_wrapped_function()
    namespace = {
        **vars(plugin),
        **vars(rocketchat_livechat),
        "EmbeddedServer": EmbeddedServer,
        "ServerLine": ServerLine,
        "httpx2": httpx2,
    }
    assert typing.get_type_hints(function, namespace)["return"] == expected


def test_every_public_fixture_is_checked() -> None:
    fixtures = {
        name
        for name, value in vars(plugin).items()
        if not name.startswith("_") and type(value).__name__ == "FixtureFunctionDefinition"
    }
    assert fixtures == EXPECTED.keys()
