"""Routing in both modes, inquiries, agent endpoints and presence (§4.2, §4.4, §5)."""

from __future__ import annotations

import httpx2
import pytest
from _server_helpers import EventLog, error, new_chat, new_token, open_room, register

from rocketchat_livechat.testing.plugin import Agent, LivechatTestServer

pytestmark = pytest.mark.e2e

QUEUE = "stream-livechat-inquiry-queue-observer"


def test_auto_selection_balances_by_count(
    http: httpx2.Client, livechat_server: LivechatTestServer
) -> None:
    first = livechat_server.create_agent(f"a-{new_token()}")
    second = livechat_server.create_agent(f"b-{new_token()}")
    served = [new_chat(http)[1]["servedBy"]["_id"] for _ in range(4)]
    assert sorted(served) == sorted([first.user_id, second.user_id] * 2)
    assert served[0] != served[1]


def test_auto_assignment_side_effects(http: httpx2.Client, agent: Agent, events: EventLog) -> None:
    token, room = new_chat(http)
    rid = room["_id"]
    assert room["usersCount"] == 2 and room["servedBy"]["username"] == agent.username
    messages = http.get(f"livechat/messages.history/{rid}", params={"token": token}).json()[
        "messages"
    ]
    assert [(m.get("t"), m["msg"]) for m in messages] == [
        ("uj", ""),
        ("command", "connected"),
        ("livechat-started", ""),
    ]
    agent_data = [a[0] for a in events.of("stream-livechat-room", rid)]
    assert agent_data[0]["type"] == "agentData" and agent_data[0]["data"]["_id"] == agent.user_id
    info = http.get(f"livechat/agent.info/{rid}/{token}").json()["agent"]
    assert info["username"] == agent.username and info["status"] == "online"
    assert info["emails"] == [{"address": f"{agent.username}@example.com", "verified": False}]
    streamed = [a[0]["t"] for a in events.of("stream-room-messages", rid) if "t" in a[0]]
    assert streamed == ["livechat-started", "command", "uj"]


def test_agent_info_hidden_and_errors(
    http: httpx2.Client, agent: Agent, livechat_server: LivechatTestServer
) -> None:
    token, room = new_chat(http)
    livechat_server.set_setting("Livechat_show_agent_info", False)
    hidden = http.get(f"livechat/agent.info/{room['_id']}/{token}").json()
    assert hidden == {"agent": {"hiddenInfo": True}, "success": True}
    assert error(http.get(f"livechat/agent.info/{room['_id']}/nope")) == {
        "success": False,
        "error": "invalid-token",
    }
    livechat_server.set_setting("Livechat_accept_chats_with_no_agents", True)
    livechat_server.set_routing("Manual_Selection")
    token2, room2 = new_chat(http)
    assert error(http.get(f"livechat/agent.info/{room2['_id']}/{token2}")) == {
        "success": False,
        "error": "invalid-agent",
    }


