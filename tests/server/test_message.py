"""Visitor message endpoints (§3.13-3.17, §3.19)."""

from __future__ import annotations

import httpx2
import pytest
from _server_helpers import EventLog, error, new_chat

from rocketchat_livechat.testing.plugin import Agent, LivechatTestServer

pytestmark = pytest.mark.e2e


def send(http: httpx2.Client, token: str, rid: str, msg: str, **extra: object) -> httpx2.Response:
    return http.post("livechat/message", json={"token": token, "rid": rid, "msg": msg, **extra})


def test_send_message(http: httpx2.Client, agent: Agent, events: EventLog) -> None:
    token, room = new_chat(http, name="Carla")
    rid = room["_id"]
    body = send(http, token, rid, "hello", _id="client-id-1").json()
    message = body["message"]
    assert message["_id"] == "client-id-1" and message["msg"] == "hello"
    assert message["token"] == token and message["alias"] == "Carla" and message["rid"] == rid
    assert message["u"]["username"] == room["v"]["username"]
    assert message["md"] == [
        {"type": "PARAGRAPH", "value": [{"type": "PLAIN_TEXT", "value": "hello"}]}
    ]
    assert [a[0]["_id"] for a in events.of("stream-room-messages", rid)][-1] == "client-id-1"
    assert send(http, token, rid, "").status_code == 200


def test_duplicate_id_changes_nothing(http: httpx2.Client, agent: Agent) -> None:
    token, room = new_chat(http)
    rid = room["_id"]
    send(http, token, rid, "first", _id="dup-1")
    assert error(send(http, token, rid, "second", _id="dup-1")) == {
        "success": False,
        "error": "Cannot convert undefined or null to object",
    }
    got = http.get("livechat/message/dup-1", params={"token": token, "rid": rid}).json()
    assert got["message"]["msg"] == "first"


def test_send_errors(
    http: httpx2.Client, agent: Agent, livechat_server: LivechatTestServer
) -> None:
    token, room = new_chat(http)
    rid = room["_id"]
    assert error(send(http, "nope", rid, "x")) == {"success": False, "error": "invalid-token"}
    assert error(send(http, token, "nope", "x")) == {"success": False, "error": "invalid-room"}
    assert error(send(http, token, rid, "x", extra=1))["error"] == (
        "must NOT have additional properties [invalid-params]"
    )
    bad_agent = send(http, token, rid, "x", agent={"agentId": "a"})
    assert error(bad_agent)["error"] == "must have required property 'username' [invalid-params]"
    livechat_server.set_setting("Livechat_enable_message_character_limit", True)
    livechat_server.set_setting("Livechat_message_character_limit", 3)
    assert send(http, token, rid, "abc").status_code == 200
    assert error(send(http, token, rid, "abcd")) == {
        "success": False,
        "error": "message-length-exceeds-character-limit",
    }
    http.post("livechat/room.close", json={"token": token, "rid": rid})
    assert error(send(http, token, rid, "x")) == {"success": False, "error": "room-closed"}


