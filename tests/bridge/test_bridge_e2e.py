"""A fake outside channel with 200 contacts talks through one bridge to an agent on the
embedded server, with Rocket.Chat's webhooks on: each inbound message stored once, each agent
reply handed to the right contact once and in order, files both ways, closing, outages."""

from __future__ import annotations

import asyncio
import json
import secrets
import socket
import subprocess
import sys
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest

from _support.asgi import serving
from _support.faultproxy import FaultProxy
from rocketchat_livechat import AsyncLivechatClient
from rocketchat_livechat.bridge import AgentMessage, LivechatBridge
from rocketchat_livechat.server import EmbeddedServer
from rocketchat_livechat.testing.plugin import Agent, LivechatTestServer

pytestmark = pytest.mark.e2e

SECRET = "e2e-bridge-secret-0123456789"
HOOK_SECRET = "e2e-hook-secret"
#: Rocket.Chat spaces its 5 webhook attempts 4 × Livechat_http_timeout apart (20 s by default);
#: this server spaces them RETRY seconds apart so that a 10 s outage fits in the attempts.
RETRY = 3.0


@pytest.fixture(scope="module")
def rc() -> Iterator[LivechatTestServer]:
    """An embedded server of this module's own (its webhook settings are this module's)."""
    with (
        EmbeddedServer(rate_limit=False, webhook_retry_delay=RETRY) as embedded,
        httpx2.Client(base_url=embedded.url, timeout=30) as http,
    ):
        login = http.post(
            "/api/v1/login",
            json={"user": embedded.admin_username, "password": embedded.admin_password},
        ).json()["data"]
        headers = {"X-User-Id": login["userId"], "X-Auth-Token": login["authToken"]}
        server = LivechatTestServer(embedded, http, headers)
        yield server
        server.reset()


@pytest.fixture
def agent(rc: LivechatTestServer) -> Iterator[Agent]:
    """The one available agent of the test (routing gives it every new chat)."""
    made = rc.create_agent()
    yield made
    rc.set_available(made, False)


def use_webhooks(rc: LivechatTestServer, url: str) -> None:
    rc.set_setting("Livechat_webhookUrl", url)
    rc.set_setting("Livechat_secret_token", HOOK_SECRET)
    rc.set_setting("Livechat_webhook_on_agent_message", True)
    rc.set_setting("Livechat_webhook_on_close", True)


async def until(
    condition: Callable[[], Awaitable[Any] | Any], what: str, timeout: float = 60
) -> Any:
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while True:
        value = condition()
        value = await value if asyncio.iscoroutine(value) else value
        if value:
            return value
        assert loop.time() < end, f"timed out waiting for {what}"
        await asyncio.sleep(0.05)


class Channel:
    """The fake outside channel: what the bridge sent out, per contact."""

    def __init__(self) -> None:
        self.outbox: defaultdict[str, list[AgentMessage]] = defaultdict(list)

    def texts(self, contact: str) -> list[str]:
        return [m.text for m in self.outbox[contact]]


@pytest.fixture(params=["sqlite", "redis"])
async def bridged(
    rc: LivechatTestServer, tmp_path: Path, request: pytest.FixtureRequest
) -> AsyncIterator[tuple[LivechatBridge, Channel, FaultProxy]]:
    """A bridge (SQLite or Redis store) whose webhook receiver sits behind a fault proxy, with
    webhooks pointed at it."""
    if request.param == "redis":
        from rocketchat_livechat.bridge._redis import RedisStore

        store: Any = RedisStore(request.getfixturevalue("redis_url"), prefix=tmp_path.name)
    else:
        store = f"sqlite:///{tmp_path}/bridge.db"
    async with AsyncLivechatClient(rc.url) as client:
        bridge = LivechatBridge(client, channel="wa", secret=SECRET, store=store)
        channel = Channel()

        @bridge.on_agent_message
        async def send_out(contact: str, message: AgentMessage) -> None:
            channel.outbox[contact].append(message)

        async with serving(bridge.webhook_receiver(HOOK_SECRET)) as url:
            with FaultProxy(url) as proxy:
                use_webhooks(rc, proxy.url)
                yield bridge, channel, proxy
        bridge.close()


async def visitor_texts(bridge: LivechatBridge, contact: str) -> list[str]:
    rid, token = bridge.store.room_of(contact), bridge.store.token_of(contact)
    assert rid is not None and token is not None
    history = await bridge.client.messages.get_message_history(rid, token)
    return [m.msg or "" for m in reversed(history) if m.token and not m.is_system]


