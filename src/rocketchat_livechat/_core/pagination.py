"""Paging state for the auto-paging iterators (pure; the drivers fetch)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Generic, TypeVar

from .validation import iso_timestamp, required_int

if TYPE_CHECKING:
    from pydantic import BaseModel

    from ..models import Message, Page

T = TypeVar("T", bound="BaseModel")


@dataclass
class OffsetPager(Generic[T]):
    """``offset``/``count`` paging over endpoints that report ``total``."""

    page_size: int = 50
    offset: int = 0
    done: bool = False

    def __post_init__(self) -> None:
        required_int("page_size", self.page_size, minimum=1)

    def advance(self, page: Page[T]) -> list[T]:
        self.offset += len(page.items)
        self.done = not page.items or self.offset >= page.total
        return page.items


@dataclass
class HistoryPager:
    """Backwards paging over ``messages.history`` (newest first, no ``total``).

    Offsets shift while new messages arrive, so each page asks for messages before the oldest
    one seen (``end`` is exclusive; one millisecond is added so that messages sharing that
    timestamp are fetched again rather than skipped). ``offset`` skips the messages at that
    timestamp already seen, so a page made only of equal timestamps cannot stall the walk;
    anything fetched twice is dropped by id.
    """

    page_size: int = 50
    end: str | None = None
    offset: int = 0
    done: bool = False
    _seen: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        required_int("page_size", self.page_size, minimum=1)

    def advance(self, messages: list[Message]) -> list[Message]:
        fresh = [m for m in messages if m.id not in self._seen]
        self._seen.update(m.id for m in fresh)
        if not fresh or len(messages) < self.page_size:
            self.done = True
        oldest = min((m.ts for m in messages if m.ts is not None), default=None)
        if oldest is None:
            self.done = True
            return fresh
        end = iso_timestamp(oldest + timedelta(milliseconds=1))
        if end == self.end:  # the whole page shares the boundary's timestamp: go deeper
            self.offset += len(messages)
        else:
            self.end = end
            self.offset = sum(1 for m in messages if m.ts == oldest)
        return fresh
