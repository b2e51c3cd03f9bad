"""Room endpoints (§3.7-3.11, §3.21, §4.8)."""

from __future__ import annotations

import re

import httpx2
import pytest
from _server_helpers import EventLog, error, new_chat, new_token, open_room, register

from rocketchat_livechat.server.versions import ServerLine
from rocketchat_livechat.testing.plugin import Agent, LivechatTestServer

pytestmark = pytest.mark.e2e

RID = re.compile(r"^[23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz]{17}$")
NO_AGENT = {
    "success": False,
    "error": "Sorry, no online agents [no-agent-online]",
    "errorType": "no-agent-online",
}


def test_get_room_creates_once(http: httpx2.Client, agent: Agent) -> None:
    token = register(http, name="Bob")["token"]
    first = http.get("livechat/room", params={"token": token}).json()
    assert first["newRoom"] is True and first["success"] is True
    room = first["room"]
    assert RID.match(room["_id"])
    assert room["t"] == "l" and room["open"] is True and room["fname"] == "Bob"
    assert room["v"]["token"] == token and room["source"] == {"type": "api"}
    assert room["servedBy"]["_id"] == agent.user_id
    second = http.get("livechat/room", params={"token": token}).json()
    assert second["newRoom"] is False and second["room"]["_id"] == room["_id"]
    by_rid = http.get("livechat/room", params={"token": token, "rid": room["_id"]}).json()
    assert by_rid["room"]["_id"] == room["_id"] and by_rid["newRoom"] is False


def test_get_room_widget_source(http: httpx2.Client, agent: Agent) -> None:
    token = register(http)["token"]
    response = http.get(
        "livechat/room",
        params={"token": token},
        headers={"Cookie": "rc_room_type=l; rc_is_widget=t"},
    )
    assert response.json()["room"]["source"]["type"] == "widget"


def test_get_room_errors(http: httpx2.Client, agent: Agent) -> None:
    assert error(http.get("livechat/room")) == {
        "success": False,
        "error": "Match error: Missing key 'token'",
    }
    assert error(http.get("livechat/room", params={"token": "t", "_": "1"})) == {
        "success": False,
        "error": "Match error: Unknown key in field _",
    }
    assert error(http.get("livechat/room", params={"token": "unknown"})) == {
        "success": False,
        "error": "invalid-token",
    }
    token = register(http)["token"]
    assert error(http.get("livechat/room", params={"token": token, "rid": "nope"})) == {
        "success": False,
        "error": "invalid-room",
    }


def test_no_agent_online(http: httpx2.Client, livechat_server: LivechatTestServer) -> None:
    token = register(http)["token"]
    assert http.get("livechat/config").json()["config"]["online"] is False
    assert error(http.get("livechat/room", params={"token": token})) == NO_AGENT
    livechat_server.set_setting("Livechat_accept_chats_with_no_agents", True)
    assert http.get("livechat/config").json()["config"]["online"] is True
    room = open_room(http, token)
    assert "servedBy" not in room


def test_offline_agent_is_not_routed(
    http: httpx2.Client, livechat_server: LivechatTestServer
) -> None:
    livechat_server.create_agent(available=False)
    token = register(http)["token"]
    assert error(http.get("livechat/room", params={"token": token})) == NO_AGENT


def test_disabled_livechat(http: httpx2.Client, livechat_server: LivechatTestServer) -> None:
    token = register(http)["token"]
    livechat_server.set_setting("Livechat_enabled", False)
    assert http.get("livechat/config").json() == {"config": {"enabled": False}, "success": True}
    assert error(http.get("livechat/room", params={"token": token})) == {
        "success": False,
        "error": "[error-omnichannel-is-disabled]",
        "errorType": "error-omnichannel-is-disabled",
    }


