"""Community Omnichannel administration (issue #15, part A): exact Rocket.Chat answers.

Sources: ``apps/meteor/server/api/v1/omnichannel/{config,departments,agent,inquiries,room,rooms,
transcript}.ts``; ``apps/meteor/server/lib/omnichannel/departmentsLib.ts``;
``apps/meteor/app/livechat/server/lib/LivechatTyped.ts`` (``returnRoomAsInquiry``,
``removeOmnichannelRoom``, ``requestTranscript``); rest-typings ``v1/omnichannel.ts``.
"""

from __future__ import annotations

import json
from typing import Any

import httpx2
import pytest
from _server_helpers import EventLog, error, new_chat, new_token

from rocketchat_livechat.server.services.events import INQUIRY_QUEUE, LIVECHAT_ROOM, NOTIFY_USER
from rocketchat_livechat.testing.plugin import Agent, LivechatTestServer

pytestmark = pytest.mark.e2e

_NOT_ALLOWED = "User does not have the permissions required for this action [error-unauthorized]"


def _forbidden(response: httpx2.Response) -> None:
    assert error(response, 403)["error"] == _NOT_ALLOWED


def _room(http: httpx2.Client, admin: dict[str, str], rid: str) -> dict[str, Any] | None:
    """The stored room (``rooms.info`` as admin), ``None`` once deleted."""
    body = http.get("rooms.info", params={"roomId": rid}, headers=admin).json()
    room: dict[str, Any] | None = body.get("room")
    return room


def _served_chat(http: httpx2.Client, livechat_server: LivechatTestServer, agent: Agent) -> str:
    """A room assigned to ``agent`` (Manual_Selection, taken)."""
    livechat_server.set_routing("Manual_Selection")
    _, room = new_chat(http)
    livechat_server.take(agent, room["_id"])
    return str(room["_id"])


def test_routing_config_follows_the_routing_method(
    http: httpx2.Client, agent: Agent, livechat_server: LivechatTestServer
) -> None:
    livechat_server.set_routing("Manual_Selection")
    manual = http.get("livechat/config/routing", headers=agent.headers).json()
    assert manual == {
        "config": {
            "previewRoom": True,
            "showConnecting": True,
            "showQueue": True,
            "showQueueLink": False,
            "returnQueue": True,
            "enableTriggerAction": False,
            "autoAssignAgent": False,
        },
        "success": True,
    }
    livechat_server.set_routing("Auto_Selection")
    auto = http.get("livechat/config/routing", headers=agent.headers).json()["config"]
    assert auto["autoAssignAgent"] is True and auto["showQueueLink"] is True
    assert http.get("livechat/config/routing").status_code == 401


def test_archive_unarchive_and_archived_list(
    http: httpx2.Client, admin: dict[str, str], agent: Agent, livechat_server: LivechatTestServer
) -> None:
    name = f"Arch {new_token()}"
    dept = livechat_server.create_department(name, [agent])
    url = f"livechat/department/{dept['_id']}"
    _forbidden(http.post(f"{url}/archive", headers=agent.headers))
    assert http.post(f"{url}/archive", headers=admin).json() == {"success": True}
    stored = http.get(url, headers=admin).json()
    assert stored["department"]["archived"] is True
    assert stored["department"]["enabled"] is False
    assert all(a["departmentEnabled"] is False for a in stored["agents"])
    listed = http.get("livechat/department", params={"text": name}, headers=admin).json()
    assert listed["departments"] == []
    archived = http.get("livechat/departments/archived", params={"text": name}, headers=admin)
    assert [d["_id"] for d in archived.json()["departments"]] == [dept["_id"]]
    assert archived.json()["total"] == 1
    enable = {
        "department": {
            "enabled": True,
            "name": name,
            "email": "d@example.com",
            "showOnRegistration": True,
            "showOnOfflineForm": True,
        }
    }
    assert error(http.put(url, json=enable, headers=admin))["errorType"] == (
        "error-archived-department-cant-be-enabled"
    )
    assert http.post(f"{url}/unarchive", headers=admin).json() == {"success": True}
    after = http.get(url, headers=admin).json()["department"]
    assert after["archived"] is False and after["enabled"] is False
    assert error(http.post("livechat/department/nope/archive", headers=admin)) == {
        "success": False,
        "error": "department-not-found",
    }
    assert error(http.post("livechat/department/nope/unarchive", headers=admin)) == {
        "success": False,
        "error": "[department-not-found]",
        "errorType": "department-not-found",
    }
    bad = http.get("livechat/departments/archived", params={"bogus": "1"}, headers=admin)
    assert error(bad)["errorType"] == "invalid-params"


