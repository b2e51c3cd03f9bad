"""The ``demo`` conversation: an agent bot and a visitor, both through the public SDK."""

from __future__ import annotations

import asyncio
import contextlib
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import click

from .. import errors as e
from .._async.client import AsyncLivechatClient
from .._core.tokens import new_visitor_token
from ..models import AgentInfo, Message
from ..realtime import AgentChangedEvent, MessageDeletedEvent, MessageEvent, RoomClosedEvent
from . import _transcript
from ._app import Failure, Settings, describe_error, exit_code_for
from ._bot import DemoBot
from ._inbox import Inbox
from ._options import AgentLogin
from ._output import upload_progress

VISITOR_NAME = "Demo Visitor"
VISITOR_EMAIL = "visitor@example.com"
UPLOAD_SIZE = 256 * 1024


class StepFailed(Exception):
    def __init__(self, number: int, title: str, error: BaseException) -> None:
        super().__init__(f"step {number} ({title})")
        self.number, self.title, self.error = number, title, error


class Script:
    """Numbered steps; a failing step stops the demo with a :class:`StepFailed`."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self.count = 0

    @asynccontextmanager
    async def step(self, title: str) -> AsyncIterator[None]:
        self.count += 1
        click.echo(click.style(f"{self.count:>2}. {title}", bold=True))
        try:
            yield
        except Exception as exc:
            raise StepFailed(self.count, title, exc) from exc

    @staticmethod
    def note(text: str) -> None:
        click.echo(f"    {text}")


def run_demo(settings: Settings, agent: AgentLogin, timeout: float) -> None:
    """Play the demo against ``settings.server``, or an embedded server; raise :class:`Failure`."""
    started = time.perf_counter()
    try:
        with _server(settings, agent) as (url, login, embedded):
            asyncio.run(_play(settings, url, login, embedded=embedded, timeout=timeout))
    except StepFailed as failed:
        message = f"demo failed at step {failed.number} ({failed.title}): "
        raise Failure(message + describe_error(failed.error), exit_code_for(failed.error)) from None
    elapsed = time.perf_counter() - started
    click.echo(click.style(f"demo finished in {elapsed:.1f} s: every step passed", fg="green"))


@contextlib.contextmanager
def _server(settings: Settings, agent: AgentLogin) -> Iterator[tuple[str, AgentLogin, bool]]:
    if settings.server:
        click.echo(f"Rocket.Chat livechat demo against {settings.server}")
        yield settings.server, agent.require(), False
        return
    from ..server import EmbeddedServer

    with EmbeddedServer() as server:
        settings.secret(server.admin_password)
        click.echo(
            f"Rocket.Chat livechat demo: embedded server at {server.url} (temporary database)"
        )
        yield server.url, AgentLogin(server.admin_username, server.admin_password), True


async def _play(
    settings: Settings, url: str, login: AgentLogin, *, embedded: bool, timeout: float
) -> None:
    script = Script(timeout)
    async with contextlib.AsyncExitStack() as stack:
        user_id, auth_token = (
            (login.user_id, login.auth_token) if login.uses_token else (None, None)
        )
        agent_client = await stack.enter_async_context(
            settings.async_client(url, user_id=user_id, auth_token=auth_token)
        )
        visitor_client = await stack.enter_async_context(settings.async_client(url))
        async with script.step("agent online"):
            if not login.uses_token and login.user and login.password:
                await agent_client.login(login.user, login.password)
                settings.secret(agent_client.auth_token)
                stack.push_async_callback(_logout, agent_client)
            username = await _bring_online(agent_client, login, embedded=embedded)
            bot = DemoBot(agent_client, username)
            stack.push_async_callback(bot.stop)
            await bot.start(timeout)
            shown = repr(username) if username else agent_client.user_id
            script.note(f"agent {shown} is available; it answers through the SDK's agent side")
        await Conversation(visitor_client, bot, script, settings).play()


async def _logout(client: AsyncLivechatClient) -> None:
    with contextlib.suppress(e.APIError):
        await client.logout()


async def _bring_online(
    client: AsyncLivechatClient, login: AgentLogin, *, embedded: bool
) -> str | None:
    """Make the user an available agent (on the embedded server, give it the role first).

    Returns its username; ``None`` when only a token was given and the user may not look
    itself up (the bot learns it from its first reply).
    """
    if embedded and login.user:
        await client.users.create_user("agent", login.user)
    await client.users.set_agent_status("available")
    if login.user or client.user_id is None:
        return login.user
    with contextlib.suppress(e.PermissionDeniedError):
        user = await client.users.get_user("agent", client.user_id)
        return user.username if user is not None else None
    return None


class Conversation:
    """The visitor's side of the demo."""

    def __init__(
        self, client: AsyncLivechatClient, bot: DemoBot, script: Script, settings: Settings
    ) -> None:
        self.client, self.bot, self.script, self.settings = client, bot, script, settings
        self.token = new_visitor_token()
        settings.secret(self.token)
        self.visitor_id = ""
        self.rid = ""
        self.deleted = ""

    @property
    def timeout(self) -> float:
        return self.script.timeout

    async def play(self) -> None:
        await self.configuration()
        await self.register()
        served = await self.open_room()
        stream = self.client.realtime.connect(self.token, rooms=[self.rid])
        async with self.script.step("live events"):
            await stream.open()
            self.script.note("subscribed to the room's messages, typing and agent changes")
        inbox = Inbox(stream, prefix="    ")
        pump = asyncio.create_task(inbox.pump())
        try:
            await self.assignment(inbox, served)
            await self.chat(inbox)
            await self.upload(inbox)
            await self.delete(inbox)
            await self.history()
            await self.survey()
            await self.close(inbox)
        finally:
            await stream.close()
            await pump
        await self.transcript()

    async def configuration(self) -> None:
        async with self.script.step("configuration"):
            config = await self.client.config.get_config()
            uploads = "on" if config.settings.file_upload else "off"
            title = config.theme.title
            self.script.note(f"widget “{title}”, agents online: {config.online}, uploads {uploads}")
            if not config.online:
                raise e.NoAgentOnlineError("no agent is online", error="no-agent-online")

    async def register(self) -> None:
        async with self.script.step("register visitor"):
            visitor = await self.client.visitor.register_visitor(
                self.token, name=VISITOR_NAME, email=VISITOR_EMAIL
            )
            self.token = visitor.token or self.token
            self.settings.secret(self.token)
            self.visitor_id = visitor.id
            self.script.note(f"{visitor.name} <{visitor.email}> is {visitor.username}")

    async def open_room(self) -> bool:
        async with self.script.step("open room"):
            result = await self.client.room.get_room(self.token)
            self.rid = result.room.id
            self.script.note(f"room {self.rid} ({'new' if result.new_room else 'resumed'})")
            return result.room.served_by is not None

    async def assignment(self, inbox: Inbox, served: bool) -> None:
        async with self.script.step("agent assignment"):
            agent = await self._agent(inbox) if not served else None
            agent = agent or await self.client.agents.get_agent_info(self.rid, self.token)
            await self.bot.wait_watching(self.rid, self.timeout)
            self.script.note(f"served by {agent.name or agent.username or 'a hidden agent'}")

    async def _agent(self, inbox: Inbox) -> AgentInfo | None:
        """The agent once one takes the queued room (live ``agentData``, or already there)."""
        since = inbox.mark()
        with contextlib.suppress(e.AgentNotFoundError):  # not yet: wait for the event
            return await self.client.agents.get_agent_info(self.rid, self.token)
        self.script.note("waiting in the queue for an agent")
        event = await inbox.expect(
            AgentChangedEvent,
            lambda ev: ev.agent is not None or ev.hidden,
            since=since,
            timeout=self.timeout,
            what="agent assignment",
        )
        return event.agent

    async def say(self, inbox: Inbox, text: str) -> Message:
        """Send ``text`` and wait for the agent's reply to arrive live."""
        since = inbox.mark()
        message = await self.client.messages.send_message(self.token, self.rid, text)
        await self.agent_reply(inbox, since)
        return message

    async def agent_reply(self, inbox: Inbox, since: int) -> None:
        await inbox.expect(
            MessageEvent,
            lambda ev: ev.message.t is None and _author_id(ev.message) != self.visitor_id,
            since=since,
            timeout=self.timeout,
            what="agent reply",
        )

    async def chat(self, inbox: Inbox) -> None:
        async with self.script.step("messages both ways, live"):
            await self.say(inbox, "Hello! I need help with my order.")
            order = await self.say(inbox, "It's order #1024.")
        async with self.script.step("edit a message"):
            since = inbox.mark()
            await self.client.messages.update_message(
                order.id, self.token, self.rid, "It's order #1042, sorry."
            )
            await inbox.expect(
                MessageEvent,
                lambda ev: ev.edited and ev.message.id == order.id,
                since=since,
                timeout=self.timeout,
                what="edited message",
            )
            await self.agent_reply(inbox, since)

    async def upload(self, inbox: Inbox) -> None:
        async with self.script.step("upload a file"):
            with tempfile.TemporaryDirectory(prefix="livechat-demo-") as folder:
                path = Path(folder) / "receipt.txt"
                path.write_bytes(_receipt(UPLOAD_SIZE))
                since = inbox.mark()
                updates = await self._upload(path)
            await self.agent_reply(inbox, since)
            self.script.note(f"uploaded {path.name} ({UPLOAD_SIZE // 1024} KiB, {updates} updates)")

    async def _upload(self, path: Path) -> int:
        updates = 0
        with upload_progress(path.name, UPLOAD_SIZE) as bar:

            def progress(sent: int, total: int | None) -> None:
                nonlocal updates
                updates += 1
                if bar is not None:
                    bar(sent, total)

            await self.client.room.upload_file(
                self.rid, path, self.token, description="my receipt", progress=progress
            )
        return updates

    async def delete(self, inbox: Inbox) -> None:
        async with self.script.step("delete a message"):
            mistake = await self.say(inbox, "(sent by mistake)")
            since = inbox.mark()
            await self.client.messages.delete_message(mistake.id, self.token, self.rid)
            await inbox.expect(
                MessageDeletedEvent,
                lambda ev: ev.message_id == mistake.id,
                since=since,
                timeout=self.timeout,
                what="deletion event",
            )
            self.deleted = mistake.id

    async def history(self) -> None:
        async with self.script.step("history"):
            messages = await self.client.messages.get_message_history(
                self.rid, self.token, limit=100
            )
            ours = [m for m in messages if m.t is None]
            self.script.note(f"{len(messages)} messages stored, {len(ours)} of them chat:")
            for message in reversed(ours):
                self.script.note(f"  {_transcript.message_line(message, edited=message.edited)}")
            if any(m.id == self.deleted for m in messages):
                raise AssertionError("the deleted message is still in the history")
            if not any("#1042" in (m.msg or "") for m in ours):
                raise AssertionError("the edit is missing from the history")

    async def survey(self) -> None:
        async with self.script.step("satisfaction survey"):
            answers = {"satisfaction": "5", "additionalFeedback": "Quick and friendly!"}
            result = await self.client.room.submit_survey(self.rid, self.token, answers)
            kept = ", ".join(f"{key}={value}" for key, value in result.data.items())
            self.script.note(f"the server kept: {kept}")

    async def close(self, inbox: Inbox) -> None:
        async with self.script.step("close the chat"):
            since = inbox.mark()
            await self.client.room.close_room(self.rid, self.token)
            await inbox.expect(
                RoomClosedEvent,
                lambda ev: ev.rid == self.rid,
                since=since,
                timeout=self.timeout,
                what="room-closed event",
            )

    async def transcript(self) -> None:
        async with self.script.step("request the transcript"):
            answer = await self.client.room.request_transcript(self.rid, self.token, VISITOR_EMAIL)
            self.script.note(f"{answer} (to {VISITOR_EMAIL})")


def _author_id(message: Message) -> str | None:
    return message.u.id if message.u is not None else None


def _receipt(size: int) -> bytes:
    line = b"1 x demo item ............................................. 10.00 EUR\n"
    return (line * (size // len(line) + 1))[:size]
