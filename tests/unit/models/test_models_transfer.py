"""Transfer history entries (``GET livechat/transfer.history/:rid``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel

from rocketchat_livechat.models import Page, TransferHistoryEntry

RoundTrip = Callable[[BaseModel, dict[str, Any]], None]

TO_AGENT = {
    "transferredBy": {"_id": "a1", "username": "jane", "name": "Jane", "userType": "agent"},
    "ts": "2024-10-15T02:52:42.123Z",
    "scope": "agent",
    "comment": "over to you",
    "previousDepartment": "dep-1",
    "transferredTo": {"_id": "a2", "username": "bob", "name": "Bob"},
}
TO_DEPARTMENT = {
    "transferredBy": {"_id": "m1", "username": "boss", "userType": "user"},
    "ts": "2024-10-15T02:53:00.000Z",
    "scope": "department",
    "nextDepartment": {"_id": "dep-2", "name": "Billing"},
}


def test_agent_entry(round_trip: RoundTrip) -> None:
    entry = TransferHistoryEntry.model_validate(TO_AGENT)
    assert entry.transferred_by.id == "a1" and entry.transferred_by.user_type == "agent"
    assert entry.ts == datetime(2024, 10, 15, 2, 52, 42, 123000, tzinfo=UTC)
    assert entry.scope == "agent" and entry.comment == "over to you"
    assert entry.previous_department == "dep-1" and entry.next_department is None
    assert entry.transferred_to is not None and entry.transferred_to.username == "bob"
    round_trip(entry, TO_AGENT)


def test_department_entry(round_trip: RoundTrip) -> None:
    entry = TransferHistoryEntry.model_validate(TO_DEPARTMENT)
    assert entry.next_department is not None and entry.next_department.name == "Billing"
    assert entry.transferred_to is None and entry.comment is None
    round_trip(entry, TO_DEPARTMENT)


def test_previous_department_as_a_document_gives_its_id() -> None:
    entry = TransferHistoryEntry.model_validate(
        {**TO_DEPARTMENT, "previousDepartment": {"_id": "dep-1", "name": "Sales"}}
    )
    assert entry.previous_department == "dep-1"


def test_page_of_entries() -> None:
    page = Page[TransferHistoryEntry].model_validate(
        {"items": [TO_AGENT, TO_DEPARTMENT], "count": 2, "offset": 0, "total": 2}
    )
    assert [e.scope for e in page.items] == ["agent", "department"]
