"""Agent departments and queue metrics (``livechat/agents/:agentId/departments``,
``livechat/queue``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel

from rocketchat_livechat.models import AgentDepartment, Page, QueueMetric

RoundTrip = Callable[[BaseModel, dict[str, Any]], None]


def test_agent_department(round_trip: RoundTrip) -> None:
    payload = {
        "_id": "l1",
        "agentId": "u1",
        "departmentId": "d1",
        "departmentName": "Support",
        "username": "jane",
        "count": 0,
        "order": 1,
        "departmentEnabled": True,
        "_updatedAt": "2024-10-15T02:50:00.000Z",
    }
    found = AgentDepartment.model_validate(payload)
    assert (found.department_id, found.department_name, found.order) == ("d1", "Support", 1)
    assert found.updated_at == datetime(2024, 10, 15, 2, 50, tzinfo=UTC)
    round_trip(found, payload)


def test_queue_metric(round_trip: RoundTrip) -> None:
    row = {
        "user": {"_id": "u1", "username": "jane", "status": "online"},
        "department": {"_id": "d1", "name": "Support"},
        "chats": 3,
    }
    metric = QueueMetric.model_validate(row)
    assert (metric.user.id, metric.user.username, metric.department.name, metric.chats) == (
        "u1",
        "jane",
        "Support",
        3,
    )
    round_trip(metric, row)
    # chats without a department group under a null department
    bare = QueueMetric.model_validate({"user": {}, "department": {"_id": None, "name": None}})
    assert bare.department.id is None and bare.chats == 0
    page = Page.from_response(
        {"queue": [row], "count": 1, "offset": 0, "total": 1}, "queue", QueueMetric
    )
    assert page.items == [metric] and page.total == 1
