"""Every example in ``examples/``, run as its docstring says: a subprocess, against
``rocketchat-livechat serve`` (itself a subprocess on 127.0.0.1), judged by what it does."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx2
import pytest

from _support.served import ADMIN_PASSWORD, served
from _support.servers import ServerProcess, start_server
from rocketchat_livechat import LivechatClient, new_visitor_token
from rocketchat_livechat.testing.plugin import LivechatTestServer

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
UVICORN = re.compile(r"Uvicorn running on (http://127\.0\.0\.1:\d+)")

pytestmark = pytest.mark.e2e


@pytest.fixture
def server() -> Iterator[LivechatTestServer]:
    """A fresh ``rocketchat-livechat serve`` for each example.

    The tests poll REST until an example has acted (up to 20 calls a second); Rocket.Chat's
    default limit, 10 calls a minute per route, would turn a slow example into a 429."""
    with served() as started:
        started.set_setting("API_Enable_Rate_Limiter", False)
        yield started


def until(condition: Callable[[], object], what: str, timeout: float = 20) -> None:
    end = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < end, f"timed out waiting for {what}"
        time.sleep(0.05)


def stop_cleanly(process: ServerProcess) -> str:
    """SIGTERM, as Ctrl-C would; the example must stop without a traceback (uvicorn exits by
    re-raising the signal once it has shut down, hence -SIGTERM)."""
    process.stop()
    output = "".join(process.output)
    assert process.proc.returncode in (0, -signal.SIGTERM), output
    assert "Traceback" not in output, output
    return output


def test_every_example_is_tested_here() -> None:
    found = sorted(p.name for p in EXAMPLES.iterdir() if not p.name.startswith((".", "_")))
    assert found == ["ai_agent.py", "bridge_fake_channel.py", "test_with_plugin.py", "website_chat"]
    for example in (*EXAMPLES.glob("*.py"), EXAMPLES / "website_chat" / "app.py"):
        head = example.read_text().split('"""')[1]
        assert "python examples/" in head or "python -m pytest examples/" in head, example


def test_website_chat(server: LivechatTestServer) -> None:
    agent = server.create_agent()
    command = [sys.executable, str(EXAMPLES / "website_chat" / "app.py"), "--server", server.url]
    with (
        start_server([*command, "--port", "0"], announcement=UVICORN, ready_path="/") as app,
        httpx2.Client(base_url=app.url, timeout=15) as browser,
        LivechatClient(server.url) as as_agent,
    ):
        assert 'new EventSource("/chat/events")' in browser.get("/").text
        started = browser.post("/chat/start", json={"name": "Alice"})
        assert started.json() == {"online": True, "name": "Alice"}
        assert "httponly" in started.headers["set-cookie"].lower()
        as_agent.login(agent.username, agent.password)
        (room,) = as_agent.room.list_rooms(agents=[agent.user_id], open=True)
        assert room.v is not None and room.v.token and room.v.token not in started.text

        with browser.stream("GET", "/chat/events") as events:
            lines = events.iter_lines()
            assert next(lines) == ": connected"
            sent = browser.post("/chat/send", json={"text": "Where is my order?"}).json()
            assert sent["from"] == "you" and sent["text"] == "Where is my order?"
            server.agent_send(agent, room.id, "On its way!")
            seen: list[dict[str, str]] = []
            for line in lines:
                if line.startswith("data: "):
                    seen.append(json.loads(line.removeprefix("data: ")))
                    if seen[-1]["text"] == "On its way!":
                        break
            assert [(m["from"], m["text"]) for m in seen] == [
                ("you", "Where is my order?"),
                (agent.username, "On its way!"),
            ]
            said = browser.get("/chat/messages").json()
            assert [(m["from"], m["text"]) for m in said] == [
                ("you", "Where is my order?"),
                (agent.username, "On its way!"),
            ]
            assert browser.post("/chat/close").json() == {"closed": True}
            assert [line for line in lines if line] == ["event: closed", "data: {}"]

        server.set_available(agent, False)
        nobody = browser.post("/chat/start", json={"name": "Bob"}).json()
        assert nobody == {"online": False, "name": "Bob"}
        assert browser.post("/chat/send", json={"text": "hello?"}).status_code == 409
        left = {"name": "Bob", "email": "bob@example.com", "text": "Call me back"}
        assert browser.post("/chat/offline", json=left).json() == {"sent": True}
        assert browser.post("/chat/start", json={"name": ""}).status_code == 400
        assert browser.post("/chat/start", content=b"not json").status_code == 400
        stop_cleanly(app)


