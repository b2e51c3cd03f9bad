"""Messages: insertion (with room bookkeeping and broadcasts), edits, deletes, history."""

from __future__ import annotations

import re
import sqlite3
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

from .. import auth
from ..errors import MeteorError, PlainError
from ..ids import random_id
from ..state import ServerState
from ..store import Doc, Update
from . import events, metrics, webhooks

#: Rocket.Chat's livechat wrapper fails like this when the insert returned nothing (dup ``_id``)
DUPLICATE_ID_ERROR = "Cannot convert undefined or null to object"


class DuplicateMessageError(PlainError):
    """A message with this ``_id`` already exists; nothing was inserted."""

    def __init__(self) -> None:
        super().__init__(DUPLICATE_ID_ERROR)


def parse_markdown(text: str) -> list[Doc]:
    """A minimal ``md`` tree (Rocket.Chat's message-parser output for plain text)."""
    if not text:
        return []
    return [
        {"type": "PARAGRAPH", "value": [{"type": "PLAIN_TEXT", "value": line}]}
        for line in text.split("\n")
    ]


def user_ref(doc: Doc) -> Doc:
    """``{_id, username, name?}`` of a user or visitor, as stored in ``u``."""
    ref: Doc = {"_id": doc["_id"], "username": doc["username"]}
    if doc.get("name"):
        ref["name"] = doc["name"]
    return ref


def _new_message(state: ServerState, rid: str, msg: str, author: Doc, **extra: Any) -> Doc:
    now = state.now()
    return {
        "_id": extra.pop("_id", None) or random_id(),
        "rid": rid,
        "msg": msg,
        "ts": now,
        "u": user_ref(author),
        "_updatedAt": now,
        **extra,
    }


def insert(
    state: ServerState, message: Doc, *, room: Doc | None = None, room_update: Update | None = None
) -> Doc:
    """Persist a message, update its room (one write) and broadcast it.

    A message that is neither a system nor a hidden one bumps the room's ``msgs``, ``lm`` and
    ``lastMessage``; ``room_update`` holds further changes for that same write. ``room`` is the
    room as stored, read inside the caller's open transaction (updated in place, not re-read).
    """
    update = _room_update(message, room_update)
    with state.store.transaction():
        try:
            state.store.messages.insert(message)
        except sqlite3.IntegrityError:
            raise DuplicateMessageError() from None
        if update:
            current = room if room is not None else state.store.rooms.get(message["rid"])
            if current is not None:
                # a counted message (not system, not hidden) also moves the response metrics
                update = _merge(update, metrics.message_update(current, message, state.now()))
                state.store.rooms.update_held(current, update)
    if not message.get("_hidden"):
        events.message(state, message)
    return message


def _merge(update: dict[str, dict[str, Any]], extra: Update) -> dict[str, dict[str, Any]]:
    for op, fields in extra.items():
        update[op] = {**update.get(op, {}), **fields}
    return update


def _room_update(message: Doc, extra: Update | None) -> dict[str, dict[str, Any]]:
    """The room's bookkeeping for a new message merged with ``extra`` (maybe empty)."""
    update: dict[str, dict[str, Any]] = {}
    if "t" not in message and not message.get("_hidden"):
        ts = message["ts"]
        update = {"$inc": {"msgs": 1}, "$set": {"lm": ts, "lastMessage": message, "_updatedAt": ts}}
    for op, fields in (extra or {}).items():
        update[op] = {**update.get(op, {}), **fields}
    return update


def system_message(
    state: ServerState, rid: str, t: str, msg: str, author: Doc, **extra: Any
) -> Doc:
    """Insert a system message of type ``t`` (``uj``, ``livechat-close``, ...)."""
    message = _new_message(state, rid, msg, author, t=t, groupable=False, **extra)
    return insert(state, message)


def _chat_fields(msg: str) -> Doc:
    return {"urls": [], "mentions": [], "channels": [], "md": parse_markdown(msg)}


#: the URL pattern of Rocket.Chat's ``getMessageUrls`` / message parser (a URL ends at ``]``,
#: ``)`` or a space, so ``[<url>](text)`` yields ``<url>``)
_URL = re.compile(
    r"([A-Za-z]{3,9}):\/\/([-;:&=+$,\w]+@)?([-A-Za-z0-9.]+)+:?(\d+)?"
    r"((\/[-+=!:~%/.@,\w]*)?\??([-+=&!:;%@/.,\w]+)?(?:#([^\s)\]]+))?)?"
)


