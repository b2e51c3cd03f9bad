"""Omnichannel analytics computed from the stored rooms and messages, as Rocket.Chat does.

Sources: ``apps/meteor/server/services/omnichannel-analytics/`` (``service.ts``,
``OverviewData.ts``, ``AgentData.ts``), the ``LivechatRooms`` queries they run
(``getAnalyticsBetweenDate``, ``getAnalyticsMetricsBetweenDate[WithMessages]``,
``packages/models/src/models/LivechatRooms.ts``) and ``lib/utils/secondsToHHMMSS.ts``.

Dates: ``from``/``to`` are read as ``YYYY-MM-DD`` (moment's forgiving parse: a full ISO
timestamp gives its date) in the reporting time zone (UTC here: ``Default_Timezone_For_Reporting``
is ``server`` and the embedded server runs in UTC), from the start of ``from``'s day to the end of
``to``'s. Rocket.Chat caches these answers for 60 s (``mem``); this server computes them each time.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from ..state import ServerState
from ..store import Doc

OVERVIEW_NAMES = ("Conversations", "Productivity")
AGENT_OVERVIEW_NAMES = (
    "Total_conversations",
    "Avg_chat_duration",
    "Total_messages",
    "Avg_first_response_time",
    "Best_first_response_time",
    "Avg_response_time",
    "Avg_reaction_time",
)
_DATE = re.compile(r"^\D*(\d{4})\D+(\d{1,2})\D+(\d{1,2})")
_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def day_range(start: str, end: str) -> tuple[datetime, datetime] | None:
    """``moment.tz(x, 'YYYY-MM-DD', tz)``: start of ``start``'s day, end of ``end``'s (or None)."""
    bounds = []
    for text in (start, end):
        found = _DATE.match(text or "")
        if not found:
            return None
        try:
            year, month, day = (int(g) for g in found.groups())
            bounds.append(datetime(year, month, day, tzinfo=UTC))
        except ValueError:
            return None
    return bounds[0], bounds[1] + timedelta(days=1) - timedelta(milliseconds=1)


def hhmmss(seconds: float) -> str:
    """``secondsToHHMMSS`` (JavaScript rounding)."""
    hours = math.floor(seconds / 3600)
    minutes = math.floor((seconds - hours * 3600) / 60)
    rest = math.floor(seconds - hours * 3600 - minutes * 60 + 0.5)
    return f"{hours:02d}:{minutes:02d}:{rest:02d}"


def _fixed(value: float) -> float:
    """``parseFloat(value.toFixed(2))``."""
    return float(f"{value:.2f}")


def _with_department(flt: Doc, department_id: str | None) -> Doc:
    if department_id and department_id != "undefined":
        flt["departmentId"] = department_id
    return flt


def rooms_between(
    state: ServerState, start: datetime, end: datetime, department_id: str | None
) -> list[Doc]:
    """Livechat rooms created in ``[start, end]`` (``ts``), oldest first."""
    flt = _with_department({"t": "l", "ts": {"$gte": start, "$lte": end}}, department_id)
    return state.store.rooms.find(flt, sort=[("ts", 1)])


def _message_counts(state: ServerState, rooms: Iterable[Doc], agent_only: bool) -> dict[str, int]:
    """``msgs`` of the ``$lookup``/``$unwind``/``$group`` pipelines: the room's messages without a
    type (and, for agents, without a visitor token), where a room without any still counts 1
    (``preserveNullAndEmptyArrays``)."""
    counts: dict[str, int] = {}
    for room in rooms:
        found = state.store.messages.find({"rid": room["_id"]})
        n = sum(1 for m in found if not m.get("t") and not (agent_only and m.get("token")))
        counts[room["_id"]] = max(n, 1)
    return counts


def overview(
    state: ServerState, name: str, start: str, end: str, department_id: str | None
) -> list[Doc] | None:
    """``getAnalyticsOverviewData``; ``None`` for an unknown ``name`` or unreadable dates."""
    bounds = day_range(start, end)
    if bounds is None or name not in OVERVIEW_NAMES:
        return None
    rooms = rooms_between(state, *bounds, department_id)
    if name == "Conversations":
        return _conversations(state, rooms, *bounds)
    return _productivity(rooms)


def _conversations(
    state: ServerState, rooms: list[Doc], start: datetime, end: datetime
) -> list[Doc]:
    days = (end - start).days + 1
    counts = _message_counts(state, rooms, agent_only=False)
    by_day: dict[str, dict[int, int]] = {}
    open_count = total_messages = 0
    for room in rooms:
        metrics = room.get("metrics")
        if metrics and not metrics.get("chatDuration") and not room.get("onHold"):
            open_count += 1
        ts: datetime = room["ts"]
        hours = by_day.setdefault(ts.strftime("%d-%m-%Y"), {})
        hours[ts.hour] = hours.get(ts.hour, 0) + counts[room["_id"]]
        total_messages += counts[room["_id"]]
    on_hold = sum(1 for r in rooms if r.get("onHold"))
    busiest_day, most = "-", -1
    for day, hours in by_day.items():
        if sum(hours.values()) > most:
            busiest_day, most = day, sum(hours.values())
    busiest_hour, top = -1, 0
    for hour, value in by_day.get(busiest_day, {}).items():
        if value > top:
            busiest_hour, top = hour, value
    day_name = ""
    if busiest_day != "-":
        day_name = _DAY_NAMES[datetime.strptime(busiest_day, "%d-%m-%Y").weekday()]
    time = ""
    if busiest_hour >= 0:
        time = f"{_h_a(busiest_hour)} - {_h_a((busiest_hour + 1) % 24)}"
    return [
        {"title": "Total_conversations", "value": len(rooms)},
        {"title": "Open_conversations", "value": open_count},
        {"title": "On_Hold_conversations", "value": on_hold},
        {"title": "Total_messages", "value": total_messages},
        {"title": "Busiest_day", "value": day_name or "-"},
        {"title": "Conversations_per_day", "value": f"{len(rooms) / days:.2f}"},
        {"title": "Busiest_time", "value": time or "-"},
    ]


def _h_a(hour: int) -> str:
    """moment's ``hA``: ``12AM``, ``1AM`` ... ``11PM``."""
    return f"{hour % 12 or 12}{'AM' if hour < 12 else 'PM'}"


