"""The README's examples, run as written against the embedded server."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from rocketchat_livechat import LivechatClient, new_visitor_token
from rocketchat_livechat.testing.plugin import LivechatTestServer

README = Path(__file__).resolve().parents[2] / "README.md"

pytestmark = pytest.mark.e2e


def readme_block(heading: str, index: int = 0) -> str:
    """The ``index``-th python code block under ``## heading``."""
    section = README.read_text().split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, re.S)[index]


def test_plugin_example_passes(
    livechat_server: LivechatTestServer, livechat_client: LivechatClient
) -> None:
    namespace: dict[str, Any] = {}
    exec(readme_block("Testing your code: the pytest plugin"), namespace)
    namespace["test_my_bot_answers"](livechat_server, livechat_client)


def test_quickstart_runs(
    livechat_server: LivechatTestServer, capsys: pytest.CaptureFixture[str]
) -> None:
    livechat_server.create_agent()
    code = readme_block("Quickstart").replace(
        '"https://chat.example.com"', repr(livechat_server.url)
    )
    exec(code, {"LivechatClient": LivechatClient, "new_visitor_token": new_visitor_token})
    assert "Hello!" in capsys.readouterr().out


def test_agent_bot_example_greets_its_rooms(livechat_server: LivechatTestServer) -> None:
    bot = livechat_server.create_agent(f"bot-{new_visitor_token()[:8]}")
    with LivechatClient(livechat_server.url) as visitor:
        token = new_visitor_token()
        visitor.visitor.register_visitor(token, name="Alice")
        rid = visitor.room.get_room(token).room.id
        code = readme_block("Every method", 1).replace('"bot"', repr(bot.username))
        exec(
            code,
            {
                "LivechatClient": LivechatClient,
                "url": livechat_server.url,
                "password": bot.password,
            },
        )
        assert visitor.messages.get_message_history(rid, token)[0].msg == "Hi, how can I help?"
