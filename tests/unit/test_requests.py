"""Every public method sends exactly the request Rocket.Chat expects (its livechat routes).

One table row per call: the HTTP method, the path as sent (percent-encoded), the query pairs,
the JSON body (exact bytes where it matters), the auth headers, and a check of the parsed result.
Each row runs with ``LivechatClient`` and with ``AsyncLivechatClient``. The clients are always
logged in, so the rows also prove that visitor endpoints never carry the user's credentials.

These rows pin exact bytes by hand; that every declared endpoint is called, with each of its
samples, is derived from the declarations in ``test_declarations.py``.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx2
import pytest
from _harness import (
    AUTH_TOKEN,
    BASE_URL,
    USER_ID,
    Driver,
    Recorder,
    always,
    body_json,
    bound_declarations,
    client_methods,
    json_response,
    method_of,
    multipart_parts,
    public_methods,
    query,
    raw_path,
    resource_method_names,
    resources,
)

from rocketchat_livechat import (
    AsyncLivechatClient,
    AuthenticationError,
    InvalidArgumentError,
    LivechatClient,
)
from rocketchat_livechat._core.endpoints import declared
from rocketchat_livechat.models import (
    AgentInfo,
    AgentStatus,
    AppearanceSetting,
    ClosedRoom,
    CustomFieldResult,
    DeletedMessage,
    DeletedVisitor,
    DepartmentDetails,
    Inquiry,
    LivechatConfig,
    LivechatUser,
    LoginResult,
    Message,
    Page,
    PageVisit,
    Room,
    RoomResult,
    SurveyResult,
    UserRef,
    Visitor,
    VisitorStatus,
)

TOKEN = "tok-1"
RID = "room-1"
MID = "msg-1"
API = "/api/v1/"

VISITOR = {"_id": "v1", "token": TOKEN, "username": "guest-1", "status": "online"}
ROOM = {"_id": RID, "t": "l", "open": True, "v": {"_id": "v1", "token": TOKEN}}
MESSAGE = {"_id": MID, "rid": RID, "msg": "Hello", "token": TOKEN, "ts": "2024-10-15T02:52:42.123Z"}
AGENT = {"_id": "agent-1", "username": "agent", "name": "Agent", "status": "online"}
USER = {"_id": "u1", "username": "bob", "statusLivechat": "available"}
INQUIRY = {"_id": "inq-1", "rid": RID, "status": "queued", "name": "Alice"}
DEPARTMENT = {"_id": "dep-1", "name": "Sales", "enabled": True}
APPEARANCE_SETTING = {"_id": "Livechat_title", "value": "Support", "type": "string"}


def page(key: str, items: list[dict[str, Any]], total: int | None = None) -> dict[str, Any]:
    count = len(items)
    return {key: items, "count": count, "offset": 0, "total": count if total is None else total}


@dataclass(frozen=True)
class Case:
    """One call and the exact request it must produce."""

    id: str
    call: str
    args: tuple[Any, ...]
    method: str
    path: str
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    query: list[tuple[str, str]] = field(default_factory=list)
    body: Any = None  # the parsed JSON body; None: no body at all
    raw_body: bytes | None = None  # the exact bytes, where they are pinned
    user_auth: bool = False
    response: Any = None
    check: Callable[[Any], object] = lambda result: True  # a truthy value: the result is right


CASES = [
    # --- config ----------------------------------------------------------------------------
    Case(
        "config.bare",
        "config.get_config",
        (),
        "GET",
        API + "livechat/config",
        response={"config": {"enabled": True, "online": False}},
        check=lambda r: isinstance(r, LivechatConfig) and r.enabled and r.online is False,
    ),
    Case(
        "config.token-department",
        "config.get_config",
        (),
        "GET",
        API + "livechat/config",
        kwargs={"token": TOKEN, "department": "dep-1"},
        query=[("token", TOKEN), ("department", "dep-1")],
        response={"config": {"enabled": True, "guest": VISITOR}},
        check=lambda r: isinstance(r, LivechatConfig) and r.enabled,
    ),
    Case(
        # reserved characters in a query value stay a single value
        "config.hostile-token-in-query",
        "config.get_config",
        (),
        "GET",
        API + "livechat/config",
        kwargs={"token": "a/../b?x=1#&y=2+3 %2F"},
        query=[("token", "a/../b?x=1#&y=2+3 %2F")],
        response={"config": {"enabled": False}},
        check=lambda r: r.enabled is False,
    ),
    Case(
        "config.get-appearance",
        "config.get_appearance",
        (),
        "GET",
        API + "livechat/appearance",
        user_auth=True,
        response={"appearance": [APPEARANCE_SETTING]},
        check=lambda r: isinstance(r[0], AppearanceSetting) and r[0].value == "Support",
    ),
    Case(
        "config.set-appearance-mapping",
        "config.set_appearance",
        ({"Livechat_title": "Support", "Livechat_registration_form": False},),
        "POST",
        API + "livechat/appearance",
        body=[
            {"_id": "Livechat_title", "value": "Support"},
            {"_id": "Livechat_registration_form", "value": False},
        ],
        raw_body=b'[{"_id":"Livechat_title","value":"Support"},'
        b'{"_id":"Livechat_registration_form","value":false}]',
        user_auth=True,
        check=lambda r: r is None,
    ),
    Case(
        # list items keep their order; numbers and lists of option keys go as they are
        "config.set-appearance-list",
        "config.set_appearance",
        (
            [
                {"_id": "Livechat_message_character_limit", "value": 100},
                {"_id": "Livechat_hide_system_messages", "value": ("uj", "ul")},
            ],
        ),
        "POST",
        API + "livechat/appearance",
        body=[
            {"_id": "Livechat_message_character_limit", "value": 100},
            {"_id": "Livechat_hide_system_messages", "value": ["uj", "ul"]},
        ],
        user_auth=True,
    ),
    # --- agents ----------------------------------------------------------------------------
    Case(
        "agents.info",
        "agents.get_agent_info",
        (RID, TOKEN),
        "GET",
        API + f"livechat/agent.info/{RID}/{TOKEN}",
        response={"agent": AGENT},
        check=lambda r: isinstance(r, AgentInfo) and r.id == "agent-1" and r.username == "agent",
    ),
    Case(
        "agents.info-encoded",
        "agents.get_agent_info",
        ("r 1", "tök:+@=,;50%"),
        "GET",
        API + "livechat/agent.info/r%201/t%C3%B6k:+@=,;50%25",
        response={"agent": {"hiddenInfo": True}},
        check=lambda r: r.hidden_info is True and r.id is None,
    ),
    Case(
        "agents.next",
        "agents.get_next_agent",
        (TOKEN,),
        "GET",
        API + f"livechat/agent.next/{TOKEN}",
        response={"agent": AGENT},
        check=lambda r: isinstance(r, AgentInfo) and r.name == "Agent",
    ),
    Case(
        "agents.next-department-open-room",
        "agents.get_next_agent",
        (TOKEN,),
        "GET",
        API + f"livechat/agent.next/{TOKEN}",
        kwargs={"department": "dep-1"},
        query=[("department", "dep-1")],
        response={"success": True},
        check=lambda r: r is None,
    ),
    # --- visitor ---------------------------------------------------------------------------
    Case(
        "visitor.register-minimal",
        "visitor.register_visitor",
        (TOKEN,),
        "POST",
        API + "livechat/visitor",
        body={"visitor": {"token": TOKEN}},
        raw_body=b'{"visitor":{"token":"tok-1"}}',
        response={"visitor": VISITOR},
        check=lambda r: isinstance(r, Visitor) and r.id == "v1" and r.token == TOKEN,
    ),
    Case(
        "visitor.register-full",
        "visitor.register_visitor",
        (TOKEN,),
        "POST",
        API + "livechat/visitor",
        kwargs={
            "name": "Zoë",
            "email": "zoe@example.com",
            "department": "dep-1",
            "phone": "+55 51 5555",
            "username": "zoe",
            "custom_fields": {"address": "Rua 1"},
        },
        body={
            "visitor": {
                "token": TOKEN,
                "name": "Zoë",
                "email": "zoe@example.com",
                "department": "dep-1",
                "phone": "+55 51 5555",
                "username": "zoe",
                "customFields": [{"key": "address", "value": "Rua 1", "overwrite": True}],
            }
        },
        raw_body=(
            '{"visitor":{"token":"tok-1","name":"Zoë","email":"zoe@example.com",'
            '"department":"dep-1","phone":"+55 51 5555","username":"zoe",'
            '"customFields":[{"key":"address","value":"Rua 1","overwrite":true}]}}'
        ).encode(),
        response={"visitor": VISITOR},
        check=lambda r: isinstance(r, Visitor),
    ),
    Case(
        "visitor.register-custom-field-list",
        "visitor.register_visitor",
        (TOKEN,),
        "POST",
        API + "livechat/visitor",
        kwargs={"custom_fields": [{"key": "plan", "value": "gold", "overwrite": False}]},
        body={
            "visitor": {
                "token": TOKEN,
                "customFields": [{"key": "plan", "value": "gold", "overwrite": False}],
            }
        },
        response={"visitor": VISITOR},
    ),
    Case(
        "visitor.get",
        "visitor.get_visitor",
        (TOKEN,),
        "GET",
        API + f"livechat/visitor/{TOKEN}",
        response={"visitor": VISITOR},
        check=lambda r: isinstance(r, Visitor) and r.username == "guest-1",
    ),
    Case(
        "visitor.get-encoded",
        "visitor.get_visitor",
        ("a b~c.d_e-f%2F",),
        "GET",
        API + "livechat/visitor/a%20b~c.d_e-f%252F",
        response={"visitor": VISITOR},
    ),
    Case(
        "visitor.delete",
        "visitor.delete_visitor",
        (TOKEN,),
        "DELETE",
        API + f"livechat/visitor/{TOKEN}",
        response={"visitor": {"_id": "v1", "ts": "2024-10-15T02:52:42.123Z"}},
        check=lambda r: isinstance(r, DeletedVisitor) and r.id == "v1" and r.ts is not None,
    ),
    Case(
        "visitor.status",
        "visitor.set_visitor_status",
        (TOKEN, "away"),
        "POST",
        API + "livechat/visitor.status",
        body={"token": TOKEN, "status": "away"},
        raw_body=b'{"token":"tok-1","status":"away"}',
        response={"token": TOKEN, "status": "away"},
        check=lambda r: isinstance(r, VisitorStatus) and r.status == "away",
    ),
    Case(
        "visitor.custom-field",
        "visitor.set_custom_field",
        (TOKEN, "address", "Rua 1"),
        "POST",
        API + "livechat/custom.field",
        body={"token": TOKEN, "key": "address", "value": "Rua 1", "overwrite": True},
        raw_body=b'{"token":"tok-1","key":"address","value":"Rua 1","overwrite":true}',
        response={"field": {"key": "address", "value": "Rua 1", "overwrite": True}},
        check=lambda r: isinstance(r, CustomFieldResult) and r.key == "address",
    ),
    Case(
        "visitor.custom-field-no-overwrite-empty-value",
        "visitor.set_custom_field",
        (TOKEN, "address", ""),
        "POST",
        API + "livechat/custom.field",
        kwargs={"overwrite": False},
        body={"token": TOKEN, "key": "address", "value": "", "overwrite": False},
        response={"field": {"key": "address", "value": "", "overwrite": False}},
    ),
    Case(
        "visitor.custom-fields",
        "visitor.set_custom_fields",
        (TOKEN, {"a": "1", "b": "2"}),
        "POST",
        API + "livechat/custom.fields",
        body={
            "token": TOKEN,
            "customFields": [
                {"key": "a", "value": "1", "overwrite": True},
                {"key": "b", "value": "2", "overwrite": True},
            ],
        },
        response={"fields": [{"Key": "a", "value": "1", "overwrite": True}]},
        check=lambda r: [f.key for f in r] == ["a"],
    ),
    Case(
        "visitor.page-visited",
        "visitor.send_page_visited",
        (TOKEN, RID, {"title": "Home", "location": {"href": "https://example.com/"}}),
        "POST",
        API + "livechat/page.visited",
        body={
            "token": TOKEN,
            "rid": RID,
            "pageInfo": {
                "title": "Home",
                "change": "url",
                "location": {"href": "https://example.com/"},
            },
        },
        raw_body=(
            b'{"token":"tok-1","rid":"room-1","pageInfo":{"title":"Home","change":"url",'
            b'"location":{"href":"https://example.com/"}}}'
        ),
        response={"page": {"msg": "Home - https://example.com/", "navigation": {}}},
        check=lambda r: isinstance(r, PageVisit) and r.msg == "Home - https://example.com/",
    ),
    Case(
        "visitor.page-visited-no-room-not-recorded",
        "visitor.send_page_visited",
        (TOKEN, None, {"title": "T", "change": "title", "href": "https://example.com/a"}),
        "POST",
        API + "livechat/page.visited",
        body={
            "token": TOKEN,
            "pageInfo": {
                "title": "T",
                "change": "title",
                "location": {"href": "https://example.com/a"},
            },
        },
        response={"success": True},
        check=lambda r: r is None,
    ),
    # --- room (visitor side) ---------------------------------------------------------------
    Case(
        "room.get",
        "room.get_room",
        (TOKEN,),
        "GET",
        API + "livechat/room",
        query=[("token", TOKEN)],
        response={"room": ROOM, "newRoom": True},
        check=lambda r: isinstance(r, RoomResult) and r.room.id == RID and r.new_room,
    ),
    Case(
        "room.get-rid-agent",
        "room.get_room",
        (TOKEN,),
        "GET",
        API + "livechat/room",
        kwargs={"rid": RID, "agent_id": "agent-1"},
        query=[("token", TOKEN), ("rid", RID), ("agentId", "agent-1")],
        response={"room": ROOM, "newRoom": False},
        check=lambda r: r.new_room is False and r.room.open,
    ),
    Case(
        "room.get-hostile-token",
        "room.get_room",
        ("a/../b?x=1#",),
        "GET",
        API + "livechat/room",
        query=[("token", "a/../b?x=1#")],
        response={"room": ROOM},
    ),
    Case(
        "room.close",
        "room.close_room",
        (RID, TOKEN),
        "POST",
        API + "livechat/room.close",
        body={"token": TOKEN, "rid": RID},
        raw_body=b'{"token":"tok-1","rid":"room-1"}',
        response={"rid": RID, "comment": "Closed by visitor"},
        check=lambda r: isinstance(r, ClosedRoom) and r.comment == "Closed by visitor",
    ),
    Case(
        "room.survey-mapping",
        "room.submit_survey",
        (RID, TOKEN, {"satisfaction": 5, "additionalFeedback": "great"}),
        "POST",
        API + "livechat/room.survey",
        body={
            "token": TOKEN,
            "rid": RID,
            "data": [
                {"name": "satisfaction", "value": "5"},
                {"name": "additionalFeedback", "value": "great"},
            ],
        },
        raw_body=(
            b'{"token":"tok-1","rid":"room-1","data":[{"name":"satisfaction","value":"5"},'
            b'{"name":"additionalFeedback","value":"great"}]}'
        ),
        response={"rid": RID, "data": {"satisfaction": "5", "additionalFeedback": "great"}},
        check=lambda r: isinstance(r, SurveyResult) and r.data["satisfaction"] == "5",
    ),
    Case(
        "room.survey-list",
        "room.submit_survey",
        (RID, TOKEN, [{"name": "agentKnowledge", "value": "4"}]),
        "POST",
        API + "livechat/room.survey",
        body={"token": TOKEN, "rid": RID, "data": [{"name": "agentKnowledge", "value": "4"}]},
        response={"rid": RID, "data": [{"name": "agentKnowledge", "value": "4"}]},
        check=lambda r: r.data == {"agentKnowledge": "4"},
    ),
    Case(
        "room.transcript",
        "room.request_transcript",
        (RID, TOKEN, "alice@example.com"),
        "POST",
        API + "livechat/transcript",
        body={"token": TOKEN, "rid": RID, "email": "alice@example.com"},
        raw_body=b'{"token":"tok-1","rid":"room-1","email":"alice@example.com"}',
        response={"message": "Omnichannel transcript sent"},
        check=lambda r: r == "Omnichannel transcript sent",
    ),
    # --- room (agent side) -----------------------------------------------------------------
    Case(
        "room.list-bare",
        "room.list_rooms",
        (),
        "GET",
        API + "livechat/rooms",
        user_auth=True,
        response=page("rooms", [ROOM], total=7),
        check=lambda r: isinstance(r, Page) and r.items[0].id == RID and r.total == 7,
    ),
    Case(
        "room.list-filters",
        "room.list_rooms",
        (),
        "GET",
        API + "livechat/rooms",
        kwargs={
            "agents": ["a1", "a2"],
            "department_id": "dep-1",
            "open": True,
            "created_at": {"start": datetime(2024, 1, 2, 3, 4, 5, 6000, tzinfo=UTC)},
            "closed_at": {"start": "2024-01-01T00:00:00.000Z", "end": "2024-02-01T00:00:00.000Z"},
            "tags": ["vip"],
            "custom_fields": {"plan": "gold"},
            "offset": 10,
            "count": 5,
            "sort": {"ts": -1},
        },
        query=[
            ("agents[]", "a1"),
            ("agents[]", "a2"),
            ("departmentId", "dep-1"),
            ("open", "true"),
            ("createdAt", '{"start": "2024-01-02T03:04:05.006Z"}'),
            (
                "closedAt",
                '{"start": "2024-01-01T00:00:00.000Z", "end": "2024-02-01T00:00:00.000Z"}',
            ),
            ("tags[]", "vip"),
            ("customFields", '{"plan":"gold"}'),
            ("offset", "10"),
            ("count", "5"),
            ("sort", '{"ts":-1}'),
        ],
        user_auth=True,
        response=page("rooms", []),
        check=lambda r: r.items == [],
    ),
    Case(
        "room.list-closed",
        "room.list_rooms",
        (),
        "GET",
        API + "livechat/rooms",
        kwargs={"open": False},
        query=[("open", "false")],
        user_auth=True,
        response=page("rooms", []),
    ),
    Case(
        "room.close-by-user",
        "room.close_room_by_user",
        (RID,),
        "POST",
        API + "livechat/room.closeByUser",
        kwargs={"comment": "Solved", "tags": ["sales"]},
        body={"rid": RID, "comment": "Solved", "tags": ["sales"]},
        raw_body=b'{"rid":"room-1","comment":"Solved","tags":["sales"]}',
        user_auth=True,
        check=lambda r: r is None,
    ),
    Case(
        "room.close-by-user-bare",
        "room.close_room_by_user",
        (RID,),
        "POST",
        API + "livechat/room.closeByUser",
        body={"rid": RID},
        user_auth=True,
    ),
    # --- messages --------------------------------------------------------------------------
    Case(
        "messages.send",
        "messages.send_message",
        (TOKEN, RID, "Hello é"),
        "POST",
        API + "livechat/message",
        kwargs={"message_id": MID},
        body={"token": TOKEN, "rid": RID, "msg": "Hello é", "_id": MID},
        raw_body='{"token":"tok-1","rid":"room-1","msg":"Hello é","_id":"msg-1"}'.encode(),
        response={"message": MESSAGE},
        check=lambda r: isinstance(r, Message) and r.id == MID and r.ts is not None,
    ),
    Case(
        "messages.send-agent",
        "messages.send_message",
        (TOKEN, RID, "Hi"),
        "POST",
        API + "livechat/message",
        kwargs={"message_id": MID, "agent": {"agentId": "agent-1", "username": "agent"}},
        body={
            "token": TOKEN,
            "rid": RID,
            "msg": "Hi",
            "_id": MID,
            "agent": {"agentId": "agent-1", "username": "agent"},
        },
        response={"message": MESSAGE},
    ),
    Case(
        "messages.get",
        "messages.get_message",
        (MID, TOKEN, RID),
        "GET",
        API + f"livechat/message/{MID}",
        query=[("token", TOKEN), ("rid", RID)],
        response={"message": MESSAGE},
        check=lambda r: isinstance(r, Message) and r.msg == "Hello",
    ),
    Case(
        "messages.update",
        "messages.update_message",
        (MID, TOKEN, RID, "edited"),
        "PUT",
        API + f"livechat/message/{MID}",
        body={"token": TOKEN, "rid": RID, "msg": "edited"},
        raw_body=b'{"token":"tok-1","rid":"room-1","msg":"edited"}',
        response={"message": {**MESSAGE, "msg": "edited", "editedAt": "2024-10-15T03:00:00Z"}},
        check=lambda r: r.msg == "edited" and r.edited,
    ),
    Case(
        # DELETE takes its parameters from the JSON body, not the query (livechat/api/v1/message.ts)
        "messages.delete",
        "messages.delete_message",
        (MID, TOKEN, RID),
        "DELETE",
        API + f"livechat/message/{MID}",
        body={"token": TOKEN, "rid": RID},
        raw_body=b'{"token":"tok-1","rid":"room-1"}',
        response={"message": {"_id": MID, "ts": "2024-10-15T02:52:42.123Z"}},
        check=lambda r: isinstance(r, DeletedMessage) and r.id == MID,
    ),
    Case(
        "messages.history",
        "messages.get_message_history",
        (RID, TOKEN),
        "GET",
        API + f"livechat/messages.history/{RID}",
        query=[("token", TOKEN)],
        response={"messages": [MESSAGE]},
        check=lambda r: [m.id for m in r] == [MID],
    ),
    Case(
        "messages.history-params",
        "messages.get_message_history",
        (RID, TOKEN),
        "GET",
        API + f"livechat/messages.history/{RID}",
        kwargs={
            "ls": "2024-10-01T00:00:00.000Z",
            "end": datetime(2024, 10, 15, 2, 52, 42, 123456, tzinfo=UTC),
            "limit": 25,
            "offset": 0,
        },
        query=[
            ("token", TOKEN),
            ("ls", "2024-10-01T00:00:00.000Z"),
            ("end", "2024-10-15T02:52:42.123Z"),
            ("limit", "25"),
            ("offset", "0"),
        ],
        response={"messages": []},
        check=lambda r: r == [],
    ),
    Case(
        "messages.offline",
        "messages.send_offline_message",
        ("Bob", "bob@example.com", "Call me"),
        "POST",
        API + "livechat/offline.message",
        kwargs={"department": "dep-1", "host": "https://example.com"},
        body={
            "name": "Bob",
            "email": "bob@example.com",
            "message": "Call me",
            "department": "dep-1",
            "host": "https://example.com",
        },
        response={"message": "Livechat offline message sent"},
        check=lambda r: r == "Livechat offline message sent",
    ),
    Case(
        "messages.offline-bare",
        "messages.send_offline_message",
        ("Bob", "bob@example.com", "Call me"),
        "POST",
        API + "livechat/offline.message",
        body={"name": "Bob", "email": "bob@example.com", "message": "Call me"},
        raw_body=b'{"name":"Bob","email":"bob@example.com","message":"Call me"}',
        response={"message": "Livechat offline message sent"},
    ),
    Case(
        "messages.agent-reply",
        "messages.send_agent_message",
        (RID, "Hi there"),
        "POST",
        API + "chat.sendMessage",
        kwargs={"message_id": "msg-2"},
        body={"message": {"rid": RID, "msg": "Hi there", "_id": "msg-2"}},
        raw_body=b'{"message":{"rid":"room-1","msg":"Hi there","_id":"msg-2"}}',
        user_auth=True,
        response={"message": {**MESSAGE, "_id": "msg-2", "u": {"_id": USER_ID}}},
        check=lambda r: r.id == "msg-2" and r.u.id == USER_ID,
    ),
    # --- inquiries -------------------------------------------------------------------------
    Case(
        "inquiries.list-bare",
        "inquiries.list_inquiries",
        (),
        "GET",
        API + "livechat/inquiries.list",
        user_auth=True,
        response=page("inquiries", [INQUIRY]),
        check=lambda r: isinstance(r.items[0], Inquiry) and r.items[0].status == "queued",
    ),
    Case(
        "inquiries.list-params",
        "inquiries.list_inquiries",
        (),
        "GET",
        API + "livechat/inquiries.list",
        kwargs={"department": "dep-1", "offset": 0, "count": 10, "sort": {"ts": 1}},
        query=[("department", "dep-1"), ("offset", "0"), ("count", "10"), ("sort", '{"ts":1}')],
        user_auth=True,
        response=page("inquiries", []),
    ),
    Case(
        "inquiries.take",
        "inquiries.take_inquiry",
        ("inq-1",),
        "POST",
        API + "livechat/inquiries.take",
        body={"inquiryId": "inq-1"},
        raw_body=b'{"inquiryId":"inq-1"}',
        user_auth=True,
        check=lambda r: r is None,
    ),
    Case(
        "inquiries.take-for-user",
        "inquiries.take_inquiry",
        ("inq-1",),
        "POST",
        API + "livechat/inquiries.take",
        kwargs={"user_id": "u2"},
        body={"inquiryId": "inq-1", "userId": "u2"},
        user_auth=True,
    ),
    Case(
        "inquiries.get",
        "inquiries.get_inquiry",
        (RID,),
        "GET",
        API + "livechat/inquiries.getOne",
        query=[("roomId", RID)],
        user_auth=True,
        response={"inquiry": INQUIRY},
        check=lambda r: isinstance(r, Inquiry) and r.rid == RID,
    ),
    Case(
        "inquiries.get-none",
        "inquiries.get_inquiry",
        (RID,),
        "GET",
        API + "livechat/inquiries.getOne",
        query=[("roomId", RID)],
        user_auth=True,
        response={"inquiry": None},
        check=lambda r: r is None,
    ),
    # --- users -----------------------------------------------------------------------------
    Case(
        "users.list-agents",
        "users.list_users",
        ("agent",),
        "GET",
        API + "livechat/users/agent",
        user_auth=True,
        response=page("users", [USER]),
        check=lambda r: isinstance(r.items[0], LivechatUser) and r.items[0].username == "bob",
    ),
    Case(
        "users.list-managers-paged",
        "users.list_users",
        ("manager",),
        "GET",
        API + "livechat/users/manager",
        kwargs={"offset": 50, "count": 25},
        query=[("offset", "50"), ("count", "25")],
        user_auth=True,
        response=page("users", []),
    ),
    Case(
        "users.create",
        "users.create_user",
        ("manager", "bob"),
        "POST",
        API + "livechat/users/manager",
        body={"username": "bob"},
        raw_body=b'{"username":"bob"}',
        user_auth=True,
        response={"user": {"_id": "u1", "username": "bob"}},
        check=lambda r: isinstance(r, UserRef) and r.id == "u1",
    ),
    Case(
        "users.get",
        "users.get_user",
        ("agent", "u1"),
        "GET",
        API + "livechat/users/agent/u1",
        user_auth=True,
        response={"user": USER},
        check=lambda r: isinstance(r, LivechatUser) and r.status_livechat == "available",
    ),
    Case(
        "users.get-without-role",
        "users.get_user",
        ("agent", "u1"),
        "GET",
        API + "livechat/users/agent/u1",
        user_auth=True,
        response={"user": None},
        check=lambda r: r is None,
    ),
    Case(
        "users.delete",
        "users.delete_user",
        ("agent", "u1"),
        "DELETE",
        API + "livechat/users/agent/u1",
        user_auth=True,
        check=lambda r: r is None,
    ),
    Case(
        "users.agent-status",
        "users.set_agent_status",
        ("available",),
        "POST",
        API + "livechat/agent.status",
        body={"status": "available"},
        raw_body=b'{"status":"available"}',
        user_auth=True,
        response={"status": "available"},
        check=lambda r: isinstance(r, AgentStatus) and r.status == "available",
    ),
    Case(
        "users.agent-status-other",
        "users.set_agent_status",
        ("not-available",),
        "POST",
        API + "livechat/agent.status",
        kwargs={"agent_id": "u2"},
        body={"status": "not-available", "agentId": "u2"},
        user_auth=True,
        response={"status": "not-available"},
    ),
    # --- departments -----------------------------------------------------------------------
    Case(
        "departments.list-bare",
        "departments.list_departments",
        (),
        "GET",
        API + "livechat/department",
        user_auth=True,
        response=page("departments", [DEPARTMENT]),
        check=lambda r: r.items[0].name == "Sales",
    ),
    Case(
        "departments.list-params",
        "departments.list_departments",
        (),
        "GET",
        API + "livechat/department",
        kwargs={
            "text": "sa",
            "enabled": True,
            "only_my_departments": False,
            "offset": 0,
            "count": 20,
        },
        query=[
            ("text", "sa"),
            ("enabled", "true"),
            ("onlyMyDepartments", "false"),
            ("offset", "0"),
            ("count", "20"),
        ],
        user_auth=True,
        response=page("departments", []),
    ),
    Case(
        "departments.get",
        "departments.get_department",
        ("dep-1",),
        "GET",
        API + "livechat/department/dep-1",
        user_auth=True,
        response={"department": DEPARTMENT, "agents": [{"_id": "da1", "agentId": "u1"}]},
        check=lambda r: isinstance(r, DepartmentDetails) and r.department is not None,
    ),
]


def assert_request(request: httpx2.Request, case: Case) -> None:
    assert request.method == case.method
    assert raw_path(request) == case.path
    assert query(request) == case.query
    if case.body is None:
        assert request.content == b""
        assert "content-type" not in request.headers
    else:
        assert request.headers["content-type"] == "application/json"
        assert body_json(request) == case.body
    if case.raw_body is not None:
        assert request.content == case.raw_body
    if case.user_auth:
        assert request.headers["x-user-id"] == USER_ID
        assert request.headers["x-auth-token"] == AUTH_TOKEN
    else:
        assert "x-user-id" not in request.headers
        assert "x-auth-token" not in request.headers
    assert request.headers["user-agent"].startswith("rocketchat-livechat-python/")


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_exact_request(driver: Driver, case: Case) -> None:
    recorder = Recorder(always(case.response))
    result = driver.call(recorder, case.call, *case.args, **case.kwargs)
    assert len(recorder.requests) == 1
    assert_request(recorder.last, case)
    assert case.check(result), result


# --- calls with more than one request, or with client state ----------------------------------


def test_send_message_always_carries_a_fresh_meteor_id(driver: Driver) -> None:
    recorder = Recorder(
        lambda request: json_response({"message": {**MESSAGE, **body_json(request)}})
    )
    first = driver.call(recorder, "messages.send_message", TOKEN, RID, "one")
    second = driver.call(recorder, "messages.send_message", TOKEN, RID, "two")
    ids = [body_json(r)["_id"] for r in recorder.requests]
    alphabet = set("23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz")
    assert all(len(i) == 17 and set(i) <= alphabet for i in ids)
    assert ids[0] != ids[1]
    assert [first.id, second.id] == ids
    assert [list(body_json(r)) for r in recorder.requests] == [["token", "rid", "msg", "_id"]] * 2


def test_send_agent_message_generates_an_id(driver: Driver) -> None:
    recorder = Recorder(always({"message": MESSAGE}))
    driver.call(recorder, "messages.send_agent_message", RID, "hi")
    assert len(body_json(recorder.last)["message"]["_id"]) == 17


@pytest.mark.parametrize(
    ("version", "route", "response", "expected"),
    [
        ("6.14.0", "livechat/room.transfer", {"room": ROOM}, RID),
        ("7.10.2", "livechat/room.transfer", {"room": ROOM}, RID),
        ("8.0.0", "livechat/visitor/department.transfer", {"success": True}, None),
        ("8.8.1", "livechat/visitor/department.transfer", {"success": True}, None),
    ],
)
def test_transfer_room_picks_the_route_by_server_version(
    driver: Driver, version: str, route: str, response: dict[str, Any], expected: str | None
) -> None:
    def respond(request: httpx2.Request) -> httpx2.Response:
        if raw_path(request) == "/api/info":
            return json_response({"version": version, "success": True})
        return json_response(response)

    recorder = Recorder(respond)
    results = driver.calls(
        recorder,
        [
            ("room.transfer_room", (RID, TOKEN, "dep-2"), {}),
            ("room.transfer_room", (RID, TOKEN, "dep-3"), {}),
        ],
    )
    # the version is fetched once per client, without credentials
    assert recorder.paths() == ["/api/info", API + route, API + route]
    assert "x-auth-token" not in recorder.requests[0].headers
    transfer = recorder.requests[1]
    assert transfer.method == "POST"
    assert "x-auth-token" not in transfer.headers
    assert transfer.content == b'{"token":"tok-1","rid":"room-1","department":"dep-2"}'
    assert [None if r is None else r.id for r in results] == [expected, expected]
    assert all(r is None or isinstance(r, Room) for r in results)


FILE_MESSAGE = {**MESSAGE, "file": {"_id": "file-1", "name": "a.txt", "type": "text/plain"}}


@pytest.mark.parametrize("version", ["7.0.0", "7.10.2", "8.8.1"])
def test_upload_agent_file_stores_then_confirms_from_7(driver: Driver, version: str) -> None:
    def respond(request: httpx2.Request) -> httpx2.Response:
        path = raw_path(request)
        if path == "/api/info":
            return json_response({"version": version, "success": True})
        if path.startswith(API + "rooms.media/"):
            return json_response({"file": {"_id": "file-1", "url": "/file-upload/file-1/a.txt"}})
        return json_response({"message": FILE_MESSAGE})

    recorder = Recorder(respond)
    progress: list[tuple[int, int | None]] = []
    message = driver.call(
        recorder,
        "messages.upload_agent_file",
        RID,
        b"hello",
        msg="see",
        description="notes",
        filename="a.txt",
        progress=lambda done, total: progress.append((done, total)),
    )
    assert recorder.paths() == [
        "/api/info",
        API + "rooms.media/room-1",
        API + "rooms.mediaConfirm/room-1/file-1",
    ]
    media, confirm = recorder.requests[1:]
    assert media.headers["x-auth-token"] == AUTH_TOKEN
    parts = multipart_parts(media)
    assert set(parts) == {"file"}  # the text goes with the confirmation
    assert (parts["file"].filename, parts["file"].data) == ("a.txt", b"hello")
    assert body_json(confirm) == {"msg": "see", "description": "notes"}
    assert confirm.headers["x-auth-token"] == AUTH_TOKEN
    assert progress[-1] == (5, 5)
    assert isinstance(message, Message) and message.file is not None


@pytest.mark.parametrize("version", ["6.14.0", "6.5.1"])
def test_upload_agent_file_uses_rooms_upload_before_7(driver: Driver, version: str) -> None:
    def respond(request: httpx2.Request) -> httpx2.Response:
        if raw_path(request) == "/api/info":
            return json_response({"version": version, "success": True})
        return json_response({"message": FILE_MESSAGE})

    recorder = Recorder(respond)
    message = driver.call(
        recorder, "messages.upload_agent_file", RID, b"hello", msg="see", filename="a.txt"
    )
    assert recorder.paths() == ["/api/info", API + "rooms.upload/room-1"]
    parts = multipart_parts(recorder.last)
    assert parts["msg"].data == b"see" and "description" not in parts
    assert parts["file"].data == b"hello"
    assert message.file is not None and message.file.id == "file-1"


def test_upload_agent_file_checks_every_argument_before_any_request(driver: Driver) -> None:
    recorder = Recorder()
    with pytest.raises(InvalidArgumentError) as caught:  # the confirmation's argument
        driver.call(recorder, "messages.upload_agent_file", RID, b"x", description="")
    assert caught.value.argument == "description" and recorder.requests == []


def test_server_version_is_fetched_once(driver: Driver) -> None:
    recorder = Recorder(always({"version": "7.4.1-rc.0", "success": True}))
    results = driver.calls(recorder, [("server_version", (), {})] * 3)
    assert results == [(7, 4, 1)] * 3
    assert len(recorder.requests) == 1
    assert recorder.last.method == "GET"
    assert recorder.last.url.raw_path == b"/api/info"


def test_base_url_path_prefix_is_kept(driver: Driver) -> None:
    recorder = Recorder(always({"visitor": VISITOR}))
    driver.call(
        recorder, "visitor.get_visitor", TOKEN, client_kwargs={"base_url": "https://x.io/chat/"}
    )
    assert str(recorder.last.url) == "https://x.io/chat/api/v1/livechat/visitor/tok-1"


LOGIN_OK = {
    "status": "success",
    "data": {"userId": "new-user", "authToken": "New-Auth-Token-abc", "me": {"username": "bob"}},
}


def test_login_then_user_calls_use_the_new_session_and_logout_ends_it(driver: Driver) -> None:
    def respond(request: httpx2.Request) -> httpx2.Response:
        path = raw_path(request)
        if path == API + "login":
            return json_response(LOGIN_OK)
        if path == API + "logout":
            return json_response({"status": "success", "data": {"message": "logged out"}})
        return json_response(page("users", []))

    recorder = Recorder(respond)
    steps: list[tuple[str, tuple[Any, ...], Mapping[str, Any]]] = [
        ("login", ("bob", "s3cret pässword"), {}),
        ("users.list_users", ("agent",), {}),
        ("logout", (), {}),
        ("logout", (), {}),  # no session left: nothing is sent
    ]
    results = driver.calls(recorder, steps, client_kwargs={"user_id": None})
    login, users, logout = recorder.requests
    assert login.method == "POST"
    assert raw_path(login) == API + "login"
    assert login.content == '{"user":"bob","password":"s3cret pässword"}'.encode()
    assert "x-auth-token" not in login.headers
    assert isinstance(results[0], LoginResult)
    assert (results[0].user_id, results[0].auth_token) == ("new-user", "New-Auth-Token-abc")
    assert users.headers["x-user-id"] == "new-user"
    assert users.headers["x-auth-token"] == "New-Auth-Token-abc"
    assert logout.method == "POST"
    assert raw_path(logout) == API + "logout"
    assert logout.content == b""
    assert logout.headers["x-auth-token"] == "New-Auth-Token-abc"
    assert results[2:] == [None, None]


def test_user_call_without_session_fails_before_any_io(driver: Driver) -> None:
    recorder = Recorder()
    with pytest.raises(AuthenticationError) as caught:
        driver.call(recorder, "users.list_users", "agent", client_kwargs={"user_id": None})
    assert caught.value.error_type == "SDK"
    assert caught.value.code == 0
    assert recorder.requests == []


# --- auto-paging iterators -------------------------------------------------------------------


def offset_pages(key: str, items: list[dict[str, Any]]) -> Callable[[httpx2.Request], Any]:
    """A list endpoint honouring ``offset``/``count`` and reporting ``total``."""

    def respond(request: httpx2.Request) -> httpx2.Response:
        params = request.url.params
        offset, count = int(params.get("offset", 0)), int(params.get("count", 50))
        chunk = items[offset : offset + count]
        return json_response(
            {key: chunk, "count": len(chunk), "offset": offset, "total": len(items)}
        )

    return respond


OFFSET_ITERATORS: list[tuple[str, tuple[Any, ...], dict[str, Any], str, str, list[Any]]] = [
    ("room.iter_rooms", (), {"open": True}, "rooms", "livechat/rooms", [("open", "true")]),
    (
        "inquiries.iter_inquiries",
        (),
        {"department": "dep-1"},
        "inquiries",
        "livechat/inquiries.list",
        [("department", "dep-1")],
    ),
    ("users.iter_users", ("agent",), {}, "users", "livechat/users/agent", []),
    (
        "room.iter_transfer_history",
        (RID,),
        {},
        "history",
        f"livechat/transfer.history/{RID}",
        [],
    ),
]


def _item_id(item: Any) -> str:
    """A listed item's id (a transfer history entry has none: its ``transferredBy``'s)."""
    if hasattr(item, "transferred_by"):
        return str(item.transferred_by.id)
    return str(item.id)


@pytest.mark.parametrize(("call", "args", "kwargs", "key", "path", "fixed_query"), OFFSET_ITERATORS)
@pytest.mark.parametrize("total", [0, 1, 4, 5])
def test_offset_iterators_walk_every_page(
    driver: Driver,
    call: str,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    key: str,
    path: str,
    fixed_query: list[tuple[str, str]],
    total: int,
) -> None:
    items = [
        {"_id": f"id-{i}", "rid": f"r-{i}", "transferredBy": {"_id": f"id-{i}"}}
        for i in range(total)
    ]
    recorder = Recorder(offset_pages(key, items))
    result = driver.call(recorder, call, *args, page_size=2, **kwargs)
    assert [_item_id(item) for item in result] == [item["_id"] for item in items]
    offsets = [0, 2, 4][: max(1, (total + 1) // 2)]
    assert [query(r) for r in recorder.requests] == [
        [*fixed_query, ("offset", str(o)), ("count", "2")] for o in offsets
    ]
    assert recorder.paths() == [API + path] * len(offsets)
    assert all(r.headers["x-auth-token"] == AUTH_TOKEN for r in recorder.requests)


PAGER_CALLS: list[tuple[str, tuple[Any, ...], Callable[[httpx2.Request], Any]]] = [
    ("room.iter_rooms", (), offset_pages("rooms", [ROOM])),
    ("inquiries.iter_inquiries", (), offset_pages("inquiries", [INQUIRY])),
    ("users.iter_users", ("agent",), offset_pages("users", [USER])),
    ("messages.iter_message_history", (RID, TOKEN), always({"messages": [MESSAGE]})),
]


@pytest.mark.parametrize(
    ("call", "args", "responder"),
    [pytest.param(*row, id=row[0]) for row in PAGER_CALLS],
)
def test_pagers_take_a_per_call_timeout(
    driver: Driver, call: str, args: tuple[Any, ...], responder: Callable[[httpx2.Request], Any]
) -> None:
    recorder = Recorder(responder)
    driver.call(recorder, call, *args, timeout=4.5)
    assert recorder.requests
    assert all(r.extensions["timeout"] == httpx2.Timeout(4.5).as_dict() for r in recorder.requests)


def test_offset_iterator_stops_on_an_empty_page_despite_a_wrong_total(driver: Driver) -> None:
    responses = iter([page("rooms", [ROOM], total=99), page("rooms", [], total=99)])
    recorder = Recorder(lambda request: json_response(next(responses)))
    result = driver.call(recorder, "room.iter_rooms", page_size=1)
    assert [room.id for room in result] == [RID]
    assert len(recorder.requests) == 2


def history_server(messages: list[dict[str, Any]]) -> Callable[[httpx2.Request], Any]:
    """``messages.history``: newest first, ``end`` exclusive, ``offset``, ``limit``; no total."""

    def respond(request: httpx2.Request) -> httpx2.Response:
        params = request.url.params
        end = params.get("end")
        newest_first = sorted(messages, key=lambda m: m["ts"], reverse=True)
        kept = [m for m in newest_first if end is None or m["ts"] < end]
        offset = int(params.get("offset", 0))
        return json_response({"messages": kept[offset : offset + int(params.get("limit", 20))]})

    return respond


@pytest.mark.parametrize(
    ("milliseconds", "page_size"),
    [
        ([1, 2, 3, 3, 4], 2),  # two messages share a millisecond across a page boundary
        ([5, 5, 5, 5, 5], 2),  # every page is made of one timestamp
        ([1, 2, 3, 4, 5, 6, 7], 3),
        ([1, 1, 2, 2, 3, 3, 3, 4], 3),
        ([9], 1),
    ],
)
def test_iter_message_history_pages_backwards_by_end(
    driver: Driver, milliseconds: list[int], page_size: int
) -> None:
    messages = [
        {"_id": f"m{i}", "rid": RID, "ts": f"2024-10-15T10:00:00.{ms:03d}Z"}
        for i, ms in enumerate(milliseconds)
    ]
    recorder = Recorder(history_server(messages))
    result = driver.call(recorder, "messages.iter_message_history", RID, TOKEN, page_size=page_size)
    assert sorted(m.id for m in result) == sorted(m["_id"] for m in messages)  # each once
    assert [m.ts for m in result] == sorted((m.ts for m in result), reverse=True)
    first, *rest = recorder.requests
    assert query(first) == [("token", TOKEN), ("limit", str(page_size))]
    assert all(raw_path(r) == API + f"livechat/messages.history/{RID}" for r in recorder.requests)
    ends = [r.url.params["end"] for r in rest]
    assert ends == sorted(ends, reverse=True)  # walking backwards, never forwards
    assert len(recorder.requests) <= len(messages) // page_size + 2


def test_iter_message_history_of_an_empty_room(driver: Driver) -> None:
    recorder = Recorder(always({"messages": []}))
    assert driver.call(recorder, "messages.iter_message_history", RID, TOKEN) == []
    assert len(recorder.requests) == 1


# --- what this file must cover, and the two clients' methods --------------------------------


def test_rows_name_real_methods_and_every_pager_is_tested_here() -> None:
    """The declared endpoints are covered by ``test_declarations.py`` (every sample, both clients,
    derived); the rows here pin exact bytes and name only real methods. The hand-written pagers
    have no declaration: they are tested here, by the iterator tests above."""
    methods = public_methods()
    assert {case.call for case in CASES} <= methods
    pagers = {call for call, *_ in OFFSET_ITERATORS} | {"messages.iter_message_history"}
    downloads = {"messages.download_file", "messages.download_agent_file"}  # test_downloads.py
    composites = {"messages.upload_agent_file"}  # chains declared endpoints (test_agent_upload)
    assert methods - {method_of(e) for e in declared()} == pagers | downloads | composites


def unasync(signature: inspect.Signature) -> str:
    """A signature's text with its async-ness taken out (``AsyncIterator[Room]`` → ``Iterator``)."""
    text = str(signature)
    text = re.sub(r"\bAwaitable\[(.*)\]", r"\1", text)
    return re.sub(r"\bAsync([A-Z]\w*)", r"\1", text)


