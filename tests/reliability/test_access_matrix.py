"""Isolation on the embedded server: a visitor token reaches only its own things.

Visitor A attacks visitor B with A's own (valid) token: every visitor endpoint x B's open room,
B's closed room and B's messages, then B's uploaded file and B's streams. Each attempt must be
refused exactly the way Rocket.Chat refuses it (status and body from Rocket.Chat's livechat routes),
the same request by the owner must succeed (so the refusal is about ownership, not a broken
request), and B's data must be untouched afterwards. Agent endpoints must refuse anonymous
callers, visitors (whatever header they put their token in) and users without a livechat role.
"""

from __future__ import annotations

import contextlib
import json
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx2
import pytest
from _reliability_env import Deployment
from websockets.sync.client import ClientConnection, connect

from rocketchat_livechat.server.routes import ROUTE_GROUPS


def plain(error: str) -> tuple[int, dict[str, Any]]:
    """A plain ``Error(...)`` answer (no errorType)."""
    return 400, {"success": False, "error": error}


INVALID_ROOM = plain("invalid-room")
FORBIDDEN = (403, {"success": False, "error": "unauthorized"})
NOT_PERMITTED = (
    403,
    {
        "success": False,
        "error": "User does not have the permissions required for this action [error-unauthorized]",
    },
)
LOGIN_REQUIRED = (
    401,
    {
        "success": False,
        "error": "You must be logged in to do this.",
        "status": "error",
        "message": "You must be logged in to do this.",
    },
)


@dataclass(frozen=True)
class Visitor:
    token: str
    rid: str  # open room
    closed_rid: str
    message_id: str  # in the open room
    closed_message_id: str  # in the closed room
    file_id: str = ""
    file_name: str = ""


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    params: dict[str, str] | None = None
    body: dict[str, Any] | None = None
    headers: dict[str, str] | None = None
    files: dict[str, tuple[str, bytes, str]] | None = None

    def send(self, http: httpx2.Client) -> httpx2.Response:
        return http.request(
            self.method,
            f"/api/v1/{self.path}",
            params=self.params,
            content=None if self.body is None else json.dumps(self.body).encode(),
            headers={
                **({"Content-Type": "application/json"} if self.body is not None else {}),
                **(self.headers or {}),
            },
            files=self.files,
        )


@dataclass(frozen=True)
class Case:
    """``build(caller, owner)``: the request; ``expected`` when caller is not the owner."""

    name: str
    build: Callable[[Visitor, Visitor], Call]
    expected: tuple[int, dict[str, Any]]


def _survey(token: str, rid: str) -> dict[str, Any]:
    return {"token": token, "rid": rid, "data": [{"name": "satisfaction", "value": "1"}]}


def _upload(me: Visitor, rid: str) -> Call:
    return Call(
        "POST",
        f"livechat/upload/{rid}",
        headers={"x-visitor-token": me.token},
        files={"file": ("evil.txt", b"from the attacker", "text/plain")},
    )


ROOM_CASES: list[tuple[str, Callable[[Visitor, str], Call], tuple[int, dict[str, Any]]]] = [
    (
        "agent.info",
        lambda me, rid: Call("GET", f"livechat/agent.info/{rid}/{me.token}"),
        INVALID_ROOM,
    ),
    (
        "room",
        lambda me, rid: Call("GET", "livechat/room", {"token": me.token, "rid": rid}),
        INVALID_ROOM,
    ),
    (
        "room.survey",
        lambda me, rid: Call("POST", "livechat/room.survey", body=_survey(me.token, rid)),
        INVALID_ROOM,
    ),
    (
        "room.transfer",
        lambda me, rid: Call(
            "POST",
            "livechat/room.transfer",
            body={"token": me.token, "rid": rid, "department": "d"},
        ),
        INVALID_ROOM,
    ),
    (
        "visitor/department.transfer",
        lambda me, rid: Call(
            "POST",
            "livechat/visitor/department.transfer",
            body={"token": me.token, "rid": rid, "department": "d"},
        ),
        plain("error-invalid-room"),
    ),
    ("upload", _upload, FORBIDDEN),
    (
        "message (send)",
        lambda me, rid: Call(
            "POST", "livechat/message", body={"token": me.token, "rid": rid, "msg": "pwned"}
        ),
        INVALID_ROOM,
    ),
    (
        "messages.history",
        lambda me, rid: Call("GET", f"livechat/messages.history/{rid}", {"token": me.token}),
        INVALID_ROOM,
    ),
    (
        "transcript",
        lambda me, rid: Call(
            "POST", "livechat/transcript", body={"token": me.token, "rid": rid, "email": "a@b.io"}
        ),
        plain("error-invalid-visitor"),
    ),
    (
        "room.close",
        lambda me, rid: Call("POST", "livechat/room.close", body={"token": me.token, "rid": rid}),
        INVALID_ROOM,
    ),
]


