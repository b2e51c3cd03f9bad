from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any

from ..._core.endpoints import room as endpoint
from ..._core.endpoints.room import SurveyData
from ..._core.pagination import OffsetPager
from ..._core.uploads import FileInput, Progress
from ...models import ClosedRoom, Page, Room, RoomResult, SurveyResult, UploadedMessage
from ._base import AsyncResource


class AsyncRoomResource(AsyncResource):
    async def get_room(
        self, token: str, rid: str | None = None, agent_id: str | None = None
    ) -> RoomResult:
        """The visitor's open room, created (and routed) when there is none (``new_room``)."""
        return await self._client._request(endpoint.get_room(token, rid, agent_id))

    async def close_room(self, rid: str, token: str) -> ClosedRoom:
        return await self._client._request(endpoint.close_room(rid, token))

    async def submit_survey(self, rid: str, token: str, data: SurveyData) -> SurveyResult:
        """Rate the chat: ``{"satisfaction": "5", "additionalFeedback": "..."}`` or a list of
        ``{"name", "value"}``. The server keeps only its known items and values 1-5."""
        return await self._client._request(endpoint.submit_survey(rid, token, data))

    async def upload_file(
        self,
        rid: str,
        file: FileInput,
        token: str,
        description: str | None = None,
        *,
        filename: str | None = None,
        content_type: str | None = None,
        progress: Progress | None = None,
    ) -> UploadedMessage:
        """Upload a path, bytes or binary file object into the room, streamed from disk.

        ``progress(sent_bytes, total_bytes_or_None)`` is called as the upload proceeds.
        """
        call = endpoint.upload_file(
            rid,
            file,
            token,
            description,
            filename=filename,
            content_type=content_type,
            progress=progress,
        )
        return await self._client._request(call)

    async def transfer_room(self, rid: str, token: str, department: str) -> Room | None:
        """Move the chat to another department (Rocket.Chat >= 8 returns no room: ``None``)."""
        build = endpoint.transfer_room(rid, token, department)  # checks the arguments first
        return await self._client._request(build(await self._client.server_version()))

    async def request_transcript(self, rid: str, token: str, email: str) -> str:
        """Ask for the conversation's transcript by e-mail; returns the server's confirmation."""
        return await self._client._request(endpoint.request_transcript(rid, token, email))

    async def list_rooms(
        self,
        agents: Sequence[str] | None = None,
        department_id: str | None = None,
        open: bool | None = None,
        created_at: Mapping[str, Any] | None = None,
        closed_at: Mapping[str, Any] | None = None,
        tags: Sequence[str] | None = None,
        custom_fields: Mapping[str, str] | None = None,
        offset: int | None = None,
        count: int | None = None,
        sort: Mapping[str, int] | None = None,
    ) -> Page[Room]:
        """One page of livechat rooms (agent/manager). ``created_at={"start": ..., "end": ...}``."""
        call = endpoint.list_rooms(
            agents,
            department_id,
            open,
            created_at,
            closed_at,
            tags,
            custom_fields,
            offset,
            count,
            sort,
        )
        return await self._client._request(call)

    async def iter_rooms(self, *, page_size: int = 50, **filters: Any) -> AsyncIterator[Room]:
        """Every room matching ``filters`` (the keyword arguments of :meth:`list_rooms`)."""
        pager: OffsetPager[Room] = OffsetPager(page_size)
        while not pager.done:
            page = await self.list_rooms(**filters, offset=pager.offset, count=page_size)
            for room in pager.advance(page):
                yield room

    async def close_room_by_user(
        self, rid: str, comment: str | None = None, tags: Sequence[str] | None = None
    ) -> None:
        """Close the room as the logged-in agent (Rocket.Chat requires a comment by default)."""
        await self._client._request(endpoint.close_room_by_user(rid, comment, tags))
