"""WebhookReceiver's framework-free core: handle() / handle_sync(), dedupe, order per room."""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from typing import Any

import _webhook_payloads as p
import pytest

from rocketchat_livechat import InvalidArgumentError
from rocketchat_livechat.webhooks import (
    LivechatSessionEvent,
    MessageEvent,
    UnknownWebhookEvent,
    WebhookReceiver,
)

SECRET = "receiver-secret-9f8e7d"
HEADERS = {"X-RocketChat-Livechat-Token": SECRET, "Content-Type": "application/json"}


def body(data: dict[str, Any]) -> bytes:
    return json.dumps(data).encode()


async def test_handle_answers_200_and_runs_typed_handlers_after() -> None:
    receiver = WebhookReceiver(secret=SECRET)
    seen: list[Any] = []

    @receiver.on_message
    async def on_message(event: MessageEvent) -> None:
        seen.append(("message", event.message.id))

    @receiver.on("LivechatSession")
    def on_close(event: LivechatSessionEvent) -> None:  # sync: runs in a thread
        seen.append(("closed", threading.current_thread() is threading.main_thread()))

    @receiver.on()
    async def every(event: Any) -> None:
        seen.append(("any", event.type))

    answer = await receiver.handle(body(p.message_event()), HEADERS)
    assert (answer.status, answer.body, answer.duplicate) == (200, b"", False)
    assert seen == []  # nothing ran before the answer
    await receiver.handle(body(p.session_closed()), HEADERS)
    await receiver.join()
    assert seen == [
        ("message", "msg1"),
        ("any", "Message"),
        ("closed", False),
        ("any", "LivechatSession"),
    ]


async def test_refusals_do_not_run_handlers() -> None:
    receiver = WebhookReceiver(secret=SECRET, max_body_size=100_000)
    ran: list[Any] = []
    receiver.add_handler(ran.append)
    missing = await receiver.handle(body(p.message_event()), {})
    wrong = await receiver.handle(body(p.message_event()), {"x-rocketchat-livechat-token": "x"})
    invalid = await receiver.handle(b"[]", HEADERS)
    large = await receiver.handle(b" " * 100_001, HEADERS)
    await receiver.join()
    assert [a.status for a in (missing, wrong, invalid, large)] == [401, 403, 400, 413]
    assert json.loads(wrong.body) == {
        "success": False,
        "error": "webhook-token-invalid",
        "message": "webhook refused: the X-RocketChat-Livechat-Token header does not match"
        " the secret",
    }
    assert ran == []


async def test_a_redelivery_is_answered_200_and_not_handled_again() -> None:
    receiver = WebhookReceiver(secret=SECRET)
    ran: list[Any] = []
    receiver.add_handler(ran.append, "Message")
    first = await receiver.handle(body(p.message_event()), HEADERS)
    again = await receiver.handle(body(p.message_event()), HEADERS)
    edited = p.message_event(
        p.visitor_message(editedAt="2026-01-01T10:01:00Z", _updatedAt="2026-01-01T10:01:00Z")
    )
    edit = await receiver.handle(body(edited), HEADERS)
    await receiver.join()
    assert (first.duplicate, again.duplicate, edit.duplicate) == (False, True, False)
    assert again.status == 200
    assert [e.message.edited for e in ran] == [False, True]


async def test_distinct_events_sharing_type_room_and_messages_are_not_dropped() -> None:
    receiver = WebhookReceiver(secret=None)
    ran: list[Any] = []
    receiver.add_handler(ran.append)
    capture = p.lead_capture()
    await receiver.handle(body(capture), {})
    capture["lastMessageAt"] = "2026-01-01T10:09:00.000Z"  # the next visitor message's capture
    await receiver.handle(body(capture), {})
    await receiver.join()
    assert len(ran) == 2


