"""Webhook delivery: a visitor's message → the receiver's handler runs, p50/p99.

The embedded server posts its ``Message`` webhook (``Livechat_webhook_on_visitor_message``) to
a receiver served by uvicorn in the visitor's own process (one clock for both ends). Ours is the
SDK's ``WebhookReceiver`` (token check, typed event, dedupe, per-room ordering); its peer is the
hand-written ASGI endpoint an integrator would start with (token compare, ``json.loads``, 200).
The visitor sends one message at a time; each figure is the time from just before the send to
the handler seeing that message.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from typing import Any

import _util
import uvicorn
from _util import Outcome, Row

from rocketchat_livechat import AsyncLivechatClient
from rocketchat_livechat.webhooks import WebhookReceiver
from rocketchat_livechat.webhooks.events import MessageEvent

SECRET = "bench-webhook-secret"
OURS = "ours (WebhookReceiver)"
PEER = "hand-written ASGI endpoint (json.loads)"
Arrivals = dict[str, float]  # message text -> perf_counter when the handler saw it
Scope = Mapping[str, Any]
Receive = Callable[[], Awaitable[Mapping[str, Any]]]
Send = Callable[[Mapping[str, Any]], Awaitable[None]]


def ours_app(arrivals: Arrivals) -> Any:
    receiver = WebhookReceiver(SECRET)

    @receiver.on_message
    async def seen(event: MessageEvent) -> None:
        for message in event.messages:
            arrivals[message.msg or ""] = time.perf_counter()

    return receiver


def peer_app(arrivals: Arrivals) -> Any:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        body = b""
        while True:
            part = await receive()
            body += part.get("body", b"")
            if not part.get("more_body"):
                break
        headers = dict(scope["headers"])
        ok = secrets.compare_digest(
            headers.get(b"x-rocketchat-livechat-token", b""), SECRET.encode()
        )
        await send({"type": "http.response.start", "status": 200 if ok else 401, "headers": []})
        await send({"type": "http.response.body", "body": b""})
        if ok:
            for message in json.loads(body).get("messages") or ():
                arrivals[message.get("msg") or ""] = time.perf_counter()

    return app


@contextlib.asynccontextmanager
async def serving(app: Any) -> AsyncIterator[str]:
    port = _util.free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}/hook"
    finally:
        server.should_exit = True
        await task


async def _deliveries(url: str, app: Callable[[Arrivals], Any], messages: int) -> list[float]:
    arrivals: Arrivals = {}
    async with serving(app(arrivals)) as hook, AsyncLivechatClient(url) as client:
        await client.login(_util.ADMIN_USER, _util.ADMIN_PASSWORD)
        await client.config.save_integration_settings(
            webhook_url=hook, secret_token=SECRET, on_visitor_message=True
        )
        token = f"bench-hook-{secrets.token_hex(6)}"
        await client.visitor.register_visitor(token, name="Bench")
        rid = (await client.room.get_room(token)).room.id
        latencies: list[float] = []
        for n in range(messages + 5):  # the first 5 warm up
            text = f"hook {n} {token}"
            started = time.perf_counter()
            await client.messages.send_message(token, rid, text)
            deadline = started + 10
            while text not in arrivals and time.perf_counter() < deadline:
                await asyncio.sleep(0.0005)
            if text not in arrivals:
                raise RuntimeError(f"the webhook of message {n} did not arrive within 10 s")
            if n >= 5:
                latencies.append(arrivals[text] - started)
        return latencies


def _measure(quick: bool) -> dict[str, dict[str, float]]:
    messages = 30 if quick else 300
    with _util.embedded_server() as url:
        results: dict[str, list[float]] = {OURS: [], PEER: []}
        for rep in range(2):  # alternating, each half the messages
            order = [(OURS, ours_app), (PEER, peer_app)]
            for name, app in order if rep == 0 else order[::-1]:
                results[name] += asyncio.run(_deliveries(url, app, messages // 2))
    return {
        name: {
            "messages": len(times),
            "p50_ms": _util.percentile(times, 50) * 1000,
            "p99_ms": _util.percentile(times, 99) * 1000,
        }
        for name, times in results.items()
    }


def run(quick: bool) -> Outcome:
    """300 messages to each receiver (quick: 30), alternating halves."""
    figures = _util.in_child(_measure, quick)
    ours, peer = figures[OURS], figures[PEER]
    rows = [
        Row("webhook", f"visitor message → {OURS}, {q}", ours[key], "ms", PEER, peer[key])
        for q, key in (("p50", "p50_ms"), ("p99", "p99_ms"))
    ]
    table = [
        {"receiver": name, **{k: round(v, 2) for k, v in f.items()}} for name, f in figures.items()
    ]
    return Outcome(rows, {"webhook delivery, visitor message → handler": table})
