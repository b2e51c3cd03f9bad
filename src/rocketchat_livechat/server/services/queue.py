"""Queue metrics: open, served chats per agent and department (``livechat/queue``).

Source: ``LivechatRooms.getQueueMetrics`` (``packages/models/src/models/LivechatRooms.ts``)
and ``findQueueMetrics`` (``apps/meteor/server/api/v1/omnichannel/lib/queue.ts``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..state import ServerState
from ..store import Doc


def _path(doc: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        if not isinstance(doc, dict):
            return None
        doc = doc.get(part)
    return doc


def _sort_key(value: Any) -> tuple[int, Any]:
    # MongoDB's order across the types met here: null < numbers < strings
    if value is None:
        return (0, 0)
    if isinstance(value, bool):
        return (3, value)
    if isinstance(value, int | float):
        return (1, value)
    return (2, str(value))


def queue_metrics(
    state: ServerState,
    *,
    agent_id: str | None,
    include_offline_agents: bool,
    department_id: str | None,
    sort: Sequence[tuple[str, int]],
) -> list[Doc]:
    """Every ``{user: {_id, username, status}, department: {_id, name}, chats}`` group, sorted.

    Rooms: livechat, open, with ``servedBy`` (of ``department_id``). Without
    ``include_offline_agents`` only agents whose presence is not offline and whose
    ``statusLivechat`` is available are counted.
    """
    flt: dict[str, Any] = {"t": "l", "open": True, "servedBy": {"$exists": True}}
    if department_id and department_id != "undefined":
        flt["departmentId"] = department_id
    groups: dict[tuple[Any, ...], Doc] = {}
    for room in state.store.rooms.find(flt):
        dept_id = room.get("departmentId")
        department = state.store.departments.get(dept_id) if dept_id else None
        served = room.get("servedBy") or {}
        user = state.store.users.get(served.get("_id", "")) if served.get("_id") else None
        user = user or {}
        if agent_id and user.get("_id") != agent_id:
            continue
        if not include_offline_agents and (
            user.get("status") == "offline" or user.get("statusLivechat") != "available"
        ):
            continue
        key = (
            user.get("_id"),
            user.get("username"),
            user.get("status"),
            dept_id,
            department.get("name") if department else None,
        )
        group = groups.get(key)
        if group is None:
            shown_user = {
                k: v
                for k, v in (("_id", key[0]), ("username", key[1]), ("status", key[2]))
                if v is not None
            }
            group = {
                "user": shown_user,
                "department": {"_id": key[3], "name": key[4]},
                "chats": 0,
            }
            groups[key] = group
        group["chats"] += 1
    result = list(groups.values())
    for field, direction in reversed(list(sort)):

        def by_field(group: Doc, field: str = field) -> tuple[int, Any]:
            return _sort_key(_path(group, field))

        result.sort(key=by_field, reverse=direction < 0)
    return result