def test_close_room_by_visitor(http: httpx2.Client, agent: Agent, events: EventLog) -> None:
    token, room = new_chat(http)
    rid = room["_id"]
    body = http.post("livechat/room.close", json={"token": token, "rid": rid}).json()
    assert body == {"rid": rid, "comment": "Closed by visitor", "success": True}
    closed = http.get(f"livechat/messages.history/{rid}", params={"token": token}).json()
    close_msg = closed["messages"][0]
    assert close_msg["t"] == "livechat-close" and close_msg["msg"] == "Closed by visitor"
    assert close_msg["token"] == token and close_msg["transcriptRequested"] is False
    assert error(http.post("livechat/room.close", json={"token": token, "rid": rid})) == {
        "success": False,
        "error": "room-closed",
    }
    assert error(http.get("livechat/room", params={"token": token, "rid": rid}))["error"] == (
        "invalid-room"
    )
    removed = [a[0] for a in events.of("stream-livechat-inquiry-queue-observer", "public")]
    assert any(item["type"] == "removed" and item["rid"] == rid for item in removed)
    new_room = http.get("livechat/room", params={"token": token}).json()
    assert new_room["newRoom"] is True and new_room["room"]["_id"] != rid


def test_close_room_errors(
    http: httpx2.Client, agent: Agent, livechat_server: LivechatTestServer
) -> None:
    token, room = new_chat(http)
    missing = http.post("livechat/room.close", json={"token": token})
    assert error(missing)["error"] == "must have required property 'rid' [invalid-params]"
    assert error(http.post("livechat/room.close", json={"token": "nope", "rid": room["_id"]})) == {
        "success": False,
        "error": "invalid-token",
    }
    assert error(http.post("livechat/room.close", json={"token": token, "rid": "x"})) == {
        "success": False,
        "error": "invalid-room",
    }
    livechat_server.set_setting("Omnichannel_allow_visitors_to_close_conversation", False)
    assert error(http.post("livechat/room.close", json={"token": token, "rid": room["_id"]})) == {
        "success": False,
        "error": "error-not-allowed-to-close-conversation",
    }


def test_survey(http: httpx2.Client, agent: Agent) -> None:
    token, room = new_chat(http)
    rid = room["_id"]
    data = [
        {"name": "satisfaction", "value": 5},
        {"name": "agentKnowledge", "value": "9"},
        {"name": "bogus", "value": "1"},
        {"name": "additionalFeedback", "value": "great"},
    ]
    body = http.post("livechat/room.survey", json={"token": token, "rid": rid, "data": data}).json()
    assert body == {
        "rid": rid,
        "data": {"satisfaction": "5", "additionalFeedback": "great"},
        "success": True,
    }
    http.post("livechat/room.close", json={"token": token, "rid": rid})
    after = [{"name": "agentFriendliness", "value": "3"}]
    body = http.post(
        "livechat/room.survey", json={"token": token, "rid": rid, "data": after}
    ).json()
    assert body["data"] == {"agentFriendliness": "3"}
    bad = [{"name": "bogus", "value": "1"}]
    assert error(
        http.post("livechat/room.survey", json={"token": token, "rid": rid, "data": bad})
    ) == {
        "success": False,
        "error": "invalid-data",
    }
    assert (
        error(http.post("livechat/room.survey", json={"token": token, "rid": rid, "data": []}))[
            "error"
        ]
        == "must NOT have fewer than 1 items [invalid-params]"
    )


@pytest.mark.rc_version("7.10")  # livechat/room.transfer: removed in 8.0
def test_department_transfer(
    http: httpx2.Client, livechat_server: LivechatTestServer, events: EventLog
) -> None:
    first = livechat_server.create_agent()
    sales = livechat_server.create_department(f"Sales {new_token()}", [first])
    second = livechat_server.create_agent()
    support = livechat_server.create_department(f"Support {new_token()}", [second])
    token, room = new_chat(http, department=sales["_id"])
    rid = room["_id"]
    assert room["departmentId"] == sales["_id"] and room["servedBy"]["_id"] == first.user_id
    body = {"token": token, "rid": rid, "department": support["_id"]}
    response = http.post("livechat/room.transfer", json=body)
    assert response.headers["x-deprecation-type"] == "endpoint-deprecation"
    assert response.headers["x-deprecation-version"] == "7.0.0"
    moved = response.json()["room"]
    assert moved["departmentId"] == support["_id"] and moved["servedBy"]["_id"] == second.user_id
    assert set(moved) == {"_id", "t", "departmentId", "servedBy", "open", "v", "ts"}
    types = [
        m.get("t")
        for m in http.get(f"livechat/messages.history/{rid}", params={"token": token}).json()[
            "messages"
        ]
    ]
    assert types[:5] == ["uj", "command", "ul", "livechat_transfer_history", "uj"]
    assert error(http.post("livechat/room.transfer", json=body)) == {
        "success": False,
        "error": "error-forwarding-chat-same-department",
    }
    body["department"] = "nope"
    assert error(http.post("livechat/room.transfer", json=body)) == {
        "success": False,
        "error": "error-invalid-department",
    }
    body["department"] = sales["_id"]
    livechat_server.server.state.line = ServerLine("8.8")  # upgraded: the 8.0 route (restored)
    assert http.post("livechat/visitor/department.transfer", json=body).json() == {"success": True}
    body["token"] = "nope"
    assert error(http.post("livechat/visitor/department.transfer", json=body)) == {
        "success": False,
        "error": "invalid-token",
    }
    agent_data = [a[0] for a in events.of("stream-livechat-room", rid)]
    assert {"type": "agentData"} in agent_data


