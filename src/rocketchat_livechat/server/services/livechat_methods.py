"""The visitor's DDP method ``sendMessageLivechat`` (Rocket.Chat 7.x, removed in 8.0).

Source: ``apps/meteor/app/livechat/server/methods/sendMessageLivechat.ts`` → ``sendMessage``
(``lib/messages.ts``) → ``getRoom`` (``lib/rooms.ts``). Unlike ``POST livechat/message`` it needs
no existing room: when ``rid`` is no open room a new room is created (source ``api``) and the
message goes there; an open room of another visitor is ``cannot-access-room``.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..errors import MeteorError
from ..state import ServerState
from ..store import Doc
from . import config, messages, routing, visitors


def send_message_livechat(
    state: ServerState, message: Mapping[str, str], agent: Mapping[str, str] | None
) -> Doc:
    """Send the visitor's message; the answer is the message with ``newRoom`` and
    ``showConnecting`` (``Object.assign`` in ``sendMessage``)."""
    visitor = visitors.find_by_token(state, message["token"])
    if visitor is None:
        raise MeteorError("invalid-token")
    settings, msg = state.settings, message["msg"]
    limit = int(settings["Livechat_message_character_limit"] or 0)
    if settings["Livechat_enable_message_character_limit"] and _js_length(msg) > limit:
        raise MeteorError("message-length-exceeds-character-limit")
    room, new_room = _get_room(state, visitor, message["rid"], agent)
    sent = messages.send_visitor_message(state, visitor, room, msg, message["_id"])
    show = config.routing_config(state).get("showConnecting", False)
    return {**sent, "newRoom": new_room, "showConnecting": show}


def _js_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _get_room(
    state: ServerState, visitor: Doc, rid: str, agent: Mapping[str, str] | None
) -> tuple[Doc, bool]:
    """``getRoom``: the open room ``rid`` of this visitor, or a new room."""
    if not state.settings["Livechat_enabled"]:
        raise MeteorError("error-omnichannel-is-disabled")
    room = state.store.rooms.get(rid)
    if room is None or not room.get("open"):
        agent_id = agent["agentId"] if agent else None
        return routing.create_room(state, visitor, source={"type": "api"}, agent_id=agent_id), True
    if (room.get("v") or {}).get("token") != visitor["token"]:
        raise MeteorError("cannot-access-room")
    return room, False
