"""Livechat custom field definitions: list/get, ``custom-fields.save`` / ``.delete`` / ``.remove``.

As ``apps/meteor/app/livechat/imports/server/rest/customField.ts`` (8.8.1) and rest-typings'
validators: ``custom-fields.save`` (``isPOSTLivechatSaveCustomFieldsParams``: ``visibility`` any
string, extra ``customFieldData`` keys saved as given) and ``custom-fields.delete``
(``isPOSTLivechatRemoveCustomFields``: ``{customFieldId}``, answer ``{success: true}``) are typed
routes (``error-invalid-params``). ``custom-fields.remove`` is the 7.x route (``{_id}``, answer
``{acknowledged, deletedCount}``, ``custom-field-not-found``).
"""

from __future__ import annotations

from typing import Any

from ..api import Context, RouteGroup
from ..errors import Failure
from ..services import custom_fields
from ..validation import STRING, obj, rest_typings
from ._common import page, sort_spec

routes = RouteGroup()

LIST_QUERY = rest_typings("isLivechatCustomFieldsProps")
SAVE_BODY = rest_typings("isPOSTLivechatSaveCustomFieldsParams")
DELETE_BODY = rest_typings("isPOSTLivechatRemoveCustomFields")
#: the 7.x ``custom-fields.remove`` body (its validator then required ``_id``)
REMOVE_BODY = obj({"_id": STRING}, ("_id",))
_MANAGER = ("view-livechat-manager",)


@routes.get("livechat/custom-fields", auth=True, permissions=("view-l-room",), schema=LIST_QUERY)
async def list_custom_fields(ctx: Context) -> dict[str, Any]:
    found = custom_fields.search(ctx.state, ctx.params.get("text"), sort_spec(ctx, [("label", 1)]))
    return page(ctx, "customFields", found)


@routes.get("livechat/custom-fields/:_id", auth=True, permissions=("view-l-room",))
async def get_custom_field(ctx: Context) -> dict[str, Any]:
    return {"customField": custom_fields.get(ctx.state, ctx.path["_id"])}


@routes.post(
    "livechat/custom-fields.save", auth=True, permissions=_MANAGER, schema=SAVE_BODY, typed=True
)
async def save_custom_field(ctx: Context) -> dict[str, Any]:
    if "customFieldData" not in ctx.params:
        # the validator does not require it; Rocket.Chat's handler then fails reading it
        # (``customFieldData.field`` in ``saveCustomField``): its TypeError text is the answer
        raise Failure("Cannot read properties of undefined (reading 'field')")
    data = dict(ctx.params["customFieldData"])
    doc = custom_fields.save(ctx.state, ctx.params.get("customFieldId"), data)
    return {"customField": doc}


@routes.post(
    "livechat/custom-fields.delete", auth=True, permissions=_MANAGER, schema=DELETE_BODY, typed=True
)
async def delete_custom_field(ctx: Context) -> dict[str, Any]:
    if not custom_fields.remove(ctx.state, ctx.params["customFieldId"]):
        raise Failure("Custom field not found")
    return {}


@routes.post(
    "livechat/custom-fields.remove", auth=True, permissions=_MANAGER, schema=REMOVE_BODY, typed=True
)
async def remove_custom_field(ctx: Context) -> dict[str, Any]:
    if custom_fields.get(ctx.state, ctx.params["_id"]) is None:
        raise Failure("custom-field-not-found")
    custom_fields.remove(ctx.state, ctx.params["_id"])
    return {"acknowledged": True, "deletedCount": 1}
