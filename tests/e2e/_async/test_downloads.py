"""Downloads of uploaded files end to end: as the visitor and as the agent, to a path or a file
object, progress, typed refusals, closed rooms, and bounded memory for a large file."""

from __future__ import annotations

import io
import os
import tracemalloc
from pathlib import Path

import pytest

from rocketchat_livechat import (
    AsyncLivechatClient,
    InvalidArgumentError,
    NotFoundError,
    PermissionDeniedError,
)
from rocketchat_livechat.testing.plugin import LivechatTestServer

from ._support import open_chat

pytestmark = pytest.mark.e2e

PAYLOAD = bytes(range(256)) * 1024 + b"tail"  # 256 KiB and a bit: several chunks


async def test_visitor_downloads_to_a_path_and_a_file_object(
    async_livechat_client: AsyncLivechatClient, livechat_server: LivechatTestServer, tmp_path: Path
) -> None:
    client = async_livechat_client
    chat = await open_chat(client, livechat_server)
    message = await client.room.upload_file(chat.rid, PAYLOAD, chat.token, filename="data é.bin")
    assert message.file is not None
    assert message.attachments[0].title_link == (
        f"/file-upload/{message.file.id}/data%20%C3%A9.bin"
    )
    progress: list[tuple[int, int | None]] = []
    dest = tmp_path / "copy.bin"
    written = await client.messages.download_file(
        message, chat.token, dest, progress=lambda got, total: progress.append((got, total))
    )
    assert written == len(PAYLOAD) and dest.read_bytes() == PAYLOAD
    assert progress[-1] == (len(PAYLOAD), len(PAYLOAD)) and len(progress) > 1
    assert [p[0] for p in progress] == sorted(p[0] for p in progress)
    assert os.listdir(tmp_path) == ["copy.bin"]  # no temporary file left behind

    buffer = io.BytesIO(b"HEAD")
    buffer.seek(4)
    await client.messages.download_file(message.file, chat.token, buffer, rid=chat.rid)
    assert buffer.getvalue() == b"HEAD" + PAYLOAD

    # the URL forms: the relative title_link and the absolute publicFilePath
    fetched = await client.messages.get_message(message.id, chat.token, chat.rid)
    assert fetched.file_upload is not None and fetched.file_upload.public_file_path is not None
    for url in (message.attachments[0].title_link, fetched.file_upload.public_file_path):
        assert url is not None
        out = io.BytesIO()
        await client.messages.download_file(url, chat.token, out, rid=chat.rid)
        assert out.getvalue() == PAYLOAD
    with pytest.raises(InvalidArgumentError) as no_rid:
        await client.messages.download_file(message.file, chat.token, io.BytesIO())
    assert no_rid.value.argument == "rid"


async def test_agent_downloads_the_file_of_the_chat_it_serves(
    async_livechat_client: AsyncLivechatClient, livechat_server: LivechatTestServer, tmp_path: Path
) -> None:
    chat = await open_chat(async_livechat_client, livechat_server)
    message = await async_livechat_client.room.upload_file(
        chat.rid, PAYLOAD, chat.token, filename="report.pdf"
    )
    async with AsyncLivechatClient(
        livechat_server.url, user_id=chat.agent.user_id, auth_token=chat.agent.auth_token
    ) as agent:
        dest = tmp_path / "report.pdf"
        assert await agent.messages.download_agent_file(message, dest) == len(PAYLOAD)
        assert dest.read_bytes() == PAYLOAD
    other = livechat_server.create_agent()
    async with AsyncLivechatClient(
        livechat_server.url, user_id=other.user_id, auth_token=other.auth_token
    ) as stranger:
        # FileUpload_Restrict_to_room_members (default on): not subscribed to the room
        with pytest.raises(PermissionDeniedError):
            await stranger.messages.download_agent_file(message, tmp_path / "nope.pdf")
    assert not (tmp_path / "nope.pdf").exists()


async def test_refusals_are_typed_and_leave_nothing(
    async_livechat_client: AsyncLivechatClient, livechat_server: LivechatTestServer, tmp_path: Path
) -> None:
    client = async_livechat_client
    chat = await open_chat(client, livechat_server)
    message = await client.room.upload_file(chat.rid, b"secret", chat.token, filename="s.txt")
    dest = tmp_path / "s.txt"
    with pytest.raises(PermissionDeniedError) as refused:
        await client.messages.download_file(message, "wrong-token", dest)
    assert refused.value.code == 403
    assert "file-upload/{file_id}/{name}" in str(refused.value)
    assert "wrong-token" not in str(refused.value)
    assert refused.value.response is not None
    assert "wrong-token" not in str(refused.value.response.request.url)
    with pytest.raises(NotFoundError) as missing:
        await client.messages.download_file(
            "/file-upload/no-such-id/s.txt", chat.token, dest, rid=chat.rid
        )
    assert missing.value.code == 404
    assert os.listdir(tmp_path) == []


async def test_closed_room_files_stay_downloadable(
    async_livechat_client: AsyncLivechatClient, livechat_server: LivechatTestServer
) -> None:
    """Rocket.Chat >= 6.9 (#32439): the visitor keeps access after the chat closed."""
    client = async_livechat_client
    chat = await open_chat(client, livechat_server)
    message = await client.room.upload_file(chat.rid, b"kept", chat.token, filename="k.txt")
    await client.room.close_room(chat.rid, chat.token)
    out = io.BytesIO()
    await client.messages.download_file(message, chat.token, out)
    assert out.getvalue() == b"kept"


async def test_large_download_has_bounded_memory(
    async_livechat_client: AsyncLivechatClient, livechat_server: LivechatTestServer, tmp_path: Path
) -> None:
    client = async_livechat_client
    chat = await open_chat(client, livechat_server)
    size = 20 * 1024 * 1024
    source = tmp_path / "big.bin"
    with source.open("wb") as handle:
        block = os.urandom(1024 * 1024)
        for _ in range(size // len(block)):
            handle.write(block)
    message = await client.room.upload_file(chat.rid, source, chat.token)
    dest = tmp_path / "big-copy.bin"
    tracemalloc.start()
    try:
        written = await client.messages.download_file(message, chat.token, dest)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert written == size
    assert peak < size // 8, f"peak {peak} bytes for a {size}-byte file"
    with source.open("rb") as a, dest.open("rb") as b:
        while chunk := a.read(1024 * 1024):
            assert chunk == b.read(len(chunk))
