"""The visitor's DDP method ``sendMessageLivechat`` (Rocket.Chat 7.x; 8.0 removed it).

Behaviour from ``apps/meteor/app/livechat/server/methods/sendMessageLivechat.ts`` and the
``sendMessage`` / ``getRoom`` it calls (``app/livechat/server/lib/messages.ts``, ``rooms.ts``).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

import pytest
from test_ddp_server import Raw, raw, stored, visitor_room  # noqa: F401  (raw: the fixture)

from rocketchat_livechat.testing.plugin import Agent, LivechatTestServer

pytestmark = pytest.mark.e2e

METHOD = "sendMessageLivechat"


def _meteor_error(code: str | int, reason: str | None = None) -> dict[str, Any]:
    error: dict[str, Any] = {"isClientSafe": True, "error": code}
    if reason is not None:
        error["reason"] = reason
    error["message"] = f"{reason} [{code}]" if reason else f"[{code}]"
    error["errorType"] = "Meteor.Error"
    return error


def _message(token: str, rid: str, msg: str = "hello") -> dict[str, str]:
    return {"token": token, "_id": f"m{secrets.token_hex(6)}", "rid": rid, "msg": msg}


@pytest.fixture
def client(raw: Callable[[], Raw]) -> Raw:  # noqa: F811
    connection = raw()
    connection.handshake()
    return connection


@pytest.mark.parametrize(
    ("params"),
    [
        [{"token": "t", "rid": "r", "msg": "m"}],  # no _id
        [{"token": "t", "_id": "i", "rid": "r", "msg": 7}],
        [{"token": "t", "_id": "i", "rid": "r", "msg": "m"}, {"agentId": "a"}],
        [
            {"token": "t", "_id": "i", "rid": "r", "msg": "m"},
            {"agentId": "a", "username": "u", "x": 1},
        ],
    ],
)
def test_checks_its_arguments(client: Raw, params: list[Any]) -> None:
    result, _ = client.call(METHOD, *params)
    assert result["error"] == _meteor_error(400, "Match failed")


def test_unknown_token(client: Raw) -> None:
    result, _ = client.call(METHOD, _message("no-such-token", "rid"))
    assert result["error"] == _meteor_error("invalid-token")


def test_sends_into_the_visitors_open_room(
    client: Raw, livechat_server: LivechatTestServer, agent: Agent
) -> None:
    token, rid = visitor_room(livechat_server)
    message = _message(token, rid, "via sendMessageLivechat")
    assert (
        client.sub("stream-room-messages", rid, {"token": token, "visitorToken": token})["msg"]
        == "ready"
    )
    result, _ = client.call(METHOD, message)
    sent = result["result"]
    assert (sent["_id"], sent["rid"], sent["msg"], sent["token"]) == (
        message["_id"],
        rid,
        "via sendMessageLivechat",
        token,
    )
    assert (sent["newRoom"], sent["showConnecting"]) == (False, False)
    assert sent["alias"] == "V" and "$date" in sent["ts"]
    assert stored(livechat_server, "messages", message["_id"])["rid"] == rid
    pushed = client.expect(msg="changed", collection="stream-room-messages")
    assert pushed["fields"]["args"][0]["_id"] == message["_id"]


def test_no_open_room_creates_one(
    client: Raw, livechat_server: LivechatTestServer, agent: Agent
) -> None:
    token = f"ddp-{secrets.token_hex(6)}"
    livechat_server.http.post("/api/v1/livechat/visitor", json={"visitor": {"token": token}})
    result, _ = client.call(METHOD, _message(token, "not-a-room-yet"))
    sent = result["result"]
    assert sent["newRoom"] is True and sent["rid"] != "not-a-room-yet"
    room = stored(livechat_server, "rooms", sent["rid"])
    assert room["v"]["token"] == token and room["source"]["type"] == "api"
    assert room["servedBy"]["_id"] == agent.user_id


def test_another_visitors_room_and_the_character_limit(
    client: Raw, livechat_server: LivechatTestServer, agent: Agent
) -> None:
    _, rid = visitor_room(livechat_server)
    other, _ = visitor_room(livechat_server)
    result, _ = client.call(METHOD, _message(other, rid))
    assert result["error"] == _meteor_error("cannot-access-room")
    livechat_server.set_setting("Livechat_enable_message_character_limit", True)
    livechat_server.set_setting("Livechat_message_character_limit", 5)
    result, _ = client.call(METHOD, _message(other, rid, "too long"))
    assert result["error"] == _meteor_error("message-length-exceeds-character-limit")
