"""The bridge end to end on the embedded server: contacts become visitors, exactly once."""

from __future__ import annotations

import asyncio
import json
import secrets
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from rocketchat_livechat import AsyncLivechatClient, InvalidArgumentError
from rocketchat_livechat.bridge import AgentMessage, BridgeStore, LivechatBridge, SQLiteStore
from rocketchat_livechat.models import Message
from rocketchat_livechat.testing.plugin import Agent, LivechatTestServer

pytestmark = pytest.mark.e2e

SECRET = "bridge-test-secret-0123456789"


@pytest.fixture
async def client(livechat_server: LivechatTestServer) -> AsyncIterator[AsyncLivechatClient]:
    async with AsyncLivechatClient(livechat_server.url) as made:
        yield made


@pytest.fixture
def agent(livechat_server: LivechatTestServer) -> Agent:
    return livechat_server.create_agent()


def contact() -> str:
    return f"+55{secrets.randbelow(10**11):011d}"


async def visitor_texts(client: AsyncLivechatClient, bridge: LivechatBridge, who: str) -> list[str]:
    token = bridge.token_for(who)
    rid = bridge.store.room_of(who)
    assert rid is not None
    history = await client.messages.get_message_history(rid, token)
    return [m.msg or "" for m in reversed(history) if m.token and not m.is_system]


async def test_a_contact_becomes_a_visitor_and_a_redelivery_changes_nothing(
    client: AsyncLivechatClient, agent: Agent, store: BridgeStore
) -> None:
    bridge = LivechatBridge(client, channel="whatsapp", secret=SECRET, store=store)
    who = contact()
    first = await bridge.deliver(who, text="oi", external_id="wa-1", name="Maria", phone=who)
    assert isinstance(first, Message)
    assert await bridge.deliver(who, text="oi", external_id="wa-1") is None
    assert await visitor_texts(client, bridge, who) == ["oi"]
    visitor = await client.visitor.get_visitor(bridge.token_for(who))
    assert visitor.name == "Maria"
    assert bridge.token_for(who).startswith("whatsapp-")
    assert who not in bridge.token_for(who)


async def test_a_crash_before_the_bookkeeping_never_makes_a_second_message(
    client: AsyncLivechatClient, agent: Agent, tmp_path: Path
) -> None:
    """The message reached Rocket.Chat, the bridge died before recording it: the redelivery
    (a new bridge on the same store file) finds it there instead of sending it again."""

    class CrashingStore(SQLiteStore):
        def mark_inbound(self, contact: str, external_id: str, message_id: str) -> None:
            raise SystemExit("killed")

    who = contact()
    crashing = LivechatBridge(
        client, channel="sms", secret=SECRET, store=CrashingStore(tmp_path / "b.db")
    )
    with pytest.raises(SystemExit):
        await crashing.deliver(who, text="hello", external_id="sms-9")
    restarted = LivechatBridge(
        client, channel="sms", secret=SECRET, store=f"sqlite:///{tmp_path}/b.db"
    )
    again = await restarted.deliver(who, text="hello", external_id="sms-9")
    assert again is not None
    assert await visitor_texts(client, restarted, who) == ["hello"]


async def test_a_closed_room_is_replaced_and_the_message_lands_in_the_new_one(
    client: AsyncLivechatClient, agent: Agent, livechat_server: LivechatTestServer
) -> None:
    bridge = LivechatBridge(client, channel="telegram", secret=SECRET, store="memory://")
    who = contact()
    await bridge.deliver(who, text="first", external_id="t-1")
    old_room = bridge.store.room_of(who)
    assert old_room is not None
    livechat_server.close_room(agent, old_room)
    await bridge.deliver(who, text="second", external_id="t-2")
    new_room = bridge.store.room_of(who)
    assert new_room not in (None, old_room)
    assert await visitor_texts(client, bridge, who) == ["second"]


