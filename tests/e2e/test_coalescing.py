"""Over real sockets to the embedded server: each request leaves in one write, and uploads in
bounded pieces (the coalescing transport, ``_async/transport.py``)."""

from __future__ import annotations

from collections.abc import Iterator

import httpcore2._backends.sync as sync_backend
import pytest

from rocketchat_livechat import LivechatClient, new_visitor_token
from rocketchat_livechat._core.write_buffer import FLUSH_AT
from rocketchat_livechat.testing.plugin import LivechatTestServer

pytestmark = pytest.mark.e2e


@pytest.fixture
def socket_writes(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[bytes]]:
    """Every buffer httpcore2's sync backend hands to a socket."""
    writes: list[bytes] = []
    write = sync_backend.SyncStream.write

    def recording(
        self: sync_backend.SyncStream, buffer: bytes, timeout: float | None = None
    ) -> None:
        writes.append(bytes(buffer))
        write(self, buffer, timeout)

    monkeypatch.setattr(sync_backend.SyncStream, "write", recording)
    yield writes


def test_each_message_is_one_write_and_an_upload_is_bounded_pieces(
    livechat_server: LivechatTestServer, socket_writes: list[bytes]
) -> None:
    livechat_server.create_agent()
    payload = bytes(range(256)) * 4096  # 1 MiB
    with LivechatClient(livechat_server.url) as client:
        token = new_visitor_token("e2e-")
        client.visitor.register_visitor(token, name="Alice")
        room = client.room.get_room(token).room
        socket_writes.clear()
        sent = client.messages.send_message(token, room.id, "hello in one write")
        assert len(socket_writes) == 1
        head, _, body = socket_writes[0].partition(b"\r\n\r\n")
        assert head.startswith(b"POST /api/v1/livechat/message ") and b"hello in one write" in body
        socket_writes.clear()
        uploaded = client.room.upload_file(room.id, payload, token, filename="f.bin")
        assert uploaded.file is not None and sent.id
        assert len(socket_writes) > 1 and max(map(len, socket_writes)) < 2 * FLUSH_AT
        assert sum(map(len, socket_writes)) > len(payload)
        history = client.messages.get_message_history(room.id, token)
    assert sent.id in {message.id for message in history}
