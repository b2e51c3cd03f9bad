"""The embedded server's DDP endpoint, frame by frame, with a raw websocket client."""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any

import httpx2
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from rocketchat_livechat.server import ddp
from rocketchat_livechat.testing.plugin import Agent, LivechatTestServer

pytestmark = pytest.mark.e2e

Frame = dict[str, Any]


class Raw:
    """A bare DDP client: sends and receives JSON frames, nothing else."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.ids = iter(range(1, 10_000))

    def send(self, frame: Frame) -> None:
        self.ws.send(json.dumps(frame))

    def recv(self, timeout: float = 5) -> Frame:
        frame: Frame = json.loads(self.ws.recv(timeout=timeout))
        return frame

    def expect(self, timeout: float = 5, **match: Any) -> Frame:
        """The next frame matching ``match``, skipping others (server pings are answered)."""
        deadline = time.monotonic() + timeout
        while True:
            frame = self.recv(max(0.01, deadline - time.monotonic()))
            if frame.get("msg") == "ping":
                self.send({"msg": "pong"})
            if all(frame.get(k) == v for k, v in match.items()):
                return frame

    def quiet(self, seconds: float = 0.3) -> list[Frame]:
        """Frames (other than pings) arriving within ``seconds``."""
        frames: list[Frame] = []
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                frame = self.recv(left)
            except TimeoutError:
                break
            if frame.get("msg") != "ping":
                frames.append(frame)
        return frames

    def handshake(self) -> str:
        assert self.recv() == {"server_id": "0"}
        self.send({"msg": "connect", "version": "1", "support": ["1", "pre2", "pre1"]})
        connected = self.expect(msg="connected")
        session: str = connected["session"]
        return session

    def call(self, method: str, *params: Any) -> tuple[Frame, Frame]:
        """``(result, updated)`` frames of a method call."""
        mid = str(next(self.ids))
        self.send({"msg": "method", "id": mid, "method": method, "params": list(params)})
        result = self.expect(msg="result", id=mid)
        updated = self.expect(msg="updated")
        assert updated == {"msg": "updated", "methods": [mid]}
        return result, updated

    def sub(self, name: str, event_name: str, *args: Any) -> Frame:
        """The ``ready`` or ``nosub`` answer to a stream subscription."""
        sid = f"s{next(self.ids)}"
        params = [event_name, {"useCollection": False, "args": list(args)}]
        self.send({"msg": "sub", "id": sid, "name": name, "params": params})
        while True:
            frame = self.expect()
            if frame.get("id") == sid or sid in frame.get("subs", ()):
                return frame


@pytest.fixture
def raw(livechat_server: LivechatTestServer) -> Iterator[Callable[[], Raw]]:
    """Opens raw DDP connections (closed after the test)."""
    url = livechat_server.url.replace("http://", "ws://") + "/websocket"
    opened: list[ClientConnection] = []

    def open_raw() -> Raw:
        ws = connect(url, ping_interval=None).__enter__()
        opened.append(ws)
        return Raw(ws)

    yield open_raw
    for ws in opened:
        ws.close()


@contextmanager
def http(livechat_server: LivechatTestServer) -> Iterator[httpx2.Client]:
    with httpx2.Client(base_url=livechat_server.url) as client:
        yield client


def stored(livechat_server: LivechatTestServer, collection: str, doc_id: str) -> dict[str, Any]:
    """A document as the server stored it."""
    doc = livechat_server.server.state.store.collection(collection).get(doc_id)
    assert doc is not None
    return doc


def visitor_room(livechat_server: LivechatTestServer) -> tuple[str, str]:
    """``(token, rid)`` of a new visitor's open room."""
    token = f"ddp-{secrets.token_urlsafe(8)}"
    with http(livechat_server) as client:
        client.post("/api/v1/livechat/visitor", json={"visitor": {"token": token, "name": "V"}})
        rid = client.get("/api/v1/livechat/room", params={"token": token}).json()["room"]["_id"]
    return token, rid


NOT_ALLOWED = {
    "isClientSafe": True,
    "error": "not-allowed",
    "message": "[not-allowed]",
    "errorType": "Meteor.Error",
}


