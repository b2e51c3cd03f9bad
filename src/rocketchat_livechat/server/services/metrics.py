"""Room response metrics kept on every livechat message (``metrics.*``), which the analytics read.

Source: ``apps/meteor/app/livechat/server/hooks/saveAnalyticsData.ts`` and
``LivechatRooms.getAnalyticsUpdateQueryBy{SentByVisitor,SentByAgent}`` /
``getAnalyticsUpdateQuery`` (``packages/models/src/models/LivechatRooms.ts``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..store import Doc


def _seconds(start: datetime, now: datetime) -> float:
    return (now - start).total_seconds()


def message_update(room: Doc, message: Doc, now: datetime) -> dict[str, dict[str, Any]]:
    """The room update one new message of a livechat room makes to its metrics.

    A visitor message (it carries ``token``) starts a query (``metrics.v.lq``) when the agent
    answered the previous one; any other user's message answers it: the first answer sets
    ``response.ft``/``reaction.ft`` (from the visitor's last query and from the agent's
    assignment), each answer adds to ``response.tt``/``total`` and sets ``response.avg``.
    Rocket.Chat quirk kept: ``servedBy.lr`` only moves when a visitor query is pending, so
    agent messages before the visitor's first one each count as a "first" response.
    """
    if room.get("t") != "l" or "t" in message or message.get("_hidden"):
        return {}
    metrics: Doc = room.get("metrics") or {}
    opened: datetime = room["ts"]
    last_query: datetime = (metrics.get("v") or {}).get("lq", opened)
    last_reply: datetime = (metrics.get("servedBy") or {}).get("lr", opened)
    if "token" in message:
        return {"$set": {"metrics.v.lq": message["ts"]}} if last_reply >= last_query else {}
    response: Doc = metrics.get("response") or {}
    total_time = response.get("tt", 0)
    count = response.get("total", 0)
    update: dict[str, dict[str, Any]] = {"$set": {}, "$inc": {}}
    response_time = _seconds(last_query, now)
    if last_reply == opened:
        joined: datetime = (room.get("servedBy") or {}).get("ts", opened)
        reaction_time = _seconds(joined, now)
        update["$set"].update(
            {
                "metrics.reaction.fd": now,
                "metrics.reaction.ft": reaction_time,
                "metrics.response.fd": now,
                "metrics.response.ft": response_time,
            }
        )
    elif last_query > last_reply:
        reaction_time = response_time
    else:
        return {}
    update["$set"]["metrics.response.avg"] = (total_time + response_time) / (count + 1)
    update["$inc"].update(
        {
            "metrics.response.total": 1,
            "metrics.response.tt": response_time,
            "metrics.reaction.tt": reaction_time,
        }
    )
    if last_query > last_reply:
        update["$set"]["metrics.servedBy.lr"] = message["ts"]
    return update
