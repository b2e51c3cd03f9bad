"""Community Omnichannel operations on the embedded server: triggers, bulk messages, inbound
SMS, analytics (exact Rocket.Chat answers).

Sources: ``apps/meteor/app/livechat/imports/server/rest/triggers.ts``, ``sms.ts``,
``dashboards.ts``; ``apps/meteor/app/livechat/server/api/v1/message.ts``, ``statistics.ts``;
``apps/meteor/server/services/omnichannel-integrations/providers/twilio.ts``.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

import httpx2
import pytest
from _server_helpers import error, new_chat, new_token, register

from rocketchat_livechat.server.services.sms import twilio_signature
from rocketchat_livechat.testing.plugin import Agent, LivechatTestServer

pytestmark = pytest.mark.e2e

NOT_PERMITTED = {
    "success": False,
    "error": "User does not have the permissions required for this action [error-unauthorized]",
}


def _trigger(name: str, **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "description": "d",
        "enabled": True,
        "runOnce": False,
        "conditions": [{"name": "page-url", "value": "/pricing"}],
        "actions": [{"name": "send-message", "params": {"sender": "queue", "msg": "Hi"}}],
        **extra,
    }


def _find(http: httpx2.Client, admin: dict[str, str], name: str) -> dict[str, Any]:
    listed = http.get("livechat/triggers", params={"count": 100}, headers=admin).json()
    (found,) = [t for t in listed["triggers"] if t["name"] == name]
    return found  # type: ignore[no-any-return]


# --- triggers --------------------------------------------------------------------------------


def test_trigger_crud(http: httpx2.Client, admin: dict[str, str]) -> None:
    name = f"a-{new_token()}"
    assert http.post("livechat/triggers", json=_trigger(name), headers=admin).json() == {
        "success": True
    }
    created = _find(http, admin, name)
    assert set(created) == {
        "_id",
        "name",
        "description",
        "enabled",
        "runOnce",
        "conditions",
        "actions",
        "_updatedAt",
    }
    tid = created["_id"]
    got = http.get(f"livechat/triggers/{tid}", headers=admin).json()
    assert got == {"trigger": created, "success": True}

    # update by _id: every field replaced
    body = _trigger(name, _id=tid, description="changed", enabled=False)
    assert http.post("livechat/triggers", json=body, headers=admin).status_code == 200
    updated = http.get(f"livechat/triggers/{tid}", headers=admin).json()["trigger"]
    assert (updated["description"], updated["enabled"]) == ("changed", False)
    # an unknown _id is updateById on nothing: success, nothing created
    ghost = _trigger(f"ghost-{new_token()}", _id="nope")
    assert http.post("livechat/triggers", json=ghost, headers=admin).json() == {"success": True}
    listed = http.get("livechat/triggers", params={"count": 100}, headers=admin).json()
    assert ghost["name"] not in [t["name"] for t in listed["triggers"]]

    assert http.delete(f"livechat/triggers/{tid}", headers=admin).json() == {"success": True}
    assert http.get(f"livechat/triggers/{tid}", headers=admin).json() == {
        "trigger": None,
        "success": True,
    }
    assert http.delete(f"livechat/triggers/{tid}", headers=admin).json() == {"success": True}


def test_trigger_list_paging_and_sort(http: httpx2.Client, admin: dict[str, str]) -> None:
    prefix = f"p-{new_token()}"
    for suffix in ("b", "a", "c"):
        http.post("livechat/triggers", json=_trigger(f"{prefix}-{suffix}"), headers=admin)
    try:
        everything = http.get("livechat/triggers", params={"count": 100}, headers=admin).json()
        names = [t["name"] for t in everything["triggers"] if t["name"].startswith(prefix)]
        assert names == [f"{prefix}-a", f"{prefix}-b", f"{prefix}-c"]  # by name by default
        desc = http.get(
            "livechat/triggers", params={"count": 100, "sort": '{"name": -1}'}, headers=admin
        ).json()
        names = [t["name"] for t in desc["triggers"] if t["name"].startswith(prefix)]
        assert names == [f"{prefix}-c", f"{prefix}-b", f"{prefix}-a"]
        one = http.get("livechat/triggers", params={"count": 1, "offset": 1}, headers=admin).json()
        assert (one["count"], one["offset"], one["total"]) == (1, 1, everything["total"])
        assert set(one) == {"triggers", "count", "offset", "total", "success"}
    finally:
        for t in http.get("livechat/triggers", params={"count": 100}, headers=admin).json()[
            "triggers"
        ]:
            if t["name"].startswith(prefix):
                http.delete(f"livechat/triggers/{t['_id']}", headers=admin)


def test_trigger_validation(http: httpx2.Client, admin: dict[str, str]) -> None:
    missing = {k: v for k, v in _trigger("x").items() if k != "description"}
    assert error(http.post("livechat/triggers", json=missing, headers=admin)) == {
        "success": False,
        "error": "must have required property 'description' [invalid-params]",
        "errorType": "invalid-params",
    }
    bad_action = _trigger("x", actions=[{"name": "nope"}])
    assert error(http.post("livechat/triggers", json=bad_action, headers=admin))["error"] == (
        "must be equal to one of the allowed values\n must be equal to one of the allowed values"
        "\n must match exactly one schema in oneOf [invalid-params]"
    )
    bad_condition = _trigger("x", conditions=[{"name": "page-url"}])
    assert error(http.post("livechat/triggers", json=bad_condition, headers=admin))["error"] == (
        "must have required property 'value' [invalid-params]"
    )
    empty = _trigger("x", conditions=[])
    assert error(http.post("livechat/triggers", json=empty, headers=admin))["error"] == (
        "must NOT have fewer than 1 items [invalid-params]"
    )
    query = http.get("livechat/triggers", params={"text": "x"}, headers=admin)
    assert error(query)["error"] == "must NOT have additional properties [invalid-params]"


def test_triggers_need_view_livechat_manager(http: httpx2.Client, agent: Agent) -> None:
    for method, path in (
        ("GET", "livechat/triggers"),
        ("GET", "livechat/triggers/x"),
        ("DELETE", "livechat/triggers/x"),
    ):
        assert error(http.request(method, path, headers=agent.headers), 403) == NOT_PERMITTED
    post = http.post("livechat/triggers", json=_trigger("x"), headers=agent.headers)
    assert error(post, 403) == NOT_PERMITTED
    assert http.get("livechat/triggers").status_code == 401


def test_config_lists_enabled_community_triggers(
    http: httpx2.Client, admin: dict[str, str]
) -> None:
    prefix = f"c-{new_token()}"
    external = {
        "name": "use-external-service",
        "params": {"serviceUrl": "http://x", "serviceTimeout": 1000, "serviceFallbackMessage": "f"},
    }
    bodies = {
        "on": _trigger(f"{prefix}-on", runOnce=True),
        "off": _trigger(f"{prefix}-off", enabled=False),
        "ee": _trigger(f"{prefix}-ee", actions=[external]),  # only an EE action: left out
    }
    for body in bodies.values():
        assert http.post("livechat/triggers", json=body, headers=admin).status_code == 200
    ids = {k: _find(http, admin, b["name"])["_id"] for k, b in bodies.items()}
    try:
        config = http.get("livechat/config").json()["config"]
        mine = [t for t in config["triggers"] if t["_id"] in ids.values()]
        assert mine == [
            {
                "_id": ids["on"],
                "actions": bodies["on"]["actions"],
                "conditions": bodies["on"]["conditions"],
                "runOnce": True,
            }
        ]
    finally:
        for tid in ids.values():
            http.delete(f"livechat/triggers/{tid}", headers=admin)


# --- bulk messages ---------------------------------------------------------------------------


def test_bulk_messages_into_the_open_room(http: httpx2.Client, agent: Agent) -> None:
    token, room = new_chat(http)
    body = {"visitor": {"token": token}, "messages": [{"msg": "one"}, {"msg": "two"}]}
    answer = http.post("livechat/messages", json=body, headers=agent.headers).json()
    username = room["v"]["username"]
    assert [(m["username"], m["msg"]) for m in answer["messages"]] == [
        (username, "one"),
        (username, "two"),
    ]
    assert answer["success"] is True and all(m["ts"].endswith("Z") for m in answer["messages"])
    history = http.get(f"livechat/messages.history/{room['_id']}", params={"token": token}).json()
    assert [m["msg"] for m in history["messages"][:2]] == ["two", "one"]


def test_bulk_messages_open_a_room_for_a_visitor_without_one(
    http: httpx2.Client, agent: Agent
) -> None:
    token = register(http)["token"]
    body = {"visitor": {"token": token}, "messages": [{"msg": "hello"}]}
    assert http.post("livechat/messages", json=body, headers=agent.headers).status_code == 200
    room = http.get("livechat/room", params={"token": token}).json()
    assert room["newRoom"] is False and room["room"]["source"] == {"type": "api"}


def test_bulk_messages_for_a_new_visitor_fail_once(http: httpx2.Client, agent: Agent) -> None:
    """Rocket.Chat's shadowed-variable bug: registered, then ``error-invalid-token``."""
    token = new_token()
    body = {"visitor": {"token": token}, "messages": [{"msg": "hi"}]}
    first = http.post("livechat/messages", json=body, headers=agent.headers)
    assert error(first) == {"success": False, "error": "error-invalid-token"}
    visitor = http.get(f"livechat/visitor/{token}").json()["visitor"]
    assert visitor["token"] == token and visitor["username"].startswith("guest-")
    second = http.post("livechat/messages", json=body, headers=agent.headers).json()
    assert [m["msg"] for m in second["messages"]] == ["hi"]