def test_handshake_greeting_and_pings(raw: Callable[[], Raw]) -> None:
    client = raw()
    assert client.recv() == {"server_id": "0"}
    client.send({"msg": "ping"})
    refused = client.recv()
    assert refused["msg"] == "error" and refused["reason"] == "Must connect first"
    client.send({"msg": "connect", "version": "1", "support": ["1"]})
    session = client.recv()
    assert session["msg"] == "connected" and len(session["session"]) == 17
    client.send({"msg": "ping", "id": "abc"})
    assert client.recv() == {"msg": "pong", "id": "abc"}
    client.send({"msg": "ping"})
    assert client.recv() == {"msg": "pong"}
    client.ws.send("{not json")
    assert client.recv() == {"msg": "error", "reason": "Parse error"}

    other = raw()
    other.recv()
    other.send({"msg": "connect", "version": "2", "support": ["2"]})
    assert other.recv() == {"msg": "failed", "version": "1"}


def test_server_pings_and_closes_a_silent_peer(
    raw: Callable[[], Raw], server_heartbeat: Callable[[float], None]
) -> None:
    server_heartbeat(0.3)
    lively, silent = raw(), raw()
    lively.handshake()
    silent.handshake()
    started = time.monotonic()
    for _ in range(4):  # answering each ping keeps the connection open
        assert lively.expect(msg="ping", timeout=2) == {"msg": "ping"}
    assert time.monotonic() - started > 1.0
    lively.send({"msg": "ping", "id": "still"})
    assert lively.expect(msg="pong") == {"msg": "pong", "id": "still"}
    assert silent.recv() == {"msg": "ping"}  # never answered: the server hung up
    with pytest.raises(ConnectionClosed):
        silent.recv(timeout=1)


def test_unknown_method_and_subscription(raw: Callable[[], Raw]) -> None:
    client = raw()
    client.handshake()
    result, _ = client.call("no.such.method", 1)
    assert result["error"] == {
        "isClientSafe": True,
        "error": 404,
        "reason": "Method 'no.such.method' not found",
        "message": "Method 'no.such.method' not found [404]",
        "errorType": "Meteor.Error",
    }
    nosub = client.sub("stream-nope", "x")
    assert nosub["msg"] == "nosub" and nosub["error"]["error"] == 404
    assert nosub["error"]["reason"] == "Subscription 'stream-nope' not found"
    empty = client.sub("stream-room-messages", "")
    assert empty["error"]["error"] == "invalid-event-name"


def test_visitor_stream_checks(
    livechat_server: LivechatTestServer, raw: Callable[[], Raw], agent: Agent
) -> None:
    token, rid = visitor_room(livechat_server)
    both = {"token": token, "visitorToken": token}
    client = raw()
    client.handshake()
    assert (
        client.sub("stream-room-messages", rid, {"visitorToken": "wrong"})["error"] == NOT_ALLOWED
    )
    assert client.sub("stream-room-messages", rid)["error"] == NOT_ALLOWED  # anonymous, no token
    assert client.sub("stream-room-messages", "no-such-room", both)["error"] == NOT_ALLOWED
    assert client.sub("stream-livechat-room", rid, {"token": token})["error"] == NOT_ALLOWED
    assert (
        client.sub("stream-notify-room", f"{rid}/user-activity", {"visitorToken": token})["error"]
        == NOT_ALLOWED
    )
    assert (
        client.sub("stream-livechat-inquiry-queue-observer", "public", both)["error"] == NOT_ALLOWED
    )
    assert client.sub("stream-notify-user", "someone/rooms-changed", both)["error"] == NOT_ALLOWED

    ready = client.sub("stream-room-messages", rid, both)
    assert ready["msg"] == "ready"
    for name, event in [
        ("stream-livechat-room", rid),
        ("stream-notify-room", f"{rid}/user-activity"),
        ("stream-notify-room", f"{rid}/deleteMessage"),
    ]:
        assert client.sub(name, event, both)["msg"] == "ready"

    with http(livechat_server) as rest:
        rest.post("/api/v1/livechat/message", json={"token": token, "rid": rid, "msg": "hi"})
    changed = client.expect(msg="changed")
    assert set(changed) == {"msg", "collection", "id", "fields"}
    assert (changed["collection"], changed["id"]) == ("stream-room-messages", "id")
    assert changed["fields"]["eventName"] == rid
    (doc,) = changed["fields"]["args"]
    assert doc["msg"] == "hi" and doc["token"] == token
    assert isinstance(doc["ts"]["$date"], int) and set(doc["ts"]) == {"$date"}

    client.send({"msg": "unsub", "id": ready["subs"][0]})
    assert client.expect(msg="nosub") == {"msg": "nosub", "id": ready["subs"][0]}

    livechat_server.close_room(agent, rid)
    later = raw()
    later.handshake()
    assert later.sub("stream-room-messages", rid, both)["error"] == NOT_ALLOWED  # closed
    assert later.sub("stream-livechat-room", rid, both)["msg"] == "ready"  # still allowed


