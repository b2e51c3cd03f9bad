"""User-authenticated endpoints: rooms, users, departments, custom fields, settings, general."""

from __future__ import annotations

import httpx2
import pytest
from _server_helpers import error, new_chat, new_token

from rocketchat_livechat.testing.plugin import Agent, LivechatTestServer

pytestmark = pytest.mark.e2e


def test_livechat_rooms(
    http: httpx2.Client, agent: Agent, admin: dict[str, str], livechat_server: LivechatTestServer
) -> None:
    token, room = new_chat(http, name=f"Zed {new_token()}")
    _, second = new_chat(http)
    livechat_server.close_room(agent, second["_id"])
    own = http.get(
        "livechat/rooms", params={"agents[]": agent.user_id}, headers=agent.headers
    ).json()
    assert {r["_id"] for r in own["rooms"]} == {room["_id"], second["_id"]}
    assert set(own) == {"rooms", "count", "offset", "total", "success"}
    opened = http.get(
        "livechat/rooms", params={"agents[]": agent.user_id, "open": "true"}, headers=agent.headers
    ).json()
    assert [r["_id"] for r in opened["rooms"]] == [room["_id"]]
    named = http.get("livechat/rooms", params={"roomName": room["fname"]}, headers=admin).json()
    assert [r["_id"] for r in named["rooms"]] == [room["_id"]]
    paged = http.get("livechat/rooms", params={"count": 1, "offset": 1}, headers=admin).json()
    assert paged["count"] == 1 and paged["offset"] == 1 and paged["total"] >= 2
    bad_sort = http.get("livechat/rooms", params={"sort": "{bad"}, headers=admin)
    assert error(bad_sort) == {
        "success": False,
        "error": 'Invalid sort parameter provided: "{bad" [error-invalid-sort]',
        "errorType": "error-invalid-sort",
        "details": {"helperMethod": "parseJsonQuery"},
    }
    bad_date = http.get("livechat/rooms", params={"createdAt": '{"start":"nope"}'}, headers=admin)
    assert error(bad_date) == {
        "success": False,
        "error": 'The "createdAt.start" query parameter must be a valid date.',
    }
    bad_json = http.get("livechat/rooms", params={"customFields": "{"}, headers=admin)
    assert error(bad_json)["error"] == 'The "customFields" query parameter must be a valid JSON.'
    # isGETLivechatRoomsParams is an ajvQuery validator (coerceTypes: 'array'): agents=x is [x]
    one = http.get("livechat/rooms", params={"agents": agent.user_id}, headers=admin).json()
    assert {r["_id"] for r in one["rooms"]} == {room["_id"], second["_id"]}
    others = http.get("livechat/rooms", params={"agents[]": "someone"}, headers=agent.headers)
    assert error(others, 403) == {"success": False, "error": "unauthorized"}
    del token


def test_livechat_users(
    http: httpx2.Client, admin: dict[str, str], livechat_server: LivechatTestServer
) -> None:
    name = f"user-{new_token()}"
    created = http.post(
        "users.create",
        json={"username": name, "email": f"{name}@x.io", "name": "N", "password": "pw"},
        headers=admin,
    ).json()["user"]
    added = http.post("livechat/users/agent", json={"username": name}, headers=admin).json()
    assert added == {"user": {"_id": created["_id"], "username": name}, "success": True}
    got = http.get(f"livechat/users/agent/{created['_id']}", headers=admin).json()["user"]
    assert got["statusLivechat"] == "available" and got["username"] == name
    assert http.get(f"livechat/users/manager/{created['_id']}", headers=admin).json() == {
        "user": None,
        "success": True,
    }
    listed = http.get("livechat/users/agent", params={"text": name}, headers=admin).json()
    assert [u["_id"] for u in listed["users"]] == [created["_id"]] and listed["total"] == 1
    assert error(http.get("livechat/users/nope", headers=admin)) == {
        "success": False,
        "error": "Invalid type",
    }
    assert error(http.post("livechat/users/agent", json={"username": "ghost"}, headers=admin)) == {
        "success": False,
        "error": "[error-invalid-user]",
        "errorType": "error-invalid-user",
    }
    assert error(http.get("livechat/users/agent/ghost", headers=admin)) == {
        "success": False,
        "error": "User not found",
    }
    assert http.delete(f"livechat/users/agent/{created['_id']}", headers=admin).json() == {
        "success": True
    }
    assert error(http.delete(f"livechat/users/agent/{created['_id']}", headers=admin)) == {
        "success": False
    }
    agent = livechat_server.create_agent()
    as_agent = http.get("livechat/users/agent", headers=agent.headers)
    assert as_agent.status_code == 200
    assert error(http.get("livechat/users/manager", headers=agent.headers), 403) == {
        "success": False,
        "error": "unauthorized",
    }


