"""Consumes a realtime stream in a task, prints its events and lets a script wait for one."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar

import click

from .._async.realtime import AsyncRealtimeStream
from ..realtime import RealtimeEvent
from . import _transcript

E = TypeVar("E")


class Inbox:
    """Every event of ``stream``, printed as it arrives (``prefix`` + readable line) unless
    ``hide(event)``."""

    def __init__(
        self,
        stream: AsyncRealtimeStream,
        *,
        prefix: str = "",
        hide: Callable[[RealtimeEvent], bool] = lambda event: False,
    ) -> None:
        self.stream = stream
        self.events: list[RealtimeEvent] = []
        self.failure: BaseException | None = None
        self._prefix = prefix
        self._hide = hide
        self._ended = False
        self._arrived = asyncio.Condition()

    async def pump(self) -> None:
        """Read the stream until it ends (run it as a task)."""
        try:
            async for event in self.stream:
                line = None if self._hide(event) else _transcript.event_line(event)
                if line is not None:
                    click.echo(f"{self._prefix}{line}")
                await self._add(event)
        except Exception as exc:
            self.failure = exc
        finally:
            self._ended = True
            async with self._arrived:
                self._arrived.notify_all()

    async def _add(self, event: RealtimeEvent) -> None:
        async with self._arrived:
            self.events.append(event)
            self._arrived.notify_all()

    def mark(self) -> int:
        """A position: :meth:`expect` ``since=`` it sees only events that arrived later."""
        return len(self.events)

    async def expect(
        self,
        kind: type[E],
        test: Callable[[E], bool],
        *,
        since: int,
        timeout: float | None,
        what: str,
    ) -> E:
        """The first ``kind`` event after ``since`` that passes ``test``; waits ``timeout`` s
        (``None``: until the stream ends, then ``RuntimeError``)."""

        def found() -> E | None:
            for event in self.events[since:]:
                if isinstance(event, kind) and test(event):
                    return event
            if self._ended:
                raise RuntimeError(f"the live event stream ended before {what}: {self.failure!r}")
            return None

        async with self._arrived:
            try:
                event = await asyncio.wait_for(self._arrived.wait_for(found), timeout)
            except TimeoutError:
                raise TimeoutError(f"no {what} within {timeout} s") from None
        assert event is not None
        return event