def _quote_urls(state: ServerState, message: Doc) -> None:
    """``beforeSaveMessage`` ``jumpToMessage`` (``apps/meteor/app/oembed/server/jumpToMessage.ts``).

    Every URL of the text goes into ``urls``; one on this server (``Site_Url``) whose query has
    ``msg=<id>`` of a message the author may see (a visitor: a message of a room of its token)
    adds a quote attachment (``createQuoteAttachment``: ``text``, ``md``, ``message_link``,
    ``author_name``, ``author_icon``, ``attachments``, ``ts``) and is marked ``ignoreParse``. The
    quoted message's own quotes are cut at ``Message_QuoteChainLimit`` levels.
    """
    site = str(state.settings["Site_Url"]).rstrip("/") + "/"
    urls: list[Doc] = []
    for match in _URL.finditer(message.get("msg") or ""):
        item: Doc = {"url": match.group(0)}
        urls.append(item)
        quoted = _quoted_message(state, item["url"], site)
        if quoted is None:
            continue
        quoted_room = state.store.rooms.get(quoted["rid"])
        token = message.get("token")
        if quoted_room is None or not token or (quoted_room.get("v") or {}).get("token") != token:
            continue
        attachments = [
            a for a in message.get("attachments") or [] if a.get("message_link") != item["url"]
        ]
        attachments.append(_quote_attachment(state, quoted, item["url"]))
        message["attachments"] = attachments
        item["ignoreParse"] = True
    message["urls"] = urls


def _quoted_message(state: ServerState, url: str, site: str) -> Doc | None:
    if site not in url:
        return None
    query = urlsplit(url).query
    if not query:
        return None
    ids = parse_qs(query).get("msg")
    if not ids or len(ids) != 1:
        return None
    return state.store.messages.get(ids[0])


def _quote_attachment(state: ServerState, quoted: Doc, link: str) -> Doc:
    author = quoted.get("u") or {}
    use_real_name = bool(state.settings.get("UI_Use_Real_Name", False))
    display = (author.get("name") if use_real_name else None) or author.get("username")
    attachment: Doc = {
        "text": quoted.get("msg", ""),
        "md": quoted.get("md", parse_markdown(quoted.get("msg", ""))),
        "message_link": link,
        "author_name": quoted.get("alias") or display,
        "author_icon": f"/avatar/{author.get('username', '')}",
        "attachments": _cut_quotes(state, quoted.get("attachments") or []),
        "ts": quoted["ts"],
    }
    if quoted.get("translations"):
        attachment["translations"] = quoted["translations"]
    return attachment


def _cut_quotes(state: ServerState, attachments: list[Doc], depth: int = 1) -> list[Doc]:
    """``validateAttachmentDeepness``: nested quotes below ``Message_QuoteChainLimit`` go."""
    limit = int(state.settings.get("Message_QuoteChainLimit", 2) or 2)
    out: list[Doc] = []
    for attachment in attachments:
        attachment = dict(attachment)
        if "message_link" in attachment:
            if depth < limit:
                attachment["attachments"] = _cut_quotes(
                    state, attachment.get("attachments") or [], depth + 1
                )
            else:
                attachment.pop("attachments", None)
        out.append(attachment)
    return out


def send_visitor_message(
    state: ServerState,
    visitor: Doc,
    room: Doc,
    msg: str,
    message_id: str | None = None,
    **fields: Any,
) -> Doc:
    """A visitor message in an open room (``POST livechat/message``, uploads).

    ``room`` is the room as stored, read inside the caller's open transaction (it is updated
    in place). ``fields`` are extra message fields (file messages). Raises
    :class:`DuplicateMessageError` when ``message_id`` exists already.
    """
    extra: Doc = {"_id": message_id, "token": visitor["token"], **_chat_fields(msg), **fields}
    if visitor.get("name"):
        extra["alias"] = visitor["name"]
    message = _new_message(state, room["_id"], msg, visitor, **extra)
    _quote_urls(state, message)
    with state.store.transaction():
        insert(state, message, room=room, room_update={"$set": {"v.lastMessageTs": message["ts"]}})
        if not room.get("servedBy"):  # a served room's inquiry is taken (``routing.take``)
            _inquiry_last_message(state, message)
    webhooks.message_saved(state, message)
    webhooks.lead_capture(state, message)
    return message