async def test_two_hundred_contacts_exactly_once_both_ways(
    rc: LivechatTestServer, agent: Agent, bridged: tuple[LivechatBridge, Channel, FaultProxy]
) -> None:
    bridge, channel, _ = bridged
    contacts = [f"+55{secrets.randbelow(10**10):010d}" for _ in range(200)]

    async def talk(contact: str) -> None:
        for n in range(3):
            for _ in range(2):  # the channel redelivers every message
                await bridge.deliver(contact, text=f"{contact}-{n}", external_id=f"{contact}-{n}")

    await asyncio.gather(*(talk(c) for c in contacts))
    for contact in contacts:
        assert await visitor_texts(bridge, contact) == [f"{contact}-{n}" for n in range(3)]
    for contact in contacts:
        rid = bridge.store.room_of(contact) or ""
        rc.agent_send(agent, rid, f"{contact}-r1")
        rc.agent_send(agent, rid, f"{contact}-r2")
    await until(
        lambda: all(len(channel.outbox[c]) >= 2 for c in contacts), "two replies per contact"
    )
    for contact in contacts:
        assert channel.texts(contact) == [f"{contact}-r1", f"{contact}-r2"]


async def test_files_both_ways(
    rc: LivechatTestServer,
    agent: Agent,
    bridged: tuple[LivechatBridge, Channel, FaultProxy],
    tmp_path: Path,
) -> None:
    bridge, channel, _ = bridged
    contact = f"+55{secrets.randbelow(10**10):010d}"
    photo = b"\x89PNG the contact's photo"
    sent = await bridge.deliver(contact, file=photo, external_id="img-1")
    assert sent is not None and sent.file is not None
    rid = bridge.store.room_of(contact) or ""
    async with AsyncLivechatClient(
        rc.url, user_id=agent.user_id, auth_token=agent.auth_token
    ) as as_agent:
        received = tmp_path / "from-contact.png"
        await as_agent.messages.download_agent_file(sent, received)
        assert received.read_bytes() == photo
        invoice = b"%PDF-1.4 the agent's invoice"
        await as_agent.messages.upload_agent_file(rid, invoice, filename="invoice.pdf")
    message = await until(lambda: channel.outbox[contact], "the agent's file")
    assert message[0].file_url
    await bridge.download(contact, message[0], tmp_path / "invoice.pdf")
    assert (tmp_path / "invoice.pdf").read_bytes() == invoice


async def test_a_closed_chat_reopens_when_the_contact_writes_again(
    rc: LivechatTestServer, agent: Agent, bridged: tuple[LivechatBridge, Channel, FaultProxy]
) -> None:
    bridge, _, _ = bridged
    contact = f"+55{secrets.randbelow(10**10):010d}"
    await bridge.deliver(contact, text="hello", external_id="c-1")
    first_room = bridge.store.room_of(contact)
    assert first_room is not None
    rc.close_room(agent, first_room)
    await until(lambda: bridge.store.room_of(contact) is None, "the close webhook")
    await bridge.deliver(contact, text="me again", external_id="c-2")
    assert bridge.store.room_of(contact) not in (None, first_room)
    assert await visitor_texts(bridge, contact) == ["me again"]


async def test_a_receiver_down_for_ten_seconds_misses_nothing(
    rc: LivechatTestServer, agent: Agent, bridged: tuple[LivechatBridge, Channel, FaultProxy]
) -> None:
    bridge, channel, proxy = bridged
    contact = f"+55{secrets.randbelow(10**10):010d}"
    await bridge.deliver(contact, text="anyone?", external_id="d-1")
    rid = bridge.store.room_of(contact) or ""
    proxy.refuse()  # the receiver is unreachable: connections are reset
    rc.agent_send(agent, rid, "we are here")
    await until(lambda: proxy.connections > 0, "Rocket.Chat's first attempt")
    await asyncio.sleep(10)  # the outage itself lasts 10 s (a duration under test, not a wait)
    proxy.heal()
    await until(lambda: channel.texts(contact) == ["we are here"], "the retried webhook", 30)


# --- worker processes, killed ------------------------------------------------------------------