def test_bulk_messages_validation_and_auth(http: httpx2.Client, agent: Agent) -> None:
    empty = {"visitor": {"token": "t"}, "messages": []}
    assert error(http.post("livechat/messages", json=empty, headers=agent.headers)) == {
        "success": False,
        "error": "must NOT have fewer than 1 items [invalid-params]",
        "errorType": "invalid-params",
    }
    extra = {"visitor": {"token": "t", "name": "x"}, "messages": [{"msg": "m"}]}
    assert error(http.post("livechat/messages", json=extra, headers=agent.headers))["error"] == (
        "must NOT have additional properties [invalid-params]"
    )
    assert http.post("livechat/messages", json=empty).status_code == 401


# --- SMS -------------------------------------------------------------------------------------


@pytest.fixture
def sms_on(livechat_server: LivechatTestServer) -> str:
    """SMS enabled with the Twilio service; the auth token signing requests."""
    livechat_server.set_setting("SMS_Enabled", True)
    livechat_server.set_setting("SMS_Twilio_authToken", "twilio-secret")
    return "twilio-secret"


def _sms(
    http: httpx2.Client, fields: dict[str, str], secret: str = "twilio-secret", query: str = ""
) -> httpx2.Response:
    """A form-encoded post signed the way Twilio signs it (``Site_Url`` is the server's URL)."""
    path = "livechat/sms-incoming/twilio" + (f"?{query}" if query else "")
    signature = twilio_signature(secret, f"{http.base_url}{path}", fields)
    return http.post(path, data=fields, headers={"X-Twilio-Signature": signature})