def test_ai_agent_answers_and_hands_off(server: LivechatTestServer) -> None:
    human = server.create_agent(available=False)  # the bot (admin) gets the chat first
    server.create_department("Support", [human])
    command = [
        *(sys.executable, str(EXAMPLES / "ai_agent.py"), "--server", server.url),
        *("--user", "admin", "--password", ADMIN_PASSWORD, "--human-department", "Support"),
        "--setup",
    ]
    announcement = re.compile(r"answering chats on (http://127\.0\.0\.1:\d+) as admin")
    with (
        start_server(command, announcement=announcement) as bot,
        LivechatClient(server.url) as visitor,
    ):
        until(lambda: visitor.config.get_config().online, "the bot to go online")
        token = new_visitor_token()
        visitor.visitor.register_visitor(token, name="Vera")
        rid = visitor.room.get_room(token).room.id
        server.set_available(human)
        visitor.messages.send_message(token, rid, "hi, what does it cost?")

        def answered() -> list[str]:
            history = visitor.messages.get_message_history(rid, token)
            return [m.msg or "" for m in reversed(history) if not m.is_system and not m.token]

        until(lambda: len(answered()) >= 2, "the greeting and the answer")
        visitor.messages.send_message(token, rid, "I want a human")

        def served_by_human() -> bool:
            served_by = visitor.room.get_room(token, rid=rid).room.served_by
            return served_by is not None and served_by.id == human.user_id

        until(served_by_human, "the hand-off to the human")
        said = answered()
        stop_cleanly(bot)
    assert said[0] == "Hi, I'm the virtual assistant. How can I help?"
    assert said[1].startswith("Our plans start at 10 EUR a month.")
    assert said[2] == "Let me bring in a colleague; one moment please."


def test_bridge_fake_channel(server: LivechatTestServer) -> None:
    agent = server.create_agent()
    command = [
        *(sys.executable, str(EXAMPLES / "bridge_fake_channel.py"), "--server", server.url),
        *("--port", "0", "--admin-password", ADMIN_PASSWORD),
    ]
    with (
        start_server(command, ready_path="/channel/outbox") as bridge,
        httpx2.Client(base_url=bridge.url, timeout=15) as channel,
        LivechatClient(server.url) as as_agent,
    ):
        maria = {"from": "+5511988887777", "text": "oi", "id": "wamid-1", "name": "Maria"}
        assert channel.post("/channel/inbound", json=maria).json() == {"delivered": True}
        assert channel.post("/channel/inbound", json=maria).json() == {"delivered": False}
        assert channel.post("/channel/inbound", json={"from": "x"}).status_code == 400
        assert channel.post("/channel/inbound", json=["not", "an object"]).status_code == 400
        as_agent.login(agent.username, agent.password)
        (room,) = as_agent.room.list_rooms(agents=[agent.user_id], open=True)
        assert room.fname == "Maria"
        as_agent.messages.send_agent_message(room.id, "olá Maria")
        until(lambda: channel.get("/channel/outbox").json(), "the webhook to hand out the reply")
        as_agent.room.close_room_by_user(room.id, comment="done")
        until(lambda: any("chat was closed" in line for line in bridge.output), "the close")
        outbox = channel.get("/channel/outbox").json()
        output = stop_cleanly(bridge)
    assert outbox == [{"to": "+5511988887777", "text": "olá Maria", "agent": agent.username}]
    assert "-> +5511988887777: olá Maria" in output
    settings = server._get("livechat/integrations.settings")["settings"]
    assert {s["_id"]: s["value"] for s in settings}["Livechat_webhookUrl"] == ""  # cleared


def test_the_plugin_suite_passes() -> None:
    """The plugin starts its own embedded server: the suite needs no ``serve``."""
    suite = str(EXAMPLES / "test_with_plugin.py")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", suite, "-p", "no:cacheprovider"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=EXAMPLES.parent,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"\b3 passed\b", done.stdout), done.stdout
