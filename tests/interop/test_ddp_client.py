"""Interop: the 8.x official visitor client (npm ``@rocket.chat/ddp-client`` 1.1.2,
``LivechatClientImpl``) against the embedded server on the 8.8 and 9.0 lines.

``node/livechat_ddp_client.mjs`` runs it unchanged: connect (no ``livechat:setUpConnection``),
register, open the room, subscribe to its messages and user activity with the visitor token,
report presence over ``livechat/visitor.status``; when it prints ``ready`` this test replies as
the serving agent, which the client must receive on the stream; then it sends, types, goes away
and closes the chat.
"""

from __future__ import annotations

import secrets
import shutil
from typing import Any

import httpx2
import pytest
from _node_steps import NODE_DIR, run_steps

from rocketchat_livechat.testing.plugin import LivechatTestServer

pytestmark = pytest.mark.interop

SCRIPT = NODE_DIR / "livechat_ddp_client.mjs"
PACKAGE = NODE_DIR / "node_modules" / "@rocket.chat" / "ddp-client" / "package.json"
AGENT_TEXT = "An agent answering the 8.x client"


@pytest.mark.rc_version("8.8")
def test_on_8_8(livechat_server: LivechatTestServer) -> None:
    _flow(livechat_server)


@pytest.mark.rc_version("9.0")
def test_on_9_0(livechat_server: LivechatTestServer) -> None:
    _flow(livechat_server)


def _flow(server: LivechatTestServer) -> None:
    if shutil.which("node") is None:
        pytest.skip("node is not installed: the ddp-client interop test needs Node.js")
    if not PACKAGE.is_file():
        pytest.fail(f"@rocket.chat/ddp-client is not installed: run `npm install` in {NODE_DIR}")
    assert not server.server.state.line.serves_ddp_method("livechat:setUpConnection")
    agent = server.create_agent()
    token = f"ddp-client-{secrets.token_hex(6)}"
    sent: dict[str, Any] = {}

    def reply(step: dict[str, Any]) -> None:
        if step["step"] == "ready":
            sent.update(server.agent_send(agent, step["rid"], AGENT_TEXT))

    command = ["node", str(SCRIPT), server.url, token, AGENT_TEXT]
    code, steps, stderr = run_steps(command, reply)
    assert code == 0, f"{SCRIPT.name} exited with {code}: {stderr}\n{steps}"
    assert steps["grantVisitor"]["visitor"]["token"] == token
    room = steps["room"]["room"]
    assert room["open"] is True and room["servedBy"] == agent.user_id
    assert steps["status"]["status"] == "online"
    assert steps["agentMessage"]["message"] == {
        "_id": sent["_id"],
        "msg": AGENT_TEXT,
        "u": agent.username,
    }
    assert steps["sendMessage"]["message"] == {"msg": "Hello from the DDP client", "token": token}
    assert steps["away"]["status"] == "away"
    assert steps["closeChat"]["closed"]["success"] is True
    with httpx2.Client(base_url=server.url) as http:
        info = http.get(
            "/api/v1/rooms.info", params={"roomId": room["_id"]}, headers=server.admin_headers
        ).json()["room"]
    assert "open" not in info and info["closer"] == "visitor"