def _message_call(method: str, me: Visitor, rid: str, mid: str) -> Call:
    if method == "GET":
        return Call("GET", f"livechat/message/{mid}", {"token": me.token, "rid": rid})
    body: dict[str, Any] = {"token": me.token, "rid": rid}
    if method == "PUT":
        body["msg"] = "edited by the attacker"
    return Call(method, f"livechat/message/{mid}", body=body)


def _in_room(
    build: Callable[[Visitor, str], Call], closed: bool
) -> Callable[[Visitor, Visitor], Call]:
    return lambda me, owner: build(me, owner.closed_rid if closed else owner.rid)


def _on_message(method: str, where: str) -> Callable[[Visitor, Visitor], Call]:
    def build(me: Visitor, owner: Visitor) -> Call:
        if where == "in its room":
            return _message_call(method, me, owner.rid, owner.message_id)
        if where == "via my own room":
            return _message_call(method, me, me.rid, owner.message_id)
        return _message_call(method, me, owner.closed_rid, owner.closed_message_id)

    return build


def cases() -> list[Case]:
    """Every visitor endpoint x (owner's open room, owner's closed room) + message variants."""
    out: list[Case] = []
    for name, build, expected in ROOM_CASES:
        out.append(Case(f"{name} / open room", _in_room(build, closed=False), expected))
        out.append(Case(f"{name} / closed room", _in_room(build, closed=True), expected))
    not_allowed = plain("error-action-not-allowed")
    for method, via_own_room in (
        ("GET", plain("invalid-message")),
        ("PUT", not_allowed),
        ("DELETE", not_allowed),
    ):
        for where, expected in (
            ("in its room", INVALID_ROOM),
            ("via my own room", via_own_room),
            ("closed room", INVALID_ROOM),
        ):
            out.append(Case(f"message {method} / {where}", _on_message(method, where), expected))
    return out


CASES = cases()
#: calls that change the owner's data when the owner makes them (positive controls skip them)
DESTRUCTIVE = ("room.close", "message DELETE", "room.transfer", "department.transfer")


def _harmless_for_the_owner(case: Case) -> bool:
    return "open room" in case.name and not any(d in case.name for d in DESTRUCTIVE)


# --- setup ----------------------------------------------------------------------------------


def _visitor(http: httpx2.Client, name: str) -> Visitor:
    token = f"{name}-token-{id(http)}"
    email = f"{name}@example.com"
    http.post("/api/v1/livechat/visitor", json={"visitor": {"token": token, "email": email}})

    def open_room() -> tuple[str, str]:
        rid = http.get("/api/v1/livechat/room", params={"token": token}).json()["room"]["_id"]
        sent = http.post(
            "/api/v1/livechat/message", json={"token": token, "rid": rid, "msg": f"{name} says"}
        )
        return rid, sent.json()["message"]["_id"]

    closed_rid, closed_mid = open_room()
    http.post("/api/v1/livechat/room.close", json={"token": token, "rid": closed_rid})
    rid, mid = open_room()
    return Visitor(token, rid, closed_rid, mid, closed_mid)


@pytest.fixture(scope="module")
def http(deployment: Deployment) -> Iterator[httpx2.Client]:
    with httpx2.Client(base_url=deployment.url, timeout=10) as client:
        yield client


@pytest.fixture(scope="module")
def attacker(http: httpx2.Client) -> Visitor:
    return _visitor(http, "alice")


@pytest.fixture(scope="module")
def owner(http: httpx2.Client) -> Visitor:
    bob = _visitor(http, "bob")
    uploaded = _upload(bob, bob.rid).send(http).json()
    return Visitor(**{**bob.__dict__, "file_id": uploaded["file"]["_id"], "file_name": "evil.txt"})


