"""Visitor room lifecycle (open, close, survey, upload, transfer, transcript) and the agent side."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Unpack

from ...errors import InvalidArgumentError
from .. import parsing
from .. import validation as v
from ..endpoint import CallOptions, Parts, Sample, endpoint
from ..lazy import lazy_model
from ..request import Upload, json_body
from ..uploads import FileInput, Progress, UploadSource
from ._samples import MESSAGE, RID, ROOM, TOKEN, page

if TYPE_CHECKING:
    from ...models import (
        ClosedRoom,
        Room,
        RoomResult,
        RoomSource,
        SurveyResult,
        TransferHistoryEntry,
        UploadedMessage,
    )
else:
    ClosedRoom = lazy_model("ClosedRoom")
    Room = lazy_model("Room")
    RoomResult = lazy_model("RoomResult")
    RoomSource = lazy_model("RoomSource")
    SurveyResult = lazy_model("SurveyResult")
    TransferHistoryEntry = lazy_model("TransferHistoryEntry")
    UploadedMessage = lazy_model("UploadedMessage")

SurveyData = Mapping[str, str | int] | Sequence[Mapping[str, Any]]


@endpoint(
    "GET",
    "livechat/room",
    parse=parsing.whole(RoomResult),
    idempotent=True,  # get-or-create: repeating it returns the same open room
    schema="isGETLivechatRoomParams",
    samples=[
        Sample((TOKEN,), response={"room": ROOM, "newRoom": True}),
        Sample((TOKEN,), {"rid": RID, "agent_id": "agent-1"}, response={"room": ROOM}),
    ],
)
def get_room(
    token: str,
    *,
    rid: str | None = None,
    agent_id: str | None = None,
    **options: Unpack[CallOptions],
) -> Parts:
    """The visitor's open room, created (and routed) when there is none (``new_room``)."""
    return Parts(
        params={
            "token": v.required_str("token", token),
            "rid": v.optional_str("rid", rid),
            "agentId": v.optional_str("agent_id", agent_id),
        }
    )


@endpoint(
    "POST",
    "livechat/room.close",
    parse=parsing.whole(ClosedRoom),
    schema="isPOSTLivechatRoomCloseParams",
    samples=[Sample((RID, TOKEN), response={"rid": RID, "comment": "Closed by visitor"})],
)
def close_room(rid: str, token: str, **options: Unpack[CallOptions]) -> Parts:
    """Close the visitor's chat."""
    return Parts(json={"token": v.required_str("token", token), "rid": v.required_str("rid", rid)})


@endpoint(
    "POST",
    "livechat/room.survey",
    parse=parsing.whole(SurveyResult),
    idempotent=True,
    schema="isPOSTLivechatRoomSurveyParams",
    samples=[
        Sample((RID, TOKEN, {"satisfaction": "5"}), response={"rid": RID, "data": {}}),
        Sample((RID, TOKEN, [{"name": "satisfaction", "value": 4}]), response={"rid": RID}),
    ],
)
def submit_survey(rid: str, token: str, data: SurveyData, **options: Unpack[CallOptions]) -> Parts:
    """Rate the chat: ``{"satisfaction": "5", "additionalFeedback": "..."}`` or a list of
    ``{"name", "value"}``. The server keeps only its known items and values 1-5."""
    return Parts(
        json={
            "token": v.required_str("token", token),
            "rid": v.required_str("rid", rid),
            "data": survey_items(data),
        }
    )


@endpoint(
    "POST",
    "livechat/upload/{rid}",
    parse=parsing.whole(UploadedMessage),
    secret=("token",),
    samples=[
        Sample((RID, b"hello", TOKEN), response=MESSAGE),
        Sample(
            (RID, b"%PDF", TOKEN),
            {"description": "Q3", "filename": "q3.pdf", "content_type": "application/pdf"},
            response=MESSAGE,
        ),
    ],
)
def upload_file(
    rid: str,
    file: FileInput,
    token: str,
    *,
    description: str | None = None,
    filename: str | None = None,
    content_type: str | None = None,
    progress: Progress | None = None,
    **options: Unpack[CallOptions],
) -> Parts:
    """Upload a path, bytes or binary file object into the room, streamed from disk.

    ``progress(sent_bytes, total_bytes_or_None)`` is called as the upload proceeds.
    """
    token = v.header_value("token", token)  # it travels in the x-visitor-token header
    if progress is not None and not callable(progress):
        raise InvalidArgumentError("progress", "expected a callable(sent, total)")
    source = UploadSource(
        file,
        filename=v.optional_str("filename", filename),
        content_type=None if content_type is None else v.header_value("content_type", content_type),
    )
    fields = json_body(description=v.optional_str("description", description))
    return Parts(
        path={"rid": v.path_segment("rid", rid)},
        headers={"x-visitor-token": token},
        upload=Upload(source, fields, progress),
    )