async def test_a_deleted_visitor_is_registered_again(
    client: AsyncLivechatClient, agent: Agent, livechat_server: LivechatTestServer
) -> None:
    bridge = LivechatBridge(client, channel="telegram", secret=SECRET, store="memory://")
    who = contact()
    await bridge.deliver(who, text="first", external_id="t-1", name="Ana")
    rid = bridge.store.room_of(who)
    assert rid is not None
    livechat_server.close_room(agent, rid)
    await client.visitor.delete_visitor(bridge.token_for(who))
    await bridge.deliver(who, text="again", external_id="t-2", name="Ana")
    assert (await client.visitor.get_visitor(bridge.token_for(who))).name == "Ana"
    assert await visitor_texts(client, bridge, who) == ["again"]


async def test_a_lost_store_finds_the_same_visitor_again(
    client: AsyncLivechatClient, agent: Agent
) -> None:
    who = contact()
    first = LivechatBridge(client, channel="app", secret=SECRET, store="memory://")
    await first.deliver(who, text="one", external_id="a-1")
    rid = first.store.room_of(who)
    second = LivechatBridge(client, channel="app", secret=SECRET, store="memory://")
    assert second.token_for(who) == first.token_for(who)
    await second.deliver(who, text="two", external_id="a-2")
    assert second.store.room_of(who) == rid  # the visitor's open room, found by its token
    assert await visitor_texts(client, second, who) == ["one", "two"]


async def test_one_contacts_messages_keep_their_order_many_contacts_in_parallel(
    client: AsyncLivechatClient, agent: Agent
) -> None:
    bridge = LivechatBridge(client, channel="whatsapp", secret=SECRET, store="memory://")
    people = [contact() for _ in range(10)]
    await asyncio.gather(
        *(bridge.deliver(p, text=f"{n}", external_id=f"{p}-{n}") for n in range(5) for p in people)
    )
    for person in people:
        assert await visitor_texts(client, bridge, person) == [f"{n}" for n in range(5)]


async def test_files_are_delivered_too(client: AsyncLivechatClient, agent: Agent) -> None:
    bridge = LivechatBridge(client, channel="whatsapp", secret=SECRET, store="memory://")
    who = contact()
    sent = await bridge.deliver(who, file=b"\x89PNG fake image", external_id="img-1")
    assert sent is not None and sent.file is not None
    assert await bridge.deliver(who, file=b"\x89PNG fake image", external_id="img-1") is None


def message_event(
    bridge: LivechatBridge, who: str, rid: str, *items: dict[str, Any]
) -> dict[str, Any]:
    """A ``Message`` webhook as Rocket.Chat builds it (sendToCRM): the room, the visitor, items."""
    return {
        "_id": rid,
        "type": "Message",
        "visitor": {"_id": "v1", "token": bridge.token_for(who), "username": "guest-1"},
        "messages": list(items),
    }


def agent_says(server: LivechatTestServer, agent: Agent, rid: str, text: str) -> dict[str, Any]:
    """The agent really posts ``text``; its webhook item, as Rocket.Chat builds it."""
    sent = server.agent_send(agent, rid, text)
    return {"_id": sent["_id"], "msg": text, "username": agent.username, "agentId": agent.user_id}


async def test_agent_messages_reach_the_contact_once(
    client: AsyncLivechatClient,
    agent: Agent,
    store: BridgeStore,
    livechat_server: LivechatTestServer,
) -> None:
    bridge = LivechatBridge(client, channel="whatsapp", secret=SECRET, store=store)
    who = contact()
    await bridge.deliver(who, text="oi", external_id="wa-1")
    rid = bridge.store.room_of(who) or ""
    received: list[tuple[str, str]] = []

    @bridge.on_agent_message
    async def send_out(contact_id: str, message: AgentMessage) -> None:
        received.append((contact_id, message.text))

    visitor_item = {"_id": "m0", "msg": "oi", "username": "guest-1"}
    event = message_event(
        bridge, who, rid, visitor_item, agent_says(livechat_server, agent, rid, "olá")
    )
    assert await bridge.handle_webhook(event) == 1
    assert await bridge.handle_webhook(event) == 0  # Rocket.Chat's retry
    assert received == [(who, "olá")]
    stranger = {**event, "visitor": {"token": "someone-else"}}
    assert await bridge.handle_webhook(stranger) == 0