def test_inbound_sms_becomes_a_visitor_message(
    http: httpx2.Client, sms_on: str, agent: Agent, admin: dict[str, str]
) -> None:
    number = f"+1555{new_token()[-7:].translate(str.maketrans('abcdef', '123456'))}"
    fields = {"From": number, "To": "+15559990000", "Body": "Hello by SMS", "NumMedia": "0"}
    answer = _sms(http, fields)
    assert answer.status_code == 200
    assert answer.text == "<Response></Response>"
    assert answer.headers["content-type"].startswith("text/xml")
    rooms = http.get("livechat/rooms", params={"open": "true", "count": 100}, headers=admin).json()
    (room,) = [r for r in rooms["rooms"] if r["v"].get("username") == number.lstrip("+")]
    assert room["source"] == {"type": "sms", "alias": "twilio", "destination": "+15559990000"}
    assert room["sms"] == {"from": "+15559990000"}
    token = room["v"]["token"]
    visitor = http.get(f"livechat/visitor/{token}").json()["visitor"]
    assert visitor["phone"] == [{"phoneNumber": number}]
    # a second SMS from the same number: same visitor, same room
    assert _sms(http, {**fields, "Body": "again"}).status_code == 200
    history = http.get(f"livechat/messages.history/{room['_id']}", params={"token": token})
    texts = [m["msg"] for m in history.json()["messages"] if not m.get("t")]
    assert texts == ["again", "Hello by SMS"]


