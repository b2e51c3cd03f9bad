"""Hand-off: ``livechat/room.forward``, ``livechat/room.join``, ``livechat/transfer.history``
(``apps/meteor/app/livechat/server/api/v1/room.ts``, ``transfer.ts``, ``lib/Helper.ts``)."""

from __future__ import annotations

from typing import Any

import httpx2
import pytest
from _server_helpers import EventLog, error, new_chat

from rocketchat_livechat.testing.plugin import Agent, LivechatTestServer

pytestmark = pytest.mark.e2e

QUEUE = "stream-livechat-inquiry-queue-observer"
USER = "stream-notify-user"


def _forward(http: httpx2.Client, headers: dict[str, str], **body: Any) -> httpx2.Response:
    return http.post("livechat/room.forward", json=body, headers=headers)


def _messages(http: httpx2.Client, token: str, rid: str) -> list[dict[str, Any]]:
    found = http.get(f"livechat/messages.history/{rid}", params={"token": token}).json()
    return list(reversed(found["messages"]))


def _room(http: httpx2.Client, token: str, rid: str) -> dict[str, Any]:
    room: dict[str, Any] = http.get("livechat/room", params={"token": token, "rid": rid}).json()[
        "room"
    ]
    return room


def test_forward_to_agent(
    http: httpx2.Client,
    livechat_server: LivechatTestServer,
    admin: dict[str, str],
    events: EventLog,
) -> None:
    first = livechat_server.create_agent()
    token, room = new_chat(http)
    rid = room["_id"]
    assert room["servedBy"]["_id"] == first.user_id
    second = livechat_server.create_agent()
    events.clear()
    response = _forward(http, first.headers, roomId=rid, userId=second.user_id, comment="over")
    assert response.status_code == 200 and response.json() == {"success": True}
    moved = _room(http, token, rid)
    assert moved["servedBy"]["_id"] == second.user_id and moved["usersCount"] == 2
    kinds = [(m.get("t"), m["u"]["username"]) for m in _messages(http, token, rid)][-4:]
    assert kinds == [
        ("command", second.username),
        ("uj", second.username),
        ("livechat_transfer_history", first.username),
        ("ul", first.username),
    ]
    history = [m for m in _messages(http, token, rid) if m.get("t") == "livechat_transfer_history"]
    data = history[0]["transferData"]
    assert data["scope"] == "agent" and data["comment"] == "over"
    assert data["transferredBy"] == {
        "_id": first.user_id,
        "username": first.username,
        "name": first.username.title(),
        "userType": "agent",
    }
    assert data["transferredTo"]["_id"] == second.user_id
    assert "previousDepartment" not in data and "nextDepartment" not in data
    # realtime: the visitor sees the new agent, the old agent loses the room, the new gets it
    agent_data = [a[0] for a in events.of("stream-livechat-room", rid)]
    assert agent_data[-1]["type"] == "agentData"
    assert agent_data[-1]["data"]["_id"] == second.user_id
    removed = events.of(USER, f"{first.user_id}/subscriptions-changed")
    assert removed and removed[-1][0] == "removed" and removed[-1][1]["rid"] == rid
    assert events.of(USER, f"{first.user_id}/rooms-changed")[-1][0] == "removed"
    inserted = events.of(USER, f"{second.user_id}/subscriptions-changed")
    assert inserted[-1][0] == "inserted" and inserted[-1][1]["rid"] == rid
    inquiry = http.get("livechat/inquiries.getOne", params={"roomId": rid}, headers=admin).json()[
        "inquiry"
    ]
    assert inquiry["status"] == "taken"
    # history, as a manager sees it
    page = http.get(f"livechat/transfer.history/{rid}", headers=admin).json()
    assert page["success"] is True and page["count"] == page["total"] == 1
    assert page["offset"] == 0 and page["history"][0]["transferredTo"]["_id"] == second.user_id
    assert set(page["history"][0]) == {"transferredBy", "ts", "scope", "comment", "transferredTo"}


