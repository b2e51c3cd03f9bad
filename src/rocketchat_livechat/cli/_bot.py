"""The ``demo`` agent, written with the public bot framework (:mod:`rocketchat_livechat.bot`).

It answers each visitor message after a short "typing…"; under Manual_Selection it takes the
queued inquiries it sees.
"""

from __future__ import annotations

import asyncio
import re
from collections import defaultdict

from .._async.client import AsyncLivechatClient
from ..bot import Chat, LivechatBot
from ..models import Message

TYPING_SECONDS = 0.3
_ORDER = re.compile(r"#\s*(\d+)")


def answer(message: Message, *, edited: bool = False) -> str:
    """The bot's reply to a visitor message."""
    if message.file is not None:
        return f"Thanks, I received “{message.file.name}”."
    text = (message.msg or "").strip()
    order = _ORDER.search(text)
    if edited:
        fixed = f" order #{order.group(1)}" if order else " your message"
        return f"No problem, I've updated{fixed}."
    if order:
        return f"Order #{order.group(1)} shipped yesterday and arrives on Friday."
    if text.lower().startswith(("hello", "hi")):
        return "Hello! I'm the demo agent. What's your order number?"
    return "Noted. Anything else I can do for you?"


class DemoBot:
    """The demo's :class:`LivechatBot`, plus a wait for the rooms it joins."""

    def __init__(self, client: AsyncLivechatClient, username: str | None) -> None:
        self.bot = LivechatBot(client=client)
        self.bot.username = username
        self._watching: defaultdict[str, asyncio.Event] = defaultdict(asyncio.Event)
        self.bot.on_chat_started(self._started)
        self.bot.on_message(self._reply)

    async def start(self, timeout: float) -> None:
        """Go online and connect; raise if it takes over ``timeout`` seconds."""
        try:
            await asyncio.wait_for(self.bot.start(), timeout)
        except TimeoutError:
            raise TimeoutError(f"the agent's realtime connection took over {timeout:g} s") from None

    async def stop(self) -> None:
        await self.bot.stop()

    async def wait_watching(self, rid: str, timeout: float) -> None:
        """Until the bot follows room ``rid`` (its assignment has reached the agent stream)."""
        try:
            await asyncio.wait_for(self._watching[rid].wait(), timeout)
        except TimeoutError:
            raise TimeoutError(f"the agent did not join room {rid} in {timeout:g} s") from None

    async def _started(self, chat: Chat) -> None:
        self._watching[chat.rid].set()

    async def _reply(self, chat: Chat, message: Message) -> None:
        async with chat.typing():
            await asyncio.sleep(TYPING_SECONDS)  # a human-looking pause, part of the demo's show
            await chat.reply(answer(message, edited=message.edited))
