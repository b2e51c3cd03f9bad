"""Agent-side visitor context: ``livechat/visitors.*``, ``visitor/:token/room``, ``room.saveInfo``.

Rocket.Chat: ``apps/meteor/app/livechat/imports/server/rest/visitors.ts``,
``apps/meteor/app/livechat/server/api/v1/room.ts`` (saveInfo), ``.../v1/visitor.ts``.
"""

from __future__ import annotations

import json
from typing import Any

import httpx2
import pytest
from _server_helpers import EventLog, error, new_chat, new_token, register

from rocketchat_livechat.testing.plugin import Agent, LivechatTestServer

pytestmark = pytest.mark.e2e

NO_PERMISSION = {
    "success": False,
    "error": "User does not have the permissions required for this action [error-unauthorized]",
}


def _visit(http: httpx2.Client, token: str, rid: str, page: str) -> None:
    body = {
        "token": token,
        "rid": rid,
        "pageInfo": {"change": "url", "title": page, "location": {"href": f"https://x.io/{page}"}},
    }
    assert http.post("livechat/page.visited", json=body).status_code == 200


def _manager(http: httpx2.Client, livechat_server: LivechatTestServer) -> Agent:
    manager = livechat_server.create_agent(available=False)
    added = http.post(
        "livechat/users/manager",
        json={"username": manager.username},
        headers=livechat_server.admin_headers,
    )
    assert added.status_code == 200, added.text
    return manager


def test_visitors_info_hides_the_token(http: httpx2.Client, agent: Agent) -> None:
    visitor = register(http, name="Info Person")
    got = http.get(
        "livechat/visitors.info", params={"visitorId": visitor["_id"]}, headers=agent.headers
    )
    assert got.status_code == 200, got.text
    body = got.json()
    assert body["visitor"]["_id"] == visitor["_id"] and body["visitor"]["name"] == "Info Person"
    assert "token" not in body["visitor"]  # Rocket.Chat 8.5
    missing = http.get(
        "livechat/visitors.info", params={"visitorId": "nope"}, headers=agent.headers
    )
    assert error(missing) == {"success": False, "error": "visitor-not-found"}
    no_param = http.get("livechat/visitors.info", headers=agent.headers)
    assert error(no_param)["error"] == "must have required property 'visitorId' [invalid-params]"


def test_visitors_routes_refuse_visitors_and_users_without_view_l_room(
    http: httpx2.Client, admin: dict[str, str], agent: Agent
) -> None:
    token, room = new_chat(http)
    anonymous = http.get("livechat/visitors.info", params={"visitorId": "x"})
    assert anonymous.status_code == 401
    with_token = http.get(
        "livechat/visitors.info", params={"visitorId": "x"}, headers={"x-visitor-token": token}
    )
    assert with_token.status_code == 401
    name = f"plain-{new_token()}"
    http.post(
        "users.create",
        json={"username": name, "email": f"{name}@x.io", "name": "P", "password": "pw"},
        headers=admin,
    ).raise_for_status()
    login = http.post("login", json={"user": name, "password": "pw"}).json()["data"]
    plain = {"X-User-Id": login["userId"], "X-Auth-Token": login["authToken"]}
    vid = room["v"]["_id"]
    for path, params in (
        ("livechat/visitors.info", {"visitorId": vid}),
        (f"livechat/visitors.pagesVisited/{room['_id']}", {}),
        (f"livechat/visitors.chatHistory/room/{room['_id']}/visitor/{vid}", {}),
        (f"livechat/visitors.searchChats/room/{room['_id']}/visitor/{vid}", {}),
        ("livechat/visitors.autocomplete", {"selector": "{}"}),
        ("livechat/visitors.search", {"term": "x"}),
        (f"livechat/visitor/{token}/room", {}),
    ):
        assert error(http.get(path, params=params, headers=plain), 403) == NO_PERMISSION, path
    saved = http.post(
        "livechat/room.saveInfo",
        json={"roomData": {"_id": room["_id"]}, "guestData": {"_id": vid}},
        headers=plain,
    )
    assert error(saved, 403) == NO_PERMISSION


