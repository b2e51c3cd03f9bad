"""WebhookReceiver as an ASGI app over real sockets: uvicorn on 127.0.0.1:0 in a thread, httpx2."""

from __future__ import annotations

import json
import logging
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import _webhook_payloads as p
import httpx2
import pytest

from rocketchat_livechat.webhooks import MessageEvent, WebhookReceiver

uvicorn = pytest.importorskip("uvicorn")

SECRET = "asgi-secret-4c3b2a1"
HEADERS = {"X-RocketChat-Livechat-Token": SECRET}


class Served:
    def __init__(self, app: Any) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        config = uvicorn.Config(app, log_level="warning", lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]})

    def __enter__(self) -> Served:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:  # a condition with a deadline, not a hopeful sleep
            assert self.thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.01)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.sock.close()


@pytest.fixture
def receiver() -> WebhookReceiver:
    return WebhookReceiver(secret=SECRET, max_body_size=64 * 1024, reply={"ok": True})


@pytest.fixture
def served(receiver: WebhookReceiver) -> Iterator[Served]:
    with Served(receiver) as served:
        yield served


def post(served: Served, data: Any, headers: dict[str, str] | None = None) -> httpx2.Response:
    content = data if isinstance(data, bytes) else json.dumps(data).encode()
    return httpx2.post(
        f"{served.url}/rocketchat/webhook",
        content=content,
        headers={"Content-Type": "application/json", **(HEADERS if headers is None else headers)},
        timeout=10,
    )


def test_200_at_once_then_the_handler_runs(receiver: WebhookReceiver, served: Served) -> None:
    started = threading.Event()
    release = threading.Event()
    done = threading.Event()
    got: list[MessageEvent] = []

    @receiver.on_message
    def handler(event: MessageEvent) -> None:
        started.set()
        release.wait(10)
        got.append(event)
        done.set()

    answer = post(served, p.message_event())
    assert answer.status_code == 200 and answer.json() == {"ok": True}  # becomes crmData
    assert not done.is_set()  # answered while the handler is still held
    release.set()
    assert done.wait(10) and started.is_set()
    assert got[0].message.text == "oi" and got[0].visitor.token == p.VISITOR_TOKEN


def test_a_redelivery_runs_the_handler_once(receiver: WebhookReceiver, served: Served) -> None:
    calls: list[str] = []
    second_done = threading.Event()

    @receiver.on()
    async def handler(event: Any) -> None:
        calls.append(event.type)
        if event.type == "LivechatSession":
            second_done.set()

    data = p.message_event()
    assert post(served, data).status_code == 200
    assert post(served, data).status_code == 200  # Rocket.Chat's retry: the identical body
    assert post(served, p.session_closed()).status_code == 200
    assert second_done.wait(10)  # events of one room run in order: the Message ones are done
    assert calls == ["Message", "LivechatSession"]


def test_refusals_are_4xx_so_rocket_chat_does_not_retry(
    receiver: WebhookReceiver, served: Served, caplog: pytest.LogCaptureFixture
) -> None:
    ran: list[Any] = []
    receiver.add_handler(ran.append)
    with caplog.at_level(logging.INFO):
        assert post(served, p.message_event(), headers={}).status_code == 401
        wrong = post(served, p.message_event(), headers={"X-RocketChat-Livechat-Token": "guess"})
        assert wrong.status_code == 403 and wrong.json()["error"] == "webhook-token-invalid"
        assert post(served, b"not json").status_code == 400
        assert post(served, b'{"no": "type"}').status_code == 400
        assert post(served, b"x" * (64 * 1024 + 1)).status_code == 413
        assert httpx2.get(f"{served.url}/rocketchat/webhook", timeout=10).status_code == 405
    assert ran == []
    assert SECRET not in caplog.text and "guess" not in caplog.text


def test_a_chunked_oversized_body_is_refused(served: Served) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(100):
            yield b"x" * 1024

    answer = httpx2.post(f"{served.url}/", content=chunks(), headers=HEADERS, timeout=10)
    assert answer.status_code == 413


def test_handler_exceptions_are_logged_and_the_server_keeps_answering(
    receiver: WebhookReceiver, served: Served, caplog: pytest.LogCaptureFixture
) -> None:
    done = threading.Event()

    @receiver.on_message
    def broken(event: MessageEvent) -> None:
        raise ValueError("handler bug")

    @receiver.on_session_closed
    def closing(event: Any) -> None:
        done.set()

    with caplog.at_level(logging.ERROR, logger="rocketchat_livechat.webhooks"):
        assert post(served, p.message_event()).status_code == 200
        assert post(served, p.session_closed()).status_code == 200
        assert done.wait(10)  # same room, so the failing Message handler ran before
    failure = next(r for r in caplog.records if r.exc_info)
    assert "broken" in failure.getMessage() and "Message" in failure.getMessage()
    assert SECRET not in caplog.text and p.VISITOR_TOKEN not in caplog.text


def test_shutdown_waits_for_scheduled_handlers(receiver: WebhookReceiver) -> None:
    done = threading.Event()

    @receiver.on_lead_capture
    async def handler(event: Any) -> None:
        done.set()

    with Served(receiver) as served:
        assert post(served, p.lead_capture()).status_code == 200
    assert done.is_set()  # lifespan shutdown joined the handlers
