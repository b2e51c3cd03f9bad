"""The interactive ``chat``: live events printed while stdin is read on a thread."""

from __future__ import annotations

import asyncio
import contextlib
import shlex
import sys
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Literal

import click

from .. import errors as e
from .._async.client import AsyncLivechatClient
from .._async.realtime import AsyncRealtimeStream
from .._async.session import AsyncVisitorSession
from .._core.ids import new_message_id
from .._core.tokens import new_visitor_token
from ..realtime import MessageEvent, RealtimeEvent, RoomClosedEvent
from . import _state, _transcript
from ._app import Failure, Settings, describe_error, exit_code_for
from ._inbox import Inbox
from ._output import upload_progress

HELP = (
    "Type a message and press Enter. Commands: /upload PATH, /history, /transcript EMAIL, "
    "/close (end the chat), /quit (leave it open), /help"
)


@dataclass(frozen=True)
class Visitor:
    """Who chats: ``token`` (``None``: the stored one, else a new visitor) and details."""

    token: str | None = None
    name: str | None = None
    email: str | None = None
    department: str | None = None


def run_chat(settings: Settings, visitor: Visitor, replay: int) -> None:
    """Chat until the room closes, ``/close``, ``/quit`` or end of input."""
    server = settings.require_server()
    token = settings.secret(visitor.token or _state.load_token(server))
    try:
        asyncio.run(_chat(settings, server, replace(visitor, token=token), replay))
    except KeyboardInterrupt:
        click.echo("\nleft the chat; it stays open (run chat again to resume)")
    except e.NoAgentOnlineError as exc:
        hint = " — leave a message with `rocketchat-livechat offline-message`"
        raise Failure(describe_error(exc) + hint, exit_code_for(exc)) from None


async def _chat(settings: Settings, server: str, visitor: Visitor, replay: int) -> None:
    async with settings.async_client(server) as client:
        session = await _start(client, settings, server, visitor)
        agent = session.room.served_by
        waiting = "waiting for an agent" if agent is None else f"agent: {agent.username}"
        who = session.visitor.name or session.visitor.username
        click.echo(f"room {session.rid} as {who}, {waiting}")
        click.echo(HELP)
        async with session.events(replay=replay) as stream:
            await Prompt(session, stream).run()


async def _start(
    client: AsyncLivechatClient, settings: Settings, server: str, visitor: Visitor
) -> AsyncVisitorSession:
    """Register (or update) the visitor, store its token, then open or resume its room."""
    registered = await client.visitor.register_visitor(
        visitor.token or new_visitor_token(),
        name=visitor.name,
        email=visitor.email,
        department=visitor.department,
    )
    token = settings.secret(registered.token)
    if token is None:
        raise e.UnexpectedResponseError("the server returned a visitor without a token")
    _state.save_token(server, token)
    room = await client.room.get_room(token)
    return AsyncVisitorSession(client, registered, room.room)


Outcome = Literal["more", "closing", "done"]

#: how long ``/close`` waits for the room-closed event before saying goodbye
CLOSE_WAIT = 3.0


class Prompt:
    """Reads commands and messages from stdin while the inbox prints live events."""

    def __init__(self, session: AsyncVisitorSession, stream: AsyncRealtimeStream) -> None:
        self.session = session
        self.inbox = Inbox(stream, hide=self._typed_here)
        self.lines: asyncio.Queue[str | None] = asyncio.Queue()
        self.sent: set[str] = set()

    def _typed_here(self, event: RealtimeEvent) -> bool:
        """What you type is on your screen already: the echo of your messages is not shown."""
        return (
            isinstance(event, MessageEvent) and not event.edited and event.message.id in self.sent
        )

    async def run(self) -> None:
        _read_lines(asyncio.get_running_loop(), self.lines, sys.stdin)
        pump = asyncio.create_task(self.inbox.pump())
        closed = asyncio.create_task(
            self.inbox.expect(
                RoomClosedEvent,
                lambda ev: ev.rid == self.session.rid,
                since=0,
                timeout=None,
                what="the end of the chat",
            )
        )
        try:
            outcome: Outcome = "more"
            while outcome == "more":
                outcome = await self._next(closed)
            if outcome == "closing":
                await asyncio.wait({closed}, timeout=CLOSE_WAIT)
                click.echo("chat closed")
        finally:
            closed.cancel()
            await self.inbox.stream.close()
            await asyncio.gather(pump, closed, return_exceptions=True)

    async def _next(self, closed: asyncio.Task[RoomClosedEvent]) -> Outcome:
        """Handle one input line (or notice the end of the chat)."""
        line_task = asyncio.create_task(self.lines.get())
        await asyncio.wait({line_task, closed}, return_when=asyncio.FIRST_COMPLETED)
        if not line_task.done():
            line_task.cancel()
            return "done"
        line = line_task.result()
        if line is None:
            click.echo("end of input: leaving the chat open (run chat again to resume)")
            return "done"
        try:
            return await self._handle(line.strip())
        except e.APIError as exc:
            click.echo(f"error: {describe_error(exc)}", err=True)
            return "more"

    async def _handle(self, line: str) -> Outcome:
        command, _, argument = line.partition(" ")
        argument = argument.strip()
        if not line.startswith("/"):
            if line:
                message_id = new_message_id()
                self.sent.add(message_id)
                await self.session.send(line, message_id)
        elif command == "/close":
            await self.session.close()
            return "closing"
        elif command == "/quit":
            click.echo("left the chat; it stays open (run chat again to resume)")
            return "done"
        elif command == "/history":
            for message in await self.session.history(limit=50):
                if _transcript.shown(message):
                    click.echo(_transcript.message_line(message, edited=message.edited))
        elif command == "/upload" and argument:
            await self._upload(Path(shlex.split(argument)[0]).expanduser())
        elif command == "/transcript" and argument:
            answer = await self.session.client.room.request_transcript(
                self.session.rid, self.session.token, argument
            )
            click.echo(answer)
        else:
            click.echo(HELP)
        return "more"

    async def _upload(self, path: Path) -> None:
        if not path.is_file():
            click.echo(f"error: no such file: {path}", err=True)
            return
        with upload_progress(path.name, path.stat().st_size) as progress:
            await self.session.upload(path, progress=progress)
        click.echo(f"uploaded {path.name}")


def _read_lines(
    loop: asyncio.AbstractEventLoop, queue: asyncio.Queue[str | None], stream: IO[str]
) -> None:
    """Feed ``stream``'s lines (then ``None`` at its end) to ``queue`` from a daemon thread."""

    def read() -> None:
        with contextlib.suppress(RuntimeError):  # the loop closed: the chat is over
            for line in iter(stream.readline, ""):
                loop.call_soon_threadsafe(queue.put_nowait, line.rstrip("\n"))
            loop.call_soon_threadsafe(queue.put_nowait, None)

    threading.Thread(target=read, name="chat-stdin", daemon=True).start()