@endpoint(
    "POST",
    "livechat/room.transfer",
    parse=parsing.optional_under(Room, "room"),
    since={(8, 0): "livechat/visitor/department.transfer"},  # 8.0 removed room.transfer
    schema="isPOSTLivechatVisitorDepartmentTransferParams",
    samples=[Sample((RID, TOKEN, "dep-2"), response={"room": ROOM}), Sample((RID, TOKEN, "dep-2"))],
)
def transfer_room(rid: str, token: str, department: str, **options: Unpack[CallOptions]) -> Parts:
    """Move the chat to another department (Rocket.Chat >= 8 returns no room: ``None``)."""
    return Parts(
        json={
            "token": v.required_str("token", token),
            "rid": v.required_str("rid", rid),
            "department": v.required_str("department", department),
        }
    )


@endpoint(
    "POST",
    "livechat/transcript",
    parse=parsing.text_under("message"),
    schema="isPOSTLivechatTranscriptParams",
    samples=[Sample((RID, TOKEN, "alice@example.com"), response={"message": "Sent"})],
)
def request_transcript(rid: str, token: str, email: str, **options: Unpack[CallOptions]) -> Parts:
    """Ask for the conversation's transcript by e-mail; returns the server's confirmation."""
    return Parts(
        json={
            "token": v.required_str("token", token),
            "rid": v.required_str("rid", rid),
            "email": v.required_str("email", email),
        }
    )


@endpoint(
    "GET",
    "livechat/rooms",
    parse=parsing.page_under(Room, "rooms"),
    auth="user",
    idempotent=True,
    schema="isGETLivechatRoomsParams",
    samples=[
        Sample(response=page("rooms", ROOM)),
        Sample(
            kwargs={
                "agents": ["agent-1"],
                "department_id": "dep-1",
                "open": True,
                "created_at": {"start": "2024-01-01T00:00:00.000Z"},
                "closed_at": {"end": "2024-12-31T00:00:00.000Z"},
                "tags": ["vip"],
                "custom_fields": {"plan": "gold"},
                "offset": 0,
                "count": 25,
                "sort": {"ts": -1},
            },
            response=page("rooms"),
        ),
    ],
)
def list_rooms(
    *,
    agents: Sequence[str] | None = None,
    department_id: str | None = None,
    open: bool | None = None,
    created_at: Mapping[str, Any] | None = None,
    closed_at: Mapping[str, Any] | None = None,
    tags: Sequence[str] | None = None,
    custom_fields: Mapping[str, str] | None = None,
    offset: int | None = None,
    count: int | None = None,
    sort: Mapping[str, int] | None = None,
    **options: Unpack[CallOptions],
) -> Parts:
    """One page of livechat rooms (agent/manager). ``created_at={"start": ..., "end": ...}``."""
    return Parts(
        params={
            "agents": v.optional_str_list("agents", agents),
            "departmentId": v.optional_str("department_id", department_id),
            "open": v.optional_bool("open", open),
            "createdAt": _date_range("created_at", created_at),
            "closedAt": _date_range("closed_at", closed_at),
            "tags": v.optional_str_list("tags", tags),
            "customFields": v.optional_json("custom_fields", custom_fields),
            "offset": v.optional_int("offset", offset),
            "count": v.optional_int("count", count, minimum=1),
            "sort": v.optional_json("sort", sort),
        }
    )


@endpoint(
    "POST",
    "livechat/room.closeByUser",
    parse=parsing.nothing,
    auth="user",
    schema="isPOSTLivechatRoomCloseByUserParams",
    samples=[Sample((RID,)), Sample((RID,), {"comment": "Solved", "tags": ["billing"]})],
)
def close_room_by_user(
    rid: str,
    *,
    comment: str | None = None,
    tags: Sequence[str] | None = None,
    **options: Unpack[CallOptions],
) -> Parts:
    """Close the room as the logged-in agent (Rocket.Chat requires a comment by default)."""
    return Parts(
        json=json_body(
            rid=v.required_str("rid", rid),
            comment=v.optional_str("comment", comment),
            tags=v.optional_str_list("tags", tags),
        )
    )


