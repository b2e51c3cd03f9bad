"""The agent's own messages end to end: edit (``chat.update``), delete (``chat.delete``) and file
upload (``rooms.media`` + ``rooms.mediaConfirm``), as the visitor's realtime stream sees them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any, TypeVar

import pytest

from rocketchat_livechat import (
    ActionNotAllowedError,
    AsyncLivechatClient,
    FileTypeNotAllowedError,
    FileUploadDisabledError,
    InvalidArgumentError,
    InvalidFileError,
    InvalidMessageError,
    MessageEditingBlockedError,
    PermissionDeniedError,
)
from rocketchat_livechat.realtime import AsyncRealtimeStream, MessageDeletedEvent, MessageEvent
from rocketchat_livechat.testing.plugin import Agent, LivechatTestServer

from ._support import open_chat

pytestmark = pytest.mark.e2e

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 4096
E = TypeVar("E")


@asynccontextmanager
async def as_agent(server: LivechatTestServer, agent: Agent) -> AsyncIterator[AsyncLivechatClient]:
    async with AsyncLivechatClient(
        server.url, user_id=agent.user_id, auth_token=agent.auth_token
    ) as client:
        yield client


async def next_event(stream: AsyncRealtimeStream, kind: type[E], **match: Any) -> E:
    """The next event of type ``kind`` whose attributes equal ``match`` (pytest-timeout bounds
    the wait)."""
    async for event in stream:
        if isinstance(event, kind) and all(getattr(event, k) == v for k, v in match.items()):
            return event
    raise AssertionError(f"stream ended before a {kind.__name__}")


async def next_message(stream: AsyncRealtimeStream, **match: Any) -> MessageEvent:
    """The next message event whose message's attributes equal ``match``."""
    async for event in stream:
        if isinstance(event, MessageEvent) and all(
            getattr(event.message, k) == v for k, v in match.items()
        ):
            return event
    raise AssertionError("stream ended before the message")


async def test_the_visitor_sees_the_agents_edit_delete_and_file(
    async_livechat_client: AsyncLivechatClient, livechat_server: LivechatTestServer, tmp_path: Path
) -> None:
    chat = await open_chat(async_livechat_client, livechat_server)
    stream = async_livechat_client.realtime.connect(chat.token, rooms=[chat.rid])
    async with as_agent(livechat_server, chat.agent) as agent, stream:
        sent = await agent.messages.send_agent_message(chat.rid, "helo")
        await next_message(stream, id=sent.id)

        edited = await agent.messages.update_agent_message(chat.rid, sent.id, "hello")
        assert (edited.id, edited.msg, edited.edited) == (sent.id, "hello", True)
        assert edited.edited_by is not None and edited.edited_by.id == chat.agent.user_id
        seen = await next_event(stream, MessageEvent, edited=True)
        assert (seen.message.id, seen.message.msg) == (sent.id, "hello")

        deleted = await agent.messages.delete_agent_message(chat.rid, sent.id)
        assert deleted.id == sent.id and deleted.ts is not None
        assert deleted.message is not None and deleted.message.rid == chat.rid
        assert await next_event(stream, MessageDeletedEvent) == MessageDeletedEvent(
            chat.rid, sent.id
        )

        path = tmp_path / "diagram.png"
        path.write_bytes(PNG)
        progress: list[tuple[int, int | None]] = []
        message = await agent.messages.upload_agent_file(
            chat.rid,
            path,
            msg="here is the diagram",
            description="the diagram",
            progress=lambda done, total: progress.append((done, total)),
        )
        assert progress[-1] == (len(PNG), len(PNG))
        assert message.rid == chat.rid and message.msg == "here is the diagram"
        assert message.u is not None and message.u.id == chat.agent.user_id
        assert message.file is not None and message.file.name == "diagram.png"
        assert (message.file.type, message.file.size) == ("image/png", len(PNG))
        assert [f.id for f in message.files] == [message.file.id]
        attachment = message.attachments[0]
        assert attachment.description == "the diagram" and attachment.file_id == message.file.id
        assert attachment.title_link == f"/file-upload/{message.file.id}/diagram.png"
        assert attachment.image_url == attachment.title_link
        pushed = await next_message(stream, id=message.id)
        assert pushed.message.file is not None and pushed.message.file.id == message.file.id

    # the visitor downloads it with its room credentials, from the link in the message
    download = livechat_server.http.get(
        attachment.title_link,
        params={"rc_token": chat.token, "rc_rid": chat.rid, "rc_room_type": "l"},
    )
    assert (download.status_code, download.content) == (200, PNG)