def test_typing_reaches_others_only_with_the_right_token(
    livechat_server: LivechatTestServer, raw: Callable[[], Raw], agent: Agent
) -> None:
    token, rid = visitor_room(livechat_server)
    event = f"{rid}/user-activity"
    desk = raw()
    desk.handshake()
    result, _ = desk.call("login", {"resume": agent.auth_token})
    assert desk.sub("stream-notify-room", event)["msg"] == "ready"
    visitor = raw()
    visitor.handshake()
    assert visitor.sub("stream-notify-room", event, {"token": token})["msg"] == "ready"

    result, _ = visitor.call(
        "stream-notify-room", event, "guest", ["user-typing"], {"token": token}
    )
    assert set(result) == {"msg", "id"}  # void
    changed = desk.expect(msg="changed")
    assert changed["fields"] == {
        "eventName": event,
        "args": ["guest", ["user-typing"], {"token": token}],
    }
    assert visitor.quiet() == []  # no echo of one's own typing

    result, _ = visitor.call(
        "stream-notify-room", event, "guest", ["user-typing"], {"token": "bad"}
    )
    assert "error" not in result
    assert desk.quiet() == []  # silently dropped

    result, _ = desk.call("stream-notify-room", event, agent.username, [], {})
    typing = visitor.expect(msg="changed")
    assert typing["fields"]["args"] == [agent.username, [], {}]


def test_deprecated_typing_event_and_user_activity_both_ways(
    livechat_server: LivechatTestServer, raw: Callable[[], Raw], agent: Agent
) -> None:
    """The 7.x widget types on ``<rid>/typing``: each event is re-emitted as the other."""
    token, rid = visitor_room(livechat_server)
    typing, activity = f"{rid}/typing", f"{rid}/user-activity"
    desk = raw()
    desk.handshake()
    desk.call("login", {"resume": agent.auth_token})
    visitor = raw()
    visitor.handshake()
    for event in (typing, activity):
        assert desk.sub("stream-notify-room", event)["msg"] == "ready"
        assert visitor.sub("stream-notify-room", event, {"token": token})["msg"] == "ready"

    visitor.call("stream-notify-room", typing, "guest", True, {"token": token})
    first, second = desk.expect(msg="changed"), desk.expect(msg="changed")
    assert first["fields"] == {
        "eventName": activity,
        "args": ["guest", ["user-typing"], {"token": token}],
    }
    assert second["fields"] == {"eventName": typing, "args": ["guest", True, {"token": token}]}
    assert visitor.quiet() == []  # neither comes back to the widget

    desk.call("stream-notify-room", activity, agent.username, ["user-typing"], {})
    shown = visitor.expect(msg="changed")
    assert shown["fields"] == {"eventName": typing, "args": [agent.username, True]}
    assert visitor.expect(msg="changed")["fields"]["eventName"] == activity
    desk.call("stream-notify-room", activity, agent.username, [], {})
    assert visitor.expect(msg="changed")["fields"]["args"] == [agent.username, False]
    visitor.expect(msg="changed")
    desk.call("stream-notify-room", activity, agent.username, ["user-recording"], {})
    (only,) = visitor.quiet()
    assert only["fields"]["eventName"] == activity  # not typing: no ``typing`` event

    visitor.call("stream-notify-room", typing, "guest", True, {"token": "bad"})
    assert desk.quiet() == []