def test_pages_visited(http: httpx2.Client, agent: Agent) -> None:
    token, room = new_chat(http)
    _visit(http, token, room["_id"], "pricing")
    _visit(http, token, room["_id"], "checkout")
    got = http.get(f"livechat/visitors.pagesVisited/{room['_id']}", headers=agent.headers).json()
    assert [p["msg"] for p in got["pages"]] == [
        "checkout - https://x.io/checkout",
        "pricing - https://x.io/pricing",
    ]
    assert {p["t"] for p in got["pages"]} == {"livechat_navigation_history"}
    assert (got["count"], got["offset"], got["total"]) == (2, 0, 2)
    oldest = http.get(
        f"livechat/visitors.pagesVisited/{room['_id']}",
        params={"sort": json.dumps({"ts": 1}), "count": 1},
        headers=agent.headers,
    ).json()
    assert [p["msg"] for p in oldest["pages"]] == ["pricing - https://x.io/pricing"]
    assert oldest["total"] == 2
    missing = http.get("livechat/visitors.pagesVisited/nope", headers=agent.headers)
    assert error(missing) == {"success": False, "error": "invalid-room"}
    extra = http.get(
        f"livechat/visitors.pagesVisited/{room['_id']}", params={"x": 1}, headers=agent.headers
    )
    assert error(extra)["error"] == "must NOT have additional properties [invalid-params]"


def test_chat_history_and_search_chats(
    http: httpx2.Client, agent: Agent, livechat_server: LivechatTestServer
) -> None:
    token, first = new_chat(http)
    vid = first["v"]["_id"]
    assert (
        http.post(
            "livechat/message", json={"token": token, "rid": first["_id"], "msg": "I need a refund"}
        ).status_code
        == 200
    )
    livechat_server.close_room(agent, first["_id"], "Refunded")
    second = http.get("livechat/room", params={"token": token}).json()["room"]
    base = f"room/{second['_id']}/visitor/{vid}"
    history = http.get(f"livechat/visitors.chatHistory/{base}", headers=agent.headers).json()
    assert [r["_id"] for r in history["history"]] == [second["_id"], first["_id"]]
    assert history["total"] == 2 and history["count"] == 2
    found = http.get(
        f"livechat/visitors.searchChats/{base}",
        params={"searchText": "refund"},
        headers=agent.headers,
    ).json()
    assert [r["_id"] for r in found["history"]] == [first["_id"]]
    assert found["history"][0]["closingMessage"]["msg"] == "Refunded"
    closed = http.get(
        f"livechat/visitors.searchChats/{base}",
        params={"closedChatsOnly": "true"},
        headers=agent.headers,
    ).json()
    assert [r["_id"] for r in closed["history"]] == [first["_id"]]
    every = http.get(f"livechat/visitors.searchChats/{base}", headers=agent.headers).json()
    assert every["total"] == 2
    missing = http.get(
        f"livechat/visitors.chatHistory/room/nope/visitor/{vid}", headers=agent.headers
    )
    assert error(missing) == {"success": False, "error": "invalid-room"}
    stranger = livechat_server.create_agent(available=False)
    refused = http.get(f"livechat/visitors.searchChats/{base}", headers=stranger.headers)
    assert error(refused) == {"success": False, "error": "error-not-allowed"}
    refused = http.get(f"livechat/visitors.chatHistory/{base}", headers=stranger.headers)
    assert error(refused) == {"success": False, "error": "error-not-allowed"}


def test_autocomplete_and_search(http: httpx2.Client, agent: Agent) -> None:
    tag = new_token()[-8:]
    alice = register(http, name=f"Zq{tag} Alice", email=f"{tag}@example.com")
    bob = register(http, name=f"Zq{tag} Bob", phone=f"+1{int(tag, 16) % 10**9}")
    selector = json.dumps({"term": f"zq{tag}", "exceptions": [bob["_id"]]})
    got = http.get(
        "livechat/visitors.autocomplete", params={"selector": selector}, headers=agent.headers
    ).json()
    assert got["items"] == [
        {"_id": alice["_id"], "name": alice["name"], "username": alice["username"]}
    ]
    bad = http.get(
        "livechat/visitors.autocomplete", params={"selector": "{"}, headers=agent.headers
    )
    assert bad.status_code == 400
    by_name = http.get(
        "livechat/visitors.search", params={"term": tag}, headers=agent.headers
    ).json()
    assert {v["_id"] for v in by_name["visitors"]} == {alice["_id"], bob["_id"]}
    assert all("token" not in v for v in by_name["visitors"])
    by_mail = http.get(
        "livechat/visitors.search", params={"term": f"{tag}@example.com"}, headers=agent.headers
    ).json()
    assert [v["_id"] for v in by_mail["visitors"]] == [alice["_id"]]
    no_term = http.get("livechat/visitors.search", headers=agent.headers)
    assert error(no_term)["error"] == "must have required property 'term' [invalid-params]"


