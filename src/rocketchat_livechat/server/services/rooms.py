"""Livechat room details kept by the visitor: survey, call status, transcript requests.

Opening, routing, transfers and closing are in :mod:`.routing`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from ..errors import MeteorError, PlainError
from ..state import ServerState
from ..store import Doc
from . import events, messages, webhooks
from ._constants import EMAIL_RE, ROCKET_CAT

SURVEY_FIELDS = ("satisfaction", "agentKnowledge", "agentResposiveness", "agentFriendliness")
SURVEY_VALUES = ("1", "2", "3", "4", "5")


def find_open_room(state: ServerState, token: str) -> Doc | None:
    """The visitor's oldest open livechat room."""
    return state.store.rooms.find_one({"t": "l", "v.token": token, "open": True}, sort=[("ts", 1)])


def save_survey(state: ServerState, rid: str, data: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """Keep the known survey answers (and ``additionalFeedback``) on the room; returns them."""
    kept: dict[str, str] = {}
    for item in data:
        name, value = item["name"], item["value"]
        if (name in SURVEY_FIELDS and value in SURVEY_VALUES) or name == "additionalFeedback":
            kept[name] = value
    if not kept:
        raise PlainError("invalid-data")
    state.store.rooms.update(rid, {"$set": {"surveyFeedback": kept}})
    return kept


def set_call_status(state: ServerState, rid: str, token: str, status: str) -> None:
    """Record a call status on the visitor's room (nothing when it is not theirs)."""
    with state.store.transaction():
        room = state.store.rooms.get(rid)
        if room is not None and room.get("v", {}).get("token") == token:
            state.store.rooms.update(room["_id"], {"$set": {"callStatus": status}})


def request_transcript(state: ServerState, visitor: Doc, rid: str, email: str) -> Doc:
    """Record the visitor's request for the transcript to be e-mailed (a system message)."""
    if not EMAIL_RE.match(email):
        raise MeteorError("invalid email")
    request_data = {
        "type": "visitor",
        "visitor": {"_id": visitor["_id"], "username": visitor["username"]},
        "email": email,
        "subject": "Transcript of your livechat conversation",
        "requestedAt": state.now(),
    }
    return messages.system_message(
        state, rid, "livechat_transcript_history", "", ROCKET_CAT, requestData=request_data
    )


def _custom_values(state: ServerState, scope: str, data: Mapping[str, Any]) -> dict[str, str]:
    """The values of ``data`` for existing custom fields of ``scope``, trimmed and regexp-checked
    (``saveGuest`` / ``saveRoomInfo``: ``Invalid value for <label> field``)."""
    kept: dict[str, str] = {}
    for field in state.store.custom_fields.find({"scope": scope}):
        if field["_id"] not in data:
            continue
        value = str(data[field["_id"]]).strip()
        regexp = field.get("regexp")
        if value and regexp and not re.search(regexp, value):
            raise PlainError(f"Invalid value for {field.get('label') or field['_id']} field")
        kept[field["_id"]] = value
    return kept


def _set_or_unset(update: dict[str, dict[str, Any]], key: str, value: Any) -> None:
    if value:
        update["$set"][key] = value
    else:
        update["$unset"][key] = 1


def save_room_info(
    state: ServerState,
    room: Doc,
    room_data: Mapping[str, Any],
    guest_data: Mapping[str, Any],
    *,
    edit_custom_fields: bool,
) -> Doc:
    """``POST livechat/room.saveInfo``: ``saveGuest`` then ``saveRoomInfo`` (livechat lib
    ``guests.ts`` / ``rooms.ts``, models ``saveGuestById`` / ``saveRoomById``); returns the visitor.

    Rocket.Chat runs both halves concurrently and reports the first failure after both ran; here
    every check comes first, so a refused call changes nothing. Without
    ``edit-livechat-room-customfields`` the visitor's custom fields are left alone while the
    room's ``livechatData`` is written as sent (unfiltered), as Rocket.Chat does. The room's
    ``tags`` are replaced (and removed when none are sent), as ``saveRoomById`` does; priority and
    SLA are Enterprise features and ignored.
    """
    visitor = state.store.visitors.get(guest_data["_id"])
    if visitor is None or visitor.get("disabled"):
        raise PlainError("error-invalid-visitor")
    guest_fields = guest_data.get("livechatData") or {}
    visitor_values = _custom_values(state, "visitor", guest_fields) if edit_custom_fields else None
    room_values: Mapping[str, Any] = room_data.get("livechatData") or {}
    if edit_custom_fields and room_values:
        room_values = _custom_values(state, "room", room_values)

    # saveGuestById: only non-empty values are written; whitespace-only ones unset the field
    guest: dict[str, dict[str, Any]] = {"$set": {}, "$unset": {}}
    name, email = guest_data.get("name"), guest_data.get("email")
    phone = None if room.get("sms") else guest_data.get("phone")
    if name:
        _set_or_unset(guest, "name", name.strip())
    if email:
        _set_or_unset(
            guest, "visitorEmails", [{"address": email.strip()}] if email.strip() else None
        )
    if phone:
        _set_or_unset(guest, "phone", [{"phoneNumber": phone.strip()}] if phone.strip() else None)
    for key, value in (visitor_values or {}).items():
        _set_or_unset(guest, f"livechatData.{key}", value)
    if guest["$set"] or guest["$unset"]:
        guest["$set"]["_updatedAt"] = state.now()
        visitor = state.store.visitors.update(visitor["_id"], guest) or visitor

    # saveRoomById
    update: dict[str, dict[str, Any]] = {"$set": {}, "$unset": {}}
    topic = room_data.get("topic")
    if topic is not None:
        _set_or_unset(update, "topic", topic.strip())
    tags = room_data.get("tags")
    _set_or_unset(update, "tags", list(tags) if isinstance(tags, list) and tags else None)
    for key, value in room_values.items():
        _set_or_unset(update, f"livechatData.{key}", str(value).strip())
    if name and name.strip():
        update["$set"]["fname"] = name
        for inquiry in state.store.inquiries.update_many(
            {"rid": room["_id"]}, {"$set": {"name": name}}
        ):
            events.inquiry(state, "changed", inquiry)
    update["$set"]["_updatedAt"] = state.now()
    updated = state.store.rooms.update(room["_id"], update) or room
    served = (updated.get("servedBy") or {}).get("_id")
    if served:  # notifyOnRoomChangedById: the serving agent's subscription sees the new room
        events.user_rooms_changed(state, served, "updated", updated)
    # Rocket.Chat emits ``visitorData`` only from changeRoomVisitor (notifyRoomVisitorChange);
    # the embedded server also tells the room's visitor stream here (issue #12).
    events.visitor_data(state, room["_id"], visitor)
    webhooks.room_edited(state, room["_id"])  # livechat.saveInfo: closed rooms only
    return visitor


def change_room_visitor(state: ServerState, room: Doc, visitor: Doc) -> Doc:
    """``changeRoomVisitor``: ``LivechatRooms.changeVisitorByRoomId`` (the room's ``v._id``,
    ``v.username``, ``v.token``), then ``visitorData`` on the room's stream."""
    fields = {f"v.{key}": visitor.get(key) for key in ("_id", "username", "token")}
    updated = state.store.rooms.update(room["_id"], {"$set": fields}) or room
    events.visitor_data(state, room["_id"], visitor)
    return updated


def remove_room(state: ServerState, rid: str) -> None:
    """``removeOmnichannelRoom``: delete a closed livechat room, its messages, subscriptions and
    inquiry. Unknown: ``error-invalid-room``; open: ``error-room-is-not-closed``."""
    room = state.store.rooms.get(rid)
    if room is None:
        raise MeteorError("error-invalid-room", "Invalid room")
    if room.get("t") != "l":
        raise MeteorError("error-this-is-not-a-livechat-room")
    if room.get("open"):
        raise MeteorError("error-room-is-not-closed")
    with state.store.transaction():
        state.store.messages.delete_many({"rid": rid})
        state.store.subscriptions.delete_many({"rid": rid})
        inquiries = state.store.inquiries.delete_many({"rid": rid})
        state.store.rooms.delete(rid)
    for inquiry in inquiries:
        events.inquiry(state, "removed", inquiry)


def remove_closed_rooms(state: ServerState, department_ids: list[str] | None) -> int:
    """``LivechatRooms.findClosedRooms(departmentIds)`` then :func:`remove_room` for each;
    the number removed."""
    flt: dict[str, Any] = {"t": "l", "open": {"$exists": False}}
    if department_ids:
        flt["departmentId"] = {"$in": department_ids}
    closed = [r for r in state.store.rooms.find(flt) if r.get("closedAt") is not None]
    for room in closed:
        remove_room(state, room["_id"])
    return len(closed)


def room_sources(state: ServerState) -> list[Doc]:
    """``LivechatRooms.findAvailableSources()``' ``fullTypes``: the distinct ``source`` documents
    of the livechat rooms (``type``, ``id``, ``alias``, ``sidebarIcon``, ``defaultIcon``,
    ``label``, ``destination``), in first-seen order."""
    keys = ("type", "id", "alias", "sidebarIcon", "defaultIcon", "label", "destination")
    seen: list[Doc] = []
    for room in state.store.rooms.find({"t": "l"}):
        source = room.get("source") or {}
        item = {k: source[k] for k in keys if k in source}
        if item and item not in seen:
            seen.append(item)
    return seen


def request_transcript_by_user(
    state: ServerState, rid: str, email: str, subject: str, user: Doc
) -> None:
    """``requestTranscript``: an agent asks for the open room's transcript to be e-mailed when it
    closes (``transcriptRequest`` set)."""
    room = state.store.rooms.get(rid)
    if room is None or room.get("t") != "l" or not room.get("open"):
        raise MeteorError("error-invalid-room", "Invalid room")
    if room.get("transcriptRequest"):
        raise MeteorError("error-transcript-already-requested", "Transcript already requested")
    requested_by: Doc = {
        "_id": user["_id"],
        "username": user["username"],
        "utcOffset": user.get("utcOffset", 0),
    }
    if user.get("name"):
        requested_by["name"] = user["name"]
    request = {
        "requestedAt": state.now(),
        "requestedBy": requested_by,
        "email": email,
        "subject": subject,
    }
    state.store.rooms.update(rid, {"$set": {"transcriptRequest": request}})


def cancel_transcript_request(state: ServerState, rid: str) -> None:
    """``DELETE livechat/transcript/:rid``: ``transcriptRequest`` unset (open rooms only)."""
    room = state.store.rooms.get(rid)
    if room is None or room.get("t") != "l" or not room.get("open"):
        raise MeteorError("error-invalid-room", "Invalid room")
    if not room.get("transcriptRequest"):
        raise MeteorError("error-transcript-not-requested", "Transcript not requested")
    state.store.rooms.update(rid, {"$unset": {"transcriptRequest": 1}})