@endpoint(
    "POST",
    "livechat/room.forward",
    parse=parsing.nothing,
    auth="user",
    schema="isLiveChatRoomForwardProps",
    samples=[
        Sample((RID,), {"user_id": "agent-2"}),
        Sample((RID,), {"department_id": "dep-2", "comment": "Billing question"}),
        Sample((RID,), {"department_id": "dep-2", "user_id": "agent-2", "client_action": True}),
    ],
)
def forward_room(
    rid: str,
    *,
    department_id: str | None = None,
    user_id: str | None = None,
    comment: str | None = None,
    client_action: bool | None = None,
    **options: Unpack[CallOptions],
) -> Parts:
    """Hand the chat off to another agent (``user_id``) or department (``department_id``;
    with ``user_id`` too: that agent of the department), as an agent or manager.

    ``apps/meteor/app/livechat/server/api/v1/room.ts`` / ``lib/Helper.ts``
    (``forwardRoomToAgent``, ``forwardRoomToDepartment``). To a department under
    Auto_Selection the next available agent of it takes the chat; under Manual_Selection the
    chat goes back to that department's queue. The comment is stored in the transfer history.
    Refusals: :class:`RoomClosedError`, :class:`AgentOfflineError`,
    :class:`NoAgentOnlineError` (``error-no-agents-online-in-department``),
    :class:`InvalidDepartmentError`, :class:`ForwardingError` (same agent/department, agent
    outside the department). Rocket.Chat needs one target: at least one of ``department_id``
    and ``user_id``. ``client_action`` is Rocket.Chat's "asked from a client" flag: it only
    matters to the Enterprise max-chats-per-agent check (out of scope here), which then refuses
    instead of leaving the chat unassigned.
    """
    department = v.optional_str("department_id", department_id)
    user = v.optional_str("user_id", user_id)
    if not department and not user:
        raise InvalidArgumentError("department_id", "give department_id and/or user_id")
    return Parts(
        json=json_body(
            roomId=v.required_str("rid", rid),
            userId=user,
            departmentId=department,
            comment=v.optional_str("comment", comment),
            clientAction=v.optional_bool("client_action", client_action),
        )
    )


@endpoint(
    "GET",
    "livechat/room.join",
    parse=parsing.nothing,
    auth="user",
    schema="isLiveChatRoomJoinProps",
    samples=[Sample((RID,))],
)
def join_room(rid: str, **options: Unpack[CallOptions]) -> Parts:
    """Join the chat as the logged-in agent/manager (a ``uj`` message; the serving agent keeps
    it). Refusals: :class:`RoomClosedError` (``room-closed``), :class:`ActionNotAllowedError`
    (``error-not-allowed``: no access to the room), :class:`UserAlreadyInRoomError`."""
    return Parts(params={"roomId": v.required_str("rid", rid)}, arguments={"roomId": "rid"})


@endpoint(
    "GET",
    "livechat/transfer.history/{rid}",
    parse=parsing.page_under(TransferHistoryEntry, "history"),
    auth="user",
    idempotent=True,
    samples=[
        Sample(
            (RID,),
            response=page(
                "history",
                {
                    "transferredBy": {"_id": "agent-1", "username": "agent", "userType": "agent"},
                    "ts": "2024-10-15T02:52:42.123Z",
                    "scope": "agent",
                    "comment": "Billing question",
                    "transferredTo": {"_id": "agent-2", "username": "bob"},
                },
            ),
        ),
        Sample((RID,), {"offset": 0, "count": 10, "sort": {"ts": -1}}, response=page("history")),
    ],
)
def get_transfer_history(
    rid: str,
    *,
    offset: int | None = None,
    count: int | None = None,
    sort: Mapping[str, int] | None = None,
    **options: Unpack[CallOptions],
) -> Parts:
    """One page of the chat's hand-offs, oldest first by default (managers:
    ``view-livechat-rooms``). ``apps/meteor/app/livechat/server/api/v1/transfer.ts``."""
    return Parts(
        path={"rid": v.path_segment("rid", rid)},
        params={
            "offset": v.optional_int("offset", offset),
            "count": v.optional_int("count", count, minimum=1),
            "sort": v.optional_json("sort", sort),
        },
    )


