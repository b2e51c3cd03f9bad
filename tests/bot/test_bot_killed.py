"""A bot process SIGKILLed mid-conversation and restarted answers what it missed, once."""

from __future__ import annotations

import asyncio
import secrets
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from rocketchat_livechat import AsyncLivechatClient
from rocketchat_livechat.testing.plugin import Agent, LivechatTestServer

pytestmark = pytest.mark.e2e

SCRIPT = Path(__file__).with_name("_echo_bot.py")


@contextmanager
def bot_process(server: LivechatTestServer, agent: Agent) -> Iterator[subprocess.Popen[str]]:
    command = [sys.executable, str(SCRIPT), server.url, agent.username, agent.password]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "ready", "the bot did not start"
        yield process
    finally:
        process.kill()
        process.wait(timeout=10)


async def replies(client: AsyncLivechatClient, token: str, rid: str) -> list[str]:
    history = reversed(await client.messages.get_message_history(rid, token))
    return [m.msg or "" for m in history if not m.is_system and not m.token]


async def until_replies(client: AsyncLivechatClient, token: str, rid: str, n: int) -> list[str]:
    loop = asyncio.get_running_loop()
    end = loop.time() + 20
    while len(found := await replies(client, token, rid)) < n:
        assert loop.time() < end, f"timed out waiting for {n} replies, have {found}"
        await asyncio.sleep(0.05)
    return found


async def test_killed_and_restarted_the_bot_answers_what_it_missed_once(
    livechat_server: LivechatTestServer,
) -> None:
    agent = livechat_server.create_agent(available=False)
    async with AsyncLivechatClient(livechat_server.url) as visitor:
        token = f"killed-{secrets.token_hex(6)}"
        await visitor.visitor.register_visitor(token, name="Vera")
        with bot_process(livechat_server, agent) as first:
            rid = (await visitor.room.get_room(token)).room.id
            await visitor.messages.send_message(token, rid, "a")
            await until_replies(visitor, token, rid, 1)
            first.kill()  # SIGKILL: no goodbye, the room stays assigned to the bot
            first.wait(timeout=10)
        await visitor.messages.send_message(token, rid, "b")
        await visitor.messages.send_message(token, rid, "c")
        with bot_process(livechat_server, agent):
            await until_replies(visitor, token, rid, 3)
            await visitor.messages.send_message(token, rid, "d")
            found = await until_replies(visitor, token, rid, 4)
        # the missed ones were answered before the live one, so a double would show by now
        assert found == ["echo: a", "echo: b", "echo: c", "echo: d"]
        assert await replies(visitor, token, rid) == found
