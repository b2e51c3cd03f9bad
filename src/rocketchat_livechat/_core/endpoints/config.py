"""``GET livechat/config``, ``GET``/``POST livechat/appearance``, and the CRM-integration
(webhook) settings: ``livechat/webhook.test``, ``livechat/integrations.settings``,
``omnichannel/integrations`` (manager side)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Unpack

from ...errors import InvalidArgumentError
from .. import parsing
from .. import validation as v
from ..endpoint import CallOptions, Parts, Sample, endpoint
from ..lazy import lazy_model
from ._samples import TOKEN

if TYPE_CHECKING:
    from ...models import AppearanceSetting, IntegrationSetting, LivechatConfig, RoutingConfig
else:
    AppearanceSetting = lazy_model("AppearanceSetting")
    IntegrationSetting = lazy_model("IntegrationSetting")
    LivechatConfig = lazy_model("LivechatConfig")
    RoutingConfig = lazy_model("RoutingConfig")

AppearanceValue = str | bool | int | float | Sequence[str]
AppearanceSettings = Mapping[str, AppearanceValue] | Sequence[Mapping[str, Any]]


@endpoint(
    "GET",
    "livechat/config",
    parse=parsing.under(LivechatConfig, "config"),
    idempotent=True,
    schema="isGETLivechatConfigParams",
    samples=[
        Sample(response={"config": {"enabled": True, "online": False}}),
        Sample(kwargs={"token": TOKEN, "department": "dep-1"}, response={"config": {}}),
    ],
)
def get_config(
    *,
    token: str | None = None,
    department: str | None = None,
    **options: Unpack[CallOptions],
) -> Parts:
    """The widget configuration; with ``token``, also the visitor, its open room and agent."""
    return Parts(
        params={
            "token": v.optional_str("token", token),
            "department": v.optional_str("department", department),
        }
    )


@endpoint(
    "GET",
    "livechat/appearance",
    parse=parsing.list_under(AppearanceSetting, "appearance"),
    auth="user",
    idempotent=True,
    samples=[Sample(response={"appearance": [{"_id": "Livechat_title", "value": "Support"}]})],
)
def get_appearance(**options: Unpack[CallOptions]) -> Parts:
    """The widget's appearance settings (manager: ``view-livechat-manager``)."""
    return Parts()


@endpoint(
    "POST",
    "livechat/appearance",
    parse=parsing.nothing,
    auth="user",
    idempotent=True,
    schema="isPOSTLivechatAppearanceParams",
    samples=[
        Sample(({"Livechat_title": "Support", "Livechat_enable_message_character_limit": True},)),
        Sample(([{"_id": "Livechat_message_character_limit", "value": 500}],)),
    ],
)
def set_appearance(settings: AppearanceSettings, **options: Unpack[CallOptions]) -> Parts:
    """Change appearance settings: ``{setting_id: value}`` or ``[{"_id", "value"}]``."""
    return Parts(json=_appearance_list(settings))


def _appearance_list(settings: object) -> list[dict[str, Any]]:
    """``{setting_id: value}`` or ``[{_id, value}]`` → Rocket.Chat's non-empty list."""
    if isinstance(settings, Mapping):
        items: list[object] = [{"_id": k, "value": val} for k, val in settings.items()]
    elif isinstance(settings, Sequence) and not isinstance(settings, str | bytes | bytearray):
        items = list(settings)
    else:
        raise InvalidArgumentError("settings", "expected a dict or a list of {_id, value}")
    if not items:
        raise InvalidArgumentError("settings", "must not be empty")
    return [_appearance_item(f"settings[{i}]", item) for i, item in enumerate(items)]


def _appearance_item(name: str, item: object) -> dict[str, Any]:
    if not isinstance(item, Mapping) or not {"_id", "value"} <= item.keys():
        raise InvalidArgumentError(name, "expected a mapping with '_id' and 'value'")
    return {
        "_id": v.required_str(f"{name}._id", item["_id"]),
        "value": _appearance_value(f"{name}.value", item["value"]),
    }


