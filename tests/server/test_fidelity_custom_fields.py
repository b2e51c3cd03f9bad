"""Custom field definitions and ``POST livechat/visitor``'s custom fields, from Rocket.Chat's tests.

Cases from ``apps/meteor/tests/end-to-end/api/livechat/custom-fields-save.ts``,
``03-custom-fields.ts`` and ``09-visitors.ts`` (describe ``livechat/visitor``); behaviour from
``apps/meteor/app/livechat/imports/server/rest/customField.ts`` and
``app/livechat/server/api/v1/visitor.ts`` (8.8.1).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import Any

import httpx2
import pytest
from _server_helpers import error, new_token, register

from rocketchat_livechat.testing.plugin import LivechatTestServer

SAVE = "livechat/custom-fields.save"
DELETE = "livechat/custom-fields.delete"
UNAUTHORIZED = "User does not have the permissions required for this action [error-unauthorized]"


def field_name(prefix: str = "field") -> str:
    return f"{prefix}_{secrets.token_hex(4)}"


@pytest.fixture
def created(http: httpx2.Client, admin: dict[str, str]) -> Iterator[list[str]]:
    """Names of definitions the test creates; deleted afterwards."""
    names: list[str] = []
    yield names
    for name in names:
        http.post(DELETE, json={"customFieldId": name}, headers=admin)


def save(
    http: httpx2.Client, admin: dict[str, str], data: dict[str, Any], field_id: str | None = None
) -> httpx2.Response:
    return http.post(SAVE, json={"customFieldId": field_id, "customFieldData": data}, headers=admin)


@pytest.fixture
def plain_user(http: httpx2.Client, admin: dict[str, str]) -> dict[str, str]:
    """A user without any livechat role."""
    name = f"plain-{new_token()}"
    http.post(
        "users.create",
        json={"username": name, "email": f"{name}@x.io", "name": "P", "password": "pw-123456"},
        headers=admin,
    ).raise_for_status()
    login = http.post("login", json={"user": name, "password": "pw-123456"}).json()["data"]
    return {"X-User-Id": login["userId"], "X-Auth-Token": login["authToken"]}


# --- livechat/custom-fields.save ----------------------------------------------------------------


def test_save_needs_a_login_and_the_manager_permission(
    http: httpx2.Client, plain_user: dict[str, str]
) -> None:
    data = {
        "field": "test_field",
        "label": "Test Field",
        "scope": "visitor",
        "visibility": "public",
    }
    body = {"customFieldId": None, "customFieldData": data}
    assert http.post(SAVE, json=body).status_code == 401
    assert error(http.post(SAVE, json=body, headers=plain_user), 403) == {
        "success": False,
        "error": UNAUTHORIZED,
    }


def test_create_with_minimal_fields_and_any_visibility(
    http: httpx2.Client, admin: dict[str, str], created: list[str]
) -> None:
    for visibility in ("public", "visible", "hidden", "anything"):
        name = field_name()
        data = {"field": name, "label": "Test Field", "scope": "visitor", "visibility": visibility}
        answer = save(http, admin, data).json()
        created.append(name)
        assert answer["success"] is True
        field = answer["customField"]
        assert (field["_id"], field["label"], field["scope"]) == (name, "Test Field", "visitor")
        assert field["visibility"] == visibility
        # Rocket.Chat answers the record it wrote: no defaults added, no ``field``
        assert set(field) == {"_id", "label", "scope", "visibility", "_updatedAt"}


def test_create_room_scope_all_optional_fields_and_extra_keys(
    http: httpx2.Client, admin: dict[str, str], created: list[str]
) -> None:
    room = field_name("room_field")
    data = {"field": room, "label": "Room Test Field", "scope": "room", "visibility": "public"}
    assert save(http, admin, data).json()["customField"]["scope"] == "room"
    created.append(room)
    full = field_name("full_field")
    data = {
        "field": full,
        "label": "Full Test Field",
        "scope": "visitor",
        "visibility": "public",
        "type": "input",
        "regexp": "^[A-Za-z]+$",
        "required": True,
        "defaultValue": "default",
        "options": "option1,option2,option3",
        "public": True,
        "searchable": True,
        "extraKey": {"kept": "as given"},  # customFieldData is not closed: extra keys are saved
    }
    field = save(http, admin, data).json()["customField"]
    created.append(full)
    expected = {k: v for k, v in data.items() if k != "field"}
    assert {k: field[k] for k in expected} == expected
    stored = http.get(f"livechat/custom-fields/{full}", headers=admin).json()["customField"]
    assert stored["extraKey"] == {"kept": "as given"} and stored["required"] is True


def test_duplicate_and_missing_definitions_fail(
    http: httpx2.Client, admin: dict[str, str], created: list[str]
) -> None:
    name = field_name("duplicate_field")
    data = {"field": name, "label": "First Field", "scope": "visitor", "visibility": "public"}
    assert save(http, admin, data).status_code == 200
    created.append(name)
    again = save(http, admin, {**data, "label": "Second Field"})
    assert error(again) == {"success": False, "error": "Custom Field already exists"}
    missing = save(http, admin, {**data, "field": "test_field"}, field_id="non-existent-id")
    assert error(missing) == {"success": False, "error": "Custom Field Not found"}


def test_update_an_existing_definition(
    http: httpx2.Client, admin: dict[str, str], created: list[str]
) -> None:
    name = field_name("update_test_field")
    original = {
        "field": name,
        "label": "Original Label",
        "defaultValue": "original_default",
        "scope": "visitor",
        "visibility": "public",
        "regexp": "",
        "searchable": True,
    }
    save(http, admin, original).raise_for_status()
    created.append(name)
    update = {
        "field": name,
        "label": "Fully Updated Field",
        "scope": "visitor",
        "visibility": "public",
        "type": "select",
        "regexp": "^[0-9]+$",
        "required": True,
        "defaultValue": "new_default",
        "options": "opt1,opt2,opt3",
        "public": True,
        "searchable": False,
    }
    answer = save(http, admin, update, field_id=name).json()
    field = answer["customField"]
    assert answer["success"] is True and "_id" not in field  # the $set record, as Rocket.Chat
    assert {k: field[k] for k in update if k != "field"} == {
        k: v for k, v in update.items() if k != "field"
    }
    stored = http.get(f"livechat/custom-fields/{name}", headers=admin).json()["customField"]
    assert stored["_id"] == name and stored["label"] == "Fully Updated Field"


def test_save_validation_errors_are_the_typed_routes(
    http: httpx2.Client, admin: dict[str, str]
) -> None:
    bad_name = save(
        http, admin, {"field": "no spaces", "label": "L", "scope": "visitor", "visibility": "v"}
    )
    assert error(bad_name) == {
        "success": False,
        "errorType": "error-invalid-params",
        "error": 'must match pattern "^[0-9a-zA-Z_-]+$"',
    }
    bad_scope = save(http, admin, {"field": "f", "label": "L", "scope": "x", "visibility": "v"})
    assert error(bad_scope)["error"] == "must be equal to one of the allowed values"
    no_visibility = save(http, admin, {"field": "f", "label": "L", "scope": "room"})
    assert error(no_visibility)["error"] == "must have required property 'visibility'"


# --- livechat/custom-fields.delete, list, get -----------------------------------------------------


def test_delete_takes_custom_field_id(
    http: httpx2.Client, admin: dict[str, str], plain_user: dict[str, str]
) -> None:
    name = field_name()
    data = {"field": name, "label": "L", "scope": "visitor", "visibility": "public"}
    save(http, admin, data).raise_for_status()
    old_shape = http.post(DELETE, json={"_id": name}, headers=admin)
    assert error(old_shape) == {
        "success": False,
        "errorType": "error-invalid-params",
        "error": "must have required property 'customFieldId'",
    }
    denied = http.post(DELETE, json={"customFieldId": name}, headers=plain_user)
    assert error(denied, 403) == {"success": False, "error": UNAUTHORIZED}
    assert http.post(DELETE, json={"customFieldId": name}, headers=admin).json() == {
        "success": True
    }
    again = http.post(DELETE, json={"customFieldId": name}, headers=admin)
    assert error(again) == {"success": False, "error": "Custom field not found"}
    assert http.get(f"livechat/custom-fields/{name}", headers=admin).json() == {
        "customField": None,
        "success": True,
    }


def test_list_and_get_need_view_l_room(
    http: httpx2.Client, admin: dict[str, str], plain_user: dict[str, str]
) -> None:
    assert error(http.get("livechat/custom-fields", headers=plain_user), 403)["error"] == (
        UNAUTHORIZED
    )
    assert error(http.get("livechat/custom-fields/invalid-id", headers=plain_user), 403)
    listed = http.get("livechat/custom-fields", params={"count": 5, "offset": 0}, headers=admin)
    body = listed.json()
    assert isinstance(body["customFields"], list)
    assert {"offset", "total", "count"} <= set(body)


# --- POST livechat/visitor with customFields (09-visitors.ts) ---------------------------------


def visitor_with(http: httpx2.Client, token: str, *fields: tuple[str, str, bool]) -> Any:
    custom = [{"key": k, "value": v, "overwrite": o} for k, v, o in fields]
    return http.post("livechat/visitor", json={"visitor": {"token": token, "customFields": custom}})


def test_registration_saves_and_updates_known_visitor_fields(
    http: httpx2.Client, livechat_server: LivechatTestServer
) -> None:
    name = field_name("new_custom_field")
    livechat_server.define_custom_field(name, default_value="test_default_address")
    token = new_token()
    visitor = visitor_with(http, token, (name, "Not a real address :)", True)).json()["visitor"]
    assert visitor["token"] == token
    assert visitor["livechatData"][name] == "Not a real address :)"
    again = visitor_with(http, token, (name, "Another address", True)).json()["visitor"]
    assert again["livechatData"][name] == "Another address"


def test_registration_ignores_unknown_and_room_scoped_fields(
    http: httpx2.Client, livechat_server: LivechatTestServer
) -> None:
    token = new_token()
    unknown = visitor_with(http, token, (field_name("nope"), "x", True)).json()
    assert unknown["success"] is True and "livechatData" not in unknown["visitor"]
    room_field = field_name("room_scoped")
    livechat_server.define_custom_field(room_field, scope="room")
    token = new_token()
    room = visitor_with(http, token, (room_field, "x", True)).json()
    assert room["success"] is True and "livechatData" not in room["visitor"]


def test_registration_keeps_a_value_without_overwrite(
    http: httpx2.Client, livechat_server: LivechatTestServer
) -> None:
    name = field_name("kept")
    livechat_server.define_custom_field(name)
    token = new_token()
    visitor_with(http, token, (name, "Not a real address :)", True)).raise_for_status()
    kept = visitor_with(http, token, (name, "This should not change!", False)).json()
    assert kept["visitor"]["livechatData"][name] == "Not a real address :)"


def test_required_fields_are_checked_only_when_custom_fields_are_sent(
    http: httpx2.Client, livechat_server: LivechatTestServer
) -> None:
    optional = field_name("optional_custom_field")
    required = field_name("required_custom_field")
    livechat_server.define_custom_field(optional, default_value="default_value")
    livechat_server.define_custom_field(required, default_value="default_value", required=True)
    plain = register(http, new_token())  # no customFields: no check
    assert plain["token"]
    missing = visitor_with(http, new_token(), (optional, "test", True))
    assert error(missing) == {
        "success": False,
        "error": f"Missing required custom fields: {required}",
    }
    both = visitor_with(http, new_token(), (optional, "a", True), (required, "b", True)).json()
    assert both["visitor"]["livechatData"] == {optional: "a", required: "b"}


def test_hidden_required_fields_are_not_demanded(
    http: httpx2.Client, livechat_server: LivechatTestServer
) -> None:
    """``findByScope('visitor', …, includeHidden=false)``: hidden definitions take no part."""
    shown = field_name("shown")
    hidden = field_name("hidden_required")
    livechat_server.define_custom_field(shown)
    livechat_server.define_custom_field(hidden, visibility="hidden", required=True)
    answer = visitor_with(http, new_token(), (shown, "v", True), (hidden, "h", True)).json()
    assert answer["visitor"]["livechatData"] == {shown: "v"}


def test_save_without_custom_field_data_is_rocketchats_type_error(
    http: httpx2.Client, admin: dict[str, str]
) -> None:
    """rest-typings does not require ``customFieldData``; the handler's failure is the answer."""
    answer = http.post(SAVE, json={}, headers=admin)
    assert answer.status_code == 400
    assert answer.json() == {
        "success": False,
        "error": "Cannot read properties of undefined (reading 'field')",
    }