async def test_dedupe_memory_is_bounded() -> None:
    receiver = WebhookReceiver(secret=None, dedupe_size=2)
    ran: list[Any] = []
    receiver.add_handler(ran.append)
    bodies = [body(p.message_event(p.visitor_message(f"m{i}"))) for i in range(3)]
    for b in bodies:
        await receiver.handle(b, {})
    assert len(receiver._seen) == 2
    await receiver.handle(bodies[0], {})  # forgotten: handled again
    await receiver.handle(bodies[2], {})  # remembered
    await receiver.join()
    assert [e.message.id for e in ran] == ["m0", "m1", "m2", "m0"]
    off = WebhookReceiver(secret=None, dedupe_size=0)
    assert not (await off.handle(bodies[0], {})).duplicate
    assert not (await off.handle(bodies[0], {})).duplicate


async def test_handlers_run_in_order_per_room_and_concurrently_across_rooms() -> None:
    receiver = WebhookReceiver(secret=None)
    gate = asyncio.Event()
    other_room_ran = asyncio.Event()
    order: list[str] = []

    @receiver.on_message
    async def handler(event: MessageEvent) -> None:
        if event.message.id == "a1":
            await gate.wait()
        order.append(event.message.id)
        if event.room_id == "room2":
            other_room_ran.set()

    def in_room(rid: str, mid: str) -> bytes:
        data = p.message_event(p.visitor_message(mid))
        data["_id"] = rid
        return body(data)

    await receiver.handle(in_room("room1", "a1"), {})
    await receiver.handle(in_room("room1", "a2"), {})
    await receiver.handle(in_room("room2", "b1"), {})
    async with asyncio.timeout(5):
        await other_room_ran.wait()  # room2 is not held up by room1's slow handler
    assert order == ["b1"]
    gate.set()
    await receiver.join()
    assert order == ["b1", "a1", "a2"]


async def test_a_failing_handler_is_logged_and_the_next_ones_still_run(
    caplog: pytest.LogCaptureFixture,
) -> None:
    receiver = WebhookReceiver(secret=SECRET)
    ran: list[str] = []

    @receiver.on_message
    async def broken(event: MessageEvent) -> None:
        raise RuntimeError("boom")

    @receiver.on_message
    def works(event: MessageEvent) -> None:
        ran.append("works")

    with caplog.at_level(logging.DEBUG, logger="rocketchat_livechat.webhooks"):
        answer = await receiver.handle(body(p.message_event()), HEADERS)
        await receiver.handle(body(p.message_event()), HEADERS)  # a duplicate: logged at INFO
        await receiver.handle(body(p.message_event()), {"X-RocketChat-Livechat-Token": "bad-tok"})
        await receiver.join()
    assert answer.status == 200 and ran == ["works"]
    failures = [r for r in caplog.records if r.exc_info]
    assert len(failures) == 1 and "broken" in failures[0].getMessage()
    assert p.RID in failures[0].getMessage()
    text = caplog.text
    assert SECRET not in text and "bad-tok" not in text and p.VISITOR_TOKEN not in text


async def test_unknown_types_reach_on_unknown_and_catch_all() -> None:
    receiver = WebhookReceiver(secret=None)
    ran: list[Any] = []
    receiver.on_unknown(ran.append)
    await receiver.handle(body({"type": "LivechatSessionOnHold", "_id": "r"}), {})
    await receiver.join()
    assert len(ran) == 1 and isinstance(ran[0], UnknownWebhookEvent)


async def test_reply_becomes_the_answer_body() -> None:
    static = WebhookReceiver(secret=None, reply={"conversation": "abc"})
    answer = await static.handle(body(p.message_event()), {})
    assert answer.body == b'{"conversation":"abc"}'
    assert ("content-type", "application/json") in answer.headers
    dynamic = WebhookReceiver(secret=None, reply=lambda event: f"crm-{event.room_id}")
    answer = await dynamic.handle(body(p.message_event()), {})
    assert answer.body == f"crm-{p.RID}".encode()