def test_visitor_rooms_by_token(
    http: httpx2.Client, agent: Agent, livechat_server: LivechatTestServer
) -> None:
    token, room = new_chat(http)
    manager = _manager(http, livechat_server)
    got = http.get(f"livechat/visitor/{token}/room", headers=manager.headers).json()
    assert [r["_id"] for r in got["rooms"]] == [room["_id"]]
    assert set(got["rooms"][0]) <= {"_id", "name", "t", "cl", "u", "usernames", "servedBy"}
    assert http.get("livechat/visitor/unknown/room", headers=manager.headers).json() == {
        "rooms": [],
        "success": True,
    }
    assert error(http.get(f"livechat/visitor/{token}/room", headers=agent.headers), 403) == (
        NO_PERMISSION
    )


def _save(http: httpx2.Client, headers: dict[str, str], **body: Any) -> httpx2.Response:
    return http.post("livechat/room.saveInfo", json=body, headers=headers)


def test_save_info_updates_room_and_visitor_and_pushes_visitor_data(
    http: httpx2.Client,
    agent: Agent,
    livechat_server: LivechatTestServer,
    events: EventLog,
    admin: dict[str, str],
) -> None:
    livechat_server.define_custom_field("ctxPlan", scope="room")
    livechat_server.define_custom_field("ctxCompany", scope="visitor", regexp="^[A-Z]")
    token, room = new_chat(http)
    vid = room["v"]["_id"]
    events.clear()
    saved = _save(
        http,
        agent.headers,
        roomData={
            "_id": room["_id"],
            "topic": " Billing ",
            "livechatData": {"ctxPlan": "gold", "x": "y"},
        },
        guestData={
            "_id": vid,
            "name": "Renamed Person",
            "email": "renamed@example.com",
            "phone": "+15550100",
            "livechatData": {"ctxCompany": "ACME", "unknown": "z"},
        },
    )
    assert saved.status_code == 200, saved.text
    assert saved.json() == {"success": True}
    got_room = http.get("rooms.info", params={"roomId": room["_id"]}, headers=admin).json()["room"]
    assert got_room["topic"] == "Billing" and got_room["fname"] == "Renamed Person"
    assert got_room["livechatData"] == {"ctxPlan": "gold"}
    visitor = http.get(f"livechat/visitor/{token}").json()["visitor"]
    assert visitor["name"] == "Renamed Person"
    assert visitor["visitorEmails"] == [{"address": "renamed@example.com"}]
    assert visitor["phone"] == [{"phoneNumber": "+15550100"}]
    assert visitor["livechatData"] == {"ctxCompany": "ACME"}
    pushed = events.of("stream-livechat-room", room["_id"])
    assert [a[0]["type"] for a in pushed] == ["visitorData"]
    assert pushed[0][0]["visitor"]["name"] == "Renamed Person"
    changed = events.of("stream-notify-user", f"{agent.user_id}/rooms-changed")
    assert [(a[0], a[1]["_id"], a[1]["topic"]) for a in changed] == [
        ("updated", room["_id"], "Billing")
    ]
    bad_value = _save(
        http,
        agent.headers,
        roomData={"_id": room["_id"]},
        guestData={"_id": vid, "livechatData": {"ctxCompany": "lowercase"}},
    )
    assert error(bad_value) == {"success": False, "error": "Invalid value for ctxCompany field"}


def test_save_info_errors_and_edit_rules(
    http: httpx2.Client, agent: Agent, livechat_server: LivechatTestServer
) -> None:
    _, room = new_chat(http)
    vid = room["v"]["_id"]
    missing_room = _save(http, agent.headers, roomData={"_id": "nope"}, guestData={"_id": vid})
    assert error(missing_room) == {"success": False, "error": "error-invalid-room"}
    missing_guest = _save(
        http, agent.headers, roomData={"_id": room["_id"]}, guestData={"_id": "x"}
    )
    assert error(missing_guest) == {"success": False, "error": "error-invalid-visitor"}
    no_body = http.post("livechat/room.saveInfo", json={}, headers=agent.headers)
    assert error(no_body)["error"] == "must have required property 'guestData' [invalid-params]"
    extra = _save(
        http, agent.headers, roomData={"_id": room["_id"], "x": 1}, guestData={"_id": vid}
    )
    assert error(extra)["error"] == "must NOT have additional properties [invalid-params]"
    # an agent who does not serve the room needs save-others-livechat-room-info
    other = livechat_server.create_agent(available=False)
    refused = _save(http, other.headers, roomData={"_id": room["_id"]}, guestData={"_id": vid})
    assert error(refused, 403) == {"success": False, "error": "unauthorized"}
    manager = _manager(http, livechat_server)
    allowed = _save(
        http, manager.headers, roomData={"_id": room["_id"], "topic": "T"}, guestData={"_id": vid}
    )
    assert allowed.status_code == 200, allowed.text
