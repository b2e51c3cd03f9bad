"""Livechat triggers (managers: ``view-livechat-manager``).

Source: ``apps/meteor/app/livechat/imports/server/rest/triggers.ts`` and
``apps/meteor/app/livechat/server/api/lib/triggers.ts``. The enterprise-only
``triggers/external-service/test`` and ``triggers/:_id/external-service/call`` are not declared;
a ``use-external-service`` action can be saved but a community server never runs it (the
widget's ``config.triggers`` leaves out triggers that have only such actions).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Unpack

from ...errors import InvalidArgumentError
from .. import parsing
from .. import validation as v
from ..endpoint import CallOptions, Parts, Sample, endpoint
from ..lazy import lazy_model
from ._samples import page

if TYPE_CHECKING:
    from ...models import Trigger
else:
    Trigger = lazy_model("Trigger")

CONDITIONS = ("time-on-site", "page-url", "chat-opened-by-visitor", "after-guest-registration")
ACTIONS = ("send-message", "use-external-service")
SENDERS = ("queue", "custom")

TRIGGER: dict[str, Any] = {
    "_id": "trigger-1",
    "name": "welcome",
    "description": "Greets on the pricing page",
    "enabled": True,
    "runOnce": False,
    "conditions": [{"name": "page-url", "value": "/pricing"}],
    "actions": [{"name": "send-message", "params": {"sender": "queue", "msg": "Hi!"}}],
    "_updatedAt": "2024-10-15T02:52:42.123Z",
}
_CONDITIONS = [{"name": "time-on-site", "value": "10"}]
_ACTIONS = [{"name": "send-message", "params": {"sender": "custom", "msg": "Hi", "name": "Bot"}}]


@endpoint(
    "GET",
    "livechat/triggers",
    parse=parsing.page_under(Trigger, "triggers"),
    auth="user",
    idempotent=True,
    schema="isGETLivechatTriggersParams",
    samples=[
        Sample(response=page("triggers", TRIGGER)),
        Sample((), {"offset": 10, "count": 5, "sort": {"name": -1}}, response=page("triggers")),
    ],
)
def list_triggers(
    *,
    offset: int | None = None,
    count: int | None = None,
    sort: Mapping[str, int] | None = None,
    **options: Unpack[CallOptions],
) -> Parts:
    """One page of the triggers (enabled or not), by name unless ``sort``."""
    return Parts(
        params={
            "offset": v.optional_int("offset", offset),
            "count": v.optional_int("count", count, minimum=1),
            "sort": v.optional_json("sort", sort),
        }
    )


@endpoint(
    "POST",
    "livechat/triggers",
    parse=parsing.nothing,
    auth="user",
    schema="isPOSTLivechatTriggersParams",
    samples=[
        Sample(("welcome", "Greets", _CONDITIONS, _ACTIONS)),
        Sample(
            ("welcome", "Greets", [{"name": "page-url", "value": None}], _ACTIONS),
            {"enabled": False, "run_once": True, "trigger_id": "trigger-1"},
        ),
    ],
)
def save_trigger(
    name: str,
    description: str,
    conditions: Sequence[Mapping[str, Any]],
    actions: Sequence[Mapping[str, Any]],
    *,
    enabled: bool = True,
    run_once: bool = False,
    trigger_id: str | None = None,
    **options: Unpack[CallOptions],
) -> Parts:
    """Create a trigger, or replace trigger ``trigger_id``'s fields (an unknown id changes
    nothing). Rocket.Chat answers no id: list the triggers to find a new one.

    ``conditions``: ``[{"name": "time-on-site" | "page-url" | "chat-opened-by-visitor" |
    "after-guest-registration", "value": str | None}]`` (a number of seconds is sent as text).
    ``actions``: ``[{"name": "send-message", "params": {"sender": "queue" | "custom", "msg":
    ..., "name": ...}}]``."""
    body: dict[str, Any] = {
        "name": v.required_str("name", name),
        "description": _text("description", description),
        "enabled": v.required_bool("enabled", enabled),
        "runOnce": v.required_bool("run_once", run_once),
        "conditions": _items("conditions", conditions, _condition),
        "actions": _items("actions", actions, _action),
    }
    if trigger_id is not None:
        body["_id"] = v.required_str("trigger_id", trigger_id)
    return Parts(json=body)


@endpoint(
    "GET",
    "livechat/triggers/{trigger_id}",
    parse=parsing.optional_under(Trigger, "trigger"),
    auth="user",
    idempotent=True,
    samples=[Sample(("trigger-1",), response={"trigger": TRIGGER}), Sample(("nope",))],
)
def get_trigger(trigger_id: str, **options: Unpack[CallOptions]) -> Parts:
    """One trigger; ``None`` when there is none with this id."""
    return Parts(path={"trigger_id": v.path_segment("trigger_id", trigger_id)})


@endpoint(
    "DELETE",
    "livechat/triggers/{trigger_id}",
    parse=parsing.nothing,
    auth="user",
    idempotent=True,  # removeById: deleting again (or an unknown id) still succeeds
    samples=[Sample(("trigger-1",))],
)
def delete_trigger(trigger_id: str, **options: Unpack[CallOptions]) -> Parts:
    """Delete a trigger (no error when there is none with this id)."""
    return Parts(path={"trigger_id": v.path_segment("trigger_id", trigger_id)})


def _text(name: str, value: object) -> str:
    """A string, empty allowed (Rocket.Chat's schema only asks for a string)."""
    if not isinstance(value, str):
        raise InvalidArgumentError(name, f"expected a string, got {type(value).__name__}")
    return value


def _items(name: str, value: object, check: Any) -> list[dict[str, Any]]:
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Sequence):
        raise InvalidArgumentError(name, "expected a list of mappings")
    if not value:
        raise InvalidArgumentError(name, "expected at least one item")
    return [check(f"{name}[{i}]", item) for i, item in enumerate(value)]