def test_handle_sync_runs_handlers_on_a_background_loop() -> None:
    receiver = WebhookReceiver(secret=SECRET)
    release = threading.Event()
    done = threading.Event()
    threads: list[str] = []

    @receiver.on_message
    def handler(event: MessageEvent) -> None:
        release.wait(10)
        threads.append(threading.current_thread().name)
        done.set()

    try:
        answer = receiver.handle_sync(body(p.message_event()), HEADERS)
        assert answer.status == 200 and not done.is_set()  # answered while the handler waits
        release.set()
        assert done.wait(10)
        receiver.join_sync(10)
        assert threads and threads[0] != threading.main_thread().name
        assert receiver.handle_sync(b"{}", HEADERS).status == 400
    finally:
        receiver.close(10)


def test_options_are_checked_and_the_secret_is_not_in_the_repr() -> None:
    with pytest.raises(InvalidArgumentError) as info:
        WebhookReceiver(secret="")
    assert info.value.argument == "secret"
    with pytest.raises(InvalidArgumentError):
        WebhookReceiver(secret=None, dedupe_size=-1)
    receiver = WebhookReceiver(secret=SECRET)
    with pytest.raises(InvalidArgumentError):
        receiver.on("message")  # the type strings are Rocket.Chat's, case and all
    assert SECRET not in repr(receiver) and "***" in repr(receiver)
    assert repr(WebhookReceiver(secret=None)) == "WebhookReceiver(secret=None, handlers=0)"


async def test_the_guide_example_runs_as_written(capsys: pytest.CaptureFixture[str]) -> None:
    """The first block of "Receive webhooks" in docs/guides/bridges-and-webhooks.md."""
    import re
    from pathlib import Path

    guide = Path(__file__).resolve().parents[2] / "docs" / "guides" / "bridges-and-webhooks.md"
    section = guide.read_text().split("## Receive webhooks\n", 1)[1].split("\n## ", 1)[0]
    code = re.findall(r"```python\n(.*?)```", section, re.S)[0]
    namespace: dict[str, Any] = {}
    exec(compile(code.replace("the Livechat_secret_token", SECRET), "guide", "exec"), namespace)
    receiver: WebhookReceiver = namespace["receiver"]
    await receiver.handle(body(p.message_event(p.agent_message())), HEADERS)
    await receiver.handle(body(p.session_closed()), HEADERS)
    await receiver.join()
    assert namespace["relayed"] == [(p.VISITOR_TOKEN, "Olá, Maria!")]
    assert capsys.readouterr().out == f"closed: {p.RID} 4 messages\n"


async def test_after_handlers_answers_500_on_a_failure_and_handles_the_redelivery() -> None:
    receiver = WebhookReceiver(secret=SECRET, acknowledge="after-handlers")
    attempts: list[str] = []

    @receiver.on_message
    async def flaky(event: MessageEvent) -> None:
        attempts.append(event.type)
        if len(attempts) == 1:
            raise ConnectionError("the outside channel is down")

    failed = await receiver.handle(body(p.message_event()), HEADERS)
    retried = await receiver.handle(body(p.message_event()), HEADERS)
    again = await receiver.handle(body(p.message_event()), HEADERS)
    assert (failed.status, retried.status, again.status) == (500, 200, 200)
    assert (retried.duplicate, again.duplicate) == (False, True)
    assert attempts == ["Message", "Message"]  # ran by the time each answer came


def test_after_handlers_works_for_wsgi_apps_too() -> None:
    receiver = WebhookReceiver(secret=SECRET, acknowledge="after-handlers")
    ran: list[str] = []
    receiver.add_handler(lambda event: ran.append(event.type), "Message")
    try:
        answer = receiver.handle_sync(body(p.message_event()), HEADERS)
        assert answer.status == 200
        assert ran == ["Message"]
    finally:
        receiver.close()
    with pytest.raises(InvalidArgumentError):
        WebhookReceiver(secret=SECRET, acknowledge="later")  # type: ignore[arg-type]
