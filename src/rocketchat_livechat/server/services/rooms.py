"""Livechat room details kept by the visitor: survey, call status, transcript requests.

Opening, routing, transfers and closing are in :mod:`.routing`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..errors import MeteorError, PlainError
from ..state import ServerState
from ..store import Doc
from . import messages
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
