"""The bot framework: visitor message → bot reply latency, and chats one bot process serves.

The bot (``rocketchat_livechat.bot.LivechatBot``, an echo handler) runs against the embedded
server; visitors send over REST and receive the reply on their realtime stream. Its peer is
the same echo written by hand on the SDK's agent stream (``connect_agent`` and
``send_agent_message``, no framework): the ratio is what the framework costs.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import _util
from _util import Outcome, Row

from rocketchat_livechat import AsyncLivechatClient
from rocketchat_livechat.bot import Chat, LivechatBot
from rocketchat_livechat.models import Message
from rocketchat_livechat.realtime import MessageEvent

AGENT = "bench.agent"


@contextlib.asynccontextmanager
async def framework_bot(url: str) -> AsyncIterator[None]:
    bot = LivechatBot(url, username=AGENT, password=_util.AGENT_PASSWORD)

    @bot.on_message
    async def echo(chat: Chat, message: Message) -> None:
        await chat.reply(f"echo: {message.msg}")

    async with bot:
        yield


@contextlib.asynccontextmanager
async def hand_written_bot(url: str) -> AsyncIterator[None]:
    async with AsyncLivechatClient(url) as client:
        await client.login(AGENT, _util.AGENT_PASSWORD)
        await client.users.set_agent_status("available")
        async with client.realtime.connect_agent(username=AGENT) as stream:

            async def answer() -> None:
                async for event in stream:
                    if isinstance(event, MessageEvent) and event.message.token:
                        rid = event.message.rid or ""
                        await client.messages.send_agent_message(rid, f"echo: {event.message.msg}")

            task = asyncio.create_task(answer())
            try:
                yield
            finally:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task


async def _visitor_round_trips(url: str, messages: int) -> list[float]:
    """One visitor: seconds from each send to the bot's reply arriving on its stream."""
    async with AsyncLivechatClient(url) as client:
        token = f"bench-bot-{secrets.token_hex(6)}"
        await client.visitor.register_visitor(token, name="Bench")
        rid = (await client.room.get_room(token)).room.id
        times: list[float] = []
        async with client.realtime.connect(token, rooms=[rid]) as stream:
            events = aiter(stream)
            for n in range(messages):
                started = time.perf_counter()
                await client.messages.send_message(token, rid, f"m{n}")
                while True:
                    event = await asyncio.wait_for(anext(events), 30)
                    if isinstance(event, MessageEvent) and event.message.msg == f"echo: m{n}":
                        break
                times.append(time.perf_counter() - started)
        return times


async def _measure(url: str, bot: Callable[[str], Any], quick: bool) -> dict[str, float]:
    per_visitor, visitors = (20, 10) if quick else (50, 40)
    async with bot(url):
        await _visitor_round_trips(url, 3)  # warm up
        latencies = await _visitor_round_trips(url, per_visitor)
        started = time.perf_counter()
        await asyncio.gather(*(_visitor_round_trips(url, 1) for _ in range(visitors)))
        chats_per_second = visitors / (time.perf_counter() - started)
    millis = [t * 1000 for t in latencies]
    return {
        "p50": _util.percentile(millis, 50),
        "p99": _util.percentile(millis, 99),
        "chats_per_second": chats_per_second,
    }


def _rounds(quick: bool) -> dict[str, dict[str, float]]:
    with _util.embedded_server() as url:
        ours = asyncio.run(_measure(url, framework_bot, quick))
        peer = asyncio.run(_measure(url, hand_written_bot, quick))
    return {"ours": ours, "peer": peer}


def run(quick: bool) -> Outcome:
    figures = _util.in_child(_rounds, quick)
    ours, peer = figures["ours"], figures["peer"]
    name, peer_name = "bot", "hand-written agent-stream echo"
    rows = [
        Row(name, "visitor → bot reply, p50", ours["p50"], "ms", peer_name, peer["p50"]),
        Row(name, "visitor → bot reply, p99", ours["p99"], "ms", peer_name, peer["p99"]),
        Row(
            name,
            "new chats answered per second (one bot process)",
            ours["chats_per_second"],
            "chats/s",
            peer_name,
            peer["chats_per_second"],
            better="higher",
        ),
    ]
    return Outcome(rows, {"bot": [{"client": k, **v} for k, v in figures.items()]})
