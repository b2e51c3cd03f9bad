"""The bot framework end to end: a LivechatBot serving visitors on the embedded server."""

from __future__ import annotations

import asyncio
import logging
import secrets
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest

from rocketchat_livechat import AsyncLivechatClient, InvalidArgumentError
from rocketchat_livechat.bot import Chat, LivechatBot, SyncChat
from rocketchat_livechat.models import Message
from rocketchat_livechat.testing.plugin import Agent, LivechatTestServer

pytestmark = pytest.mark.e2e

DEADLINE = 15.0


async def wait_for(
    condition: Callable[[], Awaitable[Any]], what: str, deadline: float = DEADLINE
) -> Any:
    """Poll ``condition`` until it is truthy (no sleeping and hoping: a deadline and a reason)."""
    loop = asyncio.get_running_loop()
    end = loop.time() + deadline
    while True:
        value = await condition()
        if value:
            return value
        if loop.time() > end:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)


class Visitor:
    """A visitor talking to the bot over the REST API."""

    def __init__(self, client: AsyncLivechatClient, token: str, rid: str) -> None:
        self.client, self.token, self.rid = client, token, rid

    async def say(self, text: str) -> Message:
        return await self.client.messages.send_message(self.token, self.rid, text)

    async def history(self) -> list[Message]:
        newest_first = await self.client.messages.get_message_history(self.rid, self.token)
        return list(reversed(newest_first))

    async def replies(self) -> list[str]:
        return [m.msg or "" for m in await self.history() if not m.is_system and not m.token]


@pytest.fixture
async def visitors(livechat_server: LivechatTestServer) -> AsyncIterator[Callable[[], Any]]:
    async with AsyncLivechatClient(livechat_server.url) as client:

        async def new_visitor() -> Visitor:
            token = f"bot-visitor-{secrets.token_hex(6)}"
            await client.visitor.register_visitor(token, name="Vera")
            room = await client.room.get_room(token)
            return Visitor(client, token, room.room.id)

        yield new_visitor


@pytest.fixture
def bot_agent(livechat_server: LivechatTestServer) -> Agent:
    return livechat_server.create_agent(available=False)


def make_bot(server: LivechatTestServer, agent: Agent, **options: Any) -> LivechatBot:
    return LivechatBot(server.url, username=agent.username, password=agent.password, **options)


async def test_the_bot_answers_each_visitor_message_in_order(
    livechat_server: LivechatTestServer, bot_agent: Agent, visitors: Callable[[], Any]
) -> None:
    bot = make_bot(livechat_server, bot_agent)
    started: list[str] = []

    @bot.on_chat_started
    async def hello(chat: Chat) -> None:
        started.append(chat.rid)

    @bot.on_message
    async def echo(chat: Chat, message: Message) -> None:
        async with chat.typing():
            await chat.reply(f"echo: {message.msg}")

    async with bot:
        visitor = await visitors()
        for n in range(5):
            await visitor.say(f"m{n}")
        replies = await wait_for(
            lambda: _at_least(visitor.replies(), 5), "five replies from the bot"
        )
        assert replies == [f"echo: m{n}" for n in range(5)]
        # (the bot may also take chats other tests left queued on the shared server)
        assert visitor.rid in started
        assert visitor.rid in {chat.rid for chat in bot.chats}


async def test_many_chats_at_once_each_in_order(
    livechat_server: LivechatTestServer, bot_agent: Agent, visitors: Callable[[], Any]
) -> None:
    bot = make_bot(livechat_server, bot_agent)

    @bot.on_message
    async def echo(chat: Chat, message: Message) -> None:
        await chat.reply(f"echo: {message.msg}")

    async with bot:
        crowd = [await visitors() for _ in range(6)]
        await asyncio.gather(*(_say_all(v, 3) for v in crowd))
        for visitor in crowd:
            replies = await wait_for(lambda v=visitor: _at_least(v.replies(), 3), "replies")
            assert replies == [f"echo: {visitor.rid}-{n}" for n in range(3)]


async def _say_all(visitor: Visitor, count: int) -> None:
    for n in range(count):
        await visitor.say(f"{visitor.rid}-{n}")


async def _at_least(replies: Awaitable[list[str]], count: int) -> list[str] | None:
    found = await replies
    return found if len(found) >= count else None


async def test_a_sync_handler_runs_in_a_worker_thread(
    livechat_server: LivechatTestServer, bot_agent: Agent, visitors: Callable[[], Any]
) -> None:
    bot = make_bot(livechat_server, bot_agent)
    threads: list[str] = []

    @bot.on_message
    def answer(chat: SyncChat, message: Message) -> None:
        threads.append(threading.current_thread().name)
        with chat.typing():
            said = chat.history_text()
        chat.reply(f"I read {said.count('visitor:')} visitor line(s)")

    async with bot:
        visitor = await visitors()
        await visitor.say("hello")
        replies = await wait_for(lambda: _at_least(visitor.replies(), 1), "the sync reply")
    assert replies == ["I read 1 visitor line(s)"]
    assert threads and threads[0] != threading.main_thread().name