def test_autocomplete_list_by_ids_and_creation_available(
    http: httpx2.Client, admin: dict[str, str], agent: Agent, livechat_server: LivechatTestServer
) -> None:
    tag = new_token()[-8:]
    first = livechat_server.create_department(f"Auto A {tag}")
    second = livechat_server.create_department(f"Auto B {tag}")
    selector = json.dumps({"term": f"auto a {tag}"})
    found = http.get(
        "livechat/department.autocomplete", params={"selector": selector}, headers=agent.headers
    ).json()
    assert found == {"items": [{"_id": first["_id"], "name": first["name"]}], "success": True}
    except_first = json.dumps({"term": tag, "exceptions": [first["_id"]]})
    items = http.get(
        "livechat/department.autocomplete", params={"selector": except_first}, headers=admin
    ).json()["items"]
    assert [i["_id"] for i in items] == [second["_id"]]
    assert error(http.get("livechat/department.autocomplete", headers=admin)) == {
        "success": False,
        "error": "The 'selector' param is required",
    }
    by_ids = http.get(
        "livechat/department.listByIds",
        params={"ids[]": [first["_id"], second["_id"]], "fields": json.dumps({"name": 1})},
        headers=admin,
    ).json()
    assert sorted(by_ids["departments"], key=lambda d: d["name"]) == [
        {"_id": first["_id"], "name": first["name"]},
        {"_id": second["_id"], "name": second["name"]},
    ]
    assert error(http.get("livechat/department.listByIds", headers=admin)) == {
        "success": False,
        "error": "The 'ids' param is required",
    }
    single = http.get("livechat/department.listByIds", params={"ids": "x"}, headers=admin)
    assert error(single) == {"success": False, "error": "The 'ids' param must be an array"}
    available = http.get("livechat/department/isDepartmentCreationAvailable", headers=admin)
    assert available.json() == {"isDepartmentCreationAvailable": True, "success": True}
    _forbidden(http.get("livechat/department/isDepartmentCreationAvailable", headers=agent.headers))
    assert http.get("livechat/department.listByIds").status_code == 401


def test_agents_save_info(
    http: httpx2.Client, admin: dict[str, str], agent: Agent, livechat_server: LivechatTestServer
) -> None:
    old = livechat_server.create_department(f"Old {new_token()}", [agent])
    new = livechat_server.create_department(f"New {new_token()}")
    body = {
        "agentId": agent.user_id,
        "agentData": {"maxNumberSimultaneousChat": 2, "empty": ""},
        "agentDepartments": [new["_id"]],
    }
    _forbidden(http.post("livechat/agents.saveInfo", json=body, headers=agent.headers))
    assert http.post("livechat/agents.saveInfo", json=body, headers=admin).json() == {
        "success": True
    }
    mine = http.get(f"livechat/agents/{agent.user_id}/departments", headers=admin).json()
    assert [d["departmentId"] for d in mine["departments"]] == [new["_id"]]
    assert (
        http.get(f"livechat/department/{old['_id']}", headers=admin).json()["department"][
            "numAgents"
        ]
        == 0
    )
    not_agent = {**body, "agentId": "nobody"}
    assert error(http.post("livechat/agents.saveInfo", json=not_agent, headers=admin)) == {
        "success": False,
        "error": "error-user-is-not-agent",
    }
    missing = http.post("livechat/agents.saveInfo", json={"agentId": "x"}, headers=admin)
    assert error(missing)["error"] == "must have required property 'agentData' [invalid-params]"


def test_return_as_inquiry(
    http: httpx2.Client, admin: dict[str, str], agent: Agent, livechat_server: LivechatTestServer
) -> None:
    rid = _served_chat(http, livechat_server, agent)
    url = "livechat/inquiries.returnAsInquiry"
    assert http.post(url, json={"roomId": rid}, headers=agent.headers).json() == {
        "result": True,
        "success": True,
    }
    room = _room(http, admin, rid)
    assert room is not None and "servedBy" not in room
    inquiry = http.get("livechat/inquiries.getOne", params={"roomId": rid}, headers=admin)
    assert inquiry.json()["inquiry"]["status"] == "queued"
    history = http.get(f"livechat/transfer.history/{rid}", headers=admin).json()["history"]
    assert history[-1]["scope"] == "queue"
    assert history[-1]["transferredBy"]["username"] == agent.username
    # nobody serves it now: nothing to return
    assert http.post(url, json={"roomId": rid}, headers=agent.headers).json()["result"] is False
    assert error(http.post(url, json={"roomId": "nope"}, headers=agent.headers)) == {
        "success": False,
        "error": "error-room-not-found",
    }
    livechat_server.take(agent, rid)
    livechat_server.close_room(agent, rid)
    assert error(http.post(url, json={"roomId": rid}, headers=agent.headers)) == {
        "success": False,
        "error": "room-closed",
    }
    assert error(http.post(url, json={}, headers=agent.headers))["errorType"] == "invalid-params"


