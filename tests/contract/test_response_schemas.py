"""Contract: the server's answers validate against Rocket.Chat's official REST reference.

``openapi_responses.json`` holds the documented success-response schemas of
``omnichannel.yaml`` (``RocketChat/Rocket.Chat-Open-API``, documents up to 8.7; extracted by
``scripts/extract_response_schemas.py``, its commit is recorded in the file) for every operation
the embedded server also has. Each gets one valid request against a fresh server; the answer
must have the documented status and validate against the schema (OpenAPI 3.0: ``nullable``
allows ``null``). An operation the reference documents under a wrong path is kept under its
real route (``PATH_MISTAKES`` of the script, noted as ``documented_as``). Where the reference is
wrong about an answer, ``REFERENCE_MISTAKES`` lists the places it may
differ, each with the Rocket.Chat source file that shows the truth; the server follows the
source.
"""

from __future__ import annotations

import json
import secrets
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx2
import jsonschema
import pytest

from _support.webhook_receiver import WebhookReceiver
from rocketchat_livechat.server import EmbeddedServer
from rocketchat_livechat.server.routes import ROUTE_GROUPS
from rocketchat_livechat.testing.plugin import Agent, LivechatTestServer

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
from coverage_table import OPERATIONS as ALL_OPERATIONS
from coverage_table import _shape
from extract_response_schemas import PATH_MISTAKES

pytestmark = pytest.mark.interop

REFERENCE = json.loads((Path(__file__).parent / "openapi_responses.json").read_text())
OPERATIONS: dict[str, dict[str, Any]] = REFERENCE["operations"]

_SETTING_VALUE = (
    "a setting's value and packageValue have the setting's own type (ISetting in "
    "packages/core-typings/src/ISetting.ts: SettingValue); the reference types them all as one"
)
_LONGEST = (
    "$max over rooms without the metric is null: findAllResponseTimeMetricsAsync "
    "(apps/meteor/app/livechat/server/lib/analytics/dashboards.ts) passes the aggregation's "
    "longest through (LivechatRooms.calculate*TimingsBetweenDates, packages/models)"
)
#: (operation, location in the answer; ``*`` = any array index) → why the reference is wrong
#: there, with the Rocket.Chat source that shows the truth
REFERENCE_MISTAKES: dict[tuple[str, str], str] = {
    **{
        ("GET /api/v1/livechat/appearance", f"appearance/*/{key}"): _SETTING_VALUE
        for key in ("value", "packageValue")
    },
    **{
        ("GET /api/v1/livechat/integrations.settings", f"settings/*/{key}"): _SETTING_VALUE
        for key in ("value", "packageValue")
    },
    ("GET /api/v1/livechat/config", "config/theme/actionLinks"): (
        "an object {webrtc: [...], jitsi: [...]}, not an array: settings() in "
        "apps/meteor/app/livechat/server/api/lib/livechat.ts"
    ),
    ("GET /api/v1/livechat/users/{type}", "users/*/livechat"): (
        "the agent's livechat object ({maxNumberSimultaneousChat}), not a string: IUser.livechat "
        "in packages/core-typings/src/IUser.ts; the reference's own GET users/{type}/{_id} has it "
        "as an object"
    ),
    ("GET /api/v1/livechat/users/{type}/{_id}", "user/emails/*/verified"): (
        "a boolean (IUserEmail.verified in packages/core-typings/src/IUser.ts); the reference's "
        "own GET users/{type} has it as a boolean"
    ),
    **{
        ("GET /api/v1/livechat/analytics/dashboards/charts/timings", f"{m}/longest"): _LONGEST
        for m in ("reaction", "response")
    },
}


@dataclass
class Req:
    method: str
    path: str
    params: dict[str, Any] | None = None
    json: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    files: dict[str, Any] | None = None


