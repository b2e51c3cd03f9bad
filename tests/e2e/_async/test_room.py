"""Rooms end to end: open, close, survey, transfer, transcript and uploads (visitor side), and
closing by an agent."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from rocketchat_livechat import (
    ActionNotAllowedError,
    AsyncLivechatClient,
    FileTypeNotAllowedError,
    FileUploadDisabledError,
    InvalidDepartmentError,
    InvalidEmailError,
    InvalidRoomError,
    InvalidTokenError,
    NoAgentOnlineError,
    PermissionDeniedError,
    RoomClosedError,
    new_visitor_token,
)
from rocketchat_livechat.testing.plugin import LivechatTestServer

from ._support import open_chat, register

pytestmark = pytest.mark.e2e

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 64


async def test_get_room_creates_once_then_returns_the_open_room(
    async_livechat_client: AsyncLivechatClient, livechat_server: LivechatTestServer
) -> None:
    chat = await open_chat(async_livechat_client, livechat_server)
    again = await async_livechat_client.room.get_room(chat.token)
    assert (again.new_room, again.room.id, again.room.open) == (False, chat.rid, True)
    by_id = await async_livechat_client.room.get_room(chat.token, rid=chat.rid)
    assert by_id.room.id == chat.rid
    assert by_id.room.v is not None and by_id.room.v.token == chat.token


async def test_get_room_without_agents_is_refused(
    async_livechat_client: AsyncLivechatClient,
) -> None:
    token = await register(async_livechat_client)
    with pytest.raises(NoAgentOnlineError) as caught:
        await async_livechat_client.room.get_room(token)
    assert caught.value.error == "no-agent-online"


async def test_get_room_of_an_unknown_visitor_or_room(
    async_livechat_client: AsyncLivechatClient, livechat_server: LivechatTestServer
) -> None:
    chat = await open_chat(async_livechat_client, livechat_server)
    with pytest.raises(InvalidTokenError):
        await async_livechat_client.room.get_room(new_visitor_token())
    with pytest.raises(InvalidRoomError):
        await async_livechat_client.room.get_room(chat.token, rid="NoSuchRoom")


async def test_close_room_then_it_is_closed(
    async_livechat_client: AsyncLivechatClient, livechat_server: LivechatTestServer
) -> None:
    chat = await open_chat(async_livechat_client, livechat_server)
    closed = await async_livechat_client.room.close_room(chat.rid, chat.token)
    assert closed.rid == chat.rid
    assert closed.comment == "Closed by visitor"
    with pytest.raises(RoomClosedError) as caught:
        await async_livechat_client.room.close_room(chat.rid, chat.token)
    assert caught.value.error == "room-closed"
    with pytest.raises(RoomClosedError):
        await async_livechat_client.messages.send_message(chat.token, chat.rid, "still there?")
    # a new conversation can start afterwards
    reopened = await async_livechat_client.room.get_room(chat.token)
    assert reopened.new_room and reopened.room.id != chat.rid


async def test_visitors_may_be_forbidden_to_close(
    async_livechat_client: AsyncLivechatClient, livechat_server: LivechatTestServer
) -> None:
    chat = await open_chat(async_livechat_client, livechat_server)
    livechat_server.set_setting("Omnichannel_allow_visitors_to_close_conversation", False)
    with pytest.raises(ActionNotAllowedError) as caught:
        await async_livechat_client.room.close_room(chat.rid, chat.token)
    assert caught.value.error == "error-not-allowed-to-close-conversation"


async def test_close_someone_elses_room(
    async_livechat_client: AsyncLivechatClient, livechat_server: LivechatTestServer
) -> None:
    chat = await open_chat(async_livechat_client, livechat_server)
    stranger = await register(async_livechat_client, "Mallory")
    with pytest.raises(InvalidRoomError):
        await async_livechat_client.room.close_room(chat.rid, stranger)


async def test_survey_before_and_after_close(
    async_livechat_client: AsyncLivechatClient, livechat_server: LivechatTestServer
) -> None:
    chat = await open_chat(async_livechat_client, livechat_server)
    result = await async_livechat_client.room.submit_survey(
        chat.rid,
        chat.token,
        {"satisfaction": 5, "agentKnowledge": "4", "bogus": "1", "additionalFeedback": "Great"},
    )
    assert result.rid == chat.rid
    assert result.data == {
        "satisfaction": "5",
        "agentKnowledge": "4",
        "additionalFeedback": "Great",
    }
    await async_livechat_client.room.close_room(chat.rid, chat.token)
    after = await async_livechat_client.room.submit_survey(
        chat.rid, chat.token, [{"name": "agentFriendliness", "value": "3"}]
    )
    assert after.data == {"agentFriendliness": "3"}


@pytest.mark.rc_version("7.10")  # the room in the answer: livechat/room.transfer (< 8.0)
async def test_transfer_to_a_department(
    async_livechat_client: AsyncLivechatClient, livechat_server: LivechatTestServer
) -> None:
    chat = await open_chat(async_livechat_client, livechat_server)
    other = livechat_server.create_agent()
    department = livechat_server.create_department(f"Sales {new_visitor_token()[:6]}", [other])
    room = await async_livechat_client.room.transfer_room(chat.rid, chat.token, department["_id"])
    assert room is not None
    assert room.id == chat.rid
    assert room.department_id == department["_id"]
    assert room.served_by is not None and room.served_by.id == other.user_id
    with pytest.raises(InvalidDepartmentError):
        await async_livechat_client.room.transfer_room(chat.rid, chat.token, "no-such-dept")


async def test_request_transcript(
    async_livechat_client: AsyncLivechatClient, livechat_server: LivechatTestServer
) -> None:
    chat = await open_chat(async_livechat_client, livechat_server)
    sent = await async_livechat_client.room.request_transcript(
        chat.rid, chat.token, "alice@example.com"
    )
    assert sent == "Omnichannel transcript sent"
    with pytest.raises(InvalidEmailError):
        await async_livechat_client.room.request_transcript(chat.rid, chat.token, "not-an-email")
    with pytest.raises(InvalidTokenError) as caught:
        await async_livechat_client.room.request_transcript(
            chat.rid, new_visitor_token(), "alice@example.com"
        )
    assert caught.value.error == "error-invalid-visitor"


async def test_upload_a_path_with_progress(
    async_livechat_client: AsyncLivechatClient, livechat_server: LivechatTestServer, tmp_path: Path
) -> None:
    chat = await open_chat(async_livechat_client, livechat_server)
    path = tmp_path / "diagram.png"
    path.write_bytes(PNG)
    progress: list[tuple[int, int | None]] = []
    message = await async_livechat_client.room.upload_file(
        chat.rid,
        path,
        chat.token,
        description="the diagram",
        progress=lambda sent, total: progress.append((sent, total)),
    )
    assert message.rid == chat.rid
    assert message.file is not None
    assert (message.file.name, message.file.type) == ("diagram.png", "image/png")
    assert message.attachments[0].description == "the diagram"
    assert progress[-1] == (len(PNG), len(PNG))
    fetched = await async_livechat_client.messages.get_message(message.id, chat.token, chat.rid)
    assert fetched.file_upload is not None
    assert fetched.file_upload.public_file_path is not None
    download = livechat_server.http.get(
        fetched.file_upload.public_file_path,
        params={"rc_room_type": "l", "rc_token": chat.token, "rc_rid": chat.rid},
    )
    assert (download.status_code, download.content) == (200, PNG)


async def test_upload_bytes_and_file_objects(
    async_livechat_client: AsyncLivechatClient, livechat_server: LivechatTestServer
) -> None:
    chat = await open_chat(async_livechat_client, livechat_server)
    from_bytes = await async_livechat_client.room.upload_file(
        chat.rid, b"hello world", chat.token, filename="hello.txt"
    )
    assert from_bytes.file is not None and from_bytes.file.type == "text/plain"
    stream = io.BytesIO(b"SKIP" + PNG)
    stream.seek(4)
    from_stream = await async_livechat_client.room.upload_file(
        chat.rid, stream, chat.token, filename="stream.png"
    )
    assert from_stream.file is not None and from_stream.file.name == "stream.png"
    history = await async_livechat_client.messages.get_message_history(chat.rid, chat.token)
    sizes = {m.id: m.file_upload.size for m in history if m.file_upload is not None}
    assert sizes == {from_bytes.id: len(b"hello world"), from_stream.id: len(PNG)}


async def test_upload_refused(
    async_livechat_client: AsyncLivechatClient, livechat_server: LivechatTestServer
) -> None:
    chat = await open_chat(async_livechat_client, livechat_server)
    with pytest.raises(FileTypeNotAllowedError) as caught:
        await async_livechat_client.room.upload_file(
            chat.rid, b"<svg/>", chat.token, filename="x.svg"
        )
    assert caught.value.error == "error-type-not-allowed"
    with pytest.raises(PermissionDeniedError):  # not this visitor's room
        await async_livechat_client.room.upload_file(
            chat.rid, b"x", await register(async_livechat_client), filename="x.txt"
        )
    livechat_server.set_setting("Livechat_fileupload_enabled", False)
    with pytest.raises(FileUploadDisabledError) as disabled:
        await async_livechat_client.room.upload_file(chat.rid, b"x", chat.token)
    assert disabled.value.error == "error-file-upload-disabled"


async def test_close_room_by_user(
    async_livechat_client: AsyncLivechatClient,
    async_manager_client: AsyncLivechatClient,
    livechat_server: LivechatTestServer,
) -> None:
    chat = await open_chat(async_livechat_client, livechat_server)
    await async_manager_client.room.close_room_by_user(chat.rid, comment="Solved", tags=["sales"])
    room = await async_livechat_client.room.get_room(chat.token)
    assert room.new_room and room.room.id != chat.rid  # the old one is closed
    history = await async_livechat_client.messages.get_message_history(chat.rid, chat.token)
    closing = [m for m in history if m.t == "livechat-close"]
    assert [m.msg for m in closing] == ["Solved"]
    with pytest.raises(RoomClosedError) as caught:
        await async_manager_client.room.close_room_by_user(chat.rid, comment="again")
    assert caught.value.error == "error-room-already-closed"
