"""Realistic webhook bodies, built field by field from Rocket.Chat's sendToCRM.ts / guests.ts.

See /work/shared/rocketchat-webhooks-bridges-8x.md §1.3 (fields), §1.4 (example), §1.8 (test).
"""

from __future__ import annotations

import copy
from typing import Any

RID = "Xq8sYhLr2bdAzu7mn"
VISITOR_TOKEN = "whatsapp:553199990000@c.us"
VISITOR = {
    "_id": "vis123",
    "token": VISITOR_TOKEN,
    "name": "Maria",
    "username": "guest-12",
    "department": "dept1",
    "ip": "10.0.0.5",
    "os": "Linux x86_64",
    "browser": "Firefox 128.0",
    "customFields": {"cpf": "123"},
    "email": [{"address": "maria@example.org"}],
    "phone": [{"phoneNumber": "5531999990000"}],
}
AGENT = {
    "_id": "agent1",
    "username": "ana",
    "name": "Ana",
    "email": "ana@x.org",
    "customFields": {"team": "sales"},
}
SERVED_BY = {"_id": "agent1", "username": "ana", "ts": "2026-01-01T10:00:05.000Z"}


def visitor_message(mid: str = "msg1", text: str = "oi", **extra: Any) -> dict[str, Any]:
    return {
        "u": {"_id": "vis123", "username": "guest-12", "name": "Maria"},
        "_id": mid,
        "username": "guest-12",
        "msg": text,
        "ts": "2026-01-01T10:00:01.000Z",
        "rid": RID,
        "_updatedAt": "2026-01-01T10:00:01.010Z",
        **extra,
    }


def agent_message(mid: str = "msg2", text: str = "Olá, Maria!", **extra: Any) -> dict[str, Any]:
    return {
        "u": {"_id": "agent1", "username": "ana", "name": "Ana"},
        "_id": mid,
        "username": "ana",
        "msg": text,
        "ts": "2026-01-01T10:00:10.000Z",
        "rid": RID,
        "agentId": "agent1",
        "_updatedAt": "2026-01-01T10:00:10.010Z",
        **extra,
    }


FILE_MESSAGE = {  # a file with no text: ``msg`` is JSON.stringify(undefined), so the key is absent
    "u": {"_id": "vis123", "username": "guest-12", "name": "Maria"},
    "_id": "msg3",
    "username": "guest-12",
    "ts": "2026-01-01T10:00:20.000Z",
    "rid": RID,
    "file": {"_id": "file1", "name": "photo.jpg", "type": "image/jpeg"},
    "attachments": [
        {
            "title": "photo.jpg",
            "type": "file",
            "title_link": "/file-upload/file1/photo.jpg",
            "title_link_download": True,
            "image_url": "/file-upload/file1/photo.jpg",
            "image_type": "image/jpeg",
            "image_size": 2048,
        }
    ],
    "fileUpload": {
        "publicFilePath": "https://chat.example.org/file-upload/file1/photo.jpg",
        "type": "image/jpeg",
        "size": 2048,
    },
    "_updatedAt": "2026-01-01T10:00:20.010Z",
}

CLOSING_MESSAGE = {
    "u": {"_id": "agent1", "username": "ana", "name": "Ana"},
    "_id": "msg4",
    "username": "ana",
    "msg": "Obrigado!",
    "ts": "2026-01-01T10:05:00.000Z",
    "rid": RID,
    "agentId": "agent1",
    "closingMessage": True,
    "_updatedAt": "2026-01-01T10:05:00.010Z",
}

NAVIGATION_MESSAGE = visitor_message(
    "msg5",
    "https://shop.example.org/cart",
    navigation={"page": {"title": "Cart", "location": {"href": "/cart"}}, "token": VISITOR_TOKEN},
)


def room_fields(**extra: Any) -> dict[str, Any]:
    """``getLivechatRoomGuestInfo`` for a served room with a crmData."""
    return {
        "_id": RID,
        "label": "Maria",
        "topic": "pedido 42",
        "createdAt": "2026-01-01T10:00:00.000Z",
        "lastMessageAt": "2026-01-01T10:00:10.000Z",
        "tags": ["vip"],
        "customFields": {"orderId": "42"},
        "visitor": copy.deepcopy(VISITOR),
        "agent": copy.deepcopy(AGENT),
        "crmData": '{"conversation":"abc"}',
        **extra,
    }


