"""Omnichannel contacts (``ILivechatContact``): the 8.x shape, the older 7.x channel shape and the
``contacts.search`` manager object."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel

from rocketchat_livechat.models import Contact, ContactChannel, ContactManager, Room

RoundTrip = Callable[[BaseModel, dict[str, Any]], None]

_CHANNEL = {
    "name": "widget",
    "visitor": {"visitorId": "v1", "source": {"type": "widget"}},
    "blocked": False,
    "verified": False,
    "details": {"type": "widget", "destination": "shop.test"},
    "lastChat": {"_id": "r1", "ts": "2026-01-02T03:04:05.000Z"},
}


def test_contact(round_trip: RoundTrip) -> None:
    payload = {
        "_id": "c1",
        "name": "Alice",
        "emails": [{"address": "alice@example.com"}],
        "phones": [{"phoneNumber": "+15550001"}],
        "contactManager": "agent-1",
        "unknown": False,
        "customFields": {"cpf": "123"},
        "channels": [_CHANNEL],
        "conflictingFields": [{"field": "name", "value": "Ally"}],
        "createdAt": "2026-01-01T00:00:00.000Z",
        "lastChat": {"_id": "r1", "ts": "2026-01-02T03:04:05.000Z"},
        "preRegistration": False,
    }
    contact = Contact.model_validate(payload)
    assert contact.contact_manager_id == "agent-1"
    assert contact.email_addresses == ["alice@example.com"]
    assert contact.phone_numbers == ["+15550001"]
    [channel] = contact.channels
    assert channel.visitor_ref == "v1" and channel.visitor is not None
    assert channel.visitor.source.type == "widget" and channel.visitor.source.id is None
    assert channel.last_chat is not None
    assert channel.last_chat.ts == datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert [(c.field, c.value) for c in contact.conflicting_fields] == [("name", "Ally")]
    assert contact.created_at == datetime(2026, 1, 1, tzinfo=UTC)
    round_trip(contact, payload)


def test_search_answer_has_the_manager_object() -> None:
    contact = Contact.model_validate(
        {"_id": "c1", "contactManager": {"_id": "agent-1", "username": "jane", "name": "Jane"}}
    )
    assert isinstance(contact.contact_manager, ContactManager)
    assert contact.contact_manager_id == "agent-1" and contact.contact_manager.username == "jane"
    assert Contact.model_validate({"_id": "c2"}).contact_manager_id is None


def test_older_channel_shape() -> None:
    """Early 7.x channels had ``visitorId`` at the top level and contacts a ``hasConflict``."""
    channel = ContactChannel.model_validate({"name": "api", "visitorId": "v9", "verified": True})
    assert channel.visitor is None and channel.visitor_ref == "v9" and channel.verified
    contact = Contact.model_validate({"_id": "c1", "hasConflict": True, "channels": []})
    assert contact.has_conflict is True and contact.enabled is True


def test_room_contact_fields() -> None:
    room = Room.model_validate({"_id": "r1", "contactId": "c1", "verified": False})
    assert room.contact_id == "c1" and room.verified is False