def test_inbound_sms_refusals(
    http: httpx2.Client, livechat_server: LivechatTestServer, agent: Agent
) -> None:
    fields = {"From": "+15550000001", "To": "+15559990000", "Body": "x"}
    other = http.post("livechat/sms-incoming/voxtelesys", data=fields)
    assert error(other) == {"success": False, "error": "Invalid service"}
    assert error(_sms(http, fields)) == {"success": False, "error": "error-sms-service-disabled"}
    livechat_server.set_setting("SMS_Enabled", True)
    # no auth token configured: Twilio.validateRequest fails
    assert error(_sms(http, fields)) == {"success": False, "error": "Invalid request"}
    livechat_server.set_setting("SMS_Twilio_authToken", "twilio-secret")
    assert error(_sms(http, fields, secret="wrong")) == {
        "success": False,
        "error": "Invalid request",
    }
    bad = {"From": "+15550000001", "To": "+15559990000"}  # no Body
    assert error(_sms(http, bad)) == {"success": False, "error": "Invalid data"}


# --- analytics -------------------------------------------------------------------------------


def _hour_label(hour: int) -> str:
    return f"{hour % 12 or 12}{'AM' if hour < 12 else 'PM'}"


def _department_chat(
    http: httpx2.Client, livechat_server: LivechatTestServer
) -> tuple[Agent, str, dict[str, Any], str]:
    """A department of its own (so only this chat counts), a routed room with two visitor
    messages and an agent reply: ``(agent, token, room, department_id)``."""
    agent = livechat_server.create_agent()
    dept = livechat_server.create_department(f"Stats {new_token()}", [agent])
    token = register(http, department=dept["_id"])["token"]
    room = http.get("livechat/room", params={"token": token}).json()["room"]
    assert room["servedBy"]["_id"] == agent.user_id
    for text in ("hi", "anyone?"):
        body = {"token": token, "rid": room["_id"], "msg": text}
        assert http.post("livechat/message", json=body).status_code == 200
    livechat_server.agent_send(agent, room["_id"], "hello")
    return agent, token, room, dept["_id"]


def test_overview_conversations_and_productivity(
    http: httpx2.Client, admin: dict[str, str], livechat_server: LivechatTestServer
) -> None:
    _, _, room, dept_id = _department_chat(http, livechat_server)
    day = room["ts"][:10]
    query = {"name": "Conversations", "from": day, "to": day, "departmentId": dept_id}
    answer = http.get("livechat/analytics/overview", params=query, headers=admin)
    assert answer.status_code == 200
    created = datetime.fromisoformat(room["ts"].replace("Z", "+00:00"))
    assert answer.json() == [  # a bare list: no "success"
        {"title": "Total_conversations", "value": 1},
        {"title": "Open_conversations", "value": 1},
        {"title": "On_Hold_conversations", "value": 0},
        {"title": "Total_messages", "value": 3},
        {"title": "Busiest_day", "value": created.strftime("%A")},
        {"title": "Conversations_per_day", "value": "1.00"},
        {
            "title": "Busiest_time",
            "value": f"{_hour_label(created.hour)} - {_hour_label((created.hour + 1) % 24)}",
        },
    ]
    week = {**query, "from": "2000-01-01", "to": "2000-01-07"}
    empty = http.get("livechat/analytics/overview", params=week, headers=admin).json()
    assert [(i["title"], i["value"]) for i in empty] == [
        ("Total_conversations", 0),
        ("Open_conversations", 0),
        ("On_Hold_conversations", 0),
        ("Total_messages", 0),
        ("Busiest_day", "-"),
        ("Conversations_per_day", "0.00"),
        ("Busiest_time", "-"),
    ]
    productivity = {**query, "name": "Productivity"}
    figures = http.get("livechat/analytics/overview", params=productivity, headers=admin).json()
    assert [i["title"] for i in figures] == [
        "Avg_response_time",
        "Avg_first_response_time",
        "Avg_reaction_time",
    ]
    assert all(len(i["value"]) == 8 and i["value"].count(":") == 2 for i in figures)


