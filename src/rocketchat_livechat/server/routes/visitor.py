"""Visitor endpoints: register/get/delete, status, custom fields, navigation (§3.4-3.6, §3.20+)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from ..api import Context, RouteGroup
from ..errors import Failure, MeteorError, PlainError
from ..ratelimit import RateRule
from ..services import messages, rooms, visitors
from ..services._constants import ROCKET_CAT
from ..validation import BOOLEAN, STRING, check, obj, rest_typings
from ._common import connection_data, visitor_or_fail

routes = RouteGroup()

_MAYBE_STRING = {"type": "string", "nullable": True}
_CUSTOM_FIELD = obj(
    {"key": STRING, "value": STRING, "overwrite": BOOLEAN}, ("key", "value", "overwrite")
)
#: 7.x ``isPOSTLivechatVisitor`` (field list of the 6.14 ``check`` pattern)
VISITOR_BODY = obj(
    {
        "visitor": obj(
            {
                "token": STRING,
                "id": _MAYBE_STRING,
                "name": _MAYBE_STRING,
                "email": _MAYBE_STRING,
                "department": _MAYBE_STRING,
                "phone": _MAYBE_STRING,
                "username": _MAYBE_STRING,
                "customFields": {
                    "type": "array",
                    "nullable": True,
                    "items": {**_CUSTOM_FIELD, "additionalProperties": True},
                },
            },
            ("token",),
            additional=True,
        )
    },
    ("visitor",),
)
CUSTOM_FIELD_BODY = rest_typings("isPOSTLivechatCustomFieldParams")
CUSTOM_FIELDS_BODY = rest_typings("isPOSTLivechatCustomFieldsParams")
PAGE_VISITED_BODY = rest_typings("isPOSTLivechatPageVisitedParams")


@routes.post("livechat/visitor", rate=RateRule(5, 60000), schema=VISITOR_BODY)
async def register_visitor(ctx: Context) -> dict[str, Any]:
    data = ctx.params["visitor"]
    visitor = visitors.register(ctx.state, data, connection_data(ctx))
    custom = data.get("customFields")
    if isinstance(custom, list) and custom:
        visitor = visitors.apply_registration_custom_fields(ctx.state, visitor, custom)
    return {"visitor": visitor}


def _visitor_by_path(ctx: Context) -> dict[str, Any]:
    return visitor_or_fail(ctx.state, ctx.path["token"], MeteorError("invalid-token"))


@routes.get("livechat/visitor/:token")
async def get_visitor(ctx: Context) -> dict[str, Any]:
    return {"visitor": _visitor_by_path(ctx)}


@routes.delete("livechat/visitor/:token")
async def delete_visitor(ctx: Context) -> dict[str, Any]:
    visitor = _visitor_by_path(ctx)
    allow = ctx.state.settings["Livechat_Allow_collect_and_store_HTTP_header_informations"]
    if visitors.open_rooms(ctx.state, visitor["token"]) and not allow:
        raise MeteorError("visitor-has-open-rooms", "Cannot remove visitors with opened rooms")
    visitors.delete(ctx.state, visitor)
    return {"visitor": {"_id": visitor["_id"], "ts": ctx.state.now()}}


@routes.get("livechat/visitor/:token/room", auth=True, permissions=("view-livechat-manager",))
async def visitor_rooms(ctx: Context) -> dict[str, Any]:
    keys = ("_id", "name", "t", "cl", "u", "usernames", "servedBy")
    rooms = visitors.open_rooms(ctx.state, ctx.path["token"])
    return {"rooms": [{k: r[k] for k in keys if k in r} for r in rooms]}


@routes.post("livechat/visitor.status")
async def visitor_status(ctx: Context) -> dict[str, Any]:
    check(ctx.params, {"token": str, "status": str})
    token, status = ctx.params["token"], ctx.params["status"]
    visitor_or_fail(ctx.state, token, MeteorError("invalid-token"))
    visitors.set_status(ctx.state, token, status)
    return {"token": token, "status": status}


@routes.post("livechat/visitor.callStatus")
async def visitor_call_status(ctx: Context) -> dict[str, Any]:
    check(ctx.params, {"token": str, "callStatus": str, "rid": str, "callId": str})
    params = ctx.params
    visitor_or_fail(ctx.state, params["token"], MeteorError("invalid-token"))
    rooms.set_call_status(ctx.state, params["rid"], params["token"], params["callStatus"])
    return {"token": params["token"], "callStatus": params["callStatus"]}


@routes.post("livechat/custom.field", schema=CUSTOM_FIELD_BODY)
async def custom_field(ctx: Context) -> dict[str, Any]:
    p = ctx.params
    visitor = visitor_or_fail(ctx.state, p["token"])
    if not visitors.set_custom_field(ctx.state, visitor, p["key"], p["value"], p["overwrite"]):
        raise Failure()
    return {"field": {"key": p["key"], "value": p["value"], "overwrite": p["overwrite"]}}


@routes.post("livechat/custom.fields", schema=CUSTOM_FIELDS_BODY)
async def custom_fields(ctx: Context) -> dict[str, Any]:
    visitor = visitor_or_fail(ctx.state, ctx.params["token"])
    fields = []
    for item in ctx.params["customFields"]:
        key, value, overwrite = item["key"], item["value"], item["overwrite"]
        if not visitors.set_custom_field(ctx.state, visitor, key, value, overwrite):
            raise PlainError("error-setting-custom-field")
        fields.append({"Key": key, "value": value, "overwrite": overwrite})
    return {"fields": fields}


@routes.post("livechat/page.visited", schema=PAGE_VISITED_BODY)
async def page_visited(ctx: Context) -> dict[str, Any]:
    p = ctx.params
    page = p["pageInfo"]
    if page["change"] != ctx.state.settings["Livechat_history_monitor_type"]:
        return {}
    extra: dict[str, Any] = {"navigation": {"page": page, "token": p["token"]}}
    if not ctx.state.settings["Livechat_Visitor_navigation_as_a_message"]:
        extra["_hidden"] = True
    if not p.get("rid"):
        extra["expireAt"] = ctx.state.now() + timedelta(days=30)
    text = f"{page['title']} - {page['location']['href']}"
    message = messages.system_message(
        ctx.state,
        p.get("rid") or "",
        "livechat_navigation_history",
        text,
        ROCKET_CAT,
        **extra,
    )
    return {"page": {"msg": message["msg"], "navigation": message["navigation"]}}
