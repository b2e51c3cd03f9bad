"""AppearanceSetting: the setting documents of ``GET livechat/appearance``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel

from rocketchat_livechat.models import AppearanceSetting

RoundTrip = Callable[[BaseModel, dict[str, Any]], None]


def test_setting_document(round_trip: RoundTrip) -> None:
    payload = {
        "_id": "Livechat_title",
        "value": "Support",
        "type": "string",
        "packageValue": "Rocket.Chat",
        "_updatedAt": "2024-10-15T02:52:42.123Z",
        "group": "Omnichannel",
        "public": True,
    }
    setting = AppearanceSetting.model_validate(payload)
    assert setting.id == "Livechat_title"
    assert setting.value == "Support"
    assert setting.type == "string"
    assert setting.package_value == "Rocket.Chat"
    assert setting.updated_at == datetime(2024, 10, 15, 2, 52, 42, 123000, tzinfo=UTC)
    assert setting.model_extra == {"group": "Omnichannel", "public": True}
    round_trip(setting, payload)


def test_values_keep_their_json_types() -> None:
    values = [True, False, 0, 100, 1.5, "100", ["uj", "ul"], None]
    parsed = [AppearanceSetting.model_validate({"_id": "s", "value": v}).value for v in values]
    assert parsed == values
    assert [type(v) for v in parsed] == [type(v) for v in values]


def test_multiselect_options_are_kept() -> None:
    options = [{"key": "uj", "i18nLabel": "Message_HideType_uj"}]
    setting = AppearanceSetting.model_validate(
        {"_id": "Livechat_hide_system_messages", "value": ["uj"], "values": options}
    )
    assert setting.model_extra == {"values": options}
