"""An echo bot in its own process, for the kill -9 test: ``_echo_bot.py URL USER PASSWORD``."""

from __future__ import annotations

import asyncio
import sys

from rocketchat_livechat.bot import Chat, LivechatBot
from rocketchat_livechat.models import Message


async def main(url: str, username: str, password: str) -> None:
    bot = LivechatBot(url, username=username, password=password)

    @bot.on_message
    async def echo(chat: Chat, message: Message) -> None:
        await chat.reply(f"echo: {message.msg}")

    async with bot:
        print("ready", flush=True)
        await asyncio.Event().wait()  # until killed


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:4]))
