"""Paginated lists and the page-visit result."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, Field

from ._base import RocketChatModel

__all__ = ["Page", "PageVisit"]

T = TypeVar("T", bound=BaseModel)


class Page(RocketChatModel, Generic[T]):
    """One page of a paginated list (``{"<key>": [...], "count", "offset", "total"}``).

    ``count`` is the number of items on this page, ``total`` the number across all pages.
    """

    items: list[T] = Field(default_factory=list)
    count: int = 0
    offset: int = 0
    total: int = 0

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
