"""Room endpoints: get-or-create, close, survey, department transfer, transcript, closeByUser,
the agent hand-off (forward, join, transfer history)."""

from __future__ import annotations

from typing import Any

from .. import auth
from ..api import Context, Deprecation, RouteGroup
from ..errors import ApiError, Failure, Forbidden, MeteorError, PlainError
from ..ratelimit import RateRule
from ..services import forwarding, rooms, routing
from ..validation import STRING, STRINGS, Maybe, check, obj, rest_typings
from ._common import page, sort_spec, visitor_or_fail, visitor_room

routes = RouteGroup()

ROOM_QUERY = {
    "token": str,
    "rid": Maybe(str),
    "agentId": Maybe(str),
    "sla": Maybe(str),
    "priority": Maybe(str),
}
TOKEN_RID_BODY = rest_typings("isPOSTLivechatRoomCloseParams")
SURVEY_BODY = rest_typings("isPOSTLivechatRoomSurveyParams")
TRANSFER_BODY = rest_typings("isPOSTLivechatVisitorDepartmentTransferParams")
TRANSCRIPT_BODY = rest_typings("isPOSTLivechatTranscriptParams")
CLOSE_BY_USER_BODY = rest_typings("isPOSTLivechatRoomCloseByUserParams")
#: ``isPUTLivechatRoomVisitorParams`` (rest-typings 7.x; 8.x dropped it with the route)
ROOM_VISITOR_BODY = obj(
    {"rid": STRING, "oldVisitorId": STRING, "newVisitorId": STRING},
    ("rid", "oldVisitorId", "newVisitorId"),
)

_NULLABLE_STRING = {"type": "string", "nullable": True}
#: rest-typings ``isLiveChatRoomForwardProps``
FORWARD_BODY = obj(
    {
        "roomId": STRING,
        "userId": _NULLABLE_STRING,
        "departmentId": _NULLABLE_STRING,
        "comment": _NULLABLE_STRING,
        "clientAction": {"type": "boolean", "nullable": True},
    },
    ("roomId",),
)
#: rest-typings ``isLiveChatRoomJoinProps``
JOIN_QUERY = obj({"roomId": STRING}, ("roomId",))


def _source(ctx: Context) -> dict[str, Any]:
    cookies = ctx.request.cookies
    if cookies.get("rc_room_type") == "l" and cookies.get("rc_is_widget") == "t":
        return {"type": "widget", "destination": ctx.request.headers.get("host", "")}
    return {"type": "api"}


@routes.get("livechat/room", rate=RateRule(5, 60000))
async def get_room(ctx: Context) -> dict[str, Any]:
    check(ctx.params, ROOM_QUERY)
    token = ctx.params["token"]
    visitor = visitor_or_fail(ctx.state, token)
    rid = ctx.params.get("rid")
    if rid:
        return {"room": visitor_room(ctx.state, rid, token, open_only=True), "newRoom": False}
    source, agent_id = _source(ctx), ctx.params.get("agentId")

    def open_room() -> dict[str, Any]:
        existing = rooms.find_open_room(ctx.state, token)
        if existing is not None:
            return {"room": existing, "newRoom": False}
        room = routing.create_room(ctx.state, visitor, source=source, agent_id=agent_id)
        return {"room": room, "newRoom": True}

    # a GET that may create the room: it takes the write path (see ``api``) itself
    return await ctx.state.write(open_room)


@routes.post("livechat/room.close", schema=TOKEN_RID_BODY)
async def close_room(ctx: Context) -> dict[str, Any]:
    if not ctx.state.settings["Omnichannel_allow_visitors_to_close_conversation"]:
        raise PlainError("error-not-allowed-to-close-conversation")
    token, rid = ctx.params["token"], ctx.params["rid"]
    visitor = visitor_or_fail(ctx.state, token)
    room = visitor_room(ctx.state, rid, token)
    if not room.get("open"):
        raise PlainError("room-closed")
    comment = "Closed by visitor"
    routing.close_room(ctx.state, room, closer="visitor", closed_by=visitor, comment=comment)
    return {"rid": rid, "comment": comment}


@routes.post("livechat/room.survey", schema=SURVEY_BODY)
async def survey(ctx: Context) -> dict[str, Any]:
    token, rid = ctx.params["token"], ctx.params["rid"]
    visitor_or_fail(ctx.state, token)
    visitor_room(ctx.state, rid, token)
    kept = rooms.save_survey(ctx.state, rid, ctx.params["data"])
    return {"rid": rid, "data": kept}


def _transfer(ctx: Context) -> dict[str, Any]:
    token, rid = ctx.params["token"], ctx.params["rid"]
    visitor = visitor_or_fail(ctx.state, token)
    room = visitor_room(ctx.state, rid, token, open_only=True)
    department = routing.find_department(ctx.state, ctx.params["department"])
    if department is None or not department.get("enabled", True):
        raise PlainError("error-invalid-department")
    return routing.transfer_to_department(ctx.state, room, department, visitor, by_visitor=True)


