"""Visitor endpoints (§3.4-3.6, §3.20, §3.22-3.25)."""

from __future__ import annotations

import re

import httpx2
import pytest
from _server_helpers import error, new_chat, new_token, register

from rocketchat_livechat.testing.plugin import Agent, LivechatTestServer

pytestmark = pytest.mark.e2e

HEX24 = re.compile(r"^[0-9a-f]{24}$")


def test_register_creates_visitor(http: httpx2.Client) -> None:
    token = new_token()
    visitor = register(http, token, name="Alice", email=" Alice@Example.COM ", phone="+123")
    assert HEX24.match(visitor["_id"])
    assert re.fullmatch(r"guest-\d+", visitor["username"])
    assert visitor["token"] == token and visitor["status"] == "online"
    assert visitor["visitorEmails"] == [{"address": "alice@example.com"}]
    assert visitor["phone"] == [{"phoneNumber": "+123"}]
    assert visitor["ts"].endswith("Z") and len(visitor["ts"]) == 24
    again = register(http, token, name="Alice B")
    assert again["_id"] == visitor["_id"] and again["name"] == "Alice B"
    got = http.get(f"livechat/visitor/{token}").json()
    assert got["success"] is True and got["visitor"]["name"] == "Alice B"


def test_register_custom_id_and_username(http: httpx2.Client) -> None:
    visitor = register(http, id="my-custom-id", username="vip")
    assert visitor["_id"] == "my-custom-id" and visitor["username"] == "vip"


def test_guest_numbers_increase(http: httpx2.Client) -> None:
    first = int(register(http)["username"].split("-")[1])
    second = int(register(http)["username"].split("-")[1])
    assert second == first + 1


def test_register_matches_phone_then_email(http: httpx2.Client) -> None:
    phone = f"+1{new_token()[-8:]}"
    original = register(http, phone=phone)
    by_phone = register(http, new_token(), phone=phone)
    assert by_phone["_id"] == original["_id"] and by_phone["token"] == original["token"]
    email = f"{new_token()}@example.com"
    first = register(http, email=email)
    token = new_token()
    by_email = register(http, token, email=email)
    assert by_email["_id"] == first["_id"] and by_email["token"] == token


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({}, "must have required property 'visitor' [invalid-params]"),
        ({"visitor": {}}, "must have required property 'token' [invalid-params]"),
        (
            {"visitor": {"token": "t"}, "x": 1},
            "must NOT have additional properties [invalid-params]",
        ),
        ({"visitor": {"token": {}}}, "must be string [invalid-params]"),
        (
            {"visitor": {"token": "t", "customFields": [{"key": "a"}]}},
            "must have required property 'value' [invalid-params]",
        ),
    ],
)
def test_register_validation(http: httpx2.Client, body: dict[str, object], expected: str) -> None:
    assert error(http.post("livechat/visitor", json=body)) == {
        "success": False,
        "error": expected,
        "errorType": "invalid-params",
    }


def test_register_business_errors(http: httpx2.Client) -> None:
    empty = http.post("livechat/visitor", json={"visitor": {"token": "  "}})
    assert error(empty) == {
        "success": False,
        "error": "Token cannot be empty [error-invalid-token]",
        "errorType": "error-invalid-token",
        "details": {"method": "livechat/visitor"},
    }
    bad_email = http.post("livechat/visitor", json={"visitor": {"token": "t1", "email": "NOPE"}})
    assert error(bad_email) == {
        "success": False,
        "error": "Invalid email nope [error-invalid-email]",
        "errorType": "error-invalid-email",
        "details": {"function": "Livechat.validateEmail", "email": "nope"},
    }
    bad_dept = http.post("livechat/visitor", json={"visitor": {"token": "t2", "department": "zz"}})
    assert error(bad_dept) == {
        "success": False,
        "error": "The provided department is invalid [error-invalid-department]",
        "errorType": "error-invalid-department",
    }


def test_register_department_by_name(
    http: httpx2.Client, livechat_server: LivechatTestServer
) -> None:
    dept = livechat_server.create_department(f"Sales {new_token()}")
    visitor = register(http, department=dept["name"])
    assert visitor["department"] == dept["_id"]


def test_get_unknown_visitor(http: httpx2.Client) -> None:
    assert error(http.get("livechat/visitor/nope")) == {
        "success": False,
        "error": "[invalid-token]",
        "errorType": "invalid-token",
    }


def test_delete_visitor(
    http: httpx2.Client, agent: Agent, livechat_server: LivechatTestServer
) -> None:
    token, room = new_chat(http)
    http.post("livechat/message", json={"token": token, "rid": room["_id"], "msg": "hi"})
    assert error(http.delete(f"livechat/visitor/{token}")) == {
        "success": False,
        "error": "Cannot remove visitors with opened rooms [visitor-has-open-rooms]",
        "errorType": "visitor-has-open-rooms",
    }
    livechat_server.close_room(agent, room["_id"])
    body = http.delete(f"livechat/visitor/{token}").json()
    assert body["success"] is True and body["visitor"]["ts"].endswith("Z")
    assert error(http.get(f"livechat/visitor/{token}"))["errorType"] == "invalid-token"
    rooms = http.get(
        "livechat/rooms", params={"agents[]": [agent.user_id]}, headers=agent.headers
    ).json()
    assert all(r["_id"] != room["_id"] for r in rooms["rooms"])
    assert error(http.delete(f"livechat/visitor/{token}"))["errorType"] == "invalid-token"


