"""``PUT livechat/room.visitor``: give a room another visitor (Rocket.Chat 7.x, deprecated).

Cases from ``apps/meteor/tests/end-to-end/api/livechat/09-visitors.ts``
(``describe('livechat/room.visitor')``); behaviour from the route in
``apps/meteor/app/livechat/server/api/v1/room.ts`` and ``changeRoomVisitor``.
"""

from __future__ import annotations

import httpx2
import pytest
from _server_helpers import EventLog, error, new_chat, new_token, register

from rocketchat_livechat.testing.plugin import Agent, LivechatTestServer

# PUT livechat/room.visitor: removed in 8.0 (server/versions.py)
pytestmark = [pytest.mark.e2e, pytest.mark.rc_version("7.10")]

ROUTE = "livechat/room.visitor"


def _put(http: httpx2.Client, headers: dict[str, str], **body: str) -> httpx2.Response:
    return http.put(ROUTE, json=body, headers=headers)


def test_needs_view_l_room(http: httpx2.Client, admin: dict[str, str]) -> None:
    name = f"plain-{new_token()}"
    user = {"username": name, "email": f"{name}@x.io", "name": "P", "password": "pw-123456"}
    http.post("users.create", json=user, headers=admin).raise_for_status()
    login = http.post("login", json={"user": name, "password": "pw-123456"}).json()["data"]
    headers = {"X-User-Id": login["userId"], "X-Auth-Token": login["authToken"]}
    ids = {"rid": "GENERAL", "oldVisitorId": "GENERAL", "newVisitorId": "GENERAL"}
    assert error(_put(http, headers, **ids), 403)["error"].endswith("[error-unauthorized]")


@pytest.mark.parametrize(
    ("body", "missing"),
    [
        ({}, "rid"),
        ({"rid": "GENERAL"}, "oldVisitorId"),
        ({"rid": "G", "oldVisitorId": "G"}, "newVisitorId"),
    ],
)
def test_validates_the_body(
    http: httpx2.Client, admin: dict[str, str], body: dict[str, str], missing: str
) -> None:
    assert error(_put(http, admin, **body))["error"] == (
        f"must have required property '{missing}' [invalid-params]"
    )


def test_refuses_unknown_visitor_room_and_a_visitor_not_of_the_room(
    http: httpx2.Client, admin: dict[str, str], agent: Agent
) -> None:
    ids = {"rid": "GENERAL", "oldVisitorId": "GENERAL", "newVisitorId": "GENERAL"}
    assert error(_put(http, admin, **ids)) == {"success": False, "error": "visitor-not-found"}
    visitor = register(http)
    same = {"oldVisitorId": visitor["_id"], "newVisitorId": visitor["_id"]}
    assert error(_put(http, admin, rid="GENERAL", **same))["error"] == "invalid-room"
    _, room = new_chat(http)
    other = register(http)
    wrong = _put(http, admin, rid=room["_id"], oldVisitorId=other["_id"], newVisitorId=other["_id"])
    assert error(wrong)["error"] == "invalid-room-visitor"


def test_changes_the_room_visitor(
    http: httpx2.Client, admin: dict[str, str], agent: Agent, events: EventLog
) -> None:
    token, room = new_chat(http)
    old = room["v"]["_id"]
    new = register(http, name="Second")
    response = _put(http, admin, rid=room["_id"], oldVisitorId=old, newVisitorId=new["_id"])
    assert response.status_code == 200, response.text
    assert response.headers["x-deprecation-version"] == "7.0.0"
    changed = response.json()["room"]
    assert changed["v"]["_id"] == new["_id"] and changed["v"]["token"] == new["token"]
    published = [args[0] for args in events.of("stream-livechat-room", room["_id"])]
    assert [e["visitor"]["_id"] for e in published if e["type"] == "visitorData"] == [new["_id"]]
    assert (
        http.get("livechat/room", params={"token": new["token"], "rid": room["_id"]}).json()[
            "room"
        ]["_id"]
        == room["_id"]
    )
    assert token != new["token"]


def test_an_agent_not_serving_the_room_may_not(
    http: httpx2.Client, agent: Agent, livechat_server: LivechatTestServer
) -> None:
    _, room = new_chat(http)
    other = register(http)
    stranger = livechat_server.create_agent(available=False)
    body = {"rid": room["_id"], "oldVisitorId": room["v"]["_id"], "newVisitorId": other["_id"]}
    assert error(_put(http, stranger.headers, **body))["error"] == "error-not-allowed"


@pytest.mark.rc_version("9.0")
def test_gone_on_8_0_and_later(http: httpx2.Client, admin: dict[str, str]) -> None:
    ids = {"rid": "GENERAL", "oldVisitorId": "GENERAL", "newVisitorId": "GENERAL"}
    assert _put(http, admin, **ids).status_code == 404