@routes.post("livechat/room.transfer", schema=TRANSFER_BODY, deprecation=Deprecation("7.0.0"))
async def room_transfer(ctx: Context) -> dict[str, Any]:
    room = _transfer(ctx)
    keys = ("_id", "t", "departmentId", "servedBy", "open", "v", "ts")
    return {"room": {k: room[k] for k in keys if k in room}}


@routes.post("livechat/visitor/department.transfer", schema=TRANSFER_BODY)
async def department_transfer(ctx: Context) -> dict[str, Any]:
    token, rid = ctx.params["token"], ctx.params["rid"]
    if ctx.store.visitors.find_one({"token": token}) is None:
        raise Failure("invalid-token")
    room = ctx.store.rooms.get(rid)
    if room is None or room.get("v", {}).get("token") != token:
        raise Failure("error-invalid-room")
    if not room.get("open"):
        raise Failure("This_conversation_is_already_closed")
    try:
        _transfer(ctx)
    except ApiError:
        raise Failure("error-transfering-chat") from None
    return {}


@routes.post("livechat/transcript", schema=TRANSCRIPT_BODY)
async def transcript(ctx: Context) -> dict[str, Any]:
    token, rid, email = ctx.params["token"], ctx.params["rid"], ctx.params["email"]
    visitor = ctx.store.visitors.find_one({"token": token})
    room = ctx.store.rooms.get(rid)
    if visitor is None or room is None or room.get("v", {}).get("token") != token:
        raise PlainError("error-invalid-visitor")
    rooms.request_transcript(ctx.state, visitor, rid, email)
    return {"message": "Omnichannel transcript sent"}


@routes.post(
    "livechat/room.closeByUser",
    auth=True,
    permissions=("close-livechat-room",),
    schema=CLOSE_BY_USER_BODY,
)
async def close_by_user(ctx: Context) -> dict[str, Any]:
    room = ctx.store.rooms.get(ctx.params["rid"])
    if room is None or room.get("t") != "l":
        raise PlainError("error-invalid-room")
    if not room.get("open"):
        raise PlainError("error-room-already-closed")
    user = ctx.me
    served = room.get("servedBy", {}).get("_id") == user["_id"]
    if not served and not auth.has_permission(user, "close-others-livechat-room"):
        raise PlainError("error-not-authorized")
    comment = (ctx.params.get("comment") or "").strip()
    if not comment and ctx.state.settings["Livechat_request_comment_when_closing_conversation"]:
        raise PlainError("error-comment-is-required")
    routing.close_room(
        ctx.state,
        room,
        closer="user",
        closed_by=user,
        comment=comment,
        tags=ctx.params.get("tags"),
    )
    return {}


@routes.post(
    "livechat/room.forward",
    auth=True,
    permissions=("view-l-room", "transfer-livechat-guest"),
    schema=FORWARD_BODY,
)
async def forward(ctx: Context) -> dict[str, Any]:
    """``apps/meteor/app/livechat/server/api/v1/room.ts`` ``livechat/room.forward``."""
    room = ctx.store.rooms.get(ctx.params["roomId"])
    if room is None or room.get("t") != "l":
        raise PlainError("error-invalid-room")
    if not room.get("open"):
        raise PlainError("This_conversation_is_already_closed")
    forwarding.forward_room(
        ctx.state,
        room,
        ctx.me,
        department_id=ctx.params.get("departmentId"),
        user_id=ctx.params.get("userId"),
        comment=ctx.params.get("comment"),
    )
    return {}


@routes.get("livechat/room.join", auth=True, permissions=("view-l-room",), schema=JOIN_QUERY)
async def join(ctx: Context) -> dict[str, Any]:
    """``livechat/room.join``: the caller joins the room (a GET that writes)."""
    room_id, user = ctx.params["roomId"], ctx.me

    def joining() -> dict[str, Any]:
        forwarding.join_room(ctx.state, room_id, user)
        return {}

    return await ctx.state.write(joining)


@routes.get("livechat/transfer.history/:rid", auth=True, permissions=("view-livechat-rooms",))
async def transfer_history(ctx: Context) -> dict[str, Any]:
    """``apps/meteor/app/livechat/server/api/v1/transfer.ts``: ``{history, count, offset, total}``.

    No rest-typings validator: ``offset``/``count``/``sort`` as ``getPaginationItems``.
    """
    rid = ctx.path["rid"]
    if ctx.store.rooms.get(rid) is None:
        raise PlainError("invalid-room")
    sort = sort_spec(ctx, [("ts", 1)])
    return page(ctx, "history", forwarding.transfer_history(ctx.state, rid, list(sort)))


_CUSTOM_VALUES: dict[str, Any] = {
    "type": "object",
    "patternProperties": {".*": STRING},
    "nullable": True,
}
SAVE_INFO_BODY = rest_typings("isLiveChatRoomSaveInfoProps")