async def test_a_failing_send_out_is_handed_out_again_on_the_retry(
    client: AsyncLivechatClient,
    agent: Agent,
    store: BridgeStore,
    livechat_server: LivechatTestServer,
) -> None:
    bridge = LivechatBridge(client, channel="whatsapp", secret=SECRET, store=store)
    who = contact()
    await bridge.deliver(who, text="oi", external_id="wa-1")
    attempts: list[str] = []

    @bridge.on_agent_message
    async def flaky(contact_id: str, message: AgentMessage) -> None:
        attempts.append(message.id)
        if len(attempts) == 1:
            raise ConnectionError("the channel is down")

    rid = bridge.store.room_of(who) or ""
    item = agent_says(livechat_server, agent, rid, "olá")
    event = message_event(bridge, who, rid, item)
    with pytest.raises(ConnectionError):
        await bridge.handle_webhook(event)
    assert await bridge.handle_webhook(event) == 1
    assert await bridge.handle_webhook(event) == 0
    assert attempts == [item["_id"], item["_id"]]


async def test_a_lost_webhook_is_made_up_for_by_the_next_one(
    client: AsyncLivechatClient, agent: Agent, livechat_server: LivechatTestServer
) -> None:
    """Rocket.Chat gave up on the first message's webhook: the second one's brings both, in
    order (the room's history is the source, the webhook only the trigger)."""
    bridge = LivechatBridge(client, channel="whatsapp", secret=SECRET, store="memory://")
    who = contact()
    await bridge.deliver(who, text="oi", external_id="wa-1")
    rid = bridge.store.room_of(who) or ""
    received: list[str] = []

    @bridge.on_agent_message
    async def send_out(contact_id: str, message: AgentMessage) -> None:
        received.append(message.text)

    agent_says(livechat_server, agent, rid, "first")  # its webhook never arrives
    second = agent_says(livechat_server, agent, rid, "second")
    assert await bridge.handle_webhook(message_event(bridge, who, rid, second)) == 2
    assert received == ["first", "second"]


async def test_closing_forgets_the_room_and_tells_the_handler(
    client: AsyncLivechatClient, agent: Agent
) -> None:
    bridge = LivechatBridge(client, channel="whatsapp", secret=SECRET, store="memory://")
    who = contact()
    await bridge.deliver(who, text="oi", external_id="wa-1")
    rid = bridge.store.room_of(who) or ""
    closed: list[str] = []

    @bridge.on_chat_closed
    async def bye(contact_id: str) -> None:
        closed.append(contact_id)

    closing = {**message_event(bridge, who, rid), "type": "LivechatSession"}
    await bridge.handle_webhook(closing)
    assert closed == [who]
    assert bridge.store.room_of(who) is None


def test_bad_arguments_fail_before_any_io() -> None:
    client = AsyncLivechatClient("http://127.0.0.1:9")
    with pytest.raises(InvalidArgumentError) as channel:
        LivechatBridge(client, channel="what's app", secret=SECRET, store="memory://")
    assert channel.value.argument == "channel"
    with pytest.raises(InvalidArgumentError) as secret:
        LivechatBridge(client, channel="wa", secret="short", store="memory://")
    assert secret.value.argument == "secret"
    with pytest.raises(InvalidArgumentError) as store:
        LivechatBridge(client, channel="wa", secret=SECRET, store="mysql://x")
    assert store.value.argument == "store"
    bridge = LivechatBridge(client, channel="wa", secret=SECRET, store="memory://")
    with pytest.raises(InvalidArgumentError) as both:
        asyncio.run(bridge.deliver("c", text="x", file=b"y", external_id="1"))
    assert both.value.argument == "text"
    with pytest.raises(InvalidArgumentError) as external:
        asyncio.run(bridge.deliver("c", text="x", external_id=""))
    assert external.value.argument == "external_id"
    with pytest.raises(InvalidArgumentError):
        bridge.on_agent_message(lambda c, m: None)  # type: ignore[arg-type,return-value]
    assert SECRET not in repr(bridge)


