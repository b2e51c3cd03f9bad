"""Interop: Rocket.Chat's own JS SDK (npm ``@rocket.chat/sdk``) against the embedded server.

``node/livechat_sdk.mjs`` runs the visitor flow of the SDK's ``Livechat`` client (the version the
official widget pinned) unchanged: config, grantVisitor, room, sendMessage, loadMessages, then
DDP connect + subscribeRoom + onMessage/onTyping. When it prints ``ready`` this test replies as
the serving agent over REST; the script must receive that message on the stream, delete its own
message, see the deletion notice and close the chat. Each step is one JSON line, asserted below.

Known defects of the SDK itself, documented rather than worked around:

* ``onTyping`` listens to the whole ``stream-notify-room`` collection, so the
  ``<rid>/deleteMessage`` notification reaches the typing callback as ``username = {"_id": ...}``
  with no typing flag (the SDK has no ``onMessageDeleted``); ``test_delete_notice`` pins that.
* ``subscribeRoom`` subscribes to the legacy ``<rid>/typing`` event, which Rocket.Chat 7.x still
  emits next to ``<rid>/user-activity`` (``notifications.module.ts``); this script does not type.
* After a socket drop the SDK replays subscriptions only from a user ``login``, which visitors
  never call: a visitor's subscriptions are not restored (not exercised here).
* A refused subscription (``nosub``) leaves the SDK waiting forever; the script's per-step
  timeout turns that into a failed step instead of a hang.
"""

from __future__ import annotations

import json
import secrets
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest

from rocketchat_livechat.server import EmbeddedServer
from rocketchat_livechat.testing.plugin import Agent, LivechatTestServer

pytestmark = pytest.mark.interop

NODE_DIR = Path(__file__).parent / "node"
SCRIPT = NODE_DIR / "livechat_sdk.mjs"
SDK_PACKAGE = NODE_DIR / "node_modules" / "@rocket.chat" / "sdk" / "package.json"
SDK_VERSION = "1.0.0-alpha.42"
RUN_TIMEOUT_S = 45.0
VISITOR_TEXT = "Hello from the JS SDK"
AGENT_TEXT = "Hi! An agent here, how can I help?"

Steps = dict[str, dict[str, Any]]


class Flow:
    """The script's steps by name, plus what the agent side did while it ran."""

    def __init__(self, steps: Steps, token: str, agent: Agent, agent_message: dict[str, Any]):
        self.steps = steps
        self.token = token
        self.agent = agent
        self.agent_message = agent_message
        self.room_after: dict[str, Any] = {}  # the room as the server has it after the run

    def __getitem__(self, step: str) -> dict[str, Any]:
        assert step in self.steps, f"the script never reached {step!r}: {self.steps}"
        result = self.steps[step]
        assert result["ok"], f"step {step!r} failed: {result}"
        return result

    @property
    def rid(self) -> str:
        rid: str = self["room"]["room"]["_id"]
        return rid