@dataclass
class World:
    """What the requests refer to: an agent in a department, a visitor with an open room."""

    server: LivechatTestServer
    admin: dict[str, str]
    agent: Agent
    department: dict[str, Any]
    token: str
    visitor: dict[str, Any]
    rid: str
    message_id: str
    contact_id: str
    receiver: WebhookReceiver

    def new_room(self, *, close: bool = False) -> tuple[str, str]:
        """A fresh visitor token and its room (served by the agent; closed on request)."""
        token = f"tok-{secrets.token_hex(6)}"
        post = self.server.http.post
        post("/api/v1/livechat/visitor", json={"visitor": {"token": token, "name": "V"}})
        rid: str = self.server.http.get("/api/v1/livechat/room", params={"token": token}).json()[
            "room"
        ]["_id"]
        if close:
            post("/api/v1/livechat/room.close", json={"token": token, "rid": rid})
        return token, rid

    def new_department(self) -> str:
        return str(self.server.create_department(f"dep-{secrets.token_hex(3)}")["_id"])


def _day(offset: int = 0) -> str:
    return (datetime.now(UTC) + timedelta(days=offset)).strftime("%Y-%m-%d")


def _range() -> dict[str, str]:
    now = datetime.now(UTC)
    return {
        "start": (now - timedelta(days=1)).isoformat(),
        "end": (now + timedelta(days=1)).isoformat(),
    }


def _survey(w: World) -> Req:
    token, rid = w.new_room()
    data = [{"name": "satisfaction", "value": "5"}]
    return Req("POST", "livechat/room.survey", json={"token": token, "rid": rid, "data": data})


def _trigger_body() -> dict[str, Any]:
    return {
        "name": f"t-{secrets.token_hex(3)}",
        "description": "d",
        "enabled": True,
        "runOnce": False,
        "conditions": [{"name": "page-url", "value": "x"}],
        "actions": [
            {"name": "send-message", "params": {"sender": "queue", "msg": "hi", "name": ""}}
        ],
    }


def _trigger_id(w: World) -> str:
    post = w.server.http.post
    post("/api/v1/livechat/triggers", json=_trigger_body(), headers=w.admin)
    found = w.server.http.get("/api/v1/livechat/triggers", headers=w.admin).json()["triggers"]
    return str(found[0]["_id"])


def _custom_field(w: World) -> str:
    name = f"cf{secrets.token_hex(3)}"
    w.server.define_custom_field(name)
    return name


def _inquiry(w: World) -> str:
    w.server.set_routing("Manual_Selection")
    _, rid = w.new_room()
    w.server.set_routing("Auto_Selection")
    got = w.server.http.get(
        "/api/v1/livechat/inquiries.getOne", params={"roomId": rid}, headers=w.admin
    )
    return str(got.json()["inquiry"]["_id"])


def _agent_id(w: World) -> str:
    return w.server.create_agent(available=False).user_id


def _department_data(name: str) -> dict[str, Any]:
    return {
        "enabled": True,
        "name": name,
        "email": f"{secrets.token_hex(3)}@example.com",
        "showOnRegistration": True,
        "showOnOfflineForm": True,
    }


def _transfer(w: World) -> Req:
    token, rid = w.new_room()
    other = w.server.create_department(f"dep-{secrets.token_hex(3)}", [w.server.create_agent()])
    body = {"token": token, "rid": rid, "department": other["_id"]}
    return Req("POST", "livechat/visitor/department.transfer", json=body)


def _transcript_requested(w: World) -> Req:
    _, rid = w.new_room()
    body = {"email": "v@example.com", "subject": "Transcript"}
    w.server.http.post(f"/api/v1/livechat/transcript/{rid}", json=body, headers=w.admin)
    return Req("DELETE", f"livechat/transcript/{rid}", headers=w.admin)