def test_agent_overview(
    http: httpx2.Client, admin: dict[str, str], livechat_server: LivechatTestServer
) -> None:
    agent, _, room, dept_id = _department_chat(http, livechat_server)
    day = room["ts"][:10]
    base = {"from": day, "to": day, "departmentId": dept_id}

    def overview(name: str) -> dict[str, Any]:
        params = {**base, "name": name}
        answer = http.get("livechat/analytics/agent-overview", params=params, headers=admin)
        assert answer.status_code == 200, answer.text
        return answer.json()  # type: ignore[no-any-return]

    assert overview("Total_conversations") == {
        "head": [{"name": "Agent"}, {"name": "%_of_conversations"}],
        "data": [{"name": agent.username, "value": "100.00%"}],
        "success": True,
    }
    # agent messages only (the visitor's two are not counted)
    assert overview("Total_messages")["data"] == [{"name": agent.username, "value": 1}]
    first = overview("Avg_first_response_time")
    assert first["head"][1] == {"name": "Avg_first_response_time"}
    assert [r["name"] for r in first["data"]] == [agent.username]
    assert overview("Avg_chat_duration")["data"] == []  # still open: no chatDuration
    livechat_server.close_room(agent, room["_id"])
    assert [r["name"] for r in overview("Avg_chat_duration")["data"]] == [agent.username]


def test_analytics_refusals(http: httpx2.Client, admin: dict[str, str], agent: Agent) -> None:
    for path in ("livechat/analytics/overview", "livechat/analytics/agent-overview"):
        good = {"name": "Conversations", "from": "2024-01-01", "to": "2024-01-02"}
        assert error(http.get(path, params={"name": "x", "from": "y"}, headers=admin)) == {
            "success": False,
            "error": "must have required property 'to' [invalid-params]",
            "errorType": "invalid-params",
        }
        empty_name = {**good, "name": ""}
        assert error(http.get(path, params=empty_name, headers=admin)) == {
            "success": False,
            "error": "invalid-chart-name",
        }
        unknown = {**good, "name": "Nope"}
        assert http.get(path, params=unknown, headers=admin).json() == {"success": True}
        bad_dates = {**good, "from": "soon"}
        assert http.get(path, params=bad_dates, headers=admin).json() == {"success": True}
        assert error(http.get(path, params=good, headers=agent.headers), 403) == NOT_PERMITTED


def test_dashboards(
    http: httpx2.Client, admin: dict[str, str], livechat_server: LivechatTestServer
) -> None:
    agent, _, room, dept_id = _department_chat(http, livechat_server)
    created = datetime.fromisoformat(room["ts"].replace("Z", "+00:00"))
    window = {
        "start": (created - timedelta(minutes=1)).isoformat(),
        "end": (datetime.now(UTC) + timedelta(minutes=1)).isoformat(),
        "departmentId": dept_id,
    }

    def get(path: str, **params: str) -> dict[str, Any]:
        answer = http.get(
            f"livechat/analytics/dashboards/{path}", params={**window, **params}, headers=admin
        )
        assert answer.status_code == 200, answer.text
        body: dict[str, Any] = answer.json()
        assert body.pop("success") is True
        return body

    assert get("charts/chats") == {"open": 1, "closed": 0, "queued": 0, "onhold": 0}
    assert get("charts/chats-per-agent") == {agent.username: {"open": 1, "closed": 0, "onhold": 0}}
    dept_name = http.get(f"livechat/department/{dept_id}", headers=admin).json()["department"]
    assert get("charts/chats-per-department") == {dept_name["name"]: {"open": 1, "closed": 0}}
    timings = get("charts/timings")
    assert timings["chatDuration"] == {"avg": 0, "longest": 0}
    assert isinstance(timings["response"]["avg"], int) and timings["response"]["longest"] >= 0
    assert get("charts/agents-status") == {"offline": 0, "away": 0, "busy": 0, "available": 1}
    status = http.get(
        "livechat/analytics/dashboards/charts/agents-status",
        params={"departmentId": "nope", "start": "ignored"},  # extra keys allowed here
        headers=admin,
    )
    assert status.json() == {"success": True}

    conversations = get("conversation-totalizers")["totalizers"]
    assert conversations == [
        {"title": "Total_conversations", "value": 1},
        {"title": "Open_conversations", "value": 1},
        {"title": "On_Hold_conversations", "value": 0},
        {"title": "Total_messages", "value": 3},
        {"title": "Total_visitors", "value": 1},
    ]
    productivity = [t["title"] for t in get("productivity-totalizers")["totalizers"]]
    assert productivity == [
        "Avg_response_time",
        "Avg_first_response_time",
        "Avg_reaction_time",
        "Avg_of_waiting_time",
    ]
    agents = get("agents-productivity-totalizers")["totalizers"]
    assert [t["title"] for t in agents] == [
        "Busiest_time",
        "Avg_of_available_service_time",
        "Avg_of_service_time",
    ]
    assert get("chats-totalizers")["totalizers"][:2] == [
        {"title": "Total_abandoned_chats", "value": 0},
        {"title": "Avg_of_abandoned_chats", "value": "0%"},
    ]

    livechat_server.close_room(agent, room["_id"])
    window["end"] = (datetime.now(UTC) + timedelta(minutes=1)).isoformat()
    assert get("charts/chats") == {"open": 0, "closed": 1, "queued": 0, "onhold": 0}
    assert get("charts/chats-per-agent") == {agent.username: {"open": 0, "closed": 1}}
    assert get("charts/chats-per-department") == {dept_name["name"]: {"open": 0, "closed": 1}}
    assert get("charts/timings")["chatDuration"]["longest"] > 0


