"""LivechatConfig against the seed manual and Rocket.Chat 6.14's ``livechat/config`` shape."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

from rocketchat_livechat.models import LivechatConfig

RoundTrip = Callable[[BaseModel, dict[str, Any]], None]


def test_seed_config(seed: dict[str, Any], round_trip: RoundTrip) -> None:
    payload = seed["config"]["config"]
    config = LivechatConfig.model_validate(payload)
    assert config.enabled is True
    assert config.online is True
    assert config.settings.registration_form is True
    assert config.settings.file_upload is True
    assert config.settings.limit_text_length is False
    assert config.settings.history_monitor_type == "url"
    assert config.theme.title == "Rocket.Chat"
    assert config.theme.offline_color == "#666666"
    assert isinstance(config.theme.action_links, list)
    assert config.messages.offline_message == ""
    assert config.survey.items[2] == "agentResposiveness"  # the server's spelling
    assert config.survey.values == ["1", "2", "3", "4", "5"]
    assert [d.name for d in config.departments] == ["Support", "Lost"]
    assert config.departments[0].show_on_registration is False
    assert config.departments[0].model_extra == {"departmentsAllowedToForward": []}
    assert config.guest is not None and config.guest.token == "iNKE8a6k6cjbqWhWd"
    assert config.room is not None and config.room.open is True
    assert config.room.served_by is not None
    assert config.agent is not None and config.agent.username == "livechat.agent"
    assert config.agent.emails is not None and config.agent.emails[0].verified is True
    round_trip(config, payload)


def test_disabled_livechat_config() -> None:
    config = LivechatConfig.model_validate({"enabled": False})
    assert config.enabled is False
    assert config.settings.file_upload is None
    assert config.departments == []
    assert config.guest is None and config.room is None and config.agent is None
    assert config.model_dump(by_alias=True, exclude_unset=True) == {"enabled": False}


def test_full_6_14_config_shape() -> None:
    payload = {
        "enabled": True,
        "settings": {
            "limitTextLength": 500,
            "hiddenSystemMessages": ["uj", "ul"],
            "livechatLogo": {"defaultUrl": "images/logo.svg"},
            "hideWatermark": False,
            "visitorsCanCloseChat": True,
        },
        "theme": {
            "position": "right",
            "actionLinks": {"webrtc": [{"i18nLabel": "Join_call"}], "jitsi": []},
        },
        "messages": {"conversationFinishedText": "bye", "dataProcessingConsentText": "ok?"},
        "triggers": [{"_id": "t1", "actions": [], "conditions": [], "runOnce": False}],
        "resources": {"sound": "http://x/sounds/chime.mp3", "emojis": []},
        "customFields": [
            {
                "_id": "orderId",
                "label": "Order",
                "regexp": "^[0-9]+$",
                "required": True,
                "type": "input",
                "defaultValue": "",
            },
            {"_id": "plan", "label": "Plan", "type": "select", "options": ["free", "pro"]},
        ],
        "queueInfo": {"spot": 3, "message": {"text": "wait"}, "estimatedWaitTimeSeconds": 90},
        "agent": {"hiddenInfo": True},
    }
    config = LivechatConfig.model_validate(payload)
    assert config.settings.limit_text_length == 500
    assert config.settings.hidden_system_messages == ["uj", "ul"]
    assert config.settings.visitors_can_close_chat is True
    assert config.theme.position == "right"
    assert isinstance(config.theme.action_links, dict)
    assert config.messages.conversation_finished_text == "bye"
    assert config.triggers[0].run_once is False
    assert config.resources is not None and config.resources["emojis"] == []
    assert config.custom_fields[0].id == "orderId"
    assert config.custom_fields[0].required is True
    assert config.custom_fields[1].options == ["free", "pro"]
    assert config.queue_info is not None and config.queue_info.spot == 3
    assert config.queue_info.estimated_wait_time_seconds == 90
    assert config.agent is not None and config.agent.hidden_info is True
    assert config.model_dump(by_alias=True, exclude_unset=True) == payload