async def test_an_upload_from_bytes_and_a_file_object(
    async_livechat_client: AsyncLivechatClient, livechat_server: LivechatTestServer, tmp_path: Path
) -> None:
    chat = await open_chat(async_livechat_client, livechat_server)
    async with as_agent(livechat_server, chat.agent) as agent:
        notes = await agent.messages.upload_agent_file(chat.rid, b"call notes", filename="n.txt")
        assert notes.file is not None and notes.file.type == "text/plain"
        assert notes.msg == "" and notes.attachments[0].format == "TXT"
        assert notes.attachments[0].description is None
        path = tmp_path / "report.pdf"
        path.write_bytes(b"%PDF-1.4")
        with path.open("rb") as handle:
            report = await agent.messages.upload_agent_file(chat.rid, handle)
        assert report.file is not None
        assert (report.file.name, report.file.type) == ("report.pdf", "application/pdf")
    history = await async_livechat_client.messages.get_message_history(chat.rid, chat.token)
    sizes = {m.id: m.file_upload.size for m in history if m.file_upload is not None}
    assert sizes == {notes.id: len(b"call notes"), report.id: len(b"%PDF-1.4")}


async def test_edit_refusals(
    async_livechat_client: AsyncLivechatClient, livechat_server: LivechatTestServer
) -> None:
    chat = await open_chat(async_livechat_client, livechat_server)
    theirs = await async_livechat_client.messages.send_message(chat.token, chat.rid, "hi")
    async with as_agent(livechat_server, chat.agent) as agent:
        own = await agent.messages.send_agent_message(chat.rid, "mine")
        with pytest.raises(ActionNotAllowedError) as caught:  # someone else's message
            await agent.messages.update_agent_message(chat.rid, theirs.id, "hijacked")
        assert caught.value.error == "error-action-not-allowed"
        with pytest.raises(InvalidMessageError) as wrong_room:
            await agent.messages.update_agent_message("another-room", own.id, "x")
        assert wrong_room.value.error == (
            "The room id provided does not match where the message is from."
        )
        with pytest.raises(InvalidMessageError):
            await agent.messages.update_agent_message(chat.rid, "NoSuchMessage", "x")
        livechat_server.set_setting("Message_AllowEditing", False)
        with pytest.raises(ActionNotAllowedError):
            await agent.messages.update_agent_message(chat.rid, own.id, "fix")
        livechat_server.set_setting("Message_AllowEditing", True)
        livechat_server.set_setting("Message_AllowEditing_BlockEditInMinutes", 1)
        state = livechat_server.server.state
        with state.store.transaction():  # the message is two minutes old
            state.store.messages.update(
                own.id, {"$set": {"ts": state.now() - timedelta(minutes=2)}}
            )
        with pytest.raises(MessageEditingBlockedError) as blocked:
            await agent.messages.update_agent_message(chat.rid, own.id, "too late")
        assert blocked.value.error == "error-message-editing-blocked"
        with pytest.raises(InvalidArgumentError) as bad:
            await agent.messages.update_agent_message(chat.rid, own.id, "")
        assert bad.value.argument == "msg"


async def test_delete_refusals(
    async_livechat_client: AsyncLivechatClient, livechat_server: LivechatTestServer
) -> None:
    chat = await open_chat(async_livechat_client, livechat_server)
    theirs = await async_livechat_client.messages.send_message(chat.token, chat.rid, "hi")
    async with as_agent(livechat_server, chat.agent) as agent:
        own = await agent.messages.send_agent_message(chat.rid, "mine")
        with pytest.raises(ActionNotAllowedError):
            await agent.messages.delete_agent_message(chat.rid, theirs.id)
        with pytest.raises(ActionNotAllowedError):  # force-delete-message needed for as_user
            await agent.messages.delete_agent_message(chat.rid, theirs.id, as_user=True)
        with pytest.raises(InvalidMessageError):
            await agent.messages.delete_agent_message("another-room", own.id)
        livechat_server.set_setting("Message_AllowDeleting", False)
        with pytest.raises(ActionNotAllowedError):
            await agent.messages.delete_agent_message(chat.rid, own.id)


async def test_upload_refusals(
    async_livechat_client: AsyncLivechatClient, livechat_server: LivechatTestServer
) -> None:
    chat = await open_chat(async_livechat_client, livechat_server)
    outsider = livechat_server.create_agent(available=False)
    async with as_agent(livechat_server, chat.agent) as agent:
        with pytest.raises(FileTypeNotAllowedError) as caught:
            await agent.messages.upload_agent_file(chat.rid, b"<svg/>", filename="x.svg")
        assert caught.value.error == "error-invalid-file-type"
        with pytest.raises(InvalidFileError):
            await agent.messages.confirm_agent_media(chat.rid, "NoSuchFile")
        with pytest.raises(InvalidArgumentError) as bad:
            await agent.messages.upload_agent_file(chat.rid, b"x", progress="no")  # type: ignore[arg-type]
        assert bad.value.argument == "progress"
        livechat_server.set_setting("FileUpload_Enabled", False)
        with pytest.raises(FileUploadDisabledError):
            await agent.messages.upload_agent_file(chat.rid, b"x", filename="a.txt")
    async with as_agent(livechat_server, outsider) as other:
        with pytest.raises(PermissionDeniedError):  # not a room the outsider can access
            await other.messages.upload_agent_file(chat.rid, b"x", filename="a.txt")