def test_dashboard_refusals(http: httpx2.Client, admin: dict[str, str], agent: Agent) -> None:
    path = "livechat/analytics/dashboards/charts/chats"
    bad_start = http.get(path, params={"start": "soon", "end": "2024-01-01"}, headers=admin)
    assert error(bad_start) == {
        "success": False,
        "error": 'The "start" query parameter must be a valid date.',
    }
    bad_end = http.get(path, params={"start": "2024-01-01", "end": "x"}, headers=admin)
    assert error(bad_end)["error"] == 'The "end" query parameter must be a valid date.'
    assert error(http.get(path, params={"start": "2024-01-01"}, headers=admin)) == {
        "success": False,
        "error": "must have required property 'end' [invalid-params]",
        "errorType": "invalid-params",
    }
    query = {"start": "2024-01-01", "end": "2024-01-02"}
    assert error(http.get(path, params=query, headers=agent.headers), 403) == NOT_PERMITTED


def test_inbound_sms_department_and_location(
    http: httpx2.Client, sms_on: str, livechat_server: LivechatTestServer, admin: dict[str, str]
) -> None:
    """``?department=`` (id or name) picks the department; Latitude/Longitude become a
    GeoJSON point; media are not downloaded (the upload-failed attachment)."""
    agent = livechat_server.create_agent()
    dept = livechat_server.create_department(f"Sms {new_token()}", [agent])
    number = f"+1666{secrets.randbelow(10**7):07d}"
    fields = {
        "From": number,
        "To": "+15559990000",
        "Body": "where am I",
        "Latitude": "45.5",
        "Longitude": "-73.6",
        "NumMedia": "1",
        "MediaUrl0": "http://example.invalid/a.png",
        "MediaContentType0": "image/png",
    }
    query = f"department={quote(dept['name'])}"  # Twilio signs the URL as it posts it
    assert _sms(http, fields, query=query).status_code == 200
    rooms = http.get("livechat/rooms", params={"open": "true", "count": 100}, headers=admin)
    (room,) = [r for r in rooms.json()["rooms"] if r["v"].get("username") == number.lstrip("+")]
    assert room["departmentId"] == dept["_id"] and room["servedBy"]["_id"] == agent.user_id
    history = http.get(
        f"livechat/messages.history/{room['_id']}", params={"token": room["v"]["token"]}
    ).json()["messages"]
    (message,) = [m for m in history if not m.get("t")]
    assert message["location"] == {"type": "Point", "coordinates": [-73.6, 45.5]}
    assert message["attachments"][0]["title"] == "Attachment upload failed"
