"""``client.visitors``: visitors seen by agents (``client.visitor`` is the visitor's own side)."""

from __future__ import annotations

from ..._core.endpoints import visitors
from ._base import AsyncEndpointMethod, AsyncResource


class AsyncVisitorsResource(AsyncResource):
    get_info = AsyncEndpointMethod(visitors.get_info)
    get_pages_visited = AsyncEndpointMethod(visitors.get_pages_visited)
    get_chat_history = AsyncEndpointMethod(visitors.get_chat_history)
    search_chats = AsyncEndpointMethod(visitors.search_chats)
    autocomplete = AsyncEndpointMethod(visitors.autocomplete)
    search = AsyncEndpointMethod(visitors.search)
