"""Stream events published through ``state.broadcaster`` (``apps/meteor/app/livechat/server/lib/``).

Payloads are documents as stored (``datetime`` values); the DDP layer encodes them.
"""

from __future__ import annotations

from typing import Any, Literal

from ..state import ServerState
from ..store import Doc
from ._constants import ROCKET_CAT

ROOM_MESSAGES = "stream-room-messages"
LIVECHAT_ROOM = "stream-livechat-room"
NOTIFY_ROOM = "stream-notify-room"
INQUIRY_QUEUE = "stream-livechat-inquiry-queue-observer"
NOTIFY_USER = "stream-notify-user"


def message(state: ServerState, msg: Doc) -> None:
    """An inserted or updated message → ``stream-room-messages`` ``<rid>``."""
    state.broadcaster.publish(ROOM_MESSAGES, msg["rid"], [msg])


def message_deleted(state: ServerState, rid: str, message_id: str) -> None:
    """A deleted message → ``stream-notify-room`` ``<rid>/deleteMessage``."""
    state.broadcaster.publish(NOTIFY_ROOM, f"{rid}/deleteMessage", [{"_id": message_id}])


def agent_data(state: ServerState, rid: str, agent: Doc | None) -> None:
    """Agent assigned (``data`` = agent info) or removed (no ``data``)."""
    payload: dict[str, Any] = {"type": "agentData"}
    if agent is not None:
        payload["data"] = agent
    state.broadcaster.publish(LIVECHAT_ROOM, rid, [payload])


def agent_status(state: ServerState, rid: str, status: str) -> None:
    """The serving agent's presence changed."""
    state.broadcaster.publish(LIVECHAT_ROOM, rid, [{"type": "agentStatus", "status": status}])


def visitor_data(state: ServerState, rid: str, visitor: Doc) -> None:
    """The visitor of the room changed."""
    state.broadcaster.publish(LIVECHAT_ROOM, rid, [{"type": "visitorData", "visitor": visitor}])


def queue_data(state: ServerState, rid: str, spot: int) -> None:
    """Queue position of a queued room (an EE feature, emitted for Manual_Selection)."""
    data = {
        "spot": spot,
        "message": {
            "text": state.settings.get("Livechat_waiting_queue_message", ""),
            "user": dict(ROCKET_CAT),
        },
    }
    state.broadcaster.publish(LIVECHAT_ROOM, rid, [{"type": "queueData", "data": data}])


def inquiry(
    state: ServerState, kind: Literal["added", "changed", "removed"], inquiry_doc: Doc
) -> None:
    """Inquiry lifecycle, as Rocket.Chat's ``watch.inquiries`` listener emits it.

    ``department/<id>`` for an inquiry with a department, else ``public``:
    ``[{"type": kind, **inquiry}]``; and on the inquiry id: ``[{**inquiry, "clientAction": kind}]``
    (``[{"_id": id, "clientAction": "removed"}]`` on removal).
    """
    department = inquiry_doc.get("department")
    channel = f"department/{department}" if department else "public"
    state.broadcaster.publish(INQUIRY_QUEUE, channel, [{"type": kind, **inquiry_doc}])
    own = (
        {"_id": inquiry_doc["_id"], "clientAction": kind}
        if kind == "removed"
        else {**inquiry_doc, "clientAction": kind}
    )
    state.broadcaster.publish(INQUIRY_QUEUE, inquiry_doc["_id"], [own])


def user_rooms_changed(state: ServerState, user_id: str, action: str, room: Doc) -> None:
    """A room the user sees was inserted/updated/removed.

    Rocket.Chat announces it twice: ``<uid>/rooms-changed`` with the room and
    ``<uid>/subscriptions-changed`` with the user's subscription to it (synthesised here: the
    embedded server keeps no subscription documents).
    """
    state.broadcaster.publish(NOTIFY_USER, f"{user_id}/rooms-changed", [action, room])
    subscription = {
        "_id": f"{room['_id']}-{user_id}",
        "rid": room["_id"],
        "t": room.get("t", "l"),
        "name": room.get("fname"),
        "fname": room.get("fname"),
        "u": {"_id": user_id},
        "open": action != "removed",
        "_updatedAt": state.now(),
    }
    state.broadcaster.publish(
        NOTIFY_USER, f"{user_id}/subscriptions-changed", [action, subscription]
    )
