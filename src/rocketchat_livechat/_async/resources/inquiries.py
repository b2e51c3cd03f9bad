"""``client.inquiries``: the queue of chats waiting for an agent."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Unpack

from ..._core.endpoint import CallOptions
from ..._core.endpoints import inquiries
from ..._core.pagination import OffsetPager
from ._base import AsyncEndpointMethod, AsyncResource

if TYPE_CHECKING:
    from ...models import Inquiry


class AsyncInquiriesResource(AsyncResource):
    list_inquiries = AsyncEndpointMethod(inquiries.list_inquiries)
    take_inquiry = AsyncEndpointMethod(inquiries.take_inquiry)
    get_inquiry = AsyncEndpointMethod(inquiries.get_inquiry)
    list_queued_for_user = AsyncEndpointMethod(inquiries.list_queued_for_user)
    get_queue = AsyncEndpointMethod(inquiries.get_queue)
    return_as_inquiry = AsyncEndpointMethod(inquiries.return_as_inquiry)

    async def iter_inquiries(
        self,
        *,
        department: str | None = None,
        page_size: int = 50,
        **options: Unpack[CallOptions],
    ) -> AsyncIterator[Inquiry]:
        """Every queued inquiry (of ``department``), page by page."""
        pager: OffsetPager[Inquiry] = OffsetPager(page_size)
        while not pager.done:
            page = await self.list_inquiries(
                department=department, offset=pager.offset, count=page_size, **options
            )
            for inquiry in pager.advance(page):
                yield inquiry