def test_visitor_status(http: httpx2.Client, agent: Agent) -> None:
    token, room = new_chat(http)
    body = http.post("livechat/visitor.status", json={"token": token, "status": "away"}).json()
    assert body == {"token": token, "status": "away", "success": True}
    reread = http.get("livechat/room", params={"token": token, "rid": room["_id"]}).json()
    assert reread["room"]["v"]["status"] == "away"
    assert error(http.post("livechat/visitor.status", json={"token": token})) == {
        "success": False,
        "error": "Match error: Missing key 'status'",
    }
    unknown = http.post("livechat/visitor.status", json={"token": "x", "status": "away"})
    assert error(unknown)["error"] == "[invalid-token]"
    assert (
        error(http.post("livechat/visitor.status", json={"token": 1, "status": "a"}))["error"]
        == "Match error: Expected string, got number in field token"
    )


def test_visitor_rooms_for_managers(
    http: httpx2.Client, agent: Agent, admin: dict[str, str]
) -> None:
    token, room = new_chat(http)
    rooms = http.get(f"livechat/visitor/{token}/room", headers=admin).json()["rooms"]
    assert [r["_id"] for r in rooms] == [room["_id"]]
    assert error(http.get(f"livechat/visitor/{token}/room", headers=agent.headers), 403)


def _define_field(http: httpx2.Client, admin: dict[str, str], field: str, **data: object) -> None:
    body = {
        "customFieldId": None,
        "customFieldData": {
            "field": field,
            "label": field.title(),
            "visibility": "visible",
            **data,
        },
    }
    assert http.post("livechat/custom-fields.save", json=body, headers=admin).json()["success"]


def test_custom_fields(http: httpx2.Client, admin: dict[str, str], agent: Agent) -> None:
    suffix = new_token()[-6:]
    vfield, rfield = f"plan{suffix}", f"order{suffix}"
    _define_field(http, admin, vfield, scope="visitor", regexp="^[a-z]+$", public=True)
    _define_field(http, admin, rfield, scope="room")
    token = register(http)["token"]

    def set_field(key: str, value: str, overwrite: bool) -> httpx2.Response:
        body = {"token": token, "key": key, "value": value, "overwrite": overwrite}
        return http.post("livechat/custom.field", json=body)

    assert set_field(vfield, "gold", True).json() == {
        "field": {"key": vfield, "value": "gold", "overwrite": True},
        "success": True,
    }
    assert error(set_field(vfield, "silver", False)) == {"success": False}
    assert error(set_field(vfield, "gold", True)) == {"success": False}
    assert error(set_field(vfield, "123", True)) == {
        "success": False,
        "error": f"Invalid value for {vfield} field",
    }
    assert error(set_field("nope", "x", True)) == {
        "success": False,
        "error": "invalid-custom-field",
    }
    assert error(set_field(rfield, "x", True)) == {"success": False}  # no open room yet
    assert http.get(f"livechat/visitor/{token}").json()["visitor"]["livechatData"] == {
        vfield: "gold"
    }
    room = http.get("livechat/room", params={"token": token}).json()["room"]
    many = http.post(
        "livechat/custom.fields",
        json={"token": token, "customFields": [{"key": rfield, "value": "42", "overwrite": True}]},
    ).json()
    assert many == {"fields": [{"Key": rfield, "value": "42", "overwrite": True}], "success": True}
    again = http.post(
        "livechat/custom.fields",
        json={"token": token, "customFields": [{"key": rfield, "value": "42", "overwrite": True}]},
    )
    assert error(again) == {"success": False, "error": "error-setting-custom-field"}
    rooms = http.get(
        "livechat/rooms", headers=admin, params={"customFields": f'{{"{rfield}":"42"}}'}
    )
    assert [r["_id"] for r in rooms.json()["rooms"]] == [room["_id"]]
    assert error(
        http.post(
            "livechat/custom.field",
            json={"token": "unknown", "key": vfield, "value": "a", "overwrite": True},
        )
    ) == {"success": False, "error": "invalid-token"}
    config = http.get("livechat/config").json()["config"]
    assert any(f["_id"] == vfield for f in config["customFields"])


def test_register_with_custom_fields(http: httpx2.Client, admin: dict[str, str]) -> None:
    field = f"tier{new_token()[-6:]}"
    _define_field(http, admin, field, scope="visitor")
    visitor = register(
        http,
        customFields=[
            {"key": field, "value": "a", "overwrite": False},
            {"key": "undefined-key", "value": "b", "overwrite": True},
        ],
    )
    assert visitor["livechatData"] == {field: "a"}


def test_page_visited(http: httpx2.Client, agent: Agent) -> None:
    token = register(http)["token"]
    page = {"title": "Pricing", "change": "url", "location": {"href": "https://x.io/p"}}
    body = http.post("livechat/page.visited", json={"token": token, "pageInfo": page}).json()
    assert body == {
        "page": {"msg": "Pricing - https://x.io/p", "navigation": {"page": page, "token": token}},
        "success": True,
    }
    ignored = {**page, "change": "title"}
    assert http.post(
        "livechat/page.visited", json={"token": token, "pageInfo": ignored}
    ).json() == {"success": True}
    missing = http.post("livechat/page.visited", json={"token": token, "pageInfo": {"title": "x"}})
    assert error(missing)["error"] == "must have required property 'change' [invalid-params]"
