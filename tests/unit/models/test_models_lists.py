"""Pages, inquiries, departments, custom fields and page visits."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from rocketchat_livechat.models import (
    CustomFieldResult,
    Department,
    DepartmentDetails,
    Inquiry,
    LivechatUser,
    Page,
    PageVisit,
    Room,
)

RoundTrip = Callable[[BaseModel, dict[str, Any]], None]

INQUIRY = {
    "_id": "6710d0a5e5b8c2a1f4d3e2b1",
    "rid": "r1",
    "name": "Mary",
    "ts": "2024-10-15T02:50:00.000Z",
    "message": "hello",
    "status": "taken",
    "v": {"_id": "v1", "username": "guest-1", "token": "tok", "status": "online"},
    "t": "l",
    "source": {"type": "widget", "destination": "localhost:3000"},
    "priorityWeight": 99999,
    "estimatedWaitingTimeQueue": 0,
    "queuedAt": {"$date": 1728960600000},
    "takenAt": "2024-10-15T02:50:01.000Z",
    "defaultAgent": {"agentId": "a1", "username": "agent"},
    "locked": False,
}


def test_page_of_rooms() -> None:
    body = {
        "rooms": [{"_id": "r1", "open": True}, {"_id": "r2"}],
        "count": 2,
        "offset": 10,
        "total": 12,
        "success": True,
    }
    page = Page.from_response(body, "rooms", Room)
    assert [room.id for room in page.items] == ["r1", "r2"]
    assert all(isinstance(room, Room) for room in page.items)
    assert [room.open for room in page.items] == [True, False]
    assert (page.count, page.offset, page.total) == (2, 10, 12)
    assert page.model_dump(by_alias=True)["items"][0]["_id"] == "r1"


def test_page_without_counters_and_items() -> None:
    users = Page.from_response({"users": [{"_id": "u"}]}, "users", LivechatUser)
    assert (users.count, users.offset, users.total) == (1, 0, 1)
    empty = Page.from_response({"rooms": []}, "rooms", Room)
    assert empty.items == [] and empty.total == 0


def test_page_validates_items() -> None:
    with pytest.raises(ValidationError):
        Page.from_response({"rooms": [{"noId": True}]}, "rooms", Room)


def test_inquiry(round_trip: RoundTrip) -> None:
    inquiry = Inquiry.model_validate(INQUIRY)
    assert inquiry.status == "taken"
    assert inquiry.visitor is inquiry.v
    assert inquiry.v is not None and inquiry.v.token == "tok"
    assert inquiry.queued_at == datetime(2024, 10, 15, 2, 50, tzinfo=UTC)
    assert inquiry.default_agent is not None and inquiry.default_agent.agent_id == "a1"
    assert inquiry.priority_weight == 99999
    page = Page.from_response(
        {"inquiries": [INQUIRY], "count": 1, "offset": 0, "total": 1}, "inquiries", Inquiry
    )
    assert page.items[0] == inquiry
    expected = {**INQUIRY, "queuedAt": "2024-10-15T02:50:00.000Z"}
    round_trip(inquiry, expected)


def test_inquiry_list_item_subset() -> None:
    inquiry = Inquiry.model_validate(
        {"_id": "i", "rid": "r", "name": "x", "ts": "2024-10-15T02:50:00.000Z", "status": "queued"}
    )
    assert inquiry.v is None and inquiry.department is None


def test_department_details(round_trip: RoundTrip) -> None:
    payload = {
        "department": {
            "_id": "d1",
            "name": "Support",
            "enabled": True,
            "email": "support@x.io",
            "showOnRegistration": True,
            "showOnOfflineForm": False,
            "description": "",
            "numAgents": 1,
            "_updatedAt": "2024-10-15T02:50:00.000Z",
            "chatClosingTags": ["sales"],
            "departmentsAllowedToForward": [],
        },
        "agents": [
            {
                "_id": "da1",
                "agentId": "a1",
                "departmentId": "d1",
                "username": "agent",
                "count": 0,
                "order": 0,
                "departmentEnabled": True,
            }
        ],
    }
    details = DepartmentDetails.model_validate(payload)
    assert details.department is not None
    assert details.department.show_on_registration is True
    assert details.department.num_agents == 1
    assert details.agents[0].agent_id == "a1"
    assert details.agents[0].department_enabled is True
    round_trip(details, payload)
    assert DepartmentDetails.model_validate({"department": None}).department is None
    assert Department.model_validate({"_id": "d"}).chat_closing_tags == []


@pytest.mark.parametrize("key_spelling", ["key", "Key"])
def test_custom_field_result_accepts_both_key_spellings(key_spelling: str) -> None:
    field = CustomFieldResult.model_validate(
        {key_spelling: "orderId", "value": "42", "overwrite": True}
    )
    assert (field.key, field.value, field.overwrite) == ("orderId", "42", True)
    assert field.model_dump(by_alias=True) == {"key": "orderId", "value": "42", "overwrite": True}


def test_page_visit() -> None:
    visit = PageVisit.model_validate(
        {
            "msg": "Home - http://x/",
            "navigation": {
                "page": {"title": "Home", "change": "url", "location": {"href": "http://x/"}},
                "token": "t",
            },
        }
    )
    assert visit.msg == "Home - http://x/"
    assert visit.navigation is not None and visit.navigation["token"] == "t"
