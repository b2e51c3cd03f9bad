"""Department administration, agent departments and queue metrics (exact Rocket.Chat answers).

Sources: ``apps/meteor/app/livechat/imports/server/rest/departments.ts``, ``agent.ts``,
``queue.ts``; ``apps/meteor/app/livechat/server/lib/departmentsLib.ts``.
"""

from __future__ import annotations

import httpx2
import pytest
from _server_helpers import error, new_chat, new_token

from rocketchat_livechat.testing.plugin import LivechatTestServer

pytestmark = pytest.mark.e2e


def _body(name: str, **extra: object) -> dict[str, object]:
    return {
        "department": {
            "enabled": True,
            "name": name,
            "email": "d@example.com",
            "showOnRegistration": True,
            "showOnOfflineForm": True,
            **extra,
        }
    }


def test_update_upserts_agents_and_checks_rules(
    http: httpx2.Client, admin: dict[str, str], livechat_server: LivechatTestServer
) -> None:
    first = livechat_server.create_agent()
    second = livechat_server.create_agent()
    dept = livechat_server.create_department(f"Upd {new_token()}", [first])
    body = {**_body(dept["name"], description="new"), "agents": [{"agentId": second.user_id}]}
    updated = http.put(f"livechat/department/{dept['_id']}", json=body, headers=admin).json()
    assert updated["department"]["description"] == "new"
    assert updated["department"]["numAgents"] == 2  # upsert: the first agent stays
    assert {a["agentId"] for a in updated["agents"]} == {first.user_id, second.user_id}
    missing = http.put("livechat/department/nope", json=_body("x"), headers=admin)
    assert error(missing) == {
        "success": False,
        "error": "Department not found [error-department-not-found]",
        "errorType": "error-department-not-found",
        "details": {"method": "livechat:saveDepartment"},
    }
    circular = _body(dept["name"], fallbackForwardDepartment=dept["_id"])
    assert error(http.put(f"livechat/department/{dept['_id']}", json=circular, headers=admin)) == {
        "success": False,
        "error": "Cannot save department. Circular reference between fallback department and "
        "department [error-fallback-department-circular]",
        "errorType": "error-fallback-department-circular",
    }
    bad_count = {**_body(dept["name"]), "agents": [{"agentId": first.user_id, "count": 1.5}]}
    assert error(http.put(f"livechat/department/{dept['_id']}", json=bad_count, headers=admin)) == {
        "success": False,
        "error": "Match error: Failed Match.OneOf, Match.Maybe or Match.Optional validation in "
        "field upsert",
    }
    forbidden = http.put(f"livechat/department/{dept['_id']}", json=body, headers=first.headers)
    assert error(forbidden, 403)["error"].endswith("[error-unauthorized]")


def test_department_agents_endpoints(
    http: httpx2.Client, admin: dict[str, str], livechat_server: LivechatTestServer
) -> None:
    first = livechat_server.create_agent("aaa-" + new_token()[-6:])
    second = livechat_server.create_agent("bbb-" + new_token()[-6:])
    dept = livechat_server.create_department(f"Agents {new_token()}", [first])
    url = f"livechat/department/{dept['_id']}/agents"
    upsert = {"upsert": [{"agentId": second.user_id, "username": second.username, "count": 2}]}
    assert error(http.post(url, json=upsert, headers=admin)) == {
        "success": False,
        "error": "Match error: Missing key 'remove'",
    }
    assert http.post(url, json={**upsert, "remove": []}, headers=admin).json() == {"success": True}
    listed = http.get(url, headers=first.headers).json()
    assert [a["username"] for a in listed["agents"]] == [first.username, second.username]
    assert listed["agents"][1]["count"] == 2
    assert (listed["count"], listed["offset"], listed["total"]) == (2, 0, 2)
    desc = http.get(url, params={"sort": '{"username":-1}', "count": 1}, headers=admin).json()
    assert [a["username"] for a in desc["agents"]] == [second.username]
    assert desc["total"] == 2
    remove = {"upsert": [], "remove": [{"agentId": first.user_id, "username": first.username}]}
    assert http.post(url, json=remove, headers=admin).json()["success"] is True
    got = http.get(f"livechat/department/{dept['_id']}", headers=admin).json()
    assert got["department"]["numAgents"] == 1
    assert [a["agentId"] for a in got["agents"]] == [second.user_id]
    unknown = http.post("livechat/department/nope/agents", json=remove, headers=admin)
    assert error(unknown) == {
        "success": False,
        "error": "Department not found [error-department-not-found]",
        "errorType": "error-department-not-found",
    }
    forbidden = http.post(url, json=remove, headers=first.headers)
    assert error(forbidden, 403)["error"].endswith("[error-unauthorized]")


