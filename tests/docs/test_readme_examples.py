"""The README's examples, run as written against the embedded server.

The error-handling and visitor-side examples run twice: on ``rocketchat-livechat serve`` (a
subprocess, started as the README says) and on the pytest plugin's server.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import httpx2
import pytest

from _support.servers import serve_command, start_server
from rocketchat_livechat import LivechatClient, new_visitor_token
from rocketchat_livechat.server import EmbeddedServer
from rocketchat_livechat.testing.plugin import LivechatTestServer

README = Path(__file__).resolve().parents[2] / "README.md"
ADMIN_PASSWORD = "readme-admin"

pytestmark = pytest.mark.e2e


def readme_block(heading: str, index: int = 0) -> str:
    """The ``index``-th python code block under ``## heading``."""
    section = README.read_text().split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, re.S)[index]


@contextmanager
def serving(*options: str) -> Iterator[str]:
    """``rocketchat-livechat serve`` on any free port; yields its URL, stops it on exit."""
    command = serve_command("--port", "0", "--admin-password", ADMIN_PASSWORD, *options)
    with start_server(command) as server:
        yield server.url


@dataclass(frozen=True)
class Served:
    """What :class:`LivechatTestServer` reads of an :class:`EmbeddedServer`."""

    url: str
    admin_username: str = "admin"
    admin_password: str = ADMIN_PASSWORD


@pytest.fixture
def serve() -> Iterator[Callable[..., LivechatTestServer]]:
    """Start ``serve`` with these options; returns the plugin's admin helpers for it."""
    with ExitStack() as stack:

        def start(*options: str) -> LivechatTestServer:
            url = stack.enter_context(serving(*options))
            http = stack.enter_context(httpx2.Client(base_url=url, timeout=30))
            login = {"user": "admin", "password": ADMIN_PASSWORD}
            data = http.post("/api/v1/login", json=login).json()["data"]
            headers = {"X-User-Id": data["userId"], "X-Auth-Token": data["authToken"]}
            return LivechatTestServer(cast(EmbeddedServer, Served(url)), http, headers)

        yield start


def readme_server(request: pytest.FixtureRequest, where: str, *serve_options: str) -> Any:
    """The plugin's ``livechat_server``, or ``serve`` started with ``serve_options``."""
    if where == "plugin":
        return request.getfixturevalue("livechat_server")
    return request.getfixturevalue("serve")(*serve_options)


SERVERS = pytest.mark.parametrize("where", ["serve", "plugin"])


@SERVERS
def test_error_handling_example_leaves_an_offline_message(
    request: pytest.FixtureRequest, where: str
) -> None:
    server: LivechatTestServer = readme_server(request, where)
    with LivechatClient(server.url) as livechat:
        token = new_visitor_token()
        livechat.visitor.register_visitor(token, name="Alice")
        namespace: dict[str, Any] = {"livechat": livechat, "token": token}
        exec(readme_block("Errors"), namespace)
    assert "room" not in namespace  # no agent online: the offline branch ran


@SERVERS
def test_visitor_side_examples_run(request: pytest.FixtureRequest, where: str) -> None:
    server: LivechatTestServer = readme_server(request, where, "--custom-field", "plan")
    if where == "plugin":
        server.define_custom_field("plan")
    server.create_agent()
    with LivechatClient(server.url) as livechat:
        token = new_visitor_token()
        livechat.visitor.register_visitor(token, name="Bob")
        rid = livechat.room.get_room(token).room.id  # before the department: outside it
        department = server.create_department(
            f"Sales {new_visitor_token()[:6]}", [server.create_agent()]
        )
        names = {
            "livechat": livechat,
            "token": token,
            "rid": rid,
            "department_id": department["_id"],
        }
        exec(readme_block("Every method"), names)
        assert livechat.visitor.get_visitor(token).livechat_data == {"plan": "enterprise"}


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


