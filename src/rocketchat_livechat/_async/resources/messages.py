"""``client.messages``: visitor messages, history, offline messages and the agent's own messages."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Unpack

from ..._core import downloads
from ..._core.endpoint import CallOptions
from ..._core.endpoints import messages
from ..._core.pagination import HistoryPager
from ..._core.uploads import FileInput, Progress
from ._base import AsyncEndpointMethod, AsyncResource

if TYPE_CHECKING:
    from ...models import Message, MessageFile


class AsyncMessagesResource(AsyncResource):
    send_message = AsyncEndpointMethod(messages.send_message)
    get_message = AsyncEndpointMethod(messages.get_message)
    update_message = AsyncEndpointMethod(messages.update_message)
    delete_message = AsyncEndpointMethod(messages.delete_message)
    get_message_history = AsyncEndpointMethod(messages.get_message_history)
    send_offline_message = AsyncEndpointMethod(messages.send_offline_message)
    send_agent_message = AsyncEndpointMethod(messages.send_agent_message)
    update_agent_message = AsyncEndpointMethod(messages.update_agent_message)
    delete_agent_message = AsyncEndpointMethod(messages.delete_agent_message)
    upload_agent_media = AsyncEndpointMethod(messages.upload_agent_media)
    confirm_agent_media = AsyncEndpointMethod(messages.confirm_agent_media)
    upload_agent_file_legacy = AsyncEndpointMethod(messages.upload_agent_file_legacy)
    send_messages = AsyncEndpointMethod(messages.send_messages)
    receive_sms = AsyncEndpointMethod(messages.receive_sms)

    async def upload_agent_file(
        self,
        rid: str,
        file: FileInput,
        *,
        description: str | None = None,
        msg: str | None = None,
        filename: str | None = None,
        content_type: str | None = None,
        progress: Progress | None = None,
        **options: Unpack[CallOptions],
    ) -> Message:
        """Post a file in a room as the logged-in agent, streamed from a path, bytes or a binary
        file object; ``progress(sent_bytes, total_bytes_or_None)`` is called as it is sent.

        Rocket.Chat >= 7.0: ``rooms.media/:rid`` stores the file, ``rooms.mediaConfirm`` posts
        it with ``msg`` and ``description``; older servers: one ``rooms.upload/:rid``. Returns the
        file message (``file``, ``files``, ``attachments``). Every argument is checked before the
        first request.
        """
        # every argument is validated before any I/O
        messages.upload_agent_media.parts(
            rid, file, filename=filename, content_type=content_type, progress=progress
        )
        messages.confirm_agent_media.parts(rid, "file", msg=msg, description=description)
        if await self._client.server_version(**options) < (7, 0):
            return await self.upload_agent_file_legacy(
                rid,
                file,
                description=description,
                msg=msg,
                filename=filename,
                content_type=content_type,
                progress=progress,
                **options,
            )
        media = await self.upload_agent_media(
            rid, file, filename=filename, content_type=content_type, progress=progress, **options
        )
        return await self.confirm_agent_media(
            rid, media.id, msg=msg, description=description, **options
        )

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
