"""Inquiry endpoints (§4.4)."""

from __future__ import annotations

from typing import Any

from ..api import Context, Deprecation, RouteGroup
from ..errors import Failure, MeteorError
from ..services import routing, users
from ..store import Doc
from ..validation import PAGINATION, STRING, obj, rest_typings
from ._common import page, sort_spec

routes = RouteGroup()

LIST_QUERY = obj({**PAGINATION, "department": STRING})
GET_ONE_QUERY = rest_typings("isGETLivechatInquiriesGetOneParams")
TAKE_BODY = rest_typings("isPOSTLivechatInquiriesTakeParams")
_LIST_FIELDS = ("_id", "rid", "name", "ts", "status", "department")


@routes.get(
    "livechat/inquiries.list",
    auth=True,
    permissions=("view-livechat-manager",),
    schema=LIST_QUERY,
)
async def list_inquiries(ctx: Context) -> dict[str, Any]:
    flt: dict[str, Any] = {"status": "queued"}
    if ctx.params.get("department"):
        dept = routing.find_department(ctx.state, ctx.params["department"])
        flt["department"] = dept["_id"] if dept else ctx.params["department"]
    found = ctx.store.inquiries.find(flt, sort=sort_spec(ctx, [("ts", 1)]))
    result = page(ctx, "inquiries", found)
    result["inquiries"] = [{k: i[k] for k in _LIST_FIELDS if k in i} for i in result["inquiries"]]
    return result


def queued_for_user(ctx: Context) -> list[Doc]:
    """Queued inquiries the caller may take (defaultAgent, own departments, public queue)."""
    return routing.queued_for_agent(
        ctx.state, ctx.me, ctx.params.get("department"), sort_spec(ctx, [("ts", 1)])
    )


@routes.get(
    "livechat/inquiries.queuedForUser",
    auth=True,
    permissions=("view-l-room",),
    schema=LIST_QUERY,
)
async def inquiries_queued_for_user(ctx: Context) -> dict[str, Any]:
    return page(ctx, "inquiries", queued_for_user(ctx))


@routes.get(
    "livechat/inquiries.queued",
    auth=True,
    permissions=("view-l-room",),
    schema=LIST_QUERY,
    deprecation=Deprecation("7.0.0", ("livechat/inquiries.queuedForUser",)),
)
async def inquiries_queued(ctx: Context) -> dict[str, Any]:
    return page(ctx, "inquiries", queued_for_user(ctx))


@routes.get(
    "livechat/inquiries.getOne", auth=True, permissions=("view-l-room",), schema=GET_ONE_QUERY
)
async def get_one(ctx: Context) -> dict[str, Any]:
    return {"inquiry": ctx.store.inquiries.find_one({"rid": ctx.params["roomId"]})}


@routes.post("livechat/inquiries.take", auth=True, permissions=("view-l-room",), schema=TAKE_BODY)
async def take(ctx: Context) -> dict[str, Any]:
    user = ctx.me
    user_id = ctx.params.get("userId")
    if user_id:
        other = ctx.store.users.get(user_id)
        if other is None or not users.is_agent(other):
            raise Failure("The user is invalid")
        user = other
    routing.take_inquiry(ctx.state, ctx.params["inquiryId"], user)
    return {}


#: ``isPOSTLivechatInquiriesReturnAsInquiry``
RETURN_BODY = obj(
    {"roomId": STRING, "departmentId": {"type": "string", "nullable": True}}, ("roomId",)
)


@routes.post(
    "livechat/inquiries.returnAsInquiry",
    auth=True,
    permissions=("view-l-room",),
    schema=RETURN_BODY,
)
async def return_as_inquiry(ctx: Context) -> dict[str, Any]:
    """``apps/meteor/server/api/v1/omnichannel/inquiries.ts``: Meteor errors come back as
    ``failure(error.error)`` (the bare code)."""
    room = ctx.store.rooms.get(ctx.params["roomId"])
    if room is None or room.get("t") != "l":
        raise Failure("error-room-not-found")
    try:
        result = routing.return_as_inquiry(ctx.state, room, ctx.params.get("departmentId"))
    except MeteorError as exc:
        raise Failure(exc.code) from None
    return {"result": result}