def test_plugin_custom_fields_are_undone_after_the_test(
    livechat_server: LivechatTestServer,
) -> None:
    data = {"field": "tier", "label": "Tier", "scope": "room", "visibility": "hidden"}
    livechat_server._post("livechat/custom-fields.save", {"customFieldData": data})
    livechat_server.define_custom_field("tier")
    livechat_server.define_custom_field("plan", regexp="^p")
    livechat_server.define_custom_field("plan")  # redefined: updated in place
    livechat_server.reset()
    tier = livechat_server._get("livechat/custom-fields/tier")["customField"]
    assert (tier["label"], tier["scope"], tier["visibility"]) == ("Tier", "room", "hidden")
    assert livechat_server._get("livechat/custom-fields/plan")["customField"] is None
    livechat_server._post("livechat/custom-fields.remove", {"_id": "tier"})


async def test_build_a_bot_example_answers_and_hands_off(
    livechat_server: LivechatTestServer,
) -> None:
    from rocketchat_livechat import AsyncLivechatClient

    agent = livechat_server.create_agent(available=False)
    human = livechat_server.create_agent(available=False)
    support = livechat_server.create_department(f"Support-{new_visitor_token()[:6]}", [human])
    code = readme_block("Build a bot").replace('"faq-bot"', repr(agent.username))
    code = code.replace('department="Support"', f"department={support['name']!r}")
    scope: dict[str, Any] = {"url": livechat_server.url, "password": agent.password}
    exec(code, scope)
    async with scope["bot"], AsyncLivechatClient(livechat_server.url) as visitor:
        token = new_visitor_token()
        await visitor.visitor.register_visitor(token, name="Alice")
        rid = (await visitor.room.get_room(token)).room.id
        livechat_server.set_available(human)
        await visitor.messages.send_message(token, rid, "hello")
        await visitor.messages.send_message(token, rid, "a human please")

        async def served_by_human() -> bool:
            served = (await visitor.room.get_room(token, rid=rid)).room.served_by
            return served is not None and served.id == human.user_id

        await _until(served_by_human)
        said = [m.msg for m in await visitor.messages.get_message_history(rid, token)]
    assert "You said: hello" in said


async def _until(condition: Callable[[], Any], timeout: float = 15) -> None:
    import asyncio

    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not await condition():
        assert loop.time() < end, "timed out"
        await asyncio.sleep(0.05)


async def test_build_a_bridge_example_delivers_and_sends_out(
    livechat_server: LivechatTestServer,
) -> None:
    import json

    agent = livechat_server.create_agent()
    outbox: list[tuple[str, str]] = []
    scope: dict[str, Any] = {
        "url": livechat_server.url,
        "secret": "readme-bridge-secret-123456",
        "webhook_secret": "hook",
        "outbox": outbox,
    }
    code = readme_block("Build a bridge").replace("sqlite:///bridge.db", "memory://")
    exec(code, scope)
    bridge, client = scope["bridge"], scope["client"]
    async with client:
        await scope["on_whatsapp_message"]("+5531999", "oi", "wamid-1")
        await scope["on_whatsapp_message"]("+5531999", "oi", "wamid-1")  # redelivered
        rid = bridge.store.room_of("+5531999")
        sent = livechat_server.agent_send(agent, rid, "olá Maria")
        event = {
            "_id": rid,
            "type": "Message",
            "visitor": {"token": bridge.token_for("+5531999")},
            "messages": [{"_id": sent["_id"], "msg": "olá Maria", "agentId": agent.user_id}],
        }
        answer = await scope["receiver"].handle(
            json.dumps(event), {"X-RocketChat-Livechat-Token": "hook"}
        )
        history = await client.messages.get_message_history(rid, bridge.token_for("+5531999"))
    assert answer.status == 200
    assert outbox == [("+5531999", "olá Maria")]
    assert [m.msg for m in history if m.token and not m.is_system] == ["oi"]