WORKER = Path(__file__).with_name("_bridge_worker.py")
WORKER_SECRET = "worker-bridge-secret-0123456789"  # the workers' (_bridge_worker.py)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Worker:
    """A bridge worker process on a fixed port (so Rocket.Chat's webhook URL survives it)."""

    def __init__(self, rc_url: str, store: str, outbox: Path) -> None:
        self.args = [sys.executable, str(WORKER), rc_url, store, str(free_port()), str(outbox)]
        self.url = f"http://127.0.0.1:{self.args[4]}"
        self.process: subprocess.Popen[bytes] | None = None

    async def start(self) -> None:
        self.process = subprocess.Popen(self.args)
        async with httpx2.AsyncClient() as http:

            async def answers() -> bool:
                try:
                    return (await http.post(f"{self.url}/inbound")).status_code == 200
                except httpx2.TransportError:
                    assert self.process is not None and self.process.poll() is None
                    return False

            await until(answers, "the bridge worker to listen", 30)

    def kill(self) -> None:
        assert self.process is not None
        self.process.kill()  # SIGKILL: no clean-up of any kind
        self.process.wait(10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.kill()


async def send_until_accepted(
    http: httpx2.AsyncClient, worker: Worker, contact: str, n: int, accepted: list[str]
) -> None:
    """The outside channel: it sends again until the bridge says 200 (a redelivery)."""
    body = {"contact": contact, "text": f"{contact}-{n}", "external_id": f"{contact}-{n}"}
    loop = asyncio.get_running_loop()
    end = loop.time() + 60
    while True:
        try:
            if (await http.post(f"{worker.url}/inbound", json=body)).status_code == 200:
                accepted.append(body["external_id"])
                return
        except httpx2.TransportError:
            pass  # the worker is down: the channel retries
        assert loop.time() < end, f"{body} was never accepted"
        await asyncio.sleep(0.1)


@pytest.mark.parametrize("layout", ["sqlite, one worker", "redis, two workers"])
async def test_workers_killed_mid_stream_lose_and_double_nothing(
    rc: LivechatTestServer,
    agent: Agent,
    tmp_path: Path,
    layout: str,
    request: pytest.FixtureRequest,
) -> None:
    if layout.startswith("redis"):
        store = request.getfixturevalue("redis_url")
        workers = 2
    else:
        store, workers = f"sqlite:///{tmp_path}/bridge.db", 1
    outbox = tmp_path / "outbox.jsonl"
    pool = [Worker(rc.url, store, outbox) for _ in range(workers)]
    contacts = [f"+55{secrets.randbelow(10**10):010d}" for _ in range(20)]
    try:
        for worker in pool:
            await worker.start()
        hooked = pool[0]  # Rocket.Chat's webhook URL points at the first worker
        rc.set_setting("Livechat_webhookUrl", f"{hooked.url}/webhook")
        rc.set_setting("Livechat_secret_token", "worker-hook-secret")
        rc.set_setting("Livechat_webhook_on_agent_message", True)
        accepted: list[str] = []
        async with httpx2.AsyncClient(timeout=30) as http:

            async def talk(index: int, contact: str) -> None:
                worker = pool[index % workers]  # a contact sticks to one worker
                for n in range(5):
                    await send_until_accepted(http, worker, contact, n, accepted)

            talking = asyncio.gather(*(talk(i, c) for i, c in enumerate(contacts)))
            await until(lambda: len(accepted) >= 30, "some inbound traffic")
            hooked.kill()  # mid-stream, inbound requests in flight
            await hooked.start()
            await talking
            async with AsyncLivechatClient(rc.url) as client:
                rooms = await _rooms_by_contact(client, contacts)
                for contact in contacts:
                    assert await _visitor_texts(client, rooms[contact]) == [
                        f"{contact}-{n}" for n in range(5)
                    ]
            for contact in contacts:
                rid = rooms[contact][0]
                rc.agent_send(agent, rid, f"{contact}-r1")
            hooked.kill()  # while Rocket.Chat is sending the webhooks
            for contact in contacts:
                rc.agent_send(agent, rooms[contact][0], f"{contact}-r2")
            await hooked.start()
            await until(lambda: len(_outbox(outbox)) >= 2 * len(contacts), "every reply", 90)
        lines = _outbox(outbox)
        for contact in contacts:
            mine = [line["text"] for line in lines if line["contact"] == contact]
            assert mine == [f"{contact}-r1", f"{contact}-r2"]
        assert len(lines) == 2 * len(contacts)
    finally:
        for worker in pool:
            worker.stop()


def _outbox(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line]


async def _rooms_by_contact(
    client: AsyncLivechatClient, contacts: list[str]
) -> dict[str, tuple[str, str]]:
    """Each contact's open room and visitor token (the token derived as the workers derive it)."""
    identity = LivechatBridge(client, channel="wa", secret=WORKER_SECRET, store="memory://")
    rooms = {}
    for contact in contacts:
        token = identity.token_for(contact)
        rooms[contact] = ((await client.room.get_room(token)).room.id, token)
    return rooms


async def _visitor_texts(client: AsyncLivechatClient, room: tuple[str, str]) -> list[str]:
    rid, token = room
    history = await client.messages.get_message_history(rid, token)
    return [m.msg or "" for m in reversed(history) if m.token and not m.is_system]
