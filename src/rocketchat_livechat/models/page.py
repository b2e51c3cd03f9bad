"""Paginated lists and the page-visit result."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, Field

from ._base import RocketChatModel

__all__ = ["Page", "PageVisit"]

T = TypeVar("T", bound=BaseModel)


class Page(RocketChatModel, Generic[T]):
    """One page of a paginated list (``{"<key>": [...], "count", "offset", "total"}``).

    ``count`` is the number of items on this page, ``total`` the number across all pages.
    Iterating a page yields its items; ``has_more`` says whether later pages exist. To walk every
    page, use the matching ``iter_*`` method.
    """

    items: list[T] = Field(default_factory=list)
    count: int = 0
    offset: int = 0
    total: int = 0

    def __iter__(self) -> Iterator[T]:  # type: ignore[override]  # the items, not the fields
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def has_more(self) -> bool:
        """Whether items exist after this page."""
        return bool(self.items) and self.offset + len(self.items) < self.total

    @classmethod
    def from_response(cls, body: Mapping[str, Any], key: str, item_model: type[T]) -> Page[T]:
        """Build from a list response whose items sit under ``key`` (e.g. ``"rooms"``)."""
        items = body.get(key) or []
        page_type: type[Page[T]] = Page[item_model]  # type: ignore[valid-type]
        return page_type.model_validate(
            {
                "items": items,
                "count": body.get("count", len(items)),
                "offset": body.get("offset", 0),
                "total": body.get("total", len(items)),
            }
        )


class PageVisit(RocketChatModel):
    """Result of ``POST livechat/page.visited`` (the ``page`` object)."""

    msg: str | None = None
    navigation: dict[str, Any] | None = Field(default=None, repr=False)  # holds the token
