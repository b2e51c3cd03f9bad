"""``client.messages``: visitor messages, history, offline messages and agent replies."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Unpack

from ..._core import downloads
from ..._core.endpoint import CallOptions
from ..._core.endpoints import messages
from ..._core.pagination import HistoryPager
from ...models import Message, MessageFile
from ._base import AsyncEndpointMethod, AsyncResource


class AsyncMessagesResource(AsyncResource):
    send_message = AsyncEndpointMethod(messages.send_message)
    get_message = AsyncEndpointMethod(messages.get_message)
    update_message = AsyncEndpointMethod(messages.update_message)
    delete_message = AsyncEndpointMethod(messages.delete_message)
    get_message_history = AsyncEndpointMethod(messages.get_message_history)
    send_offline_message = AsyncEndpointMethod(messages.send_offline_message)
    send_agent_message = AsyncEndpointMethod(messages.send_agent_message)

    async def iter_message_history(
        self, rid: str, token: str, *, page_size: int = 50, **options: Unpack[CallOptions]
    ) -> AsyncIterator[Message]:
        """Every message of the room, newest first, each exactly once even while new ones arrive."""
        pager = HistoryPager(page_size)
        while not pager.done:
            page = await self.get_message_history(
                rid,
                token,
                end=pager.end,
                limit=page_size,
                offset=pager.offset or None,
                **options,
            )
            for message in pager.advance(page):
                yield message

    async def download_file(
        self,
        message_or_file: Message | MessageFile | str,
        token: str,
        dest: downloads.Destination,
        *,
        rid: str | None = None,
        progress: downloads.Progress | None = None,
        **options: Unpack[CallOptions],
    ) -> int:
        """Download an uploaded file as the visitor ``token``; the number of bytes written.

        ``message_or_file`` is a file message (its ``file``, else its attachment's
        ``title_link`` or ``fileUpload.publicFilePath``), a :class:`MessageFile` or a
        ``/file-upload/<id>/<name>`` URL; the latter two need ``rid=``, the file's room (a
        message gives its own). ``dest`` is a path (written to a temporary file next to it and
        renamed when complete: a failed download leaves nothing) or a binary file object.
        The body is streamed in chunks, never held in memory; ``progress(received, total)``
        follows it. Sends ``GET /file-upload/<id>/<name>?rc_room_type=l&rc_rid=&rc_token=``
        (Rocket.Chat's visitor access, FileUpload.ts ``requestCanAccessFiles``): the room may
        be closed on Rocket.Chat >= 6.9 (before: :class:`PermissionDeniedError` once closed).
        Refused → :class:`PermissionDeniedError` (403), unknown file → :class:`NotFoundError`.
        """
        ref = downloads.file_ref(message_or_file)
        request = downloads.visitor_request(ref, token, rid)
        sink = downloads.DownloadSink(dest, progress)
        return await self._client._download(request, sink, **options)

    async def download_agent_file(
        self,
        message_or_file: Message | MessageFile | str,
        dest: downloads.Destination,
        *,
        progress: downloads.Progress | None = None,
        **options: Unpack[CallOptions],
    ) -> int:
        """Download an uploaded file as the logged-in user; the number of bytes written.

        As :meth:`download_file`, authenticated with the ``X-User-Id``/``X-Auth-Token``
        headers. With ``FileUpload_Restrict_to_room_members`` on (Rocket.Chat's default) the
        user must be subscribed to the file's room (the serving agent is); else
        :class:`PermissionDeniedError`.
        """
        ref = downloads.file_ref(message_or_file)
        request = downloads.agent_request(ref)
        sink = downloads.DownloadSink(dest, progress)
        return await self._client._download(request, sink, **options)
