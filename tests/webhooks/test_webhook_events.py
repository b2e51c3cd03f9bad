"""Parsing every webhook event type from realistic bodies (Rocket.Chat sendToCRM.ts, guests.ts)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import _webhook_payloads as p
import pytest

from rocketchat_livechat.webhooks import (
    EVENT_TYPES,
    TEST_PAYLOAD_ROOM_ID,
    LeadCaptureEvent,
    LivechatEditEvent,
    LivechatOfflineMessageEvent,
    LivechatSessionEvent,
    LivechatSessionForwardedEvent,
    LivechatSessionQueuedEvent,
    LivechatSessionStartEvent,
    LivechatSessionTakenEvent,
    MessageEvent,
    UnknownWebhookEvent,
    parse_webhook,
)


def parse(body: dict[str, Any]) -> Any:
    return parse_webhook(json.dumps(body).encode(), {}, secret=None)


CASES = [
    (p.session_start, LivechatSessionStartEvent),
    (p.session_queued, LivechatSessionQueuedEvent),
    (p.session_taken, LivechatSessionTakenEvent),
    (p.forwarded_to_agent, LivechatSessionForwardedEvent),
    (p.session_closed, LivechatSessionEvent),
    (p.livechat_edit, LivechatEditEvent),
    (p.message_event, MessageEvent),
    (p.lead_capture, LeadCaptureEvent),
    (p.offline_message, LivechatOfflineMessageEvent),
]


@pytest.mark.parametrize(("build", "cls"), CASES, ids=lambda x: getattr(x, "__name__", ""))
def test_each_type_parses_to_its_class(build: Any, cls: type) -> None:
    body = build()
    event = parse(body)
    assert type(event) is cls
    assert event.type == body["type"]
    # nothing the server sent is lost: dumping by alias gives every key back
    assert set(event.model_dump(by_alias=True, exclude_unset=True)) == set(body)


def test_every_rocket_chat_type_has_a_case() -> None:
    assert {build()["type"] for build, _ in CASES} == EVENT_TYPES


def test_room_fields_visitor_and_agent() -> None:
    event = parse(p.session_taken())
    assert event.id == event.room_id == p.RID
    assert event.label == "Maria" and event.topic == "pedido 42"
    assert event.created_at == datetime(2026, 1, 1, 10, 0, tzinfo=UTC)
    assert event.tags == ["vip"] and event.custom_fields == {"orderId": "42"}
    assert event.crm_data == '{"conversation":"abc"}'
    assert event.department_id == "dept1"
    assert event.served_by.id == "agent1" and event.served_by.username == "ana"
    visitor = event.visitor
    assert visitor.id == "vis123" and visitor.token == p.VISITOR_TOKEN
    assert visitor.username == "guest-12" and visitor.department == "dept1"
    assert (visitor.ip, visitor.os, visitor.browser) == (
        "10.0.0.5",
        "Linux x86_64",
        "Firefox 128.0",
    )
    assert visitor.custom_fields == {"cpf": "123"}
    assert [e.address for e in visitor.emails] == ["maria@example.org"]
    assert visitor.email == "maria@example.org"
    assert [ph.phone_number for ph in visitor.phones] == ["5531999990000"]
    assert visitor.phone == "5531999990000"
    agent = event.agent
    assert (agent.id, agent.username, agent.name, agent.email) == (
        "agent1",
        "ana",
        "Ana",
        "ana@x.org",
    )
    assert agent.custom_fields == {"team": "sales"}


def test_start_without_agent_nor_crm_data() -> None:
    event = parse(p.session_start())
    assert event.agent is None and event.crm_data is None and event.messages == []
    assert event.department_id == "dept1"


def test_forwarded_to_agent_and_to_department() -> None:
    to_agent = parse(p.forwarded_to_agent())
    assert to_agent.old_served_by.username == "ana" and to_agent.served_by.username == "bia"
    assert to_agent.old_department_id is None
    to_dept = parse(p.forwarded_to_department())
    assert to_dept.old_department_id == "dept1" and to_dept.department_id == "dept2"
    assert to_dept.old_served_by is None


def test_close_event_messages() -> None:
    event = parse(p.session_closed())
    assert event.closer == "user" and event.closed_by.username == "ana"
    assert event.closed_at == datetime(2026, 1, 1, 10, 5, tzinfo=UTC)
    visitor_msg, agent_msg, file_msg, closing = event.messages
    assert visitor_msg.from_visitor and visitor_msg.agent_id is None
    assert visitor_msg.u.name == "Maria" and visitor_msg.rid == p.RID
    assert visitor_msg.updated_at == datetime(2026, 1, 1, 10, 0, 1, 10000, tzinfo=UTC)
    assert (
        agent_msg.from_agent and agent_msg.agent_id == "agent1" and agent_msg.text == "Olá, Maria!"
    )
    assert file_msg.msg is None and file_msg.file.name == "photo.jpg"
    assert file_msg.attachments[0].title_link == "/file-upload/file1/photo.jpg"
    assert file_msg.file_upload.public_file_path.endswith("/file-upload/file1/photo.jpg")
    assert file_msg.file_upload.size == 2048
    assert closing.closing_message and not visitor_msg.closing_message
    assert not event.is_test


def test_message_event_edit_and_navigation() -> None:
    edited = parse(p.message_event(p.visitor_message(editedAt="2026-01-01T10:00:30.000Z")))
    assert edited.message.edited and edited.message.edited_at.second == 30
    nav = parse(p.message_event(p.NAVIGATION_MESSAGE)).message
    assert nav.navigation["page"]["title"] == "Cart"
    blocks = [{"type": "section", "text": {"type": "plain_text", "text": "hi"}}]
    with_blocks = parse(p.message_event(p.agent_message(msg=json.dumps(blocks), blocks=blocks)))
    assert with_blocks.message.blocks == blocks


def test_offline_message() -> None:
    event = parse(p.offline_message())
    assert event.visitor.name == "João" and event.visitor.email == "joao@example.org"
    assert event.message == "Vocês abrem amanhã?" and event.sent_at.hour == 22
    assert event.room_id is None


def test_the_test_payload_with_plain_strings() -> None:
    event = parse(p.test_payload())
    assert isinstance(event, LivechatSessionEvent) and event.is_test
    assert event.id == TEST_PAYLOAD_ROOM_ID
    assert event.visitor.email == "email@address.com"
    assert event.visitor.phone == "192873192873"
    assert event.visitor.token is None and event.visitor.id == ""
    assert event.agent.email == "agent@email.com"
    first, second = event.messages
    assert first.id is None and first.from_visitor and first.u is None
    assert second.from_agent and second.agent_id == "asdf89as6df8"


def test_unknown_fields_are_kept_at_every_level() -> None:
    body = p.session_taken()
    body["priorityWeight"] = 3
    body["visitor"]["contactId"] = "c1"
    body["messages"][0]["reactions"] = {":+1:": {"usernames": ["ana"]}}
    body["servedBy"]["extra"] = True
    event = parse(body)
    assert event.model_extra == {"priorityWeight": 3}
    assert event.visitor.model_extra == {"contactId": "c1"}
    assert event.messages[0].model_extra == {"reactions": {":+1:": {"usernames": ["ana"]}}}
    assert event.served_by.model_extra == {"extra": True}


def test_unknown_type_is_kept_raw() -> None:
    body = {
        "type": "LivechatSessionOnHold",
        "_id": p.RID,
        "messages": [p.visitor_message()],
        "x": 1,
    }
    event = parse(body)
    assert isinstance(event, UnknownWebhookEvent)
    assert event.type == "LivechatSessionOnHold" and event.raw == body
    assert event.room_id == p.RID and event.messages == body["messages"]


def test_old_crm_data_json_value_and_epoch_dates() -> None:
    body = p.session_taken()
    body["crmData"] = {"conversation": "abc"}  # <=5.x stored the response's ``data`` value
    body["createdAt"] = {"$date": 1767261600000}
    event = parse(body)
    assert event.crm_data == {"conversation": "abc"}
    assert event.created_at == datetime(2026, 1, 1, 10, 0, tzinfo=UTC)


def test_visitor_token_is_not_in_reprs() -> None:
    event = parse(p.message_event(p.NAVIGATION_MESSAGE))
    assert p.VISITOR_TOKEN not in repr(event)
    assert p.VISITOR_TOKEN not in str(event)
    assert event.visitor.token == p.VISITOR_TOKEN


def test_mapping_body_and_str_body() -> None:
    assert isinstance(parse_webhook(p.lead_capture(), {}, secret=None), LeadCaptureEvent)
    text = json.dumps(p.offline_message(), ensure_ascii=False)
    assert parse_webhook(text, {}, secret=None).visitor.name == "João"
