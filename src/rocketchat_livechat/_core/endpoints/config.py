"""``GET livechat/config``, and ``GET``/``POST livechat/appearance`` (manager side)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from ...errors import InvalidArgumentError
from ...models import AppearanceSetting, LivechatConfig
from .. import parsing
from .. import validation as v
from ..request import Call, Request, query_params

AppearanceValue = str | bool | int | float | Sequence[str]
AppearanceSettings = Mapping[str, AppearanceValue] | Sequence[Mapping[str, Any]]


def get_config(token: str | None = None, department: str | None = None) -> Call[LivechatConfig]:
    params = query_params(
        {
            "token": v.optional_str("token", token),
            "department": v.optional_str("department", department),
        }
    )
    request = Request("GET", "livechat/config", "livechat/config", params=params, idempotent=True)
    return Call(request, parsing.under(LivechatConfig, "config"))


def get_appearance() -> Call[list[AppearanceSetting]]:
    request = Request(
        "GET", "livechat/appearance", "livechat/appearance", auth="user", idempotent=True
    )
    return Call(request, parsing.list_under(AppearanceSetting, "appearance"))


def set_appearance(settings: AppearanceSettings) -> Call[None]:
    request = Request(
        "POST",
        "livechat/appearance",
        "livechat/appearance",
        json=_appearance_list(settings),
        auth="user",
        idempotent=True,
    )
    return Call(request, parsing.nothing)


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