def test_manual_selection_queue_and_take(
    http: httpx2.Client, livechat_server: LivechatTestServer, events: EventLog
) -> None:
    livechat_server.set_routing("Manual_Selection")
    agent = livechat_server.create_agent()
    config = http.get("livechat/config").json()["config"]
    assert config["settings"]["showConnecting"] is True and config["online"] is True
    token1, room1 = new_chat(http)
    token2, room2 = new_chat(http)
    assert "servedBy" not in room1 and room1["open"] is True
    queued = http.get("livechat/inquiries.queuedForUser", headers=agent.headers).json()
    mine = [i for i in queued["inquiries"] if i["rid"] in (room1["_id"], room2["_id"])]
    assert [i["rid"] for i in mine] == [room1["_id"], room2["_id"]]
    assert all(i["status"] == "queued" for i in mine)
    spots = [a[0]["data"]["spot"] for a in events.of("stream-livechat-room", room2["_id"])]
    assert spots[-1] == spots[0]  # only its own queueing so far
    added = [a[0] for a in events.of(QUEUE, "public") if a[0]["type"] == "added"]
    assert {i["rid"] for i in added} >= {room1["_id"], room2["_id"]}
    livechat_server.take(agent, room1["_id"])
    taken = http.get("livechat/room", params={"token": token1, "rid": room1["_id"]}).json()["room"]
    assert taken["servedBy"]["_id"] == agent.user_id
    updates = [a[0] for a in events.of("stream-livechat-room", room2["_id"])]
    assert updates[-1]["type"] == "queueData" and updates[-1]["data"]["spot"] == spots[-1] - 1
    inquiry = http.get(
        "livechat/inquiries.getOne", params={"roomId": room1["_id"]}, headers=agent.headers
    ).json()["inquiry"]
    assert inquiry["status"] == "taken" and "takenAt" in inquiry
    take = http.post(
        "livechat/inquiries.take", json={"inquiryId": inquiry["_id"]}, headers=agent.headers
    )
    assert error(take) == {
        "success": False,
        "error": "Inquiry already taken [error-inquiry-taken]",
        "errorType": "error-inquiry-taken",
    }
    assert error(
        http.post("livechat/inquiries.take", json={"inquiryId": "nope"}, headers=agent.headers)
    ) == {
        "success": False,
        "error": "Inquiry not found [error-not-found]",
        "errorType": "error-not-found",
    }
    other = http.post(
        "livechat/inquiries.take",
        json={"inquiryId": "x", "userId": "nobody"},
        headers=agent.headers,
    )
    assert error(other) == {"success": False, "error": "The user is invalid"}
    del token2


def test_take_requires_available_agent(
    http: httpx2.Client, livechat_server: LivechatTestServer
) -> None:
    livechat_server.set_routing("Manual_Selection")
    livechat_server.set_setting("Livechat_accept_chats_with_no_agents", True)
    agent = livechat_server.create_agent(available=False)
    _, room = new_chat(http)
    inquiry = http.get(
        "livechat/inquiries.getOne", params={"roomId": room["_id"]}, headers=agent.headers
    ).json()["inquiry"]
    response = http.post(
        "livechat/inquiries.take", json={"inquiryId": inquiry["_id"]}, headers=agent.headers
    )
    assert error(response)["errorType"] == "error-agent-status-service-offline"


@pytest.mark.rc_version("6.14")  # livechat/inquiries.queued: removed in 7.0
def test_inquiries_list_and_queued(
    http: httpx2.Client, livechat_server: LivechatTestServer, admin: dict[str, str]
) -> None:
    livechat_server.set_routing("Manual_Selection")
    agent = livechat_server.create_agent()
    _, public_room = new_chat(http)  # before the department exists: public queue
    dept_agent = livechat_server.create_agent()
    dept = livechat_server.create_department(f"Dept {new_token()}", [dept_agent])
    _, dept_room = new_chat(http, department=dept["_id"])
    listed = http.get("livechat/inquiries.list", headers=admin, params={"count": 100}).json()
    by_rid = {i["rid"]: i for i in listed["inquiries"]}
    assert set(by_rid[dept_room["_id"]]) == {"_id", "rid", "name", "ts", "status", "department"}
    assert listed["total"] >= 2 and listed["offset"] == 0
    filtered = http.get(
        "livechat/inquiries.list", headers=admin, params={"department": dept["name"]}
    ).json()
    assert [i["rid"] for i in filtered["inquiries"]] == [dept_room["_id"]]
    plain = {
        i["rid"]
        for i in http.get("livechat/inquiries.queuedForUser", headers=agent.headers).json()[
            "inquiries"
        ]
    }
    assert public_room["_id"] in plain and dept_room["_id"] not in plain
    member = http.get("livechat/inquiries.queuedForUser", headers=dept_agent.headers).json()
    assert dept_room["_id"] in {i["rid"] for i in member["inquiries"]}
    refused = http.get(
        "livechat/inquiries.queuedForUser",
        params={"department": dept["_id"]},
        headers=agent.headers,
    )
    assert error(refused) == {"success": False, "error": "error-not-authorized"}
    deprecated = http.get("livechat/inquiries.queued", headers=dept_agent.headers)
    assert deprecated.status_code == 200 and deprecated.headers["x-deprecation-version"] == "7.0.0"
    take = http.post(
        "livechat/inquiries.take",
        json={"inquiryId": by_rid[dept_room["_id"]]["_id"]},
        headers=agent.headers,
    )
    assert error(take)["errorType"] == "error-not-allowed"


