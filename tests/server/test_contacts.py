"""``omnichannel/contacts*`` (Rocket.Chat 7.x+): exact answers, errors and permissions.

Rocket.Chat: ``apps/meteor/app/livechat/server/api/v1/contact.ts``,
``apps/meteor/app/livechat/server/lib/contacts/*.ts``; expectations from
``apps/meteor/tests/end-to-end/api/livechat/contacts.ts``.
"""

from __future__ import annotations

import secrets
from typing import Any

import httpx2
import pytest
from _server_helpers import error, new_chat, open_room, register

from rocketchat_livechat.testing.plugin import Agent, LivechatTestServer

pytestmark = pytest.mark.e2e

NO_PERMISSION = {
    "success": False,
    "error": "User does not have the permissions required for this action [error-unauthorized]",
}


def _unique(prefix: str) -> str:
    return f"{prefix}-{secrets.token_hex(5)}"


def _create(http: httpx2.Client, headers: dict[str, str], **fields: Any) -> str:
    body = {
        "name": _unique("Contact"),
        "emails": [f"{_unique('c')}@example.com"],
        "phones": [f"+1555{secrets.randbelow(10**7):07d}"],
        **fields,
    }
    response = http.post("omnichannel/contacts", json=body, headers=headers)
    assert response.status_code == 200, response.text
    contact_id: str = response.json()["contactId"]
    return contact_id


def _get(http: httpx2.Client, headers: dict[str, str], contact_id: str) -> dict[str, Any]:
    response = http.get(
        "omnichannel/contacts.get", params={"contactId": contact_id}, headers=headers
    )
    assert response.status_code == 200, response.text
    contact: dict[str, Any] = response.json()["contact"]
    return contact


def test_create_and_get(http: httpx2.Client, admin: dict[str, str], agent: Agent) -> None:
    name, email = _unique("Alice"), f"{_unique('a')}@example.com"
    contact_id = _create(
        http, admin, name=name, emails=[email], phones=["+15550001"], contactManager=agent.user_id
    )
    contact = _get(http, admin, contact_id)
    assert contact["name"] == name
    assert contact["emails"] == [{"address": email}]
    assert contact["phones"] == [{"phoneNumber": "+15550001"}]
    assert contact["contactManager"] == agent.user_id
    assert contact["unknown"] is False and contact["channels"] == []
    assert "createdAt" in contact and "lastChat" not in contact


def test_create_refusals(
    http: httpx2.Client, admin: dict[str, str], livechat_server: LivechatTestServer
) -> None:
    base = {"name": "X", "emails": ["x@example.com"], "phones": ["1"]}

    def post(body: dict[str, Any]) -> dict[str, Any]:
        return error(http.post("omnichannel/contacts", json=body, headers=admin))

    assert post({**base, "contactManager": "invalid"}) == {
        "success": False,
        "error": "error-contact-manager-not-found",
    }
    missing = {k: v for k, v in base.items() if k != "name"}
    assert post(missing) == {
        "success": False,
        "error": "must have required property 'name' [invalid-params]",
        "errorType": "invalid-params",
    }
    assert post({**base, "emails": "x"})["error"] == "must be array [invalid-params]"
    assert post({**base, "emails": [{"a": 1}]})["error"] == "must be string [invalid-params]"
    assert post({**base, "extra": 1})["error"] == (
        "must NOT have additional properties [invalid-params]"
    )
    assert post({**base, "phones": ["1", "1"]})["error"] == (
        "must NOT have duplicate items (items ## 0 and 1 are identical) [invalid-params]"
    )
    field = _unique("cf")
    livechat_server.define_custom_field(field, label="Custom Field 1", regexp="^[0-9]+$")
    assert post({**base, "customFields": {field: "abc"}})["error"] == (
        "Invalid value for Custom Field 1 field"
    )
    assert post({**base, "customFields": {"nope": "1"}})["error"] == (
        "Custom field nope is not allowed"
    )


