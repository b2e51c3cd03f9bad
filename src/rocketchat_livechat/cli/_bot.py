"""The ``demo`` agent: answers visitors through the SDK's agent side.

It follows its rooms over the realtime agent stream (which also keeps it online for routing),
takes queued inquiries it sees (Manual_Selection), and replies to each visitor message after a
short "typing…".
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections import defaultdict

from .. import errors as e
from .._async.client import AsyncLivechatClient
from .._async.realtime import AsyncRealtimeStream
from ..models import Message
from ..realtime import InquiryEvent, MessageEvent, RealtimeEvent, RoomAssignmentEvent

logger = logging.getLogger("rocketchat_livechat.cli.bot")

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


class AgentBot:
    """The bot's lifecycle: :meth:`start` (returns once online), :meth:`stop`."""

    def __init__(self, client: AsyncLivechatClient, username: str | None) -> None:
        self.client = client
        self.username = username
        self.error: BaseException | None = None
        self._connected = asyncio.Event()
        self._watching: defaultdict[str, asyncio.Event] = defaultdict(asyncio.Event)
        self._replies: set[asyncio.Task[None]] = set()
        self._stream: AsyncRealtimeStream | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self, timeout: float) -> None:
        """Connect the agent stream in a task; raise if it fails or takes over ``timeout`` s."""
        self._task = task = asyncio.create_task(self._run())
        connected = asyncio.create_task(self._connected.wait())
        await asyncio.wait({task, connected}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        connected.cancel()
        if task.done():
            task.result()  # the connection failed: raise its error
            raise e.RealtimeError("the agent's realtime stream ended at once")
        if not self._connected.is_set():
            raise TimeoutError(f"the agent's realtime connection took over {timeout:g} s")

    async def stop(self) -> None:
        """Close the stream and wait for the bot to finish (closing, not cancelling, is what
        ends a stream cleanly)."""
        for reply in self._replies:
            reply.cancel()
        if self._stream is not None:
            await self._stream.close()
        if self._task is not None:
            _, pending = await asyncio.wait({self._task}, timeout=5)
            for task in pending:
                task.cancel()

    async def _run(self) -> None:
        try:
            async with self.client.realtime.connect_agent(username=self.username) as stream:
                self._stream = stream
                self._connected.set()
                async for event in stream:
                    await self._handle(event)
        except Exception as exc:
            self.error = exc
            raise

    async def wait_watching(self, rid: str, timeout: float) -> None:
        """Until the bot follows room ``rid`` (its assignment has reached the agent stream)."""
        try:
            await asyncio.wait_for(self._watching[rid].wait(), timeout)
        except TimeoutError:
            reason = f" ({self.error!r})" if self.error else ""
            raise TimeoutError(
                f"the agent did not join room {rid} in {timeout:g} s{reason}"
            ) from None

    async def _handle(self, event: RealtimeEvent) -> None:
        if isinstance(event, RoomAssignmentEvent) and event.assigned:
            self._watching[event.rid].set()
        elif isinstance(event, InquiryEvent) and event.inquiry is not None:
            if event.inquiry.status == "queued":
                await self._take(event.inquiry_id)
        elif isinstance(event, MessageEvent) and self._from_visitor(event):
            task = asyncio.create_task(self._reply(event.message, event.edited))
            self._replies.add(task)
            task.add_done_callback(self._replies.discard)

    async def _take(self, inquiry_id: str) -> None:
        try:
            await self.client.inquiries.take_inquiry(inquiry_id)
        except e.InquiryTakenError:
            pass  # another agent was quicker
        except e.APIError as exc:
            logger.warning("demo agent could not take inquiry %s: %r", inquiry_id, exc)

    def _from_visitor(self, event: MessageEvent) -> bool:
        """A visitor message (live or recovered after a gap: each arrives once)."""
        message = event.message
        author = message.u.id if message.u is not None else None
        return message.t is None and author != self.client.user_id

    async def _reply(self, message: Message, edited: bool) -> None:
        stream, rid = self._stream, message.rid
        if stream is None or rid is None:
            return
        try:
            await self._typing(stream, rid, True)
            await asyncio.sleep(TYPING_SECONDS)
            sent = await self.client.messages.send_agent_message(
                rid, answer(message, edited=edited)
            )
            self.username = self.username or (sent.u.username if sent.u is not None else None)
            await self._typing(stream, rid, False)
        except e.APIError as exc:
            self.error = exc
            logger.warning("demo agent could not reply: %r", exc)

    async def _typing(self, stream: AsyncRealtimeStream, rid: str, typing: bool) -> None:
        if self.username:  # typing notifications carry the username
            await stream.send_typing(rid, typing, self.username)