def test_departments(
    http: httpx2.Client, admin: dict[str, str], livechat_server: LivechatTestServer
) -> None:
    agent = livechat_server.create_agent()
    name = f"Dept {new_token()}"
    body = {
        "department": {
            "enabled": True,
            "name": name,
            "email": "d@x.io",
            "showOnRegistration": True,
            "showOnOfflineForm": False,
        },
        "agents": [{"agentId": agent.user_id, "count": 0, "order": 0}],
    }
    created = http.post("livechat/department", json=body, headers=admin).json()
    dept = created["department"]
    assert dept["name"] == name and dept["enabled"] is True
    assert [a["agentId"] for a in created["agents"]] == [agent.user_id]
    assert created["agents"][0]["username"] == agent.username
    got = http.get(f"livechat/department/{dept['_id']}", headers=admin).json()
    assert got["department"]["_id"] == dept["_id"] and len(got["agents"]) == 1
    listed = http.get("livechat/department", params={"text": name}, headers=admin).json()
    assert [d["_id"] for d in listed["departments"]] == [dept["_id"]]
    config = http.get("livechat/config").json()["config"]
    assert {
        "_id": dept["_id"],
        "name": name,
        "showOnRegistration": True,
        "showOnOfflineForm": False,
    } in config["departments"]
    body["department"]["requestTagBeforeClosingChat"] = True
    assert error(http.post("livechat/department", json=body, headers=admin))["errorType"] == (
        "error-validating-department-chat-closing-tags"
    )
    del body["department"]["requestTagBeforeClosingChat"]
    body["department"]["fallbackForwardDepartment"] = "missing"
    assert error(http.post("livechat/department", json=body, headers=admin))["error"] == (
        "Fallback department not found [error-fallback-department-not-found]"
    )
    # isPOSTLivechatDepartmentProps (rest-typings 8.8.1) answers before the route's check
    assert error(
        http.post("livechat/department", json={"department": {"name": 1}}, headers=admin)
    ) == {
        "success": False,
        "error": "must have required property 'email' [invalid-params]",
        "errorType": "invalid-params",
    }
    assert error(http.post("livechat/department", json={}, headers=admin)) == {
        "success": False,
        "error": "must have required property 'department' [invalid-params]",
        "errorType": "invalid-params",
    }
    forbidden = http.post("livechat/department", json=body, headers=agent.headers)
    assert error(forbidden, 403)["error"].endswith("[error-unauthorized]")
    assert error(http.delete(f"livechat/department/{dept['_id']}", headers=admin)) == {
        "success": False,
        "error": "error-department-removal-disabled",
    }
    livechat_server.set_setting("Omnichannel_enable_department_removal", True)
    assert http.delete(f"livechat/department/{dept['_id']}", headers=admin).json() == {
        "success": True
    }
    assert error(http.delete(f"livechat/department/{dept['_id']}", headers=admin)) == {
        "success": False,
        "error": "error-department-not-found",
    }


def test_custom_field_definitions(http: httpx2.Client, admin: dict[str, str], agent: Agent) -> None:
    field = f"cf{new_token()[-6:]}"
    body = {
        "customFieldId": None,
        "customFieldData": {"field": field, "label": "CF", "scope": "room", "visibility": "hidden"},
    }
    saved = http.post("livechat/custom-fields.save", json=body, headers=admin).json()["customField"]
    assert saved["_id"] == field and saved["scope"] == "room"
    listed = http.get(
        "livechat/custom-fields", params={"text": field}, headers=agent.headers
    ).json()
    assert [f["_id"] for f in listed["customFields"]] == [field]
    assert (
        http.get(f"livechat/custom-fields/{field}", headers=agent.headers).json()["customField"][
            "label"
        ]
        == "CF"
    )
    denied = http.post("livechat/custom-fields.save", json=body, headers=agent.headers)
    assert error(denied, 403)
    body = {"customFieldId": field}
    removed = http.post("livechat/custom-fields.delete", json=body, headers=admin).json()
    assert removed == {"success": True}
    again = http.post("livechat/custom-fields.delete", json=body, headers=admin)
    assert error(again) == {"success": False, "error": "Custom field not found"}


def test_settings(
    http: httpx2.Client, admin: dict[str, str], livechat_server: LivechatTestServer
) -> None:
    got = http.get("settings/Livechat_Routing_Method", headers=admin).json()
    assert got == {"_id": "Livechat_Routing_Method", "value": "Auto_Selection", "success": True}
    url = "settings/Livechat_title"
    missing = http.post(url, json={"value": "Hi"}, headers=admin)
    assert error(missing)["errorType"] == "totp-required"
    wrong = http.post(
        url,
        json={"value": "Hi"},
        headers={**admin, "X-2fa-Code": "bad", "X-2fa-Method": "password"},
    )
    assert error(wrong)["error"] == "TOTP Invalid [totp-invalid]"
    import hashlib

    digest = hashlib.sha256(livechat_server.admin_password.encode()).hexdigest()
    two_fa = {**admin, "X-2fa-Code": digest, "X-2fa-Method": "password"}
    old = http.get(url, headers=admin).json()["value"]
    assert http.post(url, json={"value": "Hi"}, headers=two_fa).json() == {"success": True}
    assert http.get("livechat/config").json()["config"]["theme"]["title"] == "Hi"
    assert http.post(url, json={"value": old}, headers=two_fa).json()["success"] is True
    assert error(http.post("settings/Nope_Setting", json={"value": 1}, headers=two_fa)) == {
        "success": False
    }
    agent = livechat_server.create_agent(available=False)
    assert error(http.post(url, json={"value": "x"}, headers=agent.headers), 403)