def test_agent_departments(
    http: httpx2.Client, admin: dict[str, str], livechat_server: LivechatTestServer
) -> None:
    agent = livechat_server.create_agent()
    on = livechat_server.create_department(f"On {new_token()}", [agent])
    off = livechat_server.create_department(f"Off {new_token()}", [agent])
    body = _body(off["name"])
    body["department"]["enabled"] = False  # type: ignore[index]
    assert http.put(f"livechat/department/{off['_id']}", json=body, headers=admin).json()["success"]
    url = f"livechat/agents/{agent.user_id}/departments"
    found = http.get(url, headers=agent.headers).json()
    assert set(found) == {"departments", "success"}
    by_id = {d["departmentId"]: d for d in found["departments"]}
    assert set(by_id) == {on["_id"], off["_id"]}
    assert by_id[on["_id"]]["departmentName"] == on["name"]
    assert by_id[off["_id"]]["departmentEnabled"] is False
    enabled = http.get(url, params={"enabledDepartmentsOnly": "true"}, headers=admin).json()
    assert [d["departmentId"] for d in enabled["departments"]] == [on["_id"]]
    bad = http.get(url, params={"other": "1"}, headers=admin)
    assert error(bad)["errorType"] == "invalid-params"
    assert error(http.get(url), 401)["status"] == "error"


def test_remove_department_cleans_up(
    http: httpx2.Client, admin: dict[str, str], livechat_server: LivechatTestServer
) -> None:
    agent = livechat_server.create_agent()
    dept = livechat_server.create_department(f"Gone {new_token()}", [agent])
    other = livechat_server.create_department(f"Other {new_token()}")
    body = _body(other["name"], fallbackForwardDepartment=dept["_id"])
    assert http.put(f"livechat/department/{other['_id']}", json=body, headers=admin).json()[
        "success"
    ]
    _, room = new_chat(http, department=dept["_id"])
    assert room["departmentId"] == dept["_id"]
    forbidden = http.delete(f"livechat/department/{dept['_id']}", headers=agent.headers)
    assert error(forbidden, 403)["error"].endswith("[error-unauthorized]")
    livechat_server.set_setting("Omnichannel_enable_department_removal", True)
    assert http.delete(f"livechat/department/{dept['_id']}", headers=admin).json() == {
        "success": True
    }
    got = http.get(f"livechat/department/{other['_id']}", headers=admin).json()
    assert "fallbackForwardDepartment" not in got["department"]
    info = http.get(f"livechat/agents/{agent.user_id}/departments", headers=admin).json()
    assert info["departments"] == []
    rooms = http.get("livechat/rooms", params={"roomName": room["fname"]}, headers=admin).json()
    assert "departmentId" not in rooms["rooms"][0]


def test_queue_metrics(
    http: httpx2.Client, admin: dict[str, str], livechat_server: LivechatTestServer
) -> None:
    agent = livechat_server.create_agent()
    dept = livechat_server.create_department(f"Queue {new_token()}", [agent])
    new_chat(http, department=dept["_id"])
    new_chat(http, department=dept["_id"])
    found = http.get(
        "livechat/queue", params={"departmentId": dept["_id"]}, headers=agent.headers
    ).json()
    assert found == {
        "queue": [
            {
                "user": {"_id": agent.user_id, "username": agent.username, "status": "online"},
                "department": {"_id": dept["_id"], "name": dept["name"]},
                "chats": 2,
            }
        ],
        "count": 1,
        "offset": 0,
        "total": 1,
        "success": True,
    }
    mine = http.get("livechat/queue", params={"agentId": agent.user_id}, headers=admin).json()
    assert [g["chats"] for g in mine["queue"]] == [2]
    http.post("livechat/agent.status", json={"status": "not-available"}, headers=agent.headers)
    offline = http.get("livechat/queue", params={"agentId": agent.user_id}, headers=admin).json()
    assert offline["queue"] == [] and offline["total"] == 0
    included = http.get(
        "livechat/queue",
        params={"agentId": agent.user_id, "includeOfflineAgents": "true"},
        headers=admin,
    ).json()
    assert included["total"] == 1
    assert (
        error(http.get("livechat/queue", params={"bogus": "1"}, headers=admin))["errorType"]
        == "invalid-params"
    )