def signature_of(resource: Any, name: str) -> str:
    """The method's public signature: its declaration's, or the hand-written method's own."""
    declarations = bound_declarations(resource)
    if name in declarations:
        return str(inspect.signature(declarations[name].parts))
    return unasync(inspect.signature(getattr(resource, name)))


def test_sync_and_async_clients_have_the_same_methods() -> None:
    sync_client, async_client = LivechatClient(BASE_URL), AsyncLivechatClient(BASE_URL)
    sync_resources, async_resources = resources(sync_client), resources(async_client)
    assert sorted(sync_resources) == sorted(async_resources)
    assert len(async_resources) >= 8
    for resource_name, async_resource in async_resources.items():
        sync_resource = sync_resources[resource_name]
        names = resource_method_names(async_resource)
        assert names, resource_name
        assert resource_method_names(sync_resource) == names, resource_name
        sync_declarations = bound_declarations(sync_resource)
        for name, endpoint in bound_declarations(async_resource).items():
            assert sync_declarations[name] is endpoint, f"{resource_name}.{name}"
        for name in sorted(names):
            assert signature_of(sync_resource, name) == signature_of(async_resource, name), (
                f"{resource_name}.{name}"
            )
    # the clients' own methods (login, with_options, close, ...)
    sync_names = {n for n in dir(LivechatClient) if not n.startswith("_")}
    async_names = {n for n in dir(AsyncLivechatClient) if not n.startswith("_")}
    assert sync_names == async_names
    for name in sorted(sync_names):
        sync_member, async_member = getattr(sync_client, name), getattr(async_client, name)
        if callable(async_member):
            assert unasync(inspect.signature(sync_member)) == unasync(
                inspect.signature(async_member)
            ), name
    assert client_methods() <= sync_names


def test_bound_methods_show_their_declared_signature() -> None:
    for client in (LivechatClient(BASE_URL), AsyncLivechatClient(BASE_URL)):
        for resource_name, resource in resources(client).items():
            for name, endpoint in bound_declarations(resource).items():
                shown = inspect.signature(getattr(resource, name))
                assert shown.parameters == inspect.signature(endpoint.parts).parameters, (
                    f"{resource_name}.{name}: {shown}"
                )