def test_update(http: httpx2.Client, admin: dict[str, str], agent: Agent) -> None:
    contact_id = _create(http, admin)
    new_name = _unique("Bob")
    response = http.post(
        "omnichannel/contacts.update",
        json={
            "contactId": contact_id,
            "name": new_name,
            "emails": ["b@example.com"],
            "contactManager": agent.user_id,
        },
        headers=admin,
    )
    assert response.status_code == 200, response.text
    contact = response.json()["contact"]
    assert contact["_id"] == contact_id and contact["name"] == new_name
    assert contact["emails"] == [{"address": "b@example.com"}]
    assert contact["contactManager"] == agent.user_id and contact["unknown"] is False
    missing = http.post(
        "omnichannel/contacts.update", json={"contactId": "invalid", "name": "x"}, headers=admin
    )
    assert error(missing) == {"success": False, "error": "error-contact-not-found"}
    bad_manager = http.post(
        "omnichannel/contacts.update",
        json={"contactId": contact_id, "contactManager": "invalid"},
        headers=admin,
    )
    assert error(bad_manager)["error"] == "error-contact-manager-not-found"
    extra = http.post(
        "omnichannel/contacts.update",
        json={"contactId": contact_id, "unknown": True},
        headers=admin,
    )
    assert error(extra)["error"] == "must NOT have additional properties [invalid-params]"


def test_get_refusals(http: httpx2.Client, admin: dict[str, str]) -> None:
    missing = http.get("omnichannel/contacts.get", params={"contactId": "invalid"}, headers=admin)
    assert error(missing, 404) == {"success": False, "error": "Resource not found"}
    empty = http.get("omnichannel/contacts.get", params={"contactId": " "}, headers=admin)
    assert error(empty)["error"] == 'must pass "isNotEmpty" keyword validation [invalid-params]'
    unauthenticated = http.get("omnichannel/contacts.get", params={"contactId": "x"})
    assert unauthenticated.status_code == 401


def test_widget_visitor_becomes_a_contact_with_its_channel(
    http: httpx2.Client, admin: dict[str, str], agent: Agent, livechat_server: LivechatTestServer
) -> None:
    name = _unique("Widget Visitor")
    token = register(http, name=name)["token"]
    http.cookies.set("rc_room_type", "l")
    http.cookies.set("rc_is_widget", "t")
    room = open_room(http, token)
    http.cookies.clear()
    contact_id = room["contactId"]
    assert room["fname"] == name
    contact = _get(http, admin, contact_id)
    assert contact["name"] == name and contact["unknown"] is True
    [channel] = contact["channels"]
    assert channel["name"] == "widget"
    assert channel["visitor"] == {"visitorId": room["v"]["_id"], "source": {"type": "widget"}}
    assert channel["blocked"] is False and channel["verified"] is False
    assert channel["lastChat"]["_id"] == room["_id"]
    assert contact["lastChat"]["_id"] == room["_id"]
    found = http.get(
        "omnichannel/contacts.search", params={"searchText": name, "unknown": "true"}, headers=admin
    ).json()
    assert [c["_id"] for c in found["contacts"]] == [contact_id] and found["total"] == 1
    known = http.get(
        "omnichannel/contacts.search", params={"searchText": name}, headers=admin
    ).json()
    assert known["contacts"] == [] and known["total"] == 0
    channels = http.get(
        "omnichannel/contacts.channels", params={"contactId": contact_id}, headers=admin
    ).json()["channels"]
    assert [c["name"] for c in channels] == ["widget"]
    # no closed room yet; closing it puts it in the history
    history = http.get(
        "omnichannel/contacts.history", params={"contactId": contact_id}, headers=admin
    ).json()
    assert history["history"] == [] and history["total"] == 0
    livechat_server.close_room(agent, room["_id"])
    history = http.get(
        "omnichannel/contacts.history", params={"contactId": contact_id}, headers=agent.headers
    ).json()
    [item] = history["history"]
    assert item["_id"] == room["_id"] and item["source"]["type"] == "widget"
    assert item["closer"] == "user" and "closedAt" in item and "closedBy" in item
    assert history["count"] == 1 and history["total"] == 1 and history["offset"] == 0
    # a second room of the same visitor and source keeps one channel
    http.cookies.set("rc_room_type", "l")
    http.cookies.set("rc_is_widget", "t")
    second = open_room(http, token)
    http.cookies.clear()
    assert second["contactId"] == contact_id
    assert len(_get(http, admin, contact_id)["channels"]) == 1
    # the open room is answered again, whatever the source
    assert open_room(http, token)["_id"] == second["_id"]