def test_forward_to_agent_refusals(
    http: httpx2.Client, livechat_server: LivechatTestServer, agent: Agent, admin: dict[str, str]
) -> None:
    token, room = new_chat(http)
    rid = room["_id"]
    offline = livechat_server.create_agent(available=False)
    assert error(_forward(http, admin, roomId=rid, userId=offline.user_id)) == {
        "success": False,
        "error": "error-user-is-offline",
    }
    assert error(_forward(http, admin, roomId=rid, userId="nobody")) == {
        "success": False,
        "error": "error-user-is-offline",
    }
    assert error(_forward(http, admin, roomId=rid, userId=agent.user_id)) == {
        "success": False,
        "error": "error-selected-agent-room-agent-are-same",
    }
    assert error(_forward(http, admin, roomId=rid)) == {
        "success": False,
        "error": "error-forwarding-chat",
    }
    assert error(_forward(http, admin, roomId="nope", userId=agent.user_id)) == {
        "success": False,
        "error": "error-invalid-room",
    }
    bad = error(_forward(http, admin, roomId=rid, clientAction="yes"))
    assert bad["errorType"] == "invalid-params"
    livechat_server.close_room(agent, rid)
    assert error(_forward(http, admin, roomId=rid, userId=offline.user_id)) == {
        "success": False,
        "error": "This_conversation_is_already_closed",
    }
    del token


def test_forward_permissions(
    http: httpx2.Client, livechat_server: LivechatTestServer, agent: Agent
) -> None:
    _, room = new_chat(http)
    anonymous = _forward(http, {}, roomId=room["_id"], userId=agent.user_id)
    assert anonymous.status_code == 401
    user = livechat_server.create_agent()
    plain = http.post(
        "users.create",
        json={
            "username": f"plain-{user.username}",
            "password": "pw-12345678",
            "email": f"plain-{user.username}@example.com",
            "name": "Plain",
        },
        headers=livechat_server.admin_headers,
    )
    assert plain.status_code == 200
    login = http.post(
        "login", json={"user": f"plain-{user.username}", "password": "pw-12345678"}
    ).json()["data"]
    headers = {"X-User-Id": login["userId"], "X-Auth-Token": login["authToken"]}
    assert error(_forward(http, headers, roomId=room["_id"]), 403) == {
        "success": False,
        "error": "User does not have the permissions required for this action [error-unauthorized]",
    }
    assert (
        error(http.get(f"livechat/transfer.history/{room['_id']}", headers=user.headers), 403)[
            "success"
        ]
        is False
    )


def test_forward_to_department_auto(
    http: httpx2.Client,
    livechat_server: LivechatTestServer,
    admin: dict[str, str],
    events: EventLog,
) -> None:
    first = livechat_server.create_agent()
    dep_a = livechat_server.create_department(f"A-{first.username}", [first])
    target = livechat_server.create_agent()
    dep_b = livechat_server.create_department(f"B-{target.username}", [target])
    token, room = new_chat(http, department=dep_a["_id"])
    rid = room["_id"]
    assert room["servedBy"]["_id"] == first.user_id and room["departmentId"] == dep_a["_id"]
    assert error(_forward(http, admin, roomId=rid, departmentId=dep_a["_id"])) == {
        "success": False,
        "error": "error-forwarding-chat-same-department",
    }
    assert error(_forward(http, admin, roomId=rid, departmentId="nope")) == {
        "success": False,
        "error": "error-invalid-department",
    }
    assert error(
        _forward(http, admin, roomId=rid, departmentId=dep_b["_id"], userId=first.user_id)
    ) == {"success": False, "error": "error-user-not-belong-to-department"}
    events.clear()
    ok = _forward(http, admin, roomId=rid, departmentId=dep_b["_id"], comment="billing")
    assert ok.json() == {"success": True}
    moved = _room(http, token, rid)
    assert moved["servedBy"]["_id"] == target.user_id and moved["departmentId"] == dep_b["_id"]
    data = _messages(http, token, rid)[-2]["transferData"]
    assert data["scope"] == "department" and data["comment"] == "billing"
    assert data["previousDepartment"] == dep_a["_id"]
    assert data["nextDepartment"] == {"_id": dep_b["_id"], "name": dep_b["name"]}
    assert data["transferredBy"]["userType"] == "user"
    assert events.of(USER, f"{first.user_id}/rooms-changed")[-1][0] == "removed"
    assert events.of(USER, f"{target.user_id}/rooms-changed")[-1][0] == "inserted"
    inquiry = http.get("livechat/inquiries.getOne", params={"roomId": rid}, headers=admin).json()
    assert inquiry["inquiry"]["department"] == dep_b["_id"]
    # nobody else online in the department: refused, the room keeps its agent
    dep_c = livechat_server.create_department(f"C-{target.username}", [target])
    assert error(_forward(http, admin, roomId=rid, departmentId=dep_c["_id"])) == {
        "success": False,
        "error": "error-no-agents-online-in-department",
    }
    assert _room(http, token, rid)["servedBy"]["_id"] == target.user_id


