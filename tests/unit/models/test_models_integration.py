"""IntegrationSetting: the webhook setting documents of ``GET livechat/integrations.settings``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel

from rocketchat_livechat.models import IntegrationSetting

RoundTrip = Callable[[BaseModel, dict[str, Any]], None]


def test_integration_setting_document(round_trip: RoundTrip) -> None:
    payload = {
        "_id": "Livechat_http_timeout",
        "value": 5000,
        "type": "int",
        "packageValue": 5000,
        "_updatedAt": "2026-01-01T10:00:00.000Z",
        "group": "Omnichannel",
        "section": "CRM_Integration",
        "i18nLabel": "Livechat_http_timeout",
    }
    setting = IntegrationSetting.model_validate(payload)
    assert setting.id == "Livechat_http_timeout"
    assert setting.value == 5000 and setting.type == "int" and setting.package_value == 5000
    assert setting.updated_at == datetime(2026, 1, 1, 10, tzinfo=UTC)
    assert setting.model_extra == {
        "group": "Omnichannel",
        "section": "CRM_Integration",
        "i18nLabel": "Livechat_http_timeout",
    }
    round_trip(setting, payload)


def test_flag_and_minimal_documents() -> None:
    flag = IntegrationSetting.model_validate({"_id": "Livechat_webhook_on_close", "value": True})
    assert flag.value is True and flag.type is None and flag.updated_at is None