def test_get_edit_delete(
    http: httpx2.Client, agent: Agent, livechat_server: LivechatTestServer, events: EventLog
) -> None:
    token, room = new_chat(http)
    rid = room["_id"]
    mid = send(http, token, rid, "typo").json()["message"]["_id"]
    params = {"token": token, "rid": rid}
    assert http.get(f"livechat/message/{mid}", params=params).json()["message"]["msg"] == "typo"
    assert error(http.get("livechat/message/unknown", params=params)) == {
        "success": False,
        "error": "invalid-message",
    }
    assert error(http.get(f"livechat/message/{mid}", params={"token": token}))["error"] == (
        "must have required property 'rid' [invalid-params]"
    )
    edited = http.put(f"livechat/message/{mid}", json={**params, "msg": "fixed"}).json()["message"]
    assert edited["msg"] == "fixed" and edited["editedBy"]["_id"] == room["v"]["_id"]
    assert "editedAt" in edited
    agent_msg = livechat_server.agent_send(agent, rid, "from agent")
    assert error(http.put(f"livechat/message/{agent_msg['_id']}", json={**params, "msg": "x"})) == {
        "success": False,
        "error": "error-action-not-allowed",
    }
    # DELETE validates the JSON body; query parameters are not enough
    assert error(http.request("DELETE", f"livechat/message/{mid}", params=params))["error"] == (
        "must have required property 'token' [invalid-params]"
    )
    deleted = http.request("DELETE", f"livechat/message/{mid}", json=params).json()
    assert deleted["message"]["_id"] == mid and deleted["success"] is True
    assert [a[0] for a in events.of("stream-notify-room", f"{rid}/deleteMessage")] == [{"_id": mid}]
    assert error(http.get(f"livechat/message/{mid}", params=params))["error"] == "invalid-message"
    livechat_server.set_setting("Message_AllowEditing", False)
    other = send(http, token, rid, "keep").json()["message"]["_id"]
    assert error(http.put(f"livechat/message/{other}", json={**params, "msg": "x"}))["error"] == (
        "error-action-not-allowed"
    )


def test_history(http: httpx2.Client, agent: Agent, livechat_server: LivechatTestServer) -> None:
    token, room = new_chat(http)
    rid = room["_id"]
    sent = [send(http, token, rid, f"m{i}").json()["message"] for i in range(5)]
    livechat_server.agent_send(agent, rid, "reply")
    history = http.get(f"livechat/messages.history/{rid}", params={"token": token}).json()
    texts = [m["msg"] for m in history["messages"]]
    assert texts[:6] == ["reply", "m4", "m3", "m2", "m1", "m0"]
    assert history["messages"][-1]["t"] == "livechat-started"
    assert set(history) == {"messages", "success"}
    page = http.get(
        f"livechat/messages.history/{rid}",
        params={"token": token, "limit": 2, "offset": 1, "count": 99},
    ).json()
    assert [m["msg"] for m in page["messages"]] == ["m4", "m3"]
    before = http.get(
        f"livechat/messages.history/{rid}",
        params={"token": token, "end": sent[2]["ts"], "limit": 10},
    ).json()
    assert [m["msg"] for m in before["messages"]][:2] == ["m1", "m0"]
    assert error(http.get(f"livechat/messages.history/{rid}", params={"token": "x"})) == {
        "success": False,
        "error": "invalid-token",
    }
    assert (
        error(http.get(f"livechat/messages.history/{rid}", params={"token": token, "q": 1}))[
            "error"
        ]
        == "must NOT have additional properties [invalid-params]"
    )


def test_agent_reply_sets_response_fields(
    http: httpx2.Client, agent: Agent, admin: dict[str, str], livechat_server: LivechatTestServer
) -> None:
    token, room = new_chat(http)
    rid = room["_id"]
    assert room["waitingResponse"] is True
    message = livechat_server.agent_send(agent, rid, "hi there")
    assert message["u"]["_id"] == agent.user_id and "token" not in message
    reread = http.get("livechat/room", params={"token": token, "rid": rid}).json()["room"]
    assert "waitingResponse" not in reread and reread["responseBy"]["_id"] == agent.user_id
    assert reread["lastMessage"]["_id"] == message["_id"]


def test_offline_message(http: httpx2.Client, livechat_server: LivechatTestServer) -> None:
    body = {"name": "Ann", "email": "ann@example.com", "message": "call me"}
    failed = {"success": False, "error": "Error sending Omnichannel offline message"}
    livechat_server.set_setting("Livechat_offline_email", "")  # Rocket.Chat's default
    assert error(http.post("livechat/offline.message", json=body)) == failed
    livechat_server.set_setting("Livechat_offline_email", "support@example.com")
    assert http.post("livechat/offline.message", json=body).json() == {
        "message": "Livechat offline message sent",
        "success": True,
    }
    assert error(http.post("livechat/offline.message", json={**body, "email": "bad"})) == failed
    assert error(http.post("livechat/offline.message", json={"name": "x"}))["error"] == (
        "must have required property 'email' [invalid-params]"
    )