def test_login_presence_and_agent_methods(
    livechat_server: LivechatTestServer, raw: Callable[[], Raw], agent: Agent
) -> None:
    room, user = (
        partial(stored, livechat_server, "rooms"),
        partial(stored, livechat_server, "users"),
    )
    token, rid = visitor_room(livechat_server)  # served by the agent (Auto_Selection)
    assert room(rid)["servedBy"]["_id"] == agent.user_id
    livechat_server.http.post(
        "/api/v1/users.setStatus", json={"status": "offline"}, headers=agent.headers
    )

    visitor = raw()
    visitor.handshake()
    both = {"token": token, "visitorToken": token}
    assert visitor.sub("stream-livechat-room", rid, both)["msg"] == "ready"

    desk = raw()
    desk.handshake()
    result, _ = desk.call("login", {"resume": "nope"})
    assert result["error"] == {
        "isClientSafe": True,
        "error": 403,
        "reason": "You've been logged out by the server. Please log in again.",
        "message": "You've been logged out by the server. Please log in again. [403]",
        "errorType": "Meteor.Error",
    }
    anonymous, _ = desk.call("sendMessage", {"rid": rid, "msg": "x"})
    assert anonymous["error"]["error"] == "error-invalid-user"

    result, _ = desk.call("login", {"resume": agent.auth_token})
    login = result["result"]
    assert (login["id"], login["token"], login["type"]) == (
        agent.user_id,
        agent.auth_token,
        "resume",
    )
    assert set(login["tokenExpires"]) == {"$date"}
    assert user(agent.user_id)["status"] == "online"
    status = visitor.expect(msg="changed")
    assert status["fields"]["args"] == [{"type": "agentStatus", "status": "online"}]

    second = raw()  # a second session of the same agent
    second.handshake()
    second.call("login", {"user": {"username": agent.username}, "password": agent.password})
    result, _ = second.call(
        "sendMessage", {"_id": "ddpmsg" + secrets.token_hex(4), "rid": rid, "msg": "via ddp"}
    )
    assert result["result"]["msg"] == "via ddp" and "$date" in result["result"]["ts"]
    assert second.sub("stream-livechat-inquiry-queue-observer", "public")["msg"] == "ready"
    assert second.sub("stream-notify-user", f"{agent.user_id}/rooms-changed")["msg"] == "ready"

    second.ws.close()
    logins = ddp._LOGINS[livechat_server.server.state]
    deadline = time.monotonic() + 3
    while logins[agent.user_id] != 1:  # until the server ended the second session
        assert time.monotonic() < deadline, "the closed session still counts as a login"
        time.sleep(0.02)
    assert user(agent.user_id)["status"] == "online"  # one session is left
    desk.ws.close()
    status = visitor.expect(msg="changed")
    assert status["fields"]["args"] == [{"type": "agentStatus", "status": "offline"}]
    assert user(agent.user_id)["status"] == "offline"


def test_visitor_connection_close_marks_its_rooms_offline(
    livechat_server: LivechatTestServer, raw: Callable[[], Raw], agent: Agent
) -> None:
    room = partial(stored, livechat_server, "rooms")
    token, rid = visitor_room(livechat_server)
    client = raw()
    client.handshake()
    bad, _ = client.call("livechat:setUpConnection", {"nope": 1})
    assert bad["error"]["error"] == 400 and bad["error"]["reason"] == "Match failed"
    result, _ = client.call("livechat:setUpConnection", {"token": token})
    assert set(result) == {"msg", "id"}
    assert room(rid)["v"]["status"] == "online"
    client.ws.close()
    deadline = time.monotonic() + 3
    while room(rid)["v"]["status"] != "offline":
        assert time.monotonic() < deadline, "the room's visitor never went offline"
        time.sleep(0.02)
