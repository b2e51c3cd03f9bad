"""An AI-style Omnichannel agent that answers first and hands over to a human when asked.

Run it against a server (an embedded one: ``rocketchat-livechat serve --admin-password secret``)::

    python examples/ai_agent.py --server http://127.0.0.1:3000 --user admin --password secret \
        --human-department Support --setup

It needs a Rocket.Chat user with the livechat-agent role, and the department to hand over to;
``--setup`` (for a fresh server, with an admin's credentials) gives the user the role and creates
the department if it is missing. Chat with it as a visitor, e.g. ``rocketchat-livechat --server
http://127.0.0.1:3000 chat --name Alice``. The reply function is pluggable: ``canned_reply``
needs no outside service; a comment in ``main`` shows where an LLM call goes.
"""

from __future__ import annotations

import argparse
import asyncio
import re
from collections.abc import Awaitable, Callable

from rocketchat_livechat import APIError, AsyncLivechatClient
from rocketchat_livechat.bot import Chat, LivechatBot
from rocketchat_livechat.models import Message

Reply = Callable[[str, str], Awaitable[str]]  # (conversation so far, last message) -> answer

HUMAN = re.compile(r"\b(human|agent|person|operator)\b", re.IGNORECASE)
HANDOFF_TEXT = "Let me bring in a colleague; one moment please."
NOBODY_TEXT = "Sorry, no colleague is available right now; please try again later."


async def canned_reply(conversation: str, last: str) -> str:
    """A stand-in for a language model: a few rules, no outside service."""
    text = last.lower()
    if "price" in text or "cost" in text:
        return "Our plans start at 10 EUR a month. Shall I send you the full price list?"
    if text.startswith(("hello", "hi")):
        return "Hello! I'm the virtual assistant. Ask me anything, or type 'human' for a person."
    return f"I noted: “{last}”. Anything else? (Type 'human' to talk to a person.)"


def build_bot(bot: LivechatBot, reply: Reply, human_department: str) -> LivechatBot:
    """Register the agent's handlers on ``bot``."""

    @bot.on_chat_started
    async def greet(chat: Chat) -> None:
        await chat.reply("Hi, I'm the virtual assistant. How can I help?")

    @bot.on_message
    async def answer(chat: Chat, message: Message) -> None:
        last = message.msg or ""
        if HUMAN.search(last):
            await chat.reply(HANDOFF_TEXT)
            try:
                await chat.handoff(department=human_department, comment="the visitor asked")
            except APIError:  # e.g. nobody online in that department
                await chat.reply(NOBODY_TEXT)
            return
        async with chat.typing():
            await chat.reply(await reply(await chat.history_text(), last))

    @bot.on_file
    async def file_received(chat: Chat, message: Message) -> None:
        name = message.file.name if message.file is not None else "your file"
        await chat.reply(f"Thanks, I received {name}.")

    return bot


async def setup(server: str, user: str, password: str, department: str) -> None:
    """Make ``user`` a livechat agent and create ``department`` unless it exists (admin only)."""
    async with AsyncLivechatClient(server) as client:
        await client.login(user, password)
        await client.users.create_user("agent", user)
        found = await client.departments.list_departments(text=department)
        if not any(department in (d.id, d.name) for d in found):
            await client.departments.create_department(department, "support@example.com")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--human-department", required=True, help="department _id or name")
    parser.add_argument("--setup", action="store_true", help="make the user an agent first")
    args = parser.parse_args()
    if args.setup:
        asyncio.run(setup(args.server, args.user, args.password, args.human_department))
    print(f"ai_agent: answering chats on {args.server} as {args.user} (Ctrl-C stops)", flush=True)
    bot = LivechatBot(args.server, username=args.user, password=args.password)
    # An LLM goes here: pass `reply=my_llm`, where `async def my_llm(conversation, last)` calls
    # your model with the conversation so far and returns its answer.
    build_bot(bot, canned_reply, args.human_department).run()


if __name__ == "__main__":
    main()