def _conflicting(w: World) -> Req:
    """A contact whose e-mail a visitor with another name then chats from."""
    email = f"{secrets.token_hex(4)}@example.com"
    http = w.server.http
    contact = http.post(
        "/api/v1/omnichannel/contacts",
        json={"name": "Kept", "emails": [email], "phones": []},
        headers=w.admin,
    ).json()["contactId"]
    token = f"tok-{secrets.token_hex(6)}"
    visitor = {"token": token, "name": "Incoming", "email": email}
    http.post("/api/v1/livechat/visitor", json={"visitor": visitor})
    http.get("/api/v1/livechat/room", params={"token": token})
    body = {"contactId": contact, "name": "Incoming"}
    return Req("POST", "omnichannel/contacts.conflicts", json=body, headers=w.admin)


def _webhook_test(w: World) -> Req:
    w.server.set_setting("Livechat_webhookUrl", w.receiver.url)
    return Req("POST", "livechat/webhook.test", headers=w.admin)


def _returnable(w: World) -> Req:
    _, rid = w.new_room()
    return Req("POST", "livechat/inquiries.returnAsInquiry", json={"roomId": rid}, headers=w.admin)


#: one valid request per operation ("METHOD path" as the reference spells it)
REQUESTS: dict[str, Callable[[World], Req]] = {
    # visitor side
    "GET /api/v1/livechat/config": lambda w: Req("GET", "livechat/config", {"token": w.token}),
    "POST /api/v1/livechat/visitor": lambda w: Req(
        "POST", "livechat/visitor", json={"visitor": {"token": f"t-{secrets.token_hex(5)}"}}
    ),
    "GET /api/v1/livechat/visitor/{token}": lambda w: Req("GET", f"livechat/visitor/{w.token}"),
    "DELETE /api/v1/livechat/visitor/{token}": lambda w: Req(
        "DELETE", f"livechat/visitor/{w.new_room(close=True)[0]}"
    ),
    "POST /api/v1/livechat/custom.field": lambda w: Req(
        "POST",
        "livechat/custom.field",
        json={"token": w.token, "key": _custom_field(w), "value": "v", "overwrite": True},
    ),
    "POST /api/v1/livechat/custom.fields": lambda w: Req(
        "POST",
        "livechat/custom.fields",
        json={
            "token": w.token,
            "customFields": [{"key": _custom_field(w), "value": "v", "overwrite": True}],
        },
    ),
    "POST /api/v1/livechat/page.visited": lambda w: Req(
        "POST",
        "livechat/page.visited",
        json={
            "token": w.token,
            "rid": w.rid,
            "pageInfo": {"change": "url", "title": "T", "location": {"href": "https://x.test/"}},
        },
    ),
    "POST /api/v1/livechat/visitor.status": lambda w: Req(
        "POST", "livechat/visitor.status", json={"token": w.token, "status": "away"}
    ),
    "GET /api/v1/livechat/room": lambda w: Req("GET", "livechat/room", {"token": w.token}),
    "POST /api/v1/livechat/room.close": lambda w: Req(
        "POST", "livechat/room.close", json=dict(zip(("token", "rid"), w.new_room(), strict=True))
    ),
    "POST /api/v1/livechat/room.survey": _survey,
    "POST /api/v1/livechat/visitor/department.transfer": _transfer,
    "POST /api/v1/livechat/transcript": lambda w: Req(
        "POST",
        "livechat/transcript",
        json={"token": w.token, "rid": w.rid, "email": "v@example.com"},
    ),
    "POST /api/v1/livechat/message": lambda w: Req(
        "POST", "livechat/message", json={"token": w.token, "rid": w.rid, "msg": "hi"}
    ),
    "GET /api/v1/livechat/message/{_id}": lambda w: Req(
        "GET", f"livechat/message/{w.message_id}", {"token": w.token, "rid": w.rid}
    ),
    "PUT /api/v1/livechat/message/{_id}": lambda w: Req(
        "PUT",
        f"livechat/message/{w.message_id}",
        json={"token": w.token, "rid": w.rid, "msg": "edited"},
    ),
    "DELETE /api/v1/livechat/message/{_id}": lambda w: Req(
        "DELETE",
        "livechat/message/"
        + w.server.http.post(
            "/api/v1/livechat/message", json={"token": w.token, "rid": w.rid, "msg": "gone"}
        ).json()["message"]["_id"],
        json={"token": w.token, "rid": w.rid},
    ),
    "GET /api/v1/livechat/messages.history/{rid}": lambda w: Req(
        "GET", f"livechat/messages.history/{w.rid}", {"token": w.token}
    ),
    "POST /api/v1/livechat/offline.message": lambda w: Req(
        "POST",
        "livechat/offline.message",
        json={"name": "V", "email": "v@example.com", "message": "later"},
    ),
    "POST /api/v1/livechat/upload/{rid}": lambda w: Req(
        "POST",
        f"livechat/upload/{w.rid}",
        headers={"x-visitor-token": w.token},
        files={"file": ("a.txt", b"hello", "text/plain")},
    ),
    "GET /api/v1/livechat/agent.info/{rid}/{token}": lambda w: Req(
        "GET", f"livechat/agent.info/{w.rid}/{w.token}"
    ),
    "GET /api/v1/livechat/agent.next/{token}": lambda w: Req(
        "GET", f"livechat/agent.next/{w.token}"
    ),
    # agent side
    "GET /api/v1/livechat/config/routing": lambda w: Req(
        "GET", "livechat/config/routing", headers=w.admin
    ),
    "GET /api/v1/livechat/visitor/{token}/room": lambda w: Req(
        "GET", f"livechat/visitor/{w.token}/room", headers=w.admin
    ),
    "GET /api/v1/livechat/visitors.info": lambda w: Req(
        "GET", "livechat/visitors.info", {"visitorId": w.visitor["_id"]}, headers=w.admin
    ),
    "GET /api/v1/livechat/visitors.pagesVisited/{roomId}": lambda w: Req(
        "GET", f"livechat/visitors.pagesVisited/{w.rid}", headers=w.admin
    ),
    "GET /api/v1/livechat/visitors.chatHistory/room/{roomId}/visitor/{visitorId}": lambda w: Req(
        "GET",
        f"livechat/visitors.chatHistory/room/{w.rid}/visitor/{w.visitor['_id']}",
        headers=w.admin,
    ),
    "GET /api/v1/livechat/visitors.searchChats/room/{roomId}/visitor/{visitorId}": lambda w: Req(
        "GET",
        f"livechat/visitors.searchChats/room/{w.rid}/visitor/{w.visitor['_id']}",
        headers=w.admin,
    ),
    "GET /api/v1/livechat/visitors.autocomplete": lambda w: Req(
        "GET",
        "livechat/visitors.autocomplete",
        {"selector": json.dumps({"term": "V"})},
        headers=w.admin,
    ),
    "GET /api/v1/livechat/visitors.search": lambda w: Req(
        "GET", "livechat/visitors.search", {"term": "V"}, headers=w.admin
    ),
    "POST /api/v1/livechat/room.closeByUser": lambda w: Req(
        "POST",
        "livechat/room.closeByUser",
        json={"rid": w.new_room()[1], "comment": "done"},
        headers=w.agent.headers,
    ),
    "POST /api/v1/livechat/room.forward": lambda w: Req(
        "POST",
        "livechat/room.forward",
        json={"roomId": w.new_room()[1], "userId": w.server.create_agent().user_id},
        headers=w.admin,
    ),
    "GET /api/v1/livechat/room.join": lambda w: Req(
        "GET", "livechat/room.join", {"roomId": w.new_room()[1]}, headers=w.admin
    ),
    "GET /api/v1/livechat/transfer.history/{rid}": lambda w: Req(
        "GET", f"livechat/transfer.history/{w.rid}", headers=w.admin
    ),
    "POST /api/v1/livechat/room.saveInfo": lambda w: Req(
        "POST",
        "livechat/room.saveInfo",
        json={"guestData": {"_id": w.visitor["_id"], "name": "V2"}, "roomData": {"_id": w.rid}},
        headers=w.agent.headers,
    ),
    "POST /api/v1/livechat/rooms.delete": lambda w: Req(
        "POST", "livechat/rooms.delete", json={"roomId": w.new_room(close=True)[1]}, headers=w.admin
    ),
    "POST /api/v1/livechat/rooms.removeAllClosedRooms": lambda w: Req(
        "POST", "livechat/rooms.removeAllClosedRooms", json={}, headers=w.admin
    ),
    "GET /api/v1/livechat/rooms/filters": lambda w: Req(
        "GET", "livechat/rooms/filters", headers=w.admin
    ),
    "POST /api/v1/livechat/transcript/{rid}": lambda w: Req(
        "POST",
        f"livechat/transcript/{w.new_room()[1]}",
        json={"email": "v@example.com", "subject": "Transcript"},
        headers=w.admin,
    ),
    "DELETE /api/v1/livechat/transcript/{rid}": _transcript_requested,
    "POST /api/v1/livechat/messages": lambda w: Req(
        "POST",
        "livechat/messages",
        json={"visitor": {"token": w.token}, "messages": [{"msg": "bulk"}]},
        headers=w.admin,
    ),
    "POST /api/v1/livechat/agent.status": lambda w: Req(
        "POST", "livechat/agent.status", json={"status": "available"}, headers=w.agent.headers
    ),
    "GET /api/v1/livechat/agents/{agentId}/departments": lambda w: Req(
        "GET", f"livechat/agents/{w.agent.user_id}/departments", headers=w.admin
    ),
    "POST /api/v1/livechat/agents.saveInfo": lambda w: Req(
        "POST",
        "livechat/agents.saveInfo",
        json={
            "agentId": w.agent.user_id,
            "agentData": {"maxNumberSimultaneousChat": 3},
            "agentDepartments": [w.department["_id"]],
        },
        headers=w.admin,
    ),
    "GET /api/v1/livechat/rooms": lambda w: Req("GET", "livechat/rooms", headers=w.admin),
    "GET /api/v1/livechat/inquiries.list": lambda w: Req(
        "GET", "livechat/inquiries.list", headers=w.admin
    ),
    "GET /api/v1/livechat/inquiries.queuedForUser": lambda w: Req(
        "GET", "livechat/inquiries.queuedForUser", headers=w.admin
    ),
    "GET /api/v1/livechat/inquiries.getOne": lambda w: Req(
        "GET", "livechat/inquiries.getOne", {"roomId": w.rid}, headers=w.admin
    ),
    "POST /api/v1/livechat/inquiries.take": lambda w: Req(
        "POST",
        "livechat/inquiries.take",
        json={"inquiryId": _inquiry(w), "userId": w.agent.user_id},
        headers=w.admin,
    ),
    "POST /api/v1/livechat/inquiries.returnAsInquiry": _returnable,
    "GET /api/v1/livechat/queue": lambda w: Req("GET", "livechat/queue", headers=w.admin),
    "GET /api/v1/livechat/users/{type}": lambda w: Req(
        "GET", "livechat/users/agent", headers=w.admin
    ),
    "POST /api/v1/livechat/users/{type}": lambda w: Req(
        "POST", "livechat/users/manager", json={"username": w.agent.username}, headers=w.admin
    ),
    "GET /api/v1/livechat/users/{type}/{_id}": lambda w: Req(
        "GET", f"livechat/users/agent/{w.agent.user_id}", headers=w.admin
    ),
    "DELETE /api/v1/livechat/users/{type}/{_id}": lambda w: Req(
        "DELETE", f"livechat/users/agent/{_agent_id(w)}", headers=w.admin
    ),
    # departments
    "GET /api/v1/livechat/department": lambda w: Req("GET", "livechat/department", headers=w.admin),
    "POST /api/v1/livechat/department": lambda w: Req(
        "POST",
        "livechat/department",
        json={
            "department": _department_data("New"),
            "agents": [{"agentId": w.agent.user_id}],
        },
        headers=w.admin,
    ),
    "GET /api/v1/livechat/department/{_id}": lambda w: Req(
        "GET", f"livechat/department/{w.department['_id']}", headers=w.admin
    ),
    "PUT /api/v1/livechat/department/{_id}": lambda w: Req(
        "PUT",
        f"livechat/department/{w.new_department()}",
        json={"department": _department_data("Renamed")},
        headers=w.admin,
    ),
    "DELETE /api/v1/livechat/department/{_id}": lambda w: Req(
        "DELETE", f"livechat/department/{w.new_department()}", headers=w.admin
    ),
    "GET /api/v1/livechat/department/{_id}/agents": lambda w: Req(
        "GET", f"livechat/department/{w.department['_id']}/agents", headers=w.admin
    ),
    "POST /api/v1/livechat/department/{_id}/agents": lambda w: Req(
        "POST",
        f"livechat/department/{w.department['_id']}/agents",
        json={"upsert": [{"agentId": w.agent.user_id, "username": w.agent.username}], "remove": []},
        headers=w.admin,
    ),
    "GET /api/v1/livechat/departments/archived": lambda w: Req(
        "GET", "livechat/departments/archived", headers=w.admin
    ),
    "GET /api/v1/livechat/department.autocomplete": lambda w: Req(
        "GET",
        "livechat/department.autocomplete",
        {"selector": json.dumps({"term": "dep"})},
        headers=w.admin,
    ),
    "GET /api/v1/livechat/department.listByIds": lambda w: Req(
        "GET", "livechat/department.listByIds", {"ids[]": w.department["_id"]}, headers=w.admin
    ),
    "GET /api/v1/livechat/department/isDepartmentCreationAvailable": lambda w: Req(
        "GET", "livechat/department/isDepartmentCreationAvailable", headers=w.admin
    ),
    # custom fields
    "GET /api/v1/livechat/custom-fields": lambda w: Req(
        "GET", "livechat/custom-fields", headers=w.admin
    ),
    "GET /api/v1/livechat/custom-fields/{_id}": lambda w: Req(
        "GET", f"livechat/custom-fields/{_custom_field(w)}", headers=w.admin
    ),
    "POST /api/v1/livechat/custom-fields.save": lambda w: Req(
        "POST",
        "livechat/custom-fields.save",
        json={
            "customFieldId": None,
            "customFieldData": {
                "field": f"f{secrets.token_hex(3)}",
                "label": "L",
                "scope": "visitor",
                "visibility": "visible",
                "regexp": "",
                "searchable": True,
                "type": "input",
                "required": False,
                "defaultValue": "",
                "options": "",
                "public": True,
            },
        },
        headers=w.admin,
    ),
    "POST /api/v1/livechat/custom-fields.delete": lambda w: Req(
        "POST",
        "livechat/custom-fields.delete",
        json={"customFieldId": _custom_field(w)},
        headers=w.admin,
    ),
    # contacts
    "POST /api/v1/omnichannel/contacts": lambda w: Req(
        "POST",
        "omnichannel/contacts",
        json={"name": "C", "emails": [f"{secrets.token_hex(3)}@example.com"], "phones": []},
        headers=w.admin,
    ),
    "POST /api/v1/omnichannel/contact": lambda w: Req(
        "POST",
        "omnichannel/contact",
        json={"token": f"t-{secrets.token_hex(5)}", "name": "Legacy"},
        headers=w.admin,
    ),
    "POST /api/v1/omnichannel/contacts.update": lambda w: Req(
        "POST",
        "omnichannel/contacts.update",
        json={"contactId": w.contact_id, "name": "C2"},
        headers=w.admin,
    ),
    "POST /api/v1/omnichannel/contacts.conflicts": _conflicting,
    "GET /api/v1/omnichannel/contacts.get": lambda w: Req(
        "GET", "omnichannel/contacts.get", {"contactId": w.contact_id}, headers=w.admin
    ),
    "GET /api/v1/omnichannel/contacts.search": lambda w: Req(
        "GET", "omnichannel/contacts.search", headers=w.admin
    ),
    "GET /api/v1/omnichannel/contacts.checkExistence": lambda w: Req(
        "GET", "omnichannel/contacts.checkExistence", {"email": "v@example.com"}, headers=w.admin
    ),
    "GET /api/v1/omnichannel/contacts.history": lambda w: Req(
        "GET", "omnichannel/contacts.history", {"contactId": w.contact_id}, headers=w.admin
    ),
    "GET /api/v1/omnichannel/contacts.channels": lambda w: Req(
        "GET", "omnichannel/contacts.channels", {"contactId": w.contact_id}, headers=w.admin
    ),
    # settings-like
    "GET /api/v1/livechat/appearance": lambda w: Req("GET", "livechat/appearance", headers=w.admin),
    "POST /api/v1/livechat/appearance": lambda w: Req(
        "POST",
        "livechat/appearance",
        json=[{"_id": "Livechat_title", "value": "Support"}],
        headers=w.admin,
    ),
    "POST /api/v1/livechat/webhook.test": _webhook_test,
    "GET /api/v1/livechat/integrations.settings": lambda w: Req(
        "GET", "livechat/integrations.settings", headers=w.admin
    ),
    "POST /api/v1/omnichannel/integrations": lambda w: Req(
        "POST", "omnichannel/integrations", json={"LivechatHttpTimeout": 5000}, headers=w.admin
    ),
    "GET /api/v1/livechat/triggers": lambda w: Req("GET", "livechat/triggers", headers=w.admin),
    "POST /api/v1/livechat/triggers": lambda w: Req(
        "POST", "livechat/triggers", json=_trigger_body(), headers=w.admin
    ),
    "GET /api/v1/livechat/triggers/{_id}": lambda w: Req(
        "GET", f"livechat/triggers/{_trigger_id(w)}", headers=w.admin
    ),
    "DELETE /api/v1/livechat/triggers/{_id}": lambda w: Req(
        "DELETE", f"livechat/triggers/{_trigger_id(w)}", headers=w.admin
    ),
    # analytics
    "GET /api/v1/livechat/analytics/overview": lambda w: Req(
        "GET",
        "livechat/analytics/overview",
        {"name": "Conversations", "from": _day(-1), "to": _day(1)},
        headers=w.admin,
    ),
    "GET /api/v1/livechat/analytics/agent-overview": lambda w: Req(
        "GET",
        "livechat/analytics/agent-overview",
        {"name": "Total_conversations", "from": _day(-1), "to": _day(1)},
        headers=w.admin,
    ),
    **{
        f"GET /api/v1/livechat/analytics/dashboards/{name}": (
            lambda w, name=name: Req(
                "GET", f"livechat/analytics/dashboards/{name}", _range(), headers=w.admin
            )
        )
        for name in (
            "conversation-totalizers",
            "agents-productivity-totalizers",
            "chats-totalizers",
            "productivity-totalizers",
            "charts/chats",
            "charts/chats-per-agent",
            "charts/chats-per-department",
            "charts/timings",
        )
    },
    "GET /api/v1/livechat/analytics/dashboards/charts/agents-status": lambda w: Req(
        "GET", "livechat/analytics/dashboards/charts/agents-status", headers=w.admin
    ),
}