@pytest.mark.rc_version("7.10")  # livechat/room.transfer: removed in 8.0
def test_transfer_manual_requeues(http: httpx2.Client, livechat_server: LivechatTestServer) -> None:
    agent = livechat_server.create_agent()
    token, room = new_chat(http)
    assert room["servedBy"]["_id"] == agent.user_id
    target = livechat_server.create_department(
        f"Queue {new_token()}", [livechat_server.create_agent()]
    )
    livechat_server.set_routing("Manual_Selection")
    body = {"token": token, "rid": room["_id"], "department": target["_id"]}
    moved = http.post("livechat/room.transfer", json=body).json()["room"]
    assert "servedBy" not in moved and moved["departmentId"] == target["_id"]
    inquiry = http.get(
        "livechat/inquiries.getOne", params={"roomId": room["_id"]}, headers=agent.headers
    ).json()["inquiry"]
    assert inquiry["status"] == "queued" and inquiry["department"] == target["_id"]


def test_transcript(http: httpx2.Client, agent: Agent) -> None:
    token, room = new_chat(http)
    body = {"token": token, "rid": room["_id"], "email": "me@example.com"}
    assert http.post("livechat/transcript", json=body).json() == {
        "message": "Omnichannel transcript sent",
        "success": True,
    }
    assert error(http.post("livechat/transcript", json={**body, "email": "bad"})) == {
        "success": False,
        "error": "[invalid email]",
        "errorType": "invalid email",
    }
    assert error(http.post("livechat/transcript", json={**body, "token": "x"})) == {
        "success": False,
        "error": "error-invalid-visitor",
    }


def test_close_by_user(
    http: httpx2.Client, livechat_server: LivechatTestServer, admin: dict[str, str]
) -> None:
    agent = livechat_server.create_agent()
    other = livechat_server.create_agent()
    token, room = new_chat(http)
    rid = room["_id"]
    served = room["servedBy"]["_id"]
    outsider = other if served == agent.user_id else agent
    owner = agent if served == agent.user_id else other

    def close(headers: dict[str, str], **body: object) -> httpx2.Response:
        return http.post("livechat/room.closeByUser", json={"rid": rid, **body}, headers=headers)

    assert error(close(outsider.headers, comment="x")) == {
        "success": False,
        "error": "error-not-authorized",
    }
    assert error(close(owner.headers)) == {"success": False, "error": "error-comment-is-required"}
    assert close(owner.headers, comment="done", tags=["sale"]).json() == {"success": True}
    assert error(close(owner.headers, comment="again")) == {
        "success": False,
        "error": "error-room-already-closed",
    }
    assert error(http.post("livechat/room.closeByUser", json={"rid": "nope"}, headers=admin)) == {
        "success": False,
        "error": "error-invalid-room",
    }
    history = http.get(f"livechat/messages.history/{rid}", params={"token": token}).json()
    last = history["messages"][0]
    assert last["t"] == "livechat-close" and last["msg"] == "done" and "token" not in last
    closed = http.get("livechat/rooms", params={"open": "false"}, headers=admin).json()["rooms"]
    mine = next(r for r in closed if r["_id"] == rid)
    assert "open" not in mine and mine["closer"] == "user" and mine["tags"] == ["sale"]
    assert mine["closedBy"]["_id"] == owner.user_id and mine["v"]["status"] == "offline"
    assert mine["metrics"]["chatDuration"] >= 0