# --- the REST matrix ------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_foreign_visitor_is_refused_like_rocketchat(
    case: Case, http: httpx2.Client, attacker: Visitor, owner: Visitor
) -> None:
    response = case.build(attacker, owner).send(http)
    assert (response.status_code, response.json()) == case.expected


@pytest.mark.parametrize(
    "case",
    [c for c in CASES if _harmless_for_the_owner(c)],
    ids=lambda c: c.name,
)
def test_the_owner_gets_through(case: Case, http: httpx2.Client, owner: Visitor) -> None:
    """The same request by the owner succeeds: the refusals above are about ownership."""
    response = case.build(owner, owner).send(http)
    assert response.status_code == 200, response.text
    assert response.json()["success"] is True


def test_the_owners_data_is_untouched(
    http: httpx2.Client, attacker: Visitor, owner: Visitor
) -> None:
    for case in CASES:  # run the whole matrix once more, then inspect the owner's data
        case.build(attacker, owner).send(http)
    message = http.get(
        f"/api/v1/livechat/message/{owner.message_id}",
        params={"token": owner.token, "rid": owner.rid},
    ).json()["message"]
    assert message["msg"] == "bob says" and "editedBy" not in message
    history = http.get(
        f"/api/v1/livechat/messages.history/{owner.rid}", params={"token": owner.token}
    ).json()["messages"]
    assert all(m.get("token") in (None, owner.token) for m in history)  # nothing by Alice
    room = http.get("/api/v1/livechat/room", params={"token": owner.token}).json()
    assert room["room"]["_id"] == owner.rid and room["newRoom"] is False  # still open


def test_writes_rocketchat_does_not_check_never_reach_the_owner(
    deployment: Deployment, http: httpx2.Client, attacker: Visitor, owner: Visitor
) -> None:
    """``page.visited`` and ``visitor.callStatus`` take any ``rid`` in Rocket.Chat (no ownership
    check, ``livechat/api/v1/message.ts``): they answer success, like Rocket.Chat, but nothing
    reaches the owner: no call status on the room, no message and no token of the attacker in
    the owner's history or stream."""
    args = {"token": owner.token, "visitorToken": owner.token}
    with _ddp(deployment.url) as ws:
        sub = {"msg": "sub", "id": "m", "name": "stream-room-messages"}
        ws.send(json.dumps({**sub, "params": [owner.rid, {"args": [args]}]}))
        assert _answer(ws, "m")["msg"] == "ready"
        page = {"title": "t", "change": "url", "location": {"href": "https://x.io"}}
        visited = {"token": attacker.token, "rid": owner.rid, "pageInfo": page}
        call = {"token": attacker.token, "rid": owner.rid, "callStatus": "ended", "callId": "c"}
        for path, body in (("page.visited", visited), ("visitor.callStatus", call)):
            response = http.post(f"/api/v1/livechat/{path}", json=body)
            assert response.status_code == 200 and response.json()["success"] is True
        with pytest.raises(TimeoutError):
            leaked = ws.recv(timeout=0.5)
            pytest.fail(f"the owner's stream got {leaked!r}")
    history = http.get(
        f"/api/v1/livechat/messages.history/{owner.rid}", params={"token": owner.token}
    ).text
    assert attacker.token not in history
    room = http.get(
        "/api/v1/rooms.info", params={"roomId": owner.rid}, headers=deployment.admin.admin_headers
    ).json()["room"]
    assert "callStatus" not in room


# --- files ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "room", "status"),
    [
        ("owner", "own", 200),
        ("attacker", "owner's", 403),
        ("attacker", "own", 403),
        ("nobody", "owner's", 403),
    ],
)
def test_uploaded_file_reaches_only_its_owner(
    http: httpx2.Client, attacker: Visitor, owner: Visitor, who: str, room: str, status: int
) -> None:
    params: dict[str, str] = {}
    if who != "nobody":
        me = owner if who == "owner" else attacker
        rid = owner.rid if room == "owner's" or me is owner else me.rid
        params = {"rc_token": me.token, "rc_rid": rid, "rc_room_type": "l"}
    response = http.get(f"/file-upload/{owner.file_id}/{owner.file_name}", params=params)
    assert response.status_code == status
    assert (b"from the attacker" in response.content) is (status == 200)


