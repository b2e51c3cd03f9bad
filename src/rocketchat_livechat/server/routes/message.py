"""Visitor message endpoints (§3.13-3.17, §3.19)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from ..api import Context, RouteGroup
from ..errors import MeteorError, PlainError
from ..files import with_file_upload
from ..ratelimit import RateRule
from ..services import messages
from ..services._constants import EMAIL_RE
from ..state import ServerState
from ..store import Doc
from ..validation import NUMBER, STRING, obj
from ._common import visitor_or_fail, visitor_room

log = logging.getLogger("rocketchat_livechat.server")
routes = RouteGroup()

SEND_BODY = obj(
    {
        "token": STRING,
        "rid": STRING,
        "msg": STRING,
        "_id": STRING,
        "agent": obj({"agentId": STRING, "username": STRING}, ("agentId", "username")),
    },
    ("token", "rid", "msg"),
)
GET_QUERY = obj({"token": STRING, "rid": STRING}, ("token", "rid"))
EDIT_BODY = obj({"token": STRING, "rid": STRING, "msg": STRING}, ("token", "rid", "msg"))
DELETE_BODY = obj(
    {"token": STRING, "rid": STRING, "count": NUMBER, "offset": NUMBER, "sort": STRING},
    ("token", "rid"),
)
HISTORY_QUERY = obj(
    {
        "token": STRING,
        "searchText": STRING,
        "count": NUMBER,
        "offset": NUMBER,
        "sort": STRING,
        "ls": STRING,
        "end": STRING,
        "limit": NUMBER,
    },
    ("token",),
)
OFFLINE_BODY = obj(
    {"name": STRING, "email": STRING, "message": STRING, "department": STRING, "host": STRING},
    ("name", "email", "message"),
)
OFFLINE_ERROR = "Error sending Omnichannel offline message"


@routes.post("livechat/message", schema=SEND_BODY)
async def send_message(ctx: Context) -> dict[str, Any]:
    # one atomic unit, committed with the other requests of this loop round; the room read
    # in it stays current until the message updates it
    return {"message": await ctx.state.write(lambda: _send_message(ctx.state, ctx.params))}


def _send_message(state: ServerState, p: dict[str, Any]) -> Doc:
    visitor = visitor_or_fail(state, p["token"])
    room = visitor_room(state, p["rid"], p["token"])
    if not room.get("open"):
        raise PlainError("room-closed")
    settings = state.settings
    if not settings["Livechat_enabled"]:
        raise MeteorError("error-omnichannel-is-disabled")
    text = p["msg"]
    if settings["Livechat_enable_message_character_limit"] and len(
        text.encode("utf-16-le")
    ) // 2 > int(settings["Livechat_message_character_limit"]):
        raise PlainError("message-length-exceeds-character-limit")
    return messages.send_visitor_message(state, visitor, room, text, p.get("_id"))


def _visitor_message(ctx: Context, token: str, rid: str) -> tuple[Doc, Doc, Doc]:
    visitor = visitor_or_fail(ctx.state, token)
    room = visitor_room(ctx.state, rid, token)
    message = ctx.store.messages.get(ctx.path["_id"])
    if message is None:
        raise PlainError("invalid-message")
    return visitor, room, message


@routes.get("livechat/message/:_id", schema=GET_QUERY)
async def get_message(ctx: Context) -> dict[str, Any]:
    _, room, message = _visitor_message(ctx, ctx.params["token"], ctx.params["rid"])
    if message["rid"] != room["_id"]:
        raise PlainError("invalid-message")
    return {"message": with_file_upload(ctx.state, message)}


def _check_owner(visitor: Doc, message: Doc, allowed: bool) -> None:
    if not allowed or message.get("u", {}).get("_id") != visitor["_id"]:
        raise PlainError("error-action-not-allowed")


@routes.put("livechat/message/:_id", schema=EDIT_BODY)
async def edit_message(ctx: Context) -> dict[str, Any]:
    visitor, _, message = _visitor_message(ctx, ctx.params["token"], ctx.params["rid"])
    _check_owner(visitor, message, ctx.state.settings["Message_AllowEditing"])
    return {"message": messages.edit(ctx.state, message, ctx.params["msg"], visitor)}


@routes.delete("livechat/message/:_id", schema=DELETE_BODY)
async def delete_message(ctx: Context) -> dict[str, Any]:
    visitor, _, message = _visitor_message(ctx, ctx.params["token"], ctx.params["rid"])
    _check_owner(visitor, message, ctx.state.settings["Message_AllowDeleting"])
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


def _offline_destination(state: ServerState, department: str | None) -> str | None:
    if department:
        dept = state.store.departments.get(department) or state.store.departments.find_one(
            {"name": department}
        )
        if dept is not None and dept.get("email"):
            return str(dept["email"])
    address = str(state.settings["Livechat_offline_email"]).strip()
    return address if EMAIL_RE.match(address) else None


@routes.post("livechat/offline.message", rate=RateRule(1, 5000), schema=OFFLINE_BODY)
async def offline_message(ctx: Context) -> dict[str, Any]:
    p = ctx.params
    settings = ctx.state.settings
    destination = _offline_destination(ctx.state, p.get("department"))
    valid_email = bool(EMAIL_RE.match(p["email"].strip()))
    if not settings["Livechat_display_offline_form"] or not valid_email or destination is None:
        raise PlainError(OFFLINE_ERROR)
    log.info("offline message from %s to %s", p["email"], destination)
    return {"message": "Livechat offline message sent"}