async def test_the_bridges_webhook_receiver_answers_after_handing_out(
    client: AsyncLivechatClient, agent: Agent, livechat_server: LivechatTestServer
) -> None:
    bridge = LivechatBridge(client, channel="whatsapp", secret=SECRET, store="memory://")
    who = contact()
    await bridge.deliver(who, text="oi", external_id="wa-1")
    receiver = bridge.webhook_receiver("hook-secret")
    sent: list[str] = []

    @bridge.on_agent_message
    async def send_out(contact_id: str, message: AgentMessage) -> None:
        sent.append(message.text)

    rid = bridge.store.room_of(who) or ""
    event = message_event(bridge, who, rid, agent_says(livechat_server, agent, rid, "olá"))
    headers = {"X-RocketChat-Livechat-Token": "hook-secret"}
    answer = await receiver.handle(json.dumps(event), headers)
    assert answer.status == 200 and sent == ["olá"]
    refused = await receiver.handle(json.dumps(event), {"X-RocketChat-Livechat-Token": "nope"})
    assert refused.status == 403 and sent == ["olá"]


async def test_a_file_in_the_room_downloads_with_the_contacts_access(
    client: AsyncLivechatClient, agent: Agent, tmp_path: Path
) -> None:
    bridge = LivechatBridge(client, channel="whatsapp", secret=SECRET, store="memory://")
    who = contact()
    content = b"%PDF-1.4 a small invoice"
    sent = await bridge.deliver(who, file=content, external_id="doc-1")
    assert sent is not None and sent.file is not None and sent.rid is not None
    url = f"/file-upload/{sent.file.id}/{sent.file.name}"
    message = AgentMessage(id="m1", text="", rid=sent.rid, agent_id="a", file_url=url)
    size = await bridge.download(who, message, tmp_path / "invoice.pdf")
    assert (tmp_path / "invoice.pdf").read_bytes() == content and size == len(content)
    with pytest.raises(InvalidArgumentError):
        await bridge.download(
            who, AgentMessage(id="m2", text="x", rid=sent.rid, agent_id="a"), tmp_path / "x"
        )


async def test_a_contact_whose_phone_a_visitor_has_already_joins_that_visitor(
    client: AsyncLivechatClient, agent: Agent
) -> None:
    """Rocket.Chat matches a registration by phone and keeps the existing visitor's token."""
    phone = contact()
    await client.visitor.register_visitor("widget-visitor-token-1", name="Maria", phone=phone)
    bridge = LivechatBridge(client, channel="whatsapp", secret=SECRET, store="memory://")
    await bridge.deliver(phone, text="oi", external_id="wa-1", phone=phone)
    assert bridge.store.token_of(phone) == "widget-visitor-token-1"
    rid = bridge.store.room_of(phone) or ""
    history = await client.messages.get_message_history(rid, "widget-visitor-token-1")
    assert [m.msg for m in history if m.token and not m.is_system] == ["oi"]
    assert bridge.store.contact_of("widget-visitor-token-1") == phone


async def test_agent_messages_can_come_from_the_realtime_stream_instead(
    client: AsyncLivechatClient, agent: Agent, livechat_server: LivechatTestServer
) -> None:
    bridge = LivechatBridge(client, channel="whatsapp", secret=SECRET, store="memory://")
    people = [contact(), contact()]
    for person in people:
        await bridge.deliver(person, text="oi", external_id=f"{person}-1")
    received: list[tuple[str, str]] = []

    @bridge.on_agent_message
    async def send_out(contact_id: str, message: AgentMessage) -> None:
        received.append((contact_id, message.text))

    async with bridge.following(people):
        for person in people:
            rid = bridge.store.room_of(person) or ""
            agent_says(livechat_server, agent, rid, f"hi {person}")
            agent_says(livechat_server, agent, rid, f"bye {person}")
        loop = asyncio.get_running_loop()
        end = loop.time() + 15
        while len(received) < 4:
            assert loop.time() < end, f"only {received}"
            await asyncio.sleep(0.02)
    for person in people:
        assert [text for who, text in received if who == person] == [
            f"hi {person}",
            f"bye {person}",
        ]
    with pytest.raises(InvalidArgumentError):
        async with bridge.following(["+0 never seen"]):
            pass