# --- streams --------------------------------------------------------------------------------


@contextlib.contextmanager
def _ddp(url: str) -> Iterator[ClientConnection]:
    """A raw DDP connection, handshake done."""
    with connect(url.replace("http://", "ws://") + "/websocket", open_timeout=5) as ws:
        ws.send(json.dumps({"msg": "connect", "version": "1", "support": ["1"]}))
        while json.loads(ws.recv(timeout=5)).get("msg") != "connected":
            pass
        yield ws


def _answer(ws: ClientConnection, sub_id: str) -> dict[str, Any]:
    while True:
        frame: dict[str, Any] = json.loads(ws.recv(timeout=5))
        if frame.get("id") == sub_id or sub_id in frame.get("subs", ()):
            return frame


STREAMS = [
    ("stream-room-messages", "{rid}"),
    ("stream-livechat-room", "{rid}"),
    ("stream-notify-room", "{rid}/user-activity"),
    ("stream-notify-room", "{rid}/deleteMessage"),
]


@pytest.mark.parametrize("which", ["open", "closed"])
@pytest.mark.parametrize(("stream", "event"), STREAMS)
def test_foreign_stream_subscription_is_refused(
    deployment: Deployment, attacker: Visitor, owner: Visitor, stream: str, event: str, which: str
) -> None:
    rid = owner.rid if which == "open" else owner.closed_rid
    args = {"token": attacker.token, "visitorToken": attacker.token}
    with _ddp(deployment.url) as ws:
        sub = {"msg": "sub", "id": "s1", "name": stream}
        ws.send(json.dumps({**sub, "params": [event.format(rid=rid), {"args": [args]}]}))
        assert _answer(ws, "s1") == {
            "msg": "nosub",
            "id": "s1",
            "error": {
                "isClientSafe": True,
                "error": "not-allowed",
                "message": "[not-allowed]",
                "errorType": "Meteor.Error",
            },
        }


def test_typing_into_a_foreign_room_is_dropped(
    deployment: Deployment, attacker: Visitor, owner: Visitor
) -> None:
    """Rocket.Chat answers the method with success and silently drops the event."""
    event = f"{owner.rid}/user-activity"
    with _ddp(deployment.url) as watcher, _ddp(deployment.url) as intruder:
        args = {"token": owner.token, "visitorToken": owner.token}
        watcher.send(
            json.dumps(
                {
                    "msg": "sub",
                    "id": "w",
                    "name": "stream-notify-room",
                    "params": [event, {"args": [args]}],
                }
            )
        )
        assert _answer(watcher, "w")["msg"] == "ready"
        for token, name in ((attacker.token, "intruder"), (owner.token, "owner")):
            call = ["stream-notify-room", [event, name, ["user-typing"], {"token": token}]]
            intruder.send(
                json.dumps({"msg": "method", "id": name, "method": call[0], "params": call[1]})
            )
            assert "error" not in _answer(intruder, name)
        seen = json.loads(watcher.recv(timeout=5))  # the owner's typing arrives...
        assert seen["fields"]["args"][0] == "owner"  # ...and the intruder's never did


# --- agent endpoints ------------------------------------------------------------------------