def _appearance_value(name: str, value: object) -> str | bool | int | float | list[str]:
    """A string, bool, finite number or list of strings (what the setting types hold)."""
    if isinstance(value, str | bool | int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InvalidArgumentError(name, "must be a finite number")
        return value
    if isinstance(value, Sequence) and not isinstance(value, bytes | bytearray):
        return [_option(f"{name}[{i}]", item) for i, item in enumerate(value)]
    raise InvalidArgumentError(
        name, f"expected a string, bool, number or list of strings, got {type(value).__name__}"
    )


def _option(name: str, item: object) -> str:
    if not isinstance(item, str):
        raise InvalidArgumentError(name, f"expected a string, got {type(item).__name__}")
    return item


@endpoint(
    "GET",
    "livechat/config/routing",
    parse=parsing.under(RoutingConfig, "config"),
    auth="user",
    idempotent=True,
    samples=[
        Sample(
            response={
                "config": {
                    "previewRoom": False,
                    "showConnecting": False,
                    "showQueue": False,
                    "showQueueLink": True,
                    "returnQueue": False,
                    "enableTriggerAction": True,
                    "autoAssignAgent": True,
                }
            }
        )
    ],
)
def get_routing_config(**options: Unpack[CallOptions]) -> Parts:
    """The routing method's switches (``RoutingManager.getConfig()``) for any logged-in user
    (``apps/meteor/server/api/v1/omnichannel/config.ts``)."""
    return Parts()


@endpoint(
    "POST",
    "livechat/webhook.test",
    parse=parsing.nothing,
    auth="user",
    idempotent=True,
    samples=[Sample(response={})],
)
def test_webhook(**options: Unpack[CallOptions]) -> Parts:
    """Send Rocket.Chat's sample payload to the configured webhook URL
    (``view-livechat-webhooks``); :class:`~rocketchat_livechat.WebhookTestError` when no URL is set
    or the receiver does not answer 200."""
    return Parts()


@endpoint(
    "GET",
    "livechat/integrations.settings",
    parse=parsing.list_under(IntegrationSetting, "settings"),
    auth="user",
    idempotent=True,
    samples=[
        Sample(response={"settings": [{"_id": "Livechat_webhookUrl", "value": "https://x/h"}]})
    ],
)
def get_integration_settings(**options: Unpack[CallOptions]) -> Parts:
    """The webhook settings: URL, secret token, HTTP timeout and the ``Livechat_webhook_on_*``
    flags (``view-livechat-manager``)."""
    return Parts()


@endpoint(
    "POST",
    "omnichannel/integrations",
    parse=parsing.nothing,
    auth="user",
    idempotent=True,
    schema="isPOSTomnichannelIntegrations",
    samples=[
        Sample(
            kwargs={
                "webhook_url": "http://127.0.0.1:9/hook",
                "secret_token": "s3cret",
                "http_timeout": 5000,
                "on_start": True,
                "on_close": True,
                "on_chat_taken": False,
                "on_chat_queued": False,
                "on_forward": True,
                "on_offline_message": True,
                "on_visitor_message": True,
                "on_agent_message": False,
            }
        ),
        Sample(kwargs={"on_close": True}),
        Sample(kwargs={"webhook_url": ""}),  # clears the URL: no more webhooks
    ],
    secret=("secret_token",),
)
def save_integration_settings(
    *,
    webhook_url: str | None = None,
    secret_token: str | None = None,
    http_timeout: int | None = None,
    on_start: bool | None = None,
    on_close: bool | None = None,
    on_chat_taken: bool | None = None,
    on_chat_queued: bool | None = None,
    on_forward: bool | None = None,
    on_offline_message: bool | None = None,
    on_visitor_message: bool | None = None,
    on_agent_message: bool | None = None,
    **options: Unpack[CallOptions],
) -> Parts:
    """Save webhook settings (``view-livechat-manager``); only the arguments given are written.
    An empty ``webhook_url`` or ``secret_token`` clears it (the server trims both);
    ``http_timeout`` is in milliseconds; the ``on_*`` flags choose the events sent. Lead capture
    and navigation history are not settable here (use the settings API)."""
    body: dict[str, Any] = {
        "LivechatWebhookUrl": _optional_text("webhook_url", webhook_url),
        "LivechatSecretToken": _optional_text("secret_token", secret_token),
        "LivechatHttpTimeout": v.optional_int("http_timeout", http_timeout),
        "LivechatWebhookOnStart": v.optional_bool("on_start", on_start),
        "LivechatWebhookOnClose": v.optional_bool("on_close", on_close),
        "LivechatWebhookOnChatTaken": v.optional_bool("on_chat_taken", on_chat_taken),
        "LivechatWebhookOnChatQueued": v.optional_bool("on_chat_queued", on_chat_queued),
        "LivechatWebhookOnForward": v.optional_bool("on_forward", on_forward),
        "LivechatWebhookOnOfflineMsg": v.optional_bool("on_offline_message", on_offline_message),
        "LivechatWebhookOnVisitorMessage": v.optional_bool(
            "on_visitor_message", on_visitor_message
        ),
        "LivechatWebhookOnAgentMessage": v.optional_bool("on_agent_message", on_agent_message),
    }
    return Parts(json={k: val for k, val in body.items() if val is not None})


def _optional_text(name: str, value: object) -> str | None:
    """``None`` or any string; ``""`` is meaningful (it clears the setting)."""
    if value is None or isinstance(value, str):
        return value
    raise InvalidArgumentError(name, f"expected a string, got {type(value).__name__}")
