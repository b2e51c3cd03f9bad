"""Visitor message endpoints (§3.13-3.17, §3.19)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from ..api import Context, Result, RouteGroup
from ..errors import PlainError
from ..files import with_file_upload
from ..ratelimit import RateRule
from ..responses import json_response
from ..services import bulk, messages, offline, visitors, webhooks
from ..state import ServerState
from ..store import Doc
from ..validation import STRING, obj, rest_typings
from ._common import connection_data, visitor_or_fail, visitor_room

routes = RouteGroup()

SEND_BODY = rest_typings("isPOSTLivechatMessageParams")
GET_QUERY = rest_typings("isGETLivechatMessageIdParams")
EDIT_BODY = rest_typings("isPUTLivechatMessageIdParams")
DELETE_BODY = rest_typings("isDELETELivechatMessageIdParams")
HISTORY_QUERY = rest_typings("isGETLivechatMessagesHistoryRidParams")
OFFLINE_BODY = rest_typings("isPOSTLivechatOfflineMessageParams")
#: rest-typings ``isGETLivechatMessagesParams`` (the POST's validator, despite its name)
BULK_BODY = obj(
    {
        "visitor": obj({"token": STRING}, ("token",)),
        "messages": {"type": "array", "items": obj({"msg": STRING}, ("msg",)), "minItems": 1},
    },
    ("visitor", "messages"),
)


@routes.post("livechat/message", schema=SEND_BODY)
async def send_message(ctx: Context) -> dict[str, Any]:
    # like every write request, one atomic unit committed with the other requests of this
    # loop round (see ``api``): the room read in it stays current until the message updates it
    return {"message": _send_message(ctx.state, ctx.params)}


def _send_message(state: ServerState, p: dict[str, Any]) -> Doc:
    visitor = visitor_or_fail(state, p["token"])
    room = visitor_room(state, p["rid"], p["token"])
    return messages.post_visitor_message(state, visitor, room, p["msg"], p.get("_id"))


def _visitor_message(ctx: Context, token: str, rid: str) -> tuple[Doc, Doc, Doc]:
    visitor = visitor_or_fail(ctx.state, token)
    room = visitor_room(ctx.state, rid, token)
    message = messages.get(ctx.state, ctx.path["_id"])
    if message is None:
        raise PlainError("invalid-message")
    return visitor, room, message


@routes.get("livechat/message/:_id", schema=GET_QUERY)
async def get_message(ctx: Context) -> dict[str, Any]:
    _, room, message = _visitor_message(ctx, ctx.params["token"], ctx.params["rid"])
    if message["rid"] != room["_id"]:
        raise PlainError("invalid-message")
    return {"message": with_file_upload(ctx.state, message)}


@routes.put("livechat/message/:_id", schema=EDIT_BODY)
async def edit_message(ctx: Context) -> dict[str, Any]:
    visitor, _, message = _visitor_message(ctx, ctx.params["token"], ctx.params["rid"])
    messages.check_visitor_may_change(visitor, message, ctx.state.settings["Message_AllowEditing"])
    return {"message": messages.edit(ctx.state, message, ctx.params["msg"], visitor)}


@routes.delete("livechat/message/:_id", schema=DELETE_BODY)
async def delete_message(ctx: Context) -> dict[str, Any]:
    visitor, _, message = _visitor_message(ctx, ctx.params["token"], ctx.params["rid"])
    messages.check_visitor_may_change(visitor, message, ctx.state.settings["Message_AllowDeleting"])
    messages.delete(ctx.state, message)
    return {"message": {"_id": message["_id"], "ts": ctx.state.now()}}


def _parse_date(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@routes.get("livechat/messages.history/:rid", schema=HISTORY_QUERY)
async def history(ctx: Context) -> dict[str, Any]:
    token = ctx.params["token"]
    visitor_or_fail(ctx.state, token)
    room = visitor_room(ctx.state, ctx.path["rid"], token)
    limit = int(ctx.params.get("limit") or 20)
    offset = int(ctx.params.get("offset") or 0)
    found = messages.history(
        ctx.state, room["_id"], limit=limit, offset=offset, end=_parse_date(ctx.params.get("end"))
    )
    return {"messages": [with_file_upload(ctx.state, m) for m in found]}


@routes.post("livechat/messages", auth=True, schema=BULK_BODY)
async def bulk_messages(ctx: Context) -> Result:
    """Import messages as a visitor's (any logged-in user: the route checks no permission).

    ``message.ts``: a known visitor's messages go to its first open room, or to a new room (id
    chosen here, created by the send path). A new visitor is registered, but Rocket.Chat 7.x and
    8.x then send with an unset visitor (a shadowed ``visitor`` variable) and answer 400
    ``error-invalid-token``: the registration stays, so the same call succeeds the second time.
    """
    token = ctx.params["visitor"]["token"]
    visitor = visitors.find_by_token(ctx.state, token)
    if visitor is None:
        visitors.register(ctx.state, {"token": token}, connection_data(ctx))
        error = PlainError("error-invalid-token")
        return json_response(error.body, status=error.status)  # the registration is kept
    texts = [m["msg"] for m in ctx.params["messages"]]
    return {"messages": bulk.import_visitor_messages(ctx.state, visitor, texts)}


@routes.post("livechat/offline.message", rate=RateRule(1, 5000), schema=OFFLINE_BODY)
async def offline_message(ctx: Context) -> dict[str, Any]:
    p = ctx.params
    offline.send(ctx.state, p["email"], p.get("department"))
    # livechat.offlineMessage: the request awaits the webhook's first attempt
    payload = webhooks.offline_message_payload(
        ctx.state, name=p["name"], email=p["email"], message=p["message"]
    )
    if payload is not None:
        delivery = ctx.state.webhooks
        ctx.after_commit.append(lambda: delivery.send_now(payload))
    return {"message": "Livechat offline message sent"}
