"""File uploads: the visitor's (§3.12) and users' (``rooms.media`` + ``rooms.mediaConfirm``,
``rooms.upload``): the stored file and its message."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from .. import files
from ..errors import MeteorError, PlainError
from ..state import ServerState
from ..store import Doc
from ..validation import Optional, check
from . import messages

#: ``sendFileMessage``'s ``msgData`` pattern (``Match.Maybe({...})``, exact keys)
MSG_DATA_PATTERN: dict[str, Any] = {
    "avatar": Optional(str),
    "emoji": Optional(str),
    "alias": Optional(str),
    "groupable": Optional(bool),
    "msg": Optional(str),
    "tmid": Optional(str),
    "customFields": Optional(str),
    "t": Optional(str),
    "content": Optional(dict),
}


def send_upload(
    state: ServerState,
    visitor: Doc,
    room: Doc,
    received: files.ReceivedFile,
    *,
    description: str,
    text: str,
) -> Doc:
    """Move the received file into place, record it and post its message in ``room``.

    Run it inside a write (:meth:`.ServerState.write`): the upload and the message are
    committed together. ``room`` was read before the file arrived; it is read again here.
    """
    stored = files.store_upload(
        state, received, rid=room["_id"], owner=visitor, description=description
    )
    file_ref = {"_id": stored["_id"], "name": stored["name"], "type": stored["type"]}
    with state.store.transaction():  # the room may have changed while the file arrived
        return messages.send_file_message(
            state,
            visitor,
            state.store.rooms.get(room["_id"]) or room,
            text,
            file={**file_ref, "size": stored["size"]},
            attachment=files.attachment(stored, description),
        )


def store_user_media(
    state: ServerState, user: Doc, room: Doc, received: files.ReceivedFile, content: Any
) -> Doc:
    """``rooms.media/:rid``: validate and store the file as a temporary upload (``expiresAt``
    in 24 hours until confirmed), with its ``path``. No message yet."""
    files.validate_file_upload(state, received)
    extra: Doc = {"expiresAt": state.now() + timedelta(hours=24)}
    if content is not None:
        extra["content"] = content
    stored = files.store_upload(
        state, received, rid=room["_id"], owner=user, description="", extra=extra
    )
    updated = state.store.uploads.update(stored["_id"], {"$set": {"path": files.file_url(stored)}})
    return updated or stored


def send_user_file(
    state: ServerState,
    user: Doc,
    room: Doc,
    upload: Doc,
    *,
    description: str | None,
    msg_data: dict[str, Any],
) -> Doc:
    """``sendFileMessage`` then ``Uploads.confirmTemporaryFile``: the user's file message
    (``file``, ``files``, ``attachments``) in ``room``, pushed on the room's stream.

    ``msg_data`` are the other body fields (``msg``, ``alias``, ``groupable``...). Run it inside
    one write (the route's transaction).
    """
    check(msg_data, MSG_DATA_PATTERN)
    fields = {k: v for k, v in msg_data.items() if k not in ("msg", "groupable", "content")}
    if "customFields" in fields:
        try:
            fields["customFields"] = json.loads(fields["customFields"])
        except ValueError as exc:
            raise PlainError(f"Unexpected token in JSON: {exc}") from None
    with state.store.transaction():
        changes: Doc = {"$set": {"description": description}} if description is not None else {}
        changes["$unset"] = {"expiresAt": 1}
        upload = state.store.uploads.update(upload["_id"], changes) or upload
        file_props, attachments = files.user_file_parts(upload)
        return messages.send_user_message(
            state,
            user,
            room,
            msg_data.get("msg", ""),
            **fields,
            groupable=msg_data.get("groupable", False),
            file=file_props[0],
            files=file_props,
            attachments=attachments,
        )


def check_description(state: ServerState, description: str | None) -> None:
    """``description`` no longer than ``Message_MaxAllowedSize`` (``rooms.mediaConfirm``)."""
    if len(description or "") > int(state.settings["Message_MaxAllowedSize"]):
        raise MeteorError("error-message-size-exceeded")