#: agent endpoints guarded inside the handler rather than by a declared permission
HANDLER_GUARDED = {
    ("GET", "livechat/rooms"): FORBIDDEN,
    ("GET", "livechat/users/:type"): FORBIDDEN,
    # the agent's own messages (chat.ts, rooms.ts): the room access or message rules answer
    ("POST", "chat.update"): (
        400,
        {
            "success": False,
            "error": "Message editing not allowed [error-action-not-allowed]",
            "errorType": "error-action-not-allowed",
            "details": {"method": "updateMessage", "action": "Message_editing"},
        },
    ),
    ("POST", "chat.delete"): (
        400,
        {
            "success": False,
            "error": "Not allowed [error-action-not-allowed]",
            "errorType": "error-action-not-allowed",
        },
    ),
    ("POST", "rooms.media/:rid"): FORBIDDEN,
    ("POST", "rooms.mediaConfirm/:rid/:fileId"): FORBIDDEN,
    ("POST", "rooms.upload/:rid"): FORBIDDEN,
}
#: the agent's own messages in a livechat room, besides the ``livechat/`` routes
AGENT_MESSAGE_ROUTES = {
    "chat.sendMessage",
    "chat.update",
    "chat.delete",
    "rooms.media/:rid",
    "rooms.mediaConfirm/:rid/:fileId",
    "rooms.upload/:rid",
}
#: agent endpoints Rocket.Chat opens to every logged-in user (``authRequired`` only)
ANY_USER: dict[tuple[str, str], Callable[[], tuple[int, dict[str, Any]]]] = {
    ("GET", "livechat/config/routing"): lambda: (
        200,
        {
            "config": {
                "previewRoom": False,
                "showConnecting": False,
                "showQueue": False,
                "showQueueLink": True,
                "returnQueue": False,
                "enableTriggerAction": True,
                "autoAssignAgent": True,
            },
            "success": True,
        },
    ),
}
#: agent endpoints any logged-in user may call (Rocket.Chat checks no permission): what a user
#: without a livechat role gets with the body below (``message.ts``: a new visitor is registered,
#: then the shadowed-variable bug refuses the call)
NO_PERMISSION_CHECK = {("POST", "livechat/messages"): plain("error-invalid-token")}
AGENT_ENDPOINTS = sorted(
    (e.method, e.path)
    for g in ROUTE_GROUPS
    for e in g.endpoints
    if e.auth
    and (e.path.startswith(("livechat/", "omnichannel/")) or e.path in AGENT_MESSAGE_ROUTES)
)


#: bodies that pass each endpoint's schema, so the permission check is what answers
VALID_BODIES: dict[str, Callable[[Visitor], dict[str, Any]]] = {
    "chat.sendMessage": lambda owner: {"message": {"rid": owner.rid, "msg": "hi"}},
    "chat.update": lambda owner: {"roomId": owner.rid, "msgId": owner.message_id, "text": "x"},
    "chat.delete": lambda owner: {"roomId": owner.rid, "msgId": owner.message_id},
    "livechat/custom-fields.save": lambda owner: {
        "customFieldData": {"field": "f", "label": "F", "scope": "visitor", "visibility": "visible"}
    },
    "livechat/custom-fields.delete": lambda owner: {"customFieldId": "f"},
    "livechat/custom-fields.remove": lambda owner: {"_id": "f"},
    "livechat/inquiries.take": lambda owner: {"inquiryId": "x"},
    "livechat/department": lambda owner: {
        "department": {
            "name": "D",
            "email": "d@example.com",
            "enabled": True,
            "showOnRegistration": True,
            "showOnOfflineForm": True,
        }
    },
    "livechat/room.closeByUser": lambda owner: {"rid": owner.rid},
    "livechat/room.forward": lambda owner: {"roomId": owner.rid, "userId": "x"},
    "livechat/users/:type": lambda owner: {"username": "nobody"},
    "livechat/appearance": lambda owner: [{"_id": "Livechat_title", "value": "x"}],
    "livechat/messages": lambda owner: {
        "visitor": {"token": f"matrix-{secrets.token_hex(6)}"},
        "messages": [{"msg": "hi"}],
    },
    "livechat/triggers": lambda owner: {
        "name": "t",
        "description": "d",
        "enabled": True,
        "runOnce": False,
        "conditions": [{"name": "page-url", "value": None}],
        "actions": [{"name": "send-message", "params": {"sender": "queue", "msg": "hi"}}],
    },
    "livechat/room.saveInfo": lambda owner: {
        "roomData": {"_id": owner.rid},
        "guestData": {"_id": "x"},
    },
    "livechat/agents.saveInfo": lambda owner: {
        "agentId": "x",
        "agentData": {},
        "agentDepartments": [],
    },
    "livechat/inquiries.returnAsInquiry": lambda owner: {"roomId": owner.rid},
    "livechat/rooms.delete": lambda owner: {"roomId": owner.closed_rid},
    "livechat/transcript/:rid": lambda owner: {"email": "a@example.com", "subject": "s"},
    "omnichannel/contact": lambda owner: {"token": owner.token, "name": "x"},
    "omnichannel/contacts": lambda owner: {"name": "x", "emails": [], "phones": []},
    "omnichannel/contacts.update": lambda owner: {"contactId": "x"},
    "omnichannel/contacts.conflicts": lambda owner: {"contactId": "x"},
    "omnichannel/contacts.delete": lambda owner: {"contactId": "x"},
}

