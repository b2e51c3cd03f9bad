"""``livechat/triggers`` and ``livechat/triggers/:_id`` (managers).

Source: ``apps/meteor/app/livechat/imports/server/rest/triggers.ts`` (``permissionsRequired:
['view-livechat-manager']``; GET validated by ``isGETLivechatTriggersParams``, POST by
``isPOSTLivechatTriggersParams``; ``:_id`` routes have no validator). The enterprise-only
``triggers/external-service/test`` and ``triggers/:_id/external-service/call`` are not served.
"""

from __future__ import annotations

from typing import Any

from ..api import Context, RouteGroup
from ..services import triggers
from ..validation import BOOLEAN, NUMBER, STRING, obj
from ._common import page, sort_spec

routes = RouteGroup()

_MANAGER = ("view-livechat-manager",)
LIST_QUERY = obj({"count": NUMBER, "offset": NUMBER, "sort": STRING})
CONDITIONS = ["time-on-site", "page-url", "chat-opened-by-visitor", "after-guest-registration"]
_CONDITION = obj(
    {
        "name": {"type": "string", "enum": CONDITIONS},
        "value": {"type": "string", "nullable": True},
    },
    ("name", "value"),
)
_SENDER = {"type": "string", "enum": ["queue", "custom"]}
_NULLABLE_STRING = {"type": "string", "nullable": True}
_SEND_MESSAGE = obj(
    {
        "name": {"type": "string", "enum": ["send-message"]},
        "params": {
            **obj({"sender": _SENDER, "msg": STRING, "name": _NULLABLE_STRING}, ("sender", "msg")),
            "nullable": True,
        },
    },
    ("name",),
)
_EXTERNAL_SERVICE = obj(
    {
        "name": {"type": "string", "enum": ["use-external-service"]},
        "params": {
            **obj(
                {
                    "sender": _SENDER,
                    "name": _NULLABLE_STRING,
                    "serviceUrl": STRING,
                    "serviceTimeout": {"type": "number"},
                    "serviceFallbackMessage": STRING,
                },
                ("serviceUrl", "serviceTimeout", "serviceFallbackMessage"),
            ),
            "nullable": True,
        },
    },
    ("name",),
)
SAVE_BODY = obj(
    {
        "name": STRING,
        "description": STRING,
        "enabled": BOOLEAN,
        "runOnce": BOOLEAN,
        "conditions": {"type": "array", "items": _CONDITION, "minItems": 1},
        "actions": {
            "type": "array",
            "items": {"oneOf": [_SEND_MESSAGE, _EXTERNAL_SERVICE]},
            "minItems": 1,
        },
        "_id": _NULLABLE_STRING,
    },
    ("name", "description", "enabled", "runOnce", "conditions", "actions"),
)


@routes.get("livechat/triggers", auth=True, permissions=_MANAGER, schema=LIST_QUERY)
async def list_triggers(ctx: Context) -> dict[str, Any]:
    """``findTriggers``: one page, sorted by name unless ``sort``."""
    return page(ctx, "triggers", triggers.find(ctx.state, sort_spec(ctx, [("name", 1)])))


@routes.post("livechat/triggers", auth=True, permissions=_MANAGER, schema=SAVE_BODY)
async def save_trigger(ctx: Context) -> dict[str, Any]:
    triggers.save(ctx.state, ctx.params)
    return {}


@routes.get("livechat/triggers/:_id", auth=True, permissions=_MANAGER)
async def get_trigger(ctx: Context) -> dict[str, Any]:
    """``{trigger: null}`` for an unknown id (no error)."""
    return {"trigger": triggers.get(ctx.state, ctx.path["_id"])}


@routes.delete("livechat/triggers/:_id", auth=True, permissions=_MANAGER)
async def delete_trigger(ctx: Context) -> dict[str, Any]:
    triggers.remove(ctx.state, ctx.path["_id"])
    return {}
