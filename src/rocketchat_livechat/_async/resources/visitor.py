from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..._core.endpoints import visitor as endpoint
from ..._core.endpoints.visitor import CustomFields
from ...models import CustomFieldResult, DeletedVisitor, PageVisit, Visitor, VisitorStatus
from ._base import AsyncResource


class AsyncVisitorResource(AsyncResource):
    async def register_visitor(
        self,
        token: str,
        name: str | None = None,
        email: str | None = None,
        department: str | None = None,
        phone: str | None = None,
        username: str | None = None,
        custom_fields: CustomFields | None = None,
    ) -> Visitor:
        """Create or update the visitor with ``token``.

        Rocket.Chat may match an existing visitor by phone and keep *its* token: always use the
        returned ``visitor.token`` afterwards. ``custom_fields`` is ``{key: value}`` or a list of
        ``{"key", "value", "overwrite"}``.
        """
        call = endpoint.register_visitor(
            token, name, email, department, phone, username, custom_fields
        )
        return await self._client._request(call)

    async def get_visitor(self, token: str) -> Visitor:
        return await self._client._request(endpoint.get_visitor(token))

    async def delete_visitor(self, token: str) -> DeletedVisitor:
        """Remove the visitor's data, rooms and messages (refused while it has open rooms)."""
        return await self._client._request(endpoint.delete_visitor(token))

    async def set_visitor_status(self, token: str, status: str) -> VisitorStatus:
        """Set the visitor's status (``online``, ``away``, ...) on its open rooms."""
        return await self._client._request(endpoint.set_visitor_status(token, status))

    async def set_custom_field(
        self, token: str, key: str, value: str, overwrite: bool = True
    ) -> CustomFieldResult:
        return await self._client._request(endpoint.set_custom_field(token, key, value, overwrite))

    async def set_custom_fields(self, token: str, fields: CustomFields) -> list[CustomFieldResult]:
        return await self._client._request(endpoint.set_custom_fields(token, fields))

    async def send_page_visited(
        self, token: str, rid: str | None, page_info: Mapping[str, Any]
    ) -> PageVisit | None:
        """Record a page view: ``page_info = {"title": ..., "location": {"href": ...}}``."""
        return await self._client._request(endpoint.send_page_visited(token, rid, page_info))