def _inquiry_last_message(state: ServerState, message: Doc) -> None:
    """Copy a visitor message into the room's inquiry while it waits for an agent."""
    inquiry = state.store.inquiries.find_one({"rid": message["rid"]})
    if inquiry is not None and inquiry.get("status") != "taken":
        state.store.inquiries.update_held(inquiry, {"$set": {"lastMessage": message}})
        events.inquiry(state, "changed", inquiry)


def send_file_message(
    state: ServerState, visitor: Doc, room: Doc, msg: str, *, file: Doc, attachment: Doc
) -> Doc:
    """A visitor's file message (upload): ``file``, ``files``, ``attachments``."""
    file_ref = {k: file[k] for k in ("_id", "name", "type")}
    return send_visitor_message(
        state,
        visitor,
        room,
        msg,
        file=file_ref,
        files=[file],
        attachments=[attachment],
        groupable=False,
    )


def send_user_message(
    state: ServerState,
    user: Doc,
    room: Doc,
    msg: str,
    message_id: str | None = None,
    **fields: Any,
) -> Doc:
    """An agent/user message (``chat.sendMessage``, agent uploads); the first one sets
    ``responseBy``. ``fields`` are extra message fields (file messages)."""
    message = _new_message(
        state, room["_id"], msg, user, _id=message_id, **_chat_fields(msg), **fields
    )
    room_update: Update = {}
    if room.get("t") == "l" and room.get("servedBy", {}).get("_id") == user["_id"]:
        first = room.get("responseBy", {}).get("firstResponseTs", message["ts"])
        room_update = {
            "$set": {
                "responseBy": {
                    "_id": user["_id"],
                    "username": user["username"],
                    "firstResponseTs": first,
                    "lastMessageTs": message["ts"],
                }
            },
            "$unset": {"waitingResponse": 1},
        }
    inserted = insert(state, message, room_update=room_update)
    webhooks.message_saved(state, inserted)
    return inserted


def edit(
    state: ServerState, message: Doc, msg: str, editor: Doc, *, attachments: list[Doc] | None = None
) -> Doc:
    """Replace the text of a message (``editedAt``/``editedBy``) and broadcast it.

    ``attachments`` replaces them too (a file message's text is its first attachment's
    description; ``msg`` then stays as it was).
    """
    now = state.now()
    changes: Doc = {
        "msg": msg,
        "md": parse_markdown(msg),
        "editedAt": now,
        "editedBy": {"_id": editor["_id"], "username": editor["username"]},
        "_updatedAt": now,
    }
    if attachments is not None:
        changes["attachments"] = attachments
    updated = state.store.messages.update(message["_id"], {"$set": changes})
    assert updated is not None
    events.message(state, updated)
    webhooks.message_saved(state, updated)  # updateMessage runs afterSaveMessage again
    return updated


def delete(state: ServerState, message: Doc) -> None:
    """Remove a message (and its upload), recompute the room's last message, notify."""
    state.store.messages.delete(message["_id"])
    file_id = message.get("file", {}).get("_id")
    if file_id:
        state.store.uploads.delete(file_id)
    rid = message["rid"]
    last = state.store.messages.find_one({"rid": rid, "t": {"$exists": False}}, sort=[("ts", -1)])
    update: Doc = {"$inc": {"msgs": -1}}
    if last is not None:
        update["$set"] = {"lastMessage": last}
    else:
        update["$unset"] = {"lastMessage": 1}
    state.store.rooms.update(rid, update)
    events.message_deleted(state, rid, message["_id"])


def history(
    state: ServerState, rid: str, *, limit: int, offset: int, end: datetime | None
) -> list[Doc]:
    """Newest first, ``end`` exclusive, hidden and globally hidden system types excluded."""
    flt: dict[str, Any] = {"rid": rid, "_hidden": {"$ne": True}}
    hidden_types = state.settings["Hide_System_Messages"]
    if hidden_types:
        flt["t"] = {"$nin": list(hidden_types)}
    if end is not None:
        flt["ts"] = {"$lt": end}
    return state.store.messages.find(flt, sort=[("ts", -1)], skip=offset, limit=limit)