def test_rooms_delete_remove_all_closed_and_filters(
    http: httpx2.Client, admin: dict[str, str], agent: Agent, livechat_server: LivechatTestServer
) -> None:
    rid = _served_chat(http, livechat_server, agent)
    _forbidden(http.post("livechat/rooms.delete", json={"roomId": rid}, headers=agent.headers))
    assert error(http.post("livechat/rooms.delete", json={"roomId": rid}, headers=admin)) == {
        "success": False
    }
    livechat_server.close_room(agent, rid)
    assert http.post("livechat/rooms.delete", json={"roomId": rid}, headers=admin).json() == {
        "success": True
    }
    assert _room(http, admin, rid) is None
    assert error(http.post("livechat/rooms.delete", json={"roomId": rid}, headers=admin)) == {
        "success": False,
        "error": "Invalid room",
    }
    dept = livechat_server.create_department(f"Closed {new_token()}", [agent])
    others = []
    for _ in range(2):
        _, room = new_chat(http, department=dept["_id"])
        assert room["departmentId"] == dept["_id"]
        livechat_server.take(agent, room["_id"])
        livechat_server.close_room(agent, room["_id"])
        others.append(room["_id"])
    still_open = _served_chat(http, livechat_server, agent)
    url = "livechat/rooms.removeAllClosedRooms"
    _forbidden(http.post(url, json={}, headers=agent.headers))
    none_there = http.post(url, json={"departmentIds": ["no-such-dep"]}, headers=admin).json()
    assert none_there == {"removedRooms": 0, "success": True}
    removed = http.post(url, json={"departmentIds": [dept["_id"]]}, headers=admin).json()
    assert removed == {"removedRooms": 2, "success": True}
    assert all(_room(http, admin, o) is None for o in others)
    assert _room(http, admin, still_open) is not None
    bad = http.post(url, json={"departmentIds": "x"}, headers=admin)
    assert error(bad)["errorType"] == "invalid-params"
    new_chat(http)
    filters = http.get("livechat/rooms/filters", headers=agent.headers).json()
    assert {"type": "api"} in filters["filters"]
    assert http.get("livechat/rooms/filters").status_code == 401


def test_agent_transcript_request_and_cancel(
    http: httpx2.Client, admin: dict[str, str], agent: Agent, livechat_server: LivechatTestServer
) -> None:
    rid = _served_chat(http, livechat_server, agent)
    url = f"livechat/transcript/{rid}"
    body = {"email": "v@example.com", "subject": "Your chat"}
    _forbidden(http.post(url, json=body, headers=agent.headers))
    assert http.post(url, json=body, headers=admin).json() == {"success": True}
    room = _room(http, admin, rid)
    assert room is not None
    request = room["transcriptRequest"]
    assert request["email"] == "v@example.com" and request["subject"] == "Your chat"
    assert request["requestedBy"]["username"] == livechat_server.admin_username
    assert error(http.post(url, json=body, headers=admin)) == {
        "success": False,
        "error": "Transcript already requested [error-transcript-already-requested]",
        "errorType": "error-transcript-already-requested",
    }
    assert http.delete(url, headers=admin).json() == {"success": True}
    room = _room(http, admin, rid)
    assert room is not None and "transcriptRequest" not in room
    assert error(http.delete(url, headers=admin)) == {
        "success": False,
        "error": "Transcript not requested [error-transcript-not-requested]",
        "errorType": "error-transcript-not-requested",
    }
    invalid = {"success": False, "error": "Invalid room [error-invalid-room]"}
    assert error(http.post("livechat/transcript/nope", json=body, headers=admin)) == {
        **invalid,
        "errorType": "error-invalid-room",
    }
    assert error(http.post(url, json={"email": "v@example.com"}, headers=admin))["error"] == (
        "must have required property 'subject' [invalid-params]"
    )


def test_return_as_inquiry_events(
    http: httpx2.Client, agent: Agent, livechat_server: LivechatTestServer, events: EventLog
) -> None:
    """The visitor's room stream loses its agent, the agent's rooms lose the room, the queue
    gets the inquiry back."""
    rid = _served_chat(http, livechat_server, agent)
    events.clear()
    assert http.post(
        "livechat/inquiries.returnAsInquiry", json={"roomId": rid}, headers=agent.headers
    ).json() == {"result": True, "success": True}
    assert [{"type": "agentData"}] in events.of(LIVECHAT_ROOM, rid)
    removed = events.of(NOTIFY_USER, f"{agent.user_id}/rooms-changed")
    assert [args[0] for args in removed] == ["removed"] and removed[0][1]["_id"] == rid
    queued = events.of(INQUIRY_QUEUE, "public")
    assert [(a[0]["type"], a[0]["rid"], a[0]["status"]) for a in queued] == [
        ("added", rid, "queued")
    ]


def test_archived_department_routes_to_nobody(
    http: httpx2.Client, admin: dict[str, str], agent: Agent, livechat_server: LivechatTestServer
) -> None:
    """Archiving disables the department's agent links, so its agents are not picked for it."""
    dept = livechat_server.create_department(f"Gone {new_token()}", [agent])
    assert http.post(f"livechat/department/{dept['_id']}/archive", headers=admin).status_code == 200
    config = http.get("livechat/config").json()["config"]
    assert dept["_id"] not in {d["_id"] for d in config["departments"]}
    online = http.get("livechat/config", params={"department": dept["_id"]}).json()
    assert online["config"]["online"] is False