_ANALYTICS_QUERY = {"name": "Conversations", "from": "2024-01-01", "to": "2024-01-02"}

#: query parameters that pass each GET endpoint's schema
VALID_QUERIES: dict[str, Callable[[Visitor], dict[str, Any]]] = {
    "livechat/inquiries.getOne": lambda owner: {"roomId": owner.rid},
    "livechat/visitors.info": lambda owner: {"visitorId": "x"},
    "livechat/visitors.autocomplete": lambda owner: {"selector": '{"term": ""}'},
    "livechat/visitors.search": lambda owner: {"term": "x"},
    "omnichannel/contacts.get": lambda owner: {"contactId": "x"},
    "omnichannel/contacts.checkExistence": lambda owner: {"contactId": "x"},
    "omnichannel/contacts.history": lambda owner: {"contactId": "x"},
    "omnichannel/contacts.channels": lambda owner: {"contactId": "x"},
    "livechat/analytics/overview": lambda owner: _ANALYTICS_QUERY,
    "livechat/analytics/agent-overview": lambda owner: _ANALYTICS_QUERY,
    "livechat/analytics/dashboards/charts-data": lambda owner: {
        "chartName": "Total_conversations",
        "start": "2024-01-01",
        "end": "2024-01-02",
    },
}


def _agent_call(method: str, path: str, owner: Visitor, headers: dict[str, str]) -> Call:
    filled = path.replace(":type", "agent").replace(":_id", "x").replace(":token", owner.token)
    filled = filled.replace(":rid", owner.rid).replace(":fileId", owner.file_id or "x")
    filled = filled.replace(":roomId", owner.rid).replace(":visitorId", "x")
    body = VALID_BODIES[path](owner) if path in VALID_BODIES else {}
    if path in VALID_QUERIES:
        params = VALID_QUERIES[path](owner)
    elif path.startswith("livechat/analytics/dashboards/"):
        params = {"start": "2024-01-01T00:00:00.000Z", "end": "2024-01-02T00:00:00.000Z"}
    else:
        params = {"roomId": owner.rid} if path.endswith(("getOne", "room.join")) else None
    return Call(method, filled, params, None if method == "GET" else body, headers)


@pytest.fixture(scope="module")
def plain_user(deployment: Deployment, http: httpx2.Client) -> dict[str, str]:
    """A logged-in user with only the ``user`` role."""
    deployment.admin._post(
        "users.create",
        {"username": "nobody", "password": "pw-nobody", "email": "n@x.io", "name": "No Body"},
    )
    data = http.post("/api/v1/login", json={"user": "nobody", "password": "pw-nobody"}).json()
    return {"X-User-Id": data["data"]["userId"], "X-Auth-Token": data["data"]["authToken"]}


@pytest.mark.parametrize(("method", "path"), AGENT_ENDPOINTS)
@pytest.mark.parametrize("caller", ["anonymous", "visitor-header", "visitor-as-user"])
def test_agent_endpoints_refuse_visitors(
    http: httpx2.Client, owner: Visitor, method: str, path: str, caller: str
) -> None:
    headers = {
        "anonymous": {},
        "visitor-header": {"x-visitor-token": owner.token},
        "visitor-as-user": {"X-User-Id": owner.token, "X-Auth-Token": owner.token},
    }[caller]
    response = _agent_call(method, path, owner, headers).send(http)
    assert (response.status_code, response.json()) == LOGIN_REQUIRED


@pytest.mark.parametrize(("method", "path"), AGENT_ENDPOINTS)
def test_agent_endpoints_refuse_users_without_a_livechat_role(
    http: httpx2.Client, owner: Visitor, plain_user: dict[str, str], method: str, path: str
) -> None:
    response = _agent_call(method, path, owner, plain_user).send(http)
    if path == "chat.sendMessage":
        expected = plain("error-not-allowed")
    elif (method, path) in ANY_USER:
        expected = ANY_USER[(method, path)]()
    elif (method, path) in NO_PERMISSION_CHECK:
        expected = NO_PERMISSION_CHECK[(method, path)]
    else:
        expected = HANDLER_GUARDED.get((method, path), NOT_PERMITTED)
    assert (response.status_code, response.json()) == expected
