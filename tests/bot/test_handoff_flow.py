"""A bot hands a chat to a human department: what the human, the visitor and the bot see.

Under Auto_Selection the forward picks an available agent of the department; under
Manual_Selection the inquiry is re-queued in that department and a human takes it.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from rocketchat_livechat import AsyncLivechatClient
from rocketchat_livechat.bot import Chat, LivechatBot
from rocketchat_livechat.models import Message
from rocketchat_livechat.realtime import (
    AgentChangedEvent,
    InquiryEvent,
    RealtimeEvent,
    RoomAssignmentEvent,
)
from rocketchat_livechat.testing.plugin import Agent, LivechatTestServer

pytestmark = pytest.mark.e2e


class Collector:
    """Events of a realtime stream, collected by a task."""

    def __init__(self) -> None:
        self.events: list[RealtimeEvent] = []

    async def pump(self, stream: Any) -> None:
        async for event in stream:
            self.events.append(event)

    async def wait(self, found: Callable[[RealtimeEvent], bool], what: str) -> RealtimeEvent:
        return await until(lambda: _first(self.events, found), what)


async def _first(events: list[RealtimeEvent], found: Callable[[RealtimeEvent], bool]) -> Any:
    return next((event for event in events if found(event)), None)


async def until(condition: Callable[[], Awaitable[Any]], what: str, timeout: float = 15) -> Any:
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not (value := await condition()):
        assert loop.time() < end, f"timed out waiting for {what}"
        await asyncio.sleep(0.02)
    return value


def handing_bot(server: LivechatTestServer, agent: Agent, department: str) -> LivechatBot:
    bot = LivechatBot(server.url, username=agent.username, password=agent.password)
    bot.handled: list[str] = []  # type: ignore[attr-defined]

    @bot.on_message
    async def answer(chat: Chat, message: Message) -> None:
        bot.handled.append((chat.rid, message.msg or ""))  # type: ignore[attr-defined]
        if "human" in (message.msg or ""):
            await chat.handoff(department=department, comment="asked for a human")
        else:
            await chat.reply("bot here")

    return bot


@pytest.mark.parametrize("routing", ["Auto_Selection", "Manual_Selection"])
async def test_a_visitor_asking_for_a_human_lands_with_the_support_department(
    livechat_server: LivechatTestServer, routing: str
) -> None:
    livechat_server.set_routing(routing)
    bot_agent = livechat_server.create_agent(available=False)
    human = livechat_server.create_agent(available=False)
    support = livechat_server.create_department(f"Support-{secrets.token_hex(3)}", [human])
    bot = handing_bot(livechat_server, bot_agent, support["name"])
    human_events, visitor_events = Collector(), Collector()
    async with (
        bot,
        AsyncLivechatClient(livechat_server.url) as visitor,
        AsyncLivechatClient(livechat_server.url) as human_client,
    ):
        token = f"handoff-{secrets.token_hex(6)}"
        await visitor.visitor.register_visitor(token, name="Vera")
        rid = (await visitor.room.get_room(token)).room.id
        await human_client.login(human.username, human.password)
        livechat_server.set_available(human)
        async with (
            human_client.realtime.connect_agent(departments=[support["_id"]]) as human_stream,
            visitor.realtime.connect(token, rooms=[rid]) as visitor_stream,
        ):
            pumps = [
                asyncio.create_task(human_events.pump(human_stream)),
                asyncio.create_task(visitor_events.pump(visitor_stream)),
            ]
            await visitor.messages.send_message(token, rid, "hello")
            await until(lambda: _replies(visitor, token, rid, 1), "the bot's reply")
            await visitor.messages.send_message(token, rid, "a human please")
            if routing == "Manual_Selection":
                queued = await human_events.wait(
                    lambda ev: (
                        isinstance(ev, InquiryEvent)
                        and ev.inquiry is not None
                        and ev.inquiry.status == "queued"
                        and ev.inquiry.department == support["_id"]
                    ),
                    "the inquiry re-queued in Support",
                )
                assert isinstance(queued, InquiryEvent)
                await human_client.inquiries.take_inquiry(queued.inquiry_id)
            await human_events.wait(
                lambda ev: isinstance(ev, RoomAssignmentEvent) and ev.rid == rid and ev.assigned,
                "the human's assignment",
            )
            changed = await visitor_events.wait(
                lambda ev: (
                    isinstance(ev, AgentChangedEvent)
                    and ev.agent is not None
                    and ev.agent.username == human.username
                ),
                "the visitor's agent change",
            )
            assert isinstance(changed, AgentChangedEvent)
            await until(
                lambda: _true(rid not in {c.rid for c in bot.chats}), "the bot letting the chat go"
            )
            # the bot's handlers stop for that chat
            await visitor.messages.send_message(token, rid, "are you there?")
            await human_client.messages.send_agent_message(rid, "a human here")
            await until(lambda: _replies(visitor, token, rid, 2), "the human's reply")
            for pump in pumps:
                pump.cancel()
    async with AsyncLivechatClient(livechat_server.url) as manager:
        await manager.login(livechat_server.admin_username, livechat_server.admin_password)
        history = await manager.room.get_transfer_history(rid)
    assert [entry.scope for entry in history] == ["department"]
    mine = [text for room, text in bot.handled if room == rid]  # type: ignore[attr-defined]
    assert mine == ["hello", "a human please"]


async def _replies(client: AsyncLivechatClient, token: str, rid: str, count: int) -> bool:
    history = await client.messages.get_message_history(rid, token)
    return sum(1 for m in history if not m.is_system and not m.token) >= count


async def _true(value: bool) -> bool:
    return value
