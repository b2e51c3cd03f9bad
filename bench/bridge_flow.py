"""The bridge toolkit: inbound messages stored per second, and agent → contact latency.

Against the embedded server (one process each side). Inbound: 50 contacts deliver their
messages concurrently through ``LivechatBridge.deliver`` (derived ids, bookkeeping in SQLite);
its peer sends the same messages with the bare SDK (register, room, ``send_message``), no
bookkeeping. Agent → contact: the agent posts, Rocket.Chat's webhook reaches the bridge's
receiver, the bridge hands the message out; its peer is the visitor's realtime stream.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import socket
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import _util
import httpx2
import uvicorn
from _util import Outcome, Row

from rocketchat_livechat import AsyncLivechatClient
from rocketchat_livechat.bridge import AgentMessage, LivechatBridge
from rocketchat_livechat.realtime import MessageEvent

SECRET = "bench-bridge-secret-0123456789"
HOOK = "bench-hook"


@contextlib.asynccontextmanager
async def serving(app: Any) -> AsyncIterator[str]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:
        await asyncio.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        await task
        sock.close()


def _set(url: str, admin: dict[str, str], setting: str, value: Any) -> None:
    headers = {**admin, "X-2fa-Code": _util.ADMIN_PASSWORD, "X-2fa-Method": "password"}
    _util.rest(url, f"settings/{setting}", {"value": value}, headers)


async def _inbound_bridge(url: str, contacts: int, per_contact: int, folder: Path) -> float:
    async with AsyncLivechatClient(url) as client:
        bridge = LivechatBridge(
            client, channel="wa", secret=SECRET, store=f"sqlite:///{folder}/b.db"
        )
        people = [f"bench-{secrets.token_hex(4)}" for _ in range(contacts)]

        async def talk(person: str) -> None:
            for n in range(per_contact):
                await bridge.deliver(person, text=f"m{n}", external_id=f"{person}-{n}")

        started = time.perf_counter()
        await asyncio.gather(*(talk(p) for p in people))
        elapsed = time.perf_counter() - started
        bridge.close()
    return contacts * per_contact / elapsed


async def _inbound_bare(url: str, contacts: int, per_contact: int) -> float:
    async with AsyncLivechatClient(url) as client:

        async def talk() -> None:
            token = f"bench-bare-{secrets.token_hex(8)}"
            await client.visitor.register_visitor(token)
            rid = (await client.room.get_room(token)).room.id
            for n in range(per_contact):
                await client.messages.send_message(token, rid, f"m{n}")

        started = time.perf_counter()
        await asyncio.gather(*(talk() for _ in range(contacts)))
        return contacts * per_contact / (time.perf_counter() - started)


async def _latencies(
    url: str, agent: dict[str, str], rounds: int, folder: Path
) -> dict[str, list[float]]:
    """Agent posts → the bridge hands it out (webhook), and → the visitor's stream receives it."""
    admin = _util.login(url, _util.ADMIN_USER, _util.ADMIN_PASSWORD)
    async with AsyncLivechatClient(url) as client, httpx2.AsyncClient() as http:
        bridge = LivechatBridge(
            client, channel="wa", secret=SECRET, store=f"sqlite:///{folder}/l.db"
        )
        arrived: dict[str, float] = {}

        @bridge.on_agent_message
        async def send_out(contact: str, message: AgentMessage) -> None:
            arrived[message.text] = time.perf_counter()

        async with serving(bridge.webhook_receiver(HOOK)) as hook_url:
            for setting, value in (
                ("Livechat_webhookUrl", hook_url),
                ("Livechat_secret_token", HOOK),
                ("Livechat_webhook_on_agent_message", True),
            ):
                _set(url, admin, setting, value)
            await bridge.deliver("bench-contact", text="hello", external_id="hello")
            rid = bridge.store.room_of("bench-contact") or ""
            token = bridge.store.token_of("bench-contact") or ""
            webhook, realtime = [], []
            async with client.realtime.connect(token, rooms=[rid]) as stream:
                events = aiter(stream)
                for n in range(rounds):
                    text = f"reply {n}"
                    sent = time.perf_counter()
                    answer = await http.post(
                        f"{url}/api/v1/chat.sendMessage",
                        json={"message": {"rid": rid, "msg": text}},
                        headers=agent,
                    )
                    answer.raise_for_status()
                    while True:
                        event = await asyncio.wait_for(anext(events), 30)
                        if isinstance(event, MessageEvent) and event.message.msg == text:
                            realtime.append((time.perf_counter() - sent) * 1000)
                            break
                    while text not in arrived:
                        await asyncio.sleep(0.0005)
                    webhook.append((arrived[text] - sent) * 1000)
            _set(url, admin, "Livechat_webhookUrl", "")
        bridge.close()
    return {"webhook": webhook, "realtime": realtime}


def _rounds(quick: bool) -> dict[str, Any]:
    contacts, per_contact, rounds = (10, 5, 20) if quick else (50, 10, 100)
    with _util.embedded_server() as url, tempfile.TemporaryDirectory() as folder:
        agent = _util.login(url, "bench.agent", _util.AGENT_PASSWORD)
        ours = asyncio.run(_inbound_bridge(url, contacts, per_contact, Path(folder)))
        bare = asyncio.run(_inbound_bare(url, contacts, per_contact))
        latency = asyncio.run(_latencies(url, agent, rounds, Path(folder)))
    return {"bridge_per_s": ours, "bare_per_s": bare, **latency}


def run(quick: bool) -> Outcome:
    figures = _util.in_child(_rounds, quick)
    hook, live = figures["webhook"], figures["realtime"]
    name = "bridge"
    rows = [
        Row(
            name,
            "inbound messages stored per second",
            figures["bridge_per_s"],
            "msg/s",
            "bare SDK sends, no bookkeeping",
            figures["bare_per_s"],
            better="higher",
        ),
        Row(
            name,
            "agent → contact, p50",
            _util.percentile(hook, 50),
            "ms",
            "visitor realtime stream",
            _util.percentile(live, 50),
        ),
        Row(
            name,
            "agent → contact, p99",
            _util.percentile(hook, 99),
            "ms",
            "visitor realtime stream",
            _util.percentile(live, 99),
        ),
    ]
    return Outcome(rows)