def test_pre_registered_contact_is_linked(
    http: httpx2.Client, admin: dict[str, str], agent: Agent
) -> None:
    email = f"{_unique('pre')}@example.com"
    contact_id = _create(http, admin, name="Contact Name", emails=[email])
    _, room = new_chat(http, name="Visitor Name", email=email)
    assert room["contactId"] == contact_id and room["fname"] == "Contact Name"
    contact = _get(http, admin, contact_id)
    assert contact["name"] == "Contact Name"
    assert [c["visitor"]["source"] for c in contact["channels"]] == [{"type": "api"}]
    assert contact["conflictingFields"] == [{"field": "name", "value": "Visitor Name"}]


def test_rename_updates_rooms_and_inquiries(
    http: httpx2.Client, admin: dict[str, str], agent: Agent
) -> None:
    token, room = new_chat(http, name=_unique("Old"))
    new_name = _unique("New")
    response = http.post(
        "omnichannel/contacts.update",
        json={"contactId": room["contactId"], "name": new_name},
        headers=admin,
    )
    assert response.status_code == 200, response.text
    again = http.get("livechat/room", params={"token": token, "rid": room["_id"]}).json()["room"]
    assert again["fname"] == new_name


def test_registration_merges_into_unknown_contact(
    http: httpx2.Client, admin: dict[str, str], agent: Agent
) -> None:
    token, room = new_chat(http, name=_unique("First"))
    email = f"{_unique('m')}@example.com"
    register(http, token, name="Second Name", email=email)
    contact = _get(http, admin, room["contactId"])
    assert contact["name"] == "Second Name"  # unknown contacts are overwritten
    assert {"address": email} in contact["emails"]


def test_check_existence(http: httpx2.Client, admin: dict[str, str]) -> None:
    email = f"{_unique('e')}@example.com"
    contact_id = _create(http, admin, emails=[email], phones=["+15559999"])

    def exists(**params: str) -> Any:
        response = http.get("omnichannel/contacts.checkExistence", params=params, headers=admin)
        assert response.status_code == 200, response.text
        return response.json()["exists"]

    assert exists(contactId=contact_id) is True
    assert exists(email=email) is True
    assert exists(phone="+15559999") is True
    assert exists(contactId="nope") is False
    both = http.get(
        "omnichannel/contacts.checkExistence",
        params={"contactId": contact_id, "email": email},
        headers=admin,
    )
    assert error(both)["error"] == (
        "must NOT have additional properties\n must NOT have additional properties\n"
        " must have required property 'phone'\n must match exactly one schema in oneOf"
        " [invalid-params]"
    )
    bad_email = http.get(
        "omnichannel/contacts.checkExistence", params={"email": "nope"}, headers=admin
    )
    assert error(bad_email)["errorType"] == "invalid-params"


def test_history_and_channels_of_unknown_contact(
    http: httpx2.Client, admin: dict[str, str]
) -> None:
    missing = http.get(
        "omnichannel/contacts.history", params={"contactId": "invalid"}, headers=admin
    )
    assert error(missing) == {"success": False, "error": "error-contact-not-found"}
    channels = http.get(
        "omnichannel/contacts.channels", params={"contactId": "invalid"}, headers=admin
    )
    assert channels.status_code == 200 and channels.json()["channels"] == []