def _productivity(rooms: list[Doc]) -> list[Doc]:
    response = first = reaction = 0.0
    count = 0
    for room in rooms:
        metrics = room.get("metrics") or {}
        if metrics.get("response") and metrics.get("reaction"):
            response += metrics["response"].get("avg", 0)
            first += metrics["response"].get("ft", 0)
            reaction += metrics["reaction"].get("ft", 0)
            count += 1
    if count:
        response, first, reaction = response / count, first / count, reaction / count
    return [
        {"title": "Avg_response_time", "value": hhmmss(_fixed(response))},
        {"title": "Avg_first_response_time", "value": hhmmss(_fixed(first))},
        {"title": "Avg_reaction_time", "value": hhmmss(_fixed(reaction))},
    ]


def agent_overview(
    state: ServerState, name: str, start: str, end: str, department_id: str | None
) -> Doc | None:
    """``getAgentOverviewData``: ``{head, data}`` per agent; ``None`` when not computable."""
    bounds = day_range(start, end)
    if bounds is None or name not in AGENT_OVERVIEW_NAMES:
        return None
    rooms = rooms_between(state, *bounds, department_id)
    rows: list[Doc]
    if name == "Total_conversations":
        served = [r["servedBy"]["username"] for r in rooms if r.get("servedBy")]
        rows = [
            {"name": agent, "value": f"{served.count(agent) / len(served) * 100:.2f}%"}
            for agent in dict.fromkeys(served)
        ]
        return _table("%_of_conversations", rows, descending=True)
    if name == "Total_messages":
        counts = _message_counts(state, rooms, agent_only=True)
        totals: dict[str, int] = {}
        for room in rooms:
            if room.get("servedBy"):
                who = room["servedBy"]["username"]
                totals[who] = totals.get(who, 0) + counts[room["_id"]]
        rows = [{"name": k, "value": v} for k, v in totals.items()]
        return _table(name, rows, descending=True)
    pick, by, combine = _AGENT_METRICS[name]
    values: dict[str, list[float]] = {}
    for room in rooms:
        agent, value = room.get(by), pick(room.get("metrics") or {})
        if agent and value:
            values.setdefault(agent["username"], []).append(value)
    rows = [{"name": k, "value": hhmmss(_fixed(combine(v)))} for k, v in values.items()]
    return _table(name, rows, descending=name == "Avg_chat_duration")


def _mean(values: list[float]) -> float:
    return sum(values) / len(values)


_AGENT_METRICS: dict[str, tuple[Callable[[Doc], Any], str, Callable[[list[float]], float]]] = {
    "Avg_chat_duration": (lambda m: m.get("chatDuration"), "servedBy", _mean),
    "Avg_first_response_time": (lambda m: (m.get("response") or {}).get("ft"), "responseBy", _mean),
    "Best_first_response_time": (lambda m: (m.get("response") or {}).get("ft"), "responseBy", min),
    "Avg_response_time": (lambda m: (m.get("response") or {}).get("avg"), "servedBy", _mean),
    "Avg_reaction_time": (lambda m: (m.get("reaction") or {}).get("ft"), "servedBy", _mean),
}


def _parse_float(value: Any) -> float:
    """JavaScript ``parseFloat``: the leading number (``"00:01:05"`` → 0, ``"50.00%"`` → 50)."""
    found = re.match(r"\s*[-+]?(\d+\.?\d*|\.\d+)", str(value))
    return float(found.group(0)) if found else math.nan


def _table(column: str, rows: list[Doc], *, descending: bool) -> Doc:
    """``{head, data}`` sorted as ``sortByValue`` does (by ``parseFloat(value)``, stable)."""
    keyed = [(_parse_float(r["value"]), i, r) for i, r in enumerate(rows)]
    keyed.sort(key=lambda k: (-k[0] if descending else k[0], k[1]))
    return {"head": [{"name": "Agent"}, {"name": column}], "data": [r for _, _, r in keyed]}