def session_start() -> dict[str, Any]:
    body = room_fields(type="LivechatSessionStart", messages=[], departmentId="dept1")
    del body["agent"], body["crmData"], body["lastMessageAt"]
    return body


def session_queued() -> dict[str, Any]:
    body = room_fields(
        type="LivechatSessionQueued", messages=[visitor_message()], departmentId="dept1"
    )
    del body["agent"], body["crmData"]
    return body


def session_taken() -> dict[str, Any]:
    return room_fields(
        type="LivechatSessionTaken",
        messages=[visitor_message()],
        departmentId="dept1",
        servedBy=copy.deepcopy(SERVED_BY),
    )


def forwarded_to_agent() -> dict[str, Any]:
    return room_fields(
        type="LivechatSessionForwarded",
        messages=[visitor_message(), agent_message()],
        departmentId="dept1",
        servedBy={"_id": "agent2", "username": "bia", "ts": "2026-01-01T10:01:00.000Z"},
        oldServedBy=copy.deepcopy(SERVED_BY),
    )


def forwarded_to_department() -> dict[str, Any]:
    return room_fields(
        type="LivechatSessionForwarded",
        messages=[visitor_message()],
        departmentId="dept2",
        oldDepartmentId="dept1",
    )


def session_closed() -> dict[str, Any]:
    return room_fields(
        type="LivechatSession",
        messages=[
            visitor_message(),
            agent_message(),
            copy.deepcopy(FILE_MESSAGE),
            copy.deepcopy(CLOSING_MESSAGE),
        ],
        departmentId="dept1",
        servedBy=copy.deepcopy(SERVED_BY),
        closedAt="2026-01-01T10:05:00.000Z",
        closedBy={"_id": "agent1", "username": "ana"},
        closer="user",
    )


def livechat_edit() -> dict[str, Any]:
    return room_fields(type="LivechatEdit", messages=[visitor_message()])


def message_event(message: dict[str, Any] | None = None) -> dict[str, Any]:
    return room_fields(type="Message", messages=[message or visitor_message()])


def lead_capture() -> dict[str, Any]:
    return room_fields(type="LeadCapture", messages=[])


def offline_message() -> dict[str, Any]:
    return {
        "type": "LivechatOfflineMessage",
        "sentAt": "2026-01-01T22:00:00.000Z",
        "visitor": {"name": "João", "email": "joao@example.org"},
        "message": "Vocês abrem amanhã?",
    }


def test_payload() -> dict[str, Any]:
    """``POST livechat/webhook.test``'s sample (api/v1/webhooks.ts): plain strings, no ids."""
    return {
        "type": "LivechatSession",
        "_id": "fasd6f5a4sd6f8a4sdf",
        "label": "title",
        "topic": "asiodojf",
        "createdAt": "2026-01-01T10:00:00.000Z",
        "lastMessageAt": "2026-01-01T10:00:00.000Z",
        "tags": ["tag1", "tag2", "tag3"],
        "customFields": {"productId": "123456"},
        "visitor": {
            "_id": "",
            "name": "visitor name",
            "username": "visitor-username",
            "department": "department",
            "email": "email@address.com",
            "phone": "192873192873",
            "ip": "123.456.7.89",
            "browser": "Chrome",
            "os": "Linux",
            "customFields": {"customerId": "123456"},
        },
        "agent": {
            "_id": "asdf89as6df8",
            "username": "agent.username",
            "name": "Agent Name",
            "email": "agent@email.com",
        },
        "messages": [
            {
                "username": "visitor-username",
                "msg": "message content",
                "ts": "2026-01-01T10:00:00.000Z",
            },
            {
                "username": "agent.username",
                "agentId": "asdf89as6df8",
                "msg": "message content from agent",
                "ts": "2026-01-01T10:00:00.000Z",
            },
        ],
    }
