"""Private groups (``groups.create`` / ``groups.delete`` / ``rooms.info``), for tests and bots."""

from __future__ import annotations

from typing import Any

from ..errors import MeteorError
from ..ids import random_id
from ..state import ServerState
from ..store import Doc


def find_room(state: ServerState, room_id: Any = None, room_name: Any = None) -> Doc | None:
    """A room by id, else a private group by name (``roomId`` / ``roomName`` params)."""
    if room_id:
        return state.store.rooms.get(str(room_id))
    if room_name:
        rooms = state.store.rooms.find({"t": "p"})
        return next((r for r in rooms if r.get("name") == room_name), None)
    return None


def create_group(
    state: ServerState, owner: Doc, name: str, usernames: list[str], *, read_only: bool
) -> Doc:
    """Create a private group owned by ``owner``, with the known ``usernames`` as members."""
    store = state.store
    if any(r.get("name") == name for r in store.rooms.find({"t": "p"})):
        raise MeteorError(
            "error-duplicate-channel-name",
            f"A channel with name '{name}' exists",
            {"method": "createRoom", "channel_name": name},
        )
    members = [owner["_id"]]
    for username in usernames:
        user = store.users.find_one({"username": username})
        if user is not None and user["_id"] not in members:
            members.append(user["_id"])
    now = state.now()
    room = {
        "_id": random_id(),
        "t": "p",
        "name": name,
        "fname": name,
        "u": {"_id": owner["_id"], "username": owner["username"]},
        "ts": now,
        "_updatedAt": now,
        "msgs": 0,
        "usersCount": len(members),
        "members": members,
        "ro": read_only,
        "default": False,
        "sysMes": True,
    }
    store.rooms.insert(room)
    return room


def delete_group(state: ServerState, room: Doc) -> None:
    """Delete a group and its messages."""
    store = state.store
    with store.transaction():
        store.rooms.delete(room["_id"])
        store.messages.delete_many({"rid": room["_id"]})
