"""Omnichannel CRM webhooks emitted by the embedded server (reference §1, Rocket.Chat 8.x).

A real receiver on 127.0.0.1 (``_support.webhook_receiver``) records every POST; tests wait on
what it recorded, with a deadline.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any

import httpx2
import pytest
from _server_helpers import error, new_chat, new_token, register

from _support.webhook_receiver import Received, WebhookReceiver, wait_until
from rocketchat_livechat.server import EmbeddedServer
from rocketchat_livechat.server.services import webhooks as webhook_service
from rocketchat_livechat.server.settings import DEFAULTS
from rocketchat_livechat.server.webhooks import WebhookDelivery
from rocketchat_livechat.testing.plugin import Agent, LivechatTestServer

pytestmark = pytest.mark.e2e

ALL_GATES = (
    "Livechat_webhook_on_start",
    "Livechat_webhook_on_close",
    "Livechat_webhook_on_chat_taken",
    "Livechat_webhook_on_chat_queued",
    "Livechat_webhook_on_forward",
    "Livechat_webhook_on_offline_msg",
    "Livechat_webhook_on_visitor_message",
    "Livechat_webhook_on_agent_message",
    "Livechat_webhook_on_capture",
)


@pytest.fixture
def receiver(
    livechat_server: LivechatTestServer, livechat_embedded_server: EmbeddedServer
) -> Iterator[WebhookReceiver]:
    """A receiver set as ``Livechat_webhookUrl``; attempts 0.1 s apart instead of 20 s.

    Every webhook setting starts at its default (other tests may have saved some directly).
    """
    for name in (*ALL_GATES, "Livechat_secret_token", "Livechat_http_timeout"):
        livechat_server.set_setting(name, DEFAULTS[name])
    delivery = livechat_embedded_server.state.webhooks
    loop = delivery._loop
    assert loop is not None
    # earlier tests' retries read the URL when they fire: they must not reach this receiver
    asyncio.run_coroutine_threadsafe(_clear(delivery), loop).result(5)
    saved = delivery.retry_delay
    delivery.retry_delay = 0.1
    with WebhookReceiver() as hook:
        livechat_server.set_setting("Livechat_webhookUrl", hook.url)
        yield hook
    delivery.retry_delay = saved


async def _clear(delivery: WebhookDelivery) -> None:
    delivery.clear()


def gates(livechat_server: LivechatTestServer, *names: str) -> None:
    for name in names:
        livechat_server.set_setting(name, True)


def of_room(rid: str, type_: str) -> Any:
    def match(r: Received) -> bool:
        body = r.body
        return bool(body.get("_id") == rid and body.get("type") == type_)

    return match


def one(receiver: WebhookReceiver, rid: str, type_: str) -> dict[str, Any]:
    body: dict[str, Any] = receiver.wait_for(of_room(rid, type_))[0].body
    return body


def visitor_doc(state: Any, token: str) -> dict[str, Any]:
    visitor: dict[str, Any] = state.store.visitors.find_one({"token": token})
    return visitor


def test_session_start_queued_taken_payloads(
    http: httpx2.Client,
    livechat_server: LivechatTestServer,
    receiver: WebhookReceiver,
    livechat_embedded_server: EmbeddedServer,
) -> None:
    gates(livechat_server, *ALL_GATES)
    livechat_server.set_setting("Livechat_secret_token", "s3cret")
    livechat_server.set_routing("Manual_Selection")
    agent = livechat_server.create_agent()
    token = new_token()
    visitor = register(http, token, name="Maria", email="maria@example.com", phone="5531999")
    room = http.get("livechat/room", params={"token": token}).json()["room"]
    rid = room["_id"]
    start = one(receiver, rid, "LivechatSessionStart")
    expected_visitor = {
        "_id": visitor["_id"],
        "token": token,
        "name": "Maria",
        "username": visitor["username"],
        "email": [{"address": "maria@example.com"}],
        "phone": [{"phoneNumber": "5531999"}],
    }
    stored = visitor_doc(livechat_embedded_server.state, token)
    if "livechatData" in stored:
        expected_visitor["customFields"] = stored["livechatData"]
    assert start == {
        "_id": rid,
        "label": "Maria",
        "createdAt": room["ts"],
        "lastMessageAt": room["lm"],
        "visitor": expected_visitor,
        "type": "LivechatSessionStart",
        "messages": [],
    }
    queued = one(receiver, rid, "LivechatSessionQueued")
    assert queued == {**start, "type": "LivechatSessionQueued"}  # livechat-started filtered
    request = receiver.wait_for(of_room(rid, "LivechatSessionStart"))[0]
    assert request.header("X-RocketChat-Livechat-Token") == "s3cret"
    assert request.header("content-type") == "application/json"

    http.post("livechat/message", json={"token": token, "rid": rid, "msg": "oi"})
    livechat_server.take(agent, rid)
    taken = one(receiver, rid, "LivechatSessionTaken")
    served = livechat_embedded_server.state.store.rooms.get(rid)["servedBy"]
    assert taken["agent"] == {
        "_id": agent.user_id,
        "username": agent.username,
        "name": agent.username.title(),
        "email": f"{agent.username}@example.com",
    }
    assert taken["servedBy"]["_id"] == agent.user_id == served["_id"]
    assert set(taken["servedBy"]) == {"_id", "username", "ts"}
    assert "departmentId" not in taken
    [item] = taken["messages"]  # the visitor's message; uj/command/livechat-started filtered
    assert item["msg"] == "oi" and item["username"] == visitor["username"]
    assert "agentId" not in item and item["rid"] == rid
    assert item["u"]["_id"] == visitor["_id"] and "_updatedAt" in item and "ts" in item


def test_message_events_visitor_agent_file_edit(
    http: httpx2.Client, livechat_server: LivechatTestServer, receiver: WebhookReceiver
) -> None:
    gates(
        livechat_server, "Livechat_webhook_on_visitor_message", "Livechat_webhook_on_agent_message"
    )
    agent = livechat_server.create_agent()
    token, room = new_chat(http, name="Ana")
    rid = room["_id"]
    sent = http.post("livechat/message", json={"token": token, "rid": rid, "msg": "hello"})
    message = sent.json()["message"]
    visitor_event = one(receiver, rid, "Message")
    [item] = visitor_event["messages"]
    assert item["_id"] == message["_id"] and item["msg"] == "hello"
    assert "agentId" not in item and "closingMessage" not in item
    assert set(visitor_event) >= {"_id", "label", "createdAt", "visitor", "type", "messages"}
    assert "servedBy" not in visitor_event  # Message adds no extra fields
    assert visitor_event["agent"]["_id"] == agent.user_id

    reply = livechat_server.agent_send(agent, rid, "hi there")
    agent_event = receiver.wait_for(of_room(rid, "Message"), count=2)[1].body
    [item] = agent_event["messages"]
    assert item["_id"] == reply["_id"] and item["agentId"] == agent.user_id
    assert item["username"] == agent.username

    edited = http.put(
        f"livechat/message/{message['_id']}", json={"token": token, "rid": rid, "msg": "hello!"}
    )
    assert edited.status_code == 200, edited.text
    edit_event = receiver.wait_for(of_room(rid, "Message"), count=3)[2].body
    [item] = edit_event["messages"]
    assert item["msg"] == "hello!" and "editedAt" in item and "agentId" not in item

    upload = http.post(
        f"livechat/upload/{rid}",
        headers={"x-visitor-token": token},
        files={"file": ("a.txt", b"data", "text/plain")},
    )
    assert upload.status_code == 200, upload.text
    file_event = receiver.wait_for(of_room(rid, "Message"), count=4)[3].body
    [item] = file_event["messages"]
    assert "msg" not in item  # no text, no blocks: JSON.stringify(undefined)
    assert item["file"]["_id"] == upload.json()["file"]["_id"]
    assert item["attachments"] and item["fileUpload"]["type"] == "text/plain"
    assert item["fileUpload"]["size"] == 4
    assert item["fileUpload"]["publicFilePath"].startswith(livechat_server.url)


def test_close_forward_edit_and_lead_capture(
    http: httpx2.Client, livechat_server: LivechatTestServer, receiver: WebhookReceiver
) -> None:
    gates(livechat_server, *ALL_GATES)
    first = livechat_server.create_agent()
    token, room = new_chat(http, name="Zé")
    rid = room["_id"]
    http.post("livechat/message", json={"token": token, "rid": rid, "msg": "call me"})
    lead = one(receiver, rid, "LeadCapture")
    assert lead["messages"] == [] and "departmentId" not in lead

    second = livechat_server.create_agent()
    forwarded = http.post(
        "livechat/room.forward",
        json={"roomId": rid, "userId": second.user_id},
        headers=first.headers,
    )
    assert forwarded.status_code == 200, forwarded.text
    event = one(receiver, rid, "LivechatSessionForwarded")
    assert event["servedBy"]["_id"] == second.user_id
    assert event["oldServedBy"]["_id"] == first.user_id and "oldDepartmentId" not in event
    assert event["agent"]["_id"] == second.user_id

    livechat_server.close_room(second, rid, "bye")
    closed = one(receiver, rid, "LivechatSession")
    assert closed["closer"] == "user"
    assert closed["closedBy"] == {"_id": second.user_id, "username": second.username}
    assert "closedAt" in closed and closed["servedBy"]["_id"] == second.user_id
    closing = [m for m in closed["messages"] if m.get("closingMessage")]
    assert len(closing) == 1 and closing[0]["msg"] == "bye"
    assert closing[0]["agentId"] == second.user_id
    assert [m["msg"] for m in closed["messages"]] == ["call me", "bye"]
    # the close message also passes the Message filter (agent gate: it has no token)
    agent_messages = [
        r.body["messages"][0] for r in receiver.wait_for(of_room(rid, "Message"), count=2)
    ]
    assert any(m.get("closingMessage") for m in agent_messages)

    saved = http.post(
        "livechat/room.saveInfo",
        json={"guestData": {"_id": room["v"]["_id"]}, "roomData": {"_id": rid, "topic": "t1"}},
        headers=second.headers,  # the agent who served the closed room
    )
    assert saved.status_code == 200, saved.text
    edit = one(receiver, rid, "LivechatEdit")
    assert edit["topic"] == "t1" and "servedBy" not in edit and "closer" not in edit


def test_forward_to_department_and_visitor_transfer(
    http: httpx2.Client, livechat_server: LivechatTestServer, receiver: WebhookReceiver
) -> None:
    gates(livechat_server, "Livechat_webhook_on_forward", "Livechat_webhook_on_chat_taken")
    first, second, third = (livechat_server.create_agent() for _ in range(3))
    sales = livechat_server.create_department(f"sales-{new_token()}", [first])
    support = livechat_server.create_department(f"support-{new_token()}", [second])
    billing = livechat_server.create_department(f"billing-{new_token()}", [third])
    token, room = new_chat(http, name="Dep", department=sales["_id"])
    rid = room["_id"]
    assert one(receiver, rid, "LivechatSessionTaken")["departmentId"] == sales["_id"]
    forwarded = http.post(
        "livechat/room.forward",
        json={"roomId": rid, "departmentId": support["_id"]},
        headers=first.headers,
    )
    assert forwarded.status_code == 200, forwarded.text
    event = one(receiver, rid, "LivechatSessionForwarded")
    assert event["departmentId"] == support["_id"] and event["oldDepartmentId"] == sales["_id"]
    assert "oldServedBy" not in event and event["servedBy"]["_id"] == second.user_id
    # delegateInquiry → takeInquiry: the new agent's take is a LivechatSessionTaken too
    taken = receiver.wait_for(of_room(rid, "LivechatSessionTaken"), count=2)[1].body
    assert taken["servedBy"]["_id"] == second.user_id

    moved = http.post(
        "livechat/visitor/department.transfer",
        json={"rid": rid, "token": token, "department": billing["_id"]},
    )
    assert moved.status_code == 200, moved.text
    by_visitor = receiver.wait_for(of_room(rid, "LivechatSessionForwarded"), count=2)[1].body
    assert by_visitor["oldDepartmentId"] == support["_id"]
    assert by_visitor["departmentId"] == billing["_id"]


def test_edit_on_open_room_and_gates_off(
    http: httpx2.Client, livechat_server: LivechatTestServer, receiver: WebhookReceiver
) -> None:
    agent = livechat_server.create_agent()
    token, room = new_chat(http, name="Gated")
    rid = room["_id"]
    http.post("livechat/message", json={"token": token, "rid": rid, "msg": "x"})
    saved = http.post(
        "livechat/room.saveInfo",
        json={"guestData": {"_id": room["v"]["_id"]}, "roomData": {"_id": rid, "topic": "t"}},
        headers=agent.headers,
    )
    assert saved.status_code == 200, saved.text
    livechat_server.agent_send(agent, rid, "y")
    # nothing is gated on: no event at all (LivechatEdit fires only for closed rooms)
    assert receiver.absent(lambda r: r.body.get("_id") == rid)
    livechat_server.set_setting("Livechat_webhook_on_agent_message", True)
    livechat_server.agent_send(agent, rid, "z")
    [event] = receiver.wait_for(lambda r: r.body.get("_id") == rid)
    assert event.body["type"] == "Message" and event.body["messages"][0]["msg"] == "z"


def test_no_token_header_without_secret(
    http: httpx2.Client, livechat_server: LivechatTestServer, receiver: WebhookReceiver
) -> None:
    gates(livechat_server, "Livechat_webhook_on_visitor_message")
    livechat_server.create_agent()
    token, room = new_chat(http)
    http.post("livechat/message", json={"token": token, "rid": room["_id"], "msg": "m"})
    request = receiver.wait_for(of_room(room["_id"], "Message"))[0]
    assert request.header("X-RocketChat-Livechat-Token") is None


def _message_requests(receiver: WebhookReceiver, rid: str) -> list[Received]:
    return [r for r in receiver.requests if r.body.get("_id") == rid]


def test_retries_on_5xx_then_success_and_crm_data(
    http: httpx2.Client,
    livechat_server: LivechatTestServer,
    receiver: WebhookReceiver,
    livechat_embedded_server: EmbeddedServer,
) -> None:
    gates(livechat_server, "Livechat_webhook_on_visitor_message")
    livechat_server.create_agent()
    token, room = new_chat(http)
    rid = room["_id"]
    receiver.script(500, 503, reply='{"conversation":"abc"}')
    receiver.reply = '{"conversation":"abc"}'
    http.post("livechat/message", json={"token": token, "rid": rid, "msg": "first"})
    attempts = receiver.wait_for(of_room(rid, "Message"), count=3)
    assert [a.status for a in attempts] == [500, 503, 200]
    assert attempts[0].raw == attempts[2].raw  # the identical body each time
    state = livechat_embedded_server.state
    wait_until(lambda: state.store.rooms.get(rid).get("crmData") == '{"conversation":"abc"}')
    assert receiver.absent(of_room(rid, "Message"), count=4, within=0.4)  # delivered once

    receiver.reply = ""
    http.post("livechat/message", json={"token": token, "rid": rid, "msg": "second"})
    second = receiver.wait_for(of_room(rid, "Message"), count=4)[3].body
    assert second["crmData"] == '{"conversation":"abc"}'  # the stored previous answer
    wait_until(lambda: state.store.rooms.get(rid).get("crmData") == "")  # overwritten
    http.post("livechat/message", json={"token": token, "rid": rid, "msg": "third"})
    third = receiver.wait_for(of_room(rid, "Message"), count=5)[4].body
    assert "crmData" not in third  # "" is falsy


def test_4xx_is_not_retried_429_is(
    http: httpx2.Client, livechat_server: LivechatTestServer, receiver: WebhookReceiver
) -> None:
    gates(livechat_server, "Livechat_webhook_on_visitor_message")
    livechat_server.create_agent()
    token, room = new_chat(http)
    rid = room["_id"]
    receiver.script(400)
    http.post("livechat/message", json={"token": token, "rid": rid, "msg": "a"})
    receiver.wait_for(of_room(rid, "Message"))
    assert receiver.absent(of_room(rid, "Message"), count=2, within=0.5)
    receiver.script(429, 201)  # 201 is no success either, and not retried
    http.post("livechat/message", json={"token": token, "rid": rid, "msg": "b"})
    statuses = [r.status for r in receiver.wait_for(of_room(rid, "Message"), count=3)]
    assert statuses == [400, 429, 201]
    assert receiver.absent(of_room(rid, "Message"), count=4, within=0.5)


def test_retries_stop_after_five_attempts(
    http: httpx2.Client, livechat_server: LivechatTestServer, receiver: WebhookReceiver
) -> None:
    gates(livechat_server, "Livechat_webhook_on_visitor_message")
    livechat_server.create_agent()
    token, room = new_chat(http)
    receiver.script(500, 500, 500, 500, 500, 500)
    http.post("livechat/message", json={"token": token, "rid": room["_id"], "msg": "a"})
    receiver.wait_for(of_room(room["_id"], "Message"), count=5)
    assert receiver.absent(of_room(room["_id"], "Message"), count=6, within=0.6)


def test_receiver_down_then_up(
    http: httpx2.Client,
    livechat_server: LivechatTestServer,
    livechat_embedded_server: EmbeddedServer,
) -> None:
    delivery = livechat_embedded_server.state.webhooks
    saved = delivery.retry_delay
    delivery.retry_delay = 0.3
    with WebhookReceiver(listen=False) as down:
        try:
            livechat_server.set_setting("Livechat_webhookUrl", down.url)
            gates(livechat_server, "Livechat_webhook_on_visitor_message")
            livechat_server.create_agent()
            token, room = new_chat(http)
            failures = delivery.stats["failure"]
            http.post("livechat/message", json={"token": token, "rid": room["_id"], "msg": "a"})
            wait_until(lambda: delivery.stats["failure"] > failures)  # refused at least once
            down.activate()
            [request] = down.wait_for(of_room(room["_id"], "Message"))
            assert request.body["messages"][0]["msg"] == "a"
        finally:
            delivery.retry_delay = saved


def test_offline_message_awaits_first_attempt(
    http: httpx2.Client, livechat_server: LivechatTestServer, receiver: WebhookReceiver
) -> None:
    gates(livechat_server, "Livechat_webhook_on_offline_msg")
    receiver.delay = 0.3  # the request is recorded once this answer is about to go out
    body = {"name": "Off", "email": "off@example.com", "message": "call me", "department": "d"}
    response = http.post("livechat/offline.message", json=body)
    assert response.status_code == 200, response.text
    [request] = receiver.of_type("LivechatOfflineMessage")  # already there: it was awaited
    payload = request.body
    assert set(payload) == {"type", "sentAt", "visitor", "message"}
    assert payload["visitor"] == {"name": "Off", "email": "off@example.com"}
    assert payload["message"] == "call me" and payload["sentAt"].endswith("Z")


def test_offline_message_survives_failing_or_hanging_receiver(
    http: httpx2.Client, livechat_server: LivechatTestServer, receiver: WebhookReceiver
) -> None:
    gates(livechat_server, "Livechat_webhook_on_offline_msg")
    receiver.script(500)
    body = {"name": "Off", "email": "off@example.com", "message": "m1"}
    assert http.post("livechat/offline.message", json=body).status_code == 200
    retried = receiver.wait_for(lambda r: r.body.get("message") == "m1", count=2)
    assert [r.status for r in retried] == [500, 200]  # retried in the background

    livechat_server.set_setting("Livechat_http_timeout", 300)
    receiver.delay = 3
    started = time.monotonic()
    body = {"name": "Off", "email": "off@example.com", "message": "m2"}
    assert http.post("livechat/offline.message", json=body).status_code == 200
    assert time.monotonic() - started < 2.5  # one timeout, not the receiver's 3 s
    receiver.delay = 0


def test_fire_and_forget_with_hanging_receiver(
    http: httpx2.Client,
    livechat_server: LivechatTestServer,
    receiver: WebhookReceiver,
    livechat_embedded_server: EmbeddedServer,
) -> None:
    gates(livechat_server, "Livechat_webhook_on_visitor_message")
    livechat_server.set_setting("Livechat_http_timeout", 500)
    livechat_server.create_agent()
    token, room = new_chat(http)
    delivery = livechat_embedded_server.state.webhooks
    failures = delivery.stats["failure"]
    receiver.delay = 2
    started = time.monotonic()
    sent = http.post("livechat/message", json={"token": token, "rid": room["_id"], "msg": "a"})
    assert sent.status_code == 200
    assert time.monotonic() - started < 1.5  # the response never waits for the receiver
    wait_until(lambda: delivery.stats["failure"] > failures)  # one timeout (0.5 s)
    receiver.delay = 0
    # the hanging attempt was abandoned after the timeout and retried
    receiver.wait_for(of_room(room["_id"], "Message"), count=2)


def test_failed_request_emits_no_webhook(
    http: httpx2.Client,
    livechat_server: LivechatTestServer,
    receiver: WebhookReceiver,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    gates(livechat_server, "Livechat_webhook_on_visitor_message")
    livechat_server.create_agent()
    token, room = new_chat(http)
    rid = room["_id"]

    def boom(*args: Any) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(webhook_service, "lead_capture", boom)  # runs after the Message event
    failed = http.post("livechat/message", json={"token": token, "rid": rid, "msg": "lost"})
    assert failed.status_code == 400 and failed.json()["error"] == "boom"
    monkeypatch.undo()
    http.post("livechat/message", json={"token": token, "rid": rid, "msg": "kept"})
    [request] = receiver.wait_for(of_room(rid, "Message"))
    assert request.body["messages"][0]["msg"] == "kept"
    assert [r.body["messages"][0]["msg"] for r in _message_requests(receiver, rid)] == ["kept"]


def test_webhook_test_endpoint(
    http: httpx2.Client,
    livechat_server: LivechatTestServer,
    receiver: WebhookReceiver,
    agent: Agent,
) -> None:
    admin = livechat_server.admin_headers
    response = http.post("livechat/webhook.test", headers=admin)
    assert response.status_code == 200 and response.json() == {"success": True}
    [request] = receiver.wait_for(lambda r: r.body.get("_id") == "fasd6f5a4sd6f8a4sdf")
    assert request.header("X-RocketChat-Livechat-Token") == ""  # sent even when empty
    assert request.header("accept") == "application/json"
    body = request.body
    assert body["type"] == "LivechatSession"
    assert body["visitor"]["email"] == "email@address.com"
    assert body["visitor"]["phone"] == "192873192873"
    assert "token" not in body["visitor"] and "crmData" not in body
    assert body["messages"][1]["agentId"] == "asdf89as6df8"

    receiver.script(400)
    assert error(http.post("livechat/webhook.test", headers=admin)) == {
        "success": False,
        "error": "error-invalid-webhook-response",
    }
    assert error(http.post("livechat/webhook.test", headers=agent.headers), 403)["success"] is False
    livechat_server.set_setting("Livechat_webhookUrl", "")
    assert error(http.post("livechat/webhook.test", headers=admin)) == {
        "success": False,
        "error": "Webhook_URL_not_set",
    }


def test_webhook_test_receiver_down(
    http: httpx2.Client, livechat_server: LivechatTestServer
) -> None:
    with WebhookReceiver(listen=False) as down:
        livechat_server.set_setting("Livechat_webhookUrl", down.url)
        response = http.post("livechat/webhook.test", headers=livechat_server.admin_headers)
    assert error(response)["error"] == "error-invalid-webhook-response"


def test_integration_settings_get_and_save(
    http: httpx2.Client, livechat_server: LivechatTestServer, agent: Agent
) -> None:
    admin = livechat_server.admin_headers
    for name in webhook_service.INTEGRATION_SETTINGS:  # from the defaults, restored after
        livechat_server.set_setting(name, DEFAULTS[name])
    listed = http.get("livechat/integrations.settings", headers=admin).json()
    assert listed["success"] is True
    by_id = {s["_id"]: s for s in listed["settings"]}
    assert list(by_id) == list(webhook_service.INTEGRATION_SETTINGS)
    assert by_id["Livechat_http_timeout"]["value"] == 5000
    assert by_id["Livechat_webhook_on_close"]["type"] == "boolean"
    assert error(http.get("livechat/integrations.settings", headers=agent.headers), 403)

    saved = http.post(
        "omnichannel/integrations",
        json={
            "LivechatWebhookUrl": "  http://127.0.0.1:9/hook  ",
            "LivechatSecretToken": " tok ",
            "LivechatWebhookOnClose": True,
        },
        headers=admin,
    )
    assert saved.json() == {"success": True}
    by_id = {
        s["_id"]: s["value"]
        for s in http.get("livechat/integrations.settings", headers=admin).json()["settings"]
    }
    assert by_id["Livechat_webhookUrl"] == "http://127.0.0.1:9/hook"
    assert by_id["Livechat_secret_token"] == "tok"
    assert by_id["Livechat_webhook_on_close"] is True
    assert by_id["Livechat_webhook_on_start"] is False  # absent keys untouched
    unknown = http.post(
        "omnichannel/integrations", json={"LivechatWebhook_url": "x"}, headers=admin
    )
    assert unknown.status_code == 400 and unknown.json()["errorType"] == "invalid-params"
    forbidden = http.post("omnichannel/integrations", json={}, headers=agent.headers)
    assert forbidden.status_code == 403
