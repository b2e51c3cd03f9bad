"""Visitor models against the seed manual's and Rocket.Chat's payloads."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel

from rocketchat_livechat.models import DeletedVisitor, Visitor, VisitorStatus

RoundTrip = Callable[[BaseModel, dict[str, Any]], None]


def test_registered_visitor(seed: dict[str, Any], round_trip: RoundTrip) -> None:
    payload = seed["visitor_register"]["visitor"]
    visitor = Visitor.model_validate(payload)
    assert visitor.id == "642fc15452492a08c3a756de"
    assert visitor.username == "guest-19"
    assert visitor.status == "online"
    assert visitor.token == "iNKE8a6k6cjbqWhWd"
    assert visitor.ts == datetime(2023, 4, 7, 7, 8, 4, 375000, tzinfo=UTC)
    assert visitor.updated_at == datetime(2023, 11, 3, 8, 23, 23, 449000, tzinfo=UTC)
    assert visitor.phone[0].phone_number == "55 51 5555-5555"
    assert visitor.visitor_emails[0].address == "visitor@rocket.chat"
    assert visitor.email == "visitor@rocket.chat"
    assert visitor.department == "64181a0728384134ed600dcc"
    assert visitor.livechat_data == {}
    round_trip(visitor, payload)


def test_fetched_visitor_with_custom_fields(seed: dict[str, Any], round_trip: RoundTrip) -> None:
    payload = seed["visitor_get"]["visitor"]
    visitor = Visitor.model_validate(payload)
    assert visitor.livechat_data == {"address": "Rocket.Chat street"}
    assert visitor.ts is None
    assert visitor.name == "Livechat Visitor"
    round_trip(visitor, payload)


def test_deleted_visitor_result(seed: dict[str, Any], round_trip: RoundTrip) -> None:
    payload = seed["visitor_delete"]["visitor"]
    deleted = DeletedVisitor.model_validate(payload)
    assert deleted.id == "47Dajwh9DjpnTAugW"
    assert deleted.ts == datetime(2021, 7, 18, 13, 28, 38, 962000, tzinfo=UTC)
    round_trip(deleted, payload)


def test_disabled_visitor_document_parses_without_token() -> None:
    visitor = Visitor.model_validate({"_id": "v", "username": "guest-3", "disabled": True})
    assert visitor.disabled is True
    assert visitor.token is None
    assert visitor.email is None
    assert visitor.visitor_emails == []


def test_visitor_with_http_header_data_and_7x_fields() -> None:
    payload = {
        "_id": "v",
        "token": "t",
        "userAgent": "curl/8",
        "ip": "127.0.0.1",
        "host": "example.com",
        "contactId": "c1",
        "activity": ["2024-10"],
        "lastChat": {"_id": "r1", "ts": "2024-10-15T02:52:42.123Z"},
    }
    visitor = Visitor.model_validate(payload)
    assert (visitor.user_agent, visitor.ip, visitor.contact_id) == ("curl/8", "127.0.0.1", "c1")
    assert visitor.activity == ["2024-10"]
    assert visitor.model_dump(by_alias=True, exclude_unset=True) == payload


def test_visitor_status_result() -> None:
    status = VisitorStatus.model_validate({"token": "t", "status": "away", "success": True})
    assert (status.token, status.status) == ("t", "away")
