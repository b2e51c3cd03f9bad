"""``examples/ai_agent.py`` end to end: it answers, and hands over to a human when asked."""

from __future__ import annotations

import asyncio
import importlib.util
import secrets
import sys
from pathlib import Path
from types import ModuleType

import pytest

from rocketchat_livechat import AsyncLivechatClient
from rocketchat_livechat.bot import Chat, LivechatBot
from rocketchat_livechat.testing.plugin import LivechatTestServer

pytestmark = pytest.mark.e2e

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "ai_agent.py"


def load_example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("ai_agent_example", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


async def test_the_ai_agent_answers_then_hands_off_to_a_human(
    livechat_server: LivechatTestServer,
) -> None:
    example = load_example()
    bot_agent = livechat_server.create_agent(available=False)
    human = livechat_server.create_agent(available=False)  # routing picks the bot first
    name = f"Support-{secrets.token_hex(3)}"
    livechat_server.create_department(name, [human])
    bot = LivechatBot(livechat_server.url, username=bot_agent.username, password=bot_agent.password)
    example.build_bot(bot, example.canned_reply, name)
    transferred: list[str] = []

    @bot.on_chat_transferred
    async def gone(chat: Chat) -> None:
        transferred.append(chat.rid)

    async with bot, AsyncLivechatClient(livechat_server.url) as visitor:
        token = f"example-{secrets.token_hex(6)}"
        await visitor.visitor.register_visitor(token, name="Vera")
        rid = (await visitor.room.get_room(token)).room.id
        livechat_server.set_available(human)
        await visitor.messages.send_message(token, rid, "hi there")
        await visitor.messages.send_message(token, rid, "I want a human")

        async def handed_over() -> bool:
            rooms = await visitor.room.get_room(token, rid=rid)
            served = rooms.room.served_by
            return served is not None and served.id == human.user_id and rid in transferred

        loop = asyncio.get_running_loop()
        end = loop.time() + 15
        while not await handed_over():
            assert loop.time() < end, "the chat was not handed to the human"
            await asyncio.sleep(0.05)
        history = list(reversed(await visitor.messages.get_message_history(rid, token)))
    said = [m.msg for m in history if not m.is_system and not m.token]
    assert said[0] == "Hi, I'm the virtual assistant. How can I help?"
    assert said[1].startswith("Hello! I'm the virtual assistant.")
    assert said[2] == example.HANDOFF_TEXT
    assert any(m.t == "livechat_transfer_history" for m in history)
