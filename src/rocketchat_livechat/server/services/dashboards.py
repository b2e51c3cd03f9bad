"""The omnichannel dashboards' totalizers and charts (``livechat/analytics/dashboards/*``).

Sources: ``apps/meteor/app/livechat/server/lib/analytics/dashboards.ts`` and ``departments.ts``,
and the ``LivechatRooms`` / ``Users`` aggregations they run (``countAll*ChatsBetweenDate``,
``countAll*ChatsBy{Agent,Department}BetweenDate``, ``calculate*TimingsBetweenDates``,
``findAllAverage{WaitingTime,OfServiceTime,OfChatDurationTime}``,
``findAllNumberOfAbandonedRooms``, ``findPercentageOfAbandonedRooms``, ``countAllAgentsStatus``).
``start``/``end`` are instants here (only the totalizers built on the overview use whole days).

Not kept by this server, so always zero: agent activity (``Avg_of_available_service_time``:
``LivechatAgentActivity`` is filled by the presence tracker) and visitor inactivity
(``metrics.visitorInactivity``, behind the abandoned-chat figures). On-hold is enterprise-only:
``onhold`` counts stay 0. Rocket.Chat caches every answer for 5 s.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from ..state import ServerState
from ..store import Doc, get_path
from . import analytics

_NOT_ON_HOLD: Callable[[Doc], bool] = lambda r: not r.get("onHold")  # noqa: E731


def _rooms(
    state: ServerState,
    department_id: str | None,
    keep: Callable[[Doc], bool],
) -> list[Doc]:
    flt: Doc = {"t": "l"}
    if department_id and department_id != "undefined":
        flt["departmentId"] = department_id
    return [r for r in state.store.rooms.find(flt, sort=[("ts", 1)]) if keep(r)]


def _between(start: datetime, end: datetime) -> Callable[[Doc], bool]:
    return lambda r: start <= r["ts"] <= end


def _closed_within(start: datetime, end: datetime) -> Callable[[Doc], bool]:
    """``ts >= start`` and ``closedAt <= end`` (the closed-chat queries)."""
    return lambda r: r["ts"] >= start and r.get("closedAt") is not None and r["closedAt"] <= end


def _has(room: Doc, path: str) -> bool:
    return get_path(room, path) is not None


def chats(state: ServerState, start: datetime, end: datetime, dept: str | None) -> Doc:
    """``charts/chats``: open (served, not closed), closed, queued, on hold."""
    rooms = _rooms(state, dept, _between(start, end))
    return {
        "open": sum(
            1
            for r in rooms
            if not _has(r, "metrics.chatDuration") and _NOT_ON_HOLD(r) and r.get("servedBy")
        ),
        "closed": sum(1 for r in rooms if _has(r, "metrics.chatDuration")),
        "queued": sum(1 for r in rooms if not r.get("servedBy") and r.get("open")),
        "onhold": sum(1 for r in rooms if r.get("onHold") is True),
    }


def _count_by(rooms: Iterable[Doc], key: Callable[[Doc], Any]) -> dict[Any, int]:
    counts: dict[Any, int] = {}
    for room in rooms:
        k = key(room)
        counts[k] = counts.get(k, 0) + 1
    return counts


def chats_per_agent(state: ServerState, start: datetime, end: datetime, dept: str | None) -> Doc:
    """``charts/chats-per-agent``: ``{username: {open, closed, onhold}}`` (an agent that has
    closed chats loses its ``onhold`` key unless it has on-hold ones, as Rocket.Chat merges)."""
    served = [r for r in _rooms(state, dept, lambda r: True) if _has(r, "servedBy._id")]
    username: Callable[[Doc], Any] = lambda r: r["servedBy"].get("username")  # noqa: E731
    opened = _count_by(
        (r for r in served if r.get("open") and _NOT_ON_HOLD(r) and start <= r["ts"] <= end),
        username,
    )
    closed = _count_by(
        (r for r in served if not r.get("open") and _closed_within(start, end)(r)), username
    )
    on_hold = _count_by(
        (
            r
            for r in served
            if r.get("open") and r.get("onHold") is True and start <= r["ts"] <= end
        ),
        username,
    )
    result: dict[str, Doc] = {}
    for agent, n in opened.items():
        result[str(agent)] = {"open": n, "closed": 0, "onhold": 0}
    for agent, n in closed.items():
        result[str(agent)] = {"open": result.get(str(agent), {}).get("open", 0), "closed": n}
    for agent, n in on_hold.items():
        result[str(agent)] = {**result.get(str(agent), {}), "onhold": n}
    return result


def chats_per_department(
    state: ServerState, start: datetime, end: datetime, dept: str | None
) -> Doc:
    """``charts/chats-per-department``: ``{department name: {open, closed}}``."""
    rooms = [r for r in _rooms(state, dept, _between(start, end)) if r.get("departmentId")]

    def name(room: Doc) -> str:
        found = state.store.departments.get(room["departmentId"])
        return str(found["name"]) if found else "undefined"  # JavaScript's result[undefined]

    result: dict[str, Doc] = {}
    for key, n in _count_by((r for r in rooms if r.get("open")), name).items():
        result[key] = {"open": n, "closed": 0}
    for key, n in _count_by((r for r in rooms if not r.get("open")), name).items():
        result[key] = {"open": result.get(key, {}).get("open", 0), "closed": n}
    return result


def _timing(rooms: list[Doc], summed: str, longest: str) -> Doc:
    """``$sum`` of one metric over the rooms having it (``$trunc`` of the mean), ``$max`` of
    another (``None`` when no room has it); zeros when no room matched at all."""
    if not rooms:
        return {"avg": 0, "longest": 0}
    values = [get_path(r, summed) for r in rooms]
    having = [x for x in values if x]
    tops = [x for x in (get_path(r, longest) for r in rooms) if x is not None]
    total = sum(x for x in values if isinstance(x, int | float))
    return {
        "avg": math.trunc(total / len(having)) if having else 0,
        "longest": max(tops) if tops else None,
    }


def timings(state: ServerState, start: datetime, end: datetime, dept: str | None) -> Doc:
    """``charts/timings``: average and longest response, reaction and chat duration (s)."""
    rooms = _rooms(state, dept, _between(start, end))
    durations = [r for r in rooms if _has(r, "metrics.chatDuration")]
    return {
        "response": _timing(rooms, "metrics.response.avg", "metrics.response.ft"),
        "reaction": _timing(rooms, "metrics.reaction.ft", "metrics.reaction.ft"),
        "chatDuration": _timing(durations, "metrics.chatDuration", "metrics.chatDuration"),
    }


def agents_status(state: ServerState, dept: str | None) -> Doc | None:
    """``charts/agents-status`` (``countAllAgentsStatus``); ``None`` when no agent matches."""
    agents = [u for u in state.store.users.find() if "livechat-agent" in (u.get("roles") or [])]
    if dept and dept != "undefined":
        members = {
            link["agentId"] for link in state.store.department_agents.find({"departmentId": dept})
        }
        agents = [a for a in agents if a["_id"] in members]
    if not agents:
        return None
    counts = {"offline": 0, "away": 0, "busy": 0, "available": 0}
    for agent in agents:
        status, livechat = agent.get("status"), agent.get("statusLivechat")
        if (status == "offline" and livechat == "available") or livechat == "not-available":
            counts["offline"] += 1
        if livechat == "available":
            for name, wanted in (("away", "away"), ("busy", "busy"), ("available", "online")):
                if status == wanted:
                    counts[name] += 1
    return counts


def _per_department_mean(
    rooms: list[Doc], value: Callable[[Doc], float], rounding: Callable[[float], float]
) -> float:
    """The mean over departments (rooms without one are a group too) of
    ``rounding(sum(value) / rooms)``."""
    groups: dict[Any, list[Doc]] = {}
    for room in rooms:
        groups.setdefault(room.get("departmentId"), []).append(room)
    if not groups:
        return 0
    per_group = [rounding(sum(value(r) for r in g) / len(g)) for g in groups.values()]
    return sum(per_group) / len(per_group)


def _metric(path: str) -> Callable[[Doc], float]:
    def read(room: Doc) -> float:
        found = get_path(room, path)
        return found if isinstance(found, int | float) else 0

    return read


def _js_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _overview(
    state: ServerState, name: str, start: datetime, end: datetime, dept: str | None
) -> list[Doc]:
    found = analytics.overview(state, name, start.isoformat(), end.isoformat(), dept)
    return found or []


def conversation_totalizers(
    state: ServerState, start: datetime, end: datetime, dept: str | None
) -> Doc:
    """``conversation-totalizers``: four figures of the Conversations overview, and the visitors
    active (``_updatedAt``) in ``[start, end)``."""
    keep = ("Total_conversations", "Open_conversations", "On_Hold_conversations", "Total_messages")
    figures = [f for f in _overview(state, "Conversations", start, end, dept) if f["title"] in keep]
    visitors = [
        v
        for v in state.store.visitors.find()
        if not v.get("disabled")
        and v.get("_updatedAt") is not None
        and start <= v["_updatedAt"] < end
        and (not dept or dept == "undefined" or v.get("department") == dept)
    ]
    return {"totalizers": [*figures, {"title": "Total_visitors", "value": len(visitors)}]}


def productivity_totalizers(
    state: ServerState, start: datetime, end: datetime, dept: str | None
) -> Doc:
    """``productivity-totalizers``: the Productivity overview and the average waiting time
    (first response time of the answered rooms, per department)."""
    answered = _rooms(
        state, dept, lambda r: _between(start, end)(r) and r.get("waitingResponse") is not True
    )
    waiting = _per_department_mean(answered, _metric("metrics.response.ft"), math.ceil)
    return {
        "totalizers": [
            *_overview(state, "Productivity", start, end, dept),
            {"title": "Avg_of_waiting_time", "value": analytics.hhmmss(waiting)},
        ]
    }


def agents_productivity_totalizers(
    state: ServerState, start: datetime, end: datetime, dept: str | None
) -> Doc:
    """``agents-productivity-totalizers``: the busiest time, the agents' average available time
    (no agent activity here: 0) and the average service time (assignment to last reply)."""
    served = _rooms(
        state,
        dept,
        lambda r: (
            _between(start, end)(r)
            and _has(r, "responseBy.lastMessageTs")
            and _has(r, "servedBy._id")
        ),
    )

    def service(room: Doc) -> float:
        assigned = get_path(room, "servedBy.ts")
        if not isinstance(assigned, datetime):
            return 0
        return float((room["responseBy"]["lastMessageTs"] - assigned).total_seconds())

    service_time = _per_department_mean(served, service, math.ceil)
    busiest = [
        f
        for f in _overview(state, "Conversations", start, end, dept)
        if f["title"] == "Busiest_time"
    ]
    return {
        "totalizers": [
            *busiest,
            {"title": "Avg_of_available_service_time", "value": analytics.hhmmss(0)},
            {"title": "Avg_of_service_time", "value": analytics.hhmmss(service_time)},
        ]
    }


def chats_totalizers(state: ServerState, start: datetime, end: datetime, dept: str | None) -> Doc:
    """``chats-totalizers``: abandoned chats (visitor inactivity over
    ``Livechat_visitor_inactivity_timeout``), their share per department, average duration."""
    timeout = float(state.settings["Livechat_visitor_inactivity_timeout"])

    def abandoned(room: Doc) -> bool:
        inactivity = get_path(room, "metrics.visitorInactivity")
        return isinstance(inactivity, int | float) and bool(inactivity) and inactivity >= timeout

    closed = _rooms(state, dept, _closed_within(start, end))
    total_abandoned = sum(1 for r in closed if abandoned(r))
    in_range = _rooms(state, dept, _between(start, end))
    share = _per_department_mean(in_range, lambda r: 100.0 if abandoned(r) else 0.0, math.floor)
    duration = _per_department_mean(closed, _metric("metrics.chatDuration"), math.ceil)
    return {
        "totalizers": [
            {"title": "Total_abandoned_chats", "value": total_abandoned},
            {"title": "Avg_of_abandoned_chats", "value": f"{_js_number(share)}%"},
            {"title": "Avg_of_chat_duration_time", "value": analytics.hhmmss(duration)},
        ]
    }
