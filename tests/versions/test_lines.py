"""The SDK and the embedded server on every emulated Rocket.Chat line (6.14, 7.10, 8.8, 9.0).

Each test runs once per line (``rc_line``): what every line does alike is asserted alike, and
where the lines differ (``server/versions.py``) the expectation is read from the same table
the server consults, so the test fails if the server stops following it.
"""

from __future__ import annotations

import asyncio
import json
import secrets

import httpx2
import pytest

from _support.webhook_receiver import Received, WebhookReceiver
from rocketchat_livechat import (
    AsyncLivechatClient,
    UnsupportedServerVersionError,
    new_visitor_token,
)
from rocketchat_livechat.realtime import MessageEvent, TypingEvent
from rocketchat_livechat.server import EmbeddedServer
from rocketchat_livechat.server.services import routing
from rocketchat_livechat.server.versions import ServerLine
from rocketchat_livechat.testing.plugin import Agent, LivechatTestServer

pytestmark = pytest.mark.e2e

NOT_FOUND = {"status": "error", "message": "API endpoint does not exist"}


async def _chat(client: AsyncLivechatClient, server: LivechatTestServer) -> tuple[str, str, Agent]:
    """A visitor whose new room is served by a new online agent: (token, rid, agent)."""
    agent = server.create_agent()
    token = new_visitor_token("rc-")
    await client.visitor.register_visitor(token, name="Vera")
    room = (await client.room.get_room(token)).room
    assert room.served_by is not None and room.served_by.id == agent.user_id
    return token, room.id, agent


def _major_minor(line: ServerLine) -> tuple[int, int]:
    return line.version


async def test_api_info_reports_the_line(
    rc_line: ServerLine, http: httpx2.Client, async_livechat_client: AsyncLivechatClient
) -> None:
    body = http.get("/api/info").json()
    assert body == {"version": rc_line.full_version, "success": True}
    assert (await async_livechat_client.server_version())[:2] == _major_minor(rc_line)


async def test_transfer_uses_the_lines_route(
    rc_line: ServerLine,
    livechat_server: LivechatTestServer,
    async_livechat_client: AsyncLivechatClient,
    http: httpx2.Client,
) -> None:
    token, rid, _ = await _chat(async_livechat_client, livechat_server)
    other = livechat_server.create_agent()
    department = livechat_server.create_department(f"rc-{secrets.token_hex(3)}", [other])
    room = await async_livechat_client.room.transfer_room(rid, token, department["_id"])
    old_route = rc_line.serves_route("POST", "livechat/room.transfer")
    assert (room is not None) is old_route  # room.transfer answers the room, 8.0+ only success
    moved = livechat_server._get("livechat/rooms", roomName="", count=100)["rooms"]
    assert next(r for r in moved if r["_id"] == rid)["departmentId"] == department["_id"]
    # the route the line lacks is unknown there, answered as any unknown route: 404, or 405
    # where another route's pattern matches the path (``livechat/visitor/:token``: GET, DELETE)
    body = {"rid": rid, "token": token, "department": department["_id"]}
    if old_route:
        refused = http.post("/api/v1/livechat/visitor/department.transfer", json=body)
        assert (refused.status_code, refused.json()) == (405, NOT_FOUND)
        assert refused.headers["allow"] == "DELETE, GET"
    else:
        refused = http.post("/api/v1/livechat/room.transfer", json=body)
        assert (refused.status_code, refused.json()) == (404, NOT_FOUND)


async def test_realtime_login_messages_and_typing(
    rc_line: ServerLine,
    livechat_server: LivechatTestServer,
    async_livechat_client: AsyncLivechatClient,
) -> None:
    client = async_livechat_client
    token, rid, agent = await _chat(client, livechat_server)
    async with (
        AsyncLivechatClient(
            livechat_server.url, user_id=agent.user_id, auth_token=agent.auth_token
        ) as agent_client,
        client.realtime.connect(token, rooms=[rid], ping_interval=0.5) as visitor,
        agent_client.realtime.connect_agent(username=agent.username) as desk,
    ):
        await _subscribed(visitor)
        await _subscribed(desk)
        livechat_server.agent_send(agent, rid, "hello from the desk")
        event = await _next(visitor, MessageEvent, lambda e: e.message.msg.startswith("hello"))
        assert event.message.u.username == agent.username
        await visitor.send_typing(rid, True, username="Vera")
        typing = await _next(desk, TypingEvent, lambda e: e.rid == rid)
        assert typing.typing and typing.username == "Vera"