def test_general_users(http: httpx2.Client, admin: dict[str, str]) -> None:
    name = f"u-{new_token()}"
    user = http.post(
        "users.create",
        json={"username": name, "email": f"{name}@x.io", "name": "U", "password": "pw"},
        headers=admin,
    ).json()["user"]
    assert "services" not in user and user["roles"] == ["user"]
    dup = http.post(
        "users.create",
        json={"username": name, "email": "other@x.io", "name": "U", "password": "pw"},
        headers=admin,
    )
    assert error(dup) == {
        "success": False,
        "error": f"{name} is already in use :( [error-field-unavailable]",
        "errorType": "error-field-unavailable",
        "details": {"method": "insertOrUpdateUser", "field": name},
    }
    info = http.get("users.info", params={"username": name}, headers=admin).json()["user"]
    assert info["_id"] == user["_id"]
    assert error(http.get("users.info", params={"userId": "nope"}, headers=admin)) == {
        "success": False,
        "error": "User not found.",
    }
    assert http.post("users.delete", json={"userId": user["_id"]}, headers=admin).json() == {
        "success": True
    }
    assert error(http.post("users.delete", json={"userId": user["_id"]}, headers=admin))[
        "errorType"
    ] == ("error-invalid-user")


def test_chat_and_groups(
    http: httpx2.Client, admin: dict[str, str], agent: Agent, livechat_server: LivechatTestServer
) -> None:
    _, room = new_chat(http)
    assert error(http.post("chat.sendMessage", json={}, headers=agent.headers)) == {
        "success": False,
        "error": 'The "message" parameter must be provided. [error-invalid-params]',
        "errorType": "error-invalid-params",
    }
    outsider = livechat_server.create_agent(available=False)
    refused = http.post(
        "chat.sendMessage",
        json={"message": {"rid": room["_id"], "msg": "x"}},
        headers=outsider.headers,
    )
    assert error(refused) == {"success": False, "error": "error-not-allowed"}
    long = http.post(
        "chat.sendMessage",
        json={"message": {"rid": room["_id"], "msg": "x" * 5001}},
        headers=agent.headers,
    )
    assert error(long)["errorType"] == "error-message-size-exceeded"
    sent = http.post(
        "chat.sendMessage",
        json={"message": {"rid": room["_id"], "msg": "x", "_id": "agent-dup"}},
        headers=agent.headers,
    )
    assert sent.json()["message"]["_id"] == "agent-dup"
    again = http.post(
        "chat.sendMessage",
        json={"message": {"rid": room["_id"], "msg": "y", "_id": "agent-dup"}},
        headers=agent.headers,
    )
    assert error(again)["error"] == "Cannot convert undefined or null to object"
    found = http.get("chat.getMessage", params={"msgId": "agent-dup"}, headers=agent.headers)
    assert found.json()["message"]["msg"] == "x"
    assert error(http.get("chat.getMessage", headers=agent.headers)) == {
        "success": False,
        "error": 'The "msgId" query parameter must be provided.',
    }
    assert error(http.get("chat.getMessage", params={"msgId": "nope"}, headers=agent.headers)) == {
        "success": False
    }
    assert (
        error(http.get("chat.getMessage", params={"msgId": "agent-dup"}, headers=outsider.headers))[
            "errorType"
        ]
        == "error-not-allowed"
    )
    info = http.get("rooms.info", params={"roomId": room["_id"]}, headers=agent.headers).json()
    assert info["room"]["_id"] == room["_id"]
    assert error(
        http.get("rooms.info", params={"roomId": room["_id"]}, headers=outsider.headers)
    ) == {
        "success": False,
        "error": "not-allowed",
    }
    name = f"g-{new_token()}"
    group = http.post(
        "groups.create", json={"name": name, "members": [agent.username]}, headers=admin
    ).json()["group"]
    assert group["t"] == "p" and group["name"] == name
    posted = http.post(
        "chat.sendMessage",
        json={"message": {"rid": group["_id"], "msg": "hi"}},
        headers=agent.headers,
    )
    assert posted.json()["success"] is True
    assert error(http.post("groups.create", json={"name": name}, headers=admin))["errorType"] == (
        "error-duplicate-channel-name"
    )
    assert http.post("groups.delete", json={"roomName": name}, headers=admin).json() == {
        "success": True
    }
    assert error(http.post("groups.delete", json={"roomId": group["_id"]}, headers=admin))[
        "errorType"
    ] == ("error-room-not-found")