def _mapping(name: str, value: object, allowed: set[str]) -> Mapping[str, Any]:
    mapping = v.optional_mapping(name, value)
    if mapping is None:
        raise InvalidArgumentError(name, "expected a mapping")
    unknown = sorted(set(mapping) - allowed)
    if unknown:
        raise InvalidArgumentError(name, f"unknown keys {unknown}")
    return mapping


def _condition(name: str, value: object) -> dict[str, Any]:
    condition = _mapping(name, value, {"name", "value"})
    kind = v.one_of(f"{name}.name", condition.get("name"), CONDITIONS)
    raw = condition.get("value")
    if isinstance(raw, bool) or not isinstance(raw, str | int | float | None):
        raise InvalidArgumentError(f"{name}.value", "expected a string, a number or None")
    text = raw if raw is None or isinstance(raw, str) else str(raw)
    return {"name": kind, "value": text}


def _action(name: str, value: object) -> dict[str, Any]:
    action = _mapping(name, value, {"name", "params"})
    kind = v.one_of(f"{name}.name", action.get("name"), ACTIONS)
    result: dict[str, Any] = {"name": kind}
    if action.get("params") is None:
        if "params" in action:
            result["params"] = None
        return result
    if kind == "send-message":
        params = _mapping(f"{name}.params", action["params"], {"sender", "msg", "name"})
        checked: dict[str, Any] = {
            "sender": v.one_of(f"{name}.params.sender", params.get("sender"), SENDERS),
            "msg": _text(f"{name}.params.msg", params.get("msg")),
        }
    else:
        params = _mapping(
            f"{name}.params",
            action["params"],
            {"sender", "name", "serviceUrl", "serviceTimeout", "serviceFallbackMessage"},
        )
        checked = {
            "serviceUrl": _text(f"{name}.params.serviceUrl", params.get("serviceUrl")),
            "serviceTimeout": v.required_int(
                f"{name}.params.serviceTimeout", params.get("serviceTimeout")
            ),
            "serviceFallbackMessage": _text(
                f"{name}.params.serviceFallbackMessage", params.get("serviceFallbackMessage")
            ),
        }
        if "sender" in params:
            checked["sender"] = v.one_of(f"{name}.params.sender", params["sender"], SENDERS)
    if params.get("name") is not None:
        checked["name"] = v.required_str(f"{name}.params.name", params["name"])
    elif "name" in params:
        checked["name"] = None
    return {**result, "params": checked}
