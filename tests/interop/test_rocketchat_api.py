"""Interop: the livechat methods of PyPI ``rocketchat_API`` run unchanged against the server.

The client logs in with user/password against ``server_url`` (``POST /api/v1/login``) and
uses its own request building (``agents[]=`` arrays, JSON bodies, pagination generators).
Settings are changed with the pytest plugin's helpers because ``settings_update`` sends no
2FA password (Rocket.Chat requires one for admins, and so does the embedded server).
Every test runs on each emulated Rocket.Chat line (6.14, 7.10, 8.8, 9.0).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import pytest
from rocketchat_API.APIExceptions.RocketExceptions import RocketApiException
from rocketchat_API.rocketchat import RocketChat

from rocketchat_livechat.server.versions import ServerLine
from rocketchat_livechat.testing.plugin import LivechatTestServer

pytestmark = pytest.mark.interop


@pytest.fixture
def rocket(livechat_server: LivechatTestServer, rc_line: ServerLine) -> RocketChat:
    """The admin's client; every test runs once per emulated line (``rc_line``)."""
    return RocketChat(
        livechat_server.admin_username,
        livechat_server.admin_password,
        server_url=livechat_server.url,
    )


@pytest.fixture
def agent_rocket(
    rocket: RocketChat, livechat_server: LivechatTestServer
) -> Iterator[tuple[RocketChat, str]]:
    """A new agent (created through rocketchat_API), logged in and online."""
    username = f"rcapi-{secrets.token_hex(4)}"
    rocket.users_create(f"{username}@example.com", "RC API Agent", "secret-pw", username)
    created = rocket.livechat_create_user(user_type="agent", username=username)
    assert created["success"] is True and created["user"]["username"] == username
    agent = RocketChat(username, "secret-pw", server_url=livechat_server.url)
    assert agent.users_set_status("", status="online")["success"] is True
    yield agent, created["user"]["_id"]
    agent.users_set_status("", status="offline")


def test_info_and_login(rocket: RocketChat, rc_line: ServerLine) -> None:
    assert rocket.info()["version"] == rc_line.full_version
    assert rocket.me()["username"] == "admin"


def test_visitor_room_message_history(
    rocket: RocketChat, agent_rocket: tuple[RocketChat, str]
) -> None:
    agent, agent_id = agent_rocket
    token = f"rcapi-{secrets.token_hex(6)}"
    visitor = rocket.livechat_register_visitor(token, visitor={"name": "Py Visitor"})
    assert visitor["success"] is True and visitor["visitor"]["token"] == token
    assert rocket.livechat_get_visitor(token)["visitor"]["name"] == "Py Visitor"
    room = rocket.livechat_room(token)
    assert room["newRoom"] is True and room["room"]["servedBy"]["_id"] == agent_id
    rid = room["room"]["_id"]
    sent = rocket.livechat_message(token, rid, "hello from rocketchat_API")
    assert sent["message"]["msg"] == "hello from rocketchat_API"
    agent.chat_send_message({"rid": rid, "msg": "agent reply"})
    history = list(rocket.livechat_messages_history(rid, token))
    assert [m["msg"] for m in history][:2] == ["agent reply", "hello from rocketchat_API"]
    rooms = list(rocket.livechat_rooms(max_count=500))
    assert rid in {r["_id"] for r in rooms}
    own = list(agent.livechat_rooms(agents=[agent_id]))
    assert rid in {r["_id"] for r in own}
    with pytest.raises(RocketApiException):
        rocket.livechat_message(token, "not-a-room", "x")


def test_inquiries_manual_selection(
    rocket: RocketChat, agent_rocket: tuple[RocketChat, str], livechat_server: LivechatTestServer
) -> None:
    agent, agent_id = agent_rocket
    livechat_server.set_routing("Manual_Selection")
    token = f"rcapi-{secrets.token_hex(6)}"
    rocket.livechat_register_visitor(token, visitor={"name": "Queued"})
    rid = rocket.livechat_room(token)["room"]["_id"]
    queued = [i for i in rocket.livechat_inquiries_list() if i["rid"] == rid]
    assert len(queued) == 1 and queued[0]["status"] == "queued"
    assert agent.livechat_inquiries_take(queued[0]["_id"]) == {"success": True}
    one = agent.livechat_inquiries_get_one(rid)["inquiry"]
    assert one["status"] == "taken"
    served = rocket.livechat_room(token)["room"]["servedBy"]
    assert served["_id"] == agent_id


def test_agents_and_managers(rocket: RocketChat, agent_rocket: tuple[RocketChat, str]) -> None:
    _, agent_id = agent_rocket
    agents = list(rocket.livechat_get_users(user_type="agent", max_count=1000))
    assert agent_id in {a["_id"] for a in agents}
    got = rocket.livechat_get_user(user_type="agent", user_id=agent_id)
    assert got["user"]["_id"] == agent_id and got["user"]["statusLivechat"] == "available"
    assert rocket.livechat_get_user(user_type="manager", user_id=agent_id)["user"] is None
    assert rocket.livechat_delete_user(user_type="agent", user_id=agent_id) == {"success": True}
    assert rocket.livechat_get_user(user_type="agent", user_id=agent_id)["user"] is None


def test_appearance(rocket: RocketChat, livechat_server: LivechatTestServer) -> None:
    got = rocket.livechat_get_appearance()
    assert got["success"] is True
    current = {s["_id"]: s["value"] for s in got["appearance"]}
    for name in ("Livechat_title", "Livechat_registration_form"):
        livechat_server.set_setting(name, current[name])  # restored after the test
    saved = rocket.livechat_set_appearance(
        [
            {"_id": "Livechat_title", "value": "Support"},
            {"_id": "Livechat_registration_form", "value": "false"},
        ]
    )
    assert saved == {"success": True}
    after = {s["_id"]: s["value"] for s in rocket.livechat_get_appearance()["appearance"]}
    assert after["Livechat_title"] == "Support"
    assert after["Livechat_registration_form"] is False
    with pytest.raises(RocketApiException):
        rocket.livechat_set_appearance([{"_id": "Livechat_enabled", "value": False}])


def test_appearance_needs_a_manager(
    rocket: RocketChat, agent_rocket: tuple[RocketChat, str]
) -> None:
    agent, _ = agent_rocket
    with pytest.raises(RocketApiException):
        agent.livechat_get_appearance()