def _nullable(schema: Any) -> Any:
    """OpenAPI 3.0 → JSON Schema: ``nullable: true`` becomes a ``null`` type."""
    if isinstance(schema, list):
        return [_nullable(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {
        k: ({n: _nullable(s) for n, s in v.items()} if k == "properties" else _nullable(v))
        for k, v in schema.items()
        if k != "nullable"
    }
    if schema.get("nullable") and isinstance(out.get("type"), str):
        out["type"] = [out["type"], "null"]
    return out


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    settings = {"Accounts_TwoFactorAuthentication_Enforce_Password_Fallback": False}
    with (
        EmbeddedServer(rate_limit=False, settings=settings) as embedded,
        WebhookReceiver() as receiver,
        httpx2.Client(base_url=embedded.url, timeout=30) as http,
    ):
        login = http.post(
            "/api/v1/login",
            json={"user": embedded.admin_username, "password": embedded.admin_password},
        ).json()["data"]
        admin = {"X-User-Id": login["userId"], "X-Auth-Token": login["authToken"]}
        server = LivechatTestServer(embedded, http, admin)
        server.set_setting("Omnichannel_enable_department_removal", True)
        agent = server.create_agent()
        department = server.create_department("Sales", [agent])
        token = f"tok-{secrets.token_hex(6)}"
        visitor = http.post(
            "/api/v1/livechat/visitor",
            json={"visitor": {"token": token, "name": "Vera", "email": "vera@example.com"}},
        ).json()["visitor"]
        rid = http.get("/api/v1/livechat/room", params={"token": token}).json()["room"]["_id"]
        sent = http.post("/api/v1/livechat/message", json={"token": token, "rid": rid, "msg": "hi"})
        contact = http.post(
            "/api/v1/omnichannel/contacts",
            json={"name": "Carl", "emails": ["carl@example.com"], "phones": ["+15550100"]},
            headers=admin,
        ).json()["contactId"]
        yield World(
            server,
            admin,
            agent,
            department,
            token,
            visitor,
            rid,
            sent.json()["message"]["_id"],
            contact,
            receiver,
        )


def _served() -> set[tuple[str, str]]:
    return {(e.method, _shape(e.path)) for g in ROUTE_GROUPS for e in g.endpoints}


#: shared operations whose documented answer is not JSON (no schema to check)
NOT_JSON = {"POST /api/v1/livechat/sms-incoming/{service}": "text/plain TwiML answer"}


def test_the_file_holds_every_shared_operation() -> None:
    """Every operation of the reference the server serves is in the file (else re-extract)."""
    served = _served()
    shared = set()
    for op in json.loads(ALL_OPERATIONS.read_text()):
        path = PATH_MISTAKES.get(op["path"], (op["path"], ""))[0]
        if (op["method"], _shape(path)) in served:
            shared.add(f"{op['method']} {path}")
    assert shared - set(NOT_JSON) == set(OPERATIONS), "run scripts/extract_response_schemas.py"


def test_every_shared_operation_has_a_request() -> None:
    """Each operation of the file has a request here and is still a server route."""
    assert set(REQUESTS) == set(OPERATIONS)
    served = _served()
    gone = [op for op in OPERATIONS if (op.split()[0], _shape(op.split()[1])) not in served]
    assert gone == [], "re-run scripts/extract_response_schemas.py"


def _violations(operation: str, body: Any) -> tuple[list[str], set[str]]:
    """The answer's departures from the schema, and the listed reference mistakes it shows."""
    schema = _nullable(OPERATIONS[operation]["schema"])
    found, excused = [], set()
    for err in jsonschema.Draft7Validator(schema).iter_errors(body):
        where = "/".join("*" if isinstance(p, int) else str(p) for p in err.absolute_path)
        if (operation, where) in REFERENCE_MISTAKES:
            excused.add(where)
        else:
            found.append(f"{where or '<root>'}: {err.message[:160]}")
    return found, excused


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_answer_validates_against_the_reference(world: World, operation: str) -> None:
    req = REQUESTS[operation](world)
    response = world.server.http.request(
        req.method,
        f"/api/v1/{req.path}",
        params=req.params,
        json=req.json,
        headers=req.headers,
        files=req.files,
    )
    assert response.status_code == OPERATIONS[operation]["status"], response.text
    found, excused = _violations(operation, response.json())
    assert found == []
    listed = {where for op, where in REFERENCE_MISTAKES if op == operation}
    assert excused == listed, "a listed reference mistake no longer shows: drop it"
