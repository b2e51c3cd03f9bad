"""Livechat custom field definitions: list/get, and ``custom-fields.save`` / ``.remove``.

``livechat/custom-fields.remove`` is Rocket.Chat's name (8.x); ``.delete`` is accepted as an
alias. ``custom-fields.save`` takes Rocket.Chat's ``livechat:saveCustomField`` arguments
(``customFieldId`` + ``customFieldData``).
"""

from __future__ import annotations

from typing import Any

from ..api import Context, RouteGroup
from ..services import custom_fields
from ..validation import BOOLEAN, PAGINATION, STRING, obj
from ._common import page, sort_spec

routes = RouteGroup()

LIST_QUERY = obj({**PAGINATION, "text": STRING})
SAVE_BODY = obj(
    {
        "customFieldId": {"type": "string", "nullable": True},
        "customFieldData": obj(
            {
                "field": STRING,
                "label": STRING,
                "scope": {"type": "string", "enum": ["visitor", "room"]},
                "visibility": {"type": "string", "enum": ["visible", "hidden"]},
                "regexp": STRING,
                "searchable": BOOLEAN,
                "type": STRING,
                "required": BOOLEAN,
                "defaultValue": STRING,
                "options": STRING,
                "public": BOOLEAN,
            },
            ("field", "label", "scope", "visibility"),
        ),
    },
    ("customFieldData",),
)
REMOVE_BODY = obj({"_id": STRING}, ("_id",))
_MANAGER = ("view-livechat-manager",)


@routes.get("livechat/custom-fields", auth=True, permissions=("view-l-room",), schema=LIST_QUERY)
async def list_custom_fields(ctx: Context) -> dict[str, Any]:
    found = custom_fields.search(ctx.state, ctx.params.get("text"), sort_spec(ctx, [("label", 1)]))
    return page(ctx, "customFields", found)


@routes.get("livechat/custom-fields/:_id", auth=True, permissions=("view-l-room",))
async def get_custom_field(ctx: Context) -> dict[str, Any]:
    return {"customField": custom_fields.get(ctx.state, ctx.path["_id"])}


@routes.post("livechat/custom-fields.save", auth=True, permissions=_MANAGER, schema=SAVE_BODY)
async def save_custom_field(ctx: Context) -> dict[str, Any]:
    data = dict(ctx.params["customFieldData"])
    doc = custom_fields.save(ctx.state, ctx.params.get("customFieldId"), data)
    return {"customField": doc}


async def remove_custom_field(ctx: Context) -> dict[str, Any]:
    deleted = custom_fields.remove(ctx.state, ctx.params["_id"])
    return {"acknowledged": True, "deletedCount": int(deleted)}


for _path in ("livechat/custom-fields.remove", "livechat/custom-fields.delete"):
    routes.post(_path, auth=True, permissions=_MANAGER, schema=REMOVE_BODY)(remove_custom_field)
