"""Livechat custom field definitions: list/get, and ``custom-fields.save`` / ``.remove``.

``livechat/custom-fields.remove`` is Rocket.Chat's name (8.x); ``.delete`` is accepted as an
alias. ``custom-fields.save`` takes Rocket.Chat's ``livechat:saveCustomField`` arguments
(``customFieldId`` + ``customFieldData``).
"""

from __future__ import annotations

import re
from typing import Any

from ..api import Context, RouteGroup
from ..errors import MeteorError
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
    found = ctx.store.custom_fields.find(sort=sort_spec(ctx, [("label", 1)]))
    text = ctx.params.get("text")
    if text:
        pattern = re.compile(re.escape(text), re.IGNORECASE)
        found = [f for f in found if pattern.search(f["_id"]) or pattern.search(f["label"])]
    return page(ctx, "customFields", found)


@routes.get("livechat/custom-fields/:_id", auth=True, permissions=("view-l-room",))
async def get_custom_field(ctx: Context) -> dict[str, Any]:
    return {"customField": ctx.store.custom_fields.get(ctx.path["_id"])}


@routes.post("livechat/custom-fields.save", auth=True, permissions=_MANAGER, schema=SAVE_BODY)
async def save_custom_field(ctx: Context) -> dict[str, Any]:
    data = dict(ctx.params["customFieldData"])
    field_id = ctx.params.get("customFieldId") or data["field"]
    if not re.fullmatch(r"[0-9a-zA-Z_-]+", data["field"]):
        raise MeteorError(
            "error-invalid-custom-field-name",
            "Invalid custom field name. Use only letters, numbers, hyphens and underscores.",
            {"method": "livechat:saveCustomField"},
        )
    existing = ctx.store.custom_fields.get(field_id) or {}
    doc = {
        "regexp": "",
        "searchable": True,
        "type": "input",
        "required": False,
        "defaultValue": "",
        "options": "",
        "public": False,
        **existing,
        **{k: v for k, v in data.items() if k != "field"},
        "_id": field_id,
        "_updatedAt": ctx.state.now(),
    }
    ctx.store.custom_fields.save(doc)
    return {"customField": doc}


async def remove_custom_field(ctx: Context) -> dict[str, Any]:
    deleted = ctx.store.custom_fields.delete(ctx.params["_id"])
    return {"acknowledged": True, "deletedCount": int(deleted)}


for _path in ("livechat/custom-fields.remove", "livechat/custom-fields.delete"):
    routes.post(_path, auth=True, permissions=_MANAGER, schema=REMOVE_BODY)(remove_custom_field)
