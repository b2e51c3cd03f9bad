"""``client.room``: the visitor's room lifecycle, and rooms on the agent side."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

from ..._core.endpoints import room
from ..._core.pagination import OffsetPager
from ._base import AsyncEndpointMethod, AsyncResource

if TYPE_CHECKING:
    from ...models import Room, TransferHistoryEntry


class AsyncRoomResource(AsyncResource):
    get_room = AsyncEndpointMethod(room.get_room)
    close_room = AsyncEndpointMethod(room.close_room)
    submit_survey = AsyncEndpointMethod(room.submit_survey)
    upload_file = AsyncEndpointMethod(room.upload_file)
    transfer_room = AsyncEndpointMethod(room.transfer_room)
    request_transcript = AsyncEndpointMethod(room.request_transcript)
    list_rooms = AsyncEndpointMethod(room.list_rooms)
    close_room_by_user = AsyncEndpointMethod(room.close_room_by_user)
    forward_room = AsyncEndpointMethod(room.forward_room)
    join_room = AsyncEndpointMethod(room.join_room)
    get_transfer_history = AsyncEndpointMethod(room.get_transfer_history)
    get_visitor_rooms = AsyncEndpointMethod(room.get_visitor_rooms)
    save_room_info = AsyncEndpointMethod(room.save_room_info)
    delete_room = AsyncEndpointMethod(room.delete_room)
    remove_all_closed_rooms = AsyncEndpointMethod(room.remove_all_closed_rooms)
    get_room_filters = AsyncEndpointMethod(room.get_room_filters)
    request_transcript_for_room = AsyncEndpointMethod(room.request_transcript_for_room)
    cancel_transcript_request = AsyncEndpointMethod(room.cancel_transcript_request)

    async def iter_rooms(self, *, page_size: int = 50, **filters: Any) -> AsyncIterator[Room]:
        """Every room matching ``filters`` (the keyword arguments of :meth:`list_rooms`)."""
        pager: OffsetPager[Room] = OffsetPager(page_size)
        while not pager.done:
            page = await self.list_rooms(**filters, offset=pager.offset, count=page_size)
            for found in pager.advance(page):
                yield found

    async def iter_transfer_history(
        self, rid: str, *, page_size: int = 50, **options: Any
    ) -> AsyncIterator[TransferHistoryEntry]:
        """Every hand-off of the chat (the keyword arguments of :meth:`get_transfer_history`)."""
        pager: OffsetPager[TransferHistoryEntry] = OffsetPager(page_size)
        while not pager.done:
            page = await self.get_transfer_history(
                rid, **options, offset=pager.offset, count=page_size
            )
            for found in pager.advance(page):
                yield found
