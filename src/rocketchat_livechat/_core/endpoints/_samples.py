"""Sample documents for the declarations' ``samples`` (what a server could answer).

The declaration-driven tests call every endpoint with its samples and parse these answers, so
each endpoint is exercised the moment it is declared.
"""

from __future__ import annotations

from typing import Any

TOKEN = "tok-1"
RID = "room-1"
MESSAGE_ID = "msg-1"
VISITOR: dict[str, Any] = {"_id": "v1", "token": TOKEN, "username": "guest-1"}
ROOM: dict[str, Any] = {"_id": RID, "t": "l", "open": True, "v": {"_id": "v1", "token": TOKEN}}
MESSAGE: dict[str, Any] = {"_id": MESSAGE_ID, "rid": RID, "msg": "Hello"}
AGENT: dict[str, Any] = {"_id": "agent-1", "username": "agent", "name": "Agent"}
USER: dict[str, Any] = {"_id": "u1", "username": "bob", "statusLivechat": "available"}
INQUIRY: dict[str, Any] = {"_id": "inq-1", "rid": RID, "status": "queued"}
DEPARTMENT: dict[str, Any] = {"_id": "dep-1", "name": "Sales", "enabled": True}
QUEUE_METRIC: dict[str, Any] = {
    "user": {"_id": "u1", "username": "jane", "status": "online"},
    "department": {"_id": "dep-1", "name": "Sales"},
    "chats": 2,
}
DEPARTMENT_AGENT: dict[str, Any] = {
    "_id": "link-1",
    "agentId": "u1",
    "departmentId": "dep-1",
    "username": "jane",
    "count": 0,
    "order": 0,
    "departmentEnabled": True,
}


def page(key: str, *items: dict[str, Any]) -> dict[str, Any]:
    """A one-page list answer."""
    return {key: list(items), "count": len(items), "offset": 0, "total": len(items)}