def test_search_resolves_the_manager(
    http: httpx2.Client, admin: dict[str, str], agent: Agent
) -> None:
    name = _unique("Managed")
    contact_id = _create(http, admin, name=name, contactManager=agent.user_id)
    found = http.get(
        "omnichannel/contacts.search", params={"searchText": name.upper()}, headers=admin
    ).json()
    [contact] = found["contacts"]
    assert contact["_id"] == contact_id
    assert contact["contactManager"]["_id"] == agent.user_id
    assert contact["contactManager"]["username"] == agent.username
    assert found["offset"] == 0 and found["total"] == 1


def test_conflicts(http: httpx2.Client, admin: dict[str, str], agent: Agent) -> None:
    no_conflicts = _create(http, admin)
    response = http.post(
        "omnichannel/contacts.conflicts", json={"contactId": no_conflicts}, headers=admin
    )
    assert error(response) == {"success": False, "error": "error-contact-has-no-conflicts"}
    email = f"{_unique('cf')}@example.com"
    contact_id = _create(http, admin, name="Kept", emails=[email])
    new_chat(http, name="Incoming", email=email)
    response = http.post(
        "omnichannel/contacts.conflicts",
        json={"contactId": contact_id, "name": "Incoming"},
        headers=admin,
    )
    assert response.status_code == 200, response.text
    result = response.json()["result"]
    assert result["name"] == "Incoming" and result["conflictingFields"] == []


def test_delete(http: httpx2.Client, admin: dict[str, str]) -> None:
    contact_id = _create(http, admin)
    response = http.post(
        "omnichannel/contacts.delete", json={"contactId": contact_id}, headers=admin
    )
    assert response.status_code == 200 and response.json() == {"success": True}
    gone = http.get("omnichannel/contacts.get", params={"contactId": contact_id}, headers=admin)
    assert gone.status_code == 404
    missing = http.post("omnichannel/contacts.delete", json={"contactId": "nope"}, headers=admin)
    assert error(missing, 404) == {"success": False, "error": "error-contact-not-found"}


def test_permissions(http: httpx2.Client, livechat_server: LivechatTestServer) -> None:
    agent = livechat_server.create_agent(available=False)
    contact_id = _create(http, agent.headers)  # agents hold create-livechat-contact
    assert _get(http, agent.headers, contact_id)["_id"] == contact_id
    denied = http.post(
        "omnichannel/contacts.delete", json={"contactId": contact_id}, headers=agent.headers
    )
    assert error(denied, 403) == NO_PERMISSION
    user = http.post(
        "users.create",
        json={
            "email": f"{_unique('u')}@example.com",
            "name": "Plain",
            "username": _unique("plain"),
            "password": "pw-123456",
        },
        headers=livechat_server.admin_headers,
    )
    assert user.status_code == 200, user.text
    login = http.post(
        "login", json={"user": user.json()["user"]["username"], "password": "pw-123456"}
    ).json()["data"]
    plain = {"X-User-Id": login["userId"], "X-Auth-Token": login["authToken"]}
    for method, path, kwargs in (
        ("POST", "omnichannel/contacts", {"json": {"name": "x", "emails": [], "phones": []}}),
        ("POST", "omnichannel/contacts.update", {"json": {"contactId": contact_id}}),
        ("GET", "omnichannel/contacts.get", {"params": {"contactId": contact_id}}),
        ("GET", "omnichannel/contacts.search", {}),
        ("GET", "omnichannel/contacts.history", {"params": {"contactId": contact_id}}),
        ("GET", "omnichannel/contacts.channels", {"params": {"contactId": contact_id}}),
        ("GET", "omnichannel/contacts.checkExistence", {"params": {"contactId": contact_id}}),
    ):
        response = http.request(method, path, headers=plain, **kwargs)
        assert error(response, 403) == NO_PERMISSION, path
