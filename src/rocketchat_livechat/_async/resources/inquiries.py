from __future__ import annotations

from collections.abc import AsyncIterator, Mapping

from ..._core.endpoints import inquiries as endpoint
from ..._core.pagination import OffsetPager
from ...models import Inquiry, Page
from ._base import AsyncResource


class AsyncInquiriesResource(AsyncResource):
    async def list_inquiries(
        self,
        department: str | None = None,
        offset: int | None = None,
        count: int | None = None,
        sort: Mapping[str, int] | None = None,
    ) -> Page[Inquiry]:
        """One page of queued inquiries (manager permission)."""
        return await self._client._request(endpoint.list_inquiries(department, offset, count, sort))

    async def iter_inquiries(
        self, department: str | None = None, *, page_size: int = 50
    ) -> AsyncIterator[Inquiry]:
        pager: OffsetPager[Inquiry] = OffsetPager(page_size)
        while not pager.done:
            page = await self.list_inquiries(department, offset=pager.offset, count=page_size)
            for inquiry in pager.advance(page):
                yield inquiry

    async def take_inquiry(self, inquiry_id: str, user_id: str | None = None) -> None:
        """Take a queued chat (for yourself, or for ``user_id``)."""
        await self._client._request(endpoint.take_inquiry(inquiry_id, user_id))

    async def get_inquiry(self, rid: str) -> Inquiry | None:
        """The inquiry of room ``rid``; ``None`` once the room is closed."""
        return await self._client._request(endpoint.get_inquiry(rid))