async def _subscribed(stream: object) -> None:
    from rocketchat_livechat.realtime import ConnectionEvent

    await _next(stream, ConnectionEvent, lambda e: e.state == "connected")


async def _next(stream: object, kind: type, matches: object) -> object:
    async with asyncio.timeout(10):
        async for event in stream:  # type: ignore[attr-defined]
            if isinstance(event, kind) and matches(event):  # type: ignore[operator]
                return event
    raise AssertionError(f"no {kind.__name__}")


async def test_ddp_setup_connection_by_line(
    rc_line: ServerLine, livechat_server: LivechatTestServer
) -> None:
    import websockets

    url = livechat_server.url.replace("http://", "ws://") + "/websocket"
    async with websockets.connect(url) as ws:

        async def frame(kind: str) -> dict[str, object]:
            while True:  # skipping the ``server_id`` greeting and ``updated``
                received: dict[str, object] = json.loads(await ws.recv())
                if received.get("msg") == kind:
                    return received

        await ws.send(json.dumps({"msg": "connect", "version": "1", "support": ["1"]}))
        await frame("connected")
        call = {"msg": "method", "id": "1", "method": "livechat:setUpConnection"}
        await ws.send(json.dumps({**call, "params": [{"token": "t"}]}))
        result = await frame("result")
    if rc_line.serves_ddp_method("livechat:setUpConnection"):
        assert result == {"msg": "result", "id": "1"}
    else:
        assert result == {
            "msg": "result",
            "id": "1",
            "error": {
                "isClientSafe": True,
                "error": 404,
                "reason": "Method 'livechat:setUpConnection' not found",
                "message": "Method 'livechat:setUpConnection' not found [404]",
                "errorType": "Meteor.Error",
            },
        }


async def test_visitor_status(
    rc_line: ServerLine,
    livechat_server: LivechatTestServer,
    async_livechat_client: AsyncLivechatClient,
) -> None:
    token, _, _ = await _chat(async_livechat_client, livechat_server)
    changed = await async_livechat_client.visitor.set_visitor_status(token, "away")
    assert changed.status == "away"


async def test_uploads_and_file_urls(
    rc_line: ServerLine,
    livechat_server: LivechatTestServer,
    async_livechat_client: AsyncLivechatClient,
    http: httpx2.Client,
    tmp_path: object,
) -> None:
    client = async_livechat_client
    token, rid, _ = await _chat(client, livechat_server)
    message = await client.room.upload_file(rid, b"line bytes", token, filename="l.txt")
    link = message.attachments[0].title_link
    assert link is not None and link.startswith("/file-upload/")
    file_id = link.split("/")[2]
    access = {"rc_room_type": "l", "rc_rid": rid, "rc_token": token}
    assert http.get(link, params=access).content == b"line bytes"
    legacy = f"/ufs/FileSystem:Uploads/{file_id}/l.txt"
    answer = http.get(legacy, params=access)
    if rc_line.serves_path("/ufs"):
        assert (answer.status_code, answer.content) == (200, b"line bytes")
    else:
        assert (answer.status_code, answer.content) == (404, b"")
    # the SDK fetches a legacy link from /file-upload/, which every line serves
    import io

    sink = io.BytesIO()
    assert await client.messages.download_file(legacy, token, sink, rid=rid) == 10
    assert sink.getvalue() == b"line bytes"


async def test_visitors_info_token(
    rc_line: ServerLine,
    livechat_server: LivechatTestServer,
    async_livechat_client: AsyncLivechatClient,
    manager: AsyncLivechatClient,
) -> None:
    token = new_visitor_token("rc-")
    visitor = await async_livechat_client.visitor.register_visitor(token, name="Ina")
    info = await manager.visitors.get_info(visitor.id)
    assert info.id == visitor.id
    assert (info.token == token) is rc_line.has("visitors-info-token")
    if not rc_line.has("visitors-info-token"):
        assert info.token is None


async def test_one_open_room_per_token(
    rc_line: ServerLine,
    livechat_server: LivechatTestServer,
    async_livechat_client: AsyncLivechatClient,
) -> None:
    token, rid, _ = await _chat(async_livechat_client, livechat_server)
    state = livechat_server.server.state
    visitor = state.store.visitors.find_one({"token": token})
    assert visitor is not None
    second = await state.write(lambda: routing.create_room(state, visitor, source={"type": "api"}))
    open_rooms = state.store.rooms.find({"t": "l", "v.token": token, "open": True})
    if rc_line.has("one-open-room-per-token"):
        assert second["_id"] == rid and len(open_rooms) == 1
    else:
        assert second["_id"] != rid and len(open_rooms) == 2
    for room in open_rooms:
        if room["_id"] != rid:
            livechat_server._post("livechat/room.closeByUser", {"rid": room["_id"], "comment": "x"})


