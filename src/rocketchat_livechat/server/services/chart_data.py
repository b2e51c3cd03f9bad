"""``livechat/analytics/dashboards/charts-data``: one analytics figure per hour or per day.

Sources: ``getAnalyticsChartData`` in ``apps/meteor/server/services/omnichannel-analytics/
service.ts`` and ``ChartData.ts``, over the ``LivechatRooms`` queries
``getTotalConversationsBetweenDate`` / ``getAnalyticsMetricsBetweenDate[WithMessages]``.

The days are read as :func:`.analytics.day_range` does (UTC here). When ``start`` and ``end``
are the same day there are 24 hourly points, each over ``[hh:00:00.000, hh:59:59.999]`` and
labelled as the newest revision labels them: ``hA`` of the hour's start and of its end, the same
hour (``"1AM-1AM"``); otherwise one point per day (``M/D``). As moment's truncated ``diff``
has it, ``start`` the day after ``end`` counts as the same day (the hours of ``start``'s day);
earlier ``end`` days give no point. An unknown name or unreadable dates answer
``{chartLabel: name, dataLabels: [], dataPoints: []}``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

from ..state import ServerState
from ..store import Doc
from .analytics import _h_a, _message_counts, _with_department, day_range

#: ``ChartData.isActionAllowed``
CHART_NAMES = (
    "Total_conversations",
    "Avg_chat_duration",
    "Total_messages",
    "Avg_first_response_time",
    "Avg_reaction_time",
    "Best_first_response_time",
    "Avg_response_time",
)
_MS = timedelta(milliseconds=1)


def chart_data(
    state: ServerState, name: str, start: str, end: str, department_id: str | None
) -> Doc:
    """``{chartLabel, dataLabels, dataPoints}`` for the chart ``name``."""
    data: Doc = {"chartLabel": name, "dataLabels": [], "dataPoints": []}
    bounds = day_range(start, end)
    if name not in CHART_NAMES or bounds is None:
        return data
    for label, low, high in _buckets(*bounds):
        rooms = state.store.rooms.find(
            _with_department({"t": "l", "ts": {"$gte": low, "$lte": high}}, department_id)
        )
        data["dataLabels"].append(label)
        data["dataPoints"].append(_figure(state, name, rooms))
    return data


def _buckets(first: datetime, last: datetime) -> Iterator[tuple[str, datetime, datetime]]:
    """``(label, from, to)``: the hours of one day, or the days from ``first``'s to ``last``'s."""
    if abs(last - first) < timedelta(days=1):  # ``from.diff(to, 'days') === 0`` (truncated)
        for hour in range(24):
            low = first + timedelta(hours=hour)
            yield f"{_h_a(hour)}-{_h_a(hour)}", low, low + timedelta(hours=1) - _MS
        return
    day = first
    while day <= last:
        yield f"{day.month}/{day.day}", day, day + timedelta(days=1) - _MS
        day += timedelta(days=1)


def _round(value: float) -> float:
    """``Math.round(value * 100) / 100``."""
    return math.floor(value * 100 + 0.5) / 100


def _mean(values: list[float]) -> float:
    return _round(sum(values) / len(values)) if values else 0


def _figure(state: ServerState, name: str, rooms: list[Doc]) -> float:
    if name == "Total_conversations":
        return len(rooms)
    if name == "Total_messages":  # the agents' messages (``$lte: ['$token', null]``)
        return sum(_message_counts(state, rooms, agent_only=True).values())
    values = [value for room in rooms if (value := _METRICS[name](room.get("metrics") or {}))]
    if name == "Best_first_response_time":
        return _round(min(values)) if values else 0
    return _mean(values)


def _response(metrics: Doc) -> Any:
    return metrics.get("response") or {}


_METRICS: dict[str, Callable[[Doc], Any]] = {
    "Avg_chat_duration": lambda m: m.get("chatDuration"),
    "Avg_first_response_time": lambda m: _response(m).get("ft"),
    "Best_first_response_time": lambda m: _response(m).get("ft"),
    "Avg_response_time": lambda m: _response(m).get("avg"),
    "Avg_reaction_time": lambda m: (m.get("reaction") or {}).get("ft"),
}