def test_agent_next(http: httpx2.Client, livechat_server: LivechatTestServer) -> None:
    token = register(http)["token"]
    assert error(http.get(f"livechat/agent.next/{token}")) == {
        "success": False,
        "error": "agent-not-found",
    }
    agent = livechat_server.create_agent()
    body = http.get(f"livechat/agent.next/{token}").json()
    assert body["agent"]["_id"] == agent.user_id
    open_room(http, token)
    assert http.get(f"livechat/agent.next/{token}").json() == {"success": True}
    livechat_server.set_routing("Manual_Selection")
    other = register(http)["token"]
    assert error(http.get(f"livechat/agent.next/{other}"))["error"] == "agent-not-found"
    assert (
        error(http.get(f"livechat/agent.next/{other}", params={"x": "1"}))["errorType"]
        == "invalid-params"
    )


def test_department_routing_and_fallback(
    http: httpx2.Client, livechat_server: LivechatTestServer, admin: dict[str, str]
) -> None:
    backup_agent = livechat_server.create_agent()
    backup = livechat_server.create_department(f"Backup {new_token()}", [backup_agent])
    empty = livechat_server.create_department(f"Empty {new_token()}")
    body = {
        "department": {
            "enabled": True,
            "name": empty["name"],
            "email": "e@example.com",
            "showOnRegistration": True,
            "showOnOfflineForm": True,
            "fallbackForwardDepartment": backup["_id"],
        }
    }
    assert http.put(f"livechat/department/{empty['_id']}", json=body, headers=admin).json()[
        "success"
    ]
    config = http.get("livechat/config", params={"department": empty["_id"]}).json()["config"]
    assert config["online"] is True
    _, room = new_chat(http, department=empty["_id"])
    assert room["departmentId"] == backup["_id"] and room["servedBy"]["_id"] == backup_agent.user_id


def test_agent_status_toggle(
    http: httpx2.Client, livechat_server: LivechatTestServer, admin: dict[str, str]
) -> None:
    agent = livechat_server.create_agent()
    toggle = http.post("livechat/agent.status", json={}, headers=agent.headers).json()
    assert toggle == {"status": "not-available", "success": True}
    assert http.get("livechat/config").json()["config"]["online"] is False
    explicit = http.post(
        "livechat/agent.status", json={"status": "available"}, headers=agent.headers
    )
    assert explicit.json()["status"] == "available"
    invalid = http.post("livechat/agent.status", json={"status": "busy"}, headers=agent.headers)
    assert error(invalid)["error"] == "must be equal to one of the allowed values [invalid-params]"
    other = livechat_server.create_agent()
    forbidden = http.post(
        "livechat/agent.status",
        json={"agentId": other.user_id, "status": "not-available"},
        headers=agent.headers,
    )
    assert error(forbidden, 403) == {"success": False, "error": "unauthorized"}
    by_admin = http.post(
        "livechat/agent.status",
        json={"agentId": other.user_id, "status": "not-available"},
        headers=admin,
    )
    assert by_admin.json()["status"] == "not-available"
    assert error(
        http.post("livechat/agent.status", json={"agentId": "nope"}, headers=admin), 404
    ) == {
        "success": False,
        "error": "Agent not found",
    }


def test_presence_events(
    http: httpx2.Client, livechat_server: LivechatTestServer, agent: Agent, events: EventLog
) -> None:
    _, room = new_chat(http)
    http.post("users.setStatus", json={"status": "away"}, headers=agent.headers)
    statuses = [
        a[0]
        for a in events.of("stream-livechat-room", room["_id"])
        if a[0]["type"] == "agentStatus"
    ]
    assert statuses == [{"type": "agentStatus", "status": "away"}]
    bad = http.post("users.setStatus", json={"status": "sleeping"}, headers=agent.headers)
    assert error(bad)["errorType"] == "error-invalid-status"