def test_forward_to_department_manual_requeues(
    http: httpx2.Client,
    livechat_server: LivechatTestServer,
    admin: dict[str, str],
    events: EventLog,
) -> None:
    livechat_server.set_routing("Manual_Selection")
    first = livechat_server.create_agent()
    token, room = new_chat(http)
    rid = room["_id"]
    livechat_server.take(first, rid)
    target = livechat_server.create_agent()
    dep_b = livechat_server.create_department(f"B-{target.username}", [target])
    events.clear()
    ok = _forward(http, first.headers, roomId=rid, departmentId=dep_b["_id"])
    assert ok.json() == {"success": True}
    queued = _room(http, token, rid)
    assert "servedBy" not in queued and queued["departmentId"] == dep_b["_id"]
    inquiry = http.get("livechat/inquiries.getOne", params={"roomId": rid}, headers=admin).json()
    assert inquiry["inquiry"]["status"] == "queued"
    assert inquiry["inquiry"]["department"] == dep_b["_id"]
    added = [a[0] for a in events.of(QUEUE, f"department/{dep_b['_id']}")]
    assert added and added[-1]["type"] == "added" and added[-1]["rid"] == rid
    agent_data = [
        a[0] for a in events.of("stream-livechat-room", rid) if a[0]["type"] == "agentData"
    ]
    assert agent_data == [{"type": "agentData"}]
    assert events.of(USER, f"{first.user_id}/rooms-changed")[-1][0] == "removed"
    kinds = [m.get("t") for m in _messages(http, token, rid)][-2:]
    assert kinds == ["livechat_transfer_history", "ul"]
    data = _messages(http, token, rid)[-2]["transferData"]
    assert data["scope"] == "department" and data["transferredBy"]["userType"] == "agent"
    assert "previousDepartment" not in data and "comment" not in data


def test_join(
    http: httpx2.Client, livechat_server: LivechatTestServer, agent: Agent, events: EventLog
) -> None:
    token, room = new_chat(http)
    rid = room["_id"]
    manager_headers = livechat_server.admin_headers
    events.clear()
    joined = http.get("livechat/room.join", params={"roomId": rid}, headers=manager_headers)
    assert joined.json() == {"success": True}
    last = _messages(http, token, rid)[-1]
    assert last["t"] == "uj" and last["u"]["username"] == livechat_server.admin_username
    assert _room(http, token, rid)["usersCount"] == 3
    admin_id = manager_headers["X-User-Id"]
    assert events.of(USER, f"{admin_id}/subscriptions-changed")[-1][0] == "inserted"
    again = http.get("livechat/room.join", params={"roomId": rid}, headers=manager_headers)
    assert error(again) == {
        "success": False,
        "error": "User already in room [error-user-already-in-room]",
        "errorType": "error-user-already-in-room",
    }
    served = http.get("livechat/room.join", params={"roomId": rid}, headers=agent.headers)
    assert error(served)["errorType"] == "error-user-already-in-room"
    other = livechat_server.create_agent()
    assert error(http.get("livechat/room.join", params={"roomId": rid}, headers=other.headers)) == {
        "success": False,
        "error": "error-not-allowed",
    }
    assert error(
        http.get("livechat/room.join", params={"roomId": "nope"}, headers=other.headers)
    ) == {"success": False, "error": "error-invalid-room"}
    missing = http.get("livechat/room.join", headers=other.headers)
    assert error(missing)["errorType"] == "invalid-params"
    # a forward removes the joined user too
    _forward(http, agent.headers, roomId=rid, userId=other.user_id)
    leaving = [m["u"]["username"] for m in _messages(http, token, rid) if m.get("t") == "ul"]
    assert sorted(leaving) == sorted([agent.username, livechat_server.admin_username])
    assert _room(http, token, rid)["usersCount"] == 2
    livechat_server.close_room(other, rid)
    closed = http.get("livechat/room.join", params={"roomId": rid}, headers=manager_headers)
    assert error(closed) == {"success": False, "error": "room-closed"}