@routes.put(
    "livechat/room.visitor",
    auth=True,
    permissions=("view-l-room",),
    schema=ROOM_VISITOR_BODY,
    deprecation=Deprecation("7.0.0"),
)
async def change_room_visitor(ctx: Context) -> dict[str, Any]:
    """Give a room another visitor (``apps/meteor/app/livechat/server/api/v1/room.ts``, 7.x,
    deprecated; ``changeRoomVisitor``). Not a route of 8.x."""
    p = ctx.params
    visitor = ctx.store.visitors.get(p["newVisitorId"])
    if visitor is None or visitor.get("disabled"):
        raise PlainError("visitor-not-found")  # findVisitorInfo
    room = ctx.store.rooms.get(p["rid"])
    if room is None:
        raise PlainError("invalid-room")
    if (room.get("v") or {}).get("_id") != p["oldVisitorId"]:
        raise PlainError("invalid-room-visitor")
    if not auth.can_access_room(ctx.me, room):
        raise PlainError("error-not-allowed")
    return {"room": rooms.change_room_visitor(ctx.state, room, visitor)}


@routes.post(
    "livechat/room.saveInfo", auth=True, permissions=("view-l-room",), schema=SAVE_INFO_BODY
)
async def save_info(ctx: Context) -> dict[str, Any]:
    """``apps/meteor/app/livechat/server/api/v1/room.ts`` (``isLiveChatRoomSaveInfoProps``)."""
    room_data, guest_data = ctx.params["roomData"], ctx.params["guestData"]
    room = ctx.store.rooms.get(room_data["_id"])
    if room is None or room.get("t") != "l":
        raise PlainError("error-invalid-room")
    user = ctx.me
    served = room.get("servedBy", {}).get("_id") == user["_id"]
    if not served and not auth.has_permission(user, "save-others-livechat-room-info"):
        raise Forbidden()
    rooms.save_room_info(
        ctx.state,
        room,
        room_data,
        guest_data,
        edit_custom_fields=auth.has_permission(user, "edit-livechat-room-customfields"),
    )
    return {}


#: ``isPOSTLivechatRemoveRoomParams``
REMOVE_ROOM_BODY = obj({"roomId": STRING}, ("roomId",))
#: ``isPOSTLivechatRoomsCloseAll``
REMOVE_CLOSED_BODY = obj({"departmentIds": {**STRINGS, "nullable": True}})
#: ``isPOSTLivechatTranscriptRequestParams``
TRANSCRIPT_REQUEST_BODY = obj({"email": STRING, "subject": STRING}, ("email", "subject"))


@routes.post(
    "livechat/rooms.delete",
    auth=True,
    permissions=("remove-closed-livechat-room",),
    schema=REMOVE_ROOM_BODY,
)
async def delete_room(ctx: Context) -> dict[str, Any]:
    """``apps/meteor/server/api/v1/omnichannel/room.ts``: a Meteor error answers
    ``failure(error.reason)`` — ``Invalid room`` when unknown, a bare ``{"success": false}``
    for an open room (its error has no reason)."""
    try:
        rooms.remove_room(ctx.state, ctx.params["roomId"])
    except MeteorError as exc:
        raise Failure(exc.reason) from None
    return {}


@routes.post(
    "livechat/rooms.removeAllClosedRooms",
    auth=True,
    permissions=("remove-closed-livechat-rooms",),
    schema=REMOVE_CLOSED_BODY,
)
async def remove_all_closed_rooms(ctx: Context) -> dict[str, Any]:
    removed = rooms.remove_closed_rooms(ctx.state, ctx.params.get("departmentIds"))
    return {"removedRooms": removed}


@routes.get("livechat/rooms/filters", auth=True, permissions=("view-l-room",))
async def room_filters(ctx: Context) -> dict[str, Any]:
    """``findAvailableSources()[0].fullTypes``."""
    return {"filters": rooms.room_sources(ctx.state)}


@routes.post(
    "livechat/transcript/:rid",
    auth=True,
    permissions=("send-omnichannel-chat-transcript",),
    schema=TRANSCRIPT_REQUEST_BODY,
)
async def request_transcript_by_user(ctx: Context) -> dict[str, Any]:
    """``apps/meteor/server/api/v1/omnichannel/transcript.ts`` (``requestTranscript``)."""
    rooms.request_transcript_by_user(
        ctx.state, ctx.path["rid"], ctx.params["email"], ctx.params["subject"], ctx.me
    )
    return {}


@routes.delete(
    "livechat/transcript/:rid", auth=True, permissions=("send-omnichannel-chat-transcript",)
)
async def cancel_transcript_request(ctx: Context) -> dict[str, Any]:
    rooms.cancel_transcript_request(ctx.state, ctx.path["rid"])
    return {}