async def test_removed_routes_answer_404(rc_line: ServerLine, http: httpx2.Client) -> None:
    queued = http.get("/api/v1/livechat/inquiries.queued")
    upload = http.post("/api/v1/rooms.upload/r1")
    for response, route in (
        (queued, ("GET", "livechat/inquiries.queued")),
        (upload, ("POST", "rooms.upload/:rid")),
    ):
        if rc_line.serves_route(*route):
            assert response.status_code == 401  # there, and asking for a login
        else:
            assert (response.status_code, response.json()) == (404, NOT_FOUND)


async def test_rooms_delete_needs_a_newer_line(
    rc_line: ServerLine, manager: AsyncLivechatClient
) -> None:
    if rc_line.serves_route("POST", "livechat/rooms.delete"):
        with pytest.raises(Exception) as refused:
            await manager.room.delete_room("no-such-room")
        assert not isinstance(refused.value, UnsupportedServerVersionError)
    else:
        with pytest.raises(UnsupportedServerVersionError) as refused:
            await manager.room.delete_room("no-such-room")
        assert refused.value.version == rc_line.full_version
        assert refused.value.since == "7.12.0"
        assert "livechat/rooms.delete" in str(refused.value)


async def test_error_shapes_by_line(
    rc_line: ServerLine, livechat_server: LivechatTestServer, http: httpx2.Client
) -> None:
    unauthorized = http.get("/api/v1/livechat/rooms").json()
    message = "You must be logged in to do this."
    legacy = rc_line.variant("rest-401-body") == "6.14"
    expected = {"status": "error", "message": message}
    assert unauthorized == (
        expected if legacy else {"success": False, "error": message, **expected}
    )
    login = http.post(
        "/api/v1/login",
        json={"user": livechat_server.admin_username, "password": livechat_server.admin_password},
    ).json()
    assert ("success" in login) is rc_line.has("login-success-key")


async def test_query_and_fields_params(
    rc_line: ServerLine, livechat_server: LivechatTestServer, http: httpx2.Client
) -> None:
    answer = http.get(
        "/api/v1/livechat/rooms",
        params={"fields": '{"_id": 1}'},
        headers=livechat_server.admin_headers,
    )
    if rc_line.has("query-fields-params"):
        assert answer.status_code == 200
    else:
        assert answer.status_code == 400
        assert answer.json()["errorType"] == "invalid-params"


async def test_webhook_retry_policy(rc_line: ServerLine) -> None:
    """A 404 from the receiver: retried before 7.11 (any non-200), final from 7.11.

    A server of its own: the shared one's webhook queue carries other tests' retries.
    """
    settings = {"Livechat_webhook_on_visitor_message": True}
    with (
        WebhookReceiver() as receiver,
        EmbeddedServer(
            rate_limit=False,
            rc_version=rc_line.name,
            webhook_retry_delay=0.05,
            settings={**settings, "Livechat_webhookUrl": receiver.url},
        ) as server,
        httpx2.Client(base_url=server.url, timeout=30) as http,
    ):
        login = http.post(
            "/api/v1/login", json={"user": server.admin_username, "password": server.admin_password}
        ).json()["data"]
        admin = {"X-User-Id": login["userId"], "X-Auth-Token": login["authToken"]}
        helper = LivechatTestServer(server, http, admin)
        async with AsyncLivechatClient(server.url) as client:
            token, rid, _ = await _chat(client, helper)
            receiver.script(404, 404)
            await client.messages.send_message(token, rid, "hook me")

            def ours(r: Received) -> bool:
                return bool(r.body.get("type") == "Message" and r.body.get("_id") == rid)

            delivery = server.state.webhooks
            if rc_line.variant("webhook-retry-policy") == "any-non-200":
                posted = receiver.wait_for(ours, count=3)
                assert [r.status for r in posted] == [404, 404, 200]
            else:
                posted = receiver.wait_for(ours)
                await _until(lambda: delivery.stats["failure"] >= 1)
                assert [r.status for r in posted] == [404]
                assert not delivery._timers  # no retry scheduled: dropped


async def _until(condition: object, timeout: float = 10.0) -> None:
    async with asyncio.timeout(timeout):
        while not condition():  # type: ignore[operator]
            await asyncio.sleep(0.01)