def _run_script(server: LivechatTestServer, agent: Agent, token: str) -> Flow:
    """Run the SDK script, answering as ``agent`` when it is ready."""
    process = subprocess.Popen(
        ["node", str(SCRIPT), server.url, token, AGENT_TEXT],
        cwd=NODE_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    watchdog = threading.Timer(RUN_TIMEOUT_S, process.kill)
    watchdog.start()
    steps: Steps = {}
    agent_message: dict[str, Any] = {}
    try:
        assert process.stdout is not None
        for line in process.stdout:
            step = json.loads(line)
            steps[step["step"]] = step
            if step["step"] == "ready":
                agent_message = server.agent_send(agent, step["rid"], AGENT_TEXT)
        stderr = process.stderr.read() if process.stderr is not None else ""
        code = process.wait()
    finally:
        watchdog.cancel()
        process.kill()
        process.wait()
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()
    assert code == 0, f"livechat_sdk.mjs exited with {code}: {stderr}\nsteps: {steps}"
    return Flow(steps, token, agent, agent_message)


@pytest.fixture(scope="module")
def flow(livechat_embedded_server: EmbeddedServer) -> Iterator[Flow]:
    if shutil.which("node") is None:
        pytest.skip("node is not installed: the JS SDK interop test needs Node.js")
    if not SDK_PACKAGE.is_file():
        pytest.fail(f"@rocket.chat/sdk is not installed: run `npm install` in {NODE_DIR}")
    server = livechat_embedded_server
    with httpx2.Client(base_url=server.url, timeout=30) as http:
        login = http.post(
            "/api/v1/login", json={"user": server.admin_username, "password": server.admin_password}
        ).json()["data"]
        admin = {"X-User-Id": login["userId"], "X-Auth-Token": login["authToken"]}
        helper = LivechatTestServer(server, http, admin)
        try:
            helper.set_routing("Auto_Selection")
            agent = helper.create_agent()
            result = _run_script(helper, agent, f"js-sdk-{secrets.token_hex(6)}")
            if "room" in result.steps:
                info = http.get("/api/v1/rooms.info", params={"roomId": result.rid}, headers=admin)
                result.room_after = info.json().get("room", {})
            yield result
        finally:
            helper.reset()


def test_config(flow: Flow) -> None:
    config = flow["config"]
    assert config["sdkVersion"] == SDK_VERSION
    assert config["enabled"] is True
    assert config["online"] is True


def test_grant_visitor(flow: Flow) -> None:
    visitor = flow["grantVisitor"]["visitor"]
    assert visitor["token"] == flow.token
    assert visitor["_id"]
    assert visitor["name"] == "JS SDK visitor"


def test_room_is_open_and_served_by_the_agent(flow: Flow) -> None:
    room = flow["room"]["room"]
    assert room["_id"]
    assert room["open"] is True
    assert room["servedBy"]["_id"] == flow.agent.user_id
    assert room["servedBy"]["username"] == flow.agent.username


def test_send_message(flow: Flow) -> None:
    message = flow["sendMessage"]["message"]
    assert message == {
        "_id": message["_id"],
        "rid": flow.rid,
        "msg": VISITOR_TEXT,
        "token": flow.token,
    }
    assert message["_id"]


def test_load_messages_returns_the_sent_message(flow: Flow) -> None:
    messages = flow["loadMessages"]["messages"]
    sent_id = flow["sendMessage"]["message"]["_id"]
    assert {"_id": sent_id, "msg": VISITOR_TEXT, "t": None} in messages
    assert "livechat-started" in {message["t"] for message in messages}


def test_connect_sets_up_the_visitor_connection(flow: Flow) -> None:
    # livechat:setUpConnection returns nothing; the SDK then resolves with the bare result frame
    assert set(flow["connect"]["result"]) == {"id"}


def test_subscribe_room(flow: Flow) -> None:
    subscriptions = flow["subscribeRoom"]["subscriptions"]
    extra = {"useCollection": False, "args": [{"token": flow.token, "visitorToken": flow.token}]}
    assert subscriptions == [
        {"name": "stream-room-messages", "params": [flow.rid, extra]},
        {"name": "stream-notify-room", "params": [f"{flow.rid}/typing", extra]},
        {"name": "stream-notify-room", "params": [f"{flow.rid}/deleteMessage", extra]},
    ]


def test_on_message_receives_the_agent_reply(flow: Flow) -> None:
    step = flow["agentMessage"]
    message = step["message"]
    assert message["_id"] == flow.agent_message["_id"]
    assert message["rid"] == flow.rid
    assert message["msg"] == AGENT_TEXT
    assert message["u"] == {"_id": flow.agent.user_id, "username": flow.agent.username}
    assert message["tsIsDate"] is True  # the SDK turned the EJSON {"$date": ...} into a Date
    assert [m["_id"] for m in step["received"]] == [flow.agent_message["_id"]]


def test_delete_message(flow: Flow) -> None:
    deleted = flow["deleteMessage"]["deleted"]
    assert deleted["success"] is True
    assert deleted["message"]["_id"] == flow["sendMessage"]["message"]["_id"]


def test_delete_notice(flow: Flow) -> None:
    """The SDK's defect: the deleteMessage notification arrives in the typing callback."""
    step = flow["deleteNotice"]
    sent_id = flow["sendMessage"]["message"]["_id"]
    assert step["notice"] == {"username": {"_id": sent_id}, "isTyping": None}
    assert step["notifications"] == [step["notice"]]


def test_close_chat(flow: Flow) -> None:
    closed = flow["closeChat"]["closed"]
    assert closed == {"rid": flow.rid, "comment": "Closed by visitor", "success": True}
    assert "open" not in flow.room_after
    assert flow.room_after["closer"] == "visitor"
    assert flow["disconnect"]["ok"] is True