def test_transfer_history_paging(
    http: httpx2.Client, livechat_server: LivechatTestServer, admin: dict[str, str]
) -> None:
    a = livechat_server.create_agent()
    token, room = new_chat(http)
    rid = room["_id"]
    b = livechat_server.create_agent()
    _forward(
        http,
        admin,
        roomId=rid,
        userId=b.user_id if room["servedBy"]["_id"] == a.user_id else a.user_id,
    )
    served = _room(http, token, rid)["servedBy"]["_id"]
    _forward(http, admin, roomId=rid, userId=a.user_id if served == b.user_id else b.user_id)
    page = http.get(f"livechat/transfer.history/{rid}", headers=admin, params={"count": 1}).json()
    assert page["count"] == 1 and page["total"] == 2
    newest = http.get(
        f"livechat/transfer.history/{rid}", headers=admin, params={"sort": '{"ts": -1}'}
    ).json()["history"]
    assert newest[0]["ts"] >= newest[1]["ts"]
    assert error(http.get("livechat/transfer.history/nope", headers=admin)) == {
        "success": False,
        "error": "invalid-room",
    }


def test_visitor_transfer_is_in_the_history(
    http: httpx2.Client, livechat_server: LivechatTestServer, admin: dict[str, str]
) -> None:
    first = livechat_server.create_agent()
    dep_a = livechat_server.create_department(f"A-{first.username}", [first])
    target = livechat_server.create_agent()
    dep_b = livechat_server.create_department(f"B-{target.username}", [target])
    token, room = new_chat(http, department=dep_a["_id"])
    moved = http.post(
        "livechat/visitor/department.transfer",
        json={"token": token, "rid": room["_id"], "department": dep_b["_id"]},
    )
    assert moved.status_code == 200, moved.text
    (entry,) = http.get(f"livechat/transfer.history/{room['_id']}", headers=admin).json()["history"]
    assert entry["scope"] == "department" and entry["transferredBy"]["userType"] == "visitor"
    assert entry["previousDepartment"] == dep_a["_id"]
    assert entry["nextDepartment"] == {"_id": dep_b["_id"], "name": dep_b["name"]}


def test_forward_unserved_chat_to_a_department_without_agents(
    http: httpx2.Client, livechat_server: LivechatTestServer, admin: dict[str, str]
) -> None:
    """Auto_Selection, nobody online: the chat moves to the department and stays ``ready``
    (CE: "it will stay here as 'ready'")."""
    livechat_server.set_setting("Livechat_accept_chats_with_no_agents", True)
    token, room = new_chat(http)
    assert "servedBy" not in room
    empty = livechat_server.create_department(f"Empty-{token}")
    ok = _forward(http, admin, roomId=room["_id"], departmentId=empty["_id"])
    assert ok.json() == {"success": True}
    assert _room(http, token, room["_id"])["departmentId"] == empty["_id"]
    inquiry = http.get(
        "livechat/inquiries.getOne", params={"roomId": room["_id"]}, headers=admin
    ).json()["inquiry"]
    assert inquiry["status"] == "ready" and inquiry["department"] == empty["_id"]
    assert _messages(http, token, room["_id"])[-1]["t"] == "livechat_transfer_history"
