"""Visitor file uploads (§3.12): the stored file and its message, one write."""

from __future__ import annotations

from .. import files
from ..state import ServerState
from ..store import Doc
from . import messages


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
