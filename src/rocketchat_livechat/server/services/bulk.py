"""``POST livechat/messages``: a batch of visitor messages (imports, migrations).

Source: ``apps/meteor/app/livechat/server/api/v1/message.ts`` (``livechat/messages``).
"""

from __future__ import annotations

from ..state import ServerState
from ..store import Doc
from . import messages, routing


def import_visitor_messages(state: ServerState, visitor: Doc, texts: list[str]) -> list[Doc]:
    """Every text as the visitor's message, in its first open room, or in a room the first
    message creates (``sendMessage`` → ``getRoom``, source ``api``). Each goes through the send
    checks of ``POST livechat/message``. Returns ``[{username, msg, ts}]``."""
    room = state.store.rooms.find_one(
        {"t": "l", "v.token": visitor["token"], "open": True}, sort=[("ts", 1)]
    )
    if room is None:
        room = routing.create_room(state, visitor, source={"type": "api"})
    sent: list[Doc] = []
    for text in texts:
        current = state.store.rooms.get(room["_id"]) or room
        message = messages.post_visitor_message(state, visitor, current, text)
        sent.append({"username": message["u"]["username"], "msg": text, "ts": message["ts"]})
    return sent
