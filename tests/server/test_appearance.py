"""``GET`` / ``POST livechat/appearance`` as Rocket.Chat answers them.

The cases follow Rocket.Chat's ``apps/meteor/tests/end-to-end/api/livechat/02-appearance.ts``,
which checks the effect of a save through ``GET livechat/config``, plus exact bodies.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx2
import pytest
from _server_helpers import error, register

from rocketchat_livechat.server import EmbeddedServer
from rocketchat_livechat.testing.plugin import LivechatTestServer

pytestmark = pytest.mark.e2e

APPEARANCE_IDS = [
    "Livechat_title",
    "Livechat_title_color",
    "Livechat_enable_message_character_limit",
    "Livechat_message_character_limit",
    "Livechat_show_agent_info",
    "Livechat_show_agent_email",
    "Livechat_display_offline_form",
    "Livechat_offline_form_unavailable",
    "Livechat_offline_message",
    "Livechat_offline_success_message",
    "Livechat_offline_title",
    "Livechat_offline_title_color",
    "Livechat_offline_email",
    "Livechat_conversation_finished_message",
    "Livechat_conversation_finished_text",
    "Livechat_registration_form",
    "Livechat_name_field_registration_form",
    "Livechat_email_field_registration_form",
    "Livechat_registration_form_message",
    "Livechat_hide_watermark",
    "Livechat_background",
    "Livechat_widget_position",
    "Livechat_hide_system_messages",
    "Omnichannel_allow_visitors_to_close_conversation",
    "Livechat_hide_expand_chat",
]
LOGIN_REQUIRED = {
    "success": False,
    "error": "You must be logged in to do this.",
    "status": "error",
    "message": "You must be logged in to do this.",
}
FORBIDDEN = {
    "success": False,
    "error": "User does not have the permissions required for this action [error-unauthorized]",
}


@pytest.fixture(autouse=True)
def _restore_appearance(livechat_embedded_server: EmbeddedServer) -> Iterator[None]:
    settings = livechat_embedded_server.state.settings
    before = {name: settings[name] for name in APPEARANCE_IDS}
    yield
    settings.update(before)


def save(http: httpx2.Client, admin: dict[str, str], body: Any) -> httpx2.Response:
    return http.post("livechat/appearance", json=body, headers=admin)


def appearance(http: httpx2.Client, admin: dict[str, str]) -> dict[str, dict[str, Any]]:
    response = http.get("livechat/appearance", headers=admin)
    assert response.status_code == 200, response.text
    return {doc["_id"]: doc for doc in response.json()["appearance"]}


def config_settings(http: httpx2.Client) -> dict[str, Any]:
    settings: dict[str, Any] = http.get("livechat/config").json()["config"]["settings"]
    return settings


def test_get_answers_the_setting_documents(http: httpx2.Client, admin: dict[str, str]) -> None:
    response = http.get("livechat/appearance", headers=admin)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"appearance", "success"} and body["success"] is True
    assert [doc["_id"] for doc in body["appearance"]] == APPEARANCE_IDS
    assert all(
        set(doc) >= {"_id", "value", "type", "packageValue", "_updatedAt"}
        for doc in body["appearance"]
    )
    docs = {doc["_id"]: doc for doc in body["appearance"]}
    assert docs["Livechat_title"]["packageValue"] == "Rocket.Chat"
    assert docs["Livechat_title"]["type"] == "string"
    assert docs["Livechat_registration_form"]["type"] == "boolean"
    assert docs["Livechat_message_character_limit"]["type"] == "int"
    assert docs["Livechat_hide_expand_chat"]["packageValue"] is False
    hidden = docs["Livechat_hide_system_messages"]
    assert hidden["type"] == "multiSelect"
    assert hidden["packageValue"] == ["uj", "ul", "livechat-close"]
    assert [option["key"] for option in hidden["values"]] == [
        "uj",
        "ul",
        "livechat-close",
        "livechat-started",
        "livechat_transfer_history",
    ]


def test_both_methods_need_a_user(http: httpx2.Client) -> None:
    assert error(http.get("livechat/appearance"), 401) == LOGIN_REQUIRED
    assert error(http.post("livechat/appearance", json={}), 401) == LOGIN_REQUIRED
    visitor = {"x-visitor-token": register(http)["token"]}
    assert error(http.get("livechat/appearance", headers=visitor), 401) == LOGIN_REQUIRED
    body = [{"_id": "Livechat_title", "value": "x"}]
    assert error(save(http, visitor, body), 401) == LOGIN_REQUIRED


def test_both_methods_need_view_livechat_manager(
    http: httpx2.Client, admin: dict[str, str], livechat_server: LivechatTestServer
) -> None:
    agent = livechat_server.create_agent()
    valid = [{"_id": "Livechat_title", "value": "test"}]
    assert error(http.get("livechat/appearance", headers=agent.headers), 403) == FORBIDDEN
    assert error(save(http, agent.headers, valid), 403) == FORBIDDEN
    # as in Rocket.Chat, the body is validated before the permissions are checked
    invalid = error(save(http, agent.headers, []))
    assert invalid["errorType"] == "invalid-params"
    made = http.post("livechat/users/manager", json={"username": agent.username}, headers=admin)
    assert made.status_code == 200, made.text
    assert http.get("livechat/appearance", headers=agent.headers).status_code == 200
    assert save(http, agent.headers, valid).json() == {"success": True}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "must be array"),
        ([], "must NOT have fewer than 1 items"),
        ([{"name": "Livechat_title"}], "must have required property '_id'"),
        ([{"value": "test"}], "must have required property '_id'"),
        ([{"_id": "Livechat_title"}], "must have required property 'value'"),
        ([{"_id": "Livechat_title", "value": {}}], "must be string,boolean,number,array"),
        ([{"_id": "Livechat_title", "value": "x", "x": 1}], "must NOT have additional properties"),
    ],
)
def test_body_is_validated(
    http: httpx2.Client, admin: dict[str, str], body: Any, message: str
) -> None:
    assert error(save(http, admin, body)) == {
        "success": False,
        "error": f"{message} [invalid-params]",
        "errorType": "invalid-params",
    }


def test_form_body_is_not_an_array(http: httpx2.Client, admin: dict[str, str]) -> None:
    response = http.post("livechat/appearance", data={"_id": "Livechat_title"}, headers=admin)
    assert error(response)["error"] == "must be array [invalid-params]"


@pytest.mark.parametrize("setting_id", ["invalid", "Livechat_enabled", "livechat_title"])
def test_an_unknown_id_fails_the_whole_call(
    http: httpx2.Client, admin: dict[str, str], setting_id: str
) -> None:
    body = [{"_id": "Livechat_title", "value": "changed"}, {"_id": setting_id, "value": "x"}]
    assert error(save(http, admin, body)) == {"success": False, "error": "invalid-setting"}
    assert appearance(http, admin)["Livechat_title"]["value"] != "changed"


def test_save_answers_success_and_the_widget_sees_it(
    http: httpx2.Client, admin: dict[str, str]
) -> None:
    response = save(http, admin, [{"_id": "Livechat_title", "value": "test"}])
    assert response.status_code == 200
    assert response.json() == {"success": True}
    assert http.get("livechat/config").json()["config"]["theme"]["title"] == "test"


@pytest.mark.parametrize(
    ("sent", "stored"),
    [(True, True), (False, False), ("true", True), ("false", False), ("xxxx", False), (1, False)],
)
def test_boolean_settings(
    http: httpx2.Client, admin: dict[str, str], sent: Any, stored: bool
) -> None:
    save(http, admin, [{"_id": "Livechat_registration_form", "value": not stored}])
    assert save(http, admin, [{"_id": "Livechat_registration_form", "value": sent}]).is_success
    assert config_settings(http)["registrationForm"] is stored


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        (100, 100),
        ("100", 100),
        (" 12abc", 12),
        ("-7", -7),
        ("1e3", 1),
        ("xxxx", 0),
        ("", 0),
        (True, 0),
        (["5"], 0),
        (2.5, 2.5),
    ],
)
def test_int_settings(http: httpx2.Client, admin: dict[str, str], sent: Any, stored: Any) -> None:
    save(http, admin, [{"_id": "Livechat_message_character_limit", "value": 999}])
    assert save(
        http, admin, [{"_id": "Livechat_message_character_limit", "value": sent}]
    ).is_success
    value = appearance(http, admin)["Livechat_message_character_limit"]["value"]
    assert value == stored and type(value) is type(stored)


def test_int_limit_reaches_the_widget(http: httpx2.Client, admin: dict[str, str]) -> None:
    enable = {"_id": "Livechat_enable_message_character_limit", "value": True}
    save(http, admin, [{"_id": "Livechat_message_character_limit", "value": "100"}, enable])
    assert config_settings(http)["limitTextLength"] == 100
    save(http, admin, [{"_id": "Livechat_message_character_limit", "value": "xxxx"}])
    assert config_settings(http)["limitTextLength"] == 5000  # 0: Message_MaxAllowedSize
    save(http, admin, [{"_id": "Livechat_enable_message_character_limit", "value": "xxxx"}])
    assert config_settings(http)["limitTextLength"] is False


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        (["uj"], ["uj"]),
        (["uj", "ul"], ["uj", "ul"]),
        ([], []),
        ("uj", ["livechat-started"]),  # not an array: skipped
        (["uj", "invalid"], ["livechat-started"]),  # not an option key: skipped
        ([1], ["livechat-started"]),
    ],
)
def test_multiselect_settings(
    http: httpx2.Client, admin: dict[str, str], sent: Any, stored: list[str]
) -> None:
    save(http, admin, [{"_id": "Livechat_hide_system_messages", "value": ["livechat-started"]}])
    assert save(http, admin, [{"_id": "Livechat_hide_system_messages", "value": sent}]).is_success
    assert config_settings(http)["hiddenSystemMessages"] == stored


@pytest.mark.parametrize(("sent", "stored"), [("Help", "Help"), (None, ""), (5, 5), (["a"], ["a"])])
def test_other_settings_keep_the_value_sent(
    http: httpx2.Client, admin: dict[str, str], sent: Any, stored: Any
) -> None:
    """Strings, colors and selects are stored as sent (AJV turns ``null`` into ``""``)."""
    assert save(http, admin, [{"_id": "Livechat_offline_title", "value": sent}]).is_success
    assert appearance(http, admin)["Livechat_offline_title"]["value"] == stored


def test_first_entry_of_an_id_wins(http: httpx2.Client, admin: dict[str, str]) -> None:
    body = [{"_id": "Livechat_title", "value": "first"}, {"_id": "Livechat_title", "value": "x"}]
    assert save(http, admin, body).is_success
    assert appearance(http, admin)["Livechat_title"]["value"] == "first"


def test_an_identical_value_is_not_written(
    http: httpx2.Client, admin: dict[str, str], livechat_embedded_server: EmbeddedServer
) -> None:
    stored = livechat_embedded_server.state.store.settings
    save(http, admin, [{"_id": "Livechat_title", "value": "same"}])
    before = stored.get("Livechat_title")
    assert save(http, admin, [{"_id": "Livechat_title", "value": "same"}]).is_success
    assert stored.get("Livechat_title") == before
    assert save(http, admin, [{"_id": "Livechat_title", "value": "other"}]).is_success
    assert stored.get("Livechat_title") != before


def test_several_settings_in_one_call(http: httpx2.Client, admin: dict[str, str]) -> None:
    body: list[dict[str, Any]] = [
        {"_id": "Livechat_title", "value": "Support"},
        {"_id": "Livechat_title_color", "value": "#000000"},
        {"_id": "Livechat_widget_position", "value": "left"},
        {"_id": "Livechat_hide_expand_chat", "value": True},
    ]
    assert save(http, admin, body).json() == {"success": True}
    docs = appearance(http, admin)
    assert {item["_id"]: docs[item["_id"]]["value"] for item in body} == {
        item["_id"]: item["value"] for item in body
    }
    theme = http.get("livechat/config").json()["config"]["theme"]
    assert (theme["title"], theme["color"], theme["position"]) == ("Support", "#000000", "left")