def post_visitor_message(
    state: ServerState, visitor: Doc, room: Doc, msg: str, message_id: str | None = None
) -> Doc:
    """``POST livechat/message``: the room must be open, livechat enabled, the text short enough.

    ``room`` is read inside the caller's open transaction (see :func:`send_visitor_message`).
    """
    if not room.get("open"):
        raise PlainError("room-closed")
    settings = state.settings
    if not settings["Livechat_enabled"]:
        raise MeteorError("error-omnichannel-is-disabled")
    if settings["Livechat_enable_message_character_limit"] and len(
        msg.encode("utf-16-le")
    ) // 2 > int(settings["Livechat_message_character_limit"]):
        raise PlainError("message-length-exceeds-character-limit")
    return send_visitor_message(state, visitor, room, msg, message_id)


def get(state: ServerState, message_id: str) -> Doc | None:
    """A message by ``_id``."""
    return state.store.messages.get(message_id)


def check_visitor_may_change(visitor: Doc, message: Doc, allowed: bool) -> None:
    """A visitor edits or deletes only their own messages, and only when the setting allows."""
    if not allowed or message.get("u", {}).get("_id") != visitor["_id"]:
        raise PlainError("error-action-not-allowed")


# ---------------------------------------------------------------------------------------------
# chat.update / chat.delete: users' edits and deletions with Rocket.Chat's rules


def _minutes_since(state: ServerState, ts: datetime) -> float:
    return (state.now() - ts).total_seconds() / 60


def update_by_user(state: ServerState, user: Doc, room: Doc, message: Doc, text: str) -> Doc:
    """``executeUpdateMessage`` (apps/meteor/app/lib/server/methods/updateMessage.ts).

    The same text changes nothing. Then ``edit-message`` holders, or the author while
    ``Message_AllowEditing`` is on; no older than ``Message_AllowEditing_BlockEditInMinutes``
    (0: no limit; ``bypass-time-limit-edit-and-delete`` skips it); the room must accept the
    user's messages (``canSendMessage``). A file message's text is its first attachment's
    description.
    """
    attachments = message.get("attachments") or []
    description = attachments[0].get("description") if attachments else None
    if (description if description is not None else message.get("msg")) == text:
        return message
    editor_may = auth.has_permission(user, "edit-message")
    own = message.get("u", {}).get("_id") == user["_id"]
    if not editor_may and (not state.settings["Message_AllowEditing"] or not own):
        raise MeteorError(
            "error-action-not-allowed",
            "Message editing not allowed",
            {"method": "updateMessage", "action": "Message_editing"},
        )
    block = state.settings["Message_AllowEditing_BlockEditInMinutes"]
    if (
        not auth.has_permission(user, "bypass-time-limit-edit-and-delete")
        and isinstance(block, int | float)
        and not isinstance(block, bool)
        and block != 0
        and int(_minutes_since(state, message["ts"])) >= block  # moment().diff floors
    ):
        raise MeteorError(
            "error-message-editing-blocked",
            "Message editing is blocked",
            {"method": "updateMessage"},
        )
    if not auth.can_access_room(user, room):  # canSendMessageAsync
        raise PlainError("error-not-allowed")
    if attachments and "description" in attachments[0]:
        edited = [{**attachments[0], "description": text}, *attachments[1:]]
        return edit(state, message, message.get("msg", ""), user, attachments=edited)
    return edit(state, message, text, user)


def can_delete(state: ServerState, user: Doc, message: Doc) -> bool:
    """``canDeleteMessageAsync`` (apps/meteor/app/authorization/server/functions/)."""
    room = state.store.rooms.get(message["rid"])
    if room is None or not auth.can_access_room(user, room):
        return False
    if auth.has_permission(user, "force-delete-message"):
        return True
    if not message.get("ts") or not state.settings["Message_AllowDeleting"]:
        return False
    own = message.get("u", {}).get("_id") == user["_id"]
    if not (
        auth.has_permission(user, "delete-message")
        or (own and auth.has_permission(user, "delete-own-message"))
    ):
        return False
    if not auth.has_permission(user, "bypass-time-limit-edit-and-delete"):
        block = state.settings["Message_AllowDeleting_BlockDeleteInMinutes"]
        if block:
            # Math.round(elapsed minutes) <= block
            return bool(int(_minutes_since(state, message["ts"]) + 0.5) <= block)
    return True


def delete_by_user(state: ServerState, user: Doc, message: Doc) -> None:
    """``deleteMessageValidatingPermission`` (app/lib/server/functions/deleteMessage.ts)."""
    if not can_delete(state, user, message):
        raise MeteorError("error-action-not-allowed", "Not allowed")
    delete(state, message)