def survey_items(data: object) -> list[dict[str, str]]:
    """``{name: value}`` or ``[{name, value}]`` → Rocket.Chat's list; values may be ints."""
    if isinstance(data, Mapping):
        items: list[Any] = [{"name": k, "value": val} for k, val in data.items()]
    elif isinstance(data, Sequence) and not isinstance(data, str):
        items = list(data)
    else:
        raise InvalidArgumentError("data", "expected a dict or a list of {name, value}")
    if not items:
        raise InvalidArgumentError("data", "must not be empty")
    result = []
    for i, item in enumerate(items):
        if not isinstance(item, Mapping) or not {"name", "value"} <= item.keys():
            raise InvalidArgumentError(f"data[{i}]", "expected a mapping with 'name' and 'value'")
        value = item["value"]
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        result.append(
            {
                "name": v.required_str(f"data[{i}].name", item["name"]),
                "value": v.required_str(f"data[{i}].value", value),
            }
        )
    return result


def _date_range(name: str, value: object) -> str | None:
    """``{"start": date, "end": date}`` (datetimes or ISO strings) as Rocket.Chat's JSON string."""
    mapping = v.optional_mapping(name, value)
    if mapping is None:
        return None
    unknown = set(mapping) - {"start", "end"}
    if unknown or not mapping:
        raise InvalidArgumentError(name, "expected a mapping with 'start' and/or 'end'")
    return json.dumps({k: v.optional_timestamp(f"{name}.{k}", val) for k, val in mapping.items()})


@endpoint(
    "GET",
    "livechat/visitor/{token}/room",
    parse=parsing.list_under(Room, "rooms"),
    auth="user",
    idempotent=True,
    secret=("token",),
    samples=[Sample((TOKEN,), response={"rooms": [ROOM]})],
)
def get_visitor_rooms(token: str, **options: Unpack[CallOptions]) -> Parts:
    """The open rooms of the visitor ``token`` (managers: ``view-livechat-manager``).

    Rocket.Chat: ``apps/meteor/app/livechat/server/api/v1/visitor.ts``; an unknown token gives
    ``[]``. Each room carries only ``_id``, ``name``, ``t``, ``cl``, ``u``, ``usernames``,
    ``servedBy``.
    """
    return Parts(path={"token": v.path_segment("token", token)})


def _string_map(name: str, value: object) -> dict[str, str] | None:
    mapping = v.optional_mapping(name, value)
    if mapping is None:
        return None
    return {
        v.required_str(f"{name}[{key!r}]", key): v.required_str(f"{name}[{key!r}]", val)
        for key, val in mapping.items()
    }


@endpoint(
    "POST",
    "livechat/room.saveInfo",
    parse=parsing.nothing,
    auth="user",
    schema="isLiveChatRoomSaveInfoProps",
    samples=[
        Sample((RID, "v1")),
        Sample(
            (RID, "v1"),
            {
                "topic": "Billing",
                "livechat_data": {"plan": "gold"},
                "name": "Alice",
                "email": "alice@example.com",
                "phone": "+15550100",
                "custom_fields": {"company": "ACME"},
            },
        ),
    ],
)
def save_room_info(
    rid: str,
    visitor_id: str,
    *,
    topic: str | None = None,
    livechat_data: Mapping[str, str] | None = None,
    name: str | None = None,
    email: str | None = None,
    phone: str | None = None,
    custom_fields: Mapping[str, str] | None = None,
    **options: Unpack[CallOptions],
) -> Parts:
    """Edit the room (``topic``, room custom fields ``livechat_data``) and its visitor
    (``name``, ``email``, ``phone``, visitor custom fields ``custom_fields``).

    Rocket.Chat: ``room.saveInfo`` in ``apps/meteor/app/livechat/server/api/v1/room.ts``. Needs
    ``view-l-room``, and ``save-others-livechat-room-info`` unless the caller serves the room
    (else 403 ``unauthorized``); custom fields are written only with
    ``edit-livechat-room-customfields`` and only for existing fields of the matching scope.
    The serving agent's stream sees the updated room; the embedded server also pushes a
    ``VisitorChangedEvent`` on the room (Rocket.Chat itself does not). Tags, priority and SLA
    are Enterprise-only and not offered.
    """
    room_data = json_body(
        _id=v.required_str("rid", rid),
        topic=v.optional_str("topic", topic),
        livechatData=_string_map("livechat_data", livechat_data),
    )
    guest_data = json_body(
        _id=v.required_str("visitor_id", visitor_id),
        name=v.optional_str("name", name),
        email=v.optional_str("email", email),
        phone=v.optional_str("phone", phone),
        livechatData=_string_map("custom_fields", custom_fields),
    )
    return Parts(json={"roomData": room_data, "guestData": guest_data})