async def test_a_failing_handler_is_logged_and_the_chat_goes_on(
    livechat_server: LivechatTestServer,
    bot_agent: Agent,
    visitors: Callable[[], Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    bot = make_bot(livechat_server, bot_agent)

    @bot.on_message
    async def fragile(chat: Chat, message: Message) -> None:
        if message.msg == "boom":
            raise RuntimeError("the model is down")
        await chat.reply("fine")

    with caplog.at_level(logging.ERROR, "rocketchat_livechat.bot"):
        async with bot:
            visitor = await visitors()
            await visitor.say("boom")
            await visitor.say("again")
            assert await wait_for(lambda: _at_least(visitor.replies(), 1), "the reply") == ["fine"]
    assert "the model is down" in caplog.text
    assert visitor.token not in caplog.text


async def test_edited_messages_are_handled_and_flagged(
    livechat_server: LivechatTestServer, bot_agent: Agent, visitors: Callable[[], Any]
) -> None:
    bot = make_bot(livechat_server, bot_agent)

    @bot.on_message
    async def answer(chat: Chat, message: Message) -> None:
        await chat.reply(("edited: " if message.edited else "new: ") + (message.msg or ""))

    async with bot:
        visitor = await visitors()
        sent = await visitor.say("order 1")
        await wait_for(lambda: _at_least(visitor.replies(), 1), "the first reply")
        await visitor.client.messages.update_message(sent.id, visitor.token, visitor.rid, "order 2")
        replies = await wait_for(lambda: _at_least(visitor.replies(), 2), "the second reply")
    assert replies == ["new: order 1", "edited: order 2"]


async def test_closing_reaches_the_closed_handler(
    livechat_server: LivechatTestServer, bot_agent: Agent, visitors: Callable[[], Any]
) -> None:
    bot = make_bot(livechat_server, bot_agent)
    closed: list[str] = []

    @bot.on_message
    async def bye(chat: Chat, message: Message) -> None:
        await chat.close("solved by the bot")

    @bot.on_chat_closed
    async def done(chat: Chat) -> None:
        closed.append(chat.rid)

    async with bot:
        visitor = await visitors()
        await visitor.say("thanks, bye")

        async def closed_seen() -> bool:
            return visitor.rid in closed and visitor.rid not in {c.rid for c in bot.chats}

        await wait_for(closed_seen, "the closed handler")
    history = await visitor.history()
    assert history[-1].t == "livechat-close"
    assert history[-1].msg == "solved by the bot"


async def test_a_restarted_bot_answers_only_what_is_unanswered(
    livechat_server: LivechatTestServer, bot_agent: Agent, visitors: Callable[[], Any]
) -> None:
    answered: list[tuple[str, str]] = []

    def bot_with_handler() -> LivechatBot:
        bot = make_bot(livechat_server, bot_agent)

        @bot.on_message
        async def answer(chat: Chat, message: Message) -> None:
            answered.append((chat.rid, message.msg or ""))
            await chat.reply(f"re: {message.msg}")

        return bot

    async with bot_with_handler():
        visitor = await visitors()
        await visitor.say("before")
        await wait_for(lambda: _at_least(visitor.replies(), 1), "the first reply")
    # the bot is down: the room stays assigned to it, the visitor goes on
    await visitor.say("while down 1")
    await visitor.say("while down 2")
    async with bot_with_handler():
        replies = await wait_for(lambda: _at_least(visitor.replies(), 3), "the late replies")
        await visitor.say("after")
        replies = await wait_for(lambda: _at_least(visitor.replies(), 4), "the live reply")
    mine = [text for rid, text in answered if rid == visitor.rid]
    assert mine == ["before", "while down 1", "while down 2", "after"]
    assert replies == ["re: before", "re: while down 1", "re: while down 2", "re: after"]


async def test_manual_selection_the_bot_takes_the_queued_chat(
    livechat_server: LivechatTestServer, bot_agent: Agent, visitors: Callable[[], Any]
) -> None:
    livechat_server.set_routing("Manual_Selection")
    bot = make_bot(livechat_server, bot_agent)

    @bot.on_message
    async def answer(chat: Chat, message: Message) -> None:
        await chat.reply("taken")

    async with bot:
        visitor = await visitors()
        await visitor.say("anyone?")
        assert await wait_for(lambda: _at_least(visitor.replies(), 1), "the reply") == ["taken"]


async def test_stop_leaves_no_task_behind(
    livechat_server: LivechatTestServer, bot_agent: Agent, visitors: Callable[[], Any]
) -> None:
    before = asyncio.all_tasks()
    bot = make_bot(livechat_server, bot_agent)

    @bot.on_message
    async def answer(chat: Chat, message: Message) -> None:
        await chat.reply("ok")

    await bot.start()
    visitor = await visitors()
    await visitor.say("hi")
    await wait_for(lambda: _at_least(visitor.replies(), 1), "the reply")
    await bot.stop()
    assert asyncio.all_tasks() <= before | {asyncio.current_task()}


def test_bad_arguments_fail_before_any_io() -> None:
    with pytest.raises(InvalidArgumentError) as both:
        LivechatBot("http://127.0.0.1:9", client=AsyncLivechatClient("http://127.0.0.1:9"))
    assert both.value.argument == "url"
    with pytest.raises(InvalidArgumentError) as half:
        LivechatBot("http://127.0.0.1:9", username="bot")
    assert half.value.argument == "password"
    with pytest.raises(InvalidArgumentError) as limit:
        LivechatBot("http://127.0.0.1:9", handoff_after_failures=0, handoff_department="d")
    assert limit.value.argument == "handoff_after_failures"
    bot = LivechatBot("http://127.0.0.1:9")
    with pytest.raises(InvalidArgumentError):
        bot.on_message("not callable")  # type: ignore[arg-type]


async def test_after_n_failures_the_chat_is_handed_to_humans(
    livechat_server: LivechatTestServer, bot_agent: Agent, visitors: Callable[[], Any]
) -> None:
    human = livechat_server.create_agent(available=False)
    department = livechat_server.create_department(f"Humans-{secrets.token_hex(3)}", [human])
    bot = make_bot(
        livechat_server, bot_agent, handoff_after_failures=2, handoff_department=department["name"]
    )
    transferred: list[str] = []

    @bot.on_message
    async def broken(chat: Chat, message: Message) -> None:
        raise RuntimeError("no model today")

    @bot.on_chat_transferred
    async def gone(chat: Chat) -> None:
        transferred.append(chat.rid)

    async with bot:
        visitor = await visitors()
        livechat_server.set_available(human)
        await visitor.say("one")

        async def served_by_human() -> bool:
            room = (await visitor.client.room.get_room(visitor.token, rid=visitor.rid)).room
            return room.served_by is not None and room.served_by.id == human.user_id

        await visitor.say("two")
        await wait_for(served_by_human, "the hand-off to the human")
        await wait_for(lambda: _true(visitor.rid in transferred), "the transferred handler")
    assert visitor.rid not in {chat.rid for chat in bot.chats}


async def _true(value: bool) -> bool:
    return value


async def test_the_chat_knows_the_visitor_and_saves_what_it_learns(
    livechat_server: LivechatTestServer, bot_agent: Agent, visitors: Callable[[], Any]
) -> None:
    bot = make_bot(livechat_server, bot_agent)
    learned: list[str | None] = []

    @bot.on_message
    async def learn(chat: Chat, message: Message) -> None:
        await chat.save_info(email="vera@example.com", topic="billing")
        learned.append((await chat.visitor()).name)
        await chat.reply("saved")

    async with bot:
        visitor = await visitors()
        await visitor.say("my mail is vera@example.com")
        await wait_for(lambda: _at_least(visitor.replies(), 1), "the reply")
    assert "Vera" in learned
    found = await visitor.client.visitor.get_visitor(visitor.token)
    assert found.email == "vera@example.com"


async def test_a_hundred_visitors_each_get_every_reply_in_order_once(
    livechat_server: LivechatTestServer, bot_agent: Agent, visitors: Callable[[], Any]
) -> None:
    bot = make_bot(livechat_server, bot_agent)

    @bot.on_message
    async def echo(chat: Chat, message: Message) -> None:
        await chat.reply(f"echo: {message.msg}")

    async with bot:
        crowd = await asyncio.gather(*(visitors() for _ in range(100)))
        await asyncio.gather(*(_say_all(v, 3) for v in crowd))

        async def everyone_answered() -> bool:
            counts = await asyncio.gather(*(v.replies() for v in crowd))
            return all(len(replies) >= 3 for replies in counts)

        # a generous deadline: 300 replies on a 2-core machine shared with the rest of the suite
        await wait_for(everyone_answered, "three replies for each of 100 visitors", 90)
        for visitor in crowd:
            assert await visitor.replies() == [f"echo: {visitor.rid}-{n}" for n in range(3)]
        assert {v.rid for v in crowd} <= {chat.rid for chat in bot.chats}


async def test_files_go_to_on_file_and_the_bot_can_send_one_back(
    livechat_server: LivechatTestServer, bot_agent: Agent, visitors: Callable[[], Any]
) -> None:
    bot = make_bot(livechat_server, bot_agent)
    names: list[str | None] = []

    @bot.on_file
    async def got_file(chat: Chat, message: Message) -> None:
        names.append(message.file.name if message.file else None)
        await chat.upload(b"%PDF-1.4 receipt", filename="receipt.pdf", description="your receipt")

    async with bot:
        visitor = await visitors()
        await visitor.client.room.upload_file(
            visitor.rid, b"photo", visitor.token, filename="p.png"
        )

        async def bot_file() -> Message | None:
            history = await visitor.history()
            return next((m for m in history if m.file and not m.token), None)

        sent = await wait_for(bot_file, "the bot file")
    assert "p.png" in names
    assert sent.file is not None and sent.file.name == "receipt.pdf"