@endpoint(
    "POST",
    "livechat/rooms.delete",
    parse=parsing.nothing,
    auth="user",
    schema="isPOSTLivechatRemoveRoomParams",
    samples=[Sample((RID,))],
    added=(7, 12),  # #36958 (replaces DDP livechat:removeRoom)
)
def delete_room(rid: str, **options: Unpack[CallOptions]) -> Parts:
    """Delete a *closed* livechat room with its messages and inquiry
    (``remove-closed-livechat-room``; ``apps/meteor/server/api/v1/omnichannel/room.ts``,
    ``removeOmnichannelRoom``). Rocket.Chat answers an unknown room with ``Invalid room`` and
    an open room with a bare ``{"success": false}``."""
    return Parts(json={"roomId": v.required_str("rid", rid)})


@endpoint(
    "POST",
    "livechat/rooms.removeAllClosedRooms",
    parse=parsing.int_under("removedRooms"),
    auth="user",
    schema="isPOSTLivechatRoomsCloseAll",
    added=(8, 0),  # #36931 (replaces DDP livechat:removeAllClosedRooms)
    samples=[
        Sample(response={"removedRooms": 3}),
        Sample(kwargs={"department_ids": ["dep-1"]}, response={"removedRooms": 0}),
    ],
)
def remove_all_closed_rooms(
    *, department_ids: Sequence[str] | None = None, **options: Unpack[CallOptions]
) -> Parts:
    """Delete every closed livechat room (of ``department_ids`` when given) and answer how many
    were removed (``remove-closed-livechat-rooms``)."""
    return Parts(
        json=json_body(departmentIds=v.optional_str_list("department_ids", department_ids))
    )


@endpoint(
    "GET",
    "livechat/rooms/filters",
    parse=parsing.list_under(RoomSource, "filters"),
    auth="user",
    idempotent=True,
    samples=[Sample(response={"filters": [{"type": "widget"}, {"type": "api"}]})],
)
def get_room_filters(**options: Unpack[CallOptions]) -> Parts:
    """The distinct sources of the stored livechat rooms (``view-l-room``;
    ``LivechatRooms.findAvailableSources``), for filtering room lists by source."""
    return Parts()


@endpoint(
    "POST",
    "livechat/transcript/{rid}",
    parse=parsing.nothing,
    auth="user",
    schema="isPOSTLivechatTranscriptRequestParams",
    samples=[Sample((RID, "visitor@example.com", "Your conversation"))],
)
def request_transcript_for_room(
    rid: str, email: str, subject: str, **options: Unpack[CallOptions]
) -> Parts:
    """Ask for the open room's transcript to be e-mailed to ``email`` when the room closes
    (``send-omnichannel-chat-transcript``; ``apps/meteor/server/api/v1/omnichannel/transcript.ts``):
    sets the room's ``transcriptRequest``. Refusals: ``error-invalid-room`` (unknown or closed),
    ``error-transcript-already-requested``."""
    return Parts(
        path={"rid": v.path_segment("rid", rid)},
        json={
            "email": v.required_str("email", email),
            "subject": v.required_str("subject", subject),
        },
    )


@endpoint(
    "DELETE",
    "livechat/transcript/{rid}",
    parse=parsing.nothing,
    auth="user",
    samples=[Sample((RID,))],
)
def cancel_transcript_request(rid: str, **options: Unpack[CallOptions]) -> Parts:
    """Withdraw the open room's transcript request (``send-omnichannel-chat-transcript``):
    unsets ``transcriptRequest``. Refusals: ``error-invalid-room`` (unknown or closed),
    ``error-transcript-not-requested``."""
    return Parts(path={"rid": v.path_segment("rid", rid)})
